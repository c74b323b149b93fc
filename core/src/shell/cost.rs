//! The virtual cost model: how much simulated time and memory a script's work takes.
//!
//! The interpreter never looks at a real clock. Each thing a script does advances the container's
//! virtual clock by a fixed, documented amount, chosen to match the order of magnitude of busybox
//! `ash` on a typical node (a builtin takes microseconds, forking and executing an applet about a
//! millisecond, copying a string about a nanosecond per byte). A CPU limit below one core stretches
//! all of it except `sleep`, as CFS throttling would; busybox is single-threaded, so a limit above
//! one core does not make it faster.
//!
//! Memory is the shell's resident size plus what it holds: variables (name and value), captured
//! command-substitution output and `for` word lists, plus the new value while an assignment is being
//! built (ash builds it on its stack string before freeing the old one). This is what makes an
//! ever-growing string hit a memory limit.

/// A shell builtin or special command (`echo`, `test`, `:`, an assignment, `local` …).
pub const BUILTIN_NS: u64 = 2_000;
/// One fork: a subshell `( )`, a command substitution, a pipeline stage.
pub const FORK_NS: u64 = 300_000;
/// Executing a busybox applet after the fork (`date`, `seq`, `cat` …).
pub const EXEC_NS: u64 = 700_000;
/// Calling a shell function (new positional parameters, local scope).
pub const FUNCTION_CALL_NS: u64 = 3_000;
/// Evaluating one `$(( ))`.
pub const ARITH_NS: u64 = 1_000;
/// Opening a file for a redirection (`> /dev/null` included).
pub const REDIRECT_NS: u64 = 3_000;
/// Copying one byte (expanding a variable into a word, building an assignment) or reading one
/// byte in a text applet.
pub const BYTE_NS: u64 = 1;

/// Resident size of busybox `sh` before the script allocates anything.
pub const BASE_MEMORY_BYTES: u64 = 1024 * 1024;
/// Bookkeeping per variable beyond its name and value.
pub const VARIABLE_OVERHEAD_BYTES: u64 = 32;

/// The interpreter's own limits, so that any input finishes in bounded real time and memory.
pub mod limits {
    /// Simple commands actually interpreted in one container run. Steady loops are fast-forwarded
    /// (see `FAST_FORWARD_AFTER`), so only scripts whose every iteration changes something reach it.
    /// (250 000 covers the course's heaviest script, 100 000 string appends, with room to spare,
    /// and takes well under a second natively.)
    pub const MAX_STEPS: u64 = 250_000;
    /// Consecutive loop iterations with no visible effect after which the loop is fast-forwarded:
    /// the remaining iterations are charged at the measured per-iteration time without being run.
    pub const FAST_FORWARD_AFTER: u64 = 16;
    /// Memory the simulator is willing to hold for one shell, whatever the container's limit.
    pub const MAX_MEMORY_BYTES: u64 = 256 * 1024 * 1024;
    /// Log lines kept per run; later lines are counted but dropped (a note says so).
    pub const MAX_LOG_LINES: usize = 10_000;
    /// Nesting of function calls, `eval`, subshells and sourced files.
    pub const MAX_CALL_DEPTH: u32 = 64;
    /// Size of the script text accepted.
    pub const MAX_SCRIPT_BYTES: usize = 1024 * 1024;
}

/// Multiplier (in thousandths) applied to CPU time for a container's CPU limit in millicores.
pub fn cpu_stretch_permille(cpu_limit_millis: Option<u64>) -> u64 {
    match cpu_limit_millis {
        Some(limit) if limit > 0 && limit < 1000 => 1_000_000 / limit,
        _ => 1000,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fifth_of_a_core_runs_cpu_work_five_times_slower() {
        assert_eq!(cpu_stretch_permille(Some(200)), 5000);
        assert_eq!(cpu_stretch_permille(Some(2000)), 1000);
        assert_eq!(cpu_stretch_permille(None), 1000);
    }
}
