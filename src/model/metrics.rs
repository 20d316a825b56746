//! Goal metrics computed from the journal: each metric is a series of dated increments
//! (a deal won adds its value, a deal reopened takes it back), so the actual at any
//! moment, the moment a target was crossed and the change since the last meeting all come
//! from one list.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveTime};

use crate::model::config::Config;
use crate::model::goal::{Goal, Metric};
use crate::model::handoff::{Handoff, HandoffStatus};
use crate::model::lead::Lead;
use crate::model::state::State;
use crate::model::time::{Instant, resolve_local};

/// The goal's period as instants: from the first day's midnight to the midnight after
/// the last day, in the team's timezone.
pub fn period(goal: &Goal, tz: chrono_tz::Tz) -> (Instant, Instant) {
    (
        resolve_local(goal.from.and_time(NaiveTime::MIN), tz),
        resolve_local((goal.to + Duration::days(1)).and_time(NaiveTime::MIN), tz),
    )
}

/// What a goal's metric is made of: dated increments inside the period (or check-ins),
/// grouped by UTC day, each day's in time order, with the running value at each day's end.
/// At a million entries a year's goal of leads is 150,000 steps: one sorted list of them
/// cost its memory about three times over while it grew and was sorted (the agenda held
/// 25 MiB of them), and each value at a moment summed the list from the start (an agenda
/// asks for one a week per goal). Grouped by day, a value costs one search and one day's
/// steps, and sums in exactly the order the one list did.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Series {
    days: Vec<Day>,
    /// Manual goals that take the latest check-in rather than a sum.
    pub latest: bool,
    /// Leads won in the period in another currency, left out of a revenue goal.
    pub other_currency: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
struct Day {
    /// Days since the epoch, in UTC.
    day: i64,
    /// Each step's time, in milliseconds into the day: never empty, in time order, steps
    /// at the same moment in the order they came.
    ms: Vec<u32>,
    /// Each step's value, or `None` while every one is 1 (a count: most goals' steps then
    /// take 4 bytes rather than 16).
    values: Option<Vec<f64>>,
    /// The running value after this day's last step: the sum from the first step, folded
    /// in time order, or the last step's value for a level.
    end: f64,
}

impl Day {
    fn push(&mut self, ms: u32, value: f64) {
        match &mut self.values {
            Some(values) => values.push(value),
            None if value == 1.0 => {}
            None => {
                let mut values = vec![1.0; self.ms.len()];
                values.push(value);
                self.values = Some(values);
            }
        }
        self.ms.push(ms);
    }

    fn value(&self, i: usize) -> f64 {
        self.values.as_ref().map_or(1.0, |v| v[i])
    }

    /// The range of the steps at `ms` into the day (empty where there are none).
    fn moment(&self, ms: u32) -> (usize, usize) {
        (
            self.ms.partition_point(|m| *m < ms),
            self.ms.partition_point(|m| *m <= ms),
        )
    }

    /// The steps in time order; stable: steps at the same moment keep the order the
    /// journal gave them.
    fn sort(&mut self) {
        match self.values.take() {
            None => self.ms.sort_unstable(),
            Some(values) => {
                let mut steps: Vec<(u32, f64)> = self.ms.iter().copied().zip(values).collect();
                steps.sort_by_key(|s| s.0);
                self.ms = steps.iter().map(|s| s.0).collect();
                self.values = Some(steps.into_iter().map(|s| s.1).collect());
            }
        }
    }

    fn steps(&self) -> impl Iterator<Item = (Instant, f64)> + '_ {
        let midnight = self.day * DAY_MS;
        (self.ms.iter().enumerate())
            .map(move |(i, ms)| (Instant(midnight + i64::from(*ms)), self.value(i)))
    }
}

const DAY_MS: i64 = 86_400_000;

/// The day of `at`, and how far into it.
fn day_of(at: Instant) -> (i64, u32) {
    let ms = u32::try_from(at.0.rem_euclid(DAY_MS)).unwrap_or(0);
    (at.0.div_euclid(DAY_MS), ms)
}

/// A series' steps as they come, in any order, kept by day until [`Steps::series`] sorts them.
#[derive(Debug, Default)]
pub struct Steps {
    days: BTreeMap<i64, Day>,
    /// The days of a known period, by their distance from its first: a goal's steps fall
    /// in its period, and a pass over 300,000 leads pushes millions of them (a map's
    /// search each cost a metrics pass a third of its time).
    period: Vec<Day>,
    first_day: i64,
}

/// The longest period kept by day in [`Steps::period`] (a day is 64 bytes).
const DENSE_DAYS: i64 = 20_000;

