use super::evidence::{read_documents, EventFact, NoRun};
use super::*;
use crate::diag::{Diagnostic, Span};

fn goal(yaml: &str) -> Goal {
    let value: Value = serde_yaml::from_str(yaml).unwrap();
    parse_goal(&value).unwrap_or_else(|e| panic!("{yaml}: {e}"))
}

fn goal_error(yaml: &str) -> String {
    let value: Value = serde_yaml::from_str(yaml).unwrap();
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
    assert!(r.observed.contains("duplicate"), "{}", r.observed);
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
    let seven_thirty = six_thirty + 3600;
    let run = RunFacts {
        cron: vec![CronRun {
            name: "nightly".into(),
            fired: vec![six_thirty],
            max_active: 2,
        }],
        ..RunFacts::default()
    };
    let ev = evidence(JOB, run);
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
    let _ = seven_thirty;
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
