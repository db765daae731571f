//! Precomputes the Unicode folding the matcher needs, so the engine (and its wasm build)
//! carries a few compact tables instead of the Unicode data sets they come from.
//!
//! Sources, all build-dependencies only: `unicode-normalization` (NFKC, NFKD),
//! `unicode-security` (the TR39 confusables), `regex-syntax` (general categories: letters,
//! marks, punctuation, symbols, decimal digits) and `unicode-script` (which script a
//! combining mark belongs to). `src/normalize/chars.rs` explains how the tables are used.
//!
//! - `fold.rs`: for every non-ASCII character whose folding is not the default, what the
//!   `Unicode` profile makes of it (NFKD, accents dropped, full case folding, look-alike
//!   letters as ASCII), what the `Basic` profile makes of it (full case folding only) and
//!   what the `Cased` profile makes of it (NFKC); the combining marks, the marks the
//!   `Unicode` profile drops, the decimal digits of every script, and the punctuation and
//!   symbols that stand for a letter inside a word (`¡` for `i`, `∪` for `u`).
//! - `default_policy.json`: the embedded default policy (`policies/default.yaml`) parsed
//!   by the engine's own YAML reader (`src/yaml.rs`) and written as compact JSON, without
//!   its tests and descriptions, so the wasm engine builds the default policy without
//!   running the YAML parser at start-up (see `src/policy/load.rs`).
//! - `default_pattern_literals.rs`: for each `pattern` of the default policy, the
//!   literals one of which every match starts with (regex-syntax's prefix extraction,
//!   ASCII letters lower-cased), so a draft with none of them skips the pattern without
//!   compiling it: the regex compiler stays out of a restarted worker's first checks.
//! - `categories.rs` (tests only): punctuation, symbols and decimal digits, so the tests
//!   can check every character against the rules the tables claim to follow.

use std::collections::HashMap;
use std::fmt::Write;

use regex_syntax::hir::{Class, HirKind};
use unicode_normalization::UnicodeNormalization;
use unicode_script::{Script, UnicodeScript};

#[path = "src/normalize/classes.rs"]
#[allow(dead_code)]
mod classes;

// The engine's YAML reader, with the error type it reports in, exactly as the crate
// compiles them: the pre-parsed default policy is what the crate's own parser makes of it.
#[path = "src/error.rs"]
#[allow(dead_code)]
mod error;
#[path = "src/located.rs"]
#[allow(dead_code)]
mod located;
#[path = "src/yaml.rs"]
#[allow(dead_code)]
mod yaml;

use classes::{hangul_jamo, is_apostrophe, is_invisible, is_space_like};

type Ranges = Vec<(u32, u32)>;

/// The code point ranges of a Unicode property class such as `\p{P}`.
fn class(pattern: &str) -> Ranges {
    let hir = regex_syntax::parse(pattern).expect("a valid Unicode class");
    match hir.kind() {
        HirKind::Class(Class::Unicode(c)) => c
            .ranges()
            .iter()
            .map(|r| (r.start() as u32, r.end() as u32))
            .collect(),
        other => panic!("{pattern} is not a Unicode class: {other:?}"),
    }
}

fn contains(ranges: &[(u32, u32)], c: char) -> bool {
    let cp = c as u32;
    let i = ranges.partition_point(|&(_, end)| end < cp);
    ranges.get(i).is_some_and(|&(start, _)| start <= cp)
}

/// Adds `cp` to sorted, merged ranges built in increasing order.
fn push_range(ranges: &mut Ranges, cp: u32) {
    match ranges.last_mut() {
        Some((_, end)) if *end + 1 == cp => *end = cp,
        _ => ranges.push((cp, cp)),
    }
}

struct Unicode {
    punctuation: Ranges,
    symbols: Ranges,
    letters: Ranges,
    marks: Ranges,
    digits: Ranges,
    /// Non-ASCII letters of the look-alike scripts whose TR39 skeleton is one ASCII letter
    /// (Cyrillic `а` → `a`).
    confusable: HashMap<char, char>,
}