impl Steps {
    /// Steps expected between `from` and `to`; others are kept too.
    pub fn within(from: Instant, to: Instant) -> Steps {
        let (first, _) = day_of(from);
        let (last, _) = day_of(to);
        let days = if (0..DENSE_DAYS).contains(&(last - first)) {
            (first..=last)
                .map(|day| Day {
                    day,
                    ..Day::default()
                })
                .collect()
        } else {
            Vec::new()
        };
        Steps {
            days: BTreeMap::new(),
            period: days,
            first_day: first,
        }
    }

    pub fn push(&mut self, at: Instant, value: f64) {
        let (day, ms) = day_of(at);
        let dense = usize::try_from(day - self.first_day)
            .ok()
            .and_then(|i| self.period.get_mut(i));
        match dense {
            Some(d) => d.push(ms, value),
            None => self
                .days
                .entry(day)
                .or_insert_with(|| Day {
                    day,
                    ..Day::default()
                })
                .push(ms, value),
        }
    }

    /// The series of these steps; `latest` for a level (the latest check-in counts).
    pub fn series(mut self, latest: bool, other_currency: Vec<String>) -> Series {
        let mut end = 0.0;
        for day in self.period.into_iter().filter(|d| !d.ms.is_empty()) {
            self.days.insert(day.day, day);
        }
        let days = self
            .days
            .into_values()
            .map(|mut day| {
                day.sort();
                for (_, v) in day.steps() {
                    // Folded from 0.0: `sum` of no steps is -0.0, shown as "-0%".
                    end = if latest { v } else { end + v };
                }
                day.end = end;
                day
            })
            .collect();
        Series {
            days,
            latest,
            other_currency,
        }
    }
}

impl Series {
    /// A series of `steps` in any order.
    pub fn from_steps(steps: impl IntoIterator<Item = (Instant, f64)>, latest: bool) -> Series {
        let mut by_day = Steps::default();
        for (at, v) in steps {
            by_day.push(at, v);
        }
        by_day.series(latest, Vec::new())
    }

    /// A manual goal's series: its check-ins, summed or the latest.
    pub fn of_checkins(goal: &Goal) -> Series {
        let checkins = goal.checkins.iter().map(|c| (c.at, c.value));
        Series::from_steps(checkins, !goal.sum)
    }

    /// Every step, in time order.
    pub fn steps(&self) -> impl Iterator<Item = (Instant, f64)> + '_ {
        self.days.iter().flat_map(Day::steps)
    }

    /// When the first step was taken.
    pub fn first(&self) -> Option<Instant> {
        self.steps().next().map(|s| s.0)
    }

    /// The metric's value at `at`.
    pub fn value_at(&self, at: Instant) -> f64 {
        let (day, _) = day_of(at);
        let i = self.days.partition_point(|d| d.day < day);
        let before = i.checked_sub(1).map_or(0.0, |j| self.days[j].end);
        let today = self.days.get(i).filter(|d| d.day == day);
        let upto = today
            .into_iter()
            .flat_map(Day::steps)
            .take_while(|(t, _)| *t <= at);
        if self.latest {
            upto.last().map_or(before, |(_, v)| v)
        } else {
            upto.fold(before, |total, (_, v)| total + v)
        }
    }

    /// The steps grouped by moment, in time order, each moment's in their order.
    pub(crate) fn moments(&self) -> Vec<(Instant, Vec<f64>)> {
        let mut by_moment: Vec<(Instant, Vec<f64>)> = Vec::new();
        for (t, v) in self.steps() {
            match by_moment.last_mut() {
                Some((last, values)) if *last == t => values.push(v),
                _ => by_moment.push((t, vec![v])),
            }
        }
        by_moment
    }

    /// Takes steps `values` at `at` out, as if they had never been pushed: `false` when
    /// the moment does not hold them, or holds others too and not all of one value (which
    /// of two equal steps among others was this lead's depends on the leads' order). The
    /// day ends are summed again by [`Series::resum`].
    pub(crate) fn take_moment(&mut self, at: Instant, values: &[f64]) -> bool {
        let (day, ms) = day_of(at);
        let Ok(d) = self.days.binary_search_by_key(&day, |d| d.day) else {
            return false;
        };
        let found = &mut self.days[d];
        let (lo, hi) = found.moment(ms);
        let bits = |vs: &mut dyn Iterator<Item = f64>| {
            let mut b: Vec<u64> = vs.map(f64::to_bits).collect();
            b.sort_unstable();
            b
        };
        let held = bits(&mut (lo..hi).map(|i| found.value(i)));
        let taken = bits(&mut values.iter().copied());
        let one = held
            .first()
            .is_some_and(|f| held.iter().chain(&taken).all(|b| b == f));
        if held != taken && !(one && taken.len() <= held.len()) {
            return false;
        }
        let (from, to) = (hi - values.len(), hi);
        found.ms.drain(from..to);
        if let Some(all) = &mut found.values {
            all.drain(from..to);
            // As pushed: values are kept only while some step is not 1.
            if all.iter().all(|v| *v == 1.0) {
                found.values = None;
            }
        }
        if found.ms.is_empty() {
            self.days.remove(d);
        }
        true
    }

    /// Puts steps `values` at `at` in, in their order, where a pass would have: `false`
    /// when the moment already holds steps and not all of them and these have one value
    /// (the order of steps of other values at one moment is the leads' order, and a sum in
    /// another order may differ in its last bit). The day ends are summed again by
    /// [`Series::resum`].
    pub(crate) fn put_moment(&mut self, at: Instant, values: &[f64]) -> bool {
        let Some(first) = values.first() else {
            return true;
        };
        let (day, ms) = day_of(at);
        let d = match self.days.binary_search_by_key(&day, |d| d.day) {
            Ok(d) => d,
            Err(d) => {
                let empty = Day {
                    day,
                    ..Day::default()
                };
                self.days.insert(d, empty);
                d
            }
        };
        let found = &mut self.days[d];
        let (lo, hi) = found.moment(ms);
        let one = |v: f64| v.to_bits() == first.to_bits();
        if lo < hi && !((lo..hi).all(|i| one(found.value(i))) && values.iter().all(|v| one(*v))) {
            return false;
        }
        if found.values.is_none() && values.iter().any(|v| *v != 1.0) {
            found.values = Some(vec![1.0; found.ms.len()]);
        }
        if let Some(all) = &mut found.values {
            all.splice(hi..hi, values.iter().copied());
        }
        found.ms.splice(hi..hi, values.iter().map(|_| ms));
        true
    }

    /// Sums the day ends again from the start, as [`Steps::series`] does, after steps
    /// were taken out or put in.
    pub(crate) fn resum(&mut self) {
        let mut end = 0.0;
        for day in &mut self.days {
            for i in 0..day.ms.len() {
                let v = day.value(i);
                end = if self.latest { v } else { end + v };
            }
            day.end = end;
        }
    }

    /// When the metric first reached `target`, if it did.
    pub fn crossed(&self, target: f64) -> Option<Instant> {
        if target <= 0.0 {
            return None;
        }
        let mut total = 0.0;
        for (t, v) in self.steps() {
            total = if self.latest { v } else { total + v };
            if total >= target {
                return Some(t);
            }
        }
        None
    }
}

