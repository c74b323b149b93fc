//! Every lint rule: a manifest that trips it (code, path, line) and one that does not.

mod common;
use batchlab_core::diag::Severity;
use batchlab_core::lint::{self, LintConfig, RULES};
use common::*;

#[test]
fn res_001_requests() {
    let text = edit(
        CLEAN_JOB,
        "              cpu: 100m\n              memory: 64Mi\n",
        "              memory: 64Mi\n",
    );
    let d = expect(
        &text,
        "BL-RES-001",
        "spec.template.spec.containers[0].resources",
        line_of(&text, "resources:"),
    );
    assert!(d
        .message
        .starts_with("container \"report\" has no cpu request"));
    absent(CLEAN_JOB, "BL-RES-001");
    // A limit alone also sets the request, as Kubernetes defaults it.
    let limits_only = edit(
        CLEAN_JOB,
        "            requests:\n              cpu: 100m\n              memory: 64Mi\n",
        "",
    );
    let limits_only = edit(
        &limits_only,
        "              memory: 128Mi\n",
        "              memory: 128Mi\n              cpu: 100m\n",
    );
    absent(&limits_only, "BL-RES-001");
}

#[test]
fn res_002_memory_limit() {
    let text = edit(
        CLEAN_JOB,
        "            limits:\n              memory: 128Mi\n",
        "",
    );
    expect(
        &text,
        "BL-RES-002",
        "spec.template.spec.containers[0].resources",
        line_of(&text, "resources:"),
    );
    absent(CLEAN_JOB, "BL-RES-002");
}

#[test]
fn res_003_limit_far_above_request() {
    let text = edit(CLEAN_JOB, "memory: 128Mi", "memory: 1Gi");
    let d = expect(
        &text,
        "BL-RES-003",
        "spec.template.spec.containers[0].resources.limits[memory]",
        line_of(&text, "memory: 1Gi"),
    );
    assert_eq!(d.severity, Severity::Info);
    assert!(d.message.contains("1Gi is 16x its request 64Mi"));
    absent(CLEAN_JOB, "BL-RES-003");
}

#[test]
fn job_001_active_deadline() {
    let text = edit(CLEAN_JOB, "  activeDeadlineSeconds: 600\n", "");
    expect(&text, "BL-JOB-001", "spec.activeDeadlineSeconds", 8);
    absent(CLEAN_JOB, "BL-JOB-001");
}

#[test]
fn job_007_zero_deadline() {
    let text = edit(
        CLEAN_JOB,
        "activeDeadlineSeconds: 600",
        "activeDeadlineSeconds: 0",
    );
    expect(&text, "BL-JOB-007", "spec.activeDeadlineSeconds", 10);
    // Zero is valid for the API server (non-negative), so only lint speaks.
    absent(&text, "api");
    absent(CLEAN_JOB, "BL-JOB-007");
}

#[test]
fn job_002_ttl() {
    let text = edit(CLEAN_JOB, "  ttlSecondsAfterFinished: 86400\n", "");
    expect(&text, "BL-JOB-002", "spec.ttlSecondsAfterFinished", 8);
    absent(CLEAN_JOB, "BL-JOB-002");
    // CronJobs clean up through history limits instead.
    absent(CLEAN_CRON_JOB, "BL-JOB-002");
}

#[test]
fn job_003_default_backoff_limit() {
    let text = edit(CLEAN_JOB, "  backoffLimit: 2\n", "");
    expect(&text, "BL-JOB-003", "spec.backoffLimit", 8);
    absent(CLEAN_JOB, "BL-JOB-003");
}

#[test]
fn job_004_on_failure_with_failure_classification() {
    let scripted = edit(
        CLEAN_JOB,
        "restartPolicy: Never",
        "restartPolicy: OnFailure",
    );
    let scripted = edit(&scripted, "\"echo hello\"", "\"validate || exit 64\"");
    expect(
        &scripted,
        "BL-JOB-004",
        "spec.template.spec.restartPolicy",
        line_of(&scripted, "OnFailure"),
    );
    let never = edit(CLEAN_JOB, "\"echo hello\"", "\"validate || exit 64\"");
    absent(&never, "BL-JOB-004");
    let plain_retry = edit(
        CLEAN_JOB,
        "restartPolicy: Never",
        "restartPolicy: OnFailure",
    );
    absent(&plain_retry, "BL-JOB-004");
}

