//! The discrete-event engine: a virtual clock, an ordered event queue, the cluster's objects, the
//! scheduler and a kubelet per pod. The Job controller lives in `job_controller.rs` and acts on the
//! same `Sim`; other controllers plug in through `Controller` (see `mod.rs`).
//!
//! Events at the same instant run in the order they were queued (a sequence number breaks ties),
//! so a run depends only on its inputs.

use super::scenario::{RunBehaviour, Scenario};
use super::timeline::*;
use super::units::{parse_bytes, parse_cpu_millis, Ms};
use super::workloads::{workload_for, ScriptedRun};
use super::{Controller, SimInput};
use crate::model;
use crate::rng::{Rng, UniqueSuffixes};
use crate::workload::{
    ContainerRun, ContainerStart, Ending, File, Mount, MountKind, OnSigterm, Stream,
};
use smallvec::SmallVec;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, VecDeque};
use std::rc::Rc;
use std::sync::Arc;

/// The pod-event batching of the Job controller (`syncJobBatchPeriod`, job_controller.go).
pub const SYNC_BATCH_MS: Ms = 1_000;
/// The pod garbage collector waits this long before deleting pods of a vanished node
/// (`gcCheckPeriod` 20s + `quarantineTime` 40s in pkg/controller/podgc; we use the quarantine).
pub const POD_GC_QUARANTINE_MS: Ms = 40_000;
/// Default when the horizon is not set: stop after a day of virtual time.
pub const DEFAULT_HORIZON_MS: Ms = 24 * 3_600_000;

/// Something that will happen at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ev {
    /// The Job controller's workqueue hands it this Job (`syncJob`).
    SyncJob(usize),
    /// The scheduler tries to place this pod.
    Schedule(usize),
    /// Image pulled and containers created: the pod's next containers start (its next init
    /// container, or its regular containers once initialisation is over).
    PodStart(usize),
    /// A container run ends (pod, container, run number).
    ContainerExit(usize, usize, u32),
    /// CrashLoopBackOff is over: the container runs again (pod, container, run number).
    ContainerRestart(usize, usize, u32),
    /// A pod being deleted has stopped its containers.
    PodKilled(usize),
    /// A scenario fault.
    Fault(usize),
    /// ttlSecondsAfterFinished ran out for this Job.
    TtlExpired(usize),
    /// The pod garbage collector deals with the pods of a vanished node.
    PodGc(usize),
    /// The pod's own `spec.activeDeadlineSeconds` is over: its kubelet stops it.
    PodDeadline(usize),
    /// A pull of a missing image fails (pod, container): `ErrImagePull`.
    ImagePullFailed(usize, usize),
    /// The kubelet syncs a pod whose image pull failed (pod, container): in back-off it reports
    /// `ImagePullBackOff`, after it pulls again.
    ImagePullSync(usize, usize),
    /// A timer of an extra controller (controller index, its token).
    Timer(usize, u64),
}

/// A container's state as the kubelet reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CState {
    Waiting(Reason),
    Running,
    Terminated { code: i32, reason: Reason },
}

impl CState {
    /// The reason the container's state interval records: `Running` for a running one.
    fn reason(&self) -> Reason {
        match *self {
            CState::Waiting(reason) | CState::Terminated { reason, .. } => reason,
            CState::Running => Reason::Running,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Ctr {
    pub name: Text,
    pub kind: ContainerKind,
    pub state: CState,
    pub state_since: Ms,
    pub restarts: u32,
    /// Number of the current (or last) run: 0 for the first.
    pub run_no: u32,
    /// The current run: when it started and what it will do (boxed: a finished pod's
    /// containers keep none, and most pods of a long run are finished).
    pub run: Option<Box<(Ms, ContainerRun)>>,
    /// `lastState.terminated.finishedAt`: when the previous run ended (kubectl's "(5s ago)").
    pub last_restart_at: Option<Ms>,
    /// The kubelet's CrashLoopBackOff record for this container, once it has restarted.
    pub backoff: Option<Backoff>,
    /// The generator the current run's workload started from, kept to ask the workload again
    /// when the run's answer to SIGTERM depends on its instant (`OnSigterm::Handles`).
    pub run_rng: Option<Rng>,
}

/// A kubelet back-off entry (`flowcontrol.Backoff`): one per pod and container for restarts
/// (`doBackOff` in pkg/kubelet/kuberuntime/kuberuntime_manager.go) and one per pod and image for
/// pulls (`imageBackOff` in pkg/kubelet/images/image_manager.go), with the same windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The current window: a crash within it of `last_update` waits until `finishedAt + delay`;
    /// a pull waits until `last_update + delay`.
    pub delay: Ms,
    /// When the kubelet last restarted the container or failed the pull (`entry.lastUpdate`).
    pub last_update: Ms,
}

/// CrashLoopBackOff and ImagePullBackOff: the first window is 10 s (`backOffPeriod`), doubling to
/// at most 5 min (`MaxContainerBackOff`, pkg/kubelet/apis/config/v1beta1/defaults.go); an entry
/// older than twice the maximum is forgotten (`hasExpired` in client-go/util/flowcontrol/backoff.go),
/// so 10 min of running resets it.
pub const BACKOFF_INITIAL_MS: Ms = 10_000;
pub const BACKOFF_MAX_MS: Ms = 300_000;

/// How soon the kubelet syncs a pod again after a sync that failed (an image that cannot be
/// pulled): `backOffPeriod`, 10 s, plus up to half of it in jitter (`completeWork` in
/// pkg/kubelet/pod_workers.go). The simulator takes the jitter's middle, 12.5 s.
pub const KUBELET_RETRY_SYNC_MS: Ms = 12_500;

#[derive(Debug, Clone)]
pub struct Pod {
    /// Shared with its record and the events about it.
    pub name: Text,
    pub job: usize,
    pub index: Option<i64>,
    pub node: Option<usize>,
    pub phase: Phase,
    pub deletion_at: Option<Ms>,
    pub finished_at: Option<Ms>,
    /// `batch.kubernetes.io/job-tracking`: present until the Job controller has counted the pod.
    pub finalizer: bool,
    /// Removed from the API server.
    pub removed: bool,
    /// Held in the pod itself for the usual single container (see `timeline`). Init containers
    /// (and sidecars) first, in spec order, then the regular containers: `init_count` of them.
    pub ctrs: SmallVec<[Ctr; 1]>,
    pub init_count: u32,
    /// Init containers the kubelet is done with: exited 0, or (a sidecar) started. The next
    /// container it starts is `ctrs[init_done]`, or the regular ones when all are done.
    pub init_done: u32,
    /// The regular containers have started (the pod's `Initialized` condition is True).
    pub initialized: bool,
    /// The pod's regular containers are done (or an init container failed) and the kubelet is
    /// stopping its sidecars: the phase the pod gets when they are down.
    pub sidecar_shutdown: Option<Phase>,
    /// `status.reason` (e.g. `DeadlineExceeded`), shown by kubectl instead of the phase.
    pub reason: Option<Reason>,
    /// The kubelet is stopping the pod without a deletion (its `activeDeadlineSeconds` is over):
    /// the reason the pod gets when its containers are down. No container restarts meanwhile.
    pub kubelet_stop: Option<Reason>,
    pub disruption_target: bool,
    /// The containers ignore SIGTERM whatever they run (scenario `duplicateStart`): they keep
    /// running for the whole grace period.
    pub ignores_sigterm: bool,
    pub grace_ms: Ms,
    /// A kubelet error that blocks the pod (CreateContainerConfigError, FailedMount). This and
    /// the scheduler's last message are boxed strings (two words, not a `String`'s three): few
    /// pods have either, and a big Job keeps a hundred thousand pods.
    pub blocked: Option<Box<str>>,
    pub last_scheduling_message: Option<Box<str>>,
    /// `batch.kubernetes.io/job-index-failure-count` on this pod.
    pub index_failure_count: u32,
    /// Files in the pod's emptyDir volumes, by volume name (boxed: most pods have none, and a
    /// map is three words).
    #[allow(clippy::box_collection)] // the box keeps an absent map to one word
    pub empty_dirs: Option<Box<BTreeMap<String, BTreeMap<String, File>>>>,
}

impl Pod {
    pub fn is_active(&self) -> bool {
        !self.phase.is_terminal() && self.deletion_at.is_none()
    }
    pub fn is_terminating(&self) -> bool {
        !self.phase.is_terminal() && self.deletion_at.is_some() && !self.removed
    }
    /// Pod `Ready`: every regular container and sidecar runs (an init container that has
    /// completed does not count; no readiness probes are simulated).
    pub fn is_ready(&self) -> bool {
        self.phase == Phase::Running
            && self.deletion_at.is_none()
            && self.serving_ctrs().all(|c| c.state == CState::Running)
    }

    /// The init containers and sidecars, in spec order (before the regular containers).
    pub fn init_ctrs(&self) -> &[Ctr] {
        &self.ctrs[..self.init_count as usize]
    }

    /// The regular containers (after the init containers and sidecars).
    pub fn regular_ctrs(&self) -> &[Ctr] {
        &self.ctrs[self.init_count as usize..]
    }

    /// The containers that serve while the pod runs, regular ones and sidecars: those the
    /// pod's Ready condition and kubectl's READY column count.
    pub fn serving_ctrs(&self) -> impl Iterator<Item = &Ctr> {
        self.ctrs.iter().filter(|c| c.kind != ContainerKind::Init)
    }

    /// The regular containers in the order of the pod's `status.containerStatuses`: the kubelet
    /// sorts that list by name (`SortedContainerStatuses`, pkg/kubelet/types/pod_status.go), not
    /// in spec order, and kubectl's STATUS column and the pod failure policy read it in that
    /// order. (Init containers keep their spec order: `SortInitContainerStatuses`.)
    pub fn reported_regular_ctrs(&self) -> SmallVec<[&Ctr; 4]> {
        let mut ctrs: SmallVec<[&Ctr; 4]> = self.regular_ctrs().iter().collect();
        crate::sort::sort_by(&mut ctrs, |a, b| a.name.cmp(&b.name));
        ctrs
    }
    pub fn restart_count(&self) -> u32 {
        self.ctrs.iter().map(|c| c.restarts).sum()
    }
}

pub struct NodeState {
    pub name: Text,
    pub cpu: u64,
    pub memory: u64,
    pub max_pods: u32,
    pub labels: BTreeMap<String, String>,
    pub cpu_used: u64,
    pub mem_used: u64,
    /// Requests used for scoring (BestEffort pods count as 100m / 200Mi, as the scheduler does).
    pub cpu_score_used: u64,
    pub mem_score_used: u64,
    pub pods: u32,
    pub images: BTreeSet<String>,
    pub unschedulable: bool,
    pub lost: bool,
}

/// A Job condition as stored in the Job's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cond {
    pub type_: &'static str,
    pub status: &'static str,
    pub reason: Text,
    pub message: Text,
    pub at: Ms,
}

/// A Job: the API object (spec defaulted, status) plus the Job controller's in-memory state for it.
pub struct Job {
    /// Shared with its record, its pods' records and the events about it.
    pub name: Text,
    pub namespace: Text,
    /// The CronJob that created it.
    pub cron_job: Option<Text>,
    /// Its containers' names and messages, shared by every pod (and, for a CronJob's Jobs, by
    /// every Job of the same template).
    pub texts: Rc<TemplateTexts>,
    pub uid: Text,
    /// The spec as written (`d` has it defaulted). Shared, not copied: with the Job's record in
    /// the timeline and, for a CronJob's Jobs, with every Job made from the same `jobTemplate`.
    pub spec: Arc<model::JobSpec>,
    /// Labels and annotations of its pods: the template's plus the generated ones (Indexed pods
    /// add their index to copies).
    pub pod_labels: Labels,
    pub pod_annotations: Labels,
    /// CPU (millicores) and memory (bytes) requested by one pod: the same for all its pods, so the
    /// scheduler reads it here (not a copy in each pod).
    pub requests: (u64, u64),
    pub d: Defaults,
    pub status: super::job_controller::Status,
    /// Pods the controller still has to look at: not terminal, or still carrying the finalizer.
    pub live: PodList,
    /// Every pod created for this Job (so deleting a Job does not scan all pods).
    pub pods: PodList,
    pub finished: bool,
    pub deleted: bool,
    pub ctl: super::job_controller::ControllerMemory,
}

/// Pod indexes (into `Sim::pods`). Most Jobs of a long CronJob run have one or two pods, held
/// in place; a Job with many spills to the heap as a `Vec` would.
pub type PodList = SmallVec<[usize; 2]>;

/// The texts of a pod template that every pod made from it shares: made once per template (see
/// `Sim::template_texts`) instead of once per pod and event.
pub struct TemplateTexts {
    /// Init containers (and sidecars) first, then the regular containers, as in `Pod::ctrs`.
    pub containers: Vec<ContainerTexts>,
    pub init_count: u32,
    /// The pod template's labels (each Job adds its generated ones to a copy).
    pub labels: Labels,
    /// The pod template's annotations, shared by every pod that adds none.
    pub annotations: Labels,
}

/// One container's name and the kubelet's messages about it.
pub struct ContainerTexts {
    pub name: Text,
    pub kind: ContainerKind,
    /// `Created container: <name>`
    pub created: Text,
    /// `Started container <name>`
    pub started: Text,
    /// `Stopping container <name>`
    pub stopping: Text,
    /// `Pulling image "<image>"`
    pub pulling: Text,
    /// `Container image "<image>" already present on machine`
    pub image_present: Text,
    /// `Successfully pulled image "<image>" in <pull> (<pull> including waiting)`, with the
    /// scenario's pull time.
    pub pulled: Text,
}

impl TemplateTexts {
    fn of(spec: &model::JobSpec, image_pull: Ms) -> TemplateTexts {
        let pull = super::units::format_go_duration(image_pull);
        let pod = &spec.template.spec;
        let containers = pod.init_containers.iter().chain(&pod.containers);
        let containers = containers.enumerate().map(|(ci, c)| {
            let image = c.image.as_deref().unwrap_or("");
            ContainerTexts {
                name: Text::new(&c.name),
                kind: container_kind(pod, ci),
                created: Text::new(&format!("Created container: {}", c.name)),
                started: Text::new(&format!("Started container {}", c.name)),
                stopping: Text::new(&format!("Stopping container {}", c.name)),
                pulling: Text::new(&format!("Pulling image {image:?}")),
                image_present: Text::new(&format!(
                    "Container image {image:?} already present on machine"
                )),
                pulled: Text::new(&format!(
                    "Successfully pulled image {image:?} in {pull} ({pull} including waiting)"
                )),
            }
        });
        TemplateTexts {
            containers: containers.collect(),
            init_count: pod.init_containers.len() as u32,
            labels: labels_of(&spec.template.metadata.labels, None),
            annotations: labels_of(&spec.template.metadata.annotations, None),
        }
    }
}

/// Makes room for `more` items on top of the room `list` has now, in one step. `Vec::reserve`
/// counts from the length, so asking it for `more` alone adds nothing while the room lasts; and
/// growing room a second time moves the list (glibc's `realloc` copies the whole old block,
/// written or not), so each caller asks once for all it needs.
fn add_room<T>(list: &mut Vec<T>, more: usize) {
    let room = list.capacity() - list.len();
    list.reserve(room.saturating_add(more));
}

/// `metadata.namespace` as the API server defaults it (`default`, which costs no allocation).
pub fn namespace_of(metadata: &model::ObjectMeta) -> Text {
    match metadata.namespace.as_deref() {
        None | Some("default") => Text::from("default"),
        Some(ns) => Text::new(ns),
    }
}

/// Container `ci` of a pod made from `spec`, counted as in `Pod::ctrs` (init containers first).
fn container_at(spec: &model::PodSpec, ci: usize) -> &model::Container {
    match ci.checked_sub(spec.init_containers.len()) {
        Some(regular) => &spec.containers[regular],
        None => &spec.init_containers[ci],
    }
}

/// Whether container `ci` (counted as in `Pod::ctrs`) is an init container, a sidecar (an init
/// container with `restartPolicy: Always`) or a regular container.
fn container_kind(spec: &model::PodSpec, ci: usize) -> ContainerKind {
    match spec.init_containers.get(ci) {
        None => ContainerKind::Regular,
        Some(c) if c.restart_policy.as_deref() == Some("Always") => ContainerKind::Sidecar,
        Some(_) => ContainerKind::Init,
    }
}

/// Labels or annotations as written in a manifest, as the timeline keeps them, plus `extra`
/// (which wins over a written pair with the same key).
pub fn labels_of(map: &model::StringMap, extra: Option<(Text, Text)>) -> Labels {
    map.iter()
        .map(|(k, v)| (Text::new(k), Text::new(v)))
        .chain(extra)
        .collect()
}

/// The Job spec after API-server defaulting (`pkg/apis/batch/v1/defaults.go`).
#[derive(Debug, Clone)]
pub struct Defaults {
    pub parallelism: i64,
    pub completions: Option<i64>,
    pub backoff_limit: i64,
    pub indexed: bool,
    pub suspend: bool,
    /// podReplacementPolicy `Failed` (forced by a podFailurePolicy).
    pub only_replace_failed: bool,
    pub on_failure: bool,
    pub backoff_limit_per_index: Option<i64>,
    pub max_failed_indexes: Option<i64>,
    pub active_deadline_seconds: Option<i64>,
    pub ttl: Option<i64>,
    pub grace_ms: Ms,
}

impl Defaults {
    pub fn of(spec: &model::JobSpec) -> Defaults {
        let (parallelism, completions) = match (spec.parallelism, spec.completions) {
            (None, None) => (1, Some(1)),
            (None, c) => (1, c),
            (Some(p), c) => (p, c),
        };
        let blpi = spec.backoff_limit_per_index;
        Defaults {
            parallelism: parallelism.max(0),
            completions,
            backoff_limit: spec.backoff_limit.unwrap_or(if blpi.is_some() {
                i32::MAX as i64
            } else {
                6
            }),
            indexed: spec.completion_mode.as_deref() == Some("Indexed"),
            suspend: spec.suspend.unwrap_or(false),
            only_replace_failed: spec.pod_failure_policy.is_some()
                || spec.pod_replacement_policy.as_deref() == Some("Failed"),
            on_failure: spec.template.spec.restart_policy.as_deref() == Some("OnFailure"),
            backoff_limit_per_index: blpi,
            max_failed_indexes: spec.max_failed_indexes,
            active_deadline_seconds: spec.active_deadline_seconds,
            ttl: spec.ttl_seconds_after_finished,
            grace_ms: spec
                .template
                .spec
                .termination_grace_period_seconds
                .unwrap_or(30)
                .max(0) as Ms
                * 1000,
        }
    }
}

/// One pending scenario override for a container's next runs.
#[derive(Debug, Clone)]
struct Override {
    count: u32,
    run: RunBehaviour,
}

/// The whole simulated world and its clock.
pub struct Sim<'a> {
    pub now: Ms,
    queue: BinaryHeap<Reverse<(Ms, u64, Ev)>>,
    seq: u64,
    pub scenario: &'a Scenario,
    pub input: &'a SimInput,
    /// Draws the Jobs' UIDs.
    pub uids: Rng,
    workload_rng: Rng,
    pub nodes: Vec<NodeState>,
    pub pods: Vec<Pod>,
    pub jobs: Vec<Job>,
    pub tl: Timeline,
    /// The pods' generateName suffixes, which never repeat (see `UniqueSuffixes`).
    pod_suffixes: UniqueSuffixes,
    container_runs: BTreeMap<String, u32>,
    overrides: BTreeMap<String, VecDeque<Override>>,
    /// Pods waiting for room, oldest first (entries of pods deleted or bound since are skipped).
    unschedulable: VecDeque<usize>,
    /// The Job controller does not sync before this instant (scenario `controllerDown`).
    pub controller_down_until: Option<Ms>,
    pub horizon: Ms,
    explicit_horizon: bool,
    events_processed: usize,
    pub stopped: Option<String>,
    extra: Vec<Box<dyn Controller>>,
    notes_seen: BTreeSet<String>,
    /// Events written ahead of their instant, in time order (see `event_ahead`).
    events_ahead: Vec<EventRecord>,
    /// The event list is in time order so far (checked against its last event as each joins,
    /// so the end of the run need not read the whole list again to know).
    events_in_order: bool,
    /// Containers in the Running state now: the end of the run looks for the logs of running
    /// containers only when there are some, instead of reading every pod again.
    running_containers: usize,
    /// The texts of each Job spec seen so far (a CronJob's Jobs share one spec).
    template_texts: Vec<(Arc<model::JobSpec>, Rc<TemplateTexts>)>,
    /// The kubelet's image pull back-off entries, by pod and container: few pods have one, so
    /// they are kept here rather than in every container.
    pull_backoff: BTreeMap<(usize, usize), Backoff>,
    pvc_files: BTreeMap<String, BTreeMap<String, File>>,
}

