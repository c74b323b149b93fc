//! The API server's validation rules: for each, a manifest that breaks it (asserting code, path,
//! line and the upstream wording) and one that keeps it.

mod common;
use common::*;

const API: &str = "api";

#[test]
fn clean_manifests_have_no_findings() {
    clean(CLEAN_JOB);
    clean(CLEAN_CRON_JOB);
}

#[test]
fn omitted_restart_policy_is_required_because_it_defaults_to_always() {
    let text = edit(CLEAN_JOB, "      restartPolicy: Never\n", "");
    // Points at the pod spec's key, where the field belongs.
    expect_message(
        &text,
        API,
        "spec.template.spec.restartPolicy",
        line_of(&text, "    spec:"),
        "Required value: valid values: \"OnFailure\", \"Never\"",
    );
    let always = edit(CLEAN_JOB, "restartPolicy: Never", "restartPolicy: Always");
    expect_message(
        &always,
        API,
        "spec.template.spec.restartPolicy",
        line_of(&always, "restartPolicy: Always"),
        "Required value: valid values: \"OnFailure\", \"Never\"",
    );
    let on_failure = edit(
        CLEAN_JOB,
        "restartPolicy: Never",
        "restartPolicy: OnFailure",
    );
    absent_path(&on_failure, "spec.template.spec.restartPolicy");
}

#[test]
fn unknown_restart_policy_gets_core_and_batch_errors() {
    let text = edit(
        CLEAN_JOB,
        "restartPolicy: Never",
        "restartPolicy: Sometimes",
    );
    let line = line_of(&text, "Sometimes");
    let all = findings(&text);
    let messages: Vec<&str> = all
        .iter()
        .filter(|d| d.path == "spec.template.spec.restartPolicy" && d.span.line == line)
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        messages,
        vec![
            "Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"",
            "Unsupported value: \"Sometimes\": supported values: \"OnFailure\", \"Never\"",
        ]
    );
}

#[test]
fn on_failure_is_refused_with_a_pod_failure_policy() {
    let with_policy = edit(
        CLEAN_JOB,
        "  template:\n",
        "  podFailurePolicy:\n    rules:\n      - action: FailJob\n        onExitCodes:\n          operator: In\n          values: [42]\n  template:\n",
    );
    absent_path(&with_policy, "spec.template.spec.restartPolicy");
    let text = edit(
        &with_policy,
        "restartPolicy: Never",
        "restartPolicy: OnFailure",
    );
    expect_message(
        &text,
        API,
        "spec.template.spec.restartPolicy",
        line_of(&text, "restartPolicy: OnFailure"),
        "Invalid value: \"OnFailure\": only \"Never\" is supported when podFailurePolicy is specified",
    );
}

#[test]
fn names_must_be_dns_subdomains() {
    let text = edit(CLEAN_JOB, "name: nightly-report", "name: Nightly_Report");
    let d = expect(&text, API, "metadata.name", 4);
    assert!(d.message.starts_with(
        "Invalid value: \"Nightly_Report\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'"
    ));
    let missing = edit(CLEAN_JOB, "  name: nightly-report\n", "");
    expect_message(
        &missing,
        API,
        "metadata.name",
        3,
        "Required value: name or generateName is required",
    );
    let generated = edit(
        CLEAN_JOB,
        "  name: nightly-report\n",
        "  generateName: nightly-\n",
    );
    absent_path(&generated, "metadata.name");
}

#[test]
fn dotted_job_names_get_the_dns_label_warning() {
    let text = edit(CLEAN_JOB, "name: nightly-report", "name: nightly.report");
    let d = expect(&text, API, "metadata.name", 4);
    assert_eq!(d.severity, batchlab_core::diag::Severity::Warning);
    assert!(d
        .message
        .starts_with("this is used in Pod names and hostnames"));
}

#[test]
fn cron_job_names_are_at_most_52_characters() {
    let long = "a".repeat(53);
    let text = edit(
        CLEAN_CRON_JOB,
        "name: ledger-sync",
        &format!("name: {long}"),
    );
    expect_message(
        &text,
        API,
        "metadata.name",
        4,
        &format!("Invalid value: \"{long}\": must be no more than 52 characters"),
    );
    let ok = edit(
        CLEAN_CRON_JOB,
        "name: ledger-sync",
        &format!("name: {}", "a".repeat(52)),
    );
    absent_path(&ok, "metadata.name");
}

