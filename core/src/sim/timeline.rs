//! The result of a simulation: what happened to every pod and Job, second by second.
//!
//! A `Timeline` is computed whole (to the horizon) and then only read: the app's play/pause/scrub
//! is a cursor over it, the `kubectl` views in `kubectl.rs` render it at any instant, and the
//! lesson grader asks it questions through the small query methods below.
//!
//! Its JSON form (what `batchlab simulate --format json` prints) is a stable contract; times are
//! seconds from the start of the simulation.
//!
//! The short lists every record has (a pod's phase changes and container states, a Job's
//! conditions and status writes) are `SmallVec`s sized for the usual case, so they live inside
//! the record: a month of CronJob runs is tens of thousands of records, and a heap block per list
//! made allocating and freeing them a large part of a run (docs/notes/sim-perf.md). They read
//! as slices, like the `Vec`s they replace, and serialise the same way.

pub use super::reason::Reason;
pub use super::text::Text;
use super::units::Ms;
use serde::{Serialize, Serializer};
use smallvec::SmallVec;
use std::rc::Rc;
use std::sync::Arc;

/// Labels or annotations of an object in the timeline: key/value pairs in key order, shared
/// (a clone is a reference-count increment: a Job's pods all hold their Job's). `Text` keys and
/// values: the generated ones (`job-name`, `controller-uid` …) share the Job's name and UID
/// instead of copying them into every Job and pod. A sorted list, not a `BTreeMap`: an object
/// carries a handful, a map's smallest node has room for eleven (544 bytes), and a month of
/// CronJob runs makes tens of thousands of them.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Labels(Option<Rc<[(Text, Text)]>>);

impl Labels {
    /// The pairs in key order. No labels is `None`, not an empty list: an empty `Rc` is still
    /// an allocation, and most templates have no annotations.
    fn pairs(&self) -> &[(Text, Text)] {
        self.0.as_deref().unwrap_or_default()
    }

    pub fn get(&self, key: &str) -> Option<&Text> {
        let pairs = self.pairs();
        let i = pairs.binary_search_by(|(k, _)| k.as_str().cmp(key)).ok()?;
        Some(&pairs[i].1)
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&Text, &Text)> {
        self.pairs().iter().map(|(k, v)| (k, v))
    }

    pub fn len(&self) -> usize {
        self.pairs().len()
    }

    pub fn is_empty(&self) -> bool {
        self.pairs().is_empty()
    }

    /// These labels with `extra` added; an extra key replaces the same key's value.
    pub fn with(&self, extra: impl IntoIterator<Item = (Text, Text)>) -> Labels {
        self.pairs().iter().cloned().chain(extra).collect()
    }
}

/// A later pair replaces an earlier one with the same key, as inserting into a map would.
impl FromIterator<(Text, Text)> for Labels {
    fn from_iter<I: IntoIterator<Item = (Text, Text)>>(pairs: I) -> Labels {
        // Gathered on the stack (an object has a handful), then moved into the shared list in
        // one allocation: a slice's iterator tells `Rc` the length up front.
        let mut pairs: SmallVec<[(Text, Text); 8]> = pairs.into_iter().collect();
        if pairs.is_empty() {
            return Labels(None);
        }
        // Most lists come in order already (the generated labels, a map's pairs): then there is
        // nothing to sort and no duplicate to drop.
        if !pairs.windows(2).all(|w| w[0].0 < w[1].0) {
            // Stable, so pairs with the same key stay in the order they came; reversed, `dedup`
            // keeps the first of each run, which is the last one given.
            crate::sort::sort_by(&mut pairs, |a, b| a.0.cmp(&b.0));
            pairs.reverse();
            pairs.dedup_by(|later, kept| later.0 == kept.0);
            pairs.reverse();
        }
        Labels(Some(pairs.iter_mut().map(std::mem::take).collect()))
    }
}

