// The admin's path end to end, in each browser with a real managed policy, written where
// the README's admin guide says (driver.mjs managedPolicy): Chromium reads
// /etc/chromium/policies/managed/*.json, Firefox /etc/firefox/policies/policies.json
// (`3rdparty.Extensions` under the Gecko id). The tests run as root, write the file before
// launching the browser, and remove it afterwards. A local HTTP server on 127.0.0.1 serves
// bundles (with ETag and 304) while another receives audit reports.
// Keys and bundles are made with the CLI (target/release/draftguard); the bundle whose
// tests fail, which the CLI refuses to sign, is signed here with Node's own Ed25519.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { GECKO_ID } from "../tools/manifest.mjs";
import { managedPolicy } from "./driver.mjs";
import { BROWSER, launch, serveFixtures, shadowClick, shadowQuery, until } from "./harness.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.resolve(here, "../../target/release/draftguard");
/** The id the extension has, which admins target: Chrome's from the manifest key, or the Gecko id. */
const ID =
  BROWSER === "firefox" ? GECKO_ID : JSON.parse(fs.readFileSync(path.join(here, "../extension-id.json"), "utf8")).id;
/** How each browser's fetch() says a server cannot be reached. */
const FETCH_FAILED = BROWSER === "firefox" ? "NetworkError when attempting to fetch resource." : "Failed to fetch";
const managed = managedPolicy();
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const USER_HINT = "e2e-user-7";

// ---- keys, policies and bundles ----------------------------------------------------------

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "draftguard-admin-e2e-"));
const cli = (...args) => execFileSync(CLI, args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

function policy(version, extraRule = "") {
  return `policy: acme
version: "${version}"
title: Acme e2e policy
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
${extraRule}tests:
  - text: "Our stock is going to the moon"
    expect: [moonshot]
  - text: "Globex had a good quarter"
    expect: [rival]
${extraRule ? `  - text: "All aboard the hype train"\n    expect: [hypertrain]\n` : ""}`;
}
const HYPE_RULE = `  - id: hypertrain
    kind: phrases
    severity: block
    message: "No hype: {match}"
    phrases: ["hype train"]
`;

function bundle(name, policyText, key, ...flags) {
  fs.writeFileSync(path.join(dir, `${name}.yaml`), policyText);
  cli("bundle", `${name}.yaml`, "--key", key, "-o", `${name}.json`, "--force", ...flags);
  return fs.readFileSync(path.join(dir, `${name}.json`), "utf8");
}

/** Signs `payload` with the seed in a `draftguard keygen` key file, as a third party would. */
function signWithNode(payload, keyFile, pub) {
  const seed = Buffer.from(fs.readFileSync(keyFile, "utf8").match(/^ed25519-secret:(\S+)$/m)[1], "base64");
  const pkcs8 = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]);
  const key = crypto.createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" });
  const signature = crypto.sign(null, Buffer.from(payload, "utf8"), key).toString("base64");
  return JSON.stringify({ draftguard_bundle: 1, key: pub, signature, payload }, null, 2);
}

function verifyWithNode(bundleText) {
  const b = JSON.parse(bundleText);
  const raw = Buffer.from(b.key.slice("ed25519:".length), "base64");
  const spki = Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), raw]);
  const key = crypto.createPublicKey({ key: spki, format: "der", type: "spki" });
  return crypto.verify(null, Buffer.from(b.payload, "utf8"), key, Buffer.from(b.signature, "base64"));
}

