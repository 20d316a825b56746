//! The agenda of a growth meeting: everything since the last meeting, as of the meeting's
//! start, in the sections PRODUCT.md fixes, each with a time box that fits the meeting.
//! Computed as of the meeting start, so the same workspace and date give the same agenda.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use crate::model::agenda_facts::{AgendaFacts, DealFact};
use crate::model::cadence;
use crate::model::config::Config;
use crate::model::handoff::{Clocks, Handoff, HandoffStatus};
use crate::model::lead::Lead;
use crate::model::metric_facts::MetricFacts;
use crate::model::metrics::{Metrics, MetricsPass};
use crate::model::sla::Calendar;
use crate::model::state::State;
use crate::model::time::{Instant, resolve_local};
use crate::report::progress::{self, Period};
use crate::report::wins::{DealsPass, WinView};

/// Open leads with no change for this many days are listed as stale.
pub const STALE_DAYS: i64 = 14;

#[derive(Debug, Clone, Serialize)]
pub struct Agenda {
    pub team: String,
    pub date: NaiveDate,
    pub time: String,
    pub timezone: String,
    pub minutes: u32,
    pub facilitator: Option<String>,
    pub note_taker: Option<String>,
    pub attendees: Vec<Department>,
    /// Everything since this moment: the last recorded meeting, or the previous meeting date.
    pub since: String,
    pub last_meeting: Option<NaiveDate>,
    /// The recorded meeting the agenda covers everything since: the last one, or the
    /// regular one before it when the last was an extra meeting (`None` with `--since`).
    pub since_meeting: Option<NaiveDate>,
    /// Conflicts between clones nobody settled yet, at the very top: until then reports
    /// use the latest value, and a disputed handoff counts as undecided.
    pub needs_decision: Vec<String>,
    /// The last meeting's decisions, recalled at the top.
    pub recalled_decisions: Vec<String>,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Department {
    pub department: String,
    pub members: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub id: &'static str,
    pub title: &'static str,
    pub minutes: u32,
    /// A one-line summary (counts), when the section has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub items: Vec<Item>,
    /// The goals section's progress report, for the terminal's table.
    #[serde(skip)]
    pub progress: Option<progress::Progress>,
    /// The feedback section's pulse of the last meetings (up to `PULSE_MEETINGS`), oldest
    /// first, for the trend chart and sparkline.
    #[serde(skip)]
    pub pulse: Vec<(NaiveDate, f64)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Goals: the percent reached, for a bar.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent: Option<f64>,
    /// Goals: done, on-track, at-risk, behind; handoffs and actions: late, overdue...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The last item of a section past `MAX_ITEMS`: how many were left out (`text` names
    /// the command that lists them all).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub more: Option<usize>,
    /// Content ideas: the published piece, linked from the Markdown and HTML agendas.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

impl Item {
    fn text(text: String) -> Self {
        Item {
            text,
            detail: None,
            percent: None,
            status: None,
            more: None,
            link: None,
        }
    }

    fn with_detail(mut self, detail: Option<String>) -> Self {
        self.detail = detail.filter(|d| !d.is_empty());
        self
    }

    fn with_status(mut self, status: &str) -> Self {
        self.status = Some(status.to_string());
        self
    }
}

/// The sections in order, with their share of the meeting when they have something.
const SECTIONS: [(&str, &str, u32); 7] = [
    ("celebrations", "Celebrations", 2),
    ("goals", "Goals and benchmarks", 4),
    ("qualification", "Leads to qualify", 3),
    ("handoffs", "Handoffs", 4),
    ("content", "Content from the field", 2),
    ("feedback", "Feedback", 2),
    ("actions", "Action items", 3),
];

pub fn build(
    state: &State,
    config: &Config,
    tz: chrono_tz::Tz,
    date: NaiveDate,
    since: Option<NaiveDate>,
) -> Agenda {
    build_from(state, super::every_lead(state), config, tz, date, since)
        .unwrap_or_else(|| unreachable!("the state's leads are always all there"))
}

/// The meeting the agenda is for, and the window it covers.
struct Window {
    occurrence: cadence::Occurrence,
    /// The meeting's start: the agenda is as of then.
    at: Instant,
    /// Everything since then.
    from: Instant,
    last_meeting: Option<NaiveDate>,
    recall_from: Option<NaiveDate>,
    since_meeting: Option<NaiveDate>,
}

impl Window {
    fn of(
        state: &State,
        config: &Config,
        tz: chrono_tz::Tz,
        date: NaiveDate,
        since: Option<NaiveDate>,
    ) -> Window {
        let occurrence = cadence::occurrence(config, tz, date);
        let at = occurrence.start;
        let last_meeting = state
            .meetings
            .values()
            .filter(|m| m.date < date)
            .map(|m| m.date)
            .max();
        // Since the last meeting, or the regular one before it when the last was an extra
        // meeting off the cadence (which should not hide that week's news or decisions).
        let recall_from = last_meeting
            .into_iter()
            .chain(
                cadence::previous(config, date).filter(|d| last_meeting.is_some_and(|l| *d <= l)),
            )
            .min();
        let since_date = since
            .or(recall_from)
            .or_else(|| cadence::previous(config, date))
            .unwrap_or(date - Duration::days(7));
        let since_meeting =
            recall_from.filter(|d| since.is_none() && state.meetings.contains_key(&d.to_string()));
        let from = resolve_local(since_date.and_time(config.meeting.time.0), tz);
        Window {
            occurrence,
            at,
            from,
            last_meeting,
            recall_from,
            since_meeting,
        }
    }
}

/// What the agenda shows of the leads: from one pass over them, or from the facts kept
/// beside the cache.
struct LeadParts<'a> {
    metrics: Metrics<'a>,
    deals: Vec<WinView>,
    qualify: Qualify<'a>,
    picks: HandoffPicks<'a>,
    /// The companies of the leads the handoffs shown name.
    companies: HashMap<String, String>,
}

/// [`build`] from a state whose leads `leads` passes to its argument, one by one (from
/// the state, or from a cache one chunk at a time, kept by none): every section that
/// looks at every lead takes what it shows in that one pass. `None` when `leads` could
/// not pass them all (a damaged cache).
pub fn build_from(
    state: &State,
    leads: impl FnOnce(&mut dyn FnMut(&Lead)) -> bool,
    config: &Config,
    tz: chrono_tz::Tz,
    date: NaiveDate,
    since: Option<NaiveDate>,
) -> Option<Agenda> {
    let window = Window::of(state, config, tz, date, since);
    let (at, from) = (window.at, window.from);
    // Each goal's metric, worked out once for its progress and the wins, the deals won,
    // the leads to qualify and the companies the handoffs name: one pass over the leads.
    let mut metrics = MetricsPass::every_goal(state, config, tz, Some(at));
    let mut deals = DealsPass::new(state, config, tz, at, Some(from));
    let mut qualify = Qualify::new(config, at);
    let picks = HandoffPicks::new(state, config, tz, from, at);
    let named: HashSet<&str> = picks.leads().collect();
    let mut companies: HashMap<String, String> = HashMap::new();
    let whole = leads(&mut |lead: &Lead| {
        metrics.lead(lead);
        deals.lead(lead);
        qualify.lead(lead);
        if named.contains(lead.id.as_str()) {
            companies.insert(lead.id.to_string(), lead.company.to_string());
        }
    });
    if !whole {
        return None;
    }
    metrics.handoffs(state.handoffs.values().map(|h| &**h));
    let metrics = Metrics::from_pass(state, config, tz, metrics);
    let parts = LeadParts {
        metrics,
        deals: deals.finish(),
        qualify,
        picks,
        companies,
    };
    Some(assemble(state, config, tz, date, &window, parts))
}

/// [`build`] from a state without its leads, with what the agenda shows of them read from
/// the facts kept beside the cache (`metric_facts`, `facts`), and `companies` looking up
/// the companies of a few leads by id. `None` when the facts do not fit the state (a goal
/// changed) or cannot tell what a section shows (writes since took out the leads kept),
/// or a lookup fails: a pass over the leads is then the way.
#[allow(clippy::too_many_arguments)]
pub fn build_from_facts(
    state: &State,
    metric_facts: MetricFacts,
    facts: &AgendaFacts,
    companies: impl FnOnce(&[&str]) -> Option<HashMap<String, String>>,
    config: &Config,
    tz: chrono_tz::Tz,
    date: NaiveDate,
    since: Option<NaiveDate>,
) -> Option<Agenda> {
    let window = Window::of(state, config, tz, date, since);
    let (at, from) = (window.at, window.from);
    let metrics = metric_facts.metrics(state, config, tz, at)?;
    let won: Vec<&DealFact> = facts.deals(from, at).collect();
    let leads: HashSet<&str> = won.iter().map(|d| d.lead.as_str()).collect();
    let mut pass = DealsPass::of_leads(state, config, tz, at, Some(from), |l| leads.contains(l));
    for deal in won {
        pass.deal_fact(deal);
    }
    let deals = pass.finish();
    let qualify = Qualify::of_facts(config, at, facts)?;
    let picks = HandoffPicks::new(state, config, tz, from, at);
    let named: Vec<&str> = picks.leads().collect();
    let companies = companies(&named)?;
    let parts = LeadParts {
        metrics,
        deals,
        qualify,
        picks,
        companies,
    };
    Some(assemble(state, config, tz, date, &window, parts))
}

/// The agenda of `window`, with what it shows of the leads in `parts`.
fn assemble(
    state: &State,
    config: &Config,
    tz: chrono_tz::Tz,
    date: NaiveDate,
    window: &Window,
    parts: LeadParts,
) -> Agenda {
    let (at, from, occurrence) = (window.at, window.from, &window.occurrence);
    let recall_from = window.recall_from;
    let recalled_decisions = state
        .meetings
        .values()
        .filter(|m| recall_from.is_some_and(|from| m.date >= from) && m.date < date)
        .flat_map(|m| m.decisions.iter().map(|d| d.text.clone()))
        .collect();
    let LeadParts {
        metrics,
        deals,
        qualify,
        picks,
        companies,
    } = parts;
    let mut sections = vec![
        celebrations(&metrics, from, at, deals),
        goals(&metrics, from, at),
        qualification(qualify, config, tz),
        handoffs(picks, &companies),
        content(state, from, at),
        feedback(state, date, at),
        actions(state, tz, date, at),
    ];
    time_box(&mut sections, occurrence.minutes);
    let conflicts: Vec<_> = (state.conflicts().into_iter())
        .filter(|(key, r)| !(key.starts_with("lead/") && r.field == "handoff"))
        .collect();
    let undecided = conflicts.len();
    // The first few, as every section: after a messy sync thousands would push the
    // meeting off the screen; `growth conflicts` lists them all.
    let mut needs_decision: Vec<String> = (conflicts.into_iter().take(MAX_ITEMS))
        .map(|(key, r)| {
            let values: Vec<String> = r
                .candidates
                .iter()
                .map(|c| {
                    let v = match c.value.split_once(':') {
                        Some(("rejected", reason)) => format!("rejected ({reason})"),
                        _ => c.value.to_string(),
                    };
                    format!("{v} by {}", c.by)
                })
                .collect();
            format!(
                "{key} {}: {} (growth resolve {} {} --pick N)",
                r.field,
                values.join(" vs "),
                crate::model::causal::split_key(key).1,
                r.field
            )
        })
        .collect();
    if undecided > MAX_ITEMS {
        let left_out = undecided - MAX_ITEMS;
        let what = if left_out == 1 {
            "conflict"
        } else {
            "conflicts"
        };
        needs_decision.push(format!("... and {left_out} more {what}: growth conflicts"));
    }
    Agenda {
        team: config.team.name.clone(),
        date,
        time: config.meeting.time.0.format("%H:%M").to_string(),
        timezone: config.team.timezone.clone(),
        minutes: occurrence.minutes,
        facilitator: occurrence.facilitator.clone(),
        note_taker: occurrence.note_taker.clone(),
        attendees: attendees(config),
        since: from.to_toml(tz),
        last_meeting: window.last_meeting,
        since_meeting: window.since_meeting,
        needs_decision,
        recalled_decisions,
        sections,
    }
}

/// The pulse trend covers this many meetings at most.
pub const PULSE_MEETINGS: usize = 8;

/// The most items a section lists; the rest is counted, with the command that lists them.
pub const MAX_ITEMS: usize = 15;

/// "... and 42 more stale leads: growth lead list --stale 14" when `total` passed the cap;
/// `what` is `(one, many)`.
fn more(items: &mut Vec<Item>, total: usize, what: (&str, &str), command: &str) {
    if total > MAX_ITEMS {
        let left_out = total - MAX_ITEMS;
        let what = if left_out == 1 { what.0 } else { what.1 };
        let mut item = Item::text(format!("... and {left_out} more {what}: {command}"));
        item.more = Some(left_out);
        items.push(item);
    }
}

fn section(index: usize, items: Vec<Item>, summary: Option<String>) -> Section {
    let (id, title, _) = SECTIONS[index];
    Section {
        id,
        title,
        minutes: 0,
        summary,
        items,
        progress: None,
        pulse: Vec::new(),
    }
}

fn attendees(config: &Config) -> Vec<Department> {
    let mut by_dept: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (id, m) in config.members.iter().filter(|(_, m)| m.active) {
        by_dept
            .entry(m.department.clone())
            .or_default()
            .push(format!("{} ({id})", m.name));
    }
    by_dept
        .into_iter()
        .map(|(department, members)| Department {
            department,
            members,
        })
        .collect()
}

/// Splits the meeting between the sections that have something, by weight, in whole
/// minutes that add up to the meeting's length; empty sections give their time away.
fn time_box(sections: &mut [Section], minutes: u32) {
    let weights: Vec<f64> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| {
            if s.items.is_empty() {
                0.0
            } else {
                f64::from(SECTIONS[i].2) * (1.0 + (s.items.len().min(10) as f64) / 10.0)
            }
        })
        .collect();
    let total: f64 = weights.iter().sum();
    if total == 0.0 {
        return;
    }
    let exact: Vec<f64> = weights
        .iter()
        .map(|w| w / total * f64::from(minutes))
        .collect();
    let mut given: Vec<u32> = exact.iter().map(|e| e.floor() as u32).collect();
    let mut left = minutes - given.iter().sum::<u32>();
    let mut order: Vec<usize> = (0..sections.len()).filter(|&i| weights[i] > 0.0).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - exact[b].floor())
            .total_cmp(&(exact[a] - exact[a].floor()))
            .then(a.cmp(&b))
    });
    for i in order.iter().cycle() {
        if left == 0 {
            break;
        }
        given[*i] += 1;
        left -= 1;
    }
    for (s, m) in sections.iter_mut().zip(given) {
        s.minutes = m;
    }
}

