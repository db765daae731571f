// The approved posts (a policy's `library:`) as the popup and the composer's list use them:
// search by title and tag, where an insertion goes, and which placeholder to select after
// it. Pure functions of their arguments, so they are tested in Node.

/** @typedef {import("./protocol.js").LibraryEntry} LibraryEntry */

/**
 * Lower case without accents, so that "cafe" finds "Café".
 * @param {string} s
 */
const fold = (s) => s.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase();

/**
 * The entries whose title or tags contain every word of `query` (case and accents
 * ignored; a word may match the title or any tag, `#` before a tag is optional), in
 * their order. An empty query keeps every entry.
 * @param {LibraryEntry[]} entries
 * @param {string} query
 * @returns {LibraryEntry[]}
 */
export function searchEntries(entries, query) {
  const words = fold(query)
    .split(/\s+/)
    .map((w) => w.replace(/^#/, ""))
    .filter(Boolean);
  if (!words.length) return entries;
  return entries.filter((e) => {
    const title = fold(e.title);
    const tags = e.tags.map(fold);
    return words.every((w) => title.includes(w) || tags.some((t) => t.includes(w)));
  });
}

/**
 * Where an approved post goes in a draft: over the whole draft when it is empty (only
 * white space), else at the caret, replacing what is selected. `caret` is the selection
 * as UTF-16 offsets into `draft` (null: the end of the draft).
 * @param {string} draft
 * @param {[number, number] | null} caret
 * @param {string} text
 * @returns {{ start: number, end: number, replacement: string }}
 */
export function insertion(draft, caret, text) {
  if (draft.trim() === "") return { start: 0, end: draft.length, replacement: text };
  const [a, b] = caret ?? [draft.length, draft.length];
  const start = Math.max(0, Math.min(a, b, draft.length));
  const end = Math.min(draft.length, Math.max(a, b));
  return { start, end, replacement: text };
}

/**
 * The span to select once `entry` was inserted at `start`: its first placeholder, so the
 * employee types over it (null when it has none).
 * @param {LibraryEntry} entry
 * @param {number} start
 * @returns {{ start: number, end: number } | null}
 */
export function placeholderSpan(entry, start) {
  const p = entry.placeholders[0];
  return p ? { start: start + p.start, end: start + p.end } : null;
}

/**
 * A short description of an entry for the list: its tags and, if it ends, until when.
 * @param {LibraryEntry} entry
 */
export function entryDetails(entry) {
  const parts = [];
  if (entry.tags.length) parts.push(entry.tags.map((t) => `#${t}`).join(" "));
  if (entry.active?.until) parts.push(`until ${entry.active.until}`);
  return parts.join(" · ");
}
