// The content script's orchestration: picks the site adapter (adapters.js), follows the
// composer the user is in (composer.js), checks its draft after a short debounce through
// the worker's engine (engine-client.js), underlines what is shown (highlight.js), opens
// the card when the caret enters a finding (ui/card.js), applies fixes (fix.js), and
// hands post attempts to the post guard (post-guard.js). Beside the badge, a button
// (library-button.js) opens the policy's approved posts for this platform
// (ui/library-card.js); one is inserted the way fixes are applied, its first placeholder
// selected, and the draft checked again like any other. It follows the policy state the
// worker publishes (policy-state.js): a new policy empties the cache and checks the open
// composer again; a site switched off is left alone. The draft only ever goes to the
// extension's own engine.

import { insertion, placeholderSpan } from "../shared/library.js";
import { askWorker, DEFAULT_CONTENT_STATE, MSG, readStored, STORAGE, watchStored } from "../shared/protocol.js";
import { showCard } from "../ui/card.js";
import { showLibrary } from "../ui/library-card.js";
import { isComposer, platformOf, selectPatchedAdapter } from "./adapters.js";
import { caretOffsets, draftOf, findingAtCaret, isTextarea, newComposer, rectOf, selectSpan } from "./composer.js";
import { deepActiveElement, eventTarget } from "./dom.js";
import { check, clearCache, PolicyUnavailable, report } from "./engine-client.js";
import { dismissKey, shownFindings } from "./findings.js";
import { applyReplacement } from "./fix.js";
import { Badge, DRAW_ALL, RangePainter, TextareaOverlay } from "./highlight.js";
import { LibraryButton } from "./library-button.js";
import { readPolicyState, runsOn, unavailableNotice, watchPolicyState } from "./policy-state.js";
import { guardPosts } from "./post-guard.js";
import { watchReach } from "./reach.js";
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
/** The built-in adapters (adapters.json) and the platform ids the engine knows, once read. */
let builtins = /** @type {{ doc: unknown, platforms: string[] | undefined } | null} */ (null);
/** The worker's policy state (policy-state.js). */
let policy = DEFAULT_CONTENT_STATE;
/** The composer being edited, and what we know about it. */
let active = /** @type {Composer | null} */ (null);
/** Whether draftguard runs here: the admin's enabledSites, and the sites the user switched
 * off in the toolbar popup while the admin allows that. */
let enabled = true;
let adminEnabled = true;
const site = location.hostname;
/** The post guard (post-guard.js), once started. @type {ReturnType<typeof guardPosts> | null} */
let guard = null;

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

/** Resolves in a later task, letting the page handle input and paint in between. */
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

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
  // The task's own part (reading the draft, sending it to the worker) is measured apart
  // from the wait for the answer, so that the page's timeline shows what it held.
  const answer = check(draft.text, a.platform);
  performance.measure("draftguard:send", { start: t0 });
  try {
    findings = await answer;
  } catch (err) {
    if (!(err instanceof PolicyUnavailable)) {
      console.warn("draftguard:", err);
      return;
    }
    setPolicy(err.state);
    findings = []; // nothing to underline; the badge shows the fail mode's warning
  }
  // Many findings (a long paste): receiving them, reading the draft again and showing them
  // are tasks of their own, so that none holds the page for long.
  const many = findings.length > DRAW_ALL;
  if (many) await nextTask();
  if (active !== a) return;
  const t1 = performance.now();
  if (draftOf(a.el).text !== draft.text) return schedule(); // typed meanwhile: check again
  performance.measure("draftguard:reread", { start: t1 });
  if (many) await nextTask();
  if (active !== a) return;
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
  guard?.watch(el.getRootNode());
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
    // Where the employee was, for an approved post chosen after the focus moved on.
    focusout: () => {
      a.caret = caretOffsets(el);
    },
  };
  for (const [k, f] of Object.entries(a.listeners)) el.addEventListener(k, f);
  runCheck();
  loadLibrary(a);
}

/**
 * Asks the worker for the approved posts offered on this composer's platform today and
 * shows the button beside the badge when there are any.
 * @param {Composer} a
 */
async function loadLibrary(a) {
  let res;
  try {
    res = await askWorker({ type: MSG.library, platform: a.platform, now: Date.now() });
  } catch (err) {
    console.warn("draftguard: could not load the approved posts:", err);
    return;
  }
  if (active !== a || !res?.ok) return;
  a.entries = res.entries;
  // No button at all until there is something to offer.
  if (a.entries.length) a.libraryButton ??= new LibraryButton(a.el, () => openLibrary(a));
  a.libraryButton?.show(a.entries.length);
}

/**
 * Opens the approved posts beside the composer.
 * @param {Composer} a
 */
function openLibrary(a) {
  if (a.library) return a.library.close();
  const caret =
    (a.el === document.activeElement || a.el.contains(document.activeElement) ? caretOffsets(a.el) : null) ?? a.caret;
  a.card?.close();
  a.card = null;
  const list = showLibrary(a.entries, a.el.getBoundingClientRect(), {
    onInsert: (entry) => insertEntry(a, entry, caret),
    onCopy: (entry) => copyEntry(a, entry, "The post is copied: paste it with Ctrl+V."),
    onClose: () => {
      if (a.library === list) a.library = null;
    },
    onEscape: () => a.el.focus(),
  });
  a.library = list;
}