/// `labels["job-name"]`, as on a map: panics when the key is missing (tests use it; the
/// simulator asks with `get`).
impl std::ops::Index<&str> for Labels {
    type Output = Text;
    fn index(&self, key: &str) -> &Text {
        self.get(key)
            .unwrap_or_else(|| panic!("no label or annotation {key:?}"))
    }
}

impl std::fmt::Debug for Labels {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Serialize for Labels {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

/// A virtual instant in milliseconds since the start; serialises as seconds (`12.5`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Time(pub Ms);

impl Time {
    pub fn from_secs(s: u64) -> Time {
        Time(s.saturating_mul(1000))
    }
    pub fn secs_f64(self) -> f64 {
        self.0 as f64 / 1000.0
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.is_multiple_of(1000) {
            s.serialize_u64(self.0 / 1000)
        } else {
            s.serialize_f64(self.secs_f64())
        }
    }
}

/// A wall-clock instant of the run at a UTC offset, shown and serialised as RFC 3339
/// (`2026-01-05T09:02:00Z`, `2026-03-09T02:30:00-04:00`). Kept as numbers and written out when
/// read: a month of a CronJob's start times and status snapshots holds tens of thousands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WallTime {
    pub unix_ms: i64,
    /// Seconds east of UTC, as the instant is shown.
    pub offset_secs: i32,
}

impl WallTime {
    pub fn utc(unix_ms: i64) -> WallTime {
        WallTime {
            unix_ms,
            offset_secs: 0,
        }
    }

    /// The instant as it reads in `zone` (its offset at that instant).
    pub fn in_zone(unix_ms: i64, zone: crate::schedule::Zone) -> WallTime {
        WallTime {
            unix_ms,
            offset_secs: zone.offset_at(unix_ms.div_euclid(1000)),
        }
    }

    /// The instant as RFC 3339 with its offset, as Go prints it (`2026-03-08T03:30:00-04:00`).
    pub fn rfc3339(&self) -> String {
        crate::schedule::rfc3339(self.unix_ms, self.offset_secs)
    }
}

impl std::fmt::Display for WallTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.rfc3339())
    }
}

impl Serialize for WallTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Everything that happened, to the horizon.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Timeline {
    /// Every pod ever created, in creation order.
    pub pods: Vec<PodRecord>,
    /// Every Job, in creation order.
    pub jobs: Vec<JobRecord>,
    /// Every Kubernetes event, in time order.
    pub events: Vec<EventRecord>,
    /// Every CronJob: its start times (fired, skipped, missed) and status over time.
    pub cron_jobs: Vec<super::cronjob::CronJobRecord>,
    /// Why the simulation stopped early (a bound was reached), or `None` if it ran to its end.
    pub truncated: Option<String>,
    /// Things the learner should know about how the run was modelled (e.g. a container whose
    /// behaviour was assumed).
    pub notes: Vec<String>,
    /// The RFC 3339 wall-clock instant of t = 0.
    pub start: String,
    /// Where the simulation stopped.
    pub end: Time,
    #[serde(skip)]
    pub start_unix_ms: i64,
}

/// One pod's life.
#[derive(Debug, Clone, Default)]
pub struct PodRecord {
    pub name: Text,
    pub job: Text,
    /// The completion index (Indexed Jobs).
    pub index: Option<i64>,
    /// The node it was bound to, if it was scheduled.
    pub node: Option<Text>,
    pub created_at: Time,
    /// When the pod object was removed from the API (it no longer shows in `kubectl get pods`).
    pub deleted_at: Option<Time>,
    /// Status changes: phase and what `kubectl get pods` shows in STATUS (`reason`). A pod that
    /// runs once has four (Pending, ContainerCreating, Running, Completed or Error) and a fifth
    /// (Terminating) if its Job is deleted, as a CronJob's history limit does; the record holds
    /// five itself, a pod with more keeps them on the heap.
    pub phases: SmallVec<[PodStatusChange; 5]>,
    /// Per container, init containers (and sidecars) first as in the spec: its state intervals.
    pub containers: SmallVec<[ContainerRecord; 1]>,
    /// Container restarts (all containers), at the end.
    pub restarts: u32,
    /// Exit code of every container run that ended, in order.
    pub exit_codes: SmallVec<[i32; 2]>,
    /// Shared between the pods of a Job where they are the same (NonIndexed pods).
    pub labels: Labels,
    pub annotations: Labels,
    /// Logs, conditions and notes, if the pod has any: read them with `logs()`, `conditions()`
    /// and `notes()`, add to them through `extras_mut()`.
    pub(crate) extras: Option<Box<PodExtras>>,
}

