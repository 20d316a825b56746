//! The team report: credits per member and per department in the period (wins they were
//! credited on, handoffs made and accepted, content ideas published, action items done),
//! so a celebration names everyone who played a part, across departments.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::model::agenda_facts::DealFact;
use crate::model::config::Config;
use crate::model::handoff::HandoffStatus;
use crate::model::lead::Lead;
use crate::model::records::IDEA_STATUSES;
use crate::model::state::State;
use crate::model::time::Instant;
use crate::render::Listing;
use crate::render::chart::Bar;
use crate::render::report::{Chart, View, ViewTable};

use super::Window;
use super::funnel::{join, weekly};
use super::wins::DealsPass;

#[derive(Debug, Clone, Serialize)]
pub struct Team {
    pub report: &'static str,
    #[serde(flatten)]
    pub window: Window,
    /// Nobody was credited with anything in the period.
    pub too_little_data: bool,
    /// Shout-outs and deals won in the period.
    pub wins: usize,
    /// Of those, the wins crediting more than one department.
    pub cross_department_wins: usize,
    pub members: Vec<Credits>,
    pub departments: Vec<Credits>,
}

/// What a member (or a department) is credited with in the period.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Credits {
    /// The member id, or the department.
    pub id: String,
    pub department: String,
    /// Members in the department (1 for a member).
    pub people: usize,
    /// Shout-outs and deals won crediting them (a department counts a win once).
    pub wins: usize,
    pub handoffs_made: usize,
    /// Of the handoffs they made in the period, those accepted.
    pub handoffs_accepted: usize,
    /// Content ideas they brought that were published in the period.
    pub ideas_published: usize,
    /// Action items they owned, done in the period.
    pub actions_done: usize,
    /// The sum of the five.
    pub total: usize,
    /// Credits week by week from `since`.
    pub weekly: Vec<usize>,
}

impl Credits {
    fn new(id: &str, department: &str, weeks: usize) -> Self {
        Credits {
            id: id.into(),
            department: department.into(),
            people: 1,
            weekly: vec![0; weeks],
            ..Credits::default()
        }
    }

    fn add(&mut self, other: &Credits) {
        self.people += other.people;
        self.handoffs_made += other.handoffs_made;
        self.handoffs_accepted += other.handoffs_accepted;
        self.ideas_published += other.ideas_published;
        self.actions_done += other.actions_done;
        for (a, b) in self.weekly.iter_mut().zip(&other.weekly) {
            *a += b;
        }
    }

    fn sum(&mut self) {
        self.total = self.wins
            + self.handoffs_made
            + self.handoffs_accepted
            + self.ideas_published
            + self.actions_done;
    }
}

/// The team report of `state` and the leads `leads` passes one by one (the state's,
/// [`super::every_lead`], or a cache's one chunk at a time), of which nothing is kept but
/// the credits of the deals won. `None` when `leads` could not pass them all (a damaged cache).
pub fn build(
    state: &State,
    leads: impl FnOnce(&mut dyn FnMut(&Lead)) -> bool,
    config: &Config,
    tz: chrono_tz::Tz,
    window: Window,
) -> Option<Team> {
    let each_deal = |pass: &DealsPass, win: &mut dyn FnMut(Instant, &[String])| {
        leads(&mut |l| {
            if let Some((at, credited)) = pass.credit(l) {
                win(at, &credited);
            }
        })
    };
    build_with(state, each_deal, config, tz, window)
}

/// [`build`] with the deals won from the facts kept beside the cache (every lead in won,
/// see [`crate::model::agenda_facts`]) instead of a pass over the leads.
pub fn build_from_facts(
    state: &State,
    deals: &[DealFact],
    config: &Config,
    tz: chrono_tz::Tz,
    window: Window,
) -> Team {
    let each_deal = |pass: &DealsPass, win: &mut dyn FnMut(Instant, &[String])| {
        for deal in deals {
            if let Some((at, credited)) = pass.credit_of(deal) {
                win(at, &credited);
            }
        }
        true
    };
    build_with(state, each_deal, config, tz, window)
        .unwrap_or_else(|| unreachable!("the facts' deals are all there"))
}

