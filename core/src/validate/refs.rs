//! References from pod templates to ConfigMaps and Secrets that the bundle does not contain.
//!
//! The API server accepts such a Job (references are resolved by the kubelet when a pod starts),
//! so these are warnings that say what the pod would do on a cluster where the object is missing
//! too: an env reference stops the container with `CreateContainerConfigError`; a volume keeps the
//! pod in `ContainerCreating` with `FailedMount` events. References marked `optional: true` are
//! fine either way.

use super::REF_CODE;
use crate::diag::{Diagnostic, Severity};
use crate::manifest::{Bundle, ObjectKind};
use crate::model::{KeyToPath, ObjectMeta, PodSpec, StringMap};

pub fn check_references(bundle: &Bundle) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for object in &bundle.objects {
        let (meta, spec, base) = match &object.kind {
            ObjectKind::Job(j) => (&j.metadata, &j.spec.template.spec, "spec.template.spec"),
            ObjectKind::CronJob(c) => (
                &c.metadata,
                &c.spec.job_template.spec.template.spec,
                "spec.jobTemplate.spec.template.spec",
            ),
            _ => continue,
        };
        let mut checker = RefChecker {
            bundle,
            document: object.document,
            namespace: namespace(meta),
            out: &mut out,
        };
        checker.pod_spec(spec, base);
    }
    out
}

fn namespace(meta: &ObjectMeta) -> &str {
    meta.namespace
        .as_deref()
        .filter(|n| !n.is_empty())
        .unwrap_or("default")
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    ConfigMap,
    Secret,
}

impl Kind {
    fn title(self) -> &'static str {
        match self {
            Kind::ConfigMap => "ConfigMap",
            Kind::Secret => "Secret",
        }
    }

    /// How the kubelet names the kind in its messages.
    fn lower(self) -> &'static str {
        match self {
            Kind::ConfigMap => "configmap",
            Kind::Secret => "secret",
        }
    }
}

/// The keys of a ConfigMap (`data` and `binaryData`) or Secret (`data`).
struct Keys<'a> {
    data: &'a StringMap,
    extra: Option<&'a StringMap>,
}

impl Keys<'_> {
    fn contains(&self, key: &str) -> bool {
        self.data.contains_key(key) || self.extra.is_some_and(|m| m.contains_key(key))
    }
}

struct RefChecker<'a> {
    bundle: &'a Bundle,
    document: usize,
    namespace: &'a str,
    out: &'a mut Vec<Diagnostic>,
}

