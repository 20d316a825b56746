//! What the agenda shows of the leads, worked out when the cache is written and kept
//! beside it: the leads to qualify and the stale ones (counted at any moment, the first
//! few kept whole) and every deal won. An agenda then reads these, the metric facts and
//! the small sections, not every lead (at a million entries, 300k leads and their
//! history).
//!
//! Like the metric facts they hold for the state they were worked out from: a read takes
//! them from a cache that holds the journal, or one this clone wrote a few entries past,
//! with the leads those entries touched taken out and put back in ([`AgendaFacts::replace`]).

use serde::{Deserialize, Serialize};

use crate::model::Text;
use crate::model::config::Config;
use crate::model::lead::Lead;
use crate::model::time::Instant;

/// How many leads of each list are kept whole, in order: the agenda shows 15, and the
/// rest covers leads taken out by writes since (a read with fewer than it shows streams).
const PICKS: usize = 64;

/// The leads not archived, as the agenda's sections rank them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AgendaFacts {
    /// Leads in the first stage, by when they were added: the leads to qualify.
    pub(crate) first: Ranked,
    /// Open leads past the first stage, by their last change: the stale ones.
    pub(crate) open: Ranked,
    /// Every lead in won, by id.
    pub(crate) deals: Vec<DealFact>,
}

/// A list of leads ranked by a moment (then id): every moment, sorted, to count those up
/// to any moment, and the first leads of the list whole (without history or notes).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Ranked {
    keys: Vec<Instant>,
    picks: Vec<(Instant, Lead)>,
}

/// A deal won: what the agenda's celebrations say of it, and who it credits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DealFact {
    pub lead: Text,
    pub company: Text,
    /// When it last moved to won, and who moved it.
    pub at: Instant,
    pub by: Text,
    pub created_by: Text,
    pub owner: Option<Text>,
    pub value: Option<f64>,
    pub currency: Option<Box<str>>,
}

impl DealFact {
    /// `lead` as a deal, when it is in won: its last move there.
    pub fn of(lead: &Lead, config: &Config) -> Option<DealFact> {
        let won = &config.pipeline.won;
        if lead.stage != *won {
            return None;
        }
        let change = lead.history.iter().rev().find(|h| h.stage == *won)?;
        Some(DealFact {
            lead: lead.id.clone(),
            company: lead.company.clone(),
            at: change.at,
            by: change.by.clone(),
            created_by: lead.created_by.clone(),
            owner: lead.owner.clone(),
            value: lead.value,
            currency: lead.currency.clone(),
        })
    }
}

/// A copy of `lead` without its history and notes, which no item shows.
fn bare(lead: &Lead) -> Lead {
    let mut copy = lead.clone();
    copy.history.clear();
    copy.notes.clear();
    copy
}

/// Which list a lead is ranked in, by what.
enum Rank {
    First(Instant),
    Open(Instant),
}

fn rank(lead: &Lead, config: &Config) -> Option<Rank> {
    let first = config.pipeline.stages.first().map_or("", String::as_str);
    if lead.stage == first {
        Some(Rank::First(lead.created))
    } else if !config.pipeline.is_closed(&lead.stage) {
        Some(Rank::Open(lead.updated))
    } else {
        None
    }
}

impl Ranked {
    fn of(mut all: Vec<(Instant, &Lead)>) -> Ranked {
        all.sort_unstable_by(|(k, a), (j, b)| (k, &a.id).cmp(&(j, &b.id)));
        let picks = (all.iter().take(PICKS))
            .map(|(k, l)| (*k, bare(l)))
            .collect();
        Ranked {
            keys: all.into_iter().map(|(k, _)| k).collect(),
            picks,
        }
    }

    /// How many leads rank at or before `until`, and the first `max` of them whole; `None`
    /// when fewer are kept than that (writes took them out).
    pub fn first(&self, until: Instant, max: usize) -> Option<(usize, Vec<Lead>)> {
        let count = self.keys.partition_point(|k| *k <= until);
        let shown = count.min(max);
        let picks = self.picks.get(..shown)?;
        Some((count, picks.iter().map(|(_, l)| l.clone()).collect()))
    }

