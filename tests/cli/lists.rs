//! `lead list` and `handoff list` read a current writers' index when they can (#16): what
//! they print must be byte for byte what the full state prints.

use crate::common::TestEnv;

/// A team's week: leads with every field, in several stages, one archived; handoffs
/// pending, accepted, contacted and rejected, with notes holding tabs and quotes.
fn week() -> TestEnv {
    let env = TestEnv::new();
    env.maria(&[
        "lead",
        "add",
        "Acme Corp",
        "--contact",
        "Jane Roe",
        "--email",
        "jane@acme.example",
        "--source",
        "webinar",
        "--value",
        "12500 EUR",
        "--owner",
        "tom",
        "--tag",
        "emea",
        "--tag",
        "a,b",
    ]);
    env.maria(&["lead", "add", "Globex", "--value", "8000", "--tag", "apac"]);
    env.maria(&["lead", "add", "Initech \"Labs\"", "--source", "referral"]);
    env.maria(&["lead", "add", "Umbrella", "--owner", "ana"]);
    env.maria(&["lead", "add", "Old Co"]);
    env.maria(&["lead", "qualify", "acme-corp", "--met", "budget,need"]);
    env.maria(&["lead", "stage", "globex", "mql"]);
    env.maria(&[
        "lead",
        "stage",
        "umbrella",
        "lost",
        "--reason",
        "went quiet",
    ]);
    env.maria(&["handoff", "old-co", "--to", "tom"]);
    env.maria(&["lead", "archive", "old-co"]);
    env.maria(&[
        "handoff",
        "acme-corp",
        "--to",
        "tom",
        "--note",
        "CFO asked\tfor pricing",
    ]);
    env.maria(&["handoff", "globex", "--to", "ana", "--note", "wants a call"]);
    env.maria(&["handoff", "initech-labs", "--to", "tom"]);
    env.run(&[
        "--as",
        "tom",
        "--today",
        "2026-11-21",
        "handoff",
        "accept",
        "acme-corp",
    ]);
    env.run(&[
        "--as",
        "tom",
        "--today",
        "2026-11-23",
        "handoff",
        "contact",
        "acme-corp",
    ]);
    env.run(&[
        "--as",
        "tom",
        "--today",
        "2026-11-24",
        "handoff",
        "reject",
        "initech-labs",
        "--reason",
        "no-budget",
        "--note",
        "budget frozen",
    ]);
    env
}

const LISTS: &[&[&str]] = &[
    &["lead", "list"],
    &["lead", "list", "--stage", "mql"],
    &["lead", "list", "--stage", "sql", "--format", "csv"],
    &["lead", "list", "--stage", "won"],
    &["lead", "list", "--owner", "tom", "--format", "csv"],
    &["lead", "list", "--tag", "a,b"],
    &["lead", "list", "--stale", "3"],
    &["handoff", "list"],
    &["handoff", "list", "--pending"],
    &["handoff", "list", "--pending", "--format", "json"],
    &["handoff", "list", "--format", "csv"],
    &["handoff", "list", "--overdue", "--format", "json"],
    &["handoff", "list", "--search", "pricing"],
    // `status` reads its leads and handoffs from the index too.
    &["--as", "tom", "status"],
    &["--as", "tom", "status", "--format", "json"],
    &["--as", "ana", "status", "--format", "json"],
    &["--as", "maria", "status", "--format", "json"],
];

fn lists(env: &TestEnv, today: &str) -> Vec<String> {
    LISTS
        .iter()
        .map(|args| {
            let mut all = vec!["--today", today];
            all.extend_from_slice(args);
            env.run(&all)
        })
        .collect()
}

#[test]
fn lists_read_from_the_writers_index_equal_lists_from_the_state() {
    let env = week();
    let index = env.ws.join(".growth/cache/index.bin");
    assert!(index.is_file(), "the writers kept an index");
    for today in ["2026-11-30", "2026-11-22"] {
        let fast = lists(&env, today);
        std::fs::copy(&index, env.ws.join(".growth/index.keep")).unwrap();
        std::fs::remove_file(&index).unwrap();
        let full = lists(&env, today);
        std::fs::copy(env.ws.join(".growth/index.keep"), &index).unwrap();
        for ((args, fast), full) in LISTS.iter().zip(&fast).zip(&full) {
            assert_eq!(fast, full, "growth --today {today} {}", args.join(" "));
        }
    }
    // The lists show what they should: the archived lead is gone, the stage filter holds.
    let mql = env.run(&["--today", "2026-11-30", "lead", "list", "--stage", "mql"]);
    assert!(
        mql.contains("globex") && !mql.contains("acme-corp"),
        "{mql}"
    );
    let all = env.run(&["--today", "2026-11-30", "lead", "list"]);
    assert!(!all.contains("old-co"), "{all}");
}

#[test]
fn a_journal_changed_behind_the_index_is_listed_from_the_journal() {
    let env = week();
    // A teammate's entry arrives (as a pull would bring it): the index no longer matches.
    let month = env.ws.join("journal/2026-11");
    std::fs::write(
        month.join("tom-zz99.toml"),
        "[[entry]]\nat = 2026-11-25T09:00:00Z\nby = \"tom\"\nkind = \"lead.add\"\nlead = \"pulled-co\"\ncompany = \"Pulled Co\"\nstage = \"mql\"\nentry = \"p2xq7k9m3v5w\"\n",
    )
    .unwrap();
    let mql = env.run(&["--today", "2026-11-30", "lead", "list", "--stage", "mql"]);
    assert!(mql.contains("pulled-co"), "{mql}");
}

#[test]
fn no_leads_in_a_stage_and_no_leads_at_all_read_differently() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Solo"]);
    env.maria(&["lead", "archive", "solo"]);
    let none = env.run(&["--today", "2026-11-30", "lead", "list"]);
    assert!(none.contains("no leads yet"), "{none}");
    env.maria(&["lead", "add", "Duo"]);
    let none = env.run(&["--today", "2026-11-30", "lead", "list", "--stage", "won"]);
    assert!(none.contains("no leads match"), "{none}");
    let none = env.run(&["--today", "2026-11-30", "handoff", "list", "--pending"]);
    assert!(none.contains("no handoffs yet"), "{none}");
}
