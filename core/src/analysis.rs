//! One call for everything Batch Lab says about a manifest text: parse, validate and lint.
//!
//! The app (on every edit), the `batchlab validate` command and the lesson grader all call
//! [`analyze`], so a learner sees the same findings everywhere.

use crate::diag::Diagnostic;
use crate::lint::{self, LintConfig};
use crate::manifest::{self, Bundle};
use crate::validate;

/// The typed objects of a text and every finding about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub bundle: Bundle,
    /// Syntax, structural, API-validation, reference and lint findings, sorted by document, then
    /// line, then column (findings at the same place keep the order above).
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    /// True if any finding is an error (what the API server would reject).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }
}

/// Parse, validate and lint a multi-document manifest text.
pub fn analyze(text: &str, config: &LintConfig) -> Analysis {
    let bundle = manifest::parse(text);
    let mut diagnostics = bundle.diagnostics.clone();
    diagnostics.extend(validate::validate(&bundle));
    diagnostics.extend(lint::lint(&bundle, config));
    crate::sort::sort_by_key(&mut diagnostics, |d| {
        (d.document, d.span.line, d.span.column)
    });
    Analysis {
        bundle,
        diagnostics,
    }
}