/// The stages that count as having reached `stage`: it and the later ones of the funnel,
/// up to won (lost does not count).
pub struct Reach<'a> {
    stages: Vec<&'a str>,
}

impl<'a> Reach<'a> {
    pub fn from(stage: &str, config: &'a Config) -> Self {
        let p = &config.pipeline;
        let (Some(from), Some(won)) = (p.position(stage), p.position(&p.won)) else {
            return Reach { stages: Vec::new() };
        };
        let stages = p.stages[from..=won.max(from)]
            .iter()
            .map(String::as_str)
            .filter(|s| *s != p.lost)
            .collect();
        Reach { stages }
    }

    /// The first moment `lead` stood in one of these stages.
    pub fn reached(&self, lead: &Lead) -> Option<Instant> {
        lead.history
            .iter()
            .find(|h| self.stages.contains(&h.stage.as_str()))
            .map(|h| h.at)
    }
}

/// The first moment a lead stood in `stage` or any later stage of the funnel (lost and
/// the stages before `stage` do not count).
pub fn reached(lead: &Lead, stage: &str, config: &Config) -> Option<Instant> {
    Reach::from(stage, config).reached(lead)
}

/// The metric of `goal` as dated increments within its period.
pub fn series(goal: &Goal, state: &State, config: &Config, tz: chrono_tz::Tz) -> Series {
    series_of(&[goal], state, config, tz)
        .pop()
        .unwrap_or_default()
}

/// Every goal's metric, computed on first use in one pass over the records and kept: an
/// agenda shows each current goal's progress and, among its wins, the goals reached.
pub struct Metrics<'a> {
    state: &'a State,
    config: &'a Config,
    tz: chrono_tz::Tz,
    all: std::cell::OnceCell<std::collections::HashMap<&'a str, Series>>,
    /// The funnel's counts as of one moment, when a pass over the leads gathered them.
    funnel: Option<FunnelCounts>,
}

impl<'a> Metrics<'a> {
    pub fn new(state: &'a State, config: &'a Config, tz: chrono_tz::Tz) -> Self {
        Metrics {
            state,
            config,
            tz,
            all: std::cell::OnceCell::new(),
            funnel: None,
        }
    }

    /// The metrics a pass made by [`MetricsPass::every_goal`] of `state` gathered: for a
    /// state whose leads were read one chunk at a time and not kept.
    pub fn from_pass(
        state: &'a State,
        config: &'a Config,
        tz: chrono_tz::Tz,
        pass: MetricsPass<'_>,
    ) -> Self {
        let (series, funnel) = pass.finish();
        let all: std::collections::HashMap<&str, Series> = state
            .goals
            .values()
            .map(|g| g.id.as_str())
            .zip(series)
            .collect();
        Metrics {
            state,
            config,
            tz,
            all: std::cell::OnceCell::from(all),
            funnel,
        }
    }

