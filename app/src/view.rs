//! The shapes the screens render. Components take these, not core's types, so each screen can be
//! built and tested on its own; `engine.rs` is the one place that maps core's results into them.
//! They carry text and numbers only: all Kubernetes meaning was decided by core.

use batchlab_core::diag::Diagnostic;
use std::rc::Rc;

/// A unit as the unit page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitView {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub minutes: u32,
    pub objectives: Vec<String>,
    pub reflection: Vec<String>,
    pub sections: Vec<SectionView>,
}

impl UnitView {
    pub fn exercises(&self) -> impl Iterator<Item = &ExerciseView> {
        self.blocks().filter_map(|b| match b {
            BlockView::Exercise(e) => Some(e.as_ref()),
            _ => None,
        })
    }

    pub fn checklists(&self) -> impl Iterator<Item = &ChecklistView> {
        self.blocks().filter_map(|b| match b {
            BlockView::Checklist(c) => Some(c),
            _ => None,
        })
    }

    pub fn confidence_checks(&self) -> impl Iterator<Item = &ConfidenceView> {
        self.blocks().filter_map(|b| match b {
            BlockView::Confidence(c) => Some(c),
            _ => None,
        })
    }

    fn blocks(&self) -> impl Iterator<Item = &BlockView> {
        self.sections.iter().flat_map(|s| s.blocks.iter())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SectionView {
    /// Empty for the untitled opening section.
    pub id: String,
    pub title: String,
    pub blocks: Vec<BlockView>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BlockView {
    Markdown(String),
    Exercise(Rc<ExerciseView>),
    Quiz(QuizView),
    Checklist(ChecklistView),
    Confidence(ConfidenceView),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExerciseView {
    /// The unit it belongs to.
    pub unit: String,
    pub id: String,
    pub title: String,
    /// Markdown.
    pub task: String,
    pub starter: String,
    /// Compared with the hash saved beside the learner's edit.
    pub starter_hash: String,
    pub solution: String,
    /// The scenario YAML handed to the simulator, if the exercise has one.
    pub scenario: String,
    /// Markdown, revealed one at a time.
    pub hints: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct QuizView {
    pub id: String,
    pub prompt: String,
    /// Empty for a short-answer question.
    pub choices: Vec<ChoiceView>,
    pub explanation: String,
    /// The question as core has it, which decides whether a short answer is accepted.
    pub question: Rc<batchlab_core::lesson::Question>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceView {
    pub text: String,
    pub correct: bool,
    pub why: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChecklistView {
    pub id: String,
    pub title: String,
    /// (item id, text).
    pub items: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConfidenceView {
    pub id: String,
    /// (statement id, text).
    pub statements: Vec<(String, String)>,
    pub if_all_high: String,
    pub if_any_low: String,
}

/// One goal in the goals panel.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalView {
    pub says: String,
    pub passed: bool,
    pub observed: String,
    /// Could not be checked in this build: shown, never counted as passed.
    pub unavailable: bool,
}

/// Everything one run of the engine produced for a text: what the editor, the goals panel and the
/// timeline show.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outcome {
    /// False until the engine has looked at the text (the first result comes just after the page
    /// is shown).
    pub checked: bool,
    pub diagnostics: Vec<Diagnostic>,
    /// Problems with the scenario text (playground).
    pub scenario_diagnostics: Vec<Diagnostic>,
    /// `None` when the text has errors (nothing to run) or the simulator is not in this build.
    pub run: Option<Rc<Run>>,
    pub goals: Vec<GoalView>,
    /// Why there is no run, in words.
    pub no_run_reason: Option<String>,
}

impl Outcome {
    pub fn all_goals_pass(&self) -> bool {
        !self.goals.is_empty() && self.goals.iter().all(|g| g.passed && !g.unavailable)
    }
}

/// A simulated run: the chart's rows and events, and the kubectl views at any instant.
pub struct Run {
    /// Seconds from the start to where the run stopped.
    pub end: f64,
    pub groups: Vec<Group>,
    pub events: Vec<EventView>,
    /// Why the simulation stopped early, or notes on how it was modelled.
    pub notes: Vec<String>,
    /// CronJobs' schedules, if any.
    pub schedules: Vec<ScheduleView>,
    /// `kubectl …` output at an instant, rendered by core.
    pub kubectl: Box<dyn Fn(f64) -> Vec<KubectlView>>,
}

/// Two runs are equal only when they are the same computed run. Comparing pods and events is not
/// enough: an edit that changes only what a script prints (or a Job's description) gives the same
/// bars and events, and the timeline must still redraw its `kubectl` views, which are a closure and
/// cannot be compared.
impl PartialEq for Run {
    fn eq(&self, other: &Run) -> bool {
        std::ptr::eq(self, other)
    }
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Run")
            .field("end", &self.end)
            .field("groups", &self.groups)
            .finish_non_exhaustive()
    }
}

impl Run {
    /// The first event strictly after `at`, for "step to next event".
    pub fn next_event_after(&self, at: f64) -> Option<f64> {
        self.events.iter().map(|e| e.at).find(|&t| t > at + 1e-9)
    }

    /// Events in `(from, to]`, for announcing what happened while playing.
    pub fn events_between(&self, from: f64, to: f64) -> impl Iterator<Item = &EventView> {
        self.events
            .iter()
            .filter(move |e| e.at > from && e.at <= to)
    }

    pub fn pod_count(&self) -> usize {
        self.groups.iter().map(|g| g.pods.len()).sum()
    }
}

/// The pods of one Job (under its CronJob, if any).
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub job: String,
    pub cron_job: Option<String>,
    pub pods: Vec<PodBar>,
}

/// One pod's row in the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct PodBar {
    pub name: String,
    pub created: f64,
    pub segments: Vec<Segment>,
    /// Restarts and exits, marked on the bar.
    pub marks: Vec<Mark>,
}

/// The pod looked one way from `from` to `to` (seconds).
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub from: f64,
    pub to: f64,
    pub state: BarState,
    /// What `kubectl get pods` shows in STATUS then (`ContainerCreating`, `OOMKilled` …).
    pub label: String,
}

/// The broad state of a segment: picks its colour AND its pattern (colour is never the only signal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BarState {
    Pending,
    Running,
    Succeeded,
    Failed,
    /// Waiting to restart (`CrashLoopBackOff`) or being terminated.
    Waiting,
}

impl BarState {
    pub fn class(self) -> &'static str {
        match self {
            BarState::Pending => "bar-pending",
            BarState::Running => "bar-running",
            BarState::Succeeded => "bar-succeeded",
            BarState::Failed => "bar-failed",
            BarState::Waiting => "bar-waiting",
        }
    }

