//! The policy file exactly as written: every field optional where a later layer may fill
//! it in. [`super::load`] turns layers of these into a validated [`super::Policy`]. The
//! rule entries' shape, [`RuleSpec`], is generated from the field table in
//! [`super::fields`].

use serde::Deserialize;
use serde_json::Value;

use super::fields::{ActiveSpec, RuleSpec};

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
    pub library: Vec<EntrySpec>,
    #[serde(default)]
    pub tests: Vec<TestSpec>,
    /// Site adapters for the extension, laid over its built-in ones by id.
    #[serde(default)]
    pub adapters: Vec<AdapterSpec>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsSpec {
    #[serde(default, rename = "override")]
    pub override_: Option<super::Override>,
    #[serde(default)]
    pub fail: Option<super::FailMode>,
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

/// One `library:` entry as written ([`super::library`] validates it; its fields are
/// documented in [`super::fields::ENTRY_FIELDS`]). Every field but `id` is optional here so that an
/// overlay can remove a base entry with only `{id, enabled: false}`; validation requires
/// `title` and `text` of the entries that remain.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntrySpec {
    pub id: String,
    #[serde(default)]
    pub enabled: Option<bool>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub link: Option<String>,
    #[serde(default)]
    pub platforms: Option<Vec<String>>,
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    #[serde(default)]
    pub lang: Option<String>,
    #[serde(default)]
    pub active: Option<ActiveSpec>,
    #[serde(default)]
    pub note: Option<String>,
}

/// One site adapter entry as written ([`super::adapters`] validates it).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AdapterSpec {
    pub id: String,
    #[serde(default)]
    pub platform: Option<String>,
    #[serde(default)]
    pub hosts: Option<Vec<String>>,
    #[serde(default)]
    pub match_selector: Option<String>,
    #[serde(default)]
    pub composer: Option<Vec<String>>,
    #[serde(default)]
    pub post_button: Option<Vec<String>>,
    #[serde(default)]
    pub post_button_text: Option<Vec<String>>,
    #[serde(default)]
    pub submit_keys: Option<Vec<String>>,
    #[serde(default)]
    pub enter_sends: Option<Vec<String>>,
}
