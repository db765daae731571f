//! Every phrase of a policy, one Aho-Corasick automaton per normalization profile.
//!
//! Phrases from all rules (and their `unless`, `a`/`b`, `when`/`require` lists) are
//! normalized with their rule's profile and deduplicated; each distinct phrase remembers
//! its owners, so one scan of the draft serves every rule.
//!
//! Phrases are word-bounded, so a match can only start where a word starts. Instead of
//! an unanchored scan of every byte, the scan walks the automaton (a contiguous NFA,
//! quick to build) anchored at each word start and stops as soon as no phrase can
//! continue, which is usually after a byte or two. On a 3,000-character post against
//! 5,000 phrases that is about three times faster than an unanchored search, and the
//! automaton builds about four times faster and ten times smaller than a full DFA.

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::automaton::Automaton;
use aho_corasick::nfa::contiguous::NFA;
use aho_corasick::{Anchored, MatchKind};

use crate::error::{Error, ErrorKind};
use crate::normalize::{self, Profile, Shadow, swar};

/// ASCII letters and digits (no byte from 0x80 is one).
const WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    t
};

/// What a phrase is for, within its rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// `phrases`, `swap` keys.
    Main,
    A,
    B,
    When,
    Require,
    Unless,
}

#[derive(Debug, Clone, Copy)]
pub struct Owner {
    pub rule: u32,
    pub role: Role,
    /// Index into the rule's own list for that role.
    pub index: u32,
}

/// A phrase found in the draft, for one owner.
#[derive(Debug, Clone)]
pub struct Hit {
    pub role: Role,
    pub index: u32,
    /// Byte range in the shadow of `profile`.
    pub shadow: Range<usize>,
    /// Byte range in the original draft.
    pub span: Range<usize>,
    pub profile: Profile,
}

pub struct PhraseSet {
    pub profile: Profile,
    nfa: NFA,
    /// Bit `b0 * 256 + b1` is set when some phrase starts with bytes `b0 b1` (or is the
    /// single byte `b0`): a word start whose first two bytes are not set cannot begin a
    /// phrase, so the scan skips it without walking the automaton.
    pairs: Box<[u64; 1024]>,
    /// Bit `b0 * 256 + b1` is set when a phrase is `b0` or `b0 b1`: such a start is
    /// walked whatever the third byte.
    shorts: Box<[u64; 1024]>,
    /// Bit [`trigram`]`(b0, b1, b2)` is set when a phrase starts with those three bytes:
    /// most word starts that pass `pairs` fail here (on the benchmark's post, 101 of 119
    /// walks died at the third byte), and a walk costs far more than a look-up.
    trigrams: Box<[u64; 1024]>,
    /// Per automaton pattern (a phrase, or a stem phrase's first piece), the phrases it
    /// begins.
    variants: Vec<Vec<Variant>>,
    /// The words of the phrases, for masked and stretched words (`Full` profile only).
    lexicon: Option<normalize::Lexicon>,
}

/// A phrase that begins with an automaton pattern.
struct Variant {
    /// The pattern ends with a `*` stem: the match runs on to the end of the word.
    stem: bool,
    /// Pieces that must follow, each starting with its separator (`" rendite"`).
    rest: Vec<Piece>,
    /// Whether the phrase must be followed by a word boundary (it ends in a letter or
    /// digit of a spaced script, and not with a stem). The start needs no flag: the scan
    /// only starts at word starts.
    right_bound: bool,
    owners: Vec<Owner>,
}

#[derive(PartialEq, Eq)]
struct Piece {
    text: String,
    stem: bool,
}

/// Stands for a `*` stem in a phrase while it is normalized: a private-use character,
/// which no folding changes and which is not part of a word.
const STEM: char = '\u{E000}';

/// The phrase with each `*` that ends a word (after a letter or digit, before a space or
/// the end) replaced by [`STEM`].
fn mark_stems(phrase: &str) -> std::borrow::Cow<'_, str> {
    if !phrase.contains('*') {
        return phrase.into();
    }
    let mut out = String::with_capacity(phrase.len());
    let mut prev: Option<char> = None;
    let mut chars = phrase.chars().peekable();
    while let Some(c) = chars.next() {
        let ends_word = chars.peek().is_none_or(|n| n.is_whitespace());
        if c == '*' && ends_word && prev.is_some_and(normalize::is_word_char) {
            out.push(STEM);
        } else {
            out.push(c);
        }
        prev = Some(c);
    }
    out.into()
}

