// Audit events (a blocked post attempt, an override, a monitor-rule hit, an approved post
// inserted or copied, a refused bundle, the daily status of this install):
// built from a whitelist of fields, so neither the draft nor the flagged text can ever be
// in one; kept in a bounded queue in chrome.storage.local (oldest dropped first, and the
// number dropped reported with the next batch); delivered in batches to the admin's report
// URL as POST JSON (with the enrollment token as `Authorization: Bearer`), removed only
// after a 2xx answer, and retried with exponential backoff (a timer while the service
// worker lives, an alarm that wakes it otherwise). A retry sends the very same events,
// ids included, so the console counts each once. A batch the server refuses as such (400,
// 413 or 422: too large, or an event it cannot take) is split in halves until the one
// event at fault is found; that event alone is set aside (counted as rejected), so one bad
// event never holds up the rest of the queue.

import { AUDIT_KINDS, readStored, SEVERITIES, STORAGE, writeStored } from "../shared/protocol.js";

export const AUDIT_SCHEMA = "draftguard.audit/1";
export const QUEUE_LIMIT = 1000;
export const BATCH_SIZE = 100;
export const BACKOFF_BASE_MS = 5_000;
export const BACKOFF_MAX_MS = 60 * 60_000;
/** What pages report, and what the worker reports itself. */
const KINDS = new Set(AUDIT_KINDS);
const SEVERITY_NAMES = new Set(SEVERITIES);
const MAX_JUSTIFICATION = 2000;
/** Answers that judge the batch itself, not the moment: sending it again unchanged cannot help. */
const BATCH_REFUSED = new Set([400, 413, 422]);
const MAX_ERROR = 300;
const MAX_NAME = 100;

/** @typedef {import("../shared/protocol.js").AuditEvent} AuditEvent */
/** @typedef {import("../shared/protocol.js").AuditQueueState} AuditQueueState */

/**
 * The wait before retry number `attempt` (1, 2, ...): 5 s doubling up to 1 h, ±20 % jitter
 * so that a fleet whose report server comes back does not retry all at once.
 * @param {number} attempt
 */