    fn put(&mut self, key: Instant, lead: &Lead) {
        // The picks are the first of the whole list, all of it while it is short: a lead
        // ranked after the last pick of a longer list is not among them.
        let complete = self.picks.len() == self.keys.len();
        let at = self.keys.partition_point(|k| *k <= key);
        self.keys.insert(at, key);
        let before = |(k, p): &(Instant, Lead)| (*k, p.id.as_str()) < (key, lead.id.as_str());
        if !complete && self.picks.last().is_none_or(before) {
            return;
        }
        let at = self.picks.partition_point(before);
        self.picks.insert(at, (key, bare(lead)));
        self.picks.truncate(PICKS);
    }

    /// Takes out one `key`, and the lead `id` if kept; `false` when no lead had that key.
    fn take(&mut self, key: Instant, id: &str) -> bool {
        let Ok(at) = self.keys.binary_search(&key) else {
            return false;
        };
        self.keys.remove(at);
        self.picks.retain(|(_, p)| p.id != id);
        true
    }
}

impl AgendaFacts {
    /// The facts of `leads` (those not archived, in id order).
    pub fn of<'a>(leads: impl Iterator<Item = &'a Lead>, config: &Config) -> AgendaFacts {
        let (mut first, mut open, mut deals) = (Vec::new(), Vec::new(), Vec::new());
        for lead in leads {
            match rank(lead, config) {
                Some(Rank::First(key)) => first.push((key, lead)),
                Some(Rank::Open(key)) => open.push((key, lead)),
                None => {}
            }
            deals.extend(DealFact::of(lead, config));
        }
        deals.sort_by(|a, b| a.lead.cmp(&b.lead));
        AgendaFacts {
            first: Ranked::of(first),
            open: Ranked::of(open),
            deals,
        }
    }

    fn put(&mut self, lead: &Lead, config: &Config) {
        match rank(lead, config) {
            Some(Rank::First(key)) => self.first.put(key, lead),
            Some(Rank::Open(key)) => self.open.put(key, lead),
            None => {}
        }
        if let Some(deal) = DealFact::of(lead, config) {
            let at = (self.deals).partition_point(|d| d.lead < deal.lead);
            self.deals.insert(at, deal);
        }
    }

    fn take(&mut self, lead: &Lead, config: &Config) -> bool {
        let ranked = match rank(lead, config) {
            Some(Rank::First(key)) => self.first.take(key, &lead.id),
            Some(Rank::Open(key)) => self.open.take(key, &lead.id),
            None => true,
        };
        let dealt = DealFact::of(lead, config).is_none_or(|deal| {
            match self.deals.binary_search_by(|d| d.lead.cmp(&deal.lead)) {
                Ok(at) => self.deals.remove(at) == deal,
                Err(_) => false,
            }
        });
        ranked && dealt
    }

    /// Takes out what leads `old` counted and puts in what `new` count (the same leads
    /// after a few entries this clone wrote, and those the entries created; none
    /// archived): as if the facts had been worked out again. `false` when one of `old`
    /// is not in them (the facts are then not to be used).
    pub fn replace(&mut self, config: &Config, old: &[&Lead], new: &[&Lead]) -> bool {
        if !old.iter().all(|l| self.take(l, config)) {
            return false;
        }
        for lead in new {
            self.put(lead, config);
        }
        true
    }

    /// The leads in the first stage added up to `at`: how many, and the first `max`.
    pub fn to_qualify(&self, at: Instant, max: usize) -> Option<(usize, Vec<Lead>)> {
        self.first.first(at, max)
    }

    /// The open leads past the first stage with no change after `before`: how many, and
    /// the first `max`.
    pub fn stale(&self, before: Instant, max: usize) -> Option<(usize, Vec<Lead>)> {
        self.open.first(before, max)
    }

    /// Every deal won, in id order.
    pub fn all_deals(&self) -> &[DealFact] {
        &self.deals
    }

    /// The deals won in `(since, until]`, in id order.
    pub fn deals(&self, since: Instant, until: Instant) -> impl Iterator<Item = &DealFact> {
        (self.deals.iter()).filter(move |d| d.at > since && d.at <= until)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::lead::StageChange;
    use crate::model::summary::LeadSummary;

    fn config() -> Config {
        Config {
            version: None,
            team: crate::model::config::Team {
                name: "T".into(),
                timezone: "UTC".into(),
                currency: "USD".into(),
            },
            members: Default::default(),
            pipeline: Default::default(),
            qualification: Default::default(),
            handoff: Default::default(),
            business_hours: Default::default(),
            meeting: Default::default(),
            sync: Default::default(),
        }
    }

    /// Lead `n` in stage `stage` (of the default pipeline), added and changed at the
    /// moments given (a few, so that many leads share one).
    fn lead(n: usize, stage: usize, created: i64, updated: i64, config: &Config) -> Lead {
        let stages = &config.pipeline.stages;
        let stage = &stages[stage % stages.len()];
        let mut l = LeadSummary::new(&format!("lead-{n:03}"), &format!("Co {n}"), stage).to_thin();
        l.created = Instant(created);
        l.updated = Instant(created.max(updated));
        l.created_by = "maria".into();
        l.value = Some(n as f64 * 10.0);
        l.history.push(StageChange {
            entry: Default::default(),
            stage: stage.as_str().into(),
            at: l.updated,
            by: "tom".into(),
            reason: None,
        });
        l
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 200,
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// Leads taken out and put back changed, one write after another, leave facts that
        /// show what facts worked out from the leads as they are show: the same counts and
        /// leads for every moment, unless too few leads are kept to tell (then they say
        /// so), and the same deals.
        #[test]
        fn leads_taken_out_and_put_in_rank_as_a_rebuild_does(
            leads in proptest::collection::vec((0usize..6, 0i64..8, 0i64..8), 0..140),
            writes in proptest::collection::vec(
                proptest::collection::vec((0usize..160, 0usize..6, 0i64..10), 1..4),
                1..12,
            ),
        ) {
            let config = config();
            let mut now: Vec<Lead> = (leads.iter().enumerate())
                .map(|(n, &(stage, created, updated))| lead(n, stage, created, updated, &config))
                .collect();
            let mut facts = AgendaFacts::of(now.iter(), &config);
            for write in writes {
                let mut old = Vec::new();
                let mut new = Vec::new();
                for (n, stage, updated) in write {
                    // A lead of the list changed, or a new one (each once per write).
                    if old.iter().chain(&new).any(|l: &Lead| l.id == format!("lead-{n:03}")) {
                        continue;
                    }
                    let created = now.get(n).map_or(updated, |l| l.created.0);
                    let changed = lead(n, stage, created, updated, &config);
                    match now.iter_mut().find(|l| l.id == changed.id) {
                        Some(l) => old.push(std::mem::replace(l, changed.clone())),
                        None => now.push(changed.clone()),
                    }
                    new.push(changed);
                }
                now.sort_by(|a, b| a.id.cmp(&b.id));
                let (old, new): (Vec<&Lead>, Vec<&Lead>) = (old.iter().collect(), new.iter().collect());
                proptest::prop_assert!(facts.replace(&config, &old, &new));
                let rebuilt = AgendaFacts::of(now.iter(), &config);
                proptest::prop_assert_eq!(&facts.deals, &rebuilt.deals);
                // The lists hold the same moments, and the leads kept are the first of them.
                for (kept, whole) in [(&facts.first, &rebuilt.first), (&facts.open, &rebuilt.open)] {
                    proptest::prop_assert_eq!(&kept.keys, &whole.keys);
                    let ids = |r: &Ranked| {
                        let first = r.picks.iter().take(kept.picks.len());
                        first.map(|(k, l)| (*k, l.id.clone())).collect::<Vec<_>>()
                    };
                    proptest::prop_assert_eq!(ids(kept), ids(whole));
                }
                for until in -1..11 {
                    let until = Instant(until);
                    for (kept, whole) in [
                        (facts.to_qualify(until, 15), rebuilt.to_qualify(until, 15)),
                        (facts.stale(until, 15), rebuilt.stale(until, 15)),
                    ] {
                        let whole = whole.expect("a rebuild keeps what it shows");
                        match kept {
                            Some(kept) => proptest::prop_assert_eq!(kept, whole),
                            // Only when more than the kept leads are shown.
                            None => proptest::prop_assert!(whole.1.len() > facts.first.picks.len().min(facts.open.picks.len())),
                        }
                    }
                }
            }
        }
    }
}
