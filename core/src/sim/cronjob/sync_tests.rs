//! Tests of the CronJob controller's decisions, many after the cases of upstream
//! `cronjob_controllerv2_test.go` and `utils_test.go` (hourly schedule, "just before the hour",
//! "long overdue", "another complex schedule"...).

use super::sync::*;
use crate::schedule::Zone;
use crate::sim::Text;
use chrono::DateTime;

fn ms(text: &str) -> i64 {
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .timestamp_millis()
}

fn spec(schedule: &str, policy: ConcurrencyPolicy) -> CronJobSpec {
    CronJobSpec {
        name: "report".into(),
        schedule: schedule.into(),
        time_zone: None,
        starting_deadline_seconds: None,
        concurrency_policy: policy,
        suspend: false,
        successful_jobs_history_limit: 3,
        failed_jobs_history_limit: 1,
        // "justBeforeTheHour" of upstream's tests.
        creation_ms: ms("2016-05-19T09:59:00Z"),
    }
}

fn running(name: &str) -> ChildJob {
    ChildJob {
        name: Text::new(name),
        finished: None,
        start_ms: Some(ms("2016-05-19T10:00:01Z")),
        completion_ms: None,
    }
}

fn finished(name: &str, how: Finished, start: &str, done: &str) -> ChildJob {
    ChildJob {
        name: Text::new(name),
        finished: Some(how),
        start_ms: Some(ms(start)),
        completion_ms: Some(ms(done)),
    }
}

fn reasons(result: &SyncResult) -> Vec<&'static str> {
    result.events.iter().map(|e| e.reason.as_str()).collect()
}

fn run(
    spec: &CronJobSpec,
    status: &mut CronJobStatus,
    children: &[ChildJob],
    now: &str,
) -> SyncResult {
    sync(spec, status, children, ms(now), Zone::UTC)
}

/// 10:00 in minutes since the epoch: 1463652000 / 60.
const TEN_OCLOCK_JOB: &str = "report-24394200";

#[test]
fn not_yet_time_requeues_for_the_next_slot_plus_100ms() {
    let s = spec("0 * * * *", ConcurrencyPolicy::Allow);
    let mut status = CronJobStatus::default();
    let r = run(&s, &mut status, &[], "2016-05-19T09:59:30Z");
    assert_eq!(r.decision, Decision::NothingDue);
    assert!(r.actions.is_empty() && r.events.is_empty());
    assert_eq!(r.requeue_after_ms, Some(30_100));
}

#[test]
fn on_time_creates_the_job_with_minute_name_and_annotation() {
    let s = spec("0 * * * *", ConcurrencyPolicy::Allow);
    let mut status = CronJobStatus::default();
    let r = run(&s, &mut status, &[], "2016-05-19T10:00:00.100Z");
    assert_eq!(
        r.actions,
        vec![Action::CreateJob {
            name: TEN_OCLOCK_JOB.into(),
            scheduled_ms: ms("2016-05-19T10:00:00Z"),
            annotation: "2016-05-19T10:00:00Z".into(),
        }]
    );
    assert_eq!(r.events[0].reason, "SuccessfulCreate");
    assert_eq!(r.events[0].message, format!("Created job {TEN_OCLOCK_JOB}"));
    assert_eq!(status.active, vec![TEN_OCLOCK_JOB.to_string()]);
    assert_eq!(status.last_schedule_ms, Some(ms("2016-05-19T10:00:00Z")));
    // Next at 11:00:00.100.
    assert_eq!(r.requeue_after_ms, Some(3_600_000));
}

#[test]
fn annotation_uses_the_time_zone() {
    let mut s = spec("30 2 * * *", ConcurrencyPolicy::Allow);
    s.time_zone = Some("Europe/Berlin".into());
    let mut status = CronJobStatus::default();
    let r = run(&s, &mut status, &[], "2016-05-20T00:30:00.100Z");
    let Action::CreateJob {
        annotation, name, ..
    } = &r.actions[0]
    else {
        panic!("{r:?}")
    };
    assert_eq!(annotation, "2016-05-20T02:30:00+02:00");
    assert_eq!(name, "report-24395070");
}

#[test]
fn allow_runs_concurrently() {
    let s = spec("0 * * * *", ConcurrencyPolicy::Allow);
    let mut status = CronJobStatus {
        active: vec![TEN_OCLOCK_JOB.into()],
        last_schedule_ms: Some(ms("2016-05-19T10:00:00Z")),
        ..CronJobStatus::default()
    };
    let r = run(
        &s,
        &mut status,
        &[running(TEN_OCLOCK_JOB)],
        "2016-05-19T11:00:00.100Z",
    );
    assert_eq!(reasons(&r), vec!["SuccessfulCreate"]);
    assert_eq!(status.active.len(), 2);
    assert_eq!(status.active[1], "report-24394260");
}

