//! Matching in every language and through the disguises filters meet daily (issue 10):
//! case in every cased script, punctuation, elisions and clitics, digits of every script,
//! scripts without spaces, `*` stems, masked and stretched letters. Each case names the
//! exact text a finding covers; each rule has traps that must stay clean.

mod common;
use common::*;

use draftguard::{Date, lint};

/// (rule id, flagged text) for every finding, in order.
fn found(e: &draftguard::Engine, text: &str) -> Vec<(String, String)> {
    let fs = check(e, text);
    for f in &fs {
        assert_eq!(&text[f.span.clone()], f.text, "span and text agree");
    }
    spans(&fs)
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// Asserts each text yields exactly the (rule, text) findings listed.
fn expect(e: &draftguard::Engine, cases: &[(&str, &[(&str, &str)])]) {
    for (text, want) in cases {
        assert_eq!(found(e, text), pairs(want), "{text:?}");
    }
}

// ---- 1. Case in every cased script ------------------------------------------------------

const CASE: &str = r#"
policy: t
rules:
  - {id: de, kind: phrases, phrases: ["Straße", "garantierte Rendite"]}
  - {id: el, kind: phrases, phrases: ["εγγυημένη απόδοση", "ΣΟΦΟΣ"]}
  - {id: tr, kind: phrases, phrases: ["istanbul", "garantili kazanç", "KESİN GETİRİ"]}
  - {id: ru, kind: phrases, phrases: ["гарантированный доход"]}
  - {id: uk, kind: phrases, phrases: ["київ"]}
  - {id: hy, kind: phrases, phrases: ["երաշխավորված եկամուտ"]}
  - {id: ka, kind: phrases, phrases: ["გარანტირებული შემოსავალი"]}
  - {id: chr, kind: phrases, phrases: ["ᏣᎳᎩ"]}
  - {id: dsrt, kind: phrases, phrases: ["𐐔𐐯𐑅𐐨𐑉𐐯𐐻"]}
"#;

#[test]
fn case_folds_fully_in_every_cased_script() {
    let e = engine(CASE);
    expect(
        &e,
        &[
            ("STRASSE", &[("de", "STRASSE")]),
            ("die strasse", &[("de", "strasse")]),
            ("ẞ: STRAẞE", &[("de", "STRAẞE")]),
            ("GARANTIERTE RENDITE!", &[("de", "GARANTIERTE RENDITE")]),
            ("ΕΓΓΥΗΜΈΝΗ ΑΠΌΔΟΣΗ", &[("el", "ΕΓΓΥΗΜΈΝΗ ΑΠΌΔΟΣΗ")]),
            ("Εγγυημένη Απόδοση", &[("el", "Εγγυημένη Απόδοση")]),
            ("εγγυημενη αποδοση", &[("el", "εγγυημενη αποδοση")]),
            // Final sigma, small sigma and capital sigma are one letter.
            ("σοφος", &[("el", "σοφος")]),
            ("Σοφός", &[("el", "Σοφός")]),
            ("İSTANBUL", &[("tr", "İSTANBUL")]),
            ("Istanbul", &[("tr", "Istanbul")]),
            ("GARANTİLİ KAZANÇ", &[("tr", "GARANTİLİ KAZANÇ")]),
            ("kesin getiri", &[("tr", "kesin getiri")]),
            ("ГАРАНТИРОВАННЫЙ ДОХОД", &[("ru", "ГАРАНТИРОВАННЫЙ ДОХОД")]),
            ("Гарантированный Доход", &[("ru", "Гарантированный Доход")]),
            ("КИЇВ", &[("uk", "КИЇВ")]),
            ("ԵՐԱՇԽԱՎՈՐՎԱԾ ԵԿԱՄՈՒՏ", &[("hy", "ԵՐԱՇԽԱՎՈՐՎԱԾ ԵԿԱՄՈՒՏ")]),
            // Georgian Mtavruli capitals.
            (
                "ᲒᲐᲠᲐᲜᲢᲘᲠᲔᲑᲣᲚᲘ ᲨᲔᲛᲝᲡᲐᲕᲐᲚᲘ",
                &[("ka", "ᲒᲐᲠᲐᲜᲢᲘᲠᲔᲑᲣᲚᲘ ᲨᲔᲛᲝᲡᲐᲕᲐᲚᲘ")],
            ),
            ("ꮳꮃꭹ", &[("chr", "ꮳꮃꭹ")]),
            ("𐐼𐐯𐑅𐐨𐑉𐐯𐐻", &[("dsrt", "𐐼𐐯𐑅𐐨𐑉𐐯𐐻")]),
        ],
    );
    // Traps: neighbouring words, other letters.
    expect(
        &e,
        &[
            ("Strassen", &[]),
            ("σοφοί", &[]),
            ("Istanbullu", &[]),
            ("гарантированный", &[]),
            ("Kiev", &[]),
        ],
    );
}

#[test]
fn look_alikes_never_make_a_capital_differ_from_its_small_letter() {
    // Greek capital eta looks like H and small eta like n; capital and small iota, Ukrainian
    // І and і, must all fold alike, or a word in capitals misses its phrase.
    let e = engine(
        "policy: t\nrules:\n  - {id: el, kind: phrases, phrases: [ηλιος, ιδεα]}\n  - {id: uk, kind: phrases, phrases: [інвестиції]}\n  - {id: en, kind: phrases, phrases: [scam]}\n",
    );
    expect(
        &e,
        &[
            ("ΗΛΙΟΣ", &[("el", "ΗΛΙΟΣ")]),
            ("ΙΔΕΑ", &[("el", "ΙΔΕΑ")]),
            ("ІНВЕСТИЦІЇ", &[("uk", "ІНВЕСТИЦІЇ")]),
            // Look-alikes inside a Latin word still fold, in either case.
            ("ѕсаm", &[("en", "ѕсаm")]),
            ("SCАM", &[("en", "SCАM")]),
        ],
    );
    expect(&e, &[("hlios", &[]), ("nlios", &[])]);
}

// ---- 2. Punctuation ---------------------------------------------------------------------

#[test]
fn punctuation_of_any_language_never_glues_to_a_word() {
    let e = engine(
        "policy: t\nrules:\n  - {id: es, kind: phrases, phrases: [garantizado, sin riesgo]}\n  - {id: fr, kind: phrases, phrases: [rendement garanti]}\n  - {id: de, kind: phrases, phrases: [garantiert]}\n  - {id: zh, kind: phrases, phrases: [保本]}\n  - {id: ar, kind: phrases, phrases: [مضمون]}\n  - {id: he, kind: phrases, phrases: [מובטח]}\n  - {id: hi, kind: phrases, phrases: [गारंटी]}\n  - {id: ja, kind: phrases, phrases: [元本保証]}\n",
    );
    expect(
        &e,
        &[
            ("¡Garantizado!", &[("es", "Garantizado")]),
            ("¿Sin riesgo?", &[("es", "Sin riesgo")]),
            ("«Rendement garanti»", &[("fr", "Rendement garanti")]),
            ("« rendement garanti »", &[("fr", "rendement garanti")]),
            ("‹garantiert›", &[("de", "garantiert")]),
            ("„Garantiert“", &[("de", "Garantiert")]),
            ("‚garantiert‘", &[("de", "garantiert")]),
            ("「保本」、", &[("zh", "保本")]),
            ("『元本保証』。", &[("ja", "元本保証")]),
            ("真的！保本？", &[("zh", "保本")]),
            ("هل هو مضمون؟", &[("ar", "مضمون")]),
            ("مضمون، حقا", &[("ar", "مضمون")]),
            ("״מובטח״", &[("he", "מובטח")]),
            ("यह गारंटी।", &[("hi", "गारंटी")]),
        ],
    );
}

// ---- 3. Elision and clitics -------------------------------------------------------------

#[test]
fn elisions_clitics_and_contractions() {
    let e = engine(
        "policy: t\nrules:\n  - {id: brand, kind: phrases, phrases: [Acme Bank]}\n  - {id: it, kind: phrases, phrases: [azienda, investimento sicuro]}\n  - {id: fr, kind: phrases, phrases: [entreprise, un placement]}\n  - {id: ca, kind: phrases, phrases: [empresa]}\n  - {id: en, kind: phrases, phrases: [\"can't lose\", can]}\n  - {id: tr, kind: phrases, phrases: [Acme]}\n  - {id: ar, kind: phrases, phrases: [أرباح مضمونة]}\n  - {id: he, kind: phrases, phrases: [רווח מובטח]}\n",
    );
    expect(
        &e,
        &[
            ("Les clients d'Acme Bank", &[("brand", "Acme Bank")]),
            ("Les clients d’Acme Bank", &[("brand", "Acme Bank")]),
            ("l'entreprise", &[("fr", "entreprise")]),
            ("L’ENTREPRISE", &[("fr", "ENTREPRISE")]),
            ("qu'un placement", &[("fr", "un placement")]),
            ("dell'azienda", &[("it", "azienda")]),
            ("un'azienda", &[("it", "azienda")]),
            ("dall’investimento sicuro", &[("it", "investimento sicuro")]),
            ("l'empresa", &[("ca", "empresa")]),
            ("You can't lose", &[("en", "can't lose")]),
            ("you CANT LOSE", &[("en", "CANT LOSE")]),
            ("Acme'nin ürünleri", &[("tr", "Acme")]),
            ("الأرباح المضمونة", &[("ar", "أرباح المضمونة")]),
            ("والأرباح المضمونة", &[("ar", "أرباح المضمونة")]),
            ("بأرباح مضمونة", &[("ar", "أرباح مضمونة")]),
            ("הרווח המובטח", &[("he", "רווח המובטח")]),
        ],
    );
    // Traps: a contraction never ends a word at its apostrophe; a word that merely
    // starts with the same letters is another word.
    expect(
        &e,
        &[
            ("It can't be", &[]),
            ("Acmeville", &[]),
            ("aziendale", &[]),
            ("entreprises", &[]),
        ],
    );
}

// ---- 4. Digits of every script ----------------------------------------------------------

#[test]
fn detectors_read_every_decimal_digit_with_spans_on_the_original() {
    let yaml = "policy: t\nrules:\n  - {id: card, kind: detector, detector: credit_card}\n  - {id: ssn, kind: detector, detector: us_ssn}\n  - {id: phone, kind: detector, detector: phone}\n  - {id: iban, kind: detector, detector: iban}\n  - {id: aba, kind: detector, detector: aba_routing}\n  - {id: acct, kind: detector, detector: account_number}\n";
    for evasion in ["", "evasion: none"] {
        let y = if evasion.is_empty() {
            yaml.to_string()
        } else {
            yaml.replace("}\n", ", evasion: none}\n")
        };
        let e = engine(&y);
        expect(
            &e,
            &[
                // Arabic-Indic
                (
                    "رقم البطاقة ٤١١١ ١١١١ ١١١١ ١١١١ شكرا",
                    &[("card", "٤١١١ ١١١١ ١١١١ ١١١١")],
                ),
                // Extended Arabic-Indic (Persian)
                ("کارت ۴۱۱۱۱۱۱۱۱۱۱۱۱۱۱۱", &[("card", "۴۱۱۱۱۱۱۱۱۱۱۱۱۱۱۱")]),
                // Devanagari
                ("SSN ५३६-२२-८७४१ है", &[("ssn", "५३६-२२-८७४१")]),
                // Fullwidth, and Bengali (whose ৪ looks like 8 and is 4)
                (
                    "call (２１２) ５５５-０１８７",
                    &[("phone", "(２１２) ５５５-０１８７")],
                ),
                ("routing ০২১০০০০২১", &[("aba", "০২১০০০০২১")]),
                (
                    "IBAN GB٨٢ WEST ١٢٣٤ ٥٦٩٨ ٧٦٥٤ ٣٢",
                    &[("iban", "GB٨٢ WEST ١٢٣٤ ٥٦٩٨ ٧٦٥٤ ٣٢")],
                ),
                ("account ๑๒๓๔๕๖๗๘๙", &[("acct", "๑๒๓๔๕๖๗๘๙")]),
            ],
        );
        // Traps: the same validation applies in every script.
        expect(
            &e,
            &[
                ("٤١١١ ١١١١ ١١١١ ١١١٢", &[]),
                ("SSN ०७८-०५-११२०", &[]),
                ("التاريخ ٢٠٢٦-١١-٢٣", &[]),
            ],
        );
    }
}

#[test]
fn allow_lists_compare_digits_of_every_script_by_value() {
    let e = engine(
        "policy: t\nrules:\n  - {id: phone, kind: detector, detector: phone, allow: [\"1-800-555-0100\"]}\n",
    );
    expect(&e, &[("اتصل على (٨٠٠) ٥٥٥-٠١٠٠", &[])]);
    expect(
        &e,
        &[("اتصل على (٢١٢) ٥٥٥-٠١٨٧", &[("phone", "(٢١٢) ٥٥٥-٠١٨٧")])],
    );
}

// ---- 5. Scripts without spaces ----------------------------------------------------------

#[test]
fn scripts_without_spaces_match_inside_running_text() {
    let e = engine(
        "policy: t\nrules:\n  - {id: zh, kind: phrases, phrases: [保证收益, 稳赚不赔]}\n  - {id: ja, kind: phrases, phrases: [元本保証, 必ず儲かる]}\n  - {id: th, kind: phrases, phrases: [รับประกันผลตอบแทน]}\n  - {id: lo, kind: phrases, phrases: [ຮັບປະກັນ]}\n  - {id: km, kind: phrases, phrases: [ធានា]}\n  - {id: my, kind: phrases, phrases: [အာမခံ]}\n  - {id: ko, kind: phrases, phrases: [원금 보장, 확정수익]}\n  - {id: en, kind: phrases, phrases: [Acme]}\n",
    );
    expect(
        &e,
        &[
            ("本产品保证收益百分之十", &[("zh", "保证收益")]),
            ("这个基金稳赚不赔！", &[("zh", "稳赚不赔")]),
            ("この商品は元本保証です", &[("ja", "元本保証")]),
            ("ｶﾅﾗｽﾞ 必ず儲かる話", &[("ja", "必ず儲かる")]),
            ("เรารับประกันผลตอบแทนสูง", &[("th", "รับประกันผลตอบแทน")]),
            ("ພວກເຮົາຮັບປະກັນຜົນຕອບແທນ", &[("lo", "ຮັບປະກັນ")]),
            ("យើងធានាប្រាក់ចំណេញ", &[("km", "ធានា")]),
            ("ကျွန်ုပ်တို့အာမခံပါတယ်", &[("my", "အာမခံ")]),
            // Korean with or without the space between words.
            ("원금보장 상품입니다", &[("ko", "원금보장")]),
            ("원금 보장 상품", &[("ko", "원금 보장")]),
            ("확정 수익을 드립니다", &[("ko", "확정 수익")]),
            ("확정수익을", &[("ko", "확정수익")]),
            // A Latin word right next to Chinese or Japanese.
            ("我在Acme工作", &[("en", "Acme")]),
            ("Acme銀行の", &[("en", "Acme")]),
        ],
    );
    // Traps: a Korean phrase never ends inside a syllable, a Thai phrase never before its
    // vowel sign, a Japanese phrase never before a voicing mark.
    let e = engine(
        "policy: t\nrules:\n  - {id: ko, kind: phrases, phrases: [보자]}\n  - {id: th, kind: phrases, phrases: [ด]}\n  - {id: ja, kind: phrases, phrases: [カ]}\n",
    );
    expect(&e, &[("보장", &[]), ("ดี", &[]), ("ガ", &[]), ("ｶﾞ", &[])]);
    expect(&e, &[("보자고", &[("ko", "보자")])]);
}

// ---- 6. Inflection: `*` stems -----------------------------------------------------------

#[test]
fn stems_match_every_word_they_begin_in_five_languages() {
    let e = engine(
        "policy: t\nrules:\n  - {id: de, kind: phrases, phrases: [\"garantiert* rendite*\"]}\n  - {id: ru, kind: phrases, phrases: [\"гарантированн* доход*\"]}\n  - {id: es, kind: phrases, phrases: [\"rentabilidad* garantizad*\"]}\n  - {id: fr, kind: phrases, phrases: [\"rendement* garanti*\"]}\n  - {id: pl, kind: phrases, phrases: [\"gwarantowan* zysk*\"]}\n  - {id: en, kind: phrases, phrases: [\"guarantee* return*\", \"scam*\"]}\n",
    );
    expect(
        &e,
        &[
            ("Garantierte Renditen!", &[("de", "Garantierte Renditen")]),
            ("GARANTIERTER RENDITE", &[("de", "GARANTIERTER RENDITE")]),
            (
                "гарантированного дохода",
                &[("ru", "гарантированного дохода")],
            ),
            (
                "Гарантированные доходы",
                &[("ru", "Гарантированные доходы")],
            ),
            (
                "rentabilidades garantizadas",
                &[("es", "rentabilidades garantizadas")],
            ),
            ("Rendements garantis", &[("fr", "Rendements garantis")]),
            ("gwarantowanego zysku", &[("pl", "gwarantowanego zysku")]),
            ("guaranteed returns", &[("en", "guaranteed returns")]),
            ("SCAMMERS everywhere", &[("en", "SCAMMERS")]),
            // A stem covers the whole word typed, disguises included.
            ("gu@ranteed r3turns", &[("en", "gu@ranteed r3turns")]),
        ],
    );
    // Traps: the stem must begin the word, and the words must be in order.
    expect(
        &e,
        &[
            ("ungarantierte Renditen", &[]),
            ("Renditen garantiert", &[]),
            ("doходы", &[]),
            ("returns guaranteed", &[]),
        ],
    );
}

#[test]
fn lint_warns_about_short_and_useless_stems() {
    let policy = draftguard::Policy::from_yaml(
        "stems.yaml",
        "policy: t\nrules:\n  - {id: s, kind: phrases, phrases: [\"ga* rendite*\", \"保证*\", \"garantiert*\"], unless: [\"no*\"]}\ntests:\n  - {text: garantiert, expect: [s]}\n",
    )
    .unwrap();
    let e = draftguard::Engine::new(policy).unwrap();
    let warnings: Vec<String> = lint::lint(&e, Date::parse("2026-11-23").unwrap())
        .iter()
        .map(|w| w.message.clone())
        .collect();
    assert!(
        warnings.iter().any(|w| w
            == "the `*` stem `ga` in `ga* rendite*` has fewer than 3 letters, so it matches too many words; write more of the word"),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("`no` in `no*` has fewer than 3 letters")),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|w| w
            == "the `*` after `保证` in `保证*` does nothing: phrases in scripts written without spaces match inside words already"),
        "{warnings:?}"
    );
    assert!(
        !warnings
            .iter()
            .any(|w| w.contains("stem `rendite`") || w.contains("stem `garantiert`")),
        "{warnings:?}"
    );
}

