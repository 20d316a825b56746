//! `growth lead import FILE.csv`: leads from a CRM export (HubSpot, Salesforce, Pipedrive,
//! or growth's own CSV). Idempotent: a lead matches on the CRM's record id, else its email,
//! else its company, so importing the same file twice adds nothing and an updated export
//! updates what changed.

use std::collections::{HashMap, HashSet};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::Text;
use crate::model::config::Config;
use crate::model::crm::{self, Crm, Field};
use crate::model::entry::{Change, LeadFields};
use crate::model::lead::slug;
use crate::model::state::State;
use crate::model::summary::{LeadSummary, Records};
use crate::model::time::{Instant, resolve_local};
use crate::render;
use crate::store::input::{LineCounter, TextFile};

#[derive(Debug, Args)]
#[command(
    after_help = "Column names and stage labels of each CRM are known (HubSpot lifecycle stages, Salesforce\nlead statuses, Pipedrive deal stages); --map adds or overrides columns. Fields: id, crm_id,\ncompany, contact, first_name, last_name, email, source, stage, status, value, currency,\nowner, tags, created.\n\nExamples:\n  growth lead import hubspot-contacts.csv\n  growth lead import deals.csv --from pipedrive --dry-run\n  growth lead import export.csv --map \"Account Name=company\" --map \"Deal Size=value\""
)]
pub struct ImportArgs {
    /// The CSV file (UTF-8; commas, semicolons or tabs; CRLF or LF)
    pub file: PathBuf,
    /// Which CRM wrote it (auto detects it from the columns)
    #[arg(long, value_parser = ["auto", "hubspot", "salesforce", "pipedrive", "growth"], default_value = "auto")]
    pub from: String,
    /// Read COLUMN as FIELD; repeat
    #[arg(long = "map", value_name = "COLUMN=FIELD")]
    pub maps: Vec<String>,
    /// Show what would change and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Import nothing if any row is bad
    #[arg(long)]
    pub strict: bool,
}

/// One usable row of the file.
#[derive(Debug, Clone, Default)]
struct Row {
    line: u64,
    id: Option<String>,
    crm_id: Option<String>,
    company: String,
    /// The company's readable id, worked out once.
    slug: String,
    contact: Option<String>,
    email: Option<String>,
    source: Option<String>,
    stage: Option<String>,
    value: Option<f64>,
    currency: Option<String>,
    owner: Option<String>,
    /// The CRM's owner when no member matches it (the lead goes to whoever imports).
    unknown_owner: Option<String>,
    tags: Vec<String>,
    created: Option<Instant>,
}

#[derive(Debug, Clone, Serialize)]
struct Skipped {
    line: u64,
    reason: String,
}

#[derive(Debug, Default, Serialize)]
struct Outcome {
    crm: &'static str,
    rows: usize,
    added: usize,
    updated: usize,
    unchanged: usize,
    skipped: Vec<Skipped>,
    dry_run: bool,
}

/// Rows planned and written at a time: small next to a million-row export, large enough
/// that each batch's journal write is worth its cost.
const BATCH: usize = 20_000;

/// The ids of the leads this import adds (up to one a row), so that a company twice
/// in the file is one lead: inline strings, hashed with xxh3 as the fold's maps are.
type Added = HashSet<Text, std::hash::BuildHasherDefault<crate::model::state::KeyHasher>>;

/// CRM owners no member matches, for the warning at the end.
#[derive(Debug, Default)]
struct UnknownOwners {
    names: std::collections::BTreeSet<String>,
    rows: usize,
}

