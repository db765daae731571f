// A text box draftguard cannot check is visible: one inside a closed shadow root
// (fixtures/closed-shadow.html) and one inside a frame from another origin
// (fixtures/frame-host.html embeds localhost from 127.0.0.1). Going into either sets the
// tab's toolbar badge, the popup for that tab explains why, and going into a composer
// draftguard checks clears the badge again.

import assert from "node:assert/strict";
import { test } from "node:test";
import { until, useBrowser } from "./harness.mjs";

const env = useBrowser();

/** The id of the tab showing `url`. */
const tabOf = (url) =>
  env.browser.extensionEval(async (url) => (await chrome.tabs.query({})).find((t) => t.url === url)?.id ?? null, url);
const badge = (tabId) =>
  env.browser.extensionEval(
    async (tabId) => ({
      text: await chrome.action.getBadgeText({ tabId }),
      title: await chrome.action.getTitle({ tabId }),
    }),
    tabId,
  );
/** Clicks the middle of the element `selector` names (a shadow host, a frame). */
async function clickMiddle(page, selector) {
  const r = await page.$eval(selector, (e) => {
    const b = e.getBoundingClientRect();
    return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  });
  await page.mouse.click(r.x, r.y);
}
const TITLE = "draftguard cannot check the text box you went into on this page (click for why)";

async function popupSays(tabId) {
  const popup = await env.browser.openExtensionPage(`src/popup/popup.html?tab=${tabId}`);
  await until(() => popup.isVisible("#unprotected"), 5000, "the explanation in the popup");
  const text = await popup.textContent("#unprotected");
  await popup.close();
  return text;
}

for (const { name, file, into, typed, why } of [
  {
    name: "a closed shadow root",
    file: "closed-shadow.html",
    into: "#closed",
    typed: "hello from the closed root",
    why: "the site built it inside a closed shadow root, which browser extensions cannot see into",
  },
  {
    name: "another site's frame",
    file: "frame-host.html",
    into: "#widget",
    typed: "hello from the frame",
    why: "it is inside a frame from another site (http://localhost:PORT), which draftguard does not check",
  },
]) {
  test(`a text box in ${name}: the toolbar badge says so, the popup explains, a checked composer clears it`, async () => {
    const page = await env.browser.newPage();
    const url = `${env.srv.base}/${file}`;
    await page.goto(url);
    const tabId = await until(() => tabOf(url), 5000, "the tab");
    // Wait for the content scripts (the ordinary composer is checked).
    await page.click("#editor");
    await page.keyboard.type("ok");
    await until(
      () => page.$eval("#editor", (e) => e.dataset.draftguardCount === "0"),
      5000,
      "the ordinary composer checked",
    );
    assert.deepEqual(await badge(tabId), { text: "", title: "draftguard" });

    await clickMiddle(page, into);
    await page.keyboard.type(typed);
    const set = await until(
      async () => {
        const b = await badge(tabId);
        return b.text === "!" && b;
      },
      5000,
      "the badge",
    );
    assert.equal(set.title, TITLE);
    const port = new URL(env.srv.base).port;
    assert.equal(
      await popupSays(tabId),
      `draftguard cannot check the text box you went into on 127.0.0.1: ${why.replace("PORT", port)}. What you type there is not checked against your company's policy. Please tell your administrator about this page.`,
    );

    await page.bringToFront();
    await page.click("#editor");
    await until(async () => (await badge(tabId)).text === "", 5000, "the badge cleared");
    assert.equal((await badge(tabId)).title, "draftguard");
    await page.close();
  });
}
