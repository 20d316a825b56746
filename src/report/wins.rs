//! Wins: shout-outs, deals won and goals reached, each crediting everyone who played a
//! part across departments. Deals and goals are found in the data, never stored, so no
//! report can announce one twice.

use serde::Serialize;

use crate::model::agenda_facts::DealFact;
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

/// A win as a listing keeps it for its JSON until it prints (in postcard, see
/// [`render::Sorted`]): its id, kind (an index in [`KINDS`]), moment, text and credit.
/// The moment as text and the departments are made again from those.
pub type KeptWin = (String, u8, Instant, String, Vec<String>);

/// The kinds of win, as [`KeptWin`] numbers them.
const KINDS: [&str; 3] = ["shout-out", "deal", "goal"];

impl WinView {
    /// What [`KeptWin`] keeps of this win, to be written in postcard.
    pub fn keep(&self) -> impl Serialize + '_ {
        let kind = KINDS.iter().position(|k| *k == self.kind).unwrap_or(0);
        (
            self.id.as_str(),
            u8::try_from(kind).unwrap_or(0),
            self.instant,
            self.text.as_str(),
            self.credit.as_slice(),
        )
    }

    /// The win [`WinView::keep`] kept, as it was.
    pub fn from_kept(kept: KeptWin, config: &Config, tz: chrono_tz::Tz) -> WinView {
        let (id, kind, instant, text, credit) = kept;
        WinView {
            id,
            kind: KINDS.get(usize::from(kind)).copied().unwrap_or(KINDS[0]),
            at: instant.to_toml(tz),
            text,
            departments: departments(config, &credit),
            credit,
            instant,
        }
    }
}

/// Every shout-out, every deal won and every goal reached up to `now`, after `since` when
/// given (filtered before anything is built), each given to `take` as it is found and
/// then dropped, in no order: the shout-outs, the deals won as the leads pass, then the
/// goals reached (listed, they are sorted by [`newest_first`], equal ones in that order).
/// The leads are those `leads` passes one by one (the state's, [`super::every_lead`], or
/// a cache's one chunk at a time): one pass finds the deals won and every goal's metric,
/// and keeps no lead. A listing keeps what it prints of each win (`growth win list`), not
/// the wins. `false` when `leads` could not pass them all (a damaged cache).
pub fn each_win(
    state: &State,
    leads: impl FnOnce(&mut dyn FnMut(&Lead)) -> bool,
    config: &Config,
    tz: chrono_tz::Tz,
    now: Instant,
    since: Option<Instant>,
    take: &mut dyn FnMut(WinView),
) -> bool {
    let mut metrics = MetricsPass::every_goal(state, config, tz, None);
    let deals = DealsPass::new(state, config, tz, now, since);
    deals.shout_outs(&mut *take);
    let whole = leads(&mut |l| {
        metrics.lead(l);
        if let Some(w) = deals.deal(l) {
            take(w);
        }
    });
    if !whole {
        return false;
    }
    metrics.handoffs(state.handoffs.values().map(|h| &**h));
    let metrics = Metrics::from_pass(state, config, tz, metrics);
    goals_reached(&metrics, now, since, take);
    true
}

/// [`each_win`] from the facts kept beside the cache: the deals won from `deals` (every
/// lead in won, in id order, as the leads pass), the goals reached from `metrics` (the
/// metric facts'): the same wins, found in the same order.
#[allow(clippy::too_many_arguments)]
pub fn each_win_of_facts(
    state: &State,
    metrics: &Metrics,
    deals: &[DealFact],
    config: &Config,
    tz: chrono_tz::Tz,
    now: Instant,
    since: Option<Instant>,
    take: &mut dyn FnMut(WinView),
) {
    let pass = DealsPass::new(state, config, tz, now, since);
    pass.shout_outs(&mut *take);
    for deal in deals {
        if let Some(w) = pass.deal_of(deal) {
            take(w);
        }
    }
    goals_reached(metrics, now, since, take);
}

/// The order wins are listed in: newest first, then by id.
pub fn newest_first(a: &WinView, b: &WinView) -> std::cmp::Ordering {
    b.instant.cmp(&a.instant).then(a.id.cmp(&b.id))
}

/// The wins of [`each_win`], newest first, with the shout-outs and deals won already
/// found (by a [`DealsPass`]).
pub fn wins_with(
    metrics: &Metrics,
    now: Instant,
    since: Option<Instant>,
    mut out: Vec<WinView>,
) -> Vec<WinView> {
    goals_reached(metrics, now, since, &mut |w| out.push(w));
    out.sort_by(newest_first);
    out
}

