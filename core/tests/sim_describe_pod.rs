//! `kubectl describe pod` at chosen instants of simulated runs: the container's state and last
//! state with their reasons, exit codes and times, the restart count, the pod's conditions, QoS
//! class, tolerations and events, as a 1.34 cluster's `kubectl` prints them.
//!
//! Default timings: the simulated clock starts at 2026-01-05 09:00:00 UTC; an image pull takes
//! 2 s (a cached image none) and a container starts 1 s after its image is there.

use batchlab_core::sim::{kubectl, Time, Timeline};

mod common;
use common::{simulate_job as run, squashed_lines};

/// `kubectl describe pod` of the run's first pod at `secs`, each line's runs of spaces made one
/// (the column widths are tabwriter's business, tested with `describe job`).
fn describe(tl: &Timeline, secs: u64) -> Vec<String> {
    squashed_lines(
        &kubectl::describe_pod(tl, &tl.pods[0].name, Time(secs * 1000)).expect("pod exists"),
    )
}

/// The lines from the first one that starts with `first`, as many as `expected` has.
fn block(lines: &[String], first: &str, expected: &[&str]) {
    let at = lines
        .iter()
        .position(|l| l.starts_with(first))
        .unwrap_or_else(|| panic!("no line {first:?} in\n{}", lines.join("\n")));
    let got: Vec<&str> = lines[at..]
        .iter()
        .take(expected.len())
        .map(|l| l.as_str())
        .collect();
    assert_eq!(got, expected, "in\n{}", lines.join("\n"));
}

const FLAKY: &str = "
metadata: {name: flaky}
spec:
  backoffLimit: 3
  template:
    spec:
      restartPolicy: OnFailure
      containers:
      - name: work
        image: busybox:1.36
        command: [sh, -c, 'echo trying; sleep 5; exit 3']
        resources:
          requests: {cpu: 100m, memory: 64Mi}
          limits: {memory: 64Mi}
";

const DONE: &str = "
metadata: {name: done}
spec:
  template:
    spec:
      restartPolicy: Never
      initContainers:
      - name: fetch
        image: busybox:1.36
        command: [sh, -c, 'sleep 2']
      containers:
      - name: work
        image: busybox:1.36
        command: [sh, -c, 'sleep 4']
        resources:
          requests: {cpu: 250m, memory: 128Mi}
          limits: {cpu: 250m, memory: 128Mi}
        volumeMounts:
        - {name: scratch, mountPath: /tmp/work}
      volumes:
      - {name: scratch, emptyDir: {}}
";

#[test]
fn a_crash_looping_container_shows_its_last_exit_and_restart_count() {
    let tl = run(FLAKY, "");
    let name = tl.pods[0].name.to_string();
    // Running its second run: the first one's exit is the last state.
    let at10 = describe(&tl, 10);
    block(&at10, "Status:", &["Status: Running"]);
    block(
        &at10,
        "State:",
        &[
            "State: Running",
            "Started: Mon, 05 Jan 2026 09:00:08 +0000",
            "Last State: Terminated",
            "Reason: Error",
            "Exit Code: 3",
            "Started: Mon, 05 Jan 2026 09:00:03 +0000",
            "Finished: Mon, 05 Jan 2026 09:00:08 +0000",
            "Ready: True",
            "Restart Count: 1",
        ],
    );
    // Backing off after the third failure (runs at 3 s, 8 s and 23 s): waiting, not ready, the
    // third run's exit as the last state. The kubelet's repeated events are one each, counted,
    // in the order they last happened.
    let at30 = describe(&tl, 30);
    block(
        &at30,
        "State:",
        &[
            "State: Waiting",
            "Reason: CrashLoopBackOff",
            "Last State: Terminated",
            "Reason: Error",
            "Exit Code: 3",
            "Started: Mon, 05 Jan 2026 09:00:23 +0000",
            "Finished: Mon, 05 Jan 2026 09:00:28 +0000",
            "Ready: False",
            "Restart Count: 2",
        ],
    );
    block(
        &at30,
        "Conditions:",
        &[
            "Conditions:",
            "Type Status",
            "PodReadyToStartContainers True",
            "Initialized True",
            "Ready False",
            "ContainersReady False",
            "PodScheduled True",
        ],
    );
    block(&at30, "QoS Class:", &["QoS Class: Burstable"]);
    let events: Vec<&str> = at30
        .iter()
        .skip_while(|l| *l != "Events:")
        .skip(3)
        .map(|l| l.split(" kubelet ").next().unwrap_or(l))
        .collect();
    assert_eq!(
        events,
        [
            &format!("Normal Scheduled 30s default-scheduler Successfully assigned default/{name} to node-1"),
            "Normal Pulling 30s",
            "Normal Pulled 28s",
            "Normal Created 6s (x3 over 27s)",
            "Normal Started 6s (x3 over 27s)",
            "Normal Pulled 6s (x2 over 21s)",
            "Warning BackOff 1s (x2 over 16s)",
        ]
    );
    let backoff = at30
        .iter()
        .find(|l| l.starts_with("Warning BackOff"))
        .expect("BackOff event");
    assert!(
        backoff.starts_with(&format!(
            "Warning BackOff 1s (x2 over 16s) kubelet Back-off restarting failed container work in pod {name}_default("
        )),
        "{backoff}"
    );
}

