// Draws underlines without adding a single node inside the page's editor:
// contenteditable editors get CSS Custom Highlights (ranges painted by the browser), or an
// overlay of boxes under the ranges where the browser has no Custom Highlight API;
// textareas get a mirror element, in a closed shadow root laid over the textarea, whose
// text is transparent and whose flagged spans carry the underline.

import { SEVERITIES } from "../shared/protocol.js";
import { NOTICE_COLOR, SEVERITY_STYLE } from "../ui/severity.js";
import { worstSeverity } from "./findings.js";
import { domRange } from "./textmap.js";
import {
  commonPrefix,
  FindingIndex,
  LineCheckpoints,
  lastLineStart,
  runInSlices,
  throttledToFrames,
  upperBound,
  visibleSlice,
} from "./window.js";

/** @typedef {import("../shared/protocol.js").Finding} Finding */

/**
 * The underline of a finding of severity `s`, as CSS declarations.
 * @param {import("../shared/protocol.js").Severity} s
 */
const underline = (s) => {
  const color = SEVERITY_STYLE[s].color;
  return `text-decoration: underline wavy ${color}; text-decoration-thickness: 2px; text-underline-offset: 2px; background-color: ${color}14;`;
};

/**
 * The mirror's underline element for finding `f` of `text` (its content is the caller's:
 * the whole finding, or the part of it inside a window), carrying its rule and its text.
 * @param {Finding} f
 * @param {string} text
 */
function markFor(f, text) {
  const mark = document.createElement("span");
  mark.dataset.rule = f.rule;
  mark.style.cssText = underline(f.severity);
  mark.dataset.text = text.slice(f.start, f.end);
  return mark;
}

let styleInstalled = false;
const HIGHLIGHT_CSS = () => SEVERITIES.map((s) => `::highlight(draftguard-${s}) { ${underline(s)} }`).join("\n");
/** The open shadow roots that have the highlight style. @type {WeakSet<ShadowRoot>} */
const styledRoots = new WeakSet();

/**
 * Styles the highlights where the composer `el` is: the document, and the open shadow root
 * it is in, if any (a document's styles do not reach into a shadow tree, ::highlight()
 * included). A shadow root gets a constructed style sheet, not a node.
 * @param {Node} [el]
 */
function installHighlightStyle(el) {
  const root = el?.getRootNode();
  if (root instanceof ShadowRoot && !styledRoots.has(root)) {
    styledRoots.add(root);
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(HIGHLIGHT_CSS());
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  }
  if (styleInstalled) return;
  styleInstalled = true;
  const style = document.createElement("style");
  style.dataset.draftguard = "";
  style.textContent = HIGHLIGHT_CSS();
  (document.head ?? document.documentElement).append(style);
}

/**
 * The DOM range (contenteditable) of one finding.
 * @param {Finding} f
 * @param {import("./textmap.js").TextMap} map
 * @returns {Range}
 */
export function rangeFor(f, map) {
  const r = domRange(map, f.start, f.end);
  const range = document.createRange();
  range.setStart(r.startNode, r.startOffset);
  range.setEnd(r.endNode, r.endOffset);
  return range;
}

/** Up to this many findings are all drawn, on screen or not; beyond, only those on screen. */
export const DRAW_ALL = 200;

/** The part of the window the user sees of `el` (screen coordinates), or null if none. */
function seenBand(/** @type {Element} */ el) {
  const r = el.getBoundingClientRect();
  const top = Math.max(r.top, 0);
  const bottom = Math.min(r.bottom, innerHeight);
  return bottom >= top ? { top, bottom } : null;
}

/**
 * Paints a contenteditable's findings, only those on screen: a draft can carry tens of
 * thousands (a 1 MB paste), and a range or a box for each would freeze the page. The
 * visible ones are found by binary search over the findings' ranges (window.js); scrolling
 * and resizing paint again, once per frame at most. With the CSS Custom Highlight API the
 * browser paints the ranges; without it (Chromium before 105, Firefox before 140) an
 * overlay draws the same underlines.
 */
