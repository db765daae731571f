//! The offset map of a shadow: which original bytes each shadow byte came from.
//!
//! Most of a draft maps byte for byte (`A` → `a`, `-` → ` `), so the map is a list of
//! segments rather than an entry per byte: a *run* segment says "from shadow byte `at`,
//! shadow and original advance together from original byte `orig`"; a *unit* segment
//! says "every shadow byte from `at` came from the one original character
//! `orig..orig_end`" (a fullwidth `Ａ` → `a`, a ligature `ﬁ` → `fi`, a letter plus the
//! combining accent that was dropped after it). An unchanged text is one run segment.

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    /// First shadow byte of the segment.
    at: u32,
    /// Original byte of `at`.
    orig: u32,
    /// For a unit segment, the end of its original character; `u32::MAX` for a run.
    orig_end: u32,
}

impl Segment {
    fn is_run(&self) -> bool {
        self.orig_end == u32::MAX
    }
}

/// A shadow's offset map. Segments are sorted by `at`; the first starts at 0.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetMap {
    segments: Vec<Segment>,
    /// Shadow length, to know where the last segment ends.
    len: u32,
    /// The original byte that would extend the last run segment (`u32::MAX`: none).
    run_next: u32,
}

impl OffsetMap {
    /// The map of a text to itself.
    pub fn identity(len: usize) -> OffsetMap {
        OffsetMap {
            segments: vec![Segment {
                at: 0,
                orig: 0,
                orig_end: u32::MAX,
            }],
            len: len as u32,
            run_next: len as u32,
        }
    }

    fn segment_of(&self, i: usize) -> &Segment {
        let k = self.segments.partition_point(|s| s.at as usize <= i);
        &self.segments[k.saturating_sub(1)]
    }

    /// Original offset where shadow byte `i` starts.
    pub fn start_of(&self, i: usize) -> usize {
        let s = self.segment_of(i);
        if s.is_run() {
            s.orig as usize + (i - s.at as usize)
        } else {
            s.orig as usize
        }
    }

    /// Original offset just past the character shadow byte `i` came from.
    pub fn end_of(&self, i: usize) -> usize {
        let s = self.segment_of(i);
        if s.is_run() {
            s.orig as usize + (i - s.at as usize) + 1
        } else {
            s.orig_end as usize
        }
    }

    /// Original range of the non-empty shadow range `r`.
    pub fn to_original(&self, r: Range<usize>) -> Range<usize> {
        self.start_of(r.start)..self.end_of(r.end - 1)
    }

    /// Appends one shadow byte that stands for the single original byte `orig`.
    #[inline]
    pub fn push_byte(&mut self, orig: usize) {
        self.push_run(orig, 1);
    }

    /// Appends `n` shadow bytes that stand one for one for original bytes `orig..orig + n`.
    #[inline]
    pub fn push_run(&mut self, orig: usize, n: usize) {
        let orig = orig as u32;
        if orig != self.run_next || self.segments.is_empty() {
            self.segments.push(Segment {
                at: self.len,
                orig,
                orig_end: u32::MAX,
            });
        }
        self.run_next = orig + n as u32;
        self.len += n as u32;
    }

    /// Appends `n` shadow bytes that all stand for the original character `from..to`.
    pub fn push_unit(&mut self, n: usize, from: usize, to: usize) {
        if n == 0 {
            return;
        }
        let same = self
            .segments
            .last()
            .is_some_and(|s| !s.is_run() && s.orig as usize == from);
        if !same {
            self.segments.push(Segment {
                at: self.len,
                orig: from as u32,
                orig_end: to as u32,
            });
        }
        self.len += n as u32;
        self.run_next = u32::MAX;
    }

    /// Widens the last shadow character so it also covers original bytes up to `to`
    /// (a combining mark that was dropped belongs to the letter before it). `from` is
    /// where the dropped character starts; nothing happens unless the last shadow
    /// character ends exactly there.
    pub fn extend_last(&mut self, from: usize, to: usize) {
        if self.len == 0 || self.end_of(self.len as usize - 1) != from {
            return;
        }
        let last = *self.segments.last().expect("len > 0 means a segment");
        if last.is_run() {
            // Split the run: its last byte becomes a unit covering the mark too.
            let at = self.len - 1;
            let orig = last.orig + (at - last.at);
            if last.at == at {
                self.segments.pop();
            }
            self.segments.push(Segment {
                at,
                orig,
                orig_end: to as u32,
            });
            self.run_next = u32::MAX;
        } else if let Some(s) = self.segments.last_mut() {
            s.orig_end = to as u32;
        }
    }

    /// Appends the mapping of this map's shadow bytes `r` (on character boundaries) to
    /// `out`'s end.
    pub fn append_to(&self, out: &mut OffsetMap, r: Range<usize>) {
        let mut i = r.start;
        while i < r.end {
            let k = self.segments.partition_point(|s| s.at as usize <= i) - 1;
            let s = self.segments[k];
            let seg_end = self
                .segments
                .get(k + 1)
                .map_or(self.len as usize, |n| n.at as usize)
                .min(r.end);
            let n = seg_end - i;
            if s.is_run() {
                out.push_run(s.orig as usize + (i - s.at as usize), n);
            } else {
                out.segments.push(Segment {
                    at: out.len,
                    orig: s.orig,
                    orig_end: s.orig_end,
                });
                out.len += n as u32;
                out.run_next = u32::MAX;
            }
            i = seg_end;
        }
    }

    /// Appends the mapping of `src`'s shadow bytes `r`.
    pub fn append(&mut self, src: &OffsetMap, r: Range<usize>) {
        src.append_to(self, r);
    }

    /// The map of the shadow bytes `keep` (sorted, disjoint ranges) laid end to end.
    #[cfg(test)]
    pub fn select(&self, keep: &[Range<usize>]) -> OffsetMap {
        let mut out = OffsetMap::default();
        for r in keep {
            self.append_to(&mut out, r.clone());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_units_and_extension() {
        // Original "Ａb e\u{301}": Ａ=0..3, b=3, ' '=4, e=5, U+0301=6..8.
        let mut m = OffsetMap::default();
        m.push_unit(1, 0, 3); // a
        m.push_byte(3); // b
        m.push_byte(4); // ' '
        m.push_byte(5); // e
        m.extend_last(6, 8); // the accent
        assert_eq!(m.to_original(0..1), 0..3);
        assert_eq!(m.to_original(1..3), 3..5);
        assert_eq!(m.to_original(3..4), 5..8);
        assert_eq!(m.to_original(0..4), 0..8);
        assert_eq!(m.start_of(2), 4);
    }

    #[test]
    fn select_keeps_offsets() {
        let mut m = OffsetMap::default();
        for i in 0..10 {
            m.push_byte(i);
        }
        let s = m.select(&[0..2, 5..10]);
        assert_eq!(s.to_original(0..3), 0..6);
        assert_eq!(s.to_original(2..7), 5..10);
    }
}
