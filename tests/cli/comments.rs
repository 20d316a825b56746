//! A person's comments and blank lines survive every write growth makes.

use crate::common::{TestEnv, journal_files};

/// Asserts every line of `old` appears in `new`, in order.
fn assert_lines_kept(old: &str, new: &str) {
    let mut new_lines = new.lines();
    for line in old.lines() {
        assert!(
            new_lines.any(|l| l == line),
            "line {line:?} was lost; new file:\n{new}"
        );
    }
}

#[test]
fn comments_in_growth_toml_survive_member_add() {
    let env = TestEnv::new();
    let path = env.ws.join("growth.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text = text.replace(
        "[pipeline]",
        "# Our pipeline, agreed at the offsite.\n\n\n[pipeline]  # keep in sync with the CRM",
    );
    std::fs::write(&path, &text).unwrap();
    env.run(&["member", "add", "lee", "--name", "Lee Park", "--dept", "hr"]);
    // Members live in the journal: growth.toml is not rewritten at all.
    let after = std::fs::read_to_string(&path).unwrap();
    assert_lines_kept(&text, &after);
    assert_eq!(after, text);
    assert!(env.run(&["member", "list"]).contains("Lee Park"));
    env.maria(&["lead", "add", "Acme Corp"]);
    env.maria(&["lead", "stage", "acme-corp", "mql"]);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        after,
        "lead commands must not touch growth.toml"
    );
}

#[test]
fn comments_in_journal_files_survive_lead_add_and_stage() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Acme Corp"]);
    let file = journal_files(&env.ws).pop().unwrap();
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("\n# Maria: Acme's CFO signs off in December.\n\n");
    text = text.replace(
        "company = \"Acme Corp\"",
        "company = \"Acme Corp\"  # the US entity",
    );
    std::fs::write(&file, &text).unwrap();
    env.maria(&["lead", "add", "Globex"]);
    env.maria(&[
        "lead",
        "stage",
        "acme-corp",
        "mql",
        "--reason",
        "webinar follow-up",
    ]);
    let after = std::fs::read_to_string(&file).unwrap();
    assert!(
        after.starts_with(&text),
        "growth rewrote what was there:\n{after}"
    );
    assert!(after.contains("kind = \"lead.stage\""));
    env.run(&["check"]);
}
