// The worker (Chromium) or event page (Firefox) is stopped while a tab is open, as both
// browsers do to an idle extension (Firefox even with the check port open): the tab's
// content script reconnects, and neither a check nor a post attempt is lost. In Firefox
// the browser itself suspends it (extensions.background.idle.timeout at 1 s); in Chromium
// the DevTools protocol stops it.

import assert from "node:assert/strict";
import { test } from "node:test";
import { BROWSER, shadowQuery, until, useBrowser } from "./harness.mjs";

const CARD = "4111 1111 1111 1111";
const OTHER = "5500 0000 0000 0004";
const env = useBrowser({ prefs: { "extensions.background.idle.timeout": 1000 } });

/** Waits until the background is stopped: by the browser when idle (Firefox), or stops it. */
async function idle() {
  if (BROWSER === "firefox") {
    await until(async () => !(await env.browser.backgroundRunning()), 15000, "Firefox to suspend the idle event page");
  } else {
    await env.browser.stopBackground();
    // DevTools saw it stop, which closed the tab's port. Chromium may start it again at
    // once for an event of its own, so "still stopped" is not asserted here.
    return;
  }
  assert.equal(await env.browser.backgroundRunning(), false);
}

const marks = (page) =>
  shadowQuery(page, (n) => n.name === "span" && n.attrs["data-rule"]).then((ns) => ns.map((n) => n.text));

test("after the background was stopped, the open tab checks again and still stops a blocked post", async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.srv.base}/textarea.html`);
  await page.click("#editor");
  await page.keyboard.type(`card ${CARD}`);
  await until(async () => (await marks(page)).includes(CARD), 5000, "the first underline");

  await idle();
  await page.keyboard.type(` or ${OTHER}`);
  const both = await until(
    async () => {
      const m = await marks(page);
      return m.length === 2 && m;
    },
    10000,
    "the underline of a check made after the stop",
  );
  assert.deepEqual(both, [CARD, OTHER]);
  assert.equal(await env.browser.backgroundRunning(), true, "the check woke it");

  await idle();
  await page.keyboard.type(" thanks");
  await page.click("#post");
  await until(
    async () => (await shadowQuery(page, (n) => n.attrs.role === "alertdialog")).length,
    10000,
    "the block dialog",
  );
  assert.deepEqual(await page.evaluate(() => window.posts), []);
  assert.equal(await page.$eval("#editor", (e) => e.value), `card ${CARD} or ${OTHER} thanks`);
  await page.close();
});
