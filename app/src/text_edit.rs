//! The editor's keyboard editing, as pure functions of (text, selection) so they are tested without a
//! browser: Tab and Shift-Tab indent and outdent by two spaces (YAML forbids tabs), Enter keeps the
//! indentation and adds a level after `key:`. Also the conversions between the browser's UTF-16
//! selection offsets, byte offsets, and the 1-based line/column (in characters) of diagnostics.

/// YAML indentation step used by the editor.
pub const INDENT: &str = "  ";

/// Text with a selection, in byte offsets (`start <= end`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edited {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// Byte offset of the start of the line containing byte `at`.
fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// Tab: with no selection, insert spaces up to the next multiple of two columns; with a selection,
/// indent every line it touches by two spaces, keeping the same lines selected.
pub fn indent(text: &str, start: usize, end: usize) -> Edited {
    if start == end {
        let column = text[line_start(text, start)..start].chars().count();
        let pad = INDENT.len() - column % INDENT.len();
        let mut out = String::with_capacity(text.len() + pad);
        out.push_str(&text[..start]);
        out.push_str(&" ".repeat(pad));
        out.push_str(&text[start..]);
        return Edited {
            text: out,
            start: start + pad,
            end: start + pad,
        };
    }
    map_lines(text, start, end, |line| format!("{INDENT}{line}"))
}

/// Shift-Tab: remove up to two leading spaces from every line the selection touches.
pub fn outdent(text: &str, start: usize, end: usize) -> Edited {
    map_lines(text, start, end, |line| {
        let spaces = line.len() - line.trim_start_matches(' ').len();
        line[spaces.min(INDENT.len())..].to_string()
    })
}

/// Apply `change` to each line touched by `start..end`; the new selection covers the changed lines
/// (or, for a caret, follows it).
fn map_lines(text: &str, start: usize, end: usize, change: impl Fn(&str) -> String) -> Edited {
    let first = line_start(text, start);
    // A selection ending just after a newline does not include the next line.
    let last_at = if end > start && text[..end].ends_with('\n') {
        end - 1
    } else {
        end
    };
    let stop = text[last_at..]
        .find('\n')
        .map_or(text.len(), |i| last_at + i);
    let changed: Vec<String> = text[first..stop].split('\n').map(change).collect();
    let block = changed.join("\n");
    let out = format!("{}{}{}", &text[..first], block, &text[stop..]);
    if start == end {
        let delta = block.len() as isize - (stop - first) as isize;
        let caret = (start as isize + delta).max(first as isize) as usize;
        return Edited {
            text: out,
            start: caret,
            end: caret,
        };
    }
    Edited {
        start: first,
        end: first + block.len(),
        text: out,
    }
}

/// Enter: a new line with the current line's indentation, one level deeper after a line ending in
/// `:` (a mapping whose value follows), and under a list item's content after `- key: value`.
pub fn newline(text: &str, start: usize, end: usize) -> Edited {
    let line = &text[line_start(text, start)..start];
    let spaces = line.len() - line.trim_start_matches(' ').len();
    let content = line.trim();
    let mut depth = spaces;
    if content.starts_with("- ") && content.len() > 2 {
        depth += 2;
    }
    if content.ends_with(':') {
        depth += INDENT.len();
    }
    let insert = format!("\n{}", " ".repeat(depth));
    let out = format!("{}{}{}", &text[..start], insert, &text[end..]);
    let caret = start + insert.len();
    Edited {
        text: out,
        start: caret,
        end: caret,
    }
}

/// Byte offset of a UTF-16 offset (as `selectionStart` gives), clamped to the text.
pub fn utf16_to_byte(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// UTF-16 offset of a byte offset.
pub fn byte_to_utf16(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())].encode_utf16().count()
}

/// Byte offset of a 1-based line and character column, clamped to that line's end (and to the text).
pub fn position_to_byte(text: &str, line: u32, column: u32) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_text = &text[start..text[start..].find('\n').map_or(text.len(), |i| start + i)];
    let col = column.max(1) as usize - 1;
    start
        + line_text
            .char_indices()
            .nth(col)
            .map_or(line_text.len(), |(i, _)| i)
}

/// 1-based line and character column of a byte offset.
pub fn byte_to_position(text: &str, byte: usize) -> (u32, u32) {
    let before = &text[..byte.min(text.len())];
    let line = before.matches('\n').count() as u32 + 1;
    let col = before[line_start(text, before.len())..].chars().count() as u32 + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_at_a_caret_pads_to_the_next_even_column() {
        let e = indent("a:\nb", 3, 3);
        assert_eq!(e.text, "a:\n  b");
        assert_eq!((e.start, e.end), (5, 5));
        let e = indent("a:\n b", 4, 4);
        assert_eq!(e.text, "a:\n  b");
    }

    #[test]
    fn tab_and_shift_tab_on_a_selection_move_whole_lines() {
        let text = "spec:\nx: 1\ny: 2\nz: 3";
        let e = indent(text, 7, 12); // from inside "x" to inside "y"
        assert_eq!(e.text, "spec:\n  x: 1\n  y: 2\nz: 3");
        assert_eq!(&e.text[e.start..e.end], "  x: 1\n  y: 2");
        let back = outdent(&e.text, e.start, e.end);
        assert_eq!(back.text, text);
    }

    #[test]
    fn shift_tab_removes_at_most_two_spaces_and_keeps_the_caret_on_its_line() {
        let e = outdent("a:\n     b", 9, 9);
        assert_eq!(e.text, "a:\n   b");
        assert_eq!(e.start, 7);
        let e = outdent("a:\nb", 4, 4);
        assert_eq!(e.text, "a:\nb");
        assert_eq!(e.start, 4);
    }

    #[test]
    fn enter_keeps_indentation_and_deepens_after_a_colon() {
        let e = newline("  spec:", 7, 7);
        assert_eq!(e.text, "  spec:\n    ");
        let e = newline("    - name: a", 13, 13);
        assert_eq!(e.text, "    - name: a\n      ");
        let e = newline("  a: 1", 6, 6);
        assert_eq!(e.text, "  a: 1\n  ");
    }

    #[test]
    fn offsets_convert_through_non_ascii_text() {
        let text = "a: é\nb: 😀x";
        let x = text.find('x').unwrap();
        assert_eq!(byte_to_utf16(text, x), 10);
        assert_eq!(utf16_to_byte(text, 10), x);
        assert_eq!(byte_to_position(text, x), (2, 5));
        assert_eq!(position_to_byte(text, 2, 5), x);
        assert_eq!(position_to_byte(text, 9, 1), text.len());
        assert_eq!(position_to_byte(text, 1, 99), text.find('\n').unwrap());
    }
}
