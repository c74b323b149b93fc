//! `batchlab schedule` end to end: output, JSON contract and exit codes.
#![cfg(feature = "cli")]

use std::process::{Command, Output};

fn batchlab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_batchlab"))
        .args(args)
        .output()
        .expect("run batchlab")
}

#[test]
fn json_lists_description_and_times() {
    let out = batchlab(&[
        "schedule",
        "0 9 * * 1-5",
        "--tz",
        "Europe/Berlin",
        "--from",
        "2024-03-29T00:00:00Z",
        "--count",
        "2",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["description"],
        "At 09:00 on Monday to Friday, in Europe/Berlin"
    );
    // Friday 29 March in CET, then Monday 1 April in CEST.
    assert_eq!(
        json["next"],
        serde_json::json!(["2024-03-29T09:00:00+01:00", "2024-04-01T09:00:00+02:00"])
    );
}

#[test]
fn invalid_schedule_exits_1_with_robfigs_message() {
    let out = batchlab(&["schedule", "0 0 * * * *"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: spec.schedule: expected exactly 5 fields, found 6: [0 0 * * * *]\n"
    );
}

#[test]
fn invalid_zone_exits_1() {
    let out = batchlab(&["schedule", "@daily", "--tz", "Europe/Berln"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: spec.timeZone: unknown time zone Europe/Berln\n"
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(
        batchlab(&["schedule", "@daily", "--from", "soon"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        batchlab(&["schedule", "@daily", "--count", "0"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        batchlab(&["schedule", "@daily", "--format", "xml"])
            .status
            .code(),
        Some(2)
    );
}
