// The approved posts, end to end in every fixture composer: the button beside the badge
// opens the list in the page's card UI, Insert puts the exact text at the caret, its first
// placeholder is selected, Ctrl+Z restores the previous draft, and the post goes out once
// with exactly the inserted text. The popup's "Approved posts" tab lists, searches and
// previews the same posts. (The `library-used` audit event: admin.test.mjs, which has a
// managed browser with a report server.) Screenshots go to dist/library/: the open list
// (list-<browser>.png), a post just inserted (inserted-<browser>.png), the popup's tab.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { BROWSER, shadowClick, shadowQuery, until, useBrowser } from "./harness.mjs";

/** The embedded default policy's community-day post, the one offered on any site. */
const ENTRY = "community-day";
const TEXT =
  "Proud to spend today with my {team} colleagues volunteering at {place} for Acme Community Day. #AcmeEmployee #CommunityDay";
const BEFORE = "Hello ";
const SHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist/library");

// Each fixture composer: its page, the element to click, and the text the page posts
// (the editor's own model for the editor libraries).
const model = (p) => p.evaluate(() => window.fixture.text());
const EDITORS = {
  textarea: { page: "textarea.html", text: (p) => p.$eval("#editor", (e) => e.value) },
  contenteditable: { page: "contenteditable.html", text: (p) => p.$eval("#editor", (e) => e.innerText) },
  lexical: { page: "lexical.html", text: model },
  draftjs: { page: "draftjs.html", text: model },
  prosemirror: { page: "prosemirror.html", text: model },
  quill: { page: "quill.html", text: model },
};

/** Chrome's contenteditable writes runs of spaces with U+00A0; the words are what count. */
const plain = (s) => s.replace(/\u00a0/g, " ").replace(/\n+$/, "");

const env = useBrowser();

const libraryButton = (page) =>
  shadowQuery(page, (n) => n.name === "button" && n.attrs.class === "library-button").then((ns) => ns[0]);
// shadowQuery's predicate sees names and attributes; texts are compared on what it returns.
const button = (page, text) =>
  shadowQuery(page, (n) => n.name === "button").then((ns) => ns.find((n) => n.text === text));
const selected = (page) =>
  page.evaluate(() => {
    const a = document.activeElement;
    if (a instanceof HTMLTextAreaElement) return a.value.slice(a.selectionStart, a.selectionEnd);
    return getSelection().toString();
  });

/** Opens the list with the button beside the badge and inserts the entry. */
async function insert(page) {
  const b = await until(() => libraryButton(page), 8000, "the approved-posts button");
  assert.equal(b.attrs["aria-label"], "Approved posts (1)");
  await shadowClick(page, b);
  const entry = await until(
    async () => (await shadowQuery(page, (n) => n.name === "button" && n.attrs["data-entry"] === ENTRY))[0],
    5000,
    "the list",
  );
  assert.match(entry.text, /^Community day: volunteering/);
  const preview = (await shadowQuery(page, (n) => n.attrs.class === "preview"))[0];
  assert.equal(preview.text, TEXT);
  await shadowClick(page, await until(() => button(page, "Insert"), 5000, "the Insert button"));
}

for (const [kind, fx] of Object.entries(EDITORS)) {
  test(`${kind}: an approved post goes in at the caret, its placeholder selected, Ctrl+Z takes it out, it posts once`, async () => {
    const page = await env.browser.newPage();
    await page.goto(`${env.srv.base}/${fx.page}`);
    await page.click("#editor");
    await page.keyboard.type(BEFORE);
    await until(async () => plain(await fx.text(page)) === BEFORE, 5000, "the typed draft");
    const expected = BEFORE + TEXT;

    await insert(page);
    await until(async () => plain(await fx.text(page)) === expected, 8000, "the inserted post");
    await until(async () => (await selected(page)) === "{team}", 5000, "the first placeholder selected");
    assert.equal((await shadowQuery(page, (n) => n.attrs.class === "preview")).length, 0, "the list closed");
    if (kind === "lexical") {
      fs.mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, `inserted-${BROWSER}.png`) });
    }

    await page.keyboard.press("Control+z");
    await until(async () => plain(await fx.text(page)) === BEFORE, 5000, "the previous draft after Ctrl+Z");

    // Again, and post it: the post carries exactly the inserted text, once.
    await page.keyboard.press("End");
    await insert(page);
    await until(async () => plain(await fx.text(page)) === expected, 8000, "the inserted post again");
    await page.click("#post");
    await until(async () => (await page.evaluate(() => window.posts.length)) === 1, 5000, "the post");
    await new Promise((r) => setTimeout(r, 300));
    const posts = await page.evaluate(() => window.posts.slice());
    assert.deepEqual(posts.map(plain), [expected]);
    await page.close();
  });
}

