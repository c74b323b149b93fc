//! ValidatePodTemplateSpec and the parts of ValidatePodSpec a Job's template meets (upstream
//! `pkg/apis/core/validation/validation.go`).

use super::{go_str, job, names, Report};
use crate::model::{
    Container, ContainerPort, EnvVar, PodSpec, PodTemplateSpec, ResourceRequirements, Volume,
};
use crate::quantity::Quantity;

pub fn validate_pod_template(report: &mut Report, template: &PodTemplateSpec, base: &str) {
    // Upstream validates template labels at `<template>.labels`, not `.metadata.labels`.
    report.labels(
        &template.metadata.labels,
        format_args!("{base}.labels"),
        format_args!("{base}.metadata.labels"),
    );
    job::validate_annotations(report, &template.metadata, &format!("{base}.metadata"));
    validate_pod_spec(report, &template.spec, &format!("{base}.spec"));
}

fn validate_pod_spec(report: &mut Report, spec: &PodSpec, base: &str) {
    let p = |field: &str| format!("{base}.{field}");
    if report.has_node(&p("ephemeralContainers")) {
        report.forbidden(
            &p("ephemeralContainers"),
            "ephemeral containers not allowed in pod template",
        );
    }
    let volume_names = validate_volumes(report, &spec.volumes, &p("volumes"));
    if spec.containers.is_empty() {
        report.required(&p("containers"), "").help =
            "a pod needs at least one container with a name and an image".into();
    }
    let mut seen_names: Vec<&str> = Vec::new();
    for (i, c) in spec.init_containers.iter().enumerate() {
        let path = format!("{base}.initContainers[{i}]");
        validate_container(report, c, &path, &volume_names, &mut seen_names);
        match c.restart_policy.as_deref() {
            None | Some("Always") => {}
            Some(other) => {
                report.unsupported(&format!("{path}.restartPolicy"), other, &["Always"]);
            }
        }
    }
    for (i, c) in spec.containers.iter().enumerate() {
        let path = format!("{base}.containers[{i}]");
        validate_container(report, c, &path, &volume_names, &mut seen_names);
        if c.restart_policy.is_some() {
            report
                .forbidden(
                    &format!("{path}.restartPolicy"),
                    "may not be set for non-init containers",
                )
                .help =
                "restartPolicy belongs to the pod spec (one level up), not to the container".into();
        }
    }
    if spec.containers.iter().any(|c| !c.ports.is_empty()) {
        validate_host_ports(report, &spec.containers, &p("containers"));
    }
    if let Some(policy) = spec.restart_policy.as_deref() {
        if !matches!(policy, "Always" | "OnFailure" | "Never") {
            report.unsupported(
                &p("restartPolicy"),
                policy,
                &["Always", "OnFailure", "Never"],
            );
        }
    }
    if let Some(policy) = spec.dns_policy.as_deref() {
        let supported = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
        if !supported.contains(&policy) {
            report.unsupported(&p("dnsPolicy"), policy, &supported);
        }
    }
    if let Some(seconds) = spec.active_deadline_seconds {
        if !(1..=i32::MAX as i64).contains(&seconds) {
            report.invalid(
                &p("activeDeadlineSeconds"),
                &seconds.to_string(),
                "must be between 1 and 2147483647, inclusive",
            );
        }
    }
    report.labels(
        &spec.node_selector,
        format_args!("{base}.nodeSelector"),
        format_args!("{base}.nodeSelector"),
    );
    for (field, value) in [
        ("serviceAccountName", &spec.service_account_name),
        ("priorityClassName", &spec.priority_class_name),
        ("nodeName", &spec.node_name),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            for message in names::dns1123_subdomain(v) {
                report.invalid(&p(field), &go_str(v), &message);
            }
        }
    }
    for (field, value) in [("hostname", &spec.hostname), ("subdomain", &spec.subdomain)] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            for message in names::dns1123_label(v) {
                report.invalid(&p(field), &go_str(v), &message);
            }
        }
    }
    if !spec.tolerations.is_empty() {
        validate_tolerations(report, spec, &p("tolerations"));
    }
    if !spec.resources.is_empty() {
        validate_resources(report, &spec.resources, &p("resources"));
    }
}

