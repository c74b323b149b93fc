//! Playground examples: ready-made runs the playground offers as starting points.
//!
//! They live in one YAML file of `lessons/` (the course index names it with `examples:`), a list of
//! entries with an id, a title, a one-line summary, the manifests and, optionally, a scenario:
//!
//! ```yaml
//! - id: flaky-retries
//!   title: A flaky worker and backoffLimit
//!   summary: Two failed runs, the pod-failure back-off between them, then success.
//!   manifest: |
//!     apiVersion: batch/v1
//!     kind: Job
//!     …
//!   scenario: |
//!     containers: {worker: {runs: [{exitCode: 1}, {exitCode: 1}]}}
//! ```
//!
//! An example is something a learner opens, changes and shares, so `batchlab check` proves each
//! one opens onto a clean run: the manifests have no errors (warnings are fine: reviewers' advice is
//! part of the lesson), they hold a Job or a CronJob, the scenario is valid, and the run ends
//! within the simulator's bounds.

use super::{lesson_error, yaml_error, FileDiagnostic};
use crate::diag::Diagnostic;
use crate::lint::LintConfig;
use crate::sim::{self, SimInput};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// One playground example.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Example {
    /// Stable id (the playground's menu value).
    pub id: String,
    pub title: String,
    /// One line on what the run shows.
    pub summary: String,
    pub manifest: String,
    /// Scenario YAML; empty for the simulator's defaults.
    pub scenario: String,
    /// The file it comes from (relative to `lessons/`) and the line of its entry there.
    pub file: String,
    pub line: u32,
}

/// An entry as written in the file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    id: String,
    title: String,
    summary: String,
    manifest: String,
    #[serde(default)]
    scenario: String,
}

/// Read an examples file. A broken file gives no examples and one diagnostic at its line; an
/// entry with a duplicate or empty id is left out and reported.
pub fn parse_examples(file: &str, text: &str) -> (Vec<Example>, Vec<FileDiagnostic>) {
    let problem = |diagnostic: Diagnostic| FileDiagnostic {
        file: file.to_string(),
        diagnostic,
    };
    if text.len() > super::MAX_FILE_BYTES {
        let message = format!(
            "the examples file is {} bytes; the limit is {} bytes",
            text.len(),
            super::MAX_FILE_BYTES
        );
        return (Vec::new(), vec![problem(lesson_error(message, 1))]);
    }
    let entries: Vec<Entry> = match crate::yaml::de::from_str(text) {
        Ok(entries) => entries,
        Err(e) => {
            return (
                Vec::new(),
                vec![problem(yaml_error(&e, "the examples file", 0))],
            )
        }
    };
    let mut seen = BTreeSet::new();
    let mut examples = Vec::new();
    let mut problems = Vec::new();
    for (n, entry) in entries.into_iter().enumerate() {
        let line = entry_line(text, n);
        if entry.id.trim().is_empty() {
            problems.push(problem(lesson_error("an example has an empty `id`", line)));
            continue;
        }
        if !seen.insert(entry.id.clone()) {
            let message = format!("example id `{}` is used more than once", entry.id);
            problems.push(problem(lesson_error(message, line)));
            continue;
        }
        examples.push(Example {
            id: entry.id,
            title: entry.title,
            summary: entry.summary,
            manifest: entry.manifest,
            scenario: entry.scenario,
            file: file.to_string(),
            line,
        });
    }
    (examples, problems)
}

/// Everything wrong with an example as a learner would meet it, in words (empty when it opens onto
/// a clean run).
pub fn example_problems(example: &Example) -> Vec<String> {
    let mut found = Vec::new();
    let analysis = crate::analyze(&example.manifest, &LintConfig::default());
    for d in analysis.errors() {
        found.push(format!(
            "its manifest has an error at line {}: {}{}",
            d.span.line,
            if d.path.is_empty() {
                String::new()
            } else {
                format!("{}: ", d.path)
            },
            d.message
        ));
    }
    let input = SimInput::from_bundle(&analysis.bundle);
    if input.jobs.is_empty() && input.cron_jobs.is_empty() {
        found.push("its manifest holds no Job or CronJob, so nothing runs".into());
    }
    let scenario = match sim::parse_scenario(&example.scenario) {
        Ok(scenario) => scenario,
        Err(problems) => {
            found.extend(problems.iter().map(|d| {
                format!(
                    "its scenario has an error at line {}: {}",
                    d.span.line, d.message
                )
            }));
            return found;
        }
    };
    if found.is_empty() {
        if let Some(why) = sim::simulate(&input, &scenario).truncated {
            found.push(format!("its run stops early: {why}"));
        }
    }
    found
}

