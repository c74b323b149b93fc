//! YAML syntax highlighting, for the editor and for code blocks in lesson prose. A small line-based
//! lexer, not a parser: it only has to colour what a learner types (keys, strings, numbers, comments,
//! list dashes, block scalars), and it never fails — anything it does not recognise stays plain.

/// What a piece of a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Plain,
    Key,
    Str,
    Number,
    /// `true`, `false`, `null`, `~`.
    Literal,
    /// `-`, `:`, `---`, `|`, `>`, flow brackets and commas.
    Punct,
    Comment,
    /// Anchors, aliases and tags: `&a`, `*a`, `!!str`.
    Anchor,
}

impl Kind {
    /// The CSS class (see `static/style.css`, `.tok-*`).
    pub fn class(self) -> &'static str {
        match self {
            Kind::Plain => "",
            Kind::Key => "tok-key",
            Kind::Str => "tok-str",
            Kind::Number => "tok-num",
            Kind::Literal => "tok-lit",
            Kind::Punct => "tok-punct",
            Kind::Comment => "tok-comment",
            Kind::Anchor => "tok-anchor",
        }
    }
}

/// The whole text as HTML (escaped) with `<span class="tok-…">` around coloured pieces, one output
/// line per input line.
pub fn to_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut block = None;
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        for (kind, piece) in tokens(line, &mut block) {
            push_piece(&mut out, kind, piece);
        }
    }
    out
}

fn push_piece(out: &mut String, kind: Kind, piece: &str) {
    if kind == Kind::Plain {
        escape_into(out, piece);
    } else {
        out.push_str("<span class=\"");
        out.push_str(kind.class());
        out.push_str("\">");
        escape_into(out, piece);
        out.push_str("</span>");
    }
}

/// HTML-escape `text` onto `out`.
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

/// The pieces of one line. `block` carries a block scalar (`key: |`) across lines: `Some(indent)`
/// while lines indented deeper than `indent` belong to it.
pub fn tokens<'a>(line: &'a str, block: &mut Option<usize>) -> Vec<(Kind, &'a str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if let Some(parent) = *block {
        if line.trim().is_empty() || indent > parent {
            return vec![(Kind::Str, line)];
        }
        *block = None;
    }
    let mut out = vec![(Kind::Plain, &line[..indent])];
    let mut rest = &line[indent..];
    if rest == "---" || rest == "..." || rest.starts_with("--- ") {
        out.push((Kind::Punct, &rest[..3]));
        rest = &rest[3..];
    }
    while let Some(after) = rest
        .strip_prefix("- ")
        .or(if rest == "-" { Some("") } else { None })
    {
        out.push((Kind::Punct, &rest[..rest.len() - after.len()]));
        rest = after;
    }
    if let Some(colon) = key_end(rest) {
        out.push((Kind::Key, &rest[..colon]));
        out.push((Kind::Punct, ":"));
        rest = &rest[colon + 1..];
    }
    value(rest, indent, block, &mut out);
    out
}

/// Where a mapping key ends (the index of its `:`), if `rest` starts with `key:` followed by a space
/// or the end of the line. Quoted keys are allowed; a `#` first means a comment, not a key.
fn key_end(rest: &str) -> Option<usize> {
    if rest.starts_with('#') || rest.starts_with('[') || rest.starts_with('{') {
        return None;
    }
    let mut quote = None;
    for (i, c) in rest.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if i == 0 => quote = Some(c),
            (None, ':') => {
                let next = rest[i + 1..].chars().next();
                if next.is_none() || next == Some(' ') {
                    return (i > 0).then_some(i);
                }
            }
            (None, '#') if rest[..i].ends_with(' ') => return None,
            _ => {}
        }
    }
    None
}

/// A value after `key:` or `- `, up to an optional trailing comment.
fn value<'a>(
    rest: &'a str,
    indent: usize,
    block: &mut Option<usize>,
    out: &mut Vec<(Kind, &'a str)>,
) {
    let lead = rest.len() - rest.trim_start().len();
    out.push((Kind::Plain, &rest[..lead]));
    let body = &rest[lead..];
    let (content, comment) = split_comment(body);
    let trimmed = content.trim_end();
    let trailing = &content[trimmed.len()..];
    if trimmed.starts_with('|') || trimmed.starts_with('>') {
        *block = Some(indent);
        out.push((Kind::Punct, trimmed));
    } else if trimmed.starts_with('[') || trimmed.starts_with('{') {
        flow(trimmed, out);
    } else if !trimmed.is_empty() {
        out.push((scalar_kind(trimmed), trimmed));
    }
    out.push((Kind::Plain, trailing));
    if !comment.is_empty() {
        out.push((Kind::Comment, comment));
    }
}

