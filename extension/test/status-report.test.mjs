// The install id (src/background/install-id.js), the browser's name and version
// (browser-info.js) and the status event's schedule (status-report.js): one report when the
// policy in force or the ring changes, else one a day, never more, across worker restarts.

import assert from "node:assert/strict";
import { test } from "node:test";
import { STATUS_ALARM, STATUS_CHECK_MINUTES, scheduleStatusChecks } from "../src/background/alarms.js";
import { browserInfo, fromUserAgent, pickBrand } from "../src/background/browser-info.js";
import { installIdOnce, readInstallId } from "../src/background/install-id.js";
import { STATUS_EVERY_MS, StatusReporter, statusKey } from "../src/background/status-report.js";
import { STORAGE } from "../src/shared/protocol.js";
import { fakeClock, fakeStorage } from "./fakes.mjs";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test("the install id is a random UUID made once and kept", async () => {
  const storage = fakeStorage();
  const id = await readInstallId(storage);
  assert.match(id, UUID);
  assert.equal(storage.data[STORAGE.installId], id);
  assert.equal(await readInstallId(storage), id, "the same id on the next read (a worker restart)");
  assert.notEqual(await readInstallId(fakeStorage()), id, "another install, another id");
  // Something that is not a UUID in storage is replaced, once.
  const odd = fakeStorage({ [STORAGE.installId]: "me@acme.example" });
  const fresh = await readInstallId(odd);
  assert.match(fresh, UUID);
  assert.equal(await readInstallId(odd), fresh);
});

test("callers racing for the first install id all get the same one", async () => {
  const storage = fakeStorage();
  let made = 0;
  const get = installIdOnce(storage, () => {
    made += 1;
    return crypto.randomUUID();
  });
  const ids = await Promise.all([get(), get(), get()]);
  assert.equal(new Set(ids).size, 1);
  assert.equal(made, 1);
});

test("the browser's name and version: Firefox's own, UA client hints, or the User-Agent", async () => {
  assert.deepEqual(
    await browserInfo({ getBrowserInfo: async () => ({ name: "Firefox", version: "128.5.0esr", vendor: "Mozilla" }) }),
    { name: "Firefox", version: "128.5.0esr" },
  );
  const chrome = {
    userAgentData: {
      brands: [
        { brand: "Google Chrome", version: "131" },
        { brand: "Chromium", version: "131" },
        { brand: "Not_A Brand", version: "24" },
      ],
      getHighEntropyValues: async () => ({
        fullVersionList: [
          { brand: "Not_A Brand", version: "24.0.0.0" },
          { brand: "Chromium", version: "131.0.6778.85" },
          { brand: "Google Chrome", version: "131.0.6778.85" },
        ],
      }),
    },
  };
  assert.deepEqual(await browserInfo({ navigator: chrome }), { name: "Google Chrome", version: "131.0.6778.85" });
  // High-entropy values refused: the major version from the brands.
  const shy = {
    userAgentData: { ...chrome.userAgentData, getHighEntropyValues: async () => Promise.reject(new Error("no")) },
  };
  assert.deepEqual(await browserInfo({ navigator: shy }), { name: "Google Chrome", version: "131" });
  assert.deepEqual(
    pickBrand([
      { brand: "Chromium", version: "120" },
      { brand: "Not A(Brand", version: "99" },
    ]),
    { name: "Chromium", version: "120" },
  );
  assert.deepEqual(
    pickBrand([
      { brand: "Microsoft Edge", version: "131" },
      { brand: "Chromium", version: "131" },
    ]),
    {
      name: "Microsoft Edge",
      version: "131",
    },
  );
  assert.equal(pickBrand([]), null);
  // No client hints: the User-Agent string.
  const ua = (s) => browserInfo({ navigator: { userAgent: s } });
  assert.deepEqual(
    await ua(
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.70",
    ),
    { name: "Microsoft Edge", version: "131.0.2903.70" },
  );
  assert.deepEqual(await ua("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"), {
    name: "Firefox",
    version: "128.0",
  });
  assert.deepEqual(fromUserAgent("Mozilla/5.0 AppleWebKit/537.36 Chrome/120.0.6099.224 Safari/537.36"), {
    name: "Chrome",
    version: "120.0.6099.224",
  });
  assert.deepEqual(fromUserAgent(undefined), { name: "unknown", version: "" });
  // Firefox's API failing falls back to the navigator.
  assert.deepEqual(
    await browserInfo({
      getBrowserInfo: async () => {
        throw new Error("x");
      },
      navigator: { userAgent: "Gecko/20100101 Firefox/115.0" },
    }),
    { name: "Firefox", version: "115.0" },
  );
});

