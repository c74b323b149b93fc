//! The CronJob controller in the simulator: it plugs into the engine as a [`Controller`] and runs
//! on the same virtual clock as the Job controller.
//!
//! The decisions are in `sync` (pure functions after upstream `cronjob_controllerv2.go`); this file
//! does what the real controller's surroundings do:
//!
//! - the workqueue: a sync when the CronJob appears (t = 0), when a requeue delay runs out (the
//!   controller's `Next + 100 ms`), when one of its Jobs finishes or is deleted, and when the
//!   CronJob's spec changes (scenario `suspend`/`resume` naming the CronJob). Like client-go's
//!   delaying queue, only the earliest pending requeue per CronJob is kept.
//! - kube-controller-manager being down (scenario `controllerDown`): no syncs until it is back,
//!   then one sync of every CronJob (the informers' relist).
//! - the controller's own zone (`controllerTimeZone` fault; UTC at the start), used by CronJobs
//!   without `spec.timeZone`.
//! - the API: creating Jobs from the template, deleting Jobs, recording events.
//!
//! For the timeline it keeps a [`CronJobRecord`] per CronJob: every start time of the schedule up
//! to the horizon as fired, skipped (and why) or missed, the status after each change, and the
//! DST nights that skip or double a run.
//!
//! Simplification: the real controller also re-syncs on every status update of a child Job (pod
//! started, ready...), which can repeat `JobAlreadyActive` for the same start time; here a child
//! Job only triggers a sync when it finishes or is deleted.

#[cfg(test)]
mod sim_tests;
pub mod sync;
#[cfg(test)]
mod sync_tests;

use super::engine::Sim;
use super::job_controller::CronJobParent;
use super::text::Decimal;
use super::timeline::{EventObject, EventSource, Text, Time, WallTime};
use super::units::Ms;
use super::{Controller, Scenario, SimInput};
use crate::model;
use crate::schedule::Zone;
use crate::schedule::{self, Schedule};
use chrono::DateTime;
use serde::Serialize;
use smallvec::SmallVec;
use std::sync::Arc;
use sync::{
    ChildJob, Clock, ConcurrencyPolicy, CronJobSpec, CronJobStatus, Decision, Finished, NextCache,
};

/// Most start times one CronJob's record lists (a bound for very long runs).
const MAX_SLOTS: usize = 500_000;

/// One CronJob's life, for the timeline.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CronJobRecord {
    pub name: String,
    pub schedule: String,
    pub time_zone: Option<String>,
    /// The schedule in plain words, in the zone it is read in.
    pub description: String,
    pub concurrency_policy: String,
    /// `spec.suspend` as created (later changes are in `status`).
    pub suspend: bool,
    /// Every start time of the schedule from creation to the end of the run, in order.
    pub slots: Vec<SlotRecord>,
    /// The status after each change.
    pub status: Vec<CronJobSnapshot>,
    /// DST nights in the run that skip or double a run.
    pub dst_nights: Vec<String>,
    /// Things the learner should know (the controller's zone changed, the slot list was cut...).
    pub notes: Vec<String>,
    /// The rest of the object as the API server stored it, for `kubectl describe cronjob`.
    #[serde(skip)]
    pub object: CronJobObject,
}

/// What `kubectl describe cronjob` shows of the CronJob beyond its record: its metadata, and its
/// spec with the API server's defaults (history limits 3 and 1).
#[derive(Debug, Clone, Default)]
pub struct CronJobObject {
    pub namespace: String,
    pub labels: model::StringMap,
    pub annotations: model::StringMap,
    pub successful_jobs_history_limit: i64,
    pub failed_jobs_history_limit: i64,
    pub starting_deadline_seconds: Option<i64>,
    /// `spec.jobTemplate.spec`, shared with the Jobs made from it.
    pub job_template: Arc<model::JobSpec>,
}

/// What became of one start time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SlotRecord {
    /// The start time, shown in the zone the schedule is read in.
    pub scheduled: WallTime,
    /// The same instant on the simulation clock.
    pub at: Time,
    /// `fired`, `skipped`, `missed`, or `pending` (the run ended before the controller got to it).
    pub outcome: &'static str,
    /// Why (empty for a Job started on time).
    pub reason: Text,
    /// The Job created for it.
    pub job: Option<Text>,
    /// When that Job was created.
    pub created_at: Option<Time>,
}

