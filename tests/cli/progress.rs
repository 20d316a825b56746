//! A whole fold of a big journal shows a bar on a terminal's stderr, and nothing to a
//! pipe or under `-q`. (The bar's threshold is lowered with `GROWTH_PROGRESS_BYTES` so a
//! small workspace shows it.)

use crate::common::TestEnv;

/// What `growth ARGS` wrote to a pseudo-terminal, after the cache was removed (so the
/// journal is folded whole).
fn on_a_terminal(env: &TestEnv, args: &[&str]) -> String {
    let _ = std::fs::remove_file(env.ws.join(".growth/cache/state.bin"));
    let mut cmd = crate::common::terminal_command(&env.home, &env.ws);
    cmd.env("NO_COLOR", "1")
        .env("GROWTH_PROGRESS_BYTES", "1")
        .args(["--today", "2026-11-30"])
        .args(args);
    crate::common::terminal_screen(cmd)
}

const BAR: &str = "reading the journal into the local cache";

#[test]
fn a_whole_fold_shows_a_bar_on_a_terminal_only() {
    let env = TestEnv::new();
    env.run(&[
        "--as",
        "maria",
        "--today",
        "2026-11-20",
        "lead",
        "add",
        "Acme",
    ]);

    let screen = on_a_terminal(&env, &["lead", "list"]);
    assert!(screen.contains(BAR), "{screen:?}");
    assert!(screen.contains("Acme"), "{screen:?}");
    // `-q`: only what was asked for.
    let quiet = on_a_terminal(&env, &["-q", "lead", "list"]);
    assert!(!quiet.contains(BAR), "{quiet:?}");

    // To a pipe: nothing on stderr.
    let _ = std::fs::remove_file(env.ws.join(".growth/cache/state.bin"));
    let out = env
        .cmd()
        .env("GROWTH_PROGRESS_BYTES", "1")
        .args(["--today", "2026-11-30", "lead", "list"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}
