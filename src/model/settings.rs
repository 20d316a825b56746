//! The settings `growth config get|set` reads and changes: each a key of `growth.toml`
//! (`meeting.time`), what kind of value it takes, how to read one typed on the command
//! line (refusing a bad one with a hint), and its value in a [`Config`].

use chrono::{NaiveDate, NaiveTime};
use serde::ser::{Serialize, SerializeSeq, Serializer};

use crate::model::config::Config;
use crate::model::time::Weekday;

/// A setting's value, typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text(String),
    Number(u32),
    Time(NaiveTime),
    Day(Weekday),
    Names(Vec<String>),
    Days(Vec<Weekday>),
    Dates(Vec<NaiveDate>),
}

impl std::fmt::Display for Value {
    /// As a person types it: `10:00`, `mon, tue`, `2026-12-25` (an empty list is empty).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list = |items: Vec<String>| items.join(", ");
        match self {
            Value::Text(t) => f.write_str(t),
            Value::Number(n) => write!(f, "{n}"),
            Value::Time(t) => write!(f, "{}", t.format("%H:%M")),
            Value::Day(d) => write!(f, "{d}"),
            Value::Names(n) => f.write_str(&list(n.clone())),
            Value::Days(d) => f.write_str(&list(d.iter().map(|d| d.to_string()).collect())),
            Value::Dates(d) => f.write_str(&list(d.iter().map(|d| d.to_string()).collect())),
        }
    }
}

impl Serialize for Value {
    /// As JSON: text, a number, `"10:00"`, or an array.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        fn seq<S: Serializer, T: ToString>(s: S, items: &[T]) -> Result<S::Ok, S::Error> {
            let mut out = s.serialize_seq(Some(items.len()))?;
            for i in items {
                out.serialize_element(&i.to_string())?;
            }
            out.end()
        }
        match self {
            Value::Number(n) => s.serialize_u32(*n),
            Value::Names(n) => seq(s, n),
            Value::Days(d) => seq(s, d),
            Value::Dates(d) => seq(s, d),
            other => s.collect_str(other),
        }
    }
}

/// What kind of value a setting takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Timezone,
    Currency,
    /// A whole number in a range.
    Number(u32, u32),
    Time,
    Day,
    Members,
    /// Distinct simple names (stages, reasons), at least one.
    Names,
    Stage,
    Days,
    Dates,
}

/// One setting: its key in `growth.toml` and what it means.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    /// `table.key`, as in `growth.toml`.
    pub key: &'static str,
    pub about: &'static str,
    kind: Kind,
}

impl Setting {
    /// The table and the key within it.
    pub fn path(&self) -> (&'static str, &'static str) {
        self.key.split_once('.').unwrap_or(("", self.key))
    }
}

const fn setting(key: &'static str, kind: Kind, about: &'static str) -> Setting {
    Setting { key, about, kind }
}

/// Every setting, in the order of `growth.toml`.
pub const SETTINGS: [Setting; 25] = [
    setting("team.name", Kind::Text, "the team's name"),
    setting(
        "team.timezone",
        Kind::Timezone,
        "IANA timezone of the meeting, SLA clocks and dates",
    ),
    setting(
        "team.currency",
        Kind::Currency,
        "currency of lead values that name none",
    ),
    setting("pipeline.stages", Kind::Names, "lead stages, in order"),
    setting(
        "pipeline.mql",
        Kind::Stage,
        "the stage that counts as marketing-qualified",
    ),
    setting(
        "pipeline.sql",
        Kind::Stage,
        "the stage that counts as sales-qualified",
    ),
    setting("pipeline.won", Kind::Stage, "the stage of a won deal"),
    setting("pipeline.lost", Kind::Stage, "the stage of a lost deal"),
    setting(
        "qualification.criteria",
        Kind::Names,
        "qualification criteria (BANT)",
    ),
    setting(
        "qualification.advance_at",
        Kind::Number(1, 100),
        "criteria a lead must meet to advance",
    ),
    setting(
        "qualification.advance_to",
        Kind::Stage,
        "the stage a qualified lead advances to",
    ),
    setting(
        "handoff.accept_within_hours",
        Kind::Number(1, 1000),
        "business hours to accept or reject a handoff",
    ),
    setting(
        "handoff.first_contact_within_hours",
        Kind::Number(1, 1000),
        "business hours to first contact",
    ),
    setting(
        "handoff.rejection_reasons",
        Kind::Names,
        "reasons a handoff may be rejected for",
    ),
    setting(
        "handoff.rejected_to",
        Kind::Stage,
        "the stage a rejected lead returns to",
    ),
    setting(
        "business_hours.workdays",
        Kind::Days,
        "days the SLA clocks run",
    ),
    setting(
        "business_hours.start",
        Kind::Time,
        "when the working day starts",
    ),
    setting(
        "business_hours.end",
        Kind::Time,
        "when the working day ends",
    ),
    setting(
        "business_hours.holidays",
        Kind::Dates,
        "days the SLA clocks stop",
    ),
    setting("meeting.weekday", Kind::Day, "the meeting's day"),
    setting("meeting.time", Kind::Time, "the meeting's local time"),
    setting(
        "meeting.minutes",
        Kind::Number(5, 480),
        "the meeting's length in minutes",
    ),
    setting(
        "meeting.every_weeks",
        Kind::Number(1, 52),
        "a meeting every N weeks",
    ),
    setting(
        "meeting.facilitators",
        Kind::Members,
        "facilitators in rotation (none: the leader)",
    ),
    setting("meeting.skip", Kind::Dates, "dates with no meeting"),
];

