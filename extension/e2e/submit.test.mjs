// A form submit (not a click on a known post button) is stopped in the capture phase when
// the draft has a blocking finding, and goes through when it is clean.

import assert from "node:assert/strict";
import { test } from "node:test";
import { shadowQuery, until, useBrowser } from "./harness.mjs";

const env = useBrowser();

test("form submit is stopped for a blocking finding and passes when clean", async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.srv.base}/form.html`);
  await page.click("#editor");
  await page.keyboard.type("card 4111 1111 1111 1111 please");
  await until(
    async () => (await shadowQuery(page, (n) => n.name === "span" && n.attrs["data-rule"])).length === 1,
    5000,
    "the underline",
  );
  await page.evaluate(() => document.querySelector("#form").requestSubmit());
  await until(
    async () => (await shadowQuery(page, (n) => n.attrs.role === "alertdialog")).length,
    5000,
    "the block dialog",
  );
  assert.deepEqual(await page.evaluate(() => window.posts), []);
  assert.equal(await page.$eval("#editor", (e) => e.value), "card 4111 1111 1111 1111 please");

  // A new load of the page, not a reload: Firefox restores a reloaded form's draft.
  await page.goto(`${env.srv.base}/form.html`);
  await page.click("#editor");
  await page.keyboard.type("Thanks, see you Tuesday.");
  await page.waitForTimeout(400);
  await page.evaluate(() => document.querySelector("#form").requestSubmit());
  await until(async () => (await page.evaluate(() => window.posts.length)) === 1, 5000, "one submit");
  assert.deepEqual(await page.evaluate(() => window.posts), ["Thanks, see you Tuesday."]);
  await page.close();
});
