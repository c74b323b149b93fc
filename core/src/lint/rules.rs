//! The checks behind the lint rules in [`super::RULES`], one small function per rule.

mod secret_logs;

use super::rule_by_code;
use crate::diag::Diagnostic;
use crate::manifest::{Bundle, ObjectKind};
use crate::model::{Container, CronJob, JobSpec, ObjectMeta};

/// A Job, or the Job a CronJob would create, with where its spec sits in the text.
struct Workload<'a> {
    document: usize,
    meta: &'a ObjectMeta,
    spec: &'a JobSpec,
    /// `spec` for a Job, `spec.jobTemplate.spec` for a CronJob.
    spec_path: &'static str,
    cron_job: Option<&'a CronJob>,
}

impl Workload<'_> {
    fn name(&self) -> &str {
        self.meta.name.as_deref().unwrap_or("")
    }

    /// Containers (init first) with their paths.
    fn containers(&self) -> impl Iterator<Item = (String, &Container)> {
        let pod = &self.spec.template.spec;
        let base = self.spec_path;
        pod.init_containers
            .iter()
            .enumerate()
            .map(move |(i, c)| (format!("{base}.template.spec.initContainers[{i}]"), c))
            .chain(
                pod.containers
                    .iter()
                    .enumerate()
                    .map(move |(i, c)| (format!("{base}.template.spec.containers[{i}]"), c)),
            )
    }

    /// Name and labels (object, job template, pod template) mention one of these words.
    fn mentions(&self, words: &[&str]) -> bool {
        let name = self.name().to_ascii_lowercase();
        let label_values = self
            .meta
            .labels
            .values()
            .chain(self.spec.template.metadata.labels.values())
            .map(|v| v.to_ascii_lowercase());
        std::iter::once(name)
            .chain(label_values)
            .any(|text| words.iter().any(|w| text.contains(w)))
    }
}

struct Emitter<'a> {
    bundle: &'a Bundle,
    out: &'a mut Vec<Diagnostic>,
}

impl Emitter<'_> {
    /// Report rule `code` about `path` in `document`; `detail` says what exactly.
    fn emit(&mut self, code: &str, document: usize, path: &str, detail: String) {
        let Some(rule) = rule_by_code(code) else {
            return;
        };
        let message = if detail.is_empty() {
            format!("{}: {}", rule.title, rule.why)
        } else {
            format!("{detail}: {}", rule.why)
        };
        let span = self.bundle.nearest_span(document, path);
        self.out.push(
            Diagnostic::new(rule.severity, rule.code, message)
                .at(path, span)
                .in_document(document)
                .with_help(rule.fix),
        );
    }
}

pub fn run(bundle: &Bundle, out: &mut Vec<Diagnostic>) {
    let mut emitter = Emitter { bundle, out };
    for object in &bundle.objects {
        let workload = match &object.kind {
            ObjectKind::Job(j) => Workload {
                document: object.document,
                meta: &j.metadata,
                spec: &j.spec,
                spec_path: "spec",
                cron_job: None,
            },
            ObjectKind::CronJob(c) => Workload {
                document: object.document,
                meta: &c.metadata,
                spec: &c.spec.job_template.spec,
                spec_path: "spec.jobTemplate.spec",
                cron_job: Some(c),
            },
            _ => continue,
        };
        check_workload(&mut emitter, &workload);
    }
}

fn check_workload(e: &mut Emitter, w: &Workload) {
    for (path, container) in w.containers() {
        let text = script(container);
        resources(e, w, &path, container);
        literal_secrets(e, w, &path, container);
        secret_logs::check(e, w, &path, container);
        image_tag(e, w, &path, container);
        checkpoint_on_container_fs(e, w, &path, container, &text);
        lone_dollar(e, w, &path, container, &text);
    }
    job_spec(e, w);
    parallelism(e, w);
    governance(e, w);
    if let Some(cron_job) = w.cron_job {
        cron(e, w, cron_job);
    }
}

