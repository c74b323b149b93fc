//! The CronJob controller's decisions as pure functions, function for function after Kubernetes
//! `pkg/controller/cronjob/cronjob_controllerv2.go` (`sync`, `syncCronJob`, `cleanupFinishedJobs`)
//! and `utils.go` (`mostRecentScheduleTime`, `nextScheduleTime`, `nextScheduleTimeDuration`,
//! `getJobFromTemplate2`).
//!
//! One call of [`sync`] is one pass of the controller's workqueue over one CronJob: it reads the
//! CronJob and its child Jobs at instant `now` and returns what the controller would do (delete
//! and create Jobs, record events, requeue) plus the new status. The engine glue in
//! `cronjob.rs` carries the actions out; nothing here knows about the simulator.
//!
//! Instants are Unix milliseconds.

use crate::schedule::Zone;
use crate::schedule::{self, Schedule};
use crate::sim::text::{Decimal, Text};
use crate::sim::timeline::{EventType, Reason, WallTime};
use chrono::DateTime;
use smallvec::SmallVec;

/// The controller pads every requeue by 100 ms against clock skew (`nextScheduleDelta`).
pub const NEXT_SCHEDULE_DELTA_MS: i64 = 100;
/// More missed start times than this draw the `TooManyMissedTimes` warning.
pub const MANY_MISSED_THRESHOLD: i64 = 100;
/// The annotation a CronJob puts on each Job it creates.
pub const SCHEDULED_TIMESTAMP_ANNOTATION: &str = "batch.kubernetes.io/cronjob-scheduled-timestamp";
/// Bound on the controller's scan for the most recent missed time (it is a few steps in practice).
const MAX_SCAN_STEPS: usize = 100_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConcurrencyPolicy {
    Allow,
    Forbid,
    Replace,
}

impl ConcurrencyPolicy {
    /// `spec.concurrencyPolicy` after defaulting (unset is `Allow`); `None` for a value the API
    /// server would have rejected.
    pub fn parse(value: Option<&str>) -> Option<ConcurrencyPolicy> {
        match value.unwrap_or("Allow") {
            "Allow" => Some(ConcurrencyPolicy::Allow),
            "Forbid" => Some(ConcurrencyPolicy::Forbid),
            "Replace" => Some(ConcurrencyPolicy::Replace),
            _ => None,
        }
    }
}

/// The CronJob's spec (defaulted) and identity: what the controller reads.
#[derive(Debug, Clone)]
pub struct CronJobSpec {
    pub name: String,
    pub schedule: String,
    pub time_zone: Option<String>,
    pub starting_deadline_seconds: Option<i64>,
    pub concurrency_policy: ConcurrencyPolicy,
    pub suspend: bool,
    /// Default 3.
    pub successful_jobs_history_limit: i64,
    /// Default 1.
    pub failed_jobs_history_limit: i64,
    pub creation_ms: i64,
}

/// `status` of the CronJob.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CronJobStatus {
    /// Names of the Jobs in `status.active`, in order (shared with the Jobs' records).
    pub active: Vec<Text>,
    pub last_schedule_ms: Option<i64>,
    pub last_successful_ms: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finished {
    Complete,
    Failed,
}

impl Finished {
    pub fn as_str(self) -> &'static str {
        match self {
            Finished::Complete => "Complete",
            Finished::Failed => "Failed",
        }
    }
}

/// A Job controlled by the CronJob, as the controller's lister shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildJob {
    pub name: Text,
    /// `Complete=True` or `Failed=True`, if either.
    pub finished: Option<Finished>,
    pub start_ms: Option<i64>,
    pub completion_ms: Option<i64>,
}

/// An event the controller records on the CronJob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub type_: EventType,
    pub reason: Reason,
    /// Fixed messages (`JobAlreadyActive`'s) cost nothing; the others are made for the event.
    pub message: Text,
}

/// Something the controller does to the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Delete the Job (background propagation).
    DeleteJob(Text),
    /// Create a Job from the template with this name and scheduled-timestamp annotation.
    CreateJob {
        name: Text,
        scheduled_ms: i64,
        annotation: String,
    },
}