/** A reporter on fakes; `sent` lists the time of each status event recorded. */
function setup({ managed = true, storage = fakeStorage(), clock = fakeClock() } = {}) {
  const sent = [];
  const reporter = new StatusReporter({
    storage,
    now: clock.now,
    send: async () => {
      if (!managed) return false;
      sent.push(clock.now());
      return true;
    },
  });
  return { reporter, sent, clock, storage };
}

const V3 = statusKey({ id: "acme", version: "2026.11.3" }, "pilot");
const V4 = statusKey({ id: "acme", version: "2026.11.4" }, "pilot");

test("a status event when the policy in force changes, and not again until something changes", async () => {
  const env = setup();
  assert.equal(await env.reporter.check(V3), true, "the first policy in force");
  assert.equal(await env.reporter.check(V3), false, "the same policy again (a refresh, a 304)");
  env.clock.advance(60 * 60_000);
  assert.equal(await env.reporter.check(V3), false, "an hour later");
  assert.equal(await env.reporter.check(V4), true, "a new version");
  assert.equal(await env.reporter.check(statusKey({ id: "acme", version: "2026.11.4" }, "broad")), true, "a new ring");
  assert.equal(await env.reporter.check(statusKey(null, "broad")), true, "no usable policy any more");
  assert.equal(env.sent.length, 4);
  assert.deepEqual(env.storage.data[STORAGE.lastStatusReport], { key: statusKey(null, "broad"), at: env.clock.now() });
});

test("otherwise one status event a day, also across service worker restarts", async () => {
  const storage = fakeStorage();
  const clock = fakeClock();
  const first = setup({ storage, clock });
  await first.reporter.check(V3);
  // The hourly alarm asks 23 times: not due.
  for (let h = 1; h <= 23; h++) {
    clock.advance(60 * 60_000);
    assert.equal(await first.reporter.check(V3), false, `hour ${h}`);
  }
  // A new service worker (or Firefox started again) one day after the last report.
  clock.advance(60 * 60_000);
  const again = setup({ storage, clock });
  assert.equal(await again.reporter.check(V3), true, "a day after the last report");
  assert.equal(await again.reporter.check(V3), false);
  clock.advance(STATUS_EVERY_MS - 1);
  assert.equal(await again.reporter.check(V3), false, "a millisecond short of a day");
  clock.advance(1);
  assert.equal(await again.reporter.check(V3), true);
  // A clock that went back (the last report is in the future) reports again rather than never.
  clock.advance(-5 * STATUS_EVERY_MS);
  assert.equal(await again.reporter.check(V3), true);
});

test("concurrent changes report each state once; an unmanaged browser reports and remembers nothing", async () => {
  const env = setup();
  const results = await Promise.all([env.reporter.check(V3), env.reporter.check(V3), env.reporter.check(V3)]);
  assert.deepEqual(results, [true, false, false]);
  const off = setup({ managed: false });
  assert.equal(await off.reporter.check(V3), false);
  assert.equal(off.storage.data[STORAGE.lastStatusReport], undefined);
});

test("the status check alarm is set once, hourly, and a restart leaves it alone", async () => {
  const made = [];
  let existing = null;
  const alarms = {
    get: async (name) => (name === STATUS_ALARM ? existing : null),
    create: async (name, info) => {
      made.push([name, info]);
      existing = { name, ...info };
    },
  };
  await scheduleStatusChecks(alarms);
  await scheduleStatusChecks(alarms);
  assert.deepEqual(made, [
    [STATUS_ALARM, { delayInMinutes: STATUS_CHECK_MINUTES, periodInMinutes: STATUS_CHECK_MINUTES }],
  ]);
  assert.equal(STATUS_CHECK_MINUTES, 60);
});
