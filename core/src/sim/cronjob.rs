//! The CronJob controller in the simulator (engine glue arrives in the next step).

pub mod sync;
#[cfg(test)]
mod sync_tests;
