//! Production-readiness lint: what a reviewer would say about a Job or CronJob that is valid but
//! unwise.
//!
//! Every rule has a stable code (`BL-RES-001` …), a severity, a one-line reason, a fix, and the
//! course unit that teaches it; [`RULES`] is the table (the app shows it, lessons link to it).
//! An exercise can switch rules off with a [`LintConfig`] (e.g. a first-Job exercise need not
//! nag about owner annotations).
//!
//! Lint runs on the typed objects, after validation; it never repeats an API error.

mod rules;

use crate::diag::{Diagnostic, Severity};
use crate::manifest::Bundle;
use std::collections::BTreeSet;

/// One lint rule, as documented to learners.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable code, e.g. `BL-RES-001`. Never reused for another meaning.
    pub code: &'static str,
    pub severity: Severity,
    /// What the finding says, in a few words.
    pub title: &'static str,
    /// Why it matters, in one line.
    pub why: &'static str,
    /// What to do about it.
    pub fix: &'static str,
    /// The course unit that teaches it (`first-job`, `parallel-indexed`, `failure-semantics`,
    /// `cronjobs`, `advanced-config`, `enterprise-patterns`).
    pub unit: &'static str,
}

const fn rule(
    code: &'static str,
    severity: Severity,
    title: &'static str,
    why: &'static str,
    fix: &'static str,
    unit: &'static str,
) -> Rule {
    Rule {
        code,
        severity,
        title,
        why,
        fix,
        unit,
    }
}

use Severity::{Info, Warning};

/// Every lint rule. Order is the order of the documentation, not of evaluation.
pub static RULES: &[Rule] = &[
    rule("BL-RES-001", Warning, "container has no resource requests",
        "without requests the scheduler places the pod blind and it is first to be evicted under pressure",
        "set resources.requests.cpu and resources.requests.memory to what one run needs",
        "advanced-config"),
    rule("BL-RES-002", Warning, "container has no memory limit",
        "a runaway run can take the node's memory; with a limit it is OOM-killed alone (exit 137) and retried",
        "set resources.limits.memory (e.g. twice the request)",
        "advanced-config"),
    rule("BL-RES-003", Info, "memory limit is far above the memory request",
        "the pod is scheduled for the request but may use up to the limit, so a busy node can run out and evict it",
        "keep the memory limit within about 2x of the request",
        "advanced-config"),
    rule("BL-JOB-001", Warning, "Job has no activeDeadlineSeconds",
        "a stuck run holds its pods, locks and quota forever; a deadline fails it with reason DeadlineExceeded",
        "set spec.activeDeadlineSeconds to the longest a run may usefully take",
        "failure-semantics"),
    rule("BL-JOB-002", Warning, "Job has no ttlSecondsAfterFinished",
        "finished Jobs and their pods pile up until someone deletes them",
        "set spec.ttlSecondsAfterFinished (e.g. 86400 to keep a day for debugging)",
        "first-job"),
    rule("BL-JOB-003", Warning, "backoffLimit is left at the default (6)",
        "six retries is rarely what a task needs: too many for a data mutation, maybe too few for a flaky network",
        "set spec.backoffLimit on purpose (0 for migrations, 2-3 for most tasks)",
        "failure-semantics"),
    rule("BL-JOB-004", Warning, "restartPolicy OnFailure where failures should be classified",
        "with OnFailure the container restarts in place: exit codes never fail the pod, so a podFailurePolicy cannot act on them and earlier attempts' logs are lost",
        "use restartPolicy: Never with a podFailurePolicy that fails the Job on permanent exit codes",
        "failure-semantics"),
    rule("BL-JOB-005", Warning, "migration or cleanup Job retries",
        "blind retries of DDL or deletions can repeat a half-done change; fail once, inspect, decide",
        "set spec.backoffLimit: 0 for migration and cleanup Jobs",
        "enterprise-patterns"),
    rule("BL-JOB-006", Warning, "migration Job uses the default ServiceAccount",
        "migrations need rights the application should not have; a dedicated ServiceAccount keeps them apart and auditable",
        "set spec.template.spec.serviceAccountName to a ServiceAccount just for migrations",
        "enterprise-patterns"),
    rule("BL-JOB-007", Warning, "activeDeadlineSeconds is 0",
        "the API server accepts 0 (it only refuses negative values), but the Job then fails at once with reason DeadlineExceeded",
        "set spec.activeDeadlineSeconds to the longest a run may take, or leave it out",
        "failure-semantics"),
    rule("BL-PAR-001", Warning, "parallelism without completions",
        "with no completions this is a work-queue Job: it is complete as soon as any pod succeeds, and the others' work is cut short",
        "set spec.completions to the number of work items (or make the pods coordinate through a queue)",
        "parallel-indexed"),
    rule("BL-PAR-002", Warning, "Indexed Job's containers never read their index",
        "every index runs the same work unless the container reads JOB_COMPLETION_INDEX",
        "use $JOB_COMPLETION_INDEX in the command, or the job-completion-index annotation via the downward API",
        "parallel-indexed"),
    rule("BL-PAR-003", Info, "parallelism is higher than completions",
        "the controller never runs more pods than there are completions left, so the extra parallelism does nothing",
        "set parallelism to at most completions",
        "parallel-indexed"),
    rule("BL-CRON-001", Warning, "CronJob has no explicit timeZone",
        "without it the schedule follows the kube-controller-manager's local zone, which you do not control",
        "set spec.timeZone (e.g. \"Etc/UTC\" or the business's IANA zone)",
        "cronjobs"),
    rule("BL-CRON-002", Warning, "CronJob has no explicit concurrencyPolicy",
        "the default Allow lets a slow run overlap the next one, doubling side effects",
        "set spec.concurrencyPolicy: Forbid for most maintenance work (or Replace / Allow on purpose)",
        "cronjobs"),
    rule("BL-CRON-003", Warning, "CronJob has no startingDeadlineSeconds",
        "after controller downtime or a suspend, a missed run starts however late it is (and over 100 misses raise TooManyMissedTimes)",
        "set spec.startingDeadlineSeconds to how late a run may still usefully start",
        "cronjobs"),
    rule("BL-CRON-004", Warning, "startingDeadlineSeconds is under 10 seconds",
        "the controller checks schedules about every 10 seconds, so such a short deadline can skip runs (0 never runs at all)",
        "use at least 10 seconds, usually minutes",
        "cronjobs"),
    rule("BL-CRON-005", Info, "CronJob keeps the default job history",
        "the defaults (3 successful, 1 failed) may drop the failed run you need to debug",
        "set spec.successfulJobsHistoryLimit and spec.failedJobsHistoryLimit on purpose",
        "cronjobs"),
    rule("BL-SEC-001", Warning, "credential written as a literal env value",
        "a literal value is visible to anyone who can read the Job and lands in git",
        "move it to a Secret and use valueFrom.secretKeyRef",
        "advanced-config"),
    rule("BL-SEC-002", Warning, "script prints a Secret's value",
        "logs are kept longer and read by more people than Secrets (and real kubectl logs never masks them), so a printed credential is a leaked credential",
        "log that the credential was loaded, never its value (not with echo, printf, cat of a secret file, or a bare env)",
        "advanced-config"),
    rule("BL-IMG-001", Warning, "image has no tag or uses :latest",
        "a retry or the next scheduled run may pull a different image than the one you tested",
        "pin a version tag (image: busybox:1.36) or a digest",
        "first-job"),
    rule("BL-GOV-001", Warning, "no owner annotation",
        "when a batch run fails at night someone must know whose it is",
        "add metadata.annotations with an owner key, e.g. platform.example.com/owner: team-name",
        "enterprise-patterns"),
    rule("BL-GOV-002", Warning, "no runbook annotation",
        "the person paged for a failed run needs to know what to do",
        "add metadata.annotations with a runbook key, e.g. platform.example.com/runbook: https://…",
        "enterprise-patterns"),
    rule("BL-STATE-001", Warning, "checkpoint kept on the container's own filesystem",
        "a restarted container starts from a fresh filesystem, so a checkpoint in /tmp is gone exactly when it is needed",
        "mount a volume (emptyDir survives container restarts; a PersistentVolumeClaim survives pod replacement) and keep the checkpoint there",
        "advanced-config"),
    rule("BL-SCRIPT-001", Warning, "lone $ in a command or args",
        "Kubernetes expands $(VAR) and turns $$ into $ in command and args, so a shell never sees $$ (its PID) as written",
        "write $$$$ to pass $$ to the shell, or use a script file",
        "advanced-config"),
];

