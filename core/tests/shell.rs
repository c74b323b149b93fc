//! The shell workload end to end: the course's container scripts (fixtures copied from the seed
//! manifests) run as a busybox container would run them, at the `Workload` level.

use batchlab_core::rng::Rng;
use batchlab_core::shell::{mask_secrets, secrets_in_logs, ShellWorkload};
use batchlab_core::workload::*;

/// 2026-11-29T18:20:03Z
const START_MS: i64 = 1_795_976_403_000;

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/shell/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn start_with(script: &str) -> ContainerStart {
    ContainerStart {
        pod_name: "demo-job-x7k2p".into(),
        namespace: "default".into(),
        container_name: "processor".into(),
        image: "busybox:1.35".into(),
        command: vec!["sh".into(), "-c".into()],
        args: vec![script.into()],
        env: Vec::new(),
        started_at_unix_ms: START_MS,
        attempt: 0,
        memory_limit_bytes: None,
        cpu_limit_millis: None,
        mounts: Vec::new(),
        max_duration_ms: 3_600_000,
        sigterm_at_ms: None,
    }
}

fn run(start: &ContainerStart, seed: u64) -> ContainerRun {
    ShellWorkload.run(start, &mut Rng::new(seed))
}

fn texts(run: &ContainerRun) -> Vec<String> {
    run.logs.iter().map(|l| l.text.clone()).collect()
}

fn sh(script: &str) -> ContainerRun {
    run(&start_with(script), 1)
}

fn file(content: &str, mode: u32) -> File {
    File {
        content: content.into(),
        mode,
    }
}

fn mount(path: &str, kind: MountKind, files: &[(&str, File)]) -> Mount {
    Mount {
        volume_name: path.trim_start_matches('/').into(),
        mount_path: path.into(),
        read_only: false,
        kind,
        files: files
            .iter()
            .map(|(k, f)| (k.to_string(), f.clone()))
            .collect(),
    }
}

#[test]
fn well_managed_job_prints_its_report_and_sleeps_ten_seconds() {
    let mut start = start_with(&fixture("well-managed.sh"));
    start.cpu_limit_millis = Some(500);
    let out = run(&start, 1);
    assert_eq!(out.ending, Ending::Exited { code: 0 });
    assert_eq!(
        texts(&out),
        [
            "=== Well-Managed Resource Usage ===",
            "Job started at Sun Nov 29 18:20:03 UTC 2026",
            "Allocated resources:",
            "  Memory request: 256Mi",
            "  Memory limit: 512Mi",
            "  CPU request: 250m",
            "  CPU limit: 500m",
            "Processing within resource constraints...",
            "Processing completed successfully at Sun Nov 29 18:20:13 UTC 2026",
        ]
    );
    // `sleep 10` plus a few milliseconds of forks (`date` twice) stretched by the 500m limit.
    assert!(
        (10_000..10_010).contains(&out.duration_ms),
        "{}",
        out.duration_ms
    );
    assert!(out.logs.iter().all(|l| l.stream == Stream::Stdout));
    assert_eq!(out.logs.last().map(|l| l.at_ms / 1000), Some(10));
}

#[test]
fn restart_policy_demo_fails_about_a_third_of_the_time_following_the_seed() {
    let script = fixture("restart-policy-demo.sh");
    let mut failures = 0;
    for seed in 0..60 {
        let out = run(&start_with(&script), seed);
        let lines = texts(&out);
        assert_eq!(
            lines[0],
            "Worker attempt starting at Sun Nov 29 18:20:03 UTC 2026"
        );
        assert_eq!(lines[1], "Container hostname: demo-job-x7k2p");
        match out.ending {
            Ending::Exited { code: 1 } => {
                failures += 1;
                assert_eq!(lines[2], "Simulating transient failure...");
            }
            Ending::Exited { code: 0 } => assert_eq!(lines[2], "Work completed successfully"),
            other => panic!("unexpected ending {other:?}"),
        }
        // Same seed, same run.
        assert_eq!(run(&start_with(&script), seed), out);
    }
    assert!((8..=32).contains(&failures), "{failures} failures in 60");
}

