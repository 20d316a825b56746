//! `growth lead list`: the pipeline, filtered.

use std::io::Write;

use clap::Args;

use crate::store::Needs;

use crate::cli::OutputFormat;
use crate::context::Ctx;
use crate::error::Result;
use crate::model::lead::Lead;
use crate::model::search::{self, Search};

/// The text `--search` looks in: company, contact, email and every note.
fn searched(l: &Lead) -> impl Iterator<Item = &str> {
    [Some(&l.company), l.contact.as_ref(), l.email.as_ref()]
        .into_iter()
        .flatten()
        .map(|t| t.as_str())
        .chain(l.notes.iter().map(|n| n.text.as_str()))
}

#[derive(Debug, Args)]
#[command(
    after_help = "Filters combine: a lead is listed when it passes every one given.\n\nExamples:\n  growth lead list --stage mql\n  growth lead list --mine --stale 14\n  growth lead list --search muller\n  growth lead list --owner tom --source webinar --tag emea\n  growth lead list --format csv > leads.csv"
)]
pub struct ListArgs {
    /// Only leads in this stage
    #[arg(long)]
    pub stage: Option<String>,
    /// Only leads owned by this member
    #[arg(long, value_name = "MEMBER", conflicts_with = "mine")]
    pub owner: Option<String>,
    /// Only leads you own (who you are: see --as)
    #[arg(long)]
    pub mine: bool,
    /// Only leads from this source (webinar, referral, ...; case and accents ignored)
    #[arg(long)]
    pub source: Option<String>,
    /// Only leads whose company, contact, email or notes contain TEXT (case and accents ignored)
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// Only leads with this tag
    #[arg(long)]
    pub tag: Option<String>,
    /// Only open leads with no change for at least DAYS days
    #[arg(long, value_name = "DAYS", value_parser = crate::cli::whole::<u32>)]
    pub stale: Option<u32>,
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, args: ListArgs) -> Result<()> {
    let format = ctx.format_or(OutputFormat::Table, &super::RECORD_FORMATS)?;
    let ws = ctx.open()?;
    let config = ws.config();
    if let Some(stage) = &args.stage
        && config.pipeline.position(stage).is_none()
    {
        return Err(crate::commands::unknown_stage(config, stage));
    }
    let me = if args.mine {
        Some(ctx.identity(config, &ws.root)?.member)
    } else {
        None
    };
    let owner = match &args.owner {
        Some(o) => Some(crate::commands::resolve_member(config, o)?),
        None => me.as_deref(),
    };
    let source = args.source.as_deref().map(search::fold);
    let source = source.as_deref().map(str::trim);
    let wanted = args.search.as_deref().and_then(Search::new);
    let tag = args.tag.as_deref().map(str::to_lowercase);
    let cutoff = match args.stale {
        Some(days) => Some(ctx.now(ws.tz())?.plus_millis(-i64::from(days) * 86_400_000)),
        None => None,
    };
    // The JSON carries each lead's history and notes; the table and CSV need neither.
    // A search reads the notes too.
    let needs = match format {
        OutputFormat::Json => super::WHOLE_LEADS,
        _ if wanted.is_some() => Needs::LEADS.and(Needs::DETAILS).and(Needs::NOTES),
        _ => Needs::LEADS.and(Needs::DETAILS),
    };
    // The table and CSV show no history and no notes: a current writers' index has the
    // rest, and a stage filter there decodes only the leads in that stage. Without one,
    // decoding every lead from the cache's sections is faster (at 1M entries, 0.68 s of
    // CPU against 0.78 s).
    let indexed = match &args.stage {
        Some(stage) if format != OutputFormat::Json && wanted.is_none() => {
            ws.indexed_leads(Some(stage))
        }
        _ => None,
    };
    let passes = |l: &Lead| {
        args.stage.as_ref().is_none_or(|s| l.stage == s)
            && owner.is_none_or(|o| l.owner.as_deref() == Some(o))
            && tag.as_ref().is_none_or(|t| l.tags.iter().any(|x| x == t))
            && cutoff.is_none_or(|c| l.updated <= c && !config.pipeline.is_closed(&l.stage))
            && source.is_none_or(|s| {
                l.source
                    .as_deref()
                    .is_some_and(|x| search::fold(x.trim()) == s)
            })
            && search::found(wanted.as_ref(), searched(l))
    };
    // Otherwise the cache's leads pass by one chunk at a time (else the whole state's, as
    // the fallback), each listed one rendered as it passes: the listing keeps what it
    // prints and a sort key per lead, not the leads.
    let currency = &config.team.currency;
    let list = |pass: crate::store::LeadPass<'_>| {
        let mut rows = super::LeadRows::new(format, Some(&config.pipeline), ws.tz(), currency);
        let mut any = false;
        let whole = pass(&mut |l| {
            any = true;
            if passes(l) {
                rows.push(l);
            }
        });
        whole.then_some((rows, any))
    };
    let listed = match indexed {
        Some(listed) => list(Box::new(crate::report::every_lead(&listed.state)))
            .map(|(rows, _)| (rows, listed.any)),
        None => None,
    };
    let (rows, any) = match listed {
        Some(listed) => listed,
        None => ws.read_leads(needs, |_, pass| Ok(list(pass)))?,
    };
    if format == OutputFormat::Table && rows.is_empty() {
        let message = if !any {
            "no leads yet; add one with `growth lead add COMPANY`"
        } else {
            "no leads match these filters"
        };
        return crate::commands::confirm(ctx, out, message);
    }
    let Some(summary) = rows.print_summed(ctx, out)? else {
        return Ok(());
    };
    if !ctx.quiet {
        let sums: Vec<String> = summary
            .worth
            .iter()
            .filter(|(_, v)| **v > 0.0)
            .map(|(c, v)| crate::render::money(*v, c))
            .collect();
        let summary = format!(
            "{} lead{}, {} open{}",
            summary.leads,
            crate::error::plural(summary.leads),
            summary.open,
            if sums.is_empty() {
                String::new()
            } else {
                format!(" worth {}", sums.join(" + "))
            }
        );
        crate::render::emit(out, &format!("{}\n", crate::render::dim(ctx, &summary)))?;
    }
    Ok(())
}
