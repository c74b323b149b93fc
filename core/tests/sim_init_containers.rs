//! Table tests for init containers and native sidecars (init containers with
//! `restartPolicy: Always`), and for pods with several regular containers: what a learner sees on
//! a 1.34 cluster, through `kubectl get pods`, the pod's containers, events and the Job's
//! conditions.
//!
//! Default timings: an image pull takes 2 s (a cached image none), a container starts 1 s after
//! its image is there, a SIGTERMed container stops within 1 s.

use batchlab_core::sim::timeline::{ContainerKind, Phase};
use batchlab_core::sim::{kubectl, Time, Timeline};

mod common;
use common::simulate_job as run;

/// The STATUS, READY and RESTARTS of the Job's first pod at `secs`, as `kubectl get pods`
/// prints them (RESTARTS without its "(5s ago)").
fn columns_at(tl: &Timeline, secs: f64) -> (String, String, u32) {
    let s = tl.pods[0]
        .status_at(Time((secs * 1000.0) as u64))
        .expect("pod exists");
    (
        s.reason.to_string(),
        format!("{}/{}", s.ready, s.total),
        s.restarts,
    )
}

fn phase_at(tl: &Timeline, secs: f64) -> Phase {
    tl.pods[0]
        .status_at(Time((secs * 1000.0) as u64))
        .expect("pod exists")
        .phase
}

/// Asserts the first pod's STATUS, READY and phase at each instant (seconds).
fn assert_pod_over_time(tl: &Timeline, cases: &[(f64, &str, &str, Phase)]) {
    for &(at, status, ready, phase) in cases {
        let (s, r, _) = columns_at(tl, at);
        assert_eq!(
            (s.as_str(), r.as_str(), phase_at(tl, at)),
            (status, ready, phase),
            "at {at}s"
        );
    }
}

/// A Job whose pod runs `init` (YAML list items) before one `work` container.
fn job_with(restart_policy: &str, backoff_limit: u32, init: &str, extra_spec: &str) -> String {
    format!(
        r#"
metadata: {{name: etl}}
spec:
  backoffLimit: {backoff_limit}
{extra_spec}
  template:
    spec:
      restartPolicy: {restart_policy}
      initContainers:
{init}
      containers:
      - {{name: work, image: busybox:1.36, command: ["/app/work"]}}
"#
    )
}

const FETCH: &str = "      - {name: fetch, image: busybox:1.36, command: [\"/app/fetch\"]}";
const SHIPPER: &str =
    "      - {name: log-shipper, image: busybox:1.36, restartPolicy: Always, command: [\"/app/ship\"]}";

#[test]
fn an_init_container_runs_to_completion_before_the_regular_container_starts() {
    let tl = run(
        &job_with("Never", 6, FETCH, ""),
        "containers:\n  fetch: {duration: 3s, logs: [downloaded]}\n  work: {duration: 4s, logs: [processed]}\n",
    );
    // Pulled by 2 s, fetch runs 3-6 s; work's image is cached, so it starts at 7 s and runs to 11 s.
    let cases: &[(f64, &str, &str, Phase)] = &[
        (1.0, "Init:0/1", "0/1", Phase::Pending),
        (4.0, "Init:0/1", "0/1", Phase::Pending),
        (6.5, "PodInitializing", "0/1", Phase::Pending),
        (8.0, "Running", "1/1", Phase::Running),
        (12.0, "Completed", "0/1", Phase::Succeeded),
    ];
    assert_pod_over_time(&tl, cases);
    let pod = &tl.pods[0];
    let kinds: Vec<(&str, ContainerKind)> = pod
        .containers
        .iter()
        .map(|c| (c.name.as_str(), c.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("fetch", ContainerKind::Init),
            ("work", ContainerKind::Regular)
        ]
    );
    // The kubelet's events name the init container too, in the order it works.
    let events: Vec<(&str, &str)> = tl
        .events
        .iter()
        .filter(|e| e.kind == "Pod" && e.source == "kubelet")
        .map(|e| (e.reason.as_str(), e.message.as_str()))
        .collect();
    assert_eq!(
        events,
        [
            ("Pulling", "Pulling image \"busybox:1.36\""),
            (
                "Pulled",
                "Successfully pulled image \"busybox:1.36\" in 2s (2s including waiting)"
            ),
            ("Created", "Created container: fetch"),
            ("Started", "Started container fetch"),
            (
                "Pulled",
                "Container image \"busybox:1.36\" already present on machine"
            ),
            ("Created", "Created container: work"),
            ("Started", "Started container work"),
        ]
    );
    assert_eq!(tl.outcome("etl").map(|o| o.0), Some("Complete"));
    // `kubectl logs` shows the regular container unless `-c` names the init container.
    let end = Time::from_secs(20);
    assert_eq!(
        kubectl::logs(&tl, &pod.name, None, false, end).unwrap(),
        "processed\n"
    );
    assert_eq!(
        kubectl::logs(&tl, &pod.name, Some("fetch"), false, end).unwrap(),
        "downloaded\n"
    );
}