/// `status` of the CronJob from `at` on (and `spec.suspend`, which a scenario fault can flip).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CronJobSnapshot {
    pub at: Time,
    pub suspend: bool,
    /// Held in the snapshot itself for the usual one Job (see `timeline`).
    pub active: SmallVec<[Text; 1]>,
    pub last_schedule_time: Option<WallTime>,
    pub last_successful_time: Option<WallTime>,
}

/// Timer tokens: the kind in the low bits, then an index, then a generation.
const KIND_REQUEUE: u64 = 0;
const KIND_NOW: u64 = 1;
const KIND_FAULT: u64 = 2;
const KIND_FINISH: u64 = 3;

fn token(kind: u64, index: usize, generation: u64) -> u64 {
    kind | ((index as u64) << 2) | (generation << 24)
}

fn untoken(token: u64) -> (u64, usize, u64) {
    (token & 3, ((token >> 2) & 0x3f_ffff) as usize, token >> 24)
}

/// One CronJob as the controller tracks it.
struct Tracked {
    spec: CronJobSpec,
    /// `spec.name`, shared by its events and its Jobs' records.
    name: Text,
    /// `sync::effective_schedule(&spec)`, parsed once (suspend/resume do not change it).
    parsed: Result<Schedule, String>,
    /// Fire times of `parsed` already worked out.
    known: NextCache,
    /// `None` when `concurrencyPolicy` has a value the API server would have rejected.
    valid: bool,
    status: CronJobStatus,
    /// `jobTemplate`: the metadata each Job starts from, and the spec every Job shares.
    job_metadata: model::ObjectMeta,
    job_spec: Arc<model::JobSpec>,
    /// `metadata.namespace` (defaulted), shared by its Jobs.
    namespace: Text,
    /// What `kubectl describe cronjob` shows beyond the record, copied into it.
    object: CronJobObject,
    /// Its Jobs that still exist, by name (engine Job index).
    /// In name order, as a map would keep them: a handful, so a sorted list.
    children: Vec<(Text, usize)>,
    /// The same Jobs as the controller's lister shows them, refreshed before each sync (kept
    /// between syncs so that their names are not copied again every time).
    listed: Vec<ChildJob>,
    /// The earliest pending requeue and its generation.
    requeue: Option<(Ms, u64)>,
    generation: u64,
    /// A sync is already queued for this instant.
    sync_now_at: Option<Ms>,
    /// Start times up to this instant (Unix ms) are in the record.
    recorded_until: i64,
    /// The last start time in the record and the zone it was read in: the next one is worked
    /// out from it (the schedule's own chain), not from `recorded_until`, which no fire time
    /// lookup has seen before.
    last_slot: Option<(i64, Zone)>,
    /// Suspended periods (Unix ms; open end = still suspended).
    suspended: Vec<(i64, Option<i64>)>,
    record: usize,
}

/// The CronJob controller (see the module documentation).
pub struct CronJobController {
    me: usize,
    tracked: Vec<Tracked>,
    /// Which CronJob owns each engine Job (by Job index; `None` for Jobs of the manifest).
    owner_of: Vec<Option<usize>>,
    controller_zone: Zone,
    /// kube-controller-manager outages (Unix ms), from the scenario.
    down: Vec<(i64, i64)>,
    /// The last sync's result, kept so that the next one reuses its lists.
    last_sync: sync::SyncResult,
}

impl CronJobController {
    pub fn new(input: &SimInput, scenario: &Scenario) -> CronJobController {
        let start = scenario.start_unix_ms();
        let down = scenario
            .faults
            .iter()
            .filter_map(|f| {
                let d = f.controller_down.as_ref()?;
                let from = start + f.at.0 as i64;
                Some((from, from + d.for_.0 as i64))
            })
            .collect();
        let tracked = input
            .cron_jobs
            .iter()
            .enumerate()
            .map(|(i, cj)| track(cj, start, i))
            .collect();
        CronJobController {
            me: 0,
            tracked,
            owner_of: Vec::new(),
            controller_zone: Zone::UTC,
            down,
            last_sync: sync::SyncResult::default(),
        }
    }

