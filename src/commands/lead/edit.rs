//! `growth lead edit LEAD`: change a lead's details or add a note.

use std::io::Write;

use clap::Args;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::entry::{Change, LeadFields};

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  growth lead edit acme-corp --value 18000 --owner tom\n  growth lead edit acme --note \"Asked for a security review\"\n  growth lead edit acme --tag enterprise --tag emea   # replaces the tags"
)]
pub struct EditArgs {
    /// The lead's id, a unique prefix, or its company name
    pub lead: String,
    /// New company name (the id stays)
    #[arg(long)]
    pub company: Option<String>,
    /// New contact person
    #[arg(long)]
    pub contact: Option<String>,
    /// New contact email
    #[arg(long)]
    pub email: Option<String>,
    /// New source (webinar, referral, ...)
    #[arg(long)]
    pub source: Option<String>,
    /// New deal value, e.g. 18000 or "18000 EUR"
    #[arg(long, allow_hyphen_values = true)]
    pub value: Option<String>,
    /// New owner
    #[arg(long, value_name = "MEMBER")]
    pub owner: Option<String>,
    /// Replace the tags; repeat for more
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Add a note
    #[arg(long)]
    pub note: Option<String>,
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, args: EditArgs) -> Result<()> {
    let format = ctx.format_or(crate::cli::OutputFormat::Table, &super::RECORD_FORMATS)?;
    let mut ws = ctx.open()?;
    let me = ctx.identity(ws.config(), &ws.root)?.member;
    let (value, currency) = super::value_flag(args.value.as_deref())?;
    let owner = args
        .owner
        .as_deref()
        .map(|o| crate::commands::resolve_member(ws.config(), o).map(str::to_string))
        .transpose()?;
    let tags = super::add::clean_tags(&args.tags);
    let fields = LeadFields {
        id: String::new(),
        company: args.company.clone().map(|c| c.trim().to_string()),
        contact: args.contact.clone(),
        email: args.email.clone(),
        source: args.source.clone(),
        value,
        currency,
        owner,
        tags: (!tags.is_empty()).then_some(tags),
        stage: None,
        note: None,
        crm_id: None,
        created: None,
        clear: Vec::new(),
    };
    if fields == LeadFields::default() && args.note.is_none() {
        return Err(Error::usage("nothing to change")
            .hint("pass at least one of --company, --contact, --email, --source, --value, --owner, --tag, --note"));
    }
    let mut lead_id = String::new();
    let state = crate::commands::record(ctx, &mut ws, &me, |records, _, _| {
        let lead = crate::commands::resolve_lead(records, &args.lead)?;
        lead_id.clone_from(&lead);
        Ok(vec![Change::LeadEdit {
            lead,
            fields: Box::new(fields.clone()),
            note: args.note.clone(),
        }])
    })?;
    let lead = super::changed(&state, &lead_id)?;
    let message = format!("updated {} ({})", lead.id, lead.company);
    super::print_changed(ctx, out, format, &ws, &lead.id, &message)
}
