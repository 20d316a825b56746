//! The agenda for scripts to publish: Slack mrkdwn, Markdown without needless escapes,
//! and text typed over several lines shown as lines in every format.

use crate::common::TestEnv;
use crate::meetings::{example, growth_in};

#[test]
fn the_example_agenda_for_slack() {
    let env = TestEnv::empty();
    let ws = example();
    let slack = growth_in(
        &env,
        &ws,
        &["--today", "2026-11-27", "agenda", "--format", "slack"],
    );
    assert!(
        !slack.lines().any(|l| l.starts_with('#')),
        "Slack has no headings"
    );
    assert!(slack.starts_with("*Acme Growth: growth meeting 2026-11-30*\n"));
    // The pulse trend's arrows are Slack's control characters.
    assert!(slack.contains("3.7 (Nov 9) -&gt; 4.1"), "{slack}");
    insta::assert_snapshot!("agenda_slack", slack);
}

/// A workspace whose agenda holds user text with markup, entities and line breaks.
fn marked_up() -> TestEnv {
    let env = TestEnv::new();
    let as_maria = |args: &[&str]| {
        let mut all = vec!["--as", "maria", "--today", "2026-11-25"];
        all.extend_from_slice(args);
        env.run(&all)
    };
    as_maria(&["lead", "add", "R&D <Labs> *Inc*", "--id", "rnd"]);
    as_maria(&[
        "handoff",
        "rnd",
        "--to",
        "tom",
        "--note",
        "CFO wants pricing!\nNext steps:\n- call Erik\n\n  # then the proposal",
    ]);
    as_maria(&[
        "feedback",
        "Great call! 3.7 -> 4.1, q4_new_revenue at 50% (a < b)",
        "--kind",
        "working",
    ]);
    let idea: serde_json::Value = serde_json::from_str(&as_maria(&[
        "idea",
        "Pricing one-pager",
        "--format",
        "json",
    ]))
    .unwrap();
    as_maria(&[
        "idea",
        "status",
        idea["id"].as_str().unwrap(),
        "published",
        "--link",
        "https://acme.example/pricing?a=1&b=2",
    ]);
    env
}

fn agenda(env: &TestEnv, format: &str) -> String {
    env.run(&["--today", "2026-11-27", "agenda", "--format", format])
}

#[test]
fn slack_escapes_its_control_characters_and_links_as_slack_does() {
    let env = marked_up();
    let slack = agenda(&env, "slack");
    assert!(
        slack.contains("R&amp;D &lt;Labs&gt; \u{200b}*Inc*\u{200b}"),
        "user text can neither link, ping nor bold:\n{slack}"
    );
    assert!(
        slack.contains("• <https://acme.example/pricing?a=1&b=2|Pricing one-pager>"),
        "{slack}"
    );
    assert!(slack.contains("*4. Handoffs* ("), "{slack}");
    assert!(!slack.contains("**") && !slack.contains("\n#"), "{slack}");
}

#[test]
fn markdown_escapes_only_what_would_be_markup() {
    let env = marked_up();
    let md = agenda(&env, "md");
    assert!(
        md.contains("- Great call! 3.7 -> 4.1, q4_new_revenue at 50% (a < b) **working**"),
        "nothing in plain prose is escaped:\n{md}"
    );
    assert!(md.contains("R&D \\<Labs> \\*Inc\\*"), "{md}");
    assert!(!md.contains("\\!"), "{md}");
}

#[test]
fn text_over_several_lines_is_indented_lines_in_text_markdown_and_html() {
    let env = marked_up();
    let text = agenda(&env, "text");
    assert!(
        text.contains(
            "context: CFO wants pricing!\n     Next steps:\n     - call Erik\n     # then the proposal\n"
        ),
        "{text}"
    );
    let md = agenda(&env, "md");
    assert!(
        md.contains(
            "context: CFO wants pricing!\\\n  Next steps:\\\n  \\- call Erik\\\n  \\# then the proposal\n"
        ),
        "a hard break, the list item's indent, and no new list or heading:\n{md}"
    );
    let html = agenda(&env, "html");
    assert!(
        html.contains(
            "CFO wants pricing!<br>\nNext steps:<br>\n- call Erik<br>\n# then the proposal"
        ),
        "{html}"
    );
    for out in [&text, &md, &html, &agenda(&env, "slack")] {
        assert!(!out.contains("\\n"), "a literal \\n:\n{out}");
    }
}
