//! CRM exports as growth reads them: each CRM's column names and stage labels (HubSpot
//! lifecycle stages, Salesforce lead statuses, Pipedrive deal stages), the dates they
//! write, and detection of which CRM a file came from.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Crm {
    HubSpot,
    Salesforce,
    Pipedrive,
    /// Columns named like growth's own fields (what `lead export` writes).
    Generic,
}

impl Crm {
    pub fn name(self) -> &'static str {
        match self {
            Crm::HubSpot => "hubspot",
            Crm::Salesforce => "salesforce",
            Crm::Pipedrive => "pipedrive",
            Crm::Generic => "growth",
        }
    }
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Id,
    CrmId,
    Company,
    Contact,
    FirstName,
    LastName,
    Email,
    Source,
    Stage,
    /// Pipedrive's deal status: open, won, lost.
    Status,
    Value,
    Currency,
    Owner,
    Tags,
    Created,
}

/// Field names for `--map COLUMN=FIELD`.
pub const FIELDS: [(&str, Field); 15] = [
    ("id", Field::Id),
    ("crm_id", Field::CrmId),
    ("company", Field::Company),
    ("contact", Field::Contact),
    ("first_name", Field::FirstName),
    ("last_name", Field::LastName),
    ("email", Field::Email),
    ("source", Field::Source),
    ("stage", Field::Stage),
    ("status", Field::Status),
    ("value", Field::Value),
    ("currency", Field::Currency),
    ("owner", Field::Owner),
    ("tags", Field::Tags),
    ("created", Field::Created),
];

pub fn field(name: &str) -> Option<Field> {
    FIELDS
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
        .map(|(_, f)| *f)
}

const HUBSPOT: &[(&str, Field)] = &[
    ("record id", Field::CrmId),
    ("company name", Field::Company),
    ("associated company", Field::Company),
    ("first name", Field::FirstName),
    ("last name", Field::LastName),
    ("email", Field::Email),
    ("lifecycle stage", Field::Stage),
    ("original source", Field::Source),
    ("amount", Field::Value),
    ("contact owner", Field::Owner),
    ("create date", Field::Created),
];

const SALESFORCE: &[(&str, Field)] = &[
    ("lead id", Field::CrmId),
    ("company / account", Field::Company),
    ("company", Field::Company),
    ("first name", Field::FirstName),
    ("last name", Field::LastName),
    ("email", Field::Email),
    ("lead status", Field::Stage),
    ("lead source", Field::Source),
    ("amount", Field::Value),
    ("lead currency", Field::Currency),
    ("lead owner", Field::Owner),
    ("created date", Field::Created),
];

const PIPEDRIVE: &[(&str, Field)] = &[
    ("deal - id", Field::CrmId),
    ("deal - organization", Field::Company),
    ("organization - name", Field::Company),
    ("person - name", Field::Contact),
    ("person - email", Field::Email),
    ("deal - stage", Field::Stage),
    ("deal - status", Field::Status),
    ("deal - value", Field::Value),
    ("deal - currency", Field::Currency),
    ("deal - owner", Field::Owner),
    ("deal - source", Field::Source),
    ("deal - deal created", Field::Created),
    ("deal - label", Field::Tags),
];

const HUBSPOT_STAGES: &[(&str, &str)] = &[
    ("subscriber", "new"),
    ("lead", "new"),
    ("marketing qualified lead", "mql"),
    ("marketingqualifiedlead", "mql"),
    ("sales qualified lead", "sql"),
    ("salesqualifiedlead", "sql"),
    ("opportunity", "opportunity"),
    ("customer", "won"),
    ("evangelist", "won"),
    ("other", "nurture"),
];

const SALESFORCE_STAGES: &[(&str, &str)] = &[
    ("open - not contacted", "new"),
    ("working - contacted", "mql"),
    ("nurturing", "nurture"),
    ("qualified", "sql"),
    ("closed - converted", "sql"),
    ("closed - not converted", "lost"),
    ("unqualified", "lost"),
];

const PIPEDRIVE_STAGES: &[(&str, &str)] = &[
    ("lead in", "new"),
    ("contact made", "mql"),
    ("qualified", "sql"),
    ("demo scheduled", "opportunity"),
    ("proposal made", "opportunity"),
    ("negotiations started", "opportunity"),
];

/// The column mapping of `crm` for `header`, if it knows the column.
pub fn column(crm: Crm, header: &str) -> Option<Field> {
    let h = header.trim().to_lowercase();
    let table = match crm {
        Crm::HubSpot => HUBSPOT,
        Crm::Salesforce => SALESFORCE,
        Crm::Pipedrive => PIPEDRIVE,
        Crm::Generic => return field(&h),
    };
    table.iter().find(|(name, _)| *name == h).map(|(_, f)| *f)
}

/// Which CRM wrote a file with these headers.
pub fn detect(headers: &[String]) -> Crm {
    let has = |name: &str| headers.iter().any(|h| h.trim().eq_ignore_ascii_case(name));
    if headers
        .iter()
        .any(|h| h.trim().to_lowercase().starts_with("deal - "))
    {
        Crm::Pipedrive
    } else if has("Lifecycle Stage") || has("Record ID") {
        Crm::HubSpot
    } else if has("Lead Status") || has("Lead ID") {
        Crm::Salesforce
    } else {
        Crm::Generic
    }
}

