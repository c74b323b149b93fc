//! A deterministic interpreter for the POSIX-shell subset of busybox `sh` scripts in batch jobs,
//! used as the `Workload` of containers whose command is a shell.
//!
//! Given a `ContainerStart` (command, environment, mounts, limits, start instant) and the
//! simulation's `Rng`, `ShellWorkload` runs the script against a virtual filesystem and a virtual
//! clock and returns the whole run at once: the log lines with their instants, how it ended (exit
//! code, OOM kill, or still running at the time limit), the peak memory, and the files left in
//! `emptyDir`/claim volumes for the next container of the pod.
//!
//! Map of the module:
//!
//! - `parser` / `ast`: script text to syntax tree, with ash's syntax errors;
//! - `interp`: the shell state and the tree walk (pipelines, subshells, loops, functions,
//!   redirections, the clock, memory and step budgets);
//! - `expand`: parameter, command and arithmetic expansion, field splitting, globbing;
//! - `builtins`: commands the shell runs itself; `applets`: the busybox applets; `awk` and `sed`:
//!   small versions of both;
//! - `vfs`: the container's filesystem with its mounts; `cost`: the documented cost model;
//! - `arith`, `format`, `pattern`: arithmetic, `printf` formatting, shell patterns.
//!
//! Nothing here can panic on user input or run unbounded: parsing depth, call depth, interpreted
//! commands, memory and log size are all capped, and loops that repeat without changing anything
//! are fast-forwarded on the virtual clock instead of being run.

mod applets;
mod arith;
mod ast;
mod awk;
mod builtins;
pub mod cost;
mod expand;
mod format;
mod interp;
mod parser;
mod pattern;
mod sed;
mod vfs;

use crate::rng::Rng;
use crate::workload::{
    ContainerRun, ContainerStart, Ending, File, LogLine, MountKind, OnSigterm, Workload,
};
use interp::{Dialect, Flow, Shell, Stop};
use std::collections::BTreeMap;

/// The shell interpreter as a container workload.
#[derive(Debug, Clone, Copy, Default)]
pub struct ShellWorkload;

/// How a container's command starts a shell, read from `command` + `args`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Invocation {
    Script {
        text: String,
        /// `$0`, and the prefix of error messages.
        arg0: String,
        positional: Vec<String>,
        /// Running a script file (error messages then name the line).
        from_file: bool,
        dialect: Dialect,
        errexit: bool,
        xtrace: bool,
        nounset: bool,
    },
    /// The shell prints an error and exits before running anything (`sh -c` without a script,
    /// `sh missing.sh`).
    ShellError { message: String, code: i32 },
    /// The container runtime cannot start the process (no such executable, not executable).
    StartError { message: String },
}

const SHELLS: &[&str] = &["sh", "ash", "bash", "dash"];

impl ShellWorkload {
    /// Whether this workload understands the container's command (a shell with a script, or a
    /// mounted script file run directly). The simulator uses another workload otherwise.
    pub fn accepts(start: &ContainerStart) -> bool {
        invocation(start).is_some()
    }
}

impl Workload for ShellWorkload {
    fn run(&self, start: &ContainerStart, rng: &mut Rng) -> ContainerRun {
        match invocation(start) {
            Some(Invocation::Script {
                text,
                arg0,
                positional,
                from_file,
                dialect,
                errexit,
                xtrace,
                nounset,
            }) => {
                let mut shell = Shell::new(start, rng, arg0, dialect);
                shell.positional = positional;
                shell.script_file = from_file;
                shell.errexit = errexit;
                shell.xtrace = xtrace;
                shell.nounset = nounset;
                let result = shell.run_script(&text);
                finish(shell, result)
            }
            Some(Invocation::ShellError { message, code }) => ContainerRun {
                duration_ms: 1,
                ending: Ending::Exited { code },
                logs: vec![LogLine {
                    at_ms: 1,
                    stream: crate::workload::Stream::Stderr,
                    text: message,
                }],
                peak_memory_bytes: cost::BASE_MEMORY_BYTES,
                persisted: initial_persisted(start),
                note: None,
                on_sigterm: OnSigterm::Ignores,
            },
            Some(Invocation::StartError { message }) => ContainerRun {
                duration_ms: 0,
                ending: Ending::Exited { code: 128 },
                logs: Vec::new(),
                peak_memory_bytes: 0,
                persisted: initial_persisted(start),
                note: Some(format!(
                    "the container could not start (StartError, exit code 128): {message}"
                )),
                on_sigterm: OnSigterm::Ignores,
            },
            None => ContainerRun {
                duration_ms: 0,
                ending: Ending::Exited { code: 0 },
                logs: Vec::new(),
                peak_memory_bytes: 0,
                persisted: initial_persisted(start),
                note: Some(
                    "the container's command is not a shell script the simulator reads".into(),
                ),
                on_sigterm: OnSigterm::Stops,
            },
        }
    }
}

