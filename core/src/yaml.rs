//! YAML text into trees of spanned nodes: the one place in Batch Lab that reads YAML syntax.
//!
//! Everything else (`manifest`, `validate`, `lint`, the lesson grader) works on the [`Node`] trees
//! this module returns, never on text. Each node, map key included, carries the 1-based line and
//! column range it came from, so any later finding can point at the exact characters.
//!
//! The trees are built by one `TreeBuilder` from events with positions ("marks"), which come from
//! one of two readers. `fast` reads the part of YAML manifests are written in (block collections,
//! one-line scalars and flow collections, block scalars, comments, `---`) several times faster,
//! borrowing from the text; for any other text, and for every text with a syntax error, it gives
//! up and `saphyr-parser`, a maintained complete YAML 1.2 event parser, reads the text instead, so
//! syntax errors keep saphyr-parser's messages and positions. `core/tests/yaml_fast.rs` checks
//! that both build the same trees. `serde_yaml` could parse too, but it tells where a syntax error
//! is, not where each value is, and it is archived upstream; keeping this module the only door
//! means swapping the parser is a change to one file.
//!
//! Scalars keep their text and quoting style; what a plain scalar *means* (null, bool, int, float or
//! string) is decided by [`Scalar::resolve`] with the rules of the YAML library `kubectl` uses
//! (go-yaml v2, YAML 1.1 flavoured: `yes`/`no`/`on`/`off` are booleans, `0755` is octal), so that
//! `value: yes` in an env var is the same type error here as on a real cluster.
//!
//! Bad input is bounded and reported as one diagnostic each, never a panic or a hang:
//! input over [`MAX_INPUT_BYTES`], binary input (a NUL byte), nesting deeper than [`MAX_DEPTH`],
//! alias expansion beyond [`MAX_ALIAS_NODES`] nodes ("billion laughs"), and duplicate mapping keys.

use crate::diag::{Diagnostic, Severity, Span};
use saphyr_parser::{Parser, ScalarStyle, ScanError};
use std::borrow::Cow;
use std::collections::HashMap;

pub mod de;
mod fast;

/// Largest input accepted: 1 MiB. Real manifests are a few KB; this bounds time and memory.
pub const MAX_INPUT_BYTES: usize = 1 << 20;
/// Deepest nesting of mappings and sequences accepted. A Job's deepest real field
/// (`spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name`) is 10 levels down.
pub const MAX_DEPTH: usize = 64;
/// Most nodes that aliases may copy in one text. Bounds "billion laughs" documents, which are a
/// few lines long but expand exponentially; real manifests alias a few small mappings at most.
/// (Nodes written out in the text are bounded by [`MAX_INPUT_BYTES`].)
pub const MAX_ALIAS_NODES: usize = 10_000;

/// Diagnostic code for everything this module reports.
pub const CODE: &str = "yaml";

/// One YAML node with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    /// For scalars the characters of the scalar (quotes included); for mappings and sequences from
    /// their first character to the end of their last entry.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Scalar(Scalar),
    Seq(Vec<Node>),
    /// Entries in source order; keys are unique (a duplicate is reported and the later one dropped).
    Map(Vec<Entry>),
}

/// One `key: value` pair of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

/// How a scalar was written. Only plain scalars are subject to type resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    Quoted,
    Block,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    pub text: String,
    pub style: Style,
    /// An explicit tag such as `!!str` or `!!int`, written as its suffix (`str`, `int`).
    pub tag: Option<String>,
}

/// What a scalar means, after YAML's implicit typing.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'a str),
}

impl Resolved<'_> {
    /// The YAML/JSON type name, for "expected int32, got string" messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Resolved::Null => "null",
            Resolved::Bool(_) => "boolean",
            Resolved::Int(_) => "integer",
            Resolved::Float(_) => "number",
            Resolved::Str(_) => "string",
        }
    }
}

