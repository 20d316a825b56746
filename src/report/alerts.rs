//! What needs attention now, for `growth check --alerts` and cron: handoffs past their
//! SLA, overdue action items, goals behind.

use serde::Serialize;

use crate::model::config::Config;
use crate::model::handoff::HandoffStatus;
use crate::model::sla::Calendar;
use crate::model::state::State;
use crate::model::time::Instant;
use crate::report::progress::{self, Period};

#[derive(Debug, Clone, Serialize)]
pub struct Alert {
    /// `conflict`, `handoff`, `action` or `goal`.
    pub kind: &'static str,
    pub id: String,
    pub text: String,
}

pub fn alerts(state: &State, config: &Config, tz: chrono_tz::Tz, now: Instant) -> Vec<Alert> {
    let mut out = Vec::new();
    // Concurrent changes nobody settled: the record is not what anyone meant until then.
    for (key, r) in state.conflicts() {
        if key.starts_with("lead/") && r.field == "handoff" {
            continue;
        }
        let values: Vec<String> = r
            .candidates
            .iter()
            .map(|c| format!("{} ({})", display(&c.value), c.by))
            .collect();
        out.push(Alert {
            kind: "conflict",
            id: key.to_string(),
            text: format!("{}: {}", r.field, values.join(" vs ")),
        });
    }
    let cal = Calendar::new(&config.business_hours, tz);
    for h in state
        .handoffs
        .values()
        .filter(|h| h.status != HandoffStatus::Rejected)
    {
        let clocks = h.clocks(config, &cal, now);
        let late_decision = !clocks.accept.stopped && clocks.accept.breached();
        let late_contact = !clocks.contact.stopped && clocks.contact.breached();
        if late_decision || late_contact {
            let what = if late_decision {
                "waiting for a decision"
            } else {
                "waiting for first contact"
            };
            out.push(Alert {
                kind: "handoff",
                id: h.id.clone().into(),
                text: format!("{} to {}: {what}, past the SLA", h.lead, h.to),
            });
        }
    }
    let today = now.date_in(tz);
    for a in state.actions.values().filter(|a| a.done_at.is_none()) {
        if let Some(due) = a.due.filter(|d| *d < today) {
            out.push(Alert {
                kind: "action",
                id: a.id.clone(),
                text: format!("{} ({}): due {due}", a.text, a.owner),
            });
        }
    }
    let since = progress::last_meeting(state, config, tz, now);
    let metrics = crate::model::metrics::Metrics::new(state, config, tz);
    for row in progress::build(&metrics, now, since, Period::Current, None).rows {
        if row.status == "behind" {
            out.push(Alert {
                kind: "goal",
                id: row.goal.clone(),
                text: format!(
                    "{}: {:.0}% of the target, behind the pace",
                    row.title, row.percent
                ),
            });
        }
    }
    out
}

/// `rejected:no-budget` as "rejected no-budget"; an empty value as "(none)".
fn display(value: &str) -> String {
    match value.split_once(':') {
        Some((a, b)) => format!("{a} {b}"),
        None if value.is_empty() => "(none)".into(),
        None => value.to_string(),
    }
}
