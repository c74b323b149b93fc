//! The field lists of the Kubernetes 1.34 API objects Batch Lab reads, as data.
//!
//! Taken from upstream `staging/src/k8s.io/api/batch/v1/types.go` and
//! `staging/src/k8s.io/api/core/v1/types.go` (JSON names and Go types). Every field of the objects
//! a learner writes in a Job or CronJob is listed, so an unknown field is a real mistake; types
//! the engine does not look inside (probes, security contexts, affinity, most volume sources) are
//! [`Ty::Any`]: "recognised, not inspected".

/// The JSON type a field must have, as the API server's decoder checks it.
#[derive(Debug, Clone, Copy)]
pub enum Ty {
    Str,
    Int32,
    Int64,
    Bool,
    /// `resource.Quantity`: a string or number in Kubernetes quantity syntax.
    Quantity,
    /// `intstr.IntOrString` (probe ports).
    IntOrString,
    /// `map[string]string` (labels, annotations, ConfigMap data).
    StrMap,
    /// `map[ResourceName]resource.Quantity` (requests, limits, overhead).
    QuantityMap,
    StrList,
    Int32List,
    Obj(&'static Schema),
    ObjList(&'static Schema),
    /// A real field whose contents are accepted without inspection.
    Any,
}

impl Ty {
    /// How the expected type is named in "expected …, got …" messages.
    pub fn describe(self) -> String {
        match self {
            Ty::Str => "string".into(),
            Ty::Int32 => "integer (int32)".into(),
            Ty::Int64 => "integer (int64)".into(),
            Ty::Bool => "boolean (true or false)".into(),
            Ty::Quantity => "quantity (a string such as \"512Mi\" or \"250m\")".into(),
            Ty::IntOrString => "integer or string".into(),
            Ty::StrMap => "mapping of string to string".into(),
            Ty::QuantityMap => "mapping of resource name to quantity".into(),
            Ty::StrList => "list of strings".into(),
            Ty::Int32List => "list of integers".into(),
            Ty::Obj(s) => format!("mapping ({})", s.name),
            Ty::ObjList(s) => format!("list of {}", s.name),
            Ty::Any => "value".into(),
        }
    }
}

#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub ty: Ty,
}

/// One Go struct of the API: its name (for messages) and its JSON fields.
#[derive(Debug)]
pub struct Schema {
    pub name: &'static str,
    pub fields: &'static [Field],
}

impl Schema {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

const fn f(name: &'static str, ty: Ty) -> Field {
    Field { name, ty }
}

use Ty::*;

pub static OBJECT_META: Schema = Schema {
    name: "ObjectMeta",
    fields: &[
        f("name", Str),
        f("generateName", Str),
        f("namespace", Str),
        f("selfLink", Str),
        f("uid", Str),
        f("resourceVersion", Str),
        f("generation", Int64),
        f("creationTimestamp", Any),
        f("deletionTimestamp", Any),
        f("deletionGracePeriodSeconds", Int64),
        f("labels", StrMap),
        f("annotations", StrMap),
        f("ownerReferences", Any),
        f("finalizers", StrList),
        f("managedFields", Any),
    ],
};

// ----- batch/v1 -------------------------------------------------------------------------------

pub static JOB: Schema = Schema {
    name: "Job",
    fields: &[
        f("apiVersion", Str),
        f("kind", Str),
        f("metadata", Obj(&OBJECT_META)),
        f("spec", Obj(&JOB_SPEC)),
        f("status", Any),
    ],
};

pub static JOB_SPEC: Schema = Schema {
    name: "JobSpec",
    fields: &[
        f("parallelism", Int32),
        f("completions", Int32),
        f("activeDeadlineSeconds", Int64),
        f("podFailurePolicy", Obj(&POD_FAILURE_POLICY)),
        f("successPolicy", Obj(&SUCCESS_POLICY)),
        f("backoffLimit", Int32),
        f("backoffLimitPerIndex", Int32),
        f("maxFailedIndexes", Int32),
        f("selector", Obj(&LABEL_SELECTOR)),
        f("manualSelector", Bool),
        f("template", Obj(&POD_TEMPLATE_SPEC)),
        f("ttlSecondsAfterFinished", Int32),
        f("completionMode", Str),
        f("suspend", Bool),
        f("podReplacementPolicy", Str),
        f("managedBy", Str),
    ],
};

pub static POD_FAILURE_POLICY: Schema = Schema {
    name: "PodFailurePolicy",
    fields: &[f("rules", ObjList(&POD_FAILURE_POLICY_RULE))],
};

pub static POD_FAILURE_POLICY_RULE: Schema = Schema {
    name: "PodFailurePolicyRule",
    fields: &[
        f("action", Str),
        f("onExitCodes", Obj(&ON_EXIT_CODES)),
        f("onPodConditions", ObjList(&ON_POD_CONDITION)),
    ],
};

pub static ON_EXIT_CODES: Schema = Schema {
    name: "PodFailurePolicyOnExitCodesRequirement",
    fields: &[
        f("containerName", Str),
        f("operator", Str),
        f("values", Int32List),
    ],
};

pub static ON_POD_CONDITION: Schema = Schema {
    name: "PodFailurePolicyOnPodConditionsPattern",
    fields: &[f("type", Str), f("status", Str)],
};

pub static SUCCESS_POLICY: Schema = Schema {
    name: "SuccessPolicy",
    fields: &[f("rules", ObjList(&SUCCESS_POLICY_RULE))],
};

pub static SUCCESS_POLICY_RULE: Schema = Schema {
    name: "SuccessPolicyRule",
    fields: &[f("succeededIndexes", Str), f("succeededCount", Int32)],
};

pub static LABEL_SELECTOR: Schema = Schema {
    name: "LabelSelector",
    fields: &[
        f("matchLabels", StrMap),
        f("matchExpressions", ObjList(&LABEL_SELECTOR_REQUIREMENT)),
    ],
};

pub static LABEL_SELECTOR_REQUIREMENT: Schema = Schema {
    name: "LabelSelectorRequirement",
    fields: &[f("key", Str), f("operator", Str), f("values", StrList)],
};

pub static CRON_JOB: Schema = Schema {
    name: "CronJob",
    fields: &[
        f("apiVersion", Str),
        f("kind", Str),
        f("metadata", Obj(&OBJECT_META)),
        f("spec", Obj(&CRON_JOB_SPEC)),
        f("status", Any),
    ],
};

pub static CRON_JOB_SPEC: Schema = Schema {
    name: "CronJobSpec",
    fields: &[
        f("schedule", Str),
        f("timeZone", Str),
        f("startingDeadlineSeconds", Int64),
        f("concurrencyPolicy", Str),
        f("suspend", Bool),
        f("jobTemplate", Obj(&JOB_TEMPLATE_SPEC)),
        f("successfulJobsHistoryLimit", Int32),
        f("failedJobsHistoryLimit", Int32),
    ],
};

pub static JOB_TEMPLATE_SPEC: Schema = Schema {
    name: "JobTemplateSpec",
    fields: &[f("metadata", Obj(&OBJECT_META)), f("spec", Obj(&JOB_SPEC))],
};

// ----- core/v1: pods --------------------------------------------------------------------------

pub static POD_TEMPLATE_SPEC: Schema = Schema {
    name: "PodTemplateSpec",
    fields: &[f("metadata", Obj(&OBJECT_META)), f("spec", Obj(&POD_SPEC))],
};

pub static POD_SPEC: Schema = Schema {
    name: "PodSpec",
    fields: &[
        f("volumes", ObjList(&VOLUME)),
        f("initContainers", ObjList(&CONTAINER)),
        f("containers", ObjList(&CONTAINER)),
        f("ephemeralContainers", Any),
        f("restartPolicy", Str),
        f("terminationGracePeriodSeconds", Int64),
        f("activeDeadlineSeconds", Int64),
        f("dnsPolicy", Str),
        f("nodeSelector", StrMap),
        f("serviceAccountName", Str),
        f("serviceAccount", Str),
        f("automountServiceAccountToken", Bool),
        f("nodeName", Str),
        f("hostNetwork", Bool),
        f("hostPID", Bool),
        f("hostIPC", Bool),
        f("shareProcessNamespace", Bool),
        f("securityContext", Any),
        f("imagePullSecrets", ObjList(&LOCAL_OBJECT_REFERENCE)),
        f("hostname", Str),
        f("subdomain", Str),
        f("affinity", Any),
        f("schedulerName", Str),
        f("tolerations", ObjList(&TOLERATION)),
        f("hostAliases", Any),
        f("priorityClassName", Str),
        f("priority", Int32),
        f("dnsConfig", Any),
        f("readinessGates", Any),
        f("runtimeClassName", Str),
        f("enableServiceLinks", Bool),
        f("preemptionPolicy", Str),
        f("overhead", QuantityMap),
        f("topologySpreadConstraints", Any),
        f("setHostnameAsFQDN", Bool),
        f("os", Any),
        f("hostUsers", Bool),
        f("schedulingGates", Any),
        f("resourceClaims", Any),
        f("resources", Obj(&RESOURCE_REQUIREMENTS)),
        f("hostnameOverride", Str),
    ],
};

pub static CONTAINER: Schema = Schema {
    name: "Container",
    fields: &[
        f("name", Str),
        f("image", Str),
        f("command", StrList),
        f("args", StrList),
        f("workingDir", Str),
        f("ports", ObjList(&CONTAINER_PORT)),
        f("envFrom", ObjList(&ENV_FROM_SOURCE)),
        f("env", ObjList(&ENV_VAR)),
        f("resources", Obj(&RESOURCE_REQUIREMENTS)),
        f("resizePolicy", Any),
        f("restartPolicy", Str),
        f("restartPolicyRules", Any),
        f("volumeMounts", ObjList(&VOLUME_MOUNT)),
        f("volumeDevices", Any),
        f("livenessProbe", Any),
        f("readinessProbe", Any),
        f("startupProbe", Any),
        f("lifecycle", Any),
        f("terminationMessagePath", Str),
        f("terminationMessagePolicy", Str),
        f("imagePullPolicy", Str),
        f("securityContext", Any),
        f("stdin", Bool),
        f("stdinOnce", Bool),
        f("tty", Bool),
    ],
};

pub static CONTAINER_PORT: Schema = Schema {
    name: "ContainerPort",
    fields: &[
        f("name", Str),
        f("hostPort", Int32),
        f("containerPort", Int32),
        f("protocol", Str),
        f("hostIP", Str),
    ],
};

pub static ENV_VAR: Schema = Schema {
    name: "EnvVar",
    fields: &[
        f("name", Str),
        f("value", Str),
        f("valueFrom", Obj(&ENV_VAR_SOURCE)),
    ],
};

pub static ENV_VAR_SOURCE: Schema = Schema {
    name: "EnvVarSource",
    fields: &[
        f("fieldRef", Obj(&OBJECT_FIELD_SELECTOR)),
        f("resourceFieldRef", Obj(&RESOURCE_FIELD_SELECTOR)),
        f("configMapKeyRef", Obj(&KEY_SELECTOR)),
        f("secretKeyRef", Obj(&KEY_SELECTOR)),
        f("fileKeyRef", Any),
    ],
};

/// `ConfigMapKeySelector` and `SecretKeySelector` have the same fields.
pub static KEY_SELECTOR: Schema = Schema {
    name: "KeySelector",
    fields: &[f("name", Str), f("key", Str), f("optional", Bool)],
};

pub static OBJECT_FIELD_SELECTOR: Schema = Schema {
    name: "ObjectFieldSelector",
    fields: &[f("apiVersion", Str), f("fieldPath", Str)],
};

pub static RESOURCE_FIELD_SELECTOR: Schema = Schema {
    name: "ResourceFieldSelector",
    fields: &[
        f("containerName", Str),
        f("resource", Str),
        f("divisor", Quantity),
    ],
};

pub static ENV_FROM_SOURCE: Schema = Schema {
    name: "EnvFromSource",
    fields: &[
        f("prefix", Str),
        f("configMapRef", Obj(&OPTIONAL_OBJECT_REFERENCE)),
        f("secretRef", Obj(&OPTIONAL_OBJECT_REFERENCE)),
    ],
};

/// `ConfigMapEnvSource` and `SecretEnvSource`.
pub static OPTIONAL_OBJECT_REFERENCE: Schema = Schema {
    name: "EnvSource",
    fields: &[f("name", Str), f("optional", Bool)],
};

pub static LOCAL_OBJECT_REFERENCE: Schema = Schema {
    name: "LocalObjectReference",
    fields: &[f("name", Str)],
};

pub static RESOURCE_REQUIREMENTS: Schema = Schema {
    name: "ResourceRequirements",
    fields: &[
        f("limits", QuantityMap),
        f("requests", QuantityMap),
        f("claims", Any),
    ],
};

pub static VOLUME_MOUNT: Schema = Schema {
    name: "VolumeMount",
    fields: &[
        f("name", Str),
        f("readOnly", Bool),
        f("recursiveReadOnly", Str),
        f("mountPath", Str),
        f("subPath", Str),
        f("mountPropagation", Str),
        f("subPathExpr", Str),
    ],
};

pub static TOLERATION: Schema = Schema {
    name: "Toleration",
    fields: &[
        f("key", Str),
        f("operator", Str),
        f("value", Str),
        f("effect", Str),
        f("tolerationSeconds", Int64),
    ],
};

pub static VOLUME: Schema = Schema {
    name: "Volume",
    fields: &[
        f("name", Str),
        f("configMap", Obj(&CONFIG_MAP_VOLUME_SOURCE)),
        f("secret", Obj(&SECRET_VOLUME_SOURCE)),
        f("emptyDir", Obj(&EMPTY_DIR_VOLUME_SOURCE)),
        f("persistentVolumeClaim", Obj(&PVC_VOLUME_SOURCE)),
        // Recognised by name, not inspected.
        f("hostPath", Any),
        f("gcePersistentDisk", Any),
        f("awsElasticBlockStore", Any),
        f("gitRepo", Any),
        f("nfs", Any),
        f("iscsi", Any),
        f("glusterfs", Any),
        f("rbd", Any),
        f("flexVolume", Any),
        f("cinder", Any),
        f("cephfs", Any),
        f("flocker", Any),
        f("downwardAPI", Any),
        f("fc", Any),
        f("azureFile", Any),
        f("vsphereVolume", Any),
        f("quobyte", Any),
        f("azureDisk", Any),
        f("photonPersistentDisk", Any),
        f("projected", Any),
        f("portworxVolume", Any),
        f("scaleIO", Any),
        f("storageos", Any),
        f("csi", Any),
        f("ephemeral", Any),
        f("image", Any),
    ],
};

pub static KEY_TO_PATH: Schema = Schema {
    name: "KeyToPath",
    fields: &[f("key", Str), f("path", Str), f("mode", Int32)],
};

pub static CONFIG_MAP_VOLUME_SOURCE: Schema = Schema {
    name: "ConfigMapVolumeSource",
    fields: &[
        f("name", Str),
        f("items", ObjList(&KEY_TO_PATH)),
        f("defaultMode", Int32),
        f("optional", Bool),
    ],
};

pub static SECRET_VOLUME_SOURCE: Schema = Schema {
    name: "SecretVolumeSource",
    fields: &[
        f("secretName", Str),
        f("items", ObjList(&KEY_TO_PATH)),
        f("defaultMode", Int32),
        f("optional", Bool),
    ],
};

pub static EMPTY_DIR_VOLUME_SOURCE: Schema = Schema {
    name: "EmptyDirVolumeSource",
    fields: &[f("medium", Str), f("sizeLimit", Quantity)],
};

pub static PVC_VOLUME_SOURCE: Schema = Schema {
    name: "PersistentVolumeClaimVolumeSource",
    fields: &[f("claimName", Str), f("readOnly", Bool)],
};

// ----- core/v1: ConfigMap and Secret ------------------------------------------------------------

pub static CONFIG_MAP: Schema = Schema {
    name: "ConfigMap",
    fields: &[
        f("apiVersion", Str),
        f("kind", Str),
        f("metadata", Obj(&OBJECT_META)),
        f("immutable", Bool),
        f("data", StrMap),
        f("binaryData", StrMap),
    ],
};

pub static SECRET: Schema = Schema {
    name: "Secret",
    fields: &[
        f("apiVersion", Str),
        f("kind", Str),
        f("metadata", Obj(&OBJECT_META)),
        f("immutable", Bool),
        f("data", StrMap),
        f("stringData", StrMap),
        f("type", Str),
    ],
};
