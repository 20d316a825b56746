//! `next --ics`: the meeting series and the VTIMEZONE of its TZID, read back by a real
//! iCalendar parser and resolved to UTC the way a strict calendar app does, from the
//! VTIMEZONE alone.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};

use crate::common::TestEnv;

/// One onset of a STANDARD or DAYLIGHT sub-component: from `at` (UTC) the clock reads `to`.
#[derive(Debug)]
struct Onset {
    at: DateTime<Utc>,
    to: i64,
}

fn offset(text: &str) -> i64 {
    let sign = if text.starts_with('-') { -1 } else { 1 };
    let digits = &text[1..];
    let h: i64 = digits[0..2].parse().unwrap();
    let m: i64 = digits[2..4].parse().unwrap();
    let s: i64 = digits.get(4..6).map_or(0, |s| s.parse().unwrap());
    sign * (h * 3600 + m * 60 + s)
}

fn local(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y%m%dT%H%M%S").unwrap()
}

/// The `week`th (or last, -1) `weekday` of a month.
fn nth_weekday(year: i32, month: u32, weekday: chrono::Weekday, week: i32) -> NaiveDate {
    let days: Vec<NaiveDate> = (1..=31)
        .filter_map(|d| NaiveDate::from_ymd_opt(year, month, d))
        .filter(|d| d.weekday() == weekday)
        .collect();
    if week < 0 {
        *days.last().unwrap()
    } else {
        days[week as usize - 1]
    }
}

/// Every onset of the VTIMEZONE's sub-components up to `until_year`.
fn onsets(vtimezone: &icalendar::parser::Component<'_>, until_year: i32) -> Vec<Onset> {
    let mut out = Vec::new();
    for sub in &vtimezone.components {
        let prop = |name: &str| sub.find_prop(name).map(|p| p.val.as_str().to_string());
        let start = local(&prop("DTSTART").unwrap());
        let from = offset(&prop("TZOFFSETFROM").unwrap());
        let to = offset(&prop("TZOFFSETTO").unwrap());
        let utc = |l: NaiveDateTime| Utc.from_utc_datetime(&(l - Duration::seconds(from)));
        out.push(Onset { at: utc(start), to });
        let Some(rule) = prop("RRULE") else { continue };
        let parts: std::collections::HashMap<&str, &str> = rule
            .split(';')
            .map(|p| p.split_once('=').unwrap())
            .collect();
        assert_eq!(parts["FREQ"], "YEARLY");
        let month: u32 = parts["BYMONTH"].parse().unwrap();
        let byday = parts["BYDAY"];
        let (week, day) = byday.split_at(byday.len() - 2);
        let weekday = match day {
            "SU" => chrono::Weekday::Sun,
            "SA" => chrono::Weekday::Sat,
            "FR" => chrono::Weekday::Fri,
            other => panic!("{other}"),
        };
        let until = parts.get("UNTIL").map(|u| {
            Utc.from_utc_datetime(&NaiveDateTime::parse_from_str(u, "%Y%m%dT%H%M%SZ").unwrap())
        });
        for year in start.year() + 1..=until_year {
            let day = nth_weekday(year, month, weekday, week.parse().unwrap());
            let at = utc(day.and_time(start.time()));
            if until.is_some_and(|u| at > u) {
                break;
            }
            out.push(Onset { at, to });
        }
    }
    out.sort_by_key(|o| o.at);
    out
}

/// A local time of the zone in UTC, by the onsets: the clock of the last onset before it.
fn to_utc(onsets: &[Onset], at: NaiveDateTime) -> DateTime<Utc> {
    let onset = onsets
        .iter()
        .rev()
        .find(|o| o.at <= Utc.from_utc_datetime(&(at - Duration::seconds(o.to))))
        .expect("a VTIMEZONE observance covers every meeting");
    Utc.from_utc_datetime(&(at - Duration::seconds(onset.to)))
}

/// The first `weeks` meetings of the calendar's weekly series, in UTC, resolved by its
/// own VTIMEZONE.
fn meetings_in_utc(ics: &str, weeks: i64) -> Vec<DateTime<Utc>> {
    let unfolded = icalendar::parser::unfold(ics);
    let calendar = icalendar::parser::read_calendar(&unfolded).unwrap();
    let find = |name: &str| {
        calendar
            .components
            .iter()
            .find(|c| c.name.as_str() == name)
            .unwrap_or_else(|| panic!("no {name} in\n{ics}"))
    };
    let event = find("VEVENT");
    let dtstart = event.find_prop("DTSTART").unwrap();
    let tzid = dtstart
        .params
        .iter()
        .find(|p| p.key.as_str() == "TZID")
        .and_then(|p| p.val.as_ref())
        .unwrap()
        .as_str();
    let vtimezone = find("VTIMEZONE");
    assert_eq!(vtimezone.find_prop("TZID").unwrap().val.as_str(), tzid);
    assert_eq!(
        event.find_prop("RRULE").unwrap().val.as_str(),
        "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO"
    );
    let first = local(dtstart.val.as_str());
    let onsets = onsets(vtimezone, first.year() + 3);
    (0..weeks)
        .map(|w| to_utc(&onsets, first + Duration::weeks(w)))
        .collect()
}

#[test]
fn the_calendar_places_berlin_meetings_right_across_both_dst_changes() {
    // Mondays at 10:00 in Europe/Berlin: summer time starts on Sunday 2026-03-29 and ends
    // on Sunday 2026-10-25.
    let env = TestEnv::new();
    let ics = env.run(&["--today", "2026-03-17", "next", "--ics"]);
    let meetings = meetings_in_utc(&ics, 60);
    let utc = |text: &str| {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    };
    assert_eq!(
        meetings[0],
        utc("2026-03-23T09:00:00Z"),
        "CET, before the change"
    );
    assert_eq!(meetings[1], utc("2026-03-30T08:00:00Z"), "CEST, after it");
    assert_eq!(
        meetings[30],
        utc("2026-10-19T08:00:00Z"),
        "CEST, before the change"
    );
    assert_eq!(meetings[31], utc("2026-10-26T09:00:00Z"), "CET, after it");
    // And every week for more than a year, as the timezone database says.
    for at in &meetings {
        let berlin = at.with_timezone(&chrono_tz::Europe::Berlin);
        assert_eq!(berlin.format("%a %H:%M").to_string(), "Mon 10:00", "{at}");
    }
    assert!(ics.contains("TZNAME:CEST\r\n"), "{ics}");
}

#[test]
fn the_calendar_of_a_southern_zone_and_one_without_dst() {
    for (zone, dst) in [("Australia/Sydney", true), ("Asia/Kolkata", false)] {
        let env = TestEnv::empty();
        env.run(&[
            "init",
            env.ws.to_str().unwrap(),
            "--team",
            "T",
            "--timezone",
            zone,
        ]);
        let ics = env.run(&["--today", "2026-01-05", "next", "--ics"]);
        assert_eq!(ics.contains("BEGIN:DAYLIGHT"), dst, "{ics}");
        let tz: chrono_tz::Tz = zone.parse().unwrap();
        for at in meetings_in_utc(&ics, 80) {
            assert_eq!(
                at.with_timezone(&tz).format("%a %H:%M").to_string(),
                "Mon 10:00",
                "{zone}: {at}\n{ics}"
            );
        }
    }
}
