//! `batchlab-core`: everything in Batch Lab that knows Kubernetes.
//!
//! Pure Rust with no web, no I/O and no clock: every entry point is a function from text (and, for the
//! simulator, a scenario and a seed) to values. The browser app (`batchlab-app`) and the `batchlab`
//! command line (the `cli` feature) are two views over this one engine. See `ARCHITECTURE.md` at the
//! repository root for the map.
//!
//! The flow of one edit:
//!
//! ```text
//! YAML text ─parse─▶ Bundle ─validate─▶ diagnostics ─lint─▶ more diagnostics
//!                      └─simulate(Scenario, seed)─▶ Timeline ─grade─▶ goal results
//! ```

pub mod analysis;
pub mod diag;
pub mod grade;
pub mod lesson;
pub mod lint;
pub mod manifest;
pub mod model;
pub mod quantity;
pub mod rng;
pub mod schedule;
pub mod secrets;
pub mod shell;
pub mod sim;
pub mod sort;
pub mod validate;
pub mod workload;
pub mod yaml;

pub use analysis::{analyze, Analysis};