#[test]
fn job_005_migrations_do_not_retry() {
    let text = edit(
        CLEAN_JOB,
        "name: nightly-report",
        "name: orders-schema-migration",
    );
    let d = expect(
        &text,
        "BL-JOB-005",
        "spec.backoffLimit",
        line_of(&text, "backoffLimit: 2"),
    );
    assert!(d.message.contains("retries 2 times"));
    let by_label = edit(
        CLEAN_JOB,
        "  annotations:\n",
        "  labels:\n    example.com/change-type: schema-migration\n  annotations:\n",
    );
    expect(
        &by_label,
        "BL-JOB-005",
        "spec.backoffLimit",
        line_of(&by_label, "backoffLimit: 2"),
    );
    let once = edit(&text, "backoffLimit: 2", "backoffLimit: 0");
    absent(&once, "BL-JOB-005");
    let cleanup = edit(CLEAN_JOB, "name: nightly-report", "name: session-cleanup");
    expect(
        &cleanup,
        "BL-JOB-005",
        "spec.backoffLimit",
        line_of(&cleanup, "backoffLimit: 2"),
    );
}

#[test]
fn job_006_migrations_use_their_own_service_account() {
    let text = edit(CLEAN_JOB, "name: nightly-report", "name: orders-migration");
    expect(
        &text,
        "BL-JOB-006",
        "spec.template.spec.serviceAccountName",
        line_of(&text, "    spec:"),
    );
    let own = edit(
        &text,
        "      restartPolicy: Never\n",
        "      restartPolicy: Never\n      serviceAccountName: orders-migration\n",
    );
    absent(&own, "BL-JOB-006");
    absent(CLEAN_JOB, "BL-JOB-006");
}

#[test]
fn par_001_parallelism_without_completions() {
    let text = edit(
        CLEAN_JOB,
        "  backoffLimit: 2\n",
        "  backoffLimit: 2\n  parallelism: 5\n",
    );
    expect(&text, "BL-PAR-001", "spec.parallelism", 10);
    let with_completions = edit(
        &text,
        "  parallelism: 5\n",
        "  parallelism: 5\n  completions: 50\n",
    );
    absent(&with_completions, "BL-PAR-001");
    let queue = edit(&text, "name: nightly-report", "name: queue-drain");
    absent(&queue, "BL-PAR-001");
}

#[test]
fn par_002_indexed_jobs_read_their_index() {
    let text = edit(
        CLEAN_JOB,
        "  backoffLimit: 2\n",
        "  backoffLimit: 2\n  completionMode: Indexed\n  completions: 4\n",
    );
    expect(&text, "BL-PAR-002", "spec.completionMode", 10);
    let reads = edit(
        &text,
        "\"echo hello\"",
        "\"process shard $JOB_COMPLETION_INDEX\"",
    );
    absent(&reads, "BL-PAR-002");
}

#[test]
fn par_003_parallelism_above_completions() {
    let text = edit(
        CLEAN_JOB,
        "  backoffLimit: 2\n",
        "  backoffLimit: 2\n  completions: 3\n  parallelism: 10\n",
    );
    let d = expect(&text, "BL-PAR-003", "spec.parallelism", 11);
    assert_eq!(d.severity, Severity::Info);
    let fine = edit(&text, "parallelism: 10", "parallelism: 3");
    absent(&fine, "BL-PAR-003");
}

