// A site adapter the content script must drop, in a build of the extension whose
// adapters.json gives the fixture site an adapter with a platform the engine does not
// know: the site is still checked (with the generic adapter), the page's console says what
// is wrong and where, and the popup shows it.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { shadowQuery, until, useBrowser } from "./harness.mjs";

const CARD = "4111 1111 1111 1111";
const env = useBrowser({
  patch(dir) {
    const file = path.join(dir, "src", "adapters.json");
    const doc = JSON.parse(fs.readFileSync(file, "utf8"));
    doc.adapters.unshift({
      id: "fixture",
      platform: "myspace",
      hosts: ["127.0.0.1"],
      composer: ["#editor"],
      postButton: ["#post"],
      submitKeys: ["Mod+Enter"],
    });
    fs.writeFileSync(file, JSON.stringify(doc));
  },
});

test("an adapter with a platform the engine does not know: the site is checked with the generic adapter, and told why", async () => {
  const page = await env.browser.newPage();
  const errors = [];
  page.on("console", (m) => {
    if (m.type() === "error" && m.text().startsWith("draftguard")) errors.push(m.text());
  });
  await page.goto(`${env.srv.base}/textarea.html`);
  await page.click("#editor");
  await page.keyboard.type(`card ${CARD} ok`);
  const marks = () =>
    shadowQuery(page, (n) => n.name === "span" && n.attrs["data-rule"]).then((ns) => ns.map((n) => n.text));
  await until(async () => (await marks()).includes(CARD), 5000, "the underline");
  await page.click("#post");
  await until(async () => (await shadowQuery(page, (n) => n.attrs.role === "alertdialog")).length, 5000, "the block");
  assert.deepEqual(await page.evaluate(() => window.posts), []);

  const problem = `adapters.json: adapter "fixture": field "platform" ("myspace") is not a platform the engine knows: linkedin, x, facebook, instagram, threads, reddit, bluesky, mastodon, youtube, tiktok, generic; drafts on 127.0.0.1 are checked with the "generic" adapter instead`;
  assert.deepEqual(errors, [`draftguard: ${problem}`]);

  const tabStatus = await env.browser.extensionEval(async () => {
    for (const t of await chrome.tabs.query({})) {
      try {
        const s = await chrome.tabs.sendMessage(t.id, { type: "status" });
        if (s?.site === "127.0.0.1") return { id: t.id, ...s };
      } catch {
        // no content script in this tab
      }
    }
    return null;
  });
  assert.equal(tabStatus?.platform, "generic");
  assert.deepEqual(tabStatus.adapterProblems, [problem]);
  const popup = await env.browser.openExtensionPage(`src/popup/popup.html?tab=${tabStatus.id}`);
  await until(async () => popup.isVisible("#adapter-problems"), 5000, "the adapter problem in the popup");
  assert.equal(await popup.textContent("#adapter-problems"), problem);
  await popup.close();
  await page.close();
});
