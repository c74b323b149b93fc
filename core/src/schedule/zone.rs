//! Time zone names: `spec.timeZone` as the API server validates it (Kubernetes
//! `pkg/apis/batch/validation/validation.go` `validateTimeZone`) and Go's `time.LoadLocation`,
//! which both the validator and robfig's `TZ=` prefix call.
//!
//! The zone database is chrono-tz's copy of IANA tzdata (through `tzdata`); Go embeds its own copy. Names present in
//! one release and not the other are the only expected difference.

use super::Zone;

/// `spec.timeZone: ""`.
pub const EMPTY_TIME_ZONE_MESSAGE: &str = "timeZone must be nil or non-empty string";
/// `spec.timeZone: Local` (any case).
pub const LOCAL_TIME_ZONE_MESSAGE: &str =
    "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones";

/// Every message the API server gives for `spec.timeZone: <name>`, in its order (empty = valid).
/// Usually one; `local` in lower case gets two (not `Local`, and not a loadable name either).
pub fn validate_time_zone(name: &str) -> Vec<String> {
    if name.is_empty() {
        return vec![EMPTY_TIME_ZONE_MESSAGE.to_string()];
    }
    if !name.split('/').all(is_valid_part) {
        return vec![format!("unknown time zone {name}")];
    }
    let mut messages = Vec::new();
    if name.eq_ignore_ascii_case("local") {
        messages.push(LOCAL_TIME_ZONE_MESSAGE.to_string());
    }
    if let Err(err) = go_load_location(name) {
        messages.push(err);
    }
    messages
}

/// `spec.timeZone` to a zone, or the API server's (first) message for it.
pub fn parse_time_zone(name: &str) -> Result<Zone, String> {
    if let Some(first) = validate_time_zone(name).into_iter().next() {
        return Err(first);
    }
    // Validation passed, so the name loads and is not `Local`.
    go_load_location(name)?.ok_or_else(|| LOCAL_TIME_ZONE_MESSAGE.to_string())
}

/// One `/`-separated part of a zone name: `^[A-Za-z\.\-_0-9+]{1,14}$`, not `.`/`..`, no leading `-`.
fn is_valid_part(part: &str) -> bool {
    let length_ok = (1..=14).contains(&part.len());
    let characters_ok = part
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'+'));
    length_ok && characters_ok && part != "." && part != ".." && !part.starts_with('-')
}

/// Go's `time.LoadLocation`: `""` and `UTC` are UTC, `Local` is the process's own zone (`None`,
/// which Batch Lab models as the controller's zone), anything else must be a tzdata name.
pub fn go_load_location(name: &str) -> Result<Option<Zone>, String> {
    match name {
        "" | "UTC" => return Ok(Some(Zone::UTC)),
        "Local" => return Ok(None),
        _ => {}
    }
    if name.contains("..") || name.starts_with('/') || name.starts_with('\\') {
        return Err("time: invalid location name".to_string());
    }
    Zone::named(name)
        .map(Some)
        .ok_or_else(|| format!("unknown time zone {name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubernetes_messages() {
        assert_eq!(
            parse_time_zone(""),
            Err(EMPTY_TIME_ZONE_MESSAGE.to_string())
        );
        assert_eq!(
            parse_time_zone("Local"),
            Err(LOCAL_TIME_ZONE_MESSAGE.to_string())
        );
        assert_eq!(
            validate_time_zone("local"),
            vec![
                LOCAL_TIME_ZONE_MESSAGE.to_string(),
                "unknown time zone local".to_string()
            ]
        );
        assert_eq!(
            parse_time_zone("Europe/Berlin Time"),
            Err("unknown time zone Europe/Berlin Time".to_string())
        );
        assert_eq!(
            parse_time_zone("America/Argentina_Buenos"),
            Err("unknown time zone America/Argentina_Buenos".to_string())
        );
        assert_eq!(
            parse_time_zone("../etc/passwd"),
            Err("unknown time zone ../etc/passwd".to_string())
        );
        assert_eq!(
            parse_time_zone("Mars/Olympus"),
            Err("unknown time zone Mars/Olympus".to_string())
        );
        assert_eq!(
            parse_time_zone("europe/berlin"),
            Err("unknown time zone europe/berlin".to_string())
        );
    }

    #[test]
    fn good_zones() {
        assert_eq!(
            parse_time_zone("Asia/Jakarta"),
            Ok(Zone::named("Asia/Jakarta").unwrap())
        );
        assert_eq!(parse_time_zone("UTC"), Ok(Zone::UTC));
        assert_eq!(
            parse_time_zone("Etc/GMT+5"),
            Ok(Zone::named("Etc/GMT+5").unwrap())
        );
        assert_eq!(
            parse_time_zone("US/Eastern"),
            Ok(Zone::named("US/Eastern").unwrap())
        );
    }
}
