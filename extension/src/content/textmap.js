// Turns a composer into the plain text the engine checks, and maps UTF-16
// offsets in that text back to DOM positions (and DOM positions back to offsets).
//
// Written against the minimal DOM interface (nodeType, nodeName, data/nodeValue,
// childNodes, parentNode, getAttribute) so it runs on real pages and on plain-object trees.
//
// Rules for contenteditable roots (extractText):
// - text nodes contribute their data with U+00A0 turned into U+0020 (same length);
//   zero-width characters are kept as they are;
// - <br> contributes "\n", except a <br> that ends a block (or the root): editors put one
//   there to give an empty line its height, so it only ends the line;
// - consecutive block elements are separated by one "\n" (never before the first line or
//   after the last), so `<p>a</p><p><br></p><p>b</p>` is "a\n\nb";
// - contenteditable="false" islands, [hidden], aria-hidden="true", display:none,
//   elements whose class names a placeholder, and script/style/template are skipped;
//   attribute values such as data-placeholder are never read;
// - whitespace-only text nodes between block elements (source formatting) are skipped.
//
// Every character of the text belongs to one segment: a text node, or a synthetic "\n".
// A synthetic "\n" spans from just after the preceding content (or from before the <br>
// it stands for) to the start of the next block (or just after the <br>).

/**
 * A node of a real DOM or of a plain-object tree: what is read is nodeType, nodeName,
 * data or nodeValue, childNodes, parentNode, getAttribute and style.
 * @typedef {any} DomNode
 */
/** A DOM position. @typedef {{ node: DomNode, offset: number }} DomPoint */
/**
 * One piece of the extracted text, `start..end` in it: a text node's data, or a synthetic
 * "\n" that spans from `before` to `after`. `key` orders it in the document.
 * @typedef {{ kind: "text" | "break", key: number, node: DomNode, before: DomPoint | null, after: DomPoint | null, start: number, end: number }} Segment
 */
/**
 * The map from offsets in an extracted text to DOM positions and back.
 * @typedef {object} TextMap
 * @property {string} text
 * @property {number} length
 * @property {DomNode} root
 * @property {Segment[]} segments
 * @property {number[]} starts  each segment's start, for binary search
 * @property {number[]} keys  each segment's document-order key
 * @property {Map<DomNode, { pre: number, post: number, leaf: boolean }>} order
 * @property {Map<DomNode, Segment>} textSegments
 */

import { lowerBound, upperBound } from "./window.js";

const TEXT_NODE = 3;
const ELEMENT_NODE = 1;
const DOCUMENT_FRAGMENT_NODE = 11;

const BLOCKS = new Set([
  "P",
  "DIV",
  "LI",
  "H1",
  "H2",
  "H3",
  "H4",
  "H5",
  "H6",
  "BLOCKQUOTE",
  "PRE",
  "UL",
  "OL",
  "TR",
  "SECTION",
  "ARTICLE",
  "TABLE",
  "THEAD",
  "TBODY",
  "TFOOT",
  "CAPTION",
  "HEADER",
  "FOOTER",
  "ASIDE",
  "NAV",
  "MAIN",
  "FIGURE",
  "FIGCAPTION",
  "ADDRESS",
  "DL",
  "DT",
  "DD",
  "HR",
  "DETAILS",
  "SUMMARY",
  "FIELDSET",
  "FORM",
]);
/** Containers whose whitespace-only text children are never rendered. */
const WHITESPACE_CONTAINERS = new Set(["UL", "OL", "TABLE", "THEAD", "TBODY", "TFOOT", "TR", "DL"]);
const NEVER_RENDERED = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT", "HEAD", "TITLE", "META", "LINK"]);

const NBSP_RE = /\u00A0/g;
const FORMATTING_WS_RE = /^[ \t\n\r\f]+$/;
const PLACEHOLDER_CLASS_RE = /placeholder/i;
const DISPLAY_NONE_RE = /(?:^|;)\s*display\s*:\s*none\s*(?:!important\s*)?(?:;|$)/i;

/**
 * Extracts the text of a contenteditable root.
 * @param {DomNode} root the editable element (or any node whose subtree to read)
 * @param {{ skip?: (element: DomNode) => boolean }} [opts] extra elements to leave out
 * @returns {{ text: string, map: TextMap }}
 */
