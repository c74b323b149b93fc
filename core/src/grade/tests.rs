use super::evidence::{read_documents, EventFact, NoRun};
use super::*;
use crate::diag::{Diagnostic, Span};

fn goal(yaml: &str) -> Goal {
    let value: Value = crate::yaml::de::from_str(yaml).unwrap();
    parse_goal(&value).unwrap_or_else(|e| panic!("{yaml}: {e}"))
}

fn goal_error(yaml: &str) -> String {
    let value: Value = crate::yaml::de::from_str(yaml).unwrap();
    parse_goal(&value).unwrap_err()
}

/// Evidence with validation and lint available, the text's documents, and a run.
fn evidence(text: &str, run: RunFacts) -> Evidence {
    let (documents, diagnostics) = read_documents(text);
    Evidence {
        diagnostics,
        validation_available: true,
        lint_available: true,
        documents,
        run: Ok(run),
    }
}

fn check(goal_yaml: &str, evidence: &Evidence) -> GoalResult {
    check_goals(&[goal(goal_yaml)], evidence).remove(0)
}

fn job(name: &str, pods: u32) -> JobRun {
    JobRun {
        name: name.into(),
        pods_created: pods,
        max_running: 1,
        ..JobRun::default()
    }
}

fn ended(mut job: JobRun, condition: JobCondition, reason: &str, at: f64) -> JobRun {
    job.end = Some(JobEnd {
        condition,
        reason: reason.into(),
        at_seconds: at,
    });
    job
}

const JOB: &str = "apiVersion: batch/v1
kind: Job
metadata:
  name: report
  annotations:
    example.com/owner: data-team
spec:
  backoffLimit: 3
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: a
          image: busybox:1.36
          resources:
            limits: {memory: 128Mi}
        - name: b
          image: busybox:1.36
";

// ---- valid -----------------------------------------------------------------------------------

#[test]
fn valid_passes_without_errors_and_fails_on_the_first_error() {
    let mut ev = evidence(JOB, RunFacts::default());
    ev.diagnostics.push(
        Diagnostic::new(Severity::Warning, "BL-RES-001", "no requests").at("", Span::point(12, 9)),
    );
    let r = check("valid: true", &ev);
    assert!(r.passed, "{r:?}");
    ev.diagnostics.push(
        Diagnostic::new(
            Severity::Error,
            "api",
            "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"",
        )
        .at("spec.template.spec.restartPolicy", Span::point(9, 7)),
    );
    ev.diagnostics
        .push(Diagnostic::new(Severity::Error, "api", "second"));
    let r = check("valid: true", &ev);
    assert!(!r.passed);
    assert_eq!(
        r.observed,
        "line 9: spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\" (and 1 more)"
    );
}

#[test]
fn valid_fails_on_a_yaml_syntax_error_even_without_validation() {
    let text = "kind: Job\nspec:\n  a: 1\n  a: 2\n";
    let exercise_less = {
        let (documents, diagnostics) = read_documents(text);
        Evidence {
            diagnostics,
            validation_available: false,
            lint_available: false,
            documents,
            run: Ok(RunFacts::default()),
        }
    };
    let r = check("valid: true", &exercise_less);
    assert!(!r.passed && !r.unavailable, "{r:?}");
    // go-yaml's words, as kubectl prints them: `mapping key "a" already defined at line 3`.
    assert!(r.observed.contains("already defined"), "{}", r.observed);
}

#[test]
fn valid_is_unavailable_not_passed_without_validation() {
    let mut ev = evidence(JOB, RunFacts::default());
    ev.validation_available = false;
    let r = check("valid: true", &ev);
    assert!(!r.passed && r.unavailable);
}

// ---- lint ------------------------------------------------------------------------------------

