// Wires draftguard into the page: finds composers (site adapters are data), checks the
// draft after a short debounce, underlines findings, explains them on click or when the
// caret enters them, applies fixes the way the editor expects, and stops a post that
// breaks a blocking rule. The draft only ever goes to the extension's own engine; audit
// events carry rule ids, never text. When the policy in force changes, the open composer
// is checked again; when no usable policy is in force, the fail mode decides.

import { MSG, readStored, STORAGE, watchStored } from "../shared/protocol.js";
import { showBlockDialog, showCard, showUnavailableDialog } from "../ui/card.js";
import { isComposer, isPostButton, isSubmitKey, matchAdapter, platformOf } from "./adapters.js";
import { cached, check, clearCache, PolicyUnavailable, report } from "./engine-client.js";
import { applyReplacement } from "./fix.js";
import { Badge, clearRanges, paintRanges, rangesFor, TextareaOverlay } from "./highlight.js";
import { readPolicyState, runsOn, unavailableNotice, watchPolicyState } from "./policy-state.js";
import { siteEnabled } from "./sites.js";
import { extractText, textareaText } from "./textmap.js";

const DEBOUNCE_MS = 120;
/** Some editors merge edits made within this long into one undo step (Quill: 1 s), so a
 * fix waits until this long after the last keystroke to stay its own step for Ctrl+Z. */
const UNDO_MERGE_MS = 1000;

let adapter = null;
let override = "justify";
/** The worker's policy state (policy-state.js). */
let policy = null;
/** The composer being edited, and what we know about it. */
let active = null;

const isTextarea = (el) => el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement;
const matches = (el, selector) => {
  try {
    return el.matches(selector);
  } catch {
    return false;
  }
};

function composerOf(target) {
  let el = target instanceof Element ? target : target?.parentElement;
  // The editable root: the outermost contenteditable ancestor, or the textarea.
  if (el && !isTextarea(el)) {
    while (el?.parentElement?.isContentEditable) el = el.parentElement;
  }
  if (!el || !(isTextarea(el) || el.isContentEditable)) return null;
  return isComposer(adapter, el, matches) ? el : null;
}

/** The draft as the engine sees it, plus what is needed to map findings back. */
function snapshot(el) {
  if (isTextarea(el)) return { text: textareaText(el.value), map: null };
  const { text, map } = extractText(el);
  return { text, map };
}

function visible(findings) {
  return findings.filter((f) => f.mode === "enforce" && !active?.dismissed.has(`${f.rule}\u0000${f.text}`));
}

async function runCheck() {
  const a = active;
  if (!a || a.composing) return;
  // User Timing marks (visible to the page's performance timeline, never sent anywhere)
  // let `make roundtrip-bench` and DevTools measure extract → engine → underline.
  const t0 = performance.now();
  const snap = snapshot(a.el);
  let findings;
  try {
    findings = await check(snap.text, a.platform);
  } catch (err) {
    if (!(err instanceof PolicyUnavailable)) {
      console.warn("draftguard:", err);
      return;
    }
    setPolicy(err.state);
    findings = []; // nothing to underline; the badge shows the fail mode's warning
  }
  if (active !== a) return;
  const now = snapshot(a.el);
  if (now.text !== snap.text) return schedule(); // typed meanwhile: check again
  a.text = snap.text;
  a.map = snap.map;
  a.findings = findings;
  render(a);
  performance.measure("draftguard:check", { start: t0 });
}

function render(a) {
  const shown = visible(a.findings);
  if (isTextarea(a.el)) {
    a.overlay ??= new TextareaOverlay(a.el);
    a.overlay.paint(a.text, shown);
  } else {
    a.ranges = rangesFor(shown, a.map);
    paintRanges(shown, a.ranges);
  }
  a.shown = shown;
  a.el.dataset.draftguardCount = String(shown.length);
  a.el.setAttribute("aria-description", `draftguard: ${shown.length} issue${shown.length === 1 ? "" : "s"}`);
  a.badge ??= new Badge(a.el);
  a.badge.show(shown, unavailableNotice(policy));
}

