//! A fast reader for the YAML learners write, in front of saphyr-parser.
//!
//! Manifests use a small part of YAML: block mappings and sequences, plain and quoted scalars on
//! one line, literal and folded block scalars, one-line flow collections (`["sh", "-c"]`,
//! `emptyDir: {}`), comments and `---`. This reader handles exactly that part, line by line over the
//! bytes, borrowing every scalar that needs no unescaping from the text, and feeds the same
//! [`TreeBuilder`](super::TreeBuilder) saphyr-parser's events feed, with the same positions. It is
//! several times faster than saphyr-parser's scanner, which works a character at a time through a
//! look-ahead buffer and allocates a `String` for every plain scalar.
//!
//! Anything outside that part (anchors, aliases, tags, multi-line plain or quoted scalars,
//! multi-line flow collections, explicit `?` keys, tabs, `\r`, a byte order mark, directives,
//! `...`) and anything it is not sure is valid makes [`read`] give up (`None`); the caller then
//! reads the whole text again with saphyr-parser. So every syntax error, with its message and
//! position, still comes from saphyr-parser, and the bounds (depth, aliases) from the builder.
//!
//! The positions reproduce saphyr-parser's marks, quirks included (an indentless sequence starts
//! after its first `- `; a null value is placed at its `:`; a block scalar starts at its first
//! content character and ends where the next token's line begins). `core/tests/yaml_fast.rs`
//! checks, for every manifest and lesson in the repository and for random and mutated texts, that
//! when this reader takes a text it builds exactly the tree saphyr-parser's events build.

use super::{Event, Mark, Parsed, Style, TreeBuilder};
use std::borrow::Cow;
use std::cell::Cell;

/// Why the fast reader stopped: the text is outside what it reads (or the builder refused it).
struct GiveUp;

type Step<T = ()> = Result<T, GiveUp>;

/// Longest simple key saphyr-parser accepts is 1024 characters; stay well inside it.
const MAX_KEY_BYTES: usize = 1000;

/// Read `text` if it lies in the subset; `None` sends the caller to saphyr-parser.
pub(super) fn read(text: &str) -> Option<Parsed> {
    if !is_plain_text(text) {
        return None;
    }
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        line: 1,
        line_start: 0,
        last_mark: Cell::new((0, 0)),
        out: TreeBuilder::default(),
    };
    reader.stream().ok()?;
    Some(reader.out.into_parsed())
}

/// No tab, carriage return or other control character, and none of the characters YAML forbids or
/// treats specially (C1 controls, byte order mark, U+FFFE/U+FFFF): those texts go to saphyr-parser.
fn is_plain_text(text: &str) -> bool {
    let bytes = text.as_bytes();
    // Folds without an early exit, which the compiler vectorises; then, only if a rare lead byte
    // is there at all, a closer look at it.
    let control = bytes.iter().fold(false, |seen, &b| {
        seen | ((b < 0x20) & (b != b'\n')) | (b == 0x7F)
    });
    if control {
        return false;
    }
    let rare_lead = bytes
        .iter()
        .fold(false, |seen, &b| seen | (b == 0xC2) | (b == 0xEF));
    if !rare_lead {
        return true;
    }
    !bytes.windows(3).any(|w| {
        matches!(
            w,
            // U+0080..U+009F are C2 80..C2 9F in UTF-8
            [0xC2, 0x80..=0x9F, _]
            // U+FEFF is EF BB BF; U+FFFE and U+FFFF are EF BF BE and EF BF BF
            | [0xEF, 0xBB, 0xBF]
                | [0xEF, 0xBF, 0xBE | 0xBF]
        )
    }) && !matches!(bytes, [.., 0xC2, 0x80..=0x9F])
}

