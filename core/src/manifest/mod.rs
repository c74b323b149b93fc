//! Manifest text into typed objects: what `kubectl apply -f` reads before the API server validates.
//!
//! [`parse`] takes a multi-document YAML text and returns a [`Bundle`]: one [`Object`] per
//! document with an `apiVersion` and `kind` (typed for batch/v1 Job and CronJob, v1 ConfigMap and
//! Secret; kept by name for any other kind), the syntax and structural diagnostics, and a
//! [`SourceMap`] that turns a field path into a line and column.
//!
//! Structural checks follow `kubectl apply --validate=strict`: unknown fields (with did-you-mean),
//! wrong types and malformed quantities are `schema` errors. A document with such errors still
//! yields a typed object when its kind is known: the fields that failed are left out (`None`, or
//! empty), so the simulator can still run what is valid and validation can still speak about the
//! rest. The API server would reject the whole object; the diagnostics say so, the object is a
//! convenience for the learner.
//!
//! The typed model is hand-written (`model`), filled from the JSON-shaped tree the structural
//! check produces by the readers in `checked` (they read what serde would, in less wasm); see
//! `docs/notes/validate.md` for why not `k8s-openapi`.

mod check;
mod checked;
pub mod schema;
mod source_map;

pub use check::{did_you_mean, edit_distance, CODE};
pub use source_map::{segments, Located, Segment, SourceMap};

use crate::diag::{Diagnostic, Severity, Span};
use crate::model;
use crate::yaml::{self, Node, Resolved};
use check::Checker;
use checked::Checked;
use schema::Schema;

/// Everything read from one text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Bundle {
    /// One entry per document that names a kind, in text order.
    pub objects: Vec<Object>,
    /// Syntax (`yaml`) and structural (`schema`) findings, in text order.
    pub diagnostics: Vec<Diagnostic>,
    /// Field path → text position, for every document.
    pub source: SourceMap,
}

/// One Kubernetes object from the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    /// 0-based index of its YAML document (`---` separated), as in `Diagnostic::document`.
    pub document: usize,
    pub kind: ObjectKind,
}

// A bundle holds a handful of objects; boxing the large variants would only add indirection.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum ObjectKind {
    Job(model::Job),
    CronJob(model::CronJob),
    ConfigMap(model::ConfigMap),
    Secret(model::Secret),
    /// A kind Batch Lab does not simulate (Deployment, Service …), kept so nothing is lost silently.
    Other {
        api_version: String,
        kind: String,
        name: String,
    },
}

impl Object {
    /// The object's `metadata.name` ("" when missing).
    pub fn name(&self) -> &str {
        let meta = match &self.kind {
            ObjectKind::Job(j) => &j.metadata,
            ObjectKind::CronJob(c) => &c.metadata,
            ObjectKind::ConfigMap(c) => &c.metadata,
            ObjectKind::Secret(s) => &s.metadata,
            ObjectKind::Other { name, .. } => return name,
        };
        meta.name.as_deref().unwrap_or("")
    }

    /// The kind as written in the manifest (`Job`, `CronJob`, …).
    pub fn kind_name(&self) -> &str {
        match &self.kind {
            ObjectKind::Job(_) => "Job",
            ObjectKind::CronJob(_) => "CronJob",
            ObjectKind::ConfigMap(_) => "ConfigMap",
            ObjectKind::Secret(_) => "Secret",
            ObjectKind::Other { kind, .. } => kind,
        }
    }
}

impl Bundle {
    /// Every Job, with its document index.
    pub fn jobs(&self) -> impl Iterator<Item = (usize, &model::Job)> {
        self.objects.iter().filter_map(|o| match &o.kind {
            ObjectKind::Job(j) => Some((o.document, j)),
            _ => None,
        })
    }

    /// Every CronJob, with its document index.
    pub fn cron_jobs(&self) -> impl Iterator<Item = (usize, &model::CronJob)> {
        self.objects.iter().filter_map(|o| match &o.kind {
            ObjectKind::CronJob(c) => Some((o.document, c)),
            _ => None,
        })
    }

    /// The first ConfigMap with this name.
    pub fn config_map(&self, name: &str) -> Option<&model::ConfigMap> {
        self.objects.iter().find_map(|o| match &o.kind {
            ObjectKind::ConfigMap(c) if c.metadata.name.as_deref() == Some(name) => Some(c),
            _ => None,
        })
    }

