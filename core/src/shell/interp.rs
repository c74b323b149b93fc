//! The interpreter: walks the syntax tree against the shell's state (variables, functions, open
//! files, the virtual filesystem and clock) and records what the container prints.
//!
//! Control flow that unwinds (`exit`, `return`, `break`, `continue`, and the simulator stopping the
//! run for memory, time or step budget) travels as the `Err` side of `Exec`, so `?` carries it out
//! of any depth and each construct catches only what it owns.

use super::ast::*;
use super::cost::{self, limits};
use super::parser::{Parser, SyntaxError};
use super::vfs::Vfs;
use crate::rng::Rng;
use crate::workload::{ContainerStart, LogLine, Stream};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Why a run stopped before the script ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// Memory passed the container's limit.
    Oom,
    /// Memory passed what the simulator holds for one shell (no limit set).
    SimulatorMemory,
    /// The virtual clock reached `max_duration_ms`.
    TimeLimit,
    /// The interpreter ran `MAX_STEPS` commands.
    StepBudget,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Exit(i32),
    Return(i32),
    Break(u32),
    Continue(u32),
    Stop(Stop),
}

pub type Exec = Result<i32, Flow>;

#[derive(Debug, Clone)]
pub struct Var {
    pub value: Rc<String>,
    pub exported: bool,
    pub readonly: bool,
}

/// Where a file descriptor writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sink {
    /// The container's stdout or stderr (what `kubectl logs` shows).
    Log(Stream),
    /// A command substitution or pipeline stage being captured (index into `captures`).
    Capture(usize),
    /// A file in the virtual filesystem (already truncated if it was opened with `>`).
    File(String),
    Null,
}

/// What stdin reads from: shared so that successive `read`s in a loop consume it in turn.
#[derive(Debug, Default)]
pub struct Input {
    pub data: String,
    pub pos: usize,
}

#[derive(Debug, Clone)]
pub struct Fds {
    pub out: Sink,
    pub err: Sink,
    pub input: Option<Rc<RefCell<Input>>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Ash,
    Bash,
}

/// The whole state of one shell process (and, by save/restore, of its subshells).
pub struct Shell<'a> {
    pub start: &'a ContainerStart,
    pub rng: &'a mut Rng,
    pub dialect: Dialect,
    pub vars: BTreeMap<String, Var>,
    pub functions: BTreeMap<String, Rc<Command>>,
    pub positional: Vec<String>,
    /// `$0` and the prefix of error messages (`sh`, or the script path).
    pub arg0: String,
    /// Set when running a script file: error messages then carry `line N:`.
    pub script_file: bool,
    pub status: i32,
    pub fs: Vfs,
    pub cwd: String,
    pub fds: Fds,
    pub captures: Vec<String>,
    pub clock_ns: u64,
    pub max_ns: u64,
    pub cpu_stretch_permille: u64,
    pub logs: Vec<LogLine>,
    partial: [String; 2],
    pub dropped_log_lines: u64,
    pub var_bytes: u64,
    pub held_bytes: u64,
    pub peak_memory: u64,
    pub memory_limit: Option<u64>,
    pub steps: u64,
    /// Counts anything a loop iteration could change that matters later (output, files,
    /// variables, functions, stdin position …): an iteration that leaves it unchanged is steady.
    pub effects: u64,
    /// Counts reads of things that change by themselves (clock, `$RANDOM`).
    pub impure_reads: u64,
    pub errexit: bool,
    pub nounset: bool,
    pub xtrace: bool,
    pub pipefail: bool,
    pub condition_depth: u32,
    pub call_depth: u32,
    pub loop_depth: u32,
    pub function_depth: u32,
    pub local_frames: Vec<Vec<(String, Option<Var>)>>,
    pub exit_trap: Option<String>,
    /// The action of `trap ACTION TERM`, while one is set.
    pub term_trap: Option<String>,
    /// A TERM trap was set at some point: the run's answer to SIGTERM depends on its instant.
    pub term_trap_set: bool,
    /// The SIGTERM of `ContainerStart::sigterm_at_ms` has reached the shell.
    pub sigterm_delivered: bool,
    /// Subshells (pipelines, `( )`, `$( )`, `&`) are other processes: a signal to PID 1 is not
    /// theirs.
    pub subshell_depth: u32,
    pub notes: Vec<String>,
    pub line: u32,
    pub background_end_ns: u64,
    pub last_background_pid: Option<u32>,
    next_pid: u32,
}

/// The part of the state a subshell may change without its parent seeing it.
struct Saved {
    vars: BTreeMap<String, Var>,
    functions: BTreeMap<String, Rc<Command>>,
    positional: Vec<String>,
    cwd: String,
    errexit: bool,
    nounset: bool,
    xtrace: bool,
    var_bytes: u64,
    local_frames: Vec<Vec<(String, Option<Var>)>>,
    exit_trap: Option<String>,
    term_trap: Option<String>,
    fds: Fds,
    loop_depth: u32,
    function_depth: u32,
}

fn var_cost(name: &str, value: &str) -> u64 {
    (name.len() + value.len()) as u64 + cost::VARIABLE_OVERHEAD_BYTES
}

