//! The schedule parser: Go robfig/cron v3 `ParseStandard`, the function the CronJob controller and
//! the API server's validation call (robfig/cron v3.0.1 `parser.go`; Kubernetes
//! `pkg/apis/batch/validation/validation.go` `validateScheduleFormat`).
//!
//! Each field becomes a 64-bit set of allowed values, plus a "star" bit (bit 63) recording that the
//! field was written as `*` or `?` without a step greater than 1; `Next` uses that bit for the
//! day-of-month / day-of-week rule. Error texts are robfig's, word for word.

use super::go_text::{atoi, parse_duration};
use super::zone::go_load_location;
use super::{FieldSet, Kind, Schedule, Zone};

/// Bit 63: the field was `*` or `?` (robfig's `starBit`).
pub const STAR_BIT: u64 = 1 << 63;

/// The value range and names of one field (robfig's `bounds`).
pub struct Bounds {
    pub min: u64,
    pub max: u64,
    pub names: &'static [(&'static str, u64)],
}

pub const MINUTES: Bounds = Bounds {
    min: 0,
    max: 59,
    names: &[],
};
pub const HOURS: Bounds = Bounds {
    min: 0,
    max: 23,
    names: &[],
};
pub const DAYS_OF_MONTH: Bounds = Bounds {
    min: 1,
    max: 31,
    names: &[],
};
pub const MONTHS: Bounds = Bounds {
    min: 1,
    max: 12,
    names: &[
        ("jan", 1),
        ("feb", 2),
        ("mar", 3),
        ("apr", 4),
        ("may", 5),
        ("jun", 6),
        ("jul", 7),
        ("aug", 8),
        ("sep", 9),
        ("oct", 10),
        ("nov", 11),
        ("dec", 12),
    ],
};
pub const DAYS_OF_WEEK: Bounds = Bounds {
    min: 0,
    max: 6,
    names: &[
        ("sun", 0),
        ("mon", 1),
        ("tue", 2),
        ("wed", 3),
        ("thu", 4),
        ("fri", 5),
        ("sat", 6),
    ],
};

/// Parse a schedule exactly as robfig/cron v3 `ParseStandard` does.
pub fn parse_standard(spec: &str) -> Result<Schedule, String> {
    if spec.is_empty() {
        return Err("empty spec string".to_string());
    }
    let (zone, body) = split_zone_prefix(spec)?;
    let (kind, macro_name) = if body.starts_with('@') {
        parse_descriptor(body)?
    } else {
        (Kind::Spec(parse_fields(body)?), None)
    };
    Ok(Schedule {
        source: spec.to_string(),
        kind,
        zone,
        macro_name,
    })
}

/// robfig's `TZ=<zone> ` / `CRON_TZ=<zone> ` prefix: the zone (None = the controller's own zone,
/// for `Local`) and the rest of the spec.
fn split_zone_prefix(spec: &str) -> Result<(Option<Zone>, &str), String> {
    if !(spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=")) {
        return Ok((None, spec));
    }
    // robfig v3.0.1 slices up to the first space without checking there is one (a Go panic);
    // later robfig returns this error, which is the sane reading.
    let Some(space) = spec.find(' ') else {
        return Err(format!("invalid location descriptior: {spec}"));
    };
    let equals = spec.find('=').unwrap_or(0);
    let name = &spec[equals + 1..space];
    let zone =
        go_load_location(name).map_err(|err| format!("provided bad location {name}: {err}"))?;
    Ok((zone, spec[space..].trim()))
}

fn parse_fields(spec: &str) -> Result<FieldSet, String> {
    let fields: Vec<&str> = spec.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(format!(
            "expected exactly 5 fields, found {}: [{}]",
            fields.len(),
            fields.join(" ")
        ));
    }
    Ok(FieldSet {
        minute: parse_field(fields[0], &MINUTES)?,
        hour: parse_field(fields[1], &HOURS)?,
        dom: parse_field(fields[2], &DAYS_OF_MONTH)?,
        month: parse_field(fields[3], &MONTHS)?,
        dow: parse_field(fields[4], &DAYS_OF_WEEK)?,
    })
}

/// A comma-separated list of ranges (robfig's `getField`). Empty list items are dropped, as Go's
/// `strings.FieldsFunc` drops them, so `,` alone is a field that matches nothing.
pub fn parse_field(field: &str, bounds: &Bounds) -> Result<u64, String> {
    let mut bits = 0;
    for range in field.split(',').filter(|r| !r.is_empty()) {
        bits |= parse_range(range, bounds)?;
    }
    Ok(bits)
}

