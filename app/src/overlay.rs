//! Where diagnostics are drawn in the editor: the underline layer (the text in transparent ink, with
//! `<mark>`s at each diagnostic's exact line and column range) and the worst severity per line for
//! the gutter. Pure, so the placement is tested without a browser.

use crate::highlight::escape_into;
use batchlab_core::diag::{Diagnostic, Severity};

/// The underline layer's HTML for `text`: same characters (so it lines up under the textarea), with
/// each diagnostic's range wrapped in `<mark class="sq sq-<severity>">`. An empty or past-the-end
/// range gets a one-space mark so it stays visible.
pub fn underlines(text: &str, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::with_capacity(text.len() + diagnostics.len() * 40);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let number = i as u32 + 1;
        let chars: Vec<char> = line.chars().collect();
        // Severity per character (one extra slot for a mark past the end of the line).
        let mut marks: Vec<Option<Severity>> = vec![None; chars.len() + 1];
        for d in diagnostics {
            let Some((from, to)) = columns_on_line(d, number, chars.len()) else {
                continue;
            };
            for slot in &mut marks[from..to] {
                *slot = (*slot).max(Some(d.severity));
            }
        }
        push_runs(&mut out, &chars, &marks);
    }
    out
}

/// The 0-based character range `[from, to)` a diagnostic covers on line `number`, clamped to the
/// line (`len` characters, plus one slot for the end).
fn columns_on_line(d: &Diagnostic, number: u32, len: usize) -> Option<(usize, usize)> {
    let s = d.span;
    if s.line == 0 || number < s.line || number > s.end_line.max(s.line) {
        return None;
    }
    let from = if number == s.line {
        s.column.max(1) as usize - 1
    } else {
        0
    };
    let to = if number == s.end_line.max(s.line) && s.end_line >= s.line {
        (s.end_column.max(1) as usize - 1).max(from)
    } else {
        len
    };
    let from = from.min(len);
    let to = to.min(len).max(from);
    // An empty range (a point, or past the end) still gets one visible slot.
    Some(if to == from {
        (from, from + 1)
    } else {
        (from, to)
    })
}

fn push_runs(out: &mut String, chars: &[char], marks: &[Option<Severity>]) {
    // The spare slot past the end of the line is drawn (as a space) only when marked.
    let slots = if marks[chars.len()].is_some() {
        chars.len() + 1
    } else {
        chars.len()
    };
    let mut i = 0;
    while i < slots {
        let severity = marks[i];
        let mut j = i;
        while j < slots && marks[j] == severity {
            j += 1;
        }
        let piece: String = (i..j)
            .map(|k| chars.get(k).copied().unwrap_or(' '))
            .collect();
        match severity {
            Some(sev) => {
                out.push_str("<mark class=\"sq sq-");
                out.push_str(sev.as_str());
                out.push_str("\">");
                escape_into(out, &piece);
                out.push_str("</mark>");
            }
            None => escape_into(out, &piece),
        }
        i = j;
    }
}

/// The worst severity on each line that has a diagnostic, as (line, severity, messages), in line
/// order. Diagnostics without a position (line 0) are reported on line 1.
pub fn by_line(diagnostics: &[Diagnostic]) -> Vec<(u32, Severity, Vec<String>)> {
    let mut lines: std::collections::BTreeMap<u32, (Severity, Vec<String>)> = Default::default();
    for d in diagnostics {
        let entry = lines
            .entry(d.span.line.max(1))
            .or_insert((d.severity, Vec::new()));
        entry.0 = entry.0.max(d.severity);
        entry.1.push(d.message.clone());
    }
    lines
        .into_iter()
        .map(|(line, (sev, messages))| (line, sev, messages))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use batchlab_core::diag::Span;

    fn diag(severity: Severity, span: Span) -> Diagnostic {
        Diagnostic::new(severity, "api", "m").at("p", span)
    }

    #[test]
    fn the_underline_covers_exactly_the_span() {
        let text = "kind: Job\nspec:\n  backoffLimit: -1";
        let html = underlines(text, &[diag(Severity::Error, Span::new(3, 17, 3, 19))]);
        assert_eq!(
            html,
            "kind: Job\nspec:\n  backoffLimit: <mark class=\"sq sq-error\">-1</mark>"
        );
    }

    #[test]
    fn a_point_past_the_end_of_a_line_is_still_visible() {
        let html = underlines("a:\nb", &[diag(Severity::Warning, Span::point(1, 3))]);
        assert_eq!(html, "a:<mark class=\"sq sq-warning\"> </mark>\nb");
    }

    #[test]
    fn overlapping_ranges_take_the_worse_severity_and_text_is_unchanged() {
        let text = "abcdef";
        let html = underlines(
            text,
            &[
                diag(Severity::Warning, Span::new(1, 1, 1, 5)),
                diag(Severity::Error, Span::new(1, 3, 1, 4)),
            ],
        );
        assert_eq!(
            html,
            "<mark class=\"sq sq-warning\">ab</mark><mark class=\"sq sq-error\">c</mark><mark class=\"sq sq-warning\">d</mark>ef"
        );
    }

    #[test]
    fn multi_line_spans_underline_each_line() {
        let html = underlines(
            "ab\ncd\nef",
            &[diag(Severity::Error, Span::new(1, 2, 3, 2))],
        );
        assert_eq!(
            html,
            "a<mark class=\"sq sq-error\">b</mark>\n<mark class=\"sq sq-error\">cd</mark>\n<mark class=\"sq sq-error\">e</mark>f"
        );
    }

    #[test]
    fn lines_report_their_worst_severity() {
        let d = [
            diag(Severity::Warning, Span::point(2, 1)),
            diag(Severity::Error, Span::point(2, 4)),
            diag(Severity::Info, Span::default()),
        ];
        let lines = by_line(&d);
        assert_eq!(lines[0].0, 1);
        assert_eq!(lines[1].0, 2);
        assert_eq!(lines[1].1, Severity::Error);
        assert_eq!(lines[1].2.len(), 2);
    }
}
