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
use crate::model::time::Instant;
use crate::render::{self, Listing};
use thin_vec::ThinVec;

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

/// The CSV columns of leads (the JSON field names).
const CSV_HEADERS: [&str; 13] = [
    "id", "company", "stage", "owner", "value", "currency", "contact", "email", "source", "tags",
    "met", "created", "updated",
];

/// The table columns of leads.
const TABLE_HEADERS: [&str; 7] = [
    "id", "company", "stage", "owner", "value", "updated", "tags",
];

/// The table and CSV columns of leads.
pub fn listing(leads: &[&Lead], tz: chrono_tz::Tz, default_currency: &str, csv: bool) -> Listing {
    let rows = leads
        .iter()
        .map(|l| row(l, tz, default_currency, csv))
        .collect();
    listing_of(rows, csv)
}

/// The table or CSV listing of `rows` made by [`row`].
fn listing_of(rows: render::Rows, csv: bool) -> Listing {
    // On a narrow terminal: tags go first, then the date, then the company (the id names
    // it too), the value, the owner.
    let droppable = if csv { Vec::new() } else { vec![6, 5, 1, 4, 3] };
    Listing {
        headers: if csv {
            CSV_HEADERS.to_vec()
        } else {
            TABLE_HEADERS.to_vec()
        },
        rows,
        droppable,
        wrap: (!csv).then_some(1),
    }
}

/// A lead's cells in the CSV or the table.
fn row(l: &Lead, tz: chrono_tz::Tz, default_currency: &str, csv: bool) -> Vec<String> {
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
}

/// Prints leads as a table, JSON or CSV, in the order given (what [`LeadRows`] prints
/// of the same leads pushed in that order).
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

/// What a listing sorts a lead by: its stage's position, when it last changed (newest
/// first) and its id (a listing by id leaves the first two the same for every lead).
type LeadKey = (Option<usize>, std::cmp::Reverse<Instant>, Text);

/// Leads taken in one format as they pass (table or CSV cells; for JSON the lead in
/// postcard, made JSON when printed), each with its sort key: a listing of every lead
/// holds about what it prints, not the leads. One implementation for every source (the
/// whole state, a cache's stream, the writers' index) and every format.
pub struct LeadRows<'a> {
    format: OutputFormat,
    /// Sorted in pipeline order by this pipeline, else by id.
    pipeline: Option<&'a crate::model::config::Pipeline>,
    tz: chrono_tz::Tz,
    currency: &'a str,
    sorted: render::Sorted<LeadKey>,
    /// The table's summary: per row pushed, an open lead's value and currency.
    open: Vec<Option<Worth>>,
    error: Option<postcard::Error>,
}

/// A lead as [`LeadRows`] keeps it for the JSON: the lead, its contact, email, tags and
/// CRM id, its stage history and its notes.
type LeadRecord = (
    Lead,
    (Option<Text>, Option<Text>, ThinVec<Text>, Option<Box<str>>),
    ThinVec<crate::model::lead::StageChange>,
    ThinVec<crate::model::lead::Note>,
);

/// An open lead's value and currency (`None`: the team's).
type Worth = (Option<f64>, Option<Box<str>>);

/// The table's last line: how many leads, how many open and what those are worth.
pub struct Summary {
    pub leads: usize,
    pub open: usize,
    /// Per currency, each added up in the listing's order.
    pub worth: std::collections::BTreeMap<String, f64>,
}

impl<'a> LeadRows<'a> {
    /// Leads to be listed in `format`: in pipeline order when given the `pipeline`
    /// (`lead list`), else by id (`lead export`).
    pub fn new(
        format: OutputFormat,
        pipeline: Option<&'a crate::model::config::Pipeline>,
        tz: chrono_tz::Tz,
        currency: &'a str,
    ) -> Self {
        LeadRows {
            format,
            pipeline,
            tz,
            currency,
            sorted: render::Sorted::default(),
            open: Vec::new(),
            error: None,
        }
    }

    /// Renders `lead` and keeps its key.
    pub fn push(&mut self, lead: &Lead) {
        let key = match self.pipeline {
            Some(p) => (
                p.position(&lead.stage),
                std::cmp::Reverse(lead.updated),
                lead.id.clone(),
            ),
            None => (None, std::cmp::Reverse(Instant(i64::MAX)), lead.id.clone()),
        };
        match self.format {
            OutputFormat::Json => {
                // Kept in postcard, a third of its JSON, and made JSON when printed.
                let details = (&lead.contact, &lead.email, &lead.tags, &lead.crm_id);
                let record = (lead, details, &lead.history, &lead.notes);
                if let Err(e) = self.sorted.push_record(key, &record) {
                    self.error.get_or_insert(e);
                }
            }
            OutputFormat::Csv => self
                .sorted
                .push(key, row(lead, self.tz, self.currency, true)),
            _ => {
                self.sorted
                    .push(key, row(lead, self.tz, self.currency, false));
                let closed = self.pipeline.is_some_and(|p| p.is_closed(&lead.stage));
                self.open
                    .push((!closed).then(|| (lead.value, lead.currency.clone())));
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }

    /// Writes the leads in their order.
    pub fn print(self, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        self.print_summed(ctx, out).map(|_| ())
    }

    /// [`LeadRows::print`], answering the table's summary (`None` for JSON and CSV).
    pub fn print_summed(self, ctx: &Ctx, out: &mut dyn Write) -> Result<Option<Summary>> {
        if let Some(e) = self.error {
            return Err(
                crate::error::Error::user(format!("cannot keep a lead for the JSON: {e}"))
                    .hint("`--format csv` lists the same leads; please report this"),
            );
        }
        let render::sorted::Finished {
            rows,
            records,
            order,
        } = self.sorted.finish();
        let (tz, currency) = (self.tz, self.currency);
        match self.format {
            OutputFormat::Json => {
                let leads = records.json(|(mut lead, details, history, notes): LeadRecord| {
                    (lead.contact, lead.email, lead.tags, lead.crm_id) = details;
                    (lead.history, lead.notes) = (history, notes);
                    LeadView::new(&lead, tz, currency)
                });
                render::emit_json(out, &leads).map(|()| None)
            }
            OutputFormat::Csv => render::emit_csv(ctx, out, &listing_of(rows, true)).map(|()| None),
            _ => {
                let leads = rows.len();
                render::emit_table(ctx, out, &listing_of(rows, false))?;
                // Added up in the listing's order, as a sum of floats depends on it.
                let mut summary = Summary {
                    leads,
                    open: 0,
                    worth: Default::default(),
                };
                for &at in &order {
                    if let Some(Some((value, currency))) = self.open.get(at as usize) {
                        summary.open += 1;
                        *summary
                            .worth
                            .entry(currency.as_deref().unwrap_or(self.currency).to_string())
                            .or_default() += value.unwrap_or(0.0);
                    }
                }
                Ok(Some(summary))
            }
        }
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
