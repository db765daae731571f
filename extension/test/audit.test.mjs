// The audit queue (src/background/audit.js): events carry only whitelisted fields, the
// queue is bounded, batches are delivered to the report URL and retried with backoff.

import assert from "node:assert/strict";
import { test } from "node:test";
import { AUDIT_SCHEMA, AuditQueue, BATCH_SIZE, backoffMs, makeEvent, QUEUE_LIMIT } from "../src/background/audit.js";
import { STORAGE } from "../src/shared/protocol.js";
import { fakeClock, fakeServer, fakeStorage } from "./fakes.mjs";

const REPORT = "https://audit.acme.example/draftguard";
const CTX = {
  now: Date.parse("2026-11-23T10:00:00Z"),
  policy: { id: "acme", version: "2026.11.3" },
  site: "www.linkedin.com",
  platform: "linkedin",
  extensionVersion: "0.1.0",
  userHint: "emp-42",
  installId: "7d444840-9dc0-11d1-b245-5ffdce74fad2",
  ring: "pilot",
};
let n = 0;
const event = (kind = "blocked", extra = {}) =>
  makeEvent({ kind, rules: ["codenames"], severity: "block", ...extra }, { ...CTX, id: `e${++n}` });

/** A queue on fakes; timers are recorded, not run (tests call flush themselves). */
function setup({ status = 200, recording = true, reportUrl = REPORT, token = null } = {}) {
  const storage = fakeStorage();
  const clock = fakeClock(CTX.now);
  const server = fakeServer();
  server.respond = () =>
    server.down ? new TypeError("Failed to fetch") : new Response(null, { status: server.status });
  server.status = status;
  const timers = [];
  const alarms = [];
  const queue = new AuditQueue({
    storage,
    fetch: server.fetch,
    extension: { id: "blfnpichnbafahbihfnffoolabgglaon", version: "0.1.0" },
    scheduleRetry: (when) => alarms.push(when),
    now: clock.now,
    random: () => 0.5,
    setTimer: (_fn, ms) => {
      timers.push(ms);
      return timers.length;
    },
    clearTimer: () => {},
  });
  const bodies = () => server.requests.map((r) => JSON.parse(r.init.body));
  return {
    storage,
    clock,
    server,
    timers,
    alarms,
    queue,
    bodies,
    ready: queue.configure({ reportUrl, token, recording }),
  };
}

test("makeEvent keeps only the whitelisted fields: no draft, no flagged text", () => {
  const e = makeEvent(
    {
      kind: "override",
      rules: ["codenames", "codenames", 42],
      severity: "block",
      justification: "Approved, ticket 42",
      text: "Project Falcon ships",
      findings: [{ text: "Project Falcon" }],
      platform: "evil",
    },
    { ...CTX, id: "id-1" },
  );
  assert.deepEqual(e, {
    id: "id-1",
    time: "2026-11-23T10:00:00.000Z",
    kind: "override",
    rules: ["codenames"],
    severity: "block",
    policy: { id: "acme", version: "2026.11.3" },
    platform: "linkedin",
    site: "www.linkedin.com",
    extensionVersion: "0.1.0",
    installId: "7d444840-9dc0-11d1-b245-5ffdce74fad2",
    ring: "pilot",
    userHint: "emp-42",
    justification: "Approved, ticket 42",
  });
  assert.ok(!JSON.stringify(e).includes("Falcon"));
  assert.throws(() => makeEvent({ kind: "draft" }, CTX), /unknown audit event kind "draft"/);
  const noHint = makeEvent({ kind: "monitor", rules: ["x"], severity: "warn" }, { ...CTX, id: "id-2", userHint: null });
  assert.equal("userHint" in noHint, false);
  assert.equal("justification" in noHint, false);
  const refused = makeEvent(
    { kind: "bundle-refused", refusal: { code: "bad-signature", message: "the signature does not match" } },
    { ...CTX, id: "id-3", site: null, platform: null },
  );
  assert.deepEqual(refused.refusal, { code: "bad-signature", message: "the signature does not match" });
  const noPolicy = makeEvent(
    { kind: "blocked", rules: [], severity: null, reason: "no-policy" },
    { ...CTX, id: "id-4", policy: null },
  );
  assert.equal(noPolicy.reason, "no-policy");
  assert.equal(noPolicy.policy, null);
});

