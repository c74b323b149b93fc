//! The engine behind the grader: `analyze` (parse, validate, lint) and `sim::simulate`, and the
//! summary of a timeline (`RunFacts`) that run goals are checked against.

use super::evidence::{
    read_documents, CronRun, EventFact, Evidence, JobEnd, JobRun, NoRun, RunFacts,
};
use super::{GoalKind, JobCondition};
use crate::analysis::Analysis;
use crate::lesson::Exercise;
use crate::lint::{LintConfig, RULES};
use crate::manifest::Bundle;
use crate::secrets;
use crate::sim::{self, Scenario, SimInput, Time, Timeline};

/// Run the engine on a learner's text for an exercise.
pub fn collect(exercise: &Exercise, text: &str) -> Evidence {
    let analysis = crate::analyze(text, &lint_config(exercise));
    let run = if analysis.has_errors() {
        Err(nothing_ran())
    } else {
        run(exercise, &analysis.bundle)
    };
    evidence(text, analysis, run)
}

/// Evidence from what a caller already computed. The app analyses and simulates on every edit
/// (to draw the diagnostics and the timeline), then grades from the same results with this,
/// instead of running the engine a second time:
///
/// ```text
/// let analysis = analyze(text, &grade::engine::lint_config(exercise));
/// let run = if analysis.has_errors() { None } else { Some(sim::simulate(&input, &scenario)) };
/// grade::check_goals(&exercise.goals, &grade::engine::evidence_from(text, analysis, run.as_ref()))
/// ```
pub fn evidence_from(text: &str, analysis: Analysis, timeline: Option<&Timeline>) -> Evidence {
    let run = match timeline {
        Some(timeline) => Ok(run_facts_with_secrets(
            timeline,
            &SimInput::from_bundle(&analysis.bundle),
        )),
        None => Err(nothing_ran()),
    };
    evidence(text, analysis, run)
}

fn evidence(text: &str, analysis: Analysis, run: Result<RunFacts, NoRun>) -> Evidence {
    let (documents, _) = read_documents(text);
    Evidence {
        diagnostics: analysis.diagnostics,
        validation_available: true,
        lint_available: true,
        documents,
        run,
    }
}

fn nothing_ran() -> NoRun {
    NoRun {
        message: "nothing ran: the manifests have errors (fix them first)".into(),
        unavailable: false,
    }
}

/// The exercise's scenario, or the simulator's defaults when it has none.
pub fn scenario(exercise: &Exercise) -> Result<Scenario, NoRun> {
    match &exercise.scenario {
        None => Ok(Scenario::default()),
        Some(text) => sim::parse_scenario(text).map_err(|problems| NoRun {
            message: format!(
                "the exercise's scenario is not valid: {}",
                problems.first().map(|d| d.message.as_str()).unwrap_or("?")
            ),
            unavailable: false,
        }),
    }
}

/// The lint rules that apply: those the exercise lists, plus those its goals name.
pub fn lint_config(exercise: &Exercise) -> LintConfig {
    let mut wanted: Vec<&str> = exercise.lint.iter().map(String::as_str).collect();
    for goal in &exercise.goals {
        if let GoalKind::Lint { rule } = &goal.kind {
            wanted.push(rule);
        }
    }
    if wanted.contains(&"all") {
        return LintConfig::all();
    }
    LintConfig::without(RULES.iter().map(|r| r.code).filter(|c| !wanted.contains(c)))
}

fn run(exercise: &Exercise, bundle: &Bundle) -> Result<RunFacts, NoRun> {
    let scenario = scenario(exercise)?;
    let input = SimInput::from_bundle(bundle);
    if input.jobs.is_empty() && input.cron_jobs.is_empty() {
        return Err(NoRun {
            message: "there is no Job or CronJob to run".into(),
            unavailable: false,
        });
    }
    Ok(run_facts_with_secrets(
        &sim::simulate(&input, &scenario),
        &input,
    ))
}

/// `run_facts`, plus the Secret values of `input` that the run printed to logs.
pub fn run_facts_with_secrets(tl: &Timeline, input: &SimInput) -> RunFacts {
    let exposed = secrets::exposed_secrets(input);
    let secret_leaks = secrets::leaks_in_logs(&exposed, tl)
        .into_iter()
        .map(|leak| {
            format!(
                "pod `{}` printed the value of Secret `{}`, key `{}`",
                leak.pod, leak.secret, leak.key
            )
        })
        .collect();
    RunFacts {
        secret_leaks,
        ..run_facts(tl)
    }
}