impl Scalar {
    /// Resolve a scalar as go-yaml v2 (what `kubectl` uses) does. Quoted and block scalars are
    /// always strings; plain ones may be null, booleans, integers or floats.
    pub fn resolve(&self) -> Resolved<'_> {
        let text = self.text.as_str();
        match self.tag.as_deref() {
            Some("str") | Some("binary") => return Resolved::Str(text),
            Some("null") => return Resolved::Null,
            Some("bool") => return resolve_bool(text).map_or(Resolved::Str(text), Resolved::Bool),
            Some("int") => return resolve_int(text).map_or(Resolved::Str(text), Resolved::Int),
            Some("float") => {
                return resolve_float(text)
                    .or_else(|| resolve_int(text).map(|i| i as f64))
                    .map_or(Resolved::Str(text), Resolved::Float)
            }
            _ => {}
        }
        if self.style != Style::Plain {
            return Resolved::Str(text);
        }
        if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
            return Resolved::Null;
        }
        if let Some(b) = resolve_bool(text) {
            return Resolved::Bool(b);
        }
        if let Some(i) = resolve_int(text) {
            return Resolved::Int(i);
        }
        if let Some(f) = resolve_float(text) {
            return Resolved::Float(f);
        }
        Resolved::Str(text)
    }
}

fn resolve_bool(text: &str) -> Option<bool> {
    match text {
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" => {
            Some(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => {
            Some(false)
        }
        _ => None,
    }
}

/// YAML 1.1 integers: decimal, `0x` hex, `0b` binary, `0o` and leading-zero octal, `_` separators.
/// Integers that do not fit in i64 are not integers (go-yaml then reads them as floats).
fn resolve_int(text: &str) -> Option<i64> {
    let (negative, body) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (radix, digits) = if let Some(rest) = body.strip_prefix("0x") {
        (16, rest)
    } else if let Some(rest) = body.strip_prefix("0b") {
        (2, rest)
    } else if let Some(rest) = body.strip_prefix("0o") {
        (8, rest)
    } else if body.len() > 1 && body.starts_with('0') {
        (8, &body[1..])
    } else {
        (10, body)
    };
    if digits.is_empty() || digits.starts_with('_') {
        return None;
    }
    let mut value: i128 = 0;
    for c in digits.chars() {
        if c == '_' {
            continue;
        }
        let d = c.to_digit(radix)? as i128;
        value = value.checked_mul(radix as i128)?.checked_add(d)?;
        if value > i64::MAX as i128 + 1 {
            return None;
        }
    }
    let value = if negative { -value } else { value };
    i64::try_from(value).ok()
}

fn resolve_float(text: &str) -> Option<f64> {
    match text {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        _ => {}
    }
    // [-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?
    let bytes = text.as_bytes();
    let mut i = 0;
    if matches!(bytes.first(), Some(b'-' | b'+')) {
        i += 1;
    }
    let mantissa_start = i;
    let mut digits = 0;
    while i < bytes.len() && (bytes[i].is_ascii_digit() || (bytes[i] == b'_' && digits > 0)) {
        digits += 1;
        i += 1;
    }
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'_') {
            digits += 1;
            i += 1;
        }
    }
    if digits == 0 || i == mantissa_start {
        return None;
    }
    if i < bytes.len() && matches!(bytes[i], b'e' | b'E') {
        i += 1;
        if matches!(bytes.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exp_start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == exp_start {
            return None;
        }
    }
    if i != bytes.len() {
        return None;
    }
    text.replace('_', "").parse().ok()
}

