//! The journal writer as it was before issue #16: each entry built as a `toml_edit`
//! table and printed. Kept only for the tests, as the oracle `format::format_entry` must
//! equal byte for byte.

use crate::model::entry::{Change, Entry};

/// One entry as `toml_edit` printed it.
pub fn format_entry(entry: &Entry, tz: chrono_tz::Tz) -> String {
    use toml_edit::{Array, Item, Table, value};
    fn put(t: &mut Table, key: &str, v: Option<&String>) {
        if let Some(v) = v {
            t.insert(key, value(v.as_str()));
        }
    }
    fn put_date(t: &mut Table, key: &str, date: Option<&str>) {
        if let Some(d) = date.and_then(|d| d.parse::<toml_edit::Datetime>().ok()) {
            t.insert(key, value(d));
        }
    }
    let mut t = Table::new();
    match entry.at.to_toml(tz).parse::<toml_edit::Datetime>() {
        Ok(at) => t.insert("at", value(at)),
        Err(_) => t.insert("at", value(entry.at.to_toml(tz))),
    };
    if !entry.by.is_empty() {
        t.insert("by", value(entry.by.as_str()));
    }
    t.insert("kind", value(entry.change.kind()));
    match &entry.change {
        Change::LeadAdd(f) | Change::LeadEdit { fields: f, .. } => {
            let (lead, note) = match &entry.change {
                Change::LeadEdit { lead, note, .. } => (lead, note.as_ref()),
                _ => (&f.id, f.note.as_ref()),
            };
            put(&mut t, "lead", Some(lead));
            put(&mut t, "company", f.company.as_ref());
            put(&mut t, "contact", f.contact.as_ref());
            put(&mut t, "email", f.email.as_ref());
            put(&mut t, "source", f.source.as_ref());
            put(&mut t, "owner", f.owner.as_ref());
            put(&mut t, "stage", f.stage.as_ref());
            if let Some(v) = f.value {
                t.insert("value", number(v));
            }
            put(&mut t, "currency", f.currency.as_ref());
            put(&mut t, "crm_id", f.crm_id.as_ref());
            if let Some(created) = f
                .created
                .and_then(|c| c.to_toml(tz).parse::<toml_edit::Datetime>().ok())
            {
                t.insert("created", value(created));
            }
            if let Some(tags) = &f.tags {
                t.insert("tags", value(tags.iter().collect::<Array>()));
            }
            if !f.clear.is_empty() {
                t.insert("clear", value(f.clear.iter().collect::<Array>()));
            }
            put(&mut t, "note", note);
        }
        Change::LeadStage {
            lead,
            stage,
            reason,
        } => {
            put(&mut t, "lead", Some(lead));
            put(&mut t, "stage", Some(stage));
            put(&mut t, "reason", reason.as_ref());
        }
        Change::LeadQualify { lead, met, stage } => {
            put(&mut t, "lead", Some(lead));
            t.insert("met", value(met.iter().collect::<Array>()));
            put(&mut t, "stage", stage.as_ref());
        }
        Change::HandoffCreate { id, lead, to, note } => {
            put(&mut t, "id", Some(id));
            put(&mut t, "lead", Some(lead));
            put(&mut t, "to", Some(to));
            put(&mut t, "note", note.as_ref());
        }
        Change::HandoffAccept {
            handoff,
            note,
            stage,
        } => {
            put(&mut t, "handoff", Some(handoff));
            put(&mut t, "stage", stage.as_ref());
            put(&mut t, "note", note.as_ref());
        }
        Change::HandoffReject {
            handoff,
            reason,
            note,
            stage,
        } => {
            put(&mut t, "handoff", Some(handoff));
            put(&mut t, "reason", Some(reason));
            put(&mut t, "stage", stage.as_ref());
            put(&mut t, "note", note.as_ref());
        }
        Change::HandoffContact { handoff, note } => {
            put(&mut t, "handoff", Some(handoff));
            put(&mut t, "note", note.as_ref());
        }
        Change::FeedbackAdd {
            id,
            text,
            category,
            anonymous,
        } => {
            put(&mut t, "id", Some(id));
            put(&mut t, "category", Some(category));
            if *anonymous {
                t.insert("anonymous", value(true));
            }
            put(&mut t, "text", Some(text));
        }
        Change::FeedbackResolve { feedback, note } => {
            put(&mut t, "feedback", Some(feedback));
            put(&mut t, "note", note.as_ref());
        }
        Change::IdeaAdd {
            id,
            text,
            lead,
            offer,
        } => {
            put(&mut t, "id", Some(id));
            put(&mut t, "text", Some(text));
            put(&mut t, "lead", lead.as_ref());
            put(&mut t, "offer", offer.as_ref());
        }
        Change::IdeaStatus { idea, status, link } => {
            put(&mut t, "idea", Some(idea));
            put(&mut t, "status", Some(status));
            put(&mut t, "link", link.as_ref());
        }
        Change::WinAdd { id, text, credit } => {
            put(&mut t, "id", Some(id));
            put(&mut t, "text", Some(text));
            t.insert("credit", value(credit.iter().collect::<Array>()));
        }
        Change::ActionAdd {
            id,
            text,
            owner,
            due,
            meeting,
        } => {
            put(&mut t, "id", Some(id));
            put(&mut t, "text", Some(text));
            put(&mut t, "owner", Some(owner));
            if let Some(due) = due.and_then(|d| d.to_string().parse::<toml_edit::Datetime>().ok()) {
                t.insert("due", value(due));
            }
            put_date(&mut t, "meeting", meeting.as_deref());
        }
        Change::MeetingOpen {
            meeting,
            facilitator,
            attendees,
        } => {
            put_date(&mut t, "meeting", Some(meeting));
            put(&mut t, "facilitator", facilitator.as_ref());
            if !attendees.is_empty() {
                t.insert("attendees", value(attendees.iter().collect::<Array>()));
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
            put_date(&mut t, "meeting", Some(meeting));
            put(&mut t, "section", section.as_ref());
            put(&mut t, "text", Some(text));
        }
        Change::MeetingPulse {
            meeting,
            member,
            value: v,
        } => {
            put_date(&mut t, "meeting", Some(meeting));
            put(&mut t, "member", Some(member));
            t.insert("value", value(i64::from(*v)));
        }
        Change::MeetingClose { meeting } => {
            put_date(&mut t, "meeting", Some(meeting));
        }
        Change::ActionDone { action } => {
            put(&mut t, "action", Some(action));
        }
        Change::GoalAdd(g) => {
            put(&mut t, "goal", Some(&g.id));
            put(&mut t, "title", Some(&g.title));
            put(&mut t, "metric", Some(&g.metric));
            t.insert("target", number(g.target));
            put(&mut t, "unit", g.unit.as_ref());
            put(&mut t, "currency", g.currency.as_ref());
            for (key, date) in [("start", g.start), ("end", g.end)] {
                if let Ok(d) = date.to_string().parse::<toml_edit::Datetime>() {
                    t.insert(key, value(d));
                }
            }
            put(&mut t, "owner", g.owner.as_ref());
            if !g.credit.is_empty() {
                t.insert("credit", value(g.credit.iter().collect::<Array>()));
            }
            if g.sum {
                t.insert("aggregate", value("sum"));
            }
        }
        Change::GoalCheckin {
            goal,
            value: v,
            note,
        } => {
            put(&mut t, "goal", Some(goal));
            t.insert("value", number(*v));
            put(&mut t, "note", note.as_ref());
        }
        Change::LeadArchive { lead, .. } => put(&mut t, "lead", Some(lead)),
        Change::LeadUnqualify { lead, unmet } => {
            put(&mut t, "lead", Some(lead));
            t.insert("unmet", value(unmet.iter().collect::<Array>()));
        }
        Change::HandoffReopen { handoff }
        | Change::HandoffWithdraw { handoff, .. }
        | Change::HandoffUncontact { handoff } => put(&mut t, "handoff", Some(handoff)),
        Change::FeedbackStatus { feedback, status } => {
            put(&mut t, "feedback", Some(feedback));
            put(&mut t, "status", Some(status));
        }
        Change::ActionStatus { action, status } => {
            put(&mut t, "action", Some(action));
            put(&mut t, "status", Some(status));
        }
        Change::WinWithdraw { win, .. } => put(&mut t, "win", Some(win)),
        Change::ActionEdit {
            action,
            text,
            owner,
            due,
            clear,
        } => {
            put(&mut t, "action", Some(action));
            put(&mut t, "text", text.as_ref());
            put(&mut t, "owner", owner.as_ref());
            if let Some(due) = due.and_then(|d| d.to_string().parse::<toml_edit::Datetime>().ok()) {
                t.insert("due", value(due));
            }
            if !clear.is_empty() {
                t.insert("clear", value(clear.iter().collect::<Array>()));
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
            put(&mut t, "goal", Some(goal));
            put(&mut t, "title", title.as_ref());
            if let Some(v) = target {
                t.insert("target", number(*v));
            }
            for (key, date) in [("start", start), ("end", end)] {
                if let Some(d) =
                    date.and_then(|d| d.to_string().parse::<toml_edit::Datetime>().ok())
                {
                    t.insert(key, value(d));
                }
            }
            put(&mut t, "owner", owner.as_ref());
        }
        Change::MeetingAbsent { meeting, absent } => {
            put_date(&mut t, "meeting", Some(meeting));
            t.insert("absent", value(absent.iter().collect::<Array>()));
        }
        Change::Retract { entry: target, .. } => {
            t.insert("retract", value(crate::model::causal::format_id(*target)));
        }
        Change::MemberAdd(m) | Change::MemberEdit(m) => {
            put(&mut t, "member", Some(&m.id));
            put(&mut t, "name", m.name.as_ref());
            put(&mut t, "department", m.department.as_ref());
            put(&mut t, "email", m.email.as_ref());
            if let Some(leader) = m.leader {
                t.insert("leader", value(leader));
            }
            if let Some(active) = m.active {
                t.insert("active", value(active));
            }
            put(&mut t, "signing_key", m.signing_key.as_ref());
        }
    }
    t.insert("entry", value(crate::model::causal::format_id(entry.id)));
    if let Some(after) = entry.after.as_ref().filter(|a| !a.is_empty()) {
        let mut ids: Vec<String> = after
            .iter()
            .map(|a| crate::model::causal::format_id(*a))
            .collect();
        ids.sort();
        t.insert("after", value(ids.iter().collect::<Array>()));
    }
    if let Some(undoes) = entry.undoes {
        t.insert("undoes", value(crate::model::causal::format_id(undoes)));
    }
    let mut doc = toml_edit::DocumentMut::new();
    let mut array = toml_edit::ArrayOfTables::new();
    array.push(t);
    doc.insert("entry", Item::ArrayOfTables(array));
    format!("\n{doc}")
}

/// A money amount as a TOML integer when whole, else a float.
fn number(v: f64) -> toml_edit::Item {
    if v.fract() == 0.0 && v.abs() < 9e15 {
        toml_edit::value(v as i64)
    } else {
        toml_edit::value(v)
    }
}
