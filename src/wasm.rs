//! The WebAssembly API, compiled only for `wasm32`: a thin layer over [`crate::Engine`]
//! that speaks JavaScript. Spans are UTF-16 code units (what the DOM and JS strings use).
//!
//! ```js
//! import init, { Engine } from "./draftguard.js";
//! await init();
//! const engine = Engine.withDefaultPolicy();          // or new Engine(policyYamlOrJson)
//! const findings = engine.check(text, "linkedin", Date.now());
//! // [{ rule, kind, severity, mode, message, link, start, end, text, suggestions, also }]
//! ```
//!
//! Errors are JS `Error`s whose message is exactly what the CLI prints (file, line,
//! column, rule). JavaScript strings may hold lone surrogates; they arrive here as
//! U+FFFD, which is also one UTF-16 unit, so offsets still line up with the page's text.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::offsets::points;
use crate::{Date, Draft, Platform, Policy};

/// A compiled policy, ready to check drafts.
#[wasm_bindgen]
pub struct Engine {
    inner: crate::Engine,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsSuggestion {
    start: usize,
    end: usize,
    replacement: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsFinding {
    rule: String,
    kind: &'static str,
    severity: &'static str,
    mode: &'static str,
    message: String,
    link: Option<String>,
    /// UTF-16 offsets of the flagged text.
    start: usize,
    end: usize,
    /// Exactly the text `start..end` covers, so the host can refuse a stale span.
    text: String,
    suggestions: Vec<JsSuggestion>,
    also: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsInfo {
    id: String,
    version: Option<String>,
    title: Option<String>,
    link: Option<String>,
    settings: crate::policy::Settings,
    layers: Vec<String>,
    rules: usize,
    phrases: usize,
}

fn js_error(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsError> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(js_error)
}

#[wasm_bindgen]
impl Engine {
    /// Compiles a policy given as YAML or JSON text. `extends: [default]` resolves to the
    /// embedded default policy.
    #[wasm_bindgen(constructor)]
    pub fn new(policy: &str) -> Result<Engine, JsError> {
        let policy = Policy::from_yaml("policy", policy).map_err(js_error)?;
        Ok(Engine {
            inner: crate::Engine::new(policy).map_err(js_error)?,
        })
    }

    /// The engine for the embedded default policy.
    #[wasm_bindgen(js_name = withDefaultPolicy)]
    pub fn with_default_policy() -> Result<Engine, JsError> {
        let policy = Policy::embedded_default().map_err(js_error)?;
        Ok(Engine {
            inner: crate::Engine::new(policy).map_err(js_error)?,
        })
    }

    /// Checks `text` for `platform` (an id such as `"linkedin"`, or undefined) on the day
    /// that contains `now` (milliseconds since the Unix epoch, as `Date.now()`; undefined
    /// skips date-windowed rules).
    pub fn check(
        &self,
        text: &str,
        platform: Option<String>,
        now: Option<f64>,
    ) -> Result<JsValue, JsError> {
        let platform = platform
            .as_deref()
            .filter(|p| !p.is_empty())
            .map(Platform::parse)
            .transpose()
            .map_err(js_error)?;
        let date = now
            .filter(|n| n.is_finite())
            .map(|ms| Date::from_unix_seconds((ms / 1000.0).floor() as i64));
        let findings = self.inner.check(&Draft {
            text,
            platform,
            date,
        });
        let mut offsets = Vec::with_capacity(findings.len() * 2);
        for f in &findings {
            offsets.extend([f.span.start, f.span.end]);
            for s in &f.suggestions {
                offsets.extend([s.span.start, s.span.end]);
            }
        }
        let pts = points(text, &offsets);
        let mut at = pts.iter().map(|p| p.utf16);
        let mut next = || at.next().unwrap_or(0);
        let out: Vec<JsFinding> = findings
            .into_iter()
            .map(|f| {
                let (start, end) = (next(), next());
                let suggestions = f
                    .suggestions
                    .into_iter()
                    .map(|s| JsSuggestion {
                        start: next(),
                        end: next(),
                        replacement: s.replacement,
                    })
                    .collect();
                JsFinding {
                    rule: f.rule,
                    kind: f.kind.name(),
                    severity: f.severity.name(),
                    mode: f.mode.name(),
                    message: f.message,
                    link: f.link,
                    start,
                    end,
                    text: f.text,
                    suggestions,
                    also: f.also,
                }
            })
            .collect();
        to_js(&out)
    }

    /// The YAML text of the embedded default policy (for the options page's playground).
    #[wasm_bindgen(js_name = defaultPolicyText)]
    pub fn default_policy_text() -> String {
        crate::policy::DEFAULT_POLICY.to_string()
    }

    /// The policy in force: id, version, title, link, settings, layers, rule and phrase
    /// counts.
    #[wasm_bindgen(getter)]
    pub fn info(&self) -> Result<JsValue, JsError> {
        let p = self.inner.policy();
        to_js(&JsInfo {
            id: p.id.clone(),
            version: p.version.as_ref().map(|v| v.to_string()),
            title: p.title.clone(),
            link: p.link.clone(),
            settings: p.settings,
            layers: p.layers.clone(),
            rules: p.rules.len(),
            phrases: self.inner.phrase_count(),
        })
    }
}
