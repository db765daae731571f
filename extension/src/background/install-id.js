// This install's id: a random UUID made once (crypto.randomUUID) and kept in
// chrome.storage.local, so the console can count distinct installs ("how many people would
// this rule have stopped") without knowing who anyone is. It says nothing about the user
// or the machine; it lasts as long as the extension's storage (a reinstall or a new
// browser profile is a new install). Every audit event carries it.

import { readStored, STORAGE, writeStored } from "../shared/protocol.js";

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The stored install id, made and stored first if there is none (or what is stored is
 * not a UUID). Callers share one promise (see `installIdOnce`), so two first events at
 * once cannot make two ids.
 * @param {import("../shared/protocol.js").StorageArea} storage
 * @param {() => string} [make]
 * @returns {Promise<string>}
 */
export async function readInstallId(storage, make = () => crypto.randomUUID()) {
  const stored = await readStored(storage, STORAGE.installId);
  if (typeof stored === "string" && UUID_RE.test(stored)) return stored;
  const id = make();
  await writeStored(storage, STORAGE.installId, id);
  return id;
}

/**
 * `readInstallId`, asked once: every caller gets the same promise (a failed read is tried
 * again by the next caller).
 * @param {import("../shared/protocol.js").StorageArea} storage
 * @param {() => string} [make]
 * @returns {() => Promise<string>}
 */
export function installIdOnce(storage, make) {
  /** @type {Promise<string> | null} */
  let pending = null;
  return () => {
    pending ??= readInstallId(storage, make).catch((err) => {
      pending = null;
      throw err;
    });
    return pending;
  };
}
