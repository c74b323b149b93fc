//! A small awk: the one-liners batch scripts use (`BEGIN {printf "%.2f", x*100/n}`,
//! `{print $2}`, `-F, '$3 > 10 {sum += $3} END {print sum}'`).
//!
//! Supported: `BEGIN`/`END`/pattern-action rules, `/regex/` and expression patterns, `print`,
//! `printf`, assignments (`=`, `+=` …, `++`, `--`), `if`/`else`, `while`, `for (;;)`,
//! `for (key in array)`, `break`, `continue`, `next`, `exit`, associative arrays (`count[$1]++`,
//! `(key in count)`, `delete`), fields and `NF`, `NR`, `FS`, `OFS`, string concatenation,
//! arithmetic, comparisons, `~`, `&&`, `||`, `!`, and the functions `length`, `substr`, `index`,
//! `int`, `toupper`, `tolower`, `sprintf`, `split`. Anything else is reported as a syntax error (and
//! the run's note says the simulator's awk did not understand it).
//!
//! `for (key in array)` visits keys in sorted string order. Real awks use an order of their own
//! (a hash order in busybox and gawk); a sorted one keeps every run of the simulator the same.

use super::format::{self, FmtArg};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Str(String),
    Regex(String),
    Name(String),
    Func(String),
    Op(&'static str),
    Newline,
}

#[derive(Debug, Clone)]
enum Expr {
    Num(f64),
    Str(String),
    Regex(String),
    Var(String),
    Field(Box<Expr>),
    Unary(&'static str, Box<Expr>),
    Binary(&'static str, Box<Expr>, Box<Expr>),
    Concat(Box<Expr>, Box<Expr>),
    Assign(Box<Expr>, &'static str, Box<Expr>),
    IncDec(Box<Expr>, f64, bool),
    Call(String, Vec<Expr>),
    /// `name[index, …]`: the indexes are joined with SUBSEP.
    Index(String, Vec<Expr>),
    /// `(key in name)`.
    In(Box<Expr>, String),
}

#[derive(Debug, Clone)]
enum Stmt {
    Print(Vec<Expr>),
    Printf(Vec<Expr>),
    Expr(Expr),
    If(Expr, Box<Stmt>, Option<Box<Stmt>>),
    Block(Vec<Stmt>),
    While(Expr, Box<Stmt>),
    For(Option<Expr>, Option<Expr>, Option<Expr>, Box<Stmt>),
    ForIn(String, String, Box<Stmt>),
    /// `delete name[index]`, or `delete name` for every element.
    Delete(String, Option<Vec<Expr>>),
    Break,
    Continue,
    Next,
    Exit(Option<Expr>),
}

#[derive(Debug, Clone)]
enum Pattern {
    Begin,
    End,
    All,
    Expr(Expr),
}

#[derive(Debug, Clone)]
pub struct Program {
    rules: Vec<(Pattern, Vec<Stmt>)>,
}

pub struct AwkResult {
    pub output: String,
    pub exit_code: Option<i32>,
    pub error: Option<String>,
    pub steps: u64,
}

#[derive(Debug, Clone)]
enum Val {
    Num(f64),
    Str(String),
    /// Input that looks numeric compares as a number (awk's "strnum").
    StrNum(String, f64),
}

impl Val {
    fn num(&self) -> f64 {
        match self {
            Val::Num(n) | Val::StrNum(_, n) => *n,
            Val::Str(s) => leading_number(s),
        }
    }
    fn text(&self) -> String {
        match self {
            Val::Num(n) => format::number_to_string(*n),
            Val::Str(s) | Val::StrNum(s, _) => s.clone(),
        }
    }
    fn truthy(&self) -> bool {
        match self {
            Val::Num(n) => *n != 0.0,
            Val::Str(s) => !s.is_empty(),
            Val::StrNum(_, n) => *n != 0.0,
        }
    }
    fn from_input(s: &str) -> Val {
        match s.trim().parse::<f64>() {
            Ok(n) if !s.trim().is_empty() => Val::StrNum(s.to_string(), n),
            _ => Val::Str(s.to_string()),
        }
    }
}

fn leading_number(s: &str) -> f64 {
    let t = s.trim_start();
    let mut end = 0;
    for (i, c) in t.char_indices() {
        if c.is_ascii_digit()
            || c == '.'
            || ((c == '-' || c == '+') && i == 0)
            || ((c == 'e' || c == 'E') && i > 0)
        {
            end = i + c.len_utf8();
        } else {
            break;
        }
    }
    let mut slice = &t[..end];
    while !slice.is_empty() {
        if let Ok(n) = slice.parse::<f64>() {
            return n;
        }
        slice = &slice[..slice.len() - 1];
    }
    0.0
}

const OPS: &[&str] = &[
    "+=", "-=", "*=", "/=", "%=", "^=", "==", "!=", "<=", ">=", "&&", "||", "++", "--", "!~", "{",
    "}", "(", ")", ";", ",", "+", "-", "*", "/", "%", "^", "<", ">", "!", "~", "=", "$", "?", ":",
    "[", "]",
];

const FUNCS: &[&str] = &[
    "length", "substr", "index", "int", "toupper", "tolower", "sprintf", "sqrt", "split",
];

/// Statements and expressions one awk run may evaluate; a program past it (a loop that never ends)
/// is stopped with an error.
const MAX_STEPS: u64 = 5_000_000;

fn tokenize(src: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = src.chars().collect();
    let mut out: Vec<Tok> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            out.push(Tok::Newline);
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '\\' && chars.get(i + 1) == Some(&'\n') {
            i += 2;
        } else if c == '#' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '.') {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            out.push(Tok::Num(
                text.parse()
                    .map_err(|_| format!("syntax error at '{text}'"))?,
            ));
        } else if c == '"' {
            i += 1;
            let mut s = String::new();
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' && i + 1 < chars.len() {
                    s.push('\\');
                    s.push(chars[i + 1]);
                    i += 2;
                } else {
                    s.push(chars[i]);
                    i += 1;
                }
            }
            if i >= chars.len() {
                return Err("unterminated string".into());
            }
            i += 1;
            out.push(Tok::Str(format::unescape(&s, false).0));
        } else if c == '/' && regex_allowed(out.last()) {
            i += 1;
            let mut s = String::new();
            while i < chars.len() && chars[i] != '/' {
                if chars[i] == '\\' && chars.get(i + 1) == Some(&'/') {
                    s.push('/');
                    i += 2;
                } else {
                    s.push(chars[i]);
                    i += 1;
                }
            }
            if i >= chars.len() {
                return Err("unterminated regex".into());
            }
            i += 1;
            out.push(Tok::Regex(s));
        } else if c == '_' || c.is_ascii_alphabetic() {
            let start = i;
            while i < chars.len() && (chars[i] == '_' || chars[i].is_ascii_alphanumeric()) {
                i += 1;
            }
            let name: String = chars[start..i].iter().collect();
            if FUNCS.contains(&name.as_str()) {
                out.push(Tok::Func(name));
            } else {
                out.push(Tok::Name(name));
            }
        } else {
            let rest: String = chars[i..chars.len().min(i + 2)].iter().collect();
            let op = OPS
                .iter()
                .find(|op| rest.starts_with(*op))
                .ok_or_else(|| format!("unexpected character '{c}'"))?;
            out.push(Tok::Op(op));
            i += op.len();
        }
    }
    Ok(out)
}