/// What only some pods have. Most pods of a long run print nothing, get no condition worth
/// showing and need no note: their record holds one empty pointer (8 bytes) instead of three
/// empty lists (72), 64 of the about 1 100 bytes a pod of the big Job benchmark writes.
#[derive(Debug, Clone, Default)]
pub struct PodExtras {
    /// What the containers printed.
    pub logs: Vec<LogRecord>,
    /// Pod conditions worth showing (`DisruptionTarget`), with when they were added.
    pub conditions: Vec<PodConditionRecord>,
    /// Set when the behaviour of a container was assumed rather than read from the manifest.
    pub notes: Vec<String>,
}

/// The JSON of a pod record: its fields in order, the extras among them as three lists (as when
/// they were fields of the record).
impl Serialize for PodRecord {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = s.serialize_struct("PodRecord", 15)?;
        out.serialize_field("name", &self.name)?;
        out.serialize_field("job", &self.job)?;
        out.serialize_field("index", &self.index)?;
        out.serialize_field("node", &self.node)?;
        out.serialize_field("createdAt", &self.created_at)?;
        out.serialize_field("deletedAt", &self.deleted_at)?;
        out.serialize_field("phases", &self.phases)?;
        out.serialize_field("containers", &self.containers)?;
        out.serialize_field("restarts", &self.restarts)?;
        out.serialize_field("exitCodes", &self.exit_codes)?;
        out.serialize_field("logs", self.logs())?;
        out.serialize_field("conditions", self.conditions())?;
        out.serialize_field("labels", &self.labels)?;
        out.serialize_field("annotations", &self.annotations)?;
        out.serialize_field("notes", self.notes())?;
        out.end()
    }
}

/// One change in what a pod looks like.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodStatusChange {
    pub at: Time,
    pub phase: Phase,
    /// The STATUS column of `kubectl get pods`: `Pending`, `ContainerCreating`, `Running`,
    /// `Completed`, `Error`, `OOMKilled`, `CrashLoopBackOff`, `Terminating`,
    /// `CreateContainerConfigError` …
    pub reason: Reason,
    /// Containers ready / total (the READY column).
    pub ready: u32,
    pub total: u32,
    /// Restarts so far and when the last one happened (the RESTARTS column).
    pub restarts: u32,
    pub last_restart_at: MaybeTime,
}

/// An `Option<Time>` in one word (`Option<Time>` takes two), for records a long run keeps by the
/// hundred thousand: with it a pod status change is 32 bytes, and the five a CronJob's pod
/// usually has (the fifth is `Terminating`, when the history limit deletes its Job) fit in the
/// pod's record instead of spilling to the heap. Serialises as the `Option` would.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct MaybeTime(Ms);

impl Default for MaybeTime {
    fn default() -> MaybeTime {
        MaybeTime::NONE
    }
}

impl MaybeTime {
    /// No instant (`Ms::MAX` is past every bound on virtual time).
    pub const NONE: MaybeTime = MaybeTime(Ms::MAX);

    pub fn get(self) -> Option<Time> {
        (self != MaybeTime::NONE).then_some(Time(self.0))
    }
}

impl From<Option<Time>> for MaybeTime {
    fn from(time: Option<Time>) -> MaybeTime {
        time.map_or(MaybeTime::NONE, |t| MaybeTime(t.0.min(Ms::MAX - 1)))
    }
}

impl std::fmt::Debug for MaybeTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

