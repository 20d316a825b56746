//! The meeting cadence: which dates the growth meeting falls on (weekday, local time,
//! every N weeks, skipped dates) in the team's timezone, and who facilitates and takes
//! notes by rotation. DST-safe: a time that does not exist moves forward to the first
//! valid minute, one that exists twice takes the first.

use chrono::{Datelike, Duration, NaiveDate};

use crate::model::config::Config;
use crate::model::time::{Instant, resolve_local};

/// Where the count of weeks starts when `growth.toml` names no first meeting: a fixed
/// Monday, so "every 2 weeks" means the same weeks on every machine.
pub const EPOCH: NaiveDate = match NaiveDate::from_ymd_opt(2024, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// One meeting by the cadence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    pub date: NaiveDate,
    pub start: Instant,
    pub minutes: u32,
    pub facilitator: Option<String>,
    pub note_taker: Option<String>,
}

/// The first date of the cadence: `meeting.first`, else the first matching weekday on or
/// after the epoch.
fn anchor(config: &Config) -> NaiveDate {
    let c = &config.meeting;
    let base = c.first.map_or(EPOCH, |d| d.0);
    let shift = (7 + c.weekday.0.num_days_from_monday() as i64
        - base.weekday().num_days_from_monday() as i64)
        % 7;
    base + Duration::days(shift)
}

/// Whether the cadence holds a meeting on `date`.
pub fn is_meeting_day(config: &Config, date: NaiveDate) -> bool {
    let c = &config.meeting;
    let first = anchor(config);
    if date < first || date.weekday() != c.weekday.0 || c.skip.iter().any(|s| s.0 == date) {
        return false;
    }
    ((date - first).num_days() / 7) % i64::from(c.every_weeks.max(1)) == 0
}

/// How many meetings were held from the anchor up to (not including) `date`: the rotation's
/// position, so skipped dates do not skip anyone's turn.
fn turn(config: &Config, date: NaiveDate) -> usize {
    let step = i64::from(config.meeting.every_weeks.max(1)) * 7;
    let first = anchor(config);
    if date <= first {
        return 0;
    }
    let slots = ((date - first).num_days() + step - 1) / step;
    let skipped = config
        .meeting
        .skip
        .iter()
        .filter(|s| s.0 >= first && s.0 < date && is_slot(config, s.0))
        .count();
    usize::try_from(slots).unwrap_or(0).saturating_sub(skipped)
}

fn is_slot(config: &Config, date: NaiveDate) -> bool {
    let c = &config.meeting;
    date.weekday() == c.weekday.0
        && ((date - anchor(config)).num_days() / 7) % i64::from(c.every_weeks.max(1)) == 0
}

/// The facilitator and note-taker of the meeting on `date`: the rotation in growth.toml,
/// or the team's leader(s) when there is none.
pub fn roles(config: &Config, date: NaiveDate) -> (Option<String>, Option<String>) {
    let rotation: Vec<String> = if config.meeting.facilitators.is_empty() {
        config
            .members
            .iter()
            .filter(|(_, m)| m.active && m.leader)
            .map(|(id, _)| id.clone())
            .collect()
    } else {
        config.meeting.facilitators.clone()
    };
    if rotation.is_empty() {
        return (None, None);
    }
    let i = turn(config, date) % rotation.len();
    let note_taker = (rotation.len() > 1).then(|| rotation[(i + 1) % rotation.len()].clone());
    (Some(rotation[i].clone()), note_taker)
}

pub fn occurrence(config: &Config, tz: chrono_tz::Tz, date: NaiveDate) -> Occurrence {
    let (facilitator, note_taker) = roles(config, date);
    Occurrence {
        date,
        start: resolve_local(date.and_time(config.meeting.time.0), tz),
        minutes: config.meeting.minutes,
        facilitator,
        note_taker,
    }
}

/// The next `count` meetings that have not ended by `now`.
pub fn upcoming(config: &Config, tz: chrono_tz::Tz, now: Instant, count: usize) -> Vec<Occurrence> {
    let mut out = Vec::new();
    let mut date = now.date_in(tz);
    // Ten years of weeks is far more than any cadence needs to find `count` meetings.
    for _ in 0..3660 {
        if out.len() >= count {
            break;
        }
        if is_meeting_day(config, date) {
            let o = occurrence(config, tz, date);
            // A meeting still running counts as next: its agenda is the one wanted.
            if o.start.plus_millis(i64::from(o.minutes) * 60_000) > now {
                out.push(o);
            }
        }
        date += Duration::days(1);
    }
    out
}

/// The first meeting day strictly after `date`, within ten years.
pub fn next(config: &Config, date: NaiveDate) -> Option<NaiveDate> {
    (1..=3660)
        .map(|d| date + Duration::days(d))
        .find(|d| is_meeting_day(config, *d))
}

