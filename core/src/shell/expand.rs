//! Word expansion: parameters, command substitution, arithmetic, field splitting and globbing,
//! in the order POSIX gives them.
//!
//! A word first expands to segments that remember whether they came from quoted text (not split,
//! not globbed) and whether they came from an expansion (split on `IFS`) or from the script's own
//! literal text (never split). Fields are then built from the segments.

use super::arith::{self, ArithEnv};
use super::ast::*;
use super::cost;
use super::interp::{Flow, Shell, Sink};
use super::pattern;

#[derive(Debug)]
enum Seg {
    Text {
        text: String,
        quoted: bool,
        /// From an expansion (subject to field splitting when unquoted).
        split: bool,
    },
    /// Between two elements of `"$@"`.
    Break,
}

#[derive(Default)]
struct Fields {
    done: Vec<(String, String, bool)>,
    text: String,
    pattern: String,
    glob: bool,
    started: bool,
}

impl Fields {
    fn push_char(&mut self, c: char, quoted: bool) {
        self.text.push(c);
        if quoted {
            if matches!(c, '*' | '?' | '[' | ']' | '\\') {
                self.pattern.push('\\');
            }
        } else if matches!(c, '*' | '?' | '[') {
            self.glob = true;
        }
        self.pattern.push(c);
        self.started = true;
    }

    /// Appends text that is not split: quoted text, or the script's own literal text.
    fn push_str(&mut self, text: &str, quoted: bool) {
        let special: &[char] = if quoted {
            &['*', '?', '[', ']', '\\']
        } else {
            &['*', '?', '[']
        };
        if text.contains(special) {
            for c in text.chars() {
                self.push_char(c, quoted);
            }
            return;
        }
        self.text.push_str(text);
        self.pattern.push_str(text);
        self.started |= quoted || !text.is_empty();
    }

    fn end(&mut self, force: bool) {
        if self.started || force {
            self.done.push((
                std::mem::take(&mut self.text),
                std::mem::take(&mut self.pattern),
                self.glob,
            ));
        }
        self.glob = false;
        self.started = false;
    }
}

