//! The progress report: per goal the target, actual, pace, status, projection, the run-rate
//! still needed, the change since the last meeting, and for revenue goals the funnel.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::config::Config;
use crate::model::goal::{AT_RISK, Goal, Metric, ON_TRACK, Status, pace};
use crate::model::metrics::{Funnel, Metrics, Series, period};
use crate::model::state::State;
use crate::model::time::{Instant, resolve_local};

#[derive(Debug, Clone, Serialize)]
pub struct Progress {
    pub today: NaiveDate,
    /// When the last meeting was (or the previous cadence date): "change" counts from it.
    pub since: String,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub goal: String,
    pub title: String,
    pub metric: &'static str,
    pub unit: Option<String>,
    pub currency: Option<String>,
    pub target: f64,
    pub actual: f64,
    pub percent: f64,
    /// A level, not a count: a manual goal that takes its latest check-in (an NPS, a
    /// satisfaction score). A level does not grow from 0 over the period, so it has no
    /// pace: `expected`, `projected` and `needed_per_week` are `null`, the chart shows the
    /// check-ins against the target, and the status compares the latest check-in with the
    /// target itself (done at it; on-track from 95% of it, at-risk from 75%, behind below
    /// or when the period ended short).
    pub level: bool,
    /// What the linear pace expects by now; `null` for a level.
    pub expected: Option<f64>,
    pub status: &'static str,
    /// The actual at the period's end if the pace so far holds; `null` for a level.
    pub projected: Option<f64>,
    pub needed_per_week: Option<f64>,
    pub change: f64,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub owner: Option<String>,
    pub credit: Vec<String>,
    /// Revenue goals: leads won in another currency, not counted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_counted: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub funnel: Option<FunnelView>,
    /// When the target was reached, if it was.
    pub reached: Option<String>,
    /// The actual at the end of each week of the period so far, the last value now's
    /// (empty before the period starts): the trend a sparkline shows. A level has no value
    /// before its first check-in: those weeks are `null`.
    pub weekly: Vec<f64>,
    /// The burn-up: the actual from the period's start to now as (share of the period
    /// elapsed, 0 to 1; value), in time order, one point per change (at most `BURN_POINTS`).
    /// A level's starts at its first check-in (or the one in force at the start).
    #[serde(skip)]
    pub burn: Vec<(f64, f64)>,
    /// Share of the period elapsed now, 0 to 1.
    #[serde(skip)]
    pub elapsed: f64,
    /// Share of the period elapsed at the last meeting, when it fell inside the period
    /// before now.
    #[serde(skip)]
    pub since_elapsed: Option<f64>,
}

