//! Token-level folding for the `Full` profile: leetspeak and spaced-out letters.
//!
//! Both depend on context, so they run on the `Unicode` shadow rather than per character:
//! - digits are read as letters only inside a word that already has a letter (`r1sk`,
//!   `fr33`, `a55hole`), never in a plain number (`455`, `2026`), an ordinal (`4th`), or
//!   a product code (`A55`, `Q4`, `GT500`: one letter then digits, or three or more
//!   digits after the letters);
//! - `@ $ ! |` only between letters or digits of a word (`gu@ranteed`, `a$$hole`), not
//!   at its edges (`@name`, `free!`, `$AAPL`);
//! - separators are dropped only between three or more single letters
//!   (`g-u-a-r-a-n-t-e-e-d`, `r.i.s.k`).

use super::Shadow;

fn leet_digit(b: u8) -> Option<u8> {
    Some(match b {
        b'0' => b'o',
        b'1' => b'i',
        b'3' => b'e',
        b'4' => b'a',
        b'5' => b's',
        b'7' => b't',
        b'8' => b'b',
        b'9' => b'g',
        _ => return None,
    })
}

fn leet_symbol(b: u8) -> Option<u8> {
    Some(match b {
        b'@' => b'a',
        b'$' => b's',
        b'!' | b'|' => b'i',
        _ => return None,
    })
}

fn is_spacing_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '.' | '*' | '/' | '+' | '~' | ':' | '\\' | '=' | '•' | '·'
    )
}

/// Longest separator run allowed between two spaced-out letters, in characters.
const MAX_GAP: usize = 3;
/// Fewest single letters that make a spaced-out word.
const MIN_SPACED: usize = 3;

/// The character at byte `i` (which must be a char boundary).
fn char_at(text: &str, i: usize) -> char {
    text[i..].chars().next().unwrap_or(' ')
}

/// A token: a maximal run of letters, digits and leet symbols.
#[derive(Clone, Copy)]
struct Token {
    start: usize,
    end: usize,
}

/// Words whose digits are not leetspeak: an ordinal (`4th`, `21st`) or a product code
/// (`A55`, `Q4`, `GT500`: letters then digits, with one letter or three or more digits).
fn is_code_or_ordinal(token: &[u8]) -> bool {
    let letters = token.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let digits = token[letters..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if letters > 0 && letters + digits == token.len() && digits > 0 && (letters == 1 || digits >= 3)
    {
        return true;
    }
    let lead = token.iter().take_while(|b| b.is_ascii_digit()).count();
    let suffix = &token[lead..];
    lead > 0 && matches!(suffix, b"st" | b"nd" | b"rd" | b"th")
}

/// Classes of ASCII bytes for the token scan.
const OTHER: u8 = 0;
const LETTER: u8 = 1;
const DIGIT: u8 = 2;
const SYMBOL: u8 = 3;
const CLASS: [u8; 128] = {
    let mut t = [OTHER; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = match b as u8 {
            b'a'..=b'z' | b'A'..=b'Z' => LETTER,
            b'0'..=b'9' => DIGIT,
            b'@' | b'$' | b'!' | b'|' => SYMBOL,
            _ => OTHER,
        };
        b += 1;
    }
    t
};

/// The class of the character at byte `i` and its length.
#[inline(always)]
fn class_at(text: &str, i: usize) -> (u8, usize) {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        return (CLASS[b as usize], 1);
    }
    class_of_non_ascii(text, i)
}

#[inline(never)]
fn class_of_non_ascii(text: &str, i: usize) -> (u8, usize) {
    let c = char_at(text, i);
    let class = if c.is_alphabetic() {
        LETTER
    } else if c.is_alphanumeric() {
        DIGIT
    } else {
        OTHER
    };
    (class, c.len_utf8())
}

pub fn full(base: Shadow) -> Shadow {
    let text = base.text.as_str();
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut folded: Option<Vec<u8>> = None;
    // Only one-letter words matter for spaced-out letters; `ordinal` tells whether two
    // of them are neighbouring words.
    let mut singles: Vec<(usize, Token)> = Vec::new();
    let mut ordinal = 0usize;

    // Pass 1: words, and leetspeak folded inside words that have a letter. Leet
    // replacements are ASCII for ASCII, so byte offsets and the map are unchanged.
    let mut i = 0;
    while i < n {
        let (class, len) = class_at(text, i);
        if class == OTHER {
            i += len;
            continue;
        }
        let start = i;
        let (mut letters, mut others) = (0usize, 0usize);
        while i < n {
            let (class, len) = class_at(text, i);
            match class {
                OTHER => break,
                LETTER => letters += 1,
                _ => others += 1,
            }
            i += len;
        }
        if letters > 0 && others > 0 && !is_code_or_ordinal(&bytes[start..i]) {
            let word = &text[start..i];
            let first = word
                .char_indices()
                .find(|(_, c)| c.is_alphanumeric())
                .map_or(i, |(k, _)| start + k);
            let last = word
                .char_indices()
                .rev()
                .find(|(_, c)| c.is_alphanumeric())
                .map_or(start, |(k, _)| start + k);
            let f = folded.get_or_insert_with(|| bytes.to_vec());
            for (j, slot) in f.iter_mut().enumerate().take(i).skip(start) {
                let b = bytes[j];
                if let Some(l) = leet_digit(b) {
                    *slot = l;
                } else if let Some(l) = leet_symbol(b)
                    && j > first
                    && j < last
                {
                    *slot = l;
                }
            }
        }
        if letters + others == 1 && (letters == 1 || leet_digit(bytes[start]).is_some()) {
            singles.push((ordinal, Token { start, end: i }));
        }
        ordinal += 1;
    }

    // Pass 2: runs of one-letter words joined by the same short separator; the
    // separators are dropped (`g-u-a-r-a-n-t-e-e-d`, but `r.i.s.k f.r.e.e` stays two words).
    let gap = |a: &Token, b: &Token| -> Option<&str> {
        let g = &text[a.end..b.start];
        let ok =
            !g.is_empty() && g.chars().count() <= MAX_GAP && g.chars().all(is_spacing_separator);
        ok.then_some(g)
    };
    let mut drop: Vec<(usize, usize)> = Vec::new();
    let mut k = 0;
    while k < singles.len() {
        let s = k;
        let mut first_gap: Option<&str> = None;
        while k + 1 < singles.len() && singles[k + 1].0 == singles[k].0 + 1 {
            let Some(g) = gap(&singles[k].1, &singles[k + 1].1) else {
                break;
            };
            if *first_gap.get_or_insert(g) != g {
                break;
            }
            k += 1;
        }
        if k + 1 - s >= MIN_SPACED {
            drop.extend((s..k).map(|t| (singles[t].1.end, singles[t + 1].1.start)));
        }
        k += 1;
    }

    let folded = match folded {
        Some(f) => String::from_utf8(f).expect("ASCII-for-ASCII replacements keep UTF-8 valid"),
        None if drop.is_empty() => return base,
        None => text.to_string(),
    };
    if drop.is_empty() {
        return Shadow {
            text: folded,
            ..base
        };
    }
    let mut keep = Vec::with_capacity(drop.len() + 1);
    let mut at = 0;
    for (ds, de) in drop {
        keep.push(at..ds);
        at = de;
    }
    keep.push(at..n);
    let mut text = String::with_capacity(n);
    for r in &keep {
        text.push_str(&folded[r.clone()]);
    }
    Shadow {
        text,
        map: base.map.select(&keep),
    }
}
