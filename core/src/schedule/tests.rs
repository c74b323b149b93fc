//! Fire-time tests. The DST and impossible-date cases are robfig/cron v3's own `TestNext` cases
//! (spec_test.go), rewritten from its six-field form to the five fields Kubernetes uses.

use super::*;
use chrono::DateTime;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .with_timezone(&Utc)
}

fn next(from: &str, spec: &str, tz: Zone) -> Option<DateTime<Utc>> {
    parse(spec)
        .unwrap_or_else(|e| panic!("{spec}: {e}"))
        .next_after(at(from), tz)
}

fn assert_next(from: &str, spec: &str, expected: &str) {
    let got = next(from, spec, Zone::UTC);
    assert_eq!(got, Some(at(expected)), "{spec} after {from}");
}

#[test]
fn simple_schedules() {
    assert_next(
        "2012-07-09T14:45:00Z",
        "0/15 * * * *",
        "2012-07-09T15:00:00Z",
    );
    assert_next(
        "2012-07-09T14:59:59Z",
        "0/15 * * * *",
        "2012-07-09T15:00:00Z",
    );
    assert_next(
        "2012-07-09T14:59:00Z",
        "*/20 * * * *",
        "2012-07-09T15:00:00Z",
    );
    // Wrap around hours, days, months, years.
    assert_next(
        "2012-07-09T15:45:00Z",
        "20-35/15 * * * *",
        "2012-07-09T16:20:00Z",
    );
    assert_next(
        "2012-07-09T23:46:00Z",
        "*/15 * * * *",
        "2012-07-10T00:00:00Z",
    );
    assert_next(
        "2012-07-09T23:45:00Z",
        "20-35/15 * * * *",
        "2012-07-10T00:20:00Z",
    );
    assert_next(
        "2012-07-09T23:35:51Z",
        "15/35 */2 * * *",
        "2012-07-10T00:15:00Z",
    );
    assert_next(
        "2012-07-09T23:35:51Z",
        "15/35 1-23/2 * * *",
        "2012-07-09T23:50:00Z",
    );
    assert_next(
        "2012-07-09T23:35:51Z",
        "15/35 1-23/2 10-12 * *",
        "2012-07-10T01:15:00Z",
    );
    assert_next(
        "2012-07-09T23:35:51Z",
        "15/35 1-23/2 1 Jul *",
        "2013-07-01T01:15:00Z",
    );
    assert_next(
        "2012-07-09T23:35:51Z",
        "15/35 * * Aug *",
        "2012-08-01T00:15:00Z",
    );
    assert_next(
        "2012-07-09T23:35:51Z",
        "15/35 * * Jan *",
        "2013-01-01T00:15:00Z",
    );
    // Leap year.
    assert_next(
        "2012-07-09T23:35:00Z",
        "0 0 29 Feb *",
        "2016-02-29T00:00:00Z",
    );
}

#[test]
fn day_of_month_or_day_of_week() {
    // Both restricted: either matches. 2012-07-09 is a Monday.
    assert_next("2012-07-09T23:35:00Z", "0 0 1 * 5", "2012-07-13T00:00:00Z");
    assert_next(
        "2012-07-09T23:35:00Z",
        "0 0 1 * Sat",
        "2012-07-14T00:00:00Z",
    );
    // A star on either side: both must match.
    assert_next("2012-07-09T23:35:00Z", "0 0 * * 5", "2012-07-13T00:00:00Z");
    assert_next("2012-07-09T23:35:00Z", "0 0 13 * ?", "2012-07-13T00:00:00Z");
    // `*/2` is not a star for this rule (step > 1), `*/1` is.
    assert_next(
        "2012-07-09T23:35:00Z",
        "0 0 */2 * 2",
        "2012-07-10T00:00:00Z",
    );
    assert_next(
        "2012-07-09T23:35:00Z",
        "0 0 */1 * 5",
        "2012-07-13T00:00:00Z",
    );
}

