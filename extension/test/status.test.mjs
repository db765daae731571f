// The policy status as text (src/ui/status.js): the lines the popup and the options page
// show, and the audit queue line.

import assert from "node:assert/strict";
import { test } from "node:test";

process.env.TZ = "UTC"; // the popup shows local time; the expected texts are written in UTC
const { statusLines, auditLine, formatTime } = await import("../src/ui/status.js");

const T = Date.parse("2026-11-23T14:05:00Z");
const BUNDLE = {
  policy: "acme",
  version: "2026.11.3",
  issuedAt: "2026-11-23T00:00:00Z",
  expiresAt: "2027-02-21T00:00:00Z",
  key: "ed25519:x",
};
const base = {
  source: "url",
  url: "https://p.acme.example/b.json",
  managed: true,
  usable: true,
  failMode: "closed",
  policy: { id: "acme", version: "2026.11.3", title: "Acme policy" },
  bundle: BUNDLE,
  lastFetch: null,
  refusal: null,
  problem: null,
  configProblems: [],
};
const texts = (s) => statusLines(s).map((l) => `${l.id}|${l.tone}|${l.text}`);

test("the embedded default", () => {
  assert.deepEqual(
    texts({
      ...base,
      source: "embedded",
      url: null,
      bundle: null,
      policy: { id: "draftguard-default", version: "2026.11.1", title: "draftguard default policy" },
    }),
    ["source||Source: embedded default policy", "policy||Policy: draftguard default policy 2026.11.1", "state|ok|OK"],
  );
});

test("a managed bundle in force, checked", () => {
  assert.deepEqual(texts({ ...base, lastFetch: { at: T, result: "not-modified" } }), [
    "source||Source: managed bundle from https://p.acme.example/b.json",
    "policy||Policy: Acme policy 2026.11.3",
    "expiry||Bundle 2026.11.3 expires 2027-02-21 00:00",
    "state|ok|OK: checked at 2026-11-23 14:05, no change",
  ]);
  assert.equal(
    statusLines({ ...base, source: "inline", lastFetch: { at: T, result: "applied" } })[0].text,
    "Source: managed inline bundle",
  );
  assert.equal(
    statusLines({ ...base, lastFetch: { at: T, result: "applied" } })[3].text,
    "OK: checked at 2026-11-23 14:05, a new bundle was applied",
  );
});

test("a refused update: the code, the message, the time, and what stays in force", () => {
  const s = {
    ...base,
    lastFetch: { at: T, result: "refused" },
    refusal: { code: "bad-signature", message: "the signature does not match the contents", at: T },
  };
  assert.deepEqual(texts(s).slice(3), [
    "state|error|Refused a bundle at 2026-11-23 14:05 (bad-signature): the signature does not match the contents",
    "kept||The bundle in force (2026.11.3) stays in force.",
  ]);
});

test("no usable policy: the fail mode's warning, with the reason once", () => {
  const none = { ...base, usable: false, policy: null, bundle: null };
  assert.deepEqual(
    texts({
      ...none,
      lastFetch: { at: T, result: "failed", message: "Could not reach https://p.acme.example/b.json: Failed to fetch" },
      problem: "Could not reach https://p.acme.example/b.json: Failed to fetch",
    }).slice(1),
    [
      "state|warn|Could not check for updates at 2026-11-23 14:05: Could not reach https://p.acme.example/b.json: Failed to fetch",
      "fail|error|No usable policy: posting is blocked on enabled sites (fail mode closed).",
    ],
  );
  assert.deepEqual(texts({ ...none, failMode: "open", problem: "No policy bundle has been received yet." }).slice(1), [
    "fail|warn|No usable policy: drafts are not checked (fail mode open). No policy bundle has been received yet.",
  ]);
  assert.deepEqual(
    texts({
      ...none,
      refusal: {
        code: "expired",
        message: "The bundle in force (version 2026.11.3) expired at 2027-02-21T00:00:00Z.",
        at: T,
      },
    }).slice(1),
    [
      "state|error|Refused a bundle at 2026-11-23 14:05 (expired): The bundle in force (version 2026.11.3) expired at 2027-02-21T00:00:00Z.",
      "fail|error|No usable policy: posting is blocked on enabled sites (fail mode closed).",
    ],
  );
});

test("managed configuration problems are listed", () => {
  assert.deepEqual(
    texts({ ...base, configProblems: ['failMode must be "open" or "closed": "x"'] }).at(-1),
    'config|warn|Managed configuration: failMode must be "open" or "closed": "x"',
  );
  assert.deepEqual(texts(null), ["state|error|The draftguard engine did not answer."]);
});

test("the audit line", () => {
  assert.equal(
    auditLine({ recording: false }),
    "Audit events: not recorded (draftguard is not managed on this browser).",
  );
  assert.equal(
    auditLine({ recording: true, reportUrl: null, queued: 3, dropped: 0 }),
    "Audit events: 3 events kept on this computer; no report URL is set.",
  );
  assert.equal(
    auditLine({
      recording: true,
      reportUrl: "https://a.example/r",
      queued: 0,
      dropped: 0,
      lastDelivery: { at: T, ok: true, status: 200, count: 5 },
    }),
    "Audit events: 0 events queued for https://a.example/r; last delivery 2026-11-23 14:05: 5 sent (HTTP 200).",
  );
  assert.equal(
    auditLine({
      recording: true,
      reportUrl: "https://a.example/r",
      queued: 1,
      dropped: 2,
      nextAttemptAt: T + 10_000,
      lastDelivery: { at: T, ok: false, status: null, error: "Failed to fetch", count: 1 },
    }),
    "Audit events: 1 event queued for https://a.example/r, 2 dropped (queue full); last delivery 2026-11-23 14:05 failed (Failed to fetch), next try 2026-11-23 14:05.",
  );
  assert.equal(formatTime(null), "");
});

test("the ring, the enrollment token and the install id are shown; the token itself never", () => {
  assert.deepEqual(texts({ ...base, ring: "pilot", lastFetch: { at: T, result: "not-modified" } }).slice(0, 3), [
    "source||Source: managed bundle from https://p.acme.example/b.json",
    "ring||Ring: pilot",
    "policy||Policy: Acme policy 2026.11.3",
  ]);
  assert.ok(!texts({ ...base, ring: null }).some((l) => l.startsWith("ring|")), "not managed: no ring line");
  const stats = {
    recording: true,
    reportUrl: "https://console.acme.example/v1/events",
    token: true,
    queued: 0,
    dropped: 0,
    lastDelivery: { at: T, ok: true, status: 202, count: 2 },
  };
  assert.equal(
    auditLine(stats, "7d444840-9dc0-11d1-b245-5ffdce74fad2"),
    "Audit events: 0 events queued for https://console.acme.example/v1/events with an enrollment token; last delivery 2026-11-23 14:05: 2 sent (HTTP 202). This browser's install id: 7d444840-9dc0-11d1-b245-5ffdce74fad2.",
  );
  assert.equal(
    auditLine({
      ...stats,
      token: false,
      rejected: 1,
      lastDelivery: { at: T, ok: false, status: 422, error: "events[0].rules: not a list", count: 1 },
      nextAttemptAt: null,
    }),
    "Audit events: 0 events queued for https://console.acme.example/v1/events, 1 refused by the server; last delivery 2026-11-23 14:05 refused an event (HTTP 422: events[0].rules: not a list).",
  );
  assert.equal(
    auditLine({ recording: false }, "7d444840-9dc0-11d1-b245-5ffdce74fad2"),
    "Audit events: not recorded (draftguard is not managed on this browser).",
  );
});
