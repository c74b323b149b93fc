//! The shipped course passes `batchlab check`: every unit the index lists parses, ids are unique,
//! every field path exists, every reference solution meets its goals and every starter fails one.

use batchlab_core::lesson::{self, check::check_course};
use batchlab_tests::{read_repo_file, repo_root};

fn read_lesson(file: &str) -> Option<String> {
    std::fs::read_to_string(repo_root().join("lessons").join(file)).ok()
}

#[test]
fn the_shipped_course_passes_the_check() {
    let report = check_course(&read_repo_file("lessons/course.yaml"), read_lesson);
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    assert!(report.exercises >= 24, "{} exercises", report.exercises);
    // Every goal of every exercise is graded by the real engine: nothing is left unchecked.
    assert!(report.unchecked.is_empty(), "{:#?}", report.unchecked);
    assert!(report.goals >= 100, "{} goals", report.goals);
}

#[test]
fn the_units_keep_their_stable_ids_in_order() {
    let (course, problems) =
        lesson::load_course(&read_repo_file("lessons/course.yaml"), read_lesson);
    assert!(problems.is_empty(), "{problems:#?}");
    let course = course.expect("course index parses");
    let ids: Vec<&str> = course.units.iter().map(|u| u.meta.id.as_str()).collect();
    let expected = [
        "first-job",
        "parallel-indexed",
        "failure-semantics",
        "cronjobs",
        "advanced-config",
        "enterprise-patterns",
    ];
    assert_eq!(ids, expected[..ids.len()]);
}

#[test]
fn every_unit_has_at_least_four_exercises_and_a_confidence_check() {
    let (course, _) = lesson::load_course(&read_repo_file("lessons/course.yaml"), read_lesson);
    for unit in &course.expect("course index parses").units {
        assert!(
            unit.exercises().count() >= 4,
            "unit {} has fewer than 4 exercises",
            unit.meta.id
        );
        assert!(
            unit.blocks()
                .any(|b| matches!(b, lesson::Block::Confidence(_))),
            "unit {} has no confidence check",
            unit.meta.id
        );
        assert!(
            !unit.meta.objectives.is_empty(),
            "unit {} has no objectives",
            unit.meta.id
        );
    }
}
