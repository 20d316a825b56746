//! The agenda's handoffs section picks what it shows in one pass: the first `MAX_ITEMS`
//! open handoffs (late first, then the oldest, then by id), the count of the rest, and
//! the counts of the summary, whatever the number of open handoffs.

use crate::common::{self, TestEnv};

#[test]
fn the_agenda_shows_the_first_open_handoffs_of_many_late_first_then_oldest() {
    let env = TestEnv::new();
    let export = common::crm_export(&env.ws, 71);
    common::import(&env, &export, &[]);
    let leads = env.leads_json();
    // Ten handoffs past their SLA by Monday's 10:00 meeting, sixty made over the weekend
    // (in time: the clocks ran an hour), four at each moment (ties are settled by id), and
    // one made on Friday and accepted at once but never contacted: older than the weekend's
    // and in time too (8 business hours to a first contact), so only "late first" puts it
    // after the ten.
    for (i, lead) in leads.iter().take(71).enumerate() {
        let id = lead["id"].as_str().unwrap();
        let at = match i {
            0..9 => format!("2026-11-2{} 0{}:00", 3 + (i / 4), 8 + i % 2),
            // Late, yet newer than the one accepted in time below.
            9 => "2026-11-27 12:00".to_string(),
            10..70 => format!("2026-11-2{} {}:00", 8 + i % 2, 10 + (i / 8) % 6),
            _ => "2026-11-27 11:00".to_string(),
        };
        let handoff = env.run(&[
            "--as",
            "maria",
            "--today",
            "2026-11-30 08:00",
            "--at",
            &at,
            "handoff",
            id,
            "--to",
            "tom",
            "-q",
        ]);
        if i == 70 {
            env.run(&[
                "--as",
                "tom",
                "--today",
                "2026-11-30 08:00",
                "--at",
                "2026-11-27 11:30",
                "handoff",
                "accept",
                handoff.trim(),
            ]);
        }
    }
    // Before Monday's 10:00 meeting, so the agenda is that one's.
    let agenda: serde_json::Value = serde_json::from_str(&env.run(&[
        "--today",
        "2026-11-30 08:00",
        "agenda",
        "--format",
        "json",
    ]))
    .unwrap();
    let section = agenda["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "handoffs")
        .unwrap();
    let items = section["items"].as_array().unwrap();
    let shown: Vec<&str> = items
        .iter()
        .filter_map(|i| i["text"].as_str())
        .filter(|t| t.starts_with("No first contact") || t.starts_with("Waiting for"))
        .collect();

    // What the agenda must show: every open handoff late first, then by time, then by id.
    let list: Vec<serde_json::Value> = serde_json::from_str(&env.run(&[
        "--today",
        "2026-11-30 08:00",
        "handoff",
        "list",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(list.len(), 71, "every handoff is open");
    assert_eq!(list.iter().filter(|h| h["overdue"] == true).count(), 10);
    let mut open: Vec<(bool, String, String, String)> = list
        .iter()
        .map(|h| {
            (
                !h["overdue"].as_bool().unwrap(),
                h["at"].as_str().unwrap().to_string(),
                h["id"].as_str().unwrap().to_string(),
                h["lead"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    open.sort();
    let expected: Vec<&str> = open.iter().take(15).map(|h| h.3.as_str()).collect();
    assert_eq!(shown.len(), 15, "{items:#?}");
    for (text, lead) in shown.iter().zip(&expected) {
        assert!(
            text.contains(&format!("({lead})")),
            "{text} should name {lead}\n{shown:#?}"
        );
    }
    let more = items.last().unwrap()["text"].as_str().unwrap();
    assert!(more.contains("56 more open handoffs"), "{more}");
    let summary = section["summary"].as_str().unwrap();
    assert!(
        summary.ends_with("70 pending, 10 open past the SLA"),
        "{summary}"
    );
}
