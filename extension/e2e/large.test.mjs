// A 1 MB paste with 30,000 findings must not freeze the page: the engine runs in the
// service worker, its answer comes in parts, and the page draws only the underlines on
// screen (and the rest as the user scrolls). No task of ours may take over 50 ms, measured
// with the Long Tasks API (Chromium) or a MessageChannel gap probe (Firefox: no 'longtask'),
// from the paste until draftguard has drawn, and again around a scroll to the top.

import { test } from "node:test";
import { shadowQuery, useBrowser } from "./harness.mjs";
import { bigPaste } from "./large-paste.mjs";

const env = useBrowser();

/** The texts of the textarea overlay's underlines, in order. */
const marks = async (page) =>
  (await shadowQuery(page, (n) => n.name === "span" && n.attrs["data-rule"])).map((m) => m.attrs["data-text"]);

/** The texts of the CSS highlights' ranges, in document order. */
const highlighted = (page) =>
  page.evaluate(() =>
    [...CSS.highlights.values()]
      .flatMap((h) => [...h])
      .sort((a, b) => a.compareBoundaryPoints(Range.START_TO_START, b))
      .map((r) => r.toString()),
  );

test("textarea: a 1 MB paste with 30,000 findings, no long task, underlines where the user looks", async () => {
  const page = await bigPaste(env.browser, env.srv.base, "textarea", "textarea.html", marks, (p) =>
    p.evaluate(() => {
      document.querySelector("#editor").scrollTop = 0;
    }),
  );
  await page.close();
});

test("contenteditable: a 1 MB paste with 30,000 findings, no long task, highlights where the user looks", async () => {
  const page = await bigPaste(env.browser, env.srv.base, "contenteditable", "contenteditable.html", highlighted, (p) =>
    p.evaluate(() => window.scrollTo(0, 0)),
  );
  await page.close();
});