#[test]
fn cron_001_to_005() {
    let cases = [
        ("BL-CRON-001", "  timeZone: Etc/UTC\n", "spec.timeZone"),
        (
            "BL-CRON-002",
            "  concurrencyPolicy: Forbid\n",
            "spec.concurrencyPolicy",
        ),
        (
            "BL-CRON-003",
            "  startingDeadlineSeconds: 300\n",
            "spec.startingDeadlineSeconds",
        ),
        (
            "BL-CRON-005",
            "  successfulJobsHistoryLimit: 3\n  failedJobsHistoryLimit: 5\n",
            "spec.failedJobsHistoryLimit",
        ),
    ];
    for (code, line, path) in cases {
        let text = edit(CLEAN_CRON_JOB, line, "");
        expect(&text, code, path, 8);
        absent(CLEAN_CRON_JOB, code);
    }
    let short = edit(
        CLEAN_CRON_JOB,
        "startingDeadlineSeconds: 300",
        "startingDeadlineSeconds: 5",
    );
    expect(&short, "BL-CRON-004", "spec.startingDeadlineSeconds", 12);
    absent(CLEAN_CRON_JOB, "BL-CRON-004");
}

#[test]
fn sec_001_literal_credentials() {
    let env = |name: &str, value: &str| {
        edit(
            CLEAN_JOB,
            "          resources:\n",
            &format!("          env:\n            - name: {name}\n              value: \"{value}\"\n          resources:\n"),
        )
    };
    let token = env("API_TOKEN", "abc123");
    expect(
        &token,
        "BL-SEC-001",
        "spec.template.spec.containers[0].env[0].value",
        21,
    );
    let url = env("DATABASE_URL", "postgresql://app:hunter2@db:5432/app");
    expect(
        &url,
        "BL-SEC-001",
        "spec.template.spec.containers[0].env[0].value",
        21,
    );
    absent(&env("BATCH_SIZE", "1000"), "BL-SEC-001");
    absent(
        &env("DATABASE_URL", "postgresql://db:5432/app"),
        "BL-SEC-001",
    );
}

/// CLEAN_JOB whose container gets `API_TOKEN` from a Secret and runs `script` with `sh -c`.
fn with_secret_env(script: &str) -> String {
    let text = edit(
        CLEAN_JOB,
        "          resources:\n",
        "          env:\n            - name: API_TOKEN\n              valueFrom:\n                secretKeyRef: {name: api-credentials, key: token}\n          resources:\n",
    );
    edit(&text, "\"echo hello\"", &format!("{script:?}"))
}

#[test]
fn sec_002_printed_secrets() {
    let text = with_secret_env("echo starting; echo token=$API_TOKEN");
    let d = expect(
        &text,
        "BL-SEC-002",
        "spec.template.spec.containers[0].command[2]",
        line_of(&text, "command:"),
    );
    assert!(
        d.message.starts_with(
            "container \"report\" prints the Secret-backed variable $API_TOKEN with echo: "
        ),
        "{}",
        d.message
    );
    absent(&with_secret_env("echo api token loaded"), "BL-SEC-002");
    absent(
        &with_secret_env("echo ${#API_TOKEN} characters"),
        "BL-SEC-002",
    );
    expect(
        &with_secret_env("env"),
        "BL-SEC-002",
        "spec.template.spec.containers[0].command[2]",
        18,
    );
    // A script in `args` as a block: the finding is on the element that prints (its text starts on
    // the line after `- |`).
    let args = edit(
        CLEAN_JOB,
        "          command: [\"sh\", \"-c\", \"echo hello\"]\n",
        "          command: [\"sh\", \"-c\"]\n          args:\n            - |\n              echo start\n              cat /etc/creds/password\n          volumeMounts:\n            - {name: creds, mountPath: /etc/creds}\n",
    );
    let args = edit(
        &args,
        "      containers:\n",
        "      volumes:\n        - name: creds\n          secret: {secretName: db-credentials}\n      containers:\n",
    );
    let d = expect(
        &args,
        "BL-SEC-002",
        "spec.template.spec.containers[0].args[0]",
        line_of(&args, "echo start"),
    );
    assert!(d
        .message
        .contains("the Secret file /etc/creds/password with cat"));
    // The same file on a non-secret volume is fine.
    absent(
        &args.replace("secret: {secretName: db-credentials}", "emptyDir: {}"),
        "BL-SEC-002",
    );
}