    /// The metrics of `state`'s goals given whole (`all`, by goal id), with the funnel
    /// counted as of one moment: from the facts kept beside the cache.
    pub(crate) fn from_series(
        state: &'a State,
        config: &'a Config,
        tz: chrono_tz::Tz,
        all: std::collections::HashMap<&'a str, Series>,
        funnel: FunnelCounts,
    ) -> Self {
        Metrics {
            state,
            config,
            tz,
            all: std::cell::OnceCell::from(all),
            funnel: Some(funnel),
        }
    }

    pub fn state(&self) -> &'a State {
        self.state
    }

    pub fn config(&self) -> &'a Config {
        self.config
    }

    pub fn tz(&self) -> chrono_tz::Tz {
        self.tz
    }

    /// The metric of `goal`, a goal of this state (not copied: a year's goal of leads is
    /// 150,000 steps at a million entries).
    pub fn series(&self, goal: &Goal) -> std::borrow::Cow<'_, Series> {
        let all = self.all.get_or_init(|| {
            let goals: Vec<&Goal> = self.state.goals.values().collect();
            let series = series_of(&goals, self.state, self.config, self.tz);
            goals.iter().map(|g| g.id.as_str()).zip(series).collect()
        });
        match all.get(goal.id.as_str()) {
            Some(s) => std::borrow::Cow::Borrowed(s),
            None => std::borrow::Cow::Owned(series(goal, self.state, self.config, self.tz)),
        }
    }

    /// The funnel of revenue goal `goal` as of `now`, with `remaining` still to win.
    pub fn funnel(&self, goal: &Goal, remaining: f64, now: Instant) -> Funnel {
        match &self.funnel {
            Some(counts) if counts.now == now => counts.funnel(goal, remaining, self.config),
            _ => funnel(goal, remaining, self.state, self.config, now),
        }
    }
}

/// The metrics of `goals`, in their order, from one pass over the leads and one over the
/// handoffs: at a million entries each pass is tens of milliseconds, and an agenda shows
/// every goal twice (its progress and the wins of those reached).
pub fn series_of(
    goals: &[&Goal],
    state: &State,
    config: &Config,
    tz: chrono_tz::Tz,
) -> Vec<Series> {
    let mut pass = MetricsPass::new(goals.to_vec(), config, tz, None);
    state.leads.values().for_each(|l| pass.lead(l));
    pass.handoffs(state.handoffs.values().map(|h| &**h));
    pass.finish().0
}

/// What the goals' metrics (and the funnel, as of one moment) take from each lead,
/// gathered lead by lead: from the state's leads, or from a cache's one chunk at a time.
pub struct MetricsPass<'a> {
    goals: Vec<&'a Goal>,
    /// Each goal's period and currency.
    plans: Vec<(Instant, Instant, String)>,
    config: &'a Config,
    /// By pipeline position, whether a stage counts as having reached mql, sql, won.
    mql: Vec<bool>,
    sql: Vec<bool>,
    won: Option<usize>,
    out: Vec<(Steps, Vec<String>)>,
    /// Which of a lead's stage changes are to won: worked out once per lead, not once
    /// per goal (a string comparison each).
    won_at: Vec<(Instant, bool)>,
    /// Whether some goal counts something of the leads.
    by_lead: bool,
    funnel: Option<FunnelCounts>,
    /// The funnel's moments of every lead, for any moment (see [`crate::model::metric_facts`]).
    pub(crate) facts: Option<FunnelFacts>,
}

/// What the funnel counts of each lead, for a moment chosen later: when it first reached
/// mql and sql, and for a lead in won, its last move there, value and currency.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FunnelFacts {
    /// Sorted.
    pub(crate) mql: Vec<Instant>,
    /// Sorted.
    pub(crate) sql: Vec<Instant>,
    /// By lead id.
    pub(crate) won: Vec<WonFact>,
}

/// A lead in won: when it last moved there, its value and currency.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WonFact {
    pub(crate) lead: crate::model::Text,
    pub(crate) at: Instant,
    pub(crate) value: Option<f64>,
    pub(crate) currency: crate::model::Text,
}

impl FunnelFacts {
    /// Takes `some`'s moments out (one of each); `false` when one is missing.
    pub(crate) fn take(&mut self, some: &FunnelFacts) -> bool {
        let take = |all: &mut Vec<Instant>, at: &Instant| {
            all.binary_search(at).map(|i| _ = all.remove(i)).is_ok()
        };
        let mut found = true;
        for at in &some.mql {
            found &= take(&mut self.mql, at);
        }
        for at in &some.sql {
            found &= take(&mut self.sql, at);
        }
        for w in &some.won {
            match self.won.binary_search_by(|x| x.lead.cmp(&w.lead)) {
                Ok(i) => _ = self.won.remove(i),
                Err(_) => found = false,
            }
        }
        found
    }

