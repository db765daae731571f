// The managed configuration (src/background/config.js): whatever the admin set, however
// it is typed, becomes a complete configuration, and what cannot be used is reported; and
// what follows for content scripts (enabled sites, the warnings without a usable policy).

import assert from "node:assert/strict";
import { test } from "node:test";
import { bundleToken, KEYS, normalizeConfig, policySource, readManaged } from "../src/background/config.js";
import { contentState } from "../src/background/content-state.js";
import { runsOn, unavailableNotice } from "../src/content/policy-state.js";
import { normalizeSite, siteEnabled } from "../src/content/sites.js";
import { DEFAULT_CONTENT_STATE, STORAGE, withDefault } from "../src/shared/protocol.js";
import { KEY_A, KEY_B } from "./fakes.mjs";

const DEFAULTS = {
  managed: false,
  bundleUrl: null,
  inlineBundle: null,
  publicKeys: [],
  refreshMinutes: 60,
  failMode: null,
  reportUrl: null,
  enabledSites: null,
  allowUserDisable: true,
  userHint: null,
  ring: "broad",
  reportToken: null,
  problems: [],
};

test("empty or missing managed storage gives the defaults, unmanaged", async () => {
  for (const raw of [undefined, null, {}, "nonsense", { unrelated: 1 }])
    assert.deepEqual(normalizeConfig(raw), DEFAULTS);
  assert.deepEqual(await readManaged(undefined), {});
  assert.deepEqual(
    await readManaged({
      get: async () => {
        throw new Error("Managed storage manifest not found");
      },
    }),
    {},
  );
  assert.deepEqual(await readManaged({ get: async () => ({ failMode: "closed" }) }), { failMode: "closed" });
  assert.deepEqual(policySource(normalizeConfig({})), { kind: "embedded" });
});

test("a complete configuration is kept as given", () => {
  const c = normalizeConfig({
    bundleUrl: "https://policy.acme.example/draftguard/{ring}/bundle.json",
    publicKeys: [KEY_A, KEY_B],
    refreshMinutes: 30,
    failMode: "closed",
    reportUrl: "https://audit.acme.example/draftguard",
    enabledSites: ["linkedin.com", "x.com"],
    allowUserDisable: false,
    userHint: "emp-42",
    ring: "pilot",
    reportToken: "dgt_3kP9x-Qa7.b~c+d/e==",
  });
  assert.deepEqual(c, {
    managed: true,
    bundleUrl: "https://policy.acme.example/draftguard/pilot/bundle.json",
    inlineBundle: null,
    publicKeys: [KEY_A, KEY_B],
    refreshMinutes: 30,
    failMode: "closed",
    reportUrl: "https://audit.acme.example/draftguard",
    enabledSites: ["linkedin.com", "x.com"],
    allowUserDisable: false,
    userHint: "emp-42",
    ring: "pilot",
    reportToken: "dgt_3kP9x-Qa7.b~c+d/e==",
    problems: [],
  });
  assert.deepEqual(policySource(c), { kind: "url", url: "https://policy.acme.example/draftguard/pilot/bundle.json" });
});

