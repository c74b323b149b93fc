//! `batchlab`: the engine on the command line, for instructors, CI and reviewers.
//!
//! Exit status: 0 fine, 1 the input has errors, 2 usage or I/O error.

use batchlab_core::lesson;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "batchlab",
    version,
    about = "Batch Lab's Kubernetes Job/CronJob engine on the command line"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Check the course: the index, every unit file and every exercise (solutions meet their
    /// goals, starters do not, field paths exist, ids are unique).
    Check {
        /// The lessons directory.
        #[arg(default_value = "lessons")]
        dir: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Check { dir, format } => check(&dir, format),
    }
}

/// `batchlab check [DIR]`: problems as `file:line:col: severity: message`, then a summary.
fn check(dir: &Path, format: Format) -> ExitCode {
    let index_path = dir.join("course.yaml");
    let index = match std::fs::read_to_string(&index_path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", index_path.display());
            return ExitCode::from(2);
        }
    };
    let report = lesson::check::check_course(&index, |f| std::fs::read_to_string(dir.join(f)).ok());
    match format {
        Format::Json => match serde_json::to_string_pretty(&report) {
            Ok(json) => println!("{json}"),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        },
        Format::Text => print_check_text(dir, &report),
    }
    if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_check_text(dir: &Path, report: &lesson::check::CheckReport) {
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
        "{} units, {} exercises, {} goals; {} problems; {} gradings not checked in this build",
        report.units,
        report.exercises,
        report.goals,
        report.problems.len(),
        report.unchecked.len()
    );
}
