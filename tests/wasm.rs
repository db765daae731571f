//! The wasm bindings of the authoring module (the `authoring` feature: YAML policies,
//! errors with their line and column), run by `wasm-bindgen-test-runner` in Node and, with
//! `WASM_BINDGEN_USE_BROWSER=1`, in headless Chromium: `make wasm-test` (plain `#[test]`s
//! do not run under wasm32). The engine module's own tests are in tests/wasm_engine.rs.
#![cfg(all(target_arch = "wasm32", feature = "authoring"))]

use draftguard::wasm::Engine;
use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).expect("property exists")
}

fn str_of(v: &JsValue, key: &str) -> String {
    get(v, key).as_string().unwrap_or_default()
}

fn num(v: &JsValue, key: &str) -> f64 {
    get(v, key).as_f64().expect("a number")
}

const POLICY: &str = "policy: t\nversion: \"3.1\"\nrules:\n  - {id: promissory, kind: phrases, severity: block, phrases: [\"guaranteed returns\"], suggest: {\"guaranteed returns\": \"potential returns\"}}\n  - {id: x-length, kind: length, platforms: [x], max: 10}\n  - {id: quiet, kind: phrases, phrases: [earnings], active: {from: 2026-12-15, until: 2027-01-25}}\n";

#[wasm_bindgen_test]
fn findings_carry_utf16_offsets_and_the_exact_text() {
    let e = Engine::new(POLICY).unwrap();
    // 👩‍👩‍👧 is 8 UTF-16 units; "é" is 1.
    let text = "👩‍👩‍👧 é gu@ranteed returns!";
    let found = Array::from(&e.check(text, None, None).unwrap());
    assert_eq!(found.length(), 1);
    let f = found.get(0);
    assert_eq!(str_of(&f, "rule"), "promissory");
    assert_eq!(str_of(&f, "severity"), "block");
    assert_eq!(str_of(&f, "mode"), "enforce");
    assert_eq!(str_of(&f, "text"), "gu@ranteed returns");
    assert_eq!((num(&f, "start"), num(&f, "end")), (11.0, 29.0));
    let s = Array::from(&get(&f, "suggestions")).get(0);
    assert_eq!(str_of(&s, "replacement"), "potential returns");
    assert_eq!((num(&s, "start"), num(&s, "end")), (11.0, 29.0));
    // Exactly these properties, in this order, as plain JS values.
    let keys = |v: &JsValue| -> Vec<String> {
        js_sys::Object::keys(&js_sys::Object::from(v.clone()))
            .iter()
            .map(|k| k.as_string().unwrap())
            .collect()
    };
    assert_eq!(
        keys(&f),
        [
            "rule",
            "kind",
            "severity",
            "mode",
            "message",
            "link",
            "start",
            "end",
            "text",
            "suggestions",
            "also"
        ]
    );
    assert_eq!(keys(&s), ["start", "end", "replacement"]);
    assert_eq!(str_of(&f, "kind"), "phrases");
    assert!(get(&f, "link").is_null());
    assert!(Array::is_array(&get(&f, "also")));
}

#[wasm_bindgen_test]
fn platform_and_date_scope_rules() {
    let e = Engine::new(POLICY).unwrap();
    let long = "earnings are up a lot";
    assert_eq!(Array::from(&e.check(long, None, None).unwrap()).length(), 0);
    let on_x = Array::from(&e.check(long, Some("x".into()), None).unwrap());
    assert_eq!(on_x.length(), 1);
    assert_eq!(str_of(&on_x.get(0), "rule"), "x-length");
    // 2026-12-20T12:00:00Z
    let in_window = Array::from(&e.check(long, None, Some(1_797_768_000_000.0)).unwrap());
    assert_eq!(str_of(&in_window.get(0), "rule"), "quiet");
    let err = e
        .check(long, Some("myspace".into()), None)
        .expect_err("unknown platform");
    assert_eq!(str_of(&err, "kind"), "invalid-value");
    assert!(
        js_sys::Error::from(err)
            .message()
            .as_string()
            .unwrap()
            .starts_with("unknown platform `myspace`")
    );
}

