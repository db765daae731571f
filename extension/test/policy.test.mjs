// What is in force (src/background/policy.js): bundles applied, refused, kept across
// restarts, expired, and the status the popup and options page show.

import assert from "node:assert/strict";
import { test } from "node:test";
import { normalizeConfig } from "../src/background/config.js";
import { contentState } from "../src/background/content-state.js";
import { PolicyManager } from "../src/background/policy.js";
import { STORAGE } from "../src/shared/protocol.js";
import {
  fakeBundle,
  fakeClock,
  fakeServer,
  fakeStorage,
  fakeWasm,
  KEY_A,
  KEY_B,
  unreadableResponse,
} from "./fakes.mjs";

const URL_ = "https://policy.acme.example/bundle.json";
const MIN = 60_000;

/** A manager wired to fakes; `serve(text, etag)` makes the server answer with a bundle. */
function setup({
  config = { bundleUrl: URL_, publicKeys: [KEY_A] },
  storage = fakeStorage(),
  clock = fakeClock(),
  wasm = fakeWasm(),
} = {}) {
  const server = fakeServer();
  const changes = [];
  const refused = [];
  const manager = new PolicyManager({
    storage,
    fetch: server.fetch,
    now: clock.now,
    onChange: (s) => changes.push(s),
    onRefused: (r) => refused.push(r),
  });
  const serve = (text, etag = null) => {
    server.respond = (_url, init) => {
      if (etag && init.headers?.["If-None-Match"] === etag) return new Response(null, { status: 304 });
      return new Response(text, { status: 200, headers: etag ? { etag } : {} });
    };
  };
  return { manager, server, storage, clock, wasm, changes, refused, serve, config: normalizeConfig(config) };
}

const V1 = fakeBundle({ version: "2026.11.3" });
const V2 = fakeBundle({ version: "2026.11.4", rule: "osprey" });

async function started(opts) {
  const env = setup(opts);
  env.serve(V1, '"v1"');
  await env.manager.start(env.config, env.wasm);
  return env;
}

test("nothing managed: the embedded default policy is in force and nothing is fetched", async () => {
  const env = setup({ config: {} });
  await env.manager.start(env.config, env.wasm);
  const s = env.manager.status();
  assert.equal(s.source, "embedded");
  assert.equal(s.usable, true);
  assert.deepEqual(s.policy, {
    id: "draftguard-default",
    version: "2026.11.1",
    title: "draftguard default policy",
    override: "justify",
  });
  assert.equal(s.bundle, null);
  assert.equal(env.server.requests.length, 0);
  assert.ok(env.manager.engine());
});

test("a bundle URL: the first start fetches, verifies and applies the bundle, and saves it", async () => {
  const env = await started();
  assert.equal(env.server.requests.length, 1);
  const req = env.server.requests[0];
  assert.equal(req.url, URL_);
  assert.equal(req.init.cache, "no-store");
  assert.deepEqual(req.init.headers, {}, "no If-None-Match without a bundle in force");
  const s = env.manager.status();
  assert.equal(s.source, "url");
  assert.equal(s.url, URL_);
  assert.equal(s.usable, true);
  assert.equal(s.policy.version, "2026.11.3");
  assert.deepEqual(s.bundle, {
    policy: "acme",
    version: "2026.11.3",
    issuedAt: "2026-11-23T00:00:00Z",
    expiresAt: "2027-02-21T00:00:00Z",
    key: KEY_A,
  });
  assert.deepEqual(s.lastFetch, { at: env.clock.now(), url: URL_, result: "applied" });
  assert.equal(s.refusal, null);
  assert.equal(env.storage.data[STORAGE.lastGood].text, V1);
  assert.equal(env.storage.data[STORAGE.lastGood].etag, '"v1"');
  assert.deepEqual(env.manager.engine().check("x moonshot"), [{ rule: "moonshot" }]);
  assert.equal(env.changes.at(-1).policy.version, "2026.11.3");
});

test("a refresh sends If-None-Match and a 304 keeps the same engine without verifying again", async () => {
  const env = await started();
  const engine = env.manager.engine();
  const verified = env.wasm.log.fromBundle;
  env.clock.advance(MIN);
  const s = await env.manager.refresh();
  assert.equal(env.server.requests[1].init.headers["If-None-Match"], '"v1"');
  assert.equal(s.lastFetch.result, "not-modified");
  assert.equal(env.manager.engine(), engine);
  assert.equal(env.wasm.log.fromBundle, verified);
});

