//! Secret values that reach containers, and finding them in what the containers printed.
//!
//! A Secret's value reaches a container through `env[].valueFrom.secretKeyRef`,
//! `envFrom[].secretRef` or a mounted `secret` volume. Whatever the script prints lands in the
//! pod's logs, and real `kubectl logs` shows it in clear to anyone allowed to read logs (and to
//! every log shipper downstream). Batch Lab uses this module three ways:
//!
//! - the app masks these values in its `kubectl logs` view and says so (a warning, not a feature of
//!   Kubernetes);
//! - the grader's `secretsInLogs: false` goal fails when any of them appears in a log;
//! - lint rule BL-SEC-002 (in `lint/rules/secret_logs.rs`) flags, statically, a script that prints
//!   a variable holding one.
//!
//! Only the Secrets in the learner's own text are known; a value shorter than [`MIN_MASKED_LEN`]
//! characters is neither masked nor reported, because masking `1` or `yes` would garble every log.

use crate::model::{Container, PodSpec, Secret};
use crate::shell::{mask_secrets, secrets_in_logs};
use crate::sim::{SimInput, Timeline};
use crate::workload::{LogLine, Stream};

/// Shorter values are not treated as secrets to hide (they would match everywhere).
pub const MIN_MASKED_LEN: usize = 4;

/// One Secret key whose value reaches a container of a Job or CronJob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExposedSecret {
    /// The Job or CronJob whose containers receive it (pods of a CronJob's Jobs belong to the
    /// CronJob).
    pub workload: String,
    pub secret: String,
    pub key: String,
    pub value: String,
    /// How it gets in: `env API_TOKEN`, `envFrom`, `volume /etc/creds`.
    pub via: String,
}

impl ExposedSecret {
    /// "Secret `db-credentials`, key `password`".
    pub fn describe(&self) -> String {
        format!("Secret `{}`, key `{}`", self.secret, self.key)
    }

    fn findable(&self) -> bool {
        self.value.trim().chars().count() >= MIN_MASKED_LEN
    }
}

/// Every Secret value of the bundle that reaches a container of one of its Jobs or CronJobs, once
/// per workload and key, in manifest order. References to Secrets that are not in the bundle, or to
/// keys they lack, expose nothing (the pod would not start).
pub fn exposed_secrets(input: &SimInput) -> Vec<ExposedSecret> {
    let workloads = input
        .jobs
        .iter()
        .map(|j| (&j.metadata.name, &j.spec.template.spec))
        .chain(
            input
                .cron_jobs
                .iter()
                .map(|c| (&c.metadata.name, &c.spec.job_template.spec.template.spec)),
        );
    let mut out: Vec<ExposedSecret> = Vec::new();
    for (name, pod) in workloads {
        let workload = name.clone().unwrap_or_default();
        for container in pod.init_containers.iter().chain(&pod.containers) {
            for exposed in container_secrets(&workload, pod, container, &input.secrets) {
                let seen = out.iter().any(|e| {
                    e.workload == exposed.workload
                        && e.secret == exposed.secret
                        && e.key == exposed.key
                });
                if !seen {
                    out.push(exposed);
                }
            }
        }
    }
    out
}

fn container_secrets(
    workload: &str,
    pod: &PodSpec,
    container: &Container,
    secrets: &[Secret],
) -> Vec<ExposedSecret> {
    let find = |name: &str| {
        secrets
            .iter()
            .find(|s| s.metadata.name.as_deref() == Some(name))
    };
    let exposed = |secret: &str, key: &str, value: &str, via: String| ExposedSecret {
        workload: workload.to_string(),
        secret: secret.to_string(),
        key: key.to_string(),
        value: value.to_string(),
        via,
    };
    let mut out = Vec::new();
    for var in &container.env {
        let Some(r) = var
            .value_from
            .as_ref()
            .and_then(|f| f.secret_key_ref.as_ref())
        else {
            continue;
        };
        if let Some(value) = find(&r.name).and_then(|s| s.data.get(&r.key)) {
            out.push(exposed(&r.name, &r.key, value, format!("env {}", var.name)));
        }
    }
    for from in &container.env_from {
        let Some(secret) = from.secret_ref.as_ref().and_then(|r| find(&r.name)) else {
            continue;
        };
        let name = secret.metadata.name.as_deref().unwrap_or("");
        for (key, value) in &secret.data {
            out.push(exposed(name, key, value, "envFrom".into()));
        }
    }
    for mount in &container.volume_mounts {
        let Some(source) = pod
            .volumes
            .iter()
            .find(|v| v.name == mount.name)
            .and_then(|v| v.secret.as_ref())
        else {
            continue;
        };
        let Some(secret) = find(&source.secret_name) else {
            continue;
        };
        for (key, value) in &secret.data {
            let listed = source.items.is_empty() || source.items.iter().any(|i| &i.key == key);
            if listed {
                let via = format!("volume {}", mount.mount_path);
                out.push(exposed(&source.secret_name, key, value, via));
            }
        }
    }
    out
}

/// The exposed secrets that reach the pods of Job `job` (directly, or through the CronJob that
/// created it).
pub fn exposed_to_job<'e>(
    exposed: &'e [ExposedSecret],
    tl: &Timeline,
    job: &str,
) -> Vec<&'e ExposedSecret> {
    let owner = tl
        .job(job)
        .map(|j| j.cron_job.as_deref().unwrap_or(&j.name).to_string())
        .unwrap_or_else(|| job.to_string());
    exposed.iter().filter(|e| e.workload == owner).collect()
}

/// Log text with the secret values replaced by `***`, and which of the secrets were found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Masked<'e> {
    pub text: String,
    pub found: Vec<&'e ExposedSecret>,
}

