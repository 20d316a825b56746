//! Convergence, by a seeded random driver: 3 to 4 real clones of one git repository,
//! random members recording random operations of every kind with skewed clocks (one
//! clone an hour behind, one entry a year ahead), `--at` backdating and undos, synced with
//! `growth sync` in random orders. After a full exchange every clone reports the same
//! bytes, holds every entry, and lists every concurrent difference the driver made to a
//! single value as a conflict; no recording was refused because of another clone's clock.
//!
//! The driver keeps its own model of what each clone has seen (the operations it wrote
//! and those it pulled, less those stamped after its clock) to know which operations are
//! valid there and which pairs of changes were concurrent.

use std::collections::{BTreeMap, BTreeSet};

use crate::common::fleet::{Fleet, journal_entries};

/// The day every report is compared on.
const FINAL: &str = "2026-11-23 09:00";
/// A day after every entry, the year-ahead typo included.
const AFTER_ALL: &str = "2028-01-01";

/// splitmix64: a tiny deterministic PRNG.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        (!items.is_empty()).then(|| &items[self.below(items.len())])
    }
}

/// Minutes since 2026-11-20 00:00 (workspace time) as `--today`/`--at` text.
fn moment(minutes: i64) -> String {
    let day = 20 + minutes.div_euclid(1440);
    let m = minutes.rem_euclid(1440);
    format!("2026-11-{day:02} {:02}:{:02}", m / 60, m % 60)
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Member,
    LeadAdd,
    LeadStage,
    LeadEdit,
    LeadQualify,
    LeadArchive,
    HandoffCreate,
    Decide,
    Contact,
    Feedback,
    FeedbackResolve,
    Idea,
    IdeaStatus,
    Win,
    ActionAdd,
    ActionDone,
    ActionCancel,
    GoalAdd,
    GoalCheckin,
    Meeting,
    Undo,
    Future,
}

/// One operation the driver recorded.
#[derive(Debug)]
struct Op {
    clone: usize,
    at: i64,
    kind: Kind,
    /// The record it is about (lead, handoff, feedback, ... id).
    record: String,
    /// The single value it sets, for the fields whose conflicts the driver predicts.
    value: String,
    /// The lead a handoff is for; the member a member op adds.
    extra: String,
    /// Operations the writer knew and could see (their `at` not past its now + 10 min).
    seen: BTreeSet<usize>,
    /// Operations the writer knew, whatever their time.
    known: BTreeSet<usize>,
    /// The entries it wrote, in order.
    entries: Vec<String>,
    who: String,
}

/// (record, field) → the values a conflict must list.
type Expected = BTreeMap<(String, String), BTreeSet<String>>;

struct Driver {
    fleet: Fleet,
    rng: Rng,
    seed: u64,
    ops: Vec<Op>,
    known: Vec<BTreeSet<usize>>,
    remote: BTreeSet<usize>,
    entries_seen: Vec<BTreeSet<String>>,
    /// Minutes of each clone's clock now.
    clock: Vec<i64>,
    /// Leads and handoffs an undo touched: their fields are not predicted.
    tainted: BTreeSet<String>,
    undone: BTreeSet<usize>,
    problems: Vec<String>,
    counter: usize,
}

const COMPANIES: &[&str] = &[
    "Acme Corp",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Soylent",
    "Wayne",
    "Stark",
];
const STAGES: &[&str] = &["nurture", "mql", "sql", "opportunity", "won", "lost"];
const REASONS: &[&str] = &["not-a-fit", "no-budget", "bad-timing"];
const GOALS: &[&str] = &["Q4 case studies", "Partner calls", "Webinar signups"];

fn slug(company: &str) -> String {
    company.to_lowercase().replace(' ', "-")
}

