//! Reports: pure functions from a workspace snapshot and a clock to report structs, which
//! `render` turns into text, Markdown, JSON or CSV.

pub mod agenda;
pub mod alerts;
pub mod funnel;
pub mod progress;
pub mod sla;
pub mod sources;
pub mod status;
pub mod team;
pub mod wins;

use chrono::{Duration, NaiveDate, NaiveTime};
use serde::Serialize;

use crate::model::lead::Lead;
use crate::model::state::State;
use crate::model::time::{Instant, resolve_local};

/// The leads of `state`, passed one by one to what a report gathers lead by lead: the
/// ordinary source, beside a current cache's `LeadStream` (which passes them one chunk at
/// a time and keeps none). Always passes them all.
pub fn every_lead(state: &State) -> impl FnOnce(&mut dyn FnMut(&Lead)) -> bool + '_ {
    move |visit| {
        state.leads.values().for_each(|l| visit(l));
        true
    }
}

/// The fewest cases a rate, median or percentile is worked out from: over fewer, a report
/// shows "—" (JSON `null`, and `too_little_data`) rather than a number that means nothing.
pub const MIN_CASES: usize = 5;

/// How many days a report covers when `--since` is not given: the last 90 up to today.
pub const DEFAULT_DAYS: i64 = 90;

/// The days a report covers, both ends included, and the moments that bound them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    pub since: NaiveDate,
    pub until: NaiveDate,
    /// Whether `since` was the default (the last [`DEFAULT_DAYS`] days).
    pub default_since: bool,
    /// Midnight starting `since`, in the team's timezone.
    #[serde(skip)]
    pub start: Instant,
    /// Midnight after `until`.
    #[serde(skip)]
    pub end: Instant,
    /// What the report counts up to: the end of the window, or now when that is earlier.
    #[serde(skip)]
    pub as_of: Instant,
    /// The day the report counts up to: `until`, or today when that is earlier.
    #[serde(rename = "as_of")]
    pub as_of_date: NaiveDate,
}

impl Window {
    /// The window from `since` (default: [`DEFAULT_DAYS`] days up to `until`) to `until`
    /// (default: today), as of `now`.
    pub fn new(
        since: Option<NaiveDate>,
        until: Option<NaiveDate>,
        now: Instant,
        tz: chrono_tz::Tz,
    ) -> Window {
        let until = until.unwrap_or_else(|| now.date_in(tz));
        let default_since = since.is_none();
        let since = since.unwrap_or(until - Duration::days(DEFAULT_DAYS - 1));
        let midnight = |d: NaiveDate| resolve_local(d.and_time(NaiveTime::MIN), tz);
        let start = midnight(since);
        let end = midnight(until + Duration::days(1));
        Window {
            since,
            until,
            default_since,
            start,
            end,
            as_of: end.min(now),
            as_of_date: until.min(now.date_in(tz)),
        }
    }

    /// Whether `t` lies in the window (and not after "now").
    pub fn contains(&self, t: Instant) -> bool {
        t >= self.start && t < self.end && t <= self.as_of
    }

    /// How many weeks the trends have: one per 7 days from `since`, the last maybe shorter.
    pub fn weeks(&self) -> usize {
        let days = (self.until - self.since).num_days() + 1;
        usize::try_from((days + 6) / 7).unwrap_or(1).max(1)
    }

    /// The week (from 0) `t` falls in, if it lies in the window.
    pub fn week(&self, t: Instant) -> Option<usize> {
        self.contains(t)
            .then(|| usize::try_from((t.0 - self.start.0) / (7 * 86_400_000)).unwrap_or(0))
            .map(|w| w.min(self.weeks() - 1))
    }

    /// "2026-09-02 to 2026-11-30 (the last 90 days)".
    pub fn describe(&self) -> String {
        let tail = if self.default_since {
            format!(" (the last {DEFAULT_DAYS} days; --since to change)")
        } else {
            String::new()
        };
        format!("{} to {}{tail}", self.since, self.until)
    }
}

/// The most weeks a sparkline in a table shows, the last ones (JSON and CSV keep every
/// week): a quarter, so the trend fits beside the numbers at 100 columns.
pub const TREND_WEEKS: usize = crate::render::spark::COMPACT;

/// The sparkline of a row's trend: its last [`TREND_WEEKS`] values.
pub fn trend(values: &[f64], unicode: bool) -> String {
    let last = &values[values.len().saturating_sub(TREND_WEEKS)..];
    crate::render::spark::sparkline(last, unicode)
}

/// `part / whole`, or `None` when `whole` is under [`MIN_CASES`].
pub fn rate(part: usize, whole: usize) -> Option<f64> {
    (whole >= MIN_CASES).then(|| part as f64 / whole as f64)
}

/// The median of `values`, or `None` under [`MIN_CASES`] values (even counts average the
/// two middle values).
pub fn median(values: &[f64]) -> Option<f64> {
    if values.len() < MIN_CASES {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    Some(if v.len().is_multiple_of(2) {
        (v[mid - 1] + v[mid]) / 2.0
    } else {
        v[mid]
    })
}

/// The `p`th percentile of `values` by nearest rank (the smallest value with at least `p`%
/// of values at or below it), or `None` under [`MIN_CASES`] values.
pub fn percentile(values: &[f64], p: f64) -> Option<f64> {
    if values.len() < MIN_CASES {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
    Some(v[rank.clamp(1, v.len()) - 1])
}

/// A rate as a cell: `42%`, or `—` when there is too little data.
pub fn percent_cell(rate: Option<f64>) -> String {
    rate.map_or_else(|| NO_DATA.to_string(), |r| format!("{:.0}%", r * 100.0))
}

/// What a cell shows for a rate or median over too few cases.
pub const NO_DATA: &str = "—";

/// The footnote under a table that shows [`NO_DATA`].
pub fn no_data_note() -> String {
    format!(
        "{NO_DATA} too little data: a rate, median or percentile needs at least {MIN_CASES} cases"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_percentiles_need_enough_cases() {
        assert_eq!(median(&[1.0, 2.0, 3.0, 4.0]), None);
        assert_eq!(median(&[5.0, 1.0, 3.0, 2.0, 4.0]), Some(3.0));
        assert_eq!(median(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]), Some(3.5));
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(percentile(&ten, 90.0), Some(9.0));
        assert_eq!(percentile(&ten[..5], 90.0), Some(5.0));
        assert_eq!(rate(1, 4), None);
        assert_eq!(rate(1, 5), Some(0.2));
    }

    #[test]
    fn the_default_window_is_the_last_90_days_with_weeks() {
        let tz = chrono_tz::Europe::Berlin;
        let now = crate::model::time::parse_moment("2026-11-30", tz).unwrap_or_default();
        let w = Window::new(None, None, now, tz);
        assert_eq!(w.since.to_string(), "2026-09-02");
        assert_eq!(w.weeks(), 13);
        assert_eq!(w.week(w.start), Some(0));
        assert_eq!(w.week(now), Some(12));
        assert!(!w.contains(now.plus_millis(1)));
    }
}
