//! Writes the benchmark fixtures (the same ones `benches/check.rs` uses) for the
//! in-browser benchmark: `cargo run --example bench_fixture -- DIR` writes
//! `DIR/policy.yaml` (5,000 phrases, every detector, 20 patterns), `DIR/policy-phrases.yaml`
//! (the same 5,000 phrases only), `DIR/policy-phrases-plain.yaml` (those
//! rules with `evasion: none`), each also as `.json` the way `draftguard bundle` seals it
//! (what the engine wasm reads), `DIR/phrases.json` (those phrases, for the page's
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
    for (name, yaml) in [
        ("policy", fixtures::policy_yaml(5000, 20)),
        ("policy-phrases", fixtures::phrases_policy_yaml(5000)),
        (
            "policy-phrases-plain",
            fixtures::plain_phrases_policy_yaml(5000),
        ),
    ] {
        let parsed = draftguard::yaml::parse(&yaml).expect("the bench policy parses");
        std::fs::write(dir.join(format!("{name}.yaml")), &yaml)?;
        std::fs::write(dir.join(format!("{name}.json")), parsed.value.to_string())?;
    }
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