impl Serialize for MaybeTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.get().serialize(s)
    }
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerRecord {
    pub name: Text,
    /// Init container, sidecar or regular container; absent from the JSON for a regular one
    /// (what every container was before init containers were simulated).
    #[serde(skip_serializing_if = "ContainerKind::is_regular")]
    pub kind: ContainerKind,
    /// In time order, each until the next one starts (the last until the end of the run).
    #[serde(serialize_with = "serialize_intervals")]
    pub states: SmallVec<[ContainerStateInterval; 3]>,
}

/// The JSON gives each container state interval its end, `to` (`null`: still at the end). The
/// record does not keep it: it is the next interval's `from`, and 16 bytes of every interval
/// (three inline in each container record).
fn serialize_intervals<S: Serializer>(
    states: &SmallVec<[ContainerStateInterval; 3]>,
    s: S,
) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct IntervalWithEnd<'a> {
        from: Time,
        to: Option<Time>,
        state: ContainerState,
        reason: Reason,
        exit_code: &'a Option<i32>,
    }
    let ends = states.iter().skip(1).map(|next| Some(next.from));
    s.collect_seq(
        states
            .iter()
            .zip(ends.chain([None]))
            .map(|(interval, to)| IntervalWithEnd {
                from: interval.from,
                to,
                state: interval.state,
                reason: interval.reason,
                exit_code: &interval.exit_code,
            }),
    )
}

/// Where a container sits in the pod spec, which decides when the kubelet runs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ContainerKind {
    /// `spec.containers`: runs once initialisation is over.
    #[default]
    Regular,
    /// `spec.initContainers` without `restartPolicy`: runs to completion, one at a time, first.
    Init,
    /// `spec.initContainers` with `restartPolicy: Always` (a native sidecar): started in order
    /// with the init containers, runs beside the regular containers, stopped after them.
    Sidecar,
}

impl ContainerKind {
    pub fn is_regular(&self) -> bool {
        *self == ContainerKind::Regular
    }
}

/// A container was in one state from `from` until the next interval's `from` (or the end of
/// the run, for the last one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerStateInterval {
    pub from: Time,
    pub state: ContainerState,
    /// `ContainerCreating`, `CrashLoopBackOff`, `Completed`, `Error`, `OOMKilled` …
    pub reason: Reason,
    pub exit_code: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogRecord {
    pub at: Time,
    pub container: String,
    /// Which run of the container printed it (0 = first; restarts count up).
    pub run: u32,
    pub stderr: bool,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodConditionRecord {
    pub at: Time,
    #[serde(rename = "type")]
    pub type_: String,
    pub reason: String,
    pub message: String,
}

/// One Job's life.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobRecord {
    pub name: Text,
    pub namespace: Text,
    pub created_at: Time,
    /// When the Job was deleted (ttlSecondsAfterFinished).
    pub deleted_at: Option<Time>,
    /// The CronJob that created it, if any.
    pub cron_job: Option<Text>,
    /// Every condition write, in order (a `Suspended` condition flipping shows twice).
    pub conditions: SmallVec<[ConditionRecord; 2]>,
    /// Final status counters (int32 in the API; the times in one word each, as in the
    /// snapshots: a long CronJob run keeps one record per Job).
    pub active: i32,
    pub ready: i32,
    pub succeeded: i32,
    pub failed: i32,
    pub terminating: i32,
    pub completed_indexes: Text,
    pub failed_indexes: Option<Text>,
    pub start_time: MaybeTime,
    pub completion_time: MaybeTime,
    /// Every status write, in order (what `kubectl get job -o yaml` showed from then on).
    pub history: SmallVec<[JobSnapshot; 3]>,
    /// What `kubectl describe job` prints about the spec.
    #[serde(skip)]
    pub spec: JobSpecSummary,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConditionRecord {
    #[serde(rename = "type")]
    pub type_: &'static str,
    pub status: &'static str,
    pub reason: Text,
    pub message: Text,
    pub at: Time,
}

/// The Job's status counters from `at` until the next snapshot: 80 bytes (the API's int32
/// counts, one-word times and texts; a Job of a CronJob holds three of them in its record).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct JobSnapshot {
    pub at: Time,
    pub active: i32,
    pub ready: i32,
    pub succeeded: i32,
    pub failed: i32,
    pub terminating: i32,
    pub completed_indexes: Text,
    pub failed_indexes: Option<Text>,
    pub start_time: MaybeTime,
    pub completion_time: MaybeTime,
}