impl Node {
    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The entry with this key, if this node is a mapping that has it.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?
            .iter()
            .find(|e| e.key.as_scalar().is_some_and(|s| s.text == key))
    }

    /// The value under `key`, if this node is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// True for an explicit or implicit YAML null (`~`, `null`, nothing at all).
    pub fn is_null(&self) -> bool {
        self.as_scalar()
            .is_some_and(|s| s.resolve() == Resolved::Null)
    }

    /// A short description of the node's type, for messages: `string "3"`, `mapping`, `sequence`.
    pub fn describe(&self) -> String {
        match &self.value {
            Value::Scalar(s) => match s.resolve() {
                Resolved::Str(t) => format!("string {}", quote_short(t)),
                Resolved::Null => "null".to_string(),
                other => format!("{} {}", other.type_name(), s.text),
            },
            Value::Seq(_) => "a list".to_string(),
            Value::Map(_) => "a mapping".to_string(),
        }
    }

    /// Number of nodes in this tree (itself included), keys counted.
    fn count(&self) -> usize {
        match &self.value {
            Value::Scalar(_) => 1,
            Value::Seq(items) => 1 + items.iter().map(Node::count).sum::<usize>(),
            Value::Map(entries) => {
                1 + entries
                    .iter()
                    .map(|e| e.key.count() + e.value.count())
                    .sum::<usize>()
            }
        }
    }
}

/// `"text"` shortened to 40 characters for messages.
pub fn quote_short(text: &str) -> String {
    let mut short: String = text.chars().take(40).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    format!("{short:?}")
}

/// One `---`-separated document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The root node; an empty document has a null scalar root.
    pub root: Node,
    /// From the document's first character (or its `---`) to its end.
    pub span: Span,
}

/// The result of parsing a text: the documents read up to the first syntax error, and the problems.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parsed {
    pub documents: Vec<Document>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parse a (multi-document) YAML text. Never panics; documents complete before a syntax error are
/// kept, so the learner still gets findings about them.
pub fn parse(text: &str) -> Parsed {
    if let Some(problem) = refuse_input(text) {
        return Parsed {
            documents: Vec::new(),
            diagnostics: vec![problem],
        };
    }
    let mut parsed = fast::read(text).unwrap_or_else(|| read_with_saphyr(text));
    clamp_to_text(text, &mut parsed);
    parsed
}

/// Read a text with `saphyr-parser`, the complete YAML 1.2 parser: everything [`fast::read`] does
/// not take (anchors, tags, multi-line flow collections …) and every text with a syntax error.
fn read_with_saphyr(text: &str) -> Parsed {
    let mut builder = TreeBuilder::default();
    for event in Parser::new_from_str(text) {
        let outcome = match event {
            Ok((event, span)) => match Event::from_saphyr(event) {
                Some(event) => builder.event(event, span.start.into(), span.end.into()),
                None => Ok(()),
            },
            Err(e) => Err(Box::new(scan_error(&e, builder.documents.len()))),
        };
        if let Err(problem) = outcome {
            builder.diagnostics.push(*problem);
            break;
        }
    }
    builder.into_parsed()
}

/// Both readers' output before [`clamp_to_text`]; for the differential tests of [`fast`].
#[doc(hidden)]
pub fn read_raw(text: &str, fast_only: bool) -> Option<Parsed> {
    if refuse_input(text).is_some() {
        return None;
    }
    if fast_only {
        fast::read(text)
    } else {
        Some(read_with_saphyr(text))
    }
}

/// A position in the text: byte index (only compared, never sliced with), 1-based line, 0-based
/// column in characters, as saphyr-parser counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mark {
    index: usize,
    line: usize,
    col: usize,
}

impl From<saphyr_parser::Marker> for Mark {
    fn from(m: saphyr_parser::Marker) -> Mark {
        Mark {
            index: m.index(),
            line: m.line(),
            col: m.col(),
        }
    }
}

/// What the tree builder is told, by either reader. Anchors are numbered from 1 (0: none).
enum Event<'t> {
    DocumentStart,
    DocumentEnd,
    Scalar {
        text: Cow<'t, str>,
        style: Style,
        anchor: usize,
        tag: Option<String>,
    },
    SequenceStart(usize),
    MappingStart(usize),
    /// The end of the innermost open sequence or mapping.
    End,
    Alias(usize),
}

