//! `growth status`: a member's plate in examples/acme at a fixed date, as a table (wide
//! and 60 columns) and as JSON; counts checked by hand; bare `growth` shows it once growth
//! knows who you are, and the getting-started text otherwise.

use std::path::{Path, PathBuf};

use crate::common::TestEnv;

const TODAY: &str = "2026-11-30";

/// examples/acme copied into the env's workspace folder, so no cache lands in the repository.
fn acme() -> TestEnv {
    let env = TestEnv::empty();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    for (rel, bytes) in crate::common::files_under(&example) {
        let path: PathBuf = env.ws.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    env
}

fn status(env: &TestEnv, member: &str, columns: &str, extra: &[&str]) -> String {
    let out = env
        .cmd()
        .env("COLUMNS", columns)
        .args(["--today", TODAY, "--as", member, "status"])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(env: &TestEnv, member: &str) -> serde_json::Value {
    serde_json::from_str(&status(env, member, "100", &["--format", "json"])).unwrap()
}

#[test]
fn status_of_three_members_of_the_example() {
    let env = acme();
    for member in ["tom", "priya", "lukas"] {
        insta::assert_snapshot!(
            format!("status_{member}_table"),
            status(&env, member, "120", &[])
        );
        insta::assert_snapshot!(
            format!("status_{member}_json"),
            status(&env, member, "120", &["--format", "json"])
        );
    }
    insta::assert_snapshot!("status_tom_table_60", status(&env, "tom", "60", &[]));
}

#[test]
fn narrow_terminals_keep_every_line_within_60_columns() {
    let env = acme();
    for member in ["tom", "priya", "lukas", "maria", "henrik"] {
        let text = status(&env, member, "60", &[]);
        for line in text.lines() {
            let width = unicode_width::UnicodeWidthStr::width(line);
            assert!(width <= 60, "{member}: {width} columns: {line}");
        }
    }
}

#[test]
fn counts_match_the_handoff_list_by_hand() {
    let env = acme();
    // `growth handoff list` on 2026-11-30: pending to tom are atlas-fleet-telematics (from
    // jonas) and mariner-dental-labs (from priya); vantage-point-staffing was accepted by
    // tom with no first contact yet.
    let tom = json(&env, "tom");
    let decide: Vec<&str> = tom["decide"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["lead"].as_str().unwrap())
        .collect();
    assert_eq!(decide, ["atlas-fleet-telematics", "mariner-dental-labs"]);
    assert!(tom["decide"][0]["clock"]["overdue"].as_bool().unwrap());
    // Atlas: handed off 6 days ago, 34 business hours run against 4.
    assert_eq!(tom["decide"][0]["clock"]["remaining_minutes"], -30 * 60);
    assert_eq!(tom["contact"][0]["lead"], "vantage-point-staffing");
    assert_eq!(tom["actions"].as_array().unwrap().len(), 1);
    assert_eq!(tom["next_meeting"]["role"], "attendee");

    // priya made three handoffs still open: two wait for a decision, one for a contact.
    let priya = json(&env, "priya");
    let waiting = priya["waiting_on_others"].as_array().unwrap();
    assert_eq!(waiting.len(), 3);
    assert_eq!(
        waiting
            .iter()
            .filter(|h| h["waiting_for"] == "decision")
            .count(),
        2
    );
    assert_eq!(priya["decide"].as_array().unwrap().len(), 0);

    // maria facilitates the meeting of 2026-12-07, lukas takes the notes.
    assert_eq!(json(&env, "maria")["next_meeting"]["role"], "facilitator");
    assert_eq!(json(&env, "lukas")["next_meeting"]["role"], "note-taker");
}

#[test]
fn clocks_read_like_the_handoff_list_at_the_same_moment() {
    let env = acme();
    // Atlas (edp5gbh02v): 34 business hours run against 4. Status said "late 30h" (past
    // the limit) where `handoff list` said "LATE 34h/4h" (run of the limit).
    let list = env
        .cmd()
        .env("COLUMNS", "250")
        .args(["--today", TODAY, "handoff", "list", "--pending"])
        .output()
        .unwrap();
    let list = String::from_utf8(list.stdout).unwrap();
    let tom = status(&env, "tom", "100", &[]);
    let lukas = status(&env, "lukas", "100", &[]);
    let maria = status(&env, "maria", "100", &[]);
    for (id, cell, plate) in [
        ("edp5gbh02v", "LATE 34h/4h", &tom),
        ("08sy4c5rwz", "LATE 14h/4h", &tom),
        ("64enhzpm5d", "LATE 11h 30m/4h", &lukas),
        ("64enhzpm5d", "LATE 11h 30m/4h", &maria),
    ] {
        let in_list = list.lines().find(|l| l.starts_with(id)).unwrap();
        assert!(in_list.contains(cell), "{in_list}");
        let on_plate = plate.lines().find(|l| l.starts_with(id)).unwrap();
        assert!(on_plate.contains(cell), "{on_plate}");
    }
    // The first contact clock the same way: 69h 30m run of 8h.
    let contact = tom.lines().find(|l| l.starts_with("xfqxj6y5cx")).unwrap();
    assert!(contact.contains("LATE 69h 30m/8h"), "{contact}");
    // No handoff row speaks of time past the limit ("late 30h") any more.
    for id in ["edp5gbh02v", "08sy4c5rwz", "xfqxj6y5cx"] {
        let row = tom.lines().find(|l| l.starts_with(id)).unwrap();
        assert!(!row.contains("late "), "{row}");
    }
}

#[test]
fn an_empty_plate_says_so() {
    let env = acme();
    let henrik = status(&env, "henrik", "100", &[]);
    assert!(henrik.contains("Nothing waits on you"), "{henrik}");
    assert!(
        henrik.contains("Next meeting: Mon 2026-12-07 10:00 CET"),
        "{henrik}"
    );
    assert_eq!(json(&env, "henrik")["empty"], true);
}

#[test]
fn a_decision_takes_the_handoff_off_the_plate() {
    let env = acme();
    env.run(&[
        "--today",
        TODAY,
        "--as",
        "tom",
        "handoff",
        "accept",
        "08sy4c5rwz",
    ]);
    let tom = json(&env, "tom");
    assert_eq!(tom["decide"].as_array().unwrap().len(), 1);
    // Accepted, it now waits for tom's first contact instead.
    let contact: Vec<&str> = tom["contact"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert!(contact.contains(&"08sy4c5rwz"), "{contact:?}");
}

#[test]
fn bare_growth_shows_the_plate_once_growth_knows_who_you_are() {
    let env = acme();
    let bare = |user: Option<&str>| {
        let mut cmd = env.cmd();
        cmd.env("COLUMNS", "100").args(["--today", TODAY]);
        if let Some(u) = user {
            cmd.env("GROWTH_USER", u);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(bare(Some("tom")), status(&env, "tom", "100", &[]));
    // In a workspace that does not know who you are: how to say so, with the members.
    let unknown = bare(None);
    assert!(
        unknown.contains("This is the growth workspace of Acme Growth"),
        "{unknown}"
    );
    assert!(unknown.contains("growth whoami --set ID"), "{unknown}");
    assert!(unknown.contains("tom"), "{unknown}");
    assert!(!unknown.contains("growth init"), "{unknown}");
    // Outside any workspace: the getting-started text too.
    let out = assert_cmd::Command::new(crate::common::BIN)
        .env_clear()
        .env("HOME", &env.home)
        .env("GROWTH_USER", "tom")
        .current_dir(&env.home)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Getting started"));
}

#[test]
fn status_refuses_csv_and_an_unknown_member() {
    let env = acme();
    let out = env
        .cmd()
        .args(["--today", TODAY, "--as", "tom", "status", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = env
        .cmd()
        .args(["--today", TODAY, "--as", "zed", "status"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("zed") && err.contains("hint:"), "{err}");
}

/// A conflict reaches the plates of who recorded a value and who owns the record, no one
/// else's. Two clones (two devices) set one lead's value at once; the second clone's
/// journal file then arrives as `git pull` would bring it.
#[test]
fn a_conflict_is_on_the_plate_of_who_set_a_value_and_who_owns_the_record() {
    let env = acme();
    let other = tempfile::tempdir().unwrap();
    for (rel, bytes) in crate::common::files_under(&env.ws) {
        let path = other.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    // tom owns lindqvist-mobel; on his clone he sets its value, on another clone jonas
    // sets a different one, neither having seen the other.
    env.run(&[
        "--today",
        TODAY,
        "--as",
        "tom",
        "lead",
        "edit",
        "lindqvist-mobel",
        "--value",
        "41000",
    ]);
    let mut cmd = assert_cmd::Command::new(crate::common::BIN);
    crate::common::pin_env(&mut cmd, &env.home);
    let out = cmd
        .arg("-C")
        .arg(other.path())
        .args([
            "--today",
            TODAY,
            "--as",
            "jonas",
            "lead",
            "edit",
            "lindqvist-mobel",
            "--value",
            "39000",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pulled: Vec<PathBuf> = crate::common::files_under(other.path())
        .into_keys()
        .filter(|p| p.to_string_lossy().contains("jonas-"))
        .filter(|p| !env.ws.join(p).exists())
        .collect();
    assert_eq!(pulled.len(), 1, "jonas's new journal file: {pulled:?}");
    for rel in &pulled {
        std::fs::create_dir_all(env.ws.join(rel).parent().unwrap()).unwrap();
        std::fs::copy(other.path().join(rel), env.ws.join(rel)).unwrap();
    }
    for (member, expected) in [("tom", 1), ("jonas", 1), ("priya", 0)] {
        let plate = json(&env, member);
        let conflicts = plate["conflicts"].as_array().unwrap();
        assert_eq!(conflicts.len(), expected, "{member}: {plate}");
        if expected == 1 {
            assert_eq!(conflicts[0]["record"], "lead/lindqvist-mobel", "{plate}");
            assert_eq!(conflicts[0]["field"], "value", "{plate}");
        }
    }
    let text = status(&env, "jonas", "100", &[]);
    assert!(text.contains("lindqvist-mobel"), "{text}");
    assert!(
        text.contains("growth resolve"),
        "says how to settle it: {text}"
    );
}