    /// Puts `more`'s moments in, in their places.
    pub(crate) fn put(&mut self, more: FunnelFacts) {
        for at in more.mql {
            let i = self.mql.partition_point(|t| *t <= at);
            self.mql.insert(i, at);
        }
        for at in more.sql {
            let i = self.sql.partition_point(|t| *t <= at);
            self.sql.insert(i, at);
        }
        for w in more.won {
            let i = self.won.partition_point(|x| x.lead <= w.lead);
            self.won.insert(i, w);
        }
    }

    /// The funnel's counts as of `now`: as a pass with `funnel_at` of `now` counts them.
    pub(crate) fn counts(&self, now: Instant) -> FunnelCounts {
        let mut counts = FunnelCounts::new(now);
        let since = counts.since;
        let within = |times: &[Instant]| {
            times.partition_point(|t| *t <= now) - times.partition_point(|t| *t < since)
        };
        counts.mqls = within(&self.mql);
        counts.sqls = within(&self.sql);
        counts.won = (self.won.iter())
            .filter(|w| w.at >= since && w.at <= now)
            .map(|w| (w.value, w.currency.to_string()))
            .collect();
        counts
    }
}

impl<'a> MetricsPass<'a> {
    /// A pass for every goal of `state`, as [`Metrics::from_pass`] takes it.
    pub fn every_goal(
        state: &'a State,
        config: &'a Config,
        tz: chrono_tz::Tz,
        funnel_at: Option<Instant>,
    ) -> Self {
        MetricsPass::new(state.goals.values().collect(), config, tz, funnel_at)
    }

    /// A pass for `goals`, counting the funnel as of `funnel_at` when given.
    pub fn new(
        goals: Vec<&'a Goal>,
        config: &'a Config,
        tz: chrono_tz::Tz,
        funnel_at: Option<Instant>,
    ) -> Self {
        let plans: Vec<(Instant, Instant, String)> = goals
            .iter()
            .map(|goal| {
                let (start, end) = period(goal, tz);
                let currency = goal
                    .currency
                    .clone()
                    .unwrap_or_else(|| config.team.currency.clone());
                (start, end, currency)
            })
            .collect();
        let by_lead = goals.iter().any(|g| {
            [
                Metric::Revenue,
                Metric::Deals,
                Metric::Leads,
                Metric::Mqls,
                Metric::Sqls,
            ]
            .contains(&g.metric)
        });
        let by_position = |reach: Reach| -> Vec<bool> {
            (config.pipeline.stages.iter())
                .map(|s| reach.stages.contains(&s.as_str()))
                .collect()
        };
        MetricsPass {
            out: (plans.iter())
                .map(|(start, end, _)| (Steps::within(*start, *end), Vec::new()))
                .collect(),
            goals,
            plans,
            config,
            mql: by_position(Reach::from(&config.pipeline.mql, config)),
            sql: by_position(Reach::from(&config.pipeline.sql, config)),
            won: config.pipeline.position(&config.pipeline.won),
            won_at: Vec::new(),
            by_lead,
            funnel: funnel_at.map(FunnelCounts::new),
            facts: None,
        }
    }

