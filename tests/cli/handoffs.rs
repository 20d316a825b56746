//! Handoffs: concurrent recording, the decision rules, the prompt on a terminal, and the
//! listing in every format.

use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::{BIN, TestEnv};

/// The id of the newest handoff of `lead`.
/// The lead's latest handoff: the one not closed by a later one (two handed off in the
/// same second list in either order).
fn handoff_of(env: &TestEnv, lead: &str) -> String {
    let list: Vec<serde_json::Value> =
        serde_json::from_str(&env.run(&["handoff", "list", "--format", "json"])).unwrap();
    let of_lead: Vec<&serde_json::Value> = list.iter().filter(|h| h["lead"] == lead).collect();
    of_lead
        .iter()
        .find(|h| h["replaced_by"].is_null())
        .or(of_lead.first())
        .map(|h| h["id"].as_str().unwrap().to_string())
        .unwrap()
}

/// The usual team, and Sofia in sales beside Tom.
fn with_sofia() -> TestEnv {
    let env = TestEnv::new();
    env.run(&[
        "member",
        "add",
        "sofia",
        "--name",
        "Sofia Rossi",
        "--dept",
        "sales",
    ]);
    env
}

fn refused(env: &TestEnv, args: &[&str], code: i32, message: &str) {
    let before = env.snapshot_files();
    let out = env.cmd().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
    assert!(
        stderr.contains(message),
        "{args:?}: expected {message:?} in {stderr}"
    );
    assert_eq!(env.snapshot_files(), before, "{args:?} changed a file");
}

#[test]
fn the_decision_rules_refuse_with_a_clear_error_and_write_nothing() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Acme Corp"]);
    env.maria(&["lead", "add", "Globex"]);
    env.maria(&[
        "handoff",
        "acme",
        "--to",
        "tom",
        "--note",
        "CFO wants pricing",
    ]);
    let id = handoff_of(&env, "acme-corp");

    refused(
        &env,
        &["--as", "tom", "handoff", "reject", &id],
        2,
        "--reason",
    );
    refused(
        &env,
        &[
            "--as", "tom", "handoff", "reject", &id, "--reason", "budget",
        ],
        1,
        "did you mean `no-budget`?",
    );
    refused(
        &env,
        &["--as", "ana", "handoff", "accept", &id],
        1,
        "only tom (who received handoff",
    );
    refused(
        &env,
        &["--as", "maria", "handoff", "acme", "--to", "ana"],
        1,
        "is waiting for tom to decide",
    );
    env.run(&[
        "--as",
        "tom",
        "--today",
        "2026-11-20T14:00",
        "handoff",
        "accept",
        &id[..4],
    ]);
    refused(
        &env,
        &["--as", "tom", "handoff", "accept", &id],
        1,
        "is accepted already",
    );
    refused(
        &env,
        &[
            "--as",
            "tom",
            "handoff",
            "reject",
            &id,
            "--reason",
            "no-budget",
        ],
        1,
        "is accepted already",
    );
    refused(
        &env,
        &["--as", "maria", "handoff", "acme", "--to", "ana"],
        1,
        "who accepted it",
    );

    env.run(&[
        "--as",
        "tom",
        "--today",
        "2026-11-20T15:00",
        "lead",
        "stage",
        "globex",
        "lost",
    ]);
    refused(
        &env,
        &["--as", "maria", "handoff", "globex", "--to", "tom"],
        1,
        "globex is lost",
    );
    refused(
        &env,
        &["--as", "maria", "handoff", "nope", "--to", "tom"],
        1,
        "unknown lead `nope`",
    );
    refused(
        &env,
        &["--as", "maria", "handoff", "acme", "--to", "maria"],
        1,
        "to yourself",
    );
    // --force overrides the lead rules, not who may decide.
    env.run(&[
        "--as",
        "maria",
        "--today",
        "2026-11-20T16:00",
        "handoff",
        "globex",
        "--to",
        "tom",
        "--force",
    ]);

    let acme = &env
        .leads_json()
        .into_iter()
        .find(|l| l["id"] == "acme-corp")
        .unwrap();
    assert_eq!(acme["stage"], "sql");
    assert_eq!(acme["owner"], "tom");
}

