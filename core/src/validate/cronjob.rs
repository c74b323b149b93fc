//! ValidateCronJobCreate (upstream `pkg/apis/batch/validation/validation.go`).

use super::job::{self, SpecContext};
use super::{go_str, Report};
use crate::model::CronJob;

/// CronJob names are at most 52 characters on create: the Jobs it makes are named
/// `<name>-<minutes since epoch>` (11 more characters) and must fit in a 63-character label.
const MAX_CRON_JOB_NAME: usize = 52;

pub fn validate_cron_job(report: &mut Report, cron_job: &CronJob) {
    job::validate_object_meta(report, &cron_job.metadata, "metadata", true);
    if let Some(name) = cron_job.metadata.name.as_deref() {
        if name.len() > MAX_CRON_JOB_NAME {
            report
                .invalid(
                    "metadata.name",
                    &go_str(name),
                    "must be no more than 52 characters",
                )
                .help = "the Jobs a CronJob creates are named <name>-<minutes since epoch>, which must fit in 63 characters".into();
        }
    }
    let spec = &cron_job.spec;
    validate_schedule(report, &spec.schedule, spec.time_zone.as_deref());
    report.non_negative(
        "spec.startingDeadlineSeconds",
        spec.starting_deadline_seconds,
    );
    if let Some(tz) = spec.time_zone.as_deref() {
        validate_time_zone(report, tz);
    }
    if let Some(policy) = spec.concurrency_policy.as_deref() {
        let supported = ["Allow", "Forbid", "Replace"];
        if !supported.contains(&policy) {
            report.unsupported("spec.concurrencyPolicy", policy, &supported);
        }
    }
    report.non_negative(
        "spec.successfulJobsHistoryLimit",
        spec.successful_jobs_history_limit,
    );
    report.non_negative(
        "spec.failedJobsHistoryLimit",
        spec.failed_jobs_history_limit,
    );
    let template_meta = &spec.job_template.metadata;
    report.labels(
        &template_meta.labels,
        "spec.jobTemplate.metadata.labels",
        "spec.jobTemplate.metadata.labels",
    );
    job::validate_annotations(report, template_meta, "spec.jobTemplate.metadata");
    job::validate_job_spec(
        report,
        &spec.job_template.spec,
        "spec.jobTemplate.spec",
        SpecContext::CronJobTemplate,
    );
}

/// `spec.schedule`: required, must parse as robfig/cron's standard parser does, and must not
/// carry a `TZ=`/`CRON_TZ=` prefix (the time zone belongs in `spec.timeZone`).
fn validate_schedule(report: &mut Report, schedule: &str, _time_zone: Option<&str>) {
    const PATH: &str = "spec.schedule";
    if schedule.is_empty() {
        report.required(PATH, "").help =
            "a CronJob needs a schedule, e.g. schedule: \"0 2 * * *\" for 02:00 every day".into();
        return;
    }
    if let Err(message) = parse_schedule(schedule) {
        report.invalid(PATH, &go_str(schedule), &message).help =
            "five fields: minute hour day-of-month month day-of-week, or a macro like @daily"
                .into();
    }
    if schedule.contains("TZ") {
        report
            .invalid(
                PATH,
                &go_str(schedule),
                "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
            )
            .help =
            "remove the TZ=… prefix and set spec.timeZone (e.g. timeZone: \"Etc/UTC\")".into();
    }
}

/// `spec.timeZone`: non-empty, not `Local`, and a zone in the IANA database.
fn validate_time_zone(report: &mut Report, tz: &str) {
    const PATH: &str = "spec.timeZone";
    if tz.is_empty() {
        report.invalid(PATH, "\"\"", "timeZone must be nil or non-empty string");
        return;
    }
    if tz.eq_ignore_ascii_case("local") {
        report.invalid(
            PATH,
            &go_str(tz),
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones",
        );
        return;
    }
    let part_ok = |part: &str| {
        (1..=14).contains(&part.len())
            && part != "."
            && part != ".."
            && !part.starts_with('-')
            && part
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_' | b'+'))
    };
    if !tz.split('/').all(part_ok) {
        report.invalid(PATH, &go_str(tz), &format!("unknown time zone {tz}"));
        return;
    }
    if let Err(message) = parse_time_zone(tz) {
        report.invalid(PATH, &go_str(tz), &message).help =
            "use an IANA zone name such as Etc/UTC, Europe/Berlin or Asia/Jakarta".into();
    }
}

/// The schedule as robfig/cron's `ParseStandard` reads it; `Err` is its error text.
/// A `TZ=`/`CRON_TZ=` prefix is accepted by robfig (and reported separately above), so it is
/// stripped before parsing the fields.
fn parse_schedule(schedule: &str) -> Result<(), String> {
    let fields = strip_tz_prefix(schedule);
    if fields.starts_with('@') {
        return match fields {
            "@yearly" | "@annually" | "@monthly" | "@weekly" | "@daily" | "@midnight"
            | "@hourly" => Ok(()),
            f if f.starts_with("@every ") => Ok(()),
            f => Err(format!("unrecognized descriptor: {f}")),
        };
    }
    let parts: Vec<&str> = fields.split_whitespace().collect();
    if parts.len() != 5 {
        return Err(format!(
            "expected exactly 5 fields, found {}: [{}]",
            parts.len(),
            parts.join(" ")
        ));
    }
    Ok(())
}

fn strip_tz_prefix(schedule: &str) -> &str {
    let trimmed = schedule.trim();
    if trimmed.starts_with("TZ=") || trimmed.starts_with("CRON_TZ=") {
        trimmed
            .split_once(char::is_whitespace)
            .map_or("", |(_, rest)| rest.trim_start())
    } else {
        trimmed
    }
}

/// Is `name` a zone Go's `time.LoadLocation` knows? `Err` is Go's error text.
fn parse_time_zone(name: &str) -> Result<(), String> {
    name.parse::<chrono_tz::Tz>()
        .map(|_| ())
        .map_err(|_| format!("unknown time zone {name}"))
}
