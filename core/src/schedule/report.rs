//! What `batchlab schedule` prints: a schedule's description, its next fire times and the DST
//! nights among them, or the messages the API server would reject it with.

use super::{dst_notes, mentions_tz, parse, parse_time_zone, Zone, TZ_IN_SCHEDULE_MESSAGE};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// The most fire times one report lists.
pub const MAX_COUNT: usize = 10_000;

/// A schedule explained (the JSON contract of `batchlab schedule --format json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub description: String,
    /// Fire times in the schedule's zone, RFC 3339 with the offset (`Z` for UTC, as Go prints it).
    pub next: Vec<String>,
    /// One sentence per DST night between `from` and the last listed fire time that skips or
    /// doubles a run.
    pub dst_nights: Vec<String>,
}

/// Explain `expr` read in `time_zone` (`None`: the controller's zone, modelled as UTC), listing
/// up to `count` fire times after `from`. Errors are the API server's messages for
/// `spec.schedule` / `spec.timeZone`, and a schedule that never fires.
pub fn report(
    expr: &str,
    time_zone: Option<&str>,
    from: DateTime<Utc>,
    count: usize,
) -> Result<Report, Vec<String>> {
    let mut errors = Vec::new();
    let parsed = parse(expr).map_err(|e| errors.push(format!("spec.schedule: {e}")));
    if mentions_tz(expr) {
        errors.push(format!("spec.schedule: {TZ_IN_SCHEDULE_MESSAGE}"));
    }
    let zone = match time_zone {
        None => Ok(Zone::UTC),
        Some(name) => parse_time_zone(name).map_err(|e| errors.push(format!("spec.timeZone: {e}"))),
    };
    let (Ok(schedule), Ok(zone), true) = (parsed, zone, errors.is_empty()) else {
        return Err(errors);
    };
    let times: Vec<DateTime<Utc>> = schedule
        .fire_times(from, zone)
        .take(count.min(MAX_COUNT))
        .collect();
    let Some(last) = times.last() else {
        return Err(vec![
            "the schedule never fires: no matching time within five years (the CronJob controller \
             reports \"invalid schedule\" and creates no Job)"
                .to_string(),
        ]);
    };
    let dst_nights = dst_notes(&schedule, zone, from, *last)
        .into_iter()
        .map(|note| note.message)
        .collect();
    Ok(Report {
        description: schedule.describe(zone),
        next: times
            .iter()
            .map(|t| super::rfc3339(t.timestamp_millis(), zone.offset_at(t.timestamp())))
            .collect(),
        dst_nights,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2024-03-08T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn lists_times_in_the_zone_with_dst_nights() {
        let r = report("30 2 * * *", Some("America/New_York"), from(), 3).unwrap();
        assert_eq!(r.description, "At 02:30 every day, in America/New_York");
        assert_eq!(
            r.next,
            vec![
                "2024-03-08T02:30:00-05:00",
                "2024-03-09T02:30:00-05:00",
                "2024-03-11T02:30:00-04:00"
            ]
        );
        assert_eq!(r.dst_nights.len(), 1);
        assert!(r.dst_nights[0].contains("the 02:30 run does not happen"));
    }

    #[test]
    fn utc_prints_z() {
        let r = report("@hourly", None, from(), 1).unwrap();
        assert_eq!(r.next, vec!["2024-03-08T01:00:00Z"]);
    }

    #[test]
    fn errors_are_the_api_servers() {
        assert_eq!(
            report("* * * * 7", Some("Mars/Base"), from(), 3),
            Err(vec![
                "spec.schedule: end of range (7) above maximum (6): 7".to_string(),
                "spec.timeZone: unknown time zone Mars/Base".to_string()
            ])
        );
        assert_eq!(
            report("TZ=UTC 0 0 * * *", None, from(), 3),
            Err(vec![format!("spec.schedule: {TZ_IN_SCHEDULE_MESSAGE}")])
        );
        assert!(report("0 0 30 2 *", None, from(), 3).unwrap_err()[0].contains("never fires"));
    }
}
