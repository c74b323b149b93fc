//! `batchlab validate [FILE ...|-] [--format text|json]`: what `kubectl apply` and a production
//! reviewer would say about manifest files, compiler-style.
//!
//! Text: `file:line:col: severity[code]: path: message`, then the source line with a caret under
//! the offending characters and the help. JSON: `{"diagnostics":[{"file","document","severity",
//! "code","path","line","column","endLine","endColumn","message","help"}]}`, a stable contract.
//! Exit 0 when no file has an error (warnings allowed), 1 when one does, 2 on a usage error or an
//! unreadable file.

use batchlab_core::diag::Diagnostic;
use batchlab_core::lint::LintConfig;
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use super::Format;

/// One input: its display name and its text.
struct Input {
    name: String,
    text: String,
}

fn read_inputs(files: &[PathBuf]) -> Result<Vec<Input>, String> {
    let stdin_only = [PathBuf::from("-")];
    let files = if files.is_empty() {
        &stdin_only[..]
    } else {
        files
    };
    files
        .iter()
        .map(|path| {
            if path.as_os_str() == "-" {
                let mut text = String::new();
                std::io::stdin()
                    .read_to_string(&mut text)
                    .map_err(|e| format!("cannot read standard input: {e}"))?;
                Ok(Input {
                    name: "<stdin>".to_string(),
                    text,
                })
            } else {
                let bytes = std::fs::read(path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                // Binary input is reported by the parser as a diagnostic, not refused here.
                Ok(Input {
                    name: path.display().to_string(),
                    text: String::from_utf8_lossy(&bytes).into_owned(),
                })
            }
        })
        .collect()
}

pub fn run(files: &[PathBuf], format: Format) -> ExitCode {
    let inputs = match read_inputs(files) {
        Ok(inputs) => inputs,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let config = LintConfig::all();
    let results: Vec<(&Input, Vec<Diagnostic>)> = inputs
        .iter()
        .map(|input| {
            (
                input,
                batchlab_core::analyze(&input.text, &config).diagnostics,
            )
        })
        .collect();
    match format {
        Format::Text => print_text(&results),
        Format::Json => print_json(&results),
    }
    let any_error = results
        .iter()
        .flat_map(|(_, d)| d)
        .any(Diagnostic::is_error);
    if any_error {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_text(results: &[(&Input, Vec<Diagnostic>)]) {
    // Indexed by `Severity as usize`: Info, Warning, Error.
    let mut counts = [0usize; 3];
    for (input, diagnostics) in results {
        let lines: Vec<&str> = input.text.lines().collect();
        for d in diagnostics {
            counts[d.severity as usize] += 1;
            println!("{}", render(&input.name, &lines, d));
        }
    }
    let [infos, warnings, errors] = counts;
    println!(
        "{} file(s): {errors} error(s), {warnings} warning(s), {infos} note(s)",
        results.len()
    );
}

/// One diagnostic as a compiler would print it.
fn render(file: &str, lines: &[&str], d: &Diagnostic) -> String {
    let s = d.span;
    let subject = if d.path.is_empty() {
        d.message.clone()
    } else {
        format!("{}: {}", d.path, d.message)
    };
    let mut out = format!(
        "{file}:{}:{}: {}[{}]: {subject}",
        s.line,
        s.column,
        d.severity.as_str(),
        d.code
    );
    if let Some(source) = lines.get((s.line as usize).wrapping_sub(1)) {
        let number = s.line.to_string();
        let gutter = " ".repeat(number.len());
        let width = source.chars().count() as u32;
        let start = s.column.max(1);
        let end = if s.end_line == s.line {
            s.end_column
        } else {
            width + 1
        };
        let carets = end.saturating_sub(start).max(1) as usize;
        out.push_str(&format!("\n{number} | {source}"));
        out.push_str(&format!(
            "\n{gutter} | {}{}",
            " ".repeat((start - 1) as usize),
            "^".repeat(carets)
        ));
    }
    if !d.help.is_empty() {
        out.push_str(&format!("\n  = help: {}", d.help));
    }
    out
}

fn print_json(results: &[(&Input, Vec<Diagnostic>)]) {
    let diagnostics: Vec<serde_json::Value> = results
        .iter()
        .flat_map(|(input, diagnostics)| {
            diagnostics.iter().map(move |d| {
                serde_json::json!({
                    "file": input.name,
                    "document": d.document,
                    "severity": d.severity.as_str(),
                    "code": d.code,
                    "path": d.path,
                    "line": d.span.line,
                    "column": d.span.column,
                    "endLine": d.span.end_line,
                    "endColumn": d.span.end_column,
                    "message": d.message,
                    "help": d.help,
                })
            })
        })
        .collect();
    let out = serde_json::json!({ "diagnostics": diagnostics });
    println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
}
