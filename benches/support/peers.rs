//! The peers, side by side in the same run: taskwarrior (`task list`, `task add`) and
//! hledger (`hledger bal`) on data of the same sizes, when they are installed. Each gets
//! the same treatment as growth: medians of timed runs after warm-ups, peak RSS under GNU
//! `time`. Their data is written in their own file formats directly (importing 100k
//! tasks through `task import` takes minutes), the way a long-time user's files look.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One measured command of a peer.
pub struct PeerRow {
    pub tool: &'static str,
    pub command: &'static str,
    pub records: usize,
    pub median_ms: f64,
    pub p90_ms: f64,
    pub rss_mib: Option<f64>,
}

fn installed(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Medians and p90 of `runs` timed runs of `make()` after two warm-ups.
fn time_runs(runs: usize, mut make: impl FnMut() -> Command) -> (f64, f64) {
    let mut times = Vec::with_capacity(runs);
    for i in 0..runs + 2 {
        let start = Instant::now();
        let status = make()
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("peer runs");
        let took = start.elapsed();
        assert!(status.success(), "a peer command failed");
        if i >= 2 {
            times.push(took);
        }
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |p: f64| ms(times[((times.len() - 1) as f64 * p).round() as usize]);
    (at(0.5), at(0.9))
}

/// Peak RSS in MiB of one run of `make()`, under GNU time, if it is installed.
fn peak_rss(mut make: impl FnMut() -> Command) -> Option<f64> {
    if !Path::new("/usr/bin/time").exists() {
        return None;
    }
    let cmd = make();
    let out = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg(cmd.get_program())
        .args(cmd.get_args())
        .envs(cmd.get_envs().filter_map(|(k, v)| v.map(|v| (k, v))))
        .stdout(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stderr);
    let kib: f64 = text.lines().last()?.trim().parse().ok()?;
    Some(kib / 1024.0)
}

/// A uuid-shaped id for task `n` (taskwarrior checks the shape, not the randomness).
fn uuid(n: usize) -> String {
    let h = (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x5bd1_e995;
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        (h >> 32) as u32,
        (h >> 16) as u16,
        (h & 0xfff) as u16,
        (n & 0xfff) as u16,
        n as u64
    )
}

/// A taskwarrior data folder with `n` pending tasks, and its rc file.
fn taskwarrior_data(dir: &Path, n: usize) -> PathBuf {
    let data = dir.join("task");
    std::fs::create_dir_all(&data).expect("task data folder");
    let mut pending = String::with_capacity(n * 160);
    let base = 1_760_000_000u64;
    for i in 0..n {
        let _ = writeln!(
            pending,
            "[description:\"Call lead {i} about the renewal\" entry:\"{}\" modified:\"{}\" project:\"sales.q{}\" status:\"pending\" uuid:\"{}\"]",
            base + i as u64 * 60,
            base + i as u64 * 60,
            i % 4 + 1,
            uuid(i)
        );
    }
    std::fs::write(data.join("pending.data"), pending).expect("pending.data");
    std::fs::write(data.join("completed.data"), "").expect("completed.data");
    let rc = dir.join("taskrc");
    std::fs::write(
        &rc,
        format!(
            "data.location={}\nconfirmation=off\nverbose=nothing\nnews.version=2.6.0\n",
            data.display()
        ),
    )
    .expect("taskrc");
    rc
}

fn task(rc: &Path, home: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new("task");
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("TASKRC", rc)
        .args(args);
    cmd
}

/// An hledger journal of `n` transactions (a deal won, into one of a few accounts).
fn hledger_journal(dir: &Path, n: usize) -> PathBuf {
    let mut text = String::with_capacity(n * 110);
    let start = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).expect("a date");
    for i in 0..n {
        let day = start + chrono::Duration::days((i / 300) as i64);
        let _ = write!(
            text,
            "{day} Deal {i} won\n    assets:receivable:{}  {} USD\n    income:sales:{}\n\n",
            i % 7,
            1000 + i % 9000,
            ["webinar", "referral", "paid-search", "trade-show"][i % 4]
        );
    }
    let path = dir.join("deals.journal");
    std::fs::write(&path, text).expect("journal");
    path
}

/// Every peer installed, at every size in `sizes`, `runs` timed runs each.
pub fn measure(sizes: &[usize], runs: usize) -> Vec<PeerRow> {
    let mut rows = Vec::new();
    let tmp = tempfile::tempdir().expect("temp folder");
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).expect("home");
    for &n in sizes {
        let dir = tmp.path().join(format!("n{n}"));
        std::fs::create_dir_all(&dir).expect("folder");
        if installed("task") {
            let rc = taskwarrior_data(&dir, n);
            // `list` prints every pending task; `add` appends one (a few more tasks
            // than `n` by the end: noise at these sizes).
            let (median_ms, p90_ms) = time_runs(runs, || task(&rc, &home, &["list"]));
            let rss_mib = peak_rss(|| task(&rc, &home, &["list"]));
            rows.push(PeerRow {
                tool: "taskwarrior",
                command: "task list",
                records: n,
                median_ms,
                p90_ms,
                rss_mib,
            });
            let (median_ms, p90_ms) = time_runs(runs, || {
                task(&rc, &home, &["add", "Send the pricing sheet"])
            });
            let rss_mib = peak_rss(|| task(&rc, &home, &["add", "Send the pricing sheet"]));
            rows.push(PeerRow {
                tool: "taskwarrior",
                command: "task add",
                records: n,
                median_ms,
                p90_ms,
                rss_mib,
            });
        }
        if installed("hledger") {
            let journal = hledger_journal(&dir, n);
            let bal = || {
                let mut cmd = Command::new("hledger");
                cmd.env("HOME", &home).arg("-f").arg(&journal).arg("bal");
                cmd
            };
            let (median_ms, p90_ms) = time_runs(runs, bal);
            let rss_mib = peak_rss(bal);
            rows.push(PeerRow {
                tool: "hledger",
                command: "hledger bal",
                records: n,
                median_ms,
                p90_ms,
                rss_mib,
            });
        }
    }
    rows
}

/// The rows as a Markdown table.
pub fn table(rows: &[PeerRow]) -> String {
    let mut out = String::from(
        "| peer command | records | median | p90 | peak RSS |\n|---|---:|---:|---:|---:|\n",
    );
    for r in rows {
        let _ = writeln!(
            out,
            "| `{}` ({}) | {} | {:.1} ms | {:.1} ms | {} |",
            r.command,
            r.tool,
            r.records,
            r.median_ms,
            r.p90_ms,
            r.rss_mib.map_or("-".to_string(), |m| format!("{m:.0} MiB"))
        );
    }
    out
}
