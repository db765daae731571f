//! Precomputes the part of the Unicode TR39 confusables table the matcher uses: every
//! non-ASCII character whose skeleton is a single ASCII letter or digit (Cyrillic `а` →
//! `a`, Greek `ο` → `o`, mathematical `𝐀` → `a`), as a sorted table.
//!
//! The data comes from the `unicode-security` crate at build time, so the engine (and
//! its wasm build) carries a table of a few thousand pairs instead of the whole
//! confusables data set.

use std::fmt::Write;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let mut table = String::from(
        "/// (code point, lower-case ASCII it is confusable with), sorted by code point.\n\
         pub(crate) static CONFUSABLE_ASCII: &[(u32, u8)] = &[\n",
    );
    for cp in 0x80u32..=0x10FFFF {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        let s = c.to_string();
        let mut sk = unicode_security::confusable_detection::skeleton(&s);
        if let (Some(a), None) = (sk.next(), sk.next())
            && a.is_ascii_alphanumeric()
        {
            let _ = writeln!(table, "    ({cp:#x}, b'{}'),", a.to_ascii_lowercase());
        }
    }
    table.push_str("];\n");
    let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("confusables.rs");
    std::fs::write(&out, table).expect("OUT_DIR is writable");
}