impl<'a> Shell<'a> {
    pub fn new(
        start: &'a ContainerStart,
        rng: &'a mut Rng,
        arg0: String,
        dialect: Dialect,
    ) -> Self {
        let mut shell = Shell {
            start,
            rng,
            dialect,
            vars: BTreeMap::new(),
            functions: BTreeMap::new(),
            positional: Vec::new(),
            arg0,
            script_file: false,
            status: 0,
            fs: Vfs::new(&start.mounts, &start.pod_name),
            cwd: "/".into(),
            fds: Fds {
                out: Sink::Log(Stream::Stdout),
                err: Sink::Log(Stream::Stderr),
                input: None,
            },
            captures: Vec::new(),
            clock_ns: 0,
            max_ns: start.max_duration_ms.saturating_mul(1_000_000),
            cpu_stretch_permille: cost::cpu_stretch_permille(start.cpu_limit_millis),
            logs: Vec::new(),
            partial: [String::new(), String::new()],
            dropped_log_lines: 0,
            var_bytes: 0,
            held_bytes: 0,
            peak_memory: cost::BASE_MEMORY_BYTES,
            memory_limit: start.memory_limit_bytes,
            steps: 0,
            effects: 0,
            impure_reads: 0,
            errexit: false,
            nounset: false,
            xtrace: false,
            pipefail: false,
            condition_depth: 0,
            call_depth: 0,
            loop_depth: 0,
            function_depth: 0,
            local_frames: Vec::new(),
            exit_trap: None,
            term_trap: None,
            term_trap_set: false,
            sigterm_delivered: false,
            subshell_depth: 0,
            notes: Vec::new(),
            line: 1,
            background_end_ns: 0,
            last_background_pid: None,
            next_pid: 7,
        };
        // The image's environment, then the container's (which may override it).
        let mut env: Vec<(String, String)> = vec![
            (
                "PATH".into(),
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into(),
            ),
            ("HOSTNAME".into(), start.pod_name.clone()),
            ("HOME".into(), "/root".into()),
        ];
        for (name, value) in &start.env {
            env.retain(|(n, _)| n != name);
            env.push((name.clone(), value.clone()));
        }
        for (name, value) in env {
            shell.raw_set(&name, value, true);
        }
        shell.raw_set("PWD", "/".into(), true);
        shell.raw_set("IFS", " \t\n".into(), false);
        shell.raw_set("PS1", "# ".into(), false);
        shell.raw_set("PS2", "> ".into(), false);
        shell.raw_set("PS4", "+ ".into(), false);
        shell.raw_set("OPTIND", "1".into(), false);
        shell.effects = 0;
        shell
    }

    // ---------------------------------------------------------------- variables

    /// Sets a variable without checks (environment import, loop variables).
    fn raw_set(&mut self, name: &str, value: String, export: bool) {
        let new_cost = var_cost(name, &value);
        match self.vars.get_mut(name) {
            Some(var) => {
                self.var_bytes = self.var_bytes - var_cost(name, &var.value) + new_cost;
                var.value = Rc::new(value);
                var.exported |= export;
            }
            None => {
                self.var_bytes += new_cost;
                self.vars.insert(
                    name.to_string(),
                    Var {
                        value: Rc::new(value),
                        exported: export,
                        readonly: false,
                    },
                );
            }
        }
    }

    pub fn get_var(&mut self, name: &str) -> Option<String> {
        match name {
            "RANDOM" => {
                self.impure_reads += 1;
                Some(self.rng.below(32768).to_string())
            }
            "SECONDS" => {
                self.impure_reads += 1;
                Some((self.clock_ns / 1_000_000_000).to_string())
            }
            "LINENO" => Some(self.line.to_string()),
            _ => self.vars.get(name).map(|v| v.value.as_str().to_string()),
        }
    }

    /// Sets a shell variable, accounting its memory and refusing read-only ones.
    pub fn set_var(&mut self, name: &str, value: String) -> Result<(), Flow> {
        if let Some(var) = self.vars.get(name) {
            if var.readonly {
                self.error(None, &format!("{name}: is read only"));
                return Err(Flow::Exit(2));
            }
            if *var.value == value {
                return Ok(());
            }
        }
        self.effects += 1;
        self.raw_set(name, value, false);
        self.check_memory(0)
    }

    pub fn export(&mut self, name: &str) {
        match self.vars.get_mut(name) {
            Some(var) => var.exported = true,
            None => {
                self.raw_set(name, String::new(), true);
                if let Some(v) = self.vars.get_mut(name) {
                    v.exported = true;
                }
                // `export X` without a value leaves X unset but exported in ash; an empty
                // exported variable is close enough for `env` and `$X`.
            }
        }
        self.effects += 1;
    }

    pub fn unset_var(&mut self, name: &str) -> Result<(), Flow> {
        if let Some(var) = self.vars.get(name) {
            if var.readonly {
                self.error(Some("unset"), &format!("{name}: is read only"));
                return Err(Flow::Exit(2));
            }
            self.var_bytes -= var_cost(name, &var.value);
            self.vars.remove(name);
            self.effects += 1;
        }
        Ok(())
    }

    /// `local NAME[=value]` inside a function.
    pub fn make_local(&mut self, name: &str, value: Option<String>) -> Result<(), Flow> {
        let saved = self.vars.get(name).cloned();
        let Some(frame) = self.local_frames.last_mut() else {
            self.error(Some("local"), "not in a function");
            return Err(Flow::Exit(2));
        };
        if !frame.iter().any(|(n, _)| n == name) {
            frame.push((name.to_string(), saved));
        }
        self.effects += 1;
        match value {
            Some(v) => self.set_var(name, v),
            None => Ok(()),
        }
    }

    /// Appends to a variable in place (`X="${X}more"`), as cheap in real memory as in ash.
    pub fn append_var(&mut self, name: &str, suffix: &str) -> Result<(), Flow> {
        let old_len = self.vars.get(name).map(|v| v.value.len()).unwrap_or(0) as u64;
        // ash builds the new value next to the old one before freeing it.
        self.check_memory(old_len + suffix.len() as u64)?;
        self.charge_cpu((old_len + suffix.len() as u64) * cost::BYTE_NS)?;
        if suffix.is_empty() && self.vars.contains_key(name) {
            return Ok(());
        }
        match self.vars.get_mut(name) {
            Some(var) if var.readonly => {
                self.error(None, &format!("{name}: is read only"));
                return Err(Flow::Exit(2));
            }
            Some(var) => {
                Rc::make_mut(&mut var.value).push_str(suffix);
                self.var_bytes += suffix.len() as u64;
            }
            None => self.raw_set(name, suffix.to_string(), false),
        }
        self.effects += 1;
        self.check_memory(0)
    }

