//! Character-level folding: one original character in, zero or more shadow characters
//! out, each mapped back to it.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::{OffsetMap, Shadow};

/// Zero-width characters, bidi controls, the soft hyphen, variation selectors and other
/// format characters that change nothing a reader sees but would break a match.
pub fn is_invisible(c: char) -> bool {
    matches!(c as u32,
        0x00AD              // soft hyphen
        | 0x034F            // combining grapheme joiner
        | 0x061C            // Arabic letter mark
        | 0x115F | 0x1160   // Hangul fillers
        | 0x17B4 | 0x17B5
        | 0x180B..=0x180F   // Mongolian variation selectors, vowel separator
        | 0x200B..=0x200F   // zero-width space/non-joiner/joiner, LRM, RLM
        | 0x202A..=0x202E   // bidi embeddings and overrides
        | 0x2060..=0x2064   // word joiner, invisible operators
        | 0x2066..=0x206F   // bidi isolates, deprecated format characters
        | 0x3164            // Hangul filler
        | 0xFE00..=0xFE0F   // variation selectors
        | 0xFEFF            // zero-width no-break space (BOM)
        | 0xFFA0
        | 0xE0000..=0xE007F // tags
        | 0xE0100..=0xE01EF // variation selectors supplement
    )
}

/// Apostrophe look-alikes that are dropped inside words (`can’t` = `can't` = `cant`).
fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2018}'
            | '\u{2019}'
            | '\u{201B}'
            | '\u{02BC}'
            | '\u{02B9}'
            | '\u{00B4}'
            | '`'
            | '\u{FF07}'
    )
}

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

/// Characters that separate words as a space does: whitespace, hyphens, dashes, `_`.
fn is_space_like(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '_' | '\u{2010}'
                ..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' | '\u{30FC}'
        )
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
            std::iter::once(c).nfkc().for_each(|d| out.char(d, i, to));
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
    for d in std::iter::once(c).nfkd() {
        if is_combining_mark(d) || is_invisible(d) || is_apostrophe(d) {
            continue;
        }
        if is_space_like(d) {
            out.space(from, to);
        } else if d.is_ascii() {
            // Every piece of an NFKD expansion maps to the whole character.
            out.char((d as u8).to_ascii_lowercase() as char, from, to);
        } else {
            match confusable_ascii(d) {
                Some(a) => out.char(a, from, to),
                None => d.to_lowercase().for_each(|l| out.char(l, from, to)),
            }
        }
    }
}

include!(concat!(env!("OUT_DIR"), "/confusables.rs"));

/// The lower-case ASCII letter or digit a non-ASCII character is confusable with, per
/// the TR39 skeleton, if it is exactly one (table built by `build.rs`).
fn confusable_ascii(c: char) -> Option<char> {
    let cp = c as u32;
    CONFUSABLE_ASCII
        .binary_search_by_key(&cp, |&(k, _)| k)
        .ok()
        .map(|i| CONFUSABLE_ASCII[i].1 as char)
}
