//! The WebAssembly API, compiled only for `wasm32`: a thin layer over [`crate::Engine`]
//! that speaks JavaScript. Spans are UTF-16 code units (what the DOM and JS strings use).
//!
//! ```js
//! import init, { Engine } from "./draftguard.js";
//! await init();
//! const engine = Engine.withDefaultPolicy();          // or new Engine(policyYamlOrJson)
//! const findings = engine.check(text, "linkedin", Date.now());
//! // [{ rule, kind, severity, mode, message, link, start, end, text, suggestions, also }]
//!
//! // A signed bundle, checked against the admin's pinned keys, the clock and the version
//! // in force; throws an Error with `code` ("bad-signature", "rollback", ...) if refused.
//! const managed = Engine.fromBundle(bundleText, ["ed25519:..."], Date.now(), "2026.11.1");
//! managed.bundle; // { policy, version, issuedAt, expiresAt, key }
//!
//! // The approved posts offered on a platform today (crate::offer's JSON, UTF-16 spans):
//! engine.library("linkedin", Date.now());
//! // [{ id, title, text, link, platforms, tags, lang, active, placeholders: [{ name, start, end }] }]
//! ```
//!
//! Errors are JS `Error`s whose message is exactly what the CLI prints (file, line,
//! column, rule) and whose `kind` is the [`crate::ErrorKind`] by name (`parse`,
//! `unknown-field`, `invalid-pattern`, ...), for code that branches on it. JavaScript strings may hold lone surrogates; they arrive here as
//! U+FFFD, which is also one UTF-16 unit, so offsets still line up with the page's text.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::bundle::{self, BundleMeta, PublicKey, Trust};
use crate::policy::Version;
use crate::report::{Report, Units};
use crate::{Date, Draft, Error, ErrorKind, Platform, Policy, Timestamp};

