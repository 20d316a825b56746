//! `growth agenda`, `win list` and `report team` read the facts kept beside a cache (the
//! goals' series, the leads the agenda ranks, the deals won) and the small sections, not
//! every lead: what they show from them must be exactly what they show from the whole
//! state, after this clone's writes too, and anything the facts cannot follow must send
//! them back to the leads.

use std::path::Path;

use crate::common::TestEnv;
use crate::meetings::growth_in;
use crate::metric_facts::{opened_on, rebuilt, rebuilt_apart};

/// Whether this clone's cache, as of noon on `today`, gives the agenda of `date` from
/// the facts.
fn facts_taken(ws: &Path, today: &str, date: &str) -> bool {
    let (workspace, _) = opened_on(ws, today);
    let day = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
    growth::commands::agenda::from_facts(&workspace, day, None)
        .unwrap()
        .is_some()
}

/// Whether this clone's cache, as of noon on `today`, gives the team report's deals from
/// the facts.
fn team_facts_taken(ws: &Path, today: &str) -> bool {
    let (workspace, _) = opened_on(ws, today);
    let parts = workspace
        .fact_parts(growth::commands::report::TEAM_NEEDS)
        .unwrap();
    parts.is_some_and(|p| p.agenda.is_some())
}

const READS: &[&[&str]] = &[
    &["win", "list", "--format", "json"],
    &[
        "report",
        "team",
        "--since",
        "2026-10-01",
        "--format",
        "json",
    ],
    &["agenda", "--format", "json"],
    &["agenda"],
    &["agenda", "--date", "2026-12-07", "--format", "md"],
    &["agenda", "--since", "2026-10-01", "--format", "json"],
];

/// Each read from a rebuild (no cache; the rebuild leaves one) and then from the facts
/// beside that cache: the same bytes, on two days.
#[test]
fn the_agenda_from_the_facts_equals_the_agenda_of_the_whole_state() {
    let env = TestEnv::empty();
    let ws = crate::streamed::workspace(&env);
    for today in ["2026-11-27", "2026-11-30"] {
        for read in READS {
            let args = [&["--today", today][..], read].concat();
            let whole = rebuilt(&env, &ws, &args);
            assert!(
                facts_taken(&ws, today, "2026-11-30"),
                "no facts as of {today}"
            );
            assert_eq!(whole, growth_in(&env, &ws, &args), "{args:?}");
            assert!(!whole.contains("mariner-dental-labs"), "{whole}");
        }
    }
}