/// The Job as `kubectl` shows it at an instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobView {
    pub status: JobSnapshot,
    /// Conditions in the order the API lists them, each with its last transition.
    pub conditions: Vec<ConditionRecord>,
}

/// The parts of the spec `kubectl describe job` prints (already defaulted).
#[derive(Debug, Clone, Default)]
pub struct JobSpecSummary {
    pub labels: Labels,
    pub annotations: Labels,
    /// The Job's UID: its selector is `batch.kubernetes.io/controller-uid=<uid>`.
    pub uid: Text,
    pub parallelism: i64,
    pub completions: Option<i64>,
    /// `NonIndexed` or `Indexed`.
    pub completion_mode: &'static str,
    pub suspend: bool,
    pub backoff_limit: i64,
    pub ttl_seconds_after_finished: Option<i64>,
    pub active_deadline_seconds: Option<i64>,
    /// The spec as written, shared with the engine (and between the Jobs of one CronJob); the
    /// pod template is `source.template`.
    pub source: Arc<crate::model::JobSpec>,
    /// The pod template's labels with the generated ones (shared with the Job's pods).
    pub template_labels: Labels,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventRecord {
    pub at: Time,
    pub kind: EventObject,
    pub name: Text,
    #[serde(rename = "type")]
    pub type_: EventType,
    pub reason: Reason,
    pub message: Text,
    pub source: EventSource,
}

/// An API word with a few fixed values (an event's type, its object's kind, its reporter, a
/// reason): a byte in the record — a long run keeps hundreds of thousands of events — that reads,
/// compares, prints and serialises as the API's string.
macro_rules! api_word {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                self.as_str()
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(self.as_str())
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Debug::fmt(self.as_str(), f)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}
/// `reason.rs` makes its word with it too.
pub(super) use api_word;

api_word! {
    /// A pod's `status.phase`.
    Phase { Pending = "Pending", Running = "Running", Succeeded = "Succeeded", Failed = "Failed" }
}

impl Phase {
    pub fn is_terminal(self) -> bool {
        matches!(self, Phase::Succeeded | Phase::Failed)
    }
}

api_word! {
    /// Which of a container's states (`waiting`, `running`, `terminated`) an interval is.
    ContainerState { Waiting = "waiting", Running = "running", Terminated = "terminated" }
}

api_word! {
    /// An event's `type`.
    EventType { Normal = "Normal", Warning = "Warning" }
}

api_word! {
    /// The kind of object an event is about (`involvedObject.kind`).
    EventObject { Pod = "Pod", Job = "Job", CronJob = "CronJob", Node = "Node" }
}

api_word! {
    /// The component that reported an event (`source.component`).
    EventSource {
        Kubelet = "kubelet",
        Scheduler = "default-scheduler",
        JobController = "job-controller",
        CronJobController = "cronjob-controller",
        NodeController = "node-controller",
    }
}

impl Timeline {
    pub fn pod(&self, name: &str) -> Option<&PodRecord> {
        self.pods.iter().find(|p| p.name == name)
    }

    pub fn job(&self, name: &str) -> Option<&JobRecord> {
        self.jobs.iter().find(|j| j.name == name)
    }

    /// Pods of a Job, in creation order.
    pub fn pods_of<'a>(&'a self, job: &'a str) -> impl Iterator<Item = &'a PodRecord> + 'a {
        self.pods.iter().filter(move |p| p.job == job)
    }