const pinned = cli("keygen", "--out", "pinned").match(/ed25519:\S+/)[0];
cli("keygen", "--out", "other");
const B = {};
B.v1 = bundle("v1", policy("2026.11.3"), "pinned.key");
// v1 is sealed as `draftguard bundle` does by default (the policy parsed, as JSON: the
// engine module opens it); v2 as written (YAML: the worker loads its authoring module).
B.v2 = bundle("v2", policy("2026.11.4", HYPE_RULE), "pinned.key", "--as-written");
B.rollback = bundle("rollback", policy("2026.11.3"), "pinned.key", "--version", "2026.11.2");
B.sameVersion = bundle("same", policy("2026.11.4", HYPE_RULE), "pinned.key", "--version", "2026.11.3");
B.expired = bundle(
  "expired",
  policy("2026.11.4", HYPE_RULE),
  "pinned.key",
  "--version",
  "2026.11.6",
  "--issued-at",
  "2026-01-01T00:00:00Z",
  "--expires-in",
  "1d",
);
B.unknownKey = bundle("unknown", policy("2026.11.4", HYPE_RULE), "other.key", "--version", "2026.11.7");
{
  // The phrase the policy's own test expects is changed, then the payload signed anew.
  const payload = JSON.parse(JSON.parse(B.v2).payload);
  payload.version = "2026.11.9";
  payload.main.text = payload.main.text.replace('phrases: ["hype train"]', 'phrases: ["hype bus"]');
  B.testsFail = signWithNode(JSON.stringify(payload), path.join(dir, "pinned.key"), pinned);
}
{
  // Tampered: one character of a phrase inside the signed payload, not signed again.
  const b = JSON.parse(B.v1);
  b.payload = b.payload.replace("to the moon", "to the moan");
  B.tampered = JSON.stringify(b, null, 2);
}
{
  // An invalid severity, signed anyway: the refusal names the line (the authoring
  // module's message; the engine module reads no positions).
  const payload = JSON.parse(JSON.parse(B.v1).payload);
  payload.version = "2026.11.8";
  payload.main.text = payload.main.text.replace('"severity":"block"', '"severity":"blok"');
  B.invalid = signWithNode(JSON.stringify(payload), path.join(dir, "pinned.key"), pinned);
}
B.malformed = '{"draftguard_bundle": 1, "key": "ed25519:';
B.oversized = `{"junk": "${"x".repeat(2.5 * 1024 * 1024)}"}`;

// ---- servers -------------------------------------------------------------------------------

const etagOf = (body) => `"${crypto.createHash("sha256").update(body).digest("hex").slice(0, 16)}"`;

/** Serves `srv.body` at /bundle.json with an ETag, answering If-None-Match with 304. */
function bundleServer() {
  const srv = { body: B.v1, status: 200, requests: [] };
  srv.server = http.createServer((req, res) => {
    const r = { url: req.url, ifNoneMatch: req.headers["if-none-match"] ?? null, answer: srv.status };
    srv.requests.push(r);
    if (srv.status !== 200) return res.writeHead(srv.status).end();
    const etag = etagOf(srv.body);
    if (r.ifNoneMatch === etag) {
      r.answer = 304;
      return res.writeHead(304, { etag }).end();
    }
    res
      .writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(srv.body), etag })
      .end(srv.body);
  });
  return srv;
}

/** Receives POSTed audit batches; `stop()` closes it (connections refused), `start()` reopens it on the same port. */
function reportServer() {
  const srv = { batches: [], bodies: [], port: 0 };
  srv.server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      srv.bodies.push(body);
      srv.batches.push({ contentType: req.headers["content-type"], method: req.method, json: JSON.parse(body) });
      res.writeHead(204).end();
    });
  });
  srv.start = () =>
    new Promise((r) =>
      srv.server.listen(srv.port, "127.0.0.1", () => {
        srv.port = srv.server.address().port;
        r();
      }),
    );
  srv.stop = () =>
    new Promise((r) => {
      srv.server.close(r);
      srv.server.closeAllConnections();
    });
  srv.events = () => srv.batches.flatMap((b) => b.json.events);
  return srv;
}

const listen = (server) => new Promise((r) => server.listen(0, "127.0.0.1", () => r(server.address().port)));

const writeManaged = (settings) => managed.write(settings);

// ---- page helpers --------------------------------------------------------------------------

const marks = (page) =>
  shadowQuery(page, (n) => n.name === "span" && n.attrs["data-rule"]).then((ns) => ns.map((n) => n.text));
