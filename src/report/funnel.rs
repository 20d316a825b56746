//! The funnel report: how many leads entered each stage in the period, how many of them
//! moved on, how long leads stay in each stage, and why leads were lost.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::config::Config;
use crate::model::lead::Lead;
use crate::model::time::Instant;
use crate::render::chart::Bar;
use crate::render::report::{Chart, View, ViewTable};
use crate::render::{Listing, number};

use super::{MIN_CASES, NO_DATA, Window, median, no_data_note, percent_cell, rate};

#[derive(Debug, Clone, Serialize)]
pub struct Funnel {
    pub report: &'static str,
    #[serde(flatten)]
    pub window: Window,
    pub min_cases: usize,
    /// No lead entered any stage in the period.
    pub too_little_data: bool,
    pub stages: Vec<StageRow>,
    pub lost_reasons: Vec<Reason>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StageRow {
    pub stage: String,
    /// Leads that entered the stage in the period.
    pub entered: usize,
    /// Of those, the leads that moved on to a later stage (lost aside) by the period's end.
    pub moved_on: usize,
    /// `moved_on / entered`: `null` for won and lost, or over fewer than `min_cases` leads.
    pub conversion: Option<f64>,
    /// Stays in the stage that began in the period and ended by its end.
    pub stays: usize,
    /// The median length of those stays in days (`null` under `min_cases` stays).
    pub median_days: Option<f64>,
    /// Leads in the stage at the period's end.
    pub at_end: usize,
    /// Leads entering the stage, week by week from `since`.
    pub weekly: Vec<usize>,
    /// Won and lost: no stage follows, so no conversion or stay is measured.
    pub closed: bool,
    /// A rate or median of this row is `null` for lack of cases.
    pub too_little_data: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Reason {
    pub reason: String,
    pub leads: usize,
}

/// One stay of a lead in a stage: when it began, and when it ended (if it did by `as_of`).
struct Stay<'a> {
    stage: &'a str,
    from: Instant,
    to: Option<Instant>,
    reason: Option<&'a str>,
}

/// A lead's stays, oldest first, up to `as_of` (a move to the stage it was in continues
/// the stay).
fn stays(lead: &Lead, as_of: Instant) -> Vec<Stay<'_>> {
    let mut out: Vec<Stay<'_>> = Vec::new();
    for change in lead.history.iter().filter(|c| c.at <= as_of) {
        if out.last().is_some_and(|s| s.stage == change.stage.as_str()) {
            continue;
        }
        if let Some(last) = out.last_mut() {
            last.to = Some(change.at);
        }
        out.push(Stay {
            stage: change.stage.as_str(),
            from: change.at,
            to: None,
            reason: change.reason.as_deref(),
        });
    }
    out
}

/// The funnel of the leads `leads` passes one by one (the state's, [`super::every_lead`], or
/// a cache's one chunk at a time): each lead's stays are counted as it passes, and only the
/// counts, the stays' lengths in the period and the lost reasons are kept. `None` when
/// `leads` could not pass them all (a damaged cache).
pub fn build(
    leads: impl FnOnce(&mut dyn FnMut(&Lead)) -> bool,
    config: &Config,
    window: Window,
) -> Option<Funnel> {
    let p = &config.pipeline;
    let weeks = window.weeks();
    let mut rows: Vec<StageRow> = p
        .stages
        .iter()
        .map(|s| StageRow {
            stage: s.clone(),
            entered: 0,
            moved_on: 0,
            conversion: None,
            stays: 0,
            median_days: None,
            at_end: 0,
            weekly: vec![0; weeks],
            closed: p.is_closed(s),
            too_little_data: false,
        })
        .collect();
    let mut days: Vec<Vec<f64>> = vec![Vec::new(); rows.len()];
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    let later =
        |from: usize, stage: &str| stage != p.lost && p.position(stage).is_some_and(|at| at > from);
    let whole = leads(&mut |lead: &Lead| {
        let stays = stays(lead, window.as_of);
        if let Some(i) = stays.last().and_then(|s| p.position(s.stage)) {
            rows[i].at_end += 1;
        }
        let mut counted = vec![false; rows.len()];
        for (k, stay) in stays.iter().enumerate() {
            let Some(i) = p.position(stay.stage) else {
                continue;
            };
            if !window.contains(stay.from) {
                continue;
            }
            if let Some(w) = window.week(stay.from) {
                rows[i].weekly[w] += 1;
            }
            if stay.stage == p.lost {
                let reason = stay.reason.unwrap_or("(no reason given)").trim();
                *reasons.entry(reason.to_string()).or_default() += 1;
            }
            if let Some(to) = stay.to {
                days[i].push((to.0 - stay.from.0) as f64 / 86_400_000.0);
            }
            // A lead counts once per stage: its first entry in the period.
            if counted[i] {
                continue;
            }
            counted[i] = true;
            rows[i].entered += 1;
            if stays[k + 1..].iter().any(|s| later(i, s.stage)) {
                rows[i].moved_on += 1;
            }
        }
    });
    if !whole {
        return None;
    }
    for (row, days) in rows.iter_mut().zip(&days) {
        if row.closed {
            continue;
        }
        row.stays = days.len();
        row.conversion = rate(row.moved_on, row.entered);
        row.median_days = median(days);
        row.too_little_data = row.conversion.is_none() || row.median_days.is_none();
    }
    let mut lost_reasons: Vec<Reason> = reasons
        .into_iter()
        .map(|(reason, leads)| Reason { reason, leads })
        .collect();
    lost_reasons.sort_by(|a, b| b.leads.cmp(&a.leads).then(a.reason.cmp(&b.reason)));
    Some(Funnel {
        report: "funnel",
        window,
        min_cases: MIN_CASES,
        too_little_data: rows.iter().all(|r| r.entered == 0),
        stages: rows,
        lost_reasons,
    })
}