impl<'t> Event<'t> {
    fn from_saphyr(event: saphyr_parser::Event<'t>) -> Option<Event<'t>> {
        use saphyr_parser::Event as E;
        Some(match event {
            E::StreamStart | E::StreamEnd | E::Nothing => return None,
            E::DocumentStart(_) => Event::DocumentStart,
            E::DocumentEnd => Event::DocumentEnd,
            E::Scalar(text, style, anchor, tag) => Event::Scalar {
                text,
                style: match style {
                    ScalarStyle::Plain => Style::Plain,
                    ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => Style::Quoted,
                    _ => Style::Block,
                },
                anchor,
                tag: tag.map(|t| t.suffix.clone()),
            },
            E::SequenceStart(anchor, _) => Event::SequenceStart(anchor),
            E::MappingStart(anchor, _) => Event::MappingStart(anchor),
            E::SequenceEnd | E::MappingEnd => Event::End,
            E::Alias(id) => Event::Alias(id),
        })
    }
}

/// The parser reports end-of-input positions one line past a text without a final newline;
/// move every span inside the text so editors and carets can always show it.
fn clamp_to_text(text: &str, parsed: &mut Parsed) {
    // With a final line break every position the parser reports is on a real line; only the
    // syntax errors need checking then, which spares a pass over every node of a normal text.
    let unterminated = !text.ends_with(['\n', '\r']);
    if !unterminated && parsed.diagnostics.is_empty() {
        return;
    }
    let lines = LineLengths::of(text);
    for d in &mut parsed.diagnostics {
        d.span = lines.clamp(d.span);
    }
    if !unterminated {
        return;
    }
    for doc in &mut parsed.documents {
        doc.span = lines.clamp(doc.span);
        clamp_node(&mut doc.root, &lines);
    }
}

/// Recursion is bounded by [`MAX_DEPTH`].
fn clamp_node(node: &mut Node, lines: &LineLengths) {
    node.span = lines.clamp(node.span);
    match &mut node.value {
        Value::Scalar(_) => {}
        Value::Seq(items) => items.iter_mut().for_each(|n| clamp_node(n, lines)),
        Value::Map(entries) => entries.iter_mut().for_each(|e| {
            clamp_node(&mut e.key, lines);
            clamp_node(&mut e.value, lines);
        }),
    }
}

/// Length in characters of each line, as YAML breaks lines (`\n`, `\r\n`, lone `\r`).
struct LineLengths(Vec<u32>);

impl LineLengths {
    fn of(text: &str) -> LineLengths {
        let mut lengths = Vec::new();
        let mut current = 0u32;
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\n' => {
                    lengths.push(current);
                    current = 0;
                }
                '\r' => {
                    if chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    lengths.push(current);
                    current = 0;
                }
                _ => current += 1,
            }
        }
        lengths.push(current);
        LineLengths(lengths)
    }

    /// The same range, moved inside the text: lines within the text, columns at most one past
    /// the end of their line, and the end not before the start.
    fn clamp(&self, span: Span) -> Span {
        let last = self.0.len() as u32;
        let line = span.line.clamp(1, last);
        let len = self.0[(line - 1) as usize];
        let column = if span.line > last {
            len + 1
        } else {
            span.column.clamp(1, len + 1)
        };
        let end_line = span.end_line.clamp(line, last);
        let end_len = self.0[(end_line - 1) as usize];
        let mut end_column = if span.end_line > last {
            end_len + 1
        } else {
            span.end_column.clamp(1, end_len + 1)
        };
        if end_line == line && end_column < column {
            end_column = column;
        }
        Span::new(line, column, end_line, end_column)
    }
}

