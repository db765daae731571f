// End to end, for every fixture composer: the underline covers exactly the flagged text,
// the card explains it, a fix takes the route the editor expects and gives the exact text,
// Ctrl+Z restores it and redo gives it back once, a blocked post is not made and the
// draft is intact, "Post anyway" posts exactly once, a clean draft posts once, and no
// request ever carries the draft.

import assert from "node:assert/strict";
import { test } from "node:test";
import { shadowClick, shadowQuery, until, useBrowser } from "./harness.mjs";

const CARD = "4111 1111 1111 1111";
const PHONE = "(212) 555-0187";
const DRAFT = `Call me at ${PHONE}, card ${CARD} thanks`;
/** Collapses the selection at text offset `i` inside the contenteditable `root`. */
const caretIn = (page, root, i) =>
  page.$eval(
    root,
    (e, i) => {
      e.focus();
      const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
      let at = i;
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (at <= n.data.length) {
          getSelection().collapse(n, at);
          return;
        }
        at -= n.data.length;
      }
    },
    i,
  );

// `root` is the composer (where data-draftguard-fix reports the route a fix took) and
// `fixPath` the route each editor is expected to take: `beforeinput` for editors that
// model insertReplacementText themselves, `execCommand` for the rest (fix.js).
const FIXTURES = {
  textarea: {
    page: "textarea.html",
    root: "#editor",
    fixPath: "execCommand",
    text: (p) => p.$eval("#editor", (e) => e.value),
    underlined: (p) =>
      shadowQuery(p, (n) => n.name === "span" && n.attrs["data-rule"]).then((ns) => ns.map((n) => n.text)),
    caretAt: (p, i) =>
      p.$eval(
        "#editor",
        (e, i) => {
          e.focus();
          e.setSelectionRange(i, i);
        },
        i,
      ),
  },
  contenteditable: {
    page: "contenteditable.html",
    root: "#editor",
    fixPath: "execCommand",
    text: (p) => p.$eval("#editor", (e) => e.innerText),
    underlined: (p) =>
      p.evaluate(() =>
        ["block", "warn", "info"].flatMap((s) =>
          [...(CSS.highlights.get(`draftguard-${s}`) ?? [])].map((r) => r.toString()),
        ),
      ),
    caretAt: (p, i) => caretIn(p, "#editor", i),
  },
};

// Composers built from the real editor libraries (fixtures/src/*.js, bundled by
// build-fixtures.mjs). `text` is the editor's own model text, as the page posts it;
// `underlined` is the CSS.highlights reading; `caretAt` collapses the DOM selection at a
// text offset inside the editor's contenteditable root. `todo` (by flow name) marks a
// flow that is known to fail, with the reason, so a gap stays visible; none today.
const editorFixture = (page, root, fixPath, todo = {}) => ({
  page,
  root,
  fixPath,
  text: (p) => p.evaluate(() => window.fixture.text()),
  underlined: FIXTURES.contenteditable.underlined,
  caretAt: (p, i) => caretIn(p, root, i),
  todo,
});
FIXTURES.lexical = editorFixture("lexical.html", "#editor", "beforeinput");
FIXTURES.draftjs = editorFixture("draftjs.html", "#editor [contenteditable]", "execCommand");
FIXTURES.prosemirror = editorFixture("prosemirror.html", "#editor", "execCommand");
FIXTURES.quill = editorFixture("quill.html", "#editor .ql-editor", "beforeinput");

const env = useBrowser();

async function open(kind) {
  const page = await env.browser.newPage();
  await page.goto(`${env.srv.base}/${FIXTURES[kind].page}`);
  await page.click("#editor");
  return page;
}

const posts = (page) => page.evaluate(() => window.posts.slice());

