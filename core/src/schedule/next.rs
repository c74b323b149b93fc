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

use super::go_time::{add_date, go_date, wall, SECONDS_PER_HOUR, SECONDS_PER_MINUTE};
use super::parse::STAR_BIT;
use super::FieldSet;
use chrono_tz::Tz;

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
pub fn next_spec(fields: &FieldSet, after: i64, tz: Tz) -> Option<i64> {
    // A field with no value at all can never match; robfig would spin for five years to find out.
    if fields.minute & !STAR_BIT == 0
        || fields.hour & !STAR_BIT == 0
        || fields.month & !STAR_BIT == 0
    {
        return None;
    }
    let mut t = after + 1;
    let mut added = false;
    let year_limit = wall(tz, t).year + YEARS_SEARCHED;
    let mut steps = 0u32;

    'wrap: loop {
        let mut w = wall(tz, t);
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
        while !has(fields.hour, w.hour) {
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
            }
            t += SECONDS_PER_HOUR;
            w = wall(tz, t);
            if w.hour == 0 {
                continue 'wrap;
            }
        }
        if !has(fields.minute, w.minute) {
            if !added {
                added = true;
                t = t.div_euclid(SECONDS_PER_MINUTE) * SECONDS_PER_MINUTE;
                w = wall(tz, t);
            }
            // robfig adds one minute at a time until the minute matches or wraps to 0; jump
            // straight there when the zone's offset is the same at both ends (it always is,
            // except across a transition, where we take robfig's steps one by one).
            let target = next_set_bit(fields.minute, w.minute + 1, 59).unwrap_or(60);
            let jumped = t + i64::from(target - w.minute) * SECONDS_PER_MINUTE;
            let jumped_wall = wall(tz, jumped);
            if jumped_wall.offset == w.offset {
                t = jumped;
                w = jumped_wall;
            } else {
                loop {
                    steps += 1;
                    t += SECONDS_PER_MINUTE;
                    w = wall(tz, t);
                    if w.minute == 0 || has(fields.minute, w.minute) {
                        break;
                    }
                }
            }
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
