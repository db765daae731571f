// Asks the service worker's engine to check a draft, with a small cache keyed by the
// text so that repeating a check (a re-focus, a post attempt) costs nothing. The cache is
// cleared whenever the policy in force changes.

const CACHE_SIZE = 64;
const cache = new Map();
/** Bumped by clearCache, so an answer from the policy before does not enter the cache. */
let generation = 0;

/** Raised when no usable policy is in force; `state` is the worker's content state. */
export class PolicyUnavailable extends Error {
  constructor(state) {
    super(state?.reason ?? "no usable policy is in force");
    this.state = state;
  }
}

/** Findings for `text` from the cache, or undefined. */
export function cached(text, platform) {
  return cache.get(`${platform}\u0000${text}`);
}

/** Forgets every cached result (the policy changed). */
export function clearCache() {
  cache.clear();
  generation += 1;
}

/** Checks `text` for `platform`; resolves to the engine's findings (all modes). Rejects
 * with PolicyUnavailable when the worker has no usable policy. */
export async function check(text, platform) {
  const key = `${platform}\u0000${text}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const asked = generation;
  const res = await chrome.runtime.sendMessage({ type: "check", text, platform, now: Date.now() });
  if (res?.unavailable) throw new PolicyUnavailable(res.unavailable);
  if (!res?.ok) throw new Error(res?.error ?? "draftguard engine did not answer");
  if (asked !== generation) return res.findings;
  cache.set(key, res.findings);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value);
  return res.findings;
}

/** Reports an audit event (rule ids, never text) to the service worker; fire and forget. */
export function report(event) {
  chrome.runtime.sendMessage({ type: "audit", event }).catch(() => {});
}
