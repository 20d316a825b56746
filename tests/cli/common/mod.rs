//! `TestEnv`: a temp HOME and workspace, and a `growth` command with a pinned environment.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub mod fleet;
pub mod team;

use assert_cmd::Command;

pub const BIN: &str = env!("CARGO_BIN_EXE_growth");

pub struct TestEnv {
    _tmp: tempfile::TempDir,
    pub home: PathBuf,
    pub ws: PathBuf,
}

impl TestEnv {
    /// An empty HOME and a not-yet-created workspace folder.
    pub fn empty() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let home = tmp.path().join("home");
        let ws = tmp.path().join("ws");
        std::fs::create_dir_all(&home).unwrap();
        TestEnv {
            _tmp: tmp,
            home,
            ws,
        }
    }

    /// A workspace with three members: maria (marketing, leader), tom (sales), ana (account management).
    pub fn new() -> Self {
        let env = Self::empty();
        env.run(&[
            "init",
            env.ws.to_str().unwrap(),
            "--team",
            "Acme Growth",
            "--timezone",
            "Europe/Berlin",
        ]);
        env.run(&[
            "member",
            "add",
            "maria",
            "--name",
            "Maria Lopez",
            "--dept",
            "marketing",
            "--leader",
            "--email",
            "maria@acme.example",
        ]);
        env.run(&[
            "member", "add", "tom", "--name", "Tom Berg", "--dept", "sales",
        ]);
        env.run(&[
            "member",
            "add",
            "ana",
            "--name",
            "Ana Silva",
            "--dept",
            "account-management",
        ]);
        env
    }

    /// `growth -C <ws>` with a clean, pinned environment and stdin closed.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::new(BIN);
        pin_env(&mut cmd, &self.home);
        cmd.arg("-C").arg(&self.ws);
        cmd
    }

    /// Runs growth and asserts success; returns stdout.
    pub fn run(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "growth {args:?} failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs growth as maria on 2026-11-20 at noon.
    pub fn maria(&self, args: &[&str]) -> String {
        let mut all = vec!["--as", "maria", "--today", "2026-11-20"];
        all.extend_from_slice(args);
        self.run(&all)
    }

    /// Runs growth as maria on 2026-11-20 at noon, success or not.
    pub fn maria_output(&self, args: &[&str]) -> std::process::Output {
        let mut all = vec!["--as", "maria", "--today", "2026-11-20"];
        all.extend_from_slice(args);
        self.cmd().args(&all).output().unwrap()
    }

    /// Every file of the workspace except the local `.growth/` folder, with its bytes.
    pub fn snapshot_files(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        files_under(&self.ws)
    }

    pub fn leads_json(&self) -> Vec<serde_json::Value> {
        let out = self.run(&["lead", "list", "--format", "json"]);
        serde_json::from_str(&out).unwrap()
    }
}

/// A clean environment: temp HOME, no colour, no user or workspace from the developer.
pub fn pin_env(cmd: &mut Command, home: &Path) {
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .timeout(std::time::Duration::from_secs(60));
}

pub fn files_under(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_name() == ".growth" || entry.file_name() == ".git" {
                continue;
            }
            if entry.file_type().unwrap().is_dir() {
                stack.push(path);
            } else {
                out.insert(
                    path.strip_prefix(root).unwrap().to_path_buf(),
                    std::fs::read(&path).unwrap(),
                );
            }
        }
    }
    out
}

/// The journal files of a workspace, members' files aside (tests that write as one
/// author on one device).
pub fn journal_files(ws: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = files_under(&ws.join("journal"))
        .into_keys()
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .filter(|p| !p.starts_with("members"))
        .map(|p| ws.join("journal").join(p))
        .collect();
    files.sort();
    files
}

/// `growth lead import FILE --format json` as maria on 2026-11-27, with `extra` flags.
pub fn import(env: &TestEnv, file: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "--as",
        "maria",
        "--today",
        "2026-11-27",
        "lead",
        "import",
        file.to_str().unwrap(),
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    serde_json::from_str(&env.run(&args)).unwrap()
}

/// A HubSpot-shaped CRM export of `rows` leads in `dir`, each long enough to fill journal
/// parts quickly.
pub fn crm_export(dir: &Path, rows: usize) -> PathBuf {
    let path = dir.join(format!("export-{rows}.csv"));
    let mut csv =
        String::from("Record ID,First Name,Last Name,Email,Company Name,Original Source,Amount\n");
    for i in 0..rows {
        csv.push_str(&format!(
            "{i},Jane{i},Doe{i},jane{i}@company-{i}.example,Company Number {i} Holdings,Organic Search,{}\n",
            1000 + i
        ));
    }
    std::fs::write(&path, csv).unwrap();
    path
}

/// growth for a pseudo-terminal ([`terminal_screen`]): a clean environment with `home`
/// and an xterm, the workspace `ws`; colour left to the caller (`NO_COLOR`).
pub fn terminal_command(home: &Path, ws: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(BIN);
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("TERM", "xterm")
        .arg("-C")
        .arg(ws);
    cmd
}

/// Everything `cmd` wrote to a pseudo-terminal (stdout and stderr both), until it closed.
pub fn terminal_screen(cmd: std::process::Command) -> String {
    let mut p = expectrl::Session::spawn(cmd).unwrap();
    let mut screen = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match std::io::Read::read(&mut p, &mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => screen.extend_from_slice(&chunk[..n]),
        }
    }
    String::from_utf8_lossy(&screen).into_owned()
}
