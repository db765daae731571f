//! Links in a text: URLs (`https://example.com/a`, `www.example.com`) and bare domains
//! (`bit.ly/x`, `acme.example`), with their host names, and the domain vocabulary policies
//! use for them (normalizing `https://Bit.ly/` to `bit.ly`, subdomains, the built-in list
//! of link shorteners).
//!
//! Not a [`super::Detector`] a rule names: the `links` rule kind checks the hosts found
//! here against its allow and deny lists, and `length` counts every link as 23 characters
//! on X and Mastodon.
//!
//! Bare domains are recognised only with a known top-level domain, so `Node.js`,
//! `e.g.` and `v2.10.1` are not links; the domain of an e-mail address is not a link.
//! Found by a small scanner over bytes (`scan`) with the match semantics of the regex
//! it replaced, so a draft with a link never compiles the regex compiler (in the wasm
//! build, about 200 KB of code V8 would compile on that draft's first check).

use std::ops::Range;

use crate::error::{Error, ErrorKind};
use crate::normalize::swar;

/// The group name for the built-in shortener list.
pub const SHORTENERS: &str = "@shorteners";

/// Well-known link shorteners.
pub const SHORTENER_DOMAINS: &[&str] = &[
    "bit.ly",
    "bitly.com",
    "t.co",
    "tinyurl.com",
    "goo.gl",
    "ow.ly",
    "is.gd",
    "buff.ly",
    "rebrand.ly",
    "cutt.ly",
    "shorturl.at",
    "t.ly",
    "rb.gy",
    "tiny.cc",
    "lnkd.in",
    "trib.al",
    "dlvr.it",
    "bl.ink",
    "short.io",
    "s.id",
    "v.gd",
    "clck.ru",
    "qr.ae",
    "soo.gd",
    "shorte.st",
    "adf.ly",
    "x.co",
    "po.st",
    "mcaf.ee",
    "su.pr",
    "tr.im",
    "snip.ly",
    "lc.chat",
    "urlz.fr",
    "t2m.io",
    "tiny.one",
];

/// Top-level domains a bare domain (no `http://`, no `www.`) must end with to count as a
/// link. Generic TLDs people actually post, and country codes that are not also common
/// file extensions (`.md`, `.py`, `.rs`, `.sh` are left out).
const BARE_TLDS: &[&str] = &[
    "com", "net", "org", "edu", "gov", "mil", "int", "info", "biz", "io", "co", "ai", "app", "dev",
    "me", "ly", "gl", "gd", "to", "tv", "cc", "gy", "xyz", "online", "site", "tech", "news",
    "blog", "shop", "store", "page", "link", "click", "live", "cloud", "social", "bank", "finance",
    "money", "health", "care", "email", "club", "life", "world", "today", "example", "test", "us",
    "uk", "ca", "au", "de", "fr", "es", "it", "nl", "be", "ch", "at", "se", "no", "dk", "fi", "ie",
    "pt", "pl", "cz", "ru", "cn", "jp", "kr", "in", "br", "mx", "ar", "za", "nz", "sg", "hk", "tw",
    "ae", "il", "tr", "gr", "hu", "ro", "ua", "eu", "id", "vn", "ph", "my", "ng", "ke", "cl", "pe",
    "ws", "fm",
];

/// A link found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub span: Range<usize>,
    /// Lower-case host name, without `www.`-style stripping.
    pub host: String,
}

/// Finds URLs and bare domains, trimming trailing punctuation.
///
/// Every link has a dot, so only the whitespace-delimited words around each `.` are
/// searched; ordinary prose costs one scan for dots, eight bytes at a time.
#[cfg_attr(draftguard_hot, optimize(speed))]
pub fn find(text: &str) -> Vec<Link> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut searched_to = 0;
    let mut from = 0;
    while let Some(dot) = next_dot(bytes, from) {
        from = dot + 1;
        if dot < searched_to {
            continue;
        }
        let start = bytes[..dot]
            .iter()
            .rposition(|b| b.is_ascii_whitespace())
            .map_or(0, |i| i + 1)
            .max(searched_to);
        let end = bytes[dot..]
            .iter()
            .position(|b| b.is_ascii_whitespace())
            .map_or(text.len(), |i| dot + i);
        searched_to = end;
        if !may_hold_link(&bytes[start..end]) {
            continue;
        }
        for m in scan(&text[start..end]) {
            if let Some(l) = accept(text, start + m.start, start + m.end) {
                out.push(l);
            }
        }
    }
    out
}