#[test]
fn rejecting_returns_the_lead_to_nurture_with_the_reason_visible() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Acme Corp"]);
    env.maria(&["lead", "stage", "acme", "mql"]);
    let id = env.run(&[
        "--as",
        "maria",
        "--today",
        "2026-11-20T10:00",
        "-q",
        "handoff",
        "acme",
        "--to",
        "tom",
    ]);
    let id = id.trim();
    let out = env.run(&[
        "--as",
        "tom",
        "--today",
        "2026-11-20T11:00",
        "handoff",
        "reject",
        id,
        "--reason",
        "no-budget",
        "--note",
        "frozen until Q2",
    ]);
    assert!(
        out.contains("goes back to nurture") && out.contains("maria sees why"),
        "{out}"
    );
    let list: Vec<serde_json::Value> =
        serde_json::from_str(&env.run(&["handoff", "list", "--format", "json"])).unwrap();
    assert_eq!(list[0]["status"], "rejected");
    assert_eq!(list[0]["reason"], "no-budget");
    assert_eq!(list[0]["decision_note"], "frozen until Q2");
    assert_eq!(env.leads_json()[0]["stage"], "nurture");
    // A rejected handoff has no contact to record, and the lead can be handed off again.
    refused(
        &env,
        &["--as", "tom", "handoff", "contact", id],
        1,
        "was rejected",
    );
    env.run(&[
        "--as",
        "maria",
        "--today",
        "2026-11-21",
        "handoff",
        "acme",
        "--to",
        "tom",
    ]);
}

#[test]
fn list_filters_and_shows_both_clocks() {
    let env = TestEnv::new();
    for company in ["Acme Corp", "Globex", "Initech"] {
        env.run(&[
            "--as",
            "maria",
            "--today",
            "2026-11-23T08:00",
            "lead",
            "add",
            company,
        ]);
    }
    // Monday: three handoffs. Acme accepted in time and contacted late; Globex pending and late.
    env.run(&[
        "--as",
        "maria",
        "--today",
        "2026-11-23T10:00",
        "handoff",
        "acme",
        "--to",
        "tom",
    ]);
    env.run(&[
        "--as",
        "maria",
        "--today",
        "2026-11-23T10:30",
        "handoff",
        "globex",
        "--to",
        "tom",
        "--note",
        "asked for a demo",
    ]);
    env.run(&[
        "--as",
        "maria",
        "--today",
        "2026-11-23T16:30",
        "handoff",
        "initech",
        "--to",
        "ana",
    ]);
    let acme = handoff_of(&env, "acme-corp");
    env.run(&[
        "--as",
        "tom",
        "--today",
        "2026-11-23T11:00",
        "handoff",
        "accept",
        &acme,
    ]);
    env.run(&[
        "--as",
        "tom",
        "--today",
        "2026-11-24T16:00",
        "handoff",
        "contact",
        &acme,
    ]);
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec![
            "--today",
            "2026-11-24T10:00",
            "handoff",
            "list",
            "--format",
            "json",
        ];
        all.extend_from_slice(args);
        let list: Vec<serde_json::Value> = serde_json::from_str(&env.run(&all)).unwrap();
        list.iter()
            .map(|h| h["lead"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&[]), ["initech", "globex", "acme-corp"]);
    assert_eq!(ids(&["--pending"]), ["initech", "globex"]);
    assert_eq!(ids(&["--to", "tom"]), ["globex", "acme-corp"]);
    // Tuesday 10:00: globex has waited 7.5 business hours (past 4h); initech 1.5h (in time);
    // acme's contact, recorded for 16:00, has not happened yet, and 8h have not passed.
    assert_eq!(ids(&["--overdue"]), ["globex"]);
    // Tuesday 16:30: acme was contacted after 14h (past 8h).
    let later: Vec<serde_json::Value> = serde_json::from_str(&env.run(&[
        "--today",
        "2026-11-24T16:30",
        "handoff",
        "list",
        "--overdue",
        "--format",
        "json",
    ]))
    .unwrap();
    assert!(later.iter().any(|h| h["lead"] == "acme-corp"));
    assert_eq!(ids(&["--since", "2026-11-24"]), Vec::<String>::new());
    let list: Vec<serde_json::Value> = serde_json::from_str(&env.run(&[
        "--today",
        "2026-11-24T10:00",
        "handoff",
        "list",
        "--format",
        "json",
    ]))
    .unwrap();
    let globex = list.iter().find(|h| h["lead"] == "globex").unwrap();
    assert_eq!(globex["accept"]["elapsed_minutes"], 7 * 60 + 30);
    assert_eq!(globex["accept"]["breached"], true);
    assert_eq!(globex["accept"]["due"], "2026-11-23T14:30:00+01:00");
}

