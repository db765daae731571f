// The windowing that keeps a page responsive with tens of thousands of findings: which
// findings touch an offset range or sit at the caret, and which are on screen, found by
// binary search with a logarithmic number of geometry reads.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  commonPrefix,
  FindingIndex,
  LineCheckpoints,
  lastLineStart,
  lowerBound,
  runInSlices,
  throttledToFrames,
  upperBound,
  visibleSlice,
} from "../src/content/window.js";

/** 30,000 findings as a 1 MB paste yields them: two per 67-character line. */
const many = () => {
  const out = [];
  for (let line = 0; line < 15000; line++) {
    const at = line * 67;
    out.push({ start: at + 5, end: at + 24, rule: "card-number" });
    out.push({ start: at + 33, end: at + 50, rule: "email-address" });
  }
  return out;
};

test("bounds: lower and upper bound on sorted numbers", () => {
  const a = [1, 3, 3, 7];
  assert.deepEqual(
    [0, 1, 3, 4, 8].map((x) => lowerBound(a, x)),
    [0, 0, 1, 3, 4],
  );
  assert.deepEqual(
    [0, 1, 3, 4, 8].map((x) => upperBound(a, x)),
    [0, 1, 3, 3, 4],
  );
  assert.equal(lowerBound([], 5), 0);
});

test("index: findings touching a range, with nesting and overlap, by start", () => {
  const fs = [
    { start: 40, end: 45, id: "e" },
    { start: 0, end: 100, id: "outer" },
    { start: 10, end: 20, id: "a" },
    { start: 20, end: 30, id: "b" },
    { start: 50, end: 60, id: "c" },
  ];
  const index = new FindingIndex(fs);
  assert.deepEqual(
    index.items.map((f) => f.id),
    ["outer", "a", "b", "e", "c"],
  );
  assert.deepEqual(
    index.touching(21, 39).map((f) => f.id),
    ["outer", "b"],
  );
  assert.deepEqual(
    index.touching(61, 70).map((f) => f.id),
    ["outer"],
  );
  assert.deepEqual(
    index.touching(101, 200).map((f) => f.id),
    [],
  );
  // A caret at a finding's edge is in it (as the textarea lookup always was).
  assert.equal(index.at(20).id, "outer");
  assert.deepEqual(new FindingIndex([]).touching(0, 10), []);
  assert.equal(new FindingIndex([]).at(0), undefined);
});

test("index: already sorted findings are kept as they are, not copied", () => {
  const fs = many();
  const index = new FindingIndex(fs);
  assert.equal(index.items, fs);
  assert.equal(index.length, 30000);
});

test("index: 30,000 findings, the caret lookup finds the one under the caret", () => {
  const index = new FindingIndex(many());
  const line = 12345;
  assert.deepEqual(index.at(line * 67 + 10), { start: line * 67 + 5, end: line * 67 + 24, rule: "card-number" });
  assert.equal(index.at(line * 67 + 51)?.rule, undefined);
  assert.deepEqual(
    index.touching(line * 67, line * 67 + 66).map((f) => f.rule),
    ["card-number", "email-address"],
  );
  // Answering one lookup reads a handful of findings, not all of them.
  let reads = 0;
  const counted = new Proxy(index.items, {
    get(t, k) {
      if (typeof k === "string" && /^\d+$/.test(k)) reads++;
      return Reflect.get(t, k);
    },
  });
  const probe = Object.assign(Object.create(FindingIndex.prototype), index, { items: counted });
  probe.at(29000 * 33);
  assert.ok(reads <= 4, `read ${reads} findings`);
});

/** Lines of 20 px; finding i on line floor(i / 2), or no box for the hidden ones. */
const layout = (hidden = new Set()) => {
  const reads = [];
  const box = (i) => {
    reads.push(i);
    if (hidden.has(i)) return null;
    const top = Math.floor(i / 2) * 20;
    return { top, bottom: top + 20 };
  };
  return { box, reads };
};

