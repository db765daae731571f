// Stops a post that breaks a blocking rule, and reports what happened as audit events.
// A click on the site's post button, its submit key in the composer, or a submit of the
// form around the composer is caught in the capture phase, before the page sees it, and
// decided synchronously: with findings that block, the post is stopped and the block
// dialog offers "Edit" and, as the policy's `override` allows, "Post anyway"; with a
// stale result, the attempt is stopped, the draft checked at once, and the post replayed
// if it is clean; with no usable policy, the fail mode decides. A post that goes ahead
// with monitor-rule findings is reported as a monitor hit. Audit events carry rule ids,
// never the draft or the flagged text.

import { showBlockDialog, showUnavailableDialog } from "../ui/card.js";
import { isPostButton, isSubmitKey } from "./adapters.js";
import { draftOf, saveSelection, selectFinding } from "./composer.js";
import { eventTarget } from "./dom.js";
import { cached, PolicyUnavailable, report } from "./engine-client.js";
import { isBlocking, worstSeverity } from "./findings.js";
import { unavailableNotice } from "./policy-state.js";

/** @typedef {import("./composer.js").Composer} Composer */
/** @typedef {import("../shared/protocol.js").Finding} Finding */
/** @typedef {import("../shared/protocol.js").ContentState} ContentState */
/** @typedef {import("../shared/protocol.js").PageAuditEvent} PageAuditEvent */

/**
 * The audit event for `findings`: their rule ids (each once) and the most severe severity.
 * @param {PageAuditEvent["kind"]} kind
 * @param {Finding[]} findings
 * @param {string} platform
 * @param {{ justification?: string }} [extra]
 * @returns {PageAuditEvent}
 */
export function auditEvent(kind, findings, platform, extra = {}) {
  return {
    kind,
    rules: [...new Set(findings.map((f) => f.rule))],
    severity: worstSeverity(findings),
    platform,
    ...extra,
  };
}

const BUTTON_LIKE = "button, [role='button'], input[type='submit']";

/**
 * Catches post attempts on the page (capture-phase click, keydown and submit listeners on
 * `document`; the real target is read from the composed path, so a composer and post
 * button inside an open shadow root are seen). A form's submit event does not leave a
 * shadow root: `watch(root)` listens for it in the shadow root a composer is in.
 * Register it after any keydown listener that must see a key first.
 * @param {object} host  what the guard asks of the content script
 * @param {() => import("./adapters.js").Adapter | null} host.adapter  the site adapter now (post buttons, submit keys; a new policy may bring another)
 * @param {(el: Element, selector: string) => boolean} host.matches
 * @param {() => Composer | null} host.active  the composer being edited
 * @param {() => ContentState} host.policy  the policy state in force
 * @param {(a: Composer) => Promise<Finding[]>} host.checkNow  checks the composer's draft
 *   now and shows the result; rejects with PolicyUnavailable without a usable policy
 * @param {(state: ContentState) => void} host.onUnavailable  a check found no usable policy
 */
