//! A timezone's changes of UTC offset, read from the tz database (chrono-tz) and gathered
//! into yearly rules: what a calendar's VTIMEZONE says (RFC 5545 3.6.5), made from the same
//! data the rest of growth uses, never written by hand.

use chrono::{DateTime, Datelike, Duration, NaiveDateTime, Offset, TimeZone, Utc, Weekday};
use chrono_tz::{OffsetComponents, OffsetName, Tz};

/// The offset in effect at one moment: seconds east of UTC, daylight saving or not, and
/// its abbreviation (`CET`, `CEST`) when the database has one.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Clock {
    offset: i32,
    daylight: bool,
    name: Option<String>,
}

fn clock(tz: Tz, at: DateTime<Utc>) -> Clock {
    let o = tz.offset_from_utc_datetime(&at.naive_utc());
    Clock {
        offset: o.fix().local_minus_utc(),
        daylight: !o.dst_offset().is_zero(),
        name: o.abbreviation().map(str::to_string),
    }
}

/// One change of offset.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Change {
    /// The first second on the new clock.
    at: DateTime<Utc>,
    from: Clock,
    to: Clock,
}

/// Every change of offset in `[from, to)`, to the second: a day-by-day walk, then a binary
/// search inside the day that changed.
fn changes(tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Change> {
    let mut out = Vec::new();
    let mut day = from;
    let mut before = clock(tz, day);
    while day < to {
        let next = day + Duration::days(1);
        let after = clock(tz, next);
        if after != before {
            // In whole seconds, as the database keeps them.
            let at = |s: i64| DateTime::from_timestamp(s, 0).unwrap_or(next);
            let (mut lo, mut hi) = (day.timestamp(), next.timestamp());
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if clock(tz, at(mid)) == before {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            out.push(Change {
                at: at(hi),
                from: before,
                to: after.clone(),
            });
        }
        before = after;
        day = next;
    }
    out
}

/// "The last Sunday of March" (`week` -1) or "the second Sunday of March" (`week` 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearlyRule {
    pub month: u32,
    pub weekday: Weekday,
    pub week: i8,
}

impl YearlyRule {
    fn of(date: chrono::NaiveDate) -> YearlyRule {
        let days_in_month = (28..=31)
            .rev()
            .find(|d| date.with_day(*d).is_some())
            .unwrap_or(28);
        let week = if date.day() + 7 > days_in_month {
            -1
        } else {
            i8::try_from((date.day() - 1) / 7 + 1).unwrap_or(1)
        };
        YearlyRule {
            month: date.month(),
            weekday: date.weekday(),
            week,
        }
    }
}

/// A STANDARD or DAYLIGHT sub-component: from `start` (the local time on the old clock) on,
/// the clock reads `offset_to`; once, or every year by `rule` (until `until`, or for good).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observance {
    pub daylight: bool,
    pub name: Option<String>,
    pub offset_from: i32,
    pub offset_to: i32,
    pub start: NaiveDateTime,
    pub rule: Option<YearlyRule>,
    /// The last onset of a rule that stopped (in UTC); `None` for one still in force.
    pub until: Option<DateTime<Utc>>,
}

