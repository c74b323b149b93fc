//! Where a container's behaviour comes from, in order: the scenario (`ScriptedRun`), else what can
//! be read from its command (`SimpleScript`: a `sh -c` script of `echo`, `sleep N`, `exit N`), else
//! a default run of 5 s that exits 0 and says the behaviour was assumed (`AssumedRun`).
//!
//! `workload_for` is the one place that chooses. The fuller shell interpreter
//! (`crate::shell::ShellWorkload`) replaces `SimpleScript` there when it lands.

use super::scenario::RunBehaviour;
use crate::model::Container;
use crate::rng::Rng;
use crate::workload::{ContainerRun, ContainerStart, Ending, LogLine, Stream, Workload};
use std::collections::BTreeMap;

/// How long a container whose behaviour nobody described runs.
pub const DEFAULT_RUN_MS: u64 = 5_000;

/// Chooses the workload for one container run. `scripted` is the scenario's behaviour for this run
/// (already resolved from `runs`, `byIndex`, `failureProbability` and faults), if it has one.
pub fn workload_for(container: &Container, scripted: Option<RunBehaviour>) -> Box<dyn Workload> {
    if let Some(run) = scripted {
        return Box::new(ScriptedRun(run));
    }
    match shell_script(container) {
        Some(script) => match SimpleScript::read(&script) {
            Ok(s) => Box::new(s),
            Err(what) => Box::new(AssumedRun {
                note: format!(
                    "behaviour assumed: the script of container {:?} uses {what}, which the simulator does not interpret; it runs 5s and exits 0",
                    container.name
                ),
            }),
        },
        None => Box::new(AssumedRun {
            note: format!(
                "behaviour assumed: container {:?} ({}) runs a program the simulator cannot read; it runs 5s and exits 0",
                container.name,
                container.image.as_deref().unwrap_or("no image")
            ),
        }),
    }
}

/// The script of a `sh -c SCRIPT` container (command and args joined as the kernel sees them).
pub fn shell_script(container: &Container) -> Option<String> {
    let argv: Vec<&str> = container
        .command
        .iter()
        .chain(container.args.iter())
        .map(String::as_str)
        .collect();
    let shells = [
        "sh",
        "/bin/sh",
        "bash",
        "/bin/bash",
        "/usr/bin/env sh",
        "ash",
        "/bin/ash",
    ];
    match argv.as_slice() {
        [shell, "-c", script, ..] if shells.contains(shell) => Some(script.to_string()),
        [shell, "-ec" | "-ce" | "-xc", script, ..] if shells.contains(shell) => {
            Some(script.to_string())
        }
        _ => None,
    }
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

/// One step of a simple script.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Echo { text: String, stderr: bool },
    Sleep(u64),
    Exit(i32),
}

/// A `sh -c` script made only of `echo`, `sleep N`, `exit N` (plus comments, blank lines and
/// `set -e`). It runs for the sum of its sleeps, prints its echoes and exits with its code.
#[derive(Debug, Clone, PartialEq)]
pub struct SimpleScript {
    steps: Vec<Step>,
}

impl SimpleScript {
    /// Reads a script, or says which construct it cannot read.
    pub fn read(script: &str) -> Result<SimpleScript, String> {
        let mut steps = Vec::new();
        for raw in script
            .lines()
            .flat_map(|l| l.split(';'))
            .flat_map(|l| l.split("&&"))
        {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') || line == "set -e" || line == "set -x" {
                continue;
            }
            let (word, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
            let rest = rest.trim();
            match word {
                "echo" => {
                    let (rest, stderr) = match rest
                        .strip_suffix(">&2")
                        .or_else(|| rest.strip_suffix("1>&2"))
                    {
                        Some(r) => (r.trim(), true),
                        None => (rest, false),
                    };
                    steps.push(Step::Echo {
                        text: unquote(rest),
                        stderr,
                    });
                }
                "sleep" => steps.push(Step::Sleep(
                    parse_sleep(rest).ok_or_else(|| format!("`sleep {rest}`"))?,
                )),
                "exit" => {
                    let code = if rest.is_empty() {
                        Ok(0)
                    } else {
                        rest.parse::<i32>()
                    };
                    steps.push(Step::Exit(code.map_err(|_| format!("`exit {rest}`"))?));
                    break;
                }
                "true" | ":" => {}
                "false" => {
                    steps.push(Step::Exit(1));
                    break;
                }
                other => return Err(format!("`{other}`")),
            }
        }
        Ok(SimpleScript { steps })
    }
}