#[wasm_bindgen_test]
fn policy_errors_are_js_errors_with_the_cli_message() {
    let err: JsValue = Engine::new("policy: t\nrules:\n  - {id: a, kind: phrases, phrase: [x]}\n")
        .err()
        .unwrap();
    assert_eq!(str_of(&err, "kind"), "unknown-field");
    assert!(
        get(&err, "code").is_undefined(),
        "only bundle refusals have a code"
    );
    let msg = js_sys::Error::from(err).message().as_string().unwrap();
    assert!(
        msg.starts_with("policy:3:28: rule `a`: unknown field `phrase` (did you mean `phrases`?)"),
        "{msg}"
    );
    // Programs branch on the kind, not on the message.
    for (policy, kind) in [
        ("policy: t\nrules: [", "parse"),
        (
            "policy: t\nrules:\n  - {id: n, kind: near, a: [x]}\n",
            "missing-field",
        ),
        (
            "policy: t\nrules:\n  - {id: p, kind: pattern, pattern: '(x'}\n",
            "invalid-pattern",
        ),
        ("policy: t\nextends: [nowhere]\nrules: []\n", "not-found"),
    ] {
        let err = Engine::new(policy).err().unwrap();
        assert_eq!(str_of(&err, "kind"), kind, "{policy}");
    }
}

#[wasm_bindgen_test]
fn the_default_policy_and_info() {
    let e = Engine::with_default_policy().unwrap();
    let info = e.info().unwrap();
    assert_eq!(str_of(&info, "id"), "default");
    assert_eq!(str_of(&get(&info, "settings"), "override"), "justify");
    assert!(num(&info, "rules") > 10.0);
    let found = Array::from(&e.check("card 4111 1111 1111 1111", None, None).unwrap());
    assert_eq!(str_of(&found.get(0), "text"), "4111 1111 1111 1111");
    assert!(Engine::default_policy_text().starts_with("# draftguard default policy"));
    let e2 = Engine::new(POLICY).unwrap();
    assert_eq!(str_of(&e2.info().unwrap(), "version"), "3.1");
}

/// A bundle of `POLICY` signed with a fixed key, issued 2026-11-23 for 30 days.
fn bundle(version: &str) -> (String, String) {
    bundle_of(POLICY, version)
}

fn bundle_of(policy: &str, version: &str) -> (String, String) {
    use draftguard::bundle::{SecretKey, Stamp, seal};
    use draftguard::policy::{EmbeddedResolver, Source, Version};
    let key = SecretKey::from_seed([3; 32]);
    let stamp = Stamp {
        version: Some(Version::parse(version).unwrap()),
        issued_at: draftguard::Timestamp::parse("2026-11-23T00:00:00Z").unwrap(),
        expires_at: draftguard::Timestamp::parse("2026-12-23T00:00:00Z").unwrap(),
        as_written: false,
    };
    let (text, _) = seal(
        &Source::new("t.yaml", policy),
        &EmbeddedResolver,
        &key,
        &stamp,
    )
    .unwrap();
    (text, key.public().to_string())
}

/// 2026-12-01T00:00:00Z in milliseconds, as `Date.now()` gives it.
const DEC_1: f64 = 1_796_083_200_000.0;

fn refusal_code(r: Result<Engine, JsValue>) -> (String, String) {
    let err = r.err().expect("the bundle is refused");
    let msg = js_sys::Error::from(err.clone())
        .message()
        .as_string()
        .unwrap();
    (str_of(&err, "code"), msg)
}

#[wasm_bindgen_test]
fn a_signed_bundle_opens_with_a_pinned_key() {
    let (text, key) = bundle("3.2");
    let e = Engine::from_bundle(
        &text,
        vec!["ed25519:junk".into(), key.clone()],
        DEC_1,
        Some("3.1".into()),
    )
    .unwrap();
    let b = e.bundle().unwrap();
    assert_eq!(str_of(&b, "policy"), "t");
    assert_eq!(str_of(&b, "version"), "3.2");
    assert_eq!(str_of(&b, "expiresAt"), "2026-12-23T00:00:00Z");
    assert_eq!(str_of(&b, "key"), key);
    assert_eq!(str_of(&e.info().unwrap(), "version"), "3.2");
    let found = Array::from(&e.check("guaranteed returns", None, None).unwrap());
    assert_eq!(str_of(&found.get(0), "rule"), "promissory");
    assert!(
        Engine::new(POLICY)
            .unwrap()
            .bundle()
            .unwrap()
            .is_undefined()
    );
    assert_eq!(draftguard::wasm::max_bundle_bytes(), 2 * 1024 * 1024);
}

