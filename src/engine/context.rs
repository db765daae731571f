//! Everything a check computes at most once per draft, on demand: shadows per profile,
//! word positions, detector results, links.

use std::cell::OnceCell;
use std::ops::Range;

use crate::date::Date;
use crate::detectors::links::{self, Link};
use crate::detectors::{DetectorKind, Marks};
use crate::engine::lazy_regex::LazyRegex;
use crate::normalize::{self, Lexicon, Profile, Shadow};
use crate::policy::Platform;

const PROFILES: [Profile; 5] = [
    Profile::Cased,
    Profile::Digits,
    Profile::Basic,
    Profile::Unicode,
    Profile::Full,
];

fn slot(p: Profile) -> usize {
    PROFILES
        .iter()
        .position(|&q| q == p)
        .expect("every profile has a slot")
}

/// The draft being checked plus lazily computed views of it.
pub struct Context<'t> {
    pub text: &'t str,
    pub platform: Option<Platform>,
    pub date: Option<Date>,
    shadows: [OnceCell<Shadow>; 5],
    words: [OnceCell<Vec<u32>>; 5],
    /// The words of the policy's `Full` phrases, for masked and stretched words.
    lexicon: Option<&'t Lexicon>,
    /// Detector results on the `Digits` shadow (index 0: detectors read the digits of
    /// every script even under `evasion: none`) and the `Cased` shadow (index 1), as
    /// original byte ranges.
    detectors: [[OnceCell<Vec<Range<usize>>>; DetectorKind::ALL.len()]; 2],
    /// Where the detectors' candidates are in those two views (one pass for all).
    marks: [OnceCell<Marks>; 2],
    links: [OnceCell<Vec<Link>>; 2],
    /// Prefilters over all pattern rules, per view (raw text, `Cased` shadow).
    prefilters: &'t [Option<LazyRegex>; 2],
    prefiltered: [OnceCell<bool>; 2],
}

impl<'t> Context<'t> {
    pub fn new(
        text: &'t str,
        platform: Option<Platform>,
        date: Option<Date>,
        prefilters: &'t [Option<LazyRegex>; 2],
        lexicon: Option<&'t Lexicon>,
    ) -> Context<'t> {
        Context {
            text,
            platform,
            date,
            shadows: Default::default(),
            words: Default::default(),
            lexicon,
            detectors: Default::default(),
            marks: Default::default(),
            links: Default::default(),
            prefilters,
            prefiltered: Default::default(),
        }
    }

    /// False when no pattern rule reading view `p` can match this draft.
    pub fn patterns_may_match(&self, p: Option<Profile>) -> bool {
        let i = usize::from(p.is_some());
        *self.prefiltered[i].get_or_init(|| match &self.prefilters[i] {
            Some(re) => re.get().is_none_or(|re| re.is_match(self.view(p).text)),
            None => true,
        })
    }

    pub fn shadow(&self, p: Profile) -> &Shadow {
        self.shadows[slot(p)].get_or_init(|| {
            let lexicon = self.lexicon.filter(|_| p == Profile::Full);
            normalize::shadow_with(self.text, p, lexicon)
        })
    }

    /// The text a pattern, detector or link rule sees (`None`: the draft as typed) and a
    /// function from its byte ranges to the draft's.
    pub fn view(&self, p: Option<Profile>) -> View<'_> {
        match p {
            None => View {
                text: self.text,
                shadow: None,
                original_len: self.text.len(),
            },
            Some(p) => {
                let s = self.shadow(p);
                View {
                    text: &s.text,
                    shadow: Some(s),
                    original_len: self.text.len(),
                }
            }
        }
    }

    /// Index of the word that shadow byte `pos` of profile `p` belongs to.
    pub fn word_index(&self, p: Profile, pos: usize) -> usize {
        let starts = self.words[slot(p)].get_or_init(|| {
            let text = &self.shadow(p).text;
            let mut v = Vec::new();
            let mut prev_word = false;
            for (i, c) in text.char_indices() {
                let w = !c.is_whitespace();
                if w && !prev_word {
                    v.push(i as u32);
                }
                prev_word = w;
            }
            v
        });
        starts
            .partition_point(|&s| s as usize <= pos)
            .saturating_sub(1)
    }

    /// Validated matches of a detector, as byte ranges of the draft. `None` reads the
    /// draft as typed except for digits (see [`Profile::Digits`]).
    pub fn detector(&self, kind: DetectorKind, p: Option<Profile>) -> &[Range<usize>] {
        let di = DetectorKind::ALL
            .iter()
            .position(|&k| k == kind)
            .expect("known detector");
        let vi = usize::from(p.is_some());
        self.detectors[vi][di].get_or_init(|| {
            let view = self.view(Some(p.unwrap_or(Profile::Digits)));
            let marks = self.marks[vi].get_or_init(|| Marks::new(view.text));
            let mut found = Vec::new();
            kind.get()
                .find_with(view.text, &mut marks.cursor(), &mut found);
            found
                .into_iter()
                .filter(|r| r.start < r.end && r.end <= view.text.len())
                .map(|r| view.to_original(r))
                .collect()
        })
    }

    /// Links (URLs and bare domains) in the draft.
    pub fn links(&self, p: Option<Profile>) -> &[Link] {
        self.links[usize::from(p.is_some())].get_or_init(|| {
            let view = self.view(p);
            links::find(view.text)
                .into_iter()
                .map(|mut l| {
                    l.span = view.to_original(l.span);
                    l
                })
                .collect()
        })
    }
}

/// A text rules search in, and the way back to the draft.
pub struct View<'a> {
    pub text: &'a str,
    shadow: Option<&'a Shadow>,
    original_len: usize,
}

impl View<'_> {
    pub fn to_original(&self, r: Range<usize>) -> Range<usize> {
        match self.shadow {
            None => r,
            Some(s) if r.start < r.end => s.to_original(r),
            Some(s) => {
                let at = s.original_offset(r.start, self.original_len);
                at..at
            }
        }
    }
}