test('the same bytes again (a server without ETag) are "unchanged", not a rollback', async () => {
  const env = await started();
  env.serve(V1);
  const s = await env.manager.refresh();
  assert.equal(s.lastFetch.result, "unchanged");
  assert.equal(s.refusal, null);
  assert.equal(s.policy.version, "2026.11.3");
});

test("a higher version is swapped in: the old engine is freed only after the new one is built", async () => {
  const env = await started();
  const old = env.manager.engine();
  env.serve(V2, '"v2"');
  const s = await env.manager.refresh();
  assert.equal(s.lastFetch.result, "applied");
  assert.equal(s.policy.version, "2026.11.4");
  assert.notEqual(env.manager.engine(), old);
  assert.equal(old.freed, true);
  assert.deepEqual(env.manager.engine().check("osprey"), [{ rule: "osprey" }]);
  assert.equal(env.storage.data[STORAGE.lastGood].version, "2026.11.4");
});

const REFUSALS = {
  "bad-signature": () => fakeBundle({ version: "2026.11.4", sig: "bad" }),
  "unknown-key": () => fakeBundle({ version: "2026.11.4", key: KEY_B }),
  expired: () => fakeBundle({ version: "2026.11.4", expiresAt: "2026-11-01T00:00:00Z" }),
  rollback: () => fakeBundle({ version: "2026.11.2" }),
  "tests-failed": () => fakeBundle({ version: "2026.11.4", tests: "fail" }),
  malformed: () => '{"draftguard_bundle": 1, "payl',
};

for (const [code, make] of Object.entries(REFUSALS)) {
  test(`refused (${code}): the last good bundle stays in force, the status says why and when`, async () => {
    const env = await started();
    const engine = env.manager.engine();
    env.clock.advance(5 * MIN);
    env.serve(make(), '"bad"');
    const s = await env.manager.refresh();
    assert.equal(s.refusal.code, code);
    assert.equal(s.refusal.at, env.clock.now());
    assert.ok(s.refusal.message.length > 10, s.refusal.message);
    assert.equal(s.lastFetch.result, "refused");
    assert.equal(s.usable, true);
    assert.equal(s.policy.version, "2026.11.3");
    assert.equal(env.manager.engine(), engine);
    assert.deepEqual(engine.check("moonshot"), [{ rule: "moonshot" }], "the old engine still checks");
    assert.equal(env.storage.data[STORAGE.lastGood].text, V1);
    assert.deepEqual(env.refused, [{ code, message: s.refusal.message }]);
    // The refused bundle's ETag is not remembered: the next request asks for the good one.
    await env.manager.refresh();
    assert.equal(env.server.requests.at(-1).init.headers["If-None-Match"], '"v1"');
  });
}

test("the same version with different bytes is a rollback", async () => {
  const env = await started();
  env.serve(fakeBundle({ version: "2026.11.3", rule: "other" }));
  const s = await env.manager.refresh();
  assert.equal(s.refusal.code, "rollback");
  assert.equal(s.policy.version, "2026.11.3");
});

test("oversized: a Content-Length over the limit is refused before the body is read", async () => {
  const env = await started({ wasm: fakeWasm({ maxBundleBytes: 1000 }) });
  env.server.respond = () => unreadableResponse({ "content-length": "5000" });
  const s = await env.manager.refresh();
  assert.equal(s.refusal.code, "oversized");
  assert.equal(s.refusal.message, "The bundle is 5000 bytes; the limit is 1000 bytes.");
  assert.equal(s.policy.version, "2026.11.3");
});

test("oversized: a body without Content-Length is cut off at the limit", async () => {
  const env = await started({ wasm: fakeWasm({ maxBundleBytes: 1000 }) });
  const verified = env.wasm.log.fromBundle;
  env.server.respond = () =>
    new Response(
      new ReadableStream({
        start(c) {
          for (let i = 0; i < 10; i++) c.enqueue(new Uint8Array(300));
          c.close();
        },
      }),
    );
  const s = await env.manager.refresh();
  assert.equal(s.refusal.code, "oversized");
  assert.equal(s.refusal.message, "The bundle is larger than 1000 bytes; the limit is 1000 bytes.");
  assert.equal(env.wasm.log.fromBundle, verified, "never handed to the engine");
});

test("a body that is not UTF-8 is malformed", async () => {
  const env = await started();
  env.server.respond = () => new Response(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]));
  const s = await env.manager.refresh();
  assert.equal(s.refusal.code, "malformed");
});

