//! Diagnostics: the one shape in which anything wrong with a learner's text is reported.
//!
//! Parsing, validation, lint, schedules and lesson files all produce `Diagnostic` values; nothing a
//! user can type is reported by panicking. A diagnostic points at the text with a 1-based line and
//! column range and, where it concerns a field, names it by its Kubernetes field path
//! (`spec.template.spec.containers[0].image`).

use serde::{Deserialize, Serialize};

/// How bad a diagnostic is. `Error` is what the API server would reject; `Warning` is what a
/// production reviewer would flag; `Info` is a note (e.g. a kind that is recognised but not simulated).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A range in the source text. Lines and columns are 1-based; columns count characters (not bytes),
/// as an editor shows them. `end_*` is exclusive of the last character's successor, i.e. a span of
/// one character on line 3, column 5 is `{3, 5, 3, 6}`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct Span {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

impl Span {
    pub fn new(line: u32, column: u32, end_line: u32, end_column: u32) -> Span {
        Span {
            line,
            column,
            end_line,
            end_column,
        }
    }

    /// A span covering one position (used for parser errors that have a point, not a range).
    pub fn point(line: u32, column: u32) -> Span {
        Span {
            line,
            column,
            end_line: line,
            end_column: column + 1,
        }
    }
}

/// One finding about a piece of text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable code: `yaml` (syntax), `schema` (unknown field, wrong type), `api` (API-server
    /// validation), `ref` (cross-object reference), `BL-…-nnn` (lint rules), `lesson` (unit files).
    pub code: String,
    /// The Kubernetes field path, e.g. `spec.template.spec.restartPolicy`; empty for whole-document
    /// or syntax findings.
    pub path: String,
    /// Index of the YAML document (0-based) in a multi-document text.
    pub document: usize,
    pub span: Span,
    /// The message, worded as the real API server or controller words it where there is one.
    pub message: String,
    /// What to do about it, for learners. May be empty.
    pub help: String,
}

impl Diagnostic {
    pub fn new(
        severity: Severity,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity,
            code: code.into(),
            path: String::new(),
            document: 0,
            span: Span::default(),
            message: message.into(),
            help: String::new(),
        }
    }

    pub fn at(mut self, path: impl Into<String>, span: Span) -> Diagnostic {
        self.path = path.into();
        self.span = span;
        self
    }

    pub fn in_document(mut self, document: usize) -> Diagnostic {
        self.document = document;
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = help.into();
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}
