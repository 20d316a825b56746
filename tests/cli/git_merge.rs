//! Two clones record different things; plain `git merge` joins them without conflict.

use std::path::Path;
use std::process::Command;

use crate::common::TestEnv;

fn git(dir: &Path, home: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// growth in another folder (a clone), with the same temp HOME.
fn growth_in(env: &TestEnv, dir: &Path, args: &[&str]) -> String {
    let mut cmd = assert_cmd::Command::new(crate::common::BIN);
    crate::common::pin_env(&mut cmd, &env.home);
    let out = cmd.arg("-C").arg(dir).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "growth {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn two_clones_merge_without_conflict_and_keep_both_sides() {
    let env = TestEnv::new();
    for company in ["Acme Corp", "Globex", "Initech"] {
        env.run(&[
            "--as",
            "maria",
            "--today",
            "2026-11-02",
            "lead",
            "add",
            company,
        ]);
    }
    let ws = &env.ws;
    let home = &env.home;
    git(ws, home, &["init", "-q", "-b", "main"]);
    git(ws, home, &["add", "-A"]);
    git(ws, home, &["commit", "-q", "-m", "workspace"]);
    let root = ws.parent().unwrap();
    let (a, b) = (root.join("clone-a"), root.join("clone-b"));
    git(
        root,
        home,
        &["clone", "-q", ws.to_str().unwrap(), a.to_str().unwrap()],
    );
    git(
        root,
        home,
        &["clone", "-q", ws.to_str().unwrap(), b.to_str().unwrap()],
    );

    // The same person on two machines, and another person, each record different things.
    let on = |dir: &Path, who: &str, day: &str, args: &[&str]| {
        let mut all = vec!["--as", who, "--today", day];
        all.extend_from_slice(args);
        growth_in(&env, dir, &all);
    };
    on(
        &a,
        "maria",
        "2026-11-10",
        &["lead", "add", "Umbrella Health"],
    );
    on(
        &a,
        "maria",
        "2026-11-11",
        &["lead", "stage", "acme-corp", "mql"],
    );
    on(&a, "tom", "2026-11-12", &["lead", "stage", "globex", "won"]);
    on(
        &b,
        "maria",
        "2026-11-10",
        &["lead", "add", "Stark Industries"],
    );
    on(
        &b,
        "maria",
        "2026-11-11",
        &[
            "lead",
            "qualify",
            "initech",
            "--met",
            "budget,need,timeline",
        ],
    );
    on(
        &b,
        "ana",
        "2026-11-13",
        &["lead", "edit", "acme-corp", "--note", "renewal in March"],
    );
    // Handoffs and decisions, feedback (one anonymous) and content ideas on both sides.
    on(
        &a,
        "maria",
        "2026-11-16",
        &[
            "handoff",
            "umbrella",
            "--to",
            "tom",
            "--note",
            "from the webinar",
        ],
    );
    on(
        &a,
        "maria",
        "2026-11-16",
        &["feedback", "Webinar leads convert", "--kind", "working"],
    );
    on(
        &a,
        "tom",
        "2026-11-16",
        &["idea", "Pricing FAQ", "--lead", "globex"],
    );
    on(
        &b,
        "maria",
        "2026-11-16",
        &["handoff", "initech", "--to", "tom"],
    );
    on(
        &b,
        "ana",
        "2026-11-16",
        &["feedback", "Too many meetings", "--anonymous"],
    );
    on(
        &b,
        "tom",
        "2026-11-16",
        &["idea", "ROI calculator", "--offer", "Spreadsheet"],
    );
    let first_handoff = |dir: &Path| -> String {
        let list: Vec<serde_json::Value> = serde_json::from_str(&growth_in(
            &env,
            dir,
            &["handoff", "list", "--format", "json"],
        ))
        .unwrap();
        list[0]["id"].as_str().unwrap().to_string()
    };
    let (ha, hb) = (first_handoff(&a), first_handoff(&b));
    on(&a, "tom", "2026-11-17", &["handoff", "accept", &ha]);
    on(
        &b,
        "tom",
        "2026-11-17",
        &["handoff", "reject", &hb, "--reason", "bad-timing"],
    );
    for dir in [&a, &b] {
        git(dir, home, &["add", "-A"]);
        git(dir, home, &["commit", "-q", "-m", "recorded"]);
    }
    git(
        &b,
        home,
        &[
            "pull",
            "-q",
            "--no-rebase",
            "--no-edit",
            a.to_str().unwrap(),
            "main",
        ],
    );
    assert!(
        git(&b, home, &["status", "--porcelain"]).is_empty(),
        "the merge left changes behind"
    );

    growth_in(&env, &b, &["check"]);
    let leads: Vec<serde_json::Value> =
        serde_json::from_str(&growth_in(&env, &b, &["lead", "list", "--format", "json"])).unwrap();
    let stage = |id: &str| {
        leads
            .iter()
            .find(|l| l["id"] == id)
            .map(|l| l["stage"].as_str().unwrap().to_string())
    };
    assert_eq!(leads.len(), 5);

    assert_eq!(stage("stark-industries").as_deref(), Some("new"));
    assert_eq!(stage("acme-corp").as_deref(), Some("mql"));
    assert_eq!(stage("globex").as_deref(), Some("won"));

    let list = |what: &str| -> Vec<serde_json::Value> {
        serde_json::from_str(&growth_in(&env, &b, &[what, "list", "--format", "json"])).unwrap()
    };
    let handoffs = list("handoff");
    assert_eq!(handoffs.len(), 2);
    let status = |id: &str| handoffs.iter().find(|h| h["id"] == id).unwrap()["status"].clone();
    assert_eq!(status(&ha), "accepted");
    assert_eq!(status(&hb), "rejected");
    assert_eq!(list("feedback").len(), 2);
    assert_eq!(list("idea").len(), 2);
    // The handoff decisions moved the leads: umbrella to sql, initech back to nurture.
    let leads: Vec<serde_json::Value> =
        serde_json::from_str(&growth_in(&env, &b, &["lead", "list", "--format", "json"])).unwrap();
    let stage = |id: &str| {
        leads
            .iter()
            .find(|l| l["id"] == id)
            .map(|l| l["stage"].as_str().unwrap().to_string())
    };
    assert_eq!(stage("umbrella-health").as_deref(), Some("sql"));
    assert_eq!(stage("initech").as_deref(), Some("nurture"));
    let acme = leads.iter().find(|l| l["id"] == "acme-corp").unwrap();
    assert_eq!(acme["notes"][0]["text"], "renewal in March");
}