/// What the sync concluded about the schedule (for the timeline).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    InvalidTimeZone,
    Suspended,
    Unparseable,
    InvalidSchedule,
    /// No start time is due.
    NothingDue,
    /// `scheduled + startingDeadlineSeconds < now`: too late to start.
    TooLate(i64),
    /// The due time already has its Job.
    AlreadyProcessed(i64),
    /// Forbid and a Job is still active: this start time is skipped.
    ForbidSkipped(i64),
    /// A Job was created (or adopted) for this start time.
    Created {
        scheduled_ms: i64,
        job: Text,
    },
}

/// Everything one sync does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncResult {
    pub actions: Vec<Action>,
    pub events: Vec<Event>,
    pub decision: Decision,
    /// Sync again after this long (`None`: only when something changes).
    pub requeue_after_ms: Option<i64>,
}

impl Default for SyncResult {
    fn default() -> SyncResult {
        SyncResult {
            actions: Vec::new(),
            events: Vec::new(),
            decision: Decision::NothingDue,
            requeue_after_ms: None,
        }
    }
}

/// One pass of the controller over one CronJob (`sync` = `cleanupFinishedJobs` + `syncCronJob`).
/// `children` are the Jobs it controls that exist; `controller_zone` is the zone a CronJob
/// without `timeZone` is read in (kube-controller-manager's local zone).
pub fn sync(
    spec: &CronJobSpec,
    status: &mut CronJobStatus,
    children: &[ChildJob],
    now_ms: i64,
    controller_zone: Zone,
) -> SyncResult {
    let mut out = SyncResult::default();
    sync_parsed(
        spec,
        &effective_schedule(spec),
        status,
        children,
        now_ms,
        controller_zone,
        &mut NextCache::default(),
        &mut out,
    );
    out
}

/// `sync` with the schedule already parsed by `effective_schedule` and the fire times worked out
/// by earlier passes (the simulator keeps both per CronJob instead of redoing them on every pass,
/// as the result is the same). The answer goes to `out`, whose lists are emptied first: the
/// simulator passes the same one to every pass instead of allocating them each time.
#[allow(clippy::too_many_arguments)]
pub fn sync_parsed(
    spec: &CronJobSpec,
    parsed: &Result<Schedule, String>,
    status: &mut CronJobStatus,
    children: &[ChildJob],
    now_ms: i64,
    controller_zone: Zone,
    known: &mut NextCache,
    out: &mut SyncResult,
) {
    out.actions.clear();
    out.events.clear();
    out.decision = Decision::NothingDue;
    out.requeue_after_ms = None;
    cleanup_finished_jobs(spec, status, children, out);
    reconcile_children(status, children, out);
    let clock = match parsed {
        Ok(schedule) => Ok(Clock {
            schedule,
            zone: controller_zone,
            known,
        }),
        Err(err) => Err(err.as_str()),
    };
    sync_schedule(spec, clock, status, children, now_ms, out);
}

/// `cleanupFinishedJobs`: beyond the history limits, delete the oldest finished Jobs of each kind.
fn cleanup_finished_jobs(
    spec: &CronJobSpec,
    status: &mut CronJobStatus,
    children: &[ChildJob],
    out: &mut SyncResult,
) {
    for (kind, limit) in [
        (Finished::Complete, spec.successful_jobs_history_limit),
        (Finished::Failed, spec.failed_jobs_history_limit),
    ] {
        let is_kind = |c: &&ChildJob| c.finished == Some(kind);
        // Counted first: at or under the limit (most passes) nothing needs sorting.
        let excess = children.iter().filter(is_kind).count() as i64 - limit.max(0);
        if excess <= 0 {
            continue;
        }
        // A CronJob keeps a handful of Jobs: the list lives on the stack.
        let mut finished: SmallVec<[&ChildJob; 8]> = children.iter().filter(is_kind).collect();
        // byJobStartTime: by start time, Jobs without one last, ties by name.
        crate::sort::sort_by(&mut finished, |a, b| {
            (a.start_ms.is_none(), a.start_ms, &a.name).cmp(&(
                b.start_ms.is_none(),
                b.start_ms,
                &b.name,
            ))
        });
        for job in finished.into_iter().take(excess as usize) {
            delete_job(status, &job.name, out);
        }
    }
}

