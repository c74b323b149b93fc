//! A small `sed`: substitutions, printing, deleting and quitting, with simple addresses. Enough for
//! the one-liners batch scripts pipe through (`sed 's/,/\t/g'`, `sed -n '2p'`, `sed '/^#/d'`).

use regex_lite::{Regex, RegexBuilder};

#[derive(Debug, Clone)]
enum Address {
    Line(usize),
    Last,
    Match(Regex),
}

#[derive(Debug, Clone)]
enum Action {
    Substitute {
        regex: Regex,
        replacement: String,
        global: bool,
        nth: usize,
        print: bool,
    },
    Print,
    Delete,
    Quit,
}

#[derive(Debug, Clone)]
pub struct Command {
    address: Option<Address>,
    action: Action,
}

fn build(pattern: &str, extended: bool, ignore_case: bool) -> Result<Regex, String> {
    let source = if extended {
        pattern.to_string()
    } else {
        super::applets::bre_to_ere(pattern)
    };
    RegexBuilder::new(&source)
        .case_insensitive(ignore_case)
        .size_limit(1 << 20)
        .build()
        .map_err(|_| format!("bad regex '{pattern}'"))
}

/// Reads text up to an unescaped `delim`; returns it and the index after the delimiter.
fn until(chars: &[char], mut i: usize, delim: char) -> Result<(String, usize), String> {
    let mut out = String::new();
    while i < chars.len() {
        match chars[i] {
            '\\' if chars.get(i + 1) == Some(&delim) => {
                out.push(delim);
                i += 2;
            }
            '\\' if i + 1 < chars.len() => {
                out.push('\\');
                out.push(chars[i + 1]);
                i += 2;
            }
            c if c == delim => return Ok((out, i + 1)),
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Err("unterminated `s' command".into())
}

pub fn parse(script: &str, extended: bool) -> Result<Vec<Command>, String> {
    let chars: Vec<char> = script.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        while i < chars.len() && (chars[i].is_whitespace() || chars[i] == ';') {
            i += 1;
        }
        if i >= chars.len() {
            return Ok(out);
        }
        let address = if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let n: String = chars[start..i].iter().collect();
            Some(Address::Line(
                n.parse().map_err(|_| "bad line number".to_string())?,
            ))
        } else if chars[i] == '$' {
            i += 1;
            Some(Address::Last)
        } else if chars[i] == '/' {
            let (pattern, next) = until(&chars, i + 1, '/')?;
            i = next;
            Some(Address::Match(build(&pattern, extended, false)?))
        } else {
            None
        };
        let Some(&c) = chars.get(i) else {
            return Err("missing command".into());
        };
        i += 1;
        let action = match c {
            'p' => Action::Print,
            'd' => Action::Delete,
            'q' => Action::Quit,
            's' => {
                let delim = *chars.get(i).ok_or("unterminated `s' command")?;
                let (pattern, next) = until(&chars, i + 1, delim)?;
                let (replacement, next) = until(&chars, next, delim)?;
                i = next;
                let (mut global, mut print, mut ignore_case, mut nth) = (false, false, false, 1);
                while let Some(&f) = chars.get(i) {
                    match f {
                        'g' => global = true,
                        'p' => print = true,
                        'I' | 'i' => ignore_case = true,
                        d if d.is_ascii_digit() => nth = d.to_digit(10).unwrap_or(1) as usize,
                        _ => break,
                    }
                    i += 1;
                }
                Action::Substitute {
                    regex: build(&pattern, extended, ignore_case)?,
                    replacement,
                    global,
                    nth: nth.max(1),
                    print,
                }
            }
            other => return Err(format!("unsupported command {other}")),
        };
        out.push(Command { address, action });
    }
}

/// The replacement text for one match: `&`, `\1`…`\9`, `\n`, `\t`.
fn expand(replacement: &str, caps: &regex_lite::Captures) -> String {
    let mut out = String::new();
    let mut chars = replacement.chars();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str(caps.get(0).map(|m| m.as_str()).unwrap_or("")),
            '\\' => match chars.next() {
                Some(d) if d.is_ascii_digit() => {
                    let n = d.to_digit(10).unwrap_or(0) as usize;
                    out.push_str(caps.get(n).map(|m| m.as_str()).unwrap_or(""));
                }
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            c => out.push(c),
        }
    }
    out
}

fn substitute(
    line: &str,
    regex: &Regex,
    replacement: &str,
    global: bool,
    nth: usize,
) -> (String, bool) {
    let mut out = String::new();
    let mut last = 0;
    let mut count = 0;
    let mut changed = false;
    for caps in regex.captures_iter(line) {
        let Some(m) = caps.get(0) else { continue };
        count += 1;
        if count < nth {
            continue;
        }
        out.push_str(&line[last..m.start()]);
        out.push_str(&expand(replacement, &caps));
        last = m.end();
        changed = true;
        if !global {
            break;
        }
    }
    out.push_str(&line[last..]);
    (out, changed)
}

pub fn run(commands: &[Command], text: &str, quiet: bool) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    'lines: for (k, line) in lines.iter().enumerate() {
        let mut current = line.to_string();
        for command in commands {
            let selected = match &command.address {
                None => true,
                Some(Address::Line(n)) => k + 1 == *n,
                Some(Address::Last) => k + 1 == lines.len(),
                Some(Address::Match(r)) => r.is_match(&current),
            };
            if !selected {
                continue;
            }
            match &command.action {
                Action::Print => {
                    out.push_str(&current);
                    out.push('\n');
                }
                Action::Delete => continue 'lines,
                Action::Quit => {
                    if !quiet {
                        out.push_str(&current);
                        out.push('\n');
                    }
                    break 'lines;
                }
                Action::Substitute {
                    regex,
                    replacement,
                    global,
                    nth,
                    print,
                } => {
                    let (new, changed) = substitute(&current, regex, replacement, *global, *nth);
                    current = new;
                    if changed && *print {
                        out.push_str(&current);
                        out.push('\n');
                    }
                }
            }
        }
        if !quiet {
            out.push_str(&current);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sed(script: &str, text: &str, quiet: bool) -> String {
        run(&parse(script, false).expect("parses"), text, quiet)
    }

    #[test]
    fn one_liners() {
        assert_eq!(sed("s/,/\\t/g", "a,b,c\n", false), "a\tb\tc\n");
        assert_eq!(sed("s/\\(a\\)\\(b\\)/\\2\\1/", "abab\n", false), "baab\n");
        assert_eq!(sed("2p", "x\ny\nz\n", true), "y\n");
        assert_eq!(sed("/^#/d", "#c\nkeep\n", false), "keep\n");
        assert_eq!(sed("s/o/0/2", "foo\n", false), "fo0\n");
        assert_eq!(sed("$d", "a\nb\n", false), "a\n");
        assert_eq!(sed("s|/|:|g;1q", "/a/b\nz\n", false), ":a:b\n");
        assert!(parse("y/abc/xyz/", false).is_err());
        assert!(parse("s/a/b", false).is_err());
    }
}
