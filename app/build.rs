//! Embeds the course (`lessons/`) into the app at build time, so the site is static files that work
//! offline and a lesson edit reloads the dev server (Trunk watches `lessons/`; this script tells
//! cargo to rebuild when any file there changes).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

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
    let out_path =
        PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("lessons.rs");
    std::fs::write(out_path, out).expect("OUT_DIR is writable");
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
