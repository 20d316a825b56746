//! `growth lead add COMPANY`: a new lead in the first stage of the pipeline.

use std::io::Write;

use clap::Args;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::entry::{Change, LeadFields};
use crate::model::lead::{is_valid_id, slug};

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  growth lead add \"Acme Corp\" --contact \"Jane Roe\" --email jane@acme.example --value 12500\n  growth lead add \"Globex\" --source webinar --tag enterprise --tag emea --owner maria\n  growth lead add \"Acme Corp\" --id acme-labs   # a second lead with a similar name"
)]
pub struct AddArgs {
    /// The company's name; the lead's id is its slug (e.g. acme-corp)
    pub company: String,
    /// The person to talk to
    #[arg(long)]
    pub contact: Option<String>,
    /// The contact's email
    #[arg(long)]
    pub email: Option<String>,
    /// Where the lead came from (webinar, referral, ads, ...)
    #[arg(long)]
    pub source: Option<String>,
    /// Expected deal value, e.g. 12500, "12,500.00" or "12500 EUR"
    #[arg(long, allow_hyphen_values = true)]
    pub value: Option<String>,
    /// Who owns the lead (default: you)
    #[arg(long, value_name = "MEMBER")]
    pub owner: Option<String>,
    /// A tag; repeat for more
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Use this id instead of the company's slug
    #[arg(long)]
    pub id: Option<String>,
    /// Start in this stage instead of the first one
    #[arg(long)]
    pub stage: Option<String>,
    /// A first note about the lead
    #[arg(long)]
    pub note: Option<String>,
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, args: AddArgs) -> Result<()> {
    let format = ctx.format_or(crate::cli::OutputFormat::Table, &super::RECORD_FORMATS)?;
    let mut ws = ctx.open()?;
    let me = ctx.identity(ws.config(), &ws.root)?.member;
    let company = args.company.trim().to_string();
    if company.is_empty() {
        return Err(Error::usage("the company name is empty"));
    }
    if company.chars().count() > super::MAX_NAME {
        return Err(Error::usage(format!(
            "the company name is longer than {} characters",
            super::MAX_NAME
        )));
    }
    let id = match &args.id {
        Some(id) if is_valid_id(id) => id.clone(),
        Some(id) => {
            return Err(Error::usage(format!("invalid value for --id: `{id}`"))
                .hint("use lowercase letters, digits and dashes"));
        }
        None => slug(&company),
    };
    if id.is_empty() {
        return Err(Error::usage(format!("`{company}` gives no readable id"))
            .hint("pass --id, e.g. --id acme"));
    }
    let (value, currency) = super::value_flag(args.value.as_deref())?;
    let owner = match &args.owner {
        Some(o) => crate::commands::resolve_member(ws.config(), o)?.to_string(),
        None => me.clone(),
    };
    let tags = clean_tags(&args.tags);
    let state = crate::commands::record(ctx, &mut ws, &me, |records, config, _| {
        if let Some(existing) = records.lead(&id) {
            return Err(Error::user(format!("lead `{id}` exists already ({}, {})", existing.company, existing.stage))
                .hint(format!("to add another company with this name pass --id, e.g. --id {id}-2; to change it use `growth lead edit {id}`")));
        }
        if let Some(stage) = &args.stage
            && config.pipeline.position(stage).is_none()
        {
            return Err(crate::commands::unknown_stage(config, stage));
        }
        Ok(vec![Change::LeadAdd(Box::new(LeadFields {
            id: id.clone(),
            company: Some(company.clone()),
            contact: args.contact.clone(),
            email: args.email.clone(),
            source: args.source.clone(),
            value,
            // Stored even when it is the team's, so a later change of the default changes no history.
            currency: Some(
                currency
                    .clone()
                    .unwrap_or_else(|| config.team.currency.clone()),
            ),
            owner: Some(owner.clone()),
            tags: (!tags.is_empty()).then(|| tags.clone()),
            stage: Some(
                args.stage
                    .clone()
                    .unwrap_or_else(|| config.pipeline.stages[0].clone()),
            ),
            note: args.note.clone(),
            crm_id: None,
            created: None,
            clear: Vec::new(),
        }))])
    })?;
    let lead = super::changed(&state, &id)?;
    let message = format!(
        "added {} ({}) in stage {}, owned by {owner}",
        lead.id, lead.company, lead.stage
    );
    super::print_changed(ctx, out, format, &ws, &lead.id, &message)
}

/// Tags as typed, split on commas, trimmed, without duplicates.
pub fn clean_tags(tags: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tag in tags.iter().flat_map(|t| t.split(',')) {
        let tag = tag.trim().to_lowercase();
        if !tag.is_empty() && !out.contains(&tag) {
            out.push(tag);
        }
    }
    out
}
