//! Every manifest of the two seed course texts (copied as fixtures) parses into typed objects, and
//! the ones with real defects get the right findings.

use batchlab_core::diag::Diagnostic;
use batchlab_core::lint::LintConfig;
use batchlab_core::manifest::ObjectKind;

macro_rules! fixture {
    ($name:literal) => {
        ($name, include_str!(concat!("fixtures/seeds/", $name)))
    };
}

const SEEDS: &[(&str, &str)] = &[
    fixture!("unit5-01.yaml"),
    fixture!("unit5-02.yaml"),
    fixture!("unit5-03.yaml"),
    fixture!("unit5-04.yaml"),
    fixture!("unit5-05.yaml"),
    fixture!("unit5-06.yaml"),
    fixture!("unit5-07.yaml"),
    fixture!("unit5-08.yaml"),
    fixture!("unit5-09.yaml"),
    fixture!("part21-01-minimal-job.yaml"),
    fixture!("part21-02-report-export.yaml"),
    fixture!("part21-03-pod-failure-policy.yaml"),
    fixture!("part21-04-parallel.yaml"),
    fixture!("part21-05-indexed.yaml"),
    fixture!("part21-06-cronjob.yaml"),
    fixture!("part21-07-deployment.yaml"),
    fixture!("part21-08-migration.yaml"),
];

fn analyze(text: &str) -> batchlab_core::Analysis {
    batchlab_core::analyze(text, &LintConfig::all())
}

fn errors(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| {
            format!(
                "{}:{} [{}] {}: {}",
                d.span.line, d.span.column, d.code, d.path, d.message
            )
        })
        .collect()
}

#[test]
fn every_seed_manifest_parses_into_typed_objects() {
    for (name, text) in SEEDS {
        let analysis = analyze(text);
        assert!(!analysis.bundle.objects.is_empty(), "{name}: no objects");
        for object in &analysis.bundle.objects {
            assert!(!object.name().is_empty(), "{name}: object without a name");
        }
        if *name != "unit5-08.yaml" {
            assert!(
                errors(&analysis.diagnostics).is_empty(),
                "{name}: {:#?}",
                errors(&analysis.diagnostics)
            );
        }
    }
}

#[test]
fn the_checkpoint_example_repeats_restart_policy() {
    let (_, text) = SEEDS.iter().find(|(n, _)| *n == "unit5-08.yaml").unwrap();
    let analysis = analyze(text);
    assert_eq!(
        errors(&analysis.diagnostics),
        vec!["54:7 [yaml] : mapping key \"restartPolicy\" already defined at line 53".to_string()]
    );
    // The Job is still read (the first restartPolicy wins), so it can be simulated and linted.
    let (_, job) = analysis.bundle.jobs().next().unwrap();
    assert_eq!(
        job.spec.template.spec.restart_policy.as_deref(),
        Some("OnFailure")
    );
    // And its checkpoint lives in the container's /tmp, lost on every restart.
    assert!(analysis
        .diagnostics
        .iter()
        .any(|d| d.code == "BL-STATE-001" && d.span.line == 13));
}

#[test]
fn the_idempotency_example_loses_a_dollar_sign() {
    let (_, text) = SEEDS.iter().find(|(n, _)| *n == "unit5-07.yaml").unwrap();
    let analysis = analyze(text);
    let d = analysis
        .diagnostics
        .iter()
        .find(|d| d.code == "BL-SCRIPT-001")
        .expect("lone $ found");
    assert_eq!(d.path, "spec.template.spec.containers[0].args");
}

#[test]
fn the_secure_batch_bundle_resolves_its_references() {
    let (_, text) = SEEDS.iter().find(|(n, _)| *n == "unit5-05.yaml").unwrap();
    let analysis = analyze(text);
    assert!(
        analysis.diagnostics.iter().all(|d| d.code != "ref"),
        "{:?}",
        analysis.diagnostics
    );
    let bundle = &analysis.bundle;
    assert_eq!(
        bundle.secret("batch-credentials").unwrap().data["api_key"],
        "sk-1234567890abcdef"
    );
    assert_eq!(
        bundle.config_map("batch-config").unwrap().data["batch_size"],
        "1000"
    );
    let (document, job) = bundle.jobs().next().unwrap();
    assert_eq!(document, 2);
    assert_eq!(job.spec.template.spec.containers[0].env.len(), 7);
    assert_eq!(
        job.spec.template.spec.containers[0]
            .resources
            .limit("memory")
            .map(|q| q.value()),
        Some(512 * 1024 * 1024)
    );
}

#[test]
fn the_flexible_config_job_needs_a_config_map_from_another_file() {
    let (_, text) = SEEDS.iter().find(|(n, _)| *n == "unit5-06.yaml").unwrap();
    let analysis = analyze(text);
    let refs: Vec<&Diagnostic> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == "ref")
        .collect();
    assert_eq!(refs.len(), 1, "{refs:?}");
    assert_eq!(refs[0].path, "spec.template.spec.volumes[1].configMap.name");
    assert_eq!(refs[0].span.line, 84);
    assert!(refs[0]
        .message
        .contains("ConfigMap \"batch-config\" is not in this bundle"));
}

#[test]
fn part21_examples_are_typed_as_written() {
    let get = |n: &str| SEEDS.iter().find(|(name, _)| *name == n).unwrap().1;
    let analysis = analyze(get("part21-05-indexed.yaml"));
    let (_, job) = analysis.bundle.jobs().next().unwrap();
    assert_eq!(job.spec.completion_mode.as_deref(), Some("Indexed"));
    assert_eq!(job.spec.backoff_limit_per_index, Some(2));
    assert_eq!(job.spec.max_failed_indexes, Some(3));
    assert!(analysis.diagnostics.iter().all(|d| d.code != "BL-PAR-002"));

    let analysis = analyze(get("part21-03-pod-failure-policy.yaml"));
    let (_, job) = analysis.bundle.jobs().next().unwrap();
    let rules = &job.spec.pod_failure_policy.as_ref().unwrap().rules;
    assert_eq!(
        rules[0].on_exit_codes.as_ref().unwrap().values,
        vec![64, 65, 66]
    );
    assert_eq!(rules[1].on_pod_conditions[0].type_, "DisruptionTarget");

    let analysis = analyze(get("part21-06-cronjob.yaml"));
    let (_, cron) = analysis.bundle.cron_jobs().next().unwrap();
    assert_eq!(cron.spec.time_zone.as_deref(), Some("Etc/UTC"));
    for code in ["BL-CRON-001", "BL-CRON-002", "BL-CRON-003", "BL-CRON-005"] {
        assert!(
            analysis.diagnostics.iter().all(|d| d.code != code),
            "{code}"
        );
    }

    let analysis = analyze(get("part21-07-deployment.yaml"));
    assert!(matches!(
        analysis.bundle.objects[0].kind,
        ObjectKind::Other { .. }
    ));
    assert_eq!(analysis.diagnostics.len(), 1);

    let analysis = analyze(get("part21-08-migration.yaml"));
    for code in ["BL-JOB-005", "BL-JOB-006"] {
        assert!(
            analysis.diagnostics.iter().all(|d| d.code != code),
            "{code}"
        );
    }
}