impl Unicode {
    fn load() -> Unicode {
        let letters = class(r"\p{L}");
        let mut confusable = HashMap::new();
        for c in chars().filter(|&c| is_lookalike_script(c)) {
            let s = c.to_string();
            let mut sk = unicode_security::confusable_detection::skeleton(&s);
            if let (Some(a), None) = (sk.next(), sk.next())
                && a.is_ascii_alphabetic()
            {
                confusable.insert(c, a.to_ascii_lowercase());
            }
        }
        Unicode {
            punctuation: class(r"\p{P}"),
            symbols: class(r"\p{S}"),
            letters,
            marks: class(r"\p{M}"),
            digits: class(r"\p{Nd}"),
            confusable,
        }
    }

    /// The decimal value of a digit of any script, as ASCII.
    fn digit(&self, c: char) -> Option<char> {
        let cp = c as u32;
        let i = self.digits.partition_point(|&(_, end)| end < cp);
        let &(start, _) = self.digits.get(i).filter(|&&(start, _)| start <= cp)?;
        Some((b'0' + ((cp - start) % 10) as u8) as char)
    }

    /// Combining marks the `Unicode` profile drops: the accents of Latin, Greek, Cyrillic
    /// and Armenian, and the optional vowel points of Hebrew, Arabic and Syriac. The
    /// marks of Indic and South-East Asian scripts, and the Japanese voicing marks, are
    /// parts of the letter and stay.
    fn drops_mark(&self, c: char) -> bool {
        // The Greek iota subscript is a letter in disguise: it case-folds to `ι`.
        if !contains(&self.marks, c) || c == '\u{345}' {
            return false;
        }
        match c.script() {
            Script::Latin
            | Script::Greek
            | Script::Cyrillic
            | Script::Armenian
            | Script::Hebrew
            | Script::Arabic
            | Script::Syriac
            | Script::Common => true,
            Script::Inherited => !matches!(c as u32,
                0x3099 | 0x309A           // Japanese voicing marks
                | 0x302A..=0x302F         // ideographic and Hangul tone marks
                | 0x0951..=0x0957         // Devanagari stress signs
                | 0x1CD0..=0x1CFF         // Vedic extensions
                | 0x1133B..=0x1133C),
            _ => false,
        }
    }

    /// What the `Unicode` profile makes of `c`, a non-ASCII character the folding does
    /// not handle before the table (see `chars.rs`).
    fn unicode_fold(&self, c: char) -> String {
        if matches!(c, '©' | '®' | '™' | '℠') {
            // Marks of trade end a word without being part of it: `Acme™ Bank`.
            return " ".into();
        }
        let nfkd: Vec<char> = std::iter::once(c)
            .nfkd()
            .filter(|&d| !self.drops_mark(d) && !is_invisible(d))
            .collect();
        if contains(&self.punctuation, c) {
            // Punctuation stays punctuation: its compatibility form (fullwidth `！` is
            // `!`) only when that has no letter or digit (`¡` never becomes `i`).
            if nfkd.is_empty() || nfkd.iter().any(|d| d.is_alphanumeric()) {
                return c.to_string();
            }
            return nfkd
                .iter()
                .map(|&d| if is_space_like(d) { ' ' } else { d })
                .collect();
        }
        if contains(&self.symbols, c) && nfkd == [c] {
            // A symbol is never read as the letter it resembles (`×` is not `x`); only
            // symbols that are compatibility forms of letters fold (`ⓐ`, `⼤`, `㎏`).
            return c.to_string();
        }
        let mut out = String::new();
        for d in nfkd {
            if is_space_like(d) {
                out.push(' ');
            } else if is_apostrophe(d) {
            } else if let Some(v) = self.digit(d) {
                out.push(v);
            } else if d.is_alphanumeric() || contains(&self.marks, d) {
                out.push_str(&self.letter(d));
            } else {
                out.push(d);
            }
        }
        out
    }