fn celebrations(metrics: &Metrics, from: Instant, at: Instant, deals: Vec<WinView>) -> Section {
    let config = metrics.config();
    let credit = |ids: &[String]| {
        ids.iter()
            .map(|id| {
                config
                    .members
                    .get(id)
                    .map_or(id.clone(), |m| format!("{} ({})", m.name, m.department))
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let items = crate::report::wins::wins_with(metrics, at, Some(from), deals)
        .into_iter()
        .map(|w| {
            Item::text(w.text.clone()).with_detail(Some(format!(
                "{}: {}",
                w.kind,
                credit(&w.credit)
            )))
        })
        .collect();
    section(0, items, None)
}

fn goals(metrics: &Metrics, from: Instant, at: Instant) -> Section {
    let report = progress::build(metrics, at, from, Period::Current, None);
    let items = report
        .rows
        .iter()
        .map(|r| {
            let show = |v: f64| r.show(v);
            let change = if r.change > 0.0 {
                format!("+{}", show(r.change))
            } else {
                show(r.change)
            };
            let mut item = Item::text(format!(
                "{}: {} of {} ({:.0}%)",
                r.title,
                show(r.actual),
                show(r.target),
                r.percent
            ))
            .with_status(r.status)
            .with_detail(Some(match r.projected {
                Some(p) => format!("{change} since the last meeting; projected {}", show(p)),
                // A level has no projection: the latest check-in is where it stands.
                None => format!("{change} since the last meeting"),
            }));
            item.percent = Some(r.percent);
            item
        })
        .collect();
    let mut goals = section(1, items, None);
    goals.progress = Some(report);
    goals
}

/// The leads to qualify (in the first stage) and the stale ones (open, no change for
/// `STALE_DAYS`), each counted and the first `MAX_ITEMS` kept, lead by lead.
struct Qualify<'a> {
    config: &'a Config,
    first: String,
    at: Instant,
    stale_before: Instant,
    to_qualify: (usize, Vec<Lead>),
    stale: (usize, Vec<Lead>),
}

impl<'a> Qualify<'a> {
    fn new(config: &'a Config, at: Instant) -> Self {
        Qualify {
            config,
            first: config.pipeline.stages.first().cloned().unwrap_or_default(),
            at,
            stale_before: at.plus_millis(-STALE_DAYS * 86_400_000),
            to_qualify: (0, Vec::new()),
            stale: (0, Vec::new()),
        }
    }

    /// The same lists from the facts kept beside the cache; `None` when they keep fewer
    /// leads than the agenda shows.
    fn of_facts(config: &'a Config, at: Instant, facts: &AgendaFacts) -> Option<Self> {
        let mut q = Qualify::new(config, at);
        q.to_qualify = facts.to_qualify(at, MAX_ITEMS)?;
        q.stale = facts.stale(q.stale_before, MAX_ITEMS)?;
        Some(q)
    }

    fn lead(&mut self, l: &Lead) {
        if l.stage == self.first && l.created <= self.at {
            keep_first(&mut self.to_qualify, l, |l| (l.created, l.id.clone()));
        } else if l.stage != self.first
            && !self.config.pipeline.is_closed(&l.stage)
            && l.updated <= self.stale_before
        {
            keep_first(&mut self.stale, l, |l| (l.updated, l.id.clone()));
        }
    }
}

/// Counts `l` and keeps it when it is among the first `MAX_ITEMS` by `key` (a copy
/// without its history, which no item shows).
fn keep_first<K: Ord>(kept: &mut (usize, Vec<Lead>), l: &Lead, key: impl Fn(&Lead) -> K) {
    kept.0 += 1;
    if kept.1.len() == MAX_ITEMS && kept.1.last().is_some_and(|last| key(last) < key(l)) {
        return;
    }
    let at = kept.1.partition_point(|k| key(k) < key(l));
    let mut copy = l.clone();
    copy.history.clear();
    copy.notes.clear();
    kept.1.insert(at, copy);
    kept.1.truncate(MAX_ITEMS);
}

fn qualification(q: Qualify, config: &Config, tz: chrono_tz::Tz) -> Section {
    let at = q.at;
    let mut items = Vec::new();
    let (to_qualify, stale) = (q.to_qualify, q.stale);
    for l in &to_qualify.1 {
        let criteria = &config.qualification.criteria;
        let detail = format!(
            "added {} by {}{}; meets {} of {} criteria",
            l.created.date_in(tz),
            l.created_by,
            l.source
                .as_deref()
                .map(|s| format!(" from {s}"))
                .unwrap_or_default(),
            l.met.len(),
            criteria.len()
        );
        items.push(
            Item::text(format!("Qualify {} ({})", l.company, l.id))
                .with_detail(Some(detail))
                .with_status("new"),
        );
    }
    more(
        &mut items,
        to_qualify.0,
        ("lead to qualify", "leads to qualify"),
        &format!("growth lead list --stage {}", q.first),
    );
    for l in &stale.1 {
        let days = (at.0 - l.updated.0) / 86_400_000;
        items.push(
            Item::text(format!("Stale: {} ({}) in {}", l.company, l.id, l.stage))
                .with_detail(Some(format!(
                    "no change for {days} days; owner {}",
                    l.owner.as_deref().unwrap_or("nobody")
                )))
                .with_status("stale"),
        );
    }
    more(
        &mut items,
        stale.0,
        ("stale lead", "stale leads"),
        &format!("growth lead list --stale {STALE_DAYS}"),
    );
    let summary =
        (!items.is_empty()).then(|| format!("{} to qualify, {} stale", to_qualify.0, stale.0));
    section(2, items, summary)
}

/// What the handoffs section shows, picked before the pass over the leads so that it
/// looks up the companies of only the handoffs it names: the counts, every handoff
/// rejected since the last meeting, and the first `MAX_ITEMS` open ones, late first (at a
/// million entries tens of thousands are open; sorting them all held 6 MiB).
struct HandoffPicks<'a> {
    at: Instant,
    made: usize,
    accepted: usize,
    rejected: Vec<&'a Handoff>,
    open: Vec<(&'a Handoff, Clocks)>,
    open_count: usize,
    late: usize,
    pending: usize,
}

impl<'a> HandoffPicks<'a> {
    fn new(
        state: &'a State,
        config: &Config,
        tz: chrono_tz::Tz,
        from: Instant,
        at: Instant,
    ) -> Self {
        let cal = Calendar::new(&config.business_hours, tz);
        let decided_now = |h: &Handoff| h.decided_at.is_some_and(|d| d > from && d <= at);
        let mut picks = HandoffPicks {
            at,
            made: 0,
            accepted: 0,
            rejected: Vec::new(),
            open: Vec::new(),
            open_count: 0,
            late: 0,
            pending: 0,
        };
        // Late first: those are what the meeting must talk about. Only whether each is
        // late ranks them; the clocks of the few shown are worked out at the end.
        let order = |(h, late): &(&Handoff, bool)| (!late, h.at, h.id.clone());
        let mut open: Vec<(&Handoff, bool)> = Vec::new();
        for h in state.handoffs.values().map(|h| &**h) {
            picks.made += usize::from(h.at > from && h.at <= at);
            picks.pending += usize::from(h.pending_at(at));
            match h.status {
                HandoffStatus::Accepted if decided_now(h) => picks.accepted += 1,
                HandoffStatus::Rejected if decided_now(h) => picks.rejected.push(h),
                _ => {}
            }
            if h.open_at(at) {
                let late = h.overdue_at(config, &cal, at);
                picks.open_count += 1;
                picks.late += usize::from(late);
                open.push((h, late));
                if open.len() >= 4 * MAX_ITEMS {
                    open.sort_by_cached_key(order);
                    open.truncate(MAX_ITEMS);
                }
            }
        }
        open.sort_by_cached_key(order);
        open.truncate(MAX_ITEMS);
        picks.open = (open.into_iter())
            .map(|(h, _)| (h, h.clocks(config, &cal, at)))
            .collect();
        picks
    }

    /// The leads of the handoffs shown.
    fn leads(&self) -> impl Iterator<Item = &'a str> + '_ {
        let rejected = self.rejected.iter().map(|h| h.lead.as_str());
        rejected.chain(self.open.iter().map(|(h, _)| h.lead.as_str()))
    }
}

fn handoffs(picks: HandoffPicks, companies: &HashMap<String, String>) -> Section {
    let company = |lead: &str| companies.get(lead).cloned().unwrap_or_else(|| lead.into());
    let HandoffPicks {
        at,
        made,
        accepted,
        rejected,
        open,
        open_count,
        late,
        pending,
    } = picks;
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    let mut items = Vec::new();
    for h in rejected {
        let reason = h.reason.clone().unwrap_or_default();
        *reasons.entry(reason.clone().into()).or_default() += 1;
        items.push(
            Item::text(format!(
                "Rejected: {} ({}) by {}: {reason}",
                company(&h.lead),
                h.lead,
                h.to
            ))
            .with_detail(h.decision_note.clone().map(Into::into))
            .with_status("rejected"),
        );
    }
    for (h, clocks) in open {
        let overdue = h.overdue(&clocks);
        let (what, clock) = if h.status == HandoffStatus::Pending {
            // Called already but not yet accepted or rejected: the decision is what is owed.
            if h.contacted_at.is_some_and(|c| c <= at) {
                ("In contact, waiting for a decision from", &clocks.accept)
            } else {
                ("Waiting for", &clocks.accept)
            }
        } else {
            ("No first contact yet from", &clocks.contact)
        };
        let timing = format!(
            "{} of {} business hours{}",
            crate::model::sla::human(clock.elapsed),
            clock.limit / 3_600_000,
            if overdue { ", past the SLA" } else { "" }
        );
        let context = h
            .note
            .as_deref()
            .map(|n| format!("; context: {n}"))
            .unwrap_or_default();
        items.push(
            Item::text(format!(
                "{what} {}: {} ({}), handed off by {}",
                h.to,
                company(&h.lead),
                h.lead,
                h.from
            ))
            .with_detail(Some(format!("{timing}{context}")))
            .with_status(if overdue { "late" } else { "open" }),
        );
    }
    more(
        &mut items,
        open_count,
        ("open handoff", "open handoffs"),
        "growth handoff list",
    );
    let rejected: usize = reasons.values().sum();
    let reasons_text = if reasons.is_empty() {
        String::new()
    } else {
        format!(
            " ({})",
            reasons
                .iter()
                .map(|(r, n)| format!("{r} x{n}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let summary = (made + accepted + rejected + items.len() > 0).then(|| {
        format!("{made} made, {accepted} accepted, {rejected} rejected{reasons_text}, {pending} pending, {late} open past the SLA")
    });
    if items.is_empty() && made + accepted > 0 {
        items.push(Item::text(
            "Every handoff was decided and contacted in time".into(),
        ));
    }
    section(3, items, summary)
}

fn content(state: &State, from: Instant, at: Instant) -> Section {
    let mut ideas: Vec<_> = state
        .ideas
        .values()
        .filter(|i| i.updated > from && i.updated <= at)
        .collect();
    ideas.sort_unstable_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
    let mut items: Vec<Item> = ideas
        .iter()
        .take(MAX_ITEMS)
        .map(|i| {
            let new = i.at > from;
            let mut detail = vec![format!("{} by {}", if new { "new" } else { "moved" }, i.by)];
            detail.extend(i.offer.as_ref().map(|o| format!("offer: {o}")));
            detail.extend(i.lead.as_ref().map(|l| format!("from {l}")));
            detail.extend(i.link.clone());
            let mut item = Item::text(i.text.clone())
                .with_detail(Some(detail.join("; ")))
                .with_status(&i.status);
            item.link = i.link.clone();
            item
        })
        .collect();
    more(
        &mut items,
        ideas.len(),
        ("content idea", "content ideas"),
        "growth idea list",
    );
    section(4, items, None)
}

fn feedback(state: &State, date: NaiveDate, at: Instant) -> Section {
    let mut open: Vec<_> = state
        .feedback
        .values()
        .filter(|f| f.at <= at && f.resolved_at.is_none_or(|r| r > at))
        .collect();
    open.sort_unstable_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
    let mut items: Vec<Item> = open
        .iter()
        .take(MAX_ITEMS)
        .map(|f| {
            Item::text(f.text.clone().into())
                .with_detail(Some(format!(
                    "{}, {}",
                    f.category,
                    f.by.as_deref().unwrap_or("anonymous")
                )))
                .with_status(&f.category)
        })
        .collect();
    more(
        &mut items,
        open.len(),
        ("open feedback", "open feedback"),
        "growth feedback list --open",
    );
    // The pulse of the last meetings, oldest first.
    let mut pulses: Vec<(NaiveDate, f64)> = state
        .meetings
        .values()
        .filter(|m| m.date < date)
        .filter_map(|m| m.pulse_average().map(|p| (m.date, p)))
        .collect();
    pulses.sort_by_key(|(d, _)| *d);
    let recent: Vec<String> = pulses
        .iter()
        .rev()
        .take(4)
        .rev()
        .map(|(d, p)| format!("{p:.1} ({})", d.format("%b %-d")))
        .collect();
    let summary = (!recent.is_empty()).then(|| format!("pulse trend: {}", recent.join(" -> ")));
    if !recent.is_empty() && items.is_empty() {
        items.push(Item::text(
            "No open feedback; how does the team feel?".into(),
        ));
    }
    let mut section = section(5, items, summary);
    section.pulse = pulses.split_off(pulses.len().saturating_sub(PULSE_MEETINGS));
    section
}

fn actions(state: &State, tz: chrono_tz::Tz, date: NaiveDate, at: Instant) -> Section {
    let mut open: Vec<_> = state
        .actions
        .values()
        .filter(|a| a.at <= at && a.done_at.is_none_or(|d| d > at))
        .collect();
    open.sort_unstable_by(|a, b| {
        (a.due.unwrap_or(NaiveDate::MAX), a.at, &a.id).cmp(&(
            b.due.unwrap_or(NaiveDate::MAX),
            b.at,
            &b.id,
        ))
    });
    let mut items: Vec<Item> = open
        .iter()
        .take(MAX_ITEMS)
        .map(|a| {
            let since = a.at.date_in(tz);
            // Carried: meetings held since the action was added, before this one.
            let carried = state
                .meetings
                .values()
                .filter(|m| {
                    m.date < date
                        && m.date >= since
                        && a.meeting.as_deref() != Some(m.date.to_string().as_str())
                })
                .count();
            let overdue = a.due.is_some_and(|d| d < date);
            let mut detail = vec![format!("owner {}", a.owner)];
            detail.extend(a.due.map(|d| format!("due {d}")));
            if carried > 0 {
                detail.push(format!(
                    "carried {carried} meeting{}",
                    crate::error::plural(carried)
                ));
            }
            Item::text(a.text.clone())
                .with_detail(Some(detail.join(", ")))
                .with_status(if overdue { "overdue" } else { "open" })
        })
        .collect();
    more(
        &mut items,
        open.len(),
        ("open action item", "open action items"),
        "growth action list --open",
    );
    section(6, items, None)
}
