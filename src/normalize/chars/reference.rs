//! Every character of Unicode checked against what the tables promise.

use super::*;
use unicode_normalization::UnicodeNormalization;

include!(concat!(env!("OUT_DIR"), "/categories.rs"));

fn all_chars() -> impl Iterator<Item = char> {
    (0x80u32..=0x10FFFF).filter_map(char::from_u32)
}

/// The `Unicode` (or `Basic`) folding of a string, between two ASCII letters so that no
/// separator is trimmed.
fn fold(s: &str, unicode: bool) -> String {
    let t = folded(&format!("a{s}b"), unicode).text;
    t[1..t.len() - 1].to_string()
}

#[test]
fn cased_is_nfkc_with_digits_of_every_script() {
    for c in all_chars() {
        let text = format!("a{c}b");
        let got = cased(&text).text;
        let want: String = if is_invisible(c) {
            String::new()
        } else if c.is_whitespace() {
            " ".into()
        } else if is_apostrophe(c) {
            "'".into()
        } else if in_ranges(&DECIMAL_DIGITS, c) {
            decimal_digit(c).expect("a decimal digit").to_string()
        } else if c == '\u{066B}' {
            ".".into()
        } else if c == '\u{066C}' {
            ",".into()
        } else {
            std::iter::once(c).nfkc().collect()
        };
        assert_eq!(got, format!("a{want}b"), "U+{:04X}", c as u32);
    }
}

#[test]
fn case_never_changes_the_unicode_folding() {
    for c in all_chars() {
        let f = fold(&c.to_string(), true);
        let upper: String = c.to_uppercase().collect();
        let lower: String = c.to_lowercase().collect();
        assert_eq!(fold(&upper, true), f, "U+{:04X} upper case", c as u32);
        assert_eq!(fold(&lower, true), f, "U+{:04X} lower case", c as u32);
        assert_eq!(
            fold(&f, true),
            f,
            "U+{:04X} folds to a fixed point",
            c as u32
        );
    }
}

#[test]
fn case_never_changes_the_basic_folding() {
    for c in all_chars() {
        let f = fold(&c.to_string(), false);
        let upper: String = c.to_uppercase().collect();
        assert_eq!(fold(&upper, false), f, "U+{:04X} upper case", c as u32);
    }
    assert_eq!(folded("STRASSE Straße ẞ", false).text, "strasse strasse ss");
    assert_eq!(folded("İstanbul ISTANBUL", false).text, "istanbul istanbul");
    assert_eq!(folded("ΣΟΦΟΣ σοφος σοφoς", false).text, "σοφοσ σοφοσ σοφoσ");
}

#[test]
fn punctuation_never_becomes_a_letter_or_digit() {
    for c in all_chars().filter(|&c| in_ranges(&PUNCTUATION, c)) {
        let f = fold(&c.to_string(), true);
        assert!(
            !f.chars().any(char::is_alphanumeric),
            "U+{:04X} {c} folds to {f:?}",
            c as u32
        );
    }
    // The confusables table reads these as letters; the folding must not.
    for (c, looks_like) in [('¡', 'i'), ('׀', 'l'), ('।', 'l'), ('၊', 'l')] {
        assert!(!fold(&c.to_string(), true).contains(looks_like), "{c}");
    }
}

#[test]
fn symbols_fold_only_as_compatibility_forms() {
    for c in all_chars().filter(|&c| in_ranges(&SYMBOLS, c)) {
        let f = fold(&c.to_string(), true);
        let nfkd: String = std::iter::once(c).nfkd().collect();
        let before = is_space_like(c) || is_invisible(c) || is_apostrophe(c);
        if nfkd == c.to_string() && !before && !matches!(c, '©' | '®' | '™' | '℠') {
            assert_eq!(f, c.to_string(), "U+{:04X} {c}", c as u32);
        }
    }
    assert_eq!(fold("×", true), "×");
    assert_eq!(fold("ⓐ", true), "a");
}

#[test]
fn decimal_digits_of_every_script_read_as_their_value() {
    let mut n = 0;
    for c in all_chars().filter(|&c| in_ranges(&DECIMAL_DIGITS, c)) {
        let d = decimal_digit(c).unwrap_or_else(|| panic!("U+{:04X}", c as u32));
        assert_eq!(fold(&c.to_string(), true), d.to_string());
        n += 1;
    }
    assert!(n > 600, "{n} decimal digits");
    for (s, want) in [
        ("٠١٢٣٤٥٦٧٨٩", "0123456789"),           // Arabic-Indic
        ("۰۱۲۳۴۵۶۷۸۹", "0123456789"),           // Extended Arabic-Indic (Persian)
        ("०१२३४५६७८९", "0123456789"),           // Devanagari
        ("০১২৩৪৫৬৭৮৯", "0123456789"),           // Bengali: ৪ looks like 8 and is 4
        ("๐๑๒๓๔๕๖๗๘๙", "0123456789"),           // Thai
        ("０１２３４５６７８９", "0123456789"), // fullwidth
        ("𝟎𝟗", "09"),                           // mathematical bold
    ] {
        assert_eq!(digits(s).text, want, "{s}");
        assert_eq!(cased(s).text, want, "{s}");
    }
    assert_eq!(decimal_digit('²'), None);
    assert_eq!(decimal_digit('①'), None);
    assert_eq!(decimal_digit('x'), None);
}

#[test]
fn the_table_expands_to_sorted_keys() {
    assert_eq!(FOLD.keys.len(), FOLD_KEYS);
    assert!(FOLD.keys.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(*FOLD.offs.last().unwrap() as usize, FOLD_POOL.len());
}

#[test]
fn a_separator_from_the_table_is_one_space() {
    // U+00A8 DIAERESIS decomposes to a space and a combining mark.
    assert_eq!(folded("a \u{A8}b", true).text, "a b");
    assert_eq!(folded("\u{A8}b", true).text, "b");
}
