//! Helpers shared by the manifest, validation, lint and simulator tests: clean manifests to
//! mutate, assertions that name the code, path and line a learner would see, and a Job run.
#![allow(dead_code)]

use batchlab_core::diag::Diagnostic;
use batchlab_core::lint::LintConfig;

/// A Job that passes every check and every lint rule.
pub const CLEAN_JOB: &str = "\
apiVersion: batch/v1
kind: Job
metadata:
  name: nightly-report
  annotations:
    example.com/owner: data-team
    example.com/runbook: https://runbooks.example.com/nightly-report
spec:
  backoffLimit: 2
  activeDeadlineSeconds: 600
  ttlSecondsAfterFinished: 86400
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: report
          image: busybox:1.36
          command: [\"sh\", \"-c\", \"echo hello\"]
          resources:
            requests:
              cpu: 100m
              memory: 64Mi
            limits:
              memory: 128Mi
";

/// A CronJob that passes every check and every lint rule.
pub const CLEAN_CRON_JOB: &str = "\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: ledger-sync
  annotations:
    example.com/owner: finance-platform
    example.com/runbook: https://runbooks.example.com/ledger-sync
spec:
  schedule: \"15 1 * * *\"
  timeZone: Etc/UTC
  concurrencyPolicy: Forbid
  startingDeadlineSeconds: 300
  successfulJobsHistoryLimit: 3
  failedJobsHistoryLimit: 5
  jobTemplate:
    spec:
      backoffLimit: 2
      activeDeadlineSeconds: 900
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: sync
              image: registry.example.com/ledger/sync:2.1.0
              resources:
                requests:
                  cpu: 250m
                  memory: 128Mi
                limits:
                  memory: 256Mi
";

pub fn findings(text: &str) -> Vec<Diagnostic> {
    batchlab_core::analyze(text, &LintConfig::all()).diagnostics
}

fn listing(all: &[Diagnostic]) -> String {
    all.iter()
        .map(|d| {
            format!(
                "  {}:{} {} [{}] {}: {}",
                d.span.line,
                d.span.column,
                d.severity.as_str(),
                d.code,
                d.path,
                d.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// 1-based number of the first line containing `needle`.
pub fn line_of(text: &str, needle: &str) -> u32 {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in the text")) as u32
        + 1
}

/// `text` with `from` replaced by `to` (which must occur).
pub fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} not in the text");
    text.replacen(from, to, 1)
}

/// There is a finding with this code and path on this line; returns it.
pub fn expect(text: &str, code: &str, path: &str, line: u32) -> Diagnostic {
    let all = findings(text);
    all.iter()
        .find(|d| d.code == code && d.path == path && d.span.line == line)
        .cloned()
        .unwrap_or_else(|| {
            panic!(
                "expected [{code}] {path} on line {line}; got:\n{}\n--- text:\n{text}",
                listing(&all)
            )
        })
}

/// Like `expect`, also checking the exact message.
pub fn expect_message(text: &str, code: &str, path: &str, line: u32, message: &str) {
    let d = expect(text, code, path, line);
    assert_eq!(d.message, message, "message of [{code}] {path}");
}

/// No finding has this code.
pub fn absent(text: &str, code: &str) {
    let all = findings(text);
    let hits: Vec<Diagnostic> = all.iter().filter(|d| d.code == code).cloned().collect();
    assert!(hits.is_empty(), "unexpected [{code}]:\n{}", listing(&hits));
}

/// No finding about this path (of any code).
pub fn absent_path(text: &str, path: &str) {
    let all = findings(text);
    let hits: Vec<Diagnostic> = all.iter().filter(|d| d.path == path).cloned().collect();
    assert!(
        hits.is_empty(),
        "unexpected findings at {path}:\n{}",
        listing(&hits)
    );
}

/// No finding at all.
pub fn clean(text: &str) {
    let all = findings(text);
    assert!(
        all.is_empty(),
        "expected no findings, got:\n{}",
        listing(&all)
    );
}

/// A directory of its own under the system temp dir, removed when dropped, so test runs leave
/// nothing behind in /tmp.
pub struct TempDir(std::path::PathBuf);

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        use std::sync::atomic::{AtomicU32, Ordering};
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("batchlab-{label}-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create a temp dir");
        TempDir(dir)
    }

    pub fn path(&self) -> &std::path::Path {
        &self.0
    }

    /// Write `text` to `relative` (parent directories created) and return its full path.
    pub fn write(&self, relative: &str, text: &str) -> std::path::PathBuf {
        let path = self.0.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create a temp subdir");
        }
        std::fs::write(&path, text).expect("write a temp file");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Parses `job` (a Job's manifest after its `kind`) as `kubectl apply` would read it and runs it
/// under `scenario`.
pub fn simulate_job(job: &str, scenario: &str) -> batchlab_core::sim::Timeline {
    use batchlab_core::{manifest, sim};
    let text = format!("apiVersion: batch/v1\nkind: Job\n{}", job.trim_start());
    let bundle = manifest::parse(&text);
    assert!(!bundle.has_errors(), "{:?}", bundle.diagnostics);
    let scenario = sim::parse_scenario(scenario).expect("test scenario parses");
    sim::simulate(&sim::SimInput::from_bundle(&bundle), &scenario)
}

/// `kubectl` output line by line, each line's runs of spaces made one: the column widths are
/// tabwriter's business (tested with `describe job`), the words are what a test asserts.
pub fn squashed_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}