#[test]
fn handoff_list_as_table_json_and_csv() {
    let env = TestEnv::new();
    for company in ["Acme Corp", "Globex", "Initech"] {
        env.run(&[
            "--as",
            "maria",
            "--today",
            "2026-11-23T08:00",
            "lead",
            "add",
            company,
        ]);
    }
    env.run(&[
        "--as",
        "maria",
        "--today",
        "2026-11-23T10:00",
        "handoff",
        "acme",
        "--to",
        "tom",
        "--note",
        "CFO wants pricing before Friday",
    ]);
    env.run(&[
        "--as",
        "maria",
        "--today",
        "2026-11-23T10:30",
        "handoff",
        "globex",
        "--to",
        "tom",
    ]);
    env.run(&[
        "--as",
        "maria",
        "--today",
        "2026-11-23T11:00",
        "handoff",
        "initech",
        "--to",
        "ana",
        "--note",
        "=cmd|' /C calc'!A0",
    ]);
    let (acme, globex) = (handoff_of(&env, "acme-corp"), handoff_of(&env, "globex"));
    env.run(&[
        "--as",
        "tom",
        "--today",
        "2026-11-23T12:00",
        "handoff",
        "accept",
        &acme,
        "--note",
        "calling tomorrow",
    ]);
    env.run(&[
        "--as",
        "tom",
        "--today",
        "2026-11-24T09:30",
        "handoff",
        "contact",
        &acme,
    ]);
    env.run(&[
        "--as",
        "tom",
        "--today",
        "2026-11-24T11:00",
        "handoff",
        "reject",
        &globex,
        "--reason",
        "not-a-fit",
    ]);
    // Ids are random: pin them for the snapshots.
    let pin = |text: String| {
        text.replace(&acme, "ACME-ID---")
            .replace(&globex, "GLOBEX-ID-")
            .replace(&handoff_of(&env, "initech"), "INITECH-ID")
    };
    let table = env
        .cmd()
        .env("COLUMNS", "120")
        .args(["--today", "2026-11-25T10:00", "handoff", "list"])
        .output()
        .unwrap();
    insta::assert_snapshot!(
        "handoff_list_table",
        pin(String::from_utf8(table.stdout).unwrap())
    );
    // On an 80-column terminal the lead stays (the note, age, sender and clocks go first),
    // and no line of the table is wider than the terminal.
    let narrow = env
        .cmd()
        .env("COLUMNS", "80")
        .args(["--today", "2026-11-25T10:00", "handoff", "list"])
        .output()
        .unwrap();
    let narrow = String::from_utf8(narrow.stdout).unwrap();
    let header = narrow.lines().next().unwrap();
    for column in ["ID", "LEAD", "TO", "STATUS"] {
        assert!(header.contains(column), "{narrow}");
    }
    let table_lines = narrow.lines().count() - 1; // the summary is free text
    assert!(
        narrow
            .lines()
            .take(table_lines)
            .all(|l| l.chars().count() <= 80),
        "{narrow}"
    );
    insta::assert_snapshot!(
        "handoff_list_json",
        pin(env.run(&[
            "--today",
            "2026-11-25T10:00",
            "handoff",
            "list",
            "--format",
            "json"
        ]))
    );
    insta::assert_snapshot!(
        "handoff_list_csv",
        pin(env.run(&[
            "--today",
            "2026-11-25T10:00",
            "handoff",
            "list",
            "--format",
            "csv"
        ]))
    );
}

