//! Embeds the course (`lessons/`) into the app at build time, so the site is static files that work
//! offline and a lesson edit reloads the dev server (Trunk watches `lessons/`; this script tells
//! cargo to rebuild when any file there changes).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

// The lesson prose renderer, compiled here rather than into the app: the wasm then carries the
// HTML of the course's prose instead of a Markdown parser (about 66 KB gzip less).
#[path = "src/highlight.rs"]
#[allow(dead_code)]
mod highlight;
#[path = "src/markdown.rs"]
mod markdown;

fn main() {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let lessons = manifest_dir.join("../lessons");
    println!("cargo:rerun-if-changed={}", lessons.display());
    let mut files = Vec::new();
    collect(&lessons, &lessons, &mut files);
    files.sort();
    let mut out =
        String::from("/// Every file of `lessons/`: (path relative to `lessons/`, contents).\n");
    out.push_str("pub static LESSON_FILES: &[(&str, &str)] = &[\n");
    for (rel, abs) in &files {
        println!("cargo:rerun-if-changed={}", abs.display());
        writeln!(
            out,
            "    ({rel:?}, include_str!({:?})),",
            abs.display().to_string()
        )
        .expect("write to String");
    }
    out.push_str("];\n");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo"));
    std::fs::write(out_dir.join("lessons.rs"), out).expect("OUT_DIR is writable");
    std::fs::write(out_dir.join("prose.rs"), prose_table(&lessons)).expect("OUT_DIR is writable");
}

/// Every Markdown text of the course (`Unit::markdown_texts`, loaded as the app loads it) as
/// HTML, keyed by the text's FNV-1a hash and sorted by it for a binary search (`prose.rs`).
fn prose_table(lessons: &Path) -> String {
    use batchlab_core::lesson;
    let read = |file: &str| std::fs::read_to_string(lessons.join(file)).ok();
    let index = read("course.yaml").unwrap_or_default();
    let (course, _) = lesson::load_course(&index, read);
    let mut rows: Vec<(u64, &str)> = course
        .iter()
        .flat_map(|c| &c.units)
        .flat_map(|u| u.markdown_texts())
        .map(|text| (lesson::fnv1a64(text), text))
        .collect();
    rows.sort();
    rows.dedup();
    for pair in rows.windows(2) {
        assert_ne!(
            pair[0].0, pair[1].0,
            "two prose texts share a hash: {pair:?}"
        );
    }
    let mut out = String::from(
        "/// The course's prose as HTML: (FNV-1a 64 of the Markdown, HTML), by hash.\n",
    );
    out.push_str("pub static PROSE_HTML: &[(u64, &str)] = &[\n");
    for (hash, text) in rows {
        writeln!(out, "    ({hash:#018x}, {:?}),", markdown::to_html(text)).expect("write");
    }
    out.push_str("];\n");
    out
}

/// Lesson sources: `.md` and `.yaml` files, recursively (directories are watched too, so adding a
/// unit file triggers a rebuild).
fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, files);
        } else if path.file_name().is_some_and(|name| name == "README.md") {
            // The authoring guide is for people writing units; the app never reads it.
            continue;
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("md" | "yaml" | "yml")
        ) {
            let rel = path
                .strip_prefix(root)
                .expect("under root")
                .to_string_lossy()
                .replace('\\', "/");
            files.push((rel, path.canonicalize().unwrap_or(path)));
        }
    }
}
