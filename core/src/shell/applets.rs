//! The busybox applets a batch script calls (`date`, `seq`, `sleep`, `cat`, `grep`, `wc`, `head`,
//! `tail`, `tr`, `cut`, `awk`, file commands …), each a small function over the shell's virtual
//! filesystem, clock and streams, with busybox's messages and exit codes.

use super::cost;
use super::interp::{Exec, Shell};
use super::vfs::{base_name, normalize, FsError, Node};
use crate::workload::File;

/// Applets the simulator implements.
const APPLETS: &[&str] = &[
    "sleep", "seq", "date", "hostname", "env", "printenv", "cat", "grep", "egrep", "fgrep", "wc",
    "head", "tail", "tr", "cut", "awk", "sort", "uniq", "tee", "mkdir", "rm", "rmdir", "touch",
    "ls", "cp", "mv", "chmod", "basename", "dirname", "id", "whoami", "uname", "nproc", "expr",
    "mktemp", "usleep", "sync", "sed",
];

/// Applets busybox has that the simulator does not model (named in the note when a script uses
/// one, so the learner knows the image would have had it).
pub const BUSYBOX_ONLY_APPLETS: &[&str] = &[
    "find",
    "xargs",
    "wget",
    "nc",
    "nslookup",
    "ping",
    "ps",
    "top",
    "free",
    "df",
    "du",
    "base64",
    "md5sum",
    "sha256sum",
    "stat",
    "gzip",
    "gunzip",
    "tar",
    "vi",
    "od",
    "hexdump",
    "dd",
    "ln",
    "readlink",
    "realpath",
    "timeout",
    "nohup",
    "watch",
    "killall",
    "pidof",
    "diff",
    "cmp",
    "comm",
    "fold",
    "paste",
    "split",
    "tac",
    "rev",
    "nl",
    "yes",
    "bc",
    "dc",
    "less",
    "more",
    "telnet",
    "traceroute",
    "ip",
    "ifconfig",
    "netstat",
    "crond",
    "crontab",
    "logger",
    "install",
];

pub fn is_applet(name: &str) -> bool {
    APPLETS.contains(&name)
}

