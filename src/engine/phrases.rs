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
use crate::normalize::{self, Profile, Shadow};

/// ASCII letters and digits.
const WORD: [bool; 128] = {
    let mut t = [false; 128];
    let mut b = 0;
    while b < 128 {
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
    pairs: Vec<u64>,
    owners: Vec<Vec<Owner>>,
    /// Whether each phrase must be followed by a word boundary (it ends in a letter or
    /// digit of a spaced script). The start needs no flag: the scan only starts at word
    /// starts.
    right_bound: Vec<bool>,
}

#[derive(Default)]
pub struct PhraseSetBuilder {
    phrases: Vec<String>,
    owners: Vec<Vec<Owner>>,
    index: HashMap<String, usize>,
}

impl PhraseSetBuilder {
    pub fn add(&mut self, phrase: &str, profile: Profile, owner: Owner) {
        let norm = if profile == Profile::Cased {
            // Case-sensitive forms keep inner spacing but lose outer spaces.
            normalize::shadow(phrase, profile).text.trim().to_string()
        } else {
            normalize::phrase(phrase, profile)
        };
        if norm.is_empty() {
            return;
        }
        let id = *self.index.entry(norm.clone()).or_insert_with(|| {
            self.phrases.push(norm);
            self.owners.push(Vec::new());
            self.phrases.len() - 1
        });
        self.owners[id].push(owner);
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    pub fn build(self, profile: Profile) -> Result<PhraseSet, Error> {
        let nfa = NFA::builder()
            .match_kind(MatchKind::Standard)
            .build(&self.phrases)
            .map_err(|e| {
                Error::new(
                    ErrorKind::Limit,
                    format!("cannot build the phrase automaton: {e}"),
                )
            })?;
        let right_bound = self
            .phrases
            .iter()
            .map(|p| {
                p.chars().next_back().is_some_and(|c| {
                    normalize::is_word_char(c) && !normalize::is_unspaced_script(c)
                })
            })
            .collect();
        let mut pairs = vec![0u64; 65536 / 64];
        for p in &self.phrases {
            let b = p.as_bytes();
            let (lo, hi) = match b {
                [b0] => (*b0 as usize * 256, *b0 as usize * 256 + 255),
                [b0, b1, ..] => (
                    *b0 as usize * 256 + *b1 as usize,
                    *b0 as usize * 256 + *b1 as usize,
                ),
                [] => continue,
            };
            for bit in lo..=hi {
                pairs[bit / 64] |= 1 << (bit % 64);
            }
        }
        Ok(PhraseSet {
            profile,
            nfa,
            pairs,
            owners: self.owners,
            right_bound,
        })
    }
}

impl PhraseSet {
    /// Distinct phrases in the automaton.
    pub fn len(&self) -> usize {
        self.owners.len()
    }

    pub fn is_empty(&self) -> bool {
        self.owners.is_empty()
    }

    /// Finds every phrase in `shadow` on word boundaries and hands each hit to `emit`
    /// once per owner.
    pub fn scan(&self, shadow: &Shadow, mut emit: impl FnMut(&Owner, Hit)) {
        let text = shadow.text.as_str();
        let bytes = text.as_bytes();
        let Ok(root) = self.nfa.start_state(Anchored::Yes) else {
            return;
        };
        let mut prev_word = false;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                // ASCII: a phrase may start at a non-space after a non-word character.
                let word = WORD[b as usize];
                if !prev_word && b != b' ' {
                    let next = bytes.get(i + 1).copied().unwrap_or(0);
                    let bit = b as usize * 256 + next as usize;
                    if self.pairs[bit / 64] & (1 << (bit % 64)) != 0 {
                        self.walk(text, i, root, &mut emit, shadow);
                    }
                }
                prev_word = word;
                i += 1;
                continue;
            }
            let c = text[i..].chars().next().unwrap_or(' ');
            // Scripts written without spaces may start a phrase anywhere.
            if !prev_word || normalize::is_unspaced_script(c) {
                self.walk(text, i, root, &mut emit, shadow);
            }
            prev_word = normalize::is_word_char(c);
            i += c.len_utf8();
        }
    }

    fn walk(
        &self,
        text: &str,
        at: usize,
        root: aho_corasick::automaton::StateID,
        emit: &mut impl FnMut(&Owner, Hit),
        shadow: &Shadow,
    ) {
        let nfa = &self.nfa;
        let mut sid = root;
        for (k, &b) in text.as_bytes()[at..].iter().enumerate() {
            sid = nfa.next_state(Anchored::Yes, sid, b);
            if nfa.is_dead(sid) {
                return;
            }
            if !nfa.is_match(sid) {
                continue;
            }
            let end = at + k + 1;
            for m in 0..nfa.match_len(sid) {
                let pid = nfa.match_pattern(sid, m);
                // Matches inherited from suffixes start later; each is found from its own start.
                if nfa.pattern_len(pid) != end - at {
                    continue;
                }
                let pid = pid.as_usize();
                if self.right_bound[pid]
                    && text[end..]
                        .chars()
                        .next()
                        .is_some_and(normalize::is_word_char)
                {
                    continue;
                }
                let span = shadow.to_original(at..end);
                for o in &self.owners[pid] {
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
