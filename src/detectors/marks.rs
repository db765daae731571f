//! One pass over a text for the candidates of every detector.
//!
//! Each detector starts from a kind of byte: the number detectors (`credit_card`,
//! `iban`, `us_ssn`, `aba_routing`, `account_number`, `phone`) and the secret values from
//! ASCII digits, `email` and `mention` from `@`, `hashtag` from `#`, `cashtag` from `$`,
//! the secret formats from an `_`, `-`, `A` or `J` that begins a token prefix. Scanning
//! for its own bytes, each detector read the whole draft again: eleven scans of a
//! 3,000-byte post per check. [`Marks::new`] reads the text once, eight bytes at a time,
//! and records the digit runs, the sigils and the first secret trigger; the detectors
//! then visit only those places through a [`Candidates`] cursor.
//!
//! All those bytes lie in `0x23..=0x5F` (`#$%&'()*+,-./0-9:;<=>?@A-Z[\]^_`), so one SWAR
//! range test per eight bytes finds every byte that may matter; prose has few of them
//! (punctuation and capitals), and each is classified by a table.

use super::Candidates;
use super::scan;
use crate::normalize::swar;

/// Where a text's detector candidates are: computed once per text, read by every
/// detector through [`Marks::cursor`].
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Marks {
    /// Maximal runs of ASCII digits, `(start, end)`, in order.
    digit_runs: Vec<(usize, usize)>,
    /// Positions of `@`, `#` and `$`, in order.
    at: Vec<usize>,
    hash: Vec<usize>,
    dollar: Vec<usize>,
    /// The first byte where a secret token format may begin (see
    /// [`super::secret::is_format_trigger`]).
    format_trigger: Option<usize>,
}

const DIGIT: u8 = 1;
const AT: u8 = 2;
const HASH: u8 = 4;
const DOLLAR: u8 = 8;
const TRIGGER: u8 = 16;

/// What each byte may begin.
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = b'0';
    while b <= b'9' {
        t[b as usize] = DIGIT;
        b += 1;
    }
    t[b'@' as usize] = AT;
    t[b'#' as usize] = HASH;
    t[b'$' as usize] = DOLLAR;
    t[b'_' as usize] = TRIGGER;
    t[b'-' as usize] = TRIGGER;
    t[b'A' as usize] = TRIGGER;
    t[b'J' as usize] = TRIGGER;
    t
};

/// The high bit of every byte of `w` in `0x23..=0x5F` (exact: no false positives, and a
/// byte of `0x80` or more never counts: `& !w` clears the flags `in_range` leaves
/// meaningless there).
#[inline]
fn interesting(w: u64) -> u64 {
    swar::in_range(w, 0x23, 0x5F) & !w
}

impl Marks {
    /// Reads `text` once.
    #[cfg_attr(draftguard_hot, optimize(speed))]
    pub fn new(text: &str) -> Marks {
        let bytes = text.as_bytes();
        let mut m = Marks::default();
        // No digit before this is looked at again: it is inside a recorded run.
        let mut run_end = 0;
        // Sixteen bytes a step: in prose most steps hold nothing of interest.
        for (base, a, b) in swar::steps16(bytes) {
            let (ha, hb) = (interesting(a), interesting(b));
            if ha | hb != 0 {
                m.mark_all(bytes, base, a, ha, &mut run_end);
                m.mark_all(bytes, base + 8, b, hb, &mut run_end);
            }
        }
        let tail = swar::steps16_end(bytes);
        for (k, &b) in bytes[tail..].iter().enumerate() {
            let class = CLASS[usize::from(b)];
            if class != 0 {
                m.mark(bytes, tail + k, class, &mut run_end);
            }
        }
        m
    }

    /// Marks the bytes `hits` points at in the eight bytes `w` (little-endian) at `base`.
    #[inline]
    fn mark_all(&mut self, bytes: &[u8], base: usize, w: u64, mut hits: u64, run_end: &mut usize) {
        while hits != 0 {
            let shift = hits.trailing_zeros() & !7;
            hits &= hits - 1;
            let class = CLASS[usize::from((w >> shift) as u8)];
            let k = (shift / 8) as usize;
            if class != 0 {
                self.mark(bytes, base + k, class, run_end);
            }
        }
    }

    fn mark(&mut self, bytes: &[u8], i: usize, class: u8, run_end: &mut usize) {
        match class {
            DIGIT => {
                if i >= *run_end {
                    *run_end = scan::digit_run_end(bytes, i);
                    self.digit_runs.push((i, *run_end));
                }
            }
            AT => self.at.push(i),
            HASH => self.hash.push(i),
            DOLLAR => self.dollar.push(i),
            _ => {
                if self.format_trigger.is_none() && super::secret::is_format_trigger(bytes, i) {
                    self.format_trigger = Some(i);
                }
            }
        }
    }