    fn wall(sim: &Sim<'_>) -> i64 {
        sim.tl.start_unix_ms + sim.now as i64
    }

    /// Queue a sync of CronJob `c` at `at` (an informer event or a relist).
    fn sync_at(&mut self, sim: &mut Sim<'_>, c: usize, at: Ms) {
        let t = &mut self.tracked[c];
        if t.sync_now_at == Some(at) {
            return;
        }
        t.sync_now_at = Some(at);
        sim.at(at, super::Ev::Timer(self.me, token(KIND_NOW, c, 0)));
    }

    /// `AddAfter`: keep only the earliest pending requeue.
    fn requeue_at(&mut self, sim: &mut Sim<'_>, c: usize, at: Ms) {
        let t = &mut self.tracked[c];
        if t.requeue.is_some_and(|(pending, _)| pending <= at) {
            return;
        }
        t.generation += 1;
        t.requeue = Some((at, t.generation));
        sim.at(
            at,
            super::Ev::Timer(self.me, token(KIND_REQUEUE, c, t.generation)),
        );
    }

    fn run_sync(&mut self, sim: &mut Sim<'_>, c: usize) {
        if let Some(until) = sim.controller_down_until.filter(|u| sim.now < *u) {
            // Down: the relist when it is back syncs every CronJob.
            self.sync_at(sim, c, until);
            return;
        }
        if !self.tracked[c].valid {
            return;
        }
        let now = Self::wall(sim);
        self.list_children(sim, c);
        let zone = self.controller_zone;
        let t = &mut self.tracked[c];
        let mut result = std::mem::take(&mut self.last_sync);
        sync::sync_parsed(
            &t.spec,
            &t.parsed,
            &mut t.status,
            &t.listed,
            now,
            zone,
            &mut t.known,
            &mut result,
        );
        for action in result.actions.drain(..) {
            self.act(sim, c, action);
        }
        for e in result.events.drain(..) {
            let name = self.tracked[c].name.clone();
            sim.event(
                EventObject::CronJob,
                name,
                e.type_,
                e.reason,
                e.message,
                EventSource::CronJobController,
            );
        }
        self.record_slots(sim, c, &result.decision, now);
        self.snapshot_if_changed(sim, c);
        if let Some(after) = result.requeue_after_ms {
            let at = sim.now.saturating_add(after.max(0) as Ms);
            self.requeue_at(sim, c, at);
        }
        self.last_sync = result;
    }

    /// Refreshes `listed`: the CronJob's Jobs that still exist, as its lister shows them.
    fn list_children(&mut self, sim: &Sim<'_>, c: usize) {
        let start = sim.tl.start_unix_ms;
        let t = &mut self.tracked[c];
        t.children.retain(|(_, j)| !sim.jobs[*j].deleted);
        t.listed.truncate(t.children.len());
        for (i, (name, j)) in t.children.iter().enumerate() {
            let status = &sim.jobs[*j].status;
            let is = |kind: &str| status.condition(kind).is_some();
            let finished = if is("Complete") {
                Some(Finished::Complete)
            } else if is("Failed") {
                Some(Finished::Failed)
            } else {
                None
            };
            let start_ms = status.start_time.map(|s| start + s as i64);
            let completion_ms = status.completion_time.map(|s| start + s as i64);
            match t.listed.get_mut(i) {
                Some(child) => {
                    // Usually the same Job as at the last sync: a clone of the same text, which
                    // compares equal by its pointer.
                    if child.name != *name {
                        child.name.clone_from(name);
                    }
                    child.finished = finished;
                    child.start_ms = start_ms;
                    child.completion_ms = completion_ms;
                }
                None => t.listed.push(ChildJob {
                    name: name.clone(),
                    finished,
                    start_ms,
                    completion_ms,
                }),
            }
        }
    }