impl Outcome {
    /// Counts a batch read from the file.
    fn take(&mut self, rows: &[Row], mut skipped: Vec<Skipped>, unknown: &mut UnknownOwners) {
        self.rows += rows.len() + skipped.len();
        self.skipped.append(&mut skipped);
        for r in rows {
            if let Some(o) = &r.unknown_owner {
                unknown.rows += 1;
                if !unknown.names.contains(o) {
                    unknown.names.insert(o.clone());
                }
            }
        }
    }
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, args: ImportArgs) -> Result<()> {
    let format = ctx.format_or(
        crate::cli::OutputFormat::Table,
        &[
            crate::cli::OutputFormat::Table,
            crate::cli::OutputFormat::Json,
        ],
    )?;
    let mut maps: Vec<(String, Field)> = Vec::new();
    for m in &args.maps {
        let (column, field) = m.rsplit_once('=').ok_or_else(|| {
            Error::usage(format!("invalid value for --map: `{m}`"))
                .hint("write COLUMN=FIELD, e.g. --map \"Account Name=company\"")
        })?;
        let f = crm::field(field).ok_or_else(|| {
            let names: Vec<&str> = crm::FIELDS.iter().map(|(n, _)| *n).collect();
            Error::usage(format!("invalid value for --map: unknown field `{field}`"))
                .hint(format!("fields: {}", names.join(", ")))
        })?;
        maps.push((column.trim().to_lowercase(), f));
    }
    let path = if args.file.is_absolute() {
        args.file.clone()
    } else {
        ctx.cwd.join(&args.file)
    };
    let text = crate::store::input::TextFile::check(&path)?;
    let mut ws = ctx.open()?;
    let me = ctx.identity(ws.config(), &ws.root)?.member;
    let (config, tz) = (ws.config().clone(), ws.tz());
    let reader = |progress| RowReader::new(ctx, &text, &args.from, &maps, &config, tz, progress);
    // All or nothing: every row is read once before anything is written.
    if args.strict {
        let mut rows = reader(false)?;
        let mut skipped = Vec::new();
        while let Some((_, mut bad)) = rows.batch(BATCH)? {
            skipped.append(&mut bad);
        }
        if !skipped.is_empty() {
            for s in &skipped {
                render::warn(&format!("{}:{}: {}", path.display(), s.line, s.reason));
            }
            return Err(Error::user(format!(
                "{} bad row{}; nothing was imported",
                skipped.len(),
                crate::error::plural(skipped.len())
            ))
            .hint("fix the rows above, or drop --strict to import the others"));
        }
    }
    let mut rows = reader(true)?;
    let crm = rows.crm;
    let fresh = || Outcome {
        crm: crm.name(),
        dry_run: args.dry_run,
        ..Outcome::default()
    };
    let mut outcome = fresh();
    let mut unknown = UnknownOwners::default();
    let mut added = Added::default();
    if args.dry_run {
        let mut dry = Dry {
            config: &config,
            me: &me,
            crm,
            outcome: fresh(),
            unknown: UnknownOwners::default(),
        };
        // Against the writers' index when it is current, as the import itself plans;
        // otherwise (or if a chunk of it fails its check) against the whole state.
        let indexed = ws.with_indexed_records(|records| {
            dry.run(&mut rows, &Known::of_records(records), &|id| {
                records.lead(id)
            })
        });
        if let Some(read) = indexed {
            read?;
        } else {
            let state = ws.state()?;
            let existing = |id: &str| state.leads.get(id).map(|l| LeadSummary::of(l));
            (dry.outcome, dry.unknown) = (fresh(), UnknownOwners::default());
            dry.run(&mut reader(true)?, &Known::of_state(&state), &existing)?;
        }
        (outcome, unknown) = (dry.outcome, dry.unknown);
    } else {
        let now = ctx.entry_time(tz)?;
        // In batches, against the records as they were (the writers' index), holding one
        // batch of rows and changes at a time.
        let mut known = None;
        let batched = ws.record_batches(&me, now, |records, config| {
            let known = known.get_or_insert_with(|| Known::of_records(records));
            let Some((batch, skipped)) = rows.batch(BATCH)? else {
                return Ok(None);
            };
            outcome.take(&batch, skipped, &mut unknown);
            let existing = |id: &str| records.lead(id);
            Ok(Some(plan(
                batch,
                known,
                &existing,
                config,
                &me,
                crm,
                &mut added,
                &mut outcome,
            )))
        })?;
        if batched.is_none() {
            // The index is not current: every row at once, against the whole state.
            let mut rows = reader(true)?;
            let mut all = Vec::new();
            while let Some((mut batch, skipped)) = rows.batch(BATCH)? {
                outcome.take(&batch, skipped, &mut unknown);
                all.append(&mut batch);
            }
            let mut planned = Outcome::default();
            ws.record_with_state(&me, now, |state, config, _| {
                let known = Known::of_state(state);
                let existing = |id: &str| state.leads.get(id).map(|l| LeadSummary::of(l));
                Ok(plan(
                    all,
                    &known,
                    &existing,
                    config,
                    &me,
                    crm,
                    &mut added,
                    &mut planned,
                ))
            })?;
            outcome.added = planned.added;
            outcome.updated = planned.updated;
            outcome.unchanged = planned.unchanged;
        }
    }
    if !unknown.names.is_empty() {
        let names: Vec<String> = unknown
            .names
            .iter()
            .take(5)
            .map(|o| render::sanitize::cell(o))
            .collect();
        render::warn(&format!(
            "{} row{} name{} an owner who is not a member ({}{}); new leads among them are owned by {me}; \
             add the owners with `growth member add ID --name NAME --email EMAIL` and import again to assign them",
            unknown.rows,
            crate::error::plural(unknown.rows),
            if unknown.rows == 1 { "s" } else { "" },
            names.join(", "),
            if unknown.names.len() > 5 { ", ..." } else { "" }
        ));
    }
    if format == crate::cli::OutputFormat::Json {
        return render::emit(out, &render::json(&outcome)?);
    }
    for s in &outcome.skipped {
        render::warn(&format!(
            "{}:{}: skipped: {}",
            path.display(),
            s.line,
            s.reason
        ));
    }
    let verb = if args.dry_run {
        "would import"
    } else {
        "imported"
    };
    super::super::confirm(
        ctx,
        out,
        &format!(
            "{verb} {} rows from {}: {} added, {} updated, {} unchanged, {} skipped",
            outcome.rows,
            crm.name(),
            outcome.added,
            outcome.updated,
            outcome.unchanged,
            outcome.skipped.len()
        ),
    )
}

