//! The YAML editor: a plain `<textarea>` (so typing, selection, undo, IME and screen readers behave as
//! the browser makes them) laid exactly over two `<pre>` layers — the highlighted text and the
//! diagnostics' underlines — with line numbers and gutter markers beside it, and the list of
//! diagnostics under it. The textarea grows with its text, so the layers never need scroll syncing.

use crate::highlight;
use crate::overlay;
use crate::text_edit::{self, Edited};
use batchlab_core::diag::{Diagnostic, Severity};
use std::cell::Cell;
use std::rc::Rc;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// A prefix for element ids, unique on the page.
    pub id: AttrValue,
    /// The accessible name ("Manifest for exercise …").
    pub label: AttrValue,
    pub value: AttrValue,
    pub on_change: Callback<String>,
    pub diagnostics: Rc<Vec<Diagnostic>>,
    /// False while the text has not been checked yet.
    #[prop_or(true)]
    pub checked: bool,
}

#[function_component(YamlEditor)]
pub fn yaml_editor(props: &EditorProps) -> Html {
    let textarea = use_node_ref();
    let caret_line = use_state_eq(|| 0u32);
    // Esc, then Tab, leaves the editor (otherwise Tab indents): a keyboard user is never trapped.
    let tab_leaves = use_memo((), |_| Rc::new(Cell::new(false)));
    let text = props.value.as_str();
    let line_count = text.split('\n').count();
    let widest = text
        .split('\n')
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0);

    let highlighted = use_memo(props.value.clone(), |v| highlight::to_html(v));
    let underlines = use_memo(
        (props.value.clone(), props.diagnostics.clone()),
        |(v, d)| overlay::underlines(v, d),
    );
    let marked_lines = use_memo(props.diagnostics.clone(), |d| overlay::by_line(d));

    let on_input = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            on_change.emit(area.value());
        })
    };
    let track_caret = {
        let caret_line = caret_line.clone();
        let textarea = textarea.clone();
        Callback::from(move |_: ()| {
            if let Some(area) = textarea.cast::<HtmlTextAreaElement>() {
                let value = area.value();
                let at = area.selection_start().ok().flatten().unwrap_or(0) as usize;
                let byte = text_edit::utf16_to_byte(&value, at);
                caret_line.set(text_edit::byte_to_position(&value, byte).0);
            }
        })
    };
    let on_keydown = {
        let on_change = props.on_change.clone();
        let tab_leaves = tab_leaves.clone();
        Callback::from(move |e: KeyboardEvent| {
            let key = e.key();
            if key == "Escape" {
                tab_leaves.set(true);
                return;
            }
            if key == "Tab" && tab_leaves.replace(false) {
                return;
            }
            tab_leaves.set(false);
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            let edit: fn(&str, usize, usize) -> Edited = match key.as_str() {
                "Tab" if e.shift_key() => text_edit::outdent,
                "Tab" => text_edit::indent,
                "Enter" if !e.shift_key() && !e.ctrl_key() && !e.meta_key() => text_edit::newline,
                _ => return,
            };
            e.prevent_default();
            apply_edit(&area, edit);
            on_change.emit(area.value());
        })
    };
    let caret_messages: Vec<String> = marked_lines
        .iter()
        .find(|(line, _, _)| *line == *caret_line)
        .map(|(_, _, m)| m.clone())
        .unwrap_or_default();

    let list_id = format!("{}-diagnostics", props.id);
    let help_id = format!("{}-keys", props.id);
    let caret_id = format!("{}-caret", props.id);
    let has_errors = props.diagnostics.iter().any(Diagnostic::is_error);
    let size = format!(
        "height: calc({line_count} * var(--code-line) + 2 * var(--code-pad)); width: calc({} * 1ch + 2 * var(--code-pad))",
        widest + 2
    );
    html! {
        <div class="editor" id={props.id.clone()}>
            <div class="editor-frame">
                <div class="gutter" aria-hidden="true">
                    { for (1..=line_count as u32).map(|n| gutter_line(&props.id, n, &marked_lines)) }
                </div>
                <div class="code" style={size.clone()}>
                    <pre class="layer hl" aria-hidden="true">{ Html::from_html_unchecked(AttrValue::from((*highlighted).clone() + "\n")) }</pre>
                    <pre class="layer sq-layer" aria-hidden="true">{ Html::from_html_unchecked(AttrValue::from((*underlines).clone() + "\n")) }</pre>
                    <textarea
                        ref={textarea.clone()}
                        class="layer input"
                        style={size}
                        aria-label={props.label.clone()}
                        aria-describedby={format!("{help_id} {caret_id} {list_id}")}
                        aria-invalid={has_errors.to_string()}
                        spellcheck="false"
                        autocapitalize="off"
                        autocomplete="off"
                        wrap="off"
                        value={props.value.clone()}
                        oninput={on_input}
                        onkeydown={on_keydown}
                        onkeyup={track_caret.reform(|_| ())}
                        onclick={track_caret.reform(|_| ())}
                        onfocus={track_caret.reform(|_| ())}
                    />
                </div>
            </div>
            <p class="editor-keys muted" id={help_id}>
                { "Tab indents by two spaces, Shift+Tab outdents. To leave the editor with the keyboard, press Esc then Tab." }
            </p>
            <p class="caret-diag" id={caret_id} aria-live="polite">
                { for caret_messages.iter().map(|m| html! { <span>{ format!("Line {}: {m}", *caret_line) }</span> }) }
            </p>
            <DiagnosticList id={list_id} diagnostics={props.diagnostics.clone()} textarea={textarea} checked={props.checked} />
        </div>
    }
}

