// The service worker: hosts one draftguard engine (Rust compiled to WebAssembly) for the
// whole browser and routes messages: content scripts' checks and audit events, the popup's
// and options page's status requests and "check now". The draft text arrives by extension
// messaging and never leaves the machine.
//
// What is in force is decided by policy.js, from the admin's managed configuration
// (config.js); content scripts learn about changes through content-state.js; audit events
// go through audit.js; alarms.js wakes the worker for refreshes and audit retries.

import init, { Engine, maxBundleBytes } from "../../pkg/draftguard.js";
import { AUDIT_ALARM, REFRESH_ALARM, scheduleAuditRetry, scheduleRefresh } from "./alarms.js";
import { AuditQueue, makeEvent } from "./audit.js";
import { normalizeConfig, readManaged } from "./config.js";
import { contentState, publishContentState } from "./content-state.js";
import { PolicyManager } from "./policy.js";

const VERSION = chrome.runtime.getManifest().version;
/** Audit event kinds a content script may report (the worker reports refused bundles). */
const CONTENT_EVENTS = new Set(["blocked", "override", "monitor"]);

let config = normalizeConfig({});
let startupMs = null;

const audit = new AuditQueue({
  storage: chrome.storage.local,
  fetch: (...args) => fetch(...args),
  extension: { id: chrome.runtime.id, version: VERSION },
  scheduleRetry: (when) => scheduleAuditRetry(chrome.alarms, when),
});

const policy = new PolicyManager({
  storage: chrome.storage.local,
  fetch: (...args) => fetch(...args),
  onChange: (status) => publishContentState(chrome.storage.local, contentState(status, config)),
  onRefused: (refusal) => record({ kind: "bundle-refused", refusal }, {}),
});

function record(input, { site = null, platform = null }) {
  const event = makeEvent(input, {
    id: crypto.randomUUID(),
    now: Date.now(),
    policy: policy.status()?.policy ?? null,
    site,
    platform,
    extensionVersion: VERSION,
    userHint: config.userHint,
  });
  return audit.add(event);
}

async function applyConfig(next) {
  config = next;
  await audit.configure({ reportUrl: config.reportUrl, recording: config.managed });
  await scheduleRefresh(chrome.alarms, config.bundleUrl ? config.refreshMinutes : null);
}

/**
 * The managed configuration as last read. Chromium answers `storage.managed` only once its
 * policy service is ready, which after a browser start takes seconds (4.8 s measured here);
 * starting from the last configuration lets drafts be checked at once, and the fresh one
 * is applied the moment it arrives. Only the very first start (nothing remembered yet,
 * e.g. right after a force-install) waits for it, so a managed browser never runs even
 * briefly on a configuration the admin did not give.
 */
const LAST_MANAGED_KEY = "managed.last";
const sameConfig = (a, b) => JSON.stringify(a) === JSON.stringify(b);

const freshManaged = readManaged(chrome.storage.managed).then(async (raw) => {
  await chrome.storage.local.set({ [LAST_MANAGED_KEY]: raw });
  return raw;
});

async function startWasm() {
  try {
    await init({ module_or_path: chrome.runtime.getURL("pkg/draftguard_bg.wasm") });
    performance.mark("draftguard:wasm"); // extension/bench/startup.mjs reads these
    return { wasm: { Engine, maxBundleBytes: maxBundleBytes() }, initError: null };
  } catch (err) {
    return { wasm: null, initError: err };
  }
}

let startedWith = null;

// Module service workers may not use top-level await, so start-up runs here and every
// request awaits the same promise. The wasm compiles while the configuration is read.
const ready = (async () => {
  const t0 = performance.now();
  const wasmReady = startWasm();
  const { [LAST_MANAGED_KEY]: last } = await chrome.storage.local.get(LAST_MANAGED_KEY);
  startedWith = last ?? (await freshManaged);
  await applyConfig(normalizeConfig(startedWith));
  const { wasm, initError } = await wasmReady;
  await policy.start(config, wasm, initError);
  performance.mark("draftguard:engine");
  startupMs = performance.now() - t0;
})();

/** Applies a managed configuration that differs from the one in use. */
async function reconfigure(raw) {
  if (sameConfig(raw, startedWith)) return;
  startedWith = raw;
  const next = normalizeConfig(raw);
  await applyConfig(next);
  await policy.setConfig(next);
}

ready.then(() => freshManaged).then(reconfigure);

const hostOf = (url) => {
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
};

async function handle(msg, sender) {
  await ready;
  switch (msg?.type) {
    case "check": {
      const engine = policy.engine();
      if (!engine) return { ok: false, unavailable: contentState(policy.status(), config) };
      const t0 = performance.now();
      const findings = engine.check(String(msg.text ?? ""), msg.platform || undefined, msg.now ?? Date.now());
      return { ok: true, findings, checkMs: performance.now() - t0 };
    }
    case "info":
      return { ok: true, info: policy.engine()?.info ?? null, startupMs, status: policy.status() };
    case "policy-status":
      return { ok: true, status: policy.status(), audit: await audit.stats() };
    case "refresh":
      return { ok: true, status: await policy.refresh(), audit: await audit.stats() };
    case "audit": {
      if (!sender.tab || !CONTENT_EVENTS.has(msg.event?.kind))
        return { ok: false, error: "not an audit event a page may report" };
      const kept = await record(msg.event, {
        site: hostOf(sender.url ?? sender.tab.url),
        platform: msg.event.platform,
      });
      return { ok: true, kept };
    }
    default:
      return { ok: false, error: `unknown request ${JSON.stringify(msg?.type)}` };
  }
}

// Content scripts' checks come over a long-lived port (content/engine.js), as `{ id, msg }`.
chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== "draftguard-check") return;
  port.onMessage.addListener(({ id, msg } = {}) => {
    const reply = (res) => {
      try {
        port.postMessage({ id, res });
      } catch {
        // The page went away; nobody is waiting for the answer.
      }
    };
    handle(msg, port.sender).then(reply, (err) => reply({ ok: false, error: String(err?.message ?? err) }));
  });
});

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  handle(msg, sender).then(sendResponse, (err) => sendResponse({ ok: false, error: String(err?.message ?? err) }));
  return true; // the response is asynchronous
});

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === REFRESH_ALARM) ready.then(() => policy.refresh());
  else if (alarm.name === AUDIT_ALARM) ready.then(() => audit.flush());
});

chrome.storage.onChanged.addListener((_changes, area) => {
  if (area !== "managed") return;
  ready.then(async () => {
    const raw = await readManaged(chrome.storage.managed);
    await chrome.storage.local.set({ [LAST_MANAGED_KEY]: raw });
    await reconfigure(raw);
  });
});