/// `lead import --dry-run`: every row planned, nothing written.
struct Dry<'a> {
    config: &'a Config,
    me: &'a str,
    crm: Crm,
    outcome: Outcome,
    unknown: UnknownOwners,
}

impl Dry<'_> {
    /// Plans every batch of `rows` against the leads `known` and `existing` describe.
    fn run(
        &mut self,
        rows: &mut RowReader,
        known: &Known,
        existing: &dyn Fn(&str) -> Option<LeadSummary>,
    ) -> Result<()> {
        let mut added = Added::default();
        while let Some((batch, skipped)) = rows.batch(BATCH)? {
            self.outcome.take(&batch, skipped, &mut self.unknown);
            plan(
                batch,
                known,
                existing,
                self.config,
                self.me,
                self.crm,
                &mut added,
                &mut self.outcome,
            );
        }
        Ok(())
    }
}

/// The delimiter of a CSV file: whichever of `,` `;` tab is most common in the header.
fn delimiter(header: &str) -> u8 {
    let count = |c: char| header.chars().filter(|x| *x == c).count();
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| count(char::from(*d)))
        .unwrap_or(b',')
}

/// The rows of a CSV export, read a batch at a time from the file (never held whole).
struct RowReader<'a> {
    reader: csv::Reader<LineCounter>,
    path: &'a std::path::Path,
    columns: Vec<Option<Field>>,
    crm: Crm,
    config: &'a Config,
    tz: chrono_tz::Tz,
    bar: Option<indicatif::ProgressBar>,
}

