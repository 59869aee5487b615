//! `vnetc`, the vnet compiler's command line (see `vnet::cli`).

/// A compile allocates many small, short-lived objects (tokens, trees, ranges, messages) on
/// every core; jemalloc serves them 7-10% faster than glibc's allocator for about 5% more
/// peak memory (BENCHMARKS.md).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    vnet::cli::main()
}
