//! Plain data and the rules over it: no I/O, no printing.

pub mod agenda_facts;
pub mod apply;
pub mod cadence;
pub mod causal;
pub mod config;
pub mod crm;
pub mod entry;
pub mod goal;
pub mod handoff;
pub mod id;
pub mod lead;
pub mod link;
pub mod lookup;
pub mod metric_facts;
pub mod metrics;
pub mod money;
pub mod records;
pub mod search;
pub mod settings;
pub mod sla;
pub mod state;
pub mod summary;
pub mod time;
pub mod undo;
pub mod zone;

/// Text in the records a large workspace holds by the hundred thousand (leads, their
/// history, handoffs, feedback): up to 24 bytes, which covers ids, stages, member ids and
/// most names, lives inline instead of in an allocation of its own.
pub type Text = compact_str::CompactString;
