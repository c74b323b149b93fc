//! The few pieces of Go's `time` package that robfig/cron's `Next` relies on, reproduced on whole
//! Unix seconds so that fire times (and their DST quirks) come out exactly as the controller's.
//!
//! Why not chrono's own local-time conversion: Go's `time.Date` resolves a wall time that does not
//! exist (spring forward) or exists twice (fall back) in its own way, and robfig's walk depends on
//! that choice. `go_date` below follows Go's `time.Date` (src/time/time.go): look the offset up at
//! the wall time read as UTC, and if the resulting instant lies outside that offset's period, use
//! the offset in force at that instant instead. Whether that picks the earlier or later instant
//! depends on the sign of the zone's offset (New York and Berlin resolve opposite ways), and this
//! is exactly what Kubernetes does.
//!
//! Offsets come from `tzdata`, Batch Lab's copy of chrono-tz's zone table.

use super::Zone;

pub const SECONDS_PER_MINUTE: i64 = 60;
pub const SECONDS_PER_HOUR: i64 = 3_600;
pub const SECONDS_PER_DAY: i64 = 86_400;

/// The Unix seconds chrono can represent (its `DateTime::<Utc>::MIN_UTC` and `MAX_UTC`, years
/// −262 143 and 262 142). Spelled out because `offset_at` runs several times for every fire time
/// and asking chrono builds a date each time (a test checks the two agree).
/// `Schedule::next_after_unix` refuses instants outside it, as chrono's conversions do.
pub(super) const CHRONO_SECONDS: std::ops::RangeInclusive<i64> =
    -8_334_601_228_800..=8_210_266_876_799;

/// The zone's offset from UTC (seconds east) in force at the instant `unix`.
pub fn offset_at(tz: Zone, unix: i64) -> i64 {
    if !CHRONO_SECONDS.contains(&unix) {
        // Outside chrono's range (hundreds of thousands of years): no zone rules apply there.
        return 0;
    }
    i64::from(tz.offset_at(unix))
}

/// Wall-clock reading of an instant in a zone, as Go's `t.Year()`, `t.Month()`... return it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wall {
    pub year: i64,
    /// 1–12.
    pub month: u32,
    /// 1–31.
    pub day: u32,
    /// 0 = Sunday … 6 = Saturday.
    pub weekday: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    /// The zone's offset from UTC in seconds at that instant.
    pub offset: i64,
}

