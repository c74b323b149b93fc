//! Parse + validate + lint (`batchlab_core::analyze`) of a realistic bundle and of one ten times
//! larger, plus the hostile inputs the parser must refuse quickly.
//!
//! Run: `cargo bench -p batchlab-core --bench validate`. Targets (issue 3): the 3-document bundle
//! in at most 100 µs (median), the 10x bundle at most 11x slower, every hostile input under 100 ms.
//!
//! Each benchmark is measured twice: in wall-clock time (criterion's default) and, on Linux, in
//! CPU time of the benchmarking thread (`cpu/…`). The machine this project is built on is shared by
//! several builds at once; wall time then mostly measures waiting for a core, CPU time what the
//! engine itself costs.

use batchlab_core::lint::LintConfig;
use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;

/// CPU time of the current thread (`CLOCK_THREAD_CPUTIME_ID`), in nanoseconds on a core.
struct CpuTime;

#[path = "support/cpu_time.rs"]
#[allow(dead_code)] // the ratio helpers are for the simulator's benches
mod cpu_time;

fn thread_cpu_ns() -> u64 {
    cpu_time::thread_cpu_ns().unwrap_or(0)
}

impl Measurement for CpuTime {
    type Intermediate = u64;
    type Value = u64;
    fn start(&self) -> u64 {
        thread_cpu_ns()
    }
    fn end(&self, start: u64) -> u64 {
        thread_cpu_ns().saturating_sub(start)
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, value: &u64) -> f64 {
        *value as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        &NanosFormatter
    }
}

/// Prints nanosecond values as ns / µs / ms / s, like criterion's own time formatter.
struct NanosFormatter;

impl NanosFormatter {
    fn unit(typical: f64) -> (f64, &'static str) {
        match typical {
            t if t < 1e3 => (1.0, "ns"),
            t if t < 1e6 => (1e3, "µs"),
            t if t < 1e9 => (1e6, "ms"),
            _ => (1e9, "s"),
        }
    }
}

impl ValueFormatter for NanosFormatter {
    fn scale_values(&self, typical: f64, values: &mut [f64]) -> &'static str {
        let (divisor, unit) = Self::unit(typical);
        values.iter_mut().for_each(|v| *v /= divisor);
        unit
    }
    fn scale_throughputs(
        &self,
        _typical: f64,
        _t: &Throughput,
        values: &mut [f64],
    ) -> &'static str {
        values.iter_mut().for_each(|v| *v = 1e9 / *v);
        "runs/s"
    }
    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns"
    }
}

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

fn bundles<M: Measurement>(c: &mut Criterion<M>, prefix: &str) {
    let config = LintConfig::all();
    let mut group = c.benchmark_group(format!("{prefix}analyze"));
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

fn hostile<M: Measurement>(c: &mut Criterion<M>, prefix: &str) {
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
    let mut group = c.benchmark_group(format!("{prefix}hostile"));
    group.sample_size(10);
    for (name, text) in inputs {
        group.bench_with_input(BenchmarkId::from_parameter(name), &text, |b, text| {
            b.iter(|| batchlab_core::analyze(black_box(text), &config))
        });
    }
    group.finish();
}

fn wall(c: &mut Criterion<WallTime>) {
    bundles(c, "");
    hostile(c, "");
}

fn cpu(c: &mut Criterion<CpuTime>) {
    bundles(c, "cpu/");
    hostile(c, "cpu/");
}

criterion_group!(wall_time, wall);
criterion_group! {
    name = cpu_time;
    config = Criterion::default().with_measurement(CpuTime);
    targets = cpu
}
criterion_main!(wall_time, cpu_time);