#[test]
fn forbid_skips_while_a_job_is_active() {
    let s = spec("0 * * * *", ConcurrencyPolicy::Forbid);
    let mut status = CronJobStatus {
        active: vec![TEN_OCLOCK_JOB.into()],
        last_schedule_ms: Some(ms("2016-05-19T10:00:00Z")),
        ..CronJobStatus::default()
    };
    let r = run(
        &s,
        &mut status,
        &[running(TEN_OCLOCK_JOB)],
        "2016-05-19T11:00:00.100Z",
    );
    assert_eq!(
        r.decision,
        Decision::ForbidSkipped(ms("2016-05-19T11:00:00Z"))
    );
    assert!(r.actions.is_empty());
    assert_eq!(
        r.events[0].message,
        "Not starting job because prior execution is running and concurrency policy is Forbid"
    );
    // lastScheduleTime stays at 10:00, so the 11:00 run is still owed...
    assert_eq!(status.last_schedule_ms, Some(ms("2016-05-19T10:00:00Z")));
    // ...and starts as soon as the 10:00 Job has finished.
    let done = finished(
        TEN_OCLOCK_JOB,
        Finished::Complete,
        "2016-05-19T10:00:01Z",
        "2016-05-19T11:20:00Z",
    );
    let r = run(&s, &mut status, &[done], "2016-05-19T11:20:00Z");
    assert_eq!(reasons(&r), vec!["SawCompletedJob", "SuccessfulCreate"]);
    assert_eq!(
        r.events[0].message,
        format!("Saw completed job: {TEN_OCLOCK_JOB}, condition: Complete")
    );
    assert_eq!(status.active, vec!["report-24394260".to_string()]);
}

#[test]
fn replace_deletes_the_running_job_first() {
    let s = spec("0 * * * *", ConcurrencyPolicy::Replace);
    let mut status = CronJobStatus {
        active: vec![TEN_OCLOCK_JOB.into()],
        last_schedule_ms: Some(ms("2016-05-19T10:00:00Z")),
        ..CronJobStatus::default()
    };
    let r = run(
        &s,
        &mut status,
        &[running(TEN_OCLOCK_JOB)],
        "2016-05-19T11:00:00.100Z",
    );
    assert_eq!(reasons(&r), vec!["SuccessfulDelete", "SuccessfulCreate"]);
    assert_eq!(r.events[0].message, format!("Deleted job {TEN_OCLOCK_JOB}"));
    assert_eq!(r.actions[0], Action::DeleteJob(TEN_OCLOCK_JOB.into()));
    assert_eq!(status.active, vec!["report-24394260".to_string()]);
}

#[test]
fn long_overdue_without_deadline_warns_and_still_runs_the_most_recent() {
    let s = spec("0 * * * *", ConcurrencyPolicy::Allow);
    let mut status = CronJobStatus {
        last_schedule_ms: Some(ms("2016-05-19T10:00:00Z")),
        ..CronJobStatus::default()
    };
    // 200 hours later.
    let r = run(&s, &mut status, &[], "2016-05-27T18:30:00Z");
    assert_eq!(reasons(&r), vec!["TooManyMissedTimes", "SuccessfulCreate"]);
    assert_eq!(
        r.events[0].message,
        "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew"
    );
    assert_eq!(status.last_schedule_ms, Some(ms("2016-05-27T18:00:00Z")));
}

#[test]
fn a_few_missed_runs_only_the_most_recent_silently() {
    let s = spec("0 * * * *", ConcurrencyPolicy::Allow);
    let mut status = CronJobStatus {
        last_schedule_ms: Some(ms("2016-05-19T10:00:00Z")),
        ..CronJobStatus::default()
    };
    let r = run(&s, &mut status, &[], "2016-05-19T14:30:00Z");
    assert_eq!(reasons(&r), vec!["SuccessfulCreate"]);
    assert_eq!(status.last_schedule_ms, Some(ms("2016-05-19T14:00:00Z")));
    // Next look at 15:00:00.100.
    assert_eq!(r.requeue_after_ms, Some(30 * 60_000 + 100));
}

