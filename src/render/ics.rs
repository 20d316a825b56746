//! The meeting series as iCalendar (RFC 5545): one recurring event in the team's timezone,
//! and that timezone's VTIMEZONE made from the tz database, so that strict calendar apps
//! place every meeting right across daylight-saving changes.

use chrono::Duration;
use chrono_tz::Tz;

use crate::model::cadence::Occurrence;
use crate::model::config::Config;
use crate::model::zone::{self, Observance};

/// Escapes iCalendar TEXT values (RFC 5545 3.3.11).
fn ics_text(text: &str) -> String {
    let mut out = String::new();
    for c in crate::render::sanitize::cell(text).chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets with CRLF and a leading space (RFC 5545 3.1).
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

/// The meeting series as one recurring event with a stable UID, after the VTIMEZONE of
/// its TZID.
pub fn calendar(config: &Config, tz: chrono_tz::Tz, upcoming: &[Occurrence]) -> String {
    let c = &config.meeting;
    let Some(first) = upcoming.first() else {
        return String::new();
    };
    let local = |o: &crate::model::time::Instant| o.in_tz(tz).format("%Y%m%dT%H%M%S").to_string();
    let byday = weekday(c.weekday.0);
    let uid_seed = format!(
        "{}|{}|{}",
        config.team.name, config.team.timezone, c.weekday
    );
    let uid = format!(
        "{:016x}@growth",
        crate::store::cache::content_hash(uid_seed.as_bytes())
    );
    let roles: Vec<String> = upcoming
        .iter()
        .map(|o| {
            format!(
                "{}: {}",
                o.date,
                o.facilitator.as_deref().unwrap_or("nobody")
            )
        })
        .collect();
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        "PRODID:-//growth//growth meeting//EN".into(),
        "CALSCALE:GREGORIAN".into(),
    ];
    lines.extend(vtimezone(&config.team.timezone, tz, first));
    lines.extend([
        "BEGIN:VEVENT".into(),
        format!("UID:{uid}"),
        // Stable: the series' first start, not the time of export.
        format!("DTSTAMP:{}", first.start.to_utc().format("%Y%m%dT%H%M%SZ")),
        format!(
            "DTSTART;TZID={}:{}",
            config.team.timezone,
            local(&first.start)
        ),
        format!("DURATION:PT{}M", c.minutes),
        format!(
            "RRULE:FREQ=WEEKLY;INTERVAL={};BYDAY={byday}",
            c.every_weeks.max(1)
        ),
    ]);
    for skip in c.skip.iter().filter(|s| s.0 >= first.date) {
        let at = crate::model::time::resolve_local(skip.0.and_time(c.time.0), tz);
        lines.push(format!(
            "EXDATE;TZID={}:{}",
            config.team.timezone,
            local(&at)
        ));
    }
    lines.push(format!(
        "SUMMARY:{}",
        ics_text(&format!("{}: growth meeting", config.team.name))
    ));
    lines.push(format!(
        "DESCRIPTION:{}",
        ics_text(&format!(
            "Agenda: growth agenda. Facilitators: {}",
            roles.join("; ")
        ))
    ));
    lines.push("END:VEVENT".into());
    lines.push("END:VCALENDAR".into());
    lines.iter().map(|l| fold(l)).collect()
}

fn weekday(day: chrono::Weekday) -> &'static str {
    match day {
        chrono::Weekday::Mon => "MO",
        chrono::Weekday::Tue => "TU",
        chrono::Weekday::Wed => "WE",
        chrono::Weekday::Thu => "TH",
        chrono::Weekday::Fri => "FR",
        chrono::Weekday::Sat => "SA",
        chrono::Weekday::Sun => "SU",
    }
}

/// How many years of the database the VTIMEZONE reads past the first meeting: enough to
/// see which yearly rules are in force.
const ZONE_YEARS: i64 = 6;

/// The VTIMEZONE of `tzid` (RFC 5545 3.6.5), from the tz database: a STANDARD or DAYLIGHT
/// sub-component per yearly rule (or one-off change) in force from the first meeting on.
fn vtimezone(tzid: &str, tz: Tz, first: &Occurrence) -> Vec<String> {
    let from = first.start.to_utc();
    let to = from + Duration::days(366 * ZONE_YEARS);
    let mut lines = vec!["BEGIN:VTIMEZONE".to_string(), format!("TZID:{tzid}")];
    for o in zone::observances(tz, from, to) {
        lines.extend(observance(&o));
    }
    lines.push("END:VTIMEZONE".into());
    lines
}

fn observance(o: &Observance) -> Vec<String> {
    let kind = if o.daylight { "DAYLIGHT" } else { "STANDARD" };
    let mut lines = vec![
        format!("BEGIN:{kind}"),
        format!("DTSTART:{}", o.start.format("%Y%m%dT%H%M%S")),
        format!("TZOFFSETFROM:{}", utc_offset(o.offset_from)),
        format!("TZOFFSETTO:{}", utc_offset(o.offset_to)),
    ];
    if let Some(rule) = o.rule {
        let until = o
            .until
            .map(|u| format!(";UNTIL={}", u.format("%Y%m%dT%H%M%SZ")))
            .unwrap_or_default();
        lines.push(format!(
            "RRULE:FREQ=YEARLY;BYMONTH={};BYDAY={}{}{until}",
            rule.month,
            rule.week,
            weekday(rule.weekday)
        ));
    }
    if let Some(name) = &o.name {
        lines.push(format!("TZNAME:{}", ics_text(name)));
    }
    lines.push(format!("END:{kind}"));
    lines
}

/// A UTC offset as iCalendar writes it: `+0100`, `-0430`, `+053328` (RFC 5545 3.3.14).
fn utc_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
    if sec == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{sec:02}")
    }
}
