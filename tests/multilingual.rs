//! The multilingual accuracy corpus: `tests/multilingual/drafts.jsonl`, at least 150
//! drafts in at least 12 languages (true positives, evasions and false-positive traps in
//! each), checked against `tests/multilingual/policy.yaml`. Prints recall and precision
//! per language and overall, and fails if either is under 0.98 in any language.
//!
//! A finding counts as correct when its rule and the exact text it covers are expected;
//! every other finding is a false positive, every expected one not found a miss. The
//! README's table must be exactly the one measured.
//!
//! ```text
//! cargo test --test multilingual -- --nocapture
//! ```

mod common;

use std::collections::BTreeMap;

const TARGET: f64 = 0.98;

fn language(code: &str) -> &str {
    match code {
        "ar" => "Arabic",
        "de" => "German",
        "el" => "Greek",
        "en" => "English",
        "es" => "Spanish",
        "fr" => "French",
        "he" => "Hebrew",
        "it" => "Italian",
        "ja" => "Japanese",
        "ko" => "Korean",
        "pl" => "Polish",
        "pt" => "Portuguese",
        "ru" => "Russian",
        "tr" => "Turkish",
        "uk" => "Ukrainian",
        "zh" => "Chinese",
        other => other,
    }
}

#[derive(Default)]
struct Score {
    drafts: usize,
    kinds: std::collections::BTreeSet<String>,
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Score {
    fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

#[test]
fn recall_and_precision_in_every_language() {
    let root = env!("CARGO_MANIFEST_DIR");
    let policy = std::fs::read_to_string(format!("{root}/tests/multilingual/policy.yaml")).unwrap();
    let e = common::engine(&policy);
    let drafts =
        std::fs::read_to_string(format!("{root}/tests/multilingual/drafts.jsonl")).unwrap();
    let mut by_lang: BTreeMap<String, Score> = BTreeMap::new();
    let mut errors = Vec::new();
    for (n, line) in drafts.lines().enumerate() {
        let d: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|err| panic!("line {}: {err}", n + 1));
        let lang = d["lang"].as_str().unwrap().to_string();
        let text = d["text"].as_str().unwrap();
        let mut want: Vec<(String, String)> = d["expect"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p[0].as_str().unwrap().into(), p[1].as_str().unwrap().into()))
            .collect();
        let got = common::spans(&common::check(&e, text));
        let s = by_lang.entry(lang.clone()).or_default();
        s.drafts += 1;
        s.kinds.insert(d["kind"].as_str().unwrap().to_string());
        for g in &got {
            if let Some(i) = want.iter().position(|w| w == g) {
                want.remove(i);
                s.tp += 1;
            } else {
                s.fp += 1;
                errors.push(format!(
                    "{lang} line {}: false positive {g:?} in {text:?}",
                    n + 1
                ));
            }
        }
        for w in want {
            s.fn_ += 1;
            errors.push(format!("{lang} line {}: missed {w:?} in {text:?}", n + 1));
        }
    }
    let total = by_lang.values().fold(Score::default(), |mut t, s| {
        t.drafts += s.drafts;
        t.tp += s.tp;
        t.fp += s.fp;
        t.fn_ += s.fn_;
        t
    });
    let mut table = vec![
        "| language | drafts | findings expected | recall | precision |".to_string(),
        "|---|---|---|---|---|".to_string(),
    ];
    for (lang, s) in &by_lang {
        table.push(format!(
            "| {} ({lang}) | {} | {} | {:.3} | {:.3} |",
            language(lang),
            s.drafts,
            s.tp + s.fn_,
            s.recall(),
            s.precision()
        ));
    }
    table.push(format!(
        "| all | {} | {} | {:.3} | {:.3} |",
        total.drafts,
        total.tp + total.fn_,
        total.recall(),
        total.precision()
    ));
    let table = table.join("\n");
    println!("{table}");
    for err in &errors {
        println!("{err}");
    }
    assert!(total.drafts >= 150, "{} drafts", total.drafts);
    assert!(by_lang.len() >= 12, "{} languages", by_lang.len());
    for (lang, s) in &by_lang {
        for kind in ["positive", "evasion", "trap"] {
            assert!(s.kinds.contains(kind), "{lang} has no {kind} draft");
        }
        assert!(
            s.recall() >= TARGET && s.precision() >= TARGET,
            "{lang}: recall {:.3}, precision {:.3} (under {TARGET}); see the list above",
            s.recall(),
            s.precision()
        );
    }
    // The README shows this very table.
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    assert!(
        readme.contains(&table),
        "README.md's accuracy table differs from the measured one:\n{table}"
    );
}