function schedule() {
  const a = active;
  if (!a) return;
  clearTimeout(a.timer);
  a.timer = setTimeout(runCheck, DEBOUNCE_MS);
}

function attach(el) {
  if (active?.el === el) return;
  detach();
  active = {
    el,
    platform: platformOf(adapter),
    text: null,
    map: null,
    findings: [],
    shown: [],
    ranges: [],
    dismissed: new Set(),
    composing: false,
    overlay: null,
    badge: null,
    card: null,
    timer: 0,
    allowOnce: false,
    lastInput: 0,
  };
  const a = active;
  a.listeners = {
    input: () => {
      a.lastInput = performance.now();
      schedule();
    },
    paste: () => setTimeout(runCheck, 0),
    compositionstart: () => {
      a.composing = true;
    },
    compositionend: () => {
      a.composing = false;
      schedule();
    },
  };
  for (const [k, f] of Object.entries(a.listeners)) el.addEventListener(k, f);
  runCheck();
}

function detach() {
  const a = active;
  if (!a) return;
  clearTimeout(a.timer);
  for (const [k, f] of Object.entries(a.listeners)) a.el.removeEventListener(k, f);
  a.overlay?.destroy();
  a.badge?.destroy();
  a.card?.close();
  clearRanges();
  active = null;
}

/** The shown finding under the caret, if any. */
function findingAtCaret(a) {
  if (isTextarea(a.el)) {
    const at = a.el.selectionStart;
    return a.shown.find((f) => at >= f.start && at <= f.end && a.el.selectionStart === a.el.selectionEnd);
  }
  const sel = getSelection();
  if (!sel?.rangeCount || !a.el.contains(sel.anchorNode)) return undefined;
  return a.shown.find((_, i) => {
    try {
      return a.ranges[i].isPointInRange(sel.anchorNode, sel.anchorOffset);
    } catch {
      return false;
    }
  });
}

function rectOf(a, f) {
  if (!isTextarea(a.el)) {
    const i = a.shown.indexOf(f);
    const r = a.ranges[i]?.getClientRects?.()[0];
    if (r) return r;
  }
  return a.el.getBoundingClientRect();
}

function explain() {
  const a = active;
  if (!a || a.text === null) return;
  // Focus inside the card (Alt+Enter, Tab) moves the selection away: keep the card open.
  if (a.card && document.activeElement === a.card.host) return;
  // Focus elsewhere on the page (a textarea keeps its caret when blurred): close it.
  const focusHere = document.activeElement === a.el || a.el.contains(document.activeElement);
  if (!focusHere) {
    a.card?.close();
    a.card = null;
    return;
  }
  const f = findingAtCaret(a);
  if (a.card && a.card.finding === f) return;
  a.card?.close();
  a.card = null;
  if (!f) return;
  const card = showCard(f, rectOf(a, f), {
    onFix: (s) => applyFix(a, f, s),
    onDismiss: () => {
      a.dismissed.add(`${f.rule}\u0000${f.text}`);
      render(a);
    },
    onClose: () => {
      if (a.card === card) a.card = null;
    },
    onEscape: () => a.el.focus(),
  });
  card.finding = f;
  a.card = card;
}

/** Applies a fix once the editor's undo-merge window since the last keystroke is over. */
function applyFix(a, f, s) {
  const wait = a.lastInput + UNDO_MERGE_MS - performance.now();
  if (wait > 0) setTimeout(() => active === a && replaceSpan(a, f, s), wait);
  else replaceSpan(a, f, s);
}

/**
 * Replaces exactly the flagged span as the editor expects (fix.js), or refuses if the draft
 * changed since it was checked. The route taken and the outcome stay on the composer as
 * data-draftguard-fix and data-draftguard-fix-result, so support can see which way an
 * editor was fixed and whether it verified.
 */
