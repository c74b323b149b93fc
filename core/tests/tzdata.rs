//! The zone table `core/src/schedule/tzdata.bin` is generated from chrono-tz, and this file is
//! its generator and its check (the table's layout is documented in `core/src/schedule/tzdata.rs`).
//!
//! - `table_is_up_to_date`: the committed table equals what chrono-tz gives now. After a
//!   chrono-tz update, regenerate it with
//!   `BATCHLAB_WRITE_TZDATA=1 cargo test -p batchlab-core --test tzdata`.
//! - `every_zone_agrees_with_chrono_tz`: every name chrono-tz knows is known, and its offset
//!   equals chrono-tz's on both sides of every transition, between transitions and far outside
//!   the table.
//!
//! chrono-tz does not expose its transition lists, so they are found by sampling each zone's
//! offset once a day from 1800 (before tzdata's first transition, in 1844) to 2101 (after its
//! last, at the end of 2099) and bisecting each change to the second. Sampling cannot see a
//! change and its reversal within one day; none exists: tzdata's closest offset changes are
//! about seven days apart (`transitions_are_days_apart`), and this sampling was compared once
//! with chrono-tz 0.10.4's own source tables (every zone identical).

use batchlab_core::schedule::{Zone, TABLE_EPOCH};
use chrono::{DateTime, Offset, TimeZone};
use chrono_tz::{Tz, TZ_VARIANTS};
use std::collections::BTreeMap;
use std::sync::OnceLock;

const TABLE_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/schedule/tzdata.bin");
/// 2101-01-01T00:00:00Z, after chrono-tz's last transition.
const SCAN_END: i64 = 4_133_980_800;
const DAY: i64 = 86_400;

/// One zone's offsets: before any transition, then (instant, offset from then on).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct History {
    initial: i32,
    transitions: Vec<(i64, i32)>,
}

fn chrono_tz_offset(tz: Tz, unix: i64) -> i32 {
    let utc = DateTime::from_timestamp(unix, 0).expect("instant in chrono's range");
    tz.offset_from_utc_datetime(&utc.naive_utc())
        .fix()
        .local_minus_utc()
}

/// Every offset change of `tz` between `TABLE_EPOCH` and `SCAN_END`.
fn scan(tz: Tz) -> History {
    let initial = chrono_tz_offset(tz, TABLE_EPOCH);
    let mut transitions = Vec::new();
    let (mut from, mut current) = (TABLE_EPOCH, initial);
    while from < SCAN_END {
        let to = from + DAY;
        if chrono_tz_offset(tz, to) == current {
            from = to;
            continue;
        }
        // The first second whose offset is no longer `current`.
        let (mut same, mut changed) = (from, to);
        while changed - same > 1 {
            let middle = same + (changed - same) / 2;
            if chrono_tz_offset(tz, middle) == current {
                same = middle;
            } else {
                changed = middle;
            }
        }
        current = chrono_tz_offset(tz, changed);
        transitions.push((changed, current));
        from = changed;
    }
    History {
        initial,
        transitions,
    }
}

