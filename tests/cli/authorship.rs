//! Attacks 5 and 6 of issue #13, through real git: a teammate with push access forging
//! entries in someone else's name, and anonymous feedback tied back to its giver.

use crate::common::team::{TEAMMATE, Team, git_as};

const DAY: &str = "2026-11-20";

/// An entry as an attacker writes it by hand.
fn entry(id: &str, by: &str, kind: &str, fields: &str) -> String {
    format!(
        "\n[[entry]]\nat = 2026-11-20T11:00:00+01:00\nby = \"{by}\"\nkind = \"{kind}\"\n{fields}entry = \"{id}\"\n"
    )
}

#[test]
fn entries_forged_in_a_teammates_name_are_reported_and_count_nowhere() {
    let team = Team::new();
    let ok = |args: &[&str]| {
        let out = team.maria(DAY, args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    ok(&["lead", "add", "Acme Corp", "--value", "50000"]);
    ok(&["handoff", "acme", "--to", "tom"]);
    ok(&["sync"]);
    let handoff: Vec<serde_json::Value> = serde_json::from_str(&team.ok(
        &team.a,
        &["--today", DAY, "handoff", "list", "--format", "json"],
    ))
    .unwrap();
    let handoff = handoff[0]["id"].as_str().unwrap().to_string();

    // In clone b, someone with push access plants entries in maria's name in a file named
    // after tom, one in tom's own file rejecting as maria, and ana deciding tom's handoff
    // in her own file (only its receiver or a leader may).
    team.git(&team.b, &["pull", "-q"]);
    let month = team.b.join("journal/2026-11");
    std::fs::create_dir_all(&month).unwrap();
    let forged = entry(
        "fakefake0001",
        "maria",
        "lead.stage",
        "lead = \"acme-corp\"\nstage = \"won\"\n",
    ) + &entry(
        "fakefake0002",
        "maria",
        "feedback.add",
        "id = \"forgedfb01\"\ncategory = \"missing-the-mark\"\ntext = \"Sales ignores my leads\"\n",
    ) + &entry(
        "fakefake0003",
        "maria",
        "handoff.reject",
        &format!("handoff = \"{handoff}\"\nreason = \"no-budget\"\n"),
    );
    std::fs::write(month.join("tom-aaaa.toml"), forged).unwrap();
    std::fs::write(
        month.join("ana-bbbb.toml"),
        entry(
            "fakefake0004",
            "ana",
            "handoff.accept",
            &format!("handoff = \"{handoff}\"\n"),
        )
        .replace("T11:00:00", "T12:05:00"),
    )
    .unwrap();
    team.push_as(&team.b, TEAMMATE, "entries");

    // maria syncs: the push is merged (it only adds lines), check passes with warnings,
    // and none of it counts.
    ok(&["sync"]);
    let check = team.growth(&team.a, &["--today", DAY, "check"]);
    assert_eq!(check.status.code(), Some(0));
    let warned = String::from_utf8_lossy(&check.stderr);
    assert!(warned.contains("4 entries are ignored"), "{warned}");
    assert!(warned.contains("tom-aaaa.toml"), "{warned}");
    assert!(warned.contains("in tom's file"), "{warned}");
    assert!(
        warned.contains("only its receiver (tom) or a leader"),
        "{warned}"
    );
    let leads: Vec<serde_json::Value> = serde_json::from_str(&team.ok(
        &team.a,
        &["--today", DAY, "lead", "list", "--format", "json"],
    ))
    .unwrap();
    assert_eq!(
        leads[0]["stage"], "new",
        "the forged stage change counts nowhere"
    );
    let feedback = team.ok(
        &team.a,
        &["--today", DAY, "feedback", "list", "--format", "json"],
    );
    assert!(!feedback.contains("Sales ignores"), "{feedback}");
    let handoffs: Vec<serde_json::Value> = serde_json::from_str(&team.ok(
        &team.a,
        &["--today", DAY, "handoff", "list", "--format", "json"],
    ))
    .unwrap();
    assert_eq!(
        handoffs[0]["status"], "pending",
        "neither forged decision counts"
    );
    // The receiver decides for real, and that counts.
    let out = team.growth(
        &team.a,
        &["--as", "tom", "--today", DAY, "handoff", "accept", &handoff],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = team.growth(
        &team.a,
        &[
            "--as",
            "ana",
            "--today",
            DAY,
            "handoff",
            "reject",
            &handoff,
            "--reason",
            "no-budget",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "ana may not decide tom's handoff"
    );
}

#[test]
fn anonymous_feedback_keeps_only_its_day_and_is_committed_under_no_name() {
    let team = Team::new();
    let maria = |at: &str, args: &[&str]| {
        let mut all = vec!["--as", "maria", "--today", at];
        all.extend_from_slice(args);
        let out = team.growth(&team.a, &all);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    maria("2026-11-20T10:00:00", &["lead", "add", "Acme Corp"]);
    maria(
        "2026-11-20T10:00:00",
        &["feedback", "Our handoffs are too slow", "--anonymous"],
    );
    let files = crate::common::journal_files(&team.a);
    let anonymous: Vec<_> = files
        .iter()
        .filter(|f| {
            f.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("anonymous-")
        })
        .collect();
    assert_eq!(anonymous.len(), 1);
    let text = std::fs::read_to_string(anonymous[0]).unwrap();
    assert!(text.contains("at = 2026-11-20T00:00:00+01:00"), "{text}");
    assert!(!text.contains("maria"), "{text}");
    assert!(!text.contains("after ="), "{text}");

    // sync commits it on its own, under no one's name, dated to the day.
    let sync = team.growth(
        &team.a,
        &["--as", "maria", "--today", "2026-11-20T10:00:00", "sync"],
    );
    assert!(
        sync.status.success(),
        "{}",
        String::from_utf8_lossy(&sync.stderr)
    );
    let home = &team.env.home;
    let log = git_as(
        &team.a,
        home,
        TEAMMATE,
        &[
            "log",
            "--format=@@%an <%ae> %ad|%s",
            "--date=iso",
            "--name-only",
        ],
    );
    let commits: Vec<&str> = log.split("@@").map(str::trim).collect();
    let anon = commits
        .iter()
        .find(|c| c.contains("anonymous-"))
        .unwrap_or_else(|| panic!("{log}"));
    assert!(
        anon.starts_with(
            "growth <anonymous@growth.invalid> 2026-11-20 00:00:00 +0000|growth: anonymous feedback"
        ),
        "{anon}"
    );
    assert!(
        !anon.contains("maria-"),
        "the anonymous commit holds nothing else: {anon}"
    );
    let own = commits
        .iter()
        .find(|c| c.contains("maria-"))
        .unwrap_or_else(|| panic!("{log}"));
    assert!(!own.contains("anonymous-"), "{own}");
}
