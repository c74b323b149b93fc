//! The course as files: the course index (`lessons/course.yaml`) and one Markdown file per unit.
//!
//! A unit file is plain text an instructor edits in any editor and reviews in a pull request:
//!
//! - YAML front matter between two `---` lines: id, title, summary, minutes, objectives, reflection;
//! - Markdown prose, cut into sections at each `## ` heading (`## Title {#stable-id}` pins the id);
//! - fenced blocks whose info string names an interactive part — `exercise`, `quiz`, `checklist`,
//!   `confidence` — and whose body is YAML. Every other fenced block (```` ```yaml ```` examples,
//!   shell transcripts) stays in the prose as a read-only example.
//!
//! This module turns those texts into a `Course`, reporting every problem as a `Diagnostic` at the
//! file's own line and column (a YAML error inside a block is moved by the block's first line), and
//! never panicking on what an instructor writes: a broken block is left out and reported, the rest of
//! the unit still loads. Goals inside exercises are parsed by `grade`, which also checks them.
//!
//! The authoring guide, with every block by example, is `lessons/README.md`.

use crate::diag::{Diagnostic, Severity, Span};
use crate::grade::{self, Goal};
use crate::yaml::{self, de::OrderedMap};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Lesson files larger than this are refused (a unit is prose, not a data dump).
pub const MAX_FILE_BYTES: usize = 1 << 20;

/// The interactive block kinds; any other fenced block is part of the prose.
pub const BLOCK_KINDS: &[&str] = &["exercise", "quiz", "checklist", "confidence"];

/// The course index: the units in the order learners take them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseIndex {
    pub title: String,
    /// Unit file names, relative to the `lessons/` directory.
    pub units: Vec<String>,
    /// The playground examples file, relative to `lessons/` (see `examples`).
    #[serde(default)]
    pub examples: Option<String>,
}

/// A unit's front matter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UnitMeta {
    /// Stable id, used in URLs, saved progress and lint rules' "taught in" references.
    pub id: String,
    pub title: String,
    pub summary: String,
    /// Estimated time to complete, in minutes.
    pub minutes: u32,
    /// "By the end of this unit you can …" statements (Markdown).
    #[serde(default)]
    pub objectives: Vec<String>,
    /// Pre-unit reflection: questions with no single answer, to think about before starting.
    #[serde(default)]
    pub reflection: Vec<String>,
}

/// One unit: front matter, the Markdown body, and that body cut into sections of blocks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unit {
    /// The file name as the course index lists it.
    pub file: String,
    pub meta: UnitMeta,
    /// The whole body after the front matter, as written (interactive blocks included).
    pub body: String,
    /// The file line the body starts at (1-based).
    pub body_line: u32,
    /// The body in order: the text before the first `## ` heading (if any) is a section with an
    /// empty title and the id `intro`.
    pub sections: Vec<Section>,
}

impl Unit {
    /// Every exercise of the unit, in order.
    pub fn exercises(&self) -> impl Iterator<Item = &Exercise> {
        self.blocks().filter_map(|b| match b {
            Block::Exercise(e) => Some(e),
            _ => None,
        })
    }

    /// Every block of the unit, in order.
    pub fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.sections.iter().flat_map(|s| s.blocks.iter())
    }

    pub fn exercise(&self, id: &str) -> Option<&Exercise> {
        self.exercises().find(|e| e.id == id)
    }

    /// Every text of the unit written in Markdown, which the app shows as prose: the objectives
    /// and reflection prompts, the Markdown blocks, and each exercise's task and hints. (The app
    /// renders them to HTML when it is built: `app/build.rs`.)
    pub fn markdown_texts(&self) -> impl Iterator<Item = &str> {
        let meta = self.meta.objectives.iter().chain(&self.meta.reflection);
        let blocks = self.blocks().flat_map(|b| {
            let texts: Vec<&String> = match b {
                Block::Markdown { text } => vec![text],
                Block::Exercise(e) => std::iter::once(&e.task).chain(&e.hints).collect(),
                _ => Vec::new(),
            };
            texts
        });
        meta.chain(blocks).map(String::as_str)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub id: String,
    pub title: String,
    pub blocks: Vec<Block>,
}

