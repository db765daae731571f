//! Each rule kind: what it flags (exact spans, messages, fixes) and what it must not.

mod common;
use common::*;
use draftguard::{Mode, Platform, Severity};

#[test]
fn phrases_flag_whole_words_with_fixes_in_the_typed_case() {
    let e = engine(
        r#"
policy: t
rules:
  - id: promissory
    kind: phrases
    severity: block
    message: "Promising returns is not allowed (FINRA 2210(d)(1)): {match}"
    phrases: ["guaranteed returns", "risk-free", "can't lose"]
    unless: ["not guaranteed", "no guaranteed"]
    suggest: { "guaranteed returns": "potential returns" }
"#,
    );
    let fs = check(&e, "Our fund has Guaranteed returns and you can’t lose.");
    assert_eq!(
        spans(&fs),
        [
            ("promissory".into(), "Guaranteed returns".into()),
            ("promissory".into(), "can’t lose".into())
        ]
    );
    assert_eq!(
        fs[0].message,
        "Promising returns is not allowed (FINRA 2210(d)(1)): Guaranteed returns"
    );
    assert_eq!(fs[0].severity, Severity::Block);
    assert_eq!(fs[0].suggestions[0].replacement, "Potential returns");
    assert_eq!(fs[0].suggestions[0].span, fs[0].span);
    assert!(fs[1].suggestions.is_empty());
    // False positives: an exception, and words that merely contain the phrase.
    assert!(flagged(&e, "Returns are not guaranteed returns of capital.").is_empty());
    assert!(flagged(&e, "unguaranteed returnsless risk-freely").is_empty());
}

#[test]
fn phrases_respect_word_boundaries_inside_longer_words() {
    let e = engine("policy: t\nrules:\n  - {id: p, kind: phrases, phrases: [ass, cunt, cock]}\n");
    for clean in [
        "Our assessment of classic cocktails",
        "Scunthorpe United",
        "a glass of water",
        "Hancock",
    ] {
        assert!(flagged(&e, clean).is_empty(), "{clean}");
    }
    assert_eq!(flagged(&e, "what a c0ck, really"), ["c0ck"]);
    // A product code is not leetspeak.
    assert!(flagged(&e, "My new Galaxy A55").is_empty());
}

#[test]
fn near_finds_a_within_n_words_of_b_in_either_order() {
    let e = engine(
        r#"
policy: t
rules:
  - id: off-channel
    kind: near
    a: ["text me", "dm me"]
    b: ["whatsapp", "telegram"]
    within: 3
"#,
    );
    assert_eq!(
        flagged(&e, "Just text me on WhatsApp!"),
        ["text me on WhatsApp"]
    );
    assert_eq!(
        flagged(&e, "Telegram: please DM me."),
        ["Telegram: please DM me"]
    );
    assert!(flagged(&e, "I text my mom on WhatsApp").is_empty());
    assert_eq!(
        flagged(&e, "Telegram's fine, text me"),
        ["Telegram's fine, text me"]
    );
    assert!(flagged(&e, "text me, and one two three four words later WhatsApp").is_empty());
}

#[test]
fn swap_is_case_sensitive_and_offers_the_preferred_form() {
    let e = engine(
        "policy: t\nrules:\n  - {id: brand, kind: swap, swap: {\"Acme bank\": \"Acme Bank\"}}\n",
    );
    let fs = check(&e, "I love Acme bank!");
    assert_eq!(spans(&fs), [("brand".into(), "Acme bank".into())]);
    assert_eq!(fs[0].message, "Write “Acme Bank”, not “Acme bank”.");
    assert_eq!(fs[0].suggestions[0].replacement, "Acme Bank");
    assert!(flagged(&e, "I love Acme Bank and ACME BANK.").is_empty());
    assert!(flagged(&e, "Acme banker").is_empty());
}

#[test]
fn pattern_matches_on_the_unicode_folded_text() {
    let e = engine(
        "policy: t\nrules:\n  - {id: codename, kind: pattern, severity: block, pattern: '(?i)\\bproject\\s+(falcon|osprey)\\b'}\n",
    );
    assert_eq!(flagged(&e, "Soon: PROJECT Falcon!"), ["PROJECT Falcon"]);
    assert_eq!(
        flagged(&e, "Project\u{00A0}Ｏsprey"),
        ["Project\u{00A0}Ｏsprey"]
    );
    assert!(flagged(&e, "A falcon project is cool").is_empty());
    assert!(flagged(&e, "project falconry").is_empty());
}

#[test]
fn require_flags_the_first_trigger_and_offers_to_append_a_tag() {
    let e = engine(
        r##"
policy: t
rules:
  - id: disclosure
    kind: require
    when: ["Acme Bank", "#AcmeBank"]
    require: ["#AcmeEmployee", "#ad"]
"##,
    );
    let text = "Loving the new #AcmeBank app from Acme Bank";
    let fs = check(&e, text);
    assert_eq!(spans(&fs), [("disclosure".into(), "#AcmeBank".into())]);
    assert_eq!(
        fs[0].message,
        "Posts that mention “#AcmeBank” must also include #AcmeEmployee or #ad."
    );
    let fix = &fs[0].suggestions[0];
    assert_eq!(fix.span, text.len()..text.len());
    assert_eq!(fix.replacement, " #AcmeEmployee");
    assert!(flagged(&e, "Loving Acme Bank #ad").is_empty());
    assert!(flagged(&e, "Loving Acme Bank #AcmeEmployee").is_empty());
    assert!(flagged(&e, "Nothing about banks here").is_empty());
}

