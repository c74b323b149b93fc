//! Where a container's behaviour comes from, in order: the scenario (`ScriptedRun`), else the
//! shell interpreter for a container whose command is a shell script or `sleep` (`crate::shell`), else a
//! default run of 5 s that exits 0 and says the behaviour was assumed (`AssumedRun`).
//!
//! `workload_for` is the one place that chooses.

use super::scenario::RunBehaviour;
use crate::rng::Rng;
use crate::shell::ShellWorkload;
use crate::workload::{ContainerRun, ContainerStart, Ending, LogLine, OnSigterm, Stream, Workload};
use std::collections::BTreeMap;

/// How long a container whose behaviour nobody described runs.
pub const DEFAULT_RUN_MS: u64 = 5_000;

/// Chooses the workload for one container run. `scripted` is the scenario's behaviour for this run
/// (already resolved from `runs`, `byIndex`, `failureProbability` and faults), if it has one.
pub fn workload_for(start: &ContainerStart, scripted: Option<RunBehaviour>) -> Box<dyn Workload> {
    if let Some(run) = scripted {
        return Box::new(ScriptedRun(run));
    }
    if ShellWorkload::accepts(start) {
        return Box::new(ShellWorkload);
    }
    Box::new(AssumedRun {
        note: format!(
            "behaviour assumed: container {:?} ({}) runs a program the simulator cannot read; it runs 5s and exits 0 (describe it in the scenario's containers.{})",
            start.container_name,
            if start.image.is_empty() { "no image" } else { start.image.as_str() },
            start.container_name
        ),
    })
}

/// A run described by the scenario.
pub struct ScriptedRun(pub RunBehaviour);

impl Workload for ScriptedRun {
    fn run(&self, start: &ContainerStart, _rng: &mut Rng) -> ContainerRun {
        ScriptedRun(self.0.clone()).run_with_limit(start.memory_limit_bytes)
    }
}

impl ScriptedRun {
    /// The run, given the container's memory limit (all a described run depends on).
    pub fn run_with_limit(self, memory_limit_bytes: Option<u64>) -> ContainerRun {
        let b = self.0;
        let duration_ms = b.duration.map(|d| d.0).unwrap_or(DEFAULT_RUN_MS);
        let peak = b.memory.as_ref().map(|m| m.bytes()).unwrap_or(0);
        let oom = memory_limit_bytes.is_some_and(|limit| peak > limit);
        let ending = if oom {
            Ending::OomKilled
        } else {
            Ending::Exited {
                code: b.exit_code.unwrap_or(0),
            }
        };
        let lines = b.logs.unwrap_or_default();
        let n = lines.len() as u64;
        let logs = lines
            .into_iter()
            .enumerate()
            .map(|(i, text)| LogLine {
                // Spread evenly, the first at the start: a job usually says hello first.
                at_ms: (duration_ms * i as u64).checked_div(n).unwrap_or(0),
                stream: Stream::Stdout,
                text,
            })
            .collect();
        ContainerRun {
            duration_ms,
            ending,
            logs,
            peak_memory_bytes: peak,
            persisted: BTreeMap::new(),
            note: None,
            on_sigterm: OnSigterm::Stops,
        }
    }
}

/// The behaviour nobody described: 5 s, exit 0, and a note saying so.
pub struct AssumedRun {
    pub note: String,
}

impl Workload for AssumedRun {
    fn run(&self, _start: &ContainerStart, _rng: &mut Rng) -> ContainerRun {
        ContainerRun {
            duration_ms: DEFAULT_RUN_MS,
            ending: Ending::Exited { code: 0 },
            logs: Vec::new(),
            peak_memory_bytes: 0,
            persisted: BTreeMap::new(),
            note: Some(self.note.clone()),
            on_sigterm: OnSigterm::Stops,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(command: &[&str]) -> ContainerStart {
        ContainerStart {
            pod_name: "pi-abcde".into(),
            namespace: "default".into(),
            container_name: "c".into(),
            image: "registry.example.com/app:1".into(),
            command: command.iter().map(|s| s.to_string()).collect(),
            args: vec![],
            env: vec![],
            started_at_unix_ms: 1_767_603_600_000,
            attempt: 0,
            memory_limit_bytes: Some(64 << 20),
            cpu_limit_millis: None,
            mounts: vec![],
            max_duration_ms: 86_400_000,
            sigterm_at_ms: None,
        }
    }

    #[test]
    fn a_program_nobody_described_is_assumed_and_says_so() {
        let run = workload_for(&start(&["/app/export"]), None).run(&start(&[]), &mut Rng::new(1));
        assert_eq!(
            (run.duration_ms, run.ending),
            (DEFAULT_RUN_MS, Ending::Exited { code: 0 })
        );
        assert!(run.note.unwrap().starts_with("behaviour assumed"));
    }

    #[test]
    fn the_scenario_wins_and_memory_above_the_limit_is_oom() {
        let b: RunBehaviour =
            crate::yaml::de::from_str("{duration: 3s, exitCode: 2, memory: 100Mi, logs: [a, b]}")
                .unwrap();
        let s = start(&["sh", "-c", "exit 0"]);
        let run = workload_for(&s, Some(b)).run(&s, &mut Rng::new(1));
        assert_eq!((run.duration_ms, run.ending), (3000, Ending::OomKilled));
        assert_eq!(
            run.logs.iter().map(|l| l.at_ms).collect::<Vec<_>>(),
            [0, 1500]
        );
    }

    #[test]
    fn shell_scripts_go_to_the_interpreter() {
        let s = start(&["sh", "-c", "echo hi; exit 3"]);
        let run = workload_for(&s, None).run(&s, &mut Rng::new(1));
        assert_eq!(run.ending, Ending::Exited { code: 3 });
        assert_eq!(run.logs[0].text, "hi");
    }
}