/// Inputs refused before parsing: too big, or binary.
fn refuse_input(text: &str) -> Option<Diagnostic> {
    if text.len() > MAX_INPUT_BYTES {
        return Some(
            Diagnostic::new(
                Severity::Error,
                CODE,
                format!(
                    "input is {} bytes; the limit is {} bytes (1 MiB)",
                    text.len(),
                    MAX_INPUT_BYTES
                ),
            )
            .at("", Span::point(1, 1))
            .with_help("split the manifests into smaller files"),
        );
    }
    let nul = text.find('\0')?;
    let before = &text[..nul];
    let line = before.matches('\n').count() as u32 + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
    Some(
        Diagnostic::new(
            Severity::Error,
            CODE,
            "input is not text: it contains a NUL byte (is this a binary file?)",
        )
        .at("", Span::point(line, column)),
    )
}

fn scan_error(e: &ScanError, document: usize) -> Diagnostic {
    Diagnostic::new(Severity::Error, CODE, e.info().to_string())
        .at("", point((*e.marker()).into()))
        .in_document(document)
}

/// A mark (1-based line, 0-based column) as a one-character span.
fn point(mark: Mark) -> Span {
    Span::point(mark.line.max(1) as u32, mark.col as u32 + 1)
}

fn span(start: Mark, end: Mark) -> Span {
    let start_line = start.line.max(1) as u32;
    let (end_line, end_column) = if end.index <= start.index {
        (start_line, start.col as u32 + 2)
    } else {
        (end.line.max(1) as u32, end.col as u32 + 1)
    };
    Span::new(start_line, start.col as u32 + 1, end_line, end_column)
}

/// A collection being filled while its events arrive.
enum Frame {
    Seq {
        start: Mark,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        start: Mark,
        anchor: usize,
        entries: Vec<Entry>,
        key: Option<Node>,
        keys: KeyIndex,
    },
}

/// Finds an earlier key of a mapping: a scan while the mapping is small, a hash index once it
/// grows, so a mapping with thousands of keys is still checked for duplicates in linear time.
#[derive(Default)]
struct KeyIndex {
    index: HashMap<String, Span>,
}

impl KeyIndex {
    const INDEX_FROM: usize = 8;

    fn find(&mut self, entries: &[Entry], text: &str) -> Option<Span> {
        if entries.len() < Self::INDEX_FROM {
            return entries
                .iter()
                .find(|e| e.key.as_scalar().is_some_and(|s| s.text == text))
                .map(|e| e.key.span);
        }
        if self.index.is_empty() {
            for e in entries {
                self.add(e);
            }
        }
        self.index.get(text).copied()
    }

    fn add(&mut self, entry: &Entry) {
        if let Some(s) = entry.key.as_scalar() {
            self.index.entry(s.text.clone()).or_insert(entry.key.span);
        }
    }

    /// Record a new entry (only needed once the index is in use).
    fn added(&mut self, entry: &Entry) {
        if !self.index.is_empty() {
            self.add(entry);
        }
    }
}

/// Turns the parser's event stream into trees with an explicit stack (no recursion, so nesting
/// depth is only bounded by [`MAX_DEPTH`]).
#[derive(Default)]
struct TreeBuilder {
    documents: Vec<Document>,
    diagnostics: Vec<Diagnostic>,
    stack: Vec<Frame>,
    root: Option<Node>,
    document_start: Option<Mark>,
    /// Anchored nodes by anchor id, with their node count (lookup only; never iterated).
    anchors: HashMap<usize, (Node, usize)>,
    /// Nodes copied by aliases so far.
    alias_nodes: usize,
}

