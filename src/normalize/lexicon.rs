//! The words of a policy's phrases, so that a masked or stretched word in a draft can be
//! read as the phrase word it disguises.
//!
//! Content filters meet two disguises daily that no per-character folding can undo:
//! letters masked by `*`, `#`, `_`, `.` or `-` inside a word (`f*ck`, `f**king`, `sh#t`,
//! `f--k`), and letters typed many times (`fuuuuck`, `scaaaam`, `guaranteeeed`). Both are
//! ambiguous on their own (`c*t` could be `cat`, `cot` or `cut`; `cooool` is `cool`), so
//! the `Full` profile reads such a word only as a word of the policy's own phrases, and
//! only under these rules:
//!
//! - a mask is one to four of `* # . - _` between two letters, and each masked character
//!   stands for exactly one letter (`f**k` is four letters), so a footnote mark at a
//!   word's end (`returns*`) or a bullet before it is never a mask;
//! - a masked word shows at least two letters, at least as many letters as masks, and is
//!   at least four characters long, so formulas and search wildcards (`A*B`, `c*t`) are
//!   not read as words;
//! - a letter typed three times or more stands for that letter once, twice, or as often
//!   as typed (`guaranteeeed` for `guaranteed`, `scaaaam` for `scam`); typed once or
//!   twice it stands for itself (`Moo` is not `mo`, `cool` is not `col`);
//! - a word that fits several phrase words is read as a whole word before a `*` stem,
//!   then as the longest;
//! - only a word that stands alone is read: letters glued to digits (`zzzz9000`, a code
//!   name a phrase may hold as typed) stay as they are.
//!
//! The word is then rewritten in the shadow as the phrase word, each letter mapped back
//! to what was typed for it, so every rule kind, boundary and span works unchanged.

use std::ops::Range;

use super::{Edit, Shadow, is_unspaced_script};

/// The words of a policy's `Full`-profile phrases.
#[derive(Debug, Default)]
pub struct Lexicon {
    /// The letters of every word, end to end.
    chars: Vec<char>,
    /// Each word: where its letters are in `chars`, and whether it is a stem. Sorted and
    /// without duplicates after [`Lexicon::finish`].
    words: Vec<(u32, u32, bool)>,
    /// Whole words by (length, first letter, last letter) packed in a `u64`, sorted, for
    /// masked words.
    by_shape: Vec<(u64, u32)>,
    /// Whole words by a hash of their squeezed form (every run of a letter as one),
    /// sorted, for stretched words.
    by_squeeze: Vec<(u64, u32)>,
    stems: Vec<u32>,
}

fn shape(len: usize, first: char, last: char) -> u64 {
    (len.min(0xFFFF) as u64) << 42 | (first as u64) << 21 | last as u64
}

/// A hash (FNV-1a) of the letters with every run of a repeated letter as one
/// (`guaranteed` and `guaranteeeed` both hash `guaranted`).
fn squeezed(chars: impl Iterator<Item = char>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut last = None;
    for c in chars {
        if last != Some(c) {
            h = (h ^ c as u64).wrapping_mul(0x0100_0000_01b3);
        }
        last = Some(c);
    }
    h
}

