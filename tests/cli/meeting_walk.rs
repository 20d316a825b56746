//! The facilitator's walk-through on a pseudo-terminal (`meeting start`): Ctrl-C never traps,
//! a resumed meeting skips what is finished, the items in front of the team are acted on
//! through the commands' own rules; the interactive `handoff`; and the minutes' changes.

use std::process::Command;
use std::time::Duration;

use expectrl::Expect;
use expectrl::session::OsSession as Session;

use crate::common::{BIN, TestEnv};

const DOWN: &str = "\u{1b}[B";

fn spawn(env: &TestEnv, args: &[&str]) -> Session {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", &env.home)
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .args(["-C", env.ws.to_str().unwrap(), "--as", "maria"])
        .args(args);
    let mut p = expectrl::Session::spawn(cmd).unwrap();
    p.set_expect_timeout(Some(Duration::from_secs(20)));
    p
}

fn start(env: &TestEnv) -> Session {
    spawn(env, &["--today", "2026-11-30T10:05", "meeting", "start"])
}

fn pause() {
    std::thread::sleep(Duration::from_millis(250));
}

/// Sends keys after a short pause: dialoguer draws, then reads.
fn send(p: &mut Session, keys: &str) {
    pause();
    p.send(keys).unwrap();
}

/// Everything printed until the process ends, and its exit code.
fn finish(mut p: Session) -> (String, i32) {
    let rest = p.expect(expectrl::Eof).unwrap();
    let mut bytes = rest.before().to_vec();
    for m in rest.matches() {
        bytes.extend_from_slice(m);
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let code = match p.get_process().wait().unwrap() {
        expectrl::process::unix::WaitStatus::Exited(_, code) => code,
        other => panic!("not exited: {other:?}"),
    };
    (text, code)
}

#[test]
fn ctrl_c_in_a_select_restores_the_cursor_and_says_how_to_resume() {
    let env = TestEnv::new();
    let mut p = start(&env);
    p.expect("Who is here?").unwrap();
    send(&mut p, "\r");
    p.expect("1. Celebrations").unwrap();
    // The select hides the cursor before drawing this question.
    p.expect("What now?").unwrap();
    send(&mut p, "\u{3}");
    let (rest, code) = finish(p);
    assert!(
        rest.contains("\u{1b}[?25h"),
        "cursor not shown again: {rest:?}"
    );
    assert!(
        rest.contains("interrupted; saved: attendance (3)"),
        "{rest}"
    );
    assert!(
        rest.contains("resume with: growth meeting start --date 2026-11-30"),
        "{rest}"
    );
    assert!(!rest.contains("error:"), "an interrupt is no error: {rest}");
    assert_eq!(code, 130);
}

#[test]
fn meeting_start_resumed_skips_finished_sections() {
    let env = TestEnv::new();
    let mut p = start(&env);
    p.expect("Who is here?").unwrap();
    send(&mut p, "\r");
    p.expect("What now?").unwrap();
    send(&mut p, "\r"); // celebrations: next section
    p.expect("2. Goals").unwrap();
    p.expect("What now?").unwrap();
    send(&mut p, "\r"); // goals: next section
    p.expect("3. Leads to qualify").unwrap();
    p.expect("What now?").unwrap();
    send(&mut p, "\u{3}");
    let (rest, code) = finish(p);
    assert!(rest.contains("finished celebrations, goals"), "{rest}");
    assert_eq!(code, 130);

    let mut p = start(&env);
    p.expect("Resuming the meeting of 2026-11-30. Saved so far: attendance (3)")
        .unwrap();
    let shown = p.expect("What now?").unwrap();
    let shown = String::from_utf8_lossy(shown.before()).into_owned();
    assert!(shown.contains("Resuming at 3. Leads to qualify"), "{shown}");
    assert!(
        !shown.contains("Who is here?"),
        "attendance is saved: {shown}"
    );
    assert!(!shown.contains("1. Celebrations"), "finished: {shown}");
    assert!(!shown.contains("2. Goals"), "finished: {shown}");
    // Esc: the section menu, where finished sections can be revisited.
    send(&mut p, "\u{1b}");
    p.expect("Section menu").unwrap();
    p.expect("1. Celebrations  (done)").unwrap();
    p.expect("2. Goals and benchmarks  (done)").unwrap();
    send(&mut p, "\u{3}");
    let (_, code) = finish(p);
    assert_eq!(code, 130);
}

#[test]
fn the_walk_through_qualifies_a_lead_and_accepts_a_handoff() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Globex"]);
    env.maria(&["lead", "add", "Acme Corp"]);
    env.maria(&[
        "handoff",
        "acme-corp",
        "--to",
        "tom",
        "--note",
        "CFO wants pricing",
    ]);
    let mut p = start(&env);
    p.expect("Who is here?").unwrap();
    send(&mut p, "\r");
    for section in ["1. Celebrations", "2. Goals"] {
        p.expect(section).unwrap();
        p.expect("What now?").unwrap();
        send(&mut p, "\r");
    }
    p.expect("3. Leads to qualify").unwrap();
    p.expect("What now?").unwrap();
    send(&mut p, &format!("{}\r", DOWN.repeat(4))); // Qualify a lead
    p.expect("Lead to qualify").unwrap();
    send(&mut p, "globex");
    send(&mut p, "\r");
    p.expect("Criteria globex meets now").unwrap();
    send(&mut p, " "); // budget
    send(&mut p, "\r");
    p.expect("globex meets budget (1 of 4)").unwrap();
    p.expect("What now?").unwrap();
    send(&mut p, "\r");
    p.expect("4. Handoffs").unwrap();
    p.expect("What now?").unwrap();
    send(&mut p, &format!("{}\r", DOWN.repeat(4))); // Accept or reject a handoff
    p.expect("Handoff to decide").unwrap();
    send(&mut p, "\r"); // the one pending
    p.expect("(Esc back)").unwrap();
    send(&mut p, "\r"); // Accept
    p.expect("A note for marketing").unwrap();
    send(&mut p, "Calling Friday\r");
    p.expect("maria accepted handoff").unwrap();
    p.expect("What now?").unwrap();
    send(&mut p, "\u{3}");
    let (rest, code) = finish(p);
    assert_eq!(code, 130);
    assert!(rest.contains("lead/globex meets budget"), "{rest}");
    assert!(rest.contains(" accepted"), "{rest}");
    // Resumed, it lists the same acts: they are read from the journal either way.
    let mut p = start(&env);
    let shown = p.expect("What now?").unwrap();
    let shown = String::from_utf8_lossy(shown.before()).into_owned();
    let saved = shown
        .lines()
        .find(|l| l.contains("Saved so far"))
        .unwrap_or_else(|| panic!("{shown}"));
    let said = rest
        .lines()
        .find(|l| l.contains("interrupted; saved:"))
        .unwrap();
    let said = said.split("interrupted; saved: ").nth(1).unwrap();
    for act in said.trim().split(", ") {
        assert!(saved.contains(act), "{act:?} in {saved}");
    }
    send(&mut p, "\u{3}");
    assert_eq!(finish(p).1, 130);

    let lead: serde_json::Value =
        serde_json::from_str(&env.run(&["lead", "show", "globex", "--format", "json"])).unwrap();
    assert_eq!(lead["met"], serde_json::json!(["budget"]), "{lead:#}");
    let handoffs: Vec<serde_json::Value> =
        serde_json::from_str(&env.run(&["handoff", "list", "--format", "json"])).unwrap();
    assert_eq!(handoffs[0]["status"], "accepted");
    assert_eq!(handoffs[0]["decided_by"], "maria");
    assert_eq!(handoffs[0]["decision_note"], "Calling Friday");
    let minutes: serde_json::Value =
        serde_json::from_str(&env.run(&["meeting", "show", "2026-11-30", "--format", "json"]))
            .unwrap();
    let kinds: Vec<&str> = minutes["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"lead.qualify"), "{minutes:#}");
    assert!(kinds.contains(&"handoff.accept"), "{minutes:#}");
}

#[test]
fn interactive_handoff_of_a_lead_needing_force_asks_and_proceeds() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Acme Corp"]);
    env.maria(&["handoff", "acme-corp", "--to", "tom"]);
    let mut p = spawn(&env, &["--today", "2026-11-20T13:00", "handoff", "acme"]);
    p.expect("acme-corp is waiting for tom to decide").unwrap();
    p.expect("Hand it off anyway").unwrap();
    send(&mut p, "y\r");
    p.expect("Hand off to").unwrap();
    send(&mut p, "\r"); // the only sales member: tom
    p.expect("What does sales need to know").unwrap();
    send(&mut p, "Second try, with the budget\r");
    p.expect("handed acme-corp (Acme Corp) to tom").unwrap();
    let (_, code) = finish(p);
    assert_eq!(code, 0);
    let handoffs: Vec<serde_json::Value> =
        serde_json::from_str(&env.run(&["handoff", "list", "--format", "json"])).unwrap();
    assert_eq!(handoffs.len(), 2);
    let new = handoffs
        .iter()
        .find(|h| h["note"] == "Second try, with the budget")
        .unwrap();
    assert_eq!(new["status"], "pending");
    assert!(
        handoffs.iter().any(|h| h["replaced_by"] == new["id"]),
        "the old one is closed by the new: {handoffs:#?}"
    );
}

#[test]
fn interactive_handoff_offers_only_leads_it_would_accept() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Acme Corp"]);
    env.maria(&["lead", "add", "Globex"]);
    env.maria(&["lead", "add", "Initech"]);
    env.maria(&["handoff", "acme-corp", "--to", "tom"]);
    env.maria(&["lead", "stage", "initech", "lost"]);
    let mut p = spawn(&env, &["--today", "2026-11-20T13:00", "handoff"]);
    p.expect("Lead to hand off").unwrap();
    let shown = p.expect("Globex").unwrap();
    pause();
    send(&mut p, "\u{3}");
    let (rest, code) = finish(p);
    let all = format!("{}{rest}", String::from_utf8_lossy(shown.before()));
    assert!(!all.contains("Acme Corp"), "handed off already: {all}");
    assert!(!all.contains("Initech"), "closed: {all}");
    assert_eq!(code, 130);
}

