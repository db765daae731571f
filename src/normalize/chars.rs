//! Character-level folding: one original character in, zero or more shadow characters
//! out, each mapped back to it.
//!
//! The Unicode knowledge comes from tables `build.rs` precomputes (see there for the
//! sources): per character, its `Unicode` folding (NFKD, accents dropped, full case
//! folding, look-alike letters as ASCII), its `Basic` folding (full case folding) and its
//! NFKC; the combining marks and the ones the `Unicode` profile drops; the decimal digits
//! of every script; the punctuation and symbols that stand for a letter inside a word.

use super::classes::{hangul_jamo, is_apostrophe, is_invisible, is_space_like};
use super::{OffsetMap, Shadow, swar};

/// True when `text[at..]` is `s` ending a word: the apostrophe before it marks a
/// possessive or a contraction (`Acme's`, `it's`), which becomes a word break so `Acme`
/// still matches, rather than being dropped (`can't` → `cant`).
fn possessive_s(text: &str, at: usize) -> bool {
    let rest = &text.as_bytes()[at.min(text.len())..];
    matches!(rest.first(), Some(b's' | b'S'))
        && !rest
            .get(1)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b >= 0x80)
}

/// The `Cased` profile: case kept, compatibility forms folded, decimal digits of every
/// script read as ASCII digits, invisibles dropped.
pub fn cased(text: &str) -> Shadow {
    if text.is_ascii() {
        // Nothing to fold: ASCII has no compatibility forms, invisibles or odd spaces.
        return Shadow::identity(text);
    }
    let mut out = Builder::new(text.len());
    for (i, c) in text.char_indices() {
        let to = i + c.len_utf8();
        if c.is_ascii() {
            out.byte(c as u8, i);
        } else if is_invisible(c) {
        } else if c.is_whitespace() {
            out.char(' ', i, to);
        } else if is_apostrophe(c) {
            out.char('\'', i, to);
        } else if let Some(d) = decimal_digit(c) {
            out.char(d, i, to);
        } else {
            match fold_entry(c).map(nfkc_of) {
                Some(nfkc) if !nfkc.is_empty() => nfkc.chars().for_each(|d| out.char(d, i, to)),
                _ => out.char(c, i, to),
            }
        }
    }
    out.finish()
}

/// The text as typed, except that decimal digits of every script are ASCII digits
/// (`٤١١١` is `4111`): what detectors read under `evasion: none`.
pub fn digits(text: &str) -> Shadow {
    if text.is_ascii() {
        return Shadow::identity(text);
    }
    let mut out = Builder::new(text.len());
    let mut copied = 0;
    for (i, c) in text.char_indices() {
        if c.is_ascii() {
            continue;
        }
        let Some(d) = decimal_digit(c) else { continue };
        if i > copied {
            out.text.extend_from_slice(&text.as_bytes()[copied..i]);
            out.map.push_run(copied, i - copied);
        }
        copied = i + c.len_utf8();
        out.char(d, i, copied);
    }
    if text.len() > copied {
        out.text.extend_from_slice(&text.as_bytes()[copied..]);
        out.map.push_run(copied, text.len() - copied);
    }
    out.finish()
}

/// What an ASCII byte becomes in the folded profiles (bytes from 0x80 are never read
/// through it: they begin or continue a longer character).
const DROP: u8 = 0;
const SPACE: u8 = 1;
const ASCII_FOLD: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = match b as u8 {
            b'A'..=b'Z' => b as u8 + 32,
            b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C | b'-' | b'_' => SPACE,
            b'\'' | b'`' => DROP,
            0 => DROP,
            x => x,
        };
        b += 1;
    }
    t
};