#[test]
fn job_names_longer_than_a_label_value_fail_through_the_pod_labels() {
    let long = "j".repeat(64);
    let text = edit(CLEAN_JOB, "name: nightly-report", &format!("name: {long}"));
    expect_message(
        &text,
        API,
        "spec.template.labels",
        4,
        &format!("Invalid value: \"{long}\": must be no more than 63 characters"),
    );
}

#[test]
fn containers_are_required_and_need_names_and_images() {
    let no_containers = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: x\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n";
    expect_message(
        no_containers,
        API,
        "spec.template.spec.containers",
        7,
        "Required value",
    );

    let no_image = edit(CLEAN_JOB, "          image: busybox:1.36\n", "");
    expect_message(
        &no_image,
        API,
        "spec.template.spec.containers[0].image",
        16,
        "Required value",
    );

    let no_name = edit(CLEAN_JOB, "- name: report\n          image", "- image");
    expect_message(
        &no_name,
        API,
        "spec.template.spec.containers[0].name",
        16,
        "Required value",
    );

    let bad_name = edit(CLEAN_JOB, "name: report", "name: Report");
    let d = expect(&bad_name, API, "spec.template.spec.containers[0].name", 16);
    assert!(d
        .message
        .contains("a lowercase RFC 1123 label must consist of"));

    let twice = edit(
        CLEAN_JOB,
        "      containers:\n",
        "      containers:\n        - name: report\n          image: busybox:1.36\n",
    );
    expect_message(
        &twice,
        API,
        "spec.template.spec.containers[1].name",
        18,
        "Duplicate value: \"report\"",
    );
}

#[test]
fn counts_and_deadlines_must_not_be_negative() {
    for field in [
        "backoffLimit",
        "activeDeadlineSeconds",
        "ttlSecondsAfterFinished",
    ] {
        let original = CLEAN_JOB
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{field}:")))
            .unwrap()
            .to_string();
        let text = edit(CLEAN_JOB, &original, &format!("  {field}: -1"));
        expect_message(
            &text,
            API,
            &format!("spec.{field}"),
            line_of(&text, &format!("{field}: -1")),
            "Invalid value: -1: must be greater than or equal to 0",
        );
    }
    let text = edit(
        CLEAN_JOB,
        "  backoffLimit: 2\n",
        "  backoffLimit: 2\n  parallelism: -2\n  completions: -3\n",
    );
    expect(&text, API, "spec.parallelism", 10);
    expect(&text, API, "spec.completions", 11);
    // Zero is allowed (upstream uses ValidateNonnegativeField, not "positive").
    let zero = edit(CLEAN_JOB, "backoffLimit: 2", "backoffLimit: 0");
    absent_path(&zero, "spec.backoffLimit");

    for field in [
        "startingDeadlineSeconds",
        "successfulJobsHistoryLimit",
        "failedJobsHistoryLimit",
    ] {
        let original = CLEAN_CRON_JOB
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{field}:")))
            .unwrap()
            .to_string();
        let text = edit(CLEAN_CRON_JOB, &original, &format!("  {field}: -5"));
        expect_message(
            &text,
            API,
            &format!("spec.{field}"),
            line_of(&text, &format!("{field}: -5")),
            "Invalid value: -5: must be greater than or equal to 0",
        );
    }
}

#[test]
fn completion_mode_values_and_indexed_rules() {
    let text = edit(
        CLEAN_JOB,
        "  backoffLimit: 2\n",
        "  backoffLimit: 2\n  completionMode: indexed\n",
    );
    expect_message(
        &text,
        API,
        "spec.completionMode",
        10,
        "Unsupported value: \"indexed\": supported values: \"NonIndexed\", \"Indexed\"",
    );
    let no_completions = edit(
        CLEAN_JOB,
        "  backoffLimit: 2\n",
        "  backoffLimit: 2\n  completionMode: Indexed\n",
    );
    expect_message(
        &no_completions,
        API,
        "spec.completions",
        8,
        "Required value: when completion mode is Indexed",
    );
    let ok = edit(
        CLEAN_JOB,
        "  backoffLimit: 2\n",
        "  backoffLimit: 2\n  completionMode: Indexed\n  completions: 3\n",
    );
    absent(&ok, API);
}