/// One piece of a section.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Block {
    /// Prose, with read-only examples as ordinary fenced code blocks.
    Markdown {
        text: String,
    },
    Exercise(Exercise),
    Quiz(Question),
    Checklist(Checklist),
    Confidence(ConfidenceCheck),
}

/// An exercise: edit a manifest until every goal passes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Exercise {
    pub id: String,
    pub title: String,
    /// What to do, in Markdown.
    pub task: String,
    /// The manifest(s) the learner starts from (several objects: `---`-separated documents).
    pub starter: String,
    /// FNV-1a 64 of `starter`: the app compares it with the hash saved beside the learner's edit to
    /// say "this exercise was updated since your edit".
    pub starter_hash: u64,
    /// A manifest that meets every goal (`batchlab check` proves it).
    pub solution: String,
    /// The simulator scenario as YAML text, handed to the simulator unchanged; `None` runs the
    /// manifests with the simulator's defaults.
    pub scenario: Option<String>,
    /// Lint rules shown for this exercise: rule codes, or `all`. Empty means none.
    pub lint: Vec<String>,
    /// Progressive hints, revealed one at a time (Markdown).
    pub hints: Vec<String>,
    pub goals: Vec<Goal>,
    /// An exploration exercise whose starter already meets its goals.
    pub starter_passes: bool,
    /// The line of the opening fence in the unit file (for reports about this exercise).
    pub line: u32,
}

/// A question with an explanation: multiple choice when it has choices, else a short answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Question {
    pub id: String,
    pub prompt: String,
    /// Multiple choice: at least two choices, at least one correct.
    pub choices: Vec<Choice>,
    /// Short answer: accepted answers, compared ignoring case and surrounding space.
    pub answers: Vec<String>,
    /// Shown after answering, right or wrong (Markdown).
    pub explanation: String,
    pub line: u32,
}

impl Question {
    /// Whether a short answer is accepted.
    pub fn accepts(&self, answer: &str) -> bool {
        let answer = answer.trim();
        self.answers
            .iter()
            .any(|a| a.trim().eq_ignore_ascii_case(answer))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Choice {
    pub text: String,
    #[serde(default)]
    pub correct: bool,
    /// Why this choice is right or wrong, shown when it is picked.
    #[serde(default)]
    pub why: String,
}

/// A self-assessment checklist; the learner's ticks are saved by item id.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Checklist {
    pub id: String,
    pub title: String,
    pub items: Vec<Item>,
    pub line: u32,
}

/// A checklist item or confidence statement, with a stable id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub id: String,
    pub text: String,
}

/// Statements the learner rates from 1 (not at all) to 5 (confidently), and what to do next.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfidenceCheck {
    pub id: String,
    pub statements: Vec<Item>,
    /// Shown when every rating is 4 or 5 (Markdown).
    pub if_all_high: String,
    /// Shown when any rating is 3 or lower (Markdown).
    pub if_any_low: String,
    /// Per statement (by id): the section to revisit when that statement is rated 3 or lower.
    pub review: Vec<(String, String)>,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Course {
    pub title: String,
    pub units: Vec<Unit>,
    /// The playground's ready-made runs, in file order.
    pub examples: Vec<examples::Example>,
}

impl Course {
    pub fn unit(&self, id: &str) -> Option<&Unit> {
        self.units.iter().find(|u| u.meta.id == id)
    }
}

/// A lesson file's diagnostic: which file it is about, and what.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileDiagnostic {
    pub file: String,
    pub diagnostic: Diagnostic,
}

