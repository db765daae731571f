// The first start of an install, before the managed configuration has arrived (Chromium
// answers `storage.managed` only once its policy service is ready, seconds after a browser
// start): the first check must show something within 1 s of the typing pause (here the
// "Policy loading" badge), a post attempted meanwhile follows the fail mode (no
// configuration: "open", so it goes through once and the badge said the draft was not
// checked), and once the configuration arrives the draft is checked and a post blocked.
// How late the configuration comes is made deterministic by a copy of the build whose
// worker holds `storage.managed.get` until the test releases it.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { shadowQuery, until, useBrowser } from "./harness.mjs";

const CARD = "4111 1111 1111 1111";
const RELEASE = "e2e-release-managed";
const PRELUDE = `// Added by extension/e2e/startup.test.mjs: storage.managed answers when released.
const get = chrome.storage.managed.get.bind(chrome.storage.managed);
let release;
const released = new Promise((r) => { release = r; });
chrome.storage.managed.get = (...args) => released.then(() => get(...args));
globalThis.releaseManaged = () => { release(); return true; };
chrome.runtime.onMessage.addListener((msg, _sender, sendResponse) => {
  if (msg?.type !== ${JSON.stringify(RELEASE)}) return false;
  release();
  sendResponse(true);
  return false;
});
`;
const env = useBrowser({
  patch(dir) {
    const worker = path.join(dir, "src", "background", "worker.js");
    fs.writeFileSync(path.join(dir, "src", "background", "e2e-managed-late.js"), PRELUDE);
    fs.writeFileSync(worker, `import "./e2e-managed-late.js";\n${fs.readFileSync(worker, "utf8")}`);
  },
});

const badge = async (page) => (await shadowQuery(page, (n) => n.attrs.class === "badge"))[0];

test("before the managed configuration arrives: the loading badge within 1 s, a post follows the fail mode, then the draft is checked", async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.srv.base}/textarea.html`);
  await page.click("#editor");
  await page.keyboard.type(`card ${CARD} ok`);
  const typed = Date.now();
  const loading = await until(
    async () => {
      const b = await badge(page);
      return b?.attrs["data-notice"] && b;
    },
    5000,
    "the loading badge",
  );
  const shownAfter = Date.now() - typed;
  assert.ok(shownAfter <= 1000, `the loading badge showed ${shownAfter} ms after the typing pause`);
  assert.equal(loading.text, "⚠ Policy loading");
  assert.equal(loading.attrs["data-notice"], "open");
  assert.match(loading.attrs["aria-label"], /still loading.*not checked yet/);

  // Fail mode "open" (no configuration yet, so no admin's "closed"): the post goes through, once.
  await page.click("#post");
  await until(async () => (await page.evaluate(() => window.posts.length)) === 1, 5000, "the post");
  assert.equal((await shadowQuery(page, (n) => n.attrs.role === "alertdialog")).length, 0);

  // The configuration arrives: the open composer is checked again without a keystroke.
  assert.equal(
    await env.browser.extensionEval(
      (type) => (typeof releaseManaged === "function" ? releaseManaged() : chrome.runtime.sendMessage({ type })),
      RELEASE,
    ),
    true,
  );
  const checked = await until(
    async () => {
      const b = await badge(page);
      return b && !b.attrs["data-notice"] && b;
    },
    10000,
    "the check's result",
  );
  assert.equal(checked.text, "1");
  assert.deepEqual(
    (await shadowQuery(page, (n) => n.name === "span" && n.attrs["data-rule"])).map((n) => n.text),
    [CARD],
  );
  await page.click("#post");
  await until(async () => (await shadowQuery(page, (n) => n.attrs.role === "alertdialog")).length, 5000, "the block");
  assert.equal(await page.evaluate(() => window.posts.length), 1);
  await page.close();
});
