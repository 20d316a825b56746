//! Build script: links the `growth` executable as a fixed-address (non-PIE) program on
//! Linux.
//!
//! A position-independent executable is relocated by the dynamic loader at every start:
//! for growth that is 34,000 relocations and a megabyte of tables copied on write, about
//! 0.8 ms of every command, a fifth of recording a lead. Linked at a fixed address they are
//! resolved once, at link time. The cost is address-space randomisation of the executable
//! image itself (libraries, heap and stack stay randomised), a fair trade for a local
//! command-line tool. Only the binary is linked so: tests, benches and the proc-macros
//! that build it are unchanged.

fn main() {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    // glibc only: a static (musl or crt-static) build links as static-pie instead.
    let static_crt = var("CARGO_CFG_TARGET_FEATURE")
        .split(',')
        .any(|f| f == "crt-static");
    if var("CARGO_CFG_TARGET_OS") == "linux" && var("CARGO_CFG_TARGET_ENV") == "gnu" && !static_crt
    {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=src/build.rs");
}