fn resources(e: &mut Emitter, w: &Workload, path: &str, c: &Container) {
    let r = &c.resources;
    let has = |resource: &str| r.requests.contains_key(resource) || r.limits.contains_key(resource);
    let missing: Vec<&str> = ["cpu", "memory"].into_iter().filter(|x| !has(x)).collect();
    let res_path = format!("{path}.resources");
    if !missing.is_empty() {
        e.emit(
            "BL-RES-001",
            w.document,
            &res_path,
            format!(
                "container {:?} has no {} request",
                c.name,
                missing.join(" or ")
            ),
        );
    }
    if !r.limits.contains_key("memory") {
        e.emit(
            "BL-RES-002",
            w.document,
            &res_path,
            format!("container {:?} has no memory limit", c.name),
        );
    }
    if let (Some(request), Some(limit)) = (r.request("memory"), r.limit("memory")) {
        let ratio = limit.as_f64() / request.as_f64().max(1.0);
        if ratio > 4.0 {
            e.emit(
                "BL-RES-003",
                w.document,
                &format!("{res_path}.limits[memory]"),
                format!(
                    "container {:?}'s memory limit {} is {ratio:.0}x its request {}",
                    c.name,
                    limit.canonical(),
                    request.canonical()
                ),
            );
        }
    }
}

/// Env var names that hold credentials.
fn is_credential_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    [
        "PASSWORD",
        "PASSWD",
        "SECRET",
        "TOKEN",
        "API_KEY",
        "APIKEY",
        "ACCESS_KEY",
        "PRIVATE_KEY",
        "CREDENTIAL",
        "ENCRYPTION_KEY",
    ]
    .iter()
    .any(|w| upper.contains(w))
}

/// `scheme://user:password@host`: a URL with a password in it.
fn url_with_credentials(value: &str) -> bool {
    value.split_once("://").is_some_and(|(_, rest)| {
        let authority = rest.split('/').next().unwrap_or("");
        authority
            .split_once('@')
            .is_some_and(|(userinfo, _)| userinfo.contains(':'))
    })
}

fn literal_secrets(e: &mut Emitter, w: &Workload, path: &str, c: &Container) {
    for (i, var) in c.env.iter().enumerate() {
        let Some(value) = var.value.as_deref().filter(|v| !v.is_empty()) else {
            continue;
        };
        // `$(OTHER_VAR)` only refers to another variable.
        if value.starts_with("$(") && value.ends_with(')') {
            continue;
        }
        if is_credential_name(&var.name) || url_with_credentials(value) {
            e.emit(
                "BL-SEC-001",
                w.document,
                &format!("{path}.env[{i}].value"),
                format!(
                    "env var {:?} holds a credential as a literal value",
                    var.name
                ),
            );
        }
    }
}

fn image_tag(e: &mut Emitter, w: &Workload, path: &str, c: &Container) {
    let Some(image) = c.image.as_deref().filter(|i| !i.is_empty()) else {
        return;
    };
    if image.contains('@') {
        return; // pinned by digest
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    let tag = last.split_once(':').map(|(_, t)| t);
    let problem = match tag {
        None => format!("image {image:?} has no tag (so it means :latest)"),
        Some("latest") => format!("image {image:?} uses the :latest tag"),
        Some(_) => return,
    };
    e.emit("BL-IMG-001", w.document, &format!("{path}.image"), problem);
}

/// The container's command and args as one text (what its shell script says).
fn script(c: &Container) -> String {
    c.command
        .iter()
        .chain(&c.args)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Where the script text is in the manifest: args if present, else command.
fn script_path(path: &str, c: &Container) -> String {
    if c.args.is_empty() {
        format!("{path}.command")
    } else {
        format!("{path}.args")
    }
}

fn checkpoint_on_container_fs(
    e: &mut Emitter,
    w: &Workload,
    path: &str,
    c: &Container,
    text: &str,
) {
    if !text.contains("heckpoint") && !text.contains("HECKPOINT") {
        return;
    }
    let checkpoint_paths = text
        .split(|ch: char| ch.is_whitespace() || matches!(ch, '"' | '\'' | '=' | '>' | '<' | ';'))
        .filter(|token| {
            token.starts_with('/') && token.to_ascii_lowercase().contains("checkpoint")
        });
    for file in checkpoint_paths {
        let on_volume = c.volume_mounts.iter().any(|m| {
            let mount = m.mount_path.trim_end_matches('/');
            !mount.is_empty() && file.starts_with(mount) && file[mount.len()..].starts_with('/')
        });
        if !on_volume {
            e.emit(
                "BL-STATE-001",
                w.document,
                &script_path(path, c),
                format!(
                    "container {:?} keeps its checkpoint in {file}, which is not on a volume",
                    c.name
                ),
            );
            return;
        }
    }
}

/// After Kubernetes' own `$` processing (`$$` → `$`), does the shell see a `$` that expands
/// nothing? `$$` written intending the PID, or a lone `$` before a quote or space, both do.
fn lone_dollar_at(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '$' {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i] == '$' {
            i += 1;
        }
        let run = i - start;
        let next = chars.get(i).copied();
        let expands = next.is_some_and(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '_' | '{' | '(' | '?' | '#' | '@' | '*' | '!' | '-')
        });
        // The shell sees run/2 + run%2 dollar signs; a single one before nothing expandable is
        // printed literally.
        if run <= 2 && !expands {
            let context: String = chars[start.saturating_sub(12)..(i + 1).min(chars.len())]
                .iter()
                .collect();
            return Some(context);
        }
    }
    None
}