    fn act(&mut self, sim: &mut Sim<'_>, c: usize, action: sync::Action) {
        match action {
            sync::Action::DeleteJob(name) => {
                let children = &mut self.tracked[c].children;
                if let Ok(at) = children.binary_search_by(|(n, _)| n.cmp(&name)) {
                    let (_, j) = children.remove(at);
                    if !sim.jobs[j].deleted {
                        sim.delete_job(j);
                    }
                }
            }
            sync::Action::CreateJob {
                name, annotation, ..
            } => {
                let t = &self.tracked[c];
                // The name and namespace come with the parent; `create_job` reads only the
                // labels and annotations of the template's metadata.
                let parent = CronJobParent {
                    name: &t.name,
                    job_name: name.clone(),
                    namespace: t.namespace.clone(),
                    scheduled_timestamp: annotation,
                };
                let j = sim.create_job(&t.job_metadata, t.job_spec.clone(), Some(parent));
                let children = &mut self.tracked[c].children;
                match children.binary_search_by(|(n, _)| n.cmp(&name)) {
                    Ok(at) => children[at].1 = j,
                    Err(at) => children.insert(at, (name, j)),
                }
                if self.owner_of.len() <= j {
                    self.owner_of.resize(j + 1, None);
                }
                self.owner_of[j] = Some(c);
            }
        }
    }

    /// Adds the start times up to `now` to the record and classifies them (see `classify`).
    fn record_slots(&mut self, sim: &mut Sim<'_>, c: usize, decision: &Decision, now: i64) {
        let start = sim.tl.start_unix_ms;
        let zone = self.controller_zone;
        let down = &self.down;
        let t = &mut self.tracked[c];
        let Ok(sched) = &t.parsed else {
            return;
        };
        let shown_zone = sched.prefix_zone().unwrap_or(zone);
        let from = t.recorded_until;
        if now > from {
            t.recorded_until = now;
            // The sync just asked for these fire times: the CronJob's cache has most of them.
            let mut known = std::mem::take(&mut t.known);
            let mut clock = Clock {
                schedule: sched,
                zone,
                known: &mut known,
            };
            let mut after = match t.last_slot {
                Some((slot, slot_zone)) if slot_zone == zone => slot,
                _ => from,
            };
            while let Some(slot_ms) = clock.next(after) {
                after = slot_ms;
                let rec = &mut sim.tl.cron_jobs[t.record];
                if slot_ms > now || rec.slots.len() >= MAX_SLOTS {
                    break;
                }
                let (outcome, reason) = classify(t, down, decision, slot_ms, now);
                rec.slots.push(SlotRecord {
                    scheduled: WallTime::in_zone(slot_ms, shown_zone),
                    at: Time((slot_ms - start).max(0) as Ms),
                    outcome,
                    reason,
                    job: None,
                    created_at: None,
                });
                t.last_slot = Some((slot_ms, zone));
            }
            t.known = known;
        }
        if let Decision::Created { scheduled_ms, job } = decision {
            // Slots are recorded in time order and the one a Job is created for is nearly always
            // among the last few, so the search goes backwards from the end (a binary search
            // over a month of slots misses the cache at every step).
            let slots = &mut sim.tl.cron_jobs[t.record].slots;
            let at = Time((scheduled_ms - start).max(0) as Ms);
            let found = slots.iter_mut().rev().find(|s| s.at <= at);
            if let Some(slot) = found.filter(|s| s.at == at) {
                let late_s = (now - scheduled_ms) / 1000;
                if late_s >= 1 {
                    let late = Decimal::new(late_s);
                    let reason = if slot.outcome != "fired" && !slot.reason.is_empty() {
                        Text::concat(&["started ", late.as_str(), "s late (", &slot.reason, ")"])
                    } else {
                        Text::concat(&["started ", late.as_str(), "s late"])
                    };
                    slot.reason = reason;
                }
                slot.outcome = "fired";
                slot.job = Some(job.clone());
                slot.created_at = Some(Time(sim.now));
            }
        }
    }

