//! Tables people read and copy from: ids whole on any terminal, wide characters aligned,
//! and the warnings around the team table.

use unicode_width::UnicodeWidthStr;

use crate::common::TestEnv;

fn table(env: &TestEnv, columns: &str, args: &[&str]) -> String {
    let out = env
        .cmd()
        .env("COLUMNS", columns)
        .args(["--today", "2026-11-27"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The display column where `needle` starts on `line`, if it is there.
fn column_of(line: &str, needle: &str) -> Option<usize> {
    line.find(needle).map(|at| line[..at].width())
}

#[test]
fn ids_are_never_cut_nor_wrapped_on_a_narrow_terminal() {
    let env = TestEnv::new();
    let long = "a-lead-id-long-enough-to-be-cut-short-in-any-table-of-forty-col";
    env.maria(&["lead", "add", "Long Name Holdings", "--id", long]);
    env.maria(&["lead", "add", "Northwind Logistics International Holdings"]);
    env.maria(&[
        "handoff",
        long,
        "--to",
        "tom",
        "--note",
        "CFO wants pricing",
    ]);
    for args in [&["lead", "list"][..], &["handoff", "list"]] {
        let out = table(&env, "40", args);
        for id in [long, "northwind-logistics-international-holdings"] {
            if args[0] == "handoff" && !id.starts_with("a-lead") {
                continue;
            }
            let line = out.lines().find(|l| l.contains(id));
            assert!(line.is_some(), "`{id}` is not whole on one line:\n{out}");
        }
        assert!(!out.contains('…'), "{out}");
    }
}

/// Leads or members the test below has.
fn rows_wanted(args: &[&str]) -> usize {
    if args[0] == "lead" { 3 } else { 4 }
}

#[test]
fn emoji_and_wide_characters_keep_columns_aligned() {
    let env = TestEnv::new();
    env.run(&[
        "member",
        "add",
        "kenji",
        "--name",
        "Kenji 🚀 Sato",
        "--dept",
        "sales",
    ]);
    for company in ["🚀 Rocket Labs 東京", "Café Müller", "Acme"] {
        env.maria(&["lead", "add", company, "--owner", "kenji"]);
    }
    for (args, header, width) in [
        (&["lead", "list"][..], "STAGE", "100"),
        (&["lead", "list"][..], "STAGE", "40"),
        (&["member", "list"][..], "DEPARTMENT", "60"),
    ] {
        let out = table(&env, width, args);
        let lines: Vec<&str> = out.lines().collect();
        let at = column_of(lines[0], header).unwrap();
        let rows: Vec<&&str> = lines[2..]
            .iter()
            .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
            .collect();
        assert_eq!(rows.len(), rows_wanted(args), "{out}");
        for row in rows {
            let cell: Vec<&str> = row.split_whitespace().collect();
            let value = if header == "STAGE" {
                "new"
            } else {
                cell[cell.len() - 1]
            };
            assert_eq!(
                column_of(row, &format!(" {value}")).map(|c| c + 1),
                Some(at),
                "`{value}` is not under {header}:\n{out}"
            );
        }
        if width != "40" {
            // The header, its rule, a line per row (and the lead list's summary).
            let summary = usize::from(args[0] == "lead");
            assert_eq!(
                lines.len(),
                2 + rows_wanted(args) + summary,
                "no wrap:\n{out}"
            );
        }
    }
}

#[test]
fn member_remove_warns_of_handoffs_waiting_on_that_member() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Acme Corp"]);
    env.maria(&["lead", "add", "Globex"]);
    env.maria(&["handoff", "acme", "--to", "tom"]);
    env.maria(&["handoff", "globex", "--to", "tom"]);
    let accepted: serde_json::Value =
        serde_json::from_str(&env.maria(&["handoff", "list", "--format", "json"])).unwrap();
    let globex = accepted
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["lead"] == "globex")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    env.run(&[
        "--as",
        "tom",
        "--today",
        "2026-11-20",
        "handoff",
        "accept",
        &globex,
    ]);
    let out = env.maria_output(&["member", "remove", "tom"]);
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("warning: 1 handoff to tom still waits for a decision: ")
            && stderr.contains("(acme-corp)")
            && !stderr.contains("globex")
            && stderr.contains("growth handoff LEAD --to MEMBER --force"),
        "{stderr}"
    );
    // Nobody waits on ana: no warning.
    let out = env.maria_output(&["member", "remove", "ana"]);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A table narrowed to fit says on stderr which columns it left out; stdout stays the
/// table, and a wide terminal hears nothing.
#[test]
fn a_narrowed_table_names_the_columns_it_hid() {
    let env = TestEnv::new();
    env.maria(&[
        "lead",
        "add",
        "Northwind Logistics",
        "--value",
        "24000",
        "--tag",
        "logistics",
    ]);
    let run = |columns: &str| {
        env.cmd()
            .env("COLUMNS", columns)
            .args(["--today", "2026-11-27", "lead", "list"])
            .output()
            .unwrap()
    };
    let narrow = run("40");
    let stderr = String::from_utf8_lossy(&narrow.stderr);
    assert!(stderr.starts_with("note: "), "{stderr}");
    assert!(stderr.contains("hidden to fit 40 columns"), "{stderr}");
    assert!(stderr.contains("tags"), "{stderr}");
    assert!(stderr.contains("--format json"), "{stderr}");
    assert!(!String::from_utf8_lossy(&narrow.stdout).contains("note:"));
    let wide = run("200");
    assert!(
        wide.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&wide.stderr)
    );
}
