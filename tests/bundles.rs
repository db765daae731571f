//! Signed bundles: sign, verify, and every reason a browser refuses one.

use draftguard::bundle::{
    self, MAX_BUNDLE_BYTES, Payload, PublicKey, RefusalCode, SecretKey, Stamp, Trust,
};
use draftguard::policy::{FsResolver, Source, Version};
use draftguard::{Draft, Timestamp, json, yaml};

const POLICY: &str = "policy: acme\nversion: \"2026.11.2\"\nextends: [default]\nrules:\n  - {id: harbor, kind: phrases, severity: block, phrases: [\"blue harbor\"]}\ntests:\n  - {text: \"Blue Harbor ships soon\", expect: [harbor]}\n  - {text: \"A harbor that is blue\", expect: []}\n";

fn key(n: u8) -> SecretKey {
    SecretKey::from_seed([n; 32])
}

fn t(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

fn stamp() -> Stamp {
    Stamp {
        version: None,
        issued_at: t("2026-11-23T09:00:00Z"),
        expires_at: t("2027-02-21T09:00:00Z"),
        as_written: false,
    }
}

fn seal(policy: &str, k: &SecretKey, stamp: &Stamp) -> String {
    bundle::seal(&Source::new("acme.yaml", policy), &FsResolver, k, stamp)
        .unwrap()
        .0
}

fn open_with(
    text: &str,
    keys: &[PublicKey],
    now: &str,
    in_force: Option<&str>,
) -> Result<bundle::Opened, bundle::Refusal> {
    let v = in_force.map(|v| Version::parse(v).unwrap());
    bundle::open(
        text,
        &Trust {
            keys,
            now: t(now),
            in_force: v.as_ref(),
        },
    )
}

fn refusal(r: Result<bundle::Opened, bundle::Refusal>) -> (RefusalCode, String) {
    let e = r.expect_err("the bundle is refused");
    (e.code, e.message)
}

/// The JSON-escaped payload string inside the bundle file, changed by `edit`, without
/// re-signing.
fn tamper(bundle: &str, from: &str, to: &str) -> String {
    assert!(bundle.contains(from), "{from} is in the bundle");
    bundle.replacen(from, to, 1)
}

#[test]
fn a_sealed_bundle_opens_and_enforces_its_policy_and_its_bases() {
    let k = key(1);
    let b = seal(POLICY, &k, &stamp());
    let o = open_with(
        &b,
        &[key(9).public(), k.public()],
        "2026-12-01T00:00:00Z",
        Some("2026.11.1"),
    )
    .unwrap();
    assert_eq!(o.meta.policy, "acme");
    assert_eq!(o.meta.version.to_string(), "2026.11.2");
    assert_eq!(o.meta.issued_at.to_string(), "2026-11-23T09:00:00Z");
    assert_eq!(o.meta.expires_at.to_string(), "2027-02-21T09:00:00Z");
    assert_eq!(o.meta.key, k.public());
    assert_eq!(o.tests, 2);
    // The bundle's own rule, and a rule from the embedded default it extends (the default
    // travels inside the bundle).
    let rules: Vec<String> = o
        .engine
        .check(&Draft::new("Blue Harbor: card 4111 1111 1111 1111"))
        .into_iter()
        .map(|f| f.rule)
        .collect();
    assert_eq!(rules, ["harbor", "card-number"]);
    let envelope: serde_json::Value = serde_json::from_str(&b).unwrap();
    let payload: Payload = serde_json::from_str(envelope["payload"].as_str().unwrap()).unwrap();
    assert_eq!(payload.main.name, "acme.yaml");
    assert_eq!(payload.extends.keys().collect::<Vec<_>>(), ["default"]);
    // The files travel parsed, as compact JSON (the engine wasm reads no YAML).
    let parsed = |yaml: &str| serde_json::to_string(&yaml::parse(yaml).unwrap().value).unwrap();
    assert_eq!(payload.main.text, parsed(POLICY));
    assert_eq!(
        payload.extends["default"].text,
        parsed(draftguard::policy::DEFAULT_POLICY)
    );
    assert!(json::parse(&payload.extends["default"].text).is_ok());
}

/// `--as-written`: the files travel as the admin wrote them, and mean the same.
#[test]
fn a_bundle_sealed_as_written_carries_the_yaml_and_the_same_policy() {
    let k = key(1);
    let written = Stamp {
        as_written: true,
        ..stamp()
    };
    let (text, payload) =
        bundle::seal(&Source::new("acme.yaml", POLICY), &FsResolver, &k, &written).unwrap();
    assert_eq!(payload.main.text, POLICY);
    assert_eq!(
        payload.extends["default"].text,
        draftguard::policy::DEFAULT_POLICY
    );
    let as_written = open_with(&text, &[k.public()], "2026-12-01T00:00:00Z", None).unwrap();
    let parsed = open_with(
        &seal(POLICY, &k, &stamp()),
        &[k.public()],
        "2026-12-01T00:00:00Z",
        None,
    )
    .unwrap();
    assert_eq!(as_written.tests, parsed.tests);
    let rules = |o: &bundle::Opened| -> Vec<String> {
        o.engine
            .policy()
            .rules
            .iter()
            .map(|r| r.id.clone())
            .collect()
    };
    assert_eq!(rules(&as_written), rules(&parsed));
}

#[test]
fn reference_policy_files_bundle_with_their_bases_and_only_file_names() {
    let k = key(1);
    let main = Source::read(std::path::Path::new("policies/financial-services.yaml")).unwrap();
    let (text, payload) = bundle::seal(&main, &FsResolver, &k, &stamp()).unwrap();
    assert_eq!(payload.main.name, "financial-services.yaml");
    assert!(
        payload.extends.values().all(|f| !f.name.contains('/')),
        "no directory names travel"
    );
    assert!(!text.contains(env!("CARGO_MANIFEST_DIR")));
    let o = open_with(&text, &[k.public()], "2026-12-01T00:00:00Z", None).unwrap();
    assert_eq!(o.tests, 95);
    // The library travels in the signed policy files: the default's entries, with
    // `job-opening` replaced by the financial layer's wording, and its own.
    let ids: Vec<&str> = o
        .engine
        .policy()
        .library
        .iter()
        .map(|e| e.id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "product-launch",
            "community-day",
            "job-opening",
            "savings-launch"
        ]
    );
    assert!(o.engine.policy().library[2].text.contains("Member FDIC"));
}

