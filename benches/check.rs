//! `cargo bench --bench check`: the workload.
//!
//! - `check/3000`: a 3,000-character post against 5,000 phrases + every detector + 20
//!   pattern rules (target: median <= 30 µs).
//! - `check/300`, `check/100000`: the same policy, to show cost is linear in length.
//! - `compile`: parsing, validating and compiling that policy (target: <= 30 ms).
//! - `report/{1MB,16MB}/{0,4000,40000}`: what `draftguard check --format json` does per
//!   draft (check, convert every span in one pass, serialize the JSON) on one-line drafts
//!   with that many findings; cost must grow with length + findings, never their product.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
#[path = "fixtures/mod.rs"]
mod fixtures;

use draftguard::report::{Report, Units};
use draftguard::{Draft, Engine, Policy};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let yaml = fixtures::policy_yaml(5000, 20);
    let engine = Engine::new(Policy::from_yaml("bench.yaml", &yaml).unwrap()).unwrap();
    assert!(engine.phrase_count() >= 5000);

    let mut g = c.benchmark_group("check");
    for len in [300usize, 3000, 100_000] {
        let text = fixtures::post(len);
        let found = engine.check(&Draft::new(&text));
        assert!(
            found.iter().any(|f| f.text == "guaranteed returns"),
            "the planted finding is found"
        );
        g.throughput(Throughput::Bytes(len as u64));
        g.bench_with_input(BenchmarkId::from_parameter(len), &text, |b, t| {
            b.iter(|| engine.check(black_box(&Draft::new(t))))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("report");
    g.sample_size(10);
    for (name, len) in [("1MB", 1 << 20), ("16MB", 16_000_000)] {
        for findings in [0, 4000, 40_000] {
            let text = fixtures::draft_with_findings(len, findings);
            assert_eq!(engine.check(&Draft::new(&text)).len(), findings);
            g.throughput(Throughput::Bytes(text.len() as u64));
            g.bench_with_input(BenchmarkId::new(name, findings), &text, |b, t| {
                b.iter(|| {
                    let found = engine.check(black_box(&Draft::new(t)));
                    let report = Report::new(t, &found);
                    serde_json::to_vec(&report.json(Units::All)).unwrap()
                })
            });
        }
    }
    g.finish();

    let mut g = c.benchmark_group("compile");
    g.sample_size(20);
    g.bench_function("5000-phrases-20-patterns", |b| {
        b.iter(|| Engine::new(Policy::from_yaml("bench.yaml", black_box(&yaml)).unwrap()).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
