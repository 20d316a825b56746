//! `growth lead export`: every lead as CSV (RFC 4180, formulas made inert) or JSON, in
//! growth's own columns, which `lead import` reads back.

use std::io::Write;

use clap::Args;

use crate::cli::OutputFormat;
use crate::context::Ctx;
use crate::error::Result;
use crate::store::Needs;

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  growth lead export > leads.csv\n  growth lead export --format json | jq '.[] | select(.stage == \"won\")'"
)]
pub struct ExportArgs {}

pub fn run(ctx: &Ctx, out: &mut dyn Write, _args: ExportArgs) -> Result<()> {
    let format = ctx.format_or(OutputFormat::Csv, &[OutputFormat::Csv, OutputFormat::Json])?;
    let ws = ctx.open()?;
    // The CSV has no history or notes; the JSON has both.
    let needs = match format {
        OutputFormat::Json => super::WHOLE_LEADS,
        _ => Needs::LEADS.and(Needs::DETAILS),
    };
    // Each lead rendered as it passes (the cache's stream, else the whole state's), in id
    // order from either.
    let currency = &ws.config().team.currency;
    let rows = ws.read_leads(needs, |_, pass| {
        let mut rows = super::LeadRows::new(format, None, ws.tz(), currency);
        Ok(pass(&mut |l| rows.push(l)).then_some(rows))
    })?;
    rows.print(ctx, out)
}