test("an event is posted as a batch with the documented envelope and removed after a 2xx", async () => {
  const env = setup();
  await env.ready;
  const e = event("override", { justification: "ok by legal" });
  await env.queue.add(e);
  await env.queue.flush();
  assert.equal(env.server.requests.length, 1);
  const req = env.server.requests[0];
  assert.equal(req.url, REPORT);
  assert.equal(req.init.method, "POST");
  assert.deepEqual(req.init.headers, { "content-type": "application/json" }, "no token: no authorization");
  assert.deepEqual(env.bodies()[0], {
    schema: AUDIT_SCHEMA,
    extension: { id: "blfnpichnbafahbihfnffoolabgglaon", version: "0.1.0" },
    sentAt: "2026-11-23T10:00:00.000Z",
    dropped: 0,
    events: [e],
  });
  const stats = await env.queue.stats();
  assert.equal(stats.queued, 0);
  assert.equal(stats.token, false);
  assert.deepEqual(stats.lastDelivery, { at: CTX.now, ok: true, status: 200, count: 1 });
});

test("nothing is removed when delivery fails; retries back off and then deliver everything", async () => {
  const env = setup({ status: 503 });
  await env.ready;
  const [a, b] = [event(), event()];
  await env.queue.add(a);
  await env.queue.flush();
  let stats = await env.queue.stats();
  assert.equal(stats.queued, 1);
  assert.equal(stats.attempts, 1);
  assert.deepEqual(stats.lastDelivery, { at: CTX.now, ok: false, status: 503, error: null, count: 1 });
  assert.equal(stats.nextAttemptAt, CTX.now + 5000);
  assert.deepEqual(env.timers, [5000]);
  assert.deepEqual(env.alarms, [CTX.now + 5000]);

  // A new event while backing off does not hammer the server.
  await env.queue.add(b);
  await env.queue.flush();
  assert.equal(env.server.requests.length, 1);

  // Down (connection refused) on the next try: the wait doubles.
  env.server.down = true;
  env.clock.advance(5000);
  await env.queue.flush();
  stats = await env.queue.stats();
  assert.equal(stats.queued, 2);
  assert.equal(stats.lastDelivery.error, "Failed to fetch");
  assert.equal(stats.nextAttemptAt, env.clock.now() + 10000);

  // Back: both events go in one batch, in order.
  env.server.down = false;
  env.server.status = 204;
  env.clock.advance(10000);
  await env.queue.flush();
  assert.equal(env.server.requests.length, 3);
  assert.deepEqual(env.bodies()[2].events, [a, b]);
  stats = await env.queue.stats();
  assert.equal(stats.queued, 0);
  assert.equal(stats.attempts, 0);
  assert.equal(stats.nextAttemptAt, null);
});

test("the backoff doubles from 5 s to a 1 h cap, with ±20 % jitter", () => {
  const mid = () => 0.5;
  assert.deepEqual(
    [1, 2, 3, 4, 5, 10, 11, 30].map((a) => backoffMs(a, mid)),
    [5000, 10000, 20000, 40000, 80000, 2560000, 3600000, 3600000],
  );
  assert.equal(
    backoffMs(1, () => 0),
    4000,
  );
  assert.equal(
    backoffMs(1, () => 1),
    6000,
  );
});

test("the queue is bounded: the oldest are dropped and the number dropped is reported once", async () => {
  const env = setup({ reportUrl: null });
  await env.ready;
  const all = [];
  for (let i = 0; i < QUEUE_LIMIT + 7; i++) all.push(event());
  for (const e of all) await env.queue.add(e);
  let stats = await env.queue.stats();
  assert.equal(stats.queued, QUEUE_LIMIT);
  assert.equal(stats.dropped, 7);
  assert.equal(env.server.requests.length, 0, "no report URL: nothing sent, events kept");
  assert.deepEqual(env.storage.data[STORAGE.auditQueue].events[0].id, all[7].id, "the oldest went first");

  // A report URL is configured later: everything kept is delivered, in batches.
  await env.queue.configure({ reportUrl: REPORT, recording: true });
  await env.queue.flush();
  const bodies = env.bodies();
  assert.equal(bodies.length, QUEUE_LIMIT / BATCH_SIZE);
  assert.ok(bodies.every((b) => b.events.length === BATCH_SIZE));
  assert.deepEqual(
    bodies.map((b) => b.dropped),
    [7, ...Array(bodies.length - 1).fill(0)],
  );
  assert.deepEqual(
    bodies.flatMap((b) => b.events.map((e) => e.id)),
    all.slice(7).map((e) => e.id),
  );
  stats = await env.queue.stats();
  assert.equal(stats.queued, 0);
  assert.equal(stats.dropped, 0);
});

