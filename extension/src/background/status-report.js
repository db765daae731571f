// The `status` audit event: what this install runs (policy id and version in force, ring,
// extension version, browser), for the console's fleet view. One is recorded when the
// policy in force (or the ring) changes, and otherwise once a day: an hourly alarm
// (alarms.js STATUS_ALARM) asks, and a report is due when the last one is a day old. The
// day is measured from the last report kept in chrome.storage.local, so neither a service
// worker restart nor Firefox (which forgets alarms when it quits) can skip or repeat it.

import { readStored, STORAGE, writeStored } from "../shared/protocol.js";

export const STATUS_EVERY_MS = 24 * 60 * 60_000;

/**
 * What a status report says, as a key that changes exactly when a new report is due for a
 * change: the policy in force (null: none usable) and the ring.
 * @param {{ id: string, version: string | null } | null | undefined} policy
 * @param {string} ring
 */
export function statusKey(policy, ring) {
  return JSON.stringify({ policy: policy ? [policy.id, policy.version ?? null] : null, ring });
}

export class StatusReporter {
  #storage;
  #now;
  #send;
  /** @type {Promise<unknown>} */
  #chain = Promise.resolve();

  /**
   * `send()` records one status event and resolves to whether it was kept (false: the
   * browser is not managed, so nothing is reported and nothing remembered).
   * @param {object} seams
   * @param {import("../shared/protocol.js").StorageArea} seams.storage
   * @param {() => Promise<boolean>} seams.send
   * @param {() => number} [seams.now]
   */
  constructor({ storage, send, now = Date.now }) {
    this.#storage = storage;
    this.#send = send;
    this.#now = now;
  }

  /**
   * Records a status event if `key` (statusKey) differs from the last one reported or the
   * last report is a day old; resolves to whether one was recorded. Calls run one at a
   * time, so a burst of policy changes reports each state once.
   * @param {string} key
   * @returns {Promise<boolean>}
   */
  check(key) {
    const run = this.#chain.then(async () => {
      const last = await readStored(this.#storage, STORAGE.lastStatusReport);
      const now = this.#now();
      if (last.key === key && now - last.at < STATUS_EVERY_MS && last.at <= now) return false;
      if (!(await this.#send())) return false;
      await writeStored(this.#storage, STORAGE.lastStatusReport, { key, at: now });
      return true;
    });
    this.#chain = run.catch(() => {});
    return run;
  }
}
