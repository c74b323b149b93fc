//! The grader: checks an exercise's goals against what the engine says about the learner's text.
//!
//! One grader serves the browser (the goals panel) and `batchlab check` (every reference solution
//! must pass, every starter must fail). Grading is two steps, kept apart so each can be tested on
//! its own:
//!
//! 1. `collect` runs the engine on the text — diagnostics from validation and lint, the parsed
//!    documents, and a summary of the simulated run (`RunFacts`) — into an `Evidence` value;
//! 2. `check_goals` compares each goal with the evidence and says, for each, whether it passed and
//!    what was observed ("created 7 pods; the goal allows at most 4").
//!
//! Goals are written in exercise blocks (see `lessons/README.md`); `parse_goal` reads one. Field
//! paths named by goals are checked against the Job/CronJob schema in `schema`.

pub mod engine;
pub mod evidence;
pub mod schema;

pub use engine::{collect, run_facts};
pub use evidence::{CronRun, Evidence, JobEnd, JobRun, RunFacts};

use crate::diag::Severity;
use crate::lesson::Exercise;
use serde::Serialize;
use serde_json::Value;
use std::fmt;

/// One goal of an exercise: what is checked, and the sentence the learner reads.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Goal {
    pub kind: GoalKind,
    /// The learner-facing sentence ("At most 4 pods are created.").
    pub says: String,
}

/// What a goal checks.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum GoalKind {
    /// No validation error (warnings allowed).
    Valid,
    /// The lint rule with this code reports nothing; `all`: no lint rule reports anything.
    Lint { rule: String },
    /// A field of an object compares to a value.
    Field {
        object: ObjectRef,
        path: FieldPath,
        check: FieldCheck,
    },
    /// The (named, or first) Job ends with this condition, optionally this reason, by this time.
    JobEnds {
        job: Option<String>,
        condition: JobCondition,
        reason: Option<String>,
        /// Seconds from the start of the simulation.
        by_seconds: Option<u64>,
    },
    /// Pods created (over all Jobs, or the named one).
    PodsCreated { job: Option<String>, count: Count },
    /// The most pods running at the same instant.
    RunningAtOnce { job: Option<String>, count: Count },
    /// Container restarts summed over pods.
    Restarts { job: Option<String>, count: Count },
    /// Jobs created (by CronJobs, or all Jobs).
    JobsCreated { count: Count },
    /// No two Jobs of the same CronJob are active at the same instant.
    CronNeverOverlaps,
    /// The CronJob starts a Job for each of these scheduled instants (Unix seconds).
    CronFires { at: Vec<i64> },
    /// The CronJob does not start a Job for any of these scheduled instants.
    CronSkips { at: Vec<i64> },
    /// Some container's logs contain the text.
    LogsContain { text: String },
    /// No container's logs contain the text (e.g. a secret value).
    LogsLack { text: String },
    /// Whether any value of a Secret that reached a container (env, envFrom, secret volume)
    /// appears in that pod's logs; `false` is the goal a learner should meet.
    SecretsInLogs { appear: bool },
    /// An event with this reason is recorded (`FailedScheduling`, `JobAlreadyActive` …).
    EventSeen { reason: String },
    /// No event with this reason is recorded.
    EventNotSeen { reason: String },
}

/// `Complete` or `Failed`, the two terminal Job conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum JobCondition {
    Complete,
    Failed,
}

impl fmt::Display for JobCondition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            JobCondition::Complete => "Complete",
            JobCondition::Failed => "Failed",
        })
    }
}

/// Which object a field goal reads: a kind and optionally a name; by default the first Job or
/// CronJob in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct ObjectRef {
    pub kind: Option<String>,
    pub name: Option<String>,
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.kind, &self.name) {
            (Some(k), Some(n)) => write!(f, "{k} `{n}`"),
            (Some(k), None) => write!(f, "{k}"),
            (None, Some(n)) => write!(f, "`{n}`"),
            (None, None) => f.write_str("Job or CronJob"),
        }
    }
}

/// A field path in Kubernetes notation: `spec.template.spec.containers[0].image`,
/// `metadata.annotations['example.com/owner']`; `[*]` means every element.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldPath {
    pub text: String,
    #[serde(skip)]
    pub segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
    Every,
}

