// A 1 MB paste with 30,000 findings must not freeze the page: the engine runs in the
// service worker, its answer comes in parts, and the page draws only the underlines on
// screen (and the rest as the user scrolls). No task of ours may take over 50 ms, measured
// with the Long Tasks API (Chromium) or a MessageChannel gap probe (Firefox: no 'longtask').

import assert from "node:assert/strict";
import { test } from "node:test";
import { shadowQuery, until, useBrowser } from "./harness.mjs";
import { assertConsecutive, LIMIT_MS, LINES, pasteBig } from "./large-paste.mjs";

const env = useBrowser();

/** The texts of the textarea overlay's underlines, in order. */
const marks = async (page) =>
  (await shadowQuery(page, (n) => n.name === "span" && n.attrs["data-rule"])).map((m) => m.attrs["data-text"]);

// Not met yet for a textarea: its overlay's mirror lays out the whole 1 MB text again
// (one paragraph: the layout cannot be sliced), 1.1-1.4 s in one task; see the README.
test("textarea: a 1 MB paste with 30,000 findings, no long task, underlines where the user looks", {
  todo: "the mirror's layout of 1 MB is one long task",
}, async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.srv.base}/textarea.html`);
  await page.click("#editor");
  const r = await pasteBig(page);
  console.log(
    `textarea (${r.probe}): insert ${r.insertMs.toFixed(0)} ms (the browser's own), longest task of ours ${r.longest.toFixed(0)} ms`,
  );
  assert.ok(r.longest <= LIMIT_MS, `long tasks: ${JSON.stringify(r.tasks)}`);
  // The caret is at the end, so the textarea shows the last lines.
  assertConsecutive(
    await until(
      async () => {
        const m = await marks(page);
        return m.includes(`ann${LINES - 1}@example.com`) && m;
      },
      10000,
      "the last underlines",
    ),
    { last: LINES - 1 },
  );
  await page.evaluate(() => {
    document.querySelector("#editor").scrollTop = 0;
  });
  assertConsecutive(
    await until(
      async () => {
        const m = await marks(page);
        return m.includes("ann0@example.com") && m;
      },
      10000,
      "the first underlines",
    ),
    { first: 0 },
  );
  await page.close();
});

/** The texts of the CSS highlights' ranges, in document order. */
const highlighted = (page) =>
  page.evaluate(() =>
    [...CSS.highlights.values()]
      .flatMap((h) => [...h])
      .sort((a, b) => a.compareBoundaryPoints(Range.START_TO_START, b))
      .map((r) => r.toString()),
  );

// Not met yet: see the README (In-browser speed, "A 1 MB paste").
test("contenteditable: a 1 MB paste with 30,000 findings, no long task, highlights where the user looks", {
  todo: "50-59 ms tasks every 250 ms remain; the last highlights were not found after the paste",
}, async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.srv.base}/contenteditable.html`);
  await page.click("#editor");
  const r = await pasteBig(page);
  console.log(
    `contenteditable (${r.probe}): insert ${r.insertMs.toFixed(0)} ms (the browser's own), longest task of ours ${r.longest.toFixed(0)} ms`,
  );
  assert.ok(r.longest <= LIMIT_MS, `long tasks: ${JSON.stringify(r.tasks)}`);
  assertConsecutive(
    await until(
      async () => {
        const m = await highlighted(page);
        return m.includes(`ann${LINES - 1}@example.com`) && m;
      },
      10000,
      "the last highlights",
    ),
    { last: LINES - 1 },
  );
  await page.evaluate(() => window.scrollTo(0, 0));
  assertConsecutive(
    await until(
      async () => {
        const m = await highlighted(page);
        return m.includes("ann0@example.com") && m;
      },
      10000,
      "the first highlights",
    ),
    { first: 0 },
  );
  await page.close();
});
