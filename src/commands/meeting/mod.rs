//! `growth meeting ...`: run the meeting (interactively or from flags), and read minutes.

pub mod acts;
pub mod minutes;
pub mod progress;
pub mod record;
pub mod start;

use std::io::Write;

use chrono::NaiveDate;
use clap::Subcommand;

use crate::context::Ctx;
use crate::error::{Error, Result};

#[derive(Debug, Subcommand)]
pub enum MeetingCommand {
    /// Run the meeting interactively: attendance, each agenda section, pulse, feedback
    Start(start::StartArgs),
    /// Record a meeting without prompts: attendance, notes, decisions, actions, pulse
    Record(record::RecordArgs),
    /// List recorded meetings
    List(minutes::ListArgs),
    /// Show a meeting's minutes
    Show(minutes::ShowArgs),
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, cmd: MeetingCommand) -> Result<()> {
    match cmd {
        MeetingCommand::Start(a) => start::run(ctx, out, a),
        MeetingCommand::Record(a) => record::run(ctx, out, a),
        MeetingCommand::List(a) => minutes::list(ctx, out, a),
        MeetingCommand::Show(a) => minutes::show(ctx, out, a),
    }
}

/// The meeting date from `--date`, else today in the team's timezone.
pub fn date_or_today(ctx: &Ctx, tz: chrono_tz::Tz, date: Option<&str>) -> Result<NaiveDate> {
    match date {
        Some(d) => crate::model::time::parse_date(d)
            .map_err(|m| Error::usage(format!("invalid value for --date: {m}"))),
        None => ctx.today(tz),
    }
}

/// An action item as typed: `"Send the pricing sheet @tom due:2026-12-02"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionSpec {
    pub text: String,
    pub owner: String,
    pub due: Option<NaiveDate>,
}

pub fn parse_action(spec: &str) -> Result<ActionSpec> {
    let mut owner = None;
    let mut due = None;
    let mut words = Vec::new();
    for word in spec.split_whitespace() {
        if let Some(o) = word.strip_prefix('@').filter(|o| !o.is_empty()) {
            owner = Some(o.to_string());
        } else if let Some(d) = word.strip_prefix("due:") {
            due = Some(crate::model::time::parse_date(d).map_err(|m| {
                Error::usage(format!("invalid value for --action: {m}"))
                    .hint("write due:2026-12-02")
            })?);
        } else {
            words.push(word);
        }
    }
    let owner = owner.ok_or_else(|| {
        Error::usage(format!(
            "invalid value for --action: `{spec}` names no owner"
        ))
        .hint(
            "write the owner with @, e.g. --action \"Send the pricing sheet @tom due:2026-12-02\"",
        )
    })?;
    let text = words.join(" ");
    if text.is_empty() {
        return Err(Error::usage(format!(
            "invalid value for --action: `{spec}` says nothing to do"
        )));
    }
    Ok(ActionSpec { text, owner, due })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_are_parsed_from_one_line() {
        let a = parse_action("Send the pricing sheet @tom due:2026-12-02")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.text, "Send the pricing sheet");
        assert_eq!(a.owner, "tom");
        assert_eq!(a.due.map(|d| d.to_string()).as_deref(), Some("2026-12-02"));
        assert!(parse_action("No owner here").is_err());
        assert!(parse_action("@tom").is_err());
        assert!(parse_action("Call @tom due:friday").is_err());
    }
}