impl<'a> Sim<'a> {
    pub fn new(
        input: &'a SimInput,
        scenario: &'a Scenario,
        extra: Vec<Box<dyn Controller>>,
    ) -> Sim<'a> {
        let mut root = Rng::new(scenario.seed);
        let uids = root.fork(1);
        let workload_rng = root.fork(2);
        let pod_suffixes = UniqueSuffixes::new(&mut root.fork(3));
        let nodes = scenario
            .cluster
            .nodes
            .iter()
            .map(|n| NodeState {
                name: Text::new(&n.name),
                cpu: n.cpu.millis(),
                memory: n.memory.bytes(),
                max_pods: n.pods,
                labels: n.labels.clone(),
                cpu_used: 0,
                mem_used: 0,
                cpu_score_used: 0,
                mem_score_used: 0,
                pods: 0,
                images: BTreeSet::new(),
                unschedulable: false,
                lost: false,
            })
            .collect();
        let max_time = scenario.limits.max_time.0;
        let (horizon, explicit_horizon) = match scenario.horizon {
            Some(h) => (h.0.min(max_time), true),
            None => (DEFAULT_HORIZON_MS.min(max_time), false),
        };
        let start_unix_ms = scenario.start_unix_ms();
        let tl = Timeline {
            start: WallTime::utc(start_unix_ms).to_string(),
            start_unix_ms,
            ..Timeline::default()
        };
        Sim {
            now: 0,
            queue: BinaryHeap::new(),
            seq: 0,
            scenario,
            input,
            uids,
            workload_rng,
            nodes,
            pods: Vec::new(),
            jobs: Vec::new(),
            tl,
            pod_suffixes,
            container_runs: BTreeMap::new(),
            overrides: BTreeMap::new(),
            unschedulable: VecDeque::new(),
            controller_down_until: None,
            horizon,
            explicit_horizon,
            events_processed: 0,
            stopped: None,
            extra,
            notes_seen: BTreeSet::new(),
            template_texts: Vec::new(),
            pull_backoff: BTreeMap::new(),
            events_ahead: Vec::new(),
            events_in_order: true,
            running_containers: 0,
            pvc_files: BTreeMap::new(),
        }
    }

    /// The container's environment as the kubelet builds it for pod `pid`, or the
    /// CreateContainerConfigError text.
    fn env_of(
        &self,
        pid: usize,
        container: &model::Container,
    ) -> Result<Vec<(String, String)>, String> {
        let p = &self.pods[pid];
        let record = &self.tl.pods[pid];
        let facts = PodFacts {
            pod: p,
            pid,
            seed: self.scenario.seed,
            namespace: &self.jobs[p.job].namespace,
            node: p.node.map(|n| self.nodes[n].name.as_str()).unwrap_or(""),
            // The ServiceAccount admission plugin sets `default` when the pod names none
            // (plugin/pkg/admission/serviceaccount/admission.go).
            service_account: self.jobs[p.job]
                .spec
                .template
                .spec
                .service_account_name
                .as_deref()
                .filter(|name| !name.is_empty())
                .unwrap_or("default"),
            labels: &record.labels,
            annotations: &record.annotations,
        };
        resolve_env(container, &facts, self.input)
    }

    /// The shared texts of container `ci` of pod `pid`.
    fn container_texts(&self, pid: usize, ci: usize) -> &ContainerTexts {
        &self.jobs[self.pods[pid].job].texts.containers[ci]
    }

    /// The texts of `spec`'s pod template, made the first time the spec is seen.
    pub fn template_texts(&mut self, spec: &Arc<model::JobSpec>) -> Rc<TemplateTexts> {
        if let Some((_, texts)) = self
            .template_texts
            .iter()
            .find(|(s, _)| Arc::ptr_eq(s, spec))
        {
            return texts.clone();
        }
        let texts = Rc::new(TemplateTexts::of(spec, self.scenario.timings.image_pull.0));
        self.template_texts.push((spec.clone(), texts.clone()));
        texts
    }

    /// Events room is made for per pod: a pod that runs once has six written about it
    /// (SuccessfulCreate, Scheduled, Pulling, Pulled, Created, Started), fewer once its image
    /// is on the node.
    const EVENTS_PER_POD: usize = 6;

    /// Makes room for about `pods` pods up front, so big runs do not keep moving their records.
    pub fn reserve(&mut self, pods: usize) {
        let pods = pods.min(self.scenario.limits.max_pods);
        self.add_room_for(pods, pods.saturating_mul(Self::EVENTS_PER_POD));
    }

    /// Makes room for about `jobs` more Jobs of one pod each (a CronJob's runs): growing the
    /// lists of a month of Jobs step by step would copy them again and again. No more than the
    /// run may make (`limits.maxPods`): the count room was made for is returned, for the
    /// caller's own lists of the same Jobs.
    pub fn reserve_jobs(&mut self, jobs: usize) -> usize {
        let jobs = jobs.min(self.scenario.limits.max_pods);
        add_room(&mut self.jobs, jobs);
        add_room(&mut self.tl.jobs, jobs);
        // Besides its pod's events, a CronJob's Job has about five of its own and of the
        // CronJob's (a month of `*/1` with Forbid: 10.5 a Job).
        self.add_room_for(jobs, jobs.saturating_mul(Self::EVENTS_PER_POD + 5));
        jobs
    }

    /// Room for `pods` more pods and `events` more events than the lists have room for now.
    fn add_room_for(&mut self, pods: usize, events: usize) {
        add_room(&mut self.pods, pods);
        add_room(&mut self.tl.pods, pods);
        add_room(&mut self.tl.events, events);
    }

    /// Queues `ev` at instant `at` (never in the past).
    pub fn at(&mut self, at: Ms, ev: Ev) {
        self.seq += 1;
        self.queue.push(Reverse((at.max(self.now), self.seq, ev)));
    }

    /// Runs to the horizon, a bound, or until nothing is left to happen.
    pub fn run(&mut self) {
        for (i, f) in self.scenario.faults.iter().enumerate() {
            self.at(f.at.0, Ev::Fault(i));
        }
        let mut extra = std::mem::take(&mut self.extra);
        for (i, c) in extra.iter_mut().enumerate() {
            c.start(self, i);
        }
        self.extra = extra;
        let mut drained = true;
        while let Some(Reverse((at, _, ev))) = self.queue.pop() {
            // A requeue for a Job that has finished since (its deadline timer, say) changes
            // nothing and must not stretch the run.
            if let Ev::SyncJob(j) = ev {
                let job = &self.jobs[j];
                if job.finished || job.deleted || job.ctl.sync_at != Some(at) {
                    continue;
                }
            }
            if at > self.horizon {
                drained = false;
                self.now = self.horizon;
                if !self.explicit_horizon && self.jobs.iter().any(|j| !j.finished && !j.deleted) {
                    let running: Vec<&str> = self
                        .jobs
                        .iter()
                        .filter(|j| !j.finished && !j.deleted)
                        .map(|j| j.name.as_str())
                        .collect();
                    self.stop(format!(
                        "stopped after {} of virtual time (the default horizon) with Job {} still running",
                        super::units::format_go_duration(self.horizon),
                        running.join(", ")
                    ));
                }
                break;
            }
            self.now = at;
            self.events_processed += 1;
            if self.events_processed > self.scenario.limits.max_events {
                self.stop(format!(
                    "stopped after {} events (limits.maxEvents) at {}s of virtual time",
                    self.scenario.limits.max_events,
                    self.now / 1000
                ));
                break;
            }
            self.handle(ev);
            if self.stopped.is_some() {
                break;
            }
        }
        if drained && self.stopped.is_none() {
            self.idle_until_horizon();
        }
        self.tl.end = Time(self.now);
        self.finish_records();
    }

    /// Nothing is left to happen but a Job has not finished (a pod that cannot start): show the
    /// stuck state for a while (10 min, or to the horizon) and say why.
    fn idle_until_horizon(&mut self) {
        let stuck: Vec<String> = self
            .jobs
            .iter()
            .filter(|j| !j.finished && !j.deleted)
            .map(|j| j.name.to_string())
            .collect();
        if stuck.is_empty() {
            return;
        }
        let quiet_since = self.now;
        self.now = if self.explicit_horizon {
            self.horizon
        } else {
            (self.now + 600_000).min(self.horizon)
        };
        let why: Vec<&str> = self
            .pods
            .iter()
            .filter_map(|p| p.blocked.as_deref())
            .take(1)
            .collect();
        self.tl.notes.push(format!(
            "nothing changes after {}s: Job {} cannot make progress{}",
            quiet_since / 1000,
            stuck.join(", "),
            why.first().map(|w| format!(" ({w})")).unwrap_or_default()
        ));
    }

    pub fn stop(&mut self, why: String) {
        if self.stopped.is_none() {
            self.stopped = Some(why.clone());
            self.tl.truncated = Some(why);
        }
    }

    fn handle(&mut self, ev: Ev) {
        match ev {
            Ev::SyncJob(j) => self.on_sync_job(j),
            Ev::Schedule(p) => self.schedule_pod(p),
            Ev::PodStart(p) => self.start_pod(p),
            Ev::ContainerExit(p, c, run) => self.container_exit(p, c, run),
            Ev::ContainerRestart(p, c, run) => self.container_restart(p, c, run),
            Ev::PodKilled(p) => self.pod_killed(p),
            Ev::Fault(i) => self.fault(i),
            Ev::TtlExpired(j) => self.ttl_expired(j),
            Ev::PodGc(n) => self.pod_gc(n),
            Ev::PodDeadline(p) => self.pod_deadline(p),
            Ev::ImagePullFailed(p, c) => self.image_pull_failed(p, c),
            Ev::ImagePullSync(p, c) => self.image_pull_sync(p, c),
            Ev::Timer(c, token) => {
                let mut extra = std::mem::take(&mut self.extra);
                if let Some(ctl) = extra.get_mut(c) {
                    ctl.on_timer(self, token);
                }
                self.extra = extra;
            }
        }
    }

    /// Tells the extra controllers that a Job reached Complete or Failed (or was deleted).
    pub fn notify_job_finished(&mut self, job: usize) {
        let mut extra = std::mem::take(&mut self.extra);
        for c in extra.iter_mut() {
            c.on_job_finished(self, job);
        }
        self.extra = extra;
    }

    // ------------------------------------------------------------------------------------------
    // Events and records
    // ------------------------------------------------------------------------------------------

    pub fn event(
        &mut self,
        kind: EventObject,
        name: Text,
        type_: EventType,
        reason: Reason,
        message: impl Into<Text>,
        source: EventSource,
    ) {
        self.flush_events_ahead(self.now);
        self.note_event_order(self.now);
        self.tl.events.push(EventRecord {
            at: Time(self.now),
            kind,
            name,
            type_,
            reason,
            message: message.into(),
            source,
        });
    }

    /// An event written now about a later instant (an image pull's end): it joins the list when
    /// the clock gets there, so the list stays in time order as it grows.
    fn event_ahead(&mut self, event: EventRecord) {
        // After those at the same instant that were written before it (a stable order).
        let i = self.events_ahead.partition_point(|e| e.at <= event.at);
        self.events_ahead.insert(i, event);
    }

    /// Moves the events written ahead for instants up to `until` into the list.
    fn flush_events_ahead(&mut self, until: Ms) {
        let due = self.events_ahead.partition_point(|e| e.at.0 <= until);
        if due > 0 {
            // The ones written ahead are in time order among themselves (`event_ahead`).
            self.note_event_order(self.events_ahead[0].at.0);
            self.tl.events.extend(self.events_ahead.drain(..due));
        }
    }

    /// Notes whether an event at `at` keeps the list in time order when it joins it.
    fn note_event_order(&mut self, at: Ms) {
        if self.tl.events.last().is_some_and(|last| last.at.0 > at) {
            self.events_in_order = false;
        }
    }

    /// An event about a pod, reported by the kubelet.
    fn pod_event(
        &mut self,
        pid: usize,
        type_: EventType,
        reason: Reason,
        message: impl Into<Text>,
    ) {
        self.pod_event_from(pid, type_, reason, message, EventSource::Kubelet);
    }

    fn pod_event_from(
        &mut self,
        pid: usize,
        type_: EventType,
        reason: Reason,
        message: impl Into<Text>,
        source: EventSource,
    ) {
        let name = self.pods[pid].name.clone();
        self.event(EventObject::Pod, name, type_, reason, message, source);
    }

    /// An event about a Job, reported by the Job controller.
    pub fn job_event(
        &mut self,
        j: usize,
        type_: EventType,
        reason: Reason,
        message: impl Into<Text>,
    ) {
        let name = self.jobs[j].name.clone();
        self.event(
            EventObject::Job,
            name,
            type_,
            reason,
            message,
            EventSource::JobController,
        );
    }

    /// What a workload sees of a container run (environment resolved against the bundle).
    fn container_start(
        &self,
        pid: usize,
        container: &model::Container,
        run_no: u32,
        memory_limit: Option<u64>,
    ) -> ContainerStart {
        let p = &self.pods[pid];
        let ns = &self.jobs[p.job].namespace;
        ContainerStart {
            pod_name: p.name.to_string(),
            namespace: ns.to_string(),
            container_name: container.name.clone(),
            image: container.image.clone().unwrap_or_default(),
            command: container.command.clone(),
            args: container.args.clone(),
            env: self.env_of(pid, container).unwrap_or_default(),
            started_at_unix_ms: self.tl.start_unix_ms + self.now as i64,
            attempt: run_no,
            memory_limit_bytes: memory_limit,
            cpu_limit_millis: container
                .resources
                .limits
                .get("cpu")
                .and_then(|m| parse_cpu_millis(m)),
            mounts: self.mounts_for(pid, container),
            max_duration_ms: self.horizon.saturating_sub(self.now).max(1),
            sigterm_at_ms: None,
        }
    }

    fn note(&mut self, pod: usize, note: String) {
        if !self.tl.pods[pod].notes().contains(&note) {
            self.tl.pods[pod].extras_mut().notes.push(note.clone());
        }
        if self.notes_seen.insert(note.clone()) {
            self.tl.notes.push(note);
        }
    }

    /// Appends a status change to the pod's record if what kubectl shows changed.
    pub fn record_pod(&mut self, pid: usize) {
        let p = &self.pods[pid];
        let columns = PrintedColumns::of(p);
        let change = PodStatusChange {
            at: Time(self.now),
            phase: p.phase,
            reason: columns.status,
            ready: columns.ready,
            total: columns.total,
            restarts: columns.restarts,
            last_restart_at: columns.last_restart_at.map(Time).into(),
        };
        // The Job controller's OnFailure accounting sums every container's restarts, whatever
        // kubectl shows.
        let restarts = p.restart_count();
        let rec = &mut self.tl.pods[pid];
        rec.restarts = restarts;
        if let Some(last) = rec.phases.last_mut() {
            let same = last.phase == change.phase
                && last.reason == change.reason
                && last.ready == change.ready
                && last.restarts == change.restarts;
            if same {
                return;
            }
        }
        rec.phases.push(change);
    }

    fn set_ctr_state(&mut self, pid: usize, ci: usize, state: CState, exit_code: Option<i32>) {
        let now = self.now;
        let reason = state.reason();
        let c = &mut self.pods[pid].ctrs[ci];
        if c.state == CState::Running {
            self.running_containers -= 1;
        }
        if state == CState::Running {
            self.running_containers += 1;
        }
        c.state = state.clone();
        c.state_since = now;
        let rec = &mut self.tl.pods[pid].containers[ci];
        let kind = match state {
            CState::Waiting(_) => ContainerState::Waiting,
            CState::Running => ContainerState::Running,
            CState::Terminated { .. } => ContainerState::Terminated,
        };
        rec.states.push(ContainerStateInterval {
            from: Time(now),
            state: kind,
            reason,
            exit_code,
        });
    }

    fn finish_records(&mut self) {
        for j in 0..self.jobs.len() {
            let last = self.status_snapshot(j);
            let rec = &mut self.tl.jobs[j];
            rec.active = last.active;
            rec.ready = last.ready;
            rec.succeeded = last.succeeded;
            rec.failed = last.failed;
            rec.terminating = last.terminating;
            rec.completed_indexes = last.completed_indexes;
            rec.failed_indexes = last.failed_indexes;
            rec.start_time = last.start_time;
            rec.completion_time = last.completion_time;
        }
        self.flush_events_ahead(Ms::MAX);
        // The list is in time order already (events written ahead join it in time); should an
        // event ever be written out of turn, the sort keeps it true. A pass over the list just
        // to check would read all of it again, from main memory once it outgrows the cache.
        if !self.events_in_order {
            crate::sort::sort_by_key(&mut self.tl.events, |e| e.at);
        }
        // Logs of runs still going at the end: what they printed so far (no pod is read when
        // no container is running).
        if self.running_containers == 0 {
            return;
        }
        for pid in 0..self.pods.len() {
            for ci in 0..self.pods[pid].ctrs.len() {
                if self.pods[pid].ctrs[ci].state == CState::Running {
                    self.flush_logs(pid, ci, self.now);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Pods: creation (called by the Job controller), deletion, removal
    // ------------------------------------------------------------------------------------------

    /// Creates a pod for a Job as the API server would (name from generateName, labels,
    /// annotations, the tracking finalizer) and hands it to the scheduler.
    pub fn create_pod(&mut self, j: usize, index: Option<i64>) -> Option<usize> {
        if self.pods.len() >= self.scenario.limits.max_pods {
            let max = self.scenario.limits.max_pods;
            let job = self.jobs[j].name.clone();
            self.stop(format!(
                "stopped at {max} pods (limits.maxPods): Job {job} still wanted more pods at {}s",
                self.now / 1000
            ));
            return None;
        }
        let mut name = generate_name_prefix(&self.jobs[j].name, index);
        if !self.pod_suffixes.push_next(&mut name) {
            let count = UniqueSuffixes::COUNT;
            self.stop(format!(
                "stopped at {} pods: every one of the {count} five-character pod name suffixes is in use",
                self.pods.len()
            ));
            return None;
        }
        let name = Text::new(&name);
        let job = &self.jobs[j];
        let (labels, annotations, index_failure_count) = match index {
            None => (job.pod_labels.clone(), job.pod_annotations.clone(), 0),
            Some(i) => {
                let key = Text::from("batch.kubernetes.io/job-completion-index");
                let index = Text::from(i.to_string());
                let labels = job.pod_labels.with([(key.clone(), index.clone())]);
                let mut extra = vec![(key, index)];
                let mut failures = 0;
                if job.d.backoff_limit_per_index.is_some() {
                    let f = job.ctl.index_failures.get(&i).copied().unwrap_or_default();
                    extra.push((
                        "batch.kubernetes.io/job-index-failure-count".into(),
                        f.failures.to_string().into(),
                    ));
                    if f.ignored > 0 {
                        extra.push((
                            "batch.kubernetes.io/job-index-ignored-failure-count".into(),
                            f.ignored.to_string().into(),
                        ));
                    }
                    failures = f.failures;
                }
                (labels, job.pod_annotations.with(extra), failures)
            }
        };
        let ctrs: SmallVec<[Ctr; 1]> = job
            .texts
            .containers
            .iter()
            .map(|c| Ctr {
                kind: c.kind,
                state: CState::Waiting(Reason::ContainerCreating),
                state_since: self.now,
                restarts: 0,
                run_no: 0,
                run: None,
                last_restart_at: None,
                backoff: None,
                run_rng: None,
                name: c.name.clone(),
            })
            .collect();
        let pid = self.pods.len();
        // Every field spelled out: `..PodRecord::default()` would allocate (and drop) two maps.
        self.tl.pods.push(PodRecord {
            name: name.clone(),
            job: job.name.clone(),
            index,
            node: None,
            created_at: Time(self.now),
            deleted_at: None,
            phases: SmallVec::new(),
            containers: ctrs
                .iter()
                .map(|c| ContainerRecord {
                    name: c.name.clone(),
                    kind: c.kind,
                    states: SmallVec::new(),
                })
                .collect(),
            restarts: 0,
            exit_codes: SmallVec::new(),
            labels,
            annotations,
            extras: None,
        });
        let grace_ms = job.d.grace_ms;
        let init_count = job.texts.init_count;
        self.pods.push(Pod {
            name,
            job: j,
            index,
            node: None,
            phase: Phase::Pending,
            deletion_at: None,
            finished_at: None,
            finalizer: true,
            removed: false,
            ctrs,
            init_count,
            init_done: 0,
            initialized: false,
            sidecar_shutdown: None,
            reason: None,
            kubelet_stop: None,
            disruption_target: false,
            ignores_sigterm: false,
            grace_ms,
            blocked: None,
            last_scheduling_message: None,
            index_failure_count,
            empty_dirs: None,
        });
        self.jobs[j].live.push(pid);
        self.jobs[j].pods.push(pid);
        if init_count as usize > Reason::MAX_INIT_PROGRESS {
            let max = Reason::MAX_INIT_PROGRESS;
            self.note(pid, format!("pods of Job {} have {init_count} init containers; the simulator shows Init:<done>/<all> for at most {max} and PodInitializing beyond", self.jobs[j].name));
        }
        self.record_pod(pid);
        self.at(self.now, Ev::Schedule(pid));
        Some(pid)
    }

    /// Deletes a pod through the API (a DELETE with the pod's grace period). `finalizer_first`
    /// is how the Job controller deletes pods it does not want counted (`deleteJobPods`).
    pub fn delete_pod(&mut self, pid: usize, finalizer_first: bool) {
        if finalizer_first {
            self.pods[pid].finalizer = false;
        }
        let p = &self.pods[pid];
        if p.deletion_at.is_some() || p.removed {
            return;
        }
        self.pods[pid].deletion_at = Some(self.now);
        let p = &self.pods[pid];
        let on_node = p.node.is_some_and(|n| !self.nodes[n].lost);
        if p.phase.is_terminal() || !on_node || p.ctrs.iter().all(|c| c.state != CState::Running) {
            // Nothing runs: the kubelet (or the API server, for an unbound pod) ends it at once.
            if !p.phase.is_terminal() {
                self.stop_containers(pid, false);
                self.set_phase_after_kill(pid);
            }
        } else {
            let grace = p.grace_ms;
            // A pod the kubelet is already stopping (its own deadline) had its SIGTERM.
            let signalled = p.kubelet_stop.is_some();
            for ci in 0..self.pods[pid].ctrs.len() {
                if self.pods[pid].ctrs[ci].state == CState::Running && !signalled {
                    let msg = self.container_texts(pid, ci).stopping.clone();
                    self.pod_event(pid, EventType::Normal, Reason::Killing, msg);
                    self.sigterm(pid, ci);
                }
            }
            // Whatever still runs when the grace period is over gets SIGKILL.
            self.at(self.now + grace, Ev::PodKilled(pid));
        }
        self.record_pod(pid);
        self.try_remove(pid);
        self.pod_changed(pid);
    }

    /// SIGTERM to a running container's main process, and what its run does with it
    /// (`OnSigterm`): the kubelet's `killContainer` (pkg/kubelet/kuberuntime/
    /// kuberuntime_container.go) signals PID 1 only and waits up to the grace period.
    fn sigterm(&mut self, pid: usize, ci: usize) {
        let Some((started, run)) = self.pods[pid].ctrs[ci].run.as_deref() else {
            return;
        };
        let started = *started;
        if self.pods[pid].ignores_sigterm {
            return;
        }
        match run.on_sigterm {
            OnSigterm::Ignores => {}
            OnSigterm::Stops => {
                let stop = self.scenario.timings.pod_termination.0;
                let at = self.now + stop.min(self.pods[pid].grace_ms);
                if run_end(started, run) > at || run.ending == Ending::StillRunning {
                    let c = &mut self.pods[pid].ctrs[ci];
                    if let Some((_, run)) = c.run.as_deref_mut() {
                        run.duration_ms = at - started;
                        run.ending = Ending::Exited { code: 143 };
                    }
                    let run_no = c.run_no;
                    self.at(at, Ev::ContainerExit(pid, ci, run_no));
                }
            }
            OnSigterm::Handles => self.rerun_with_sigterm(pid, ci, started),
        }
    }

    /// Asks the workload for the same run again, now knowing when SIGTERM comes (a shell with a
    /// TERM trap), and puts the answer in place of the run.
    fn rerun_with_sigterm(&mut self, pid: usize, ci: usize, started: Ms) {
        let Some(rng) = self.pods[pid].ctrs[ci].run_rng.clone() else {
            return;
        };
        let job_spec = self.jobs[self.pods[pid].job].spec.clone();
        let container = container_at(&job_spec.template.spec, ci);
        let memory_limit = memory_limit_bytes(container);
        let run_no = self.pods[pid].ctrs[ci].run_no;
        let mut start = self.container_start(pid, container, run_no, memory_limit);
        start.started_at_unix_ms = self.tl.start_unix_ms + started as i64;
        start.max_duration_ms = self.horizon.saturating_sub(started).max(1);
        start.sigterm_at_ms = Some(self.now - started);
        let mut run = workload_for(&start, None).run(&start, &mut rng.clone());
        if memory_limit.is_some_and(|limit| run.peak_memory_bytes > limit) {
            run.ending = Ending::OomKilled;
        }
        let end = run_end(started, &run);
        let still_running = run.ending == Ending::StillRunning;
        self.pods[pid].ctrs[ci].run = Some(Box::new((started, run)));
        if !still_running {
            self.at(end, Ev::ContainerExit(pid, ci, run_no));
        }
    }

    /// The container's image, unless its pod has been deleted or ended meanwhile.
    fn image_still_wanted(&self, pid: usize, ci: usize) -> Option<String> {
        let p = &self.pods[pid];
        if p.deletion_at.is_some() || p.phase.is_terminal() {
            return None;
        }
        let template = &self.jobs[p.job].spec.template;
        Some(
            container_at(&template.spec, ci)
                .image
                .clone()
                .unwrap_or_default(),
        )
    }

    /// A pull of an image the registry does not have fails. Kubernetes 1.34, `EnsureImageExists`
    /// (pkg/kubelet/images/image_manager.go): a `Failed` event with the runtime's error, the
    /// container waits with reason `ErrImagePull`, and the pull goes into back-off (10 s doubling
    /// to 5 min, like CrashLoopBackOff). The pod stays Pending and never starts. The kubelet syncs
    /// the pod again a second later after the first failure (the new sandbox's lifecycle event
    /// wakes it), and after later ones when its failed sync is retried (`KUBELET_RETRY_SYNC_MS`).
    fn image_pull_failed(&mut self, pid: usize, ci: usize) {
        let Some(image) = self.image_still_wanted(pid, ci) else {
            return;
        };
        let reference = full_image_reference(&image);
        let error = format!(
            "rpc error: code = NotFound desc = failed to pull and unpack image {reference:?}: failed to resolve reference {reference:?}: {reference}: not found"
        );
        self.pod_event(
            pid,
            EventType::Warning,
            Reason::Failed,
            format!("Failed to pull image {image:?}: {error}"),
        );
        self.pod_event(
            pid,
            EventType::Warning,
            Reason::Failed,
            "Error: ErrImagePull",
        );
        self.set_ctr_state(pid, ci, CState::Waiting(Reason::ErrImagePull), None);
        let blocked = format!("image {image:?} cannot be pulled: not found");
        self.pods[pid].blocked = Some(blocked.into());
        self.record_pod(pid);
        let entry = self.pull_backoff.get(&(pid, ci)).copied();
        let next_sync = if entry.is_none() {
            1_000
        } else {
            KUBELET_RETRY_SYNC_MS
        };
        // `backOff.Next` after the failed pull.
        let backoff = next_backoff(entry, self.now, self.now);
        self.pull_backoff.insert((pid, ci), backoff);
        self.at(self.now + next_sync, Ev::ImagePullSync(pid, ci));
    }

    /// The kubelet starts pulling an image the registry does not have: `Pulling`, and the pull
    /// fails after the pull time (`image_pull_failed`).
    fn pull_missing_image(&mut self, pid: usize, ci: usize) {
        let msg = self.container_texts(pid, ci).pulling.clone();
        self.pod_event(pid, EventType::Normal, Reason::Pulling, msg);
        self.at(
            self.now + self.scenario.timings.image_pull.0,
            Ev::ImagePullFailed(pid, ci),
        );
    }

    /// The kubelet syncs a pod whose image pull failed. Within the back-off window
    /// (`IsInBackOffSinceUpdate`) it does not pull: a `BackOff` event and `ImagePullBackOff`, and
    /// the failed sync is retried later. Past the window it pulls again, which fails again
    /// (`image_pull_failed`): a pull 10 s, 20 s, 40 s … then every 5 min after the one before,
    /// rounded up to the kubelet's syncs.
    fn image_pull_sync(&mut self, pid: usize, ci: usize) {
        let Some(image) = self.image_still_wanted(pid, ci) else {
            return;
        };
        let Some(backoff) = self.pull_backoff.get(&(pid, ci)).copied() else {
            return;
        };
        if self.now.saturating_sub(backoff.last_update) >= backoff.delay {
            self.pull_missing_image(pid, ci);
            return;
        }
        self.pod_event(
            pid,
            EventType::Normal,
            Reason::BackOff,
            format!("Back-off pulling image {image:?}"),
        );
        self.pod_event(
            pid,
            EventType::Warning,
            Reason::Failed,
            "Error: ImagePullBackOff",
        );
        // The waiting reason changes once after each failed pull, not at every sync.
        let waiting = CState::Waiting(Reason::ImagePullBackOff);
        if self.pods[pid].ctrs[ci].state != waiting {
            self.set_ctr_state(pid, ci, waiting, None);
            self.record_pod(pid);
        }
        self.at(self.now + KUBELET_RETRY_SYNC_MS, Ev::ImagePullSync(pid, ci));
    }

    /// The pod's `activeDeadlineSeconds` is over. Kubernetes 1.34: the kubelet's
    /// activeDeadlineHandler (pkg/kubelet/active_deadline.go) records a `DeadlineExceeded` event
    /// and asks for the pod to be stopped; its containers get SIGTERM and the grace period, like a
    /// deletion. The API keeps the pod Running while containers may run (`mergePodStatus`,
    /// pkg/kubelet/status/status_manager.go), then reports phase Failed, reason
    /// `DeadlineExceeded`. The pod is not deleted: the Job controller counts a failed pod.
    fn pod_deadline(&mut self, pid: usize) {
        let p = &self.pods[pid];
        if p.phase.is_terminal() || p.removed || p.deletion_at.is_some() || p.kubelet_stop.is_some()
        {
            return;
        }
        self.pods[pid].kubelet_stop = Some(Reason::DeadlineExceeded);
        self.pod_event(
            pid,
            EventType::Normal,
            Reason::DeadlineExceeded,
            "Pod was active on the node longer than the specified deadline",
        );
        let mut running = false;
        for ci in 0..self.pods[pid].ctrs.len() {
            if self.pods[pid].ctrs[ci].state == CState::Running {
                running = true;
                let msg = self.container_texts(pid, ci).stopping.clone();
                self.pod_event(pid, EventType::Normal, Reason::Killing, msg);
                self.sigterm(pid, ci);
            }
        }
        if running {
            self.at(self.now + self.pods[pid].grace_ms, Ev::PodKilled(pid));
        } else {
            self.stop_containers(pid, false);
            self.end_kubelet_stop(pid);
            self.record_pod(pid);
            self.pod_changed(pid);
        }
    }

    /// Every container of a pod the kubelet stopped is down: phase Failed with the stop's reason.
    fn end_kubelet_stop(&mut self, pid: usize) {
        self.pods[pid].reason = self.pods[pid].kubelet_stop;
        self.set_terminal(pid, Phase::Failed);
    }

    /// The grace period is over: whatever still runs gets SIGKILL (exit code 137).
    fn pod_killed(&mut self, pid: usize) {
        if self.pods[pid].phase.is_terminal() || self.pods[pid].removed {
            return;
        }
        self.stop_containers(pid, true);
        if self.pods[pid].kubelet_stop.is_some() {
            self.end_kubelet_stop(pid);
        } else {
            self.set_phase_after_kill(pid);
        }
        self.record_pod(pid);
        self.try_remove(pid);
        self.pod_changed(pid);
    }

    /// Stops running containers: exit 143 after SIGTERM, 137 after SIGKILL.
    fn stop_containers(&mut self, pid: usize, sigkill: bool) {
        let code = if sigkill { 137 } else { 143 };
        for ci in 0..self.pods[pid].ctrs.len() {
            match self.pods[pid].ctrs[ci].state {
                CState::Running => {
                    self.flush_logs(pid, ci, self.now);
                    self.tl.pods[pid].exit_codes.push(code);
                    self.set_ctr_state(
                        pid,
                        ci,
                        CState::Terminated {
                            code,
                            reason: Reason::Error,
                        },
                        Some(code),
                    );
                }
                CState::Waiting(_) => {
                    // Between restarts (CrashLoopBackOff): nothing runs, so nothing is signalled;
                    // the container keeps the exit code of its last run. Never started: it ends
                    // without an exit of its own.
                    if self.pods[pid].ctrs[ci].run_no > 0 || self.pods[pid].ctrs[ci].run.is_some() {
                        let last = self.tl.pods[pid].containers[ci]
                            .states
                            .iter()
                            .rev()
                            .find_map(|s| s.exit_code)
                            .unwrap_or(code);
                        self.set_ctr_state(
                            pid,
                            ci,
                            CState::Terminated {
                                code: last,
                                reason: if last == 0 {
                                    Reason::Completed
                                } else {
                                    Reason::Error
                                },
                            },
                            Some(last),
                        );
                    }
                }
                CState::Terminated { .. } => {}
            }
        }
    }

    /// The pod's phase once everything in it was stopped: Succeeded if its regular containers
    /// had all exited 0 (its sidecars' exits do not count).
    fn set_phase_after_kill(&mut self, pid: usize) {
        let regular = self.pods[pid].regular_ctrs();
        let all_zero = !regular.is_empty()
            && regular
                .iter()
                .all(|c| matches!(c.state, CState::Terminated { code: 0, .. }));
        self.set_terminal(
            pid,
            if all_zero {
                Phase::Succeeded
            } else {
                Phase::Failed
            },
        );
    }

    /// The pod reached Succeeded or Failed: its node's resources are free again.
    fn set_terminal(&mut self, pid: usize, phase: Phase) {
        if self.pods[pid].phase.is_terminal() {
            return;
        }
        self.pods[pid].phase = phase;
        self.pods[pid].finished_at = Some(self.now);
        self.release_node(pid);
    }

    fn release_node(&mut self, pid: usize) {
        if let Some(n) = self.pods[pid].node {
            let (cpu, mem) = self.jobs[self.pods[pid].job].requests;
            let node = &mut self.nodes[n];
            node.cpu_used = node.cpu_used.saturating_sub(cpu);
            node.mem_used = node.mem_used.saturating_sub(mem);
            node.cpu_score_used =
                node.cpu_score_used
                    .saturating_sub(cpu.max(if cpu == 0 { 100 } else { 0 }));
            node.mem_score_used =
                node.mem_score_used
                    .saturating_sub(mem.max(if mem == 0 { 200 << 20 } else { 0 }));
            node.pods = node.pods.saturating_sub(1);
            if !self.unschedulable.is_empty() {
                self.retry_unschedulable();
            }
        }
    }

    /// A pod with a deletion timestamp disappears once it is terminal and its finalizer is gone.
    pub fn try_remove(&mut self, pid: usize) {
        let p = &self.pods[pid];
        if p.removed || p.deletion_at.is_none() || p.finalizer || !p.phase.is_terminal() {
            return;
        }
        self.pods[pid].removed = true;
        self.tl.pods[pid].deleted_at = Some(Time(self.now));
    }

    /// A pod changed in a way its Job controller watches: queue a batched sync.
    pub fn pod_changed(&mut self, pid: usize) {
        let j = self.pods[pid].job;
        self.enqueue_sync(j, self.now + SYNC_BATCH_MS);
    }

    /// The workqueue: a Job waits at most once, at the earliest time asked (`AddAfter`).
    pub fn enqueue_sync(&mut self, j: usize, at: Ms) {
        let job = &mut self.jobs[j];
        if job.deleted || job.finished {
            return;
        }
        if job.ctl.sync_at.is_some_and(|t| t <= at) {
            return;
        }
        job.ctl.sync_at = Some(at);
        self.at(at, Ev::SyncJob(j));
    }

    fn on_sync_job(&mut self, j: usize) {
        if self.jobs[j].ctl.sync_at != Some(self.now) {
            return; // superseded by an earlier sync
        }
        self.jobs[j].ctl.sync_at = None;
        if let Some(until) = self.controller_down_until {
            if self.now < until {
                self.enqueue_sync(j, until);
                return;
            }
        }
        self.sync_job(j);
    }

    // ------------------------------------------------------------------------------------------
    // Scheduler
    // ------------------------------------------------------------------------------------------

    fn schedule_pod(&mut self, pid: usize) {
        if !self.waits_for_node(pid) {
            return;
        }
        if let Err(msg) = self.place(pid) {
            self.failed_scheduling(pid, msg);
            self.unschedulable.push_back(pid);
        }
    }

    fn waits_for_node(&self, pid: usize) -> bool {
        let p = &self.pods[pid];
        p.node.is_none() && p.deletion_at.is_none() && !p.phase.is_terminal()
    }

    /// Records FailedScheduling, once per distinct message (the real scheduler repeats it with
    /// back-off; one line per change is what a learner needs).
    fn failed_scheduling(&mut self, pid: usize, msg: String) {
        if self.pods[pid].last_scheduling_message.as_deref() != Some(msg.as_str()) {
            self.pod_event_from(
                pid,
                EventType::Warning,
                Reason::FailedScheduling,
                msg.clone(),
                EventSource::Scheduler,
            );
            self.pods[pid].last_scheduling_message = Some(msg.into());
        }
    }

    /// Filters the nodes (cordoned, nodeSelector, requests), scores the rest (LeastAllocated,
    /// ties to the earlier node) and binds; or returns the FailedScheduling message.
    fn place(&mut self, pid: usize) -> Result<(), String> {
        let p = &self.pods[pid];
        let selector = &self.jobs[p.job].spec.template.spec.node_selector;
        let (cpu, mem) = self.jobs[p.job].requests;
        let mut best: Option<(u64, usize)> = None;
        let mut reasons: BTreeMap<&'static str, usize> = BTreeMap::new();
        let mut resource_only = true;
        let live_nodes = self.nodes.iter().filter(|n| !n.lost).count();
        for (i, n) in self.nodes.iter().enumerate() {
            if n.lost {
                continue;
            }
            if n.unschedulable {
                *reasons.entry("node(s) were unschedulable").or_default() += 1;
                resource_only = false;
                continue;
            }
            if selector.iter().any(|(k, v)| n.labels.get(k) != Some(v)) {
                *reasons
                    .entry("node(s) didn't match Pod's node affinity/selector")
                    .or_default() += 1;
                resource_only = false;
                continue;
            }
            let mut fits = true;
            if n.cpu_used + cpu > n.cpu {
                *reasons.entry("Insufficient cpu").or_default() += 1;
                fits = false;
            }
            if n.mem_used + mem > n.memory {
                *reasons.entry("Insufficient memory").or_default() += 1;
                fits = false;
            }
            if n.pods + 1 > n.max_pods {
                *reasons.entry("Too many pods").or_default() += 1;
                fits = false;
            }
            if !fits {
                continue;
            }
            // NodeResourcesFit LeastAllocated: the emptier node scores higher.
            let score_cpu = cpu.max(if cpu == 0 { 100 } else { 0 });
            let score_mem = mem.max(if mem == 0 { 200 << 20 } else { 0 });
            let free_cpu = n.cpu.saturating_sub(n.cpu_score_used + score_cpu) * 1000 / n.cpu.max(1);
            let free_mem =
                n.memory.saturating_sub(n.mem_score_used + score_mem) * 1000 / n.memory.max(1);
            let score = free_cpu + free_mem;
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, i));
            }
        }
        if let Some((_, n)) = best {
            self.bind(pid, n);
            return Ok(());
        }
        let mut parts: Vec<String> = reasons.iter().map(|(r, c)| format!("{c} {r}")).collect();
        crate::sort::sort(&mut parts);
        let preemption = if resource_only {
            format!("preemption: 0/{live_nodes} nodes are available: {live_nodes} No preemption victims found for incoming pod.")
        } else {
            format!("preemption: 0/{live_nodes} nodes are available: {live_nodes} Preemption is not helpful for scheduling.")
        };
        Err(format!(
            "0/{live_nodes} nodes are available: {}. {preemption}",
            parts.join(", ")
        ))
    }

    /// Room was freed: try the waiting pods, oldest first. After a few misses in a row the rest
    /// wait for the next change, which keeps a queue of thousands of pods cheap.
    fn retry_unschedulable(&mut self) {
        const MISSES: usize = 4;
        let mut missed = Vec::new();
        while missed.len() < MISSES {
            let Some(pid) = self.unschedulable.pop_front() else {
                break;
            };
            if !self.waits_for_node(pid) {
                continue;
            }
            if let Err(msg) = self.place(pid) {
                self.failed_scheduling(pid, msg);
                missed.push(pid);
            }
        }
        for pid in missed.into_iter().rev() {
            self.unschedulable.push_front(pid);
        }
    }

    fn bind(&mut self, pid: usize, n: usize) {
        let (cpu, mem) = self.jobs[self.pods[pid].job].requests;
        let node = &mut self.nodes[n];
        node.cpu_used += cpu;
        node.mem_used += mem;
        node.cpu_score_used += cpu.max(if cpu == 0 { 100 } else { 0 });
        node.mem_score_used += mem.max(if mem == 0 { 200 << 20 } else { 0 });
        node.pods += 1;
        self.pods[pid].node = Some(n);
        let p = &self.pods[pid];
        let message = Text::concat(&[
            "Successfully assigned ",
            &self.jobs[p.job].namespace,
            "/",
            &p.name,
            " to ",
            &self.nodes[n].name,
        ]);
        self.tl.pods[pid].node = Some(self.nodes[n].name.clone());
        self.pod_event_from(
            pid,
            EventType::Normal,
            Reason::Scheduled,
            message,
            EventSource::Scheduler,
        );
        // The kubelet sets status.startTime when it first syncs the pod, right after binding;
        // the pod's own deadline counts from there (pkg/kubelet/active_deadline.go).
        let template = &self.jobs[self.pods[pid].job].spec.template;
        if let Some(ads) = template.spec.active_deadline_seconds {
            self.at(self.now + ads.max(0) as Ms * 1000, Ev::PodDeadline(pid));
        }
        // Until a container is created the kubelet reports it waiting, as `PodInitializing` in
        // a pod with init containers (`convertToAPIContainerStatuses`, pkg/kubelet/kubelet_pods.go).
        let waiting = if self.pods[pid].init_count > 0 {
            Reason::PodInitializing
        } else {
            Reason::ContainerCreating
        };
        for ci in 0..self.pods[pid].ctrs.len() {
            self.set_ctr_state(pid, ci, CState::Waiting(waiting), None);
        }
        self.record_pod(pid);
        self.kubelet_prepare(pid, n);
    }

    // ------------------------------------------------------------------------------------------
    // Kubelet
    // ------------------------------------------------------------------------------------------

    /// Volumes, image pull, container config: what happens between binding and running.
    fn kubelet_prepare(&mut self, pid: usize, n: usize) {
        let spec = &self.jobs[self.pods[pid].job].spec.template.spec;
        // Volumes (kubelet volume manager): a missing source keeps the pod in ContainerCreating.
        if let Some(msg) = missing_volume_source(spec, self.input) {
            self.pod_event(pid, EventType::Warning, Reason::FailedMount, msg.clone());
            self.pods[pid].blocked = Some(msg.into());
            return;
        }
        self.prepare_next_containers(pid, n);
    }

    /// The containers the kubelet starts next: the next init container while the pod
    /// initialises (one at a time, in order: `computeInitContainerActions`,
    /// pkg/kubelet/kuberuntime/kuberuntime_manager.go), then all the regular containers.
    fn next_containers(&self, pid: usize) -> std::ops::Range<usize> {
        let p = &self.pods[pid];
        let (done, init) = (p.init_done as usize, p.init_count as usize);
        if done < init {
            done..done + 1
        } else {
            init..p.ctrs.len()
        }
    }

    /// Image pull and container config for the containers the kubelet starts next, then their
    /// start (`Ev::PodStart`).
    fn prepare_next_containers(&mut self, pid: usize, n: usize) {
        let job_spec = self.jobs[self.pods[pid].job].spec.clone();
        let spec = &job_spec.template.spec;
        let next = self.next_containers(pid);
        // 1. Images.
        let mut delay: Ms = 0;
        let mut pull_fails = false;
        for ci in next.clone() {
            let c = container_at(spec, ci);
            let image = c.image.as_deref().unwrap_or("");
            if self
                .scenario
                .cluster
                .missing_images
                .iter()
                .any(|m| m == image)
            {
                self.pull_missing_image(pid, ci);
                pull_fails = true;
            } else if self.nodes[n].images.contains(image) {
                let msg = self.container_texts(pid, ci).image_present.clone();
                self.pod_event(pid, EventType::Normal, Reason::Pulled, msg);
                delay = delay.max(self.scenario.timings.image_pull_cached.0);
            } else {
                let pull = self.scenario.timings.image_pull.0;
                let msg = self.container_texts(pid, ci).pulling.clone();
                self.pod_event(pid, EventType::Normal, Reason::Pulling, msg);
                self.nodes[n].images.insert(image.to_string());
                delay = delay.max(pull);
                let message = self.container_texts(pid, ci).pulled.clone();
                self.event_ahead(EventRecord {
                    at: Time(self.now + pull),
                    kind: EventObject::Pod,
                    name: self.pods[pid].name.clone(),
                    type_: EventType::Normal,
                    reason: Reason::Pulled,
                    message,
                    source: EventSource::Kubelet,
                });
            }
        }
        if pull_fails {
            return;
        }
        // 2. Container config: env from ConfigMaps/Secrets must resolve.
        for ci in next {
            let c = container_at(spec, ci);
            let needs_objects =
                !c.env_from.is_empty() || c.env.iter().any(|e| e.value_from.is_some());
            let resolved = match needs_objects {
                true => self.env_of(pid, c).map(|_| ()),
                false => Ok(()),
            };
            if let Err(msg) = resolved {
                let msg = format!("Error: {msg}");
                self.event_ahead(EventRecord {
                    at: Time(self.now + delay),
                    kind: EventObject::Pod,
                    name: self.pods[pid].name.clone(),
                    type_: EventType::Warning,
                    reason: Reason::Failed,
                    message: msg.clone().into(),
                    source: EventSource::Kubelet,
                });
                self.pods[pid].blocked = Some(msg.into());
                // The status flips after the pull.
                let now = self.now;
                self.now += delay;
                self.set_ctr_state(
                    pid,
                    ci,
                    CState::Waiting(Reason::CreateContainerConfigError),
                    None,
                );
                self.record_pod(pid);
                self.now = now;
                return;
            }
        }
        self.at(
            self.now + delay + self.scenario.timings.container_start.0,
            Ev::PodStart(pid),
        );
    }

    fn start_pod(&mut self, pid: usize) {
        let p = &self.pods[pid];
        if p.deletion_at.is_some()
            || p.kubelet_stop.is_some()
            || p.sidecar_shutdown.is_some()
            || p.phase.is_terminal()
            || p.node.is_some_and(|n| self.nodes[n].lost)
        {
            return;
        }
        if p.init_done < p.init_count {
            // The pod stays Pending while it initialises (`getPhase`, pkg/kubelet/kubelet_pods.go).
            let ci = p.init_done as usize;
            self.start_container(pid, ci);
            if self.pods[pid].ctrs[ci].kind == ContainerKind::Sidecar {
                // A sidecar counts as started once it runs (no startup probe is simulated): the
                // next container starts beside it.
                self.init_container_done(pid);
            }
            self.record_pod(pid);
            return;
        }
        for ci in self.next_containers(pid) {
            self.start_container(pid, ci);
        }
        self.pods[pid].phase = Phase::Running;
        self.pods[pid].initialized = true;
        self.record_pod(pid);
        self.pod_changed(pid);
    }

    /// An init container exited 0 (or a sidecar started): the kubelet goes on to the next one,
    /// or to the regular containers.
    fn init_container_done(&mut self, pid: usize) {
        self.pods[pid].init_done += 1;
        if let Some(n) = self.pods[pid].node {
            self.prepare_next_containers(pid, n);
        }
    }

    /// Runs one container: asks its workload what the run does and queues its end.
    fn start_container(&mut self, pid: usize, ci: usize) {
        let j = self.pods[pid].job;
        let job_spec = self.jobs[j].spec.clone();
        let container = container_at(&job_spec.template.spec, ci);
        let memory_limit = memory_limit_bytes(container);
        let scripted = self.scripted_behaviour(&container.name, self.pods[pid].index);
        let run_no = self.pods[pid].ctrs[ci].run_no;
        let mut run_rng = None;
        let mut run = match scripted {
            // The scenario's behaviour needs nothing from the container's environment.
            Some(b) => ScriptedRun(b).run_with_limit(memory_limit),
            None => {
                let start = self.container_start(pid, container, run_no, memory_limit);
                let rng = self.workload_rng.fork(pid as u64 * 1000 + run_no as u64);
                let run = workload_for(&start, None).run(&start, &mut rng.clone());
                run_rng = Some(rng);
                run
            }
        };
        if memory_limit.is_some_and(|limit| run.peak_memory_bytes > limit) {
            run.ending = Ending::OomKilled;
        }
        // Every start of a container is a new container to the runtime: the kubelet reports it
        // as created and started each time (`startContainer`,
        // pkg/kubelet/kuberuntime/kuberuntime_container.go), and a restart first finds its image
        // already on the node (`EnsureImageExists`). The event recorder folds the repeats into
        // counts, which `kubectl describe` shows as `(x3 over 40s)`.
        let texts = self.container_texts(pid, ci);
        let (created, started) = (texts.created.clone(), texts.started.clone());
        if run_no > 0 {
            let present = texts.image_present.clone();
            self.pod_event(pid, EventType::Normal, Reason::Pulled, present);
        }
        self.pod_event(pid, EventType::Normal, Reason::Created, created);
        self.pod_event(pid, EventType::Normal, Reason::Started, started);
        let end = run_end(self.now, &run);
        let still_running = run.ending == Ending::StillRunning;
        self.pods[pid].ctrs[ci].run = Some(Box::new((self.now, run)));
        self.pods[pid].ctrs[ci].run_rng = run_rng;
        self.set_ctr_state(pid, ci, CState::Running, None);
        if !still_running {
            self.at(end, Ev::ContainerExit(pid, ci, run_no));
        }
    }

    /// The scenario's behaviour for the next run of a container, if it describes one.
    fn scripted_behaviour(&mut self, container: &str, index: Option<i64>) -> Option<RunBehaviour> {
        let n = match self.container_runs.get_mut(container) {
            Some(c) => {
                *c += 1;
                *c - 1
            }
            None => {
                self.container_runs.insert(container.to_string(), 1);
                0
            }
        };
        let b = self.scenario.containers.get(container);
        // Only what the scenario actually describes replaces the container's own command.
        let mut run = b
            .filter(|b| {
                b.duration.is_some()
                    || b.exit_code.is_some()
                    || b.memory.is_some()
                    || b.logs.is_some()
            })
            .map(|b| RunBehaviour {
                duration: b.duration,
                exit_code: b.exit_code,
                memory: b.memory.clone(),
                logs: b.logs.clone(),
            });
        if let Some(b) = b {
            if let Some(i) = index.and_then(|i| b.by_index.get(&i)) {
                run = Some(overlay(run.unwrap_or_default(), i));
            }
            if let Some(r) = b.runs.get(n as usize) {
                run = Some(overlay(run.unwrap_or_default(), r));
            } else if let Some(p) = b.failure_probability {
                if self.workload_rng.chance(p) {
                    let failure = b.failure.clone().unwrap_or(RunBehaviour {
                        exit_code: Some(1),
                        ..RunBehaviour::default()
                    });
                    let mut f = overlay(run.unwrap_or_default(), &failure);
                    if f.exit_code.is_none_or(|c| c == 0) && failure.memory.is_none() {
                        f.exit_code = Some(1);
                    }
                    run = Some(f);
                }
            }
        }
        if let Some(queue) = self.overrides.get_mut(container) {
            if let Some(front) = queue.front_mut() {
                let o = front.run.clone();
                front.count -= 1;
                if front.count == 0 {
                    queue.pop_front();
                }
                run = Some(overlay(run.unwrap_or_default(), &o));
            }
        }
        run
    }

    fn mounts_for(&self, pid: usize, container: &model::Container) -> Vec<Mount> {
        let spec = &self.jobs[self.pods[pid].job].spec.template.spec;
        let mut out = Vec::new();
        for vm in &container.volume_mounts {
            let Some(vol) = spec.volumes.iter().find(|v| v.name == vm.name) else {
                continue;
            };
            let (kind, files) = if let Some(cm) = &vol.config_map {
                let data = self
                    .input
                    .config_maps
                    .iter()
                    .find(|c| c.metadata.name.as_deref() == Some(cm.name.as_str()))
                    .map(|c| c.data.clone())
                    .unwrap_or_default();
                (
                    MountKind::ConfigMap,
                    key_files(&data, &cm.items, cm.default_mode),
                )
            } else if let Some(s) = &vol.secret {
                let data = self
                    .input
                    .secrets
                    .iter()
                    .find(|c| c.metadata.name.as_deref() == Some(s.secret_name.as_str()))
                    .map(|c| c.data.clone())
                    .unwrap_or_default();
                (
                    MountKind::Secret,
                    key_files(&data, &s.items, s.default_mode),
                )
            } else if vol.empty_dir.is_some() {
                (
                    MountKind::EmptyDir,
                    self.pods[pid]
                        .empty_dirs
                        .as_deref()
                        .and_then(|dirs| dirs.get(&vol.name))
                        .cloned()
                        .unwrap_or_default(),
                )
            } else if let Some(pvc) = &vol.persistent_volume_claim {
                (
                    MountKind::PersistentVolumeClaim,
                    self.pvc_files
                        .get(&pvc.claim_name)
                        .cloned()
                        .unwrap_or_default(),
                )
            } else {
                continue;
            };
            out.push(Mount {
                volume_name: vol.name.clone(),
                mount_path: vm.mount_path.clone(),
                read_only: vm.read_only.unwrap_or(false),
                kind,
                files,
            });
        }
        out
    }

    /// Copies what a run printed up to `until` into the pod's record, and its note. The note
    /// waits for the run's end because a run is worked out whole when it starts, before anyone
    /// knows when SIGTERM comes: a sidecar's endless loop is first run to the time limit (and
    /// says so), then run again up to the signal (`rerun_with_sigterm`), and only the run that
    /// happened should speak.
    fn flush_logs(&mut self, pid: usize, ci: usize, until: Ms) {
        let Some((started, run)) = self.pods[pid].ctrs[ci].run.take().map(|r| *r) else {
            return;
        };
        if let Some(note) = &run.note {
            self.note(pid, note.clone());
        }
        if run.logs.is_empty() && run.persisted.is_empty() {
            return;
        }
        let name = self.pods[pid].ctrs[ci].name.to_string();
        let run_no = self.pods[pid].ctrs[ci].run_no;
        for l in &run.logs {
            let at = started + l.at_ms;
            if at > until {
                break;
            }
            self.tl.pods[pid].extras_mut().logs.push(LogRecord {
                at: Time(at),
                container: name.clone(),
                run: run_no,
                stderr: l.stream == Stream::Stderr,
                text: l.text.clone(),
            });
        }
        self.persist_files(pid, ci, &run);
    }

    fn persist_files(&mut self, pid: usize, ci: usize, run: &ContainerRun) {
        if run.persisted.is_empty() {
            return;
        }
        let j = self.pods[pid].job;
        let job_spec = self.jobs[j].spec.clone();
        let spec = &job_spec.template.spec;
        let container = container_at(spec, ci);
        for (path, files) in &run.persisted {
            let Some(vm) = container
                .volume_mounts
                .iter()
                .find(|m| &m.mount_path == path)
            else {
                continue;
            };
            let Some(vol) = spec.volumes.iter().find(|v| v.name == vm.name) else {
                continue;
            };
            if vol.empty_dir.is_some() {
                self.pods[pid]
                    .empty_dirs
                    .get_or_insert_default()
                    .insert(vol.name.clone(), files.clone());
            } else if let Some(pvc) = &vol.persistent_volume_claim {
                self.pvc_files.insert(pvc.claim_name.clone(), files.clone());
            }
        }
    }

    fn container_exit(&mut self, pid: usize, ci: usize, run_no: u32) {
        let c = &self.pods[pid].ctrs[ci];
        if c.run_no != run_no || c.state != CState::Running || self.pods[pid].phase.is_terminal() {
            return;
        }
        // A run changed by SIGTERM ends at another instant; its first end is stale.
        if c.run
            .as_deref()
            .is_some_and(|(at, run)| run_end(*at, run) != self.now)
        {
            return;
        }
        let ending = c
            .run
            .as_deref()
            .map(|(_, r)| r.ending)
            .unwrap_or(Ending::Exited { code: 0 });
        self.flush_logs(pid, ci, self.now);
        let (code, reason) = match ending {
            Ending::Exited { code: 0 } => (0, Reason::Completed),
            Ending::Exited { code } => (code, Reason::Error),
            Ending::OomKilled => (137, Reason::OomKilled),
            Ending::StillRunning => return,
        };
        self.tl.pods[pid].exit_codes.push(code);
        self.set_ctr_state(pid, ci, CState::Terminated { code, reason }, Some(code));
        let j = self.pods[pid].job;
        let on_failure = self.jobs[j].d.on_failure;
        let p = &self.pods[pid];
        let stopping = p.deletion_at.is_some() || p.kubelet_stop.is_some();
        let kind = p.ctrs[ci].kind;
        if kind == ContainerKind::Sidecar && !stopping && p.sidecar_shutdown.is_none() {
            // `restartPolicy: Always`: a sidecar is restarted whatever its exit code and the
            // pod's restartPolicy (`computeInitContainerActions`, kuberuntime_manager.go).
            self.crash_loop(pid, ci);
        } else if code != 0 && on_failure && !stopping && kind != ContainerKind::Sidecar {
            self.crash_loop(pid, ci);
        } else if code == 0 && kind == ContainerKind::Init && !stopping {
            self.init_container_done(pid);
        } else if self.pods[pid].kubelet_stop.is_some() && self.all_down(pid) {
            self.end_kubelet_stop(pid);
        } else {
            self.finish_if_done(pid);
        }
        self.record_pod(pid);
        self.try_remove(pid);
        self.pod_changed(pid);
    }

    /// Every container of a pod the kubelet is stopping is down: terminated, never started, or
    /// an init container or sidecar between restarts (it will not run again).
    fn all_down(&self, pid: usize) -> bool {
        self.pods[pid].ctrs.iter().all(|c| match c.state {
            CState::Terminated { .. } => true,
            CState::Running => false,
            CState::Waiting(_) => {
                c.kind != ContainerKind::Regular || (c.run_no == 0 && c.run.is_none())
            }
        })
    }

    /// Ends the pod once its outcome is known: its regular containers have all terminated, or
    /// (restartPolicy Never) an init container failed. Its sidecars are stopped first, the last
    /// started first, each after the ones started after it have exited
    /// (pkg/kubelet/kuberuntime/kuberuntime_termination_order.go); the phase is the regular
    /// containers' (`getPhase`, pkg/kubelet/kubelet_pods.go: sidecars do not count), set when
    /// the last sidecar is down.
    fn finish_if_done(&mut self, pid: usize) {
        let p = &self.pods[pid];
        let terminated = |c: &Ctr| matches!(c.state, CState::Terminated { .. });
        let init_failed = p.ctrs.iter().any(|c| {
            c.kind == ContainerKind::Init
                && matches!(c.state, CState::Terminated { code, .. } if code != 0)
        });
        if !init_failed && !p.regular_ctrs().iter().all(terminated) {
            return;
        }
        let failed = init_failed
            || p.regular_ctrs()
                .iter()
                .any(|c| !matches!(c.state, CState::Terminated { code: 0, .. }));
        let phase = if failed {
            Phase::Failed
        } else {
            Phase::Succeeded
        };
        if p.init_count == 0 {
            self.set_terminal(pid, phase);
            return;
        }
        let stopping = p.deletion_at.is_some() || p.kubelet_stop.is_some();
        let last_running_sidecar = p
            .ctrs
            .iter()
            .rposition(|c| c.kind == ContainerKind::Sidecar && c.state == CState::Running);
        match last_running_sidecar {
            // A deletion or the pod's deadline has signalled every container already.
            Some(_) if stopping => {}
            Some(ci) => {
                if self.pods[pid].sidecar_shutdown.is_none() {
                    self.pods[pid].sidecar_shutdown = Some(phase);
                    let grace = self.pods[pid].grace_ms;
                    self.at(self.now + grace, Ev::PodKilled(pid));
                }
                let msg = self.container_texts(pid, ci).stopping.clone();
                self.pod_event(pid, EventType::Normal, Reason::Killing, msg);
                self.sigterm(pid, ci);
            }
            None => {
                // Sidecars between restarts end with their last exit code.
                self.stop_containers(pid, false);
                self.set_terminal(pid, phase);
            }
        }
    }

    /// restartPolicy OnFailure: the kubelet restarts the container in place, after the
    /// CrashLoopBackOff window if one is open. Kubernetes 1.34, `doBackOff`
    /// (pkg/kubelet/kuberuntime/kuberuntime_manager.go) with `IsInBackOffSince`/`Next`
    /// (staging/src/k8s.io/client-go/util/flowcontrol/backoff.go):
    /// - no entry yet (or one expired: the container ran 10 min since its last restart): the
    ///   container is restarted at once, and the entry starts at 10 s;
    /// - otherwise it waits (`CrashLoopBackOff`, a `BackOff` event) until the window counted
    ///   from this run's `finishedAt` is over, and the window doubles at that restart.
    ///
    /// The restart count does not move here: the kubelet writes `restartCount` (the dead
    /// container's count + 1) on the *new* container it creates (`startContainer`,
    /// kuberuntime_container.go), so RESTARTS and the Job controller's sum change at the restart.
    fn crash_loop(&mut self, pid: usize, ci: usize) {
        let now = self.now;
        let c = &mut self.pods[pid].ctrs[ci];
        c.last_restart_at = Some(now);
        let delay: Ms = match c.backoff {
            Some(b) if !backoff_expired(now, b) => b.delay,
            _ => 0,
        };
        c.run_no += 1;
        let run_no = c.run_no;
        if delay > 0 {
            // The kubelet names the pod with `format.Pod`: `name_namespace(uid)`
            // (pkg/kubelet/kuberuntime/kuberuntime_manager.go, `doBackOff`).
            let p = &self.pods[pid];
            let message = format!(
                "Back-off restarting failed container {} in pod {}_{}({})",
                p.ctrs[ci].name,
                p.name,
                self.jobs[p.job].namespace,
                pod_uid(self.scenario.seed, pid)
            );
            self.record_pod(pid);
            self.set_ctr_state(pid, ci, CState::Waiting(Reason::CrashLoopBackOff), None);
            self.pod_event(pid, EventType::Warning, Reason::BackOff, message);
        }
        self.at(now + delay, Ev::ContainerRestart(pid, ci, run_no));
    }

    /// The back-off is over: the kubelet creates the container again with `restartCount` one
    /// higher, and moves the back-off entry on (`Next`).
    fn container_restart(&mut self, pid: usize, ci: usize, run_no: u32) {
        let p = &self.pods[pid];
        if p.ctrs[ci].run_no != run_no
            || p.deletion_at.is_some()
            || p.kubelet_stop.is_some()
            || p.sidecar_shutdown.is_some()
            || p.phase.is_terminal()
        {
            return;
        }
        let now = self.now;
        let c = &mut self.pods[pid].ctrs[ci];
        let finished_at = c.last_restart_at.unwrap_or(now);
        c.backoff = Some(next_backoff(c.backoff, finished_at, now));
        c.restarts += 1;
        self.start_container(pid, ci);
        self.record_pod(pid);
        self.pod_changed(pid);
    }

    // ------------------------------------------------------------------------------------------
    // Faults
    // ------------------------------------------------------------------------------------------

    fn fault(&mut self, i: usize) {
        let f = self.scenario.faults[i].clone();
        if let Some(node) = &f.drain_node {
            self.drain_node(node);
        }
        if let Some(node) = &f.lose_node {
            if let Some(n) = self.nodes.iter().position(|x| x.name == *node) {
                self.nodes[n].lost = true;
                self.event(
                    EventObject::Node,
                    self.nodes[n].name.clone(),
                    EventType::Normal,
                    Reason::NodeNotReady,
                    format!("Node {node} status is now: NodeNotReady"),
                    EventSource::NodeController,
                );
                self.at(self.now + POD_GC_QUARANTINE_MS, Ev::PodGc(n));
            }
        }
        if let Some(fail) = &f.fail_next {
            self.overrides
                .entry(fail.container.clone())
                .or_default()
                .push_back(Override {
                    count: fail.count.unwrap_or(1).max(1),
                    run: RunBehaviour {
                        exit_code: Some(fail.exit_code.unwrap_or(1)),
                        ..RunBehaviour::default()
                    },
                });
        }
        if let Some(c) = &f.oom {
            self.overrides
                .entry(c.clone())
                .or_default()
                .push_back(Override {
                    count: 1,
                    run: RunBehaviour {
                        memory: Some(super::units::Quantity("1Ei".into())),
                        ..RunBehaviour::default()
                    },
                });
        }
        if let Some(down) = &f.controller_down {
            let until = self.now + down.for_.0;
            self.controller_down_until = Some(until);
            // A restarted kube-controller-manager has lost its in-memory pod back-off records.
            for j in &mut self.jobs {
                j.ctl.backoff = Default::default();
            }
        }
        if let Some(job) = &f.suspend {
            self.set_suspend(job, true);
        }
        if let Some(job) = &f.resume {
            self.set_suspend(job, false);
        }
        if let Some(job) = &f.duplicate_start {
            self.duplicate_start(job);
        }
    }

    fn set_suspend(&mut self, name: &str, suspend: bool) {
        if let Some(j) = self.jobs.iter().position(|j| j.name == name && !j.deleted) {
            Arc::make_mut(&mut self.jobs[j].spec).suspend = Some(suspend);
            self.jobs[j].d.suspend = suspend;
            // A spec change syncs at once (updateJob → enqueueSyncJobImmediately).
            self.enqueue_sync(j, self.now);
        }
    }

    fn drain_node(&mut self, node: &str) {
        let Some(n) = self.nodes.iter().position(|x| x.name == node) else {
            return;
        };
        self.nodes[n].unschedulable = true;
        self.event(
            EventObject::Node,
            self.nodes[n].name.clone(),
            EventType::Normal,
            Reason::NodeNotSchedulable,
            format!("Node {node} status is now: NodeNotSchedulable"),
            EventSource::Kubelet,
        );
        let victims: Vec<usize> = (0..self.pods.len())
            .filter(|&p| {
                self.pods[p].node == Some(n)
                    && !self.pods[p].phase.is_terminal()
                    && self.pods[p].deletion_at.is_none()
            })
            .collect();
        for pid in victims {
            self.add_disruption(pid, "EvictionByEvictionAPI", "Eviction API: evicting");
            self.delete_pod(pid, false);
        }
    }

    fn add_disruption(&mut self, pid: usize, reason: &str, message: &str) {
        self.pods[pid].disruption_target = true;
        self.tl.pods[pid]
            .extras_mut()
            .conditions
            .push(PodConditionRecord {
                at: Time(self.now),
                type_: "DisruptionTarget".into(),
                reason: reason.into(),
                message: message.into(),
            });
    }

    /// The pod garbage collector: pods bound to a node that no longer exists are marked Failed with
    /// DisruptionTarget and deleted (pkg/controller/podgc `gcOrphaned`).
    fn pod_gc(&mut self, n: usize) {
        let victims: Vec<usize> = (0..self.pods.len())
            .filter(|&p| self.pods[p].node == Some(n) && !self.pods[p].removed)
            .collect();
        for pid in victims {
            if !self.pods[pid].phase.is_terminal() {
                self.add_disruption(pid, "DeletionByPodGC", "PodGC: node no longer exists");
                for ci in 0..self.pods[pid].ctrs.len() {
                    if self.pods[pid].ctrs[ci].state == CState::Running {
                        self.flush_logs(pid, ci, self.now - POD_GC_QUARANTINE_MS);
                    }
                }
                self.set_terminal(pid, Phase::Failed);
            }
            if self.pods[pid].deletion_at.is_none() {
                self.pods[pid].deletion_at = Some(self.now);
            }
            self.record_pod(pid);
            self.try_remove(pid);
            self.pod_changed(pid);
        }
    }

    /// Someone deletes the Job's oldest running pod; its container ignores SIGTERM and goes on
    /// working for the whole grace period while the controller starts a replacement.
    fn duplicate_start(&mut self, job: &str) {
        let Some(j) = self.jobs.iter().position(|x| x.name == job && !x.deleted) else {
            return;
        };
        let victim = self.jobs[j]
            .live
            .iter()
            .copied()
            .find(|&p| self.pods[p].is_active() && self.pods[p].phase == Phase::Running);
        if let Some(pid) = victim {
            self.pods[pid].ignores_sigterm = true;
            let name = self.pods[pid].name.clone();
            self.note(pid, format!("pod {name} was deleted while its container kept running (it ignores SIGTERM): the work may run twice"));
            self.delete_pod(pid, false);
        }
    }

    fn ttl_expired(&mut self, j: usize) {
        if self.jobs[j].deleted {
            return;
        }
        self.delete_job(j);
    }

    /// Deletes a Job with foreground propagation: its pods go first, then the Job.
    pub fn delete_job(&mut self, j: usize) {
        self.jobs[j].deleted = true;
        self.tl.jobs[j].deleted_at = Some(Time(self.now));
        let pods: PodList = self.jobs[j]
            .pods
            .iter()
            .copied()
            .filter(|&p| !self.pods[p].removed)
            .collect();
        for pid in pods {
            self.pods[pid].finalizer = false;
            self.delete_pod(pid, true);
        }
        self.notify_job_finished(j);
    }
}

