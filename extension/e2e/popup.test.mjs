// The toolbar popup, opened as a page for the fixture's tab: it shows the policy in force
// (the embedded default: nothing is managed here) and what is flagged in that tab, and its
// switch turns draftguard off (and on) for the site: underlines go away and posting is no
// longer stopped.

import assert from "node:assert/strict";
import { test } from "node:test";
import { shadowQuery, until, useBrowser } from "./harness.mjs";

const CARD = "4111 1111 1111 1111";
const env = useBrowser();

const marks = (page) =>
  shadowQuery(page, (n) => n.name === "span" && n.attrs["data-rule"]).then((ns) => ns.map((n) => n.text));

test("the popup shows the policy and this tab's findings, and switches the site off and on", async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.srv.base}/textarea.html`);
  await page.click("#editor");
  await page.keyboard.type(`card ${CARD} ok`);
  await until(async () => (await marks(page)).includes(CARD), 5000, "the underline");
  await page.bringToFront();
  const tabs = await env.browser.extensionEval(async () =>
    (await chrome.tabs.query({ active: true })).map((t) => t.id),
  );
  let tabId = null;
  for (const t of tabs) {
    const ok = await env.browser.extensionEval(async (t) => {
      try {
        return (await chrome.tabs.sendMessage(t, { type: "status" }))?.site ?? null;
      } catch {
        return null;
      }
    }, t);
    if (ok === "127.0.0.1") tabId = t;
  }
  assert.ok(tabId, "the fixture tab answers");

  const popup = await env.browser.openExtensionPage(`src/popup/popup.html?tab=${tabId}`);
  const status = await until(
    async () => {
      const t = await popup.$$eval("#status p", (ps) => ps.map((p) => p.textContent));
      return t.length === 3 && t;
    },
    5000,
    "the policy status",
  );
  assert.deepEqual(status, ["Source: embedded default policy", "Policy: draftguard default policy 2026.11.1", "OK"]);
  assert.equal(await popup.isHidden("#check-now"), true, "nothing to check for without a managed bundle URL");
  const items = await until(
    async () => {
      const t = await popup.$$eval("#findings li", (l) => l.map((x) => x.textContent));
      return t.some((x) => x.includes(CARD)) && t;
    },
    5000,
    "the findings",
  );
  assert.equal(items.length, 1);
  assert.match(items[0], /^block4111 1111 1111 1111/);
  assert.equal(await popup.textContent("#site-label"), "Check drafts on 127.0.0.1");
  assert.equal(await popup.isChecked("#enabled"), true);

  // Off: the underline goes, and the post is not stopped.
  await popup.click("#enabled");
  await until(async () => (await marks(page)).length === 0, 5000, "the underline to go");
  await page.bringToFront();
  await page.click("#post");
  await until(async () => (await page.evaluate(() => window.posts.length)) === 1, 5000, "the post");

  // On again: the next focus checks again.
  await popup.bringToFront();
  await popup.click("#enabled");
  await page.bringToFront();
  await page.click("#editor");
  await page.keyboard.type(" again");
  await until(async () => (await marks(page)).includes(CARD), 5000, "the underline again");
  await popup.close();
  await page.close();
});