#[test]
fn the_stamped_version_overrides_the_policy_version() {
    let k = key(1);
    let s = Stamp {
        version: Some(Version::parse("2026.12.1").unwrap()),
        ..stamp()
    };
    let o = open_with(
        &seal(POLICY, &k, &s),
        &[k.public()],
        "2026-12-01T00:00:00Z",
        None,
    )
    .unwrap();
    assert_eq!(o.meta.version.to_string(), "2026.12.1");
    assert_eq!(
        o.engine.policy().version.as_ref().unwrap().to_string(),
        "2026.12.1"
    );
}

#[test]
fn sealing_refuses_failing_tests_and_missing_versions() {
    let k = key(1);
    let failing = POLICY.replace("expect: []", "expect: [harbor]");
    let e = bundle::seal(
        &Source::new("acme.yaml", failing),
        &FsResolver,
        &k,
        &stamp(),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "acme.yaml: not signing: 1 of the policy's tests fail (run `draftguard test`):\n  test 2 (A harbor that is blue): missing [harbor], unexpected []"
    );
    assert_eq!(e.kind, draftguard::ErrorKind::TestsFailed);
    let unversioned = POLICY.replace("version: \"2026.11.2\"\n", "");
    let e = bundle::seal(
        &Source::new("acme.yaml", unversioned),
        &FsResolver,
        &k,
        &stamp(),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "acme.yaml: a bundle needs a version: set `version:` in the policy or pass --version"
    );
    assert_eq!(e.kind, draftguard::ErrorKind::MissingField);
    let backwards = Stamp {
        expires_at: t("2026-11-01T00:00:00Z"),
        ..stamp()
    };
    assert!(
        bundle::seal(
            &Source::new("acme.yaml", POLICY),
            &FsResolver,
            &k,
            &backwards
        )
        .is_err()
    );
}

