//! `printf`-style formatting and backslash escapes, shared by the `printf` builtin, `echo -e` and
//! awk's `printf`.

/// One argument for a conversion: shell `printf` passes strings, awk passes numbers or strings.
#[derive(Debug, Clone)]
pub enum FmtArg {
    Str(String),
    Num(f64),
}

impl FmtArg {
    fn as_string(&self) -> String {
        match self {
            FmtArg::Str(s) => s.clone(),
            FmtArg::Num(n) => number_to_string(*n),
        }
    }
}

/// How a number prints when used as a string (awk's `%.6g` for fractions, integers plainly).
pub fn number_to_string(n: f64) -> String {
    if n.is_finite() && n == n.trunc() && n.abs() < 1e16 {
        format!("{}", n as i64)
    } else {
        format_g(n, 6, false)
    }
}

/// The result of formatting: the text, and any argument that was not a valid number.
pub struct Formatted {
    pub text: String,
    pub bad_numbers: Vec<String>,
    /// `\c` in a `%b` argument: stop all output here.
    pub stopped: bool,
}

/// Formats `fmt` with `args`, reusing the format while arguments remain (as `printf(1)` does).
pub fn printf(fmt: &str, args: &[FmtArg]) -> Formatted {
    let mut out = Formatted {
        text: String::new(),
        bad_numbers: Vec::new(),
        stopped: false,
    };
    let mut next = 0;
    loop {
        let used_before = next;
        let consumed_any = format_once(fmt, args, &mut next, &mut out);
        if out.stopped || next >= args.len() || !consumed_any || next == used_before {
            break;
        }
        if out.text.len() > 16 * 1024 * 1024 {
            break;
        }
    }
    out
}

/// One pass over the format, without reusing it for extra arguments (awk's `printf`).
pub fn printf_once(fmt: &str, args: &[FmtArg]) -> String {
    let mut out = Formatted {
        text: String::new(),
        bad_numbers: Vec::new(),
        stopped: false,
    };
    let mut next = 0;
    format_once(fmt, args, &mut next, &mut out);
    out.text
}

/// One pass over the format. Returns whether it had any conversion.
fn format_once(fmt: &str, args: &[FmtArg], next: &mut usize, out: &mut Formatted) -> bool {
    let chars: Vec<char> = fmt.chars().collect();
    let mut i = 0;
    let mut had_conversion = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            let (text, used, stop) = escape_at(&chars, i + 1, false);
            out.text.push_str(&text);
            i += 1 + used;
            if stop {
                out.stopped = true;
                return had_conversion;
            }
            continue;
        }
        if c != '%' {
            out.text.push(c);
            i += 1;
            continue;
        }
        if chars.get(i + 1) == Some(&'%') {
            out.text.push('%');
            i += 2;
            continue;
        }
        // %[flags][width][.precision]conv
        let mut j = i + 1;
        let mut flags = String::new();
        while let Some(&f) = chars.get(j).filter(|c| "-+ 0#".contains(**c)) {
            flags.push(f);
            j += 1;
        }
        let mut width = String::new();
        if chars.get(j) == Some(&'*') {
            width = take_arg(args, next).as_string();
            j += 1;
        } else {
            while let Some(&d) = chars.get(j).filter(|c| c.is_ascii_digit()) {
                width.push(d);
                j += 1;
            }
        }
        let mut precision: Option<usize> = None;
        if chars.get(j) == Some(&'.') {
            j += 1;
            let mut p = String::new();
            if chars.get(j) == Some(&'*') {
                p = take_arg(args, next).as_string();
                j += 1;
            } else {
                while let Some(&d) = chars.get(j).filter(|c| c.is_ascii_digit()) {
                    p.push(d);
                    j += 1;
                }
            }
            precision = Some(p.parse().unwrap_or(0).min(4096));
        }
        // Length modifiers are accepted and ignored.
        while chars.get(j).is_some_and(|c| "hlLqjzt".contains(*c)) {
            j += 1;
        }
        let Some(&conv) = chars.get(j) else {
            out.text.extend(&chars[i..]);
            break;
        };
        had_conversion = true;
        let width: usize = width.trim_start_matches('-').parse().unwrap_or(0).min(4096);
        let left = flags.contains('-');
        let body = match conv {
            's' => {
                let s = take_arg(args, next).as_string();
                match precision {
                    Some(p) => s.chars().take(p).collect(),
                    None => s,
                }
            }
            'b' => {
                let s = take_arg(args, next).as_string();
                let (text, stop) = unescape(&s, true);
                if stop {
                    out.text.push_str(&pad(&text, width, left, false));
                    out.stopped = true;
                    return true;
                }
                text
            }
            'c' => take_arg(args, next)
                .as_string()
                .chars()
                .next()
                .map(String::from)
                .unwrap_or_default(),
            'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
                let n = int_arg(take_arg(args, next), out);
                let digits = match conv {
                    'x' => format!("{:x}", n),
                    'X' => format!("{:X}", n),
                    'o' => format!("{:o}", n),
                    'u' => format!("{}", n as u64),
                    _ => format!("{}", n.unsigned_abs()),
                };
                let digits = match precision {
                    Some(p) if digits.len() < p => {
                        format!("{}{}", "0".repeat(p - digits.len()), digits)
                    }
                    _ => digits,
                };
                let sign = if matches!(conv, 'd' | 'i') {
                    sign_of(n < 0, &flags)
                } else {
                    ""
                };
                number_pad(sign, &digits, width, &flags, precision.is_none())
            }
            'f' | 'F' | 'e' | 'E' | 'g' | 'G' => {
                let n = float_arg(take_arg(args, next), out);
                let p = precision.unwrap_or(6);
                let digits = match conv {
                    'f' | 'F' => format!("{:.*}", p, n.abs()),
                    'e' | 'E' => format_e(n.abs(), p, conv == 'E'),
                    _ => format_g(n.abs(), p, conv == 'G'),
                };
                number_pad(sign_of(n < 0.0, &flags), &digits, width, &flags, true)
            }
            other => {
                // Unknown conversion: print it as is (busybox complains and continues).
                format!("%{other}")
            }
        };
        if !matches!(
            conv,
            'd' | 'i' | 'u' | 'x' | 'X' | 'o' | 'f' | 'F' | 'e' | 'E' | 'g' | 'G'
        ) {
            out.text.push_str(&pad(&body, width, left, false));
        } else {
            out.text.push_str(&body);
        }
        i = j + 1;
    }
    had_conversion
}