#[test]
fn lint_goals_fail_on_their_rule_only() {
    let mut ev = evidence(JOB, RunFacts::default());
    ev.diagnostics.push(
        Diagnostic::new(
            Severity::Warning,
            "BL-JOB-002",
            "Job has no ttlSecondsAfterFinished",
        )
        .at("spec", Span::point(7, 1)),
    );
    assert!(check("lint: BL-RES-001", &ev).passed);
    let r = check("lint: BL-JOB-002", &ev);
    assert!(!r.passed);
    assert_eq!(
        r.observed,
        "line 7: Job has no ttlSecondsAfterFinished [BL-JOB-002]"
    );
    assert!(!check("lint: all", &ev).passed);
    ev.diagnostics.clear();
    assert_eq!(check("lint: all", &ev).observed, "no lint warnings");
}

// ---- field -----------------------------------------------------------------------------------

#[test]
fn field_comparisons_pass_and_fail_on_the_written_value() {
    let ev = evidence(JOB, RunFacts::default());
    assert!(check("field: spec.backoffLimit <= 3", &ev).passed);
    let r = check("field: spec.backoffLimit < 3", &ev);
    assert!(!r.passed);
    assert_eq!(
        r.observed,
        "`spec.backoffLimit` is 3; the goal wants fewer than 3"
    );
    assert!(check("field: spec.template.spec.restartPolicy == Never", &ev).passed);
    let r = check("field: spec.template.spec.restartPolicy == OnFailure", &ev);
    assert_eq!(
        r.observed,
        "`spec.template.spec.restartPolicy` is \"Never\"; the goal wants exactly \"OnFailure\""
    );
    assert!(check("field: spec.template.spec.restartPolicy != OnFailure", &ev).passed);
}

#[test]
fn field_exists_and_absent() {
    let ev = evidence(JOB, RunFacts::default());
    assert!(check("field: spec.backoffLimit exists", &ev).passed);
    let r = check("field: spec.activeDeadlineSeconds exists", &ev);
    assert!(!r.passed);
    assert_eq!(r.observed, "`spec.activeDeadlineSeconds` is not set");
    assert!(check("field: spec.activeDeadlineSeconds absent", &ev).passed);
    let r = check("field: spec.backoffLimit absent", &ev);
    assert_eq!(r.observed, "`spec.backoffLimit` is set to 3");
    assert!(
        check(
            "field: metadata.annotations['example.com/owner'] == data-team",
            &ev
        )
        .passed
    );
}

#[test]
fn a_comparison_on_a_missing_field_fails() {
    let ev = evidence(JOB, RunFacts::default());
    let r = check("field: spec.ttlSecondsAfterFinished <= 3600", &ev);
    assert!(!r.passed);
    assert_eq!(r.observed, "`spec.ttlSecondsAfterFinished` is not set");
}

#[test]
fn every_element_must_match_with_a_star() {
    let ev = evidence(JOB, RunFacts::default());
    assert!(
        check(
            "field: spec.template.spec.containers[0].resources.limits.memory exists",
            &ev
        )
        .passed
    );
    let r = check(
        "field: spec.template.spec.containers[*].resources.limits.memory exists",
        &ev,
    );
    assert!(!r.passed, "container b has no limit");
    assert!(
        check(
            "field: spec.template.spec.containers[*].image == busybox:1.36",
            &ev
        )
        .passed
    );
}

#[test]
fn field_goals_find_objects_by_kind_and_name() {
    let text = format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: settings}}\ndata: {{mode: fast}}\n---\n{JOB}");
    let ev = evidence(&text, RunFacts::default());
    // Without `object`, the first Job or CronJob is read, not the ConfigMap before it.
    assert!(check("field: spec.backoffLimit == 3", &ev).passed);
    assert!(
        check(
            "{field: data.mode == fast, object: ConfigMap/settings}",
            &ev
        )
        .passed
    );
    let r = check("{field: data.mode == fast, object: ConfigMap/other}", &ev);
    assert_eq!(r.observed, "there is no ConfigMap `other` in the manifest");
    let r = check("{field: spec.schedule exists, object: CronJob}", &ev);
    assert_eq!(r.observed, "there is no CronJob in the manifest");
}

