//! Upper case exactly as `char::to_uppercase` and `str::to_uppercase`, from compact tables
//! `build.rs` takes from the compiler's own `core`: runs of characters that map by the
//! same offset, and the few that become two or three characters. The wasm module then
//! carries these (about 2 KB) instead of core's uppercase table (about 12 KB), which
//! only the case of suggested replacements ([`crate::rules::match_case`]) needed. A test
//! compares every code point with `char::to_uppercase`.

include!(concat!(env!("OUT_DIR"), "/upper.rs"));

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

/// The first character of `c`'s upper case, and the second and third if there are more.
fn upper(c: char) -> (char, [Option<char>; 2]) {
    if c.is_ascii() {
        return (c.to_ascii_uppercase(), [None; 2]);
    }
    let u = c as u32;
    if let Ok(i) = UPPER_MULTI.binary_search_by_key(&u, |&(k, _)| k) {
        let [a, b, c3] = UPPER_MULTI[i].1.map(char::from_u32);
        return (
            a.unwrap_or(c),
            [b.filter(|&x| x != '\0'), c3.filter(|&x| x != '\0')],
        );
    }
    // Runs never interleave (build.rs closes one at the first mapped character that does
    // not continue it), so only the last run starting at or before `u` can hold it.
    let i = UPPER_RUNS.partition_point(|&(first, ..)| first <= u);
    if let Some(&(first, count, stride, delta)) = i.checked_sub(1).map(|i| &UPPER_RUNS[i]) {
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