/// An image name as the runtime resolves it: Docker Hub names get `docker.io/` (and `library/`
/// for official images), and a missing tag is `latest`.
fn full_image_reference(image: &str) -> String {
    // The tag or digest is in the last path segment (a registry may have a port).
    let last_segment = image.rfind('/').map_or(0, |i| i + 1);
    let (name, rest) = match image[last_segment..].find(['@', ':']) {
        Some(i) => image.split_at(last_segment + i),
        None => (image, ""),
    };
    let first = name.split('/').next().unwrap_or("");
    let has_registry =
        name.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    let name = if has_registry {
        name.to_string()
    } else if name.contains('/') {
        format!("docker.io/{name}")
    } else {
        format!("docker.io/library/{name}")
    };
    let rest = if rest.is_empty() { ":latest" } else { rest };
    format!("{name}{rest}")
}

/// `resources.limits.memory` in bytes.
fn memory_limit_bytes(container: &model::Container) -> Option<u64> {
    container
        .resources
        .limits
        .get("memory")
        .and_then(|m| parse_bytes(m))
}

/// The READY, STATUS and RESTARTS columns of `kubectl get pods` for a pod, as kubectl 1.34's
/// `printPod` (pkg/printers/internalversion/printers.go) works them out from its status:
/// - init containers are looked at in order until the first that is neither completed nor a
///   started sidecar: it makes STATUS `Init:<reason>` (`Init:Error`, `Init:CrashLoopBackOff` …)
///   or `Init:<done>/<all>`; until the pod is initialised that is the STATUS, and RESTARTS sums
///   the restarts of the init containers looked at;
/// - once initialised (or with nothing left to initialise), the regular containers decide
///   STATUS as they do in a pod without init containers (`PodInitializing` before they start),
///   and RESTARTS is theirs plus the sidecars' (a completed init container's restarts no
///   longer show);
/// - READY counts running sidecars and running regular containers, of all sidecars and regular
///   containers;
/// - a pod whose regular containers have partly completed while others run is `NotReady`
///   (`Running` only while the pod's Ready condition is True).
///
/// The runtime always gives a terminated container a reason (`Error`, `OOMKilled`), so the
/// printer's `Init:ExitCode:<n>` and `Init:Signal:<n>` never show here.
struct PrintedColumns {
    status: Reason,
    ready: u32,
    /// READY's denominator.
    total: u32,
    restarts: u32,
    last_restart_at: Option<Ms>,
}