#[test]
fn robust_processor_retries_with_backoff_and_fails_through_its_handler() {
    let mut start = start_with(&fixture("robust-error-handling.sh"));
    start.env = vec![
        ("JOB_ID".into(), "robust-processor-001".into()),
        ("BATCH_SIZE".into(), "1000".into()),
    ];
    let mut saw_success = false;
    let mut saw_retry = false;
    let mut saw_failure = false;
    for seed in 0..2000 {
        if saw_success && saw_retry && saw_failure {
            break;
        }
        let out = run(&start, seed);
        let lines = texts(&out);
        assert_eq!(lines[0], "=== Robust Data Processing Job ===");
        match out.ending {
            Ending::Exited { code: 0 } => {
                saw_success = true;
                assert_eq!(
                    lines.last().map(String::as_str),
                    Some("Completed at: Sun Nov 29 18:20:12 UTC 2026")
                        .filter(|_| lines.len() == 9)
                        .or(lines.last().map(String::as_str))
                );
                assert!(lines.contains(&"=== Processing Completed Successfully ===".to_string()));
                if lines.iter().any(|l| l.contains("(attempt 2/3)")) {
                    saw_retry = true;
                    assert!(lines.contains(&"✗ data_validation failed on attempt 1".to_string()));
                }
            }
            Ending::Exited { code: 1 } => {
                saw_failure = true;
                let tail: Vec<&str> = out
                    .logs
                    .iter()
                    .rev()
                    .take(4)
                    .map(|l| l.text.as_str())
                    .collect();
                // The handler prints to stdout, then the matching environment to stderr.
                assert_eq!(tail[0], "BATCH_SIZE=1000");
                assert_eq!(tail[1], "JOB_ID=robust-processor-001");
                assert_eq!(tail[2], "Environment variables:");
                assert!(lines
                    .contains(&"ERROR [1]: data_validation failed after 3 attempts".to_string()));
                assert!(lines.contains(&"Context: retry_operation".to_string()));
                assert_eq!(
                    out.logs
                        .iter()
                        .filter(|l| l.stream == Stream::Stderr)
                        .count(),
                    3
                );
            }
            other => panic!("unexpected ending {other:?}"),
        }
    }
    assert!(
        saw_success && saw_retry && saw_failure,
        "{saw_success} {saw_retry} {saw_failure}"
    );
}

#[test]
fn observable_job_emits_json_logs_and_a_metrics_summary() {
    let mut start = start_with(&fixture("observable.sh"));
    start.cpu_limit_millis = Some(200);
    start.memory_limit_bytes = Some(256 << 20);
    let out = run(&start, 7);
    assert_eq!(out.ending, Ending::Exited { code: 0 }, "{:?}", texts(&out));
    let lines = texts(&out);
    assert_eq!(
        lines[0],
        "{\"timestamp\":\"2026-11-29T18:20:03+0000\",\"level\":\"INFO\",\"message\":\"Job starting with structured logging\",\"job\":\"observable-processor\",\"pod\":\"demo-job-x7k2p\"}"
    );
    let json: Vec<&String> = lines.iter().filter(|l| l.starts_with('{')).collect();
    // Start, 10 × (processing + outcome), completion.
    assert_eq!(json.len(), 22);
    let errors = json
        .iter()
        .filter(|l| l.contains("\"level\":\"ERROR\""))
        .count();
    let ok = json
        .iter()
        .filter(|l| l.contains("Successfully processed item"))
        .count();
    assert_eq!(errors + ok, 10);
    let summary = lines
        .iter()
        .position(|l| l == "=== METRICS SUMMARY ===")
        .expect("summary");
    let metrics = &lines[summary + 1..];
    assert_eq!(metrics.len(), 10 + errors + 2);
    let rate = format!("{:.2}", ok as f64 * 10.0);
    assert!(metrics
        .last()
        .is_some_and(|l| l.starts_with(&format!("METRIC: success_rate_percent={rate} at "))));
    let completion = json.last().expect("completion line");
    assert!(
        completion.contains(&format!("processed {ok} items in ")),
        "{completion}"
    );
    assert!(completion.contains(&format!("with {rate}% success rate")));
    // Sleeps of 1–3 s per item.
    assert!(
        (10_000..=31_000).contains(&out.duration_ms),
        "{}",
        out.duration_ms
    );
}