test("unusable values are dropped, each with a problem the options page shows", () => {
  const c = normalizeConfig({
    bundleUrl: "ftp://policy.acme.example/b.json",
    publicKeys: ["ed25519:short", 7],
    refreshMinutes: "often",
    failMode: "sometimes",
    reportUrl: "http://audit.acme.example/",
    enabledSites: ["linkedin.com", "not a host"],
    allowUserDisable: "maybe",
    userHint: { id: 1 },
    ring: "pilot group",
    reportToken: "tok en",
  });
  assert.equal(c.bundleUrl, null);
  assert.deepEqual(c.publicKeys, []);
  assert.equal(c.refreshMinutes, 60);
  assert.equal(c.failMode, null);
  assert.equal(c.reportUrl, null);
  assert.deepEqual(c.enabledSites, ["linkedin.com"]);
  assert.equal(c.allowUserDisable, true);
  assert.equal(c.userHint, null);
  assert.equal(c.ring, "broad");
  assert.equal(c.reportToken, null);
  assert.deepEqual(c.problems, [
    'ring must be a ring name (letters, digits, "-", "_", "."; at most 64): "pilot group"; using "broad"',
    'bundleUrl is not an http(s) URL: "ftp://policy.acme.example/b.json"',
    'publicKeys: not an Ed25519 public key ("ed25519:" and 44 base64 characters): "ed25519:short"',
    'publicKeys: not an Ed25519 public key ("ed25519:" and 44 base64 characters): 7',
    'refreshMinutes must be a positive number of minutes: "often"',
    'failMode must be "open" or "closed": "sometimes"',
    'reportUrl must be an https URL (http only on this computer): "http://audit.acme.example/"',
    "reportToken must be the enrollment token the console gave (letters, digits and -._~+/, at most 4096); it is not sent",
    'enabledSites: not a host name: "not a host"',
    'allowUserDisable must be true or false: "maybe"',
    "userHint must be a string",
  ]);
  assert.equal(c.managed, true);
});

test("forms that registry entries and hand-written policies.json files give are understood", () => {
  const c = normalizeConfig({
    publicKeys: ` ${KEY_A} `, // one key, not a list
    refreshMinutes: "15",
    failMode: "Closed",
    allowUserDisable: 0, // a REG_DWORD
    enabledSites: ["https://www.LinkedIn.com/feed/", "*.x.com", ".reddit.com"],
    reportUrl: "http://127.0.0.1:8080/report",
    userHint: 4711,
  });
  assert.deepEqual(c.publicKeys, [KEY_A]);
  assert.equal(c.refreshMinutes, 15);
  assert.equal(c.failMode, "closed");
  assert.equal(c.allowUserDisable, false);
  assert.deepEqual(c.enabledSites, ["www.linkedin.com", "x.com", "reddit.com"]);
  assert.equal(c.reportUrl, "http://127.0.0.1:8080/report");
  assert.equal(c.userHint, "4711");
  assert.equal(normalizeConfig({ refreshMinutes: 0.2 }).refreshMinutes, 1);
  assert.equal(normalizeConfig({ refreshMinutes: 1e9 }).refreshMinutes, 10080);
});

test("an inline bundle: as text or as the bundle object; a bundle URL wins over it", () => {
  const bundle = { draftguard_bundle: 1, key: KEY_A, signature: "c2ln", payload: '{"policy":"acme"}' };
  assert.equal(
    normalizeConfig({ inlineBundle: `  ${JSON.stringify(bundle)}\n`, publicKeys: [KEY_A] }).inlineBundle,
    JSON.stringify(bundle),
  );
  const asObject = normalizeConfig({ inlineBundle: bundle, publicKeys: [KEY_A] });
  assert.equal(JSON.parse(asObject.inlineBundle).payload, bundle.payload, "the signed payload string is intact");
  assert.deepEqual(policySource(asObject), { kind: "inline", text: asObject.inlineBundle });
  const both = normalizeConfig({ bundleUrl: "https://p.acme.example/b.json", inlineBundle: "x", publicKeys: [KEY_A] });
  assert.equal(both.inlineBundle, null);
  assert.deepEqual(both.problems, ["inlineBundle is ignored because bundleUrl is set"]);
  assert.deepEqual(normalizeConfig({ bundleUrl: "https://p.acme.example/b.json" }).problems, [
    "no valid publicKeys are pinned, so no bundle can be trusted",
  ]);
});

test("enabledSites: a site matches itself and its subdomains, nothing else", () => {
  assert.equal(siteEnabled(null, "anything.example"), true);
  const sites = ["linkedin.com", "x.com"];
  for (const h of ["linkedin.com", "www.linkedin.com", "de.linkedin.com", "X.com", "mobile.x.com"])
    assert.equal(siteEnabled(sites, h), true, h);
  for (const h of ["evil-linkedin.com", "linkedin.com.evil.example", "facebook.com", "ex.com"])
    assert.equal(siteEnabled(sites, h), false, h);
  assert.equal(siteEnabled([], "linkedin.com"), false, "an empty list enables no site");
  assert.equal(normalizeSite("LinkedIn.com."), "linkedin.com");
  assert.equal(normalizeSite("http://127.0.0.1:8080/x"), "127.0.0.1");
  assert.equal(normalizeSite("bad_host!"), null);
});