    /// How many pods the Job created over the whole run.
    pub fn pods_created(&self, job: &str) -> usize {
        self.pods_of(job).count()
    }

    /// The largest number of the Job's pods in phase Running at the same instant.
    pub fn max_running_at_once(&self, job: &str) -> usize {
        let mut edges: Vec<(Time, i32)> = Vec::new();
        for p in self.pods_of(job) {
            let mut running_since: Option<Time> = None;
            for c in &p.phases {
                // A terminating pod's containers still run (and still do their work).
                let running = c.phase == "Running";
                match (running, running_since) {
                    (true, None) => running_since = Some(c.at),
                    (false, Some(s)) => {
                        edges.push((s, 1));
                        edges.push((c.at, -1));
                        running_since = None;
                    }
                    _ => {}
                }
            }
            if let Some(s) = running_since {
                edges.push((s, 1));
                edges.push((p.deleted_at.unwrap_or(Time(u64::MAX)), -1));
            }
        }
        // Ends sort before starts at the same instant: a pod replacing another is not "at once".
        crate::sort::sort_by_key(&mut edges, |&(t, d)| (t, d));
        let (mut now, mut max) = (0i32, 0i32);
        for (_, d) in edges {
            now += d;
            max = max.max(now);
        }
        max as usize
    }

    /// `Complete` or `Failed` with the condition's reason and when it was added, once the Job has
    /// finished.
    pub fn outcome(&self, job: &str) -> Option<(&'static str, &str, Time)> {
        let j = self.job(job)?;
        j.conditions
            .iter()
            .find(|c| (c.type_ == "Complete" || c.type_ == "Failed") && c.status == "True")
            .map(|c| (c.type_, c.reason.as_str(), c.at))
    }

    /// Total container restarts across the Job's pods.
    pub fn restarts(&self, job: &str) -> u32 {
        self.pods_of(job).map(|p| p.restarts).sum()
    }

    /// All log lines of a pod, in order, as text.
    pub fn logs_of(&self, pod: &str) -> Vec<&str> {
        self.pod(pod)
            .map(|p| p.logs().iter().map(|l| l.text.as_str()).collect())
            .unwrap_or_default()
    }

    /// Events whose reason is `reason`, in order.
    pub fn events_with_reason<'a>(
        &'a self,
        reason: &'a str,
    ) -> impl Iterator<Item = &'a EventRecord> + 'a {
        self.events.iter().filter(move |e| e.reason == reason)
    }

    /// The Job as it was at instant `t` (None if it did not exist then).
    pub fn job_at(&self, job: &str, t: Time) -> Option<JobView> {
        let j = self.job(job)?;
        if t < j.created_at || j.deleted_at.is_some_and(|d| t >= d) {
            return None;
        }
        Some(j.view_at(t))
    }

    /// The pod's status change in effect at `t`, if the pod existed then.
    pub fn pod_at(&self, pod: &str, t: Time) -> Option<&PodStatusChange> {
        self.pod(pod)?.status_at(t)
    }

    /// Duration of the simulation in seconds.
    pub fn end_secs(&self) -> f64 {
        self.end.secs_f64()
    }
}

impl PodRecord {
    /// What the containers printed.
    pub fn logs(&self) -> &[LogRecord] {
        self.extras.as_deref().map_or(&[], |e| &e.logs)
    }

    /// Pod conditions worth showing (`DisruptionTarget`), with when they were added.
    pub fn conditions(&self) -> &[PodConditionRecord] {
        self.extras.as_deref().map_or(&[], |e| &e.conditions)
    }

    /// Set when the behaviour of a container was assumed rather than read from the manifest.
    pub fn notes(&self) -> &[String] {
        self.extras.as_deref().map_or(&[], |e| &e.notes)
    }

    /// The logs, conditions and notes to add to (made on first use).
    pub fn extras_mut(&mut self) -> &mut PodExtras {
        self.extras.get_or_insert_with(Box::default)
    }

