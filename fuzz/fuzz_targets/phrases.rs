//! Any phrases against any text, in each of the three evasion levels: no panic, every
//! finding's span slices exactly its reported text, and a phrase of letters and digits
//! typed as written, or in a disguise its evasion level sees through (capitals, no-break
//! spaces, a zero-width space, fullwidth forms, an accent), between spaces, is found.
//!
//! The input's first lines (up to eight, before an empty line) are the phrases; the rest
//! is the draft. The draft the engine checks is that text, then each plain phrase (only
//! letters, digits and single inner spaces) between spaces, in each of its forms.
#![no_main]

use draftguard::normalize::{self, Profile};
use draftguard::{Draft, Engine, Policy};
use libfuzzer_sys::fuzz_target;

/// Only letters, digits and single spaces between words, typed as written: it must match,
/// unless it begins or ends with two words of one character once normalized, or is one
/// (`evasion: full` reads three or more in a row as one spaced-out word, `x a b` as
/// `xab`, where the phrase `a b` is not; the README's "Known limits" says so).
fn plain(p: &str) -> bool {
    let words: Vec<&str> = p.split(' ').collect();
    let short = |w: Option<&&str>| {
        w.is_some_and(|w| normalize::phrase(w, Profile::Full).chars().nth(1).is_none())
    };
    let n = words.len();
    // A word cannot begin with what continues the character before it (a combining mark,
    // a Hangul vowel or final consonant): typed after a space, it attaches to nothing.
    let starts_cluster = |w: &&str| w.chars().next().is_some_and(normalize::continues_cluster);
    !p.is_empty()
        && !words.iter().any(starts_cluster)
        && !p.contains("  ")
        && p.chars().all(|c| c == ' ' || c.is_alphanumeric())
        && words.iter().all(|w| !w.is_empty())
        && !(short(words.first()) && (n == 1 || short(words.get(1))))
        && !(short(words.last()) && (n == 1 || short(words.get(n.wrapping_sub(2)))))
}

/// The forms of a plain phrase a check must find, each with the first evasion level
/// that must: as written; in capitals where case folding makes them the same phrase
/// again (not the Turkish dotless `ı`, whose capital is `I`); with no-break spaces; with
/// a zero-width space after its first character; for ASCII phrases, in fullwidth forms
/// and with an acute accent on the first letter; and spaced out with hyphens.
fn forms(p: &str) -> Vec<(String, usize)> {
    let mut out = vec![(p.to_string(), 0)];
    let upper = p.to_uppercase();
    if upper.to_lowercase() == p.to_lowercase() && plain(&upper) {
        out.push((upper, 0));
    }
    if p.contains(' ') {
        out.push((p.replace(' ', "\u{a0}"), 0));
    }
    let mut chars = p.chars();
    let (first, second) = (chars.next(), chars.next());
    if let (Some(first), Some(second)) = (first, second)
        && second.is_alphanumeric()
        && !normalize::is_combining_mark(second)
    {
        let rest = &p[first.len_utf8()..];
        out.push((format!("{first}\u{200b}{rest}"), 0));
        if p.is_ascii() {
            let wide: String = p
                .chars()
                .map(|c| match c {
                    '!'..='~' => char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap_or(c),
                    _ => c,
                })
                .collect();
            out.push((wide, 1));
            if first.is_ascii_alphabetic() {
                out.push((format!("{first}\u{301}{rest}"), 1));
            }
        }
    }
    // Spaced out with hyphens, word by word (`g-u-a-r-a-n-t-e-e-d r-e-t-u-r-n-s`), when
    // every word has three letters or more.
    let words: Vec<&str> = p.split(' ').collect();
    if words
        .iter()
        .all(|w| w.len() >= 3 && w.bytes().all(|b| b.is_ascii_alphabetic()))
    {
        let spaced: Vec<String> = words
            .iter()
            .map(|w| w.chars().map(String::from).collect::<Vec<_>>().join("-"))
            .collect();
        out.push((spaced.join(" "), 2));
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let (head, text) = input.split_once("\n\n").unwrap_or(("", &input));
    let phrases: Vec<&str> = head
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(8)
        .collect();
    if phrases.is_empty() {
        return;
    }
    // JSON strings are YAML double-quoted scalars.
    let list: Vec<String> = phrases
        .iter()
        .map(|p| serde_json::to_string(p).expect("a string serializes"))
        .collect();
    let mut draft = text.to_string();
    // Each planted form with the first evasion level (0 none, 1 unicode, 2 full) that
    // must find it.
    let mut planted = Vec::new();
    for p in phrases.iter().filter(|p| plain(p)) {
        for (form, level) in forms(p) {
            draft.push(' ');
            planted.push((draft.len()..draft.len() + form.len(), level));
            draft.push_str(&form);
            draft.push(' ');
        }
    }
    for (level, evasion) in ["none", "unicode", "full"].into_iter().enumerate() {
        let yaml = format!(
            "policy: fuzz\nrules:\n  - id: r\n    kind: phrases\n    evasion: {evasion}\n    phrases: [{}]\n",
            list.join(", ")
        );
        let Ok(policy) = Policy::from_yaml("fuzz.yaml", &yaml) else {
            continue;
        };
        let Ok(engine) = Engine::new(policy) else {
            continue;
        };
        let findings = engine.check(&Draft::new(&draft));
        for f in &findings {
            assert!(draft.is_char_boundary(f.span.start) && draft.is_char_boundary(f.span.end));
            assert_eq!(&draft[f.span.clone()], f.text);
        }
        for (r, _) in planted.iter().filter(|(_, l)| *l <= level) {
            assert!(
                findings
                    .iter()
                    .any(|f| f.span.start < r.end && r.start < f.span.end),
                "{evasion}: {:?} not found in {draft:?}",
                &draft[r.clone()]
            );
        }
    }
});
