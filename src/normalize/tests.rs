use super::*;

fn sh(text: &str, p: Profile) -> String {
    shadow(text, p).text
}

/// The original text a shadow match of `needle` covers.
fn covered<'a>(text: &'a str, p: Profile, needle: &str) -> Option<&'a str> {
    let s = shadow(text, p);
    let at = s.text.find(needle)?;
    let r = s.to_original(at..at + needle.len());
    Some(&text[r])
}

#[test]
fn possessives_break_words_and_other_apostrophes_vanish() {
    assert_eq!(
        sh("Acme's app, Acme’s team, can't, it's", Profile::Full),
        "acme s app, acme s team, cant, it s"
    );
    assert_eq!(sh("rock'n'roll", Profile::Unicode), "rocknroll");
}

#[test]
fn basic_folds_case_space_and_apostrophes() {
    assert_eq!(
        sh("Can’t  LOSE - Risk_Free", Profile::Basic),
        "cant lose risk free"
    );
    assert_eq!(sh("a\u{00A0}\u{00A0}b", Profile::Basic), "a b");
    assert_eq!(sh("  leading", Profile::Basic), "leading");
}

#[test]
fn cased_keeps_case_and_folds_width() {
    assert_eq!(sh("Ａcme\u{00A0}Bank\u{200B}", Profile::Cased), "Acme Bank");
    assert_eq!(sh("it’s", Profile::Cased), "it's");
}

#[test]
fn unicode_folds_accents_width_and_lookalikes() {
    assert_eq!(sh("Guaranteed", Profile::Unicode), "guaranteed");
    assert_eq!(sh("ｇｕａｒａｎｔｅｅｄ", Profile::Unicode), "guaranteed");
    // Cyrillic а, е and о.
    assert_eq!(
        sh("gu\u{0430}rant\u{0435}\u{0435}d", Profile::Unicode),
        "guaranteed"
    );
    assert_eq!(
        sh("caf\u{00E9} cafe\u{0301}", Profile::Unicode),
        "cafe cafe"
    );
    assert_eq!(sh("re\u{200B}turns", Profile::Unicode), "returns");
    assert_eq!(sh("\u{FB01}nance", Profile::Unicode), "finance");
    // Right-to-left override and a bidi isolate are dropped.
    assert_eq!(sh("ri\u{202E}sk\u{2066}", Profile::Unicode), "risk");
}

#[test]
fn full_folds_leetspeak_only_inside_words() {
    assert_eq!(sh("r1sk-fr33", Profile::Full), "risk free");
    assert_eq!(sh("gu@ranteed", Profile::Full), "guaranteed");
    assert_eq!(sh("call 455 or 2026", Profile::Full), "call 455 or 2026");
    assert_eq!(sh("@name free! $AAPL", Profile::Full), "@name free! $aapl");
    assert_eq!(
        sh("a$$hole 5h1t a55hole", Profile::Full),
        "asshole shit asshole"
    );
    // Product codes and ordinals keep their digits.
    assert_eq!(
        sh("Galaxy A55, Q4, GT500, 4th, 21st", Profile::Full),
        "galaxy a55, q4, gt500, 4th, 21st"
    );
}

#[test]
fn full_joins_spaced_out_letters() {
    assert_eq!(
        sh("g-u-a-r-a-n-t-e-e-d returns", Profile::Full),
        "guaranteed returns"
    );
    assert_eq!(sh("r.i.s.k f r e e", Profile::Full), "risk free");
    assert_eq!(sh("r i s k  f r e e", Profile::Full), "riskfree");
    // Two single letters are not a spaced-out word; ordinary text is untouched.
    assert_eq!(sh("I a m", Profile::Full), "iam");
    assert_eq!(sh("Plan B is a go", Profile::Full), "plan b is a go");
}

#[test]
fn spans_map_back_to_exactly_what_was_typed() {
    assert_eq!(
        covered(
            "We offer gu@ranteed re\u{200B}turns!",
            Profile::Full,
            "guaranteed returns"
        ),
        Some("gu@ranteed re\u{200B}turns")
    );
    assert_eq!(
        covered("so g-u-a-r-a-n-t-e-e-d.", Profile::Full, "guaranteed"),
        Some("g-u-a-r-a-n-t-e-e-d")
    );
    assert_eq!(
        covered("ｇｕａｒａｎｔｅｅｄ!", Profile::Full, "guaranteed"),
        Some("ｇｕａｒａｎｔｅｅｄ")
    );
    assert_eq!(
        covered("cafe\u{0301}!", Profile::Unicode, "cafe"),
        Some("cafe\u{0301}")
    );
    assert_eq!(
        covered("x \u{FB01}ne", Profile::Unicode, "fine"),
        Some("\u{FB01}ne")
    );
    assert_eq!(
        covered("r1sk-fr33 🚀", Profile::Full, "risk free"),
        Some("r1sk-fr33")
    );
}

#[test]
fn phrases_normalize_like_text() {
    assert_eq!(phrase(" Risk-Free ", Profile::Full), "risk free");
    assert_eq!(phrase("can't lose", Profile::Full), "cant lose");
    assert_eq!(phrase("#AcmeEmployee", Profile::Full), "#acmeemployee");
}

#[test]
fn every_shadow_byte_maps_inside_the_original() {
    let text = "Ａ\u{200B}b 👩‍👩‍👧 e\u{0301} \u{FB01} x1y ‘q’ \u{10FFFF}";
    for p in [
        Profile::Cased,
        Profile::Basic,
        Profile::Unicode,
        Profile::Full,
    ] {
        let s = shadow(text, p);
        for i in 0..s.len() {
            let r = s.to_original(i..i + 1);
            assert!(r.start < r.end && r.end <= text.len());
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        }
    }
}