#[test]
fn backoff_limit_per_index_rules() {
    let non_indexed = edit(
        CLEAN_JOB,
        "  backoffLimit: 2\n",
        "  backoffLimit: 2\n  backoffLimitPerIndex: 1\n",
    );
    expect_message(
        &non_indexed,
        API,
        "spec.backoffLimitPerIndex",
        10,
        "Invalid value: 1: requires indexed completion mode",
    );
    let max_without = edit(
        CLEAN_JOB,
        "  backoffLimit: 2\n",
        "  backoffLimit: 2\n  completionMode: Indexed\n  completions: 4\n  maxFailedIndexes: 5\n",
    );
    expect_message(
        &max_without,
        API,
        "spec.backoffLimitPerIndex",
        8,
        "Required value: when maxFailedIndexes is specified",
    );
    expect_message(
        &max_without,
        API,
        "spec.maxFailedIndexes",
        12,
        "Invalid value: 5: must be less than or equal to completions",
    );
    let ok = edit(
        CLEAN_JOB,
        "  backoffLimit: 2\n",
        "  completionMode: Indexed\n  completions: 4\n  backoffLimitPerIndex: 1\n  maxFailedIndexes: 2\n",
    );
    absent(&ok, API);
}

/// A Job with a pod failure policy made of the given rule lines (indented under `rules:`).
fn with_rules(rules: &str) -> String {
    edit(
        CLEAN_JOB,
        "  template:\n",
        &format!("  podFailurePolicy:\n    rules:\n{rules}  template:\n"),
    )
}

#[test]
fn pod_failure_policy_rules() {
    let good = with_rules(
        "      - action: FailJob\n        onExitCodes:\n          containerName: report\n          operator: In\n          values: [64, 65]\n      - action: Ignore\n        onPodConditions:\n          - type: DisruptionTarget\n",
    );
    absent(&good, API);

    let no_action =
        with_rules("      - onExitCodes:\n          operator: In\n          values: [1]\n");
    expect_message(
        &no_action,
        API,
        "spec.podFailurePolicy.rules[0].action",
        14,
        "Required value: valid values: [\"Count\" \"FailIndex\" \"FailJob\" \"Ignore\"]",
    );
    let bad_action = with_rules("      - action: Retry\n        onExitCodes:\n          operator: In\n          values: [1]\n");
    expect_message(
        &bad_action,
        API,
        "spec.podFailurePolicy.rules[0].action",
        14,
        "Unsupported value: \"Retry\": supported values: \"Count\", \"FailIndex\", \"FailJob\", \"Ignore\"",
    );
    let fail_index = with_rules("      - action: FailIndex\n        onExitCodes:\n          operator: In\n          values: [1]\n");
    expect_message(
        &fail_index,
        API,
        "spec.podFailurePolicy.rules[0].action",
        14,
        "Invalid value: \"FailIndex\": requires the backoffLimitPerIndex to be set",
    );
    let neither = with_rules("      - action: Ignore\n");
    expect_message(
        &neither,
        API,
        "spec.podFailurePolicy.rules[0]",
        14,
        "Invalid value: specifying one of OnExitCodes and OnPodConditions is required",
    );
    let both = with_rules("      - action: Ignore\n        onExitCodes:\n          operator: In\n          values: [1]\n        onPodConditions:\n          - type: DisruptionTarget\n");
    expect_message(
        &both,
        API,
        "spec.podFailurePolicy.rules[0]",
        14,
        "Invalid value: specifying both OnExitCodes and OnPodConditions is not supported",
    );
}

