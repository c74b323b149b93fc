//! The course as files: the course index (`lessons/course.yaml`) and one Markdown file per unit with
//! YAML front matter. This module turns those texts into a `Course`, reporting every problem as a
//! `Diagnostic` with the file's line and column, never panicking on what an instructor writes.
//!
//! The authoring guide is `lessons/README.md`.

use crate::diag::{Diagnostic, Severity, Span};
use serde::{Deserialize, Serialize};

/// The course index: the units in the order learners take them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseIndex {
    pub title: String,
    /// Unit file names, relative to the `lessons/` directory.
    pub units: Vec<String>,
}

/// A unit's front matter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UnitMeta {
    pub id: String,
    pub title: String,
    pub summary: String,
    /// Estimated time to complete, in minutes.
    pub minutes: u32,
}

/// One unit: its front matter and the Markdown body after it.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    pub file: String,
    pub meta: UnitMeta,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Course {
    pub title: String,
    pub units: Vec<Unit>,
}

/// A lesson file's diagnostic: which file it is about, and what.
#[derive(Debug, Clone, PartialEq)]
pub struct FileDiagnostic {
    pub file: String,
    pub diagnostic: Diagnostic,
}

/// Build the course from the index text and a lookup for unit files. Returns the units that loaded
/// and every problem found; a broken unit is left out, never the whole course.
pub fn load_course(
    index_text: &str,
    read_unit: impl Fn(&str) -> Option<String>,
) -> (Option<Course>, Vec<FileDiagnostic>) {
    let mut problems = Vec::new();
    let index: CourseIndex = match serde_yaml::from_str(index_text) {
        Ok(index) => index,
        Err(e) => {
            problems.push(FileDiagnostic {
                file: "course.yaml".into(),
                diagnostic: yaml_error(&e, "the course index"),
            });
            return (None, problems);
        }
    };
    let mut units = Vec::new();
    for file in &index.units {
        match read_unit(file) {
            None => problems.push(FileDiagnostic {
                file: "course.yaml".into(),
                diagnostic: Diagnostic::new(
                    Severity::Error,
                    "lesson",
                    format!("the course index lists `{file}`, but there is no such file"),
                ),
            }),
            Some(text) => match parse_unit(file, &text) {
                Ok(unit) => units.push(unit),
                Err(d) => problems.push(FileDiagnostic {
                    file: file.clone(),
                    diagnostic: d,
                }),
            },
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for unit in &units {
        if !seen.insert(unit.meta.id.clone()) {
            problems.push(FileDiagnostic {
                file: unit.file.clone(),
                diagnostic: Diagnostic::new(
                    Severity::Error,
                    "lesson",
                    format!("unit id `{}` is used by more than one unit", unit.meta.id),
                )
                .at("id", Span::point(2, 1)),
            });
        }
    }
    (
        Some(Course {
            title: index.title,
            units,
        }),
        problems,
    )
}

/// Split a unit file into front matter (between two `---` lines at the top) and body.
pub fn parse_unit(file: &str, text: &str) -> Result<Unit, Diagnostic> {
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
        .ok_or_else(|| {
            Diagnostic::new(
                Severity::Error,
                "lesson",
                "a unit file must start with a `---` line that opens its front matter",
            )
            .at("", Span::point(1, 1))
        })?;
    let end = rest.find("\n---").ok_or_else(|| {
        Diagnostic::new(
            Severity::Error,
            "lesson",
            "the front matter is never closed with a `---` line",
        )
        .at("", Span::point(1, 1))
    })?;
    let front = &rest[..end + 1];
    let body = rest[end + 4..].trim_start_matches(['\r', '\n']);
    let meta: UnitMeta = serde_yaml::from_str(front).map_err(|e| {
        let mut d = yaml_error(&e, "the front matter");
        // The front matter starts on line 2 of the file.
        d.span.line += 1;
        d.span.end_line += 1;
        d
    })?;
    Ok(Unit {
        file: file.to_string(),
        meta,
        body: body.to_string(),
    })
}

fn yaml_error(e: &serde_yaml::Error, what: &str) -> Diagnostic {
    let span = e
        .location()
        .map(|l| Span::point(l.line() as u32, l.column() as u32))
        .unwrap_or_else(|| Span::point(1, 1));
    Diagnostic::new(
        Severity::Error,
        "lesson",
        format!("{what} is not valid: {e}"),
    )
    .at("", span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unit_splits_into_front_matter_and_body() {
        let unit = parse_unit(
            "u.md",
            "---\nid: first-job\ntitle: Your first Job\nsummary: Run to completion.\nminutes: 30\n---\n\n# Hello\n",
        )
        .unwrap();
        assert_eq!(unit.meta.id, "first-job");
        assert_eq!(unit.meta.minutes, 30);
        assert_eq!(unit.body, "# Hello\n");
    }

    #[test]
    fn a_bad_front_matter_field_is_reported_at_its_file_line() {
        let err = parse_unit(
            "u.md",
            "---\nid: x\ntitel: T\nsummary: s\nminutes: 3\n---\nbody",
        )
        .unwrap_err();
        assert!(
            err.message.contains("unknown field `titel`"),
            "{}",
            err.message
        );
        assert_eq!(err.span.line, 3);
    }

    #[test]
    fn a_missing_unit_file_is_reported_and_the_rest_still_load() {
        let (course, problems) = load_course("title: C\nunits: [a.md, gone.md]\n", |f| {
            (f == "a.md")
                .then(|| "---\nid: a\ntitle: A\nsummary: s\nminutes: 1\n---\nx".to_string())
        });
        assert_eq!(course.unwrap().units.len(), 1);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].diagnostic.message.contains("gone.md"));
    }
}
