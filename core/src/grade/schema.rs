//! Field paths named by goals and hints, checked against the Kubernetes 1.34 field tree of
//! `manifest::schema` (the one the validator uses), so `batchlab check` can prove that every path a
//! lesson names exists. Parts the schema accepts without inspection (`Any`: probes, affinity …)
//! accept any path below them.

use super::{FieldPath, Segment};
use crate::manifest::schema::{self, Schema, Ty};

/// The kinds whose paths can be checked.
pub fn knows_kind(kind: &str) -> bool {
    root(kind).is_some()
}

fn root(kind: &str) -> Option<&'static Schema> {
    match kind {
        "Job" => Some(&schema::JOB),
        "CronJob" => Some(&schema::CRON_JOB),
        "ConfigMap" => Some(&schema::CONFIG_MAP),
        "Secret" => Some(&schema::SECRET),
        _ => None,
    }
}

/// Check that `path` exists in objects of `kind`. The error says which part is wrong, with a
/// suggestion when a field is misspelt.
pub fn check_path(kind: &str, path: &FieldPath) -> Result<(), String> {
    let Some(root) = root(kind) else {
        return Err(format!("`{kind}` is not a kind whose fields are known"));
    };
    let mut ty = Ty::Obj(root);
    let mut walked = String::new();
    for segment in &path.segments {
        ty = match (ty, segment) {
            (Ty::Any, _) => return Ok(()),
            (Ty::Obj(schema), Segment::Key(key)) => match schema.field(key) {
                Some(field) => field.ty,
                None => return Err(unknown_field(kind, path, &walked, key, schema)),
            },
            (Ty::ObjList(item), Segment::Index(_) | Segment::Every) => Ty::Obj(item),
            (Ty::StrMap, Segment::Key(_)) => Ty::Str,
            (Ty::QuantityMap, Segment::Key(_)) => Ty::Quantity,
            (Ty::StrList, Segment::Index(_) | Segment::Every) => Ty::Str,
            (Ty::Int32List, Segment::Index(_) | Segment::Every) => Ty::Int32,
            (_, _) => {
                return Err(format!(
                    "`{}`: `{walked}` cannot be followed by `{}`",
                    path.text,
                    segment_text("", segment)
                ))
            }
        };
        let text = segment_text(&walked, segment);
        walked.push_str(&text);
    }
    Ok(())
}

fn unknown_field(kind: &str, path: &FieldPath, walked: &str, key: &str, schema: &Schema) -> String {
    let names: Vec<&str> = schema.fields.iter().map(|f| f.name).collect();
    let hint = super::suggest(key, &names)
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default();
    let prefix = if walked.is_empty() {
        String::new()
    } else {
        format!("{walked}.")
    };
    format!("`{}`: {kind} has no field `{prefix}{key}`{hint}", path.text)
}

/// How a segment is written after the path walked so far.
fn segment_text(walked: &str, segment: &Segment) -> String {
    match segment {
        Segment::Key(k) if k.contains(['.', '/']) => format!("['{k}']"),
        Segment::Key(k) if walked.is_empty() => k.clone(),
        Segment::Key(k) => format!(".{k}"),
        Segment::Index(i) => format!("[{i}]"),
        Segment::Every => "[*]".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(kind: &str, path: &str) -> Result<(), String> {
        check_path(kind, &FieldPath::parse(path).unwrap())
    }

    #[test]
    fn real_job_and_cronjob_paths_exist() {
        for path in [
            "spec.backoffLimit",
            "spec.template.spec.restartPolicy",
            "spec.template.spec.containers[0].resources.limits.memory",
            "spec.template.spec.containers[*].resources.requests.cpu",
            "spec.podFailurePolicy.rules[0].onExitCodes.values[0]",
            "metadata.annotations['example.com/owner']",
            "spec.template.spec.containers[0].env[1].valueFrom.secretKeyRef.name",
            "spec.template.spec.nodeSelector['workload-tier']",
        ] {
            assert_eq!(check("Job", path), Ok(()), "{path}");
        }
        assert_eq!(
            check(
                "CronJob",
                "spec.jobTemplate.spec.template.spec.restartPolicy"
            ),
            Ok(())
        );
        assert_eq!(check("CronJob", "spec.timeZone"), Ok(()));
        assert_eq!(check("ConfigMap", "data['processing.json']"), Ok(()));
    }

    #[test]
    fn a_misspelt_field_is_refused_with_a_suggestion() {
        let err = check("Job", "spec.backofLimit").unwrap_err();
        assert!(err.contains("has no field `spec.backofLimit`"), "{err}");
        assert!(err.contains("did you mean `backoffLimit`"), "{err}");
        let err = check("Job", "spec.template.spec.containers[0].resource.limits").unwrap_err();
        assert!(
            err.contains("has no field `spec.template.spec.containers[0].resource`"),
            "{err}"
        );
        assert!(err.contains("did you mean `resources`"), "{err}");
    }

    #[test]
    fn a_cronjob_field_is_not_a_job_field() {
        assert!(check("Job", "spec.timeZone").is_err());
        assert!(check("CronJob", "spec.backoffLimit").is_err());
    }

    #[test]
    fn indexing_a_non_list_is_refused() {
        let err = check("Job", "spec.template[0]").unwrap_err();
        assert!(err.contains("cannot be followed by `[0]`"), "{err}");
        assert!(check("Job", "spec.backoffLimit.value").is_err());
    }
}