test("a failed batch keeps its dropped count for the next try", async () => {
  const env = setup({ status: 500, reportUrl: null });
  await env.ready;
  for (let i = 0; i < QUEUE_LIMIT + 2; i++) await env.queue.add(event());
  await env.queue.configure({ reportUrl: REPORT, recording: true });
  await env.queue.flush();
  assert.equal(env.bodies()[0].dropped, 2);
  assert.equal((await env.queue.stats()).dropped, 2);
  env.server.status = 200;
  env.clock.advance(5000);
  await env.queue.flush();
  assert.equal(env.bodies()[1].dropped, 2);
  assert.equal((await env.queue.stats()).dropped, 0);
});

test("an unmanaged browser records nothing", async () => {
  const env = setup({ recording: false, reportUrl: null });
  await env.ready;
  assert.equal(await env.queue.add(event()), false);
  assert.equal((await env.queue.stats()).queued, 0);
  assert.equal(env.storage.writes, 0);
});

test("a queue stored by an earlier service worker is delivered by the next one", async () => {
  const first = setup({ status: 503 });
  await first.ready;
  await first.queue.add(event());
  await first.queue.flush();
  const again = new AuditQueue({
    storage: first.storage,
    fetch: first.server.fetch,
    extension: { id: "x", version: "0.1.0" },
    now: () => CTX.now + 6000,
    setTimer: () => 0,
    clearTimer: () => {},
  });
  first.server.status = 200;
  await again.configure({ reportUrl: REPORT, recording: true });
  await again.flush();
  assert.equal(first.server.requests.length, 2);
  assert.equal((await again.stats()).queued, 0);
});

test("a status event: policy, ring, install id, versions and browser, and nothing else", () => {
  const e = makeEvent(
    {
      kind: "status",
      browser: { name: "Google Chrome", version: "131.0.6778.85", os: "secret" },
      rules: ["moonshot"],
      severity: "block",
      justification: "x",
      text: "a draft",
    },
    { ...CTX, id: "s-1", site: null, platform: null },
  );
  assert.deepEqual(e, {
    id: "s-1",
    time: "2026-11-23T10:00:00.000Z",
    kind: "status",
    rules: [],
    severity: null,
    policy: { id: "acme", version: "2026.11.3" },
    platform: null,
    site: null,
    extensionVersion: "0.1.0",
    installId: "7d444840-9dc0-11d1-b245-5ffdce74fad2",
    ring: "pilot",
    userHint: "emp-42",
    browser: { name: "Google Chrome", version: "131.0.6778.85" },
  });
  const none = makeEvent({ kind: "status", browser: { name: 7 } }, { ...CTX, id: "s-2", policy: null });
  assert.equal(none.policy, null);
  assert.deepEqual(none.browser, { name: "", version: "" });
  assert.equal(makeEvent({ kind: "status", browser: { name: "x".repeat(500) } }, CTX).browser.name.length, 100);
});

test("the enrollment token is sent as a bearer token; a new token is tried at once", async () => {
  const env = setup({ status: 401, token: "dgt_old" });
  await env.ready;
  await env.queue.add(event());
  await env.queue.flush();
  assert.deepEqual(env.server.requests[0].init.headers, {
    "content-type": "application/json",
    authorization: "Bearer dgt_old",
  });
  let stats = await env.queue.stats();
  assert.equal(stats.token, true);
  assert.equal(stats.lastDelivery.status, 401);
  assert.equal(stats.nextAttemptAt, CTX.now + 5000, "a refused token backs off like any failure");
  // The admin fixes the token: no waiting for the backoff.
  env.server.status = 200;
  await env.queue.configure({ reportUrl: REPORT, token: "dgt_new", recording: true });
  await env.queue.flush();
  assert.equal(env.server.requests.length, 2);
  assert.equal(env.server.requests[1].init.headers.authorization, "Bearer dgt_new");
  stats = await env.queue.stats();
  assert.equal(stats.queued, 0);
});

