// The approved posts in the page's card UI: the list the button beside a composer's
// badge opens. A closed shadow root on <body> (ui/card.js), built with textContent only:
// an entry's title and text are data, never markup. Keyboard: the search field has focus
// when it opens and Enter there inserts the first match, Tab reaches the entries and the
// buttons, Enter or Space picks an entry, Escape closes it and returns to the composer.

import { entryDetails, searchEntries } from "../shared/library.js";
import { el, mount } from "./card.js";

/** @typedef {import("../shared/protocol.js").LibraryEntry} LibraryEntry */

/**
 * Shows the list near `rect`. `onInsert(entry)` and `onCopy(entry)` are called with the
 * chosen entry; the card stays open until the caller closes it (so it can say when an
 * editor refused the insertion).
 * @param {LibraryEntry[]} entries
 * @param {DOMRect} rect
 * @param {{ onInsert: (e: LibraryEntry) => void, onCopy: (e: LibraryEntry) => void, onClose?: () => void, onEscape?: () => void }} on
 */
export function showLibrary(entries, rect, { onInsert, onCopy, onClose, onEscape }) {
  const { host, shadow } = mount();
  let chosen = entries[0] ?? null;
  const close = () => {
    host.remove();
    onClose?.();
  };
  const search = el("input", {
    type: "search",
    placeholder: "Search by title or tag",
    "aria-label": "Search approved posts",
  });
  const list = el("ul", { class: "entries", "aria-label": "Approved posts" });
  const preview = el("section", { class: "preview", "aria-live": "polite", "aria-label": "Preview" });
  const note = el("p", { class: "note", role: "status" });
  const insert = el("button", { class: "primary", textContent: "Insert", onclick: () => chosen && onInsert(chosen) });
  const copy = el("button", { textContent: "Copy", onclick: () => chosen && onCopy(chosen) });

  const render = () => {
    const shown = searchEntries(entries, search.value);
    if (!chosen || !shown.includes(chosen)) chosen = shown[0] ?? null;
    list.replaceChildren(
      ...shown.map((e) =>
        el(
          "li",
          {},
          el(
            "button",
            {
              "aria-pressed": String(e === chosen),
              "data-entry": e.id,
              onclick: () => {
                chosen = e;
                render();
              },
            },
            el("span", { textContent: e.title }),
            el("span", { class: "details", textContent: entryDetails(e) }),
          ),
        ),
      ),
    );
    if (!shown.length) list.append(el("li", { textContent: "No approved post matches." }));
    preview.textContent = chosen?.text ?? "";
    insert.disabled = copy.disabled = !chosen;
  };
  search.addEventListener("input", render);
  // Enter in the search field inserts the post it picked (the first match).
  search.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && chosen) {
      e.preventDefault();
      onInsert(chosen);
    }
  });

  const card = el(
    "div",
    { class: "card library", role: "dialog", "aria-label": "draftguard: approved posts" },
    el("div", { class: "sev", textContent: "Approved posts" }),
    search,
    list,
    preview,
    note,
    el("div", { class: "row" }, insert, copy, el("button", { textContent: "Close", onclick: close })),
  );
  card.style.left = `${Math.max(8, Math.min(rect.right - 360, innerWidth - 376))}px`;
  card.style.top = `${rect.bottom + 6 > innerHeight - 360 ? Math.max(8, rect.top - 366) : rect.bottom + 6}px`;
  card.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      e.stopPropagation();
      close();
      onEscape?.();
    }
  });
  shadow.append(card);
  render();
  search.focus();
  return {
    close,
    host,
    /** Says something under the preview (an editor that refused the text). @param {string} text */
    notice: (text) => {
      note.textContent = text;
    },
  };
}
