//! The four cases of issue 12, each through real clones of one git repository synced
//! with `growth sync`: what two clones recorded concurrently merges by meaning.

use crate::common::fleet::Fleet;

const DAY: &str = "2026-11-16 09:00";
const LATER: &str = "2026-11-16 12:00";

fn statuses(fleet: &Fleet, i: usize, id: &str) -> serde_json::Value {
    let list = fleet.json(i, LATER, &["handoff", "list"]);
    list.as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("handoff {id} listed in clone {i}"))
}

#[test]
fn attendance_recorded_in_each_clone_is_the_union() {
    let fleet = Fleet::new(3);
    for (i, who) in [(0, "maria"), (1, "tom"), (2, "ana")] {
        fleet.as_on(
            i,
            who,
            DAY,
            &[
                "meeting",
                "record",
                "--date",
                "2026-11-16",
                "--attendee",
                who,
                "--note",
                &format!("{who} was there"),
            ],
        );
    }
    fleet.exchange(LATER);
    let mut shown = Vec::new();
    for i in 0..3 {
        let meeting = fleet.json(i, LATER, &["meeting", "show", "2026-11-16"]);
        let mut attendees: Vec<String> = meeting["attendees"]
            .as_array()
            .unwrap_or_else(|| panic!("attendees in {meeting}"))
            .iter()
            .map(|a| a.as_str().map_or_else(|| a["id"].to_string(), String::from))
            .collect();
        attendees.sort();
        assert_eq!(attendees, ["ana", "maria", "tom"], "clone {i}: the union");
        assert_eq!(
            meeting["notes"].as_array().unwrap().len(),
            3,
            "clone {i}: every note"
        );
        shown.push(meeting.to_string());
        assert!(fleet.conflicts(i, LATER).is_empty(), "sets do not conflict");
    }
    assert!(shown.windows(2).all(|w| w[0] == w[1]), "{shown:?}");
}

#[test]
fn accept_and_reject_in_two_clones_is_a_conflict_until_accepted_again() {
    let fleet = Fleet::new(3);
    fleet.as_on(
        0,
        "maria",
        DAY,
        &["lead", "add", "Acme Corp", "--value", "5000"],
    );
    let handoff = fleet.json(
        0,
        DAY,
        &["--as", "maria", "handoff", "acme-corp", "--to", "tom"],
    );
    let id = handoff["id"].as_str().unwrap().to_string();
    fleet.exchange(DAY);
    fleet.as_on(0, "tom", "2026-11-16 10:00", &["handoff", "accept", &id]);
    fleet.as_on(
        1,
        "tom",
        "2026-11-16 10:05",
        &["handoff", "reject", &id, "--reason", "no-budget"],
    );
    fleet.exchange(LATER);
    for i in 0..3 {
        let conflicts = fleet.conflicts(i, LATER);
        let decision = conflicts
            .iter()
            .find(|(record, field, _)| record == &id && field == "decision")
            .unwrap_or_else(|| panic!("clone {i}: a decision conflict in {conflicts:?}"));
        let mut values = decision.2.clone();
        values.sort();
        assert_eq!(values, ["accepted", "rejected (no-budget)"], "clone {i}");
        assert_eq!(
            statuses(&fleet, i, &id)["status"],
            "pending",
            "clone {i}: a conflicted decision counts as undecided"
        );
    }
    fleet.as_on(2, "tom", LATER, &["handoff", "accept", &id]);
    fleet.exchange(LATER);
    for i in 0..3 {
        assert!(
            fleet.conflicts(i, LATER).is_empty(),
            "clone {i}: settled everywhere"
        );
        assert_eq!(statuses(&fleet, i, &id)["status"], "accepted", "clone {i}");
    }
}

/// Acme Corp added in clones 0 and 1 on `day`, worth 12000 with Jane Roe as contact in
/// the first, 18000 with John Doe in the second: once exchanged, the value and the
/// contact conflict.
pub fn add_acme_in_both(fleet: &Fleet, day: &str) {
    for (i, value, contact) in [(0, "12000", "Jane Roe"), (1, "18000", "John Doe")] {
        let add = [
            "lead",
            "add",
            "Acme Corp",
            "--value",
            value,
            "--contact",
            contact,
        ];
        fleet.as_on(i, "maria", day, &add);
    }
}