/// The first `.` at or after `from`, eight bytes at a time (a byte loop was most of the
/// cost of [`find`] on prose).
fn next_dot(bytes: &[u8], from: usize) -> Option<usize> {
    let dots = |w: u64| swar::eq(w, b'.');
    let rest = bytes.get(from..)?;
    // Sixteen bytes a step (prose has a dot every hundred bytes or so), then one by one.
    for (i, a, b) in swar::steps16(rest) {
        let (da, db) = (dots(a), dots(b));
        if da | db != 0 {
            let at = if da != 0 {
                swar::first(da)
            } else {
                8 + swar::first(db)
            };
            return Some(from + i + at);
        }
    }
    let tail = swar::steps16_end(rest);
    rest[tail..]
        .iter()
        .position(|&b| b == b'.')
        .map(|p| from + tail + p)
}

/// Whether [`scan`] can match in `word` at all: a bare domain has a dot followed by a
/// letter (a non-ASCII byte is let through too, as when this guarded the regex, whose
/// `(?i)` folded `K` and `ſ` into `[a-z]`), a URL a `:` or `www.`. Most words with a dot
/// end a sentence (`results.`), and skipping them spares a scan each.
///
/// One pass over the word (three were most of the cost of a sentence's full stop).
fn may_hold_link(word: &[u8]) -> bool {
    let mut prev = 0;
    for (i, &b) in word.iter().enumerate() {
        if b == b':'
            || (prev == b'.' && (b.is_ascii_alphabetic() || b >= 0x80))
            || (b == b'.' && i >= 3 && word[i - 3..i].eq_ignore_ascii_case(b"www"))
        {
            return true;
        }
        prev = b;
    }
    false
}

/// The links in `hay`, leftmost first, as the regex
///
/// ```text
/// (?i)(?:https?://|www\.)[^\s<>"'\[\]{}|\\^`]+
///   |(?-u:\b)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}(?-u:\b)(?:[/?#][^\s<>"'\[\]{}|\\^`]*)?
/// ```
///
/// finds them with `find_iter` (leftmost-first: at each position a URL before a bare
/// domain, greedy repetitions), hand-written so the wasm build never compiles the regex
/// compiler for a draft with a link. One difference: the regex's `(?i)` is Unicode-aware,
/// so its `[a-z]` also matches U+212A KELVIN SIGN and U+017F LONG S (and `https?` `ſ`);
/// here only ASCII letters are letters. `\s` stays Unicode White_Space
/// ([`char::is_whitespace`]), so a URL still ends at a no-break or ideographic space. A
/// differential test (`scanner_matches_the_old_regex`) checks the spans against the regex.
struct Scan<'a> {
    hay: &'a str,
    at: usize,
    /// No bare domain starts before this: a failed domain at an earlier start saw every
    /// dot up to here, and a start inside those labels sees the same dots (linear time).
    no_domain_before: usize,
}

fn scan(hay: &str) -> Scan<'_> {
    Scan {
        hay,
        at: 0,
        no_domain_before: 0,
    }
}

