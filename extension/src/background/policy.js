// The policy in force, and every decision about changing it. The source is the embedded
// default policy when the admin manages no bundle, else the managed inline bundle or the
// bundle at the managed URL. A candidate bundle is verified and fully built by the engine
// (Engine.fromBundle: size, format, pinned key, signature, expiry, rollback, policy, the
// policy's own tests) before it replaces the engine in force, so checks never see a
// half-built policy; any refusal leaves the last good bundle in force. The engine module
// reads the JSON that `draftguard bundle` seals; a bundle it refuses as an invalid policy
// (one sealed `--as-written`, in YAML, or a policy with an error) is opened by the
// authoring module instead, which reads YAML and names the line of an error. The last good
// bundle's text is kept in storage and verified again at every start and whenever the
// managed configuration changes (an admin may un-pin a key), so it survives browser and
// service-worker restarts.
//
// A bundle in force that reaches its expiry stops being in force (an expired bundle is
// refused at start-up too, so a restart could not bring it back either): with no usable
// policy left, the fail mode decides until a fresh bundle arrives.

import { readStored, STORAGE, writeStored } from "../shared/protocol.js";
import { bundleToken, policySource } from "./config.js";
import { fetchBundle } from "./fetch-bundle.js";

const RETRY_UNUSABLE_MS = 60_000;

/** @typedef {import("../../pkg/draftguard.js").Engine} Engine */
/** @typedef {import("../shared/protocol.js").PolicyStatus} PolicyStatus */
/** @typedef {import("../shared/protocol.js").SavedStatus} SavedStatus */
/** @typedef {import("./config.js").Config} Config */

/**
 * The engine's API as the worker started it: the Engine class, the largest bundle it
 * takes, and the authoring module's Engine class, compiled on first request.
 * @typedef {{ Engine: typeof import("../../pkg/draftguard.js").Engine, maxBundleBytes: number,
 *   authoring: () => Promise<typeof import("../../pkg/draftguard.js").Engine> }} Wasm
 */

/** @typedef {import("../shared/protocol.js").SiteAdapter} SiteAdapter */

/**
 * What is in force: the engine, and the bundle it came from (none for the embedded
 * default), with the site adapters its policy carries.
 * @typedef {{ engine: Engine, kind: "embedded", info: import("../shared/protocol.js").EngineInfo, adapters: SiteAdapter[] }
 *   | { engine: Engine, kind: "bundle", text: string, meta: import("../shared/protocol.js").BundleMeta, info: import("../shared/protocol.js").EngineInfo, adapters: SiteAdapter[] }} InForce
 */

export class PolicyManager {
  /** @type {import("../shared/protocol.js").StorageArea} */
  #storage;
  /** @type {typeof globalThis.fetch} */
  #fetch;
  /** @type {() => number} */
  #now;
  /** @type {(status: PolicyStatus) => void} */
  #onChange;
  /** @type {(refusal: { code: string, message: string }) => void} */
  #onRefused;
  /** @type {Wasm | null} */
  #wasm = null;
  /** @type {Config} */
  #config = /** @type {Config} */ (/** @type {unknown} */ (null));
  /** What is in force, or null: nothing usable. @type {InForce | null} */
  #inForce = null;
  /** The last bundle applied. @type {import("../shared/protocol.js").LastGood | null} */
  #lastGood = null;
  /** What is remembered about fetching and refusing bundles (read from storage at start). */
  /** @type {SavedStatus} */
  #status = { lastFetch: null, refusal: null, appliedAt: null };
  #started = false;
  /** @type {string | null} */
  #problem = null;
  /** @type {Promise<unknown>} */
  #chain = Promise.resolve();

