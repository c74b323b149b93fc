//! The shell interpreter inside the simulator: the course's checkpoint job with
//! `restartPolicy: OnFailure`, whose checkpoint survives a container restart only on an `emptyDir`.

use batchlab_core::model::Job;
use batchlab_core::sim::{parse_scenario, simulate, SimInput, Timeline};

fn checkpoint_job(checkpoint_dir: &str, with_volume: bool) -> Job {
    let script = include_str!("fixtures/shell/checkpoint.sh").replace(
        "/tmp/processing-checkpoint.txt",
        &format!("{checkpoint_dir}/processing-checkpoint.txt"),
    );
    let indented: String = script.lines().map(|l| format!("          {l}\n")).collect();
    let volume = if with_volume {
        "        volumeMounts:\n        - {name: work, mountPath: /checkpoint}\n      volumes:\n      - {name: work, emptyDir: {}}\n"
    } else {
        ""
    };
    let yaml = format!(
        "metadata: {{name: checkpoint-processor}}\nspec:\n  template:\n    spec:\n      restartPolicy: OnFailure\n      containers:\n      - name: processor\n        image: busybox:1.35\n        command: [\"sh\", \"-c\"]\n        args:\n        - |\n{indented}{volume}"
    );
    batchlab_core::yaml::de::from_str(&yaml).expect("the test manifest parses")
}

/// Runs the job with the first seed whose first container fails at item 8.
fn run_until_a_restart(job: Job) -> Timeline {
    for seed in 0..40 {
        let input = SimInput {
            jobs: vec![job.clone()],
            ..SimInput::default()
        };
        let scenario = parse_scenario(&format!("seed: {seed}")).expect("scenario parses");
        let tl = simulate(&input, &scenario);
        if tl.pods.first().is_some_and(|p| p.restarts > 0) {
            return tl;
        }
    }
    panic!("no seed in 0..40 made the container fail at item 8");
}

#[test]
fn a_tmp_checkpoint_starts_over_after_an_on_failure_restart() {
    let tl = run_until_a_restart(checkpoint_job("/tmp", false));
    let pod = &tl.pods[0];
    let logs = tl.logs_of(&pod.name);
    assert_eq!(pod.exit_codes[0], 1);
    let failure = logs
        .iter()
        .position(|l| *l == "Simulating failure at item 8")
        .expect("failure line");
    // After the restart the /tmp file is gone: the container starts from item 1 again.
    assert_eq!(logs[failure + 1], "=== Checkpoint Recovery Processor ===");
    assert_eq!(logs[failure + 2], "Starting fresh processing");
    assert_eq!(logs[failure + 3], "Processing item 1/20");
}

#[test]
fn an_empty_dir_checkpoint_resumes_after_an_on_failure_restart() {
    let tl = run_until_a_restart(checkpoint_job("/checkpoint", true));
    let pod = &tl.pods[0];
    let logs = tl.logs_of(&pod.name);
    let failure = logs
        .iter()
        .position(|l| *l == "Simulating failure at item 8")
        .expect("failure line");
    assert_eq!(logs[failure + 2], "Resuming from checkpoint: item 8");
    assert_eq!(logs[failure + 3], "Processing item 8/20");
    assert_eq!(tl.pods_created("checkpoint-processor"), 1);
}
