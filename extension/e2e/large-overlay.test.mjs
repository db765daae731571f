// The 1 MB paste with 30,000 findings in a contenteditable where the browser has no CSS
// Custom Highlight API (Firefox before 140, Chromium before 105), so an overlay draws the
// underlines: still no task over 50 ms, and boxes only where the user looks. The build is
// patched as in fallback.test.mjs: the content script's world does not see CSS.highlights.

import assert from "node:assert/strict";
import { test } from "node:test";
import { hideHighlightApi, shadowQuery, useBrowser } from "./harness.mjs";
import { bigPaste } from "./large-paste.mjs";

const env = useBrowser({ patch: hideHighlightApi });

const marks = async (page) =>
  (await shadowQuery(page, (n) => n.name === "span" && n.attrs["data-rule"])).map((m) => m.attrs["data-text"]);

test("overlay fallback: a 1 MB paste with 30,000 findings, no long task, boxes where the user looks", async () => {
  const page = await bigPaste(env.browser, env.srv.base, "overlay", "contenteditable.html", marks, (p) =>
    p.evaluate(() => window.scrollTo(0, 0)),
  );
  assert.equal(await page.evaluate(() => CSS.highlights.size), 0, "nothing was painted with the API");
  await page.close();
});
