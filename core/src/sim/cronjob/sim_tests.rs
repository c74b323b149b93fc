//! The CronJob controller running in the simulator: Job names, creation times, events and the
//! slot record, per concurrency policy, missed-schedule case, history limit and fault.

use crate::sim::{parse_scenario, simulate, SimInput, Text, Time, Timeline};

fn cron_job(name: &str, spec_lines: &str) -> String {
    format!(
        "apiVersion: batch/v1
kind: CronJob
metadata:
  name: {name}
spec:
{spec_lines}
  jobTemplate:
    spec:
      backoffLimit: 0
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: worker
            image: busybox
"
    )
}

fn run(manifest: &str, scenario: &str) -> Timeline {
    let input = SimInput::from_bundle(&crate::manifest::parse(manifest));
    let scenario = parse_scenario(scenario).expect("scenario");
    simulate(&input, &scenario)
}

/// Seconds after the start (09:00:00Z by default) as simulation time.
fn secs(s: f64) -> Time {
    Time((s * 1000.0).round() as u64)
}

fn events<'a>(tl: &'a Timeline, reason: &'a str) -> Vec<(Time, &'a str)> {
    tl.events_with_reason(reason)
        .filter(|e| e.kind == "CronJob")
        .map(|e| (e.at, e.message.as_str()))
        .collect()
}

/// 2026-01-05T09:00:00Z is minute 29_460_060 since the epoch.
fn job_at_minute(name: &str, minutes_after_nine: u64) -> String {
    format!("{name}-{}", 29_460_060 + minutes_after_nine)
}

#[test]
fn allow_creates_a_job_per_slot_named_by_minute() {
    let tl = run(
        &cron_job("hourly", "  schedule: \"0 * * * *\""),
        "horizon: 3h30m\ncontainers: {worker: {duration: 10m}}",
    );
    let created = events(&tl, "SuccessfulCreate");
    assert_eq!(
        created,
        vec![
            (secs(3600.1), "Created job hourly-29460120"),
            (secs(7200.1), "Created job hourly-29460180"),
            (secs(10800.1), "Created job hourly-29460240"),
        ]
    );
    let job = tl.job("hourly-29460120").expect("job");
    assert_eq!(job.created_at, secs(3600.1));
    assert_eq!(job.cron_job.as_deref(), Some("hourly"));
    assert_eq!(
        job.spec
            .annotations
            .get("batch.kubernetes.io/cronjob-scheduled-timestamp")
            .map(Text::as_str),
        Some("2026-01-05T10:00:00Z")
    );
    let record = &tl.cron_jobs[0];
    let shown: Vec<String> = record
        .slots
        .iter()
        .map(|s| s.scheduled.to_string())
        .collect();
    let outcomes: Vec<(&str, &str)> = (shown.iter().map(String::as_str))
        .zip(record.slots.iter().map(|s| s.outcome))
        .collect();
    assert_eq!(
        outcomes,
        vec![
            ("2026-01-05T10:00:00Z", "fired"),
            ("2026-01-05T11:00:00Z", "fired"),
            ("2026-01-05T12:00:00Z", "fired"),
        ]
    );
    // Each Job finished before the next: SawCompletedJob when it did.
    assert_eq!(events(&tl, "SawCompletedJob").len(), 3);
}

#[test]
fn allow_overlaps_when_jobs_outlast_the_interval() {
    let tl = run(
        &cron_job("often", "  schedule: \"*/1 * * * *\""),
        "horizon: 3m30s\ncontainers: {worker: {duration: 150s}}",
    );
    assert_eq!(events(&tl, "SuccessfulCreate").len(), 3);
    let last = tl.cron_jobs[0].status.last().expect("status");
    // Three Jobs of 150 s each, one a minute: all three run at once at 09:03.
    assert_eq!(
        last.active[..],
        [
            job_at_minute("often", 1),
            job_at_minute("often", 2),
            job_at_minute("often", 3)
        ]
    );
}

