//! `batchlab`: the engine on the command line, for instructors, CI and reviewers.
//!
//! Exit status: 0 fine, 1 the input has errors, 2 usage or I/O error.

#[path = "batchlab/validate.rs"]
mod validate_cmd;

use batchlab_core::lesson;
use clap::{Parser, Subcommand};
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

#[derive(Subcommand)]
enum Command {
    /// Check the course: the index, every unit file and every exercise.
    Check {
        /// The lessons directory.
        #[arg(default_value = "lessons")]
        dir: PathBuf,
    },
    /// Check manifest files (or standard input) as `kubectl apply` and a production reviewer
    /// would: errors, warnings and notes at file:line:column.
    Validate {
        /// Manifest files; `-` or none reads standard input.
        files: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: validate_cmd::Format,
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
        Command::Check { dir } => check(&dir),
        Command::Validate { files, format } => validate_cmd::run(&files, format),
    }
}

fn check(dir: &Path) -> ExitCode {
    let index_path = dir.join("course.yaml");
    let index = match std::fs::read_to_string(&index_path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", index_path.display());
            return ExitCode::from(2);
        }
    };
    let (course, problems) =
        lesson::load_course(&index, |f| std::fs::read_to_string(dir.join(f)).ok());
    for p in &problems {
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
    let units = course.map(|c| c.units.len()).unwrap_or(0);
    if problems.iter().any(|p| p.diagnostic.is_error()) {
        println!("{units} units loaded, {} problems", problems.len());
        ExitCode::from(1)
    } else {
        println!("{units} units checked, no problems");
        ExitCode::SUCCESS
    }
}