impl PrintedColumns {
    fn of(p: &Pod) -> PrintedColumns {
        let running_ready = |c: &Ctr| c.state == CState::Running && p.deletion_at.is_none();
        let mut columns = PrintedColumns {
            status: p.phase.into(),
            ready: 0,
            total: p.serving_ctrs().count() as u32,
            restarts: 0,
            last_restart_at: None,
        };
        let (mut sidecar_restarts, mut sidecar_last_restart) = (0, None);
        let mut initializing = false;
        let init = p.init_ctrs();
        for (i, c) in init.iter().enumerate() {
            columns.restarts += c.restarts;
            columns.last_restart_at = columns.last_restart_at.max(c.last_restart_at);
            let sidecar = c.kind == ContainerKind::Sidecar;
            if sidecar {
                sidecar_restarts += c.restarts;
                sidecar_last_restart = sidecar_last_restart.max(c.last_restart_at);
            }
            columns.status = match c.state {
                CState::Terminated { code: 0, .. } => continue,
                CState::Running if sidecar => {
                    columns.ready += running_ready(c) as u32;
                    continue;
                }
                CState::Terminated { reason, .. } => Reason::of_init_container(reason),
                CState::Waiting(reason) if reason != Reason::PodInitializing => {
                    Reason::of_init_container(reason)
                }
                _ => Reason::init_progress(i, init.len()),
            };
            initializing = true;
            break;
        }
        if initializing && !p.initialized && p.phase != Phase::Succeeded {
            return columns.with_pod_overrides(p);
        }
        columns.restarts = sidecar_restarts;
        columns.last_restart_at = sidecar_last_restart;
        let mut has_running = false;
        for c in p.reported_regular_ctrs().into_iter().rev() {
            columns.restarts += c.restarts;
            columns.last_restart_at = columns.last_restart_at.max(c.last_restart_at);
            match c.state {
                CState::Waiting(w) => columns.status = w,
                CState::Terminated { reason, .. } => columns.status = reason,
                CState::Running => {
                    has_running = true;
                    columns.ready += running_ready(c) as u32;
                }
            }
        }
        // A container that finished beside one still running: kubectl says `Running` only if
        // the pod's Ready condition is True, which a finished regular container makes False.
        if columns.status == Reason::Completed && has_running {
            columns.status = if p.is_ready() {
                Reason::Running
            } else {
                Reason::NotReady
            };
        }
        columns.with_pod_overrides(p)
    }

