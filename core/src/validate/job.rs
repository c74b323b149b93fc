//! ValidateJob and validateJobSpec (upstream `pkg/apis/batch/validation/validation.go`).

use super::{go_str, names, pod, Report};
use crate::model::{Job, JobSpec, LabelSelector, ObjectMeta, PodFailurePolicy, SuccessPolicy};

/// Indexed Jobs may run at most this many pods at once.
const MAX_PARALLELISM_FOR_INDEXED: i64 = 100_000;
/// Above this many completions, backoffLimitPerIndex needs maxFailedIndexes.
const MAX_COMPLETIONS_WITHOUT_MAX_FAILED: i64 = 100_000;
const MAX_PARALLELISM_WITH_BLPI_AND_MANY_COMPLETIONS: i64 = 10_000;
const MAX_FAILED_INDEXES_LIMIT: i64 = 100_000;
const MAX_POD_FAILURE_POLICY_RULES: usize = 20;
const MAX_EXIT_CODE_VALUES: usize = 255;
const MAX_POD_CONDITIONS: usize = 20;
const MAX_SUCCESS_POLICY_RULES: usize = 20;
const MAX_SUCCEEDED_INDEXES_BYTES: usize = 64 * 1024;

/// Where the shared job-spec rules run: a Job, or a CronJob's `jobTemplate`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum SpecContext {
    Job,
    CronJobTemplate,
}

pub fn validate_job(report: &mut Report, job: &Job) {
    validate_object_meta(report, &job.metadata, "metadata", true);
    let name = job.metadata.name.as_deref().unwrap_or("");
    let manual = job.spec.manual_selector == Some(true);
    if !manual {
        validate_generated_selector(report, job, name);
    } else {
        validate_manual_selector(report, &job.spec);
    }
    validate_job_spec(report, &job.spec, "spec", SpecContext::Job);
    if !manual && name.len() > 63 {
        // The API server copies the name into the generated pod labels, whose values are
        // limited to 63 characters.
        report
            .invalid_at(
                "spec.template.labels",
                "metadata.name",
                &go_str(name),
                "must be no more than 63 characters",
            )
            .help = "Job names end up in pod labels; keep them to 63 characters".into();
    }
    validate_indexed_hostnames(report, job, name);
}

/// Name, generateName, namespace, labels and annotations (ValidateObjectMeta). The "not a DNS
/// label" warning is only for Jobs and CronJobs, whose names end up in pod hostnames.
pub fn validate_object_meta(
    report: &mut Report,
    meta: &ObjectMeta,
    base: &str,
    warn_dns_label: bool,
) {
    let name = meta.name.as_deref().unwrap_or("");
    let generate = meta.generate_name.as_deref().unwrap_or("");
    let name_path = || format!("{base}.name");
    if name.is_empty() && generate.is_empty() {
        report
            .required(&name_path(), "name or generateName is required")
            .help = "give the object a name under metadata".into();
    }
    if !name.is_empty() {
        let errors = names::dns1123_subdomain(name);
        for message in &errors {
            report.invalid(&name_path(), &go_str(name), message).help =
                "use lower-case letters, digits and '-'".into();
        }
        if errors.is_empty() && warn_dns_label {
            let label_errors = names::dns1123_label(name);
            if !label_errors.is_empty() {
                report.warning(
                    &name_path(),
                    format!(
                        "this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [{}]",
                        label_errors.join(", ")
                    ),
                );
            }
        }
    }
    if !generate.is_empty() {
        for message in names::name_prefix(generate) {
            report.invalid(&format!("{base}.generateName"), &go_str(generate), &message);
        }
    }
    if let Some(ns) = meta.namespace.as_deref().filter(|n| !n.is_empty()) {
        for message in names::dns1123_label(ns) {
            report.invalid(&format!("{base}.namespace"), &go_str(ns), &message);
        }
    }
    report.labels(
        &meta.labels,
        format_args!("{base}.labels"),
        format_args!("{base}.labels"),
    );
    validate_annotations(report, meta, base);
}

pub fn validate_annotations(report: &mut Report, meta: &ObjectMeta, base: &str) {
    let path = || format!("{base}.annotations");
    let mut total = 0;
    for (key, value) in &meta.annotations {
        total += key.len() + value.len();
        for message in names::qualified_name(&key.to_ascii_lowercase()) {
            let path = path();
            report.invalid_at(&path, &format!("{path}[{key}]"), &go_str(key), &message);
        }
    }
    if total > 256 * 1024 {
        report.too_long(&path(), 256 * 1024);
    }
}