test("every retry of a batch carries the same events with the same ids, so the console counts each once", async () => {
  const env = setup({ status: 500 });
  await env.ready;
  const sent = [event("blocked"), event("override", { justification: "ok" }), event("monitor")];
  for (const e of sent) await env.queue.add(e);
  await env.queue.flush();
  for (const status of [502, 0, 503]) {
    env.server.down = status === 0;
    env.server.status = status || 500;
    env.clock.advance(60 * 60_000);
    await env.queue.flush();
  }
  env.server.down = false;
  env.server.status = 200;
  env.clock.advance(60 * 60_000);
  await env.queue.flush();
  const bodies = env.bodies();
  assert.ok(bodies.length >= 4, `${bodies.length} tries`);
  const ids = sent.map((e) => e.id);
  // The first try went out as soon as the first event was queued (the others joined it).
  const first = bodies[0].events.map((e) => e.id);
  assert.deepEqual(first, ids.slice(0, first.length));
  for (const b of bodies.slice(1))
    assert.deepEqual(
      b.events.map((e) => e.id),
      ids,
    );
  for (const b of bodies.slice(1)) assert.deepEqual(b.events, sent, "byte for byte the same events");
  assert.equal((await env.queue.stats()).queued, 0);
});

test("a batch the server refuses as such is split until the one bad event is set aside; the rest arrive", async () => {
  const env = setup({ reportUrl: null });
  await env.ready;
  const events = Array.from({ length: 10 }, () => event("monitor"));
  const bad = events[6];
  env.server.respond = (_url, init) => {
    const ids = JSON.parse(init.body).events.map((e) => e.id);
    if (ids.includes(bad.id))
      return new Response(`events[${ids.indexOf(bad.id)}].rules: not a list of rule ids`, { status: 422 });
    return new Response(null, { status: 202 });
  };
  for (const e of events) await env.queue.add(e);
  await env.queue.configure({ reportUrl: REPORT, recording: true });
  await env.queue.flush();
  // Halving: 10 refused; 5 taken; 5 refused, 3 refused, 2 refused; 1 taken; the bad one alone
  // refused and set aside; then the last 3 in one batch again.
  assert.deepEqual(
    env.bodies().map((b) => b.events.length),
    [10, 5, 5, 3, 2, 1, 1, 3],
  );
  const accepted = env.server.requests
    .filter((_r, i) => !env.bodies()[i].events.some((e) => e.id === bad.id))
    .flatMap((r) => JSON.parse(r.init.body).events.map((e) => e.id));
  assert.deepEqual(
    [...new Set(accepted)].sort(),
    events
      .filter((e) => e !== bad)
      .map((e) => e.id)
      .sort(),
  );
  assert.equal(new Set(accepted).size, accepted.length, "no event was accepted twice");
  const stats = await env.queue.stats();
  assert.equal(stats.queued, 0);
  assert.equal(stats.rejected, 1);
  assert.equal(stats.attempts, 0, "no backoff: the server answered");
  // The last answer about the bad event is kept, with the server's reason.
  const refusal = env.bodies().findLast((b) => b.events.length === 1 && b.events[0].id === bad.id);
  assert.ok(refusal, "the bad event was sent alone in the end");
  // A 413 (too large) halves the batch; a later queue goes back to full batches.
  const big = setup({ reportUrl: null });
  await big.ready;
  big.server.respond = (_url, init) =>
    new Response(null, { status: JSON.parse(init.body).events.length > 30 ? 413 : 200 });
  for (let i = 0; i < 60; i++) await big.queue.add(event());
  await big.queue.configure({ reportUrl: REPORT, recording: true });
  await big.queue.flush();
  assert.deepEqual(
    big.bodies().map((b) => b.events.length),
    [60, 30, 30],
  );
  assert.equal((await big.queue.stats()).rejected, 0);
});
