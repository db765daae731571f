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

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::error::{Error, ErrorKind};

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

static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(?:https?://|www\.)[^\s<>"'\[\]{}|\\^`]+|(?-u:\b)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}(?-u:\b)(?:[/?#][^\s<>"'\[\]{}|\\^`]*)?"#,
    )
    .expect("link pattern compiles")
});

/// Finds URLs and bare domains, trimming trailing punctuation.
///
/// Every link has a dot, so only the whitespace-delimited words around each `.` are
/// searched; ordinary prose costs one `memchr`-style scan.
pub fn find(text: &str) -> Vec<Link> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut searched_to = 0;
    let mut from = 0;
    while let Some(dot) = bytes[from..]
        .iter()
        .position(|&b| b == b'.')
        .map(|i| from + i)
    {
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
        for m in LINK.find_iter(&text[start..end]) {
            if let Some(l) = accept(text, start + m.start(), start + m.end()) {
                out.push(l);
            }
        }
    }
    out
}

/// Whether the regex can match in `word` at all: a bare domain has a dot followed by a
/// letter (outside ASCII too: `(?i)` folds `K` and `ſ` into `[a-z]`), a URL a `:` or
/// `www.`. Most words with a dot end a sentence (`results.`), and skipping them spares a
/// regex search each.
fn may_hold_link(word: &[u8]) -> bool {
    word.windows(2)
        .any(|w| w[0] == b'.' && (w[1].is_ascii_alphabetic() || w[1] >= 0x80))
        || word.contains(&b':')
        || word.windows(4).any(|w| w.eq_ignore_ascii_case(b"www."))
}

/// Trims and validates one regex match at `start..end` of `text`.
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
        return SHORTENER_DOMAINS.iter().any(|s| covers(s, host));
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

    #[test]
    fn ignores_non_links() {
        assert!(
            links("Node.js and e.g. v2.10.1, README.md, 3.14, write to bob@acme.com").is_empty()
        );
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
}
