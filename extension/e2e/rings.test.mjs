// The extension against an admin console, in each browser with a real managed policy
// (driver.mjs managedPolicy): `ring` picks the bundle URL (`{ring}` in bundleUrl),
// `reportToken` goes as `Authorization: Bearer` with every event batch and with the bundle
// request (same origin as reportUrl), every event carries this install's id and ring, the
// `status` event says what the install runs, a batch the console failed to take is sent
// again with the very same event ids, and no request carries the draft.
//
// The console is a stand-in on 127.0.0.1 written here (console/e2e runs the real one):
// `GET /v1/bundle/{ring}` with ETag and 304, `POST /v1/events` checking the bearer token.
// Keys and bundles are made with the CLI (target/release/draftguard).

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { managedPolicy } from "./driver.mjs";
import { BROWSER, launch, serveFixtures, shadowClick, shadowQuery, until } from "./harness.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.resolve(here, "../../target/release/draftguard");
const managed = managedPolicy();
const TOKEN = "dgt_e2e.Token-7~x";
const USER_HINT = "pilot-desk-3";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** What this browser says it is, from its own command line (`--version`). */
function expectedBrowser() {
  if (BROWSER === "firefox") {
    const v = execFileSync(process.env.FIREFOX ?? "/usr/bin/firefox-esr", ["--version"], { encoding: "utf8" });
    return { name: "Firefox", version: v.match(/Firefox (\d[\d.]*)/)[1] };
  }
  const v = execFileSync(process.env.CHROMIUM ?? "/usr/bin/chromium", ["--version"], { encoding: "utf8" });
  return { name: "Chromium", version: v.match(/Chromium (\S+)/)[1] };
}

// ---- keys and bundles ----------------------------------------------------------------------

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "draftguard-rings-e2e-"));
const cli = (...args) => execFileSync(CLI, args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

function signed(version, extra = "") {
  const name = `acme-${version}`;
  fs.writeFileSync(
    path.join(dir, `${name}.yaml`),
    `policy: acme
version: "${version}"
title: Acme rings policy
extends: [default]
rules:
  - id: moonshot
    kind: phrases
    severity: block
    message: "No hype: {match}"
    phrases: ["to the moon"]
  - id: rival
    kind: phrases
    mode: monitor
    phrases: ["globex"]
${extra}tests:
  - text: "Our stock is going to the moon"
    expect: [moonshot]
`,
  );
  cli("bundle", `${name}.yaml`, "--key", "acme.key", "-o", `${name}.json`, "--force");
  return fs.readFileSync(path.join(dir, `${name}.json`), "utf8");
}
const pinned = cli("keygen", "--out", "acme").match(/ed25519:\S+/)[0];
const PILOT = signed("2026.12.1");
const BROAD = signed(
  "2026.12.2",
  `  - id: hypertrain
    kind: phrases
    severity: block
    phrases: ["hype train"]
`,
);

// ---- the console stand-in ------------------------------------------------------------------

const etagOf = (body) => `"${crypto.createHash("sha256").update(body).digest("hex").slice(0, 16)}"`;

function consoleServer() {
  const srv = {
    rings: { pilot: PILOT, broad: BROAD },
    bundleRequests: [],
    posts: [],
    /** How many of the next event POSTs to answer 503 (the console restarting). */
    failNext: 0,
  };
  srv.server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      const ring = /^\/v1\/bundle\/([^/?]+)$/.exec(req.url)?.[1];
      if (req.method === "GET" && ring) {
        const r = {
          ring,
          authorization: req.headers.authorization ?? null,
          ifNoneMatch: req.headers["if-none-match"] ?? null,
        };
        srv.bundleRequests.push(r);
        const text = srv.rings[ring];
        if (!text) return res.writeHead(404).end();
        const etag = etagOf(text);
        if (r.ifNoneMatch === etag) return res.writeHead(304, { etag }).end();
        return res.writeHead(200, { "content-type": "application/json", etag }).end(text);
      }
      if (req.method === "POST" && req.url === "/v1/events") {
        const p = { authorization: req.headers.authorization ?? null, body, json: JSON.parse(body), status: 202 };
        srv.posts.push(p);
        if (p.authorization !== `Bearer ${TOKEN}`) p.status = 401;
        else if (srv.failNext > 0) {
          srv.failNext -= 1;
          p.status = 503;
        }
        return res.writeHead(p.status).end();
      }
      res.writeHead(404).end();
    });
  });
  /** Events the console took (202), in order, duplicates (retries) included. */
  srv.events = () => srv.posts.filter((p) => p.status === 202).flatMap((p) => p.json.events);
  return srv;
}

