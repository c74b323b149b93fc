//! Cron schedules exactly as the Kubernetes CronJob controller reads them.
//!
//! Kubernetes parses `spec.schedule` with Go's robfig/cron v3 `ParseStandard` and asks it for the
//! next fire time with `Schedule.Next`. This module re-implements both (rather than wrapping a Rust
//! cron crate; docs/notes/schedule.md says why), so that what a learner sees here is what the
//! cluster would do, including the awkward parts: day-of-week 7 is an error, day-of-month and
//! day-of-week are OR-ed only when both are restricted, `@every` ignores zones, a 02:30 skipped by
//! spring-forward does not run that day and a 01:30 repeated by fall-back runs twice.
//!
//! - `parse` — text to `Schedule`, or robfig's error text.
//! - `parse_time_zone` — `spec.timeZone` to a zone, or the API server's message.
//! - `Schedule::next_after` / `Schedule::fire_times` — when it fires.
//! - `Schedule::describe` — the schedule in plain words.
//! - `dst_notes` — which nights in a period a schedule's run is skipped or doubled by DST.

mod describe;
mod dst;
pub(crate) mod go_text;
mod go_time;
mod next;
mod parse;
mod report;
mod tzdata;
mod zone;

use chrono::{DateTime, Utc};

pub use dst::{dst_notes, DstEffect, DstNote};
pub use report::{report, Report, MAX_COUNT};
pub use tzdata::{Zone, TABLE_EPOCH};
pub use zone::{
    go_load_location, parse_time_zone, validate_time_zone, EMPTY_TIME_ZONE_MESSAGE,
    LOCAL_TIME_ZONE_MESSAGE,
};

/// The API server's message for a schedule that mentions `TZ` (`spec.schedule`, on create).
pub const TZ_IN_SCHEDULE_MESSAGE: &str =
    "cannot use TZ or CRON_TZ in schedule, use timeZone field instead";
/// The API server's message when an old schedule had `TZ` and `spec.timeZone` is also set.
pub const TZ_AND_TIME_ZONE_MESSAGE: &str =
    "cannot use both timeZone field and TZ or CRON_TZ in schedule";

/// Parse a schedule as Kubernetes does (robfig/cron v3 `ParseStandard`); the error is robfig's text,
/// which the API server reports as `spec.schedule: Invalid value: "<schedule>": <error>`.
pub fn parse(expr: &str) -> Result<Schedule, String> {
    parse::parse_standard(expr)
}

/// Go's `%q` quoting (`strconv.Quote`), as controller messages quote a schedule.
pub fn go_quote(text: &str) -> String {
    go_text::strconv_quote(text)
}

/// An instant (Unix milliseconds) as RFC 3339 to the second at a UTC offset (seconds east),
/// `Z` for offset 0: exactly what chrono's `to_rfc3339_opts(SecondsFormat::Secs, true)` prints
/// (a test compares the two). The simulator writes one of these for every CronJob start time and
/// status change, so it is done by hand; chrono's general formatter is ten times slower. Years
/// outside 0–9999 and offsets with seconds (local mean time before 1900) go through chrono.
pub fn rfc3339(unix_ms: i64, offset_secs: i32) -> String {
    let local = unix_ms.div_euclid(1000) + i64::from(offset_secs);
    let (year, month, day) = go_time::civil_from_days(local.div_euclid(86_400));
    if !(0..=9999).contains(&year) || offset_secs % 60 != 0 {
        return chrono::FixedOffset::east_opt(offset_secs)
            .zip(chrono::DateTime::from_timestamp_millis(unix_ms))
            .map(|(zone, t)| {
                t.with_timezone(&zone)
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            })
            .unwrap_or_default();
    }
    let second_of_day = local.rem_euclid(86_400);
    let offset_minutes = i64::from(offset_secs.unsigned_abs() / 60);
    let mut text = *b"0000-00-00T00:00:00+00:00";
    // Two digits of `n` at `at`.
    let mut put = |at: usize, n: i64| {
        text[at] = b'0' + (n / 10) as u8;
        text[at + 1] = b'0' + (n % 10) as u8;
    };
    put(0, year / 100);
    put(2, year % 100);
    put(5, i64::from(month));
    put(8, i64::from(day));
    put(11, second_of_day / 3600);
    put(14, second_of_day / 60 % 60);
    put(17, second_of_day % 60);
    put(20, offset_minutes / 60);
    put(23, offset_minutes % 60);
    let len = match offset_secs {
        0 => {
            text[19] = b'Z';
            20
        }
        east if east > 0 => 25,
        _ => {
            text[19] = b'-';
            25
        }
    };
    std::str::from_utf8(&text[..len])
        .map(String::from)
        .unwrap_or_default()
}

