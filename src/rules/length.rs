//! `length`: the most characters a post may have, counted the way the platform counts.
//!
//! ```yaml
//! - id: x-length
//!   kind: length
//!   platforms: [x]
//!   max: 280
//! ```
//!
//! Counting (`count`, default by platform):
//! - `x`: X's weighted count. Every URL counts 23; code points in U+0000–U+10FF,
//!   U+2000–U+200D, U+2010–U+201F and U+2032–U+2037 count 1; everything else (CJK,
//!   most symbols) counts 2; an emoji counts 2 however many code points it has.
//! - `mastodon`: code points, every URL counts 23.
//! - `graphemes`: user-perceived characters (Bluesky's count).
//! - `chars`: code points. `utf16`: UTF-16 code units.
//!
//! The finding covers the part past the limit, so the underline shows what to cut.

use unicode_segmentation::UnicodeSegmentation;

use super::{Check, Raw, RuleKind, wrong_body};
use crate::engine::context::Context;
use crate::engine::phrases::Hit;
use crate::error::{Error, ErrorKind};
use crate::policy::validate::Fields;
use crate::policy::{Body, Count, Rule};

/// The `length` kind.
pub struct Def;

impl RuleKind for Def {
    fn validate(&self, f: &Fields<'_>) -> Result<Body, Error> {
        let max = *f.required(&f.spec.max, "max")?;
        if max == 0 {
            return Err(f.err(
                Some("max"),
                ErrorKind::InvalidValue,
                "`max` must be at least 1",
            ));
        }
        let count = f
            .spec
            .count
            .as_deref()
            .map(Count::parse)
            .transpose()
            .map_err(|e| f.at(Some("count"), e))?;
        Ok(Body::Length { max, count })
    }

    fn compile(&self, rule: &Rule) -> Result<Box<dyn Check>, Error> {
        let Body::Length { max, count } = &rule.body else {
            return Err(wrong_body(rule));
        };
        Ok(Box::new(Length {
            max: *max,
            count: *count,
        }))
    }
}

pub struct Length {
    pub max: u32,
    pub count: Option<Count>,
}

/// Counts `text` the way `method` does, returning the total and the byte offset at which
/// the running count first exceeded `max` (if it did).
pub fn measure(text: &str, method: Count, max: u64) -> (u64, Option<usize>) {
    let mut total: u64 = 0;
    let mut over: Option<usize> = None;
    let mut add = |at: usize, n: u64, total: &mut u64| {
        *total += n;
        if over.is_none() && *total > max {
            over = Some(at);
        }
    };
    match method {
        Count::Chars => text.char_indices().for_each(|(i, _)| add(i, 1, &mut total)),
        Count::Utf16 => text
            .char_indices()
            .for_each(|(i, c)| add(i, c.len_utf16() as u64, &mut total)),
        Count::Graphemes => text
            .grapheme_indices(true)
            .for_each(|(i, _)| add(i, 1, &mut total)),
        Count::X | Count::Mastodon => {
            let links = crate::detectors::links::find(text);
            let mut next = links.iter().peekable();
            let mut pos = 0;
            for (i, g) in text.grapheme_indices(true) {
                if i < pos {
                    continue;
                }
                if let Some(l) = next.peek()
                    && l.span.start == i
                {
                    add(i, 23, &mut total);
                    pos = l.span.end;
                    next.next();
                    continue;
                }
                if method == Count::Mastodon {
                    g.chars().for_each(|_| add(i, 1, &mut total));
                } else if is_emoji(g) {
                    add(i, 2, &mut total);
                } else {
                    g.chars().for_each(|c| add(i, x_weight(c), &mut total));
                }
            }
        }
    }
    (total, over)
}

fn x_weight(c: char) -> u64 {
    match c as u32 {
        0x0000..=0x10FF | 0x2000..=0x200D | 0x2010..=0x201F | 0x2032..=0x2037 => 1,
        _ => 2,
    }
}