    /// A letter folded to a fixed point: NFKD, accents dropped, full case folding (the
    /// lower case of the upper case, so `ß` is `ss` and `ς` is `σ`), then look-alikes as
    /// their ASCII letter. Case folding comes first, so a capital and its small letter
    /// always fold alike (`Η` and `η` are both `η`, then `n`).
    fn letter(&self, c: char) -> String {
        let mut cur = c.to_string();
        for _ in 0..8 {
            let mut next = String::new();
            for x in cur.chars().flat_map(|x| std::iter::once(x).nfkd()) {
                if self.drops_mark(x) || is_apostrophe(x) || is_invisible(x) {
                    continue;
                }
                let folded: String = x
                    .to_uppercase()
                    .flat_map(char::to_lowercase)
                    .flat_map(|y| std::iter::once(y).nfkd())
                    .collect();
                for y in folded.chars() {
                    if self.drops_mark(y) {
                    } else if let Some(e) = second_spelling(y) {
                        next.push_str(e);
                    } else if let Some(v) = self.digit(y) {
                        next.push(v);
                    } else if !y.is_ascii()
                        && contains(&self.letters, y)
                        && let Some(&a) = self.confusable.get(&y)
                    {
                        next.push(a);
                    } else {
                        next.push(y);
                    }
                }
            }
            if next == cur {
                return cur;
            }
            cur = next;
        }
        panic!("U+{:04X} folds to a fixed point", c as u32);
    }
}

/// Scripts whose letters are written inside Latin words to disguise them (Cyrillic `а`,
/// Greek `ο`, Armenian `օ`, Cherokee `Ꭺ`, IPA and other Latin letters). Arabic, Hebrew,
/// CJK, Indic and other scripts keep their letters: TR39 reads Hebrew `ו` and Arabic `ا`
/// as `l`, which would only mangle words of those languages.
fn is_lookalike_script(c: char) -> bool {
    matches!(
        c.script(),
        Script::Latin
            | Script::Greek
            | Script::Cyrillic
            | Script::Armenian
            | Script::Cherokee
            | Script::Coptic
            | Script::Common
            | Script::Inherited
    )
}

/// Letters that neither decompose nor case-fold to the letter writers put in their place
/// (`ł` for `l` on a keyboard without it, `oe` for `œ`), and the Hebrew final forms, Arabic
/// and Persian letters that are written either way.
fn second_spelling(c: char) -> Option<&'static str> {
    Some(match c {
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'ł' => "l",
        'đ' | 'ð' => "d",
        'þ' => "th",
        'ħ' => "h",
        'ŧ' => "t",
        // Hebrew final letters: a stem or a word with a suffix uses the plain form.
        'ך' => "כ",
        'ם' => "מ",
        'ן' => "נ",
        'ף' => "פ",
        'ץ' => "צ",
        // Alef maksura and Persian yeh as yeh, Persian kaf as kaf, teh marbuta as heh:
        // the spellings Arabic search engines treat as one.
        'ى' | 'ی' => "ي",
        'ک' => "ك",
        'ة' => "ه",
        _ => return None,
    })
}