/// The observances that give the offset of `tz` at every moment from `from` to `to`: the
/// changes from a year before `from` on, each run of yearly changes on the same rule as one
/// observance with that rule. A run still going in the last year before `to` is taken to
/// go on for good (the database's rules do, until a government changes them). When no
/// change comes in the year before `from`, the clock then is an observance of its own.
pub fn observances(tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Observance> {
    let scan = from - Duration::days(366);
    let found = changes(tz, scan, to);
    let mut out: Vec<(Observance, i32, DateTime<Utc>)> = Vec::new();
    if found.first().is_none_or(|c| c.at > from) {
        let at = clock(tz, scan);
        let start = scan.naive_utc() + Duration::seconds(i64::from(at.offset));
        out.push((
            Observance {
                daylight: at.daylight,
                name: at.name,
                offset_from: at.offset,
                offset_to: at.offset,
                start,
                rule: None,
                until: None,
            },
            start.year(),
            scan,
        ));
    }
    for change in found {
        let local = change.at.naive_utc() + Duration::seconds(i64::from(change.from.offset));
        let rule = YearlyRule::of(local.date());
        // The run this change continues: same clocks, same rule and time of day, last year.
        let run = out.iter_mut().find(|(o, last_year, _)| {
            o.daylight == change.to.daylight
                && o.name == change.to.name
                && o.offset_from == change.from.offset
                && o.offset_to == change.to.offset
                && o.start.time() == local.time()
                && YearlyRule::of(o.start.date()) == rule
                && *last_year + 1 == local.year()
        });
        match run {
            Some((o, last_year, last_at)) => {
                o.rule = Some(rule);
                *last_year = local.year();
                *last_at = change.at;
            }
            None => out.push((
                Observance {
                    daylight: change.to.daylight,
                    name: change.to.name,
                    offset_from: change.from.offset,
                    offset_to: change.to.offset,
                    start: local,
                    rule: None,
                    until: None,
                },
                local.year(),
                change.at,
            )),
        }
    }
    out.into_iter()
        .map(|(mut o, _, last_at)| {
            if o.rule.is_some() && to - last_at > Duration::days(366) {
                o.until = Some(last_at);
            }
            o
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_default()
    }

    #[test]
    fn berlin_is_two_yearly_rules_in_force() {
        let o = observances(
            chrono_tz::Europe::Berlin,
            utc("2026-11-30T09:00:00Z"),
            utc("2032-11-30T09:00:00Z"),
        );
        assert_eq!(o.len(), 2, "{o:#?}");
        let (summer, winter) = (&o[0], &o[1]);
        assert!(summer.daylight && !winter.daylight);
        assert_eq!(summer.start.to_string(), "2026-03-29 02:00:00");
        assert_eq!(winter.start.to_string(), "2026-10-25 03:00:00");
        assert_eq!((summer.offset_from, summer.offset_to), (3600, 7200));
        assert_eq!(summer.name.as_deref(), Some("CEST"));
        let last_sunday = |month| {
            Some(YearlyRule {
                month,
                weekday: Weekday::Sun,
                week: -1,
            })
        };
        assert_eq!(
            (summer.rule, winter.rule),
            (last_sunday(3), last_sunday(10))
        );
        assert_eq!((summer.until, winter.until), (None, None));
        // Past 2037, where a 32-bit zoneinfo file ends, the rules still hold.
        let later = observances(
            chrono_tz::Europe::Berlin,
            utc("2036-11-30T09:00:00Z"),
            utc("2042-11-30T09:00:00Z"),
        );
        assert_eq!(later.len(), 2, "{later:#?}");
        assert!(later.iter().all(|o| o.rule.is_some() && o.until.is_none()));
    }

    #[test]
    fn a_rule_that_changed_ends_and_a_zone_without_changes_is_one_clock() {
        // The US moved the start of DST from April's first Sunday to March's second in 2007.
        let o = observances(
            chrono_tz::America::New_York,
            utc("2005-01-01T00:00:00Z"),
            utc("2011-01-01T00:00:00Z"),
        );
        let spring: Vec<_> = o.iter().filter(|o| o.daylight).collect();
        assert_eq!(spring.len(), 2, "{o:#?}");
        assert_eq!(spring[0].until, Some(utc("2006-04-02T07:00:00Z")));
        assert_eq!(spring[1].rule.map(|r| (r.month, r.week)), Some((3, 2)));
        let tokyo = observances(
            chrono_tz::Asia::Tokyo,
            utc("2026-01-01T00:00:00Z"),
            utc("2030-01-01T00:00:00Z"),
        );
        assert_eq!(tokyo.len(), 1);
        assert_eq!((tokyo[0].offset_from, tokyo[0].offset_to), (32400, 32400));
    }
}
