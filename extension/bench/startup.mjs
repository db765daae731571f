// Measures the service worker's engine start-up (wasm fetch, compile and instantiate, and
// compiling the default policy) over five fresh browser starts: node extension/bench/startup.mjs
import { launch } from "../e2e/harness.mjs";
const out = [];
for (let i = 0; i < 5; i++) {
  const b = await launch();
  const id = new URL(b.worker.url()).host;
  const p = await b.context.newPage();
  await p.goto(`chrome-extension://${id}/src/popup/popup.html`);
  const info = await p.evaluate(() => chrome.runtime.sendMessage({ type: "info" }));
  out.push(info.startupMs);
  await b.close();
}
console.log("service worker engine start-up (wasm fetch+compile+instantiate+default policy), ms:", out.map((x) => x.toFixed(1)).join(", "));
