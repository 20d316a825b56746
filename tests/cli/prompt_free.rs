//! Without a terminal growth never waits for input: every command finishes, and a missing
//! value is an error that names the flag.

use std::time::Duration;

use crate::common::TestEnv;

#[test]
fn every_command_finishes_with_stdin_closed() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Acme Corp"]);
    let commands: &[&[&str]] = &[
        &["check"],
        &["whoami"],
        &["whoami", "--set", "tom"],
        &["member", "list"],
        &["member", "add", "lee", "--name", "Lee Park", "--dept", "hr"],
        &["member", "remove", "lee"],
        &["lead", "add", "Globex"],
        &["lead", "list"],
        &["lead", "show", "acme"],
        &["lead", "qualify", "acme", "--met", "budget"],
        &["lead", "stage", "acme", "sql"],
        &["lead", "edit", "acme", "--note", "hello"],
        &["lead", "add"],
        &["lead", "stage", "acme"],
        &["member", "add", "x"],
        &[],
    ];
    for args in commands {
        let out = env
            .cmd()
            .args(*args)
            .timeout(Duration::from_secs(10))
            .output()
            .unwrap();
        assert!(
            out.status.code().is_some(),
            "growth {args:?} did not finish (killed by the timeout)"
        );
    }
    // init with nothing given takes defaults instead of asking.
    let fresh = TestEnv::empty();
    let out = fresh
        .cmd()
        .args(["init"])
        .timeout(Duration::from_secs(10))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(fresh.ws.join("growth.toml").is_file());
}

#[test]
fn a_missing_argument_names_the_flag_and_exits_2() {
    let env = TestEnv::new();
    let out = env
        .cmd()
        .args(["member", "add", "lee", "--name", "Lee"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--dept"));
    let out = env
        .cmd()
        .args(["lead", "qualify", "acme"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--met"));
}

#[test]
fn recording_without_an_identity_says_how_to_set_one() {
    let env = TestEnv::new();
    let out = env
        .cmd()
        .args(["lead", "add", "Acme Corp"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: growth does not know who you are"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--as MEMBER")
            && stderr.contains("GROWTH_USER")
            && stderr.contains("whoami --set"),
        "{stderr}"
    );
}
