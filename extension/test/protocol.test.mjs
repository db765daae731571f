// The message protocol (src/shared/protocol.js): the channel is chosen by the sender, each
// channel answers only its own message types, and stored values read with their defaults.

import assert from "node:assert/strict";
import { test } from "node:test";
import { channelOf, DEFAULT_CONTENT_STATE, dispatch, MSG, STORAGE, withDefault } from "../src/shared/protocol.js";

const EXT = "chrome-extension://blfnpichnbafahbihfnffoolabgglaon/";
const POPUP = { id: "blfnpichnbafahbihfnffoolabgglaon", url: `${EXT}src/popup/popup.html` };
const OPTIONS_TAB = {
  ...POPUP,
  url: `${EXT}src/options/options.html`,
  tab: { id: 7, url: `${EXT}src/options/options.html` },
};
const CONTENT = {
  id: POPUP.id,
  url: "https://www.linkedin.com/feed/",
  tab: { id: 3, url: "https://www.linkedin.com/feed/" },
};

/** Handlers that answer with the channel and type they were reached by. */
const handlers = {
  page: Object.fromEntries([MSG.check, MSG.audit].map((t) => [t, async () => ({ ok: true, reached: `page:${t}` })])),
  "extension-page": Object.fromEntries(
    [MSG.info, MSG.policyStatus, MSG.refresh].map((t) => [
      t,
      async () => ({ ok: true, reached: `extension-page:${t}` }),
    ]),
  ),
};
const ask = (msg, sender) => dispatch(handlers, msg, sender, EXT);

test("the channel is chosen by the sender: the extension's own pages (in a tab or not), pages, nobody", () => {
  assert.equal(channelOf(POPUP, EXT), "extension-page");
  assert.equal(channelOf(OPTIONS_TAB, EXT), "extension-page");
  assert.equal(channelOf(CONTENT, EXT), "page");
  const moz = "moz-extension://0d1f6c3e-5b2a-4c39-9a8e-2f4b1c7d9e10/";
  assert.equal(channelOf({ url: `${moz}src/popup/popup.html` }, moz), "extension-page");
  assert.equal(channelOf({ url: "https://evil.example/", tab: { id: 1 } }, moz), "page");
  assert.equal(channelOf({ url: `${EXT}src/popup/popup.html` }, "chrome-extension://another-id/"), null);
  assert.equal(channelOf({}, EXT), null);
  assert.equal(channelOf(undefined, EXT), null);
});

test("a page may check and report audit events, and nothing else", async () => {
  assert.deepEqual(await ask({ type: MSG.check, text: "x" }, CONTENT), { ok: true, reached: "page:check" });
  assert.deepEqual(await ask({ type: MSG.audit }, CONTENT), { ok: true, reached: "page:audit" });
  for (const type of [MSG.info, MSG.policyStatus, MSG.refresh]) {
    assert.deepEqual(await ask({ type }, CONTENT), { ok: false, error: `unknown request "${type}" from a page` });
  }
});

test("the popup and the options page may ask for info, the status and a refresh, and nothing else", async () => {
  assert.deepEqual(await ask({ type: MSG.refresh }, POPUP), { ok: true, reached: "extension-page:refresh" });
  assert.deepEqual(await ask({ type: MSG.policyStatus }, OPTIONS_TAB), {
    ok: true,
    reached: "extension-page:policy-status",
  });
  assert.deepEqual(await ask({ type: MSG.info }, POPUP), { ok: true, reached: "extension-page:info" });
  for (const type of [MSG.check, MSG.audit]) {
    assert.deepEqual(await ask({ type }, OPTIONS_TAB), {
      ok: false,
      error: `unknown request "${type}" from an extension page`,
    });
  }
});

test("unknown, malformed and unattributable requests are refused, naming what arrived", async () => {
  assert.deepEqual(await ask({ type: "startup-marks" }, POPUP), {
    ok: false,
    error: 'unknown request "startup-marks" from an extension page',
  });
  assert.deepEqual(await ask({ type: "toString" }, CONTENT), {
    ok: false,
    error: 'unknown request "toString" from a page',
  });
  assert.deepEqual(await ask(null, CONTENT), { ok: false, error: "unknown request undefined from a page" });
  assert.deepEqual(await ask({ type: 42 }, POPUP), { ok: false, error: "unknown request 42 from an extension page" });
  assert.deepEqual(await ask({ type: MSG.check }, {}), {
    ok: false,
    error: 'request "check" from neither a page nor an extension page',
  });
});

test("stored values read with their defaults, as fresh copies", () => {
  assert.deepEqual(withDefault(STORAGE.contentState, undefined), DEFAULT_CONTENT_STATE);
  assert.deepEqual(withDefault(STORAGE.contentState, { stamp: "acme@1#5", usable: false }), {
    ...DEFAULT_CONTENT_STATE,
    stamp: "acme@1#5",
    usable: false,
  });
  const queue = withDefault(STORAGE.auditQueue, undefined);
  queue.events.push({ id: "e1" });
  assert.deepEqual(withDefault(STORAGE.auditQueue, undefined).events, [], "a reader's change is its own");
  // A queue stored by an older version (no `rejected` count) reads with today's shape.
  assert.deepEqual(withDefault(STORAGE.auditQueue, { events: [{ id: "e2" }], dropped: 3 }), {
    events: [{ id: "e2" }],
    dropped: 3,
    rejected: 0,
    attempts: 0,
    nextAttemptAt: 0,
    lastDelivery: null,
  });
  assert.deepEqual(withDefault(STORAGE.lastStatusReport, undefined), { key: null, at: 0 });
  assert.equal(withDefault(STORAGE.installId, undefined), null);
  assert.deepEqual(withDefault(STORAGE.disabledSites, undefined), []);
  assert.deepEqual(withDefault(STORAGE.disabledSites, ["x.com"]), ["x.com"]);
  assert.equal(withDefault(STORAGE.lastGood, undefined), null);
  assert.deepEqual(withDefault(STORAGE.policyStatus, { refusal: { code: "expired", message: "m", at: 1 } }), {
    lastFetch: null,
    refusal: { code: "expired", message: "m", at: 1 },
    appliedAt: null,
  });
});