    /// Adds a status snapshot to the record if the status differs from the last one.
    fn snapshot_if_changed(&mut self, sim: &mut Sim<'_>, c: usize) {
        let t = &self.tracked[c];
        let last = sim.tl.cron_jobs[t.record].status.last();
        let times = [t.status.last_schedule_ms, t.status.last_successful_ms];
        let recorded = last.map_or([None, None], |s| {
            [s.last_schedule_time, s.last_successful_time].map(|w| w.map(|w| w.unix_ms))
        });
        let same_active = last.map_or(t.status.active.is_empty(), |s| {
            s.active[..] == t.status.active[..]
        });
        if !same_active || recorded != times {
            self.snapshot(sim, c);
        }
    }

    /// Adds a snapshot of the status (and `spec.suspend`) to the record.
    fn snapshot(&mut self, sim: &mut Sim<'_>, c: usize) {
        let t = &self.tracked[c];
        sim.tl.cron_jobs[t.record].status.push(CronJobSnapshot {
            at: Time(sim.now),
            suspend: t.spec.suspend,
            active: t.status.active.iter().cloned().collect(),
            last_schedule_time: t.status.last_schedule_ms.map(WallTime::utc),
            last_successful_time: t.status.last_successful_ms.map(WallTime::utc),
        });
    }

    /// A scenario fault at its instant: suspend/resume of a CronJob, or a new controller zone.
    fn on_fault(&mut self, sim: &mut Sim<'_>, index: usize) {
        let Some(fault) = sim.scenario.faults.get(index).cloned() else {
            return;
        };
        let now = Self::wall(sim);
        for (name, suspend) in [(&fault.suspend, true), (&fault.resume, false)] {
            let Some(c) = name
                .as_ref()
                .and_then(|n| self.tracked.iter().position(|t| &t.spec.name == n))
            else {
                continue;
            };
            let t = &mut self.tracked[c];
            if t.spec.suspend == suspend {
                continue;
            }
            t.spec.suspend = suspend;
            if suspend {
                t.suspended.push((now, None));
            } else if let Some(last) = t.suspended.last_mut() {
                last.1 = Some(now);
            }
            self.snapshot(sim, c);
            self.sync_at(sim, c, sim.now);
        }
        if let Some(zone_name) = &fault.controller_time_zone {
            let Ok(zone) = schedule::parse_time_zone(zone_name) else {
                return;
            };
            self.controller_zone = zone;
            // A new zone means a restarted kube-controller-manager: it relists every CronJob.
            for c in 0..self.tracked.len() {
                let t = &self.tracked[c];
                if t.spec.time_zone.is_none() {
                    let note = format!(
                        "at {} the controller's time zone became {zone_name}: the schedule is read in it from then on",
                        WallTime::utc(now)
                    );
                    sim.tl.cron_jobs[t.record].notes.push(note);
                }
                self.sync_at(sim, c, sim.now);
            }
        }
    }

    /// About how many start times the schedule has from `from` to `to` (Unix ms): room for the
    /// records is made for that many. The first `SAMPLE` fire times are counted (exact for
    /// shorter runs); past them the rate they show is carried to `to`. The gap between the first
    /// two would overestimate irregular schedules: `* 1 * * *` fires 60 times a day, not 1 440.
    fn expected_start_times(&mut self, c: usize, from: i64, to: i64) -> usize {
        const SAMPLE: usize = 2_000;
        let t = &mut self.tracked[c];
        let Ok(schedule) = &t.parsed else {
            return 0;
        };
        let mut clock = Clock {
            schedule,
            zone: self.controller_zone,
            known: &mut t.known,
        };
        let mut count = 0;
        let mut after = from;
        while let Some(next) = clock.next(after).filter(|&next| next <= to) {
            count += 1;
            after = next;
            if count == SAMPLE {
                let rate = count as f64 / (after - from).max(1) as f64;
                let expected = rate * (to - from) as f64;
                return (expected.ceil() as usize).min(MAX_SLOTS);
            }
        }
        count
    }

    /// At the horizon: list the start times nobody looked at yet.
    fn finish(&mut self, sim: &mut Sim<'_>) {
        let now = Self::wall(sim);
        for c in 0..self.tracked.len() {
            if self.tracked[c].valid {
                self.record_slots(sim, c, &Decision::NothingDue, now);
            }
        }
    }
}