/// The team report, with `each_deal` giving each deal won as a pass finds it (when it was
/// won, who it credits); `None` when it could not give them all.
fn build_with(
    state: &State,
    each_deal: impl FnOnce(&DealsPass, &mut dyn FnMut(Instant, &[String])) -> bool,
    config: &Config,
    tz: chrono_tz::Tz,
    window: Window,
) -> Option<Team> {
    let weeks = window.weeks();
    let mut members: BTreeMap<String, Credits> = config
        .members
        .iter()
        .filter(|(_, m)| m.active)
        .map(|(id, m)| (id.clone(), Credits::new(id, &m.department, weeks)))
        .collect();
    let dept = |id: &str| {
        config
            .members
            .get(id)
            .map_or_else(String::new, |m| m.department.clone())
    };
    let mut credit = |id: &str, at, what: fn(&mut Credits)| {
        let Some(w) = window.week(at) else { return };
        let c = members
            .entry(id.to_string())
            .or_insert_with(|| Credits::new(id, &dept(id), weeks));
        what(c);
        c.weekly[w] += 1;
    };
    // Shout-outs and deals won, found the way `growth win list` finds them, each counted
    // as it is found: a win is kept only as the credits it adds.
    let deals = DealsPass::new(state, config, tz, window.as_of, None);
    let mut dept_wins: BTreeMap<String, usize> = BTreeMap::new();
    let (mut wins, mut cross) = (0, 0);
    let mut win = |at: Instant, credited: &[String]| {
        if !window.contains(at) {
            return;
        }
        wins += 1;
        for m in credited {
            credit(m, at, |c| c.wins += 1);
        }
        let departments: BTreeSet<String> = credited.iter().map(|m| dept(m)).collect();
        cross += usize::from(departments.len() > 1);
        for d in departments {
            *dept_wins.entry(d).or_default() += 1;
        }
    };
    deals.shout_outs(&mut |w| win(w.instant, &w.credit));
    if !each_deal(&deals, &mut win) {
        return None;
    }
    for h in state.handoffs.values().filter(|h| window.contains(h.at)) {
        credit(&h.from, h.at, |c| c.handoffs_made += 1);
        if h.status == HandoffStatus::Accepted
            && let Some(d) = h.decided_at.filter(|d| *d <= window.as_of)
        {
            credit(&h.from, d.max(h.at), |c| c.handoffs_accepted += 1);
        }
    }
    let published = IDEA_STATUSES[IDEA_STATUSES.len() - 1];
    for idea in state.ideas.values().filter(|i| i.status == published) {
        credit(&idea.by, idea.updated, |c| c.ideas_published += 1);
    }
    for a in state.actions.values() {
        if let Some(done) = a.done_at {
            credit(&a.owner, done, |c| c.actions_done += 1);
        }
    }
    let mut departments: BTreeMap<String, Credits> = BTreeMap::new();
    for c in members.values_mut() {
        c.sum();
        let d = departments
            .entry(c.department.clone())
            .or_insert_with(|| Credits {
                people: 0,
                ..Credits::new(&c.department, &c.department, weeks)
            });
        d.add(c);
    }
    for d in departments.values_mut() {
        d.wins = dept_wins.get(&d.id).copied().unwrap_or(0);
        d.sum();
    }
    let order = |a: &Credits, b: &Credits| b.total.cmp(&a.total).then(a.id.cmp(&b.id));
    let mut members: Vec<Credits> = members.into_values().collect();
    members.sort_by(order);
    let mut departments: Vec<Credits> = departments.into_values().collect();
    departments.sort_by(order);
    Some(Team {
        report: "team",
        window,
        too_little_data: members.iter().all(|m| m.total == 0),
        wins,
        cross_department_wins: cross,
        members,
        departments,
    })
}

