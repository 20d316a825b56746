//! The sources report, lead quality by channel: per lead source, the leads created in the
//! period followed to its end: how many became MQLs and SQLs, how their handoffs were
//! decided (and why rejected), how many were won and for how much.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::config::Config;
use crate::model::handoff::HandoffStatus;
use crate::model::lead::Lead;
use crate::model::metrics::Reach;
use crate::model::state::State;
use crate::model::time::Instant;
use crate::render::chart::Bar;
use crate::render::report::{Chart, View, ViewTable};
use crate::render::{Listing, money};

use super::funnel::{join, weekly};
use super::{MIN_CASES, Window, no_data_note, percent_cell, rate};

/// What a lead without a source is listed as.
pub const NO_SOURCE: &str = "(none)";

#[derive(Debug, Clone, Serialize)]
pub struct Sources {
    pub report: &'static str,
    #[serde(flatten)]
    pub window: Window,
    pub min_cases: usize,
    /// The workspace currency `value_won` is in.
    pub currency: String,
    /// No lead was created in the period.
    pub too_little_data: bool,
    pub sources: Vec<SourceRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceRow {
    pub source: String,
    /// Leads created in the period with this source.
    pub leads: usize,
    /// Of those, reached the MQL stage (or a later one) by the period's end.
    pub mqls: usize,
    pub sqls: usize,
    /// Their handoffs, and how they were decided.
    pub handoffs: usize,
    pub accepted: usize,
    pub rejected: usize,
    /// Rejections by reason, most frequent first.
    pub rejection_reasons: Vec<Rejection>,
    /// Won by the period's end.
    pub won: usize,
    /// The value of the deals won in the workspace currency.
    pub value_won: f64,
    /// The value won in each currency a deal was won in, the workspace's included (no
    /// conversion: a EUR deal counts in EUR).
    pub value_won_by_currency: BTreeMap<String, f64>,
    /// Deals won in another currency, not in `value_won` (in `value_won_by_currency`).
    pub other_currency: Vec<String>,
    /// `mqls / leads`; `null` under `min_cases` leads.
    pub lead_to_mql: Option<f64>,
    /// `sqls / mqls`.
    pub mql_to_sql: Option<f64>,
    /// `accepted / (accepted + rejected)`.
    pub acceptance: Option<f64>,
    /// `won / leads`.
    pub win_rate: Option<f64>,
    /// Leads created, week by week from `since`.
    pub weekly: Vec<usize>,
    pub too_little_data: bool,
}

/// How many handoffs were rejected for one reason.
#[derive(Debug, Clone, Serialize)]
pub struct Rejection {
    pub reason: String,
    pub handoffs: usize,
}

/// Counts by reason as [`Rejection`]s, the most frequent first.
pub fn rejections(counts: BTreeMap<String, usize>) -> Vec<Rejection> {
    let mut out: Vec<Rejection> = counts
        .into_iter()
        .map(|(reason, handoffs)| Rejection { reason, handoffs })
        .collect();
    out.sort_by(|a, b| b.handoffs.cmp(&a.handoffs).then(a.reason.cmp(&b.reason)));
    out
}

/// The stage `lead` stood in at `at`.
fn stage_at(lead: &Lead, at: Instant) -> Option<&str> {
    lead.history
        .iter()
        .rev()
        .find(|c| c.at <= at)
        .map(|c| c.stage.as_str())
}

/// The sources report of the leads `leads` passes one by one (the state's,
/// [`super::every_lead`], or a cache's one chunk at a time), with `state`'s handoffs: each
/// lead created in the period is counted in its source's row as it passes, and none is
/// kept. `None` when `leads` could not pass them all (a damaged cache).
pub fn build(
    state: &State,
    leads: impl FnOnce(&mut dyn FnMut(&Lead)) -> bool,
    config: &Config,
    window: Window,
) -> Option<Sources> {
    let p = &config.pipeline;
    let (mql, sql) = (Reach::from(&p.mql, config), Reach::from(&p.sql, config));
    let by_time = |t: Option<Instant>| t.is_some_and(|t| t <= window.as_of);
    let currency = config.team.currency.clone();
    let mut rows: BTreeMap<String, SourceRow> = BTreeMap::new();
    let mut reasons: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut handoffs: BTreeMap<&str, Vec<&crate::model::handoff::Handoff>> = BTreeMap::new();
    for h in state.handoffs.values() {
        handoffs.entry(h.lead.as_str()).or_default().push(h);
    }
    let whole = leads(&mut |lead: &Lead| {
        if !window.contains(lead.created) {
            return;
        }
        let source = lead
            .source
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .unwrap_or(NO_SOURCE)
            .to_string();
        let row = rows.entry(source.clone()).or_insert_with(|| SourceRow {
            source: source.clone(),
            leads: 0,
            mqls: 0,
            sqls: 0,
            handoffs: 0,
            accepted: 0,
            rejected: 0,
            rejection_reasons: Vec::new(),
            won: 0,
            value_won: 0.0,
            value_won_by_currency: BTreeMap::new(),
            other_currency: Vec::new(),
            lead_to_mql: None,
            mql_to_sql: None,
            acceptance: None,
            win_rate: None,
            weekly: vec![0; window.weeks()],
            too_little_data: false,
        });
        row.leads += 1;
        if let Some(w) = window.week(lead.created) {
            row.weekly[w] += 1;
        }
        row.mqls += usize::from(by_time(mql.reached(lead)));
        row.sqls += usize::from(by_time(sql.reached(lead)));
        for h in handoffs.get(lead.id.as_str()).into_iter().flatten() {
            if h.at > window.as_of {
                continue;
            }
            row.handoffs += 1;
            if !by_time(h.decided_at) {
                continue;
            }
            match h.status {
                HandoffStatus::Accepted => row.accepted += 1,
                HandoffStatus::Rejected => {
                    row.rejected += 1;
                    let reason = h.reason.as_deref().unwrap_or("(no reason)").to_string();
                    *reasons
                        .entry(source.clone())
                        .or_default()
                        .entry(reason)
                        .or_default() += 1;
                }
                HandoffStatus::Pending => {}
            }
        }
        if stage_at(lead, window.as_of) == Some(p.won.as_str()) {
            row.won += 1;
            let theirs = lead.currency.as_deref().unwrap_or(&currency);
            let value = lead.value.unwrap_or(0.0);
            *row.value_won_by_currency
                .entry(theirs.to_string())
                .or_default() += value;
            if theirs == currency {
                row.value_won += value;
            } else {
                row.other_currency.push(lead.id.to_string());
            }
        }
    });
    if !whole {
        return None;
    }
    let mut sources: Vec<SourceRow> = rows.into_values().collect();
    for row in &mut sources {
        row.lead_to_mql = rate(row.mqls, row.leads);
        row.mql_to_sql = rate(row.sqls, row.mqls);
        row.acceptance = rate(row.accepted, row.accepted + row.rejected);
        row.win_rate = rate(row.won, row.leads);
        row.too_little_data = [
            row.lead_to_mql,
            row.mql_to_sql,
            row.acceptance,
            row.win_rate,
        ]
        .iter()
        .any(Option::is_none);
        row.rejection_reasons = rejections(reasons.remove(&row.source).unwrap_or_default());
    }
    // The channels that bring the most leads first.
    sources.sort_by(|a, b| b.leads.cmp(&a.leads).then(a.source.cmp(&b.source)));
    Some(Sources {
        report: "sources",
        window,
        min_cases: MIN_CASES,
        currency,
        too_little_data: sources.is_empty(),
        sources,
    })
}

impl Sources {
    /// The value won as a cell: each currency won, the workspace's first, joined by `+`
    /// ("24,000 USD + 45,000 EUR"); `0 USD` when nothing was won.
    fn value_cell(&self, r: &SourceRow) -> String {
        let main = r
            .value_won_by_currency
            .get_key_value(self.currency.as_str());
        let others = r
            .value_won_by_currency
            .iter()
            .filter(|(c, _)| **c != self.currency);
        let parts: Vec<String> = main
            .into_iter()
            .chain(others)
            .map(|(c, v)| money(*v, c))
            .collect();
        if parts.is_empty() {
            money(0.0, &self.currency)
        } else {
            parts.join(" + ")
        }
    }

