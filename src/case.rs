//! Upper and lower case exactly as `char::to_uppercase`, `str::to_uppercase`,
//! `char::to_lowercase` and `str::to_lowercase`, from compact tables `build.rs` takes
//! from the compiler's own `core`: runs of characters that map by the same offset, the
//! few that become two or three characters, and for the final sigma the case-ignorable
//! and cased characters. The wasm module then carries these instead of core's case
//! tables (about 24 KB), which the matching shadow's lower case, the detectors'
//! canonical forms and the case of suggested replacements ([`crate::rules::match_case`])
//! needed. Tests compare every code point with core, and the sigma with every neighbour.

include!(concat!(env!("OUT_DIR"), "/upper.rs"));
include!(concat!(env!("OUT_DIR"), "/lower.rs"));

/// `c` in upper case: one to three characters, as `char::to_uppercase` yields them.
pub fn to_upper(c: char) -> impl Iterator<Item = char> {
    let (first, rest) = upper(c);
    std::iter::once(first).chain(rest.into_iter().flatten())
}

/// `s` in upper case, as `str::to_uppercase` (which maps each character on its own).
pub fn uppercase(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    out.extend(s.chars().flat_map(to_upper));
    out
}

/// `c` in lower case: one or two characters, as `char::to_lowercase` yields them.
pub fn to_lower(c: char) -> impl Iterator<Item = char> {
    let (first, rest) = if c.is_ascii() {
        (c.to_ascii_lowercase(), [None; 2])
    } else {
        map(c, &LOWER_RUNS, &LOWER_MULTI)
    };
    std::iter::once(first).chain(rest.into_iter().flatten())
}

/// `s` in lower case, as `str::to_lowercase`: a capital sigma becomes `ς` at the end of a
/// word (after a cased letter, not before one, case-ignorable characters skipped), `σ`
/// elsewhere.
pub fn lowercase(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        if c == 'Σ' {
            let at_end = ignorable_then_cased(s[..i].chars().rev())
                && !ignorable_then_cased(s[i + c.len_utf8()..].chars());
            out.push(if at_end { 'ς' } else { 'σ' });
        } else {
            out.extend(to_lower(c));
        }
    }
    out
}

/// Whether the first character of `chars` that is not case-ignorable is cased.
fn ignorable_then_cased(mut chars: impl Iterator<Item = char>) -> bool {
    chars
        .find(|&c| !in_ranges(&CASE_IGNORABLE, c))
        .is_some_and(|c| in_ranges(&CASED, c))
}

fn in_ranges(ranges: &[(u32, u32)], c: char) -> bool {
    let u = c as u32;
    let i = ranges.partition_point(|&(first, _)| first <= u);
    i.checked_sub(1).is_some_and(|i| u <= ranges[i].1)
}

/// The first character of `c`'s upper case, and the second and third if there are more.
fn upper(c: char) -> (char, [Option<char>; 2]) {
    if c.is_ascii() {
        return (c.to_ascii_uppercase(), [None; 2]);
    }
    map(c, &UPPER_RUNS, &UPPER_MULTI)
}

/// `c` (not ASCII) through one mapping's runs and multi-character list.
fn map(
    c: char,
    runs: &[(u32, u16, u16, i32)],
    multi: &[(u32, [u32; 3])],
) -> (char, [Option<char>; 2]) {
    let u = c as u32;
    if let Ok(i) = multi.binary_search_by_key(&u, |&(k, _)| k) {
        let [a, b, c3] = multi[i].1.map(char::from_u32);
        return (
            a.unwrap_or(c),
            [b.filter(|&x| x != '\0'), c3.filter(|&x| x != '\0')],
        );
    }
    // Runs never interleave (build.rs closes one at the first mapped character that does
    // not continue it), so only the last run starting at or before `u` can hold it.
    let i = runs.partition_point(|&(first, ..)| first <= u);
    if let Some(&(first, count, stride, delta)) = i.checked_sub(1).map(|i| &runs[i]) {
        let off = u - first;
        let stride = u32::from(stride);
        if off.is_multiple_of(stride) && off / stride < u32::from(count) {
            let mapped = u.checked_add_signed(delta).and_then(char::from_u32);
            return (mapped.unwrap_or(c), [None; 2]);
        }
    }
    (c, [None; 2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_point_upper_cases_as_core_does() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert!(
                to_upper(c).eq(c.to_uppercase()),
                "U+{:04X}: {:?}, core {:?}",
                c as u32,
                to_upper(c).collect::<String>(),
                c.to_uppercase().collect::<String>()
            );
        }
    }

    #[test]
    fn every_code_point_lower_cases_as_core_does() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert!(
                to_lower(c).eq(c.to_lowercase()),
                "U+{:04X}: {:?}, core {:?}",
                c as u32,
                to_lower(c).collect::<String>(),
                c.to_lowercase().collect::<String>()
            );
        }
    }

    /// The sigma's context with every character before and after it, directly and across
    /// a case-ignorable one, as `str::to_lowercase` reads it.
    #[test]
    fn the_final_sigma_follows_core_next_to_every_character() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            for s in [
                format!("{c}Σ"),
                format!("A{c}Σ"),
                format!("AΣ{c}"),
                format!("AΣ{c}a"),
                format!("AΣ'{c}"),
            ] {
                assert_eq!(
                    lowercase(&s),
                    s.to_lowercase(),
                    "U+{:04X} in {s:?}",
                    c as u32
                );
            }
        }
    }

    #[test]
    fn strings_lower_case_as_core_does() {
        for s in [
            "",
            "ΟΔΟΣ ΟΔΟΣ. Σ",
            "İSTANBUL #ΣΟΦΙΑΣ",
            "ΑΣ'Σ",
            "a\u{301}Σ\u{301}",
            "Straße",
        ] {
            assert_eq!(lowercase(s), s.to_lowercase(), "{s}");
        }
    }

    #[test]
    fn strings_upper_case_as_core_does() {
        for s in [
            "",
            "straße",
            "ﬁnancial ǆ ΐ",
            "guaranteed returns",
            "ﬃ-İı-ŉ",
            "ǅemal",
        ] {
            assert_eq!(uppercase(s), s.to_uppercase(), "{s}");
        }
    }
}