// ---- run goals -------------------------------------------------------------------------------

#[test]
fn job_ends_checks_condition_reason_and_time() {
    let run = RunFacts {
        horizon_seconds: 600.0,
        jobs: vec![ended(
            job("report", 4),
            JobCondition::Failed,
            "BackoffLimitExceeded",
            75.0,
        )],
        ..RunFacts::default()
    };
    let ev = evidence(JOB, run);
    assert!(check("jobEnds: Failed", &ev).passed);
    let r = check("jobEnds: Complete", &ev);
    assert!(!r.passed);
    assert_eq!(
        r.observed,
        "Job `report` ended Failed (BackoffLimitExceeded) at 1m15s"
    );
    assert!(
        check(
            "jobEnds: {condition: Failed, reason: BackoffLimitExceeded, by: 2m}",
            &ev
        )
        .passed
    );
    assert!(
        !check(
            "jobEnds: {condition: Failed, reason: DeadlineExceeded}",
            &ev
        )
        .passed
    );
    let r = check("jobEnds: {condition: Failed, by: 1m}", &ev);
    assert!(!r.passed);
    assert!(
        r.observed.ends_with("the goal wants it by 1m0s"),
        "{}",
        r.observed
    );
}

#[test]
fn job_ends_fails_when_the_job_never_finishes_or_never_ran() {
    let ev = evidence(
        JOB,
        RunFacts {
            horizon_seconds: 3600.0,
            jobs: vec![job("report", 1)],
            ..RunFacts::default()
        },
    );
    let r = check("jobEnds: Complete", &ev);
    assert_eq!(
        r.observed,
        "Job `report` had not finished when the simulation stopped at 1h0m0s"
    );
    let ev = evidence(JOB, RunFacts::default());
    assert_eq!(check("jobEnds: Complete", &ev).observed, "no Job ran");
    assert_eq!(
        check("{jobEnds: Complete, job: other}", &ev).observed,
        "no Job named `other` ran"
    );
}

#[test]
fn pod_counts_say_what_was_observed() {
    let run = RunFacts {
        jobs: vec![job("report", 7)],
        max_running: 3,
        ..RunFacts::default()
    };
    let ev = evidence(JOB, run);
    let r = check("podsCreated: <= 4", &ev);
    assert!(!r.passed);
    assert_eq!(r.observed, "created 7 pods; the goal allows at most 4");
    assert!(check("podsCreated: '>= 2'", &ev).passed);
    assert!(check("podsCreated: 7", &ev).passed);
    assert!(!check("podsCreated: 6", &ev).passed);
    let r = check("runningAtOnce: <= 2", &ev);
    assert!(!r.passed);
    assert_eq!(
        r.observed,
        "3 pods ran at once at the most; the goal allows at most 2"
    );
    assert!(check("runningAtOnce: <= 3", &ev).passed);
}

#[test]
fn restarts_and_jobs_created_are_counted() {
    let mut a = job("a", 1);
    a.restarts = 3;
    let mut b = job("b", 1);
    b.restarts = 1;
    let ev = evidence(
        JOB,
        RunFacts {
            jobs: vec![a, b],
            ..RunFacts::default()
        },
    );
    let r = check("restarts: <= 2", &ev);
    assert!(!r.passed);
    assert_eq!(
        r.observed,
        "containers restarted 4 times; the goal allows at most 2"
    );
    assert!(check("{restarts: <= 3, job: a}", &ev).passed);
    assert!(check("jobsCreated: 2", &ev).passed);
    assert_eq!(
        check("jobsCreated: <= 1", &ev).observed,
        "2 Jobs were created; the goal allows at most 1"
    );
}

