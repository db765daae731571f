// The content script's engine client (src/content/engine-client.js): checks go over one
// long-lived port, answers are matched by id, a closed port is reopened, a check in flight
// when the worker stopped is asked again by sendMessage, and the cache answers repeats.

import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

/** A fake chrome.runtime whose worker answers `check` with one finding per call. */
function fakeRuntime() {
  const rt = { ports: [], sent: [], answer: (msg) => ({ ok: true, findings: [{ rule: "r", text: msg.text }] }) };
  rt.connect = ({ name }) => {
    const listeners = { message: [], disconnect: [] };
    const port = {
      name,
      posted: [],
      open: true,
      onMessage: { addListener: (f) => listeners.message.push(f) },
      onDisconnect: { addListener: (f) => listeners.disconnect.push(f) },
      postMessage(m) {
        if (!port.open) throw new Error("Attempting to use a disconnected port object");
        port.posted.push(m);
      },
      /** The worker answers request `i` (in the order posted). */
      reply(i, res = rt.answer(port.posted[i].msg)) {
        for (const f of listeners.message) f({ id: port.posted[i].id, res });
      },
      /** The worker stopped. */
      disconnect() {
        port.open = false;
        for (const f of listeners.disconnect) f();
      },
    };
    rt.ports.push(port);
    return port;
  };
  rt.sendMessage = async (msg) => {
    rt.sent.push(msg);
    return rt.answer(msg);
  };
  return rt;
}

let rt;
let engine;
beforeEach(async () => {
  rt = fakeRuntime();
  globalThis.chrome = { runtime: rt };
  // A fresh module (and so a fresh port and cache) for every test.
  engine = await import(`../src/content/engine-client.js?${Math.random()}`);
});

const tick = () => new Promise((r) => setImmediate(r));

test("answers are matched to their checks by id, over one port", async () => {
  const a = engine.check("first draft", "x");
  const b = engine.check("second draft", "x");
  await tick();
  assert.equal(rt.ports.length, 1);
  assert.equal(rt.ports[0].name, "draftguard-check");
  assert.deepEqual(
    rt.ports[0].posted.map((p) => p.msg.text),
    ["first draft", "second draft"],
  );
  rt.ports[0].reply(1);
  rt.ports[0].reply(0);
  assert.deepEqual(
    (await a).map((f) => f.text),
    ["first draft"],
  );
  assert.deepEqual(
    (await b).map((f) => f.text),
    ["second draft"],
  );
  assert.equal(rt.sent.length, 0, "nothing went by sendMessage");
});

test("a repeated check is answered from the cache, and clearCache forgets it", async () => {
  const first = engine.check("same text", "linkedin");
  await tick();
  rt.ports[0].reply(0);
  await first;
  assert.deepEqual(
    engine.cached("same text", "linkedin").map((f) => f.text),
    ["same text"],
  );
  assert.equal(engine.cached("same text", "x"), undefined, "the platform is part of the key");
  await engine.check("same text", "linkedin");
  assert.equal(rt.ports[0].posted.length, 1);
  engine.clearCache();
  assert.equal(engine.cached("same text", "linkedin"), undefined);
});

test("a check in flight when the worker stops is asked again, and the next check opens a new port", async () => {
  const lost = engine.check("in flight", "x");
  await tick();
  rt.ports[0].disconnect();
  assert.deepEqual(
    (await lost).map((f) => f.text),
    ["in flight"],
  );
  assert.deepEqual(
    rt.sent.map((m) => m.text),
    ["in flight"],
  );
  const next = engine.check("after the restart", "x");
  await tick();
  assert.equal(rt.ports.length, 2);
  rt.ports[1].reply(0);
  assert.deepEqual(
    (await next).map((f) => f.text),
    ["after the restart"],
  );
});

test("no usable policy rejects with PolicyUnavailable, carrying the worker's state", async () => {
  rt.answer = () => ({
    ok: false,
    unavailable: { usable: false, failMode: "closed", reason: "Could not reach the server." },
  });
  const c = engine.check("anything", "x");
  await tick();
  rt.ports[0].reply(0);
  await assert.rejects(
    c,
    (err) =>
      err instanceof engine.PolicyUnavailable &&
      err.state.failMode === "closed" &&
      err.message === "Could not reach the server.",
  );
});

test("a port that cannot be opened (the extension was reloaded) rejects instead of hanging", async () => {
  rt.connect = () => {
    throw new Error("Extension context invalidated.");
  };
  await assert.rejects(engine.check("draft", "x"), /Extension context invalidated/);
});
