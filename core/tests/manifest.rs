//! Parsing manifests: syntax, structure (unknown fields, types, quantities), kinds, the typed
//! objects and the source map.

mod common;
use batchlab_core::diag::{Severity, Span};
use batchlab_core::manifest::{self, ObjectKind};
use common::*;

const SCHEMA: &str = "schema";

#[test]
fn unknown_fields_suggest_the_real_name() {
    let text = edit(CLEAN_JOB, "          command:", "          comand:");
    expect_message(
        &text,
        SCHEMA,
        "spec.template.spec.containers[0].comand",
        18,
        "unknown field \"comand\" in Container (did you mean \"command\"?)",
    );
    let text = edit(CLEAN_JOB, "restartPolicy: Never", "restartpolicy: Never");
    expect_message(
        &text,
        SCHEMA,
        "spec.template.spec.restartpolicy",
        14,
        "unknown field \"restartpolicy\" in PodSpec (did you mean \"restartPolicy\"?)",
    );
    let text = edit(CLEAN_JOB, "backoffLimit: 2", "backofflimit: 2");
    expect_message(
        &text,
        SCHEMA,
        "spec.backofflimit",
        9,
        "unknown field \"backofflimit\" in JobSpec (did you mean \"backoffLimit\"?)",
    );
    let far = edit(CLEAN_JOB, "backoffLimit: 2", "retries: 2");
    expect_message(
        &far,
        SCHEMA,
        "spec.retries",
        9,
        "unknown field \"retries\" in JobSpec",
    );
    // The key is what gets underlined.
    let d = expect(&text, SCHEMA, "spec.backofflimit", 9);
    assert_eq!(d.span, Span::new(9, 3, 9, 15));
}

#[test]
fn recognised_but_uninspected_fields_are_accepted() {
    let text = edit(
        CLEAN_JOB,
        "      restartPolicy: Never\n",
        "      restartPolicy: Never\n      affinity:\n        nodeAffinity: {anything: [goes]}\n      securityContext:\n        runAsNonRoot: true\n      tolerations:\n        - key: workload-tier\n          operator: Equal\n          value: batch\n          effect: NoSchedule\n",
    );
    clean(&text);
}

#[test]
fn wrong_types_name_the_expected_type() {
    let quoted = edit(CLEAN_JOB, "backoffLimit: 2", "backoffLimit: \"3\"");
    let d = expect(&quoted, SCHEMA, "spec.backoffLimit", 9);
    assert_eq!(
        d.message,
        "Invalid type: expected integer (int32), got string \"3\""
    );
    assert_eq!(d.help, "remove the quotes: quoted values are strings");
    assert_eq!(d.span, Span::new(9, 17, 9, 20));

    let word = edit(
        CLEAN_JOB,
        "backoffLimit: 2",
        "backoffLimit: 2\n  completions: three",
    );
    expect_message(
        &word,
        SCHEMA,
        "spec.completions",
        10,
        "Invalid type: expected integer (int32), got string \"three\"",
    );

    let number_for_string = edit(
        CLEAN_JOB,
        "          resources:\n",
        "          env:\n            - name: BATCH_SIZE\n              value: 1000\n          resources:\n",
    );
    let d = expect(
        &number_for_string,
        SCHEMA,
        "spec.template.spec.containers[0].env[0].value",
        21,
    );
    assert_eq!(d.message, "Invalid type: expected string, got integer 1000");
    assert!(d.help.contains("\"1000\""));

    let yes = edit(
        CLEAN_JOB,
        "example.com/owner: data-team",
        "example.com/owner: yes",
    );
    expect_message(
        &yes,
        SCHEMA,
        "metadata.annotations[example.com/owner]",
        6,
        "Invalid type: expected string, got boolean yes",
    );
    let list = edit(
        CLEAN_JOB,
        "      containers:\n",
        "      containers:\n        name: oops\n      initContainers:\n",
    );
    assert!(findings(&list).iter().any(|d| d.code == SCHEMA
        && d.message
            .contains("expected list of Container, got a mapping")));
}

