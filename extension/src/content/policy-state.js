// The policy state the service worker publishes for content scripts (chrome.storage.local
// "policyState", see background/content-state.js), and what follows from it for a page:
// whether draftguard runs on this site, and the warning to show when no usable policy is
// in force.

import { siteEnabled } from "./sites.js";

export const STATE_KEY = "policyState";

/** Before the worker has published anything: the embedded default, every site. */
export const DEFAULT_STATE = Object.freeze({
  stamp: null,
  usable: true,
  failMode: "open",
  reason: null,
  override: "justify",
  enabledSites: null,
  allowUserDisable: true,
});

export const withDefaults = (state) => ({ ...DEFAULT_STATE, ...(state ?? {}) });

export async function readPolicyState() {
  const { [STATE_KEY]: state } = await chrome.storage.local.get(STATE_KEY);
  return withDefaults(state);
}

/** Calls `fn(state)` whenever the worker publishes a new state. */
export function watchPolicyState(fn) {
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === "local" && changes[STATE_KEY]) fn(withDefaults(changes[STATE_KEY].newValue));
  });
}

/**
 * Whether draftguard checks drafts on `host`: the admin's enabledSites allow it, and the
 * user has not switched it off there (which counts only while the admin allows it).
 */
export function runsOn(state, disabledSites, host) {
  if (!siteEnabled(state.enabledSites, host)) return false;
  return !(state.allowUserDisable && disabledSites.includes(host));
}

/**
 * The warning when no usable policy is in force, else null: `{ mode, label, text }`, where
 * `label` fits on the composer badge and `text` is the whole sentence.
 */
export function unavailableNotice(state) {
  if (state.usable) return null;
  const why = state.reason ? ` ${state.reason}` : "";
  if (state.failMode === "closed") {
    return {
      mode: "closed",
      label: "Posting blocked",
      text: `Posting is blocked: draftguard cannot check drafts without your company's social-media policy, and your administrator does not allow posting without it.${why}`,
    };
  }
  return {
    mode: "open",
    label: "Not checked",
    text: `draftguard is not checking drafts: your company's social-media policy is not available.${why}`,
  };
}