export class RangePainter {
  /** @param {HTMLElement} el  the editable root */
  constructor(el) {
    this.el = el;
    /** @type {Finding[]} */
    this.findings = [];
    /** @type {import("./textmap.js").TextMap | null} */
    this.map = null;
    /** @type {RangeOverlay | null} */
    this.overlay = globalThis.CSS?.highlights ? null : new RangeOverlay();
    this.sync = throttledToFrames(() => this.draw());
    window.addEventListener("resize", this.sync);
    window.addEventListener("scroll", this.sync, true);
    this.resizeObserver = new ResizeObserver(this.sync);
    this.resizeObserver.observe(el);
    /** The findings drawn by the last paint, for tests and support. @type {{ from: number, to: number }} */
    this.drawn = { from: 0, to: 0 };
  }

  /**
   * @param {Finding[]} findings  sorted by start (FindingIndex.items)
   * @param {import("./textmap.js").TextMap | null} map  null only with no findings
   */
  paint(findings, map) {
    this.findings = findings;
    this.map = map;
    // Many findings: drawn in the next frame, a task of its own, not on top of the check's.
    if (findings.length > DRAW_ALL) this.sync();
    else this.draw();
  }

  /** Draws the findings on screen now. */
  draw() {
    const t0 = performance.now();
    const { findings, map } = this;
    /** @type {Map<number, Range>} */
    const made = new Map();
    const rangeAt = (/** @type {number} */ i) => {
      let r = made.get(i);
      if (!r) {
        r = rangeFor(findings[i], /** @type {import("./textmap.js").TextMap} */ (map));
        made.set(i, r);
      }
      return r;
    };
    const band = findings.length > DRAW_ALL && map ? seenBand(this.el) : null;
    const slice = !band
      ? { from: 0, to: map ? findings.length : 0 }
      : visibleSlice(
          findings.length,
          (i) => {
            const b = rangeAt(i).getBoundingClientRect();
            return b.width === 0 && b.height === 0 ? null : b;
          },
          band.top,
          band.bottom,
        );
    this.drawn = slice;
    const shown = findings.slice(slice.from, slice.to);
    const ranges = shown.map((_, k) => rangeAt(slice.from + k));
    if (this.overlay) this.overlay.paint(shown, ranges);
    else {
      installHighlightStyle(this.el);
      for (const s of SEVERITIES) {
        const mine = ranges.filter((_, i) => shown[i].severity === s);
        if (mine.length) CSS.highlights.set(`draftguard-${s}`, new Highlight(...mine));
        else CSS.highlights.delete(`draftguard-${s}`);
      }
    }
    performance.measure("draftguard:draw", { start: t0 });
  }

  destroy() {
    window.removeEventListener("resize", this.sync);
    window.removeEventListener("scroll", this.sync, true);
    this.resizeObserver.disconnect();
    this.overlay?.destroy();
    if (globalThis.CSS?.highlights) for (const s of SEVERITIES) CSS.highlights.delete(`draftguard-${s}`);
  }
}

/**
 * Underlines for DOM ranges where the browser cannot paint highlights: one box per line
 * box of each range (Range.getClientRects), in a closed shadow root on <body>, so nothing
 * is added inside the editor. Each finding's boxes sit in one element carrying its rule.
 * The painter (RangePainter) gives it only the ranges on screen and keeps them in place on
 * scroll and resize.
 */
class RangeOverlay {
  constructor() {
    this.host = document.createElement("draftguard-underlines");
    this.host.style.cssText = "position:absolute;top:0;left:0;pointer-events:none;z-index:2147483646;";
    const shadow = this.host.attachShadow({ mode: "closed" });
    this.layer = document.createElement("div");
    shadow.append(this.layer);
    document.body.append(this.host);
  }