#[test]
fn pod_failure_policy_exit_codes() {
    let rule = |body: &str| {
        with_rules(&format!(
            "      - action: FailJob\n        onExitCodes:\n{body}"
        ))
    };
    let op = rule("          operator: Equals\n          values: [1]\n");
    expect_message(
        &op,
        API,
        "spec.podFailurePolicy.rules[0].onExitCodes.operator",
        16,
        "Unsupported value: \"Equals\": supported values: \"In\", \"NotIn\"",
    );
    let container =
        rule("          containerName: importer\n          operator: In\n          values: [1]\n");
    expect_message(
        &container,
        API,
        "spec.podFailurePolicy.rules[0].onExitCodes.containerName",
        16,
        "Invalid value: \"importer\": must be one of the container or initContainer names in the pod template",
    );
    let zero = rule("          operator: In\n          values: [0, 3]\n");
    expect_message(
        &zero,
        API,
        "spec.podFailurePolicy.rules[0].onExitCodes.values[0]",
        17,
        "Invalid value: 0: must not be 0 for the In operator",
    );
    let not_in_zero = rule("          operator: NotIn\n          values: [0, 3]\n");
    absent(&not_in_zero, API);
    let duplicate = rule("          operator: In\n          values: [3, 3]\n");
    expect_message(
        &duplicate,
        API,
        "spec.podFailurePolicy.rules[0].onExitCodes.values[1]",
        17,
        "Duplicate value: 3",
    );
    let unordered = rule("          operator: In\n          values: [19, 11]\n");
    expect_message(
        &unordered,
        API,
        "spec.podFailurePolicy.rules[0].onExitCodes.values",
        17,
        "Invalid value: []int32{19, 11}: must be ordered",
    );
    let empty = rule("          operator: In\n          values: []\n");
    expect_message(
        &empty,
        API,
        "spec.podFailurePolicy.rules[0].onExitCodes.values",
        17,
        "Invalid value: []int32{}: at least one value is required",
    );
}

#[test]
fn pod_failure_policy_rule_count_is_limited() {
    let one =
        "      - action: Ignore\n        onPodConditions:\n          - type: DisruptionTarget\n";
    let text = with_rules(&one.repeat(21));
    expect_message(
        &text,
        API,
        "spec.podFailurePolicy.rules",
        13,
        "Too many: 21: must have at most 20 items",
    );
    absent_path(&with_rules(&one.repeat(20)), "spec.podFailurePolicy.rules");
}

#[test]
fn success_policy_rules() {
    let indexed = |policy: &str| {
        edit(
            CLEAN_JOB,
            "  backoffLimit: 2\n",
            &format!("  backoffLimit: 2\n  completionMode: Indexed\n  completions: 5\n{policy}"),
        )
    };
    let good = indexed("  successPolicy:\n    rules:\n      - succeededIndexes: \"0-2\"\n        succeededCount: 2\n");
    absent(&good, API);
    let not_indexed = edit(
        CLEAN_JOB,
        "  backoffLimit: 2\n",
        "  backoffLimit: 2\n  successPolicy:\n    rules:\n      - succeededCount: 1\n",
    );
    expect_message(
        &not_indexed,
        API,
        "spec.successPolicy",
        10,
        "Invalid value: requires indexed completion mode",
    );
    let empty = indexed("  successPolicy:\n    rules: []\n");
    expect_message(
        &empty,
        API,
        "spec.successPolicy.rules",
        13,
        "Required value: at least one rules must be specified when the successPolicy is specified",
    );
    let too_many = indexed("  successPolicy:\n    rules:\n      - succeededCount: 6\n");
    expect_message(
        &too_many,
        API,
        "spec.successPolicy.rules[0].succeededCount",
        14,
        "Invalid value: 6: must be less than or equal to 5 (the number of specified completions)",
    );
    let bad_indexes = indexed("  successPolicy:\n    rules:\n      - succeededIndexes: \"3,1\"\n");
    expect_message(
        &bad_indexes,
        API,
        "spec.successPolicy.rules[0].succeededIndexes",
        14,
        "Invalid value: \"3,1\": error parsing succeededIndexes: non-increasing order, previous: 3, current: 1",
    );
}

#[test]
fn pod_replacement_policy_values() {
    let bad = edit(
        CLEAN_JOB,
        "  backoffLimit: 2\n",
        "  backoffLimit: 2\n  podReplacementPolicy: Always\n",
    );
    expect_message(
        &bad,
        API,
        "spec.podReplacementPolicy",
        10,
        "Unsupported value: \"Always\": supported values: \"Failed\", \"TerminatingOrFailed\"",
    );
    let with_pfp = with_rules(
        "      - action: Ignore\n        onPodConditions:\n          - type: DisruptionTarget\n",
    );
    let text = edit(
        &with_pfp,
        "  backoffLimit: 2\n",
        "  backoffLimit: 2\n  podReplacementPolicy: TerminatingOrFailed\n",
    );
    expect_message(
        &text,
        API,
        "spec.podReplacementPolicy",
        10,
        "Unsupported value: \"TerminatingOrFailed\": supported values: \"Failed\"",
    );
    let ok = edit(
        &with_pfp,
        "  backoffLimit: 2\n",
        "  backoffLimit: 2\n  podReplacementPolicy: Failed\n",
    );
    absent(&ok, API);
}

