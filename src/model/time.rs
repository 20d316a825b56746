//! Time as growth sees it: instants stored as UTC milliseconds, and the TOML-native
//! dates, local times and weekdays that `growth.toml` holds.

use std::fmt;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

/// A moment in time, as milliseconds since the Unix epoch (UTC). Cheap to store and compare.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub struct Instant(pub i64);

impl Instant {
    pub fn from_datetime<Tz: TimeZone>(dt: &DateTime<Tz>) -> Self {
        Instant(dt.timestamp_millis())
    }

    pub fn to_utc(self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.0).unwrap_or_default()
    }

    pub fn in_tz(self, tz: chrono_tz::Tz) -> DateTime<chrono_tz::Tz> {
        self.to_utc().with_timezone(&tz)
    }

    /// The local calendar date of this instant in `tz`.
    pub fn date_in(self, tz: chrono_tz::Tz) -> NaiveDate {
        self.in_tz(tz).date_naive()
    }

    pub fn plus_millis(self, ms: i64) -> Self {
        Instant(self.0.saturating_add(ms))
    }

    /// As a TOML offset datetime in `tz`, with milliseconds only when there are some.
    pub fn to_toml(self, tz: chrono_tz::Tz) -> String {
        let local = self.in_tz(tz);
        let fixed: DateTime<FixedOffset> = local.fixed_offset();
        if self.0.rem_euclid(1000) == 0 {
            fixed.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        } else {
            fixed.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        }
    }
}

/// Converts a TOML offset datetime to an instant; a datetime without offset is refused
/// because it would mean different moments on different machines.
pub fn instant_from_toml(dt: &toml::value::Datetime) -> Result<Instant, String> {
    let (Some(date), Some(time), Some(offset)) = (dt.date, dt.time, dt.offset) else {
        return Err(format!(
            "`{dt}` needs a date, a time and an offset, like 2026-11-27T09:30:00+01:00"
        ));
    };
    let naive_date = NaiveDate::from_ymd_opt(date.year.into(), date.month.into(), date.day.into())
        .ok_or_else(|| format!("`{dt}` is not a calendar date"))?;
    sane_year(naive_date)?;
    let naive_time = NaiveTime::from_hms_nano_opt(
        time.hour.into(),
        time.minute.into(),
        time.second.unwrap_or(0).into(),
        time.nanosecond.unwrap_or(0),
    )
    .ok_or_else(|| format!("`{dt}` is not a valid time"))?;
    let offset_minutes: i32 = match offset {
        toml::value::Offset::Z => 0,
        toml::value::Offset::Custom { minutes } => minutes.into(),
    };
    let fixed = FixedOffset::east_opt(offset_minutes * 60)
        .ok_or_else(|| format!("`{dt}` has an impossible offset"))?;
    let local = naive_date.and_time(naive_time);
    let moment = fixed
        .from_local_datetime(&local)
        .single()
        .ok_or_else(|| format!("`{dt}` is not a valid moment"))?;
    Ok(Instant::from_datetime(&moment))
}

/// A calendar date written as a TOML local date (`2026-11-27`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let dt = toml::value::Datetime::deserialize(d)?;
        match (dt.date, dt.time, dt.offset) {
            (Some(date), None, None) => {
                let d = NaiveDate::from_ymd_opt(
                    date.year.into(),
                    date.month.into(),
                    date.day.into(),
                )
                .ok_or_else(|| de::Error::custom(format!("`{dt}` is not a calendar date")))?;
                sane_year(d).map_err(de::Error::custom)?;
                Ok(Date(d))
            }
            _ => Err(de::Error::custom(format!(
                "expected a date like 2026-11-27, found `{dt}`"
            ))),
        }
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// A wall-clock time of day written as a TOML local time (`09:00:00`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LocalTime(pub NaiveTime);

impl LocalTime {
    pub fn hm(h: u32, m: u32) -> Self {
        LocalTime(NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default())
    }
}

impl<'de> Deserialize<'de> for LocalTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let dt = toml::value::Datetime::deserialize(d)?;
        match (dt.date, dt.time, dt.offset) {
            (None, Some(t), None) => NaiveTime::from_hms_nano_opt(
                t.hour.into(),
                t.minute.into(),
                t.second.unwrap_or(0).into(),
                0,
            )
            .map(LocalTime)
            .ok_or_else(|| de::Error::custom(format!("`{dt}` is not a time of day"))),
            _ => Err(de::Error::custom(format!(
                "expected a time of day like 09:00:00, found `{dt}`"
            ))),
        }
    }
}