struct Reader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    /// Byte index of the next byte to read.
    pos: usize,
    /// 1-based line of `pos`.
    line: usize,
    /// Byte index where the line of `pos` starts.
    line_start: usize,
    /// The last position [`Reader::mark`] measured and its column (a cache).
    last_mark: Cell<(usize, usize)>,
    out: TreeBuilder,
}

/// A scalar found on the current line, not yet emitted.
struct Found<'t> {
    text: Cow<'t, str>,
    style: Style,
    start: usize,
    end: usize,
}

impl<'t> Reader<'t> {
    // ---- positions and lines ----

    fn mark(&self, at: usize) -> Mark {
        // Marks on a line are mostly asked for left to right: count characters from the last one.
        let (mut from, mut col) = self.last_mark.get();
        if from < self.line_start || from > at {
            (from, col) = (self.line_start, 0);
        }
        col += self.bytes[from..at]
            .iter()
            .filter(|&&b| b & 0xC0 != 0x80)
            .count();
        self.last_mark.set((at, col));
        Mark {
            index: at,
            line: self.line,
            col,
        }
    }

    /// Where saphyr-parser puts the end of the stream: column 0 of the line after the last one.
    fn eof_mark(&self) -> Mark {
        let len = self.bytes.len();
        let ends_with_break = len == 0 || self.bytes[len - 1] == b'\n';
        let line_of_end = self.line
            + self.bytes[self.line_start..]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
        Mark {
            index: len,
            line: if ends_with_break {
                line_of_end
            } else {
                line_of_end + 1
            },
            col: 0,
        }
    }

    fn byte(&self, at: usize) -> u8 {
        self.bytes.get(at).copied().unwrap_or(b'\n')
    }

    /// End of the current line (the index of its `\n`, or the text's length).
    fn line_end(&self) -> usize {
        self.bytes[self.pos..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.bytes.len(), |i| self.pos + i)
    }