    /// The first Secret with this name.
    pub fn secret(&self, name: &str) -> Option<&model::Secret> {
        self.objects.iter().find_map(|o| match &o.kind {
            ObjectKind::Secret(s) if s.metadata.name.as_deref() == Some(name) => Some(s),
            _ => None,
        })
    }

    /// The span of the value at a Kubernetes field path (`spec.template.spec.containers[0].image`)
    /// in a document, if the text has that field.
    pub fn span_of(&self, document: usize, path: &str) -> Option<Span> {
        self.source.span_of(document, path)
    }

    /// Where to point for a finding about `path`: the value if present, else the key of the
    /// closest ancestor that is present, else the document's first line. Never fails.
    pub fn nearest_span(&self, document: usize, path: &str) -> Span {
        self.source.nearest_span(document, path)
    }

    /// True if the text has syntax or structural errors.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Parse a multi-document manifest text. Never panics; every problem is a diagnostic.
pub fn parse(text: &str) -> Bundle {
    let parsed = yaml::parse(text);
    let mut diagnostics = parsed.diagnostics;
    let mut objects = Vec::new();
    for (index, document) in parsed.documents.iter().enumerate() {
        if let Some(object) = read_object(index, &document.root, &mut diagnostics) {
            objects.push(object);
        }
    }
    Bundle {
        objects,
        diagnostics,
        source: SourceMap {
            documents: parsed.documents,
        },
    }
}

/// The kinds this engine types, by API group/version.
#[derive(Clone, Copy)]
enum Known {
    Job,
    CronJob,
    ConfigMap,
    Secret,
}

/// Kinds of the core `v1` group other than ConfigMap and Secret: real, just not simulated.
const OTHER_CORE_KINDS: &[&str] = &[
    "Pod",
    "Service",
    "ServiceAccount",
    "Namespace",
    "PersistentVolumeClaim",
    "PersistentVolume",
    "Endpoints",
    "Event",
    "LimitRange",
    "ResourceQuota",
    "Node",
    "ReplicationController",
    "PodTemplate",
    "Binding",
    "ComponentStatus",
    "List",
];

fn read_object(document: usize, root: &Node, diagnostics: &mut Vec<Diagnostic>) -> Option<Object> {
    if root.is_null() {
        return None; // an empty document, e.g. after a trailing `---`
    }
    let error = |path: &str, span: Span, message: String, help: &str| {
        Diagnostic::new(Severity::Error, CODE, message)
            .at(path, span)
            .in_document(document)
            .with_help(help)
    };
    if root.as_map().is_none() {
        diagnostics.push(error(
            "",
            root.span,
            format!(
                "this document is {}, not a Kubernetes object",
                root.describe()
            ),
            "a manifest is a mapping with apiVersion, kind, metadata and spec",
        ));
        return None;
    }
    let api_version = text_field(root, "apiVersion");
    let kind = text_field(root, "kind");
    let (Some(api_version), Some(kind)) = (api_version.clone(), kind.clone()) else {
        let mut missing = Vec::new();
        if api_version.is_none() {
            missing.push("apiVersion not set");
        }
        if kind.is_none() {
            missing.push("kind not set");
        }
        let first = Span::new(
            root.span.line,
            root.span.column,
            root.span.line,
            root.span.column + 1,
        );
        diagnostics.push(error(
            if kind.is_none() { "kind" } else { "apiVersion" },
            first,
            format!("error validating data: [{}]", missing.join(", ")),
            "every object starts with apiVersion and kind, e.g. apiVersion: batch/v1 and kind: Job",
        ));
        return None;
    };
    let kind_span = root.get("kind").map_or(root.span, |n| n.span);
    let version_span = root.get("apiVersion").map_or(root.span, |n| n.span);
    match resolve_kind(&api_version, &kind) {
        Ok(Some(known)) => Some(Object {
            document,
            kind: typed(known, document, root, diagnostics),
        }),
        Ok(None) => {
            let name = root
                .get("metadata")
                .and_then(|m| text_field(m, "name"))
                .unwrap_or_default();
            diagnostics.push(
                Diagnostic::new(
                    Severity::Info,
                    CODE,
                    format!("{kind} ({api_version}) {name:?} is recognised but not simulated here"),
                )
                .at("kind", kind_span)
                .in_document(document)
                .with_help(
                    "Batch Lab runs Jobs and CronJobs, with the ConfigMaps and Secrets they use",
                ),
            );
            Some(Object {
                document,
                kind: ObjectKind::Other {
                    api_version,
                    kind,
                    name,
                },
            })
        }
        Err((on_version, help)) => {
            let (path, span) = if on_version {
                ("apiVersion", version_span)
            } else {
                ("kind", kind_span)
            };
            diagnostics.push(error(
                path,
                span,
                format!("no matches for kind {kind:?} in version {api_version:?}"),
                &help,
            ));
            None
        }
    }
}

/// Which typed kind an apiVersion/kind pair is: `Ok(Some)` typed, `Ok(None)` another real kind,
/// `Err((points at apiVersion?, help))` something the API server has no mapping for.
fn resolve_kind(api_version: &str, kind: &str) -> Result<Option<Known>, (bool, String)> {
    let known = match kind {
        "Job" => Some((Known::Job, "batch/v1")),
        "CronJob" => Some((Known::CronJob, "batch/v1")),
        "ConfigMap" => Some((Known::ConfigMap, "v1")),
        "Secret" => Some((Known::Secret, "v1")),
        _ => None,
    };
    if let Some((known, version)) = known {
        if api_version == version {
            return Ok(Some(known));
        }
        let removed = match (kind, api_version) {
            ("CronJob", "batch/v1beta1") => {
                " batch/v1beta1 CronJob was removed in Kubernetes 1.25."
            }
            ("CronJob", "batch/v2alpha1") => {
                " batch/v2alpha1 CronJob was removed in Kubernetes 1.21."
            }
            _ => "",
        };
        return Err((
            true,
            format!("{kind} is served as apiVersion {version}.{removed} Use apiVersion: {version}"),
        ));
    }
    let typed_kinds = ["Job", "CronJob", "ConfigMap", "Secret"];
    let group_kinds: &[&str] = match api_version {
        "batch/v1" => &["Job", "CronJob"],
        "v1" if !OTHER_CORE_KINDS.contains(&kind) => &["ConfigMap", "Secret"],
        _ => &[],
    };
    if !group_kinds.is_empty() {
        let help = match did_you_mean(kind, group_kinds.iter().copied()) {
            Some(s) => format!("did you mean kind: {s}? Kinds are case-sensitive"),
            None => format!("{api_version} serves {}", group_kinds.join(", ")),
        };
        return Err((false, help));
    }
    // A typo of a typed kind under another version (`kind: Cronjob`) is still worth a hint.
    if let Some(s) = did_you_mean(kind, typed_kinds.iter().copied()) {
        if !kind.eq_ignore_ascii_case(s) || kind != s {
            return Err((
                false,
                format!("did you mean kind: {s}? Kinds are case-sensitive"),
            ));
        }
    }
    Ok(None)
}

/// A string field's text, if present and a string.
fn text_field(node: &Node, key: &str) -> Option<String> {
    match node.get(key)?.as_scalar()?.resolve() {
        Resolved::Str(s) => Some(s.to_string()),
        _ => None,
    }
}

fn typed(
    known: Known,
    document: usize,
    root: &Node,
    diagnostics: &mut Vec<Diagnostic>,
) -> ObjectKind {
    let schema: &'static Schema = match known {
        Known::Job => &schema::JOB,
        Known::CronJob => &schema::CRON_JOB,
        Known::ConfigMap => &schema::CONFIG_MAP,
        Known::Secret => &schema::SECRET,
    };
    let mut checker = Checker::new(document, diagnostics);
    let checked = checker.object(root, schema);
    match known {
        Known::Job => ObjectKind::Job(checked.read()),
        Known::CronJob => ObjectKind::CronJob(checked.read()),
        Known::ConfigMap => {
            ObjectKind::ConfigMap(config_map(&checked, document, root, diagnostics))
        }
        Known::Secret => ObjectKind::Secret(secret(&checked, document, root, diagnostics)),
    }
}

