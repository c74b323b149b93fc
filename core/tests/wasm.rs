//! The engine in a real browser: `cargo test -p batchlab-core --target wasm32-unknown-unknown --test wasm`
//! runs these in headless Chromium (wasm-bindgen-test-runner + chromedriver). They check that what the
//! learner's browser computes is what the native CLI computes: same numbers, same text.
#![cfg(target_arch = "wasm32")]

use batchlab_core::{
    lesson,
    rng::{Rng, UniqueSuffixes},
};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_rng_gives_the_same_sequence_as_native() {
    // Same reference value the native unit test checks: determinism across platforms.
    assert_eq!(Rng::new(0).next_u64(), 0xE220_A839_7B1D_CDAF);
    // The random name suffixes pinned by the native test `rng::tests::random_name_suffixes_are_pinned`.
    let mut r = Rng::new(2026);
    assert_eq!([r.name_suffix(), r.name_suffix()], ["6qxn4", "z84mj"]);
    // The engine's pod names (`rng::tests::GOLDEN_UNIQUE_SUFFIXES_SEED_2026`).
    let mut suffixes = UniqueSuffixes::new(&mut Rng::new(2026));
    let mut names = String::new();
    for _ in 0..3 {
        assert!(suffixes.push_next(&mut names));
    }
    assert_eq!(names, "r5fjqqzs55kpw9v");
}

#[wasm_bindgen_test]
fn a_unit_file_parses_in_the_browser() {
    let (unit, problems) = lesson::parse_unit(
        "u.md",
        "---\nid: a\ntitle: A\nsummary: s\nminutes: 1\n---\nbody",
    );
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(unit.expect("the unit parses").meta.title, "A");
}

#[wasm_bindgen_test]
fn time_zones_come_from_the_embedded_table() {
    // The same fire times and DST note the native schedule tests pin (`schedule::tests`,
    // `schedule::dst`): the zone table is decoded in the browser as natively.
    let from = chrono::DateTime::parse_from_rfc3339("2024-03-09T00:00:00Z").expect("valid instant");
    let report = batchlab_core::schedule::report(
        "30 2 * * *",
        Some("America/New_York"),
        from.with_timezone(&chrono::Utc),
        2,
    )
    .expect("a valid schedule and zone");
    assert_eq!(
        report.next,
        ["2024-03-09T02:30:00-05:00", "2024-03-11T02:30:00-04:00"]
    );
    assert_eq!(report.dst_nights.len(), 1, "{:?}", report.dst_nights);
    assert!(batchlab_core::schedule::Zone::named("Mars/Olympus").is_none());
}
