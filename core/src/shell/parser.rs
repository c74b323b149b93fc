//! A recursive-descent parser for the POSIX shell subset busybox `ash` scripts use.
//!
//! The parser reads characters directly (shell tokenisation depends on context: `}` ends a
//! parameter expansion but not a word, `#` starts a comment only at a word's start), and hands the
//! interpreter one top-level and-or list at a time, as `ash` does: commands before a syntax error
//! still run. Errors carry ash's wording (`unexpected "fi" (expecting "then")`) and the line.

use super::ast::*;
use std::rc::Rc;

/// How deep constructs may nest (`$( $( … ) )`, `if` in `while` …) before the parser gives up,
/// so that a hostile script cannot exhaust the native stack.
const MAX_NESTING: u32 = 48;

/// Words that are reserved only where a command starts.
const RESERVED: &[&str] = &[
    "if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for",
    "in", "{", "}", "!", "function",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// The message after `syntax error: ` (or the whole message for non-syntax parse failures).
    pub message: String,
    pub line: u32,
}

pub struct Parser {
    src: Vec<char>,
    pos: usize,
    depth: u32,
    /// Here-document bodies already read ahead: when the parser reaches the newline at `.0`, it
    /// continues at `.1` (just past the bodies).
    heredoc_skips: Vec<(usize, usize)>,
    /// Offsets of the newlines, to turn a position into a line number quickly.
    newlines: Vec<usize>,
}

/// A token as seen from the current position (after blanks and comments).
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Eof,
    Newline,
    Op(&'static str),
    Word(String),
}

fn is_meta(c: char) -> bool {
    matches!(
        c,
        ';' | '&' | '|' | '<' | '>' | '(' | ')' | '\n' | ' ' | '\t'
    )
}

fn is_name_start(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic()
}

fn is_name_char(c: char) -> bool {
    c == '_' || c.is_ascii_alphanumeric()
}

pub fn is_valid_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if is_name_start(c)) && chars.all(is_name_char)
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Eof => "end of file".to_string(),
        Tok::Newline => "newline".to_string(),
        Tok::Op(op) => format!("\"{op}\""),
        Tok::Word(w) if RESERVED.contains(&w.as_str()) => format!("\"{w}\""),
        Tok::Word(_) => "word".to_string(),
    }
}

impl Parser {
    pub fn new(src: &str) -> Parser {
        let src: Vec<char> = src.chars().collect();
        let newlines = src
            .iter()
            .enumerate()
            .filter(|(_, &c)| c == '\n')
            .map(|(i, _)| i)
            .collect();
        Parser {
            src,
            pos: 0,
            depth: 0,
            heredoc_skips: Vec::new(),
            newlines,
        }
    }

    /// 1-based line of a character offset.
    pub fn line_at(&self, pos: usize) -> u32 {
        1 + self.newlines.partition_point(|&nl| nl < pos) as u32
    }

    fn line(&self) -> u32 {
        self.line_at(self.pos)
    }

    fn err<T>(&self, message: impl Into<String>) -> Result<T, SyntaxError> {
        Err(SyntaxError {
            message: message.into(),
            line: self.line(),
        })
    }

    fn peek(&self) -> Option<char> {
        self.src.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.src.get(self.pos + offset).copied()
    }

    fn starts_with(&self, s: &str) -> bool {
        s.chars()
            .enumerate()
            .all(|(i, c)| self.peek_at(i) == Some(c))
    }

    /// Consumes a newline character, jumping over here-document bodies read ahead.
    fn take_newline(&mut self) {
        let at = self.pos;
        self.pos += 1;
        if let Some(i) = self.heredoc_skips.iter().position(|&(nl, _)| nl == at) {
            let (_, resume) = self.heredoc_skips.remove(i);
            self.pos = resume;
        }
    }

    /// Skips spaces, tabs, line continuations and comments (not newlines).
    fn skip_blanks(&mut self) {
        loop {
            match self.peek() {
                Some(' ' | '\t' | '\r') => self.pos += 1,
                Some('\\') if self.peek_at(1) == Some('\n') => self.pos += 2,
                Some('#') => {
                    while !matches!(self.peek(), None | Some('\n')) {
                        self.pos += 1;
                    }
                }
                _ => return,
            }
        }
    }

    fn skip_newlines(&mut self) {
        loop {
            self.skip_blanks();
            if self.peek() == Some('\n') {
                self.take_newline();
            } else {
                return;
            }
        }
    }