fn take_arg(args: &[FmtArg], next: &mut usize) -> FmtArg {
    let arg = args
        .get(*next)
        .cloned()
        .unwrap_or(FmtArg::Str(String::new()));
    *next += 1;
    arg
}

fn sign_of(negative: bool, flags: &str) -> &'static str {
    if negative {
        "-"
    } else if flags.contains('+') {
        "+"
    } else if flags.contains(' ') {
        " "
    } else {
        ""
    }
}

fn number_pad(sign: &str, digits: &str, width: usize, flags: &str, zero_ok: bool) -> String {
    let len = sign.len() + digits.chars().count();
    if len >= width {
        return format!("{sign}{digits}");
    }
    let fill = width - len;
    if flags.contains('-') {
        format!("{sign}{digits}{}", " ".repeat(fill))
    } else if flags.contains('0') && zero_ok {
        format!("{sign}{}{digits}", "0".repeat(fill))
    } else {
        format!("{}{sign}{digits}", " ".repeat(fill))
    }
}

fn pad(s: &str, width: usize, left: bool, _zero: bool) -> String {
    let len = s.chars().count();
    if len >= width {
        return s.to_string();
    }
    let fill = " ".repeat(width - len);
    if left {
        format!("{s}{fill}")
    } else {
        format!("{fill}{s}")
    }
}

fn int_arg(arg: FmtArg, out: &mut Formatted) -> i64 {
    match arg {
        FmtArg::Num(n) => n as i64,
        FmtArg::Str(s) => match parse_shell_int(&s) {
            Some(n) => n,
            None => {
                out.bad_numbers.push(s.clone());
                leading_int(&s)
            }
        },
    }
}

fn float_arg(arg: FmtArg, out: &mut Formatted) -> f64 {
    match arg {
        FmtArg::Num(n) => n,
        FmtArg::Str(s) => {
            let t = s.trim();
            if t.is_empty() {
                return 0.0;
            }
            match t.parse::<f64>() {
                Ok(n) => n,
                Err(_) => {
                    if let Some(c) = t.strip_prefix('\'').or_else(|| t.strip_prefix('"')) {
                        return c.chars().next().map(|c| c as u32 as f64).unwrap_or(0.0);
                    }
                    out.bad_numbers.push(s.clone());
                    leading_int(t) as f64
                }
            }
        }
    }
}

/// An integer argument as `printf` reads it: decimal, hex, octal, or `'c` for a character code.
pub fn parse_shell_int(s: &str) -> Option<i64> {
    let t = s.trim();
    if t.is_empty() {
        return Some(0);
    }
    if let Some(c) = t.strip_prefix('\'').or_else(|| t.strip_prefix('"')) {
        return Some(c.chars().next().map(|c| c as i64).unwrap_or(0));
    }
    let (neg, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let v = super::arith::parse_number(body)?;
    Some(if neg { v.wrapping_neg() } else { v })
}

fn leading_int(s: &str) -> i64 {
    let t = s.trim();
    let end = t
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || (i == 0 && c == '-')))
        .map(|(i, _)| i)
        .unwrap_or(t.len());
    t[..end].parse().unwrap_or(0)
}

fn format_e(n: f64, precision: usize, upper: bool) -> String {
    let s = format!("{:.*e}", precision, n);
    // Rust prints `1.5e2`; C prints `1.5e+02`.
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let e = if upper { 'E' } else { 'e' };
    format!(
        "{mantissa}{e}{}{:02}",
        if exp < 0 { '-' } else { '+' },
        exp.abs()
    )
}