impl<'a> RowReader<'a> {
    fn new(
        ctx: &Ctx,
        text: &'a TextFile,
        from: &str,
        maps: &[(String, Field)],
        config: &'a Config,
        tz: chrono_tz::Tz,
        progress: bool,
    ) -> Result<Self> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter(&text.first_line))
            .flexible(true)
            .from_reader(text.open()?);
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| Error::user(format!("cannot read the CSV header: {e}")))?
            .iter()
            .map(str::to_string)
            .collect();
        let crm = match from {
            "hubspot" => Crm::HubSpot,
            "salesforce" => Crm::Salesforce,
            "pipedrive" => Crm::Pipedrive,
            "growth" => Crm::Generic,
            _ => crm::detect(&headers),
        };
        let columns: Vec<Option<Field>> = headers
            .iter()
            .map(|h| {
                maps.iter()
                    .find(|(c, _)| *c == h.trim().to_lowercase())
                    .map(|(_, f)| *f)
                    .or_else(|| crm::column(crm, h))
            })
            .collect();
        if !columns.contains(&Some(Field::Company)) {
            return Err(Error::user(format!(
                "no column holds the company (read as {})",
                crm.name()
            ))
            .hint(format!(
                "columns: {}; name one with --map \"COLUMN=company\"",
                headers.join(", ")
            )));
        }
        let total = text.lines.saturating_sub(1) as u64;
        let bar = (progress && total > 2000 && !ctx.quiet && std::io::stderr().is_terminal()).then(
            || {
                let bar = indicatif::ProgressBar::new(total);
                bar.set_style(
                    indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} rows {msg}")
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                );
                bar
            },
        );
        Ok(RowReader {
            reader,
            columns,
            crm,
            config,
            tz,
            bar,
            path: &text.path,
        })
    }

    /// The line a record starting at `byte` begins on. Lines from byte offsets: the csv
    /// crate's own line count is off by one with CRLF.
    fn line_at(&mut self, byte: u64) -> u64 {
        self.reader.get_mut().line_at(byte)
    }

    /// The next `size` records (fewer at the end) as rows and bad rows; `None` once the
    /// file is read. A file that cannot be read on is an error, not a bad row.
    fn batch(&mut self, size: usize) -> Result<Option<(Vec<Row>, Vec<Skipped>)>> {
        let mut rows = Vec::new();
        let mut skipped = Vec::new();
        let mut record = csv::StringRecord::new();
        let mut read = 0;
        while read < size {
            match self.reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    let line = record.position().map_or(0, |p| self.line_at(p.byte()));
                    match row(&record, &self.columns, self.crm, self.config, self.tz) {
                        Ok(Some(mut r)) => {
                            r.line = line;
                            rows.push(r);
                        }
                        Ok(None) => {}
                        Err(reason) => skipped.push(Skipped { line, reason }),
                    }
                }
                Err(e) if e.is_io_error() => {
                    return Err(Error::io(
                        format!("cannot read {}", self.path.display()),
                        std::io::Error::from(e),
                    ));
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| self.line_at(p.byte()));
                    skipped.push(Skipped {
                        line,
                        reason: format!("unreadable CSV: {e}"),
                    });
                }
            }
            read += 1;
        }
        if let Some(b) = &self.bar {
            b.inc(read as u64);
        }
        if read == 0 {
            if let Some(b) = self.bar.take() {
                b.finish_and_clear();
            }
            return Ok(None);
        }
        Ok(Some((rows, skipped)))
    }
}

