//! The doorway: all the work happens in the `growth` library.

/// mimalloc: loading the state allocates many small strings; it roughly halves that cost.
/// Its v2 line (the `v2` feature): v3 reserves a 1 GiB arena with transparent huge pages
/// at start, which cost a short command like `lead add` about 0.8 ms more, and a big read
/// more memory.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    growth::run()
}
