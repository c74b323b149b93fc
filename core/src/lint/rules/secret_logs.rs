//! BL-SEC-002: a container script that prints a Secret's value.
//!
//! Static and deliberately simple: it knows which variables and mount paths hold Secret values
//! (`env[].valueFrom.secretKeyRef`, `envFrom[].secretRef` when the Secret is in the text, `secret`
//! volumes), and flags a command of the script that prints one: `echo`/`printf` of such a variable,
//! `cat` of a file under such a mount, or a bare `env`/`printenv` that dumps every variable. What
//! the script really prints at run time is the grader's `secretsInLogs` goal (see `crate::secrets`).

use super::{script_path, Emitter, Workload};
use crate::manifest::ObjectKind;
use crate::model::Container;

/// Where a container holds Secret values.
struct SecretHolders {
    /// Environment variable names.
    vars: Vec<String>,
    /// Mount paths of secret volumes, without a trailing `/`.
    mounts: Vec<String>,
}

pub(super) fn check(e: &mut Emitter, w: &Workload, path: &str, c: &Container) {
    let holders = holders(e, w, c);
    if holders.vars.is_empty() && holders.mounts.is_empty() {
        return;
    }
    let (list, items) = if c.args.is_empty() {
        ("command", &c.command)
    } else {
        ("args", &c.args)
    };
    // `command: ["echo", "$(API_TOKEN)"]`: no shell, the kubelet expands the reference itself.
    let program = c.command.first().map(|p| p.rsplit('/').next().unwrap_or(p));
    if matches!(program, Some("echo" | "printf")) {
        let argv = c.command.iter().chain(&c.args).cloned();
        let line = argv.collect::<Vec<_>>().join(" ");
        if let Some(what) = printed_secret(&line, &holders) {
            let at = script_path(path, c);
            e.emit("BL-SEC-002", w.document, &at, detail(c, &what));
        }
        return;
    }
    for (i, text) in items.iter().enumerate() {
        if let Some(what) = printed_secret(text, &holders) {
            let at = format!("{path}.{list}[{i}]");
            e.emit("BL-SEC-002", w.document, &at, detail(c, &what));
            return;
        }
    }
}

fn detail(c: &Container, what: &str) -> String {
    format!("container {:?} prints {what}", c.name)
}

fn holders(e: &Emitter, w: &Workload, c: &Container) -> SecretHolders {
    let mut vars: Vec<String> = c
        .env
        .iter()
        .filter(|v| {
            v.value_from
                .as_ref()
                .is_some_and(|f| f.secret_key_ref.is_some())
        })
        .map(|v| v.name.clone())
        .collect();
    for from in &c.env_from {
        let Some(name) = from.secret_ref.as_ref().map(|r| r.name.as_str()) else {
            continue;
        };
        let prefix = from.prefix.as_deref().unwrap_or("");
        for object in &e.bundle.objects {
            if let ObjectKind::Secret(s) = &object.kind {
                if s.metadata.name.as_deref() == Some(name) {
                    vars.extend(s.data.keys().map(|k| format!("{prefix}{k}")));
                }
            }
        }
    }
    let volumes = &w.spec.template.spec.volumes;
    let mounts = c
        .volume_mounts
        .iter()
        .filter(|m| {
            volumes
                .iter()
                .any(|v| v.name == m.name && v.secret.is_some())
        })
        .map(|m| m.mount_path.trim_end_matches('/').to_string())
        .filter(|m| !m.is_empty())
        .collect();
    SecretHolders { vars, mounts }
}