impl Shell<'_> {
    /// Expands command words into fields (splitting and globbing).
    pub fn expand_words(&mut self, words: &[Word]) -> Result<Vec<String>, Flow> {
        let mut out = Vec::new();
        for word in words {
            let mut segs = Vec::new();
            for part in &word.parts {
                self.expand_part(part, false, &mut segs)?;
            }
            // Read after the expansions, which may assign IFS (`${IFS:=,}`).
            let ifs = match self.vars.get("IFS") {
                Some(v) => v.value.as_str().to_string(),
                None => " \t\n".to_string(),
            };
            let mut fields = Fields::default();
            for seg in segs {
                match seg {
                    Seg::Break => fields.end(true),
                    Seg::Text {
                        text,
                        quoted,
                        split,
                    } => {
                        if quoted {
                            fields.started = true;
                        }
                        let plain = split
                            && !quoted
                            && ifs.chars().all(char::is_whitespace)
                            && !text.contains(['*', '?', '[']);
                        if plain {
                            // Fast path for the common case (e.g. `for i in $(seq 1 100000)`).
                            for (k, piece) in text.split(|c| ifs.contains(c)).enumerate() {
                                if k > 0 {
                                    fields.end(false);
                                }
                                if !piece.is_empty() {
                                    fields.text.push_str(piece);
                                    fields.pattern.push_str(piece);
                                    fields.started = true;
                                }
                            }
                            continue;
                        }
                        if quoted || !split {
                            fields.push_str(&text, quoted);
                            continue;
                        }
                        for c in text.chars() {
                            if split && !quoted && ifs.contains(c) {
                                fields.end(!c.is_whitespace());
                            } else {
                                fields.push_char(c, quoted);
                            }
                        }
                    }
                }
            }
            fields.end(false);
            for (text, pat, glob) in fields.done {
                if glob {
                    let matches = self.glob(&pat);
                    if !matches.is_empty() {
                        out.extend(matches);
                        continue;
                    }
                }
                out.push(text);
            }
        }
        Ok(out)
    }

    /// Expands a command's words. Arguments of `export`, `local` and `readonly` that look like
    /// assignments (`local msg=$2`) are not split, as for declaration utilities in ash.
    pub fn expand_command_words(&mut self, words: &[Word]) -> Result<Vec<String>, Flow> {
        let Some((first, rest)) = words.split_first() else {
            return Ok(Vec::new());
        };
        let mut argv = self.expand_words(std::slice::from_ref(first))?;
        let declaration =
            argv.len() == 1 && matches!(argv[0].as_str(), "export" | "local" | "readonly");
        if !declaration {
            argv.extend(self.expand_words(rest)?);
            return Ok(argv);
        }
        for word in rest {
            if looks_like_assignment(word) {
                argv.push(self.expand_string(word)?);
            } else {
                argv.extend(self.expand_words(std::slice::from_ref(word))?);
            }
        }
        Ok(argv)
    }

    /// Expands a word to one string, without splitting or globbing (assignments, `case`,
    /// redirection targets, here-documents).
    pub fn expand_string(&mut self, word: &Word) -> Result<String, Flow> {
        self.expand_parts_to_string(&word.parts)
    }

    pub fn expand_parts_to_string(&mut self, parts: &[Part]) -> Result<String, Flow> {
        let mut segs = Vec::new();
        for part in parts {
            self.expand_part(part, false, &mut segs)?;
        }
        let mut out = String::new();
        for seg in segs {
            match seg {
                Seg::Text { text, .. } => out.push_str(&text),
                Seg::Break => out.push(' '),
            }
        }
        Ok(out)
    }

    /// Expands a word into a pattern: characters that were quoted are escaped.
    pub fn expand_pattern(&mut self, word: &Word) -> Result<String, Flow> {
        let mut segs = Vec::new();
        for part in &word.parts {
            self.expand_part(part, false, &mut segs)?;
        }
        let mut out = String::new();
        for seg in segs {
            match seg {
                Seg::Text {
                    text, quoted: true, ..
                } => out.push_str(&pattern::escape(&text)),
                Seg::Text { text, .. } => out.push_str(&text),
                Seg::Break => out.push(' '),
            }
        }
        Ok(out)
    }

    fn expand_part(
        &mut self,
        part: &Part,
        outer_quoted: bool,
        segs: &mut Vec<Seg>,
    ) -> Result<(), Flow> {
        let quoted = outer_quoted || part.quoted();
        match part {
            Part::Lit { text, .. } => segs.push(Seg::Text {
                text: text.clone(),
                quoted,
                split: false,
            }),
            Part::Param { name, op, .. } => self.expand_param(name, op, quoted, segs)?,
            Part::CommandSub { body, .. } => {
                let text = self.command_substitution(body)?;
                segs.push(Seg::Text {
                    text,
                    quoted,
                    split: true,
                });
            }
            Part::Arith { expr, .. } => {
                let value = self.arith(expr)?;
                segs.push(Seg::Text {
                    text: value.to_string(),
                    quoted,
                    split: true,
                });
            }
        }
        Ok(())
    }

    /// Runs `$( … )` and returns its output without trailing newlines.
    pub fn command_substitution(&mut self, body: &List) -> Result<String, Flow> {
        self.charge_cpu(cost::FORK_NS)?;
        let index = self.begin_capture();
        let result = self.subshell(|s| {
            s.fds.out = Sink::Capture(index);
            s.exec_list(body)
        });
        let mut out = self.end_capture(index);
        self.status = result?;
        let trimmed = out.trim_end_matches('\n').len();
        out.truncate(trimmed);
        self.charge_cpu(out.len() as u64 * cost::BYTE_NS)?;
        self.check_memory(out.len() as u64)?;
        Ok(out)
    }

    pub fn arith(&mut self, expr: &Word) -> Result<i64, Flow> {
        let text = self.expand_string(expr)?;
        self.charge_cpu(cost::ARITH_NS)?;
        let (result, flow) = {
            let mut env = ShellArith {
                shell: self,
                depth: 0,
                flow: None,
            };
            let result = arith::eval(&text, &mut env);
            (result, env.flow)
        };
        match result {
            Ok(v) => Ok(v),
            Err(message) => {
                if let Some(flow) = flow {
                    return Err(flow);
                }
                self.error(None, &message);
                Err(Flow::Exit(2))
            }
        }
    }

    fn special_param(&mut self, name: &str) -> Option<String> {
        Some(match name {
            "#" => self.positional.len().to_string(),
            "?" => self.status.to_string(),
            // The shell is the container's first process.
            "$" => "1".to_string(),
            "!" => return self.last_background_pid.map(|p| p.to_string()),
            "0" => self.arg0.clone(),
            "-" => {
                let mut flags = String::new();
                if self.errexit {
                    flags.push('e');
                }
                if self.nounset {
                    flags.push('u');
                }
                if self.xtrace {
                    flags.push('x');
                }
                flags
            }
            n if n.chars().all(|c| c.is_ascii_digit()) => {
                let index: usize = n.parse().ok()?;
                return self.positional.get(index.checked_sub(1)?).cloned();
            }
            _ => return None,
        })
    }

    fn lookup(&mut self, name: &str) -> Option<String> {
        if name == "@" || name == "*" {
            return (!self.positional.is_empty()).then(|| self.positional.join(" "));
        }
        match self.special_param(name) {
            Some(v) => Some(v),
            None if name.chars().all(|c| c.is_ascii_digit()) || name == "!" => None,
            None => self.get_var(name),
        }
    }

    fn expand_param(
        &mut self,
        name: &str,
        op: &ParamOp,
        quoted: bool,
        segs: &mut Vec<Seg>,
    ) -> Result<(), Flow> {
        if (name == "@" || name == "*") && matches!(op, ParamOp::Plain) {
            let params = self.positional.clone();
            if name == "*" && quoted {
                let sep: String = self
                    .vars
                    .get("IFS")
                    .map(|v| v.value.chars().take(1).collect())
                    .unwrap_or_else(|| " ".into());
                segs.push(Seg::Text {
                    text: params.join(&sep),
                    quoted,
                    split: true,
                });
                return Ok(());
            }
            for (i, p) in params.into_iter().enumerate() {
                if i > 0 {
                    segs.push(Seg::Break);
                }
                segs.push(Seg::Text {
                    text: p,
                    quoted,
                    split: true,
                });
            }
            return Ok(());
        }
        let value = self.lookup(name);
        let text = match op {
            ParamOp::Plain => match value {
                Some(v) => v,
                None => {
                    if self.nounset && !matches!(name, "@" | "*") {
                        self.error(None, &format!("{name}: parameter not set"));
                        return Err(Flow::Exit(2));
                    }
                    String::new()
                }
            },
            ParamOp::Length => value.map(|v| v.chars().count()).unwrap_or(0).to_string(),
            ParamOp::Default { colon, word } | ParamOp::Assign { colon, word } => {
                let use_word = match &value {
                    None => true,
                    Some(v) => *colon && v.is_empty(),
                };
                if !use_word {
                    value.unwrap_or_default()
                } else if let ParamOp::Assign { .. } = op {
                    let v = self.expand_string(word)?;
                    if !super::parser::is_valid_name(name) {
                        self.error(None, &format!("{name}: bad variable name"));
                        return Err(Flow::Exit(2));
                    }
                    self.set_var(name, v.clone())?;
                    v
                } else {
                    for part in &word.parts {
                        self.expand_part(part, quoted, segs)?;
                    }
                    return Ok(());
                }
            }
            ParamOp::Alternative { colon, word } => {
                let present = match &value {
                    None => false,
                    Some(v) => !(*colon && v.is_empty()),
                };
                if present {
                    for part in &word.parts {
                        self.expand_part(part, quoted, segs)?;
                    }
                }
                return Ok(());
            }
            ParamOp::Error { colon, word } => {
                let missing = match &value {
                    None => true,
                    Some(v) => *colon && v.is_empty(),
                };
                if missing {
                    let message = self.expand_string(word)?;
                    let message = if message.is_empty() {
                        "parameter not set".to_string()
                    } else {
                        message
                    };
                    self.error(None, &format!("{name}: {message}"));
                    return Err(Flow::Exit(2));
                }
                value.unwrap_or_default()
            }
            ParamOp::TrimSuffix { longest, pattern } => {
                let v = value.unwrap_or_default();
                let pat = self.expand_pattern(pattern)?;
                trim(&v, &pat, *longest, true)
            }
            ParamOp::TrimPrefix { longest, pattern } => {
                let v = value.unwrap_or_default();
                let pat = self.expand_pattern(pattern)?;
                trim(&v, &pat, *longest, false)
            }
            ParamOp::Replace { all, pattern, with } => {
                let v = value.unwrap_or_default();
                let pat = self.expand_pattern(pattern)?;
                let with = self.expand_string(with)?;
                replace(&v, &pat, &with, *all)
            }
            ParamOp::Substring { offset, length } => {
                let v: Vec<char> = value.unwrap_or_default().chars().collect();
                let off = self.arith(offset)?;
                let len = v.len() as i64;
                let start = if off < 0 {
                    (len + off).max(0)
                } else {
                    off.min(len)
                };
                let end = match length {
                    Some(l) => {
                        let l = self.arith(l)?;
                        if l < 0 {
                            (len + l).max(start)
                        } else {
                            (start + l).min(len)
                        }
                    }
                    None => len,
                };
                v[start as usize..end.max(start) as usize].iter().collect()
            }
        };
        self.charge_cpu(text.len() as u64 * cost::BYTE_NS)?;
        segs.push(Seg::Text {
            text,
            quoted,
            split: true,
        });
        Ok(())
    }

    /// Paths in the virtual filesystem matching a glob pattern, sorted; relative patterns give
    /// relative paths.
    fn glob(&mut self, pat: &str) -> Vec<String> {
        let absolute = pat.starts_with('/');
        let prefix = if self.cwd == "/" {
            "/".to_string()
        } else {
            format!("{}/", self.cwd)
        };
        let full = if absolute {
            pat.to_string()
        } else {
            format!("{}{}", pattern::escape(&prefix), pat)
        };
        let depth = full.matches('/').count();
        let mut out: Vec<String> = self
            .fs
            .paths()
            .filter(|p| p.matches('/').count() == depth && *p != "/")
            .filter(|p| {
                let base = super::vfs::base_name(p);
                !base.starts_with('.') || pattern::unescape(&full).contains("/.")
            })
            .filter(|p| pattern::matches(&full, p, true))
            .map(|p| {
                if absolute {
                    p.to_string()
                } else {
                    p.strip_prefix(&prefix).unwrap_or(p).to_string()
                }
            })
            .collect();
        crate::sort::sort(&mut out);
        out
    }
}

