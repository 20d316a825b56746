//! Wins: shout-outs, deals won and goals reached, each crediting everyone who played a
//! part across departments. Deals and goals are found in the data, never stored, so no
//! report can announce one twice.

use std::collections::HashMap;

use serde::Serialize;

use crate::model::config::Config;
use crate::model::handoff::{Handoff, HandoffStatus};
use crate::model::metrics::Metrics;
use crate::model::state::State;
use crate::model::time::Instant;
use crate::render;

/// A win as listed: a shout-out or a deal won, with everyone credited.
#[derive(Debug, Serialize)]
pub struct WinView {
    pub id: String,
    pub kind: &'static str,
    pub at: String,
    pub text: String,
    pub credit: Vec<String>,
    pub departments: Vec<String>,
    #[serde(skip)]
    pub instant: Instant,
}

/// Every shout-out, every deal won and every goal reached, newest first: up to `now`,
/// after `since` when given (filtered before anything is built).
pub fn wins(metrics: &Metrics, now: Instant, since: Option<Instant>) -> Vec<WinView> {
    let (state, config, tz) = (metrics.state(), metrics.config(), metrics.tz());
    let mut out = deals_and_shout_outs(state, config, tz, now, since);
    let fresh = |t: Instant| t <= now && since.is_none_or(|s| t > s);
    // A goal reached is a win for its owner and everyone in the departments it credits.
    // The moment comes from the data, so no report can announce it twice.
    for goal in state.goals.values() {
        let series = metrics.series(goal);
        let Some(at) = series.crossed(goal.target).filter(|t| fresh(*t)) else {
            continue;
        };
        let mut credit: Vec<String> = goal.owner.iter().cloned().collect();
        for (id, m) in &config.members {
            if m.active && goal.credit.contains(&m.department) && !credit.contains(id) {
                credit.push(id.clone());
            }
        }
        out.push(WinView {
            id: goal.id.clone(),
            kind: "goal",
            at: at.to_toml(tz),
            text: format!("{} reached", goal.title),
            departments: departments(config, &credit),
            credit,
            instant: at,
        });
    }
    out.sort_by(|a, b| b.instant.cmp(&a.instant).then(a.id.cmp(&b.id)));
    out
}

/// The departments of `credit`, sorted, once each.
fn departments(config: &Config, credit: &[String]) -> Vec<String> {
    let mut d: Vec<String> = credit
        .iter()
        .filter_map(|m| config.members.get(m).map(|x| x.department.clone()))
        .collect();
    d.sort();
    d.dedup();
    d
}

/// The shout-outs and deals won, newest first, without the goals reached (which take
/// every goal's metric). A deal credits who added the lead, who handed it off and
/// received it, its owner, and who marked it won.
pub fn deals_and_shout_outs(
    state: &State,
    config: &Config,
    tz: chrono_tz::Tz,
    now: Instant,
    since: Option<Instant>,
) -> Vec<WinView> {
    let fresh = |t: Instant| t <= now && since.is_none_or(|s| t > s);
    let mut out: Vec<WinView> = state
        .wins
        .values()
        .filter(|w| fresh(w.at))
        .map(|w| WinView {
            id: w.id.clone(),
            kind: "shout-out",
            at: w.at.to_toml(tz),
            text: w.text.clone(),
            departments: departments(config, &w.credit),
            credit: w.credit.clone(),
            instant: w.at,
        })
        .collect();
    // Who handed each lead off and received it: one pass, not one per deal won.
    let mut accepted: HashMap<&str, Vec<&Handoff>> = HashMap::new();
    for h in state
        .handoffs
        .values()
        .filter(|h| h.status == HandoffStatus::Accepted)
    {
        accepted.entry(h.lead.as_str()).or_default().push(h);
    }
    for lead in state
        .leads
        .values()
        .filter(|l| l.stage == config.pipeline.won)
    {
        let Some(won) = lead
            .history
            .iter()
            .rev()
            .find(|h| h.stage == config.pipeline.won)
        else {
            continue;
        };
        if !fresh(won.at) {
            continue;
        }
        let mut credit = vec![lead.created_by.to_string()];
        for h in accepted.get(lead.id.as_str()).into_iter().flatten() {
            credit.push(h.from.to_string());
            credit.push(h.to.to_string());
        }
        credit.extend(lead.owner.as_deref().map(String::from));
        credit.push(won.by.to_string());
        let mut seen = Vec::new();
        credit.retain(|c| {
            !c.is_empty() && !seen.contains(c) && {
                seen.push(c.clone());
                true
            }
        });
        let value = lead
            .value
            .map(|v| {
                format!(
                    " ({})",
                    render::money(v, lead.currency.as_deref().unwrap_or(&config.team.currency))
                )
            })
            .unwrap_or_default();
        out.push(WinView {
            id: lead.id.clone().into(),
            kind: "deal",
            at: won.at.to_toml(tz),
            text: format!("{} won{value}", lead.company),
            departments: departments(config, &credit),
            credit,
            instant: won.at,
        });
    }
    out.sort_by(|a, b| b.instant.cmp(&a.instant).then(a.id.cmp(&b.id)));
    out
}
