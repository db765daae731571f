//! Writes the scale fixtures for timing the `draftguard` binary (the numbers in the
//! README's speed section): `cargo run --release --example scale_fixture -- DIR` writes
//!
//! - `DIR/policy.yaml`: the benchmark policy (5,002 phrases, every detector, 20 patterns);
//! - `DIR/1mb-{0,4000,40000}.txt`: 1 MB one-line drafts with that many findings;
//! - `DIR/20mb.txt`: a 20 MB one-line draft with 200,000 findings;
//! - `DIR/posts/NNNN/NN.txt`: 10,000 small drafts (a month of a large team's scheduled
//!   posts), 100 per folder, one in ten with a finding;
//! - `DIR/posts.jsonl`: the same 10,000 drafts as JSON Lines (`{"id", "text"}`).

#[path = "../benches/fixtures/mod.rs"]
mod fixtures;

use std::io::Write;

fn main() -> std::io::Result<()> {
    let dir = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "dist/scale".into()),
    );
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("policy.yaml"), fixtures::policy_yaml(5000, 20))?;
    for n in [0, 4000, 40_000] {
        let text = fixtures::draft_with_findings(1 << 20, n);
        std::fs::write(dir.join(format!("1mb-{n}.txt")), text)?;
    }
    std::fs::write(
        dir.join("20mb.txt"),
        fixtures::draft_with_findings(20 << 20, 200_000),
    )?;
    let posts = dir.join("posts");
    let mut jsonl = std::io::BufWriter::new(std::fs::File::create(dir.join("posts.jsonl"))?);
    for i in 0..10_000 {
        let text = fixtures::draft_with_findings(300 + i % 7 * 100, usize::from(i % 10 == 0));
        let folder = posts.join(format!("{:04}", i / 100));
        std::fs::create_dir_all(&folder)?;
        std::fs::write(folder.join(format!("{:02}.txt", i % 100)), &text)?;
        let line = serde_json::json!({ "id": format!("post-{i}"), "text": text });
        writeln!(jsonl, "{line}")?;
    }
    jsonl.flush()
}
