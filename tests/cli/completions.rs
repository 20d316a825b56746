//! Dynamic shell completion: ids complete from the workspace, driven the way bash calls
//! growth (`COMPLETE=bash growth -- WORDS...` with `_CLAP_COMPLETE_INDEX`), and through
//! the real registration script in a non-interactive bash.

use std::path::Path;

use crate::common::{BIN, TestEnv};

/// A workspace with two leads and one pending handoff.
fn team() -> TestEnv {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Acme Corp"]);
    env.maria(&["lead", "add", "Lumen Biotech"]);
    env.maria(&[
        "handoff",
        "acme-corp",
        "--to",
        "tom",
        "--note",
        "wants pricing",
    ]);
    env
}

/// What growth answers bash for `words`, completing the word at `index`, run in `dir`.
fn complete(env: &TestEnv, dir: &Path, words: &[&str], index: usize) -> (Vec<String>, String) {
    let mut cmd = assert_cmd::Command::new(BIN);
    crate::common::pin_env(&mut cmd, &env.home);
    let out = cmd
        .current_dir(dir)
        .env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", index.to_string())
        .env("_CLAP_COMPLETE_COMP_TYPE", "9")
        .env("_CLAP_COMPLETE_SPACE", "true")
        .env("_CLAP_IFS", "\n")
        .arg("--")
        .args(words)
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    (
        stdout.lines().map(str::to_string).collect(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn lead_show_completes_lead_ids_of_the_workspace() {
    let env = team();
    let (words, err) = complete(&env, &env.ws, &["growth", "lead", "show", ""], 3);
    assert!(err.is_empty(), "{err}");
    assert!(words.contains(&"acme-corp".to_string()), "{words:?}");
    assert!(words.contains(&"lumen-biotech".to_string()), "{words:?}");
    assert!(
        !words.iter().any(|w| w == "growth.toml" || w == "journal"),
        "not file names: {words:?}"
    );
    let (words, _) = complete(&env, &env.ws, &["growth", "lead", "show", "lu"], 3);
    assert_eq!(words, ["lumen-biotech"]);
}

#[test]
fn members_handoffs_and_the_workspace_on_the_line_complete_too() {
    let env = team();
    let (members, _) = complete(&env, &env.ws, &["growth", "--as", ""], 2);
    for m in ["ana", "maria", "tom"] {
        assert!(members.contains(&m.to_string()), "{members:?}");
    }
    let (to, _) = complete(
        &env,
        &env.ws,
        &["growth", "handoff", "lumen", "--to", "t"],
        4,
    );
    assert_eq!(to, ["tom"]);
    let pending: serde_json::Value =
        serde_json::from_str(&env.maria(&["handoff", "list", "--format", "json"])).unwrap();
    let id = pending[0]["id"].as_str().unwrap().to_string();
    let (handoffs, _) = complete(&env, &env.ws, &["growth", "handoff", "accept", &id[..2]], 3);
    assert_eq!(handoffs, [id]);
    // From elsewhere, -C DIR on the line names the workspace.
    let ws = env.ws.to_str().unwrap();
    let (leads, _) = complete(
        &env,
        &env.home,
        &["growth", "-C", ws, "lead", "show", "ac"],
        5,
    );
    assert_eq!(leads, ["acme-corp"]);
}

#[test]
fn no_workspace_means_no_ids_and_no_noise() {
    let env = TestEnv::empty();
    let (words, err) = complete(&env, &env.home, &["growth", "lead", "show", "a"], 3);
    assert!(words.is_empty(), "{words:?}");
    assert!(err.is_empty(), "{err}");
}

#[test]
fn completions_bash_registers_the_dynamic_completer() {
    let env = TestEnv::empty();
    let script = env.run(&["completions", "bash"]);
    assert!(script.contains("COMPLETE=\"bash\""), "{script}");
    assert!(script.contains("complete -o nospace") && script.contains("_clap_complete_growth"));
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let out = env.cmd().args(["completions", shell]).output().unwrap();
        assert!(out.status.success() && !out.stdout.is_empty(), "{shell}");
    }
    let help = env.run(&["completions", "--help"]);
    assert!(help.contains("source <(growth completions bash)"), "{help}");
}

#[test]
fn bash_itself_completes_lead_ids_through_the_registration_script() {
    if std::process::Command::new("bash")
        .arg("--version")
        .output()
        .is_err()
    {
        return;
    }
    let env = team();
    let script = env.run(&["completions", "bash"]);
    let registration = env.home.join("growth.bash");
    std::fs::write(&registration, script).unwrap();
    // What bash does at `growth lead show <TAB>`: COMP_WORDS, COMP_CWORD, then the
    // function with the command, the current word and the previous one.
    let driver = format!(
        "source {}\nCOMP_WORDS=(growth lead show '')\nCOMP_CWORD=3\nCOMP_TYPE=9\n_clap_complete_growth growth '' show\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        registration.display()
    );
    let bin_dir = Path::new(BIN).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(&driver)
        .current_dir(&env.ws)
        .env_clear()
        .env("PATH", path)
        .env("HOME", &env.home)
        .output()
        .unwrap();
    let reply = String::from_utf8_lossy(&out.stdout);
    let words: Vec<&str> = reply.lines().collect();
    assert!(
        words.contains(&"acme-corp") && words.contains(&"lumen-biotech"),
        "{reply}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A command with two positionals completes the first one with ids (`lead stage <TAB>`,
/// `goal checkin <TAB>`), and `handoff <TAB>` offers only leads it would take without
/// `--force`.
#[test]
fn the_first_of_two_positionals_completes_and_handoff_offers_open_leads() {
    let env = team();
    env.maria(&[
        "goal",
        "add",
        "Customer NPS",
        "--id",
        "nps",
        "--metric",
        "manual",
        "--target",
        "50",
        "--from",
        "2026-10-01",
        "--to",
        "2026-12-31",
    ]);
    env.maria(&["lead", "add", "Closed Deal Co", "--stage", "won"]);
    let (stage, _) = complete(&env, &env.ws, &["growth", "lead", "stage", ""], 3);
    assert!(
        stage.iter().any(|w| w.starts_with("closed-deal-co")),
        "{stage:?}"
    );
    let (checkin, _) = complete(&env, &env.ws, &["growth", "goal", "checkin", ""], 3);
    assert!(checkin.iter().any(|w| w.starts_with("nps")), "{checkin:?}");
    let (handoff, _) = complete(&env, &env.ws, &["growth", "handoff", ""], 2);
    assert!(
        !handoff.iter().any(|w| w.starts_with("closed-deal-co")),
        "{handoff:?}"
    );
    let usage = env.run(&["lead", "stage", "--help"]);
    assert!(usage.contains("<LEAD> <STAGE>"), "{usage}");
}