#[test]
fn a_failed_init_container_fails_a_never_pod_and_the_regular_container_never_starts() {
    let tl = run(
        &job_with("Never", 0, FETCH, ""),
        "containers:\n  fetch: {duration: 3s, exitCode: 1}\n",
    );
    let (status, ready, restarts) = columns_at(&tl, 10.0);
    assert_eq!(
        (status.as_str(), ready.as_str(), restarts),
        ("Init:Error", "0/1", 0)
    );
    assert_eq!(phase_at(&tl, 10.0), Phase::Failed);
    let work = &tl.pods[0].containers[1];
    assert!(
        work.states.iter().all(|s| s.state == "waiting"),
        "{:?}",
        work.states
    );
    let (kind, reason, _) = tl.outcome("etl").unwrap();
    assert_eq!((kind, reason), ("Failed", "BackoffLimitExceeded"));
}

#[test]
fn an_on_failure_init_container_crash_loops_and_its_restarts_count_toward_the_backoff_limit() {
    let tl = run(
        &job_with("OnFailure", 2, FETCH, ""),
        "containers:\n  fetch: {duration: 1s, exitCode: 1}\n",
    );
    // Runs 3-4 s, restarted at once (4-5 s), then waits 10 s in CrashLoopBackOff.
    let (status, _, restarts) = columns_at(&tl, 10.0);
    assert_eq!((status.as_str(), restarts), ("Init:CrashLoopBackOff", 1));
    let row = kubectl::get_pods(&tl, Time::from_secs(10));
    assert!(
        row.contains("   0/1     Init:CrashLoopBackOff   1 (5s ago)   10s\n"),
        "{row}"
    );
    assert_eq!(phase_at(&tl, 10.0), Phase::Pending);
    // The second restart (at 15 s) brings the sum to backoffLimit: the Job fails.
    let (kind, reason, at) = tl.outcome("etl").unwrap();
    assert_eq!((kind, reason), ("Failed", "BackoffLimitExceeded"));
    assert!(
        at >= Time::from_secs(15) && at <= Time::from_secs(17),
        "{at:?}"
    );
    assert!(tl.pods[0].containers[1]
        .states
        .iter()
        .all(|s| s.state == "waiting"));
}

#[test]
fn a_pod_failure_policy_matches_an_init_container_exit_code() {
    let policy = "  podFailurePolicy:\n    rules:\n    - action: FailJob\n      onExitCodes: {containerName: fetch, operator: In, values: [42]}";
    let tl = run(
        &job_with("Never", 6, FETCH, policy),
        "containers:\n  fetch: {duration: 3s, exitCode: 42}\n",
    );
    let (kind, reason, _) = tl.outcome("etl").unwrap();
    assert_eq!((kind, reason), ("Failed", "PodFailurePolicy"));
    let failed = tl.job("etl").unwrap().conditions.last().unwrap().clone();
    assert_eq!(
        failed.message.as_str(),
        format!(
            "Container fetch for pod default/{} failed with exit code 42 matching FailJob rule at index 0",
            tl.pods[0].name
        )
    );
    assert_eq!(tl.pods_created("etl"), 1);
}

