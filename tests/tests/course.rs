//! The shipped course loads: every unit the index lists parses, with no problems.

use batchlab_core::lesson;
use batchlab_tests::{read_repo_file, repo_root};

#[test]
fn the_shipped_course_loads_without_problems() {
    let index = read_repo_file("lessons/course.yaml");
    let (course, problems) = lesson::load_course(&index, |f| {
        std::fs::read_to_string(repo_root().join("lessons").join(f)).ok()
    });
    assert!(problems.is_empty(), "{problems:#?}");
    let course = course.expect("course index parses");
    assert!(!course.units.is_empty());
    assert_eq!(course.units[0].meta.id, "first-job");
}