impl Driver {
    fn new(seed: u64, clones: usize) -> Driver {
        let fleet = Fleet::new(clones);
        let entries_seen = fleet
            .clones
            .iter()
            .map(|c| journal_entries(c).into_iter().map(|(id, _)| id).collect())
            .collect();
        Driver {
            fleet,
            rng: Rng(seed),
            seed,
            ops: Vec::new(),
            known: vec![BTreeSet::new(); clones],
            remote: BTreeSet::new(),
            entries_seen,
            // Clone 1 runs an hour behind the others.
            clock: (0..clones)
                .map(|i| if i == 1 { 9 * 60 - 60 } else { 9 * 60 })
                .collect(),
            tainted: BTreeSet::new(),
            undone: BTreeSet::new(),
            problems: Vec::new(),
            counter: 0,
        }
    }

    fn n(&self) -> usize {
        self.fleet.clones.len()
    }

    /// The operations clone `i` knows and can see now.
    fn visible(&self, i: usize) -> BTreeSet<usize> {
        self.known[i]
            .iter()
            .copied()
            .filter(|&o| self.ops[o].at <= self.clock[i] + 10)
            .collect()
    }

    fn visible_of(&self, i: usize, kind: Kind) -> Vec<usize> {
        self.visible(i)
            .into_iter()
            .filter(|&o| self.ops[o].kind == kind)
            .collect()
    }

    fn members(&self, i: usize) -> Vec<(String, &'static str)> {
        let mut out = vec![
            ("maria".to_string(), "marketing"),
            ("tom".to_string(), "sales"),
            ("ana".to_string(), "account-management"),
        ];
        for o in self.visible_of(i, Kind::Member) {
            let dept = if self.ops[o].value == "sales" {
                "sales"
            } else {
                "marketing"
            };
            out.push((self.ops[o].record.clone(), dept));
        }
        out
    }

    fn records(&self, i: usize, kind: Kind) -> Vec<String> {
        let set: BTreeSet<String> = self
            .visible_of(i, kind)
            .into_iter()
            .map(|o| self.ops[o].record.clone())
            .collect();
        set.into_iter().collect()
    }

    /// Whether clone `i` knows any operation of `kind` on `record` (whatever its time).
    fn knows(&self, i: usize, kind: Kind, record: &str) -> bool {
        self.known[i]
            .iter()
            .any(|&o| self.ops[o].kind == kind && self.ops[o].record == record)
    }

    fn sees(&self, i: usize, kind: Kind, record: &str) -> bool {
        self.visible(i)
            .iter()
            .any(|&o| self.ops[o].kind == kind && self.ops[o].record == record)
    }

    /// The member a handoff went to.
    fn handoff_to(&self, h: &str) -> String {
        self.ops
            .iter()
            .find(|o| o.kind == Kind::HandoffCreate && o.record == h)
            .map(|o| o.value.clone())
            .unwrap()
    }

    /// Whether handoff `h` is the only one of its lead clone `i` knows (a later handoff
    /// of the lead closes it).
    fn open(&self, i: usize, h: &str) -> bool {
        let lead = self
            .ops
            .iter()
            .find(|o| o.kind == Kind::HandoffCreate && o.record == h)
            .map(|o| o.extra.clone())
            .unwrap();
        self.known[i]
            .iter()
            .filter(|&&o| self.ops[o].kind == Kind::HandoffCreate && self.ops[o].extra == lead)
            .count()
            == 1
    }

