// What a finding means for the page, decided in one place: which findings are shown
// (enforced, and not dismissed by the user), which block a post (enforced, severity
// block), the key a dismissal is remembered by, and the most severe of a set. Pure.

import { SEVERITIES } from "../shared/protocol.js";

/** @typedef {import("../shared/protocol.js").Finding} Finding */
/** @typedef {import("../shared/protocol.js").Severity} Severity */

/**
 * The key a dismissal is remembered by: the rule and the flagged text, so dismissing one
 * finding does not hide the same rule elsewhere, and the same text comes back flagged
 * after a policy change only if a rule still flags it.
 * @param {Finding} f
 */
export const dismissKey = (f) => `${f.rule}\u0000${f.text}`;

/**
 * Whether `f` stops a post: an enforced finding of severity block.
 * @param {Finding} f
 */
export const isBlocking = (f) => f.mode === "enforce" && f.severity === "block";

/**
 * The findings the page shows: enforced (monitor findings are never shown) and not
 * dismissed.
 * @param {Finding[]} findings
 * @param {Set<string>} dismissed  dismissal keys
 */
export const shownFindings = (findings, dismissed) =>
  findings.filter((f) => f.mode === "enforce" && !dismissed.has(dismissKey(f)));

/**
 * The most severe severity among `findings`, or null when there are none.
 * @param {Finding[]} findings
 * @returns {Severity | null}
 */
export const worstSeverity = (findings) => SEVERITIES.find((s) => findings.some((f) => f.severity === s)) ?? null;