#[test]
fn cron_overlap_fires_and_skips() {
    // 2026-03-08T06:30:00Z and 07:30 as Unix seconds.
    let six_thirty = 1_772_951_400;
    let run = RunFacts {
        cron: vec![CronRun {
            name: "nightly".into(),
            fired: vec![six_thirty],
            max_active: 2,
        }],
        start_unix: six_thirty - 3600,
        horizon_seconds: 4.0 * 3600.0,
        ..RunFacts::default()
    };
    let ev = evidence(JOB, run);
    // An instant after the end of the run is never "skipped" or "fired" by default.
    let r = check("cronSkips: ['2026-03-08T10:30:00Z']", &ev);
    assert!(!r.passed);
    assert_eq!(
        r.observed,
        "the simulation stopped at 2026-03-08T09:30:00Z, before 2026-03-08T10:30:00Z"
    );
    let r = check("cronNeverOverlaps: true", &ev);
    assert!(!r.passed);
    assert_eq!(r.observed, "CronJob `nightly` had 2 Jobs active at once");
    assert!(check("cronFires: ['2026-03-08T06:30:00Z']", &ev).passed);
    let r = check(
        "cronFires: ['2026-03-08T06:30:00Z', '2026-03-08T07:30:00Z']",
        &ev,
    );
    assert!(!r.passed);
    assert_eq!(r.observed, "no Job was started for 2026-03-08T07:30:00Z");
    assert!(check("cronSkips: ['2026-03-08T07:30:00Z']", &ev).passed);
    // The same instant written with an offset is the same instant.
    assert!(!check("cronSkips: ['2026-03-08T01:30:00-05:00']", &ev).passed);
    let none = evidence(JOB, RunFacts::default());
    assert_eq!(
        check("cronNeverOverlaps: true", &none).observed,
        "there is no CronJob in the run"
    );
}

#[test]
fn logs_contain_and_lack() {
    let mut j = job("secure", 1);
    j.logs = vec![
        "loaded config".into(),
        "db=postgres://app:hunter2@db".into(),
    ];
    let ev = evidence(
        JOB,
        RunFacts {
            jobs: vec![j],
            ..RunFacts::default()
        },
    );
    assert!(check("logsContain: loaded config", &ev).passed);
    assert!(!check("logsContain: finished", &ev).passed);
    let r = check("logsLack: hunter2", &ev);
    assert!(!r.passed);
    assert_eq!(
        r.observed,
        "a log line of `secure` reads \"db=postgres://app:hunter2@db\""
    );
    assert!(check("logsLack: sk-1234", &ev).passed);
}

#[test]
fn events_seen_and_not_seen() {
    let run = RunFacts {
        events: vec![EventFact { at_seconds: 60.0, reason: "JobAlreadyActive".into(), message: "Not starting job because prior execution is running and concurrency policy is Forbid".into() }],
        ..RunFacts::default()
    };
    let ev = evidence(JOB, run);
    assert!(check("eventSeen: JobAlreadyActive", &ev).passed);
    assert!(!check("eventSeen: TooManyMissedTimes", &ev).passed);
    let r = check("eventNotSeen: JobAlreadyActive", &ev);
    assert!(!r.passed);
    assert!(
        r.observed
            .starts_with("at 1m0s: JobAlreadyActive Not starting job"),
        "{}",
        r.observed
    );
}

#[test]
fn run_goals_fail_when_there_is_no_run_and_say_why() {
    let mut ev = evidence(JOB, RunFacts::default());
    ev.run = Err(NoRun {
        message: "the manifests have errors, so nothing ran".into(),
        unavailable: false,
    });
    let r = check("podsCreated: <= 4", &ev);
    assert!(!r.passed && !r.unavailable);
    assert_eq!(r.observed, "the manifests have errors, so nothing ran");
}

// ---- reading goals ---------------------------------------------------------------------------