#[test]
fn sixty_four_reps_hand_off_and_decide_at_once() {
    let env = TestEnv::new();
    let run = |args: &[String]| {
        let out = Command::new(BIN)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", &env.home)
            .arg("-C")
            .arg(&env.ws)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let barrier = std::sync::Barrier::new(64);
    std::thread::scope(|s| {
        for w in 0..64 {
            let (run, barrier) = (&run, &barrier);
            s.spawn(move || {
                barrier.wait();
                for i in 0..10 {
                    let args = |list: &[&str]| -> Vec<String> {
                        let mut all = vec!["--today".to_string(), "2026-11-23T10:00".to_string()];
                        all.extend(list.iter().map(|s| s.to_string()));
                        all
                    };
                    let company = format!("Rep {w} Lead {i}");
                    run(&args(&["--as", "maria", "lead", "add", &company]));
                    let lead = format!("rep-{w}-lead-{i}");
                    let id = run(&args(&[
                        "--as", "maria", "-q", "handoff", &lead, "--to", "tom",
                    ]));
                    let id = id.trim();
                    if i % 2 == 0 {
                        run(&args(&["--as", "tom", "handoff", "accept", id]));
                    } else {
                        run(&args(&[
                            "--as",
                            "tom",
                            "handoff",
                            "reject",
                            id,
                            "--reason",
                            "bad-timing",
                        ]));
                    }
                }
            });
        }
    });
    let list: Vec<serde_json::Value> =
        serde_json::from_str(&env.run(&["handoff", "list", "--format", "json"])).unwrap();
    assert_eq!(list.len(), 640);
    for w in 0..64 {
        for i in 0..10 {
            let lead = format!("rep-{w}-lead-{i}");
            let h = list
                .iter()
                .find(|h| h["lead"] == lead.as_str())
                .unwrap_or_else(|| panic!("{lead} has no handoff"));
            assert_eq!(
                h["status"],
                if i % 2 == 0 { "accepted" } else { "rejected" },
                "{lead}"
            );
        }
    }
    env.run(&["check"]);
    let cached = env.run(&["handoff", "list", "--format", "json"]);
    std::fs::remove_dir_all(env.ws.join(".growth").join("cache")).unwrap();
    assert_eq!(env.run(&["handoff", "list", "--format", "json"]), cached);
}

#[test]
fn on_a_terminal_a_missing_lead_and_receiver_are_asked_for() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Acme Corp"]);
    env.maria(&["lead", "add", "Globex"]);
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", &env.home)
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .args([
            "-C",
            env.ws.to_str().unwrap(),
            "--as",
            "maria",
            "--today",
            "2026-11-20T13:00",
            "handoff",
        ]);
    let mut p = expectrl::Session::spawn(cmd).unwrap();
    p.set_expect_timeout(Some(Duration::from_secs(20)));
    use expectrl::Expect;
    p.expect("Lead to hand off").unwrap();
    p.send("glob").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    p.send("\r").unwrap();
    p.expect("Hand off to").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    p.send("\r").unwrap(); // the only sales member: tom
    p.expect("What does sales need to know").unwrap();
    p.send("Wants a demo on Friday\r").unwrap();
    p.expect("handed globex (Globex) to tom").unwrap();
    let list: Vec<serde_json::Value> =
        serde_json::from_str(&env.run(&["handoff", "list", "--format", "json"])).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["lead"], "globex");
    assert_eq!(list[0]["to"], "tom");
    assert_eq!(list[0]["note"], "Wants a demo on Friday");
}