    pub fn view(&self, team: &str, unicode: bool) -> View {
        let mut view = View {
            title: "Lead sources".into(),
            team: team.into(),
            period: self.window.describe(),
            about: format!(
                "Leads created in the period by source, followed to {}: MQL and SQL reached, handoffs accepted and rejected, deals won.",
                self.window.as_of_date
            ),
            ..View::default()
        };
        if self.too_little_data {
            view.empty = Some(
                "Too little data: no lead was created in this period. Try an earlier --since."
                    .into(),
            );
            return view;
        }
        let rows = self
            .sources
            .iter()
            .map(|r| {
                vec![
                    r.source.clone(),
                    r.leads.to_string(),
                    r.mqls.to_string(),
                    r.sqls.to_string(),
                    r.accepted.to_string(),
                    r.rejected.to_string(),
                    r.won.to_string(),
                    self.value_cell(r),
                    percent_cell(r.lead_to_mql),
                    percent_cell(r.mql_to_sql),
                    percent_cell(r.acceptance),
                    percent_cell(r.win_rate),
                    super::trend(&weekly(&r.weekly), unicode),
                ]
            })
            .collect();
        view.tables.push(ViewTable {
            heading: None,
            headers: vec![
                "source", "leads", "mqls", "sqls", "acc", "rej", "won", "value", "mql%", "sql%",
                "acc%", "win%", "weekly",
            ],
            rows,
            // Least telling first: the counts the rates are made of, then the middle
            // rates; the trend, the first and last rates and the value stay longest.
            droppable: vec![5, 4, 3, 9, 10, 2, 12, 8, 7],
            numeric: (1..12).collect(),
            trend: Some(12),
        });
        let rejected: Vec<Vec<String>> = self
            .sources
            .iter()
            .flat_map(|r| {
                r.rejection_reasons
                    .iter()
                    .map(|x| vec![r.source.clone(), x.handoffs.to_string(), x.reason.clone()])
            })
            .collect();
        if !rejected.is_empty() {
            view.tables.push(ViewTable {
                heading: Some("Handoffs rejected, by reason".into()),
                headers: vec!["source", "handoffs", "reason"],
                rows: rejected,
                droppable: Vec::new(),
                numeric: vec![1],
                trend: None,
            });
        }
        view.notes.push(
            "MQL%: leads that reached MQL; SQL%: MQLs that reached SQL; ACC%: handoffs accepted of those decided; WIN%: leads won."
                .into(),
        );
        if self.sources.iter().any(|r| r.too_little_data) {
            view.notes.push(no_data_note());
        }
        for r in self.sources.iter().filter(|r| !r.other_currency.is_empty()) {
            view.notes.push(format!(
                "{}: won in another currency than {}, in VALUE in its own (not converted): {}",
                r.source,
                self.currency,
                r.other_currency.join(", ")
            ));
        }
        let mut bars = Vec::new();
        for r in &self.sources {
            for (what, v) in [("MQL", r.lead_to_mql), ("won", r.win_rate)] {
                bars.push(Bar {
                    label: format!("{}: {what}", r.source),
                    value: v.unwrap_or(0.0),
                    text: match v {
                        Some(_) => percent_cell(v),
                        None => format!("— (under {MIN_CASES} leads)"),
                    },
                });
            }
        }
        view.chart = Some(Chart {
            title: "Lead quality by source".into(),
            desc: self
                .sources
                .iter()
                .map(|r| {
                    format!(
                        "{}: {} leads, {} reached MQL, {} won",
                        r.source,
                        r.leads,
                        percent_cell(r.lead_to_mql),
                        percent_cell(r.win_rate)
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
            bars,
            max: 1.0,
            ..Chart::default()
        });
        view
    }

    pub fn csv(&self) -> Listing {
        let opt = |v: Option<f64>| v.map(|v| format!("{v:.4}")).unwrap_or_default();
        Listing {
            headers: vec![
                "source",
                "leads",
                "mqls",
                "sqls",
                "handoffs",
                "accepted",
                "rejected",
                "won",
                "value_won",
                "currency",
                "value_won_by_currency",
                "lead_to_mql",
                "mql_to_sql",
                "acceptance",
                "win_rate",
                "rejection_reasons",
                "weekly",
            ],
            rows: self
                .sources
                .iter()
                .map(|r| {
                    vec![
                        r.source.clone(),
                        r.leads.to_string(),
                        r.mqls.to_string(),
                        r.sqls.to_string(),
                        r.handoffs.to_string(),
                        r.accepted.to_string(),
                        r.rejected.to_string(),
                        r.won.to_string(),
                        format!("{:.2}", r.value_won),
                        self.currency.clone(),
                        r.value_won_by_currency
                            .iter()
                            .map(|(c, v)| format!("{c}={v:.2}"))
                            .collect::<Vec<_>>()
                            .join(" "),
                        opt(r.lead_to_mql),
                        opt(r.mql_to_sql),
                        opt(r.acceptance),
                        opt(r.win_rate),
                        r.rejection_reasons
                            .iter()
                            .map(|x| format!("{}={}", x.reason, x.handoffs))
                            .collect::<Vec<_>>()
                            .join(" "),
                        join(&r.weekly),
                    ]
                })
                .collect(),
            ..Listing::default()
        }
    }
}
