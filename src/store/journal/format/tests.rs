//! The journal writer against the `toml_edit` one it replaced: the same bytes for any
//! entry, and text that the `toml` crate and the fast reader (`store::scan`) read alike.

use chrono::NaiveDate;
use proptest::collection::vec;
use proptest::prelude::*;
use serde::Deserialize;
use serde::de::IntoDeserializer;

use super::format_entry;
use super::toml_edit_oracle;
use crate::model::entry::{Change, Entry, GoalFields, LeadFields, MemberFields, RawEntry};
use crate::model::time::Instant;

/// Zones with half-hour, quarter-hour and negative offsets, and one whose offsets before
/// 1937 had seconds (Amsterdam, +00:19:32).
const ZONES: [chrono_tz::Tz; 7] = [
    chrono_tz::UTC,
    chrono_tz::Europe::Berlin,
    chrono_tz::Asia::Kolkata,
    chrono_tz::Asia::Kathmandu,
    chrono_tz::America::St_Johns,
    chrono_tz::Europe::Amsterdam,
    chrono_tz::Pacific::Chatham,
];

/// Any text: plain, with quotes and backslashes, with control characters and newlines.
fn text() -> BoxedStrategy<String> {
    prop_oneof![
        3 => "[a-z0-9 .,@:/-]{0,12}",
        2 => "[ -~é😀\t]{0,16}",
        1 => "['\"\\\\a]{0,8}",
        1 => any::<String>(),
    ]
    .boxed()
}

fn maybe() -> BoxedStrategy<Option<String>> {
    proptest::option::of(text()).boxed()
}

fn texts() -> BoxedStrategy<Vec<String>> {
    vec(text(), 0..4).boxed()
}

/// Amounts: whole and not, near the integer limit, negative zero, and any float.
fn number() -> BoxedStrategy<f64> {
    prop_oneof![
        (0u64..2_000_000).prop_map(|v| v as f64),
        0.0..1e15,
        Just(-0.0),
        Just(9e15),
        Just(1e16),
        any::<f64>(),
    ]
    .boxed()
}

/// Dates from year -2 to past 10000, which TOML cannot hold.
fn date() -> BoxedStrategy<NaiveDate> {
    (-1000i32..3_700_000)
        .prop_map(|d| NaiveDate::from_num_days_from_ce_opt(d).unwrap_or_default())
        .boxed()
}

/// A meeting as text: usually a date, sometimes anything.
fn meeting() -> BoxedStrategy<String> {
    prop_oneof![3 => date().prop_map(|d| d.to_string()), 1 => text()].boxed()
}

/// Instants from year -1200 to year 14000, with and without milliseconds.
fn instant() -> BoxedStrategy<Instant> {
    prop_oneof![
        (-100_000_000i64..380_000_000).prop_map(|s| Instant(s * 1000)),
        (-100_000_000_000_000i64..380_000_000_000_000).prop_map(Instant),
        (0i64..4_000_000_000_000).prop_map(Instant),
    ]
    .boxed()
}

fn lead_fields() -> BoxedStrategy<LeadFields> {
    (
        (text(), maybe(), maybe(), maybe(), maybe()),
        (proptest::option::of(number()), maybe(), maybe(), maybe()),
        (
            proptest::option::of(texts()),
            maybe(),
            maybe(),
            proptest::option::of(instant()),
            texts(),
        ),
    )
        .prop_map(
            |(
                (id, company, contact, email, source),
                (value, currency, owner, stage),
                (tags, note, crm_id, created, clear),
            )| LeadFields {
                id,
                company,
                contact,
                email,
                source,
                value,
                currency,
                owner,
                tags,
                stage,
                note,
                crm_id,
                created,
                clear,
            },
        )
        .boxed()
}