// ---- 7. Masked and stretched letters ----------------------------------------------------

const DISGUISE: &str = r#"
policy: t
rules:
  - {id: prof, kind: phrases, phrases: [fuck, fucking, shit, bitch, asshole]}
  - {id: scam, kind: phrases, phrases: [scam, guaranteed returns]}
  - {id: ru, kind: phrases, phrases: [блять]}
"#;

#[test]
fn masked_and_stretched_words_are_read_as_the_policy_words() {
    let e = engine(DISGUISE);
    expect(
        &e,
        &[
            ("what the f*ck", &[("prof", "f*ck")]),
            ("F**KING hell", &[("prof", "F**KING")]),
            ("f**king", &[("prof", "f**king")]),
            ("sh#t happens", &[("prof", "sh#t")]),
            ("s**t", &[("prof", "s**t")]),
            ("b_tch", &[("prof", "b_tch")]),
            ("f-ck that", &[("prof", "f-ck")]),
            ("f--king", &[("prof", "f--king")]),
            ("sh.t", &[("prof", "sh.t")]),
            ("a**hole", &[("prof", "a**hole")]),
            ("бл*ть", &[("ru", "бл*ть")]),
            ("fuuuuck", &[("prof", "fuuuuck")]),
            ("FUUUUUCK!!", &[("prof", "FUUUUUCK")]),
            ("scaaaam alert", &[("scam", "scaaaam")]),
            ("guaranteeeed returns", &[("scam", "guaranteeeed returns")]),
            (
                "guaranteed returnsssss",
                &[("scam", "guaranteed returnsssss")],
            ),
            ("shiiiiit", &[("prof", "shiiiiit")]),
        ],
    );
}