/// FNV-1a, 64-bit: a small, stable, dependency-free hash of a text (same value on every platform
/// and in every release, which a saved-progress comparison needs).
pub fn fnv1a64(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Build the course from the index text and a lookup for unit files. Returns the units that loaded
/// and every problem found; a broken unit is left out, never the whole course.
pub fn load_course(
    index_text: &str,
    read_unit: impl Fn(&str) -> Option<String>,
) -> (Option<Course>, Vec<FileDiagnostic>) {
    let mut problems = Vec::new();
    let index: CourseIndex = match yaml::de::from_str(index_text) {
        Ok(index) => index,
        Err(e) => {
            problems.push(FileDiagnostic {
                file: "course.yaml".into(),
                diagnostic: yaml_error(&e, "the course index", 0),
            });
            return (None, problems);
        }
    };
    let mut units: Vec<Unit> = Vec::new();
    for file in &index.units {
        let Some(text) = read_unit(file) else {
            problems.push(FileDiagnostic {
                file: "course.yaml".into(),
                diagnostic: lesson_error(
                    format!("the course index lists `{file}`, but there is no such file"),
                    index_line_of(index_text, file),
                ),
            });
            continue;
        };
        let (unit, diagnostics) = parse_unit(file, &text);
        problems.extend(diagnostics.into_iter().map(|diagnostic| FileDiagnostic {
            file: file.clone(),
            diagnostic,
        }));
        if let Some(unit) = unit {
            if units.iter().any(|u| u.meta.id == unit.meta.id) {
                problems.push(FileDiagnostic {
                    file: file.clone(),
                    diagnostic: lesson_error(
                        format!("unit id `{}` is used by more than one unit", unit.meta.id),
                        front_matter_line(&text, "id"),
                    ),
                });
                continue;
            }
            units.push(unit);
        }
    }
    problems.extend(duplicate_exercise_ids(&units));
    let examples = match &index.examples {
        None => Vec::new(),
        Some(file) => match read_unit(file) {
            Some(text) => {
                let (examples, found) = examples::parse_examples(file, &text);
                problems.extend(found);
                examples
            }
            None => {
                problems.push(FileDiagnostic {
                    file: "course.yaml".into(),
                    diagnostic: lesson_error(
                        format!("the course index names the examples file `{file}`, but there is no such file"),
                        index_line_of(index_text, file),
                    ),
                });
                Vec::new()
            }
        },
    };
    (
        Some(Course {
            title: index.title,
            units,
            examples,
        }),
        problems,
    )
}

/// Exercise ids must be unique across the course: saved progress is keyed by them.
fn duplicate_exercise_ids(units: &[Unit]) -> Vec<FileDiagnostic> {
    let mut seen = BTreeSet::new();
    let mut problems = Vec::new();
    for unit in units {
        for exercise in unit.exercises() {
            if !seen.insert(exercise.id.as_str()) {
                problems.push(FileDiagnostic {
                    file: unit.file.clone(),
                    diagnostic: lesson_error(
                        format!(
                            "exercise id `{}` is used more than once in the course",
                            exercise.id
                        ),
                        exercise.line,
                    ),
                });
            }
        }
    }
    problems
}

/// Parse one unit file. Returns the unit (if its front matter is usable) and every problem found.
pub fn parse_unit(file: &str, text: &str) -> (Option<Unit>, Vec<Diagnostic>) {
    if text.len() > MAX_FILE_BYTES {
        return (
            None,
            vec![lesson_error(
                format!(
                    "the file is {} bytes; a unit file may be at most {MAX_FILE_BYTES}",
                    text.len()
                ),
                1,
            )],
        );
    }
    let Some((front, front_line, body, body_line)) = split_front_matter(text) else {
        let message = if text.starts_with("---") {
            "the front matter is never closed with a `---` line"
        } else {
            "a unit file must start with a `---` line that opens its front matter"
        };
        return (None, vec![lesson_error(message, 1)]);
    };
    let meta: UnitMeta = match yaml::de::from_str(front) {
        Ok(meta) => meta,
        Err(e) => {
            return (
                None,
                vec![yaml_error(&e, "the front matter", front_line - 1)],
            )
        }
    };
    let mut problems = Vec::new();
    check_id(&meta.id, "unit", front_line, &mut problems);
    let sections = parse_body(body, body_line, &mut problems);
    let unit = Unit {
        file: file.to_string(),
        meta,
        body: body.to_string(),
        body_line,
        sections,
    };
    check_unique_block_ids(&unit, &mut problems);
    check_review_targets(&unit, &mut problems);
    (Some(unit), problems)
}

/// Split `---\n<front>\n---\n<body>`; returns the front matter, its first line, the body and its
/// first line (1-based).
fn split_front_matter(text: &str) -> Option<(&str, u32, &str, u32)> {
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let mut offset = 0;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        if line.trim_end() == "---" {
            let front = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Some((front, 2, body, i as u32 + 3));
        }
        offset += line.len();
    }
    None
}