  /**
   * `storage`: chrome.storage.local (get/set). `fetch`: the fetch function. `onChange(status)`
   * after every change of what is in force or of the status; `onRefused(refusal)` for each
   * refused bundle.
   * @param {object} seams
   * @param {import("../shared/protocol.js").StorageArea} seams.storage
   * @param {typeof globalThis.fetch} seams.fetch
   * @param {() => number} [seams.now]
   * @param {(status: PolicyStatus) => void} [seams.onChange]
   * @param {(refusal: { code: string, message: string }) => void} [seams.onRefused]
   */
  constructor({ storage, fetch, now = Date.now, onChange = () => {}, onRefused = () => {} }) {
    this.#storage = storage;
    this.#fetch = fetch;
    this.#now = now;
    this.#onChange = onChange;
    this.#onRefused = onRefused;
  }

  /**
   * Starts with `config`; `wasm` is `{ Engine, maxBundleBytes }`, or null when the engine
   * could not start (`initError` says why). Resolves once the first decision is made.
   * @param {Config} config
   * @param {Wasm | null} wasm
   * @param {any} [initError]
   */
  start(config, wasm, initError = null) {
    return this.#serial(async () => {
      this.#wasm = wasm;
      this.#config = config;
      this.#lastGood = await readStored(this.#storage, STORAGE.lastGood);
      const { lastFetch, refusal, appliedAt } = await readStored(this.#storage, STORAGE.policyStatus);
      this.#status = { lastFetch, refusal, appliedAt };
      this.#started = true;
      if (!wasm) {
        this.#problem = `The draftguard engine could not start: ${initError?.message ?? initError}`;
        return;
      }
      await this.#enter({ startup: true });
    });
  }

  /**
   * The managed configuration changed: the source, the pinned keys or the URL may differ.
   * @param {Config} config
   */
  setConfig(config) {
    return this.#serial(async () => {
      const urlChanged = config.bundleUrl !== this.#config?.bundleUrl;
      this.#config = config;
      if (this.#wasm) await this.#enter({ startup: false, urlChanged });
    });
  }

  /** Fetches (URL) or re-reads (inline) the bundle now; resolves to the status. */
  refresh() {
    return this.#serial(async () => {
      if (!this.#wasm) return;
      const src = policySource(this.#config);
      if (src.kind === "url") await this.#fetchAndConsider(src.url);
      else if (src.kind === "inline") await this.#consider(src.text, { origin: "inline" });
    }).then(() => this.status());
  }

  /** The engine to check with now, or null when no usable policy is in force. */
  engine(now = this.#now()) {
    const f = this.#inForce;
    if (!f) return null;
    if (f.kind === "bundle" && Date.parse(f.meta.expiresAt) <= now) {
      this.#inForce = null;
      f.engine.free();
      this.#status.refusal = {
        code: "expired",
        message: `The bundle in force (version ${f.meta.version}) expired at ${f.meta.expiresAt}.`,
        at: now,
      };
      this.#serial(async () => {}); // persists the status and tells the content scripts
      return null;
    }
    return f.engine;
  }

  /**
   * The status the popup and the options page show (null before start).
   * @returns {PolicyStatus | null}
   */
  status(now = this.#now()) {
    if (!this.#started) return null;
    this.engine(now);
    const cfg = this.#config;
    const src = policySource(cfg);
    const f = this.#inForce;
    let problem = null;
    if (!f) {
      problem =
        this.#problem ??
        this.#status.refusal?.message ??
        (this.#status.lastFetch?.result === "failed" ? this.#status.lastFetch.message : null) ??
        "No policy bundle has been received yet.";
    }
    return {
      source: src.kind,
      url: src.kind === "url" ? src.url : null,
      managed: cfg.managed,
      ring: cfg.managed ? cfg.ring : null,
      usable: !!f,
      failMode: cfg.failMode ?? this.#lastGood?.fail ?? "open",
      policy: f
        ? {
            id: f.info.id,
            version: f.info.version,
            title: f.info.title,
            override: f.info.settings?.override ?? "justify",
          }
        : null,
      bundle: f?.kind === "bundle" ? { ...f.meta } : null,
      appliedAt: f?.kind === "bundle" ? this.#status.appliedAt : null,
      lastFetch: src.kind === "embedded" ? null : this.#status.lastFetch,
      refusal: src.kind === "embedded" ? null : this.#status.refusal,
      problem,
      configProblems: [...cfg.problems],
      adapters: f ? structuredClone(f.adapters) : [],
    };
  }

  /**
   * Runs `fn` after everything queued before it, then persists the status and reports it.
   * @template T
   * @param {() => Promise<T>} fn
   * @returns {Promise<T>}
   */
  #serial(fn) {
    const run = this.#chain.then(fn).finally(() => this.#changed());
    this.#chain = run.catch(() => {});
    return run;
  }

  async #changed() {
    const status = this.status();
    if (!status) return;
    const { lastFetch, refusal, appliedAt } = this.#status;
    await writeStored(this.#storage, STORAGE.policyStatus, { lastFetch, refusal, appliedAt });
    this.#onChange(status);
  }

  /** The engine's API; only asked for once start() found it. */
  get #api() {
    if (!this.#wasm) throw new Error("the draftguard engine did not start");
    return this.#wasm;
  }

  /**
   * Puts the configured source in force.
   * @param {{ startup: boolean, urlChanged?: boolean }} when
   */
  async #enter({ startup, urlChanged = false }) {
    const src = policySource(this.#config);
    if (src.kind === "embedded") {
      if (this.#inForce?.kind !== "embedded") {
        const engine = this.#api.Engine.withDefaultPolicy();
        this.#swap({ engine, kind: "embedded", info: engine.info, adapters: engine.adapters });
      }
      return;
    }
    await this.#restoreLastGood();
    if (src.kind === "inline") {
      await this.#consider(src.text, { origin: "inline" });
    } else if (urlChanged || this.#due(src.url, startup)) {
      await this.#fetchAndConsider(src.url);
    }
  }

  /**
   * Whether a start-up should fetch now rather than wait for the refresh alarm.
   * @param {string} url
   * @param {boolean} startup
   */
  #due(url, startup) {
    if (!startup) return false;
    const last = this.#status.lastFetch;
    if (!last || last.url !== url) return true;
    const age = this.#now() - last.at;
    return age >= this.#config.refreshMinutes * 60_000 || (!this.#inForce && age >= RETRY_UNUSABLE_MS);
  }

  /**
   * Opens a bundle with the engine module, or with the authoring module when the engine
   * module refuses its policy (YAML, or an error whose line only the authoring module
   * names); the authoring module's answer, engine or refusal, is the one that counts.
   * @param {string} text
   * @param {number} now
   * @param {string | undefined} inForceVersion
   * @returns {Promise<Engine>}
   */
  async #open(text, now, inForceVersion) {
    const keys = this.#config.publicKeys;
    try {
      return this.#api.Engine.fromBundle(text, keys, now, inForceVersion);
    } catch (err) {
      if (err?.code !== "invalid-policy") throw err;
      let Authoring;
      try {
        Authoring = await this.#api.authoring();
      } catch {
        throw err;
      }
      return Authoring.fromBundle(text, keys, now, inForceVersion);
    }
  }

  /** Verifies the saved last good bundle against the keys pinned now and puts it in force. */
  async #restoreLastGood() {
    const saved = this.#lastGood;
    if (!saved) {
      this.#swap(null);
      return;
    }
    const now = this.#now();
    try {
      const engine = await this.#open(saved.text, now, undefined);
      this.#swap({
        engine,
        kind: "bundle",
        text: saved.text,
        meta: engine.bundle,
        info: engine.info,
        adapters: engine.adapters,
      });
    } catch (err) {
      this.#swap(null);
      this.#status.refusal = {
        code: err?.code ?? "invalid-policy",
        message: `The saved bundle (version ${saved.version}) cannot be used: ${err?.message ?? err}`,
        at: now,
      };
    }
  }

  /** @param {string} url */
  async #fetchAndConsider(url) {
    const f = this.#inForce;
    const lastGood = this.#lastGood;
    const inForceHere = f?.kind === "bundle" && lastGood?.text === f.text && lastGood.url === url;
    let got;
    try {
      got = await fetchBundle(url, {
        etag: inForceHere ? lastGood.etag : null,
        token: bundleToken(this.#config, url),
        maxBytes: this.#api.maxBundleBytes,
        fetch: this.#fetch,
      });
    } catch (err) {
      if (err.code === "oversized" || err.code === "malformed") {
        this.#refuse(err.code, err.message, url);
      } else {
        this.#status.lastFetch = { at: this.#now(), url, result: "failed", message: err.message };
      }
      return;
    }
    if (got.notModified) {
      this.#status.lastFetch = { at: this.#now(), url, result: "not-modified" };
      this.#status.refusal = null;
      return;
    }
    await this.#consider(got.text, { origin: "url", url, etag: got.etag });
  }

  /**
   * Decides about a candidate bundle's text: unchanged, applied, or refused.
   * @param {string} text
   * @param {{ origin: "url" | "inline", url?: string | null, etag?: string | null }} from
   */
  async #consider(text, { origin, url = null, etag = null }) {
    const now = this.#now();
    const f = this.#inForce;
    if (f?.kind === "bundle" && f.text === text) {
      this.#status.lastFetch = { at: now, url, result: "unchanged" };
      this.#status.refusal = null;
      if (this.#lastGood && (this.#lastGood.etag !== etag || this.#lastGood.url !== url)) {
        this.#lastGood = { ...this.#lastGood, etag, url, origin };
        await writeStored(this.#storage, STORAGE.lastGood, this.#lastGood);
      }
      return;
    }
    const max = this.#api.maxBundleBytes;
    const size = new TextEncoder().encode(text).byteLength;
    if (size > max) {
      this.#refuse("oversized", `The bundle is ${size} bytes; the limit is ${max} bytes.`, url);
      return;
    }
    // The saved bundle that is not in force (expired, or its key no longer pinned) is
    // judged as itself, not as a rollback to its own version.
    const inForceVersion = text === this.#lastGood?.text ? undefined : this.#lastGood?.version;
    let engine;
    try {
      engine = await this.#open(text, now, inForceVersion);
    } catch (err) {
      this.#refuse(err?.code ?? "invalid-policy", err?.message ?? String(err), url);
      return;
    }
    /** @type {import("../shared/protocol.js").BundleMeta} */
    const meta = engine.bundle;
    /** @type {import("../shared/protocol.js").EngineInfo} */
    const info = engine.info;
    this.#swap({ engine, kind: "bundle", text, meta, info, adapters: engine.adapters });
    this.#lastGood = {
      text,
      etag,
      url,
      origin,
      version: meta.version,
      fail: info.settings?.fail ?? null,
      appliedAt: now,
    };
    await writeStored(this.#storage, STORAGE.lastGood, this.#lastGood);
    this.#status.appliedAt = now;
    this.#status.lastFetch = { at: now, url, result: "applied" };
    this.#status.refusal = null;
  }

  /**
   * @param {string} code
   * @param {string} message
   * @param {string | null} url
   */
  #refuse(code, message, url) {
    const at = this.#now();
    this.#status.refusal = { code, message, at };
    this.#status.lastFetch = { at, url, result: "refused" };
    this.#onRefused({ code, message });
  }

  /**
   * The atomic swap: `next` was fully built before; the old engine is freed after.
   * @param {InForce | null} next
   */
  #swap(next) {
    const old = this.#inForce;
    this.#inForce = next;
    this.#problem = null;
    if (old && old.engine !== next?.engine) old.engine.free();
  }
}