/// Why a start time passed without a Job (or that it got one), judged when it is first recorded.
fn classify(
    t: &Tracked,
    down: &[(i64, i64)],
    decision: &Decision,
    slot: i64,
    now: i64,
) -> (&'static str, Text) {
    match decision {
        Decision::Created { scheduled_ms, .. } if *scheduled_ms == slot => {
            return ("fired", Text::default())
        }
        Decision::ForbidSkipped(s) if *s == slot => {
            let active = match t.status.active.as_slice() {
                [one] => std::borrow::Cow::Borrowed(one.as_str()),
                many => many.join(", ").into(),
            };
            let why = [
                "concurrencyPolicy Forbid: ",
                &active,
                " still running (JobAlreadyActive)",
            ];
            return ("skipped", Text::concat(&why));
        }
        Decision::TooLate(s) if *s == slot => {
            return ("missed", "too late to start (MissSchedule)".into())
        }
        _ => {}
    }
    if t.suspended
        .iter()
        .any(|(from, to)| slot >= *from && to.is_none_or(|to| slot < to))
    {
        return ("skipped", "the CronJob was suspended".into());
    }
    if down.iter().any(|(from, to)| slot >= *from && slot < *to) {
        return (
            "missed",
            "kube-controller-manager was down at this time".into(),
        );
    }
    if let Some(deadline) = t.spec.starting_deadline_seconds {
        if slot + deadline * 1000 < now {
            return (
                "missed",
                format!(
                    "older than startingDeadlineSeconds ({deadline}s) when the controller looked"
                )
                .into(),
            );
        }
    }
    match decision {
        Decision::Created { .. } | Decision::ForbidSkipped(_) | Decision::AlreadyProcessed(_) => (
            "missed",
            "superseded: after missed start times only the most recent one runs".into(),
        ),
        Decision::NothingDue if now - slot > sync::NEXT_SCHEDULE_DELTA_MS => (
            "missed",
            "not run: the controller's missed-time estimate passed over it".into(),
        ),
        _ => (
            "pending",
            "the simulation ended before the controller handled it".into(),
        ),
    }
}

fn track(cj: &model::CronJob, start_ms: i64, index: usize) -> Tracked {
    let s = &cj.spec;
    let policy = sync::ConcurrencyPolicy::parse(s.concurrency_policy.as_deref());
    let spec = CronJobSpec {
        name: cj
            .metadata
            .name
            .clone()
            .unwrap_or_else(|| format!("cronjob-{index}")),
        schedule: s.schedule.clone(),
        time_zone: s.time_zone.clone(),
        starting_deadline_seconds: s.starting_deadline_seconds,
        concurrency_policy: policy.unwrap_or(ConcurrencyPolicy::Allow),
        suspend: s.suspend.unwrap_or(false),
        successful_jobs_history_limit: s.successful_jobs_history_limit.unwrap_or(3),
        failed_jobs_history_limit: s.failed_jobs_history_limit.unwrap_or(1),
        creation_ms: start_ms,
    };
    let suspended = if spec.suspend {
        vec![(start_ms, None)]
    } else {
        Vec::new()
    };
    let namespace = super::engine::namespace_of(&cj.metadata);
    let job_spec = Arc::new(s.job_template.spec.clone());
    let object = CronJobObject {
        namespace: namespace.to_string(),
        labels: cj.metadata.labels.clone(),
        annotations: cj.metadata.annotations.clone(),
        successful_jobs_history_limit: spec.successful_jobs_history_limit,
        failed_jobs_history_limit: spec.failed_jobs_history_limit,
        starting_deadline_seconds: spec.starting_deadline_seconds,
        job_template: job_spec.clone(),
    };
    Tracked {
        name: Text::new(&spec.name),
        parsed: sync::effective_schedule(&spec),
        known: NextCache::default(),
        spec,
        valid: policy.is_some(),
        status: CronJobStatus::default(),
        job_metadata: s.job_template.metadata.clone(),
        job_spec,
        namespace,
        object,
        children: Vec::new(),
        listed: Vec::new(),
        requeue: None,
        generation: 0,
        sync_now_at: None,
        recorded_until: start_ms,
        last_slot: None,
        suspended,
        record: index,
    }
}