#[test]
fn quantities_parse_like_kubernetes() {
    for good in ["512Mi", "0.5", "250m", "1e3", "1Gi", "128M"] {
        let text = edit(CLEAN_JOB, "memory: 128Mi", &format!("memory: {good}"));
        absent(&text, SCHEMA);
    }
    let bad = edit(CLEAN_JOB, "memory: 128Mi", "memory: 128MB");
    expect_message(
        &bad,
        SCHEMA,
        "spec.template.spec.containers[0].resources.limits[memory]",
        line_of(&bad, "128MB"),
        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
    let suffix = edit(CLEAN_JOB, "memory: 128Mi", "memory: 128mi");
    expect_message(
        &suffix,
        SCHEMA,
        "spec.template.spec.containers[0].resources.limits[memory]",
        line_of(&suffix, "128mi"),
        "unable to parse quantity's suffix",
    );
}

#[test]
fn duplicate_keys_are_errors_at_the_second_key() {
    let text = edit(
        CLEAN_JOB,
        "      restartPolicy: Never\n",
        "      restartPolicy: Never\n      restartPolicy: OnFailure\n",
    );
    let d = expect(&text, "yaml", "", 15);
    assert_eq!(
        d.message,
        "mapping key \"restartPolicy\" already defined at line 14"
    );
    assert_eq!(d.span, Span::new(15, 7, 15, 20));
}

#[test]
fn syntax_errors_carry_the_parser_position() {
    let text = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: x\n  labels: {a: b\n";
    let all = findings(text);
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0].code, "yaml");
    assert_eq!(all[0].severity, Severity::Error);
    assert!(all[0].span.line >= 5);
    let bad_indent = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: x\n name2: y\n";
    let d = &findings(bad_indent)[0];
    assert_eq!(d.code, "yaml");
    assert_eq!(d.span.line, 5);
}

#[test]
fn removed_api_versions_say_so() {
    let text = edit(
        CLEAN_CRON_JOB,
        "apiVersion: batch/v1",
        "apiVersion: batch/v1beta1",
    );
    let d = expect(&text, SCHEMA, "apiVersion", 1);
    assert_eq!(
        d.message,
        "no matches for kind \"CronJob\" in version \"batch/v1beta1\""
    );
    assert!(d.help.contains("removed in Kubernetes 1.25"));
    assert!(d.help.contains("apiVersion: batch/v1"));
    let wrong_case = edit(CLEAN_JOB, "kind: Job", "kind: job");
    let d = expect(&wrong_case, SCHEMA, "kind", 2);
    assert!(d.help.contains("did you mean kind: Job?"));
}

#[test]
fn missing_kind_or_api_version_is_reported() {
    let text = edit(CLEAN_JOB, "kind: Job\n", "");
    expect_message(
        &text,
        SCHEMA,
        "kind",
        1,
        "error validating data: [kind not set]",
    );
    let text = edit(CLEAN_JOB, "apiVersion: batch/v1\n", "");
    expect_message(
        &text,
        SCHEMA,
        "apiVersion",
        1,
        "error validating data: [apiVersion not set]",
    );
    let scalar = "just some words\n";
    let d = &findings(scalar)[0];
    assert!(d.message.contains("not a Kubernetes object"));
}

#[test]
fn other_kinds_are_kept_with_a_note() {
    let text = format!("{CLEAN_JOB}---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n");
    let d = expect(&text, SCHEMA, "kind", line_of(&text, "kind: Deployment"));
    assert_eq!(d.severity, Severity::Info);
    assert_eq!(d.document, 1);
    assert_eq!(
        d.message,
        "Deployment (apps/v1) \"web\" is recognised but not simulated here"
    );
    let bundle = manifest::parse(&text);
    assert_eq!(bundle.objects.len(), 2);
    assert!(
        matches!(&bundle.objects[1].kind, ObjectKind::Other { kind, name, .. } if kind == "Deployment" && name == "web")
    );
}

