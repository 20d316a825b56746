//! The SLA report: per receiving member, the handoffs made to them in the period, how long
//! they took to decide and to make first contact in business hours (median and 90th
//! percentile), how many went past the SLA, and why they rejected.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::config::Config;
use crate::model::handoff::{Handoff, HandoffStatus};
use crate::model::sla::{Calendar, Clock, human};
use crate::model::state::State;
use crate::model::time::Instant;
use crate::render::Listing;
use crate::render::chart::{Bar, Tone};
use crate::render::report::{Chart, View, ViewTable};

use super::sources::{Rejection, rejections};
use super::{MIN_CASES, NO_DATA, Window, median, no_data_note, percentile};

const HOUR: f64 = 3_600_000.0;

#[derive(Debug, Clone, Serialize)]
pub struct Sla {
    pub report: &'static str,
    #[serde(flatten)]
    pub window: Window,
    pub min_cases: usize,
    /// The SLA, in business hours (growth.toml `[handoff]`).
    pub accept_within_hours: u32,
    pub first_contact_within_hours: u32,
    /// No handoff was made in the period.
    pub too_little_data: bool,
    pub receivers: Vec<Receiver>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Receiver {
    pub member: String,
    pub name: String,
    pub department: String,
    /// Handoffs made to them in the period.
    pub received: usize,
    /// Of those, accepted or rejected by the period's end.
    pub decided: usize,
    /// Business hours from the handoff to the decision: median and 90th percentile
    /// (`null` under `min_cases` handoffs). A handoff still open counts at its wait so far,
    /// which it can only exceed: leaving it out would flatter the slowest receiver.
    pub decide_median_hours: Option<f64>,
    pub decide_p90_hours: Option<f64>,
    /// The longest wait of a handoff still open at the period's end, in business hours
    /// (`null` when none is open).
    pub oldest_open_hours: Option<f64>,
    /// First contact made by the period's end.
    pub contacted: usize,
    pub contact_median_hours: Option<f64>,
    pub contact_p90_hours: Option<f64>,
    /// Handoffs past the SLA on either clock (decided or contacted late, or still open
    /// past it).
    pub breaches: usize,
    pub late_decisions: usize,
    pub late_contacts: usize,
    /// Still waiting for a decision at the period's end.
    pub pending: usize,
    pub rejected: usize,
    pub rejection_reasons: Vec<Rejection>,
    /// The average business hours to decide (open handoffs at their wait so far) of the
    /// handoffs made each week (weeks without a handoff left out).
    pub weekly_decide_hours: Vec<f64>,
    pub too_little_data: bool,
}

/// When a moment counts: it happened by the period's end.
fn by(t: Option<Instant>, as_of: Instant) -> Option<Instant> {
    t.filter(|t| *t <= as_of)
}

struct Times {
    decide: Vec<f64>,
    contact: Vec<f64>,
    weekly: Vec<Vec<f64>>,
}

pub fn build(state: &State, config: &Config, tz: chrono_tz::Tz, window: Window) -> Sla {
    let cal = Calendar::new(&config.business_hours, tz);
    let rules = &config.handoff;
    let as_of = window.as_of;
    let mut rows: BTreeMap<String, (Receiver, Times, BTreeMap<String, usize>)> = BTreeMap::new();
    for h in state.handoffs.values().filter(|h| window.contains(h.at)) {
        let (row, times, reasons) = rows.entry(h.to.to_string()).or_insert_with(|| {
            let member = config.members.get(h.to.as_str());
            (
                Receiver {
                    member: h.to.to_string(),
                    name: member.map(|m| m.name.clone()).unwrap_or_default(),
                    department: member.map(|m| m.department.clone()).unwrap_or_default(),
                    received: 0,
                    decided: 0,
                    decide_median_hours: None,
                    decide_p90_hours: None,
                    oldest_open_hours: None,
                    contacted: 0,
                    contact_median_hours: None,
                    contact_p90_hours: None,
                    breaches: 0,
                    late_decisions: 0,
                    late_contacts: 0,
                    pending: 0,
                    rejected: 0,
                    rejection_reasons: Vec::new(),
                    weekly_decide_hours: Vec::new(),
                    too_little_data: false,
                },
                Times {
                    decide: Vec::new(),
                    contact: Vec::new(),
                    weekly: vec![Vec::new(); window.weeks()],
                },
                BTreeMap::new(),
            )
        });
        row.received += 1;
        let decided = by(h.decided_at, as_of).filter(|_| h.status != HandoffStatus::Pending);
        let closed = by(h.closed_at(), as_of);
        let rejected = decided.is_some() && h.status == HandoffStatus::Rejected;
        let contacted = by(h.contacted_at, as_of);
        if let Some(d) = decided {
            row.decided += 1;
            let hours = cal.business_millis(h.at, d) as f64 / HOUR;
            times.decide.push(hours);
            if let Some(w) = window.week(h.at) {
                times.weekly[w].push(hours);
            }
        } else if closed.is_none() {
            row.pending += 1;
            // Still waiting: counted at its wait so far.
            let hours = cal.business_millis(h.at, as_of) as f64 / HOUR;
            times.decide.push(hours);
            if let Some(w) = window.week(h.at) {
                times.weekly[w].push(hours);
            }
            row.oldest_open_hours = Some(row.oldest_open_hours.map_or(hours, |o| o.max(hours)));
        }
        if let Some(c) = contacted {
            row.contacted += 1;
            times
                .contact
                .push(cal.business_millis(h.at, c) as f64 / HOUR);
        }
        if rejected {
            row.rejected += 1;
            let reason = h.reason.as_deref().unwrap_or("(no reason)").to_string();
            *reasons.entry(reason).or_default() += 1;
        }
        let (late_decide, late_contact) = late(h, &cal, config, as_of, decided, rejected);
        row.late_decisions += usize::from(late_decide);
        row.late_contacts += usize::from(late_contact);
        row.breaches += usize::from(late_decide || late_contact);
    }
    let receivers = rows
        .into_values()
        .map(|(mut row, times, reasons)| {
            row.decide_median_hours = median(&times.decide);
            row.decide_p90_hours = percentile(&times.decide, 90.0);
            row.contact_median_hours = median(&times.contact);
            row.contact_p90_hours = percentile(&times.contact, 90.0);
            row.rejection_reasons = rejections(reasons);
            row.weekly_decide_hours = times
                .weekly
                .iter()
                .filter(|w| !w.is_empty())
                .map(|w| w.iter().sum::<f64>() / w.len() as f64)
                .collect();
            row.too_little_data =
                row.decide_median_hours.is_none() || row.contact_median_hours.is_none();
            row
        })
        .collect::<Vec<_>>();
    Sla {
        report: "sla",
        window,
        min_cases: MIN_CASES,
        accept_within_hours: rules.accept_within_hours,
        first_contact_within_hours: rules.first_contact_within_hours,
        too_little_data: receivers.is_empty(),
        receivers,
    }
}

/// Whether the handoff went past the SLA to decide, and to make first contact, by
/// `as_of` (a rejected handoff owes no contact; one whose lead closed stops both clocks).
fn late(
    h: &Handoff,
    cal: &Calendar<'_>,
    config: &Config,
    as_of: Instant,
    decided: Option<Instant>,
    rejected: bool,
) -> (bool, bool) {
    let rules = &config.handoff;
    let closed = by(h.closed_at(), as_of);
    let decide = Clock::new(
        h.at,
        decided.or(closed),
        as_of,
        rules.accept_within_hours,
        cal,
    );
    let contact_stop = by(h.contacted_at, as_of)
        .or(if rejected { decided } else { None })
        .or(closed);
    let contact = Clock::new(
        h.at,
        contact_stop,
        as_of,
        rules.first_contact_within_hours,
        cal,
    );
    (decide.breached(), !rejected && contact.breached())
}

/// Business hours as a cell: `2h 30m`, or `—` under the fewest cases.
fn hours_cell(hours: Option<f64>) -> String {
    hours.map_or_else(|| NO_DATA.to_string(), |h| human((h * HOUR).round() as i64))
}

impl Sla {
    pub fn view(&self, team: &str, unicode: bool) -> View {
        let mut view = View {
            title: "Handoff SLA".into(),
            team: team.into(),
            period: self.window.describe(),
            about: format!(
                "Handoffs made in the period, per receiver: business hours to decide (SLA {}h) and to first contact (SLA {}h), median and 90th percentile.",
                self.accept_within_hours, self.first_contact_within_hours
            ),
            ..View::default()
        };
        if self.too_little_data {
            view.empty = Some(
                "Too little data: no handoff was made in this period. Try an earlier --since."
                    .into(),
            );
            return view;
        }
        let rows = self
            .receivers
            .iter()
            .map(|r| {
                vec![
                    r.member.clone(),
                    r.received.to_string(),
                    hours_cell(r.decide_median_hours),
                    hours_cell(r.decide_p90_hours),
                    hours_cell(r.contact_median_hours),
                    hours_cell(r.contact_p90_hours),
                    r.breaches.to_string(),
                    r.pending.to_string(),
                    r.oldest_open_hours
                        .map_or_else(|| "-".into(), |h| hours_cell(Some(h))),
                    r.rejected.to_string(),
                    super::trend(&r.weekly_decide_hours, unicode),
                ]
            })
            .collect();
        view.tables.push(ViewTable {
            heading: None,
            headers: vec![
                "member", "got", "decide", "p90", "contact", "p90", "late", "open", "waiting",
                "rej", "weekly",
            ],
            rows,
            // Least telling first; who is late, how long someone waits now and the trend
            // stay longest.
            droppable: vec![9, 5, 7, 3, 4, 1, 10],
            numeric: (1..10).collect(),
            trend: Some(10),
        });
        let rejected: Vec<Vec<String>> = self
            .receivers
            .iter()
            .flat_map(|r| {
                r.rejection_reasons
                    .iter()
                    .map(|x| vec![r.member.clone(), x.handoffs.to_string(), x.reason.clone()])
            })
            .collect();
        if !rejected.is_empty() {
            view.tables.push(ViewTable {
                heading: Some("Rejections by reason".into()),
                headers: vec!["member", "handoffs", "reason"],
                rows: rejected,
                droppable: Vec::new(),
                numeric: vec![1],
                trend: None,
            });
        }
        view.notes.push(
            "DECIDE and CONTACT: median business hours; P90: 90th percentile; LATE: past the SLA on either clock; OPEN: waiting for a decision; WAITING: the longest of those waits so far; WEEKLY: average time to decide, week by week."
                .into(),
        );
        view.notes.push(
            "A handoff still open counts in DECIDE, P90 and the chart at its wait so far (it can only take longer): leaving it out would flatter the slowest receiver. CONTACT counts the first contacts made."
                .into(),
        );
        if self.receivers.iter().any(|r| r.too_little_data) {
            view.notes.push(no_data_note());
        }
        let limit = f64::from(self.accept_within_hours);
        let wait = |r: &Receiver| {
            r.oldest_open_hours
                .map(|h| format!(", oldest open {}", hours_cell(Some(h))))
                .unwrap_or_default()
        };
        let waits = |r: &Receiver| {
            r.oldest_open_hours
                .map(|h| format!(" · waits {}", hours_cell(Some(h))))
                .unwrap_or_default()
        };
        view.chart = Some(Chart {
            title: "Median business hours to decide a handoff, per receiver".into(),
            desc: format!(
                "Median business hours to decide, open handoffs at their wait so far, against the SLA of {}h. {}",
                self.accept_within_hours,
                self.receivers
                    .iter()
                    .map(|r| {
                        format!(
                            "{}: median {}, 90th percentile {}{}, {} past the SLA",
                            r.member,
                            hours_cell(r.decide_median_hours),
                            hours_cell(r.decide_p90_hours),
                            wait(r),
                            r.breaches,
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            max: self
                .receivers
                .iter()
                .filter_map(|r| r.decide_median_hours)
                .fold(limit, f64::max)
                * 1.05,
            bars: self
                .receivers
                .iter()
                .map(|r| Bar {
                    label: r.member.clone(),
                    value: r.decide_median_hours.unwrap_or(0.0),
                    // Short enough to fit beside the bar; the <title> and desc say more.
                    text: match r.decide_median_hours {
                        Some(m) if m > limit => {
                            format!("{} late{}", hours_cell(Some(m)), waits(r))
                        }
                        Some(m) => format!("{}{}", hours_cell(Some(m)), waits(r)),
                        None => format!("— (under {MIN_CASES}){}", waits(r)),
                    },
                })
                .collect(),
            // Red past the SLA; amber when the median is in time but a handoff open now
            // has waited past it.
            tones: self
                .receivers
                .iter()
                .map(|r| match (r.decide_median_hours, r.oldest_open_hours) {
                    (Some(m), _) if m > limit => Tone::Bad,
                    (_, Some(o)) if o > limit => Tone::Warn,
                    _ => Tone::Good,
                })
                .collect(),
            limit: Some((limit, format!("SLA {}h", self.accept_within_hours))),
        });
        view
    }

    pub fn csv(&self) -> Listing {
        let opt = |v: Option<f64>| v.map(|v| format!("{v:.2}")).unwrap_or_default();
        Listing {
            headers: vec![
                "member",
                "department",
                "received",
                "decided",
                "decide_median_hours",
                "decide_p90_hours",
                "oldest_open_hours",
                "contacted",
                "contact_median_hours",
                "contact_p90_hours",
                "breaches",
                "late_decisions",
                "late_contacts",
                "pending",
                "rejected",
                "rejection_reasons",
            ],
            rows: self
                .receivers
                .iter()
                .map(|r| {
                    vec![
                        r.member.clone(),
                        r.department.clone(),
                        r.received.to_string(),
                        r.decided.to_string(),
                        opt(r.decide_median_hours),
                        opt(r.decide_p90_hours),
                        opt(r.oldest_open_hours),
                        r.contacted.to_string(),
                        opt(r.contact_median_hours),
                        opt(r.contact_p90_hours),
                        r.breaches.to_string(),
                        r.late_decisions.to_string(),
                        r.late_contacts.to_string(),
                        r.pending.to_string(),
                        r.rejected.to_string(),
                        r.rejection_reasons
                            .iter()
                            .map(|x| format!("{}={}", x.reason, x.handoffs))
                            .collect::<Vec<_>>()
                            .join(" "),
                    ]
                })
                .collect(),
            ..Listing::default()
        }
    }
}
