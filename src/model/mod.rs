//! Plain data and the rules over it: no I/O, no printing.

pub mod apply;
pub mod cadence;
pub mod config;
pub mod crm;
pub mod entry;
pub mod goal;
pub mod handoff;
pub mod id;
pub mod lead;
pub mod lookup;
pub mod metrics;
pub mod money;
pub mod records;
pub mod sla;
pub mod state;
pub mod summary;
pub mod time;
