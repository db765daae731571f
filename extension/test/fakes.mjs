// Stand-ins for what the service worker modules reach through their seams:
// chrome.storage.local (values are cloned, as the real one serializes them), fetch (a
// scripted server), a clock, and the wasm Engine with a bundle format of its own that
// makes every refusal easy to produce.

export function fakeStorage(initial = {}) {
  const data = structuredClone(initial);
  return {
    data,
    writes: 0,
    async get(keys) {
      const list = keys == null ? Object.keys(data) : Array.isArray(keys) ? keys : [keys];
      const out = {};
      for (const k of list) if (k in data) out[k] = structuredClone(data[k]);
      return out;
    },
    async set(items) {
      this.writes += 1;
      for (const [k, v] of Object.entries(items)) data[k] = structuredClone(v);
    },
  };
}

export function fakeClock(start = Date.parse("2026-11-23T10:00:00Z")) {
  const clock = {
    t: start,
    now: () => clock.t,
    advance: (ms) => {
      clock.t += ms;
    },
  };
  return clock;
}

/**
 * A scripted HTTP server for fetch: `server.respond = (url, init) => Response | Error`.
 * Every request is recorded as `{ url, init }`.
 */
export function fakeServer() {
  const server = {
    requests: [],
    respond: () => new Response("", { status: 404 }),
    fetch: async (url, init = {}) => {
      server.requests.push({ url, init });
      const r = await server.respond(url, init);
      if (r instanceof Error) throw r;
      return r;
    },
  };
  return server;
}

/** A Response whose body throws if anyone reads it (to prove it was not read). */
export function unreadableResponse(headers) {
  const body = new ReadableStream({
    pull() {
      throw new Error("the body was read");
    },
  });
  return new Response(body, { status: 200, headers });
}

export const KEY_A = `ed25519:${"A".repeat(43)}=`;
export const KEY_B = `ed25519:${"B".repeat(43)}=`;

/**
 * A bundle in the fake format: JSON with the fields the fake engine judges. `sig: "bad"`
 * is a tampered bundle, `tests: "fail"` one whose policy tests fail, `written: "yaml"` one
 * sealed `--as-written` (only the authoring module reads it), `policyError` one whose
 * policy is invalid (each module words the error its own way).
 */
export function fakeBundle({
  version,
  key = KEY_A,
  sig = "ok",
  expiresAt = "2027-02-21T00:00:00Z",
  tests = "pass",
  policy = "acme",
  rule = "moonshot",
  fail = "open",
  adapters = undefined,
  written = "json",
  policyError = undefined,
}) {
  return JSON.stringify({
    adapters,
    written,
    policyError,
    fake_bundle: 1,
    policy,
    version,
    key,
    sig,
    issuedAt: "2026-11-23T00:00:00Z",
    expiresAt,
    tests,
    rule,
    fail,
  });
}

function compareVersions(a, b) {
  const pa = String(a).split(".").map(Number);
  const pb = String(b).split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return Math.sign(d);
  }
  return 0;
}

function refusal(code, message) {
  const err = new Error(message);
  err.code = code;
  return err;
}

/**
 * The wasm modules' surface as the worker uses it: `{ Engine, maxBundleBytes, authoring }`,
 * where `authoring()` resolves to the authoring module's Engine (it reads YAML bundles and
 * names the line of a policy error), or rejects when `authoringFails`.
 */
export function fakeWasm({ maxBundleBytes = 2 * 1024 * 1024, authoringFails = false } = {}) {
  const log = { fromBundle: 0, freed: [], authoring: 0, openedBy: [] };
  /** One module's Engine class; `reads` is "json" (the engine module) or "yaml" (authoring). */
  const engineModule = (/** @type {string} */ reads) =>
    class Engine {
      constructor(info, bundle, adapters = []) {
        this.info = info;
        this.bundle = bundle;
        this.adapters = adapters;
        this.freed = false;
      }

      static withDefaultPolicy() {
        return new Engine(
          {
            id: "draftguard-default",
            version: "2026.11.1",
            title: "draftguard default policy",
            settings: { override: "justify", fail: "open" },
          },
          undefined,
        );
      }

      static fromBundle(text, pinnedKeys, nowMs, inForceVersion) {
        log.fromBundle += 1;
        if (new TextEncoder().encode(text).byteLength > maxBundleBytes)
          throw refusal("oversized", "the bundle is too large");
        let b;
        try {
          b = JSON.parse(text);
        } catch {
          throw refusal("malformed", "not a draftguard bundle");
        }
        if (b?.fake_bundle !== 1) throw refusal("malformed", "not a draftguard bundle");
        if (!pinnedKeys.includes(b.key))
          throw refusal(
            "unknown-key",
            `signed by ${b.key}, which is not one of the ${pinnedKeys.length} pinned key(s)`,
          );
        if (b.sig !== "ok") throw refusal("bad-signature", "the signature does not match the contents");
        if (Date.parse(b.expiresAt) <= nowMs) throw refusal("expired", `the bundle expired at ${b.expiresAt}`);
        if (inForceVersion !== undefined && compareVersions(b.version, inForceVersion) <= 0) {
          throw refusal("rollback", `version ${b.version} is not higher than ${inForceVersion}, the version in force`);
        }
        if (b.written === "yaml" && reads !== "yaml")
          throw refusal("invalid-policy", "acme.yaml:1:1: this engine reads policies written as JSON");
        if (b.policyError)
          throw refusal("invalid-policy", reads === "yaml" ? `acme.yaml:5:17: ${b.policyError}` : b.policyError);
        if (b.tests !== "pass") throw refusal("tests-failed", "1 of the policy's tests failed");
        log.openedBy.push(reads);
        return new Engine(
          {
            id: b.policy,
            version: b.version,
            title: `${b.policy} policy`,
            settings: { override: "justify", fail: b.fail },
            rule: b.rule,
          },
          { policy: b.policy, version: b.version, issuedAt: b.issuedAt, expiresAt: b.expiresAt, key: b.key },
          b.adapters ?? [],
        );
      }

      check(text) {
        if (this.freed) throw new Error("null pointer passed to rust"); // what wasm-bindgen says
        return text.includes(this.info.rule ?? "\u0000") ? [{ rule: this.info.rule }] : [];
      }

      free() {
        this.freed = true;
        log.freed.push(this.info.version);
      }
    };
  const Engine = engineModule("json");
  const authoring = async () => {
    log.authoring += 1;
    if (authoringFails) throw new Error("WebAssembly.instantiate(): out of memory");
    return engineModule("yaml");
  };
  return { Engine, maxBundleBytes, authoring, log };
}