fn member() -> BoxedStrategy<MemberFields> {
    (
        text(),
        maybe(),
        maybe(),
        maybe(),
        proptest::option::of(any::<bool>()),
        proptest::option::of(any::<bool>()),
        maybe(),
    )
        .prop_map(
            |(id, name, department, email, leader, active, signing_key)| MemberFields {
                id,
                name,
                department,
                email,
                leader,
                active,
                signing_key,
            },
        )
        .boxed()
}

fn goal() -> BoxedStrategy<GoalFields> {
    (
        (text(), text(), text(), number(), maybe()),
        (date(), date(), maybe(), texts(), maybe(), any::<bool>()),
    )
        .prop_map(
            |((id, title, metric, target, unit), (start, end, owner, credit, currency, sum))| {
                GoalFields {
                    id,
                    title,
                    metric,
                    target,
                    unit,
                    start,
                    end,
                    owner,
                    credit,
                    currency,
                    sum,
                }
            },
        )
        .boxed()
}

/// Every kind of change, with any text in it.
fn change() -> BoxedStrategy<Change> {
    let opt_date = || proptest::option::of(date());
    prop_oneof![
        lead_fields().prop_map(|f| Change::LeadAdd(Box::new(f))),
        (text(), lead_fields(), maybe()).prop_map(|(lead, fields, note)| Change::LeadEdit {
            lead,
            fields: Box::new(fields),
            note
        }),
        (text(), text(), maybe()).prop_map(|(lead, stage, reason)| Change::LeadStage {
            lead,
            stage,
            reason
        }),
        (text(), texts(), maybe()).prop_map(|(lead, met, stage)| Change::LeadQualify {
            lead,
            met,
            stage
        }),
        (text(), text(), text(), maybe()).prop_map(|(id, lead, to, note)| Change::HandoffCreate {
            id,
            lead,
            to,
            note
        }),
        (text(), maybe(), maybe()).prop_map(|(handoff, note, stage)| Change::HandoffAccept {
            handoff,
            note,
            stage
        }),
        (text(), text(), maybe(), maybe()).prop_map(|(handoff, reason, note, stage)| {
            Change::HandoffReject {
                handoff,
                reason,
                note,
                stage,
            }
        }),
        (text(), maybe()).prop_map(|(handoff, note)| Change::HandoffContact { handoff, note }),
        (text(), text(), text(), any::<bool>()).prop_map(|(id, text, category, anonymous)| {
            Change::FeedbackAdd {
                id,
                text,
                category,
                anonymous,
            }
        }),
        (text(), maybe()).prop_map(|(feedback, note)| Change::FeedbackResolve { feedback, note }),
        (text(), text(), maybe(), maybe()).prop_map(|(id, text, lead, offer)| Change::IdeaAdd {
            id,
            text,
            lead,
            offer
        }),
        (text(), text(), maybe()).prop_map(|(idea, status, link)| Change::IdeaStatus {
            idea,
            status,
            link
        }),
        (text(), text(), texts()).prop_map(|(id, text, credit)| Change::WinAdd {
            id,
            text,
            credit
        }),
        (
            text(),
            text(),
            text(),
            opt_date(),
            proptest::option::of(meeting())
        )
            .prop_map(|(id, text, owner, due, meeting)| Change::ActionAdd {
                id,
                text,
                owner,
                due,
                meeting
            }),
        text().prop_map(|action| Change::ActionDone { action }),
        (text(), maybe(), maybe(), opt_date(), texts()).prop_map(
            |(action, text, owner, due, clear)| Change::ActionEdit {
                action,
                text,
                owner,
                due,
                clear
            }
        ),
        goal().prop_map(|g| Change::GoalAdd(Box::new(g))),
        (text(), number(), maybe()).prop_map(|(goal, value, note)| Change::GoalCheckin {
            goal,
            value,
            note
        }),
        (meeting(), maybe(), texts()).prop_map(|(meeting, facilitator, attendees)| {
            Change::MeetingOpen {
                meeting,
                facilitator,
                attendees,
            }
        }),
        (meeting(), maybe(), text()).prop_map(|(meeting, section, text)| Change::MeetingNote {
            meeting,
            section,
            text
        }),
        (meeting(), maybe(), text()).prop_map(|(meeting, section, text)| {
            Change::MeetingDecision {
                meeting,
                section,
                text,
            }
        }),
        (meeting(), text(), any::<u8>()).prop_map(|(meeting, member, value)| {
            Change::MeetingPulse {
                meeting,
                member,
                value,
            }
        }),
        meeting().prop_map(|meeting| Change::MeetingClose { meeting }),
        (text(), any::<bool>()).prop_map(|(lead, archived)| Change::LeadArchive { lead, archived }),
        (text(), texts()).prop_map(|(lead, unmet)| Change::LeadUnqualify { lead, unmet }),
        text().prop_map(|handoff| Change::HandoffReopen { handoff }),
        (text(), any::<bool>())
            .prop_map(|(handoff, withdrawn)| Change::HandoffWithdraw { handoff, withdrawn }),
        text().prop_map(|handoff| Change::HandoffUncontact { handoff }),
        (text(), text()).prop_map(|(feedback, status)| Change::FeedbackStatus { feedback, status }),
        (text(), text()).prop_map(|(action, status)| Change::ActionStatus { action, status }),
        (text(), any::<bool>()).prop_map(|(win, withdrawn)| Change::WinWithdraw { win, withdrawn }),
        (
            (text(), maybe(), proptest::option::of(number())),
            (
                opt_date(),
                opt_date(),
                maybe(),
                proptest::option::of(any::<bool>())
            )
        )
            .prop_map(|((goal, title, target), (start, end, owner, archived))| {
                Change::GoalEdit {
                    goal,
                    title,
                    target,
                    start,
                    end,
                    owner,
                    archived,
                }
            }),
        (meeting(), texts())
            .prop_map(|(meeting, absent)| Change::MeetingAbsent { meeting, absent }),
        (0u64..1 << 60, any::<bool>())
            .prop_map(|(entry, retracted)| Change::Retract { entry, retracted }),
        member().prop_map(|m| Change::MemberAdd(Box::new(m))),
        member().prop_map(|m| Change::MemberEdit(Box::new(m))),
    ]
    .boxed()
}