#[test]
fn minutes_list_what_the_meeting_changed_with_who() {
    let env = TestEnv::new();
    let at = |time: &str, who: &str, args: &[&str]| {
        let mut all = vec!["--as", who, "--today", time];
        all.extend_from_slice(args);
        env.run(&all)
    };
    at("2026-11-20T12:00", "maria", &["lead", "add", "Acme Corp"]);
    at(
        "2026-11-20T12:00",
        "maria",
        &["handoff", "acme-corp", "--to", "tom"],
    );
    at(
        "2026-11-20T12:00",
        "maria",
        &["feedback", "Handoff notes are thin", "--anonymous"],
    );
    let action = at(
        "2026-11-20T12:00",
        "maria",
        &["-q", "action", "add", "Send pricing", "--owner", "ana"],
    );
    at(
        "2026-11-30T10:00",
        "maria",
        &[
            "meeting",
            "record",
            "--date",
            "2026-11-30",
            "--decision",
            "Pilot in Q1",
        ],
    );
    at(
        "2026-11-30T10:20",
        "tom",
        &["handoff", "accept", "acme-corp"],
    );
    let feedback: Vec<serde_json::Value> =
        serde_json::from_str(&env.run(&["feedback", "list", "--format", "json"])).unwrap();
    let feedback = feedback[0]["id"].as_str().unwrap();
    at(
        "2026-11-30T10:30",
        "maria",
        &["feedback", "resolve", feedback, "--note", "Template agreed"],
    );
    at(
        "2026-11-30T10:40",
        "ana",
        &["action", "done", action.trim()],
    );
    // The next day: not part of the meeting.
    at(
        "2026-12-01T09:00",
        "tom",
        &["lead", "stage", "acme-corp", "opportunity"],
    );

    let minutes: serde_json::Value =
        serde_json::from_str(&env.run(&["meeting", "show", "2026-11-30", "--format", "json"]))
            .unwrap();
    let changes: Vec<(String, String, String)> = minutes["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap().to_string(),
                c["by"].as_str().unwrap().to_string(),
                c["summary"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        vec![
            ("handoff.accept".into(), "tom".into(), "accepted".into()),
            ("feedback.resolve".into(), "maria".into(), "resolved".into()),
            ("action.done".into(), "ana".into(), "done".into()),
        ],
        "{minutes:#}"
    );
    let handoff = minutes["changes"][0]["record"]
        .as_str()
        .unwrap()
        .to_string();
    let text = env
        .run(&["meeting", "show", "2026-11-30"])
        .replace(&handoff, "handoff/[id]")
        .replace(feedback, "[feedback]")
        .replace(action.trim(), "[action]");
    insta::assert_snapshot!(text);
    let md = env.run(&["meeting", "show", "2026-11-30", "--format", "md"]);
    assert!(md.contains("## Changes"), "{md}");
    assert!(md.contains("accepted (tom, 10:20)"), "{md}");
}

#[test]
fn a_yes_waits_for_enter_and_esc_goes_back_one_question_in_handoff() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Northwind"]);
    env.maria(&["lead", "stage", "northwind", "won"]);
    let mut p = spawn(
        &env,
        &["--today", "2026-11-20T13:00", "handoff", "northwind"],
    );
    p.expect("Hand it off anyway").unwrap();
    // `y` alone answers nothing yet; the Enter after it answers this question only.
    send(&mut p, "y");
    send(&mut p, "\r");
    p.expect("Hand off to (type to search, Esc back)").unwrap();
    // Esc: back to the question before, which Enter did not skip.
    send(&mut p, "\u{1b}");
    p.expect("Hand it off anyway").unwrap();
    // Esc at the first question cancels.
    send(&mut p, "\u{1b}");
    let (rest, code) = finish(p);
    assert_eq!(code, 130, "{rest}");
    assert!(rest.contains("interrupted"), "{rest}");
    let handoffs = env.run(&["handoff", "list", "--format", "json"]);
    assert_eq!(handoffs.trim(), "[]", "nothing handed off");
}

