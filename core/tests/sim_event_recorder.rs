//! What `kubectl describe` and `kubectl get events` show of a run's events: not every event a
//! component emitted, but what client-go's event correlator lets through to the API server
//! (`sim::recorder`): similar events combined from the tenth on, repeats counted, and at most 25
//! events per component and object before the spam filter lets one through every 5 minutes.

use batchlab_core::sim::{kubectl, Time, Timeline};

mod common;
use common::{simulate_job as run, squashed_lines};

const WIDE: &str = "
metadata: {name: wide}
spec:
  completions: 30
  parallelism: 30
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: work
        image: busybox:1.36
        command: [sh, -c, 'sleep 5']
";

/// The Events block of `kubectl describe job NAME` at `secs`, each line's runs of spaces made one.
fn job_events(tl: &Timeline, name: &str, secs: u64) -> Vec<String> {
    let text = kubectl::describe_job(tl, name, Time(secs * 1000)).expect("job exists");
    let lines = squashed_lines(&text);
    let at = lines
        .iter()
        .position(|l| l.starts_with("Events:"))
        .expect("events");
    lines[at + 3..].to_vec()
}

#[test]
fn thirty_pods_show_nine_creations_and_one_combined_event_and_the_completion_is_dropped() {
    let tl = run(WIDE, "");
    let job = tl.job("wide").expect("job");
    assert_eq!(job.succeeded, 30);
    // The controller emitted all 30 creations and the completion: the timeline has them.
    assert_eq!(tl.events_with_reason("SuccessfulCreate").count(), 30);
    assert_eq!(tl.events_with_reason("Completed").count(), 1);

    let done = job.completion_time.get().expect("complete").0 / 1000;
    let events = job_events(&tl, "wide", done + 60);
    assert_eq!(events.len(), 10, "{events:#?}");
    let pods: Vec<&str> = tl.pods.iter().map(|p| p.name.as_str()).collect();
    for (line, pod) in events.iter().zip(&pods).take(9) {
        assert_eq!(
            line,
            &format!(
                "Normal SuccessfulCreate {}s job-controller Created pod: {pod}",
                done + 60
            )
        );
    }
    // Creations 10 to 25 went through as one event counted 16 times; 26 to 30 and the
    // completion found the Job's 25 events spent.
    let combined = format!(
        "Normal SuccessfulCreate {age}s (x16 over {age}s) job-controller (combined from similar events): Created pod: {}",
        pods[24],
        age = done + 60
    );
    assert_eq!(events[9], combined);
    assert!(!events.iter().any(|l| l.contains("Completed")));
    // `kubectl get jobs` still reads the status, which the recorder has nothing to do with.
    assert!(kubectl::get_jobs(&tl, Time((done + 60) * 1000)).contains("Complete"));
}

#[test]
fn get_events_lists_what_the_api_server_stored() {
    let tl = run(WIDE, "");
    let text = kubectl::get_events(&tl, Time(3_600_000));
    let creations: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("SuccessfulCreate"))
        .collect();
    assert_eq!(creations.len(), 10, "{text}");
    assert!(creations[9].contains("(x16 over"), "{text}");
    // Each pod's own kubelet events are few: all of them are there.
    let started = text.lines().filter(|l| l.contains("Started")).count();
    assert_eq!(started, 30, "{text}");
}

const EVERY_MINUTE: &str = "apiVersion: batch/v1
kind: CronJob
metadata:
  name: every-minute
  labels: {team: data}
spec:
  schedule: '*/1 * * * *'
  concurrencyPolicy: Forbid
  startingDeadlineSeconds: 200
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: worker
            image: busybox
";

#[test]
fn describe_cronjob_shows_the_spec_the_status_and_the_few_events_stored() {
    use batchlab_core::{manifest, sim};
    let input = sim::SimInput::from_bundle(&manifest::parse(EVERY_MINUTE));
    let scenario = sim::parse_scenario("horizon: 1h\ncontainers: {worker: {duration: 90s}}\n")
        .expect("scenario");
    let tl = sim::simulate(&input, &scenario);
    let end = Time(3_600_000);
    let text = kubectl::describe_cronjob(&tl, "every-minute", end).expect("cronjob");
    let lines = squashed_lines(&text);
    let head: Vec<&str> = lines.iter().take(14).map(String::as_str).collect();
    assert_eq!(
        head,
        [
            "Name: every-minute",
            "Namespace: default",
            "Labels: team=data",
            "Annotations: <none>",
            "Schedule: */1 * * * *",
            "Concurrency Policy: Forbid",
            "Suspend: False",
            "Successful Job History Limit: 3",
            "Failed Job History Limit: 1",
            "Starting Deadline Seconds: 200s",
            "Selector: <unset>",
            "Parallelism: <unset>",
            "Completions: <unset>",
            "Pod Template:",
        ]
    );
    // The status at the end: the last start time it acted on and the Job running for it.
    let status = tl.cron_jobs[0].status.last().expect("status");
    let active = status.active[0].as_str();
    assert!(lines.contains(&format!("Active Jobs: {active}")), "{text}");
    let minute = active.rsplit('-').next().unwrap().parse::<i64>().unwrap() % 60;
    let last = format!("Last Schedule Time: Mon, 05 Jan 2026 09:{minute:02}:00 +0000");
    assert!(lines.contains(&last), "{text}");
    // An hour of a Forbid CronJob makes well over a hundred events; 25 are written at once and
    // one every 5 minutes after that, JobAlreadyActive's repeats counted in one event.
    let emitted = tl.events.iter().filter(|e| e.kind == "CronJob").count();
    assert!(emitted > 100, "{emitted}");
    let events = &lines[lines.iter().position(|l| l == "Events:").expect("events") + 3..];
    assert!(events.len() < 25 + 12, "{events:#?}");
    let skipped = events
        .iter()
        .find(|l| l.contains("JobAlreadyActive"))
        .expect("JobAlreadyActive");
    assert!(skipped.contains(" (x"), "{skipped}");
}