impl Iterator for Scan<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let b = self.hay.as_bytes();
        while self.at < b.len() {
            let p = self.at;
            self.at += 1;
            // Both alternatives start with an ASCII letter or digit.
            if !b[p].is_ascii_alphanumeric() {
                continue;
            }
            let end = url_at(self.hay, p).or_else(|| {
                let boundary = p == 0 || !is_word(b[p - 1]);
                if !boundary || p < self.no_domain_before {
                    return None;
                }
                match domain_at(self.hay, p) {
                    Ok(end) => Some(end),
                    Err(last_dot) => {
                        self.no_domain_before = last_dot;
                        None
                    }
                }
            });
            if let Some(end) = end {
                self.at = end;
                return Some(p..end);
            }
        }
        None
    }
}

/// `(?-u:\w)`.
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// `(?i)(?:https?://|www\.)[^\s<>"'\[\]{}|\\^`]+` at `p`: its end.
fn url_at(hay: &str, p: usize) -> Option<usize> {
    let b = &hay.as_bytes()[p..];
    let prefix = if b.len() >= 4 && b[..4].eq_ignore_ascii_case(b"www.") {
        4
    } else if b.len() >= 4 && b[..4].eq_ignore_ascii_case(b"http") {
        let s = usize::from(b.get(4).is_some_and(|c| c.eq_ignore_ascii_case(&b's')));
        if b.get(4 + s..7 + s) != Some(&b"://"[..]) {
            return None;
        }
        7 + s
    } else {
        return None;
    };
    let end = url_chars_end(hay, p + prefix);
    (end > p + prefix).then_some(end)
}

/// The end of the run of `[^\s<>"'\[\]{}|\\^`]` from `from` (a char boundary).
fn url_chars_end(hay: &str, from: usize) -> usize {
    let b = hay.as_bytes();
    let mut i = from;
    while let Some(&c) = b.get(i) {
        if c < 0x80 {
            if matches!(
                c,
                b'\t'
                    ..=b'\r'
                        | b' '
                        | b'<'
                        | b'>'
                        | b'"'
                        | b'\''
                        | b'['
                        | b']'
                        | b'{'
                        | b'}'
                        | b'|'
                        | b'\\'
                        | b'^'
                        | b'`'
            ) {
                break;
            }
            i += 1;
        } else {
            match hay[i..].chars().next() {
                Some(ch) if !ch.is_whitespace() => i += ch.len_utf8(),
                _ => break,
            }
        }
    }
    i
}

/// The bare-domain alternative at `p` (an ASCII letter or digit after a word boundary):
/// `Ok(end)`, or `Err(last dot of its labels)` (0 if it has none) when it does not match.
///
/// Each label runs to the next `.` (a label holds no dot), so the only choice the regex
/// has is how many labels `+` takes: the most for which a TLD follows, i.e. the last dot
/// of the labels that is followed by 2-24 ASCII letters and then no word byte.
fn domain_at(hay: &str, p: usize) -> Result<usize, usize> {
    let b = hay.as_bytes();
    let mut label = p;
    let mut last_dot = 0;
    let mut tld_end = None;
    loop {
        let run = b[label..]
            .iter()
            .take(64)
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
            .count();
        let valid = (1..=63).contains(&run)
            && b[label].is_ascii_alphanumeric()
            && b[label + run - 1].is_ascii_alphanumeric()
            && b.get(label + run) == Some(&b'.');
        if !valid {
            break;
        }
        let dot = label + run;
        last_dot = dot;
        let letters = b[dot + 1..]
            .iter()
            .take(25)
            .take_while(|c| c.is_ascii_alphabetic())
            .count();
        if (2..=24).contains(&letters) && !b.get(dot + 1 + letters).is_some_and(|&c| is_word(c)) {
            tld_end = Some(dot + 1 + letters);
        }
        label = dot + 1;
    }
    let end = tld_end.ok_or(last_dot)?;
    Ok(match b.get(end) {
        Some(b'/' | b'?' | b'#') => url_chars_end(hay, end + 1),
        _ => end,
    })
}

