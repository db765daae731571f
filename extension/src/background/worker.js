// The service worker: hosts one draftguard engine (Rust compiled to WebAssembly) for the
// whole browser and answers the messages of the protocol (shared/protocol.js), one handler
// table per channel: pages' content scripts check drafts and report audit events; the
// popup and the options page ask for the engine's info, the policy status, and a refresh
// now. The draft text arrives by extension messaging and never leaves the machine.
//
// What is in force is decided by policy.js, from the admin's managed configuration
// (config.js); content scripts learn about changes through content-state.js; audit events
// go through audit.js (each event with this install's id, install-id.js), and the daily
// status event through status-report.js; alarms.js wakes the worker for refreshes, audit
// retries and status checks.

import init, { Engine, maxBundleBytes } from "../../pkg/draftguard.js";
import initAuthoring, { Engine as AuthoringEngine } from "../../pkg/draftguard_authoring.js";
import {
  DEFAULT_CONTENT_STATE,
  dispatch,
  MSG,
  PAGE_AUDIT_KINDS,
  PORT_CHECK,
  PORT_PART,
  readStored,
  STORAGE,
  writeStored,
} from "../shared/protocol.js";
import {
  AUDIT_ALARM,
  REFRESH_ALARM,
  STATUS_ALARM,
  scheduleAuditRetry,
  scheduleRefresh,
  scheduleStatusChecks,
} from "./alarms.js";
import { AuditQueue, makeEvent } from "./audit.js";
import { browserInfo } from "./browser-info.js";
import { normalizeConfig, readManaged } from "./config.js";
import { contentState, publishContentState } from "./content-state.js";
import { installIdOnce } from "./install-id.js";
import { PolicyManager } from "./policy.js";
import { StatusReporter, statusKey } from "./status-report.js";
import { UnprotectedTabs } from "./unprotected.js";

const VERSION = chrome.runtime.getManifest().version;
/** The extension's base URL: a sender under it is one of the extension's own pages. */
const EXTENSION_URL = chrome.runtime.getURL("");

let config = normalizeConfig({});
/** How long start-up took (ms), once it is done. @type {number | null} */
let startupMs = null;

const audit = new AuditQueue({
  storage: chrome.storage.local,
  fetch: (...args) => fetch(...args),
  extension: { id: chrome.runtime.id, version: VERSION },
  scheduleRetry: (when) => scheduleAuditRetry(chrome.alarms, when),
});

/** The text boxes on each tab that draftguard cannot check (the toolbar badge). */
const unprotected = new UnprotectedTabs({ action: chrome.action, session: chrome.storage.session });

const policy = new PolicyManager({
  storage: chrome.storage.local,
  fetch: (...args) => fetch(...args),
  onChange: (status) => {
    publishContentState(chrome.storage.local, contentState(status, config));
    reportStatus();
  },
  onRefused: (refusal) => record({ kind: "bundle-refused", refusal }, {}),
});

const installId = installIdOnce(chrome.storage.local);

/**
 * Queues an audit event (see audit.js makeEvent for what is kept of `input`).
 * @param {object} input  as reported
 * @param {{ site?: string | null, platform?: string | null }} where
 */
async function record(input, { site = null, platform = null }) {
  const event = makeEvent(input, {
    id: crypto.randomUUID(),
    now: Date.now(),
    policy: policy.status()?.policy ?? null,
    site,
    platform,
    extensionVersion: VERSION,
    userHint: config.userHint,
    installId: await installId(),
    ring: config.ring,
  });
  return audit.add(event);
}

/** The browser's name and version, asked once per worker. @type {Promise<import("./browser-info.js").BrowserInfo> | null} */
let browserOnce = null;
const statusReports = new StatusReporter({
  storage: chrome.storage.local,
  send: async () => {
    browserOnce ??= browserInfo();
    return record({ kind: "status", browser: await browserOnce }, {});
  },
});

/** Records a status event if the policy in force or the ring changed, or the last is a day old. */
function reportStatus() {
  const status = policy.status();
  if (!status) return;
  statusReports.check(statusKey(status.policy, config.ring)).catch(() => {});
}

/** @param {import("./config.js").Config} next */
async function applyConfig(next) {
  config = next;
  await audit.configure({ reportUrl: config.reportUrl, token: config.reportToken, recording: config.managed });
  await scheduleRefresh(chrome.alarms, config.bundleUrl ? config.refreshMinutes : null);
}

/**
 * The very first start of an install (nothing remembered) waits this long for the managed
 * configuration; if Chromium's policy service is not ready by then, pages are told that
 * the policy is still loading (their badge says so, and a post follows the fail mode), so
 * that no draft waits seconds for a first answer.
 */