#[test]
fn a_sidecar_keeps_running_beside_the_work_and_is_stopped_so_a_never_job_completes() {
    let tl = run(
        &job_with("Never", 6, SHIPPER, ""),
        "containers:\n  log-shipper: {duration: 10h}\n  work: {duration: 4s}\n",
    );
    // The sidecar starts at 3 s; work starts beside it at 4 s and exits at 8 s; the kubelet then
    // stops the sidecar (SIGTERM: exit 143 a second later) and the pod is Succeeded.
    let cases: &[(f64, &str, &str, Phase)] = &[
        (1.0, "Init:0/1", "0/2", Phase::Pending),
        (3.5, "PodInitializing", "1/2", Phase::Pending),
        (5.0, "Running", "2/2", Phase::Running),
        (8.5, "Completed", "1/2", Phase::Running),
        (10.0, "Completed", "0/2", Phase::Succeeded),
    ];
    assert_pod_over_time(&tl, cases);
    // The Job controller's batched sync, queued when work exited, sees the pod Succeeded.
    let (kind, reason, at) = tl.outcome("etl").unwrap();
    assert_eq!(
        (kind, reason, at),
        ("Complete", "CompletionsReached", Time::from_secs(9))
    );
    let shipper = &tl.pods[0].containers[0];
    assert_eq!(shipper.kind, ContainerKind::Sidecar);
    let last = shipper.states.last().unwrap();
    assert!(last.state == "terminated", "{last:?}");
    assert_eq!((last.exit_code, last.from), (Some(143), Time::from_secs(9)));
    let killing: Vec<&str> = tl
        .events_with_reason("Killing")
        .map(|e| e.message.as_str())
        .collect();
    assert_eq!(killing, ["Stopping container log-shipper"]);
}

#[test]
fn sidecars_are_stopped_last_started_first() {
    let two = "      - {name: proxy, image: busybox:1.36, restartPolicy: Always, command: [\"/app/proxy\"]}\n      - {name: log-shipper, image: busybox:1.36, restartPolicy: Always, command: [\"/app/ship\"]}";
    let tl = run(
        &job_with("Never", 6, two, ""),
        "containers:\n  proxy: {duration: 10h}\n  log-shipper: {duration: 10h}\n  work: {duration: 4s}\n",
    );
    let killing: Vec<(Time, &str)> = tl
        .events_with_reason("Killing")
        .map(|e| (e.at, e.message.as_str()))
        .collect();
    // proxy 3 s, log-shipper 4 s, work 5-9 s; log-shipper stops 9-10 s, then proxy 10-11 s.
    assert_eq!(
        killing,
        [
            (Time::from_secs(9), "Stopping container log-shipper"),
            (Time::from_secs(10), "Stopping container proxy"),
        ]
    );
    assert_eq!(phase_at(&tl, 10.5), Phase::Running);
    assert_eq!(phase_at(&tl, 11.0), Phase::Succeeded);
    assert_eq!(columns_at(&tl, 4.5).0, "PodInitializing");
    assert_eq!(columns_at(&tl, 3.5).0, "Init:1/2");
}

#[test]
fn a_sidecar_that_exits_is_restarted_even_in_a_never_pod() {
    let tl = run(
        &job_with("Never", 0, SHIPPER, ""),
        "containers:\n  log-shipper: {duration: 2s, exitCode: 1}\n  work: {duration: 30s}\n",
    );
    // The sidecar runs 3-5 s, restarts at once (5-7 s), then backs off 10 s (7-17 s). kubectl's
    // printer looks at init containers first: the pod is Running, yet STATUS shows the sidecar's
    // back-off (the regular container, running, does not override it).
    let (status, ready, restarts) = columns_at(&tl, 10.0);
    assert_eq!(
        (status.as_str(), ready.as_str(), restarts),
        ("Init:CrashLoopBackOff", "1/2", 1)
    );
    assert_eq!(phase_at(&tl, 10.0), Phase::Running);
    assert_eq!(columns_at(&tl, 18.0).0, "Running");
    // Its failures do not fail the pod: work exits 0 and the Job completes despite backoffLimit 0.
    assert_eq!(tl.outcome("etl").map(|o| o.0), Some("Complete"));
    assert_eq!(tl.pods_created("etl"), 1);
}