/// Without `manualSelector: true` the API server generates the selector; one written by hand is
/// then not the generated one, and the generated pod labels must not be overridden.
fn validate_generated_selector(report: &mut Report, job: &Job, name: &str) {
    if let Some(selector) = &job.spec.selector {
        report
            .invalid(
                "spec.selector",
                &render_selector(selector),
                "`selector` not auto-generated",
            )
            .help = "delete spec.selector (the API server generates it), or set spec.manualSelector: true if you really manage pod labels yourself".into();
    }
    let labels = &job.spec.template.metadata.labels;
    for key in ["job-name", "batch.kubernetes.io/job-name"] {
        if let Some(value) = labels.get(key).filter(|v| v.as_str() != name) {
            report.invalid(
                &format!("spec.template.metadata.labels[{key}]"),
                &go_str(value),
                &format!("must be '{name}'"),
            );
        }
    }
}

fn validate_manual_selector(report: &mut Report, spec: &JobSpec) {
    let Some(selector) = &spec.selector else {
        report.required("spec.selector", "");
        return;
    };
    validate_label_selector(report, selector, "spec.selector");
    let labels = &spec.template.metadata.labels;
    if !selector_matches(selector, labels) {
        report.invalid(
            "spec.template.metadata.labels",
            &render_labels(labels),
            "`selector` does not match template `labels`",
        );
    }
}

pub fn validate_label_selector(report: &mut Report, selector: &LabelSelector, base: &str) {
    report.labels(
        &selector.match_labels,
        format_args!("{base}.matchLabels"),
        format_args!("{base}.matchLabels"),
    );
    for (i, req) in selector.match_expressions.iter().enumerate() {
        let path = format!("{base}.matchExpressions[{i}]");
        match req.operator.as_str() {
            "In" | "NotIn" if req.values.is_empty() => {
                report.required(
                    &format!("{path}.values"),
                    "must be specified when `operator` is 'In' or 'NotIn'",
                );
            }
            "Exists" | "DoesNotExist" if !req.values.is_empty() => {
                report.forbidden(
                    &format!("{path}.values"),
                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                );
            }
            "In" | "NotIn" | "Exists" | "DoesNotExist" => {}
            other => {
                report.invalid(
                    &format!("{path}.operator"),
                    &go_str(other),
                    "not a valid selector operator",
                );
            }
        }
        for message in names::qualified_name(&req.key) {
            report.invalid(&format!("{path}.key"), &go_str(&req.key), &message);
        }
    }
}

/// Does a label selector select pods with these labels?
pub fn selector_matches(selector: &LabelSelector, labels: &crate::model::StringMap) -> bool {
    let labels_match = selector
        .match_labels
        .iter()
        .all(|(k, v)| labels.get(k) == Some(v));
    let expressions_match = selector.match_expressions.iter().all(|req| {
        let value = labels.get(&req.key);
        match req.operator.as_str() {
            "In" => value.is_some_and(|v| req.values.contains(v)),
            "NotIn" => value.is_none_or(|v| !req.values.contains(v)),
            "Exists" => value.is_some(),
            "DoesNotExist" => value.is_none(),
            _ => false,
        }
    });
    labels_match && expressions_match
}

/// Go-ish rendering of a label map, as `field.Invalid` prints `map[string]string{...}`.
fn render_labels(labels: &crate::model::StringMap) -> String {
    let entries: Vec<String> = labels
        .iter()
        .map(|(k, v)| format!("{}:{}", go_str(k), go_str(v)))
        .collect();
    format!("map[string]string{{{}}}", entries.join(", "))
}

fn render_selector(selector: &LabelSelector) -> String {
    format!("{{MatchLabels:{}}}", render_labels(&selector.match_labels))
}

/// Indexed pods get the hostname `<name>-<index>`, which must be a DNS label.
fn validate_indexed_hostnames(report: &mut Report, job: &Job, name: &str) {
    let spec = &job.spec;
    if spec.completion_mode.as_deref() != Some("Indexed") || name.is_empty() {
        return;
    }
    let Some(completions) = spec.completions.filter(|c| *c > 0) else {
        return;
    };
    let hostname = format!("{name}-{}", completions - 1);
    if !names::dns1123_label(&hostname).is_empty() {
        report.invalid(
            "metadata.name",
            &go_str(name),
            &format!("will not able to create pod with invalid DNS label: {hostname}"),
        );
    }
}