#[wasm_bindgen_test]
fn refused_bundles_throw_errors_with_a_code() {
    let (text, key) = bundle("3.2");
    let tampered = text.replacen("guaranteed returns", "guaranteed income", 1);
    assert_eq!(
        refusal_code(Engine::from_bundle(
            &tampered,
            vec![key.clone()],
            DEC_1,
            None
        ))
        .0,
        "bad-signature"
    );
    let (code, msg) = refusal_code(Engine::from_bundle(
        &text,
        vec!["ed25519:junk".into()],
        DEC_1,
        None,
    ));
    assert_eq!(code, "unknown-key");
    assert!(
        msg.contains("unusable pinned keys: `ed25519:junk` is not 32 bytes of base64"),
        "{msg}"
    );
    let (code, msg) = refusal_code(Engine::from_bundle(
        &text,
        vec![key.clone()],
        DEC_1 + 30.0 * 86_400_000.0,
        None,
    ));
    assert_eq!(
        (code.as_str(), msg.as_str()),
        ("expired", "the bundle expired at 2026-12-23T00:00:00Z")
    );
    assert_eq!(
        refusal_code(Engine::from_bundle(
            &text,
            vec![key.clone()],
            DEC_1,
            Some("3.2".into())
        ))
        .0,
        "rollback"
    );
    assert_eq!(
        refusal_code(Engine::from_bundle("{}", vec![key], DEC_1, None)).0,
        "malformed"
    );
}

#[wasm_bindgen_test]
fn platforms_lists_every_id_check_accepts() {
    let ids = draftguard::wasm::platforms();
    assert_eq!(ids.first().map(String::as_str), Some("linkedin"));
    assert!(ids.iter().any(|p| p == "generic"));
    assert!(!ids.iter().any(|p| p == "myspace" || p == "twitter"));
    let e = Engine::new(POLICY).unwrap();
    for p in &ids {
        assert!(e.check("hello", Some(p.clone()), None).is_ok(), "{p}");
    }
}

const LIBRARY: &str = "policy: lib\nrules:\n  - {id: promissory, kind: phrases, severity: block, phrases: [\"guaranteed returns\"]}\nlibrary:\n  - {id: launch, title: Launch, text: '🚀 Live: {link} by {team}', link: 'https://acme.example/a', platforms: [x, linkedin], tags: [launch], lang: en, note: COMP-1}\n  - {id: day, title: Community day, text: 'See you at {place}', active: {from: 2026-12-05, until: 2026-12-06}}\n  - {id: old, title: Old, text: 'Old news', active: {until: 2026-11-30}}\n";

/// The bundle carries the library; the engine offers the entries for a platform on a day,
/// with the text as inserted and placeholder spans in UTF-16 units, never the note.
#[wasm_bindgen_test]
fn a_bundle_offers_the_entries_active_for_a_platform_on_a_day() {
    let (text, key) = bundle_of(LIBRARY, "1");
    let e = Engine::from_bundle(&text, vec![key], DEC_1, None).unwrap();
    let ids = |platform: Option<&str>, now: Option<f64>| -> Vec<String> {
        Array::from(&e.library(platform.map(str::to_string), now).unwrap())
            .iter()
            .map(|v| str_of(&v, "id"))
            .collect()
    };
    const DAY: f64 = 86_400_000.0;
    assert_eq!(ids(Some("x"), Some(DEC_1)), ["launch"]);
    assert_eq!(ids(Some("reddit"), Some(DEC_1 + 4.0 * DAY)), ["day"]);
    assert_eq!(ids(Some("linkedin"), Some(DEC_1 - DAY)), ["launch", "old"]);
    assert_eq!(ids(None, None), ["launch", "day", "old"]);
    let launch = Array::from(&e.library(Some("x".into()), Some(DEC_1)).unwrap()).get(0);
    assert_eq!(
        str_of(&launch, "text"),
        "🚀 Live: https://acme.example/a by {team}"
    );
    assert_eq!(str_of(&launch, "title"), "Launch");
    assert!(get(&launch, "note").is_undefined());
    let p = Array::from(&get(&launch, "placeholders")).get(0);
    assert_eq!(str_of(&p, "name"), "team");
    // 🚀 is 2 UTF-16 units.
    assert_eq!((num(&p, "start"), num(&p, "end")), (35.0, 41.0));
    let err = e.library(Some("myspace".into()), None).err().unwrap();
    assert_eq!(str_of(&err, "kind"), "invalid-value");
}