impl FieldPath {
    pub fn parse(text: &str) -> Result<FieldPath, String> {
        let mut segments = Vec::new();
        let mut rest = text.trim();
        if rest.is_empty() {
            return Err("the field path is empty".into());
        }
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix("['") {
                let end = after
                    .find("']")
                    .ok_or_else(|| format!("`{text}`: `['` is never closed with `']`"))?;
                segments.push(Segment::Key(after[..end].to_string()));
                rest = &after[end + 2..];
            } else if let Some(after) = rest.strip_prefix('[') {
                let end = after
                    .find(']')
                    .ok_or_else(|| format!("`{text}`: `[` is never closed"))?;
                let inside = &after[..end];
                segments.push(if inside == "*" {
                    Segment::Every
                } else {
                    Segment::Index(inside.parse().map_err(|_| {
                        format!("`{text}`: `[{inside}]` is not an index (a number or `*`)")
                    })?)
                });
                rest = &after[end + 1..];
            } else {
                let rest_trimmed = rest.strip_prefix('.').unwrap_or(rest);
                if rest_trimmed.len() != rest.len() && segments.is_empty() {
                    return Err(format!("`{text}` must not start with `.`"));
                }
                let end = rest_trimmed.find(['.', '[']).unwrap_or(rest_trimmed.len());
                let key = &rest_trimmed[..end];
                if key.is_empty() {
                    return Err(format!("`{text}` has an empty part"));
                }
                if !key.chars().all(|c| c.is_ascii_alphanumeric()) {
                    return Err(format!(
                        "`{text}`: `{key}` is not a field name (use ['…'] for map keys with dots or slashes)"
                    ));
                }
                segments.push(Segment::Key(key.to_string()));
                rest = &rest_trimmed[end..];
            }
        }
        Ok(FieldPath {
            text: text.trim().to_string(),
            segments,
        })
    }
}

/// What a field goal checks.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum FieldCheck {
    Exists,
    Absent,
    Compare { op: Op, value: Scalar },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Op {
    #[serde(rename = "==")]
    Eq,
    #[serde(rename = "!=")]
    Ne,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = ">=")]
    Ge,
}

impl Op {
    fn parse(text: &str) -> Option<Op> {
        Some(match text {
            "==" => Op::Eq,
            "!=" => Op::Ne,
            "<" => Op::Lt,
            "<=" => Op::Le,
            ">" => Op::Gt,
            ">=" => Op::Ge,
            _ => return None,
        })
    }

    fn holds(self, ordering: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::*;
        match self {
            Op::Eq => ordering == Equal,
            Op::Ne => ordering != Equal,
            Op::Lt => ordering == Less,
            Op::Le => ordering != Greater,
            Op::Gt => ordering == Greater,
            Op::Ge => ordering != Less,
        }
    }

    /// "at most", "exactly" …, for sentences.
    fn words(self) -> &'static str {
        match self {
            Op::Eq => "exactly",
            Op::Ne => "not",
            Op::Lt => "fewer than",
            Op::Le => "at most",
            Op::Gt => "more than",
            Op::Ge => "at least",
        }
    }
}

/// A value a field is compared with.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Scalar {
    Number(f64),
    Bool(bool),
    Text(String),
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::Number(n) => write!(f, "{n}"),
            Scalar::Bool(b) => write!(f, "{b}"),
            Scalar::Text(t) => write!(f, "{t:?}"),
        }
    }
}

/// A count with a comparison: `<= 4`, `>= 2`, `== 1` (a bare number means exactly).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Count {
    pub op: Op,
    pub n: u64,
}

impl Count {
    fn parse(value: &Value) -> Result<Count, String> {
        if let Some(n) = value.as_u64() {
            return Ok(Count { op: Op::Eq, n });
        }
        let text = value
            .as_str()
            .ok_or("a count is a number or a comparison like `<= 4`")?
            .trim();
        let split = text
            .find(|c: char| c.is_ascii_digit())
            .ok_or_else(|| format!("`{text}` has no number"))?;
        let op = Op::parse(text[..split].trim())
            .ok_or_else(|| format!("`{text}`: the comparison must be one of == != < <= > >="))?;
        let n = text[split..]
            .trim()
            .parse()
            .map_err(|_| format!("`{text}`: `{}` is not a whole number", &text[split..]))?;
        Ok(Count { op, n })
    }

    pub fn holds(self, observed: u64) -> bool {
        self.op.holds(observed.cmp(&self.n))
    }
}

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.op.words(), self.n)
    }
}

/// The result of one goal, as the goals panel shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GoalResult {
    /// The goal's sentence.
    pub says: String,
    pub passed: bool,
    /// What was seen ("created 7 pods; the goal allows at most 4"); for a passing goal, the
    /// evidence that it passed.
    pub observed: String,
    /// The goal could not be checked because the engine part it needs is not available in this
    /// build (reported, never counted as passed).
    pub unavailable: bool,
}

/// Grade a learner's text against an exercise's goals.
pub fn grade(exercise: &Exercise, learner_text: &str) -> Vec<GoalResult> {
    let evidence = collect(exercise, learner_text);
    check_goals(&exercise.goals, &evidence)
}

/// Check goals against evidence already collected.
pub fn check_goals(goals: &[Goal], evidence: &Evidence) -> Vec<GoalResult> {
    goals
        .iter()
        .map(|goal| check_goal(goal, evidence))
        .collect()
}

fn result(goal: &Goal, passed: bool, observed: impl Into<String>) -> GoalResult {
    GoalResult {
        says: goal.says.clone(),
        passed,
        observed: observed.into(),
        unavailable: false,
    }
}

