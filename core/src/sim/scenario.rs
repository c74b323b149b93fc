//! The scenario: everything about a simulation run that is not in the learner's manifests.
//!
//! A scenario is YAML (a lesson exercise embeds one). Every field is optional; an empty scenario
//! runs the manifests on the default cluster with seed 0. Unknown fields are errors, reported as
//! `Diagnostic`s with the line where they occur, so a typo in a lesson never silently changes a run.
//!
//! Every knob, by example, is [`REFERENCE`] (the playground shows it under the scenario editor).

use super::units::{Duration, Quantity};
use crate::diag::{Diagnostic, Severity, Span};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Every scenario knob, by example, with a comment each. It is a valid scenario (a test parses it),
/// so it cannot drift from what the reader accepts.
pub const REFERENCE: &str = r#"# Every field is optional; an empty scenario runs on the defaults with seed 0.
seed: 7                      # randomness: pod names, probabilistic failures
horizon: 2h                  # stop here (default: when every Job has finished, at most 24h)
start: 2026-01-05T09:00:00Z  # the virtual wall-clock instant at t = 0
cluster:
  nodes:                     # default: node-1..node-3, 4 CPU / 8Gi / 110 pods each
    - {name: node-1, cpu: "4", memory: 8Gi, pods: 110, labels: {disk: ssd}}
    - {name: node-2, cpu: 3500m, memory: 16Gi}
  missingImages: [registry.example.com/app:1.0-typo]   # pulls fail: ImagePullBackOff
timings: {imagePull: 2s, imagePullCached: 0s, containerStart: 1s, podTermination: 1s}
containers:
  worker:                    # by container name; unlisted ones follow their `sh -c` script
    duration: 20s
    exitCode: 0
    memory: 200Mi            # peak use: above the memory limit the run is OOMKilled (137)
    logs: ["starting", "done"]
    runs:                    # the 1st, 2nd ... run of this container, anywhere in the cluster
      - {exitCode: 1, duration: 5s, logs: ["connection refused"]}
    byIndex:                 # Indexed Jobs: by completion index
      3: {exitCode: 2}
    failureProbability: 0.1  # after `runs` is used up: each run fails with this probability
    failure: {exitCode: 2, duration: 3s}
faults:                      # each entry: `at` and one action
  - {at: 30s, drainNode: node-1}      # evicted pods get DisruptionTarget
  - {at: 35s, loseNode: node-2}       # the VM is gone; pods are garbage-collected after 40s
  - {at: 40s, failNext: {container: worker, count: 2, exitCode: 1}}
  - {at: 45s, oom: worker}            # the next run of `worker` is OOMKilled
  - {at: 1m, controllerDown: {for: 2m}}
  - {at: 10s, suspend: my-job}
  - {at: 70s, resume: my-job}
  - {at: 15s, duplicateStart: my-job} # a pod deleted while its work goes on: two at once
  - {at: 2h, controllerTimeZone: Europe/Berlin}   # CronJobs without timeZone
limits: {maxPods: 50000, maxEvents: 2000000, maxTime: 168h}   # the bounds, reported when hit
"#;

/// The default virtual start instant: a fixed Monday morning, so CronJob runs are reproducible.
pub const DEFAULT_START: &str = "2026-01-05T09:00:00Z";

/// A simulation scenario. See the module documentation for an example.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Scenario {
    /// Seed of the one random generator (pod-name suffixes, UIDs, `failureProbability` draws).
    /// Same manifests + scenario + seed = same timeline.
    pub seed: u64,
    /// How far to simulate (Go duration, `90s`, `2h`). Default: until every Job has finished (and
    /// its TTL, if any, has run out), and never past 24h.
    pub horizon: Option<Duration>,
    /// The virtual wall-clock instant at t = 0, RFC 3339. Default `2026-01-05T09:00:00Z`.
    pub start: Option<String>,
    /// The cluster's nodes. Default: three nodes `node-1`..`node-3`, 4 CPU / 8Gi / 110 pods each.
    pub cluster: Cluster,
    /// How long the machinery takes (image pulls, container start, pod termination).
    pub timings: Timings,
    /// What each container does, by container name. Containers not listed here are read from
    /// their command (a `sh -c` script of `echo`, `sleep N`, `exit N` lines) or run 5 s and exit 0.
    pub containers: BTreeMap<String, ContainerBehaviour>,
    /// Timed events that happen to the cluster.
    pub faults: Vec<Fault>,
    /// Safety bounds; the simulation stops at the first one reached and says so.
    pub limits: Limits,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Cluster {
    /// The nodes, in order. Scheduling ties go to the earlier node.
    pub nodes: Vec<Node>,
    /// Images no registry has (a typo in a tag, say): pulling them fails, and the pod stays
    /// Pending in `ErrImagePull`, then `ImagePullBackOff`.
    pub missing_images: Vec<String>,
}