/// What the `Basic` profile makes of `c`: full case folding without NFKD. The Turkish
/// capital dotted `İ` is `i` (its lower case adds a combining dot).
fn basic_fold(c: char) -> String {
    if c == 'İ' {
        return "i".into();
    }
    // To a fixed point: `ẞ` is its own capital and lower-cases to `ß`, whose capital is SS.
    let mut cur = c.to_string();
    loop {
        let next: String = cur
            .chars()
            .flat_map(char::to_uppercase)
            .flat_map(char::to_lowercase)
            .filter(|&d| !is_apostrophe(d) && !is_invisible(d))
            .collect();
        if next == cur {
            return cur;
        }
        cur = next;
    }
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/normalize/classes.rs");
    let out_dir = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-changed=src/yaml.rs");
    println!("cargo:rerun-if-changed=src/located.rs");
    println!("cargo:rerun-if-changed=src/error.rs");
    println!("cargo:rerun-if-changed=policies/default.yaml");
    let default = std::fs::read_to_string("policies/default.yaml").expect("policies/default.yaml");
    let parsed = yaml::parse(&default)
        .unwrap_or_else(|e| panic!("policies/default.yaml does not parse: {e}"));
    // Left out of the JSON: what the engine never reads from the embedded default, the
    // authors' `description`s and its `tests` (the tests of a base layer are not run, and
    // the wasm engine runs none of the default's), a third of the text to parse at start-up.
    let mut preparsed = parsed.value.clone();
    if let Some(doc) = preparsed.as_object_mut() {
        doc.remove("tests");
        doc.remove("description");
    }
    for rule in preparsed["rules"].as_array_mut().into_iter().flatten() {
        if let Some(rule) = rule.as_object_mut() {
            rule.remove("description");
        }
    }
    std::fs::write(
        out_dir.join("default_policy.json"),
        serde_json::to_string(&preparsed).expect("a JSON value serializes"),
    )
    .expect("OUT_DIR is writable");
    std::fs::write(
        out_dir.join("default_pattern_literals.rs"),
        pattern_literals(&parsed.value),
    )
    .expect("OUT_DIR is writable");
    let u = Unicode::load();

    // The folding table: keys, then for key i the `Unicode` folding, the `Basic` folding
    // (empty: the lower case) and the NFKC (empty: the character itself), consecutive in
    // POOL, lengths in LENS.
    let mut keys = Vec::new();
    let mut lens: Vec<u8> = Vec::new();
    let mut pool = String::new();
    let mut dropped: Ranges = Vec::new();
    let mut inner: Vec<(u32, u8)> = Vec::new();
    for c in chars() {
        let cp = c as u32;
        if u.drops_mark(c) {
            push_range(&mut dropped, cp);
        }
        if (contains(&u.punctuation, c) || contains(&u.symbols, c))
            && let Some(letter) = inner_letter(c)
        {
            inner.push((cp, letter));
        }
        // Characters the folding handles before looking at the table.
        let before = is_invisible(c) || is_apostrophe(c) || is_space_like(c);
        let digit = u.digit(c).is_some();
        let lower: String = c.to_lowercase().collect();
        let fold = if before || digit || u.drops_mark(c) {
            lower.clone()
        } else {
            u.unicode_fold(c)
        };
        let basic = if before { lower.clone() } else { basic_fold(c) };
        let fold_needed = fold != lower || basic != lower;
        let nfkc_skips = is_invisible(c) || c.is_whitespace() || is_apostrophe(c) || digit;
        let nfkc: String = match c {
            '\u{066B}' => ".".into(), // Arabic decimal separator
            '\u{066C}' => ",".into(), // Arabic thousands separator
            _ => std::iter::once(c).nfkc().collect(),
        };
        let nfkc_needed = !nfkc_skips && nfkc != c.to_string();
        if let Some(jamo) = hangul_jamo(c) {
            // Hangul syllables fold to their jamo by arithmetic, not by the table.
            let want: String = jamo
                .iter()
                .filter(|&&j| j != '\0')
                .map(|&j| u.unicode_fold(j))
                .collect();
            assert!(
                fold == want && !nfkc_needed && basic == lower,
                "U+{cp:04X} folds by the Hangul algorithm"
            );
            continue;
        }
        if fold_needed || nfkc_needed {
            keys.push(cp);
            let basic = if basic == lower { "" } else { basic.as_str() };
            for s in [
                fold.as_str(),
                basic,
                if nfkc_needed { nfkc.as_str() } else { "" },
            ] {
                pool.push_str(s);
                lens.push(u8::try_from(s.len()).expect("a folding is under 256 bytes"));
            }
        }
    }
    let mut digit_zeros: Vec<u32> = Vec::new();
    for &(start, end) in &u.digits {
        assert_eq!((end - start + 1) % 10, 0, "decimal digits come in tens");
        digit_zeros.extend((start..=end).step_by(10));
    }
    if std::env::var_os("DRAFTGUARD_FOLD_STATS").is_some() {
        println!(
            "cargo:warning=fold table: {} keys, {} pool bytes, {} mark ranges, {} dropped mark ranges, {} digit blocks, {} inner letters",
            keys.len(),
            pool.len(),
            u.marks.len(),
            dropped.len(),
            digit_zeros.len(),
            inner.len()
        );
    }
    assert!(
        pool.len() <= u32::MAX as usize,
        "the folding pool fits u32 offsets"
    );
    // Stored compactly (the wasm is downloaded and gzip does little with sorted u32s);
    // `chars.rs` expands the keys on first use.
    let mut t = String::new();
    let _ = writeln!(t, "pub(crate) const FOLD_KEYS: usize = {};", keys.len());
    let _ = writeln!(
        t,
        "pub(crate) static FOLD_KEY_DELTAS: &[u8] = &{:?};",
        deltas(&keys)
    );
    let _ = writeln!(t, "pub(crate) static FOLD_LENS: &[u8] = &{lens:?};");
    let _ = writeln!(t, "pub(crate) static FOLD_POOL: &str = {pool:?};");
    let _ = writeln!(
        t,
        "pub(crate) static COMBINING_MARKS: [(u32, u32); {}] = {:?};",
        u.marks.len(),
        u.marks
    );
    let _ = writeln!(
        t,
        "pub(crate) static DROPPED_MARKS: [(u32, u32); {}] = {dropped:?};",
        dropped.len()
    );
    let _ = writeln!(
        t,
        "pub(crate) static DIGIT_ZEROS: [u32; {}] = {digit_zeros:?};",
        digit_zeros.len()
    );
    let _ = writeln!(
        t,
        "pub(crate) static INNER_LETTERS: [(u32, u8); {}] = {inner:?};",
        inner.len()
    );
    std::fs::write(out_dir.join("fold.rs"), t).expect("OUT_DIR is writable");

    let mut t = String::from("// The general categories the tests check the tables against.\n");
    for (name, r) in [
        ("PUNCTUATION", &u.punctuation),
        ("SYMBOLS", &u.symbols),
        ("DECIMAL_DIGITS", &u.digits),
    ] {
        let _ = writeln!(
            t,
            "pub(crate) static {name}: [(u32, u32); {}] = {r:?};",
            r.len()
        );
    }
    std::fs::write(out_dir.join("categories.rs"), t).expect("OUT_DIR is writable");
}