    fn peek_tok(&mut self) -> Tok {
        self.skip_blanks();
        let Some(c) = self.peek() else {
            return Tok::Eof;
        };
        if c == '\n' {
            return Tok::Newline;
        }
        for op in [";;", "&&", "||", ";", "&", "|", "(", ")"] {
            if self.starts_with(op) {
                return Tok::Op(op);
            }
        }
        // A bare word as far as plain characters go (enough to recognise reserved words).
        let mut end = self.pos;
        while end < self.src.len() && !is_meta(self.src[end]) {
            end += 1;
        }
        Tok::Word(self.src[self.pos..end].iter().collect())
    }

    /// The reserved word at the current position, if the next token is one.
    fn peek_reserved(&mut self) -> Option<String> {
        match self.peek_tok() {
            Tok::Word(w) if RESERVED.contains(&w.as_str()) => Some(w),
            _ => None,
        }
    }

    fn expect_reserved(&mut self, word: &str) -> Result<(), SyntaxError> {
        self.skip_newlines();
        match self.peek_reserved() {
            Some(w) if w == word => {
                self.pos += w.chars().count();
                Ok(())
            }
            _ => {
                let tok = self.peek_tok();
                self.err(format!(
                    "unexpected {} (expecting \"{word}\")",
                    describe(&tok)
                ))
            }
        }
    }

    fn enter(&mut self) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return self.err(format!(
                "nesting deeper than {MAX_NESTING} levels (the simulator's limit)"
            ));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// The next top-level and-or list, or `None` at the end of the script.
    pub fn next_command(&mut self) -> Result<Option<AndOr>, SyntaxError> {
        self.skip_newlines();
        match self.peek_tok() {
            Tok::Eof => Ok(None),
            Tok::Word(w) if RESERVED.contains(&w.as_str()) && !starts_command(&w) => {
                self.err(format!("unexpected \"{w}\""))
            }
            Tok::Op(op) if op != "(" => self.err(format!("unexpected \"{op}\"")),
            _ => {
                let mut item = self.and_or()?;
                self.separator(&mut item)?;
                Ok(Some(item))
            }
        }
    }

    /// Consumes what follows an and-or list: `;`, `&`, a newline, or nothing before a closer.
    fn separator(&mut self, item: &mut AndOr) -> Result<(), SyntaxError> {
        match self.peek_tok() {
            Tok::Op(";") => {
                self.pos += 1;
            }
            Tok::Op("&") => {
                self.pos += 1;
                item.background = true;
            }
            Tok::Newline => self.take_newline(),
            Tok::Eof | Tok::Op(";;") | Tok::Op(")") => {}
            Tok::Word(w) if RESERVED.contains(&w.as_str()) => {}
            other => return self.err(format!("unexpected {}", describe(&other))),
        }
        Ok(())
    }

    /// A list ended by one of `closers` (reserved words), `)`, `;;` or end of input.
    fn list(&mut self, closers: &[&str]) -> Result<List, SyntaxError> {
        let mut items = Vec::new();
        loop {
            self.skip_newlines();
            match self.peek_tok() {
                Tok::Eof | Tok::Op(";;") | Tok::Op(")") => break,
                Tok::Word(w) if closers.contains(&w.as_str()) => break,
                Tok::Word(w) if RESERVED.contains(&w.as_str()) && !starts_command(&w) => {
                    return self.err(format!("unexpected \"{w}\""));
                }
                Tok::Op(op) if op != "(" => return self.err(format!("unexpected \"{op}\"")),
                _ => {}
            }
            let mut item = self.and_or()?;
            self.separator(&mut item)?;
            items.push(item);
        }
        Ok(items)
    }

    /// A list that must hold at least one command (`if` conditions, loop bodies …).
    fn nonempty_list(&mut self, closers: &[&str]) -> Result<List, SyntaxError> {
        let list = self.list(closers)?;
        if list.is_empty() {
            let tok = self.peek_tok();
            return self.err(format!("unexpected {}", describe(&tok)));
        }
        Ok(list)
    }