  /**
   * Lays boxes over the ranges where they are now.
   * @param {Finding[]} findings
   * @param {Range[]} ranges
   */
  paint(findings, ranges) {
    const marks = ranges.map((range, i) => {
      const f = findings[i];
      const color = SEVERITY_STYLE[f.severity].color;
      const mark = document.createElement("span");
      mark.dataset.rule = f.rule;
      mark.dataset.text = range.toString();
      for (const r of range.getClientRects()) {
        if (r.width === 0) continue;
        const box = document.createElement("span");
        box.style.cssText = `position:absolute;left:${r.left + scrollX}px;top:${r.top + scrollY}px;width:${r.width}px;height:${r.height}px;border-bottom:2px solid ${color};background-color:${color}14;box-sizing:border-box;`;
        mark.append(box);
      }
      return mark;
    });
    this.layer.replaceChildren(...marks);
  }

  destroy() {
    this.host.remove();
  }
}

/** A textarea's text longer than this is mirrored only around the view: laying out a long
 * text again takes about a millisecond per thousand characters. */
export const MIRROR_ALL = 20000;
/** Characters laid out per measuring step of a long text, and the time budget per task. */
const MEASURE_CHARS = 3000;
const MEASURE_BUDGET_MS = 10;

/** The textarea's styles the mirror copies, so its text wraps exactly the same. */
const MIRRORED = [
  "boxSizing",
  "width",
  "height",
  "paddingTop",
  "paddingRight",
  "paddingBottom",
  "paddingLeft",
  "borderTopWidth",
  "borderRightWidth",
  "borderBottomWidth",
  "borderLeftWidth",
  "borderStyle",
  "fontFamily",
  "fontSize",
  "fontWeight",
  "fontStyle",
  "letterSpacing",
  "lineHeight",
  "textTransform",
  "textIndent",
  "wordSpacing",
  "tabSize",
  "textAlign",
  "direction",
];

/** The overlay of one textarea. */
export class TextareaOverlay {
  /** @param {HTMLTextAreaElement | HTMLInputElement} textarea */
  constructor(textarea) {
    this.textarea = textarea;
    this.host = document.createElement("draftguard-overlay");
    this.host.style.cssText = "position:absolute;top:0;left:0;pointer-events:none;z-index:2147483646;";
    const shadow = this.host.attachShadow({ mode: "closed" });
    this.mirror = document.createElement("div");
    this.mirror.style.cssText =
      "position:absolute;overflow:hidden;white-space:pre-wrap;overflow-wrap:break-word;color:transparent;border-color:transparent;margin:0;";
    shadow.append(this.mirror);
    document.body.append(this.host);
    this.text = "";
    /** @type {Finding[]} */
    this.findings = [];
    /** The findings underlined now, findings[from..to). @type {{ from: number, to: number } | null} */
    this.drawn = null;
    /** The mirror's text nodes and the offset each starts at. @type {{ at: number, node: Text }[]} */
    this.nodes = [];
    /** @type {number[]} */
    this.starts = [];
    /** Long texts: where their lines start (learnt a piece at a time), the findings by
     * offset, the slice of text mirrored now, and the measuring job. */
    this.lines = new LineCheckpoints();
    this.index = new FindingIndex(/** @type {Finding[]} */ ([]));
    /** @type {{ from: number, to: number, y: number } | null} */
    this.windowed = null;
    /** The layout the checkpoints were measured for (width and font). */
    this.layoutKey = "";
    /** @type {(() => void) | null} */
    this.stopMeasuring = null;
    this.probe = document.createElement("div");
    this.probe.style.cssText =
      "position:absolute;visibility:hidden;left:-100000px;top:0;white-space:pre-wrap;overflow-wrap:break-word;margin:0;padding:0;border:0;";
    shadow.append(this.probe);
    this.sync = throttledToFrames(() => this.draw());
    textarea.addEventListener("scroll", this.sync);
    window.addEventListener("resize", this.sync);
    window.addEventListener("scroll", this.sync, true);
    this.resizeObserver = new ResizeObserver(this.sync);
    this.resizeObserver.observe(textarea);
  }

