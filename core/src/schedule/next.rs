//! Fire times: robfig/cron v3 `SpecSchedule.Next` (spec.go) and `ConstantDelaySchedule.Next`
//! (constantdelay.go), on Unix seconds.
//!
//! The walk: starting one second after the given instant, advance month, then day, then hour, then
//! minute until each matches; whenever a field has to move, the smaller ones are reset, and if a
//! field wraps around the walk starts over from the month. Months and days move by calendar
//! (Go `AddDate`), hours and minutes by absolute duration (Go `Add`). That mix is what gives
//! Kubernetes its DST behaviour: a 02:30 that does not exist is not run that day, and a 01:30 that
//! happens twice runs twice. After five years without a match robfig gives up (zero time), which
//! is `None` here.

use super::go_time::{add_date, go_date, wall, Wall, SECONDS_PER_HOUR, SECONDS_PER_MINUTE};
use super::parse::STAR_BIT;
use super::{FieldSet, Zone};

/// robfig's give-up horizon.
const YEARS_SEARCHED: i64 = 5;

/// A safety net on top of robfig's own horizon: no schedule needs anywhere near this many steps
/// within five years (the worst real case, a never-matching day, is about 2 000).
const MAX_STEPS: u32 = 200_000;

/// Does the day of `w` match (robfig's `dayMatches`): both day fields must match if either was
/// written as a star, otherwise either may.
pub(super) fn day_matches(fields: &FieldSet, day: u32, weekday: u32) -> bool {
    let dom_match = fields.dom & (1 << day) != 0;
    let dow_match = fields.dow & (1 << weekday) != 0;
    if fields.dom & STAR_BIT != 0 || fields.dow & STAR_BIT != 0 {
        dom_match && dow_match
    } else {
        dom_match || dow_match
    }
}

fn has(bits: u64, value: u32) -> bool {
    bits & (1 << value) != 0
}

/// The smallest value in `from..=to` present in `bits`.
fn next_set_bit(bits: u64, from: u32, to: u32) -> Option<u32> {
    (from..=to).find(|v| has(bits, *v))
}

/// The first fire time strictly after `after` (Unix seconds, already floored), evaluated in `tz`.
pub fn next_spec(fields: &FieldSet, after: i64, tz: Zone) -> Option<i64> {
    walk(fields, after, tz, Stepping::Jump)
}

/// How the hour and minute loops advance. `OneByOne` is robfig's literal loop, kept so tests can
/// prove the shortcut gives the same answers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stepping {
    Jump,
    #[cfg_attr(not(test), allow(dead_code))]
    OneByOne,
}

/// An hour or minute field as robfig's loops advance it.
struct Unit {
    seconds: i64,
    max: u32,
    read: fn(&Wall) -> u32,
}

const HOUR_UNIT: Unit = Unit {
    seconds: SECONDS_PER_HOUR,
    max: 23,
    read: |w| w.hour,
};
const MINUTE_UNIT: Unit = Unit {
    seconds: SECONDS_PER_MINUTE,
    max: 59,
    read: |w| w.minute,
};

/// robfig's loop `for !matches { t = t.Add(unit); if value == 0 { goto WRAP } }`: step until the
/// field's value is allowed or wraps to 0. With `Stepping::Jump`, go straight to the next allowed
/// value (or the wrap) when the zone's offset is the same at both ends, which is the loop's
/// result unless a clock change lies in between; then take the steps one by one.
fn advance(tz: Zone, t: i64, w: Wall, unit: &Unit, bits: u64, stepping: Stepping) -> (i64, Wall) {
    let value = (unit.read)(&w);
    let target = next_set_bit(bits, value + 1, unit.max).unwrap_or(unit.max + 1);
    let jumped = t + i64::from(target - value) * unit.seconds;
    let jumped_wall = wall(tz, jumped);
    if stepping == Stepping::Jump && jumped_wall.offset == w.offset {
        return (jumped, jumped_wall);
    }
    let mut t = t;
    loop {
        t += unit.seconds;
        let w = wall(tz, t);
        let value = (unit.read)(&w);
        if value == 0 || has(bits, value) {
            return (t, w);
        }
    }
}

