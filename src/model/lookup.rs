//! Finding a record by its id or any unique prefix of it.

/// The outcome of looking up `wanted` among ids.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup<'a> {
    Found(&'a str),
    Ambiguous(Vec<&'a str>),
    Missing,
}

/// An exact id wins; otherwise a prefix that matches exactly one id.
pub fn by_prefix<'a>(ids: impl IntoIterator<Item = &'a str>, wanted: &str) -> Lookup<'a> {
    let mut matches = Vec::new();
    for id in ids {
        if id == wanted {
            return Lookup::Found(id);
        }
        if !wanted.is_empty() && id.starts_with(wanted) {
            matches.push(id);
        }
    }
    match matches.len() {
        0 => Lookup::Missing,
        1 => Lookup::Found(matches[0]),
        _ => Lookup::Ambiguous(matches),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_ids_win_over_prefixes() {
        let ids = ["acme", "acme-corp", "globex"];
        assert_eq!(by_prefix(ids, "acme"), Lookup::Found("acme"));
        assert_eq!(by_prefix(ids, "acme-"), Lookup::Found("acme-corp"));
        assert_eq!(by_prefix(ids, "g"), Lookup::Found("globex"));
        assert_eq!(
            by_prefix(ids, "ac"),
            Lookup::Ambiguous(vec!["acme", "acme-corp"])
        );
        assert_eq!(by_prefix(ids, "zz"), Lookup::Missing);
    }
}
