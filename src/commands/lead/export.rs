//! `growth lead export`: every lead as CSV (RFC 4180, formulas made inert) or JSON, in
//! growth's own columns, which `lead import` reads back.

use std::io::Write;

use clap::Args;

use crate::cli::OutputFormat;
use crate::context::Ctx;
use crate::error::Result;
use crate::model::lead::Lead;
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
    let state = ws.state_parts(needs)?;
    let leads: Vec<&Lead> = state.leads.values().map(|l| &**l).collect();
    super::print(
        ctx,
        out,
        format,
        &leads,
        ws.tz(),
        &ws.config().team.currency,
    )
}