/// Entries this clone wrote since the cache, one after another with no rebuild between:
/// leads added, moved (deals won, one backdated into the last week, one reopened),
/// qualified, renamed while a handoff names them; handoffs made, accepted and rejected;
/// feedback; an idea about a lead, an action added and one done, a shout-out. Each agenda
/// after them says what a rebuild of a copy says, from the facts; a goal or an archive
/// sends it back to the leads, and it still says the same.
#[test]
fn the_agenda_facts_follow_what_this_clone_writes() {
    let env = TestEnv::empty();
    let ws = crate::streamed::workspace(&env);
    let today = "2026-11-30";
    let read = ["--today", today, "agenda", "--format", "json"];
    let text = ["--today", today, "agenda", "--date", "2026-11-30"];
    let wins = ["--today", today, "win", "list", "--format", "json"];
    let team = [
        "--today",
        today,
        "report",
        "team",
        "--since",
        "2026-11-01",
        "--format",
        "csv",
    ];
    rebuilt(&env, &ws, &read);
    let writes: &[(&str, &[&str], bool)] = &[
        (
            "maria",
            &["lead", "add", "Quill Analytics", "--value", "40000"],
            true,
        ),
        (
            "maria",
            &["lead", "add", "Aardvark Labs", "--at", "2026-11-02"],
            true,
        ),
        ("maria", &["lead", "stage", "quill-analytics", "won"], true),
        ("maria", &["lead", "stage", "quill-analytics", "sql"], true),
        (
            "maria",
            &[
                "lead",
                "stage",
                "lindqvist-mobel",
                "won",
                "--at",
                "2026-11-25",
            ],
            true,
        ),
        (
            "maria",
            &["lead", "stage", "polaris-cold-storage", "mql"],
            true,
        ),
        (
            "maria",
            &["lead", "qualify", "aardvark-labs", "--met", "budget"],
            true,
        ),
        (
            "maria",
            &[
                "handoff",
                "oakmont-senior-living",
                "--to",
                "tom",
                "--force",
                "-q",
            ],
            true,
        ),
        (
            "maria",
            &[
                "lead",
                "edit",
                "oakmont-senior-living",
                "--company",
                "Oakmont Living",
            ],
            true,
        ),
        (
            "tom",
            &[
                "handoff",
                "reject",
                "oakmont-senior-living",
                "--reason",
                "no-budget",
            ],
            true,
        ),
        (
            "maria",
            &["handoff", "quill-analytics", "--to", "tom", "--force", "-q"],
            true,
        ),
        ("tom", &["handoff", "accept", "quill-analytics"], true),
        ("tom", &["lead", "stage", "quill-analytics", "won"], true),
        (
            "tom",
            &["feedback", "more demos", "--kind", "suggestion"],
            true,
        ),
        (
            "maria",
            &["idea", "A case study of lumen", "--lead", "lumen-biotech"],
            true,
        ),
        (
            "maria",
            &["action", "add", "Call the webinar leads", "--owner", "tom"],
            true,
        ),
        ("maria", &["win", "Lumen signed", "--credit", "tom"], true),
    ];
    for (who, write, taken) in writes {
        let args = [&["--as", who, "--today", today][..], write].concat();
        growth_in(&env, &ws, &args);
        assert_eq!(facts_taken(&ws, today, today), *taken, "after {write:?}");
        assert_eq!(team_facts_taken(&ws, today), *taken, "team after {write:?}");
        for read in [&read[..], &text[..], &wins[..], &team[..]] {
            let after = growth_in(&env, &ws, read);
            assert_eq!(after, rebuilt_apart(&env, &ws, read), "after {write:?}");
        }
    }
    // An action done, then a goal: the facts follow the first, not the second.
    let actions = growth_in(
        &env,
        &ws,
        &["--today", today, "action", "list", "--format", "json"],
    );
    let actions: serde_json::Value = serde_json::from_str(&actions).unwrap();
    let first = actions[0]["id"].as_str().unwrap();
    let goal = [
        "goal",
        "add",
        "Dec leads",
        "--metric",
        "leads",
        "--target",
        "5",
        "--from",
        "2026-12-01",
        "--to",
        "2026-12-31",
    ];
    for (write, taken) in [(&["action", "done", first][..], true), (&goal[..], false)] {
        let args = [&["--as", "maria", "--today", today][..], write].concat();
        growth_in(&env, &ws, &args);
        assert_eq!(facts_taken(&ws, today, today), taken, "after {write:?}");
        for read in [&read[..], &text[..]] {
            assert_eq!(growth_in(&env, &ws, read), rebuilt_apart(&env, &ws, read));
        }
    }
    // The next meeting's agenda shows what the facts were told: the deal won, the rename,
    // the rejection, the lead added.
    let agenda = growth_in(&env, &ws, &read);
    assert!(agenda.contains("Quill Analytics won"), "{agenda}");
    assert!(agenda.contains("Rejected: Oakmont Living"), "{agenda}");
    assert!(agenda.contains("Qualify Aardvark Labs"), "{agenda}");
    assert!(agenda.contains("Call the webinar leads"), "{agenda}");
    assert!(agenda.contains("Lumen signed"), "{agenda}");
    // A fresh cache, then an archive: the facts are not taken past it.
    rebuilt(&env, &ws, &read);
    assert!(facts_taken(&ws, today, today));
    let archive = [
        "--as",
        "maria",
        "--today",
        today,
        "lead",
        "archive",
        "quill-analytics",
    ];
    growth_in(&env, &ws, &archive);
    assert!(!facts_taken(&ws, today, today));
    let after = growth_in(&env, &ws, &read);
    assert_eq!(after, rebuilt_apart(&env, &ws, &read));
    assert!(!after.contains("Quill"), "{after}");
}

/// Seventeen leads given two owners at once in two clones: the agenda lists the first
/// fifteen conflicts at its top, as every section lists fifteen items, then how many more
/// and the command that lists them all.
#[test]
fn the_agenda_lists_fifteen_conflicts_and_counts_the_rest() {
    use crate::common::fleet::Fleet;
    const DAY: &str = "2026-11-16 09:00";
    const LATER: &str = "2026-11-16 12:00";
    let fleet = Fleet::new(2);
    let leads: Vec<String> = (1..=17).map(|n| format!("Lead {n:02} Corp")).collect();
    for lead in &leads {
        fleet.as_on(0, "maria", DAY, &["lead", "add", lead]);
    }
    fleet.exchange(DAY);
    for lead in &leads {
        let id = lead.to_lowercase().replace(' ', "-");
        fleet.as_on(
            0,
            "maria",
            "2026-11-16 10:00",
            &["lead", "edit", &id, "--owner", "maria"],
        );
        fleet.as_on(
            1,
            "maria",
            "2026-11-16 10:01",
            &["lead", "edit", &id, "--owner", "ana"],
        );
    }
    fleet.exchange(LATER);
    assert_eq!(fleet.conflicts(0, LATER).len(), 17);
    let agenda = fleet.json(0, LATER, &["agenda", "--date", "2026-11-23"]);
    let listed: Vec<&str> = (agenda["needs_decision"].as_array().unwrap().iter())
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(listed.len(), 16, "{listed:#?}");
    assert!(
        listed[0].starts_with("lead/lead-01-corp owner:"),
        "{listed:#?}"
    );
    assert_eq!(listed[15], "... and 2 more conflicts: growth conflicts");
    let text = fleet.ok(0, &["--today", LATER, "agenda", "--date", "2026-11-23"]);
    assert!(
        text.contains("... and 2 more conflicts: growth conflicts"),
        "{text}"
    );
    assert!(!text.contains("lead/lead-17-corp owner"), "{text}");
}