impl Default for Cluster {
    fn default() -> Self {
        Cluster {
            nodes: (1..=3)
                .map(|i| Node {
                    name: format!("node-{i}"),
                    ..Node::default()
                })
                .collect(),
            missing_images: Vec::new(),
        }
    }
}

/// One node's allocatable resources.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Node {
    pub name: String,
    /// Allocatable CPU (`4`, `3500m`). Default 4.
    pub cpu: Quantity,
    /// Allocatable memory (`8Gi`). Default 8Gi.
    pub memory: Quantity,
    /// Maximum pods on the node. Default 110 (the kubelet's default).
    pub pods: u32,
    /// Node labels, matched against a pod's `nodeSelector`.
    pub labels: BTreeMap<String, String>,
}

impl Default for Node {
    fn default() -> Self {
        Node {
            name: "node-1".into(),
            cpu: Quantity("4".into()),
            memory: Quantity("8Gi".into()),
            pods: 110,
            labels: BTreeMap::new(),
        }
    }
}

/// Durations of the cluster machinery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Timings {
    /// Pulling an image a node does not have yet. Default 2s.
    pub image_pull: Duration,
    /// Checking an image the node already has. Default 0s.
    pub image_pull_cached: Duration,
    /// Creating and starting the containers once the image is there (the pod shows
    /// `ContainerCreating` meanwhile). Default 1s.
    pub container_start: Duration,
    /// How long a program the simulator cannot read (described here, or assumed) takes to stop
    /// after SIGTERM when its pod is deleted (capped by `terminationGracePeriodSeconds`). Shell
    /// scripts do not use it: as PID 1 without a `trap … TERM` they ignore SIGTERM and are killed
    /// when the grace period is over (see `workload::OnSigterm`). Default 1s.
    pub pod_termination: Duration,
}

impl Default for Timings {
    fn default() -> Self {
        Timings {
            image_pull: Duration(2000),
            image_pull_cached: Duration(0),
            container_start: Duration(1000),
            pod_termination: Duration(1000),
        }
    }
}

/// One container run's behaviour. Missing fields fall back to the container's base behaviour,
/// then to 5s, exit code 0, no memory to speak of, no logs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct RunBehaviour {
    /// How long the main process runs.
    pub duration: Option<Duration>,
    /// Its exit code.
    pub exit_code: Option<i32>,
    /// Peak memory use (`600Mi`). Above the container's memory limit the run is OOMKilled
    /// (exit code 137) at the end of `duration`.
    pub memory: Option<Quantity>,
    /// Lines printed to stdout, spread evenly over the run.
    pub logs: Option<Vec<String>>,
}

/// What a container does, by container name. A run the entry does not describe (no base fields,
/// past `runs`, not drawn as a failure) comes from the container's command as usual.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct ContainerBehaviour {
    /// Base behaviour of every run: how long it runs.
    pub duration: Option<Duration>,
    /// Base exit code.
    pub exit_code: Option<i32>,
    /// Base peak memory use.
    pub memory: Option<Quantity>,
    /// Base log lines.
    pub logs: Option<Vec<String>>,
    /// The 1st, 2nd, ... run of this container (counted across all pods, in start order);
    /// each entry overrides the base fields it sets.
    pub runs: Vec<RunBehaviour>,
    /// Behaviour by completion index (Indexed Jobs), overriding the base fields it sets.
    pub by_index: BTreeMap<i64, RunBehaviour>,
    /// Once `runs` is used up, each run fails with this probability (drawn from the seed).
    pub failure_probability: Option<f64>,
    /// What a failing run (from `failureProbability`) looks like. Default: exit code 1 after the
    /// base duration.
    pub failure: Option<RunBehaviour>,
}

