//! Table tests for the Job simulator: each asserts what a learner would see on a real 1.34 cluster
//! (pod counts, creation times, conditions, events) for one rule of the Job controller.

use batchlab_core::manifest;
use batchlab_core::sim::{kubectl, parse_scenario, simulate, SimInput, Time, Timeline};

/// Parses the Jobs as `kubectl apply` would read them and runs them under the scenario.
fn run(jobs: &[&str], scenario: &str) -> Timeline {
    let text: Vec<String> = jobs
        .iter()
        .map(|y| format!("apiVersion: batch/v1\nkind: Job\n{}", y.trim_start()))
        .collect();
    let bundle = manifest::parse(&text.join("\n---\n"));
    assert!(!bundle.has_errors(), "{:?}", bundle.diagnostics);
    let scenario = parse_scenario(scenario).expect("test scenario parses");
    simulate(&SimInput::from_bundle(&bundle), &scenario)
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
    // Pulled 2s + started 1s, the script sleeps 3s (the shell's echoes cost a few ms): it exits
    // just after 6s, and the controller sees it in its next batched sync, 1s later.
    let exit = pod.phases[3].at;
    assert!(secs(exit) >= 6.0 && secs(exit) < 6.1, "{exit:?}");
    let (kind, reason, at) = tl.outcome("hello").unwrap();
    assert_eq!(
        (kind, reason, at),
        ("Complete", "CompletionsReached", Time(exit.0 + 1000))
    );
    let j = tl.job("hello").unwrap();
    let types: Vec<&str> = j.conditions.iter().map(|c| c.type_).collect();
    assert_eq!(types, ["SuccessCriteriaMet", "Complete"]);
    assert_eq!(
        j.conditions[0].message,
        "Reached expected number of succeeded pods"
    );
    assert_eq!((j.succeeded, j.failed, j.active), (1, 0, 0));
    assert_eq!(j.completion_time.get(), Some(at));
    assert_eq!(tl.logs_of(&pod.name), ["hello", "bye"]);
    let reasons: Vec<&str> = tl
        .events
        .iter()
        .filter(|e| e.kind == "Job")
        .map(|e| e.reason.as_str())
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
    let done = tl.job("hello").unwrap().completion_time.get().unwrap();
    let d = kubectl::describe_job(&tl, "hello", Time(done.0 + 53_000)).unwrap();
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
    let tl = run(
        &[ALWAYS_FAILS],
        "containers:\n  work: {duration: 2s, exitCode: 1}\n",
    );
    assert_eq!(tl.pods_created("flaky"), 4);
    let created: Vec<f64> = tl.pods.iter().map(|p| secs(p.created_at)).collect();
    // Pod 1: 0s, runs 3s..5s (pull 2s, start 1s, sleep 2s). Back-off 10s from its finish: 15s.
    // Pod 2 (image cached): 15s..18s, +20s: 38s. Pod 3: 38..41, +40s: 81s.
    assert_eq!(created, [0.0, 15.0, 38.0, 81.0]);
    let exit_codes: Vec<Vec<i32>> = tl.pods.iter().map(|p| p.exit_codes.to_vec()).collect();
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
    assert_eq!(j.completion_time.get(), None);
    let warning = tl
        .events_with_reason("BackoffLimitExceeded")
        .next()
        .unwrap();
    assert_eq!(
        (warning.type_.as_str(), warning.message.as_str()),
        ("Warning", "Job has reached the specified backoff limit")
    );
    let status = kubectl::get_pods(&tl, Time(90_000));
    assert_eq!(status.matches("Error").count(), 4, "{status}");
}

/// A Job whose one container is described by the scenario (`worker`).
fn worker_job(name: &str, spec_extra: &str, pod_extra: &str) -> String {
    format!(
        r#"
metadata: {{name: {name}}}
spec:
{spec_extra}
  template:
    spec:
{pod_extra}
      containers:
      - name: worker
        image: registry.example.com/worker:1.0
"#
    )
}

fn cond_list(tl: &Timeline, job: &str) -> Vec<(String, String, String, f64)> {
    tl.job(job)
        .unwrap()
        .conditions
        .iter()
        .map(|c| {
            (
                c.type_.to_string(),
                c.status.to_string(),
                c.reason.to_string(),
                secs(c.at),
            )
        })
        .collect()
}

fn c(t: &str, s: &str, r: &str, at: f64) -> (String, String, String, f64) {
    (t.into(), s.into(), r.into(), at)
}

#[test]
fn on_failure_restarts_in_place_and_fails_when_restarts_reach_the_limit() {
    let y = worker_job(
        "retry",
        "  backoffLimit: 3",
        "      restartPolicy: OnFailure",
    );
    let tl = run(
        &[&y],
        "containers:\n  worker: {duration: 2s, exitCode: 1}\n",
    );
    assert_eq!(
        tl.pods_created("retry"),
        1,
        "OnFailure restarts the container, not the pod"
    );
    let pod = &tl.pods[0];
    // Runs 3..5 (exit), restarts at once (5..7), waits 10s in CrashLoopBackOff, runs 17..19,
    // waits 20s, runs 39..41. restartCount goes up when the kubelet creates the new container
    // (5, 17, 39), not when the old one dies.
    let restarts: Vec<(f64, u32)> = pod
        .phases
        .iter()
        .map(|c| (secs(c.at), c.restarts))
        .collect();
    assert!(
        restarts.contains(&(5.0, 1))
            && restarts.contains(&(7.0, 1))
            && restarts.contains(&(17.0, 2))
            && restarts.contains(&(39.0, 3)),
        "{restarts:?}"
    );
    assert!(
        pod.phases
            .iter()
            .any(|c| c.reason == "CrashLoopBackOff" && secs(c.at) == 7.0),
        "{:?}",
        pod.phases
    );
    // The third restart reaches backoffLimit 3: the controller sees it at 40s and deletes the
    // pod; its container crashes on its own at 41s (before the 1s podTermination it was given),
    // and the sync queued by the deletion writes Failed at 41s.
    assert_eq!(
        cond_list(&tl, "retry"),
        [
            c("FailureTarget", "True", "BackoffLimitExceeded", 40.0),
            c("Failed", "True", "BackoffLimitExceeded", 41.0)
        ]
    );
    assert_eq!(tl.job("retry").unwrap().failed, 1);
    assert!(tl
        .events_with_reason("SuccessfulDelete")
        .any(|e| e.message == format!("Deleted pod: {}", pod.name)));
    let view = kubectl::get_pods(&tl, Time(12_000));
    assert!(view.contains("CrashLoopBackOff   1 (5s ago)"), "{view}");
    let later = kubectl::get_pods(&tl, Time(18_000));
    assert!(later.contains("Running   2 (11s ago)"), "{later}");
}

