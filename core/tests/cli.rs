//! `batchlab validate`: the compiler-style text, the JSON contract and the exit status.
#![cfg(feature = "cli")]

mod common;

use common::TempDir;
use std::process::{Command, Output};

const CHECKPOINT: &str = include_str!("fixtures/seeds/unit5-08.yaml");
const SECURE: &str = include_str!("fixtures/seeds/unit5-05.yaml");

fn batchlab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_batchlab"))
        .args(args)
        .output()
        .expect("run batchlab")
}

#[test]
fn errors_exit_1_with_file_line_column_and_a_caret() {
    let dir = TempDir::new("cli-test");
    let path = dir.write("checkpoint.yaml", CHECKPOINT);
    let out = batchlab(&["validate", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let expected = format!(
        "{}:54:7: error[yaml]: mapping key \"restartPolicy\" already defined at line 53\n\
         54 |       restartPolicy: OnFailure\n   |       ^^^^^^^^^^^^^\n",
        path.display()
    );
    assert!(text.contains(&expected), "{text}");
}

#[test]
fn warnings_alone_exit_0() {
    let dir = TempDir::new("cli-test");
    let path = dir.write("secure.yaml", SECURE);
    let out = batchlab(&["validate", path.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("warning[BL-JOB-001]: spec.activeDeadlineSeconds:"));
    assert!(
        text.trim_end()
            .ends_with("0 error(s), 5 warning(s), 0 note(s)"),
        "{text}"
    );
}

#[test]
fn json_has_the_documented_shape() {
    let dir = TempDir::new("cli-test");
    let path = dir.write("checkpoint-json.yaml", CHECKPOINT);
    let out = batchlab(&["validate", "--format", "json", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let list = json["diagnostics"].as_array().expect("diagnostics array");
    let duplicate = list
        .iter()
        .find(|d| d["code"] == "yaml")
        .expect("the duplicate key");
    let keys: Vec<&str> = duplicate
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "file",
        "document",
        "severity",
        "code",
        "path",
        "line",
        "column",
        "endLine",
        "endColumn",
        "message",
        "help",
    ] {
        assert!(keys.contains(&key), "missing {key}: {keys:?}");
    }
    assert_eq!(duplicate["line"], 54);
    assert_eq!(duplicate["column"], 7);
    assert_eq!(duplicate["endColumn"], 20);
    assert_eq!(duplicate["severity"], "error");
    assert_eq!(duplicate["document"], 0);
}

#[test]
fn standard_input_and_usage_errors() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_batchlab"))
        .args(["validate", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(
            b"apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: x\nspec:\n  backofflimit: 1\n",
        )
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("<stdin>:6:3: error[schema]: spec.backofflimit: unknown field \"backofflimit\" in JobSpec (did you mean \"backoffLimit\"?)"), "{text}");

    let missing = batchlab(&["validate", "/nonexistent/batchlab/manifest.yaml"]);
    assert_eq!(missing.status.code(), Some(2));
    let bad_flag = batchlab(&["validate", "--format", "xml", "x.yaml"]);
    assert_eq!(bad_flag.status.code(), Some(2));
}
