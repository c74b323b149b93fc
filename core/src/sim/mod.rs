//! The Job simulator: a deterministic, sans-I/O discrete-event simulation of a small Kubernetes
//! 1.34 cluster running the learner's Jobs.
//!
//! `simulate(&SimInput, &Scenario) -> Timeline` is the whole interface. Time and randomness are
//! inputs (the scenario's start instant and seed); there is no clock, no OS randomness and no
//! hash-map iteration, so the same manifests, scenario and seed give the same timeline everywhere.
//!
//! # Parts
//!
//! - `engine`: the virtual clock and event queue (`Sim`), the cluster's objects (pods, nodes,
//!   Jobs), the scheduler, a kubelet per pod (init containers and sidecars, image pull, container
//!   start, exits, CrashLoopBackOff, OOMKilled, CreateContainerConfigError, FailedMount, graceful
//!   termination) and scenario faults.
//! - `job_controller`: the Job controller, function for function after `job_controller.go`.
//! - `workloads`: what a container does (`workload_for` chooses: scenario, the shell interpreter, assumption).
//! - `scenario`: the scenario type (YAML), `timeline`: the result, `kubectl`: text views of it,
//!   `recorder`: which of the timeline's events the API server stores, and how (for those views).
//! - `reason`: `Reason`, every reason the simulator writes (STATUS, container state and event
//!   reasons) as a one-byte word the records keep.
//!
//! # Adding a controller (the CronJob controller plugs in here)
//!
//! A controller is a state machine that implements [`Controller`]. The engine calls `start` once
//! at t = 0, `on_timer` when a timer it set with `Sim::at(when, Ev::Timer(my_index, token))` fires,
//! and `on_job_finished` when any Job gets `Complete`/`Failed` or is deleted. Through the `&mut Sim`
//! it gets, a controller reads the clock (`sim.now`, `sim.tl.start_unix_ms` for wall-clock time),
//! the Jobs (`sim.jobs[i]`: `name`, `status.conditions`, `status.active`, `finished`, `deleted`),
//! creates Jobs with `sim.create_job(&metadata, spec, Some(parent))` (the Job controller syncs
//! it at once; `spec` is an `Arc` so that Jobs made from one template share it),
//! deletes them with `sim.delete_job(i)` (foreground: pods first), records events with
//! `sim.event(EventObject::CronJob, name, EventType::Normal, Reason::SuccessfulCreate, msg,
//! EventSource::CronJobController)` (one-byte words from `timeline`), and can
//! stop the run with `sim.stop(why)`. It should keep its own records for the timeline (the CronJob
//! engineer adds a `cron_jobs` list to `Timeline`). `simulate_with` takes the extra controllers.

pub mod cronjob;
mod engine;
pub mod indexes;
mod job_controller;
pub mod kubectl;
mod reason;
pub mod recorder;
pub mod scenario;
mod text;
pub mod timeline;
pub mod units;
pub mod workloads;

pub use engine::{Ev, Sim};
pub use scenario::{parse_scenario, Scenario};
pub use timeline::{JobRecord, PodRecord, Text, Time, Timeline};

use crate::model;
use std::sync::Arc;

/// The objects a simulation runs: what the learner's manifests define.
#[derive(Debug, Clone, Default)]
pub struct SimInput {
    pub jobs: Vec<model::Job>,
    pub cron_jobs: Vec<model::CronJob>,
    pub config_maps: Vec<model::ConfigMap>,
    pub secrets: Vec<model::Secret>,
}

/// A controller that runs beside the Job controller (see the module documentation).
pub trait Controller {
    /// Called once at t = 0; `me` is this controller's index for `Ev::Timer`.
    fn start(&mut self, sim: &mut Sim<'_>, me: usize);
    /// A timer this controller set has fired.
    fn on_timer(&mut self, sim: &mut Sim<'_>, token: u64);
    /// Job `job` (an index into `sim.jobs`) finished or was deleted.
    fn on_job_finished(&mut self, _sim: &mut Sim<'_>, _job: usize) {}
}

/// Runs the manifests under the scenario to its horizon and returns what happened.
pub fn simulate(input: &SimInput, scenario: &Scenario) -> Timeline {
    let mut controllers: Vec<Box<dyn Controller>> = Vec::new();
    if !input.cron_jobs.is_empty() {
        controllers.push(Box::new(cronjob::CronJobController::new(input, scenario)));
    }
    simulate_with(input, scenario, controllers)
}

/// `simulate` with extra controllers (the CronJob controller) plugged into the same engine.
pub fn simulate_with(
    input: &SimInput,
    scenario: &Scenario,
    controllers: Vec<Box<dyn Controller>>,
) -> Timeline {
    let mut sim = Sim::new(input, scenario, controllers);
    for job in &input.jobs {
        sim.create_job(&job.metadata, Arc::new(job.spec.clone()), None);
    }
    warn_about_size(&mut sim);
    // A quarter more pods than completions leaves room for retries: when a list outgrows its
    // room it doubles, which for a 100 000-pod run is 100 MB of address space (and, in the
    // browser, a copy). Room that is never written costs nothing natively.
    let expected: i64 = input
        .jobs
        .iter()
        .map(|j| {
            j.spec
                .completions
                .or(j.spec.parallelism)
                .unwrap_or(1)
                .clamp(0, 1 << 24)
                * 5
                / 4
        })
        .sum();
    sim.reserve(expected as usize);
    sim.run();
    sim.tl
}

/// A Job that needs more pods than the bound gets a note up front, so the truncation is no surprise.
fn warn_about_size(sim: &mut Sim<'_>) {
    let max = sim.scenario.limits.max_pods as i64;
    for job in &sim.input.jobs {
        if let Some(c) = job.spec.completions.filter(|&c| c > max) {
            let name = job.metadata.name.as_deref().unwrap_or("job");
            sim.tl.notes.push(format!(
                "Job {name} asks for {c} completions; the simulator creates at most {max} pods (limits.maxPods), so it will stop before the Job can finish"
            ));
        }
    }
}

impl SimInput {
    /// The objects of a parsed manifest text. Objects whose documents had errors are included as
    /// far as they could be read; callers that want the API server's verdict validate first.
    pub fn from_bundle(bundle: &crate::manifest::Bundle) -> SimInput {
        use crate::manifest::ObjectKind;
        let mut input = SimInput::default();
        for object in &bundle.objects {
            match &object.kind {
                ObjectKind::Job(j) => input.jobs.push(j.clone()),
                ObjectKind::CronJob(c) => input.cron_jobs.push(c.clone()),
                ObjectKind::ConfigMap(c) => input.config_maps.push(c.clone()),
                ObjectKind::Secret(s) => input.secrets.push(s.clone()),
                ObjectKind::Other { .. } => {}
            }
        }
        input
    }
}
