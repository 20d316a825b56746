//! Reading and validating `growth.toml`, the template `init` writes, and the in-place
//! edits (`member add|remove`) that keep a person's comments and layout.

use std::path::Path;

use serde::Deserialize;
use serde::de::IntoDeserializer;
use toml::de::DeTable;

use crate::error::{Error, Problem, Result};
use crate::model::config::Config;
use crate::store::location::{line_col, path_span};

pub const CONFIG_FILE: &str = "growth.toml";

/// The largest `growth.toml` growth reads.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// A parsed and validated `growth.toml`.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    pub config: Config,
    pub tz: chrono_tz::Tz,
    /// A hash of the file's bytes: any change invalidates the derived cache.
    pub hash: u64,
    /// Entries later than this are in the future of the reader: left out of the fold
    /// until their time comes. `None` folds everything.
    pub horizon: Option<crate::model::time::Instant>,
    /// The members' causal frontiers (from `journal/members/`), merged into every state
    /// read, so their conflicts show with the rest.
    pub member_causal:
        std::collections::BTreeMap<crate::model::Text, crate::model::causal::Frontier>,
    /// The horizon is a moment in the past a report is "as of" (a meeting's start), not
    /// now: such a fold is never kept as the cache.
    pub as_of: bool,
    /// The horizon came from `--today`, not the clock: a look back (last week's
    /// agenda) must not replace a cache folded to a later moment, which every read after
    /// it would rebuild (at a million entries, 10 s).
    pub horizon_given: bool,
}

/// Reads `growth.toml` from `root`, and the members recorded in the journal, returning
/// every problem found.
pub fn load(root: &Path) -> Result<LoadedConfig> {
    let (path, bytes) = read(root)?;
    parse_in(root, &path, &bytes).map_err(Error::invalid)
}

/// Parses `growth.toml`'s bytes with the members of the workspace at `root`.
pub fn parse_in(root: &Path, path: &Path, bytes: &[u8]) -> Result<LoadedConfig, Vec<Problem>> {
    let members = crate::store::members::load(root)?;
    parse_with(path, bytes, Some(&members))
}

/// The hash that names a configuration: `growth.toml`'s bytes and the members' files.
fn combined_hash(bytes: &[u8], members: Option<&crate::store::members::Folded>) -> u64 {
    let own = crate::store::cache::content_hash(bytes);
    match members {
        Some(m) if m.hash != 0 && !m.members.is_empty() => {
            crate::store::cache::content_hash(&[own.to_le_bytes(), m.hash.to_le_bytes()].concat())
        }
        _ => own,
    }
}

/// Like [`load`], but `None` when the file's bytes are still those `current` was parsed
/// from: a writer re-reads `growth.toml` under the lock, and almost always it is unchanged.
pub fn reload(root: &Path, current: &LoadedConfig) -> Result<Option<LoadedConfig>> {
    let (path, bytes) = read(root)?;
    let members = crate::store::members::load(root).map_err(Error::invalid)?;
    if combined_hash(&bytes, Some(&members)) == current.hash {
        return Ok(None);
    }
    parse_with(&path, &bytes, Some(&members))
        .map(Some)
        .map_err(Error::invalid)
}

/// The path and bytes of `growth.toml`, refused past `MAX_CONFIG_BYTES` and when it is not
/// a regular file (a link is never followed).
fn read(root: &Path) -> Result<(std::path::PathBuf, Vec<u8>)> {
    let path = root.join(CONFIG_FILE);
    match crate::store::safe::read(root, CONFIG_FILE, MAX_CONFIG_BYTES) {
        Ok(bytes) => Ok((path, bytes)),
        Err(r) if matches!(r.why, crate::store::safe::Why::TooLarge(_)) => {
            Err(Error::invalid(vec![
                Problem::new(
                    &path,
                    (1, 1),
                    format!(
                        "growth.toml is over the {} KiB growth reads",
                        MAX_CONFIG_BYTES / 1024
                    ),
                )
                .hint("growth.toml holds the team's settings and members; restore it from git"),
            ]))
        }
        Err(r) if r.is_missing() => Err(Error::user(format!(
            "cannot read {}: it does not exist",
            path.display()
        ))
        .hint("run `growth init` to create a workspace")),
        Err(r) => Err(Error::invalid(vec![r.problem()])),
    }
}