/// The setting named `key` (or a unique last part of it: `time` is `meeting.time`), or
/// the closest names for a "did you mean".
pub fn find(key: &str) -> Result<&'static Setting, Vec<&'static str>> {
    let key = key.trim().to_lowercase();
    if let Some(found) = SETTINGS.iter().find(|s| s.key == key) {
        return Ok(found);
    }
    let tail: Vec<&'static Setting> = SETTINGS.iter().filter(|s| s.path().1 == key).collect();
    match tail.as_slice() {
        [one] => Ok(one),
        [] => Err(crate::error::close_matches(
            &key,
            SETTINGS.iter().map(|s| s.key),
        )),
        many => Err(many.iter().map(|s| s.key).collect()),
    }
}

/// A value refused: what is wrong with it, and how to give a good one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub message: String,
    pub hint: String,
}

fn invalid(message: impl Into<String>, hint: impl Into<String>) -> Invalid {
    Invalid {
        message: message.into(),
        hint: hint.into(),
    }
}

/// The items of a comma-separated list, trimmed, without empty ones.
fn items(text: &str) -> Vec<&str> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

fn parse_time(text: &str) -> Option<NaiveTime> {
    ["%H:%M", "%H:%M:%S"]
        .iter()
        .find_map(|f| NaiveTime::parse_from_str(text.trim(), f).ok())
}

fn parse_day(text: &str) -> Result<Weekday, Invalid> {
    text.trim()
        .parse::<chrono::Weekday>()
        .map(Weekday)
        .map_err(|_| {
            invalid(
                format!("`{}` is not a weekday", text.trim()),
                "use mon, tue, wed, thu, fri, sat or sun",
            )
        })
}

impl Setting {
    /// The value `config` holds (its default when `growth.toml` does not name it).
    pub fn current(&self, config: &Config) -> Value {
        let names = |v: &[String]| Value::Names(v.to_vec());
        match self.key {
            "team.name" => Value::Text(config.team.name.clone()),
            "team.timezone" => Value::Text(config.team.timezone.clone()),
            "team.currency" => Value::Text(config.team.currency.clone()),
            "pipeline.stages" => names(&config.pipeline.stages),
            "pipeline.mql" => Value::Text(config.pipeline.mql.clone()),
            "pipeline.sql" => Value::Text(config.pipeline.sql.clone()),
            "pipeline.won" => Value::Text(config.pipeline.won.clone()),
            "pipeline.lost" => Value::Text(config.pipeline.lost.clone()),
            "qualification.criteria" => names(&config.qualification.criteria),
            "qualification.advance_at" => {
                Value::Number(u32::try_from(config.qualification.advance_at).unwrap_or(u32::MAX))
            }
            "qualification.advance_to" => Value::Text(config.qualification.advance_to.clone()),
            "handoff.accept_within_hours" => Value::Number(config.handoff.accept_within_hours),
            "handoff.first_contact_within_hours" => {
                Value::Number(config.handoff.first_contact_within_hours)
            }
            "handoff.rejection_reasons" => names(&config.handoff.rejection_reasons),
            "handoff.rejected_to" => Value::Text(config.handoff.rejected_to.clone()),
            "business_hours.workdays" => Value::Days(config.business_hours.workdays.clone()),
            "business_hours.start" => Value::Time(config.business_hours.start.0),
            "business_hours.end" => Value::Time(config.business_hours.end.0),
            "business_hours.holidays" => {
                Value::Dates(config.business_hours.holidays.iter().map(|d| d.0).collect())
            }
            "meeting.weekday" => Value::Day(config.meeting.weekday),
            "meeting.time" => Value::Time(config.meeting.time.0),
            "meeting.minutes" => Value::Number(config.meeting.minutes),
            "meeting.every_weeks" => Value::Number(config.meeting.every_weeks),
            "meeting.facilitators" => names(&config.meeting.facilitators),
            _ => Value::Dates(config.meeting.skip.iter().map(|d| d.0).collect()),
        }
    }

