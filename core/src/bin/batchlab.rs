//! `batchlab`: the engine on the command line, for instructors, CI and reviewers.
//!
//! Exit status: 0 fine, 1 the input has errors, 2 usage or I/O error.

#[path = "batchlab/check.rs"]
mod check_cmd;
#[path = "batchlab/schedule.rs"]
mod schedule_cmd;
#[path = "batchlab/validate.rs"]
mod validate_cmd;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
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

/// Output format of every subcommand: text for people, JSON as a stable contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
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
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Also print every goal's result for each solution and starter.
        #[arg(long)]
        verbose: bool,
    },
    /// Check manifest files (or standard input) as `kubectl apply` and a production reviewer
    /// would: errors, warnings and notes at file:line:column.
    Validate {
        /// Manifest files; `-` or none reads standard input.
        files: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Run Job manifests on a simulated cluster and print the timeline.
    Simulate(SimulateArgs),
    /// Describe a CronJob schedule and list its next fire times, as the controller computes them.
    Schedule(schedule_cmd::Args),
}

#[derive(clap::Args)]
struct SimulateArgs {
    /// The manifests (multi-document YAML).
    file: PathBuf,
    /// A scenario file (seed, cluster, container behaviour, faults).
    #[arg(long)]
    scenario: Option<PathBuf>,
    /// Seed for pod names and random failures (overrides the scenario's).
    #[arg(long)]
    seed: Option<u64>,
    /// The virtual wall-clock instant at t = 0 (RFC 3339).
    #[arg(long)]
    start: Option<String>,
    /// Stop at this virtual time (Go duration: 90s, 29m, 5m50s, 24h).
    #[arg(long)]
    until: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
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
        Command::Check {
            dir,
            format,
            verbose,
        } => check_cmd::run(&dir, format, verbose),
        Command::Validate { files, format } => validate_cmd::run(&files, format),
        Command::Simulate(args) => simulate::run(&args),
        Command::Schedule(args) => schedule_cmd::run(&args),
    }
}

/// `batchlab simulate`: manifests + scenario → timeline, as a watch transcript or JSON.
mod simulate {
    use super::{Format, SimulateArgs};
    use batchlab_core::diag::Diagnostic;
    use batchlab_core::sim::{self, kubectl, units, Time};
    use std::path::Path;
    use std::process::ExitCode;

    pub fn run(args: &SimulateArgs) -> ExitCode {
        let Some(text) = read(&args.file) else {
            return ExitCode::from(2);
        };
        // A real cluster only runs what the API server accepts.
        let bundle = batchlab_core::manifest::parse(&text);
        let mut problems: Vec<Diagnostic> = bundle.diagnostics.clone();
        problems.extend(batchlab_core::validate::validate(&bundle));
        problems.retain(Diagnostic::is_error);
        if !problems.is_empty() {
            return report(&args.file, &problems);
        }
        let input = sim::SimInput::from_bundle(&bundle);
        let scenario_text = match &args.scenario {
            Some(path) => match read(path) {
                Some(t) => t,
                None => return ExitCode::from(2),
            },
            None => String::new(),
        };
        let mut scenario = match sim::parse_scenario(&scenario_text) {
            Ok(s) => s,
            Err(problems) => {
                return report(
                    args.scenario.as_deref().unwrap_or(Path::new("-")),
                    &problems,
                )
            }
        };
        if let Some(seed) = args.seed {
            scenario.seed = seed;
        }
        if let Some(start) = &args.start {
            if chrono::DateTime::parse_from_rfc3339(start).is_err() {
                eprintln!("error: --start {start:?} is not an RFC 3339 instant (e.g. 2026-01-05T09:00:00Z)");
                return ExitCode::from(2);
            }
            scenario.start = Some(start.clone());
        }
        if let Some(until) = &args.until {
            match units::parse_go_duration(until) {
                Ok(ms) => scenario.horizon = Some(units::Duration(ms)),
                Err(e) => {
                    eprintln!("error: --until: {e}");
                    return ExitCode::from(2);
                }
            }
        }
        if input.jobs.is_empty() && input.cron_jobs.is_empty() {
            eprintln!(
                "error: {} defines no Job or CronJob to simulate",
                args.file.display()
            );
            return ExitCode::from(1);
        }
        let tl = sim::simulate(&input, &scenario);
        match args.format {
            Format::Json => match serde_json::to_string_pretty(&tl) {
                Ok(json) => println!("{json}"),
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            },
            Format::Text => print_text(&tl),
        }
        ExitCode::SUCCESS
    }

    fn print_text(tl: &sim::Timeline) {
        let end = tl.end;
        println!("$ kubectl get pods -w   (virtual time from {})", tl.start);
        print!("{}", kubectl::watch_pods(tl));
        if !tl.cron_jobs.is_empty() {
            println!("\n$ kubectl get cronjobs   (at {})", kubectl::clock(end));
            print!("{}", kubectl::get_cronjobs(tl, end));
            for c in &tl.cron_jobs {
                if let Some(d) = kubectl::describe_cronjob(tl, &c.name, end) {
                    println!("\n$ kubectl describe cronjob {}", c.name);
                    print!("{d}");
                }
            }
        }
        println!("\n$ kubectl get jobs   (at {})", kubectl::clock(end));
        print!("{}", kubectl::get_jobs(tl, end));
        for j in &tl.jobs {
            if let Some(d) = kubectl::describe_job(tl, &j.name, end) {
                println!("\n$ kubectl describe job {}", j.name);
                print!("{d}");
            }
        }
        for n in &tl.notes {
            println!("\nnote: {n}");
        }
        if let Some(why) = &tl.truncated {
            println!("\ntruncated: {why}");
        }
        let _ = Time(0);
    }

    fn read(path: &Path) -> Option<String> {
        match std::fs::read_to_string(path) {
            Ok(t) => Some(t),
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", path.display());
                None
            }
        }
    }

    fn report(path: &Path, problems: &[Diagnostic]) -> ExitCode {
        for d in problems {
            println!(
                "{}:{}:{}: {}: {}",
                path.display(),
                d.span.line,
                d.span.column,
                d.severity.as_str(),
                d.message
            );
        }
        ExitCode::from(1)
    }
}
