//! Bad input never breaks the analyzer: random text and mutated manifests go through
//! parse + validate + lint without panicking, and every finding points inside the text.

use batchlab_core::diag::Diagnostic;
use batchlab_core::lint::LintConfig;
use proptest::prelude::*;
use std::time::{Duration, Instant};

const FIXTURES: &[&str] = &[
    include_str!("fixtures/seeds/unit5-05.yaml"),
    include_str!("fixtures/seeds/unit5-08.yaml"),
    include_str!("fixtures/seeds/part21-03-pod-failure-policy.yaml"),
    include_str!("fixtures/seeds/part21-05-indexed.yaml"),
    include_str!("fixtures/seeds/part21-06-cronjob.yaml"),
];

/// Lines as YAML counts them (`\n`, `\r\n` and a lone `\r` end a line), in characters.
fn line_lengths(text: &str) -> Vec<u32> {
    text.replace("\r\n", "\n")
        .split(['\n', '\r'])
        .map(|l| l.chars().count() as u32)
        .collect()
}

/// Every diagnostic's range starts and ends on a line of the text, within (or just after) it.
fn assert_inside(text: &str, diagnostics: &[Diagnostic]) {
    let lines = line_lengths(text);
    for d in diagnostics {
        let s = d.span;
        let context = || format!("{d:?}\n--- text: {text:?}");
        assert!(
            s.line >= 1 && s.line as usize <= lines.len(),
            "line outside: {}",
            context()
        );
        assert!(
            s.end_line >= s.line && s.end_line as usize <= lines.len(),
            "end line outside: {}",
            context()
        );
        let len = lines[s.line as usize - 1];
        assert!(
            s.column >= 1 && s.column <= len + 1,
            "column outside: {}",
            context()
        );
        let end_len = lines[s.end_line as usize - 1];
        assert!(
            s.end_column >= 1 && s.end_column <= end_len + 2,
            "end column outside: {}",
            context()
        );
        if s.end_line == s.line {
            assert!(s.end_column >= s.column, "inverted span: {}", context());
        }
    }
}

fn check(text: &str) {
    let analysis = batchlab_core::analyze(text, &LintConfig::all());
    assert_inside(text, &analysis.diagnostics);
}

/// One edit of a manifest: delete, insert, duplicate or re-indent a piece.
#[derive(Debug, Clone)]
enum Mutation {
    Delete { at: usize, len: usize },
    Insert { at: usize, piece: String },
    DuplicateLine { line: usize },
    Indent { line: usize, by: i8 },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let piece = prop_oneof![
        Just(": ".to_string()),
        Just("- ".to_string()),
        Just("\n".to_string()),
        Just("  ".to_string()),
        Just("&a ".to_string()),
        Just("*a".to_string()),
        Just("[".to_string()),
        Just("{".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("---\n".to_string()),
        Just("|\n".to_string()),
        Just("-1".to_string()),
        Just("\t".to_string()),
        "[a-zA-Z0-9 :#\\-\\[\\]{}\"'\n]{1,12}",
    ];
    prop_oneof![
        (any::<usize>(), 1usize..40).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<usize>(), piece).prop_map(|(at, piece)| Mutation::Insert { at, piece }),
        any::<usize>().prop_map(|line| Mutation::DuplicateLine { line }),
        (any::<usize>(), -4i8..4).prop_map(|(line, by)| Mutation::Indent { line, by }),
    ]
}

fn char_boundary(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(text: &str, m: &Mutation) -> String {
    match m {
        Mutation::Delete { at, len } => {
            let start = char_boundary(text, *at);
            let end = char_boundary(text, (start + len).min(text.len()));
            let end = end.max(start);
            format!("{}{}", &text[..start], &text[end..])
        }
        Mutation::Insert { at, piece } => {
            let at = char_boundary(text, *at);
            format!("{}{piece}{}", &text[..at], &text[at..])
        }
        Mutation::DuplicateLine { line } => {
            let mut lines: Vec<&str> = text.lines().collect();
            if !lines.is_empty() {
                let i = line % lines.len();
                lines.insert(i, lines[i]);
            }
            lines.join("\n")
        }
        Mutation::Indent { line, by } => {
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            if !lines.is_empty() {
                let i = line % lines.len();
                if *by > 0 {
                    lines[i] = format!("{}{}", " ".repeat(*by as usize), lines[i]);
                } else {
                    let strip = (-*by) as usize;
                    let spaces = lines[i].len() - lines[i].trim_start_matches(' ').len();
                    lines[i] = lines[i][spaces.min(strip)..].to_string();
                }
            }
            lines.join("\n")
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_breaks_the_analyzer(text in "\\PC{0,300}") {
        check(&text);
    }

    #[test]
    fn yaml_shaped_noise_never_breaks_the_analyzer(
        text in "[a-zA-Z0-9 :#\\-\\[\\]{}&*!|>'\"%@,?\n\r\t]{0,400}"
    ) {
        check(&text);
    }

    #[test]
    fn mutated_manifests_never_break_the_analyzer(
        which in 0usize..FIXTURES.len(),
        mutations in proptest::collection::vec(mutation(), 1..6),
    ) {
        let mut text = FIXTURES[which].to_string();
        for m in &mutations {
            text = apply(&text, m);
        }
        check(&text);
    }
}

#[test]
fn hostile_inputs_are_refused_quickly() {
    let mut laughs = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let p = i - 1;
        laughs.push_str(&format!(
            "a{i}: &a{i} [*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p}]\n"
        ));
    }
    let inputs = [
        ("billion laughs", laughs),
        ("deep flow nesting", "[".repeat(100_000)),
        (
            "deep block nesting",
            (0..2000)
                .map(|i| format!("{}- \n", " ".repeat(i)))
                .collect(),
        ),
        ("too big", "a".repeat(2 << 20)),
        ("binary", "apiVersion: v1\n\0\0\0\u{1}garbage".to_string()),
        ("long line", format!("a: {}\n", "x".repeat(1 << 19))),
        (
            "many keys",
            (0..30_000).map(|i| format!("k{i}: v\n")).collect(),
        ),
    ];
    // The 100 ms bound is for optimised builds (measured in `benches/validate.rs`); the YAML
    // scanner alone is about 20x slower unoptimised, so debug test builds get 5 s, which still
    // catches anything quadratic (30 000 keys once took 31 s).
    let limit = Duration::from_millis(if cfg!(debug_assertions) { 5000 } else { 100 });
    for (what, text) in inputs {
        let started = Instant::now();
        let analysis = batchlab_core::analyze(&text, &LintConfig::all());
        let took = started.elapsed();
        assert!(took < limit, "{what}: {took:?}");
        assert!(analysis.has_errors(), "{what}: not refused");
        assert_inside(&text, &analysis.diagnostics);
    }
}
