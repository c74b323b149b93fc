//! `batchlab check`'s logic: load the course and prove every exercise is gradable and graded right.
//!
//! For each exercise: every field path a goal or hint names exists in the Job/CronJob schema; the
//! reference solution meets every goal; the starter fails at least one goal (or, for exploration
//! exercises marked `starterPasses: true`, meets them all). Goals the current build cannot check
//! (an engine part not yet present) are counted and reported, never counted as passed.

use super::{lesson_error, load_course, Course, Exercise, FileDiagnostic};
use crate::grade::{self, schema, GoalResult};
use serde::Serialize;

/// What `batchlab check` found.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckReport {
    pub units: usize,
    pub exercises: usize,
    pub goals: usize,
    /// Playground examples checked.
    pub examples: usize,
    /// Goal gradings (solution and starter) the build could not perform, with why.
    pub unchecked: Vec<String>,
    pub problems: Vec<FileDiagnostic>,
    /// Every exercise's goal results for its solution and its starter, for authors to read
    /// (`batchlab check --verbose`).
    pub gradings: Vec<ExerciseGrading>,
}

/// How an exercise's reference solution and starter fared.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExerciseGrading {
    pub unit: String,
    pub exercise: String,
    pub solution: Vec<GoalResult>,
    pub starter: Vec<GoalResult>,
}

impl CheckReport {
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.diagnostic.is_error())
    }
}

/// Check the course given its index and a reader for unit files (paths relative to `lessons/`).
pub fn check_course(index_text: &str, read_unit: impl Fn(&str) -> Option<String>) -> CheckReport {
    let (course, mut problems) = load_course(index_text, read_unit);
    let mut report = CheckReport {
        units: 0,
        exercises: 0,
        goals: 0,
        examples: 0,
        unchecked: Vec::new(),
        problems: Vec::new(),
        gradings: Vec::new(),
    };
    if let Some(course) = &course {
        check_exercises(course, &mut report, &mut problems);
        check_examples(course, &mut report, &mut problems);
        check_example_links(course, &mut problems);
    }
    report.problems = problems;
    report
}

fn check_exercises(course: &Course, report: &mut CheckReport, problems: &mut Vec<FileDiagnostic>) {
    report.units = course.units.len();
    for unit in &course.units {
        for exercise in unit.exercises() {
            report.exercises += 1;
            report.goals += exercise.goals.len();
            let mut found = Vec::new();
            check_paths(exercise, &mut found);
            check_lint_codes(exercise, &mut found);
            let solution = grade::grade(exercise, &exercise.solution);
            let starter = grade::grade(exercise, &exercise.starter);
            check_solution(exercise, &solution, &mut found, &mut report.unchecked);
            check_starter(exercise, &starter, &mut found, &mut report.unchecked);
            report.gradings.push(ExerciseGrading {
                unit: unit.meta.id.clone(),
                exercise: exercise.id.clone(),
                solution,
                starter,
            });
            problems.extend(found.into_iter().map(|message| FileDiagnostic {
                file: unit.file.clone(),
                diagnostic: lesson_error(
                    format!("exercise `{}`: {message}", exercise.id),
                    exercise.line,
                ),
            }));
        }
    }
}

/// Every playground example opens onto a clean run (see `examples::example_problems`).
fn check_examples(course: &Course, report: &mut CheckReport, problems: &mut Vec<FileDiagnostic>) {
    for example in &course.examples {
        report.examples += 1;
        for message in super::examples::example_problems(example) {
            problems.push(FileDiagnostic {
                file: example.file.clone(),
                diagnostic: lesson_error(
                    format!("example `{}`: {message}", example.id),
                    example.line,
                ),
            });
        }
    }
}

