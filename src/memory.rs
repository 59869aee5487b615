//! The process's memory, where Rust's allocator API does not reach.

/// Returns the memory freed so far to the operating system. glibc's allocator keeps freed
/// blocks for reuse, but the blocks of a dropped syntax tree are small and scattered among
/// live ones, so later, larger allocations (a lint run's traces) did not fit in them and the
/// process grew by as much again. A one-shot run calls this once it has dropped its trees,
/// and a lint run once its traces are freed (they were allocated on helper threads, where the
/// caller's next allocations would not reuse them). A no-op with other C libraries.
pub fn release_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only walks the allocator's own free lists, under its locks.
    unsafe {
        libc::malloc_trim(0);
    }
}
