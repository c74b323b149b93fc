//! Kubernetes resource quantities (`512Mi`, `0.5`, `250m`, `1e3`, `1Gi`), parsed exactly as
//! `k8s.io/apimachinery/pkg/api/resource` parses them.
//!
//! A [`Quantity`] is an exact decimal number (`mantissa × 10^exponent`), so `0.1` CPU is exactly
//! 100 millicores and `1.5Gi` exactly 1610612736 bytes; comparisons are exact. The simulator uses
//! [`Quantity::value`] (bytes, rounded up as Kubernetes' `Value()` does) for memory and OOM, and
//! [`Quantity::milli_value`] (rounded up as `MilliValue()`) for CPU scheduling.
//!
//! Parsing follows upstream `parseQuantityString`: an optional sign, digits with an optional
//! fraction, then a suffix that is binary SI (`Ki` … `Ei`), decimal SI (`n u m k M G T P E`) or a
//! decimal exponent (`e3`, `E-2`). Malformed text gets upstream's own messages
//! ([`ERR_FORMAT`], [`ERR_SUFFIX`]).

use std::cmp::Ordering;
use std::fmt;

/// Upstream's `ErrFormatWrong` text.
pub const ERR_FORMAT: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
/// Upstream's `ErrSuffix` text.
pub const ERR_SUFFIX: &str = "unable to parse quantity's suffix";

/// Significant digits kept; more are rounded up (upstream keeps arbitrary precision, but no real
/// resource needs more than this and it keeps all arithmetic in `i128`).
const MAX_DIGITS: usize = 30;
/// Exponents beyond this are clamped; such quantities saturate on conversion anyway.
const MAX_EXPONENT: i64 = 400;

/// How a quantity was written, which decides how it is printed back (upstream `Format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `Ki`, `Mi`, … suffixes.
    BinarySI,
    /// `m`, `k`, `M`, … suffixes or none.
    DecimalSI,
    /// `e3`, `E-2`.
    DecimalExponent,
}

/// An exact quantity: `mantissa × 10^exponent`.
#[derive(Debug, Clone, Copy)]
pub struct Quantity {
    mantissa: i128,
    exponent: i32,
    pub format: Format,
}

impl Quantity {
    /// Parse Kubernetes quantity syntax. The error is upstream's message.
    pub fn parse(text: &str) -> Result<Quantity, String> {
        parse(text)
    }

    pub fn from_millis(millis: i64) -> Quantity {
        Quantity {
            mantissa: millis as i128,
            exponent: -3,
            format: Format::DecimalSI,
        }
    }

    pub fn is_negative(&self) -> bool {
        self.mantissa < 0
    }

    pub fn is_zero(&self) -> bool {
        self.mantissa == 0
    }

    /// The value rounded up to a whole number (upstream `Value()`): bytes for memory, cores for
    /// CPU. Saturates at the i64 range.
    pub fn value(&self) -> i64 {
        self.scaled_ceil(0)
    }

    /// The value in thousandths, rounded up (upstream `MilliValue()`): millicores for CPU.
    pub fn milli_value(&self) -> i64 {
        self.scaled_ceil(3)
    }

    /// Approximate value as a float, for display and ratios.
    pub fn as_f64(&self) -> f64 {
        self.mantissa as f64 * 10f64.powi(self.exponent)
    }

    /// `ceil(self × 10^scale)`, saturating.
    fn scaled_ceil(&self, scale: i32) -> i64 {
        let exp = self.exponent + scale;
        let result = if exp >= 0 {
            pow10(exp as u32).and_then(|p| self.mantissa.checked_mul(p))
        } else {
            match pow10((-exp) as u32) {
                Some(p) => {
                    let q = self.mantissa.div_euclid(p);
                    let r = self.mantissa.rem_euclid(p);
                    Some(if r > 0 { q + 1 } else { q })
                }
                None => Some(if self.mantissa > 0 { 1 } else { 0 }),
            }
        };
        match result {
            Some(v) => v.clamp(i64::MIN as i128, i64::MAX as i128) as i64,
            None if self.mantissa < 0 => i64::MIN,
            None => i64::MAX,
        }
    }