    fn at_eof(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    /// Move to the start of the next line (or to the end of the text).
    fn next_line(&mut self) {
        let end = self.line_end();
        if end < self.bytes.len() {
            self.pos = end + 1;
            self.line += 1;
            self.line_start = self.pos;
        } else {
            self.pos = end;
        }
    }

    fn spaces_from(&self, at: usize) -> usize {
        self.bytes[at..].iter().take_while(|&&b| b == b' ').count()
    }

    /// From the start of a line, skip lines that are blank or only a comment. Returns the indent
    /// of the content line reached (the position stays at its start), or `None` at the end.
    fn skip_blank_lines(&mut self) -> Option<usize> {
        loop {
            if self.at_eof() {
                return None;
            }
            let indent = self.spaces_from(self.pos);
            match self.byte(self.pos + indent) {
                b'\n' | b'#' => self.next_line(),
                _ => return Some(indent),
            }
        }
    }

    /// The rest of the line from `at` is blank or a comment (a `#` after a space).
    fn rest_is_blank(&self, at: usize) -> bool {
        let after = at + self.spaces_from(at);
        match self.byte(after) {
            b'\n' => true,
            b'#' => after == self.line_start || self.bytes[after - 1] == b' ',
            _ => false,
        }
    }

    /// The current line (at its start) is `---` or `...` alone: a document marker.
    fn at_document_marker(&self) -> Option<u8> {
        let b = &self.bytes[self.pos..];
        let is_marker = (b.starts_with(b"---") || b.starts_with(b"..."))
            && matches!(self.byte(self.pos + 3), b' ' | b'\n');
        if is_marker {
            return Some(b[0]);
        }
        None
    }

    fn emit(&mut self, event: Event<'t>, start: Mark, end: Mark) -> Step {
        self.out.event(event, start, end).map_err(|_| GiveUp)
    }

    fn emit_scalar(&mut self, found: Found<'t>) -> Step {
        let (start, end) = (self.mark(found.start), self.mark(found.end));
        let event = Event::Scalar {
            text: found.text,
            style: found.style,
            anchor: 0,
            tag: None,
        };
        self.emit(event, start, end)
    }

    fn emit_null(&mut self, at: Mark) -> Step {
        let event = Event::Scalar {
            text: Cow::Borrowed(""),
            style: Style::Plain,
            anchor: 0,
            tag: None,
        };
        self.emit(event, at, at)
    }

    // ---- documents ----

    fn stream(&mut self) -> Step {
        while let Some(indent) = self.skip_blank_lines() {
            match self.at_document_marker() {
                Some(b'.') => return Err(GiveUp),
                Some(_) => self.explicit_document()?,
                None => {
                    if self.byte(self.pos + indent) == b'%' {
                        return Err(GiveUp);
                    }
                    let start = self.mark(self.pos + indent);
                    self.emit(Event::DocumentStart, start, start)?;
                    self.document_body(indent)?;
                }
            }
        }
        Ok(())
    }

    /// A document starting with `---` (the position is at it).
    fn explicit_document(&mut self) -> Step {
        let (start, end) = (self.mark(self.pos), self.mark(self.pos + 3));
        self.emit(Event::DocumentStart, start, end)?;
        if !self.rest_is_blank(self.pos + 3) {
            return Err(GiveUp); // content after `---` on the same line
        }
        self.next_line();
        match self.skip_blank_lines() {
            None => {
                let at = self.eof_mark();
                self.emit_null(at)?;
                self.emit(Event::DocumentEnd, at, at)
            }
            Some(_) if self.at_document_marker() == Some(b'-') => {
                // The empty root takes the next `---` as its place, as in saphyr-parser.
                let (at, end) = (self.mark(self.pos), self.mark(self.pos + 3));
                let event = Event::Scalar {
                    text: Cow::Borrowed(""),
                    style: Style::Plain,
                    anchor: 0,
                    tag: None,
                };
                self.emit(event, at, end)?;
                self.emit(Event::DocumentEnd, at, end)
            }
            Some(indent) => self.document_body(indent),
        }
    }

    /// The root node (at a content line's start) and the end of the document.
    fn document_body(&mut self, indent: usize) -> Step {
        self.block_node(-1, indent)?;
        match self.skip_blank_lines() {
            None => {
                let at = self.eof_mark();
                self.emit(Event::DocumentEnd, at, at)
            }
            Some(_) if self.at_document_marker() == Some(b'-') => {
                let (start, end) = (self.mark(self.pos), self.mark(self.pos + 3));
                self.emit(Event::DocumentEnd, start, end)
            }
            Some(_) => Err(GiveUp),
        }
    }

    // ---- block collections ----

    /// A node that starts a line (the position is at the line's start, its indent is `indent`),
    /// inside a collection indented `parent`.
    fn block_node(&mut self, parent: isize, indent: usize) -> Step {
        self.pos += indent;
        if self.is_entry(self.pos) {
            self.block_sequence(indent, false)
        } else if self.key_at(self.pos)?.is_some() {
            self.block_mapping(indent)
        } else {
            self.inline_value(parent)
        }
    }

    /// `-` followed by a space or the end of the line: a block sequence entry.
    fn is_entry(&self, at: usize) -> bool {
        self.byte(at) == b'-' && matches!(self.byte(at + 1), b' ' | b'\n')
    }

    fn block_mapping(&mut self, indent: usize) -> Step {
        let start = self.mark(self.pos);
        self.emit(Event::MappingStart(0), start, start)?;
        loop {
            let Some((key, colon)) = self.key_at(self.pos)? else {
                return Err(GiveUp);
            };
            self.emit_scalar(key)?;
            self.pos = colon + 1;
            self.mapping_value(indent, colon)?;
            let Some(next) = self.skip_blank_lines() else {
                break;
            };
            if next < indent || (next == 0 && self.at_document_marker().is_some()) {
                break;
            }
            if next > indent || self.is_entry(self.pos + next) {
                return Err(GiveUp);
            }
            self.pos += next;
        }
        let end = self.mark(self.pos);
        self.emit(Event::End, end, end)
    }

    /// The value after `key:` (the position is just after the colon at `colon`).
    fn mapping_value(&mut self, indent: usize, colon: usize) -> Step {
        self.pos += self.spaces_from(self.pos);
        if !self.rest_is_blank(self.pos) {
            return self.inline_value(indent as isize);
        }
        let null_at = self.mark(colon);
        self.next_line();
        let Some(next) = self.skip_blank_lines() else {
            return self.emit_null(null_at);
        };
        if next == 0 && self.at_document_marker().is_some() {
            return self.emit_null(null_at);
        }
        if next > indent {
            self.block_node(indent as isize, next)
        } else if next == indent && self.is_entry(self.pos + next) {
            self.pos += next;
            self.block_sequence(indent, true)
        } else {
            self.emit_null(null_at)
        }
    }

    /// A block sequence whose first `-` is at the position, in column `indent`. An indentless
    /// sequence is a mapping value whose `-` sit in the mapping's own column.
    fn block_sequence(&mut self, indent: usize, indentless: bool) -> Step {
        let start = if indentless {
            let after = self.pos + 1;
            self.mark(after + self.spaces_from(after))
        } else {
            self.mark(self.pos)
        };
        self.emit(Event::SequenceStart(0), start, start)?;
        loop {
            self.sequence_entry(indent)?;
            let Some(next) = self.skip_blank_lines() else {
                break;
            };
            if next < indent || (next == 0 && self.at_document_marker().is_some()) {
                break;
            }
            if next > indent {
                return Err(GiveUp);
            }
            if !self.is_entry(self.pos + next) {
                if indentless {
                    break;
                }
                return Err(GiveUp);
            }
            self.pos += next;
        }
        let end = self.mark(self.pos);
        self.emit(Event::End, end, end)
    }

    /// One `- item` (the position is at the `-`).
    fn sequence_entry(&mut self, indent: usize) -> Step {
        self.pos += 1;
        self.pos += self.spaces_from(self.pos);
        match self.byte(self.pos) {
            b'\n' => {
                let null_at = self.mark(self.pos);
                self.next_line();
                match self.skip_blank_lines() {
                    Some(next)
                        if next > indent && !(next == 0 && self.at_document_marker().is_some()) =>
                    {
                        self.block_node(indent as isize, next)
                    }
                    _ => self.emit_null(null_at),
                }
            }
            b'#' => Err(GiveUp),
            _ => {
                let column = self.pos - self.line_start;
                if self.bytes[self.line_start..self.pos]
                    .iter()
                    .any(|&b| b >= 0x80)
                {
                    return Err(GiveUp);
                }
                if self.is_entry(self.pos) {
                    self.block_sequence(column, false)
                } else if self.key_at(self.pos)?.is_some() {
                    self.block_mapping(column)
                } else {
                    self.inline_value(indent as isize)
                }
            }
        }
    }

    /// A mapping key starting at `at` on this line: the key and the index of its `:`.
    fn key_at(&self, at: usize) -> Step<Option<(Found<'t>, usize)>> {
        let (key, after) = match self.byte(at) {
            b'"' | b'\'' => {
                let key = self.quoted(at)?;
                let end = key.end;
                (key, end + self.spaces_from(end))
            }
            first => {
                if !plain_may_start(first, self.byte(at + 1)) {
                    return Ok(None);
                }
                let mut i = at;
                loop {
                    match self.byte(i) {
                        b'\n' => return Ok(None),
                        b':' if matches!(self.byte(i + 1), b' ' | b'\n') => break,
                        b' ' if self.byte(i + 1) == b'#' => return Ok(None),
                        _ => i += 1,
                    }
                }
                let end = at + self.text[at..i].trim_end_matches(' ').len();
                let key = Found {
                    text: Cow::Borrowed(&self.text[at..end]),
                    style: Style::Plain,
                    start: at,
                    end,
                };
                (key, i)
            }
        };
        if self.byte(after) != b':' || !matches!(self.byte(after + 1), b' ' | b'\n') {
            return Ok(None);
        }
        if key.end - key.start > MAX_KEY_BYTES {
            return Err(GiveUp);
        }
        Ok(Some((key, after)))
    }

    // ---- scalars and flow collections on one line ----

    /// A value that starts at the position and is not a block collection; moves to the next line.
    /// `parent` is the indent of the collection it belongs to (block scalars are indented more).
    fn inline_value(&mut self, parent: isize) -> Step {
        let first = self.byte(self.pos);
        match first {
            b'|' | b'>' => return self.block_scalar(parent),
            b'"' | b'\'' => {
                let found = self.quoted(self.pos)?;
                self.pos = found.end;
                self.emit_scalar(found)?;
            }
            b'[' | b'{' => self.flow_collection()?,
            _ => {
                if !plain_may_start(first, self.byte(self.pos + 1)) {
                    return Err(GiveUp);
                }
                let start = self.pos;
                let mut i = start;
                loop {
                    match self.byte(i) {
                        b'\n' => break,
                        b':' if matches!(self.byte(i + 1), b' ' | b'\n') => return Err(GiveUp),
                        b' ' if self.byte(i + 1) == b'#' => break,
                        _ => i += 1,
                    }
                }
                let end = start + self.text[start..i].trim_end_matches(' ').len();
                self.pos = end;
                self.emit_scalar(Found {
                    text: Cow::Borrowed(&self.text[start..end]),
                    style: Style::Plain,
                    start,
                    end,
                })?;
            }
        }
        if !self.rest_is_blank(self.pos) {
            return Err(GiveUp);
        }
        self.next_line();
        Ok(())
    }

    /// Where saphyr-parser ends a quoted scalar or a flow collection that closes at `after`: after
    /// the spaces and the comment that follow it.
    fn token_end(&self, after: usize) -> usize {
        let end = after + self.spaces_from(after);
        if self.byte(end) == b'#' && self.bytes[end - 1] == b' ' {
            return self.bytes[end..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(self.bytes.len(), |n| end + n);
        }
        end
    }

    /// A single- or double-quoted scalar that starts at `at` and closes on the same line.
    fn quoted(&self, at: usize) -> Step<Found<'t>> {
        let quote = self.bytes[at];
        let body_start = at + 1;
        let mut i = body_start;
        let mut owned: Option<String> = None;
        let mut copied_to = body_start;
        loop {
            match self.byte(i) {
                b'\n' => return Err(GiveUp),
                b'\'' if quote == b'\'' => {
                    if self.byte(i + 1) != b'\'' {
                        break;
                    }
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(&self.text[copied_to..=i]);
                    i += 2;
                    copied_to = i;
                }
                b'"' if quote == b'"' => break,
                b'\\' if quote == b'"' => {
                    let (unescaped, len) = unescape(&self.bytes[i + 1..]).ok_or(GiveUp)?;
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(&self.text[copied_to..i]);
                    s.push(unescaped);
                    i += 1 + len;
                    copied_to = i;
                }
                _ => i += 1,
            }
        }
        let text = match owned {
            Some(mut s) => {
                s.push_str(&self.text[copied_to..i]);
                Cow::Owned(s)
            }
            None => Cow::Borrowed(&self.text[body_start..i]),
        };
        Ok(Found {
            text,
            style: Style::Quoted,
            start: at,
            end: self.token_end(i + 1),
        })
    }

    /// `[...]` or `{...}` closing on the same line (the position is at the bracket).
    fn flow_collection(&mut self) -> Step {
        let open = self.bytes[self.pos];
        let start = self.mark(self.pos);
        let (event, close) = if open == b'[' {
            (Event::SequenceStart(0), b']')
        } else {
            (Event::MappingStart(0), b'}')
        };
        self.emit(event, start, self.mark(self.pos + 1))?;
        self.pos += 1;
        self.skip_spaces();
        if self.byte(self.pos) != close {
            loop {
                if open == b'{' {
                    let key = self.flow_scalar(true)?;
                    self.emit_scalar(key)?;
                    if self.byte(self.pos) != b':' || self.byte(self.pos + 1) != b' ' {
                        return Err(GiveUp);
                    }
                    self.pos += 1;
                    self.skip_spaces();
                }
                self.flow_item()?;
                self.skip_spaces();
                match self.byte(self.pos) {
                    b',' => {
                        self.pos += 1;
                        self.skip_spaces();
                        if matches!(self.byte(self.pos), b']' | b'}') {
                            return Err(GiveUp); // a trailing comma
                        }
                    }
                    b if b == close => break,
                    _ => return Err(GiveUp),
                }
            }
        }
        let (at, end) = (self.mark(self.pos), self.mark(self.token_end(self.pos + 1)));
        self.pos += 1;
        self.emit(Event::End, at, end)
    }

    fn skip_spaces(&mut self) {
        self.pos += self.spaces_from(self.pos);
    }

    /// One item of a flow collection: a nested collection or a scalar.
    fn flow_item(&mut self) -> Step {
        match self.byte(self.pos) {
            b'[' | b'{' => self.flow_collection(),
            _ => {
                let item = self.flow_scalar(false)?;
                self.emit_scalar(item)
            }
        }
    }

    /// A quoted or plain scalar inside a flow collection; a plain key ends at `: `.
    fn flow_scalar(&mut self, key: bool) -> Step<Found<'t>> {
        let first = self.byte(self.pos);
        if first == b'"' || first == b'\'' {
            let found = self.quoted(self.pos)?;
            self.pos = found.end;
            return Ok(found);
        }
        let next = self.byte(self.pos + 1);
        let is_flow_indicator = |b: u8| matches!(b, b',' | b'[' | b']' | b'{' | b'}');
        if !plain_may_start(first, next) || (b"-?:".contains(&first) && is_flow_indicator(next)) {
            return Err(GiveUp);
        }
        let start = self.pos;
        let mut i = start;
        loop {
            match self.byte(i) {
                b'\n' | b'#' => return Err(GiveUp),
                // Words after a space start new tokens for saphyr-parser; one word only.
                b' ' => {
                    let after = i + self.spaces_from(i);
                    if !is_flow_indicator(self.byte(after)) && self.byte(after) != b':' {
                        return Err(GiveUp);
                    }
                    i = after;
                }
                b',' | b'[' | b']' | b'{' | b'}' => break,
                b':' if key && self.byte(i + 1) == b' ' => break,
                b':' => return Err(GiveUp),
                _ => i += 1,
            }
        }
        let end = start + self.text[start..i].trim_end_matches(' ').len();
        self.pos = i;
        Ok(Found {
            text: Cow::Borrowed(&self.text[start..end]),
            style: Style::Plain,
            start,
            end,
        })
    }