export function extractText(root, opts = {}) {
  if (!root || typeof root !== "object") throw new TypeError("extractText: root must be a node");
  const extraSkip = typeof opts.skip === "function" ? opts.skip : null;

  /** @type {string[]} */
  const parts = [];
  /** @type {Segment[]} */
  const segments = [];
  /** node -> { pre, post, leaf } in document order; positions become comparable keys. */
  const order = new Map();
  const textSegments = new Map();
  let length = 0;
  let tick = 0;
  let lastChar = "";
  /** DOM position just after the last emitted node. @type {DomPoint | null} */
  let lastAfter = null;
  /** @type {{ key: number, node: DomNode, before: DomPoint | null, nextBlock: DomNode }| null} */
  let pendingSep = null;
  /** @type {{ key: number, node: DomNode, before: DomPoint | null, after: DomPoint | null } | null} */
  let pendingBr = null;

  /**
   * @param {any} seg  a Segment without its start and end yet
   * @param {string} str
   */
  function push(seg, str) {
    seg.start = length;
    length += str.length;
    seg.end = length;
    parts.push(str);
    segments.push(seg);
    lastChar = str[str.length - 1];
  }

  /**
   * Emits what is pending before content that sits at (parent, index).
   * @param {DomNode} parent
   * @param {number} index
   */
  function flush(parent, index) {
    if (pendingSep) {
      const s = pendingSep;
      pendingSep = null;
      const after = s.nextBlock ? { node: s.nextBlock, offset: 0 } : { node: parent, offset: index };
      push({ kind: "break", key: s.key, node: s.node, before: s.before, after }, "\n");
    }
    if (pendingBr) {
      const b = pendingBr;
      pendingBr = null;
      push({ kind: "break", key: b.key, node: b.node, before: b.before, after: b.after }, "\n");
    }
  }

  /**
   * A block starts or ends: the current line (if any) must end here.
   * @param {number} key
   * @param {DomNode} startingBlock
   */
  function boundary(key, startingBlock) {
    if (pendingBr) {
      // A <br> right before a block boundary only ends its line: it becomes the separator.
      const b = pendingBr;
      pendingBr = null;
      pendingSep = { key: b.key, node: b.node, before: b.before, nextBlock: null };
    } else if (!pendingSep && length > 0 && lastChar !== "\n") {
      pendingSep = { key, node: null, before: lastAfter, nextBlock: null };
    }
    if (startingBlock && pendingSep && !pendingSep.nextBlock) pendingSep.nextBlock = startingBlock;
  }

  /** @param {DomNode} node */
  function visitChildren(node) {
    const kids = node.childNodes || [];
    for (let i = 0; i < kids.length; i++) visit(kids[i], node, i);
  }

  /**
   * @param {DomNode} node
   * @param {DomNode} parent
   * @param {number} index
   */
  function visit(node, parent, index) {
    const pre = tick++;
    const type = node.nodeType;
    if (type === TEXT_NODE) {
      order.set(node, { pre, post: pre, leaf: true });
      const data = textOf(node);
      if (data.length === 0 || isFormattingWhitespace(data, parent, index)) return;
      flush(parent, index);
      const seg = { kind: "text", key: pre, node, before: null, after: null };
      push(seg, data.replace(NBSP_RE, " "));
      textSegments.set(node, seg);
      lastAfter = { node: parent, offset: index + 1 };
      return;
    }
    if (type !== ELEMENT_NODE && type !== DOCUMENT_FRAGMENT_NODE) {
      order.set(node, { pre, post: pre, leaf: true });
      return;
    }
    const name = nameOf(node);
    if (type === ELEMENT_NODE && isSkipped(node, name, extraSkip)) {
      order.set(node, { pre, post: tick++, leaf: true });
      return;
    }
    if (name === "BR") {
      order.set(node, { pre, post: tick++, leaf: true });
      flush(parent, index);
      const before = { node: parent, offset: index };
      const after = { node: parent, offset: index + 1 };
      pendingBr = { key: pre, node, before, after };
      lastAfter = after;
      return;
    }
    const block = BLOCKS.has(name);
    if (block) boundary(pre, node);
    visitChildren(node);
    const post = tick++;
    order.set(node, { pre, post, leaf: false });
    if (block) boundary(post, null);
  }

  const rootPre = tick++;
  if (root.nodeType === TEXT_NODE) {
    order.set(root, { pre: rootPre, post: rootPre, leaf: true });
    const data = textOf(root);
    if (data.length > 0) {
      const seg = { kind: "text", key: rootPre, node: root, before: null, after: null };
      push(seg, data.replace(NBSP_RE, " "));
      textSegments.set(root, seg);
    }
  } else {
    visitChildren(root);
    order.set(root, { pre: rootPre, post: tick++, leaf: false });
  }
  // Whatever is still pending ends the last line: nothing follows it.

  const text = parts.join("");
  const n = segments.length;
  const starts = new Array(n);
  const keys = new Array(n);
  for (let i = 0; i < n; i++) {
    starts[i] = segments[i].start;
    keys[i] = segments[i].key;
  }
  const map = { text, length: text.length, root, segments, starts, keys, order, textSegments };
  return { text, map };
}

