//! Any phrases against any text, in each of the three evasion levels: no panic, every
//! finding's span slices exactly its reported text, and a phrase of letters and digits
//! typed as written (or in capitals), between spaces, is always found.
//!
//! The input's first lines (up to eight, before an empty line) are the phrases; the rest
//! is the draft. The draft the engine checks is that text, then each plain phrase (only
//! letters, digits and single inner spaces) between spaces, as written and in capitals.
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
    !p.is_empty()
        && !p.contains("  ")
        && p.chars().all(|c| c == ' ' || c.is_alphanumeric())
        && words.iter().all(|w| !w.is_empty())
        && !(short(words.first()) && (n == 1 || short(words.get(1))))
        && !(short(words.last()) && (n == 1 || short(words.get(n.wrapping_sub(2)))))
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
    let mut planted = Vec::new();
    for p in phrases.iter().filter(|p| plain(p)) {
        // As written, and in capitals where case folding makes them the same phrase
        // again (not the Turkish dotless `ı`, whose capital is `I`).
        let upper = p.to_uppercase();
        let mut forms = vec![p.to_string()];
        if upper.to_lowercase() == p.to_lowercase() && plain(&upper) {
            forms.push(upper);
        }
        for form in forms {
            draft.push(' ');
            planted.push(draft.len()..draft.len() + form.len());
            draft.push_str(&form);
            draft.push(' ');
        }
    }
    for evasion in ["none", "unicode", "full"] {
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
        for r in &planted {
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