#[test]
fn secure_processor_reads_config_and_never_prints_its_secrets() {
    let mut start = start_with(&fixture("secure-batch-processor.sh"));
    let secrets = [
        "postgresql://user:password@db.example.com:5432/batch_db",
        "sk-1234567890abcdef",
        "super-secret-key-for-encryption",
    ];
    start.env = vec![
        ("BATCH_SIZE".into(), "1000".into()),
        ("RETRY_ATTEMPTS".into(), "3".into()),
        ("TIMEOUT_SECONDS".into(), "300".into()),
        ("LOG_LEVEL".into(), "INFO".into()),
        ("DATABASE_URL".into(), secrets[0].into()),
        ("API_KEY".into(), secrets[1].into()),
        ("ENCRYPTION_KEY".into(), secrets[2].into()),
    ];
    let mut config = mount(
        "/config",
        MountKind::ConfigMap,
        &[(
            "processing_config.json",
            file(&fixture("processing_config.json"), 0o644),
        )],
    );
    config.read_only = true;
    start.mounts = vec![config];
    let out = run(&start, 1);
    assert_eq!(out.ending, Ending::Exited { code: 0 });
    assert_eq!(
        texts(&out),
        [
            "=== Secure Batch Processing ===",
            "Job started at: Sun Nov 29 18:20:03 UTC 2026",
            "Configuration loaded:",
            "  Batch size: 1000",
            "  Retry attempts: 3",
            "  Timeout: 300 seconds",
            "  Log level: INFO",
            "✓ Database credentials loaded",
            "✓ API key loaded",
            "Processing configuration file:",
            "{",
            "  \"input_format\": \"csv\",",
            "  \"output_format\": \"parquet\",",
            "Processing data securely...",
            "=== Secure Processing Complete ===",
        ]
    );
    assert!(secrets_in_logs(&out.logs, &secrets).is_empty());

    // A script that leaks one is caught, and the log view masks it.
    start.args = vec!["echo \"connecting to $DATABASE_URL\"; echo done".into()];
    let leak = run(&start, 1);
    assert_eq!(secrets_in_logs(&leak.logs, &secrets), vec![0]);
    let masked = mask_secrets(&leak.logs, &secrets);
    assert_eq!(masked[0].text, "connecting to ***");
    assert_eq!(masked[1].text, "done");
}

#[test]
fn scripts_from_a_config_map_run_with_sh_and_respect_default_mode() {
    let script = fixture("data_processor.sh");
    let mut start = start_with("");
    start.command = vec!["sh".into(), "/scripts/data_processor.sh".into()];
    start.args = Vec::new();
    start.env = vec![
        ("PROCESSING_MODE".into(), "development".into()),
        ("INPUT_PATH".into(), "/data/input".into()),
        ("OUTPUT_PATH".into(), "/data/output".into()),
    ];
    start.mounts = vec![mount(
        "/scripts",
        MountKind::ConfigMap,
        &[("data_processor.sh", file(&script, 0o755))],
    )];
    assert!(ShellWorkload::accepts(&start));
    let out = run(&start, 1);
    assert_eq!(out.ending, Ending::Exited { code: 0 });
    assert_eq!(
        texts(&out),
        [
            "=== Data Processing Script ===",
            "Processing mode: development",
            "Input path: /data/input",
            "Output path: /data/output",
            "Running in development mode with verbose logging",
            "Processing completed successfully",
        ]
    );
    assert!((5000..5010).contains(&out.logs[5].at_ms));

    start.env[0].1 = "staging".into();
    let out = run(&start, 1);
    assert_eq!(out.ending, Ending::Exited { code: 1 });
    assert_eq!(
        texts(&out).last().map(String::as_str),
        Some("Unknown processing mode: staging")
    );

    // Run directly, the `#!/bin/bash` line needs bash, which busybox does not have.
    start.command = vec!["/scripts/data_processor.sh".into()];
    let out = run(&start, 1);
    assert_eq!(out.ending, Ending::Exited { code: 128 });
    assert!(out.note.as_deref().is_some_and(|n| n.contains("/bin/bash")));

    // Without the execute bit (defaultMode 0644) the runtime refuses to exec it.
    start.mounts = vec![mount(
        "/scripts",
        MountKind::ConfigMap,
        &[("data_processor.sh", file("#!/bin/sh\necho hi\n", 0o644))],
    )];
    let out = run(&start, 1);
    assert_eq!(out.ending, Ending::Exited { code: 128 });
    assert!(out
        .note
        .as_deref()
        .is_some_and(|n| n.contains("permission denied")));
    if let Some(f) = start.mounts[0].files.get_mut("data_processor.sh") {
        f.mode = 0o755;
    }
    assert_eq!(texts(&run(&start, 1)), ["hi"]);
}