/// A compiled policy, ready to check drafts.
#[wasm_bindgen]
pub struct Engine {
    inner: crate::Engine,
    /// Set when the policy came from a signed bundle.
    bundle: Option<BundleMeta>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsBundle {
    policy: String,
    version: String,
    issued_at: String,
    expires_at: String,
    key: String,
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

/// A JS `Error` with the message and machine-readable properties (`kind`, `code`).
fn js_error_with(message: &str, properties: &[(&str, &str)]) -> JsValue {
    let err = js_sys::Error::new(message);
    for (name, value) in properties {
        // Setting a property on a fresh Error object cannot fail.
        let _ = js_sys::Reflect::set(&err, &(*name).into(), &(*value).into());
    }
    err.into()
}

/// A policy error as a JS `Error`: the CLI's message and the error's `kind`.
fn policy_error(e: Error) -> JsValue {
    js_error_with(&e.to_string(), &[("kind", e.kind.name())])
}

/// A refused bundle as a JS `Error` with its `code`, and the policy error's `kind` when
/// the policy in it is invalid.
fn coded_error(code: &str, message: &str, kind: Option<ErrorKind>) -> JsValue {
    match kind {
        Some(k) => js_error_with(message, &[("code", code), ("kind", k.name())]),
        None => js_error_with(message, &[("code", code)]),
    }
}

/// `v` as plain JS objects: serialized to JSON text and parsed by the host's `JSON.parse`,
/// the same values `serde_wasm_bindgen`'s `json_compatible` serializer makes (maps as
/// objects, `None` as `null`), and the same path `check`'s findings take, so the module
/// carries one serializer (serde_json's) instead of two.
fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsError> {
    let json = serde_json::to_string(v).map_err(js_error)?;
    js_sys::JSON::parse(&json).map_err(|_| JsError::new("cannot parse the engine's own JSON"))
}

#[wasm_bindgen]
impl Engine {
    /// Compiles a policy given as YAML or JSON text. `extends: [default]` resolves to the
    /// embedded default policy.
    #[wasm_bindgen(constructor)]
    pub fn new(policy: &str) -> Result<Engine, JsValue> {
        let policy = Policy::from_yaml("policy", policy).map_err(policy_error)?;
        Ok(Engine {
            inner: crate::Engine::new(policy).map_err(policy_error)?,
            bundle: None,
        })
    }

    /// Opens a signed bundle: its key must be one of `pinned_keys` (`ed25519:BASE64`),
    /// its signature valid, it must not have expired at `now` (ms since the epoch), its
    /// version must be higher than `in_force` (if given), and its policy must load and
    /// pass its own tests. A refusal throws an `Error` whose `code` is one of `oversized`,
    /// `malformed`, `unknown-key`, `bad-signature`, `expired`, `rollback`,
    /// `invalid-policy`, `tests-failed`.
    #[wasm_bindgen(js_name = fromBundle)]
    pub fn from_bundle(
        text: &str,
        pinned_keys: Vec<String>,
        now: f64,
        in_force: Option<String>,
    ) -> Result<Engine, JsValue> {
        let mut keys = Vec::new();
        let mut bad = Vec::new();
        for k in &pinned_keys {
            match PublicKey::parse(k) {
                Ok(key) => keys.push(key),
                Err(e) => bad.push(e.message),
            }
        }
        let in_force = in_force.as_deref().and_then(|v| Version::parse(v).ok());
        let trust = Trust {
            keys: &keys,
            now: Timestamp((now / 1000.0).floor() as i64),
            in_force: in_force.as_ref(),
        };
        match bundle::open(text, &trust) {
            Ok(opened) => Ok(Engine {
                inner: opened.engine,
                bundle: Some(opened.meta),
            }),
            Err(r) if r.code == bundle::RefusalCode::UnknownKey && !bad.is_empty() => {
                Err(coded_error(
                    r.code.name(),
                    &format!("{}; unusable pinned keys: {}", r.message, bad.join("; ")),
                    r.kind,
                ))
            }
            Err(r) => Err(coded_error(r.code.name(), &r.message, r.kind)),
        }
    }

    /// The signed bundle the policy came from (`{ policy, version, issuedAt, expiresAt,
    /// key }`), or `undefined`.
    #[wasm_bindgen(getter)]
    pub fn bundle(&self) -> Result<JsValue, JsError> {
        match &self.bundle {
            None => Ok(JsValue::UNDEFINED),
            Some(m) => to_js(&JsBundle {
                policy: m.policy.clone(),
                version: m.version.to_string(),
                issued_at: m.issued_at.to_string(),
                expires_at: m.expires_at.to_string(),
                key: m.key.to_string(),
            }),
        }
    }

    /// The engine for the embedded default policy.
    #[wasm_bindgen(js_name = withDefaultPolicy)]
    pub fn with_default_policy() -> Result<Engine, JsValue> {
        let policy = Policy::embedded_default().map_err(policy_error)?;
        Ok(Engine {
            inner: crate::Engine::new(policy).map_err(policy_error)?,
            bundle: None,
        })
    }

    /// Checks `text` for `platform` (an id such as `"linkedin"`, or undefined) on the day
    /// that contains `now` (milliseconds since the Unix epoch, as `Date.now()`; undefined
    /// skips date-windowed rules).
    ///
    /// The text arrives as a JS string and is written into the engine's memory by one
    /// `TextEncoder.encodeInto` (wasm-bindgen's own `string` argument copies it a UTF-16
    /// unit at a time in JavaScript: 6 µs of a 3,000-character check in V8), and the
    /// findings leave packed as numbers and one string of all their strings, from which
    /// src/wasm/findings.js builds the objects (instead of a boundary crossing per
    /// property and per string, or a `JSON.parse` that cost more than the check).
    #[wasm_bindgen(js_name = check)]
    pub fn check_js(
        &self,
        text: &js_sys::JsString,
        platform: Option<String>,
        now: Option<f64>,
    ) -> Result<JsValue, JsValue> {
        if !text.is_string() {
            return Err(js_error_with("check: the text must be a string", &[]));
        }
        SCRATCH.with(|scratch| {
            let mut buf = scratch.borrow_mut();
            let text = encode_into(text, &mut buf);
            let out = self.check(text, platform, now);
            if buf.capacity() > SCRATCH_KEEP {
                *buf = Vec::new();
            }
            out
        })
    }
}

// The check's text as UTF-8, reused between checks (wasm is single-threaded), and the
// host's TextEncoder.
thread_local! {
    static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    static ENCODER: TextEncoder = TextEncoder::new();
}

/// The largest text buffer kept between checks (bytes); a bigger one is freed after use.
const SCRATCH_KEEP: usize = 1 << 20;

// Builds the findings `check` returns from `Report::packed` (see `Packed`).
#[wasm_bindgen(module = "/src/wasm/findings.js")]
extern "C" {
    fn unpack(strings: &str, numbers: &[u32]) -> JsValue;
}

#[wasm_bindgen]
extern "C" {
    type TextEncoder;
    #[wasm_bindgen(constructor)]
    fn new() -> TextEncoder;
    #[wasm_bindgen(method, js_name = encodeInto)]
    fn encode_into(
        this: &TextEncoder,
        text: &js_sys::JsString,
        into: &js_sys::Uint8Array,
    ) -> EncodeResult;
    type EncodeResult;
    #[wasm_bindgen(method, getter)]
    fn written(this: &EncodeResult) -> u32;
}

/// `text` as UTF-8 in `buf` (lone surrogates become U+FFFD, one UTF-16 unit, as
/// wasm-bindgen's `string` arguments do).
fn encode_into<'b>(text: &js_sys::JsString, buf: &'b mut Vec<u8>) -> &'b str {
    // Every UTF-16 unit is at most 3 bytes of UTF-8.
    let need = text.length() as usize * 3;
    buf.clear();
    buf.reserve(need);
    // SAFETY: the view covers `buf`'s allocation (capacity >= need) and lives only for
    // this call; nothing allocates (so wasm memory cannot grow and detach it) before
    // encodeInto has written into it.
    let view = unsafe { js_sys::Uint8Array::view_mut_raw(buf.as_mut_ptr(), need) };
    let written = ENCODER.with(|e| e.encode_into(text, &view).written()) as usize;
    drop(view);
    // SAFETY: encodeInto wrote `written` (<= need <= capacity) initialized bytes.
    unsafe { buf.set_len(written.min(need)) };
    // encodeInto writes valid UTF-8; checked anyway, so a broken host cannot make a &str of
    // invalid bytes (an invalid tail is dropped).
    match std::str::from_utf8(buf) {
        Ok(s) => s,
        Err(e) => {
            let valid = e.valid_up_to();
            // SAFETY: the first `valid` bytes were just validated.
            unsafe { std::str::from_utf8_unchecked(&buf[..valid]) }
        }
    }
}

