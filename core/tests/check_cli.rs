//! `batchlab check` as instructors and CI run it: the exit status and the `file:line:col` lines.

mod common;

use common::TempDir;
use std::path::Path;
use std::process::Command;

fn batchlab_check(dir: &Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_batchlab"))
        .arg("check")
        .arg(dir)
        .output()
        .expect("the batchlab binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// A throwaway lessons directory with one unit (removed when dropped).
fn lessons_with(unit: &str) -> TempDir {
    let dir = TempDir::new("check");
    dir.write(
        "course.yaml",
        "title: T
units: [units/u.md]
",
    );
    dir.write("units/u.md", unit);
    dir
}

const UNIT: &str = "---
id: u
title: T
summary: s
minutes: 1
---

## Limits

```exercise
id: limit
title: Limit retries
task: Set `spec.backoffLimit` to 2.
starter: |
  apiVersion: batch/v1
  kind: Job
  metadata: {name: j}
  spec:
    template:
      spec:
        restartPolicy: Never
        containers: [{name: c, image: busybox:1.36, command: [sh, -c, 'echo hi']}]
solution: |
  apiVersion: batch/v1
  kind: Job
  metadata: {name: j}
  spec:
    backoffLimit: 2
    template:
      spec:
        restartPolicy: Never
        containers: [{name: c, image: busybox:1.36, command: [sh, -c, 'echo hi']}]
goals:
  - valid: true
  - field: spec.backoffLimit == 2
  - jobEnds: Complete
```
";

#[test]
fn the_shipped_course_passes() {
    let lessons = Path::new(env!("CARGO_MANIFEST_DIR")).join("../lessons");
    let (code, out) = batchlab_check(&lessons);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("; 0 problems;"), "{out}");
}

#[test]
fn a_sound_exercise_passes() {
    let (code, out) = batchlab_check(lessons_with(UNIT).path());
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with("1 units, 1 exercises, 3 goals, 0 playground examples; 0 problems"),
        "{out}"
    );
}

#[test]
fn a_broken_solution_exits_1_with_its_file_and_line() {
    let unit = UNIT.replace("    backoffLimit: 2\n", "    backoffLimit: 4\n");
    let dir = lessons_with(&unit);
    let (code, out) = batchlab_check(dir.path());
    assert_eq!(code, 1, "{out}");
    let expected = format!(
        "{}:10:1: error: exercise `limit`: the reference solution fails goal 2 (`spec.backoffLimit` is 2.): `spec.backoffLimit` is 4; the goal wants exactly 2",
        dir.path().join("units/u.md").display()
    );
    assert!(out.contains(&expected), "{out}");
}

#[test]
fn a_yaml_error_in_a_block_points_at_the_unit_line() {
    let unit = UNIT.replace("title: Limit retries", "title: [Limit retries");
    let dir = lessons_with(&unit);
    let (code, out) = batchlab_check(dir.path());
    assert_eq!(code, 1, "{out}");
    // `title` is on line 12; the YAML reader finds the unclosed `[` out at the next key (13:5).
    let prefix = format!(
        "{}:13:5: error: this `exercise` block is not valid",
        dir.path().join("units/u.md").display()
    );
    assert!(out.contains(&prefix), "{out}");
}

#[test]
fn a_missing_directory_is_a_usage_error() {
    let (code, _) = batchlab_check(Path::new("/nonexistent/lessons"));
    assert_eq!(code, 2);
}

#[test]
fn a_link_to_a_missing_playground_example_is_reported_at_its_line() {
    let unit = format!("{UNIT}\nTry [the DST night](#/playground/example/cron-dst-nite).\n");
    let line = unit.lines().count();
    let dir = lessons_with(&unit);
    let (code, out) = batchlab_check(dir.path());
    assert_eq!(code, 1, "{out}");
    let expected = format!(
        "{}:{line}:1: error: the link to playground example `cron-dst-nite` names no example",
        dir.path().join("units/u.md").display()
    );
    assert!(out.contains(&expected), "{out}");
}
