//! Whole-output snapshots: `lead list` in every format, and the help screens.

use crate::common::TestEnv;

fn pipeline() -> TestEnv {
    let env = TestEnv::new();
    let rec = |day: &str, who: &str, args: &[&str]| {
        let mut all = vec!["--as", who, "--today", day];
        all.extend_from_slice(args);
        env.run(&all);
    };
    rec(
        "2026-10-05T09:30",
        "maria",
        &[
            "lead",
            "add",
            "Northwind Logistics",
            "--contact",
            "Ada Park",
            "--value",
            "24000",
            "--tag",
            "emea",
            "--source",
            "webinar",
        ],
    );
    rec(
        "2026-10-12T14:00",
        "maria",
        &[
            "lead",
            "add",
            "Brightline Dental Group",
            "--value",
            "8,500",
            "--owner",
            "tom",
            "--source",
            "referral",
        ],
    );
    rec(
        "2026-10-20T11:15",
        "maria",
        &[
            "lead",
            "add",
            "Kestrel Analytics",
            "--value",
            "18000 EUR",
            "--tag",
            "saas,emea",
        ],
    );
    rec(
        "2026-11-02T10:00",
        "maria",
        &[
            "lead",
            "qualify",
            "northwind",
            "--met",
            "budget,need,timeline",
        ],
    );
    rec(
        "2026-11-09T16:45",
        "tom",
        &["lead", "stage", "brightline", "won"],
    );
    rec(
        "2026-11-10T08:00",
        "ana",
        &[
            "lead",
            "add",
            "=HYPERLINK(\"http://x\")",
            "--id",
            "formula-co",
        ],
    );
    env
}

#[test]
fn lead_list_as_table_json_and_csv() {
    let env = pipeline();
    let mut cmd = env.cmd();
    let table = cmd
        .env("COLUMNS", "100")
        .args(["--today", "2026-11-27", "lead", "list"])
        .output()
        .unwrap();
    insta::assert_snapshot!("lead_list_table", String::from_utf8(table.stdout).unwrap());
    insta::assert_snapshot!(
        "lead_list_json",
        env.run(&["--today", "2026-11-27", "lead", "list", "--format", "json"])
    );
    insta::assert_snapshot!(
        "lead_list_csv",
        env.run(&["--today", "2026-11-27", "lead", "list", "--format", "csv"])
    );
}

#[test]
fn lead_list_fits_a_narrow_terminal() {
    let env = pipeline();
    let out = env
        .cmd()
        .env("COLUMNS", "40")
        .args(["--today", "2026-11-27", "lead", "list"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let table_lines = text.lines().count() - 1; // the last line is the summary, free text
    for line in text.lines().take(table_lines) {
        assert!(
            line.chars().count() <= 40,
            "line wider than 40 columns: {line:?}"
        );
    }
    insta::assert_snapshot!("lead_list_table_40_columns", text);
}

#[test]
fn help_screens() {
    let env = TestEnv::empty();
    let help = |args: &[&str]| {
        String::from_utf8(
            env.cmd()
                .env("COLUMNS", "100")
                .args(args)
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap()
    };
    insta::assert_snapshot!("help", help(&["--help"]));
    insta::assert_snapshot!("lead_help", help(&["lead", "--help"]));
    insta::assert_snapshot!("lead_add_help", help(&["lead", "add", "--help"]));
}
