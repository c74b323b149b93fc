//! CronJob simulation benchmark: `*/1 * * * *` with concurrencyPolicy Forbid and 90 s Jobs over
//! 30 virtual days (budget: 150 ms median) and over 300 days (at most 11× the 30-day time: the
//! engine is linear in the number of Jobs). 300 days is about 216 000 Jobs and pods and 2.3
//! million events in the timeline, so each of its runs takes about a second: it is sampled flat
//! (one run per sample), and both horizons are sampled sixty times over at least a minute
//! so that their medians see the same machine (the comment at `sample_size` says why).
//!
//! Besides criterion's wall-clock medians it prints the median CPU time of the thread per run
//! (`cronjob/…: median CPU time`), which does not count waiting for a core, and the 300-day run's
//! time over the 30-day run's from back-to-back pairs (`cronjob/300 days over 30 days`), which a
//! drift of the machine's speed between the two criterion measurements does not move. Measured
//! figures: `docs/notes/sim-perf.md`.
//!
//! Freed memory is kept for reuse, as the app's wasm memory keeps it (`support/browser_memory.rs`
//! says why), so both horizons are measured alike.
//!
//! `cargo bench -p batchlab-core --bench cronjob`

use batchlab_core::sim::{parse_scenario, simulate, SimInput};
use criterion::{black_box, criterion_group, criterion_main, Criterion, SamplingMode};

#[path = "support/browser_memory.rs"]
mod browser_memory;
#[path = "support/cpu_time.rs"]
mod cpu_time;
use cpu_time::{median_cpu_ms, paired_ratios};

const MANIFEST: &str = "apiVersion: batch/v1
kind: CronJob
metadata:
  name: every-minute
spec:
  schedule: \"*/1 * * * *\"
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: worker
            image: busybox
";

fn scenario(days: u64) -> String {
    let hours = days * 24;
    format!(
        "horizon: {hours}h
containers: {{worker: {{duration: 90s}}}}
limits: {{maxTime: {hours}h, maxPods: 10000000, maxEvents: 100000000}}
"
    )
}

fn forbid_every_minute(c: &mut Criterion) {
    browser_memory::keep_freed_memory();
    let input = SimInput::from_bundle(&batchlab_core::manifest::parse(MANIFEST));
    let mut group = c.benchmark_group("cronjob */1 Forbid, 90 s jobs");
    // Sixty samples over at least a minute for each horizon, not criterion's ten over five
    // seconds: the build machine's speed moves by a fifth and more from one five-second stretch
    // to the next (a 30-day run back to back 1 200 times: medians of 50 runs from 124 to 163 ms),
    // and a median over a few seconds caught whichever stretch it fell in, so the ratio of the
    // two medians ran from 9.6× to 13.9× over seven runs of an unchanged engine. Thirty samples
    // over thirty seconds still gave 9.8× to 10.9× in five runs.
    group.sample_size(60);
    group.measurement_time(std::time::Duration::from_secs(60));
    group.sampling_mode(SamplingMode::Flat);
    // Ten seconds of warm-up, not criterion's three (two 300-day runs): the runs after the
    // memory of 300 days is first touched came out up to half again as slow for several seconds
    // (ten samples: 1 477, 1 612, 1 535, 1 555, 1 351, 1 263, then 1 052–1 136 ms), so criterion's
    // median fell in that stretch.
    group.warm_up_time(std::time::Duration::from_secs(10));
    for (days, cpu_runs) in [(30u64, 5), (300, 3)] {
        let scenario = parse_scenario(&scenario(days)).expect("scenario");
        let probe = simulate(&input, &scenario);
        assert!(probe.truncated.is_none(), "{:?}", probe.truncated);
        assert!(
            probe.jobs.len() as u64 > days * 600,
            "{} jobs",
            probe.jobs.len()
        );
        drop(probe);
        if let Some(ms) = median_cpu_ms(cpu_runs, || drop(simulate(&input, &scenario))) {
            println!("cronjob/{days} days: median CPU time {ms:.1} ms (thread CPU clock)");
        }
        group.bench_function(format!("{days} days"), |b| {
            b.iter(|| simulate(black_box(&input), black_box(&scenario)))
        });
    }
    group.finish();
    // The ratio from back-to-back pairs (see `paired_ratios`), the timeline dropped inside the
    // timing as in `iter` above.
    let [month, year] = [30u64, 300].map(|days| parse_scenario(&scenario(days)).expect("scenario"));
    let month_run = || drop(simulate(&input, &month));
    let year_run = || drop(simulate(&input, &year));
    if let Some((cpu, wall)) = paired_ratios(3, month_run, year_run) {
        println!("cronjob/300 days over 30 days: {cpu:.2}x thread CPU, {wall:.2}x wall clock (medians of 3 back-to-back pairs)");
    }
}

criterion_group!(benches, forbid_every_minute);
criterion_main!(benches);