test("an unreachable server or an HTTP error is a failed check, not a refusal", async () => {
  const env = await started();
  env.server.respond = () => new TypeError("Failed to fetch");
  let s = await env.manager.refresh();
  assert.deepEqual(s.lastFetch, {
    at: env.clock.now(),
    url: URL_,
    result: "failed",
    message: `Could not reach ${URL_}: Failed to fetch`,
  });
  assert.equal(s.refusal, null);
  assert.equal(s.usable, true);
  env.server.respond = () => new Response("gone", { status: 503 });
  s = await env.manager.refresh();
  assert.equal(s.lastFetch.message, `${URL_} answered HTTP 503`);
  assert.equal(env.refused.length, 0);
});

test("a sealed (JSON) bundle is opened by the engine module; the authoring module is never loaded", async () => {
  const env = await started();
  assert.equal(env.manager.status().policy.version, "2026.11.3");
  assert.deepEqual(env.wasm.log.openedBy, ["json"]);
  assert.equal(env.wasm.log.authoring, 0);
});

test("a bundle sealed --as-written (YAML) is opened by the authoring module, also after a restart", async () => {
  const yaml = fakeBundle({ version: "2026.11.3", written: "yaml" });
  const env = setup();
  env.serve(yaml, '"y1"');
  await env.manager.start(env.config, env.wasm);
  const s = env.manager.status();
  assert.equal(s.usable, true);
  assert.equal(s.refusal, null);
  assert.equal(s.policy.version, "2026.11.3");
  assert.deepEqual(env.manager.engine().check("x moonshot"), [{ rule: "moonshot" }]);
  assert.deepEqual(env.wasm.log.openedBy, ["yaml"]);
  // A restart restores it from storage through the authoring module too.
  const again = setup({ storage: env.storage, clock: env.clock });
  await again.manager.start(again.config, again.wasm);
  assert.equal(again.manager.status().policy.version, "2026.11.3");
  assert.deepEqual(again.wasm.log.openedBy, ["yaml"]);
  assert.equal(again.server.requests.length, 0);
});

test("an invalid policy is refused with the authoring module's message, which names the line", async () => {
  const env = await started();
  env.serve(fakeBundle({ version: "2026.11.4", policyError: "rule `harbor`: unknown severity `blok`" }));
  const s = await env.manager.refresh();
  assert.equal(s.refusal.code, "invalid-policy");
  assert.equal(s.refusal.message, "acme.yaml:5:17: rule `harbor`: unknown severity `blok`");
  assert.equal(s.policy.version, "2026.11.3", "the last good bundle stays in force");
  assert.equal(env.wasm.log.authoring, 1);
});

test("the authoring module failing to load: the engine module's refusal stands", async () => {
  const env = setup({ wasm: fakeWasm({ authoringFails: true }) });
  env.serve(fakeBundle({ version: "2026.11.3", written: "yaml" }));
  await env.manager.start(env.config, env.wasm);
  const s = env.manager.status();
  assert.equal(s.usable, false);
  assert.deepEqual(s.refusal && { code: s.refusal.code, message: s.refusal.message }, {
    code: "invalid-policy",
    message: "acme.yaml:1:1: this engine reads policies written as JSON",
  });
});

test("a refusal is cleared once the server serves the bundle in force again", async () => {
  const env = await started();
  env.serve(REFUSALS["bad-signature"]());
  assert.equal((await env.manager.refresh()).refusal.code, "bad-signature");
  env.serve(V1, '"v1"');
  const s = await env.manager.refresh();
  assert.equal(s.lastFetch.result, "not-modified");
  assert.equal(s.refusal, null);
});

test("a restart restores the saved bundle without fetching when the last check is recent", async () => {
  const first = await started();
  first.clock.advance(10 * MIN);
  const again = setup({ storage: first.storage, clock: first.clock });
  await again.manager.start(again.config, again.wasm);
  assert.equal(again.server.requests.length, 0);
  const s = again.manager.status();
  assert.equal(s.usable, true);
  assert.equal(s.policy.version, "2026.11.3");
  assert.deepEqual(again.manager.engine().check("moonshot"), [{ rule: "moonshot" }]);
  // The rollback guard survives the restart too.
  again.serve(REFUSALS.rollback());
  assert.equal((await again.manager.refresh()).refusal.code, "rollback");
});