#[test]
fn impossible_dates_give_up_after_five_years() {
    assert_eq!(
        next("2012-07-09T23:35:00Z", "0 0 30 Feb *", Zone::UTC),
        None
    );
    assert_eq!(
        next("2012-07-09T23:35:00Z", "0 0 31 Apr *", Zone::UTC),
        None
    );
    assert_eq!(next("2012-07-09T23:35:00Z", ", * * * *", Zone::UTC), None);
}

#[test]
fn spring_forward_new_york() {
    let ny = Zone::named("America/New_York").unwrap();
    let check = |from: &str, spec: &str, expected: &str| {
        assert_eq!(
            next(from, spec, ny),
            Some(at(expected)),
            "{spec} after {from}"
        );
    };
    // The 02:30 that does not exist on 2012-03-11 is not run; a date-pinned one waits a year.
    check(
        "2012-03-11T00:00:00-05:00",
        "30 2 11 Mar ?",
        "2013-03-11T02:30:00-04:00",
    );
    check(
        "2012-03-11T00:00:00-05:00",
        "0 * * * ?",
        "2012-03-11T01:00:00-05:00",
    );
    check(
        "2012-03-11T01:00:00-05:00",
        "0 * * * ?",
        "2012-03-11T03:00:00-04:00",
    );
    check(
        "2012-03-11T03:00:00-04:00",
        "0 * * * ?",
        "2012-03-11T04:00:00-04:00",
    );
    check(
        "2012-03-11T00:00:00-05:00",
        "0 1 * * ?",
        "2012-03-11T01:00:00-05:00",
    );
    check(
        "2012-03-11T01:00:00-05:00",
        "0 1 * * ?",
        "2012-03-12T01:00:00-04:00",
    );
    check(
        "2012-03-11T00:00:00-05:00",
        "0 2 * * ?",
        "2012-03-12T02:00:00-04:00",
    );
}

#[test]
fn fall_back_new_york() {
    let ny = Zone::named("America/New_York").unwrap();
    let check = |from: &str, spec: &str, expected: &str| {
        assert_eq!(
            next(from, spec, ny),
            Some(at(expected)),
            "{spec} after {from}"
        );
    };
    check(
        "2012-11-04T00:00:00-04:00",
        "30 2 04 Nov ?",
        "2012-11-04T02:30:00-05:00",
    );
    check(
        "2012-11-04T01:45:00-04:00",
        "30 1 04 Nov ?",
        "2012-11-04T01:30:00-05:00",
    );
    check(
        "2012-11-04T00:00:00-04:00",
        "0 * * * ?",
        "2012-11-04T01:00:00-04:00",
    );
    check(
        "2012-11-04T01:00:00-04:00",
        "0 * * * ?",
        "2012-11-04T01:00:00-05:00",
    );
    check(
        "2012-11-04T01:00:00-05:00",
        "0 * * * ?",
        "2012-11-04T02:00:00-05:00",
    );
    // 01:00 nightly runs twice.
    check(
        "2012-11-04T00:00:00-04:00",
        "0 1 * * ?",
        "2012-11-04T01:00:00-04:00",
    );
    check(
        "2012-11-04T01:00:00-04:00",
        "0 1 * * ?",
        "2012-11-04T01:00:00-05:00",
    );
    check(
        "2012-11-04T01:00:00-05:00",
        "0 1 * * ?",
        "2012-11-05T01:00:00-05:00",
    );
    check(
        "2012-11-04T00:00:00-04:00",
        "0 2 * * ?",
        "2012-11-04T02:00:00-05:00",
    );
    check(
        "2012-11-04T02:00:00-05:00",
        "0 2 * * ?",
        "2012-11-05T02:00:00-05:00",
    );
    check(
        "2012-11-04T00:00:00-04:00",
        "0 3 * * ?",
        "2012-11-04T03:00:00-05:00",
    );
    check(
        "2012-11-04T03:00:00-05:00",
        "0 3 * * ?",
        "2012-11-05T03:00:00-05:00",
    );
    check(
        "2012-11-04T00:00:00-04:00",
        "0 3 3 * ?",
        "2012-12-03T03:00:00-05:00",
    );
}