#[test]
fn sidecar_requests_add_to_the_pod_and_an_init_container_runs_beside_earlier_sidecars() {
    // Effective cpu = max(work 600m + sidecar 200m, sidecar 200m + fetch 900m) = 1100m > 1 cpu.
    let init = "      - {name: log-shipper, image: busybox:1.36, restartPolicy: Always, command: [\"/app/ship\"], resources: {requests: {cpu: 200m}}}\n      - {name: fetch, image: busybox:1.36, command: [\"/app/fetch\"], resources: {requests: {cpu: 900m}}}";
    let job = job_with("Never", 6, init, "").replace(
        "command: [\"/app/work\"]}",
        "command: [\"/app/work\"], resources: {requests: {cpu: 600m}}}",
    );
    let tl = run(
        &job,
        "horizon: 1m\ncluster:\n  nodes: [{name: node-1, cpu: \"1\"}]\n",
    );
    assert_eq!(columns_at(&tl, 30.0).0, "Pending");
    let e = tl.events_with_reason("FailedScheduling").next().unwrap();
    assert!(e.message.contains("1 Insufficient cpu"), "{}", e.message);
    // With 1100m the pod fits.
    let tl = run(
        &job,
        "horizon: 1m\ncluster:\n  nodes: [{name: node-1, cpu: 1100m}]\n",
    );
    assert_eq!(tl.events_with_reason("FailedScheduling").count(), 0);
}

#[test]
fn a_shell_sidecar_that_loops_forever_is_stopped_not_waited_for() {
    let shipper = "      - {name: log-shipper, image: busybox:1.36, restartPolicy: Always, command: [sh, -c, 'while true; do echo shipped; sleep 5; done']}";
    let tl = run(
        &job_with("Never", 6, shipper, ""),
        "containers:\n  work: {duration: 12s}\n",
    );
    // work runs 4-16 s. The sidecar's shell is PID 1 with no TERM trap, so SIGTERM does
    // nothing: it runs on for the 30 s grace period and is SIGKILLed (137) at 46 s.
    let (kind, _, at) = tl.outcome("etl").unwrap();
    assert_eq!((kind, at), ("Complete", Time::from_secs(47)));
    let pod = &tl.pods[0];
    let last = pod.containers[0].states.last().unwrap();
    assert_eq!(
        (last.exit_code, last.from),
        (Some(137), Time::from_secs(46))
    );
    let shipped = kubectl::logs(
        &tl,
        &pod.name,
        Some("log-shipper"),
        false,
        Time::from_secs(60),
    );
    assert_eq!(
        shipped.unwrap().lines().count(),
        9,
        "every 5 s from 3 s to 43 s"
    );
}

#[test]
fn the_pods_deadline_during_initialisation_fails_it_with_deadline_exceeded() {
    let job = job_with("Never", 0, FETCH, "").replace(
        "      restartPolicy: Never",
        "      restartPolicy: Never\n      activeDeadlineSeconds: 5",
    );
    let tl = run(&job, "containers:\n  fetch: {duration: 1m}\n");
    // fetch runs from 3 s; at 5 s the kubelet SIGTERMs it, and it is down a second later.
    let (status, _, _) = columns_at(&tl, 7.0);
    assert_eq!(
        (status.as_str(), phase_at(&tl, 7.0)),
        ("DeadlineExceeded", Phase::Failed)
    );
    assert_eq!(
        tl.pods[0].status_at(Time::from_secs(6)).unwrap().at,
        Time::from_secs(6)
    );
}

#[test]
fn a_pod_with_one_regular_container_done_and_another_running_is_not_ready() {
    // The classic pre-sidecar shape: the work finishes, the helper written as a second regular
    // container keeps running, and kubectl's printPod shows NotReady (the pod's Ready condition
    // is False once a regular container has terminated).
    let job = r#"
metadata: {name: export}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - {name: work, image: busybox:1.36, command: ["/app/work"]}
      - {name: log-shipper, image: busybox:1.36, command: ["/app/ship"]}
"#;
    let tl = run(
        job,
        "horizon: 60s\ncontainers:\n  work: {duration: 5s}\n  log-shipper: {duration: 1h}\n",
    );
    // Image pull 2 s, start 1 s later: both run from 3 s, `work` ends at 8 s.
    assert_pod_over_time(
        &tl,
        &[
            (4.0, "Running", "2/2", Phase::Running),
            (10.0, "NotReady", "1/2", Phase::Running),
            (59.0, "NotReady", "1/2", Phase::Running),
        ],
    );
    assert!(tl.jobs[0].conditions.is_empty(), "the Job never completes");
}

