// The content script's orchestration: picks the site adapter (adapters.js), follows the
// composer the user is in (composer.js), checks its draft after a short debounce through
// the worker's engine (engine-client.js), underlines what is shown (highlight.js), opens
// the card when the caret enters a finding (ui/card.js), applies fixes (fix.js), and
// hands post attempts to the post guard (post-guard.js). It follows the policy state the
// worker publishes (policy-state.js): a new policy empties the cache and checks the open
// composer again; a site switched off is left alone. The draft only ever goes to the
// extension's own engine.

import { DEFAULT_CONTENT_STATE, MSG, readStored, STORAGE, watchStored } from "../shared/protocol.js";
import { showCard } from "../ui/card.js";
import { isComposer, platformOf, selectAdapter } from "./adapters.js";
import { draftOf, findingAtCaret, isTextarea, newComposer, rectOf } from "./composer.js";
import { check, clearCache, PolicyUnavailable } from "./engine-client.js";
import { dismissKey, shownFindings } from "./findings.js";
import { applyReplacement } from "./fix.js";
import { Badge, RangePainter, TextareaOverlay } from "./highlight.js";
import { readPolicyState, runsOn, unavailableNotice, watchPolicyState } from "./policy-state.js";
import { guardPosts } from "./post-guard.js";
import { siteEnabled } from "./sites.js";
import { FindingIndex } from "./window.js";

/** @typedef {import("./composer.js").Composer} Composer */
/** @typedef {import("../shared/protocol.js").Finding} Finding */
/** @typedef {import("../shared/protocol.js").ContentState} ContentState */

const DEBOUNCE_MS = 120;
/** Some editors merge edits made within this long into one undo step (Quill: 1 s), so a
 * fix waits until this long after the last keystroke to stay its own step for Ctrl+Z. */
const UNDO_MERGE_MS = 1000;

/** The site adapter (null: none matched and there is no generic one). */
let adapter = /** @type {import("./adapters.js").Adapter | null} */ (null);
/** What is wrong with the site adapters that should have served this page. */
let adapterProblems = /** @type {string[]} */ ([]);
/** The worker's policy state (policy-state.js). */
let policy = DEFAULT_CONTENT_STATE;
/** The composer being edited, and what we know about it. */
let active = /** @type {Composer | null} */ (null);
/** Whether draftguard runs here: the admin's enabledSites, and the sites the user switched
 * off in the toolbar popup while the admin allows that. */
let enabled = true;
let adminEnabled = true;
const site = location.hostname;

/** `el.matches(selector)`, false for a selector this browser rejects. */
const matches = (/** @type {Element} */ el, /** @type {string} */ selector) => {
  try {
    return el.matches(selector);
  } catch {
    return false;
  }
};

/**
 * The composer `target` is in, if the adapter counts it as one: the outermost
 * contenteditable ancestor, or the text field.
 * @param {EventTarget | null} target
 * @returns {HTMLElement | null}
 */
function composerOf(target) {
  let el = target instanceof Element ? target : /** @type {Node | null} */ (target)?.parentElement;
  if (el && !isTextarea(el)) {
    while (el?.parentElement?.isContentEditable) el = el.parentElement;
  }
  if (!(el instanceof HTMLElement) || !(isTextarea(el) || el.isContentEditable)) return null;
  return isComposer(adapter, el, matches) ? el : null;
}

/**
 * Keeps a check's result on the composer and shows it.
 * @param {Composer} a
 * @param {ReturnType<typeof draftOf>} draft  the draft that was checked
 * @param {Finding[]} findings
 */
function settle(a, draft, findings) {
  a.text = draft.text;
  a.map = draft.map;
  a.findings = findings;
  render(a);
}

/** The debounced check of the active composer's draft. */
async function runCheck() {
  const a = active;
  if (!a || a.composing) return;
  // User Timing marks (visible to the page's performance timeline, never sent anywhere)
  // let `make roundtrip-bench` and DevTools measure extract → engine → underline.
  const t0 = performance.now();
  const draft = draftOf(a.el);
  /** @type {Finding[]} */
  let findings;
  try {
    findings = await check(draft.text, a.platform);
  } catch (err) {
    if (!(err instanceof PolicyUnavailable)) {
      console.warn("draftguard:", err);
      return;
    }
    setPolicy(err.state);
    findings = []; // nothing to underline; the badge shows the fail mode's warning
  }
  if (active !== a) return;
  if (draftOf(a.el).text !== draft.text) return schedule(); // typed meanwhile: check again
  settle(a, draft, findings);
  performance.measure("draftguard:check", { start: t0 });
}

/**
 * Checks the composer's draft now and shows the result (the post guard, on a stale one).
 * @param {Composer} a
 */
async function checkNow(a) {
  const draft = draftOf(a.el);
  const findings = await check(draft.text, a.platform);
  settle(a, draft, findings);
  return findings;
}

/** @param {Composer} a */
function render(a) {
  const t0 = performance.now();
  a.index = new FindingIndex(shownFindings(a.findings, a.dismissed));
  const shown = a.index.items;
  if (isTextarea(a.el)) {
    a.overlay ??= new TextareaOverlay(a.el);
    a.overlay.paint(a.text ?? "", shown);
  } else {
    a.painter ??= new RangePainter(a.el);
    a.painter.paint(shown, a.map);
  }
  a.shown = shown;
  a.el.dataset.draftguardCount = String(shown.length);
  a.el.setAttribute("aria-description", `draftguard: ${shown.length} issue${shown.length === 1 ? "" : "s"}`);
  a.badge ??= new Badge(a.el);
  a.badge.show(shown, unavailableNotice(policy));
  performance.measure("draftguard:render", { start: t0 });
}

