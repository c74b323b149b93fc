//! The one place the app calls `batchlab-core`: lessons become `UnitView`s, a manifest text becomes
//! an `Outcome` (diagnostics, a simulated run, goal results). Everything Kubernetes-shaped is decided
//! by core; this module only moves its results into the shapes in `view.rs`.

use crate::course::course;
use crate::view::*;
use batchlab_core::lesson::{self, Block, Unit};
use batchlab_core::lint::LintConfig;
use batchlab_core::secrets::{self, ExposedSecret};
use batchlab_core::sim::cronjob::CronJobRecord;
use batchlab_core::sim::{self, kubectl, PodRecord, SimInput, Time, Timeline};
use batchlab_core::{analyze, grade, schedule};
use std::collections::BTreeMap;
use std::rc::Rc;

/// How many upcoming CronJob runs are listed after the end of the run.
const NEXT_RUNS: usize = 5;

/// The units, in course order, as the screens show them.
pub fn units() -> Vec<Rc<UnitView>> {
    thread_local! {
        static UNITS: Vec<Rc<UnitView>> = course()
            .0
            .as_ref()
            .map(|c| c.units.iter().map(|u| Rc::new(unit_view(u))).collect())
            .unwrap_or_default();
    }
    UNITS.with(Clone::clone)
}

pub fn unit(id: &str) -> Option<Rc<UnitView>> {
    units().into_iter().find(|u| u.id == id)
}

pub fn course_title() -> String {
    course()
        .0
        .as_ref()
        .map_or_else(|| "Batch Lab".to_string(), |c| c.title.clone())
}

fn unit_view(unit: &Unit) -> UnitView {
    UnitView {
        id: unit.meta.id.clone(),
        title: unit.meta.title.clone(),
        summary: unit.meta.summary.clone(),
        minutes: unit.meta.minutes,
        objectives: unit.meta.objectives.clone(),
        reflection: unit.meta.reflection.clone(),
        sections: unit
            .sections
            .iter()
            .map(|s| SectionView {
                id: s.id.clone(),
                title: s.title.clone(),
                blocks: s
                    .blocks
                    .iter()
                    .map(|b| block_view(&unit.meta.id, b))
                    .collect(),
            })
            .collect(),
    }
}

fn block_view(unit: &str, block: &Block) -> BlockView {
    match block {
        Block::Markdown { text } => BlockView::Markdown(text.clone()),
        Block::Exercise(e) => BlockView::Exercise(Rc::new(ExerciseView {
            unit: unit.to_string(),
            id: e.id.clone(),
            title: e.title.clone(),
            task: e.task.clone(),
            starter: e.starter.clone(),
            starter_hash: format!("{:016x}", e.starter_hash),
            solution: e.solution.clone(),
            scenario: e.scenario.clone().unwrap_or_default(),
            hints: e.hints.clone(),
        })),
        Block::Quiz(q) => BlockView::Quiz(QuizView {
            id: q.id.clone(),
            prompt: q.prompt.clone(),
            choices: q
                .choices
                .iter()
                .map(|c| ChoiceView {
                    text: c.text.clone(),
                    correct: c.correct,
                    why: c.why.clone(),
                })
                .collect(),
            explanation: q.explanation.clone(),
            question: Rc::new(q.clone()),
        }),
        Block::Checklist(c) => BlockView::Checklist(ChecklistView {
            id: c.id.clone(),
            title: c.title.clone(),
            items: c
                .items
                .iter()
                .map(|i| (i.id.clone(), i.text.clone()))
                .collect(),
        }),
        Block::Confidence(c) => BlockView::Confidence(ConfidenceView {
            id: c.id.clone(),
            statements: c
                .statements
                .iter()
                .map(|i| (i.id.clone(), i.text.clone()))
                .collect(),
            if_all_high: c.if_all_high.clone(),
            if_any_low: c.if_any_low.clone(),
        }),
    }
}

