// The admin's managed configuration (chrome.storage.managed, declared by
// managed_schema.json): read it, and normalize whatever arrived (nothing at all on the
// first start after a force-install, a removed key, a wrongly typed value from a
// hand-written registry entry or a Firefox policies.json that no schema checked) into a
// complete object with defaults. Values that cannot be used are dropped and described in
// `problems`, which the options page shows.

import { normalizeSite } from "../content/sites.js";

export const KEYS = [
  "bundleUrl",
  "inlineBundle",
  "publicKeys",
  "refreshMinutes",
  "failMode",
  "reportUrl",
  "enabledSites",
  "allowUserDisable",
  "userHint",
  "ring",
  "reportToken",
];
export const DEFAULT_REFRESH_MINUTES = 60;
/** The ring a browser is in when the admin does not set `ring`. */
export const DEFAULT_RING = "broad";
/** The placeholder in `bundleUrl` that the ring replaces. */
export const RING_PLACEHOLDER = "{ring}";
/** A ring name: what the console accepts in `GET /v1/bundle/{ring}` (letters, digits, `-`, `_`, `.`). */
const RING_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** An enrollment token: an RFC 6750 bearer token (b64token), at most 4096 characters. */
const TOKEN_RE = /^[A-Za-z0-9\-._~+/]{1,4096}=*$/;
const MAX_REFRESH_MINUTES = 7 * 24 * 60;
const MAX_HINT = 200;
const KEY_RE = /^ed25519:[A-Za-z0-9+/]{43}=$/;
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * Reads the managed area; a browser without managed storage (or an error) is "nothing set".
 * @param {{ get(keys: null): Promise<Record<string, unknown>> } | undefined} area
 * @returns {Promise<Record<string, unknown>>}
 */
export async function readManaged(area) {
  try {
    return (await area?.get(null)) ?? {};
  } catch {
    return {};
  }
}

/**
 * The normalized configuration. `managed` is true when any known key is set. `failMode` is
 * null when the admin did not set it (the policy's own `settings.fail` then decides).
 * `enabledSites` null = every site. `problems`: what was set and cannot be used.
 * @typedef {object} Config
 * @property {boolean} managed
 * @property {string | null} bundleUrl
 * @property {string | null} inlineBundle
 * @property {string[]} publicKeys
 * @property {number} refreshMinutes
 * @property {import("../shared/protocol.js").FailMode | null} failMode
 * @property {string | null} reportUrl
 * @property {string[] | null} enabledSites
 * @property {boolean} allowUserDisable
 * @property {string | null} userHint
 * @property {string} ring  the ring this browser is in (`ring`, default "broad")
 * @property {string | null} reportToken  the enrollment token sent as `Authorization: Bearer`
 * @property {string[]} problems
 */

/**
 * Normalizes whatever arrived in managed storage into a complete configuration.
 * @param {unknown} raw
 * @returns {Config}
 */