#[test]
fn without_a_terminal_a_missing_value_fails_fast_naming_it() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Acme Corp"]);
    let started = std::time::Instant::now();
    let out = env
        .cmd()
        .args(["--as", "maria", "handoff"])
        .timeout(Duration::from_secs(10))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing the LEAD"));
    let out = env
        .cmd()
        .args(["--as", "maria", "handoff", "acme"])
        .timeout(Duration::from_secs(10))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing --to MEMBER"));
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn a_lead_won_or_lost_closes_its_open_handoff_and_stops_the_clocks() {
    let env = TestEnv::new();
    let at = |when: &str, args: &[&str]| {
        let mut all = vec!["--today", when];
        all.extend_from_slice(args);
        env.run(&all)
    };
    // Monday 09:30 and 10:00: two handoffs; globex is accepted but never contacted.
    at(
        "2026-11-23T09:00",
        &["--as", "maria", "lead", "add", "Acme"],
    );
    at(
        "2026-11-23T09:00",
        &["--as", "maria", "lead", "add", "Globex"],
    );
    at(
        "2026-11-23T09:30",
        &["--as", "maria", "handoff", "acme", "--to", "tom"],
    );
    at(
        "2026-11-23T10:00",
        &["--as", "maria", "handoff", "globex", "--to", "tom"],
    );
    let (acme, globex) = (handoff_of(&env, "acme"), handoff_of(&env, "globex"));
    at(
        "2026-11-23T10:30",
        &["--as", "tom", "handoff", "accept", &globex],
    );
    // Monday 11:30, inside both SLAs: acme is lost, globex won.
    at(
        "2026-11-23T11:30",
        &["--as", "maria", "lead", "stage", "acme", "lost"],
    );
    at(
        "2026-11-23T11:30",
        &["--as", "tom", "lead", "stage", "globex", "won"],
    );

    let list: Vec<serde_json::Value> =
        serde_json::from_str(&at("2026-11-27", &["handoff", "list", "--format", "json"])).unwrap();
    let acme_view = list.iter().find(|h| h["id"] == acme.as_str()).unwrap();
    assert_eq!(acme_view["status"], "closed");
    assert!(acme_view["closed_at"].is_string(), "{acme_view:#}");
    assert_eq!(acme_view["overdue"], false, "the clocks stopped at 11:30");
    let globex_view = list.iter().find(|h| h["id"] == globex.as_str()).unwrap();
    assert_eq!(globex_view["status"], "accepted");
    assert_eq!(globex_view["contact"]["breached"], false, "{globex_view:#}");
    assert_eq!(globex_view["overdue"], false);

    let pending = at("2026-11-27", &["handoff", "list", "--pending"]);
    assert!(pending.contains("no handoffs match"), "{pending}");
    let table = at("2026-11-27", &["handoff", "list"]);
    assert!(table.contains("closed (lead lost)"), "{table}");
    assert!(table.contains("0 pending, 0 past the SLA"), "{table}");
    let alerts = env
        .cmd()
        .args(["--today", "2026-11-27", "check", "--alerts"])
        .output()
        .unwrap();
    assert_eq!(
        alerts.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&alerts.stdout)
    );
    refused(
        &env,
        &[
            "--as",
            "tom",
            "--today",
            "2026-11-27",
            "handoff",
            "accept",
            &acme,
        ],
        1,
        "closed when acme became lost",
    );
    // Reopened, acme can be handed off again: nobody is waiting on the closed handoff.
    at(
        "2026-11-27",
        &["--as", "maria", "lead", "stage", "acme", "mql"],
    );
    let again = at(
        "2026-11-27",
        &["--as", "maria", "handoff", "acme", "--to", "tom", "-q"],
    );
    assert_ne!(again.trim(), acme);
    assert_eq!(handoff_of(&env, "acme"), again.trim());
}