    /// Counts `lead` (with its stage history) towards every goal.
    pub fn lead(&mut self, lead: &Lead) {
        let config = self.config;
        let won = &config.pipeline.won;
        // One look at each stage change: its place in the pipeline, then whether it
        // reached mql, sql or won (as `Reach` and a comparison with won would say).
        let (mut mql_at, mut sql_at) = (None, None);
        self.won_at.clear();
        for h in &lead.history {
            let at = config.pipeline.position(&h.stage);
            let counts = |set: &[bool]| at.is_some_and(|p| set.get(p) == Some(&true));
            if mql_at.is_none() && counts(&self.mql) {
                mql_at = Some(h.at);
            }
            if sql_at.is_none() && counts(&self.sql) {
                sql_at = Some(h.at);
            }
            let to_won = match self.won {
                Some(w) => at == Some(w),
                None => h.stage == *won,
            };
            self.won_at.push((h.at, to_won));
        }
        let last_won = self.won_at.iter().rev().find(|w| w.1).map(|w| w.0);
        if let Some(f) = self.funnel.as_mut() {
            f.counted(lead, mql_at, sql_at, last_won, config);
        }
        if let Some(f) = self.facts.as_mut() {
            f.mql.extend(mql_at);
            f.sql.extend(sql_at);
            if let Some(at) = last_won.filter(|_| lead.stage == *won) {
                let currency = lead.currency.as_deref().unwrap_or(&config.team.currency);
                f.won.push(WonFact {
                    lead: lead.id.clone(),
                    at,
                    value: lead.value,
                    currency: currency.into(),
                });
            }
        }
        if !self.by_lead {
            return;
        }
        let lead_currency = lead.currency.as_deref().unwrap_or(&config.team.currency);
        for ((goal, (series, other_currency)), (start, end, currency)) in
            self.goals.iter().zip(&mut self.out).zip(&self.plans)
        {
            let inside = |t: Instant| t >= *start && t < *end;
            match goal.metric {
                Metric::Revenue | Metric::Deals => {
                    let amount = if goal.metric == Metric::Deals {
                        1.0
                    } else {
                        lead.value.unwrap_or(0.0)
                    };
                    if goal.metric == Metric::Revenue && lead_currency != currency {
                        if self.won_at.iter().any(|&(at, to_won)| to_won && inside(at)) {
                            other_currency.push(lead.id.clone().into());
                        }
                        continue;
                    }
                    // A deal counts when it is won in the period, and stops counting if
                    // reopened.
                    let mut counted = false;
                    for &(at, to_won) in &self.won_at {
                        if to_won && inside(at) && !counted {
                            series.push(at, amount);
                            counted = true;
                        } else if !to_won && counted {
                            series.push(at, -amount);
                            counted = false;
                        }
                    }
                }
                Metric::Leads => {
                    if inside(lead.created) {
                        series.push(lead.created, 1.0);
                    }
                }
                Metric::Mqls | Metric::Sqls => {
                    let reached = if goal.metric == Metric::Mqls {
                        mql_at
                    } else {
                        sql_at
                    };
                    if let Some(t) = reached.filter(|t| inside(*t)) {
                        series.push(t, 1.0);
                    }
                }
                Metric::Handoffs | Metric::Accepted | Metric::Manual => {}
            }
        }
    }

    /// Counts the handoffs towards the goals of handoffs made and accepted.
    pub fn handoffs<'h>(&mut self, handoffs: impl Iterator<Item = &'h Handoff>) {
        let uses = |m: Metric| self.goals.iter().any(|g| g.metric == m);
        if !uses(Metric::Handoffs) && !uses(Metric::Accepted) {
            return;
        }
        for h in handoffs {
            for ((goal, (series, _)), (start, end, _)) in
                self.goals.iter().zip(&mut self.out).zip(&self.plans)
            {
                let at = match goal.metric {
                    Metric::Handoffs => Some(h.at),
                    Metric::Accepted if h.status == HandoffStatus::Accepted => h.decided_at,
                    _ => None,
                };
                if let Some(t) = at.filter(|t| t >= start && t < end) {
                    series.push(t, 1.0);
                }
            }
        }
    }

    /// The funnel's moments gathered, when asked for (`facts`).
    pub(crate) fn take_facts(&mut self) -> Option<FunnelFacts> {
        let mut facts = self.facts.take()?;
        facts.mql.sort_unstable();
        facts.sql.sort_unstable();
        Some(facts)
    }

    /// Every goal's series, in the order given, and the funnel's counts when asked for.
    pub fn finish(self) -> (Vec<Series>, Option<FunnelCounts>) {
        let series = self
            .goals
            .iter()
            .zip(self.out)
            .map(|(goal, (steps, other_currency))| {
                if goal.metric == Metric::Manual {
                    Series::of_checkins(goal)
                } else {
                    steps.series(false, other_currency)
                }
            })
            .collect();
        (series, self.funnel)
    }
}

/// The funnel worked back from a revenue goal: the workspace's own conversion rates over
/// a trailing window, and how many MQLs and SQLs the rest of the period needs.
#[derive(Debug, Clone, PartialEq)]
pub enum Funnel {
    Estimate {
        window_days: i64,
        mql_to_sql: f64,
        sql_to_won: f64,
        average_deal: f64,
        deals_needed: u64,
        sqls_needed: u64,
        mqls_needed: u64,
    },
    TooLittleHistory {
        reason: String,
    },
}

/// How far back the funnel looks for conversion rates.
pub const FUNNEL_WINDOW_DAYS: i64 = 90;
/// The fewest deals won in the window for an estimate worth showing.
pub const FUNNEL_MIN_DEALS: usize = 3;

pub fn funnel(goal: &Goal, remaining: f64, state: &State, config: &Config, now: Instant) -> Funnel {
    let (mql, sql) = (
        Reach::from(&config.pipeline.mql, config),
        Reach::from(&config.pipeline.sql, config),
    );
    let mut counts = FunnelCounts::new(now);
    for l in state.leads.values() {
        counts.lead(l, &mql, &sql, config);
    }
    counts.funnel(goal, remaining, config)
}