/// One record as a row; `None` for a blank line, `Err` with the reason for a bad one.
fn row(
    record: &csv::StringRecord,
    columns: &[Option<Field>],
    crm: Crm,
    config: &Config,
    tz: chrono_tz::Tz,
) -> Result<Option<Row>, String> {
    let mut r = Row::default();
    let (mut first, mut last, mut status) = (None, None, None);
    if record.iter().all(|c| c.trim().is_empty()) {
        return Ok(None);
    }
    for (value, column) in record.iter().zip(columns) {
        let value = value.trim();
        // Undo the apostrophe `lead export` puts before formula-like cells, so a round trip is exact.
        let value = match value.strip_prefix('\'') {
            Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
            _ => value,
        };
        if value.is_empty() {
            continue;
        }
        let Some(field) = column else { continue };
        let text = Some(value.to_string());
        match field {
            Field::Id => r.id = text,
            Field::CrmId => r.crm_id = text,
            Field::Company => r.company = value.to_string(),
            Field::Contact => r.contact = text,
            Field::FirstName => first = text,
            Field::LastName => last = text,
            Field::Email => r.email = Some(value.to_lowercase()),
            Field::Source => r.source = text,
            Field::Stage => {
                r.stage = Some(crm::stage(crm, value, &config.pipeline.stages).ok_or_else(
                    || {
                        format!(
                            "unknown stage `{value}`; the stages are {}",
                            config.pipeline.stages.join(", ")
                        )
                    },
                )?)
            }
            Field::Status => status = Some(value.to_lowercase()),
            Field::Value => {
                let (amount, currency) = crate::model::money::parse_money(value)?;
                r.value = Some(amount);
                if currency.is_some() {
                    r.currency = currency;
                }
            }
            Field::Currency => r.currency = Some(value.to_uppercase()),
            Field::Owner => {
                r.owner = owner(config, value);
                if r.owner.is_none() && !value.trim().is_empty() {
                    r.unknown_owner = Some(value.trim().to_string());
                }
            }
            Field::Tags => {
                r.tags = value
                    .split([',', ';'])
                    .map(|t| t.trim().to_lowercase())
                    .filter(|t| !t.is_empty())
                    .collect()
            }
            Field::Created => {
                // growth's own export writes offset datetimes; CRMs write local ones.
                r.created = Some(match chrono::DateTime::parse_from_rfc3339(value) {
                    Ok(at) => Instant::from_datetime(&at),
                    Err(_) => resolve_local(
                        crm::date(value).ok_or_else(|| format!("`{value}` is not a date"))?,
                        tz,
                    ),
                });
            }
        }
    }
    if r.contact.is_none() {
        r.contact = match (first, last) {
            (Some(f), Some(l)) => Some(format!("{f} {l}")),
            (f, l) => f.or(l),
        };
    }
    // Pipedrive keeps won and lost in the status, not the stage.
    match status.as_deref() {
        Some("won") => r.stage = Some(config.pipeline.won.clone()),
        Some("lost") => r.stage = Some(config.pipeline.lost.clone()),
        _ => {}
    }
    if r.company.is_empty() {
        return Err("no company".into());
    }
    if r.company.chars().count() > super::MAX_NAME {
        return Err(format!(
            "the company name is longer than {} characters",
            super::MAX_NAME
        ));
    }
    r.slug = slug(&r.company);
    if r.slug.is_empty() && r.id.is_none() {
        return Err(format!("`{}` gives no readable id", r.company));
    }
    Ok(Some(r))
}

/// A CRM owner (a name, an email or an id) as a member, if there is one.
fn owner(config: &Config, text: &str) -> Option<String> {
    let t = text.trim().to_lowercase();
    config
        .members
        .iter()
        .find(|(id, m)| {
            **id == t
                || m.name.to_lowercase() == t
                || m.email
                    .as_deref()
                    .is_some_and(|e| e.eq_ignore_ascii_case(&t))
        })
        .map(|(id, _)| id.clone())
}

/// The leads of the workspace before the import, by CRM id and by email: rows match them
/// first (later leads in id order win a tie, as a map built in that order keeps them).
#[derive(Debug, Default)]
struct Known {
    by_crm: HashMap<String, String>,
    by_email: HashMap<String, String>,
}

impl Known {
    fn note(&mut self, id: &str, email: Option<&str>, crm_id: Option<&str>) {
        if let Some(c) = crm_id {
            self.by_crm.insert(c.to_string(), id.to_string());
        }
        if let Some(e) = email {
            self.by_email.insert(e.to_string(), id.to_string());
        }
    }

    fn of_state(state: &State) -> Self {
        let mut known = Known::default();
        for l in state.leads.values() {
            known.note(&l.id, l.email.as_deref(), l.crm_id.as_deref());
        }
        known
    }

