//! The goals' metrics and the funnel's moments, worked out when the cache is written and
//! kept beside it: `growth progress` then reads the goals, the meetings and these, not
//! every lead's digest and every handoff (at a million entries, 160 ms and 66 MiB).
//!
//! They hold for the state they were worked out from and nothing else: a read takes them
//! only from a cache that holds the journal exactly, and works everything out again
//! otherwise.

use serde::{Deserialize, Serialize};

use crate::model::config::Config;
use crate::model::goal::{Goal, Metric};
use crate::model::handoff::Handoff;
use crate::model::lead::Lead;
use crate::model::metrics::{FunnelFacts, Metrics, MetricsPass, Series};
use crate::model::state::State;
use crate::model::time::Instant;

/// Every computed goal's series and the funnel's moments, as of the state written.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MetricFacts {
    /// The timezone the goals' periods were cut in.
    tz: String,
    /// The goals not archived whose metric is computed (a manual goal's check-ins are
    /// in the goal itself), in the goals' order.
    goals: Vec<GoalFacts>,
    funnel: FunnelFacts,
}

/// A goal's series, with what it was cut by: a goal changed since is worked out again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct GoalFacts {
    id: String,
    metric: Metric,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    currency: Option<String>,
    series: Series,
}

impl GoalFacts {
    /// Whether this series is the metric of `goal` (the same period, metric and currency).
    fn fits(&self, goal: &Goal) -> bool {
        self.id == goal.id
            && self.metric == goal.metric
            && self.from == goal.from
            && self.to == goal.to
            && self.currency == goal.currency
    }
}

impl MetricFacts {
    /// The facts of `state` (whole, retired records included), as a read that hides the
    /// retired records would count them: the leads not archived, and their handoffs (all
    /// of them when every lead is archived).
    pub fn of(state: &State, config: &Config, tz: chrono_tz::Tz) -> MetricFacts {
        let goals: Vec<&Goal> = (state.goals.values())
            .filter(|g| !g.archived && g.metric != Metric::Manual)
            .collect();
        let live = || state.leads.values().filter(|l| !l.archived).map(|l| &**l);
        let any_live = live().next().is_some();
        let shown = |lead: &str| !any_live || state.leads.get(lead).is_none_or(|l| !l.archived);
        let handoffs = (state.handoffs.values())
            .filter(|h| shown(&h.lead))
            .map(|h| &**h);
        let (series, funnel) = counted(&goals, config, tz, live(), handoffs);
        let goals = goals
            .into_iter()
            .zip(series)
            .map(|(g, series)| GoalFacts {
                id: g.id.clone(),
                metric: g.metric,
                from: g.from,
                to: g.to,
                currency: g.currency.clone(),
                series,
            })
            .collect();
        MetricFacts {
            tz: tz.name().to_string(),
            goals,
            funnel,
        }
    }

    /// Takes out what leads `old` and handoffs `old_handoffs` counted and puts in what
    /// `new` and `new_handoffs` count (the same records after a few entries this clone
    /// wrote, and those the entries created), with `state`'s goals: as if the facts had
    /// been worked out again. Every record given must be shown (no archived lead). `false`
    /// when that cannot be done exactly (a goal the facts do not fit, a moment holding
    /// steps whose order depends on the leads'); the facts are then not to be used.
    pub fn replace(
        &mut self,
        state: &State,
        config: &Config,
        tz: chrono_tz::Tz,
        (old, old_handoffs): (&[&Lead], &[&Handoff]),
        (new, new_handoffs): (&[&Lead], &[&Handoff]),
    ) -> bool {
        let mut goals = Vec::with_capacity(self.goals.len());
        for facts in &self.goals {
            match state.goals.get(facts.id.as_str()) {
                Some(goal) if facts.fits(goal) => goals.push(goal),
                _ => return false,
            }
        }
        let of = |leads: &[&Lead], handoffs: &[&Handoff]| {
            let (leads, handoffs) = (leads.iter().copied(), handoffs.iter().copied());
            counted(&goals, config, tz, leads, handoffs)
        };
        let (was, was_funnel) = of(old, old_handoffs);
        let (is, is_funnel) = of(new, new_handoffs);
        // Everything out first, then everything in: a step moved keeps no trace of where it was.
        for (facts, was) in self.goals.iter_mut().zip(&was) {
            let series = &mut facts.series;
            if !(was.moments().iter()).all(|(at, values)| series.take_moment(*at, values)) {
                return false;
            }
            for id in &was.other_currency {
                match series.other_currency.binary_search(id) {
                    Ok(i) => _ = series.other_currency.remove(i),
                    Err(_) => return false,
                }
            }
        }
        if !self.funnel.take(&was_funnel) {
            return false;
        }
        for (facts, is) in self.goals.iter_mut().zip(is) {
            let series = &mut facts.series;
            if !(is.moments().iter()).all(|(at, values)| series.put_moment(*at, values)) {
                return false;
            }
            for id in is.other_currency {
                let at = series
                    .other_currency
                    .binary_search(&id)
                    .unwrap_or_else(|i| i);
                series.other_currency.insert(at, id);
            }
            series.resum();
        }
        self.funnel.put(is_funnel);
        true
    }

    /// The metrics of `state`'s goals (retired ones hidden) with the funnel as of `now`,
    /// from these facts: `None` when a goal has none that fit it (then a pass over the
    /// leads is the way).
    pub fn metrics<'a>(
        self,
        state: &'a State,
        config: &'a Config,
        tz: chrono_tz::Tz,
        now: Instant,
    ) -> Option<Metrics<'a>> {
        if self.tz != tz.name() {
            return None;
        }
        let mut kept: std::collections::HashMap<String, GoalFacts> =
            self.goals.into_iter().map(|g| (g.id.clone(), g)).collect();
        let mut all = std::collections::HashMap::with_capacity(state.goals.len());
        for goal in state.goals.values() {
            let series = match goal.metric {
                Metric::Manual => Series::of_checkins(goal),
                _ => {
                    let facts = kept.remove(&goal.id).filter(|f| f.fits(goal))?;
                    facts.series
                }
            };
            all.insert(goal.id.as_str(), series);
        }
        let funnel = self.funnel.counts(now);
        Some(Metrics::from_series(state, config, tz, all, funnel))
    }
}

/// What `leads` and `handoffs` count towards `goals` (none manual): each goal's series and
/// the funnel's moments, by the pass a read runs.
fn counted<'a>(
    goals: &[&Goal],
    config: &Config,
    tz: chrono_tz::Tz,
    leads: impl Iterator<Item = &'a Lead>,
    handoffs: impl Iterator<Item = &'a Handoff>,
) -> (Vec<Series>, FunnelFacts) {
    let mut pass = MetricsPass::new(goals.to_vec(), config, tz, None);
    pass.facts = Some(FunnelFacts::default());
    leads.for_each(|l| pass.lead(l));
    pass.handoffs(handoffs);
    let funnel = pass.take_facts().unwrap_or_default();
    (pass.finish().0, funnel)
}