/// Does the schedule start with robfig's `TZ=` / `CRON_TZ=` zone prefix?
pub fn has_tz_prefix(expr: &str) -> bool {
    expr.starts_with("TZ=") || expr.starts_with("CRON_TZ=")
}

/// The API server's actual test for `TZ_IN_SCHEDULE_MESSAGE`: the text contains `TZ` anywhere
/// (`strings.Contains(schedule, "TZ")`), prefix or not.
pub fn mentions_tz(expr: &str) -> bool {
    // Bytes, not `str::contains`: the CronJob controller asks this on every sync, and the
    // substring searcher's setup costs more than scanning a schedule.
    expr.as_bytes().windows(2).any(|pair| pair == b"TZ")
}

/// A parsed schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    source: String,
    kind: Kind,
    /// The zone named by a `TZ=` prefix; `None` means "the zone the caller evaluates it in".
    zone: Option<Zone>,
    /// The macro it was written as (`@daily`...), for the description.
    macro_name: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    /// Five cron fields.
    Spec(FieldSet),
    /// `@every <duration>`: a fixed interval in whole seconds (at least 1).
    Every { seconds: i64 },
}

/// The allowed values of each field as bits (bit n = value n), plus `parse::STAR_BIT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FieldSet {
    minute: u64,
    hour: u64,
    dom: u64,
    month: u64,
    dow: u64,
}

impl Schedule {
    /// The text it was parsed from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The zone of a `TZ=`/`CRON_TZ=` prefix, which overrides the zone passed to `next_after`.
    pub fn prefix_zone(&self) -> Option<Zone> {
        self.zone
    }

    /// `@every <duration>`'s interval in seconds, or `None` for a calendar schedule.
    pub fn every_seconds(&self) -> Option<i64> {
        match self.kind {
            Kind::Every { seconds } => Some(seconds),
            Kind::Spec(_) => None,
        }
    }

    /// The first fire time strictly after `instant`, reading the schedule's wall times in `tz`
    /// (robfig `Next`). `None` where robfig returns the zero time: nothing within five years
    /// (e.g. `0 0 30 2 *`), which the controller reports as an invalid schedule.
    pub fn next_after(&self, instant: DateTime<Utc>, tz: Zone) -> Option<DateTime<Utc>> {
        // robfig drops the sub-second part first; `timestamp()` floors.
        let next = self.next_after_unix(instant.timestamp(), tz)?;
        DateTime::from_timestamp(next, 0)
    }

    /// `next_after` on Unix seconds, for callers that keep their instants as numbers (the
    /// CronJob simulator asks for every fire time of a run, and a trip through chrono's dates
    /// on the way in and out was a good part of each answer). `None` also for an answer chrono
    /// could not represent, as `next_after` gives.
    pub fn next_after_unix(&self, after: i64, tz: Zone) -> Option<i64> {
        if !go_time::CHRONO_SECONDS.contains(&after) {
            return None;
        }
        let next = match &self.kind {
            Kind::Spec(fields) => next::next_spec(fields, after, self.zone.unwrap_or(tz))?,
            Kind::Every { seconds } => after.checked_add(*seconds)?,
        };
        Some(next).filter(|next| go_time::CHRONO_SECONDS.contains(next))
    }

    /// The fire times after `instant`, in order (stops where `next_after` gives `None`).
    pub fn fire_times(&self, instant: DateTime<Utc>, tz: Zone) -> FireTimes<'_> {
        FireTimes {
            schedule: self,
            tz,
            last: Some(instant),
        }
    }
}

/// Iterator over successive fire times; see `Schedule::fire_times`.
pub struct FireTimes<'a> {
    schedule: &'a Schedule,
    tz: Zone,
    last: Option<DateTime<Utc>>,
}

impl Iterator for FireTimes<'_> {
    type Item = DateTime<Utc>;

    fn next(&mut self) -> Option<DateTime<Utc>> {
        let next = self.schedule.next_after(self.last?, self.tz);
        self.last = next;
        next
    }
}

#[cfg(test)]
mod tests;