/// The rules shared by a Job's spec and a CronJob's `jobTemplate.spec`.
///
/// Note `activeDeadlineSeconds` is only required to be non-negative here, as upstream
/// (`ValidateNonnegativeField`); 0 is accepted and fails the Job at once, which lint `BL-JOB-007`
/// points out. (The pod-level field is different: it must be in [1, 2147483647].)
pub fn validate_job_spec(report: &mut Report, spec: &JobSpec, base: &str, context: SpecContext) {
    let p = |field: &str| format!("{base}.{field}");
    report.non_negative(format_args!("{base}.parallelism"), spec.parallelism);
    report.non_negative(format_args!("{base}.completions"), spec.completions);
    report.non_negative(
        format_args!("{base}.activeDeadlineSeconds"),
        spec.active_deadline_seconds,
    );
    report.non_negative(format_args!("{base}.backoffLimit"), spec.backoff_limit);
    report.non_negative(
        format_args!("{base}.ttlSecondsAfterFinished"),
        spec.ttl_seconds_after_finished,
    );
    report.non_negative(
        format_args!("{base}.backoffLimitPerIndex"),
        spec.backoff_limit_per_index,
    );
    report.non_negative(
        format_args!("{base}.maxFailedIndexes"),
        spec.max_failed_indexes,
    );
    if spec.max_failed_indexes.is_some() && spec.backoff_limit_per_index.is_none() {
        report.required(
            &p("backoffLimitPerIndex"),
            "when maxFailedIndexes is specified",
        );
    }
    if let Some(managed_by) = &spec.managed_by {
        validate_managed_by(report, managed_by, &p("managedBy"));
    }
    validate_completion_mode(report, spec, base);
    if let Some(policy) = &spec.pod_failure_policy {
        validate_pod_failure_policy(report, spec, policy, &p("podFailurePolicy"));
    }
    if let Some(policy) = &spec.success_policy {
        validate_success_policy(report, spec, policy, &p("successPolicy"));
    }
    validate_pod_replacement_policy(report, spec, base);
    if context == SpecContext::CronJobTemplate {
        if let Some(selector) = &spec.selector {
            report.invalid(
                &p("selector"),
                &render_selector(selector),
                "`selector` will be auto-generated",
            );
        }
        if spec.manual_selector == Some(true) {
            report.error(
                &p("manualSelector"),
                "Unsupported value: true: supported values: \"nil\", \"false\"".to_string(),
            );
        }
    }
    pod::validate_pod_template(report, &spec.template, &p("template"));
    validate_restart_policy(report, spec, base);
}

fn validate_managed_by(report: &mut Report, value: &str, path: &str) {
    let domain_prefixed = value.split_once('/').is_some_and(|(domain, rest)| {
        !rest.is_empty() && names::dns1123_subdomain(domain).is_empty()
    });
    if !domain_prefixed {
        report.invalid(
            path,
            &go_str(value),
            "must be a domain-prefixed path (such as \"acme.io/foo\")",
        );
    }
    if value.len() > 63 {
        report.too_long(path, 63);
    }
}

fn validate_completion_mode(report: &mut Report, spec: &JobSpec, base: &str) {
    let p = |field: &str| format!("{base}.{field}");
    let mode = spec.completion_mode.as_deref();
    match mode {
        None | Some("NonIndexed") => {
            if let Some(v) = spec.backoff_limit_per_index {
                report
                    .invalid(
                        &p("backoffLimitPerIndex"),
                        &v.to_string(),
                        "requires indexed completion mode",
                    )
                    .help = "set completionMode: Indexed, or use backoffLimit instead".into();
            }
            if let Some(v) = spec.max_failed_indexes {
                report.invalid(
                    &p("maxFailedIndexes"),
                    &v.to_string(),
                    "requires indexed completion mode",
                );
            }
        }
        Some("Indexed") => validate_indexed(report, spec, base),
        Some(other) => {
            report
                .unsupported(&p("completionMode"), other, &["NonIndexed", "Indexed"])
                .help = "completionMode is NonIndexed (the default) or Indexed".into();
        }
    }
}

