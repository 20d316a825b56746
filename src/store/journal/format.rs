//! One entry as the TOML text growth appends to a journal file, written straight into a
//! `String`: `[[entry]]`, then one `key = value` per line. The text is byte for byte what
//! `toml_edit` printed for the same entry before (issue #16: building a `toml_edit::Table`
//! per entry and printing it was half the time of a million-row import). Strings go
//! through `toml_writer`, the encoder `toml_edit` itself uses, so they take the same form
//! (`"…"`, `'…'`, `"""…"""`, `'''…'''`) with the same escapes; datetimes are written from
//! the instant's fields, with the old parse-and-print path for what the fast one does not
//! cover (years outside 0–9999, offsets with seconds). The property tests
//! (`format/tests.rs`) hold the old writer as the oracle.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate, Timelike};
use toml_writer::TomlWrite;

use crate::model::causal::{EntryId, format_id};
use crate::model::entry::{Change, Entry};
use crate::model::time::Instant;

/// One entry as the TOML text appended to a journal file.
pub fn format_entry(entry: &Entry, tz: chrono_tz::Tz) -> String {
    let mut t = Text(String::with_capacity(512));
    t.0.push_str("\n[[entry]]\n");
    t.instant("at", entry.at, tz);
    if !entry.by.is_empty() {
        t.str("by", &entry.by);
    }
    t.str("kind", entry.change.kind());
    change(&mut t, &entry.change, tz);
    t.id("entry", entry.id);
    if let Some(after) = entry.after.as_ref().filter(|a| !a.is_empty()) {
        let mut ids: Vec<String> = after.iter().map(|a| format_id(*a)).collect();
        ids.sort();
        t.strs("after", &ids);
    }
    if let Some(undoes) = entry.undoes {
        t.id("undoes", undoes);
    }
    t.0
}