    pub fn legend(self) -> &'static str {
        match self {
            BarState::Pending => "pending / creating (dotted)",
            BarState::Running => "running (solid)",
            BarState::Succeeded => "succeeded (striped ╱)",
            BarState::Failed => "failed (cross-hatched ✕)",
            BarState::Waiting => "back-off / terminating (dashed outline)",
        }
    }

    pub const ALL: [BarState; 5] = [
        BarState::Pending,
        BarState::Running,
        BarState::Succeeded,
        BarState::Failed,
        BarState::Waiting,
    ];
}

#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub at: f64,
    /// Short label drawn on the chart: `↻2` (restart), `exit 1`.
    pub label: String,
    pub failed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EventView {
    pub at: f64,
    /// `kind/name`.
    pub object: String,
    pub warning: bool,
    pub reason: String,
    pub message: String,
    /// The API server stored it (`false`: the event recorder's spam filter dropped it, so
    /// `kubectl describe` and `get events` never show it).
    pub stored: bool,
}

/// A titled block of kubectl output.
#[derive(Debug, Clone, PartialEq)]
pub struct KubectlView {
    /// The command, e.g. `kubectl get pods`.
    pub command: String,
    pub output: String,
    /// A warning shown under the output (e.g. that secret values were masked in the logs).
    pub note: Option<String>,
}

/// A CronJob's schedule for the calendar strip.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleView {
    pub cron_job: String,
    pub expression: String,
    pub description: String,
    /// Every start time within the run and what became of it.
    pub slots: Vec<Slot>,
    /// The next start times after the run, as wall-clock text.
    pub next_runs: Vec<String>,
    /// DST nights and other notes about the schedule.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    /// Seconds from the start of the run.
    pub at: f64,
    /// The start time as wall-clock text.
    pub scheduled: String,
    pub fate: SlotFate,
    /// Why (empty for a Job started on time).
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotFate {
    Fired,
    /// Not started because of `concurrencyPolicy: Forbid` (or the CronJob was suspended).
    Skipped,
    /// Not started in time (`startingDeadlineSeconds`, controller down).
    Missed,
    /// The run ended before the controller got to it.
    Pending,
}

impl SlotFate {
    pub fn word(self) -> &'static str {
        match self {
            SlotFate::Fired => "fired",
            SlotFate::Skipped => "skipped",
            SlotFate::Missed => "missed",
            SlotFate::Pending => "pending",
        }
    }

    /// A symbol per fate, so the strip does not rely on colour alone.
    pub fn symbol(self) -> &'static str {
        match self {
            SlotFate::Fired => "✓",
            SlotFate::Skipped => "⤼",
            SlotFate::Missed => "✕",
            SlotFate::Pending => "◇",
        }
    }
}