/// The brief's table: a container that always fails after 1 s, `restartPolicy: OnFailure`,
/// backoffLimit 2. Kubernetes 1.34: the kubelet restarts a crashed container at once the first
/// time and after 10 s, 20 s … (CrashLoopBackOff) afterwards, writing restartCount+1 on the new
/// container (pkg/kubelet/kuberuntime/kuberuntime_manager.go `doBackOff`,
/// kuberuntime_container.go `startContainer`); the Job controller sums the restartCount of its
/// Pending/Running pods (pkg/controller/job/job_controller.go `pastBackoffLimitOnFailure`).
#[test]
fn on_failure_backoff_limit_two_counts_restarts_when_the_kubelet_makes_them() {
    let y = worker_job(
        "crash",
        "  backoffLimit: 2",
        "      restartPolicy: OnFailure",
    );
    let tl = run(
        &[&y],
        "containers:\n  worker: {duration: 1s, exitCode: 1}\n",
    );
    let pod = &tl.pods[0];
    // (time, kubectl STATUS, RESTARTS) as `kubectl get pods -w` prints each change.
    let table: Vec<(f64, &str, u32)> = pod
        .phases
        .iter()
        .map(|c| (secs(c.at), c.reason.as_str(), c.restarts))
        .collect();
    assert_eq!(
        table,
        [
            (0.0, "Pending", 0),
            (0.0, "ContainerCreating", 0),
            (3.0, "Running", 0),
            // First crash: restarted at once (no back-off entry yet), restartCount 1.
            (4.0, "Error", 0),
            (4.0, "Running", 1),
            // Second crash: CrashLoopBackOff for 10 s, restartCount still 1.
            (5.0, "Error", 1),
            (5.0, "CrashLoopBackOff", 1),
            (15.0, "Running", 2),
            // Third crash at 16 s, just before the controller's sync of the same instant; the
            // pod is deleted while it waits in back-off, so nothing runs and it fails at once.
            (16.0, "Error", 2),
            (16.0, "CrashLoopBackOff", 2),
            (16.0, "Terminating", 2),
        ],
        "{table:?}"
    );
    // restartCount reached 2 at 15 s; the controller's batched sync sees it at 16 s. (Counting
    // at the crash instead gave FailureTarget at 6 s, ten seconds early.)
    assert_eq!(
        cond_list(&tl, "crash"),
        [
            c("FailureTarget", "True", "BackoffLimitExceeded", 16.0),
            c("Failed", "True", "BackoffLimitExceeded", 17.0)
        ]
    );
    let backoffs: Vec<f64> = tl
        .events_with_reason("BackOff")
        .map(|e| secs(e.at))
        .collect();
    assert_eq!(backoffs, [5.0, 16.0]);
    let waiting = kubectl::get_pods(&tl, Time(10_000));
    assert!(
        waiting.contains("CrashLoopBackOff   1 (5s ago)"),
        "{waiting}"
    );
    let restarted = kubectl::get_pods(&tl, Time(15_500));
    assert!(restarted.contains("Running   2 (10s ago)"), "{restarted}");
}

/// A container that crashes more often: the back-off doubles from 10 s to the 5-minute cap, and
/// a container that then runs for more than 10 minutes starts again with an immediate restart.
#[test]
fn crash_loop_back_off_doubles_to_five_minutes_and_resets_after_ten_minutes_of_running() {
    let y = worker_job(
        "loop",
        "  backoffLimit: 100",
        "      restartPolicy: OnFailure",
    );
    let tl = run(
        &[&y],
        "horizon: 40m\ncontainers:\n  worker:\n    duration: 1s\n    exitCode: 1\n    runs: [{}, {}, {}, {}, {}, {}, {}, {}, {duration: 11m}, {}, {}]\n",
    );
    let pod = &tl.pods[0];
    let mut starts: Vec<f64> = Vec::new();
    for w in pod.phases.windows(2) {
        if w[1].reason == "Running" && w[1].restarts > w[0].restarts {
            starts.push(secs(w[1].at));
        }
    }
    // Crashes at 4, 5, 16, 37, 78, 159, 320, 621: waits 0, 10, 20, 40, 80, 160, 300, 300.
    // Run 8 lasts 11 min (921..1581): the entry has expired, so the restart is immediate again
    // and the back-off starts over at 10 s (1592, 1613, 1654 …).
    assert_eq!(
        starts,
        [
            4.0, 15.0, 36.0, 77.0, 158.0, 319.0, 620.0, 921.0, 1581.0, 1592.0, 1613.0, 1654.0,
            1735.0, 1896.0, 2197.0
        ],
        "{:?}",
        pod.phases
    );
}

/// The kubelet's BackOff event names the pod as `format.Pod` does, `name_namespace(uid)`, and
/// the UID is the one the downward API gives the container (`fieldPath: metadata.uid`).
#[test]
fn back_off_events_name_the_pod_with_its_namespace_and_uid() {
    let job = r#"
metadata: {name: crashy, namespace: batch}
spec:
  backoffLimit: 3
  template:
    spec:
      restartPolicy: OnFailure
      containers:
      - name: worker
        image: busybox:1.36
        command: ["sh", "-c", "echo uid=$POD_UID; exit 1"]
        env:
        - name: POD_UID
          valueFrom: {fieldRef: {fieldPath: metadata.uid}}
"#;
    let tl = run(&[job], "");
    let pod = &tl.pods[0];
    let printed = tl.logs_of(&pod.name)[0].to_string();
    let uid = printed
        .strip_prefix("uid=")
        .expect("the script prints its UID");
    let shape: Vec<usize> = uid.split('-').map(str::len).collect();
    assert_eq!(shape, [8, 4, 4, 4, 12], "a UUID: {uid}");
    let back_off: Vec<&str> = tl
        .events_with_reason("BackOff")
        .map(|e| e.message.as_str())
        .collect();
    let expected = format!(
        "Back-off restarting failed container worker in pod {}_batch({uid})",
        pod.name
    );
    assert!(!back_off.is_empty());
    assert!(back_off.iter().all(|m| *m == expected), "{back_off:?}");
    // Same input and seed, same UID.
    let again = run(&[job], "");
    assert_eq!(again.logs_of(&again.pods[0].name)[0], printed);
    let second: Vec<&str> = tl.logs_of(&tl.pods[0].name).into_iter().skip(1).collect();
    assert!(
        second.iter().all(|l| *l == printed),
        "a restart keeps the pod's UID"
    );
}