test("the user may switch a site off only while the admin allows it", () => {
  const state = withDefault(STORAGE.contentState, { enabledSites: ["linkedin.com"], allowUserDisable: true });
  assert.equal(runsOn(state, [], "www.linkedin.com"), true);
  assert.equal(runsOn(state, ["www.linkedin.com"], "www.linkedin.com"), false);
  assert.equal(runsOn({ ...state, allowUserDisable: false }, ["www.linkedin.com"], "www.linkedin.com"), true);
  assert.equal(runsOn(state, [], "facebook.com"), false);
});

test("what content scripts are told, and the warnings they show without a usable policy", () => {
  const config = normalizeConfig({
    bundleUrl: "https://p.acme.example/b.json",
    publicKeys: [KEY_A],
    enabledSites: ["x.com"],
    allowUserDisable: false,
  });
  const ok = contentState(
    {
      usable: true,
      failMode: "open",
      policy: { id: "acme", version: "2026.11.3", override: "never" },
      appliedAt: 1700,
      adapters: [],
    },
    config,
  );
  assert.deepEqual(ok, {
    stamp: "acme@2026.11.3#1700",
    usable: true,
    loading: false,
    failMode: "open",
    reason: null,
    override: "never",
    enabledSites: ["x.com"],
    allowUserDisable: false,
    adapters: [],
  });
  assert.equal(unavailableNotice(withDefault(STORAGE.contentState, ok)), null);
  const none = contentState(
    {
      usable: false,
      failMode: "closed",
      policy: null,
      problem: "Could not reach https://p.acme.example/b.json: Failed to fetch",
    },
    config,
  );
  assert.equal(none.stamp, "none");
  assert.deepEqual(unavailableNotice(withDefault(STORAGE.contentState, none)), {
    mode: "closed",
    label: "Posting blocked",
    text: "Posting is blocked: draftguard cannot check drafts without your company's social-media policy, and your administrator does not allow posting without it. Could not reach https://p.acme.example/b.json: Failed to fetch",
  });
  assert.deepEqual(unavailableNotice(withDefault(STORAGE.contentState, { ...none, failMode: "open" })), {
    mode: "open",
    label: "Not checked",
    text: "draftguard is not checking drafts: your company's social-media policy is not available. Could not reach https://p.acme.example/b.json: Failed to fetch",
  });
  // The first start of an install, before the managed configuration arrived.
  const loading = { ...DEFAULT_CONTENT_STATE, usable: false, loading: true, stamp: "loading" };
  assert.deepEqual(unavailableNotice(loading), {
    mode: "open",
    label: "Policy loading",
    text: "draftguard is still loading your company's social-media policy: this draft is not checked yet; it will be in a moment.",
  });
  assert.deepEqual(unavailableNotice({ ...loading, failMode: "closed" }), {
    mode: "closed",
    label: "Policy loading",
    text: "draftguard is still loading your company's social-media policy: posting is blocked until it is ready (a moment).",
  });
});