/// The first seed for which the checkpoint script fails at item 8 on its first attempt.
fn failing_seed(start: &ContainerStart) -> u64 {
    (0..64)
        .find(|&seed| run(start, seed).ending == Ending::Exited { code: 1 })
        .expect("about half the seeds fail at item 8")
}

#[test]
fn a_tmp_checkpoint_is_lost_on_restart_but_an_empty_dir_one_is_kept() {
    // The course's version keeps its checkpoint in /tmp: after an OnFailure restart it is gone.
    let start = start_with(&fixture("checkpoint.sh"));
    let seed = failing_seed(&start);
    let first = run(&start, seed);
    let lines = texts(&first);
    assert_eq!(lines[1], "Starting fresh processing");
    assert!(lines.contains(&"Checkpoint saved: item 6".to_string()));
    assert_eq!(
        lines.last().map(String::as_str),
        Some("Simulating failure at item 8")
    );
    assert!(first.persisted.is_empty());
    let mut restart = start.clone();
    restart.attempt = 1;
    let second = run(&restart, seed + 1000);
    assert_eq!(texts(&second)[1], "Starting fresh processing");

    // With the checkpoint on an emptyDir volume, the restarted container resumes.
    let mut start = start_with(&fixture("checkpoint-emptydir.sh"));
    start.mounts = vec![mount("/checkpoint", MountKind::EmptyDir, &[])];
    let seed = failing_seed(&start);
    let first = run(&start, seed);
    assert_eq!(first.ending, Ending::Exited { code: 1 });
    assert_eq!(
        first.persisted["/checkpoint"]["processing-checkpoint.txt"].content,
        "8\n"
    );
    let mut restart = start.clone();
    restart.attempt = 1;
    restart.mounts[0].files = first.persisted["/checkpoint"].clone();
    let second = run(&restart, 99);
    let lines = texts(&second);
    assert_eq!(lines[1], "Resuming from checkpoint: item 8");
    assert_eq!(lines[2], "Processing item 8/20");
    assert_eq!(
        lines.last().map(String::as_str),
        Some("Processing completed successfully")
    );
    assert_eq!(second.ending, Ending::Exited { code: 0 });
    // 13 items of 2 s each, instead of 20.
    assert!(
        (26_000..27_000).contains(&second.duration_ms),
        "{}",
        second.duration_ms
    );
    // The script removes its checkpoint when done.
    assert!(second.persisted["/checkpoint"].is_empty());
}

#[test]
fn idempotent_demo_records_completion_once_per_container() {
    let out = run(&start_with(&fixture("idempotent.sh")), 1);
    assert_eq!(out.ending, Ending::Exited { code: 0 });
    let lines = texts(&out);
    // The seed's `$$` was truncated to `$`, which the shell prints literally.
    assert_eq!(lines[1], "Working in: /tmp/work-1795976403-$");
    assert_eq!(lines[6], "✓ Completion recorded");
}