export function guardPosts({ adapter, matches, active, policy, checkNow, onUnavailable }) {
  /** Tells the audit log that a post went ahead with monitor-rule findings. */
  const wentAhead = (/** @type {Composer} */ a, /** @type {Finding[]} */ findings) => {
    const monitor = findings.filter((f) => f.mode === "monitor");
    if (monitor.length) report(auditEvent("monitor", monitor, a.platform));
  };

  /** Fail mode "closed" with no usable policy: the post is stopped, and nothing else offered. */
  const blockUnavailable = (/** @type {Composer} */ a) => {
    report({ kind: "blocked", rules: [], severity: null, platform: a.platform, reason: "no-policy" });
    const notice = unavailableNotice(policy());
    showUnavailableDialog(notice?.text ?? "", { onEdit: () => a.el.focus() });
  };

  /**
   * Makes a post attempt that was decided again, letting through every event it sets off
   * (a click that submits a form, an Enter whose handler calls requestSubmit): browsers
   * dispatch those synchronously, inside `resume()`.
   * @param {Composer} a
   * @param {() => void} resume
   */
  const replay = (a, resume) => {
    a.allowOnce = true;
    try {
      resume();
    } finally {
      a.allowOnce = false;
    }
  };

  /** Stops the post: the dialog, "Edit", and "Post anyway" as the policy allows. */
  const block = (/** @type {Composer} */ a, /** @type {() => void} */ resume) => {
    const blocking = a.findings.filter(isBlocking);
    report(auditEvent("blocked", blocking, a.platform));
    showBlockDialog(blocking, policy().override, {
      onEdit: () => {
        const first = a.shown.find(isBlocking);
        if (first) selectFinding(a, first);
        else a.el.focus();
      },
      onPostAnyway: (/** @type {string} */ justification) => {
        report(auditEvent("override", blocking, a.platform, { justification }));
        wentAhead(a, a.findings);
        replay(a, resume);
      },
    });
  };

  /**
   * Decides, synchronously, whether a post attempt may go ahead; `resume()` makes the
   * post again once it may.
   * @param {Event} event
   * @param {() => void} resume
   */
  const intercept = (event, resume) => {
    const a = active();
    if (!a) return;
    if (a.allowOnce) return;
    const stop = () => {
      event.preventDefault();
      event.stopImmediatePropagation();
    };
    const state = policy();
    if (!state.usable) {
      // No usable policy: "closed" stops the post, "open" lets it through (the badge warns).
      if (state.failMode === "closed") {
        stop();
        blockUnavailable(a);
      }
      return;
    }
    const text = draftOf(a.el).text;
    const known = text === a.text ? a.findings : cached(text, a.platform);
    if (known === undefined) {
      // Stale: stop this attempt, check now, and let it through if the draft is clean.
      stop();
      checkNow(a).then(
        (findings) => {
          if (findings.some(isBlocking)) {
            block(a, resume);
            return;
          }
          wentAhead(a, findings);
          replay(a, resume);
        },
        (err) => {
          if (!(err instanceof PolicyUnavailable)) throw err;
          onUnavailable(err.state);
          if (policy().failMode === "closed") blockUnavailable(a);
          else {
            replay(a, resume);
          }
        },
      );
      return;
    }
    if (known.some(isBlocking)) {
      stop();
      block(a, resume);
    } else {
      wentAhead(a, known);
    }
  };

  document.addEventListener(
    "click",
    (e) => {
      if (!active()) return;
      // The innermost button-like element the click went through (a span inside a
      // div role="button", a button inside a shadow root).
      const button = e.composedPath().find((n) => n instanceof Element && matches(n, BUTTON_LIKE));
      if (button && isPostButton(adapter(), button, matches))
        intercept(e, () => /** @type {HTMLElement} */ (button).click());
    },
    true,
  );

  document.addEventListener(
    "keydown",
    (e) => {
      const a = active();
      const target = /** @type {Node} */ (eventTarget(e));
      if (!a || (!a.el.contains(target) && target !== a.el) || !isSubmitKey(adapter(), e, a.el, matches)) return;
      // Editors route keys by the legacy keyCode/which (Draft.js) and only act with the
      // caret inside them (Quill), so the replayed key carries both, after restoring the
      // selection the user had.
      const init = {
        key: e.key,
        code: e.code,
        keyCode: e.keyCode,
        which: e.which,
        charCode: e.charCode,
        ctrlKey: e.ctrlKey,
        metaKey: e.metaKey,
        shiftKey: e.shiftKey,
        altKey: e.altKey,
        bubbles: true,
        cancelable: true,
      };
      const restore = saveSelection(a);
      intercept(e, () => {
        restore();
        (a.el.contains(target) ? target : a.el).dispatchEvent(new KeyboardEvent("keydown", init));
      });
    },
    true,
  );

  /** @param {Event} e */
  const onSubmit = (e) => {
    const a = active();
    const form = eventTarget(e);
    if (!a || !(form instanceof HTMLFormElement) || !form.contains(a.el)) return;
    intercept(e, () => form.requestSubmit());
  };
  document.addEventListener("submit", onSubmit, true);
  /** @type {WeakSet<ShadowRoot>} */
  const watched = new WeakSet();
  return {
    /** Catches form submits inside `root` too, if it is a shadow root (once per root). */
    watch(/** @type {Node} */ root) {
      if (!(root instanceof ShadowRoot) || watched.has(root)) return;
      watched.add(root);
      root.addEventListener("submit", onSubmit, true);
    },
  };
}
