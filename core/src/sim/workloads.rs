//! Where a container's behaviour comes from, in order: the scenario (`ScriptedRun`), else the
//! container's own shell script run by the interpreter (`crate::shell::ShellWorkload`: `sh -c`,
//! `bash -c`, `sh /scripts/x.sh`, a mounted script with a `#!` line), else a default run of 5 s
//! that exits 0 and says the behaviour was assumed (`AssumedRun`).
//!
//! `workload_for` is the one place that chooses.

use super::scenario::RunBehaviour;
use crate::model::Container;
use crate::rng::Rng;
use crate::shell::ShellWorkload;
use crate::workload::{ContainerRun, ContainerStart, Ending, LogLine, Stream, Workload};
use std::collections::BTreeMap;

/// How long a container whose behaviour nobody described runs.
pub const DEFAULT_RUN_MS: u64 = 5_000;

/// Chooses the workload for one container run. `scripted` is the scenario's behaviour for this run
/// (already resolved from `runs`, `byIndex`, `failureProbability` and faults), if it has one.
pub fn workload_for(
    container: &Container,
    start: &ContainerStart,
    scripted: Option<RunBehaviour>,
) -> Box<dyn Workload> {
    if let Some(run) = scripted {
        return Box::new(ScriptedRun(run));
    }
    if ShellWorkload::accepts(start) {
        return Box::new(ShellWorkload);
    }
    Box::new(AssumedRun {
        note: format!(
            "behaviour assumed: container {:?} ({}) runs a program the simulator cannot read; it runs 5s and exits 0",
            container.name,
            container.image.as_deref().unwrap_or("no image")
        ),
    })
}

/// A run described by the scenario.
pub struct ScriptedRun(pub RunBehaviour);

impl Workload for ScriptedRun {
    fn run(&self, start: &ContainerStart, _rng: &mut Rng) -> ContainerRun {
        let b = &self.0;
        let duration_ms = b.duration.map(|d| d.0).unwrap_or(DEFAULT_RUN_MS);
        let peak = b.memory.as_ref().map(|m| m.bytes()).unwrap_or(0);
        let oom = start.memory_limit_bytes.is_some_and(|limit| peak > limit);
        let ending = if oom {
            Ending::OomKilled
        } else {
            Ending::Exited {
                code: b.exit_code.unwrap_or(0),
            }
        };
        let lines = b.logs.clone().unwrap_or_default();
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
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(command: &[&str], args: &[&str]) -> ContainerStart {
        ContainerStart {
            pod_name: "pi-abcde".into(),
            namespace: "default".into(),
            container_name: "c".into(),
            image: "busybox".into(),
            command: command.iter().map(|s| s.to_string()).collect(),
            args: args.iter().map(|s| s.to_string()).collect(),
            env: vec![("NAME".into(), "world".into())],
            started_at_unix_ms: 1_767_603_600_000,
            attempt: 0,
            memory_limit_bytes: None,
            cpu_limit_millis: None,
            mounts: vec![],
            max_duration_ms: 86_400_000,
        }
    }

    fn container(yaml: &str) -> Container {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn shell_scripts_are_interpreted() {
        let c = container("name: w\nimage: busybox\ncommand: [sh, -c]\nargs: [\"for i in 1 2; do echo $i; done\"]");
        let s = start(
            &["sh", "-c"],
            &["echo \"hello $NAME\"\nsleep 3\necho done >&2\nexit 4\necho never"],
        );
        let run = workload_for(&c, &s, None).run(&s, &mut Rng::new(1));
        assert_eq!(run.ending, Ending::Exited { code: 4 });
        assert_eq!(run.logs.len(), 2);
        assert_eq!(run.logs[0].text, "hello world");
        assert_eq!(run.logs[1].stream, Stream::Stderr);
        assert_eq!(run.logs[1].at_ms / 1000, 3);
        assert!(run.note.is_none());
    }

    #[test]
    fn anything_else_is_assumed_and_says_so() {
        let c = container("name: w\nimage: python:3.12\ncommand: [python, -c, \"print(1)\"]");
        let s = start(&["python", "-c", "print(1)"], &[]);
        let run = workload_for(&c, &s, None).run(&s, &mut Rng::new(1));
        assert_eq!(run.duration_ms, DEFAULT_RUN_MS);
        assert!(run.note.unwrap().starts_with("behaviour assumed"));
    }
}