test("a restart after the refresh interval fetches, with the saved ETag", async () => {
  const first = await started();
  first.clock.advance(61 * MIN);
  const again = setup({ storage: first.storage, clock: first.clock });
  again.serve(V1, '"v1"');
  await again.manager.start(again.config, again.wasm);
  assert.equal(again.server.requests.length, 1);
  assert.equal(again.server.requests[0].init.headers["If-None-Match"], '"v1"');
  assert.equal(again.manager.status().lastFetch.result, "not-modified");
});

test("a refusal is still shown after a restart", async () => {
  const first = await started();
  first.serve(REFUSALS["bad-signature"]());
  await first.manager.refresh();
  const again = setup({ storage: first.storage, clock: first.clock });
  await again.manager.start(again.config, again.wasm);
  assert.equal(again.manager.status().refusal.code, "bad-signature");
  assert.equal(again.manager.status().policy.version, "2026.11.3");
});

test("the bundle in force expiring leaves no usable policy; the fail mode applies", async () => {
  const env = await started({ config: { bundleUrl: URL_, publicKeys: [KEY_A], failMode: "closed" } });
  const engine = env.manager.engine();
  env.clock.t = Date.parse("2027-02-21T00:00:00Z");
  assert.equal(env.manager.engine(), null);
  assert.equal(engine.freed, true);
  const s = env.manager.status();
  assert.equal(s.usable, false);
  assert.equal(s.failMode, "closed");
  assert.deepEqual(s.refusal, {
    code: "expired",
    message: "The bundle in force (version 2026.11.3) expired at 2027-02-21T00:00:00Z.",
    at: env.clock.now(),
  });
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(env.changes.at(-1).usable, false, "content scripts are told");
  // A restart cannot bring it back.
  const again = setup({
    storage: env.storage,
    clock: env.clock,
    config: { bundleUrl: URL_, publicKeys: [KEY_A], failMode: "closed" },
  });
  again.server.respond = () => new TypeError("Failed to fetch");
  await again.manager.start(again.config, again.wasm);
  assert.equal(again.manager.status().usable, false);
  assert.match(
    again.manager.status().refusal.message,
    /^The saved bundle \(version 2026\.11\.3\) cannot be used: the bundle expired at/,
  );
});

test("nothing usable yet: the fail mode is the admin's, else the last policy's settings.fail, else open", async () => {
  const down = (env) => {
    env.server.respond = () => new TypeError("Failed to fetch");
  };
  let env = setup({ config: { bundleUrl: URL_, publicKeys: [KEY_A], failMode: "closed" } });
  down(env);
  await env.manager.start(env.config, env.wasm);
  let s = env.manager.status();
  assert.equal(s.usable, false);
  assert.equal(s.failMode, "closed");
  assert.equal(s.problem, `Could not reach ${URL_}: Failed to fetch`);
  assert.equal(env.manager.engine(), null);

  env = setup();
  down(env);
  await env.manager.start(env.config, env.wasm);
  assert.equal(env.manager.status().failMode, "open");

  // A closed policy was in force once (its key is no longer pinned): its setting decides.
  const closedPolicy = setup();
  closedPolicy.serve(fakeBundle({ version: "1.0", fail: "closed" }));
  await closedPolicy.manager.start(closedPolicy.config, closedPolicy.wasm);
  env = setup({ storage: closedPolicy.storage, config: { bundleUrl: URL_, publicKeys: [KEY_B] } });
  down(env);
  await env.manager.start(env.config, env.wasm);
  s = env.manager.status();
  assert.equal(s.usable, false);
  assert.equal(s.failMode, "closed");
  assert.equal(s.refusal.code, "unknown-key");
});

test("the engine failing to start leaves no usable policy, with the reason", async () => {
  const env = setup({ config: { bundleUrl: URL_, publicKeys: [KEY_A], failMode: "open" } });
  await env.manager.start(env.config, null, new Error("WebAssembly.instantiate(): out of memory"));
  const s = env.manager.status();
  assert.equal(s.usable, false);
  assert.equal(s.problem, "The draftguard engine could not start: WebAssembly.instantiate(): out of memory");
  assert.equal(env.server.requests.length, 0);
});

