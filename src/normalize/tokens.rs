//! Token-level folding for the `Full` profile: leetspeak, spaced-out letters, and the
//! places where a word may be masked or stretched.
//!
//! All depend on context, so they run on the `Unicode` shadow rather than per character:
//! - digits are read as letters only inside a word whose letters are Latin and that
//!   already has one (`r1sk`, `fr33`, `a55hole`), never in a plain number (`455`,
//!   `2026`), an ordinal (`4th`), or a product code (`A55`, `Q4`, `GT500`: one letter then
//!   digits, or three or more digits after the letters; `GT500!` too), nor next to
//!   Chinese or Cyrillic;
//! - `@ $ ! |`, and the symbols and punctuation that look like a letter (`¡`, `∪`, `€`),
//!   only between Latin letters or digits of a word (`gu@ranteed`, `a$$hole`, `r¡sk`),
//!   not at its edges (`@name`, `free!`, `$AAPL`, `¡Hola!`);
//! - separators are dropped only between three or more single letters
//!   (`g-u-a-r-a-n-t-e-e-d`, `r.i.s.k`); with a policy's [`Lexicon`], only between those
//!   that spell a phrase word, up to two at each edge left out (`a g u a r a n t e e d`
//!   is `a guaranteed`); the run's first letter may still end a word and its last one
//!   start one (`a i w akcje` is `aiw akcje`, and holds `w akcje`);
//! - words with a letter run three times or more (`scaaaam`) or with `*`, `#`, `.`, `-`
//!   or `_` between letters (`f*ck`) are handed to the policy's [`Lexicon`], which reads
//!   them as the phrase word they disguise, if any.

use super::chars::inner_letter;
use super::lexicon::is_word_letter;
use super::{Edit, Lexicon, Shadow, lexicon, swar};

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

/// Classes of characters for the token scan (a combining mark kept with its letter is a
/// letter).
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

/// ASCII letters, for skipping the letters of a word in one tight loop.
const IS_ASCII_LETTER: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8).is_ascii_alphabetic();
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
    let class = if c.is_alphabetic() || super::is_combining_mark(c) {
        LETTER
    } else if c.is_alphanumeric() {
        DIGIT
    } else if inner_letter(c).is_some() {
        SYMBOL
    } else {
        OTHER
    };
    (class, c.len_utf8())
}

/// Whether a mask next to byte `b` may stand between letters: `b` is an ASCII letter or
/// part of a character outside ASCII.
#[inline]
fn is_mask_neighbour(b: u8) -> bool {
    b >= 0x80 || b.is_ascii_alphabetic()
}

/// Where the scan saw something the [`Lexicon`] should look at.
fn is_mask_char(b: u8) -> bool {
    matches!(b, b'*' | b'#' | b'.')
}

pub fn full(base: Shadow, original: &str, lexicon: Option<&Lexicon>) -> Shadow {
    full_with(base, original, lexicon, swar::enabled())
}

