//! Site adapter patches (`adapters:`): read in the extension's shape, refused with the
//! file, line, column and adapter, laid over each other by id through `extends`, carried
//! by signed bundles, and described by `draftguard schema`.

mod common;
use common::load_err;
use draftguard::bundle::{self, SecretKey, Stamp, Trust};
use draftguard::policy::{FsResolver, Source};
use draftguard::{ErrorKind, Policy, Position, Timestamp};
use serde_json::json;
use std::fs;

fn at(line: usize, column: usize) -> Option<Position> {
    Some(Position { line, column })
}

const INTRANET: &str = "policy: acme
version: \"2026.11.5\"
rules:
  - {id: moon, kind: phrases, severity: block, phrases: [\"to the moon\"]}
adapters:
  - id: acme-intranet
    platform: generic
    hosts: [social.acme.example, \"*.social.acme.example\"]
    composer: [\".note-editor[contenteditable]\"]
    postButton: [\"[data-action='ship']\"]
    postButtonText: [Ship it]
    submitKeys: [Mod+Enter, Alt+S]
  - id: x
    platform: x
    hosts: [x.com]
    composer: [\"[data-testid='tweetTextarea_0']\"]
";

#[test]
fn adapters_load_in_the_extensions_shape_with_defaults_filled_in() {
    let p = Policy::from_yaml("acme.yaml", INTRANET).unwrap();
    let out = serde_json::to_value(&p.adapters).unwrap();
    assert_eq!(
        out,
        json!([
            {
                "id": "acme-intranet",
                "platform": "generic",
                "hosts": ["social.acme.example", "*.social.acme.example"],
                "composer": [".note-editor[contenteditable]"],
                "postButton": ["[data-action='ship']"],
                "postButtonText": ["Ship it"],
                "submitKeys": ["Mod+Enter", "Alt+S"]
            },
            {
                "id": "x",
                "platform": "x",
                "hosts": ["x.com"],
                "composer": ["[data-testid='tweetTextarea_0']"],
                "postButton": [],
                "submitKeys": ["Mod+Enter"]
            }
        ])
    );
    assert_eq!(p.adapters[1].origin.file, "acme.yaml");
    assert_eq!(p.adapters[1].origin.position, at(13, 9));
    // A policy without the section has none.
    let none = Policy::from_yaml("p.yaml", "policy: p\nrules: []\n").unwrap();
    assert!(none.adapters.is_empty());
}

#[test]
fn an_adapter_with_only_a_match_selector_serves_any_host() {
    let p = Policy::from_yaml(
        "p.yaml",
        "policy: p\nadapters:\n  - {id: social, platform: mastodon, matchSelector: \"meta[content*='Mastodon']\", composer: [textarea]}\n",
    )
    .unwrap();
    assert_eq!(p.adapters[0].hosts, Vec::<String>::new());
    assert_eq!(
        p.adapters[0].match_selector.as_deref(),
        Some("meta[content*='Mastodon']")
    );
}

/// (line, column, kind, message) of the error for `adapters:` + `entry`.
fn refused(entry: &str) -> (Option<Position>, ErrorKind, String) {
    let e = load_err(&format!("policy: t\nadapters:\n  - id: acme\n{entry}"));
    assert_eq!(e.file.as_deref(), Some("bad.yaml"));
    (e.position, e.kind, e.message)
}

#[test]
fn bad_adapters_are_refused_with_the_line_column_and_adapter() {
    let base = "    platform: generic\n    hosts: [acme.example]\n";
    let cases: Vec<(String, Option<Position>, ErrorKind, &str)> = vec![
        (
            format!("{base}    composr: [textarea]\n"),
            at(6, 5),
            ErrorKind::UnknownField,
            "adapter `acme`: unknown field `composr` (did you mean `composer`?); adapters take: id, platform, hosts, matchSelector, composer, postButton, postButtonText, submitKeys, enterSends",
        ),
        (
            format!("{base}    composer: [\"div[role='textbox'\"]\n"),
            at(6, 16),
            ErrorKind::InvalidValue,
            "adapter `acme`: `composer` entry 0 (`div[role='textbox'`) is not a CSS selector: `[` is not closed",
        ),
        (
            format!("{base}    composer: []\n"),
            at(6, 15),
            ErrorKind::InvalidValue,
            "adapter `acme`: `composer` must list at least one of CSS selectors",
        ),
        (
            base.to_string(),
            at(3, 9),
            ErrorKind::MissingField,
            "adapter `acme`: needs `composer` (CSS selectors of the text boxes to check)",
        ),
        (
            "    platform: myspace\n    hosts: [a.example]\n    composer: [textarea]\n".into(),
            at(4, 15),
            ErrorKind::InvalidValue,
            "adapter `acme`: unknown platform `myspace`; known platforms: linkedin, x, facebook, instagram, threads, reddit, bluesky, mastodon, youtube, tiktok, generic",
        ),
        (
            "    platform: generic\n    hosts: [a.example, \"https://b.example/\"]\n    composer: [textarea]\n".into(),
            at(5, 24),
            ErrorKind::InvalidValue,
            "adapter `acme`: `hosts` entry 1 (`https://b.example/`) must be a host name like `www.example.com` or `*.example.com` (no scheme, port or path)",
        ),
        (
            "    platform: generic\n    composer: [textarea]\n".into(),
            at(3, 9),
            ErrorKind::MissingField,
            "adapter `acme`: needs `hosts` (the host names it serves, or `matchSelector`)",
        ),
        (
            format!("{base}    composer: [textarea]\n    submitKeys: [Mod+Enter, Hyper+Enter]\n"),
            at(7, 29),
            ErrorKind::InvalidValue,
            "adapter `acme`: `submitKeys` entry 1 (`Hyper+Enter`) has the unknown modifier `Hyper` (known: Mod, Ctrl, Meta, Cmd, Alt, Option, Shift)",
        ),
        (
            format!("{base}    composer: textarea\n"),
            at(6, 15),
            ErrorKind::InvalidValue,
            "`adapters[0].composer`: invalid type: string \"textarea\", expected a sequence",
        ),
    ];
    for (entry, pos, kind, message) in cases {
        let got = refused(&entry);
        assert_eq!(got, (pos, kind, message.to_string()), "for:\n{entry}");
    }
}

#[test]
fn adapter_ids_are_checked_and_unique_per_file() {
    let e = load_err(
        "policy: t\nadapters:\n  - {id: Acme, platform: x, hosts: [x.com], composer: [textarea]}\n",
    );
    assert_eq!((e.position, e.kind), (at(3, 10), ErrorKind::InvalidValue));
    assert!(
        e.message
            .starts_with("adapter id `Acme` must be lower-case"),
        "{}",
        e.message
    );
    let e = load_err(
        "policy: t\nadapters:\n  - {id: a, platform: x, hosts: [x.com], composer: [textarea]}\n  - {id: a, platform: x, hosts: [x.com], composer: [div]}\n",
    );
    assert_eq!((e.position, e.kind), (at(4, 10), ErrorKind::Duplicate));
    assert_eq!(
        e.to_string(),
        "bad.yaml:4:10: adapter `a`: the same id twice in this file"
    );
}

fn tempdir(tag: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("draftguard-adapters-{tag}-{}", std::process::id()));
    fs::create_dir_all(&d).unwrap();
    d
}

const BASE: &str = "policy: base\nadapters:\n  - {id: acme, platform: generic, hosts: [old.acme.example], composer: [textarea]}\n  - {id: x, platform: x, hosts: [x.com], composer: [\"[data-testid='tweetTextarea_0']\"]}\n";

#[test]
fn a_later_layer_replaces_an_adapter_whole_by_id_and_adds_new_ones() {
    let d = tempdir("layers");
    fs::write(d.join("base.yaml"), BASE).unwrap();
    let top = d.join("top.yaml");
    fs::write(
        &top,
        "policy: top\nextends: [base]\nadapters:\n  - {id: zeta, platform: reddit, hosts: [reddit.example], composer: [textarea]}\n  - {id: acme, platform: linkedin, hosts: [new.acme.example], composer: [\"#note\"], postButton: [\"#ship\"]}\n",
    )
    .unwrap();
    let p = Policy::from_files(std::slice::from_ref(&top)).unwrap();
    let got: Vec<(&str, &str, &str)> = p
        .adapters
        .iter()
        .map(|a| (a.id.as_str(), a.platform.as_str(), a.hosts[0].as_str()))
        .collect();
    // Order of first definition; `acme` is the top layer's, whole: nothing of the base's
    // `textarea` composer is left.
    assert_eq!(
        got,
        [
            ("acme", "linkedin", "new.acme.example"),
            ("x", "x", "x.com"),
            ("zeta", "reddit", "reddit.example"),
        ]
    );
    assert_eq!(p.adapters[0].composer, ["#note"]);
    assert_eq!(p.adapters[0].origin.file, top.display().to_string());

    // A bad adapter in the base is reported in the base file, at its line.
    fs::write(
        d.join("base.yaml"),
        BASE.replace("hosts: [x.com]", "hosts: [\"x.com:443\"]"),
    )
    .unwrap();
    let e = Policy::from_files(&[top]).unwrap_err();
    assert_eq!(e.file, Some(d.join("base.yaml").display().to_string()));
    assert_eq!(e.position, at(4, 34));
    assert!(e.message.starts_with("adapter `x`: `hosts` entry 0"), "{e}");
    fs::remove_dir_all(d).ok();
}

fn stamp() -> Stamp {
    Stamp {
        version: None,
        issued_at: Timestamp::parse("2026-11-23T09:00:00Z").unwrap(),
        expires_at: Timestamp::parse("2027-02-21T09:00:00Z").unwrap(),
        as_written: false,
    }
}

#[test]
fn a_signed_bundle_carries_the_adapters_and_refuses_a_bad_one() {
    let key = SecretKey::from_seed([7; 32]);
    let (text, _) = bundle::seal(
        &Source::new("acme.yaml", INTRANET),
        &FsResolver,
        &key,
        &stamp(),
    )
    .unwrap();
    let keys = [key.public()];
    let trust = Trust {
        keys: &keys,
        now: Timestamp::parse("2026-12-01T00:00:00Z").unwrap(),
        in_force: None,
    };
    let opened = bundle::open(&text, &trust).unwrap();
    let direct = Policy::from_yaml("acme.yaml", INTRANET).unwrap();
    // The same adapters; only where they were written differs (the bundle carries the
    // file parsed, as one line of JSON).
    let unplaced = |adapters: &[draftguard::policy::adapters::Adapter]| {
        let mut adapters = adapters.to_vec();
        adapters.iter_mut().for_each(|a| a.origin.position = None);
        adapters
    };
    assert_eq!(
        unplaced(&opened.engine.policy().adapters),
        unplaced(&direct.adapters)
    );

    // Signing refuses a bad adapter; a bundle signed with one anyway is refused on open.
    let bad = INTRANET.replace("platform: x\n", "platform: twitter\n");
    let e = bundle::seal(&Source::new("acme.yaml", &bad), &FsResolver, &key, &stamp()).unwrap_err();
    assert_eq!(e.position, at(14, 15));
    let payload = serde_json::json!({
        "policy": "acme", "version": "2026.11.5",
        "issued_at": "2026-11-23T09:00:00Z", "expires_at": "2027-02-21T09:00:00Z",
        "main": {"name": "acme.yaml", "text": bad}, "extends": {}
    });
    let forged = bundle::envelope(&payload.to_string(), &key);
    let r = bundle::open(&forged, &trust).unwrap_err();
    assert_eq!(r.code, bundle::RefusalCode::InvalidPolicy);
    assert!(
        r.message
            .starts_with("acme.yaml:14:15: adapter `x`: unknown platform `twitter`"),
        "{}",
        r.message
    );
}

#[test]
fn the_schema_describes_adapters() {
    let s = draftguard::policy::fields::json_schema();
    let a = &s["properties"]["adapters"]["items"];
    assert_eq!(a["required"], json!(["id", "platform", "composer"]));
    assert_eq!(a["additionalProperties"], json!(false));
    let props: Vec<&str> = a["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut fields = draftguard::policy::adapters::field_names();
    fields.sort_unstable();
    let mut props = props;
    props.sort_unstable();
    assert_eq!(props, fields);
    assert_eq!(
        a["properties"]["platform"]["enum"]
            .as_array()
            .unwrap()
            .len(),
        draftguard::Platform::ALL.len()
    );
}

/// The built-in adapters the extension ships pass the same validation, so an admin can
/// copy one into a policy and change it.
#[test]
fn every_built_in_adapter_is_a_valid_policy_adapter() {
    let doc: serde_json::Value =
        serde_json::from_str(include_str!("../extension/src/adapters.json")).unwrap();
    let policy = json!({"policy": "copy", "adapters": doc["adapters"]});
    let p = Policy::from_yaml("copy.json", &policy.to_string()).unwrap_or_else(|e| panic!("{e}"));
    let back = serde_json::to_value(&p.adapters).unwrap();
    assert_eq!(back, doc["adapters"]);
}
