//! Goals: a target for a metric over a period, crediting any departments (revenue is a
//! company-wide goal), and the pace maths behind the progress table.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::time::Instant;

/// What a goal measures. All but `Manual` are computed from the journal, so nobody types
/// numbers twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Metric {
    /// The value of leads moved to won in the period, in the goal's currency.
    Revenue,
    /// Leads moved to won.
    Deals,
    /// Leads created.
    Leads,
    /// Leads reaching the mql stage (or beyond).
    Mqls,
    /// Leads reaching the sql stage (or beyond).
    Sqls,
    /// Handoffs made.
    Handoffs,
    /// Handoffs accepted.
    Accepted,
    /// From check-ins: the latest, or their sum.
    Manual,
}

pub const METRICS: [&str; 8] = [
    "revenue", "deals", "leads", "mqls", "sqls", "handoffs", "accepted", "manual",
];

impl Metric {
    pub fn parse(text: &str) -> Option<Metric> {
        Some(match text {
            "revenue" => Metric::Revenue,
            "deals" => Metric::Deals,
            "leads" => Metric::Leads,
            "mqls" => Metric::Mqls,
            "sqls" => Metric::Sqls,
            "handoffs" => Metric::Handoffs,
            "accepted" => Metric::Accepted,
            "manual" => Metric::Manual,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        METRICS[self as usize]
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Goal {
    pub id: String,
    pub title: String,
    pub metric: Metric,
    pub target: f64,
    pub unit: Option<String>,
    /// First and last day of the period, in the team's timezone.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub owner: Option<String>,
    /// Departments credited when it is reached (any: marketing, sales, hr...).
    pub credit: Vec<String>,
    /// For revenue goals; other currencies are never mixed in.
    pub currency: Option<String>,
    /// For manual goals: add the check-ins up instead of taking the latest.
    pub sum: bool,
    pub checkins: Vec<Checkin>,
    pub created: Instant,
    pub created_by: String,
    /// Out of progress tables and the agenda (`goal archive`).
    #[serde(default)]
    pub archived: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checkin {
    pub entry: crate::model::causal::EntryId,
    pub at: Instant,
    pub by: String,
    pub value: f64,
    pub note: Option<String>,
}

/// Where a goal stands. Thresholds: `done` once the actual reaches the target;
/// `on-track` at 95% or more of the pace expected by now; `at-risk` from 75%; `behind`
/// below that, or when the period ended short of the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Done,
    OnTrack,
    AtRisk,
    Behind,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::OnTrack => "on-track",
            Status::AtRisk => "at-risk",
            Status::Behind => "behind",
        }
    }
}

pub const ON_TRACK: f64 = 0.95;
pub const AT_RISK: f64 = 0.75;

/// The pace of a goal at a moment: what was expected by now, where it is heading.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pace {
    /// Share of the period elapsed, 0 to 1.
    pub elapsed: f64,
    pub expected: f64,
    pub percent: f64,
    pub status: Status,
    /// The actual at the end of the period if the pace so far holds.
    pub projected: f64,
    /// What is still needed per week to reach the target; `None` once the period is over
    /// or the target is reached.
    pub needed_per_week: Option<f64>,
}

/// Linear pace over `[start, end)` at `now`.
pub fn pace(target: f64, actual: f64, start: Instant, end: Instant, now: Instant) -> Pace {
    let length = (end.0 - start.0).max(1) as f64;
    let elapsed = ((now.0 - start.0) as f64 / length).clamp(0.0, 1.0);
    let expected = target * elapsed;
    let percent = if target > 0.0 {
        actual / target * 100.0
    } else {
        100.0
    };
    let status = if actual >= target {
        Status::Done
    } else if now >= end {
        Status::Behind
    } else if elapsed == 0.0 || actual >= expected * ON_TRACK {
        Status::OnTrack
    } else if actual >= expected * AT_RISK {
        Status::AtRisk
    } else {
        Status::Behind
    };
    let projected = if elapsed > 0.0 && now < end {
        actual / elapsed
    } else {
        actual
    };
    let weeks_left = (end.0 - now.0.max(start.0)) as f64 / (7.0 * 86_400_000.0);
    let needed_per_week =
        (actual < target && weeks_left > 0.0).then(|| (target - actual) / weeks_left);
    Pace {
        elapsed,
        expected,
        percent,
        status,
        projected,
        needed_per_week,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;

    fn at_day(d: i64) -> Instant {
        Instant(d * DAY)
    }

    #[test]
    fn pace_status_projection_and_run_rate() {
        // A 70-day period (10 weeks), target 100.
        let (start, end) = (at_day(0), at_day(70));
        type Case = (&'static str, f64, f64, i64, Status, f64, f64, Option<f64>);
        let cases: &[Case] = &[
            // name, target, actual, day, status, expected, projected, needed per week
            (
                "not started",
                100.0,
                0.0,
                -5,
                Status::OnTrack,
                0.0,
                0.0,
                Some(10.0),
            ),
            (
                "on pace",
                100.0,
                50.0,
                35,
                Status::OnTrack,
                50.0,
                100.0,
                Some(10.0),
            ),
            (
                "slightly behind is on track",
                100.0,
                48.0,
                35,
                Status::OnTrack,
                50.0,
                96.0,
                Some(10.4),
            ),
            (
                "at risk",
                100.0,
                40.0,
                35,
                Status::AtRisk,
                50.0,
                80.0,
                Some(12.0),
            ),
            (
                "behind",
                100.0,
                30.0,
                35,
                Status::Behind,
                50.0,
                60.0,
                Some(14.0),
            ),
            (
                "met early",
                100.0,
                120.0,
                35,
                Status::Done,
                50.0,
                240.0,
                None,
            ),
            (
                "ended short",
                100.0,
                90.0,
                80,
                Status::Behind,
                100.0,
                90.0,
                None,
            ),
            (
                "ended met",
                100.0,
                100.0,
                80,
                Status::Done,
                100.0,
                100.0,
                None,
            ),
            ("zero target", 0.0, 0.0, 35, Status::Done, 0.0, 0.0, None),
        ];
        for (name, target, actual, day, status, expected, projected, needed) in cases {
            let p = pace(*target, *actual, start, end, at_day(*day));
            assert_eq!(p.status, *status, "{name}");
            assert!(
                (p.expected - expected).abs() < 1e-9,
                "{name}: expected {}",
                p.expected
            );
            assert!(
                (p.projected - projected).abs() < 1e-9,
                "{name}: projected {}",
                p.projected
            );
            match (p.needed_per_week, needed) {
                (Some(a), Some(b)) => assert!((a - b).abs() < 1e-9, "{name}: needed {a}"),
                (a, b) => assert_eq!(a, *b, "{name}"),
            }
        }
        assert_eq!(pace(0.0, 0.0, start, end, at_day(1)).percent, 100.0);
        assert_eq!(pace(200.0, 50.0, start, end, at_day(1)).percent, 25.0);
    }
}
