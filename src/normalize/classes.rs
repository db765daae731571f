//! Character classes the folding treats specially. Shared with `build.rs`, which
//! precomputes the Unicode folding tables with exactly these definitions.

/// Zero-width characters, bidi controls, the soft hyphen, variation selectors and other
/// format characters that change nothing a reader sees but would break a match; and
/// marks written inside a word that do not change it: the Arabic tatweel that stretches
/// a word (`مـــال`), the Armenian emphasis and question marks set over a vowel.
#[inline]
pub fn is_invisible(c: char) -> bool {
    matches!(c as u32,
        0x00AD              // soft hyphen
        | 0x034F            // combining grapheme joiner
        | 0x055B | 0x055C | 0x055E // Armenian emphasis, exclamation and question marks
        | 0x061C            // Arabic letter mark
        | 0x0640            // Arabic tatweel
        | 0x115F | 0x1160   // Hangul fillers
        | 0x17B4 | 0x17B5
        | 0x180B..=0x180F   // Mongolian variation selectors, vowel separator
        | 0x200B..=0x200F   // zero-width space/non-joiner/joiner, LRM, RLM
        | 0x202A..=0x202E   // bidi embeddings and overrides
        | 0x2060..=0x2064   // word joiner, invisible operators
        | 0x2066..=0x206F   // bidi isolates, deprecated format characters
        | 0x3164            // Hangul filler
        | 0xFE00..=0xFE0F   // variation selectors
        | 0xFEFF            // zero-width no-break space (BOM)
        | 0xFFA0
        | 0xE0000..=0xE007F // tags
        | 0xE0100..=0xE01EF // variation selectors supplement
    )
}

/// Apostrophe look-alikes that are dropped inside words (`can’t` = `can't` = `cant`),
/// including the Hebrew geresh and the Armenian apostrophe.
#[inline]
pub fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2018}'
            | '\u{2019}'
            | '\u{201B}'
            | '\u{02BC}'
            | '\u{02B9}'
            | '\u{00B4}'
            | '`'
            | '\u{FF07}'
            | '\u{05F3}'
            | '\u{055A}'
    )
}

/// Characters that separate words as a space does: whitespace, hyphens, dashes, `_`.
#[inline]
pub fn is_space_like(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '_' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}'
        )
}

/// The conjoining jamo a precomposed Hangul syllable decomposes to (NFD and NFKD), by
/// the Unicode algorithm rather than a table: leading consonant, vowel, and a trailing
/// consonant if it has one (`'\0'` if not).
pub fn hangul_jamo(c: char) -> Option<[char; 3]> {
    const S_BASE: u32 = 0xAC00;
    const T_COUNT: u32 = 28;
    const N_COUNT: u32 = 21 * T_COUNT;
    let s = (c as u32)
        .checked_sub(S_BASE)
        .filter(|&s| s < 19 * N_COUNT)?;
    let l = char::from_u32(0x1100 + s / N_COUNT)?;
    let v = char::from_u32(0x1161 + (s % N_COUNT) / T_COUNT)?;
    let t = match s % T_COUNT {
        0 => '\0',
        t => char::from_u32(0x11A7 + t)?,
    };
    Some([l, v, t])
}
