//! `growth undo`: every kind of entry taken back by an ordinary reverting entry, an undo
//! undone (a redo), and an undo merged through git with a concurrent change.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::common::TestEnv;
use crate::common::fleet::{Fleet, journal_entries};

/// Reads happen after every write (each write is a minute after the one before, from 10:00).
const NOW: &str = "2026-11-20 18:00";

/// A workspace and the ids of entries seen so far, to name what each command wrote.
struct Book {
    env: TestEnv,
    seen: BTreeSet<String>,
    minute: u32,
}

impl Book {
    fn new() -> Book {
        let env = TestEnv::new();
        env.run(&[
            "--as",
            "maria",
            "--today",
            "2026-11-19",
            "lead",
            "add",
            "Acme Corp",
        ]);
        let seen = journal_entries(&env.ws).into_iter().map(|e| e.0).collect();
        Book {
            env,
            seen,
            minute: 0,
        }
    }

    /// Runs growth as `who`; returns (stdout, the first entry it wrote).
    fn record(&mut self, who: &str, args: &[&str]) -> (String, String) {
        self.minute += 1;
        let now = format!(
            "2026-11-20 {:02}:{:02}",
            10 + self.minute / 60,
            self.minute % 60
        );
        let mut all = vec!["--as", who, "--today", &now];
        all.extend_from_slice(args);
        let out = self.env.run(&all);
        let new: Vec<(String, String)> = journal_entries(&self.env.ws)
            .into_iter()
            .filter(|e| self.seen.insert(e.0.clone()))
            .collect();
        // The entry that says what the command did (a meeting record may open the
        // meeting first; a decision may move the lead too).
        let main = new
            .iter()
            .find(|(_, kind)| !kind.ends_with(".open") && kind != "lead.stage")
            .or(new.first())
            .unwrap_or_else(|| panic!("growth {args:?} wrote an entry"));
        (out, main.0.clone())
    }

    fn undo(&mut self, who: &str, entry: &str) -> String {
        self.record(who, &["undo", entry]).1
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--today", NOW];
        all.extend_from_slice(args);
        all.extend(["--format", "json"]);
        serde_json::from_str(&self.env.run(&all)).unwrap()
    }

    fn find(&self, args: &[&str], id: &str) -> Option<Value> {
        self.json(args)
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .cloned()
    }

    fn lead(&self) -> Value {
        self.json(&["lead", "show", "acme-corp"])
    }
}

fn created(out: &str) -> String {
    let v: Value = serde_json::from_str(out).unwrap();
    v["id"].as_str().unwrap().to_string()
}

#[test]
fn undoing_lead_entries_sets_back_what_they_changed() {
    let mut b = Book::new();
    let (_, add) = b.record("maria", &["lead", "add", "Globex"]);
    b.undo("maria", &add);
    assert!(b.find(&["lead", "list"], "globex").is_none(), "archived");

    let (_, stage) = b.record("maria", &["lead", "stage", "acme-corp", "mql"]);
    assert_eq!(b.lead()["stage"], "mql");
    let undo = b.undo("maria", &stage);
    assert_eq!(b.lead()["stage"], "new", "back to the previous stage");
    b.undo("maria", &undo);
    assert_eq!(b.lead()["stage"], "mql", "undoing the undo redoes");

    let (_, qualify) = b.record(
        "maria",
        &[
            "lead",
            "qualify",
            "acme-corp",
            "--met",
            "budget,need,timeline",
        ],
    );
    assert_eq!(b.lead()["met"].as_array().unwrap().len(), 3);
    b.undo("maria", &qualify);
    let lead = b.lead();
    assert_eq!(lead["met"], serde_json::json!([]), "{lead}");
    assert_eq!(lead["stage"], "mql");
    b.record("maria", &["lead", "edit", "acme-corp", "--value", "9000"]);
    let (_, edit) = b.record("maria", &["lead", "edit", "acme-corp", "--value", "12000"]);
    assert_eq!(b.lead()["value"], 12000.0);
    b.undo("maria", &edit);
    assert_eq!(b.lead()["value"], 9000.0);
}

#[test]
fn undoing_a_first_value_clears_it() {
    let mut b = Book::new();
    let (_, edit) = b.record("maria", &["lead", "edit", "acme-corp", "--value", "9000"]);
    b.undo("maria", &edit);
    assert_eq!(b.lead()["value"], Value::Null);
}

