//! Reads that decode only the records they show (`lead show` from one chunk of the cache)
//! print exactly what a full fold prints, and a damaged cache only costs time.

use crate::common::TestEnv;

/// A workspace of 4,500 leads, some handed off (one twice: rejected, then accepted),
/// with notes, tags and a stage history.
fn workspace() -> (TestEnv, Vec<String>) {
    let env = TestEnv::new();
    // More than one chunk (2,048) of the cache.
    let csv = crate::common::crm_export(env.ws.parent().unwrap(), 4_500);
    env.maria(&["lead", "import", csv.to_str().unwrap()]);
    let leads: Vec<String> = env
        .leads_json()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(leads.len(), 4_500);
    let picked: Vec<String> = [0, 2_047, 2_048, 2_049, 4_499]
        .iter()
        .map(|&i| leads[i].clone())
        .collect();
    let (first, last) = (&picked[0], &picked[4]);
    env.maria(&[
        "lead",
        "edit",
        first,
        "--note",
        "Asked for a demo",
        "--tag",
        "saas",
    ]);
    env.maria(&["lead", "stage", first, "mql"]);
    let handoff = |lead: &str| {
        env.maria(&["handoff", lead, "--to", "tom", "--note", "Ready for a call"]);
    };
    handoff(first);
    env.run(&[
        "--as",
        "tom",
        "--today",
        "2026-11-20",
        "handoff",
        "reject",
        first,
        "--reason",
        "bad-timing",
    ]);
    env.maria(&["lead", "stage", first, "mql"]);
    handoff(first);
    env.run(&[
        "--as",
        "tom",
        "--today",
        "2026-11-20",
        "handoff",
        "accept",
        first,
    ]);
    env.maria(&["lead", "stage", last, "mql"]);
    handoff(last);
    (env, picked)
}

fn show(env: &TestEnv, lead: &str, format: &str) -> String {
    env.run(&[
        "--today",
        "2026-11-21",
        "lead",
        "show",
        lead,
        "--format",
        format,
    ])
}

#[test]
fn a_lead_shown_from_its_chunk_equals_the_lead_from_a_full_fold() {
    let (env, leads) = workspace();
    let cache = env.ws.join(".growth").join("cache");
    for lead in &leads {
        for format in ["text", "json", "csv"] {
            // A full fold (no cache), then the same read from the cache it left.
            let _ = std::fs::remove_dir_all(&cache);
            let folded = show(&env, lead, format);
            assert!(cache.join("state.bin").exists());
            let from_chunk = show(&env, lead, format);
            assert_eq!(from_chunk, folded, "lead show {lead} --format {format}");
        }
    }
    let shown = show(&env, &leads[0], "text");
    assert!(shown.contains("Handoffs"), "{shown}");
    assert!(
        shown.contains("rejected") && shown.contains("accepted"),
        "{shown}"
    );
    assert!(shown.contains("Asked for a demo"), "{shown}");
}

#[test]
fn a_damaged_or_missing_cache_costs_time_never_correctness() {
    let (env, leads) = workspace();
    let state = env.ws.join(".growth").join("cache").join("state.bin");
    let expected: Vec<String> = leads.iter().map(|l| show(&env, l, "json")).collect();
    let len = std::fs::metadata(&state).unwrap().len() as usize;
    for at in [16, len / 3, len / 2, len - 40] {
        let _ = std::fs::remove_file(&state);
        show(&env, &leads[0], "json");
        let mut bytes = std::fs::read(&state).unwrap();
        bytes[at] ^= 0x55;
        std::fs::write(&state, &bytes).unwrap();
        for (lead, want) in leads.iter().zip(&expected) {
            assert_eq!(&show(&env, lead, "json"), want, "flipped byte {at}");
        }
    }
    std::fs::write(&state, b"not a cache").unwrap();
    assert_eq!(show(&env, &leads[4], "json"), expected[4]);
}

#[test]
fn a_lead_named_by_prefix_or_unknown_takes_the_ordinary_path() {
    let (env, leads) = workspace();
    show(&env, &leads[0], "json");
    let exact = show(&env, &leads[0], "json");
    let shown: serde_json::Value = serde_json::from_str(&exact).unwrap();
    let company = shown["company"].as_str().unwrap().to_string();
    assert_eq!(show(&env, &company, "json"), exact);
    let out = env
        .cmd()
        .args([
            "--today",
            "2026-11-21",
            "lead",
            "show",
            "no-such-lead-at-all",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[test]
fn a_lead_shown_after_this_clones_writes_equals_a_full_fold() {
    let (env, leads) = workspace();
    let cache = env.ws.join(".growth").join("cache");
    let _ = std::fs::remove_dir_all(&cache);
    show(&env, &leads[0], "json");
    // Writes after the cache: about the shown leads, their handoffs and other records.
    env.maria(&[
        "lead",
        "edit",
        &leads[1],
        "--note",
        "Called back",
        "--tag",
        "b2b",
    ]);
    env.maria(&["lead", "stage", &leads[2], "mql"]);
    env.maria(&["handoff", &leads[2], "--to", "tom"]);
    env.run(&[
        "--as",
        "tom",
        "--today",
        "2026-11-20",
        "handoff",
        "accept",
        &leads[2],
    ]);
    env.run(&[
        "--as",
        "tom",
        "--today",
        "2026-11-20",
        "handoff",
        "contact",
        &leads[4],
    ]);
    env.maria(&["lead", "stage", &leads[3], "lost", "--reason", "no-budget"]);
    env.maria(&["feedback", "Great leads this week"]);
    let company = |lead: &str| -> String {
        let shown: serde_json::Value = serde_json::from_str(&show(&env, lead, "json")).unwrap();
        shown["company"].as_str().unwrap().to_string()
    };
    let mut shown = Vec::new();
    for lead in &leads {
        for format in ["text", "json"] {
            let by_id = show(&env, lead, format);
            assert_eq!(by_id, show(&env, &company(lead), format), "{lead} {format}");
            shown.push(by_id);
        }
    }
    let _ = std::fs::remove_dir_all(&cache);
    let mut folded = Vec::new();
    for lead in &leads {
        for format in ["text", "json"] {
            folded.push(show(&env, lead, format));
        }
    }
    assert_eq!(shown, folded);
    assert!(shown[2].contains("Called back"), "{}", shown[2]);
}
