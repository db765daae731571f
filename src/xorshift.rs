//! A seeded pseudo-random generator for the differential tests (Marsaglia's xorshift64):
//! each compares a fast path with a plain one on thousands of random texts, and a fixed
//! seed makes every failure reproducible. Test-only; nothing here needs statistical
//! quality, only a different text each time.

pub(crate) struct Xorshift(u64);

impl Xorshift {
    /// A generator starting from `seed`, which must not be zero (zero stays zero).
    pub fn new(seed: u64) -> Xorshift {
        Xorshift(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut s = self.0;
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        self.0 = s;
        s
    }

    /// A number below `n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A text of fewer than `max` runs; each run is one random piece from each of `lists`,
    /// in order (e.g. a word, then a separator).
    pub fn text(&mut self, max: usize, lists: &[&[&str]]) -> String {
        let mut text = String::new();
        for _ in 0..self.below(max) {
            for list in lists {
                text.push_str(list[self.below(list.len())]);
            }
        }
        text
    }
}
