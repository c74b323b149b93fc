//! Schedules in plain words, written so that a mistaken schedule reads wrong: "At 02:30 on
//! Monday", "Every 15 minutes, Monday to Friday, in UTC", "At 00:00 on the 1st of the month or on
//! Friday" (the day-of-month/day-of-week OR rule spelled out), "... never runs: February has no
//! 30th".

use super::parse::{Bounds, DAYS_OF_MONTH, DAYS_OF_WEEK, HOURS, MINUTES, MONTHS, STAR_BIT};
use super::{FieldSet, Kind, Schedule, Zone};

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAY_NAMES: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
/// Days in each month of a leap year.
const MONTH_LENGTHS: [u32; 12] = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

impl Schedule {
    /// The schedule in plain words, with the zone its wall times are read in (the `TZ=` prefix
    /// zone if it has one, else `tz`).
    pub fn describe(&self, tz: Zone) -> String {
        match &self.kind {
            Kind::Every { seconds } => format!(
                "Every {}, counted from the previous scheduled time (time zones do not apply)",
                spell_duration(*seconds)
            ),
            Kind::Spec(fields) => describe_fields(fields, self.zone.unwrap_or(tz)),
        }
    }
}

fn describe_fields(fields: &FieldSet, tz: Zone) -> String {
    let (mut text, at_clock_times) = clock_phrase(fields);
    let every_day =
        fields.dom & STAR_BIT != 0 && fields.dow & STAR_BIT != 0 && is_all(fields.month, &MONTHS);
    // "Every 15 minutes" needs no "every day", nor a zone: it reads the same everywhere.
    let days = if every_day && !at_clock_times {
        String::new()
    } else {
        day_phrase(fields)
    };
    let zone_matters = !is_all(fields.hour, &HOURS) || !days.is_empty();
    if !days.is_empty() {
        // "At 02:30 on Monday" but "Every 15 minutes, on Monday".
        text.push_str(if at_clock_times { " " } else { ", " });
        text.push_str(&days);
    }
    if zone_matters {
        text.push_str(", in ");
        text.push_str(tz.name());
    }
    if let Some(warning) = never_runs(fields) {
        text.push_str(" — ");
        text.push_str(&warning);
    } else if leap_day_only(fields) {
        text.push_str(" (leap years only)");
    }
    text
}

/// The time-of-day part: "At 09:30", "Every 15 minutes, from 09:00 to 17:59", "Every minute";
/// and whether it is a plain list of clock times ("At 09:00 and 17:00").
fn clock_phrase(fields: &FieldSet) -> (String, bool) {
    let minutes = values(fields.minute, &MINUTES);
    let hours = values(fields.hour, &HOURS);
    if let [minute] = minutes[..] {
        if hours.len() <= 6 {
            let times: Vec<String> = hours
                .iter()
                .map(|h| format!("{h:02}:{minute:02}"))
                .collect();
            return (format!("At {}", join_and(&times)), true);
        }
        let past = if minute == 0 {
            "Every hour, on the hour".to_string()
        } else {
            format!("At {minute} minutes past the hour")
        };
        return (format!("{past}{}", hour_window(&hours)), false);
    }
    let minute_text = if minutes.len() == 60 {
        "Every minute".to_string()
    } else if let Some((first, step)) = progression(&minutes, 59) {
        if first == 0 {
            format!("Every {step} minutes")
        } else {
            format!("Every {step} minutes from minute {first}")
        }
    } else {
        let listed: Vec<String> = minutes.iter().map(u32::to_string).collect();
        format!("At minutes {} past the hour", join_and(&listed))
    };
    (format!("{minute_text}{}", hour_window(&hours)), false)
}

/// ", from 09:00 to 17:59", ", during hours 01, 05 and 09" or "" for every hour.
fn hour_window(hours: &[u32]) -> String {
    if hours.len() == 24 {
        return String::new();
    }
    if let (Some(first), Some(last)) = (hours.first(), hours.last()) {
        if (last - first) as usize + 1 == hours.len() {
            return format!(", from {first:02}:00 to {last:02}:59");
        }
    }
    let listed: Vec<String> = hours.iter().map(|h| format!("{h:02}")).collect();
    format!(", during hours {}", join_and(&listed))
}

