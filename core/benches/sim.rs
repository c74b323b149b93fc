//! The simulator's speed: a Job of 10 000 completions at parallelism 100 where one run in ten
//! fails (median ≤ 30 ms native), the same at 100 000 completions (≤ 11× the time: the engine is
//! linear), and the `completions: 1000000000` guard (answers well under a second). Besides
//! criterion's medians it prints each size's median thread CPU time and the 100k run's time over
//! the 10k run's from back-to-back pairs (`sim/100k over 10k`). Measured figures:
//! `docs/notes/sim-perf.md`.
//!
//! Freed memory is kept for reuse, as the app's wasm memory keeps it (`support/browser_memory.rs`
//! says why), so both sizes are measured alike.
//!
//! `cargo bench -p batchlab-core --bench sim`

use batchlab_core::manifest;
use batchlab_core::sim::{parse_scenario, simulate, SimInput};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use std::hint::black_box;

#[path = "support/browser_memory.rs"]
mod browser_memory;
#[path = "support/cpu_time.rs"]
mod cpu_time;
use cpu_time::{median_cpu_ms, paired_ratios};

fn input(completions: u64, parallelism: u64) -> SimInput {
    let text = format!(
        "apiVersion: batch/v1\nkind: Job\nmetadata: {{name: bulk}}\nspec:\n  completions: {completions}\n  parallelism: {parallelism}\n  backoffLimit: 1000000\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: worker\n        image: registry.example.com/worker:1.0\n        resources:\n          requests: {{cpu: 10m, memory: 16Mi}}\n"
    );
    SimInput::from_bundle(&manifest::parse(&text))
}

fn bench(c: &mut Criterion) {
    browser_memory::keep_freed_memory();
    // Enough nodes for parallelism 100; bounds raised so 110 000 pods fit.
    let scenario = parse_scenario(
        "seed: 1\nhorizon: 720h\ncluster:\n  nodes: [{name: n1}, {name: n2}, {name: n3}, {name: n4}]\ncontainers:\n  worker: {duration: 30s, failureProbability: 0.1}\nlimits: {maxPods: 200000, maxEvents: 20000000, maxTime: 720h}\n",
    )
    .expect("bench scenario");
    let small = input(10_000, 100);
    let large = input(100_000, 100);
    let tl = simulate(&small, &scenario);
    assert!(tl.truncated.is_none(), "{:?}", tl.truncated);
    assert_eq!(tl.job("bulk").map(|j| j.succeeded), Some(10_000));
    // Wall-clock medians suffer on a shared machine; the thread's CPU time does not.
    for (label, input, scenario) in [("10k", &small, &scenario), ("100k", &large, &scenario)] {
        if let Some(ms) = median_cpu_ms(5, || drop(simulate(input, scenario))) {
            println!("sim/{label}: median CPU time {ms:.1} ms (thread CPU clock)");
        }
    }
    // The ratio from back-to-back pairs, which a drift of the machine's speed between criterion's
    // two measurements does not move (timeline dropped outside the timing, as criterion's).
    let small_run = || simulate(&small, &scenario);
    let large_run = || simulate(&large, &scenario);
    if let Some((cpu, wall)) = paired_ratios(5, small_run, large_run) {
        println!("sim/100k over 10k: {cpu:.2}x thread CPU, {wall:.2}x wall clock (medians of 5 back-to-back pairs)");
    }
    // Each timeline is dropped, untimed, before the next run (`BatchSize::PerIteration`), as in
    // the pairs above and as the app drops the timeline it replaces. Criterion's
    // `iter_with_large_drop` batches a tenth of a sample's runs and keeps their timelines until
    // the batch ends, so in samples of more than ten runs each run writes fresh memory and in the
    // others the memory the last run freed: the 10k run's median moved between 8 and 16 ms on one
    // engine with the mix, and the 100k run, whose samples are smaller, never had it.
    let each = BatchSize::PerIteration;
    let mut group = c.benchmark_group("sim");
    // Ten seconds of warm-up, not criterion's three: the first samples after a bigger run's
    // memory is first touched came out up to twice as slow for several seconds (the 100k run's
    // ten samples: 174, 168, 151, 142, 106, then 88–96 ms), and with three seconds half of them
    // fell in that stretch.
    group.warm_up_time(std::time::Duration::from_secs(10));
    group.sample_size(20);
    group.bench_function("completions_10k_parallelism_100_fail_10pct", |b| {
        b.iter_batched(|| (), |()| simulate(black_box(&small), &scenario), each)
    });
    group.sample_size(10);
    group.bench_function("completions_100k_parallelism_100_fail_10pct", |b| {
        b.iter_batched(|| (), |()| simulate(black_box(&large), &scenario), each)
    });
    let huge = input(1_000_000_000, 1_000_000_000);
    let default = parse_scenario("").expect("empty scenario");
    group.bench_function("completions_1e9_guard", |b| {
        b.iter_batched(|| (), |()| simulate(black_box(&huge), &default), each)
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