// ---- page helpers ---------------------------------------------------------------------------

const marks = (page) =>
  shadowQuery(page, (n) => n.name === "span" && n.attrs["data-rule"]).then((ns) => ns.map((n) => n.text));
const posts = (page) => page.evaluate(() => window.posts.slice());
const lines = (page) =>
  page.$$eval("#status p", (ps) => Object.fromEntries(ps.map((p) => [p.dataset.status, p.textContent])));

let fixtures, consoleSrv, base, browser, profile;

function settings(ring) {
  return {
    bundleUrl: `${base}/v1/bundle/{ring}`,
    ring,
    publicKeys: [pinned],
    reportUrl: `${base}/v1/events`,
    reportToken: TOKEN,
    userHint: USER_HINT,
    enabledSites: ["127.0.0.1"],
  };
}

before(async () => {
  fixtures = await serveFixtures();
  consoleSrv = consoleServer();
  await new Promise((r) => consoleSrv.server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${consoleSrv.server.address().port}`;
  managed.write(settings("pilot"));
  profile = fs.mkdtempSync(path.join(os.tmpdir(), "draftguard-rings-profile-"));
  browser = await launch({ profile });
});

after(async () => {
  await browser?.close();
  managed.remove();
  fixtures?.server.close();
  consoleSrv?.server.close();
  fs.rmSync(dir, { recursive: true, force: true });
  if (profile) fs.rmSync(profile, { recursive: true, force: true });
});

/** The status events the console took, once `pred` holds for one of them. */
const statusEvent = (pred, what) =>
  until(() => consoleSrv.events().find((e) => e.kind === "status" && pred(e)), 15000, what);

test("the pilot ring's bundle is fetched from the ring's URL with the enrollment token", async () => {
  const options = await browser.openExtensionPage("src/options/options.html");
  const l = await until(
    async () => {
      const l = await lines(options);
      return l.policy && l;
    },
    15000,
    "the policy in force",
  );
  assert.equal(l.source, `Source: managed bundle from ${base}/v1/bundle/pilot`);
  assert.equal(l.ring, "Ring: pilot");
  assert.equal(l.policy, "Policy: Acme rings policy 2026.12.1");
  const first = consoleSrv.bundleRequests[0];
  assert.deepEqual(first, { ring: "pilot", authorization: `Bearer ${TOKEN}`, ifNoneMatch: null });
  assert.ok(
    consoleSrv.bundleRequests.every((r) => r.ring === "pilot"),
    "only the pilot ring was asked for",
  );
  const audit = await until(
    async () => {
      const t = await options.textContent("#audit");
      return /last delivery/.test(t) && t;
    },
    15000,
    "a delivery",
  );
  assert.match(
    audit,
    new RegExp(
      `^Audit events: \\d+ events? queued for ${base.replace(/[.]/g, "\\.")}/v1/events with an enrollment token; last delivery .*: \\d+ sent \\(HTTP 202\\)\\. This browser's install id: ([0-9a-f-]{36})\\.$`,
    ),
  );
  await options.close();
});

test("a status event says what this install runs, with exactly these fields", async () => {
  const e = await statusEvent((e) => e.policy?.version === "2026.12.1", "the status event for 2026.12.1");
  const { id, time, installId, ...rest } = e;
  assert.match(id, UUID);
  assert.match(installId, UUID);
  assert.ok(Math.abs(Date.parse(time) - Date.now()) < 120_000, time);
  assert.deepEqual(rest, {
    kind: "status",
    rules: [],
    severity: null,
    policy: { id: "acme", version: "2026.12.1" },
    platform: null,
    site: null,
    extensionVersion: "0.1.0",
    ring: "pilot",
    userHint: USER_HINT,
    browser: expectedBrowser(),
  });
  // The options page shows the same install id the console knows the browser by.
  const options = await browser.openExtensionPage("src/options/options.html");
  await until(async () => (await options.textContent("#audit")).includes(installId), 10000, "the install id");
  await options.close();
  // Every batch carried the token.
  assert.ok(consoleSrv.posts.length > 0);
  assert.deepEqual([...new Set(consoleSrv.posts.map((p) => p.authorization))], [`Bearer ${TOKEN}`]);
});

const DRAFT = "Globex shares are going TO THE MOON, says Zorblax";