/// The day part: "every day", "on Monday to Friday", "on the 1st of the month or on Friday",
/// with months appended.
fn day_phrase(fields: &FieldSet) -> String {
    let dom_star = fields.dom & STAR_BIT != 0;
    let dow_star = fields.dow & STAR_BIT != 0;
    if dom_star && dow_star && is_all(fields.month, &MONTHS) {
        return "every day".to_string();
    }
    let months = values(fields.month, &MONTHS);
    let month_names: Vec<String> = months
        .iter()
        .map(|m| MONTH_NAMES[*m as usize - 1].to_string())
        .collect();
    let in_months = if months.len() == 12 {
        String::new()
    } else {
        format!(" in {}", join_runs(&months, &month_names))
    };
    let weekdays = || {
        let days = values(fields.dow, &DAYS_OF_WEEK);
        let names: Vec<String> = days
            .iter()
            .map(|d| DAY_NAMES[*d as usize].to_string())
            .collect();
        join_runs(&days, &names)
    };
    let month_days = || {
        let days = values(fields.dom, &DAYS_OF_MONTH);
        let names: Vec<String> = days.iter().map(|d| ordinal(*d)).collect();
        let of = if months.len() == 1 {
            format!(" of {}", month_names[0])
        } else {
            " of the month".to_string()
        };
        format!("the {}{of}", join_runs(&days, &names))
    };
    let single_month_in_dom = months.len() == 1 && !dom_star;
    let in_months = if single_month_in_dom {
        String::new()
    } else {
        in_months
    };
    match (dom_star, dow_star) {
        (true, true) => format!("every day{in_months}"),
        (true, false) => format!("on {}{in_months}", weekdays()),
        (false, true) => format!("on {}{in_months}", month_days()),
        (false, false) => format!("on {} or on {}{in_months}", month_days(), weekdays()),
    }
}

/// A warning when the day-of-month and month fields name no real date (and the day-of-week
/// field cannot rescue it): robfig then gives up and the controller reports an invalid schedule.
fn never_runs(fields: &FieldSet) -> Option<String> {
    let dow_rescues = fields.dom & STAR_BIT == 0 && fields.dow & STAR_BIT == 0 && fields.dow != 0;
    if dow_rescues {
        return None;
    }
    let months = values(fields.month, &MONTHS);
    let days = values(fields.dom, &DAYS_OF_MONTH);
    let any_date = months
        .iter()
        .any(|m| days.iter().any(|d| *d <= MONTH_LENGTHS[*m as usize - 1]));
    if any_date && !days.is_empty() && !months.is_empty() {
        return None;
    }
    let minute_hour_empty = fields.minute & !STAR_BIT == 0 || fields.hour & !STAR_BIT == 0;
    if minute_hour_empty || days.is_empty() || months.is_empty() {
        return Some("never runs: a field allows no value".to_string());
    }
    let names: Vec<String> = months
        .iter()
        .map(|m| MONTH_NAMES[*m as usize - 1].to_string())
        .collect();
    let ordinals: Vec<String> = days.iter().map(|d| ordinal(*d)).collect();
    Some(format!(
        "never runs: {} {} no {}",
        join_and(&names),
        if names.len() == 1 { "has" } else { "have" },
        join_or(&ordinals)
    ))
}

/// Only February 29th can match (so the schedule runs once in four years).
fn leap_day_only(fields: &FieldSet) -> bool {
    fields.dow & STAR_BIT != 0
        && values(fields.month, &MONTHS).iter().all(|m| *m == 2)
        && values(fields.dom, &DAYS_OF_MONTH) == [29]
}

fn values(bits: u64, bounds: &Bounds) -> Vec<u32> {
    (bounds.min as u32..=bounds.max as u32)
        .filter(|v| bits & (1 << v) != 0)
        .collect()
}

fn is_all(bits: u64, bounds: &Bounds) -> bool {
    values(bits, bounds).len() as u64 == bounds.max - bounds.min + 1
}

/// `Some((first, step))` when the values are first, first+step, ... to the end of the field and
/// first < step (what `*/step` or `first/step` produce), with at least three values.
fn progression(values: &[u32], max: u32) -> Option<(u32, u32)> {
    let (first, second) = (*values.first()?, *values.get(1)?);
    let step = second - first;
    let regular = values.windows(2).all(|w| w[1] - w[0] == step);
    let reaches_end = values.last().is_some_and(|last| last + step > max);
    (values.len() >= 3 && regular && reaches_end && first < step).then_some((first, step))
}

