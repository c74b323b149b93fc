//! The field tree of batch/v1 Job and CronJob (and the v1 objects they reference), so
//! `batchlab check` can prove that every field path a goal or hint names exists in Kubernetes 1.34.
//!
//! Field names follow `staging/src/k8s.io/api/batch/v1/types.go` and `core/v1/types.go`. Parts a
//! lesson never names by path (probes, security contexts, affinity) are `Opaque`: any path below
//! them is accepted.
// TODO(course): switch to the schema of `manifest` (validate branch) once it is merged, so there
// is one field tree in core.

use super::{FieldPath, Segment};

#[derive(Clone, Copy)]
enum Ty {
    /// A scalar or a list of scalars.
    Leaf,
    /// A map with free keys (labels, annotations, requests, data): one more key, then a leaf.
    Map,
    /// An object of this type.
    Obj(&'static str),
    /// A list of objects of this type.
    List(&'static str),
    /// Not described here: anything below is accepted.
    Opaque,
}

use Ty::*;

type Fields = &'static [(&'static str, Ty)];

const TYPES: &[(&str, Fields)] = &[
    (
        "Job",
        &[
            ("apiVersion", Leaf),
            ("kind", Leaf),
            ("metadata", Obj("ObjectMeta")),
            ("spec", Obj("JobSpec")),
            ("status", Obj("JobStatus")),
        ],
    ),
    (
        "CronJob",
        &[
            ("apiVersion", Leaf),
            ("kind", Leaf),
            ("metadata", Obj("ObjectMeta")),
            ("spec", Obj("CronJobSpec")),
            ("status", Obj("CronJobStatus")),
        ],
    ),
    (
        "ConfigMap",
        &[
            ("apiVersion", Leaf),
            ("kind", Leaf),
            ("metadata", Obj("ObjectMeta")),
            ("data", Map),
            ("binaryData", Map),
            ("immutable", Leaf),
        ],
    ),
    (
        "Secret",
        &[
            ("apiVersion", Leaf),
            ("kind", Leaf),
            ("metadata", Obj("ObjectMeta")),
            ("data", Map),
            ("stringData", Map),
            ("type", Leaf),
            ("immutable", Leaf),
        ],
    ),
    (
        "ObjectMeta",
        &[
            ("name", Leaf),
            ("generateName", Leaf),
            ("namespace", Leaf),
            ("labels", Map),
            ("annotations", Map),
            ("uid", Leaf),
            ("resourceVersion", Leaf),
            ("generation", Leaf),
            ("creationTimestamp", Leaf),
            ("deletionTimestamp", Leaf),
            ("deletionGracePeriodSeconds", Leaf),
            ("ownerReferences", Opaque),
            ("finalizers", Leaf),
            ("managedFields", Opaque),
            ("selfLink", Leaf),
        ],
    ),
    (
        "JobSpec",
        &[
            ("parallelism", Leaf),
            ("completions", Leaf),
            ("activeDeadlineSeconds", Leaf),
            ("podFailurePolicy", Obj("PodFailurePolicy")),
            ("successPolicy", Obj("SuccessPolicy")),
            ("backoffLimit", Leaf),
            ("backoffLimitPerIndex", Leaf),
            ("maxFailedIndexes", Leaf),
            ("selector", Obj("LabelSelector")),
            ("manualSelector", Leaf),
            ("template", Obj("PodTemplateSpec")),
            ("ttlSecondsAfterFinished", Leaf),
            ("completionMode", Leaf),
            ("suspend", Leaf),
            ("podReplacementPolicy", Leaf),
            ("managedBy", Leaf),
        ],
    ),
    (
        "JobStatus",
        &[
            ("conditions", Opaque),
            ("startTime", Leaf),
            ("completionTime", Leaf),
            ("active", Leaf),
            ("succeeded", Leaf),
            ("failed", Leaf),
            ("terminating", Leaf),
            ("completedIndexes", Leaf),
            ("failedIndexes", Leaf),
            ("uncountedTerminatedPods", Opaque),
            ("ready", Leaf),
        ],
    ),
    (
        "PodFailurePolicy",
        &[("rules", List("PodFailurePolicyRule"))],
    ),
    (
        "PodFailurePolicyRule",
        &[
            ("action", Leaf),
            ("onExitCodes", Obj("OnExitCodes")),
            ("onPodConditions", List("OnPodCondition")),
        ],
    ),
    (
        "OnExitCodes",
        &[
            ("containerName", Leaf),
            ("operator", Leaf),
            ("values", Leaf),
        ],
    ),
    ("OnPodCondition", &[("type", Leaf), ("status", Leaf)]),
    ("SuccessPolicy", &[("rules", List("SuccessPolicyRule"))]),
    (
        "SuccessPolicyRule",
        &[("succeededIndexes", Leaf), ("succeededCount", Leaf)],
    ),
    (
        "LabelSelector",
        &[("matchLabels", Map), ("matchExpressions", Opaque)],
    ),
    (
        "CronJobSpec",
        &[
            ("schedule", Leaf),
            ("timeZone", Leaf),
            ("startingDeadlineSeconds", Leaf),
            ("concurrencyPolicy", Leaf),
            ("suspend", Leaf),
            ("jobTemplate", Obj("JobTemplateSpec")),
            ("successfulJobsHistoryLimit", Leaf),
            ("failedJobsHistoryLimit", Leaf),
        ],
    ),
    (
        "CronJobStatus",
        &[
            ("active", Opaque),
            ("lastScheduleTime", Leaf),
            ("lastSuccessfulTime", Leaf),
        ],
    ),
    (
        "JobTemplateSpec",
        &[("metadata", Obj("ObjectMeta")), ("spec", Obj("JobSpec"))],
    ),
    (
        "PodTemplateSpec",
        &[("metadata", Obj("ObjectMeta")), ("spec", Obj("PodSpec"))],
    ),
    (
        "PodSpec",
        &[
            ("volumes", List("Volume")),
            ("initContainers", List("Container")),
            ("containers", List("Container")),
            ("ephemeralContainers", Opaque),
            ("restartPolicy", Leaf),
            ("terminationGracePeriodSeconds", Leaf),
            ("activeDeadlineSeconds", Leaf),
            ("dnsPolicy", Leaf),
            ("nodeSelector", Map),
            ("serviceAccountName", Leaf),
            ("serviceAccount", Leaf),
            ("automountServiceAccountToken", Leaf),
            ("nodeName", Leaf),
            ("hostNetwork", Leaf),
            ("hostPID", Leaf),
            ("hostIPC", Leaf),
            ("shareProcessNamespace", Leaf),
            ("securityContext", Opaque),
            ("imagePullSecrets", Opaque),
            ("hostname", Leaf),
            ("subdomain", Leaf),
            ("affinity", Opaque),
            ("schedulerName", Leaf),
            ("tolerations", List("Toleration")),
            ("hostAliases", Opaque),
            ("priorityClassName", Leaf),
            ("priority", Leaf),
            ("dnsConfig", Opaque),
            ("readinessGates", Opaque),
            ("runtimeClassName", Leaf),
            ("enableServiceLinks", Leaf),
            ("preemptionPolicy", Leaf),
            ("overhead", Map),
            ("topologySpreadConstraints", Opaque),
            ("setHostnameAsFQDN", Leaf),
            ("os", Opaque),
            ("hostUsers", Leaf),
            ("schedulingGates", Opaque),
            ("resourceClaims", Opaque),
            ("resources", Obj("ResourceRequirements")),
        ],
    ),
    (
        "Toleration",
        &[
            ("key", Leaf),
            ("operator", Leaf),
            ("value", Leaf),
            ("effect", Leaf),
            ("tolerationSeconds", Leaf),
        ],
    ),
    (
        "Container",
        &[
            ("name", Leaf),
            ("image", Leaf),
            ("command", Leaf),
            ("args", Leaf),
            ("workingDir", Leaf),
            ("ports", Opaque),
            ("envFrom", List("EnvFromSource")),
            ("env", List("EnvVar")),
            ("resources", Obj("ResourceRequirements")),
            ("resizePolicy", Opaque),
            ("restartPolicy", Leaf),
            ("volumeMounts", List("VolumeMount")),
            ("volumeDevices", Opaque),
            ("livenessProbe", Opaque),
            ("readinessProbe", Opaque),
            ("startupProbe", Opaque),
            ("lifecycle", Opaque),
            ("terminationMessagePath", Leaf),
            ("terminationMessagePolicy", Leaf),
            ("imagePullPolicy", Leaf),
            ("securityContext", Opaque),
            ("stdin", Leaf),
            ("stdinOnce", Leaf),
            ("tty", Leaf),
        ],
    ),
    (
        "ResourceRequirements",
        &[("requests", Map), ("limits", Map), ("claims", Opaque)],
    ),
    (
        "EnvVar",
        &[
            ("name", Leaf),
            ("value", Leaf),
            ("valueFrom", Obj("EnvVarSource")),
        ],
    ),
    (
        "EnvVarSource",
        &[
            ("fieldRef", Obj("ObjectFieldSelector")),
            ("resourceFieldRef", Opaque),
            ("configMapKeyRef", Obj("KeySelector")),
            ("secretKeyRef", Obj("KeySelector")),
        ],
    ),
    (
        "ObjectFieldSelector",
        &[("apiVersion", Leaf), ("fieldPath", Leaf)],
    ),
    (
        "KeySelector",
        &[("name", Leaf), ("key", Leaf), ("optional", Leaf)],
    ),
    (
        "EnvFromSource",
        &[
            ("prefix", Leaf),
            ("configMapRef", Obj("LocalRef")),
            ("secretRef", Obj("LocalRef")),
        ],
    ),
    ("LocalRef", &[("name", Leaf), ("optional", Leaf)]),
    (
        "VolumeMount",
        &[
            ("name", Leaf),
            ("readOnly", Leaf),
            ("recursiveReadOnly", Leaf),
            ("mountPath", Leaf),
            ("subPath", Leaf),
            ("mountPropagation", Leaf),
            ("subPathExpr", Leaf),
        ],
    ),
    (
        "Volume",
        &[
            ("name", Leaf),
            ("configMap", Obj("ConfigMapVolume")),
            ("secret", Obj("SecretVolume")),
            ("emptyDir", Obj("EmptyDir")),
            ("persistentVolumeClaim", Obj("PvcVolume")),
            ("hostPath", Opaque),
            ("projected", Opaque),
            ("downwardAPI", Opaque),
            ("ephemeral", Opaque),
            ("csi", Opaque),
            ("nfs", Opaque),
            ("image", Opaque),
        ],
    ),
    (
        "ConfigMapVolume",
        &[
            ("name", Leaf),
            ("items", Opaque),
            ("defaultMode", Leaf),
            ("optional", Leaf),
        ],
    ),
    (
        "SecretVolume",
        &[
            ("secretName", Leaf),
            ("items", Opaque),
            ("defaultMode", Leaf),
            ("optional", Leaf),
        ],
    ),
    ("EmptyDir", &[("medium", Leaf), ("sizeLimit", Leaf)]),
    ("PvcVolume", &[("claimName", Leaf), ("readOnly", Leaf)]),
];

