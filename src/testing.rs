//! Runs the tests a policy file carries (`tests:`), as `draftguard test` and bundling do.
//!
//! A test passes when the set of rule ids found (enforced and monitor findings, and the
//! ids folded into them by overlap resolution) equals the `expect` set exactly.

use crate::engine::{Draft, Engine};
use crate::policy::TestCase;

/// The outcome of one test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub index: usize,
    pub name: String,
    pub passed: bool,
    /// Expected but not found.
    pub missing: Vec<String>,
    /// Found but not expected.
    pub unexpected: Vec<String>,
}

/// Runs every test of the engine's policy.
pub fn run(engine: &Engine) -> Vec<Outcome> {
    engine
        .policy()
        .tests
        .iter()
        .enumerate()
        .map(|(i, t)| run_one(engine, i, t))
        .collect()
}

fn run_one(engine: &Engine, index: usize, t: &TestCase) -> Outcome {
    let draft = Draft {
        text: &t.text,
        platform: t.platform,
        date: t.date,
    };
    // Sorted, deduplicated lists rather than sets: the wasm module then needs no B-tree of
    // strings for this (serde_json's maps hold values, a different instantiation).
    let mut found = Vec::new();
    for f in engine.check(&draft) {
        found.push(f.rule.clone());
        found.extend(f.also.iter().cloned());
    }
    let found = sorted_set(found);
    let expected = sorted_set(t.expect.clone());
    let missing: Vec<String> = expected
        .iter()
        .filter(|id| found.binary_search(id).is_err())
        .cloned()
        .collect();
    let unexpected: Vec<String> = found
        .iter()
        .filter(|id| expected.binary_search(id).is_err())
        .cloned()
        .collect();
    let name = t.name.clone().unwrap_or_else(|| {
        let s: String = t.text.chars().take(48).collect();
        if t.text.chars().count() > 48 {
            format!("{s}…")
        } else {
            s
        }
    });
    Outcome {
        index,
        name,
        passed: missing.is_empty() && unexpected.is_empty(),
        missing,
        unexpected,
    }
}

/// `ids` sorted and without repeats, as a set iterates them.
fn sorted_set(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids.dedup();
    ids
}