test("the ring completes a {ring} bundle URL; the default ring is broad", () => {
  const url = "https://console.acme.example/v1/bundle/{ring}";
  const pilot = normalizeConfig({ bundleUrl: url, ring: " pilot ", publicKeys: [KEY_A] });
  assert.equal(pilot.ring, "pilot");
  assert.equal(pilot.bundleUrl, "https://console.acme.example/v1/bundle/pilot");
  assert.deepEqual(policySource(pilot), { kind: "url", url: "https://console.acme.example/v1/bundle/pilot" });
  assert.deepEqual(pilot.problems, []);
  const broad = normalizeConfig({ bundleUrl: url, publicKeys: [KEY_A] });
  assert.equal(broad.ring, "broad");
  assert.equal(broad.bundleUrl, "https://console.acme.example/v1/bundle/broad");
  assert.equal(
    normalizeConfig({
      bundleUrl: "https://c.acme.example/v1/bundle/{ring}?org={ring}",
      ring: "emea.sales_2",
      publicKeys: [KEY_A],
    }).bundleUrl,
    "https://c.acme.example/v1/bundle/emea.sales_2?org=emea.sales_2",
  );
  // A ring that cannot be a ring name falls back to broad (never into another ring's URL).
  const bad = normalizeConfig({ bundleUrl: url, ring: "../admin", publicKeys: [KEY_A] });
  assert.equal(bad.bundleUrl, "https://console.acme.example/v1/bundle/broad");
  assert.deepEqual(bad.problems, [
    'ring must be a ring name (letters, digits, "-", "_", "."; at most 64): "../admin"; using "broad"',
  ]);
  assert.match(normalizeConfig({ ring: 7 }).problems[0], /^ring must be a ring name .*: 7; using "broad"$/);
  assert.equal(normalizeConfig({ ring: "x".repeat(65) }).ring, "broad");
  // A ring with a bundle URL that does not use it is reported, and still kept for the events.
  const fixed = normalizeConfig({ bundleUrl: "https://p.acme.example/b.json", ring: "pilot", publicKeys: [KEY_A] });
  assert.equal(fixed.ring, "pilot");
  assert.equal(fixed.bundleUrl, "https://p.acme.example/b.json");
  assert.deepEqual(fixed.problems, [
    "ring is set but bundleUrl has no {ring} placeholder, so every ring gets the same bundle",
  ]);
  // The ring alone makes the browser managed (its events are recorded).
  assert.equal(normalizeConfig({ ring: "pilot" }).managed, true);
});

test("the enrollment token goes to the report URL, and to the bundle URL only on the same origin", () => {
  const c = normalizeConfig({
    bundleUrl: "https://console.acme.example/v1/bundle/{ring}",
    publicKeys: [KEY_A],
    reportUrl: "https://console.acme.example/v1/events",
    reportToken: "  dgt_secret  ",
  });
  assert.equal(c.reportToken, "dgt_secret");
  assert.deepEqual(c.problems, []);
  assert.equal(bundleToken(c, c.bundleUrl), "dgt_secret");
  assert.equal(bundleToken(c, "https://policy.acme.example/v1/bundle/broad"), null, "another host");
  assert.equal(bundleToken(c, "http://console.acme.example/v1/bundle/broad"), null, "another scheme");
  assert.equal(bundleToken(c, "https://console.acme.example:8443/v1/bundle/broad"), null, "another port");
  assert.equal(bundleToken({ ...c, reportToken: null }, c.bundleUrl), null);
  assert.equal(bundleToken(c, "not a url"), null);
  // Without a report URL the token has nowhere to go, which the options page says.
  const orphan = normalizeConfig({ reportToken: "dgt_secret" });
  assert.equal(orphan.reportToken, "dgt_secret");
  assert.deepEqual(orphan.problems, ["reportToken is set but reportUrl is not, so it is never sent"]);
  assert.equal(bundleToken(orphan, "https://console.acme.example/v1/bundle/broad"), null);
  // The token is never quoted in a problem (the options page is not the place for it).
  const bad = normalizeConfig({ reportUrl: "https://c.acme.example/e", reportToken: "secret with spaces" });
  assert.equal(bad.reportToken, null);
  assert.ok(!bad.problems.join().includes("secret"));
});

test("every managed key is declared in the managed schema, and nothing else", async () => {
  const fs = await import("node:fs");
  const schema = JSON.parse(fs.readFileSync(new URL("../managed_schema.json", import.meta.url), "utf8"));
  assert.deepEqual(Object.keys(schema.properties).sort(), [...KEYS].sort());
  assert.equal(schema.properties.ring.type, "string");
  assert.equal(schema.properties.reportToken.type, "string");
});