    pub fn exported_env(&self) -> Vec<(String, String)> {
        // Definition order is not kept by the variable table; `env` prints the container's own
        // variables in the order Kubernetes passed them, then any the script exported.
        let mut out: Vec<(String, String)> = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        let image_first = ["PATH", "HOSTNAME"];
        let order = image_first
            .iter()
            .map(|s| s.to_string())
            .chain(self.start.env.iter().map(|(n, _)| n.clone()))
            .chain(["HOME".to_string(), "PWD".to_string()])
            .chain(self.vars.keys().cloned());
        for name in order {
            if !seen.insert(name.clone()) {
                continue;
            }
            if let Some(var) = self.vars.get(&name) {
                if var.exported {
                    out.push((name, var.value.as_str().to_string()));
                }
            }
        }
        out
    }

    // ---------------------------------------------------------------- clock, memory, budget

    /// Advances the clock by CPU work, stretched by the CPU limit.
    pub fn charge_cpu(&mut self, ns: u64) -> Result<(), Flow> {
        let stretched = ns.saturating_mul(self.cpu_stretch_permille) / 1000;
        self.advance(stretched)
    }

    /// Advances the clock (sleep, or already-stretched CPU time), stopping at the time limit.
    pub fn advance(&mut self, ns: u64) -> Result<(), Flow> {
        self.clock_ns = self.clock_ns.saturating_add(ns);
        if self.clock_ns >= self.max_ns {
            self.clock_ns = self.max_ns;
            return Err(Flow::Stop(Stop::TimeLimit));
        }
        Ok(())
    }

    pub fn memory_now(&self) -> u64 {
        cost::BASE_MEMORY_BYTES + self.var_bytes + self.held_bytes
    }

    /// Records the peak with `transient` extra bytes in flight and stops on the limit.
    pub fn check_memory(&mut self, transient: u64) -> Result<(), Flow> {
        let now = self.memory_now().saturating_add(transient);
        self.peak_memory = self.peak_memory.max(now);
        if let Some(limit) = self.memory_limit {
            if now > limit {
                return Err(Flow::Stop(Stop::Oom));
            }
        }
        if now > limits::MAX_MEMORY_BYTES {
            return Err(Flow::Stop(Stop::SimulatorMemory));
        }
        Ok(())
    }

    fn step(&mut self) -> Result<(), Flow> {
        self.steps += 1;
        if self.steps > limits::MAX_STEPS {
            return Err(Flow::Stop(Stop::StepBudget));
        }
        Ok(())
    }

    pub fn now_unix_ns(&mut self) -> i128 {
        self.impure_reads += 1;
        self.start.started_at_unix_ms as i128 * 1_000_000 + self.clock_ns as i128
    }

    pub fn new_pid(&mut self) -> u32 {
        self.next_pid += 1;
        self.next_pid
    }

    // ---------------------------------------------------------------- output

    pub fn write_out(&mut self, text: &str) -> Result<(), Flow> {
        let sink = self.fds.out.clone();
        self.write_sink(&sink, text)
    }

    pub fn write_err(&mut self, text: &str) -> Result<(), Flow> {
        let sink = self.fds.err.clone();
        self.write_sink(&sink, text)
    }

    pub fn write_sink(&mut self, sink: &Sink, text: &str) -> Result<(), Flow> {
        if text.is_empty() {
            return Ok(());
        }
        match sink {
            Sink::Log(stream) => self.write_log(*stream, text),
            Sink::Capture(index) => {
                if let Some(buf) = self.captures.get_mut(*index) {
                    buf.push_str(text);
                    self.held_bytes += text.len() as u64;
                    self.check_memory(0)?;
                }
            }
            Sink::File(path) => {
                // The file was checked when the redirection opened it.
                let _ = self.fs.write(path, text, true);
                self.effects += 1;
                if self.fs.total_bytes() > limits::MAX_MEMORY_BYTES {
                    return Err(Flow::Stop(Stop::SimulatorMemory));
                }
            }
            Sink::Null => {}
        }
        Ok(())
    }

    fn write_log(&mut self, stream: Stream, text: &str) {
        let at_ms = self.clock_ns / 1_000_000;
        let slot = match stream {
            Stream::Stdout => 0,
            Stream::Stderr => 1,
        };
        let mut rest = text;
        while let Some(nl) = rest.find('\n') {
            let mut line = std::mem::take(&mut self.partial[slot]);
            line.push_str(&rest[..nl]);
            self.push_log(at_ms, stream, line);
            rest = &rest[nl + 1..];
        }
        if !rest.is_empty() {
            if self.partial[slot].len() < 1 << 20 {
                self.partial[slot].push_str(rest);
            }
            self.effects += 1;
        }
    }

    fn push_log(&mut self, at_ms: u64, stream: Stream, text: String) {
        if self.logs.len() >= limits::MAX_LOG_LINES {
            self.dropped_log_lines += 1;
            return;
        }
        self.effects += 1;
        self.logs.push(LogLine {
            at_ms,
            stream,
            text,
        });
    }

    /// Ends the run's output: a last line without newline still shows in `kubectl logs`.
    pub fn flush_logs(&mut self) {
        let at_ms = self.clock_ns / 1_000_000;
        for (slot, stream) in [(0, Stream::Stdout), (1, Stream::Stderr)] {
            let line = std::mem::take(&mut self.partial[slot]);
            if !line.is_empty() {
                self.push_log(at_ms, stream, line);
            }
        }
    }

    /// Prints an error the way ash does: `sh: [cmd: ][line N: ]message`.
    pub fn error(&mut self, command: Option<&str>, message: &str) {
        let mut text = format!("{}: ", self.arg0);
        if self.dialect == Dialect::Bash {
            text.push_str(&format!("line {}: ", self.line));
            if let Some(cmd) = command {
                text.push_str(&format!("{cmd}: "));
            }
        } else if let Some(cmd) = command {
            text.push_str(&format!("{cmd}: line {}: ", self.line));
        } else if self.script_file {
            text.push_str(&format!("line {}: ", self.line));
        }
        text.push_str(message);
        text.push('\n');
        let _ = self.write_err(&text);
    }

    /// An applet's own error (`cat: can't open 'x': No such file or directory`).
    pub fn applet_error(&mut self, applet: &str, message: &str) {
        let _ = self.write_err(&format!("{applet}: {message}\n"));
    }