#[test]
fn a_changed_payload_fails_the_signature() {
    let k = key(1);
    let b = tamper(&seal(POLICY, &k, &stamp()), "blue harbor", "blue heron");
    assert_eq!(
        refusal(open_with(&b, &[k.public()], "2026-12-01T00:00:00Z", None)),
        (
            RefusalCode::BadSignature,
            format!(
                "the signature does not match the contents: the bundle was changed after {} signed it",
                k.public()
            )
        )
    );
    // So does a later expiry, a higher version, or someone else's signature on the payload.
    let b = seal(POLICY, &k, &stamp());
    for (from, to) in [("2027-02-21", "2099-02-21"), ("2026.11.2", "2026.99.2")] {
        let (code, _) = refusal(open_with(
            &tamper(&b, from, to),
            &[k.public()],
            "2026-12-01T00:00:00Z",
            None,
        ));
        assert_eq!(code, RefusalCode::BadSignature, "{from} -> {to}");
    }
    let other = key(2);
    let swapped = tamper(&b, &k.public().to_string(), &other.public().to_string());
    let (code, _) = refusal(open_with(
        &swapped,
        &[other.public()],
        "2026-12-01T00:00:00Z",
        None,
    ));
    assert_eq!(code, RefusalCode::BadSignature);
}

#[test]
fn a_key_that_is_not_pinned_is_refused() {
    let b = seal(POLICY, &key(1), &stamp());
    assert_eq!(
        refusal(open_with(
            &b,
            &[key(2).public()],
            "2026-12-01T00:00:00Z",
            None
        )),
        (
            RefusalCode::UnknownKey,
            format!(
                "signed by {}, which is not one of the 1 pinned key(s)",
                key(1).public()
            )
        )
    );
    let (code, _) = refusal(open_with(&b, &[], "2026-12-01T00:00:00Z", None));
    assert_eq!(code, RefusalCode::UnknownKey);
}

#[test]
fn an_expired_bundle_is_refused_from_its_expiry_on() {
    let k = key(1);
    let b = seal(POLICY, &k, &stamp());
    assert!(open_with(&b, &[k.public()], "2027-02-21T08:59:59Z", None).is_ok());
    assert_eq!(
        refusal(open_with(&b, &[k.public()], "2027-02-21T09:00:00Z", None)),
        (
            RefusalCode::Expired,
            "the bundle expired at 2027-02-21T09:00:00Z".to_string()
        )
    );
}

#[test]
fn a_version_not_above_the_one_in_force_is_a_rollback() {
    let k = key(1);
    let b = seal(POLICY, &k, &stamp());
    assert_eq!(
        refusal(open_with(&b, &[k.public()], "2026-12-01T00:00:00Z", Some("2026.11.10"))),
        (
            RefusalCode::Rollback,
            "version 2026.11.2 is older than the version in force (2026.11.10); a new bundle needs a higher version".to_string()
        )
    );
    assert_eq!(
        refusal(open_with(
            &b,
            &[k.public()],
            "2026-12-01T00:00:00Z",
            Some("2026.11.2")
        ))
        .1,
        "version 2026.11.2 is already in force (2026.11.2); a new bundle needs a higher version"
    );
    assert!(
        open_with(
            &b,
            &[k.public()],
            "2026-12-01T00:00:00Z",
            Some("2026.11.1.9")
        )
        .is_ok()
    );
}

/// A payload a careful signer would not make, signed anyway.
fn forged(edit: impl FnOnce(&mut Payload), k: &SecretKey) -> String {
    let b = seal(POLICY, k, &stamp());
    let envelope: serde_json::Value = serde_json::from_str(&b).unwrap();
    let mut p: Payload = serde_json::from_str(envelope["payload"].as_str().unwrap()).unwrap();
    edit(&mut p);
    bundle::envelope(&serde_json::to_string(&p).unwrap(), k)
}

