//! The matching shadow: a normalized copy of the draft that remembers, for every byte,
//! which character of the original it came from.
//!
//! Rules never match the draft directly. They match a *shadow* built by one of a few
//! [`Profile`]s (case folded, NFKC, invisible characters dropped, look-alikes and
//! leetspeak folded, spaced-out letters joined), and every match is mapped back through
//! the shadow's offset map, so an underline covers exactly what the user typed:
//! `"gu@ranteed re\u{200B}turns"` matches `guaranteed returns` and the finding's span is
//! the whole original text, zero-width space included.
//!
//! Phrases are normalized with the same profile as the text they are matched against,
//! which keeps the folding symmetric: a policy phrase `r1sk-free` and a typed `risk free`
//! both become `risk free`.
//!
//! Besides its text and map, a shadow remembers where a word starts or ends without a
//! break (at an elision's or a suffix's apostrophe, `l'entreprise`, `İstanbul'da`; after
//! an Arabic or Hebrew proclitic, `والأرباح`, `הכסף`), so phrases can match there too.

mod chars;
mod classes;
mod lexicon;
mod map;
pub(crate) mod swar;
mod tokens;

pub use lexicon::Lexicon;
pub use map::OffsetMap;

use std::ops::Range;

pub use chars::{decimal_digit, is_combining_mark};
pub use classes::is_invisible;

/// How much of the draft's spelling a shadow forgets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Profile {
    /// Case preserved. NFKC compatibility forms folded (fullwidth `Ａ` is `A`), decimal
    /// digits of every script read as ASCII digits (`٤` is `4`), invisible characters
    /// dropped, every kind of space becomes U+0020, curly apostrophes become `'`. Used by
    /// `swap` rules, `pattern` rules and detectors.
    Cased,
    /// The text as typed except that decimal digits of every script are ASCII digits:
    /// what detectors read under `evasion: none`.
    Digits,
    /// Full Unicode case folding (`ß` is `ss`, `ς` is `σ`, `İ` is `i`); runs of spaces,
    /// hyphens, dashes and underscores become one space; apostrophes dropped (`can't` =
    /// `cant`); invisible characters dropped; spaces between Korean words dropped.
    Basic,
    /// `Basic` plus NFKD with accents removed (`é` is `e`, `ά` is `α`; the vowel signs of
    /// Indic and South-East Asian scripts stay), decimal digits as ASCII, and non-ASCII
    /// look-alike letters folded with the Unicode TR39 confusables table (Cyrillic `а` is
    /// `a`) after case folding, so a capital and its small letter always fold alike.
    Unicode,
    /// `Unicode` plus leetspeak (`r1sk` is `risk`, `gu@ranteed` is `guaranteed`), letters
    /// spaced out with separators joined (`g-u-a-r-a-n-t-e-e-d`) and, with a policy's
    /// [`Lexicon`], masked and stretched words read as the phrase word they disguise
    /// (`f*ck`, `scaaaam`).
    Full,
}

/// A normalized copy of a text plus the map back to the original.
#[derive(Debug, Clone, Default)]
pub struct Shadow {
    /// The normalized text.
    pub text: String,
    pub(crate) map: OffsetMap,
    /// Shadow offsets, sorted, where a word starts right after a letter: after an
    /// apostrophe the folding dropped (`l'entreprise` is `lentreprise`, and a phrase may
    /// start at `entreprise`), after an Arabic or Hebrew proclitic, and at the last letter
    /// of a run of spaced-out letters (`Full`: `a i w` is `aiw`, and `w` starts a word).
    pub(crate) starts: Vec<u32>,
    /// Shadow offsets, sorted, where a word may end right before a letter: before an
    /// apostrophe the folding dropped that does not begin an English contraction
    /// (`İstanbul'da` is `istanbulda`, and a phrase may end at `istanbul`), and after the
    /// first letter of a run of spaced-out letters (`Full`).
    pub(crate) ends: Vec<u32>,
    /// Shadow offsets, sorted, of spaces that stand for `-` or `_` typed between two
    /// characters (maybe a masked letter: `f-ck`).
    pub(crate) hyphens: Vec<u32>,
    /// True when `text` is known to be ASCII (false: it may not be), so the checks that
    /// only matter outside ASCII need not read the whole text again to know.
    pub(crate) ascii: bool,
}