const badge = (page) => shadowQuery(page, (n) => n.attrs.class === "badge").then((ns) => ns[0] ?? null);
const posts = (page) => page.evaluate(() => window.posts.slice());
const lines = (page) =>
  page.$$eval("#status p", (ps) => Object.fromEntries(ps.map((p) => [p.dataset.status, p.textContent])));

let fixtures, bundles, reports, browser, options, tab;

async function openFixture() {
  const page = await browser.newPage();
  await page.goto(`${fixtures.base}/textarea.html`);
  await page.click("#editor");
  return page;
}

/** Clicks "Check for updates now" and resolves to the status lines once the worker answered. */
async function checkNow(page = options) {
  const before = bundles.requests.length;
  await page.bringToFront();
  await page.click("#check-now");
  await until(
    async () => bundles.requests.length > before && !(await page.$eval("#check-now", (b) => b.disabled)),
    10000,
    "the check",
  );
  return until(
    async () => {
      const l = await lines(page);
      return l.state && l;
    },
    5000,
    "the status",
  );
}

// ---- one browser managed with a bundle URL -------------------------------------------------

before(async () => {
  fixtures = await serveFixtures();
  bundles = bundleServer();
  const bundlePort = await listen(bundles.server);
  reports = reportServer();
  await reports.start();
  writeManaged({
    bundleUrl: `http://127.0.0.1:${bundlePort}/bundle.json`,
    publicKeys: [pinned],
    failMode: "closed",
    reportUrl: `http://127.0.0.1:${reports.port}/report`,
    userHint: USER_HINT,
    allowUserDisable: false,
    enabledSites: ["127.0.0.1"],
  });
  browser = await launch();
  options = await browser.openExtensionPage("src/options/options.html");
});