/// What the goals ask about a timeline.
pub fn run_facts(tl: &Timeline) -> RunFacts {
    let jobs: Vec<JobRun> = tl
        .jobs
        .iter()
        .map(|j| job_run(tl, &j.name, j.cron_job.as_deref().map(str::to_string)))
        .collect();
    RunFacts {
        horizon_seconds: tl.end.secs_f64(),
        start_unix: tl.start_unix_ms.div_euclid(1000),
        max_running: max_running(tl),
        cron: cron_runs(tl),
        events: tl
            .events
            .iter()
            .map(|e| EventFact {
                at_seconds: e.at.secs_f64(),
                reason: e.reason.to_string(),
                message: e.message.to_string(),
            })
            .collect(),
        jobs,
        secret_leaks: Vec::new(),
    }
}

fn job_run(tl: &Timeline, name: &str, cron_job: Option<String>) -> JobRun {
    let mut logs: Vec<(Time, &str)> = tl
        .pods_of(name)
        .flat_map(|p| p.logs().iter().map(|l| (l.at, l.text.as_str())))
        .collect();
    crate::sort::sort_by_key(&mut logs, |(at, _)| *at);
    JobRun {
        name: name.to_string(),
        cron_job,
        pods_created: tl.pods_created(name) as u32,
        max_running: tl.max_running_at_once(name) as u32,
        restarts: tl.restarts(name),
        end: tl.outcome(name).map(|(condition, reason, at)| JobEnd {
            condition: if condition == "Complete" {
                JobCondition::Complete
            } else {
                JobCondition::Failed
            },
            reason: reason.to_string(),
            at_seconds: at.secs_f64(),
        }),
        logs: logs.into_iter().map(|(_, text)| text.to_string()).collect(),
    }
}

/// The most pods running at one instant, over all Jobs (same counting as the timeline's per-Job
/// figure: Running and not terminating; an end and a start at the same instant do not overlap).
fn max_running(tl: &Timeline) -> u32 {
    let mut edges: Vec<(Time, i32)> = Vec::new();
    for pod in &tl.pods {
        let mut since: Option<Time> = None;
        for change in &pod.phases {
            let running = change.phase == "Running" && change.reason != "Terminating";
            match (running, since) {
                (true, None) => since = Some(change.at),
                (false, Some(start)) => {
                    edges.extend([(start, 1), (change.at, -1)]);
                    since = None;
                }
                _ => {}
            }
        }
        if let Some(start) = since {
            edges.extend([(start, 1), (pod.deleted_at.unwrap_or(Time(u64::MAX)), -1)]);
        }
    }
    peak(edges)
}

fn peak(mut edges: Vec<(Time, i32)>) -> u32 {
    crate::sort::sort(&mut edges);
    let (mut now, mut max) = (0i32, 0i32);
    for (_, delta) in edges {
        now += delta;
        max = max.max(now);
    }
    max.max(0) as u32
}

/// Per CronJob: the scheduled instants it created Jobs for (from the Job names,
/// `<cronjob>-<minutes since the epoch>`), and the most of its Jobs active at once.
fn cron_runs(tl: &Timeline) -> Vec<CronRun> {
    let mut names: Vec<&str> = tl
        .jobs
        .iter()
        .filter_map(|j| j.cron_job.as_deref())
        .collect();
    crate::sort::sort(&mut names);
    names.dedup();
    names
        .into_iter()
        .map(|cron| {
            let jobs: Vec<_> = tl
                .jobs
                .iter()
                .filter(|j| j.cron_job.as_deref() == Some(cron))
                .collect();
            let fired = jobs
                .iter()
                .filter_map(|j| j.name.rsplit('-').next()?.parse::<i64>().ok())
                .map(|minutes| minutes * 60)
                .collect();
            let edges = jobs
                .iter()
                .flat_map(|j| {
                    let end = tl
                        .outcome(&j.name)
                        .map(|(_, _, at)| at)
                        .or(j.deleted_at)
                        .unwrap_or(Time(u64::MAX));
                    [(j.created_at, 1), (end, -1)]
                })
                .collect();
            CronRun {
                name: cron.to_string(),
                fired,
                max_active: peak(edges),
            }
        })
        .collect()
}
