//! Shell arithmetic (`$(( … ))`, `let`): 64-bit signed integers with C operators, as ash has.
//!
//! The expression text is parsed into a small tree and then evaluated, so `&&`, `||` and `?:`
//! short-circuit their side effects (`$(( x > 0 && (y += 1) ))`).

/// Access to shell variables from an expression.
pub trait ArithEnv {
    fn get(&mut self, name: &str) -> Result<i64, String>;
    fn set(&mut self, name: &str, value: i64) -> Result<(), String>;
}

#[derive(Debug, Clone)]
enum Expr {
    Num(i64),
    Var(String),
    Unary(char, Box<Expr>),
    /// `++x`, `--x`, `x++`, `x--`: (name, delta, prefix)
    IncDec(String, i64, bool),
    Binary(&'static str, Box<Expr>, Box<Expr>),
    Assign(String, Option<&'static str>, Box<Expr>),
    Ternary(Box<Expr>, Box<Expr>, Box<Expr>),
}

const SYNTAX: &str = "arithmetic syntax error";

/// Evaluates an expression; the error is the message ash prints after `sh: `.
pub fn eval(text: &str, env: &mut dyn ArithEnv) -> Result<i64, String> {
    let tokens = tokenize(text)?;
    if tokens.is_empty() {
        return Ok(0);
    }
    let mut parser = ArithParser {
        tokens,
        pos: 0,
        depth: 0,
    };
    let expr = parser.comma()?;
    if parser.pos != parser.tokens.len() {
        return Err(SYNTAX.into());
    }
    eval_expr(&expr, env)
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(i64),
    Name(String),
    Op(&'static str),
}

const OPS: &[&str] = &[
    "<<=", ">>=", "**", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+=", "-=", "*=", "/=",
    "%=", "&=", "^=", "|=", "++", "--", "+", "-", "*", "/", "%", "<", ">", "&", "^", "|", "!", "~",
    "?", ":", "=", "(", ")", ",",
];

fn tokenize(text: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '#') {
                i += 1;
            }
            let lit: String = chars[start..i].iter().collect();
            out.push(Tok::Num(
                parse_number(&lit).ok_or_else(|| SYNTAX.to_string())?,
            ));
        } else if c == '_' || c.is_ascii_alphabetic() {
            let start = i;
            while i < chars.len() && (chars[i] == '_' || chars[i].is_ascii_alphanumeric()) {
                i += 1;
            }
            out.push(Tok::Name(chars[start..i].iter().collect()));
        } else {
            let rest: String = chars[i..chars.len().min(i + 3)].iter().collect();
            let op = OPS
                .iter()
                .find(|op| rest.starts_with(*op))
                .ok_or_else(|| SYNTAX.to_string())?;
            out.push(Tok::Op(op));
            i += op.len();
        }
    }
    Ok(out)
}

/// Decimal, `0x` hex, leading-zero octal and `base#digits`, as ash reads them.
pub fn parse_number(lit: &str) -> Option<i64> {
    if let Some((base, digits)) = lit.split_once('#') {
        let base: u32 = base.parse().ok()?;
        if !(2..=36).contains(&base) {
            return None;
        }
        return i64::from_str_radix(digits, base).ok();
    }
    if let Some(hex) = lit.strip_prefix("0x").or_else(|| lit.strip_prefix("0X")) {
        return u64::from_str_radix(hex, 16).ok().map(|v| v as i64);
    }
    if lit.len() > 1 && lit.starts_with('0') {
        return u64::from_str_radix(&lit[1..], 8).ok().map(|v| v as i64);
    }
    lit.parse::<u64>().ok().map(|v| v as i64)
}

struct ArithParser {
    tokens: Vec<Tok>,
    pos: usize,
    depth: u32,
}

/// Binary operators by precedence level, lowest first.
const LEVELS: &[&[&str]] = &[
    &["||"],
    &["&&"],
    &["|"],
    &["^"],
    &["&"],
    &["==", "!="],
    &["<", "<=", ">", ">="],
    &["<<", ">>"],
    &["+", "-"],
    &["*", "/", "%"],
];