#[wasm_bindgen_test]
fn adapters_come_out_in_the_extensions_shape() {
    let e = Engine::new(
        "policy: t\nadapters:\n  - {id: acme, platform: generic, hosts: [\"127.0.0.1\"], composer: [\".note\"], postButtonText: [Ship it]}\n",
    )
    .unwrap();
    let list = Array::from(&e.adapters().unwrap());
    assert_eq!(list.length(), 1);
    let a = list.get(0);
    assert_eq!(str_of(&a, "id"), "acme");
    assert_eq!(str_of(&a, "platform"), "generic");
    assert_eq!(
        Array::from(&get(&a, "hosts")).get(0).as_string().unwrap(),
        "127.0.0.1"
    );
    assert_eq!(
        Array::from(&get(&a, "composer"))
            .get(0)
            .as_string()
            .unwrap(),
        ".note"
    );
    assert_eq!(Array::from(&get(&a, "postButton")).length(), 0);
    assert_eq!(
        Array::from(&get(&a, "submitKeys"))
            .get(0)
            .as_string()
            .unwrap(),
        "Mod+Enter"
    );
    assert!(get(&a, "matchSelector").is_undefined());
    assert_eq!(
        Array::from(&Engine::with_default_policy().unwrap().adapters().unwrap()).length(),
        0
    );
}

/// The wasm engine reads the embedded default pre-parsed (no YAML at start-up): a policy
/// that extends it gets every default rule, and an error in the overlay still names its
/// line and column.
#[wasm_bindgen_test]
fn a_policy_extending_the_default_builds_on_it() {
    let overlay = "policy: acme\nextends: [default]\nrules:\n  - {id: codename-acme, kind: phrases, phrases: [falcon]}\n";
    let e = Engine::new(overlay).unwrap();
    let base = Engine::with_default_policy().unwrap();
    assert_eq!(
        num(&e.info().unwrap(), "rules"),
        num(&base.info().unwrap(), "rules") + 1.0
    );
    let found = Array::from(
        &e.check("falcon, card 4111 1111 1111 1111", None, None)
            .unwrap(),
    );
    let rules: Vec<String> = found.iter().map(|f| str_of(&f, "rule")).collect();
    assert_eq!(rules, ["codename-acme", "card-number"]);
    let err = Engine::new(
        "policy: acme\nextends: [default]\nrules:\n  - {id: card-number, severity: loud}\n",
    )
    .err()
    .unwrap();
    let msg = js_sys::Error::from(err).message().as_string().unwrap();
    assert!(msg.starts_with("policy:4:"), "{msg}");
}

/// `check` as JavaScript calls it (the text a JS string, written into wasm memory by
/// `TextEncoder.encodeInto`, the findings parsed from JSON) gives exactly the findings of
/// the Rust-side `check`, lone surrogates (U+FFFD, one unit) and all.
#[wasm_bindgen_test]
fn check_from_a_js_string_is_check_from_rust() {
    let e = Engine::new(POLICY).unwrap();
    let texts = [
        String::new(),
        "no findings here".to_string(),
        "👩‍👩‍👧 é gu@ranteed returns! \"quoted\" \\ back\nslash\tguaranteed returns".repeat(40),
    ];
    for text in &texts {
        let js = js_sys::JsString::from(text.as_str());
        let a = js_sys::JSON::stringify(&e.check_js(&js, None, None).unwrap()).unwrap();
        let b = js_sys::JSON::stringify(&e.check(text, None, None).unwrap()).unwrap();
        assert_eq!(a, b);
    }
    // A lone surrogate before the phrase: one UTF-16 unit, as in the page's text.
    let lone = js_sys::JsString::from_char_code1(0xD800).concat(&"guaranteed returns".into());
    let found = Array::from(&e.check_js(&lone, None, None).unwrap());
    assert_eq!(found.length(), 1);
    assert_eq!(
        (num(&found.get(0), "start"), num(&found.get(0), "end")),
        (1.0, 19.0)
    );
    assert!(
        e.check_js(&JsValue::from(3).unchecked_into(), None, None)
            .is_err()
    );
}