fn validate_volumes(report: &mut Report, volumes: &[Volume], base: &str) -> Vec<String> {
    let mut names_seen: Vec<String> = Vec::new();
    for (i, volume) in volumes.iter().enumerate() {
        let path = format!("{base}[{i}]");
        let name_path = || format!("{path}.name");
        if volume.name.is_empty() {
            report.required(&name_path(), "");
        } else {
            for message in names::dns1123_label(&volume.name) {
                report.invalid(&name_path(), &go_str(&volume.name), &message);
            }
            if names_seen.contains(&volume.name) {
                report.duplicate(&name_path(), &go_str(&volume.name));
            }
            names_seen.push(volume.name.clone());
        }
        validate_volume_source(report, volume, &path);
    }
    names_seen
}

/// Exactly one volume type; the four inspected ones have their required fields.
fn validate_volume_source(report: &mut Report, volume: &Volume, path: &str) {
    let types = report.volume_types(path);
    match types.as_slice() {
        [] => {
            report.required(path, "must specify a volume type").help =
                "add a source such as configMap, secret, emptyDir or persistentVolumeClaim".into();
        }
        [_] => {}
        [_, second, ..] => {
            report.forbidden(
                &format!("{path}.{second}"),
                "may not specify more than 1 volume type",
            );
        }
    }
    let mode_ok = |m: i64| (0..=0o777).contains(&m);
    let mode_message = "must be a number between 0 and 0777 (octal), both inclusive";
    if let Some(cm) = &volume.config_map {
        if cm.name.is_empty() {
            report.required(&format!("{path}.configMap.name"), "");
        }
        if let Some(m) = cm.default_mode.filter(|m| !mode_ok(*m)) {
            report.invalid(
                &format!("{path}.configMap.defaultMode"),
                &m.to_string(),
                mode_message,
            );
        }
        validate_items(report, &cm.items, &format!("{path}.configMap.items"));
    }
    if let Some(secret) = &volume.secret {
        if secret.secret_name.is_empty() {
            report.required(&format!("{path}.secret.secretName"), "");
        }
        if let Some(m) = secret.default_mode.filter(|m| !mode_ok(*m)) {
            report.invalid(
                &format!("{path}.secret.defaultMode"),
                &m.to_string(),
                mode_message,
            );
        }
        validate_items(report, &secret.items, &format!("{path}.secret.items"));
    }
    if let Some(dir) = &volume.empty_dir {
        if let Some(medium) = dir.medium.as_deref() {
            if !matches!(medium, "" | "Memory" | "HugePages") {
                report.unsupported(
                    &format!("{path}.emptyDir.medium"),
                    medium,
                    &["", "Memory", "HugePages"],
                );
            }
        }
        if let Some(q) = dir
            .size_limit
            .as_deref()
            .and_then(|s| Quantity::parse(s).ok())
        {
            if q.is_negative() {
                report.invalid(
                    &format!("{path}.emptyDir.sizeLimit"),
                    &go_str(&q.canonical()),
                    "must be greater than or equal to 0",
                );
            }
        }
    }
    if let Some(pvc) = &volume.persistent_volume_claim {
        if pvc.claim_name.is_empty() {
            report.required(&format!("{path}.persistentVolumeClaim.claimName"), "");
        }
    }
}

fn validate_items(report: &mut Report, items: &[crate::model::KeyToPath], base: &str) {
    for (i, item) in items.iter().enumerate() {
        let path = format!("{base}[{i}]");
        if item.key.is_empty() {
            report.required(&format!("{path}.key"), "");
        }
        validate_relative_path(report, &item.path, &format!("{path}.path"));
        if let Some(m) = item.mode.filter(|m| !(0..=0o777).contains(m)) {
            report.invalid(
                &format!("{path}.mode"),
                &m.to_string(),
                "must be a number between 0 and 0777 (octal), both inclusive",
            );
        }
    }
}