/// [`full`], with or without reading plain words eight bytes at a time (the tests
/// compare both).
#[cfg_attr(draftguard_hot, optimize(speed))]
fn full_with(base: Shadow, original: &str, lexicon: Option<&Lexicon>, chunks: bool) -> Shadow {
    let text = base.text.as_str();
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut leets: Vec<(usize, u8)> = Vec::new();
    let mut edits: Vec<Edit> = Vec::new();
    // Only one-letter words matter for spaced-out letters. Whether two of them are
    // neighbouring words need not be noted: the separators between them must be, and a
    // separator is never part of a word (`spacing_separators_are_never_in_words`).
    let mut singles: Vec<Token> = Vec::new();
    // Shadow offsets of masks and letter runs for the lexicon.
    let look = lexicon.is_some_and(|l| !l.is_empty());
    let mut spots: Vec<usize> = Vec::new();

    // Pass 1: words, and leetspeak folded inside words that have a letter. Leet
    // replacements of ASCII are ASCII, so byte offsets and the map are unchanged.
    let mut i = 0;
    while i < n {
        if chunks {
            // Most of a draft is spaces and words of ASCII letters that end at an ASCII
            // byte outside a token: nothing in them is leetspeak or a mask, and only a
            // one-letter word matters (spaced-out letters).
            let b = bytes[i];
            if b == b' ' {
                i += 1;
                continue;
            }
            if IS_ASCII_LETTER[b as usize] {
                let end = swar::letters_end(bytes, i);
                if bytes
                    .get(end)
                    .is_none_or(|&c| c < 0x80 && CLASS[c as usize] == OTHER)
                {
                    if end - i == 1 {
                        singles.push(Token { start: i, end });
                    }
                    i = end;
                    continue;
                }
            }
        }
        let (class, len) = class_at(text, i);
        if class == OTHER {
            if look && is_mask_char(bytes[i]) && i > 0 && is_mask_neighbour(bytes[i - 1]) {
                // A mask between letters (`f*ck`, `f**k`), not a full stop.
                let after = bytes[i + 1..].iter().find(|&&b| !is_mask_char(b));
                if after.is_some_and(|&b| is_mask_neighbour(b)) {
                    spots.push(i);
                }
            }
            i += len;
            continue;
        }
        let start = i;
        let (mut letters, mut others) = (0usize, 0usize);
        while i < n {
            // Most of a word is ASCII letters: skip them in a tight loop.
            let run = i;
            while i < n && IS_ASCII_LETTER[bytes[i] as usize] {
                i += 1;
            }
            letters += i - run;
            if i == n {
                break;
            }
            let (class, len) = class_at(text, i);
            match class {
                OTHER => break,
                LETTER => letters += 1,
                _ => others += 1,
            }
            i += len;
        }
        // Leetspeak only in words of Latin letters (`保证100` keeps its digits). A code
        // or an ordinal is one without the symbols at its edges, which are never
        // leetspeak (`GT500!` is `gt500!`).
        let edge = |b: &u8| leet_symbol(*b).is_some();
        let word = &bytes[start..i];
        let lead = word.iter().take_while(|b| edge(b)).count();
        let trail = word[lead..].iter().rev().take_while(|b| edge(b)).count();
        if letters > 0
            && others > 0
            && word.is_ascii()
            && !is_code_or_ordinal(&word[lead..word.len() - trail])
        {
            leet(text, start..i, &mut leets, &mut edits);
        }
        if letters + others == 1 && (letters == 1 || leet_digit(bytes[start]).is_some()) {
            singles.push(Token { start, end: i });
        }
    }
    let found = Found {
        leets,
        edits,
        singles,
        spots,
    };
    finish(base, original, lexicon, found)
}

/// What the word pass found in a shadow, for [`finish`].
struct Found {
    /// ASCII bytes leetspeak replaces by ASCII letters: (shadow offset, letter).
    leets: Vec<(usize, u8)>,
    edits: Vec<Edit>,
    /// One-letter words.
    singles: Vec<Token>,
    /// Shadow offsets, sorted, of masks between letters for the lexicon.
    spots: Vec<usize>,
}