fn is_emoji(g: &str) -> bool {
    g.chars().any(|c| {
        matches!(c as u32, 0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF) || c == '\u{FE0F}'
    })
}

impl Check for Length {
    fn check(&self, cx: &Context<'_>, _hits: &[Hit], out: &mut Vec<Raw>) {
        let method = self
            .count
            .unwrap_or_else(|| Count::for_platform(cx.platform));
        let (total, over) = measure(cx.text, method, self.max as u64);
        if let Some(at) = over {
            out.push(Raw {
                span: at..cx.text.len(),
                detail: Some(format!(
                    "{total} characters where {} is the limit",
                    self.max
                )),
                fixes: None,
                ..Raw::default()
            });
        }
    }

    fn default_message(&self) -> &'static str {
        "Too long for this platform: {detail}."
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Draft;
    use crate::policy::Platform;
    use crate::rules::test_support::{assert_refused, engine, findings};

    #[test]
    fn counts_like_the_platform_and_flags_the_overflow() {
        let e = engine("{id: x-length, kind: length, platforms: [x], max: 280}");
        let on = |text: &str, p: Platform| e.check(&Draft::new(text).platform(p));
        assert!(on(&"a".repeat(280), Platform::X).is_empty());
        let long = format!(
            "{} https://example.com/{}",
            "a".repeat(250),
            "p".repeat(100)
        );
        assert!(on(&long, Platform::X).is_empty(), "a URL counts 23");
        let over = format!("{}日本", "a".repeat(277));
        let fs = on(&over, Platform::X);
        assert_eq!(fs.len(), 1);
        assert_eq!(
            (fs[0].rule.as_str(), fs[0].text.as_str()),
            ("x-length", "本")
        );
        assert_eq!(
            fs[0].message,
            "Too long for this platform: 281 characters where 280 is the limit."
        );
        assert!(on(&over, Platform::Linkedin).is_empty(), "scoped to x");
    }

    #[test]
    fn graphemes_count_what_a_reader_sees() {
        let e = engine("{id: short, kind: length, count: graphemes, max: 3}");
        // Three flags and a family are four graphemes but 15 code points.
        let fs = findings(&e, "🇫🇷🇩🇪🇯🇵👩‍👩‍👧");
        assert_eq!(fs.len(), 1);
        assert_eq!(fs[0].text, "👩‍👩‍👧");
        assert!(findings(&e, "日本語").is_empty());
    }

    #[test]
    fn limits_and_counts_are_checked_when_the_policy_loads() {
        assert_refused("{id: l, kind: length, max: 0}", "`max` must be at least 1");
        assert_refused(
            "{id: l, kind: length, max: 9, count: words}",
            "unknown count `words`; expected one of chars, graphemes, utf16, x, mastodon",
        );
    }

    #[test]
    fn x_counts_urls_as_23_and_wide_characters_as_2() {
        assert_eq!(measure("hello", Count::X, 280).0, 5);
        assert_eq!(
            measure(
                "see https://example.com/a/very/long/path/indeed",
                Count::X,
                280
            )
            .0,
            4 + 23
        );
        assert_eq!(measure("日本", Count::X, 280).0, 4);
        assert_eq!(measure("👩‍👩‍👧", Count::X, 280).0, 2);
        assert_eq!(measure("café", Count::X, 280).0, 4);
    }

    #[test]
    fn graphemes_chars_and_utf16_differ_on_emoji() {
        let t = "👩‍👩‍👧!";
        assert_eq!(measure(t, Count::Graphemes, 99).0, 2);
        assert_eq!(measure(t, Count::Chars, 99).0, 6);
        assert_eq!(measure(t, Count::Utf16, 99).0, 9);
    }

    #[test]
    fn reports_where_the_limit_is_passed() {
        assert_eq!(measure("abcdef", Count::Chars, 4), (6, Some(4)));
        assert_eq!(measure("abcd", Count::Chars, 4), (4, None));
    }
}
