// The 1 MB paste with 30,000 findings in a contenteditable where the browser has no CSS
// Custom Highlight API (Firefox before 140, Chromium before 105), so an overlay draws the
// underlines: still no task over 50 ms, and boxes only where the user looks. The build is
// patched as in fallback.test.mjs: the content script's world does not see CSS.highlights.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { shadowQuery, until, useBrowser } from "./harness.mjs";
import { assertConsecutive, LIMIT_MS, LINES, pasteBig } from "./large-paste.mjs";

const env = useBrowser({
  patch(dir) {
    const loader = path.join(dir, "src", "content", "loader.js");
    fs.writeFileSync(
      loader,
      `globalThis.CSS = new Proxy(CSS, { get: (t, k) => (k === "highlights" ? undefined : t[k]), has: (t, k) => k !== "highlights" && k in t });\n${fs.readFileSync(loader, "utf8")}`,
    );
  },
});

const marks = async (page) =>
  (await shadowQuery(page, (n) => n.name === "span" && n.attrs["data-rule"])).map((m) => m.attrs["data-text"]);

// Not met yet: see the README (In-browser speed, "A 1 MB paste").
test("overlay fallback: a 1 MB paste with 30,000 findings, no long task, boxes where the user looks", {
  todo: "50-67 ms tasks every 250 ms remain",
}, async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.srv.base}/contenteditable.html`);
  await page.click("#editor");
  const r = await pasteBig(page);
  console.log(
    `overlay (${r.probe}): insert ${r.insertMs.toFixed(0)} ms (the browser's own), longest task of ours ${r.longest.toFixed(0)} ms`,
  );
  assert.ok(r.longest <= LIMIT_MS, `long tasks: ${JSON.stringify(r.tasks)}`);
  assertConsecutive(
    await until(
      async () => {
        const m = await marks(page);
        return m.includes(`ann${LINES - 1}@example.com`) && m;
      },
      10000,
      "the last boxes",
    ),
    { last: LINES - 1 },
  );
  await page.evaluate(() => window.scrollTo(0, 0));
  assertConsecutive(
    await until(
      async () => {
        const m = await marks(page);
        return m.includes("ann0@example.com") && m;
      },
      10000,
      "the first boxes",
    ),
    { first: 0 },
  );
  assert.equal(await page.evaluate(() => CSS.highlights.size), 0, "nothing was painted with the API");
  await page.close();
});
