//! `batchlab`: the engine on the command line, for instructors, CI and reviewers.
//!
//! Exit status: 0 fine, 1 the input has errors, 2 usage or I/O error.

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
    /// Describe a CronJob schedule and list its next fire times, as the controller computes them.
    Schedule {
        /// The schedule, e.g. "30 2 * * 1-5" or "@daily" (quote it for the shell).
        #[arg(allow_hyphen_values = true)]
        expr: String,
        /// spec.timeZone (IANA name); without it, the controller's zone, modelled as UTC.
        #[arg(long)]
        tz: Option<String>,
        /// List fire times after this instant (RFC 3339); default: now.
        #[arg(long)]
        from: Option<String>,
        /// How many fire times to list.
        #[arg(long, default_value_t = 5)]
        count: usize,
        /// Output format.
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
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
        Command::Schedule {
            expr,
            tz,
            from,
            count,
            format,
        } => schedule(&expr, tz.as_deref(), from.as_deref(), count, &format),
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

/// `batchlab schedule`: see `batchlab_core::schedule::report`.
fn schedule(
    expr: &str,
    tz: Option<&str>,
    from: Option<&str>,
    count: usize,
    format: &str,
) -> ExitCode {
    use batchlab_core::schedule;
    use chrono::{DateTime, Utc};

    if count == 0 || count > schedule::MAX_COUNT {
        eprintln!(
            "error: --count must be between 1 and {}",
            schedule::MAX_COUNT
        );
        return ExitCode::from(2);
    }
    let from = match from {
        None => now(),
        Some(text) => match DateTime::parse_from_rfc3339(text) {
            Ok(instant) => instant.with_timezone(&Utc),
            Err(e) => {
                eprintln!("error: --from {text:?} is not an RFC 3339 time ({e}), e.g. 2024-05-01T09:00:00Z");
                return ExitCode::from(2);
            }
        },
    };
    let report = match schedule::report(expr, tz, from, count) {
        Ok(report) => report,
        Err(messages) => {
            for message in messages {
                eprintln!("error: {message}");
            }
            return ExitCode::from(1);
        }
    };
    if format == "json" {
        match serde_json::to_string_pretty(&report) {
            Ok(json) => println!("{json}"),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        println!("{}", report.description);
        for time in &report.next {
            println!("  {time}");
        }
        for night in &report.dst_nights {
            println!("note: {night}");
        }
    }
    ExitCode::SUCCESS
}

/// The current time (only the command line reads the clock; the engine never does).
fn now() -> chrono::DateTime<chrono::Utc> {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let seconds = i64::try_from(since_epoch.as_secs()).unwrap_or(0);
    chrono::DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}