/// What the writable volumes hold when nothing ran (handed on unchanged).
fn initial_persisted(start: &ContainerStart) -> BTreeMap<String, BTreeMap<String, File>> {
    crate::sort::btree_map(
        start
            .mounts
            .iter()
            .filter(|m| {
                matches!(
                    m.kind,
                    MountKind::EmptyDir | MountKind::PersistentVolumeClaim
                )
            })
            .map(|m| (m.mount_path.clone(), m.files.clone())),
    )
}

/// Turns the interpreter's final state into the run the simulator places on its clock.
fn finish(mut shell: Shell, result: Result<i32, Flow>) -> ContainerRun {
    let mut outcome = match result {
        Ok(code) | Err(Flow::Exit(code)) | Err(Flow::Return(code)) => Ok(code),
        Err(Flow::Break(_)) | Err(Flow::Continue(_)) => Ok(shell.status),
        Err(Flow::Stop(stop)) => Err(stop),
    };
    if let Ok(code) = outcome {
        shell.status = code;
        if let Err(Flow::Stop(stop)) = shell.run_exit_trap() {
            outcome = Err(stop);
        }
    }
    let ending = match outcome {
        Ok(code) => Ending::Exited { code: code & 0xff },
        Err(Stop::Oom) => {
            let note = oom_note(&shell);
            shell.note(note);
            Ending::OomKilled
        }
        Err(Stop::SimulatorMemory) => {
            shell.note(format!(
                "the script's memory grew past {} MiB, more than the simulator holds for one shell; \
                 it is treated as killed for running out of memory",
                cost::limits::MAX_MEMORY_BYTES >> 20
            ));
            Ending::OomKilled
        }
        Err(Stop::TimeLimit) => Ending::StillRunning,
        Err(Stop::StepBudget) => {
            shell.note(format!(
                "the simulator stopped interpreting after {} commands (its budget per run) at {:.1} s \
                 of virtual time; the container is treated as still running until the time limit",
                cost::limits::MAX_STEPS,
                shell.clock_ns as f64 / 1e9
            ));
            Ending::StillRunning
        }
    };
    shell.flush_logs();
    if shell.dropped_log_lines > 0 {
        let dropped = shell.dropped_log_lines;
        shell.note(format!(
            "the container printed {dropped} more log lines than the {} the simulator keeps",
            cost::limits::MAX_LOG_LINES
        ));
    }
    let duration_ms = match ending {
        Ending::StillRunning => shell.start.max_duration_ms,
        _ => shell
            .clock_ns
            .div_ceil(1_000_000)
            .min(shell.start.max_duration_ms),
    };
    let mut logs = std::mem::take(&mut shell.logs);
    crate::sort::sort_by_key(&mut logs, |l| l.at_ms);
    ContainerRun {
        duration_ms,
        ending,
        logs,
        peak_memory_bytes: shell.peak_memory,
        persisted: shell.fs.persisted(),
        note: (!shell.notes.is_empty()).then(|| shell.notes.join("; ")),
        // The shell is PID 1: without a TERM trap it has no handler and SIGTERM is dropped.
        on_sigterm: if shell.term_trap_set {
            OnSigterm::Handles
        } else {
            OnSigterm::Ignores
        },
    }
}

fn oom_note(shell: &Shell) -> String {
    let limit = shell.memory_limit.unwrap_or(0);
    let largest = shell
        .vars
        .iter()
        .max_by_key(|(_, v)| v.value.len())
        .filter(|(_, v)| v.value.len() > 1 << 16)
        .map(|(name, v)| {
            format!(
                " (variable `{name}` alone holds {} KiB)",
                v.value.len() >> 10
            )
        });
    format!(
        "the shell's memory passed the container's limit of {} at {:.1} s{}: the kernel OOM-kills it",
        human_bytes(limit),
        shell.clock_ns as f64 / 1e9,
        largest.unwrap_or_default()
    )
}