/// Every run of a repeated letter as one (`guaranteed` → `guaranted`).
fn squeeze(chars: impl Iterator<Item = char>) -> String {
    let mut out = String::new();
    for c in chars {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// The ids of `key` in a sorted (key, id) list.
fn lookup(list: &[(u64, u32)], key: u64) -> impl Iterator<Item = u32> + '_ {
    let at = list.partition_point(|&(k, _)| k < key);
    list[at..]
        .iter()
        .take_while(move |&&(k, _)| k == key)
        .map(|&(_, id)| id)
}

impl Lexicon {
    pub fn new() -> Lexicon {
        Lexicon::default()
    }

    /// Adds a word of a normalized phrase; `stem` when the phrase ends it with `*`. Words
    /// with anything but letters, and one-letter words, are left out.
    pub fn add(&mut self, word: &str, stem: bool) {
        if word.chars().nth(1).is_some() && word.chars().all(is_word_letter) {
            let start = self.chars.len() as u32;
            self.chars.extend(word.chars());
            self.words.push((start, self.chars.len() as u32, stem));
        }
    }

    fn word(&self, id: u32) -> &[char] {
        let (start, end, _) = self.words[id as usize];
        &self.chars[start as usize..end as usize]
    }

    /// Indexes the words added (each distinct word once).
    pub fn finish(&mut self) {
        let mut shapes: Vec<(u64, u32)> = Vec::with_capacity(self.words.len());
        for id in 0..self.words.len() as u32 {
            let word = self.word(id);
            if self.words[id as usize].2 {
                if !self.stems.iter().any(|&s| self.word(s) == word) {
                    self.stems.push(id);
                }
            } else {
                shapes.push((shape(word.len(), word[0], word[word.len() - 1]), id));
            }
        }
        shapes.sort_unstable_by_key(|&(k, _)| k);
        // Duplicates have the same shape, so they are neighbours or close.
        for (k, &(key, id)) in shapes.iter().enumerate() {
            let word = self.word(id);
            let twin = shapes[..k]
                .iter()
                .rev()
                .take_while(|&&(other, _)| other == key)
                .any(|&(_, other)| self.word(other) == word);
            if !twin {
                let sq = squeezed(word.iter().copied());
                self.by_shape.push((key, id));
                self.by_squeeze.push((sq, id));
            }
        }
        self.by_squeeze.sort_unstable_by_key(|&(k, _)| k);
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Distinct words and stems.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether `letters` spell a whole word of the lexicon, or begin with a stem.
    pub(super) fn reads(&self, letters: &[char]) -> bool {
        self.reads_whole(letters)
            || self
                .stems
                .iter()
                .any(|&id| letters.starts_with(self.word(id)))
    }

    /// Whether `letters` spell a whole word of the lexicon.
    pub(super) fn reads_whole(&self, letters: &[char]) -> bool {
        let (Some(&first), Some(&last)) = (letters.first(), letters.last()) else {
            return false;
        };
        self.shaped(letters.len(), first, last)
            .any(|id| self.word(id) == letters)
    }

    /// Whole words of the shape (length, first, last letter).
    fn shaped(&self, len: usize, first: char, last: char) -> impl Iterator<Item = u32> + '_ {
        lookup(&self.by_shape, shape(len, first, last))
    }

    /// Of the candidate words that `fit` accepts, the best: whole words before stems,
    /// then the longest, then the first in alphabetical order.
    fn best<'a, T>(
        &'a self,
        candidates: impl Iterator<Item = u32>,
        mut fit: impl FnMut(&'a [char], bool) -> Option<T>,
    ) -> Option<(&'a [char], T)> {
        let mut best: Option<(&[char], bool, T)> = None;
        for id in candidates {
            let (word, stem) = (self.word(id), self.words[id as usize].2);
            let rank = |w: &'a [char], s: bool| (!s, w.len(), std::cmp::Reverse(w));
            let better = best
                .as_ref()
                .is_none_or(|(w, s, _)| rank(word, stem) > rank(w, *s));
            if better && let Some(t) = fit(word, stem) {
                best = Some((word, stem, t));
            }
        }
        best.map(|(w, _, t)| (w, t))
    }
}

/// A piece of a word in the shadow: a letter, or a mask standing for as many letters as
/// original characters were typed for it (`typed`).
#[derive(Debug)]
enum Unit {
    Letter {
        c: char,
        at: Range<usize>,
    },
    Mask {
        at: Range<usize>,
        typed: Range<usize>,
        n: usize,
    },
}

impl Unit {
    fn at(&self) -> &Range<usize> {
        match self {
            Unit::Letter { at, .. } | Unit::Mask { at, .. } => at,
        }
    }
}

/// Most characters in one mask.
const MAX_MASK: usize = 4;

fn is_mask_char(c: char) -> bool {
    matches!(c, '*' | '#' | '.')
}

/// Characters that may be typed for a masked letter.
fn is_typed_mask(c: char) -> bool {
    matches!(
        c,
        '*' | '#' | '.' | '-' | '_' | '＊' | '＃' | '．' | '－' | '＿'
    )
}

/// Rewrites the masked and stretched words around the shadow offsets `spots` (sorted)
/// and the hyphens the folding recorded as the lexicon words they disguise.
pub(super) fn resolve(shadow: Shadow, original: &str, lex: &Lexicon, spots: &[usize]) -> Shadow {
    let mut edits = Vec::new();
    let mut units = Vec::new();
    let mut done = 0;
    let (mut a, mut b) = (spots.iter().peekable(), shadow.hyphens.iter().peekable());
    loop {
        let p = match (a.peek(), b.peek()) {
            (Some(&&x), Some(&&y)) if x <= y as usize => a.next().copied(),
            (Some(_), Some(_)) | (None, Some(_)) => b.next().map(|&y| y as usize),
            (Some(_), None) => a.next().copied(),
            (None, None) => None,
        };
        let Some(p) = p else { break };
        if p < done {
            continue;
        }
        if quick_reject(&shadow, p, lex) {
            continue;
        }
        let start = word_start(&shadow, p, done);
        let end = parse(&shadow, original, start, &mut units);
        let here = shadow.text[p..].chars().next().map_or(1, char::len_utf8);
        done = end.max(p + here);
        if whole(&shadow, &units)
            && let Some(e) = read(&units, lex, &shadow, original)
        {
            edits.push(e);
        }
    }
    debug_assert!(edits.windows(2).all(|w| w[0].at.end <= w[1].at.start));
    if edits.is_empty() {
        shadow
    } else {
        shadow.rewrite(&edits)
    }
}

/// A cheap look at an ASCII word masked with `*`, `#` or `.` around shadow offset `p`:
/// true when no lexicon word can have its shape (length, first and last letter), so the
/// word need not be parsed. Anything else (hyphens, letters outside ASCII, stretched
/// letters) is left to [`parse`].
fn quick_reject(shadow: &Shadow, p: usize, lex: &Lexicon) -> bool {
    let bytes = shadow.text.as_bytes();
    if !bytes.get(p).is_some_and(|&b| is_mask_char(b as char)) || !lex.stems.is_empty() {
        return false;
    }
    let part = |b: u8| b.is_ascii_lowercase() || is_mask_char(b as char);
    let start = bytes[..p]
        .iter()
        .rposition(|&b| !part(b))
        .map_or(0, |k| k + 1);
    let end = p + bytes[p..]
        .iter()
        .position(|&b| !part(b))
        .unwrap_or(bytes.len() - p);
    let open = |i: usize| bytes[i] >= 0x80 || (bytes[i] == b' ' && shadow.is_hyphen(i));
    if (end < bytes.len() && open(end)) || (start > 0 && open(start - 1)) {
        // A hyphen or a letter outside ASCII may continue the word.
        return false;
    }
    let word = &bytes[start..end];
    let (Some(&first), Some(&last)) = (
        word.iter().find(|b| b.is_ascii_lowercase()),
        word.iter().rev().find(|b| b.is_ascii_lowercase()),
    ) else {
        return true;
    };
    let first_at = word.iter().position(|&b| b == first).unwrap_or(0);
    let last_at = word.iter().rposition(|&b| b == last).unwrap_or(0);
    let len = last_at + 1 - first_at;
    let letters = word[first_at..=last_at]
        .iter()
        .filter(|b| b.is_ascii_lowercase())
        .count();
    let masks = len - letters;
    letters < 2
        || len < 4
        || masks > letters
        || lex
            .shaped(len, first as char, last as char)
            .next()
            .is_none()
}

/// Where the word around shadow offset `p` starts: back over letters, mask characters
/// and hyphens, but not before `floor` (where the last word read ended).
fn word_start(shadow: &Shadow, p: usize, floor: usize) -> usize {
    let text = shadow.text.as_str();
    let mut i = p.min(text.len());
    while let Some(c) = text[floor.min(i)..i].chars().next_back() {
        let j = i - c.len_utf8();
        if is_word_letter(c) || is_mask_char(c) || (c == ' ' && shadow.is_hyphen(j)) {
            i = j;
        } else {
            break;
        }
    }
    i
}

/// Fills `units` with the word starting at or after `start` (leading mask characters are
/// not part of it); returns where it ends.
fn parse(shadow: &Shadow, original: &str, start: usize, units: &mut Vec<Unit>) -> usize {
    units.clear();
    let text = shadow.text.as_str();
    let mut i = start;
    while let Some(c) = text[i..].chars().next().filter(|&c| !is_word_letter(c)) {
        if !(is_mask_char(c) || c == ' ') {
            return i;
        }
        i += c.len_utf8();
    }
    while let Some(c) = text[i..].chars().next() {
        if is_word_letter(c) {
            units.push(Unit::Letter {
                c,
                at: i..i + c.len_utf8(),
            });
            i += c.len_utf8();
            continue;
        }
        let gap_end = if c == ' ' && shadow.is_hyphen(i) {
            i + 1
        } else {
            i + text[i..]
                .bytes()
                .take_while(|&b| is_mask_char(b as char))
                .count()
        };
        let next_is_letter = text[gap_end..].chars().next().is_some_and(is_word_letter);
        if gap_end == i || !next_is_letter || i == 0 {
            break;
        }
        // What was typed between the letters on either side.
        let from = shadow.map.end_of(i - 1);
        let to = shadow.map.start_of(gap_end);
        let typed = original.get(from..to).unwrap_or("");
        let n = typed.chars().count();
        if !(1..=MAX_MASK).contains(&n) || !typed.chars().all(is_typed_mask) {
            break;
        }
        units.push(Unit::Mask {
            at: i..gap_end,
            typed: from..to,
            n,
        });
        i = gap_end;
    }
    i
}

/// Whether the letters and masks in `units` are a whole word: no digit (or other letter
/// or mark of a spaced script) right before or after them. The letters of `abc555557`
/// or `2024scaaam` are not a word of their own to read as a lexicon word: rewriting them
/// would lose a phrase that holds the whole word as typed.
fn whole(shadow: &Shadow, units: &[Unit]) -> bool {
    let (Some(first), Some(last)) = (units.first(), units.last()) else {
        return false;
    };
    let text = shadow.text.as_str();
    let glued = super::is_spaced_word_char;
    !text[..first.at().start]
        .chars()
        .next_back()
        .is_some_and(glued)
        && !text[last.at().end..].chars().next().is_some_and(glued)
}

/// The lexicon word a masked or stretched word stands for, as an edit of the shadow.
fn read(units: &[Unit], lex: &Lexicon, shadow: &Shadow, original: &str) -> Option<Edit> {
    let (mut letters, mut masks, mut stretched) = (0usize, 0usize, false);
    let mut run = (' ', 0);
    for u in units {
        match u {
            Unit::Letter { c, .. } => {
                letters += 1;
                run = if run.0 == *c {
                    (*c, run.1 + 1)
                } else {
                    (*c, 1)
                };
                stretched |= run.1 >= 3;
            }
            Unit::Mask { n, .. } => {
                masks += n;
                run = (' ', 0);
            }
        }
    }
    match (masks > 0, stretched) {
        (true, false) => masked(units, letters, masks, lex, shadow, original),
        (false, true) => stretched_word(units, lex, shadow),
        _ => None,
    }
}

/// A word with masks (`f*ck`): each mask character stands for exactly one letter.
fn masked(
    units: &[Unit],
    letters: usize,
    masks: usize,
    lex: &Lexicon,
    shadow: &Shadow,
    original: &str,
) -> Option<Edit> {
    let len = letters + masks;
    if letters < 2 || len < 4 || masks > letters {
        return None;
    }
    let (Some(Unit::Letter { c: first, .. }), Some(Unit::Letter { c: last, .. })) =
        (units.first(), units.last())
    else {
        return None;
    };
    let mut whole = lex.shaped(len, *first, *last).peekable();
    if whole.peek().is_none() && lex.stems.is_empty() {
        return None;
    }
    // How many units the word accounts for, if it fits: each letter typed is itself, each
    // masked character any letter; a stem ends between units.
    let fits = |word: &[char], stem: bool| -> Option<usize> {
        let (mut wi, mut masked_any) = (0, false);
        for (k, u) in units.iter().enumerate() {
            if stem && wi == word.len() {
                return masked_any.then_some(k);
            }
            match u {
                Unit::Letter { c, .. } => {
                    if word.get(wi) != Some(c) {
                        return None;
                    }
                    wi += 1;
                }
                Unit::Mask { n, .. } => {
                    let masked = word.get(wi..wi + n)?;
                    if !masked.iter().all(|w| w.is_alphabetic()) {
                        return None;
                    }
                    wi += n;
                    masked_any = true;
                }
            }
        }
        (wi == word.len() && masked_any).then_some(units.len())
    };
    let (word, used) = lex.best(whole.chain(lex.stems.iter().copied()), fits)?;
    let mut origins = Vec::with_capacity(word.len());
    for u in &units[..used] {
        match u {
            Unit::Letter { at, .. } => origins.push(shadow.map.to_original(at.clone())),
            Unit::Mask { typed, .. } => origins.extend(
                original[typed.clone()]
                    .char_indices()
                    .map(|(o, ch)| typed.start + o..typed.start + o + ch.len_utf8()),
            ),
        }
    }
    Some(Edit {
        at: units[0].at().start..units[used - 1].at().end,
        text: word.iter().collect(),
        origins,
    })
}

/// A word with a letter typed three times or more (`scaaaam`).
fn stretched_word(units: &[Unit], lex: &Lexicon, shadow: &Shadow) -> Option<Edit> {
    // Runs of one letter: (letter, first unit, units).
    let mut groups: Vec<(char, usize, usize)> = Vec::new();
    for (k, u) in units.iter().enumerate() {
        if let Unit::Letter { c, .. } = u {
            match groups.last_mut() {
                Some((g, _, n)) if *g == *c => *n += 1,
                _ => groups.push((*c, k, 1)),
            }
        }
    }
    // Each lexicon letter is assigned to a group of typed letters: a group of one or two
    // stands for exactly that many, a group of three or more for up to as many.
    let fits = |word: &[char], stem: bool| -> Option<(Vec<usize>, usize)> {
        let mut assigned = Vec::with_capacity(word.len());
        let (mut li, mut gi) = (0, 0);
        while li < word.len() {
            let &(c, _, k) = groups.get(gi)?;
            let m = word[li..].iter().take_while(|&&w| w == c).count();
            let take = if k >= 3 { m.min(k) } else { k };
            if m == 0 || m != take {
                return None;
            }
            assigned.extend(std::iter::repeat_n(gi, take));
            li += take;
            gi += 1;
        }
        (stem || gi == groups.len()).then_some((assigned, gi))
    };
    // Neighbouring groups have different letters: this is the squeezed word.
    let key: String = groups.iter().map(|g| g.0).collect();
    let whole = lookup(&lex.by_squeeze, squeezed(key.chars()));
    let stems = lex
        .stems
        .iter()
        .copied()
        .filter(|&id| key.starts_with(&squeeze(lex.word(id).iter().copied())));
    let (word, (assigned, used)) = lex.best(whole.chain(stems), fits)?;
    let origin = |k: usize| shadow.map.to_original(units[k].at().clone());
    let group_origin = |gi: usize, nth: usize| {
        let (_, first, k) = groups[gi];
        if k >= 3 {
            origin(first).start..origin(first + k - 1).end
        } else {
            origin(first + nth)
        }
    };
    let mut origins = Vec::with_capacity(word.len());
    let mut nth = 0;
    for (i, &gi) in assigned.iter().enumerate() {
        nth = if i > 0 && assigned[i - 1] == gi {
            nth + 1
        } else {
            0
        };
        origins.push(group_origin(gi, nth));
    }
    let (_, first, k) = groups[used - 1];
    Some(Edit {
        at: units[0].at().start..units[first + k - 1].at().end,
        text: word.iter().collect(),
        origins,
    })
}

/// Whether `c` can be part of a masked or stretched word.
#[inline]
pub(super) fn is_word_letter(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    c.is_alphabetic() && !is_unspaced_script(c)
}