/// The keys of a change, in the order the journal has always had them.
fn change(t: &mut Text, change: &Change, tz: chrono_tz::Tz) {
    match change {
        Change::LeadAdd(f) | Change::LeadEdit { fields: f, .. } => {
            let (lead, note) = match change {
                Change::LeadEdit { lead, note, .. } => (lead, note.as_ref()),
                _ => (&f.id, f.note.as_ref()),
            };
            t.str("lead", lead);
            t.opt("company", f.company.as_ref());
            t.opt("contact", f.contact.as_ref());
            t.opt("email", f.email.as_ref());
            t.opt("source", f.source.as_ref());
            t.opt("owner", f.owner.as_ref());
            t.opt("stage", f.stage.as_ref());
            if let Some(v) = f.value {
                t.number("value", v);
            }
            t.opt("currency", f.currency.as_ref());
            t.opt("crm_id", f.crm_id.as_ref());
            if let Some(created) = f.created {
                t.created(created, tz);
            }
            if let Some(tags) = &f.tags {
                t.strs("tags", tags);
            }
            if !f.clear.is_empty() {
                t.strs("clear", &f.clear);
            }
            t.opt("note", note);
        }
        Change::LeadStage {
            lead,
            stage,
            reason,
        } => {
            t.str("lead", lead);
            t.str("stage", stage);
            t.opt("reason", reason.as_ref());
        }
        Change::LeadQualify { lead, met, stage } => {
            t.str("lead", lead);
            t.strs("met", met);
            t.opt("stage", stage.as_ref());
        }
        Change::HandoffCreate { id, lead, to, note } => {
            t.str("id", id);
            t.str("lead", lead);
            t.str("to", to);
            t.opt("note", note.as_ref());
        }
        Change::HandoffAccept {
            handoff,
            note,
            stage,
        } => {
            t.str("handoff", handoff);
            t.opt("stage", stage.as_ref());
            t.opt("note", note.as_ref());
        }
        Change::HandoffReject {
            handoff,
            reason,
            note,
            stage,
        } => {
            t.str("handoff", handoff);
            t.str("reason", reason);
            t.opt("stage", stage.as_ref());
            t.opt("note", note.as_ref());
        }
        Change::HandoffContact { handoff, note } => {
            t.str("handoff", handoff);
            t.opt("note", note.as_ref());
        }
        Change::FeedbackAdd {
            id,
            text,
            category,
            anonymous,
        } => {
            t.str("id", id);
            t.str("category", category);
            if *anonymous {
                t.bool("anonymous", true);
            }
            t.str("text", text);
        }
        Change::FeedbackResolve { feedback, note } => {
            t.str("feedback", feedback);
            t.opt("note", note.as_ref());
        }
        Change::IdeaAdd {
            id,
            text,
            lead,
            offer,
        } => {
            t.str("id", id);
            t.str("text", text);
            t.opt("lead", lead.as_ref());
            t.opt("offer", offer.as_ref());
        }
        Change::IdeaStatus { idea, status, link } => {
            t.str("idea", idea);
            t.str("status", status);
            t.opt("link", link.as_ref());
        }
        Change::WinAdd { id, text, credit } => {
            t.str("id", id);
            t.str("text", text);
            t.strs("credit", credit);
        }
        Change::ActionAdd {
            id,
            text,
            owner,
            due,
            meeting,
        } => {
            t.str("id", id);
            t.str("text", text);
            t.str("owner", owner);
            if let Some(due) = due {
                t.date("due", *due);
            }
            if let Some(meeting) = meeting {
                t.date_text("meeting", meeting);
            }
        }
        Change::MeetingOpen {
            meeting,
            facilitator,
            attendees,
        } => {
            t.date_text("meeting", meeting);
            t.opt("facilitator", facilitator.as_ref());
            if !attendees.is_empty() {
                t.strs("attendees", attendees);
            }
        }
        Change::MeetingNote {
            meeting,
            section,
            text,
        }
        | Change::MeetingDecision {
            meeting,
            section,
            text,
        } => {
            t.date_text("meeting", meeting);
            t.opt("section", section.as_ref());
            t.str("text", text);
        }
        Change::MeetingPulse {
            meeting,
            member,
            value,
        } => {
            t.date_text("meeting", meeting);
            t.str("member", member);
            t.value("value", i64::from(*value));
        }
        Change::MeetingClose { meeting } => t.date_text("meeting", meeting),
        Change::ActionDone { action } => t.str("action", action),
        Change::GoalAdd(g) => {
            t.str("goal", &g.id);
            t.str("title", &g.title);
            t.str("metric", &g.metric);
            t.number("target", g.target);
            t.opt("unit", g.unit.as_ref());
            t.opt("currency", g.currency.as_ref());
            t.date("start", g.start);
            t.date("end", g.end);
            t.opt("owner", g.owner.as_ref());
            if !g.credit.is_empty() {
                t.strs("credit", &g.credit);
            }
            if g.sum {
                t.str("aggregate", "sum");
            }
        }
        Change::GoalCheckin { goal, value, note } => {
            t.str("goal", goal);
            t.number("value", *value);
            t.opt("note", note.as_ref());
        }
        Change::LeadArchive { lead, .. } => t.str("lead", lead),
        Change::LeadUnqualify { lead, unmet } => {
            t.str("lead", lead);
            t.strs("unmet", unmet);
        }
        Change::HandoffReopen { handoff }
        | Change::HandoffWithdraw { handoff, .. }
        | Change::HandoffUncontact { handoff } => t.str("handoff", handoff),
        Change::FeedbackStatus { feedback, status } => {
            t.str("feedback", feedback);
            t.str("status", status);
        }
        Change::ActionStatus { action, status } => {
            t.str("action", action);
            t.str("status", status);
        }
        Change::WinWithdraw { win, .. } => t.str("win", win),
        Change::ActionEdit {
            action,
            text,
            owner,
            due,
            clear,
        } => {
            t.str("action", action);
            t.opt("text", text.as_ref());
            t.opt("owner", owner.as_ref());
            if let Some(due) = due {
                t.date("due", *due);
            }
            if !clear.is_empty() {
                t.strs("clear", clear);
            }
        }
        Change::GoalEdit {
            goal,
            title,
            target,
            start,
            end,
            owner,
            ..
        } => {
            t.str("goal", goal);
            t.opt("title", title.as_ref());
            if let Some(v) = target {
                t.number("target", *v);
            }
            for (key, date) in [("start", start), ("end", end)] {
                if let Some(date) = date {
                    t.date(key, *date);
                }
            }
            t.opt("owner", owner.as_ref());
        }
        Change::MeetingAbsent { meeting, absent } => {
            t.date_text("meeting", meeting);
            t.strs("absent", absent);
        }
        Change::Retract { entry: target, .. } => t.id("retract", *target),
        Change::MemberAdd(m) | Change::MemberEdit(m) => {
            t.str("member", &m.id);
            t.opt("name", m.name.as_ref());
            t.opt("department", m.department.as_ref());
            t.opt("email", m.email.as_ref());
            if let Some(leader) = m.leader {
                t.bool("leader", leader);
            }
            if let Some(active) = m.active {
                t.bool("active", active);
            }
            t.opt("signing_key", m.signing_key.as_ref());
        }
    }
}

/// The text of one entry being written. Writing into a `String` cannot fail, so the
/// `fmt::Result`s of `toml_writer` are dropped.
struct Text(String);

impl Text {
    fn key(&mut self, key: &str) {
        self.0.push_str(key);
        self.0.push_str(" = ");
    }

    fn str(&mut self, key: &str, v: &str) {
        self.key(key);
        let _ = self.0.value(v);
        self.0.push('\n');
    }

    fn opt(&mut self, key: &str, v: Option<&String>) {
        if let Some(v) = v {
            self.str(key, v);
        }
    }

