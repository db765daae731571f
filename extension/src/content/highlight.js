// Draws underlines without adding a single node inside the page's editor:
// contenteditable editors get CSS Custom Highlights (ranges painted by the browser), or an
// overlay of boxes under the ranges where the browser has no Custom Highlight API;
// textareas get a mirror element, in a closed shadow root laid over the textarea, whose
// text is transparent and whose flagged spans carry the underline.

import { SEVERITIES } from "../shared/protocol.js";
import { NOTICE_COLOR, SEVERITY_STYLE } from "../ui/severity.js";
import { worstSeverity } from "./findings.js";
import { domRange } from "./textmap.js";

/** @typedef {import("../shared/protocol.js").Finding} Finding */

/**
 * The underline of a finding of severity `s`, as CSS declarations.
 * @param {import("../shared/protocol.js").Severity} s
 */
const underline = (s) => {
  const color = SEVERITY_STYLE[s].color;
  return `text-decoration: underline wavy ${color}; text-decoration-thickness: 2px; text-underline-offset: 2px; background-color: ${color}14;`;
};
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
 * DOM ranges (contenteditable) for each finding, in order.
 * @param {Finding[]} findings
 * @param {import("./textmap.js").TextMap | null} map  null only with no findings
 * @returns {Range[]}
 */
export function rangesFor(findings, map) {
  return findings.map((f) => {
    const r = domRange(/** @type {import("./textmap.js").TextMap} */ (map), f.start, f.end);
    const range = document.createRange();
    range.setStart(r.startNode, r.startOffset);
    range.setEnd(r.endNode, r.endOffset);
    return range;
  });
}

/**
 * Paints contenteditable findings; `ranges[i]` belongs to `findings[i]`. With the CSS
 * Custom Highlight API the browser paints the ranges; without it (Chromium before 105,
 * Firefox before 140) an overlay draws the same underlines.
 * @param {Finding[]} findings
 * @param {Range[]} ranges
 * @param {Node} [el]  the composer (its shadow root, if any, gets the highlight style)
 */
export function paintRanges(findings, ranges, el) {
  if (!globalThis.CSS?.highlights) {
    rangeOverlay ??= new RangeOverlay();
    rangeOverlay.paint(findings, ranges);
    return;
  }
  installHighlightStyle(el);
  for (const s of SEVERITIES) {
    const mine = ranges.filter((_, i) => findings[i].severity === s);
    if (mine.length) CSS.highlights.set(`draftguard-${s}`, new Highlight(...mine));
    else CSS.highlights.delete(`draftguard-${s}`);
  }
}

export function clearRanges() {
  if (!globalThis.CSS?.highlights) {
    rangeOverlay?.destroy();
    rangeOverlay = null;
    return;
  }
  for (const s of SEVERITIES) CSS.highlights.delete(`draftguard-${s}`);
}

/** @type {RangeOverlay | null} */
let rangeOverlay = null;

/**
 * Underlines for DOM ranges where the browser cannot paint highlights: one box per line
 * box of each range (Range.getClientRects), in a closed shadow root on <body>, so nothing
 * is added inside the editor. Each finding's boxes sit in one element carrying its rule,
 * kept in place on scroll and resize.
 */
class RangeOverlay {
  constructor() {
    this.host = document.createElement("draftguard-underlines");
    this.host.style.cssText = "position:absolute;top:0;left:0;pointer-events:none;z-index:2147483646;";
    const shadow = this.host.attachShadow({ mode: "closed" });
    this.layer = document.createElement("div");
    shadow.append(this.layer);
    document.body.append(this.host);
    /** @type {{ findings: Finding[], ranges: Range[] }} */
    this.painted = { findings: [], ranges: [] };
    this.sync = () => this.position();
    window.addEventListener("resize", this.sync);
    window.addEventListener("scroll", this.sync, true);
  }

  /**
   * @param {Finding[]} findings
   * @param {Range[]} ranges
   */
  paint(findings, ranges) {
    this.painted = { findings, ranges };
    this.position();
  }

  /** Lays the boxes over the ranges where they are now. */
  position() {
    const { findings, ranges } = this.painted;
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
    window.removeEventListener("resize", this.sync);
    window.removeEventListener("scroll", this.sync, true);
    this.host.remove();
  }
}

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
    this.sync = () => this.position();
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
    this.mirror.scrollTop = this.textarea.scrollTop;
    this.mirror.scrollLeft = this.textarea.scrollLeft;
  }

  /**
   * Rebuilds the mirror for `text` with `findings` underlined (textContent only).
   * @param {string} text
   * @param {Finding[]} findings
   */
  paint(text, findings) {
    /** @type {Node[]} */
    const parts = [];
    let at = 0;
    for (const f of [...findings].sort((a, b) => a.start - b.start)) {
      if (f.start < at) continue;
      parts.push(document.createTextNode(text.slice(at, f.start)));
      const mark = document.createElement("span");
      mark.dataset.rule = f.rule;
      mark.style.cssText = underline(f.severity);
      mark.textContent = text.slice(f.start, f.end);
      parts.push(mark);
      at = f.end;
    }
    parts.push(document.createTextNode(`${text.slice(at)}\u200b`));
    this.mirror.replaceChildren(...parts);
    this.position();
  }

  destroy() {
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
