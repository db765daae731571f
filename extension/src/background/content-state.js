// What content scripts need to know about the policy, published in chrome.storage.local
// (which they watch): a stamp that changes whenever the policy in force changes (they then
// drop their cache and check the open composer again), whether a usable policy is in force
// and, if not, the fail mode and why; the override setting; and the admin's site settings.

export const CONTENT_STATE_KEY = "policyState";

export function contentState(status, config) {
  const p = status.policy;
  return {
    stamp: status.usable ? `${p.id}@${p.version ?? ""}#${status.appliedAt ?? 0}` : "none",
    usable: status.usable,
    failMode: status.failMode,
    reason: status.usable ? null : status.problem,
    override: p?.override ?? "justify",
    enabledSites: config.enabledSites,
    allowUserDisable: config.allowUserDisable,
  };
}

/** Writes `state` unless it is what is stored already (a write wakes every tab). */
export async function publishContentState(storage, state) {
  const { [CONTENT_STATE_KEY]: prev } = await storage.get(CONTENT_STATE_KEY);
  if (JSON.stringify(prev) === JSON.stringify(state)) return false;
  await storage.set({ [CONTENT_STATE_KEY]: state });
  return true;
}