#[test]
fn an_unbounded_string_hits_the_memory_limit_and_is_oom_killed() {
    let mut start = start_with(&fixture("resource-hungry.sh"));
    start.memory_limit_bytes = Some(4 << 20);
    let out = run(&start, 1);
    assert_eq!(out.ending, Ending::OomKilled);
    assert_eq!(
        texts(&out),
        [
            "=== Resource Usage Simulation ===",
            "Starting resource-intensive processing at Sun Nov 29 18:20:03 UTC 2026",
            "Allocating memory for large dataset...",
        ]
    );
    assert!(out.peak_memory_bytes > 4 << 20);
    let note = out.note.expect("a note explains the kill");
    assert!(
        note.contains("4Mi") && note.contains("LARGE_DATA"),
        "{note}"
    );
}

#[test]
fn the_resource_hungry_job_finishes_without_a_limit_and_its_million_loop_is_fast_forwarded() {
    let out = run(&start_with(&fixture("resource-hungry.sh")), 1);
    assert_eq!(out.ending, Ending::Exited { code: 0 });
    let lines = texts(&out);
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[3], "Processing data (CPU intensive)...");
    // 100 000 rows of ~55 bytes: about 5.5 MB held at the peak, plus the word lists.
    assert!(
        out.peak_memory_bytes > 5_500_000,
        "{}",
        out.peak_memory_bytes
    );
    // Building the string copies it on every iteration (quadratic), then a million `echo`s.
    let cpu_loop_ms = out.logs[4].at_ms - out.logs[3].at_ms;
    assert!((2_000..20_000).contains(&cpu_loop_ms), "{cpu_loop_ms}");
    assert!(out.duration_ms > 60_000, "{}", out.duration_ms);
}

#[test]
fn cpu_limits_stretch_cpu_time_but_not_sleep() {
    let script = "for i in $(seq 1 2000); do x=$((i * 2)); done; sleep 1";
    let free = sh(script);
    let mut limited = start_with(script);
    limited.cpu_limit_millis = Some(100);
    let limited = run(&limited, 1);
    let cpu_free = free.duration_ms - 1000;
    let cpu_limited = limited.duration_ms - 1000;
    assert!(
        cpu_limited >= cpu_free * 9 && cpu_limited <= cpu_free * 11 + 2,
        "{cpu_free} vs {cpu_limited}"
    );
}

#[test]
fn unknown_commands_print_not_found_and_exit_127() {
    let out = sh("echo before\npsql -c 'select 1'\necho \"status $?\"\nwget http://x");
    assert_eq!(
        texts(&out),
        [
            "before",
            "sh: psql: not found",
            "status 127",
            "sh: wget: not found"
        ]
    );
    assert_eq!(out.logs[1].stream, Stream::Stderr);
    assert_eq!(out.ending, Ending::Exited { code: 127 });
    let note = out.note.expect("note");
    assert!(
        note.contains("`psql` is not in the container image"),
        "{note}"
    );
    assert!(
        note.contains("busybox has `wget` but the simulator does not model it"),
        "{note}"
    );
}

#[test]
fn syntax_errors_stop_the_script_after_the_commands_before_them() {
    let out = sh("echo hi\nif true; then\n  echo never\n");
    assert_eq!(
        texts(&out),
        [
            "hi",
            "sh: syntax error: unexpected end of file (expecting \"fi\")"
        ]
    );
    assert_eq!(out.ending, Ending::Exited { code: 2 });
    let out = sh("echo 'unterminated");
    assert_eq!(
        texts(&out),
        ["sh: syntax error: unterminated quoted string"]
    );
    let mut file = start_with("");
    file.command = vec!["sh".into(), "/s/run.sh".into()];
    file.args = Vec::new();
    file.mounts = vec![mount(
        "/s",
        MountKind::ConfigMap,
        &[("run.sh", file_of("echo a\nfi\n"))],
    )];
    let out = run(&file, 1);
    assert_eq!(
        texts(&out),
        ["a", "/s/run.sh: line 2: syntax error: unexpected \"fi\""]
    );
}

fn file_of(content: &str) -> File {
    file(content, 0o644)
}

