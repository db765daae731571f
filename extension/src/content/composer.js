// One composer (a textarea, or the root of a contenteditable editor) and what draftguard
// knows about it: the draft as last checked, the findings and which of them are shown,
// their DOM ranges, and the caret and selection work the card, the block dialog and a
// replayed post need. Nothing here decides anything: main.js and post-guard.js do.

import { selectionFor } from "./dom.js";
import { rangeFor } from "./highlight.js";
import { domRange, extractText, textareaText, textOffset } from "./textmap.js";
import { FindingIndex } from "./window.js";

/** @typedef {import("../shared/protocol.js").Finding} Finding */

/**
 * @typedef {object} Composer
 * @property {HTMLElement} el  the editable root
 * @property {string} platform  the platform id the site's adapter names
 * @property {string | null} text  the draft as last checked (null: not checked yet)
 * @property {import("./textmap.js").TextMap | null} map  offsets → DOM positions (contenteditable)
 * @property {Finding[]} findings  every finding of the last check, all modes
 * @property {Finding[]} shown  the findings underlined: enforced, not dismissed
 * @property {FindingIndex<Finding>} index  the shown findings by start, for lookups by offset
 * @property {import("./highlight.js").RangePainter | null} painter  draws a contenteditable's underlines
 * @property {Set<string>} dismissed  dismissal keys (findings.js)
 * @property {boolean} composing  an IME composition is in progress
 * @property {import("./highlight.js").TextareaOverlay | null} overlay
 * @property {import("./highlight.js").Badge | null} badge
 * @property {(ReturnType<typeof import("../ui/card.js").showCard> & { finding?: Finding }) | null} card
 * @property {Finding | null} escaped  the finding whose card Escape closed: it stays closed while the caret is on it
 * @property {ReturnType<typeof setTimeout> | undefined} timer  the debounced check
 * @property {boolean} allowOnce  a decided post attempt is being replayed: its events go ahead unchecked
 * @property {number} lastInput  performance.now() of the last keystroke
 * @property {Record<string, EventListener>} listeners
 * @property {[number, number] | null} caret  the last selection seen in the composer (UTF-16 offsets into its draft)
 * @property {import("./library-button.js").LibraryButton | null} libraryButton
 * @property {import("../shared/protocol.js").LibraryEntry[]} entries  the approved posts offered here
 * @property {ReturnType<typeof import("../ui/library-card.js").showLibrary> | null} library  the open list
 */

/**
 * A composer record for `el`, nothing checked yet.
 * @param {HTMLElement} el
 * @param {string} platform
 * @returns {Composer}
 */
export function newComposer(el, platform) {
  return {
    el,
    platform,
    text: null,
    map: null,
    findings: [],
    shown: [],
    index: new FindingIndex([]),
    painter: null,
    dismissed: new Set(),
    composing: false,
    overlay: null,
    badge: null,
    card: null,
    escaped: null,
    timer: undefined,
    allowOnce: false,
    lastInput: 0,
    listeners: {},
    caret: null,
    libraryButton: null,
    entries: [],
    library: null,
  };
}

/**
 * Whether `el` is a text field (its text is its value) rather than a contenteditable.
 * @param {unknown} el
 * @returns {el is HTMLTextAreaElement | HTMLInputElement}
 */
export const isTextarea = (el) => el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement;

/**
 * The draft in `el` as the engine sees it, plus what maps findings back to the DOM.
 * @param {HTMLElement} el
 * @returns {{ text: string, map: import("./textmap.js").TextMap | null }}
 */
export function draftOf(el) {
  if (isTextarea(el)) return { text: textareaText(el.value), map: null };
  const { text, map } = extractText(el);
  return { text, map };
}

/**
 * The shown finding under the caret, if any.
 * @param {Composer} a
 * @returns {Finding | undefined}
 */
export function findingAtCaret(a) {
  const el = a.el;
  if (isTextarea(el)) {
    if (el.selectionStart !== el.selectionEnd) return undefined;
    return a.index.at(el.selectionStart ?? 0);
  }
  const sel = selectionFor(el);
  if (!sel?.rangeCount || !el.contains(sel.anchorNode) || !a.map) return undefined;
  const at = textOffset(a.map, sel.anchorNode, sel.anchorOffset);
  return at === null ? undefined : a.index.at(at);
}

/**
 * The DOM range of a shown finding (contenteditable), or null if the draft changed under it.
 * @param {Composer} a
 * @param {Finding} f
 */
function rangeOf(a, f) {
  if (!a.map) return null;
  try {
    return rangeFor(f, a.map);
  } catch {
    return null;
  }
}

/**
 * Where a shown finding is on screen (the composer's box for a textarea).
 * @param {Composer} a
 * @param {Finding} f
 * @returns {DOMRect}
 */
export function rectOf(a, f) {
  if (!isTextarea(a.el)) {
    const r = rangeOf(a, f)?.getClientRects?.()[0];
    if (r) return r;
  }
  return a.el.getBoundingClientRect();
}

/**
 * Focuses the composer and selects a shown finding's span.
 * @param {Composer} a
 * @param {Finding} f
 */
export function selectFinding(a, f) {
  const el = a.el;
  el.focus();
  if (isTextarea(el)) {
    el.setSelectionRange(f.start, f.end);
    return;
  }
  const range = rangeOf(a, f);
  const sel = selectionFor(el);
  if (!range || !sel) return;
  sel.removeAllRanges();
  sel.addRange(range);
}

/**
 * Remembers the composer's selection; the returned function focuses the composer and
 * restores it.
 * @param {Composer} a
 * @returns {() => void}
 */
export function saveSelection(a) {
  const el = a.el;
  if (isTextarea(el)) {
    const [start, end] = [el.selectionStart, el.selectionEnd];
    return () => {
      el.focus();
      el.setSelectionRange(start, end);
    };
  }
  const sel = selectionFor(el);
  const range = sel?.rangeCount && el.contains(sel.anchorNode) ? sel.getRangeAt(0).cloneRange() : null;
  return () => {
    el.focus();
    const s = selectionFor(el);
    if (range && s) {
      s.removeAllRanges();
      s.addRange(range);
    }
  };
}

/**
 * The composer's selection as UTF-16 offsets into its draft, or null when the selection
 * is not in it.
 * @param {HTMLElement} el
 * @returns {[number, number] | null}
 */
export function caretOffsets(el) {
  // A text field keeps its selection when it loses focus.
  if (isTextarea(el)) return [el.selectionStart ?? 0, el.selectionEnd ?? 0];
  const sel = getSelection();
  if (!sel?.rangeCount || !el.contains(sel.anchorNode) || !el.contains(sel.focusNode)) return null;
  const { map } = extractText(el);
  const a = textOffset(map, /** @type {Node} */ (sel.anchorNode), sel.anchorOffset);
  const b = textOffset(map, /** @type {Node} */ (sel.focusNode), sel.focusOffset);
  return a === null || b === null ? null : [Math.min(a, b), Math.max(a, b)];
}

/**
 * Focuses the composer and selects start..end of its draft.
 * @param {HTMLElement} el
 * @param {number} start
 * @param {number} end
 */
export function selectSpan(el, start, end) {
  el.focus();
  if (isTextarea(el)) {
    el.setSelectionRange(start, end);
    return;
  }
  const r = domRange(extractText(el).map, start, end);
  const range = document.createRange();
  range.setStart(r.startNode, r.startOffset);
  range.setEnd(r.endNode, r.endOffset);
  const sel = getSelection();
  sel?.removeAllRanges();
  sel?.addRange(range);
}