#[test]
fn esc_at_the_receiver_goes_back_to_the_lead_picker() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Globex"]);
    let mut p = spawn(&env, &["--today", "2026-11-20T13:00", "handoff"]);
    p.expect("Lead to hand off").unwrap();
    send(&mut p, "glob");
    send(&mut p, "\r");
    p.expect("Hand off to (type to search, Esc back)").unwrap();
    send(&mut p, "\u{1b}");
    p.expect("Lead to hand off").unwrap();
    send(&mut p, "\u{1b}");
    let (_, code) = finish(p);
    assert_eq!(code, 130);
}

#[test]
fn ctrl_c_in_a_text_prompt_speaks_on_a_fresh_line() {
    let env = TestEnv::new();
    let mut p = start(&env);
    p.expect("Who is here?").unwrap();
    send(&mut p, "\r");
    p.expect("What now?").unwrap();
    send(&mut p, &format!("{DOWN}\r")); // Add a note
    p.expect("Note").unwrap();
    send(&mut p, "half a thought");
    send(&mut p, "\u{3}");
    let (rest, code) = finish(p);
    assert_eq!(code, 130);
    let line = rest
        .lines()
        .find(|l| l.contains("interrupted"))
        .unwrap_or_else(|| panic!("{rest:?}"));
    assert!(!line.contains("half a thought"), "{rest:?}");
    assert!(!line.contains("Note"), "{rest:?}");
}

