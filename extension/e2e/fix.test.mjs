// Fixes in composers that cancel beforeinput insertReplacementText and then misbehave
// (fixtures/misbehaving.html): the fix waits for a late editor instead of stacking a
// second edit, takes a wrong edit back with undo, and leaves a declined fix alone. In
// every case the draft ends exact, nothing duplicated or lost, and the composer says
// which route was taken and what came of it.

import assert from "node:assert/strict";
import { test } from "node:test";
import { shadowClick, shadowQuery, until, useBrowser } from "./harness.mjs";

const PHONE = "(212) 555-0187";
const DRAFT = `Call me at ${PHONE} thanks`;
const FIXED = DRAFT.replace(PHONE, "1-800-555-0100");

const env = useBrowser();

/** Types the draft in the fixture in `mode`, clicks the fix, and returns the page and result. */
async function fix(mode) {
  const page = await env.browser.newPage();
  await page.goto(`${env.srv.base}/misbehaving.html?mode=${mode}`);
  await page.click("#editor");
  await page.keyboard.type(DRAFT);
  await until(
    () => page.evaluate(() => ["block", "warn", "info"].some((s) => CSS.highlights.get(`draftguard-${s}`)?.size)),
    5000,
    "the underline",
  );
  await page.$eval(
    "#editor",
    (e, i) => {
      e.focus();
      getSelection().collapse(e.firstChild, i);
    },
    DRAFT.indexOf(PHONE) + 2,
  );
  const button = await until(
    async () => (await shadowQuery(page, (n) => n.name === "button" && n.attrs.class === "primary"))[0],
    5000,
    "a fix button",
  );
  await shadowClick(page, button);
  const result = await until(
    () => page.$eval("#editor", (e) => e.dataset.draftguardFixResult),
    5000,
    "the fix's result",
  );
  const path = await page.$eval("#editor", (e) => e.dataset.draftguardFix);
  return { page, result, path };
}

const text = (page) => page.$eval("#editor", (e) => e.innerText);
const settle = () => new Promise((r) => setTimeout(r, 500));

test("an editor that applies the replacement late is waited for, not edited twice", async () => {
  const { page, result, path } = await fix("later");
  assert.deepEqual([path, result], ["beforeinput", "applied"]);
  assert.equal(await text(page), FIXED);
  await settle();
  assert.equal(await text(page), FIXED);
  await page.keyboard.press("Control+z");
  await until(async () => (await text(page)) === DRAFT, 5000, "the original text after undo");
  await page.close();
});

test("an editor that makes a wrong edit has it taken back by undo", async () => {
  const { page, result, path } = await fix("doubled");
  assert.deepEqual([path, result], ["beforeinput", "rolled-back"]);
  assert.equal(await text(page), DRAFT);
  await settle();
  assert.equal(await text(page), DRAFT);
  await page.close();
});

test("an editor that declines the replacement is left alone", async () => {
  const { page, result, path } = await fix("declined");
  assert.deepEqual([path, result], ["beforeinput", "declined"]);
  await settle();
  assert.equal(await text(page), DRAFT);
  await page.close();
});

test("a fix is refused when the draft changed since it was checked, and the draft is kept", async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.srv.base}/textarea.html`);
  await page.click("#editor");
  await page.keyboard.type(DRAFT);
  await until(() => page.$eval("#editor", (e) => e.dataset.draftguardCount === "1"), 8000, "the phone number flagged");
  const caret = DRAFT.indexOf(PHONE) + 2;
  await page.$eval("#editor", (e, i) => e.setSelectionRange(i, i), caret);
  const button = await until(
    async () => (await shadowQuery(page, (n) => n.name === "button" && n.attrs.class === "primary"))[0],
    8000,
    "a fix button",
  );
  // The page's own script changes the draft without an input event (as an app's
  // autocorrect might), keeping the caret inside the flagged number: the check is stale.
  await page.$eval(
    "#editor",
    (e, i) => {
      e.value = `Hi! ${e.value}`;
      e.setSelectionRange(i + 4, i + 4);
    },
    caret,
  );
  await shadowClick(page, button);
  const result = await until(
    () => page.$eval("#editor", (e) => e.dataset.draftguardFixResult),
    5000,
    "the fix's result",
  );
  assert.equal(result, "stale");
  await settle();
  assert.equal(await page.$eval("#editor", (e) => e.value), `Hi! ${DRAFT}`);
  await page.close();
});