#[test]
fn starting_deadline_hides_older_slots() {
    let mut s = spec("0 * * * *", ConcurrencyPolicy::Allow);
    s.starting_deadline_seconds = Some(60);
    let mut status = CronJobStatus {
        last_schedule_ms: Some(ms("2016-05-19T10:00:00Z")),
        ..CronJobStatus::default()
    };
    // 14:00 was 30 minutes ago, beyond the 60 s deadline: nothing, no event.
    let r = run(&s, &mut status, &[], "2016-05-19T14:30:00Z");
    assert_eq!(r.decision, Decision::NothingDue);
    assert!(r.events.is_empty());
    // Within the deadline it runs.
    let r = run(&s, &mut status, &[], "2016-05-19T15:00:30Z");
    assert_eq!(reasons(&r), vec!["SuccessfulCreate"]);
}

#[test]
fn starting_deadline_zero_never_starts() {
    let mut s = spec("0 * * * *", ConcurrencyPolicy::Allow);
    s.starting_deadline_seconds = Some(0);
    let mut status = CronJobStatus::default();
    let r = run(&s, &mut status, &[], "2016-05-19T10:00:00.100Z");
    assert_eq!(r.decision, Decision::NothingDue);
    assert!(r.actions.is_empty());
}

#[test]
fn irregular_schedule_can_lose_missed_slots() {
    // utils_test "another complex schedule": last run Thursday 10:30, now Friday 16:30.
    let s = spec("30 10,11,12 * * 1-5", ConcurrencyPolicy::Allow);
    let mut status = CronJobStatus {
        last_schedule_ms: Some(ms("2016-05-19T10:30:00Z")),
        ..CronJobStatus::default()
    };
    let r = run(&s, &mut status, &[], "2016-05-20T16:30:00Z");
    assert_eq!(r.decision, Decision::NothingDue);
    // Requeued for Monday 10:30:00.100.
    assert_eq!(
        r.requeue_after_ms,
        Some(ms("2016-05-23T10:30:00.100Z") - ms("2016-05-20T16:30:00Z"))
    );
}

#[test]
fn history_limits_delete_the_oldest_finished_jobs() {
    let s = spec("0 * * * *", ConcurrencyPolicy::Allow);
    let mut status = CronJobStatus {
        last_schedule_ms: Some(ms("2016-05-19T10:00:00Z")),
        ..CronJobStatus::default()
    };
    let children = vec![
        finished(
            "c-4",
            Finished::Complete,
            "2016-05-19T04:00:00Z",
            "2016-05-19T04:01:00Z",
        ),
        finished(
            "c-1",
            Finished::Complete,
            "2016-05-19T01:00:00Z",
            "2016-05-19T01:01:00Z",
        ),
        finished(
            "c-3",
            Finished::Complete,
            "2016-05-19T03:00:00Z",
            "2016-05-19T03:01:00Z",
        ),
        finished(
            "c-2",
            Finished::Complete,
            "2016-05-19T02:00:00Z",
            "2016-05-19T02:01:00Z",
        ),
        ChildJob {
            start_ms: None,
            ..finished(
                "c-0",
                Finished::Complete,
                "2016-05-19T00:00:00Z",
                "2016-05-19T00:01:00Z",
            )
        },
        finished(
            "f-2",
            Finished::Failed,
            "2016-05-19T02:00:00Z",
            "2016-05-19T02:01:00Z",
        ),
        finished(
            "f-1",
            Finished::Failed,
            "2016-05-19T01:00:00Z",
            "2016-05-19T01:01:00Z",
        ),
    ];
    let r = run(&s, &mut status, &children, "2016-05-19T10:30:00Z");
    // Jobs without a start time sort last, so c-0 survives; c-1 and c-2 go, then f-1.
    assert_eq!(
        r.actions,
        vec![
            Action::DeleteJob("c-1".into()),
            Action::DeleteJob("c-2".into()),
            Action::DeleteJob("f-1".into()),
        ]
    );
    assert_eq!(
        reasons(&r),
        vec!["SuccessfulDelete", "SuccessfulDelete", "SuccessfulDelete"]
    );
    // lastSuccessfulTime is the latest completion among the finished Jobs.
    assert_eq!(status.last_successful_ms, Some(ms("2016-05-19T04:01:00Z")));
}

#[test]
fn zero_history_limit_deletes_every_finished_job() {
    let mut s = spec("0 * * * *", ConcurrencyPolicy::Allow);
    s.successful_jobs_history_limit = 0;
    let mut status = CronJobStatus::default();
    let children = vec![finished(
        "c-1",
        Finished::Complete,
        "2016-05-19T01:00:00Z",
        "2016-05-19T01:01:00Z",
    )];
    let r = run(&s, &mut status, &children, "2016-05-19T09:59:30Z");
    assert_eq!(r.actions, vec![Action::DeleteJob("c-1".into())]);
}

