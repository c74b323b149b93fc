//! CPU time of the benchmarking thread, for benches run on a shared machine: wall-clock medians
//! then mostly measure waiting for a core, the thread's CPU time what the engine itself costs.

/// Median CPU time in milliseconds of `runs` calls, read from Linux's per-thread scheduler
/// statistics (None elsewhere).
pub fn median_cpu_ms(runs: usize, mut f: impl FnMut()) -> Option<f64> {
    let cpu_ns = || -> Option<u64> {
        let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
        text.split_whitespace().next()?.parse().ok()
    };
    let mut samples = Vec::new();
    for _ in 0..runs {
        let before = cpu_ns()?;
        f();
        samples.push((cpu_ns()? - before) as f64 / 1e6);
    }
    samples.sort_by(f64::total_cmp);
    Some(samples[samples.len() / 2])
}