/// One `number | name | * | ?`, optionally `-end`, optionally `/step` (robfig's `getRange`).
fn parse_range(expr: &str, bounds: &Bounds) -> Result<u64, String> {
    let range_and_step: Vec<&str> = expr.split('/').collect();
    let low_and_high: Vec<&str> = range_and_step[0].split('-').collect();
    let single_value = low_and_high.len() == 1;
    let mut star = 0;
    let (start, mut end) = if low_and_high[0] == "*" || low_and_high[0] == "?" {
        // robfig ignores anything after a star's hyphen: `*-5` means `*`.
        star = STAR_BIT;
        (bounds.min, bounds.max)
    } else {
        let start = parse_int_or_name(low_and_high[0], bounds)?;
        let end = match low_and_high.len() {
            1 => start,
            2 => parse_int_or_name(low_and_high[1], bounds)?,
            _ => return Err(format!("too many hyphens: {expr}")),
        };
        (start, end)
    };
    let step = match range_and_step.len() {
        1 => 1,
        2 => {
            let step = parse_non_negative(range_and_step[1])?;
            // `N/step` means `N-max/step`.
            if single_value {
                end = bounds.max;
            }
            if step > 1 {
                star = 0;
            }
            step
        }
        _ => return Err(format!("too many slashes: {expr}")),
    };
    if start < bounds.min {
        return Err(format!(
            "beginning of range ({start}) below minimum ({}): {expr}",
            bounds.min
        ));
    }
    if end > bounds.max {
        return Err(format!(
            "end of range ({end}) above maximum ({}): {expr}",
            bounds.max
        ));
    }
    if start > end {
        return Err(format!(
            "beginning of range ({start}) beyond end of range ({end}): {expr}"
        ));
    }
    if step == 0 {
        return Err(format!("step of range should be a positive number: {expr}"));
    }
    Ok(bits_between(start, end, step) | star)
}

fn parse_int_or_name(expr: &str, bounds: &Bounds) -> Result<u64, String> {
    let lower = expr.to_lowercase();
    if let Some((_, value)) = bounds.names.iter().find(|(name, _)| *name == lower) {
        return Ok(*value);
    }
    parse_non_negative(expr)
}

/// robfig's `mustParseInt`: Go `strconv.Atoi`, negatives refused.
fn parse_non_negative(expr: &str) -> Result<u64, String> {
    let number = atoi(expr).map_err(|err| format!("failed to parse int from {expr}: {err}"))?;
    if number < 0 {
        return Err(format!("negative number ({number}) not allowed: {expr}"));
    }
    Ok(number as u64)
}

/// The values start, start+step, ... up to end, as bits. Callers guarantee end ≤ 59.
fn bits_between(start: u64, end: u64, step: u64) -> u64 {
    let mut bits = 0;
    let mut value = start;
    while value <= end {
        bits |= 1 << value;
        value = match value.checked_add(step) {
            Some(next) => next,
            None => break,
        };
    }
    bits
}

/// Every value of a field, with the star bit (robfig's `all`).
fn all(bounds: &Bounds) -> u64 {
    bits_between(bounds.min, bounds.max, 1) | STAR_BIT
}

/// `@yearly`, `@every 1h30m`... (robfig's `parseDescriptor`). The text must match exactly: no
/// trailing spaces, lower case.
fn parse_descriptor(descriptor: &str) -> Result<(Kind, Option<&'static str>), String> {
    let fields = |minute, hour, dom, month, dow| {
        Kind::Spec(FieldSet {
            minute,
            hour,
            dom,
            month,
            dow,
        })
    };
    let (kind, name) = match descriptor {
        "@yearly" | "@annually" => (
            fields(1, 1, 1 << 1, 1 << 1, all(&DAYS_OF_WEEK)),
            if descriptor == "@yearly" {
                "@yearly"
            } else {
                "@annually"
            },
        ),
        "@monthly" => (
            fields(1, 1, 1 << 1, all(&MONTHS), all(&DAYS_OF_WEEK)),
            "@monthly",
        ),
        "@weekly" => (
            fields(1, 1, all(&DAYS_OF_MONTH), all(&MONTHS), 1),
            "@weekly",
        ),
        "@daily" | "@midnight" => (
            fields(1, 1, all(&DAYS_OF_MONTH), all(&MONTHS), all(&DAYS_OF_WEEK)),
            if descriptor == "@daily" {
                "@daily"
            } else {
                "@midnight"
            },
        ),
        "@hourly" => (
            fields(
                1,
                all(&HOURS),
                all(&DAYS_OF_MONTH),
                all(&MONTHS),
                all(&DAYS_OF_WEEK),
            ),
            "@hourly",
        ),
        _ => return parse_every(descriptor).map(|kind| (kind, None)),
    };
    Ok((kind, Some(name)))
}