async function replaceSpan(a, f, s) {
  const now = snapshot(a.el);
  if (now.text !== a.text || now.text.slice(f.start, f.end) !== f.text) {
    console.warn("draftguard: the draft changed since it was checked; not applying the fix");
    delete a.el.dataset.draftguardFix;
    a.el.dataset.draftguardFixResult = "stale";
    schedule();
    return false;
  }
  let result;
  try {
    result = await applyReplacement(a.el, now, s, () => snapshot(a.el).text);
  } catch (err) {
    console.warn("draftguard: could not apply the fix:", err);
    schedule();
    return false;
  }
  a.el.dataset.draftguardFix = result.path;
  a.el.dataset.draftguardFixResult = result.outcome;
  if (result.outcome !== "applied") {
    console.warn(`draftguard: the editor did not apply the fix as expected (${result.path}: ${result.outcome})`);
  }
  schedule();
  return result.outcome === "applied";
}

function blockingFindings(a) {
  return a.findings.filter((f) => f.mode === "enforce" && f.severity === "block");
}

/** Audit: a post that goes ahead with monitor-rule findings is a monitor hit. */
function wentAhead(a, findings) {
  const monitor = findings.filter((f) => f.mode === "monitor");
  if (monitor.length) report(auditEvent(a, "monitor", monitor));
}

function auditEvent(a, kind, findings, extra = {}) {
  const severity = ["block", "warn", "info"].find((s) => findings.some((f) => f.severity === s)) ?? null;
  return { kind, rules: [...new Set(findings.map((f) => f.rule))], severity, platform: a.platform, ...extra };
}

/** Decides, synchronously, whether a post attempt may go ahead. */
function interceptPost(event, resume) {
  const a = active;
  if (!a) return;
  if (a.allowOnce) {
    a.allowOnce = false;
    return;
  }
  if (!policy.usable) {
    // No usable policy: "closed" stops the post, "open" lets it through (the badge warns).
    if (policy.failMode === "closed") {
      event.preventDefault();
      event.stopImmediatePropagation();
      blockUnavailable(a);
    }
    return;
  }
  const text = snapshot(a.el).text;
  const known = text === a.text ? a.findings : cached(text, a.platform);
  if (known === undefined) {
    // Stale: stop this attempt, check now, and let it through if the draft is clean.
    event.preventDefault();
    event.stopImmediatePropagation();
    check(text, a.platform).then(
      (fs) => {
        a.text = text;
        a.findings = fs;
        a.map = snapshot(a.el).map;
        render(a);
        if (blockingFindings(a).length === 0) {
          a.allowOnce = true;
          wentAhead(a, fs);
          resume();
        } else block(a, resume);
      },
      (err) => {
        if (!(err instanceof PolicyUnavailable)) throw err;
        setPolicy(err.state);
        if (policy.failMode === "closed") blockUnavailable(a);
        else {
          a.allowOnce = true;
          resume();
        }
      },
    );
    return;
  }
  if (known.some((f) => f.mode === "enforce" && f.severity === "block")) {
    event.preventDefault();
    event.stopImmediatePropagation();
    block(a, resume);
  } else {
    wentAhead(a, known);
  }
}

/** Fail mode "closed" with no usable policy: the post is stopped, and nothing else offered. */
function blockUnavailable(a) {
  report({ kind: "blocked", rules: [], severity: null, platform: a.platform, reason: "no-policy" });
  showUnavailableDialog(unavailableNotice(policy).text, { onEdit: () => a.el.focus() });
}

function block(a, resume) {
  const blocking = blockingFindings(a);
  report(auditEvent(a, "blocked", blocking));
  showBlockDialog(blocking, override, {
    onEdit: () => {
      const first = a.shown.find((f) => f.severity === "block");
      a.el.focus();
      if (first && isTextarea(a.el)) a.el.setSelectionRange(first.start, first.end);
      else if (first) {
        const i = a.shown.indexOf(first);
        const sel = getSelection();
        sel.removeAllRanges();
        sel.addRange(a.ranges[i]);
      }
    },
    onPostAnyway: (justification) => {
      report(auditEvent(a, "override", blocking, { justification }));
      wentAhead(a, a.findings);
      a.allowOnce = true;
      resume();
    },
  });
}

function onClick(e) {
  const a = active;
  if (!a || !(e.target instanceof Element)) return;
  const button = e.target.closest("button, [role='button'], input[type='submit']");
  if (button && isPostButton(adapter, button, matches)) interceptPost(e, () => button.click());
}

