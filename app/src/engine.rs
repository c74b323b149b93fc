//! The one place the app calls `batchlab-core`: lessons become `UnitView`s, a manifest text becomes
//! an `Outcome` (diagnostics, a simulated run, goal results). Everything Kubernetes-shaped is decided
//! by core; this module only moves its results into the shapes in `view.rs`.

use crate::course::course;
use crate::view::*;
use batchlab_core::lesson::Unit;
use std::rc::Rc;

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
        objectives: Vec::new(),
        reflection: Vec::new(),
        sections: vec![SectionView {
            id: String::new(),
            title: String::new(),
            blocks: vec![BlockView::Markdown(unit.body.clone())],
        }],
    }
}

/// Run the engine over a learner's text: diagnostics, then (if it has no errors) the simulation and
/// the exercise's goals.
pub fn run(_text: &str, _scenario: &str, _exercise: Option<&ExerciseView>) -> Outcome {
    Outcome {
        no_run_reason: Some(
            "The validator and simulator are not part of this build yet.".to_string(),
        ),
        ..Outcome::default()
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