test("an overridden post and a monitor hit reach the console with ring and install id; a retried batch keeps its ids", async () => {
  consoleSrv.failNext = 1; // the console answers 503 once: the batch must come again, unchanged
  const before = consoleSrv.posts.length;
  const page = await browser.newPage();
  await page.goto(`${fixtures.base}/textarea.html`);
  await page.click("#editor");
  await page.keyboard.type(DRAFT);
  await until(async () => (await marks(page)).includes("TO THE MOON"), 5000, "the underline");
  await page.click("#post");
  await until(
    async () => (await shadowQuery(page, (n) => n.attrs.role === "alertdialog")).length,
    5000,
    "the block dialog",
  );
  await shadowClick(page, (await shadowQuery(page, (n) => n.name === "textarea"))[0]);
  await page.keyboard.type("Cleared by legal, ticket 9");
  await shadowClick(
    page,
    (await shadowQuery(page, (n) => n.name === "button")).find((n) => n.text === "Post anyway"),
  );
  await until(async () => (await posts(page)).length === 1, 5000, "the post");

  const byKind = await until(
    () => {
      const k = Object.fromEntries(
        consoleSrv
          .events()
          .filter((e) => e.site === "127.0.0.1")
          .map((e) => [e.kind, e]),
      );
      return k.blocked && k.override && k.monitor && k;
    },
    30000,
    "blocked, override and monitor events (after the retry)",
  );
  const installId = (await statusEvent(() => true, "a status event")).installId;
  for (const e of Object.values(byKind)) {
    assert.equal(e.installId, installId, `${e.kind}: the install's id`);
    assert.equal(e.ring, "pilot", `${e.kind}: the ring`);
    assert.deepEqual(e.policy, { id: "acme", version: "2026.12.1" });
  }
  assert.deepEqual(byKind.override.rules, ["moonshot"]);
  assert.equal(byKind.override.justification, "Cleared by legal, ticket 9");
  assert.deepEqual(byKind.monitor.rules, ["rival"]);

  // The refused batch and its retry: the same events, ids and all.
  const mine = consoleSrv.posts.slice(before);
  const refused = mine.find((p) => p.status === 503);
  assert.ok(refused, "one batch was refused");
  const retried = mine.find(
    (p) => p !== refused && p.status === 202 && p.json.events.some((e) => e.id === refused.json.events[0].id),
  );
  assert.ok(retried, "the refused batch's events were sent again");
  const again = new Map(retried.json.events.map((e) => [e.id, e]));
  for (const e of refused.json.events) assert.deepEqual(again.get(e.id), e, "the same event, the same id");
  const taken = consoleSrv.events().map((e) => e.id);
  assert.equal(new Set(taken).size, taken.length, "the console took each event once");

  // No request of any kind carried the draft.
  for (const secret of [DRAFT, "TO THE MOON", "Zorblax", "Globex shares"]) {
    assert.ok(!consoleSrv.posts.some((p) => p.body.includes(secret)), `no event batch carries "${secret}"`);
    assert.ok(
      !browser.requests.some((r) => r.url.includes(secret) || r.body.includes(secret)),
      `no request carries "${secret}"`,
    );
  }
  await page.close();
});

test("moved to the broad ring, the browser fetches broad's bundle, applies it and reports its new status", async () => {
  const installId = (await statusEvent(() => true, "a status event")).installId;
  managed.write(settings("broad"));
  if (!managed.appliesWhileRunning) {
    // Firefox reads policies.json when it starts: the same profile, started again.
    await browser.close();
    browser = await launch({ profile });
  }
  const e = await statusEvent((e) => e.ring === "broad", "the status event for the broad ring");
  assert.equal(e.installId, installId, "the same install");
  assert.deepEqual(e.policy, { id: "acme", version: "2026.12.2" });
  assert.ok(
    consoleSrv.bundleRequests.some((r) => r.ring === "broad" && r.authorization === `Bearer ${TOKEN}`),
    "broad's bundle was asked for, with the token",
  );
  const options = await browser.openExtensionPage("src/options/options.html");
  const l = await until(
    async () => {
      const l = await lines(options);
      return l.ring === "Ring: broad" && /2026\.12\.2/.test(l.policy ?? "") && l;
    },
    15000,
    "the broad ring's policy",
  );
  assert.equal(l.source, `Source: managed bundle from ${base}/v1/bundle/broad`);
  // The broad bundle's own rule works in a page.
  const page = await browser.newPage();
  await page.goto(`${fixtures.base}/textarea.html`);
  await page.click("#editor");
  await page.keyboard.type("all aboard the hype train");
  await until(async () => (await marks(page)).includes("hype train"), 10000, "broad's rule");
  await page.close();
  await options.close();
});