  position() {
    const cs = getComputedStyle(this.textarea);
    const from = /** @type {Record<string, string>} */ (/** @type {unknown} */ (cs));
    const to = /** @type {Record<string, string>} */ (/** @type {unknown} */ (this.mirror.style));
    for (const p of MIRRORED) to[p] = from[p];
    const r = this.textarea.getBoundingClientRect();
    this.mirror.style.left = `${r.left + scrollX}px`;
    this.mirror.style.top = `${r.top + scrollY}px`;
    this.mirror.style.width = `${r.width}px`;
    this.mirror.style.height = `${r.height}px`;
    // The mirror has no scrollbar: as wide a padding instead, so its text wraps as the textarea's.
    const t = this.textarea;
    const bar = t.offsetWidth - t.clientWidth - parseFloat(cs.borderLeftWidth) - parseFloat(cs.borderRightWidth);
    if (bar > 0) this.mirror.style.paddingRight = `${parseFloat(cs.paddingRight) + bar}px`;
    this.mirror.scrollTop = this.textarea.scrollTop;
    this.mirror.scrollLeft = this.textarea.scrollLeft;
    return cs;
  }

  /**
   * Shows `text` with `findings` underlined (textContent only), drawing only the findings
   * inside the textarea's visible part (see draw). A text over MIRROR_ALL characters is
   * mirrored only around the view (see drawWindow).
   * @param {string} text
   * @param {Finding[]} findings  sorted by start (FindingIndex.items)
   */
  paint(text, findings) {
    if (text.length > MIRROR_ALL || this.text.length > MIRROR_ALL) {
      this.lines.keepPrefix(commonPrefix(this.text, text));
      this.index = new FindingIndex(findings);
    }
    this.text = text;
    this.findings = findings;
    this.drawn = null;
    this.windowed = null;
    if (text.length > MIRROR_ALL) {
      this.mirror.replaceChildren();
      this.draw();
      return;
    }
    this.stopMeasuring?.();
    this.stopMeasuring = null;
    this.build(0, 0);
    this.draw();
  }

  /**
   * A long text: learns where its lines start, a piece of MEASURE_CHARS at a time laid out
   * in a hidden probe as wide as the textarea's text, in tasks of a few milliseconds, and
   * draws again as the part in view gets measured. Restarts when the width or font changed.
   * @param {CSSStyleDeclaration} cs  the textarea's computed style
   */
  measure(cs) {
    const t = this.textarea;
    const width = t.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    const key = `${width}|${cs.font}|${cs.letterSpacing}|${cs.wordSpacing}|${cs.tabSize}|${cs.textTransform}`;
    if (key !== this.layoutKey) {
      this.layoutKey = key;
      this.lines = new LineCheckpoints();
      this.stopMeasuring?.();
      this.stopMeasuring = null;
      const p = this.probe.style;
      p.width = `${width}px`;
      p.font = cs.font;
      for (const k of /** @type {const} */ (["letterSpacing", "wordSpacing", "tabSize", "textTransform", "direction"]))
        p[k] = cs[k];
    }
    if (this.stopMeasuring || this.lines.height !== null) return;
    const probe = this.probe;
    const range = document.createRange();
    let chars = MEASURE_CHARS;
    const step = () => {
      const { text, lines } = this;
      const from = lines.next;
      const to = Math.min(text.length, from + chars);
      probe.textContent = text.slice(from, to);
      const node = /** @type {Text | null} */ (probe.firstChild);
      const y = lines.y[lines.y.length - 1];
      if (to === text.length || !node) {
        lines.finish(y + probe.getBoundingClientRect().height);
        this.stopMeasuring = null;
        probe.textContent = "";
        this.sync();
        return false;
      }
      const top = (/** @type {number} */ i) => {
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        return range.getBoundingClientRect().top;
      };
      const k = lastLineStart(to - from, top);
      if (k === 0) {
        chars *= 2; // one line longer than the piece (a very wide textarea): a longer piece
        return true;
      }
      chars = MEASURE_CHARS;
      lines.push(from + k, y + top(k) - top(0), to);
      const w = this.windowed;
      if (!w || w.to < text.length) this.sync();
      return true;
    };
    this.stopMeasuring = runInSlices(step, MEASURE_BUDGET_MS);
  }

