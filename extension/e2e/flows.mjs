// The flows every composer must pass, end to end, defined once over a table of fixtures
// (flows.test.mjs: the editor fixtures on 127.0.0.1; sites.test.mjs: the real-site
// structures on the real host names): the underline covers exactly the flagged text, the
// card explains it, a fix takes the route the editor expects and gives the exact text,
// Ctrl+Z restores it and redo gives it back once, a blocked post (click and submit key)
// is not made and the draft is intact, "Post anyway" posts exactly once, a clean draft
// posts once, and no request ever carries the draft.
//
// A fixture is data plus how a user reaches and uses it:
//   open(page)      navigates and puts the caret in the composer (as a user would: clicks)
//   post(page)      clicks the post control
//   submitKey       the key that posts from the composer ("Control+Enter", or "Enter")
//   text(page)      the draft as the site would post it
//   underlined(page) the text of each underline
//   caretAt(page, i) collapses the caret at text offset i
//   dataset(page)   the composer's data-* (where fix.js records the route a fix took)
//   fixPath         the route a fix is expected to take (fix.js)
//   todo            { [flow]: reason } for a flow known to fail, so the gap stays visible

import assert from "node:assert/strict";
import { test } from "node:test";
import { shadowClick, shadowQuery, until } from "./harness.mjs";

export const CARD = "4111 1111 1111 1111";
export const PHONE = "(212) 555-0187";
export const DRAFT = `Call me at ${PHONE}, card ${CARD} thanks`;
const CLEAN = ["Proud of the team today.", "Views are my own."];

const posts = (page) => page.evaluate(() => window.posts.slice());
const dialogOpen = (page) => shadowQuery(page, (n) => n.attrs.role === "alertdialog").then((d) => d.length);

/**
 * Registers the flows for each fixture of `fixtures` (name -> fixture) against the
 * browser of `env` (harness.mjs useBrowser).
 * @param {{ browser: any }} env
 * @param {Record<string, any>} fixtures
 */
export function defineFlows(env, fixtures) {
  for (const [kind, fx] of Object.entries(fixtures)) {
    const open = async () => {
      const page = await env.browser.newPage();
      await fx.open(page);
      return page;
    };

    test(`${kind}: underlines exactly the flagged text and explains it`, { todo: fx.todo?.underline }, async () => {
      const page = await open();
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
        async () => (await shadowQuery(page, (n) => n.attrs.class === "msg")).length === 1 && (await cardFocused(page)),
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
      assert.deepEqual(await posts(page), [], "Alt+Enter and Escape post nothing");
      await page.close();
    });

    test(`${kind}: a fix takes the ${fx.fixPath} route, replaces exactly the span, Ctrl+Z restores it, redo does not duplicate`, {
      todo: fx.todo?.fix,
    }, async () => {
      const page = await open();
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
      const result = await until(async () => (await fx.dataset(page)).draftguardFixResult, 5000, "the fix's result");
      assert.equal(result, "applied");
      assert.equal((await fx.dataset(page)).draftguardFix, fx.fixPath);
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

    test(`${kind}: a blocked post (click, ${fx.submitKey}) is not made, the draft is intact, Post anyway posts once`, {
      todo: fx.todo?.block,
    }, async () => {
      const page = await open();
      await page.keyboard.type(DRAFT);
      await until(async () => (await fx.underlined(page)).length === 2, 5000, "underlines");
      await fx.post(page);
      await until(() => dialogOpen(page), 5000, "the block dialog");
      assert.deepEqual(await posts(page), []);
      assert.equal(await fx.text(page), DRAFT);
      // The submit key is stopped too.
      const edit = (await shadowQuery(page, (n) => n.name === "button")).find((n) => n.text === "Edit");
      await shadowClick(page, edit);
      await fx.caretAt(page, DRAFT.length);
      await page.keyboard.press(fx.submitKey);
      await until(() => dialogOpen(page), 5000, "the block dialog again");
      assert.deepEqual(await posts(page), []);
      assert.equal(await fx.text(page), DRAFT, `${fx.submitKey} changed nothing in the draft`);
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

    // Where plain Enter sends, Shift+Enter must still break the line, and the clean draft
    // is sent with Enter; elsewhere with the post control.
    const enter = fx.submitKey === "Enter";
    test(`${kind}: a clean draft posts once${enter ? " (Shift+Enter breaks the line, Enter sends)" : ""}`, {
      todo: fx.todo?.clean,
    }, async () => {
      const page = await open();
      if (enter) {
        await page.keyboard.type(CLEAN[0]);
        await page.keyboard.press("Shift+Enter");
        await page.keyboard.type(CLEAN[1]);
        await until(async () => (await fx.text(page)).trim() === CLEAN.join("\n"), 5000, "two lines in the draft");
        assert.deepEqual(await posts(page), [], "Shift+Enter did not send");
        await new Promise((r) => setTimeout(r, 400));
        await page.keyboard.press("Enter");
      } else {
        await page.keyboard.type(CLEAN.join(" "));
        await new Promise((r) => setTimeout(r, 400));
        await fx.post(page);
      }
      await until(async () => (await posts(page)).length === 1, 5000, "one post");
      await new Promise((r) => setTimeout(r, 300));
      const made = await posts(page);
      assert.equal(made.length, 1);
      assert.equal(made[0].trim(), CLEAN.join(enter ? "\n" : " "));
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
}

/** Whether the keyboard focus is in draftguard's card (its element, in any frame). */
const cardFocused = (page) =>
  page.evaluate(() => {
    let d = document;
    for (;;) {
      const a = d.activeElement;
      if (a?.tagName === "DRAFTGUARD-UI") return true;
      if (a?.tagName === "IFRAME" && a.contentDocument) d = a.contentDocument;
      else return false;
    }
  });