/// What the funnel takes from the leads over the window before `now`: the MQLs and SQLs
/// reached, and the deals won with their value.
#[derive(Debug, Clone)]
pub struct FunnelCounts {
    now: Instant,
    since: Instant,
    mqls: usize,
    sqls: usize,
    /// Each deal won in the window: its value and currency.
    won: Vec<(Option<f64>, String)>,
}

impl FunnelCounts {
    fn new(now: Instant) -> Self {
        FunnelCounts {
            now,
            since: now.plus_millis(-FUNNEL_WINDOW_DAYS * 86_400_000),
            mqls: 0,
            sqls: 0,
            won: Vec::new(),
        }
    }

    fn lead(&mut self, l: &Lead, mql: &Reach, sql: &Reach, config: &Config) {
        let won = &config.pipeline.won;
        let last_won = l.history.iter().rev().find(|h| h.stage == *won);
        self.counted(
            l,
            mql.reached(l),
            sql.reached(l),
            last_won.map(|h| h.at),
            config,
        );
    }

    /// Counts lead `l`, which reached mql and sql when given, and was last moved to won
    /// at `last_won`.
    fn counted(
        &mut self,
        l: &Lead,
        mql_at: Option<Instant>,
        sql_at: Option<Instant>,
        last_won: Option<Instant>,
        config: &Config,
    ) {
        let within = |t: Option<Instant>| t.is_some_and(|t| t >= self.since && t <= self.now);
        self.mqls += usize::from(within(mql_at));
        self.sqls += usize::from(within(sql_at));
        if l.stage == config.pipeline.won && within(last_won) {
            let currency = l.currency.as_deref().unwrap_or(&config.team.currency);
            self.won.push((l.value, currency.to_string()));
        }
    }

