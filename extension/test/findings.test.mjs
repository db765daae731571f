// What a finding means for the page (src/content/findings.js) and the audit events the post
// guard reports (src/content/post-guard.js): shown, blocking, dismissed, the most severe,
// and events that carry rule ids and never text.

import assert from "node:assert/strict";
import { test } from "node:test";
import { dismissKey, isBlocking, shownFindings, worstSeverity } from "../src/content/findings.js";
import { auditEvent } from "../src/content/post-guard.js";

const finding = (rule, severity, mode = "enforce", text = "guaranteed returns") => ({
  rule,
  kind: "phrases",
  severity,
  mode,
  message: "m",
  link: null,
  start: 0,
  end: text.length,
  text,
  suggestions: [],
  also: [],
});

const block = finding("promissory", "block");
const warn = finding("hype", "warn", "enforce", "to the moon");
const info = finding("note", "info", "enforce", "fund");
const monitorBlock = finding("rival", "block", "monitor", "Acme");

test("only an enforced block finding blocks a post", () => {
  assert.deepEqual([block, warn, info, monitorBlock].map(isBlocking), [true, false, false, false]);
});

test("monitor findings are never shown; a dismissal hides that rule on that text only", () => {
  const all = [block, warn, info, monitorBlock];
  assert.deepEqual(shownFindings(all, new Set()), [block, warn, info]);
  const sameRuleElsewhere = finding("hype", "warn", "enforce", "lambo");
  assert.deepEqual(shownFindings([...all, sameRuleElsewhere], new Set([dismissKey(warn)])), [
    block,
    info,
    sameRuleElsewhere,
  ]);
  assert.notEqual(dismissKey(finding("a", "warn", "enforce", "bc")), dismissKey(finding("ab", "warn", "enforce", "c")));
});

test("the most severe severity of a set", () => {
  assert.equal(worstSeverity([info, warn]), "warn");
  assert.equal(worstSeverity([info, monitorBlock, warn]), "block");
  assert.equal(worstSeverity([info]), "info");
  assert.equal(worstSeverity([]), null);
});

test("audit events carry each rule id once and the worst severity, never the flagged text", () => {
  const twice = finding("promissory", "block", "enforce", "guaranteed income");
  const event = auditEvent("blocked", [warn, block, twice], "linkedin");
  assert.deepEqual(event, { kind: "blocked", rules: ["hype", "promissory"], severity: "block", platform: "linkedin" });
  assert.deepEqual(auditEvent("override", [block], "x", { justification: "approved by legal" }), {
    kind: "override",
    rules: ["promissory"],
    severity: "block",
    platform: "x",
    justification: "approved by legal",
  });
  assert.equal(auditEvent("monitor", [], "generic").severity, null);
  const many = Array.from({ length: 5000 }, (_, i) => finding(`rule-${i % 50}`, "warn", "monitor", `text ${i}`));
  const big = auditEvent("monitor", many, "generic");
  assert.equal(big.rules.length, 50);
  assert.ok(!JSON.stringify(big).includes("text "), "no flagged text in the event");
});
