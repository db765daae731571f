// The service worker: hosts one draftguard engine (Rust compiled to WebAssembly) for the
// whole browser and answers content scripts' check requests. The draft text arrives by
// extension messaging and never leaves the machine.

import init, { Engine } from "../../pkg/draftguard.js";

let engine = null;
let startupMs = null;

// Module service workers may not use top-level await, so the engine starts on first use
// (and right away, below) and every request awaits the same promise.
const ready = (async () => {
  const t0 = performance.now();
  await init({ module_or_path: chrome.runtime.getURL("pkg/draftguard_bg.wasm") });
  performance.mark("draftguard:wasm"); // extension/bench/startup.mjs reads these
  engine = Engine.withDefaultPolicy();
  performance.mark("draftguard:engine");
  startupMs = performance.now() - t0;
  return engine;
})();

async function handle(msg) {
  const e = await ready;
  switch (msg?.type) {
    case "check": {
      const t0 = performance.now();
      const findings = e.check(String(msg.text ?? ""), msg.platform || undefined, msg.now ?? Date.now());
      return { ok: true, findings, checkMs: performance.now() - t0 };
    }
    case "info":
      return { ok: true, info: e.info, startupMs };
    default:
      return { ok: false, error: `unknown request ${JSON.stringify(msg?.type)}` };
  }
}

chrome.runtime.onMessage.addListener((msg, _sender, sendResponse) => {
  handle(msg).then(sendResponse, (err) => sendResponse({ ok: false, error: String(err?.message ?? err) }));
  return true; // the response is asynchronous
});