#[test]
fn handing_off_again_closes_the_earlier_handoff_and_closed_ones_say_why() {
    let env = with_sofia();
    env.maria(&["lead", "add", "Globex"]);
    env.maria(&["lead", "add", "Initech"]);
    env.maria(&["handoff", "globex", "--to", "tom"]);
    let first = handoff_of(&env, "globex");
    // Tom is away: the lead goes to Sofia instead, and Tom no longer owes it anything.
    let told = env.maria(&["handoff", "globex", "--to", "sofia", "--force"]);
    assert!(
        told.contains(&format!("closed tom's handoff {first}")),
        "{told}"
    );
    let second = handoff_of(&env, "globex");
    assert_ne!(first, second);
    refused(
        &env,
        &[
            "--as",
            "tom",
            "--today",
            "2026-11-20",
            "handoff",
            "accept",
            &first,
        ],
        1,
        &format!("handed off again (handoff {second})"),
    );
    // Tom is not sent to decide Sofia's handoff.
    let out = env
        .cmd()
        .args([
            "--as",
            "tom",
            "--today",
            "2026-11-20",
            "handoff",
            "accept",
            &first,
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the lead went to sofia instead"),
        "{stderr}"
    );
    env.run(&[
        "--as",
        "sofia",
        "--today",
        "2026-11-20",
        "handoff",
        "accept",
        &second,
    ]);

    // Initech's handoff closed when it was lost; moving it on later does not change why.
    env.maria(&["handoff", "initech", "--to", "tom"]);
    let initech = handoff_of(&env, "initech");
    for stage in ["lost", "mql", "won"] {
        env.maria(&["lead", "stage", "initech", stage]);
    }
    refused(
        &env,
        &[
            "--as",
            "tom",
            "--today",
            "2026-11-20",
            "handoff",
            "accept",
            &initech,
        ],
        1,
        "closed when initech became lost",
    );

    let list: Vec<serde_json::Value> =
        serde_json::from_str(&env.maria(&["handoff", "list", "--format", "json"])).unwrap();
    let view = |id: &str| list.iter().find(|h| h["id"] == id).unwrap().clone();
    assert_eq!(view(&first)["status"], "closed");
    assert_eq!(view(&first)["replaced_by"], second.as_str());
    assert_eq!(view(&second)["status"], "accepted");
    assert_eq!(view(&initech)["closed_stage"], "lost");
    let table = env.maria(&["handoff", "list"]);
    let row = |id: &str| {
        table
            .lines()
            .find(|l| l.starts_with(id))
            .unwrap()
            .to_string()
    };
    assert!(
        row(&first).contains(&format!("closed (replaced by {second})")),
        "{table}"
    );
    assert!(row(&initech).contains("closed (lead lost)"), "{table}");
    // Nobody decided them: no decision clock, in time or late.
    assert!(
        !row(&first).contains('✓') && !row(&initech).contains('✓'),
        "{table}"
    );
    assert!(table.contains("0 pending, 0 past the SLA"), "{table}");
    env.run(&["check"]);
}

/// Calling the prospect accepts a pending handoff (see `handoff contact --help`): the
/// agenda counts it accepted, and only the untouched one waits.
#[test]
fn the_agenda_counts_a_called_handoff_accepted_and_the_untouched_one_waiting() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Globex"]);
    env.maria(&["lead", "add", "Initech"]);
    env.maria(&["handoff", "globex", "--to", "tom"]);
    env.maria(&["handoff", "initech", "--to", "tom"]);
    let globex = handoff_of(&env, "globex");
    env.run(&[
        "--as",
        "tom",
        "--today",
        "2026-11-20",
        "handoff",
        "contact",
        &globex,
    ]);
    let agenda = env.run(&["--today", "2026-11-21", "agenda", "--date", "2026-11-23"]);
    assert!(
        agenda.contains("2 made, 1 accepted, 0 rejected, 1 pending"),
        "{agenda}"
    );
    assert!(!agenda.contains("(globex), handed off by"), "{agenda}");
    let initech = agenda
        .lines()
        .find(|l| l.contains("(initech), handed off by"))
        .unwrap_or_else(|| panic!("initech in {agenda}"));
    assert!(initech.contains("Waiting for tom"), "{agenda}");
}