impl<'a> RefChecker<'a> {
    /// The data keys of the named object in the workload's namespace, if the bundle has it.
    fn keys(&self, kind: Kind, name: &str) -> Option<Keys<'a>> {
        let bundle: &'a Bundle = self.bundle;
        bundle.objects.iter().find_map(|o| {
            let (meta, data, extra): (&ObjectMeta, &StringMap, Option<&StringMap>) =
                match (&o.kind, kind) {
                    (ObjectKind::ConfigMap(c), Kind::ConfigMap) => {
                        (&c.metadata, &c.data, Some(&c.binary_data))
                    }
                    (ObjectKind::Secret(s), Kind::Secret) => (&s.metadata, &s.data, None),
                    _ => return None,
                };
            (meta.name.as_deref() == Some(name) && namespace(meta) == self.namespace)
                .then_some(Keys { data, extra })
        })
    }

    fn warn(&mut self, path: String, message: String, help: String) {
        let span = self.bundle.nearest_span(self.document, &path);
        self.out.push(
            Diagnostic::new(Severity::Warning, REF_CODE, message)
                .at(path, span)
                .in_document(self.document)
                .with_help(help),
        );
    }

    fn pod_spec(&mut self, spec: &PodSpec, base: &str) {
        // Paths are written out only for a finding: most references are fine.
        let containers = spec
            .init_containers
            .iter()
            .enumerate()
            .map(|(i, c)| ("initContainers", i, c))
            .chain(
                spec.containers
                    .iter()
                    .enumerate()
                    .map(|(i, c)| ("containers", i, c)),
            );
        for (list, index, container) in containers {
            let path = || format!("{base}.{list}[{index}]");
            for (i, var) in container.env.iter().enumerate() {
                let Some(source) = &var.value_from else {
                    continue;
                };
                let env_path = || format!("{}.env[{i}].valueFrom", path());
                for (kind, field, selector) in [
                    (
                        Kind::ConfigMap,
                        "configMapKeyRef",
                        &source.config_map_key_ref,
                    ),
                    (Kind::Secret, "secretKeyRef", &source.secret_key_ref),
                ] {
                    if let Some(s) = selector
                        .as_ref()
                        .filter(|s| s.optional != Some(true) && !s.name.is_empty())
                    {
                        self.env_key(kind, &s.name, &s.key, || format!("{}.{field}", env_path()));
                    }
                }
            }
            for (i, source) in container.env_from.iter().enumerate() {
                for (kind, field, reference) in [
                    (Kind::ConfigMap, "configMapRef", &source.config_map_ref),
                    (Kind::Secret, "secretRef", &source.secret_ref),
                ] {
                    let Some(r) = reference
                        .as_ref()
                        .filter(|r| r.optional != Some(true) && !r.name.is_empty())
                    else {
                        continue;
                    };
                    if self.keys(kind, &r.name).is_none() {
                        self.missing_for_env(
                            kind,
                            &r.name,
                            format!("{}.envFrom[{i}].{field}.name", path()),
                        );
                    }
                }
            }
        }
        for (i, volume) in spec.volumes.iter().enumerate() {
            let path = || format!("{base}.volumes[{i}]");
            if let Some(cm) = volume
                .config_map
                .as_ref()
                .filter(|v| v.optional != Some(true) && !v.name.is_empty())
            {
                self.volume(
                    Kind::ConfigMap,
                    &volume.name,
                    &cm.name,
                    &cm.items,
                    || format!("{}.configMap", path()),
                    "name",
                );
            }
            if let Some(s) = volume
                .secret
                .as_ref()
                .filter(|v| v.optional != Some(true) && !v.secret_name.is_empty())
            {
                self.volume(
                    Kind::Secret,
                    &volume.name,
                    &s.secret_name,
                    &s.items,
                    || format!("{}.secret", path()),
                    "secretName",
                );
            }
        }
    }

    fn env_key(&mut self, kind: Kind, name: &str, key: &str, path: impl Fn() -> String) {
        match self.keys(kind, name) {
            None => self.missing_for_env(kind, name, format!("{}.name", path())),
            Some(keys) if !key.is_empty() && !keys.contains(key) => {
                let ns = self.namespace;
                let title = kind.title();
                self.warn(
                    format!("{}.key", path()),
                    format!(
                        "{title} {name:?} has no key {key:?}: the container would not start \
                         (CreateContainerConfigError: couldn't find key {key} in {title} {ns}/{name})"
                    ),
                    format!("add {key:?} to the {title}'s data, fix the key name, or mark the reference optional: true"),
                );
            }
            Some(_) => {}
        }
    }

    fn missing_for_env(&mut self, kind: Kind, name: &str, path: String) {
        let title = kind.title();
        let lower = kind.lower();
        self.warn(
            path,
            format!(
                "{title} {name:?} is not in this bundle: on a cluster without it the container would \
                 not start (CreateContainerConfigError: {lower} {name:?} not found)"
            ),
            format!("add the {title} to the manifests (or create it first), or mark the reference optional: true"),
        );
    }

    fn volume(
        &mut self,
        kind: Kind,
        volume: &str,
        name: &str,
        items: &[KeyToPath],
        path: impl Fn() -> String,
        name_field: &str,
    ) {
        let title = kind.title();
        let lower = kind.lower();
        match self.keys(kind, name) {
            None => self.warn(
                format!("{}.{name_field}", path()),
                format!(
                    "{title} {name:?} is not in this bundle: on a cluster without it the pod would stay \
                     in ContainerCreating with FailedMount events (MountVolume.SetUp failed for volume \
                     {volume:?} : {lower} {name:?} not found)"
                ),
                format!("add the {title} to the manifests (or create it first), or mark the volume optional: true"),
            ),
            Some(keys) => {
                let key_word = if kind == Kind::ConfigMap { "config" } else { "secret" };
                for (i, item) in items.iter().enumerate() {
                    let item = item.key.as_str();
                    if !keys.contains(item) {
                        self.warn(
                            format!("{}.items[{i}].key", path()),
                            format!(
                                "{title} {name:?} has no key {item:?}: the pod would stay in \
                                 ContainerCreating (MountVolume.SetUp failed for volume {volume:?} : \
                                 {lower} references non-existent {key_word} key: {item})"
                            ),
                            format!("add {item:?} to the {title}'s data or fix the item's key"),
                        );
                    }
                }
            }
        }
    }
}