    fn fresh(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix} {} of seed {}", self.counter, self.seed)
    }

    /// The entries new in clone `i`'s journal since the last look.
    fn new_entries(&mut self, i: usize) -> Vec<String> {
        let mut out = Vec::new();
        for (id, _) in journal_entries(&self.fleet.clones[i]) {
            if self.entries_seen[i].insert(id.clone()) {
                out.push(id);
            }
        }
        out
    }

    fn sync(&mut self, i: usize) {
        let today = moment(self.clock[i]);
        let out = self.fleet.growth(i, &["--today", &today, "sync"]);
        if !out.status.success() {
            self.problems.push(format!(
                "sync in clone {i} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
            return;
        }
        self.known[i].extend(self.remote.iter().copied());
        self.remote.clone_from(&self.known[i]);
        self.new_entries(i);
    }

    /// Runs one recording in clone `i`; a refusal is a problem. Returns stdout on success.
    #[allow(clippy::too_many_arguments)]
    fn record(
        &mut self,
        i: usize,
        who: &str,
        at: Option<i64>,
        today: Option<&str>,
        kind: Kind,
        record: &str,
        value: &str,
        extra: &str,
        args: &[&str],
    ) -> Option<String> {
        let now = moment(self.clock[i]);
        let today = today.unwrap_or(&now).to_string();
        let at_text = at.map(moment);
        let mut all = vec!["--as", who, "--today", &today];
        if let Some(at) = &at_text {
            all.extend(["--at", at]);
        }
        all.extend_from_slice(args);
        let out = self.fleet.growth(i, &all);
        if !out.status.success() {
            self.problems.push(format!(
                "clone {i} (now {now}): growth {all:?} refused: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
            return None;
        }
        let entries = self.new_entries(i);
        if entries.is_empty() {
            // "nothing to record": the value was already so.
            return Some(String::from_utf8(out.stdout).unwrap());
        }
        let stamp = match (kind.clone(), at) {
            (Kind::Future, _) => i64::MAX / 2,
            (_, Some(at)) => at,
            (_, None) => self.clock[i],
        };
        let op = Op {
            clone: i,
            at: stamp,
            kind,
            record: record.to_string(),
            value: value.to_string(),
            extra: extra.to_string(),
            seen: self.visible(i),
            known: self.known[i].clone(),
            entries,
            who: who.to_string(),
        };
        self.ops.push(op);
        self.known[i].insert(self.ops.len() - 1);
        Some(String::from_utf8(out.stdout).unwrap())
    }

    fn created_id(stdout: Option<String>) -> Option<String> {
        let json: serde_json::Value = serde_json::from_str(&stdout?).ok()?;
        json["id"].as_str().map(String::from)
    }

    /// One random operation in clone `i`.
    fn step(&mut self, i: usize) {
        self.clock[i] += 1 + self.rng.below(4) as i64;
        let members = self.members(i);
        let who = self.rng.pick(&members).unwrap().0.clone();
        let sales: Vec<String> = members
            .iter()
            .filter(|m| m.1 == "sales")
            .map(|m| m.0.clone())
            .collect();
        let names: Vec<String> = members.iter().map(|m| m.0.clone()).collect();
        let leads = self.records(i, Kind::LeadAdd);
        let backdate = self
            .rng
            .chance(25)
            .then(|| self.clock[i] - 30 - self.rng.below(1200) as i64);
        match self.rng.below(22) {
            0..=2 => {
                // Sometimes a company another clone added and this one has not pulled yet.
                let company = *self.rng.pick(COMPANIES).unwrap();
                let id = slug(company);
                if self.knows(i, Kind::LeadAdd, &id) {
                    return;
                }
                let value = format!("{}", 1000 * (self.ops.len() + 1));
                let contact = self.fresh("Contact");
                self.record(
                    i,
                    &who,
                    backdate,
                    None,
                    Kind::LeadAdd,
                    &id,
                    &value,
                    "",
                    &[
                        "lead",
                        "add",
                        company,
                        "--value",
                        &value,
                        "--contact",
                        &contact,
                    ],
                );
            }
            3..=4 => {
                let Some(lead) = self.rng.pick(&leads).cloned() else {
                    return;
                };
                let stage = *self.rng.pick(STAGES).unwrap();
                self.record(
                    i,
                    &who,
                    None,
                    None,
                    Kind::LeadStage,
                    &lead,
                    stage,
                    "",
                    &["lead", "stage", &lead, stage],
                );
            }
            5 => {
                let Some(lead) = self.rng.pick(&leads).cloned() else {
                    return;
                };
                let text = self.fresh("edit");
                let flag = *self.rng.pick(&["--contact", "--tag", "--note"]).unwrap();
                let text = if flag == "--tag" {
                    format!("t{}", self.rng.below(3))
                } else {
                    text
                };
                self.record(
                    i,
                    &who,
                    None,
                    None,
                    Kind::LeadEdit,
                    &lead,
                    "",
                    "",
                    &["lead", "edit", &lead, flag, &text],
                );
            }
            6 => {
                let Some(lead) = self.rng.pick(&leads).cloned() else {
                    return;
                };
                let all = ["budget", "authority", "need", "timeline"];
                let met: Vec<&str> = all
                    .iter()
                    .copied()
                    .filter(|_| self.rng.chance(50))
                    .collect();
                if met.is_empty() {
                    return;
                }
                self.record(
                    i,
                    &who,
                    None,
                    None,
                    Kind::LeadQualify,
                    &lead,
                    "",
                    "",
                    &["lead", "qualify", &lead, "--met", &met.join(",")],
                );
            }
            7 => {
                let Some(lead) = self.rng.pick(&leads).cloned() else {
                    return;
                };
                let verb = if self.rng.chance(60) {
                    "archive"
                } else {
                    "unarchive"
                };
                self.record(
                    i,
                    &who,
                    None,
                    None,
                    Kind::LeadArchive,
                    &lead,
                    verb,
                    "",
                    &["lead", verb, &lead],
                );
            }
            8..=9 => {
                let Some(lead) = self.rng.pick(&leads).cloned() else {
                    return;
                };
                let to = self.rng.pick(&sales).unwrap().clone();
                let who = if who == to { "maria".to_string() } else { who };
                let out = self.record(
                    i,
                    &who,
                    None,
                    None,
                    Kind::HandoffCreate,
                    "",
                    "",
                    &lead,
                    &["handoff", &lead, "--to", &to, "--force", "--format", "json"],
                );
                if let Some(id) = Self::created_id(out) {
                    let last = self.ops.len() - 1;
                    self.ops[last].record = id;
                    self.ops[last].value = to;
                }
            }
            10..=11 => {
                let handoffs = self.records(i, Kind::HandoffCreate);
                let Some(h) = self.rng.pick(&handoffs).cloned() else {
                    return;
                };
                if self.sees(i, Kind::Decide, &h) || self.tainted.contains(&h) || !self.open(i, &h)
                {
                    return;
                }
                let to = self.handoff_to(&h);
                let lead = self
                    .ops
                    .iter()
                    .find(|o| o.kind == Kind::HandoffCreate && o.record == h)
                    .map(|o| o.extra.clone())
                    .unwrap();
                if self.rng.chance(50) {
                    self.record(
                        i,
                        &to,
                        None,
                        None,
                        Kind::Decide,
                        &h,
                        "accepted",
                        &lead,
                        &["handoff", "accept", &h],
                    );
                } else {
                    let reason = *self.rng.pick(REASONS).unwrap();
                    self.record(
                        i,
                        &to,
                        None,
                        None,
                        Kind::Decide,
                        &h,
                        &format!("rejected ({reason})"),
                        &lead,
                        &["handoff", "reject", &h, "--reason", reason],
                    );
                }
            }
            12 => {
                let handoffs = self.records(i, Kind::HandoffCreate);
                let Some(h) = self.rng.pick(&handoffs).cloned() else {
                    return;
                };
                if self.sees(i, Kind::Contact, &h) || !self.open(i, &h) {
                    return;
                }
                let to = self.handoff_to(&h);
                self.record(
                    i,
                    &to,
                    None,
                    None,
                    Kind::Contact,
                    &h,
                    "",
                    "",
                    &["handoff", "contact", &h],
                );
            }
            13 => {
                let open: Vec<String> = self
                    .records(i, Kind::Feedback)
                    .into_iter()
                    .filter(|f| !self.knows(i, Kind::FeedbackResolve, f))
                    .collect();
                if let Some(f) = self
                    .rng
                    .pick(&open)
                    .cloned()
                    .filter(|_| self.rng.chance(40))
                {
                    self.record(
                        i,
                        &who,
                        None,
                        None,
                        Kind::FeedbackResolve,
                        &f,
                        "",
                        "",
                        &["feedback", "resolve", &f],
                    );
                    return;
                }
                let text = self.fresh("feedback");
                let kind = *self
                    .rng
                    .pick(&["working", "missing-the-mark", "suggestion"])
                    .unwrap();
                let out = self.record(
                    i,
                    &who,
                    backdate,
                    None,
                    Kind::Feedback,
                    "",
                    "",
                    "",
                    &["feedback", &text, "--kind", kind, "--format", "json"],
                );
                self.name_last(out);
            }
            14 => {
                let ideas = self.records(i, Kind::Idea);
                if let Some(id) = self
                    .rng
                    .pick(&ideas)
                    .cloned()
                    .filter(|_| self.rng.chance(50))
                {
                    let status = *self
                        .rng
                        .pick(&["planned", "in-progress", "published"])
                        .unwrap();
                    self.record(
                        i,
                        &who,
                        None,
                        None,
                        Kind::IdeaStatus,
                        &id,
                        status,
                        "",
                        &["idea", "status", &id, status],
                    );
                    return;
                }
                let text = self.fresh("idea");
                let mut args = vec!["idea", text.as_str(), "--format", "json"];
                let lead = self.rng.pick(&leads).cloned();
                if let Some(lead) = &lead {
                    args.extend(["--lead", lead.as_str()]);
                }
                let out = self.record(i, &who, backdate, None, Kind::Idea, "", "", "", &args);
                self.name_last(out);
            }
            15 => {
                let text = self.fresh("win");
                let credit = format!("{},{}", who, self.rng.pick(&names).unwrap());
                self.record(
                    i,
                    &who,
                    backdate,
                    None,
                    Kind::Win,
                    "",
                    "",
                    "",
                    &["win", &text, "--credit", &credit],
                );
            }
            16 => {
                let open: Vec<String> = self
                    .records(i, Kind::ActionAdd)
                    .into_iter()
                    .filter(|a| {
                        !self.knows(i, Kind::ActionDone, a) && !self.knows(i, Kind::ActionCancel, a)
                    })
                    .collect();
                if let Some(a) = self
                    .rng
                    .pick(&open)
                    .cloned()
                    .filter(|_| self.rng.chance(50))
                {
                    let (kind, verb) = if self.rng.chance(70) {
                        (Kind::ActionDone, "done")
                    } else {
                        (Kind::ActionCancel, "cancel")
                    };
                    self.record(i, &who, None, None, kind, &a, "", "", &["action", verb, &a]);
                    return;
                }
                let text = self.fresh("action");
                let owner = self.rng.pick(&names).unwrap().clone();
                let due = format!("2026-11-{}", 18 + self.rng.below(10));
                let out = self.record(
                    i,
                    &who,
                    backdate,
                    None,
                    Kind::ActionAdd,
                    "",
                    "",
                    "",
                    &[
                        "action", "add", &text, "--owner", &owner, "--due", &due, "--format",
                        "json",
                    ],
                );
                self.name_last(out);
            }
            17 => {
                let goals = self.records(i, Kind::GoalAdd);
                if let Some(g) = self
                    .rng
                    .pick(&goals)
                    .cloned()
                    .filter(|_| self.rng.chance(50))
                {
                    let value = format!("{}", self.rng.below(9));
                    self.record(
                        i,
                        &who,
                        None,
                        None,
                        Kind::GoalCheckin,
                        &g,
                        "",
                        "",
                        &["goal", "checkin", &g, &value],
                    );
                    return;
                }
                let title = *self.rng.pick(GOALS).unwrap();
                let id = slug(title);
                if self.knows(i, Kind::GoalAdd, &id) {
                    return;
                }
                let target = format!("{}", 10 + self.ops.len());
                self.record(
                    i,
                    &who,
                    backdate,
                    None,
                    Kind::GoalAdd,
                    &id,
                    &target,
                    "",
                    &[
                        "goal",
                        "add",
                        title,
                        "--metric",
                        "manual",
                        "--target",
                        &target,
                        "--from",
                        "2026-10-01",
                        "--to",
                        "2026-12-31",
                    ],
                );
            }
            18..=19 => {
                let date = *self.rng.pick(&["2026-11-16", "2026-11-09"]).unwrap();
                let a = self.rng.pick(&names).unwrap().clone();
                let b = self.rng.pick(&names).unwrap().clone();
                let note = self.fresh("note");
                let pulse = format!("{a}={}", 1 + self.rng.below(5));
                self.record(
                    i,
                    &who,
                    backdate,
                    None,
                    Kind::Meeting,
                    date,
                    "",
                    "",
                    &[
                        "meeting",
                        "record",
                        "--date",
                        date,
                        "--attendee",
                        &a,
                        "--attendee",
                        &b,
                        "--note",
                        &note,
                        "--pulse",
                        &pulse,
                    ],
                );
            }
            _ => self.undo(i),
        }
    }

    /// Names the op just recorded by the id its create printed.
    fn name_last(&mut self, out: Option<String>) {
        if let Some(id) = Self::created_id(out) {
            let last = self.ops.len() - 1;
            self.ops[last].record = id;
        }
    }

    /// Undoes one of this clone's own operations (an undo among them: a redo).
    fn undo(&mut self, i: usize) {
        let own: Vec<usize> = (0..self.ops.len())
            .filter(|&o| {
                let op = &self.ops[o];
                op.clone == i
                    && !self.undone.contains(&o)
                    && !matches!(op.kind, Kind::Member | Kind::Future)
                    && op.at <= self.clock[i] + 10
            })
            .collect();
        let Some(&target) = self.rng.pick(&own) else {
            return;
        };
        let entry = self.ops[target].entries[0].clone();
        let who = self.ops[target].who.clone();
        self.undone.insert(target);
        let (record, extra) = (
            self.ops[target].record.clone(),
            self.ops[target].extra.clone(),
        );
        self.tainted.insert(record.clone());
        self.tainted.insert(extra.clone());
        self.record(
            i,
            &who,
            None,
            None,
            Kind::Undo,
            &record,
            "",
            &extra,
            &["undo", &entry],
        );
    }

    fn run(&mut self, steps: usize) {
        let n = self.n();
        // Members added on different clones.
        for (i, id, dept) in [(0, "rep-a", "sales"), (n - 1, "rep-b", "marketing")] {
            let today = moment(self.clock[i]);
            self.record(
                i,
                "maria",
                None,
                Some(&today),
                Kind::Member,
                id,
                dept,
                "",
                &["member", "add", id, "--name", id, "--dept", dept],
            );
        }
        let future_at = steps / 2;
        for step in 0..steps {
            let i = self.rng.below(n);
            if step == future_at {
                // A typo: a clone whose clock is a year ahead records.
                let c = n - 1;
                self.record(
                    c,
                    "ana",
                    None,
                    Some("2027-11-20 12:00"),
                    Kind::Future,
                    "typo-future-gmbh",
                    "",
                    "",
                    &["lead", "add", "Typo Future GmbH"],
                );
            } else {
                // Retry until something is recorded (a follow-up needs its record first).
                for _ in 0..8 {
                    let before = self.ops.len() + self.problems.len();
                    self.step(i);
                    if self.ops.len() + self.problems.len() > before {
                        break;
                    }
                }
            }
            if self.rng.chance(25) {
                let s = self.rng.below(n);
                self.sync(s);
            }
        }
        for i in 0..n {
            self.clock[i] = 18 * 60;
        }
        for _ in 0..2 {
            for i in 0..n {
                self.sync(i);
            }
        }
    }

    /// The live candidates of a register set by `setters`, as the writer saw (or knew).
    fn frontier(&self, setters: &[usize], field: &str, by_known: bool) -> BTreeSet<String> {
        setters
            .iter()
            .filter(|&&s| {
                !setters.iter().any(|&t| {
                    t != s
                        && if by_known {
                            self.ops[t].known.contains(&s)
                        } else {
                            self.ops[t].seen.contains(&s)
                        }
                })
            })
            .map(|&s| match (&self.ops[s].kind, field) {
                (Kind::LeadAdd, "stage") => "new".to_string(),
                _ => self.ops[s].value.clone(),
            })
            .collect()
    }

    /// (record, field) → the values the driver made concurrently and nothing settled.
    fn expected_conflicts(&self) -> (Expected, BTreeSet<String>) {
        let mut expected = BTreeMap::new();
        let mut quiet = BTreeSet::new();
        let mut registers: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
        let mut stage_tainted = self.tainted.clone();
        for (o, op) in self.ops.iter().enumerate() {
            match op.kind {
                Kind::LeadAdd => {
                    registers
                        .entry((op.record.clone(), "value".into()))
                        .or_default()
                        .push(o);
                }
                Kind::GoalAdd => {
                    registers
                        .entry((op.record.clone(), "target".into()))
                        .or_default()
                        .push(o);
                }
                Kind::LeadStage => {
                    registers
                        .entry((op.record.clone(), "stage".into()))
                        .or_default()
                        .push(o);
                }
                Kind::Decide => {
                    registers
                        .entry((op.record.clone(), "decision".into()))
                        .or_default()
                        .push(o);
                    stage_tainted.insert(op.extra.clone());
                }
                Kind::LeadQualify => {
                    stage_tainted.insert(op.record.clone());
                }
                _ => {}
            }
        }
        for ((record, field), setters) in registers {
            if self.tainted.contains(&record)
                || (field == "stage" && stage_tainted.contains(&record))
            {
                continue;
            }
            let mut setters = setters;
            if field == "stage" {
                // A lead's creation sets its stage (the first one) too.
                for (o, op) in self.ops.iter().enumerate() {
                    if op.kind == Kind::LeadAdd && op.record == record {
                        setters.push(o);
                    }
                }
            }
            let seen = self.frontier(&setters, &field, false);
            let known = self.frontier(&setters, &field, true);
            if seen.len() > 1 && known.len() > 1 {
                expected.insert((record.clone(), field.clone()), seen);
            } else if seen.len() == 1 && known.len() == 1 {
                quiet.insert(format!("{record}/{field}"));
            }
        }
        (expected, quiet)
    }
}

fn converge(seed: u64, clones: usize, steps: usize) {
    let mut d = Driver::new(seed, clones);
    d.run(steps);
    let n = d.n();
    let fleet = &d.fleet;
    let mut problems = std::mem::take(&mut d.problems);

    // Every report, byte for byte.
    let reports: &[&[&str]] = &[
        &["lead", "list", "--format", "json"],
        &["handoff", "list", "--format", "json"],
        &["action", "list", "--format", "json"],
        &["feedback", "list", "--format", "json"],
        &["idea", "list", "--format", "json"],
        &["goal", "list", "--format", "json"],
        &["win", "list", "--format", "json"],
        &["meeting", "list", "--format", "json"],
        &["member", "list", "--format", "json"],
        &["progress", "--format", "json"],
        &["conflicts", "--format", "json"],
        &["agenda", "--format", "json"],
        &["log", "--count", "0", "--format", "json"],
    ];
    for args in reports {
        let mut all = vec!["--today", FINAL];
        all.extend_from_slice(args);
        let outs: Vec<String> = (0..n).map(|i| fleet.ok(i, &all)).collect();
        for i in 1..n {
            if outs[i] != outs[0] {
                problems.push(format!(
                    "{args:?} differs between clone 0 and clone {i}:\n{}\n---\n{}",
                    outs[0], outs[i]
                ));
            }
        }
    }

    // Every entry any clone wrote is in every clone's log.
    let written: BTreeSet<String> = (0..n)
        .flat_map(|i| journal_entries(&fleet.clones[i]))
        .map(|(id, _)| id)
        .collect();
    // Members' entries are not in `growth log` (reported as a bug, see undo.rs): the
    // member list above is compared instead.
    let recorded: BTreeSet<String> = d
        .ops
        .iter()
        .filter(|o| o.kind != Kind::Member)
        .flat_map(|o| o.entries.clone())
        .collect();
    assert!(recorded.is_subset(&written));
    for i in 0..n {
        let log = fleet.json(i, AFTER_ALL, &["log", "--count", "0"]);
        let listed: BTreeSet<String> = log
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row["entry"].as_str().unwrap().to_string())
            .collect();
        let kinds: BTreeMap<String, String> =
            journal_entries(&fleet.clones[i]).into_iter().collect();
        let missing: Vec<String> = recorded
            .difference(&listed)
            .map(|id| format!("{id} ({})", kinds[id]))
            .collect();
        if !missing.is_empty() {
            problems.push(format!("clone {i}: the log lacks entries {missing:?}"));
        }
    }

    // Every concurrent difference to a single value is a conflict, everywhere.
    let (expected, quiet) = d.expected_conflicts();
    for i in 0..n {
        let listed: BTreeMap<(String, String), BTreeSet<String>> = fleet
            .conflicts(i, FINAL)
            .into_iter()
            .map(|(r, f, v)| ((r, f), v.into_iter().collect()))
            .collect();
        for (key, values) in &expected {
            let shown = listed.get(key).cloned().unwrap_or_default();
            if !values.is_subset(&shown) {
                problems.push(format!(
                    "clone {i}: {key:?} was changed concurrently to {values:?}, conflicts show {shown:?}"
                ));
            }
        }
        for ((record, field), values) in &listed {
            if quiet.contains(&format!("{record}/{field}")) {
                problems.push(format!(
                    "clone {i}: {record} {field} lists a conflict {values:?} though every change saw the one before"
                ));
            }
        }
    }
    // A write after the last pull catches each clone's writers' index up on what it
    // pulled (or rebuilds it); what the index then serves equals the full state's.
    let served: &[&[&str]] = &[
        &["lead", "list", "--stage", "new"],
        &["lead", "list", "--stage", "mql", "--format", "csv"],
        &["lead", "list", "--stage", "sql"],
        &["handoff", "list", "--pending"],
        &["handoff", "list", "--format", "csv"],
        &["--as", "maria", "status", "--format", "json"],
        &["--as", "tom", "status", "--format", "json"],
    ];
    for i in 0..n {
        fleet.as_on(i, "maria", FINAL, &["feedback", "caught up?"]);
        let read = |fleet: &Fleet| -> Vec<String> {
            served
                .iter()
                .map(|args| {
                    let mut all = vec!["--today", FINAL];
                    all.extend_from_slice(args);
                    fleet.ok(i, &all)
                })
                .collect()
        };
        let fast = read(fleet);
        let cache = fleet.clones[i].join(".growth/cache");
        let _ = std::fs::remove_file(cache.join("index.bin"));
        let full = read(fleet);
        for ((args, fast), full) in served.iter().zip(&fast).zip(&full) {
            if fast != full {
                problems.push(format!(
                    "clone {i}: {args:?} from the writers' index differs from the full state:\n{fast}\n---\n{full}"
                ));
            }
        }
    }
    let kinds: BTreeSet<String> = d.ops.iter().map(|o| format!("{:?}", o.kind)).collect();
    eprintln!(
        "seed {seed}: {} operations ({kinds:?}), conflicts expected: {:?}",
        d.ops.len(),
        expected.keys().collect::<Vec<_>>()
    );
    assert!(
        problems.is_empty(),
        "seed {seed}, {clones} clones:\n{}",
        problems.join("\n")
    );
}

#[test]
fn three_clones_converge_seed_1() {
    converge(1, 3, 40);
}

#[test]
fn four_clones_converge_seed_2() {
    converge(2, 4, 40);
}

#[test]
fn three_clones_converge_seed_3() {
    converge(3, 3, 40);
}

#[test]
fn four_clones_converge_seed_4() {
    converge(4, 4, 40);
}

#[test]
fn five_clones_converge_seed_5() {
    converge(5, 5, 40);
}
