//! `batchlab check [DIR]`: the course's lesson files and their exercises (see `lesson::check`).

use super::Format;
use batchlab_core::lesson::check::{check_course, CheckReport};
use std::path::Path;
use std::process::ExitCode;

/// Problems as `file:line:col: severity: message`, then a summary; exit 1 on any problem.
pub fn run(dir: &Path, format: Format, verbose: bool) -> ExitCode {
    let index_path = dir.join("course.yaml");
    let index = match std::fs::read_to_string(&index_path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", index_path.display());
            return ExitCode::from(2);
        }
    };
    let report = check_course(&index, |f| std::fs::read_to_string(dir.join(f)).ok());
    match format {
        Format::Json => match serde_json::to_string_pretty(&report) {
            Ok(json) => println!("{json}"),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        },
        Format::Text => {
            if verbose {
                print_gradings(&report);
            }
            print_text(dir, &report)
        }
    }
    if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_text(dir: &Path, report: &CheckReport) {
    for p in &report.problems {
        let d = &p.diagnostic;
        println!(
            "{}:{}:{}: {}: {}",
            dir.join(&p.file).display(),
            d.span.line,
            d.span.column,
            d.severity.as_str(),
            d.message
        );
    }
    for note in &report.unchecked {
        println!("note: not checked in this build: {note}");
    }
    println!(
        "{} units, {} exercises, {} goals, {} playground examples; {} problems; {} gradings not checked in this build",
        report.units,
        report.exercises,
        report.goals,
        report.examples,
        report.problems.len(),
        report.unchecked.len()
    );
}

/// Each exercise's goals, for the solution and the starter: what an author reads to see that an
/// exercise teaches what it should.
fn print_gradings(report: &CheckReport) {
    for g in &report.gradings {
        println!("{} / {}", g.unit, g.exercise);
        for (name, results) in [("solution", &g.solution), ("starter", &g.starter)] {
            for r in results.iter() {
                let mark = match (r.unavailable, r.passed) {
                    (true, _) => "??",
                    (false, true) => "ok",
                    (false, false) => "--",
                };
                println!("  {name:8} {mark} {}  [{}]", r.says, r.observed);
            }
        }
    }
}