/// Names of values, with runs of three or more consecutive values as "A to C".
fn join_runs(values: &[u32], names: &[String]) -> String {
    let mut parts = Vec::new();
    let mut start = 0;
    while start < values.len() {
        let mut end = start;
        while end + 1 < values.len() && values[end + 1] == values[end] + 1 {
            end += 1;
        }
        if end - start >= 2 {
            parts.push(format!("{} to {}", names[start], names[end]));
        } else {
            parts.extend(names[start..=end].iter().cloned());
        }
        start = end + 1;
    }
    join_and(&parts)
}

fn join_with(items: &[String], last_word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {last_word} {last}", rest.join(", ")),
    }
}

fn join_and(items: &[String]) -> String {
    join_with(items, "and")
}

fn join_or(items: &[String]) -> String {
    join_with(items, "or")
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// "1 hour 30 minutes", "90 seconds" → "1 minute 30 seconds".
fn spell_duration(seconds: i64) -> String {
    let units = [
        ("day", 86_400),
        ("hour", 3_600),
        ("minute", 60),
        ("second", 1),
    ];
    let mut left = seconds;
    let mut parts = Vec::new();
    for (name, size) in units {
        let count = left / size;
        left %= size;
        if count > 0 {
            parts.push(format!(
                "{count} {name}{}",
                if count == 1 { "" } else { "s" }
            ));
        }
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::Zone;
    use crate::schedule::parse;

    fn describe(spec: &str, tz: Zone) -> String {
        parse(spec).unwrap().describe(tz)
    }

    #[test]
    fn everyday_schedules() {
        assert_eq!(
            describe("15 1 * * *", Zone::named("Asia/Jakarta").unwrap()),
            "At 01:15 every day, in Asia/Jakarta"
        );
        assert_eq!(describe("* * * * *", Zone::UTC), "Every minute");
        assert_eq!(describe("*/15 * * * *", Zone::UTC), "Every 15 minutes");
        assert_eq!(
            describe("5/15 * * * *", Zone::UTC),
            "Every 15 minutes from minute 5"
        );
        assert_eq!(describe("@hourly", Zone::UTC), "Every hour, on the hour");
        assert_eq!(describe("@daily", Zone::UTC), "At 00:00 every day, in UTC");
        assert_eq!(
            describe("0 9,17 * * *", Zone::UTC),
            "At 09:00 and 17:00 every day, in UTC"
        );
    }

    #[test]
    fn weekday_schedules() {
        assert_eq!(
            describe("*/15 * * * 1-5", Zone::UTC),
            "Every 15 minutes, on Monday to Friday, in UTC"
        );
        assert_eq!(
            describe("30 2 * * 1", Zone::UTC),
            "At 02:30 on Monday, in UTC"
        );
        assert_eq!(
            describe(
                "*/10 9-17 * * MON-FRI",
                Zone::named("Europe/Berlin").unwrap()
            ),
            "Every 10 minutes, from 09:00 to 17:59, on Monday to Friday, in Europe/Berlin"
        );
        assert_eq!(
            describe("0 0 * * 0,6", Zone::UTC),
            "At 00:00 on Sunday and Saturday, in UTC"
        );
    }

    #[test]
    fn day_of_month_or_day_of_week_reads_as_or() {
        assert_eq!(
            describe("0 0 1 * 5", Zone::UTC),
            "At 00:00 on the 1st of the month or on Friday, in UTC"
        );
        assert_eq!(
            describe("0 12 1,15 * 1-5", Zone::UTC),
            "At 12:00 on the 1st and 15th of the month or on Monday to Friday, in UTC"
        );
    }

    #[test]
    fn months_and_impossible_dates() {
        assert_eq!(
            describe("@yearly", Zone::UTC),
            "At 00:00 on the 1st of January, in UTC"
        );
        assert_eq!(
            describe("0 0 1 jan,jul *", Zone::UTC),
            "At 00:00 on the 1st of the month in January and July, in UTC"
        );
        assert_eq!(
            describe("0 0 29 2 *", Zone::UTC),
            "At 00:00 on the 29th of February, in UTC (leap years only)"
        );
        assert_eq!(
            describe("0 0 30 2 *", Zone::UTC),
            "At 00:00 on the 30th of February, in UTC — never runs: February has no 30th"
        );
        assert_eq!(
            describe("0 0 31 4,6 *", Zone::UTC),
            "At 00:00 on the 31st of the month in April and June, in UTC — never runs: April and June have no 31st"
        );
    }

    #[test]
    fn every_interval() {
        assert_eq!(
            describe("@every 1h30m", Zone::UTC),
            "Every 1 hour 30 minutes, counted from the previous scheduled time (time zones do not apply)"
        );
    }
}
