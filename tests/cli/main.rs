//! The one integration-test binary: every test drives the real `growth` binary in a
//! temporary workspace with a temporary HOME, a frozen `--today` and no terminal.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]

mod common;

mod agenda_formats;
mod append_only;
mod authorship;
mod bad_files;
mod cache_records;
mod calendar;
mod comments;
mod concurrency;
mod config;
mod converge;
mod ecosystem;
mod find;
mod git_merge;
mod goals;
mod handoffs;
mod hostile;
mod leads;
mod man_pages;
mod meetings;
mod members;
mod merge_meaning;
mod migration;
mod prompt_free;
mod records;
mod signing;
mod snapshots;
mod tables;
mod time;
mod trust;
mod undo;