/**
 * The DOM position of a UTF-16 offset in the extracted text.
 * At a boundary between two segments, 'forward' (default) picks the start of the next one
 * (what a range start wants) and 'backward' the end of the previous one (a range end).
 * @param {TextMap} map
 * @param {number} offset
 * @param {"forward" | "backward"} [affinity]
 * @returns {DomPoint}
 */
export function domPosition(map, offset, affinity = "forward") {
  checkOffset(map, offset, "offset");
  const { segments } = map;
  if (segments.length === 0) return { node: map.root, offset: 0 };
  if (offset === map.length || (affinity === "backward" && offset > 0)) {
    const seg = segments[segmentIndexAt(map, offset - 1)];
    return seg.kind === "text"
      ? { node: seg.node, offset: offset - seg.start }
      : { .../** @type {DomPoint} */ (seg.after) };
  }
  const seg = segments[segmentIndexAt(map, offset)];
  return seg.kind === "text"
    ? { node: seg.node, offset: offset - seg.start }
    : { .../** @type {DomPoint} */ (seg.before) };
}

/**
 * A DOM range covering the characters start..end of the extracted text, widened so that no
 * grapheme cluster (surrogate pair, combining marks, emoji ZWJ sequence, flag) is split.
 * The result fits document.createRange(), new StaticRange() and CSS highlights.
 * @param {TextMap} map
 * @param {number} start
 * @param {number} end
 * @returns {{ startNode: DomNode, startOffset: number, endNode: DomNode, endOffset: number }}
 */
export function domRange(map, start, end) {
  checkOffset(map, start, "start");
  checkOffset(map, end, "end");
  const snapped = snapRange(map.text, Math.min(start, end), Math.max(start, end));
  const a = domPosition(map, snapped.start, "forward");
  const b = snapped.end === snapped.start ? a : domPosition(map, snapped.end, "backward");
  return { startNode: a.node, startOffset: a.offset, endNode: b.node, endOffset: b.offset };
}

/**
 * The UTF-16 offset in the extracted text of a DOM position (e.g. a selection end), or
 * null when the position is outside the mapped root. Positions inside skipped islands map
 * to the offset just before the island; positions between a line's end and the next
 * line's start map to the nearest following character.
 * @param {TextMap} map
 * @param {DomNode} node
 * @returns {number | null}
 */
export function textOffset(map, node, offset = 0) {
  const seg = map.textSegments.get(node);
  if (seg) return seg.start + Math.max(0, Math.min(offset, seg.end - seg.start));
  let key;
  const entry = map.order.get(node);
  if (entry && !entry.leaf) {
    const kids = node.childNodes || [];
    const child = offset < kids.length ? map.order.get(kids[Math.max(0, offset)]) : null;
    key = child ? child.pre : entry.post;
  } else {
    let n = node;
    while (n && !map.order.has(n)) n = n.parentNode;
    const found = n && map.order.get(n);
    if (!found) return null;
    key = found.pre;
  }
  // First segment at or after the position in document order.
  const i = lowerBound(map.keys, key);
  return i === map.keys.length ? map.length : map.segments[i].start;
}

/**
 * Text of a textarea/input value as the engine sees it: U+00A0 → space, offsets unchanged.
 * @param {unknown} value
 */
export function textareaText(value) {
  return String(value ?? "").replace(NBSP_RE, " ");
}

/**
 * Widens start..end (UTF-16) outward to grapheme cluster boundaries of text.
 * @param {string} text
 * @param {number} start
 * @param {number} end
 */
export function snapRange(text, start, end) {
  let s = Math.max(0, Math.min(start, text.length));
  let e = Math.max(s, Math.min(end, text.length));
  while (!isGraphemeBoundary(text, s)) s--;
  while (!isGraphemeBoundary(text, e)) e++;
  return { start: s, end: e };
}

// ---- grapheme boundaries (the parts of UAX #29 that matter for highlighting) ----------

// biome-ignore lint/suspicious/noMisleadingCharacterClass: matched against one code point at a time, so ZWJ and marks are meant to stand alone
const EXTEND_RE = /^[\p{M}\u200C\u200D\p{Emoji_Modifier}\u{E0020}-\u{E007F}\u1160-\u11FF\uD7B0-\uD7FF]$/u;
const EXT_PICT_RE = /^\p{Extended_Pictographic}$/u;
const RI_RE = /^\p{Regional_Indicator}$/u;

/** @param {number} c */
function isControl(c) {
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029;
}

/**
 * The code point that ends at UTF-16 offset `i`, and where it starts.
 * @param {string} text
 * @param {number} i
 * @returns {{ cp: number, at: number }}
 */
