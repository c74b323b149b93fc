//! Schedule benchmarks: the next 1 000 fire times of a complex schedule in a DST zone
//! (budget: 2 ms), and parsing.

use batchlab_core::schedule::{self, Zone};
use chrono::{DateTime, Utc};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn next_1000(c: &mut Criterion) {
    let complex = schedule::parse("*/7 1-3,9-17 1,15,28-31 * MON-FRI").expect("valid schedule");
    let zone = Zone::named("America/New_York").expect("known zone");
    // Covers the spring-forward and fall-back nights of 2024.
    let from: DateTime<Utc> = DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z")
        .expect("valid time")
        .with_timezone(&Utc);
    c.bench_function(
        "next 1000 fire times, complex schedule, America/New_York",
        |b| {
            b.iter(|| {
                let times: Vec<_> = complex
                    .fire_times(black_box(from), zone)
                    .take(1_000)
                    .collect();
                assert_eq!(times.len(), 1_000);
                times
            })
        },
    );
    let daily = schedule::parse("30 2 * * *").expect("valid schedule");
    let berlin = Zone::named("Europe/Berlin").expect("known zone");
    c.bench_function("next 1000 fire times, 30 2 * * *, Europe/Berlin", |b| {
        b.iter(|| {
            daily
                .fire_times(black_box(from), berlin)
                .take(1_000)
                .count()
        })
    });
}

fn parse(c: &mut Criterion) {
    c.bench_function("parse a complex schedule", |b| {
        b.iter(|| schedule::parse(black_box("*/7 1-3,9-17 1,15,28-31 jan-mar,SEP MON-FRI")))
    });
}

criterion_group!(benches, next_1000, parse);
criterion_main!(benches);