/// The wall-clock fields of `unix` in `tz`.
pub fn wall(tz: Zone, unix: i64) -> Wall {
    let offset = offset_at(tz, unix);
    let local = unix + offset;
    let days = local.div_euclid(SECONDS_PER_DAY);
    let second_of_day = local.rem_euclid(SECONDS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    Wall {
        year,
        month,
        day,
        // 1970-01-01 was a Thursday (4).
        weekday: (days + 4).rem_euclid(7) as u32,
        hour: (second_of_day / SECONDS_PER_HOUR) as u32,
        minute: (second_of_day % SECONDS_PER_HOUR / SECONDS_PER_MINUTE) as u32,
        second: (second_of_day % SECONDS_PER_MINUTE) as u32,
        offset,
    }
}

/// Go's `time.Date(year, month, day, hour, minute, second, 0, tz)` as Unix seconds: out-of-range
/// fields are normalised (month 13 is January of the next year, day 32 rolls into the next month),
/// and an ambiguous or missing wall time is resolved the way Go resolves it (see the module doc).
pub fn go_date(
    tz: Zone,
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
) -> i64 {
    let month0 = month - 1;
    let year = year + month0.div_euclid(12);
    let month = month0.rem_euclid(12) + 1;
    let days = days_from_civil(year, month as u32, 1) + (day - 1);
    let wall_as_utc =
        days * SECONDS_PER_DAY + hour * SECONDS_PER_HOUR + minute * SECONDS_PER_MINUTE + second;
    let guess = offset_at(tz, wall_as_utc);
    if guess == 0 {
        // Go skips the correction entirely when the first lookup says UTC+0 (time.go, Date).
        return wall_as_utc;
    }
    let candidate = wall_as_utc - guess;
    let offset = offset_at(tz, candidate);
    wall_as_utc - offset
}

/// Go's `t.AddDate(years, months, days)`: re-build the date from the wall fields with `go_date`.
pub fn add_date(tz: Zone, unix: i64, months: i64, days: i64) -> i64 {
    let w = wall(tz, unix);
    go_date(
        tz,
        w.year,
        i64::from(w.month) + months,
        i64::from(w.day) + days,
        i64::from(w.hour),
        i64::from(w.minute),
        i64::from(w.second),
    )
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date of a day count since 1970-01-01 (inverse of `days_from_civil`).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    #[test]
    fn the_representable_range_is_chronos() {
        let (min, max) = (CHRONO_SECONDS.start(), CHRONO_SECONDS.end());
        assert_eq!(*min, DateTime::<chrono::Utc>::MIN_UTC.timestamp());
        assert_eq!(*max, DateTime::<chrono::Utc>::MAX_UTC.timestamp());
        assert!(DateTime::from_timestamp(*min, 0).is_some());
        assert!(DateTime::from_timestamp(*max, 0).is_some());
        assert!(DateTime::from_timestamp(min - 1, 0).is_none());
        assert!(DateTime::from_timestamp(max + 1, 0).is_none());
    }

    fn utc(text: &str) -> i64 {
        DateTime::parse_from_rfc3339(text).unwrap().timestamp()
    }

    #[test]
    fn civil_round_trips() {
        for days in [-800_000, -1, 0, 1, 59, 365, 11_016, 20_000, 2_000_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(2024, 2, 29), 19_782);
    }

    #[test]
    fn wall_fields_follow_the_zone() {
        let w = wall(
            Zone::named("Europe/Berlin").unwrap(),
            utc("2024-07-01T10:15:30Z"),
        );
        assert_eq!(
            (w.year, w.month, w.day, w.weekday, w.hour, w.minute, w.second),
            (2024, 7, 1, 1, 12, 15, 30)
        );
    }

    #[test]
    fn missing_wall_time_resolves_like_go() {
        // Go: time.Date(2024, 3, 10, 2, 30, 0, 0, NewYork) is 01:30 EST (06:30Z);
        // time.Date(2024, 3, 31, 2, 30, 0, 0, Berlin) is 03:30 CEST (01:30Z).
        let ny = Zone::named("America/New_York").unwrap();
        assert_eq!(
            go_date(ny, 2024, 3, 10, 2, 30, 0),
            utc("2024-03-10T06:30:00Z")
        );
        let berlin = Zone::named("Europe/Berlin").unwrap();
        assert_eq!(
            go_date(berlin, 2024, 3, 31, 2, 30, 0),
            utc("2024-03-31T01:30:00Z")
        );
    }

    #[test]
    fn repeated_wall_time_resolves_like_go() {
        // New York picks the first (EDT) 01:00, Berlin the second (CET) 02:00.
        let ny = Zone::named("America/New_York").unwrap();
        assert_eq!(
            go_date(ny, 2024, 11, 3, 1, 0, 0),
            utc("2024-11-03T05:00:00Z")
        );
        let berlin = Zone::named("Europe/Berlin").unwrap();
        assert_eq!(
            go_date(berlin, 2024, 10, 27, 2, 0, 0),
            utc("2024-10-27T01:00:00Z")
        );
    }

    #[test]
    fn out_of_range_fields_normalise() {
        let tz = Zone::UTC;
        assert_eq!(
            go_date(tz, 2023, 13, 1, 0, 0, 0),
            utc("2024-01-01T00:00:00Z")
        );
        assert_eq!(
            go_date(tz, 2024, 2, 30, 0, 0, 0),
            utc("2024-03-01T00:00:00Z")
        );
        assert_eq!(
            go_date(tz, 2024, 0, 1, 0, 0, 0),
            utc("2023-12-01T00:00:00Z")
        );
    }
}