/// Trims and validates one match at `start..end` of `text`.
fn accept(text: &str, start: usize, end: usize) -> Option<Link> {
    let mut s = &text[start..end];
    while let Some(c) = s.chars().next_back() {
        let unbalanced_paren = c == ')' && s.matches('(').count() < s.matches(')').count();
        if matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '"') || unbalanced_paren {
            s = &s[..s.len() - c.len_utf8()];
        } else {
            break;
        }
    }
    let lower = s.to_ascii_lowercase();
    let explicit =
        lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.");
    let before = text[..start].chars().next_back();
    if !explicit && before.is_some_and(|c| c == '@' || c == '.' || c.is_alphanumeric()) {
        return None; // an e-mail's domain, or part of a longer token
    }
    let host = host_of(&lower)?;
    if !explicit {
        let tld = host.rsplit('.').next().unwrap_or("");
        if !BARE_TLDS.contains(&tld) {
            return None;
        }
    }
    Some(Link {
        span: start..start + s.len(),
        host,
    })
}

fn host_of(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?.split(':').next()?;
    let host = host.trim_end_matches('.');
    (host.contains('.') && !host.is_empty()).then(|| host.to_string())
}

/// Normalizes a domain from a policy (`https://Bit.ly/`, `*.acme.example`) or accepts
/// the `@shorteners` group.
pub fn normalize_domain(d: &str) -> Result<String, Error> {
    let t = d.trim().to_ascii_lowercase();
    if t == SHORTENERS {
        return Ok(t);
    }
    let host = host_of(&t).unwrap_or_default();
    let host = host
        .trim_start_matches("*.")
        .trim_start_matches('.')
        .to_string();
    let valid = host.contains('.')
        && host
            .split('.')
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    if valid {
        Ok(host)
    } else {
        Err(Error::new(
            ErrorKind::InvalidValue,
            format!(
                "`{d}` is not a domain; expected something like `example.com`, or `{SHORTENERS}`"
            ),
        ))
    }
}