fn walk(fields: &FieldSet, after: i64, tz: Zone, stepping: Stepping) -> Option<i64> {
    // A field with no value at all can never match; robfig would spin for five years to find out.
    if fields.minute & !STAR_BIT == 0
        || fields.hour & !STAR_BIT == 0
        || fields.month & !STAR_BIT == 0
    {
        return None;
    }
    let mut t = after + 1;
    let mut added = false;
    // The first reading serves the limit and the first pass (the simulator asks for every fire
    // time of a month-long run, and a minute's schedule takes only two readings per answer).
    let mut first = Some(wall(tz, t));
    let year_limit = first.map_or(0, |w| w.year) + YEARS_SEARCHED;
    let mut steps = 0u32;

    'wrap: loop {
        let mut w = first.take().unwrap_or_else(|| wall(tz, t));
        if w.year > year_limit || steps > MAX_STEPS {
            return None;
        }
        while !has(fields.month, w.month) {
            steps += 1;
            if !added {
                added = true;
                t = go_date(tz, w.year, i64::from(w.month), 1, 0, 0, 0);
            }
            t = add_date(tz, t, 1, 0);
            w = wall(tz, t);
            if w.month == 1 {
                continue 'wrap;
            }
        }
        while !day_matches(fields, w.day, w.weekday) {
            steps += 1;
            if steps > MAX_STEPS {
                return None;
            }
            if !added {
                added = true;
                t = go_date(tz, w.year, i64::from(w.month), i64::from(w.day), 0, 0, 0);
            }
            t = add_date(tz, t, 0, 1);
            w = wall(tz, t);
            // Midnight may not exist (e.g. DST at 00:00): robfig nudges back onto the day.
            if w.hour != 0 {
                let hour = i64::from(w.hour);
                t += if hour > 12 {
                    (24 - hour) * SECONDS_PER_HOUR
                } else {
                    -hour * SECONDS_PER_HOUR
                };
                w = wall(tz, t);
            }
            if w.day == 1 {
                continue 'wrap;
            }
        }
        if !has(fields.hour, w.hour) {
            steps += 1;
            if !added {
                added = true;
                t = go_date(
                    tz,
                    w.year,
                    i64::from(w.month),
                    i64::from(w.day),
                    i64::from(w.hour),
                    0,
                    0,
                );
                w = wall(tz, t);
            }
            (t, w) = advance(tz, t, w, &HOUR_UNIT, fields.hour, stepping);
            if w.hour == 0 {
                continue 'wrap;
            }
        }
        if !has(fields.minute, w.minute) {
            steps += 1;
            if !added {
                added = true;
                t = t.div_euclid(SECONDS_PER_MINUTE) * SECONDS_PER_MINUTE;
                w = wall(tz, t);
            }
            (t, w) = advance(tz, t, w, &MINUTE_UNIT, fields.minute, stepping);
            if w.minute == 0 {
                continue 'wrap;
            }
        }
        // The seconds field of ParseStandard is always `0`: robfig adds one second at a time
        // until the second is 0, which wraps, so the walk starts over from the next minute.
        if w.second != 0 {
            added = true;
            t += i64::from(60 - w.second);
            continue 'wrap;
        }
        return Some(t);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::parse::{
        parse_field, DAYS_OF_MONTH, DAYS_OF_WEEK, HOURS, MINUTES, MONTHS,
    };
    use proptest::prelude::*;

    const ZONES: [&str; 6] = [
        "UTC",
        "America/New_York",
        "Europe/Berlin",
        "Australia/Lord_Howe", // a 30-minute DST shift
        "America/Sao_Paulo",   // DST at midnight (until 2019)
        "Asia/Kathmandu",      // +05:45
    ];

    fn field() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("*".to_string()),
            (0u32..60).prop_map(|v| v.to_string()),
            (1u32..20).prop_map(|s| format!("*/{s}")),
            (0u32..30, 1u32..30).prop_map(|(a, b)| format!("{a}-{}", a + b)),
            (0u32..10, 0u32..10).prop_map(|(a, b)| format!("{a},{}", a + b + 1)),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        /// The hour/minute shortcuts land exactly where robfig's one-step loops land.
        #[test]
        fn jumping_equals_stepping(
            minute in field(), hour in field(), dom in field(), month in field(), dow in field(),
            zone in 0usize..ZONES.len(),
            // 2015-2026, to the second.
            start in 1_420_070_400i64..1_798_761_600,
        ) {
            let bits = |text: &str, b| parse_field(text, b);
            let (Ok(minute), Ok(hour), Ok(dom), Ok(month), Ok(dow)) = (
                bits(&minute, &MINUTES), bits(&hour, &HOURS), bits(&dom, &DAYS_OF_MONTH),
                bits(&month, &MONTHS), bits(&dow, &DAYS_OF_WEEK),
            ) else {
                return Ok(());
            };
            let fields = FieldSet { minute, hour, dom, month, dow };
            let tz = Zone::named(ZONES[zone]).unwrap();
            let mut after = start;
            for _ in 0..5 {
                let jumped = walk(&fields, after, tz, Stepping::Jump);
                let stepped = walk(&fields, after, tz, Stepping::OneByOne);
                prop_assert_eq!(jumped, stepped);
                match jumped {
                    Some(next) => after = next,
                    None => break,
                }
            }
        }
    }
}