/**
 * Puts an approved post into the composer the way fixes are applied (undo-safe: one
 * Ctrl+Z takes it out), at the caret or over an empty draft, then selects its first
 * placeholder. An editor that refuses the text gets it on the clipboard instead.
 * @param {Composer} a
 * @param {import("../shared/protocol.js").LibraryEntry} entry
 * @param {[number, number] | null} caret
 */
async function insertEntry(a, entry, caret) {
  const wait = a.lastInput + UNDO_MERGE_MS - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  if (active !== a) return;
  const now = draftOf(a.el);
  const plan = insertion(now.text, caret, entry.text);
  let result;
  try {
    result = await applyReplacement(a.el, now, plan, () => draftOf(a.el).text);
  } catch (err) {
    console.warn("draftguard: could not insert the approved post:", err);
    result = { path: "execCommand", outcome: "declined" };
  }
  a.el.dataset.draftguardLibrary = `${result.path}:${result.outcome}`;
  if (result.outcome !== "applied") {
    await copyEntry(a, entry, "This editor did not take the text, so it is copied: paste it with Ctrl+V.");
    schedule();
    return;
  }
  a.library?.close();
  const span = placeholderSpan(entry, plan.start);
  if (span) selectSpan(a.el, span.start, span.end);
  else a.el.focus();
  audit(a, entry, "insert");
  schedule();
}

/**
 * Copies an approved post to the clipboard, and says so in the open list.
 * @param {Composer} a
 * @param {import("../shared/protocol.js").LibraryEntry} entry
 * @param {string} note
 */
async function copyEntry(a, entry, note) {
  try {
    await navigator.clipboard.writeText(entry.text);
    a.library?.notice(note);
    audit(a, entry, "copy");
  } catch (err) {
    a.library?.notice("The post could not be copied; select its text in the preview and copy it.");
    console.warn("draftguard: could not copy the approved post:", err);
  }
}

/**
 * Records that an approved post was used: its id, never its text.
 * @param {Composer} a
 * @param {import("../shared/protocol.js").LibraryEntry} entry
 * @param {"insert" | "copy"} action
 */
function audit(a, entry, action) {
  report({ kind: "library-used", rules: [], severity: null, platform: a.platform, entry: entry.id, action });
}

function detach() {
  const a = active;
  if (!a) return;
  clearTimeout(a.timer);
  for (const [k, f] of Object.entries(a.listeners)) a.el.removeEventListener(k, f);
  a.overlay?.destroy();
  a.badge?.destroy();
  a.painter?.destroy();
  a.libraryButton?.destroy();
  a.library?.close();
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
  const focused = deepActiveElement();
  const focusHere = focused === a.el || a.el.contains(focused);
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
  const target = /** @type {Node} */ (eventTarget(e));
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
  if (JSON.stringify(before.adapters) !== JSON.stringify(next.adapters)) applyAdapters();
  loadEnabled().then(() => {
    if (changed && active) {
      active.findings = [];
      active.text = null;
      runCheck();
      loadLibrary(active); // the new policy's approved posts
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
 * Reads the built-in adapters and the platforms the engine knows, then picks this site's
 * adapter (applyAdapters).
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
  builtins = { doc, platforms: known.platforms };
  applyAdapters(false);
}

/**
 * Picks this site's adapter from adapters.json with the policy's adapters laid over it by
 * id, checking each adapter, its platform against the engine's (platforms.json, written by
 * the build). A bad adapter for this site is an error in the page's console and in the
 * popup, and the site is checked with the adapter it would get without it. When a new
 * policy brings another adapter for this site, the composer in use is looked at again:
 * the one the user is in may be a composer only now (or no longer), with no reload.
 * @param {boolean} [reattach]  false at start, before any composer is attached
 */
function applyAdapters(reattach = true) {
  if (!builtins) return;
  const picked = selectPatchedAdapter(builtins.doc, policy.adapters, {
    hostname: site,
    hasSelector: (s) => !!document.querySelector(s),
    platforms: builtins.platforms,
  });
  const before = adapter;
  adapter = picked.adapter;
  for (const p of picked.problems) if (!adapterProblems.includes(p)) console.error(`draftguard: ${p}`);
  adapterProblems = picked.problems;
  if (!reattach || JSON.stringify(before) === JSON.stringify(adapter)) return;
  detach();
  const focused = enabled && composerOf(document.activeElement);
  if (focused) attach(focused);
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
      const el = enabled && composerOf(eventTarget(e));
      if (el) attach(el);
    },
    true,
  );
  watchReach({ enabled: () => enabled });
  document.addEventListener("selectionchange", () => explain());
  // The card's key goes first: Alt+Enter with a card open is never a post.
  document.addEventListener("keydown", onKeydown, true);
  guard = guardPosts({
    adapter: () => adapter,
    matches,
    active: () => active,
    policy: () => policy,
    checkNow,
    onUnavailable: setPolicy,
  });
  const focused = enabled && composerOf(deepActiveElement());
  if (focused) attach(focused);
}
