//! `growth lead qualify LEAD --met budget,need`: record criteria met (BANT by default);
//! once a lead meets enough of them it advances to the configured stage.

use std::io::Write;

use clap::Args;

use crate::context::Ctx;
use crate::error::Result;
use crate::model::Text;
use crate::model::entry::Change;

#[derive(Debug, Args)]
#[command(
    after_help = "With the default growth.toml a lead meeting 3 of budget, authority, need and\ntimeline moves to mql. Criteria add up across calls.\n\nExamples:\n  growth lead qualify acme-corp --met budget,need\n  growth lead qualify acme --met timeline"
)]
pub struct QualifyArgs {
    /// The lead's id, a unique prefix, or its company name
    pub lead: String,
    /// Criteria the lead now meets, comma-separated (from growth.toml [qualification])
    #[arg(long, value_delimiter = ',', required = true, value_name = "CRITERIA")]
    pub met: Vec<String>,
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, args: QualifyArgs) -> Result<()> {
    let format = ctx.format_or(crate::cli::OutputFormat::Table, &super::RECORD_FORMATS)?;
    let mut ws = ctx.open()?;
    let me = ctx.identity(ws.config(), &ws.root)?.member;
    let mut met: Vec<String> = Vec::new();
    for criterion in args
        .met
        .iter()
        .map(|c| c.trim().to_lowercase())
        .filter(|c| !c.is_empty())
    {
        let known = &ws.config().qualification.criteria;
        if !known.contains(&criterion) {
            return Err(crate::error::unknown(
                "criterion",
                &criterion,
                known.iter().map(String::as_str),
                &format!("the criteria are: {}", known.join(", ")),
            ));
        }
        if !met.contains(&criterion) {
            met.push(criterion);
        }
    }
    let mut moved_to = None;
    let mut lead_id = String::new();
    let mut already = false;
    let state = crate::commands::record(ctx, &mut ws, &me, |records, config, _| {
        // This may run twice (see `Workspace::record`): each run starts afresh.
        (already, moved_to) = (false, None);
        let id = crate::commands::resolve_lead(records, &args.lead)?;
        lead_id.clone_from(&id);
        let Some(lead) = records.lead(&id) else {
            return Ok(Vec::new());
        };
        let mut all = lead.met.clone();
        all.extend(met.iter().filter(|c| !lead.met.contains(c)).cloned());
        if all.len() == lead.met.len() {
            already = true;
            return Ok(Vec::new());
        }
        let q = &config.qualification;
        let advances = all.len() >= q.advance_at
            && config.pipeline.position(&lead.stage) < config.pipeline.position(&q.advance_to)
            && !config.pipeline.is_closed(&lead.stage);
        moved_to = advances.then(|| q.advance_to.clone());
        Ok(vec![Change::LeadQualify {
            lead: id,
            met: met.clone(),
            stage: moved_to.clone(),
        }])
    })?;
    if already {
        // Nothing changed: JSON and CSV still print the lead, as scripts expect.
        let message = format!(
            "{lead_id} meets {} already; nothing to record",
            met.join(", ")
        );
        return super::print_changed(ctx, out, format, &ws, &lead_id, &message);
    }
    let lead = super::changed(&state, &lead_id)?;
    let criteria = &ws.config().qualification.criteria;
    let mut met_in_order: Vec<&str> = criteria
        .iter()
        .filter(|c| lead.met.iter().any(|m| m == *c))
        .map(String::as_str)
        .collect();
    met_in_order.extend(
        lead.met
            .iter()
            .filter(|m| !criteria.iter().any(|c| c == *m))
            .map(Text::as_str),
    );
    let mut message = format!(
        "{} meets {} ({} of {})",
        lead.id,
        met_in_order.join(", "),
        lead.met.len(),
        criteria.len()
    );
    if let Some(stage) = moved_to {
        message.push_str(&format!("; moved to {stage}"));
    }
    super::print_changed(ctx, out, format, &ws, &lead.id, &message)
}