#[test]
fn masks_and_stretches_leave_ordinary_writing_alone() {
    let e = engine(
        "policy: t\nrules:\n  - {id: prof, kind: phrases, phrases: [fuck, shit, cunt, cum, cool, moo, yes]}\n  - {id: gr, kind: phrases, phrases: [col, mo, ye]}\n",
    );
    expect(
        &e,
        &[
            // Letters typed once or twice stand for themselves.
            ("Moo", &[("prof", "Moo")]),
            ("Yesss!", &[("prof", "Yesss")]),
            ("so cooool", &[("prof", "cooool")]),
            // A formula, a search wildcard, footnote marks and bullets.
            ("A**B = C", &[]),
            ("search c*t to find cat or cut", &[]),
            ("c*m", &[]),
            ("Returns* may vary. *Terms apply", &[]),
            ("*shit*", &[("prof", "shit")]),
            ("e-mail me, co-op, U.S. and acme.example", &[]),
            ("hmmm, zzz, www.acme.example", &[]),
        ],
    );
}

// ---- 1 (property). Case never changes a match ------------------------------------------

/// Text in many scripts; phrases are drawn from its words.
const SAMPLE: &[&str] = &[
    "Garantierte Rendite für alle Straßen und Größen",
    "Εγγυημένη απόδοση και σοφός επενδυτής στην Αθήνα",
    "İstanbul'da garantili kazanç ve ılık ışık",
    "Гарантированный доход без риска для всех",
    "Київ і Львів: гарантований прибуток",
    "Rendement garanti sans risque pour l'entreprise",
    "Rentabilidad garantizada, ¡sin riesgo!",
    "Rendimento garantito dell'azienda",
    "Retorno garantido e lucro certo",
    "Gwarantowany zysk bez ryzyka, żółć",
    "երաշխավորված եկամուտ Հայաստանում",
    "გარანტირებული შემოსავალი თბილისში",
    "Lợi nhuận đảm bảo không rủi ro",
    "Ĳsselmeer ǆungla ﬁnance œuvre",
    "fuck sh1t gu@ranteed r3turns scaaaam f*ck",
];

