//! A write after a pull catches the writers' index up on the pulled entries alone (#16):
//! what it then serves (lists, status, the next writes) must be what the whole journal
//! says, conflicts included.

use crate::common::fleet::Fleet;

const DAY: &str = "2026-11-16 09:00";
const LATER: &str = "2026-11-16 12:00";

/// What the index serves, and what the full state says: the same bytes.
const READS: &[&[&str]] = &[
    &["lead", "list"],
    &["lead", "list", "--stage", "sql", "--format", "csv"],
    &["handoff", "list", "--format", "json"],
    &["handoff", "list", "--pending"],
    &["--as", "tom", "status", "--format", "json"],
    &["--as", "maria", "status", "--format", "json"],
    &["conflicts", "--format", "json"],
];

fn reads(fleet: &Fleet, i: usize) -> Vec<String> {
    READS
        .iter()
        .map(|args| {
            let mut all = vec!["--today", LATER];
            all.extend_from_slice(args);
            fleet.ok(i, &all)
        })
        .collect()
}

#[test]
fn a_write_after_a_pull_catches_the_index_up_and_it_serves_what_the_journal_says() {
    let fleet = Fleet::new(2);
    for company in ["Acme", "Globex", "Initech"] {
        fleet.as_on(
            0,
            "maria",
            DAY,
            &["lead", "add", company, "--value", "1000"],
        );
    }
    fleet.as_on(0, "maria", DAY, &["handoff", "acme", "--to", "tom"]);
    fleet.exchange(DAY);
    // Concurrent work on both clones: tom accepts and adds a lead on clone 1; both clones
    // set Globex's value (a conflict); maria hands Initech off on clone 0.
    fleet.as_on(1, "tom", "2026-11-16 10:00", &["handoff", "accept", "acme"]);
    fleet.as_on(
        1,
        "tom",
        "2026-11-16 10:05",
        &["lead", "add", "Umbrella", "--owner", "tom"],
    );
    fleet.as_on(
        1,
        "tom",
        "2026-11-16 10:10",
        &["lead", "edit", "globex", "--value", "2500"],
    );
    fleet.as_on(
        0,
        "maria",
        "2026-11-16 10:20",
        &["lead", "edit", "globex", "--value", "3000"],
    );
    fleet.as_on(
        0,
        "maria",
        "2026-11-16 10:30",
        &["handoff", "initech", "--to", "tom"],
    );
    fleet.sync(1, LATER);
    fleet.sync(0, LATER);
    let cache = fleet.clones[0].join(".growth/cache");
    let base = std::fs::read(cache.join("index.bin")).unwrap();
    // The first write after the pull: the index is caught up, not rebuilt.
    fleet.as_on(0, "maria", LATER, &["feedback", "the pull went fine"]);
    assert_eq!(
        std::fs::read(cache.join("index.bin")).unwrap(),
        base,
        "the index's base was kept; the pulled records went to its log"
    );
    let log = std::fs::read_to_string(cache.join("index.log")).unwrap();
    assert!(
        log.contains("umbrella"),
        "the pulled lead is in the log:\n{log}"
    );
    // What the caught-up index serves equals what the whole journal says.
    let fast = reads(&fleet, 0);
    std::fs::rename(cache.join("index.bin"), cache.join("index.keep")).unwrap();
    let full = reads(&fleet, 0);
    std::fs::rename(cache.join("index.keep"), cache.join("index.bin")).unwrap();
    for ((args, fast), full) in READS.iter().zip(&fast).zip(&full) {
        assert_eq!(fast, full, "growth {}", args.join(" "));
    }
    let conflicts = fleet.conflicts(0, LATER);
    assert!(
        conflicts
            .iter()
            .any(|(r, f, _)| r == "globex" && f == "value"),
        "the concurrent values conflict: {conflicts:?}"
    );
    // The next writes validate against the caught-up index: Umbrella (pulled) can be
    // handed off, and settling the conflict clears it on both clones.
    fleet.as_on(0, "maria", LATER, &["handoff", "umbrella", "--to", "ana"]);
    fleet.as_on(
        0,
        "maria",
        LATER,
        &["resolve", "globex", "value", "--pick", "1"],
    );
    fleet.exchange(LATER);
    for i in 0..2 {
        assert!(fleet.conflicts(i, LATER).is_empty(), "clone {i}: settled");
        let pending = fleet.ok(i, &["--today", LATER, "handoff", "list", "--pending"]);
        assert!(
            pending.contains("umbrella") && pending.contains("initech"),
            "clone {i}: {pending}"
        );
    }
    assert_eq!(
        reads(&fleet, 0),
        reads(&fleet, 1),
        "both clones read the same"
    );
}