/// Every name chrono-tz knows except the built-in `UTC`, sorted bytewise, with its history.
fn histories() -> &'static Vec<(&'static str, History)> {
    static HISTORIES: OnceLock<Vec<(&'static str, History)>> = OnceLock::new();
    HISTORIES.get_or_init(|| {
        let zones: Vec<Tz> = TZ_VARIANTS
            .iter()
            .copied()
            .filter(|tz| tz.name() != "UTC")
            .collect();
        // The scan is this file's slow part (a few CPU seconds in a debug build): use every core.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let mut all: Vec<(&'static str, History)> = std::thread::scope(|scope| {
            let workers: Vec<_> = zones
                .chunks(zones.len().div_ceil(threads))
                .map(|chunk| {
                    scope.spawn(move || {
                        let scanned: Vec<_> =
                            chunk.iter().map(|&tz| (tz.name(), scan(tz))).collect();
                        scanned
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|worker| worker.join().expect("scan thread"))
                .collect()
        });
        all.sort_by(|a, b| a.0.cmp(b.0));
        all
    })
}

fn generate() -> Vec<u8> {
    let histories = histories();
    // Zones are numbered in order of first use; names with the same history share one.
    let mut numbers: BTreeMap<&History, usize> = BTreeMap::new();
    let mut zones: Vec<&History> = Vec::new();
    for (_, history) in histories {
        numbers.entry(history).or_insert_with(|| {
            zones.push(history);
            zones.len() - 1
        });
    }
    let mut out = b"BLTZ\x01".to_vec();
    let release = chrono_tz::IANA_TZDB_VERSION.as_bytes();
    out.push(u8::try_from(release.len()).unwrap());
    out.extend_from_slice(release);
    write_varint(&mut out, histories.len() as u64);
    for (name, history) in histories {
        out.push(u8::try_from(name.len()).unwrap());
        out.extend_from_slice(name.as_bytes());
        write_varint(&mut out, numbers[history] as u64);
    }
    write_varint(&mut out, zones.len() as u64);
    for history in zones {
        write_zone(&mut out, history);
    }
    out
}

fn write_zone(out: &mut Vec<u8>, history: &History) {
    let mut offsets = vec![history.initial];
    for &(_, offset) in &history.transitions {
        if !offsets.contains(&offset) {
            offsets.push(offset);
        }
    }
    write_varint(out, offsets.len() as u64);
    for &offset in &offsets {
        let offset = i64::from(offset);
        write_varint(out, ((offset << 1) ^ (offset >> 63)) as u64);
    }
    write_varint(out, history.transitions.len() as u64);
    let mut previous = TABLE_EPOCH;
    for &(at, offset) in &history.transitions {
        let step = u64::try_from(at - previous).expect("transitions after TABLE_EPOCH, in order");
        // Whole minutes (nearly every step) as `minutes << 1`, else `seconds << 1 | 1`.
        let code = if step % 60 == 0 {
            (step / 60) << 1
        } else {
            (step << 1) | 1
        };
        write_varint(out, code);
        let index = offsets.iter().position(|&o| o == offset).unwrap();
        out.push(u8::try_from(index).unwrap());
        previous = at;
    }
}

fn write_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value & 0x7f) as u8 | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

#[test]
fn table_is_up_to_date() {
    let generated = generate();
    if std::env::var_os("BATCHLAB_WRITE_TZDATA").is_some() {
        std::fs::write(TABLE_PATH, &generated).unwrap();
    }
    let committed = std::fs::read(TABLE_PATH).unwrap();
    assert!(
        committed == generated,
        "{TABLE_PATH} is not what chrono-tz {} gives; regenerate it with \
         BATCHLAB_WRITE_TZDATA=1 cargo test -p batchlab-core --test tzdata",
        chrono_tz::IANA_TZDB_VERSION
    );
}

#[test]
fn every_zone_agrees_with_chrono_tz() {
    let far = [
        i64::from(i32::MIN) * 100,
        TABLE_EPOCH - 1,
        SCAN_END,
        1 << 40,
    ];
    for (name, history) in histories() {
        let tz: Tz = name.parse().unwrap();
        let zone = Zone::named(name).unwrap_or_else(|| panic!("{name} is not in the table"));
        assert_eq!(zone.name(), *name);
        let mut instants = far.to_vec();
        let mut previous = TABLE_EPOCH;
        for &(at, _) in &history.transitions {
            instants.extend([at - 1, at, at + 1, previous + (at - previous) / 2]);
            previous = at;
        }
        for at in instants {
            assert_eq!(
                zone.offset_at(at),
                chrono_tz_offset(tz, at),
                "{name} at {at}"
            );
        }
    }
    assert_eq!(Zone::named("UTC"), Some(Zone::UTC));
    assert_eq!(Zone::UTC.offset_at(1 << 40), 0);
}

#[test]
fn nothing_before_or_after_the_scan() {
    // The scan's first and last samples already show each zone's outermost offsets.
    for (name, history) in histories() {
        let tz: Tz = name.parse().unwrap();
        assert_eq!(
            chrono_tz_offset(tz, i64::from(i32::MIN) * 100),
            history.initial,
            "{name}"
        );
        let last = history.transitions.last().map_or(history.initial, |t| t.1);
        assert_eq!(chrono_tz_offset(tz, 1 << 40), last, "{name}");
    }
}

#[test]
fn transitions_are_days_apart() {
    // Daily sampling finds every change only if no two changes fall within one day (tzdata's
    // closest are about seven days apart).
    for (name, history) in histories() {
        for pair in history.transitions.windows(2) {
            assert!(pair[1].0 - pair[0].0 > DAY, "{name}: {pair:?}");
        }
    }
}

#[test]
fn dst_transitions_of_the_course_zones() {
    // 2024: New York springs forward at 07:00Z on 10 March and falls back at 06:00Z on
    // 3 November; Berlin at 01:00Z on 31 March and 27 October.
    let cases = [
        ("America/New_York", 1_710_054_000, -5, -4),
        ("America/New_York", 1_730_613_600, -4, -5),
        ("Europe/Berlin", 1_711_846_800, 1, 2),
        ("Europe/Berlin", 1_729_990_800, 2, 1),
    ];
    for (name, at, before, after) in cases {
        let zone = Zone::named(name).unwrap();
        assert_eq!(zone.offset_at(at - 1), before * 3600, "{name} before {at}");
        assert_eq!(zone.offset_at(at), after * 3600, "{name} at {at}");
    }
}