#[test]
fn a_script_that_never_ends_is_still_running_at_the_time_limit() {
    let mut start = start_with("echo start; while true; do sleep 5; done");
    start.max_duration_ms = 600_000;
    let out = run(&start, 1);
    assert_eq!(out.ending, Ending::StillRunning);
    assert_eq!(out.duration_ms, 600_000);
    assert_eq!(texts(&out), ["start"]);

    let out = sh("while :; do :; done");
    assert_eq!(out.ending, Ending::StillRunning);
    assert!(out
        .note
        .is_some_and(|n| n.contains("repeats with nothing changing")));

    // A loop that prints forever keeps its first lines and says how many were dropped.
    let out = sh("i=0; while true; do i=$((i+1)); echo \"line $i\"; done");
    assert_eq!(out.ending, Ending::StillRunning);
    assert_eq!(out.logs.len(), 10_000);
    let note = out.note.expect("the budget is explained");
    assert!(
        note.contains("stopped interpreting after 250000 commands"),
        "{note}"
    );
    assert!(note.contains("more log lines than the 10000"), "{note}");
}

#[test]
fn writes_to_config_maps_fail_like_a_read_only_filesystem() {
    let mut start = start_with(
        "echo x > /config/new; echo \"status $?\"; rm /config/a; touch /work/ok && ls /work",
    );
    start.mounts = vec![
        mount("/config", MountKind::ConfigMap, &[("a", file_of("1"))]),
        mount("/work", MountKind::EmptyDir, &[]),
    ];
    let out = run(&start, 1);
    assert_eq!(
        texts(&out),
        [
            "sh: can't create /config/new: Read-only file system",
            "status 2",
            "rm: can't remove '/config/a': Read-only file system",
            "ok",
        ]
    );
    assert!(out.persisted["/work"].contains_key("ok"));
}

#[test]
fn the_language_subset_behaves_like_ash() {
    let script = r#"
set -e
greet() {
  local who=${1:-world}
  echo "hello, $who ($#)"
  return 3
}
greet || echo "greet returned $?"
greet "batch lab" x || true
count=0
for f in a b c; do count=$((count + 1)); done
while [ $count -lt 6 ]; do count=$((count+2)); done
until [ $count -le 0 ]; do count=$((count - 4)); done
echo "count=$count"
case "report.csv" in *.txt) echo text ;; *.csv|*.tsv) echo table ;; esac
x="a b  c"
set -- $x
echo "$# args: $2"
echo "${x%% *}|${x#* }|${#x}|${missing:-dflt}|${x/b/B}"
printf '%s=%03d\n' one 1 two 2
echo "one two three" | tr ' ' '\n' | grep -c o
echo "a,b,c" | cut -d, -f2
cat <<EOF | head -1
first $count
second
EOF
v=$(echo "nested $(echo deep)")
echo "$v" >&2
[ -z "$unset" ] && ! false && echo ok
echo $((7 / 2)) $((2 ** 10)) $((-7 % 3))
eval 'n=5; echo "eval $n"'
seq 3 | awk '{s += $1} END {print "sum", s}'
false
echo unreachable
"#;
    let out = sh(script);
    assert_eq!(
        texts(&out),
        [
            "hello, world (0)",
            "greet returned 3",
            "hello, batch lab (2)",
            "count=-1",
            "table",
            "3 args: b",
            "a|b  c|6|dflt|a B  c",
            "one=001",
            "two=002",
            "2",
            "b",
            "first -1",
            "nested deep",
            "ok",
            "3 1024 -1",
            "eval 5",
            "sum 6",
        ]
    );
    assert_eq!(out.logs[12].stream, Stream::Stderr);
    assert_eq!(out.ending, Ending::Exited { code: 1 });
}