fn validate_indexed(report: &mut Report, spec: &JobSpec, base: &str) {
    let p = |field: &str| format!("{base}.{field}");
    let Some(completions) = spec.completions else {
        report
            .required(&p("completions"), "when completion mode is Indexed")
            .help = "an Indexed Job needs completions: the number of indexes".into();
        return;
    };
    if let Some(parallelism) = spec
        .parallelism
        .filter(|p| *p > MAX_PARALLELISM_FOR_INDEXED)
    {
        report.invalid(
            &p("parallelism"),
            &parallelism.to_string(),
            "must be less than or equal to 100000 when completion mode is Indexed",
        );
    }
    if let Some(max_failed) = spec.max_failed_indexes {
        if max_failed > completions {
            report.invalid(
                &p("maxFailedIndexes"),
                &max_failed.to_string(),
                "must be less than or equal to completions",
            );
        }
        if max_failed > MAX_FAILED_INDEXES_LIMIT {
            report.invalid(
                &p("maxFailedIndexes"),
                &max_failed.to_string(),
                "must be less than or equal to 100000",
            );
        }
    }
    if spec.backoff_limit_per_index.is_some() && completions > MAX_COMPLETIONS_WITHOUT_MAX_FAILED {
        match spec.max_failed_indexes {
            None => {
                report.required(
                    &p("maxFailedIndexes"),
                    "must be specified when completions is above 100000",
                );
            }
            Some(m) if m > MAX_PARALLELISM_WITH_BLPI_AND_MANY_COMPLETIONS => {
                report.invalid(&p("maxFailedIndexes"), &m.to_string(), "must be less than or equal to 10000 when completions are above 100000 and used with backoff limit per index");
            }
            Some(_) => {}
        }
        if let Some(par) = spec
            .parallelism
            .filter(|v| *v > MAX_PARALLELISM_WITH_BLPI_AND_MANY_COMPLETIONS)
        {
            report.invalid(&p("parallelism"), &par.to_string(), "must be less than or equal to 10000 when completions are above 100000 and used with backoff limit per index");
        }
    }
}

fn validate_pod_failure_policy(
    report: &mut Report,
    spec: &JobSpec,
    policy: &PodFailurePolicy,
    base: &str,
) {
    let rules_path = format!("{base}.rules");
    if policy.rules.len() > MAX_POD_FAILURE_POLICY_RULES {
        report.too_many(
            &rules_path,
            policy.rules.len(),
            MAX_POD_FAILURE_POLICY_RULES,
        );
    }
    let container_names: Vec<&str> = spec
        .template
        .spec
        .containers
        .iter()
        .chain(&spec.template.spec.init_containers)
        .map(|c| c.name.as_str())
        .collect();
    let actions = ["Count", "FailIndex", "FailJob", "Ignore"];
    for (i, rule) in policy.rules.iter().enumerate() {
        let path = format!("{rules_path}[{i}]");
        match rule.action.as_str() {
            "" => {
                report.required(
                    &format!("{path}.action"),
                    "valid values: [\"Count\" \"FailIndex\" \"FailJob\" \"Ignore\"]",
                );
            }
            "FailIndex" if spec.backoff_limit_per_index.is_none() => {
                report.invalid(
                    &format!("{path}.action"),
                    "\"FailIndex\"",
                    "requires the backoffLimitPerIndex to be set",
                );
            }
            a if actions.contains(&a) => {}
            other => {
                report.unsupported(&format!("{path}.action"), other, &actions);
            }
        }
        match (&rule.on_exit_codes, rule.on_pod_conditions.is_empty()) {
            (Some(_), false) => {
                report.invalid_omit(
                    &path,
                    "specifying both OnExitCodes and OnPodConditions is not supported",
                );
            }
            (None, true) => {
                report
                    .invalid_omit(&path, "specifying one of OnExitCodes and OnPodConditions is required")
                    .help = "add onExitCodes (operator and values) or onPodConditions (e.g. type: DisruptionTarget)".into();
            }
            _ => {}
        }
        if let Some(codes) = &rule.on_exit_codes {
            validate_on_exit_codes(
                report,
                codes,
                &container_names,
                &format!("{path}.onExitCodes"),
            );
        }
        let conditions_path = format!("{path}.onPodConditions");
        if rule.on_pod_conditions.len() > MAX_POD_CONDITIONS {
            report.too_many(
                &conditions_path,
                rule.on_pod_conditions.len(),
                MAX_POD_CONDITIONS,
            );
        }
        for (j, condition) in rule.on_pod_conditions.iter().enumerate() {
            let cpath = format!("{conditions_path}[{j}]");
            for message in names::qualified_name(&condition.type_) {
                report.invalid(
                    &format!("{cpath}.type"),
                    &go_str(&condition.type_),
                    &message,
                );
            }
            // An empty status is defaulted to "True" by the API server.
            let status = condition.status.as_str();
            if !matches!(status, "" | "True" | "False" | "Unknown") {
                report.unsupported(
                    &format!("{cpath}.status"),
                    status,
                    &["False", "True", "Unknown"],
                );
            }
        }
    }
}