function schedule() {
  const a = active;
  if (!a) return;
  clearTimeout(a.timer);
  a.timer = setTimeout(runCheck, DEBOUNCE_MS);
}

/** @param {HTMLElement} el */
function attach(el) {
  if (active?.el === el) return;
  detach();
  const a = newComposer(el, platformOf(adapter));
  active = a;
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
  a.painter?.destroy();
  a.card?.close();
  active = null;
}

/** Opens the card for the finding under the caret, and closes it when the caret leaves. */
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
  // Escape closed this finding's card: it stays closed until the caret leaves the finding
  // (Firefox reports a selection change when the focus returns to a textarea).
  if (f !== a.escaped) a.escaped = null;
  if (f && f === a.escaped) return;
  if (a.card && a.card.finding === f) return;
  a.card?.close();
  a.card = null;
  if (!f) return;
  const card = showCard(f, rectOf(a, f), {
    onFix: (s) => applyFix(a, f, s),
    onDismiss: () => {
      a.dismissed.add(dismissKey(f));
      render(a);
    },
    onClose: () => {
      if (a.card === card) a.card = null;
    },
    onEscape: () => {
      a.escaped = f;
      a.el.focus();
    },
  });
  a.card = Object.assign(card, { finding: f });
}

/**
 * Applies a fix once the editor's undo-merge window since the last keystroke is over.
 * @param {Composer} a
 * @param {Finding} f
 * @param {import("../shared/protocol.js").Suggestion} s
 */
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
 * @param {Composer} a
 * @param {Finding} f
 * @param {import("../shared/protocol.js").Suggestion} s
 */
async function replaceSpan(a, f, s) {
  const now = draftOf(a.el);
  if (now.text !== a.text || now.text.slice(f.start, f.end) !== f.text) {
    console.warn("draftguard: the draft changed since it was checked; not applying the fix");
    delete a.el.dataset.draftguardFix;
    a.el.dataset.draftguardFixResult = "stale";
    schedule();
    return false;
  }
  let result;
  try {
    result = await applyReplacement(a.el, now, s, () => draftOf(a.el).text);
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

/** Keyboard users reach the open card's buttons with Alt+Enter; Escape comes back. */
function onKeydown(/** @type {KeyboardEvent} */ e) {
  const a = active;
  const target = /** @type {Node} */ (e.target);
  if (!a?.card || (!a.el.contains(target) && target !== a.el)) return;
  if (e.altKey && e.key === "Enter") {
    e.preventDefault();
    e.stopImmediatePropagation();
    a.card.focusFirst();
  }
}

async function loadEnabled() {
  const disabledSites = await readStored(chrome.storage.local, STORAGE.disabledSites);
  adminEnabled = siteEnabled(policy.enabledSites, site);
  enabled = runsOn(policy, disabledSites, site);
  if (!enabled) detach();
}

/**
 * A new policy state from the worker: a changed policy empties the cache and checks the
 * open composer again, so a tab follows the policy in force without a reload.
 * @param {ContentState} next
 */
function setPolicy(next) {
  const before = policy;
  policy = next;
  const changed = before.stamp !== next.stamp || before.usable !== next.usable || before.failMode !== next.failMode;
  if (changed) clearCache();
  loadEnabled().then(() => {
    if (changed && active) {
      active.findings = [];
      active.text = null;
      runCheck();
    }
  });
}

/**
 * Answers the toolbar popup: this site, whether it is on, and what is flagged now.
 * @returns {import("../shared/protocol.js").TabStatus}
 */
function status() {
  const shown = active?.shown ?? [];
  return {
    site,
    enabled,
    platform: platformOf(adapter),
    findings: shown.map((f) => ({ rule: f.rule, severity: f.severity, message: f.message, text: f.text })),
    adminEnabled,
    userMaySwitch: policy.allowUserDisable,
    adapterProblems,
  };
}

/** Reads a JSON file of the extension. */
async function extensionJson(/** @type {string} */ file) {
  return (await fetch(chrome.runtime.getURL(file))).json();
}

/**
 * Picks this site's adapter from adapters.json, checking each adapter, its platform
 * against the engine's (platforms.json, written by the build). A bad adapter for this
 * site is an error in the page's console and in the popup, and the site is checked with
 * the generic adapter instead.
 */
async function loadAdapter() {
  const [doc, known] = await Promise.all([
    extensionJson("src/adapters.json"),
    extensionJson("src/platforms.json").catch((err) => {
      console.error(
        "draftguard: src/platforms.json is missing from the build; adapters' platforms are not checked:",
        err,
      );
      return { platforms: undefined };
    }),
  ]);
  const picked = selectAdapter(doc, {
    hostname: site,
    hasSelector: (s) => !!document.querySelector(s),
    platforms: known.platforms,
  });
  adapter = picked.adapter;
  adapterProblems = picked.problems;
  for (const p of adapterProblems) console.error(`draftguard: ${p}`);
}

export async function start() {
  policy = await readPolicyState();
  await loadEnabled();
  watchPolicyState(setPolicy);
  watchStored([STORAGE.disabledSites], () => {
    loadEnabled();
  });
  chrome.runtime.onMessage.addListener((msg, _sender, sendResponse) => {
    if (msg?.type === MSG.tabStatus) sendResponse(status());
  });
  await loadAdapter();
  document.addEventListener(
    "focusin",
    (e) => {
      const el = enabled && composerOf(e.target);
      if (el) attach(el);
    },
    true,
  );
  document.addEventListener("selectionchange", () => explain());
  // The card's key goes first: Alt+Enter with a card open is never a post.
  document.addEventListener("keydown", onKeydown, true);
  guardPosts({ adapter, matches, active: () => active, policy: () => policy, checkNow, onUnavailable: setPolicy });
  const focused = enabled && composerOf(document.activeElement);
  if (focused) attach(focused);
}