    fn and_or(&mut self) -> Result<AndOr, SyntaxError> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            let is_and = match self.peek_tok() {
                Tok::Op("&&") => true,
                Tok::Op("||") => false,
                _ => break,
            };
            self.pos += 2;
            self.skip_newlines();
            rest.push((is_and, self.pipeline()?));
        }
        Ok(AndOr {
            first,
            rest,
            background: false,
        })
    }

    fn pipeline(&mut self) -> Result<Pipeline, SyntaxError> {
        let mut bang = false;
        if self.peek_reserved().as_deref() == Some("!") {
            self.pos += 1;
            bang = true;
        }
        let mut commands = vec![self.command()?];
        while self.peek_tok() == Tok::Op("|") {
            self.pos += 1;
            self.skip_newlines();
            commands.push(self.command()?);
        }
        Ok(Pipeline { bang, commands })
    }

    fn command(&mut self) -> Result<Command, SyntaxError> {
        self.enter()?;
        let result = self.command_inner();
        self.leave();
        result
    }

    fn command_inner(&mut self) -> Result<Command, SyntaxError> {
        let tok = self.peek_tok();
        match &tok {
            Tok::Op("(") => {
                self.pos += 1;
                let body = self.list(&[])?;
                self.expect_op(")")?;
                return self.with_redirs(Compound::Subshell(body));
            }
            Tok::Op(_) | Tok::Newline | Tok::Eof => {
                return self.err(format!("unexpected {}", describe(&tok)));
            }
            Tok::Word(w) => match w.as_str() {
                "{" => {
                    self.pos += 1;
                    let body = self.nonempty_list(&["}"])?;
                    self.expect_reserved("}")?;
                    return self.with_redirs(Compound::Group(body));
                }
                "if" => return self.if_clause(),
                "while" | "until" => return self.loop_clause(w == "until"),
                "for" => return self.for_clause(),
                "case" => return self.case_clause(),
                "function" => return self.function_keyword(),
                _ if RESERVED.contains(&w.as_str()) => {
                    return self.err(format!("unexpected \"{w}\""));
                }
                _ => {}
            },
        }
        if let Some(name) = self.function_header() {
            self.skip_newlines();
            let body = self.command()?;
            return Ok(Command::FunctionDef(name, Rc::new(body)));
        }
        self.simple_command()
    }

    /// `name ( )` at the current position: consumes it and returns the name.
    fn function_header(&mut self) -> Option<String> {
        let start = self.pos;
        let mut end = start;
        while end < self.src.len() && is_name_char(self.src[end]) {
            end += 1;
        }
        if end == start || !is_name_start(self.src[start]) {
            return None;
        }
        let mut i = end;
        while matches!(self.src.get(i), Some(' ' | '\t')) {
            i += 1;
        }
        if self.src.get(i) != Some(&'(') {
            return None;
        }
        i += 1;
        while matches!(self.src.get(i), Some(' ' | '\t')) {
            i += 1;
        }
        if self.src.get(i) != Some(&')') {
            return None;
        }
        let name: String = self.src[start..end].iter().collect();
        self.pos = i + 1;
        Some(name)
    }

    /// `function name [()] body` (the bash form busybox ash also reads).
    fn function_keyword(&mut self) -> Result<Command, SyntaxError> {
        self.pos += "function".len();
        self.skip_blanks();
        let start = self.pos;
        while self.peek().is_some_and(is_name_char) {
            self.pos += 1;
        }
        let name: String = self.src[start..self.pos].iter().collect();
        if !is_valid_name(&name) {
            return self.err("bad function name");
        }
        self.skip_blanks();
        if self.peek() == Some('(') {
            self.pos += 1;
            self.skip_blanks();
            self.expect_op(")")?;
        }
        self.skip_newlines();
        let body = self.command()?;
        Ok(Command::FunctionDef(name, Rc::new(body)))
    }

    fn expect_op(&mut self, op: &'static str) -> Result<(), SyntaxError> {
        self.skip_newlines();
        let tok = self.peek_tok();
        if tok == Tok::Op(op) {
            self.pos += op.len();
            Ok(())
        } else {
            self.err(format!(
                "unexpected {} (expecting \"{op}\")",
                describe(&tok)
            ))
        }
    }

    fn with_redirs(&mut self, compound: Compound) -> Result<Command, SyntaxError> {
        let mut redirs = Vec::new();
        loop {
            self.skip_blanks();
            match self.try_redir()? {
                Some(r) => redirs.push(r),
                None => break,
            }
        }
        Ok(Command::Compound(Box::new(compound), redirs))
    }

    fn if_clause(&mut self) -> Result<Command, SyntaxError> {
        self.pos += 2;
        let mut branches = Vec::new();
        let mut otherwise = None;
        loop {
            let cond = self.nonempty_list(&["then"])?;
            self.expect_reserved("then")?;
            let body = self.nonempty_list(&["elif", "else", "fi"])?;
            branches.push((cond, body));
            match self.peek_reserved().as_deref() {
                Some("elif") => {
                    self.pos += 4;
                }
                Some("else") => {
                    self.pos += 4;
                    otherwise = Some(self.nonempty_list(&["fi"])?);
                    self.expect_reserved("fi")?;
                    break;
                }
                _ => {
                    self.expect_reserved("fi")?;
                    break;
                }
            }
        }
        self.with_redirs(Compound::If(branches, otherwise))
    }

    fn loop_clause(&mut self, until: bool) -> Result<Command, SyntaxError> {
        let line = self.line();
        self.pos += "while".len(); // `until` has the same length
        let cond = self.nonempty_list(&["do"])?;
        self.expect_reserved("do")?;
        let body = self.nonempty_list(&["done"])?;
        self.expect_reserved("done")?;
        self.with_redirs(Compound::Loop {
            until,
            cond,
            body,
            line,
        })
    }

    fn for_clause(&mut self) -> Result<Command, SyntaxError> {
        let line = self.line();
        self.pos += 3;
        self.skip_blanks();
        let start = self.pos;
        while self.peek().is_some_and(is_name_char) {
            self.pos += 1;
        }
        let var: String = self.src[start..self.pos].iter().collect();
        if !is_valid_name(&var) {
            return self.err("bad for loop variable");
        }
        self.skip_blanks();
        let mut items = None;
        // `for x in a b c` / `for x` / `for x; do`
        let save = self.pos;
        self.skip_newlines();
        if self.peek_reserved().as_deref() == Some("in") {
            self.pos += 2;
            let mut words = Vec::new();
            loop {
                self.skip_blanks();
                match self.peek() {
                    None | Some('\n') | Some(';') => break,
                    _ => {
                        if is_meta(self.peek().unwrap_or(' ')) {
                            let tok = self.peek_tok();
                            return self.err(format!("unexpected {}", describe(&tok)));
                        }
                        words.push(self.word(Mode::Normal)?)
                    }
                }
            }
            items = Some(words);
            if self.peek() == Some(';') {
                self.pos += 1;
            }
        } else {
            self.pos = save;
            self.skip_blanks();
            if self.peek() == Some(';') {
                self.pos += 1;
            }
        }
        self.expect_reserved("do")?;
        let body = self.nonempty_list(&["done"])?;
        self.expect_reserved("done")?;
        self.with_redirs(Compound::For {
            var,
            items,
            body,
            line,
        })
    }

    fn case_clause(&mut self) -> Result<Command, SyntaxError> {
        self.pos += 4;
        self.skip_blanks();
        let subject = self.word(Mode::Normal)?;
        self.expect_reserved("in")?;
        let mut arms = Vec::new();
        loop {
            self.skip_newlines();
            if self.peek_reserved().as_deref() == Some("esac") {
                self.pos += 4;
                break;
            }
            if self.peek() == Some('(') {
                self.pos += 1;
            }
            let mut patterns = Vec::new();
            loop {
                self.skip_blanks();
                if self.peek().is_none() {
                    return self.err("unexpected end of file (expecting \"esac\")");
                }
                if matches!(self.peek(), Some(')' | '|' | '\n' | ';')) {
                    let tok = self.peek_tok();
                    return self.err(format!("unexpected {}", describe(&tok)));
                }
                patterns.push(self.word(Mode::Normal)?);
                self.skip_blanks();
                match self.peek() {
                    Some('|') => self.pos += 1,
                    Some(')') => {
                        self.pos += 1;
                        break;
                    }
                    _ => {
                        let tok = self.peek_tok();
                        return self
                            .err(format!("unexpected {} (expecting \")\")", describe(&tok)));
                    }
                }
            }
            let body = self.list(&["esac"])?;
            arms.push(CaseArm { patterns, body });
            self.skip_newlines();
            match self.peek_tok() {
                Tok::Op(";;") => self.pos += 2,
                Tok::Word(w) if w == "esac" => {}
                other => {
                    return self.err(format!(
                        "unexpected {} (expecting \"esac\")",
                        describe(&other)
                    ))
                }
            }
        }
        self.with_redirs(Compound::Case(subject, arms))
    }

    fn simple_command(&mut self) -> Result<Command, SyntaxError> {
        let line = self.line();
        let mut cmd = Simple {
            assigns: Vec::new(),
            words: Vec::new(),
            redirs: Vec::new(),
            line,
        };
        loop {
            self.skip_blanks();
            let Some(c) = self.peek() else { break };
            if let Some(redir) = self.try_redir()? {
                cmd.redirs.push(redir);
                continue;
            }
            if matches!(c, ';' | '&' | '|' | ')' | '\n') {
                break;
            }
            if c == '(' {
                return self.err("unexpected \"(\"");
            }
            if cmd.words.is_empty() {
                if let Some(name) = self.assignment_name() {
                    let value = self.word(Mode::Normal)?;
                    cmd.assigns.push((name, value));
                    continue;
                }
            }
            cmd.words.push(self.word(Mode::Normal)?);
        }
        if cmd.words.is_empty() && cmd.assigns.is_empty() && cmd.redirs.is_empty() {
            let tok = self.peek_tok();
            return self.err(format!("unexpected {}", describe(&tok)));
        }
        Ok(Command::Simple(cmd))
    }

    /// `NAME=` at the current position: consumes it and returns the name.
    fn assignment_name(&mut self) -> Option<String> {
        let start = self.pos;
        if !self.peek().is_some_and(is_name_start) {
            return None;
        }
        let mut end = start;
        while end < self.src.len() && is_name_char(self.src[end]) {
            end += 1;
        }
        if self.src.get(end) != Some(&'=') {
            return None;
        }
        self.pos = end + 1;
        Some(self.src[start..end].iter().collect())
    }

    /// A redirection at the current position (`2>&1`, `>>file`, `<<EOF` …), if there is one.
    fn try_redir(&mut self) -> Result<Option<Redir>, SyntaxError> {
        let start = self.pos;
        let mut i = self.pos;
        while self.src.get(i).is_some_and(|c| c.is_ascii_digit()) {
            i += 1;
        }
        let explicit_fd: Option<u32> = if i > start {
            let digits: String = self.src[start..i].iter().collect();
            Some(digits.parse().unwrap_or(u32::MAX))
        } else {
            None
        };
        self.pos = i;
        let (kind, default_fd, len) = if self.starts_with("<<<") {
            (RedirKind::HereDoc, 0, 3)
        } else if self.starts_with("<<") {
            (RedirKind::HereDoc, 0, 2)
        } else if self.starts_with(">>") {
            (RedirKind::Append, 1, 2)
        } else if self.starts_with(">&") {
            (RedirKind::DupOut, 1, 2)
        } else if self.starts_with("<&") {
            (RedirKind::DupIn, 0, 2)
        } else if self.starts_with("<>") {
            (RedirKind::ReadWrite, 0, 2)
        } else if self.starts_with(">|") {
            (RedirKind::Out, 1, 2)
        } else if self.starts_with(">") {
            (RedirKind::Out, 1, 1)
        } else if self.starts_with("<") {
            (RedirKind::In, 0, 1)
        } else {
            self.pos = start;
            return Ok(None);
        };
        let here_string = self.starts_with("<<<");
        self.pos += len;
        let fd = explicit_fd.unwrap_or(default_fd);
        if kind == RedirKind::HereDoc && !here_string {
            let strip_tabs = self.peek() == Some('-');
            if strip_tabs {
                self.pos += 1;
            }
            return self.heredoc(fd, strip_tabs).map(Some);
        }
        self.skip_blanks();
        match self.peek() {
            None | Some('\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>') => {
                let tok = self.peek_tok();
                return self.err(format!("unexpected {}", describe(&tok)));
            }
            _ => {}
        }
        let target = self.word(Mode::Normal)?;
        Ok(Some(Redir { fd, kind, target }))
    }

    /// `<<DELIM`: reads the body from the line after the current one and remembers to skip it.
    fn heredoc(&mut self, fd: u32, strip_tabs: bool) -> Result<Redir, SyntaxError> {
        self.skip_blanks();
        let delim_word = self.word(Mode::Normal)?;
        let quoted = delim_word.parts.iter().any(|p| p.quoted());
        let delim: String = delim_word
            .parts
            .iter()
            .map(|p| match p {
                Part::Lit { text, .. } => text.clone(),
                _ => String::new(),
            })
            .collect();
        // The body starts after the newline ending this line, or after earlier bodies on this line.
        let mut nl = self.pos;
        while nl < self.src.len() && self.src[nl] != '\n' {
            nl += 1;
        }
        let body_start = match self.heredoc_skips.iter().find(|&&(at, _)| at == nl) {
            Some(&(_, resume)) => resume,
            None => nl + 1,
        };
        let mut body = String::new();
        let mut i = body_start;
        let mut terminated = false;
        while i < self.src.len() {
            let mut end = i;
            while end < self.src.len() && self.src[end] != '\n' {
                end += 1;
            }
            let raw: String = self.src[i..end].iter().collect();
            let line = if strip_tabs {
                raw.trim_start_matches('\t').to_string()
            } else {
                raw
            };
            i = (end + 1).min(self.src.len());
            if line == delim {
                terminated = true;
                break;
            }
            body.push_str(&line);
            body.push('\n');
        }
        if !terminated {
            i = self.src.len();
        }
        self.heredoc_skips.retain(|&(at, _)| at != nl);
        self.heredoc_skips.push((nl, i));
        let target = if quoted {
            Word {
                parts: vec![Part::Lit {
                    text: body,
                    quoted: true,
                }],
            }
        } else {
            let mut sub = Parser::new(&body);
            sub.depth = self.depth;
            sub.word(Mode::HereDoc).map_err(|e| SyntaxError {
                message: e.message,
                line: self.line(),
            })?
        };
        Ok(Redir {
            fd,
            kind: RedirKind::HereDoc,
            target,
        })
    }

    /// One word, in the given mode.
    fn word(&mut self, mode: Mode) -> Result<Word, SyntaxError> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        while let Some(c) = self.peek() {
            match mode {
                Mode::Normal if is_meta(c) => break,
                Mode::Brace if c == '}' => break,
                Mode::BraceNoSlash if c == '}' || c == '/' => break,
                _ => {}
            }
            match c {
                '\\' => {
                    self.pos += 1;
                    match self.peek() {
                        Some('\n') => self.pos += 1,
                        Some(n) if mode == Mode::HereDoc && !matches!(n, '$' | '`' | '\\') => {
                            lit.push('\\');
                        }
                        Some(n) => {
                            flush(&mut parts, &mut lit);
                            parts.push(Part::Lit {
                                text: n.to_string(),
                                quoted: true,
                            });
                            self.pos += 1;
                        }
                        None => lit.push('\\'),
                    }
                }
                '\'' if mode != Mode::HereDoc && mode != Mode::Arith => {
                    self.pos += 1;
                    let start = self.pos;
                    while self.peek().is_some_and(|c| c != '\'') {
                        self.pos += 1;
                    }
                    if self.peek().is_none() {
                        return self.err("unterminated quoted string");
                    }
                    let text: String = self.src[start..self.pos].iter().collect();
                    self.pos += 1;
                    flush(&mut parts, &mut lit);
                    parts.push(Part::Lit { text, quoted: true });
                }
                '"' if mode != Mode::HereDoc => {
                    self.pos += 1;
                    flush(&mut parts, &mut lit);
                    let before = parts.len();
                    self.double_quoted(&mut parts)?;
                    if parts.len() == before {
                        parts.push(Part::Lit {
                            text: String::new(),
                            quoted: true,
                        });
                    }
                }
                '$' => {
                    flush(&mut parts, &mut lit);
                    self.dollar(&mut parts, false)?;
                }
                '`' => {
                    flush(&mut parts, &mut lit);
                    let part = self.backquote(false)?;
                    parts.push(part);
                }
                _ => {
                    lit.push(c);
                    if c == '\n' {
                        self.take_newline();
                    } else {
                        self.pos += 1;
                    }
                }
            }
        }
        flush(&mut parts, &mut lit);
        Ok(Word { parts })
    }

    /// The inside of `"…"` (the opening quote already consumed).
    fn double_quoted(&mut self, parts: &mut Vec<Part>) -> Result<(), SyntaxError> {
        let mut lit = String::new();
        loop {
            let Some(c) = self.peek() else {
                return self.err("unterminated quoted string");
            };
            match c {
                '"' => {
                    self.pos += 1;
                    break;
                }
                '\\' => {
                    match self.peek_at(1) {
                        Some('\n') => {}
                        Some(n @ ('$' | '`' | '"' | '\\')) => lit.push(n),
                        Some(n) => {
                            lit.push('\\');
                            lit.push(n);
                        }
                        None => return self.err("unterminated quoted string"),
                    }
                    self.pos += 2;
                }
                '$' => {
                    flush_quoted(parts, &mut lit);
                    self.dollar(parts, true)?;
                }
                '`' => {
                    flush_quoted(parts, &mut lit);
                    let part = self.backquote(true)?;
                    parts.push(part);
                }
                _ => {
                    lit.push(c);
                    self.pos += 1;
                }
            }
        }
        flush_quoted(parts, &mut lit);
        Ok(())
    }

    fn backquote(&mut self, quoted: bool) -> Result<Part, SyntaxError> {
        self.pos += 1;
        let mut inner = String::new();
        loop {
            match self.peek() {
                None => return self.err("unterminated quoted string"),
                Some('`') => {
                    self.pos += 1;
                    break;
                }
                Some('\\') if matches!(self.peek_at(1), Some('`' | '\\' | '$')) => {
                    inner.push(self.peek_at(1).unwrap_or('\\'));
                    self.pos += 2;
                }
                Some(c) => {
                    inner.push(c);
                    self.pos += 1;
                }
            }
        }
        let body = self.sub_script(&inner)?;
        Ok(Part::CommandSub {
            body: Rc::new(body),
            quoted,
        })
    }

    /// Parses a whole nested script (backquotes, `eval`-like contexts) sharing the nesting budget.
    fn sub_script(&mut self, text: &str) -> Result<List, SyntaxError> {
        let line = self.line();
        let mut sub = Parser::new(text);
        sub.depth = self.depth + 1;
        if sub.depth > MAX_NESTING {
            return self.err("nesting too deep");
        }
        let mut items = Vec::new();
        loop {
            match sub.next_command() {
                Ok(Some(item)) => items.push(item),
                Ok(None) => break,
                Err(e) => {
                    return Err(SyntaxError {
                        message: e.message,
                        line: line + e.line - 1,
                    })
                }
            }
        }
        Ok(items)
    }

    /// `$…` at the current position.
    fn dollar(&mut self, parts: &mut Vec<Part>, quoted: bool) -> Result<(), SyntaxError> {
        self.pos += 1;
        match self.peek() {
            Some('(') if self.peek_at(1) == Some('(') => {
                self.pos += 2;
                let expr = self.arith_body()?;
                parts.push(Part::Arith { expr, quoted });
            }
            Some('(') => {
                self.pos += 1;
                self.enter()?;
                let body = self.list(&[]);
                self.leave();
                let body = body?;
                self.expect_op(")")?;
                parts.push(Part::CommandSub {
                    body: Rc::new(body),
                    quoted,
                });
            }
            Some('{') => {
                self.pos += 1;
                let part = self.braced_param(quoted)?;
                parts.push(part);
            }
            Some(c) if is_name_start(c) => {
                let start = self.pos;
                while self.peek().is_some_and(is_name_char) {
                    self.pos += 1;
                }
                parts.push(Part::Param {
                    name: self.src[start..self.pos].iter().collect(),
                    op: ParamOp::Plain,
                    quoted,
                });
            }
            Some(c) if c.is_ascii_digit() || "@*#?$!-".contains(c) => {
                self.pos += 1;
                parts.push(Part::Param {
                    name: c.to_string(),
                    op: ParamOp::Plain,
                    quoted,
                });
            }
            _ => parts.push(Part::Lit {
                text: "$".to_string(),
                quoted,
            }),
        }
        Ok(())
    }

    /// The text of `$(( … ))` up to the matching `))`, parsed as a word of arithmetic.
    fn arith_body(&mut self) -> Result<Word, SyntaxError> {
        let start = self.pos;
        let mut depth = 0i32;
        loop {
            match self.peek() {
                None => return self.err("unterminated quoted string"),
                Some('(') => depth += 1,
                Some(')') if depth == 0 => {
                    if self.peek_at(1) == Some(')') {
                        break;
                    }
                    return self.err("unexpected \")\"");
                }
                Some(')') => depth -= 1,
                _ => {}
            }
            self.pos += 1;
        }
        let text: String = self.src[start..self.pos].iter().collect();
        self.pos += 2;
        let mut sub = Parser::new(&text);
        sub.depth = self.depth + 1;
        sub.word(Mode::Arith).map_err(|e| SyntaxError {
            message: e.message,
            line: self.line(),
        })
    }

    /// `${…}` after the `${`.
    fn braced_param(&mut self, quoted: bool) -> Result<Part, SyntaxError> {
        let bad = |p: &Parser| p.err::<Part>("bad substitution");
        let mut length = false;
        if self.peek() == Some('#') && !matches!(self.peek_at(1), Some('}') | None) {
            length = true;
            self.pos += 1;
        }
        let name = match self.peek() {
            Some(c) if is_name_start(c) => {
                let start = self.pos;
                while self.peek().is_some_and(is_name_char) {
                    self.pos += 1;
                }
                self.src[start..self.pos].iter().collect::<String>()
            }
            Some(c) if c.is_ascii_digit() => {
                let start = self.pos;
                while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.pos += 1;
                }
                self.src[start..self.pos].iter().collect::<String>()
            }
            Some(c) if "@*#?$!-".contains(c) => {
                self.pos += 1;
                c.to_string()
            }
            _ => return bad(self),
        };
        if length {
            if self.peek() != Some('}') {
                return bad(self);
            }
            self.pos += 1;
            return Ok(Part::Param {
                name,
                op: ParamOp::Length,
                quoted,
            });
        }
        let op = match self.peek() {
            Some('}') => {
                self.pos += 1;
                return Ok(Part::Param {
                    name,
                    op: ParamOp::Plain,
                    quoted,
                });
            }
            Some(':') if matches!(self.peek_at(1), Some('-' | '=' | '+' | '?')) => {
                let c = self.peek_at(1).unwrap_or('-');
                self.pos += 2;
                let word = self.word(Mode::Brace)?;
                make_op(c, true, word)
            }
            Some(':') => {
                self.pos += 1;
                let offset = self.word_until_colon()?;
                if offset.parts.is_empty() {
                    return bad(self);
                }
                let length = if self.peek() == Some(':') {
                    self.pos += 1;
                    Some(self.word(Mode::Brace)?)
                } else {
                    None
                };
                ParamOp::Substring { offset, length }
            }
            Some(c @ ('-' | '=' | '+' | '?')) => {
                self.pos += 1;
                let word = self.word(Mode::Brace)?;
                make_op(c, false, word)
            }
            Some('%') => {
                self.pos += 1;
                let longest = self.peek() == Some('%');
                if longest {
                    self.pos += 1;
                }
                ParamOp::TrimSuffix {
                    longest,
                    pattern: self.word(Mode::Brace)?,
                }
            }
            Some('#') => {
                self.pos += 1;
                let longest = self.peek() == Some('#');
                if longest {
                    self.pos += 1;
                }
                ParamOp::TrimPrefix {
                    longest,
                    pattern: self.word(Mode::Brace)?,
                }
            }
            Some('/') => {
                self.pos += 1;
                let all = self.peek() == Some('/');
                if all {
                    self.pos += 1;
                }
                let pattern = self.word(Mode::BraceNoSlash)?;
                let with = if self.peek() == Some('/') {
                    self.pos += 1;
                    self.word(Mode::Brace)?
                } else {
                    Word::default()
                };
                ParamOp::Replace { all, pattern, with }
            }
            _ => return bad(self),
        };
        if self.peek() != Some('}') {
            return bad(self);
        }
        self.pos += 1;
        Ok(Part::Param { name, op, quoted })
    }

    fn word_until_colon(&mut self) -> Result<Word, SyntaxError> {
        let start = self.pos;
        while !matches!(self.peek(), None | Some(':') | Some('}')) {
            self.pos += 1;
        }
        let text: String = self.src[start..self.pos].iter().collect();
        let mut sub = Parser::new(&text);
        sub.depth = self.depth + 1;
        sub.word(Mode::Arith)
    }
}