#[test]
fn the_same_company_added_twice_conflicts_on_value_and_contact_until_resolved() {
    let fleet = Fleet::new(2);
    add_acme_in_both(&fleet, DAY);
    fleet.exchange(LATER);
    let mut second_value = String::new();
    for i in 0..2 {
        let conflicts = fleet.conflicts(i, LATER);
        let field = |name: &str| {
            let mut values = conflicts
                .iter()
                .find(|(r, f, _)| r == "acme-corp" && f == name)
                .unwrap_or_else(|| panic!("clone {i}: {name} conflicts in {conflicts:?}"))
                .2
                .clone();
            let listed = values.clone();
            values.sort();
            (values, listed)
        };
        assert_eq!(field("value").0, ["12000", "18000"], "clone {i}");
        assert_eq!(field("contact").0, ["Jane Roe", "John Doe"], "clone {i}");
        second_value = field("value").1[1].clone();
    }
    fleet.as_on(
        1,
        "tom",
        LATER,
        &["resolve", "acme-corp", "value", "--pick", "2"],
    );
    fleet.exchange(LATER);
    for i in 0..2 {
        let conflicts = fleet.conflicts(i, LATER);
        assert!(
            conflicts.iter().all(|(_, f, _)| f != "value"),
            "clone {i}: value settled: {conflicts:?}"
        );
        assert!(
            conflicts.iter().any(|(_, f, _)| f == "contact"),
            "clone {i}: the contact still waits for a decision"
        );
        let lead = fleet.json(i, LATER, &["lead", "show", "acme-corp"]);
        assert_eq!(
            lead["value"].as_f64().unwrap().to_string(),
            second_value,
            "clone {i}: the picked value"
        );
    }
}

#[test]
fn the_same_goal_added_twice_with_targets_4_and_6_conflicts_until_resolved() {
    let fleet = Fleet::new(2);
    for (i, target) in [(0, "4"), (1, "6")] {
        fleet.as_on(
            i,
            "maria",
            DAY,
            &[
                "goal",
                "add",
                "Q4 case studies",
                "--metric",
                "manual",
                "--target",
                target,
                "--from",
                "2026-10-01",
                "--to",
                "2026-12-31",
            ],
        );
    }
    fleet.exchange(LATER);
    let mut listed = Vec::new();
    for i in 0..2 {
        let conflicts = fleet.conflicts(i, LATER);
        let target = conflicts
            .iter()
            .find(|(r, f, _)| r == "q4-case-studies" && f == "target")
            .unwrap_or_else(|| panic!("clone {i}: a target conflict in {conflicts:?}"));
        let mut values = target.2.clone();
        listed = values.clone();
        values.sort();
        assert_eq!(values, ["4", "6"], "clone {i}");
    }
    fleet.as_on(
        0,
        "maria",
        LATER,
        &["resolve", "q4-case-studies", "target", "--pick", "1"],
    );
    fleet.exchange(LATER);
    for i in 0..2 {
        assert!(fleet.conflicts(i, LATER).is_empty(), "clone {i}: settled");
        let goals = fleet.json(i, LATER, &["goal", "list"]);
        let goal = goals
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["id"] == "q4-case-studies")
            .unwrap();
        assert_eq!(
            goal["target"].as_f64().unwrap().to_string(),
            listed[0],
            "clone {i}: the picked target"
        );
    }
}

/// Two clones decide one handoff differently and sync: the handoff's id.
fn decided_both_ways(fleet: &Fleet) -> String {
    fleet.as_on(0, "maria", DAY, &["lead", "add", "Acme Corp"]);
    let handoff = fleet.json(
        0,
        DAY,
        &["--as", "maria", "handoff", "acme-corp", "--to", "tom"],
    );
    let id = handoff["id"].as_str().unwrap().to_string();
    fleet.exchange(DAY);
    fleet.as_on(0, "tom", "2026-11-16 10:00", &["handoff", "accept", &id]);
    fleet.as_on(
        1,
        "tom",
        "2026-11-16 10:05",
        &["handoff", "reject", &id, "--reason", "no-budget"],
    );
    fleet.exchange(LATER);
    id
}

#[test]
fn a_standing_conflict_shows_in_check_alerts_and_the_agenda() {
    let fleet = Fleet::new(2);
    let id = decided_both_ways(&fleet);
    let check = fleet.growth(0, &["--today", LATER, "check"]);
    assert_eq!(check.status.code(), Some(0), "a conflict is a warning");
    let said = String::from_utf8_lossy(&check.stderr).to_string()
        + &String::from_utf8_lossy(&check.stdout);
    assert!(
        said.contains(&id),
        "check names the conflicted handoff: {said}"
    );
    let alerts = fleet.growth(0, &["--today", LATER, "check", "--alerts"]);
    assert_eq!(alerts.status.code(), Some(3), "check --alerts");
    let agenda = fleet.ok(0, &["--today", LATER, "agenda"]);
    assert!(agenda.contains("Needs a decision"), "{agenda}");
}