/// `deleteJob`: delete, drop from `active`, `SuccessfulDelete`.
fn delete_job(status: &mut CronJobStatus, name: &Text, out: &mut SyncResult) {
    out.actions.push(Action::DeleteJob(name.clone()));
    status.active.retain(|a| a != name);
    out.events.push(normal(
        Reason::SuccessfulDelete,
        Text::concat(&["Deleted job ", name]),
    ));
}

/// The first half of `syncCronJob`: bring `status.active` and `lastSuccessfulTime` in line with
/// the Jobs that exist.
fn reconcile_children(status: &mut CronJobStatus, children: &[ChildJob], out: &mut SyncResult) {
    for child in children {
        let in_active = status.active.contains(&child.name);
        match (in_active, child.finished) {
            (false, None) => out.events.push(warning(
                Reason::UnexpectedJob,
                format!(
                    "Saw a job that the controller did not create or forgot: {}",
                    child.name
                ),
            )),
            (true, Some(finished)) => {
                status.active.retain(|a| a != &child.name);
                out.events.push(normal(
                    Reason::SawCompletedJob,
                    Text::concat(&[
                        "Saw completed job: ",
                        &child.name,
                        ", condition: ",
                        finished.as_str(),
                    ]),
                ));
            }
            // Upstream this is an `else if`: a Job just removed from `active` counts for
            // lastSuccessfulTime on the next sync.
            (false, Some(Finished::Complete)) => {
                if let Some(done) = child.completion_ms {
                    let later = status.last_successful_ms.is_none_or(|last| done > last);
                    if later {
                        status.last_successful_ms = Some(done);
                    }
                }
            }
            _ => {}
        }
    }
    let missing: Vec<Text> = status
        .active
        .iter()
        .filter(|a| !children.iter().any(|c| &c.name == *a))
        .cloned()
        .collect();
    for name in missing {
        out.events.push(normal(
            Reason::MissingJob,
            format!("Active job went missing: {name}"),
        ));
        status.active.retain(|a| a != &name);
    }
}

