//! Wins: shout-outs, deals won and goals reached, each crediting everyone who played a
//! part across departments. Deals and goals are found in the data, never stored, so no
//! report can announce one twice.

use std::collections::HashMap;

use serde::Serialize;

use crate::model::config::Config;
use crate::model::handoff::{Handoff, HandoffStatus};
use crate::model::lead::Lead;
use crate::model::metrics::{Metrics, MetricsPass};
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
/// after `since` when given (filtered before anything is built). The leads are those
/// `leads` passes one by one (the state's, [`super::every_lead`], or a cache's one chunk
/// at a time): one pass finds the deals won and every goal's metric, and keeps no lead.
/// `None` when `leads` could not pass them all (a damaged cache).
pub fn wins(
    state: &State,
    leads: impl FnOnce(&mut dyn FnMut(&Lead)) -> bool,
    config: &Config,
    tz: chrono_tz::Tz,
    now: Instant,
    since: Option<Instant>,
) -> Option<Vec<WinView>> {
    let mut metrics = MetricsPass::every_goal(state, config, tz, None);
    let mut deals = DealsPass::new(state, config, tz, now, since);
    let whole = leads(&mut |l| {
        metrics.lead(l);
        deals.lead(l);
    });
    if !whole {
        return None;
    }
    metrics.handoffs(state.handoffs.values().map(|h| &**h));
    let metrics = Metrics::from_pass(state, config, tz, metrics);
    Some(wins_with(&metrics, now, since, deals.finish()))
}

/// [`wins`] with the shout-outs and deals won already found (by a [`DealsPass`]).
pub fn wins_with(
    metrics: &Metrics,
    now: Instant,
    since: Option<Instant>,
    mut out: Vec<WinView>,
) -> Vec<WinView> {
    let (state, config, tz) = (metrics.state(), metrics.config(), metrics.tz());
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

/// The deals won between `since` and `now`, found lead by lead: from the state's leads,
/// or from a cache's one chunk at a time. The state gives the shout-outs and handoffs. A
/// deal credits who added the lead, who handed it off and received it, its owner, and
/// who marked it won.
pub struct DealsPass<'a> {
    state: &'a State,
    config: &'a Config,
    tz: chrono_tz::Tz,
    now: Instant,
    since: Option<Instant>,
    /// Who handed each lead off and received it: one pass, not one per deal won.
    accepted: HashMap<&'a str, Vec<&'a Handoff>>,
    deals: Vec<WinView>,
}

impl<'a> DealsPass<'a> {
    pub fn new(
        state: &'a State,
        config: &'a Config,
        tz: chrono_tz::Tz,
        now: Instant,
        since: Option<Instant>,
    ) -> Self {
        let mut accepted: HashMap<&str, Vec<&Handoff>> = HashMap::new();
        for h in state
            .handoffs
            .values()
            .filter(|h| h.status == HandoffStatus::Accepted)
        {
            accepted.entry(h.lead.as_str()).or_default().push(h);
        }
        DealsPass {
            state,
            config,
            tz,
            now,
            since,
            accepted,
            deals: Vec::new(),
        }
    }

    fn fresh(&self, t: Instant) -> bool {
        t <= self.now && self.since.is_none_or(|s| t > s)
    }

    /// `lead` (with its stage history) as a deal, when it was won in the window.
    pub fn lead(&mut self, lead: &Lead) {
        let config = self.config;
        if lead.stage != config.pipeline.won {
            return;
        }
        let Some(won) = lead
            .history
            .iter()
            .rev()
            .find(|h| h.stage == config.pipeline.won)
        else {
            return;
        };
        if !self.fresh(won.at) {
            return;
        }
        let mut credit = vec![lead.created_by.to_string()];
        for h in self.accepted.get(lead.id.as_str()).into_iter().flatten() {
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
        self.deals.push(WinView {
            id: lead.id.clone().into(),
            kind: "deal",
            at: won.at.to_toml(self.tz),
            text: format!("{} won{value}", lead.company),
            departments: departments(config, &credit),
            credit,
            instant: won.at,
        });
    }

    /// The shout-outs of the window and the deals found, newest first.
    pub fn finish(self) -> Vec<WinView> {
        let (config, tz) = (self.config, self.tz);
        let mut out: Vec<WinView> = self
            .state
            .wins
            .values()
            .filter(|w| self.fresh(w.at))
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
        out.extend(self.deals);
        out.sort_by(|a, b| b.instant.cmp(&a.instant).then(a.id.cmp(&b.id)));
        out
    }
}
