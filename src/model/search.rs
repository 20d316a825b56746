//! Free-text search over records: `--search TEXT` on the listings. Matching ignores case
//! and accents, so "muller" finds "Müller" and "ACME" finds "Acme".

/// What a person typed after `--search`, folded once.
#[derive(Debug, Clone)]
pub struct Search(String);

impl Search {
    /// The search for `text`; `None` when it is blank (a blank search matches everything).
    pub fn new(text: &str) -> Option<Self> {
        let folded = fold(text.trim());
        (!folded.is_empty()).then_some(Search(folded))
    }

    /// Whether any of `fields` contains the search text.
    pub fn matches<'a>(&self, fields: impl IntoIterator<Item = &'a str>) -> bool {
        fields.into_iter().any(|f| fold(f).contains(&self.0))
    }
}

/// `text` without accents and in lower case: "Müller & Söhne" is "muller & sohne".
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase()
}

/// Whether the search `wanted`, if any, finds something in `fields`.
pub fn found<'a>(wanted: Option<&Search>, fields: impl IntoIterator<Item = &'a str>) -> bool {
    wanted.is_none_or(|s| s.matches(fields))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_and_case_are_ignored() {
        let s = Search::new(" MULLER ").expect("a search");
        assert!(s.matches(["Müller & Söhne GmbH"]));
        assert!(Search::new("söhne").expect("a search").matches(["SOHNE"]));
        assert!(!s.matches(["Miller", ""]));
        assert!(Search::new("  ").is_none());
    }
}