#[test]
fn exit_traps_run_and_random_follows_the_seed() {
    let out = sh("printf 'Error: x\\nok one\\n' > /tmp/f; grep -ic error /tmp/f; grep -w one /tmp/f; grep -E '\\s' /tmp/f | wc -l");
    assert_eq!(texts(&out), ["1", "ok one", "2"]);
    let out = sh("sleep 5 &\necho \"started $!\"\nwait\necho done");
    assert_eq!(texts(&out)[1], "done");
    assert!(texts(&out)[0].starts_with("started "));
    assert!(out.logs[0].at_ms < 100 && out.logs[1].at_ms >= 5000);
    let out = sh("echo 'a b c' | while read x rest; do echo \"$rest|$x\"; done");
    assert_eq!(texts(&out), ["b c|a"]);
    let out = sh("printf 'id,name\\n1,ada\\n' > /tmp/t.csv; sed -i 's/,/;/g' /tmp/t.csv; sed -n '2p' /tmp/t.csv");
    assert_eq!(texts(&out), ["1;ada"]);
    let out = sh("exec 2>&1; echo oops >&2");
    assert_eq!(out.logs[0].stream, Stream::Stdout);
    let out = sh("trap 'echo cleanup' EXIT; echo work; exit 4");
    assert_eq!(texts(&out), ["work", "cleanup"]);
    assert_eq!(out.ending, Ending::Exited { code: 4 });
    let a = run(&start_with("echo $RANDOM $RANDOM"), 5);
    let b = run(&start_with("echo $RANDOM $RANDOM"), 5);
    let c = run(&start_with("echo $RANDOM $RANDOM"), 6);
    assert_eq!(a.logs, b.logs);
    assert_ne!(a.logs, c.logs);
    let value: Vec<u32> = a.logs[0]
        .text
        .split(' ')
        .map(|v| v.parse().unwrap())
        .collect();
    assert!(value.iter().all(|v| *v < 32768));
}

#[test]
fn shell_invocations_are_recognised() {
    let mut start = start_with("echo $0 $1");
    assert!(ShellWorkload::accepts(&start));
    start.command = vec![
        "/bin/sh".into(),
        "-c".into(),
        "echo $0 $1".into(),
        "name".into(),
        "arg".into(),
    ];
    start.args = Vec::new();
    assert_eq!(texts(&run(&start, 1)), ["name arg"]);
    start.command = Vec::new();
    start.args = vec!["sh".into(), "-ec".into(), "false; echo no".into()];
    let out = run(&start, 1);
    assert_eq!(out.ending, Ending::Exited { code: 1 });
    assert!(out.logs.is_empty());
    start.args = vec!["bash".into(), "-c".into(), "echo hi".into()];
    assert_eq!(run(&start, 1).ending, Ending::Exited { code: 128 });
    start.image = "ubuntu:24.04".into();
    assert_eq!(texts(&run(&start, 1)), ["hi"]);
    start.args = vec!["python".into(), "-c".into(), "print(1)".into()];
    assert!(!ShellWorkload::accepts(&start));
    // `sleep` as the main process is the applet itself: it runs its time, ignores SIGTERM.
    start.args = vec!["sleep".into(), "10".into()];
    assert!(ShellWorkload::accepts(&start));
    let nap = run(&start, 1);
    assert_eq!(nap.ending, Ending::Exited { code: 0 });
    assert!(
        (10_000..10_010).contains(&nap.duration_ms),
        "{}",
        nap.duration_ms
    );
    assert_eq!(nap.on_sigterm, OnSigterm::Ignores);
    start.args = vec!["sleep".into(), "it's".into()];
    assert_eq!(run(&start, 1).ending, Ending::Exited { code: 1 });
}