#[test]
fn a_trapping_sidecar_loop_stopped_by_the_kubelet_leaves_no_time_limit_note() {
    // The script runs whole when the sidecar starts, before anyone knows when SIGTERM comes, so
    // its endless loop is first worked out to the time limit; the run that happens is the one
    // redone up to the signal, and only that run's notes reach the timeline.
    let shipper = r#"      - name: log-shipper
        image: busybox:1.36
        restartPolicy: Always
        command:
        - sh
        - -c
        - |
          trap 'echo flushed; exit 0' TERM
          while true; do echo "sent a batch"; sleep 5; done"#;
    let job = job_with("Never", 6, shipper, "").replace(
        r#"command: ["/app/work"]"#,
        r#"command: ["sh", "-c", "sleep 12"]"#,
    );
    let tl = run(&job, "");
    let (kind, _, _) = tl.outcome("etl").expect("the Job finishes");
    assert_eq!(kind, "Complete");
    assert!(tl.notes.is_empty(), "{:?}", tl.notes);
    assert!(tl.pods[0].notes().is_empty(), "{:?}", tl.pods[0].notes());
    let logs: Vec<&str> = tl.pods[0].logs().iter().map(|l| l.text.as_str()).collect();
    assert_eq!(logs.last(), Some(&"flushed"));

    // The same loop in a regular container runs until the end of the run, and says so.
    let forever = job_with("Never", 6, FETCH, "").replace(
        r#"command: ["/app/work"]"#,
        r#"command: ["sh", "-c", "while true; do sleep 5; done"]"#,
    );
    let tl = run(
        &forever,
        "horizon: 2m\ncontainers:\n  fetch: {duration: 1s}\n",
    );
    assert!(
        tl.notes
            .iter()
            .any(|n| n.contains("repeats with nothing changing")),
        "{:?}",
        tl.notes
    );
}

#[test]
fn with_several_containers_kubectl_and_the_failure_policy_read_them_in_name_order() {
    // The kubelet lists a pod's container statuses sorted by name, and kubectl's STATUS is the
    // reason of the first of them (by name) that is not running. At 8 s `fetch-input` has
    // exited 0 and `render` 1: STATUS is `fetch-input`'s Completed (NotReady beside the running
    // `archive`), where the spec's order would have given `render`'s Error.
    let job = r#"
metadata: {name: report}
spec:
  backoffLimit: 0
  podFailurePolicy:
    rules:
    - action: FailJob
      onExitCodes: {operator: In, values: [1, 2]}
  template:
    spec:
      restartPolicy: Never
      containers:
      - {name: render, image: busybox:1.36, command: ["/app/render"]}
      - {name: fetch-input, image: busybox:1.36, command: ["/app/fetch"]}
      - {name: archive, image: busybox:1.36, command: ["/app/archive"]}
"#;
    let tl = run(
        job,
        "containers:\n  render: {duration: 2s, exitCode: 1}\n  fetch-input: {duration: 4s}\n  archive: {duration: 6s, exitCode: 2}\n",
    );
    // All three run from 3 s: render exits at 5 s, fetch-input at 7 s, archive at 9 s.
    assert_pod_over_time(
        &tl,
        &[
            (6.0, "Error", "2/3", Phase::Running),
            // `Completed` beside a running container: NotReady.
            (8.0, "NotReady", "1/3", Phase::Running),
            // `archive` is first by name, and exited 2.
            (10.0, "Error", "0/3", Phase::Failed),
        ],
    );
    // Both failed containers match the rule; `archive` comes first by name.
    let failed = tl.jobs[0]
        .conditions
        .iter()
        .find(|c| c.type_ == "Failed")
        .expect("the Job fails");
    assert_eq!(
        failed.message.as_str(),
        format!(
            "Container archive for pod default/{} failed with exit code 2 matching FailJob rule at index 0",
            tl.pods[0].name
        )
    );
}