#[test]
fn undoing_handoff_entries_reopens_and_withdraws() {
    let mut b = Book::new();
    let args = ["handoff", "acme-corp", "--to", "tom", "--format", "json"];
    let (out, create) = b.record("maria", &args);
    let h = created(&out);
    b.undo("maria", &create);
    let listed = b.find(&["handoff", "list"], &h);
    assert!(
        listed.as_ref().is_none_or(|h| h["status"] != "pending"),
        "a withdrawn handoff waits on nobody: {listed:?}"
    );

    let (out, _) = b.record(
        "maria",
        &[
            "handoff",
            "acme-corp",
            "--to",
            "tom",
            "--force",
            "--format",
            "json",
        ],
    );
    let h = created(&out);
    let (_, accept) = b.record("tom", &["handoff", "accept", &h]);
    assert_eq!(b.lead()["stage"], "sql");
    b.undo("tom", &accept);
    assert_eq!(
        b.find(&["handoff", "list"], &h).unwrap()["status"],
        "pending"
    );
    assert_eq!(b.lead()["stage"], "new", "the lead goes back too");

    let (_, reject) = b.record("tom", &["handoff", "reject", &h, "--reason", "no-budget"]);
    assert_eq!(
        b.find(&["handoff", "list"], &h).unwrap()["status"],
        "rejected"
    );
    b.undo("tom", &reject);
    let after = b.find(&["handoff", "list"], &h).unwrap();
    assert_eq!(after["status"], "pending");
    assert_eq!(after["reason"], Value::Null);

    b.record("tom", &["handoff", "accept", &h]);
    let (_, contact) = b.record("tom", &["handoff", "contact", &h]);
    assert!(b.find(&["handoff", "list"], &h).unwrap()["contacted_at"].is_string());
    b.undo("tom", &contact);
    let after = b.find(&["handoff", "list"], &h).unwrap();
    assert_eq!(after["contacted_at"], Value::Null);
    assert_eq!(after["status"], "accepted");
}

#[test]
fn undoing_feedback_ideas_wins_and_actions() {
    let mut b = Book::new();
    let (out, add) = b.record("ana", &["feedback", "too many slides", "--format", "json"]);
    let f = created(&out);
    b.undo("ana", &add);
    assert!(b.find(&["feedback", "list"], &f).is_none(), "withdrawn");
    let (out, _) = b.record("ana", &["feedback", "more demos", "--format", "json"]);
    let f = created(&out);
    let (_, resolve) = b.record("maria", &["feedback", "resolve", &f]);
    b.undo("maria", &resolve);
    assert_eq!(b.find(&["feedback", "list"], &f).unwrap()["status"], "open");

    let (out, add) = b.record("tom", &["idea", "pricing FAQ", "--format", "json"]);
    let idea = created(&out);
    let (_, status) = b.record("tom", &["idea", "status", &idea, "planned"]);
    b.undo("tom", &status);
    assert_eq!(b.find(&["idea", "list"], &idea).unwrap()["status"], "idea");
    b.undo("tom", &add);
    let dropped = b.find(&["idea", "list"], &idea);
    assert!(
        dropped.as_ref().is_none_or(|i| i["status"] == "dropped"),
        "{dropped:?}"
    );

    let (out, win) = b.record(
        "maria",
        &["win", "first deal", "--credit", "tom", "--format", "json"],
    );
    let w = created(&out);
    b.undo("maria", &win);
    assert!(b.find(&["win", "list"], &w).is_none(), "retracted");

    let (out, add) = b.record(
        "maria",
        &[
            "action",
            "add",
            "send deck",
            "--owner",
            "tom",
            "--format",
            "json",
        ],
    );
    let a = created(&out);
    let (_, done) = b.record("tom", &["action", "done", &a]);
    b.undo("tom", &done);
    assert_eq!(b.find(&["action", "list"], &a).unwrap()["status"], "open");
    b.undo("maria", &add);
    let open = b.json(&["action", "list", "--open"]);
    assert!(
        !open.to_string().contains(&a),
        "a cancelled action is not open: {open}"
    );
}