    fn of_records(records: &dyn Records) -> Self {
        let mut known = Known::default();
        records.each_lead_key(&mut |id, email, crm_id| known.note(id, email, crm_id));
        known
    }
}

/// The changes that bring the workspace in line with the rows; counts them in `outcome`.
/// `existing` finds a lead as it was before the import; `added` holds the ids this import
/// adds, so a company twice in the file is one lead.
#[allow(clippy::too_many_arguments)]
fn plan(
    rows: Vec<Row>,
    known: &Known,
    existing: &dyn Fn(&str) -> Option<LeadSummary>,
    config: &Config,
    me: &str,
    crm: Crm,
    added: &mut Added,
    outcome: &mut Outcome,
) -> Vec<Change> {
    let mut changes = Vec::with_capacity(rows.len());
    let reason = format!("imported from {}", crm.name());
    for mut r in rows {
        let matched = r
            .crm_id
            .as_deref()
            .and_then(|c| known.by_crm.get(c))
            .or_else(|| r.email.as_deref().and_then(|e| known.by_email.get(e)))
            .cloned()
            .and_then(|id| existing(&id))
            .or_else(|| r.id.as_deref().and_then(existing))
            .or_else(|| existing(&r.slug));
        let currency = r
            .currency
            .clone()
            .unwrap_or_else(|| config.team.currency.clone());
        match matched {
            Some(lead) => {
                let differs = |new: &Option<String>, old: &Option<String>| {
                    new.as_ref().filter(|n| Some(*n) != old.as_ref()).cloned()
                };
                let fields = LeadFields {
                    company: Some(r.company.clone()).filter(|c| *c != lead.company),
                    contact: differs(&r.contact, &lead.contact),
                    email: differs(&r.email, &lead.email),
                    source: differs(&r.source, &lead.source),
                    value: r.value.filter(|v| Some(*v) != lead.value),
                    currency: r
                        .value
                        .and(Some(currency.clone()))
                        .filter(|c| Some(c) != lead.currency.as_ref()),
                    owner: differs(&r.owner, &lead.owner),
                    tags: Some(r.tags.clone()).filter(|t| !t.is_empty() && *t != lead.tags),
                    crm_id: differs(&r.crm_id, &lead.crm_id),
                    ..LeadFields::default()
                };
                let stage_change = r.stage.clone().filter(|s| *s != lead.stage);
                if fields == LeadFields::default() && stage_change.is_none() {
                    outcome.unchanged += 1;
                    continue;
                }
                outcome.updated += 1;
                if fields != LeadFields::default() {
                    changes.push(Change::LeadEdit {
                        lead: lead.id.clone(),
                        fields: Box::new(fields),
                        note: None,
                    });
                }
                if let Some(stage) = stage_change {
                    changes.push(Change::LeadStage {
                        lead: lead.id.clone(),
                        stage,
                        reason: Some(reason.clone()),
                    });
                }
            }
            None => {
                let id =
                    r.id.take()
                        .filter(|i| crate::model::lead::is_valid_id(i))
                        .unwrap_or_else(|| std::mem::take(&mut r.slug));
                if !added.insert(Text::from(id.as_str())) {
                    outcome.unchanged += 1;
                    continue;
                }
                outcome.added += 1;
                // The row's text moves into the entry: a million rows are a million of each.
                changes.push(Change::LeadAdd(Box::new(LeadFields {
                    id,
                    company: Some(r.company),
                    contact: r.contact,
                    email: r.email,
                    source: r.source,
                    value: r.value,
                    currency: Some(currency),
                    owner: Some(r.owner.unwrap_or_else(|| me.to_string())),
                    tags: (!r.tags.is_empty()).then_some(r.tags),
                    stage: Some(r.stage.unwrap_or_else(|| config.pipeline.stages[0].clone())),
                    note: None,
                    crm_id: r.crm_id,
                    created: r.created,
                    clear: Vec::new(),
                })));
            }
        }
    }
    changes
}