#[test]
fn a_finished_pod_shows_each_container_terminated_and_the_sandbox_gone() {
    let tl = run(DONE, "");
    // While the init container runs, the regular one waits for it.
    let at4 = describe(&tl, 4);
    block(&at4, "Status:", &["Status: Pending"]);
    block(
        &at4,
        "State:",
        &[
            "State: Running",
            "Started: Mon, 05 Jan 2026 09:00:03 +0000",
            "Ready: False",
        ],
    );
    let second_state = at4
        .iter()
        .rposition(|l| l.starts_with("State:"))
        .expect("two states");
    assert_eq!(
        at4[second_state..second_state + 2],
        ["State: Waiting", "Reason: PodInitializing"]
    );
    block(&at4, "Initialized", &["Initialized False"]);

    let at30 = describe(&tl, 30);
    block(&at30, "Status:", &["Status: Succeeded"]);
    block(
        &at30,
        "Init Containers:",
        &[
            "Init Containers:",
            "fetch:",
            "Container ID:",
            "Image: busybox:1.36",
            "Image ID:",
        ],
    );
    // An init container that exited 0 is ready; a finished regular one is not.
    block(
        &at30,
        "State:",
        &[
            "State: Terminated",
            "Reason: Completed",
            "Exit Code: 0",
            "Started: Mon, 05 Jan 2026 09:00:03 +0000",
            "Finished: Mon, 05 Jan 2026 09:00:05 +0000",
            "Ready: True",
            "Restart Count: 0",
        ],
    );
    let work = at30.iter().position(|l| l == "work:").expect("work");
    block(
        &at30[work..],
        "State:",
        &[
            "State: Terminated",
            "Reason: Completed",
            "Exit Code: 0",
            "Started: Mon, 05 Jan 2026 09:00:06 +0000",
            "Finished: Mon, 05 Jan 2026 09:00:10 +0000",
            "Ready: False",
            "Restart Count: 0",
        ],
    );
    block(
        &at30,
        "PodReadyToStartContainers",
        &[
            "PodReadyToStartContainers False",
            "Initialized True",
            "Ready False",
        ],
    );
    // Its own volume and the API token volume every pod gets, mounted in path order.
    let token = at30
        .iter()
        .find_map(|l| l.strip_prefix("/var/run/secrets/kubernetes.io/serviceaccount from "))
        .and_then(|rest| rest.strip_suffix(" (ro)"))
        .expect("token mount")
        .to_string();
    assert!(
        token.starts_with("kube-api-access-") && token.len() == 21,
        "{token}"
    );
    block(
        &at30[work..],
        "Mounts:",
        &[
            "Mounts:",
            "/tmp/work from scratch (rw)",
            &format!("/var/run/secrets/kubernetes.io/serviceaccount from {token} (ro)"),
        ],
    );
    block(
        &at30,
        "Volumes:",
        &[
            "Volumes:",
            "scratch:",
            "Type: EmptyDir (a temporary directory that shares a pod's lifetime)",
            "Medium:",
            "SizeLimit: <unset>",
            &format!("{token}:"),
            "Type: Projected (a volume that contains injected data from multiple sources)",
        ],
    );
    // The init container has no limits, so the pod is not Guaranteed.
    block(&at30, "QoS Class:", &["QoS Class: Burstable"]);
    block(
        &at30,
        "Tolerations:",
        &[
            "Tolerations: node.kubernetes.io/not-ready:NoExecute op=Exists for 300s",
            "node.kubernetes.io/unreachable:NoExecute op=Exists for 300s",
        ],
    );
}