/// The downward API reads any of the pod's labels and annotations, generated ones included, and
/// an absent key as empty.
#[test]
fn downward_api_reads_the_pods_labels_and_annotations() {
    let job = r#"
metadata: {name: labelled}
spec:
  completionMode: Indexed
  completions: 2
  parallelism: 2
  template:
    metadata:
      labels: {team: data}
      annotations: {owner: ana}
    spec:
      restartPolicy: Never
      containers:
      - name: worker
        image: busybox:1.36
        command: ["sh", "-c", "echo $JOB $TEAM $OWNER $INDEX [$NONE] $SA"]
        env:
        - {name: SA, valueFrom: {fieldRef: {fieldPath: spec.serviceAccountName}}}
        - {name: JOB, valueFrom: {fieldRef: {fieldPath: "metadata.labels['job-name']"}}}
        - {name: TEAM, valueFrom: {fieldRef: {fieldPath: "metadata.labels['team']"}}}
        - {name: OWNER, valueFrom: {fieldRef: {fieldPath: "metadata.annotations['owner']"}}}
        - name: INDEX
          valueFrom:
            fieldRef: {fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']"}
        - {name: NONE, valueFrom: {fieldRef: {fieldPath: "metadata.labels['absent']"}}}
"#;
    let tl = run(&[job], "");
    let mut printed: Vec<String> = tl
        .pods
        .iter()
        .map(|p| tl.logs_of(&p.name).join("\n"))
        .collect();
    printed.sort();
    assert_eq!(
        printed,
        [
            "labelled data ana 0 [] default",
            "labelled data ana 1 [] default"
        ]
    );
}

#[test]
fn downward_api_reads_the_service_account_the_pod_runs_as() {
    let job = r#"
metadata: {name: exporter}
spec:
  template:
    spec:
      serviceAccountName: reporter
      restartPolicy: Never
      containers:
      - name: worker
        image: busybox:1.36
        command: ["sh", "-c", "echo running as $SA on $NODE"]
        env:
        - {name: SA, valueFrom: {fieldRef: {fieldPath: spec.serviceAccountName}}}
        - {name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
"#;
    let tl = run(&[job], "");
    let pod = &tl.pods[0];
    let node = pod.node.as_deref().expect("scheduled");
    assert_eq!(
        tl.logs_of(&pod.name),
        [format!("running as reporter on {node}")]
    );
}

#[test]
fn active_deadline_seconds_terminates_running_pods() {
    let y = worker_job(
        "slow",
        "  activeDeadlineSeconds: 30",
        "      restartPolicy: Never",
    );
    let tl = run(&[&y], "containers:\n  worker: {duration: 10m}\n");
    assert_eq!(
        cond_list(&tl, "slow"),
        [
            c("FailureTarget", "True", "DeadlineExceeded", 30.0),
            c("Failed", "True", "DeadlineExceeded", 31.0)
        ]
    );
    let j = tl.job("slow").unwrap();
    assert_eq!(
        j.conditions[0].message,
        "Job was active longer than specified deadline"
    );
    assert_eq!((j.failed, j.active), (1, 0));
    let e = tl.events_with_reason("DeadlineExceeded").next().unwrap();
    assert_eq!((e.type_.as_str(), secs(e.at)), ("Warning", 31.0));
    // The pod got SIGTERM at 30s and stopped 1s later with exit code 143.
    assert_eq!(tl.pods[0].exit_codes[..], [143]);
    assert!(kubectl::get_pods(&tl, Time(30_500)).contains("Terminating"));
}

#[test]
fn ttl_after_finished_deletes_the_job_and_its_pods() {
    let y = worker_job(
        "tidy",
        "  ttlSecondsAfterFinished: 100",
        "      restartPolicy: Never",
    );
    let tl = run(&[&y], "containers:\n  worker: {duration: 5s}\n");
    let (_, _, done) = tl.outcome("tidy").unwrap();
    assert_eq!(secs(done), 9.0);
    let j = tl.job("tidy").unwrap();
    assert_eq!(j.deleted_at, Some(Time(109_000)));
    assert_eq!(tl.pods[0].deleted_at, Some(Time(109_000)));
    assert!(kubectl::get_jobs(&tl, Time(108_000)).contains("tidy"));
    assert_eq!(
        kubectl::get_jobs(&tl, Time(109_000)),
        "No resources found in default namespace.\n"
    );
    assert_eq!(
        kubectl::get_pods(&tl, Time(110_000)),
        "No resources found in default namespace.\n"
    );
}

const FAIL_JOB_POLICY: &str = r#"
metadata: {name: importer}
spec:
  backoffLimit: 5
  podFailurePolicy:
    rules:
    - action: FailJob
      onExitCodes: {containerName: worker, operator: In, values: [64, 65, 66]}
    - action: Ignore
      onPodConditions: [{type: DisruptionTarget}]
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: worker
        image: registry.example.com/ledger/importer:2.8.0
"#;

#[test]
fn pod_failure_policy_fail_job_on_an_exit_code() {
    let tl = run(
        &[FAIL_JOB_POLICY],
        "containers:\n  worker: {duration: 4s, exitCode: 65}\n",
    );
    assert_eq!(tl.pods_created("importer"), 1, "FailJob does not retry");
    let pod = &tl.pods[0].name;
    let conds = cond_list(&tl, "importer");
    assert_eq!(
        conds,
        [
            c("FailureTarget", "True", "PodFailurePolicy", 8.0),
            c("Failed", "True", "PodFailurePolicy", 8.0)
        ]
    );
    let msg = &tl.job("importer").unwrap().conditions[1].message;
    assert_eq!(msg, &format!("Container worker for pod default/{pod} failed with exit code 65 matching FailJob rule at index 0"));
}

#[test]
fn pod_failure_policy_ignores_disruptions_and_replaces_after_failure() {
    let tl = run(
        &[FAIL_JOB_POLICY],
        "cluster:\n  nodes: [{name: node-1}, {name: node-2}]\ncontainers:\n  worker: {duration: 60s}\nfaults:\n  - {at: 20s, drainNode: node-1}\n",
    );
    let j = tl.job("importer").unwrap();
    assert_eq!(j.failed, 0, "the evicted pod matched Ignore");
    assert_eq!(tl.pods_created("importer"), 2);
    let first = &tl.pods[0];
    assert_eq!(first.conditions()[0].type_, "DisruptionTarget");
    assert_eq!(first.conditions()[0].reason, "EvictionByEvictionAPI");
    // podFailurePolicy forces podReplacementPolicy Failed: the replacement waits for the evicted
    // pod to be Failed (21s), is created by the sync one second later, with the 10s back-off.
    assert_eq!(secs(tl.pods[1].created_at), 31.0);
    assert_eq!(tl.pods[1].node.as_deref(), Some("node-2"));
    assert_eq!(tl.outcome("importer").unwrap().0, "Complete");
}

#[test]
fn default_replacement_policy_replaces_terminating_pods_at_once() {
    // Pods take 20s to stop after SIGTERM.
    let scenario = "cluster:\n  nodes: [{name: node-1}, {name: node-2}]\ntimings: {podTermination: 20s}\ncontainers:\n  worker: {duration: 2m}\nfaults:\n  - {at: 20s, drainNode: node-1}\n";
    let y = worker_job("evicted", "", "      restartPolicy: Never");
    let tl = run(&[&y], scenario);
    // TerminatingOrFailed: the deleted pod counts as failed at once (sync at 21s); the replacement
    // comes after the 10s pod back-off measured from the deletion, while the old pod still stops.
    assert_eq!(tl.job("evicted").unwrap().failed, 1);
    assert_eq!(secs(tl.pods[1].created_at), 30.0);
    assert_eq!(
        tl.job_at("evicted", Time(35_000))
            .unwrap()
            .status
            .terminating,
        1
    );
    let y2 = worker_job(
        "evicted",
        "  podReplacementPolicy: Failed",
        "      restartPolicy: Never",
    );
    let tl2 = run(&[&y2], scenario);
    // Failed: wait for the pod to be Failed (40s), sync (41s), back-off from its end (50s).
    assert_eq!(secs(tl2.pods[1].created_at), 50.0);
}

/// The same eviction with a `sh -c` script: the shell ignores SIGTERM, so the evicted pod stays
/// Terminating for the whole 30 s grace period. `podReplacementPolicy: Failed` waits for it
/// (job_controller.go `manageJob` counts terminating pods against the replacements).
#[test]
fn replacement_policy_failed_waits_out_the_grace_period_of_a_shell_script() {
    let scenario = "cluster:\n  nodes: [{name: node-1}, {name: node-2}]\nfaults:\n  - {at: 20s, drainNode: node-1}\n";
    let job = |policy: &str| {
        format!(
            r#"
metadata: {{name: evicted}}
spec:
{policy}
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: busybox:1.36
        command: ["sh", "-c", "sleep 3600"]
"#
        )
    };
    let default = run(&[&job("")], scenario);
    assert_eq!(secs(default.pods[1].created_at), 30.0);
    assert_eq!(default.pods[0].deleted_at, Some(Time(50_000)));
    assert_eq!(default.pods[0].exit_codes[..], [137]);
    let view = default.job_at("evicted", Time(45_000)).unwrap().status;
    assert_eq!((view.active, view.terminating), (1, 1));

    let failed = run(&[&job("  podReplacementPolicy: Failed")], scenario);
    // SIGKILL at 50 s, the sync at 51 s, the 10 s back-off from the pod's end: 60 s.
    assert_eq!(secs(failed.pods[1].created_at), 60.0);
}

const INDEXED: &str = r#"
metadata: {name: shards}
spec:
  completions: 3
  parallelism: 3
  completionMode: Indexed
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: shard
        image: busybox:1.36
        command: ["sh", "-c", "echo shard $JOB_COMPLETION_INDEX; sleep 5"]
"#;

#[test]
fn indexed_jobs_name_pods_by_index_and_track_completed_indexes() {
    let tl = run(&[INDEXED], "");
    let mut names: Vec<&str> = tl.pods.iter().map(|p| p.name.as_str()).collect();
    names.sort();
    for (i, n) in names.iter().enumerate() {
        assert!(
            n.starts_with(&format!("shards-{i}-")) && n.len() == "shards-0-".len() + 5,
            "{n}"
        );
    }
    for p in &tl.pods {
        let i = p.index.unwrap();
        assert_eq!(
            p.annotations["batch.kubernetes.io/job-completion-index"],
            i.to_string()
        );
        assert_eq!(tl.logs_of(&p.name), [format!("shard {i}")]);
    }
    let j = tl.job("shards").unwrap();
    assert_eq!(j.completed_indexes, "0-2");
    assert_eq!(j.succeeded, 3);
    assert_eq!(tl.max_running_at_once("shards"), 3);
    let d = kubectl::describe_job(&tl, "shards", tl.end).unwrap();
    assert!(
        d.contains("Completion Mode:    Indexed\n") && d.contains("Completed Indexes:  0-2\n"),
        "{d}"
    );
}

#[test]
fn backoff_limit_per_index_fails_only_the_failing_indexes() {
    let y = r#"
metadata: {name: per-index}
spec:
  completions: 10
  parallelism: 10
  completionMode: Indexed
  backoffLimitPerIndex: 1
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: worker
        image: busybox:1.36
"#;
    let by_index: String = (0..10)
        .map(|i| {
            format!(
                "      {i}: {{exitCode: {}}}\n",
                if i % 2 == 0 { 1 } else { 0 }
            )
        })
        .collect();
    let tl = run(
        &[y],
        &format!("containers:\n  worker:\n    duration: 5s\n    byIndex:\n{by_index}"),
    );
    let j = tl.job("per-index").unwrap();
    assert_eq!(j.completed_indexes, "1,3,5,7,9");
    assert_eq!(j.failed_indexes.as_deref(), Some("0,2,4,6,8"));
    assert_eq!((j.succeeded, j.failed), (5, 10));
    assert_eq!(tl.pods_created("per-index"), 15);
    let last = j.conditions.last().unwrap();
    assert_eq!(
        (last.type_, last.reason.as_str(), last.message.as_str()),
        ("Failed", "FailedIndexes", "Job has failed indexes")
    );
    let retry = tl
        .pods
        .iter()
        .find(|p| p.index == Some(0) && p.created_at > Time(0))
        .unwrap();
    assert_eq!(
        retry.annotations["batch.kubernetes.io/job-index-failure-count"],
        "1"
    );
}

#[test]
fn success_policy_completes_when_the_leader_succeeds() {
    let y = r#"
metadata: {name: leader}
spec:
  completions: 4
  parallelism: 4
  completionMode: Indexed
  successPolicy:
    rules:
    - succeededIndexes: "0"
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: worker
        image: busybox:1.36
"#;
    let tl = run(
        &[y],
        "containers:\n  worker:\n    duration: 60s\n    byIndex:\n      0: {duration: 10s}\n",
    );
    let conds = cond_list(&tl, "leader");
    assert_eq!(
        conds[0],
        c("SuccessCriteriaMet", "True", "SuccessPolicy", 14.0)
    );
    assert_eq!(conds[1].0, "Complete");
    let j = tl.job("leader").unwrap();
    assert_eq!(j.conditions[0].message, "Matched rules at index 0");
    assert_eq!(
        (j.succeeded, j.failed, j.completed_indexes.as_str()),
        (1, 0, "0")
    );
    assert_eq!(tl.events_with_reason("SuccessfulDelete").count(), 3);
}

#[test]
fn suspend_and_resume() {
    let y = worker_job("paused", "  suspend: true", "      restartPolicy: Never");
    let tl = run(
        &[&y],
        "containers:\n  worker: {duration: 20s}\nfaults:\n  - {at: 30s, resume: paused}\n",
    );
    let j = tl.job("paused").unwrap();
    assert_eq!(secs(tl.pods[0].created_at), 30.0);
    assert_eq!(j.start_time.get(), Some(Time(30_000)));
    let conds = cond_list(&tl, "paused");
    assert_eq!(conds[0], c("Suspended", "True", "JobSuspended", 0.0));
    assert_eq!(conds[1], c("Suspended", "False", "JobResumed", 30.0));
    assert!(
        kubectl::get_jobs(&tl, Time(10_000)).contains("paused   Suspended   0/1"),
        "{}",
        kubectl::get_jobs(&tl, Time(10_000))
    );

    // Suspending a running Job deletes its pods without counting them as failed.
    let y = worker_job("paused", "", "      restartPolicy: Never");
    let tl = run(&[&y], "containers:\n  worker: {duration: 20s}\nfaults:\n  - {at: 10s, suspend: paused}\n  - {at: 40s, resume: paused}\n");
    let j = tl.job("paused").unwrap();
    assert_eq!(j.failed, 0);
    assert_eq!(tl.pods_created("paused"), 2);
    assert_eq!(secs(tl.pods[1].created_at), 40.0);
    let reasons: Vec<&str> = tl
        .events
        .iter()
        .filter(|e| e.kind == "Job")
        .map(|e| e.reason.as_str())
        .collect();
    // manageJob runs before the condition update, so the new pod's event comes first.
    assert_eq!(
        reasons,
        [
            "SuccessfulCreate",
            "SuccessfulDelete",
            "Suspended",
            "SuccessfulCreate",
            "Resumed",
            "Completed"
        ]
    );
}

#[test]
fn work_queue_job_stops_creating_after_the_first_success() {
    let y = worker_job("queue", "  parallelism: 3", "      restartPolicy: Never");
    let tl = run(
        &[&y],
        "containers:\n  worker:\n    runs: [{duration: 10s}, {duration: 20s}, {duration: 30s}]\n",
    );
    assert_eq!(tl.pods_created("queue"), 3);
    let (kind, _, at) = tl.outcome("queue").unwrap();
    assert_eq!(
        (kind, secs(at)),
        ("Complete", 34.0),
        "complete when the last pod ends"
    );
    assert!(kubectl::get_jobs(&tl, Time(5000)).contains("0/1 of 3"));
}

#[test]
fn parallelism_zero_runs_nothing_and_never_finishes() {
    let y = worker_job(
        "idle",
        "  parallelism: 0\n  completions: 2",
        "      restartPolicy: Never",
    );
    let tl = run(&[&y], "horizon: 5m\n");
    assert_eq!(tl.pods_created("idle"), 0);
    assert!(tl.outcome("idle").is_none());
    assert_eq!(tl.job("idle").unwrap().start_time.get(), Some(Time(0)));
}

#[test]
fn pods_that_fit_nowhere_stay_pending_with_failed_scheduling() {
    let y = r#"
metadata: {name: big}
spec:
  completions: 4
  parallelism: 4
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: worker
        image: busybox:1.36
        resources:
          requests: {cpu: "3", memory: 1Gi}
"#;
    let tl = run(&[y], "containers:\n  worker: {duration: 30s}\n");
    let e = tl.events_with_reason("FailedScheduling").next().unwrap();
    assert_eq!(
        e.message,
        "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."
    );
    assert_eq!(tl.max_running_at_once("big"), 3);
    let pending = tl.pods.iter().find(|p| p.name == e.name).unwrap();
    // It waits for the first pods to finish (33s), then pulls nothing (image cached) and starts.
    assert_eq!(pending.phases[1].reason, "ContainerCreating");
    assert_eq!(secs(pending.phases[1].at), 33.0);
    assert_eq!(tl.outcome("big").unwrap().0, "Complete");
}

#[test]
fn a_run_above_its_memory_limit_is_oom_killed() {
    let y = r#"
metadata: {name: hungry}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: worker
        image: busybox:1.36
        resources:
          limits: {memory: 128Mi}
"#;
    let tl = run(
        &[y],
        "containers:\n  worker: {duration: 8s, memory: 300Mi}\n",
    );
    let pod = &tl.pods[0];
    assert_eq!(pod.exit_codes[..], [137]);
    assert_eq!(pod.phases.last().unwrap().reason, "OOMKilled");
    assert_eq!(tl.outcome("hungry").unwrap().1, "BackoffLimitExceeded");
}

#[test]
fn a_missing_config_map_key_is_create_container_config_error() {
    let y = r#"
metadata: {name: configured}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: worker
        image: busybox:1.36
        env:
        - name: LOG_LEVEL
          valueFrom:
            configMapKeyRef: {name: app-config, key: log-level}
"#;
    let tl = run(&[y], "horizon: 2m\n");
    let pod = &tl.pods[0];
    assert_eq!(
        pod.phases.last().unwrap().reason,
        "CreateContainerConfigError"
    );
    let e = tl.events_with_reason("Failed").next().unwrap();
    assert_eq!(e.message, "Error: configmap \"app-config\" not found");
    assert!(tl.outcome("configured").is_none());
}

#[test]
fn a_missing_volume_source_keeps_the_pod_creating() {
    let y = r#"
metadata: {name: mounted}
spec:
  template:
    spec:
      restartPolicy: Never
      volumes:
      - name: creds
        secret: {secretName: db-credentials}
      containers:
      - name: worker
        image: busybox:1.36
        volumeMounts: [{name: creds, mountPath: /etc/creds}]
"#;
    let tl = run(&[y], "horizon: 2m\n");
    assert_eq!(
        tl.pods[0].phases.last().unwrap().reason,
        "ContainerCreating"
    );
    let e = tl.events_with_reason("FailedMount").next().unwrap();
    assert_eq!(
        e.message,
        "MountVolume.SetUp failed for volume \"creds\" : secret \"db-credentials\" not found"
    );
}

#[test]
fn a_config_map_volume_item_with_a_missing_key_fails_the_mount_unless_optional() {
    let bundle = |optional: &str| {
        format!(
            r#"apiVersion: v1
kind: ConfigMap
metadata: {{name: settings}}
data: {{mode: fast}}
---
apiVersion: batch/v1
kind: Job
metadata: {{name: keyed}}
spec:
  template:
    spec:
      restartPolicy: Never
      volumes:
      - name: conf
        configMap: {{name: settings, items: [{{key: threads, path: threads}}]{optional}}}
      containers:
      - name: worker
        image: busybox:1.36
        volumeMounts: [{{name: conf, mountPath: /etc/conf}}]
"#
        )
    };
    let scenario = parse_scenario("horizon: 2m\n").expect("test scenario parses");
    let run = |text: &str| simulate(&SimInput::from_bundle(&manifest::parse(text)), &scenario);

    let tl = run(&bundle(""));
    let e = tl.events_with_reason("FailedMount").next().unwrap();
    assert_eq!(
        e.message,
        "MountVolume.SetUp failed for volume \"conf\" : configmap references non-existent config key: threads"
    );
    let tl = run(&bundle(", optional: true"));
    assert_eq!(tl.events_with_reason("FailedMount").count(), 0);
    assert_eq!(tl.pods[0].phases.last().unwrap().reason, "Completed");
}

#[test]
fn pods_finishing_while_the_controller_is_down_are_counted_when_it_returns() {
    let y = worker_job("patient", "  completions: 2", "      restartPolicy: Never");
    let tl = run(
        &[&y],
        "containers:\n  worker: {duration: 5s}\nfaults:\n  - {at: 2s, controllerDown: {for: 1m}}\n",
    );
    // The first pod ends at 8s; nobody notices until 62s, when the second pod is created.
    assert_eq!(secs(tl.pods[1].created_at), 62.0);
    let snap = tl.job_at("patient", Time(30_000)).unwrap();
    assert_eq!(
        snap.status.succeeded, 0,
        "status is stale while the controller is down"
    );
    assert_eq!(tl.outcome("patient").unwrap().0, "Complete");
}

#[test]
fn duplicate_start_runs_the_work_twice() {
    let y = worker_job(
        "once",
        "",
        "      restartPolicy: Never\n      terminationGracePeriodSeconds: 60",
    );
    let tl = run(&[&y], "containers:\n  worker: {duration: 40s, logs: [charging customer 42]}\nfaults:\n  - {at: 10s, duplicateStart: once}\n");
    assert_eq!(tl.pods_created("once"), 2);
    assert_eq!(
        tl.max_running_at_once("once"),
        2,
        "parallelism 1, yet two copies ran together"
    );
    let charged = tl
        .pods
        .iter()
        .filter(|p| tl.logs_of(&p.name).contains(&"charging customer 42"))
        .count();
    assert_eq!(charged, 2);
    assert!(tl
        .notes
        .iter()
        .any(|n| n.contains("the work may run twice")));
}

#[test]
fn a_billion_completions_stops_at_the_bound_with_a_message() {
    let y = worker_job(
        "huge",
        "  completions: 1000000000\n  parallelism: 1000000000",
        "      restartPolicy: Never",
    );
    let started = std::time::Instant::now();
    let tl = run(&[&y], "");
    // Generous for a debug build on a shared machine; the bench measures the release figure.
    assert!(
        started.elapsed().as_secs_f64() < 20.0,
        "took {:?}",
        started.elapsed()
    );
    let why = tl.truncated.clone().unwrap();
    assert!(why.contains("50000 pods (limits.maxPods)"), "{why}");
    assert!(
        tl.notes[0].contains("1000000000 completions"),
        "{:?}",
        tl.notes
    );
}

#[test]
fn probabilistic_failures_follow_the_seed() {
    let y = worker_job(
        "dice",
        "  completions: 20\n  parallelism: 5\n  backoffLimit: 100",
        "      restartPolicy: Never",
    );
    let s = "seed: 11\ncontainers:\n  worker: {duration: 5s, failureProbability: 0.3}\n";
    let a = run(&[&y], s);
    let b = run(&[&y], s);
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap()
    );
    let failed = a.job("dice").unwrap().failed;
    assert!(failed > 0 && failed < 20, "{failed}");
    assert_eq!(a.job("dice").unwrap().succeeded, 20);
    let c = run(
        &[&y],
        "seed: 12\ncontainers:\n  worker: {duration: 5s, failureProbability: 0.3}\n",
    );
    assert_ne!(a.pods[0].name, c.pods[0].name, "another seed, other names");
}

/// A Job whose one container runs `script` in busybox `sh -c`, with a deadline.
fn shell_job(name: &str, pod_extra: &str, script: &str) -> String {
    deadline_job(name, pod_extra, &format!("[\"sh\", \"-c\", {script:?}]"))
}

/// A Job with `activeDeadlineSeconds: 10` whose one busybox container runs `command` (a YAML
/// flow list).
fn deadline_job(name: &str, pod_extra: &str, command: &str) -> String {
    format!(
        r#"
metadata: {{name: {name}}}
spec:
  activeDeadlineSeconds: 10
  template:
    spec:
      restartPolicy: Never
{pod_extra}
      containers:
      - name: main
        image: busybox:1.36
        command: {command}
"#
    )
}

/// Kubernetes 1.34: past activeDeadlineSeconds the Job controller adds FailureTarget and deletes
/// its pods with their grace period (job_controller.go `deleteActivePods`); the kubelet sends
/// SIGTERM to PID 1 only, then SIGKILL when the grace period is over (kuberuntime_container.go
/// `killContainer`). A `sh -c` script is PID 1 and has no SIGTERM handler, so the kernel drops
/// the signal: the pod stays Terminating for the whole 30 s and its container ends with 137. The
/// Failed condition waits until no pod is terminating (`trackJobStatusAndRemoveFinalizers`).
#[test]
fn a_shell_script_without_a_trap_ignores_sigterm_and_is_killed_after_the_grace_period() {
    let y = shell_job("slow", "", "echo working; sleep 3600");
    let tl = run(&[&y], "");
    assert_eq!(
        cond_list(&tl, "slow"),
        [
            c("FailureTarget", "True", "DeadlineExceeded", 10.0),
            // SIGKILL at 40 s; the controller's sync of 41 s sees no terminating pod.
            c("Failed", "True", "DeadlineExceeded", 41.0)
        ]
    );
    let pod = &tl.pods[0];
    assert_eq!(pod.exit_codes[..], [137]);
    assert_eq!(pod.deleted_at, Some(Time(40_000)));
    for t in [10_500, 25_000, 39_900] {
        let view = kubectl::get_pods(&tl, Time(t));
        assert!(view.contains("Terminating"), "at {t} ms: {view}");
        assert_eq!(tl.job_at("slow", Time(t)).unwrap().status.terminating, 1);
    }
    assert_eq!(
        kubectl::get_pods(&tl, Time(40_000)),
        "No resources found in default namespace.\n"
    );
    let killing: Vec<f64> = tl
        .events_with_reason("Killing")
        .map(|e| secs(e.at))
        .collect();
    assert_eq!(killing, [10.0]);
    let e = tl.events_with_reason("DeadlineExceeded").next().unwrap();
    assert_eq!(secs(e.at), 41.0);
}

/// `terminationGracePeriodSeconds` sets when SIGKILL comes.
#[test]
fn the_templates_grace_period_sets_when_the_ignored_sigterm_turns_into_sigkill() {
    let y = shell_job(
        "short",
        "      terminationGracePeriodSeconds: 5",
        "sleep 3600",
    );
    let tl = run(&[&y], "");
    assert_eq!(tl.pods[0].deleted_at, Some(Time(15_000)));
    assert_eq!(tl.pods[0].exit_codes[..], [137]);
    let (kind, _, at) = tl.outcome("short").unwrap();
    assert_eq!((kind, secs(at)), ("Failed", 16.0));
}

/// A script that traps TERM and waits on a background child gets the signal at once: `wait`
/// returns, the trap runs, the container exits with the trap's code.
#[test]
fn a_term_trap_runs_when_sigterm_interrupts_wait() {
    let y = shell_job(
        "polite",
        "",
        "trap 'echo caught TERM; exit 0' TERM; echo working; sleep 3600 & wait",
    );
    let tl = run(&[&y], "");
    let pod = &tl.pods[0];
    assert_eq!(tl.logs_of(&pod.name), ["working", "caught TERM"]);
    assert_eq!(pod.exit_codes[..], [0]);
    let gone = pod.deleted_at.unwrap();
    assert!(secs(gone) >= 10.0 && secs(gone) < 10.1, "{gone:?}");
    let (kind, reason, at) = tl.outcome("polite").unwrap();
    assert_eq!((kind, reason), ("Failed", "DeadlineExceeded"));
    // The sync the deletion queued (batched 1 s) already finds the pod gone.
    assert_eq!(at, Time(11_000));
}

/// A trap does not interrupt a foreground command: the shell waits for its `sleep` child (which
/// never gets the signal) before running it, so SIGKILL comes first.
#[test]
fn a_term_trap_waits_for_the_foreground_sleep_so_sigkill_comes_first() {
    let y = shell_job(
        "stubborn",
        "",
        "trap 'echo caught TERM; exit 0' TERM; echo working; sleep 3600",
    );
    let tl = run(&[&y], "");
    let pod = &tl.pods[0];
    assert_eq!(tl.logs_of(&pod.name), ["working"]);
    assert_eq!(pod.exit_codes[..], [137]);
    assert_eq!(pod.deleted_at, Some(Time(40_000)));
}

/// A loop of short sleeps: the trap runs after the sleep in progress.
#[test]
fn a_term_trap_in_a_loop_of_short_sleeps_runs_within_a_second() {
    let y = shell_job(
        "looper",
        "",
        "trap 'echo stopping; exit 3' TERM; while true; do sleep 1; done",
    );
    let tl = run(&[&y], "");
    let pod = &tl.pods[0];
    assert_eq!(tl.logs_of(&pod.name), ["stopping"]);
    assert_eq!(pod.exit_codes[..], [3]);
    let gone = secs(pod.deleted_at.unwrap());
    assert!((10.0..11.1).contains(&gone), "{gone}");
}

/// `command: ["sleep", …]` without a shell: `sleep` is PID 1, runs for its argument, and has no
/// SIGTERM handler either.
#[test]
fn sleep_as_the_main_process_runs_its_time_and_ignores_sigterm() {
    let job =
        |name: &str, seconds: &str| deadline_job(name, "", &format!("[\"sleep\", \"{seconds}\"]"));
    let tl = run(&[&job("nap", "4"), &job("hibernate", "3600")], "");
    assert!(
        tl.notes.iter().all(|n| !n.contains("behaviour assumed")),
        "{:?}",
        tl.notes
    );
    // Pulled and started at 3 s, sleeps 4 s (and a millisecond of process start), exits 0; the
    // controller's batched sync sees it a second later.
    let (kind, _, at) = tl.outcome("nap").unwrap();
    assert_eq!(kind, "Complete");
    assert!((8.0..8.1).contains(&secs(at)), "{at:?}");
    let long = tl.pods_of("hibernate").next().unwrap();
    assert_eq!(long.exit_codes[..], [137]);
    assert_eq!(long.deleted_at, Some(Time(40_000)));
}

/// A Job whose pod template has `activeDeadlineSeconds: 5`, its container running `script`.
fn pod_deadline_job(name: &str, backoff_limit: u32, script: &str) -> String {
    format!(
        r#"
metadata: {{name: {name}}}
spec:
  backoffLimit: {backoff_limit}
  template:
    spec:
      restartPolicy: Never
      activeDeadlineSeconds: 5
      containers:
      - name: main
        image: busybox:1.36
        command: ["sh", "-c", {script:?}]
"#
    )
}

/// The pod template's own `activeDeadlineSeconds`: the kubelet stops the pod (SIGTERM, the grace
/// period, SIGKILL) and reports it Failed with reason `DeadlineExceeded`; the pod is not deleted,
/// and the Job controller counts a failed pod and replaces it after the pod-failure back-off.
/// pkg/kubelet/active_deadline.go; the Running phase is kept while containers may still run
/// (pkg/kubelet/status/status_manager.go `mergePodStatus`).
#[test]
fn a_pod_active_deadline_fails_the_pod_with_deadline_exceeded() {
    let y = pod_deadline_job("capped", 1, "echo working; sleep 3600");
    let tl = run(&[&y], "");
    let first = &tl.pods[0];
    let deadline: Vec<(f64, &str)> = tl
        .events_with_reason("DeadlineExceeded")
        .map(|e| (secs(e.at), e.message.as_str()))
        .collect();
    assert_eq!(
        deadline[0],
        (
            5.0,
            "Pod was active on the node longer than the specified deadline"
        )
    );
    // SIGTERM at 5 s is ignored by the shell; SIGKILL at 35 s.
    assert_eq!(first.exit_codes[..], [137]);
    assert!(kubectl::get_pods(&tl, Time(20_000)).contains("Running"));
    let failed = kubectl::get_pods(&tl, Time(36_000));
    assert!(failed.contains("DeadlineExceeded"), "{failed}");
    assert_eq!(first.deleted_at, None);
    // Replacement 10 s after the failed pod finished; it meets the same fate.
    let created: Vec<f64> = tl.pods.iter().map(|p| secs(p.created_at)).collect();
    assert_eq!(created, [0.0, 45.0]);
    assert_eq!(
        cond_list(&tl, "capped"),
        [
            c("FailureTarget", "True", "BackoffLimitExceeded", 81.0),
            c("Failed", "True", "BackoffLimitExceeded", 81.0)
        ]
    );
}

/// A script that exits 0 on SIGTERM still ends Failed: the kubelet's deadline decides the phase.
#[test]
fn a_pod_stopped_at_its_deadline_is_failed_even_if_it_exits_zero() {
    let y = pod_deadline_job("tidy", 0, "trap 'echo bye; exit 0' TERM; sleep 3600 & wait");
    let tl = run(&[&y], "");
    let pod = &tl.pods[0];
    assert_eq!(pod.exit_codes[..], [0]);
    assert_eq!(tl.logs_of(&pod.name), ["bye"]);
    let (kind, reason, at) = tl.outcome("tidy").unwrap();
    assert_eq!((kind, reason), ("Failed", "BackoffLimitExceeded"));
    assert!((6.0..6.1).contains(&secs(at)), "{at:?}");
}

/// A pod the kubelet is already stopping at its own deadline is then deleted by the Job's
/// deadline: no second SIGTERM, and the first grace period still decides when it is gone.
#[test]
fn a_job_deadline_during_a_pod_deadline_stop_keeps_the_first_grace_period() {
    let y = pod_deadline_job("both", 6, "sleep 3600").replace(
        "spec:\n  backoffLimit",
        "spec:\n  activeDeadlineSeconds: 10\n  backoffLimit",
    );
    let tl = run(&[&y], "");
    let pod = &tl.pods[0];
    assert_eq!(pod.exit_codes[..], [137]);
    assert_eq!(pod.deleted_at, Some(Time(35_000)));
    let killing: Vec<f64> = tl
        .events_with_reason("Killing")
        .map(|e| secs(e.at))
        .collect();
    assert_eq!(killing, [5.0]);
    assert_eq!(
        cond_list(&tl, "both"),
        [
            c("FailureTarget", "True", "DeadlineExceeded", 10.0),
            c("Failed", "True", "DeadlineExceeded", 36.0)
        ]
    );
}

/// An image the registry does not have (scenario `cluster.missingImages`): the pull fails after
/// the pull time, the pod shows `ErrImagePull` then `ImagePullBackOff` and stays Pending; the Job
/// waits (here until its activeDeadlineSeconds). pkg/kubelet/images/image_manager.go.
#[test]
fn a_missing_image_leaves_the_pod_pending_in_image_pull_back_off() {
    let y = shell_job("typo", "", "echo never").replace("busybox:1.36", "busybox:1.99");
    let tl = run(&[&y], "cluster:\n  missingImages: [\"busybox:1.99\"]\n");
    let pod = &tl.pods[0];
    let table: Vec<(f64, &str, &str)> = pod
        .phases
        .iter()
        .map(|c| (secs(c.at), c.phase.as_str(), c.reason.as_str()))
        .collect();
    assert_eq!(
        table,
        [
            (0.0, "Pending", "Pending"),
            (0.0, "Pending", "ContainerCreating"),
            (2.0, "Pending", "ErrImagePull"),
            (3.0, "Pending", "ImagePullBackOff"),
            (10.0, "Failed", "Terminating"),
        ]
    );
    let failed: Vec<&str> = tl
        .events_with_reason("Failed")
        .map(|e| e.message.as_str())
        .collect();
    assert_eq!(
        failed,
        [
            "Failed to pull image \"busybox:1.99\": rpc error: code = NotFound desc = failed to pull and unpack image \"docker.io/library/busybox:1.99\": failed to resolve reference \"docker.io/library/busybox:1.99\": docker.io/library/busybox:1.99: not found",
            "Error: ErrImagePull",
            "Error: ImagePullBackOff",
        ]
    );
    assert!(tl.logs_of(&pod.name).is_empty());
    // Nothing runs, so the deadline's deletion ends the pod at once.
    let (kind, reason, at) = tl.outcome("typo").unwrap();
    assert_eq!(
        (kind, reason, secs(at)),
        ("Failed", "DeadlineExceeded", 11.0)
    );
}

#[test]
fn a_container_still_running_at_the_horizon_shows_what_it_printed_so_far() {
    let y = r#"
metadata: {name: long}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: work
        image: busybox:1.36
        command: ["sh", "-c", "echo started; sleep 30; echo halfway; sleep 3600; echo done"]
"#;
    let tl = run(&[y, HELLO], "horizon: 10m\n");
    let long = tl.pods.iter().find(|p| &*p.job == "long").unwrap();
    assert_eq!(tl.logs_of(&long.name), ["started", "halfway"]);
    let running = long.containers[0].states.last().unwrap();
    assert_eq!(running.state, "running");
    // The other Job's pod finished long before: its logs are whole.
    let hello = tl.pods.iter().find(|p| &*p.job == "hello").unwrap();
    assert_eq!(tl.logs_of(&hello.name), ["hello", "bye"]);
}
