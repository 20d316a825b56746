//! Every command and flag, on one screen. Each subcommand's arguments live beside its
//! code in `commands/`; their `///` comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::commands;

#[derive(Debug, Parser)]
#[command(
    name = "growth",
    version,
    about = "Runs the weekly meeting of a growth team: leads, handoffs, goals, agendas.",
    long_about = None,
    after_help = "Getting started:\n  growth init --team \"Acme Growth\" --timezone Europe/Berlin\n  growth member add maria --name \"Maria Lopez\" --dept marketing --leader\n  growth whoami --set maria\n  growth lead add \"Acme Corp\" --contact \"Jane Roe\" --value 12000\n  growth lead list"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Use the workspace in DIR (else GROWTH_WORKSPACE, else the nearest growth.toml upward)
    #[arg(short = 'C', long = "workspace", value_name = "DIR", global = true)]
    pub workspace: Option<PathBuf>,
    /// Record as this member (else GROWTH_USER, `whoami --set`, or git user.email)
    #[arg(long = "as", value_name = "MEMBER", global = true)]
    pub as_member: Option<String>,
    /// Freeze "now": a date (noon) or date and time, in the workspace timezone
    #[arg(long, value_name = "DATE", global = true, value_parser = parse_today)]
    pub today: Option<String>,
    /// When what you record happened: a date (noon) or date and time, in the workspace
    /// timezone; to backdate ("I handed this off on Friday"). At most 10 minutes ahead of now
    #[arg(long, value_name = "DATETIME", global = true, value_parser = parse_today)]
    pub at: Option<String>,
    /// Never prompt; missing values are errors (implied when stdin is not a terminal)
    #[arg(long, global = true)]
    pub no_input: bool,
    /// When to use colour (NO_COLOR is respected)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN", global = true)]
    pub color: ColorChoice,
    /// Print only what was asked for: no confirmations
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Output format of listings and created records
    #[arg(long, value_enum, value_name = "FORMAT", global = true)]
    pub format: Option<OutputFormat>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
    Csv,
    Text,
    Md,
    Html,
    Slack,
}

impl std::fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = self
            .to_possible_value()
            .map(|v| v.get_name().to_string())
            .unwrap_or_default();
        f.write_str(&name)
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a workspace (a short wizard on a terminal)
    Init(commands::init::InitArgs),
    /// Validate every file; report each problem as file:line:col
    Check(commands::check::CheckArgs),
    /// Show or set who you are when recording
    Whoami(commands::whoami::WhoamiArgs),
    /// My plate: handoffs to decide (SLA clocks), my stale leads, actions due, the next meeting
    Status(commands::status::StatusArgs),
    /// Add, list or remove team members
    #[command(subcommand)]
    Member(commands::member::MemberCommand),
    /// Add leads and move them through the pipeline
    #[command(subcommand)]
    Lead(commands::lead::LeadCommand),
    /// Hand a lead to sales; accept, reject, record first contact; list with SLA clocks
    Handoff(commands::handoff::HandoffArgs),
    /// Say what works or misses the mark (optionally anonymous); list and resolve feedback
    Feedback(commands::feedback::FeedbackArgs),
    /// A content idea from the field; list ideas and move them to published
    Idea(commands::idea::IdeaArgs),
    /// A shout-out crediting everyone who played a part; list wins and deals won
    Win(commands::win::WinArgs),
    /// Action items with an owner and a due date
    #[command(subcommand)]
    Action(commands::action::ActionCommand),
    /// Goals: targets for a metric over a period, crediting any departments
    #[command(subcommand)]
    Goal(commands::goal::GoalCommand),
    /// Where each goal stands: pace, status, projection, run-rate, change, funnel
    Progress(commands::progress::ProgressArgs),
    /// Reports over a period: the funnel, lead sources, the handoff SLA, team credits
    Report(commands::report::ReportArgs),
    /// The next meeting's agenda: celebrations, goals, qualification, handoffs, content, feedback, actions
    Agenda(commands::agenda::AgendaArgs),
    /// The next meetings by the cadence, with facilitator and note-taker; --ics for calendars
    Next(commands::next::NextArgs),
    /// Run the meeting (interactive walk-through or flags); list and show minutes
    #[command(subcommand)]
    Meeting(commands::meeting::MeetingCommand),
    /// Commit what was recorded, pull, check, push (the system git)
    Sync(commands::sync::SyncArgs),
    /// Concurrent changes from different clones that need a decision
    Conflicts(commands::conflicts::ConflictsArgs),
    /// Settle a conflict by picking one of its values
    Resolve(commands::resolve::ResolveArgs),
    /// The operations recorded, newest first, with their entry ids
    Log(commands::log::LogArgs),
    /// Take back an entry (default: your last) by recording its reverse
    Undo(commands::undo::UndoArgs),
    /// Get or set the team's settings (cadence, SLA hours, stages...) in growth.toml
    #[command(subcommand)]
    Config(commands::config::ConfigCommand),
    /// Shell completions: bash, zsh, fish, powershell, elvish
    Completions(commands::shell::CompletionsArgs),
    /// Man pages (roff): the main page, or one per subcommand with --output DIR
    Man(commands::shell::ManArgs),
}

/// The command line with its id arguments completing from the workspace: what shell
/// completion (`COMPLETE=bash growth`) walks.
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    commands::shell::with_id_candidates(Cli::command())
}

/// Checks the shape of `--today` early, so every command rejects a bad one alike; it is
/// resolved in the workspace timezone later.
fn parse_today(text: &str) -> Result<String, String> {
    crate::model::time::parse_moment(text, chrono_tz::UTC).map(|_| text.to_string())
}

/// A whole-number flag's value, with an error that says what was expected (clap's own is
/// "invalid digit found in string").
pub fn whole<T: std::str::FromStr>(text: &str) -> Result<T, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a whole number; give one like 14"))
}
