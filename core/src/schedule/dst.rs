//! DST nights: which runs of a schedule a clock change removes or doubles, for the timeline to
//! mark ("this night the 02:30 run does not happen", "... happens twice").
//!
//! The answer is read off the real fire times (robfig's walk, `next.rs`) around each transition,
//! so it can never disagree with what the simulator then does: a wall time inside the skipped
//! hour that the fields allow is a run that does not happen; a wall time that fires twice is a
//! run that happens twice (two Jobs, since Job names come from the instant).

use super::go_time::{offset_at, wall, SECONDS_PER_HOUR};
use super::{Kind, Schedule, Zone};
use chrono::{DateTime, Utc};

/// What a clock change does to a schedule's runs that night.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DstEffect {
    /// Spring forward: these wall times do not exist, so those runs do not happen that day.
    Skipped,
    /// Fall back: these wall times happen twice, and so do their runs.
    Doubled,
}

/// One clock change that affects a schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DstNote {
    /// The instant the clocks change.
    pub transition: DateTime<Utc>,
    /// The local date of the change, `YYYY-MM-DD`.
    pub local_date: String,
    pub effect: DstEffect,
    /// The affected wall times, `HH:MM`, in order.
    pub wall_times: Vec<String>,
    /// A sentence for the learner.
    pub message: String,
}

/// A span longer than this is not scanned (the timeline never covers more).
const MAX_SCAN_SECONDS: i64 = 10 * 366 * 86_400;
/// Offsets are sampled this often to find transitions (zones never change twice within it).
const SCAN_STEP_SECONDS: i64 = 6 * SECONDS_PER_HOUR;