#[test]
fn a_bundle_whose_own_tests_fail_is_refused() {
    let k = key(1);
    let b = forged(
        |p| {
            p.main.text = p
                .main
                .text
                .replace(r#""expect":[]"#, r#""expect":["harbor"]"#)
        },
        &k,
    );
    assert_eq!(
        refusal(open_with(&b, &[k.public()], "2026-12-01T00:00:00Z", None)),
        (
            RefusalCode::TestsFailed,
            "1 of the policy's 2 tests fail: test 2 (A harbor that is blue)".to_string()
        )
    );
}

#[test]
fn an_invalid_policy_is_refused_with_its_location() {
    let k = key(1);
    let b = forged(
        |p| {
            p.main.text = p
                .main
                .text
                .replace(r#""severity":"block""#, r#""severity":"blok""#)
        },
        &k,
    );
    let r = open_with(&b, &[k.public()], "2026-12-01T00:00:00Z", None).unwrap_err();
    // The policy error's kind travels with the refusal, for the console.
    assert_eq!(r.kind, Some(draftguard::ErrorKind::InvalidValue));
    let (code, msg) = (r.code, r.message);
    assert_eq!(code, RefusalCode::InvalidPolicy);
    // The sealed file is one line of JSON.
    assert!(msg.starts_with("acme.yaml:1:"), "{msg}");
    assert!(msg.contains("rule `harbor`"), "{msg}");
    // A base the bundle does not carry.
    let b = forged(|p| p.extends.clear(), &k);
    let r = open_with(&b, &[k.public()], "2026-12-01T00:00:00Z", None).unwrap_err();
    assert_eq!(r.kind, Some(draftguard::ErrorKind::NotFound));
    let (code, msg) = (r.code, r.message);
    assert_eq!(code, RefusalCode::InvalidPolicy);
    assert!(
        msg.contains("the bundle does not contain the base policy `default`"),
        "{msg}"
    );
}

#[test]
fn malformed_and_oversized_bundles_are_refused() {
    let k = key(1);
    let pinned = [k.public()];
    let now = "2026-12-01T00:00:00Z";
    let cases = [
        ("", RefusalCode::Malformed),
        ("{\"draftguard_bundle\": 1}", RefusalCode::Malformed),
        ("<html>404</html>", RefusalCode::Malformed),
    ];
    for (text, code) in cases {
        assert_eq!(
            refusal(open_with(text, &pinned, now, None)).0,
            code,
            "{text}"
        );
    }
    let b = seal(POLICY, &k, &stamp());
    assert_eq!(
        refusal(open_with(
            &b.replace("\"draftguard_bundle\": 1", "\"draftguard_bundle\": 2"),
            &pinned,
            now,
            None
        ))
        .1,
        "bundle format 2 is not supported (this engine reads format 1)"
    );
    let (code, _) = refusal(open_with(
        &forged(|p| p.version = "next".into(), &k),
        &pinned,
        now,
        None,
    ));
    assert_eq!(code, RefusalCode::Malformed);
    let (code, _) = refusal(open_with(
        &forged(|p| p.policy = "other".into(), &k),
        &pinned,
        now,
        None,
    ));
    assert_eq!(code, RefusalCode::Malformed);
    let huge = format!("{b}{}", " ".repeat(MAX_BUNDLE_BYTES));
    assert_eq!(
        refusal(open_with(&huge, &pinned, now, None)).1,
        format!(
            "the bundle is {} bytes; at most {MAX_BUNDLE_BYTES} are accepted",
            huge.len()
        )
    );
}

/// What the engine module reads of every reference policy (and the embedded default) is
/// what the YAML reader made of it: sealing parses once, and the JSON read back by
/// `json::parse` is the same value, so a bundle means the same in both wasm modules.
#[test]
fn the_sealed_json_of_every_reference_policy_reads_back_as_the_same_value() {
    let mut texts = vec![draftguard::policy::DEFAULT_POLICY.to_string()];
    for entry in std::fs::read_dir("policies").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            texts.push(std::fs::read_to_string(path).unwrap());
        }
    }
    assert!(texts.len() >= 4, "the reference policies are there");
    for text in texts {
        let value = yaml::parse(&text).unwrap().value;
        let sealed = serde_json::to_string(&value).unwrap();
        assert_eq!(json::parse(&sealed).unwrap().value, value);
    }
}