fn make_op(c: char, colon: bool, word: Word) -> ParamOp {
    match c {
        '-' => ParamOp::Default { colon, word },
        '=' => ParamOp::Assign { colon, word },
        '+' => ParamOp::Alternative { colon, word },
        _ => ParamOp::Error { colon, word },
    }
}

fn starts_command(word: &str) -> bool {
    matches!(
        word,
        "if" | "while" | "until" | "for" | "case" | "{" | "!" | "function"
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A command word: ends at blanks and operators.
    Normal,
    /// Inside `${…}`: ends at `}`; blanks are part of the word.
    Brace,
    /// The pattern of `${x/pat/rep}`: also ends at `/`.
    BraceNoSlash,
    /// A here-document body: only `$`, `` ` `` and `\` are special.
    HereDoc,
    /// The inside of `$(( ))`: quotes are not special.
    Arith,
}

fn flush(parts: &mut Vec<Part>, lit: &mut String) {
    if !lit.is_empty() {
        parts.push(Part::Lit {
            text: std::mem::take(lit),
            quoted: false,
        });
    }
}

fn flush_quoted(parts: &mut Vec<Part>, lit: &mut String) {
    if !lit.is_empty() {
        parts.push(Part::Lit {
            text: std::mem::take(lit),
            quoted: true,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_all(src: &str) -> Result<Vec<AndOr>, SyntaxError> {
        let mut p = Parser::new(src);
        let mut out = Vec::new();
        while let Some(item) = p.next_command()? {
            out.push(item);
        }
        Ok(out)
    }

    #[test]
    fn parses_the_constructs_batch_scripts_use() {
        let src = r#"
set -e
f() { local a=$1; echo "${a:-none}" >&2; return 3; }
for i in $(seq 1 3); do
  if [ $((i % 2)) -eq 0 ]; then echo even; elif true; then echo odd; else :; fi
done
case "$X" in a|b) echo ab ;; *) echo other ;; esac
while [ $n -lt 3 ]; do n=$((n+1)); done
echo `hostname` | tr a b > /tmp/x 2>&1 || echo failed
"#;
        let items = parse_all(src).expect("parses");
        assert_eq!(items.len(), 6);
    }

    #[test]
    fn reports_ash_style_syntax_errors_with_lines() {
        let err = parse_all("echo hi\nif true; then\necho x\n").unwrap_err();
        assert_eq!(err.message, "unexpected end of file (expecting \"fi\")");
        let err = parse_all("fi").unwrap_err();
        assert_eq!(err.message, "unexpected \"fi\"");
        let err = parse_all("echo 'abc").unwrap_err();
        assert_eq!(err.message, "unterminated quoted string");
        let err = parse_all("echo ${a:}").unwrap_err();
        assert_eq!(err.message, "bad substitution");
        let err = parse_all("echo a\necho b\ndone").unwrap_err();
        assert_eq!(err.line, 3);
    }

    #[test]
    fn here_documents_are_read_and_skipped() {
        let items = parse_all("cat <<EOF\nline $X\nEOF\necho after\n").expect("parses");
        assert_eq!(items.len(), 2);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let src = "(".repeat(10_000);
        assert!(parse_all(&src).is_err());
        let src = "$(".repeat(10_000);
        assert!(parse_all(&format!("echo {src}")).is_err());
    }
}
