//! The API server's validation of Jobs and CronJobs, and what a pod would do about missing
//! ConfigMaps and Secrets.
//!
//! Mirrors upstream `pkg/apis/batch/validation/validation.go` (ValidateJob, validateJobSpec,
//! ValidateCronJobCreate) and the parts of `pkg/apis/core/validation/validation.go` a Job's pod
//! template goes through (ValidatePodTemplateSpec, ValidatePodSpec, containers, env, volumes,
//! resources), as of Kubernetes 1.34 with default feature gates. Rules run on the object as the
//! API server sees it after v1 defaulting, which is why an omitted `restartPolicy` is reported as
//! `Required value` (it defaults to `Always`, which a Job refuses).
//!
//! # How a finding is split into a `Diagnostic`
//!
//! Upstream renders a `field.Error` as `<path>: <Type>: <value>: <detail>`, e.g.
//! `spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"`.
//! Here `Diagnostic::path` holds `<path>` and `Diagnostic::message` holds the rest, starting with
//! the error type (`Required value`, `Invalid value`, `Unsupported value`, `Forbidden`,
//! `Duplicate value`, `Too many`, `Too long`, `Not found`). So `format!("{}: {}", d.path,
//! d.message)` is exactly what `kubectl apply` prints after `The Job "x" is invalid:`.
//! The span points at the offending value, or for a missing field at the key of the closest
//! enclosing field that is present.
//!
//! Codes: `api` for API-server errors and warnings, `ref` for cross-object reference warnings.

mod cronjob;
mod job;
pub mod names;
mod pod;
mod refs;

use crate::diag::{Diagnostic, Severity};
use crate::manifest::{Bundle, ObjectKind};
use std::fmt;

/// Diagnostic code for the API server's own validation.
pub const CODE: &str = "api";
/// Diagnostic code for references to ConfigMaps/Secrets missing from the bundle.
pub const REF_CODE: &str = "ref";

/// Everything the API server would reject (errors) or warn about (warnings) on `kubectl apply`,
/// plus reference warnings across the bundle. Objects of other kinds are not validated.
pub fn validate(bundle: &Bundle) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for object in &bundle.objects {
        let mut report = Report::new(bundle, object.document);
        match &object.kind {
            ObjectKind::Job(j) => job::validate_job(&mut report, j),
            ObjectKind::CronJob(c) => cronjob::validate_cron_job(&mut report, c),
            ObjectKind::ConfigMap(c) => {
                job::validate_object_meta(&mut report, &c.metadata, "metadata", false);
                validate_data_keys(
                    &mut report,
                    c.data.keys().chain(c.binary_data.keys()),
                    "data",
                );
            }
            ObjectKind::Secret(s) => {
                job::validate_object_meta(&mut report, &s.metadata, "metadata", false);
                validate_data_keys(&mut report, s.data.keys(), "data");
            }
            ObjectKind::Other { .. } => {}
        }
        out.append(&mut report.out);
    }
    out.extend(refs::check_references(bundle));
    out
}

fn validate_data_keys<'k>(report: &mut Report, keys: impl Iterator<Item = &'k String>, base: &str) {
    for key in keys {
        for message in names::config_map_key(key) {
            report.invalid_at(base, &format!("{base}[{key}]"), &go_str(key), &message);
        }
    }
}

/// Go's `%q` rendering of a string, as `field.Invalid` prints string values.
pub(crate) fn go_str(s: &str) -> String {
    format!("{s:?}")
}

/// `"a", "b"`: how upstream lists supported values.
pub(crate) fn quoted_list(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| go_str(v))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Collects the findings for one document, pointing each at the text.
pub(crate) struct Report<'b> {
    bundle: &'b Bundle,
    document: usize,
    pub out: Vec<Diagnostic>,
}