#[test]
fn default_sentences_read_well() {
    assert_eq!(
        goal("podsCreated: <= 4").says,
        "At most 4 pods are created."
    );
    assert_eq!(
        goal("field: spec.backoffLimit <= 3").says,
        "`spec.backoffLimit` is at most 3."
    );
    assert_eq!(
        goal("field: spec.timeZone exists").says,
        "`spec.timeZone` is set."
    );
    assert_eq!(
        goal("jobEnds: {condition: Failed, reason: DeadlineExceeded, by: 10m}").says,
        "The Job ends Failed (DeadlineExceeded) within 10m0s."
    );
    assert_eq!(
        goal("{logsLack: hunter2, says: The password never reaches the logs.}").says,
        "The password never reaches the logs."
    );
}

#[test]
fn malformed_goals_are_refused_with_a_reason() {
    assert!(goal_error("podsCreatd: 3").contains("did you mean `podsCreated`"));
    assert!(
        goal_error("{podsCreated: 3, restarts: 1}").contains("both `podsCreated` and `restarts`")
    );
    assert!(goal_error("podsCreated: lots").contains("has no number"));
    assert!(goal_error("podsCreated: '=< 3'").contains("must be one of"));
    assert!(goal_error("field: spec.backoffLimit").contains("after the path comes"));
    assert!(goal_error("field: spec.backoffLimit ~ 3").contains("is not `exists`"));
    assert!(goal_error("field: spec.schedule < '5'").contains("only numbers"));
    assert!(goal_error("field: spec..x exists").contains("empty part"));
    assert!(goal_error("jobEnds: Succeeded").contains("not a terminal Job condition"));
    assert!(
        goal_error("jobEnds: {condition: Failed, reason: Timeout}").contains("DeadlineExceeded")
    );
    assert!(goal_error("jobEnds: {condition: Complete, by: soon}").contains("not a duration"));
    assert!(goal_error("cronFires: ['tomorrow']").contains("RFC 3339"));
    assert!(goal_error("valid: false").contains("valid: true"));
    assert!(goal_error("{logsContain: x, job: a}").contains("does not apply"));
    assert!(goal_error("{podsCreated: 1, object: Job}").contains("only applies to `field`"));
    assert!(goal_error("- a list").contains("a goal is a mapping"));
}

#[test]
fn durations_read_like_go_durations() {
    assert_eq!(parse_duration("90s"), Ok(90));
    assert_eq!(parse_duration("5m"), Ok(300));
    assert_eq!(parse_duration("1h30m"), Ok(5400));
    assert_eq!(parse_duration("5m50s"), Ok(350));
    assert!(parse_duration("5").is_err());
    assert!(parse_duration("m").is_err());
    assert!(parse_duration("99999999999999999999h").is_err());
}

#[test]
fn field_paths_parse_brackets_and_quoted_keys() {
    let p = FieldPath::parse("spec.template.spec.containers[0].env[*].name").unwrap();
    assert_eq!(p.segments.len(), 8);
    assert_eq!(p.segments[4], Segment::Index(0));
    assert_eq!(p.segments[6], Segment::Every);
    let p = FieldPath::parse("metadata.labels['app.kubernetes.io/name']").unwrap();
    assert_eq!(p.segments[2], Segment::Key("app.kubernetes.io/name".into()));
    assert!(FieldPath::parse("spec.containers[x]").is_err());
    assert!(FieldPath::parse("metadata.labels['open").is_err());
    assert!(FieldPath::parse(".spec").is_err());
}

// ---- end to end: the real validator, lint and simulator ----------------------------------------

/// An exercise with these goals (YAML list items) and optional scenario, built through the unit
/// parser as an instructor would write it.
fn exercise(goals: &str, scenario: &str) -> crate::lesson::Exercise {
    let indent = |text: &str| text.lines().map(|l| format!("  {l}\n")).collect::<String>();
    let scenario = if scenario.is_empty() {
        String::new()
    } else {
        format!("scenario:\n{}", indent(scenario))
    };
    let unit = format!(
        "---\nid: u\ntitle: T\nsummary: s\nminutes: 1\n---\n```exercise\nid: e\ntitle: E\ntask: t\nstarter: x\nsolution: x\n{scenario}goals:\n{}```\n",
        indent(goals)
    );
    let (unit, problems) = crate::lesson::parse_unit("u.md", &unit);
    assert!(problems.is_empty(), "{problems:#?}");
    unit.unwrap().exercises().next().unwrap().clone()
}