fn validate_relative_path(report: &mut Report, value: &str, path: &str) {
    if value.is_empty() {
        report.required(path, "");
        return;
    }
    if value.starts_with('/') {
        report.invalid(path, &go_str(value), "must be a relative path");
    }
    if value.split('/').any(|part| part == "..") {
        report.invalid(path, &go_str(value), "must not contain '..'");
    }
}

fn validate_container<'c>(
    report: &mut Report,
    c: &'c Container,
    base: &str,
    volume_names: &[String],
    seen_names: &mut Vec<&'c str>,
) {
    let p = |field: &str| format!("{base}.{field}");
    if c.name.is_empty() {
        report.required(&p("name"), "");
    } else {
        for message in names::dns1123_label(&c.name) {
            report.invalid(&p("name"), &go_str(&c.name), &message);
        }
        if seen_names.contains(&c.name.as_str()) {
            report.duplicate(&p("name"), &go_str(&c.name)).help =
                "container names must be unique within the pod (init containers included)".into();
        }
        seen_names.push(&c.name);
    }
    if c.image.as_deref().unwrap_or("").is_empty() {
        report.required(&p("image"), "").help =
            "every container needs an image, e.g. image: busybox:1.36".into();
    }
    if let Some(policy) = c.image_pull_policy.as_deref() {
        let supported = ["Always", "IfNotPresent", "Never"];
        if !supported.contains(&policy) {
            report.unsupported(&p("imagePullPolicy"), policy, &supported);
        }
    }
    // (The guards spare writing out paths for lists a container does not have.)
    if !c.env.is_empty() {
        validate_env(report, &c.env, &p("env"));
    }
    if !c.env_from.is_empty() {
        validate_env_from(report, c, &p("envFrom"));
    }
    if !c.volume_mounts.is_empty() {
        validate_volume_mounts(report, c, &p("volumeMounts"), volume_names);
    }
    if !c.resources.is_empty() {
        validate_resources(report, &c.resources, &p("resources"));
    }
    if !c.ports.is_empty() {
        validate_ports(report, &c.ports, &p("ports"));
    }
}

/// A container's `ports`, as `validateContainerPorts` in upstream
/// `pkg/apis/core/validation/validation.go` checks them (after the protocol defaults to TCP).
fn validate_ports(report: &mut Report, ports: &[ContainerPort], base: &str) {
    let mut names: Vec<&str> = Vec::new();
    for (i, port) in ports.iter().enumerate() {
        let path = format!("{base}[{i}]");
        if let Some(name) = port.name.as_deref().filter(|n| !n.is_empty()) {
            let problems = names::port_name(name);
            for message in &problems {
                report.invalid(&format!("{path}.name"), &go_str(name), message);
            }
            if problems.is_empty() {
                if names.contains(&name) {
                    report
                        .duplicate(&format!("{path}.name"), &go_str(name))
                        .help = "port names must be unique within a container".into();
                } else {
                    names.push(name);
                }
            }
        }
        if port.container_port == 0 {
            report.required(&format!("{path}.containerPort"), "").help =
                "the port the container listens on, e.g. containerPort: 8080".into();
        } else {
            validate_port_number(
                report,
                port.container_port,
                &format!("{path}.containerPort"),
            );
        }
        if let Some(host_port) = port.host_port.filter(|p| *p != 0) {
            validate_port_number(report, host_port, &format!("{path}.hostPort"));
        }
        if let Some(protocol) = port.protocol.as_deref().filter(|p| !p.is_empty()) {
            let supported = ["SCTP", "TCP", "UDP"];
            if !supported.contains(&protocol) {
                report.unsupported(&format!("{path}.protocol"), protocol, &supported);
            }
        }
    }
}

/// `validation.IsValidPortNum`.
fn validate_port_number(report: &mut Report, port: i32, path: &str) {
    if !(1..=65535).contains(&port) {
        report.invalid(
            path,
            &port.to_string(),
            "must be between 1 and 65535, inclusive",
        );
    }
}