#[test]
fn the_walk_through_reassigns_an_action_keeping_it_and_shows_it_reassigned() {
    let env = TestEnv::new();
    let id = env.run(&[
        "--as",
        "maria",
        "--today",
        "2026-11-23T11:00",
        "-q",
        "action",
        "add",
        "Send the pricing sheet",
        "--owner",
        "tom",
    ]);
    let id = id.trim();
    let mut p = start(&env);
    p.expect("Who is here?").unwrap();
    send(&mut p, "\r");
    p.expect("What now?").unwrap();
    send(&mut p, "\u{1b}");
    p.expect("Section menu").unwrap();
    send(&mut p, &format!("{}\r", DOWN.repeat(6))); // 7. Action items
    p.expect("owner tom").unwrap();
    p.expect("What now?").unwrap();
    send(&mut p, &format!("{}\r", DOWN.repeat(5))); // Reassign an action
    p.expect("Action to reassign").unwrap();
    send(&mut p, "pricing");
    send(&mut p, "\r");
    p.expect("New owner of").unwrap();
    send(&mut p, "ana");
    send(&mut p, "\r");
    p.expect(format!("action {id}: reassigned tom → ana").as_str())
        .unwrap();
    // The section again, as it stands now.
    p.expect("owner ana").unwrap();
    p.expect("What now?").unwrap();
    send(&mut p, "\u{3}");
    let (rest, code) = finish(p);
    assert_eq!(code, 130);
    assert!(
        rest.contains(&format!("action/{id} reassigned tom → ana")),
        "{rest}"
    );
    let list: Vec<serde_json::Value> =
        serde_json::from_str(&env.run(&["action", "list", "--format", "json"])).unwrap();
    assert_eq!(list.len(), 1, "the same action, not a new one: {list:#?}");
    assert_eq!(list[0]["id"], id);
    assert_eq!(list[0]["owner"], "ana");
    assert_eq!(list[0]["status"], "open");
}