/// The first command of `script` that prints a Secret value, described ("$API_TOKEN with echo").
fn printed_secret(script: &str, holders: &SecretHolders) -> Option<String> {
    for command in simple_commands(script) {
        let mut words = command.split_whitespace();
        let Some(program) = words.next() else {
            continue;
        };
        let program = program.rsplit('/').next().unwrap_or(program);
        match program {
            "echo" | "printf" => {
                if let Some(var) = holders.vars.iter().find(|v| references(command, v)) {
                    return Some(format!("the Secret-backed variable ${var} with {program}"));
                }
            }
            "cat" | "head" | "tail" => {
                let file = words.find(|word| {
                    let word = word.trim_matches(|c| c == '"' || c == '\'');
                    holders.mounts.iter().any(|m| {
                        word.strip_prefix(m.as_str())
                            .is_some_and(|rest| rest.starts_with('/'))
                    })
                });
                if let Some(file) = file {
                    return Some(format!("the Secret file {file} with {program}"));
                }
            }
            "env" | "printenv" if words.next().is_none() && !holders.vars.is_empty() => {
                return Some(format!(
                    "every environment variable with {program}, including ${}",
                    holders.vars[0]
                ));
            }
            _ => {}
        }
    }
    None
}

/// The commands of a script whose output reaches the log: split at newlines, `;`, `&&` and `||`,
/// and of a pipeline only the last stage (`echo $TOKEN | sha256sum` prints a hash). Quotes are not
/// understood: good enough to find a command's name and its words.
fn simple_commands(script: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in script.split(['\n', ';']) {
        // Most lines have no list operator; splitting at "&&" builds a substring searcher.
        if line.contains(['&', '|']) {
            for list_item in line.split("&&").flat_map(|part| part.split("||")) {
                push_command(&mut out, list_item);
            }
        } else {
            push_command(&mut out, line);
        }
    }
    out
}

/// The command of one list item: its last pipeline stage without the keyword before it.
fn push_command<'s>(out: &mut Vec<&'s str>, list_item: &'s str) {
    let last_stage = list_item.rsplit('|').next().unwrap_or(list_item);
    let mut command = last_stage.trim().trim_start_matches(['(', '{', '!']);
    for keyword in ["then ", "do ", "else "] {
        while let Some(rest) = command.strip_prefix(keyword) {
            command = rest;
        }
    }
    let command = command.trim();
    if !command.is_empty() {
        out.push(command);
    }
}

/// Does `text` expand variable `name`: `$NAME`, `${NAME}`, `${NAME:-x}`, or the kubelet's
/// `$(NAME)`? (`${#NAME}`, its length, does not print it.) Looks only at each `$` of the text, so
/// a long script costs one scan, with no pattern strings built per variable.
fn references(text: &str, name: &str) -> bool {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices('$').any(|(at, _)| {
        let rest = &text[at + 1..];
        if let Some(after) = rest.strip_prefix(name) {
            if !after.chars().next().is_some_and(is_ident) {
                return true;
            }
        }
        let braced = |open: char, closers: &[char]| {
            rest.strip_prefix(open)
                .and_then(|r| r.strip_prefix(name))
                .is_some_and(|after| after.starts_with(closers))
        };
        braced('{', &['}', ':']) || braced('(', &[')'])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variable_references_as_the_shell_and_kubelet_expand_them() {
        for text in [
            "echo $API_TOKEN",
            "echo \"token=${API_TOKEN}\"",
            "echo ${API_TOKEN:-none}",
            "echo $(API_TOKEN)",
        ] {
            assert!(references(text, "API_TOKEN"), "{text}");
        }
        for text in [
            "echo $API_TOKEN_FILE",
            "echo ${#API_TOKEN}",
            "echo API_TOKEN",
        ] {
            assert!(!references(text, "API_TOKEN"), "{text}");
        }
    }

    #[test]
    fn only_printing_commands_count() {
        let holders = SecretHolders {
            vars: vec!["TOKEN".into()],
            mounts: vec!["/etc/creds".into()],
        };
        assert!(printed_secret("set -e\nif true; then echo $TOKEN; fi", &holders).is_some());
        assert!(printed_secret("curl -H \"auth: $TOKEN\" x | tee out", &holders).is_none());
        assert!(printed_secret("cat /etc/creds/password", &holders).is_some());
        assert!(printed_secret("cat /etc/credsx/a; env | grep -c X", &holders).is_none());
        assert!(printed_secret("sleep 1; env", &holders).is_some());
        assert!(printed_secret("echo $TOKEN | sha256sum", &holders).is_none());
        assert!(printed_secret("true && echo $TOKEN || exit 1", &holders).is_some());
    }
}
