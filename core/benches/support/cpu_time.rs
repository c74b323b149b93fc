//! CPU time of the benchmarking thread, for benches run on a shared machine: wall-clock medians
//! then mostly measure waiting for a core, the thread's CPU time what the engine itself costs.

/// Median CPU time in milliseconds of `runs` calls (None where the thread's CPU clock cannot be
/// read).
pub fn median_cpu_ms(runs: usize, mut f: impl FnMut()) -> Option<f64> {
    let mut samples = Vec::new();
    for _ in 0..runs {
        let before = thread_cpu_ns()?;
        f();
        samples.push((thread_cpu_ns()? - before) as f64 / 1e6);
    }
    Some(median(samples))
}

/// CPU time of this thread so far, in nanoseconds (`CLOCK_THREAD_CPUTIME_ID`). Not the
/// scheduler statistics in `/proc/thread-self/schedstat`: on the build machine those advance in
/// 4 ms ticks, half a 10 000-completion run, which made ratios over such runs mostly rounding.
pub fn thread_cpu_ns() -> Option<u64> {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec through a valid pointer and has no other effect.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    (status == 0).then(|| now.tv_sec as u64 * 1_000_000_000 + now.tv_nsec as u64)
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

/// How many times longer `large` takes than `small`, run in `pairs` back-to-back pairs: the
/// median of the pairs' ratios of thread CPU time, and of wall-clock time. What each returns is
/// dropped after its time is taken. Criterion measures the
/// two sizes minutes apart, and on a shared machine whose speed drifts between them (the build
/// machine's did by a fifth within a quarter of an hour) that moves the ratio of their medians;
/// the two runs of a pair see the same machine. (None where the thread's CPU clock cannot be
/// read.)
pub fn paired_ratios<S, L>(
    pairs: usize,
    mut small: impl FnMut() -> S,
    mut large: impl FnMut() -> L,
) -> Option<(f64, f64)> {
    fn timed<T>(f: impl FnOnce() -> T) -> Option<(f64, f64)> {
        let (cpu, wall) = (thread_cpu_ns()?, std::time::Instant::now());
        let result = f();
        let times = (
            (thread_cpu_ns()? - cpu) as f64,
            wall.elapsed().as_secs_f64(),
        );
        drop(result);
        Some(times)
    }
    let (mut cpu_ratios, mut wall_ratios) = (Vec::new(), Vec::new());
    for _ in 0..pairs {
        let (small_cpu, small_wall) = timed(&mut small)?;
        let (large_cpu, large_wall) = timed(&mut large)?;
        cpu_ratios.push(large_cpu / small_cpu);
        wall_ratios.push(large_wall / small_wall);
    }
    Some((median(cpu_ratios), median(wall_ratios)))
}
