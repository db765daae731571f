// Measures the service worker's engine start-up (wasm fetch, compile and instantiate, and
// compiling the default policy), after `make extension`:
//
//   node extension/bench/startup.mjs [runs] [restarts]     (default 5 and 3)
//
// Each run starts Chromium on a fresh profile (the extension is installed and its worker
// started while the browser itself starts), then stops the worker and wakes it again with
// a message `restarts` times: the common case, since MV3 workers are stopped after 30 s
// idle. Printed per case: `startupMs` as the worker measures it (from just before `init`
// to the engine being ready), split into wasm (fetch, compile, instantiate: until the
// worker's `draftguard:wasm` mark) and engine (the policy in force built), plus, for
// restarts, the time the waking message took to be answered, seen from the page.
//
// The run uses a copy of dist/extension whose worker first imports a small module that
// also marks fetch and WebAssembly.instantiate* and answers a `startup-marks` message.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launch } from "../e2e/harness.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const [runs = 5, restarts = 3] = args.map(Number);
let extension = path.resolve(here, "../../dist/extension");
if (!fs.existsSync(path.join(extension, "manifest.json"))) {
  console.error("dist/extension is missing: run `make extension` first");
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

const rows = { fresh: [], restart: [] };
for (let i = 0; i < runs; i++) {
  const b = await launch({ extension });
  try {
    const id = new URL(b.worker.url()).host;
    const page = await b.context.newPage();
    await page.goto(`chrome-extension://${id}/src/popup/popup.html`);
    const info = await page.evaluate(() => chrome.runtime.sendMessage({ type: "info" }));
    rows.fresh.push(split(info, await marks(page)));
    const cdp = await b.context.newCDPSession(page);
    let status = null;
    cdp.on("ServiceWorker.workerVersionUpdated", (e) => {
      const v = e.versions.find((x) => x.scriptURL.startsWith(`chrome-extension://${id}/`));
      if (v) status = v.runningStatus;
    });
    await cdp.send("ServiceWorker.enable");
    for (let r = 0; r < restarts; r++) {
      await cdp.send("ServiceWorker.stopAllWorkers");
      while (status !== "stopped") await new Promise((res) => setTimeout(res, 20));
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
fs.rmSync(tmpExt, { recursive: true, force: true });

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
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
