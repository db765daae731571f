//! The evasions the default setting must see through, with spans on exactly what was typed.

mod common;
use common::*;

const POLICY: &str = r#"
policy: t
rules:
  - {id: promissory, kind: phrases, severity: block, phrases: ["guaranteed returns", "risk-free"]}
  - {id: profanity, kind: phrases, phrases: ["ass"]}
"#;

#[test]
fn disguised_phrases_match() {
    let e = engine(POLICY);
    let cases = [
        ("We promise gu@ranteed returns.", "gu@ranteed returns"),
        ("guaranteed re\u{200B}turns", "guaranteed re\u{200B}turns"),
        (
            "ｇｕａｒａｎｔｅｅｄ ｒｅｔｕｒｎｓ",
            "ｇｕａｒａｎｔｅｅｄ ｒｅｔｕｒｎｓ",
        ),
        (
            "gu\u{0430}r\u{0430}nt\u{0435}\u{0435}d returns",
            "gu\u{0430}r\u{0430}nt\u{0435}\u{0435}d returns",
        ),
        ("It is r1sk-fr33!", "r1sk-fr33"),
        ("g-u-a-r-a-n-t-e-e-d returns", "g-u-a-r-a-n-t-e-e-d returns"),
        (
            "GUARANTEED\u{00A0}\u{00A0}RETURNS",
            "GUARANTEED\u{00A0}\u{00A0}RETURNS",
        ),
        ("guaranteed\u{202E} returns", "guaranteed\u{202E} returns"),
        ("gua\u{0301}ranteed returns", "gua\u{0301}ranteed returns"),
        ("risk—free", "risk—free"),
    ];
    for (text, span) in cases {
        assert_eq!(flagged(&e, text), [span], "{text:?}");
    }
}

#[test]
fn innocent_words_do_not_match() {
    let e = engine(POLICY);
    for text in [
        "assessment",
        "Scunthorpe",
        "classic",
        "passage",
        "bass guitar",
        "Call 455 now",
        "risk freedom",
    ] {
        assert!(flagged(&e, text).is_empty(), "{text:?}");
    }
}

#[test]
fn spans_are_reported_in_bytes_chars_and_utf16() {
    let e = engine(POLICY);
    let text = "👩‍👩‍👧 risk-free";
    let f = &check(&e, text)[0];
    let p = draftguard::offsets::points(text, &[f.span.start, f.span.end]);
    assert_eq!((p[0].byte, p[1].byte), (19, 28));
    assert_eq!((p[0].char, p[1].char), (6, 15));
    assert_eq!((p[0].utf16, p[1].utf16), (9, 18));
}

#[test]
fn evasion_none_is_literal_apart_from_case_and_spacing() {
    let e = engine(
        "policy: t\nrules:\n  - {id: p, kind: phrases, evasion: none, phrases: [risk-free]}\n",
    );
    assert_eq!(flagged(&e, "RISK  free"), ["RISK  free"]);
    assert!(flagged(&e, "r1sk-fr33").is_empty());
}

/// A run of three or more one-character words reads as one spaced-out word, and the
/// words at its edges still end and start phrases as typed: Polish and Russian write
/// one-letter prepositions and conjunctions (`a i w akcje`, "and also in shares").
#[test]
fn one_letter_words_at_a_spaced_run_still_start_and_end_phrases() {
    let e = engine(
        r#"
policy: t
rules:
  - {id: p, kind: phrases, phrases: ["w akcje", "в долг", "plan b", "cam", "scam"]}
"#,
    );
    let cases: [(&str, &[&str]); 8] = [
        ("Inwestuj a i w akcje!", &["w akcje"]),
        ("а я в долг не беру", &["в долг"]),
        ("Our plan b c d is ready", &["plan b"]),
        // The run is one word, or the policy's word in it with at most two letters
        // left out at each edge.
        ("s c a m", &["s c a m"]),
        ("s-c-a-m", &["s-c-a-m"]),
        ("x s c a m", &["s c a m"]),
        ("a c a m", &["c a m"]),
        ("u v w x c a m", &[]),
    ];
    for (text, spans) in cases {
        assert_eq!(flagged(&e, text), spans, "{text:?}");
    }
}

/// A stretched or masked word is read as a phrase word only when it is a whole word:
/// the letters of a code name glued to digits stay as typed, so the phrase that names the
/// code is found, while the same letters standing alone are still read.
#[test]
fn letters_glued_to_digits_are_not_read_as_a_phrase_word() {
    let e = engine(
        r#"
policy: t
rules:
  - {id: codename, kind: phrases, phrases: ["project zzzz9000"]}
  - {id: sleep, kind: phrases, phrases: ["zz"]}
"#,
    );
    assert_eq!(flagged(&e, "project zzzz9000 is on"), ["project zzzz9000"]);
    assert_eq!(flagged(&e, "so tired, zzzzz"), ["zzzzz"]);
    assert!(flagged(&e, "zzzz9000").is_empty());
}

/// A product code or an ordinal keeps its digits with a symbol at its edge (`!`, `$`,
/// `@` and `|` are leetspeak only inside a word), while leetspeak is still read.
#[test]
fn codes_before_an_exclamation_mark_keep_their_digits() {
    let e = engine(
        r#"
policy: t
rules:
  - {id: codename, kind: phrases, phrases: ["project zzzz9000", "GT500", "risk-free"]}
"#,
    );
    assert_eq!(
        flagged(&e, "Launching project ZZZZ9000!"),
        ["project ZZZZ9000"]
    );
    assert_eq!(flagged(&e, "Meet the GT500!"), ["GT500"]);
    assert_eq!(flagged(&e, "Meet the GT500!!"), ["GT500"]);
    assert_eq!(flagged(&e, "It is r1sk-fr33!"), ["r1sk-fr33"]);
}

/// A one-letter word before or after a spaced-out word (an article, a pronoun) is not
/// read into it when the letters without it spell a word of the policy's phrases, and a
/// run that begins with another separator still starts at its first letter.
#[test]
fn spaced_out_words_next_to_one_letter_words() {
    let e = engine(
        r#"
policy: t
rules:
  - {id: promise, kind: phrases, phrases: ["guaranteed returns", "guaranteed"]}
  - {id: stem, kind: phrases, phrases: ["profit*"]}
"#,
    );
    let cases: [(&str, &[&str]); 9] = [
        (
            "We offer a g-u-a-r-a-n-t-e-e-d return",
            &["g-u-a-r-a-n-t-e-e-d"],
        ),
        (
            "a g u a r a n t e e d returns",
            &["g u a r a n t e e d returns"],
        ),
        ("I g.u.a.r.a.n.t.e.e.d it", &["g.u.a.r.a.n.t.e.e.d"]),
        ("g u a r a n t e e d x y", &["g u a r a n t e e d"]),
        ("a p r o f i t s", &["p r o f i t s"]),
        // Two spaced-out words: by their separators, or spelt by the policy's words.
        (
            "g-u-a-r-a-n-t-e-e-d r-e-t-u-r-n-s",
            &["g-u-a-r-a-n-t-e-e-d r-e-t-u-r-n-s"],
        ),
        (
            "a g u a r a n t e e d  r e t u r n s x",
            &["g u a r a n t e e d  r e t u r n s"],
        ),
        // No policy word in the run: it stays one word, as typed.
        ("a b c d", &[]),
        ("x g u a r d", &[]),
    ];
    for (text, spans) in cases {
        assert_eq!(flagged(&e, text), spans, "{text:?}");
    }
}