function codePointBefore(text, i) {
  const lo = text.charCodeAt(i - 1);
  if (lo >= 0xdc00 && lo <= 0xdfff && i >= 2) {
    const hi = text.charCodeAt(i - 2);
    if (hi >= 0xd800 && hi <= 0xdbff) return { cp: /** @type {number} */ (text.codePointAt(i - 2)), at: i - 2 };
  }
  return { cp: lo, at: i - 1 };
}

/**
 * @param {string} text
 * @param {number} i
 */
function isGraphemeBoundary(text, i) {
  if (i <= 0 || i >= text.length) return true;
  const c = text.charCodeAt(i);
  const p = text.charCodeAt(i - 1);
  if (c >= 0xdc00 && c <= 0xdfff && p >= 0xd800 && p <= 0xdbff) return false;
  if (p === 0x0d && c === 0x0a) return false;
  if (isControl(p) || isControl(c)) return true;
  const ch = String.fromCodePoint(/** @type {number} */ (text.codePointAt(i)));
  if (EXTEND_RE.test(ch)) return false;
  const prev = codePointBefore(text, i);
  if (prev.cp === 0x200d && EXT_PICT_RE.test(ch)) {
    // GB11: ExtPict Extend* ZWJ × ExtPict
    let j = prev.at;
    while (j > 0) {
      const b = codePointBefore(text, j);
      const bch = String.fromCodePoint(b.cp);
      if (EXT_PICT_RE.test(bch)) return false;
      if (!EXTEND_RE.test(bch)) return true;
      j = b.at;
    }
    return true;
  }
  if (RI_RE.test(ch) && RI_RE.test(String.fromCodePoint(prev.cp))) {
    // GB12/13: flags pair up regional indicators from the start of the run.
    let count = 0;
    let j = i;
    while (j > 0) {
      const b = codePointBefore(text, j);
      if (!RI_RE.test(String.fromCodePoint(b.cp))) break;
      count++;
      j = b.at;
    }
    return count % 2 === 0;
  }
  return true;
}

// ---- helpers ---------------------------------------------------------------------------

/**
 * @param {TextMap} map
 * @param {number} offset
 */
function segmentIndexAt(map, offset) {
  // The last segment starting at or before `offset` (the first one if none does).
  return Math.max(0, upperBound(map.starts, offset) - 1);
}

/**
 * @param {TextMap} map
 * @param {number} value
 * @param {string} what
 */
function checkOffset(map, value, what) {
  if (!Number.isInteger(value) || value < 0 || value > map.length) {
    throw new RangeError(`${what} ${value} is outside the text (0..${map.length})`);
  }
}

/** @param {DomNode} node */
function textOf(node) {
  const data = node.data ?? node.nodeValue;
  return typeof data === "string" ? data : "";
}

/** @param {DomNode} node */
function nameOf(node) {
  return String(node.nodeName || "").toUpperCase();
}

/**
 * @param {DomNode} el
 * @param {string} name
 * @returns {string | null}
 */
function attr(el, name) {
  return typeof el.getAttribute === "function" ? el.getAttribute(name) : null;
}

/**
 * @param {DomNode} el
 * @param {string} name
 * @param {((element: DomNode) => boolean) | null} extraSkip
 */
function isSkipped(el, name, extraSkip) {
  if (NEVER_RENDERED.has(name)) return true;
  const editable = attr(el, "contenteditable");
  if (editable != null && editable.trim().toLowerCase() === "false") return true;
  if (attr(el, "hidden") != null) return true;
  const ariaHidden = attr(el, "aria-hidden");
  if (ariaHidden != null && ariaHidden.trim().toLowerCase() === "true") return true;
  if (el.style && typeof el.style === "object" && el.style.display === "none") return true;
  const style = attr(el, "style");
  if (style && DISPLAY_NONE_RE.test(style)) return true;
  const cls = attr(el, "class");
  if (cls && PLACEHOLDER_CLASS_RE.test(cls)) return true;
  return extraSkip ? Boolean(extraSkip(el)) : false;
}

/** @param {DomNode} node */
function isBlockElement(node) {
  return node != null && node.nodeType === ELEMENT_NODE && BLOCKS.has(nameOf(node));
}

/**
 * Whitespace-only text that only formats the HTML source around blocks.
 * @param {string} data
 * @param {DomNode} parent
 * @param {number} index
 */
function isFormattingWhitespace(data, parent, index) {
  if (!FORMATTING_WS_RE.test(data)) return false;
  if (parent && parent.nodeType === ELEMENT_NODE && WHITESPACE_CONTAINERS.has(nameOf(parent))) return true;
  const kids = parent?.childNodes || [];
  const prev = kids[index - 1];
  const next = kids[index + 1];
  const prevBlock = isBlockElement(prev);
  const nextBlock = isBlockElement(next);
  return (prevBlock || prev == null) && (nextBlock || next == null) && (prevBlock || nextBlock);
}