fn lone_dollar(e: &mut Emitter, w: &Workload, path: &str, c: &Container, text: &str) {
    if let Some(context) = lone_dollar_at(text) {
        e.emit(
            "BL-SCRIPT-001",
            w.document,
            &script_path(path, c),
            format!(
                "the shell in container {:?} gets a literal $ in {:?}",
                c.name,
                context.trim()
            ),
        );
    }
}

/// Does the script choose its own exit codes (`exit 64`)? Then failures have meanings that a
/// podFailurePolicy could act on.
fn classifies_exit_codes(text: &str) -> bool {
    let mut words = text.split_whitespace().peekable();
    while let Some(word) = words.next() {
        if word == "exit" {
            if let Some(code) = words
                .peek()
                .and_then(|c| c.trim_end_matches(';').parse::<u32>().ok())
            {
                if code >= 2 {
                    return true;
                }
            }
        }
    }
    false
}

fn job_spec(e: &mut Emitter, w: &Workload) {
    let spec = w.spec;
    let p = |field: &str| format!("{}.{field}", w.spec_path);
    match spec.active_deadline_seconds {
        None => e.emit(
            "BL-JOB-001",
            w.document,
            &p("activeDeadlineSeconds"),
            String::new(),
        ),
        Some(0) => e.emit(
            "BL-JOB-007",
            w.document,
            &p("activeDeadlineSeconds"),
            String::new(),
        ),
        Some(_) => {}
    }
    if w.cron_job.is_none() && spec.ttl_seconds_after_finished.is_none() {
        e.emit(
            "BL-JOB-002",
            w.document,
            &p("ttlSecondsAfterFinished"),
            String::new(),
        );
    }
    let risky = w.mentions(&["migrat", "cleanup", "clean-up", "purge"]);
    if spec.backoff_limit.is_none() && spec.backoff_limit_per_index.is_none() && !risky {
        e.emit("BL-JOB-003", w.document, &p("backoffLimit"), String::new());
    }
    if risky && spec.backoff_limit.is_none_or(|b| b > 0) {
        let limit = spec
            .backoff_limit
            .map_or("the default 6".to_string(), |b| b.to_string());
        e.emit(
            "BL-JOB-005",
            w.document,
            &p("backoffLimit"),
            format!(
                "{:?} looks like a migration or cleanup Job and retries {limit} times",
                w.name()
            ),
        );
    }
    let pod = &spec.template.spec;
    if w.mentions(&["migrat"])
        && pod
            .service_account_name
            .as_deref()
            .is_none_or(|s| s.is_empty() || s == "default")
    {
        e.emit(
            "BL-JOB-006",
            w.document,
            &p("template.spec.serviceAccountName"),
            String::new(),
        );
    }
    if pod.restart_policy.as_deref() == Some("OnFailure") {
        let scripted = pod
            .containers
            .iter()
            .any(|c| classifies_exit_codes(&script(c)));
        if spec.pod_failure_policy.is_some() || scripted {
            let why = if spec.pod_failure_policy.is_some() {
                "restartPolicy OnFailure with a podFailurePolicy"
            } else {
                "restartPolicy OnFailure while the script exits with its own failure codes"
            };
            e.emit(
                "BL-JOB-004",
                w.document,
                &p("template.spec.restartPolicy"),
                why.to_string(),
            );
        }
    }
}

fn reads_completion_index(c: &Container) -> bool {
    let in_script = script(c).contains("JOB_COMPLETION_INDEX");
    let in_env = c.env.iter().any(|v| {
        v.value
            .as_deref()
            .is_some_and(|x| x.contains("JOB_COMPLETION_INDEX"))
            || v.value_from
                .as_ref()
                .and_then(|f| f.field_ref.as_ref())
                .is_some_and(|f| f.field_path.contains("job-completion-index"))
    });
    in_script || in_env
}