/// Eight ASCII bytes folded at once (upper case to lower case), or `None` when any of
/// them needs a look of its own: outside ASCII, a control character, `-`, `_`, `'` or
/// `` ` ``, or a space that follows a space (or starts the shadow). `last` is the shadow's
/// last byte so far.
#[inline]
fn plain_chunk(chunk: &[u8], last: Option<u8>) -> Option<[u8; 8]> {
    let w = swar::load(chunk)?;
    // Control characters are the bytes below 0x20.
    if w & swar::HIGH != 0
        || swar::in_range(w, 0, 0x1F) != 0
        || [b'-', b'_', b'\'', b'`']
            .iter()
            .any(|&b| swar::any_eq(w, b))
    {
        return None;
    }
    let spaces = swar::eq(w, b' ');
    if spaces & (spaces << 8) != 0 || (spaces & 0x80 != 0 && last.is_none_or(|l| l == b' ')) {
        return None;
    }
    let upper = swar::in_range(w, b'A', b'Z');
    Some((w | (upper >> 2)).to_le_bytes())
}

/// Appends eight bytes with one plain store when they fit: `extend_from_slice` is not
/// inlined in the size-tuned wasm build, and its call (reserve, then memcpy) was about a
/// tenth of a phrases-only check there.
#[inline(always)]
fn push8(v: &mut Vec<u8>, bytes: [u8; 8]) {
    let len = v.len();
    if v.capacity() - len < 8 {
        v.extend_from_slice(&bytes);
        return;
    }
    // SAFETY: the capacity holds `len + 8` bytes; the eight written are initialized
    // before the length covers them.
    unsafe {
        v.as_mut_ptr()
            .add(len)
            .cast::<[u8; 8]>()
            .write_unaligned(bytes);
        v.set_len(len + 8);
    }
}

/// A shadow under construction: bytes plus the offset map.
pub(super) struct Builder {
    pub(super) text: Vec<u8>,
    pub(super) map: OffsetMap,
    starts: Vec<u32>,
    ends: Vec<u32>,
    hyphens: Vec<u32>,
    /// The text is ASCII (every fold of an ASCII byte is ASCII).
    ascii: bool,
}

impl Builder {
    pub(super) fn new(n: usize) -> Builder {
        Builder {
            text: Vec::with_capacity(n),
            map: OffsetMap::default(),
            starts: Vec::new(),
            ends: Vec::new(),
            hyphens: Vec::new(),
            ascii: false,
        }
    }

    /// One shadow byte for one original byte.
    #[inline]
    fn byte(&mut self, b: u8, from: usize) {
        self.text.push(b);
        self.map.push_byte(from);
    }

    /// Shadow character(s) standing for the original character `from..to`.
    pub(super) fn char(&mut self, c: char, from: usize, to: usize) {
        if to - from == 1 && c.is_ascii() {
            return self.byte(c as u8, from);
        }
        let mut buf = [0u8; 4];
        let s = c.encode_utf8(&mut buf);
        self.text.extend_from_slice(s.as_bytes());
        self.map.push_unit(s.len(), from, to);
    }

    /// One space for a run of separators, never at the start.
    #[inline]
    fn space(&mut self, from: usize, to: usize) {
        if matches!(self.text.last(), Some(&b) if b != b' ') {
            self.char(' ', from, to);
        }
    }

    /// An apostrophe between letters was dropped (`can't` is `cant`); the letter after it
    /// may still start a phrase, as after an elision (`l'entreprise`, `dell'azienda`),
    /// and the letter before it end one, as before a Turkish suffix (`İstanbul'da`),
    /// unless an English contraction follows (`can't` never holds `can`).
    fn apostrophe(&mut self, text: &str, next: usize) {
        let after_letter = last_char(&self.text).is_some_and(char::is_alphanumeric);
        let rest = &text[next..];
        if after_letter && rest.chars().next().is_some_and(char::is_alphabetic) {
            let at = self.text.len() as u32;
            self.starts.push(at);
            let tail_len = rest
                .find(|c: char| !c.is_alphabetic())
                .unwrap_or(rest.len());
            let tail = &rest[..tail_len];
            let contraction = ["t", "s", "d", "m", "ll", "re", "ve"]
                .iter()
                .any(|c| tail.eq_ignore_ascii_case(c));
            if !contraction {
                self.ends.push(at);
            }
        }
    }