/// `NAME=…` with an unquoted valid name before the `=`.
fn looks_like_assignment(word: &Word) -> bool {
    match word.parts.first() {
        Some(Part::Lit {
            text,
            quoted: false,
        }) => text
            .split_once('=')
            .is_some_and(|(name, _)| super::parser::is_valid_name(name)),
        _ => false,
    }
}

/// `${v%pat}` / `${v#pat}` and their longest forms.
fn trim(value: &str, pat: &str, longest: bool, suffix: bool) -> String {
    if !pattern::has_glob(pat) {
        let lit = pattern::unescape(pat);
        let stripped = if suffix {
            value.strip_suffix(lit.as_str())
        } else {
            value.strip_prefix(lit.as_str())
        };
        return stripped.unwrap_or(value).to_string();
    }
    let boundaries: Vec<usize> = value
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(value.len()))
        .collect();
    // Bound the quadratic search on huge values; such patterns on megabytes are not realistic.
    if boundaries.len() > 20_000 {
        return value.to_string();
    }
    let candidates: Box<dyn Iterator<Item = &usize>> = match (suffix, longest) {
        (true, false) => Box::new(boundaries.iter().rev()),
        (true, true) => Box::new(boundaries.iter()),
        (false, false) => Box::new(boundaries.iter()),
        (false, true) => Box::new(boundaries.iter().rev()),
    };
    for &cut in candidates {
        let (head, tail) = value.split_at(cut);
        if suffix && pattern::matches(pat, tail, false) {
            return head.to_string();
        }
        if !suffix && pattern::matches(pat, head, false) {
            return tail.to_string();
        }
    }
    value.to_string()
}

