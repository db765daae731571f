// The options page: the policy in force with its status and the audit queue (as the
// service worker reports them), and a policy playground running its own copy of the wasm
// engine. Policy errors are shown with their line and column; findings are plain text.

// The authoring module: the playground takes policies written in YAML.
import init, { Engine } from "../../pkg/draftguard_authoring.js";
import { askWorker, MSG } from "../shared/protocol.js";
import { severityTag } from "../ui/severity.js";
import { auditLine, renderLines, statusLines, watchStatus } from "../ui/status.js";

/** The element with `id` (options.html has each one). */
const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
/** The value of the form field with `id`. */
const fieldValue = (/** @type {string} */ id) => /** @type {HTMLInputElement | HTMLTextAreaElement} */ ($(id)).value;
/** The playground's own engine (null while its policy does not compile). @type {Engine | null} */
let engine = null;
/** @type {Map<() => void, ReturnType<typeof setTimeout>>} */
const timers = new Map();

/** @param {import("../shared/protocol.js").Finding} f */
function item(f) {
  const li = document.createElement("li");
  const sev = severityTag(f.severity, f.mode === "monitor" ? `monitor ${f.severity}` : f.severity);
  const flagged = document.createElement("span");
  flagged.className = "flagged";
  flagged.textContent = f.text;
  const rule = document.createElement("code");
  rule.textContent = ` [${f.rule}] `;
  const msg = document.createElement("div");
  msg.textContent = f.message;
  if (f.mode === "monitor") li.className = "monitor";
  li.append(sev, flagged, rule, msg);
  for (const s of f.suggestions) {
    const fix = document.createElement("div");
    fix.textContent = s.start === s.end ? `fix: append “${s.replacement.trim()}”` : `fix: “${s.replacement}”`;
    li.append(fix);
  }
  return li;
}

function runCheck() {
  const list = $("findings");
  if (!engine) {
    list.replaceChildren();
    return;
  }
  /** @type {import("../shared/protocol.js").Finding[]} */
  const findings = engine.check(fieldValue("draft"), fieldValue("platform") || undefined, Date.now());
  list.replaceChildren(...findings.map(item));
  if (!findings.length) {
    const li = document.createElement("li");
    li.textContent = "No findings.";
    list.replaceChildren(li);
  }
}

function compile() {
  const status = $("policy-status");
  try {
    const next = new Engine(fieldValue("policy"));
    engine?.free();
    engine = next;
    /** @type {import("../shared/protocol.js").EngineInfo} */
    const info = engine.info;
    status.className = "ok";
    status.textContent = `Policy “${info.title ?? info.id}” ${info.version ?? ""} compiles: ${info.rules} rules, ${info.phrases} phrases.`;
  } catch (err) {
    engine?.free();
    engine = null;
    status.className = "error";
    status.textContent = String(err?.message ?? err);
  }
  runCheck();
}

/**
 * Runs `fn` 150 ms after the last call for the same `fn` (each input has its own timer).
 * @param {() => void} fn
 */
function later(fn) {
  clearTimeout(timers.get(fn));
  timers.set(fn, setTimeout(fn, 150));
}

/** @param {import("../shared/protocol.js").PolicyStatusResponse | undefined} res */
function renderInForce(res) {
  const status = res?.ok ? res.status : null;
  renderLines($("status"), statusLines(status));
  $("check-now").hidden = status?.source !== "url";
  $("audit").textContent = res?.ok ? auditLine(res.audit, res.installId) : "";
}

async function showInForce() {
  renderInForce(await askWorker({ type: MSG.policyStatus }));
}

$("check-now").addEventListener("click", async () => {
  const button = /** @type {HTMLButtonElement} */ ($("check-now"));
  button.disabled = true;
  try {
    renderInForce(await askWorker({ type: MSG.refresh }));
  } finally {
    button.disabled = false;
  }
});
watchStatus(showInForce);
showInForce();

await init({ module_or_path: chrome.runtime.getURL("pkg/draftguard_authoring_bg.wasm") });
/** @type {HTMLTextAreaElement} */ ($("policy")).value = Engine.defaultPolicyText();
compile();
$("policy").addEventListener("input", () => later(compile));
$("draft").addEventListener("input", () => later(runCheck));
$("platform").addEventListener("change", runCheck);