    pub(super) fn finish(self) -> Shadow {
        Shadow {
            text: if self.ascii {
                ascii_string(self.text)
            } else {
                String::from_utf8(self.text).expect("the builder pushes whole characters")
            },
            ascii: self.ascii,
            map: self.map,
            starts: self.starts,
            ends: self.ends,
            hyphens: self.hyphens,
        }
    }
}

/// Bytes known to be ASCII as a `String`, without reading them again to validate them
/// (a pass over the whole draft, which the size-tuned wasm build runs a byte at a time).
pub(super) fn ascii_string(bytes: Vec<u8>) -> String {
    debug_assert!(bytes.is_ascii());
    if cfg!(debug_assertions) {
        return String::from_utf8(bytes).expect("ASCII");
    }
    // SAFETY: callers pass bytes that are all below 0x80 (a fold of an ASCII text, whose
    // every byte folds to an ASCII byte), which is valid UTF-8.
    unsafe { String::from_utf8_unchecked(bytes) }
}

/// The last character of UTF-8 bytes.
pub(super) fn last_char(bytes: &[u8]) -> Option<char> {
    let start = bytes
        .iter()
        .rposition(|&b| b & 0xC0 != 0x80)
        .filter(|&i| bytes.len() - i <= 4)?;
    std::str::from_utf8(&bytes[start..]).ok()?.chars().next()
}

/// The `Basic` (`unicode == false`) and `Unicode` (`unicode == true`) profiles. The
/// shadow's `ascii` tells whether the text is ASCII (the fold sees every byte anyway).
pub fn folded(text: &str, unicode: bool) -> Shadow {
    folded_with(text, unicode, swar::enabled())
}

/// [`folded`], with or without the eight-bytes-at-once path (the tests compare both).
#[cfg_attr(draftguard_hot, optimize(speed))]
fn folded_with(text: &str, unicode: bool, chunks: bool) -> Shadow {
    let bytes = text.as_bytes();
    let mut out = Builder::new(text.len());
    // Until a byte from 0x80 shows up (each one ends up below, never in a chunk).
    out.ascii = true;
    let mut i = 0;
    while i < bytes.len() {
        // The common case: a run of ASCII bytes that each become one shadow byte (a
        // separator too, unless it would double a space). One map segment per run.
        let run_start = i;
        let mut last = out.text.last().copied();
        // After a chunk the fast path refused, that many bytes go one by one.
        let mut slow = 0u8;
        while i < bytes.len() {
            if slow == 0 && chunks {
                // Eight plain bytes at a time (no separator but single spaces, nothing
                // dropped, nothing outside ASCII): lower-cased in place.
                if let Some(chunk) = bytes.get(i..i + 8)
                    && let Some(folded) = plain_chunk(chunk, last)
                {
                    push8(&mut out.text, folded);
                    last = Some(folded[7]);
                    i += 8;
                    continue;
                }
                slow = 8;
            }
            slow = slow.saturating_sub(1);
            let b = bytes[i];
            if b >= 0x80 {
                break;
            }
            let m = ASCII_FOLD[b as usize];
            let m = if m > SPACE {
                m
            } else if m == SPACE && last.is_some_and(|l| l != b' ') {
                if b == b'-' || b == b'_' {
                    // Maybe a masked letter (`f-ck`): the Full profile looks again.
                    out.hyphens.push(out.text.len() as u32);
                }
                b' '
            } else {
                break;
            };
            out.text.push(m);
            last = Some(m);
            i += 1;
        }
        if i > run_start {
            out.map.push_run(run_start, i - run_start);
            continue;
        }
        let b = bytes[i];
        if (b == b'\'' || b == b'`') && possessive_s(text, i + 1) {
            out.space(i, i + 1);
            i += 1;
            continue;
        }
        if b < 0x80 {
            match ASCII_FOLD[b as usize] {
                DROP if b != 0 => out.apostrophe(text, i + 1),
                DROP => {}
                SPACE => out.space(i, i + 1),
                x => out.byte(x, i),
            }
            i += 1;
            continue;
        }
        out.ascii = false;
        let c = text[i..].chars().next().expect("i is a char boundary");
        let to = i + c.len_utf8();
        if is_apostrophe(c) {
            if possessive_s(text, to) {
                out.space(i, to);
            } else {
                out.apostrophe(text, to);
            }
        } else {
            fold_char(&mut out, c, i, to, unicode);
        }
        i = to;
    }
    out.finish()
}

