//! Makes this process treat freed memory as the app's WebAssembly module does: it keeps it.
//!
//! A wasm module's memory only grows. Whatever a simulation frees, the next one reuses without
//! asking the browser for more, so in the product a second run of the same size touches memory
//! that is already there. glibc instead hands large frees back to the kernel: blocks over 32 MB
//! are unmapped when freed, and the top of the heap is trimmed once more than 64 MB of it is free.
//! Under criterion, which runs the same simulation again and again, a run whose timeline is
//! smaller than that reuses the last iteration's pages, and a larger one pays a page fault
//! (about 4 µs here) for every 4 KB page of its timeline, every iteration. The 100 000-completion
//! Job then spends 0.17 s of a 0.3 s iteration in the kernel, the 10 000-completion one none,
//! and the bench would be measuring glibc's thresholds instead of the engine's linearity
//! (docs/notes/sim-perf.md, "The 10× ratios measure the allocator as much as the engine").
//!
//! So the simulator benches call `keep_freed_memory` first: no block is mapped on its own and
//! the heap is never trimmed, as in the browser. The first iteration of each size still pays
//! for its fresh pages (criterion's warm-up absorbs them), as the app's first run does.

/// Tells glibc's allocator to keep every freed block for reuse (nothing on other platforms,
/// whose allocators are not glibc's).
pub fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // Safety: `mallopt` only changes the allocator's tuning; it is called before any
    // simulation, from the bench's only thread.
    unsafe {
        // No block gets its own mapping (which `free` would unmap)…
        libc::mallopt(libc::M_MMAP_MAX, 0);
        // …and the heap is never given back to the kernel.
        libc::mallopt(libc::M_TRIM_THRESHOLD, i32::MAX);
    }
}