impl<'b> Report<'b> {
    pub fn new(bundle: &'b Bundle, document: usize) -> Report<'b> {
        Report {
            bundle,
            document,
            out: Vec::new(),
        }
    }

    /// Record a finding about `path`, pointing at the text of `span_path`.
    pub fn push_at(
        &mut self,
        severity: Severity,
        code: &str,
        path: &str,
        span_path: &str,
        message: String,
    ) -> &mut Diagnostic {
        let span = self.bundle.nearest_span(self.document, span_path);
        self.out.push(
            Diagnostic::new(severity, code, message)
                .at(path, span)
                .in_document(self.document),
        );
        let last = self.out.len() - 1;
        &mut self.out[last]
    }

    pub fn error(&mut self, path: &str, message: String) -> &mut Diagnostic {
        self.push_at(Severity::Error, CODE, path, path, message)
    }

    pub fn warning(&mut self, path: &str, message: String) -> &mut Diagnostic {
        self.push_at(Severity::Warning, CODE, path, path, message)
    }

    pub fn required(&mut self, path: &str, detail: &str) -> &mut Diagnostic {
        let message = if detail.is_empty() {
            "Required value".to_string()
        } else {
            format!("Required value: {detail}")
        };
        self.error(path, message)
    }

    /// `Invalid value: <value>: <detail>`; `value` is already rendered the Go way.
    pub fn invalid(&mut self, path: &str, value: &str, detail: &str) -> &mut Diagnostic {
        self.invalid_at(path, path, value, detail)
    }

    /// `Invalid value: <detail>`: upstream's `field.OmitValueType`, for values too big to print.
    pub fn invalid_omit(&mut self, path: &str, detail: &str) -> &mut Diagnostic {
        self.error(path, format!("Invalid value: {detail}"))
    }

    pub fn invalid_at(
        &mut self,
        path: &str,
        span_path: &str,
        value: &str,
        detail: &str,
    ) -> &mut Diagnostic {
        self.push_at(
            Severity::Error,
            CODE,
            path,
            span_path,
            format!("Invalid value: {value}: {detail}"),
        )
    }

    pub fn unsupported(&mut self, path: &str, value: &str, supported: &[&str]) -> &mut Diagnostic {
        self.error(
            path,
            format!(
                "Unsupported value: {}: supported values: {}",
                go_str(value),
                quoted_list(supported)
            ),
        )
    }

    pub fn forbidden(&mut self, path: &str, detail: &str) -> &mut Diagnostic {
        self.error(path, format!("Forbidden: {detail}"))
    }

    pub fn duplicate(&mut self, path: &str, value: &str) -> &mut Diagnostic {
        self.error(path, format!("Duplicate value: {value}"))
    }

    pub fn not_found(&mut self, path: &str, value: &str) -> &mut Diagnostic {
        self.error(path, format!("Not found: {}", go_str(value)))
    }

    pub fn too_many(&mut self, path: &str, count: usize, max: usize) -> &mut Diagnostic {
        self.error(
            path,
            format!("Too many: {count}: must have at most {max} items"),
        )
    }

    pub fn too_long(&mut self, path: &str, max: usize) -> &mut Diagnostic {
        self.error(path, format!("Too long: may not be more than {max} bytes"))
    }

    /// True if the text has a (non-null) value at `path`; for fields the model does not keep.
    pub fn has_node(&self, path: &str) -> bool {
        self.bundle
            .source
            .node(self.document, path)
            .is_some_and(|n| !n.is_null())
    }

    /// The volume types a `volumes[i]` entry names in the text (every key but `name`), in order.
    pub fn volume_types(&self, path: &str) -> Vec<&'b str> {
        let bundle: &'b Bundle = self.bundle;
        let Some(entries) = bundle
            .source
            .node(self.document, path)
            .and_then(|n| n.as_map())
        else {
            return Vec::new();
        };
        entries
            .iter()
            .filter(|e| !e.value.is_null())
            .filter_map(|e| e.key.as_scalar().map(|s| s.text.as_str()))
            .filter(|k| *k != "name")
            .collect()
    }

    /// `Invalid value: <v>: must be greater than or equal to 0` for a negative optional number.
    /// The path is given as `format_args!` so that it is only written out for a finding.
    pub fn non_negative(&mut self, path: fmt::Arguments, value: Option<i64>) {
        if let Some(v) = value.filter(|v| *v < 0) {
            self.invalid(
                &path.to_string(),
                &v.to_string(),
                "must be greater than or equal to 0",
            );
        }
    }

    /// Upstream's label validation: each bad key or value is an `Invalid value` at the map's
    /// path (upstream does not key the path), pointing at the entry. Paths are written out only
    /// for a finding (most labels are valid).
    pub fn labels(
        &mut self,
        labels: &crate::model::StringMap,
        path: fmt::Arguments,
        span_base: fmt::Arguments,
    ) {
        for (key, value) in labels {
            let key_errors = names::qualified_name(key);
            let value_errors = names::label_value(value);
            if key_errors.is_empty() && value_errors.is_empty() {
                continue;
            }
            let path = path.to_string();
            let at = format!("{span_base}[{key}]");
            for message in key_errors {
                self.invalid_at(&path, &at, &go_str(key), &message);
            }
            for message in value_errors {
                self.invalid_at(&path, &at, &go_str(value), &message);
            }
        }
    }
}
