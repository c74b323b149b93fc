//! Parse + validate + lint (`batchlab_core::analyze`) of a realistic bundle and of one ten times
//! larger, plus the hostile inputs the parser must refuse quickly.
//!
//! Run: `cargo bench -p batchlab-core --bench validate`. Targets (issue 3): the 3-document bundle
//! in at most 100 µs (median), the 10x bundle at most 11x slower, every hostile input under 100 ms.

use batchlab_core::lint::LintConfig;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::hint::black_box;

/// The seed's secure batch example: a Secret, a ConfigMap and a Job reading both (132 lines).
const BUNDLE: &str = include_str!("../tests/fixtures/seeds/unit5-05.yaml");

/// `copies` copies of the bundle, each with its own object names, as one text.
fn larger(copies: usize) -> String {
    (0..copies)
        .map(|i| {
            BUNDLE
                .replace(
                    "name: batch-credentials",
                    &format!("name: batch-credentials-{i}"),
                )
                .replace("name: batch-config", &format!("name: batch-config-{i}"))
                .replace(
                    "name: secure-batch-processor",
                    &format!("name: secure-batch-processor-{i}"),
                )
        })
        .collect::<Vec<_>>()
        .join("---\n")
}

fn bundles(c: &mut Criterion) {
    let config = LintConfig::all();
    let mut group = c.benchmark_group("analyze");
    for copies in [1usize, 10] {
        let text = larger(copies);
        let id = BenchmarkId::new(
            "bundle",
            format!("{} docs, {} lines", 3 * copies, text.lines().count()),
        );
        group.bench_with_input(id, &text, |b, text| {
            b.iter(|| batchlab_core::analyze(black_box(text), &config))
        });
    }
    group.finish();
}

fn hostile(c: &mut Criterion) {
    let config = LintConfig::all();
    let mut laughs = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let p = i - 1;
        laughs.push_str(&format!(
            "a{i}: &a{i} [*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p}]\n"
        ));
    }
    let inputs = [
        ("billion laughs", laughs),
        ("deep flow nesting", "[".repeat(100_000)),
        ("too big", "a".repeat(2 << 20)),
        (
            "30000 keys",
            (0..30_000)
                .map(|i| format!("k{i}: v\n"))
                .collect::<String>(),
        ),
        ("1 MiB manifest", larger(1000)[..1 << 20].to_string()),
    ];
    let mut group = c.benchmark_group("hostile");
    group.sample_size(10);
    for (name, text) in inputs {
        group.bench_with_input(BenchmarkId::from_parameter(name), &text, |b, text| {
            b.iter(|| batchlab_core::analyze(black_box(text), &config))
        });
    }
    group.finish();
}

criterion_group!(benches, bundles, hostile);
criterion_main!(benches);