test("visible slice: the findings on lines in the band, found in O(log n) reads", () => {
  const { box, reads } = layout();
  // The band shows lines 1000..1005 (y 20000..20120).
  const s = visibleSlice(30000, box, 20001, 20119, 0);
  assert.deepEqual(s, { from: 2000, to: 2012 });
  assert.ok(reads.length <= 2 * Math.ceil(Math.log2(30000)) + 2, `${reads.length} reads`);
  // Overscan widens it on both sides, within bounds.
  assert.deepEqual(visibleSlice(30000, layout().box, 20001, 20119, 4), { from: 1996, to: 2016 });
  assert.deepEqual(visibleSlice(30000, layout().box, 0, 39, 8), { from: 0, to: 12 });
  // Scrolled to the end: the last findings.
  assert.deepEqual(visibleSlice(30000, layout().box, 299_881, 300_000, 0), { from: 29988, to: 30000 });
});

test("visible slice: nothing when the band is empty, above or below all text", () => {
  assert.deepEqual(visibleSlice(0, layout().box, 0, 100), { from: 0, to: 0 });
  assert.deepEqual(visibleSlice(100, layout().box, 100, 50), { from: 0, to: 0 });
  assert.deepEqual(visibleSlice(100, layout().box, 5000, 6000, 0), { from: 100, to: 100 });
  assert.deepEqual(visibleSlice(100, layout().box, -500, -100, 0), { from: 0, to: 0 });
});

test("visible slice: findings without a box (hidden) do not stop the search", () => {
  const hidden = new Set();
  for (let i = 1990; i < 2010; i++) hidden.add(i);
  const s = visibleSlice(30000, layout(hidden).box, 20001, 20119, 0);
  assert.ok(s.from <= 2000 && s.to >= 2012, JSON.stringify(s));
  assert.ok(s.to - s.from < 40, JSON.stringify(s));
});

test("frame throttle: many scroll events, one draw per frame", () => {
  const frames = [];
  let draws = 0;
  const sync = throttledToFrames(
    () => draws++,
    (cb) => frames.push(cb),
  );
  for (let i = 0; i < 50; i++) sync();
  assert.equal(frames.length, 1);
  frames.shift()();
  assert.equal(draws, 1);
  sync();
  sync();
  assert.equal(frames.length, 1);
  frames.shift()();
  assert.equal(draws, 2);
});

/**
 * A 1 MB text laid out as a textarea would: `perLine` characters to a line, 24 px each;
 * `top(i)` of the piece starting at `from` counts its calls.
 */
const lines = (perLine = 52) => {
  const calls = { n: 0 };
  const topIn = (from) => (i) => {
    calls.n++;
    return Math.floor((from + i) / perLine) * 24 + 100; // 100: the probe's offset on screen
  };
  return { calls, topIn };
};

test("lastLineStart: the first character of the last line, in O(log n) reads", () => {
  const { calls, topIn } = lines();
  assert.equal(lastLineStart(3000, topIn(0)), 2964); // 57 lines of 52: the 58th starts at 2964
  assert.equal(lastLineStart(10, topIn(0)), 0); // one line
  calls.n = 0;
  assert.equal(lastLineStart(1_000_000, topIn(0)), 999_960);
  assert.ok(calls.n <= 2 + Math.ceil(Math.log2(1_000_000)), `${calls.n} reads`);
});

