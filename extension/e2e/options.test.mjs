// The options page's policy playground, in Chromium with the built extension: the default
// policy loads, findings update as the draft changes, and a broken policy shows the
// error with its line and column (and no findings), then recovers.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launch, until } from "./harness.mjs";

let browser, page;
before(async () => {
  browser = await launch();
  page = await browser.openExtensionPage("src/options/options.html");
  await until(async () => /compiles/.test(await page.textContent("#policy-status")), 10000, "the default policy");
});
after(async () => {
  await browser?.close();
});

const findings = () => page.$$eval("#findings li", (lis) => lis.map((li) => li.textContent));

test("the default policy checks the draft live", async () => {
  assert.match(
    await page.textContent("#policy-status"),
    /^Policy “draftguard default policy” 2026\.11\.1 compiles: \d+ rules/,
  );
  await page.fill("#draft", "card 4111 1111 1111 1111 please");
  const list = await until(
    async () => {
      const f = await findings();
      return f.some((t) => t.includes("4111 1111 1111 1111")) && f;
    },
    5000,
    "the card finding",
  );
  assert.equal(list.length, 1);
  assert.match(list[0], /^block4111 1111 1111 1111 \[card-number\]/);
});

test("a broken policy shows where it is wrong, then recovers", async () => {
  await page.fill("#policy", "policy: t\nrules:\n  - {id: a, kind: phrases, phrase: [x]}\n");
  const status = await until(
    async () => {
      const s = await page.textContent("#policy-status");
      return /unknown field/.test(s) && s;
    },
    5000,
    "the error",
  );
  assert.match(status, /^policy:3:28: rule `a`: unknown field `phrase` \(did you mean `phrases`\?\)/);
  assert.deepEqual(await findings(), []);
  await page.fill(
    "#policy",
    "policy: t\nrules:\n  - {id: moon, kind: phrases, severity: warn, phrases: [to the moon], message: 'No hype: {match}'}\n",
  );
  await page.fill("#draft", "Stock going To The Moon!");
  const list = await until(
    async () => {
      const f = await findings();
      return f.some((t) => t.includes("[moon]")) && f;
    },
    5000,
    "the custom rule's finding",
  );
  assert.deepEqual(list, ["warnTo The Moon [moon] No hype: To The Moon"]);
});
