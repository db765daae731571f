//! Character-level folding: one original character in, zero or more shadow characters
//! out, each mapped back to it.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::Shadow;

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
    matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{02BC}' | '\u{02B9}' | '\u{00B4}' | '`' | '\u{FF07}')
}

/// Characters that separate words as a space does: whitespace, hyphens, dashes, `_`.
fn is_space_like(c: char) -> bool {
    c.is_whitespace()
        || matches!(c, '-' | '_' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' | '\u{30FC}')
}

/// The `Cased` profile: case kept, compatibility forms folded, invisibles dropped.
pub fn cased(text: &str) -> Shadow {
    let mut out = Shadow {
        text: String::with_capacity(text.len()),
        start: Vec::with_capacity(text.len()),
        end: Vec::with_capacity(text.len()),
    };
    for (i, c) in text.char_indices() {
        let from = i..i + c.len_utf8();
        let len = c.len_utf8();
        if c.is_ascii() {
            out.push_ascii(c as u8, i, 1);
        } else if is_invisible(c) {
        } else if c.is_whitespace() {
            out.push_ascii(b' ', i, len);
        } else if is_apostrophe(c) {
            out.push_ascii(b'\'', i, len);
        } else {
            for d in std::iter::once(c).nfkc() {
                out.push(d, from.clone());
            }
        }
    }
    out
}

/// The `Basic` (`unicode == false`) and `Unicode` (`unicode == true`) profiles.
pub fn folded(text: &str, unicode: bool) -> Shadow {
    let mut out = Shadow {
        text: String::with_capacity(text.len()),
        start: Vec::with_capacity(text.len()),
        end: Vec::with_capacity(text.len()),
    };
    for (i, c) in text.char_indices() {
        if c.is_ascii() {
            let b = c as u8;
            match b {
                b'A'..=b'Z' => out.push_ascii(b + 32, i, 1),
                b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C | b'-' | b'_' => push_space(&mut out, i, 1),
                b'\'' | b'`' => {}
                _ => out.push_ascii(b, i, 1),
            }
            continue;
        }
        let from = i..i + c.len_utf8();
        if is_invisible(c) || is_apostrophe(c) {
            continue;
        }
        if is_space_like(c) {
            push_space(&mut out, i, c.len_utf8());
            continue;
        }
        if !unicode {
            for l in c.to_lowercase() {
                out.push(l, from.clone());
            }
            continue;
        }
        if is_combining_mark(c) {
            // A separate combining mark: the letter before it now covers it too.
            out.extend_last(i, from.end);
            continue;
        }
        for d in std::iter::once(c).nfkd() {
            if is_combining_mark(d) || is_invisible(d) {
                continue;
            }
            if d.is_ascii() {
                let b = d as u8;
                if is_space_like(d) {
                    push_space(&mut out, i, c.len_utf8());
                } else if b != b'\'' {
                    // Every piece of an NFKD expansion maps to the whole character.
                    out.push_ascii(b.to_ascii_lowercase(), i, from.end - i);
                }
                continue;
            }
            match confusable_ascii(d) {
                Some(a) => out.push(a, from.clone()),
                None => {
                    for l in d.to_lowercase() {
                        out.push(l, from.clone());
                    }
                }
            }
        }
    }
    out
}

fn push_space(out: &mut Shadow, i: usize, len: usize) {
    match out.last_byte() {
        // Collapse runs, and never start the shadow with a separator.
        Some(b' ') | None => {}
        _ => {
            out.text.push(' ');
            out.start.push(i as u32);
            out.end.push((i + len) as u32);
        }
    }
}

/// The lower-case ASCII letter or digit a non-ASCII character is confusable with, per
/// the TR39 skeleton, if it is exactly one.
fn confusable_ascii(c: char) -> Option<char> {
    let mut buf = [0u8; 4];
    let s: &str = c.encode_utf8(&mut buf);
    let mut sk = unicode_security::confusable_detection::skeleton(s);
    let first = sk.next()?;
    if sk.next().is_some() || !first.is_ascii_alphanumeric() {
        return None;
    }
    Some(first.to_ascii_lowercase())
}
