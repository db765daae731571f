//! The policy file exactly as written: every field optional where a later layer may fill
//! it in. [`super::load`] turns layers of these into a validated [`super::Policy`].

use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyFile {
    pub policy: String,
    #[serde(default)]
    pub version: Option<Value>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub link: Option<String>,
    #[serde(default)]
    pub extends: Vec<String>,
    #[serde(default)]
    pub settings: SettingsSpec,
    #[serde(default)]
    pub rules: Vec<RuleSpec>,
    #[serde(default)]
    pub tests: Vec<TestSpec>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsSpec {
    #[serde(default, rename = "override")]
    pub override_: Option<super::Override>,
    #[serde(default)]
    pub fail: Option<super::FailMode>,
}

/// One rule entry. All kinds share this flat shape; which fields a kind takes is checked
/// against [`super::fields::FIELDS`] so the error can list them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    #[serde(default)]
    pub kind: Option<super::Kind>,
    #[serde(default)]
    pub enabled: Option<bool>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub severity: Option<super::Severity>,
    #[serde(default)]
    pub mode: Option<super::Mode>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub link: Option<String>,
    #[serde(default)]
    pub platforms: Option<Vec<String>>,
    #[serde(default)]
    pub active: Option<ActiveSpec>,
    #[serde(default)]
    pub unless: Option<Vec<String>>,
    #[serde(default)]
    pub suggest: Option<Value>,
    #[serde(default)]
    pub evasion: Option<super::Evasion>,
    // phrases
    #[serde(default)]
    pub phrases: Option<Vec<String>>,
    // near
    #[serde(default)]
    pub a: Option<Vec<String>>,
    #[serde(default)]
    pub b: Option<Vec<String>>,
    #[serde(default)]
    pub within: Option<u32>,
    // swap
    #[serde(default)]
    pub swap: Option<serde_json::Map<String, Value>>,
    // pattern
    #[serde(default)]
    pub pattern: Option<String>,
    // detector
    #[serde(default)]
    pub detector: Option<String>,
    #[serde(default)]
    pub allow: Option<Vec<String>>,
    // require
    #[serde(default)]
    pub when: Option<Vec<String>>,
    #[serde(default)]
    pub require: Option<Vec<String>>,
    // links
    #[serde(default)]
    pub allow_domains: Option<Vec<String>>,
    #[serde(default)]
    pub deny_domains: Option<Vec<String>>,
    // length
    #[serde(default)]
    pub max: Option<u32>,
    #[serde(default)]
    pub count: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActiveSpec {
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub until: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestSpec {
    #[serde(default)]
    pub name: Option<String>,
    pub text: String,
    #[serde(default)]
    pub platform: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    pub expect: Vec<String>,
}

impl RuleSpec {
    /// Lays `over`'s fields on top of `self` (a later layer refining a base rule).
    pub fn merge(&mut self, over: &RuleSpec) {
        macro_rules! take {
            ($($f:ident),*) => { $( if over.$f.is_some() { self.$f = over.$f.clone(); } )* };
        }
        take!(
            kind,
            enabled,
            description,
            severity,
            mode,
            message,
            link,
            platforms,
            active,
            unless,
            suggest,
            evasion,
            phrases,
            a,
            b,
            within,
            swap,
            pattern,
            detector,
            allow,
            when,
            require,
            allow_domains,
            deny_domains,
            max,
            count
        );
    }
}
