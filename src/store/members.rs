//! The team's members, recorded in the journal like every other record, so that two
//! clones adding members merge with no conflict in git: `journal/members/<author>-<device>.toml`.
//!
//! Members are few, and every command needs them (who am I, who may decide a handoff),
//! so this small folder is read and folded whole by every command, before the rest.
//! Format-1 workspaces kept members under `[members]` in `growth.toml`; [`migrate`] moves
//! them here once (see `Workspace::migrate`).

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Error, Problem, Result};
use crate::model::causal::{self, EntryId};
use crate::model::config::{Config, Member};
use crate::model::entry::{Change, Entry, MemberFields};
use crate::model::state::State;
use crate::model::time::Instant;
use crate::store::journal;

/// The folder of member entries, inside the journal.
pub const MEMBERS_DIR: &str = "members";

/// The members' files, folded: the members and their causal state, and a hash of the
/// files (part of the configuration's hash, so caches follow member changes).
#[derive(Debug, Default, Clone)]
pub struct Folded {
    pub members: BTreeMap<String, Member>,
    pub state: State,
    pub hash: u64,
}

/// Reads and folds every file of `journal/members/`.
pub fn load(root: &Path) -> Result<Folded, Vec<Problem>> {
    let dir = root.join(journal::JOURNAL_DIR).join(MEMBERS_DIR);
    // Opened without following links, like every other journal folder.
    let listed = crate::store::safe::Dir::root(root)
        .and_then(|d| d.dir(&format!("{}/{MEMBERS_DIR}", journal::JOURNAL_DIR), false))
        .and_then(|d| d.entries());
    let names = match listed {
        Ok(entries) => {
            let mut names: Vec<String> = entries
                .into_iter()
                .filter(|(_, kind)| *kind == crate::store::safe::Kind::File)
                .map(|(n, _)| n)
                .filter(|n| n.ends_with(".toml") && !n.starts_with('.'))
                .collect();
            names.sort();
            names
        }
        Err(r) if r.is_missing() => return Ok(Folded::default()),
        Err(r) => return Err(vec![r.problem()]),
    };
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    let mut hash_input = Vec::new();
    let mut sources = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let path = dir.join(name);
        let rel = format!("{}/{MEMBERS_DIR}/{name}", journal::JOURNAL_DIR);
        let bytes = match crate::store::safe::read(root, &rel, crate::store::load::MAX_FILE_BYTES) {
            Ok(b) => b,
            Err(r) => {
                problems.push(r.problem());
                continue;
            }
        };
        hash_input.extend_from_slice(name.as_bytes());
        hash_input.extend_from_slice(&bytes);
        match journal::decode_text(&path, &bytes) {
            Ok(src) => {
                let (found, mut trouble) =
                    journal::parse(u32::try_from(i).unwrap_or(u32::MAX), &path, src, 0, 0);
                for e in &found {
                    if !matches!(e.entry.change, Change::MemberAdd(_) | Change::MemberEdit(_)) {
                        problems.push(
                            Problem::new(
                                &path,
                                journal::locate_key(src, &e.span, "kind"),
                                format!(
                                    "a `{}` entry in the members folder",
                                    e.entry.change.kind()
                                ),
                            )
                            .hint("journal/members/ holds only member.add and member.edit entries"),
                        );
                    }
                }
                problems.append(&mut trouble);
                entries.extend(found);
                sources.push((path, src.to_string()));
            }
            Err(mut p) => problems.append(&mut p),
        }
    }
    let (ready, _) = crate::store::load::fold_order(entries, None, None);
    let mut state = State::default();
    let config = empty_config();
    for located in ready {
        if let Err(r) = state.apply(&located.entry, &config) {
            let (path, src) = &sources[located.file as usize];
            let mut p = Problem::new(
                path,
                journal::locate_key(src, &located.span, r.key),
                r.message,
            );
            p.hint = r.hint;
            problems.push(p);
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Folded {
        members: state.members.clone(),
        state,
        hash: crate::store::cache::content_hash(&hash_input),
    })
}

/// A configuration with no members: the members' own fold needs none.
fn empty_config() -> Config {
    Config {
        version: None,
        team: crate::model::config::Team {
            name: String::new(),
            timezone: "UTC".into(),
            currency: "USD".into(),
        },
        members: BTreeMap::new(),
        pipeline: Default::default(),
        qualification: Default::default(),
        handoff: Default::default(),
        business_hours: Default::default(),
        meeting: Default::default(),
        sync: Default::default(),
    }
}

/// Folds a writer's member change into `folded`: its `after` is what it superseded.
pub fn apply_new(folded: &mut Folded, mut entry: Entry) -> Result<Entry> {
    entry.after = None;
    folded.state.trace.clear();
    folded
        .state
        .apply(&entry, &empty_config())
        .map_err(|r| Error::user(r.message))?;
    let mut after = std::mem::take(&mut folded.state.trace);
    after.sort_unstable();
    after.dedup();
    entry.after = Some(after);
    folded.members = folded.state.members.clone();
    Ok(entry)
}

/// When migrated members are said to have joined: a fixed moment, so that every clone
/// migrating the same `growth.toml` writes the same bytes and git merges them as one.
pub const MIGRATED_AT: Instant = Instant(946_684_800_000);

/// The `member.add` entries that carry `[members]` of a format-1 `growth.toml` into the
/// journal, with ids derived from their content (the same on every clone).
pub fn migrated_entries(members: &BTreeMap<String, Member>) -> Vec<Entry> {
    members
        .iter()
        .map(|(id, m)| {
            let fields = MemberFields {
                id: id.clone(),
                name: Some(m.name.clone()),
                department: Some(m.department.clone()),
                email: m.email.clone(),
                leader: m.leader.then_some(true),
                active: (!m.active).then_some(false),
                signing_key: m.signing_key.clone(),
            };
            let text = format!(
                "{id}\n{}\n{}\n{:?}\n{}\n{}",
                m.name, m.department, m.email, m.leader, m.active
            );
            let entry_id: EntryId = causal::derived_id(&format!("migrated member {text}"));
            Entry {
                id: entry_id,
                after: Some(Vec::new()),
                undoes: None,
                at: MIGRATED_AT,
                by: id.clone(),
                change: Change::MemberAdd(Box::new(fields)),
            }
        })
        .collect()
}
