//! Every Job manifest of the seed course texts, run on the default simulated cluster, ends the way
//! a real cluster would end it; and a golden timeline pins the whole output so any change in
//! behaviour (or a platform difference) shows up as a diff.

use batchlab_core::manifest;
use batchlab_core::sim::{parse_scenario, simulate, SimInput, Time, Timeline};

fn seed(file: &str) -> Timeline {
    let path = format!("{}/tests/fixtures/seeds/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("fixture");
    let bundle = manifest::parse(&text);
    assert!(!bundle.has_errors(), "{file}: {:?}", bundle.diagnostics);
    simulate(
        &SimInput::from_bundle(&bundle),
        &parse_scenario("").expect("default scenario"),
    )
}

fn outcome(tl: &Timeline, job: &str) -> (&'static str, String) {
    let (kind, reason, _) = tl
        .outcome(job)
        .unwrap_or_else(|| panic!("{job} did not finish"));
    (kind, reason.to_string())
}

#[test]
fn seed_jobs_that_complete() {
    for (file, job) in [
        ("unit5-01.yaml", "resource-hungry-job"),
        ("unit5-02.yaml", "well-managed-job"),
        ("unit5-03.yaml", "restart-policy-demo"),
        ("unit5-04.yaml", "robust-data-processor"),
        ("unit5-05.yaml", "secure-batch-processor"),
        ("unit5-07.yaml", "idempotent-processor"),
        ("part21-01-minimal-job.yaml", "ledger-reconciliation"),
        ("part21-02-report-export.yaml", "report-export"),
        (
            "part21-03-pod-failure-policy.yaml",
            "import-customer-ledger",
        ),
        (
            "part21-08-migration.yaml",
            "orders-schema-migration-20260701",
        ),
    ] {
        let tl = seed(file);
        assert_eq!(
            outcome(&tl, job),
            ("Complete", "CompletionsReached".into()),
            "{file}"
        );
        assert_eq!(tl.job(job).unwrap().succeeded, 1, "{file}");
    }
}

#[test]
fn well_managed_job_runs_its_ten_second_sleep() {
    let tl = seed("unit5-02.yaml");
    let j = tl.job("well-managed-job").unwrap();
    let took = j.completion_time.get().unwrap().0 - j.start_time.get().unwrap().0;
    assert!((13_000..15_000).contains(&took), "{took}");
    assert!(tl
        .logs_of(&tl.pods[0].name)
        .iter()
        .any(|l| l.contains("Processing within resource constraints")));
}

#[test]
fn the_parallel_seed_runs_ten_at_a_time() {
    let tl = seed("part21-04-parallel.yaml");
    assert_eq!(outcome(&tl, "image-thumbnail-backfill").0, "Complete");
    assert_eq!(tl.pods_created("image-thumbnail-backfill"), 100);
    assert_eq!(tl.max_running_at_once("image-thumbnail-backfill"), 10);
}

#[test]
fn the_indexed_seed_completes_every_index() {
    let tl = seed("part21-05-indexed.yaml");
    let j = tl.job("partitioned-ledger-check").unwrap();
    assert_eq!(j.completed_indexes, "0-19");
    assert_eq!(
        j.failed_indexes.as_deref(),
        Some(""),
        "backoffLimitPerIndex gives an (empty) failedIndexes"
    );
    assert_eq!(tl.max_running_at_once("partitioned-ledger-check"), 5);
}

#[test]
fn the_config_seed_waits_for_a_config_map_it_does_not_define() {
    // unit5-06 mounts `batch-config`, which only unit5-05 defines: the pod never starts.
    let tl = seed("unit5-06.yaml");
    assert!(tl.outcome("flexible-config-processor").is_none());
    assert_eq!(
        tl.pods[0].phases.last().unwrap().reason,
        "ContainerCreating"
    );
    let e = tl.events_with_reason("FailedMount").next().unwrap();
    assert!(
        e.message.contains("configmap \"batch-config\" not found"),
        "{}",
        e.message
    );
}

#[test]
fn the_observable_seed_completes_with_structured_logs() {
    let tl = seed("unit5-09.yaml");
    assert_eq!(
        outcome(&tl, "observable-processor"),
        ("Complete", "CompletionsReached".into())
    );
    let pod = &tl.pods[0].name;
    let logs = tl.logs_of(pod);
    assert!(
        logs[0].contains(r#""message":"Job starting with structured logging""#),
        "{logs:?}"
    );
    assert!(logs[0].contains(&format!(r#""pod":"{pod}""#)), "{logs:?}");
}

#[test]
fn the_checkpoint_seed_is_refused_for_its_duplicate_key() {
    let path = format!(
        "{}/tests/fixtures/seeds/unit5-08.yaml",
        env!("CARGO_MANIFEST_DIR")
    );
    let bundle = manifest::parse(&std::fs::read_to_string(path).unwrap());
    assert!(bundle.has_errors(), "a real API server never sees this Job");
}

const GOLDEN_JOB: &str = r#"apiVersion: batch/v1
kind: Job
metadata: {name: golden}
spec:
  completions: 4
  parallelism: 2
  completionMode: Indexed
  backoffLimit: 4
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: worker
        image: busybox:1.36
        command: ["sh", "-c", "echo index $JOB_COMPLETION_INDEX; sleep 4"]
"#;

const GOLDEN_SCENARIO: &str = "seed: 42\ncontainers:\n  worker:\n    runs:\n      - {duration: 3s, exitCode: 1, logs: [first run fails]}\nfaults:\n  - {at: 20s, failNext: {container: worker, count: 1, exitCode: 3}}\n";

#[test]
fn golden_timeline() {
    let bundle = manifest::parse(GOLDEN_JOB);
    let tl = simulate(
        &SimInput::from_bundle(&bundle),
        &parse_scenario(GOLDEN_SCENARIO).unwrap(),
    );
    let json = serde_json::to_string_pretty(&tl).unwrap() + "\n";
    let path = format!(
        "{}/tests/fixtures/sim/golden.json",
        env!("CARGO_MANIFEST_DIR")
    );
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&path, &json).unwrap();
    }
    let want = std::fs::read_to_string(&path).expect("golden file (run with BLESS=1 to write it)");
    assert!(json == want, "the timeline changed; review the diff of `BLESS=1 cargo test --test sim_seeds` if it is intended");
    assert_eq!(tl.outcome("golden").unwrap().0, "Complete");
    assert!(tl.job_at("golden", Time(0)).is_some());
}