#[test]
fn links_allow_and_deny_domains_with_subdomains_and_shorteners() {
    let e = engine(
        r#"
policy: t
rules:
  - id: links
    kind: links
    allow_domains: ["acme.example", "linkedin.com"]
    deny_domains: ["@shorteners"]
"#,
    );
    let fs = check(
        &e,
        "See https://news.acme.example/x, bit.ly/abc and evil.example.com/y.",
    );
    assert_eq!(
        spans(&fs),
        [
            ("links".into(), "bit.ly/abc".into()),
            ("links".into(), "evil.example.com/y".into())
        ]
    );
    assert_eq!(
        fs[0].message,
        "Links to bit.ly are not allowed by the social media policy."
    );
    assert!(
        flagged(
            &e,
            "Read www.linkedin.com/in/me and acme.example, mail bob@evil.com"
        )
        .is_empty()
    );
}

#[test]
fn length_counts_like_the_platform_and_flags_the_overflow() {
    let e =
        engine("policy: t\nrules:\n  - {id: x-length, kind: length, platforms: [x], max: 280}\n");
    let ok = "a".repeat(280);
    assert!(check_on(&e, &ok, Some(Platform::X), None).is_empty());
    let long = format!(
        "{} https://example.com/{}",
        "a".repeat(250),
        "p".repeat(100)
    );
    assert!(
        check_on(&e, &long, Some(Platform::X), None).is_empty(),
        "a URL counts 23"
    );
    let over = format!("{}日本", "a".repeat(277));
    let fs = check_on(&e, &over, Some(Platform::X), None);
    assert_eq!(spans(&fs), [("x-length".into(), "本".into())]);
    assert_eq!(
        fs[0].message,
        "Too long for this platform: 281 characters where 280 is the limit."
    );
    assert!(
        check_on(&e, &over, Some(Platform::Linkedin), None).is_empty(),
        "scoped to x"
    );
}

#[test]
fn active_windows_and_platforms_scope_rules() {
    let e = engine(
        r#"
policy: t
rules:
  - id: quiet-period
    kind: phrases
    phrases: ["earnings"]
    active: { from: 2026-12-15, until: 2027-01-25 }
"#,
    );
    assert_eq!(
        check_on(&e, "earnings soon", None, Some("2026-12-15")).len(),
        1
    );
    assert_eq!(
        check_on(&e, "earnings soon", None, Some("2027-01-25")).len(),
        1
    );
    assert!(check_on(&e, "earnings soon", None, Some("2027-01-26")).is_empty());
    assert!(check_on(&e, "earnings soon", None, None).is_empty());
}

#[test]
fn monitor_rules_report_but_are_marked() {
    let e = engine(
        "policy: t\nrules:\n  - {id: pilot, kind: phrases, severity: block, mode: monitor, phrases: [moon]}\n",
    );
    let fs = check(&e, "to the moon");
    assert_eq!(fs.len(), 1);
    assert_eq!(fs[0].mode, Mode::Monitor);
    assert!(!fs[0].is_enforced_block());
}

#[test]
fn overlaps_keep_one_underline_most_severe_first() {
    let e = engine(
        r#"
policy: t
rules:
  - {id: soft, kind: phrases, severity: warn, phrases: ["returns"]}
  - {id: hard, kind: phrases, severity: block, phrases: ["guaranteed returns"]}
  - {id: pilot, kind: phrases, mode: monitor, phrases: ["guaranteed"]}
"#,
    );
    let fs = check(&e, "guaranteed returns");
    let enforced: Vec<_> = fs.iter().filter(|f| f.mode == Mode::Enforce).collect();
    assert_eq!(enforced.len(), 1);
    assert_eq!(enforced[0].rule, "hard");
    assert_eq!(enforced[0].also, ["soft"]);
    assert!(
        fs.iter().any(|f| f.rule == "pilot"),
        "monitor findings are kept"
    );
}

#[test]
fn messages_substitute_rule_and_detail_and_stay_plain_text() {
    let e = engine(
        "policy: t\nlink: https://intranet.example/policy\nrules:\n  - {id: r, kind: phrases, phrases: [x1], message: '<b>{rule}</b> saw {match}'}\n",
    );
    let fs = check(&e, "x1");
    assert_eq!(fs[0].message, "<b>r</b> saw x1");
    assert_eq!(
        fs[0].link.as_deref(),
        Some("https://intranet.example/policy")
    );
}

#[test]
fn phrases_in_unspaced_scripts_and_tags_match_where_they_stand() {
    let e = engine(
        "policy: t\nrules:\n  - {id: p, kind: phrases, phrases: [\"機密\", \"#employee\"]}\n",
    );
    assert_eq!(flagged(&e, "これは機密です"), ["機密"]);
    assert_eq!(flagged(&e, "Proud! #employee"), ["#employee"]);
    assert!(flagged(&e, "#employees and x#employee").is_empty());
}

#[test]
fn near_exceptions_cancel_only_the_pair_they_touch() {
    let e = engine(
        r#"
policy: t
rules:
  - id: off-channel
    kind: near
    a: ["call me"]
    b: ["whatsapp", "signal"]
    unless: ["buy signal"]
"#,
    );
    assert_eq!(
        flagged(&e, "Call me about the buy signal on WhatsApp"),
        ["Call me about the buy signal on WhatsApp"]
    );
    assert!(flagged(&e, "Call me about the buy signal").is_empty());
}

#[test]
fn possessives_do_not_hide_a_phrase() {
    let e =
        engine("policy: t\nrules:\n  - {id: p, kind: phrases, phrases: [\"Project Falcon\"]}\n");
    assert_eq!(flagged(&e, "Project Falcon's launch"), ["Project Falcon"]);
    assert_eq!(flagged(&e, "Project Falcon’s launch"), ["Project Falcon"]);
}