fn human_bytes(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{}Mi", bytes >> 20)
    } else if bytes >= 1 << 10 && bytes.is_multiple_of(1 << 10) {
        format!("{}Ki", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    }
}

/// Reads `command` + `args` (or `args` alone, which replace the busybox image's default `sh`).
fn invocation(start: &ContainerStart) -> Option<Invocation> {
    let argv: Vec<String> = start
        .command
        .iter()
        .chain(start.args.iter())
        .cloned()
        .collect();
    let program = argv.first()?;
    let base = program.rsplit('/').next().unwrap_or(program);
    let mut i = 1;
    let shell_name = if base == "busybox" {
        let applet = argv.get(1)?;
        if !matches!(applet.as_str(), "sh" | "ash") {
            return None;
        }
        i = 2;
        applet.as_str()
    } else {
        base
    };
    if SHELLS.contains(&shell_name) {
        if shell_name == "bash" && image_lacks_bash(&start.image) {
            return Some(Invocation::StartError {
                message: format!(
                    "exec: \"{program}\": executable file not found in $PATH (the {} image has no bash; use sh)",
                    start.image
                ),
            });
        }
        return Some(shell_invocation(start, &argv, i, shell_name));
    }
    if base == "sleep" || (base == "busybox" && argv.get(1).is_some_and(|a| a == "sleep")) {
        return Some(direct_sleep(&argv[if base == "sleep" { 1 } else { 2 }..]));
    }
    if program.contains('/') {
        return script_exec(start, &argv);
    }
    None
}

/// `command: ["sleep", "3600"]`: the `sleep` applet itself is the container's main process. It is
/// run as a one-command script (same clock and messages); like a shell without a trap, it has no
/// SIGTERM handler, so as PID 1 it ignores the signal.
fn direct_sleep(args: &[String]) -> Invocation {
    let quoted: Vec<String> = args
        .iter()
        .map(|a| format!("'{}'", a.replace('\'', "'\\''")))
        .collect();
    Invocation::Script {
        text: format!("sleep {}", quoted.join(" ")),
        arg0: "sleep".into(),
        positional: Vec::new(),
        from_file: false,
        dialect: Dialect::Ash,
        errexit: false,
        xtrace: false,
        nounset: false,
    }
}

fn shell_invocation(
    start: &ContainerStart,
    argv: &[String],
    mut i: usize,
    name: &str,
) -> Invocation {
    let dialect = if name == "bash" {
        Dialect::Bash
    } else {
        Dialect::Ash
    };
    let (mut command_mode, mut errexit, mut xtrace, mut nounset) = (false, false, false, false);
    while let Some(arg) = argv.get(i) {
        if arg == "--" {
            i += 1;
            break;
        }
        let Some(flags) = arg.strip_prefix('-').or_else(|| arg.strip_prefix('+')) else {
            break;
        };
        if flags.is_empty() {
            i += 1;
            break;
        }
        let on = arg.starts_with('-');
        for c in flags.chars() {
            match c {
                'c' => command_mode = true,
                'e' => errexit = on,
                'x' => xtrace = on,
                'u' => nounset = on,
                'o' => i += 1,
                _ => {}
            }
        }
        i += 1;
    }
    let arg0_default = argv[0].clone();
    if command_mode {
        let Some(text) = argv.get(i) else {
            return Invocation::ShellError {
                message: format!("{}: -c requires an argument", argv[0]),
                code: 2,
            };
        };
        return Invocation::Script {
            text: text.clone(),
            arg0: argv.get(i + 1).cloned().unwrap_or(arg0_default),
            positional: argv
                .get(i + 2..)
                .map(<[String]>::to_vec)
                .unwrap_or_default(),
            from_file: false,
            dialect,
            errexit,
            xtrace,
            nounset,
        };
    }
    match argv.get(i) {
        // No script and no stdin: the shell reads end-of-file and exits at once.
        None => Invocation::Script {
            text: String::new(),
            arg0: arg0_default,
            positional: Vec::new(),
            from_file: false,
            dialect,
            errexit,
            xtrace,
            nounset,
        },
        Some(path) => match mounted_file(start, path) {
            Some(file) => Invocation::Script {
                text: file.content.clone(),
                arg0: path.clone(),
                positional: argv[i + 1..].to_vec(),
                from_file: true,
                dialect,
                errexit,
                xtrace,
                nounset,
            },
            None => Invocation::ShellError {
                message: format!(
                    "{}: can't open '{path}': No such file or directory",
                    argv[0]
                ),
                code: 2,
            },
        },
    }
}

