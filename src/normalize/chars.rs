//! Character-level folding: one original character in, zero or more shadow characters
//! out, each mapped back to it.

use super::classes::{hangul_jamo, is_apostrophe, is_invisible, is_space_like};
use super::{OffsetMap, Shadow};

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

/// The `Cased` profile: case kept, compatibility forms folded, invisibles dropped.
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
        } else {
            match fold_entry(c).map(nfkc_of) {
                Some(nfkc) if !nfkc.is_empty() => nfkc.chars().for_each(|d| out.char(d, i, to)),
                _ => out.char(c, i, to),
            }
        }
    }
    out.finish()
}

/// What an ASCII byte becomes in the folded profiles.
const DROP: u8 = 0;
const SPACE: u8 = 1;
const ASCII_FOLD: [u8; 128] = {
    let mut t = [0u8; 128];
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

/// A shadow under construction: bytes plus the offset map.
struct Builder {
    text: Vec<u8>,
    map: OffsetMap,
}

impl Builder {
    fn new(n: usize) -> Builder {
        Builder {
            text: Vec::with_capacity(n),
            map: OffsetMap::default(),
        }
    }

    /// One shadow byte for one original byte.
    #[inline]
    fn byte(&mut self, b: u8, from: usize) {
        self.text.push(b);
        self.map.push_byte(from);
    }

    /// Shadow character(s) standing for the original character `from..to`.
    fn char(&mut self, c: char, from: usize, to: usize) {
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

    fn finish(self) -> Shadow {
        Shadow {
            text: String::from_utf8(self.text).expect("the builder pushes whole characters"),
            map: self.map,
        }
    }
}

/// The `Basic` (`unicode == false`) and `Unicode` (`unicode == true`) profiles.
pub fn folded(text: &str, unicode: bool) -> Shadow {
    let bytes = text.as_bytes();
    let mut out = Builder::new(text.len());
    let mut i = 0;
    while i < bytes.len() {
        // The common case: a run of ASCII bytes that each become one shadow byte (a
        // separator too, unless it would double a space). One map segment per run.
        let run_start = i;
        let mut last = out.text.last().copied();
        while i < bytes.len() {
            let b = bytes[i];
            if b >= 0x80 {
                break;
            }
            let m = ASCII_FOLD[b as usize];
            let m = if m > SPACE {
                m
            } else if m == SPACE && last.is_some_and(|l| l != b' ') {
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
                DROP => {}
                SPACE => out.space(i, i + 1),
                x => out.byte(x, i),
            }
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().expect("i is a char boundary");
        let to = i + c.len_utf8();
        if is_apostrophe(c) && possessive_s(text, to) {
            out.space(i, to);
        } else {
            fold_char(&mut out, c, i, to, unicode);
        }
        i = to;
    }
    out.finish()
}

fn fold_char(out: &mut Builder, c: char, from: usize, to: usize, unicode: bool) {
    if is_invisible(c) || is_apostrophe(c) {
        return;
    }
    if is_space_like(c) {
        out.space(from, to);
        return;
    }
    if !unicode {
        c.to_lowercase().for_each(|l| out.char(l, from, to));
        return;
    }
    if is_combining_mark(c) {
        // A separate combining mark: the letter before it now covers it too.
        out.map.extend_last(from, to);
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

// Generated by build.rs from `unicode-normalization` and the TR39 confusables: the
// `FOLD_KEYS` non-ASCII characters whose folding is not the default (lower case in the
// `Unicode` profile, the character itself in `Cased`), sorted, as deltas from the previous
// key (0: the key follows in 3 bytes); for key `k`, `FOLD_LENS[2k]` bytes of `FOLD_POOL`
// are its `Unicode` folding (NFKD without combining marks, invisibles and apostrophes,
// look-alikes as ASCII, lower-cased, `' '` for a separator), the next `FOLD_LENS[2k + 1]`
// its NFKC (none: the character itself). `COMBINING_MARKS` are sorted inclusive ranges.
include!(concat!(env!("OUT_DIR"), "/fold.rs"));

/// The folding table expanded for lookups (once, in a few microseconds).
struct FoldTable {
    keys: Vec<u32>,
    /// Where each key's foldings start in `FOLD_POOL`, plus the end.
    offs: Vec<u16>,
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
    let mut at = 0u16;
    offs.push(at);
    for &n in FOLD_LENS {
        at += n as u16;
        offs.push(at);
    }
    FoldTable { keys, offs }
});

fn fold_entry(c: char) -> Option<usize> {
    FOLD.keys.binary_search(&(c as u32)).ok()
}

fn unicode_of(k: usize) -> &'static str {
    let offs = &FOLD.offs;
    &FOLD_POOL[offs[2 * k] as usize..offs[2 * k + 1] as usize]
}

fn nfkc_of(k: usize) -> &'static str {
    let offs = &FOLD.offs;
    &FOLD_POOL[offs[2 * k + 1] as usize..offs[2 * k + 2] as usize]
}

/// General category Mark (Mn, Mc, Me).
fn is_combining_mark(c: char) -> bool {
    let cp = c as u32;
    let i = COMBINING_MARKS.partition_point(|&(_, end)| end < cp);
    COMBINING_MARKS
        .get(i)
        .is_some_and(|&(start, _)| start <= cp)
}

#[cfg(test)]
mod reference {
    //! The folding as it was computed before the tables: with `unicode-normalization` and
    //! the confusables table at run time. Every character must fold exactly the same.

    use super::*;
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;

    include!(concat!(env!("OUT_DIR"), "/confusables.rs"));

    fn confusable_ascii(c: char) -> Option<char> {
        let cp = c as u32;
        CONFUSABLE_ASCII
            .binary_search_by_key(&cp, |&(k, _)| k)
            .ok()
            .map(|i| CONFUSABLE_ASCII[i].1 as char)
    }

    fn cased_char(out: &mut Builder, c: char, i: usize, to: usize) {
        if c.is_ascii() {
            out.byte(c as u8, i);
        } else if is_invisible(c) {
        } else if c.is_whitespace() {
            out.char(' ', i, to);
        } else if is_apostrophe(c) {
            out.char('\'', i, to);
        } else {
            std::iter::once(c).nfkc().for_each(|d| out.char(d, i, to));
        }
    }

    fn fold_char(out: &mut Builder, c: char, from: usize, to: usize) {
        if is_invisible(c) || is_apostrophe(c) {
            return;
        }
        if is_space_like(c) {
            out.space(from, to);
            return;
        }
        if is_combining_mark(c) {
            out.map.extend_last(from, to);
            return;
        }
        for d in std::iter::once(c).nfkd() {
            if is_combining_mark(d) || is_invisible(d) || is_apostrophe(d) {
                continue;
            }
            if is_space_like(d) {
                out.space(from, to);
            } else if d.is_ascii() {
                out.char((d as u8).to_ascii_lowercase() as char, from, to);
            } else {
                match confusable_ascii(d) {
                    Some(a) => out.char(a, from, to),
                    None => d.to_lowercase().for_each(|l| out.char(l, from, to)),
                }
            }
        }
    }

    /// `a`, the character, `b`: the character folded after a letter and before one.
    fn reference(c: char, cased: bool) -> Shadow {
        let text = format!("a{c}b");
        let mut out = Builder::new(text.len());
        out.byte(b'a', 0);
        let to = 1 + c.len_utf8();
        if cased {
            cased_char(&mut out, c, 1, to);
        } else {
            fold_char(&mut out, c, 1, to);
        }
        out.byte(b'b', to);
        out.finish()
    }

    #[test]
    fn every_character_folds_as_with_unicode_normalization() {
        for c in (0x80u32..=0x10FFFF).filter_map(char::from_u32) {
            let text = format!("a{c}b");
            for (cased, got) in [(true, cased(&text)), (false, folded(&text, true))] {
                let want = reference(c, cased);
                assert!(
                    got.text == want.text && got.map == want.map,
                    "U+{:04X} cased={cased}: {:?} != {:?}",
                    c as u32,
                    got,
                    want
                );
            }
        }
    }

    #[test]
    fn the_table_expands_to_sorted_keys() {
        assert_eq!(FOLD.keys.len(), FOLD_KEYS);
        assert!(FOLD.keys.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(*FOLD.offs.last().unwrap() as usize, FOLD_POOL.len());
    }

    #[test]
    fn a_separator_from_the_table_is_one_space() {
        // U+00A8 DIAERESIS decomposes to a space and a combining mark.
        assert_eq!(folded("a \u{A8}b", true).text, "a b");
        assert_eq!(folded("\u{A8}b", true).text, "b");
    }
}