    /// A literal (`|`) or folded (`>`) block scalar; its header is at the position, its content
    /// lines are indented more than `parent`.
    fn block_scalar(&mut self, parent: isize) -> Step {
        if parent < 0 {
            return Err(GiveUp); // a whole document as a block scalar: `---` lines end it
        }
        let folded = self.bytes[self.pos] == b'>';
        self.pos += 1;
        let chomp = match self.byte(self.pos) {
            b'-' => Chomp::Strip,
            b'+' => Chomp::Keep,
            _ => Chomp::Clip,
        };
        if chomp != Chomp::Clip {
            self.pos += 1;
        }
        let after = self.pos + self.spaces_from(self.pos);
        if !(self.byte(after) == b'\n' || (self.byte(after) == b'#' && after > self.pos)) {
            return Err(GiveUp); // an indentation indicator, or text after the header
        }
        self.next_line();
        if self.at_eof() {
            return Err(GiveUp);
        }
        let indent = self.spaces_from(self.pos);
        if self.byte(self.pos + indent) == b'\n' || (indent as isize) <= parent {
            return Err(GiveUp); // leading blank lines, or an empty block scalar
        }
        let start = self.mark(self.pos + indent);
        let mut value = String::new();
        // Line breaks seen since the last content line: folded and chomped once content follows.
        let mut pending_breaks = 0usize;
        let mut any_content = false;
        let end;
        loop {
            if self.at_eof() {
                if self.bytes.last() != Some(&b'\n') {
                    return Err(GiveUp);
                }
                end = self.eof_mark();
                break;
            }
            let spaces = self.spaces_from(self.pos);
            let line_end = self.line_end();
            let blank = self.pos + spaces == line_end;
            if blank && spaces <= indent {
                pending_breaks += 1;
                self.next_line();
                continue;
            }
            if spaces < indent {
                end = self.mark(self.pos + spaces);
                break;
            }
            if folded && spaces > indent {
                return Err(GiveUp); // more-indented lines keep their breaks; not handled here
            }
            if any_content {
                if folded && pending_breaks == 1 {
                    value.push(' ');
                } else {
                    let breaks = if folded {
                        pending_breaks - 1
                    } else {
                        pending_breaks
                    };
                    value.extend(std::iter::repeat_n('\n', breaks));
                }
            } else {
                value.extend(std::iter::repeat_n('\n', pending_breaks));
            }
            value.push_str(&self.text[self.pos + indent..line_end]);
            any_content = true;
            pending_breaks = 1;
            self.next_line();
        }
        match chomp {
            Chomp::Strip => {}
            Chomp::Clip => value.push('\n'),
            Chomp::Keep => value.extend(std::iter::repeat_n('\n', pending_breaks)),
        }
        let event = Event::Scalar {
            text: Cow::Owned(value),
            style: Style::Block,
            anchor: 0,
            tag: None,
        };
        self.emit(event, start, end)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Chomp {
    Strip,
    Clip,
    Keep,
}

/// Can a plain scalar start with `first` (followed by `next`)? Not with an indicator, except
/// `-`, `?` and `:` directly followed by a non-space (`-c`, `:8080`).
fn plain_may_start(first: u8, next: u8) -> bool {
    match first {
        b'-' | b'?' | b':' => !matches!(next, b' ' | b'\n'),
        b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
        | b'"' | b'%' | b'@' | b'`' | b' ' | b'\n' => false,
        _ => true,
    }
}

/// The character a double-quoted escape stands for, and how many bytes after the `\` it used.
fn unescape(after: &[u8]) -> Option<(char, usize)> {
    let simple = match after.first()? {
        b'0' => '\0',
        b'a' => '\x07',
        b'b' => '\x08',
        b't' => '\t',
        b'n' => '\n',
        b'v' => '\x0b',
        b'f' => '\x0c',
        b'r' => '\r',
        b'e' => '\x1b',
        b' ' => ' ',
        b'"' => '"',
        b'/' => '/',
        b'\\' => '\\',
        b'N' => '\u{85}',
        b'_' => '\u{a0}',
        b'L' => '\u{2028}',
        b'P' => '\u{2029}',
        b'x' => return hex_escape(after, 2),
        b'u' => return hex_escape(after, 4),
        b'U' => return hex_escape(after, 8),
        _ => return None,
    };
    Some((simple, 1))
}

fn hex_escape(after: &[u8], digits: usize) -> Option<(char, usize)> {
    let hex = after.get(1..=digits)?;
    let mut code = 0u32;
    for &h in hex {
        code = code * 16 + (h as char).to_digit(16)?;
    }
    Some((char::from_u32(code)?, 1 + digits))
}
