//! The import layout of issue #16: "a CRM import followed by ordinary work".
//!
//! At N entries: a fresh workspace of the bench's team (`init_workspace`, as the
//! generator's layout starts), then `growth lead import` of a HubSpot export of 0.7 N
//! contacts (`hubspot_csv`, the writer behind `generate-import`; created in 2025, owned by
//! the ten members in turn) run by maria with `--today 2025-12-31`, so growth writes those
//! entries itself, in its own batches and parts, all in one month. Then 0.3 N entries of
//! the generator's mix over 2026 and 2027 (`work`), which picks its leads among the
//! imported ones as among those it adds: stage changes, edits, qualifications, handoffs and
//! their decisions, feedback, goals and check-ins, each naming in `after` the imported
//! lead's `lead.add` entry where growth's writer would. The imported leads come back from
//! the journal files the import wrote (id, `entry` id, stage, value, currency), read line
//! by line rather than parsed as TOML: the file of a million-row import is hundreds of MB.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{
    BIN, Causal, GNU_TIME, GenLead, Generated, MEMBERS, STAGES, configure, hubspot_csv,
    init_workspace, work,
};

/// When the import ran: the day before the ordinary work starts.
const IMPORT_DAY: &str = "2025-12-31";
/// The year the export's contacts were created in, before the import.
const CREATED_YEAR: i32 = 2025;
/// The import's share of the layout's entries, in tenths.
const IMPORTED_TENTHS: usize = 7;

/// What the layout's import did, for the workspace summary.
pub struct ImportSetup {
    pub rows: usize,
    pub added: usize,
    pub import_ms: f64,
    /// Its peak RSS (KiB), when GNU time is there.
    pub import_rss_kib: Option<u64>,
}

/// Writes the import layout of `entries` entries into `dir` (created if missing; it must
/// not already be a workspace). The derived cache is removed at the end, so the next
/// command is a cold start as on a fresh clone, like the generator's layout.
pub fn generate(dir: &Path, entries: usize, home: &Path, rss: bool) -> (Generated, ImportSetup) {
    init_workspace(dir, home);
    let rows = entries * IMPORTED_TENTHS / 10;
    let csv = dir.with_extension("csv");
    let owners: Vec<&str> = MEMBERS.iter().map(|m| m.0).collect();
    std::fs::write(&csv, hubspot_csv(rows, CREATED_YEAR, &owners)).unwrap();
    let args = [
        "-C",
        dir.to_str().unwrap(),
        "--as",
        "maria",
        "--today",
        IMPORT_DAY,
        "lead",
        "import",
        csv.to_str().unwrap(),
        "--format",
        "json",
    ];
    let (took, stdout, import_rss_kib) = run_once(home, &args, rss);
    std::fs::remove_file(&csv).unwrap();
    let outcome: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let added = outcome["added"].as_u64().unwrap_or(0) as usize;
    assert_eq!(
        added, rows,
        "lead import added {added} of {rows} rows: {outcome}"
    );

    let leads = imported_leads(dir);
    assert_eq!(
        leads.len(),
        added,
        "the journal holds {} imported leads, the import said {added}",
        leads.len()
    );
    let mut made = work(dir, entries - rows, leads);
    made.entries += rows;
    let _ = std::fs::remove_dir_all(dir.join(".growth/cache"));
    let setup = ImportSetup {
        rows,
        added,
        import_ms: took.as_secs_f64() * 1000.0,
        import_rss_kib,
    };
    (made, setup)
}

/// Runs `growth ARGS` once (under GNU time with `rss`, for its peak RSS); panics unless it
/// succeeds. Returns its wall time, its stdout and the peak RSS (KiB).
fn run_once(home: &Path, args: &[&str], rss: bool) -> (Duration, String, Option<u64>) {
    let report = home.join("time.txt");
    let mut cmd = if rss {
        let mut c = Command::new(GNU_TIME);
        c.args(["-f", "%M", "-o"]).arg(&report).arg(BIN);
        c
    } else {
        Command::new(BIN)
    };
    configure(&mut cmd, home);
    cmd.args(args).stderr(Stdio::piped());
    let started = Instant::now();
    let output = cmd.output().unwrap();
    let took = started.elapsed();
    assert!(
        output.status.success(),
        "growth {} failed ({}):\n{}",
        args.join(" "),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let kib = rss.then(|| {
        let text = std::fs::read_to_string(&report).unwrap();
        text.lines().last().unwrap_or("").trim().parse().unwrap()
    });
    (took, String::from_utf8(output.stdout).unwrap(), kib)
}

/// The leads the import wrote, in journal order, as the generator remembers its own: read
/// from every journal file but the members' (nothing else is in the journal yet).
fn imported_leads(dir: &Path) -> Vec<GenLead> {
    let mut paths = Vec::new();
    for month in std::fs::read_dir(dir.join("journal")).unwrap().flatten() {
        if !month.path().is_dir() || month.file_name() == "members" {
            continue;
        }
        for file in std::fs::read_dir(month.path()).unwrap().flatten() {
            paths.push(file.path());
        }
    }
    // Parts are named `maria-DEVICE.toml`, `maria-DEVICE-2.toml`, ...: in writing order
    // by length, then name.
    paths.sort_by_key(|p| (p.as_os_str().len(), p.clone()));
    let mut leads = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        let mut entry = Fields::default();
        for line in text.lines() {
            if line == "[[entry]]" {
                leads.extend(std::mem::take(&mut entry).lead());
            } else if let Some((key, value)) = line.split_once(" = ") {
                entry.set(key, value);
            }
        }
        leads.extend(entry.lead());
    }
    leads
}

/// The fields of one journal entry that make a `GenLead`.
#[derive(Default)]
struct Fields {
    kind: String,
    lead: String,
    stage: String,
    value: f64,
    currency: Option<String>,
    entry: String,
}

impl Fields {
    fn set(&mut self, key: &str, value: &str) {
        let text = || value.trim().trim_matches('"').to_string();
        match key {
            "kind" => self.kind = text(),
            "lead" => self.lead = text(),
            "stage" => self.stage = text(),
            "value" => self.value = value.trim().parse().unwrap(),
            "currency" => self.currency = Some(text()),
            "entry" => self.entry = text(),
            _ => {}
        }
    }

    /// The lead a `lead.add` made; `None` for anything else (or nothing read yet).
    fn lead(self) -> Option<GenLead> {
        if self.kind != "lead.add" {
            return None;
        }
        let stage = STAGES
            .iter()
            .position(|s| *s == self.stage)
            .unwrap_or_else(|| panic!("imported lead {} in stage {:?}", self.lead, self.stage));
        Some(GenLead {
            id: self.lead,
            stage,
            met: 0,
            handoff: None,
            value: self.value,
            currency: self.currency,
            // It stood where it stands before the goals' years: a move from there to a
            // later stage is not a first time.
            mql: (2..=5).contains(&stage),
            sql: (3..=5).contains(&stage),
            won: None,
            wins: [0; 2],
            tags: 0,
            causal: Causal::new(parse_entry_id(&self.entry)),
        })
    }
}

/// The number behind a 12-character entry id (the inverse of `format_id`).
fn parse_entry_id(text: &str) -> u64 {
    const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
    assert_eq!(text.len(), 12, "entry id {text:?} is not 12 characters");
    text.bytes().fold(0, |id, b| {
        let digit = ALPHABET
            .iter()
            .position(|a| *a == b)
            .unwrap_or_else(|| panic!("entry id {text:?} has a character growth never writes"));
        (id << 5) | digit as u64
    })
}
