//! Commands the shell runs itself (no fork): `echo`, `printf`, `test`/`[`, `export`, `local`,
//! `set`, `exit`, `return`, `eval`, `read`, `trap` …, with busybox ash's messages and statuses.

use super::cost;
use super::format::{self, FmtArg};
use super::interp::{Exec, Flow, Shell};
use super::parser::is_valid_name;
use super::pattern;
use super::vfs::{normalize, Node};

/// Names the shell handles itself (for `type` and `command -v`).
pub const BUILTINS: &[&str] = &[
    ":", ".", "[", "[[", "break", "cd", "command", "continue", "echo", "eval", "exec", "exit",
    "export", "false", "getopts", "kill", "let", "local", "printf", "pwd", "read", "readonly",
    "return", "set", "shift", "source", "test", "times", "trap", "true", "type", "ulimit", "umask",
    "unset", "wait", "hash", "alias", "unalias",
];

impl Shell<'_> {
    /// Runs `argv` if it names a builtin.
    pub fn builtin(&mut self, argv: &[String]) -> Option<Exec> {
        let name = argv[0].as_str();
        if !BUILTINS.contains(&name) {
            return None;
        }
        if let Err(flow) = self.charge_cpu(cost::BUILTIN_NS) {
            return Some(Err(flow));
        }
        let args = &argv[1..];
        Some(match name {
            ":" | "true" => Ok(0),
            "false" => Ok(1),
            "echo" => self.echo(args),
            "printf" => self.printf(args),
            "test" => Ok(self.test(args, "test")),
            "[" => Ok(self.test(args, "[")),
            "[[" => Ok(self.test(args, "[[")),
            "exit" => self.exit(args),
            "return" => self.return_(args),
            "break" | "continue" => self.loop_jump(name, args),
            "export" | "readonly" => self.export_cmd(name, args),
            "local" => self.local(args),
            "unset" => self.unset(args),
            "set" => self.set(args),
            "shift" => self.shift(args),
            "eval" => self.eval_text(&args.join(" ")),
            "." | "source" => self.source(args),
            "exec" => self.exec_builtin(argv),
            "cd" => self.cd(args),
            "pwd" => {
                let cwd = format!("{}\n", self.cwd);
                self.write_out(&cwd).map(|_| 0)
            }
            "read" => self.read(args),
            "trap" => self.trap(args),
            "wait" => {
                let end = self.background_end_ns;
                // A trapped signal interrupts `wait` (status 128+15); the trap runs next.
                let interrupted = self
                    .sigterm_ns()
                    .filter(|&t| self.term_trap.is_some() && self.subshell_depth == 0 && t < end);
                if let Some(t) = interrupted {
                    if t > self.clock_ns {
                        if let Err(flow) = self.advance(t - self.clock_ns) {
                            return Some(Err(flow));
                        }
                    }
                    return Some(Ok(143));
                }
                if end > self.clock_ns {
                    let wait = end - self.clock_ns;
                    if let Err(flow) = self.advance(wait) {
                        return Some(Err(flow));
                    }
                }
                Ok(0)
            }
            "let" => {
                let mut last = 0;
                for expr in args {
                    match self.arith(&super::ast::Word::literal(expr)) {
                        Ok(v) => last = v,
                        Err(flow) => return Some(Err(flow)),
                    }
                }
                Ok((last == 0) as i32)
            }
            "command" => self.command(args),
            "type" => self.type_cmd(args),
            "getopts" => {
                // Ending option parsing at once keeps `while getopts …` loops finite.
                self.note(
                    "`getopts` is not modelled by the simulator: it reports no options".into(),
                );
                Ok(1)
            }
            _ => Ok(0),
        })
    }

    fn echo(&mut self, args: &[String]) -> Exec {
        let mut newline = true;
        let mut escapes = false;
        let mut i = 0;
        while let Some(arg) = args.get(i) {
            let flags = arg
                .strip_prefix('-')
                .filter(|f| !f.is_empty() && f.chars().all(|c| matches!(c, 'n' | 'e' | 'E')));
            let Some(flags) = flags else { break };
            for c in flags.chars() {
                match c {
                    'n' => newline = false,
                    'e' => escapes = true,
                    _ => escapes = false,
                }
            }
            i += 1;
        }
        let mut text = args[i..].join(" ");
        if escapes {
            let (t, stopped) = format::unescape(&text, true);
            text = t;
            if stopped {
                newline = false;
            }
        }
        if newline {
            text.push('\n');
        }
        self.charge_cpu(text.len() as u64 * cost::BYTE_NS)?;
        self.write_out(&text)?;
        Ok(0)
    }

    fn printf(&mut self, args: &[String]) -> Exec {
        let Some(fmt) = args.first() else {
            self.applet_error("printf", "usage: printf FORMAT [ARGUMENT...]");
            return Ok(2);
        };
        let fmt_args: Vec<FmtArg> = args[1..].iter().map(|a| FmtArg::Str(a.clone())).collect();
        let out = format::printf(fmt, &fmt_args);
        self.charge_cpu(out.text.len() as u64 * cost::BYTE_NS)?;
        self.write_out(&out.text)?;
        for bad in &out.bad_numbers {
            self.applet_error(&self.arg0.clone(), &format!("invalid number '{bad}'"));
        }
        Ok(if out.bad_numbers.is_empty() { 0 } else { 1 })
    }

    fn exit(&mut self, args: &[String]) -> Exec {
        let code = match args.first() {
            None => self.status,
            Some(arg) => match arg.parse::<i64>() {
                Ok(n) => (n & 0xff) as i32,
                Err(_) => {
                    self.error(Some("exit"), &format!("Illegal number: {arg}"));
                    2
                }
            },
        };
        Err(Flow::Exit(code))
    }

    fn return_(&mut self, args: &[String]) -> Exec {
        let code = match args.first() {
            None => self.status,
            Some(arg) => match arg.parse::<i64>() {
                Ok(n) => (n & 0xff) as i32,
                Err(_) => {
                    self.error(Some("return"), &format!("Illegal number: {arg}"));
                    return Err(Flow::Exit(2));
                }
            },
        };
        if self.function_depth == 0 && self.call_depth == 0 {
            return Err(Flow::Exit(code));
        }
        Err(Flow::Return(code))
    }

    fn loop_jump(&mut self, name: &str, args: &[String]) -> Exec {
        let n = match args.first() {
            None => 1,
            Some(arg) => match arg.parse::<u32>() {
                Ok(n) if n > 0 => n,
                _ => {
                    self.error(Some(name), &format!("Illegal number: {arg}"));
                    return Err(Flow::Exit(2));
                }
            },
        };
        if self.loop_depth == 0 {
            return Ok(0);
        }
        let n = n.min(self.loop_depth);
        Err(if name == "break" {
            Flow::Break(n)
        } else {
            Flow::Continue(n)
        })
    }

    fn export_cmd(&mut self, name: &str, args: &[String]) -> Exec {
        let listing = args.is_empty() || args.iter().all(|a| a == "-p");
        if listing {
            let vars: Vec<(String, String, bool, bool)> = self
                .vars
                .iter()
                .map(|(n, v)| {
                    (
                        n.clone(),
                        v.value.as_str().to_string(),
                        v.exported,
                        v.readonly,
                    )
                })
                .collect();
            let mut text = String::new();
            for (n, v, exported, readonly) in vars {
                if (name == "export" && exported) || (name == "readonly" && readonly) {
                    text.push_str(&format!("{name} {n}='{}'\n", v.replace('\'', "'\\''")));
                }
            }
            self.write_out(&text)?;
            return Ok(0);
        }
        for arg in args.iter().filter(|a| !a.starts_with('-')) {
            let (var, value) = match arg.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (arg.as_str(), None),
            };
            if !is_valid_name(var) {
                self.error(Some(name), &format!("{var}: bad variable name"));
                return Err(Flow::Exit(2));
            }
            if let Some(value) = value {
                self.set_var(var, value)?;
            }
            if name == "export" {
                self.export(var);
            } else {
                if !self.vars.contains_key(var) {
                    self.set_var(var, String::new())?;
                }
                if let Some(v) = self.vars.get_mut(var) {
                    v.readonly = true;
                }
            }
        }
        Ok(0)
    }

    fn local(&mut self, args: &[String]) -> Exec {
        if self.function_depth == 0 {
            self.error(Some("local"), "not in a function");
            return Ok(2);
        }
        for arg in args.iter().filter(|a| !a.starts_with('-')) {
            let (var, value) = match arg.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (arg.as_str(), None),
            };
            if !is_valid_name(var) {
                self.error(Some("local"), &format!("{var}: bad variable name"));
                return Err(Flow::Exit(2));
            }
            self.make_local(var, value)?;
        }
        Ok(0)
    }

    fn unset(&mut self, args: &[String]) -> Exec {
        let functions = args.iter().any(|a| a == "-f");
        for arg in args.iter().filter(|a| !a.starts_with('-')) {
            if functions {
                self.functions.remove(arg.as_str());
                self.effects += 1;
            } else {
                self.unset_var(arg)?;
            }
        }
        Ok(0)
    }

    fn set(&mut self, args: &[String]) -> Exec {
        if args.is_empty() {
            let listing: String = self
                .vars
                .iter()
                .map(|(n, v)| format!("{n}='{}'\n", v.value.replace('\'', "'\\''")))
                .collect();
            self.write_out(&listing)?;
            return Ok(0);
        }
        let mut i = 0;
        while let Some(arg) = args.get(i) {
            if arg == "--" {
                self.positional = args[i + 1..].to_vec();
                self.effects += 1;
                return Ok(0);
            }
            let (on, flags) = match (arg.strip_prefix('-'), arg.strip_prefix('+')) {
                (Some(f), _) => (true, f),
                (_, Some(f)) => (false, f),
                _ => {
                    self.positional = args[i..].to_vec();
                    self.effects += 1;
                    return Ok(0);
                }
            };
            if flags == "o" {
                let option = args.get(i + 1).cloned().unwrap_or_default();
                match option.as_str() {
                    "errexit" => self.errexit = on,
                    "nounset" => self.nounset = on,
                    "xtrace" => self.xtrace = on,
                    "pipefail" => self.pipefail = on,
                    "" => {}
                    other => {
                        self.error(Some("set"), &format!("illegal option -o {other}"));
                        return Err(Flow::Exit(2));
                    }
                }
                i += 2;
                continue;
            }
            for c in flags.chars() {
                match c {
                    'e' => self.errexit = on,
                    'u' => self.nounset = on,
                    'x' => self.xtrace = on,
                    'f' | 'v' | 'h' | 'm' | 'b' | 'C' | 'a' | 'n' => {}
                    other => {
                        self.error(Some("set"), &format!("illegal option -{other}"));
                        return Err(Flow::Exit(2));
                    }
                }
            }
            self.effects += 1;
            i += 1;
        }
        Ok(0)
    }

    fn shift(&mut self, args: &[String]) -> Exec {
        let n: usize = match args.first().map(|a| a.parse()) {
            None => 1,
            Some(Ok(n)) => n,
            Some(Err(_)) => {
                self.error(Some("shift"), &format!("Illegal number: {}", args[0]));
                return Err(Flow::Exit(2));
            }
        };
        if n > self.positional.len() {
            self.error(Some("shift"), "can't shift that many");
            return Err(Flow::Exit(2));
        }
        self.positional.drain(..n);
        self.effects += 1;
        Ok(0)
    }

    fn source(&mut self, args: &[String]) -> Exec {
        let Some(file) = args.first() else {
            return Ok(0);
        };
        let path = normalize(&self.cwd, file);
        let text = match self.fs.read(&path) {
            Ok(f) => f.content.clone(),
            Err(_) => {
                self.error(None, &format!("{file}: not found"));
                return Err(Flow::Exit(2));
            }
        };
        self.eval_text(&text)
    }

    fn exec_builtin(&mut self, argv: &[String]) -> Exec {
        if argv.len() == 1 {
            return Ok(0);
        }
        let rest = argv[1..].to_vec();
        let status = self.run_argv(&rest)?;
        Err(Flow::Exit(status))
    }

    /// Runs an argument vector as a command (for `exec`, `command`, `env CMD`).
    pub fn run_argv(&mut self, argv: &[String]) -> Exec {
        if let Some(result) = self.builtin(argv) {
            return result;
        }
        let name = argv[0].as_str();
        let base = name.rsplit('/').next().unwrap_or(name);
        if super::applets::is_applet(base) {
            self.charge_cpu(cost::FORK_NS + cost::EXEC_NS)?;
            let mut args = argv.to_vec();
            args[0] = base.to_string();
            return self.run_applet(&args);
        }
        self.command_not_found(name)
    }

    fn cd(&mut self, args: &[String]) -> Exec {
        let target = args
            .iter()
            .find(|a| !a.starts_with('-'))
            .cloned()
            .unwrap_or_else(|| "/root".into());
        let path = normalize(&self.cwd, &target);
        if self.fs.is_dir(&path) {
            self.cwd = path.clone();
            self.set_var("PWD", path)?;
            Ok(0)
        } else {
            self.error(
                Some("cd"),
                &format!("can't cd to {target}: No such file or directory"),
            );
            Ok(2)
        }
    }

    fn read(&mut self, args: &[String]) -> Exec {
        let mut raw = false;
        let mut names = Vec::new();
        let mut i = 0;
        while let Some(arg) = args.get(i) {
            match arg.as_str() {
                "-r" => raw = true,
                "-p" | "-t" | "-n" | "-u" | "-d" => i += 1,
                a if a.starts_with('-') => {}
                a => names.push(a.to_string()),
            }
            i += 1;
        }
        if names.is_empty() {
            names.push("REPLY".into());
        }
        let Some((mut line, complete)) = self.read_stdin_line() else {
            for name in &names {
                self.set_var(name, String::new())?;
            }
            return Ok(1);
        };
        if !raw {
            line = line.replace('\\', "");
        }
        let mut rest = line.trim_start().to_string();
        for (k, name) in names.iter().enumerate() {
            let value = if k + 1 == names.len() {
                std::mem::take(&mut rest).trim_end().to_string()
            } else {
                match rest.find(char::is_whitespace) {
                    Some(i) => {
                        let field = rest[..i].to_string();
                        rest = rest[i..].trim_start().to_string();
                        field
                    }
                    None => std::mem::take(&mut rest),
                }
            };
            self.set_var(name, value)?;
        }
        Ok(if complete { 0 } else { 1 })
    }

    fn trap(&mut self, args: &[String]) -> Exec {
        if args.is_empty() {
            if let Some(action) = self.exit_trap.clone() {
                self.write_out(&format!("trap -- '{action}' EXIT\n"))?;
            }
            if let Some(action) = self.term_trap.clone() {
                self.write_out(&format!("trap -- '{action}' TERM\n"))?;
            }
            return Ok(0);
        }
        let (action, signals) = if args.len() == 1 {
            (None, args)
        } else if args[0] == "-" {
            (None, &args[1..])
        } else {
            (Some(args[0].clone()), &args[1..])
        };
        for signal in signals {
            if matches!(signal.as_str(), "EXIT" | "0" | "SIGEXIT") {
                self.exit_trap = action.clone().filter(|a| !a.is_empty());
                self.effects += 1;
            }
            if matches!(signal.as_str(), "TERM" | "15" | "SIGTERM") {
                // `trap '' TERM` ignores it: for PID 1 the same as having no handler.
                self.term_trap = action.clone().filter(|a| !a.is_empty());
                self.term_trap_set |= self.term_trap.is_some();
                self.effects += 1;
            }
            // Other signals: nothing in the simulation sends them (a pod deletion sends SIGTERM,
            // then SIGKILL, which no trap catches).
        }
        Ok(0)
    }

    fn command(&mut self, args: &[String]) -> Exec {
        match args.first().map(String::as_str) {
            Some("-v") | Some("-V") => {
                let mut status = 0;
                for name in &args[1..] {
                    let found = if self.functions.contains_key(name.as_str())
                        || BUILTINS.contains(&name.as_str())
                    {
                        Some(name.clone())
                    } else if super::applets::is_applet(name) {
                        Some(format!("/bin/{name}"))
                    } else {
                        None
                    };
                    match found {
                        Some(f) => self.write_out(&format!("{f}\n"))?,
                        None => status = 127,
                    }
                }
                Ok(status)
            }
            Some(_) => self.run_argv(args),
            None => Ok(0),
        }
    }

    fn type_cmd(&mut self, args: &[String]) -> Exec {
        let mut status = 0;
        for name in args {
            let text = if self.functions.contains_key(name.as_str()) {
                format!("{name} is a function\n")
            } else if BUILTINS.contains(&name.as_str()) {
                format!("{name} is a shell builtin\n")
            } else if super::applets::is_applet(name) {
                format!("{name} is /bin/{name}\n")
            } else {
                status = 127;
                format!("{name}: not found\n")
            };
            self.write_out(&text)?;
        }
        Ok(status)
    }

    // ------------------------------------------------------------------ test / [

    /// `test`, `[` and `[[`: 0 true, 1 false, 2 usage error.
    fn test(&mut self, args: &[String], name: &str) -> i32 {
        let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
        if name == "[" || name == "[[" {
            let close = if name == "[" { "]" } else { "]]" };
            if args.last() != Some(&close) {
                self.applet_error(&self.arg0.clone(), &format!("missing {close}"));
                return 2;
            }
            args.pop();
        }
        let mut parser = TestParser {
            args: &args,
            pos: 0,
            extended: name == "[[",
        };
        let result = parser.or(self);
        match result {
            Ok(v) if parser.pos == args.len() => (!v) as i32,
            Ok(_) => {
                let extra = args.get(parser.pos).copied().unwrap_or("");
                self.applet_error(&self.arg0.clone(), &format!("{extra}: unknown operand"));
                2
            }
            Err(message) => {
                self.applet_error(&self.arg0.clone(), &message);
                2
            }
        }
    }

    fn file_test(&mut self, op: &str, file: &str) -> bool {
        let path = normalize(&self.cwd, file);
        let node = self.fs.get(&path).cloned();
        let special = matches!(path.as_str(), "/dev/null" | "/dev/stdout" | "/dev/stderr");
        match op {
            "-e" | "-a" => node.is_some() || special,
            "-f" => matches!(node, Some(Node::File(_))),
            "-d" => matches!(node, Some(Node::Dir)),
            "-s" => matches!(&node, Some(Node::File(f)) if !f.content.is_empty()),
            "-r" | "-w" => node.is_some() || special,
            "-x" => match &node {
                Some(Node::File(f)) => f.mode & 0o111 != 0,
                Some(Node::Dir) => true,
                None => false,
            },
            "-c" => special,
            _ => false,
        }
    }
}