/// The core exercise behind a view (for the grader).
fn core_exercise(view: &ExerciseView) -> Option<&'static lesson::Exercise> {
    let unit = course()
        .0
        .as_ref()?
        .units
        .iter()
        .find(|u| u.meta.id == view.unit)?;
    unit.sections
        .iter()
        .flat_map(|s| &s.blocks)
        .find_map(|b| match b {
            Block::Exercise(e) if e.id == view.id => Some(e),
            _ => None,
        })
}

/// The lint rules an exercise shows: `all`, the listed codes, or none.
fn lint_config(exercise: Option<&lesson::Exercise>) -> LintConfig {
    match exercise {
        None => LintConfig::all(),
        Some(e) if e.lint.iter().any(|c| c == "all") => LintConfig::all(),
        Some(e) => {
            let mut config = LintConfig::none();
            for code in &e.lint {
                config.disabled.remove(code);
            }
            config
        }
    }
}

/// Run the engine over a learner's text: diagnostics, then (if it has no errors) the simulation and
/// the exercise's goals. The text is analysed and simulated once: the goals are checked against the
/// same results the screen shows.
pub fn run(text: &str, scenario_text: &str, exercise: Option<&ExerciseView>) -> Outcome {
    let core_ex = exercise.and_then(core_exercise);
    // The grader also needs the lint rules its goals name; the editor shows only those the
    // exercise lists.
    let analysis = analyze(
        text,
        &core_ex.map_or_else(LintConfig::all, grade::engine::lint_config),
    );
    let shown = lint_config(core_ex);
    let mut outcome = Outcome {
        checked: true,
        diagnostics: analysis
            .diagnostics
            .iter()
            .filter(|d| shown.enabled(&d.code))
            .cloned()
            .collect(),
        ..Outcome::default()
    };
    let grade_from = |analysis, timeline: Option<&Timeline>| -> Vec<GoalView> {
        core_ex.map_or_else(Vec::new, |e| {
            let evidence = grade::engine::evidence_from(text, analysis, timeline);
            grade::check_goals(&e.goals, &evidence)
                .into_iter()
                .map(goal_view)
                .collect()
        })
    };
    // Where the app does not simulate, the grader says why in its own words.
    let grade_alone = || -> Vec<GoalView> {
        core_ex.map_or_else(Vec::new, |e| {
            grade::grade(e, text).into_iter().map(goal_view).collect()
        })
    };
    if analysis.has_errors() {
        outcome.goals = grade_from(analysis, None);
        outcome.no_run_reason = Some(
            "Nothing is simulated while the manifest has errors: fix them to see it run.".into(),
        );
        return outcome;
    }
    let scenario = match sim::parse_scenario(scenario_text) {
        Ok(s) => s,
        Err(problems) => {
            outcome.no_run_reason = Some(format!(
                "The scenario has problems, so nothing is simulated: {}",
                problems
                    .iter()
                    .map(|d| format!("line {}: {}", d.span.line, d.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
            outcome.scenario_diagnostics = problems;
            outcome.goals = grade_alone();
            return outcome;
        }
    };
    let input = SimInput::from_bundle(&analysis.bundle);
    if input.jobs.is_empty() && input.cron_jobs.is_empty() {
        outcome.no_run_reason = Some("There is no Job or CronJob here to run.".into());
        outcome.goals = grade_alone();
        return outcome;
    }
    let timeline = Rc::new(sim::simulate(&input, &scenario));
    outcome.goals = grade_from(analysis, Some(&timeline));
    let exposed = secrets::exposed_secrets(&input);
    outcome.run = Some(Rc::new(run_view(timeline, exposed)));
    outcome
}

fn goal_view(g: grade::GoalResult) -> GoalView {
    GoalView {
        says: g.says,
        passed: g.passed,
        observed: g.observed,
        unavailable: g.unavailable,
    }
}

fn secs(t: Time) -> f64 {
    t.secs_f64()
}

/// The run as the timeline screen shows it. `exposed` are the Secret values that reach containers:
/// the `kubectl logs` view masks them.
fn run_view(tl: Rc<Timeline>, exposed: Vec<ExposedSecret>) -> Run {
    let end = secs(tl.end);
    // Pods grouped by Job in one pass: a month of a CronJob is ~20 000 Jobs and as many pods,
    // and asking the timeline for each Job's pods in turn would be quadratic.
    let mut pods_by_job: BTreeMap<&str, Vec<&PodRecord>> = BTreeMap::new();
    for p in &tl.pods {
        pods_by_job.entry(p.job.as_str()).or_default().push(p);
    }
    let groups = tl
        .jobs
        .iter()
        .map(|j| Group {
            job: j.name.to_string(),
            cron_job: j.cron_job.as_deref().map(str::to_string),
            pods: pods_by_job
                .get(j.name.as_str())
                .map_or_else(Vec::new, |pods| {
                    pods.iter().map(|p| pod_bar(p, end)).collect()
                }),
        })
        .collect();
    let fates = batchlab_core::sim::recorder::fates(&tl.events);
    let events = tl
        .events
        .iter()
        .zip(fates)
        .map(|(e, fate)| EventView {
            at: secs(e.at),
            object: format!("{}/{}", e.kind.to_lowercase(), e.name),
            warning: e.type_ == "Warning",
            reason: e.reason.to_string(),
            message: e.message.to_string(),
            stored: fate.written,
        })
        .collect();
    let mut notes: Vec<String> = tl.truncated.iter().cloned().collect();
    notes.extend(tl.notes.iter().cloned());
    let schedules = tl.cron_jobs.iter().map(|c| schedule_view(c, &tl)).collect();
    let views_of = tl.clone();
    Run {
        end,
        groups,
        events,
        notes,
        schedules,
        kubectl: Box::new(move |at| kubectl_views(&views_of, &exposed, at)),
    }
}

/// A pod's row: one segment per status change (colour and pattern from its broad state), marks at
/// container exits and restarts.
fn pod_bar(p: &sim::PodRecord, end: f64) -> PodBar {
    let gone = p.deleted_at.map_or(end, secs);
    let segments = p
        .phases
        .iter()
        .enumerate()
        .map(|(i, change)| Segment {
            from: secs(change.at),
            to: p.phases.get(i + 1).map_or(gone, |next| secs(next.at)),
            state: bar_state(&change.phase, &change.reason),
            label: change.reason.to_string(),
        })
        .filter(|s| s.to > s.from)
        .collect();
    // With more than one container, each exit says whose it is. A sidecar's exit (143 when the
    // kubelet stops it) does not fail the pod, so it is not marked as a failure.
    let named = p.containers.len() > 1;
    let mut marks: Vec<Mark> = p
        .containers
        .iter()
        .flat_map(|c| c.states.iter().map(move |s| (c, s)))
        .filter(|(_, s)| s.state == "terminated")
        .filter_map(|(c, s)| {
            s.exit_code.map(|code| Mark {
                at: secs(s.from),
                label: if named {
                    format!("{} exit {code}", c.name)
                } else {
                    format!("exit {code}")
                },
                failed: code != 0 && c.kind != sim::timeline::ContainerKind::Sidecar,
            })
        })
        .collect();
    let mut restarts = 0;
    for change in &p.phases {
        if change.restarts > restarts {
            restarts = change.restarts;
            marks.push(Mark {
                at: change.last_restart_at.get().map_or(secs(change.at), secs),
                label: format!("↻{restarts}"),
                failed: false,
            });
        }
    }
    batchlab_core::sort::sort_by(&mut marks, |a, b| a.at.total_cmp(&b.at));
    PodBar {
        name: p.name.to_string(),
        created: secs(p.created_at),
        segments,
        marks,
    }
}

/// The chart's broad state for a STATUS word (only picks colour and pattern; the word itself is
/// shown as the label).
fn bar_state(phase: &str, reason: &str) -> BarState {
    match (phase, reason) {
        ("Succeeded", _) | (_, "Completed") => BarState::Succeeded,
        ("Failed", _) => BarState::Failed,
        (_, "Error" | "OOMKilled" | "DeadlineExceeded" | "Evicted") => BarState::Failed,
        ("Running", "Running") => BarState::Running,
        ("Pending", "Pending" | "ContainerCreating" | "PodInitializing") => BarState::Pending,
        // `Init:1/2`: init containers working through their list, as planned.
        ("Pending", r)
            if r.strip_prefix("Init:")
                .is_some_and(|n| n.starts_with(|c: char| c.is_ascii_digit())) =>
        {
            BarState::Pending
        }
        _ => BarState::Waiting,
    }
}

/// What `kubectl` shows at `at` seconds: cronjobs (if any, each described), pods, jobs, the most recent Jobs described, and the most
/// recently created pod described and its logs (with the values of Secrets that reached it masked).
fn kubectl_views(tl: &Timeline, exposed: &[ExposedSecret], at: f64) -> Vec<KubectlView> {
    let t = Time((at.max(0.0) * 1000.0) as u64);
    let mut views = Vec::new();
    if !tl.cron_jobs.is_empty() {
        views.push(KubectlView {
            command: "kubectl get cronjobs".into(),
            output: kubectl::get_cronjobs(tl, t),
            note: None,
        });
        for c in &tl.cron_jobs {
            if let Some(text) = kubectl::describe_cronjob(tl, &c.name, t) {
                views.push(KubectlView {
                    command: format!("kubectl describe cronjob {}", c.name),
                    output: text,
                    note: None,
                });
            }
        }
    }
    views.extend([
        KubectlView {
            command: "kubectl get pods".into(),
            output: kubectl::get_pods(tl, t),
            note: None,
        },
        KubectlView {
            command: "kubectl get jobs".into(),
            output: kubectl::get_jobs(tl, t),
            note: None,
        },
    ]);
    let recent_jobs = tl.jobs.iter().rev().filter(|j| j.created_at <= t).take(2);
    for j in recent_jobs {
        if let Some(text) = kubectl::describe_job(tl, &j.name, t) {
            views.push(KubectlView {
                command: format!("kubectl describe job {}", j.name),
                output: text,
                note: None,
            });
        }
    }
    if let Some(pod) = tl.pods.iter().rev().find(|p| p.exists_at(t)) {
        if let Some(text) = kubectl::describe_pod(tl, &pod.name, t) {
            views.push(KubectlView {
                command: format!("kubectl describe pod {}", pod.name),
                output: text,
                note: None,
            });
        }
        let output = kubectl::logs(tl, &pod.name, None, false, t).unwrap_or_else(|e| e);
        let masked =
            secrets::mask_log_text(&output, &secrets::exposed_to_job(exposed, tl, &pod.job));
        views.push(KubectlView {
            command: format!("kubectl logs {}", pod.name),
            output: if masked.text.is_empty() {
                "(no output yet)".into()
            } else {
                masked.text
            },
            note: (!masked.found.is_empty()).then(|| secrets::masking_note(&masked.found)),
        });
    }
    views
}

/// A CronJob's schedule strip: the controller's record of every start time in the run (fired,
/// skipped, missed, pending) and the next runs after it, from `core::schedule`.
fn schedule_view(record: &CronJobRecord, tl: &Timeline) -> ScheduleView {
    let slots = record
        .slots
        .iter()
        .map(|slot| Slot {
            at: secs(slot.at),
            scheduled: slot.scheduled.to_string(),
            fate: match slot.outcome {
                "fired" => SlotFate::Fired,
                "skipped" => SlotFate::Skipped,
                "missed" => SlotFate::Missed,
                _ => SlotFate::Pending,
            },
            reason: slot.reason.to_string(),
        })
        .collect();
    let after_end = chrono::DateTime::from_timestamp_millis(tl.start_unix_ms + tl.end.0 as i64);
    let next_runs = after_end
        .and_then(|from| {
            schedule::report(
                &record.schedule,
                record.time_zone.as_deref(),
                from,
                NEXT_RUNS,
            )
            .ok()
        })
        .map(|r| r.next)
        .unwrap_or_default();
    let mut notes = record.dst_nights.clone();
    notes.extend(record.notes.iter().cloned());
    ScheduleView {
        cron_job: record.name.clone(),
        expression: record.schedule.clone(),
        description: record.description.clone(),
        slots,
        next_runs,
        notes,
    }
}

/// What the playground starts with on a first visit: the course's first exercise starter, or else
/// the first YAML example in the lessons.
pub fn sample_manifest() -> String {
    let units = units();
    if let Some(e) = units.iter().flat_map(|u| u.exercises()).next() {
        return e.starter.clone();
    }
    units
        .iter()
        .flat_map(|u| u.sections.iter().flat_map(|s| s.blocks.iter()))
        .find_map(|b| match b {
            BlockView::Markdown(text) => first_yaml_block(text),
            _ => None,
        })
        .unwrap_or_default()
}

fn first_yaml_block(markdown: &str) -> Option<String> {
    let start = markdown.find("```yaml\n")? + "```yaml\n".len();
    let len = markdown[start..].find("```")?;
    Some(markdown[start..start + len].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use batchlab_core::diag::Diagnostic;

    #[test]
    fn every_unit_of_the_course_becomes_a_view_with_its_blocks() {
        let units = units();
        assert!(!units.is_empty());
        let first = &units[0];
        assert!(
            first.exercises().count() > 0,
            "unit {} has exercises",
            first.id
        );
        assert!(first.checklists().count() > 0);
    }

    #[test]
    fn the_starter_of_an_exercise_gets_its_api_error_and_no_run() {
        let unit = unit("first-job").expect("unit 1");
        let ex = unit
            .exercises()
            .find(|e| e.id == "hello-job")
            .expect("hello-job");
        let outcome = run(&ex.starter, &ex.scenario, Some(ex));
        assert!(outcome
            .diagnostics
            .iter()
            .any(|d| d.path == "spec.template.spec.restartPolicy" && d.is_error()));
        assert!(outcome.run.is_none());
    }

    #[test]
    fn the_solution_runs_and_its_pods_appear_on_the_chart() {
        let unit = unit("first-job").expect("unit 1");
        let ex = unit
            .exercises()
            .find(|e| e.id == "hello-job")
            .expect("hello-job");
        let outcome = run(&ex.solution, &ex.scenario, Some(ex));
        assert!(!outcome.diagnostics.iter().any(Diagnostic::is_error));
        let run = outcome.run.expect("a run");
        assert_eq!(run.groups.len(), 1);
        assert_eq!(run.groups[0].job, "hello");
        let pod = &run.groups[0].pods[0];
        assert!(pod.name.starts_with("hello-"));
        assert_eq!(
            pod.segments.last().map(|s| s.state),
            Some(BarState::Succeeded)
        );
        let views = (run.kubectl)(run.end);
        assert!(views[0].output.contains(&pod.name), "{}", views[0].output);
        assert!(run.next_event_after(0.0).is_some());
    }

    #[test]
    fn goals_from_the_one_simulation_match_the_graders_own_run_for_every_exercise() {
        // The app grades from the analysis and timeline it draws; `grade::grade` analyses and
        // simulates on its own. They must agree on every starter and solution of the course.
        for unit in units() {
            for ex in unit.exercises() {
                let core_ex = core_exercise(ex).expect("a core exercise");
                for text in [&ex.starter, &ex.solution] {
                    let from_app: Vec<GoalView> = run(text, &ex.scenario, Some(ex)).goals;
                    let alone: Vec<GoalView> = grade::grade(core_ex, text)
                        .into_iter()
                        .map(goal_view)
                        .collect();
                    assert_eq!(from_app, alone, "{} / {}", unit.id, ex.id);
                }
            }
        }
    }

    #[test]
    fn the_editor_shows_only_the_lint_rules_the_exercise_lists() {
        let unit = unit("advanced-config").expect("unit 5");
        let ex = unit
            .exercises()
            .find(|e| e.id == "secret-not-literal")
            .expect("secret-not-literal");
        // Its goals name BL-SEC-001 and BL-SEC-002, which the grader runs; it lists no `lint:`.
        let outcome = run(&ex.starter, &ex.scenario, Some(ex));
        assert!(outcome
            .diagnostics
            .iter()
            .all(|d| !d.code.starts_with("BL-")));
        assert!(outcome
            .goals
            .iter()
            .any(|g| !g.passed && g.observed.contains("[BL-SEC-001]")));
    }

    #[test]
    fn the_logs_view_masks_a_secret_the_script_prints_and_says_so() {
        let manifest = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: api-credentials\nstringData:\n  token: tok-9f8e7d6c\n---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: leaky\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: c\n          image: busybox:1.36\n          env:\n            - name: API_TOKEN\n              valueFrom:\n                secretKeyRef: {name: api-credentials, key: token}\n          command: [\"sh\", \"-c\", \"echo using token $API_TOKEN\"]\n";
        let run = run(manifest, "", None).run.expect("a run");
        let views = (run.kubectl)(run.end);
        let logs = views
            .iter()
            .find(|v| v.command.starts_with("kubectl logs leaky-"))
            .expect("a logs view");
        assert_eq!(logs.output, "using token ***\n");
        let note = logs.note.as_deref().expect("a note");
        assert!(note.starts_with("1 secret value was masked"), "{note}");
        assert!(note.contains("real `kubectl logs` would print it in clear"));
        assert!(views.iter().all(|v| !v.output.contains("tok-9f8e7d6c")));
    }

    #[test]
    fn a_cronjob_gets_its_schedule_strip_and_its_jobs_grouped_under_it() {
        let manifest = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: tick\nspec:\n  schedule: \"*/5 * * * *\"\n  timeZone: Etc/UTC\n  concurrencyPolicy: Forbid\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n            - name: c\n              image: busybox:1.36\n              command: [\"sh\", \"-c\", \"echo tick\"]\n";
        let outcome = run(manifest, "horizon: 30m\n", None);
        assert!(
            !outcome.diagnostics.iter().any(Diagnostic::is_error),
            "{:?}",
            outcome.diagnostics
        );
        let run = outcome.run.expect("a run");
        let strip = &run.schedules[0];
        assert_eq!(strip.cron_job, "tick");
        assert!(
            strip.description.to_lowercase().contains("5 minutes"),
            "{}",
            strip.description
        );
        assert!(
            strip
                .slots
                .iter()
                .filter(|s| s.fate == SlotFate::Fired)
                .count()
                >= 5
        );
        assert_eq!(strip.next_runs.len(), NEXT_RUNS);
        assert!(run
            .groups
            .iter()
            .all(|g| g.cron_job.as_deref() == Some("tick")));
    }

    #[test]
    fn init_progress_is_pending_and_a_sidecars_exit_is_named_and_not_a_failure() {
        let manifest = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: export\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      initContainers:\n        - name: fetch\n          image: busybox:1.36\n          command: [\"sh\", \"-c\", \"sleep 3\"]\n        - name: shipper\n          image: busybox:1.36\n          restartPolicy: Always\n          command: [\"sh\", \"-c\", \"trap 'exit 143' TERM; while true; do sleep 1; done\"]\n      containers:\n        - name: work\n          image: busybox:1.36\n          command: [\"sh\", \"-c\", \"sleep 5\"]\n";
        let outcome = run(manifest, "", None);
        let run = outcome.run.expect("a run");
        let bar = &run.groups[0].pods[0];
        let init = bar
            .segments
            .iter()
            .find(|s| s.label == "Init:0/2")
            .expect("an Init:0/2 segment");
        assert_eq!(init.state, BarState::Pending);
        let labels: Vec<(&str, bool)> = bar
            .marks
            .iter()
            .map(|m| (m.label.as_str(), m.failed))
            .collect();
        assert!(labels.contains(&("fetch exit 0", false)), "{labels:?}");
        assert!(labels.contains(&("work exit 0", false)), "{labels:?}");
        assert!(labels.contains(&("shipper exit 143", false)), "{labels:?}");
    }
}