/// The `*` stems of a phrase: for each, the word it ends (as typed, without the `*`).
pub fn stems(phrase: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut word_start = 0;
    let mut prev: Option<char> = None;
    for (i, c) in phrase.char_indices() {
        let ends_word = phrase[i + c.len_utf8()..]
            .chars()
            .next()
            .is_none_or(char::is_whitespace);
        if c == '*' && ends_word && prev.is_some_and(normalize::is_word_char) {
            out.push(&phrase[word_start..i]);
        }
        if c.is_whitespace() {
            word_start = i + c.len_utf8();
        }
        prev = Some(c);
    }
    out
}

/// True when a phrase needs a word boundary after `last`, its last character.
fn needs_boundary(last: Option<char>) -> bool {
    last.is_some_and(normalize::is_spaced_word_char)
}

#[derive(Default)]
pub struct PhraseSetBuilder {
    patterns: Vec<String>,
    variants: Vec<Vec<Variant>>,
    patterns_index: HashMap<String, usize>,
    lexicon: normalize::Lexicon,
}

impl PhraseSetBuilder {
    pub fn add(&mut self, phrase: &str, profile: Profile, owner: Owner) {
        let norm = if profile == Profile::Cased {
            // Case-sensitive forms keep inner spacing but lose outer spaces.
            normalize::shadow(phrase, profile).text.trim().to_string()
        } else {
            normalize::phrase(&mark_stems(phrase), profile)
        };
        let (first, variant) = match norm.split_once(STEM) {
            None => (norm, Variant::plain(Vec::new())),
            Some((first, after)) => (first.to_string(), Variant::with_stems(after)),
        };
        if first.is_empty() {
            return;
        }
        let mut variant = Variant {
            right_bound: needs_boundary(variant.last_char().or(first.chars().next_back()))
                && !variant.ends_with_stem(),
            ..variant
        };
        let p = match self.patterns_index.get(&first) {
            Some(&p) => p,
            None => {
                self.patterns_index
                    .insert(first.clone(), self.patterns.len());
                self.patterns.push(first);
                self.variants.push(Vec::new());
                self.patterns.len() - 1
            }
        };
        if let Some(v) = self.variants[p].iter_mut().find(|v| v.same_as(&variant)) {
            v.owners.push(owner);
            return;
        }
        if profile == Profile::Full {
            let pieces = std::iter::once((self.patterns[p].as_str(), variant.stem))
                .chain(variant.rest.iter().map(|r| (r.text.as_str(), r.stem)));
            for (text, stem) in pieces {
                let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
                for (k, w) in words.iter().enumerate() {
                    self.lexicon.add(w, stem && k + 1 == words.len());
                }
            }
        }
        variant.owners.push(owner);
        self.variants[p].push(variant);
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    pub fn build(self, profile: Profile) -> Result<PhraseSet, Error> {
        let nfa = NFA::builder()
            .match_kind(MatchKind::Standard)
            .build(&self.patterns)
            .map_err(|e| {
                Error::new(
                    ErrorKind::Limit,
                    format!("cannot build the phrase automaton: {e}"),
                )
            })?;
        let mut pairs = Box::new([0u64; 1024]);
        let mut shorts = Box::new([0u64; 1024]);
        let mut trigrams = Box::new([0u64; 1024]);
        let set = |bits: &mut [u64; 1024], bit: usize| bits[bit / 64] |= 1 << (bit % 64);
        for p in &self.patterns {
            let b = p.as_bytes();
            match b {
                [b0] => (0..256).for_each(|b1| set(&mut shorts, *b0 as usize * 256 + b1)),
                [b0, b1] => set(&mut shorts, *b0 as usize * 256 + *b1 as usize),
                [b0, b1, b2, ..] => set(&mut trigrams, trigram(*b0, *b1, *b2)),
                [] => {}
            }
            let (lo, hi) = match b {
                [b0] => (*b0 as usize * 256, *b0 as usize * 256 + 255),
                [b0, b1, ..] => (
                    *b0 as usize * 256 + *b1 as usize,
                    *b0 as usize * 256 + *b1 as usize,
                ),
                [] => continue,
            };
            for bit in lo..=hi {
                set(&mut pairs, bit);
            }
        }
        let mut lexicon = self.lexicon;
        lexicon.finish();
        let lexicon = (profile == Profile::Full && !lexicon.is_empty()).then_some(lexicon);
        Ok(PhraseSet {
            profile,
            nfa,
            pairs,
            shorts,
            trigrams,
            variants: self.variants,
            lexicon,
        })
    }
}

/// The bit of `PhraseSet::trigrams` for a phrase that starts with `b0 b1 b2`.
#[inline(always)]
fn trigram(b0: u8, b1: u8, b2: u8) -> usize {
    let v = u32::from(b0) << 16 | u32::from(b1) << 8 | u32::from(b2);
    (v.wrapping_mul(0x9E37_79B1) >> 16) as usize
}

/// Whether the character at byte `at` of `text` (if any) forbids a match ending there:
/// a letter or digit of a spaced script when the phrase needs a boundary, and always a
/// mark or Hangul letter that continues the character before it.
#[inline]
fn glued(shadow: &Shadow, at: usize, needs_bound: bool) -> bool {
    let text = shadow.text.as_str();
    let glued = match text.as_bytes().get(at) {
        None => return false,
        Some(&b) if b < 0x80 => needs_bound && WORD[b as usize],
        Some(_) => text[at..].chars().next().is_some_and(|c| {
            normalize::continues_cluster(c) || (needs_bound && normalize::is_spaced_word_char(c))
        }),
    };
    // A word may end before a Turkish suffix's apostrophe (`İstanbul'da`).
    glued && !shadow.is_soft_end(at)
}

/// The end of the word that continues at byte `at` (a `*` stem's match runs to it).
fn word_end(text: &str, mut at: usize) -> usize {
    while let Some(c) = text[at..].chars().next() {
        if !normalize::is_spaced_word_char(c) {
            break;
        }
        at += c.len_utf8();
    }
    at
}

impl PhraseSet {
    /// Distinct phrases in the automaton.
    pub fn len(&self) -> usize {
        self.variants.iter().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.variants.is_empty()
    }