    /// A fresh cursor over these marks, for one detector.
    pub fn cursor(&self) -> Cursor<'_> {
        Cursor {
            marks: self,
            run: 0,
            sigil: [0; 3],
        }
    }
}

/// Reads [`Marks`] from the positions a detector asks about. Any order of questions gets
/// exact answers; increasing positions (as every detector asks) cost O(1) amortized.
pub struct Cursor<'a> {
    marks: &'a Marks,
    /// Index of the first digit run that may end after the last `from`.
    run: usize,
    /// The same for the `@`, `#` and `$` lists.
    sigil: [usize; 3],
}

/// The index of the first item of `items` for which `past(item)` is false, starting the
/// search from the hint `i`.
#[inline]
fn seek<T>(items: &[T], mut i: usize, past: impl Fn(&T) -> bool) -> usize {
    i = i.min(items.len());
    while i > 0 && !past(&items[i - 1]) {
        i -= 1;
    }
    while i < items.len() && past(&items[i]) {
        i += 1;
    }
    i
}

impl Candidates for Cursor<'_> {
    #[inline]
    fn next_digit(&mut self, _bytes: &[u8], from: usize) -> Option<usize> {
        let runs = &self.marks.digit_runs;
        self.run = seek(runs, self.run, |&(_, end)| end <= from);
        runs.get(self.run).map(|&(start, _)| start.max(from))
    }

    #[inline]
    fn next_sigil(&mut self, _bytes: &[u8], sigil: u8, from: usize) -> Option<usize> {
        let (list, k) = match sigil {
            b'@' => (&self.marks.at, 0),
            b'#' => (&self.marks.hash, 1),
            b'$' => (&self.marks.dollar, 2),
            _ => return None,
        };
        self.sigil[k] = seek(list, self.sigil[k], |&p| p < from);
        list.get(self.sigil[k]).copied()
    }

    fn format_trigger(&mut self, _bytes: &[u8]) -> Option<usize> {
        self.marks.format_trigger
    }
}

/// Every detector scanning the text itself, as before [`Marks`]: the reference the
/// differential tests compare the cursor with.
#[cfg(test)]
pub(super) struct Scanning;

#[cfg(test)]
impl Candidates for Scanning {
    fn next_digit(&mut self, bytes: &[u8], from: usize) -> Option<usize> {
        scan::next_digit(bytes, from)
    }

    fn next_sigil(&mut self, bytes: &[u8], sigil: u8, from: usize) -> Option<usize> {
        let rest = bytes.get(from..)?;
        rest.iter().position(|&b| b == sigil).map(|p| from + p)
    }

    fn format_trigger(&mut self, bytes: &[u8]) -> Option<usize> {
        super::secret::first_format_trigger(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::DetectorKind;
    use crate::xorshift::Xorshift;

    /// [`Marks::new`] a byte at a time.
    fn slow_marks(text: &str) -> Marks {
        let b = text.as_bytes();
        let mut m = Marks::default();
        let mut i = 0;
        while i < b.len() {
            if b[i].is_ascii_digit() {
                let end = scan::digit_run_end(b, i);
                m.digit_runs.push((i, end));
                i = end;
                continue;
            }
            match b[i] {
                b'@' => m.at.push(i),
                b'#' => m.hash.push(i),
                b'$' => m.dollar.push(i),
                _ => {}
            }
            i += 1;
        }
        m.format_trigger = (0..b.len()).find(|&i| super::super::secret::is_format_trigger(b, i));
        m
    }

    #[test]
    fn the_range_test_is_exact_for_every_byte() {
        for b in 0..=255u8 {
            for lane in 0..8 {
                let mut w = [b' '; 8];
                w[lane] = b;
                let hit = interesting(u64::from_le_bytes(w)) != 0;
                assert_eq!(
                    hit,
                    (0x23..=0x5F).contains(&b),
                    "byte {b:#x} in lane {lane}"
                );
            }
        }
        // Neighbours never leak into each other (carries, borrows).
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                let w = u64::from_le_bytes([a, b, a, b, b, a, b, a]);
                let expect = [a, b, a, b, b, a, b, a]
                    .iter()
                    .enumerate()
                    .map(|(k, &x)| u64::from((0x23..=0x5F).contains(&x)) << (8 * k + 7))
                    .sum::<u64>();
                assert_eq!(interesting(w), expect, "{a:#x} {b:#x}");
            }
        }
    }