/// C's `%g`: shortest of `%e`/`%f` with `precision` significant digits, trailing zeros removed.
pub fn format_g(n: f64, precision: usize, upper: bool) -> String {
    if !n.is_finite() {
        return if n.is_nan() {
            "nan".into()
        } else if n > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        };
    }
    let p = precision.max(1);
    if n == 0.0 {
        return "0".into();
    }
    let exp = n.abs().log10().floor() as i32;
    let text = if exp < -4 || exp >= p as i32 {
        let s = format_e(n, p - 1, upper);
        let (m, e) = s
            .split_once(if upper { 'E' } else { 'e' })
            .unwrap_or((&s, ""));
        let m = trim_zeros(m);
        format!("{m}{}{e}", if upper { 'E' } else { 'e' })
    } else {
        let decimals = (p as i32 - 1 - exp).max(0) as usize;
        trim_zeros(&format!("{:.*}", decimals, n))
    };
    text
}

fn trim_zeros(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

/// Interprets backslash escapes (`echo -e`, `%b`). Returns the text and whether `\c` stopped it.
pub fn unescape(s: &str, percent_b: bool) -> (String, bool) {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\\' {
            let (text, used, stop) = escape_at(&chars, i + 1, percent_b);
            out.push_str(&text);
            if stop {
                return (out, true);
            }
            i += 1 + used;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    (out, false)
}

/// The escape starting after a backslash at `at`: (text, characters used, `\c` seen).
fn escape_at(chars: &[char], at: usize, echo_octal: bool) -> (String, usize, bool) {
    let Some(&c) = chars.get(at) else {
        return ("\\".into(), 0, false);
    };
    let simple = match c {
        'n' => Some('\n'),
        't' => Some('\t'),
        'r' => Some('\r'),
        'a' => Some('\x07'),
        'b' => Some('\x08'),
        'f' => Some('\x0c'),
        'v' => Some('\x0b'),
        'e' => Some('\x1b'),
        '\\' => Some('\\'),
        '"' => Some('"'),
        '\'' => Some('\''),
        _ => None,
    };
    if let Some(ch) = simple {
        return (ch.to_string(), 1, false);
    }
    match c {
        'c' => (String::new(), 1, true),
        '0'..='7' => {
            // `\0NNN` for echo/%b, `\NNN` for printf formats.
            let mut j = at;
            if echo_octal && c == '0' {
                j += 1;
            }
            let start = j;
            while j < chars.len() && j - start < 3 && ('0'..='7').contains(&chars[j]) {
                j += 1;
            }
            let value = chars[start..j]
                .iter()
                .fold(0u32, |acc, d| acc * 8 + d.to_digit(8).unwrap_or(0));
            let ch = char::from_u32(value & 0xff).unwrap_or('?');
            (ch.to_string(), j - at, false)
        }
        'x' => {
            let mut j = at + 1;
            while j < chars.len() && j - at <= 2 && chars[j].is_ascii_hexdigit() {
                j += 1;
            }
            if j == at + 1 {
                return ("\\x".into(), 1, false);
            }
            let hex: String = chars[at + 1..j].iter().collect();
            let value = u32::from_str_radix(&hex, 16).unwrap_or(0);
            (
                char::from_u32(value).unwrap_or('?').to_string(),
                j - at,
                false,
            )
        }
        other => (format!("\\{other}"), 1, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> FmtArg {
        FmtArg::Str(v.into())
    }

    #[test]
    fn formats_like_c_printf() {
        assert_eq!(printf("%.2f", &[FmtArg::Num(70.0)]).text, "70.00");
        assert_eq!(
            printf("%5s|%-5s|", &[s("ab"), s("cd")]).text,
            "   ab|cd   |"
        );
        assert_eq!(
            printf("%03d %x %o\\n", &[s("7"), s("255"), s("8")]).text,
            "007 ff 10\n"
        );
        assert_eq!(printf("%s\\n", &[s("a"), s("b")]).text, "a\nb\n");
        assert_eq!(printf("%e", &[FmtArg::Num(1234.5)]).text, "1.234500e+03");
        assert_eq!(
            printf("%g %g", &[FmtArg::Num(0.0001), FmtArg::Num(123456789.0)]).text,
            "0.0001 1.23457e+08"
        );
        assert_eq!(printf("%d%%", &[s("50")]).text, "50%");
    }

    #[test]
    fn invalid_numbers_are_reported() {
        let out = printf("%d", &[s("abc")]);
        assert_eq!(out.text, "0");
        assert_eq!(out.bad_numbers, vec!["abc".to_string()]);
    }

    #[test]
    fn echo_escapes() {
        assert_eq!(
            unescape("a\\tb\\n\\0101", true),
            ("a\tb\nA".to_string(), false)
        );
        assert_eq!(unescape("stop\\chere", true), ("stop".to_string(), true));
    }
}