impl Shell<'_> {
    pub fn run_applet(&mut self, argv: &[String]) -> Exec {
        let args = &argv[1..];
        match argv[0].as_str() {
            "sleep" => self.sleep(args, 1_000_000_000),
            "usleep" => self.sleep(args, 1_000),
            "sync" => Ok(0),
            "seq" => self.seq(args),
            "date" => self.date(args),
            "hostname" => {
                let name = format!("{}\n", self.start.pod_name);
                self.write_out(&name).map(|_| 0)
            }
            "env" | "printenv" => self.env(&argv[0], args),
            "cat" => self.cat(args),
            "grep" | "egrep" | "fgrep" => self.grep(&argv[0], args),
            "wc" => self.wc(args),
            "head" | "tail" => self.head_tail(&argv[0], args),
            "tr" => self.tr(args),
            "cut" => self.cut(args),
            "awk" => self.awk(args),
            "sed" => self.sed(args),
            "sort" => self.sort(args),
            "uniq" => self.uniq(args),
            "tee" => self.tee(args),
            "mkdir" => self.mkdir(args),
            "rm" => self.rm(args),
            "rmdir" => self.rmdir(args),
            "touch" => self.touch(args),
            "ls" => self.ls(args),
            "cp" | "mv" => self.copy_move(&argv[0], args),
            "chmod" => self.chmod(args),
            "basename" => {
                let mut name = args
                    .first()
                    .map(|a| base_name(a).to_string())
                    .unwrap_or_default();
                if let Some(suffix) = args.get(1) {
                    if name != *suffix {
                        name = name
                            .strip_suffix(suffix.as_str())
                            .unwrap_or(&name)
                            .to_string();
                    }
                }
                self.write_out(&format!("{name}\n")).map(|_| 0)
            }
            "dirname" => {
                let arg = args.first().cloned().unwrap_or_default();
                let trimmed = arg.trim_end_matches('/');
                let dir = match trimmed.rfind('/') {
                    Some(0) => "/".to_string(),
                    Some(i) => trimmed[..i].to_string(),
                    None => ".".to_string(),
                };
                self.write_out(&format!("{dir}\n")).map(|_| 0)
            }
            "id" => self
                .write_out("uid=0(root) gid=0(root) groups=0(root),10(wheel)\n")
                .map(|_| 0),
            "whoami" => self.write_out("root\n").map(|_| 0),
            "uname" => {
                let text = if args.iter().any(|a| a == "-a") {
                    format!(
                        "Linux {} 6.8.0 #1 SMP x86_64 GNU/Linux\n",
                        self.start.pod_name
                    )
                } else if args.iter().any(|a| a == "-r") {
                    "6.8.0\n".into()
                } else if args.iter().any(|a| a == "-m") {
                    "x86_64\n".into()
                } else if args.iter().any(|a| a == "-n") {
                    format!("{}\n", self.start.pod_name)
                } else {
                    "Linux\n".into()
                };
                self.write_out(&text).map(|_| 0)
            }
            "nproc" => {
                let cpus = self
                    .start
                    .cpu_limit_millis
                    .map(|m| m.div_ceil(1000).max(1))
                    .unwrap_or(2);
                self.write_out(&format!("{cpus}\n")).map(|_| 0)
            }
            "expr" => self.expr(args),
            "mktemp" => {
                let directory = args.iter().any(|a| a == "-d");
                let suffix: String = (0..6)
                    .map(|_| {
                        let alphabet =
                            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
                        alphabet[self.rng.below(alphabet.len() as u64) as usize] as char
                    })
                    .collect();
                let path = format!("/tmp/tmp.{suffix}");
                let made = if directory {
                    self.fs.mkdir(&path, false)
                } else {
                    self.fs.write(&path, "", false)
                };
                self.effects += 1;
                match made {
                    Ok(()) => self.write_out(&format!("{path}\n")).map(|_| 0),
                    Err(e) => {
                        self.applet_error("mktemp", &format!("(null): {}", e.strerror()));
                        Ok(1)
                    }
                }
            }
            other => self.command_not_found(other),
        }
    }

    /// Reads the named files (or stdin for none or `-`); a missing file is reported and skipped.
    fn inputs(&mut self, applet: &str, files: &[String]) -> (Vec<(String, String)>, bool) {
        let mut out = Vec::new();
        let mut ok = true;
        if files.is_empty() {
            out.push(("-".to_string(), self.read_stdin_all()));
            return (out, ok);
        }
        for file in files {
            if file == "-" {
                out.push(("-".to_string(), self.read_stdin_all()));
                continue;
            }
            let path = normalize(&self.cwd, file);
            if path == "/dev/null" {
                out.push((file.clone(), String::new()));
                continue;
            }
            match self.fs.read(&path) {
                Ok(f) => out.push((file.clone(), f.content.clone())),
                Err(FsError::IsDir) => {
                    self.applet_error(applet, "read error: Is a directory");
                    ok = false;
                }
                Err(e) => {
                    self.applet_error(applet, &format!("can't open '{file}': {}", e.strerror()));
                    ok = false;
                }
            }
        }
        let bytes: u64 = out.iter().map(|(_, t)| t.len() as u64).sum();
        let _ = self.charge_cpu(bytes * cost::BYTE_NS);
        (out, ok)
    }

    fn sleep(&mut self, args: &[String], unit_ns: u64) -> Exec {
        let mut total: f64 = 0.0;
        if args.is_empty() {
            self.applet_error("sleep", "usage: sleep [N]...");
            return Ok(1);
        }
        for arg in args {
            let (number, multiplier) = match arg.chars().last() {
                Some('s') => (&arg[..arg.len() - 1], 1.0),
                Some('m') => (&arg[..arg.len() - 1], 60.0),
                Some('h') => (&arg[..arg.len() - 1], 3600.0),
                Some('d') => (&arg[..arg.len() - 1], 86400.0),
                _ => (arg.as_str(), 1.0),
            };
            match number.parse::<f64>() {
                Ok(n) if n >= 0.0 && n.is_finite() => total += n * multiplier,
                _ if arg == "infinity" => total = f64::MAX,
                _ => {
                    self.applet_error("sleep", &format!("invalid number '{arg}'"));
                    return Ok(1);
                }
            }
        }
        let ns = (total * unit_ns as f64).min(u64::MAX as f64) as u64;
        self.advance(ns)?;
        Ok(0)
    }

    fn seq(&mut self, args: &[String]) -> Exec {
        let mut separator = "\n".to_string();
        let mut width = false;
        let mut nums = Vec::new();
        let mut i = 0;
        while let Some(arg) = args.get(i) {
            match arg.as_str() {
                "-s" => {
                    separator = args.get(i + 1).cloned().unwrap_or_default();
                    i += 1;
                }
                "-w" => width = true,
                a => nums.push(a.to_string()),
            }
            i += 1;
        }
        let mut parsed = Vec::new();
        for n in &nums {
            match n.parse::<f64>() {
                Ok(v) if v.is_finite() => parsed.push(v),
                _ => {
                    self.applet_error("seq", &format!("invalid number '{n}'"));
                    return Ok(1);
                }
            }
        }
        let (first, step, last) = match parsed.as_slice() {
            [last] => (1.0, 1.0, *last),
            [first, last] => (*first, 1.0, *last),
            [first, step, last] => (*first, *step, *last),
            _ => {
                self.applet_error("seq", "usage: seq [-w] [-s SEP] [FIRST [INC]] LAST");
                return Ok(1);
            }
        };
        if step == 0.0 {
            return Ok(0);
        }
        let count = ((last - first) / step).floor();
        if count < 0.0 {
            return Ok(0);
        }
        let integer = nums.iter().all(|n| !n.contains('.'));
        let digits = format!("{}", last as i64).len();
        let mut out = String::new();
        let count = count as u64;
        for k in 0..=count {
            let v = first + step * k as f64;
            let text = if integer {
                let v = v as i64;
                if width {
                    format!("{:0width$}", v, width = digits)
                } else {
                    v.to_string()
                }
            } else {
                super::format::number_to_string(v)
            };
            if k > 0 {
                out.push_str(&separator);
            }
            out.push_str(&text);
            // Flush in chunks so a huge sequence meets the memory check as it grows.
            if out.len() > 1 << 16 {
                self.charge_cpu(out.len() as u64 * cost::BYTE_NS)?;
                self.write_out(&out)?;
                out.clear();
            }
        }
        out.push('\n');
        self.charge_cpu(out.len() as u64 * cost::BYTE_NS)?;
        self.write_out(&out)?;
        Ok(0)
    }

    fn date(&mut self, args: &[String]) -> Exec {
        let mut format: Option<String> = None;
        let mut when_ns = self.now_unix_ns();
        let mut i = 0;
        while let Some(arg) = args.get(i) {
            if let Some(f) = arg.strip_prefix('+') {
                format = Some(f.to_string());
            } else if arg == "-u" || arg == "--utc" {
            } else if arg == "-R" {
                format = Some("%a, %d %b %Y %H:%M:%S %z".into());
            } else if let Some(spec) = arg
                .strip_prefix("-I")
                .or_else(|| arg.strip_prefix("--iso-8601"))
            {
                let spec = spec.trim_start_matches('=');
                format = Some(match spec {
                    "" | "date" | "d" => "%Y-%m-%d".into(),
                    "hours" | "h" => "%Y-%m-%dT%H%z".into(),
                    "minutes" | "m" => "%Y-%m-%dT%H:%M%z".into(),
                    "seconds" | "s" | "ns" => "%Y-%m-%dT%H:%M:%S%z".into(),
                    _ => {
                        self.applet_error("date", &format!("invalid argument '{spec}' for -I"));
                        return Ok(1);
                    }
                });
            } else if arg == "-d" || arg == "--date" {
                let value = args.get(i + 1).cloned().unwrap_or_default();
                i += 1;
                match parse_date(&value) {
                    Some(secs) => when_ns = secs as i128 * 1_000_000_000,
                    None => {
                        self.applet_error("date", &format!("invalid date '{value}'"));
                        return Ok(1);
                    }
                }
            } else {
                self.applet_error("date", &format!("invalid date '{arg}'"));
                return Ok(1);
            }
            i += 1;
        }
        let fmt = format.unwrap_or_else(|| "%a %b %e %H:%M:%S %Z %Y".into());
        let text = strftime(&fmt, when_ns);
        self.write_out(&format!("{text}\n"))?;
        Ok(0)
    }

    fn env(&mut self, name: &str, args: &[String]) -> Exec {
        let vars = self.exported_env();
        if name == "printenv" {
            if let Some(var) = args.first() {
                return match vars.iter().find(|(n, _)| n == var) {
                    Some((_, v)) => self.write_out(&format!("{v}\n")).map(|_| 0),
                    None => Ok(1),
                };
            }
        }
        let mut extra = Vec::new();
        let mut rest = args;
        while let Some(first) = rest.first() {
            if first.contains('=') && !first.starts_with('=') {
                extra.push(first.clone());
                rest = &rest[1..];
            } else if first == "-i" || first == "-" {
                rest = &rest[1..];
            } else {
                break;
            }
        }
        if !rest.is_empty() {
            let argv = rest.to_vec();
            let assignments = extra.clone();
            return self.subshell(|s| {
                for a in &assignments {
                    if let Some((n, v)) = a.split_once('=') {
                        s.set_var(n, v.to_string())?;
                        s.export(n);
                    }
                }
                s.run_argv(&argv)
            });
        }
        let mut text: String = vars.iter().map(|(n, v)| format!("{n}={v}\n")).collect();
        for e in extra {
            text.push_str(&e);
            text.push('\n');
        }
        self.write_out(&text)?;
        Ok(0)
    }

    fn cat(&mut self, args: &[String]) -> Exec {
        let number = args.iter().any(|a| a == "-n");
        let files: Vec<String> = args
            .iter()
            .filter(|a| !a.starts_with('-') || *a == "-")
            .cloned()
            .collect();
        let (inputs, ok) = self.inputs("cat", &files);
        for (_, text) in inputs {
            if number {
                let mut out = String::new();
                for (k, line) in text.lines().enumerate() {
                    out.push_str(&format!("{:6}\t{line}\n", k + 1));
                }
                self.write_out(&out)?;
            } else {
                self.write_out(&text)?;
            }
        }
        Ok(if ok { 0 } else { 1 })
    }

    fn grep(&mut self, applet: &str, args: &[String]) -> Exec {
        let mut quiet = false;
        let mut invert = false;
        let mut count = false;
        let mut ignore_case = false;
        let mut extended = applet == "egrep";
        let mut fixed = applet == "fgrep";
        let mut word = false;
        let mut only = false;
        let mut line_numbers = false;
        let mut no_names = false;
        let mut list_files = false;
        let mut patterns: Vec<String> = Vec::new();
        let mut operands = Vec::new();
        let mut i = 0;
        while let Some(arg) = args.get(i) {
            if arg == "-e" {
                patterns.push(args.get(i + 1).cloned().unwrap_or_default());
                i += 2;
                continue;
            }
            if arg.starts_with('-') && arg.len() > 1 && operands.is_empty() {
                for c in arg[1..].chars() {
                    match c {
                        'q' | 's' => quiet |= c == 'q',
                        'v' => invert = true,
                        'c' => count = true,
                        'i' => ignore_case = true,
                        'E' => extended = true,
                        'F' => fixed = true,
                        'w' => word = true,
                        'o' => only = true,
                        'n' => line_numbers = true,
                        'h' => no_names = true,
                        'l' => list_files = true,
                        'H' | 'r' | 'R' | 'a' => {}
                        other => {
                            self.applet_error("grep", &format!("unrecognized option: {other}"));
                            return Ok(2);
                        }
                    }
                }
            } else {
                operands.push(arg.clone());
            }
            i += 1;
        }
        if patterns.is_empty() {
            if operands.is_empty() {
                self.applet_error("grep", "usage: grep [-qvcinEFwo] PATTERN [FILE]...");
                return Ok(2);
            }
            patterns.push(operands.remove(0));
        }
        let mut regexes = Vec::new();
        for p in &patterns {
            let source = if fixed {
                regex_lite::escape(p)
            } else if extended {
                p.clone()
            } else {
                bre_to_ere(p)
            };
            let source = if word {
                format!(r"\b(?:{source})\b")
            } else {
                source
            };
            match regex_lite::RegexBuilder::new(&source)
                .case_insensitive(ignore_case)
                .size_limit(1 << 20)
                .build()
            {
                Ok(r) => regexes.push(r),
                Err(_) => {
                    self.applet_error("grep", &format!("bad regex '{p}'"));
                    return Ok(2);
                }
            }
        }
        let many = operands.len() > 1 && !no_names;
        let (inputs, ok) = self.inputs("grep", &operands);
        let mut matched_any = false;
        let mut out = String::new();
        for (name, text) in &inputs {
            let mut n = 0;
            for (k, line) in text.lines().enumerate() {
                let hit = regexes.iter().any(|r| r.is_match(line)) != invert;
                if !hit {
                    continue;
                }
                n += 1;
                matched_any = true;
                if quiet {
                    return Ok(0);
                }
                if count || list_files {
                    continue;
                }
                let prefix = format!(
                    "{}{}",
                    if many {
                        format!("{name}:")
                    } else {
                        String::new()
                    },
                    if line_numbers {
                        format!("{}:", k + 1)
                    } else {
                        String::new()
                    }
                );
                if only && !invert {
                    for r in &regexes {
                        for m in r.find_iter(line) {
                            out.push_str(&format!("{prefix}{}\n", m.as_str()));
                        }
                    }
                } else {
                    out.push_str(&format!("{prefix}{line}\n"));
                }
            }
            if count {
                if many {
                    out.push_str(&format!("{name}:{n}\n"));
                } else {
                    out.push_str(&format!("{n}\n"));
                }
            }
            if list_files && n > 0 {
                out.push_str(&format!("{name}\n"));
            }
        }
        self.write_out(&out)?;
        Ok(if !ok {
            2
        } else if matched_any {
            0
        } else {
            1
        })
    }

    fn wc(&mut self, args: &[String]) -> Exec {
        let mut flags = String::new();
        let mut files = Vec::new();
        for a in args {
            match a.strip_prefix('-') {
                Some(f) if !f.is_empty() => flags.push_str(f),
                _ => files.push(a.clone()),
            }
        }
        if flags.is_empty() {
            flags = "lwc".into();
        }
        let (inputs, ok) = self.inputs("wc", &files);
        let mut out = String::new();
        let single = flags.len() == 1;
        let mut totals = [0usize; 3];
        for (name, text) in &inputs {
            let counts = [
                text.matches('\n').count(),
                text.split_whitespace().count(),
                if flags.contains('m') {
                    text.chars().count()
                } else {
                    text.len()
                },
            ];
            for k in 0..3 {
                totals[k] += counts[k];
            }
            out.push_str(&wc_line(
                &flags,
                counts,
                single,
                if name == "-" { None } else { Some(name) },
            ));
        }
        if inputs.len() > 1 {
            out.push_str(&wc_line(&flags, totals, single, Some("total")));
        }
        self.write_out(&out)?;
        Ok(if ok { 0 } else { 1 })
    }

    fn head_tail(&mut self, applet: &str, args: &[String]) -> Exec {
        let mut count: i64 = 10;
        let mut from_start = false;
        let mut bytes = false;
        let mut follow = false;
        let mut files = Vec::new();
        let mut i = 0;
        while let Some(arg) = args.get(i) {
            let (value, is_bytes) = match arg.as_str() {
                "-n" | "-c" => {
                    i += 1;
                    (args.get(i).cloned(), arg == "-c")
                }
                "-f" | "-F" => {
                    follow = true;
                    i += 1;
                    continue;
                }
                a if a.starts_with("-n") || a.starts_with("-c") => {
                    (Some(a[2..].to_string()), a.starts_with("-c"))
                }
                a if a.len() > 1
                    && a.starts_with('-')
                    && a[1..].chars().all(|c| c.is_ascii_digit()) =>
                {
                    (Some(a[1..].to_string()), false)
                }
                _ => {
                    files.push(arg.clone());
                    i += 1;
                    continue;
                }
            };
            let value = value.unwrap_or_default();
            from_start = value.starts_with('+');
            match value.trim_start_matches('+').parse::<i64>() {
                Ok(n) => count = n,
                Err(_) => {
                    self.applet_error(applet, &format!("invalid number '{value}'"));
                    return Ok(1);
                }
            }
            bytes = is_bytes;
            i += 1;
        }
        let (inputs, ok) = self.inputs(applet, &files);
        let mut out = String::new();
        let many = inputs.len() > 1;
        for (k, (name, text)) in inputs.iter().enumerate() {
            if many {
                out.push_str(&format!(
                    "{}==> {name} <==\n",
                    if k > 0 { "\n" } else { "" }
                ));
            }
            let n = count.max(0) as usize;
            if bytes {
                let b = text.as_bytes();
                let slice = if applet == "head" {
                    &b[..n.min(b.len())]
                } else if from_start {
                    &b[n.saturating_sub(1).min(b.len())..]
                } else {
                    &b[b.len().saturating_sub(n)..]
                };
                out.push_str(&String::from_utf8_lossy(slice));
                continue;
            }
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            let chosen: &[&str] = if applet == "head" {
                &lines[..n.min(lines.len())]
            } else if from_start {
                &lines[n.saturating_sub(1).min(lines.len())..]
            } else {
                &lines[lines.len().saturating_sub(n)..]
            };
            out.push_str(&chosen.concat());
        }
        self.write_out(&out)?;
        if follow && applet == "tail" {
            // `tail -f` waits for more data forever.
            let rest = self.max_ns.saturating_sub(self.clock_ns);
            self.advance(rest)?;
        }
        Ok(if ok { 0 } else { 1 })
    }

    fn tr(&mut self, args: &[String]) -> Exec {
        let mut delete = false;
        let mut squeeze = false;
        let mut sets = Vec::new();
        for a in args {
            match a.as_str() {
                "-d" => delete = true,
                "-s" => squeeze = true,
                "-ds" | "-sd" => {
                    delete = true;
                    squeeze = true;
                }
                _ => sets.push(expand_tr_set(a)),
            }
        }
        if sets.is_empty() {
            self.applet_error("tr", "usage: tr [-cds] STRING1 [STRING2]");
            return Ok(1);
        }
        let input = self.read_stdin_all();
        self.charge_cpu(input.len() as u64 * cost::BYTE_NS)?;
        let from = &sets[0];
        let to = sets.get(1).cloned().unwrap_or_default();
        let mut out = String::with_capacity(input.len());
        let mut last: Option<char> = None;
        for c in input.chars() {
            let mapped = match from.iter().position(|&f| f == c) {
                Some(_) if delete => None,
                Some(k) if !to.is_empty() => Some(to[k.min(to.len() - 1)]),
                _ => Some(c),
            };
            let Some(m) = mapped else { continue };
            let squeeze_set = if delete {
                &to
            } else if to.is_empty() {
                from
            } else {
                &to
            };
            if squeeze && last == Some(m) && squeeze_set.contains(&m) {
                continue;
            }
            out.push(m);
            last = Some(m);
        }
        self.write_out(&out)?;
        Ok(0)
    }

    fn cut(&mut self, args: &[String]) -> Exec {
        let mut delimiter = '\t';
        let mut list: Option<(String, bool)> = None;
        let mut only_delimited = false;
        let mut files = Vec::new();
        let mut i = 0;
        while let Some(arg) = args.get(i) {
            let take = |i: &mut usize, inline: &str| -> String {
                if inline.is_empty() {
                    *i += 1;
                    args.get(*i).cloned().unwrap_or_default()
                } else {
                    inline.to_string()
                }
            };
            if let Some(d) = arg.strip_prefix("-d") {
                delimiter = take(&mut i, d).chars().next().unwrap_or('\t');
            } else if let Some(f) = arg.strip_prefix("-f") {
                list = Some((take(&mut i, f), true));
            } else if let Some(c) = arg.strip_prefix("-c").or_else(|| arg.strip_prefix("-b")) {
                list = Some((take(&mut i, c), false));
            } else if arg == "-s" {
                only_delimited = true;
            } else {
                files.push(arg.clone());
            }
            i += 1;
        }
        let Some((spec, fields)) = list else {
            self.applet_error("cut", "expected a list of bytes, characters, or fields");
            return Ok(1);
        };
        let Some(ranges) = parse_ranges(&spec) else {
            self.applet_error("cut", &format!("invalid range '{spec}'"));
            return Ok(1);
        };
        let (inputs, ok) = self.inputs("cut", &files);
        let mut out = String::new();
        for (_, text) in inputs {
            for line in text.lines() {
                if fields {
                    if !line.contains(delimiter) {
                        if !only_delimited {
                            out.push_str(line);
                            out.push('\n');
                        }
                        continue;
                    }
                    let parts: Vec<&str> = line.split(delimiter).collect();
                    let chosen: Vec<&str> = (1..=parts.len())
                        .filter(|k| in_ranges(&ranges, *k))
                        .map(|k| parts[k - 1])
                        .collect();
                    out.push_str(&chosen.join(&delimiter.to_string()));
                } else {
                    let chars: Vec<char> = line.chars().collect();
                    out.extend(
                        (1..=chars.len())
                            .filter(|k| in_ranges(&ranges, *k))
                            .map(|k| chars[k - 1]),
                    );
                }
                out.push('\n');
            }
        }
        self.write_out(&out)?;
        Ok(if ok { 0 } else { 1 })
    }

    fn awk(&mut self, args: &[String]) -> Exec {
        let mut separator: Option<String> = None;
        let mut assigns = Vec::new();
        let mut program: Option<String> = None;
        let mut files = Vec::new();
        let mut i = 0;
        while let Some(arg) = args.get(i) {
            if let Some(fs) = arg.strip_prefix("-F") {
                let fs = if fs.is_empty() {
                    i += 1;
                    args.get(i).cloned().unwrap_or_default()
                } else {
                    fs.to_string()
                };
                separator = Some(fs);
            } else if arg == "-v" {
                i += 1;
                assigns.push(args.get(i).cloned().unwrap_or_default());
            } else if program.is_none() {
                program = Some(arg.clone());
            } else {
                files.push(arg.clone());
            }
            i += 1;
        }
        let Some(program) = program else {
            self.applet_error("awk", "usage: awk [OPTIONS] [AWK_PROGRAM] [FILE]...");
            return Ok(1);
        };
        let parsed = match super::awk::Program::parse(&program) {
            Ok(p) => p,
            Err(message) => {
                self.applet_error("awk", &message);
                self.note(format!(
                    "awk program not understood by the simulator's small awk: {message}"
                ));
                return Ok(2);
            }
        };
        let needs_input = parsed.reads_input();
        let (inputs, ok) = if needs_input {
            self.inputs("awk", &files)
        } else {
            (Vec::new(), true)
        };
        let text: Vec<String> = inputs.into_iter().map(|(_, t)| t).collect();
        let env = self.exported_env();
        let result = parsed.run(&text, separator.as_deref(), &assigns, &env);
        self.charge_cpu(result.steps * cost::BUILTIN_NS / 4)?;
        self.write_out(&result.output)?;
        if let Some(message) = result.error {
            self.applet_error("awk", &message);
            return Ok(2);
        }
        Ok(result.exit_code.unwrap_or(if ok { 0 } else { 2 }))
    }

    /// `sed` for the usual one-liners: `s/re/rep/[gpIN]`, `p`, `d`, `q`, each with an optional
    /// line-number, `$` or `/re/` address; `-n`, `-e`, `-E`/`-r`, `-i`.
    fn sed(&mut self, args: &[String]) -> Exec {
        let mut quiet = false;
        let mut extended = false;
        let mut in_place = false;
        let mut scripts = Vec::new();
        let mut files = Vec::new();
        let mut i = 0;
        while let Some(arg) = args.get(i) {
            match arg.as_str() {
                "-n" => quiet = true,
                "-E" | "-r" => extended = true,
                "-i" => in_place = true,
                "-e" => {
                    i += 1;
                    scripts.push(args.get(i).cloned().unwrap_or_default());
                }
                a if a.starts_with('-') && a.len() > 1 => {
                    quiet |= a.contains('n');
                    extended |= a.contains('E') || a.contains('r');
                    in_place |= a.contains('i');
                }
                _ if scripts.is_empty() => scripts.push(arg.clone()),
                _ => files.push(arg.clone()),
            }
            i += 1;
        }
        let mut commands = Vec::new();
        for script in &scripts {
            match super::sed::parse(script, extended) {
                Ok(mut c) => commands.append(&mut c),
                Err(message) => {
                    self.applet_error("sed", &message);
                    self.note(format!(
                        "sed script not understood by the simulator's small sed: {message}"
                    ));
                    return Ok(1);
                }
            }
        }
        if in_place {
            let mut status = 0;
            for file in &files {
                let path = normalize(&self.cwd, file);
                let text = match self.fs.read(&path) {
                    Ok(f) => f.content.clone(),
                    Err(e) => {
                        self.applet_error("sed", &format!("can't open '{file}': {}", e.strerror()));
                        status = 4;
                        continue;
                    }
                };
                let out = super::sed::run(&commands, &text, quiet);
                self.effects += 1;
                if let Err(e) = self.fs.write(&path, &out, false) {
                    self.applet_error("sed", &format!("can't create '{file}': {}", e.strerror()));
                    status = 4;
                }
            }
            return Ok(status);
        }
        let (inputs, ok) = self.inputs("sed", &files);
        let text: String = inputs.into_iter().map(|(_, t)| t).collect();
        let out = super::sed::run(&commands, &text, quiet);
        self.write_out(&out)?;
        Ok(if ok { 0 } else { 2 })
    }

    fn sort(&mut self, args: &[String]) -> Exec {
        let mut numeric = false;
        let mut reverse = false;
        let mut unique = false;
        let mut files = Vec::new();
        for a in args {
            match a.strip_prefix('-') {
                Some(f) if !f.is_empty() => {
                    numeric |= f.contains('n');
                    reverse |= f.contains('r');
                    unique |= f.contains('u');
                }
                _ => files.push(a.clone()),
            }
        }
        let (inputs, ok) = self.inputs("sort", &files);
        let mut lines: Vec<String> = inputs
            .iter()
            .flat_map(|(_, t)| t.lines().map(String::from))
            .collect();
        if numeric {
            let key = |s: &String| -> f64 {
                let t = s.trim_start();
                let end = t
                    .char_indices()
                    .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (i == 0 && c == '-')))
                    .map(|(i, _)| i)
                    .unwrap_or(t.len());
                t[..end].parse().unwrap_or(0.0)
            };
            crate::sort::sort_by(&mut lines, |a, b| {
                key(a)
                    .partial_cmp(&key(b))
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(a.cmp(b))
            });
        } else {
            crate::sort::sort(&mut lines);
        }
        if reverse {
            lines.reverse();
        }
        if unique {
            lines.dedup();
        }
        let out: String = lines.iter().map(|l| format!("{l}\n")).collect();
        self.write_out(&out)?;
        Ok(if ok { 0 } else { 2 })
    }

    fn uniq(&mut self, args: &[String]) -> Exec {
        let count = args.iter().any(|a| a == "-c");
        let dups = args.iter().any(|a| a == "-d");
        let files: Vec<String> = args
            .iter()
            .filter(|a| !a.starts_with('-'))
            .cloned()
            .collect();
        let (inputs, ok) = self.inputs("uniq", &files);
        let mut out = String::new();
        let text: String = inputs.into_iter().map(|(_, t)| t).collect();
        let mut groups: Vec<(String, usize)> = Vec::new();
        for line in text.lines() {
            match groups.last_mut() {
                Some((l, n)) if l == line => *n += 1,
                _ => groups.push((line.to_string(), 1)),
            }
        }
        for (line, n) in groups {
            if dups && n < 2 {
                continue;
            }
            if count {
                out.push_str(&format!("{n:7} {line}\n"));
            } else {
                out.push_str(&format!("{line}\n"));
            }
        }
        self.write_out(&out)?;
        Ok(if ok { 0 } else { 1 })
    }

    fn tee(&mut self, args: &[String]) -> Exec {
        let append = args.iter().any(|a| a == "-a");
        let input = self.read_stdin_all();
        let mut status = 0;
        for file in args.iter().filter(|a| !a.starts_with('-')) {
            let path = normalize(&self.cwd, file);
            if let Err(e) = self.fs.write(&path, &input, append) {
                self.applet_error("tee", &format!("{file}: {}", e.strerror()));
                status = 1;
            }
            self.effects += 1;
        }
        self.write_out(&input)?;
        Ok(status)
    }

    fn mkdir(&mut self, args: &[String]) -> Exec {
        let parents = args.iter().any(|a| a.starts_with('-') && a.contains('p'));
        let mut status = 0;
        for dir in args.iter().filter(|a| !a.starts_with('-')) {
            let path = normalize(&self.cwd, dir);
            self.effects += 1;
            if let Err(e) = self.fs.mkdir(&path, parents) {
                self.applet_error(
                    "mkdir",
                    &format!("can't create directory '{dir}': {}", e.strerror()),
                );
                status = 1;
            }
        }
        Ok(status)
    }

    fn rm(&mut self, args: &[String]) -> Exec {
        let flags: String = args
            .iter()
            .filter(|a| a.starts_with('-'))
            .map(|a| &a[1..])
            .collect();
        let force = flags.contains('f');
        let recursive = flags.contains('r') || flags.contains('R');
        let mut status = 0;
        for file in args.iter().filter(|a| !a.starts_with('-')) {
            let path = normalize(&self.cwd, file);
            self.effects += 1;
            match self.fs.remove(&path, recursive) {
                Ok(()) => {}
                Err(FsError::NotFound) if force => {}
                Err(FsError::IsDir) => {
                    self.applet_error("rm", &format!("'{file}' is a directory"));
                    status = 1;
                }
                Err(e) => {
                    self.applet_error("rm", &format!("can't remove '{file}': {}", e.strerror()));
                    status = 1;
                }
            }
        }
        Ok(status)
    }

    fn rmdir(&mut self, args: &[String]) -> Exec {
        let mut status = 0;
        for dir in args.iter().filter(|a| !a.starts_with('-')) {
            let path = normalize(&self.cwd, dir);
            self.effects += 1;
            if let Err(e) = self.fs.rmdir(&path) {
                self.applet_error("rmdir", &format!("'{dir}': {}", e.strerror()));
                status = 1;
            }
        }
        Ok(status)
    }

    fn touch(&mut self, args: &[String]) -> Exec {
        let mut status = 0;
        for file in args.iter().filter(|a| !a.starts_with('-')) {
            let path = normalize(&self.cwd, file);
            self.effects += 1;
            if self.fs.get(&path).is_some() {
                continue;
            }
            if let Err(e) = self.fs.write(&path, "", true) {
                self.applet_error("touch", &format!("{file}: {}", e.strerror()));
                status = 1;
            }
        }
        Ok(status)
    }

    fn ls(&mut self, args: &[String]) -> Exec {
        let flags: String = args
            .iter()
            .filter(|a| a.starts_with('-'))
            .map(|a| &a[1..])
            .collect();
        let long = flags.contains('l');
        let all = flags.contains('a');
        let mut targets: Vec<String> = args
            .iter()
            .filter(|a| !a.starts_with('-'))
            .cloned()
            .collect();
        if targets.is_empty() {
            targets.push(".".into());
        }
        let mut status = 0;
        let mut out = String::new();
        let many = targets.len() > 1;
        for (k, target) in targets.iter().enumerate() {
            let path = normalize(&self.cwd, target);
            match self.fs.get(&path).cloned() {
                None => {
                    self.applet_error("ls", &format!("{target}: No such file or directory"));
                    status = 1;
                }
                Some(Node::File(f)) => out.push_str(&ls_entry(target, Some(&f), long)),
                Some(Node::Dir) => {
                    if many {
                        out.push_str(&format!("{}{target}:\n", if k > 0 { "\n" } else { "" }));
                    }
                    let mut names = self.fs.children(&path);
                    if all {
                        names.insert(0, "..".into());
                        names.insert(0, ".".into());
                    }
                    if long {
                        out.push_str(&format!("total {}\n", names.len()));
                    }
                    for name in names {
                        let child = normalize(&path, &name);
                        let file = match self.fs.get(&child) {
                            Some(Node::File(f)) => Some(f.clone()),
                            _ => None,
                        };
                        out.push_str(&ls_entry(&name, file.as_ref(), long));
                    }
                }
            }
        }
        self.write_out(&out)?;
        Ok(status)
    }

    fn copy_move(&mut self, applet: &str, args: &[String]) -> Exec {
        let operands: Vec<String> = args
            .iter()
            .filter(|a| !a.starts_with('-'))
            .cloned()
            .collect();
        if operands.len() < 2 {
            self.applet_error(applet, "missing file operand");
            return Ok(1);
        }
        let (sources, dest) = operands.split_at(operands.len() - 1);
        let dest_path = normalize(&self.cwd, &dest[0]);
        let dest_is_dir = self.fs.is_dir(&dest_path);
        let mut status = 0;
        for source in sources {
            let src = normalize(&self.cwd, source);
            let target = if dest_is_dir {
                normalize(&dest_path, base_name(&src))
            } else {
                dest_path.clone()
            };
            self.effects += 1;
            let file: File = match self.fs.get(&src) {
                Some(Node::File(f)) => f.clone(),
                Some(Node::Dir) => {
                    self.applet_error(applet, &format!("omitting directory '{source}'"));
                    status = 1;
                    continue;
                }
                None => {
                    self.applet_error(
                        applet,
                        &format!("can't stat '{source}': No such file or directory"),
                    );
                    status = 1;
                    continue;
                }
            };
            if let Err(e) = self.fs.write(&target, &file.content, false) {
                self.applet_error(
                    applet,
                    &format!("can't create '{}': {}", dest[0], e.strerror()),
                );
                status = 1;
                continue;
            }
            let _ = self.fs.set_mode(&target, file.mode);
            if applet == "mv" {
                if let Err(e) = self.fs.remove(&src, false) {
                    self.applet_error(
                        applet,
                        &format!("can't remove '{source}': {}", e.strerror()),
                    );
                    status = 1;
                }
            }
        }
        Ok(status)
    }

    fn chmod(&mut self, args: &[String]) -> Exec {
        let operands: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        let Some((mode, files)) = operands.split_first() else {
            return Ok(1);
        };
        let mut status = 0;
        for file in files {
            let path = normalize(&self.cwd, file);
            let current = match self.fs.get(&path) {
                Some(Node::File(f)) => f.mode,
                Some(Node::Dir) => 0o755,
                None => {
                    self.applet_error("chmod", &format!("{file}: No such file or directory"));
                    status = 1;
                    continue;
                }
            };
            let new = if let Ok(m) = u32::from_str_radix(mode, 8) {
                m
            } else if mode.contains("+x") {
                current | 0o111
            } else if mode.contains("-x") {
                current & !0o111
            } else {
                current
            };
            self.effects += 1;
            if let Err(e) = self.fs.set_mode(&path, new) {
                self.applet_error("chmod", &format!("{file}: {}", e.strerror()));
                status = 1;
            }
        }
        Ok(status)
    }

    fn expr(&mut self, args: &[String]) -> Exec {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let int = |s: &str| s.parse::<i64>().ok();
        let result: Option<String> = match a.as_slice() {
            [x] => Some(x.to_string()),
            ["length", s] => Some(s.chars().count().to_string()),
            [x, op, y] => match (*op, int(x), int(y)) {
                ("+", Some(x), Some(y)) => Some(x.wrapping_add(y).to_string()),
                ("-", Some(x), Some(y)) => Some(x.wrapping_sub(y).to_string()),
                ("*", Some(x), Some(y)) => Some(x.wrapping_mul(y).to_string()),
                ("/", Some(_), Some(0)) | ("%", Some(_), Some(0)) => {
                    self.applet_error("expr", "division by zero");
                    return Ok(2);
                }
                ("/", Some(x), Some(y)) => Some(x.wrapping_div(y).to_string()),
                ("%", Some(x), Some(y)) => Some(x.wrapping_rem(y).to_string()),
                ("=", _, _) => Some(((x == y) as i32).to_string()),
                ("!=", _, _) => Some(((x != y) as i32).to_string()),
                ("<", Some(x), Some(y)) => Some(((x < y) as i32).to_string()),
                (">", Some(x), Some(y)) => Some(((x > y) as i32).to_string()),
                ("<=", Some(x), Some(y)) => Some(((x <= y) as i32).to_string()),
                (">=", Some(x), Some(y)) => Some(((x >= y) as i32).to_string()),
                _ => None,
            },
            _ => None,
        };
        match result {
            Some(r) => {
                self.write_out(&format!("{r}\n"))?;
                Ok((r == "0" || r.is_empty()) as i32)
            }
            None => {
                self.applet_error("expr", "syntax error");
                Ok(2)
            }
        }
    }
}

