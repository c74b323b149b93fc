//! ValidateCronJobCreate (upstream `pkg/apis/batch/validation/validation.go`).

use super::job::{self, SpecContext};
use super::{go_str, Report};
use crate::model::CronJob;
use crate::schedule;

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
    validate_schedule(report, &spec.schedule);
    report.non_negative(
        format_args!("spec.startingDeadlineSeconds"),
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
        format_args!("spec.successfulJobsHistoryLimit"),
        spec.successful_jobs_history_limit,
    );
    report.non_negative(
        format_args!("spec.failedJobsHistoryLimit"),
        spec.failed_jobs_history_limit,
    );
    let template_meta = &spec.job_template.metadata;
    report.labels(
        &template_meta.labels,
        format_args!("spec.jobTemplate.metadata.labels"),
        format_args!("spec.jobTemplate.metadata.labels"),
    );
    job::validate_annotations(report, template_meta, "spec.jobTemplate.metadata");
    job::validate_job_spec(
        report,
        &spec.job_template.spec,
        "spec.jobTemplate.spec",
        SpecContext::CronJobTemplate,
    );
}

/// `spec.schedule`: required, must parse as robfig/cron's standard parser does
/// (`crate::schedule::parse`), and must not mention `TZ` (the time zone belongs in
/// `spec.timeZone`). Both a parse error and the TZ error can be reported, as upstream does.
fn validate_schedule(report: &mut Report, schedule_text: &str) {
    const PATH: &str = "spec.schedule";
    if schedule_text.is_empty() {
        report.required(PATH, "").help =
            "a CronJob needs a schedule, e.g. schedule: \"0 2 * * *\" for 02:00 every day".into();
        return;
    }
    if let Err(message) = schedule::parse(schedule_text) {
        report.invalid(PATH, &go_str(schedule_text), &message).help =
            "five fields: minute hour day-of-month month day-of-week, or a macro like @daily"
                .into();
    }
    if schedule::mentions_tz(schedule_text) {
        report
            .invalid(
                PATH,
                &go_str(schedule_text),
                schedule::TZ_IN_SCHEDULE_MESSAGE,
            )
            .help =
            "remove the TZ=… prefix and set spec.timeZone (e.g. timeZone: \"Etc/UTC\")".into();
    }
}

/// `spec.timeZone`: non-empty, not `Local`, and a zone in the IANA database
/// (`crate::schedule::validate_time_zone` gives the API server's messages).
fn validate_time_zone(report: &mut Report, tz: &str) {
    for message in schedule::validate_time_zone(tz) {
        report.invalid("spec.timeZone", &go_str(tz), &message).help =
            "use an IANA zone name such as Etc/UTC, Europe/Berlin or Asia/Jakarta".into();
    }
}
