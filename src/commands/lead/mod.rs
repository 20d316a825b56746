//! `growth lead ...`: the pipeline of companies the team is working to win.

pub mod add;
pub mod edit;
pub mod export;
pub mod import;
pub mod list;
pub mod qualify;
pub mod show;
pub mod stage;

use std::io::Write;

use clap::Subcommand;
use serde::Serialize;

use crate::cli::OutputFormat;
use crate::context::Ctx;
use crate::error::Result;
use crate::model::Text;
use crate::model::lead::Lead;
use crate::render::{self, Listing};

#[derive(Debug, Subcommand)]
pub enum LeadCommand {
    /// Add a lead (its id is a slug of the company name)
    Add(add::AddArgs),
    /// List leads: search them, or filter by stage, owner, source, tag or staleness
    List(list::ListArgs),
    /// Show one lead with its history and notes
    Show(show::ShowArgs),
    /// Record the qualification criteria a lead meets; advances its stage per growth.toml
    Qualify(qualify::QualifyArgs),
    /// Move a lead to a stage (e.g. won, lost)
    Stage(stage::StageArgs),
    /// Change a lead's details or add a note
    Edit(edit::EditArgs),
    /// Import leads from a CRM's CSV export (HubSpot, Salesforce, Pipedrive); idempotent
    Import(import::ImportArgs),
    /// Export every lead as CSV or JSON
    Export(export::ExportArgs),
    /// Take a lead out of lists and goals, keeping its history
    Archive(crate::commands::retire::RetireArgs),
    /// Bring an archived lead back
    Unarchive(crate::commands::retire::RetireArgs),
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, cmd: LeadCommand) -> Result<()> {
    match cmd {
        LeadCommand::Add(args) => add::run(ctx, out, args),
        LeadCommand::List(args) => list::run(ctx, out, args),
        LeadCommand::Show(args) => show::run(ctx, out, args),
        LeadCommand::Qualify(args) => qualify::run(ctx, out, args),
        LeadCommand::Stage(args) => stage::run(ctx, out, args),
        LeadCommand::Edit(args) => edit::run(ctx, out, args),
        LeadCommand::Import(args) => import::run(ctx, out, args),
        LeadCommand::Export(args) => export::run(ctx, out, args),
        LeadCommand::Archive(args) => crate::commands::retire::run(
            ctx,
            out,
            crate::commands::retire::Retire::ArchiveLead,
            args,
        ),
        LeadCommand::Unarchive(args) => crate::commands::retire::run(
            ctx,
            out,
            crate::commands::retire::Retire::UnarchiveLead,
            args,
        ),
    }
}

/// A lead as JSON: the journal's field names, times in the workspace timezone.
#[derive(Debug, Serialize)]
pub struct LeadView {
    pub id: Text,
    pub company: Text,
    pub stage: Text,
    pub owner: Option<Text>,
    pub value: Option<f64>,
    pub currency: Text,
    pub contact: Option<Text>,
    pub email: Option<Text>,
    pub source: Option<Text>,
    pub tags: Vec<Text>,
    pub met: Vec<Text>,
    pub created: Text,
    pub created_by: Text,
    pub updated: Text,
    pub history: Vec<StageView>,
    pub notes: Vec<NoteView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crm_id: Option<Text>,
}

#[derive(Debug, Serialize)]
pub struct StageView {
    pub stage: Text,
    pub at: Text,
    pub by: Text,
    pub reason: Option<Text>,
}

#[derive(Debug, Serialize)]
pub struct NoteView {
    pub at: Text,
    pub by: Text,
    pub text: Text,
}

impl LeadView {
    pub fn new(lead: &Lead, tz: chrono_tz::Tz, default_currency: &str) -> Self {
        LeadView {
            id: lead.id.clone(),
            company: lead.company.clone(),
            stage: lead.stage.clone(),
            owner: lead.owner.clone(),
            value: lead.value,
            currency: lead.currency.as_deref().unwrap_or(default_currency).into(),
            contact: lead.contact.clone(),
            email: lead.email.clone(),
            source: lead.source.clone(),
            tags: lead.tags.to_vec(),
            met: lead.met.to_vec(),
            created: lead.created.to_toml(tz).into(),
            created_by: lead.created_by.clone(),
            updated: lead.updated.to_toml(tz).into(),
            history: lead
                .history
                .iter()
                .map(|h| StageView {
                    stage: h.stage.clone(),
                    at: h.at.to_toml(tz).into(),
                    by: h.by.clone(),
                    reason: h.reason.as_deref().map(Text::from),
                })
                .collect(),
            crm_id: lead.crm_id.as_deref().map(Text::from),
            notes: lead
                .notes
                .iter()
                .map(|n| NoteView {
                    at: n.at.to_toml(tz).into(),
                    by: n.by.clone(),
                    text: n.text.clone(),
                })
                .collect(),
        }
    }
}

