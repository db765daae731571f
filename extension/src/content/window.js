// Which findings to draw: a draft can carry tens of thousands of findings (a 1 MB paste),
// and building a DOM range or an underline box for each one freezes the page. The painters
// (highlight.js) draw only the findings on screen, found here by binary search, and draw
// again (at most once per frame) when the user scrolls or the window is resized. Pure: the
// geometry comes in as a function, so this runs in Node's tests.

/** @typedef {{ start: number, end: number }} Span */

/**
 * Findings sorted by start, with what answers "which findings touch offsets lo..hi" and
 * "which finding is at offset x" in O(log n + answer): each finding's end and the largest
 * end among it and all findings before it (findings may nest or overlap).
 * @template {Span} F
 */
export class FindingIndex {
  /** @param {F[]} findings  in any order; the engine already gives them by start */
  constructor(findings) {
    let sorted = true;
    for (let i = 1; i < findings.length && sorted; i++) sorted = findings[i - 1].start <= findings[i].start;
    /** @type {F[]} */
    this.items = sorted ? findings : [...findings].sort((a, b) => a.start - b.start || a.end - b.end);
    const n = this.items.length;
    this.starts = new Float64Array(n);
    this.maxEnd = new Float64Array(n);
    let max = -1;
    for (let i = 0; i < n; i++) {
      const f = this.items[i];
      this.starts[i] = f.start;
      max = Math.max(max, f.end);
      this.maxEnd[i] = max;
    }
  }

  get length() {
    return this.items.length;
  }

  /**
   * Index range [from, to) of the sorted findings that may touch lo..hi: every finding
   * with start <= hi and end >= lo is inside it (with others that nest before them).
   * @param {number} lo
   * @param {number} hi
   */
  bounds(lo, hi) {
    return { from: lowerBound(this.maxEnd, lo), to: upperBound(this.starts, hi) };
  }

  /**
   * The findings that touch offsets lo..hi (start <= hi and end >= lo), by start.
   * @param {number} lo
   * @param {number} hi
   * @returns {F[]}
   */
  touching(lo, hi) {
    const { from, to } = this.bounds(lo, hi);
    const out = [];
    for (let i = from; i < to; i++) {
      const f = this.items[i];
      if (f.end >= lo) out.push(f);
    }
    return out;
  }

  /**
   * The first finding (by start) with start <= at <= end, or undefined.
   * @param {number} at
   * @returns {F | undefined}
   */
  at(at) {
    return this.touching(at, at)[0];
  }
}

/**
 * The binary search every lookup here is: the first i in [lo, hi) for which `before(i)`
 * is false, where `before` is true for a prefix of the range and false after it (hi when
 * it is true throughout). O(log(hi - lo)) calls of `before`.
 * @param {number} lo
 * @param {number} hi
 * @param {(i: number) => boolean} before
 */
function partitionPoint(lo, hi, before) {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * First index i with a[i] >= x (a sorted ascending), or a.length.
 * @param {ArrayLike<number>} a
 * @param {number} x
 */
export const lowerBound = (a, x) => partitionPoint(0, a.length, (i) => a[i] < x);

/**
 * First index i with a[i] > x (a sorted ascending), or a.length.
 * @param {ArrayLike<number>} a
 * @param {number} x
 */
export const upperBound = (a, x) => partitionPoint(0, a.length, (i) => a[i] <= x);

/**
 * The slice [from, to) of `count` items laid out top to bottom in text order whose boxes
 * meet the band top..bottom (screen coordinates), found with O(log count) calls of
 * `box(i)` (the item's { top, bottom }, or null when it has no box, e.g. hidden). Items
 * without a box are treated as lying where their neighbours do, so a hidden one never
 * stops the search. Text flows down the page, so a box's top never decreases with i;
 * `overscan` more items are taken on each side in case a line wraps unevenly.
 * @param {number} count
 * @param {(i: number) => { top: number, bottom: number } | null} box
 * @param {number} top
 * @param {number} bottom
 * @param {number} [overscan]
 * @returns {{ from: number, to: number }}
 */
export function visibleSlice(count, box, top, bottom, overscan = 8) {
  if (count === 0 || bottom < top) return { from: 0, to: 0 };
  // First item whose bottom reaches the band's top.
  const from = partitionPoint(0, count, (i) => {
    const b = nearestBox(box, i, count);
    return !!b && b.bottom < top;
  });
  // First item whose top is below the band's bottom.
  const to = partitionPoint(from, count, (i) => {
    const b = nearestBox(box, i, count);
    return !b || b.top <= bottom;
  });
  return { from: Math.max(0, from - overscan), to: Math.min(count, to + overscan) };
}

/**
 * The box of item i, or of the nearest following item that has one (a few steps at most:
 * hidden items are rare), else null.
 * @param {(i: number) => { top: number, bottom: number } | null} box
 * @param {number} i
 * @param {number} count
 */
function nearestBox(box, i, count) {
  for (let j = i; j < count && j < i + 16; j++) {
    const b = box(j);
    if (b) return b;
  }
  return null;
}

/**
 * Calls `fn` at most once per animation frame however often `schedule` is called (scroll
 * and resize events come many times a frame). `raf` is injectable for tests.
 * @param {() => void} fn
 * @param {(cb: () => void) => unknown} [raf]
 */
export function throttledToFrames(fn, raf = (cb) => requestAnimationFrame(cb)) {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    raf(() => {
      queued = false;
      fn();
    });
  };
}