/// Any entry, in any of the zones.
fn entry() -> impl Strategy<Value = (Entry, chrono_tz::Tz)> {
    (
        (0u64..1 << 60, instant(), "[a-z]{0,8}", change()),
        proptest::option::of(vec(0u64..1 << 60, 0..4)),
        proptest::option::of(0u64..1 << 60),
        0..ZONES.len(),
    )
        .prop_map(|((id, at, by, change), after, undoes, zone)| {
            let entry = Entry {
                id,
                after,
                undoes,
                at,
                by,
                change,
            };
            (entry, ZONES[zone])
        })
}

/// What the `toml` crate reads from `src`, entry by entry; `None` when an entry is not
/// one growth reads (a date outside the years it takes, say). `src` must be TOML.
fn by_toml(src: &str) -> Option<Vec<RawEntry>> {
    let doc = toml::de::DeTable::parse(src).expect("growth writes TOML");
    let items = doc.get_ref().get("entry").expect("[[entry]]");
    let items = items.get_ref().as_array().expect("an array of tables");
    items
        .iter()
        .map(|i| RawEntry::deserialize(i.clone().into_deserializer()).ok())
        .collect()
}

fn by_scan(src: &str) -> Option<Vec<String>> {
    crate::store::scan::entries(src)
        .map(|v| v.into_iter().map(|s| format!("{:?}", s.raw)).collect())
}