fn validate_on_exit_codes(
    report: &mut Report,
    codes: &crate::model::PodFailurePolicyOnExitCodes,
    container_names: &[&str],
    base: &str,
) {
    let p = |field: &str| format!("{base}.{field}");
    if let Some(name) = codes.container_name.as_deref() {
        if !container_names.contains(&name) {
            report.invalid(
                &p("containerName"),
                &go_str(name),
                "must be one of the container or initContainer names in the pod template",
            );
        }
    }
    match codes.operator.as_str() {
        "" => {
            report.required(&p("operator"), "valid values: [\"In\" \"NotIn\"]");
        }
        "In" | "NotIn" => {}
        other => {
            report.unsupported(&p("operator"), other, &["In", "NotIn"]);
        }
    }
    let values = &codes.values;
    let rendered = format!(
        "[]int32{{{}}}",
        values
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    );
    if values.is_empty() {
        report.invalid(&p("values"), "[]int32{}", "at least one value is required");
    } else if values.len() > MAX_EXIT_CODE_VALUES {
        report.too_many(&p("values"), values.len(), MAX_EXIT_CODE_VALUES);
    }
    let mut seen = Vec::new();
    for (j, v) in values.iter().enumerate() {
        let vpath = format!("{}[{j}]", p("values"));
        if codes.operator == "In" && *v == 0 {
            report.invalid(&vpath, "0", "must not be 0 for the In operator");
        }
        if seen.contains(v) {
            report.duplicate(&vpath, &v.to_string());
        }
        seen.push(*v);
    }
    if values.windows(2).any(|w| w[0] > w[1]) {
        report.invalid(&p("values"), &rendered, "must be ordered");
    }
}

fn validate_success_policy(
    report: &mut Report,
    spec: &JobSpec,
    policy: &SuccessPolicy,
    base: &str,
) {
    if spec.completion_mode.as_deref() != Some("Indexed") {
        report
            .invalid_omit(base, "requires indexed completion mode")
            .help = "successPolicy only works with completionMode: Indexed".into();
        return;
    }
    let rules_path = format!("{base}.rules");
    if policy.rules.is_empty() {
        report.required(
            &rules_path,
            "at least one rules must be specified when the successPolicy is specified",
        );
    }
    if policy.rules.len() > MAX_SUCCESS_POLICY_RULES {
        report.too_many(&rules_path, policy.rules.len(), MAX_SUCCESS_POLICY_RULES);
    }
    let completions = spec.completions.unwrap_or(0);
    for (i, rule) in policy.rules.iter().enumerate() {
        let path = format!("{rules_path}[{i}]");
        if rule.succeeded_count.is_none() && rule.succeeded_indexes.is_none() {
            report.required(
                &path,
                "at least one of succeededCount or succeededIndexes must be specified",
            );
        }
        let mut index_count = None;
        if let Some(indexes) = &rule.succeeded_indexes {
            let ipath = format!("{path}.succeededIndexes");
            if indexes.len() > MAX_SUCCEEDED_INDEXES_BYTES {
                report.too_long(&ipath, MAX_SUCCEEDED_INDEXES_BYTES);
            }
            match count_indexes(indexes, completions) {
                Ok(n) => index_count = Some(n),
                Err(e) => {
                    report.invalid(
                        &ipath,
                        &go_str(indexes),
                        &format!("error parsing succeededIndexes: {e}"),
                    );
                }
            }
        }
        if let Some(count) = rule.succeeded_count {
            let cpath = format!("{path}.succeededCount");
            if count < 0 {
                report.invalid(
                    &cpath,
                    &count.to_string(),
                    "must be greater than or equal to 0",
                );
            }
            if count > completions {
                report.invalid(
                    &cpath,
                    &count.to_string(),
                    &format!("must be less than or equal to {completions} (the number of specified completions)"),
                );
            }
            if let Some(n) = index_count.filter(|n| count > *n) {
                report.invalid(
                    &cpath,
                    &count.to_string(),
                    &format!("must be less than or equal to {n} (the number of indexes in the specified succeededIndexes field)"),
                );
            }
        }
    }
}