/**
 * Where the lines of a long text start and how far down each is, learnt a piece at a time:
 * the textarea mirror (highlight.js) lays out only the lines in view, so it must know which
 * offset is at the top of the view without laying out the whole text at once. A checkpoint
 * { at, y, upTo } says a line starts at offset `at`, `y` pixels below the first line's top,
 * and was found by laying out the text up to `upTo` (so it stays true while the text before
 * `upTo` is unchanged). Checkpoints are pushed in order; lookups are binary searches.
 */
export class LineCheckpoints {
  constructor() {
    /** @type {number[]} */
    this.at = [0];
    /** @type {number[]} */
    this.y = [0];
    /** @type {number[]} */
    this.upTo = [0];
    /** The text's full height once measured to the end, else null. @type {number | null} */
    this.height = null;
  }

  /** The last checkpoint's offset: where the next piece to measure starts. */
  get next() {
    return this.at[this.at.length - 1];
  }

  /**
   * @param {number} at  a line start found by laying out the text up to `upTo`
   * @param {number} y
   * @param {number} upTo
   */
  push(at, y, upTo) {
    this.at.push(at);
    this.y.push(y);
    this.upTo.push(upTo);
  }

  /** The text is measured to its end, `height` pixels from the first line's top to the last's bottom. */
  finish(/** @type {number} */ height) {
    this.height = height;
  }

  /**
   * Keeps what is still true once the text changed from offset `same` on (the texts share
   * their first `same` characters): checkpoints found from that prefix alone.
   * @param {number} same
   */
  keepPrefix(same) {
    let n = upperBound(this.upTo, same);
    if (n < 1) n = 1;
    this.at.length = n;
    this.y.length = n;
    this.upTo.length = n;
    this.height = null;
  }

  /**
   * The text slice [from, to) whose lines cover the band top..bottom (pixels below the first
   * line's top), starting at a line start `y` pixels down; null while the band is below
   * what is measured. `to` is the first checkpoint at or below `bottom`, or `length`.
   * @param {number} top
   * @param {number} bottom
   * @param {number} length  the text's length
   * @returns {{ from: number, to: number, y: number } | null}
   */
  slice(top, bottom, length) {
    const k = Math.max(0, upperBound(this.y, top) - 1);
    const j = Math.max(lowerBound(this.y, bottom), k + 1);
    if (j < this.y.length) return { from: this.at[k], to: this.at[j], y: this.y[k] };
    return this.height === null ? null : { from: this.at[k], to: length, y: this.y[k] };
  }
}

/**
 * The first of `count` characters laid out in lines that is on the last line, with
 * O(log count) calls of `top(i)` (the top of character i's box; tops never decrease).
 * @param {number} count
 * @param {(i: number) => number} top
 */
export function lastLineStart(count, top) {
  const last = top(count - 1);
  return partitionPoint(0, count - 1, (i) => top(i) < last - 0.5);
}

/**
 * How many characters two texts share at their start, compared a block at a time.
 * @param {string} a
 * @param {string} b
 */
export function commonPrefix(a, b) {
  const n = Math.min(a.length, b.length);
  let i = 0;
  for (let step = 4096; step >= 1; step >>>= 4) {
    while (i + step <= n && a.slice(i, i + step) === b.slice(i, i + step)) i += step;
  }
  return i;
}

/**
 * Runs `step` (which returns true while there is more to do) in tasks of about `budgetMs`,
 * yielding to the page in between, until it is done or the returned cancel is called.
 * @param {() => boolean} step
 * @param {number} [budgetMs]
 * @param {(cb: () => void) => unknown} [later]
 */
export function runInSlices(step, budgetMs = 10, later = (cb) => setTimeout(cb, 0)) {
  let cancelled = false;
  const run = () => {
    if (cancelled) return;
    const start = performance.now();
    const end = start + budgetMs;
    try {
      do {
        if (!step() || cancelled) return;
      } while (performance.now() < end);
      later(run);
    } finally {
      performance.measure("draftguard:slice", { start });
    }
  };
  later(run);
  return () => {
    cancelled = true;
  };
}
