//! The doorway: all the work happens in the `growth` library.

/// mimalloc: loading the state allocates many small strings; it roughly halves that cost.
/// Its v2 line (the `v2` feature): v3 reserves a 1 GiB arena with transparent huge pages
/// at start, which cost a short command like `lead add` about 0.8 ms more, and a big read
/// more memory.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc v2's `mi_option_t` (`include/mimalloc.h` of the
/// vendored `libmimalloc-sys` 0.1.49; the enum only grows at its end).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

#[allow(unsafe_code)] // one call into the allocator linked above; nothing else
mod allocator {
    unsafe extern "C" {
        pub safe fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
        pub safe fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
        pub safe fn mi_collect(force: bool);
    }
}

fn main() -> std::process::ExitCode {
    // mimalloc hands freed pages back to the system 10 ms after they empty; a cold load at
    // a million entries frees and allocates again hundreds of MiB a second (parsed months,
    // growing vectors), so it took 200,000 page faults and zeroed 4.7 GiB of pages: 20% of
    // its CPU. Kept a second, they are reused (under 1,000 faults). A command shorter than
    // that returns nothing before it exits anyway.
    if allocator::mi_option_get(MI_OPTION_PURGE_DELAY) == 10 {
        allocator::mi_option_set(MI_OPTION_PURGE_DELAY, 1000);
    }
    // The allocator's pages freed by a phase that later ones will not reuse (an import's
    // month of entries in a cold load) go back when the library asks.
    let _ = growth::RELEASE_FREED_MEMORY.set(|| allocator::mi_collect(true));
    growth::run()
}