fn check_goal(goal: &Goal, evidence: &Evidence) -> GoalResult {
    match &goal.kind {
        GoalKind::Valid => check_valid(goal, evidence),
        GoalKind::Lint { rule } => check_lint(goal, rule, evidence),
        GoalKind::Field {
            object,
            path,
            check,
        } => check_field(goal, object, path, check, evidence),
        _ => match &evidence.run {
            Ok(run) => check_run(goal, run),
            Err(why) => GoalResult {
                says: goal.says.clone(),
                passed: false,
                observed: why.message.clone(),
                unavailable: why.unavailable,
            },
        },
    }
}

fn check_valid(goal: &Goal, evidence: &Evidence) -> GoalResult {
    let errors: Vec<_> = evidence
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    match errors.first() {
        None if !evidence.validation_available => GoalResult {
            says: goal.says.clone(),
            passed: false,
            observed: "the YAML reads well, but API-server validation is not in this build yet"
                .into(),
            unavailable: true,
        },
        None => result(goal, true, "no validation errors"),
        Some(first) => {
            let more = match errors.len() {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            };
            result(
                goal,
                false,
                format!("line {}: {}{more}", first.span.line, first.message),
            )
        }
    }
}

fn check_lint(goal: &Goal, rule: &str, evidence: &Evidence) -> GoalResult {
    if !evidence.lint_available {
        return GoalResult {
            says: goal.says.clone(),
            passed: false,
            observed: "lint rules are not available in this build yet".into(),
            unavailable: true,
        };
    }
    let found: Vec<_> = evidence
        .diagnostics
        .iter()
        .filter(|d| d.code.starts_with("BL-") && (rule == "all" || d.code == rule))
        .collect();
    match found.first() {
        None => result(
            goal,
            true,
            if rule == "all" {
                "no lint warnings".to_string()
            } else {
                format!("{rule} reports nothing")
            },
        ),
        Some(first) => result(
            goal,
            false,
            format!(
                "line {}: {} [{}]{}",
                first.span.line,
                first.message,
                first.code,
                match found.len() {
                    1 => String::new(),
                    n => format!(" (and {} more)", n - 1),
                }
            ),
        ),
    }
}

fn check_field(
    goal: &Goal,
    object: &ObjectRef,
    path: &FieldPath,
    check: &FieldCheck,
    evidence: &Evidence,
) -> GoalResult {
    let Some(doc) = evidence.find_object(object) else {
        return result(goal, false, format!("there is no {object} in the manifest"));
    };
    let mut values = Vec::new();
    collect_values(&doc.value, &path.segments, &mut values);
    let every = path.segments.contains(&Segment::Every);
    let (passed, observed) = match check {
        FieldCheck::Exists => {
            let missing = values.iter().filter(|v| v.is_none()).count();
            if values.is_empty() || (every && missing > 0) || (!every && missing == values.len()) {
                (false, format!("`{}` is not set", path.text))
            } else {
                (true, format!("`{}` is set", path.text))
            }
        }
        FieldCheck::Absent => match values.iter().flatten().next() {
            Some(v) => (
                false,
                format!("`{}` is set to {}", path.text, show_value(v)),
            ),
            None => (true, format!("`{}` is not set", path.text)),
        },
        FieldCheck::Compare { op, value } => {
            if values.is_empty() {
                (false, format!("`{}` is not set", path.text))
            } else {
                compare_all(&path.text, &values, *op, value)
            }
        }
    };
    result(goal, passed, observed)
}

/// Values at `segments` under `value`; `None` where a field is missing. `[*]` fans out.
fn collect_values<'a>(value: &'a Value, segments: &[Segment], out: &mut Vec<Option<&'a Value>>) {
    let Some((first, rest)) = segments.split_first() else {
        out.push(Some(value).filter(|v| !v.is_null()));
        return;
    };
    match first {
        Segment::Key(key) => match value.get(key.as_str()) {
            Some(next) => collect_values(next, rest, out),
            None => out.push(None),
        },
        Segment::Index(i) => match value.get(*i) {
            Some(next) => collect_values(next, rest, out),
            None => out.push(None),
        },
        Segment::Every => match value.as_array() {
            Some(items) if !items.is_empty() => {
                for item in items {
                    collect_values(item, rest, out);
                }
            }
            _ => out.push(None),
        },
    }
}

