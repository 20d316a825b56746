//! Business time: the handoff SLA clocks only run on workdays, inside working hours, and
//! not on holidays, in the team's timezone. DST-safe: each day's window is resolved from
//! local wall-clock times, so a 23- or 25-hour day counts its real working hours.

use std::cell::RefCell;

use chrono::{Datelike, Duration, NaiveDate};

use crate::model::config::BusinessHours;
use crate::model::time::{Instant, resolve_local};

/// How far ahead (in days) the SLA maths looks before giving up: absurd ranges stay cheap.
const HORIZON_DAYS: i64 = 3660;

/// The working window of `date` as instants, or `None` on a day off.
fn window(date: NaiveDate, hours: &BusinessHours, tz: chrono_tz::Tz) -> Option<(Instant, Instant)> {
    let workday = hours.workdays.iter().any(|w| w.0 == date.weekday());
    let holiday = hours.holidays.iter().any(|h| h.0 == date);
    if !workday || holiday {
        return None;
    }
    let start = resolve_local(date.and_time(hours.start.0), tz);
    let end = resolve_local(date.and_time(hours.end.0), tz);
    (start < end).then_some((start, end))
}

/// The team's working days with running totals, so a clock over two years costs the same
/// as one over two hours: each day's window is worked out once per command.
#[derive(Debug)]
pub struct Calendar<'a> {
    hours: &'a BusinessHours,
    tz: chrono_tz::Tz,
    days: RefCell<Days>,
}

#[derive(Debug, Default)]
struct Days {
    start: Option<NaiveDate>,
    windows: Vec<Option<(Instant, Instant)>>,
    /// `prefix[i]` is the business time of the days before `start + i`.
    prefix: Vec<i64>,
}

impl<'a> Calendar<'a> {
    pub fn new(hours: &'a BusinessHours, tz: chrono_tz::Tz) -> Self {
        Calendar {
            hours,
            tz,
            days: RefCell::new(Days::default()),
        }
    }

    /// Makes sure the days `a..=b` are known, keeping at most `HORIZON_DAYS`.
    fn cover(&self, a: NaiveDate, b: NaiveDate) {
        let mut days = self.days.borrow_mut();
        let (lo, hi) = match days.start {
            Some(start) => {
                let end = start + Duration::days(days.windows.len() as i64 - 1);
                if a >= start && b <= end {
                    return;
                }
                (a.min(start), b.max(end))
            }
            None => (a, b),
        };
        let hi = hi.min(lo + Duration::days(HORIZON_DAYS));
        let mut windows = Vec::new();
        let mut prefix = vec![0];
        let mut date = lo;
        while date <= hi {
            let w = window(date, self.hours, self.tz);
            let len = w.map_or(0, |(s, e)| e.0 - s.0);
            prefix.push(prefix[prefix.len() - 1] + len);
            windows.push(w);
            date += Duration::days(1);
        }
        *days = Days {
            start: Some(lo),
            windows,
            prefix,
        };
    }

    fn window(&self, date: NaiveDate) -> Option<(Instant, Instant)> {
        self.cover(date, date);
        let days = self.days.borrow();
        let i = days.start.map(|s| (date - s).num_days())?;
        usize::try_from(i)
            .ok()
            .and_then(|i| days.windows.get(i).copied())
            .flatten()
    }

    /// Business time of the whole days `a..b`.
    fn whole_days(&self, a: NaiveDate, b: NaiveDate) -> i64 {
        if b <= a {
            return 0;
        }
        self.cover(a, b);
        let days = self.days.borrow();
        let Some(start) = days.start else { return 0 };
        let index = |d: NaiveDate| {
            usize::try_from((d - start).num_days())
                .unwrap_or(0)
                .min(days.prefix.len() - 1)
        };
        days.prefix[index(b)] - days.prefix[index(a)]
    }

    /// Business milliseconds between `from` and `to` (zero when `to` is not after `from`).
    pub fn business_millis(&self, from: Instant, to: Instant) -> i64 {
        if to <= from {
            return 0;
        }
        let (first, last) = (from.date_in(self.tz), to.date_in(self.tz));
        let overlap = |date: NaiveDate| {
            self.window(date).map_or(0, |(start, end)| {
                let (lo, hi) = (start.max(from), end.min(to));
                (hi.0 - lo.0).max(0)
            })
        };
        if first == last {
            return overlap(first);
        }
        overlap(first) + self.whole_days(first + Duration::days(1), last) + overlap(last)
    }

