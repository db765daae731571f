#![allow(dead_code)]
use draftguard::{Date, Draft, Engine, Finding, Platform, Policy};

pub fn engine(yaml: &str) -> Engine {
    let policy =
        Policy::from_yaml("test.yaml", yaml).unwrap_or_else(|e| panic!("policy loads: {e}"));
    Engine::new(policy).expect("policy compiles")
}

pub fn check(e: &Engine, text: &str) -> Vec<Finding> {
    e.check(&Draft::new(text))
}

pub fn check_on(
    e: &Engine,
    text: &str,
    platform: Option<Platform>,
    date: Option<&str>,
) -> Vec<Finding> {
    e.check(&Draft {
        text,
        platform,
        date: date.map(|d| Date::parse(d).unwrap()),
    })
}

/// (rule id, exactly the flagged text) for every finding.
pub fn spans(findings: &[Finding]) -> Vec<(String, String)> {
    findings
        .iter()
        .map(|f| (f.rule.clone(), f.text.clone()))
        .collect()
}

pub fn flagged(e: &Engine, text: &str) -> Vec<String> {
    let fs = check(e, text);
    for f in &fs {
        assert_eq!(&text[f.span.clone()], f.text, "span and text agree");
    }
    fs.into_iter().map(|f| f.text).collect()
}

pub fn load_err(yaml: &str) -> draftguard::Error {
    Policy::from_yaml("bad.yaml", yaml).expect_err("policy must be refused")
}