    /// Whether the pod object exists at `t`.
    pub fn exists_at(&self, t: Time) -> bool {
        t >= self.created_at && self.deleted_at.is_none_or(|d| t < d)
    }

    pub fn status_at(&self, t: Time) -> Option<&PodStatusChange> {
        if !self.exists_at(t) {
            return None;
        }
        let i = self.phases.partition_point(|c| c.at <= t);
        self.phases.get(i.checked_sub(1)?)
    }
}

impl JobRecord {
    pub fn view_at(&self, t: Time) -> JobView {
        let i = self.history.partition_point(|s| s.at <= t);
        let status = i
            .checked_sub(1)
            .and_then(|i| self.history.get(i))
            .cloned()
            .unwrap_or_default();
        let mut conditions: Vec<ConditionRecord> = Vec::new();
        for c in self.conditions.iter().filter(|c| c.at <= t) {
            match conditions.iter_mut().find(|x| x.type_ == c.type_) {
                Some(x) => *x = c.clone(),
                None => conditions.push(c.clone()),
            }
        }
        JobView { status, conditions }
    }
}

#[cfg(test)]
mod tests {
    use super::{EventType, Labels, MaybeTime, Phase, Text, Time};

    fn pair(k: &'static str, v: &'static str) -> (Text, Text) {
        (Text::from(k), Text::from(v))
    }

    #[test]
    fn labels_read_like_a_map_in_key_order_and_a_later_pair_wins() {
        let labels: Labels = [
            pair("tier", "batch"),
            pair("app", "report"),
            pair("tier", "etl"),
        ]
        .into_iter()
        .collect();
        assert_eq!(labels.len(), 2);
        assert_eq!(labels.get("tier").map(Text::as_str), Some("etl"));
        assert_eq!(labels["app"], "report");
        assert_eq!(labels.get("missing"), None);
        let keys: Vec<&str> = labels.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["app", "tier"]);
        let with = labels.with([pair("app", "export"), pair("job-name", "pi")]);
        assert_eq!(with["app"], "export");
        assert_eq!(with.len(), 3);
        assert_eq!(labels["app"], "report", "the original is unchanged");
        assert_eq!(
            serde_json::to_string(&with).unwrap(),
            r#"{"app":"export","job-name":"pi","tier":"etl"}"#
        );
        assert!(Labels::default().is_empty());
    }

    #[test]
    fn a_maybe_time_reads_prints_and_serialises_as_the_option_it_stands_for() {
        for time in [None, Some(Time(0)), Some(Time(12_500)), Some(Time(90_000))] {
            let maybe = MaybeTime::from(time);
            assert_eq!(maybe.get(), time);
            assert_eq!(format!("{maybe:?}"), format!("{time:?}"));
            assert_eq!(
                serde_json::to_string(&maybe).unwrap(),
                serde_json::to_string(&time).unwrap()
            );
        }
        assert_eq!(serde_json::to_string(&MaybeTime::NONE).unwrap(), "null");
        assert_eq!(MaybeTime::default(), MaybeTime::NONE);
        // The one instant it cannot hold, far past every bound on virtual time, stays an instant.
        assert!(MaybeTime::from(Some(Time(u64::MAX))).get().is_some());
        assert_eq!(std::mem::size_of::<MaybeTime>(), 8);
    }

    #[test]
    fn api_words_read_compare_print_and_serialise_as_the_api_strings() {
        assert_eq!(EventType::Warning, "Warning");
        assert_eq!(Phase::Succeeded.as_str(), "Succeeded");
        assert!(Phase::Failed.is_terminal() && !Phase::Running.is_terminal());
        assert_eq!(format!("[{:<9}]", Phase::Pending), "[Pending  ]");
        assert_eq!(Phase::Running.to_lowercase(), "running");
        assert_eq!(
            serde_json::to_string(&EventType::Normal).unwrap(),
            r#""Normal""#
        );
        assert_eq!(format!("{:?}", Phase::Running), r#""Running""#);
    }
}