    /// The moment `budget_hours` of business time after `from` have passed.
    pub fn deadline(&self, from: Instant, budget_hours: u32) -> Instant {
        let mut left = i64::from(budget_hours) * 3_600_000;
        let mut date = from.date_in(self.tz);
        for _ in 0..HORIZON_DAYS {
            if let Some((start, end)) = self.window(date) {
                let lo = start.max(from);
                if end > lo {
                    let span = end.0 - lo.0;
                    if span >= left {
                        return lo.plus_millis(left);
                    }
                    left -= span;
                }
            }
            date += Duration::days(1);
        }
        from.plus_millis(i64::from(budget_hours) * 3_600_000)
    }
}

/// Business milliseconds between `from` and `to`; see [`Calendar`] for many at once.
pub fn business_millis(
    from: Instant,
    to: Instant,
    hours: &BusinessHours,
    tz: chrono_tz::Tz,
) -> i64 {
    Calendar::new(hours, tz).business_millis(from, to)
}

/// The moment `budget_hours` of business time after `from` have passed.
pub fn deadline(
    from: Instant,
    budget_hours: u32,
    hours: &BusinessHours,
    tz: chrono_tz::Tz,
) -> Instant {
    Calendar::new(hours, tz).deadline(from, budget_hours)
}

/// One SLA clock of a handoff: how much business time it has run, against its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    /// Business milliseconds from the handoff to the event, or to now while it is open.
    pub elapsed: i64,
    pub limit: i64,
    /// When the clock runs out.
    pub due: Instant,
    /// Whether the event (acceptance or first contact) happened.
    pub stopped: bool,
}

impl Clock {
    /// The clock from `start` until `stop` (or `now` while still running).
    pub fn new(
        start: Instant,
        stop: Option<Instant>,
        now: Instant,
        limit_hours: u32,
        cal: &Calendar<'_>,
    ) -> Clock {
        let end = stop.unwrap_or(now);
        Clock {
            elapsed: cal.business_millis(start, end),
            limit: i64::from(limit_hours) * 3_600_000,
            due: cal.deadline(start, limit_hours),
            stopped: stop.is_some(),
        }
    }

    pub fn breached(&self) -> bool {
        self.elapsed > self.limit
    }
}

