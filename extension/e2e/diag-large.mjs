// Diagnostic (not a test): long tasks after a 1 MB paste with and without draftguard.
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { useBrowser } from "./harness.mjs";
import { insertBig, recordLongTasks } from "./large-paste.mjs";

const OFF = process.env.DIAG_OFF === "1";
const env = useBrowser(
  OFF
    ? {
        patch(dir) {
          fs.writeFileSync(path.join(dir, "src", "content", "loader.js"), "/* off */\n");
        },
      }
    : {},
);

for (const fixture of (process.env.DIAG_FIX ?? "contenteditable.html").split(",")) {
  test(`diag ${fixture} off=${OFF}`, async () => {
    const page = await env.browser.newPage();
    await page.goto(`${env.srv.base}/${fixture}`);
    await page.click("#editor");
    if (process.env.DIAG_NOSPELL === "1")
      await page.evaluate(() => {
        document.querySelector("#editor").spellcheck = false;
      });
    await page.evaluate(() => {
      window.loaf = [];
      if (PerformanceObserver.supportedEntryTypes.includes("long-animation-frame"))
        new PerformanceObserver((l) => {
          for (const e of l.getEntries())
            if (e.duration > 45)
              window.loaf.push({
                s: Math.round(e.startTime),
                d: Math.round(e.duration),
                blocking: Math.round(e.blockingDuration),
                render: Math.round(e.renderStart ? e.startTime + e.duration - e.renderStart : 0),
                style: Math.round(e.styleAndLayoutStart ? e.startTime + e.duration - e.styleAndLayoutStart : 0),
                scripts: e.scripts.map(
                  (x) =>
                    `${x.invoker}|${x.sourceURL?.split("/").pop()}|${x.sourceFunctionName}|${Math.round(x.duration)}`,
                ),
              });
        }).observe({ type: "long-animation-frame" });
      window.measures = [];
      new PerformanceObserver((l) => {
        for (const e of l.getEntries())
          window.measures.push(`${e.name}@${Math.round(e.startTime)}:${Math.round(e.duration)}`);
      }).observe({ type: "measure" });
    });
    await recordLongTasks(page);
    const ins = (await insertBig(page)).map(Math.round);
    await new Promise((r) => setTimeout(r, 12000));
    const out = await page.evaluate(() => ({
      m2: window.measures.length,
      lt: window.longTasks.map(([s, d]) => [Math.round(s), Math.round(d)]),
      loaf: window.loaf,
      m: window.measures.slice(-30),
      count: document.querySelector("#editor").dataset.draftguardCount,
      sy: scrollY,
      h: document.documentElement.scrollHeight,
      ih: innerHeight,
      ta: document.querySelector("#editor").scrollTop,
      tah: document.querySelector("#editor").scrollHeight,
      hl: globalThis.CSS?.highlights
        ? [...CSS.highlights.values()]
            .flatMap((h) => [...h])
            .map((r) => r.toString())
            .slice(-3)
        : null,
    }));
    console.log(JSON.stringify({ fixture, OFF, ins, ...out }, null, 0));
    await page.close();
  });
}