impl Serialize for LocalTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0.format("%H:%M"))
    }
}

/// A day of the week written as `mon`, `tue`, ... `sun`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weekday(pub chrono::Weekday);

impl Weekday {
    pub fn workweek() -> Vec<Weekday> {
        use chrono::Weekday::*;
        vec![
            Weekday(Mon),
            Weekday(Tue),
            Weekday(Wed),
            Weekday(Thu),
            Weekday(Fri),
        ]
    }
}

impl fmt::Display for Weekday {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_string().to_lowercase())
    }
}

impl<'de> Deserialize<'de> for Weekday {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse::<chrono::Weekday>().map(Weekday).map_err(|_| {
            de::Error::custom(format!(
                "`{s}` is not a weekday; use mon, tue, wed, thu, fri, sat or sun"
            ))
        })
    }
}

impl Serialize for Weekday {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Parses `2026-11-27`, `2026-11-27T14:30` or `2026-11-27 14:30` as a moment in `tz`.
/// A bare date means noon, the middle of a working day. A local time that does not exist
/// (a DST gap) moves forward to the first valid minute; one that exists twice takes the first.
pub fn parse_moment(text: &str, tz: chrono_tz::Tz) -> Result<Instant, String> {
    let text = text.trim();
    let naive = if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        date.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default())
    } else {
        [
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%d %H:%M",
        ]
        .iter()
        .find_map(|fmt| chrono::NaiveDateTime::parse_from_str(text, fmt).ok())
        .ok_or_else(|| {
            format!(
                "`{text}` is not a date like 2026-11-27 or a date and time like 2026-11-27T14:30"
            )
        })?
    };
    sane_year(naive.date())?;
    Ok(resolve_local(naive, tz))
}

/// The instant of a local wall-clock time, never panicking on DST gaps or overlaps.
pub fn resolve_local(naive: chrono::NaiveDateTime, tz: chrono_tz::Tz) -> Instant {
    let mut probe = naive;
    for _ in 0..=180 {
        match tz.from_local_datetime(&probe) {
            chrono::LocalResult::Single(dt) => return Instant::from_datetime(&dt),
            chrono::LocalResult::Ambiguous(first, _) => return Instant::from_datetime(&first),
            chrono::LocalResult::None => probe += chrono::Duration::minutes(1),
        }
    }
    Instant::from_datetime(&Utc.from_utc_datetime(&naive))
}

/// Parses a calendar date given on the command line.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("`{text}` is not a date like 2026-11-27"))?;
    sane_year(date)?;
    Ok(date)
}

/// The years growth accepts anywhere: a date outside them is a typo, and refusing it keeps
/// every date computation far from chrono's limits.
pub const YEARS: std::ops::RangeInclusive<i32> = 1970..=2199;

/// Refuses a date outside [`YEARS`].
pub fn sane_year(date: NaiveDate) -> Result<(), String> {
    if YEARS.contains(&date.year()) {
        Ok(())
    } else {
        Err(format!(
            "the year {} is outside {}–{}",
            date.year(),
            YEARS.start(),
            YEARS.end()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_date_means_noon_in_the_workspace_timezone() {
        let tz: chrono_tz::Tz = "Europe/Berlin".parse().unwrap_or(chrono_tz::UTC);
        let at = parse_moment("2026-11-27", tz).unwrap_or_default();
        assert_eq!(at.to_toml(tz), "2026-11-27T12:00:00+01:00");
    }

    #[test]
    fn a_time_inside_a_dst_gap_moves_forward() {
        let tz = chrono_tz::America::New_York;
        let at = parse_moment("2026-03-08T02:30", tz).unwrap_or_default();
        assert_eq!(at.to_toml(tz), "2026-03-08T03:00:00-04:00");
    }

    #[test]
    fn toml_datetimes_need_an_offset() {
        let with: toml::value::Datetime = "2026-11-27T09:30:00+01:00"
            .parse()
            .unwrap_or_else(|_| unreachable!());
        assert_eq!(
            instant_from_toml(&with).map(|i| i.to_toml(chrono_tz::UTC)),
            Ok("2026-11-27T08:30:00Z".into())
        );
        let without: toml::value::Datetime = "2026-11-27T09:30:00"
            .parse()
            .unwrap_or_else(|_| unreachable!());
        assert!(instant_from_toml(&without).is_err());
    }
}