test("an inline bundle is applied; un-pinning its key takes it out of force", async () => {
  const env = setup({ config: { inlineBundle: V1, publicKeys: [KEY_A] } });
  await env.manager.start(env.config, env.wasm);
  let s = env.manager.status();
  assert.equal(s.source, "inline");
  assert.equal(s.policy.version, "2026.11.3");
  assert.equal(env.server.requests.length, 0);
  await env.manager.setConfig(normalizeConfig({ inlineBundle: V1, publicKeys: [KEY_B] }));
  s = env.manager.status();
  assert.equal(s.usable, false);
  assert.equal(s.refusal.code, "unknown-key");
  // Pinning it again brings it back, as "unchanged".
  await env.manager.setConfig(normalizeConfig({ inlineBundle: V1, publicKeys: [KEY_A, KEY_B] }));
  assert.equal(env.manager.status().usable, true);
});

test("removing the managed bundle returns to the embedded default; the rollback guard stays", async () => {
  const env = await started();
  await env.manager.setConfig(normalizeConfig({}));
  assert.equal(env.manager.status().source, "embedded");
  assert.equal(env.manager.status().policy.id, "draftguard-default");
  await env.manager.setConfig(env.config);
  env.serve(REFUSALS.rollback());
  assert.equal((await env.manager.refresh()).refusal.code, "rollback");
  assert.equal(env.manager.status().policy.version, "2026.11.3");
});

test("a new bundle URL is fetched at once", async () => {
  const env = await started();
  env.serve(V2);
  await env.manager.setConfig(normalizeConfig({ bundleUrl: "https://other.acme.example/b.json", publicKeys: [KEY_A] }));
  assert.equal(env.server.requests.at(-1).url, "https://other.acme.example/b.json");
  assert.equal(env.manager.status().policy.version, "2026.11.4");
});

test("the ring picks the bundle URL; the enrollment token goes with it only to the console's own origin", async () => {
  const console_ = "https://console.acme.example";
  const config = {
    bundleUrl: `${console_}/v1/bundle/{ring}`,
    ring: "pilot",
    publicKeys: [KEY_A],
    reportUrl: `${console_}/v1/events`,
    reportToken: "dgt_enrolled",
  };
  const env = setup({ config });
  env.serve(V1, '"v1"');
  await env.manager.start(env.config, env.wasm);
  assert.equal(env.server.requests[0].url, `${console_}/v1/bundle/pilot`);
  assert.deepEqual(env.server.requests[0].init.headers, { Authorization: "Bearer dgt_enrolled" });
  assert.equal(env.manager.status().ring, "pilot");
  assert.equal(env.manager.status().url, `${console_}/v1/bundle/pilot`);
  await env.manager.refresh();
  assert.deepEqual(env.server.requests[1].init.headers, {
    "If-None-Match": '"v1"',
    Authorization: "Bearer dgt_enrolled",
  });

  // Promoted to broad by the admin: the new ring's URL is fetched at once.
  await env.manager.setConfig(normalizeConfig({ ...config, ring: "broad" }));
  assert.equal(env.server.requests[2].url, `${console_}/v1/bundle/broad`);
  assert.equal(env.manager.status().ring, "broad");

  // Bundles on another host (a CDN) never see the token.
  const cdn = setup({ config: { ...config, bundleUrl: "https://cdn.acme.example/{ring}.json" } });
  cdn.serve(V1);
  await cdn.manager.start(cdn.config, cdn.wasm);
  assert.equal(cdn.server.requests[0].url, "https://cdn.acme.example/pilot.json");
  assert.deepEqual(cdn.server.requests[0].init.headers, {});
  // Not managed: no ring.
  const plain = setup({ config: {} });
  await plain.manager.start(plain.config, plain.wasm);
  assert.equal(plain.manager.status().ring, null);
});

test("the policy's site adapters reach the status and the content state, and go when the policy goes", async () => {
  const env = await started();
  assert.deepEqual(env.manager.status().adapters, []);
  const intranet = {
    id: "acme-intranet",
    platform: "generic",
    hosts: ["social.acme.example"],
    composer: [".note"],
    postButton: [],
    submitKeys: ["Mod+Enter"],
  };
  env.serve(fakeBundle({ version: "2026.11.4", adapters: [intranet] }));
  const s = await env.manager.refresh();
  assert.deepEqual(s.adapters, [intranet]);
  assert.deepEqual(contentState(s, env.config).adapters, [intranet]);
  assert.deepEqual(env.changes.at(-1).adapters, [intranet]);
  // Expired: no usable policy, no adapters of its.
  env.clock.advance(365 * 24 * 60 * MIN);
  const gone = env.manager.status();
  assert.equal(gone.usable, false);
  assert.deepEqual(contentState(gone, env.config).adapters, []);
});