/// Every `#/playground/example/<id>` link in a unit names an example of the course.
fn check_example_links(course: &Course, problems: &mut Vec<FileDiagnostic>) {
    let ids: Vec<&str> = course.examples.iter().map(|e| e.id.as_str()).collect();
    for unit in &course.units {
        for (line, id) in super::examples::example_links(&unit.body) {
            if ids.contains(&id) {
                continue;
            }
            let hint = grade::suggest(id, &ids)
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            problems.push(FileDiagnostic {
                file: unit.file.clone(),
                diagnostic: lesson_error(
                    format!("the link to playground example `{id}` names no example{hint}"),
                    unit.body_line + line - 1,
                ),
            });
        }
    }
}

/// Every path named by a goal or a hint exists in the schema of its object's kind (for a hint or a
/// goal without `object:`, in Job or CronJob).
fn check_paths(exercise: &Exercise, found: &mut Vec<String>) {
    for (object, path_text) in grade::named_paths(exercise) {
        let path = match grade::FieldPath::parse(&path_text) {
            Ok(path) => path,
            Err(e) => {
                found.push(format!("the path {e}"));
                continue;
            }
        };
        let kinds: Vec<&str> = match &object.kind {
            Some(kind) if schema::knows_kind(kind) => vec![kind.as_str()],
            Some(kind) => {
                found.push(format!("`{kind}` is not a kind whose fields are known"));
                continue;
            }
            None => vec!["Job", "CronJob"],
        };
        let results: Vec<Result<(), String>> =
            kinds.iter().map(|k| schema::check_path(k, &path)).collect();
        if results.iter().all(Result::is_err) {
            if let Some(Err(first)) = results.into_iter().next() {
                found.push(first);
            }
        }
    }
}

/// Lint codes in `lint:` and in lint goals name real rules (or `all`).
fn check_lint_codes(exercise: &Exercise, found: &mut Vec<String>) {
    let goal_codes = exercise.goals.iter().filter_map(|g| match &g.kind {
        grade::GoalKind::Lint { rule } => Some(rule),
        _ => None,
    });
    for code in exercise.lint.iter().chain(goal_codes) {
        if code != "all" && crate::lint::rule_by_code(code).is_none() {
            let codes: Vec<&str> = crate::lint::RULES.iter().map(|r| r.code).collect();
            let hint = grade::suggest(code, &codes)
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            found.push(format!("`{code}` is not a lint rule{hint}"));
        }
    }
}

fn check_solution(
    exercise: &Exercise,
    results: &[GoalResult],
    found: &mut Vec<String>,
    unchecked: &mut Vec<String>,
) {
    for (i, r) in results.iter().enumerate() {
        if r.unavailable {
            unchecked.push(format!(
                "{}: solution, goal {}: {}",
                exercise.id,
                i + 1,
                r.observed
            ));
        } else if !r.passed {
            found.push(format!(
                "the reference solution fails goal {} ({}): {}",
                i + 1,
                r.says,
                r.observed
            ));
        }
    }
}

fn check_starter(
    exercise: &Exercise,
    results: &[GoalResult],
    found: &mut Vec<String>,
    unchecked: &mut Vec<String>,
) {
    let definitely_failed = results.iter().any(|r| !r.passed && !r.unavailable);
    let unavailable: Vec<&GoalResult> = results.iter().filter(|r| r.unavailable).collect();
    if exercise.starter_passes {
        for (i, r) in results.iter().enumerate() {
            if !r.passed && !r.unavailable {
                found.push(format!(
                    "the starter is marked `starterPasses: true` but fails goal {} ({}): {}",
                    i + 1,
                    r.says,
                    r.observed
                ));
            }
        }
        for r in unavailable {
            unchecked.push(format!("{}: starter: {}", exercise.id, r.observed));
        }
    } else if !definitely_failed {
        if unavailable.is_empty() {
            found.push(
                "the starter already meets every goal; change the starter, add a goal it fails, or mark the exercise `starterPasses: true`"
                    .into(),
            );
        } else {
            unchecked.push(format!(
                "{}: starter: no checkable goal fails; {} goal(s) cannot be checked: {}",
                exercise.id,
                unavailable.len(),
                unavailable[0].observed
            ));
        }
    }
}