/// A replacement of shadow bytes `at` by `text`, whose characters stand for the original
/// ranges in `origins` (one per character; an empty `text` drops the bytes).
#[derive(Debug, Clone)]
pub(crate) struct Edit {
    pub at: Range<usize>,
    pub text: String,
    pub origins: Vec<Range<usize>>,
}

impl Shadow {
    /// The original byte range covered by the shadow byte range `r`.
    ///
    /// `r` must be non-empty and on `text`'s bounds. Characters that the profile dropped
    /// (zero-width spaces, separators) and that sit *inside* the match are covered too,
    /// because the range runs from the first matched character to the last.
    pub fn to_original(&self, r: Range<usize>) -> Range<usize> {
        debug_assert!(r.start < r.end && r.end <= self.text.len());
        self.map.to_original(r)
    }

    /// A shadow that is the original ASCII text unchanged.
    fn identity(text: &str) -> Shadow {
        debug_assert!(text.is_ascii());
        Shadow {
            text: text.to_string(),
            map: OffsetMap::identity(text.len()),
            ascii: true,
            ..Shadow::default()
        }
    }

    /// Where words start right after a letter (see the field).
    pub fn soft_starts(&self) -> &[u32] {
        &self.starts
    }

    /// Whether the text has Arabic or Hebrew letters, whose article a phrase may find on
    /// each word (see [`article_at`]).
    pub fn has_articles(&self) -> bool {
        !self.ascii && !self.text.is_ascii() && self.text.bytes().any(|b| b == 0xD7 || b == 0xD8)
    }

    /// Whether a word may end at shadow offset `at` although a letter follows.
    pub fn is_soft_end(&self, at: usize) -> bool {
        self.ends.binary_search(&(at as u32)).is_ok()
    }

    /// Whether the space at shadow offset `at` stands for a `-` or `_` typed there.
    pub(crate) fn is_hyphen(&self, at: usize) -> bool {
        self.hyphens.binary_search(&(at as u32)).is_ok()
    }

    /// The shadow with `edits` (sorted, disjoint) applied; every other byte keeps its
    /// mapping, and the word starts and hyphens move with their bytes.
    pub(crate) fn rewrite(&self, edits: &[Edit]) -> Shadow {
        let mut out = Shadow {
            text: String::with_capacity(self.text.len()),
            ..Shadow::default()
        };
        let mut cursor = [0usize; 3];
        let mut at = 0;
        for e in edits {
            self.copy_into(&mut out, at..e.at.start, &mut cursor);
            if !e.text.is_empty() && self.starts.binary_search(&(e.at.start as u32)).is_ok() {
                out.starts.push(out.text.len() as u32);
            }
            for (c, o) in e.text.chars().zip(&e.origins) {
                out.map.push_unit(c.len_utf8(), o.start, o.end);
                out.text.push(c);
            }
            at = e.at.end;
        }
        self.copy_into(&mut out, at..self.text.len(), &mut cursor);
        out
    }

    /// Appends shadow bytes `r` to `out` with their mapping, soft word starts and ends
    /// and hyphens; `cursor` remembers how far each list has been read.
    fn copy_into(&self, out: &mut Shadow, r: Range<usize>, cursor: &mut [usize; 3]) {
        if r.is_empty() {
            return;
        }
        let base = out.text.len();
        for (list, out_list, k) in [
            (&self.starts, &mut out.starts, 0),
            (&self.hyphens, &mut out.hyphens, 1),
            (&self.ends, &mut out.ends, 2),
        ] {
            while let Some(&p) = list.get(cursor[k])
                && (p as usize) < r.end
            {
                if p as usize >= r.start {
                    out_list.push((p as usize - r.start + base) as u32);
                }
                cursor[k] += 1;
            }
        }
        out.map.append(&self.map, r.clone());
        out.text.push_str(&self.text[r]);
    }

