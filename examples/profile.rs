//! Start-up and check costs for instruction-level profiling (deterministic, unlike
//! timings on a shared machine):
//!
//! ```text
//! cargo build --release --example profile
//! valgrind --tool=callgrind target/release/examples/profile MODE N
//! ```
//!
//! Modes, each run N times (subtract the N = 0 total for the cost of N):
//! - `load`: parse and validate the embedded default policy;
//! - `startup`: that plus compiling it (what the extension's service worker does);
//! - `check`, `check-unicode`: the criterion check (3,000 characters, 5,000 phrases and
//!   20 patterns), on the English post or on the same post in accented, Cyrillic,
//!   fullwidth and CJK letters (every character takes the Unicode folding path).
#[path = "../benches/fixtures/mod.rs"]
mod fixtures;

use draftguard::{Draft, Engine, Policy};
use std::hint::black_box;

fn unicode_post(len: usize) -> String {
    let mut s = String::new();
    for (i, c) in fixtures::post(len).chars().enumerate() {
        match c {
            'e' => s.push('é'),
            'a' => s.push('\u{0430}'),               // Cyrillic а
            'o' if i % 2 == 0 => s.push('\u{FF4F}'), // fullwidth ｏ
            ' ' if i % 7 == 0 => s.push_str(" 銀行 "),
            c => s.push(c),
        }
    }
    s
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "startup".into());
    let n: usize = args.next().map(|s| s.parse().unwrap()).unwrap_or(1);
    let mut k = 0;
    match mode.as_str() {
        "load" => {
            for _ in 0..n {
                k += black_box(Policy::embedded_default().unwrap()).rules.len();
            }
        }
        "startup" => {
            for _ in 0..n {
                let e = Engine::new(Policy::embedded_default().unwrap()).unwrap();
                k += black_box(e).phrase_count();
            }
        }
        "check" | "check-unicode" => {
            let text = if mode == "check" {
                fixtures::post(3000)
            } else {
                unicode_post(3000)
            };
            let policy = Policy::from_yaml("b", &fixtures::policy_yaml(5000, 20)).unwrap();
            let e = Engine::new(policy).unwrap();
            for _ in 0..n {
                k += e.check(black_box(&Draft::new(&text))).len();
            }
        }
        other => panic!("unknown mode {other}"),
    }
    println!("{k}");
}