    /// Upstream's canonical text (`String()`), as API-server messages print quantities:
    /// `0.5` → `500m`, `1000` → `1k`, `1048576` written as `1024Ki` → `1Mi`.
    pub fn canonical(&self) -> String {
        let (mantissa, exponent) = normalize(self.mantissa, self.exponent);
        if mantissa == 0 {
            return "0".to_string();
        }
        let is_integer = exponent >= 0;
        if self.format == Format::BinarySI && is_integer {
            let value = pow10(exponent as u32).and_then(|p| mantissa.checked_mul(p));
            if let Some(value) = value.filter(|v| v.abs() >= 1024) {
                return binary_text(value);
            }
        }
        // Decimal: round up to nano precision, then pick an exponent that is a multiple of 3.
        let (mut mantissa, mut exponent) = (mantissa, exponent);
        if exponent < -9 {
            let p = pow10((-9 - exponent) as u32).unwrap_or(i128::MAX);
            let q = mantissa.div_euclid(p);
            mantissa = if mantissa.rem_euclid(p) > 0 { q + 1 } else { q };
            exponent = -9;
        }
        while exponent.rem_euclid(3) != 0 {
            mantissa = mantissa.saturating_mul(10);
            exponent -= 1;
        }
        // Fold whole thousands back into the exponent (1000 → 1k).
        while mantissa != 0 && mantissa % 1000 == 0 && exponent < 18 {
            mantissa /= 1000;
            exponent += 3;
        }
        if self.format == Format::DecimalExponent {
            return if exponent == 0 {
                mantissa.to_string()
            } else {
                format!("{mantissa}e{exponent}")
            };
        }
        let suffix = match exponent {
            -9 => "n",
            -6 => "u",
            -3 => "m",
            0 => "",
            3 => "k",
            6 => "M",
            9 => "G",
            12 => "T",
            15 => "P",
            18 => "E",
            _ => return format!("{mantissa}e{exponent}"),
        };
        format!("{mantissa}{suffix}")
    }
}

fn binary_text(value: i128) -> String {
    let suffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
    let mut v = value;
    let mut i = 0;
    while i + 1 < suffixes.len() && v != 0 && v % 1024 == 0 {
        v /= 1024;
        i += 1;
    }
    format!("{v}{}", suffixes[i])
}

/// Remove trailing decimal zeros from the mantissa.
fn normalize(mut mantissa: i128, mut exponent: i32) -> (i128, i32) {
    if mantissa == 0 {
        return (0, 0);
    }
    while mantissa % 10 == 0 {
        mantissa /= 10;
        exponent += 1;
    }
    (mantissa, exponent)
}

fn pow10(n: u32) -> Option<i128> {
    10i128.checked_pow(n)
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Quantity {}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Quantity {
    fn cmp(&self, other: &Self) -> Ordering {
        let sign = |m: i128| m.signum();
        if sign(self.mantissa) != sign(other.mantissa) {
            return sign(self.mantissa).cmp(&sign(other.mantissa));
        }
        let (a, ea) = normalize(self.mantissa, self.exponent);
        let (b, eb) = normalize(other.mantissa, other.exponent);
        // Bring both to the smaller exponent; if that overflows, the one with the larger
        // exponent has the larger magnitude.
        let (lo_exp, hi_is_a) = if ea >= eb { (eb, true) } else { (ea, false) };
        let shift = (ea.max(eb) - lo_exp) as u32;
        let scaled = pow10(shift).and_then(|p| {
            if hi_is_a {
                a.checked_mul(p)
            } else {
                b.checked_mul(p)
            }
        });
        match scaled {
            Some(s) if hi_is_a => s.cmp(&b),
            Some(s) => a.cmp(&s),
            None => {
                let magnitude = if hi_is_a {
                    Ordering::Greater
                } else {
                    Ordering::Less
                };
                if a < 0 {
                    magnitude.reverse()
                } else {
                    magnitude
                }
            }
        }
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical())
    }
}

/// The pieces of a quantity string, as upstream's `parseQuantityString` splits it.
struct Pieces<'a> {
    negative: bool,
    whole: &'a str,
    fraction: &'a str,
    suffix: &'a str,
}

fn split(text: &str) -> Result<Pieces<'_>, String> {
    let bytes = text.as_bytes();
    let mut pos = 0;
    let negative = match bytes.first() {
        Some(b'-') => {
            pos = 1;
            true
        }
        Some(b'+') => {
            pos = 1;
            false
        }
        _ => false,
    };
    let digits_end = |from: usize| {
        bytes[from..]
            .iter()
            .position(|b| !b.is_ascii_digit())
            .map_or(bytes.len(), |p| from + p)
    };
    let whole_end = digits_end(pos);
    let whole = &text[pos..whole_end];
    pos = whole_end;
    let mut fraction = "";
    if bytes.get(pos) == Some(&b'.') {
        let end = digits_end(pos + 1);
        fraction = &text[pos + 1..end];
        pos = end;
    }
    if whole.is_empty() && fraction.is_empty() {
        return Err(ERR_FORMAT.to_string());
    }
    let suffix = &text[pos..];
    // The suffix is letters from "eEinumkKMGTP", then an optional sign and digits.
    let letters = suffix
        .bytes()
        .position(|b| !b"eEinumkKMGTP".contains(&b))
        .unwrap_or(suffix.len());
    let mut rest = &suffix[letters..];
    if let Some(r) = rest.strip_prefix(['+', '-']) {
        rest = r;
    }
    if !rest.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ERR_FORMAT.to_string());
    }
    Ok(Pieces {
        negative,
        whole,
        fraction,
        suffix,
    })
}