fn upper(s: &str) -> String {
    s.to_uppercase()
}

/// Each word's first letter in upper case, the rest in lower case.
fn title(s: &str) -> String {
    let mut out = String::new();
    let mut start = true;
    for c in s.chars() {
        if c.is_alphabetic() {
            if start {
                out.extend(c.to_uppercase());
            } else {
                out.extend(c.to_lowercase());
            }
            start = false;
        } else {
            out.push(c);
            start = !matches!(c, '\'' | '’');
        }
    }
    out
}

/// A deterministic generator (xorshift), so a failure always reproduces.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn case_never_changes_whether_a_phrase_matches() {
    let mut rng = Rng(0x1d_10_1a_96);
    let words: Vec<Vec<&str>> = SAMPLE
        .iter()
        .map(|s| s.split_whitespace().collect())
        .collect();
    let mut checked = 0;
    for _ in 0..400 {
        // A phrase: one to three consecutive words of a sample, in one of three cases.
        let line = &words[rng.below(words.len())];
        let start = rng.below(line.len());
        let len = 1 + rng.below(3.min(line.len() - start));
        let phrase: String = line[start..start + len]
            .join(" ")
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_string();
        if phrase.is_empty() {
            continue;
        }
        let phrase = match rng.below(3) {
            0 => phrase.to_lowercase(),
            1 => upper(&phrase),
            _ => title(&phrase),
        };
        for evasion in ["none", "unicode", "full"] {
            let yaml = format!(
                "policy: t\nrules:\n  - {{id: p, kind: phrases, evasion: {evasion}, phrases: [{}]}}\n",
                serde_json::to_string(&phrase).unwrap()
            );
            let e = engine(&yaml);
            // The text: the phrase's own sample, or another one.
            let text = if rng.below(2) == 0 {
                SAMPLE[rng.below(SAMPLE.len())]
            } else {
                &line.join(" ")
            };
            let hits = |t: &str| check(&e, t).len();
            let want = hits(text);
            assert_eq!(
                hits(&upper(text)),
                want,
                "{phrase:?} in UPPER {text:?} ({evasion})"
            );
            assert_eq!(
                hits(&title(text)),
                want,
                "{phrase:?} in Title {text:?} ({evasion})"
            );
            assert_eq!(
                hits(&text.to_lowercase()),
                want,
                "{phrase:?} in lower {text:?} ({evasion})"
            );
            checked += 1;
        }
    }
    assert!(checked > 1000, "{checked} cases");
}