    /// What the pod itself says wins: a deletion (`Terminating`), `status.reason`
    /// (`DeadlineExceeded`), or no node yet (the phase).
    fn with_pod_overrides(mut self, p: &Pod) -> PrintedColumns {
        if p.deletion_at.is_some() {
            self.status = Reason::Terminating;
        } else if let Some(reason) = p.reason {
            self.status = reason;
        } else if p.node.is_none() {
            self.status = p.phase.into();
        }
        self
    }
}

/// The instant a run placed at `started` ends by itself.
fn run_end(started: Ms, run: &ContainerRun) -> Ms {
    started + run.duration_ms.max(1)
}

/// `hasExpired`: an entry not moved on for twice the maximum window is forgotten.
fn backoff_expired(finished_at: Ms, b: Backoff) -> bool {
    finished_at.saturating_sub(b.last_update) > 2 * BACKOFF_MAX_MS
}

/// `Backoff.Next` at a restart: a fresh entry opens at 10 s, a live one doubles up to 5 min.
fn next_backoff(entry: Option<Backoff>, finished_at: Ms, now: Ms) -> Backoff {
    let delay = match entry {
        Some(b) if !backoff_expired(finished_at, b) => (b.delay * 2).min(BACKOFF_MAX_MS),
        _ => BACKOFF_INITIAL_MS,
    };
    Backoff {
        delay,
        last_update: now,
    }
}

