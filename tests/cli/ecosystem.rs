//! Fitting the team's world: CRM import and export, CSV injection, git sync, alerts,
//! completions and the man page.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{BIN, TestEnv, import};

fn crm(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join("crm")
        .join(file)
}

fn lead(env: &TestEnv, id: &str) -> serde_json::Value {
    serde_json::from_str(&env.run(&["lead", "show", id, "--format", "json"])).unwrap()
}

#[test]
fn each_crm_export_imports_with_stages_values_and_bad_rows_by_line() {
    let env = TestEnv::new();
    let hubspot = import(&env, &crm("hubspot-contacts.csv"), &[]);
    assert_eq!(hubspot["crm"], "hubspot");
    assert_eq!(
        (
            hubspot["added"].as_u64(),
            hubspot["skipped"].as_array().unwrap().len()
        ),
        (Some(5), 2)
    );
    let lines: Vec<u64> = hubspot["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["line"].as_u64().unwrap())
        .collect();
    assert_eq!(
        lines,
        [7, 8],
        "line numbers count the header and CRLF line ends"
    );
    let harbor = lead(&env, "harbor-freight-systems");
    assert_eq!(harbor["stage"], "mql");
    assert_eq!(harbor["value"], 12500.0);
    assert_eq!(harbor["contact"], "Hanna Meyer");
    assert_eq!(harbor["owner"], "maria", "owner matched by name");
    assert_eq!(harbor["crm_id"], "5101");
    assert_eq!(harbor["created"], "2026-09-14T09:12:00+02:00");
    assert_eq!(
        lead(&env, "brightside-dental-inc")["company"],
        "Brightside Dental, Inc."
    );
    assert_eq!(lead(&env, "kestrel-parts")["stage"], "won");

    let salesforce = import(&env, &crm("salesforce-leads.csv"), &[]);
    assert_eq!(salesforce["crm"], "salesforce");
    assert_eq!(salesforce["added"], 4, "semicolon-separated");
    assert_eq!(salesforce["skipped"][0]["line"], 6);
    assert_eq!(lead(&env, "evergreen-facility-services")["stage"], "lost");
    assert_eq!(
        lead(&env, "solstice-energy")["owner"],
        "maria",
        "an unknown owner falls back to the importer"
    );

    let pipedrive = import(&env, &crm("pipedrive-deals.csv"), &[]);
    assert_eq!(pipedrive["crm"], "pipedrive");
    assert_eq!(pipedrive["added"], 4);
    let rheinblick = lead(&env, "rheinblick-hotels-gmbh");
    assert_eq!(
        rheinblick["stage"], "won",
        "the deal status wins over the stage"
    );
    assert_eq!(rheinblick["currency"], "EUR");
    assert_eq!(lead(&env, "atlas-fleet-telematics")["owner"], "tom");
    env.run(&["check"]);
}

#[test]
fn a_reimport_adds_nothing_and_an_updated_export_updates() {
    let env = TestEnv::new();
    import(&env, &crm("pipedrive-deals.csv"), &[]);
    let again = import(&env, &crm("pipedrive-deals.csv"), &[]);
    assert_eq!(
        (
            again["added"].as_u64(),
            again["updated"].as_u64(),
            again["unchanged"].as_u64()
        ),
        (Some(0), Some(0), Some(4))
    );
    let before = env.snapshot_files();
    let updated = env.ws.join("updated.csv");
    let text = std::fs::read_to_string(crm("pipedrive-deals.csv"))
        .unwrap()
        .replace("Lead In,open", "Qualified,open")
        .replace("22000", "25000");
    std::fs::write(&updated, text).unwrap();
    let dry = import(&env, &updated, &["--dry-run"]);
    assert_eq!(dry["updated"], 2);
    let mut after_dry = env.snapshot_files();
    after_dry.remove(Path::new("updated.csv"));
    assert_eq!(after_dry, before, "--dry-run writes nothing");
    let real = import(&env, &updated, &[]);
    assert_eq!(
        (real["added"].as_u64(), real["updated"].as_u64()),
        (Some(0), Some(2))
    );
    assert_eq!(lead(&env, "mariner-dental-labs")["stage"], "sql");
    assert_eq!(lead(&env, "atlas-fleet-telematics")["value"], 25000.0);
    // --strict refuses the whole file when a row is bad.
    let out = env
        .cmd()
        .args([
            "--as",
            "maria",
            "lead",
            "import",
            crm("hubspot-contacts.csv").to_str().unwrap(),
            "--strict",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        !env.run(&["lead", "list"]).contains("harbor"),
        "nothing imported"
    );
}

#[test]
fn map_reads_any_column_as_a_field() {
    let env = TestEnv::new();
    let file = env.ws.join("custom.csv");
    std::fs::write(&file, "Account Name;Deal Size;Phase\nUmbrella Health;\"12.500,00 EUR\";mql\nStark Industries;9000;won\n").unwrap();
    let out = import(
        &env,
        &file,
        &[
            "--map",
            "Account Name=company",
            "--map",
            "Deal Size=value",
            "--map",
            "Phase=stage",
        ],
    );
    assert_eq!(out["added"], 1);
    assert_eq!(
        out["skipped"][0]["line"], 2,
        "an ambiguous amount is a bad row, not a guess"
    );
    assert_eq!(lead(&env, "stark-industries")["stage"], "won");
}

#[test]
fn csv_cells_that_look_like_formulas_are_inert_and_export_round_trips() {
    let env = TestEnv::new();
    for (company, id) in [
        ("=HYPERLINK(\"http://evil\",\"x\")", "f1"),
        ("+cmd|' /C calc'!A0", "f2"),
        ("@SUM(A1)", "f3"),
        ("-2+3", "f4"),
        ("Plain, \"Quoted\"\nCo", "f5"),
    ] {
        env.maria(&["lead", "add", "--id", id, "--value", "1200", "--", company]);
    }
    let csv = env.run(&["lead", "export"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let companies: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[1].to_string())
        .collect();
    for c in &companies[..4] {
        assert!(c.starts_with('\''), "{c} is not inert");
    }
    assert_eq!(
        companies[4], "Plain, \"Quoted\"\nCo",
        "RFC 4180 quoting keeps commas, quotes and newlines"
    );
    // Round trip: export, import into a fresh workspace, export again.
    let exported = env.ws.join("leads.csv");
    std::fs::write(&exported, &csv).unwrap();
    let other = TestEnv::new();
    let out = import(&other, &exported, &[]);
    assert_eq!(out["crm"], "growth");
    assert_eq!(out["added"], 5);
    let again: Vec<serde_json::Value> =
        serde_json::from_str(&other.run(&["lead", "export", "--format", "json"])).unwrap();
    let f1 = again.iter().find(|l| l["id"] == "f1").unwrap();
    assert_eq!(
        f1["company"], "=HYPERLINK(\"http://evil\",\"x\")",
        "the inert apostrophe is undone on import"
    );
    let f5 = again.iter().find(|l| l["id"] == "f5").unwrap();
    assert_eq!(f5["company"], "Plain, \"Quoted\"\nCo");
    assert_eq!(f5["value"], 1200.0);
}

fn git(dir: &Path, home: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn growth_at(env: &TestEnv, dir: &Path, args: &[&str]) -> std::process::Output {
    let mut cmd = assert_cmd::Command::new(BIN);
    crate::common::pin_env(&mut cmd, &env.home);
    cmd.env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn sync_brings_both_clones_records_to_both() {
    let env = TestEnv::new();
    let (ws, home) = (&env.ws, &env.home);
    let root = ws.parent().unwrap();
    let bare = root.join("origin.git");
    git(
        root,
        home,
        &["init", "-q", "--bare", "-b", "main", bare.to_str().unwrap()],
    );
    git(ws, home, &["init", "-q", "-b", "main"]);
    git(ws, home, &["add", "-A"]);
    git(ws, home, &["commit", "-q", "-m", "workspace"]);
    git(
        ws,
        home,
        &["remote", "add", "origin", bare.to_str().unwrap()],
    );
    git(ws, home, &["push", "-q", "-u", "origin", "main"]);
    let (a, b) = (root.join("a"), root.join("b"));
    git(
        root,
        home,
        &["clone", "-q", bare.to_str().unwrap(), a.to_str().unwrap()],
    );
    git(
        root,
        home,
        &["clone", "-q", bare.to_str().unwrap(), b.to_str().unwrap()],
    );
    let rec = |dir: &Path, args: &[&str]| {
        let out = growth_at(&env, dir, args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    rec(
        &a,
        &[
            "--as",
            "maria",
            "--today",
            "2026-11-20",
            "lead",
            "add",
            "Acme Corp",
        ],
    );
    rec(
        &a,
        &[
            "--as",
            "maria",
            "--today",
            "2026-11-20T13:00",
            "handoff",
            "acme",
            "--to",
            "tom",
        ],
    );
    rec(
        &b,
        &[
            "--as",
            "tom",
            "--today",
            "2026-11-20",
            "lead",
            "add",
            "Globex",
        ],
    );
    rec(
        &b,
        &[
            "--as",
            "tom",
            "--today",
            "2026-11-20",
            "feedback",
            "More webinars please",
        ],
    );
    let out = rec(&a, &["sync"]);
    assert!(
        out.contains("committed \"growth: 1 handoff, 1 lead\"")
            && out.contains("pushed to origin/main"),
        "{out}"
    );
    let out = rec(&b, &["sync"]);
    assert!(out.contains("merged 1 commit from origin/main"), "{out}");
    let out = rec(&a, &["sync"]);
    assert_eq!(
        out, "merged 2 commits from origin/main; nothing to push: in step with origin/main\n",
        "a fast-forward leaves nothing to push"
    );
    let out = rec(&a, &["sync"]);
    assert_eq!(out, "nothing to push: in step with origin/main\n");
    for dir in [&a, &b] {
        let leads: Vec<serde_json::Value> =
            serde_json::from_str(&rec(dir, &["lead", "list", "--format", "json"])).unwrap();
        let ids: Vec<&str> = leads.iter().map(|l| l["id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), 2, "{ids:?}");
        assert!(ids.contains(&"acme-corp") && ids.contains(&"globex"));
        assert!(rec(dir, &["feedback", "list"]).contains("More webinars please"));
        assert!(rec(dir, &["handoff", "list"]).contains("acme-corp"));
    }
    let log = git(&a, home, &["log", "--format=%s"]);
    assert!(log.contains("growth: 1 feedback, 1 lead"), "{log}");
}

#[test]
fn sync_without_a_repository_or_a_remote_fails_clearly() {
    let env = TestEnv::new();
    let out = growth_at(&env, &env.ws, &["sync"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not in a git repository"));
    git(&env.ws, &env.home, &["init", "-q", "-b", "main"]);
    let out = growth_at(&env, &env.ws, &["sync"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no remote") && stderr.contains("git remote add origin"),
        "{stderr}"
    );
}

#[test]
fn check_alerts_exits_3_only_when_something_needs_attention() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Acme Corp"]);
    let calm = env
        .cmd()
        .args(["--today", "2026-11-20", "check", "--alerts"])
        .output()
        .unwrap();
    assert_eq!(
        calm.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&calm.stderr)
    );
    env.run(&[
        "--as",
        "maria",
        "--today",
        "2026-11-23T09:00",
        "handoff",
        "acme",
        "--to",
        "tom",
    ]);
    env.run(&[
        "--as",
        "maria",
        "--today",
        "2026-11-23T09:01",
        "action",
        "add",
        "Send pricing",
        "--owner",
        "tom",
        "--due",
        "2026-11-24",
    ]);
    let still_calm = env
        .cmd()
        .args(["--today", "2026-11-23T12:00", "check", "--alerts"])
        .output()
        .unwrap();
    assert_eq!(still_calm.status.code(), Some(0));
    let late = env
        .cmd()
        .args([
            "--today",
            "2026-11-25T12:00",
            "check",
            "--alerts",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(late.status.code(), Some(3));
    let report: serde_json::Value = serde_json::from_slice(&late.stdout).unwrap();
    let kinds: Vec<&str> = report["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["handoff", "action"]);
    // Without --alerts, check is about the files only.
    assert_eq!(
        env.cmd()
            .args(["--today", "2026-11-25T12:00", "check"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn completions_and_man_page() {
    let env = TestEnv::empty();
    let bash = String::from_utf8(
        env.cmd()
            .args(["completions", "bash"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    insta::assert_snapshot!(
        "completions_bash_head",
        bash.lines().take(12).collect::<Vec<_>>().join("\n")
    );
    // Dynamic completion: the script asks growth at each TAB (tests/cli/completions.rs).
    assert!(bash.contains("COMPLETE=\"bash\"") && bash.contains("_clap_complete_growth"));
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let out = env.cmd().args(["completions", shell]).output().unwrap();
        assert!(out.status.success() && !out.stdout.is_empty(), "{shell}");
    }
    let man = String::from_utf8(env.cmd().arg("man").output().unwrap().stdout).unwrap();
    insta::assert_snapshot!(
        "man_head",
        man.lines().take(8).collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn crm_owners_who_are_not_members_are_named_and_assigned_on_reimport() {
    let env = TestEnv::new();
    let run = |args: &[&str]| {
        let mut cmd = env.cmd();
        cmd.args(["--as", "maria", "--today", "2026-11-27", "lead", "import"]);
        cmd.arg(crm("hubspot-contacts.csv")).args(args);
        let out = cmd.output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stderr).unwrap()
    };
    let stderr = run(&[]);
    assert!(
        stderr.contains("rows name an owner who is not a member (")
            && stderr.contains("lukas@acme.example")
            && stderr.contains("owned by maria"),
        "{stderr}"
    );
    env.run(&[
        "member",
        "add",
        "lukas",
        "--name",
        "Lukas Hoffmann",
        "--dept",
        "sales",
        "--email",
        "lukas@acme.example",
    ]);
    let stderr = run(&[]);
    assert!(!stderr.contains("lukas@acme.example"), "{stderr}");
    let owners: Vec<String> = env
        .leads_json()
        .iter()
        .filter_map(|l| l["owner"].as_str().map(str::to_string))
        .collect();
    assert!(owners.iter().any(|o| o == "lukas"), "{owners:?}");
}

/// `growth lead list --format json | head`: the listing stops quietly when its reader
/// does, in every format, even though JSON and CSV are written as they are made.
#[test]
fn a_closed_pipe_ends_every_listing_quietly() {
    use std::io::Read;
    let env = TestEnv::new();
    let mut csv = String::from("company,stage,email\n");
    for i in 0..3000 {
        csv.push_str(&format!("Company {i},new,buyer{i}@company{i}.example\n"));
    }
    let file = env.ws.join("big.csv");
    std::fs::write(&file, csv).unwrap();
    let imported = import(&env, &file, &[]);
    assert_eq!(imported["added"], 3000);
    for args in [
        &["lead", "list"][..],
        &["lead", "list", "--format", "json"],
        &["lead", "list", "--format", "csv"],
        &["lead", "export"],
        &["lead", "export", "--format", "json"],
    ] {
        let mut child = std::process::Command::new(crate::common::BIN)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", &env.home)
            .env("NO_COLOR", "1")
            .arg("-C")
            .arg(&env.ws)
            .args(["--today", "2026-11-27"])
            .args(args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 100];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        // The reader is gone: the rest of the output meets a closed pipe.
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "growth {args:?}: {:?} {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