#[test]
fn undoing_goal_and_meeting_entries() {
    let mut b = Book::new();
    let (_, add) = b.record(
        "maria",
        &[
            "goal",
            "add",
            "Partner calls",
            "--metric",
            "manual",
            "--target",
            "10",
            "--from",
            "2026-10-01",
            "--to",
            "2026-12-31",
        ],
    );
    let actual = |b: &Book| {
        b.json(&["progress", "--goal", "partner-calls"])["rows"][0]["actual"]
            .as_f64()
            .unwrap()
    };
    b.record("maria", &["goal", "checkin", "partner-calls", "4"]);
    let (_, checkin) = b.record("maria", &["goal", "checkin", "partner-calls", "7"]);
    assert_eq!(actual(&b), 7.0);
    b.undo("maria", &checkin);
    assert_eq!(actual(&b), 4.0, "the check-in before counts again");
    b.undo("maria", &add);
    assert!(
        b.find(&["goal", "list"], "partner-calls").is_none(),
        "archived"
    );

    let meeting = ["meeting", "show", "2026-11-16"];
    b.record(
        "maria",
        &[
            "meeting",
            "record",
            "--date",
            "2026-11-16",
            "--attendee",
            "maria",
            "--note",
            "kept",
        ],
    );
    let (_, note) = b.record(
        "tom",
        &[
            "meeting",
            "record",
            "--date",
            "2026-11-16",
            "--note",
            "typo",
        ],
    );
    let (_, pulse) = b.record(
        "tom",
        &[
            "meeting",
            "record",
            "--date",
            "2026-11-16",
            "--pulse",
            "tom=2",
        ],
    );
    assert_eq!(b.json(&meeting)["notes"].as_array().unwrap().len(), 2);
    b.undo("tom", &note);
    b.undo("tom", &pulse);
    let shown = b.json(&meeting);
    let notes: Vec<&str> = shown["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["text"].as_str().unwrap())
        .collect();
    assert_eq!(notes, ["kept"]);
    assert_eq!(shown["pulse"], serde_json::json!([]), "{shown}");
}

#[test]
fn an_undo_merged_with_a_concurrent_stage_change_is_a_conflict_in_both_clones() {
    let fleet = Fleet::new(2);
    fleet.as_on(
        0,
        "maria",
        "2026-11-16 09:00",
        &["lead", "add", "Acme Corp"],
    );
    fleet.as_on(
        0,
        "maria",
        "2026-11-16 09:10",
        &["lead", "stage", "acme-corp", "mql"],
    );
    fleet.exchange("2026-11-16 09:30");
    let log = fleet.json(
        0,
        "2026-11-16 09:30",
        &["log", "--record", "acme-corp", "--count", "1"],
    );
    let stage_entry = log[0]["entry"].as_str().unwrap().to_string();
    assert_eq!(log[0]["kind"], "lead.stage");
    // Concurrently: clone 0 takes the stage change back, clone 1 moves the lead on.
    fleet.as_on(0, "maria", "2026-11-16 10:00", &["undo", &stage_entry]);
    fleet.as_on(
        1,
        "tom",
        "2026-11-16 10:05",
        &["lead", "stage", "acme-corp", "sql"],
    );
    fleet.exchange("2026-11-16 11:00");
    for i in 0..2 {
        let conflicts = fleet.conflicts(i, "2026-11-16 11:00");
        let stage = conflicts
            .iter()
            .find(|(r, f, _)| r == "acme-corp" && f == "stage")
            .unwrap_or_else(|| panic!("clone {i}: a stage conflict in {conflicts:?}"));
        let values: BTreeSet<&str> = stage.2.iter().map(String::as_str).collect();
        assert_eq!(values, BTreeSet::from(["new", "sql"]), "clone {i}");
    }
}

#[test]
fn member_entries_are_in_the_log_and_can_be_undone() {
    let env = TestEnv::new();
    env.run(&[
        "--as", "maria", "--today", NOW, "member", "add", "lea", "--name", "Lea", "--dept", "sales",
    ]);
    let log: Value = serde_json::from_str(
        &env.run(&["--today", NOW, "log", "--record", "lea", "--format", "json"]),
    )
    .unwrap();
    let entry = log[0]["entry"]
        .as_str()
        .expect("the member.add in the log")
        .to_string();
    env.run(&["--as", "maria", "--today", NOW, "undo", &entry]);
}

/// Undo folds only the entries of the records it takes back (and their lead or handoffs,
/// retractions and members), not the whole journal (#16): for every entry of a journal of
/// every kind, two leads and their handoffs, notes retracted and undos undone, what it
/// would record equals what the fold of every entry before it gives.
#[test]
fn undo_sees_each_record_as_the_whole_fold_has_it() {
    let mut b = Book::new();
    b.record("maria", &["lead", "add", "Globex", "--value", "500"]);
    b.record(
        "maria",
        &[
            "lead",
            "edit",
            "acme-corp",
            "--value",
            "900",
            "--note",
            "call",
        ],
    );
    b.record("maria", &["lead", "edit", "globex", "--owner", "tom"]);
    b.record("maria", &["lead", "stage", "acme-corp", "mql"]);
    let (out, _) = b.record(
        "maria",
        &["handoff", "acme-corp", "--to", "tom", "--format", "json"],
    );
    let first = created(&out);
    b.record(
        "tom",
        &["handoff", "reject", &first, "--reason", "no-budget"],
    );
    let (out, _) = b.record(
        "maria",
        &[
            "handoff",
            "acme-corp",
            "--to",
            "tom",
            "--force",
            "--format",
            "json",
        ],
    );
    let second = created(&out);
    let (_, accept) = b.record("tom", &["handoff", "accept", &second]);
    b.record("tom", &["handoff", "contact", &second]);
    let (out, _) = b.record(
        "maria",
        &["handoff", "globex", "--to", "ana", "--format", "json"],
    );
    let other = created(&out);
    b.record("ana", &["handoff", "accept", &other]);
    let undo = b.undo("tom", &accept);
    b.undo("tom", &undo);
    b.record("maria", &["lead", "stage", "globex", "won"]);
    let (out, _) = b.record("ana", &["feedback", "more demos", "--format", "json"]);
    let f = created(&out);
    b.record("maria", &["feedback", "resolve", &f]);
    let (out, _) = b.record(
        "tom",
        &[
            "idea",
            "pricing FAQ",
            "--lead",
            "acme-corp",
            "--format",
            "json",
        ],
    );
    let idea = created(&out);
    b.record("tom", &["idea", "status", &idea, "planned"]);
    b.record("maria", &["win", "first deal", "--credit", "tom"]);
    let (out, _) = b.record(
        "maria",
        &[
            "action",
            "add",
            "send deck",
            "--owner",
            "tom",
            "--format",
            "json",
        ],
    );
    let a = created(&out);
    b.record("tom", &["action", "done", &a]);
    b.record(
        "maria",
        &[
            "goal",
            "add",
            "Partner calls",
            "--metric",
            "manual",
            "--target",
            "10",
            "--from",
            "2026-10-01",
            "--to",
            "2026-12-31",
        ],
    );
    let (_, checkin) = b.record("maria", &["goal", "checkin", "partner-calls", "4"]);
    b.undo("maria", &checkin);
    let (_, note) = b.record(
        "maria",
        &[
            "meeting",
            "record",
            "--date",
            "2026-11-16",
            "--attendee",
            "maria",
            "--note",
            "typo",
        ],
    );
    let retract = b.undo("maria", &note);
    b.undo("maria", &retract);
    b.record(
        "maria",
        &["member", "add", "lea", "--name", "Lea", "--dept", "sales"],
    );

    let ws = growth::store::Workspace::open(&b.env.ws).unwrap();
    let config = &ws.loaded.config;
    let entries = growth::store::load::all_entries(&ws.root).unwrap();
    assert!(entries.len() > 30, "{} entries", entries.len());
    let mut whole = growth::model::state::State::default();
    for (_, located) in &entries {
        let target = &located.entry;
        let scoped = growth::store::load::state_before(&ws.loaded, &ws.root, target)
            .unwrap()
            .unwrap_or_else(|| panic!("entry {:?} found", target.id));
        assert_eq!(
            growth::model::undo::inverse(&scoped, target, config),
            growth::model::undo::inverse(&whole, target, config),
            "undo of {} ({})",
            growth::model::causal::format_id(target.id),
            target.change.kind(),
        );
        let _ = whole.apply(target, config);
    }
}