const FIRST_START_WAIT_MS = 250;
/** The content state while the first managed configuration is awaited, else null. @type {import("../shared/protocol.js").ContentState | null} */
let loading = null;
/** Resolves `answerable`. @type {(value?: unknown) => void} */
let loadingBegan = () => {};
/** Resolves when start-up is over or has begun waiting for the managed configuration. */
const answerable = new Promise((resolve) => {
  loadingBegan = resolve;
});

/**
 * The managed configuration as last read. Chromium answers `storage.managed` only once its
 * policy service is ready, which after a browser start takes seconds (4.8 s measured here);
 * starting from the last configuration lets drafts be checked at once, and the fresh one
 * is applied the moment it arrives. Only the very first start (nothing remembered yet,
 * e.g. right after a force-install) waits for it, so a managed browser never runs even
 * briefly on a configuration the admin did not give.
 */
const sameConfig = (/** @type {unknown} */ a, /** @type {unknown} */ b) => JSON.stringify(a) === JSON.stringify(b);

const freshManaged = readManaged(chrome.storage.managed).then(async (raw) => {
  await writeStored(chrome.storage.local, STORAGE.lastManaged, raw);
  return raw;
});

/**
 * The authoring module (the engine with the YAML reader and errors that name the line and
 * column), compiled the first time policy.js asks for it: only for a bundle sealed
 * `--as-written` or one the engine module refuses as invalid. Service workers may not
 * `import()`, so its small JS glue is imported above and only the wasm waits.
 * @type {Promise<typeof AuthoringEngine> | null}
 */
let authoring = null;
function loadAuthoring() {
  authoring ??= initAuthoring({ module_or_path: chrome.runtime.getURL("pkg/draftguard_authoring_bg.wasm") }).then(
    () => AuthoringEngine,
  );
  authoring.catch(() => {
    authoring = null; // a later bundle may try again
  });
  return authoring;
}

async function startWasm() {
  try {
    await init({ module_or_path: chrome.runtime.getURL("pkg/draftguard_bg.wasm") });
    performance.mark("draftguard:wasm"); // extension/bench/startup.mjs reads these
    return { wasm: { Engine, maxBundleBytes: maxBundleBytes(), authoring: loadAuthoring }, initError: null };
  } catch (err) {
    return { wasm: null, initError: err };
  }
}

/** The raw managed configuration in use. @type {Record<string, unknown> | null} */
let startedWith = null;

/**
 * The first managed configuration of an install. What a browser without managed policy
 * would do decides the fail mode meanwhile: no configuration means no admin fail mode and
 * no last good bundle, so "open" (as policy.js decides for an unmanaged browser).
 * @returns {Promise<Record<string, unknown>>}
 */
async function firstManaged() {
  const waited = new Promise((resolve) => setTimeout(resolve, FIRST_START_WAIT_MS, null));
  const raw = await Promise.race([freshManaged, waited]);
  if (raw) return raw;
  loading = { ...DEFAULT_CONTENT_STATE, usable: false, loading: true, stamp: "loading", reason: null };
  await publishContentState(chrome.storage.local, loading);
  loadingBegan();
  try {
    return await freshManaged;
  } finally {
    loading = null;
  }
}

// Module service workers may not use top-level await, so start-up runs here and every
// request awaits the same promise. The wasm compiles while the configuration is read.
const ready = (async () => {
  const t0 = performance.now();
  const wasmReady = startWasm();
  startedWith = (await readStored(chrome.storage.local, STORAGE.lastManaged)) ?? (await firstManaged());
  await applyConfig(normalizeConfig(startedWith));
  await scheduleStatusChecks(chrome.alarms);
  const { wasm, initError } = await wasmReady;
  await policy.start(config, wasm, initError);
  performance.mark("draftguard:engine");
  startupMs = performance.now() - t0;
})();
ready.finally(loadingBegan);

/**
 * Applies a managed configuration that differs from the one in use.
 * @param {Record<string, unknown>} raw
 */
async function reconfigure(raw) {
  if (sameConfig(raw, startedWith)) return;
  startedWith = raw;
  const next = normalizeConfig(raw);
  await applyConfig(next);
  await policy.setConfig(next);
}

ready.then(() => freshManaged).then(reconfigure);

const hostOf = (/** @type {string | undefined} */ url) => {
  try {
    return new URL(url ?? "").hostname;
  } catch {
    return null;
  }
};

/**
 * The approved posts the policy in force offers on a platform on a day (none while no
 * usable policy is in force).
 * @param {import("../shared/protocol.js").LibraryRequest} msg
 * @returns {Promise<import("../shared/protocol.js").LibraryResponse>}
 */
async function library(msg) {
  // Unlike a check, nobody is typing while this waits: on a first start it waits for the
  // admin's configuration rather than offering the wrong policy's posts.
  await ready;
  const engine = policy.engine();
  if (!engine) return { ok: true, entries: [] };
  return { ok: true, entries: engine.library(msg.platform || undefined, msg.now ?? Date.now()) };
}