    fn funnel(&self, goal: &Goal, remaining: f64, config: &Config) -> Funnel {
        let (mqls, sqls) = (self.mqls, self.sqls);
        let currency = goal
            .currency
            .clone()
            .unwrap_or_else(|| config.team.currency.clone());
        let valued: Vec<f64> = self
            .won
            .iter()
            .filter(|(_, c)| *c == currency)
            .filter_map(|(v, _)| *v)
            .collect();
        let won = self.won.len();
        if won < FUNNEL_MIN_DEALS || valued.is_empty() || mqls == 0 || sqls == 0 {
            return Funnel::TooLittleHistory {
                reason: format!(
                    "{} deal{} won, {sqls} SQL{}, {mqls} MQL{} in the last {FUNNEL_WINDOW_DAYS} days; an estimate needs at least {FUNNEL_MIN_DEALS} deals",
                    won,
                    crate::error::plural(won),
                    crate::error::plural(sqls),
                    crate::error::plural(mqls)
                ),
            };
        }
        let mql_to_sql = (sqls as f64 / mqls as f64).min(1.0);
        let sql_to_won = (won as f64 / sqls as f64).min(1.0);
        let average_deal = valued.iter().sum::<f64>() / valued.len() as f64;
        let deals_needed = (remaining.max(0.0) / average_deal).ceil();
        let sqls_needed = (deals_needed / sql_to_won).ceil();
        let mqls_needed = (sqls_needed / mql_to_sql).ceil();
        Funnel::Estimate {
            window_days: FUNNEL_WINDOW_DAYS,
            mql_to_sql,
            sql_to_won,
            average_deal,
            deals_needed: deals_needed as u64,
            sqls_needed: sqls_needed as u64,
            mqls_needed: mqls_needed as u64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_series_is_zero_not_minus_zero() {
        // A goal nobody moved yet showed "-0%" and `"percent": -0.0`.
        let empty = Series::default().value_at(Instant(5));
        assert!(empty == 0.0 && empty.is_sign_positive());
        assert_eq!(format!("{:.0}%", empty / 10.0 * 100.0), "0%");
    }

    #[test]
    fn a_series_sums_or_takes_the_latest_and_finds_its_crossing() {
        let steps = vec![
            (Instant(1), 2.0),
            (Instant(5), 3.0),
            (Instant(9), -3.0),
            (Instant(12), 4.0),
        ];
        let sum = Series::from_steps(steps.clone(), false);
        assert_eq!(sum.value_at(Instant(0)), 0.0);
        assert_eq!(sum.value_at(Instant(5)), 5.0);
        assert_eq!(sum.value_at(Instant(10)), 2.0);
        assert_eq!(sum.crossed(5.0), Some(Instant(5)));
        assert_eq!(sum.crossed(7.0), None);
        let latest = Series::from_steps(steps, true);
        assert_eq!(latest.value_at(Instant(10)), -3.0);
        assert_eq!(latest.crossed(4.0), Some(Instant(12)));
    }

    /// The series as one list sorted by time (stably), as it was before it was kept by day.
    fn one_list(steps: &[(Instant, f64)]) -> Vec<(Instant, f64)> {
        let mut sorted = steps.to_vec();
        sorted.sort_by_key(|s| s.0);
        sorted
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 256,
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// Kept by day, a series gives every value, crossing and step exactly as one sorted
        /// list summed from its start does, to the bit (steps at one moment, on one day,
        /// around midnight and before 1970 included).
        #[test]
        fn by_day_equals_one_sorted_list(
            raw in proptest::collection::vec(
                (-3i64..6, 0i64..4, -1000i64..1000, -50i32..50),
                0..60,
            ),
            probes in proptest::collection::vec((-4i64..7, -2i64..5), 1..20),
            latest: bool,
        ) {
            let at = |day: i64, near: i64| Instant(day * DAY_MS + near * 20_000_000);
            let steps: Vec<(Instant, f64)> = raw
                .iter()
                .map(|&(day, near, ms, v)| {
                    // Counts (every step 1) are kept apart from other values: both, and
                    // a day that turns from one to the other.
                    let v = if v >= 10 { 1.0 } else { f64::from(v) / 3.0 };
                    (Instant(at(day, near).0 + ms), v)
                })
                .collect();
            let list = one_list(&steps);
            let series = Series::from_steps(steps.clone(), latest);
            proptest::prop_assert_eq!(series.steps().collect::<Vec<_>>(), list.clone());
            proptest::prop_assert_eq!(series.first(), list.first().map(|s| s.0));
            let probes = probes
                .iter()
                .map(|&(day, near)| at(day, near))
                .chain(list.iter().map(|s| s.0));
            for t in probes {
                let upto = list.iter().take_while(|(s, _)| *s <= t);
                let expected = if latest {
                    upto.last().map_or(0.0, |(_, v)| *v)
                } else {
                    upto.fold(0.0, |total, (_, v)| total + v)
                };
                proptest::prop_assert_eq!(series.value_at(t).to_bits(), expected.to_bits());
            }
            for target in [0.5, 1.0, 3.0, 10.0] {
                let mut total = 0.0;
                let crossed = list.iter().find_map(|(t, v)| {
                    total = if latest { *v } else { total + v };
                    (total >= target).then_some(*t)
                });
                proptest::prop_assert_eq!(series.crossed(target), crossed);
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 256,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// Steps taken out of a series and others put in, then summed again, make the very
        /// series worked out from the steps left and added (moments shared on purpose: a
        /// few days, a few moments each).
        #[test]
        fn steps_taken_out_and_put_in_make_the_series_of_a_rebuild(
            steps in proptest::collection::vec((0i64..3, 0i64..3, 0usize..4), 0..40),
            gone in proptest::collection::vec(proptest::bool::ANY, 40),
            added in proptest::collection::vec((0i64..3, 0i64..3, 0usize..4), 0..6),
        ) {
            const VALUES: [f64; 4] = [1.0, -1.0, 2.5, 1e16];
            let at = |(day, moment, v): (i64, i64, usize)| {
                (Instant(day * DAY_MS + moment * 1000), VALUES[v])
            };
            let steps: Vec<(Instant, f64)> = steps.into_iter().map(at).collect();
            let mut series = Series::from_steps(steps.clone(), false);
            // A step goes on its own where its moment holds one value; otherwise its
            // whole moment goes with its first step (as a lead's steps leave).
            let mixed = |t: Instant| {
                let mut at = steps.iter().filter(|s| s.0 == t);
                let first = at.next().map(|s| s.1.to_bits());
                at.any(|s| Some(s.1.to_bits()) != first)
            };
            let goes = |i: usize| {
                let t = steps[i].0;
                match mixed(t) {
                    true => gone[steps.iter().position(|s| s.0 == t).unwrap_or(i)],
                    false => gone[i],
                }
            };
            let (out, kept): (Vec<_>, Vec<_>) =
                steps.iter().enumerate().partition(|(i, _)| goes(*i));
            let out: Vec<(Instant, f64)> = out.into_iter().map(|(_, s)| *s).collect();
            let kept: Vec<(Instant, f64)> = kept.into_iter().map(|(_, s)| *s).collect();
            let mut taken = true;
            for (t, values) in Series::from_steps(out, false).moments() {
                taken &= series.take_moment(t, &values);
            }
            proptest::prop_assert!(taken);
            series.resum();
            proptest::prop_assert_eq!(&series, &Series::from_steps(kept.clone(), false));
            // Put in one moment's steps at a time, as a pass of the added would give them.
            let added: Vec<(Instant, f64)> = added.into_iter().map(at).collect();
            let mut put = true;
            for (t, values) in Series::from_steps(added.clone(), false).moments() {
                put &= series.put_moment(t, &values);
            }
            if put {
                series.resum();
                let all = [kept, added].concat();
                proptest::prop_assert_eq!(&series, &Series::from_steps(all, false));
            }
        }
    }
}
