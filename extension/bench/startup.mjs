// Measures start-up, in the browser DRAFTGUARD_BROWSER names (chromium or firefox), after
// `make extension`:
//
//   [DRAFTGUARD_BROWSER=firefox] node extension/bench/startup.mjs [runs] [restarts]   (default 5 and 3)
//
// Each run starts the browser on a fresh profile (the extension is installed and its
// worker or event page started while the browser itself starts) and at once types a draft
// with a card number into the textarea fixture: `first` is the time from the end of the
// typing (the debounce starts there) until the composer shows something: the check's
// result, or the "Policy loading" badge while the worker still waits for the managed
// configuration (then `result` is when the underline arrived). Then the worker's own
// `startupMs` (from just before `init` to the engine being ready), split into wasm (fetch,
// compile, instantiate) and engine (the policy in force built); then the background is
// stopped (Chromium: DevTools; Firefox: as when idle) and woken with a message `restarts`
// times: the common case, since idle workers and event pages are stopped.
//
// The run uses a copy of the build whose worker first imports a small module that also
// marks fetch and WebAssembly.instantiate* and answers a `startup-marks` message.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BROWSER, EXTENSION, launch, serveFixtures, shadowQuery, until } from "../e2e/harness.mjs";

const args = process.argv.slice(2);
const [runs = 5, restarts = 3] = args.map(Number);
let extension = EXTENSION;
if (!fs.existsSync(path.join(extension, "manifest.json"))) {
  console.error(`${extension} is missing: run \`make extension\` first`);
  process.exit(2);
}

const PRELUDE = `// Added by extension/bench/startup.mjs: marks around fetch and wasm instantiation.
const mark = (name) => performance.mark("draftguard:" + name);
mark("script");
const fetch0 = self.fetch;
self.fetch = (...a) => { mark("fetch"); return fetch0(...a).then((r) => { mark("fetched"); return r; }); };
for (const fn of ["instantiateStreaming", "instantiate", "compileStreaming", "compile"]) {
  const f = WebAssembly[fn];
  WebAssembly[fn] = async (...a) => { mark(fn); const r = await f(...a); mark(fn + "-done"); return r; };
}
chrome.runtime.onMessage.addListener((msg, _sender, sendResponse) => {
  if (msg?.type !== "startup-marks") return false;
  const list = performance.getEntriesByType("mark").filter((m) => m.name.startsWith("draftguard:"));
  sendResponse(Object.fromEntries(list.map((m) => [m.name.slice(11), m.startTime])));
  return false;
});
`;
const tmpExt = fs.mkdtempSync(path.join(os.tmpdir(), "draftguard-startup-ext-"));
fs.cpSync(extension, tmpExt, { recursive: true });
const workerJs = path.join(tmpExt, "src/background/worker.js");
fs.writeFileSync(path.join(tmpExt, "src/background/startup-prelude.js"), PRELUDE);
fs.writeFileSync(workerJs, `import "./startup-prelude.js";\n${fs.readFileSync(workerJs, "utf8")}`);
extension = tmpExt;

/** The worker's draftguard marks, in ms since the worker started. */
const marks = (page) => page.evaluate(() => chrome.runtime.sendMessage({ type: "startup-marks" }));

function split(info, m) {
  const engine = m.engine - m.wasm;
  const row = { startup: info.startupMs, wasm: info.startupMs - engine, engine };
  row.fetch = m.fetched - m.fetch;
  const inst = m.instantiateStreaming !== undefined ? "instantiateStreaming" : "instantiate";
  row[inst] = m[`${inst}-done`] - m[inst];
  row.script = m.script; // worker start -> its first module evaluated
  return row;
}

const CARD = "4111 1111 1111 1111";
const srv = await serveFixtures();
const rows = { first: [], fresh: [], restart: [] };
for (let i = 0; i < runs; i++) {
  const b = await launch({ extension });
  try {
    const tab = await b.newPage();
    await tab.goto(`${srv.base}/textarea.html`);
    await tab.click("#editor");
    await tab.keyboard.type(`card ${CARD} ok`);
    const typed = Date.now();
    const shown = await until(
      async () => {
        const badge = (await shadowQuery(tab, (n) => n.attrs.class === "badge"))[0];
        return badge && (badge.attrs["data-notice"] ?? "result");
      },
      30000,
      "the first check's result or the loading badge",
    );
    const first = Date.now() - typed;
    await until(() => tab.$eval("#editor", (e) => e.dataset.draftguardCount === "1"), 30000, "the underline");
    rows.first.push({ first, result: Date.now() - typed, loading: shown === "result" ? 0 : 1 });

    const page = await b.openExtensionPage("src/popup/popup.html");
    const info = await page.evaluate(() => chrome.runtime.sendMessage({ type: "info" }));
    rows.fresh.push(split(info, await marks(page)));
    for (let r = 0; r < restarts; r++) {
      await b.stopBackground();
      await new Promise((res) => setTimeout(res, 300));
      const t = await page.evaluate(async () => {
        const t0 = performance.now();
        const info = await chrome.runtime.sendMessage({ type: "info" });
        return { info, ms: performance.now() - t0 };
      });
      rows.restart.push({ ...split(t.info, await marks(page)), answered: t.ms });
    }
  } finally {
    await b.close();
  }
}
srv.server.close();
fs.rmSync(tmpExt, { recursive: true, force: true });

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
console.log(`${BROWSER}: first = end of typing to the first thing shown; loading = 1 when that was the loading badge`);
for (const [name, list] of Object.entries(rows)) {
  if (!list.length) continue;
  console.log(`${name} (${list.length} runs), ms: median [min–max]`);
  for (const key of Object.keys(list[0])) {
    const xs = list.map((r) => r[key]);
    console.log(
      `  ${key.padEnd(22)} ${median(xs).toFixed(1).padStart(7)}  [${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}]   ${xs.map((x) => x.toFixed(1)).join(" ")}`,
    );
  }
}
