//! The doorway: all the work happens in the `growth` library.

/// mimalloc: loading the state allocates many small strings; it roughly halves that cost.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    growth::run()
}
