//! The valid part of a document after the structural check, and how it fills the typed model.
//!
//! The checker (`check`) copies what passed into a [`Checked`] tree in the API's JSON shape;
//! [`FromChecked`] then reads that tree into `model` types. The tree borrows every key and string
//! from the YAML tree, so building it allocates no strings and no map nodes: strings are copied
//! once, into the model. (A `serde_json::Value` would do the same job with a `String` per key and
//! value and a B-tree per mapping, about a sixth of the whole parse + validate + lint time of a
//! typical manifest.)
//!
//! The readers are written out here rather than derived with serde: serde's derive instantiates a
//! visitor, a field-name matcher and an error path per struct and per field type, which was about
//! 90 KB of wasm for these 35 structs; these readers are a few hundred bytes each. They read what
//! serde read: a field takes its wire name (`rename_all = "camelCase"` plus the model's explicit
//! renames, checked against the model's own `Serialize` by a test), a missing field is empty, an
//! unknown one is ignored, and a value of the wrong shape anywhere makes the whole read fail, so
//! [`Checked::read`] falls back to the default exactly as the serde reader did.

use crate::model::{self, StringMap};

/// A checked value: the JSON data model, borrowing from the YAML text it came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Checked<'n> {
    Null,
    Bool(bool),
    Int(i64),
    Str(&'n str),
    List(Vec<Checked<'n>>),
    /// Fields (or map entries) in text order. Keys are unique: the YAML layer drops duplicates.
    Map(Vec<(&'n str, Checked<'n>)>),
}

impl<'n> Checked<'n> {
    /// The value under `key`, if this is a map that has it.
    pub fn get(&self, key: &str) -> Option<&Checked<'n>> {
        self.entries()
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v)
    }

    /// The entries of a map (none for any other value).
    pub fn entries(&self) -> &[(&'n str, Checked<'n>)] {
        match self {
            Checked::Map(entries) => entries,
            _ => &[],
        }
    }

    pub fn as_str(&self) -> Option<&'n str> {
        match self {
            Checked::Str(s) => Some(s),
            _ => None,
        }
    }

    fn as_map(&self) -> Option<&[(&'n str, Checked<'n>)]> {
        match self {
            Checked::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Checked::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// Read this value into a model type. The structural check already guarantees the shape and
    /// every model struct defaults its missing fields, so this only falls back to the default if
    /// the model and the schema disagree (a bug, covered by the seed-manifest tests).
    pub fn read<T: FromChecked + Default>(&self) -> T {
        T::from_checked(self).unwrap_or_default()
    }

    /// A struct's field: empty when absent, `None` (the whole read fails) when this is not a map
    /// or the field's value has the wrong shape.
    fn field<T: FromChecked + Default>(&self, key: &str) -> Option<T> {
        match self.get(key) {
            Some(value) => T::from_checked(value),
            None => Some(T::default()),
        }
    }
}

/// A model type read from a checked tree; `None` when the tree has another shape.
pub trait FromChecked: Sized {
    fn from_checked(value: &Checked<'_>) -> Option<Self>;
}

impl FromChecked for String {
    fn from_checked(value: &Checked<'_>) -> Option<Self> {
        value.as_str().map(str::to_string)
    }
}

impl FromChecked for bool {
    fn from_checked(value: &Checked<'_>) -> Option<Self> {
        value.as_bool()
    }
}

impl FromChecked for i64 {
    fn from_checked(value: &Checked<'_>) -> Option<Self> {
        match value {
            Checked::Int(i) => Some(*i),
            _ => None,
        }
    }
}

impl FromChecked for i32 {
    fn from_checked(value: &Checked<'_>) -> Option<Self> {
        i32::try_from(i64::from_checked(value)?).ok()
    }
}

/// Null is absent; anything else must read as `T`.
impl<T: FromChecked> FromChecked for Option<T> {
    fn from_checked(value: &Checked<'_>) -> Option<Self> {
        match value {
            Checked::Null => Some(None),
            _ => T::from_checked(value).map(Some),
        }
    }
}

impl<T: FromChecked> FromChecked for Vec<T> {
    fn from_checked(value: &Checked<'_>) -> Option<Self> {
        let Checked::List(items) = value else {
            return None;
        };
        // A loop, not `collect::<Option<Vec<_>>>()`: the same result with less code per item type.
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            out.push(T::from_checked(item)?);
        }
        Some(out)
    }
}

impl FromChecked for StringMap {
    fn from_checked(value: &Checked<'_>) -> Option<Self> {
        let mut map = StringMap::new();
        // Inserted one by one, not collected: `collect` into a B-tree map sorts first, which
        // would add a sort of (String, String) pairs to the wasm for a handful of labels.
        for (key, value) in value.as_map()? {
            map.insert(key.to_string(), String::from_checked(value)?);
        }
        Some(map)
    }
}

/// `FromChecked` for model structs: each field with its wire name. The struct literal names
/// every field, so a field added to the model and not here does not compile.
macro_rules! from_checked_structs {
    ($($ty:ident { $($field:ident: $key:literal),* $(,)? })*) => {$(
        impl FromChecked for model::$ty {
            fn from_checked(value: &Checked<'_>) -> Option<Self> {
                if !matches!(value, Checked::Map(_)) {
                    return None;
                }
                Some(model::$ty { $($field: value.field($key)?),* })
            }
        }
    )*};
}

from_checked_structs! {
    ObjectMeta {
        name: "name",
        generate_name: "generateName",
        namespace: "namespace",
        labels: "labels",
        annotations: "annotations",
    }
    Job { metadata: "metadata", spec: "spec" }
    JobSpec {
        parallelism: "parallelism",
        completions: "completions",
        active_deadline_seconds: "activeDeadlineSeconds",
        pod_failure_policy: "podFailurePolicy",
        success_policy: "successPolicy",
        backoff_limit: "backoffLimit",
        backoff_limit_per_index: "backoffLimitPerIndex",
        max_failed_indexes: "maxFailedIndexes",
        selector: "selector",
        manual_selector: "manualSelector",
        template: "template",
        ttl_seconds_after_finished: "ttlSecondsAfterFinished",
        completion_mode: "completionMode",
        suspend: "suspend",
        pod_replacement_policy: "podReplacementPolicy",
        managed_by: "managedBy",
    }
    LabelSelector { match_labels: "matchLabels", match_expressions: "matchExpressions" }
    LabelSelectorRequirement { key: "key", operator: "operator", values: "values" }
    PodFailurePolicy { rules: "rules" }
    PodFailurePolicyRule {
        action: "action",
        on_exit_codes: "onExitCodes",
        on_pod_conditions: "onPodConditions",
    }
    PodFailurePolicyOnExitCodes {
        container_name: "containerName",
        operator: "operator",
        values: "values",
    }
    PodFailurePolicyOnPodCondition { type_: "type", status: "status" }
    SuccessPolicy { rules: "rules" }
    SuccessPolicyRule { succeeded_indexes: "succeededIndexes", succeeded_count: "succeededCount" }
    CronJob { metadata: "metadata", spec: "spec" }
    CronJobSpec {
        schedule: "schedule",
        time_zone: "timeZone",
        starting_deadline_seconds: "startingDeadlineSeconds",
        concurrency_policy: "concurrencyPolicy",
        suspend: "suspend",
        job_template: "jobTemplate",
        successful_jobs_history_limit: "successfulJobsHistoryLimit",
        failed_jobs_history_limit: "failedJobsHistoryLimit",
    }
    JobTemplateSpec { metadata: "metadata", spec: "spec" }
    PodTemplateSpec { metadata: "metadata", spec: "spec" }
    PodSpec {
        init_containers: "initContainers",
        containers: "containers",
        volumes: "volumes",
        restart_policy: "restartPolicy",
        termination_grace_period_seconds: "terminationGracePeriodSeconds",
        active_deadline_seconds: "activeDeadlineSeconds",
        node_selector: "nodeSelector",
        service_account_name: "serviceAccountName",
        hostname: "hostname",
        subdomain: "subdomain",
        priority_class_name: "priorityClassName",
        tolerations: "tolerations",
        image_pull_secrets: "imagePullSecrets",
        dns_policy: "dnsPolicy",
        node_name: "nodeName",
        resources: "resources",
    }
    Toleration {
        key: "key",
        operator: "operator",
        value: "value",
        effect: "effect",
        toleration_seconds: "tolerationSeconds",
    }
    Container {
        name: "name",
        image: "image",
        command: "command",
        args: "args",
        working_dir: "workingDir",
        env: "env",
        env_from: "envFrom",
        resources: "resources",
        volume_mounts: "volumeMounts",
        ports: "ports",
        image_pull_policy: "imagePullPolicy",
        restart_policy: "restartPolicy",
    }
    ContainerPort {
        name: "name",
        container_port: "containerPort",
        host_port: "hostPort",
        protocol: "protocol",
        host_ip: "hostIP",
    }
    EnvVar { name: "name", value: "value", value_from: "valueFrom" }
    EnvVarSource {
        config_map_key_ref: "configMapKeyRef",
        secret_key_ref: "secretKeyRef",
        field_ref: "fieldRef",
        resource_field_ref: "resourceFieldRef",
    }
    KeySelector { name: "name", key: "key", optional: "optional" }
    ObjectFieldSelector { api_version: "apiVersion", field_path: "fieldPath" }
    ResourceFieldSelector {
        container_name: "containerName",
        resource: "resource",
        divisor: "divisor",
    }
    EnvFromSource { prefix: "prefix", config_map_ref: "configMapRef", secret_ref: "secretRef" }
    LocalObjectReference { name: "name", optional: "optional" }
    ResourceRequirements { requests: "requests", limits: "limits" }
    VolumeMount { name: "name", mount_path: "mountPath", read_only: "readOnly", sub_path: "subPath" }
    Volume {
        name: "name",
        config_map: "configMap",
        secret: "secret",
        empty_dir: "emptyDir",
        persistent_volume_claim: "persistentVolumeClaim",
    }
    KeyToPath { key: "key", path: "path", mode: "mode" }
    ConfigMapVolumeSource {
        name: "name",
        items: "items",
        default_mode: "defaultMode",
        optional: "optional",
    }
    SecretVolumeSource {
        secret_name: "secretName",
        items: "items",
        default_mode: "defaultMode",
        optional: "optional",
    }
    EmptyDirVolumeSource { medium: "medium", size_limit: "sizeLimit" }
    PersistentVolumeClaimVolumeSource { claim_name: "claimName", read_only: "readOnly" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    #[test]
    fn fills_model_structs_lists_maps_and_options() {
        let value = Checked::Map(vec![
            ("name", Checked::Str("worker")),
            ("image", Checked::Str("busybox:1.36")),
            (
                "command",
                Checked::List(vec![Checked::Str("sh"), Checked::Str("-c")]),
            ),
            (
                "resources",
                Checked::Map(vec![(
                    "limits",
                    Checked::Map(vec![("memory", Checked::Str("64Mi"))]),
                )]),
            ),
            ("imagePullPolicy", Checked::Null),
        ]);
        let container: Container = value.read();
        assert_eq!(container.name, "worker");
        assert_eq!(container.image.as_deref(), Some("busybox:1.36"));
        assert_eq!(container.command, vec!["sh", "-c"]);
        assert_eq!(container.resources.limits["memory"], "64Mi");
        assert_eq!(container.image_pull_policy, None);

        let spec: JobSpec = Checked::Map(vec![
            ("backoffLimit", Checked::Int(3)),
            ("suspend", Checked::Bool(true)),
        ])
        .read();
        assert_eq!(spec.backoff_limit, Some(3));
        assert_eq!(spec.suspend, Some(true));
    }

    #[test]
    fn a_shape_the_model_cannot_take_gives_the_default() {
        let spec: JobSpec = Checked::Map(vec![
            ("completions", Checked::Int(2)),
            ("backoffLimit", Checked::Str("3")),
        ])
        .read();
        assert_eq!(spec, JobSpec::default());
        // Deep inside too, and for a number out of an `int32` field's range.
        let port = |n| {
            Checked::Map(vec![(
                "containers",
                Checked::List(vec![Checked::Map(vec![
                    ("name", Checked::Str("main")),
                    (
                        "ports",
                        Checked::List(vec![Checked::Map(vec![("containerPort", Checked::Int(n))])]),
                    ),
                ])]),
            )])
        };
        assert_eq!(
            port(8080).read::<PodSpec>().containers[0].ports[0].container_port,
            8080
        );
        assert_eq!(port(1 << 40).read::<PodSpec>(), PodSpec::default());
        assert_eq!(Checked::Str("x").read::<Job>(), Job::default());
        assert_eq!(Checked::Int(1).read::<ObjectMeta>(), ObjectMeta::default());
    }

    /// The model's `Serialize` (serde's names, the API's) read back through `FromChecked`: every
    /// field of every struct is set, so a wire name that differs from serde's fails here.
    #[test]
    fn reads_back_every_field_the_model_serialises() {
        fn to_checked(json: &serde_json::Value) -> Checked<'_> {
            use serde_json::Value;
            match json {
                Value::Null => Checked::Null,
                Value::Bool(b) => Checked::Bool(*b),
                Value::Number(n) => Checked::Int(n.as_i64().expect("integers only")),
                Value::String(s) => Checked::Str(s),
                Value::Array(items) => Checked::List(items.iter().map(to_checked).collect()),
                Value::Object(entries) => Checked::Map(
                    entries
                        .iter()
                        .map(|(k, v)| (k.as_str(), to_checked(v)))
                        .collect(),
                ),
            }
        }
        let job = full_job();
        let json = serde_json::to_value(&job).unwrap();
        assert_eq!(to_checked(&json).read::<Job>(), job);
        let cron_job = CronJob {
            metadata: full_meta("nightly"),
            spec: CronJobSpec {
                schedule: "0 3 * * *".into(),
                time_zone: Some("Europe/Paris".into()),
                starting_deadline_seconds: Some(200),
                concurrency_policy: Some("Forbid".into()),
                suspend: Some(false),
                job_template: JobTemplateSpec {
                    metadata: full_meta("template"),
                    spec: job.spec.clone(),
                },
                successful_jobs_history_limit: Some(3),
                failed_jobs_history_limit: Some(1),
            },
        };
        let json = serde_json::to_value(&cron_job).unwrap();
        assert_eq!(to_checked(&json).read::<CronJob>(), cron_job);
    }

    fn s(text: &str) -> String {
        text.to_string()
    }

    fn map(key: &str, value: &str) -> StringMap {
        StringMap::from([(s(key), s(value))])
    }

    fn full_meta(name: &str) -> ObjectMeta {
        ObjectMeta {
            name: Some(s(name)),
            generate_name: Some(s("gen-")),
            namespace: Some(s("batch")),
            labels: map("app", "report"),
            annotations: map("note", "yes"),
        }
    }

    fn full_job() -> Job {
        let key_selector = KeySelector {
            name: s("settings"),
            key: s("mode"),
            optional: Some(true),
        };
        let reference = LocalObjectReference {
            name: s("settings"),
            optional: Some(false),
        };
        let items = vec![KeyToPath {
            key: s("mode"),
            path: s("mode.txt"),
            mode: Some(0o400),
        }];
        let resources = ResourceRequirements {
            requests: map("cpu", "100m"),
            limits: map("memory", "64Mi"),
        };
        let container = Container {
            name: s("main"),
            image: Some(s("busybox:1.36")),
            command: vec![s("sh"), s("-c")],
            args: vec![s("echo hi")],
            working_dir: Some(s("/work")),
            env: vec![EnvVar {
                name: s("MODE"),
                value: Some(s("fast")),
                value_from: Some(EnvVarSource {
                    config_map_key_ref: Some(key_selector.clone()),
                    secret_key_ref: Some(key_selector),
                    field_ref: Some(ObjectFieldSelector {
                        api_version: Some(s("v1")),
                        field_path: s("metadata.name"),
                    }),
                    resource_field_ref: Some(ResourceFieldSelector {
                        container_name: Some(s("main")),
                        resource: s("limits.memory"),
                        divisor: Some(s("1Mi")),
                    }),
                }),
            }],
            env_from: vec![EnvFromSource {
                prefix: Some(s("APP_")),
                config_map_ref: Some(reference.clone()),
                secret_ref: Some(reference.clone()),
            }],
            resources: resources.clone(),
            volume_mounts: vec![VolumeMount {
                name: s("data"),
                mount_path: s("/data"),
                read_only: Some(true),
                sub_path: Some(s("sub")),
            }],
            ports: vec![ContainerPort {
                name: Some(s("http")),
                container_port: 8080,
                host_port: Some(80),
                protocol: Some(s("TCP")),
                host_ip: Some(s("127.0.0.1")),
            }],
            image_pull_policy: Some(s("IfNotPresent")),
            restart_policy: Some(s("Always")),
        };
        Job {
            metadata: full_meta("report"),
            spec: JobSpec {
                parallelism: Some(2),
                completions: Some(4),
                active_deadline_seconds: Some(600),
                pod_failure_policy: Some(PodFailurePolicy {
                    rules: vec![PodFailurePolicyRule {
                        action: s("FailJob"),
                        on_exit_codes: Some(PodFailurePolicyOnExitCodes {
                            container_name: Some(s("main")),
                            operator: s("In"),
                            values: vec![42],
                        }),
                        on_pod_conditions: vec![PodFailurePolicyOnPodCondition {
                            type_: s("DisruptionTarget"),
                            status: s("True"),
                        }],
                    }],
                }),
                success_policy: Some(SuccessPolicy {
                    rules: vec![SuccessPolicyRule {
                        succeeded_indexes: Some(s("0-1")),
                        succeeded_count: Some(1),
                    }],
                }),
                backoff_limit: Some(3),
                backoff_limit_per_index: Some(1),
                max_failed_indexes: Some(2),
                selector: Some(LabelSelector {
                    match_labels: map("app", "report"),
                    match_expressions: vec![LabelSelectorRequirement {
                        key: s("tier"),
                        operator: s("In"),
                        values: vec![s("batch")],
                    }],
                }),
                manual_selector: Some(true),
                template: PodTemplateSpec {
                    metadata: full_meta("pod"),
                    spec: PodSpec {
                        init_containers: vec![container.clone()],
                        containers: vec![container],
                        volumes: vec![Volume {
                            name: s("data"),
                            config_map: Some(ConfigMapVolumeSource {
                                name: s("settings"),
                                items: items.clone(),
                                default_mode: Some(0o644),
                                optional: Some(true),
                            }),
                            secret: Some(SecretVolumeSource {
                                secret_name: s("token"),
                                items,
                                default_mode: Some(0o600),
                                optional: Some(false),
                            }),
                            empty_dir: Some(EmptyDirVolumeSource {
                                medium: Some(s("Memory")),
                                size_limit: Some(s("1Gi")),
                            }),
                            persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
                                claim_name: s("claim"),
                                read_only: Some(true),
                            }),
                        }],
                        restart_policy: Some(s("Never")),
                        termination_grace_period_seconds: Some(30),
                        active_deadline_seconds: Some(300),
                        node_selector: map("disk", "ssd"),
                        service_account_name: Some(s("runner")),
                        hostname: Some(s("host")),
                        subdomain: Some(s("sub")),
                        priority_class_name: Some(s("high")),
                        tolerations: vec![Toleration {
                            key: Some(s("spot")),
                            operator: Some(s("Equal")),
                            value: Some(s("true")),
                            effect: Some(s("NoExecute")),
                            toleration_seconds: Some(60),
                        }],
                        image_pull_secrets: vec![reference],
                        dns_policy: Some(s("ClusterFirst")),
                        node_name: Some(s("node-1")),
                        resources,
                    },
                },
                ttl_seconds_after_finished: Some(100),
                completion_mode: Some(s("Indexed")),
                suspend: Some(false),
                pod_replacement_policy: Some(s("Failed")),
                managed_by: Some(s("kueue.x-k8s.io/multikueue")),
            },
        }
    }
}