/// The schedule half of `syncCronJob`.
/// `clock` reads the schedule, or is the error that parsing it gave.
fn sync_schedule(
    spec: &CronJobSpec,
    clock: Result<Clock<'_>, &str>,
    status: &mut CronJobStatus,
    children: &[ChildJob],
    now_ms: i64,
    out: &mut SyncResult,
) {
    if let Some(zone) = &spec.time_zone {
        if let Err(err) = schedule::go_load_location(zone) {
            out.events.push(warning(
                Reason::UnknownTimeZone,
                format!("invalid timeZone: {}: {err}", go_quote(zone)),
            ));
            out.decision = Decision::InvalidTimeZone;
            return;
        }
    }
    if spec.suspend {
        out.decision = Decision::Suspended;
        return;
    }
    warn_if_tz_in_schedule(spec, out);
    let mut clock = match clock {
        Ok(clock) => clock,
        Err(err) => {
            out.events.push(warning(
                Reason::UnparseableSchedule,
                format!("unparseable schedule: {} : {err}", go_quote(&spec.schedule)),
            ));
            out.decision = Decision::Unparseable;
            return;
        }
    };
    let clock = &mut clock;
    let scheduled = match next_schedule_time(spec, status, now_ms, clock, out) {
        Err(err) => {
            out.events.push(warning(
                Reason::InvalidSchedule,
                format!("invalid schedule: {} : {err}", spec.schedule),
            ));
            out.decision = Decision::InvalidSchedule;
            return;
        }
        Ok(None) => {
            out.requeue_after_ms = requeue_after(spec, status, now_ms, clock);
            return;
        }
        Ok(Some(t)) => t,
    };
    if let Some(deadline) = spec.starting_deadline_seconds {
        if scheduled + deadline * 1000 < now_ms {
            out.events.push(warning(
                Reason::MissSchedule,
                format!(
                    "Missed scheduled time to start a job: {}",
                    rfc1123z_utc(scheduled)
                ),
            ));
            out.decision = Decision::TooLate(scheduled);
            out.requeue_after_ms = requeue_after(spec, status, now_ms, clock);
            return;
        }
    }
    // Most passes find the start time already handled: that is decided without making the name.
    let named = |name: &Text| is_job_name(name, &spec.name, scheduled);
    if status.active.iter().any(named) || status.last_schedule_ms == Some(scheduled) {
        out.decision = Decision::AlreadyProcessed(scheduled);
        out.requeue_after_ms = requeue_after(spec, status, now_ms, clock);
        return;
    }
    if spec.concurrency_policy == ConcurrencyPolicy::Forbid && !status.active.is_empty() {
        out.events.push(normal(
            Reason::JobAlreadyActive,
            "Not starting job because prior execution is running and concurrency policy is Forbid",
        ));
        out.decision = Decision::ForbidSkipped(scheduled);
        out.requeue_after_ms = requeue_after(spec, status, now_ms, clock);
        return;
    }
    if spec.concurrency_policy == ConcurrencyPolicy::Replace {
        for name in status.active.clone() {
            delete_job(status, &name, out);
        }
    }
    // Shared text: the name goes to the action, `active`, the decision and the Job's records.
    let job_name = job_name(&spec.name, scheduled);
    if children.iter().any(|c| c.name == job_name) {
        // AlreadyExists: a Job of ours with this name that `active` forgot is adopted silently.
        if status.active.contains(&job_name) {
            return;
        }
    } else {
        out.actions.push(Action::CreateJob {
            name: job_name.clone(),
            scheduled_ms: scheduled,
            annotation: scheduled_timestamp(scheduled, spec.time_zone.as_deref()),
        });
        out.events.push(normal(
            Reason::SuccessfulCreate,
            Text::concat(&["Created job ", &job_name]),
        ));
    }
    status.active.push(job_name.clone());
    status.last_schedule_ms = Some(scheduled);
    out.decision = Decision::Created {
        scheduled_ms: scheduled,
        job: job_name,
    };
    out.requeue_after_ms = requeue_after(spec, status, now_ms, clock);
}

/// `formatSchedule`'s `UnsupportedSchedule` warning when the schedule mentions `TZ`.
fn warn_if_tz_in_schedule(spec: &CronJobSpec, out: &mut SyncResult) {
    if schedule::mentions_tz(&spec.schedule) {
        out.events.push(warning(
            Reason::UnsupportedSchedule,
            format!(
                "CRON_TZ or TZ used in schedule {} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details",
                go_quote(&spec.schedule)
            ),
        ));
    }
}

/// The schedule as the controller parses it: `timeZone` becomes a `TZ=` prefix, unless the
/// schedule mentions `TZ` itself (then `timeZone` is ignored) or the zone does not load.
pub fn effective_schedule(spec: &CronJobSpec) -> Result<Schedule, String> {
    match &spec.time_zone {
        Some(zone)
            if !schedule::mentions_tz(&spec.schedule)
                && schedule::go_load_location(zone).is_ok() =>
        {
            schedule::parse(&format!("TZ={zone} {}", spec.schedule))
        }
        _ => schedule::parse(&spec.schedule),
    }
}

/// A schedule, the zone a schedule without its own zone is read in, and the fire times already
/// worked out.
pub struct Clock<'a> {
    pub schedule: &'a Schedule,
    pub zone: Zone,
    pub known: &'a mut NextCache,
}

impl Clock<'_> {
    /// robfig `Next` on milliseconds; `None` is Go's zero time.
    pub fn next(&mut self, after_ms: i64) -> Option<i64> {
        if let Some(answer) = self.known.get(after_ms, self.zone) {
            return answer;
        }
        // robfig drops the sub-second part first.
        let answer = self
            .schedule
            .next_after_unix(after_ms.div_euclid(1000), self.zone)
            .map(|t| t * 1000);
        self.known.put(after_ms, self.zone, answer);
        answer
    }
}

/// How many answers a `NextCache` keeps.
const NEXT_CACHE_SIZE: usize = 8;