    /// The words of the phrases, for reading masked and stretched words (`Full` only).
    pub fn lexicon(&self) -> Option<&normalize::Lexicon> {
        self.lexicon.as_ref()
    }

    /// Whether a phrase may start at byte `at` of `bytes` (see `pairs`, and with `third`
    /// `shorts` and `trigrams`; not when the text has Arabic or Hebrew, where a walk may
    /// skip an article after a space). Arrays, not `Vec`s: the size-tuned wasm build
    /// calls a function for each `Vec` index.
    #[inline(always)]
    fn may_start(&self, bytes: &[u8], at: usize, third: bool) -> bool {
        let b0 = bytes[at];
        let b1 = bytes.get(at + 1).copied().unwrap_or(0);
        let pair = usize::from(b0) << 8 | usize::from(b1);
        let bit = |bits: &[u64; 1024], bit: usize| bits[bit >> 6] >> (bit & 63) & 1 != 0;
        if !bit(&self.pairs, pair) {
            return false;
        }
        if !third || bit(&self.shorts, pair) {
            return true;
        }
        let b2 = bytes.get(at + 2).copied().unwrap_or(0);
        bit(&self.trigrams, trigram(b0, b1, b2))
    }

    /// Finds every phrase in `shadow` on word boundaries and hands each hit to `emit`
    /// once per owner.
    pub fn scan(&self, shadow: &Shadow, emit: impl FnMut(&Owner, Hit)) {
        self.scan_with(shadow, emit, swar::enabled());
    }

    /// [`PhraseSet::scan`], with or without the eight-bytes-at-once path (the tests
    /// compare both).
    #[cfg_attr(draftguard_hot, optimize(speed))]
    fn scan_with(&self, shadow: &Shadow, mut emit: impl FnMut(&Owner, Hit), chunks: bool) {
        let text = shadow.text.as_str();
        let bytes = text.as_bytes();
        let Ok(root) = self.nfa.start_state(Anchored::Yes) else {
            return;
        };
        // Between two soft word starts (after an elision's apostrophe) the scan runs
        // without looking for them; each one begins a word.
        let mut soft = shadow.soft_starts().iter().map(|&s| s as usize);
        let articles = shadow.has_articles();
        // The trigram filter is a fast path too: the byte loop alone does without it.
        let third = chunks && !articles;
        let mut prev_word = false;
        let mut i = 0;
        while i < bytes.len() {
            let stop = soft.next().unwrap_or(bytes.len()).min(bytes.len());
            while i < stop {
                // Eight ASCII bytes at once: a phrase may start only at a non-space
                // that follows a non-word byte, as in the byte loop below.
                if chunks
                    && i + 8 <= stop
                    && let Some(w) = swar::load(&bytes[i..i + 8]).filter(|w| w & swar::HIGH == 0)
                {
                    let letters = swar::alnum(w);
                    let mut starts = swar::HIGH
                        & !swar::eq(w, b' ')
                        & !((letters << 8) | u64::from(prev_word) << 7);
                    while starts != 0 {
                        let at = i + swar::first(starts);
                        starts &= starts - 1;
                        if self.may_start(bytes, at, third) {
                            self.walk(text, at, root, &mut emit, shadow, articles);
                        }
                    }
                    prev_word = letters >> 63 != 0;
                    i += 8;
                    continue;
                }
                let b = bytes[i];
                if b < 0x80 {
                    // ASCII: a phrase may start at a non-space after a non-word character.
                    let word = WORD[b as usize];
                    if !prev_word && b != b' ' && self.may_start(bytes, i, third) {
                        self.walk(text, i, root, &mut emit, shadow, articles);
                    }
                    prev_word = word;
                    i += 1;
                    if word {
                        // The rest of an ASCII word cannot start a phrase.
                        while i < stop && WORD[bytes[i] as usize] {
                            i += 1;
                        }
                    }
                    continue;
                }
                let c = text[i..].chars().next().unwrap_or(' ');
                let unspaced = normalize::is_unspaced_script(c);
                // Scripts written without spaces may start a phrase anywhere.
                if !prev_word || unspaced {
                    self.walk(text, i, root, &mut emit, shadow, articles);
                }
                prev_word = !unspaced && normalize::is_word_char(c);
                i += c.len_utf8();
            }
            prev_word = false;
        }
    }

