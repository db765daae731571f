// Asks the service worker's engine to check a draft, with a small cache keyed by the
// text so that repeating a check (a re-focus, a post attempt) costs nothing. The cache is
// cleared whenever the policy in force changes.
//
// Checks travel over one long-lived port rather than `sendMessage`, which opens and closes
// a channel per message: about 1 ms of the round trip. The port closes when the worker is
// stopped; the next check opens a new one (which wakes it), and a check that was in flight
// when it closed is asked again once, by `sendMessage`.

import { askWorker, MSG, PORT_CHECK } from "../shared/protocol.js";

/** @typedef {import("../shared/protocol.js").Finding} Finding */
/** @typedef {import("../shared/protocol.js").CheckRequest} CheckRequest */
/** @typedef {import("../shared/protocol.js").CheckResponse} CheckResponse */

const CACHE_SIZE = 64;
/** @type {Map<string, Finding[]>} */
const cache = new Map();
/** Bumped by clearCache, so an answer from the policy before does not enter the cache. */
let generation = 0;

/** Raised when no usable policy is in force; `state` is the worker's content state. */
export class PolicyUnavailable extends Error {
  /** @param {import("../shared/protocol.js").ContentState} state */
  constructor(state) {
    super(state?.reason ?? "no usable policy is in force");
    this.state = state;
  }
}

/** @type {chrome.runtime.Port | null} */
let port = null;
let nextId = 1;
/**
 * Requests sent on the port and not answered yet, by id.
 * with the parts of the findings received so far.
 * @type {Map<number, { msg: CheckRequest, parts: Finding[][], resolve: (res: CheckResponse) => void, reject: (err: unknown) => void }>}
 */
const pending = new Map();

function openPort() {
  const p = chrome.runtime.connect({ name: PORT_CHECK });
  p.onMessage.addListener((/** @type {import("../shared/protocol.js").PortResponse} */ answer) => {
    const req = pending.get(answer.id);
    if (!req) return;
    if ("part" in answer) {
      req.parts.push(answer.part);
      return;
    }
    pending.delete(answer.id);
    const { res } = answer;
    if (req.parts.length && res.ok) req.resolve({ ...res, findings: req.parts.flat().concat(res.findings) });
    else req.resolve(res);
  });
  p.onDisconnect.addListener(() => {
    if (port === p) port = null;
    const lost = [...pending.values()];
    pending.clear();
    for (const req of lost) askWorker(req.msg).then(req.resolve, req.reject);
  });
  return p;
}

/**
 * Sends `msg` to the worker and resolves to its answer.
 * @param {CheckRequest} msg
 * @returns {Promise<CheckResponse>}
 */
function ask(msg) {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { msg, parts: [], resolve, reject });
    try {
      port ??= openPort();
      port.postMessage(/** @type {import("../shared/protocol.js").PortRequest} */ ({ id, msg }));
    } catch (err) {
      // The extension was reloaded or updated under this page: no port can be opened.
      pending.delete(id);
      reject(err);
    }
  });
}

/**
 * Findings for `text` from the cache, or undefined.
 * @param {string} text
 * @param {string} platform
 */
export function cached(text, platform) {
  return cache.get(`${platform}\u0000${text}`);
}

/** Forgets every cached result (the policy changed). */
export function clearCache() {
  cache.clear();
  generation += 1;
}

/**
 * Checks `text` for `platform`; resolves to the engine's findings (all modes). Rejects
 * with PolicyUnavailable when the worker has no usable policy.
 * @param {string} text
 * @param {string} platform
 * @returns {Promise<Finding[]>}
 */
export async function check(text, platform) {
  const key = `${platform}\u0000${text}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const asked = generation;
  const res = await ask({ type: MSG.check, text, platform, now: Date.now() });
  if (res && "unavailable" in res) throw new PolicyUnavailable(res.unavailable);
  if (!res?.ok) throw new Error((res && "error" in res && res.error) || "draftguard engine did not answer");
  if (asked !== generation) return res.findings;
  cache.set(key, res.findings);
  if (cache.size > CACHE_SIZE) cache.delete(/** @type {string} */ (cache.keys().next().value));
  return res.findings;
}

/**
 * Reports an audit event (rule ids, never text) to the service worker; fire and forget.
 * @param {import("../shared/protocol.js").PageAuditEvent} event
 */
export function report(event) {
  askWorker({ type: MSG.audit, event }).catch(() => {});
}
