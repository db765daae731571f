// A site adapter that arrives in the signed bundle (`adapters:` in the policy), in each
// browser with a real managed policy (driver.mjs managedPolicy): an in-house composer that
// no built-in adapter knows (fixtures/intranet.html) is not protected; then the bundle
// server serves a new version whose policy carries an adapter for it, the browser picks it
// up, and in the same open tab, without a reload, the draft is underlined and its post is
// blocked. Bundles are signed with the CLI, as in admin.test.mjs.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { managedPolicy } from "./driver.mjs";
import { launch, serveFixtures, shadowQuery, until } from "./harness.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.resolve(here, "../../target/release/draftguard");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "draftguard-adapter-e2e-"));
const cli = (...args) => execFileSync(CLI, args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const managed = managedPolicy();

const ADAPTER = `adapters:
  - id: acme-intranet
    platform: generic
    hosts: ["127.0.0.1"]
    composer: [".note-editor"]
    postButton: ["[data-action='ship']"]
    submitKeys: [Mod+Enter]
`;
const policy = (version, adapters = "") => `policy: acme
version: "${version}"
title: Acme intranet policy
extends: [default]
rules:
  - id: moonshot
    kind: phrases
    severity: block
    message: "No hype: {match}"
    phrases: ["to the moon"]
${adapters}tests:
  - text: "Our stock is going to the moon"
    expect: [moonshot]
`;
function bundle(name, text) {
  fs.writeFileSync(path.join(dir, `${name}.yaml`), text);
  cli("bundle", `${name}.yaml`, "--key", "pinned.key", "-o", `${name}.json`, "--force");
  return fs.readFileSync(path.join(dir, `${name}.json`), "utf8");
}
const pinned = cli("keygen", "--out", "pinned").match(/ed25519:\S+/)[0];
const PLAIN = bundle("plain", policy("2026.11.3"));
const PATCHED = bundle("patched", policy("2026.11.4", ADAPTER));

let fixtures, server, browser, options;
let body = PLAIN;

/** What is underlined in the contenteditable composer (CSS Custom Highlight API ranges). */
const marks = (page) =>
  page.evaluate(() =>
    ["block", "warn", "info"].flatMap((s) =>
      [...(globalThis.CSS?.highlights?.get(`draftguard-${s}`) ?? [])].map((r) => r.toString()),
    ),
  );
/** What the extension put on the composer: how many findings it shows (none: not attached). */
const count = (page) => page.$eval(".note-editor", (e) => e.dataset.draftguardCount ?? null);
const dialogs = (page) => shadowQuery(page, (n) => n.attrs.role === "alertdialog");
const posts = (page) => page.evaluate(() => window.posts.slice());
const lines = (page) =>
  page.$$eval("#status p", (ps) => Object.fromEntries(ps.map((p) => [p.dataset.status, p.textContent])));

before(async () => {
  fixtures = await serveFixtures();
  server = http.createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(body));
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  managed.write({ bundleUrl: `http://127.0.0.1:${server.address().port}/bundle.json`, publicKeys: [pinned] });
  browser = await launch();
  options = await browser.openExtensionPage("src/options/options.html");
  await until(async () => /2026\.11\.3/.test((await lines(options)).policy ?? ""), 15000, "the first bundle");
});

after(async () => {
  await browser?.close();
  managed.remove();
  fixtures?.server.close();
  server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test("an adapter in a new signed bundle protects an unknown composer in the open tab, without a reload", async () => {
  const page = await browser.newPage();
  await page.goto(`${fixtures.base}/intranet.html`);
  await page.evaluate(() => {
    window.notReloaded = true;
  });
  await page.click(".note-editor");
  await page.keyboard.type("We are going to the moon");
  // No built-in adapter knows this composer: nothing is underlined, and the post goes out.
  await page.waitForTimeout(700);
  assert.deepEqual(await marks(page), []);
  assert.equal(await count(page), null);
  await page.click(".ship");
  await until(async () => (await posts(page)).length === 1, 5000, "the unprotected post");
  assert.deepEqual(await dialogs(page), []);

  // The user is back in the composer when the admin's new bundle arrives.
  await page.click(".note-editor");
  await page.keyboard.press("End");
  await page.keyboard.type(", to the moon again");
  await page.waitForTimeout(300);
  assert.deepEqual(await marks(page), []);
  body = PATCHED;
  const res = await options.evaluate(() => chrome.runtime.sendMessage({ type: "refresh" }));
  assert.equal(res.status.policy.version, "2026.11.4");
  assert.deepEqual(
    res.status.adapters.map((a) => a.id),
    ["acme-intranet"],
  );
  await until(
    async () => (await lines(options)).adapters === "Site adapters from the policy: acme-intranet",
    5000,
    "the adapter in the options page's status",
  );

  // The same tab, not reloaded: the draft is checked and underlined...
  await until(
    async () => (await marks(page)).filter((m) => m === "to the moon").length === 2,
    5000,
    "the underlines from the patched adapter",
  );
  assert.equal(await count(page), "2");
  assert.equal(await page.evaluate(() => window.notReloaded), true);
  // ...and its post button and submit key are guarded.
  await page.click(".ship");
  await until(async () => (await dialogs(page)).length === 1, 5000, "the block dialog on click");
  const edit = (await shadowQuery(page, (n) => n.name === "button")).find((n) => n.text === "Edit");
  await page.shadowClick(edit); // "Edit" closes the dialog and puts the caret back in the composer
  await until(async () => (await dialogs(page)).length === 0, 5000, "the dialog closed");
  await page.keyboard.press("Control+Enter");
  await until(async () => (await dialogs(page)).length === 1, 5000, "the block dialog on Ctrl+Enter");
  assert.equal((await posts(page)).length, 1, "nothing more was posted");
  await page.close();
});
