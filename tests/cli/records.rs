//! Feedback (anonymous too), content ideas, wins and action items.

use crate::common::{TestEnv, files_under};

fn json(env: &TestEnv, args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_str(&env.run(&all)).unwrap()
}

#[test]
fn anonymous_feedback_stores_no_author_anywhere() {
    let env = TestEnv::new();
    let before = files_under(&env.ws);
    env.run(&[
        "--as",
        "maria",
        "--today",
        "2026-11-20",
        "feedback",
        "The handoff notes are too thin",
        "--kind",
        "missing-the-mark",
        "--anonymous",
    ]);
    let after = files_under(&env.ws);
    let new: Vec<_> = after
        .iter()
        .filter(|(p, _)| !before.contains_key(*p))
        .collect();
    assert_eq!(new.len(), 1, "{new:?}");
    let (path, bytes) = new[0];
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(path.to_string_lossy().contains("anonymous-"), "{path:?}");
    for name in ["maria", "Maria", "by ="] {
        assert!(
            !text.contains(name) && !path.to_string_lossy().contains(name),
            "{name} in {path:?}:\n{text}"
        );
    }
    assert!(
        !env.ws.join(".growth").join("device").exists()
            || !path.to_string_lossy().contains(
                std::fs::read_to_string(env.ws.join(".growth/device"))
                    .unwrap()
                    .trim()
            )
    );
    let list = json(&env, &["feedback", "list"]);
    assert_eq!(list[0]["by"], serde_json::Value::Null);
    assert_eq!(list[0]["category"], "missing-the-mark");
    env.run(&["check"]);
}