    /// The original byte offset where shadow byte `i` came from (`i` may be `len`).
    pub fn original_offset(&self, i: usize, original_len: usize) -> usize {
        if i >= self.text.len() {
            original_len
        } else {
            self.map.start_of(i)
        }
    }

    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

/// Builds the shadow of `text` for `profile`.
///
/// Texts longer than 4 GiB are not supported (offsets are `u32`); the engine refuses them
/// earlier.
pub fn shadow(text: &str, profile: Profile) -> Shadow {
    shadow_with(text, profile, None)
}

/// [`shadow`], reading masked and stretched words in the `Full` profile as the words of
/// `lexicon` they disguise.
#[cfg_attr(draftguard_hot, optimize(speed))]
pub fn shadow_with(text: &str, profile: Profile, lexicon: Option<&Lexicon>) -> Shadow {
    let base = match profile {
        Profile::Cased => return chars::cased(text),
        Profile::Digits => return chars::digits(text),
        Profile::Basic => chars::folded(text, false),
        Profile::Unicode | Profile::Full => chars::folded(text, true),
    };
    debug_assert_eq!(base.ascii, text.is_ascii());
    let base = if base.ascii {
        base
    } else {
        // Lead bytes: Hangul jamo 0xE1, syllables 0xEA to 0xED; Hebrew 0xD7, Arabic
        // 0xD8 to 0xDB.
        let bytes = base.text.as_bytes();
        let korean = bytes
            .iter()
            .any(|&b| b == 0xE1 || (0xEA..=0xED).contains(&b));
        let semitic = bytes.iter().any(|&b| (0xD7..=0xDB).contains(&b));
        let mut base = if korean { join_korean(base) } else { base };
        if semitic {
            proclitic_starts(&mut base);
        }
        base
    };
    if profile == Profile::Full {
        tokens::full(base, text, lexicon)
    } else {
        base
    }
}

/// Korean is written with spaces between words, but writers often leave them out
/// (`원금보장` and `원금 보장`): spaces between two Hangul characters are dropped, in
/// phrases and drafts alike.
fn join_korean(base: Shadow) -> Shadow {
    let bytes = base.text.as_bytes();
    let mut drops = Vec::new();
    for (i, _) in bytes.iter().enumerate().filter(|&(_, &b)| b == b' ') {
        let before = chars::last_char(&bytes[..i]);
        let after = base.text[i + 1..].chars().next();
        if before.is_some_and(is_hangul) && after.is_some_and(is_hangul) {
            drops.push(Edit {
                at: i..i + 1,
                text: String::new(),
                origins: Vec::new(),
            });
        }
    }
    if drops.is_empty() {
        base
    } else {
        base.rewrite(&drops)
    }
}

/// Arabic and Hebrew write the article, conjunctions and some prepositions as part of
/// the next word (`والأرباح` "and the profits", `בכסף` "with money"): a word may also
/// start after them. Arabic: `و` or `ف`, then `ب`, `ك` or `ل`, then the article `ال`
/// (`لل` for `ل` + `ال`); Hebrew: up to three of `ו ה ב כ ל מ ש`. At least two letters
/// remain.
fn proclitic_starts(shadow: &mut Shadow) {
    let text = shadow.text.as_str();
    let mut found: Vec<u32> = Vec::new();
    let mut prev_word = false;
    for (i, c) in text.char_indices() {
        let word = is_word_char(c);
        if word && !prev_word && matches!(c as u32, 0x05D0..=0x05EA | 0x0620..=0x064A) {
            let letters: Vec<(usize, char)> = text[i..]
                .char_indices()
                .take_while(|&(_, c)| is_word_char(c))
                .take(6)
                .collect();
            let ends = proclitic_ends(&letters);
            for end in ends.into_iter().flatten() {
                if letters.len() >= end + 2 {
                    found.push((i + letters[end].0) as u32);
                }
            }
        }
        prev_word = word;
    }
    if !found.is_empty() {
        found.extend_from_slice(&shadow.starts);
        found.sort_unstable();
        found.dedup();
        shadow.starts = found;
    }
}

/// How many letters each proclitic at the start of `word` spans (up to three ends).
fn proclitic_ends(word: &[(usize, char)]) -> [Option<usize>; 3] {
    let at = |k: usize| word.get(k).map(|&(_, c)| c);
    let mut ends = [None; 3];
    let mut k = 0;
    let mut n = 0;
    let mut push = |end: usize, ends: &mut [Option<usize>; 3]| {
        if n < 3 {
            ends[n] = Some(end);
            n += 1;
        }
    };
    if matches!(at(0), Some('\u{05D0}'..='\u{05EA}')) {
        while k < 3 && matches!(at(k), Some('ו' | 'ה' | 'ב' | 'כ' | 'ל' | 'מ' | 'ש')) {
            k += 1;
            push(k, &mut ends);
        }
        return ends;
    }
    if matches!(at(k), Some('و' | 'ف')) {
        k += 1;
        push(k, &mut ends);
    }
    if at(k) == Some('ل') && at(k + 1) == Some('ل') {
        push(k + 2, &mut ends);
        return ends;
    }
    if matches!(at(k), Some('ب' | 'ك' | 'ل')) {
        k += 1;
        push(k, &mut ends);
    }
    if at(k) == Some('ا') && at(k + 1) == Some('ل') {
        push(k + 2, &mut ends);
    }
    ends
}

/// The article a multi-word phrase may find on each of its words in Arabic (`ال`) and
/// Hebrew (`ה`), as in `الأرباح المضمونة` for `أرباح مضمونة`: its bytes at `at`, if any.
pub fn article_at(text: &str, at: usize) -> usize {
    let rest = &text.as_bytes()[at.min(text.len())..];
    if rest.starts_with("ال".as_bytes()) && rest.len() > 4 + 3 {
        4
    } else if rest.starts_with("ה".as_bytes()) && rest.len() > 2 + 3 {
        2
    } else {
        0
    }
}

/// Normalizes a policy phrase the way [`shadow`] normalizes text, trimming outer spaces.
pub fn phrase(p: &str, profile: Profile) -> String {
    shadow(p, profile).text.trim_matches(' ').to_string()
}

/// True when `c` counts as part of a word for word boundaries: letters, digits and the
/// combining marks that belong to them.
#[inline]
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// True when `c` is part of a word of a script written with spaces (a letter, digit or
/// mark, not of [`is_unspaced_script`]): two such characters side by side are one word, so
/// no word boundary falls between them.
#[inline]
pub fn is_spaced_word_char(c: char) -> bool {
    is_word_char(c) && !is_unspaced_script(c)
}

/// True for scripts written without spaces between words, where a phrase may start and
/// end anywhere: Chinese, Japanese, Thai, Lao, Khmer, Myanmar, Tibetan and others, and
/// Korean (whose spaces the folding drops, see [`Profile::Basic`]).
pub fn is_unspaced_script(c: char) -> bool {
    is_hangul(c)
        || matches!(c as u32,
            0x0E00..=0x0EFF     // Thai, Lao
            | 0x0F00..=0x0FFF   // Tibetan
            | 0x1000..=0x109F   // Myanmar
            | 0x1780..=0x17FF   // Khmer
            | 0x1950..=0x19FF   // Tai Le, New Tai Lue, Khmer symbols
            | 0x1A20..=0x1AAF   // Tai Tham
            | 0x1B00..=0x1B7F   // Balinese
            | 0x2E80..=0x2FDF   // CJK radicals
            | 0x3005..=0x3007   // ideographic iteration mark, closing mark, zero
            | 0x3021..=0x3029   // Hangzhou numerals
            | 0x3031..=0x3035   // kana repeat marks
            | 0x3040..=0x30FF   // Hiragana, Katakana
            | 0x3100..=0x312F   // Bopomofo
            | 0x31A0..=0x31FF   // Bopomofo extended, Katakana phonetic extensions
            | 0x3400..=0x4DBF   // CJK Extension A
            | 0x4E00..=0x9FFF   // CJK Unified Ideographs
            | 0xA000..=0xA4CF   // Yi
            | 0xA980..=0xA9FF   // Javanese, Myanmar extended B
            | 0xAA60..=0xAA7F   // Myanmar extended A
            | 0xF900..=0xFAFF   // CJK Compatibility Ideographs
            | 0xFF66..=0xFF9F   // halfwidth Katakana
            | 0x1B000..=0x1B16F // kana supplement and extensions
            | 0x20000..=0x323AF // CJK Extensions B to H
        )
}

/// Hangul syllables and jamo (the `Unicode` profile decomposes syllables into jamo).
pub fn is_hangul(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x3130..=0x318F | 0xA960..=0xA97F | 0xAC00..=0xD7FF)
}

/// True when `c` continues the character cluster before it, so no match may end right
/// before it: a combining mark (a Thai or Devanagari vowel sign, a Japanese voicing mark
/// kept by the folding) or a Hangul vowel or final consonant (`보자` is not in `보장`).
pub fn continues_cluster(c: char) -> bool {
    matches!(c as u32, 0x1161..=0x11FF | 0xD7B0..=0xD7FF) || is_combining_mark(c)
}

#[cfg(test)]
mod tests;