fn overlay(mut base: RunBehaviour, top: &RunBehaviour) -> RunBehaviour {
    if top.duration.is_some() {
        base.duration = top.duration;
    }
    if top.exit_code.is_some() {
        base.exit_code = top.exit_code;
    }
    if top.memory.is_some() {
        base.memory = top.memory.clone();
    }
    if top.logs.is_some() {
        base.logs = top.logs.clone();
    }
    base
}

/// `generateName` for a Job's pods: `<job>-` or `<job>-<index>-`, cut to 58 characters so the
/// 5-character suffix keeps the name within 63 (job_controller.go, indexed_job_utils.go).
pub fn generate_name_prefix(job: &str, index: Option<i64>) -> String {
    const MAX: usize = 58;
    match index {
        None if job.len() < MAX => {
            // With room for the five random characters the API server appends.
            let mut prefix = String::with_capacity(job.len() + 6);
            prefix.push_str(job);
            prefix.push('-');
            prefix
        }
        None => {
            let p = format!("{job}-");
            p.chars().take(MAX).collect()
        }
        Some(i) => {
            let tail = format!("-{i}-");
            let keep = MAX.saturating_sub(tail.len());
            let head: String = job.chars().take(keep).collect();
            format!("{head}{tail}")
        }
    }
}

/// The labels the API server adds to a Job's pod template (strategy.go, selector generation).
pub fn job_labels(job: &Text, uid: &Text) -> [(Text, Text); 4] {
    [
        ("batch.kubernetes.io/controller-uid".into(), uid.clone()),
        ("batch.kubernetes.io/job-name".into(), job.clone()),
        ("controller-uid".into(), uid.clone()),
        ("job-name".into(), job.clone()),
    ]
}

