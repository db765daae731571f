// The explanation card and the post-blocking dialog. Both live in closed shadow roots
// attached to <body>, never inside the page's editor, and are built with textContent
// only: a policy's message is data, never markup.

import { SEVERITY_STYLE } from "./severity.js";

const STYLE = `
  :host { all: initial; }
  .card { position: fixed; z-index: 2147483647; max-width: 360px; font: 14px/1.4 system-ui, sans-serif;
          color: #1d1d1f; background: #fff; border: 1px solid #d2d2d7; border-radius: 10px;
          box-shadow: 0 8px 24px rgba(0,0,0,.18); padding: 12px 14px; }
  .sev { font-weight: 600; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
  .msg { margin: 6px 0 8px; }
  .flagged { font-family: ui-monospace, monospace; background: #f5f5f7; border-radius: 4px; padding: 1px 4px; }
  .row { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 8px; }
  button { font: inherit; border-radius: 6px; border: 1px solid #c7c7cc; background: #f5f5f7; padding: 4px 10px; cursor: pointer; }
  button.primary { background: #0a66c2; color: #fff; border-color: #0a66c2; }
  button:focus-visible { outline: 2px solid #0a66c2; outline-offset: 2px; }
  a { color: #0a66c2; font-size: 12px; }
  .backdrop { position: fixed; inset: 0; z-index: 2147483647; background: rgba(0,0,0,.35);
              display: flex; align-items: center; justify-content: center; }
  .dialog { position: static; max-width: 480px; }
  ul { margin: 8px 0; padding-left: 18px; }
  textarea { width: 100%; box-sizing: border-box; min-height: 60px; font: inherit; }
  input[type=search] { width: 100%; box-sizing: border-box; font: inherit; padding: 4px 6px; margin: 6px 0; }
  .entries { list-style: none; margin: 4px 0; padding: 0; max-height: 160px; overflow: auto; }
  .entries button { width: 100%; text-align: left; margin: 2px 0; background: #fff; }
  .entries button[aria-pressed=true] { border-color: #0a66c2; background: #e8f1fb; }
  .details { display: block; font-size: 11px; color: #666; }
  .preview { white-space: pre-wrap; background: #f5f5f7; border-radius: 6px; padding: 6px 8px; margin: 6px 0; max-height: 140px; overflow: auto; }
  .note { font-size: 12px; color: #8a5a00; margin: 4px 0; }
`;

/** @typedef {import("../shared/protocol.js").Finding} Finding */

/**
 * An element with properties (`class`, `on<event>` listeners, DOM properties such as
 * `textContent`, else attributes) and children (nodes, text; null is left out).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, any>} [props]
 * @param {...(Node | string | null)} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k in e) /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (e))[k] = v;
    else e.setAttribute(k, v);
  }
  e.append(.../** @type {(Node | string)[]} */ (children.filter((c) => c != null)));
  return e;
}

/** A closed shadow root on <body> with the cards' style. */
export function mount() {
  const host = document.createElement("draftguard-ui");
  const shadow = host.attachShadow({ mode: "closed" });
  shadow.append(el("style", { textContent: STYLE }));
  document.body.append(host);
  return { host, shadow };
}

/**
 * Shows the card for `finding` near `rect`; `onFix(suggestion)`, `onDismiss()`.
 * @param {Finding} finding
 * @param {DOMRect} rect
 * @param {{ onFix: (s: import("../shared/protocol.js").Suggestion) => void, onDismiss: () => void, onClose?: () => void, onEscape?: () => void }} on
 */
