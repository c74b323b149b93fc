//! Units the simulator reads: Go-style durations (`90s`, `5m50s`, `24h`, `500ms`) and Kubernetes
//! resource quantities (`250m`, `2`, `512Mi`, `1G`), plus the virtual instant type `Ms`.
//!
//! Quantities are read by `crate::quantity` (exactly as `resource.Quantity`); this module only
//! converts them to the millicores and bytes the simulator counts in.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Virtual time: milliseconds since the simulation started.
pub type Ms = u64;

/// Parses a Go `time.ParseDuration` string (`1h2m3.5s`, `500ms`, `90s`, `0`) into milliseconds,
/// through the one Go-exact duration reader (`schedule::go_text`, which `@every` also uses), so
/// errors read as Go's (`time: invalid duration "5 minutes"`). Negative durations are refused:
/// nothing in a scenario runs backwards. Sub-millisecond remainders are dropped.
pub fn parse_go_duration(text: &str) -> Result<Ms, String> {
    let nanos = crate::schedule::go_text::parse_duration(text.trim())?;
    if nanos < 0 {
        return Err(format!(
            "duration {text:?} is negative: nothing in a scenario runs backwards"
        ));
    }
    Ok(nanos as u64 / 1_000_000)
}

/// Formats milliseconds as Go's `time.Duration.String()` would (`1m30s`, `2h0m0s`, `500ms`).
pub fn format_go_duration(ms: Ms) -> String {
    if ms == 0 {
        return "0s".into();
    }
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let h = ms / 3_600_000;
    let m = (ms / 60_000) % 60;
    let s = (ms % 60_000) as f64 / 1000.0;
    let secs = if ms.is_multiple_of(1000) {
        format!("{}s", s as u64)
    } else {
        format!("{}s", trim_float(s))
    };
    if h > 0 {
        format!("{h}h{m}m{secs}")
    } else if m > 0 {
        format!("{m}m{secs}")
    } else {
        secs
    }
}

fn trim_float(v: f64) -> String {
    let t = format!("{v:.3}");
    t.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A duration written the Go way in YAML (`90s`), kept in milliseconds. Bare numbers are seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Duration(pub Ms);

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A visitor (not an untagged enum) so the YAML reader can say on which line a bad value is.
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Duration;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a duration such as 90s, 5m50s or 24h")
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Duration, E> {
                Ok(Duration(n.saturating_mul(1000)))
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Duration, E> {
                u64::try_from(n)
                    .map(|n| Duration(n.saturating_mul(1000)))
                    .map_err(|_| E::custom(format!("invalid duration {n}: it is negative")))
            }
            fn visit_f64<E: serde::de::Error>(self, f: f64) -> Result<Duration, E> {
                if f >= 0.0 && f.is_finite() {
                    Ok(Duration((f * 1000.0).round() as Ms))
                } else {
                    Err(E::custom(format!("invalid duration {f}")))
                }
            }
            fn visit_str<E: serde::de::Error>(self, t: &str) -> Result<Duration, E> {
                parse_go_duration(t).map(Duration).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_go_duration(self.0))
    }
}

/// Parses a CPU quantity (`250m`, `0.5`, `2`) into millicores, rounded up as Kubernetes does
/// (`MilliValue()`), through the one quantity parser, `crate::quantity`. Negative quantities are
/// refused.
pub fn parse_cpu_millis(text: &str) -> Option<u64> {
    let q = crate::quantity::Quantity::parse(text.trim()).ok()?;
    u64::try_from(q.milli_value()).ok()
}

/// Parses a memory quantity (`512Mi`, `1G`, `1e9`, `128974848`) into bytes, rounded up as
/// Kubernetes does (`Value()`), through `crate::quantity`. Negative quantities are refused.
pub fn parse_bytes(text: &str) -> Option<u64> {
    let q = crate::quantity::Quantity::parse(text.trim()).ok()?;
    u64::try_from(q.value()).ok()
}

/// A memory or CPU quantity as written in a scenario (`256Mi`), kept as text and checked on read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Quantity(pub String);

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Quantity;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a quantity such as 512Mi, 2Gi, 500m or 4")
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Quantity, E> {
                Ok(Quantity(n.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, f: f64) -> Result<Quantity, E> {
                self.visit_str(&f.to_string())
            }
            fn visit_str<E: serde::de::Error>(self, t: &str) -> Result<Quantity, E> {
                match parse_bytes(t) {
                    Some(_) => Ok(Quantity(t.to_string())),
                    None => Err(E::custom(format!(
                        "invalid quantity {t:?}: expected e.g. 512Mi, 2Gi, 500m, 4"
                    ))),
                }
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl Quantity {
    pub fn bytes(&self) -> u64 {
        parse_bytes(&self.0).unwrap_or(0)
    }
    pub fn millis(&self) -> u64 {
        parse_cpu_millis(&self.0).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations_read_like_go() {
        assert_eq!(parse_go_duration("90s"), Ok(90_000));
        assert_eq!(parse_go_duration("5m50s"), Ok(350_000));
        assert_eq!(parse_go_duration("24h"), Ok(86_400_000));
        assert_eq!(parse_go_duration("1.5s"), Ok(1500));
        assert_eq!(parse_go_duration("500ms"), Ok(500));
        assert!(parse_go_duration("5 minutes").is_err());
        assert!(parse_go_duration("-5s").is_err());
        assert_eq!(format_go_duration(350_000), "5m50s");
        assert_eq!(format_go_duration(7_200_000), "2h0m0s");
    }

    #[test]
    fn quantities() {
        assert_eq!(parse_cpu_millis("250m"), Some(250));
        assert_eq!(parse_cpu_millis("2"), Some(2000));
        assert_eq!(parse_cpu_millis("0.5"), Some(500));
        assert_eq!(parse_bytes("512Mi"), Some(512 * 1024 * 1024));
        assert_eq!(parse_bytes("1G"), Some(1_000_000_000));
        assert_eq!(parse_bytes("x"), None);
    }
}