/// A mounted script run directly (`command: ["/scripts/run.sh"]`): needs the execute bit
/// (`defaultMode`) and a shell on its `#!` line.
fn script_exec(start: &ContainerStart, argv: &[String]) -> Option<Invocation> {
    let path = &argv[0];
    let file = mounted_file(start, path)?;
    if file.mode & 0o111 == 0 {
        return Some(Invocation::StartError {
            message: format!(
                "exec: \"{path}\": permission denied (mode {:04o}; set the volume's defaultMode, e.g. 0755)",
                file.mode
            ),
        });
    }
    let first_line = file.content.lines().next().unwrap_or("");
    let interpreter = first_line.strip_prefix("#!").map(str::trim).unwrap_or("");
    let mut words = interpreter.split_whitespace();
    let program = words.next().unwrap_or("");
    let program_base = program.rsplit('/').next().unwrap_or(program);
    let shell = if program_base == "env" {
        words.next().unwrap_or("")
    } else {
        program_base
    };
    if interpreter.is_empty() {
        return Some(Invocation::StartError {
            message: format!("exec: \"{path}\": exec format error (no #! line)"),
        });
    }
    if !SHELLS.contains(&shell) || (shell == "bash" && image_lacks_bash(&start.image)) {
        return Some(Invocation::StartError {
            message: format!(
                "exec: \"{path}\": no such file or directory (its interpreter {program} is not in the {} image)",
                start.image
            ),
        });
    }
    Some(Invocation::Script {
        text: file.content.clone(),
        arg0: path.clone(),
        positional: argv[1..].to_vec(),
        from_file: true,
        dialect: if shell == "bash" {
            Dialect::Bash
        } else {
            Dialect::Ash
        },
        errexit: false,
        xtrace: false,
        nounset: false,
    })
}

fn mounted_file<'s>(start: &'s ContainerStart, path: &str) -> Option<&'s File> {
    let path = vfs::normalize("/", path);
    start
        .mounts
        .iter()
        .filter_map(|m| {
            let root = vfs::normalize("/", &m.mount_path);
            let rel = path.strip_prefix(&format!("{}/", root.trim_end_matches('/')))?;
            Some((root.len(), m.files.get(rel)?))
        })
        .max_by_key(|(len, _)| *len)
        .map(|(_, f)| f)
}

/// busybox and alpine images have `sh` but no `bash`.
fn image_lacks_bash(image: &str) -> bool {
    let name = image.rsplit('/').next().unwrap_or(image);
    let name = name.split(['@', ':']).next().unwrap_or(name);
    matches!(name, "busybox" | "alpine")
}

/// The log lines with every occurrence of the given secret values replaced by `***`, for showing
/// logs without revealing what a script printed from a Secret. Multi-line values are masked line by
/// line (log lines are split at newlines); empty values are ignored.
pub fn mask_secrets(logs: &[LogLine], secrets: &[&str]) -> Vec<LogLine> {
    let pieces = secret_pieces(secrets);
    logs.iter()
        .map(|line| {
            let mut text = line.text.clone();
            for piece in &pieces {
                if text.contains(piece.as_str()) {
                    text = text.replace(piece.as_str(), "***");
                }
            }
            LogLine {
                text,
                ..line.clone()
            }
        })
        .collect()
}

/// Which of the given secret values appear in the logs (indices into `secrets`), for a lint or a
/// goal that flags secrets printed to logs.
pub fn secrets_in_logs(logs: &[LogLine], secrets: &[&str]) -> Vec<usize> {
    secrets
        .iter()
        .enumerate()
        .filter(|(_, secret)| {
            let pieces = secret_pieces(&[secret]);
            !pieces.is_empty()
                && logs
                    .iter()
                    .any(|l| pieces.iter().any(|p| l.text.contains(p.as_str())))
        })
        .map(|(i, _)| i)
        .collect()
}

fn secret_pieces(secrets: &[&str]) -> Vec<String> {
    let mut pieces: Vec<String> = secrets
        .iter()
        .flat_map(|s| s.lines())
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty())
        .map(String::from)
        .collect();
    // Longest first, so a secret containing another is masked whole.
    crate::sort::sort_by(&mut pieces, |a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    pieces.dedup();
    pieces
}