/// Whether `host` is `domain` or one of its subdomains; `@shorteners` covers every
/// shortener.
pub fn covers(domain: &str, host: &str) -> bool {
    if domain == SHORTENERS {
        // Every shortener is two labels (a test holds the list to that), so a host is one
        // of them or below one exactly when its last two labels are: one look-up in the
        // list instead of a suffix test per shortener.
        let mut dots = host.rmatch_indices('.').map(|(i, _)| i);
        let last_two = match (dots.next(), dots.next()) {
            (Some(_), Some(i)) => &host[i + 1..],
            _ => host,
        };
        return SHORTENER_DOMAINS.contains(&last_two);
    }
    host == domain || host.strip_suffix(domain).is_some_and(|p| p.ends_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(t: &str) -> Vec<(&str, String)> {
        find(t).into_iter().map(|l| (&t[l.span], l.host)).collect()
    }

    #[test]
    fn finds_urls_and_bare_domains() {
        assert_eq!(
            links("See https://Acme.example/rates?x=1, or bit.ly/3xYz. (www.acme.example)"),
            vec![
                ("https://Acme.example/rates?x=1", "acme.example".to_string()),
                ("bit.ly/3xYz", "bit.ly".to_string()),
                ("www.acme.example", "www.acme.example".to_string()),
            ]
        );
    }

    #[test]
    fn words_without_a_domain_shape_are_not_searched_but_links_still_are() {
        assert!(!may_hold_link(b"results."));
        assert!(!may_hold_link(b"3.14"));
        assert!(may_hold_link(b"acme.example."));
        assert!(may_hold_link(b"https://x."));
        assert!(may_hold_link(b"WWW.-x"));
        assert!(may_hold_link("acme.\u{212A}r".as_bytes()));
        assert_eq!(
            links("Done. See https://acme.example/a. Or www.acme.example."),
            vec![
                ("https://acme.example/a", "acme.example".to_string()),
                ("www.acme.example", "www.acme.example".to_string()),
            ]
        );
    }

    /// [`may_hold_link`] is the three tests it stands for.
    #[test]
    fn may_hold_link_is_its_three_tests() {
        let three = |word: &[u8]| {
            word.windows(2)
                .any(|w| w[0] == b'.' && (w[1].is_ascii_alphabetic() || w[1] >= 0x80))
                || word.contains(&b':')
                || word.windows(4).any(|w| w.eq_ignore_ascii_case(b"www."))
        };
        let pieces: &[&str] = &[
            ".", ".", "a", "Z", "1", "-", ":", "w", "W", "ww", "www", "wWw.", "é", "/", "_",
        ];
        let mut rng = crate::xorshift::Xorshift::new(0x0ddb_a11f);
        let mut held = 0;
        for _ in 0..20_000 {
            let word = rng.text(8, &[pieces]);
            let want = three(word.as_bytes());
            assert_eq!(may_hold_link(word.as_bytes()), want, "{word:?}");
            held += usize::from(want);
        }
        assert!((2_000..18_000).contains(&held), "{held}");
    }

    #[test]
    fn ignores_non_links() {
        assert!(
            links("Node.js and e.g. v2.10.1, README.md, 3.14, write to bob@acme.com").is_empty()
        );
    }

    #[test]
    fn next_dot_finds_every_dot() {
        for len in 0..40 {
            for p in 0..len {
                let mut text = "é".repeat(len).into_bytes(); // 0xC3 0xA9: no dots
                text[p] = b'.';
                for from in 0..=text.len() + 1 {
                    let want = (from <= text.len())
                        .then(|| {
                            text[from..]
                                .iter()
                                .position(|&b| b == b'.')
                                .map(|i| from + i)
                        })
                        .flatten();
                    assert_eq!(
                        next_dot(&text, from),
                        want,
                        "len {len}, dot {p}, from {from}"
                    );
                }
            }
        }
        // A byte one away from `.` (`-`, `/`) or with its high bit (`®`) is not one.
        assert_eq!(next_dot("a-b/c®d,e-f/g®h.".as_bytes(), 0), Some(17));
    }

    /// The `@shorteners` look-up agrees with a suffix test per shortener.
    #[test]
    fn shortener_group_is_a_suffix_test_per_shortener() {
        assert!(
            SHORTENER_DOMAINS
                .iter()
                .all(|s| s.matches('.').count() == 1)
        );
        let one_by_one = |host: &str| {
            SHORTENER_DOMAINS
                .iter()
                .any(|s| host == *s || host.strip_suffix(s).is_some_and(|p| p.ends_with('.')))
        };
        let labels = [
            "bit", "ly", "t", "co", "x", "bit.ly", "t.co", "", "notbit", "lnkd", "in", "www",
            "tiny", "cc", "com", "is", "gd",
        ];
        let mut rng = crate::xorshift::Xorshift::new(0x517c_c1b7_2722_0a95);
        let mut covered = 0;
        for _ in 0..20_000 {
            let n = 1 + rng.below(4);
            let host: Vec<&str> = (0..n).map(|_| labels[rng.below(labels.len())]).collect();
            let host = host.join(".");
            assert_eq!(covers(SHORTENERS, &host), one_by_one(&host), "{host:?}");
            covered += usize::from(one_by_one(&host));
        }
        assert!(covered > 500, "{covered}");
    }

    #[test]
    fn subdomains_and_groups() {
        assert!(covers("acme.example", "news.acme.example"));
        assert!(!covers("acme.example", "notacme.example"));
        assert!(covers(SHORTENERS, "bit.ly"));
        assert!(!covers(SHORTENERS, "example.com"));
    }

    #[test]
    fn policy_domains_normalize() {
        assert_eq!(normalize_domain("https://Bit.ly/").unwrap(), "bit.ly");
        assert_eq!(normalize_domain("*.acme.example").unwrap(), "acme.example");
        assert_eq!(normalize_domain("@Shorteners").unwrap(), "@shorteners");
        assert!(normalize_domain("not a domain").is_err());
    }

    /// The regex `scan` replaced, compiled only here, natively.
    const OLD_LINK: &str = r#"(?i)(?:https?://|www\.)[^\s<>"'\[\]{}|\\^`]+|(?-u:\b)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}(?-u:\b)(?:[/?#][^\s<>"'\[\]{}|\\^`]*)?"#;

    fn old_spans(re: &regex::Regex, t: &str) -> Vec<Range<usize>> {
        re.find_iter(t).map(|m| m.range()).collect()
    }

    #[test]
    fn scanner_matches_the_old_regex() {
        let re = regex::Regex::new(OLD_LINK).unwrap();
        // Link-heavy pieces: URL and `www` prefixes, labels at and past the 63-byte label
        // and 24-letter TLD limits, the URL part's excluded ASCII and Unicode spaces, other
        // non-ASCII. No U+212A or U+017F: the scanner takes only ASCII letters as letters.
        let long_label = "a".repeat(62);
        let long_tld = "abcdefghijklmnopqrstuvwxyz";
        let pieces: Vec<&str> = vec![
            "a",
            "b",
            "e",
            "k",
            "s",
            "x",
            "z",
            "A",
            "K",
            "S",
            "W",
            "0",
            "1",
            "9",
            ".",
            ".",
            ".",
            "-",
            "/",
            ":",
            "?",
            "#",
            "_",
            "@",
            " ",
            "www",
            "WWW",
            "http",
            "https",
            "HTTP",
            "://",
            "com",
            "io",
            "ly",
            "co",
            "ab",
            "é",
            "ß",
            "—",
            "\u{a0}",
            "\u{2003}",
            "\u{3000}",
            "\u{85}",
            "\u{b}",
            "\u{1c}",
            "\t",
            "\n",
            "<",
            ">",
            "\"",
            "'",
            "[",
            "]",
            "{",
            "|",
            "\\",
            "^",
            "`",
            "(",
            ")",
            ",",
            "!",
            "😀",
            "ǅ",
            &long_label,
            long_tld,
            "abcdefghijklmnopqrstuvwx",
        ];
        let mut rng = crate::xorshift::Xorshift::new(0x9e37_79b9_7f4a_7c15);
        let mut next = |n: usize| rng.below(n);
        for case in 0..40_000 {
            let len = 1 + next(if case % 10 == 0 { 80 } else { 24 });
            let t: String = (0..len).map(|_| pieces[next(pieces.len())]).collect();
            let new: Vec<_> = scan(&t).collect();
            assert_eq!(new, old_spans(&re, &t), "case {case}: {t:?}");
        }
    }

    #[test]
    fn scanner_edge_cases_match_the_old_regex() {
        let re = regex::Regex::new(OLD_LINK).unwrap();
        let a63 = "a".repeat(63);
        let a64 = "a".repeat(64);
        for t in [
            "https://x",
            "http://",
            "https:// x",
            "hTTpS://a\u{a0}b",
            "xhttp://a.b",
            "www.",
            "www.\u{3000}acme.com",
            "acme.com-x/y",
            "ab-cd.x",
            "a.b.c.d.e.f",
            "a.b.com1.de",
            "1.2.com",
            "_acme.com x.acme.com",
            "-acme.com a-.b.com",
            &format!("{a63}.com {a64}.com x-{a64}.com"),
            "a.abcdefghijklmnopqrstuvwx a.abcdefghijklmnopqrstuvwxy",
            "é.com éacme.com acme.comé",
            "acme.com#x?y/z<w acme.com/\u{85}",
            "a..com a.-b.com",
        ] {
            assert_eq!(scan(t).collect::<Vec<_>>(), old_spans(&re, t), "{t:?}");
        }
    }

    #[test]
    fn a_long_word_of_dots_scans_in_linear_time() {
        // Every `a` after a dot starts a domain attempt that sees every later dot; each
        // failure skips those starts (otherwise about 10^10 steps: the test would hang).
        let t = "a.".repeat(100_000) + "1";
        assert_eq!(scan(&t).count(), 0);
        let t = "a-".repeat(100_000);
        assert_eq!(scan(&t).count(), 0);
    }
}
