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
//!   Jobs), the scheduler, a kubelet per pod (image pull, container start, exits, CrashLoopBackOff,
//!   OOMKilled, CreateContainerConfigError, FailedMount, graceful termination) and scenario faults.
//! - `job_controller`: the Job controller, function for function after `job_controller.go`.
//! - `workloads`: what a container does (`workload_for` chooses: scenario, script, assumption).
//! - `scenario`: the scenario type (YAML), `timeline`: the result, `kubectl`: text views of it.
//!
//! # Adding a controller (the CronJob controller plugs in here)
//!
//! A controller is a state machine that implements [`Controller`]. The engine calls `start` once
//! at t = 0, `on_timer` when a timer it set with `Sim::at(when, Ev::Timer(my_index, token))` fires,
//! and `on_job_finished` when any Job gets `Complete`/`Failed` or is deleted. Through the `&mut Sim`
//! it gets, a controller reads the clock (`sim.now`, `sim.tl.start_unix_ms` for wall-clock time),
//! the Jobs (`sim.jobs[i]`: `name`, `status.conditions`, `status.active`, `finished`, `deleted`),
//! creates Jobs with `sim.create_job(job, Some(owner_name))` (the Job controller syncs it at once),
//! deletes them with `sim.delete_job(i)` (foreground: pods first), records events with
//! `sim.event("CronJob", name, "Normal", "SuccessfulCreate", msg, "cronjob-controller")`, and can
//! stop the run with `sim.stop(why)`. It should keep its own records for the timeline (the CronJob
//! engineer adds a `cron_jobs` list to `Timeline`). `simulate_with` takes the extra controllers.

mod engine;
pub mod indexes;
mod job_controller;
pub mod kubectl;
pub mod scenario;
pub mod timeline;
pub mod units;
pub mod workloads;

pub use engine::{Ev, Sim};
pub use scenario::{parse_scenario, Scenario};
pub use timeline::{JobRecord, PodRecord, Time, Timeline};

use crate::model;

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
    simulate_with(input, scenario, Vec::new())
}

/// `simulate` with extra controllers (the CronJob controller) plugged into the same engine.
pub fn simulate_with(
    input: &SimInput,
    scenario: &Scenario,
    controllers: Vec<Box<dyn Controller>>,
) -> Timeline {
    let mut sim = Sim::new(input, scenario, controllers);
    for job in &input.jobs {
        sim.create_job(job.clone(), None);
    }
    warn_about_size(&mut sim);
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
    /// Reads Jobs, CronJobs, ConfigMaps and Secrets from multi-document YAML with plain serde.
    ///
    /// This is a stand-in until `manifest::parse` (with its schema checks and source map) is
    /// available; other kinds are skipped. Secret `data` is base64 in YAML; `stringData` is read
    /// as-is.
    pub fn from_yaml(text: &str) -> Result<SimInput, Vec<crate::diag::Diagnostic>> {
        use crate::diag::{Diagnostic, Severity, Span};
        use serde::Deserialize;
        let mut input = SimInput::default();
        let mut problems = Vec::new();
        for (doc, de) in serde_yaml::Deserializer::from_str(text).enumerate() {
            let value = match serde_yaml::Value::deserialize(de) {
                Ok(v) => v,
                Err(e) => {
                    let span = e
                        .location()
                        .map(|l| Span::point(l.line() as u32, l.column() as u32))
                        .unwrap_or_default();
                    problems.push(
                        Diagnostic::new(Severity::Error, "yaml", e.to_string())
                            .at("", span)
                            .in_document(doc),
                    );
                    continue;
                }
            };
            if value.is_null() {
                continue;
            }
            let kind = value
                .get("kind")
                .and_then(|k| k.as_str())
                .unwrap_or("")
                .to_string();
            let result = match kind.as_str() {
                "Job" => serde_yaml::from_value(value).map(|j| input.jobs.push(j)),
                "CronJob" => serde_yaml::from_value(value).map(|j| input.cron_jobs.push(j)),
                "ConfigMap" => serde_yaml::from_value(value).map(|c| input.config_maps.push(c)),
                "Secret" => secret_from_value(value).map(|s| input.secrets.push(s)),
                _ => Ok(()),
            };
            if let Err(e) = result {
                problems.push(
                    Diagnostic::new(Severity::Error, "schema", format!("{kind}: {e}"))
                        .in_document(doc),
                );
            }
        }
        if problems.is_empty() {
            Ok(input)
        } else {
            Err(problems)
        }
    }
}

fn secret_from_value(mut value: serde_yaml::Value) -> Result<model::Secret, serde_yaml::Error> {
    let string_data: std::collections::BTreeMap<String, String> = value
        .get("stringData")
        .cloned()
        .map(serde_yaml::from_value)
        .transpose()?
        .unwrap_or_default();
    if let Some(map) = value.as_mapping_mut() {
        map.remove("stringData");
    }
    let mut secret: model::Secret = serde_yaml::from_value(value)?;
    for v in secret.data.values_mut() {
        *v = decode_base64(v).unwrap_or_else(|| v.clone());
    }
    secret.data.extend(string_data);
    Ok(secret)
}

/// Standard base64 to text (lossy UTF-8), None if it is not base64.
fn decode_base64(text: &str) -> Option<String> {
    let mut bits: u32 = 0;
    let mut n = 0;
    let mut out = Vec::new();
    for c in text.bytes().filter(|c| !c.is_ascii_whitespace()) {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => continue,
            _ => return None,
        };
        bits = (bits << 6) | v as u32;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}