for (const kind of Object.keys(FIXTURES)) {
  const fx = FIXTURES[kind];

  test(`${kind}: underlines exactly the flagged text and explains it`, { todo: fx.todo?.underline }, async () => {
    const page = await open(kind);
    await page.keyboard.type(DRAFT);
    const marks = await until(
      async () => {
        const m = await fx.underlined(page);
        return m.length === 2 && m;
      },
      5000,
      "two underlines",
    );
    assert.deepEqual([...marks].sort(), [PHONE, CARD].sort());
    const badge = await until(
      async () => (await shadowQuery(page, (n) => n.attrs.class === "badge"))[0],
      5000,
      "the badge",
    );
    assert.equal(badge.text, "2");
    assert.equal(badge.attrs["aria-label"], "draftguard: 2 issues");
    await fx.caretAt(page, DRAFT.indexOf(CARD) + 3);
    const msg = await until(
      async () => (await shadowQuery(page, (n) => n.attrs.class === "msg"))[0]?.text,
      5000,
      "the card",
    );
    assert.match(msg, /card number/i);
    // Keyboard: Alt+Enter moves focus into the card, Escape closes it and returns.
    await page.keyboard.press("Alt+Enter");
    await until(
      async () => (await page.evaluate(() => document.activeElement?.tagName)) === "DRAFTGUARD-UI",
      5000,
      "focus in the card",
    );
    await page.keyboard.press("Escape");
    await until(
      async () => (await shadowQuery(page, (n) => n.attrs.class === "msg")).length === 0,
      5000,
      "the card to close",
    );
    assert.equal(await fx.text(page), DRAFT);
    await page.close();
  });

  test(`${kind}: a fix takes the ${fx.fixPath} route, replaces exactly the span, Ctrl+Z restores it, redo does not duplicate`, {
    todo: fx.todo?.fix,
  }, async () => {
    const page = await open(kind);
    await page.keyboard.type(DRAFT);
    await until(async () => (await fx.underlined(page)).length === 2, 5000, "underlines");
    await fx.caretAt(page, DRAFT.indexOf(PHONE) + 2);
    const button = await until(
      async () => (await shadowQuery(page, (n) => n.name === "button" && n.attrs.class === "primary"))[0],
      5000,
      "a fix button",
    );
    await shadowClick(page, button);
    const fixed = DRAFT.replace(PHONE, "1-800-555-0100");
    // The result is recorded once the fix has been verified: by then the text is exact.
    const result = await until(
      () => page.$eval(fx.root, (e) => e.dataset.draftguardFixResult),
      5000,
      "the fix's result",
    );
    assert.equal(result, "applied");
    assert.equal(await page.$eval(fx.root, (e) => e.dataset.draftguardFix), fx.fixPath);
    assert.equal(await fx.text(page), fixed);
    await page.keyboard.press("Control+z");
    await until(async () => (await fx.text(page)) === DRAFT, 5000, "the original text after undo");
    await page.keyboard.press("Control+Shift+z");
    await until(async () => (await fx.text(page)) === fixed, 5000, "the fixed text again after redo");
    // Nothing arrives late (a second replacement, or an edit an editor applied later).
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(await fx.text(page), fixed);
    await page.keyboard.press("Control+z");
    await until(async () => (await fx.text(page)) === DRAFT, 5000, "the original text after a second undo");
    await page.close();
  });

  test(`${kind}: a blocked post is not made, the draft is intact, Post anyway posts once`, {
    todo: fx.todo?.block,
  }, async () => {
    const page = await open(kind);
    await page.keyboard.type(DRAFT);
    await until(async () => (await fx.underlined(page)).length === 2, 5000, "underlines");
    await page.click("#post");
    await until(
      async () => (await shadowQuery(page, (n) => n.attrs.role === "alertdialog")).length,
      5000,
      "the block dialog",
    );
    assert.deepEqual(await posts(page), []);
    assert.equal(await fx.text(page), DRAFT);
    // Ctrl+Enter is stopped too.
    const edit = (await shadowQuery(page, (n) => n.name === "button")).find((n) => n.text === "Edit");
    await shadowClick(page, edit);
    await fx.caretAt(page, DRAFT.length);
    await page.keyboard.press("Control+Enter");
    await until(
      async () => (await shadowQuery(page, (n) => n.attrs.role === "alertdialog")).length,
      5000,
      "the block dialog again",
    );
    assert.deepEqual(await posts(page), []);
    // The default policy requires a justification.
    const anyway = (await shadowQuery(page, (n) => n.name === "button")).find((n) => n.text === "Post anyway");
    await shadowClick(page, anyway);
    assert.deepEqual(await posts(page), [], "no post without a justification");
    const reason = (await shadowQuery(page, (n) => n.name === "textarea"))[0];
    await shadowClick(page, reason);
    await page.keyboard.type("Approved by compliance, ticket 42");
    await shadowClick(page, anyway);
    await until(async () => (await posts(page)).length === 1, 5000, "one post");
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await posts(page)).length, 1);
    assert.equal((await posts(page))[0].trim(), DRAFT);
    await page.close();
  });

  test(`${kind}: a clean draft posts once`, { todo: fx.todo?.clean }, async () => {
    const page = await open(kind);
    await page.keyboard.type("Proud of the team today. Views are my own.");
    await new Promise((r) => setTimeout(r, 400));
    await page.click("#post");
    await until(async () => (await posts(page)).length === 1, 5000, "one post");
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await posts(page)).length, 1);
    await page.close();
  });
}

test("no request carries the draft", () => {
  const leaks = env.browser.requests.filter((r) =>
    [CARD, PHONE, "Proud of the team"].some(
      (t) => r.url.includes(encodeURIComponent(t)) || r.url.includes(t) || r.body.includes(t),
    ),
  );
  assert.deepEqual(leaks, []);
  assert.ok(env.browser.requests.length > 0, "requests were recorded");
});
