use std::process::ExitCode;

use clap::Parser;

/// A build allocates many small strings and maps from two threads; mimalloc spends a fraction of
/// the system allocator's time on them (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    tsunagu::cli::run(tsunagu::cli::Cli::parse())
}