test("checkpoints: measured a piece at a time, the slice of text that covers a band", () => {
  const text = 1_005_000;
  const { calls, topIn } = lines();
  const cp = new LineCheckpoints();
  // As TextareaOverlay.measure does: pieces of 3,000 characters from the last line start.
  let pieces = 0;
  while (cp.next + 3000 < text) {
    const from = cp.next;
    const top = topIn(from);
    const k = lastLineStart(3000, top);
    cp.push(from + k, cp.y[cp.y.length - 1] + top(k) - top(0), from + 3000);
    pieces++;
  }
  // Each piece costs O(log piece) reads: measuring grows linearly with the text.
  assert.ok(calls.n <= pieces * 16, `${calls.n} reads for ${pieces} pieces`);
  assert.equal(cp.slice(1e9, 1e9 + 120, text), null, "the end is not measured yet");
  cp.finish(Math.ceil(text / 52) * 24);
  // Every checkpoint is a line start at its line's y.
  for (let i = 0; i < cp.at.length; i++) {
    assert.equal(cp.at[i] % 52, 0);
    assert.equal(cp.y[i], (cp.at[i] / 52) * 24);
  }
  // The band 120 px tall at y 240,000 (line 10,000): from the checkpoint above to the one below.
  const w = cp.slice(240_000, 240_120, text);
  assert.ok(w.from <= 10_000 * 52 && w.to >= 10_005 * 52, JSON.stringify(w));
  assert.ok(w.to - w.from <= 2 * 3000, `${w.to - w.from} characters mirrored`);
  assert.equal(w.y, (w.from / 52) * 24);
  // The top and the end.
  assert.deepEqual(cp.slice(-8, 112, text), { from: 0, to: cp.at[1], y: 0 });
  const end = cp.slice(cp.height - 120, cp.height, text);
  assert.equal(end.to, text);
  assert.ok(text - end.from <= 2 * 3000, `${text - end.from} characters mirrored`);
});

test("checkpoints: an edit keeps what was measured before it, and only that", () => {
  const cp = new LineCheckpoints();
  cp.push(2964, 1368, 3000);
  cp.push(5928, 2736, 5964);
  cp.push(8892, 4104, 8928);
  cp.finish(5000);
  cp.keepPrefix(6000); // the first two pieces were measured from text before offset 6,000
  assert.deepEqual(cp.at, [0, 2964, 5928]);
  assert.equal(cp.height, null);
  cp.keepPrefix(10);
  assert.deepEqual(cp.at, [0]);
  assert.equal(cp.next, 0);
});

test("commonPrefix: where two long texts start to differ", () => {
  const a = "x".repeat(1_000_000);
  assert.equal(commonPrefix(a, a), 1_000_000);
  assert.equal(commonPrefix(a, `${a.slice(0, 765_432)}y${a.slice(765_433)}`), 765_432);
  assert.equal(commonPrefix(a, a.slice(0, 5)), 5);
  assert.equal(commonPrefix("", a), 0);
  assert.equal(commonPrefix("abc", "abd"), 2);
});

test("runInSlices: steps run in tasks of about the budget, until done or cancelled", async () => {
  const tasks = [];
  const later = (cb) => tasks.push(cb);
  let n = 0;
  runInSlices(() => ++n < 5, 1000, later);
  while (tasks.length) tasks.shift()();
  assert.equal(n, 5);
  let m = 0;
  const stop = runInSlices(() => ++m < 1e9, 0, later);
  tasks.shift()(); // a budget of 0 ms: one step per task
  assert.equal(m, 1);
  stop();
  while (tasks.length) tasks.shift()();
  assert.equal(m, 1);
});

test("index: 30,000 findings, each window lookup reads only the findings in it", () => {
  const fs = many();
  const index = new FindingIndex(fs);
  // Every window of 3,000 characters across the text: the work per lookup (index range
  // scanned) stays within the findings it returns, plus a bounded overscan.
  let scanned = 0;
  let returned = 0;
  for (let lo = 0; lo < 15000 * 67; lo += 3000) {
    const { from, to } = index.bounds(lo, lo + 3000);
    scanned += to - from;
    returned += index.touching(lo, lo + 3000).length;
  }
  assert.ok(scanned <= returned + 2 * 400, `${scanned} scanned for ${returned}`);
  // Doubling the findings doubles nothing per lookup: same window, same answer size.
  const twice = new FindingIndex([
    ...fs,
    ...fs.map((f) => ({ ...f, start: f.start + 15000 * 67, end: f.end + 15000 * 67 })),
  ]);
  assert.deepEqual(
    twice.bounds(500_000, 503_000).to - twice.bounds(500_000, 503_000).from,
    index.bounds(500_000, 503_000).to - index.bounds(500_000, 503_000).from,
  );
});
