//! The structural check: a YAML tree against a [`Schema`], like `kubectl apply --validate=strict`.
//!
//! Walks the tree once. Every unknown field (with a did-you-mean suggestion), wrong type and
//! malformed quantity becomes a `schema` diagnostic at the offending key or value. What is valid is
//! copied into a [`Checked`] tree in the API's own JSON shape, which `manifest` then reads into the
//! typed model (`checked::FromChecked`); fields that failed are simply absent there (so they end up `None`), and
//! list items that failed are kept as empty objects so list indexes still match the text.

use super::checked::Checked;
use super::schema::{Schema, Ty};
use crate::diag::{Diagnostic, Severity};
use crate::quantity::Quantity;
use crate::yaml::{Node, Resolved, Style, Value};

/// Diagnostic code for structural findings.
pub const CODE: &str = "schema";

pub struct Checker<'a, 'n> {
    pub document: usize,
    pub diagnostics: &'a mut Vec<Diagnostic>,
    /// Where the walk is, as steps; rendered as a Kubernetes path only when something is reported,
    /// so a clean manifest costs no string building.
    path: Vec<Step<'n>>,
}

/// One step of the path being walked.
#[derive(Clone, Copy)]
enum Step<'n> {
    Field(&'n str),
    Index(usize),
    Key(&'n str),
}

impl<'a, 'n> Checker<'a, 'n> {
    pub fn new(document: usize, diagnostics: &'a mut Vec<Diagnostic>) -> Checker<'a, 'n> {
        Checker {
            document,
            diagnostics,
            path: Vec::new(),
        }
    }

    /// The current path in Kubernetes notation: `spec.containers[0].resources.limits[memory]`.
    fn path_string(&self) -> String {
        let mut out = String::new();
        for step in &self.path {
            match step {
                Step::Field(name) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(name);
                }
                Step::Index(i) => out.push_str(&format!("[{i}]")),
                Step::Key(key) => {
                    out.push('[');
                    out.push_str(key);
                    out.push(']');
                }
            }
        }
        out
    }

    /// Check a mapping against a schema; returns the valid part as a map.
    pub fn object(&mut self, node: &'n Node, schema: &'static Schema) -> Checked<'n> {
        let Value::Map(entries) = &node.value else {
            self.wrong_type::<()>(node, Ty::Obj(schema));
            return Checked::Map(Vec::new());
        };
        let mut out = Vec::with_capacity(entries.len());
        for entry in entries {
            let Some(key) = entry.key.as_scalar() else {
                self.error(
                    &entry.key,
                    "",
                    "Invalid value: a mapping key must be a field name",
                );
                continue;
            };
            let name = key.text.as_str();
            let Some(field) = schema.field(name) else {
                self.unknown_field(&entry.key, name, schema);
                continue;
            };
            self.path.push(Step::Field(name));
            if let Some(value) = self.value(&entry.value, field.ty) {
                out.push((name, value));
            }
            self.path.pop();
        }
        Checked::Map(out)
    }

    /// Check one value against its type. `None` for null (absent) or a value of the wrong type.
    fn value(&mut self, node: &'n Node, ty: Ty) -> Option<Checked<'n>> {
        if node.is_null() {
            return None;
        }
        match ty {
            Ty::Any => None,
            Ty::Obj(schema) => Some(self.object(node, schema)),
            Ty::ObjList(schema) => self.list(node, ty, |c, item| {
                Some(if item.is_null() {
                    Checked::Map(Vec::new())
                } else {
                    c.object(item, schema)
                })
            }),
            Ty::StrList => self.list(node, ty, |c, item| {
                Some(Checked::Str(c.string(item).unwrap_or_default()))
            }),
            // A list of exit codes with a bad item is dropped whole: a placeholder number
            // would be validated as if the learner had written it.
            Ty::Int32List => self
                .list(node, ty, |c, item| {
                    c.int(item, i32::MIN as i64, i32::MAX as i64, Ty::Int32)
                        .map(Checked::Int)
                })
                .filter(|list| match list {
                    Checked::List(items) => items.iter().all(|x| *x != Checked::Null),
                    _ => false,
                }),
            Ty::StrMap => self.map(node, ty, |c, item| c.string(item).map(Checked::Str)),
            Ty::QuantityMap => self.map(node, ty, |c, item| c.quantity(item).map(Checked::Str)),
            Ty::Str => self.string(node).map(Checked::Str),
            Ty::Quantity => self.quantity(node).map(Checked::Str),
            Ty::Bool => match self.resolved(node) {
                Some(Resolved::Bool(b)) => Some(Checked::Bool(b)),
                _ => self.wrong_type(node, ty),
            },
            Ty::Int32 => self
                .int(node, i32::MIN as i64, i32::MAX as i64, ty)
                .map(Checked::Int),
            Ty::Int64 => self.int(node, i64::MIN, i64::MAX, ty).map(Checked::Int),
            Ty::IntOrString => match self.resolved(node) {
                Some(Resolved::Int(i)) => Some(Checked::Int(i)),
                Some(Resolved::Str(s)) => Some(Checked::Str(s)),
                _ => self.wrong_type(node, ty),
            },
        }
    }

    fn list(
        &mut self,
        node: &'n Node,
        ty: Ty,
        mut item: impl FnMut(&mut Self, &'n Node) -> Option<Checked<'n>>,
    ) -> Option<Checked<'n>> {
        let Value::Seq(items) = &node.value else {
            return self.wrong_type(node, ty);
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, node) in items.iter().enumerate() {
            self.path.push(Step::Index(i));
            out.push(item(self, node).unwrap_or(Checked::Null));
            self.path.pop();
        }
        Some(Checked::List(out))
    }

    fn map(
        &mut self,
        node: &'n Node,
        ty: Ty,
        mut item: impl FnMut(&mut Self, &'n Node) -> Option<Checked<'n>>,
    ) -> Option<Checked<'n>> {
        let Value::Map(entries) = &node.value else {
            return self.wrong_type(node, ty);
        };
        let mut out = Vec::with_capacity(entries.len());
        for entry in entries {
            let Some(key) = entry.key.as_scalar() else {
                self.error(
                    &entry.key,
                    "",
                    "Invalid value: a mapping key must be a string",
                );
                continue;
            };
            self.path.push(Step::Key(&key.text));
            // A null value in a string map decodes as "" in Go.
            let value = if entry.value.is_null() {
                Some(Checked::Str(""))
            } else {
                item(self, &entry.value)
            };
            if let Some(value) = value {
                out.push((key.text.as_str(), value));
            }
            self.path.pop();
        }
        Some(Checked::Map(out))
    }

    fn resolved<'x>(&mut self, node: &'x Node) -> Option<Resolved<'x>> {
        node.as_scalar().map(|s| s.resolve())
    }

    fn string(&mut self, node: &'n Node) -> Option<&'n str> {
        match self.resolved(node) {
            Some(Resolved::Str(s)) => Some(s),
            _ => self.wrong_type(node, Ty::Str),
        }
    }

    fn int(&mut self, node: &Node, min: i64, max: i64, ty: Ty) -> Option<i64> {
        match self.resolved(node) {
            Some(Resolved::Int(i)) if (min..=max).contains(&i) => Some(i),
            Some(Resolved::Int(i)) => {
                self.error(
                    node,
                    "",
                    &format!("Invalid value: {i}: out of range for {}", ty.describe()),
                );
                None
            }
            _ => self.wrong_type(node, ty),
        }
    }

    /// Quantities may be written as strings or numbers; either way they must parse.
    fn quantity(&mut self, node: &'n Node) -> Option<&'n str> {
        let scalar = node.as_scalar();
        let text = match scalar.map(|s| s.resolve()) {
            Some(Resolved::Str(s)) => s,
            Some(Resolved::Int(_) | Resolved::Float(_)) => scalar?.text.as_str(),
            _ => return self.wrong_type(node, Ty::Quantity),
        };
        match Quantity::parse(text) {
            Ok(_) => Some(text),
            Err(message) => {
                self.diagnostics.push(
                    Diagnostic::new(Severity::Error, CODE, message)
                        .at(self.path_string(), node.span)
                        .in_document(self.document)
                        .with_help(
                            "write a quantity like 512Mi or 1Gi (memory) or 250m or 0.5 (CPU)",
                        ),
                );
                None
            }
        }
    }

    fn wrong_type<T>(&mut self, node: &Node, ty: Ty) -> Option<T> {
        let got = node.describe();
        let help = match (ty, node.as_scalar()) {
            (Ty::Int32 | Ty::Int64 | Ty::Bool, Some(s)) if s.style == Style::Quoted => {
                "remove the quotes: quoted values are strings".to_string()
            }
            (Ty::Str | Ty::StrMap, Some(s)) if s.style == Style::Plain => {
                format!(
                    "put the value in quotes to make it a string: \"{}\"",
                    s.text
                )
            }
            _ => String::new(),
        };
        self.diagnostics.push(
            Diagnostic::new(
                Severity::Error,
                CODE,
                format!("Invalid type: expected {}, got {got}", ty.describe()),
            )
            .at(self.path_string(), node.span)
            .in_document(self.document)
            .with_help(help),
        );
        None
    }

    fn unknown_field(&mut self, key: &Node, name: &'n str, schema: &Schema) {
        self.path.push(Step::Field(name));
        let path = self.path_string();
        self.path.pop();
        let suggestion = did_you_mean(name, schema.fields.iter().map(|f| f.name));
        let mut message = format!("unknown field {name:?} in {}", schema.name);
        let mut help = String::new();
        if let Some(s) = suggestion {
            message.push_str(&format!(" (did you mean {s:?}?)"));
            help = format!("rename it to {s:?}");
        }
        self.diagnostics.push(
            Diagnostic::new(Severity::Error, CODE, message)
                .at(path, key.span)
                .in_document(self.document)
                .with_help(help),
        );
    }

    fn error(&mut self, node: &Node, help: &str, message: &str) {
        self.diagnostics.push(
            Diagnostic::new(Severity::Error, CODE, message)
                .at(self.path_string(), node.span)
                .in_document(self.document)
                .with_help(help),
        );
    }
}

/// The closest candidate to a misspelt name, if it is close enough to be a likely typo:
/// same letters in another case (`restartpolicy`), or a small edit distance (`comand`).
pub fn did_you_mean<'c>(name: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    let lower = name.to_ascii_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let distance = edit_distance(&lower, &candidate.to_ascii_lowercase());
        if best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    let (distance, candidate) = best?;
    let allowed = (name.chars().count() / 3).clamp(1, 3);
    (distance <= allowed).then_some(candidate)
}

/// Levenshtein distance (insert, delete, substitute), over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_for_typical_typos() {
        let fields = ["command", "args", "image", "restartPolicy", "backoffLimit"];
        let s = |n: &str| did_you_mean(n, fields.iter().copied());
        assert_eq!(s("comand"), Some("command"));
        assert_eq!(s("restartpolicy"), Some("restartPolicy"));
        assert_eq!(s("backofflimit"), Some("backoffLimit"));
        assert_eq!(s("imagee"), Some("image"));
        assert_eq!(s("xyz"), None);
    }
}