/// The rule with this code.
pub fn rule_by_code(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
}

/// Which rules run. By default all of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LintConfig {
    /// Codes of rules switched off (e.g. for an exercise that is not about them).
    pub disabled: BTreeSet<String>,
}

impl LintConfig {
    /// All rules on.
    pub fn all() -> LintConfig {
        LintConfig::default()
    }

    /// No rule on: parse and validation only.
    pub fn none() -> LintConfig {
        LintConfig {
            disabled: crate::sort::btree_set(RULES.iter().map(|r| r.code.to_string())),
        }
    }

    /// All rules except these codes.
    pub fn without<'c>(codes: impl IntoIterator<Item = &'c str>) -> LintConfig {
        LintConfig {
            disabled: crate::sort::btree_set(codes.into_iter().map(str::to_string)),
        }
    }

    pub fn enabled(&self, code: &str) -> bool {
        !self.disabled.contains(code)
    }
}

/// Every enabled rule's findings about the Jobs and CronJobs in the bundle.
pub fn lint(bundle: &Bundle, config: &LintConfig) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    rules::run(bundle, &mut out);
    out.retain(|d| config.enabled(&d.code));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_units_are_known() {
        let units = [
            "first-job",
            "parallel-indexed",
            "failure-semantics",
            "cronjobs",
            "advanced-config",
            "enterprise-patterns",
        ];
        let mut codes = BTreeSet::new();
        for rule in RULES {
            assert!(codes.insert(rule.code), "duplicate {}", rule.code);
            assert!(
                units.contains(&rule.unit),
                "{} has unit {}",
                rule.code,
                rule.unit
            );
            assert!(!rule.why.is_empty() && !rule.fix.is_empty());
        }
    }
}
