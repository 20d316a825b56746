//! `growth member` and `growth whoami`.

use crate::common::TestEnv;

#[test]
fn members_are_listed_with_their_departments() {
    let env = TestEnv::new();
    let out = env.run(&["member", "list", "--format", "csv"]);
    assert_eq!(
        out,
        "id,name,department,email,leader,active\r\nana,Ana Silva,account-management,,,yes\r\nmaria,Maria Lopez,marketing,maria@acme.example,yes,yes\r\ntom,Tom Berg,sales,,,yes\r\n"
    );
}

#[test]
fn a_duplicate_member_is_refused() {
    let env = TestEnv::new();
    let out = env
        .cmd()
        .args([
            "member", "add", "tom", "--name", "Tom Two", "--dept", "sales",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("member `tom` exists already"));
}

#[test]
fn removing_a_member_named_in_the_history_keeps_them_as_former() {
    let env = TestEnv::new();
    env.run(&["member", "add", "lee", "--name", "Lee Park", "--dept", "hr"]);
    env.run(&["member", "remove", "lee"]);
    assert!(
        !std::fs::read_to_string(env.ws.join("growth.toml"))
            .unwrap()
            .contains("[members.lee]")
    );

    env.run(&[
        "--as",
        "tom",
        "--today",
        "2026-11-20",
        "lead",
        "add",
        "Acme Corp",
    ]);
    let out = env.run(&["member", "remove", "tom"]);
    assert!(out.contains("former member"), "{out}");
    assert!(!env.run(&["member", "list"]).contains("tom"));
    assert!(env.run(&["member", "list", "--all"]).contains("former"));
    env.run(&["check"]);
}

#[test]
fn identity_comes_from_as_env_saved_user_or_git_email_in_that_order() {
    let env = TestEnv::new();
    let who = |extra: &[&str], user: Option<&str>| {
        let mut cmd = env.cmd();
        if let Some(u) = user {
            cmd.env("GROWTH_USER", u);
        }
        let out = cmd.args(extra).arg("whoami").output().unwrap();
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    assert!(who(&[], None).1.contains("does not know who you are"));
    // git user.email matching a member's email.
    std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(&env.ws)
        .env("HOME", &env.home)
        .status()
        .unwrap();
    std::process::Command::new("git")
        .args(["config", "user.email", "maria@acme.example"])
        .current_dir(&env.ws)
        .env("HOME", &env.home)
        .status()
        .unwrap();
    assert!(
        who(&[], None)
            .0
            .starts_with("maria (Maria Lopez, marketing), from git config user.email")
    );
    env.run(&["whoami", "--set", "ana"]);
    assert!(who(&[], None).0.contains("from whoami --set"));
    assert!(who(&[], Some("tom")).0.starts_with("tom "));
    assert!(who(&["--as", "maria"], Some("tom")).0.starts_with("maria "));
    let (_, err) = who(&["--as", "mraia"], None);
    assert!(
        err.contains("unknown member `mraia`") && err.contains("did you mean `maria`?"),
        "{err}"
    );
}

#[test]
fn a_former_member_cannot_record_until_added_back() {
    let env = TestEnv::new();
    env.run(&[
        "--as",
        "tom",
        "--today",
        "2026-11-20",
        "lead",
        "add",
        "Acme Corp",
    ]);
    let out = env.run(&["member", "remove", "tom"]);
    assert!(out.contains("former member"));
    let refused = env
        .cmd()
        .args(["--as", "tom", "lead", "add", "Globex"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("tom is a former member"));
    let out = env.run(&[
        "member", "add", "tom", "--name", "Tom Berg", "--dept", "sales",
    ]);
    assert!(out.contains("welcomed back tom"), "{out}");
    env.run(&[
        "--as",
        "tom",
        "--today",
        "2026-11-21",
        "lead",
        "add",
        "Globex",
    ]);
}

#[test]
fn emails_must_look_like_emails_and_be_unique() {
    let env = TestEnv::new();
    let out = env
        .cmd()
        .args([
            "member", "add", "lee", "--name", "Lee", "--dept", "hr", "--email", "nope",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = env
        .cmd()
        .args([
            "member",
            "add",
            "lee",
            "--name",
            "Lee",
            "--dept",
            "hr",
            "--email",
            "MARIA@acme.example",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`maria` has the email"));
}

#[test]
fn quiet_member_commands_print_the_id() {
    let env = TestEnv::new();
    assert_eq!(
        env.run(&[
            "-q", "member", "add", "lee", "--name", "Lee", "--dept", "hr"
        ]),
        "lee\n"
    );
    assert_eq!(env.run(&["-q", "member", "remove", "lee"]), "lee\n");
}

#[test]
fn init_adds_growth_to_an_existing_gitignore() {
    let env = TestEnv::empty();
    std::fs::create_dir_all(&env.ws).unwrap();
    std::fs::write(env.ws.join(".gitignore"), "node_modules/").unwrap();
    env.run(&["init", env.ws.to_str().unwrap(), "--team", "T"]);
    assert_eq!(
        std::fs::read_to_string(env.ws.join(".gitignore")).unwrap(),
        "node_modules/\n# growth's local lock, device id and cache: never committed\n.growth/\n"
    );
}

#[test]
fn init_refuses_a_workspace_inside_another() {
    let env = TestEnv::new();
    let inner = env.ws.join("journal").join("team-b");
    let out = env
        .cmd()
        .args([
            "init",
            inner.to_str().unwrap(),
            "--team",
            "B",
            "--timezone",
            "UTC",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("is inside the workspace at"), "{stderr}");
    assert!(stderr.contains("hint:"), "{stderr}");
    assert!(!inner.exists());
}