/**
 * Who may ask what: one handler table per channel (shared/protocol.js picks the table from
 * the sender). A type that is not in the sender's table is refused.
 * @type {import("../shared/protocol.js").ChannelHandlers}
 */
const HANDLERS = {
  /** A content script in a web page. */
  page: {
    [MSG.check]: async (msg) => {
      if (loading) return { ok: false, unavailable: loading };
      await ready;
      const engine = policy.engine();
      // After start-up there is always a status.
      const status = /** @type {import("../shared/protocol.js").PolicyStatus} */ (policy.status());
      if (!engine) return { ok: false, unavailable: contentState(status, config) };
      const t0 = performance.now();
      const findings = engine.check(String(msg.text ?? ""), msg.platform || undefined, msg.now ?? Date.now());
      return { ok: true, findings, checkMs: performance.now() - t0 };
    },
    [MSG.library]: (msg) => library(msg),
    [MSG.audit]: async (msg, sender) => {
      if (!PAGE_AUDIT_KINDS.includes(msg.event?.kind))
        return { ok: false, error: "not an audit event a page may report" };
      await ready;
      const kept = await record(msg.event, {
        site: hostOf(sender.url ?? sender.tab?.url),
        platform: msg.event.platform,
      });
      return { ok: true, kept };
    },
    [MSG.reach]: async (msg, sender) => {
      const where = msg.where === "closed-shadow-root" || msg.where === "frame" ? msg.where : null;
      await unprotected.report(where, sender);
      return { ok: true };
    },
  },
  /** The toolbar popup and the options page. */
  "extension-page": {
    [MSG.info]: async () => {
      await ready;
      return { ok: true, info: policy.engine()?.info ?? null, startupMs, status: policy.status() };
    },
    [MSG.policyStatus]: async () => {
      await ready;
      return { ok: true, status: policy.status(), audit: await audit.stats(), installId: await installId() };
    },
    [MSG.refresh]: async () => {
      await ready;
      return { ok: true, status: await policy.refresh(), audit: await audit.stats(), installId: await installId() };
    },
    [MSG.library]: (msg) => library(msg),
    [MSG.tabReach]: async (msg) => ({ ok: true, unprotected: await unprotected.get(Number(msg.tabId)) }),
  },
};

/**
 * Answers `msg` from `sender` (each handler waits for what it needs of start-up); a handler
 * that throws answers an error.
 * @param {unknown} msg
 * @param {chrome.runtime.MessageSender | undefined} sender
 */
function answer(msg, sender) {
  return answerable
    .then(() => dispatch(HANDLERS, msg, sender, EXTENSION_URL))
    .catch((err) => ({ ok: false, error: String(err?.message ?? err) }));
}

/**
 * Sends a check's answer on the port: many findings go as parts of PORT_PART (each a
 * message the page reads in a few milliseconds rather than one that holds its main thread
 * for a tenth of a second), the worker yielding between parts so other tabs' checks are
 * answered meanwhile.
 * @param {chrome.runtime.Port} port
 * @param {number} id
 * @param {Awaited<ReturnType<typeof answer>>} res
 */
async function sendInParts(port, id, res) {
  try {
    const check = /** @type {import("../shared/protocol.js").CheckResponse} */ (res);
    const all = check.ok ? check.findings : [];
    if (all.length > PORT_PART) {
      let at = 0;
      for (; all.length - at > PORT_PART; at += PORT_PART) {
        port.postMessage(
          /** @type {import("../shared/protocol.js").PortResponse} */ ({ id, part: all.slice(at, at + PORT_PART) }),
        );
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      res = { ...check, findings: all.slice(at) };
    }
    port.postMessage({ id, res });
  } catch {
    // The page went away; nobody is waiting for the answer.
  }
}

// Content scripts' checks come over a long-lived port (content/engine-client.js).
chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== PORT_CHECK) return;
  port.onMessage.addListener(({ id, msg } = {}) => {
    answer(msg, port.sender).then((res) => sendInParts(port, id, res));
  });
});

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  answer(msg, sender).then(sendResponse);
  return true; // the response is asynchronous
});

// Another page in the tab (the browser resets the tab's badge) or the tab closed.
chrome.tabs.onUpdated.addListener((tabId, change) => {
  if (change.status === "loading") unprotected.forget(tabId);
});
chrome.tabs.onRemoved.addListener((tabId) => {
  unprotected.forget(tabId);
});

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === REFRESH_ALARM) ready.then(() => policy.refresh());
  else if (alarm.name === AUDIT_ALARM) ready.then(() => audit.flush());
  else if (alarm.name === STATUS_ALARM) ready.then(reportStatus);
});

chrome.storage.onChanged.addListener((_changes, area) => {
  if (area !== "managed") return;
  ready.then(async () => {
    const raw = await readManaged(chrome.storage.managed);
    await writeStored(chrome.storage.local, STORAGE.lastManaged, raw);
    await reconfigure(raw);
  });
});