    /// Reads a value typed on the command line, checked against the rest of `config`.
    pub fn parse(&self, text: &str, config: &Config) -> Result<Value, Invalid> {
        let text = text.trim();
        match self.kind {
            Kind::Text => {
                if text.is_empty()
                    || text.chars().any(char::is_control)
                    || text.chars().count() > 100
                {
                    return Err(invalid(
                        "the name is empty, too long or has control characters",
                        "e.g. \"Acme Growth\"",
                    ));
                }
                Ok(Value::Text(text.to_string()))
            }
            Kind::Timezone => match text.parse::<chrono_tz::Tz>() {
                Ok(tz) => Ok(Value::Text(tz.name().to_string())),
                Err(_) => {
                    let near = crate::error::close_matches(
                        text,
                        chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()),
                    );
                    Err(invalid(
                        format!("unknown timezone `{text}`"),
                        match near.first() {
                            Some(n) => format!("did you mean `{n}`? (an IANA name)"),
                            None => {
                                "use an IANA name like Europe/Berlin or America/New_York".into()
                            }
                        },
                    ))
                }
            },
            Kind::Currency => {
                if text.len() == 3 && text.chars().all(|c| c.is_ascii_alphabetic()) {
                    Ok(Value::Text(text.to_ascii_uppercase()))
                } else {
                    Err(invalid(
                        format!("`{text}` is not a currency code"),
                        "use a three-letter code like USD or EUR",
                    ))
                }
            }
            Kind::Number(min, max) => match text.parse::<u32>() {
                Ok(n)
                    if self.key == "qualification.advance_at"
                        && n as usize > config.qualification.criteria.len() =>
                {
                    let criteria = &config.qualification.criteria;
                    Err(invalid(
                        format!(
                            "a lead cannot meet {n} criteria: there are {} ({})",
                            criteria.len(),
                            criteria.join(", ")
                        ),
                        "add criteria with `growth config set qualification.criteria` first, or pick a smaller number",
                    ))
                }
                Ok(n) if (min..=max).contains(&n) => Ok(Value::Number(n)),
                _ => Err(invalid(
                    format!("`{text}` is not a whole number from {min} to {max}"),
                    format!("e.g. {}", self.current(config)),
                )),
            },
            Kind::Time => {
                let time = parse_time(text).ok_or_else(|| {
                    invalid(
                        format!("`{text}` is not a time of day"),
                        "use HH:MM, e.g. 09:30 or 14:00",
                    )
                })?;
                let bh = &config.business_hours;
                match self.key {
                    "business_hours.start" if time >= bh.end.0 => Err(invalid(
                        format!(
                            "the working day would start at {} but end at {}",
                            time.format("%H:%M"),
                            bh.end.0.format("%H:%M")
                        ),
                        "set business_hours.end first, or pick an earlier start",
                    )),
                    "business_hours.end" if time <= bh.start.0 => Err(invalid(
                        format!(
                            "the working day would end at {} but start at {}",
                            time.format("%H:%M"),
                            bh.start.0.format("%H:%M")
                        ),
                        "set business_hours.start first, or pick a later end",
                    )),
                    _ => Ok(Value::Time(time)),
                }
            }
            Kind::Day => parse_day(text).map(Value::Day),
            Kind::Days => {
                let mut days: Vec<Weekday> = items(text)
                    .into_iter()
                    .map(parse_day)
                    .collect::<Result<_, _>>()?;
                days.sort_by_key(|d| d.0.num_days_from_monday());
                days.dedup();
                if days.is_empty() {
                    return Err(invalid(
                        "there must be at least one workday",
                        "e.g. mon,tue,wed,thu,fri",
                    ));
                }
                Ok(Value::Days(days))
            }
            Kind::Dates => {
                let mut dates: Vec<NaiveDate> = items(text)
                    .into_iter()
                    .map(|d| {
                        crate::model::time::parse_date(d).map_err(|m| {
                            invalid(m, "dates like 2026-12-24,2026-12-25; \"\" for none")
                        })
                    })
                    .collect::<Result<_, _>>()?;
                dates.sort_unstable();
                dates.dedup();
                Ok(Value::Dates(dates))
            }
            Kind::Members => {
                let ids: Vec<String> = items(text).into_iter().map(str::to_lowercase).collect();
                for id in &ids {
                    if !config.members.get(id).is_some_and(|m| m.active) {
                        let near = crate::error::close_matches(id, config.active_member_ids());
                        return Err(invalid(
                            format!("`{id}` is not a member"),
                            match near.first() {
                                Some(n) => format!("did you mean `{n}`? (`growth member list` shows the team)"),
                                None => "member ids, comma-separated; `growth member list` shows the team".into(),
                            },
                        ));
                    }
                }
                Ok(Value::Names(ids))
            }
            Kind::Names => {
                let names: Vec<String> = items(text).into_iter().map(str::to_lowercase).collect();
                let mut seen = std::collections::BTreeSet::new();
                for name in &names {
                    if !crate::model::lead::is_valid_id(name) || !seen.insert(name) {
                        return Err(invalid(
                            format!("`{name}` is repeated or not a simple name"),
                            "distinct names of lowercase letters, digits and dashes, comma-separated",
                        ));
                    }
                }
                if names.is_empty() {
                    return Err(invalid(
                        "the list is empty",
                        format!("e.g. {}", self.current(config)),
                    ));
                }
                if self.key == "pipeline.stages" {
                    check_stage_roles(&names, config)?;
                }
                if self.key == "qualification.criteria"
                    && names.len() < config.qualification.advance_at
                {
                    return Err(invalid(
                        format!(
                            "{} criteria, but a lead advances once it meets {}",
                            names.len(),
                            config.qualification.advance_at
                        ),
                        "lower it first: `growth config set qualification.advance_at N`",
                    ));
                }
                Ok(Value::Names(names))
            }
            Kind::Stage => {
                let stage = text.to_lowercase();
                if config.pipeline.position(&stage).is_none() {
                    return Err(invalid(
                        format!("`{stage}` is not a stage"),
                        format!("the stages are: {}", config.pipeline.stages.join(", ")),
                    ));
                }
                let p = &config.pipeline;
                let other = match self.key {
                    "pipeline.won" => Some(("pipeline.lost", &p.lost)),
                    "pipeline.lost" => Some(("pipeline.won", &p.won)),
                    _ => None,
                };
                if let Some((key, _)) = other.filter(|(_, s)| **s == stage) {
                    return Err(invalid(
                        format!(
                            "`{stage}` is {key} already: a deal cannot be won and lost at once"
                        ),
                        format!("pick another stage, or change {key} first"),
                    ));
                }
                Ok(Value::Text(stage))
            }
        }
    }
}