/// The last meeting day strictly before `date`, if the cadence had one.
pub fn previous(config: &Config, date: NaiveDate) -> Option<NaiveDate> {
    let first = anchor(config);
    let mut d = date - Duration::days(1);
    while d >= first {
        if is_meeting_day(config, d) {
            return Some(d);
        }
        d -= Duration::days(1);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::config::{Member, Team};
    use crate::model::time::{Date, LocalTime, Weekday};

    fn config(
        tz: &str,
        weekday: chrono::Weekday,
        h: u32,
        m: u32,
        every: u32,
        skip: &[&str],
    ) -> Config {
        let mut members = std::collections::BTreeMap::new();
        for (id, leader) in [("maria", true), ("tom", false), ("ana", false)] {
            members.insert(
                id.to_string(),
                Member {
                    name: id.into(),
                    department: "sales".into(),
                    email: None,
                    leader,
                    active: true,
                    signing_key: None,
                },
            );
        }
        let mut c = Config {
            version: None,
            team: Team {
                name: "T".into(),
                timezone: tz.into(),
                currency: "USD".into(),
            },
            members,
            pipeline: Default::default(),
            qualification: Default::default(),
            handoff: Default::default(),
            business_hours: Default::default(),
            meeting: Default::default(),
            sync: Default::default(),
        };
        c.meeting.weekday = Weekday(weekday);
        c.meeting.time = LocalTime::hm(h, m);
        c.meeting.every_weeks = every;
        c.meeting.first = Some(Date(day("2026-01-05")));
        c.meeting.skip = skip.iter().map(|s| Date(day(s))).collect();
        c
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
    }

    fn dates(c: &Config, tz: chrono_tz::Tz, from: &str, n: usize) -> Vec<String> {
        let now = resolve_local(day(from).and_time(chrono::NaiveTime::MIN), tz);
        upcoming(c, tz, now, n)
            .iter()
            .map(|o| o.start.to_toml(tz))
            .collect()
    }

    #[test]
    fn weekly_every_two_weeks_and_skipped_dates() {
        let tz = chrono_tz::Europe::Berlin;
        let weekly = config("Europe/Berlin", chrono::Weekday::Mon, 10, 0, 1, &[]);
        assert_eq!(
            dates(&weekly, tz, "2026-11-25", 3),
            [
                "2026-11-30T10:00:00+01:00",
                "2026-12-07T10:00:00+01:00",
                "2026-12-14T10:00:00+01:00"
            ]
        );
        let biweekly = config("Europe/Berlin", chrono::Weekday::Mon, 10, 0, 2, &[]);
        // 2026-01-05 is the first; 2026-11-30 is 47 weeks later (odd), so it is off.
        assert_eq!(
            dates(&biweekly, tz, "2026-11-25", 2),
            ["2026-12-07T10:00:00+01:00", "2026-12-21T10:00:00+01:00"]
        );
        let skipping = config(
            "Europe/Berlin",
            chrono::Weekday::Mon,
            10,
            0,
            1,
            &["2026-12-28"],
        );
        assert_eq!(
            dates(&skipping, tz, "2026-12-20", 2),
            ["2026-12-21T10:00:00+01:00", "2027-01-04T10:00:00+01:00"]
        );
    }

    #[test]
    fn across_both_dst_changes_in_new_york_and_london() {
        let ny = chrono_tz::America::New_York;
        let c = config("America/New_York", chrono::Weekday::Sun, 10, 0, 1, &[]);
        assert_eq!(
            dates(&c, ny, "2026-03-01", 2),
            ["2026-03-01T10:00:00-05:00", "2026-03-08T10:00:00-04:00"]
        );
        assert_eq!(
            dates(&c, ny, "2026-10-25", 2),
            ["2026-10-25T10:00:00-04:00", "2026-11-01T10:00:00-05:00"]
        );
        let london = chrono_tz::Europe::London;
        let c = config("Europe/London", chrono::Weekday::Sun, 9, 30, 1, &[]);
        assert_eq!(
            dates(&c, london, "2026-03-22", 2),
            ["2026-03-22T09:30:00Z", "2026-03-29T09:30:00+01:00"]
        );
        assert_eq!(
            dates(&c, london, "2026-10-18", 2),
            ["2026-10-18T09:30:00+01:00", "2026-10-25T09:30:00Z"]
        );
    }

    #[test]
    fn a_meeting_time_in_the_spring_forward_gap_moves_to_the_first_valid_minute() {
        let ny = chrono_tz::America::New_York;
        let c = config("America/New_York", chrono::Weekday::Sun, 2, 30, 1, &[]);
        assert_eq!(
            dates(&c, ny, "2026-03-08", 1),
            ["2026-03-08T03:00:00-04:00"]
        );
        // 01:30 on the fall-back day exists twice: the first one.
        let c = config("America/New_York", chrono::Weekday::Sun, 1, 30, 1, &[]);
        assert_eq!(
            dates(&c, ny, "2026-11-01", 1),
            ["2026-11-01T01:30:00-04:00"]
        );
    }

    #[test]
    fn the_rotation_skips_no_one_on_skipped_dates() {
        let mut c = config(
            "Europe/Berlin",
            chrono::Weekday::Mon,
            10,
            0,
            1,
            &["2026-01-19"],
        );
        c.meeting.facilitators = vec!["maria".into(), "tom".into(), "ana".into()];
        let roles_on = |c: &Config, d: &str| roles(c, day(d));
        assert_eq!(
            roles_on(&c, "2026-01-05"),
            (Some("maria".into()), Some("tom".into()))
        );
        assert_eq!(
            roles_on(&c, "2026-01-12"),
            (Some("tom".into()), Some("ana".into()))
        );
        assert_eq!(
            roles_on(&c, "2026-01-26"),
            (Some("ana".into()), Some("maria".into()))
        );
        c.meeting.facilitators.clear();
        assert_eq!(
            roles_on(&c, "2026-01-26"),
            (Some("maria".into()), None),
            "the one leader runs every meeting"
        );
        assert_eq!(previous(&c, day("2026-01-26")), Some(day("2026-01-12")));
    }
}