impl Row {
    /// A value in the goal's terms: money for revenue, a number (and unit) otherwise; money
    /// to the whole unit, counts to one decimal (a progress table is not a ledger).
    pub fn show(&self, v: f64) -> String {
        let text = match &self.currency {
            Some(c) => crate::render::money(v.round(), c),
            None => crate::render::number((v * 10.0).round() / 10.0),
        };
        match &self.unit {
            Some(u) => format!("{text} {u}"),
            None => text,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum FunnelView {
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
        too_little_history: String,
    },
}

/// Which goals a report covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// Goals whose period includes today.
    Current,
    /// Goals whose period overlaps these days.
    Range(NaiveDate, NaiveDate),
    /// Every goal.
    All,
}

/// When the last meeting started before `now`: the latest recorded meeting, else the
/// previous meeting date by the cadence, else a week ago.
pub fn last_meeting(state: &State, config: &Config, tz: chrono_tz::Tz, now: Instant) -> Instant {
    let start = |date: NaiveDate| resolve_local(date.and_time(config.meeting.time.0), tz);
    let recorded = state
        .meetings
        .values()
        .map(|m| start(m.date))
        .filter(|t| *t < now)
        .max();
    let today = now.date_in(tz);
    let by_cadence = if crate::model::cadence::is_meeting_day(config, today) && start(today) < now {
        Some(start(today))
    } else {
        crate::model::cadence::previous(config, today).map(start)
    };
    recorded
        .or(by_cadence)
        .unwrap_or_else(|| now.plus_millis(-7 * 86_400_000))
}

pub fn build(
    metrics: &Metrics,
    now: Instant,
    since: Instant,
    which: Period,
    only: Option<&str>,
) -> Progress {
    let (state, tz) = (metrics.state(), metrics.tz());
    let today = now.date_in(tz);
    let mut goals: Vec<&Goal> = state
        .goals
        .values()
        .filter(|g| match only {
            Some(id) => g.id == id,
            None => match which {
                Period::Current => g.from <= today && today <= g.to,
                Period::Range(from, to) => g.from <= to && from <= g.to,
                Period::All => true,
            },
        })
        .collect();
    goals.sort_by(|a, b| (a.to, &a.id).cmp(&(b.to, &b.id)));
    let rows = goals.iter().map(|g| row(g, metrics, now, since)).collect();
    Progress {
        today,
        since: since.to_toml(tz),
        rows,
    }
}

fn row(g: &Goal, metrics: &Metrics, now: Instant, since: Instant) -> Row {
    let (config, tz) = (metrics.config(), metrics.tz());
    let s = metrics.series(g);
    let (start, end) = period(g, tz);
    let actual = s.value_at(now);
    let p = pace(g.target, actual, start, end, now);
    let level = g.metric == Metric::Manual && !g.sum;
    let share =
        |t: Instant| ((t.0 - start.0) as f64 / (end.0 - start.0).max(1) as f64).clamp(0.0, 1.0);
    let since_elapsed = Some(share(since)).filter(|s| *s < p.elapsed);
    let currency = (g.metric == Metric::Revenue).then(|| {
        g.currency
            .clone()
            .unwrap_or_else(|| config.team.currency.clone())
    });
    let funnel = (g.metric == Metric::Revenue && now < end).then(|| {
        match metrics.funnel(g, g.target - actual, now) {
            Funnel::Estimate {
                window_days,
                mql_to_sql,
                sql_to_won,
                average_deal,
                deals_needed,
                sqls_needed,
                mqls_needed,
            } => FunnelView::Estimate {
                window_days,
                mql_to_sql: round2(mql_to_sql),
                sql_to_won: round2(sql_to_won),
                average_deal: round2(average_deal),
                deals_needed,
                sqls_needed,
                mqls_needed,
            },
            Funnel::TooLittleHistory { reason } => FunnelView::TooLittleHistory {
                too_little_history: reason,
            },
        }
    });
    Row {
        goal: g.id.clone(),
        title: g.title.clone(),
        metric: g.metric.as_str(),
        unit: g.unit.clone(),
        currency,
        target: g.target,
        actual,
        percent: round2(p.percent),
        level,
        expected: (!level).then_some(round2(p.expected)),
        status: if level {
            level_status(g.target, actual, now >= end).as_str()
        } else {
            p.status.as_str()
        },
        projected: (!level).then_some(round2(p.projected)),
        needed_per_week: p.needed_per_week.filter(|_| !level).map(round2),
        change: round2(actual - s.value_at(since)),
        from: g.from,
        to: g.to,
        owner: g.owner.clone(),
        credit: g.credit.clone(),
        not_counted: s.other_currency.clone(),
        funnel,
        reached: s
            .crossed(g.target)
            .filter(|t| *t <= now)
            .map(|t| t.to_toml(tz)),
        weekly: weekly(&s, start, end, now),
        burn: burn(&s, start, end, now, level),
        elapsed: p.elapsed,
        since_elapsed,
    }
}

/// A level's status: the latest check-in against the target itself, with the thresholds
/// a pace uses against what it expects by now (a level is to be held, not grown from 0).
fn level_status(target: f64, actual: f64, ended: bool) -> Status {
    if actual >= target {
        Status::Done
    } else if ended || actual < target * AT_RISK {
        Status::Behind
    } else if actual >= target * ON_TRACK {
        Status::OnTrack
    } else {
        Status::AtRisk
    }
}

const WEEK_MS: i64 = 7 * 86_400_000;

/// The most points a burn-up keeps: a change a day over a year, and bounded for a goal
/// with thousands of deals.
pub const BURN_POINTS: usize = 400;

/// The actual at the end of each week since `start`, the last one at `now` (or the
/// period's end); empty before the period starts.
fn weekly(s: &Series, start: Instant, end: Instant, now: Instant) -> Vec<f64> {
    let upto = if now < end { now } else { end };
    if upto <= start {
        return Vec::new();
    }
    // A level has no value before its first check-in (NaN, JSON `null`, a gap in the
    // sparkline), where a count is 0.
    let value = |t: Instant| {
        if s.latest && s.first().is_none_or(|first| first > t) {
            f64::NAN
        } else {
            round2(s.value_at(t))
        }
    };
    let mut out = Vec::new();
    let mut t = start.plus_millis(WEEK_MS);
    while t < upto {
        out.push(value(t));
        t = t.plus_millis(WEEK_MS);
    }
    out.push(value(upto));
    out
}

/// The actual after each change from the period's start to now, as (share elapsed, value):
/// one point at the start, one per moment the value changed, one now; thinned to
/// `BURN_POINTS` (keeping the last) when there are more. A level (`level`) has no value
/// before its first check-in: its points start there.
fn burn(s: &Series, start: Instant, end: Instant, now: Instant, level: bool) -> Vec<(f64, f64)> {
    let upto = if now < end { now } else { end };
    if upto < start {
        return Vec::new();
    }
    let length = (end.0 - start.0).max(1) as f64;
    let share = |t: Instant| ((t.0 - start.0) as f64 / length).clamp(0.0, 1.0);
    let before_any = s.first().is_none_or(|first| first > start);
    let mut points = if level && before_any {
        Vec::new()
    } else {
        vec![(0.0, round2(s.value_at(start)))]
    };
    let mut value = points.first().map_or(0.0, |p| p.1);
    let mut changes = s
        .steps()
        .filter(|(t, _)| *t > start && *t <= upto)
        .peekable();
    while let Some((t, v)) = changes.next() {
        value = if s.latest { v } else { value + v };
        // Several changes at one moment make one point.
        if changes.peek().is_some_and(|(next, _)| *next == t) {
            continue;
        }
        points.push((share(t), round2(value)));
    }
    if !(level && points.is_empty()) {
        points.push((share(upto), round2(s.value_at(upto))));
    }
    if points.len() > BURN_POINTS {
        let every = points.len().div_ceil(BURN_POINTS - 1);
        let last = points[points.len() - 1];
        points = points.into_iter().step_by(every).collect();
        points.push(last);
    }
    points
}

/// Two decimals are plenty for people and keep JSON free of float noise.
fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}