impl ArithParser {
    fn peek_op(&self) -> Option<&'static str> {
        match self.tokens.get(self.pos) {
            Some(Tok::Op(op)) => Some(op),
            _ => None,
        }
    }

    fn comma(&mut self) -> Result<Expr, String> {
        let mut expr = self.assignment()?;
        while self.peek_op() == Some(",") {
            self.pos += 1;
            let rhs = self.assignment()?;
            expr = Expr::Binary(",", Box::new(expr), Box::new(rhs));
        }
        Ok(expr)
    }

    fn assignment(&mut self) -> Result<Expr, String> {
        self.depth += 1;
        if self.depth > 200 {
            return Err("expression nested too deeply".into());
        }
        let result = self.assignment_inner();
        self.depth -= 1;
        result
    }

    fn assignment_inner(&mut self) -> Result<Expr, String> {
        if let (Some(Tok::Name(name)), Some(Tok::Op(op))) =
            (self.tokens.get(self.pos), self.tokens.get(self.pos + 1))
        {
            let compound = match *op {
                "=" => Some(None),
                "+=" => Some(Some("+")),
                "-=" => Some(Some("-")),
                "*=" => Some(Some("*")),
                "/=" => Some(Some("/")),
                "%=" => Some(Some("%")),
                "<<=" => Some(Some("<<")),
                ">>=" => Some(Some(">>")),
                "&=" => Some(Some("&")),
                "^=" => Some(Some("^")),
                "|=" => Some(Some("|")),
                _ => None,
            };
            if let Some(op) = compound {
                let name = name.clone();
                self.pos += 2;
                let value = self.assignment()?;
                return Ok(Expr::Assign(name, op, Box::new(value)));
            }
        }
        self.ternary()
    }

    fn ternary(&mut self) -> Result<Expr, String> {
        let cond = self.binary(0)?;
        if self.peek_op() == Some("?") {
            self.pos += 1;
            let yes = self.assignment()?;
            if self.peek_op() != Some(":") {
                return Err(SYNTAX.into());
            }
            self.pos += 1;
            let no = self.assignment()?;
            return Ok(Expr::Ternary(Box::new(cond), Box::new(yes), Box::new(no)));
        }
        Ok(cond)
    }

    fn binary(&mut self, level: usize) -> Result<Expr, String> {
        if level == LEVELS.len() {
            return self.power();
        }
        let mut lhs = self.binary(level + 1)?;
        while let Some(op) = self.peek_op().filter(|op| LEVELS[level].contains(op)) {
            self.pos += 1;
            let rhs = self.binary(level + 1)?;
            lhs = Expr::Binary(op, Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }

    fn power(&mut self) -> Result<Expr, String> {
        let base = self.unary()?;
        if self.peek_op() == Some("**") {
            self.pos += 1;
            let exp = self.power()?;
            return Ok(Expr::Binary("**", Box::new(base), Box::new(exp)));
        }
        Ok(base)
    }

    fn unary(&mut self) -> Result<Expr, String> {
        self.depth += 1;
        if self.depth > 200 {
            return Err("expression nested too deeply".into());
        }
        let result = self.unary_inner();
        self.depth -= 1;
        result
    }

    fn unary_inner(&mut self) -> Result<Expr, String> {
        match self.tokens.get(self.pos).cloned() {
            Some(Tok::Op(op @ ("++" | "--"))) => {
                self.pos += 1;
                match self.tokens.get(self.pos).cloned() {
                    Some(Tok::Name(name)) => {
                        self.pos += 1;
                        Ok(Expr::IncDec(name, if op == "++" { 1 } else { -1 }, true))
                    }
                    _ => Err(SYNTAX.into()),
                }
            }
            Some(Tok::Op(op @ ("-" | "+" | "!" | "~"))) => {
                self.pos += 1;
                let inner = self.unary()?;
                Ok(Expr::Unary(
                    op.chars().next().unwrap_or('+'),
                    Box::new(inner),
                ))
            }
            Some(Tok::Op("(")) => {
                self.pos += 1;
                let inner = self.comma()?;
                if self.peek_op() != Some(")") {
                    return Err(SYNTAX.into());
                }
                self.pos += 1;
                Ok(inner)
            }
            Some(Tok::Num(n)) => {
                self.pos += 1;
                Ok(Expr::Num(n))
            }
            Some(Tok::Name(name)) => {
                self.pos += 1;
                match self.peek_op() {
                    Some(op @ ("++" | "--")) => {
                        self.pos += 1;
                        Ok(Expr::IncDec(name, if op == "++" { 1 } else { -1 }, false))
                    }
                    _ => Ok(Expr::Var(name)),
                }
            }
            _ => Err(SYNTAX.into()),
        }
    }
}

fn eval_expr(expr: &Expr, env: &mut dyn ArithEnv) -> Result<i64, String> {
    Ok(match expr {
        Expr::Num(n) => *n,
        Expr::Var(name) => env.get(name)?,
        Expr::Unary(op, inner) => {
            let v = eval_expr(inner, env)?;
            match op {
                '-' => v.wrapping_neg(),
                '!' => (v == 0) as i64,
                '~' => !v,
                _ => v,
            }
        }
        Expr::IncDec(name, delta, prefix) => {
            let old = env.get(name)?;
            let new = old.wrapping_add(*delta);
            env.set(name, new)?;
            if *prefix {
                new
            } else {
                old
            }
        }
        Expr::Assign(name, op, value) => {
            let rhs = eval_expr(value, env)?;
            let new = match op {
                None => rhs,
                Some(op) => apply(op, env.get(name)?, rhs)?,
            };
            env.set(name, new)?;
            new
        }
        Expr::Ternary(cond, yes, no) => {
            if eval_expr(cond, env)? != 0 {
                eval_expr(yes, env)?
            } else {
                eval_expr(no, env)?
            }
        }
        Expr::Binary("&&", a, b) => (eval_expr(a, env)? != 0 && eval_expr(b, env)? != 0) as i64,
        Expr::Binary("||", a, b) => (eval_expr(a, env)? != 0 || eval_expr(b, env)? != 0) as i64,
        Expr::Binary(",", a, b) => {
            eval_expr(a, env)?;
            eval_expr(b, env)?
        }
        Expr::Binary(op, a, b) => {
            let a = eval_expr(a, env)?;
            let b = eval_expr(b, env)?;
            apply(op, a, b)?
        }
    })
}

fn apply(op: &str, a: i64, b: i64) -> Result<i64, String> {
    Ok(match op {
        "+" => a.wrapping_add(b),
        "-" => a.wrapping_sub(b),
        "*" => a.wrapping_mul(b),
        "/" | "%" if b == 0 => return Err("divide by zero".into()),
        "/" => a.wrapping_div(b),
        "%" => a.wrapping_rem(b),
        "**" => {
            if b < 0 {
                return Err("exponent less than 0".into());
            }
            a.wrapping_pow(b.min(u32::MAX as i64) as u32)
        }
        "<<" => a.wrapping_shl(b as u32),
        ">>" => a.wrapping_shr(b as u32),
        "<" => (a < b) as i64,
        "<=" => (a <= b) as i64,
        ">" => (a > b) as i64,
        ">=" => (a >= b) as i64,
        "==" => (a == b) as i64,
        "!=" => (a != b) as i64,
        "&" => a & b,
        "^" => a ^ b,
        "|" => a | b,
        _ => return Err(SYNTAX.into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    struct Vars(BTreeMap<String, i64>);
    impl ArithEnv for Vars {
        fn get(&mut self, name: &str) -> Result<i64, String> {
            Ok(*self.0.get(name).unwrap_or(&0))
        }
        fn set(&mut self, name: &str, value: i64) -> Result<(), String> {
            self.0.insert(name.into(), value);
            Ok(())
        }
    }

    fn run(text: &str) -> Result<i64, String> {
        let mut vars = Vars(BTreeMap::from([("i".to_string(), 7)]));
        eval(text, &mut vars)
    }

    #[test]
    fn evaluates_c_operators_with_precedence() {
        assert_eq!(run("i * i * i"), Ok(343));
        assert_eq!(run("1 + 2 * 3 - 4 / 2"), Ok(5));
        assert_eq!(run("2 ** 3 ** 2"), Ok(512));
        assert_eq!(run("i % 5 == 2 && 1"), Ok(1));
        assert_eq!(run("i > 3 ? 10 : 20"), Ok(10));
        assert_eq!(run("-i + 0x10 + 010"), Ok(17));
        assert_eq!(run("(i += 3) * 2"), Ok(20));
        assert_eq!(run("i++ + i"), Ok(15));
    }

    #[test]
    fn reports_errors_in_ash_words() {
        assert_eq!(run("1 / 0"), Err("divide by zero".into()));
        assert_eq!(run("1 +"), Err("arithmetic syntax error".into()));
        assert_eq!(run("(((("), Err("arithmetic syntax error".into()));
        assert!(run(&"-".repeat(100_000)).is_err());
    }
}