/// Parses and validates config bytes alone (a new workspace has no members yet); `path`
/// is only used to name the file in problems.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<LoadedConfig, Vec<Problem>> {
    parse_with(path, bytes, None)
}

fn parse_with(
    path: &Path,
    bytes: &[u8],
    members: Option<&crate::store::members::Folded>,
) -> Result<LoadedConfig, Vec<Problem>> {
    let src = crate::store::journal::decode_text(path, bytes)?;
    let (doc, errors) = DeTable::parse_recoverable(src);
    if !errors.is_empty() {
        return Err(errors
            .iter()
            .map(|e| crate::store::journal::toml_problem(path, src, e))
            .collect());
    }
    let mut config = Config::deserialize(doc.clone().into_deserializer())
        .map_err(|e| vec![crate::store::journal::toml_problem(path, src, &e)])?;
    let listed: std::collections::BTreeSet<String> = config.members.keys().cloned().collect();
    if let Some(m) = members {
        for (id, member) in &m.members {
            config.members.insert(id.clone(), member.clone());
        }
    }
    let at = |keys: &[&str]| line_col(src, path_span(&doc, keys).map_or(0, |s| s.start));
    let mut problems = Vec::new();
    let mut report = |keys: &[&str], message: String, hint: &str| {
        problems.push(Problem::new(path, at(keys), message).hint(hint));
    };
    let tz = config
        .team
        .timezone
        .parse::<chrono_tz::Tz>()
        .unwrap_or_else(|_| {
            report(
                &["team", "timezone"],
                format!("unknown timezone `{}`", config.team.timezone),
                "use an IANA name like `Europe/Berlin` or `America/New_York`",
            );
            chrono_tz::UTC
        });
    let currency = &config.team.currency;
    if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
        report(
            &["team", "currency"],
            format!("`{currency}` is not a currency code"),
            "use a three-letter code like USD or EUR",
        );
    }
    let mut emails: std::collections::BTreeMap<String, &str> = std::collections::BTreeMap::new();
    for (id, member) in config.members.iter().filter(|(id, _)| listed.contains(*id)) {
        if let Some(email) = &member.email {
            if !crate::model::config::looks_like_email(email) {
                report(
                    &["members", id, "email"],
                    format!("`{email}` is not an email address"),
                    "e.g. maria@acme.example",
                );
            } else if let Some(other) = emails.insert(email.to_lowercase(), id) {
                report(
                    &["members", id, "email"],
                    format!("`{id}` and `{other}` have the same email"),
                    "each member needs their own email: growth recognises people by it",
                );
            }
        }
    }
    for (id, member) in config.members.iter().filter(|(id, _)| listed.contains(*id)) {
        if !crate::model::lead::is_valid_id(id) {
            report(
                &["members", id],
                format!("`{id}` is not a valid member id"),
                "use lowercase letters, digits and dashes",
            );
        }
        if member.department.trim().is_empty() {
            report(
                &["members", id, "department"],
                format!("member `{id}` has an empty department"),
                "e.g. marketing, sales",
            );
        }
    }
    let p = &config.pipeline;
    if p.stages.is_empty() {
        report(
            &["pipeline", "stages"],
            "the pipeline has no stages".into(),
            "the default is new, nurture, mql, sql, opportunity, won, lost",
        );
    }
    let mut seen = std::collections::BTreeSet::new();
    for stage in &p.stages {
        if !crate::model::lead::is_valid_id(stage) || !seen.insert(stage) {
            report(
                &["pipeline", "stages"],
                format!("stage `{stage}` is repeated or not a simple name"),
                "use distinct lowercase names",
            );
        }
    }
    let stage_roles = [
        (["pipeline", "mql"], &p.mql),
        (["pipeline", "sql"], &p.sql),
        (["pipeline", "won"], &p.won),
        (["pipeline", "lost"], &p.lost),
        (
            ["qualification", "advance_to"],
            &config.qualification.advance_to,
        ),
        (["handoff", "rejected_to"], &config.handoff.rejected_to),
    ];
    for (keys, stage) in stage_roles {
        if p.position(stage).is_none() {
            report(
                &keys,
                format!(
                    "`{}` names stage `{stage}`, which is not in pipeline.stages",
                    keys.join(".")
                ),
                "pick one of pipeline.stages",
            );
        }
    }
    let q = &config.qualification;
    if q.advance_at == 0 || q.advance_at > q.criteria.len() {
        report(
            &["qualification", "advance_at"],
            format!(
                "advance_at = {} but there are {} criteria",
                q.advance_at,
                q.criteria.len()
            ),
            "use a number from 1 to the number of criteria",
        );
    }
    let bh = &config.business_hours;
    if bh.start >= bh.end {
        report(
            &["business_hours", "end"],
            "business hours end before they start".into(),
            "e.g. start = 09:00:00, end = 17:00:00",
        );
    }
    if bh.workdays.is_empty() {
        report(
            &["business_hours", "workdays"],
            "there are no workdays".into(),
            "e.g. workdays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]",
        );
    }
    let m = &config.meeting;
    if m.minutes == 0 || m.every_weeks == 0 {
        report(
            &["meeting"],
            "meeting minutes and every_weeks must be at least 1".into(),
            "e.g. minutes = 45, every_weeks = 1",
        );
    }
    // A format-2 file read without its journal (a new workspace) cannot know its members.
    let knows_members = members.is_some() || config.version.is_none();
    for id in m.facilitators.iter().filter(|_| knows_members) {
        if !config.members.contains_key(id) {
            report(
                &["meeting", "facilitators"],
                format!("facilitator `{id}` is not a member"),
                "add them with `growth member add` or fix the name",
            );
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(LoadedConfig {
        config,
        tz,
        hash: combined_hash(bytes, members),
        horizon: None,
        member_causal: members.map(|m| m.state.causal.clone()).unwrap_or_default(),
        as_of: false,
        horizon_given: false,
    })
}

/// The commented `growth.toml` that `init` writes.
pub fn template(team: &str, timezone: &str, currency: &str) -> String {
    let team = toml_edit::Value::from(team).to_string();
    let timezone = toml_edit::Value::from(timezone).to_string();
    let currency = toml_edit::Value::from(currency).to_string();
    format!(
        r#"# growth workspace: the growth team's shared record.
# Plain TOML: edit by hand freely, then run `growth check`. Dates are TOML dates
# (2026-11-27), times of day are TOML local times (09:00:00).
# The team's members and everything it records live in journal/.

# The workspace format (growth migrates older ones).
version = 2

[team]
name = {team}
# The IANA timezone of the meeting, the SLA clocks and every date shown.
timezone = {timezone}
# The currency of lead values that do not name one.
currency = {currency}

[pipeline]
# Lead stages in order; a new lead starts in the first.
stages = ["new", "nurture", "mql", "sql", "opportunity", "won", "lost"]
# The stages that goals and rules count on.
mql = "mql"
sql = "sql"
won = "won"
lost = "lost"

[qualification]
# BANT: budget, authority, need, timeline.
criteria = ["budget", "authority", "need", "timeline"]
# `growth lead qualify` moves a lead to `advance_to` once it meets `advance_at` criteria.
advance_at = 3
advance_to = "mql"

[handoff]
# The service level for marketing-to-sales handoffs, in business hours (see below).
accept_within_hours = 4
first_contact_within_hours = 8
rejection_reasons = ["not-a-fit", "no-budget", "bad-timing", "no-authority", "duplicate", "missing-context"]
# The stage a rejected lead goes back to.
rejected_to = "nurture"

[business_hours]
# The SLA clocks only run on these days and hours, in the team's timezone.
workdays = ["mon", "tue", "wed", "thu", "fri"]
start = 09:00:00
end = 17:00:00
# Days the clocks stop, e.g. [2026-12-25, 2027-01-01].
holidays = []

[meeting]
# The weekly growth meeting: the day, the local time and the length in minutes.
weekday = "mon"
time = 10:00:00
minutes = 45
every_weeks = 1
# Facilitators in rotation, by member id; empty means the leader runs every meeting.
facilitators = []
# Dates with no meeting.
skip = []
"#
    )
}

/// Adds `[members.ID]` to the document, after the existing members.
pub fn insert_member(
    doc: &mut toml_edit::DocumentMut,
    id: &str,
    member: &crate::model::config::Member,
) -> Result<()> {
    let members = doc
        .entry("members")
        .or_insert_with(|| toml_edit::Item::Table(toml_edit::Table::new()));
    let Some(members) = members.as_table_mut() else {
        return Err(Error::user("`members` in growth.toml is not a table")
            .hint("it should be [members] with one [members.ID] per person"));
    };
    let mut t = toml_edit::Table::new();
    t.insert("name", toml_edit::value(member.name.as_str()));
    t.insert("department", toml_edit::value(member.department.as_str()));
    if let Some(email) = &member.email {
        t.insert("email", toml_edit::value(email.as_str()));
    }
    if member.leader {
        t.insert("leader", toml_edit::value(true));
    }
    members.insert(id, toml_edit::Item::Table(t));
    Ok(())
}

/// Removes `[members.ID]`, or marks it `active = false` when `keep` (the history names them).
pub fn remove_member(doc: &mut toml_edit::DocumentMut, id: &str, keep: bool) -> Result<()> {
    let Some(members) = doc.get_mut("members").and_then(|m| m.as_table_like_mut()) else {
        return Err(Error::user("growth.toml has no [members] table"));
    };
    if keep {
        if let Some(t) = members.get_mut(id).and_then(|m| m.as_table_like_mut()) {
            t.insert("active", toml_edit::value(false));
        }
    } else {
        members.remove(id);
    }
    Ok(())
}

/// Sets `table.key` to `value` in the document, keeping the comments around it and any
/// comment after it on its line; a missing table or key is added.
pub fn set_setting(
    doc: &mut toml_edit::DocumentMut,
    table: &str,
    key: &str,
    value: &crate::model::settings::Value,
) -> Result<()> {
    use crate::model::settings::Value;
    let local_time = |t: chrono::NaiveTime| {
        use chrono::Timelike;
        toml_edit::Value::from(toml_edit::Datetime {
            date: None,
            time: Some(toml_edit::Time {
                hour: u8::try_from(t.hour()).unwrap_or(0),
                minute: u8::try_from(t.minute()).unwrap_or(0),
                second: Some(u8::try_from(t.second()).unwrap_or(0)),
                nanosecond: None,
            }),
            offset: None,
        })
    };
    let date = |d: &chrono::NaiveDate| {
        use chrono::Datelike;
        toml_edit::Value::from(toml_edit::Datetime {
            date: Some(toml_edit::Date {
                year: u16::try_from(d.year()).unwrap_or(1970),
                month: u8::try_from(d.month()).unwrap_or(1),
                day: u8::try_from(d.day()).unwrap_or(1),
            }),
            time: None,
            offset: None,
        })
    };
    let mut new = match value {
        Value::Text(t) => toml_edit::Value::from(t.as_str()),
        Value::Number(n) => toml_edit::Value::from(i64::from(*n)),
        Value::Time(t) => local_time(*t),
        Value::Day(d) => toml_edit::Value::from(d.to_string()),
        Value::Names(n) => toml_edit::Value::Array(n.iter().map(String::as_str).collect()),
        Value::Days(d) => toml_edit::Value::Array(d.iter().map(|d| d.to_string()).collect()),
        Value::Dates(d) => toml_edit::Value::Array(d.iter().map(date).collect()),
    };
    let section = doc
        .entry(table)
        .or_insert_with(|| toml_edit::Item::Table(toml_edit::Table::new()));
    let Some(section) = section.as_table_like_mut() else {
        return Err(
            Error::user(format!("`{table}` in growth.toml is not a table"))
                .hint(format!("it should be a [{table}] section")),
        );
    };
    match section.get_mut(key).and_then(toml_edit::Item::as_value_mut) {
        Some(old) => {
            // The comment after the value on its line belongs to the value: keep it.
            *new.decor_mut() = old.decor().clone();
            *old = new;
        }
        None => {
            section.insert(key, toml_edit::Item::Value(new));
        }
    }
    Ok(())
}