fn compare_all(path: &str, values: &[Option<&Value>], op: Op, want: &Scalar) -> (bool, String) {
    for value in values {
        let Some(value) = value else {
            return (false, format!("`{path}` is not set"));
        };
        let ordering = match (want, value) {
            (Scalar::Number(n), v) => v.as_f64().and_then(|x| x.partial_cmp(n)),
            (Scalar::Bool(b), Value::Bool(x)) => Some(x.cmp(b)),
            (Scalar::Text(t), v) => scalar_text(v).map(|x| x.as_str().cmp(t.as_str())),
            _ => None,
        };
        match ordering {
            Some(ordering) if op.holds(ordering) => {}
            Some(_) => {
                return (
                    false,
                    format!(
                        "`{path}` is {}; the goal wants {} {want}",
                        show_value(value),
                        op.words()
                    ),
                )
            }
            None => {
                return (
                    false,
                    format!(
                        "`{path}` is {}, which cannot be compared with {want}",
                        show_value(value)
                    ),
                )
            }
        }
    }
    let shown: Vec<String> = values.iter().flatten().map(|v| show_value(v)).collect();
    (true, format!("`{path}` is {}", shown.join(", ")))
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn show_value(value: &Value) -> String {
    match value {
        Value::String(s) => format!("{s:?}"),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".into(),
        Value::Array(items) => format!("a list of {}", items.len()),
        Value::Object(_) => "a mapping".into(),
    }
}

/// Goals about the simulated run.
fn check_run(goal: &Goal, run: &RunFacts) -> GoalResult {
    match &goal.kind {
        GoalKind::JobEnds {
            job,
            condition,
            reason,
            by_seconds,
        } => check_job_ends(
            goal,
            run,
            job.as_deref(),
            *condition,
            reason.as_deref(),
            *by_seconds,
        ),
        GoalKind::PodsCreated { job, count } => {
            let jobs = run.jobs_named(job.as_deref());
            let n: u64 = jobs.iter().map(|j| u64::from(j.pods_created)).sum();
            count_result(
                goal,
                *count,
                n,
                format!("created {n} {}", plural(n, "pod", "pods")),
            )
        }
        GoalKind::RunningAtOnce { job, count } => {
            let n = match job {
                Some(_) => run
                    .jobs_named(job.as_deref())
                    .iter()
                    .map(|j| u64::from(j.max_running))
                    .max()
                    .unwrap_or(0),
                None => u64::from(run.max_running),
            };
            count_result(
                goal,
                *count,
                n,
                format!("{n} {} ran at once at the most", plural(n, "pod", "pods")),
            )
        }
        GoalKind::Restarts { job, count } => {
            let n: u64 = run
                .jobs_named(job.as_deref())
                .iter()
                .map(|j| u64::from(j.restarts))
                .sum();
            count_result(
                goal,
                *count,
                n,
                format!("containers restarted {n} {}", plural(n, "time", "times")),
            )
        }
        GoalKind::JobsCreated { count } => {
            let n = run.jobs.len() as u64;
            count_result(
                goal,
                *count,
                n,
                format!("{n} {} created", plural(n, "Job was", "Jobs were")),
            )
        }
        GoalKind::CronNeverOverlaps => {
            let worst = run.cron.iter().max_by_key(|c| c.max_active);
            match worst {
                None => result(goal, false, "there is no CronJob in the run"),
                Some(c) if c.max_active > 1 => result(
                    goal,
                    false,
                    format!(
                        "CronJob `{}` had {} Jobs active at once",
                        c.name, c.max_active
                    ),
                ),
                Some(c) => result(
                    goal,
                    true,
                    format!("CronJob `{}` never had more than one Job active", c.name),
                ),
            }
        }
        GoalKind::CronFires { at } => check_cron_instants(goal, run, at, true),
        GoalKind::CronSkips { at } => check_cron_instants(goal, run, at, false),
        GoalKind::LogsContain { text } => match run.log_line_with(text) {
            Some((job, line)) => {
                result(goal, true, format!("a log line of `{job}` reads {line:?}"))
            }
            None => result(goal, false, format!("no log line contains {text:?}")),
        },
        GoalKind::LogsLack { text } => match run.log_line_with(text) {
            Some((job, line)) => {
                result(goal, false, format!("a log line of `{job}` reads {line:?}"))
            }
            None => result(goal, true, format!("no log line contains {text:?}")),
        },
        GoalKind::SecretsInLogs { appear } => check_secrets_in_logs(goal, run, *appear),
        GoalKind::EventSeen { reason } => match run.events.iter().find(|e| &e.reason == reason) {
            Some(e) => result(
                goal,
                true,
                format!("at {}: {} {}", clock(e.at_seconds), e.reason, e.message),
            ),
            None => result(goal, false, format!("no {reason} event was recorded")),
        },
        GoalKind::EventNotSeen { reason } => {
            match run.events.iter().find(|e| &e.reason == reason) {
                Some(e) => result(
                    goal,
                    false,
                    format!("at {}: {} {}", clock(e.at_seconds), e.reason, e.message),
                ),
                None => result(goal, true, format!("no {reason} event was recorded")),
            }
        }
        GoalKind::Valid | GoalKind::Lint { .. } | GoalKind::Field { .. } => {
            unreachable!("checked before the run is needed")
        }
    }
}

fn check_secrets_in_logs(goal: &Goal, run: &RunFacts, appear: bool) -> GoalResult {
    match run.secret_leaks.first() {
        Some(first) => {
            let more = match run.secret_leaks.len() {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            };
            result(goal, appear, format!("{first}{more}"))
        }
        None => result(
            goal,
            !appear,
            "no value of a Secret that reached a container appears in its logs",
        ),
    }
}

fn check_job_ends(
    goal: &Goal,
    run: &RunFacts,
    job: Option<&str>,
    condition: JobCondition,
    reason: Option<&str>,
    by_seconds: Option<u64>,
) -> GoalResult {
    let jobs = run.jobs_named(job);
    let Some(target) = jobs.first() else {
        return result(
            goal,
            false,
            match job {
                Some(name) => format!("no Job named `{name}` ran"),
                None => "no Job ran".to_string(),
            },
        );
    };
    let Some(end) = &target.end else {
        return result(
            goal,
            false,
            format!(
                "Job `{}` had not finished when the simulation stopped at {}",
                target.name,
                clock(run.horizon_seconds)
            ),
        );
    };
    let seen = format!(
        "Job `{}` ended {} ({}) at {}",
        target.name,
        end.condition,
        end.reason,
        clock(end.at_seconds)
    );
    let condition_ok = end.condition == condition;
    let reason_ok = reason.is_none_or(|r| r == end.reason);
    let time_ok = by_seconds.is_none_or(|by| end.at_seconds <= by as f64);
    let passed = condition_ok && reason_ok && time_ok;
    let observed = if !time_ok && condition_ok && reason_ok {
        format!(
            "{seen}; the goal wants it by {}",
            clock(by_seconds.unwrap_or(0) as f64)
        )
    } else {
        seen
    };
    result(goal, passed, observed)
}

fn check_cron_instants(goal: &Goal, run: &RunFacts, at: &[i64], fires: bool) -> GoalResult {
    let fired: Vec<i64> = run
        .cron
        .iter()
        .flat_map(|c| c.fired.iter().copied())
        .collect();
    let end = run.start_unix + run.horizon_seconds as i64;
    if let Some(late) = at.iter().find(|t| **t > end) {
        return result(
            goal,
            false,
            format!(
                "the simulation stopped at {}, before {}",
                instant_text(end),
                instant_text(*late)
            ),
        );
    }
    for instant in at {
        let did_fire = fired.contains(instant);
        if did_fire != fires {
            let when = instant_text(*instant);
            return result(
                goal,
                false,
                if fires {
                    format!("no Job was started for {when}")
                } else {
                    format!("a Job was started for {when}")
                },
            );
        }
    }
    let list: Vec<String> = at.iter().map(|t| instant_text(*t)).collect();
    result(
        goal,
        true,
        format!(
            "{} {}",
            if fires {
                "Jobs started for"
            } else {
                "no Job started for"
            },
            list.join(", ")
        ),
    )
}

/// A count goal's result: "created 7 pods; the goal allows at most 4".
fn count_result(goal: &Goal, count: Count, n: u64, seen: String) -> GoalResult {
    result(
        goal,
        count.holds(n),
        format!("{seen}; the goal allows {count}"),
    )
}

fn plural<'a>(n: u64, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// Seconds from the start as `1h2m3s` (Go duration style, as the CLI reads them).
pub fn clock(seconds: f64) -> String {
    let total = seconds.max(0.0).round() as u64;
    let (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
    match (h, m) {
        (0, 0) => format!("{s}s"),
        (0, _) => format!("{m}m{s}s"),
        _ => format!("{h}h{m}m{s}s"),
    }
}

fn instant_text(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|| unix.to_string())
}

// ---------------------------------------------------------------------------------------------
// Reading goals
// ---------------------------------------------------------------------------------------------

/// The goal keys, one per goal (plus `says`, and `object`/`job` where they apply).
pub const GOAL_KEYS: &[&str] = &[
    "valid",
    "lint",
    "field",
    "jobEnds",
    "podsCreated",
    "runningAtOnce",
    "restarts",
    "jobsCreated",
    "cronNeverOverlaps",
    "cronFires",
    "cronSkips",
    "logsContain",
    "logsLack",
    "secretsInLogs",
    "eventSeen",
    "eventNotSeen",
];

/// Read one goal from an exercise block's `goals:` list. The error is a sentence for the author.
pub fn parse_goal(value: &Value) -> Result<Goal, String> {
    let map = value
        .as_object()
        .ok_or("a goal is a mapping such as `podsCreated: <= 4`")?;
    let mut kind_key = None;
    for key in map.keys() {
        let key = key.as_str();
        if GOAL_KEYS.contains(&key) {
            if let Some(other) = kind_key {
                return Err(format!(
                    "a goal checks one thing, but this one has both `{other}` and `{key}`"
                ));
            }
            kind_key = Some(key);
        } else if !["says", "object", "job"].contains(&key) {
            return Err(format!(
                "unknown goal key `{key}`{}; goal keys are: {}",
                suggest(key, GOAL_KEYS)
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default(),
                GOAL_KEYS.join(", ")
            ));
        }
    }
    let kind_key =
        kind_key.ok_or_else(|| format!("a goal needs one of: {}", GOAL_KEYS.join(", ")))?;
    let arg = &map[kind_key];
    let text = |what: &str| -> Result<String, String> {
        arg.as_str()
            .map(str::to_string)
            .ok_or_else(|| format!("`{kind_key}` takes {what}"))
    };
    let job = match map.get("job") {
        None => None,
        Some(v) => Some(v.as_str().ok_or("`job` is a Job name")?.to_string()),
    };
    if job.is_some()
        && !matches!(
            kind_key,
            "jobEnds" | "podsCreated" | "runningAtOnce" | "restarts"
        )
    {
        return Err(format!("`job` does not apply to `{kind_key}`"));
    }
    if map.contains_key("object") && kind_key != "field" {
        return Err("`object` only applies to `field` goals".into());
    }
    let kind = match kind_key {
        "valid" => {
            if arg.as_bool() != Some(true) {
                return Err("write `valid: true`".into());
            }
            GoalKind::Valid
        }
        "lint" => GoalKind::Lint {
            rule: text("a rule code such as `BL-RES-001`, or `all`")?,
        },
        "field" => parse_field_goal(
            &text("a check such as `spec.backoffLimit <= 3`")?,
            map.get("object"),
        )?,
        "jobEnds" => parse_job_ends(arg, job)?,
        "podsCreated" => GoalKind::PodsCreated {
            job,
            count: Count::parse(arg)?,
        },
        "runningAtOnce" => GoalKind::RunningAtOnce {
            job,
            count: Count::parse(arg)?,
        },
        "restarts" => GoalKind::Restarts {
            job,
            count: Count::parse(arg)?,
        },
        "jobsCreated" => GoalKind::JobsCreated {
            count: Count::parse(arg)?,
        },
        "cronNeverOverlaps" => {
            if arg.as_bool() != Some(true) {
                return Err("write `cronNeverOverlaps: true`".into());
            }
            GoalKind::CronNeverOverlaps
        }
        "cronFires" => GoalKind::CronFires {
            at: parse_instants(arg)?,
        },
        "cronSkips" => GoalKind::CronSkips {
            at: parse_instants(arg)?,
        },
        "logsContain" => GoalKind::LogsContain {
            text: non_empty(text("a text")?)?,
        },
        "logsLack" => GoalKind::LogsLack {
            text: non_empty(text("a text")?)?,
        },
        "secretsInLogs" => GoalKind::SecretsInLogs {
            appear: arg
                .as_bool()
                .ok_or("write `secretsInLogs: false` (or `true` to show a leak on purpose)")?,
        },
        "eventSeen" => GoalKind::EventSeen {
            reason: text("an event reason such as `JobAlreadyActive`")?,
        },
        "eventNotSeen" => GoalKind::EventNotSeen {
            reason: text("an event reason such as `JobAlreadyActive`")?,
        },
        _ => unreachable!("every key of GOAL_KEYS is handled"),
    };
    let says = match map.get("says") {
        Some(v) => v
            .as_str()
            .ok_or("`says` is the sentence the learner reads")?
            .to_string(),
        None => default_sentence(&kind),
    };
    Ok(Goal { kind, says })
}

fn non_empty(text: String) -> Result<String, String> {
    if text.is_empty() {
        Err("the text must not be empty".into())
    } else {
        Ok(text)
    }
}

/// `spec.backoffLimit <= 3`, `spec.timeZone exists`, `spec.suspend absent`,
/// `spec.concurrencyPolicy == Forbid`.
fn parse_field_goal(text: &str, object: Option<&Value>) -> Result<GoalKind, String> {
    let text = text.trim();
    let (path_text, rest) = match text.find(char::is_whitespace) {
        Some(i) => (&text[..i], text[i..].trim()),
        None => {
            return Err(format!(
                "`{text}`: after the path comes `exists`, `absent`, or a comparison like `<= 3`"
            ))
        }
    };
    let path = FieldPath::parse(path_text)?;
    let check = match rest {
        "exists" => FieldCheck::Exists,
        "absent" => FieldCheck::Absent,
        _ => {
            let (op_text, value_text) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            let op = Op::parse(op_text).ok_or_else(|| {
                format!(
                    "`{text}`: `{op_text}` is not `exists`, `absent`, or one of == != < <= > >="
                )
            })?;
            let value_text = value_text.trim();
            if value_text.is_empty() {
                return Err(format!("`{text}`: the comparison has no value"));
            }
            let value = match crate::yaml::de::from_str::<Value>(value_text) {
                Ok(Value::Number(n)) => Scalar::Number(n.as_f64().unwrap_or(0.0)),
                Ok(Value::Bool(b)) => Scalar::Bool(b),
                Ok(Value::String(s)) => Scalar::Text(s),
                _ => Scalar::Text(value_text.to_string()),
            };
            if matches!(value, Scalar::Text(_) | Scalar::Bool(_)) && !matches!(op, Op::Eq | Op::Ne)
            {
                return Err(format!(
                    "`{text}`: only numbers can be compared with `{op_text}`"
                ));
            }
            FieldCheck::Compare { op, value }
        }
    };
    let object = match object {
        None => ObjectRef::default(),
        Some(v) => parse_object_ref(v.as_str().ok_or("`object` is `Kind` or `Kind/name`")?)?,
    };
    Ok(GoalKind::Field {
        object,
        path,
        check,
    })
}

/// `Job`, `CronJob/nightly`, `ConfigMap/settings`.
fn parse_object_ref(text: &str) -> Result<ObjectRef, String> {
    let (kind, name) = match text.split_once('/') {
        Some((k, n)) => (k, Some(n.to_string())),
        None => (text, None),
    };
    if !["Job", "CronJob", "ConfigMap", "Secret"].contains(&kind) {
        return Err(format!(
            "`object: {text}`: the kind must be Job, CronJob, ConfigMap or Secret"
        ));
    }
    Ok(ObjectRef {
        kind: Some(kind.to_string()),
        name,
    })
}

/// `jobEnds: Complete` or `jobEnds: {condition: Failed, reason: BackoffLimitExceeded, by: 5m}`.
fn parse_job_ends(arg: &Value, job: Option<String>) -> Result<GoalKind, String> {
    let condition_of = |text: &str| match text {
        "Complete" => Ok(JobCondition::Complete),
        "Failed" => Ok(JobCondition::Failed),
        other => Err(format!(
            "`{other}` is not a terminal Job condition (Complete or Failed)"
        )),
    };
    if let Some(text) = arg.as_str() {
        return Ok(GoalKind::JobEnds {
            job,
            condition: condition_of(text)?,
            reason: None,
            by_seconds: None,
        });
    }
    let map = arg.as_object().ok_or(
        "`jobEnds` is `Complete`, `Failed`, or a mapping with `condition`, `reason`, `by`",
    )?;
    for key in map.keys() {
        match key.as_str() {
            "condition" | "reason" | "by" => {}
            other => {
                return Err(format!(
                    "`jobEnds` has an unknown key {other:?}; it takes condition, reason, by"
                ))
            }
        }
    }
    let condition = condition_of(
        map.get("condition")
            .and_then(Value::as_str)
            .ok_or("`jobEnds` needs `condition: Complete` or `condition: Failed`")?,
    )?;
    let reason = match map.get("reason") {
        None => None,
        Some(v) => Some(
            v.as_str()
                .ok_or("`reason` is a condition reason such as `DeadlineExceeded`")?
                .to_string(),
        ),
    };
    if let Some(r) = &reason {
        let known: &[&str] = match condition {
            JobCondition::Complete => &["CompletionsReached", "SuccessPolicy"],
            JobCondition::Failed => &[
                "BackoffLimitExceeded",
                "DeadlineExceeded",
                "PodFailurePolicy",
                "MaxFailedIndexesExceeded",
                "FailedIndexes",
            ],
        };
        if !known.contains(&r.as_str()) {
            return Err(format!(
                "`{r}` is not a reason the Job controller gives a {condition} condition; it gives: {}",
                known.join(", ")
            ));
        }
    }
    let by_seconds = match map.get("by") {
        None => None,
        Some(v) => Some(parse_duration(
            v.as_str()
                .ok_or("`by` is a duration such as `90s` or `5m`")?,
        )?),
    };
    Ok(GoalKind::JobEnds {
        job,
        condition,
        reason,
        by_seconds,
    })
}

/// A Go-style duration in whole seconds: `90s`, `5m`, `1h30m`, `2h`.
pub fn parse_duration(text: &str) -> Result<u64, String> {
    let bad = || format!("`{text}` is not a duration such as `90s`, `5m` or `1h30m`");
    let mut total: u64 = 0;
    let mut number = String::new();
    let mut any = false;
    for ch in text.trim().chars() {
        if ch.is_ascii_digit() {
            number.push(ch);
            continue;
        }
        let unit = match ch {
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => return Err(bad()),
        };
        let n: u64 = number.parse().map_err(|_| bad())?;
        total = total
            .checked_add(n.checked_mul(unit).ok_or_else(bad)?)
            .ok_or_else(bad)?;
        number.clear();
        any = true;
    }
    if !number.is_empty() || !any {
        return Err(bad());
    }
    Ok(total)
}

/// A list of RFC 3339 instants (`2026-03-08T07:30:00Z`) as Unix seconds.
fn parse_instants(arg: &Value) -> Result<Vec<i64>, String> {
    let items = arg
        .as_array()
        .ok_or("a list of instants such as [\"2026-03-08T07:30:00Z\"]")?;
    if items.is_empty() {
        return Err("the list of instants is empty".into());
    }
    items
        .iter()
        .map(|item| {
            let text = item
                .as_str()
                .ok_or("each instant is an RFC 3339 text in quotes")?;
            chrono::DateTime::parse_from_rfc3339(text)
                .map(|t| t.timestamp())
                .map_err(|e| format!("`{text}` is not an RFC 3339 instant: {e}"))
        })
        .collect()
}

/// The sentence shown when an author does not write `says`.
fn default_sentence(kind: &GoalKind) -> String {
    let job_of = |job: &Option<String>| {
        job.as_ref()
            .map(|j| format!(" by Job `{j}`"))
            .unwrap_or_default()
    };
    match kind {
        GoalKind::Valid => "The API server accepts the manifests (no validation errors).".into(),
        GoalKind::Lint { rule } if rule == "all" => "No lint rule has anything to say.".into(),
        GoalKind::Lint { rule } => format!("Lint rule {rule} is satisfied."),
        GoalKind::Field {
            object,
            path,
            check,
        } => {
            let on = if object.name.is_some() {
                format!(" on {object}")
            } else if object.kind.is_some() {
                format!(" on the {object}")
            } else {
                String::new()
            };
            match check {
                FieldCheck::Exists => format!("`{}` is set{on}.", path.text),
                FieldCheck::Absent => format!("`{}` is not set{on}.", path.text),
                FieldCheck::Compare { op: Op::Eq, value } => {
                    format!("`{}` is {value}{on}.", path.text)
                }
                FieldCheck::Compare { op, value } => {
                    format!("`{}` is {} {value}{on}.", path.text, op.words())
                }
            }
        }
        GoalKind::JobEnds {
            job,
            condition,
            reason,
            by_seconds,
        } => {
            let who = job
                .as_ref()
                .map(|j| format!("Job `{j}`"))
                .unwrap_or_else(|| "The Job".into());
            let why = reason
                .as_ref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default();
            let when = by_seconds
                .map(|s| format!(" within {}", clock(s as f64)))
                .unwrap_or_default();
            format!("{who} ends {condition}{why}{when}.")
        }
        GoalKind::PodsCreated { job, count } => format!(
            "{} {} created{}.",
            counted(*count, "pod", "pods"),
            verb(*count, "is", "are"),
            job_of(job)
        ),
        GoalKind::RunningAtOnce { job, count } => format!(
            "{} {} at once{}.",
            counted(*count, "pod", "pods"),
            verb(*count, "runs", "run"),
            job_of(job)
        ),
        GoalKind::Restarts { job, count } if count.op == Op::Eq && count.n == 0 => {
            format!("No container restarts{}.", job_of(job))
        }
        GoalKind::Restarts { job, count } => format!(
            "Containers restart {count} {}{}.",
            plural(count.n, "time", "times"),
            job_of(job)
        ),
        GoalKind::JobsCreated { count } => format!(
            "{} {} created.",
            counted(*count, "Job", "Jobs"),
            verb(*count, "is", "are")
        ),
        GoalKind::CronNeverOverlaps => "The CronJob never runs two Jobs at once.".into(),
        GoalKind::CronFires { at } => format!(
            "The CronJob starts a Job for {}.",
            at.iter()
                .map(|t| instant_text(*t))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        GoalKind::CronSkips { at } => format!(
            "The CronJob starts no Job for {}.",
            at.iter()
                .map(|t| instant_text(*t))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        GoalKind::LogsContain { text } => format!("The logs contain {text:?}."),
        GoalKind::LogsLack { text } => format!("The logs never contain {text:?}."),
        GoalKind::SecretsInLogs { appear: false } => {
            "No Secret value that reaches a container is printed to its logs.".into()
        }
        GoalKind::SecretsInLogs { appear: true } => {
            "A Secret value that reaches a container is printed to its logs.".into()
        }
        GoalKind::EventSeen { reason } => format!("A {reason} event is recorded."),
        GoalKind::EventNotSeen { reason } => format!("No {reason} event is recorded."),
    }
}

/// "At most 4 pods", "Exactly 1 pod".
fn counted(count: Count, one: &str, many: &str) -> String {
    capitalise(&format!("{count} {}", plural(count.n, one, many)))
}

fn verb<'a>(count: Count, one: &'a str, many: &'a str) -> &'a str {
    plural(count.n, one, many)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The closest word within two edits, for "did you mean".
pub fn suggest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(&word.to_lowercase(), &c.to_lowercase()), *c))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let next = (row[j + 1] + 1).min(row[j] + 1).min(prev + cost);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// Field paths an exercise names: in `field` goals, and in backticks in its hints when they start
/// with `spec.` or `metadata.` (so a hint cannot point a learner at a field that does not exist).
pub fn named_paths(exercise: &Exercise) -> Vec<(ObjectRef, String)> {
    let mut paths = Vec::new();
    for goal in &exercise.goals {
        if let GoalKind::Field { object, path, .. } = &goal.kind {
            paths.push((object.clone(), path.text.clone()));
        }
    }
    for hint in exercise.hints.iter().chain(std::iter::once(&exercise.task)) {
        for (i, part) in hint.split('`').enumerate() {
            if i % 2 == 1
                && (part.starts_with("spec.") || part.starts_with("metadata."))
                && !part.contains(' ')
                && !part.contains(':')
            {
                paths.push((ObjectRef::default(), part.to_string()));
            }
        }
    }
    paths
}

#[cfg(test)]
mod tests;