function onKeydown(e) {
  const a = active;
  if (!a || (!a.el.contains(e.target) && e.target !== a.el)) return;
  if (e.altKey && e.key === "Enter" && a.card) {
    // Keyboard users reach the card's buttons with Alt+Enter; Escape comes back.
    e.preventDefault();
    e.stopImmediatePropagation();
    a.card.focusFirst();
    return;
  }
  if (isSubmitKey(adapter, e)) {
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
    interceptPost(e, () => {
      restore();
      (a.el.contains(e.target) ? e.target : a.el).dispatchEvent(new KeyboardEvent("keydown", init));
    });
  }
}

/** Remembers the composer's selection; the returned function focuses and restores it. */
function saveSelection(a) {
  if (isTextarea(a.el)) {
    const [start, end] = [a.el.selectionStart, a.el.selectionEnd];
    return () => {
      a.el.focus();
      a.el.setSelectionRange(start, end);
    };
  }
  const sel = getSelection();
  const range = sel?.rangeCount && a.el.contains(sel.anchorNode) ? sel.getRangeAt(0).cloneRange() : null;
  return () => {
    a.el.focus();
    if (range) {
      const s = getSelection();
      s.removeAllRanges();
      s.addRange(range);
    }
  };
}

function onSubmit(e) {
  const a = active;
  if (!a || !(e.target instanceof HTMLFormElement) || !e.target.contains(a.el)) return;
  const form = e.target;
  interceptPost(e, () => form.requestSubmit());
}

/** Whether draftguard runs here: the admin's enabledSites, and the sites the user switched
 * off in the toolbar popup (`chrome.storage.local`) while the admin allows that. */
let enabled = true;
let adminEnabled = true;
const site = location.hostname;

async function loadEnabled() {
  const disabledSites = await readStored(chrome.storage.local, STORAGE.disabledSites);
  adminEnabled = siteEnabled(policy.enabledSites, site);
  enabled = runsOn(policy, disabledSites, site);
  if (!enabled) detach();
}

/** A new policy state from the worker: a changed policy empties the cache and checks the
 * open composer again, so a tab follows the policy in force without a reload. */
function setPolicy(next) {
  const before = policy;
  policy = next;
  override = next.override;
  const changed =
    before && (before.stamp !== next.stamp || before.usable !== next.usable || before.failMode !== next.failMode);
  if (changed) clearCache();
  loadEnabled().then(() => {
    if (changed && active) {
      active.findings = [];
      active.text = null;
      runCheck();
    }
  });
}

/** Answers the toolbar popup: this site, whether it is on, and what is flagged now. */
function status() {
  const shown = active?.shown ?? [];
  return {
    site,
    enabled,
    platform: platformOf(adapter),
    findings: shown.map((f) => ({ rule: f.rule, severity: f.severity, message: f.message, text: f.text })),
    adminEnabled,
    userMaySwitch: policy.allowUserDisable,
  };
}

export async function start() {
  policy = await readPolicyState();
  override = policy.override;
  await loadEnabled();
  watchPolicyState(setPolicy);
  watchStored([STORAGE.disabledSites], () => {
    loadEnabled();
  });
  chrome.runtime.onMessage.addListener((msg, _sender, sendResponse) => {
    if (msg?.type === MSG.tabStatus) sendResponse(status());
  });
  const url = chrome.runtime.getURL("src/adapters.json");
  const { adapters } = await (await fetch(url)).json();
  adapter = matchAdapter(adapters, { hostname: location.hostname, hasSelector: (s) => !!document.querySelector(s) });
  document.addEventListener(
    "focusin",
    (e) => {
      const el = enabled && composerOf(e.target);
      if (el) attach(el);
    },
    true,
  );
  document.addEventListener("selectionchange", () => explain());
  document.addEventListener("click", onClick, true);
  document.addEventListener("keydown", onKeydown, true);
  document.addEventListener("submit", onSubmit, true);
  const focused = enabled && composerOf(document.activeElement);
  if (focused) attach(focused);
}