fn fields_of(ty: &str) -> Fields {
    TYPES
        .iter()
        .find(|(name, _)| *name == ty)
        .map(|(_, fields)| *fields)
        .unwrap_or(&[])
}

/// The kinds whose paths can be checked.
pub fn knows_kind(kind: &str) -> bool {
    ["Job", "CronJob", "ConfigMap", "Secret"].contains(&kind)
}

/// Check that `path` exists in objects of `kind`. The error says which part is wrong, with a
/// suggestion when a field is misspelt.
pub fn check_path(kind: &str, path: &FieldPath) -> Result<(), String> {
    let mut ty = Obj(match TYPES.iter().find(|(name, _)| *name == kind) {
        Some((name, _)) => name,
        None => return Err(format!("`{kind}` is not a kind whose fields are known")),
    });
    let mut walked = String::new();
    for segment in &path.segments {
        ty = match (ty, segment) {
            (Opaque, _) => return Ok(()),
            (Obj(name), Segment::Key(key)) => {
                let fields = fields_of(name);
                match fields.iter().find(|(f, _)| f == key) {
                    Some((_, next)) => *next,
                    None => {
                        let names: Vec<&str> = fields.iter().map(|(f, _)| *f).collect();
                        let hint = super::suggest(key, &names)
                            .map(|s| format!(" (did you mean `{s}`?)"))
                            .unwrap_or_default();
                        return Err(format!(
                            "`{}`: {kind} has no field `{}{key}`{hint}",
                            path.text,
                            dotted(&walked)
                        ));
                    }
                }
            }
            (List(item), Segment::Index(_) | Segment::Every) => Obj(item),
            (Map, Segment::Key(_)) => Leaf,
            (Leaf, Segment::Index(_) | Segment::Every) => Leaf,
            (_, _) => {
                return Err(format!(
                    "`{}`: `{}` cannot be followed by `{}`",
                    path.text,
                    walked,
                    segment_text("", segment)
                ))
            }
        };
        let text = segment_text(&walked, segment);
        walked.push_str(&text);
    }
    Ok(())
}

