// The approved posts' pure logic: search by title and tag, where an insertion goes, which
// placeholder is selected after it; and the library-used audit event, which carries the
// entry's id and never its text.

import assert from "node:assert/strict";
import { test } from "node:test";
import { makeEvent } from "../src/background/audit.js";
import { entryDetails, insertion, placeholderSpan, searchEntries } from "../src/shared/library.js";

/** @param {Partial<import("../src/shared/protocol.js").LibraryEntry>} e */
const entry = (e) => ({
  id: "x",
  title: "X",
  text: "",
  link: null,
  platforms: null,
  tags: [],
  lang: null,
  active: null,
  placeholders: [],
  ...e,
});

const ENTRIES = [
  entry({ id: "launch", title: "Product launch: Acme Pay", tags: ["launch", "product"] }),
  entry({ id: "day", title: "Community day: volunteering", tags: ["community", "Bénévolat"] }),
  entry({ id: "job", title: "Job opening on my team", tags: ["hiring", "careers"] }),
];
const ids = (list) => list.map((e) => e.id);

test("search matches every word in the title or a tag, ignoring case and accents", () => {
  assert.deepEqual(ids(searchEntries(ENTRIES, "")), ["launch", "day", "job"]);
  assert.deepEqual(ids(searchEntries(ENTRIES, "   ")), ["launch", "day", "job"]);
  assert.deepEqual(ids(searchEntries(ENTRIES, "LAUNCH")), ["launch"]);
  assert.deepEqual(ids(searchEntries(ENTRIES, "hiring")), ["job"], "a tag");
  assert.deepEqual(ids(searchEntries(ENTRIES, "#careers")), ["job"], "a tag written as a hashtag");
  assert.deepEqual(ids(searchEntries(ENTRIES, "benevolat")), ["day"], "accents ignored");
  assert.deepEqual(ids(searchEntries(ENTRIES, "day community")), ["day"], "every word, any order");
  assert.deepEqual(ids(searchEntries(ENTRIES, "day hiring")), [], "every word must match");
  assert.deepEqual(ids(searchEntries(ENTRIES, "o")), ["launch", "day", "job"], "parts of words");
});

test("an empty draft is replaced; otherwise the post goes at the caret, over a selection", () => {
  const text = "Proud of my {team}";
  assert.deepEqual(insertion("", null, text), { start: 0, end: 0, replacement: text });
  assert.deepEqual(insertion(" \n", [1, 1], text), { start: 0, end: 2, replacement: text });
  assert.deepEqual(insertion("Hello ", null, text), { start: 6, end: 6, replacement: text }, "no caret: the end");
  assert.deepEqual(insertion("Hello world", [6, 11], text), { start: 6, end: 11, replacement: text });
  assert.deepEqual(insertion("Hello world", [11, 6], text), { start: 6, end: 11, replacement: text }, "backwards");
  assert.deepEqual(insertion("Hi", [9, 9], text), { start: 2, end: 2, replacement: text }, "clamped");
});

test("the first placeholder is selected after the insertion point", () => {
  const e = entry({
    text: "Proud of my {team} at {place}",
    placeholders: [
      { name: "team", start: 12, end: 18 },
      { name: "place", start: 22, end: 29 },
    ],
  });
  assert.deepEqual(placeholderSpan(e, 0), { start: 12, end: 18 });
  assert.deepEqual(placeholderSpan(e, 6), { start: 18, end: 24 });
  assert.equal("Hello Proud of my {team} at {place}".slice(18, 24), "{team}");
  assert.equal(placeholderSpan(entry({ text: "No blanks" }), 3), null);
});

test("details list the tags and the last day", () => {
  assert.equal(entryDetails(ENTRIES[0]), "#launch #product");
  assert.equal(
    entryDetails(entry({ tags: ["a"], active: { from: null, until: "2027-03-31" } })),
    "#a · until 2027-03-31",
  );
  assert.equal(entryDetails(entry({})), "");
});

const CTX = {
  id: "e1",
  now: Date.UTC(2026, 10, 23),
  policy: { id: "acme", version: "1" },
  site: "www.linkedin.com",
  platform: "linkedin",
  extensionVersion: "0.1.0",
  userHint: null,
  installId: "7d6f0c52-0b7e-4f4e-9a51-3f1c2b8e4a10",
  ring: "pilot",
};

test("a library-used event carries the entry id, platform and site, never the text", () => {
  const text = "Proud to spend today with my team";
  const e = makeEvent({ kind: "library-used", entry: "community-day", action: "insert", text, rules: [] }, CTX);
  assert.deepEqual(e, {
    id: "e1",
    time: "2026-11-23T00:00:00.000Z",
    kind: "library-used",
    rules: [],
    severity: null,
    policy: { id: "acme", version: "1" },
    platform: "linkedin",
    site: "www.linkedin.com",
    extensionVersion: "0.1.0",
    installId: "7d6f0c52-0b7e-4f4e-9a51-3f1c2b8e4a10",
    ring: "pilot",
    entry: "community-day",
    action: "insert",
  });
  assert.ok(!JSON.stringify(e).includes(text));
  assert.equal(makeEvent({ kind: "library-used", entry: "a", action: "copy" }, CTX).action, "copy");
  assert.throws(() => makeEvent({ kind: "library-used", entry: "not an id, a text" }, CTX), /entry's id/);
  assert.throws(() => makeEvent({ kind: "library-used" }, CTX), /entry's id/);
});
