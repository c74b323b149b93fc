//! From a Kubernetes field path to the characters it was written with.
//!
//! The source map is the parsed YAML trees themselves: a lookup walks the path
//! (`spec.template.spec.containers[0].image`, `metadata.labels[app.kubernetes.io/name]`) down the
//! document's tree, so building it costs nothing beyond parsing and any field can be found.

use crate::diag::Span;
use crate::yaml::{Document, Node};

/// The documents of one text, for pointing at fields.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceMap {
    pub documents: Vec<Document>,
}

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment<'p> {
    /// `.name`
    Field(&'p str),
    /// `[0]` on a list, or `[key]` on a map (labels, requests).
    Bracket(&'p str),
}

/// Split `a.b[0].c[app.kubernetes.io/name]` into segments. Text in brackets is taken literally, so
/// map keys may contain dots and slashes.
pub fn segments(path: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(inner) = rest.strip_prefix('[') {
            let end = inner.find(']').unwrap_or(inner.len());
            out.push(Segment::Bracket(&inner[..end]));
            rest = inner.get(end + 1..).unwrap_or("");
        } else {
            let rest_trimmed = rest.strip_prefix('.').unwrap_or(rest);
            let end = rest_trimmed.find(['.', '[']).unwrap_or(rest_trimmed.len());
            if end > 0 {
                out.push(Segment::Field(&rest_trimmed[..end]));
            }
            rest = &rest_trimmed[end..];
        }
    }
    out
}

/// Where a path ends: the key that names the field (if it is a map entry) and its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Located {
    pub key: Option<Span>,
    pub value: Span,
}

impl SourceMap {
    /// The span of the value at `path` in `document`, if the text has that field.
    pub fn span_of(&self, document: usize, path: &str) -> Option<Span> {
        self.locate(document, path).map(|l| l.value)
    }

    /// The span of the key naming the field at `path` (or of the value, for list items).
    pub fn key_span_of(&self, document: usize, path: &str) -> Option<Span> {
        self.locate(document, path)
            .map(|l| l.key.unwrap_or(l.value))
    }

    /// The best place to point for a finding about `path`: the field's value if it is there
    /// (its key, if the value is a mapping or list spanning several lines); otherwise the key of
    /// the deepest ancestor that is there (where the missing field belongs); otherwise the
    /// document's first line.
    pub fn nearest_span(&self, document: usize, path: &str) -> Span {
        let Some(doc) = self.documents.get(document) else {
            return Span::point(1, 1);
        };
        let segs = segments(path);
        let mut node = &doc.root;
        let mut best = first_line(doc);
        for (i, seg) in segs.iter().enumerate() {
            let Some((next, key)) = step(node, seg) else {
                break;
            };
            let is_last = i + 1 == segs.len();
            let is_scalar = next.as_scalar().is_some();
            best = match key {
                Some(k) if !(is_last && is_scalar) => k,
                _ => next.span,
            };
            node = next;
        }
        best
    }

    /// Walk `path` in `document`.
    pub fn locate(&self, document: usize, path: &str) -> Option<Located> {
        let doc = self.documents.get(document)?;
        let mut node = &doc.root;
        let mut key = None;
        for seg in segments(path) {
            let (next, k) = step(node, &seg)?;
            node = next;
            key = k;
        }
        Some(Located {
            key,
            value: node.span,
        })
    }

    /// The node at `path`, for callers that need the raw YAML (e.g. to tell a quoted value).
    pub fn node(&self, document: usize, path: &str) -> Option<&Node> {
        let mut node = &self.documents.get(document)?.root;
        for seg in segments(path) {
            node = step(node, &seg)?.0;
        }
        Some(node)
    }
}

fn first_line(doc: &Document) -> Span {
    let s = doc.root.span;
    Span::new(s.line, s.column, s.line, s.column + 1)
}

/// One step down: the child node and, for map entries, the key's span.
fn step<'n>(node: &'n Node, seg: &Segment<'_>) -> Option<(&'n Node, Option<Span>)> {
    match seg {
        Segment::Field(name) => node.entry(name).map(|e| (&e.value, Some(e.key.span))),
        Segment::Bracket(inner) => {
            if let Some(items) = node.as_seq() {
                let index: usize = inner.parse().ok()?;
                items.get(index).map(|n| (n, None))
            } else {
                node.entry(inner).map(|e| (&e.value, Some(e.key.span)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_into_fields_indexes_and_keys() {
        assert_eq!(
            segments("spec.containers[0].env[12].name"),
            vec![
                Segment::Field("spec"),
                Segment::Field("containers"),
                Segment::Bracket("0"),
                Segment::Field("env"),
                Segment::Bracket("12"),
                Segment::Field("name"),
            ]
        );
        assert_eq!(
            segments("metadata.labels[app.kubernetes.io/name]"),
            vec![
                Segment::Field("metadata"),
                Segment::Field("labels"),
                Segment::Bracket("app.kubernetes.io/name"),
            ]
        );
        assert!(segments("").is_empty());
    }
}