impl Team {
    pub fn view(&self, team: &str, unicode: bool) -> View {
        let mut view = View {
            title: "Team credits".into(),
            team: team.into(),
            period: self.window.describe(),
            about: "Who is credited with what in the period, per member and per department.".into(),
            ..View::default()
        };
        if self.too_little_data {
            view.empty = Some("Too little data: nobody was credited with a win, a handoff, a published idea or a done action in this period. Try an earlier --since.".into());
            return view;
        }
        let row = |c: &Credits, people: bool| {
            let mut cells = vec![c.id.clone()];
            cells.push(if people {
                c.people.to_string()
            } else {
                c.department.clone()
            });
            cells.extend(
                [
                    c.wins,
                    c.handoffs_made,
                    c.handoffs_accepted,
                    c.ideas_published,
                    c.actions_done,
                    c.total,
                ]
                .map(|n| n.to_string()),
            );
            cells.push(super::trend(&weekly(&c.weekly), unicode));
            cells
        };
        let headers = |first: &'static str, second: &'static str| {
            vec![
                first, second, "wins", "handoffs", "acc", "ideas", "actions", "total", "weekly",
            ]
        };
        view.tables.push(ViewTable {
            heading: Some("Members".into()),
            headers: headers("member", "department"),
            rows: self.members.iter().map(|c| row(c, false)).collect(),
            droppable: vec![1, 4, 5, 8],
            numeric: (2..8).collect(),
            trend: Some(8),
        });
        view.tables.push(ViewTable {
            heading: Some("Departments".into()),
            headers: headers("department", "people"),
            rows: self.departments.iter().map(|c| row(c, true)).collect(),
            droppable: vec![1, 4, 5, 8],
            numeric: (1..8).collect(),
            trend: Some(8),
        });
        view.chart = Some(Chart {
            title: "Credits per department".into(),
            desc: self
                .departments
                .iter()
                .map(|d| format!("{}: {} credits, {} wins", d.id, d.total, d.wins))
                .collect::<Vec<_>>()
                .join("; "),
            max: self.departments.iter().map(|d| d.total).max().unwrap_or(0) as f64,
            bars: self
                .departments
                .iter()
                .map(|d| Bar {
                    label: d.id.clone(),
                    value: d.total as f64,
                    text: format!("{} credits, {} wins", d.total, d.wins),
                })
                .collect(),
            ..Chart::default()
        });
        view.notes.push(format!(
            "{} win{} in the period, {} crediting more than one department.",
            self.wins,
            crate::error::plural(self.wins),
            self.cross_department_wins
        ));
        view.notes.push("WINS: shout-outs and deals won crediting them (a department counts a win once); HANDOFFS: handoffs they made; ACC: of those, the ones sales accepted; IDEAS: theirs, published; ACTIONS: theirs, done. Goals reached: `growth win list`.".into());
        view
    }

    pub fn csv(&self) -> Listing {
        let rows = self
            .members
            .iter()
            .map(|c| ("member", c))
            .chain(self.departments.iter().map(|c| ("department", c)))
            .map(|(kind, c)| {
                vec![
                    kind.to_string(),
                    c.id.clone(),
                    c.department.clone(),
                    c.people.to_string(),
                    c.wins.to_string(),
                    c.handoffs_made.to_string(),
                    c.handoffs_accepted.to_string(),
                    c.ideas_published.to_string(),
                    c.actions_done.to_string(),
                    c.total.to_string(),
                    join(&c.weekly),
                ]
            })
            .collect();
        Listing {
            headers: vec![
                "kind",
                "id",
                "department",
                "people",
                "wins",
                "handoffs_made",
                "handoffs_accepted",
                "ideas_published",
                "actions_done",
                "total",
                "weekly",
            ],
            rows,
            ..Listing::default()
        }
    }
}