/// A timed fault. Exactly one of the action fields must be set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Fault {
    /// When it happens (Go duration from the start).
    pub at: Duration,
    /// Cordon the node and evict its pods through the Eviction API (pods get the
    /// `DisruptionTarget` condition, are deleted gracefully and end Failed).
    pub drain_node: Option<String>,
    /// The node disappears (VM lost). After the pod garbage collector's 40s quarantine its pods get
    /// `DisruptionTarget` (`DeletionByPodGC`), end Failed and are deleted.
    pub lose_node: Option<String>,
    /// The next `count` runs of a container (from this instant) exit with `exitCode`.
    pub fail_next: Option<FailNext>,
    /// The next run of this container uses more memory than its limit and is OOMKilled.
    pub oom: Option<String>,
    /// The Job controller (kube-controller-manager) is down: it does not sync, so pod changes pile
    /// up and are counted when it comes back; its in-memory pod back-off records are lost.
    pub controller_down: Option<ControllerDown>,
    /// Set `spec.suspend: true` on the named Job.
    pub suspend: Option<String>,
    /// Set `spec.suspend: false` on the named Job.
    pub resume: Option<String>,
    /// Someone deletes the named Job's oldest running pod, whose container ignores SIGTERM and
    /// keeps working through the grace period: with the default `podReplacementPolicy`
    /// the controller starts a replacement at once, so the work runs twice at the same time.
    pub duplicate_start: Option<String>,
    /// kube-controller-manager restarts with this local time zone (IANA name): CronJobs without
    /// `spec.timeZone` are read in it from then on (the start zone is UTC).
    pub controller_time_zone: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct FailNext {
    pub container: String,
    /// How many runs fail. Default 1.
    pub count: Option<u32>,
    /// Their exit code. Default 1.
    pub exit_code: Option<i32>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct ControllerDown {
    /// How long it stays down (Go duration).
    #[serde(rename = "for")]
    pub for_: Duration,
}

/// Bounds that keep a run finite and fast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Limits {
    /// Most pods created in one simulation. Default 50000.
    pub max_pods: usize,
    /// Most internal events processed. Default 2000000.
    pub max_events: usize,
    /// Latest virtual time, whatever the horizon. Default 7 days.
    pub max_time: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_pods: 50_000,
            max_events: 2_000_000,
            max_time: Duration(7 * 24 * 3_600_000),
        }
    }
}

impl Fault {
    /// The fault's action, for error messages and the event list.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(n) = &self.drain_node {
            parts.push(format!("drainNode {n}"));
        }
        if let Some(n) = &self.lose_node {
            parts.push(format!("loseNode {n}"));
        }
        if let Some(f) = &self.fail_next {
            parts.push(format!("failNext {}", f.container));
        }
        if let Some(c) = &self.oom {
            parts.push(format!("oom {c}"));
        }
        if self.controller_down.is_some() {
            parts.push("controllerDown".into());
        }
        if let Some(j) = &self.suspend {
            parts.push(format!("suspend {j}"));
        }
        if let Some(j) = &self.resume {
            parts.push(format!("resume {j}"));
        }
        if let Some(j) = &self.duplicate_start {
            parts.push(format!("duplicateStart {j}"));
        }
        if let Some(z) = &self.controller_time_zone {
            parts.push(format!("controllerTimeZone {z}"));
        }
        parts.join(", ")
    }

    fn action_count(&self) -> usize {
        [
            self.drain_node.is_some(),
            self.lose_node.is_some(),
            self.fail_next.is_some(),
            self.oom.is_some(),
            self.controller_down.is_some(),
            self.suspend.is_some(),
            self.resume.is_some(),
            self.duplicate_start.is_some(),
            self.controller_time_zone.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count()
    }
}

/// Reads a scenario from YAML. Empty text is the default scenario.
pub fn parse_scenario(text: &str) -> Result<Scenario, Vec<Diagnostic>> {
    if text.trim().is_empty() {
        return Ok(Scenario::default());
    }
    let scenario: Scenario = crate::yaml::de::from_str(text).map_err(|e| {
        vec![Diagnostic::new(Severity::Error, "scenario", e.message)
            .at("", e.span.unwrap_or_default())]
    })?;
    let mut problems = scenario.check();
    if problems.is_empty() {
        return Ok(scenario);
    }
    // The checks know a path (`faults[1]`); the learner needs the line.
    let source = crate::manifest::SourceMap {
        documents: crate::yaml::parse(text).documents,
    };
    for problem in &mut problems {
        if let Some(span) = source.span_of(0, &problem.path) {
            problem.span = span;
        }
    }
    Err(problems)
}

