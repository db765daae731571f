// Measures the round trip content script -> service-worker engine -> underline in the
// contenteditable fixture, with the built extension in headless Chromium:
//   make roundtrip-bench
// Each sample edits the draft (a new text each time, so the cache never answers),
// fires `input`, and polls the highlight registry without timer clamping until the new
// underline is painted. The 120 ms debounce is subtracted.

import { serveFixtures, launch } from "../e2e/harness.mjs";

const DEBOUNCE_MS = 120;
const N = Number(process.env.SAMPLES ?? 60);

const srv = await serveFixtures();
const browser = await launch();
try {
  const page = await browser.context.newPage();
  await page.goto(`${srv.base}/contenteditable.html`);
  await page.click("#editor");
  await page.keyboard.type("warm up");
  await page.waitForTimeout(500);
  const samples = await page.evaluate(async (n) => {
    const ed = document.querySelector("#editor");
    const channel = new MessageChannel();
    const nextTick = () => new Promise((r) => { channel.port1.onmessage = r; channel.port2.postMessage(0); });
    const card = "4111 1111 1111 1111";
    const out = [];
    for (let i = 0; i < n; i++) {
      const text = `Round trip ${i} ${"word ".repeat(i % 40)}card ${card} today`;
      ed.textContent = text;
      const node = ed.firstChild;
      const t0 = performance.now();
      ed.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertText" }));
      for (;;) {
        const h = CSS.highlights.get("draftguard-block");
        if (h && [...h].some((r) => r.startContainer === node && r.toString() === card)) break;
        if (performance.now() - t0 > 5000) throw new Error("no underline within 5 s");
        await nextTick();
      }
      out.push(performance.now() - t0);
    }
    return out;
  }, N);
  const rt = samples.map((s) => s - DEBOUNCE_MS).sort((a, b) => a - b);
  const q = (p) => rt[Math.min(rt.length - 1, Math.floor(rt.length * p))].toFixed(1);
  console.log(JSON.stringify({ samples: rt.length, medianMs: q(0.5), p95Ms: q(0.95), maxMs: rt.at(-1).toFixed(1), debounceMs: DEBOUNCE_MS }));
} finally {
  await browser.close();
  srv.server.close();
}