/// Everything the cache holds about leads and nothing else: what showing one needs.
pub const WHOLE_LEADS: crate::store::Needs = crate::store::Needs::LEADS
    .and(crate::store::Needs::DETAILS)
    .and(crate::store::Needs::HISTORY)
    .and(crate::store::Needs::NOTES);

/// The table and CSV columns of leads.
pub fn listing(leads: &[&Lead], tz: chrono_tz::Tz, default_currency: &str, csv: bool) -> Listing {
    let headers = if csv {
        vec![
            "id", "company", "stage", "owner", "value", "currency", "contact", "email", "source",
            "tags", "met", "created", "updated",
        ]
    } else {
        vec![
            "id", "company", "stage", "owner", "value", "updated", "tags",
        ]
    };
    let rows = leads
        .iter()
        .map(|l| {
            let currency = l.currency.as_deref().unwrap_or(default_currency);
            if csv {
                vec![
                    l.id.to_string(),
                    l.company.clone().into(),
                    l.stage.clone().into(),
                    l.owner.as_deref().unwrap_or_default().to_string(),
                    l.value.map(|v| v.to_string()).unwrap_or_default(),
                    currency.to_string(),
                    l.contact.as_deref().unwrap_or_default().to_string(),
                    l.email.as_deref().unwrap_or_default().to_string(),
                    l.source.as_deref().unwrap_or_default().to_string(),
                    l.tags.join(";"),
                    l.met.join(";"),
                    l.created.to_toml(tz),
                    l.updated.to_toml(tz),
                ]
            } else {
                vec![
                    l.id.to_string(),
                    l.company.clone().into(),
                    l.stage.clone().into(),
                    l.owner.as_deref().unwrap_or_default().to_string(),
                    l.value
                        .map(|v| render::money(v, currency))
                        .unwrap_or_default(),
                    l.updated.date_in(tz).to_string(),
                    l.tags.join(", "),
                ]
            }
        })
        .collect();
    // On a narrow terminal: tags go first, then the date, then the company (the id names
    // it too), the value, the owner.
    let droppable = if csv { Vec::new() } else { vec![6, 5, 1, 4, 3] };
    Listing {
        headers,
        rows,
        droppable,
        wrap: (!csv).then_some(1),
    }
}

/// Prints leads as a table, JSON or CSV.
pub fn print(
    ctx: &Ctx,
    out: &mut dyn Write,
    format: OutputFormat,
    leads: &[&Lead],
    tz: chrono_tz::Tz,
    currency: &str,
) -> Result<()> {
    match format {
        OutputFormat::Json => render::emit_json(
            out,
            &render::json_seq(leads.iter().map(|l| LeadView::new(l, tz, currency))),
        ),
        OutputFormat::Csv => render::emit_csv(ctx, out, &listing(leads, tz, currency, true)),
        _ => render::emit_table(ctx, out, &listing(leads, tz, currency, false)),
    }
}

/// For a create or change command: the record in JSON or CSV (read back from the
/// workspace), else a confirmation line; `-q` prints just the id.
pub fn print_changed(
    ctx: &Ctx,
    out: &mut dyn Write,
    format: OutputFormat,
    ws: &crate::store::Workspace,
    id: &str,
    message: &str,
) -> Result<()> {
    match format {
        OutputFormat::Json | OutputFormat::Csv => {
            let state = ws.state_parts(WHOLE_LEADS)?;
            let Some(lead) = state.leads.get(id) else {
                return Ok(());
            };
            let currency = &ws.config().team.currency;
            if format == OutputFormat::Json {
                render::emit(out, &render::json(&LeadView::new(lead, ws.tz(), currency))?)
            } else {
                print(ctx, out, format, &[lead], ws.tz(), currency)
            }
        }
        // Quiet prints just the id, for scripts: `id=$(growth -q lead add "Acme")`.
        _ if ctx.quiet => render::emit(out, &format!("{id}\n")),
        _ => crate::commands::confirm(ctx, out, message),
    }
}

/// The lead `id` as a change left it (company, stage, criteria met).
pub fn changed(state: &crate::model::state::State, id: &str) -> Result<crate::model::lead::Lead> {
    state
        .leads
        .get(id)
        .map(|l| (**l).clone())
        .ok_or_else(|| crate::error::Error::user("nothing was recorded"))
}

/// The longest company name accepted: a name, not a document.
pub const MAX_NAME: usize = 200;

pub const RECORD_FORMATS: [OutputFormat; 3] =
    [OutputFormat::Table, OutputFormat::Json, OutputFormat::Csv];

/// `--value` parsed into an amount and, when it names one, a currency.
pub fn value_flag(value: Option<&str>) -> Result<(Option<f64>, Option<String>)> {
    let Some(v) = value else {
        return Ok((None, None));
    };
    let (amount, currency) = crate::model::money::parse_money(v)
        .map_err(|m| crate::error::Error::usage(format!("invalid value for --value: {m}")))?;
    Ok((Some(amount), currency))
}