/// The DST nights between `from` and `to` that skip or double a run of `schedule` in `tz`
/// (the `TZ=` prefix zone wins, as in `next_after`). `@every` schedules are never affected.
pub fn dst_notes(
    schedule: &Schedule,
    tz: Zone,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<DstNote> {
    let Kind::Spec(_) = schedule.kind else {
        return Vec::new();
    };
    let tz = schedule.zone.unwrap_or(tz);
    let start = from.timestamp();
    let end = to.timestamp().min(start.saturating_add(MAX_SCAN_SECONDS));
    transitions(tz, start, end)
        .into_iter()
        .filter_map(|at| note_for(schedule, tz, at))
        .collect()
}

/// Instants in `[start, end]` at which the zone's offset changes.
fn transitions(tz: Zone, start: i64, end: i64) -> Vec<i64> {
    let mut found = Vec::new();
    let mut low = start;
    while low < end {
        let high = (low + SCAN_STEP_SECONDS).min(end);
        if offset_at(tz, low) != offset_at(tz, high) {
            found.push(first_with_offset_of(tz, low, high));
        }
        low = high;
    }
    found
}

/// The first second in `(low, high]` whose offset is `high`'s (bisection).
fn first_with_offset_of(tz: Zone, mut low: i64, mut high: i64) -> i64 {
    let target = offset_at(tz, high);
    while high - low > 1 {
        let middle = low + (high - low) / 2;
        if offset_at(tz, middle) == target {
            high = middle;
        } else {
            low = middle;
        }
    }
    high
}

fn note_for(schedule: &Schedule, tz: Zone, at: i64) -> Option<DstNote> {
    let before = offset_at(tz, at - 1);
    let after = offset_at(tz, at);
    let Kind::Spec(fields) = &schedule.kind else {
        return None;
    };
    // Wall times (seconds since the local midnight of the change day) around the change.
    let local_day = wall(tz, at - 1);
    let (effect, wall_times) = if after > before {
        // The wall clock jumps from at+before to at+after: wall times in between never occur.
        let gap_start = at + before;
        let gap_end = at + after;
        let skipped: Vec<String> = (gap_start..gap_end)
            .step_by(60)
            .filter_map(|local| {
                let w = wall(Zone::UTC, local);
                let allowed = fields.minute & (1 << w.minute) != 0
                    && fields.hour & (1 << w.hour) != 0
                    && fields.month & (1 << w.month) != 0
                    && super::next::day_matches(fields, w.day, w.weekday);
                allowed.then(|| format!("{:02}:{:02}", w.hour, w.minute))
            })
            .collect();
        (DstEffect::Skipped, skipped)
    } else {
        // The wall clock goes back: runs in the repeated span fire twice.
        let repeated_from = at - (before - after);
        let repeated_to = at + (before - after);
        let mut seen = Vec::new();
        let mut doubled = Vec::new();
        let first = DateTime::from_timestamp(repeated_from - 1, 0)?;
        for fire in schedule.fire_times(first, tz) {
            let t = fire.timestamp();
            if t >= repeated_to {
                break;
            }
            let w = wall(tz, t);
            let label = format!("{:02}:{:02}", w.hour, w.minute);
            if seen.contains(&label) {
                doubled.push(label);
            } else {
                seen.push(label);
            }
        }
        (DstEffect::Doubled, doubled)
    };
    if wall_times.is_empty() {
        return None;
    }
    let local_date = format!(
        "{:04}-{:02}-{:02}",
        local_day.year, local_day.month, local_day.day
    );
    let clock = |offset: i64| {
        let w = wall(Zone::UTC, at + offset);
        format!("{:02}:{:02}", w.hour, w.minute)
    };
    let (from_clock, to_clock) = (clock(before), clock(after));
    let zone = tz.name();
    let message = match effect {
        DstEffect::Skipped => format!(
            "On {local_date} clocks in {zone} jump from {from_clock} to {to_clock}: {} not happen that day",
            runs_phrase(&wall_times, "does", "do")
        ),
        DstEffect::Doubled => format!(
            "On {local_date} clocks in {zone} go back from {from_clock} to {to_clock}: {} twice, as separate Jobs",
            runs_phrase(&wall_times, "happens", "happen")
        ),
    };
    Some(DstNote {
        transition: DateTime::from_timestamp(at, 0)?,
        local_date,
        effect,
        wall_times,
        message,
    })
}

/// "the 02:30 run does", "the 01:00 and 01:30 runs do", "the 4 runs from 01:00 to 01:45 do".
fn runs_phrase(times: &[String], singular_verb: &str, plural_verb: &str) -> String {
    match times {
        [one] => format!("the {one} run {singular_verb}"),
        [a, b] => format!("the {a} and {b} runs {plural_verb}"),
        [a, b, c] => format!("the {a}, {b} and {c} runs {plural_verb}"),
        [first, .., last] => format!(
            "the {} runs from {first} to {last} {plural_verb}",
            times.len()
        ),
        [] => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::parse;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn notes(spec: &str, tz: Zone, from: &str, to: &str) -> Vec<DstNote> {
        dst_notes(&parse(spec).unwrap(), tz, at(from), at(to))
    }

    #[test]
    fn new_york_spring_forward_skips_0230() {
        let found = notes(
            "30 2 * * *",
            Zone::named("America/New_York").unwrap(),
            "2024-03-01T00:00:00Z",
            "2024-04-01T00:00:00Z",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].effect, DstEffect::Skipped);
        assert_eq!(found[0].local_date, "2024-03-10");
        assert_eq!(found[0].transition, at("2024-03-10T07:00:00Z"));
        assert_eq!(
            found[0].message,
            "On 2024-03-10 clocks in America/New_York jump from 02:00 to 03:00: \
             the 02:30 run does not happen that day"
        );
    }

    #[test]
    fn berlin_fall_back_doubles_0230() {
        let found = notes(
            "30 2 * * *",
            Zone::named("Europe/Berlin").unwrap(),
            "2024-10-01T00:00:00Z",
            "2024-11-01T00:00:00Z",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].effect, DstEffect::Doubled);
        assert_eq!(found[0].wall_times, vec!["02:30"]);
        assert_eq!(
            found[0].message,
            "On 2024-10-27 clocks in Europe/Berlin go back from 03:00 to 02:00: \
             the 02:30 run happens twice, as separate Jobs"
        );
    }

    #[test]
    fn unaffected_schedules_have_no_notes() {
        // 04:00 exists exactly once on both nights; a Monday-only 02:30 misses the Sunday change.
        for spec in ["0 4 * * *", "30 2 * * 1", "@every 1h"] {
            assert!(
                notes(
                    spec,
                    Zone::named("Europe/Berlin").unwrap(),
                    "2024-01-01T00:00:00Z",
                    "2025-01-01T00:00:00Z"
                )
                .is_empty(),
                "{spec}"
            );
        }
        assert!(notes(
            "30 2 * * *",
            Zone::UTC,
            "2024-01-01T00:00:00Z",
            "2025-01-01T00:00:00Z"
        )
        .is_empty());
    }

    #[test]
    fn quarter_hourly_runs_double_in_the_repeated_hour() {
        let found = notes(
            "*/15 * * * *",
            Zone::named("America/New_York").unwrap(),
            "2024-11-01T00:00:00Z",
            "2024-11-05T00:00:00Z",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].wall_times,
            vec!["01:00", "01:15", "01:30", "01:45"]
        );
        assert!(found[0]
            .message
            .contains("the 4 runs from 01:00 to 01:45 happen twice"));
    }
}
