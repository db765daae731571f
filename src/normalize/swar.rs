//! Eight bytes at a time: the plain ASCII prose that most drafts are made of is folded,
//! split into words and scanned for phrase starts a word (`u64`) at a time, and only
//! what is not plain goes byte by byte.
//!
//! Each function flags a byte by setting its high bit (`0x80`) in the result.

pub const ONES: u64 = u64::from_ne_bytes([1; 8]);
pub const HIGH: u64 = ONES * 0x80;
const LOW: u64 = ONES * 0x7F;

#[cfg(test)]
thread_local! {
    /// Set by the engine's differential test to send every eight-bytes-at-once path (the
    /// fold, the word pass, the phrase scan) to its byte loop.
    pub static BYTE_LOOPS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the eight-bytes-at-once paths run: always, except in a test that turns them
/// off to compare.
#[inline(always)]
pub fn enabled() -> bool {
    #[cfg(test)]
    return !BYTE_LOOPS.with(std::cell::Cell::get);
    #[cfg(not(test))]
    true
}

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

/// The ASCII letters and digits of `w`, which must be ASCII.
#[inline(always)]
pub fn alnum(w: u64) -> u64 {
    letters(w) | in_range(w, b'0', b'9')
}

/// The ASCII letters of `w` (flags of bytes from 0x80 are meaningless: clear them with
/// `& !w`): setting bit 5 makes every upper-case
/// letter lower-case and moves no other byte into `a..=z`.
#[inline(always)]
pub fn letters(w: u64) -> u64 {
    in_range(w | (ONES * 0x20), b'a', b'z')
}

/// The end of the run of ASCII letters that starts at `bytes[i]`: the offset of the
/// first byte from `i` that is not one, or `bytes.len()`.
#[inline(always)]
pub fn letters_end(bytes: &[u8], mut i: usize) -> usize {
    while let Some(w) = bytes.get(i..i + 8).and_then(load) {
        // A byte from 0x80 is never a letter: its own high bit clears its flag.
        let other = HIGH & !(letters(w) & !w);
        if other != 0 {
            return i + first(other);
        }
        i += 8;
    }
    while bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
        i += 1;
    }
    i
}

/// The text offset of the flagged byte `mask.trailing_zeros()` stands for.
#[inline(always)]
pub fn first(mask: u64) -> usize {
    (mask.trailing_zeros() / 8) as usize
}

/// `bytes` sixteen at a time: for each whole step its offset and its two little-endian
/// words, from one 16-byte load (`last_chunk` and `split_at` are calls in the size-tuned
/// wasm build). The bytes past the last step start at [`steps16_end`].
#[inline(always)]
pub fn steps16(bytes: &[u8]) -> impl Iterator<Item = (usize, u64, u64)> + '_ {
    bytes.chunks_exact(16).enumerate().map(|(k, chunk)| {
        // Every chunk holds sixteen bytes: the default is never used.
        let x = u128::from_le_bytes(chunk.try_into().unwrap_or_default());
        (16 * k, x as u64, (x >> 64) as u64)
    })
}

/// Where the bytes [`steps16`] leaves over start.
#[inline(always)]
pub fn steps16_end(bytes: &[u8]) -> usize {
    bytes.len() & !15
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
    }

    /// Every byte in every position, next to every other: letters and digits, and where
    /// a run of letters ends.
    #[test]
    fn letters_digits_and_runs_of_every_byte() {
        for b in 0..=255u8 {
            for other in 0..=255u8 {
                for j in 0..8 {
                    let mut t = [other; 8];
                    t[j] = b;
                    let w = load(&t).unwrap();
                    let bit = 0x80u64 << (8 * j);
                    if b < 0x80 {
                        assert_eq!(alnum(w) & bit != 0, b.is_ascii_alphanumeric(), "{t:?}");
                    }
                    assert_eq!(letters(w) & !w & bit != 0, b.is_ascii_alphabetic(), "{t:?}");
                    let end = (0..8).find(|&k| !t[k].is_ascii_alphabetic()).unwrap_or(8);
                    assert_eq!(letters_end(&t, 0), end, "{t:?}");
                    let end = (3..8).find(|&k| !t[k].is_ascii_alphabetic()).unwrap_or(8);
                    assert_eq!(letters_end(&t, 3), end, "{t:?}");
                }
            }
        }
    }
}
