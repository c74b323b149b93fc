//! The syntax tree of a shell script, as the parser builds it and the interpreter walks it.
//!
//! Words keep their quoting (each part knows whether it was inside quotes) because quoting decides
//! field splitting and pattern matching at run time, not at parse time.

use std::rc::Rc;

/// A sequence of and-or lists separated by `;`, `&` or newlines.
pub type List = Vec<AndOr>;

/// `a && b || c`, optionally run in the background (`&`).
#[derive(Debug, Clone)]
pub struct AndOr {
    pub first: Pipeline,
    /// Each following pipeline with `true` for `&&`, `false` for `||`.
    pub rest: Vec<(bool, Pipeline)>,
    pub background: bool,
}

/// `[!] cmd | cmd | …`
#[derive(Debug, Clone)]
pub struct Pipeline {
    pub bang: bool,
    pub commands: Vec<Command>,
}

#[derive(Debug, Clone)]
pub enum Command {
    Simple(Simple),
    Compound(Box<Compound>, Vec<Redir>),
    /// `name() body`: defining a function is itself a command.
    FunctionDef(String, Rc<Command>),
}

#[derive(Debug, Clone)]
pub struct Simple {
    pub assigns: Vec<(String, Word)>,
    pub words: Vec<Word>,
    pub redirs: Vec<Redir>,
    /// 1-based line of the command, for error messages.
    pub line: u32,
}

#[derive(Debug, Clone)]
pub enum Compound {
    Group(List),
    Subshell(List),
    /// `if c1; then b1; elif c2; then b2; else b3; fi`
    If(Vec<(List, List)>, Option<List>),
    /// `while`/`until` loops (`until` negates the condition).
    Loop {
        until: bool,
        cond: List,
        body: List,
        line: u32,
    },
    For {
        var: String,
        /// `None` for `for x; do` (iterates over `"$@"`).
        items: Option<Vec<Word>>,
        body: List,
        line: u32,
    },
    Case(Word, Vec<CaseArm>),
}

#[derive(Debug, Clone)]
pub struct CaseArm {
    pub patterns: Vec<Word>,
    pub body: List,
}

#[derive(Debug, Clone)]
pub struct Redir {
    pub fd: u32,
    pub kind: RedirKind,
    pub target: Word,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirKind {
    /// `>` (and `>|`)
    Out,
    /// `>>`
    Append,
    /// `<`
    In,
    /// `>&N`
    DupOut,
    /// `<&N`
    DupIn,
    /// `<>`
    ReadWrite,
    /// `<<DELIM` and `<<<word`: the target word is the document itself.
    HereDoc,
}

/// A word: concatenated parts, each remembering whether it was quoted.
#[derive(Debug, Clone, Default)]
pub struct Word {
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone)]
pub enum Part {
    Lit {
        text: String,
        quoted: bool,
    },
    Param {
        name: String,
        op: ParamOp,
        quoted: bool,
    },
    CommandSub {
        body: Rc<List>,
        quoted: bool,
    },
    Arith {
        expr: Word,
        quoted: bool,
    },
}

impl Part {
    pub fn quoted(&self) -> bool {
        match self {
            Part::Lit { quoted, .. }
            | Part::Param { quoted, .. }
            | Part::CommandSub { quoted, .. }
            | Part::Arith { quoted, .. } => *quoted,
        }
    }
}

/// What `${name…}` does with the value.
#[derive(Debug, Clone)]
pub enum ParamOp {
    Plain,
    /// `${#name}`
    Length,
    /// `${name:-word}` (colon: also when set but empty)
    Default {
        colon: bool,
        word: Word,
    },
    /// `${name:=word}`
    Assign {
        colon: bool,
        word: Word,
    },
    /// `${name:+word}`
    Alternative {
        colon: bool,
        word: Word,
    },
    /// `${name:?word}`
    Error {
        colon: bool,
        word: Word,
    },
    /// `${name%pat}` / `${name%%pat}`
    TrimSuffix {
        longest: bool,
        pattern: Word,
    },
    /// `${name#pat}` / `${name##pat}`
    TrimPrefix {
        longest: bool,
        pattern: Word,
    },
    /// `${name/pat/rep}` / `${name//pat/rep}` (busybox ash's bash extension)
    Replace {
        all: bool,
        pattern: Word,
        with: Word,
    },
    /// `${name:offset}` / `${name:offset:length}` (bash extension ash supports)
    Substring {
        offset: Word,
        length: Option<Word>,
    },
}

impl Word {
    pub fn literal(text: &str) -> Word {
        Word {
            parts: vec![Part::Lit {
                text: text.to_string(),
                quoted: false,
            }],
        }
    }
}