/// The pod's effective requests (CPU millicores, memory bytes), with limits standing in for unset
/// requests as the API server defaults them. Kubernetes 1.34, `AggregateContainerRequests`
/// (staging/src/k8s.io/component-helpers/resource/helpers.go): the regular containers and the
/// sidecars run together, so their requests add up; an init container runs beside the sidecars
/// declared before it; the pod needs the larger of the two.
pub fn pod_requests(spec: &model::PodSpec) -> (u64, u64) {
    let get = |c: &model::Container, key: &str| -> u64 {
        let text = c
            .resources
            .requests
            .get(key)
            .or_else(|| c.resources.limits.get(key));
        match (key, text) {
            ("cpu", Some(t)) => parse_cpu_millis(t).unwrap_or(0),
            (_, Some(t)) => parse_bytes(t).unwrap_or(0),
            _ => 0,
        }
    };
    let requests = |c: &model::Container| (get(c, "cpu"), get(c, "memory"));
    let add = |(a, b): (u64, u64), (c, d): (u64, u64)| (a.saturating_add(c), b.saturating_add(d));
    let mut running = spec.containers.iter().map(requests).fold((0, 0), add);
    let mut sidecars_so_far = (0, 0);
    let mut initialising = (0, 0);
    for (ci, c) in spec.init_containers.iter().enumerate() {
        let mut during = requests(c);
        if container_kind(spec, ci) == ContainerKind::Sidecar {
            running = add(running, during);
            sidecars_so_far = add(sidecars_so_far, during);
            during = sidecars_so_far;
        } else {
            during = add(during, sidecars_so_far);
        }
        initialising = (initialising.0.max(during.0), initialising.1.max(during.1));
    }
    (running.0.max(initialising.0), running.1.max(initialising.1))
}