    #[inline]
    fn walk(
        &self,
        text: &str,
        at: usize,
        root: aho_corasick::automaton::StateID,
        emit: &mut impl FnMut(&Owner, Hit),
        shadow: &Shadow,
        articles: bool,
    ) {
        if articles {
            self.walk_from::<true>(text, at, at, root, emit, shadow, 0);
        } else {
            self.walk_from::<false>(text, at, at, root, emit, shadow, 0);
        }
    }

    /// Walks the automaton from state `sid` at byte `from` for a match that started at
    /// `at`. After a space, an Arabic or Hebrew article on the next word may be skipped
    /// (`skipped` counts the bytes skipped so far, at most four articles).
    #[allow(clippy::too_many_arguments)]
    #[cfg_attr(draftguard_hot, optimize(speed))]
    fn walk_from<const ARTICLES: bool>(
        &self,
        text: &str,
        at: usize,
        from: usize,
        mut sid: aho_corasick::automaton::StateID,
        emit: &mut impl FnMut(&Owner, Hit),
        shadow: &Shadow,
        skipped: usize,
    ) {
        let nfa = &self.nfa;
        for (k, &b) in text.as_bytes()[from..].iter().enumerate() {
            sid = nfa.next_state(Anchored::Yes, sid, b);
            if nfa.is_dead(sid) {
                return;
            }
            let end = from + k + 1;
            // Arabic and Hebrew letters begin with 0xD8 to 0xDB and 0xD7.
            if ARTICLES
                && b == b' '
                && skipped < 16
                && matches!(text.as_bytes().get(end), Some(0xD7 | 0xD8))
            {
                let skip = normalize::article_at(text, end);
                if skip > 0 {
                    self.walk_from::<true>(text, at, end + skip, sid, emit, shadow, skipped + skip);
                }
            }
            if !nfa.is_match(sid) {
                continue;
            }
            for m in 0..nfa.match_len(sid) {
                let pid = nfa.match_pattern(sid, m);
                // Matches inherited from suffixes start later; each is found from its own
                // start (patterns are never shorter than what the walk read past skips).
                if nfa.pattern_len(pid) + skipped != end - at {
                    continue;
                }
                for v in &self.variants[pid.as_usize()] {
                    let Some(end) = v.end(shadow, end) else {
                        continue;
                    };
                    let span = shadow.to_original(at..end);
                    for o in &v.owners {
                        emit(
                            o,
                            Hit {
                                role: o.role,
                                index: o.index,
                                shadow: at..end,
                                span: span.clone(),
                                profile: self.profile,
                            },
                        );
                    }
                }
            }
        }
    }
}

impl Variant {
    fn plain(owners: Vec<Owner>) -> Variant {
        Variant {
            stem: false,
            rest: Vec::new(),
            right_bound: false,
            owners,
        }
    }

    /// The variant for what follows a stem: pieces separated by further stems (`after`
    /// is the normalized phrase after the first one).
    fn with_stems(after: &str) -> Variant {
        let mut rest: Vec<Piece> = after
            .split(STEM)
            .map(|t| Piece {
                text: t.to_string(),
                stem: true,
            })
            .collect();
        // Every piece but the last ends with a stem; the last one is empty if the phrase
        // ends with one.
        if let Some(last) = rest.pop()
            && !last.text.is_empty()
        {
            rest.push(Piece {
                text: last.text,
                stem: false,
            });
        }
        Variant {
            stem: true,
            rest,
            right_bound: false,
            owners: Vec::new(),
        }
    }

