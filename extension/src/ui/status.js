// The policy status as the toolbar popup and the options page show it: where the policy
// comes from, which policy and bundle are in force and until when, whether the last update
// was refused (and why, and when), the fail mode's warning when nothing usable is in force,
// problems with the managed configuration, and the audit queue. `statusLines` and
// `auditLine` are pure (tested in Node); `renderLines` builds the DOM with textContent only.

import { STORAGE, watchStored } from "../shared/protocol.js";

/** @type {Record<string, string>} */
const RESULT = {
  applied: "a new bundle was applied",
  unchanged: "no change",
  "not-modified": "no change",
};

/**
 * "2026-11-23 14:05" in local time, or "" for nothing.
 * @param {number | null | undefined} ms
 */
export function formatTime(ms) {
  if (ms == null || Number.isNaN(new Date(ms).getTime())) return "";
  const d = new Date(ms);
  const p = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** @typedef {{ id: string, text: string, tone: "ok" | "warn" | "error" | "" }} Line */

/**
 * The status as lines `{ id, text, tone }`.
 * @param {import("../shared/protocol.js").PolicyStatus | null | undefined} status
 * @returns {Line[]}
 */
export function statusLines(status) {
  if (!status) return [{ id: "state", text: "The draftguard engine did not answer.", tone: "error" }];
  /** @type {Line[]} */
  const lines = [];
  const add = (/** @type {string} */ id, /** @type {string} */ text, /** @type {Line["tone"]} */ tone = "") =>
    lines.push({ id, text, tone });
  const source = {
    embedded: "Source: embedded default policy",
    url: `Source: managed bundle from ${status.url}`,
    inline: "Source: managed inline bundle",
  }[status.source];
  add("source", source);
  if (status.ring) add("ring", `Ring: ${status.ring}`);
  if (status.policy)
    add("policy", `Policy: ${status.policy.title ?? status.policy.id} ${status.policy.version ?? ""}`.trim());
  if (status.bundle)
    add("expiry", `Bundle ${status.bundle.version} expires ${formatTime(Date.parse(status.bundle.expiresAt))}`);
  if (status.adapters?.length)
    add("adapters", `Site adapters from the policy: ${status.adapters.map((a) => a.id).join(", ")}`);

  const last = status.lastFetch;
  const refusal = status.refusal;
  if (refusal) {
    add("state", `Refused a bundle at ${formatTime(refusal.at)} (${refusal.code}): ${refusal.message}`, "error");
    if (status.bundle) add("kept", `The bundle in force (${status.bundle.version}) stays in force.`);
  } else if (last?.result === "failed") {
    add("state", `Could not check for updates at ${formatTime(last.at)}: ${last.message}`, "warn");
  } else if (status.usable) {
    add("state", last ? `OK: checked at ${formatTime(last.at)}, ${RESULT[last.result] ?? last.result}` : "OK", "ok");
  }

  if (!status.usable) {
    const why = refusal || last?.result === "failed" ? "" : ` ${status.problem}`;
    if (status.failMode === "closed")
      add("fail", `No usable policy: posting is blocked on enabled sites (fail mode closed).${why}`, "error");
    else add("fail", `No usable policy: drafts are not checked (fail mode open).${why}`, "warn");
  }
  for (const p of status.configProblems ?? []) add("config", `Managed configuration: ${p}`, "warn");
  return lines;
}

/**
 * One line about the audit queue (`stats` from the worker's AuditQueue.stats()), and this
 * install's id when it is known.
 * @param {import("../shared/protocol.js").AuditStats | undefined} stats
 * @param {string | null} [installId]
 */
export function auditLine(stats, installId = null) {
  const line = queueLine(stats);
  return installId && stats?.recording ? `${line} This browser's install id: ${installId}.` : line;
}

/** @param {import("../shared/protocol.js").AuditStats | undefined} stats */
function queueLine(stats) {
  if (!stats?.recording) return "Audit events: not recorded (draftguard is not managed on this browser).";
  const queued = `${stats.queued} event${stats.queued === 1 ? "" : "s"}`;
  const dropped =
    (stats.dropped ? `, ${stats.dropped} dropped (queue full)` : "") +
    (stats.rejected ? `, ${stats.rejected} refused by the server` : "");
  if (!stats.reportUrl) return `Audit events: ${queued} kept on this computer${dropped}; no report URL is set.`;
  const d = stats.lastDelivery;
  let last = "nothing delivered yet";
  if (d?.ok) last = `last delivery ${formatTime(d.at)}: ${d.count} sent (HTTP ${d.status})`;
  else if (d && stats.nextAttemptAt)
    last = `last delivery ${formatTime(d.at)} failed (${d.status ? `HTTP ${d.status}` : d.error}), next try ${formatTime(stats.nextAttemptAt)}`;
  else if (d)
    last = `last delivery ${formatTime(d.at)} refused an event (HTTP ${d.status}: ${d.error ?? "no reason given"})`;
  const token = stats.token ? " with an enrollment token" : "";
  return `Audit events: ${queued} queued for ${stats.reportUrl}${token}${dropped}; ${last}.`;
}

/**
 * Replaces `container`'s children with one <p data-status=ID class=TONE> per line.
 * @param {HTMLElement} container
 * @param {Line[]} lines
 */
export function renderLines(container, lines) {
  container.replaceChildren(
    ...lines.map((l) => {
      const p = document.createElement("p");
      p.dataset.status = l.id;
      if (l.tone) p.className = l.tone;
      p.textContent = l.text;
      return p;
    }),
  );
}

/**
 * Calls `fn()` whenever the worker stores a new status or audit queue.
 * @param {() => void} fn
 */
export function watchStatus(fn) {
  watchStored([STORAGE.policyStatus, STORAGE.contentState, STORAGE.auditQueue], () => fn());
}

/**
 * What the popup says about an unprotected text box (plain text).
 * @param {import("../shared/protocol.js").Unprotected} u
 */
export function unprotectedText(u) {
  const why =
    u.reason === "closed-shadow-root"
      ? "the site built it inside a closed shadow root, which browser extensions cannot see into"
      : `it is inside a frame from another site (${u.frameOrigin}), which draftguard does not check`;
  return `draftguard cannot check the text box you went into on ${u.site}: ${why}. What you type there is not checked against your company's policy. Please tell your administrator about this page.`;
}