/// The rest of the `Full` folding after the word pass: spaced-out letters joined,
/// leetspeak replaced, masked and stretched words read with the lexicon.
#[cfg_attr(draftguard_hot, optimize(speed))]
fn finish(base: Shadow, original: &str, lexicon: Option<&Lexicon>, found: Found) -> Shadow {
    let Found {
        leets,
        mut edits,
        singles,
        mut spots,
    } = found;
    let text = base.text.as_str();
    let bytes = text.as_bytes();
    let look = lexicon.is_some_and(|l| !l.is_empty());

    // Pass 2: runs of one-letter words joined by the same short separator; the
    // separators are dropped (`g-u-a-r-a-n-t-e-e-d`, but `r.i.s.k f.r.e.e` stays two words).
    // A gap is its text in the shadow and whether it was typed as a hyphen or an
    // underscore (both are spaces there): `g-u-a-r-a-n-t-e-e-d r-e-t-u-r-n-s` is two words.
    let gap = |a: &Token, b: &Token| -> Option<(&str, bool)> {
        let g = &text[a.end..b.start];
        // A character is at most four bytes: a longer gap is not read.
        let ok = !g.is_empty()
            && g.len() <= 4 * MAX_GAP
            && g.chars().count() <= MAX_GAP
            && g.chars().all(is_spacing_separator);
        ok.then(|| (g, base.is_hyphen(a.end)))
    };
    let (mut soft_starts, mut soft_ends) = (Vec::new(), Vec::new());
    let mut k = 0;
    while k < singles.len() {
        let s = k;
        let mut first_gap: Option<(&str, bool)> = None;
        // The run ended where another separator began: its last letter may begin a run of
        // its own (`I g.u.a.r.a.n.t.e.e.d`).
        let mut other_gap = false;
        while k + 1 < singles.len() {
            let Some(g) = gap(&singles[k], &singles[k + 1]) else {
                break;
            };
            if *first_gap.get_or_insert(g) != g {
                other_gap = true;
                break;
            }
            k += 1;
        }
        let mut joined_to = None;
        if k + 1 - s >= MIN_SPACED {
            let words = lexicon
                .and_then(|lex| policy_words(text, &singles[s..=k], lex))
                .unwrap_or_else(|| vec![(0, k - s)]);
            for &(a, b) in &words {
                edits.extend((s + a..s + b).map(|t| Edit {
                    at: singles[t].end..singles[t + 1].start,
                    text: String::new(),
                    origins: Vec::new(),
                }));
            }
            let (a, b) = (s + words[0].0, s + words[words.len() - 1].1);
            // The run's first letter may still end a word and its last one start one, as
            // typed: `a i w akcje` reads as `aiw akcje`, where the phrase `w akcje` is found.
            soft_ends.push(singles[a].end);
            soft_starts.push(singles[b].start);
            joined_to = Some(b);
        }
        k = if other_gap && joined_to != Some(k) {
            k
        } else {
            k + 1
        };
    }

    if look {
        // An ASCII letter typed three times or more in a row (`scaaaam`).
        let at = spots.len();
        triples(bytes, &mut spots);
        if !base.ascii && !text.is_ascii() {
            // The same for letters outside ASCII (`оооочень`): only where a character
            // outside ASCII follows itself.
            let mut i = 0;
            while let Some(k) = bytes[i..].iter().position(|&b| b >= 0xC0) {
                let at = i + k;
                let c = char_at(text, at);
                let len = c.len_utf8();
                i = at + len;
                if text[i..].starts_with(c)
                    && text[i + len..].starts_with(c)
                    && !text[..at].ends_with(c)
                    && is_word_letter(c)
                {
                    spots.push(at);
                }
            }
            spots.sort_unstable();
        }
        if at > 0 && spots.len() > at {
            spots.sort_unstable();
        }
    }
    let look = look && (!spots.is_empty() || !base.hyphens.is_empty());
    for e in &mut edits {
        if !e.text.is_empty() && e.origins.is_empty() {
            e.origins = vec![base.map.to_original(e.at.clone())];
        }
    }
    let shadow = if leets.is_empty() {
        if edits.is_empty() && !look {
            return base;
        }
        base
    } else {
        let mut shadow = base;
        let mut f = std::mem::take(&mut shadow.text).into_bytes();
        for (at, letter) in leets {
            f[at] = letter;
        }
        // Leetspeak replaces ASCII bytes with ASCII bytes: still valid UTF-8, still
        // ASCII if it was.
        shadow.text = if shadow.ascii {
            super::chars::ascii_string(f)
        } else {
            String::from_utf8(f).expect("ASCII-for-ASCII replacements keep UTF-8 valid")
        };
        shadow
    };
    let shadow = if edits.is_empty() {
        shadow
    } else {
        edits.sort_by_key(|e| e.at.start);
        // The spots and the run edges move with the text.
        for list in [&mut spots, &mut soft_starts, &mut soft_ends] {
            shift(&edits, list);
        }
        let mut shadow = shadow.rewrite(&edits);
        for (list, soft) in [
            (&mut shadow.starts, soft_starts),
            (&mut shadow.ends, soft_ends),
        ] {
            if !soft.is_empty() {
                list.extend(soft.into_iter().map(|p| p as u32));
                list.sort_unstable();
                list.dedup();
            }
        }
        shadow
    };
    match lexicon {
        Some(lex) if look => lexicon::resolve(shadow, original, lex, &spots),
        _ => shadow,
    }
}

/// Longest run of spaced-out letters split into the words of a policy's phrases.
const MAX_SPLIT: usize = 64;