#[test]
fn img_001_tags() {
    for image in [
        "busybox",
        "busybox:latest",
        "registry.example.com:5000/team/app",
    ] {
        let text = edit(CLEAN_JOB, "image: busybox:1.36", &format!("image: {image}"));
        expect(
            &text,
            "BL-IMG-001",
            "spec.template.spec.containers[0].image",
            17,
        );
    }
    for image in [
        "busybox:1.36",
        "registry.example.com:5000/team/app:2.0",
        "busybox@sha256:abc",
    ] {
        let text = edit(CLEAN_JOB, "image: busybox:1.36", &format!("image: {image}"));
        absent(&text, "BL-IMG-001");
    }
}

#[test]
fn gov_001_and_002_owner_and_runbook() {
    let no_owner = edit(CLEAN_JOB, "    example.com/owner: data-team\n", "");
    expect(&no_owner, "BL-GOV-001", "metadata.annotations", 5);
    absent(&no_owner, "BL-GOV-002");
    let no_runbook = edit(
        CLEAN_JOB,
        "    example.com/runbook: https://runbooks.example.com/nightly-report\n",
        "",
    );
    expect(&no_runbook, "BL-GOV-002", "metadata.annotations", 5);
    absent(CLEAN_JOB, "BL-GOV-001");
}

#[test]
fn state_001_checkpoints_on_a_volume() {
    let text = edit(
        CLEAN_JOB,
        "\"echo hello\"",
        "\"echo 5 > /tmp/checkpoint.txt\"",
    );
    expect(
        &text,
        "BL-STATE-001",
        "spec.template.spec.containers[0].command",
        18,
    );
    let mounted = edit(
        &text,
        "          resources:\n",
        "          volumeMounts:\n            - name: work\n              mountPath: /tmp\n          resources:\n",
    );
    let mounted = edit(
        &mounted,
        "      containers:\n",
        "      volumes:\n        - name: work\n          emptyDir: {}\n      containers:\n",
    );
    absent(&mounted, "BL-STATE-001");
}

#[test]
fn script_001_dollar_signs() {
    let text = edit(CLEAN_JOB, "\"echo hello\"", "\"echo pid $$\"");
    expect(
        &text,
        "BL-SCRIPT-001",
        "spec.template.spec.containers[0].command",
        18,
    );
    let escaped = edit(CLEAN_JOB, "\"echo hello\"", "\"echo pid $$$$ and $HOME\"");
    absent(&escaped, "BL-SCRIPT-001");
}

#[test]
fn every_rule_has_a_test_here() {
    let source = include_str!("lint.rs");
    for rule in RULES {
        // Each rule's code is named in a test above that expects it and checks its absence.
        assert!(
            source.contains(&format!("\"{}\"", rule.code)),
            "{} has no test",
            rule.code
        );
    }
}

#[test]
fn rules_can_be_switched_off() {
    let text = edit(CLEAN_JOB, "  backoffLimit: 2\n", "");
    let config = LintConfig::without(["BL-JOB-003"]);
    let analysis = batchlab_core::analyze(&text, &config);
    assert!(analysis.diagnostics.iter().all(|d| d.code != "BL-JOB-003"));
    let bundle = batchlab_core::manifest::parse(&text);
    assert!(lint::lint(&bundle, &LintConfig::none()).is_empty());
    assert!(!lint::lint(&bundle, &LintConfig::all()).is_empty());
}

#[test]
fn lint_findings_carry_the_rules_help() {
    let text = edit(CLEAN_JOB, "  backoffLimit: 2\n", "");
    let d = expect(&text, "BL-JOB-003", "spec.backoffLimit", 8);
    let rule = lint::rule_by_code("BL-JOB-003").unwrap();
    assert_eq!(d.help, rule.fix);
    assert!(d.message.ends_with(rule.why));
}