  /**
   * A long text: mirrors only the lines in view, from the measured line start above the
   * view to the first below it, after a spacer as tall as the lines before, with the
   * findings there underlined (binary search in the index).
   * @param {CSSStyleDeclaration} cs
   */
  drawWindow(cs) {
    this.measure(cs);
    const t = this.textarea;
    const top = t.scrollTop - parseFloat(cs.paddingTop);
    const w = this.lines.slice(top, top + t.clientHeight, this.text.length);
    if (!w) return;
    const old = this.windowed;
    if (!old || old.from !== w.from || old.to !== w.to) {
      this.windowed = w;
      const { text } = this;
      const before = document.createElement("div");
      before.style.height = `${w.y}px`;
      const body = document.createElement("div");
      const after = document.createElement("div");
      after.style.height = `${t.scrollHeight}px`;
      /** @type {Node[]} */
      const parts = [];
      let at = w.from;
      const touching = this.index.touching(w.from, w.to);
      // A finding across the window's last line runs on past it, so it is underlined whole.
      const to = Math.min(text.length, Math.max(w.to, ...touching.map((f) => f.end)));
      for (const f of touching) {
        const start = Math.max(f.start, at);
        const end = f.end;
        if (end <= start) continue;
        if (start > at) parts.push(document.createTextNode(text.slice(at, start)));
        const mark = markFor(f, text);
        mark.textContent = text.slice(start, end);
        parts.push(mark);
        at = end;
      }
      if (to > at) parts.push(document.createTextNode(text.slice(at, to)));
      body.append(...parts);
      this.mirror.replaceChildren(before, body, after);
    }
    this.mirror.scrollTop = t.scrollTop;
    this.mirror.scrollLeft = t.scrollLeft;
  }

  /**
   * Lays the mirror over the textarea, then underlines the findings now in view: a binary
   * search over the findings' boxes in the mirror (whose text wraps and scrolls exactly as
   * the textarea's) picks them, and only the slice that changed is rebuilt.
   */
  draw() {
    const t0 = performance.now();
    const cs = this.position();
    if (this.text.length > MIRROR_ALL) {
      this.drawWindow(cs);
      performance.measure("draftguard:draw", { start: t0 });
      return;
    }
    const { findings } = this;
    const band = findings.length > DRAW_ALL ? seenBand(this.mirror) : null;
    const slice = band
      ? visibleSlice(findings.length, (i) => this.boxOf(findings[i]), band.top, band.bottom)
      : { from: 0, to: findings.length };
    if (this.drawn && this.drawn.from === slice.from && this.drawn.to === slice.to) return;
    this.build(slice.from, slice.to);
    this.mirror.scrollTop = this.textarea.scrollTop;
    this.mirror.scrollLeft = this.textarea.scrollLeft;
    performance.measure("draftguard:draw", { start: t0 });
  }

  /**
   * Fills the mirror with the text, findings[from..to) underlined; remembers where each
   * text node starts, so boxOf can measure any offset.
   * @param {number} from
   * @param {number} to
   */
  build(from, to) {
    const { text, findings } = this;
    /** @type {Node[]} */
    const parts = [];
    /** @type {{ at: number, node: Text }[]} */
    const nodes = [];
    let at = 0;
    const plain = (/** @type {number} */ end) => {
      const node = document.createTextNode(text.slice(at, end));
      nodes.push({ at, node });
      parts.push(node);
      at = end;
    };
    for (let i = from; i < to; i++) {
      const f = findings[i];
      if (f.start < at) continue;
      plain(f.start);
      const mark = markFor(f, text);
      const inner = document.createTextNode(text.slice(f.start, f.end));
      mark.append(inner);
      nodes.push({ at, node: inner });
      parts.push(mark);
      at = f.end;
    }
    plain(text.length);
    /** @type {Text} */ (parts[parts.length - 1]).appendData("\u200b");
    this.nodes = nodes;
    this.starts = nodes.map((n) => n.at);
    this.drawn = { from, to };
    this.mirror.replaceChildren(...parts);
  }