export function backoffMs(attempt, random = Math.random) {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (Math.max(1, attempt) - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * What the service worker knows when it makes an event.
 * @typedef {object} EventContext
 * @property {string} id  a fresh random UUID
 * @property {number} now
 * @property {{ id: string, version?: string | null } | null} policy  the policy in force
 * @property {string | null} site
 * @property {unknown} platform
 * @property {string} extensionVersion
 * @property {string | null} userHint
 * @property {string} installId  this install's stable random id (install-id.js)
 * @property {string} ring  the ring the admin put this browser in
 */

/**
 * An event from what was reported (`input`: kind, rules, severity, justification, reason,
 * refusal, browser) and what the service worker knows (`ctx`). Only these fields are
 * copied; rule ids are ids.
 * @param {any} input  as reported: never trusted
 * @param {EventContext} ctx
 * @returns {AuditEvent}
 */
export function makeEvent(input, ctx) {
  const kind = /** @type {AuditEvent["kind"]} */ (String(input?.kind ?? ""));
  if (!KINDS.has(kind)) throw new Error(`unknown audit event kind ${JSON.stringify(kind)}`);
  const isRuleId = (/** @type {unknown} */ r) => typeof r === "string" && r.length <= 100;
  const rules = Array.isArray(input.rules) ? [...new Set(input.rules.filter(isRuleId))].slice(0, 50) : [];
  /** @type {AuditEvent} */
  const event = {
    id: ctx.id,
    time: new Date(ctx.now).toISOString(),
    kind,
    rules,
    severity: SEVERITY_NAMES.has(input.severity) ? input.severity : null,
    policy: ctx.policy ? { id: ctx.policy.id, version: ctx.policy.version ?? null } : null,
    platform: typeof ctx.platform === "string" ? ctx.platform : null,
    site: ctx.site ?? null,
    extensionVersion: ctx.extensionVersion,
    installId: ctx.installId,
    ring: ctx.ring,
  };
  if (ctx.userHint) event.userHint = ctx.userHint;
  if (kind === "override") event.justification = String(input.justification ?? "").slice(0, MAX_JUSTIFICATION);
  if (kind === "blocked" && input.reason === "no-policy") event.reason = "no-policy";
  if (kind === "library-used") {
    // The approved post's id, never its text: an id is what a policy author wrote.
    const entry = String(input.entry ?? "");
    if (!/^[A-Za-z0-9_.-]{1,128}$/.test(entry)) throw new Error("a library-used event needs the entry's id");
    event.entry = entry;
    event.action = input.action === "copy" ? "copy" : "insert";
  }
  if (kind === "bundle-refused")
    event.refusal = { code: String(input.refusal?.code ?? ""), message: String(input.refusal?.message ?? "") };
  if (kind === "status") {
    const name = (/** @type {unknown} */ v) => (typeof v === "string" ? v.slice(0, MAX_NAME) : "");
    event.rules = [];
    event.severity = null;
    event.browser = { name: name(input.browser?.name), version: name(input.browser?.version) };
  }
  return event;
}

export class AuditQueue {
  #storage;
  #fetch;
  #now;
  #random;
  #setTimer;
  #clearTimer;
  #scheduleRetry;
  #extension;
  /** @type {string | null} */
  #reportUrl = null;
  /** @type {string | null} */
  #token = null;
  #recording = false;
  /** @type {Promise<unknown>} */
  #chain = Promise.resolve();
  /** @type {unknown} */
  #timer = null;
  /** @type {Promise<void> | null} */
  #flushing = null;
  /** The batch size now: BATCH_SIZE, halved while the server refuses batches as such. */
  #limit = BATCH_SIZE;

  /**
   * `storage`: chrome.storage.local; `fetch`; `scheduleRetry(whenMs)` sets the alarm that
   * wakes the worker for a retry; `extension`: `{ id, version }` for the batch envelope.
   * @param {object} seams
   * @param {import("../shared/protocol.js").StorageArea} seams.storage
   * @param {typeof globalThis.fetch} seams.fetch
   * @param {{ id: string, version: string }} seams.extension
   * @param {(when: number) => unknown} [seams.scheduleRetry]
   * @param {() => number} [seams.now]
   * @param {() => number} [seams.random]
   * @param {(fn: () => void, ms: number) => unknown} [seams.setTimer]
   * @param {(timer: any) => void} [seams.clearTimer]
   */
  constructor({
    storage,
    fetch,
    extension,
    scheduleRetry = () => {},
    now = Date.now,
    random = Math.random,
    setTimer = (fn, ms) => setTimeout(fn, ms),
    clearTimer = (t) => clearTimeout(t),
  }) {
    this.#storage = storage;
    this.#fetch = fetch;
    this.#extension = extension;
    this.#scheduleRetry = scheduleRetry;
    this.#now = now;
    this.#random = random;
    this.#setTimer = setTimer;
    this.#clearTimer = clearTimer;
  }

  /**
   * `recording`: whether events are kept at all (the browser is managed); `reportUrl`:
   * where they go (null: kept, bounded, until one is configured); `token`: the enrollment
   * token sent as `Authorization: Bearer`. A new URL or token is tried now.
   * @param {{ reportUrl: string | null, token?: string | null, recording: boolean }} settings
   */
  async configure({ reportUrl, token = null, recording }) {
    const changed = (reportUrl ?? null) !== this.#reportUrl || (token ?? null) !== this.#token;
    this.#reportUrl = reportUrl ?? null;
    this.#token = token ?? null;
    this.#recording = !!recording;
    if (changed && this.#reportUrl) {
      await this.#update((q) => {
        q.attempts = 0;
        q.nextAttemptAt = 0;
      });
      this.flush();
    }
  }

  /**
   * Queues an event made by makeEvent, then tries to deliver (unless backing off).
   * @param {AuditEvent} event
   */
  async add(event) {
    if (!this.#recording) return false;
    await this.#update((q) => {
      q.events.push(event);
      const over = q.events.length - QUEUE_LIMIT;
      if (over > 0) {
        q.events.splice(0, over);
        q.dropped += over;
      }
    });
    this.flush();
    return true;
  }

  /** Delivers what is queued, batch by batch; one delivery runs at a time. */
  flush() {
    this.#flushing ??= this.#deliver().finally(() => {
      this.#flushing = null;
    });
    return this.#flushing;
  }

  /**
   * For the options page.
   * @returns {Promise<import("../shared/protocol.js").AuditStats>}
   */
  async stats() {
    const q = await this.#load();
    return {
      queued: q.events.length,
      dropped: q.dropped,
      rejected: q.rejected,
      attempts: q.attempts,
      nextAttemptAt: q.nextAttemptAt || null,
      lastDelivery: q.lastDelivery,
      reportUrl: this.#reportUrl,
      token: !!this.#token,
      recording: this.#recording,
    };
  }

  async #deliver() {
    for (;;) {
      const url = this.#reportUrl;
      if (!url) return;
      const q = await this.#load();
      if (!q.events.length) {
        this.#limit = BATCH_SIZE;
        return;
      }
      const now = this.#now();
      if (q.nextAttemptAt > now) {
        this.#arm(q.nextAttemptAt - now);
        return;
      }
      const batch = q.events.slice(0, this.#limit);
      const body = {
        schema: AUDIT_SCHEMA,
        extension: { id: this.#extension.id, version: this.#extension.version },
        sentAt: new Date(now).toISOString(),
        dropped: q.dropped,
        events: batch,
      };
      /** @type {Record<string, string>} */
      const headers = { "content-type": "application/json" };
      if (this.#token) headers.authorization = `Bearer ${this.#token}`;
      let status = 0;
      /** @type {string | null} */
      let error = null;
      try {
        const res = await this.#fetch(url, {
          method: "POST",
          headers,
          body: JSON.stringify(body),
          cache: "no-store",
          credentials: "omit",
          signal: AbortSignal.timeout(30_000),
        });
        status = res.status;
        if (BATCH_REFUSED.has(status)) error = (await res.text().catch(() => "")).slice(0, MAX_ERROR) || null;
      } catch (err) {
        error = String(err?.message ?? err);
      }
      if (BATCH_REFUSED.has(status)) {
        if (batch.length > 1) {
          this.#limit = Math.ceil(batch.length / 2);
          continue;
        }
        const [bad] = batch;
        await this.#update((q) => {
          q.events = q.events.filter((e) => e.id !== bad.id);
          q.rejected += 1;
          q.lastDelivery = { at: now, ok: false, status, error, count: 1 };
        });
        this.#limit = BATCH_SIZE; // found it: the rest go in full batches again
        continue;
      }
      const ok = status >= 200 && status < 300;
      const after = await this.#update((q) => {
        if (ok) {
          const sent = new Set(batch.map((e) => e.id));
          q.events = q.events.filter((e) => !sent.has(e.id));
          q.dropped = Math.max(0, q.dropped - body.dropped);
          q.attempts = 0;
          q.nextAttemptAt = 0;
          q.lastDelivery = { at: now, ok: true, status, count: batch.length };
        } else {
          q.attempts += 1;
          q.nextAttemptAt = now + backoffMs(q.attempts, this.#random);
          q.lastDelivery = { at: now, ok: false, status: status || null, error, count: batch.length };
        }
      });
      if (!ok) {
        this.#arm(after.nextAttemptAt - now);
        this.#scheduleRetry(after.nextAttemptAt);
        return;
      }
    }
  }

  /** @param {number} delay */
  #arm(delay) {
    this.#clearTimer(this.#timer);
    this.#timer = this.#setTimer(() => {
      this.#timer = null;
      this.flush();
    }, delay);
  }

  #load() {
    return readStored(this.#storage, STORAGE.auditQueue);
  }

  /**
   * Read-modify-write of the stored queue, one at a time; resolves to the new queue.
   * @param {(q: AuditQueueState) => void} fn
   * @returns {Promise<AuditQueueState>}
   */
  #update(fn) {
    const run = this.#chain.then(async () => {
      const q = await this.#load();
      fn(q);
      await writeStored(this.#storage, STORAGE.auditQueue, q);
      return q;
    });
    this.#chain = run.catch(() => {});
    return run;
  }
}
