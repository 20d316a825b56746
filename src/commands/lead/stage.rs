//! `growth lead stage LEAD STAGE`: move a lead through the pipeline, e.g. to won or lost.

use std::io::Write;

use clap::Args;

use crate::context::Ctx;
use crate::error::Result;
use crate::model::entry::Change;

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  growth lead stage acme-corp opportunity\n  growth lead stage acme won\n  growth lead stage globex lost --reason \"chose a competitor\""
)]
pub struct StageArgs {
    /// The lead's id, a unique prefix, or its company name
    pub lead: String,
    /// The stage to move to (from growth.toml [pipeline] stages)
    pub stage: String,
    /// Why (shown in the history, e.g. for lost deals)
    #[arg(long)]
    pub reason: Option<String>,
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, args: StageArgs) -> Result<()> {
    let format = ctx.format_or(crate::cli::OutputFormat::Table, &super::RECORD_FORMATS)?;
    let mut ws = ctx.open()?;
    let me = ctx.identity(ws.config(), &ws.root)?.member;
    let stage = args.stage.trim().to_lowercase();
    if ws.config().pipeline.position(&stage).is_none() {
        return Err(crate::commands::unknown_stage(ws.config(), &stage));
    }
    let mut from = String::new();
    let mut lead_id = String::new();
    let state = crate::commands::record(ctx, &mut ws, &me, |records, _, _| {
        let id = crate::commands::resolve_lead(records, &args.lead)?;
        lead_id.clone_from(&id);
        from = records.lead(&id).map(|l| l.stage).unwrap_or_default();
        if from == stage {
            return Ok(Vec::new());
        }
        Ok(vec![Change::LeadStage {
            lead: id,
            stage: stage.clone(),
            reason: args.reason.clone(),
        }])
    })?;
    if from == stage {
        // Nothing changed: JSON and CSV still print the lead, as scripts expect.
        let message = format!("{lead_id} is in stage {stage} already; nothing to record");
        return super::print_changed(ctx, out, format, &ws, &lead_id, &message);
    }
    let lead = super::changed(&state, &lead_id)?;
    let message = format!(
        "moved {} ({}) from {from} to {}",
        lead.id, lead.company, lead.stage
    );
    super::print_changed(ctx, out, format, &ws, &lead.id, &message)
}