  /**
   * Where finding `f` is on screen in the mirror (its first line box), or null.
   * @param {Finding} f
   */
  boxOf(f) {
    const k = Math.max(0, upperBound(this.starts, f.start) - 1);
    const { at, node } = this.nodes[k];
    const range = document.createRange();
    range.setStart(node, Math.min(f.start - at, node.length));
    range.setEnd(node, Math.min(Math.max(f.end, f.start) - at, node.length));
    const r = range.getBoundingClientRect();
    return r.width === 0 && r.height === 0 ? null : r;
  }

  destroy() {
    this.stopMeasuring?.();
    this.textarea.removeEventListener("scroll", this.sync);
    window.removeEventListener("resize", this.sync);
    window.removeEventListener("scroll", this.sync, true);
    this.resizeObserver.disconnect();
    this.host.remove();
  }
}

/** A small count badge at the composer's bottom-right corner, coloured by the most severe
 * finding, in a closed shadow root on <body>. With no usable policy it shows the fail
 * mode's warning instead ("Not checked", "Posting blocked"), the whole sentence as its
 * tooltip and accessible label. */
export class Badge {
  /** @param {HTMLElement} target */
  constructor(target) {
    this.target = target;
    this.host = document.createElement("draftguard-badge");
    this.host.style.cssText = "position:absolute;top:0;left:0;z-index:2147483646;pointer-events:none;";
    const shadow = this.host.attachShadow({ mode: "closed" });
    this.pill = document.createElement("span");
    this.pill.className = "badge";
    this.pill.setAttribute("role", "status");
    this.pill.style.cssText =
      "position:absolute;font:600 11px/16px system-ui,sans-serif;color:#fff;border-radius:8px;padding:0 6px;min-width:16px;text-align:center;box-shadow:0 1px 3px rgba(0,0,0,.3);";
    shadow.append(this.pill);
    document.body.append(this.host);
    this.sync = () => this.position();
    window.addEventListener("resize", this.sync);
    window.addEventListener("scroll", this.sync, true);
    this.resizeObserver = new ResizeObserver(this.sync);
    this.resizeObserver.observe(target);
  }

  position() {
    const r = this.target.getBoundingClientRect();
    this.pill.style.left = `${r.right + scrollX - Math.max(24, this.pill.offsetWidth - 4)}px`;
    this.pill.style.top = `${r.bottom + scrollY - 20}px`;
  }

  /**
   * `notice`: null, or `{ mode, label, text }` when no usable policy is in force.
   * @param {Finding[]} findings
   * @param {import("./policy-state.js").Notice | null} [notice]
   */
  show(findings, notice = null) {
    if (notice) {
      this.host.hidden = false;
      this.pill.textContent = `⚠ ${notice.label}`;
      this.pill.title = notice.text;
      this.pill.dataset.notice = notice.mode;
      this.pill.setAttribute("aria-label", `draftguard: ${notice.text}`);
      this.pill.style.background = NOTICE_COLOR[notice.mode];
      this.pill.style.pointerEvents = "auto";
      this.position();
      return;
    }
    const worst = worstSeverity(findings);
    this.host.hidden = findings.length === 0;
    this.pill.textContent = String(findings.length);
    this.pill.removeAttribute("title");
    delete this.pill.dataset.notice;
    this.pill.style.pointerEvents = "";
    this.pill.setAttribute("aria-label", `draftguard: ${findings.length} issue${findings.length === 1 ? "" : "s"}`);
    if (worst) this.pill.style.background = SEVERITY_STYLE[worst].color;
    this.position();
  }

  destroy() {
    window.removeEventListener("resize", this.sync);
    window.removeEventListener("scroll", this.sync, true);
    this.resizeObserver.disconnect();
    this.host.remove();
  }
}