#[test]
fn midnight_that_does_not_exist() {
    // robfig issue #157: Sao Paulo's DST started at midnight.
    let sp = Zone::named("America/Sao_Paulo").unwrap();
    assert_eq!(
        next("2018-10-17T05:00:00-04:00", "0 9 10 * ?", sp),
        Some(at("2018-11-10T06:00:00-05:00"))
    );
    assert_eq!(
        next("2018-02-14T05:00:00-05:00", "0 9 22 * ?", sp),
        Some(at("2018-02-22T07:00:00-05:00"))
    );
}

#[test]
fn berlin_dst_nights() {
    let berlin = Zone::named("Europe/Berlin").unwrap();
    let times: Vec<_> = parse("30 2 * * *")
        .unwrap()
        .fire_times(at("2024-03-30T00:00:00Z"), berlin)
        .take(2)
        .collect();
    // 2024-03-31 02:30 does not exist in Berlin: skipped.
    assert_eq!(
        times,
        vec![
            at("2024-03-30T02:30:00+01:00"),
            at("2024-04-01T02:30:00+02:00")
        ]
    );
    let times: Vec<_> = parse("30 2 * * *")
        .unwrap()
        .fire_times(at("2024-10-26T12:00:00Z"), berlin)
        .take(3)
        .collect();
    // 2024-10-27 02:30 happens twice: both run.
    assert_eq!(
        times,
        vec![
            at("2024-10-27T02:30:00+02:00"),
            at("2024-10-27T02:30:00+01:00"),
            at("2024-10-28T02:30:00+01:00")
        ]
    );
}

#[test]
fn every_ignores_zones_and_drops_subseconds() {
    let s = parse("@every 90s").unwrap();
    let from = at("2024-03-10T06:59:00.750Z");
    assert_eq!(
        s.next_after(from, Zone::named("America/New_York").unwrap()),
        Some(at("2024-03-10T07:00:30Z"))
    );
}

#[test]
fn prefix_zone_overrides_the_argument() {
    let s = parse("TZ=Asia/Tokyo 0 9 * * *").unwrap();
    assert_eq!(
        s.next_after(
            at("2024-05-01T00:00:00Z"),
            Zone::named("Europe/Berlin").unwrap()
        ),
        Some(at("2024-05-02T00:00:00Z"))
    );
}

#[test]
fn tz_detection() {
    assert!(has_tz_prefix("CRON_TZ=UTC 0 0 * * *"));
    assert!(!has_tz_prefix("0 0 * * * TZ"));
    assert!(mentions_tz("0 0 * * * TZ"));
    assert!(!mentions_tz("0 0 * * *"));
}

#[test]
fn rfc3339_prints_what_chrono_prints() {
    use chrono::{DateTime, FixedOffset, SecondsFormat};
    let mut rng = crate::rng::Rng::new(3339);
    let offsets = [
        0, 3600, -18_000, 19_800, -34_200, 50_400, -43_200, 1_050, -17_762,
    ];
    let mut instants = vec![
        0,
        -1,
        999,
        -1_000,
        -86_400_000,
        951_782_400_000,
        253_402_300_799_000,
    ];
    instants.extend((0..2_000).map(|_| rng.below(8_000_000_000_000) as i64 - 2_500_000_000_000));
    for ms in instants {
        for offset in offsets {
            let zone = FixedOffset::east_opt(offset).unwrap();
            let chrono = DateTime::from_timestamp_millis(ms)
                .unwrap()
                .with_timezone(&zone)
                .to_rfc3339_opts(SecondsFormat::Secs, true);
            assert_eq!(super::rfc3339(ms, offset), chrono, "{ms} at {offset}");
        }
    }
}