/// Parse an index-interval string (`"0-2,5"`) strictly, as success-policy validation does, and
/// count the indexes. Errors are upstream's words.
fn count_indexes(text: &str, completions: i64) -> Result<i64, String> {
    let mut count = 0;
    let mut previous: Option<i64> = None;
    for fragment in text.split(',') {
        let parts: Vec<&str> = fragment.split('-').collect();
        if parts.len() > 2 {
            return Err(format!("the fragment {fragment:?} violates the requirement that an index interval can have at most two parts separated by '-'"));
        }
        let mut bounds = Vec::new();
        for part in &parts {
            let v: i64 = part
                .parse()
                .map_err(|_| format!("cannot convert string to integer for index: {part:?}"))?;
            if v >= completions {
                return Err(format!("too large index: {part:?}"));
            }
            if let Some(prev) = previous {
                if v <= prev {
                    return Err(format!(
                        "non-increasing order, previous: {prev}, current: {v}"
                    ));
                }
            }
            previous = Some(v);
            bounds.push(v);
        }
        count += match bounds.as_slice() {
            [a, b] => b - a + 1,
            _ => 1,
        };
    }
    Ok(count)
}

fn validate_pod_replacement_policy(report: &mut Report, spec: &JobSpec, base: &str) {
    let Some(policy) = spec.pod_replacement_policy.as_deref() else {
        return;
    };
    let path = format!("{base}.podReplacementPolicy");
    if spec.pod_failure_policy.is_some() {
        if policy != "Failed" {
            report.unsupported(&path, policy, &["Failed"]).help =
                "with a podFailurePolicy, pods are only replaced once they have failed".into();
        }
    } else if !matches!(policy, "Failed" | "TerminatingOrFailed") {
        report.unsupported(&path, policy, &["Failed", "TerminatingOrFailed"]);
    }
}

/// A Job's pods must not restart forever: `Never` or `OnFailure`, and only `Never` with a
/// podFailurePolicy. Runs on the defaulted value, so an omitted policy (→ `Always`) is
/// "Required value".
fn validate_restart_policy(report: &mut Report, spec: &JobSpec, base: &str) {
    let path = format!("{base}.template.spec.restartPolicy");
    let policy = spec.template.spec.restart_policy.as_deref().unwrap_or("");
    match policy {
        "" | "Always" => {
            report
                .required(&path, "valid values: \"OnFailure\", \"Never\"")
                .help = "add restartPolicy: Never (each retry is a new pod) or OnFailure (the container restarts in place) under the pod template's spec".into();
        }
        "OnFailure" if spec.pod_failure_policy.is_some() => {
            report
                .invalid(&path, "\"OnFailure\"", "only \"Never\" is supported when podFailurePolicy is specified")
                .help = "a podFailurePolicy judges failed pods; with OnFailure they never fail, so use restartPolicy: Never".into();
        }
        "OnFailure" | "Never" => {}
        other => {
            report.unsupported(&path, other, &["OnFailure", "Never"]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::count_indexes;

    #[test]
    fn succeeded_indexes_parse_like_upstream() {
        assert_eq!(count_indexes("0-2,5", 10), Ok(4));
        assert_eq!(count_indexes("1", 10), Ok(1));
        assert_eq!(
            count_indexes("a", 10).unwrap_err(),
            "cannot convert string to integer for index: \"a\""
        );
        assert_eq!(
            count_indexes("12", 10).unwrap_err(),
            "too large index: \"12\""
        );
        assert_eq!(
            count_indexes("3,1", 10).unwrap_err(),
            "non-increasing order, previous: 3, current: 1"
        );
        assert!(count_indexes("1-2-3", 10)
            .unwrap_err()
            .contains("at most two parts"));
    }
}