/// The words of the policy's phrases spelt by a run of spaced-out letters
/// (`a g u a r a n t e e d`), with up to two letters before or after them left as words of
/// their own (an article, a pronoun: `a`, `I`, `y`): each word's first and last letter in
/// `run`, in order, or `None` when the run spells none (then it is one word, as typed).
/// The fewest letters left out win, then one word (or a stem's start) over several: a run
/// of up to 64 letters may spell several words (`g u a r a n t e e d  r e t u r n s`,
/// whose double space the folding made single, is `guaranteed returns`).
fn policy_words(text: &str, run: &[Token], lex: &Lexicon) -> Option<Vec<(usize, usize)>> {
    let letters: Vec<char> = run
        .iter()
        .map(|t| match char_at(text, t.start) {
            c @ '0'..='9' => leet_digit(c as u8).map_or(c, char::from),
            c => c,
        })
        .collect();
    let n = letters.len();
    (0..=4.min(n - MIN_SPACED))
        .flat_map(|trim| (0..=trim.min(2)).map(move |head| (head, trim - head)))
        .filter(|&(head, tail)| tail <= 2 && head + tail + MIN_SPACED <= n)
        .find_map(|(head, tail)| {
            let part = &letters[head..n - tail];
            if lex.reads(part) {
                return Some(vec![(head, n - 1 - tail)]);
            }
            split(part, lex).map(|cuts| {
                cuts.windows(2)
                    .map(|w| (head + w[0], head + w[1] - 1))
                    .collect()
            })
        })
}

/// The fewest whole words of the lexicon, each of two letters or more, that spell
/// `letters` end to end: the offsets where each starts, then `letters.len()`.
fn split(letters: &[char], lex: &Lexicon) -> Option<Vec<usize>> {
    let n = letters.len();
    if n > MAX_SPLIT {
        return None;
    }
    // `best[i]`: the fewest words that spell `letters[..i]`, and where the last begins.
    let mut best: Vec<Option<(usize, usize)>> = vec![None; n + 1];
    best[0] = Some((0, 0));
    for i in 2..=n {
        best[i] = (0..=i - 2)
            .filter_map(|j| best[j].map(|(words, _)| (words + 1, j)))
            .filter(|&(_, j)| lex.reads_whole(&letters[j..i]))
            .min();
    }
    let mut cuts = vec![n];
    let mut i = n;
    while i > 0 {
        let (_, j) = best[i]?;
        cuts.push(j);
        i = j;
    }
    cuts.reverse();
    Some(cuts)
}

/// Moves `positions` (sorted offsets in the text `edits` apply to, sorted and disjoint) to
/// where they are after the edits: each one shifts by what the edits that start before it
/// add or remove.
fn shift(edits: &[Edit], positions: &mut [usize]) {
    let mut by = 0isize;
    let mut e = 0;
    for p in positions {
        while e < edits.len() && edits[e].at.start < *p {
            by += edits[e].text.len() as isize - edits[e].at.len() as isize;
            e += 1;
        }
        *p = (*p as isize + by) as usize;
    }
}

/// Appends the first byte of every run of three or more equal ASCII letters. Six
/// positions per eight-byte load: in `x = w ^ (w >> 8)` byte `j` is zero where bytes `j`
/// and `j + 1` are equal, so in `x | (x >> 8)` where bytes `j` to `j + 2` are.
#[inline(never)]
fn triples(bytes: &[u8], out: &mut Vec<usize>) {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    // Bytes 6 and 7 of `y` compare bytes past the load: never zero.
    const PAST: u64 = 0xFFFF << 48;
    let check = |k: usize, out: &mut Vec<usize>| {
        let b = bytes[k];
        if b.is_ascii_alphabetic()
            && bytes.get(k + 2) == Some(&b)
            && bytes[k + 1] == b
            && (k == 0 || bytes[k - 1] != b)
        {
            out.push(k);
        }
    };
    let mut i = 0;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let w = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        let x = w ^ (w >> 8);
        let y = x | (x >> 8) | PAST;
        if y.wrapping_sub(ONES) & !y & HIGH != 0 {
            (i..i + 6).for_each(|k| check(k, out));
        }
        i += 6;
    }
    (i..bytes.len()).for_each(|k| check(k, out));
}