impl Scenario {
    /// Checks what the types cannot: one action per fault, known nodes, a parseable start.
    pub fn check(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let err = |path: String, msg: String| {
            Diagnostic::new(Severity::Error, "scenario", msg).at(path, Span::default())
        };
        for (i, f) in self.faults.iter().enumerate() {
            if f.action_count() != 1 {
                out.push(err(
                    format!("faults[{i}]"),
                    "a fault needs exactly one of drainNode, loseNode, failNext, oom, controllerDown, suspend, resume, duplicateStart, controllerTimeZone".into(),
                ));
            }
            for node in [&f.drain_node, &f.lose_node].into_iter().flatten() {
                if !self.cluster.nodes.iter().any(|n| &n.name == node) {
                    out.push(err(
                        format!("faults[{i}]"),
                        format!("no node named {node:?} in the cluster"),
                    ));
                }
            }
        }
        if let Some(start) = &self.start {
            if chrono::DateTime::parse_from_rfc3339(start).is_err() {
                out.push(err(
                    "start".into(),
                    format!(
                        "start {start:?} is not an RFC 3339 instant (e.g. 2026-01-05T09:00:00Z)"
                    ),
                ));
            }
        }
        if self.cluster.nodes.is_empty() {
            out.push(err(
                "cluster.nodes".into(),
                "the cluster needs at least one node".into(),
            ));
        }
        for (name, b) in &self.containers {
            if let Some(p) = b.failure_probability {
                if !(0.0..=1.0).contains(&p) {
                    out.push(err(
                        format!("containers.{name}.failureProbability"),
                        format!("failureProbability {p} is not between 0 and 1"),
                    ));
                }
            }
        }
        out
    }

    /// The start instant in milliseconds since the Unix epoch.
    pub fn start_unix_ms(&self) -> i64 {
        let text = self.start.as_deref().unwrap_or(DEFAULT_START);
        chrono::DateTime::parse_from_rfc3339(text)
            .or_else(|_| chrono::DateTime::parse_from_rfc3339(DEFAULT_START))
            .map(|d| d.timestamp_millis())
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_failure_points_at_its_line() {
        let text = "seed: 1\nfaults:\n  - {at: 5s, oom: worker}\n  - {at: 30s, drainNode: node-9}\ncontainers:\n  worker: {failureProbability: 2}\n";
        let errs = parse_scenario(text).unwrap_err();
        let found: Vec<(&str, u32, &str)> = errs
            .iter()
            .map(|d| (d.path.as_str(), d.span.line, d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                ("faults[1]", 4, "no node named \"node-9\" in the cluster"),
                (
                    "containers.worker.failureProbability",
                    6,
                    "failureProbability 2 is not between 0 and 1"
                ),
            ]
        );
    }

    #[test]
    fn the_reference_is_a_valid_scenario_that_sets_every_knob() {
        let scenario = parse_scenario(REFERENCE).expect("the reference parses");
        assert_eq!(scenario.seed, 7);
        assert_eq!(scenario.faults.len(), 9);
        let worker = &scenario.containers["worker"];
        assert!(worker.memory.is_some() && worker.by_index.contains_key(&3));
        // Every top-level field of `Scenario` appears in the reference.
        let json = serde_json::to_value(Scenario::default()).expect("serialises");
        for key in json.as_object().expect("an object").keys() {
            assert!(
                REFERENCE.lines().any(|l| l.starts_with(&format!("{key}:"))),
                "{key} is missing from REFERENCE"
            );
        }
    }

    #[test]
    fn unknown_field_is_a_diagnostic_with_its_line() {
        let text = "seed: 3\ncluster:\n  nodes:\n    - name: a\n      cpus: 4\n";
        let errs = parse_scenario(text).unwrap_err();
        assert_eq!(errs[0].span.line, 5, "{errs:?}");
        assert!(
            errs[0].message.contains("unknown field `cpus`"),
            "{}",
            errs[0].message
        );
    }

    #[test]
    fn bad_duration_is_reported_at_its_line() {
        let errs = parse_scenario("seed: 1\nhorizon: 5 minutes\n").unwrap_err();
        assert_eq!(errs[0].span.line, 2, "{errs:?}");
        // Go's own `time.ParseDuration` wording.
        assert!(
            errs[0]
                .message
                .contains(r#"time: unknown unit " minutes" in duration "5 minutes""#),
            "{}",
            errs[0].message
        );
    }

    #[test]
    fn full_scenario_reads() {
        let s = parse_scenario(
            "seed: 9\nhorizon: 1h\ncontainers:\n  worker:\n    duration: 20s\n    runs:\n      - {exitCode: 1}\nfaults:\n  - {at: 30s, drainNode: node-1}\n  - {at: 1m, controllerDown: {for: 2m}}\n",
        )
        .unwrap();
        assert_eq!(s.seed, 9);
        assert_eq!(s.horizon, Some(Duration(3_600_000)));
        assert_eq!(s.containers["worker"].runs[0].exit_code, Some(1));
        assert_eq!(
            s.faults[1].controller_down.as_ref().unwrap().for_,
            Duration(120_000)
        );
        assert_eq!(s.cluster.nodes.len(), 3);
    }

    #[test]
    fn a_fault_with_two_actions_is_refused() {
        let errs = parse_scenario("faults:\n  - {at: 1s, suspend: a, resume: a}\n").unwrap_err();
        assert!(errs[0].message.contains("exactly one"), "{errs:?}");
    }
}