/// A fenced block found in the body.
struct Fence<'a> {
    kind: &'a str,
    /// Line of the opening fence.
    line: u32,
    body: String,
}

/// Cut the body into sections and blocks.
fn parse_body(body: &str, first_line: u32, problems: &mut Vec<Diagnostic>) -> Vec<Section> {
    let mut sections = vec![Section {
        id: "intro".into(),
        title: String::new(),
        blocks: Vec::new(),
    }];
    let mut prose = String::new();
    let mut lines = body.lines().enumerate().peekable();
    while let Some((i, line)) = lines.next() {
        let line_no = first_line + i as u32;
        if let Some(title) = line.strip_prefix("## ") {
            flush_prose(&mut prose, &mut sections);
            let (title, id) = heading_id(title);
            check_id(&id, "section", line_no, problems);
            if sections.iter().any(|s| s.id == id) {
                problems.push(lesson_error(
                    format!(
                        "two sections have the id `{id}`; add `{{#another-id}}` to one heading"
                    ),
                    line_no,
                ));
            }
            sections.push(Section {
                id,
                title,
                blocks: Vec::new(),
            });
            continue;
        }
        if line.starts_with("# ") {
            // The page makes the unit's one top heading from `title`; a second would repeat it
            // (and give the page two level-one headings, which screen readers announce as such).
            problems.push(lesson_error(
                "a `# ` heading repeats the unit's title, which the page already shows from \
                 `title`; start a section with `## `",
                line_no,
            ));
            continue;
        }
        let Some(fence) = fence_open(line) else {
            prose.push_str(line);
            prose.push('\n');
            continue;
        };
        // Collect the fenced block up to its closing fence (or the end of the file).
        let info = line.trim_start()[fence.len()..].trim();
        let mut block = String::new();
        let mut closed = false;
        for (_, inner) in lines.by_ref() {
            if fence_closes(inner, fence) {
                closed = true;
                break;
            }
            block.push_str(inner);
            block.push('\n');
        }
        let kind = info.split_whitespace().next().unwrap_or("");
        if !BLOCK_KINDS.contains(&kind) {
            prose.push_str(line);
            prose.push('\n');
            prose.push_str(&block);
            if closed {
                prose.push_str(line.trim_start().get(..fence.len()).unwrap_or(fence));
                prose.push('\n');
            }
            continue;
        }
        if !closed {
            problems.push(lesson_error(
                format!("this `{kind}` block is never closed with {fence}"),
                line_no,
            ));
            continue;
        }
        flush_prose(&mut prose, &mut sections);
        let fence = Fence {
            kind,
            line: line_no,
            body: block,
        };
        if let Some(block) = parse_block(&fence, problems) {
            if let Some(section) = sections.last_mut() {
                section.blocks.push(block);
            }
        }
    }
    flush_prose(&mut prose, &mut sections);
    if sections[0].blocks.is_empty() {
        sections.remove(0);
    }
    sections
}

/// The fence characters if `line` opens a fenced code block (three or more backticks or tildes).
fn fence_open(line: &str) -> Option<&str> {
    let trimmed = line.trim_start();
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    for ch in ['`', '~'] {
        let n = trimmed.chars().take_while(|&c| c == ch).count();
        if n >= 3 {
            return Some(&trimmed[..n]);
        }
    }
    None
}

/// Whether `line` closes a block opened with `fence`: the same character, at least as many times,
/// and nothing else on the line.
fn fence_closes(line: &str, fence: &str) -> bool {
    let trimmed = line.trim();
    let ch = fence.chars().next().unwrap_or('`');
    trimmed.len() >= fence.len() && trimmed.chars().all(|c| c == ch)
}

fn flush_prose(prose: &mut String, sections: &mut [Section]) {
    if !prose.trim().is_empty() {
        if let Some(section) = sections.last_mut() {
            section.blocks.push(Block::Markdown {
                text: std::mem::take(prose),
            });
        }
    }
    prose.clear();
}

