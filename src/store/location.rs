//! Byte offsets to `line:col`, and finding where a key sits in a parsed TOML table.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// 1-based line and column (in characters) of byte `offset` in `src`.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let before = src.get(..offset).unwrap_or(src);
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, col)
}

/// The span of `key`'s value in `table`, or of the table itself when the key is absent.
pub fn key_span(table: &Spanned<DeValue<'_>>, key: Option<&str>) -> Range<usize> {
    key.and_then(|k| table.get_ref().as_table().and_then(|t| t.get(k)))
        .map_or_else(|| table.span(), |v| v.span())
}

/// The span of a dotted key path like `["team", "timezone"]` in a document.
pub fn path_span(doc: &Spanned<DeTable<'_>>, path: &[&str]) -> Option<Range<usize>> {
    let (first, rest) = path.split_first()?;
    let mut value = doc.get_ref().get(*first)?;
    for key in rest {
        value = value.get_ref().as_table()?.get(*key)?;
    }
    Some(value.span())
}
