//! Scanning helpers shared by the detectors.
//!
//! Every helper works on the UTF-8 bytes (or `char`s) of the text a detector sees, never
//! panics on any input or position, and costs time linear in what it looks at.
//!
//! * The number detectors start from the digit runs [`super::Marks`] found (one pass
//!   shared by all detectors). The text a detector sees has the decimal digits of every
//!   script as ASCII digits already (see `normalize`), so Arabic-Indic, Persian,
//!   Devanagari or fullwidth numbers are found by the same pass.
//! * [`digit_run_end`] / [`ascii_run_end`]: where a run of ASCII digits (or of bytes
//!   passing a test) ends.
//! * [`is_word`] and [`is_joiner`]: a `char` that is part of a word (letter, digit, `_`),
//!   and punctuation that glues two numbers into one token (`-`, `.`, `,`, `/`, `:`).
//! * [`prev_char`] / [`next_char`]: the `char` right before or after a byte position.
//! * [`free_before`] / [`free_after`]: nothing glued to a number on that side: no word
//!   character touching it, and no joiner between it and another digit.
//! * [`domain_end`]: the end of a dotted domain with a letter TLD (emails, Mastodon
//!   handles).
//! * [`Keywords`]: case-insensitive keywords that must end within a byte window before a
//!   candidate (`routing 021000021`, `SSN 123456789`, `call 2125550187`).
//!
//! Under `cfg(test)`, [`matches`] and [`assert_well_formed`] are the test scaffolding all
//! detector tests use.

#[cfg(test)]
use super::Detector;

/// The position of the first ASCII digit at or after `from`. Scans 16 bytes at a time
/// with a SWAR test (no false negatives), then pinpoints the digit byte by byte. How every
/// number detector found its candidates before [`super::Marks`]; the tests' reference.
#[cfg(test)]
pub(super) fn next_digit(bytes: &[u8], from: usize) -> Option<usize> {
    const ZEROS: u64 = u64::from_ne_bytes([b'0'; 8]);
    const TENS: u64 = u64::from_ne_bytes([10; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    let rest = bytes.get(from..)?;
    let mut i = 0;
    for chunk in rest.chunks_exact(16) {
        // Two plain 8-byte loads (`copy_from_slice` is a call to memcpy in the size-tuned
        // wasm build).
        let (Some(&a), Some(&b)) = (chunk.first_chunk::<8>(), chunk.last_chunk::<8>()) else {
            break;
        };
        // A byte of `t` is below 10 exactly where the input byte is a digit.
        let (ta, tb) = (u64::from_ne_bytes(a) ^ ZEROS, u64::from_ne_bytes(b) ^ ZEROS);
        let below_ten = |t: u64| t.wrapping_sub(TENS) & !t & HIGH;
        if below_ten(ta) | below_ten(tb) != 0 {
            break;
        }
        i += 16;
    }
    rest[i..]
        .iter()
        .position(u8::is_ascii_digit)
        .map(|p| from + i + p)
}

/// The end of the run of bytes passing `pred` that starts at `i` (`i` itself if none
/// does, or if `i` is past the end).
#[inline]
pub(super) fn ascii_run_end(bytes: &[u8], mut i: usize, pred: impl Fn(u8) -> bool) -> usize {
    while i < bytes.len() && pred(bytes[i]) {
        i += 1;
    }
    i
}

/// The end of the run of ASCII digits that starts at `i`.
#[inline]
pub(super) fn digit_run_end(bytes: &[u8], i: usize) -> usize {
    ascii_run_end(bytes, i, |b| b.is_ascii_digit())
}

/// A word character: a Unicode letter or digit, or `_`.
#[inline]
pub(super) fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Punctuation that glues two numbers into one token (`1.5`, `12-34`, `1,000`, `1/2`,
/// `10:30`).
#[inline]
pub(super) fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '.' | ',' | '/' | ':')
}

/// The `char` ending right before byte `i` (`None` at the start, or if `i` is not a
/// `char` boundary inside `text`).
#[inline]
pub(super) fn prev_char(text: &str, i: usize) -> Option<char> {
    text.get(..i)?.chars().next_back()
}

/// The `char` starting at byte `i` (`None` at the end, or if `i` is not a `char`
/// boundary inside `text`).
#[inline]
pub(super) fn next_char(text: &str, i: usize) -> Option<char> {
    text.get(i..)?.chars().next()
}

/// Nothing glued to a number starting at `i` on its left: no word character right
/// before it, and no joiner with a digit before that (`12-4111`, `1.5`).
#[inline]
pub(super) fn free_before(text: &str, i: usize) -> bool {
    let mut before = text.get(..i).unwrap_or("").chars().rev();
    match before.next() {
        None => true,
        Some(c) if is_word(c) => false,
        Some(c) if is_joiner(c) => !before.next().is_some_and(|p| p.is_ascii_digit()),
        Some(_) => true,
    }
}

/// Nothing glued to a number ending at `i` on its right: no word character right after
/// it, and no joiner with a digit after that (`4111.50`, `6789-0`).
#[inline]
pub(super) fn free_after(text: &str, i: usize) -> bool {
    let mut after = text.get(i..).unwrap_or("").chars();
    match after.next() {
        None => true,
        Some(c) if is_word(c) => false,
        Some(c) if is_joiner(c) => !after.next().is_some_and(|n| n.is_ascii_digit()),
        Some(_) => true,
    }
}

/// The end of the longest `label(.label)+` domain starting at `start` whose last label is
/// an alphabetic TLD of two or more letters. Labels are ASCII letters, digits and `-`,
/// neither start nor end with `-`, and are at most `max_label` bytes long (scanning stops
/// at a longer one).
pub(super) fn domain_end(bytes: &[u8], start: usize, max_label: usize) -> Option<usize> {
    let mut i = start;
    let mut labels = 0;
    let mut best = None;
    loop {
        let label_start = i;
        i = ascii_run_end(bytes, i, |b| b.is_ascii_alphanumeric() || b == b'-');
        let label = &bytes[label_start..i];
        match (label.first(), label.last()) {
            (Some(b'-'), _) | (_, Some(b'-')) | (None, _) => break,
            _ if label.len() > max_label => break,
            _ => {}
        }
        labels += 1;
        if labels >= 2 && label.len() >= 2 && label.iter().all(u8::is_ascii_alphabetic) {
            best = Some(i);
        }
        if bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric) {
            i += 1;
        } else {
            break;
        }
    }
    best
}

