//! The engine module (the wasm built without the `authoring` feature, what the extension's
//! service worker loads): it reads policies and bundles written as JSON, which is what
//! `draftguard bundle` seals, and the embedded default from its pre-parsed form. Run by
//! `make wasm-test` in Node; the authoring module's tests are in tests/wasm.rs.
#![cfg(all(target_arch = "wasm32", not(feature = "authoring")))]

use draftguard::bundle::{SecretKey, Stamp, envelope, seal};
use draftguard::policy::{EmbeddedResolver, Source, Version};
use draftguard::wasm::Engine;
use js_sys::{Array, Reflect};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

fn str_of(v: &JsValue, key: &str) -> String {
    Reflect::get(v, &JsValue::from_str(key))
        .expect("property exists")
        .as_string()
        .unwrap_or_default()
}

fn message(err: &JsValue) -> String {
    js_sys::Error::from(err.clone())
        .message()
        .as_string()
        .unwrap()
}

/// A policy as `draftguard bundle` seals it: the YAML an admin wrote, parsed, as JSON.
const POLICY: &str = r#"{"policy":"t","version":"3.1","extends":["default"],"rules":[{"id":"promissory","kind":"phrases","severity":"block","phrases":["guaranteed returns"]}],"tests":[{"text":"guaranteed returns","expect":["promissory"]}]}"#;

/// 2026-12-01T00:00:00Z in milliseconds, as `Date.now()` gives it.
const DEC_1: f64 = 1_796_083_200_000.0;

fn stamp() -> Stamp {
    Stamp {
        version: Some(Version::parse("3.2").unwrap()),
        issued_at: draftguard::Timestamp::parse("2026-11-23T00:00:00Z").unwrap(),
        expires_at: draftguard::Timestamp::parse("2026-12-23T00:00:00Z").unwrap(),
        as_written: false,
    }
}

#[wasm_bindgen_test]
fn the_default_policy_starts_from_its_preparsed_form() {
    let e = Engine::with_default_policy().unwrap();
    assert_eq!(str_of(&e.info().unwrap(), "id"), "default");
    let found = Array::from(&e.check("card 4111 1111 1111 1111", None, None).unwrap());
    assert_eq!(str_of(&found.get(0), "text"), "4111 1111 1111 1111");
}

#[wasm_bindgen_test]
fn a_sealed_bundle_opens_and_checks() {
    let key = SecretKey::from_seed([3; 32]);
    let (text, _) = seal(
        &Source::new("t.yaml", POLICY),
        &EmbeddedResolver,
        &key,
        &stamp(),
    )
    .unwrap();
    let e = Engine::from_bundle(&text, vec![key.public().to_string()], DEC_1, None).unwrap();
    assert_eq!(str_of(&e.bundle().unwrap(), "version"), "3.2");
    let found = Array::from(
        &e.check("guaranteed returns to 4111 1111 1111 1111", None, None)
            .unwrap(),
    );
    let rules: Vec<String> = found.iter().map(|f| str_of(&f, "rule")).collect();
    assert_eq!(
        rules,
        ["promissory", "card-number"],
        "the default's rules too"
    );
}

/// A bundle carrying YAML (sealed `--as-written`, or by an older CLI) is refused as an
/// invalid policy whose message says what to load instead; the extension then opens it
/// with its authoring module.
#[wasm_bindgen_test]
fn a_bundle_written_in_yaml_is_refused_with_what_to_load() {
    let key = SecretKey::from_seed([3; 32]);
    let payload = serde_json::json!({
        "policy": "t",
        "version": "3.2",
        "issued_at": "2026-11-23T00:00:00Z",
        "expires_at": "2026-12-23T00:00:00Z",
        "main": { "name": "t.yaml", "text": "policy: t\nrules: []\n" },
        "extends": {}
    });
    let text = envelope(&payload.to_string(), &key);
    let err = Engine::from_bundle(&text, vec![key.public().to_string()], DEC_1, None)
        .err()
        .unwrap();
    assert_eq!(str_of(&err, "code"), "invalid-policy");
    assert_eq!(str_of(&err, "kind"), "parse");
    assert_eq!(
        message(&err),
        "t.yaml:1:1: this engine reads policies written as JSON (what `draftguard bundle` seals); a policy written in YAML needs the authoring engine"
    );
}

#[wasm_bindgen_test]
fn json_policies_load_and_their_errors_name_the_file() {
    let e = Engine::new(POLICY).unwrap();
    let found = Array::from(&e.check("guaranteed returns", None, None).unwrap());
    assert_eq!(str_of(&found.get(0), "rule"), "promissory");

    let err = Engine::new("policy: t\nrules: []\n").err().unwrap();
    assert_eq!(str_of(&err, "kind"), "parse");
    assert!(message(&err).starts_with("policy:1:1: this engine reads policies written as JSON"));

    let err = Engine::new("{\"policy\": \"t\",\n \"rules\": [}")
        .err()
        .unwrap();
    assert_eq!(str_of(&err, "kind"), "parse");
    assert_eq!(message(&err), "policy:2:12: JSON: expected value");

    let bad =
        r#"{"policy":"t","rules":[{"id":"a","kind":"phrases","severity":"loud","phrases":["x"]}]}"#;
    let err = Engine::new(bad).err().unwrap();
    assert_eq!(str_of(&err, "kind"), "invalid-value");
    assert!(message(&err).starts_with("policy: "), "{}", message(&err));
}

/// What `check` returns (objects src/wasm/findings.js builds from the packed findings) is,
/// key for key, the JSON of the native report with UTF-16 spans: links and none,
/// suggestions, folded rules (`also`), text outside the BMP and escapes, and a draft with
/// a thousand findings.
#[wasm_bindgen_test]
fn check_returns_the_reports_objects() {
    use draftguard::report::{Report, Units};
    let wasm = Engine::with_default_policy().unwrap();
    let native = draftguard::Engine::new(draftguard::Policy::embedded_default().unwrap()).unwrap();
    let many = "Guaranteed returns 😀 at bit.ly/x, card 4111 1111 1111 1111. ".repeat(500);
    let drafts = [
        "",
        "nothing to see",
        "Guaranteed returns! “risk-free” 😀 e\u{301} call 555-123-4567, ssn 123-45-6789 \"q\" \\ \t bit.ly/x #ad",
        "4111 1111 1111 1111 and 4111111111111111\n\u{200b}guaranteed\u{a0}returns",
        &many,
    ];
    for text in drafts {
        let ours = js_sys::JSON::stringify(&wasm.check(text, None, None).unwrap()).unwrap();
        let findings = native.check(&draftguard::Draft::new(text));
        let theirs =
            serde_json::to_string(&Report::new(text, &findings).json(Units::Utf16)).unwrap();
        assert_eq!(String::from(ours), theirs, "{text:?}");
        if text == many {
            assert!(findings.len() >= 1000, "{}", findings.len());
        }
    }
}