fn fold_char(out: &mut Builder, c: char, from: usize, to: usize, unicode: bool) {
    if is_invisible(c) {
        return;
    }
    if is_space_like(c) {
        out.space(from, to);
        return;
    }
    if !unicode {
        if c == '\u{307}' && out.text.last() == Some(&b'i') {
            // `İ` lower-cased is `i` and a combining dot: the dot goes, as in `İ` itself.
            out.map.extend_last(from, to);
            return;
        }
        match fold_entry(c).map(basic_of) {
            Some(b) if !b.is_empty() => b.chars().for_each(|l| out.char(l, from, to)),
            _ => c.to_lowercase().for_each(|l| out.char(l, from, to)),
        }
        return;
    }
    if drops_mark(c) {
        // An accent typed separately: the letter before it now covers it too.
        out.map.extend_last(from, to);
        return;
    }
    if let Some(d) = decimal_digit(c) {
        out.char(d, from, to);
        return;
    }
    match hangul_jamo(c) {
        Some(jamo) => jamo
            .into_iter()
            .filter(|&j| j != '\0')
            .for_each(|j| fold_table(out, j, from, to)),
        None => fold_table(out, c, from, to),
    }
}

/// Folds a character the `Unicode` profile does not handle otherwise, with the table.
fn fold_table(out: &mut Builder, c: char, from: usize, to: usize) {
    match fold_entry(c) {
        // Separators in the table stand for a word break, as a separator typed would.
        Some(k) => unicode_of(k).chars().for_each(|d| {
            if d == ' ' {
                out.space(from, to)
            } else {
                out.char(d, from, to)
            }
        }),
        None => c.to_lowercase().for_each(|l| out.char(l, from, to)),
    }
}

// Generated by build.rs: the `FOLD_KEYS` non-ASCII characters whose folding is not the
// default (lower case in the `Unicode` and `Basic` profiles, the character itself in
// `Cased`), sorted, as deltas from the previous key (0: the key follows in 3 bytes); for
// key `k`, three consecutive strings of `FOLD_POOL` whose byte lengths are
// `FOLD_LENS[3k..3k + 3]`: its `Unicode` folding (`' '` for a word break), its `Basic`
// folding (empty: the lower case) and its NFKC (empty: the character itself). `COMBINING_MARKS` and
// `DROPPED_MARKS` are sorted inclusive ranges; `DIGIT_ZEROS` the digit zero of every
// script's block of ten; `INNER_LETTERS` the punctuation and symbols that stand for a
// letter inside a word.
include!(concat!(env!("OUT_DIR"), "/fold.rs"));

/// The folding table expanded for lookups (once, in a few microseconds).
struct FoldTable {
    keys: Vec<u32>,
    /// Where each key's foldings start in `FOLD_POOL`, plus the end.
    offs: Vec<u32>,
}

static FOLD: std::sync::LazyLock<FoldTable> = std::sync::LazyLock::new(|| {
    let mut keys = Vec::with_capacity(FOLD_KEYS);
    let (mut k, mut d) = (0x7F, FOLD_KEY_DELTAS);
    while let [first, rest @ ..] = d {
        (k, d) = match (*first, rest) {
            (0, [a, b, c, rest @ ..]) => (u32::from_le_bytes([*a, *b, *c, 0]), rest),
            (delta, _) => (k + delta as u32, rest),
        };
        keys.push(k);
    }
    let mut offs = Vec::with_capacity(FOLD_LENS.len() + 1);
    let mut at = 0u32;
    offs.push(at);
    for &n in FOLD_LENS {
        at += n as u32;
        offs.push(at);
    }
    FoldTable { keys, offs }
});

fn fold_entry(c: char) -> Option<usize> {
    FOLD.keys.binary_search(&(c as u32)).ok()
}