/// `Title {#id}` → (`Title`, `id`); otherwise the id is the slug of the title.
fn heading_id(title: &str) -> (String, String) {
    let title = title.trim();
    if let Some(open) = title.rfind("{#") {
        if title.ends_with('}') {
            let id = title[open + 2..title.len() - 1].trim().to_string();
            return (title[..open].trim().to_string(), id);
        }
    }
    (title.to_string(), slug(title))
}

/// Lowercase ASCII letters and digits, other runs collapsed to one `-`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for ch in text.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Ids appear in URLs and saved progress: lowercase letters, digits and `-`, starting with a letter.
fn check_id(id: &str, what: &str, line: u32, problems: &mut Vec<Diagnostic>) {
    let ok = id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && id.len() <= 63;
    if !ok {
        problems.push(lesson_error(
            format!(
                "{what} id `{id}` must be lowercase letters, digits and `-`, start with a letter, and be at most 63 characters"
            ),
            line,
        ));
    }
}

fn check_unique_block_ids(unit: &Unit, problems: &mut Vec<Diagnostic>) {
    let mut seen = BTreeSet::new();
    for block in unit.blocks() {
        let (kind, id, line) = match block {
            Block::Markdown { .. } => continue,
            Block::Exercise(e) => ("exercise", &e.id, e.line),
            Block::Quiz(q) => ("quiz", &q.id, q.line),
            Block::Checklist(c) => ("checklist", &c.id, c.line),
            Block::Confidence(c) => ("confidence", &c.id, c.line),
        };
        // Exercises are checked course-wide by `load_course`.
        if kind != "exercise" && !seen.insert(format!("{kind} {id}")) {
            problems.push(lesson_error(
                format!("{kind} id `{id}` is used more than once in this unit"),
                line,
            ));
        }
    }
}