/// Days to one decimal: `4.2d`.
fn days_cell(row: &StageRow) -> String {
    match (row.closed, row.median_days) {
        (true, _) => String::new(),
        (false, Some(d)) => format!("{d:.1}d"),
        (false, None) => NO_DATA.into(),
    }
}

impl Funnel {
    pub fn view(&self, team: &str, unicode: bool) -> View {
        let mut view = View {
            title: "Funnel".into(),
            team: team.into(),
            period: self.window.describe(),
            about: "Leads entering each stage in the period; ON: the share of them that moved on to a later stage (lost aside); DAYS: the median stay in the stage.".into(),
            ..View::default()
        };
        if self.too_little_data {
            view.empty = Some(
                "Too little data: no lead entered a stage in this period. Try an earlier --since."
                    .into(),
            );
            return view;
        }
        let rows = self
            .stages
            .iter()
            .map(|r| {
                vec![
                    r.stage.clone(),
                    r.entered.to_string(),
                    if r.closed {
                        String::new()
                    } else {
                        percent_cell(r.conversion)
                    },
                    days_cell(r),
                    r.at_end.to_string(),
                    super::trend(&weekly(&r.weekly), unicode),
                ]
            })
            .collect();
        view.tables.push(ViewTable {
            heading: None,
            headers: vec!["stage", "entered", "on", "days", "now", "weekly"],
            rows,
            droppable: vec![4, 5],
            numeric: vec![1, 2, 3, 4],
            trend: Some(5),
        });
        if !self.lost_reasons.is_empty() {
            view.tables.push(ViewTable {
                heading: Some("Why leads were lost".into()),
                headers: vec!["leads", "reason"],
                rows: self
                    .lost_reasons
                    .iter()
                    .map(|r| vec![r.leads.to_string(), r.reason.clone()])
                    .collect(),
                droppable: Vec::new(),
                numeric: vec![0],
                trend: None,
            });
        }
        if self.stages.iter().any(|r| r.too_little_data) {
            view.notes.push(no_data_note());
        }
        view.notes.push(format!(
            "NOW: leads in the stage on {}; WEEKLY: leads entering it, week by week.",
            self.window.as_of_date
        ));
        let open: Vec<&StageRow> = self.stages.iter().filter(|r| !r.closed).collect();
        view.chart = Some(Chart {
            title: "Leads entering each stage".into(),
            desc: open
                .iter()
                .map(|r| {
                    format!(
                        "{}: {} entered, {} moved on",
                        r.stage,
                        r.entered,
                        percent_cell(r.conversion)
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
            max: self.stages.iter().map(|r| r.entered).max().unwrap_or(0) as f64,
            bars: self
                .stages
                .iter()
                .map(|r| Bar {
                    label: r.stage.clone(),
                    value: r.entered as f64,
                    text: if r.closed {
                        r.entered.to_string()
                    } else {
                        format!("{} · {} moved on", r.entered, percent_cell(r.conversion))
                    },
                })
                .collect(),
            ..Chart::default()
        });
        view
    }

    pub fn csv(&self) -> Listing {
        let opt = |v: Option<f64>| v.map(|v| format!("{v:.4}")).unwrap_or_default();
        Listing {
            headers: vec![
                "stage",
                "entered",
                "moved_on",
                "conversion",
                "stays",
                "median_days",
                "at_end",
                "weekly",
            ],
            rows: self
                .stages
                .iter()
                .map(|r| {
                    vec![
                        r.stage.clone(),
                        r.entered.to_string(),
                        r.moved_on.to_string(),
                        opt(r.conversion),
                        r.stays.to_string(),
                        opt(r.median_days),
                        r.at_end.to_string(),
                        join(&r.weekly),
                    ]
                })
                .collect(),
            ..Listing::default()
        }
    }
}

/// Weekly counts as the numbers a sparkline takes.
pub fn weekly(counts: &[usize]) -> Vec<f64> {
    counts.iter().map(|c| *c as f64).collect()
}

/// Weekly counts for CSV: `0 2 1`.
pub fn join(counts: &[usize]) -> String {
    counts
        .iter()
        .map(|c| number(*c as f64))
        .collect::<Vec<_>>()
        .join(" ")
}