impl Workload for SimpleScript {
    fn run(&self, start: &ContainerStart, _rng: &mut Rng) -> ContainerRun {
        let mut at = 0u64;
        let mut logs = Vec::new();
        let mut code = 0;
        for step in &self.steps {
            match step {
                Step::Echo { text, stderr } => logs.push(LogLine {
                    at_ms: at,
                    stream: if *stderr {
                        Stream::Stderr
                    } else {
                        Stream::Stdout
                    },
                    text: expand(text, start, at),
                }),
                Step::Sleep(ms) => at = at.saturating_add(*ms),
                Step::Exit(c) => {
                    code = *c;
                    break;
                }
            }
            if at >= start.max_duration_ms {
                return ContainerRun {
                    duration_ms: start.max_duration_ms,
                    ending: Ending::StillRunning,
                    logs,
                    peak_memory_bytes: 0,
                    persisted: BTreeMap::new(),
                    note: None,
                };
            }
        }
        ContainerRun {
            duration_ms: at,
            ending: Ending::Exited { code },
            logs,
            peak_memory_bytes: 0,
            persisted: BTreeMap::new(),
            note: None,
        }
    }
}

fn parse_sleep(arg: &str) -> Option<u64> {
    let a = arg.trim();
    let (num, factor) = match a.chars().last()? {
        's' => (&a[..a.len() - 1], 1000.0),
        'm' => (&a[..a.len() - 1], 60_000.0),
        'h' => (&a[..a.len() - 1], 3_600_000.0),
        _ => (a, 1000.0),
    };
    let v: f64 = num.parse().ok()?;
    (v >= 0.0 && v.is_finite()).then(|| (v * factor).round() as u64)
}

/// Removes one level of shell quotes from echo's arguments.
fn unquote(s: &str) -> String {
    let mut out = String::new();
    let mut quote: Option<char> = None;
    for c in s.chars() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, c) if c.is_whitespace() => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            (_, c) => out.push(c),
        }
    }
    out
}

/// Expands the few substitutions a simple echo can show: `$(date)`, `$(hostname)` and `$VAR`
/// from the container's environment.
fn expand(text: &str, start: &ContainerStart, at_ms: u64) -> String {
    let mut out = text.replace("$(hostname)", &hostname(start));
    if out.contains("$(date)") {
        let when = start.started_at_unix_ms + at_ms as i64;
        let date = chrono::DateTime::from_timestamp_millis(when)
            .map(|d| d.format("%a %b %e %H:%M:%S UTC %Y").to_string())
            .unwrap_or_default();
        out = out.replace("$(date)", &date);
    }
    for (name, value) in &start.env {
        out = out.replace(&format!("${{{name}}}"), value);
        out = out.replace(&format!("${name}"), value);
    }
    out
}

fn hostname(start: &ContainerStart) -> String {
    start
        .env
        .iter()
        .find(|(k, _)| k == "HOSTNAME")
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| start.pod_name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start() -> ContainerStart {
        ContainerStart {
            pod_name: "pi-abcde".into(),
            namespace: "default".into(),
            container_name: "c".into(),
            image: "busybox".into(),
            command: vec![],
            args: vec![],
            env: vec![("NAME".into(), "world".into())],
            started_at_unix_ms: 1_767_603_600_000,
            attempt: 0,
            memory_limit_bytes: None,
            cpu_limit_millis: None,
            mounts: vec![],
            max_duration_ms: 86_400_000,
        }
    }

    #[test]
    fn simple_script_sleeps_echoes_and_exits() {
        let s =
            SimpleScript::read("echo \"hello $NAME\"\nsleep 3\necho done >&2\nexit 4\necho never")
                .unwrap();
        let run = s.run(&start(), &mut Rng::new(1));
        assert_eq!(run.duration_ms, 3000);
        assert_eq!(run.ending, Ending::Exited { code: 4 });
        assert_eq!(run.logs.len(), 2);
        assert_eq!(run.logs[0].text, "hello world");
        assert_eq!(run.logs[1].at_ms, 3000);
        assert_eq!(run.logs[1].stream, Stream::Stderr);
    }

    #[test]
    fn anything_else_is_assumed_and_says_so() {
        let c: Container = serde_yaml::from_str(
            "name: w\nimage: busybox\ncommand: [sh, -c]\nargs: [\"for i in 1 2; do echo $i; done\"]",
        )
        .unwrap();
        let run = workload_for(&c, None).run(&start(), &mut Rng::new(1));
        assert_eq!(run.duration_ms, DEFAULT_RUN_MS);
        assert!(run.note.unwrap().starts_with("behaviour assumed"));
    }
}
