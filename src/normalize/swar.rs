//! Eight bytes at a time: the plain ASCII prose that most drafts are made of is folded,
//! split into words and scanned for phrase starts a word (`u64`) at a time, and only
//! what is not plain goes byte by byte.
//!
//! Each function flags a byte by setting its high bit (`0x80`) in the result.

pub const ONES: u64 = u64::from_ne_bytes([1; 8]);
pub const HIGH: u64 = ONES * 0x80;
const LOW: u64 = ONES * 0x7F;

/// The eight bytes of `chunk` (which must hold exactly eight) as a little-endian word:
/// byte `j` of the text is bits `8j..8j + 8`.
#[inline(always)]
pub fn load(chunk: &[u8]) -> Option<u64> {
    Some(u64::from_le_bytes(chunk.try_into().ok()?))
}

/// The bytes of `w` equal to `b` (exactly: no borrow crosses bytes).
#[inline(always)]
pub fn eq(w: u64, b: u8) -> u64 {
    let v = w ^ (ONES * u64::from(b));
    !(((v & LOW) + LOW) | v) & HIGH
}

/// Whether some byte of `w` equals `b`.
#[inline(always)]
pub fn any_eq(w: u64, b: u8) -> bool {
    // Borrows only ever add false hits above a true one, so "any" is exact.
    let v = w ^ (ONES * u64::from(b));
    v.wrapping_sub(ONES) & !v & HIGH != 0
}

/// The bytes of `w` in `lo..=hi`; `w` must be ASCII (no high bit set).
#[inline(always)]
pub fn in_range(w: u64, lo: u8, hi: u8) -> u64 {
    // With the high bit of each byte as a guard, no borrow crosses bytes.
    let guarded = w | HIGH;
    guarded.wrapping_sub(ONES * u64::from(lo))
        & !guarded.wrapping_sub(ONES * (u64::from(hi) + 1))
        & HIGH
}

/// When `w` is only lower-case ASCII letters and spaces: its letters.
#[inline(always)]
pub fn lower_words(w: u64) -> Option<u64> {
    if w & HIGH != 0 {
        return None;
    }
    let letters = in_range(w, b'a', b'z');
    (letters | eq(w, b' ') == HIGH).then_some(letters)
}

/// The text offset of the flagged byte `mask.trailing_zeros()` stands for.
#[inline(always)]
pub fn first(mask: u64) -> usize {
    (mask.trailing_zeros() / 8) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_match_byte_by_byte() {
        let texts: [&[u8; 8]; 4] = [
            b"ab Z -_'",
            b"  \x01\x7f`{@[",
            b"hello wo",
            b"\x00\x21 !aa  ",
        ];
        for t in texts {
            let w = load(t).unwrap();
            for (j, &b) in t.iter().enumerate() {
                let bit = 0x80u64 << (8 * j);
                assert_eq!(eq(w, b' ') & bit != 0, b == b' ', "{t:?} {j}");
                assert_eq!(
                    in_range(w, b'a', b'z') & bit != 0,
                    b.is_ascii_lowercase(),
                    "{t:?} {j}"
                );
            }
            assert_eq!(any_eq(w, b'-'), t.contains(&b'-'));
            assert_eq!(any_eq(w, 0), t.contains(&0));
        }
        assert_eq!(
            lower_words(load(b"hello wo").unwrap()),
            Some(HIGH & !(0x80 << 40))
        );
        assert_eq!(lower_words(load(b"hello, w").unwrap()), None);
    }
}
