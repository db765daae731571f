// The admin's whole loop, end to end (issue 12 item 8), with the real console and the real
// built extension in a managed browser (DRAFTGUARD_BROWSER: chromium or firefox):
//
//   1. the console starts on a fresh SQLite file, pinned to the admin's public key;
//   2. the admin signs a policy with the CLI (`draftguard bundle`), uploads it to the
//      `pilot` ring and creates an enrollment token;
//   3. a browser managed the way the README's admin guide says (ring pilot, bundleUrl with
//      {ring}, reportUrl, reportToken) picks the bundle up; an employee posts a draft that
//      trips a monitor rule, and one that a blocking rule stops and they override;
//   4. both reach the console: the admin sees them in the console's export, then logs in to
//      the dashboard and sees the monitor hit, the override, its justification and the
//      pilot view in the pages' rows (screenshots in dist/console-e2e/);
//   5. the admin promotes the version to `broad` with the dashboard's form, and a browser in
//      the `broad` ring, which had nothing to apply before, picks it up.
//
// Every browser start holds /tmp/draftguard-browser.lock (the Makefile target takes it).

import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { managedPolicy } from "../../extension/e2e/driver.mjs";
import { BROWSER, launch, serveFixtures, shadowClick, shadowQuery, until } from "../../extension/e2e/harness.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, "../..");
const CLI = path.join(ROOT, "target/release/draftguard");
const CONSOLE = path.join(ROOT, "target/release/draftguard-console");
const SHOTS = path.join(ROOT, "dist/console-e2e", BROWSER);
const managed = managedPolicy();
const VERSION = "2026.12.1";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "draftguard-loop-e2e-"));
const run = (bin, ...args) =>
  execFileSync(bin, args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

// ---- the admin's policy, signed on their own machine -------------------------------------

const pub = run(CLI, "keygen", "--out", "acme").match(/ed25519:\S+/)[0];
fs.writeFileSync(
  path.join(dir, "acme.yaml"),
  `policy: acme
version: "${VERSION}"
title: Acme loop policy
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
    severity: block
    message: "Do not name competitors: {match}"
    phrases: ["globex"]
tests:
  - text: "Our stock is going to the moon"
    expect: [moonshot]
  - text: "Globex had a good quarter"
    expect: [rival]
`,
);
run(CLI, "bundle", "acme.yaml", "--key", "acme.key", "-o", "acme-bundle.json");

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const marks = (page) =>
  shadowQuery(page, (n) => n.name === "span" && n.attrs["data-rule"]).then((ns) => ns.map((n) => n.text));
const posts = (page) => page.evaluate(() => window.posts.slice());
const lines = (page) =>
  page.$$eval("#status p", (ps) => Object.fromEntries(ps.map((p) => [p.dataset.status, p.textContent])));
const shot = async (page, name) => {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
};

// ---- the console --------------------------------------------------------------------------

const DB = path.join(dir, "console.db");
/** `draftguard-console` with the test's database and pinned key. */
const consoleCli = (...args) => run(CONSOLE, "--database", DB, "--pubkey", pub, "--as", "cli:e2e-admin", ...args);

let server, base, adminToken, enrollToken, adminPassword, fixtures;
let serverLog = "";

/** Calls the console's admin API with the admin token; resolves to the parsed answer. */
async function api(method, url, body) {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${adminToken}`,
      ...(typeof body === "string" ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: HTTP ${res.status} ${text}`);
  return text;
}

