//! `batchlab schedule EXPR [--tz ZONE] [--from RFC3339] [--count N] [--format text|json]`: a
//! CronJob schedule in plain words and its next fire times, as the controller computes them.
//!
//! JSON: `{"description": "...", "next": ["RFC 3339 with offset", ...], "dstNights": ["..."]}`.
//! Exit 0 fine, 1 an invalid schedule or zone (the API server's message) or a schedule that never
//! fires, 2 a usage error.

use batchlab_core::schedule;
use chrono::{DateTime, Utc};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
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
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

pub fn run(args: &Args) -> ExitCode {
    if args.count == 0 || args.count > schedule::MAX_COUNT {
        eprintln!(
            "error: --count must be between 1 and {}",
            schedule::MAX_COUNT
        );
        return ExitCode::from(2);
    }
    let from = match &args.from {
        None => now(),
        Some(text) => match DateTime::parse_from_rfc3339(text) {
            Ok(instant) => instant.with_timezone(&Utc),
            Err(e) => {
                eprintln!(
                    "error: --from {text:?} is not an RFC 3339 time ({e}), e.g. 2024-05-01T09:00:00Z"
                );
                return ExitCode::from(2);
            }
        },
    };
    let report = match schedule::report(&args.expr, args.tz.as_deref(), from, args.count) {
        Ok(report) => report,
        Err(messages) => {
            for message in messages {
                eprintln!("error: {message}");
            }
            return ExitCode::from(1);
        }
    };
    match args.format {
        Format::Json => match serde_json::to_string_pretty(&report) {
            Ok(json) => println!("{json}"),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        },
        Format::Text => {
            println!("{}", report.description);
            for time in &report.next {
                println!("  {time}");
            }
            for night in &report.dst_nights {
                println!("note: {night}");
            }
        }
    }
    ExitCode::SUCCESS
}

/// The current time (only the command line reads the clock; the engine never does).
fn now() -> DateTime<Utc> {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let seconds = i64::try_from(since_epoch.as_secs()).unwrap_or(0);
    DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}