    fn last_char(&self) -> Option<char> {
        self.rest.last().and_then(|p| p.text.chars().next_back())
    }

    fn ends_with_stem(&self) -> bool {
        self.rest.last().map_or(self.stem, |p| p.stem)
    }

    fn same_as(&self, other: &Variant) -> bool {
        self.stem == other.stem && self.rest == other.rest
    }

    /// Where the phrase ends if its first piece ends at `end`, or `None`.
    #[inline]
    fn end(&self, shadow: &Shadow, end: usize) -> Option<usize> {
        let text = shadow.text.as_str();
        if self.rest.is_empty() && !self.stem {
            return (!glued(shadow, end, self.right_bound)).then_some(end);
        }
        // Only a stem is followed by more pieces.
        let mut at = word_end(text, end);
        for piece in &self.rest {
            if !text[at..].starts_with(piece.text.as_str()) {
                return None;
            }
            at += piece.text.len();
            if piece.stem {
                at = word_end(text, at);
            }
        }
        (!glued(shadow, at, self.right_bound)).then_some(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owner(i: usize) -> Owner {
        Owner {
            rule: 0,
            role: Role::Main,
            index: i as u32,
        }
    }

    /// Random ASCII-heavy texts: scanning eight bytes at a time finds exactly the hits of
    /// the byte loop, in the same order, in every profile.
    #[test]
    fn eight_bytes_at_once_scan_as_one_by_one() {
        let phrases = [
            "risk free",
            "guaranteed returns",
            "ka",
            "lo mer",
            "(212)",
            "#acme",
            "@jane",
            "a b",
            "555 0187",
            "bit.ly",
            "Main Street",
            "invest*",
            "caf\u{e9}",
            "x",
            "q.e.d",
            "\u{623}\u{631}\u{628}\u{627}\u{62d} \u{645}\u{636}\u{645}\u{648}\u{646}\u{629}",
            // An article may be skipped right after the space: `y المال`.
            "y \u{645}\u{627}\u{644}",
        ];
        let words = [
            "risk",
            "free",
            "Risk",
            "guaranteed",
            "returns",
            "ka",
            "kalo",
            "lo",
            "mer",
            "(212)",
            "#acme",
            "@jane",
            "a",
            "b",
            "555",
            "0187",
            "bit.ly",
            "Main",
            "Street",
            "investing",
            "caf\u{e9}",
            "x",
            "q.e.d",
            "r1sk",
            "f*ck",
            "the",
            "Honest",
            "\u{2014}",
            "tab\t",
            "\u{627}\u{644}\u{623}\u{631}\u{628}\u{627}\u{62d}",
            "\u{627}\u{644}\u{645}\u{636}\u{645}\u{648}\u{646}\u{629}",
            "\u{627}\u{644}\u{645}\u{627}\u{644}",
            "y",
        ];
        let seps = [
            " ", " ", " ", ", ", ". ", "-", "  ", "\n", ": ", "(", ")", "!", "'",
        ];
        let profiles = [
            Profile::Cased,
            Profile::Basic,
            Profile::Unicode,
            Profile::Full,
        ];
        let sets: Vec<PhraseSet> = profiles
            .iter()
            .map(|&p| {
                let mut b = PhraseSetBuilder::default();
                for (i, ph) in phrases.iter().enumerate() {
                    b.add(ph, p, owner(i));
                }
                b.build(p).unwrap()
            })
            .collect();
        let mut rng = crate::xorshift::Xorshift::new(0x9e37_79b9_7f4a_7c15);
        let mut found = 0;
        for _ in 0..5_000 {
            let text = rng.text(40, &[&words, &seps]);
            for set in &sets {
                let shadow = normalize::shadow_with(&text, set.profile, set.lexicon());
                let collect = |chunks: bool| {
                    let mut out = Vec::new();
                    set.scan_with(
                        &shadow,
                        |o, h| out.push((o.index, h.index, h.shadow, h.span)),
                        chunks,
                    );
                    out
                };
                let fast = collect(true);
                assert_eq!(fast, collect(false), "{text:?} {:?}", set.profile);
                found += fast.len();
            }
        }
        // The texts do hold phrases (the test compares something).
        assert!(found > 10_000, "{found}");
    }
}
