//! Records rendered one by one as they pass (a cache's stream of leads, say) and written
//! in their sort order afterwards: a listing of every record keeps what it prints and a
//! small key per record, not the records.

use std::io::Write;

use serde::Serialize;

use super::{JsonSanitizer, Rows, written};
use crate::error::Result;

/// The rows of a listing as its records pass, each with the key it sorts by.
#[derive(Debug)]
pub struct Sorted<K> {
    rows: Rows,
    /// Each row's key and the place it was pushed at.
    keys: Vec<(K, u32)>,
    /// The JSON of the record being pushed, and the same indented.
    json: Vec<u8>,
    indented: String,
}

impl<K> Default for Sorted<K> {
    fn default() -> Self {
        Sorted {
            rows: Rows::default(),
            keys: Vec::new(),
            json: Vec::new(),
            indented: String::new(),
        }
    }
}

impl<K: Ord> Sorted<K> {
    /// A row of cells (a table's or a CSV's).
    pub fn push<S: AsRef<str>>(&mut self, key: K, cells: impl IntoIterator<Item = S>) {
        let at = u32::try_from(self.rows.len()).unwrap_or(u32::MAX);
        self.keys.push((key, at));
        self.rows.push(cells);
    }

    /// A record as one element of the pretty JSON array [`emit_json_rows`] writes: a row
    /// of one cell.
    pub fn push_json<T: Serialize>(&mut self, key: K, value: &T) -> serde_json::Result<()> {
        self.json.clear();
        serde_json::to_writer_pretty(&mut self.json, value)?;
        // One level in, as inside the array. serde_json writes every line break inside a
        // string as `\n`, so each raw one ends a line of the layout.
        let text = std::str::from_utf8(&self.json).unwrap_or_default();
        self.indented.clear();
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                self.indented.push_str("\n  ");
            }
            self.indented.push_str(line);
        }
        let indented = std::mem::take(&mut self.indented);
        self.push(key, [indented.as_str()]);
        self.indented = indented;
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The rows in key order (rows of equal keys in the order pushed), and for each the
    /// place it was pushed at.
    pub fn finish(mut self) -> (Rows, Vec<u32>) {
        // The place makes every key unique: the unstable sort keeps equal keys in order.
        self.keys.sort_unstable();
        let order: Vec<u32> = self.keys.into_iter().map(|(_, at)| at).collect();
        self.rows.reorder(&order);
        (self.rows, order)
    }
}

/// Rows of one cell each, made by [`Sorted::push_json`], as the pretty JSON array that
/// [`super::emit_json`] writes of the same values, byte for byte (and sanitized the same way).
pub fn emit_json_rows(out: &mut dyn Write, rows: &Rows) -> Result<()> {
    written(write_json_rows(out, rows).and_then(|()| out.flush()))
}

fn write_json_rows(out: &mut dyn Write, rows: &Rows) -> std::io::Result<()> {
    let mut w = JsonSanitizer {
        out: std::io::BufWriter::with_capacity(1 << 16, out),
        pending: Vec::new(),
    };
    w.write_all(b"[")?;
    for (i, row) in rows.iter().enumerate() {
        w.write_all(if i == 0 { b"\n  " } else { b",\n  " })?;
        w.write_all(row.get(0).unwrap_or_default().as_bytes())?;
    }
    w.write_all(if rows.is_empty() { b"]\n" } else { b"\n]\n" })?;
    w.flush()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[derive(Serialize)]
    struct Record {
        id: String,
        tags: Vec<String>,
        nested: Vec<Vec<u8>>,
        note: Option<String>,
    }

    proptest! {
        /// Pushed in any order, the rows come out sorted, and as JSON they are exactly
        /// what serializing the sorted records as one array writes.
        #[test]
        fn sorted_json_rows_equal_the_whole_array(
            records in prop::collection::vec(
                (0u8..4, "[a-z\n\"\\\u{85}\u{202e}é]{0,8}", prop::collection::vec("[a-z\n]{0,3}", 0..3), prop::collection::vec(prop::collection::vec(0u8..3, 0..2), 0..2)),
                0..12,
            ),
        ) {
            let records: Vec<(u8, Record)> = records
                .into_iter()
                .enumerate()
                .map(|(i, (k, id, tags, nested))| (k, Record { id: format!("{id}{i}"), tags, nested, note: (k % 2 == 0).then(|| "x\ny".into()) }))
                .collect();
            let mut sorted = Sorted::default();
            for (k, r) in &records {
                prop_assert!(sorted.push_json((*k, r.id.clone()), r).is_ok());
            }
            let (rows, _) = sorted.finish();
            let mut want: Vec<&(u8, Record)> = records.iter().collect();
            want.sort_by(|a, b| (a.0, &a.1.id).cmp(&(b.0, &b.1.id)));
            let want: Vec<&Record> = want.into_iter().map(|(_, r)| r).collect();
            let mut got = Vec::new();
            prop_assert!(emit_json_rows(&mut got, &rows).is_ok());
            let mut whole = Vec::new();
            prop_assert!(super::super::emit_json(&mut whole, &want).is_ok());
            prop_assert_eq!(String::from_utf8(got).unwrap_or_default(), String::from_utf8(whole).unwrap_or_default());
        }
    }

    #[test]
    fn rows_come_out_in_key_order_equal_keys_as_pushed() {
        let mut sorted = Sorted::default();
        for (k, cell) in [(2, "c"), (1, "a"), (2, "d"), (1, "b")] {
            sorted.push(k, [cell, "-"]);
        }
        let (rows, order) = sorted.finish();
        let cells: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().collect()).collect();
        assert_eq!(
            cells,
            [["a", "-"], ["b", "-"], ["c", "-"], ["d", "-"]].map(|r| r.to_vec())
        );
        assert_eq!(order, [1, 3, 0, 2]);
    }
}