struct TestParser<'a> {
    args: &'a [&'a str],
    pos: usize,
    extended: bool,
}

const UNARY_FILE: &[&str] = &[
    "-e", "-f", "-d", "-s", "-r", "-w", "-x", "-L", "-h", "-b", "-c", "-p", "-S", "-a", "-g", "-u",
    "-k", "-G", "-O",
];
const BINARY: &[&str] = &[
    "=", "==", "!=", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef", "=~",
];

impl<'a> TestParser<'a> {
    fn peek(&self, offset: usize) -> Option<&'a str> {
        self.args.get(self.pos + offset).copied()
    }

    fn or(&mut self, sh: &mut Shell) -> Result<bool, String> {
        let mut v = self.and(sh)?;
        while matches!(self.peek(0), Some("-o") | Some("||")) {
            self.pos += 1;
            let rhs = self.and(sh)?;
            v = v || rhs;
        }
        Ok(v)
    }

    fn and(&mut self, sh: &mut Shell) -> Result<bool, String> {
        let mut v = self.not(sh)?;
        while matches!(self.peek(0), Some("-a") | Some("&&")) && self.peek(1).is_some() {
            self.pos += 1;
            let rhs = self.not(sh)?;
            v = v && rhs;
        }
        Ok(v)
    }

    fn not(&mut self, sh: &mut Shell) -> Result<bool, String> {
        if self.peek(0) == Some("!") && self.peek(1).is_some() {
            // `[ ! = x ]` is a comparison, not a negation.
            if !self.peek(1).is_some_and(|op| BINARY.contains(&op)) || self.peek(2).is_none() {
                self.pos += 1;
                return Ok(!self.not(sh)?);
            }
        }
        self.primary(sh)
    }

    fn primary(&mut self, sh: &mut Shell) -> Result<bool, String> {
        let Some(first) = self.peek(0) else {
            return Ok(false);
        };
        if first == "("
            && self.args.len() - self.pos >= 3
            && !BINARY.contains(&self.peek(1).unwrap_or(""))
        {
            self.pos += 1;
            let v = self.or(sh)?;
            if self.peek(0) != Some(")") {
                return Err("missing )".into());
            }
            self.pos += 1;
            return Ok(v);
        }
        if let (Some(op), Some(rhs)) = (self.peek(1), self.peek(2)) {
            if BINARY.contains(&op) {
                self.pos += 3;
                return binary(sh, first, op, rhs, self.extended);
            }
        }
        if let Some(arg) = self.peek(1) {
            if first == "-n" || first == "-z" {
                self.pos += 2;
                return Ok((first == "-n") != arg.is_empty());
            }
            if UNARY_FILE.contains(&first) {
                self.pos += 2;
                return Ok(sh.file_test(first, arg));
            }
            if first == "-t" {
                self.pos += 2;
                return Ok(false);
            }
        }
        self.pos += 1;
        Ok(!first.is_empty())
    }
}

fn number(s: &str) -> Result<i64, String> {
    let t = s.trim();
    t.parse::<i64>().map_err(|_| format!("{s}: bad number"))
}

fn binary(sh: &mut Shell, a: &str, op: &str, b: &str, extended: bool) -> Result<bool, String> {
    Ok(match op {
        "=" | "==" if extended => pattern::matches(b, a, false),
        "!=" if extended => !pattern::matches(b, a, false),
        "=" | "==" => a == b,
        "!=" => a != b,
        "<" => a < b,
        ">" => a > b,
        "-eq" => number(a)? == number(b)?,
        "-ne" => number(a)? != number(b)?,
        "-lt" => number(a)? < number(b)?,
        "-le" => number(a)? <= number(b)?,
        "-gt" => number(a)? > number(b)?,
        "-ge" => number(a)? >= number(b)?,
        "=~" => {
            sh.note("`=~` in `[[ ]]` is not modelled by the simulator; it compared as text".into());
            a.contains(b)
        }
        _ => false,
    })
}