/// `${v/pat/rep}` and `${v//pat/rep}`: longest match at the leftmost position.
fn replace(value: &str, pat: &str, with: &str, all: bool) -> String {
    if pat.is_empty() {
        return value.to_string();
    }
    if !pattern::has_glob(pat) {
        let lit = pattern::unescape(pat);
        return if all {
            value.replace(&lit, with)
        } else {
            value.replacen(&lit, with, 1)
        };
    }
    let chars: Vec<char> = value.chars().collect();
    if chars.len() > 5_000 {
        return value.to_string();
    }
    let mut out = String::new();
    let mut i = 0;
    let mut replaced = false;
    while i < chars.len() {
        if !replaced || all {
            let found = (i + 1..=chars.len()).rev().find(|&end| {
                pattern::matches(pat, &chars[i..end].iter().collect::<String>(), false)
            });
            if let Some(end) = found {
                out.push_str(with);
                i = end;
                replaced = true;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Variables seen from an arithmetic expression.
struct ShellArith<'s, 'a> {
    shell: &'s mut Shell<'a>,
    depth: u32,
    flow: Option<Flow>,
}

impl ArithEnv for ShellArith<'_, '_> {
    fn get(&mut self, name: &str) -> Result<i64, String> {
        let value = self.shell.get_var(name).unwrap_or_default();
        let t = value.trim();
        if t.is_empty() {
            return Ok(0);
        }
        if let Some(n) = super::format::parse_shell_int(t).filter(|_| !t.starts_with('\'')) {
            return Ok(n);
        }
        // A value that is itself an expression is evaluated, as ash does.
        self.depth += 1;
        if self.depth > 16 {
            return Err("expression recursion loop detected".into());
        }
        let result = arith::eval(t, self);
        self.depth -= 1;
        result
    }

    fn set(&mut self, name: &str, value: i64) -> Result<(), String> {
        match self.shell.set_var(name, value.to_string()) {
            Ok(()) => Ok(()),
            Err(flow) => {
                self.flow = Some(flow);
                Err(format!("{name}: is read only"))
            }
        }
    }
}