fn job_text(backoff_limit: u32, restart_policy: &str, script: &str) -> String {
    format!(
        "apiVersion: batch/v1
kind: Job
metadata:
  name: work
spec:
  backoffLimit: {backoff_limit}
  template:
    spec:
      restartPolicy: {restart_policy}
      containers:
        - name: main
          image: busybox:1.36
          command: [\"sh\", \"-c\", \"{script}\"]
"
    )
}

#[test]
fn a_failing_job_is_graded_from_its_simulated_run() {
    let ex = exercise(
        "- podsCreated: <= 1\n- jobEnds: {condition: Failed, reason: BackoffLimitExceeded}\n- restarts: 0\n- logsContain: disk full\n- eventSeen: BackoffLimitExceeded",
        "",
    );
    let results = grade(&ex, &job_text(1, "Never", "echo disk full >&2; exit 1"));
    assert_eq!(
        results[0].observed,
        "created 2 pods; the goal allows at most 1"
    );
    assert!(!results[0].passed);
    assert!(results[1].passed, "{:?}", results[1]);
    assert!(results[2].passed, "{:?}", results[2]);
    assert!(results[3].passed, "{:?}", results[3]);
    assert!(results[4].passed, "{:?}", results[4]);
}

#[test]
fn on_failure_restarts_are_counted() {
    let ex = exercise("- restarts: 0\n- podsCreated: 1", "");
    let results = grade(&ex, &job_text(2, "OnFailure", "exit 1"));
    assert!(!results[0].passed);
    assert_eq!(
        results[0].observed,
        "containers restarted 2 times; the goal allows exactly 0"
    );
    assert!(results[1].passed, "{:?}", results[1]);
}

#[test]
fn run_goals_fail_with_a_reason_when_the_manifest_is_invalid() {
    let ex = exercise("- valid: true\n- jobEnds: Complete", "");
    let text = job_text(1, "Never", "exit 0").replace("      restartPolicy: Never\n", "");
    let results = grade(&ex, &text);
    assert!(!results[0].passed && !results[0].unavailable);
    assert!(
        results[0].observed.contains("Required value"),
        "{}",
        results[0].observed
    );
    assert_eq!(
        results[1].observed,
        "nothing ran: the manifests have errors (fix them first)"
    );
}

#[test]
fn lint_goals_use_the_real_rules() {
    let ex = exercise("- lint: BL-SEC-001\n- lint: BL-JOB-001", "");
    let text = job_text(1, "Never", "exit 0").replace(
        "          command:",
        "          env:\n            - name: API_KEY\n              value: sk-1234567890abcdef\n          command:",
    );
    let results = grade(&ex, &text);
    assert!(!results[0].passed);
    assert!(
        results[0].observed.contains("[BL-SEC-001]"),
        "{}",
        results[0].observed
    );
    // The Job has no activeDeadlineSeconds either.
    assert!(!results[1].passed);
}

#[test]
fn the_scenario_drives_the_run() {
    let ex = exercise(
        "- jobEnds: {condition: Failed, reason: BackoffLimitExceeded}\n- podsCreated: 3",
        "containers:\n  main: {exitCode: 3, duration: 2s}",
    );
    let results = grade(&ex, &job_text(2, "Never", "echo fine"));
    assert!(results.iter().all(|r| r.passed), "{results:#?}");
    let broken = exercise("- jobEnds: Complete", "contianers: {}");
    let results = grade(&broken, &job_text(2, "Never", "echo fine"));
    assert!(
        results[0]
            .observed
            .starts_with("the exercise's scenario is not valid"),
        "{}",
        results[0].observed
    );
}

#[test]
fn a_secret_printed_by_the_script_is_caught() {
    let ex = exercise("- logsLack: hunter2", "");
    let leaking = grade(&ex, &job_text(0, "Never", "echo password=hunter2"));
    assert!(!leaking[0].passed);
    assert_eq!(
        leaking[0].observed,
        "a log line of `work` reads \"password=hunter2\""
    );
    assert!(grade(&ex, &job_text(0, "Never", "echo password loaded"))[0].passed);
}

/// Grade as the app does: analyse and simulate first, then check the goals against those results.
fn grade_from_parts(ex: &crate::lesson::Exercise, text: &str) -> Vec<GoalResult> {
    let analysis = crate::analyze(text, &engine::lint_config(ex));
    let input = crate::sim::SimInput::from_bundle(&analysis.bundle);
    let timeline = crate::sim::simulate(&input, &engine::scenario(ex).unwrap());
    check_goals(
        &ex.goals,
        &engine::evidence_from(text, analysis, Some(&timeline)),
    )
}

#[test]
fn grading_from_precomputed_results_matches_grading_from_text() {
    let ex = exercise(
        "- valid: true\n- podsCreated: 2\n- jobEnds: {condition: Failed, reason: BackoffLimitExceeded}",
        "",
    );
    let text = job_text(1, "Never", "exit 1");
    let from_parts = grade_from_parts(&ex, &text);
    assert_eq!(from_parts, grade(&ex, &text));
    assert!(from_parts.iter().all(|r| r.passed), "{from_parts:#?}");
}

/// A Secret and a Job whose container gets its `token` key as `$API_TOKEN` and runs `script`.
fn secret_job_text(script: &str) -> String {
    format!(
        "apiVersion: v1
kind: Secret
metadata:
  name: api-credentials
stringData:
  token: tok-9f8e7d6c
---
{}          env:
            - name: API_TOKEN
              valueFrom:
                secretKeyRef: {{name: api-credentials, key: token}}
",
        job_text(0, "Never", script)
    )
}

#[test]
fn secrets_in_logs_fails_when_a_secret_value_reaches_a_log() {
    let ex = exercise("- valid: true\n- secretsInLogs: false", "");
    let leaking = grade(&ex, &secret_job_text("echo using token $API_TOKEN"));
    assert!(leaking[0].passed, "{:?}", leaking[0]);
    assert!(!leaking[1].passed);
    assert!(
        leaking[1].observed.starts_with("pod `work-")
            && leaking[1]
                .observed
                .ends_with("printed the value of Secret `api-credentials`, key `token`"),
        "{}",
        leaking[1].observed
    );
    assert_eq!(
        leaking[1].says,
        "No Secret value that reaches a container is printed to its logs."
    );
    let quiet = grade(&ex, &secret_job_text("echo api token loaded"));
    assert!(quiet[1].passed, "{:?}", quiet[1]);
    assert_eq!(
        quiet[1].observed,
        "no value of a Secret that reached a container appears in its logs"
    );
}

#[test]
fn secrets_in_logs_true_and_malformed_forms() {
    let ex = exercise("- secretsInLogs: true", "");
    assert!(grade(&ex, &secret_job_text("echo $API_TOKEN"))[0].passed);
    assert!(!grade(&ex, &secret_job_text("echo loaded"))[0].passed);
    assert!(goal_error("secretsInLogs: never").contains("write `secretsInLogs: false`"));
}

#[test]
fn secrets_in_logs_is_the_same_from_precomputed_results() {
    let ex = exercise("- secretsInLogs: false", "");
    let text = secret_job_text("echo token=$API_TOKEN");
    let from_parts = grade_from_parts(&ex, &text);
    assert_eq!(from_parts, grade(&ex, &text));
    assert!(!from_parts[0].passed);
}
