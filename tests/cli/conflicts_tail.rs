//! `conflicts` after this clone's own writes reads the conflicts alone from the cache when
//! those writes touch no record in conflict (an entry written here cannot make one); when
//! one does (it may settle it), the ordinary path applies them. Either way it must list
//! exactly what a rebuild from the journal lists.

use std::path::Path;

use crate::common::fleet::Fleet;
use crate::merge_meaning::add_acme_in_both;

const DAY: &str = "2026-11-16 09:00";
const LATER: &str = "2026-11-16 12:00";

/// `conflicts --format json` in `clone`, and the same from the journal alone (the cache
/// folder moved aside, then put back as it was).
fn served_and_rebuilt(fleet: &Fleet, clone: &Path) -> (String, String) {
    let args = ["--today", LATER, "conflicts", "--format", "json"];
    let served = fleet.ok(0, &args);
    let cache = clone.join(".growth").join("cache");
    let aside = clone.join(".growth").join("cache-aside");
    std::fs::rename(&cache, &aside).unwrap();
    let rebuilt = fleet.ok(0, &args);
    std::fs::remove_dir_all(&cache).unwrap();
    std::fs::rename(&aside, &cache).unwrap();
    (served, rebuilt)
}

#[test]
fn conflicts_after_local_writes_equal_a_rebuild() {
    let fleet = Fleet::new(2);
    // The same company added in both clones (value and contact conflict), a lead given two
    // owners at once, and a handoff accepted in one clone and rejected in the other.
    add_acme_in_both(&fleet, DAY);
    fleet.as_on(0, "maria", DAY, &["lead", "add", "Gamma Labs"]);
    fleet.as_on(0, "maria", DAY, &["lead", "add", "Delta Foods"]);
    let handed = fleet.json(
        0,
        DAY,
        &["--as", "maria", "handoff", "delta-foods", "--to", "tom"],
    );
    let delta = handed["id"].as_str().unwrap().to_string();
    let handed = fleet.json(
        0,
        DAY,
        &["--as", "maria", "handoff", "gamma-labs", "--to", "tom"],
    );
    let gamma = handed["id"].as_str().unwrap().to_string();
    fleet.exchange(DAY);
    fleet.as_on(
        0,
        "maria",
        "2026-11-16 10:00",
        &["lead", "edit", "gamma-labs", "--owner", "maria"],
    );
    fleet.as_on(
        1,
        "maria",
        "2026-11-16 10:01",
        &["lead", "edit", "gamma-labs", "--owner", "ana"],
    );
    fleet.as_on(0, "tom", "2026-11-16 10:00", &["handoff", "accept", &delta]);
    fleet.as_on(
        1,
        "tom",
        "2026-11-16 10:05",
        &["handoff", "reject", &delta, "--reason", "no-budget"],
    );
    fleet.exchange(LATER);
    let clone = fleet.clones[0].clone();
    fleet.ok(0, &["--today", LATER, "check"]);
    let listed = fleet.conflicts(0, LATER);
    assert!(
        listed
            .iter()
            .any(|(r, f, _)| r == "acme-corp" && f == "value")
            && listed
                .iter()
                .any(|(r, f, _)| r == "gamma-labs" && f == "owner")
            && listed
                .iter()
                .any(|(r, f, _)| r == &delta && f == "decision"),
        "the conflicts made: {listed:?}"
    );

    // Writes of this clone, one at a time: records in no conflict, then each kind of
    // settling (a decision that sets the owner of a lead in conflict through its
    // handoff, the register itself, a handoff's decision).
    let writes: [&[&str]; 6] = [
        &["--as", "maria", "lead", "add", "Epsilon Co"],
        &[
            "--as",
            "maria",
            "feedback",
            "Prospects ask for SSO",
            "--kind",
            "suggestion",
        ],
        &["--as", "maria", "lead", "stage", "epsilon-co", "mql"],
        &["--as", "tom", "handoff", "accept", &gamma],
        &[
            "--as",
            "tom",
            "resolve",
            "acme-corp",
            "value",
            "--pick",
            "2",
        ],
        &["--as", "tom", "handoff", "accept", &delta],
    ];
    let mut seen = Vec::new();
    for write in writes {
        fleet.ok(0, &[&["--today", LATER], write].concat());
        let (served, rebuilt) = served_and_rebuilt(&fleet, &clone);
        assert_eq!(served, rebuilt, "after {write:?}");
        seen.push(rebuilt);
    }
    // Each settling write changed the list; the others did not.
    assert_eq!(seen[0], seen[2]);
    assert_ne!(
        seen[2], seen[3],
        "accepting gamma's handoff settles its lead's owner"
    );
    assert_ne!(seen[3], seen[4], "resolving the value settles it");
    assert_ne!(seen[4], seen[5], "accepting again settles the decision");
}