#[test]
fn forbid_skips_then_runs_the_owed_slot_when_the_job_finishes() {
    let tl = run(
        &cron_job(
            "forbid",
            "  schedule: \"*/1 * * * *\"\n  concurrencyPolicy: Forbid",
        ),
        "horizon: 4m\ncontainers: {worker: {duration: 90s}}",
    );
    let first = job_at_minute("forbid", 1);
    let second = job_at_minute("forbid", 2);
    let skipped = events(&tl, "JobAlreadyActive");
    assert_eq!(skipped[0].0, secs(120.1));
    assert_eq!(
        skipped[0].1,
        "Not starting job because prior execution is running and concurrency policy is Forbid"
    );
    let created: Vec<&str> = events(&tl, "SuccessfulCreate")
        .iter()
        .map(|e| e.1)
        .collect();
    assert_eq!(created[0], format!("Created job {first}"));
    assert_eq!(created[1], format!("Created job {second}"));
    // The 09:02 Job starts when the 09:01 one has finished, not at 09:02.
    let first_done = tl
        .job(&first)
        .and_then(|j| j.completion_time.get())
        .expect("done");
    let second_created = tl.job(&second).expect("second").created_at;
    assert!(second_created >= first_done && second_created > secs(120.1));
    let slot = &tl.cron_jobs[0].slots[1];
    assert_eq!(slot.scheduled.to_string(), "2026-01-05T09:02:00Z");
    assert_eq!(slot.outcome, "fired");
    assert!(slot.reason.starts_with("started "), "{}", slot.reason);
    assert!(slot.reason.contains("Forbid"), "{}", slot.reason);
}

#[test]
fn replace_deletes_the_running_job() {
    let tl = run(
        &cron_job(
            "replace",
            "  schedule: \"*/1 * * * *\"\n  concurrencyPolicy: Replace",
        ),
        "horizon: 2m30s\ncontainers: {worker: {duration: 90s}}",
    );
    let first = job_at_minute("replace", 1);
    assert_eq!(
        events(&tl, "SuccessfulDelete"),
        vec![(secs(120.1), format!("Deleted job {first}").as_str())]
    );
    assert_eq!(tl.job(&first).and_then(|j| j.deleted_at), Some(secs(120.1)));
    assert_eq!(
        tl.job(&job_at_minute("replace", 2)).map(|j| j.created_at),
        Some(secs(120.1))
    );
}

#[test]
fn history_limits_keep_three_successful_and_one_failed() {
    let tl = run(
        &cron_job("tidy", "  schedule: \"*/1 * * * *\""),
        "horizon: 6m30s\ncontainers: {worker: {duration: 10s}}",
    );
    let existing: Vec<&str> = tl
        .jobs
        .iter()
        .filter(|j| j.deleted_at.is_none())
        .map(|j| j.name.as_str())
        .collect();
    // Six Jobs ran (09:01..09:06); the cleanup at each sync keeps the newest three finished ones.
    assert_eq!(
        existing,
        vec![
            job_at_minute("tidy", 4).as_str(),
            job_at_minute("tidy", 5).as_str(),
            job_at_minute("tidy", 6).as_str()
        ]
    );
    let deleted: Vec<&str> = events(&tl, "SuccessfulDelete")
        .iter()
        .map(|e| e.1)
        .collect();
    assert_eq!(
        deleted,
        vec![
            format!("Deleted job {}", job_at_minute("tidy", 1)),
            format!("Deleted job {}", job_at_minute("tidy", 2)),
            format!("Deleted job {}", job_at_minute("tidy", 3)),
        ]
    );

    let failing = run(
        &cron_job("flaky", "  schedule: \"*/1 * * * *\""),
        "horizon: 4m30s\ncontainers: {worker: {duration: 10s, exitCode: 1}}",
    );
    let kept_failed: Vec<&str> = failing
        .jobs
        .iter()
        .filter(|j| j.deleted_at.is_none())
        .map(|j| j.name.as_str())
        .collect();
    // failedJobsHistoryLimit 1: each failure deletes the previous failed Job.
    assert_eq!(kept_failed, vec![job_at_minute("flaky", 4).as_str()]);
    assert_eq!(events(&failing, "SuccessfulDelete").len(), 3);
}

#[test]
fn controller_down_runs_only_the_most_recent_missed_slot() {
    let tl = run(
        &cron_job("hourly", "  schedule: \"0 * * * *\""),
        "horizon: 3h40m\ncontainers: {worker: {duration: 1m}}\nfaults:\n  - {at: 30m, controllerDown: {for: 3h}}",
    );
    // Down 09:30–12:30: 10:00 and 11:00 are lost, 12:00 runs at 12:30 when it is back.
    assert_eq!(
        events(&tl, "SuccessfulCreate"),
        vec![(secs(12600.0), "Created job hourly-29460240")]
    );
    let slots: Vec<(&str, &str)> = tl.cron_jobs[0]
        .slots
        .iter()
        .map(|s| (s.outcome, s.reason.as_str()))
        .collect();
    assert_eq!(
        slots[0],
        ("missed", "kube-controller-manager was down at this time")
    );
    assert_eq!(
        slots[1],
        ("missed", "kube-controller-manager was down at this time")
    );
    assert_eq!(slots[2].0, "fired");
    assert!(slots[2].1.starts_with("started 1800s late"));
}