after(async () => {
  await browser?.close();
  managed.remove();
  fixtures?.server.close();
  bundles?.server.close();
  await reports?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test("the extension has the documented id, and the CLI's bundles verify with Node's own Ed25519", async () => {
  assert.equal(await browser.extensionEval(() => chrome.runtime.id), ID);
  assert.equal(verifyWithNode(B.v1), true);
  assert.equal(verifyWithNode(B.tampered), false);
});

test("a signed bundle from the managed URL is applied and its rule fires", async () => {
  const l = await until(
    async () => {
      const l = await lines(options);
      return l.policy && l;
    },
    10000,
    "the policy in force",
  );
  assert.equal(l.source, `Source: managed bundle from http://127.0.0.1:${bundles.server.address().port}/bundle.json`);
  assert.equal(l.policy, "Policy: Acme e2e policy 2026.11.3");
  assert.match(l.expiry, /^Bundle 2026\.11\.3 expires \d{4}-\d\d-\d\d \d\d:\d\d$/);
  assert.match(l.state, /^OK: checked at .*, a new bundle was applied$/);
  assert.equal(bundles.requests[0].ifNoneMatch, null);

  tab = await openFixture();
  await tab.keyboard.type("We are going to the moon today");
  await until(async () => (await marks(tab)).includes("to the moon"), 5000, "the bundle's rule to underline");
});

test("checking again sends the ETag and a 304 changes nothing", async () => {
  const l = await checkNow();
  const last = bundles.requests.at(-1);
  assert.equal(last.ifNoneMatch, etagOf(B.v1));
  assert.equal(last.answer, 304);
  assert.match(l.state, /^OK: checked at .*, no change$/);
  assert.equal(l.policy, "Policy: Acme e2e policy 2026.11.3");
});

/** The id of the tab whose content script answers for `site`. */
const tabOf = (site) =>
  browser.extensionEval(async (site) => {
    for (const t of await chrome.tabs.query({})) {
      try {
        if ((await chrome.tabs.sendMessage(t.id, { type: "status" }))?.site === site) return t.id;
      } catch {
        /* no content script */
      }
    }
    return null;
  }, site);

test("a tampered bundle is refused, shown in the popup, and the previous rules keep working", async () => {
  bundles.body = B.tampered;
  const tabId = await tabOf("127.0.0.1");
  const popup = await browser.openExtensionPage(`src/popup/popup.html?tab=${tabId}`);
  await until(async () => !(await popup.$eval("#check-now", (b) => b.hidden)), 5000, "the check button");
  const l = await checkNow(popup);
  assert.match(
    l.state,
    /^Refused a bundle at \d{4}-\d\d-\d\d \d\d:\d\d \(bad-signature\): the signature does not match the contents/,
  );
  assert.equal(l.kept, "The bundle in force (2026.11.3) stays in force.");
  assert.equal(l.policy, "Policy: Acme e2e policy 2026.11.3");
  // allowUserDisable: false — the site switch stays on, and says why.
  assert.equal(await popup.textContent("#site-label"), "Check drafts on 127.0.0.1");
  assert.equal(await popup.isChecked("#enabled"), true);
  assert.equal(await popup.isDisabled("#enabled"), true);
  assert.equal(
    await popup.textContent("#site-note"),
    "Your administrator keeps draftguard on for every site it covers.",
  );
  await popup.close();

  await tab.bringToFront();
  await tab.click("#editor");
  await tab.keyboard.press("End");
  await tab.keyboard.type(", to the moon again");
  await until(
    async () => (await marks(tab)).filter((m) => m === "to the moon").length === 2,
    5000,
    "both underlines from the bundle in force",
  );
});

test("a site outside enabledSites is left alone, and the popup says why", async () => {
  const page = await browser.newPage();
  await page.goto(`${fixtures.base.replace("127.0.0.1", "localhost")}/textarea.html`);
  await page.click("#editor");
  await page.keyboard.type("Going to the moon on localhost");
  await page.waitForTimeout(400);
  assert.deepEqual(await marks(page), []);
  await page.click("#post");
  await until(async () => (await posts(page)).length === 1, 5000, "the post");
  const popup = await browser.openExtensionPage(`src/popup/popup.html?tab=${await tabOf("localhost")}`);
  await until(async () => /localhost/.test(await popup.textContent("#site-label")), 5000, "the site line");
  assert.equal(await popup.textContent("#site-label"), "Your administrator has not enabled draftguard on localhost");
  assert.equal(await popup.isDisabled("#enabled"), true);
  assert.equal(await popup.isChecked("#enabled"), false);
  await popup.close();
  await page.close();
});

test("rollbacks, expired, unpinned, failing, malformed and oversized bundles are each refused", async () => {
  const cases = [
    ["rollback", B.rollback, /^version 2026\.11\.2 /],
    ["rollback", B.sameVersion, /2026\.11\.3/],
    ["expired", B.expired, /expired at 2026-01-02T00:00:00Z/],
    ["unknown-key", B.unknownKey, /not one of the 1 pinned key/],
    ["tests-failed", B.testsFail, /1 of the policy's 3 tests fail/],
    ["invalid-policy", B.invalid, /^v1\.yaml:1:\d+: rule `moonshot`: `rules\[0\]\.severity`: unknown variant `blok`/],
    ["malformed", B.malformed, /not a draftguard bundle/],
    ["oversized", B.oversized, /^The bundle is \d+ bytes; the limit is 2097152 bytes\.$/],
  ];
  for (const [code, body, message] of cases) {
    bundles.body = body;
    const l = await checkNow();
    const m = l.state.match(/^Refused a bundle at [\d-]+ [\d:]+ \(([a-z-]+)\): (.*)$/);
    assert.ok(m, l.state);
    assert.equal(m[1], code, l.state);
    assert.match(m[2], message);
    assert.equal(l.policy, "Policy: Acme e2e policy 2026.11.3", `${code}: the last good bundle stays`);
  }
  // Every refusal reached the admin too.
  const refused = await until(
    async () => {
      const r = reports.events().filter((e) => e.kind === "bundle-refused");
      return r.length >= 9 && r;
    },
    10000,
    "the refusal events",
  );
  assert.deepEqual(
    refused.map((e) => e.refusal.code),
    [
      "bad-signature",
      "rollback",
      "rollback",
      "expired",
      "unknown-key",
      "tests-failed",
      "invalid-policy",
      "malformed",
      "oversized",
    ],
  );
});

test("a new version is picked up on refresh without reloading the tab", async () => {
  await tab.bringToFront();
  await tab.evaluate(() => {
    window.notReloaded = true;
  });
  await tab.keyboard.type(" all aboard the hype train");
  await until(async () => (await marks(tab)).length === 2, 5000, "the old policy's underlines");
  assert.ok(!(await marks(tab)).includes("hype train"));
  // Sealed --as-written: YAML, which only the authoring module reads.
  assert.match(JSON.parse(JSON.parse(B.v2).payload).main.text, /^policy: acme\n/);
  assert.match(JSON.parse(JSON.parse(B.v1).payload).main.text, /^\{"extends":\["default"\]/);
  bundles.body = B.v2;
  const l = await checkNow();
  assert.match(l.state, /^OK: checked at .*, a new bundle was applied$/);
  assert.equal(l.policy, "Policy: Acme e2e policy 2026.11.4");
  await until(async () => (await marks(tab)).includes("hype train"), 5000, "the new rule in the open tab");
  assert.equal(await tab.evaluate(() => window.notReloaded), true);
});

const DRAFT = "Globex shares are going TO THE MOON, says Zorblax";

test("an override's audit event arrives with the justification and without the draft", async () => {
  const page = await openFixture();
  await page.keyboard.type(DRAFT);
  await until(async () => (await marks(page)).includes("TO THE MOON"), 5000, "the underline");
  await page.click("#post");
  await until(
    async () => (await shadowQuery(page, (n) => n.attrs.role === "alertdialog")).length,
    5000,
    "the block dialog",
  );
  await shadowClick(page, (await shadowQuery(page, (n) => n.name === "textarea"))[0]);
  await page.keyboard.type("Approved by compliance, ticket 42");
  await shadowClick(
    page,
    (await shadowQuery(page, (n) => n.name === "button")).find((n) => n.text === "Post anyway"),
  );
  await until(async () => (await posts(page)).length === 1, 5000, "the post");

  const byKind = await until(
    async () => {
      const evs = reports.events().filter((e) => e.site === "127.0.0.1");
      const k = Object.fromEntries(evs.map((e) => [e.kind, e]));
      return k.blocked && k.override && k.monitor && k;
    },
    10000,
    "blocked, override and monitor events",
  );
  // Every event names this install (a random UUID, the same on each) and its ring (the
  // default, "broad": no ring is set here).
  const installId = byKind.override.installId;
  assert.match(installId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const common = {
    policy: { id: "acme", version: "2026.11.4" },
    platform: "generic",
    site: "127.0.0.1",
    extensionVersion: "0.1.0",
    installId,
    ring: "broad",
    userHint: USER_HINT,
  };
  const { id, time, ...override } = byKind.override;
  assert.match(id, /^[0-9a-f-]{36}$/);
  assert.ok(Math.abs(Date.parse(time) - Date.now()) < 60_000, time);
  assert.deepEqual(override, {
    kind: "override",
    rules: ["moonshot"],
    severity: "block",
    ...common,
    justification: "Approved by compliance, ticket 42",
  });
  assert.deepEqual(
    { ...byKind.blocked, id: 0, time: 0 },
    { id: 0, time: 0, kind: "blocked", rules: ["moonshot"], severity: "block", ...common },
  );
  assert.deepEqual(
    { ...byKind.monitor, id: 0, time: 0 },
    { id: 0, time: 0, kind: "monitor", rules: ["rival"], severity: "warn", ...common },
  );

  const batch = reports.batches.find((b) => b.json.events.some((e) => e.kind === "override"));
  assert.equal(batch.method, "POST");
  assert.equal(batch.contentType, "application/json");
  assert.deepEqual(Object.keys(batch.json), ["schema", "extension", "sentAt", "dropped", "events"]);
  assert.equal(batch.json.schema, "draftguard.audit/1");
  assert.deepEqual(batch.json.extension, { id: ID, version: "0.1.0" });
  assert.equal(batch.json.dropped, 0);

  for (const secret of [DRAFT, "TO THE MOON", "Zorblax", "Globex shares"]) {
    assert.ok(!reports.bodies.some((b) => b.includes(secret)), `no report carries "${secret}"`);
    assert.ok(
      !browser.requests.some((r) => r.url.includes(secret) || r.body.includes(secret)),
      `no request carries "${secret}"`,
    );
  }
  await page.close();
});

test("an approved post's library-used event carries its id, platform and site, never its text", async () => {
  const page = await openFixture();
  const button = await until(
    async () => (await shadowQuery(page, (n) => n.name === "button" && n.attrs.class === "library-button"))[0],
    8000,
    "the approved-posts button",
  );
  await shadowClick(page, button);
  const insert = await until(
    async () => (await shadowQuery(page, (n) => n.name === "button")).find((n) => n.text === "Insert"),
    5000,
    "the list",
  );
  await shadowClick(page, insert);
  const text = "Proud to spend today with my {team} colleagues volunteering at {place} for Acme Community Day.";
  await until(async () => (await page.$eval("#editor", (e) => e.value)).startsWith(text), 8000, "the post inserted");
  const used = await until(
    async () => reports.events().find((e) => e.kind === "library-used"),
    10000,
    "the library-used event",
  );
  assert.deepEqual(
    { ...used, id: 0, time: 0 },
    {
      id: 0,
      time: 0,
      kind: "library-used",
      rules: [],
      severity: null,
      policy: { id: "acme", version: used.policy.version },
      platform: "generic",
      site: "127.0.0.1",
      extensionVersion: "0.1.0",
      installId: used.installId,
      ring: "broad",
      userHint: USER_HINT,
      entry: "community-day",
      action: "insert",
    },
  );
  assert.match(used.installId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  for (const secret of [text, "Community Day", "volunteering"]) {
    assert.ok(!reports.bodies.some((b) => b.includes(secret)), `no report carries "${secret}"`);
  }
  await page.close();
});

test("events queued while the report server is down arrive after it comes back", async () => {
  await reports.stop();
  const seen = reports.batches.length;
  const page = await openFixture();
  await page.keyboard.type("Next stop: to the moon");
  await until(async () => (await marks(page)).includes("to the moon"), 5000, "the underline");
  await page.click("#post");
  await until(
    async () => (await shadowQuery(page, (n) => n.attrs.role === "alertdialog")).length,
    5000,
    "the block dialog",
  );
  await options.bringToFront();
  const failed = await until(
    async () => {
      const t = await options.textContent("#audit");
      return /failed/.test(t) && t;
    },
    10000,
    "the failed delivery",
  );
  assert.match(
    failed,
    /^Audit events: 1 event queued for http:\/\/127\.0\.0\.1:\d+\/report; last delivery .* failed \(.+\), next try .*\.$/,
  );
  await reports.start();
  const arrived = await until(
    async () => {
      const e = reports.batches.slice(seen).flatMap((b) => b.json.events);
      return e.length && e;
    },
    15000,
    "the queued event",
  );
  assert.deepEqual(
    arrived.map((e) => [e.kind, e.rules]),
    [["blocked", ["moonshot"]]],
  );
  await until(
    async () => /^Audit events: 0 events queued/.test(await options.textContent("#audit")),
    5000,
    "the empty queue",
  );
  await page.close();
});

test("the last good bundle survives a restart of the service worker (Firefox: the event page)", async () => {
  bundles.status = 503; // whatever the restarted worker asks for, it gets nothing new
  await browser.stopBackground();
  const page = await openFixture();
  await page.keyboard.type("all aboard the hype train");
  await until(
    async () => (await marks(page)).includes("hype train"),
    10000,
    "the saved bundle's rule after the restart",
  );
  const again = await options.evaluate(() => chrome.runtime.sendMessage({ type: "policy-status" }));
  assert.equal(again.status.policy.version, "2026.11.4");
  assert.equal(again.status.usable, true);
  await page.close();
});

// ---- fail modes: a browser whose bundle URL cannot be reached --------------------------------

test("fail mode closed blocks posting with a message; switched to open, posts go through with a warning", async () => {
  await browser.close();
  writeManaged({ bundleUrl: "http://127.0.0.1:9/bundle.json", publicKeys: [pinned], failMode: "closed" });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "draftguard-admin-profile-"));
  browser = await launch({ profile });
  options = await browser.openExtensionPage("src/options/options.html");
  const l = await until(
    async () => {
      const l = await lines(options);
      return l.fail && l;
    },
    10000,
    "the fail-mode status",
  );
  assert.equal(l.fail, "No usable policy: posting is blocked on enabled sites (fail mode closed).");
  assert.match(
    l.state,
    new RegExp(
      `^Could not check for updates at .*: ${esc(`Could not reach http://127.0.0.1:9/bundle.json: ${FETCH_FAILED}`)}$`,
    ),
  );

  let page = await openFixture();
  await page.keyboard.type("Nothing wrong with this one");
  const closed = await until(
    async () => {
      const b = await badge(page);
      return b?.attrs["data-notice"] === "closed" && b;
    },
    5000,
    "the warning badge",
  );
  assert.equal(closed.text, "⚠ Posting blocked");
  await page.click("#post");
  const dialog = await until(
    async () => (await shadowQuery(page, (n) => n.attrs.role === "alertdialog"))[0],
    5000,
    "the block dialog",
  );
  assert.equal(
    dialog.text,
    `Posting is blockedPosting is blocked: draftguard cannot check drafts without your company's social-media policy, and your administrator does not allow posting without it. Could not reach http://127.0.0.1:9/bundle.json: ${FETCH_FAILED}Edit`,
  );
  assert.deepEqual(
    (await shadowQuery(page, (n) => n.name === "button")).map((b) => b.text),
    ["Edit"],
  );
  await shadowClick(page, (await shadowQuery(page, (n) => n.name === "button"))[0]);
  await page.keyboard.press("Control+Enter");
  await until(
    async () => (await shadowQuery(page, (n) => n.attrs.role === "alertdialog")).length,
    5000,
    "the block dialog again",
  );
  assert.deepEqual(await posts(page), []);
  await shadowClick(page, (await shadowQuery(page, (n) => n.name === "button"))[0]);

  // The admin switches to "open". Chromium reloads the policy file and storage.onChanged
  // (area "managed") tells the worker, which tells the tab; Firefox reads policies.json
  // when it starts, so there the change arrives with the next start of the same profile.
  writeManaged({ bundleUrl: "http://127.0.0.1:9/bundle.json", publicKeys: [pinned], failMode: "open" });
  if (!managed.appliesWhileRunning) {
    await browser.close();
    browser = await launch({ profile });
    options = await browser.openExtensionPage("src/options/options.html");
    page = await openFixture();
    await page.keyboard.type("Nothing wrong with this one");
  }
  await until(async () => /fail mode open/.test((await lines(options)).fail ?? ""), 30000, "the managed change");
  const open = await until(
    async () => {
      const b = await badge(page);
      return b?.attrs["data-notice"] === "open" && b;
    },
    5000,
    "the open warning",
  );
  assert.equal(open.text, "⚠ Not checked");
  assert.match(
    open.attrs["aria-label"],
    /^draftguard: draftguard is not checking drafts: your company's social-media policy is not available\. Could not reach/,
  );
  await page.bringToFront();
  await page.click("#post");
  await until(async () => (await posts(page)).length === 1, 5000, "the post");
  assert.deepEqual(await posts(page), ["Nothing wrong with this one"]);
  await page.close();
  await browser.close();
  browser = null;
  fs.rmSync(profile, { recursive: true, force: true });
});