/** Every event the console holds, as its SIEM export gives them (OCSF, one per line). */
async function exported() {
  const text = await api("GET", "/v1/export?since=2000-01-01T00:00:00Z");
  return text
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

before(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  consoleCli("migrate");
  adminToken = consoleCli("token", "create", "e2e-admin", "--admin").trim();
  enrollToken = consoleCli("token", "create", "e2e-fleet").trim();
  // The dashboard's admin: a random password, shown once.
  adminPassword = consoleCli("admin", "add", "alice").trim();
  server = spawn(CONSOLE, ["--database", DB, "--pubkey", pub, "serve", "--listen", `127.0.0.1:${port}`], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout.on("data", (d) => {
    serverLog += d;
  });
  server.stderr.on("data", (d) => {
    serverLog += d;
  });
  await until(
    async () => {
      try {
        return (await fetch(`${base}/healthz`)).ok;
      } catch {
        return false;
      }
    },
    20000,
    "the console to answer /healthz",
  );
  fixtures = await serveFixtures();
});

let browser;

after(async () => {
  await browser?.close();
  managed.remove();
  fixtures?.server.close();
  server?.kill("SIGTERM");
  // What the console said, next to the screenshots, for whoever reads a failure.
  fs.mkdirSync(SHOTS, { recursive: true });
  fs.writeFileSync(path.join(SHOTS, "console.log"), serverLog);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The managed configuration the admin guide gives, for `ring`. */
const settings = (ring) => ({
  bundleUrl: `${base}/v1/bundle/{ring}`,
  ring,
  publicKeys: [pub],
  reportUrl: `${base}/v1/events`,
  reportToken: enrollToken,
  enabledSites: ["127.0.0.1"],
  failMode: "open",
});

/** Opens the options page and waits for a status line `id` matching `re`. */
async function optionsShowing(id, re, what) {
  const options = await browser.openExtensionPage("src/options/options.html");
  await until(async () => re.test((await lines(options))[id] ?? ""), 20000, what);
  return options;
}

test("the admin uploads the signed bundle to the pilot ring", async () => {
  const uploaded = JSON.parse(
    await api("POST", "/v1/admin/bundles", fs.readFileSync(path.join(dir, "acme-bundle.json"), "utf8")),
  );
  assert.equal(uploaded.version, VERSION);
  await api("POST", "/v1/admin/rings/pilot", { version: VERSION });
  const res = await fetch(`${base}/v1/bundle/pilot`);
  assert.equal(res.status, 200);
  assert.equal(await res.text(), fs.readFileSync(path.join(dir, "acme-bundle.json"), "utf8"));
  assert.equal((await fetch(`${base}/v1/bundle/broad`)).status, 404, "broad serves nothing yet");
});

const MONITORED = "Globex had a great quarter, congrats to the team";
const OVERRIDDEN = "Our new fund is going to the moon this year";
const JUSTIFICATION = "Approved by compliance, ticket 77";

test("a pilot browser picks up the bundle; a monitor hit and an override reach the console", async () => {
  managed.write(settings("pilot"));
  browser = await launch();
  const options = await optionsShowing(
    "policy",
    new RegExp(`Acme loop policy ${VERSION.replace(/\./g, "\\.")}`),
    "the pilot policy",
  );
  const l = await lines(options);
  assert.equal(l.source, `Source: managed bundle from ${base}/v1/bundle/pilot`);
  assert.equal(l.ring, "Ring: pilot");
  await shot(options, "1-pilot-browser-options");

  const page = await browser.newPage();
  await page.goto(`${fixtures.base}/textarea.html`);
  // A draft only a monitor rule flags: the employee sees nothing and posts.
  await page.click("#editor");
  await page.keyboard.type(MONITORED);
  await page.waitForTimeout(500);
  assert.deepEqual(await marks(page), [], "monitor findings are not shown");
  await page.click("#post");
  await until(async () => (await posts(page)).length === 1, 5000, "the monitored post");
  // A draft a blocking rule stops; the employee posts anyway, with a reason.
  await page.fill("#editor", "");
  await page.click("#editor");
  await page.keyboard.type(OVERRIDDEN);
  await until(async () => (await marks(page)).includes("to the moon"), 5000, "the underline");
  await page.click("#post");
  await until(
    async () => (await shadowQuery(page, (n) => n.attrs.role === "alertdialog")).length,
    5000,
    "the block dialog",
  );
  await shadowClick(page, (await shadowQuery(page, (n) => n.name === "textarea"))[0]);
  await page.keyboard.type(JUSTIFICATION);
  await shot(page, "2-override-dialog");
  await shadowClick(
    page,
    (await shadowQuery(page, (n) => n.name === "button")).find((n) => n.text === "Post anyway"),
  );
  await until(async () => (await posts(page)).length === 2, 5000, "the overridden post");

  const events = await until(
    async () => {
      const e = await exported();
      const kinds = new Set(e.map((x) => x.metadata.event_code));
      return kinds.has("monitor") && kinds.has("override") && kinds.has("status") && e;
    },
    30000,
    "the monitor hit, the override and the status in the console",
  );
  fs.mkdirSync(SHOTS, { recursive: true });
  fs.writeFileSync(path.join(SHOTS, "export.ndjson"), events.map((e) => JSON.stringify(e)).join("\n"));
  const one = (code) => events.filter((e) => e.metadata.event_code === code);
  const [monitor] = one("monitor");
  assert.deepEqual(
    monitor.finding_info.related_analytics.map((r) => r.uid),
    ["rival"],
  );
  assert.equal(monitor.unmapped.ring, "pilot");
  assert.deepEqual({ uid: monitor.policy.uid, version: monitor.policy.version }, { uid: "acme", version: VERSION });
  const [override] = one("override");
  assert.deepEqual(
    override.finding_info.related_analytics.map((r) => r.uid),
    ["moonshot"],
  );
  assert.equal(override.message, JUSTIFICATION);
  assert.equal(override.unmapped.ring, "pilot");
  const status = one("status").at(-1);
  assert.equal(status.unmapped.ring, "pilot");
  assert.equal(status.unmapped.policy_version, VERSION);
  // One install: the same device on every event.
  assert.equal(new Set(events.map((e) => e.device.uid)).size, 1);
  // The draft text is nowhere in the console.
  const all = JSON.stringify(events);
  for (const secret of [MONITORED, OVERRIDDEN, "Globex had", "going to the moon this"])
    assert.ok(!all.includes(secret), `the console holds no "${secret}"`);
  await page.close();
  await options.close();
});

// ---- the dashboard ------------------------------------------------------------------------

/** The page's path and query, or null while it navigates. */
const where = (page) => page.evaluate(() => location.pathname + location.search).catch(() => null);

/** Logs in to the dashboard in a new tab of `browser`; resolves to the tab. */
async function dashboard() {
  const page = await browser.newPage();
  await page.goto(`${base}/dashboard/fleet`);
  // Not logged in: the log-in page, which brings us back.
  await until(async () => (await where(page))?.startsWith("/login?next="), 10000, "the log-in page");
  await page.fill('input[name="name"]', "alice");
  await page.fill('input[name="password"]', adminPassword);
  await page.click('button[type="submit"]');
  await until(async () => (await where(page)) === "/dashboard/fleet", 10000, "the dashboard after logging in");
  return page;
}

/** Goes to `path` and waits for its charts. */
async function open(page, path) {
  await page.goto(`${base}${path}`);
  await until(async () => (await where(page)) === path, 10000, path);
  await until(
    () => page.evaluate(() => [...document.querySelectorAll("[data-chart]")].every((c) => c.dataset.ready)),
    10000,
    `the charts of ${path}`,
  );
}

/** The rows of the dashboard table `name`, cell texts as shown. */
const rows = (page, name) =>
  page.$$eval(`[data-table="${name}"] tbody tr`, (trs) =>
    trs.map((tr) => [...tr.children].map((td) => td.textContent.trim())),
  );

test("the admin sees the monitor hit, the override and its justification in the dashboard", async () => {
  const page = await dashboard();
  await open(page, "/dashboard");
  const rules = Object.fromEntries((await rows(page, "rules")).map((r) => [r[0], r]));
  // The monitor rule: one hit, one install, nothing blocked.
  assert.deepEqual(rules.rival, ["rival", "monitor", "0", "0", "–", "1", "1"]);
  // The blocking rule: the stopped attempt and the override, one install.
  assert.deepEqual(rules.moonshot, ["moonshot", "enforce", "1", "1", "100.0 %", "0", "1"]);
  await shot(page, "5-dashboard-rules");

  await open(page, "/dashboard/rules/moonshot");
  const [j] = await rows(page, "justifications");
  assert.equal(j[1], "moonshot");
  assert.equal(j[2], JUSTIFICATION);
  await shot(page, "6-dashboard-rule-moonshot");

  await open(page, "/dashboard/rules/rival");
  assert.equal(
    await page.textContent('[data-pilot="rival"]'),
    "If we enforce rival, it would have stopped 1 post from 1 person in the last 7 days, and 1 post from 1 person in the last 30 days.",
  );
  await shot(page, "7-dashboard-rule-rival-pilot");

  await open(page, "/dashboard/fleet");
  assert.deepEqual(
    (await rows(page, "fleet")).map((r) => r.slice(0, 3)),
    [["pilot", "acme", VERSION]],
  );
  await page.close();
});

test("promoted to broad, a browser in the broad ring picks the version up", async () => {
  await browser.close();
  managed.write(settings("broad"));
  browser = await launch();
  // Before the promotion broad serves nothing: no usable policy (fail mode open).
  let options = await optionsShowing("fail", /No usable policy/, "the broad browser without a policy");
  assert.match((await lines(options)).state, /HTTP 404/);
  await shot(options, "3-broad-browser-before-promotion");
  // The admin promotes with the dashboard's form (version, from pilot, to broad).
  const dash = await dashboard();
  await dash.click('[data-form="promote"] button[type="submit"]');
  await until(async () => (await where(dash)) === "/dashboard/fleet?done=promote", 10000, "the promotion");
  assert.deepEqual(
    (await rows(dash, "rings")).map((r) => r.slice(0, 3)),
    [
      ["broad", "acme", VERSION],
      ["pilot", "acme", VERSION],
    ],
  );
  await shot(dash, "8-dashboard-promoted");
  await dash.close();
  const rings = JSON.parse(await api("GET", "/v1/admin/rings"));
  assert.ok(JSON.stringify(rings).includes('"broad"'), JSON.stringify(rings));
  // The admin activity log says who did what: the upload's assignment and the promotion.
  const activity = JSON.parse(await api("GET", "/v1/admin/activity"));
  const promoted = activity.find((a) => a.action === "ring-promote");
  assert.equal(promoted?.actor, "alice");
  assert.equal(promoted.detail, `acme ${VERSION} from pilot to broad`);
  assert.ok(
    activity.some((a) => a.action === "ring-set" && a.actor === "token:e2e-admin"),
    JSON.stringify(activity),
  );
  await options.click("#check-now");
  await until(async () => /Acme loop policy/.test((await lines(options)).policy ?? ""), 20000, "broad's policy");
  const l = await lines(options);
  assert.equal(l.ring, "Ring: broad");
  assert.equal(l.policy, `Policy: Acme loop policy ${VERSION}`);
  await shot(options, "4-broad-browser-after-promotion");
  await options.close();
  // The console sees the broad install on the promoted version.
  await until(
    async () =>
      (await exported()).some(
        (e) =>
          e.metadata.event_code === "status" && e.unmapped.ring === "broad" && e.unmapped.policy_version === VERSION,
      ),
    30000,
    "the broad browser's status in the console",
  );
  options = null;
});
