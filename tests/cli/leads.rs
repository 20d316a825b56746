//! The lead pipeline: add, list with filters, show, qualify, stage, edit, ids and prefixes.

use crate::common::TestEnv;

#[test]
fn a_lead_id_is_the_company_slug_and_duplicates_are_refused() {
    let env = TestEnv::new();
    let out = env.maria(&[
        "lead",
        "add",
        "Müller & Söhne GmbH",
        "--value",
        "$12,500.00",
    ]);
    assert!(out.contains("added muller-and-sohne-gmbh"), "{out}");
    let out = env
        .cmd()
        .args(["--as", "maria", "lead", "add", "Muller and Sohne GmbH"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("lead `muller-and-sohne-gmbh` exists already") && stderr.contains("--id"),
        "{stderr}"
    );
    env.maria(&["lead", "add", "Muller and Sohne GmbH", "--id", "muller-us"]);
    assert_eq!(env.leads_json().len(), 2);
}

#[test]
fn any_unique_prefix_or_the_company_name_finds_a_lead() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Acme Corp"]);
    env.maria(&["lead", "add", "Acme Labs"]);
    env.maria(&["lead", "add", "Globex"]);
    assert!(env.run(&["lead", "show", "glob"]).contains("Globex"));
    assert!(
        env.run(&["lead", "show", "Acme Labs"])
            .contains("(acme-labs)")
    );
    let out = env.cmd().args(["lead", "show", "acme"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("matches 2 leads"));
    let out = env.cmd().args(["lead", "show", "globx"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("unknown lead `globx`") && stderr.contains("did you mean `globex`?"),
        "{stderr}"
    );
}

#[test]
fn qualifying_advances_the_stage_once_enough_criteria_are_met() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Acme Corp"]);
    let out = env.maria(&["lead", "qualify", "acme", "--met", "budget,need"]);
    assert!(out.contains("(2 of 4)") && !out.contains("moved"), "{out}");
    let out = env.maria(&["lead", "qualify", "acme", "--met", "timeline"]);
    assert!(out.contains("(3 of 4); moved to mql"), "{out}");
    let lead = &env.leads_json()[0];
    assert_eq!(lead["stage"], "mql");
    assert_eq!(
        lead["met"],
        serde_json::json!(["budget", "need", "timeline"])
    );
    let out = env
        .cmd()
        .args(["--as", "maria", "lead", "qualify", "acme", "--met", "cash"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown criterion `cash`"));
}

#[test]
fn stages_move_and_are_kept_in_the_history() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Globex", "--owner", "tom"]);
    env.run(&[
        "--as",
        "tom",
        "--today",
        "2026-11-21",
        "lead",
        "stage",
        "globex",
        "won",
    ]);
    // Asking for the stage a lead is in already is a no-op, not an error (scripts rerun).
    let before = env.snapshot_files();
    let out = env.run(&["--as", "tom", "lead", "stage", "globex", "won"]);
    assert!(out.contains("already; nothing to record"), "{out}");
    assert_eq!(env.snapshot_files(), before);
    let out = env
        .cmd()
        .args(["--as", "tom", "lead", "stage", "globex", "wonn"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `won`?"));
    let lead = &env.leads_json()[0];
    assert_eq!(lead["history"][1]["stage"], "won");
    assert_eq!(lead["history"][1]["by"], "tom");
    assert_eq!(lead["history"][1]["at"], "2026-11-21T12:00:00+01:00");
}

#[test]
fn list_filters_by_stage_owner_tag_and_staleness() {
    let env = TestEnv::new();
    env.run(&[
        "--as",
        "maria",
        "--today",
        "2026-10-01",
        "lead",
        "add",
        "Old Co",
        "--tag",
        "emea",
    ]);
    env.run(&[
        "--as",
        "maria",
        "--today",
        "2026-11-18",
        "lead",
        "add",
        "New Co",
        "--owner",
        "tom",
        "--tag",
        "EMEA,us",
    ]);
    env.run(&[
        "--as",
        "maria",
        "--today",
        "2026-11-19",
        "lead",
        "stage",
        "new-co",
        "mql",
    ]);
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["--today", "2026-11-20", "lead", "list", "--format", "json"];
        all.extend_from_slice(args);
        let leads: Vec<serde_json::Value> = serde_json::from_str(&env.run(&all)).unwrap();
        leads
            .iter()
            .map(|l| l["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&["--stage", "mql"]), ["new-co"]);
    assert_eq!(ids(&["--owner", "maria"]), ["old-co"]);
    assert_eq!(ids(&["--tag", "emea"]), ["old-co", "new-co"]);
    assert_eq!(ids(&["--tag", "us"]), ["new-co"]);
    assert_eq!(ids(&["--stale", "14"]), ["old-co"]);
    let out = env
        .cmd()
        .args(["lead", "list", "--stage", "qualified"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown stage `qualified`"));
}

#[test]
fn edit_changes_fields_and_adds_notes() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Acme Corp", "--value", "1000"]);
    env.maria(&[
        "lead",
        "edit",
        "acme",
        "--value",
        "18000 EUR",
        "--owner",
        "tom",
        "--note",
        "CFO joins the call",
    ]);
    let lead = &env.leads_json()[0];
    assert_eq!(lead["value"], 18000.0);
    assert_eq!(lead["currency"], "EUR");
    assert_eq!(lead["owner"], "tom");
    assert_eq!(lead["notes"][0]["text"], "CFO joins the call");
    let out = env
        .cmd()
        .args(["--as", "maria", "lead", "edit", "acme"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn create_commands_print_the_new_record_as_json() {
    let env = TestEnv::new();
    let out = env.maria(&[
        "lead",
        "add",
        "Acme Corp",
        "--format",
        "json",
        "--contact",
        "Jane Roe",
    ]);
    let lead: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(lead["id"], "acme-corp");
    assert_eq!(lead["stage"], "new");
    assert_eq!(lead["owner"], "maria");
    assert_eq!(lead["contact"], "Jane Roe");
}

#[test]
fn user_text_cannot_reach_the_terminal_as_escapes() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Evil\u{1b}[2J Corp", "--id", "evil"]);
    let out = env.run(&["lead", "list"]);
    assert!(!out.contains('\u{1b}'), "{out:?}");
    assert!(out.contains("Evil\\u{1b}[2J Corp"));
    let out = env.run(&["lead", "list", "--format", "json"]);
    assert!(!out.contains('\u{1b}'));
}

#[test]
fn json_never_carries_raw_bidi_or_c1_controls() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Acme \u{202e}pxe\u{85}.exe", "--id", "acme"]);
    let out = env.run(&["lead", "show", "acme", "--format", "json"]);
    assert!(
        !out.contains('\u{202e}') && !out.contains('\u{85}'),
        "{out:?}"
    );
    let lead: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(lead["company"], "Acme \u{202e}pxe\u{85}.exe");
}

#[test]
fn a_change_that_changes_nothing_still_prints_json_for_scripts() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Quiet Co"]);
    env.maria(&["lead", "stage", "quiet-co", "mql"]);
    env.maria(&["lead", "qualify", "quiet-co", "--met", "budget"]);
    let before = env.snapshot_files();
    for args in [
        &["lead", "stage", "quiet-co", "mql", "--format", "json"][..],
        &[
            "lead", "qualify", "quiet-co", "--met", "budget", "--format", "json",
        ][..],
    ] {
        let out = env.maria(args);
        let lead: serde_json::Value =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}: {out}"));
        assert_eq!(lead["id"], "quiet-co");
        assert_eq!(lead["stage"], "mql");
    }
    assert_eq!(env.snapshot_files(), before, "nothing was recorded");
    let told = env.maria(&["lead", "stage", "quiet-co", "mql"]);
    assert!(told.contains("already; nothing to record"), "{told}");
}

#[test]
fn a_month_file_past_its_size_gets_no_more_entries_a_new_part_does() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Acme Corp"]);
    let file = crate::common::journal_files(&env.ws).pop().unwrap();
    // A busy month (a bot, an import): 1,400 entries, over 256 KiB.
    let mut text = std::fs::read_to_string(&file).unwrap();
    for i in 0..1400 {
        text += &format!(
            "\n[[entry]]\nat = 2026-11-19T10:00:00+01:00\nby = \"maria\"\nkind = \"lead.add\"\n\
             lead = \"big-co-{i}\"\ncompany = \"Big Co {i}\"\nowner = \"maria\"\n\
             stage = \"new\"\ncurrency = \"USD\"\nsource = \"a long list bought at a trade show\"\n"
        );
    }
    assert!(text.len() > 256 * 1024);
    std::fs::write(&file, &text).unwrap();
    env.maria(&["lead", "add", "After Big"]);
    // The big file is left as it was; the new entry starts the month's second part.
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    let part = file.with_file_name(format!(
        "{}-2.toml",
        file.file_stem().unwrap().to_string_lossy()
    ));
    let second = std::fs::read_to_string(&part).unwrap();
    assert!(second.contains("after-big"), "{second}");
    env.maria(&["lead", "add", "Later Co"]);
    assert!(std::fs::read_to_string(&part).unwrap().contains("later-co"));
    env.run(&["check"]);
    assert_eq!(env.leads_json().len(), 1403);
}