/// Each goal reached between `since` and `now`, given to `take`.
fn goals_reached(
    metrics: &Metrics,
    now: Instant,
    since: Option<Instant>,
    take: &mut dyn FnMut(WinView),
) {
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
        take(WinView {
            id: goal.id.clone(),
            kind: "goal",
            at: at.to_toml(tz),
            text: format!("{} reached", goal.title),
            departments: departments(config, &credit),
            credit,
            instant: at,
        });
    }
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
    /// Who handed each lead off and received it, by lead (in the state's order for each):
    /// one pass, not one per deal won. A sorted list, not a map of lists: 24 bytes per
    /// accepted handoff.
    accepted: Vec<(&'a str, &'a Handoff)>,
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
        Self::of_leads(state, config, tz, now, since, |_| true)
    }

    /// [`DealsPass::new`] for deals of the leads `of` names alone (those won in the
    /// window, known beforehand): only their accepted handoffs are gathered and sorted.
    pub fn of_leads(
        state: &'a State,
        config: &'a Config,
        tz: chrono_tz::Tz,
        now: Instant,
        since: Option<Instant>,
        of: impl Fn(&str) -> bool,
    ) -> Self {
        let mut accepted: Vec<(&str, &Handoff)> = state
            .handoffs
            .values()
            .filter(|h| h.status == HandoffStatus::Accepted && of(&h.lead))
            .map(|h| (h.lead.as_str(), &**h))
            .collect();
        // Stable: a lead's handoffs stay in the state's order.
        accepted.sort_by(|a, b| a.0.cmp(b.0));
        accepted.shrink_to_fit();
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
        if let Some(deal) = self.deal(lead) {
            self.deals.push(deal);
        }
    }

    /// When `lead` was won and everyone the deal credits (once each), when it was won in
    /// the window: all a report that only counts credits needs of it.
    pub fn credit(&self, lead: &Lead) -> Option<(Instant, Vec<String>)> {
        let deal = DealFact::of(lead, self.config)?;
        self.fresh(deal.at).then(|| (deal.at, self.credited(&deal)))
    }

    /// When `deal` (from the facts kept beside the cache) was won and everyone it
    /// credits, when it was won in the window: [`DealsPass::credit`] of its lead.
    pub fn credit_of(&self, deal: &DealFact) -> Option<(Instant, Vec<String>)> {
        self.fresh(deal.at).then(|| (deal.at, self.credited(deal)))
    }

    /// Everyone `deal` credits, once each: who added the lead, who handed it off and
    /// received it, its owner, and who marked it won.
    fn credited(&self, deal: &DealFact) -> Vec<String> {
        let mut credit = vec![deal.created_by.to_string()];
        let id = deal.lead.as_str();
        let first = self.accepted.partition_point(|(l, _)| *l < id);
        for (_, h) in self.accepted[first..].iter().take_while(|(l, _)| *l == id) {
            credit.push(h.from.to_string());
            credit.push(h.to.to_string());
        }
        credit.extend(deal.owner.as_deref().map(String::from));
        credit.push(deal.by.to_string());
        let mut seen = Vec::new();
        credit.retain(|c| {
            !c.is_empty() && !seen.contains(c) && {
                seen.push(c.clone());
                true
            }
        });
        credit
    }

    /// `deal` (from the facts kept beside the cache), kept when it was won in the window.
    pub fn deal_fact(&mut self, deal: &DealFact) {
        if let Some(deal) = self.deal_of(deal) {
            self.deals.push(deal);
        }
    }

    /// `lead` as a deal won in the window, if it is one (not kept).
    pub fn deal(&self, lead: &Lead) -> Option<WinView> {
        self.deal_of(&DealFact::of(lead, self.config)?)
    }

    /// `deal` as a win, when it was won in the window: from a lead, or from the facts
    /// kept beside the cache.
    pub fn deal_of(&self, deal: &DealFact) -> Option<WinView> {
        if !self.fresh(deal.at) {
            return None;
        }
        let credit = self.credited(deal);
        let config = self.config;
        let value = deal
            .value
            .map(|v| {
                format!(
                    " ({})",
                    render::money(v, deal.currency.as_deref().unwrap_or(&config.team.currency))
                )
            })
            .unwrap_or_default();
        Some(WinView {
            id: deal.lead.clone().into(),
            kind: "deal",
            at: deal.at.to_toml(self.tz),
            text: format!("{} won{value}", deal.company),
            departments: departments(config, &credit),
            credit,
            instant: deal.at,
        })
    }

    /// The state's shout-outs in the window, given to `take` in the state's order.
    pub fn shout_outs(&self, take: &mut dyn FnMut(WinView)) {
        let (config, tz) = (self.config, self.tz);
        for w in self.state.wins.values().filter(|w| self.fresh(w.at)) {
            take(WinView {
                id: w.id.clone(),
                kind: "shout-out",
                at: w.at.to_toml(tz),
                text: w.text.clone(),
                departments: departments(config, &w.credit),
                credit: w.credit.clone(),
                instant: w.at,
            });
        }
    }

    /// The shout-outs of the window and the deals found, newest first.
    pub fn finish(self) -> Vec<WinView> {
        let mut out = Vec::new();
        self.shout_outs(&mut |w| out.push(w));
        out.extend(self.deals);
        out.sort_by(newest_first);
        out
    }
}