#[test]
fn requests_must_not_exceed_limits() {
    let text = edit(
        CLEAN_JOB,
        "              memory: 128Mi\n",
        "              memory: 128Mi\n              cpu: 50m\n",
    );
    expect_message(
        &text,
        API,
        "spec.template.spec.containers[0].resources.requests",
        line_of(&text, "cpu: 100m"),
        "Invalid value: \"100m\": must be less than or equal to cpu limit of 50m",
    );
    // 0.1 CPU equals 100m: not greater.
    let equal = edit(
        CLEAN_JOB,
        "              memory: 128Mi\n",
        "              memory: 128Mi\n              cpu: \"0.1\"\n",
    );
    absent(&equal, API);
    let memory = edit(CLEAN_JOB, "memory: 128Mi", "memory: 32Mi");
    expect_message(
        &memory,
        API,
        "spec.template.spec.containers[0].resources.requests",
        line_of(&memory, "memory: 64Mi"),
        "Invalid value: \"64Mi\": must be less than or equal to memory limit of 32Mi",
    );
}

#[test]
fn resource_names_must_be_standard() {
    let text = edit(
        CLEAN_JOB,
        "              memory: 128Mi\n",
        "              memory: 128Mi\n              gpu: 1\n",
    );
    expect_message(
        &text,
        API,
        "spec.template.spec.containers[0].resources.limits[gpu]",
        line_of(&text, "gpu: 1"),
        "Invalid value: \"gpu\": must be a standard resource for containers",
    );
    let extended = edit(
        CLEAN_JOB,
        "              memory: 128Mi\n",
        "              memory: 128Mi\n              nvidia.com/gpu: 1\n",
    );
    absent(&extended, API);
}

#[test]
fn volume_mounts_must_name_a_volume() {
    let text = edit(
        CLEAN_JOB,
        "          resources:\n",
        "          volumeMounts:\n            - name: config\n              mountPath: /config\n          resources:\n",
    );
    expect_message(
        &text,
        API,
        "spec.template.spec.containers[0].volumeMounts[0].name",
        line_of(&text, "- name: config"),
        "Not found: \"config\"",
    );
    let ok = edit(
        &text,
        "      containers:\n",
        "      volumes:\n        - name: config\n          configMap:\n            name: settings\n      containers:\n",
    );
    absent(&ok, API);
}

#[test]
fn volumes_need_exactly_one_type() {
    let none = edit(
        CLEAN_JOB,
        "      containers:\n",
        "      volumes:\n        - name: scratch\n      containers:\n",
    );
    expect_message(
        &none,
        API,
        "spec.template.spec.volumes[0]",
        line_of(&none, "- name: scratch"),
        "Required value: must specify a volume type",
    );
    let two = edit(
        CLEAN_JOB,
        "      containers:\n",
        "      volumes:\n        - name: scratch\n          emptyDir: {}\n          secret:\n            secretName: s\n      containers:\n",
    );
    expect_message(
        &two,
        API,
        "spec.template.spec.volumes[0].secret",
        line_of(&two, "secret:"),
        "Forbidden: may not specify more than 1 volume type",
    );
    let ok = edit(
        CLEAN_JOB,
        "      containers:\n",
        "      volumes:\n        - name: scratch\n          emptyDir: {}\n      containers:\n",
    );
    absent(&ok, API);
}

#[test]
fn env_sources_are_exclusive() {
    let both = edit(
        CLEAN_JOB,
        "          resources:\n",
        "          env:\n            - name: MODE\n              value: fast\n              valueFrom:\n                fieldRef:\n                  fieldPath: metadata.name\n          resources:\n",
    );
    expect_message(
        &both,
        API,
        "spec.template.spec.containers[0].env[0].valueFrom",
        line_of(&both, "valueFrom:"),
        "Invalid value: \"\": may not be specified when `value` is not empty",
    );
    let bad_field = edit(
        CLEAN_JOB,
        "          resources:\n",
        "          env:\n            - name: MODE\n              valueFrom:\n                fieldRef:\n                  fieldPath: metadata.title\n          resources:\n",
    );
    let d = expect(
        &bad_field,
        API,
        "spec.template.spec.containers[0].env[0].valueFrom.fieldRef.fieldPath",
        line_of(&bad_field, "metadata.title"),
    );
    assert!(d
        .message
        .starts_with("Unsupported value: \"metadata.title\": supported values: \"metadata.name\""));
    let index = edit(
        CLEAN_JOB,
        "          resources:\n",
        "          env:\n            - name: PARTITION\n              valueFrom:\n                fieldRef:\n                  fieldPath: metadata.annotations['batch.kubernetes.io/job-completion-index']\n          resources:\n",
    );
    absent(&index, API);
}