#[test]
fn an_unschedulable_pod_has_no_node_no_container_states_and_is_not_scheduled() {
    let tl = run(
        "
metadata: {name: huge}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: work
        image: busybox:1.36
        resources: {requests: {cpu: '64'}}
",
        "horizon: 30s",
    );
    let lines = describe(&tl, 5);
    block(
        &lines,
        "Node:",
        &[
            "Node: <none>",
            &format!(
                "Labels: batch.kubernetes.io/controller-uid={}",
                tl.jobs[0].spec.uid
            ),
        ],
    );
    assert!(!lines
        .iter()
        .any(|l| l.starts_with("State:") || l.starts_with("Start Time:")));
    block(
        &lines,
        "Conditions:",
        &[
            "Conditions:",
            "Type Status",
            "PodScheduled False",
            "Volumes:",
        ],
    );
    assert!(lines.iter().any(|l| l.starts_with("Warning FailedScheduling 5s default-scheduler 0/3 nodes are available: 3 Insufficient cpu.")));
}

#[test]
fn a_pod_being_deleted_shows_terminating_for_its_grace_period() {
    let tl = run(
        "
metadata: {name: slow}
spec:
  activeDeadlineSeconds: 10
  template:
    spec:
      restartPolicy: Never
      terminationGracePeriodSeconds: 20
      containers:
      - name: work
        image: busybox:1.36
        command: [sh, -c, 'trap \"\" TERM; sleep 100']
",
        "",
    );
    // The deletion timestamp is the end of the grace period (10 s + 20 s): kubectl prints the
    // time since a future instant as <invalid>, and 0s in its last second.
    block(
        &describe(&tl, 12),
        "Status:",
        &[
            "Status: Terminating (lasts <invalid>)",
            "Termination Grace Period: 20s",
        ],
    );
    block(
        &describe(&tl, 29),
        "Status:",
        &[
            "Status: Terminating (lasts 0s)",
            "Termination Grace Period: 20s",
        ],
    );
    block(&describe(&tl, 12), "QoS Class:", &["QoS Class: BestEffort"]);
}

#[test]
fn a_guaranteed_pod_and_a_missing_one() {
    let tl = run(
        "
metadata: {name: exact}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: work
        image: busybox:1.36
        resources: {limits: {cpu: 500m, memory: 256Mi}}
",
        "",
    );
    // Requests left out default to the limits.
    block(&describe(&tl, 1), "QoS Class:", &["QoS Class: Guaranteed"]);
    assert_eq!(kubectl::describe_pod(&tl, "no-such-pod", Time(1000)), None);
    assert_eq!(
        kubectl::describe_pod(&tl, &tl.pods[0].name, Time(10_000_000)).is_some(),
        tl.pods[0].exists_at(Time(10_000_000))
    );
}

