//! `growth action edit` and the `action.edit` entry: a reassignment is one change that
//! keeps the action's id, added date and carried count; two clones reassigning differently
//! conflict until someone settles it; an edit can be taken back.

use crate::common::TestEnv;
use crate::common::fleet::Fleet;

/// The action with `id` in `growth action list --format json`.
fn action(env: &TestEnv, id: &str) -> serde_json::Value {
    let list: serde_json::Value = serde_json::from_str(&env.run(&[
        "--today",
        "2026-11-30",
        "action",
        "list",
        "--format",
        "json",
    ]))
    .unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("action {id} in {list}"))
}

fn added(env: &TestEnv) -> String {
    let added: serde_json::Value = serde_json::from_str(&env.run(&[
        "--as",
        "maria",
        "--today",
        "2026-11-16T11:00",
        "action",
        "add",
        "Send the pricing sheet",
        "--owner",
        "tom",
        "--due",
        "2026-11-20",
        "--format",
        "json",
    ]))
    .unwrap();
    added["id"].as_str().unwrap().to_string()
}

#[test]
fn a_reassign_keeps_the_id_the_added_date_and_the_carried_count() {
    let env = TestEnv::new();
    let id = added(&env);
    env.run(&[
        "--as",
        "maria",
        "--today",
        "2026-11-23T10:45",
        "meeting",
        "record",
        "--date",
        "2026-11-23",
        "--attendee",
        "maria",
    ]);
    let before = action(&env, &id);
    let out = env.run(&[
        "--as",
        "maria",
        "--today",
        "2026-11-26",
        "action",
        "edit",
        &id[..5],
        "--owner",
        "ana",
    ]);
    assert_eq!(
        out.trim(),
        format!("action {id}: reassigned tom → ana"),
        "{out}"
    );
    let after = action(&env, &id);
    assert_eq!(after["owner"], "ana");
    for key in ["id", "at", "by", "text", "due"] {
        assert_eq!(after[key], before[key], "{key} kept");
    }
    let agenda = env.run(&["--today", "2026-11-29", "agenda", "--date", "2026-11-30"]);
    assert!(
        agenda.contains("owner ana, due 2026-11-20, carried 1 meeting"),
        "{agenda}"
    );
    let log = env.run(&["--today", "2026-11-30", "log", "--format", "json"]);
    assert_eq!(
        log.matches("\"action.edit\"").count(),
        1,
        "one change: {log}"
    );
    assert!(!log.contains("action.status"), "not cancelled: {log}");
}

#[test]
fn due_and_text_change_and_the_due_date_can_be_removed() {
    let env = TestEnv::new();
    let id = added(&env);
    let json: serde_json::Value = serde_json::from_str(&env.run(&[
        "--as",
        "tom",
        "--today",
        "2026-11-26",
        "action",
        "edit",
        &id,
        "--due",
        "2026-12-04",
        "--text",
        "Send the revised pricing sheet",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(json["due"], "2026-12-04");
    assert_eq!(json["text"], "Send the revised pricing sheet");
    assert_eq!(json["status"], "open");
    env.run(&[
        "--as",
        "tom",
        "--today",
        "2026-11-26",
        "action",
        "edit",
        &id,
        "--no-due",
    ]);
    assert_eq!(action(&env, &id)["due"], serde_json::Value::Null);
    env.run(&["--as", "tom", "--today", "2026-11-26", "check"]);
}

#[test]
fn an_edit_without_a_change_or_with_an_unknown_owner_is_refused() {
    let env = TestEnv::new();
    let id = added(&env);
    let before = crate::common::files_under(&env.ws);
    for (args, says) in [
        (
            vec!["action", "edit", id.as_str()],
            "needs something to change",
        ),
        (vec!["action", "edit", id.as_str(), "--owner", "zed"], "zed"),
        (vec!["action", "edit", "zzzzzz", "--owner", "ana"], "zzzzzz"),
    ] {
        let out = env
            .cmd()
            .args(["--as", "maria", "--today", "2026-11-26"])
            .args(&args)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(err.contains("hint:"), "{args:?}: {err}");
    }
    assert_eq!(
        crate::common::files_under(&env.ws),
        before,
        "nothing written"
    );
}

#[test]
fn undo_of_an_edit_puts_the_owner_and_due_date_back() {
    let env = TestEnv::new();
    let id = added(&env);
    env.run(&[
        "--as",
        "maria",
        "--today",
        "2026-11-26",
        "action",
        "edit",
        &id,
        "--owner",
        "ana",
        "--no-due",
    ]);
    let log: serde_json::Value = serde_json::from_str(&env.run(&[
        "--today",
        "2026-11-26",
        "log",
        "--record",
        &id,
        "--format",
        "json",
    ]))
    .unwrap();
    let entry = log[0]["entry"].as_str().unwrap();
    let undone = env.run(&["--as", "maria", "--today", "2026-11-26", "undo", entry]);
    assert!(undone.contains("action.edit"), "{undone}");
    let back = action(&env, &id);
    assert_eq!(back["owner"], "tom");
    assert_eq!(back["due"], "2026-11-20");
}

#[test]
fn two_clones_reassigning_to_different_owners_conflict_until_resolved() {
    const DAY: &str = "2026-11-16 09:00";
    const LATER: &str = "2026-11-16 12:00";
    let fleet = Fleet::new(2);
    let added = fleet.json(
        0,
        DAY,
        &[
            "--as",
            "maria",
            "action",
            "add",
            "Call Acme",
            "--owner",
            "tom",
        ],
    );
    let id = added["id"].as_str().unwrap().to_string();
    fleet.exchange(DAY);
    fleet.as_on(
        0,
        "maria",
        "2026-11-16 10:00",
        &["action", "edit", &id, "--owner", "ana"],
    );
    fleet.as_on(
        1,
        "tom",
        "2026-11-16 10:30",
        &["action", "edit", &id, "--owner", "maria"],
    );
    fleet.exchange(LATER);
    let mut picked = String::new();
    for i in 0..2 {
        let conflicts = fleet.conflicts(i, LATER);
        let owner = conflicts
            .iter()
            .find(|(r, f, _)| *r == id && f == "owner")
            .unwrap_or_else(|| panic!("clone {i}: an owner conflict in {conflicts:?}"));
        picked = owner.2[0].clone();
        let mut values = owner.2.clone();
        values.sort();
        assert_eq!(values, ["ana", "maria"], "clone {i}");
    }
    let settled = fleet.as_on(0, "maria", LATER, &["resolve", &id, "owner", "--pick", "1"]);
    assert!(settled.contains("the conflict is settled"), "{settled}");
    fleet.exchange(LATER);
    for i in 0..2 {
        assert!(fleet.conflicts(i, LATER).is_empty(), "clone {i}: settled");
        let list = fleet.json(i, LATER, &["action", "list"]);
        let a = list
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id.as_str())
            .unwrap();
        assert_eq!(a["owner"], picked.as_str(), "clone {i}: the picked owner");
    }
}