/// The entries of a checked `map[string]string` field (none if absent).
fn string_map<'c, 'n>(
    checked: &'c Checked<'n>,
    key: &str,
) -> impl Iterator<Item = (&'n str, &'n str)> + 'c {
    checked
        .get(key)
        .map_or(&[][..], Checked::entries)
        .iter()
        .map(|(k, v)| (*k, v.as_str().unwrap_or_default()))
}

fn metadata(checked: &Checked) -> model::ObjectMeta {
    checked
        .get("metadata")
        .map(Checked::read)
        .unwrap_or_default()
}

fn config_map(
    checked: &Checked,
    document: usize,
    root: &Node,
    diagnostics: &mut Vec<Diagnostic>,
) -> model::ConfigMap {
    model::ConfigMap {
        metadata: metadata(checked),
        data: string_map(checked, "data")
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        binary_data: decode_base64_map(checked, "binaryData", document, root, diagnostics),
        immutable: checked.get("immutable").and_then(Checked::as_bool),
    }
}

fn secret(
    checked: &Checked,
    document: usize,
    root: &Node,
    diagnostics: &mut Vec<Diagnostic>,
) -> model::Secret {
    let mut data = decode_base64_map(checked, "data", document, root, diagnostics);
    // stringData is merged over data, as the API server does on write.
    data.extend(string_map(checked, "stringData").map(|(k, v)| (k.to_string(), v.to_string())));
    model::Secret {
        metadata: metadata(checked),
        type_: checked
            .get("type")
            .and_then(Checked::as_str)
            .map(str::to_string),
        data,
        immutable: checked.get("immutable").and_then(Checked::as_bool),
    }
}

