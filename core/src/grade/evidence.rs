//! What the engine says about a learner's text, gathered once per grading: diagnostics, the parsed
//! documents, and a summary of the simulated run. The goal checks in `grade` read only this, so
//! they can be tested with evidence built by hand, and the engine can change behind `collect`.

use crate::diag::Diagnostic;
use serde::Serialize;
use serde_json::Value;

use super::ObjectRef;

/// Everything the goals are checked against.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    /// Validation errors and lint warnings (lint codes start with `BL-`).
    pub diagnostics: Vec<Diagnostic>,
    /// Whether API-server validation ran (otherwise only YAML syntax was checked).
    pub validation_available: bool,
    /// Whether lint rules ran.
    pub lint_available: bool,
    /// The YAML documents of the text, in order.
    pub documents: Vec<Document>,
    /// The simulated run, or why there is none.
    pub run: Result<RunFacts, NoRun>,
}

impl Default for NoRun {
    fn default() -> NoRun {
        NoRun {
            message: "the manifests were not simulated".into(),
            unavailable: false,
        }
    }
}

/// Why a run-based goal cannot be checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NoRun {
    pub message: String,
    /// The simulator is not part of this build (as opposed to: the manifest could not run).
    pub unavailable: bool,
}

/// One YAML document of the learner's text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    pub kind: String,
    pub name: String,
    pub value: Value,
}

impl Evidence {
    /// The object a field goal reads: by kind and name, or the first Job or CronJob.
    pub fn find_object(&self, object: &ObjectRef) -> Option<&Document> {
        self.documents
            .iter()
            .find(|d| match (&object.kind, &object.name) {
                (None, None) => d.kind == "Job" || d.kind == "CronJob",
                (kind, name) => {
                    kind.as_ref().is_none_or(|k| k == &d.kind)
                        && name.as_ref().is_none_or(|n| n == &d.name)
                }
            })
    }
}

/// A summary of a simulated run: what the goals ask about, and nothing else.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunFacts {
    /// Where the simulation stopped, in seconds from its start.
    pub horizon_seconds: f64,
    /// The wall-clock instant of the start, in Unix seconds.
    pub start_unix: i64,
    /// Every Job that existed during the run (directly created, or by a CronJob), in creation order.
    pub jobs: Vec<JobRun>,
    /// The most pods running at one instant, over all Jobs.
    pub max_running: u32,
    pub cron: Vec<CronRun>,
    pub events: Vec<EventFact>,
    /// Secret values seen in the logs of a pod they reached, one sentence each ("pod `leak-x7k2p`
    /// printed the value of Secret `creds`, key `token`"), from `secrets::leaks_in_logs`.
    pub secret_leaks: Vec<String>,
}

impl RunFacts {
    /// The Job with this name, or every Job when no name is given.
    pub fn jobs_named(&self, name: Option<&str>) -> Vec<&JobRun> {
        self.jobs
            .iter()
            .filter(|j| name.is_none_or(|n| n == j.name))
            .collect()
    }

    /// The first log line containing `text`, with its Job's name.
    pub fn log_line_with(&self, text: &str) -> Option<(&str, &str)> {
        self.jobs.iter().find_map(|j| {
            j.logs
                .iter()
                .find(|l| l.contains(text))
                .map(|l| (j.name.as_str(), l.as_str()))
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobRun {
    pub name: String,
    /// The CronJob that created it, if any.
    pub cron_job: Option<String>,
    pub pods_created: u32,
    /// The most of its pods running at one instant.
    pub max_running: u32,
    /// Container restarts summed over its pods.
    pub restarts: u32,
    /// The terminal condition, if the Job finished within the horizon.
    pub end: Option<JobEnd>,
    /// Every log line of every container of its pods, in time order.
    pub logs: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobEnd {
    pub condition: super::JobCondition,
    pub reason: String,
    pub at_seconds: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CronRun {
    pub name: String,
    /// Scheduled instants (Unix seconds) for which a Job was created.
    pub fired: Vec<i64>,
    /// The most of its Jobs active at one instant.
    pub max_active: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventFact {
    pub at_seconds: f64,
    pub reason: String,
    pub message: String,
}

/// The YAML documents of a text, with a diagnostic for each syntax error (duplicate keys included).
pub fn read_documents(text: &str) -> (Vec<Document>, Vec<Diagnostic>) {
    let parsed = crate::yaml::parse(text);
    let mut documents = Vec::new();
    for document in &parsed.documents {
        let value = crate::yaml::de::to_json(&document.root);
        if value.is_null() {
            continue;
        }
        let field = |k: &str| {
            value
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let name = value
            .get("metadata")
            .and_then(|m| m.get("name"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        documents.push(Document {
            kind: field("kind"),
            name,
            value,
        });
    }
    let diagnostics = parsed.diagnostics;
    (documents, diagnostics)
}
