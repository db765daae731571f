// Tells the worker when the user goes into a text box this page's content script cannot
// check because it is inside a closed shadow root (events and focus are retargeted to the
// shadow host, and the extension's underlines, cards and post guard cannot reach in), and
// when they go into one it checks, so the toolbar badge of the tab is right
// (background/unprotected.js). Frames from other sites report for themselves (frame.js).
// Only where the focus is travels, never any text.

import { askWorker, MSG } from "../shared/protocol.js";

const TEXT_INPUTS = new Set(["text", "search", "email", "url", ""]);

/**
 * Whether `el` takes typed text.
 * @param {unknown} el
 */
export function isEditable(el) {
  if (el instanceof HTMLTextAreaElement) return true;
  if (el instanceof HTMLInputElement) return TEXT_INPUTS.has(el.type);
  return el instanceof HTMLElement && el.isContentEditable;
}

/**
 * A closed shadow root of `host`, through the extension-only APIs (Chromium's
 * chrome.dom.openOrClosedShadowRoot, Firefox's element.openOrClosedShadowRoot), or null.
 * @param {Element} host
 * @returns {ShadowRoot | null}
 */
function closedRootOf(host) {
  if (host.shadowRoot) return null;
  try {
    const viaDom = /** @type {any} */ (globalThis.chrome)?.dom?.openOrClosedShadowRoot;
    const root = viaDom ? viaDom(host) : /** @type {any} */ (host).openOrClosedShadowRoot;
    return root instanceof ShadowRoot ? root : null;
  } catch {
    return null;
  }
}

/**
 * Whether the focus is on a text box inside a closed shadow root under `el` (the element
 * the page sees as focused).
 * @param {Element} el
 */
export function focusInClosedRoot(el) {
  /** @type {Element | null} */
  let at = el;
  let closed = false;
  for (let depth = 0; at && depth < 32; depth++) {
    /** @type {ShadowRoot | null} */
    const root = at.shadowRoot ?? closedRootOf(at);
    if (!root) return closed && isEditable(at);
    closed ||= root.mode === "closed";
    at = root.activeElement;
  }
  return false;
}

/**
 * Watches where the user types. `enabled()`: whether draftguard runs on this site (a site
 * switched off is not reported).
 * @param {{ enabled: () => boolean }} host
 */
export function watchReach({ enabled }) {
  /** @type {import("../shared/protocol.js").ReachWhere | undefined} */
  let last;
  const tell = (/** @type {import("../shared/protocol.js").ReachWhere} */ where) => {
    if (where === last || !enabled()) return;
    last = where;
    askWorker({ type: MSG.reach, where }).catch(() => {
      last = undefined; // the worker did not hear it: say it again next time
    });
  };
  document.addEventListener(
    "focusin",
    (e) => {
      const target = e.composedPath()[0];
      if (!(target instanceof Element)) return;
      if (isEditable(target)) tell(null);
      else if (focusInClosedRoot(target)) tell("closed-shadow-root");
    },
    true,
  );
  // Typing whose real target the page cannot see: inside a closed shadow root (input
  // events cross shadow boundaries, retargeted to the host), also where the APIs above
  // are missing.
  document.addEventListener(
    "beforeinput",
    (e) => {
      const target = e.composedPath()[0];
      if (target instanceof Element && !isEditable(target) && !target.shadowRoot) tell("closed-shadow-root");
    },
    true,
  );
  // The focus went into a frame, which may report for itself: the next text box of this
  // page is reported again.
  window.addEventListener("blur", () => {
    last = undefined;
  });
}
