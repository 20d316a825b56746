//! The one integration-test binary: every test drives the real `growth` binary in a
//! temporary workspace with a temporary HOME, a frozen `--today` and no terminal.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]

mod common;

mod actions_edit;
mod agenda_facts;
mod agenda_formats;
mod agenda_picks;
mod append_only;
mod authorship;
mod bad_files;
mod cache_records;
mod cache_truth;
mod calendar;
mod charts;
mod comments;
mod completions;
mod concurrency;
mod config;
mod conflicts_tail;
mod converge;
mod ecosystem;
mod find;
mod git_merge;
mod goals;
mod handoffs;
mod hostile;
mod identity;
mod imports;
mod index_catch_up;
mod index_from_a_fold;
mod lead_show_names;
mod leads;
mod lists;
mod look_back;
mod man_pages;
mod meeting_walk;
mod meetings;
mod members;
mod merge_meaning;
mod metric_facts;
mod migration;
mod parts;
mod progress;
mod prompt_free;
mod records;
mod reports;
mod signing;
mod snapshots;
mod status;
mod streamed;
mod streamed_lists;
mod streamed_tail;
mod tables;
mod team_wins;
mod time;
mod trust;
mod undo;
