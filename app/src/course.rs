//! The course embedded at build time (see `build.rs`), loaded once through `batchlab_core::lesson`.

use batchlab_core::lesson::{self, Course, FileDiagnostic};
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/lessons.rs"));

fn lesson_file(path: &str) -> Option<&'static str> {
    LESSON_FILES
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, text)| *text)
}

/// The course, and any problems found loading it (shown to the learner rather than hidden).
pub fn course() -> &'static (Option<Course>, Vec<FileDiagnostic>) {
    static COURSE: OnceLock<(Option<Course>, Vec<FileDiagnostic>)> = OnceLock::new();
    COURSE.get_or_init(|| {
        let index = lesson_file("course.yaml").unwrap_or("");
        lesson::load_course(index, |f| lesson_file(f).map(str::to_string))
    })
}
