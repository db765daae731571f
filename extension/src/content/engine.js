// Asks the service worker's engine to check a draft, with a small cache keyed by the
// text so that repeating a check (a re-focus, a post attempt) costs nothing.

const CACHE_SIZE = 64;
const cache = new Map();

/** Findings for `text` from the cache, or undefined. */
export function cached(text, platform) {
  return cache.get(`${platform}\u0000${text}`);
}

/** Checks `text` for `platform`; resolves to the engine's findings (all modes). */
export async function check(text, platform) {
  const key = `${platform}\u0000${text}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const res = await chrome.runtime.sendMessage({ type: "check", text, platform, now: Date.now() });
  if (!res?.ok) throw new Error(res?.error ?? "draftguard engine did not answer");
  cache.set(key, res.findings);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value);
  return res.findings;
}

/** The policy in force: `{ id, version, title, settings: { override, fail }, ... }`. */
export async function policyInfo() {
  const res = await chrome.runtime.sendMessage({ type: "info" });
  if (!res?.ok) throw new Error(res?.error ?? "draftguard engine did not answer");
  return res.info;
}