/// The last few fire times of one schedule that were asked for, by the instant they follow and
/// the zone they were read in. A sync asks for the same few several times
/// (`mostRecentScheduleTime` runs for the decision and again for the requeue), the next sync asks
/// again, and so does the timeline's list of start times; walking the calendar
/// (`schedule::next`) is the costly part of a sync, so the simulator keeps one of these per
/// CronJob. An answer never goes stale: a CronJob's schedule does not change, and the zone is
/// part of the key.
#[derive(Debug, Clone, Default)]
pub struct NextCache {
    answers: [Option<(i64, Zone, Option<i64>)>; NEXT_CACHE_SIZE],
    /// The slot the next new answer goes to (the oldest one is replaced).
    oldest: usize,
}

impl NextCache {
    fn get(&self, after_ms: i64, zone: Zone) -> Option<Option<i64>> {
        self.answers
            .iter()
            .flatten()
            .find(|(after, z, _)| *after == after_ms && *z == zone)
            .map(|&(_, _, next)| next)
    }

    fn put(&mut self, after_ms: i64, zone: Zone, next: Option<i64>) {
        self.answers[self.oldest] = Some((after_ms, zone, next));
        self.oldest = (self.oldest + 1) % NEXT_CACHE_SIZE;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missed {
    None,
    Few,
    Many,
}

/// `mostRecentScheduleTime`'s answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MostRecent {
    pub earliest_ms: i64,
    pub most_recent_ms: Option<i64>,
    pub missed: Missed,
    pub error: Option<String>,
}

/// `mostRecentScheduleTime`: the latest start time at or before `now` after the last scheduled
/// time (or creation, or `now − startingDeadlineSeconds`), estimated the controller's way — from
/// the gap between the next two start times, which for irregular schedules can miss slots.
pub fn most_recent_schedule_time(
    spec: &CronJobSpec,
    status: &CronJobStatus,
    now_ms: i64,
    clock: &mut Clock<'_>,
    include_starting_deadline: bool,
) -> MostRecent {
    let mut earliest = status.last_schedule_ms.unwrap_or(spec.creation_ms);
    if let (true, Some(deadline)) = (include_starting_deadline, spec.starting_deadline_seconds) {
        earliest = earliest.max(now_ms - deadline * 1000);
    }
    let answer = |most_recent_ms, missed, error: Option<&str>| MostRecent {
        earliest_ms: earliest,
        most_recent_ms,
        missed,
        error: error.map(str::to_string),
    };
    let too_close = "time difference between two schedules is less than 1 second";
    let Some(t1) = clock.next(earliest) else {
        return answer(None, Missed::None, Some(too_close));
    };
    if now_ms < t1 {
        return answer(None, Missed::None, None);
    }
    let Some(t2) = clock.next(t1) else {
        return answer(None, Missed::None, Some(too_close));
    };
    if now_ms < t2 {
        return answer(Some(t1), Missed::None, None);
    }
    let between_seconds = (t2 - t1 + 500).div_euclid(1000);
    if between_seconds < 1 {
        return answer(None, Missed::None, Some(too_close));
    }
    let elapsed_seconds = (now_ms - t1) / 1000;
    let missed_count = elapsed_seconds / between_seconds + 1;
    let potential_earliest = t1 + (missed_count - 2) * between_seconds * 1000;
    let mut most_recent = None;
    let mut t = clock.next(potential_earliest);
    for _ in 0..MAX_SCAN_STEPS {
        match t {
            Some(candidate) if candidate <= now_ms => {
                most_recent = Some(candidate);
                t = clock.next(candidate);
            }
            _ => break,
        }
    }
    let missed = if missed_count > MANY_MISSED_THRESHOLD {
        Missed::Many
    } else {
        Missed::Few
    };
    answer(most_recent, missed, None)
}

/// `nextScheduleTime`: the start time to act on now, with `TooManyMissedTimes` when there were
/// more than 100 missed (the most recent one is still started).
fn next_schedule_time(
    spec: &CronJobSpec,
    status: &CronJobStatus,
    now_ms: i64,
    clock: &mut Clock<'_>,
    out: &mut SyncResult,
) -> Result<Option<i64>, String> {
    let found = most_recent_schedule_time(spec, status, now_ms, clock, true);
    let Some(most_recent) = found.most_recent_ms.filter(|t| *t <= now_ms) else {
        return match found.error {
            Some(err) => Err(err),
            None => Ok(None),
        };
    };
    if found.missed == Missed::Many {
        out.events.push(warning(
            Reason::TooManyMissedTimes,
            "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew"
                .to_string(),
        ));
    }
    match found.error {
        Some(err) => Err(err),
        None => Ok(Some(most_recent)),
    }
}

/// `nextScheduleTimeDuration`: when to look again — the next start time after the most recent
/// one, plus 100 ms.
pub fn requeue_after(
    spec: &CronJobSpec,
    status: &CronJobStatus,
    now_ms: i64,
    clock: &mut Clock<'_>,
) -> Option<i64> {
    let found = most_recent_schedule_time(spec, status, now_ms, clock, false);
    let base = match (&found.error, found.most_recent_ms, found.missed) {
        (Some(_), _, _) => now_ms,
        (None, Some(t), _) => t,
        (None, None, Missed::None) => found.earliest_ms,
        (None, None, _) => now_ms,
    };
    clock
        .next(base)
        .map(|next| next + NEXT_SCHEDULE_DELTA_MS - now_ms)
}

/// `getJobName`: the CronJob's name and the scheduled time in minutes since the epoch.
pub fn job_name(cron_job: &str, scheduled_ms: i64) -> Text {
    Text::concat(&[cron_job, "-", job_name_minutes(scheduled_ms).as_str()])
}

/// The number in a Job's name: its scheduled time in minutes since the epoch.
fn job_name_minutes(scheduled_ms: i64) -> Decimal {
    Decimal::new(scheduled_ms.div_euclid(1000) / 60)
}

/// Whether `name` is `job_name(cron_job, scheduled_ms)`, without allocating that name.
fn is_job_name(name: &str, cron_job: &str, scheduled_ms: i64) -> bool {
    name.strip_prefix(cron_job)
        .and_then(|rest| rest.strip_prefix('-'))
        .is_some_and(|number| number == job_name_minutes(scheduled_ms).as_str())
}

/// The `batch.kubernetes.io/cronjob-scheduled-timestamp` value: the scheduled time in the
/// CronJob's `timeZone` (UTC without one), RFC 3339 as Go prints it.
pub fn scheduled_timestamp(scheduled_ms: i64, time_zone: Option<&str>) -> String {
    let zone = time_zone
        .and_then(|z| schedule::go_load_location(z).ok().flatten())
        .unwrap_or(Zone::UTC);
    WallTime::in_zone(scheduled_ms, zone).rfc3339()
}

/// Go's `time.RFC1123Z` in UTC: `Mon, 02 Jan 2006 15:04:05 +0000`.
fn rfc1123z_utc(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%a, %d %b %Y %H:%M:%S +0000").to_string())
        .unwrap_or_default()
}

/// Go's `%q`.
fn go_quote(text: &str) -> String {
    schedule::go_quote(text)
}

fn normal(reason: Reason, message: impl Into<Text>) -> Event {
    Event {
        type_: EventType::Normal,
        reason,
        message: message.into(),
    }
}

fn warning(reason: Reason, message: impl Into<Text>) -> Event {
    Event {
        type_: EventType::Warning,
        reason,
        message: message.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::{is_job_name, job_name};

    #[test]
    fn a_name_is_recognised_exactly_when_job_name_would_make_it() {
        let names = [
            "hourly-0",
            "hourly-27",
            "hourly--27",
            "hourly-027",
            "hourly-+27",
            "hourly-",
            "hourly",
            "hourly-27x",
            "daily-27",
            "hourly--0",
        ];
        for scheduled_ms in [
            0,
            27 * 60_000,
            27 * 60_000 + 59_999,
            -27 * 60_000,
            1_620_000_000_000,
        ] {
            for name in names
                .into_iter()
                .chain([job_name("hourly", scheduled_ms).as_str()])
            {
                assert_eq!(
                    is_job_name(name, "hourly", scheduled_ms),
                    name == job_name("hourly", scheduled_ms),
                    "{name} at {scheduled_ms}"
                );
            }
        }
    }
}
