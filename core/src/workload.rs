//! What a container does when it runs: the seam between the simulated kubelet and whatever decides a
//! container's behaviour (a scenario's scripted behaviour, the shell interpreter, or a default).
//!
//! A run is computed whole when the container starts (the simulation is sans-I/O: nothing runs
//! "live"). The simulator then places the result on its clock: it ends the run early if the pod is
//! killed (deadline, eviction, deletion) and cuts the logs at that instant, or OOM-kills it at the
//! moment its memory passes the limit.

use crate::rng::Rng;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Everything a container run can see. Built by the simulator from the pod, its Job and the bundle.
#[derive(Debug, Clone)]
pub struct ContainerStart {
    pub pod_name: String,
    pub namespace: String,
    pub container_name: String,
    pub image: String,
    pub command: Vec<String>,
    pub args: Vec<String>,
    /// The container's environment after resolving `env` and `envFrom` against the bundle, plus the
    /// variables Kubernetes injects (`HOSTNAME`, `JOB_COMPLETION_INDEX` …), in definition order.
    pub env: Vec<(String, String)>,
    /// Virtual wall-clock instant the container starts, in milliseconds since the Unix epoch
    /// (what `date` prints).
    pub started_at_unix_ms: i64,
    /// 0 for the first run of this container in this pod, then 1, 2 … for each restart
    /// (`restartPolicy: OnFailure`).
    pub attempt: u32,
    /// `resources.limits.memory`, in bytes.
    pub memory_limit_bytes: Option<u64>,
    /// `resources.limits.cpu`, in millicores; stretches CPU-bound work.
    pub cpu_limit_millis: Option<u64>,
    /// Volume mounts of this container, with the files each holds when the container starts.
    pub mounts: Vec<Mount>,
    /// The longest a run may last before the simulator would stop it anyway (horizon or deadline),
    /// so a script that never ends is cut off rather than interpreted forever.
    pub max_duration_ms: u64,
    /// When the kubelet sends SIGTERM to the container's main process, in milliseconds after the
    /// start (the pod is being deleted). `None` for a run nobody stops. The simulator sets it only
    /// when it asks again for a run whose `on_sigterm` is `Handles`.
    pub sigterm_at_ms: Option<u64>,
}

/// One mounted volume as the container sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Mount {
    pub volume_name: String,
    pub mount_path: String,
    pub read_only: bool,
    pub kind: MountKind,
    /// Files under the mount, by path relative to `mount_path`.
    pub files: BTreeMap<String, File>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum MountKind {
    /// Lives as long as the pod: what a run writes here is handed to the next run of the same pod.
    EmptyDir,
    /// Keys of a ConfigMap as files (read-only on a real node).
    ConfigMap,
    /// Keys of a Secret as files (read-only on a real node).
    Secret,
    /// A claim: modelled as persisting for the life of the simulation.
    PersistentVolumeClaim,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct File {
    pub content: String,
    /// Unix permission bits (`defaultMode`/`mode` for configMap and secret files).
    pub mode: u32,
}

/// Which stream a log line was written to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stream {
    Stdout,
    Stderr,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogLine {
    /// Milliseconds after the container started.
    pub at_ms: u64,
    pub stream: Stream,
    pub text: String,
}

/// How a run ends if nothing stops it first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Ending {
    /// The main process exited with this code.
    Exited { code: i32 },
    /// Memory use passed the limit: the kernel kills it (reason `OOMKilled`, exit code 137).
    OomKilled,
    /// Still running at `max_duration_ms` (the simulator decides what that means).
    StillRunning,
}

/// The whole of one container run, computed when it starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerRun {
    /// How long the run lasts, in milliseconds, until `ending`.
    pub duration_ms: u64,
    pub ending: Ending,
    pub logs: Vec<LogLine>,
    pub peak_memory_bytes: u64,
    /// Files of `EmptyDir`/`PersistentVolumeClaim` mounts after the run, by mount path then relative
    /// path, for the simulator to hand to the next run.
    pub persisted: BTreeMap<String, BTreeMap<String, File>>,
    /// Set when the behaviour was not read from the manifest but assumed (e.g. an image whose command
    /// the engine cannot interpret), or when the script hit something unsupported: shown on the
    /// timeline so the learner knows.
    pub note: Option<String>,
    /// What the main process does with the SIGTERM a pod deletion sends it.
    #[serde(default)]
    pub on_sigterm: OnSigterm,
}

/// What a container's main process (PID 1 in its PID namespace) does with SIGTERM. The kubelet
/// signals only PID 1 and sends SIGKILL when `terminationGracePeriodSeconds` is over
/// (pkg/kubelet/kuberuntime/kuberuntime_container.go `killContainer`). The kernel does not apply
/// a default action to PID 1 of a namespace: a SIGTERM it has no handler for is dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum OnSigterm {
    /// It handles SIGTERM and exits (code 143) after the scenario's `timings.podTermination`: the
    /// assumption for programs the simulator cannot read (most servers and runtimes do).
    #[default]
    Stops,
    /// No handler (a shell script without `trap … TERM`, `sleep`): the signal is dropped and the
    /// run goes on until it ends by itself or is killed (137) at the end of the grace period.
    Ignores,
    /// A handler whose effect depends on the instant (a shell `trap … TERM`): the simulator asks
    /// the workload again with `ContainerStart::sigterm_at_ms` set.
    Handles,
}

/// Anything that can decide what a container does. Implementations must be deterministic: the same
/// `ContainerStart` and the same `Rng` state give the same run.
pub trait Workload {
    fn run(&self, start: &ContainerStart, rng: &mut Rng) -> ContainerRun;
}
