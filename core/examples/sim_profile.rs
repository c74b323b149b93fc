//! The two simulator benchmarks' workloads as a plain program, for profilers that do not get on
//! with criterion (`valgrind --tool=callgrind`, `--tool=dhat`, `perf record`). Instruction counts
//! from callgrind do not depend on the machine's load, which makes them the steadiest way to
//! compare two versions of the engine. See docs/notes/sim-perf.md.
//!
//! Build it with the benches' profile (`--profile bench`: opt-level 3), not `--release`, which is
//! tuned for the size of the wasm (opt-level "z") and counts half again as many instructions.
//! Cargo puts the bench profile's output in `target/release`.
//!
//! ```text
//! cargo build --profile bench -p batchlab-core --example sim_profile
//! target/release/examples/sim_profile job 10000     # completions, as benches/sim.rs
//! target/release/examples/sim_profile cron 30       # virtual days, as benches/cronjob.rs
//! valgrind --tool=callgrind target/release/examples/sim_profile cron 2
//! ```

use batchlab_core::manifest;
use batchlab_core::sim::{parse_scenario, simulate, SimInput};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let kind = args.next().unwrap_or_else(|| "job".into());
    let size: u64 = args.next().and_then(|n| n.parse().ok()).unwrap_or(10);
    let runs: u64 = args.next().and_then(|n| n.parse().ok()).unwrap_or(1);
    let (manifest, scenario) = match kind.as_str() {
        "cron" => cron(size),
        _ => job(size),
    };
    let input = SimInput::from_bundle(&manifest::parse(&manifest));
    let scenario = match parse_scenario(&scenario) {
        Ok(scenario) => scenario,
        Err(e) => return eprintln!("scenario: {e:?}"),
    };
    for _ in 0..runs {
        let started = Instant::now();
        let timeline = simulate(&input, &scenario);
        let simulated = started.elapsed();
        let counts = (
            timeline.jobs.len(),
            timeline.pods.len(),
            timeline.events.len(),
        );
        drop(timeline);
        println!(
            "{} Jobs, {} pods, {} events: simulated in {simulated:?}, {:?} with the drop",
            counts.0,
            counts.1,
            counts.2,
            started.elapsed()
        );
    }
}

/// benches/sim.rs: `completions` completions, parallelism 100, 10 % of runs fail.
fn job(completions: u64) -> (String, String) {
    let manifest = format!(
        "apiVersion: batch/v1\nkind: Job\nmetadata: {{name: bulk}}\nspec:\n  completions: {completions}\n  parallelism: 100\n  backoffLimit: 1000000\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: worker\n        image: registry.example.com/worker:1.0\n        resources:\n          requests: {{cpu: 10m, memory: 16Mi}}\n"
    );
    let scenario = "seed: 1\nhorizon: 720h\ncluster:\n  nodes: [{name: n1}, {name: n2}, {name: n3}, {name: n4}]\ncontainers:\n  worker: {duration: 30s, failureProbability: 0.1}\nlimits: {maxPods: 200000, maxEvents: 20000000, maxTime: 720h}\n";
    (manifest, scenario.into())
}

/// benches/cronjob.rs: `*/1 * * * *`, Forbid, 90 s Jobs, over `days` virtual days.
fn cron(days: u64) -> (String, String) {
    let manifest = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: every-minute\nspec:\n  schedule: \"*/1 * * * *\"\n  concurrencyPolicy: Forbid\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n          - name: worker\n            image: busybox\n";
    let hours = days * 24;
    let scenario = format!("horizon: {hours}h\ncontainers: {{worker: {{duration: 90s}}}}\nlimits: {{maxTime: {hours}h, maxPods: 10000000, maxEvents: 100000000}}\n");
    (manifest.into(), scenario)
}
