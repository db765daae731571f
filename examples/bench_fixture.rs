//! Writes the benchmark fixtures (the same ones `benches/check.rs` uses) for the
//! in-browser benchmark: `cargo run --example bench_fixture -- DIR` writes
//! `DIR/policy.yaml` (5,000 phrases, every detector, 20 patterns), `DIR/policy-phrases.yaml`
//! (the same 5,000 phrases only), `DIR/phrases.json` (those phrases, for the page's
//! combined RegExp) and `DIR/post-{300,3000,100000}.txt`.

#[path = "../benches/fixtures/mod.rs"]
mod fixtures;

fn main() -> std::io::Result<()> {
    let dir = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "dist/bench".into()),
    );
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("policy.yaml"), fixtures::policy_yaml(5000, 20))?;
    std::fs::write(
        dir.join("policy-phrases.yaml"),
        fixtures::phrases_policy_yaml(5000),
    )?;
    let list: Vec<String> = fixtures::phrases(5000)
        .iter()
        .map(|p| format!("{p:?}"))
        .collect();
    std::fs::write(dir.join("phrases.json"), format!("[{}]\n", list.join(",")))?;
    for len in [300, 3000, 100_000] {
        std::fs::write(dir.join(format!("post-{len}.txt")), fixtures::post(len))?;
    }
    Ok(())
}
