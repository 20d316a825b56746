//! The doorway: all the work happens in the `growth` library.

fn main() -> std::process::ExitCode {
    growth::run()
}