#[inline]
fn column(k: usize, col: usize) -> &'static str {
    let offs = &FOLD.offs;
    &FOLD_POOL[offs[3 * k + col] as usize..offs[3 * k + col + 1] as usize]
}

fn unicode_of(k: usize) -> &'static str {
    column(k, 0)
}

fn basic_of(k: usize) -> &'static str {
    column(k, 1)
}

fn nfkc_of(k: usize) -> &'static str {
    column(k, 2)
}

fn in_ranges(ranges: &[(u32, u32)], c: char) -> bool {
    let cp = c as u32;
    let i = ranges.partition_point(|&(_, end)| end < cp);
    ranges.get(i).is_some_and(|&(start, _)| start <= cp)
}

/// General category Mark (Mn, Mc, Me).
#[inline]
pub fn is_combining_mark(c: char) -> bool {
    (c as u32) >= 0x300 && in_ranges(&COMBINING_MARKS, c)
}

/// A mark the `Unicode` profile drops: an accent of Latin, Greek, Cyrillic or Armenian,
/// a vowel point of Hebrew, Arabic or Syriac.
fn drops_mark(c: char) -> bool {
    (c as u32) >= 0x300 && in_ranges(&DROPPED_MARKS, c)
}

/// The ASCII digit a decimal digit of any script stands for (`٣`, `۳`, `३`, `３` are `3`).
pub fn decimal_digit(c: char) -> Option<char> {
    let cp = c as u32;
    if cp < 0x80 {
        return c.is_ascii_digit().then_some(c);
    }
    if cp < 0x660 {
        return None;
    }
    let i = DIGIT_ZEROS.partition_point(|&z| z <= cp);
    let zero = *DIGIT_ZEROS.get(i.checked_sub(1)?)?;
    (cp - zero < 10).then(|| (b'0' + (cp - zero) as u8) as char)
}

/// The ASCII letter a punctuation mark or symbol stands for inside a word (`¡` for `i`
/// in `r¡sk`, `∪` for `u`, `€` for `e`).
pub fn inner_letter(c: char) -> Option<u8> {
    let cp = c as u32;
    INNER_LETTERS
        .binary_search_by_key(&cp, |&(k, _)| k)
        .ok()
        .map(|i| INNER_LETTERS[i].1)
}

#[cfg(test)]
mod reference;

#[cfg(test)]
mod fast_path_tests {
    use super::*;

    /// Random texts from characters each fast path treats differently, compared with
    /// the byte-by-byte folding.
    #[test]
    fn eight_bytes_at_once_fold_as_one_by_one() {
        let alphabet: Vec<char> = "aAzZ@[`{ -_'\t\n.,1s*#\u{0}\u{7f}é\u{200B}İ"
            .chars()
            .collect();
        let mut rng = crate::xorshift::Xorshift::new(0x9e37_79b9_7f4a_7c15);
        for _ in 0..20_000 {
            let seed = rng.next_u64();
            let len = (seed % 40) as usize;
            let mut r = seed;
            let text: String = (0..len)
                .map(|_| {
                    r = r
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    // Mostly letters and spaces, as in prose.
                    let k = (r >> 33) as usize % (alphabet.len() + 12);
                    *alphabet
                        .get(k)
                        .unwrap_or(&if k.is_multiple_of(3) { ' ' } else { 'q' })
                })
                .collect();
            for unicode in [false, true] {
                let fast = folded_with(&text, unicode, true);
                let slow = folded_with(&text, unicode, false);
                assert_eq!(fast.text, slow.text, "{text:?}");
                assert_eq!(fast.map, slow.map, "{text:?}");
                assert_eq!(fast.hyphens, slow.hyphens, "{text:?}");
                assert_eq!(fast.starts, slow.starts, "{text:?}");
                assert_eq!(fast.ends, slow.ends, "{text:?}");
                assert_eq!(fast.ascii, text.is_ascii(), "{text:?}");
                assert_eq!(slow.ascii, text.is_ascii(), "{text:?}");
            }
        }
    }
}
