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

mod chars;
mod classes;
mod map;
mod tokens;

pub use map::OffsetMap;

use std::ops::Range;

pub use classes::is_invisible;

/// How much of the draft's spelling a shadow forgets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Profile {
    /// Case preserved. NFKC compatibility forms folded (fullwidth `Ａ` is `A`), invisible
    /// characters dropped, every kind of space becomes U+0020, curly apostrophes become
    /// `'`. Used by `swap` rules, `pattern` rules and detectors.
    Cased,
    /// Lower-cased; runs of spaces, hyphens, dashes and underscores become one space;
    /// apostrophes dropped (`can't` = `cant`); invisible characters dropped. Nothing else.
    Basic,
    /// `Basic` plus NFKD with diacritics removed (`é` is `e`) and non-ASCII look-alikes
    /// folded with the Unicode TR39 confusables table (Cyrillic `а` is `a`).
    Unicode,
    /// `Unicode` plus leetspeak (`r1sk` is `risk`, `gu@ranteed` is `guaranteed`) and
    /// letters spaced out with separators joined (`g-u-a-r-a-n-t-e-e-d`).
    Full,
}

/// A normalized copy of a text plus the map back to the original.
#[derive(Debug, Clone, Default)]
pub struct Shadow {
    /// The normalized text.
    pub text: String,
    pub(crate) map: OffsetMap,
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

    /// A shadow that is the original text unchanged.
    fn identity(text: &str) -> Shadow {
        Shadow {
            text: text.to_string(),
            map: OffsetMap::identity(text.len()),
        }
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
    let base = match profile {
        Profile::Cased => return chars::cased(text),
        Profile::Basic => chars::folded(text, false),
        Profile::Unicode | Profile::Full => chars::folded(text, true),
    };
    if profile == Profile::Full {
        tokens::full(base)
    } else {
        base
    }
}

/// Normalizes a policy phrase the way [`shadow`] normalizes text, trimming outer spaces.
pub fn phrase(p: &str, profile: Profile) -> String {
    shadow(p, profile).text.trim_matches(' ').to_string()
}

/// True when `c` counts as part of a word for word boundaries.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// True for scripts written without spaces, where word boundaries do not apply.
pub fn is_unspaced_script(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF   // Hiragana, Katakana
        | 0x3400..=0x4DBF // CJK Extension A
        | 0x4E00..=0x9FFF // CJK Unified Ideographs
        | 0xF900..=0xFAFF // CJK Compatibility Ideographs
        | 0x0E00..=0x0E7F // Thai
        | 0xAC00..=0xD7AF // Hangul syllables (spaced, but often compounded)
    )
}

#[cfg(test)]
mod tests;
