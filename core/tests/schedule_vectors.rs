//! `core::schedule` against croniter, an independent implementation of the same cron semantics:
//! next fire times for a few hundred schedules (names, steps, macros, Feb 29, the 31st, DST
//! nights in New York and Berlin). The vectors are generated offline by
//! `tests/vectors/gen_cron_vectors.py`, which also documents where croniter differs from robfig
//! (the Kubernetes parser) and how those cases were excluded or corrected.

use batchlab_core::schedule;
use chrono::{DateTime, Utc};
use serde::Deserialize;

#[derive(Deserialize)]
struct Vectors {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    expr: String,
    tz: String,
    from: String,
    next: Vec<String>,
}

fn instant(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("bad time {text} in vectors: {e}"))
        .with_timezone(&Utc)
}

#[test]
fn fire_times_match_croniter() {
    let text = include_str!("vectors/cron_vectors.json");
    let vectors: Vectors = serde_json::from_str(text).expect("vector file is JSON");
    assert!(
        vectors.cases.len() >= 300,
        "only {} cases",
        vectors.cases.len()
    );
    let mut failures = Vec::new();
    for case in &vectors.cases {
        let zone = schedule::parse_time_zone(&case.tz).expect("vector zone");
        let parsed = match schedule::parse(&case.expr) {
            Ok(parsed) => parsed,
            Err(e) => {
                failures.push(format!("{:?}: parse error {e}", case.expr));
                continue;
            }
        };
        let expected: Vec<DateTime<Utc>> = case.next.iter().map(|t| instant(t)).collect();
        let got: Vec<DateTime<Utc>> = parsed
            .fire_times(instant(&case.from), zone)
            .take(expected.len())
            .collect();
        if got != expected {
            failures.push(format!(
                "{:?} in {} from {}:\n  croniter {:?}\n  ours     {:?}",
                case.expr, case.tz, case.from, case.next, got
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        vectors.cases.len(),
        failures.join("\n")
    );
}