fn dotted(walked: &str) -> String {
    if walked.is_empty() {
        String::new()
    } else {
        format!("{walked}.")
    }
}

/// How a segment is written after the path walked so far.
fn segment_text(walked: &str, segment: &Segment) -> String {
    match segment {
        Segment::Key(k) if k.contains(['.', '/']) => format!("['{k}']"),
        Segment::Key(k) if walked.is_empty() => k.clone(),
        Segment::Key(k) => format!(".{k}"),
        Segment::Index(i) => format!("[{i}]"),
        Segment::Every => "[*]".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(kind: &str, path: &str) -> Result<(), String> {
        check_path(kind, &FieldPath::parse(path).unwrap())
    }

    #[test]
    fn real_job_and_cronjob_paths_exist() {
        for path in [
            "spec.backoffLimit",
            "spec.template.spec.restartPolicy",
            "spec.template.spec.containers[0].resources.limits.memory",
            "spec.template.spec.containers[*].resources.requests.cpu",
            "spec.podFailurePolicy.rules[0].onExitCodes.values",
            "metadata.annotations['example.com/owner']",
            "spec.template.spec.containers[0].env[1].valueFrom.secretKeyRef.name",
        ] {
            assert_eq!(check("Job", path), Ok(()), "{path}");
        }
        assert_eq!(
            check(
                "CronJob",
                "spec.jobTemplate.spec.template.spec.restartPolicy"
            ),
            Ok(())
        );
        assert_eq!(check("CronJob", "spec.timeZone"), Ok(()));
    }

    #[test]
    fn a_misspelt_field_is_refused_with_a_suggestion() {
        let err = check("Job", "spec.backofLimit").unwrap_err();
        assert!(err.contains("has no field `spec.backofLimit`"), "{err}");
        assert!(err.contains("did you mean `backoffLimit`"), "{err}");
        let err = check("Job", "spec.template.spec.containers[0].resource.limits").unwrap_err();
        assert!(err.contains("did you mean `resources`"), "{err}");
    }

    #[test]
    fn a_cronjob_field_is_not_a_job_field() {
        assert!(check("Job", "spec.timeZone").is_err());
        assert!(check("CronJob", "spec.backoffLimit").is_err());
    }

    #[test]
    fn indexing_a_non_list_is_refused() {
        let err = check("Job", "spec.template[0]").unwrap_err();
        assert!(err.contains("cannot be followed by `[0]`"), "{err}");
    }
}