fn regex_allowed(prev: Option<&Tok>) -> bool {
    match prev {
        None | Some(Tok::Newline) => true,
        Some(Tok::Op(op)) => !matches!(*op, ")" | "]" | "$"),
        _ => false,
    }
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    depth: u32,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Some(Tok::Op(o)) if *o == op)
    }
    fn expect(&mut self, op: &str) -> Result<(), String> {
        if self.is_op(op) {
            self.pos += 1;
            Ok(())
        } else {
            Err(format!("syntax error: expected '{op}'"))
        }
    }
    fn skip_newlines(&mut self) {
        while matches!(self.peek(), Some(Tok::Newline) | Some(Tok::Op(";"))) {
            self.pos += 1;
        }
    }
    fn skip_nl_only(&mut self) {
        while matches!(self.peek(), Some(Tok::Newline)) {
            self.pos += 1;
        }
    }

    fn program(&mut self) -> Result<Program, String> {
        let mut rules = Vec::new();
        loop {
            self.skip_newlines();
            let Some(tok) = self.peek().cloned() else {
                break;
            };
            let pattern = match tok {
                Tok::Name(n) if n == "BEGIN" => {
                    self.pos += 1;
                    Pattern::Begin
                }
                Tok::Name(n) if n == "END" => {
                    self.pos += 1;
                    Pattern::End
                }
                Tok::Op("{") => Pattern::All,
                _ => Pattern::Expr(self.expr()?),
            };
            let body = if self.is_op("{") {
                self.block()?
            } else {
                vec![Stmt::Print(Vec::new())]
            };
            rules.push((pattern, body));
        }
        Ok(Program { rules })
    }

    fn block(&mut self) -> Result<Vec<Stmt>, String> {
        self.expect("{")?;
        let mut out = Vec::new();
        loop {
            self.skip_newlines();
            if self.is_op("}") {
                self.pos += 1;
                return Ok(out);
            }
            if self.peek().is_none() {
                return Err("syntax error: missing '}'".into());
            }
            out.push(self.statement()?);
        }
    }

    fn statement(&mut self) -> Result<Stmt, String> {
        self.depth += 1;
        if self.depth > 100 {
            return Err("program nested too deeply".into());
        }
        let result = self.statement_inner();
        self.depth -= 1;
        result
    }

    fn statement_inner(&mut self) -> Result<Stmt, String> {
        if self.is_op("{") {
            return Ok(Stmt::Block(self.block()?));
        }
        let tok = self.peek().cloned();
        let stmt = match tok {
            Some(Tok::Name(n)) if n == "print" || n == "printf" => {
                self.pos += 1;
                let mut args = Vec::new();
                let parens = self.is_op("(");
                if !self.at_statement_end() {
                    if parens {
                        self.pos += 1;
                    }
                    args.push(self.expr()?);
                    while self.is_op(",") {
                        self.pos += 1;
                        self.skip_nl_only();
                        args.push(self.expr()?);
                    }
                    if parens {
                        self.expect(")")?;
                    }
                }
                if n == "print" {
                    Stmt::Print(args)
                } else {
                    Stmt::Printf(args)
                }
            }
            Some(Tok::Name(n)) if n == "if" => {
                self.pos += 1;
                self.expect("(")?;
                let cond = self.expr()?;
                self.expect(")")?;
                self.skip_nl_only();
                let then = self.statement()?;
                let save = self.pos;
                self.skip_newlines();
                if matches!(self.peek(), Some(Tok::Name(e)) if e == "else") {
                    self.pos += 1;
                    self.skip_nl_only();
                    let other = self.statement()?;
                    return Ok(Stmt::If(cond, Box::new(then), Some(Box::new(other))));
                }
                self.pos = save;
                return Ok(Stmt::If(cond, Box::new(then), None));
            }
            Some(Tok::Name(n)) if n == "while" => {
                self.pos += 1;
                self.expect("(")?;
                let cond = self.expr()?;
                self.expect(")")?;
                self.skip_nl_only();
                return Ok(Stmt::While(cond, Box::new(self.statement()?)));
            }
            Some(Tok::Name(n)) if n == "for" => {
                self.pos += 1;
                return self.for_statement();
            }
            Some(Tok::Name(n)) if n == "delete" => {
                self.pos += 1;
                let Some(Tok::Name(array)) = self.peek().cloned() else {
                    return Err("syntax error: delete needs an array".into());
                };
                self.pos += 1;
                let index = if self.is_op("[") {
                    Some(self.index_list()?)
                } else {
                    None
                };
                Stmt::Delete(array, index)
            }
            Some(Tok::Name(n)) if n == "break" => {
                self.pos += 1;
                Stmt::Break
            }
            Some(Tok::Name(n)) if n == "continue" => {
                self.pos += 1;
                Stmt::Continue
            }
            Some(Tok::Name(n)) if n == "next" => {
                self.pos += 1;
                Stmt::Next
            }
            Some(Tok::Name(n)) if n == "exit" => {
                self.pos += 1;
                if self.at_statement_end() {
                    Stmt::Exit(None)
                } else {
                    Stmt::Exit(Some(self.expr()?))
                }
            }
            Some(Tok::Name(n))
                if matches!(
                    n.as_str(),
                    "do" | "function" | "getline" | "gsub" | "sub" | "match"
                ) =>
            {
                return Err(format!("'{n}' is not supported"));
            }
            _ => Stmt::Expr(self.expr()?),
        };
        if self.is_op(";") {
            self.pos += 1;
        }
        Ok(stmt)
    }

    /// After `for`: `(key in array) stmt` or `(init; cond; step) stmt`.
    fn for_statement(&mut self) -> Result<Stmt, String> {
        self.expect("(")?;
        if let (
            Some(Tok::Name(key)),
            Some(Tok::Name(word)),
            Some(Tok::Name(array)),
            Some(Tok::Op(")")),
        ) = (
            self.toks.get(self.pos).cloned(),
            self.toks.get(self.pos + 1).cloned(),
            self.toks.get(self.pos + 2).cloned(),
            self.toks.get(self.pos + 3).cloned(),
        ) {
            if word == "in" {
                self.pos += 4;
                self.skip_nl_only();
                return Ok(Stmt::ForIn(key, array, Box::new(self.statement()?)));
            }
        }
        let init = self.optional_expr(";")?;
        self.expect(";")?;
        self.skip_nl_only();
        let cond = self.optional_expr(";")?;
        self.expect(";")?;
        self.skip_nl_only();
        let step = self.optional_expr(")")?;
        self.expect(")")?;
        self.skip_nl_only();
        Ok(Stmt::For(init, cond, step, Box::new(self.statement()?)))
    }

    fn optional_expr(&mut self, end: &str) -> Result<Option<Expr>, String> {
        if self.is_op(end) {
            Ok(None)
        } else {
            self.expr().map(Some)
        }
    }

    /// `[expr, …]`
    fn index_list(&mut self) -> Result<Vec<Expr>, String> {
        self.expect("[")?;
        let mut index = vec![self.expr()?];
        while self.is_op(",") {
            self.pos += 1;
            index.push(self.expr()?);
        }
        self.expect("]")?;
        Ok(index)
    }

    fn at_statement_end(&self) -> bool {
        matches!(
            self.peek(),
            None | Some(Tok::Newline) | Some(Tok::Op(";")) | Some(Tok::Op("}"))
        )
    }

    fn expr(&mut self) -> Result<Expr, String> {
        self.depth += 1;
        if self.depth > 200 {
            return Err("expression nested too deeply".into());
        }
        let result = self.ternary();
        self.depth -= 1;
        result
    }

    fn ternary(&mut self) -> Result<Expr, String> {
        let cond = self.assignment()?;
        if self.is_op("?") {
            self.pos += 1;
            let yes = self.expr()?;
            self.expect(":")?;
            let no = self.expr()?;
            return Ok(Expr::Call("?:".into(), vec![cond, yes, no]));
        }
        Ok(cond)
    }

    fn assignment(&mut self) -> Result<Expr, String> {
        let lhs = self.or()?;
        if let Some(Tok::Op(op)) = self.peek().cloned() {
            if matches!(op, "=" | "+=" | "-=" | "*=" | "/=" | "%=" | "^=")
                && matches!(lhs, Expr::Var(_) | Expr::Field(_) | Expr::Index(..))
            {
                self.pos += 1;
                let rhs = self.expr()?;
                return Ok(Expr::Assign(Box::new(lhs), op, Box::new(rhs)));
            }
        }
        Ok(lhs)
    }

    fn binary_level(
        &mut self,
        ops: &[&'static str],
        next: fn(&mut Parser) -> Result<Expr, String>,
    ) -> Result<Expr, String> {
        let mut lhs = next(self)?;
        while let Some(Tok::Op(op)) = self.peek().cloned() {
            if !ops.contains(&op) {
                break;
            }
            self.pos += 1;
            self.skip_nl_only();
            let rhs = next(self)?;
            lhs = Expr::Binary(op, Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }

    fn or(&mut self) -> Result<Expr, String> {
        self.binary_level(&["||"], Parser::and)
    }
    fn and(&mut self) -> Result<Expr, String> {
        self.binary_level(&["&&"], Parser::matching)
    }
    fn matching(&mut self) -> Result<Expr, String> {
        self.binary_level(&["~", "!~"], Parser::comparison)
    }
    fn comparison(&mut self) -> Result<Expr, String> {
        self.binary_level(&["<", "<=", ">", ">=", "==", "!="], Parser::membership)
    }

    /// `key in array`
    fn membership(&mut self) -> Result<Expr, String> {
        let mut lhs = self.concat()?;
        while matches!(self.peek(), Some(Tok::Name(n)) if n == "in") {
            self.pos += 1;
            let Some(Tok::Name(array)) = self.peek().cloned() else {
                return Err("syntax error: 'in' needs an array name".into());
            };
            self.pos += 1;
            lhs = Expr::In(Box::new(lhs), array);
        }
        Ok(lhs)
    }

    fn concat(&mut self) -> Result<Expr, String> {
        let mut lhs = self.additive()?;
        while self.starts_primary() {
            let rhs = self.additive()?;
            lhs = Expr::Concat(Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }

    fn starts_primary(&self) -> bool {
        match self.peek() {
            Some(Tok::Num(_)) | Some(Tok::Str(_)) | Some(Tok::Name(_)) | Some(Tok::Func(_)) => {
                !matches!(self.peek(), Some(Tok::Name(n)) if matches!(n.as_str(), "in" | "else" | "getline"))
            }
            Some(Tok::Op(op)) => matches!(*op, "$" | "(" | "!" | "-" | "++" | "--"),
            _ => false,
        }
    }

    fn additive(&mut self) -> Result<Expr, String> {
        self.binary_level(&["+", "-"], Parser::multiplicative)
    }
    fn multiplicative(&mut self) -> Result<Expr, String> {
        self.binary_level(&["*", "/", "%"], Parser::unary)
    }

    fn unary(&mut self) -> Result<Expr, String> {
        self.depth += 1;
        if self.depth > 200 {
            return Err("expression nested too deeply".into());
        }
        let result = match self.peek().cloned() {
            Some(Tok::Op(op @ ("!" | "-" | "+"))) => {
                self.pos += 1;
                let inner = self.unary()?;
                Ok(Expr::Unary(op, Box::new(inner)))
            }
            _ => self.power(),
        };
        self.depth -= 1;
        result
    }

    fn power(&mut self) -> Result<Expr, String> {
        let base = self.postfix()?;
        if self.is_op("^") {
            self.pos += 1;
            let exp = self.unary()?;
            return Ok(Expr::Binary("^", Box::new(base), Box::new(exp)));
        }
        Ok(base)
    }

    fn postfix(&mut self) -> Result<Expr, String> {
        if let Some(Tok::Op(op @ ("++" | "--"))) = self.peek().cloned() {
            self.pos += 1;
            let target = self.primary()?;
            return Ok(Expr::IncDec(
                Box::new(target),
                if op == "++" { 1.0 } else { -1.0 },
                true,
            ));
        }
        let e = self.primary()?;
        if matches!(e, Expr::Var(_) | Expr::Field(_) | Expr::Index(..)) {
            if let Some(Tok::Op(op @ ("++" | "--"))) = self.peek().cloned() {
                self.pos += 1;
                return Ok(Expr::IncDec(
                    Box::new(e),
                    if op == "++" { 1.0 } else { -1.0 },
                    false,
                ));
            }
        }
        Ok(e)
    }

    fn primary(&mut self) -> Result<Expr, String> {
        let tok = self.peek().cloned();
        self.pos += 1;
        match tok {
            Some(Tok::Num(n)) => Ok(Expr::Num(n)),
            Some(Tok::Str(s)) => Ok(Expr::Str(s)),
            Some(Tok::Regex(r)) => Ok(Expr::Regex(r)),
            Some(Tok::Name(n)) if self.is_op("[") => Ok(Expr::Index(n, self.index_list()?)),
            Some(Tok::Name(n)) => Ok(Expr::Var(n)),
            Some(Tok::Op("$")) => {
                let inner = self.postfix_no_incdec()?;
                Ok(Expr::Field(Box::new(inner)))
            }
            Some(Tok::Op("(")) => {
                let e = self.expr()?;
                self.expect(")")?;
                Ok(e)
            }
            Some(Tok::Func(name)) => {
                let mut args = Vec::new();
                if self.is_op("(") {
                    self.pos += 1;
                    if !self.is_op(")") {
                        args.push(self.expr()?);
                        while self.is_op(",") {
                            self.pos += 1;
                            args.push(self.expr()?);
                        }
                    }
                    self.expect(")")?;
                }
                Ok(Expr::Call(name, args))
            }
            other => Err(format!(
                "syntax error at {:?}",
                other
                    .map(|t| format!("{t:?}"))
                    .unwrap_or_else(|| "end".into())
            )),
        }
    }

    fn postfix_no_incdec(&mut self) -> Result<Expr, String> {
        match self.peek().cloned() {
            Some(Tok::Op("-")) => {
                self.pos += 1;
                Ok(Expr::Unary("-", Box::new(self.primary()?)))
            }
            _ => self.primary(),
        }
    }
}

impl Program {
    pub fn parse(src: &str) -> Result<Program, String> {
        let toks = tokenize(src)?;
        let mut parser = Parser {
            toks,
            pos: 0,
            depth: 0,
        };
        parser.program()
    }

    /// Whether the program has rules other than `BEGIN` (otherwise awk never reads input).
    pub fn reads_input(&self) -> bool {
        self.rules.iter().any(|(p, _)| !matches!(p, Pattern::Begin))
    }

    pub fn run(
        &self,
        inputs: &[String],
        fs: Option<&str>,
        assigns: &[String],
        env: &[(String, String)],
    ) -> AwkResult {
        let mut m = Machine {
            vars: BTreeMap::new(),
            arrays: BTreeMap::new(),
            fields: vec![String::new()],
            out: String::new(),
            steps: 0,
            exit: None,
            error: None,
            env: env.to_vec(),
        };
        m.vars.insert(
            "FS".into(),
            Val::Str(fs.map(unescape_fs).unwrap_or_else(|| " ".into())),
        );
        m.vars.insert("OFS".into(), Val::Str(" ".into()));
        m.vars.insert("ORS".into(), Val::Str("\n".into()));
        m.vars.insert("NR".into(), Val::Num(0.0));
        m.vars.insert("SUBSEP".into(), Val::Str("\x1c".into()));
        for a in assigns {
            if let Some((n, v)) = a.split_once('=') {
                m.vars.insert(
                    n.to_string(),
                    Val::from_input(&format::unescape(v, false).0),
                );
            }
        }
        let mut exited = false;
        for (p, body) in &self.rules {
            if matches!(p, Pattern::Begin) && !exited {
                if let Flowed::Exit = m.run_block(body) {
                    exited = true;
                }
            }
        }
        if !exited && self.reads_input() {
            'records: for text in inputs {
                for line in text.lines() {
                    let nr = m.get("NR").num() + 1.0;
                    m.vars.insert("NR".into(), Val::Num(nr));
                    m.set_record(line);
                    for (p, body) in &self.rules {
                        let hit = match p {
                            Pattern::All => true,
                            Pattern::Expr(e) => m.eval(e).truthy(),
                            _ => false,
                        };
                        if hit {
                            match m.run_block(body) {
                                Flowed::Next => break,
                                Flowed::Exit => {
                                    exited = true;
                                    break 'records;
                                }
                                // `break`/`continue` outside a loop end the rule, as in busybox.
                                Flowed::Normal | Flowed::Break | Flowed::Continue => {}
                            }
                        }
                        if m.steps > MAX_STEPS {
                            break 'records;
                        }
                    }
                }
            }
        }
        let _ = exited;
        for (p, body) in &self.rules {
            if matches!(p, Pattern::End) && m.exit.is_none() {
                m.run_block(body);
            }
        }
        AwkResult {
            output: m.out,
            exit_code: m.exit,
            error: m.error,
            steps: m.steps,
        }
    }
}

fn unescape_fs(fs: &str) -> String {
    if fs == "\\t" || fs == "t" {
        "\t".into()
    } else {
        fs.to_string()
    }
}

enum Flowed {
    Normal,
    Break,
    Continue,
    Next,
    Exit,
}

struct Machine {
    vars: BTreeMap<String, Val>,
    /// Associative arrays by name: subscript (indexes joined with SUBSEP) to value.
    arrays: BTreeMap<String, BTreeMap<String, Val>>,
    fields: Vec<String>,
    out: String,
    steps: u64,
    exit: Option<i32>,
    error: Option<String>,
    env: Vec<(String, String)>,
}

impl Machine {
    fn get(&self, name: &str) -> Val {
        if name == "NF" {
            return Val::Num((self.fields.len() - 1) as f64);
        }
        if name == "ENVIRON" {
            return Val::Str(String::new());
        }
        self.vars
            .get(name)
            .cloned()
            .unwrap_or(Val::Str(String::new()))
    }

    fn set_record(&mut self, line: &str) {
        let fs = self.get("FS").text();
        let mut fields = vec![line.to_string()];
        if fs == " " {
            fields.extend(line.split_whitespace().map(String::from));
        } else if !line.is_empty() {
            fields.extend(line.split(fs.as_str()).map(String::from));
        }
        self.fields = fields;
    }

    fn rebuild_record(&mut self) {
        let ofs = self.get("OFS").text();
        self.fields[0] = self.fields[1..].join(&ofs);
    }

    fn run_block(&mut self, body: &[Stmt]) -> Flowed {
        for stmt in body {
            match self.exec(stmt) {
                Flowed::Normal => {}
                other => return other,
            }
        }
        Flowed::Normal
    }

    fn exec(&mut self, stmt: &Stmt) -> Flowed {
        self.steps += 1;
        if self.out.len() > 16 << 20 {
            return Flowed::Exit;
        }
        match stmt {
            Stmt::Print(args) => {
                let line = if args.is_empty() {
                    self.fields[0].clone()
                } else {
                    let ofs = self.get("OFS").text();
                    args.iter()
                        .map(|a| self.eval(a).text())
                        .collect::<Vec<_>>()
                        .join(&ofs)
                };
                let ors = self.get("ORS").text();
                self.out.push_str(&line);
                self.out.push_str(&ors);
            }
            Stmt::Printf(args) => {
                if let Some((fmt, rest)) = args.split_first() {
                    let fmt = self.eval(fmt).text();
                    let values: Vec<FmtArg> = rest.iter().map(|a| self.fmt_arg(a)).collect();
                    self.out.push_str(&format::printf_once(&fmt, &values));
                }
            }
            Stmt::Expr(e) => {
                self.eval(e);
            }
            Stmt::If(cond, then, other) => {
                if self.eval(cond).truthy() {
                    return self.exec(then);
                } else if let Some(o) = other {
                    return self.exec(o);
                }
            }
            Stmt::Block(body) => return self.run_block(body),
            Stmt::While(cond, body) => {
                while self.eval(cond).truthy() {
                    if let Some(flow) = self.loop_body(body) {
                        return flow;
                    }
                }
            }
            Stmt::For(init, cond, step, body) => {
                if let Some(init) = init {
                    self.eval(init);
                }
                while cond.as_ref().is_none_or(|c| self.eval(c).truthy()) {
                    if let Some(flow) = self.loop_body(body) {
                        return flow;
                    }
                    if let Some(step) = step {
                        self.eval(step);
                    }
                }
            }
            Stmt::ForIn(key, array, body) => {
                // The keys as they were when the loop started (the body may add or delete).
                let keys: Vec<String> = self
                    .arrays
                    .get(array)
                    .map(|a| a.keys().cloned().collect())
                    .unwrap_or_default();
                for k in keys {
                    self.vars.insert(key.clone(), Val::from_input(&k));
                    if let Some(flow) = self.loop_body(body) {
                        return flow;
                    }
                }
            }
            Stmt::Delete(array, index) => match index {
                Some(index) => {
                    let key = self.subscript(index);
                    if let Some(a) = self.arrays.get_mut(array) {
                        a.remove(&key);
                    }
                }
                None => {
                    self.arrays.remove(array);
                }
            },
            Stmt::Break => return Flowed::Break,
            Stmt::Continue => return Flowed::Continue,
            Stmt::Next => return Flowed::Next,
            Stmt::Exit(code) => {
                let c = code
                    .as_ref()
                    .map(|e| self.eval(e).num() as i32)
                    .unwrap_or(0);
                self.exit = Some(c);
                return Flowed::Exit;
            }
        }
        Flowed::Normal
    }

    /// One pass of a loop body: `None` to go on looping, or the flow to leave the loop with
    /// (`Normal` after `break`; `Exit`, with an error, once the program has run too long).
    fn loop_body(&mut self, body: &Stmt) -> Option<Flowed> {
        if self.steps > MAX_STEPS {
            self.error.get_or_insert_with(|| {
                format!("stopped after {MAX_STEPS} steps (a loop that never ends?)")
            });
            self.exit.get_or_insert(2);
            return Some(Flowed::Exit);
        }
        match self.exec(body) {
            Flowed::Normal | Flowed::Continue => None,
            Flowed::Break => Some(Flowed::Normal),
            other => Some(other),
        }
    }

    /// An array subscript: the indexes' texts joined with SUBSEP.
    fn subscript(&mut self, index: &[Expr]) -> String {
        let parts: Vec<String> = index.iter().map(|e| self.eval(e).text()).collect();
        parts.join(&self.get("SUBSEP").text())
    }

    fn fmt_arg(&mut self, e: &Expr) -> FmtArg {
        match self.eval(e) {
            Val::Num(n) => FmtArg::Num(n),
            Val::StrNum(s, _) | Val::Str(s) => FmtArg::Str(s),
        }
    }

    fn assign(&mut self, target: &Expr, value: Val) {
        match target {
            Expr::Var(name) => {
                self.vars.insert(name.clone(), value);
            }
            Expr::Index(array, index) => {
                let key = self.subscript(index);
                self.set_element(array, key, value);
            }
            Expr::Field(index) => {
                let i = self.eval(index).num().max(0.0) as usize;
                if i == 0 {
                    let line = value.text();
                    self.set_record(&line);
                } else if i < 10_000 {
                    while self.fields.len() <= i {
                        self.fields.push(String::new());
                    }
                    self.fields[i] = value.text();
                    self.rebuild_record();
                }
            }
            _ => {}
        }
    }

    fn eval(&mut self, e: &Expr) -> Val {
        self.steps += 1;
        match e {
            Expr::Num(n) => Val::Num(*n),
            Expr::Str(s) => Val::Str(s.clone()),
            Expr::Regex(r) => Val::Num(self.regex_match(r, &self.fields[0].clone()) as i32 as f64),
            Expr::Var(name) => self.get(name),
            Expr::Field(index) => {
                let i = self.eval(index).num().max(0.0) as usize;
                match self.fields.get(i) {
                    Some(f) => Val::from_input(f),
                    None => Val::Str(String::new()),
                }
            }
            Expr::Unary(op, inner) => {
                let v = self.eval(inner);
                match *op {
                    "!" => Val::Num((!v.truthy()) as i32 as f64),
                    "-" => Val::Num(-v.num()),
                    _ => Val::Num(v.num()),
                }
            }
            Expr::Concat(a, b) => {
                let a = self.eval(a).text();
                let b = self.eval(b).text();
                Val::Str(a + &b)
            }
            Expr::Assign(target, op, value) => {
                let rhs = self.eval(value);
                let new = match *op {
                    "=" => rhs,
                    _ => {
                        let cur = self.eval(target).num();
                        Val::Num(arith(&op[..1], cur, rhs.num()))
                    }
                };
                self.assign(target, new.clone());
                new
            }
            Expr::IncDec(target, delta, prefix) => {
                let old = self.eval(target).num();
                self.assign(target, Val::Num(old + delta));
                Val::Num(if *prefix { old + delta } else { old })
            }
            Expr::Binary("&&", a, b) => {
                Val::Num((self.eval(a).truthy() && self.eval(b).truthy()) as i32 as f64)
            }
            Expr::Binary("||", a, b) => {
                Val::Num((self.eval(a).truthy() || self.eval(b).truthy()) as i32 as f64)
            }
            Expr::Binary(op @ ("~" | "!~"), a, b) => {
                let text = self.eval(a).text();
                let re = match &**b {
                    Expr::Regex(r) => r.clone(),
                    other => self.eval(other).text(),
                };
                let m = self.regex_match(&re, &text);
                Val::Num((m == (*op == "~")) as i32 as f64)
            }
            Expr::Binary(op, a, b) => {
                let a = self.eval(a);
                let b = self.eval(b);
                if matches!(*op, "<" | "<=" | ">" | ">=" | "==" | "!=") {
                    let numeric = !matches!(a, Val::Str(_)) && !matches!(b, Val::Str(_));
                    let ord = if numeric {
                        a.num()
                            .partial_cmp(&b.num())
                            .unwrap_or(std::cmp::Ordering::Equal)
                    } else {
                        a.text().cmp(&b.text())
                    };
                    use std::cmp::Ordering::*;
                    let r = match *op {
                        "<" => ord == Less,
                        "<=" => ord != Greater,
                        ">" => ord == Greater,
                        ">=" => ord != Less,
                        "==" => ord == Equal,
                        _ => ord != Equal,
                    };
                    Val::Num(r as i32 as f64)
                } else {
                    Val::Num(arith(op, a.num(), b.num()))
                }
            }
            Expr::Index(array, index) => {
                // Reading an element creates it, as in every awk.
                let key = self.subscript(index);
                let element = self.arrays.get(array).and_then(|a| a.get(&key)).cloned();
                element.unwrap_or_else(|| {
                    self.set_element(array, key, Val::Str(String::new()));
                    Val::Str(String::new())
                })
            }
            Expr::In(key, array) => {
                let key = self.eval(key).text();
                let found = self.arrays.get(array).is_some_and(|a| a.contains_key(&key));
                Val::Num(found as i32 as f64)
            }
            Expr::Call(name, args) if name == "split" => self.split(args),
            Expr::Call(name, args) => self.call(name, args),
        }
    }

    /// Elements beyond this many per program are not stored (bounded memory); the program is told.
    fn set_element(&mut self, array: &str, key: String, value: Val) {
        const MAX_ELEMENTS: usize = 100_000;
        let total: usize = self.arrays.values().map(BTreeMap::len).sum();
        let a = self.arrays.entry(array.to_string()).or_default();
        if a.contains_key(&key) || total < MAX_ELEMENTS {
            a.insert(key, value);
        } else {
            self.error.get_or_insert_with(|| {
                format!("more than {MAX_ELEMENTS} array elements; the rest were not stored")
            });
        }
    }

    /// `split(text, array [, separator])`: fills `array[1..n]` and returns n.
    fn split(&mut self, args: &[Expr]) -> Val {
        let (Some(text), Some(Expr::Var(array))) = (args.first(), args.get(1)) else {
            self.error
                .get_or_insert_with(|| "split needs a text and an array name".into());
            return Val::Num(0.0);
        };
        let text = self.eval(text).text();
        let fs = match args.get(2) {
            Some(Expr::Regex(r)) => r.clone(),
            Some(e) => self.eval(e).text(),
            None => self.get("FS").text(),
        };
        let parts: Vec<String> = if fs == " " {
            text.split_whitespace().map(String::from).collect()
        } else if text.is_empty() {
            Vec::new()
        } else if fs.chars().count() == 1 {
            text.split(fs.as_str()).map(String::from).collect()
        } else {
            match regex_lite::Regex::new(&fs) {
                Ok(re) => re.split(&text).map(String::from).collect(),
                Err(_) => {
                    self.error
                        .get_or_insert_with(|| format!("bad regex '{fs}'"));
                    vec![text]
                }
            }
        };
        self.arrays.remove(array.as_str());
        let n = parts.len();
        for (i, part) in parts.into_iter().enumerate() {
            self.set_element(array, (i + 1).to_string(), Val::from_input(&part));
        }
        Val::Num(n as f64)
    }

    fn regex_match(&mut self, re: &str, text: &str) -> bool {
        match regex_lite::RegexBuilder::new(re)
            .size_limit(1 << 20)
            .build()
        {
            Ok(r) => r.is_match(text),
            Err(_) => {
                self.error
                    .get_or_insert_with(|| format!("bad regex '{re}'"));
                false
            }
        }
    }

    fn call(&mut self, name: &str, args: &[Expr]) -> Val {
        let vals: Vec<Val> = args.iter().map(|a| self.eval(a)).collect();
        let s = |i: usize| vals.get(i).map(|v| v.text()).unwrap_or_default();
        let n = |i: usize| vals.get(i).map(|v| v.num()).unwrap_or(0.0);
        match name {
            "?:" => {
                // Both branches were evaluated above; awk evaluates one, which only matters for
                // side effects the seeds' one-liners do not have.
                if vals.first().is_some_and(Val::truthy) {
                    vals[1].clone()
                } else {
                    vals[2].clone()
                }
            }
            "length" => {
                let text = if vals.is_empty() {
                    self.fields[0].clone()
                } else {
                    s(0)
                };
                Val::Num(text.chars().count() as f64)
            }
            "substr" => {
                let chars: Vec<char> = s(0).chars().collect();
                let start = n(1).round() as i64;
                let len = if vals.len() > 2 {
                    n(2).round() as i64
                } else {
                    i64::MAX / 2
                };
                let from = start.max(1);
                let to = (start.saturating_add(len)).min(chars.len() as i64 + 1);
                if to <= from {
                    return Val::Str(String::new());
                }
                Val::Str(
                    chars[(from - 1) as usize..(to - 1) as usize]
                        .iter()
                        .collect(),
                )
            }
            "index" => Val::Num(
                s(0).find(&s(1))
                    .map(|i| s(0)[..i].chars().count() + 1)
                    .unwrap_or(0) as f64,
            ),
            "int" => Val::Num(n(0).trunc()),
            "sqrt" => Val::Num(n(0).sqrt()),
            "toupper" => Val::Str(s(0).to_uppercase()),
            "tolower" => Val::Str(s(0).to_lowercase()),
            "sprintf" => {
                let fmt = s(0);
                let rest: Vec<FmtArg> = vals[1.min(vals.len())..]
                    .iter()
                    .map(|v| match v {
                        Val::Num(n) => FmtArg::Num(*n),
                        other => FmtArg::Str(other.text()),
                    })
                    .collect();
                Val::Str(format::printf_once(&fmt, &rest))
            }
            _ => {
                let _ = &self.env;
                Val::Str(String::new())
            }
        }
    }
}

fn arith(op: &str, a: f64, b: f64) -> f64 {
    match op {
        "+" => a + b,
        "-" => a - b,
        "*" => a * b,
        "/" => {
            if b == 0.0 {
                0.0
            } else {
                a / b
            }
        }
        "%" => {
            if b == 0.0 {
                0.0
            } else {
                a % b
            }
        }
        "^" => a.powf(b),
        _ => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(program: &str, input: &str, fs: Option<&str>) -> String {
        Program::parse(program)
            .expect("parses")
            .run(&[input.to_string()], fs, &[], &[])
            .output
    }

    #[test]
    fn begin_printf_as_in_the_observable_job() {
        assert_eq!(run("BEGIN {printf \"%.2f\", 7*100/10}", "", None), "70.00");
        assert_eq!(
            run("BEGIN {printf \"%.2f\", 10*100/10}", "", None),
            "100.00"
        );
    }

    #[test]
    fn fields_patterns_and_end() {
        assert_eq!(run("{print $2}", "a b c\nd e f\n", None), "b\ne\n");
        assert_eq!(
            run(
                "$3 > 10 {s += $3} END {print s}",
                "a,b,5\nc,d,20\ne,f,30\n",
                Some(",")
            ),
            "50\n"
        );
        assert_eq!(
            run(
                "/err/ {n++} END {print n+0, NR}",
                "ok\nerr 1\nerr 2\n",
                None
            ),
            "2 3\n"
        );
        assert_eq!(run("{print NF \":\" $NF}", "a b c\n", None), "3:c\n");
    }

    #[test]
    fn unsupported_constructs_are_errors() {
        assert_eq!(
            Program::parse("{ gsub(/a/, \"b\") }").err().as_deref(),
            Some("'gsub' is not supported")
        );
        assert!(Program::parse("BEGIN { print (").is_err());
        assert!(Program::parse("BEGIN { for (i = 0; i < 3) print i }").is_err());
    }

    #[test]
    fn loops_count_and_stop() {
        assert_eq!(
            run(
                "BEGIN { for (i = 1; i <= 3; i++) print \"item\", i }",
                "",
                None
            ),
            "item 1\nitem 2\nitem 3\n"
        );
        assert_eq!(
            run("BEGIN { n = 0; while (n < 10) { n++; if (n % 2) continue; if (n > 6) break; printf \"%d \", n } print \"\" }", "", None),
            "2 4 6 \n"
        );
        // A record loop over the fields.
        assert_eq!(
            run(
                "{ s = 0; for (i = 1; i <= NF; i++) s += $i; print s }",
                "1 2 3\n10 20\n",
                None
            ),
            "6\n30\n"
        );
    }

    #[test]
    fn arrays_count_by_key_in_sorted_order() {
        let log = "200 /a\n404 /b\n200 /c\n500 /d\n200 /e\n";
        assert_eq!(
            run(
                "{ count[$1]++ } END { for (code in count) print code, count[code] }",
                log,
                None
            ),
            "200 3\n404 1\n500 1\n"
        );
        assert_eq!(
            run("{ seen[$1] = 1 } END { x = (\"404\" in seen); y = \"302\" in seen; print x, y; delete seen[\"404\"]; if (!(\"404\" in seen)) print \"gone\" }", log, None),
            "1 0\ngone\n"
        );
        assert_eq!(
            run("BEGIN { a[1, 2] = \"x\"; for (k in a) { split(k, parts, SUBSEP); print parts[1] \"-\" parts[2] } }", "", None),
            "1-2\n"
        );
    }

    #[test]
    fn split_fills_an_array_and_returns_the_count() {
        assert_eq!(
            run(
                "BEGIN { n = split(\"a,b,,c\", parts, \",\"); print n, parts[1], parts[4] }",
                "",
                None
            ),
            "4 a c\n"
        );
        assert_eq!(
            run(
                "{ n = split($0, w); print n, w[n] }",
                "  one two  three \n",
                None
            ),
            "3 three\n"
        );
    }

    #[test]
    fn a_loop_that_never_ends_is_stopped_with_an_error() {
        let result = Program::parse("BEGIN { while (1) x++ } END { print \"never\" }")
            .expect("parses")
            .run(&[], None, &[], &[]);
        assert_eq!(result.output, "");
        assert_eq!(result.exit_code, Some(2));
        assert_eq!(
            result.error.as_deref(),
            Some("stopped after 5000000 steps (a loop that never ends?)")
        );
        let result =
            Program::parse("BEGIN { for (i = 0; i < 200000; i++) a[i] = i; print length(\"x\") }")
                .expect("parses")
                .run(&[], None, &[], &[]);
        assert_eq!(
            result.error.as_deref(),
            Some("more than 100000 array elements; the rest were not stored")
        );
    }
}
