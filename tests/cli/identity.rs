//! Who "I" am per workspace: `whoami --set` writes the clone-local `.growth/user.toml`,
//! `--global` the per-user default; a scratch workspace never changes the team's; reserved
//! words are refused wherever an id is typed.

use crate::common::TestEnv;

/// `growth -C ws` with the env's HOME and pinned environment.
fn cmd_in(env: &TestEnv, ws: &std::path::Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(crate::common::BIN);
    crate::common::pin_env(&mut cmd, &env.home);
    cmd.arg("-C").arg(ws);
    cmd
}

/// Runs growth in the workspace at `ws` and asserts success.
fn run_in(env: &TestEnv, ws: &std::path::Path, args: &[&str]) {
    let out = cmd_in(env, ws).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `growth whoami --format json` in the workspace at `ws`, with the env's HOME.
fn who(env: &TestEnv, ws: &std::path::Path) -> serde_json::Value {
    let out = cmd_in(env, ws)
        .args(["whoami", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A second workspace with the same members, beside the env's.
fn scratch(env: &TestEnv) -> std::path::PathBuf {
    let dir = env.home.join("scratch");
    run_in(env, &dir, &["init", "--team", "Scratch"]);
    for (id, dept) in [("maria", "marketing"), ("tom", "sales"), ("ana", "hr")] {
        run_in(
            env,
            &dir,
            &["member", "add", id, "--name", id, "--dept", dept],
        );
    }
    dir
}

#[test]
fn setting_who_you_are_in_one_workspace_leaves_the_other_unchanged() {
    let env = TestEnv::new();
    let other = scratch(&env);
    env.run(&["whoami", "--set", "tom"]);
    let team = who(&env, &env.ws);
    assert_eq!(
        (team["id"].as_str(), team["origin"].as_str()),
        (Some("tom"), Some("workspace"))
    );
    // The scratch workspace knows nobody yet.
    let out = cmd_in(&env, &other).arg("whoami").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not know who you are"));

    run_in(&env, &other, &["whoami", "--set", "ana"]);
    assert_eq!(who(&env, &other)["id"], "ana");
    assert_eq!(
        who(&env, &env.ws)["id"],
        "tom",
        "the scratch workspace changed nothing here"
    );
    // Kept in the clone-local folder git ignores, not in the per-user config.
    let saved = std::fs::read_to_string(env.ws.join(".growth/user.toml")).unwrap();
    assert!(saved.contains("user = \"tom\""), "{saved}");
    assert!(!env.home.join(".config/growth/config.toml").exists());
    let ignore = std::fs::read_to_string(env.ws.join(".gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l == ".growth/"));
}

#[test]
fn the_global_default_applies_where_a_workspace_has_none() {
    let env = TestEnv::new();
    let other = scratch(&env);
    env.run(&["whoami", "--set", "maria", "--global"]);
    for ws in [&env.ws, &other] {
        let me = who(&env, ws);
        assert_eq!(
            (me["id"].as_str(), me["origin"].as_str()),
            (Some("maria"), Some("global"))
        );
    }
    env.run(&["whoami", "--set", "tom"]);
    assert_eq!(who(&env, &env.ws)["origin"], "workspace");
    assert_eq!(who(&env, &other)["id"], "maria");
    // The flag and the environment still come first, and say so.
    let out = env.cmd().args(["--as", "ana", "whoami"]).output().unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .starts_with("ana (Ana Silva, account-management), from --as")
    );
    let out = env
        .cmd()
        .env("GROWTH_USER", "ana")
        .args(["whoami", "--format", "json"])
        .output()
        .unwrap();
    let me: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(me["origin"], "env");
}

#[test]
fn a_global_default_that_is_not_a_member_here_is_skipped_with_a_hint() {
    let env = TestEnv::new();
    let other = env.home.join("other");
    run_in(&env, &other, &["init", "--team", "Other"]);
    run_in(
        &env,
        &other,
        &["member", "add", "zoe", "--name", "Zoe", "--dept", "sales"],
    );
    run_in(&env, &other, &["whoami", "--set", "zoe", "--global"]);
    let out = env.cmd().arg("whoami").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("global default `zoe`") && err.contains("not a member of this workspace"),
        "{err}"
    );
}

#[test]
fn reserved_words_are_refused_as_ids_wherever_typed() {
    let env = TestEnv::new();
    for args in [
        vec!["whoami", "--set", "anonymous"],
        vec!["whoami", "--set", "Growth", "--global"],
        vec![
            "member",
            "add",
            "anonymous",
            "--name",
            "A",
            "--dept",
            "sales",
        ],
        vec!["init", "--me", "nobody", "--name", "N", "--dept", "sales"],
    ] {
        let fresh = env.home.join("fresh");
        let dir = if args[0] == "init" { &fresh } else { &env.ws };
        let out = cmd_in(&env, dir).args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("keeps for itself") && err.contains("hint:"),
            "{args:?}: {err}"
        );
    }
    assert!(
        !env.home.join("fresh/growth.toml").exists(),
        "a refused init creates nothing"
    );
}

#[test]
fn set_outside_a_workspace_asks_for_one_or_global() {
    let env = TestEnv::empty();
    let out = env.cmd().args(["whoami", "--set", "tom"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--global"));
}

#[test]
fn the_init_wizard_asks_currency_and_meeting_and_stores_who_you_are() {
    use expectrl::Expect;
    use std::time::Duration;
    let env = TestEnv::empty();
    let mut cmd = std::process::Command::new(crate::common::BIN);
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", &env.home)
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .args([
            "init",
            env.ws.to_str().unwrap(),
            "--team",
            "Acme Growth",
            "--timezone",
            "Europe/Berlin",
        ]);
    let mut p = expectrl::Session::spawn(cmd).unwrap();
    p.set_expect_timeout(Some(Duration::from_secs(20)));
    let answer = |p: &mut expectrl::session::OsSession, question: &str, text: &str| {
        p.expect(question).unwrap();
        std::thread::sleep(Duration::from_millis(200));
        p.send(format!("{text}\r")).unwrap();
    };
    answer(&mut p, "Currency of lead values", "eur");
    answer(&mut p, "Meeting day", "thursday");
    answer(&mut p, "Meeting time", "09:30");
    answer(&mut p, "Meeting length in minutes", "30");
    p.expect("created the workspace of Acme Growth").unwrap();
    answer(&mut p, "Add yourself as the first member?", "y");
    answer(&mut p, "Your member id", "Maria");
    p.expect("member ids are lowercase: `Maria` is `maria`")
        .unwrap();
    answer(&mut p, "Your name", "Maria Lopez");
    answer(&mut p, "Your department", "marketing");
    p.expect("you are maria in this workspace").unwrap();
    p.expect(expectrl::Eof).unwrap();

    let config = std::fs::read_to_string(env.ws.join("growth.toml")).unwrap();
    for line in [
        "currency = \"EUR\"",
        "weekday = \"thu\"",
        "time = 09:30:00",
        "minutes = 30",
    ] {
        assert!(
            config.lines().any(|l| l.trim() == line),
            "{line} in\n{config}"
        );
    }
    let me = who(&env, &env.ws);
    assert_eq!(
        (me["id"].as_str(), me["origin"].as_str()),
        (Some("maria"), Some("workspace"))
    );
    assert!(
        !env.home.join(".config/growth/config.toml").exists(),
        "the global default is untouched"
    );
}
