//! Runs the benchmark check N times (default 200), for instruction-level profiling:
//!
//! ```text
//! cargo build --release --example check_loop
//! valgrind --tool=callgrind target/release/examples/check_loop 0    # compile only
//! valgrind --tool=callgrind target/release/examples/check_loop 200  # compile + 200 checks
//! ```
//!
//! The difference between the two totals, divided by 200, is the cost of one check.
//! A second argument `phrases` uses the phrases-only policy (the 5,000 phrases alone),
//! the one the in-browser bench races against a combined RegExp, and `plain` those
//! phrases with `evasion: none` (case folding only). `POST_LEN=300` (any
//! length; 3,000 by default) checks a post of that many characters instead.
#[path = "../benches/fixtures/mod.rs"]
mod fixtures;

use draftguard::{Draft, Engine, Policy};
fn main() {
    let len = std::env::var("POST_LEN").map_or(3000, |s| s.parse().unwrap());
    let text = fixtures::post(len);
    let n: usize = std::env::args()
        .nth(1)
        .map(|s| s.parse().unwrap())
        .unwrap_or(200);
    let yaml = match std::env::args().nth(2).as_deref() {
        Some("phrases") => fixtures::phrases_policy_yaml(5000),
        Some("plain") => fixtures::plain_phrases_policy_yaml(5000),
        _ => fixtures::policy_yaml(5000, 20),
    };
    let e = Engine::new(Policy::from_yaml("b", &yaml).unwrap()).unwrap();
    let mut k = 0;
    for _ in 0..n {
        k += e.check(&Draft::new(&text)).len();
    }
    println!("{k}");
}