    /// Pieces for random drafts: digits of several lengths and scripts (the detectors see
    /// the `Cased` shadow, where all are ASCII digits), separators, sigils, card, IBAN,
    /// phone, SSN, routing and account shapes, secret words and token prefixes, and
    /// non-ASCII text, so marks straddle the eight-byte steps.
    const PIECES: &[&str] = &[
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "378282246310005",
        "٤١١١ ١١١١ ١١١١ ١١١١",
        "４１１１１１１１１１１１１１１１",
        "४१११ ११११ ११११ ११११",
        "DE89370400440532013000",
        "GB82 WEST 1234 5698 7654 32",
        "gb82west12345698765432",
        "(212) 555-0187",
        "+1 212 555 0187",
        "+44 20 7946 0958",
        "+49 30 901820",
        "212.555.0187",
        "2125550187",
        "call",
        "SSN",
        "123-45-6789",
        "123 45 6789",
        "routing",
        "021000021",
        "account",
        "acct #",
        "12345678",
        "000-123456-01",
        "2024-01-15",
        "$1,234",
        "$AAPL",
        "$BRK.B",
        "#hashtag",
        "#2024",
        "C#",
        "@jane_doe",
        "bob@acme.com",
        "@user@instance.social",
        "https://x.com/@a#b",
        "password: hunter2!x",
        "API_KEY=",
        "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
        "AKIAABCDEFGHIJKLMNOP",
        "sk-proj-",
        "eyJhbGciOi.eyJzdWIiOi.sig",
        "-----BEGIN PRIVATE KEY-----",
        "0",
        "7",
        "12",
        "555",
        "0187",
        "1",
        "+",
        "(",
        ")",
        "-",
        ".",
        ",",
        "/",
        ":",
        "_",
        "A",
        "J",
        "ey",
        "é",
        "日本",
        "—",
        "\u{a0}",
        "😀",
        "\n",
    ];
    const SEPARATORS: &[&str] = &[" ", "", "", " ", "-", ". ", "\n", ", "];

    fn drafts(seed: u64, n: usize) -> impl Iterator<Item = String> {
        let mut rng = Xorshift::new(seed);
        (0..n).map(move |case| {
            let text = rng.text(if case % 10 == 0 { 60 } else { 12 }, &[PIECES, SEPARATORS]);
            // Half as the detectors see them in the engine: digits of every script folded.
            if case % 2 == 0 {
                crate::normalize::shadow(&text, crate::normalize::Profile::Cased).text
            } else {
                text
            }
        })
    }

    #[test]
    fn marks_are_what_a_byte_at_a_time_scan_finds() {
        for (case, text) in drafts(0x5eed_0011, 4_000).enumerate() {
            assert_eq!(
                Marks::new(&text),
                slow_marks(&text),
                "case {case}: {text:?}"
            );
        }
        assert_eq!(Marks::new(""), Marks::default());
    }

    #[test]
    fn the_cursor_answers_as_the_scans_do_in_any_order() {
        for (case, text) in drafts(0x5eed_0012, 1_000).enumerate() {
            let b = text.as_bytes();
            let marks = Marks::new(&text);
            let mut cursor = marks.cursor();
            let mut rng = Xorshift::new(case as u64 + 1);
            for _ in 0..64 {
                let from = rng.below(b.len() + 3);
                assert_eq!(
                    cursor.next_digit(b, from),
                    Scanning.next_digit(b, from),
                    "{text:?} {from}"
                );
                for sigil in [b'@', b'#', b'$'] {
                    assert_eq!(
                        cursor.next_sigil(b, sigil, from),
                        Scanning.next_sigil(b, sigil, from),
                        "{text:?} {from}"
                    );
                }
            }
            assert_eq!(cursor.format_trigger(b), Scanning.format_trigger(b));
        }
    }

    /// Every detector finds exactly what it found when it scanned the text itself.
    #[test]
    fn every_detector_finds_the_same_through_the_marks() {
        let mut found = 0;
        for (case, text) in drafts(0x5eed_0013, 6_000).enumerate() {
            let marks = Marks::new(&text);
            for kind in DetectorKind::ALL {
                let (mut fast, mut slow) = (Vec::new(), Vec::new());
                kind.get().find_with(&text, &mut marks.cursor(), &mut fast);
                kind.get().find_with(&text, &mut Scanning, &mut slow);
                assert_eq!(fast, slow, "case {case}, {}: {text:?}", kind.name());
                found += fast.len();
            }
        }
        // The drafts do hold findings, so the comparison is not of empty lists.
        assert!(found > 6_000, "only {found} findings");
    }
}