/// Folds leetspeak in the word `w` (digits anywhere, symbols inside).
fn leet(
    text: &str,
    w: std::ops::Range<usize>,
    leets: &mut Vec<(usize, u8)>,
    edits: &mut Vec<Edit>,
) {
    let bytes = text.as_bytes();
    let word = &text[w.clone()];
    let first = word
        .char_indices()
        .find(|(_, c)| c.is_alphanumeric())
        .map_or(w.end, |(k, _)| w.start + k);
    let last = word
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_alphanumeric())
        .map_or(w.start, |(k, _)| w.start + k);
    let mut j = w.start;
    while j < w.end {
        let b = bytes[j];
        if b >= 0x80 {
            let c = char_at(text, j);
            let end = j + c.len_utf8();
            if let Some(l) = inner_letter(c)
                && j > first
                && end <= last
                && bytes[j - 1].is_ascii_alphanumeric()
                && bytes.get(end).is_some_and(u8::is_ascii_alphanumeric)
            {
                edits.push(Edit {
                    at: j..end,
                    text: (l as char).to_string(),
                    origins: Vec::new(),
                });
            }
            j = end;
            continue;
        }
        if let Some(l) = leet_digit(b) {
            leets.push((j, l));
        } else if let Some(l) = leet_symbol(b)
            && j > first
            && j < last
        {
            leets.push((j, l));
        }
        j += 1;
    }
}

#[cfg(test)]
mod fast_path_tests {
    use super::*;

    /// The word pass notes one-letter words without noting which are neighbours: two
    /// are when only separators stand between them, which holds as long as no
    /// separator is part of a word (a letter, digit or leet symbol).
    #[test]
    fn spacing_separators_are_never_in_words() {
        let separators: Vec<char> = (0..=char::MAX as u32)
            .filter_map(char::from_u32)
            .filter(|&c| is_spacing_separator(c))
            .collect();
        assert!(separators.len() >= 11, "{separators:?}");
        for c in separators {
            let s = c.to_string();
            assert_eq!(class_at(&s, 0).0, OTHER, "{c:?}");
        }
    }

    /// Random prose-like texts with one-letter words, leetspeak, masks and spaced-out
    /// letters: reading plain words eight bytes at a time changes nothing.
    #[test]
    fn plain_words_at_once_read_as_one_by_one() {
        let words = [
            "a",
            "i",
            "b",
            "risk",
            "free",
            "r1sk",
            "f*ck",
            "scaaaam",
            "guaranteed",
            "g-u-a-r",
            "x.y.z",
            "hello",
            "Hello",
            "4th",
            "a55",
            "caf\u{e9}",
            "o",
            "jane_doe",
            "@acme",
            "results.",
            "(212)",
            "press@acme",
            "bit.ly/abc123",
            "u.s.a",
            "f.ck",
            "#tag",
            "x*",
            "wow!",
            "\u{2014}",
            "\u{2014}.a",
            "cool...",
            "555",
        ];
        let seps = [
            " ", " ", " ", " ", ", ", ". ", "-", "  ", "\n", ".", "*", "#", "; ", "(", ") ",
            "\u{2014}",
        ];
        let mut lexicon = Lexicon::new();
        for w in ["risk", "free", "fuck", "scam", "guaranteed"] {
            lexicon.add(w, false);
        }
        lexicon.finish();
        const SEED: u64 = 0x2545_f491_4f6c_dd1d;
        let mut rng = crate::xorshift::Xorshift::new(SEED);
        // The last number drawn (the seed at first) sets the next text's length.
        let mut seed = SEED;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..(seed % 16) {
                seed = rng.next_u64();
                text.push_str(words[(seed % words.len() as u64) as usize]);
                text.push_str(seps[((seed >> 20) % seps.len() as u64) as usize]);
            }
            let base = super::super::chars::folded(&text, true);
            for lex in [None, Some(&lexicon)] {
                let fast = full_with(base.clone(), &text, lex, true);
                let slow = full_with(base.clone(), &text, lex, false);
                assert_eq!(fast.text, slow.text, "{text:?}");
                assert_eq!(fast.map, slow.map, "{text:?}");
                assert_eq!(fast.starts, slow.starts, "{text:?}");
                assert_eq!(fast.ends, slow.ends, "{text:?}");
            }
        }
    }
}