#[test]
fn a_pod_past_its_own_deadline_says_why_it_failed() {
    // The pod's activeDeadlineSeconds (not the Job's): the kubelet stops it and sets the pod's
    // status reason.
    let tl = run(
        "
metadata: {name: capped}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      activeDeadlineSeconds: 5
      containers:
      - name: work
        image: busybox:1.36
        command: [sh, -c, 'sleep 100']
",
        "",
    );
    // `sh` as the container's first process ignores SIGTERM, so the kubelet kills it when the
    // 30 s grace period is over: 5 s + 30 s.
    block(&describe(&tl, 20), "Status:", &["Status: Running", "IP:"]);
    let lines = describe(&tl, 40);
    block(
        &lines,
        "Status:",
        &["Status: Failed", "Reason: DeadlineExceeded", "IP:"],
    );
}

const TYPO: &str = "
metadata: {name: typo}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: work
        image: busybox:1.99
        command: [sh, -c, 'echo never']
";

/// An image the registry does not have: the kubelet pulls again after 10 s, 20 s, 40 s … of
/// back-off (each rounded up to its next sync, 12.5 s apart after a failed one), and
/// `kubectl get pods -w` flips between ErrImagePull and ImagePullBackOff.
/// pkg/kubelet/images/image_manager.go, pkg/kubelet/pod_workers.go.
#[test]
fn a_missing_image_is_pulled_again_with_growing_back_off() {
    let tl = run(
        TYPO,
        "horizon: 10m\ncluster:\n  missingImages: [\"busybox:1.99\"]\n",
    );
    let pod = &tl.pods[0];
    let status: Vec<(f64, String)> = pod
        .phases
        .iter()
        .map(|c| (c.at.0 as f64 / 1000.0, c.reason.to_string()))
        .collect();
    let expected = [
        (0.0, "Pending"),
        (0.0, "ContainerCreating"),
        (2.0, "ErrImagePull"),
        (3.0, "ImagePullBackOff"),
        (17.5, "ErrImagePull"),
        (30.0, "ImagePullBackOff"),
        (44.5, "ErrImagePull"),
        (57.0, "ImagePullBackOff"),
        (96.5, "ErrImagePull"),
        (109.0, "ImagePullBackOff"),
        (186.0, "ErrImagePull"),
        (198.5, "ImagePullBackOff"),
        (350.5, "ErrImagePull"),
        (363.0, "ImagePullBackOff"),
    ];
    let expected: Vec<(f64, String)> = expected.iter().map(|(t, r)| (*t, r.to_string())).collect();
    assert_eq!(status, expected);
    let pulls: Vec<f64> = tl
        .events_with_reason("Pulling")
        .map(|e| e.at.0 as f64 / 1000.0)
        .collect();
    assert_eq!(pulls, [0.0, 15.5, 42.5, 94.5, 184.0, 348.5]);
    // Ten minutes in, `describe` shows what the kubelet's event recorder let through: its first
    // 25 events about the pod (the last at 121.5 s), then one more when the spam filter's bucket
    // had refilled (the BackOff at 311 s, counted 21 times by then). The pulls at 184 s and
    // 348.5 s happened, but no event about them was written.
    let error = "rpc error: code = NotFound desc = failed to pull and unpack image \"docker.io/library/busybox:1.99\": failed to resolve reference \"docker.io/library/busybox:1.99\": docker.io/library/busybox:1.99: not found";
    let failed = format!(
        "Warning Failed 8m23s (x4 over 9m58s) kubelet Failed to pull image \"busybox:1.99\": {error}"
    );
    block(
        &describe(&tl, 600),
        "Events:",
        &[
            "Events:",
            "Type Reason Age From Message",
            "---- ------ ---- ---- -------",
            "Normal Scheduled 10m default-scheduler Successfully assigned default/typo-9lkqv to node-1",
            "Normal Pulling 8m25s (x4 over 10m) kubelet Pulling image \"busybox:1.99\"",
            &failed,
            "Warning Failed 8m23s (x4 over 9m58s) kubelet Error: ErrImagePull",
            "Warning Failed 8m11s (x6 over 9m57s) kubelet Error: ImagePullBackOff",
            "Normal BackOff 4m49s (x21 over 9m57s) kubelet Back-off pulling image \"busybox:1.99\"",
        ],
    );
}
