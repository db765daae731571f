// The 1 MB paste with 30,000 findings that large.test.mjs and large-overlay.test.mjs paste
// into each kind of composer, and how they measure the page's longest task: the Long
// Tasks API where the browser has it (Chromium), else (Firefox has no 'longtask' entries)
// a MessageChannel ping-pong whose gaps are the tasks that ran in between.

import assert from "node:assert/strict";

export const LINES = 15000;
/** Two findings per 67 characters, on one line (Chromium inserts a multi-line text one
 * paragraph at a time, which takes minutes for 15,000 lines: the browser's cost, not ours). */
export const BIG = Array.from({ length: LINES }, (_, i) =>
  `Card 4111 1111 1111 1111 or mail ann${i}@example.com today`.padEnd(66, "."),
).join(" ");
export const CARD = "4111 1111 1111 1111";
export const LIMIT_MS = 50;

/** Starts recording the page's tasks over 50 ms (window.longTasks: [start, duration]). */
export async function recordLongTasks(page) {
  return page.evaluate(() => {
    window.longTasks = [];
    if (PerformanceObserver.supportedEntryTypes.includes("longtask")) {
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) window.longTasks.push([e.startTime, e.duration]);
      }).observe({ type: "longtask" });
      return "longtask";
    }
    const ch = new MessageChannel();
    let last = performance.now();
    ch.port1.onmessage = () => {
      const now = performance.now();
      if (now - last > 50) window.longTasks.push([last, now - last]);
      last = now;
      if (!window.stopProbe) ch.port2.postMessage(0);
    };
    ch.port2.postMessage(0);
    return "gap probe";
  });
}

/**
 * Pastes BIG into #editor as the browser's own insertText (laid out in the same task, so
 * the browser's own cost is one task we can tell apart), waits for all 30,000 findings,
 * and returns the longest task outside the insert.
 */
export async function pasteBig(page) {
  const probe = await recordLongTasks(page);
  const insert = await page.evaluate((text) => {
    const t = performance.now();
    document.execCommand("insertText", false, text);
    document.body.getBoundingClientRect();
    document.querySelector("#editor").getBoundingClientRect();
    return [t, performance.now()];
  }, BIG);
  // Waited for inside the page (a MutationObserver), so that no polling from the test
  // runs tasks on the page while it is measured.
  await page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const ed = document.querySelector("#editor");
        const done = () => ed.dataset.draftguardCount === "30000";
        if (done()) return resolve(true);
        const mo = new MutationObserver(() => {
          if (!done()) return;
          mo.disconnect();
          resolve(true);
        });
        mo.observe(ed, { attributes: true, attributeFilter: ["data-draftguard-count"] });
        setTimeout(() => reject(new Error(`not all 30,000 findings: ${ed.dataset.draftguardCount}`)), 60000);
      }),
  );
  await new Promise((r) => setTimeout(r, 500));
  const tasks = await page.evaluate(() => {
    window.stopProbe = true;
    return window.longTasks;
  });
  // The insert's own task (the browser inserting and laying out 1 MB) is not ours.
  const ours = tasks.filter(([start, d]) => start + d < insert[0] || start > insert[1]);
  const longest = Math.max(0, ...ours.map(([, d]) => d));
  return { probe, insertMs: insert[1] - insert[0], longest, tasks: ours };
}

/** Asserts that `texts` (the underlined texts, in order) are consecutive findings of BIG
 * ending with line `last` (when given) or starting at line `first`. */
export function assertConsecutive(texts, { first, last }) {
  assert.ok(texts.length > 0 && texts.length < 400, `${texts.length} underlines drawn`);
  const lineOf = (t) => Number(/^ann(\d+)@example\.com$/.exec(t)?.[1]);
  const emails = texts.filter((t) => t !== CARD);
  for (const t of texts) assert.ok(t === CARD || /^ann\d+@example\.com$/.test(t), `underline over ${t}`);
  const lines = emails.map(lineOf);
  for (let i = 1; i < lines.length; i++) assert.equal(lines[i], lines[i - 1] + 1, `lines ${lines}`);
  if (first !== undefined) {
    assert.equal(texts[0], CARD);
    assert.equal(lines[0], first);
  }
  if (last !== undefined) assert.equal(lines[lines.length - 1], last);
}