#[test]
fn a_handoff_closed_late_shows_late_and_an_accepted_one_replaced_says_so() {
    let env = with_sofia();
    let at = |when: &str, who: &str, args: &[&str]| {
        let mut all = vec!["--as", who, "--today", when];
        all.extend_from_slice(args);
        env.run(&all)
    };
    // Zeta waits a day past its 4-hour SLA, then is lost: closed, and late.
    at("2026-11-23T09:00", "maria", &["lead", "add", "Zeta"]);
    at(
        "2026-11-23T09:00",
        "maria",
        &["handoff", "zeta", "--to", "tom"],
    );
    at(
        "2026-11-24T12:00",
        "maria",
        &["lead", "stage", "zeta", "lost"],
    );
    // Acme is accepted by Tom, then handed to Sofia before Tom called.
    at("2026-11-24T12:00", "maria", &["lead", "add", "Acme"]);
    at(
        "2026-11-24T12:00",
        "maria",
        &["handoff", "acme", "--to", "tom"],
    );
    let acme = handoff_of(&env, "acme");
    at("2026-11-24T12:30", "tom", &["handoff", "accept", &acme]);
    at(
        "2026-11-24T13:00",
        "maria",
        &["handoff", "acme", "--to", "sofia", "--force"],
    );
    let table = at("2026-11-25", "maria", &["handoff", "list"]);
    let zeta = table.lines().find(|l| l.contains("zeta")).unwrap();
    assert!(
        zeta.contains("closed (lead lost)") && zeta.contains("LATE"),
        "{table}"
    );
    assert!(!zeta.contains('✓'), "{table}");
    let overdue = at("2026-11-25", "maria", &["handoff", "list", "--overdue"]);
    assert!(
        overdue.contains("zeta"),
        "the table, the count and the filter agree: {overdue}"
    );
    let row = table.lines().find(|l| l.starts_with(&acme)).unwrap();
    assert!(row.contains("accepted, replaced by"), "{table}");
    refused(
        &env,
        &[
            "--as",
            "tom",
            "--today",
            "2026-11-25",
            "handoff",
            "contact",
            &acme,
        ],
        1,
        "handed off again",
    );
}

/// A company called "Contact" or "List" gets the id `contact` or `list`, which are also
/// handoff subcommands: after `--` it is a lead, and `--help` says so.
#[test]
fn a_lead_named_like_a_subcommand_can_be_handed_off_and_shown() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Contact"]);
    env.maria(&["lead", "add", "List"]);
    let out = env.maria(&["handoff", "--to", "tom", "--", "contact"]);
    assert!(out.contains("handed contact (Contact) to tom"), "{out}");
    let out = env.maria(&[
        "handoff",
        "--to",
        "tom",
        "--note",
        "new office",
        "--",
        "list",
    ]);
    assert!(out.contains("handed list (List) to tom"), "{out}");
    let shown = env.maria(&["lead", "show", "list"]);
    assert!(shown.contains("List"), "{shown}");
    let accepted = env.run(&[
        "--as",
        "tom",
        "--today",
        "2026-11-20",
        "handoff",
        "accept",
        "contact",
    ]);
    assert!(accepted.contains("accepted"), "{accepted}");
    let help = env.run(&["handoff", "--help"]);
    assert!(
        help.contains("growth handoff --to tom -- contact"),
        "{help}"
    );
}

/// First contact on a handoff nobody accepted yet accepts it at the same moment: both
/// clocks stop there, the lead moves to sql, and the message says so.
#[test]
fn first_contact_before_acceptance_accepts_it_and_the_clocks_agree() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Globex", "--stage", "mql"]);
    env.run(&[
        "--as",
        "maria",
        "--today",
        "2026-11-23T09:00",
        "handoff",
        "globex",
        "--to",
        "tom",
    ]);
    let said = env.run(&[
        "--as",
        "tom",
        "--today",
        "2026-11-23T11:30",
        "handoff",
        "contact",
        "globex",
    ]);
    assert!(said.contains("accepted it too"), "{said}");
    let list: serde_json::Value = serde_json::from_str(&env.run(&[
        "--today",
        "2026-11-23T12:00",
        "handoff",
        "list",
        "--format",
        "json",
    ]))
    .unwrap();
    let h = &list[0];
    assert_eq!(h["status"], "accepted", "{h}");
    assert_eq!(h["decided_at"], h["contacted_at"], "{h}");
    assert_eq!(h["accept"]["elapsed_minutes"], 150, "{h}");
    assert_eq!(
        h["accept"]["elapsed_minutes"], h["contact"]["elapsed_minutes"],
        "{h}"
    );
    assert_eq!(h["accept"]["stopped"], true);
    let lead: serde_json::Value =
        serde_json::from_str(&env.run(&["lead", "show", "globex", "--format", "json"])).unwrap();
    assert_eq!(lead["stage"], "sql", "{lead}");
    assert_eq!(lead["owner"], "tom", "{lead}");
    // Someone who may not decide may not call it first either.
    let out = env
        .cmd()
        .args([
            "--as",
            "ana",
            "--today",
            "2026-11-23T12:00",
            "handoff",
            "contact",
            "globex",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
}
