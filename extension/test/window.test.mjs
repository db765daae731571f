// The windowing that keeps a page responsive with tens of thousands of findings: which
// findings touch an offset range or sit at the caret, and which are on screen, found by
// binary search with a logarithmic number of geometry reads.

import assert from "node:assert/strict";
import { test } from "node:test";
import { FindingIndex, lowerBound, throttledToFrames, upperBound, visibleSlice } from "../src/content/window.js";

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