export function normalizeConfig(raw) {
  const src = /** @type {Record<string, any>} */ (raw && typeof raw === "object" ? raw : {});
  /** @type {string[]} */
  const problems = [];
  const given = (/** @type {string} */ k) => src[k] !== undefined && src[k] !== null && src[k] !== "";
  /** @type {Config} */
  const out = {
    managed: KEYS.some(given),
    bundleUrl: null,
    inlineBundle: null,
    publicKeys: [],
    refreshMinutes: DEFAULT_REFRESH_MINUTES,
    failMode: null,
    reportUrl: null,
    enabledSites: null,
    allowUserDisable: true,
    userHint: null,
    ring: DEFAULT_RING,
    reportToken: null,
    problems,
  };

  // The ring comes first: it completes the bundle URL.
  if (given("ring")) {
    const ring = typeof src.ring === "string" ? src.ring.trim() : "";
    if (RING_RE.test(ring)) out.ring = ring;
    else
      problems.push(
        `ring must be a ring name (letters, digits, "-", "_", "."; at most 64): ${JSON.stringify(src.ring)}; using "${DEFAULT_RING}"`,
      );
  }

  if (given("bundleUrl")) {
    const raw = String(src.bundleUrl).trim();
    const templated = raw.includes(RING_PLACEHOLDER);
    const url = httpUrl(raw.replaceAll(RING_PLACEHOLDER, encodeURIComponent(out.ring)));
    if (url) out.bundleUrl = url;
    else problems.push(`bundleUrl is not an http(s) URL: ${JSON.stringify(src.bundleUrl)}`);
    if (url && given("ring") && !templated)
      problems.push(
        `ring is set but bundleUrl has no ${RING_PLACEHOLDER} placeholder, so every ring gets the same bundle`,
      );
  }

  if (given("inlineBundle")) {
    const v = src.inlineBundle;
    // A string is the bundle file's text; an object (Firefox policies.json, an Admin
    // console JSON value) is the bundle itself. The signature covers only the payload
    // string inside, so re-serializing the object keeps it valid.
    if (typeof v === "string" && v.trim()) out.inlineBundle = v.trim();
    else if (typeof v === "object" && !Array.isArray(v)) out.inlineBundle = JSON.stringify(v);
    else problems.push("inlineBundle must be the bundle file's text (a string) or the bundle object");
  }
  if (out.bundleUrl && out.inlineBundle) {
    problems.push("inlineBundle is ignored because bundleUrl is set");
    out.inlineBundle = null;
  }

  if (given("publicKeys")) {
    const list = Array.isArray(src.publicKeys) ? src.publicKeys : [src.publicKeys];
    for (const k of list) {
      const key = typeof k === "string" ? k.trim() : "";
      if (KEY_RE.test(key)) {
        if (!out.publicKeys.includes(key)) out.publicKeys.push(key);
      } else {
        problems.push(
          `publicKeys: not an Ed25519 public key ("ed25519:" and 44 base64 characters): ${JSON.stringify(k)}`,
        );
      }
    }
  }
  if ((out.bundleUrl || out.inlineBundle) && out.publicKeys.length === 0) {
    problems.push("no valid publicKeys are pinned, so no bundle can be trusted");
  }

  if (given("refreshMinutes")) {
    const n = Number(src.refreshMinutes);
    if (Number.isFinite(n) && n > 0) out.refreshMinutes = Math.min(MAX_REFRESH_MINUTES, Math.max(1, Math.round(n)));
    else problems.push(`refreshMinutes must be a positive number of minutes: ${JSON.stringify(src.refreshMinutes)}`);
  }

  if (given("failMode")) {
    const m = String(src.failMode).trim().toLowerCase();
    if (m === "open" || m === "closed") out.failMode = m;
    else problems.push(`failMode must be "open" or "closed": ${JSON.stringify(src.failMode)}`);
  }

  if (given("reportUrl")) {
    const url = httpUrl(src.reportUrl);
    if (url && (url.startsWith("https:") || LOOPBACK.has(new URL(url).host.replace(/:\d+$/, "")))) out.reportUrl = url;
    else problems.push(`reportUrl must be an https URL (http only on this computer): ${JSON.stringify(src.reportUrl)}`);
  }

  if (given("reportToken")) {
    const token = typeof src.reportToken === "string" ? src.reportToken.trim() : "";
    if (TOKEN_RE.test(token)) out.reportToken = token;
    else
      problems.push(
        "reportToken must be the enrollment token the console gave (letters, digits and -._~+/, at most 4096); it is not sent",
      );
    if (out.reportToken && !out.reportUrl)
      problems.push("reportToken is set but reportUrl is not, so it is never sent");
  }

  if (given("enabledSites")) {
    const list = Array.isArray(src.enabledSites) ? src.enabledSites : [src.enabledSites];
    out.enabledSites = [];
    for (const s of list) {
      const host = normalizeSite(s);
      if (host) {
        if (!out.enabledSites.includes(host)) out.enabledSites.push(host);
      } else {
        problems.push(`enabledSites: not a host name: ${JSON.stringify(s)}`);
      }
    }
  }

  if (given("allowUserDisable")) {
    const b = toBoolean(src.allowUserDisable);
    if (b === null) problems.push(`allowUserDisable must be true or false: ${JSON.stringify(src.allowUserDisable)}`);
    else out.allowUserDisable = b;
  }

  if (given("userHint")) {
    if (typeof src.userHint === "string" || typeof src.userHint === "number") {
      out.userHint = String(src.userHint).trim().slice(0, MAX_HINT) || null;
    } else {
      problems.push("userHint must be a string");
    }
  }
  return out;
}

/**
 * Where the policy comes from: a bundle URL, an inline bundle, or the embedded default.
 * @param {Config} config
 * @returns {{ kind: "url", url: string } | { kind: "inline", text: string } | { kind: "embedded" }}
 */
export function policySource(config) {
  if (config.bundleUrl) return { kind: "url", url: config.bundleUrl };
  if (config.inlineBundle) return { kind: "inline", text: config.inlineBundle };
  return { kind: "embedded" };
}

/**
 * The enrollment token to send with a bundle request to `url`: only to the report URL's
 * own origin (the console that issued it), never to a separate bundle host.
 * @param {Config} config
 * @param {string} url
 * @returns {string | null}
 */
export function bundleToken(config, url) {
  if (!config.reportToken || !config.reportUrl) return null;
  try {
    return new URL(url).origin === new URL(config.reportUrl).origin ? config.reportToken : null;
  } catch {
    return null;
  }
}

/** @param {unknown} v */
function httpUrl(v) {
  try {
    const u = new URL(String(v).trim());
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
  } catch {
    return null;
  }
}

/**
 * Booleans, and what a Windows registry DWORD or a string gives for one.
 * @param {unknown} v
 */
function toBoolean(v) {
  if (typeof v === "boolean") return v;
  if (v === 1 || v === "1" || v === "true") return true;
  if (v === 0 || v === "0" || v === "false") return false;
  return null;
}