#[test]
fn feedback_is_resolved_once() {
    let env = TestEnv::new();
    let id = env.run(&[
        "--as",
        "tom",
        "--today",
        "2026-11-20",
        "-q",
        "feedback",
        "Great webinar leads",
        "--kind",
        "working",
    ]);
    let id = id.trim();
    env.run(&[
        "--as",
        "maria",
        "--today",
        "2026-11-21",
        "feedback",
        "resolve",
        &id[..3],
        "--note",
        "more webinars",
    ]);
    assert_eq!(json(&env, &["feedback", "list", "--open"]).len(), 0);
    let all = json(&env, &["feedback", "list"]);
    assert_eq!(all[0]["status"], "resolved");
    assert_eq!(all[0]["resolution"], "more webinars");
    // Resolving it again records nothing and is not an error (as for a lead's stage).
    let before = env.snapshot_files();
    let out = env
        .cmd()
        .args(["--as", "maria", "feedback", "resolve", id])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("resolved already; nothing to record"));
    assert_eq!(env.snapshot_files(), before);
    // With a new note it refuses rather than drop the note.
    let out = env
        .cmd()
        .args([
            "--as",
            "maria",
            "feedback",
            "resolve",
            id,
            "--note",
            "sent to HR",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the new note was not recorded"));
    assert_eq!(env.snapshot_files(), before);
    let out = env
        .cmd()
        .args(["--as", "maria", "feedback", "x", "--kind", "meh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn ideas_move_from_idea_to_published() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Acme Corp"]);
    let id = env.run(&[
        "--as",
        "tom",
        "--today",
        "2026-11-20",
        "-q",
        "idea",
        "How long does onboarding take?",
        "--lead",
        "acme",
        "--offer",
        "Onboarding one-pager",
    ]);
    let id = id.trim();
    env.run(&[
        "--as",
        "maria",
        "--today",
        "2026-11-21",
        "idea",
        "status",
        id,
        "planned",
    ]);
    let out = env
        .cmd()
        .args([
            "--as",
            "maria",
            "idea",
            "status",
            id,
            "published",
            "--link",
            "javascript:alert(1)",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    env.run(&[
        "--as",
        "maria",
        "--today",
        "2026-11-22",
        "idea",
        "status",
        id,
        "published",
        "--link",
        "https://acme.example/onboarding",
    ]);
    let ideas = json(&env, &["idea", "list"]);
    assert_eq!(ideas[0]["status"], "published");
    assert_eq!(ideas[0]["lead"], "acme-corp");
    assert_eq!(ideas[0]["link"], "https://acme.example/onboarding");
}

#[test]
fn wins_credit_people_across_departments_and_list_deals_won() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Acme Corp", "--value", "12000"]);
    let h = env.run(&[
        "--as",
        "maria",
        "--today",
        "2026-11-20T13:00",
        "-q",
        "handoff",
        "acme",
        "--to",
        "tom",
    ]);
    env.run(&[
        "--as",
        "tom",
        "--today",
        "2026-11-20T14:00",
        "handoff",
        "accept",
        h.trim(),
    ]);
    env.run(&[
        "--as",
        "tom",
        "--today",
        "2026-11-21",
        "lead",
        "stage",
        "acme",
        "won",
    ]);
    env.run(&[
        "--as",
        "maria",
        "--today",
        "2026-11-22",
        "win",
        "Renewal saved by the whole team",
        "--credit",
        "ana,tom,maria",
    ]);
    let wins = json(&env, &["win", "list"]);
    assert_eq!(wins.len(), 2);
    assert_eq!(wins[0]["kind"], "shout-out");
    assert_eq!(
        wins[0]["credit"],
        serde_json::json!(["ana", "tom", "maria"])
    );
    assert_eq!(
        wins[0]["departments"],
        serde_json::json!(["account-management", "marketing", "sales"])
    );
    assert_eq!(wins[1]["kind"], "deal");
    assert_eq!(wins[1]["text"], "Acme Corp won (12,000 USD)");
    assert_eq!(wins[1]["credit"], serde_json::json!(["maria", "tom"]));
    assert_eq!(
        json(&env, &["win", "list", "--since", "2026-11-22"]).len(),
        1
    );
    let out = env
        .cmd()
        .args(["--as", "maria", "win", "Nice"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = env
        .cmd()
        .args(["--as", "maria", "win", "Nice", "--credit", "tmo"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `tom`?"));
}

#[test]
fn actions_have_owners_due_dates_and_are_done_once() {
    let env = TestEnv::new();
    let late = env.run(&[
        "--as",
        "maria",
        "--today",
        "2026-11-20",
        "-q",
        "action",
        "add",
        "Send pricing",
        "--owner",
        "tom",
        "--due",
        "2026-11-24",
    ]);
    env.run(&[
        "--as",
        "maria",
        "--today",
        "2026-11-20",
        "action",
        "add",
        "Book the offsite",
        "--owner",
        "ana",
    ]);
    let list = json(&env, &["--today", "2026-11-25", "action", "list"]);
    assert_eq!(list[0]["status"], "overdue");
    assert_eq!(list[0]["owner"], "tom");
    env.run(&[
        "--as",
        "tom",
        "--today",
        "2026-11-25",
        "action",
        "done",
        late.trim(),
    ]);
    assert_eq!(
        json(&env, &["--today", "2026-11-25", "action", "list", "--open"]).len(),
        1
    );
    // Done again: nothing to record, and not an error (as for a lead's stage).
    let before = env.snapshot_files();
    let out = env
        .cmd()
        .args(["--as", "tom", "action", "done", late.trim()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("done already; nothing to record"));
    assert_eq!(env.snapshot_files(), before);
    let out = env
        .cmd()
        .args([
            "--as",
            "tom",
            "action",
            "add",
            "x",
            "--owner",
            "tom",
            "--due",
            "next week",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// With a frozen `--today`, entries recorded one after another are stamped a millisecond
/// apart (causality); a report as of that same moment still shows all of them.
#[test]
fn what_was_just_recorded_shows_with_a_frozen_clock() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Acme Corp"]);
    env.maria(&["lead", "add", "Globex"]);
    env.maria(&["win", "Signed the Initech pilot", "--credit", "tom"]);
    let wins: Vec<serde_json::Value> =
        serde_json::from_str(&env.maria(&["win", "list", "--format", "json"])).unwrap();
    assert!(
        wins.iter().any(|w| w["text"] == "Signed the Initech pilot"),
        "{wins:#?}"
    );
}