export function showCard(finding, rect, { onFix, onDismiss, onClose, onEscape }) {
  const { host, shadow } = mount();
  const close = () => {
    host.remove();
    onClose?.();
  };
  const fixes = finding.suggestions.map((s) =>
    el("button", {
      class: "primary",
      textContent:
        s.start === s.end
          ? `Add “${s.replacement.trim()}”`
          : s.replacement === ""
            ? "Remove it"
            : `Replace with “${s.replacement}”`,
      onclick: () => {
        close();
        onFix(s);
      },
    }),
  );
  const card = el(
    "div",
    { class: "card", role: "dialog", "aria-label": `draftguard: ${SEVERITY_STYLE[finding.severity].label}` },
    el("div", { class: "sev", textContent: SEVERITY_STYLE[finding.severity].label }),
    el("div", { class: "msg", textContent: finding.message }),
    finding.link
      ? el("a", { href: finding.link, target: "_blank", rel: "noopener noreferrer", textContent: "Read the policy" })
      : null,
    el(
      "div",
      { class: "row" },
      ...fixes,
      finding.severity !== "block"
        ? el("button", {
            textContent: "Dismiss",
            onclick: () => {
              close();
              onDismiss();
            },
          })
        : null,
    ),
  );
  /** @type {HTMLElement} */ (card.querySelector(".sev")).style.color = SEVERITY_STYLE[finding.severity].color;
  card.style.left = `${Math.max(8, Math.min(rect.left, innerWidth - 376))}px`;
  card.style.top = `${rect.bottom + 6 > innerHeight - 160 ? Math.max(8, rect.top - 170) : rect.bottom + 6}px`;
  card.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      close();
      onEscape?.();
    }
  });
  shadow.append(card);
  card.tabIndex = -1;
  return {
    close,
    host,
    focusFirst: () => {
      const first = /** @type {HTMLElement | null} */ (card.querySelector("button, a"));
      (first ?? card).focus();
    },
  };
}

/**
 * The dialog shown when a post is stopped. `override` is the policy's setting.
 * @param {Finding[]} findings
 * @param {import("../shared/protocol.js").Override} override
 * @param {{ onEdit: () => void, onPostAnyway: (justification: string) => void }} on
 */
export function showBlockDialog(findings, override, { onEdit, onPostAnyway }) {
  const { host, shadow } = mount();
  const close = () => host.remove();
  const reason =
    override === "justify"
      ? el("textarea", { placeholder: "Why does this need to be posted as it is?", "aria-label": "Justification" })
      : null;
  const anyway =
    override === "never"
      ? null
      : el("button", {
          textContent: "Post anyway",
          onclick: () => {
            const why = reason ? reason.value.trim() : "";
            if (reason && !why) {
              reason.focus();
              reason.setAttribute("aria-invalid", "true");
              return;
            }
            close();
            onPostAnyway(why);
          },
        });
  modal(
    shadow,
    close,
    onEdit,
    "This post breaks the social-media policy",
    el(
      "ul",
      {},
      ...findings.map((f) => el("li", {}, el("span", { class: "flagged", textContent: f.text }), ` ${f.message}`)),
    ),
    reason,
    el("div", { class: "row" }, editButton(close, onEdit), anyway),
  );
  return { close };
}

/**
 * The dialog shown when a post is stopped because no usable policy is in force and the
 * fail mode is "closed": the reason, and only "Edit" (nothing can be posted anyway).
 * @param {string} message
 * @param {{ onEdit: () => void }} on
 */
export function showUnavailableDialog(message, { onEdit }) {
  const { host, shadow } = mount();
  const close = () => host.remove();
  modal(
    shadow,
    close,
    onEdit,
    "Posting is blocked",
    el("p", { class: "msg", textContent: message }),
    el("div", { class: "row" }, editButton(close, onEdit)),
  );
  return { close };
}

/**
 * The dialogs' "Edit" button: closes the dialog and goes back to the draft.
 * @param {() => void} close
 * @param {() => void} onEdit
 */
const editButton = (close, onEdit) =>
  el("button", {
    class: "primary",
    textContent: "Edit",
    onclick: () => {
      close();
      onEdit();
    },
  });

/**
 * A modal alert dialog titled `title` over a backdrop; Escape means "Edit".
 * @param {ShadowRoot} shadow
 * @param {() => void} close
 * @param {() => void} onEdit
 * @param {string} title
 * @param {...(Node | null)} children
 */
function modal(shadow, close, onEdit, title, ...children) {
  const dialog = el(
    "div",
    { class: "card dialog", role: "alertdialog", "aria-modal": "true", "aria-label": "draftguard stopped this post" },
    el("div", { class: "sev", textContent: title }),
    ...children,
  );
  /** @type {HTMLElement} */ (dialog.querySelector(".sev")).style.color = SEVERITY_STYLE.block.color;
  const backdrop = el("div", { class: "backdrop" }, dialog);
  backdrop.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      close();
      onEdit();
    }
  });
  shadow.append(backdrop);
  /** @type {HTMLElement} */ (dialog.querySelector("button.primary")).focus();
}
