// What content scripts need to know about the policy, published in chrome.storage.local
// (which they watch): a stamp that changes whenever the policy in force changes (they then
// drop their cache and check the open composer again), whether a usable policy is in force
// and, if not, the fail mode and why; the override setting; the admin's site settings; and
// the policy's site adapters, which each tab lays over the built-in ones. The shape is the
// protocol's ContentState (shared/protocol.js).

import { readStored, STORAGE, writeStored } from "../shared/protocol.js";

/**
 * What content scripts are told, from the policy status and the managed configuration.
 * @param {import("../shared/protocol.js").PolicyStatus} status
 * @param {import("./config.js").Config} config
 * @returns {import("../shared/protocol.js").ContentState}
 */
export function contentState(status, config) {
  const p = status.policy;
  return {
    stamp: status.usable && p ? `${p.id}@${p.version ?? ""}#${status.appliedAt ?? 0}` : "none",
    usable: status.usable,
    loading: false,
    failMode: status.failMode,
    reason: status.usable ? null : status.problem,
    override: p?.override ?? "justify",
    enabledSites: config.enabledSites,
    allowUserDisable: config.allowUserDisable,
    adapters: status.usable ? (status.adapters ?? []) : [],
  };
}

/**
 * Writes `state` unless it is what is stored already (a write wakes every tab).
 * @param {import("../shared/protocol.js").StorageArea} storage
 * @param {import("../shared/protocol.js").ContentState} state
 */
export async function publishContentState(storage, state) {
  const prev = await readStored(storage, STORAGE.contentState);
  if (JSON.stringify(prev) === JSON.stringify(state)) return false;
  await writeStored(storage, STORAGE.contentState, state);
  return true;
}