    pub fn begin_capture(&mut self) -> usize {
        self.captures.push(String::new());
        self.captures.len() - 1
    }

    pub fn end_capture(&mut self, index: usize) -> String {
        let mut out = String::new();
        while self.captures.len() > index {
            out = self.captures.pop().unwrap_or_default();
        }
        self.held_bytes = self.held_bytes.saturating_sub(out.len() as u64);
        out
    }

    pub fn note(&mut self, text: String) {
        if !self.notes.contains(&text) && self.notes.len() < 8 {
            self.notes.push(text);
        }
    }

    // ---------------------------------------------------------------- running scripts

    /// Runs a whole script text: parses and executes one top-level command at a time, so that
    /// commands before a syntax error run (as in ash).
    pub fn run_script(&mut self, text: &str) -> Exec {
        if text.len() > limits::MAX_SCRIPT_BYTES {
            self.error(None, "script too large for the simulator");
            self.note(format!(
                "the script is larger than {} bytes; the simulator does not run it",
                limits::MAX_SCRIPT_BYTES
            ));
            return Err(Flow::Exit(2));
        }
        let mut parser = Parser::new(text);
        let mut status = 0;
        loop {
            match parser.next_command() {
                Ok(Some(item)) => status = self.exec_and_or(&item)?,
                Ok(None) => return Ok(status),
                Err(e) => {
                    self.syntax_error(&e);
                    return Err(Flow::Exit(2));
                }
            }
        }
    }

    pub fn syntax_error(&mut self, e: &SyntaxError) {
        self.line = e.line;
        let message = if e.message.starts_with("nesting") || e.message.contains("simulator") {
            e.message.clone()
        } else {
            format!("syntax error: {}", e.message)
        };
        self.error(None, &message);
        self.note(format!(
            "the script has a syntax error at line {}: {}",
            e.line, e.message
        ));
    }

    pub fn exec_list(&mut self, list: &List) -> Exec {
        let mut status = 0;
        for item in list {
            status = self.exec_and_or(item)?;
        }
        Ok(status)
    }

