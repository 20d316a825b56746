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
        let mut pass = MetricsPass::new(goals.clone(), config, tz, None);
        pass.facts = Some(FunnelFacts::default());
        let live = || state.leads.values().filter(|l| !l.archived);
        live().for_each(|l| pass.lead(l));
        let any_live = live().next().is_some();
        let shown = |lead: &str| !any_live || state.leads.get(lead).is_none_or(|l| !l.archived);
        pass.handoffs(
            (state.handoffs.values())
                .filter(|h| shown(&h.lead))
                .map(|h| &**h),
        );
        let funnel = pass.take_facts().unwrap_or_default();
        let (series, _) = pass.finish();
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
                Metric::Manual => {
                    let checkins = goal.checkins.iter().map(|c| (c.at, c.value));
                    Series::from_steps(checkins, !goal.sum)
                }
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