/// New stages must keep every stage a rule names (won, lost, mql, ...).
fn check_stage_roles(stages: &[String], config: &Config) -> Result<(), Invalid> {
    let p = &config.pipeline;
    let roles = [
        ("pipeline.mql", &p.mql),
        ("pipeline.sql", &p.sql),
        ("pipeline.won", &p.won),
        ("pipeline.lost", &p.lost),
        ("qualification.advance_to", &config.qualification.advance_to),
        ("handoff.rejected_to", &config.handoff.rejected_to),
    ];
    for (key, stage) in roles {
        if !stages.contains(stage) {
            return Err(invalid(
                format!("the stages leave out `{stage}`, which {key} names"),
                format!("keep `{stage}`, or change {key} first (`growth config set {key} STAGE`)"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        toml::from_str(
            "[team]\nname = \"T\"\n[members.maria]\nname = \"M\"\ndepartment = \"sales\"\n",
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    fn set(key: &str, text: &str) -> Result<Value, Invalid> {
        find(key)
            .map_err(|_| invalid("unknown", ""))?
            .parse(text, &config())
    }

    #[test]
    fn values_are_read_as_people_type_them() {
        assert_eq!(
            set("meeting.time", "9:30").map(|v| v.to_string()),
            Ok("09:30".into())
        );
        assert_eq!(
            set("meeting.weekday", "Thursday").map(|v| v.to_string()),
            Ok("thu".into())
        );
        assert_eq!(
            set("business_hours.workdays", "fri, mon,tue,mon").map(|v| v.to_string()),
            Ok("mon, tue, fri".into())
        );
        assert_eq!(set("team.currency", "eur"), Ok(Value::Text("EUR".into())));
        assert_eq!(set("meeting.skip", ""), Ok(Value::Dates(vec![])));
        assert_eq!(
            set("meeting.facilitators", "Maria"),
            Ok(Value::Names(vec!["maria".into()]))
        );
    }

    #[test]
    fn bad_values_are_refused_with_a_hint() {
        let refused = |key: &str, text: &str| set(key, text).err().map(|e| e.hint);
        assert!(refused("meeting.minutes", "0").is_some());
        assert!(refused("meeting.time", "25:00").is_some());
        assert_eq!(
            refused("team.timezone", "Europe/Berln"),
            Some("did you mean `Europe/Berlin`? (an IANA name)".into())
        );
        assert!(refused("business_hours.end", "08:00").is_some_and(|h| h.contains("start")));
        assert!(refused("pipeline.stages", "new,won").is_some_and(|h| h.contains("keep `mql`")));
        assert!(refused("meeting.facilitators", "mraia").is_some_and(|h| h.contains("`maria`")));
        assert_eq!(find("time").map(|s| s.key), Ok("meeting.time"));
        assert!(find("meeting.tiem").is_err_and(|near| near.contains(&"meeting.time")));
    }
}
