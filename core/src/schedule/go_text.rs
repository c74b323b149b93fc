//! Go's `strconv.Atoi` and `time.ParseDuration`, with their error texts, because robfig/cron
//! passes those errors through to the learner (`failed to parse int from x: strconv.Atoi: parsing
//! "x": invalid syntax`, `failed to parse duration @every 1d: time: unknown unit "d" in duration
//! "1d"`).

/// Go's `strconv.Atoi` on a 64-bit platform, returning the `*NumError` text on failure.
pub fn atoi(text: &str) -> Result<i64, String> {
    let syntax = || {
        format!(
            "strconv.Atoi: parsing {}: invalid syntax",
            strconv_quote(text)
        )
    };
    let range = || {
        format!(
            "strconv.Atoi: parsing {}: value out of range",
            strconv_quote(text)
        )
    };
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() {
        return Err(syntax());
    }
    let mut value: u64 = 0;
    for byte in digits.bytes() {
        if !byte.is_ascii_digit() {
            return Err(syntax());
        }
        // Go reports whichever comes first left to right: a bad character or the overflow.
        value = match value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(byte - b'0')))
        {
            Some(v) => v,
            None => return Err(range()),
        };
    }
    let limit = if negative {
        1u64 << 63
    } else {
        (1u64 << 63) - 1
    };
    if value > limit {
        return Err(range());
    }
    Ok(if negative {
        (value as i64).wrapping_neg()
    } else {
        value as i64
    })
}

/// Go's `time.ParseDuration`, in whole nanoseconds.
pub fn parse_duration(text: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", time_quote(text));
    let mut rest = text;
    let mut negative = false;
    if let Some(first) = rest.as_bytes().first() {
        if *first == b'-' || *first == b'+' {
            negative = *first == b'-';
            rest = &rest[1..];
        }
    }
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total: u64 = 0;
    while !rest.is_empty() {
        let first = rest.as_bytes()[0];
        if !(first == b'.' || first.is_ascii_digit()) {
            return Err(invalid());
        }
        let int_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let whole = leading_int(&rest[..int_len]).ok_or_else(invalid)?;
        rest = &rest[int_len..];
        let mut fraction: u64 = 0;
        let mut scale: f64 = 1.0;
        let mut fraction_len = 0;
        if rest.as_bytes().first() == Some(&b'.') {
            rest = &rest[1..];
            fraction_len = rest.bytes().take_while(u8::is_ascii_digit).count();
            let mut overflowed = false;
            for byte in rest[..fraction_len].bytes() {
                if overflowed {
                    continue;
                }
                if fraction > ((1u64 << 63) - 1) / 10 {
                    overflowed = true;
                    continue;
                }
                let next = fraction * 10 + u64::from(byte - b'0');
                if next > 1u64 << 63 {
                    overflowed = true;
                    continue;
                }
                fraction = next;
                scale *= 10.0;
            }
            rest = &rest[fraction_len..];
        }
        if int_len == 0 && fraction_len == 0 {
            return Err(invalid());
        }
        let unit_len = rest
            .bytes()
            .take_while(|b| !(*b == b'.' || b.is_ascii_digit()))
            .count();
        if unit_len == 0 {
            return Err(format!(
                "time: missing unit in duration {}",
                time_quote(text)
            ));
        }
        let unit_text = &rest[..unit_len];
        rest = &rest[unit_len..];
        let unit = unit_nanoseconds(unit_text).ok_or_else(|| {
            format!(
                "time: unknown unit {} in duration {}",
                time_quote(unit_text),
                time_quote(text)
            )
        })?;
        if whole > (1u64 << 63) / unit {
            return Err(invalid());
        }
        let mut value = whole * unit;
        if fraction > 0 {
            value += (fraction as f64 * (unit as f64 / scale)) as u64;
            if value > 1u64 << 63 {
                return Err(invalid());
            }
        }
        total += value;
        if total > 1u64 << 63 {
            return Err(invalid());
        }
    }
    if negative {
        return Ok((total as i64).wrapping_neg());
    }
    if total > (1u64 << 63) - 1 {
        return Err(invalid());
    }
    Ok(total as i64)
}

/// Go's `leadingInt`: digits to a number, `None` on overflow past 2^63.
fn leading_int(digits: &str) -> Option<u64> {
    let mut value: u64 = 0;
    for byte in digits.bytes() {
        if value > (1u64 << 63) / 10 {
            return None;
        }
        value = value * 10 + u64::from(byte - b'0');
        if value > 1u64 << 63 {
            return None;
        }
    }
    Some(value)
}

fn unit_nanoseconds(unit: &str) -> Option<u64> {
    Some(match unit {
        "ns" => 1,
        "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => return None,
    })
}

/// Go's `strconv.Quote` for the characters a whitespace-free cron field can hold.
pub fn strconv_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x80 && c.is_control() => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The `time` package's own `quote`: ASCII as is (with `"` and `\` escaped), every byte of any
/// other character as `\xHH`.
fn time_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if !c.is_ascii() || c < ' ' {
            let mut buffer = [0u8; 4];
            for byte in c.encode_utf8(&mut buffer).bytes() {
                out.push_str(&format!("\\x{byte:02x}"));
            }
        } else {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atoi_matches_go() {
        assert_eq!(atoi("42"), Ok(42));
        assert_eq!(atoi("+7"), Ok(7));
        assert_eq!(atoi("-3"), Ok(-3));
        assert_eq!(atoi("007"), Ok(7));
        assert_eq!(
            atoi("x"),
            Err(r#"strconv.Atoi: parsing "x": invalid syntax"#.to_string())
        );
        assert_eq!(
            atoi(""),
            Err(r#"strconv.Atoi: parsing "": invalid syntax"#.to_string())
        );
        assert_eq!(
            atoi("-"),
            Err(r#"strconv.Atoi: parsing "-": invalid syntax"#.to_string())
        );
        assert_eq!(
            atoi("99999999999999999999"),
            Err(r#"strconv.Atoi: parsing "99999999999999999999": value out of range"#.to_string())
        );
        assert_eq!(atoi("-9223372036854775808"), Ok(i64::MIN));
    }

    #[test]
    fn durations_match_go() {
        assert_eq!(parse_duration("1h30m"), Ok(5_400_000_000_000));
        assert_eq!(parse_duration("1.5s"), Ok(1_500_000_000));
        assert_eq!(parse_duration("90s"), Ok(90_000_000_000));
        assert_eq!(parse_duration("0"), Ok(0));
        assert_eq!(parse_duration("-2m"), Ok(-120_000_000_000));
        assert_eq!(parse_duration(".5m"), Ok(30_000_000_000));
        assert_eq!(parse_duration("300ms"), Ok(300_000_000));
        assert_eq!(
            parse_duration("1d"),
            Err(r#"time: unknown unit "d" in duration "1d""#.to_string())
        );
        assert_eq!(
            parse_duration("10"),
            Err(r#"time: missing unit in duration "10""#.to_string())
        );
        assert_eq!(
            parse_duration(""),
            Err(r#"time: invalid duration """#.to_string())
        );
        assert_eq!(
            parse_duration("h"),
            Err(r#"time: invalid duration "h""#.to_string())
        );
        assert_eq!(
            parse_duration("9999999999h"),
            Err(r#"time: invalid duration "9999999999h""#.to_string())
        );
    }
}