fn parallelism(e: &mut Emitter, w: &Workload) {
    let spec = w.spec;
    let p = |field: &str| format!("{}.{field}", w.spec_path);
    let queue_words = [
        "queue", "worker", "broker", "redis", "rabbit", "sqs", "kafka", "pubsub", "celery",
    ];
    let queue_like = || {
        w.mentions(&queue_words)
            || spec.template.spec.containers.iter().any(|c| {
                let names = c
                    .env
                    .iter()
                    .map(|v| v.name.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                let text = format!("{} {names}", script(c)).to_ascii_lowercase();
                queue_words.iter().any(|q| text.contains(q))
            })
    };
    if let (Some(par), None) = (spec.parallelism, spec.completions) {
        if par > 1 && !queue_like() {
            e.emit(
                "BL-PAR-001",
                w.document,
                &p("parallelism"),
                format!("parallelism: {par} with no completions"),
            );
        }
    }
    if spec.completion_mode.as_deref() == Some("Indexed")
        && !spec
            .template
            .spec
            .containers
            .iter()
            .any(reads_completion_index)
    {
        e.emit(
            "BL-PAR-002",
            w.document,
            &p("completionMode"),
            String::new(),
        );
    }
    if let (Some(par), Some(comp)) = (spec.parallelism, spec.completions) {
        if par > comp && comp > 0 {
            e.emit(
                "BL-PAR-003",
                w.document,
                &p("parallelism"),
                format!("parallelism {par} is higher than completions {comp}"),
            );
        }
    }
}

fn governance(e: &mut Emitter, w: &Workload) {
    let has = |word: &str| {
        w.meta.annotations.keys().any(|k| {
            k.rsplit('/')
                .next()
                .is_some_and(|name| name.to_ascii_lowercase().contains(word))
        })
    };
    if !has("owner") {
        e.emit(
            "BL-GOV-001",
            w.document,
            "metadata.annotations",
            String::new(),
        );
    }
    if !has("runbook") {
        e.emit(
            "BL-GOV-002",
            w.document,
            "metadata.annotations",
            String::new(),
        );
    }
}

fn cron(e: &mut Emitter, w: &Workload, c: &CronJob) {
    let spec = &c.spec;
    if spec.time_zone.is_none() {
        e.emit("BL-CRON-001", w.document, "spec.timeZone", String::new());
    }
    if spec.concurrency_policy.is_none() {
        e.emit(
            "BL-CRON-002",
            w.document,
            "spec.concurrencyPolicy",
            String::new(),
        );
    }
    match spec.starting_deadline_seconds {
        None => e.emit(
            "BL-CRON-003",
            w.document,
            "spec.startingDeadlineSeconds",
            String::new(),
        ),
        Some(s) if (0..10).contains(&s) => e.emit(
            "BL-CRON-004",
            w.document,
            "spec.startingDeadlineSeconds",
            format!("startingDeadlineSeconds is {s}"),
        ),
        Some(_) => {}
    }
    if spec.successful_jobs_history_limit.is_none() && spec.failed_jobs_history_limit.is_none() {
        e.emit(
            "BL-CRON-005",
            w.document,
            "spec.failedJobsHistoryLimit",
            String::new(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollar_signs_as_the_shell_sees_them() {
        assert!(lone_dollar_at("WORK=/tmp/work-$(date +%s)-$\"").is_some());
        assert!(lone_dollar_at("echo $$").is_some());
        assert!(lone_dollar_at("echo $$$$").is_none());
        assert!(lone_dollar_at("echo $HOME ${X} $((1+2)) $? $1").is_none());
        assert!(lone_dollar_at("echo $$VAR").is_none());
    }

    #[test]
    fn credentials_in_urls() {
        assert!(url_with_credentials("postgresql://user:password@db:5432/x"));
        assert!(!url_with_credentials("https://example.com/a:b@c"));
        assert!(!url_with_credentials("/data/input"));
    }

    #[test]
    fn exit_codes_that_mean_something() {
        assert!(classifies_exit_codes("if bad; then exit 64; fi"));
        assert!(!classifies_exit_codes("exit 1"));
        assert!(!classifies_exit_codes("exit $code"));
    }
}
