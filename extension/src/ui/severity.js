// How a severity looks, in one table shared by the underlines and the composer badge
// (content/highlight.js), the card and the block dialog (card.js), and the lists of the
// popup and the options page: its colour and its label. Each colour is dark enough for
// white badge text and for text on white (contrast 3.7:1 or more; the underlines and the
// badge had a lighter amber for warn, 2.7:1, until they took the card's).

/** @typedef {import("../shared/protocol.js").Severity} Severity */

/** @type {Readonly<Record<Severity, Readonly<{ color: string, label: string }>>>} */
export const SEVERITY_STYLE = Object.freeze({
  block: Object.freeze({ color: "#d0021b", label: "Not allowed" }),
  warn: Object.freeze({ color: "#b87503", label: "Check this" }),
  info: Object.freeze({ color: "#2f6fde", label: "Note" }),
});

/**
 * The badge's colour when no usable policy is in force, by fail mode: a warning when
 * drafts go unchecked, the block colour when posting is blocked.
 * @type {Readonly<Record<import("../shared/protocol.js").FailMode, string>>}
 */
export const NOTICE_COLOR = Object.freeze({ open: "#8a5a00", closed: SEVERITY_STYLE.block.color });

/**
 * The severity tag of a finding in the popup's and the options page's lists: a
 * `<span class="sev">` in the severity's colour.
 * @param {Severity} severity
 * @param {string} text  what the tag says (the severity, or e.g. "monitor warn")
 */
export function severityTag(severity, text) {
  const tag = document.createElement("span");
  tag.className = `sev ${severity}`;
  tag.style.color = SEVERITY_STYLE[severity].color;
  tag.textContent = text;
  return tag;
}