#[test]
fn unexpected_and_missing_jobs() {
    let s = spec("0 * * * *", ConcurrencyPolicy::Allow);
    let mut status = CronJobStatus {
        active: vec!["report-gone".into()],
        last_schedule_ms: Some(ms("2016-05-19T10:00:00Z")),
        ..CronJobStatus::default()
    };
    let r = run(&s, &mut status, &[running("stray")], "2016-05-19T10:30:00Z");
    assert_eq!(reasons(&r), vec!["UnexpectedJob", "MissingJob"]);
    assert_eq!(
        r.events[0].message,
        "Saw a job that the controller did not create or forgot: stray"
    );
    assert_eq!(r.events[1].message, "Active job went missing: report-gone");
    assert!(status.active.is_empty());
}

#[test]
fn suspended_does_nothing_and_does_not_requeue() {
    let mut s = spec("0 * * * *", ConcurrencyPolicy::Allow);
    s.suspend = true;
    let mut status = CronJobStatus::default();
    let r = run(&s, &mut status, &[], "2016-05-19T10:00:00.100Z");
    assert_eq!(r.decision, Decision::Suspended);
    assert_eq!(r.requeue_after_ms, None);
    assert!(r.actions.is_empty());
}

#[test]
fn unsuspend_without_deadline_runs_the_most_recent_missed_slot_at_once() {
    let s = spec("*/5 * * * *", ConcurrencyPolicy::Allow);
    let mut status = CronJobStatus {
        last_schedule_ms: Some(ms("2016-05-19T10:00:00Z")),
        ..CronJobStatus::default()
    };
    let r = run(&s, &mut status, &[], "2016-05-19T10:42:10Z");
    assert_eq!(reasons(&r), vec!["SuccessfulCreate"]);
    assert_eq!(status.last_schedule_ms, Some(ms("2016-05-19T10:40:00Z")));
}

/// The decision and first event message of a fresh CronJob's first sync at 10:00.
fn first_sync(s: &CronJobSpec) -> (Decision, String) {
    let r = run(
        s,
        &mut CronJobStatus::default(),
        &[],
        "2016-05-19T10:00:00Z",
    );
    (r.decision, r.events[0].message.to_string())
}

#[test]
fn bad_zone_and_bad_schedule_events() {
    let mut s = spec("0 * * * *", ConcurrencyPolicy::Allow);
    s.time_zone = Some("Mars/Olympus".into());
    assert_eq!(
        first_sync(&s),
        (
            Decision::InvalidTimeZone,
            "invalid timeZone: \"Mars/Olympus\": unknown time zone Mars/Olympus".into()
        )
    );
    assert_eq!(
        first_sync(&spec("0 * * * 7", ConcurrencyPolicy::Allow)),
        (
            Decision::Unparseable,
            "unparseable schedule: \"0 * * * 7\" : end of range (7) above maximum (6): 7".into()
        )
    );
    assert_eq!(
        first_sync(&spec("0 0 30 2 *", ConcurrencyPolicy::Allow)),
        (
            Decision::InvalidSchedule,
            "invalid schedule: 0 0 30 2 * : time difference between two schedules is less than 1 second".into()
        )
    );
}

#[test]
fn tz_in_schedule_is_used_with_a_warning() {
    let mut s = spec("TZ=Asia/Tokyo 0 9 * * *", ConcurrencyPolicy::Allow);
    s.time_zone = Some("Europe/Berlin".into());
    let r = run(
        &s,
        &mut CronJobStatus::default(),
        &[],
        "2016-05-20T00:00:00.100Z",
    );
    assert_eq!(reasons(&r), vec!["UnsupportedSchedule", "SuccessfulCreate"]);
    assert!(r.events[0].message.starts_with(
        "CRON_TZ or TZ used in schedule \"TZ=Asia/Tokyo 0 9 * * *\" is not officially supported"
    ));
}

#[test]
fn miss_schedule_is_never_reached_with_a_deadline() {
    // Upstream's MissSchedule branch needs a due time older than now − deadline, but the deadline
    // already moves `earliest` past such times (and Next floors to whole seconds): a late slot is
    // skipped silently, with no event.
    let mut s = spec("0 * * * *", ConcurrencyPolicy::Allow);
    s.starting_deadline_seconds = Some(10);
    let mut status = CronJobStatus::default();
    let r = run(&s, &mut status, &[], "2016-05-19T10:00:10.500Z");
    assert_eq!(r.decision, Decision::NothingDue);
    assert!(r.events.is_empty());
}