fn new_record(t: &Tracked, zone: Zone, from_ms: i64, to_ms: i64) -> CronJobRecord {
    let (description, dst_nights) = match &t.parsed {
        Ok(s) => {
            let from = DateTime::from_timestamp_millis(from_ms).unwrap_or_default();
            let to = DateTime::from_timestamp_millis(to_ms).unwrap_or_default();
            let nights = schedule::dst_notes(s, zone, from, to)
                .into_iter()
                .map(|n| n.message)
                .collect();
            (s.describe(zone), nights)
        }
        Err(_) => (String::new(), Vec::new()),
    };
    let policy = match t.spec.concurrency_policy {
        ConcurrencyPolicy::Allow => "Allow",
        ConcurrencyPolicy::Forbid => "Forbid",
        ConcurrencyPolicy::Replace => "Replace",
    };
    CronJobRecord {
        name: t.spec.name.clone(),
        schedule: t.spec.schedule.clone(),
        time_zone: t.spec.time_zone.clone(),
        description,
        concurrency_policy: policy.to_string(),
        suspend: t.spec.suspend,
        dst_nights,
        object: t.object.clone(),
        ..CronJobRecord::default()
    }
}

impl Controller for CronJobController {
    fn start(&mut self, sim: &mut Sim<'_>, me: usize) {
        self.me = me;
        let start = sim.tl.start_unix_ms;
        let end = start + sim.horizon as i64;
        for c in 0..self.tracked.len() {
            let mut record = new_record(&self.tracked[c], self.controller_zone, start, end);
            let runs = self.expected_start_times(c, start, end);
            record.slots.reserve(runs);
            // As many Jobs as the run may make (`@every 1s` has half a million start times in six
            // days, more than `limits.maxPods` allows)…
            let jobs = sim.reserve_jobs(runs);
            // …each of which changes the status twice (it joins `active`, then leaves it with a
            // new lastSuccessfulTime): room for that many snapshots, so they are not copied as
            // the list grows.
            record.status.reserve(jobs.saturating_mul(2));
            self.tracked[c].record = sim.tl.cron_jobs.len();
            sim.tl.cron_jobs.push(record);
            // The CronJob was just created: the informer hands it over at once.
            self.sync_at(sim, c, 0);
        }
        for (i, f) in sim.scenario.faults.iter().enumerate() {
            let relevant = f.controller_time_zone.is_some()
                || [&f.suspend, &f.resume].iter().any(|n| {
                    n.as_ref()
                        .is_some_and(|n| self.tracked.iter().any(|t| &t.spec.name == n))
                });
            if relevant {
                sim.at(f.at.0, super::Ev::Timer(me, token(KIND_FAULT, i, 0)));
            }
        }
        sim.at(sim.horizon, super::Ev::Timer(me, token(KIND_FINISH, 0, 0)));
    }

    fn on_timer(&mut self, sim: &mut Sim<'_>, token: u64) {
        let (kind, index, generation) = untoken(token);
        match kind {
            KIND_REQUEUE => {
                let Some(t) = self.tracked.get_mut(index) else {
                    return;
                };
                if t.requeue != Some((sim.now, generation)) {
                    return; // superseded by an earlier requeue
                }
                t.requeue = None;
                self.run_sync(sim, index);
            }
            KIND_NOW => {
                let Some(t) = self.tracked.get_mut(index) else {
                    return;
                };
                if t.sync_now_at != Some(sim.now) {
                    return;
                }
                t.sync_now_at = None;
                self.run_sync(sim, index);
            }
            KIND_FAULT => self.on_fault(sim, index),
            _ => self.finish(sim),
        }
    }

    fn on_job_finished(&mut self, sim: &mut Sim<'_>, job: usize) {
        if let Some(c) = self.owner_of.get(job).copied().flatten() {
            self.sync_at(sim, c, sim.now);
        }
    }
}