/// Replace the textarea's text and selection with what `edit` makes of them.
fn apply_edit(area: &HtmlTextAreaElement, edit: fn(&str, usize, usize) -> Edited) {
    let value = area.value();
    let start = area.selection_start().ok().flatten().unwrap_or(0) as usize;
    let end = area.selection_end().ok().flatten().unwrap_or(0) as usize;
    let (start, end) = (
        text_edit::utf16_to_byte(&value, start.min(end)),
        text_edit::utf16_to_byte(&value, start.max(end)),
    );
    let edited = edit(&value, start, end);
    area.set_value(&edited.text);
    let _ = area.set_selection_range(
        text_edit::byte_to_utf16(&edited.text, edited.start) as u32,
        text_edit::byte_to_utf16(&edited.text, edited.end) as u32,
    );
}

fn gutter_line(id: &str, n: u32, marked: &[(u32, Severity, Vec<String>)]) -> Html {
    let mark = marked.iter().find(|(line, _, _)| *line == n);
    let class = classes!(
        "gutter-line",
        mark.map(|(_, sev, _)| format!("gutter-{}", sev.as_str()))
    );
    html! {
        <div class={class} id={format!("{id}-L{n}")} title={mark.map(|(_, _, m)| m.join("\n"))}>
            if let Some((_, sev, _)) = mark {
                <span class="gutter-mark">{ severity_symbol(*sev) }</span>
            }
            <span class="line-number">{ n }</span>
        </div>
    }
}

/// A symbol per severity, so the gutter does not rely on colour alone.
pub fn severity_symbol(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "✖",
        Severity::Warning => "▲",
        Severity::Info => "ℹ",
    }
}

#[derive(Properties, PartialEq)]
struct ListProps {
    id: String,
    diagnostics: Rc<Vec<Diagnostic>>,
    textarea: NodeRef,
    checked: bool,
}

/// The diagnostics under the editor, errors first; each one moves the caret to its line and column.
#[function_component(DiagnosticList)]
fn diagnostic_list(props: &ListProps) -> Html {
    if !props.checked {
        return html! { <p id={props.id.clone()} class="diag-pending muted" role="status">{ "Checking…" }</p> };
    }
    if props.diagnostics.is_empty() {
        return html! {
            <p id={props.id.clone()} class="diag-none" role="status">{ "No problems found." }</p>
        };
    }
    let errors = props.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = props.diagnostics.len() - errors;
    html! {
        <div class="diag-list">
            <p role="status" class="diag-summary">{ view_summary(errors, warnings) }</p>
            // Errors first (what stops the run), then the reviewer's warnings and notes, each in
            // the order of the text. The list scrolls past a screenful (`.diag-list ul`), so a
            // long review does not push the run off the page.
            <ul id={props.id.clone()}>
                { for props.diagnostics.iter().filter(|d| d.is_error())
                    .chain(props.diagnostics.iter().filter(|d| !d.is_error()))
                    .map(|d| diagnostic_item(d, &props.textarea)) }
            </ul>
        </div>
    }
}

fn view_summary(errors: usize, others: usize) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{}, {}",
        plural(errors, "error", "errors"),
        plural(others, "warning or note", "warnings or notes")
    )
}

fn diagnostic_item(d: &Diagnostic, textarea: &NodeRef) -> Html {
    let (line, column) = (d.span.line.max(1), d.span.column.max(1));
    let go = {
        let textarea = textarea.clone();
        Callback::from(move |_: MouseEvent| move_caret(&textarea, line, column))
    };
    html! {
        <li class={classes!("diag", format!("diag-{}", d.severity.as_str()))}>
            <button type="button" class="diag-go" onclick={go}>
                <span class="diag-sev">{ format!("{} {}", severity_symbol(d.severity), d.severity.as_str()) }</span>
                <span class="diag-pos">{ format!("line {line}, column {column}") }</span>
                if !d.path.is_empty() { <code class="diag-path">{ &d.path }</code> }
                <span class="diag-msg">{ &d.message }</span>
            </button>
            if !d.help.is_empty() { <p class="diag-help">{ &d.help }</p> }
        </li>
    }
}

/// Focus the editor with the caret at a 1-based line and character column, scrolled into view.
pub fn move_caret(textarea: &NodeRef, line: u32, column: u32) {
    let Some(area) = textarea.cast::<HtmlTextAreaElement>() else {
        return;
    };
    let value = area.value();
    let at = text_edit::byte_to_utf16(&value, text_edit::position_to_byte(&value, line, column));
    let _ = area.focus();
    let _ = area.set_selection_range(at as u32, at as u32);
    if let Some(row) = area.closest(".editor").ok().flatten().and_then(|e| {
        e.query_selector(&format!(".gutter-line:nth-child({line})"))
            .ok()
            .flatten()
    }) {
        row.scroll_into_view_with_bool(false);
    }
}
