//! `growth lead show LEAD`: one lead, its history and its notes.

use std::io::Write;

use clap::Args;

use crate::cli::OutputFormat;
use crate::context::Ctx;
use crate::error::Result;
use crate::render::{self, sanitize};

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  growth lead show acme-corp\n  growth lead show acme          # any unique prefix\n  growth lead show acme --format json"
)]
pub struct ShowArgs {
    /// The lead's id, a unique prefix, or its company name
    pub lead: String,
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, args: ShowArgs) -> Result<()> {
    let format = ctx.format_or(
        OutputFormat::Text,
        &[
            OutputFormat::Text,
            OutputFormat::Table,
            OutputFormat::Json,
            OutputFormat::Csv,
        ],
    )?;
    let ws = ctx.open()?;
    // The lead and its handoffs: from where they lie in the cache when it is current and
    // the lead is named by its id, else from the sections that hold them.
    let state = match ws.lead_state(&args.lead)? {
        Some(state) => state,
        None => {
            // Named by a prefix or its company, or no lead at all: the ids alone tell
            // which (or say so, with the same suggestions), then the lead is read alone.
            // The ids near what was typed tell a unique prefix or a company; anything
            // else (an ambiguity, a typo, with its suggestions) is told from every id.
            let slug = crate::model::lead::slug(&args.lead);
            let near = ws.lead_ids_near(&[&args.lead, &slug])?;
            let found = near.and_then(|ids| crate::commands::resolve_lead(&ids, &args.lead).ok());
            let named = match found {
                Some(id) => Some(id),
                None => match ws.lead_ids()? {
                    Some(ids) => Some(crate::commands::resolve_lead(&ids, &args.lead)?),
                    None => None,
                },
            };
            match named.map(|id| ws.lead_state(&id)).transpose()?.flatten() {
                Some(state) => state,
                None => ws.state_with_retired(
                    super::WHOLE_LEADS
                        .and(crate::store::Needs::HANDOFFS)
                        .and(crate::store::Needs::CONFLICTS),
                )?,
            }
        }
    };
    let id = crate::commands::resolve_lead(&state, &args.lead)?;
    let Some(lead) = state.leads.get(id.as_str()) else {
        return Ok(());
    };
    let tz = ws.tz();
    let config = ws.config();
    let currency = &config.team.currency;
    if format == OutputFormat::Json {
        return render::emit(
            out,
            &render::json(&super::LeadView::new(lead, tz, currency))?,
        );
    }
    if format == OutputFormat::Csv {
        return super::print(ctx, out, format, &[lead], tz, currency);
    }
    let member = |id: &str| {
        config
            .members
            .get(id)
            .map_or(id.to_string(), |m| format!("{id} ({})", m.name))
    };
    let mut text = format!(
        "{}  {}\n",
        render::bold(ctx, &sanitize::cell(&lead.company)),
        render::dim(ctx, &format!("({})", lead.id))
    );
    let since = lead
        .history
        .last()
        .map_or(lead.created, |h| h.at)
        .date_in(tz);
    let mut field = |name: &str, value: String| {
        if !value.is_empty() {
            text.push_str(&format!("  {name:<10} {}\n", sanitize::cell(&value)));
        }
    };
    field("stage", format!("{} (since {since})", lead.stage));
    if lead.archived {
        field(
            "archived",
            format!(
                "yes: out of lists and goals (`growth lead unarchive {}`)",
                lead.id
            ),
        );
    }
    // What two clones recorded differently and nobody settled yet.
    let conflicts = crate::commands::conflicts::conflicts(&state, tz);
    for c in conflicts
        .iter()
        .filter(|c| c.kind == "lead" && c.record == lead.id.as_str())
    {
        let values: Vec<String> = c
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{}) {} by {}", i + 1, v.value, v.by))
            .collect();
        field(
            "CONFLICT",
            format!(
                "{}: {}; settle with `growth resolve {} {} --pick N`",
                c.field,
                values.join(", "),
                lead.id,
                c.field
            ),
        );
    }
    field(
        "owner",
        lead.owner.as_deref().map(member).unwrap_or_default(),
    );
    let contact = match (&lead.contact, &lead.email) {
        (Some(c), Some(e)) => format!("{c} <{e}>"),
        (Some(c), None) => c.to_string(),
        (None, Some(e)) => e.to_string(),
        (None, None) => String::new(),
    };
    field("contact", contact);
    field("source", lead.source.clone().unwrap_or_default().into());
    field(
        "value",
        lead.value
            .map(|v| render::money(v, lead.currency.as_deref().unwrap_or(currency)))
            .unwrap_or_default(),
    );
    field("tags", lead.tags.join(", "));
    let criteria = &config.qualification.criteria;
    field(
        "criteria",
        if lead.met.is_empty() {
            String::new()
        } else {
            format!(
                "{} ({} of {})",
                lead.met.join(", "),
                lead.met.len(),
                criteria.len()
            )
        },
    );
    field(
        "created",
        format!("{} by {}", lead.created.date_in(tz), lead.created_by),
    );
    field("updated", lead.updated.date_in(tz).to_string());
    text.push_str(&format!("\n{}\n", render::bold(ctx, "History")));
    for h in &lead.history {
        let reason = h
            .reason
            .as_deref()
            .map(|r| format!("  {}", sanitize::cell(r)))
            .unwrap_or_default();
        text.push_str(&format!(
            "  {}  {:<12} {}{reason}\n",
            h.at.in_tz(tz).format("%Y-%m-%d %H:%M"),
            h.stage,
            h.by
        ));
    }
    let mut handoffs: Vec<_> = state
        .handoffs
        .values()
        .filter(|h| h.lead == lead.id)
        .collect();
    handoffs.sort_by_key(|h| h.at);
    if !handoffs.is_empty() {
        text.push_str(&format!("\n{}\n", render::bold(ctx, "Handoffs")));
        for h in handoffs {
            let status = crate::commands::handoff::status_text(h, &lead.stage);
            text.push_str(&format!(
                "  {}  {} -> {}  {status}  ({})\n",
                h.at.in_tz(tz).format("%Y-%m-%d %H:%M"),
                h.from,
                h.to,
                h.id
            ));
            for note in [&h.note, &h.decision_note].into_iter().flatten() {
                text.push_str(&format!("      {}\n", sanitize::cell(note)));
            }
        }
    }
    if !lead.notes.is_empty() {
        text.push_str(&format!("\n{}\n", render::bold(ctx, "Notes")));
        for n in &lead.notes {
            let body = sanitize::terminal(&n.text, true).replace('\n', "\n      ");
            text.push_str(&format!("  {} {}: {body}\n", n.at.date_in(tz), n.by));
        }
    }
    render::emit(out, &text)
}