/// The suffix as (base, exponent, format): value = number × base^exponent.
fn interpret_suffix(suffix: &str) -> Option<(u32, i64, Format)> {
    let decimal = |e| Some((10, e, Format::DecimalSI));
    let binary = |e| Some((2, e, Format::BinarySI));
    match suffix {
        "" => decimal(0),
        "n" => decimal(-9),
        "u" => decimal(-6),
        "m" => decimal(-3),
        "k" => decimal(3),
        "M" => decimal(6),
        "G" => decimal(9),
        "T" => decimal(12),
        "P" => decimal(15),
        "E" => decimal(18),
        "Ki" => binary(10),
        "Mi" => binary(20),
        "Gi" => binary(30),
        "Ti" => binary(40),
        "Pi" => binary(50),
        "Ei" => binary(60),
        _ => {
            let exp = suffix.strip_prefix(['e', 'E'])?;
            let exp: i64 = exp.parse().ok()?;
            Some((
                10,
                exp.clamp(-MAX_EXPONENT, MAX_EXPONENT),
                Format::DecimalExponent,
            ))
        }
    }
}

fn parse(text: &str) -> Result<Quantity, String> {
    if text.is_empty() {
        return Err(ERR_FORMAT.to_string());
    }
    let pieces = split(text)?;
    let (base, power, format) = interpret_suffix(pieces.suffix).ok_or(ERR_SUFFIX.to_string())?;

    // Digits of whole and fraction form the mantissa; the fraction length lowers the exponent.
    let mut mantissa: i128 = 0;
    let mut exponent: i64 = -(pieces.fraction.len() as i64);
    let mut kept = 0;
    let mut dropped_nonzero = false;
    for b in pieces.whole.bytes().chain(pieces.fraction.bytes()) {
        let digit = (b - b'0') as i128;
        if mantissa == 0 && digit == 0 {
            continue;
        }
        if kept < MAX_DIGITS {
            mantissa = mantissa * 10 + digit;
            kept += 1;
        } else {
            // Past the precision we keep: count the digit in the exponent instead.
            dropped_nonzero |= digit != 0;
            exponent += 1;
        }
    }
    if dropped_nonzero {
        mantissa += 1;
    }
    if base == 2 {
        mantissa = mantissa.saturating_mul(1i128 << power);
    } else {
        exponent += power;
    }
    if pieces.negative {
        mantissa = -mantissa;
    }
    Ok(Quantity {
        mantissa,
        exponent: exponent.clamp(-2 * MAX_EXPONENT, 2 * MAX_EXPONENT) as i32,
        format,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Quantity {
        Quantity::parse(text).unwrap()
    }

    #[test]
    fn memory_in_bytes() {
        assert_eq!(q("512Mi").value(), 512 * 1024 * 1024);
        assert_eq!(q("1Gi").value(), 1 << 30);
        assert_eq!(q("1.5Gi").value(), 1_610_612_736);
        assert_eq!(q("128M").value(), 128_000_000);
        assert_eq!(q("1e3").value(), 1000);
        assert_eq!(q("1E3").value(), 1000);
        assert_eq!(q("100").value(), 100);
        assert_eq!(q("0.5").value(), 1, "Value() rounds up");
    }

    #[test]
    fn cpu_in_millicores() {
        assert_eq!(q("250m").milli_value(), 250);
        assert_eq!(q("0.5").milli_value(), 500);
        assert_eq!(q("2").milli_value(), 2000);
        assert_eq!(q("0.0001").milli_value(), 1, "MilliValue() rounds up");
        assert_eq!(q("100u").milli_value(), 1);
        assert_eq!(q("+1.").milli_value(), 1000);
    }

    #[test]
    fn comparison_is_exact_across_suffixes() {
        assert!(q("500m") > q("250m"));
        assert!(q("0.5") == q("500m"));
        assert!(q("1Gi") > q("1G"));
        assert!(q("1024Mi") == q("1Gi"));
        assert!(q("-1") < q("0"));
        assert!(q("1e300") > q("1Ei"));
    }

    #[test]
    fn canonical_text_matches_upstream() {
        assert_eq!(q("0.5").canonical(), "500m");
        assert_eq!(q("1000").canonical(), "1k");
        assert_eq!(q("1024Mi").canonical(), "1Gi");
        assert_eq!(q("1.5Gi").canonical(), "1536Mi");
        assert_eq!(q("250m").canonical(), "250m");
        assert_eq!(q("1e3").canonical(), "1e3");
        assert_eq!(q("0").canonical(), "0");
        assert_eq!(q("512Mi").canonical(), "512Mi");
    }

    #[test]
    fn malformed_quantities_get_upstream_messages() {
        for bad in [
            "", "abc", "1.2.3", "12 Mi", "Mi", "--1", "1Mi2x", "1MB", "5Kb",
        ] {
            assert_eq!(Quantity::parse(bad).unwrap_err(), ERR_FORMAT, "{bad:?}");
        }
        for bad in ["1mi", "1e", "1iM", "1k2", "1Mm"] {
            assert_eq!(Quantity::parse(bad).unwrap_err(), ERR_SUFFIX, "{bad:?}");
        }
    }

    #[test]
    fn absurd_sizes_saturate_instead_of_overflowing() {
        assert_eq!(q("1e400").value(), i64::MAX);
        assert_eq!(q("-1e400").value(), i64::MIN);
        assert_eq!(
            q("123456789012345678901234567890123456789").value(),
            i64::MAX
        );
        assert_eq!(q("1e-400").value(), 1);
    }
}