impl TreeBuilder {
    fn event(&mut self, event: Event<'_>, start: Mark, end: Mark) -> Result<(), Box<Diagnostic>> {
        match event {
            Event::DocumentStart => {
                self.document_start = Some(start);
                self.root = None;
                self.anchors.clear();
                Ok(())
            }
            Event::DocumentEnd => {
                self.finish_document(end);
                Ok(())
            }
            Event::Scalar {
                text,
                style,
                anchor,
                tag,
            } => {
                let node = Node {
                    value: Value::Scalar(Scalar {
                        text: text.into_owned(),
                        style,
                        tag,
                    }),
                    span: span(start, end),
                };
                self.remember(anchor, &node, 1);
                self.complete(node)
            }
            Event::SequenceStart(anchor) => self.open(
                Frame::Seq {
                    start,
                    anchor,
                    items: Vec::new(),
                },
                start,
            ),
            Event::MappingStart(anchor) => self.open(
                Frame::Map {
                    start,
                    anchor,
                    entries: Vec::new(),
                    key: None,
                    keys: KeyIndex::default(),
                },
                start,
            ),
            Event::End => self.close(end),
            Event::Alias(id) => self.alias(id, start, end),
        }
    }

    fn open(&mut self, frame: Frame, start: Mark) -> Result<(), Box<Diagnostic>> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.refusal(
                format!("nesting is deeper than {MAX_DEPTH} levels"),
                start,
                "no Kubernetes object nests this deep; check the indentation or brackets",
            ));
        }
        self.stack.push(frame);
        Ok(())
    }

    fn close(&mut self, end: Mark) -> Result<(), Box<Diagnostic>> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let (node, anchor) = match frame {
            Frame::Seq {
                start,
                anchor,
                items,
            } => {
                let end_span = items.last().map(|n| n.span);
                let node = Node {
                    value: Value::Seq(items),
                    span: collection_span(start, end, end_span),
                };
                (node, anchor)
            }
            Frame::Map {
                start,
                anchor,
                entries,
                ..
            } => {
                let end_span = entries.last().map(|e| e.value.span);
                let entries = apply_merge_keys(entries);
                let node = Node {
                    value: Value::Map(entries),
                    span: collection_span(start, end, end_span),
                };
                (node, anchor)
            }
        };
        if anchor != 0 {
            let size = node.count();
            self.remember(anchor, &node, size);
        }
        self.complete(node)
    }

    fn alias(&mut self, id: usize, start: Mark, end: Mark) -> Result<(), Box<Diagnostic>> {
        let Some(size) = self.anchors.get(&id).map(|(_, size)| *size) else {
            return Err(self.refusal("unknown anchor referenced by alias".to_string(), start, ""));
        };
        // Check the budget before copying, so a huge expansion is refused without being built.
        self.count_alias_nodes(size, start)?;
        let Some((node, _)) = self.anchors.get(&id) else {
            return Ok(());
        };
        let mut copy = node.clone();
        copy.span = span(start, end);
        self.complete(copy)
    }

    fn count_alias_nodes(&mut self, n: usize, at: Mark) -> Result<(), Box<Diagnostic>> {
        self.alias_nodes = self.alias_nodes.saturating_add(n);
        if self.alias_nodes > MAX_ALIAS_NODES {
            return Err(self.refusal(
                format!(
                    "aliases in this text expand to more than {MAX_ALIAS_NODES} YAML nodes; \
                     refusing to expand them"
                ),
                at,
                "this looks like a \"billion laughs\" document; write the values out instead of \
                 nesting aliases",
            ));
        }
        Ok(())
    }

    fn remember(&mut self, anchor: usize, node: &Node, size: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), size));
        }
    }

    fn refusal(&self, message: String, at: Mark, help: &str) -> Box<Diagnostic> {
        Box::new(
            Diagnostic::new(Severity::Error, CODE, message)
                .at("", point(at))
                .in_document(self.documents.len())
                .with_help(help),
        )
    }

    /// A node is complete: put it into the collection being built, or make it the document root.
    fn complete(&mut self, node: Node) -> Result<(), Box<Diagnostic>> {
        let document = self.documents.len();
        match self.stack.last_mut() {
            None => {
                self.root = Some(node);
                Ok(())
            }
            Some(Frame::Seq { items, .. }) => {
                items.push(node);
                Ok(())
            }
            Some(Frame::Map {
                entries, key, keys, ..
            }) => match key.take() {
                None => {
                    *key = Some(node);
                    Ok(())
                }
                Some(k) => {
                    let duplicate = match k.as_scalar() {
                        Some(s) if s.text != "<<" => keys.find(entries, &s.text),
                        _ => None,
                    };
                    if let Some(first) = duplicate {
                        let name = k.as_scalar().map(|s| s.text.as_str()).unwrap_or_default();
                        self.diagnostics.push(
                            Diagnostic::new(
                                Severity::Error,
                                CODE,
                                format!(
                                    "mapping key {name:?} already defined at line {}",
                                    first.line
                                ),
                            )
                            .at("", k.span)
                            .in_document(document)
                            .with_help(format!(
                                "a key may appear once per mapping; delete one of the two \
                                 {name:?} lines (the API server would reject the whole document)"
                            )),
                        );
                        return Ok(());
                    }
                    let entry = Entry {
                        key: k,
                        value: node,
                    };
                    keys.added(&entry);
                    entries.push(entry);
                    Ok(())
                }
            },
        }
    }

    fn into_parsed(self) -> Parsed {
        Parsed {
            documents: self.documents,
            diagnostics: self.diagnostics,
        }
    }

    fn finish_document(&mut self, end: Mark) {
        let start = self.document_start.take().unwrap_or(end);
        let root = self.root.take().unwrap_or(Node {
            value: Value::Scalar(Scalar {
                text: String::new(),
                style: Style::Plain,
                tag: None,
            }),
            span: span(start, start),
        });
        self.documents.push(Document {
            root,
            span: span(start, end),
        });
    }
}

