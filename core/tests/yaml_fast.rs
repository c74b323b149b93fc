//! The fast YAML reader (`core::yaml::fast`) against saphyr-parser, the oracle: whenever the fast
//! reader takes a text, it must build exactly the trees (values, styles, every span) and the
//! diagnostics (duplicate keys) that saphyr-parser's events build. Texts it does not take go to
//! saphyr-parser in production, so they need no check here.
//!
//! Inputs: every manifest fixture, every file and fenced block of the course in `lessons/`,
//! hand-written edge cases, and random and mutated texts.

use batchlab_core::yaml::read_raw;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

/// Compare the two readers on `text`; true if the fast reader took it.
fn same_as_oracle(text: &str) -> bool {
    let Some(fast) = read_raw(text, true) else {
        return false;
    };
    let oracle = read_raw(text, false).expect("not refused");
    if fast != oracle {
        let (f, o) = (format!("{fast:?}"), format!("{oracle:?}"));
        let at = f.bytes().zip(o.bytes()).take_while(|(a, b)| a == b).count();
        let from = at.saturating_sub(300);
        panic!(
            "fast reader differs on {text:?}\n fast: …{}\n saphyr: …{}",
            &f[from..(at + 200).min(f.len())],
            &o[from..(at + 200).min(o.len())]
        );
    }
    true
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The bodies of the fenced blocks (```) of a Markdown text.
fn fenced_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            match current.take() {
                Some(body) => blocks.push(body),
                None => current = Some(String::new()),
            }
        } else if let Some(body) = current.as_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    blocks
}

fn corpus() -> Vec<(String, String)> {
    let mut files = Vec::new();
    files_under(&repository().join("core/tests/fixtures"), &mut files);
    files_under(&repository().join("lessons"), &mut files);
    files.sort();
    let mut texts = Vec::new();
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let name = path.display().to_string();
        if name.ends_with(".md") {
            for (i, block) in fenced_blocks(&text).into_iter().enumerate() {
                texts.push((format!("{name} block {i}"), block));
            }
        }
        texts.push((name, text));
    }
    texts
}

#[test]
fn fast_reader_matches_saphyr_on_every_manifest_and_lesson() {
    let mut taken = 0;
    let corpus = corpus();
    for (_, text) in &corpus {
        if same_as_oracle(text) {
            taken += 1;
        }
    }
    assert!(corpus.len() > 100, "only {} texts found", corpus.len());
    // Most of the corpus is in the subset the fast reader takes; if this drops, it gave up on
    // something common and the speed is gone.
    assert!(
        taken * 10 >= corpus.len() * 7,
        "{taken} of {} texts taken",
        corpus.len()
    );
}

#[test]
fn every_seed_manifest_is_read_by_the_fast_reader() {
    let mut files = Vec::new();
    files_under(&repository().join("core/tests/fixtures/seeds"), &mut files);
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
    {
        let text = std::fs::read_to_string(path).unwrap();
        assert!(same_as_oracle(&text), "not taken: {}", path.display());
    }
}

const EDGE_CASES: &[&str] = &[
    "",
    "\n",
    "# only a comment\n",
    "a: 1",
    "a: 1\n---\n",
    "---\n",
    "---",
    "--- # c\na: 1\n",
    "a: 1\n---\nb: 2\n---\n# end\n",
    "# c\n\n  a: 1\n  b: 2\n",
    "a:\nb: \nc:\n- \n-\n- - x\n  - y\n-   k: v\n    l:\n",
    "a: 1\nbb:\n  c: \"hi\"\n  d:\n  - x\n  - y: z\n    w: [1, \"2\"]\n  e: {}\nf: |\n  lit\n\n  more\ng: >-\n  fold\n  this\n# c\n---\nh: i  # c\n",
    "f: |\n  lit\n\n\n# c\n\ng: x\n",
    "a:\n  args:\n  - |\n    x\n\n  env: 1\n",
    "a: |\n  x",
    "a: |\n  x\n",
    "a: |+\n  x\n\n",
    "a: |-\n  x\n\n\nb: 1\n",
    "a: >\n  x\n  y\n\n  z\n\n\nb: 1\n",
    "a: >+\n  x\n  y\n\n",
    "a: |\n  x\n    indented\n  back\n      \n  end\n",
    "a: | # comment\n  x\n",
    "a:\n  - |\n    x\n  b: 1\n",
    "- a\n- b: c\n  d: e\n- [x, 'y', \"z\"]\n- {k: v, 'q': \"r\"}\n- []\n- {}\n",
    "a: 'it''s'\nb: \"esc \\\" \\n \\t \\\\ \\u00e9 \\x41\"\nc: \"\"\nd: ''\n",
    "\"quoted key\": 1\n'single': 2\n",
    "a : 1\nb  :  2  \n",
    "url: http://x.y:80/z\nc: a:b\nd: a,b [c] {d}\ne: x#y\nf: -1\ng: :x\n",
    "a: b\n  c\n",
    "a: b\n# c\n  d\n",
    "a:\n  b: 1\n c: 2\n",
    "a: 1\na: 2\n",
    "- a\n -b\n",
    "a: [1, 2\n",
    "a: [1, 2,]\n",
    "a: {b: }\n",
    "a: - b\n",
    "a: b: c\n",
    "a:\n  - x\n  y: 1\n",
    "key: \"unterminated\n",
    "é: ü\nname: ✓ ok\n- x\n",
    "a: ✓\nb:\n  ✓: x\n",
    "k: v\n...\n",
    "%YAML 1.2\n---\na: 1\n",
    "a: 1\n--- x\n",
    "a:\n  - b\n  -\n  - c\n",
    "a:\n- b\n-\nc: d\n",
    "a: |\n\n  x\n",
    "a: |\nb: 1\n",
    "a: |2\n   x\n",
    "a: >\n  x\n   y\n  z\n",
    "a:\n  |\n  x\n",
    "a:\n  hello\nb: 2\n",
    "- - - x\n    - y\n  - z\n- w\n",
    "a: [[1, 2], [3, {b: c}]]\n",
    "a: {b: [1, 2], c: {d: e}}\n",
    "a: [a b, c d ]\n",
    "a: [\"x\" , 'y' ]\n",
    "---a: 1\n",
    "- ---\n",
    "a: ---\n",
    "a:\n---\nb:\n",
    "a: 1 # c\n# d\nb: 2\n",
    "a:    \n  b: 1\n",
    "-\n  a: 1\n",
    "a: '#x'\nb: \"#\"\n",
    "a: \"x\"y\n",
    "a: \"x\" # c\n",
    "a: 'x'#c\n",
    "? a\n: b\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "<<: {a: 1}\nb: 2\n",
    "a: \"\\q\"\n",
    "a: \"\\ud800\"\n",
    "a: \"\\x4\"\n",
    "a: x\u{85}y\n",
    "a: \u{feff}x\n",
    "a: x\u{80}",
    "a: \u{a0}x\n",
];

#[test]
fn fast_reader_matches_saphyr_on_edge_cases() {
    let taken = EDGE_CASES.iter().filter(|t| same_as_oracle(t)).count();
    assert!(taken >= EDGE_CASES.len() / 2, "only {taken} taken");
}

fn char_boundary(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

const SEEDS: &[&str] = &[
    include_str!("fixtures/seeds/unit5-05.yaml"),
    include_str!("fixtures/seeds/unit5-08.yaml"),
    include_str!("fixtures/seeds/part21-03-pod-failure-policy.yaml"),
    include_str!("fixtures/seeds/part21-05-indexed.yaml"),
    include_str!("fixtures/seeds/part21-06-cronjob.yaml"),
];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(": ".to_string()),
        Just(":".to_string()),
        Just("- ".to_string()),
        Just("-".to_string()),
        Just("\n".to_string()),
        Just("  ".to_string()),
        Just(" ".to_string()),
        Just("#".to_string()),
        Just(" #".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just(",".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("\\".to_string()),
        Just("---\n".to_string()),
        Just("|\n".to_string()),
        Just(">-\n".to_string()),
        Just("|+".to_string()),
        Just("\n\n".to_string()),
        Just("✓".to_string()),
        "[a-z0-9 :#\\-\\[\\]{},\"'|>\n]{1,8}",
    ]
}

/// A YAML tree to render in the many ways a learner may write it.
#[derive(Debug, Clone)]
enum Tree {
    /// Text and a style choice (plain, quoted, block, flow …).
    Scalar(String, u8),
    Map(Vec<(String, Tree)>, u8),
    Seq(Vec<Tree>, u8),
}

fn tree() -> impl Strategy<Value = Tree> {
    let word = "[a-z0-9✓ :#\\\\\\-'\"]{0,8}";
    let leaf = (word, any::<u8>()).prop_map(|(t, s)| Tree::Scalar(t, s));
    leaf.prop_recursive(5, 40, 5, move |inner| {
        prop_oneof![
            (
                proptest::collection::vec(("[a-z][a-z0-9 ]{0,5}", inner.clone()), 1..5),
                any::<u8>()
            )
                .prop_map(|(e, s)| Tree::Map(e, s)),
            (proptest::collection::vec(inner, 1..4), any::<u8>())
                .prop_map(|(i, s)| Tree::Seq(i, s)),
        ]
    })
}

/// A scalar written on the rest of a line, at a collection indented `indent`.
fn render_scalar(text: &str, style: u8, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent + 2);
    match style % 9 {
        0 | 1 => out.push_str(text),
        2 => out.push_str(&format!("'{}'", text.replace('\'', "''"))),
        3 => out.push_str(&format!(
            "\"{}\"",
            text.replace('\\', "\\\\").replace('"', "\\\"")
        )),
        4 | 5 => {
            let header = ["|", "|-", "|+", ">", ">-", ">+"][(style / 9 % 6) as usize];
            out.push_str(header);
            for line in text.split(' ') {
                out.push('\n');
                if !line.is_empty() {
                    out.push_str(&pad);
                    out.push_str(line);
                }
            }
        }
        6 => out.push_str(&format!(
            "[{}]",
            text.split(' ').collect::<Vec<_>>().join(", ")
        )),
        7 => out.push_str(&format!("{}  # {}", text, text)),
        _ => out.push_str(&format!("{{k: {text}}}")),
    }
    out.push('\n');
    if style > 200 {
        out.push('\n');
    }
}

/// Render `tree` as the value of something already written on the line (a key, or `- `), at a
/// collection indented `indent`.
fn render(tree: &Tree, indent: usize, out: &mut String) {
    match tree {
        Tree::Scalar(text, style) => {
            out.push(' ');
            render_scalar(text, *style, indent, out);
        }
        Tree::Map(entries, style) => {
            out.push('\n');
            let inner = indent + 2 + (*style as usize % 2);
            for (key, value) in entries {
                if style % 7 == 0 {
                    out.push_str(&" ".repeat(inner));
                    out.push_str("# note\n");
                }
                out.push_str(&" ".repeat(inner));
                out.push_str(key);
                out.push(':');
                render(value, inner, out);
            }
        }
        Tree::Seq(items, style) => {
            out.push('\n');
            let inner = if style % 2 == 0 { indent } else { indent + 2 };
            for item in items {
                out.push_str(&" ".repeat(inner));
                out.push('-');
                render(item, inner, out);
            }
        }
    }
}

fn document(trees: &[(String, Tree)]) -> String {
    let mut out = String::new();
    for (i, (key, tree)) in trees.iter().enumerate() {
        if i % 3 == 2 {
            out.push_str("---\n");
        }
        out.push_str(key);
        out.push(':');
        render(tree, 0, &mut out);
    }
    out
}

/// Replace `delete` bytes at `at` (moved to a character boundary) by `insert`, for each edit.
fn edit(mut text: String, edits: &[(usize, usize, String)]) -> String {
    for (at, delete, insert) in edits {
        let start = char_boundary(&text, *at);
        let end = char_boundary(&text, (start + delete).min(text.len())).max(start);
        text = format!("{}{insert}{}", &text[..start], &text[end..]);
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn generated_documents_read_the_same(
        trees in proptest::collection::vec(("[a-z]{1,4}", tree()), 1..6),
        edits in proptest::collection::vec((any::<usize>(), 0usize..4, piece()), 0..3),
    ) {
        same_as_oracle(&edit(document(&trees), &edits));
    }

    #[test]
    fn mutated_manifests_read_the_same(
        which in 0usize..SEEDS.len(),
        edits in proptest::collection::vec((any::<usize>(), 0usize..6, piece()), 1..5),
    ) {
        same_as_oracle(&edit(SEEDS[which].to_string(), &edits));
    }

    #[test]
    fn yaml_shaped_noise_reads_the_same(
        text in "([a-c]{1,3}|: |:|- |-|\n|  | |#|\\[|\\]|\\{|\\}|, |\"|'|\\||>|---\n|✓){0,40}"
    ) {
        same_as_oracle(&text);
    }
}