/// Two containers of a pod may not claim the same host port for the same protocol and host IP
/// (`AccumulateUniqueHostPorts` in upstream `pkg/apis/core/validation/validation.go`, over the
/// regular containers).
fn validate_host_ports(report: &mut Report, containers: &[Container], base: &str) {
    let mut seen: Vec<String> = Vec::new();
    for (ci, c) in containers.iter().enumerate() {
        for (pi, port) in c.ports.iter().enumerate() {
            let Some(host_port) = port.host_port.filter(|p| *p != 0) else {
                continue;
            };
            let protocol = port
                .protocol
                .as_deref()
                .filter(|p| !p.is_empty())
                .unwrap_or("TCP");
            let ip = port.host_ip.as_deref().unwrap_or("");
            let key = format!("{protocol}/{ip}/{host_port}");
            if seen.contains(&key) {
                let path = format!("{base}[{ci}].ports[{pi}].hostPort");
                report.duplicate(&path, &go_str(&key)).help =
                    "only one container of a pod can use a host port; pick another hostPort".into();
            } else {
                seen.push(key);
            }
        }
    }
}

fn validate_env(report: &mut Report, env: &[EnvVar], base: &str) {
    for (i, var) in env.iter().enumerate() {
        if var.name.is_empty() {
            report.required(&format!("{base}[{i}].name"), "");
        } else {
            for message in names::env_var_name(&var.name) {
                report.invalid(&format!("{base}[{i}].name"), &go_str(&var.name), &message);
            }
        }
        let Some(source) = &var.value_from else {
            continue;
        };
        let from = format!("{base}[{i}].valueFrom");
        let count = [
            source.field_ref.is_some(),
            source.resource_field_ref.is_some(),
            source.config_map_key_ref.is_some(),
            source.secret_key_ref.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if var.value.as_deref().is_some_and(|v| !v.is_empty()) {
            report.invalid(
                &from,
                "\"\"",
                "may not be specified when `value` is not empty",
            );
        }
        match count {
            0 if !report.has_node(&format!("{from}.fileKeyRef")) => {
                report.invalid(&from, "\"\"", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`");
            }
            0 | 1 => {}
            _ => {
                report.invalid(
                    &from,
                    "\"\"",
                    "may not have more than one field specified at a time",
                );
            }
        }
        if let Some(field_ref) = &source.field_ref {
            validate_field_ref(
                report,
                &field_ref.field_path,
                &format!("{from}.fieldRef.fieldPath"),
            );
        }
        if let Some(r) = &source.resource_field_ref {
            let supported = [
                "limits.cpu",
                "limits.memory",
                "limits.ephemeral-storage",
                "requests.cpu",
                "requests.memory",
                "requests.ephemeral-storage",
            ];
            let resource = r.resource.as_str();
            let hugepages = resource.starts_with("limits.hugepages-")
                || resource.starts_with("requests.hugepages-");
            if resource.is_empty() {
                report.required(&format!("{from}.resourceFieldRef.resource"), "");
            } else if !supported.contains(&resource) && !hugepages {
                report.unsupported(
                    &format!("{from}.resourceFieldRef.resource"),
                    resource,
                    &supported,
                );
            }
        }
        for (field, selector) in [
            ("configMapKeyRef", &source.config_map_key_ref),
            ("secretKeyRef", &source.secret_key_ref),
        ] {
            let Some(selector) = selector else { continue };
            if selector.name.is_empty() {
                report.required(&format!("{from}.{field}.name"), "");
            }
            if selector.key.is_empty() {
                report.required(&format!("{from}.{field}.key"), "");
            } else {
                for message in names::config_map_key(&selector.key) {
                    report.invalid(
                        &format!("{from}.{field}.key"),
                        &go_str(&selector.key),
                        &message,
                    );
                }
            }
        }
    }
}

/// Downward-API fields an env var may read (`validEnvDownwardAPIFieldPathExpressions`).
fn validate_field_ref(report: &mut Report, field_path: &str, path: &str) {
    let supported = [
        "metadata.name",
        "metadata.namespace",
        "metadata.uid",
        "spec.nodeName",
        "spec.serviceAccountName",
        "status.hostIP",
        "status.hostIPs",
        "status.podIP",
        "status.podIPs",
    ];
    if field_path.is_empty() {
        report.required(path, "");
        return;
    }
    // metadata.labels['key'] and metadata.annotations['key'] name one entry.
    for prefix in ["metadata.labels", "metadata.annotations"] {
        if let Some(rest) = field_path.strip_prefix(prefix) {
            if let Some(key) = rest.strip_prefix("['").and_then(|r| r.strip_suffix("']")) {
                let key = if prefix == "metadata.annotations" {
                    key.to_ascii_lowercase()
                } else {
                    key.to_string()
                };
                for message in names::qualified_name(&key) {
                    report.invalid(path, &go_str(&key), &message);
                }
                return;
            }
        }
    }
    if !supported.contains(&field_path) {
        report.unsupported(path, field_path, &supported);
    }
}

fn validate_env_from(report: &mut Report, c: &Container, base: &str) {
    for (i, source) in c.env_from.iter().enumerate() {
        let path = || format!("{base}[{i}]");
        if let Some(prefix) = source.prefix.as_deref().filter(|p| !p.is_empty()) {
            for message in names::env_var_name(prefix) {
                report.invalid(&format!("{}.prefix", path()), &go_str(prefix), &message);
            }
        }
        match (&source.config_map_ref, &source.secret_ref) {
            (Some(_), Some(_)) => {
                report.invalid(
                    &path(),
                    "\"\"",
                    "may not have more than one field specified at a time",
                );
            }
            (None, None) => {
                report.invalid(
                    &path(),
                    "\"\"",
                    "must specify one of: `configMapRef` or `secretRef`",
                );
            }
            (Some(r), None) | (None, Some(r)) => {
                let field = if source.config_map_ref.is_some() {
                    "configMapRef"
                } else {
                    "secretRef"
                };
                if r.name.is_empty() {
                    report.required(&format!("{}.{field}.name", path()), "");
                }
            }
        }
    }
}

fn validate_volume_mounts(report: &mut Report, c: &Container, base: &str, volume_names: &[String]) {
    let mut paths: Vec<&str> = Vec::new();
    for (i, mount) in c.volume_mounts.iter().enumerate() {
        let path = format!("{base}[{i}]");
        if mount.name.is_empty() {
            report.required(&format!("{path}.name"), "");
        } else if !volume_names.contains(&mount.name) {
            report.not_found(&format!("{path}.name"), &mount.name).help = format!(
                "declare a volume named {:?} under the pod spec's volumes",
                mount.name
            );
        }
        if mount.mount_path.is_empty() {
            report.required(&format!("{path}.mountPath"), "");
        } else if paths.contains(&mount.mount_path.as_str()) {
            report.invalid(
                &format!("{path}.mountPath"),
                &go_str(&mount.mount_path),
                "must be unique",
            );
        }
        paths.push(&mount.mount_path);
        if let Some(sub) = mount.sub_path.as_deref().filter(|s| !s.is_empty()) {
            if sub.starts_with('/') {
                report.invalid(
                    &format!("{path}.subPath"),
                    &go_str(sub),
                    "must be a relative path",
                );
            }
            if sub.split('/').any(|part| part == "..") {
                report.invalid(
                    &format!("{path}.subPath"),
                    &go_str(sub),
                    "must not contain '..'",
                );
            }
        }
    }
}

/// Standard container resources (`IsStandardContainerResourceName`) and extended ones.
fn resource_name_ok(name: &str) -> bool {
    matches!(name, "cpu" | "memory" | "ephemeral-storage")
        || name.starts_with("hugepages-")
        || is_extended(name)
}

/// Extended resources are domain-prefixed outside `kubernetes.io/`, e.g. `nvidia.com/gpu`.
fn is_extended(name: &str) -> bool {
    match name.split_once('/') {
        Some((domain, rest)) => {
            !rest.is_empty()
                && !domain.ends_with("kubernetes.io")
                && !name.starts_with("requests.")
                && names::qualified_name(name).is_empty()
        }
        None => false,
    }
}

fn validate_resources(report: &mut Report, resources: &ResourceRequirements, base: &str) {
    for (kind, map) in [
        ("limits", &resources.limits),
        ("requests", &resources.requests),
    ] {
        for (name, text) in map {
            let path = || format!("{base}.{kind}[{name}]");
            if !resource_name_ok(name) {
                report
                    .invalid(
                        &path(),
                        &go_str(name),
                        "must be a standard resource for containers",
                    )
                    .help = "standard resources are cpu, memory and ephemeral-storage".into();
                continue;
            }
            if let Ok(q) = Quantity::parse(text) {
                if q.is_negative() {
                    report.invalid(
                        &path(),
                        &go_str(&q.canonical()),
                        "must be greater than or equal to 0",
                    );
                }
            }
        }
    }
    for (name, request_text) in &resources.requests {
        let Ok(request) = Quantity::parse(request_text) else {
            continue;
        };
        let limit = resources
            .limits
            .get(name)
            .and_then(|l| Quantity::parse(l).ok());
        let requests_path = || format!("{base}.requests");
        if is_extended(name) {
            match limit {
                None => {
                    report.required(
                        &format!("{base}.limits"),
                        "Limit must be set for non overcommitable resources",
                    );
                }
                Some(l) if l != request => {
                    let requests_path = requests_path();
                    report.invalid_at(
                        &requests_path,
                        &format!("{requests_path}[{name}]"),
                        &go_str(&request.canonical()),
                        &format!("must be equal to {name} limit of {}", l.canonical()),
                    );
                }
                Some(_) => {}
            }
            continue;
        }
        if let Some(l) = limit.filter(|l| request > *l) {
            let requests_path = requests_path();
            report
                .invalid_at(
                    &requests_path,
                    &format!("{requests_path}[{name}]"),
                    &go_str(&request.canonical()),
                    &format!("must be less than or equal to {name} limit of {}", l.canonical()),
                )
                .help = format!("lower the {name} request or raise the limit: a container cannot be guaranteed more than its limit");
        }
    }
}

fn validate_tolerations(report: &mut Report, spec: &PodSpec, base: &str) {
    for (i, t) in spec.tolerations.iter().enumerate() {
        let path = format!("{base}[{i}]");
        let key = t.key.as_deref().unwrap_or("");
        let operator = t.operator.as_deref().unwrap_or("Equal");
        if !key.is_empty() {
            for message in names::qualified_name(key) {
                report.invalid(&format!("{path}.key"), &go_str(key), &message);
            }
        } else if operator != "Exists" {
            report.invalid(&format!("{path}.operator"), &go_str(operator), "operator must be Exists when `key` is empty, which means \"match all values and all keys\"");
        }
        match operator {
            "Equal" | "" => {
                if let Some(v) = t.value.as_deref() {
                    for message in names::label_value(v) {
                        report.invalid(&format!("{path}.value"), &go_str(v), &message);
                    }
                }
            }
            "Exists" => {
                if t.value.as_deref().is_some_and(|v| !v.is_empty()) {
                    report.invalid(
                        &format!("{path}.operator"),
                        &go_str(t.value.as_deref().unwrap_or("")),
                        "value must be empty when `operator` is 'Exists'",
                    );
                }
            }
            other => {
                report.unsupported(&format!("{path}.operator"), other, &["Equal", "Exists"]);
            }
        }
        let effect = t.effect.as_deref().unwrap_or("");
        if !matches!(effect, "" | "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
            report.unsupported(
                &format!("{path}.effect"),
                effect,
                &["NoSchedule", "PreferNoSchedule", "NoExecute"],
            );
        }
        if t.toleration_seconds.is_some() && effect != "NoExecute" {
            report.invalid(
                &format!("{path}.effect"),
                &go_str(effect),
                "effect must be 'NoExecute' when `tolerationSeconds` is set",
            );
        }
    }
}
