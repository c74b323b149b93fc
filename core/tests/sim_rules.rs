//! Table tests for the Job simulator: each asserts what a learner would see on a real 1.34 cluster
//! (pod counts, creation times, conditions, events) for one rule of the Job controller.

use batchlab_core::model::Job;
use batchlab_core::sim::{kubectl, parse_scenario, simulate, SimInput, Time, Timeline};

fn job(yaml: &str) -> Job {
    serde_yaml::from_str(yaml).expect("test manifest parses")
}

fn run(jobs: &[&str], scenario: &str) -> Timeline {
    let input = SimInput {
        jobs: jobs.iter().map(|y| job(y)).collect(),
        ..SimInput::default()
    };
    let scenario = parse_scenario(scenario).expect("test scenario parses");
    simulate(&input, &scenario)
}

fn secs(t: Time) -> f64 {
    t.secs_f64()
}

const HELLO: &str = r#"
metadata: {name: hello}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: hello
        image: busybox:1.36
        command: ["sh", "-c", "echo hello; sleep 3; echo bye"]
"#;

#[test]
fn a_simple_job_runs_one_pod_to_complete() {
    let tl = run(&[HELLO], "");
    assert_eq!(tl.pods_created("hello"), 1);
    let pod = &tl.pods[0];
    assert!(
        pod.name.starts_with("hello-") && pod.name.len() == "hello-".len() + 5,
        "{}",
        pod.name
    );
    let reasons: Vec<&str> = pod.phases.iter().map(|c| c.reason.as_str()).collect();
    assert_eq!(
        reasons,
        ["Pending", "ContainerCreating", "Running", "Completed"]
    );
    // Pulled 2s + started 1s, runs 3s: exits at 6s; the controller sees it 1s later.
    assert_eq!(secs(pod.phases[3].at), 6.0);
    let (kind, reason, at) = tl.outcome("hello").unwrap();
    assert_eq!(
        (kind, reason, secs(at)),
        ("Complete", "CompletionsReached", 7.0)
    );
    let j = tl.job("hello").unwrap();
    let types: Vec<&str> = j.conditions.iter().map(|c| c.type_).collect();
    assert_eq!(types, ["SuccessCriteriaMet", "Complete"]);
    assert_eq!(
        j.conditions[0].message,
        "Reached expected number of succeeded pods"
    );
    assert_eq!((j.succeeded, j.failed, j.active), (1, 0, 0));
    assert_eq!(j.completion_time, Some(Time(7000)));
    assert_eq!(tl.logs_of(&pod.name), ["hello", "bye"]);
    let reasons: Vec<&str> = tl
        .events
        .iter()
        .filter(|e| e.kind == "Job")
        .map(|e| e.reason)
        .collect();
    assert_eq!(reasons, ["SuccessfulCreate", "Completed"]);
    assert_eq!(tl.events[0].message, format!("Created pod: {}", pod.name));
    assert_eq!(pod.labels["job-name"], "hello");
    assert_eq!(pod.labels["batch.kubernetes.io/job-name"], "hello");
    assert_eq!(
        pod.labels["controller-uid"],
        pod.labels["batch.kubernetes.io/controller-uid"]
    );
}

#[test]
fn kubectl_views_show_the_columns_kubectl_shows() {
    let tl = run(&[HELLO], "");
    let pod = tl.pods[0].name.clone();
    let at4 = kubectl::get_pods(&tl, Time(4000));
    assert_eq!(at4, format!("NAME          READY   STATUS    RESTARTS   AGE\n{pod}   1/1     Running   0          4s\n"));
    let end = kubectl::get_pods(&tl, Time(60_000));
    assert!(
        end.contains(&format!("{pod}   0/1     Completed   0          60s")),
        "{end}"
    );
    let jobs = kubectl::get_jobs(&tl, Time(60_000));
    assert_eq!(jobs, "NAME    STATUS     COMPLETIONS   DURATION   AGE\nhello   Complete   1/1           7s         60s\n");
    let running = kubectl::get_jobs(&tl, Time(3000));
    assert!(
        running.contains("hello   Running   0/1           3s         3s"),
        "{running}"
    );
    let d = kubectl::describe_job(&tl, "hello", Time(60_000)).unwrap();
    assert!(
        d.starts_with("Name:             hello\nNamespace:        default\n"),
        "{d}"
    );
    assert!(
        d.contains("Pods Statuses:    0 Active (0 Ready) / 1 Succeeded / 0 Failed\n"),
        "{d}"
    );
    assert!(
        d.contains("Start Time:       Mon, 05 Jan 2026 09:00:00 +0000\n"),
        "{d}"
    );
    assert!(
        d.contains("  Normal  Completed         53s   job-controller  Job completed\n"),
        "{d}"
    );
    assert_eq!(
        kubectl::logs(&tl, &pod, None, false, Time(4000)).unwrap(),
        "hello\n"
    );
    assert_eq!(
        kubectl::logs(&tl, &pod, None, false, Time(60_000)).unwrap(),
        "hello\nbye\n"
    );
}

const ALWAYS_FAILS: &str = r#"
metadata: {name: flaky}
spec:
  backoffLimit: 3
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: work
        image: busybox:1.36
        command: ["sh", "-c", "sleep 2; exit 1"]
"#;

#[test]
fn never_backoff_limit_3_makes_four_pods_on_the_backoff_schedule() {
    let tl = run(&[ALWAYS_FAILS], "");
    assert_eq!(tl.pods_created("flaky"), 4);
    let created: Vec<f64> = tl.pods.iter().map(|p| secs(p.created_at)).collect();
    // Pod 1: 0s, runs 3s..5s (pull 2s, start 1s, sleep 2s). Back-off 10s from its finish: 15s.
    // Pod 2 (image cached): 15s..18s, +20s: 38s. Pod 3: 38..41, +40s: 81s.
    assert_eq!(created, [0.0, 15.0, 38.0, 81.0]);
    let exit_codes: Vec<Vec<i32>> = tl.pods.iter().map(|p| p.exit_codes.clone()).collect();
    assert_eq!(exit_codes, [[1], [1], [1], [1]]);
    let j = tl.job("flaky").unwrap();
    let conds: Vec<(&str, &str, f64)> = j
        .conditions
        .iter()
        .map(|c| (c.type_, c.reason.as_str(), secs(c.at)))
        .collect();
    assert_eq!(
        conds,
        [
            ("FailureTarget", "BackoffLimitExceeded", 85.0),
            ("Failed", "BackoffLimitExceeded", 85.0)
        ]
    );
    assert_eq!(
        j.conditions[1].message,
        "Job has reached the specified backoff limit"
    );
    assert_eq!(j.failed, 4);
    assert_eq!(j.completion_time, None);
    let warning = tl
        .events_with_reason("BackoffLimitExceeded")
        .next()
        .unwrap();
    assert_eq!(
        (warning.type_, warning.message.as_str()),
        ("Warning", "Job has reached the specified backoff limit")
    );
    let status = kubectl::get_pods(&tl, Time(90_000));
    assert_eq!(status.matches("Error").count(), 4, "{status}");
}