fn wc_line(flags: &str, counts: [usize; 3], single: bool, name: Option<&str>) -> String {
    let mut cols = Vec::new();
    if flags.contains('l') {
        cols.push(counts[0]);
    }
    if flags.contains('w') {
        cols.push(counts[1]);
    }
    if flags.contains('c') || flags.contains('m') {
        cols.push(counts[2]);
    }
    let mut line: String = if single && name.is_none() {
        cols.iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        cols.iter()
            .map(|c| format!("{c:>7}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    if let Some(n) = name {
        line.push(' ');
        line.push_str(n);
    }
    line.push('\n');
    line
}

fn ls_entry(name: &str, file: Option<&File>, long: bool) -> String {
    if !long {
        return format!("{name}\n");
    }
    match file {
        Some(f) => format!(
            "{} 1 root root {:>8} Jan  1 00:00 {name}\n",
            mode_string(f.mode, false),
            f.content.len()
        ),
        None => format!("drwxr-xr-x 2 root root     4096 Jan  1 00:00 {name}\n"),
    }
}

fn mode_string(mode: u32, dir: bool) -> String {
    let mut s = String::from(if dir { "d" } else { "-" });
    for shift in [6, 3, 0] {
        let bits = (mode >> shift) & 7;
        s.push(if bits & 4 != 0 { 'r' } else { '-' });
        s.push(if bits & 2 != 0 { 'w' } else { '-' });
        s.push(if bits & 1 != 0 { 'x' } else { '-' });
    }
    s
}

fn parse_ranges(spec: &str) -> Option<Vec<(usize, usize)>> {
    let mut out = Vec::new();
    for part in spec.split(',') {
        let (lo, hi) = match part.split_once('-') {
            Some((lo, hi)) => (
                if lo.is_empty() { 1 } else { lo.parse().ok()? },
                if hi.is_empty() {
                    usize::MAX
                } else {
                    hi.parse().ok()?
                },
            ),
            None => {
                let n = part.parse().ok()?;
                (n, n)
            }
        };
        if lo == 0 {
            return None;
        }
        out.push((lo, hi));
    }
    Some(out)
}

fn in_ranges(ranges: &[(usize, usize)], k: usize) -> bool {
    ranges.iter().any(|&(lo, hi)| lo <= k && k <= hi)
}

/// `tr` sets: ranges `a-z`, classes `[:upper:]`, escapes `\n`.
fn expand_tr_set(spec: &str) -> Vec<char> {
    let (spec, _) = super::format::unescape(spec, false);
    let classes = [
        ("[:upper:]", ('A'..='Z').collect::<Vec<_>>()),
        ("[:lower:]", ('a'..='z').collect()),
        ("[:digit:]", ('0'..='9').collect()),
        ("[:space:]", vec![' ', '\t', '\n', '\r', '\x0b', '\x0c']),
        ("[:blank:]", vec![' ', '\t']),
        ("[:alpha:]", ('A'..='Z').chain('a'..='z').collect()),
        (
            "[:alnum:]",
            ('0'..='9').chain('A'..='Z').chain('a'..='z').collect(),
        ),
        (
            "[:punct:]",
            (33u8..127)
                .map(|b| b as char)
                .filter(|c| c.is_ascii_punctuation())
                .collect(),
        ),
    ];
    let chars: Vec<char> = spec.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    'outer: while i < chars.len() {
        let rest: String = chars[i..].iter().collect();
        for (name, set) in &classes {
            if rest.starts_with(name) {
                out.extend(set);
                i += name.len();
                continue 'outer;
            }
        }
        if i + 2 < chars.len() && chars[i + 1] == '-' && chars[i] <= chars[i + 2] {
            let (lo, hi) = (chars[i] as u32, chars[i + 2] as u32);
            if hi - lo < 65536 {
                out.extend((lo..=hi).filter_map(char::from_u32));
            }
            i += 3;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Basic regular expressions (grep's default) in the syntax of the `regex-lite` crate.
pub fn bre_to_ere(pattern: &str) -> String {
    let mut out = String::new();
    let mut chars = pattern.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        if in_class {
            if c == ']' {
                in_class = false;
            }
            if c == '\\' || c == '[' && chars.peek() != Some(&':') {
                out.push('\\');
            }
            out.push(c);
            continue;
        }
        match c {
            '\\' => match chars.next() {
                Some(n @ ('(' | ')' | '|' | '{' | '}' | '+' | '?')) => out.push(n),
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push_str("\\\\"),
            },
            '(' | ')' | '|' | '{' | '}' | '+' | '?' => {
                out.push('\\');
                out.push(c);
            }
            '[' => {
                in_class = true;
                out.push(c);
                if chars.peek() == Some(&'^') {
                    out.push(chars.next().unwrap_or('^'));
                }
                if chars.peek() == Some(&']') {
                    chars.next();
                    out.push_str("\\]");
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// `date -d` inputs: `@SECONDS`, `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]`, `YYYY-MM-DDTHH:MM:SS[Z]`.
fn parse_date(value: &str) -> Option<i64> {
    if let Some(secs) = value.strip_prefix('@') {
        return secs.trim().parse().ok();
    }
    let v = value.trim().trim_end_matches('Z').replace('T', " ");
    for fmt in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(dt) = chrono::NaiveDateTime::parse_from_str(&v, fmt) {
            return Some(dt.and_utc().timestamp());
        }
    }
    chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|dt| dt.and_utc().timestamp())
}

/// C `strftime` in UTC (busybox images carry no time-zone data, so `date` prints UTC).
pub fn strftime(fmt: &str, unix_ns: i128) -> String {
    use chrono::{Datelike, Timelike};
    let secs = unix_ns.div_euclid(1_000_000_000) as i64;
    let nanos = unix_ns.rem_euclid(1_000_000_000) as u32;
    let Some(t) = chrono::DateTime::from_timestamp(secs, nanos) else {
        return String::new();
    };
    // English day and month names from chrono (busybox images run in the C locale).
    let day = t.format("%A").to_string();
    let month = t.format("%B").to_string();
    let mut out = String::new();
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let Some(spec) = chars.next() else {
            out.push('%');
            break;
        };
        let piece = match spec {
            'Y' => t.year().to_string(),
            'C' => format!("{:02}", t.year() / 100),
            'y' => format!("{:02}", t.year() % 100),
            'm' => format!("{:02}", t.month()),
            'd' => format!("{:02}", t.day()),
            'e' => format!("{:2}", t.day()),
            'H' => format!("{:02}", t.hour()),
            'k' => format!("{:2}", t.hour()),
            'I' => format!("{:02}", (t.hour() + 11) % 12 + 1),
            'l' => format!("{:2}", (t.hour() + 11) % 12 + 1),
            'M' => format!("{:02}", t.minute()),
            'S' => format!("{:02}", t.second()),
            'N' => format!("{:09}", nanos),
            's' => secs.to_string(),
            'a' => day[..3].to_string(),
            'A' => day.to_string(),
            'b' | 'h' => month[..3].to_string(),
            'B' => month.to_string(),
            'j' => format!("{:03}", t.ordinal()),
            'u' => t.weekday().number_from_monday().to_string(),
            'w' => t.weekday().num_days_from_sunday().to_string(),
            'p' => (if t.hour() < 12 { "AM" } else { "PM" }).to_string(),
            'P' => (if t.hour() < 12 { "am" } else { "pm" }).to_string(),
            'Z' => "UTC".to_string(),
            'z' => "+0000".to_string(),
            'T' => format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second()),
            'R' => format!("{:02}:{:02}", t.hour(), t.minute()),
            'D' => format!("{:02}/{:02}/{:02}", t.month(), t.day(), t.year() % 100),
            'F' => format!("{}-{:02}-{:02}", t.year(), t.month(), t.day()),
            'c' => strftime("%a %b %e %H:%M:%S %Y", unix_ns),
            'x' => format!("{:02}/{:02}/{:02}", t.month(), t.day(), t.year() % 100),
            'X' => format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second()),
            'V' => format!("{:02}", t.iso_week().week()),
            'G' => t.iso_week().year().to_string(),
            'n' => "\n".to_string(),
            't' => "\t".to_string(),
            '%' => "%".to_string(),
            other => format!("%{other}"),
        };
        out.push_str(&piece);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strftime_matches_busybox_defaults() {
        // 2026-11-29T18:20:03Z
        let ns = 1_795_976_403i128 * 1_000_000_000;
        assert_eq!(
            strftime("%a %b %e %H:%M:%S %Z %Y", ns),
            "Sun Nov 29 18:20:03 UTC 2026"
        );
        assert_eq!(
            strftime("%Y-%m-%dT%H:%M:%S%z", ns),
            "2026-11-29T18:20:03+0000"
        );
        assert_eq!(strftime("%s", ns), "1795976403");
        assert_eq!(strftime("%e|%j|%%", 0), " 1|001|%");
    }

    #[test]
    fn basic_regexes_translate() {
        assert_eq!(bre_to_ere(r"a\(b\)*c"), "a(b)*c");
        assert_eq!(bre_to_ere("(JOB|BATCH)"), r"\(JOB\|BATCH\)");
        assert_eq!(bre_to_ere("a+b?"), r"a\+b\?");
    }

    #[test]
    fn tr_sets_expand() {
        assert_eq!(expand_tr_set("a-c"), vec!['a', 'b', 'c']);
        assert_eq!(expand_tr_set("\\t").len(), 1);
        assert_eq!(expand_tr_set("[:digit:]").len(), 10);
    }
}