/// SIGTERM (`sigterm_at_ms`) reaches the main shell only: without a trap nothing happens; with
/// `trap … TERM` the handler runs after the foreground command, or at once inside `wait`.
#[test]
fn sigterm_runs_the_term_trap_at_the_next_point_the_shell_can() {
    let mut plain = start_with("echo start; sleep 100; echo end");
    assert_eq!(run(&plain, 1).on_sigterm, OnSigterm::Ignores);
    plain.sigterm_at_ms = Some(5_000);
    let ignored = run(&plain, 1);
    assert_eq!(texts(&ignored), ["start", "end"]);
    assert!(ignored.duration_ms >= 100_000);

    let script = "trap 'echo got TERM; exit 4' TERM; sleep 100 & wait; echo done";
    let mut waiting = start_with(script);
    let untouched = run(&waiting, 1);
    assert_eq!(untouched.on_sigterm, OnSigterm::Handles);
    assert_eq!(texts(&untouched), ["done"]);
    waiting.sigterm_at_ms = Some(5_000);
    let trapped = run(&waiting, 1);
    assert_eq!(texts(&trapped), ["got TERM"]);
    assert_eq!(trapped.ending, Ending::Exited { code: 4 });
    assert!(
        (5_000..5_010).contains(&trapped.duration_ms),
        "{}",
        trapped.duration_ms
    );

    let mut foreground = start_with("trap 'echo got TERM; exit 4' TERM; sleep 100; echo after");
    foreground.sigterm_at_ms = Some(5_000);
    let late = run(&foreground, 1);
    assert_eq!(texts(&late), ["got TERM"]);
    assert!(late.duration_ms >= 100_000, "{}", late.duration_ms);

    // `trap` lists the TERM action too.
    assert_eq!(
        texts(&sh("trap 'echo x' TERM; trap")),
        ["trap -- 'echo x' TERM"]
    );
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

        #[test]
        fn any_script_ends_within_the_time_limit(script in "[ a-z0-9$(){}\\[\\];|&<>\"'`=#*?!.\\-+%/\\n\\\\]{0,120}") {
            let mut start = start_with(&script);
            start.max_duration_ms = 120_000;
            let out = run(&start, 3);
            prop_assert!(out.duration_ms <= 120_000);
        }

        #[test]
        fn scripts_made_of_real_fragments_end(parts in proptest::collection::vec(prop::sample::select(vec![
            "echo a", "x=$((x+1))", "while true; do", "done", "for i in 1 2 3; do", "if [ $x -gt 2 ]; then",
            "fi", "else", "f() {", "}", "f", "sleep 1", "break", "$(seq 1 5)", "| wc -l", "> /tmp/f",
            "cat /tmp/f", "case $x in", "*) echo c ;;", "esac", "exit 3", "local y=1", "X=\"${X}abc\"",
            "\n", ";", "&&", "||", "&", "(", ")", "{", "eval 'echo e'", "${x:-d}", "'", "\"",
        ]), 0..40)) {
            let script = parts.join(" ");
            let mut start = start_with(&script);
            start.max_duration_ms = 60_000;
            start.memory_limit_bytes = Some(64 << 20);
            let out = run(&start, 9);
            prop_assert!(out.duration_ms <= 60_000);
        }
    }
}

#[test]
fn runaway_recursion_and_deep_nesting_end_in_words_not_crashes() {
    let out = sh("f() { f; }\nf\necho after");
    assert_eq!(out.ending, Ending::Exited { code: 2 });
    assert_eq!(texts(&out), ["sh: f: function calls nested too deeply"]);
    assert!(out.note.is_some_and(|n| n.contains("recursed deeper")));

    let nested = format!("echo {}x{}", "$(echo ".repeat(20), ")".repeat(20));
    assert_eq!(texts(&sh(&nested)), ["x"]);
    let too_deep = format!("echo {}x{}", "$(echo ".repeat(500), ")".repeat(500));
    let out = sh(&too_deep);
    assert_eq!(out.ending, Ending::Exited { code: 2 });
}

#[test]
fn awk_counts_status_codes_with_an_array_and_a_loop() {
    let run = sh(
        r#"printf '200 /a\n404 /b\n200 /c\n500 /d\n' > /tmp/access.log
awk '{ count[$1]++ } END { for (code in count) printf "%s x%d\n", code, count[code] }' /tmp/access.log
awk 'BEGIN { while (1) n++ }' || echo "awk exit $?""#,
    );
    assert_eq!(
        texts(&run),
        vec![
            "200 x2",
            "404 x1",
            "500 x1",
            "awk: stopped after 5000000 steps (a loop that never ends?)",
            "awk exit 2"
        ]
    );
}
