// The policy state the service worker publishes for content scripts (the protocol's
// ContentState, see background/content-state.js), and what follows from it for a page:
// whether draftguard runs on this site, and the warning to show when no usable policy is
// in force.

import { readStored, STORAGE, watchStored } from "../shared/protocol.js";
import { siteEnabled } from "./sites.js";

/** @typedef {import("../shared/protocol.js").ContentState} ContentState */

/** The state the worker published last (the default before it published anything). */
export function readPolicyState() {
  return readStored(chrome.storage.local, STORAGE.contentState);
}

/**
 * Calls `fn(state)` whenever the worker publishes a new state.
 * @param {(state: ContentState) => void} fn
 */
export function watchPolicyState(fn) {
  watchStored([STORAGE.contentState], (changed) => {
    const state = changed[STORAGE.contentState];
    if (state) fn(state);
  });
}

/**
 * Whether draftguard checks drafts on `host`: the admin's enabledSites allow it, and the
 * user has not switched it off there (which counts only while the admin allows it).
 * @param {ContentState} state
 * @param {string[]} disabledSites
 * @param {string} host
 */
export function runsOn(state, disabledSites, host) {
  if (!siteEnabled(state.enabledSites, host)) return false;
  return !(state.allowUserDisable && disabledSites.includes(host));
}

/**
 * The warning when no usable policy is in force, else null: `{ mode, label, text }`, where
 * `label` fits on the composer badge and `text` is the whole sentence.
 * @typedef {{ mode: import("../shared/protocol.js").FailMode, label: string, text: string }} Notice
 * @param {ContentState} state
 * @returns {Notice | null}
 */
export function unavailableNotice(state) {
  if (state.usable) return null;
  if (state.loading) {
    return {
      mode: state.failMode,
      label: "Policy loading",
      text:
        state.failMode === "closed"
          ? "draftguard is still loading your company's social-media policy: posting is blocked until it is ready (a moment)."
          : "draftguard is still loading your company's social-media policy: this draft is not checked yet; it will be in a moment.",
    };
  }
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