#[test]
fn restart_policy_belongs_to_the_pod_not_the_container() {
    let text = edit(
        CLEAN_JOB,
        "          image: busybox:1.36\n",
        "          image: busybox:1.36\n          restartPolicy: Never\n",
    );
    expect_message(
        &text,
        API,
        "spec.template.spec.containers[0].restartPolicy",
        18,
        "Forbidden: may not be set for non-init containers",
    );
}

#[test]
fn pod_level_active_deadline_must_be_positive() {
    let text = edit(
        CLEAN_JOB,
        "      restartPolicy: Never\n",
        "      restartPolicy: Never\n      activeDeadlineSeconds: 0\n",
    );
    expect_message(
        &text,
        API,
        "spec.template.spec.activeDeadlineSeconds",
        15,
        "Invalid value: 0: must be between 1 and 2147483647, inclusive",
    );
}

#[test]
fn template_labels_are_checked_at_the_upstream_path() {
    let text = edit(
        CLEAN_JOB,
        "  template:\n    spec:\n",
        "  template:\n    metadata:\n      labels:\n        tier: \"needs review\"\n    spec:\n",
    );
    let d = expect(&text, API, "spec.template.labels", line_of(&text, "tier:"));
    assert!(d
        .message
        .starts_with("Invalid value: \"needs review\": a valid label must be an empty string"));
}

#[test]
fn selectors_are_generated_unless_manual() {
    let text = edit(
        CLEAN_JOB,
        "  backoffLimit: 2\n",
        "  backoffLimit: 2\n  selector:\n    matchLabels:\n      app: report\n",
    );
    let d = expect(&text, API, "spec.selector", 10);
    assert!(d.message.ends_with("`selector` not auto-generated"));
    let manual_missing = edit(
        CLEAN_JOB,
        "  backoffLimit: 2\n",
        "  backoffLimit: 2\n  manualSelector: true\n",
    );
    expect_message(&manual_missing, API, "spec.selector", 8, "Required value");
    let mismatch = edit(
        &text,
        "  backoffLimit: 2\n",
        "  backoffLimit: 2\n  manualSelector: true\n",
    );
    let d = expect(
        &mismatch,
        API,
        "spec.template.metadata.labels",
        line_of(&mismatch, "  template:"),
    );
    assert!(d
        .message
        .ends_with("`selector` does not match template `labels`"));
    let matching = edit(
        &mismatch,
        "  template:\n    spec:\n",
        "  template:\n    metadata:\n      labels:\n        app: report\n    spec:\n",
    );
    absent(&matching, API);
}

#[test]
fn indexed_pod_hostnames_must_be_dns_labels() {
    let name = "n".repeat(62);
    let text = edit(
        CLEAN_JOB,
        "name: nightly-report\n",
        &format!("name: {name}\n"),
    );
    let text = edit(
        &text,
        "  backoffLimit: 2\n",
        "  backoffLimit: 2\n  completionMode: Indexed\n  completions: 10\n",
    );
    expect_message(
        &text,
        API,
        "metadata.name",
        4,
        &format!("Invalid value: \"{name}\": will not able to create pod with invalid DNS label: {name}-9"),
    );
}