test("the list is keyboard reachable and searchable, and an editor's own text is checked after insertion", async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.srv.base}/textarea.html`);
  await page.click("#editor");
  const b = await until(() => libraryButton(page), 8000, "the approved-posts button");
  await shadowClick(page, b);
  await until(
    async () => (await page.evaluate(() => document.activeElement?.tagName)) === "DRAFTGUARD-UI",
    5000,
    "focus in the list",
  );
  await page.keyboard.type("hiring");
  await until(
    async () => (await shadowQuery(page, (n) => n.attrs["data-entry"] === ENTRY)).length === 0,
    5000,
    "the search",
  );
  const none = (await shadowQuery(page, (n) => n.name === "li")).filter((n) => n.text === "No approved post matches.");
  assert.equal(none.length, 1);
  for (let i = 0; i < 6; i++) await page.keyboard.press("Backspace");
  await page.keyboard.type("volunteering");
  await until(
    async () => (await shadowQuery(page, (n) => n.attrs["data-entry"] === ENTRY)).length === 1,
    5000,
    "found by tag",
  );
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `list-${BROWSER}.png`) });
  // Enter in the search field inserts the match into the empty draft.
  await page.keyboard.press("Enter");
  await until(
    async () => (await page.$eval("#editor", (e) => e.value)) === TEXT,
    8000,
    "the post replacing the empty draft",
  );
  // The employee types over the placeholder something the policy flags: it is checked.
  await page.keyboard.type("4111 1111 1111 1111");
  await until(
    async () => (await page.$eval("#editor", (e) => e.dataset.draftguardCount)) === "1",
    5000,
    "the edit flagged",
  );
  await page.close();
});

test("the popup's Approved posts tab lists the posts for the tab's platform, searches and previews them", async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.srv.base}/textarea.html`);
  await page.click("#editor");
  await until(() => libraryButton(page), 8000, "the content script");
  await page.bringToFront();
  const tabs = await env.browser.extensionEval(async () => (await chrome.tabs.query({})).map((t) => t.id));
  let tabId = null;
  for (const t of tabs) {
    const site = await env.browser.extensionEval(async (t) => {
      try {
        return (await chrome.tabs.sendMessage(t, { type: "status" }))?.site ?? null;
      } catch {
        return null;
      }
    }, t);
    if (site === "127.0.0.1") tabId = t;
  }
  assert.ok(tabId, "the fixture tab answers");
  const popup = await env.browser.openExtensionPage(`src/popup/popup.html?tab=${tabId}`);
  await popup.click("#tab-library");
  assert.equal(await popup.isHidden("#panel-page"), true);
  const items = await until(
    async () => {
      const t = await popup.$$eval("#library-list button", (l) => l.map((x) => x.dataset.entry));
      return t.length && t;
    },
    5000,
    "the list",
  );
  assert.deepEqual(items, [ENTRY], "only the post offered on any site (the others name platforms)");
  assert.equal(await popup.textContent("#library-scope"), "For this site: 1 post");
  assert.equal(await popup.textContent("#library-preview"), TEXT);
  await popup.fill("#library-search", "launch");
  await until(async () => (await popup.$$eval("#library-list button", (l) => l.length)) === 0, 5000, "no match");
  assert.equal(await popup.textContent("#library-preview"), "");
  await popup.fill("#library-search", "COMMUNITY");
  await until(async () => (await popup.$$eval("#library-list button", (l) => l.length)) === 1, 5000, "a match");
  assert.equal(await popup.textContent("#library-preview"), TEXT);
  fs.mkdirSync(SHOTS, { recursive: true });
  await popup.screenshot({ path: path.join(SHOTS, `popup-${BROWSER}.png`) });
  await popup.close();
  await page.close();
});
