//! `growth meeting record`: a whole meeting from flags, in one atomic write.

use std::io::Write;

use clap::Args;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::entry::Change;
use crate::model::summary::Table;

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  growth meeting record --date 2026-11-30 --attendee maria --attendee tom --attendee amara \\\n    --note \"Webinar leads convert twice as well as paid search\" \\\n    --decision \"Move the December webinar budget from paid search\" \\\n    --action \"Send the pricing sheet to Globex @tom due:2026-12-02\" \\\n    --pulse maria=4 --pulse tom=5 --pulse amara=4"
)]
pub struct RecordArgs {
    /// The meeting's date (default: today)
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Who came; repeat (default: the whole team)
    #[arg(long = "attendee", value_name = "MEMBER")]
    pub attendees: Vec<String>,
    /// A note; repeat
    #[arg(long = "note", value_name = "TEXT")]
    pub notes: Vec<String>,
    /// A decision; repeat
    #[arg(long = "decision", value_name = "TEXT")]
    pub decisions: Vec<String>,
    /// An action item, "TEXT @OWNER due:DATE"; repeat
    #[arg(long = "action", value_name = "\"TEXT @OWNER due:DATE\"")]
    pub actions: Vec<String>,
    /// An attendee's pulse (alignment, 1 to 5), MEMBER=N; repeat
    #[arg(long = "pulse", value_name = "MEMBER=N")]
    pub pulses: Vec<String>,
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, args: RecordArgs) -> Result<()> {
    let mut ws = ctx.open()?;
    let me = ctx.identity(ws.config(), &ws.root)?.member;
    let date = super::date_or_today(ctx, ws.tz(), args.date.as_deref())?;
    let config = ws.config();
    crate::commands::warn_off_cadence(config, date);
    // A meeting months away is more often a mistyped year than a plan.
    let days = (date - ctx.today(ws.tz())?).num_days();
    if days.abs() > 31 {
        crate::render::warn(&format!(
            "{date} is {} days {}; recording the meeting for that date",
            days.abs(),
            if days > 0 { "from today" } else { "ago" }
        ));
    }
    let explicit_attendees: Vec<String> = args
        .attendees
        .iter()
        .map(|a| crate::commands::resolve_member(config, a).map(str::to_string))
        .collect::<Result<_>>()?;
    let attendees: Vec<String> = if explicit_attendees.is_empty() {
        config.active_member_ids().map(str::to_string).collect()
    } else {
        explicit_attendees.clone()
    };
    let actions: Vec<super::ActionSpec> = args
        .actions
        .iter()
        .map(|a| {
            let mut spec = super::parse_action(a)?;
            spec.owner = crate::commands::resolve_member(config, &spec.owner)?.to_string();
            Ok(spec)
        })
        .collect::<Result<_>>()?;
    let mut pulses = Vec::new();
    for p in &args.pulses {
        let (who, value) = p.split_once('=').ok_or_else(|| {
            Error::usage(format!("invalid value for --pulse: `{p}`"))
                .hint("write MEMBER=N, e.g. --pulse tom=4")
        })?;
        let value: u8 = value
            .trim()
            .parse()
            .ok()
            .filter(|v| (1..=5).contains(v))
            .ok_or_else(|| {
                Error::usage(format!(
                    "invalid value for --pulse: `{p}`: a pulse is 1 to 5"
                ))
            })?;
        pulses.push((
            crate::commands::resolve_member(config, who.trim())?.to_string(),
            value,
        ));
    }
    let meeting = date.to_string();
    let (facilitator, _) = crate::model::cadence::roles(config, date);
    let counts = (
        args.notes.len(),
        args.decisions.len(),
        actions.len(),
        pulses.len(),
    );
    // A second record of the same meeting adds to the first: its attendees stay, the
    // new --attendee ones join, and its facilitator stays.
    let earlier: Option<Vec<String>> = ws
        .state()?
        .meetings
        .get(&meeting)
        .map(|m| m.attendees.clone());
    let again = earlier.is_some();
    crate::commands::record(ctx, &mut ws, &me, |records, _, _| {
        let (facilitator, attendees) = match &earlier {
            Some(earlier) => {
                let mut all = earlier.clone();
                all.extend(
                    explicit_attendees
                        .iter()
                        .filter(|a| !earlier.contains(a))
                        .cloned(),
                );
                (None, all)
            }
            None => (facilitator.clone(), attendees.clone()),
        };
        let mut changes = vec![Change::MeetingOpen {
            meeting: meeting.clone(),
            facilitator,
            attendees,
        }];
        changes.extend(args.notes.iter().map(|t| Change::MeetingNote {
            meeting: meeting.clone(),
            section: None,
            text: t.clone(),
        }));
        changes.extend(args.decisions.iter().map(|t| Change::MeetingDecision {
            meeting: meeting.clone(),
            section: None,
            text: t.clone(),
        }));
        for a in &actions {
            changes.push(Change::ActionAdd {
                id: crate::commands::new_record_id(records, Table::Actions),
                text: a.text.clone(),
                owner: a.owner.clone(),
                due: a.due,
                meeting: Some(meeting.clone()),
            });
        }
        changes.extend(pulses.iter().map(|(m, v)| Change::MeetingPulse {
            meeting: meeting.clone(),
            member: m.clone(),
            value: *v,
        }));
        Ok(changes)
    })?;
    let (notes, decisions, actions, pulses) = counts;
    crate::commands::done(
        ctx,
        out,
        &meeting,
        &format!(
            "{} the meeting of {meeting}: {} attendee{}, {notes} note{}, {decisions} decision{}, {actions} action{}, {pulses} pulse{}",
            if again { "added to" } else { "recorded" },
            if again {
                explicit_attendees.len()
            } else {
                attendees.len()
            },
            crate::error::plural(if again {
                explicit_attendees.len()
            } else {
                attendees.len()
            }),
            crate::error::plural(notes),
            crate::error::plural(decisions),
            crate::error::plural(actions),
            crate::error::plural(pulses)
        ),
    )
}
