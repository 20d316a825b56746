//! Business time: the handoff SLA clocks only run on workdays, inside working hours, and
//! not on holidays, in the team's timezone. DST-safe: each day's window is resolved from
//! local wall-clock times, so a 23- or 25-hour day counts its real working hours.

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

/// Business milliseconds between `from` and `to` (zero when `to` is not after `from`).
pub fn business_millis(
    from: Instant,
    to: Instant,
    hours: &BusinessHours,
    tz: chrono_tz::Tz,
) -> i64 {
    if to <= from {
        return 0;
    }
    let first = from.date_in(tz);
    let last = to.date_in(tz);
    let mut total = 0;
    let mut date = first;
    let mut days = 0;
    while date <= last && days < HORIZON_DAYS {
        if let Some((start, end)) = window(date, hours, tz) {
            let lo = start.max(from);
            let hi = end.min(to);
            if hi > lo {
                total += hi.0 - lo.0;
            }
        }
        date += Duration::days(1);
        days += 1;
    }
    total
}

/// The moment `budget_hours` of business time after `from` have passed.
pub fn deadline(
    from: Instant,
    budget_hours: u32,
    hours: &BusinessHours,
    tz: chrono_tz::Tz,
) -> Instant {
    let mut left = i64::from(budget_hours) * 3_600_000;
    let mut date = from.date_in(tz);
    for _ in 0..HORIZON_DAYS {
        if let Some((start, end)) = window(date, hours, tz) {
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
        hours: &BusinessHours,
        tz: chrono_tz::Tz,
    ) -> Clock {
        let end = stop.unwrap_or(now);
        Clock {
            elapsed: business_millis(start, end, hours, tz),
            limit: i64::from(limit_hours) * 3_600_000,
            due: deadline(start, limit_hours, hours, tz),
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
    fn a_clock_breaches_only_past_its_limit() {
        let tz = chrono_tz::UTC;
        let bh = BusinessHours::default();
        let start = at("2026-11-23T09:00", tz);
        let open = Clock::new(start, None, at("2026-11-23T13:00", tz), 4, &bh, tz);
        assert!(!open.breached() && !open.stopped);
        let late = Clock::new(start, None, at("2026-11-23T13:01", tz), 4, &bh, tz);
        assert!(late.breached());
        let stopped = Clock::new(
            start,
            Some(at("2026-11-23T10:00", tz)),
            at("2026-11-30T10:00", tz),
            4,
            &bh,
            tz,
        );
        assert!(!stopped.breached() && stopped.stopped);
        assert_eq!(human(stopped.elapsed), "1h");
        assert_eq!(human(150 * 60_000), "2h 30m");
    }
}
