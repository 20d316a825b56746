//! `growth conflicts`: concurrent changes from different clones that need a decision.

use std::io::Write;

use clap::Args;
use serde::Serialize;

use crate::cli::OutputFormat;
use crate::context::Ctx;
use crate::error::Result;
use crate::model::causal::{Register, format_id, split_key};
use crate::model::state::State;
use crate::render::{self, Listing};

#[derive(Debug, Args)]
#[command(
    after_help = "A conflict is a single value (a stage, an owner, a value, a handoff's decision, a goal's\ntarget...) that two clones changed to different values without seeing each other's change.\nUntil someone settles it, reports use the latest value (a disputed handoff counts as\nundecided) and say so. Settle one by recording the value again with the usual command,\nor pick one of the values listed:\n\nExamples:\n  growth conflicts\n  growth resolve acme-corp stage --pick 2\n  growth conflicts --format json"
)]
pub struct ConflictsArgs {}

/// One competing value.
#[derive(Debug, Serialize, Clone)]
pub struct ValueView {
    pub value: String,
    pub by: String,
    pub at: String,
    pub entry: String,
}

/// One conflict: the record, the field and every competing value.
#[derive(Debug, Serialize, Clone)]
pub struct ConflictView {
    pub kind: String,
    pub record: String,
    pub field: String,
    pub values: Vec<ValueView>,
}

/// Every conflict in `state`, by record then field.
pub fn conflicts(state: &State, tz: chrono_tz::Tz) -> Vec<ConflictView> {
    state
        .conflicts()
        .into_iter()
        .filter(|(key, r)| shown(key, r))
        .map(|(key, r)| {
            let (kind, record) = split_key(key);
            ConflictView {
                kind: kind.to_string(),
                record: record.to_string(),
                field: r.field.to_string(),
                values: r
                    .candidates
                    .iter()
                    .map(|c| ValueView {
                        value: display_value(&c.value),
                        by: c.by.to_string(),
                        at: c.at.to_toml(tz),
                        entry: format_id(c.entry),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Whether a conflicted register is one people decide: a lead handed off twice at once
/// keeps both handoffs (each receiver decides its own), so its pointer is not listed.
fn shown(key: &str, r: &Register) -> bool {
    !(key.starts_with("lead/") && r.field == "handoff")
}

/// A register value as people read it: `rejected:no-budget` is "rejected (no-budget)".
pub fn display_value(value: &str) -> String {
    match value.split_once(':') {
        Some(("rejected", reason)) => format!("rejected ({reason})"),
        _ if value.is_empty() => "(none)".into(),
        _ => value.to_string(),
    }
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, _args: ConflictsArgs) -> Result<()> {
    let format = ctx.format_or(
        OutputFormat::Table,
        &[OutputFormat::Table, OutputFormat::Json, OutputFormat::Csv],
    )?;
    let ws = ctx.open()?;
    let state = match ws.conflict_state()? {
        Some(state) => state,
        None => ws.state_with_retired(crate::store::Needs::CONFLICTS)?,
    };
    let list = conflicts(&state, ws.tz());
    match format {
        OutputFormat::Json => render::emit(out, &render::json(&list)?),
        OutputFormat::Csv => render::emit(out, &render::csv(ctx, &listing(&list))?),
        _ if list.is_empty() => super::confirm(ctx, out, "no conflicts: every clone agrees"),
        _ => {
            render::emit_table(ctx, out, &listing(&list))?;
            super::confirm(
                ctx,
                out,
                &format!(
                    "{} conflict{}; settle one with `growth resolve RECORD FIELD --pick N`, or record the value again",
                    list.len(),
                    crate::error::plural(list.len())
                ),
            )
        }
    }
}

fn listing(list: &[ConflictView]) -> Listing {
    let mut rows = crate::render::Rows::default();
    for c in list {
        for (n, v) in c.values.iter().enumerate() {
            rows.push([
                format!("{}/{}", c.kind, c.record),
                c.field.clone(),
                (n + 1).to_string(),
                v.value.clone(),
                v.by.clone(),
                v.at.clone(),
                v.entry.clone(),
            ]);
        }
    }
    Listing {
        headers: vec!["record", "field", "pick", "value", "by", "at", "entry"],
        rows,
        droppable: vec![6, 5],
        wrap: Some(3),
    }
}