#[test]
fn cron_job_schedule_rules() {
    let empty = edit(CLEAN_CRON_JOB, "schedule: \"15 1 * * *\"", "schedule: \"\"");
    expect_message(&empty, API, "spec.schedule", 9, "Required value");
    let four = edit(
        CLEAN_CRON_JOB,
        "schedule: \"15 1 * * *\"",
        "schedule: \"15 1 * *\"",
    );
    expect_message(
        &four,
        API,
        "spec.schedule",
        9,
        "Invalid value: \"15 1 * *\": expected exactly 5 fields, found 4: [15 1 * *]",
    );
    let tz = edit(
        CLEAN_CRON_JOB,
        "schedule: \"15 1 * * *\"",
        "schedule: \"CRON_TZ=UTC 15 1 * * *\"",
    );
    expect_message(
        &tz,
        API,
        "spec.schedule",
        9,
        "Invalid value: \"CRON_TZ=UTC 15 1 * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
    );
    let minute = edit(
        CLEAN_CRON_JOB,
        "schedule: \"15 1 * * *\"",
        "schedule: \"61 * * * *\"",
    );
    expect_message(
        &minute,
        API,
        "spec.schedule",
        9,
        "Invalid value: \"61 * * * *\": end of range (61) above maximum (59): 61",
    );
    let macro_ = edit(
        CLEAN_CRON_JOB,
        "schedule: \"15 1 * * *\"",
        "schedule: \"@daily\"",
    );
    absent(&macro_, API);
}

#[test]
fn cron_job_time_zone_rules() {
    let unknown = edit(
        CLEAN_CRON_JOB,
        "timeZone: Etc/UTC",
        "timeZone: Mars/Olympus",
    );
    expect_message(
        &unknown,
        API,
        "spec.timeZone",
        10,
        "Invalid value: \"Mars/Olympus\": unknown time zone Mars/Olympus",
    );
    let local = edit(CLEAN_CRON_JOB, "timeZone: Etc/UTC", "timeZone: Local");
    expect_message(
        &local,
        API,
        "spec.timeZone",
        10,
        "Invalid value: \"Local\": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones",
    );
    let empty = edit(CLEAN_CRON_JOB, "timeZone: Etc/UTC", "timeZone: \"\"");
    expect_message(
        &empty,
        API,
        "spec.timeZone",
        10,
        "Invalid value: \"\": timeZone must be nil or non-empty string",
    );
    let jakarta = edit(
        CLEAN_CRON_JOB,
        "timeZone: Etc/UTC",
        "timeZone: Asia/Jakarta",
    );
    absent(&jakarta, API);
}

#[test]
fn cron_job_concurrency_policy_values() {
    let text = edit(
        CLEAN_CRON_JOB,
        "concurrencyPolicy: Forbid",
        "concurrencyPolicy: Skip",
    );
    expect_message(
        &text,
        API,
        "spec.concurrencyPolicy",
        11,
        "Unsupported value: \"Skip\": supported values: \"Allow\", \"Forbid\", \"Replace\"",
    );
}

#[test]
fn cron_job_templates_get_job_spec_rules_and_no_selectors() {
    let text = edit(CLEAN_CRON_JOB, "          restartPolicy: Never\n", "");
    expect_message(
        &text,
        API,
        "spec.jobTemplate.spec.template.spec.restartPolicy",
        line_of(&text, "        spec:"),
        "Required value: valid values: \"OnFailure\", \"Never\"",
    );
    let manual = edit(
        CLEAN_CRON_JOB,
        "      backoffLimit: 2\n",
        "      backoffLimit: 2\n      manualSelector: true\n",
    );
    expect_message(
        &manual,
        API,
        "spec.jobTemplate.spec.manualSelector",
        18,
        "Unsupported value: true: supported values: \"nil\", \"false\"",
    );
}

#[test]
fn references_to_missing_config_maps_and_secrets_are_warnings() {
    let env = "          env:\n            - name: LEVEL\n              valueFrom:\n                configMapKeyRef:\n                  name: settings\n                  key: level\n";
    let text = edit(
        CLEAN_JOB,
        "          resources:\n",
        &format!("{env}          resources:\n"),
    );
    let d = expect(
        &text,
        "ref",
        "spec.template.spec.containers[0].env[0].valueFrom.configMapKeyRef.name",
        line_of(&text, "name: settings"),
    );
    assert!(d.message.contains("CreateContainerConfigError"));
    assert_eq!(d.severity, batchlab_core::diag::Severity::Warning);

    let config_map = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  verbosity: high\n---\n";
    let wrong_key = format!("{config_map}{text}");
    let d = expect(
        &wrong_key,
        "ref",
        "spec.template.spec.containers[0].env[0].valueFrom.configMapKeyRef.key",
        line_of(&wrong_key, "key: level"),
    );
    assert!(d
        .message
        .contains("couldn't find key level in ConfigMap default/settings"));
    assert_eq!(d.document, 1);

    let right_key = edit(&wrong_key, "verbosity: high", "level: high");
    absent(&right_key, "ref");
    let optional = edit(
        &text,
        "key: level\n",
        "key: level\n                  optional: true\n",
    );
    absent(&optional, "ref");

    let volume = edit(
        CLEAN_JOB,
        "      containers:\n",
        "      volumes:\n        - name: creds\n          secret:\n            secretName: db-creds\n      containers:\n",
    );
    let d = expect(
        &volume,
        "ref",
        "spec.template.spec.volumes[0].secret.secretName",
        line_of(&volume, "secretName: db-creds"),
    );
    assert!(d.message.contains("ContainerCreating"));
    assert!(d.message.contains("FailedMount"));
}