/// Mask `secrets` in `text` (log lines separated by newlines, as `kubectl logs` prints them).
pub fn mask_log_text<'e>(text: &str, secrets: &[&'e ExposedSecret]) -> Masked<'e> {
    let secrets: Vec<&ExposedSecret> = secrets.iter().copied().filter(|s| s.findable()).collect();
    let values: Vec<&str> = secrets.iter().map(|s| s.value.as_str()).collect();
    let lines: Vec<LogLine> = text
        .lines()
        .map(|l| LogLine {
            at_ms: 0,
            stream: Stream::Stdout,
            text: l.to_string(),
        })
        .collect();
    let found: Vec<&ExposedSecret> = secrets_in_logs(&lines, &values)
        .into_iter()
        .map(|i| secrets[i])
        .collect();
    if found.is_empty() {
        return Masked {
            text: text.to_string(),
            found,
        };
    }
    let mut masked: String = mask_secrets(&lines, &values)
        .into_iter()
        .map(|l| l.text)
        .collect::<Vec<_>>()
        .join("\n");
    if text.ends_with('\n') {
        masked.push('\n');
    }
    Masked {
        text: masked,
        found,
    }
}

/// A secret value seen in a pod's logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leak {
    pub pod: String,
    pub secret: String,
    pub key: String,
}

/// Every (pod, secret key) pair where the pod's logs contain a value that reached it, in pod order.
pub fn leaks_in_logs(exposed: &[ExposedSecret], tl: &Timeline) -> Vec<Leak> {
    let mut leaks = Vec::new();
    for pod in &tl.pods {
        let secrets = exposed_to_job(exposed, tl, &pod.job);
        if secrets.is_empty() {
            continue;
        }
        let text: String = pod.logs().iter().map(|l| format!("{}\n", l.text)).collect();
        for found in mask_log_text(&text, &secrets).found {
            leaks.push(Leak {
                pod: pod.name.to_string(),
                secret: found.secret.clone(),
                key: found.key.clone(),
            });
        }
    }
    leaks
}

/// The note shown under a masked log: how many values were hidden, from where, and that a real
/// cluster would not hide them.
pub fn masking_note(found: &[&ExposedSecret]) -> String {
    let sources = found
        .iter()
        .map(|s| s.describe())
        .collect::<Vec<_>>()
        .join("; ");
    let (count, pronoun) = match found.len() {
        1 => ("1 secret value was".to_string(), "it"),
        n => (format!("{n} secret values were"), "them"),
    };
    format!(
        "{count} masked as *** ({sources}). Batch Lab hides {pronoun} to protect you; real `kubectl logs` would print {pronoun} in clear for anyone who can read this pod's logs. Change the script so it never prints a secret."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(text: &str) -> SimInput {
        SimInput::from_bundle(&crate::manifest::parse(text))
    }

    const JOB: &str = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\nstringData:\n  token: s3cr3t-token\n  user: app\n---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: leak\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      volumes:\n        - name: c\n          secret:\n            secretName: creds\n            items: [{key: user, path: user}]\n      containers:\n        - name: c\n          image: busybox:1.36\n          env:\n            - name: TOKEN\n              valueFrom:\n                secretKeyRef: {name: creds, key: token}\n            - name: MISSING\n              valueFrom:\n                secretKeyRef: {name: nowhere, key: token, optional: true}\n          volumeMounts:\n            - name: c\n              mountPath: /etc/creds\n          command: [\"sh\", \"-c\", \"echo token=$TOKEN\"]\n";

    #[test]
    fn env_and_volume_references_expose_the_values_they_name() {
        let exposed = exposed_secrets(&input(JOB));
        let seen: Vec<(&str, &str, &str)> = exposed
            .iter()
            .map(|e| (e.key.as_str(), e.value.as_str(), e.via.as_str()))
            .collect();
        assert_eq!(
            seen,
            [
                ("token", "s3cr3t-token", "env TOKEN"),
                ("user", "app", "volume /etc/creds")
            ]
        );
        assert!(exposed.iter().all(|e| e.workload == "leak"));
    }

    #[test]
    fn masking_replaces_the_value_and_names_its_source() {
        let exposed = exposed_secrets(&input(JOB));
        let refs: Vec<&ExposedSecret> = exposed.iter().collect();
        let masked = mask_log_text("token=s3cr3t-token\napp done\n", &refs);
        // `app` is shorter than MIN_MASKED_LEN: left alone.
        assert_eq!(masked.text, "token=***\napp done\n");
        assert_eq!(masked.found.len(), 1);
        let note = masking_note(&masked.found);
        assert!(
            note.starts_with("1 secret value was masked as *** (Secret `creds`, key `token`)"),
            "{note}"
        );
        assert!(note.contains("real `kubectl logs` would print it in clear"));
        let clean = mask_log_text("all good\n", &refs);
        assert_eq!(clean.text, "all good\n");
        assert!(clean.found.is_empty());
    }

    #[test]
    fn a_run_that_prints_the_token_leaks_it() {
        let input = input(JOB);
        let tl = crate::sim::simulate(&input, &crate::sim::Scenario::default());
        let leaks = leaks_in_logs(&exposed_secrets(&input), &tl);
        assert_eq!(leaks.len(), 1, "{:?}", tl.pods[0].logs());
        assert_eq!(leaks[0].key, "token");
        assert!(leaks[0].pod.starts_with("leak-"));
        let quiet = JOB.replace("echo token=$TOKEN", "echo token loaded");
        let input = super::tests::input(&quiet);
        let tl = crate::sim::simulate(&input, &crate::sim::Scenario::default());
        assert!(leaks_in_logs(&exposed_secrets(&input), &tl).is_empty());
    }
}