/// Sorted keys as deltas from the previous key (from 0x7F), one byte each when under
/// 256, else a 0 byte and the key in three bytes.
fn deltas(keys: &[u32]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut prev = 0x7F;
    for &k in keys {
        match k - prev {
            d @ 1..=255 => out.push(d as u8),
            _ => {
                out.push(0);
                out.extend_from_slice(&k.to_le_bytes()[..3]);
            }
        }
        prev = k;
    }
    out
}

/// The letter a punctuation mark or symbol stands for when someone writes it inside a
/// word (`r¡sk`, `f∪ck`, `pr€mium`): its TR39 skeleton if that is one ASCII letter, and
/// the currency and section signs leetspeak uses.
fn inner_letter(c: char) -> Option<u8> {
    match c {
        '€' => return Some(b'e'),
        '£' => return Some(b'l'),
        '¢' => return Some(b'c'),
        '¥' => return Some(b'y'),
        '§' => return Some(b's'),
        _ => {}
    }
    let s = c.to_string();
    let mut sk = unicode_security::confusable_detection::skeleton(&s);
    match (sk.next(), sk.next()) {
        (Some(a), None) if a.is_ascii_alphabetic() => Some(a.to_ascii_lowercase() as u8),
        _ => None,
    }
}

/// Every non-ASCII scalar value.
fn chars() -> impl Iterator<Item = char> {
    (0x80u32..=0x10FFFF).filter_map(char::from_u32)
}

/// `DEFAULT_PATTERN_LITERALS`: (pattern, the literals every match of it starts with) for
/// each `pattern` rule of the default policy whose prefixes are a finite set of non-empty
/// literals. ASCII letters are lower-cased (the engine searches for them ignoring ASCII
/// case), which only widens the set, so a text with none of them cannot match.
fn pattern_literals(policy: &serde_json::Value) -> String {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let mut out = String::from(
        "/// (pattern, literals one of which starts every match, ASCII case ignored), by build.rs.\n\
         pub(crate) const DEFAULT_PATTERN_LITERALS: &[(&str, &[&str])] = &[\n",
    );
    let rules = policy["rules"]
        .as_array()
        .expect("the default policy has rules");
    for rule in rules.iter().filter(|r| r["kind"] == "pattern") {
        let source = rule["pattern"]
            .as_str()
            .expect("a pattern rule has a pattern");
        let hir = regex_syntax::ParserBuilder::new()
            .nest_limit(64)
            .build()
            .parse(source)
            .unwrap_or_else(|e| panic!("default policy pattern `{source}`: {e}"));
        let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
        let Some(lits) = seq.literals() else { continue };
        let mut lits: Vec<String> = lits
            .iter()
            .map(|l| String::from_utf8(l.as_bytes().to_ascii_lowercase()))
            .collect::<Result<_, _>>()
            .unwrap_or_default();
        lits.sort();
        lits.dedup();
        // Each is searched for on its own: a handful at most.
        if lits.is_empty() || lits.len() > 16 || lits.iter().any(String::is_empty) {
            continue;
        }
        writeln!(out, "    ({source:?}, &{lits:?}),").expect("a String takes writes");
    }
    out.push_str("];\n");
    out
}
