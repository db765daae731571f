//! Precomputes the Unicode folding the matcher needs, so the engine (and its wasm build)
//! carries a few compact tables instead of the whole Unicode normalization data set.
//!
//! - The TR39 confusables the matcher uses: every non-ASCII character whose skeleton is a
//!   single ASCII letter or digit (Cyrillic `а` → `a`, Greek `ο` → `o`, mathematical `𝐀`
//!   → `a`), from the `unicode-security` crate (`confusables.rs`, kept for the tests that
//!   check the folding table against the crates it replaces).
//! - `fold.rs`: for every non-ASCII character whose folding is not the default, what the
//!   `Unicode` profile makes of it (NFKD, diacritics dropped, look-alikes folded, lower
//!   case) and what the `Cased` profile makes of it (NFKC), from `unicode-normalization`;
//!   and the combining marks, as ranges. `src/normalize/chars.rs` explains the format.

use std::fmt::Write;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

#[path = "src/normalize/classes.rs"]
#[allow(dead_code)]
mod classes;

use classes::{hangul_jamo, is_apostrophe, is_invisible, is_space_like};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/normalize/classes.rs");
    let out_dir = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));

    let mut confusable = std::collections::HashMap::new();
    let mut table = String::from(
        "/// (code point, lower-case ASCII it is confusable with), sorted by code point.\n\
         #[allow(dead_code)]\n\
         pub(crate) static CONFUSABLE_ASCII: &[(u32, u8)] = &[\n",
    );
    for c in chars() {
        let s = c.to_string();
        let mut sk = unicode_security::confusable_detection::skeleton(&s);
        if let (Some(a), None) = (sk.next(), sk.next())
            && a.is_ascii_alphanumeric()
        {
            let a = a.to_ascii_lowercase();
            confusable.insert(c, a);
            let _ = writeln!(table, "    ({:#x}, b'{a}'),", c as u32);
        }
    }
    table.push_str("];\n");
    std::fs::write(out_dir.join("confusables.rs"), table).expect("OUT_DIR is writable");

    // The folding table: keys, then for key i the `Unicode` folding at
    // POOL[OFFS[2i]..OFFS[2i+1]] and the NFKC at POOL[OFFS[2i+1]..OFFS[2i+2]] (empty: the
    // character itself).
    let mut keys = Vec::new();
    let mut offs: Vec<usize> = vec![0];
    let mut pool = String::new();
    let mut marks: Vec<(u32, u32)> = Vec::new();
    for c in chars() {
        let cp = c as u32;
        if is_combining_mark(c) {
            match marks.last_mut() {
                Some((_, end)) if *end + 1 == cp => *end = cp,
                _ => marks.push((cp, cp)),
            }
        }
        // Characters the folding handles before looking at the table.
        let fold_skips =
            is_combining_mark(c) || is_invisible(c) || is_apostrophe(c) || is_space_like(c);
        let nfkc_skips = is_invisible(c) || c.is_whitespace() || is_apostrophe(c);
        let fold = if fold_skips {
            String::new()
        } else {
            unicode_fold(c, &confusable)
        };
        let fold_needed = !fold_skips && fold != c.to_lowercase().collect::<String>();
        let nfkc: String = std::iter::once(c).nfkc().collect();
        let nfkc_needed = !nfkc_skips && nfkc != c.to_string();
        if let Some(jamo) = hangul_jamo(c) {
            // Hangul syllables fold to their jamo by arithmetic, not by the table.
            let want: String = jamo
                .iter()
                .filter(|&&j| j != '\0')
                .map(|&j| unicode_fold(j, &confusable))
                .collect();
            assert!(
                fold == want && !nfkc_needed,
                "U+{cp:04X} folds by the Hangul algorithm"
            );
            continue;
        }
        if fold_needed || nfkc_needed {
            keys.push(cp);
            pool.push_str(&fold);
            offs.push(pool.len());
            if nfkc_needed {
                pool.push_str(&nfkc);
            }
            offs.push(pool.len());
        }
    }
    if std::env::var_os("DRAFTGUARD_FOLD_STATS").is_some() {
        println!(
            "cargo:warning=fold table: {} keys, {} pool bytes, {} mark ranges",
            keys.len(),
            pool.len(),
            marks.len()
        );
    }
    assert!(
        pool.len() <= u16::MAX as usize,
        "the folding pool fits u16 offsets"
    );
    // Stored compactly (the wasm is downloaded and gzip does little with sorted u32s and
    // u16 offsets); `chars.rs` expands them on first use.
    let mut key_deltas = Vec::new();
    let mut prev = 0x7F;
    for &k in &keys {
        match k - prev {
            d @ 1..=255 => key_deltas.push(d as u8),
            _ => {
                key_deltas.push(0);
                key_deltas.extend_from_slice(&k.to_le_bytes()[..3]);
            }
        }
        prev = k;
    }
    let lens: Vec<u8> = offs
        .windows(2)
        .map(|w| u8::try_from(w[1] - w[0]).expect("a folding is under 256 bytes"))
        .collect();
    let mut t = String::new();
    let _ = writeln!(t, "pub(crate) const FOLD_KEYS: usize = {};", keys.len());
    let _ = writeln!(
        t,
        "pub(crate) static FOLD_KEY_DELTAS: &[u8] = &{key_deltas:?};"
    );
    let _ = writeln!(t, "pub(crate) static FOLD_LENS: &[u8] = &{lens:?};");
    let _ = writeln!(t, "pub(crate) static FOLD_POOL: &str = {pool:?};");
    let _ = writeln!(
        t,
        "pub(crate) static COMBINING_MARKS: [(u32, u32); {}] = {marks:?};",
        marks.len()
    );
    std::fs::write(out_dir.join("fold.rs"), t).expect("OUT_DIR is writable");
}

/// Every non-ASCII scalar value.
fn chars() -> impl Iterator<Item = char> {
    (0x80u32..=0x10FFFF).filter_map(char::from_u32)
}

/// What the `Unicode` profile makes of `c` (not a combining mark, invisible, apostrophe or
/// separator; those are handled before the table): its NFKD without combining marks,
/// invisibles and apostrophes, separators as `' '` (which the folding turns into one
/// space between words), look-alikes as their ASCII letter, the rest lower-cased.
fn unicode_fold(c: char, confusable: &std::collections::HashMap<char, char>) -> String {
    let mut s = String::new();
    for d in std::iter::once(c).nfkd() {
        if is_combining_mark(d) || is_invisible(d) || is_apostrophe(d) {
            continue;
        }
        if is_space_like(d) {
            s.push(' ');
        } else if d.is_ascii() {
            s.push(d.to_ascii_lowercase());
        } else {
            match confusable.get(&d) {
                Some(&a) => s.push(a),
                None => s.extend(d.to_lowercase()),
            }
        }
    }
    s
}