/// `@every <Go duration>`: a fixed interval, rounded down to whole seconds, at least one second
/// (robfig's `Every`).
fn parse_every(descriptor: &str) -> Result<Kind, String> {
    let Some(duration_text) = descriptor.strip_prefix("@every ") else {
        return Err(format!("unrecognized descriptor: {descriptor}"));
    };
    let nanoseconds = parse_duration(duration_text)
        .map_err(|err| format!("failed to parse duration {descriptor}: {err}"))?;
    let seconds = (nanoseconds / 1_000_000_000).max(1);
    Ok(Kind::Every { seconds })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(spec: &str) -> String {
        parse_standard(spec)
            .err()
            .unwrap_or_else(|| panic!("{spec} parsed"))
    }

    fn fields(spec: &str) -> FieldSet {
        match parse_standard(spec).unwrap().kind {
            Kind::Spec(f) => f,
            Kind::Every { .. } => panic!("every"),
        }
    }

    #[test]
    fn robfig_error_texts() {
        assert_eq!(err(""), "empty spec string");
        assert_eq!(err("error"), "expected exactly 5 fields, found 1: [error]");
        assert_eq!(
            err("0 0 * * * *"),
            "expected exactly 5 fields, found 6: [0 0 * * * *]"
        );
        assert_eq!(err("   "), "expected exactly 5 fields, found 0: []");
        assert_eq!(
            err("60 * * * *"),
            "end of range (60) above maximum (59): 60"
        );
        assert_eq!(err("* * * * 7"), "end of range (7) above maximum (6): 7");
        assert_eq!(
            err("* * 0 * *"),
            "beginning of range (0) below minimum (1): 0"
        );
        assert_eq!(
            err("5-1 * * * *"),
            "beginning of range (5) beyond end of range (1): 5-1"
        );
        assert_eq!(err("1-2-3 * * * *"), "too many hyphens: 1-2-3");
        assert_eq!(err("*/2/3 * * * *"), "too many slashes: */2/3");
        assert_eq!(
            err("*/0 * * * *"),
            "step of range should be a positive number: */0"
        );
        assert_eq!(
            err("x * * * *"),
            "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax"
        );
        assert_eq!(
            err("-5 * * * *"),
            "failed to parse int from : strconv.Atoi: parsing \"\": invalid syntax"
        );
        assert_eq!(err("*/-5 * * * *"), "negative number (-5) not allowed: -5");
        assert_eq!(
            err("* * * * L"),
            "failed to parse int from L: strconv.Atoi: parsing \"L\": invalid syntax"
        );
        assert_eq!(err("@reboot"), "unrecognized descriptor: @reboot");
        assert_eq!(err("@every"), "unrecognized descriptor: @every");
        assert_eq!(
            err("@every 1d"),
            "failed to parse duration @every 1d: time: unknown unit \"d\" in duration \"1d\""
        );
        assert_eq!(
            err("TZ=Mars/Olympus 0 0 * * *"),
            "provided bad location Mars/Olympus: unknown time zone Mars/Olympus"
        );
    }

    #[test]
    fn names_are_case_insensitive() {
        let f = fields("0 0 * JAN-mar Mon-FRI");
        assert_eq!(f.month, 0b1110);
        assert_eq!(f.dow, 0b11_1110);
    }

    #[test]
    fn steps_and_stars() {
        let f = fields("*/15 0-6/3 */1 5/4 ?");
        assert_eq!(f.minute, 1 | 1 << 15 | 1 << 30 | 1 << 45);
        assert_eq!(f.hour, 1 | 1 << 3 | 1 << 6);
        // `*/1` keeps the star bit, `*/2` would not.
        assert_ne!(f.dom & STAR_BIT, 0);
        assert_eq!(f.month, 1 << 5 | 1 << 9);
        assert_ne!(f.dow & STAR_BIT, 0);
        assert_eq!(fields("0 0 */2 * *").dom & STAR_BIT, 0);
        // A star before a hyphen swallows the rest, as in robfig.
        assert_eq!(fields("*-5 * * * *").minute, all(&MINUTES));
    }

    #[test]
    fn macros() {
        assert_eq!(fields("@midnight"), fields("0 0 * * *"));
        assert_eq!(fields("@annually"), fields("0 0 1 1 *"));
        assert_eq!(fields("@weekly"), fields("0 0 * * 0"));
        assert_eq!(fields("@hourly"), fields("0 * * * *"));
        assert!(matches!(
            parse_standard("@every 1h30m").unwrap().kind,
            Kind::Every { seconds: 5_400 }
        ));
        assert!(matches!(
            parse_standard("@every 300ms").unwrap().kind,
            Kind::Every { seconds: 1 }
        ));
        assert!(matches!(
            parse_standard("@every 90.9s").unwrap().kind,
            Kind::Every { seconds: 90 }
        ));
    }

    #[test]
    fn zone_prefix() {
        let s = parse_standard("CRON_TZ=Europe/Berlin 30 2 * * *").unwrap();
        assert_eq!(s.zone, Some(Zone::named("Europe/Berlin").unwrap()));
        let s = parse_standard("TZ=Local @daily").unwrap();
        assert_eq!(s.zone, None);
    }

    #[test]
    fn empty_list_items_are_dropped() {
        assert_eq!(fields("1,,2 * * * *").minute, 0b110);
        assert_eq!(fields(", * * * *").minute, 0);
    }
}