/// The first volume whose source is missing, worded as the kubelet's FailedMount event.
fn missing_volume_source(spec: &model::PodSpec, input: &SimInput) -> Option<String> {
    let named = |meta: &model::ObjectMeta, name: &str| meta.name.as_deref() == Some(name);
    spec.volumes.iter().find_map(|v| {
        let problem = if let Some(cm) = &v.config_map {
            let object = ObjectVolume {
                kind: "configmap",
                name: &cm.name,
                missing_key: "configmap references non-existent config key",
            };
            let found = input
                .config_maps
                .iter()
                .find(|c| named(&c.metadata, &cm.name));
            object_volume_problem(object, found.map(|c| &c.data), &cm.items, cm.optional)
        } else if let Some(s) = &v.secret {
            let object = ObjectVolume {
                kind: "secret",
                name: &s.secret_name,
                missing_key: "references non-existent secret key",
            };
            let found = input
                .secrets
                .iter()
                .find(|c| named(&c.metadata, &s.secret_name));
            object_volume_problem(object, found.map(|c| &c.data), &s.items, s.optional)
        } else {
            None
        };
        problem.map(|p| format!("MountVolume.SetUp failed for volume {:?} : {p}", v.name))
    })
}

/// A configMap or secret volume as the kubelet's mount step names it in its errors.
struct ObjectVolume<'a> {
    kind: &'static str,
    name: &'a str,
    missing_key: &'static str,
}

/// The kubelet's check of a configMap or secret volume (pkg/volume/configmap, pkg/volume/secret):
/// the object must exist and hold every key listed in `items`, unless the volume is `optional`.
fn object_volume_problem(
    volume: ObjectVolume<'_>,
    data: Option<&model::StringMap>,
    items: &[model::KeyToPath],
    optional: Option<bool>,
) -> Option<String> {
    if optional.unwrap_or(false) {
        return None;
    }
    let Some(data) = data else {
        return Some(format!("{} {:?} not found", volume.kind, volume.name));
    };
    let item = items.iter().find(|i| !data.contains_key(&i.key))?;
    Some(format!("{}: {}", volume.missing_key, item.key))
}

fn key_files(
    data: &BTreeMap<String, String>,
    items: &[model::KeyToPath],
    default_mode: Option<i64>,
) -> BTreeMap<String, File> {
    let mode = default_mode.unwrap_or(0o644) as u32;
    if items.is_empty() {
        data.iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    File {
                        content: v.clone(),
                        mode,
                    },
                )
            })
            .collect()
    } else {
        items
            .iter()
            .filter_map(|i| {
                data.get(&i.key).map(|v| {
                    (
                        i.path.clone(),
                        File {
                            content: v.clone(),
                            mode: i.mode.map(|m| m as u32).unwrap_or(mode),
                        },
                    )
                })
            })
            .collect()
    }
}

/// What the kubelet reads about a pod when it builds a container's environment (the downward
/// API's `fieldRef`s among it).
struct PodFacts<'a> {
    pod: &'a Pod,
    /// The pod's index and the run's seed: its UID is made from them if the environment asks.
    pid: usize,
    seed: u64,
    namespace: &'a str,
    node: &'a str,
    service_account: &'a str,
    labels: &'a Labels,
    annotations: &'a Labels,
}

/// `metadata.labels['key']` or `metadata.annotations['key']`: the value, or empty when the pod
/// has no such key (what the kubelet's `ExtractFieldPathAsString` gives). Other paths (the
/// pod's and node's IPs) are not modelled and read as empty.
fn downward_map_entry(path: &str, facts: &PodFacts<'_>) -> Option<String> {
    let (map, rest) = if let Some(rest) = path.strip_prefix("metadata.labels['") {
        (facts.labels, rest)
    } else {
        (
            facts.annotations,
            path.strip_prefix("metadata.annotations['")?,
        )
    };
    let key = rest.strip_suffix("']")?;
    map.get(key).map(|v| v.to_string())
}

/// The container's environment as the kubelet builds it, or the CreateContainerConfigError text.
fn resolve_env(
    c: &model::Container,
    facts: &PodFacts<'_>,
    input: &SimInput,
) -> Result<Vec<(String, String)>, String> {
    let (pod, ns) = (facts.pod, facts.namespace);
    let mut env: Vec<(String, String)> = Vec::new();
    let hostname = match pod.index {
        Some(_) => pod
            .name
            .rsplit_once('-')
            .map(|(h, _)| h)
            .unwrap_or(pod.name.as_str())
            .to_string(),
        None => pod.name.to_string(),
    };
    env.push(("HOSTNAME".into(), hostname));
    for from in &c.env_from {
        let prefix = from.prefix.clone().unwrap_or_default();
        if let Some(r) = &from.config_map_ref {
            match input
                .config_maps
                .iter()
                .find(|m| m.metadata.name.as_deref() == Some(r.name.as_str()))
            {
                Some(m) => env.extend(
                    m.data
                        .iter()
                        .map(|(k, v)| (format!("{prefix}{k}"), v.clone())),
                ),
                None if r.optional.unwrap_or(false) => {}
                None => return Err(format!("configmap {:?} not found", r.name)),
            }
        }
        if let Some(r) = &from.secret_ref {
            match input
                .secrets
                .iter()
                .find(|m| m.metadata.name.as_deref() == Some(r.name.as_str()))
            {
                Some(m) => env.extend(
                    m.data
                        .iter()
                        .map(|(k, v)| (format!("{prefix}{k}"), v.clone())),
                ),
                None if r.optional.unwrap_or(false) => {}
                None => return Err(format!("secret {:?} not found", r.name)),
            }
        }
    }
    for e in &c.env {
        let value = match &e.value_from {
            None => Some(e.value.clone().unwrap_or_default()),
            Some(src) => {
                if let Some(k) = &src.config_map_key_ref {
                    match input
                        .config_maps
                        .iter()
                        .find(|m| m.metadata.name.as_deref() == Some(k.name.as_str()))
                    {
                        None if k.optional.unwrap_or(false) => None,
                        None => return Err(format!("configmap {:?} not found", k.name)),
                        Some(m) => match m.data.get(&k.key) {
                            Some(v) => Some(v.clone()),
                            None if k.optional.unwrap_or(false) => None,
                            None => {
                                return Err(format!(
                                    "couldn't find key {} in ConfigMap {ns}/{}",
                                    k.key, k.name
                                ))
                            }
                        },
                    }
                } else if let Some(k) = &src.secret_key_ref {
                    match input
                        .secrets
                        .iter()
                        .find(|m| m.metadata.name.as_deref() == Some(k.name.as_str()))
                    {
                        None if k.optional.unwrap_or(false) => None,
                        None => return Err(format!("secret {:?} not found", k.name)),
                        Some(m) => match m.data.get(&k.key) {
                            Some(v) => Some(v.clone()),
                            None if k.optional.unwrap_or(false) => None,
                            None => {
                                return Err(format!(
                                    "couldn't find key {} in Secret {ns}/{}",
                                    k.key, k.name
                                ))
                            }
                        },
                    }
                } else if let Some(f) = &src.field_ref {
                    Some(match f.field_path.as_str() {
                        "metadata.name" => pod.name.to_string(),
                        "metadata.namespace" => ns.to_string(),
                        "metadata.uid" => pod_uid(facts.seed, facts.pid).to_string(),
                        // podFieldSelectorRuntimeValue in pkg/kubelet/kubelet_pods.go.
                        "spec.nodeName" => facts.node.to_string(),
                        "spec.serviceAccountName" => facts.service_account.to_string(),
                        path => downward_map_entry(path, facts).unwrap_or_default(),
                    })
                } else {
                    Some(String::new())
                }
            }
        };
        if let Some(v) = value {
            env.push((e.name.clone(), v));
        }
    }
    // The Job controller adds JOB_COMPLETION_INDEX to every container of an Indexed Job's pod.
    if let Some(i) = pod.index {
        if !env.iter().any(|(k, _)| k == "JOB_COMPLETION_INDEX") {
            env.push(("JOB_COMPLETION_INDEX".into(), i.to_string()));
        }
    }
    Ok(env)
}

/// A pod's `metadata.uid`, made when something shows it (the kubelet's BackOff events, the
/// downward API). It is a function of the seed and the pod, so pods nobody asks about cost
/// nothing and the name generator's sequence is not shifted.
pub fn pod_uid(seed: u64, pid: usize) -> Text {
    let salt = 0x9E37_79B9_7F4A_7C15u64.wrapping_mul(pid as u64 + 1);
    new_uid(&mut Rng::new(seed ^ salt))
}

/// A UID as the API server prints them, drawn from the seeded generator.
pub fn new_uid(rng: &mut Rng) -> Text {
    let a = rng.next_u64();
    let b = rng.next_u64();
    // `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`, hex digit by hex digit: one per Job, and a
    // month of a CronJob makes tens of thousands.
    let groups: [(u64, usize); 5] = [
        (a >> 32, 8),
        ((a >> 16) & 0xffff, 4),
        (0x4000 | (a & 0x0fff), 4),
        (((b >> 48) & 0x3fff) | 0x8000, 4),
        (b & 0xffff_ffff_ffff, 12),
    ];
    let mut uid = [b'-'; 36];
    let mut at = 0;
    for (value, digits) in groups {
        for i in 0..digits {
            let nibble = (value >> (4 * (digits - 1 - i))) & 0xf;
            uid[at + i] = b"0123456789abcdef"[nibble as usize];
        }
        at += digits + 1;
    }
    Text::new(std::str::from_utf8(&uid).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::{full_image_reference, Ctr, Job, Pod};
    use crate::sim::timeline::*;
    use std::mem::size_of;

    /// What a pod or Job costs to keep: a 100 000-completion Job keeps a pod record, an engine
    /// pod and five events per pod, and a month of CronJob runs tens of thousands of Jobs
    /// (docs/notes/sim-perf.md, stops 13 to 17). A size that grows fails here first; if it grew
    /// for a reason, change the figure with it.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn records_keep_their_size() {
        assert_eq!(size_of::<PodRecord>(), 440);
        assert_eq!(size_of::<PodStatusChange>(), 32);
        assert_eq!(size_of::<ContainerRecord>(), 104);
        assert_eq!(size_of::<ContainerStateInterval>(), 24);
        assert_eq!(size_of::<EventRecord>(), 48);
        assert_eq!(size_of::<JobRecord>(), 704);
        assert_eq!(size_of::<Pod>(), 280);
        assert_eq!(size_of::<Ctr>(), 112);
        assert_eq!(size_of::<Job>(), 656);
    }

    #[test]
    fn image_references_resolve_as_the_runtime_prints_them() {
        let cases = [
            ("busybox", "docker.io/library/busybox:latest"),
            ("busybox:1.99", "docker.io/library/busybox:1.99"),
            ("bitnami/kubectl:1.34", "docker.io/bitnami/kubectl:1.34"),
            ("registry.example.com/app:1", "registry.example.com/app:1"),
            ("localhost:5000/app", "localhost:5000/app:latest"),
            ("ghcr.io/org/tool@sha256:ab", "ghcr.io/org/tool@sha256:ab"),
        ];
        for (image, want) in cases {
            assert_eq!(full_image_reference(image), want, "{image}");
        }
    }
}