    fn id(&mut self, key: &str, id: EntryId) {
        self.str(key, &format_id(id));
    }

    /// An array of strings, `["a", "b"]`.
    fn strs<S: AsRef<str>>(&mut self, key: &str, items: &[S]) {
        self.key(key);
        self.0.push('[');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.0.push_str(", ");
            }
            let _ = self.0.value(item.as_ref());
        }
        self.0.push_str("]\n");
    }

    fn value(&mut self, key: &str, v: impl toml_writer::WriteTomlValue) {
        self.key(key);
        let _ = self.0.value(v);
        self.0.push('\n');
    }

    fn bool(&mut self, key: &str, v: bool) {
        self.value(key, v);
    }

    /// A money amount as a TOML integer when whole, else a float.
    fn number(&mut self, key: &str, v: f64) {
        if v.fract() == 0.0 && v.abs() < 9e15 {
            self.value(key, v as i64);
        } else {
            self.value(key, v);
        }
    }

    /// A datetime as TOML prints it, `None` when the text is not one.
    fn datetime_of(text: &str) -> Option<toml::value::Datetime> {
        text.parse::<toml::value::Datetime>().ok()
    }

    /// The entry's time: an offset datetime in `tz` (a string, should TOML not hold it).
    fn instant(&mut self, key: &str, at: Instant, tz: chrono_tz::Tz) {
        self.key(key);
        if !self.push_instant(at, tz) {
            let text = at.to_toml(tz);
            match Self::datetime_of(&text) {
                Some(d) => {
                    let _ = write!(self.0, "{d}");
                }
                None => {
                    let _ = self.0.value(text.as_str());
                }
            }
        }
        self.0.push('\n');
    }

    /// `created`, left out when TOML cannot hold it.
    fn created(&mut self, at: Instant, tz: chrono_tz::Tz) {
        let mark = self.0.len();
        self.key("created");
        if !self.push_instant(at, tz) {
            match Self::datetime_of(&at.to_toml(tz)) {
                Some(d) => {
                    let _ = write!(self.0, "{d}");
                }
                None => return self.0.truncate(mark),
            }
        }
        self.0.push('\n');
    }

    /// `2026-11-20T10:00:00.5+01:00` (`Z` for UTC, fractions only when there are some):
    /// `Instant::to_toml` as `toml_datetime` prints it. `false`, with nothing written, for
    /// what this does not cover (a year outside 0–9999, an offset with seconds).
    fn push_instant(&mut self, at: Instant, tz: chrono_tz::Tz) -> bool {
        let local = at.in_tz(tz).fixed_offset();
        let offset = local.offset().local_minus_utc();
        let naive = local.naive_local();
        if !(0..=9999).contains(&naive.year()) || offset % 60 != 0 {
            return false;
        }
        self.push_date(naive.date());
        let s = &mut self.0;
        s.push('T');
        push2(s, naive.hour());
        s.push(':');
        push2(s, naive.minute());
        s.push(':');
        push2(s, naive.second());
        let millis = at.0.rem_euclid(1000) as u32;
        if millis != 0 {
            s.push('.');
            let digits = [millis / 100, millis / 10 % 10, millis % 10];
            let kept = if digits[2] != 0 {
                3
            } else if digits[1] != 0 {
                2
            } else {
                1
            };
            for d in &digits[..kept] {
                s.push(char::from(b'0' + *d as u8));
            }
        }
        if offset == 0 {
            s.push('Z');
        } else {
            s.push(if offset < 0 { '-' } else { '+' });
            let minutes = offset.unsigned_abs() / 60;
            push2(s, minutes / 60);
            s.push(':');
            push2(s, minutes % 60);
        }
        true
    }

    /// `2026-11-20`; the caller checked the year is four digits.
    fn push_date(&mut self, d: NaiveDate) {
        let s = &mut self.0;
        let year = d.year() as u32;
        push2(s, year / 100);
        push2(s, year % 100);
        s.push('-');
        push2(s, d.month());
        s.push('-');
        push2(s, d.day());
    }

    /// A calendar date, left out when TOML cannot hold it (a year past 9999).
    fn date(&mut self, key: &str, d: NaiveDate) {
        if (0..=9999).contains(&d.year()) {
            self.key(key);
            self.push_date(d);
            self.0.push('\n');
        }
    }

    /// A date kept as text (a meeting's), as TOML prints it; left out when it is not one.
    fn date_text(&mut self, key: &str, text: &str) {
        if let Some(d) = Self::datetime_of(text) {
            self.key(key);
            let _ = write!(self.0, "{d}");
            self.0.push('\n');
        }
    }
}

/// Two digits of `n` (below 100).
fn push2(s: &mut String, n: u32) {
    s.push(char::from(b'0' + (n / 10 % 10) as u8));
    s.push(char::from(b'0' + (n % 10) as u8));
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod toml_edit_oracle;