/// A map of base64 values (`Secret.data`, `ConfigMap.binaryData`), decoded; undecodable values
/// are reported and left out.
fn decode_base64_map(
    checked: &Checked,
    field: &str,
    document: usize,
    root: &Node,
    diagnostics: &mut Vec<Diagnostic>,
) -> model::StringMap {
    let mut decoded = model::StringMap::new();
    for (key, value) in string_map(checked, field) {
        match base64_decode(value) {
            Ok(bytes) => {
                decoded.insert(
                    key.to_string(),
                    String::from_utf8_lossy(&bytes).into_owned(),
                );
            }
            Err(e) => diagnostics.push(base64_error(document, root, field, key, e)),
        }
    }
    decoded
}

fn base64_error(document: usize, root: &Node, field: &str, key: &str, byte: usize) -> Diagnostic {
    let span = root
        .get(field)
        .and_then(|m| m.get(key))
        .map_or(root.span, |n| n.span);
    Diagnostic::new(
        Severity::Error,
        CODE,
        format!("illegal base64 data at input byte {byte}"),
    )
    .at(format!("{field}[{key}]"), span)
    .in_document(document)
    .with_help(if field == "data" {
        "data values are base64; put plain text under stringData instead"
    } else {
        "binaryData values are base64"
    })
}

/// Standard base64 with padding, as Go's `encoding/json` decodes `[]byte`. `Err` is the byte
/// offset of the first illegal character, as Go reports it.
fn base64_decode(text: &str) -> Result<Vec<u8>, usize> {
    fn sextet(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some((c - b'A') as u32),
            b'a'..=b'z' => Some((c - b'a') as u32 + 26),
            b'0'..=b'9' => Some((c - b'0') as u32 + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let bytes: Vec<u8> = text
        .bytes()
        .filter(|b| *b != b'\n' && *b != b'\r')
        .collect();
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    for (chunk_index, chunk) in bytes.chunks(4).enumerate() {
        let offset = chunk_index * 4;
        let padding = chunk.iter().rev().take_while(|b| **b == b'=').count();
        if chunk.len() < 4 || padding > 2 {
            return Err(offset);
        }
        let mut acc = 0u32;
        for (i, c) in chunk[..4 - padding].iter().enumerate() {
            acc = (acc << 6) | sextet(*c).ok_or(offset + i)?;
        }
        acc <<= 6 * padding as u32;
        let decoded = acc.to_be_bytes();
        out.extend_from_slice(&decoded[1..4 - padding]);
        if padding > 0 && offset + 4 < bytes.len() {
            return Err(offset + 4);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_go() {
        assert_eq!(base64_decode("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(base64_decode("aGk=").unwrap(), b"hi");
        assert_eq!(base64_decode("").unwrap(), b"");
        assert_eq!(base64_decode("aGVs bG8=").unwrap_err(), 4);
        assert_eq!(base64_decode("aGVsbG8").unwrap_err(), 4);
    }
}
