//! Reports: pure functions from a workspace snapshot and a clock to report structs, which
//! `render` turns into text, Markdown, JSON or CSV.

pub mod agenda;
pub mod alerts;
pub mod progress;
pub mod status;
pub mod wins;