    /// Runs `f` where `set -e` does not apply (conditions, the left of `&&`/`||`, `!`).
    pub fn in_condition<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        self.condition_depth += 1;
        let result = f(self);
        self.condition_depth -= 1;
        result
    }

    fn exec_and_or(&mut self, item: &AndOr) -> Exec {
        if item.background {
            return self.exec_background(item);
        }
        let last = item.rest.len();
        let mut status = if last > 0 {
            self.in_condition(|s| s.exec_pipeline(&item.first))?
        } else {
            self.exec_pipeline(&item.first)?
        };
        for (i, (is_and, pipeline)) in item.rest.iter().enumerate() {
            if *is_and != (status == 0) {
                continue;
            }
            status = if i + 1 < last {
                self.in_condition(|s| s.exec_pipeline(pipeline))?
            } else {
                self.exec_pipeline(pipeline)?
            };
        }
        self.status = status;
        self.take_sigterm()?;
        Ok(status)
    }

    /// `cmd &`: runs in a subshell from the same instant; the parent's clock resumes where it was.
    fn exec_background(&mut self, item: &AndOr) -> Exec {
        let fork_time = self.clock_ns;
        let foreground = AndOr {
            first: item.first.clone(),
            rest: item.rest.clone(),
            background: false,
        };
        let result = self.subshell(|s| s.exec_and_or(&foreground));
        let end = self.clock_ns;
        match result {
            Err(Flow::Stop(Stop::TimeLimit)) => {}
            Err(other) => return Err(other),
            Ok(_) => {}
        }
        self.background_end_ns = self.background_end_ns.max(end);
        self.clock_ns = fork_time;
        self.advance(cost::FORK_NS)?;
        let pid = self.new_pid();
        self.last_background_pid = Some(pid);
        self.status = 0;
        Ok(0)
    }

    fn exec_pipeline(&mut self, pipeline: &Pipeline) -> Exec {
        let status = if pipeline.bang {
            let s = self.in_condition(|s| s.exec_stages(&pipeline.commands))?;
            (s == 0) as i32
        } else {
            self.exec_stages(&pipeline.commands)?
        };
        self.status = status;
        if status != 0 && !pipeline.bang && self.errexit && self.condition_depth == 0 {
            return Err(Flow::Exit(status));
        }
        Ok(status)
    }

    fn exec_stages(&mut self, commands: &[Command]) -> Exec {
        if commands.len() == 1 {
            return self.exec_command(&commands[0]);
        }
        let mut input: Option<String> = None;
        let mut status = 0;
        let mut failed = 0;
        for (i, command) in commands.iter().enumerate() {
            let last = i + 1 == commands.len();
            self.charge_cpu(cost::FORK_NS)?;
            let saved = self.fds.clone();
            if let Some(data) = input.take() {
                self.held_bytes = self.held_bytes.saturating_sub(data.len() as u64);
                self.fds.input = Some(Rc::new(RefCell::new(Input { data, pos: 0 })));
            } else if i > 0 {
                self.fds.input = Some(Rc::new(RefCell::new(Input::default())));
            }
            let capture = (!last).then(|| self.begin_capture());
            if let Some(index) = capture {
                self.fds.out = Sink::Capture(index);
            }
            let result = self.subshell(|s| s.exec_command(command));
            self.fds = saved;
            if let Some(index) = capture {
                let data = self.end_capture(index);
                self.held_bytes += data.len() as u64;
                input = Some(data);
            }
            status = result?;
            if status != 0 {
                failed = status;
            }
        }
        if let Some(data) = input {
            self.held_bytes = self.held_bytes.saturating_sub(data.len() as u64);
        }
        Ok(if self.pipefail && status == 0 {
            failed
        } else {
            status
        })
    }

    /// Runs `f` as a subshell: variable, function, option and directory changes are undone;
    /// `exit` ends only the subshell.
    pub fn subshell(&mut self, f: impl FnOnce(&mut Self) -> Exec) -> Exec {
        if self.call_depth >= limits::MAX_CALL_DEPTH {
            self.error(None, "subshells nested too deeply for the simulator");
            return Ok(2);
        }
        let saved = Saved {
            vars: self.vars.clone(),
            functions: self.functions.clone(),
            positional: self.positional.clone(),
            cwd: self.cwd.clone(),
            errexit: self.errexit,
            nounset: self.nounset,
            xtrace: self.xtrace,
            var_bytes: self.var_bytes,
            local_frames: std::mem::take(&mut self.local_frames),
            exit_trap: self.exit_trap.take(),
            term_trap: self.term_trap.take(),
            fds: self.fds.clone(),
            loop_depth: std::mem::take(&mut self.loop_depth),
            function_depth: std::mem::take(&mut self.function_depth),
        };
        self.call_depth += 1;
        self.subshell_depth += 1;
        let result = f(self);
        self.subshell_depth -= 1;
        self.call_depth -= 1;
        let result = match result {
            Ok(s) => Ok(s),
            Err(Flow::Exit(code)) => {
                self.run_exit_trap()?;
                Ok(code)
            }
            Err(Flow::Return(code)) => Ok(code),
            Err(Flow::Break(_)) | Err(Flow::Continue(_)) => Ok(self.status),
            Err(stop @ Flow::Stop(_)) => Err(stop),
        };
        self.vars = saved.vars;
        self.functions = saved.functions;
        self.positional = saved.positional;
        self.cwd = saved.cwd;
        self.errexit = saved.errexit;
        self.nounset = saved.nounset;
        self.xtrace = saved.xtrace;
        self.var_bytes = saved.var_bytes;
        self.local_frames = saved.local_frames;
        self.exit_trap = saved.exit_trap;
        self.term_trap = saved.term_trap;
        self.fds = saved.fds;
        self.loop_depth = saved.loop_depth;
        self.function_depth = saved.function_depth;
        result
    }

    /// Runs the `EXIT` trap once, if one is set.
    pub fn run_exit_trap(&mut self) -> Result<(), Flow> {
        if let Some(action) = self.exit_trap.take() {
            let saved_status = self.status;
            match self.eval_text(&action) {
                Ok(_) | Err(Flow::Exit(_)) | Err(Flow::Return(_)) => {}
                Err(Flow::Break(_)) | Err(Flow::Continue(_)) => {}
                Err(stop @ Flow::Stop(_)) => return Err(stop),
            }
            self.status = saved_status;
        }
        Ok(())
    }

    /// The SIGTERM of a pod deletion, if it has arrived: the main shell runs its TERM trap once
    /// the current command is over (a foreground `sleep` is a child the signal does not reach;
    /// the shell waits for it first, as ash does). Without a trap, PID 1 drops the signal.
    pub fn take_sigterm(&mut self) -> Result<(), Flow> {
        if self.sigterm_delivered || self.subshell_depth > 0 || !self.sigterm_arrived() {
            return Ok(());
        }
        self.sigterm_delivered = true;
        let Some(action) = self.term_trap.clone() else {
            return Ok(());
        };
        let saved_status = self.status;
        self.eval_text(&action)?;
        self.status = saved_status;
        Ok(())
    }

    /// When SIGTERM comes (nanoseconds after the start), if it comes during this run.
    pub fn sigterm_ns(&self) -> Option<u64> {
        self.start
            .sigterm_at_ms
            .map(|ms| ms.saturating_mul(1_000_000))
            .filter(|_| !self.sigterm_delivered)
    }

    fn sigterm_arrived(&self) -> bool {
        self.sigterm_ns().is_some_and(|t| self.clock_ns >= t)
    }

    /// `eval`, trap actions, sourced files: parse and run text in the current shell.
    pub fn eval_text(&mut self, text: &str) -> Exec {
        if self.call_depth >= limits::MAX_CALL_DEPTH {
            self.error(Some("eval"), "nested too deeply for the simulator");
            return Ok(2);
        }
        self.call_depth += 1;
        let base_line = self.line;
        let mut parser = Parser::new(text);
        let mut status = 0;
        let result = loop {
            match parser.next_command() {
                Ok(Some(item)) => match self.exec_and_or(&item) {
                    Ok(s) => status = s,
                    Err(flow) => break Err(flow),
                },
                Ok(None) => break Ok(status),
                Err(e) => {
                    self.line = base_line + e.line - 1;
                    self.syntax_error(&e);
                    break Err(Flow::Exit(2));
                }
            }
        };
        self.call_depth -= 1;
        result
    }

    fn exec_command(&mut self, command: &Command) -> Exec {
        match command {
            Command::Simple(simple) => self.exec_simple(simple),
            Command::Compound(compound, redirs) => {
                let saved = self.fds.clone();
                if let Err(status) = self.apply_redirs(redirs)? {
                    self.fds = saved;
                    return Ok(status);
                }
                let result = self.exec_compound(compound);
                self.fds = saved;
                result
            }
            Command::FunctionDef(name, body) => {
                self.functions.insert(name.clone(), body.clone());
                self.effects += 1;
                Ok(0)
            }
        }
    }

    fn exec_compound(&mut self, compound: &Compound) -> Exec {
        match compound {
            Compound::Group(list) => self.exec_list(list),
            Compound::Subshell(list) => {
                self.charge_cpu(cost::FORK_NS)?;
                self.subshell(|s| s.exec_list(list))
            }
            Compound::If(branches, otherwise) => {
                for (cond, body) in branches {
                    if self.in_condition(|s| s.exec_list(cond))? == 0 {
                        return self.exec_list(body);
                    }
                }
                match otherwise {
                    Some(body) => self.exec_list(body),
                    None => Ok(0),
                }
            }
            Compound::Loop {
                until,
                cond,
                body,
                line,
            } => self.exec_loop(*until, cond, body, *line),
            Compound::For {
                var,
                items,
                body,
                line,
            } => self.exec_for(var, items.as_deref(), body, *line),
            Compound::Case(subject, arms) => {
                let value = self.expand_string(subject)?;
                for arm in arms {
                    for pattern in &arm.patterns {
                        let pat = self.expand_pattern(pattern)?;
                        if super::pattern::matches(&pat, &value, false) {
                            return self.exec_list(&arm.body);
                        }
                    }
                }
                Ok(0)
            }
        }
    }

    /// What a loop body's `break`/`continue` means for this loop.
    fn loop_control(&mut self, result: Exec) -> Result<LoopStep, Flow> {
        match result {
            Ok(s) => Ok(LoopStep::Next(s)),
            Err(Flow::Break(n)) if n > 1 => Err(Flow::Break(n - 1)),
            Err(Flow::Break(_)) => Ok(LoopStep::Break),
            Err(Flow::Continue(n)) if n > 1 => Err(Flow::Continue(n - 1)),
            Err(Flow::Continue(_)) => Ok(LoopStep::Next(self.status)),
            Err(other) => Err(other),
        }
    }

    fn exec_loop(&mut self, until: bool, cond: &List, body: &List, line: u32) -> Exec {
        self.loop_depth += 1;
        let result = self.exec_loop_inner(until, cond, body, line);
        self.loop_depth -= 1;
        result
    }

    fn exec_loop_inner(&mut self, until: bool, cond: &List, body: &List, line: u32) -> Exec {
        let mut status = 0;
        let mut steady = 0u64;
        loop {
            let before = (self.effects, self.impure_reads);
            let c = match self.in_condition(|s| s.exec_list(cond)) {
                Ok(c) => c,
                Err(flow) => match self.loop_control(Err(flow))? {
                    LoopStep::Break => break,
                    LoopStep::Next(_) => continue,
                },
            };
            if (c == 0) == until {
                break;
            }
            let result = self.exec_list(body);
            match self.loop_control(result)? {
                LoopStep::Break => break,
                LoopStep::Next(s) => status = s,
            }
            if (self.effects, self.impure_reads) == before {
                steady += 1;
            } else {
                steady = 0;
            }
            if steady >= limits::FAST_FORWARD_AFTER && self.term_trap.is_some() {
                if let Some(t) = self.sigterm_ns().filter(|_| self.subshell_depth == 0) {
                    // The loop would run until the trap fires: skip to the signal instead.
                    self.clock_ns = self.clock_ns.max(t).min(self.max_ns);
                    self.take_sigterm()?;
                    steady = 0;
                    continue;
                }
            }
            if steady >= limits::FAST_FORWARD_AFTER {
                // Nothing the condition reads can change any more: the loop never ends.
                self.note(format!(
                    "the loop at line {line} repeats with nothing changing; the simulator skipped \
                     ahead to the time limit instead of running it"
                ));
                self.clock_ns = self.max_ns;
                return Err(Flow::Stop(Stop::TimeLimit));
            }
        }
        Ok(status)
    }

    fn exec_for(&mut self, var: &str, items: Option<&[Word]>, body: &List, line: u32) -> Exec {
        let words = match items {
            Some(words) => self.expand_words(words)?,
            None => self.positional.clone(),
        };
        let held: u64 = words.iter().map(|w| w.len() as u64 + 16).sum();
        self.held_bytes += held;
        let checked = self.check_memory(0);
        let result = checked.and_then(|_| {
            self.loop_depth += 1;
            let r = self.exec_for_items(var, &words, body, line);
            self.loop_depth -= 1;
            r
        });
        self.held_bytes -= held;
        result
    }

    fn exec_for_items(&mut self, var: &str, words: &[String], body: &List, _line: u32) -> Exec {
        let mut status = 0;
        let mut steady = 0u64;
        let mut steady_since_ns = self.clock_ns;
        for (index, word) in words.iter().enumerate() {
            let start_ns = self.clock_ns;
            if self.vars.get(var).is_some_and(|v| v.readonly) {
                self.error(None, &format!("{var}: is read only"));
                return Err(Flow::Exit(2));
            }
            self.raw_set(var, word.clone(), false);
            let before = self.effects;
            let result = self.exec_list(body);
            match self.loop_control(result)? {
                LoopStep::Break => return Ok(status),
                LoopStep::Next(s) => status = s,
            }
            if self.effects == before {
                if steady == 0 {
                    steady_since_ns = start_ns;
                }
                steady += 1;
            } else {
                steady = 0;
            }
            let remaining = (words.len() - index - 1) as u64;
            if steady >= limits::FAST_FORWARD_AFTER && remaining > 0 {
                // The body changes nothing visible: charge the remaining iterations at the
                // measured rate instead of running them.
                let per_iteration = (self.clock_ns - steady_since_ns) / steady;
                if let Some(last) = words.last() {
                    self.raw_set(var, last.clone(), false);
                }
                self.advance(per_iteration.saturating_mul(remaining))?;
                return Ok(status);
            }
        }
        Ok(status)
    }

    // ---------------------------------------------------------------- simple commands

    fn exec_simple(&mut self, cmd: &Simple) -> Exec {
        self.line = cmd.line;
        self.step()?;
        let argv = self.expand_command_words(&cmd.words)?;
        if argv.is_empty() {
            return self.exec_assignments_only(cmd);
        }
        // Assignments before a command apply to that command only.
        let mut restore: Vec<(String, Option<Var>)> = Vec::new();
        for (name, word) in &cmd.assigns {
            let value = self.expand_string(word)?;
            restore.push((name.clone(), self.vars.get(name).cloned()));
            self.set_var(name, value)?;
            if let Some(v) = self.vars.get_mut(name) {
                v.exported = true;
            }
        }
        if self.xtrace {
            let trace = format!("+ {}\n", argv.join(" "));
            self.write_err(&trace)?;
        }
        let saved = self.fds.clone();
        let result = match self.apply_redirs(&cmd.redirs) {
            Ok(Ok(())) => self.dispatch(&argv),
            Ok(Err(status)) => Ok(status),
            Err(flow) => Err(flow),
        };
        // `exec >file 2>&1` with no command redirects the shell itself from here on.
        let permanent = argv.len() == 1 && argv[0] == "exec";
        if !permanent {
            self.fds = saved;
        }
        for (name, old) in restore {
            self.restore_var(&name, old);
        }
        let status = result?;
        self.status = status;
        Ok(status)
    }

    pub fn restore_var(&mut self, name: &str, old: Option<Var>) {
        if let Some(var) = self.vars.remove(name) {
            self.var_bytes -= var_cost(name, &var.value);
        }
        if let Some(var) = old {
            self.var_bytes += var_cost(name, &var.value);
            self.vars.insert(name.to_string(), var);
        }
        self.effects += 1;
    }

    fn exec_assignments_only(&mut self, cmd: &Simple) -> Exec {
        self.charge_cpu(cost::BUILTIN_NS)?;
        // The status is that of the last command substitution, or 0.
        self.status = 0;
        for (name, word) in &cmd.assigns {
            if let Some(suffix_parts) = self.self_append(name, word) {
                let suffix = self.expand_parts_to_string(suffix_parts)?;
                self.append_var(name, &suffix)?;
                continue;
            }
            let value = self.expand_string(word)?;
            self.charge_cpu(value.len() as u64 * cost::BYTE_NS)?;
            self.check_memory(value.len() as u64)?;
            self.set_var(name, value)?;
        }
        if self.xtrace {
            let trace: Vec<String> = cmd
                .assigns
                .iter()
                .map(|(n, _)| {
                    format!(
                        "{n}={}",
                        self.vars.get(n).map(|v| v.value.as_str()).unwrap_or("")
                    )
                })
                .collect();
            self.write_err(&format!("+ {}\n", trace.join(" ")))?;
        }
        let status = self.status;
        let saved = self.fds.clone();
        let result = self.apply_redirs(&cmd.redirs);
        self.fds = saved;
        match result? {
            Ok(()) => Ok(status),
            Err(s) => Ok(s),
        }
    }

    /// For `X="${X}…"` / `X=$X…`: the parts after the leading `$X`, when nothing else reads `X`.
    fn self_append<'w>(&self, name: &str, word: &'w Word) -> Option<&'w [Part]> {
        let (first, rest) = word.parts.split_first()?;
        match first {
            Part::Param {
                name: n,
                op: ParamOp::Plain,
                ..
            } if n == name => {}
            _ => return None,
        }
        let independent = rest.iter().all(|p| match p {
            Part::Lit { .. } => true,
            Part::Param { name: n, op, .. } => {
                n != name && matches!(op, ParamOp::Plain | ParamOp::Length)
            }
            _ => false,
        });
        independent.then_some(rest)
    }

    /// Applies redirections to `self.fds`. `Ok(Err(status))` when one failed (message printed).
    pub fn apply_redirs(&mut self, redirs: &[Redir]) -> Result<Result<(), i32>, Flow> {
        for redir in redirs {
            self.charge_cpu(cost::REDIRECT_NS)?;
            if redir.kind == RedirKind::HereDoc {
                let text = self.expand_string(&redir.target)?;
                let text = if text.ends_with('\n') {
                    text
                } else {
                    format!("{text}\n")
                };
                if redir.fd == 0 {
                    self.fds.input = Some(Rc::new(RefCell::new(Input { data: text, pos: 0 })));
                }
                continue;
            }
            let target = self.expand_string(&redir.target)?;
            match redir.kind {
                RedirKind::DupOut | RedirKind::DupIn => {
                    let sink = match target.as_str() {
                        "1" => Some(self.fds.out.clone()),
                        "2" => Some(self.fds.err.clone()),
                        "-" => Some(Sink::Null),
                        "0" => None,
                        _ => {
                            if target.parse::<u32>().is_ok() {
                                self.error(None, &format!("{target}: bad file descriptor"));
                                return Ok(Err(1));
                            }
                            // `>&file` is bash's `&>`-like form: treat as `> file 2>&1`.
                            match self.open_for_write(&target, false)? {
                                Ok(sink) => Some(sink),
                                Err(s) => return Ok(Err(s)),
                            }
                        }
                    };
                    if let Some(sink) = sink {
                        self.set_fd(redir.fd, sink);
                    }
                }
                RedirKind::Out | RedirKind::Append => {
                    match self.open_for_write(&target, redir.kind == RedirKind::Append)? {
                        Ok(sink) => self.set_fd(redir.fd, sink),
                        Err(s) => return Ok(Err(s)),
                    }
                }
                RedirKind::In | RedirKind::ReadWrite => {
                    let path = super::vfs::normalize(&self.cwd, &target);
                    if path == "/dev/null" || path == "/dev/stdin" {
                        if redir.fd == 0 {
                            self.fds.input = Some(Rc::new(RefCell::new(Input::default())));
                        }
                        continue;
                    }
                    match self.fs.read(&path) {
                        Ok(file) => {
                            let data = file.content.clone();
                            self.charge_cpu(data.len() as u64 * cost::BYTE_NS)?;
                            if redir.fd == 0 {
                                self.fds.input =
                                    Some(Rc::new(RefCell::new(Input { data, pos: 0 })));
                            }
                        }
                        Err(_) => {
                            self.error(None, &format!("can't open {target}: no such file"));
                            return Ok(Err(1));
                        }
                    }
                }
                RedirKind::HereDoc => {}
            }
        }
        Ok(Ok(()))
    }

    fn set_fd(&mut self, fd: u32, sink: Sink) {
        match fd {
            1 => self.fds.out = sink,
            2 => self.fds.err = sink,
            _ => {}
        }
    }

    fn open_for_write(&mut self, target: &str, append: bool) -> Result<Result<Sink, i32>, Flow> {
        let path = super::vfs::normalize(&self.cwd, target);
        match path.as_str() {
            "/dev/null" => return Ok(Ok(Sink::Null)),
            "/dev/stdout" | "/proc/self/fd/1" => return Ok(Ok(self.fds.out.clone())),
            "/dev/stderr" | "/proc/self/fd/2" => return Ok(Ok(self.fds.err.clone())),
            _ => {}
        }
        let existing = self.fs.read(&path).map(|f| f.content.len()).unwrap_or(0);
        let result = if append {
            self.fs.write(&path, "", true)
        } else {
            self.fs.write(&path, "", false)
        };
        match result {
            Ok(()) => {
                if existing > 0 || !append {
                    self.effects += 1;
                }
                Ok(Ok(Sink::File(path)))
            }
            Err(e) => {
                let why = match e {
                    super::vfs::FsError::NotFound | super::vfs::FsError::NotDir => {
                        "nonexistent directory"
                    }
                    other => other.strerror(),
                };
                self.error(None, &format!("can't create {target}: {why}"));
                Ok(Err(if self.dialect == Dialect::Bash { 1 } else { 2 }))
            }
        }
    }

    /// Runs a command by name: function, builtin, applet, or a script file.
    fn dispatch(&mut self, argv: &[String]) -> Exec {
        let name = argv[0].as_str();
        if let Some(body) = self.functions.get(name).cloned() {
            return self.call_function(&body, argv);
        }
        if let Some(result) = self.builtin(argv) {
            return result;
        }
        let applet = match name.rsplit_once('/') {
            Some(("/bin" | "/usr/bin" | "/sbin" | "/usr/sbin", base)) => base,
            _ => name,
        };
        if (!name.contains('/') || applet != name) && super::applets::is_applet(applet) {
            self.charge_cpu(cost::FORK_NS + cost::EXEC_NS)?;
            let mut args = argv.to_vec();
            args[0] = applet.to_string();
            return self.run_applet(&args);
        }
        if name.contains('/') {
            return self.exec_file(argv);
        }
        self.charge_cpu(cost::FORK_NS)?;
        self.command_not_found(name)
    }

    pub fn command_not_found(&mut self, name: &str) -> Exec {
        if self.dialect == Dialect::Bash {
            self.error(None, &format!("{name}: command not found"));
        } else {
            self.error(None, &format!("{name}: not found"));
        }
        let why = if super::applets::BUSYBOX_ONLY_APPLETS.contains(&name) {
            format!("busybox has `{name}` but the simulator does not model it")
        } else {
            format!("`{name}` is not in the container image")
        };
        self.note(format!(
            "line {}: the script ran `{name}`, which the simulated container does not have ({why}); \
             the shell reports it and the command exits with 127",
            self.line
        ));
        Ok(127)
    }

    /// `./script.sh` or `/scripts/x.sh`: a new shell process reads the file.
    fn exec_file(&mut self, argv: &[String]) -> Exec {
        self.charge_cpu(cost::FORK_NS + cost::EXEC_NS)?;
        let path = super::vfs::normalize(&self.cwd, &argv[0]);
        let file = match self.fs.get(&path) {
            Some(super::vfs::Node::File(f)) => f.clone(),
            Some(super::vfs::Node::Dir) => {
                self.error(None, &format!("{}: Permission denied", argv[0]));
                return Ok(126);
            }
            None => {
                self.error(None, &format!("{}: not found", argv[0]));
                return Ok(127);
            }
        };
        if file.mode & 0o111 == 0 {
            self.error(None, &format!("{}: Permission denied", argv[0]));
            return Ok(126);
        }
        let text = file.content.clone();
        let script_name = argv[0].clone();
        let args = argv[1..].to_vec();
        self.subshell(|s| {
            s.functions.clear();
            s.positional = args;
            let saved_arg0 = std::mem::replace(&mut s.arg0, script_name);
            let saved_script = std::mem::replace(&mut s.script_file, true);
            let result = s.run_script(&text);
            s.arg0 = saved_arg0;
            s.script_file = saved_script;
            result
        })
    }

    pub fn call_function(&mut self, body: &Rc<Command>, argv: &[String]) -> Exec {
        self.charge_cpu(cost::FUNCTION_CALL_NS)?;
        if self.call_depth >= limits::MAX_CALL_DEPTH {
            self.error(
                None,
                &format!("{}: function calls nested too deeply", argv[0]),
            );
            self.note(format!(
                "function `{}` recursed deeper than the simulator's limit of {} calls",
                argv[0],
                limits::MAX_CALL_DEPTH
            ));
            return Err(Flow::Exit(2));
        }
        self.call_depth += 1;
        self.function_depth += 1;
        let saved_positional = std::mem::replace(&mut self.positional, argv[1..].to_vec());
        let saved_loops = std::mem::take(&mut self.loop_depth);
        self.local_frames.push(Vec::new());
        let result = self.exec_command(body);
        if let Some(frame) = self.local_frames.pop() {
            for (name, old) in frame.into_iter().rev() {
                self.restore_var(&name, old);
            }
        }
        self.loop_depth = saved_loops;
        self.positional = saved_positional;
        self.function_depth -= 1;
        self.call_depth -= 1;
        match result {
            Err(Flow::Return(code)) => {
                self.status = code;
                Ok(code)
            }
            other => other,
        }
    }

    /// Reads everything left on stdin.
    pub fn read_stdin_all(&mut self) -> String {
        match &self.fds.input {
            Some(input) => {
                let mut input = input.borrow_mut();
                let pos = input.pos.min(input.data.len());
                let rest = input.data[pos..].to_string();
                input.pos = input.data.len();
                if !rest.is_empty() {
                    self.effects += 1;
                }
                rest
            }
            None => String::new(),
        }
    }

    /// Reads one line from stdin (without the newline); `None` at end of input.
    pub fn read_stdin_line(&mut self) -> Option<(String, bool)> {
        let input = self.fds.input.clone()?;
        let mut input = input.borrow_mut();
        let pos = input.pos.min(input.data.len());
        if pos >= input.data.len() {
            return None;
        }
        self.effects += 1;
        let rest = &input.data[pos..];
        match rest.find('\n') {
            Some(nl) => {
                let line = rest[..nl].to_string();
                input.pos = pos + nl + 1;
                Some((line, true))
            }
            None => {
                let line = rest.to_string();
                input.pos = input.data.len();
                Some((line, false))
            }
        }
    }
}

enum LoopStep {
    Next(i32),
    Break,
}