/// A confidence check's `review` entries must name sections of the unit.
fn check_review_targets(unit: &Unit, problems: &mut Vec<Diagnostic>) {
    for block in unit.blocks() {
        if let Block::Confidence(c) = block {
            for (statement, section) in &c.review {
                if !unit.sections.iter().any(|s| &s.id == section) {
                    problems.push(lesson_error(
                        format!("`review` sends `{statement}` to section `{section}`, but the unit has no section with that id"),
                        c.line,
                    ));
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The interactive blocks
// ---------------------------------------------------------------------------------------------

fn parse_block(fence: &Fence, problems: &mut Vec<Diagnostic>) -> Option<Block> {
    let parsed = match fence.kind {
        "exercise" => parse_exercise(fence).map(Block::Exercise),
        "quiz" => parse_quiz(fence).map(Block::Quiz),
        "checklist" => parse_checklist(fence).map(Block::Checklist),
        "confidence" => parse_confidence(fence).map(Block::Confidence),
        _ => return None,
    };
    match parsed {
        Ok(block) => Some(block),
        Err(mut found) => {
            problems.append(&mut found);
            None
        }
    }
}

/// Deserialize a block's YAML body, moving error positions to the unit file's lines.
fn block_yaml<T: serde::de::DeserializeOwned>(fence: &Fence) -> Result<T, Vec<Diagnostic>> {
    yaml::de::from_str(&fence.body).map_err(|e| {
        vec![yaml_error(
            &e,
            &format!("this `{}` block", fence.kind),
            fence.line,
        )]
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RawExercise {
    id: String,
    title: String,
    task: String,
    starter: String,
    solution: String,
    #[serde(default)]
    scenario: Option<serde_json::Value>,
    #[serde(default)]
    lint: LintField,
    #[serde(default)]
    hints: Vec<String>,
    goals: Vec<serde_json::Value>,
    #[serde(default)]
    starter_passes: bool,
}

/// `lint: all`, `lint: BL-RES-001` or `lint: [BL-RES-001, BL-CJ-002]`.
#[derive(Deserialize, Default)]
#[serde(untagged)]
enum LintField {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

fn parse_exercise(fence: &Fence) -> Result<Exercise, Vec<Diagnostic>> {
    let raw: RawExercise = block_yaml(fence)?;
    let mut problems = Vec::new();
    check_id(&raw.id, "exercise", fence.line + 1, &mut problems);
    if raw.goals.is_empty() {
        problems.push(lesson_error(
            format!("exercise `{}` has no goals", raw.id),
            fence.line,
        ));
    }
    let goal_lines = item_lines(&fence.body, "goals");
    let mut goals = Vec::new();
    for (i, value) in raw.goals.iter().enumerate() {
        let line = fence.line + goal_lines.get(i).copied().unwrap_or(0);
        match grade::parse_goal(value) {
            Ok(goal) => goals.push(goal),
            Err(message) => problems.push(lesson_error(
                format!("goal {} of exercise `{}`: {message}", i + 1, raw.id),
                line,
            )),
        }
    }
    let scenario = match raw.scenario {
        None | Some(serde_json::Value::Null) => None,
        // JSON is YAML: the simulator reads this text back with the same types.
        Some(value) => match serde_json::to_string_pretty(&value) {
            Ok(text) => Some(text),
            Err(e) => {
                problems.push(lesson_error(
                    format!(
                        "the scenario of exercise `{}` cannot be written back as YAML: {e}",
                        raw.id
                    ),
                    fence.line,
                ));
                None
            }
        },
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let lint = match raw.lint {
        LintField::None => Vec::new(),
        LintField::One(code) => vec![code],
        LintField::Many(codes) => codes,
    };
    Ok(Exercise {
        starter_hash: fnv1a64(&raw.starter),
        id: raw.id,
        title: raw.title,
        task: raw.task,
        starter: raw.starter,
        solution: raw.solution,
        scenario,
        lint,
        hints: raw.hints,
        goals,
        starter_passes: raw.starter_passes,
        line: fence.line,
    })
}

/// Lines (relative to the block's opening fence) of the items of the top-level sequence `key:`,
/// so a problem with the third goal is reported at the third goal. A plain scan: an item is a line
/// whose first non-space characters are `- ` at the indentation of the sequence's first item.
fn item_lines(body: &str, key: &str) -> Vec<u32> {
    let mut lines = Vec::new();
    let mut inside = false;
    let mut indent = None;
    for (i, line) in body.lines().enumerate() {
        let trimmed = line.trim_start();
        let this_indent = line.len() - trimmed.len();
        if !inside {
            inside = this_indent == 0 && trimmed.starts_with(&format!("{key}:"));
            continue;
        }
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if this_indent == 0 && !trimmed.starts_with('-') {
            break;
        }
        if trimmed.starts_with("- ") || trimmed == "-" {
            let level = *indent.get_or_insert(this_indent);
            if this_indent == level {
                lines.push(i as u32 + 1);
            }
        }
    }
    lines
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RawQuestion {
    id: String,
    prompt: String,
    #[serde(default)]
    choices: Vec<Choice>,
    #[serde(default)]
    answers: Vec<String>,
    explanation: String,
}

fn parse_quiz(fence: &Fence) -> Result<Question, Vec<Diagnostic>> {
    let raw: RawQuestion = block_yaml(fence)?;
    let mut problems = Vec::new();
    check_id(&raw.id, "quiz", fence.line + 1, &mut problems);
    match (raw.choices.is_empty(), raw.answers.is_empty()) {
        (true, true) => problems.push(lesson_error(
            format!(
                "question `{}` needs `choices` (multiple choice) or `answers` (short answer)",
                raw.id
            ),
            fence.line,
        )),
        (false, false) => problems.push(lesson_error(
            format!(
                "question `{}` has both `choices` and `answers`; a question is one or the other",
                raw.id
            ),
            fence.line,
        )),
        (false, true) => {
            if raw.choices.len() < 2 {
                problems.push(lesson_error(
                    format!("question `{}` needs at least two choices", raw.id),
                    fence.line,
                ));
            }
            if !raw.choices.iter().any(|c| c.correct) {
                problems.push(lesson_error(
                    format!("question `{}` has no choice marked `correct: true`", raw.id),
                    fence.line,
                ));
            }
        }
        (true, false) => {}
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Question {
        id: raw.id,
        prompt: raw.prompt,
        choices: raw.choices,
        answers: raw.answers,
        explanation: raw.explanation,
        line: fence.line,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChecklist {
    id: String,
    title: String,
    /// `item-id: text`, in order (a YAML mapping keeps its order; duplicate keys are an error).
    items: OrderedMap,
}

fn parse_checklist(fence: &Fence) -> Result<Checklist, Vec<Diagnostic>> {
    let raw: RawChecklist = block_yaml(fence)?;
    let mut problems = Vec::new();
    check_id(&raw.id, "checklist", fence.line + 1, &mut problems);
    let items = items_of(&raw.items, "checklist", &raw.id, fence.line, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Checklist {
        id: raw.id,
        title: raw.title,
        items,
        line: fence.line,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RawConfidence {
    id: String,
    statements: OrderedMap,
    if_all_high: String,
    if_any_low: String,
    #[serde(default)]
    review: OrderedMap,
}

fn parse_confidence(fence: &Fence) -> Result<ConfidenceCheck, Vec<Diagnostic>> {
    let raw: RawConfidence = block_yaml(fence)?;
    let mut problems = Vec::new();
    check_id(&raw.id, "confidence", fence.line + 1, &mut problems);
    let statements = items_of(
        &raw.statements,
        "confidence",
        &raw.id,
        fence.line,
        &mut problems,
    );
    let review: Vec<(String, String)> = items_of(
        &raw.review,
        "confidence",
        &raw.id,
        fence.line,
        &mut problems,
    )
    .into_iter()
    .map(|item| (item.id, item.text))
    .collect();
    for (statement, _) in &review {
        if !statements.iter().any(|s| &s.id == statement) {
            problems.push(lesson_error(
                format!("`review` names `{statement}`, which is not one of the statements"),
                fence.line,
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(ConfidenceCheck {
        id: raw.id,
        statements,
        if_all_high: raw.if_all_high,
        if_any_low: raw.if_any_low,
        review,
        line: fence.line,
    })
}

/// `id: text` pairs of a mapping, in order, with ids checked.
fn items_of(
    map: &OrderedMap,
    kind: &str,
    block_id: &str,
    line: u32,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Item> {
    let mut items = Vec::new();
    for (key, value) in &map.0 {
        let (Some(id), Some(text)) = (key.as_str(), value.as_str()) else {
            problems.push(lesson_error(
                format!("every entry of {kind} `{block_id}` must be `item-id: text`"),
                line,
            ));
            continue;
        };
        check_id(id, "item", line, problems);
        items.push(Item {
            id: id.to_string(),
            text: text.to_string(),
        });
    }
    items
}

// ---------------------------------------------------------------------------------------------
// Positions
// ---------------------------------------------------------------------------------------------

fn lesson_error(message: impl Into<String>, line: u32) -> Diagnostic {
    Diagnostic::new(Severity::Error, "lesson", message).at("", Span::point(line.max(1), 1))
}

/// A YAML error whose position is relative to a text that starts after `line_offset` lines of the file.
fn yaml_error(e: &yaml::de::Error, what: &str, line_offset: u32) -> Diagnostic {
    let span = e
        .span
        .map(|s| Span::point(s.line + line_offset, s.column))
        .unwrap_or_else(|| Span::point(line_offset.max(1), 1));
    let text = e.message.as_str();
    // The most common slip in lesson YAML: an unquoted sentence containing `: `.
    let help = if text.contains("invalid type: map, expected a string") {
        " (a line holding `: ` is read as a key and a value: put the text in quotes, or use `|` and write it on the next lines)"
    } else {
        ""
    };
    Diagnostic::new(
        Severity::Error,
        "lesson",
        format!("{what} is not valid: {text}{help}"),
    )
    .at("", span)
}

/// Line of `key:` in the front matter (1-based in the file), or 1.
fn front_matter_line(text: &str, key: &str) -> u32 {
    text.lines()
        .position(|l| l.starts_with(&format!("{key}:")))
        .map(|i| i as u32 + 1)
        .unwrap_or(1)
}

/// Line of the index entry naming `file`, or 1.
fn index_line_of(index: &str, file: &str) -> u32 {
    index
        .lines()
        .position(|l| l.contains(file))
        .map(|i| i as u32 + 1)
        .unwrap_or(1)
}

pub mod check;
pub mod examples;

#[cfg(test)]
mod tests;