#[test]
fn the_init_wizard_goes_back_on_esc_and_says_what_exists_after_ctrl_c() {
    let env = TestEnv::empty();
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", &env.home)
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .args(["init", env.ws.to_str().unwrap()]);
    let mut p = expectrl::Session::spawn(cmd).unwrap();
    p.set_expect_timeout(Some(Duration::from_secs(20)));
    p.expect("Team name").unwrap();
    send(&mut p, "Acme\r");
    p.expect("Timezone (type to search, Esc back)").unwrap();
    send(&mut p, "\u{1b}");
    p.expect("Team name").unwrap();
    send(&mut p, "Acme Growth\r");
    p.expect("Timezone").unwrap();
    send(&mut p, "Europe/Berl");
    send(&mut p, "\r");
    for question in ["Currency", "Meeting day", "Meeting time", "Meeting length"] {
        p.expect(question).unwrap();
        send(&mut p, "\r");
    }
    p.expect("created the workspace of Acme Growth").unwrap();
    p.expect("Add yourself as the first member?").unwrap();
    send(&mut p, "\u{3}");
    let (rest, code) = finish(p);
    assert_eq!(code, 130, "{rest}");
    assert!(
        rest.contains("the workspace of Acme Growth is created in"),
        "{rest}"
    );
    assert!(
        rest.contains("growth member add ID --name NAME --dept DEPT --leader"),
        "{rest}"
    );
    assert!(rest.contains("growth whoami --set ID"), "{rest}");
    assert!(!rest.contains("nothing more was written"), "{rest}");
    let config = std::fs::read_to_string(env.ws.join("growth.toml")).unwrap();
    assert!(config.contains("Europe/Berlin"), "{config}");
}