#[test]
fn secrets_decode_data_and_merge_string_data() {
    let text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\ntype: Opaque\ndata:\n  user: YWRtaW4=\n  broken: \"not base64!\"\nstringData:\n  password: s3cret\n";
    let bundle = manifest::parse(text);
    let secret = bundle.secret("creds").expect("secret");
    assert_eq!(secret.data.get("user").map(String::as_str), Some("admin"));
    assert_eq!(
        secret.data.get("password").map(String::as_str),
        Some("s3cret")
    );
    assert!(!secret.data.contains_key("broken"));
    expect_message(
        text,
        SCHEMA,
        "data[broken]",
        8,
        "illegal base64 data at input byte 3",
    );
}

#[test]
fn bundle_accessors_and_source_map() {
    let text = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  level: debug\n---\n{CLEAN_JOB}---\n{CLEAN_CRON_JOB}"
    );
    let bundle = manifest::parse(&text);
    assert!(bundle.diagnostics.is_empty(), "{:?}", bundle.diagnostics);
    let jobs: Vec<_> = bundle.jobs().collect();
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].0, 1);
    assert_eq!(jobs[0].1.metadata.name.as_deref(), Some("nightly-report"));
    assert_eq!(jobs[0].1.spec.backoff_limit, Some(2));
    let crons: Vec<_> = bundle.cron_jobs().collect();
    assert_eq!(crons[0].1.spec.schedule, "15 1 * * *");
    assert_eq!(
        bundle.config_map("settings").unwrap().data["level"],
        "debug"
    );
    assert!(bundle.config_map("other").is_none());

    let image_line = line_of(&text, "image: busybox:1.36");
    assert_eq!(
        bundle.span_of(1, "spec.template.spec.containers[0].image"),
        Some(Span::new(image_line, 18, image_line, 30))
    );
    let limit_line = line_of(&text, "memory: 128Mi");
    assert_eq!(
        bundle
            .span_of(
                1,
                "spec.template.spec.containers[0].resources.limits[memory]"
            )
            .map(|s| s.line),
        Some(limit_line)
    );
    assert_eq!(
        bundle
            .span_of(1, "metadata.annotations[example.com/owner]")
            .map(|s| s.line),
        Some(line_of(&text, "example.com/owner"))
    );
    assert!(bundle.span_of(1, "spec.nothing").is_none());
    assert!(bundle.span_of(9, "spec").is_none());
}

#[test]
fn a_job_with_schema_errors_still_yields_its_valid_fields() {
    let text = edit(
        CLEAN_JOB,
        "backoffLimit: 2",
        "backoffLimit: \"2\"\n  parallelism: 3",
    );
    let bundle = manifest::parse(&text);
    let (_, job) = bundle.jobs().next().expect("typed job despite the error");
    assert_eq!(job.spec.backoff_limit, None);
    assert_eq!(job.spec.parallelism, Some(3));
    assert_eq!(
        job.spec.template.spec.containers[0].image.as_deref(),
        Some("busybox:1.36")
    );
    assert!(bundle.has_errors());
}

#[test]
fn yaml_anchors_and_merge_keys_work_like_kubectl() {
    let text = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: anchored\n  labels: &labels\n    app: report\nspec:\n  template:\n    metadata:\n      labels: *labels\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: a\n          image: busybox:1.36\n";
    let bundle = manifest::parse(text);
    assert!(bundle.diagnostics.is_empty(), "{:?}", bundle.diagnostics);
    let (_, job) = bundle.jobs().next().unwrap();
    assert_eq!(job.spec.template.metadata.labels["app"], "report");
}

#[test]
fn empty_documents_are_skipped() {
    let text = format!("---\n{CLEAN_JOB}---\n");
    let bundle = manifest::parse(&text);
    assert_eq!(bundle.objects.len(), 1);
    // A leading `---` starts the first document; it does not make an empty one before it.
    assert_eq!(bundle.objects[0].document, 0);
    assert_eq!(bundle.source.documents.len(), 2);
    clean(&text);
}