/// CLEAN_JOB with `ports` (written at the container's indentation) on its container.
fn with_ports(ports: &str) -> String {
    edit(
        CLEAN_JOB,
        "          resources:\n",
        &format!("          ports:\n{ports}          resources:\n"),
    )
}

#[test]
fn container_ports_need_a_number_in_range_and_a_known_protocol() {
    let text = with_ports("            - containerPort: 70000\n              protocol: tcp\n");
    let base = "spec.template.spec.containers[0].ports[0]";
    expect_message(
        &text,
        API,
        &format!("{base}.containerPort"),
        line_of(&text, "containerPort: 70000"),
        "Invalid value: 70000: must be between 1 and 65535, inclusive",
    );
    expect_message(
        &text,
        API,
        &format!("{base}.protocol"),
        line_of(&text, "protocol: tcp"),
        "Unsupported value: \"tcp\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
    );
    let missing = with_ports("            - name: http\n");
    expect_message(
        &missing,
        API,
        &format!("{base}.containerPort"),
        line_of(&missing, "- name: http"),
        "Required value",
    );
    let ok = with_ports("            - containerPort: 8080\n              protocol: UDP\n");
    absent(&ok, API);
}

#[test]
fn port_names_are_iana_service_names_unique_in_a_container() {
    let text = with_ports("            - name: Web_Port-\n              containerPort: 80\n");
    let path = "spec.template.spec.containers[0].ports[0].name";
    let line = line_of(&text, "name: Web_Port-");
    let messages: Vec<String> = findings(&text)
        .into_iter()
        .filter(|d| d.code == API && d.path == path && d.span.line == line)
        .map(|d| d.message)
        .collect();
    assert_eq!(
        messages,
        [
            "Invalid value: \"Web_Port-\": must contain only alpha-numeric characters (a-z, 0-9), \
             and hyphens (-)",
            "Invalid value: \"Web_Port-\": must not begin or end with a hyphen",
        ]
    );
    let long =
        with_ports("            - name: metrics-endpoint\n              containerPort: 80\n");
    expect_message(
        &long,
        API,
        path,
        line_of(&long, "name: metrics-endpoint"),
        "Invalid value: \"metrics-endpoint\": must be no more than 15 characters",
    );
    let twice = with_ports(
        "            - name: http\n              containerPort: 80\n            \
         - name: http\n              containerPort: 8080\n",
    );
    expect_message(
        &twice,
        API,
        "spec.template.spec.containers[0].ports[1].name",
        line_of(&twice, "containerPort: 8080") - 1,
        "Duplicate value: \"http\"",
    );
    let ok = with_ports(
        "            - name: http\n              containerPort: 80\n            \
         - name: metrics\n              containerPort: 9090\n",
    );
    absent(&ok, API);
}

#[test]
fn host_ports_may_not_collide_between_containers() {
    let sidecar = |protocol: &str| {
        let one = with_ports("            - containerPort: 80\n              hostPort: 8080\n");
        edit(
            &one,
            "          resources:\n",
            &format!(
                "          resources: {{}}\n        - name: proxy\n          image: busybox:1.36\n          \
                 ports:\n            - containerPort: 81\n              hostPort: 8080\n              \
                 protocol: {protocol}\n          resources:\n"
            ),
        )
    };
    let text = sidecar("TCP");
    expect_message(
        &text,
        API,
        "spec.template.spec.containers[1].ports[0].hostPort",
        line_of(&text, "containerPort: 81") + 1,
        "Duplicate value: \"TCP//8080\"",
    );
    absent_path(
        &sidecar("UDP"),
        "spec.template.spec.containers[1].ports[0].hostPort",
    );
}