/// `2h 30m` style, for tables.
pub fn human(millis: i64) -> String {
    let minutes = millis / 60_000;
    let (h, m) = (minutes / 60, minutes % 60);
    match (h, m) {
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h {m:02}m"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::time::{Date, parse_moment};

    fn at(text: &str, tz: chrono_tz::Tz) -> Instant {
        parse_moment(text, tz).unwrap_or_default()
    }

    fn hours_with_holiday() -> BusinessHours {
        BusinessHours {
            holidays: vec![Date(
                NaiveDate::from_ymd_opt(2026, 12, 25).unwrap_or_default(),
            )],
            ..BusinessHours::default()
        }
    }

    #[test]
    fn business_hours_between_two_moments() {
        let tz = chrono_tz::Europe::Berlin;
        let bh = hours_with_holiday();
        let cases: &[(&str, &str, &str, i64)] = &[
            ("same morning", "2026-11-23T09:00", "2026-11-23T11:30", 150),
            (
                "before opening counts from 9",
                "2026-11-23T07:00",
                "2026-11-23T10:00",
                60,
            ),
            (
                "after closing counts nothing",
                "2026-11-23T18:00",
                "2026-11-23T23:00",
                0,
            ),
            ("overnight", "2026-11-23T16:00", "2026-11-24T10:00", 120),
            (
                "over a weekend",
                "2026-11-27T16:00",
                "2026-11-30T10:00",
                120,
            ),
            ("all weekend", "2026-11-28T09:00", "2026-11-29T17:00", 0),
            (
                "over a holiday",
                "2026-12-24T16:00",
                "2026-12-28T10:00",
                120,
            ),
            (
                "a full week",
                "2026-11-23T09:00",
                "2026-11-30T09:00",
                5 * 8 * 60,
            ),
            (
                "backwards is zero",
                "2026-11-24T10:00",
                "2026-11-23T10:00",
                0,
            ),
        ];
        for (name, from, to, minutes) in cases {
            let got = business_millis(at(from, tz), at(to, tz), &bh, tz) / 60_000;
            assert_eq!(got, *minutes, "{name}");
        }
    }

    #[test]
    fn business_hours_across_dst_changes_in_new_york() {
        let tz = chrono_tz::America::New_York;
        // A team working around the clock every day, so the DST Sundays count in full.
        let mut workdays = crate::model::time::Weekday::workweek();
        workdays
            .extend([chrono::Weekday::Sat, chrono::Weekday::Sun].map(crate::model::time::Weekday));
        let bh = BusinessHours {
            workdays,
            start: crate::model::time::LocalTime::hm(0, 0),
            end: crate::model::time::LocalTime::hm(23, 59),
            holidays: Vec::new(),
        };
        // 2026-03-08: clocks jump from 02:00 to 03:00, the day has 23 hours.
        let spring = business_millis(
            at("2026-03-08T00:00", tz),
            at("2026-03-08T12:00", tz),
            &bh,
            tz,
        );
        assert_eq!(spring / 60_000, 11 * 60);
        // 2026-11-01: clocks fall back from 02:00 to 01:00, the day has 25 hours.
        let fall = business_millis(
            at("2026-11-01T00:00", tz),
            at("2026-11-01T12:00", tz),
            &bh,
            tz,
        );
        assert_eq!(fall / 60_000, 13 * 60);
    }

    #[test]
    fn deadlines_skip_nights_weekends_and_holidays() {
        let tz = chrono_tz::Europe::Berlin;
        let bh = hours_with_holiday();
        let cases: &[(&str, u32, &str)] = &[
            ("2026-11-23T10:00", 4, "2026-11-23T14:00:00+01:00"),
            ("2026-11-23T15:00", 4, "2026-11-24T11:00:00+01:00"),
            ("2026-11-27T15:00", 4, "2026-11-30T11:00:00+01:00"),
            ("2026-11-28T12:00", 8, "2026-11-30T17:00:00+01:00"),
            ("2026-12-24T15:00", 4, "2026-12-28T11:00:00+01:00"),
            ("2026-11-23T20:00", 1, "2026-11-24T10:00:00+01:00"),
        ];
        for (from, hours, due) in cases {
            assert_eq!(
                deadline(at(from, tz), *hours, &bh, tz).to_toml(tz),
                *due,
                "from {from} + {hours}h"
            );
        }
    }

    #[test]
    fn one_calendar_answers_many_clocks_like_separate_ones() {
        let tz = chrono_tz::Europe::Berlin;
        let bh = hours_with_holiday();
        let cal = Calendar::new(&bh, tz);
        let starts = [
            "2026-10-20T10:00",
            "2026-12-24T16:00",
            "2025-03-28T11:00",
            "2026-11-27T16:30",
        ];
        let ends = [
            "2026-11-30T10:00",
            "2027-01-04T09:30",
            "2026-03-31T12:00",
            "2030-01-01T12:00",
        ];
        for (from, to) in starts.iter().zip(ends) {
            let (from, to) = (at(from, tz), at(to, tz));
            let mut slow = 0;
            let mut date = from.date_in(tz);
            while date <= to.date_in(tz) {
                if let Some((s, e)) = window(date, &bh, tz) {
                    slow += (e.min(to).0 - s.max(from).0).max(0);
                }
                date += Duration::days(1);
            }
            assert_eq!(cal.business_millis(from, to), slow);
        }
    }

    #[test]
    fn a_clock_breaches_only_past_its_limit() {
        let tz = chrono_tz::UTC;
        let bh = BusinessHours::default();
        let start = at("2026-11-23T09:00", tz);
        let open = Clock::new(
            start,
            None,
            at("2026-11-23T13:00", tz),
            4,
            &Calendar::new(&bh, tz),
        );
        assert!(!open.breached() && !open.stopped);
        let late = Clock::new(
            start,
            None,
            at("2026-11-23T13:01", tz),
            4,
            &Calendar::new(&bh, tz),
        );
        assert!(late.breached());
        let stopped = Clock::new(
            start,
            Some(at("2026-11-23T10:00", tz)),
            at("2026-11-30T10:00", tz),
            4,
            &Calendar::new(&bh, tz),
        );
        assert!(!stopped.breached() && stopped.stopped);
        assert_eq!(human(stopped.elapsed), "1h");
        assert_eq!(human(150 * 60_000), "2h 30m");
    }
}