/// Split `text` at a `#` that starts a comment (at the start, or after a space, outside quotes).
fn split_comment(text: &str) -> (&str, &str) {
    let mut quote = None;
    let mut prev = ' ';
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if (c == '"' || c == '\'') && (prev == ' ' || prev == '[' || prev == ',') => {
                quote = Some(c)
            }
            None if c == '#' && prev == ' ' => return (&text[..i], &text[i..]),
            None => {}
        }
        prev = c;
    }
    (text, "")
}

/// A flow collection (`["sh", "-c", "echo"]`, `{a: 1}`): brackets and commas as punctuation, items
/// as scalars.
fn flow<'a>(text: &'a str, out: &mut Vec<(Kind, &'a str)>) {
    let mut start = 0;
    let mut quote = None;
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if matches!(c, '[' | ']' | '{' | '}' | ',' | ':') => {
                flow_item(&text[start..i], out);
                out.push((Kind::Punct, &text[i..i + 1]));
                start = i + 1;
            }
            None => {}
        }
    }
    flow_item(&text[start..], out);
}

fn flow_item<'a>(item: &'a str, out: &mut Vec<(Kind, &'a str)>) {
    let trimmed = item.trim();
    if trimmed.is_empty() {
        out.push((Kind::Plain, item));
        return;
    }
    let at = item.find(trimmed).unwrap_or(0);
    out.push((Kind::Plain, &item[..at]));
    out.push((scalar_kind(trimmed), trimmed));
    out.push((Kind::Plain, &item[at + trimmed.len()..]));
}

fn scalar_kind(s: &str) -> Kind {
    if s.starts_with('"') || s.starts_with('\'') {
        Kind::Str
    } else if s.starts_with('&') || s.starts_with('*') || s.starts_with('!') {
        Kind::Anchor
    } else if matches!(
        s,
        "true" | "false" | "True" | "False" | "null" | "Null" | "~"
    ) {
        Kind::Literal
    } else if s.parse::<f64>().is_ok() {
        Kind::Number
    } else {
        Kind::Plain
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(line: &str) -> Vec<(Kind, String)> {
        tokens(line, &mut None)
            .into_iter()
            .filter(|(_, t)| !t.is_empty())
            .map(|(k, t)| (k, t.to_string()))
            .collect()
    }

    #[test]
    fn a_key_value_line() {
        assert_eq!(
            kinds("  backoffLimit: 4 # retries"),
            vec![
                (Kind::Plain, "  ".into()),
                (Kind::Key, "backoffLimit".into()),
                (Kind::Punct, ":".into()),
                (Kind::Plain, " ".into()),
                (Kind::Number, "4".into()),
                (Kind::Plain, " ".into()),
                (Kind::Comment, "# retries".into()),
            ]
        );
    }

    #[test]
    fn list_items_and_flow_sequences() {
        let k = kinds(r#"- command: ["sh", "-c"]"#);
        assert_eq!(k[0], (Kind::Punct, "- ".into()));
        assert_eq!(k[1], (Kind::Key, "command".into()));
        assert!(k.contains(&(Kind::Str, r#""sh""#.into())));
        assert!(k.contains(&(Kind::Punct, "]".into())));
    }

    #[test]
    fn a_colon_inside_a_value_is_not_a_key() {
        let k = kinds("image: busybox:1.36");
        assert_eq!(k[0], (Kind::Key, "image".into()));
        assert_eq!(k[3], (Kind::Plain, "busybox:1.36".into()));
    }

    #[test]
    fn block_scalars_colour_their_lines_as_strings() {
        let html = to_html("args: |\n  echo a # not a comment\nnext: 1");
        assert!(html.contains("<span class=\"tok-str\">  echo a # not a comment</span>"));
        assert!(html.contains("<span class=\"tok-key\">next</span>"));
    }

    #[test]
    fn html_in_the_text_is_escaped_and_text_is_preserved() {
        let text = "a: \"<b>\" # <i>\n- x";
        let html = to_html(text);
        assert!(!html.contains("<b>"));
        let stripped: String = {
            let mut s = String::new();
            let mut in_tag = false;
            for c in html.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => s.push(c),
                    _ => {}
                }
            }
            s.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&")
        };
        assert_eq!(stripped, text);
    }
}