/// An import's entry: the hot path of a million-row `lead import`.
fn imported(at: Instant, created: Option<Instant>, value: f64) -> Entry {
    let mut entry = Entry::new(
        at,
        "maria",
        Change::LeadAdd(Box::new(LeadFields {
            id: "company-7-inc".into(),
            company: Some("Company 7, Inc.".into()),
            contact: Some("First7 Last".into()),
            email: Some("p7@co7.example".into()),
            source: Some("Organic Search".into()),
            value: Some(value),
            currency: Some("USD".into()),
            owner: Some("maria".into()),
            stage: Some("won".into()),
            crm_id: Some("900007".into()),
            created,
            ..LeadFields::default()
        })),
    );
    entry.after = Some(vec![3, 1 << 40]);
    entry
}

#[test]
fn an_imported_lead_is_written_as_before() {
    let entry = imported(
        Instant(1_893_499_200_000),
        Some(Instant(1_783_072_800_500)),
        12_129.0,
    );
    let text = format_entry(&entry, chrono_tz::UTC);
    assert_eq!(text, toml_edit_oracle::format_entry(&entry, chrono_tz::UTC));
    assert!(text.starts_with("\n[[entry]]\nat = 2030-01-01T12:00:00Z\nby = \"maria\"\n"));
    assert!(
        text.contains("\ncreated = 2026-07-03T10:00:00.5Z\n"),
        "{text}"
    );
}

#[test]
fn times_toml_cannot_hold_are_written_as_before() {
    // Year 12000, a zone whose offset had seconds (Amsterdam in 1900), a year before 0.
    for (ms, tz) in [
        (316_592_000_000_000, chrono_tz::UTC),
        (-2_208_988_800_000, chrono_tz::Europe::Amsterdam),
        (-62_200_000_000_000, chrono_tz::UTC),
    ] {
        let entry = imported(Instant(ms), Some(Instant(ms + 1)), 0.5);
        assert_eq!(
            format_entry(&entry, tz),
            toml_edit_oracle::format_entry(&entry, tz),
            "{ms} in {tz}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Any entry is written byte for byte as `toml_edit` wrote it.
    #[test]
    fn any_entry_is_written_as_toml_edit_wrote_it((entry, tz) in entry()) {
        prop_assert_eq!(
            format_entry(&entry, tz),
            toml_edit_oracle::format_entry(&entry, tz)
        );
    }

    /// What is written is TOML, which the fast reader reads as the `toml` crate does (or
    /// leaves to it); read back and written again, it is the same text.
    #[test]
    fn what_is_written_reads_back_the_same((entry, tz) in entry()) {
        let text = format_entry(&entry, tz);
        let read = by_toml(&text);
        if let Some(fast) = by_scan(&text) {
            let read: Option<Vec<String>> =
                read.as_ref().map(|r| r.iter().map(|r| format!("{r:?}")).collect());
            prop_assert_eq!(Some(fast), read);
        }
        // Fields the model does not keep (a stage on a `lead.edit`: stages change through
        // `lead.stage`) are dropped by the first read; from then on reading and writing
        // give back the same text.
        let reread = |text: &str| {
            by_toml(text)
                .and_then(|mut r| r.pop())
                .and_then(|r| r.check().ok())
                .map(|e| format_entry(&e, tz))
        };
        if let Some(once) = reread(&text) {
            prop_assert_eq!(reread(&once), Some(once));
        }
    }

    /// An imported lead reads back as the very entry written, on the fast path.
    #[test]
    fn an_imported_lead_reads_back_as_written(
        at in 0i64..7_000_000_000_000,
        created in proptest::option::of(0i64..7_000_000_000_000),
        value in prop_oneof![(0u64..1_000_000).prop_map(|v| v as f64), 0.0..1e15],
        zone in 0..ZONES.len(),
    ) {
        let tz = ZONES[zone];
        let mut entry = imported(Instant(at), created.map(Instant), value);
        let text = format_entry(&entry, tz);
        prop_assert!(by_scan(&text).is_some(), "{}", text);
        let scanned = crate::store::scan::entries(&text).expect("scans").remove(0);
        let back = scanned.raw.check().expect("valid");
        if let Some(after) = &mut entry.after {
            after.sort_unstable();
        }
        prop_assert_eq!(back, entry);
    }
}