/// Lowercase keywords, each with a flag whose meaning is up to the detector (whole word
/// only, plural allowed, ...), that must end at most `window` bytes before a candidate.
///
/// A keyword matches in any ASCII case and must not follow an ASCII letter inside the
/// searched bytes. The search looks back `window + slack` bytes from the candidate;
/// `slack` should be at least the longest keyword (plus any suffix the detector accepts)
/// so a keyword that ends inside the window is seen whole.
pub(super) struct Keywords {
    words: &'static [(&'static str, bool)],
    window: usize,
    slack: usize,
    /// Which bytes (either case) start a keyword, so most positions cost one lookup.
    first: [bool; 256],
}

impl Keywords {
    pub(super) const fn new(
        words: &'static [(&'static str, bool)],
        window: usize,
        slack: usize,
    ) -> Keywords {
        let mut first = [false; 256];
        let mut i = 0;
        while i < words.len() {
            let b = words[i].0.as_bytes()[0];
            first[b.to_ascii_lowercase() as usize] = true;
            first[b.to_ascii_uppercase() as usize] = true;
            i += 1;
        }
        Keywords {
            words,
            window,
            slack,
            first,
        }
    }

    /// Whether a keyword ends within the window before `start`. For each keyword found,
    /// `tail(searched, end, flag)` sees the searched bytes, the keyword's end in them and
    /// its flag, and returns where the keyword really ends (after a plural `s`, say), or
    /// `None` to reject it; that end must lie within the window.
    #[inline]
    pub(super) fn ends_before(
        &self,
        bytes: &[u8],
        start: usize,
        tail: impl Fn(&[u8], usize, bool) -> Option<usize>,
    ) -> bool {
        let from = start.saturating_sub(self.window + self.slack);
        let window = &bytes[from..start];
        (0..window.len()).any(|i| {
            if !self.first[usize::from(window[i])] {
                return false;
            }
            let first = window[i].to_ascii_lowercase();
            self.words.iter().any(|&(kw, flag)| {
                let kw = kw.as_bytes();
                let end = i + kw.len();
                first == kw[0]
                    && end <= window.len()
                    && window[i..end].eq_ignore_ascii_case(kw)
                    && (i == 0 || !window[i - 1].is_ascii_alphabetic())
                    && tail(window, end, flag).is_some_and(|end| from + end + self.window >= start)
            })
        })
    }
}

/// The matched substrings of `text`, in order, found as the engine finds them (through
/// the text's [`super::Marks`]); a detector scanning the text itself must find the same.
#[cfg(test)]
pub(super) fn matches<'a>(detector: &dyn Detector, text: &'a str) -> Vec<&'a str> {
    let mut out = Vec::new();
    detector.find_with(text, &mut super::Marks::new(text).cursor(), &mut out);
    let mut scanned = Vec::new();
    detector.find_with(text, &mut super::marks::Scanning, &mut scanned);
    assert_eq!(out, scanned, "marks and scans differ on {text:?}");
    out.iter().map(|r| &text[r.clone()]).collect()
}

/// Runs `detector` on each input (it must not panic) and checks the contract of
/// [`Detector::find`]: ranges in increasing order, non-empty, without overlaps, inside
/// the text and on `char` boundaries.
#[cfg(test)]
pub(super) fn assert_well_formed(detector: &dyn Detector, inputs: &[&str]) {
    for text in inputs {
        let mut out = Vec::new();
        detector.find_with(text, &mut super::Marks::new(text).cursor(), &mut out);
        let mut last = 0;
        for r in &out {
            assert!(r.start >= last && r.start < r.end && r.end <= text.len());
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            last = r.end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_digit_finds_every_position() {
        for len in 0..40 {
            for p in 0..len {
                let mut text = "°".repeat(len).into_bytes(); // 0xC2 0xB0: not digits
                text[p] = b'7';
                let first = text.iter().position(u8::is_ascii_digit);
                assert_eq!(next_digit(&text, 0), first);
                assert_eq!(next_digit(&text, p + 1), None);
            }
        }
        assert_eq!(next_digit(b"abc", 5), None);
    }

    #[test]
    fn free_sides_see_words_and_joined_digits() {
        assert!(free_before("a 12", 2) && free_after("12 a", 2));
        assert!(!free_before("x12", 1) && !free_after("12_", 2));
        assert!(!free_before("1-2", 2) && !free_after("1.5", 1));
        assert!(free_before("a-2", 2) && free_after("1. ", 1));
        assert!(free_before("", 0) && free_after("", 0) && free_before("é", 1));
    }
}