#[test]
fn unsuspend_after_many_missed_warns_and_runs_once() {
    let tl = run(
        &cron_job("paused", "  schedule: \"*/1 * * * *\"\n  suspend: true"),
        "horizon: 2h1m\ncontainers: {worker: {duration: 10s}}\nfaults:\n  - {at: 2h30s, resume: paused}",
    );
    assert_eq!(
        events(&tl, "TooManyMissedTimes"),
        vec![(
            secs(7230.0),
            "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew"
        )]
    );
    let created = events(&tl, "SuccessfulCreate");
    assert_eq!(created[0], (secs(7230.0), "Created job paused-29460180"));
    let slots = &tl.cron_jobs[0].slots;
    assert_eq!(slots[0].outcome, "skipped");
    assert_eq!(slots[0].reason, "the CronJob was suspended");
    assert_eq!(slots[119].outcome, "fired"); // 11:00, run late at resume

    // With a starting deadline the flood is avoided: nothing runs until the next slot.
    let tl = run(
        &cron_job(
            "paused",
            "  schedule: \"*/1 * * * *\"\n  suspend: true\n  startingDeadlineSeconds: 10",
        ),
        "horizon: 2h2m\ncontainers: {worker: {duration: 10s}}\nfaults:\n  - {at: 2h30s, resume: paused}",
    );
    assert!(events(&tl, "TooManyMissedTimes").is_empty());
    assert_eq!(
        events(&tl, "SuccessfulCreate"),
        vec![(secs(7260.1), "Created job paused-29460181")]
    );
}

#[test]
fn controller_zone_change_moves_a_zoneless_schedule() {
    let tl = run(
        &cron_job("morning", "  schedule: \"0 9 * * *\""),
        "start: 2026-01-05T06:00:00Z\nhorizon: 4h\ncontainers: {worker: {duration: 1m}}\nfaults:\n  - {at: 1h, controllerTimeZone: Europe/Berlin}",
    );
    // 09:00 in Berlin is 08:00Z: two hours after the start, not three.
    assert_eq!(
        events(&tl, "SuccessfulCreate"),
        vec![(secs(7200.1), "Created job morning-29460000")]
    );
    assert!(tl.cron_jobs[0].notes[0].contains("Europe/Berlin"));
}

#[test]
fn dst_night_is_marked_and_its_slot_is_absent() {
    let tl = run(
        &cron_job(
            "nightly",
            "  schedule: \"30 2 * * *\"\n  timeZone: America/New_York",
        ),
        "start: 2026-03-07T12:00:00Z\nhorizon: 72h\ncontainers: {worker: {duration: 1m}}",
    );
    let record = &tl.cron_jobs[0];
    assert_eq!(
        record.description,
        "At 02:30 every day, in America/New_York"
    );
    let scheduled: Vec<String> = record
        .slots
        .iter()
        .map(|s| s.scheduled.to_string())
        .collect();
    // 2026-03-08 02:30 does not exist in New York.
    assert_eq!(
        scheduled,
        vec!["2026-03-09T02:30:00-04:00", "2026-03-10T02:30:00-04:00"]
    );
    assert_eq!(record.dst_nights.len(), 1);
    assert!(record.dst_nights[0].contains("2026-03-08"));
}

/// Room is made for the start times a run will have, read from the schedule itself: an irregular
/// schedule is not taken at the rate of its first gap (`* 1 * * *` would be 24 times too much,
/// memory a browser tab pays for).
#[test]
fn room_is_made_for_about_the_start_times_the_run_has() {
    for (schedule, days, actual) in [
        ("*/1 * * * *", 30, 43_200),
        ("* 1 * * *", 30, 30 * 60),
        ("0 9 * * 1-5", 30, 22),
        ("*/5 * * * *", 2, 576),
    ] {
        let manifest = cron_job("sized", &format!("  schedule: \"{schedule}\""));
        let input = SimInput::from_bundle(&crate::manifest::parse(&manifest));
        let scenario = parse_scenario("").expect("scenario");
        let mut controller = super::CronJobController::new(&input, &scenario);
        let from = scenario.start_unix_ms();
        let to = from + days * 86_400_000;
        let expected = controller.expected_start_times(0, from, to);
        let off = expected.abs_diff(actual) as f64 / actual as f64;
        assert!(
            off < 0.05,
            "{schedule} over {days} days: room for {expected}, {actual} start times"
        );
    }
}