/// Where a unit links to a playground example: `#/playground/example/<id>`.
pub const LINK_PREFIX: &str = "#/playground/example/";

/// Every link to an example in a Markdown text: (1-based line within the text, example id).
pub fn example_links(markdown: &str) -> Vec<(u32, &str)> {
    let mut links = Vec::new();
    for (i, line) in markdown.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find(LINK_PREFIX) {
            rest = &rest[at + LINK_PREFIX.len()..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(rest.len());
            links.push((i as u32 + 1, &rest[..end]));
            rest = &rest[end..];
        }
    }
    links
}

/// The line of the `n`th entry: the `n`th line that starts a top-level list item (`- `), or 1.
fn entry_line(text: &str, n: usize) -> u32 {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("- ") || *l == "-")
        .nth(n)
        .map(|(i, _)| i as u32 + 1)
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const JOB: &str = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox:1.36}]\n";

    /// An examples file with `JOB` standing for the Job as a block scalar's body.
    fn file(entries: &str) -> String {
        let body: String = JOB.lines().map(|l| format!("    {l}\n")).collect();
        entries.replace("    JOB", &body)
    }

    #[test]
    fn entries_are_read_with_their_lines() {
        let text = file("# examples\n- id: one\n  title: One\n  summary: s\n  manifest: |\n    JOB- id: two\n  title: Two\n  summary: s\n  manifest: |\n    JOB  scenario: |\n    seed: 3\n");
        let (examples, problems) = parse_examples("examples.yaml", &text);
        assert_eq!(problems, vec![]);
        let ids: Vec<(&str, u32)> = examples.iter().map(|e| (e.id.as_str(), e.line)).collect();
        assert_eq!(ids, vec![("one", 2), ("two", 14)]);
        assert_eq!(examples[1].scenario, "seed: 3\n");
        assert!(examples.iter().all(|e| example_problems(e).is_empty()));
    }

    #[test]
    fn a_duplicate_id_and_an_unknown_field_are_reported_at_their_lines() {
        let text = file("- id: one\n  title: One\n  summary: s\n  manifest: |\n    JOB- id: one\n  title: Again\n  summary: s\n  manifest: |\n    JOB");
        let (examples, problems) = parse_examples("examples.yaml", &text);
        assert_eq!(examples.len(), 1);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].diagnostic.span.line, 13);
        assert!(problems[0]
            .diagnostic
            .message
            .contains("example id `one` is used more than once"));

        let (examples, problems) =
            parse_examples("examples.yaml", "- id: x\n  title: X\n  sumary: s\n");
        assert!(examples.is_empty());
        assert_eq!(problems[0].diagnostic.span.line, 3, "{problems:?}");
        assert!(problems[0].diagnostic.message.contains("sumary"));
    }

    #[test]
    fn links_to_examples_are_found_with_their_lines() {
        let text = "Intro.\n\n[Open it](#/playground/example/cron-dst-night) or\n[that](#/playground/example/oom-killed), not [this](#/playground).\n";
        assert_eq!(
            example_links(text),
            vec![(3, "cron-dst-night"), (4, "oom-killed")]
        );
    }

    #[test]
    fn an_example_that_would_open_onto_errors_is_a_problem() {
        let broken = Example {
            id: "b".into(),
            title: "B".into(),
            summary: "s".into(),
            manifest: JOB.replace("Never", "Always"),
            scenario: "sed: 1\n".into(),
            file: "examples.yaml".into(),
            line: 1,
        };
        let found = example_problems(&broken);
        assert!(
            found[0].starts_with("its manifest has an error at line 7: spec.template.spec.restartPolicy: Required value"),
            "{found:?}"
        );
        assert!(
            found[1].starts_with("its scenario has an error at line 1:")
                && found[1].contains("sed"),
            "{found:?}"
        );

        let bounded = Example {
            manifest: JOB.replace(
                "busybox:1.36}",
                "busybox:1.36, command: [sh, -c, 'exit 1']}",
            ),
            scenario: "limits: {maxPods: 2}\n".into(),
            ..broken
        };
        let found = example_problems(&bounded);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("its run stops early:"), "{found:?}");
    }
}