/// The growth stage for a CRM's label: its own table, else a stage named the same.
pub fn stage(crm: Crm, label: &str, stages: &[String]) -> Option<String> {
    let l = label.trim().to_lowercase();
    let table: &[(&str, &str)] = match crm {
        Crm::HubSpot => HUBSPOT_STAGES,
        Crm::Salesforce => SALESFORCE_STAGES,
        Crm::Pipedrive => PIPEDRIVE_STAGES,
        Crm::Generic => &[],
    };
    table
        .iter()
        .find(|(name, _)| *name == l)
        .map(|(_, s)| s.to_string())
        .filter(|s| stages.contains(s))
        .or_else(|| stages.iter().find(|s| **s == l).cloned())
}

/// A date or date-time the way CRM exports write them.
pub fn date(text: &str) -> Option<NaiveDateTime> {
    let t = text.trim().trim_end_matches('Z');
    // The ISO forms most exports use, without chrono's format parser (a tenth of a
    // million-row import's time); anything else, or a field out of range, goes below.
    iso_date(t).or_else(|| date_by_formats(t))
}

/// `2026-07-03`, `2026-07-03 10:00`, `2026-07-03 10:00:00` or `2026-07-03T10:00:00`, each
/// number with exactly its digits, as the formats of [`date_by_formats`] read them.
fn iso_date(t: &str) -> Option<NaiveDateTime> {
    let b = t.as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<u32> {
        let digits = b.get(range)?;
        digits.iter().try_fold(0u32, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let day = NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)?;
    let time = match (b.len(), b.get(10)) {
        (10, _) => NaiveTime::from_hms_opt(12, 0, 0)?,
        (16, Some(b' ')) if b[13] == b':' => {
            NaiveTime::from_hms_opt(num(11..13)?, num(14..16)?, 0)?
        }
        (19, Some(b' ' | b'T')) if b[13] == b':' && b[16] == b':' => {
            NaiveTime::from_hms_opt(num(11..13)?, num(14..16)?, num(17..19)?)?
        }
        _ => return None,
    };
    Some(day.and_time(time))
}

fn date_by_formats(t: &str) -> Option<NaiveDateTime> {
    const DATE_TIMES: [&str; 8] = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %H:%M",
        "%m/%d/%Y %I:%M %p",
        "%d.%m.%Y %H:%M",
    ];
    const DATES: [&str; 4] = ["%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y", "%Y/%m/%d"];
    DATE_TIMES
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
        .or_else(|| {
            DATES
                .iter()
                .find_map(|f| NaiveDate::parse_from_str(t, f).ok())
                .map(|d| d.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or(NaiveTime::MIN)))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stages() -> Vec<String> {
        ["new", "nurture", "mql", "sql", "opportunity", "won", "lost"]
            .map(String::from)
            .to_vec()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// The ISO shortcut reads what the formats read, and leaves them what it does not.
        #[test]
        fn iso_dates_read_as_the_formats_read_them(
            t in "[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,3})?)?)?Z?"
        ) {
            let t = t.trim_end_matches('Z');
            proptest::prop_assert_eq!(date(t), date_by_formats(t));
        }
    }

    #[test]
    fn each_crm_is_recognised_by_its_columns() {
        let h = |names: &[&str]| names.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            detect(&h(&["Record ID", "First Name", "Lifecycle Stage"])),
            Crm::HubSpot
        );
        assert_eq!(
            detect(&h(&["Lead ID", "Company / Account", "Lead Status"])),
            Crm::Salesforce
        );
        assert_eq!(
            detect(&h(&["Deal - ID", "Deal - Title", "Deal - Value"])),
            Crm::Pipedrive
        );
        assert_eq!(detect(&h(&["id", "company", "stage"])), Crm::Generic);
    }

    #[test]
    fn stage_labels_map_to_the_pipeline() {
        let s = stages();
        assert_eq!(
            stage(Crm::HubSpot, "Marketing Qualified Lead", &s).as_deref(),
            Some("mql")
        );
        assert_eq!(stage(Crm::HubSpot, "customer", &s).as_deref(), Some("won"));
        assert_eq!(
            stage(Crm::Salesforce, "Closed - Not Converted", &s).as_deref(),
            Some("lost")
        );
        assert_eq!(
            stage(Crm::Pipedrive, "Proposal Made", &s).as_deref(),
            Some("opportunity")
        );
        assert_eq!(stage(Crm::Generic, "SQL", &s).as_deref(), Some("sql"));
        assert_eq!(stage(Crm::HubSpot, "Martian", &s), None);
    }

    #[test]
    fn dates_in_the_shapes_exports_use() {
        for text in [
            "2026-10-05",
            "2026-10-05 14:30",
            "2026-10-05T14:30:00Z",
            "10/05/2026",
            "10/05/2026 2:30 PM",
            "05.10.2026",
        ] {
            let d = date(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(d.date().to_string(), "2026-10-05", "{text}");
        }
        assert!(date("next week").is_none());
    }
}