fn collection_span(start: Mark, end: Mark, last_child: Option<Span>) -> Span {
    let mut s = span(start, end);
    // Block collections end at the next token, which may be lines later (after comments); end
    // them at their last child instead.
    if let Some(last) = last_child {
        s.end_line = last.end_line;
        s.end_column = last.end_column;
    }
    s
}

/// YAML 1.1 merge keys (`<<: *defaults`), which go-yaml v2 and so `kubectl` honour: entries of the
/// merged mapping(s) are added unless the mapping sets the key itself.
fn apply_merge_keys(entries: Vec<Entry>) -> Vec<Entry> {
    let is_merge = |e: &Entry| {
        e.key
            .as_scalar()
            .is_some_and(|s| s.text == "<<" && s.style == Style::Plain)
    };
    if !entries.iter().any(is_merge) {
        return entries;
    }
    let (merges, mut own): (Vec<Entry>, Vec<Entry>) = entries.into_iter().partition(is_merge);
    let key_text = |e: &Entry| e.key.as_scalar().map(|s| s.text.clone());
    let mut present: std::collections::HashSet<String> = own.iter().filter_map(key_text).collect();
    for merge in merges {
        let sources: Vec<Node> = match merge.value.value {
            Value::Map(_) => vec![merge.value],
            Value::Seq(items) => items,
            Value::Scalar(_) => Vec::new(),
        };
        for source in sources {
            if let Value::Map(inherited) = source.value {
                for entry in inherited {
                    let is_new = key_text(&entry).is_none_or(|text| present.insert(text));
                    if is_new {
                        own.push(entry);
                    }
                }
            }
        }
    }
    own
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Node {
        let parsed = parse(text);
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        parsed.documents.into_iter().next().unwrap().root
    }

    #[test]
    fn keys_and_values_have_one_based_spans() {
        let root = one("a: 1\nbb:\n  c: hello\n");
        let entry = root.entry("bb").unwrap();
        assert_eq!(entry.key.span, Span::new(2, 1, 2, 3));
        let c = entry.value.entry("c").unwrap();
        assert_eq!(c.key.span, Span::new(3, 3, 3, 4));
        assert_eq!(c.value.span, Span::new(3, 6, 3, 11));
    }

    #[test]
    fn plain_scalars_resolve_like_kubectl() {
        let root = one("a: yes\nb: 0755\nc: '3'\nd: 1e3\ne: ~\nf: 12\ng: abc\n");
        let r = |k: &str| root.get(k).unwrap().as_scalar().unwrap().resolve();
        assert_eq!(r("a"), Resolved::Bool(true));
        assert_eq!(r("b"), Resolved::Int(0o755));
        assert_eq!(r("c"), Resolved::Str("3"));
        assert_eq!(r("d"), Resolved::Float(1000.0));
        assert_eq!(r("e"), Resolved::Null);
        assert_eq!(r("f"), Resolved::Int(12));
        assert_eq!(r("g"), Resolved::Str("abc"));
    }

    #[test]
    fn duplicate_key_is_reported_at_the_second_key() {
        let parsed = parse("spec:\n  restartPolicy: Never\n  restartPolicy: OnFailure\n");
        assert_eq!(parsed.diagnostics.len(), 1);
        let d = &parsed.diagnostics[0];
        assert_eq!(d.span.line, 3);
        assert_eq!(d.span.column, 3);
        assert_eq!(
            d.message,
            "mapping key \"restartPolicy\" already defined at line 2"
        );
    }

    #[test]
    fn duplicates_are_found_in_large_mappings_too() {
        let mut text: String = (0..20).map(|i| format!("k{i}: v\n")).collect();
        text.push_str("k3: again\nk19: again\n");
        let parsed = parse(&text);
        let lines: Vec<u32> = parsed.diagnostics.iter().map(|d| d.span.line).collect();
        assert_eq!(lines, vec![21, 22]);
        assert!(parsed.diagnostics[1]
            .message
            .ends_with("already defined at line 20"));
    }

    #[test]
    fn documents_are_split_and_syntax_errors_have_positions() {
        let parsed = parse("a: 1\n---\nb: [1, 2\n");
        assert_eq!(parsed.documents.len(), 1);
        assert_eq!(parsed.diagnostics.len(), 1);
        assert_eq!(parsed.diagnostics[0].document, 1);
        assert!(parsed.diagnostics[0].span.line >= 3);
    }

    #[test]
    fn billion_laughs_is_refused_quickly() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, \
                 *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let started = std::time::Instant::now();
        let parsed = parse(&text);
        // The bound is 100 ms in release builds; debug builds get ten times the room.
        let limit = if cfg!(debug_assertions) { 1000 } else { 100 };
        assert!(started.elapsed().as_millis() < limit);
        assert_eq!(parsed.diagnostics.len(), 1);
        assert!(parsed.diagnostics[0]
            .message
            .contains("expand to more than 10000"));
    }

    #[test]
    fn deep_nesting_and_binary_and_huge_input_are_refused() {
        let deep = "[".repeat(200);
        let parsed = parse(&deep);
        assert_eq!(parsed.diagnostics.len(), 1);

        let nested: String = (0..100).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        let parsed = parse(&nested);
        assert!(parsed.diagnostics[0].message.contains("deeper than 64"));

        let parsed = parse("a: 1\nb: \0\n");
        assert_eq!(parsed.diagnostics[0].span.line, 2);
        assert!(parsed.diagnostics[0].message.contains("NUL"));

        let huge = "a: b\n".repeat(MAX_INPUT_BYTES / 5 + 1);
        let parsed = parse(&huge);
        assert!(parsed.diagnostics[0]
            .message
            .contains("the limit is 1048576 bytes"));
    }

    #[test]
    fn merge_keys_fill_in_missing_entries() {
        let root = one("base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\n");
        let used = root.get("use").unwrap();
        assert_eq!(used.get("x").unwrap().as_scalar().unwrap().text, "1");
        assert_eq!(used.get("y").unwrap().as_scalar().unwrap().text, "3");
    }
}