impl Engine {
    /// [`Engine::check_js`] on a Rust string: the findings as JS values.
    pub fn check(
        &self,
        text: &str,
        platform: Option<String>,
        now: Option<f64>,
    ) -> Result<JsValue, JsValue> {
        let platform = platform
            .as_deref()
            .filter(|p| !p.is_empty())
            .map(Platform::parse)
            .transpose()
            .map_err(policy_error)?;
        let date = now
            .filter(|n| n.is_finite())
            .map(|ms| Date::from_unix_seconds((ms / 1000.0).floor() as i64));
        let findings = self.inner.check(&Draft {
            text,
            platform,
            date,
        });
        if findings.is_empty() {
            return Ok(js_sys::Array::new().into());
        }
        // One conversion of every span for the whole draft; UTF-16 offsets, as the DOM
        // counts. Packed as numbers and strings; src/wasm/findings.js builds the objects.
        let packed = Report::new(text, &findings).packed();
        Ok(unpack(&packed.strings, &packed.numbers))
    }
}

#[wasm_bindgen]
impl Engine {
    /// The approved posts (`library:`) offered on `platform` (an id such as `"x"`;
    /// undefined: every platform) on the day that contains `now` (ms since the epoch;
    /// undefined: whatever their window), in the policy's order. Each is `{ id, title,
    /// text, link, platforms, tags, lang, active, placeholders: [{ name, start, end }] }`
    /// with `text` as inserted (`{link}` filled in) and placeholder spans in UTF-16 units.
    pub fn library(&self, platform: Option<String>, now: Option<f64>) -> Result<JsValue, JsValue> {
        let platform = platform
            .as_deref()
            .filter(|p| !p.is_empty())
            .map(Platform::parse)
            .transpose()
            .map_err(policy_error)?;
        let date = now
            .filter(|n| n.is_finite())
            .map(|ms| Date::from_unix_seconds((ms / 1000.0).floor() as i64));
        let list: Vec<_> = crate::offer::offered(self.inner.policy(), platform, date)
            .map(|e| crate::offer::json(e, Units::Utf16))
            .collect();
        Ok(to_js(&list)?)
    }
}

/// The largest bundle `Engine.fromBundle` accepts, in bytes (check before downloading more).
#[wasm_bindgen(js_name = maxBundleBytes)]
pub fn max_bundle_bytes() -> usize {
    bundle::MAX_BUNDLE_BYTES
}

/// The platform ids `check` accepts (`Platform::ALL`). The extension's build writes them
/// next to the site adapters, whose `platform` must be one of them.
#[wasm_bindgen]
pub fn platforms() -> Vec<String> {
    Platform::ALL.map(|p| p.name().to_string()).to_vec()
}

#[wasm_bindgen]
impl Engine {
    /// The YAML text of the embedded default policy (for the options page's playground);
    /// in the authoring module only.
    #[cfg(feature = "authoring")]
    #[wasm_bindgen(js_name = defaultPolicyText)]
    pub fn default_policy_text() -> String {
        crate::policy::DEFAULT_POLICY.to_string()
    }

    /// The policy's site adapters (`adapters:`), each exactly as the extension's
    /// adapters.json writes one (`{ id, platform, hosts, composer, postButton, submitKeys,
    /// ... }`), for the extension to lay over its built-in adapters by id.
    #[wasm_bindgen(getter)]
    pub fn adapters(&self) -> Result<JsValue, JsError> {
        to_js(&self.inner.policy().adapters)
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
