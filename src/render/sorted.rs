//! Records taken one by one as they pass (a cache's stream of leads, say) and written in
//! their sort order afterwards: a listing of every record keeps its rows (or, for JSON, a
//! compact copy of each record) and a small key per record, not the records decoded.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::Rows;

/// What a listing of every record holds until it prints: table or CSV rows, or records
/// to be written as JSON (kept in postcard, a third of their JSON's size), each with the
/// key it sorts by.
#[derive(Debug)]
pub struct Sorted<K> {
    rows: Rows,
    records: Records,
    /// Each one's key and the place it was pushed at.
    keys: Vec<(K, u32)>,
}

impl<K> Default for Sorted<K> {
    fn default() -> Self {
        Sorted {
            rows: Rows::default(),
            records: Records::default(),
            keys: Vec::new(),
        }
    }
}

/// [`Sorted`]'s rows and records, in key order.
#[derive(Debug)]
pub struct Finished {
    pub rows: Rows,
    pub records: Records,
    /// For each row or record, the place it was pushed at.
    pub order: Vec<u32>,
}

impl<K: Ord> Sorted<K> {
    /// A row of cells (a table's or a CSV's).
    pub fn push<S: AsRef<str>>(&mut self, key: K, cells: impl IntoIterator<Item = S>) {
        self.keys.push((key, place(self.keys.len())));
        self.rows.push(cells);
    }

    /// A record, to be read back by [`Records::json`]. Rows and records are not mixed in
    /// one listing.
    pub fn push_record<T: Serialize + ?Sized>(
        &mut self,
        key: K,
        record: &T,
    ) -> postcard::Result<()> {
        self.records.push(record)?;
        self.keys.push((key, place(self.keys.len())));
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The rows and records in key order (equal keys in the order pushed).
    pub fn finish(mut self) -> Finished {
        // The place makes every key unique: the unstable sort keeps equal keys in order.
        self.keys.sort_unstable();
        let order: Vec<u32> = self.keys.into_iter().map(|(_, at)| at).collect();
        if !self.rows.is_empty() {
            self.rows.reorder(&order);
        }
        if !self.records.is_empty() {
            self.records.reorder(&order);
        }
        Finished {
            rows: self.rows,
            records: self.records,
            order,
        }
    }
}

fn place(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Records in postcard, in a few large blocks (as [`Rows`] keeps cells).
#[derive(Debug, Default)]
pub struct Records {
    blocks: Vec<Vec<u8>>,
    /// Per record: its block, and where it starts and ends there.
    spans: Vec<(u32, u32, u32)>,
}

/// A block is left for a new one once it holds this much.
const BLOCK: usize = 1 << 20;

impl Records {
    fn push<T: Serialize + ?Sized>(&mut self, record: &T) -> postcard::Result<()> {
        if self.blocks.last().is_none_or(|b| b.len() >= BLOCK) {
            self.blocks.push(Vec::with_capacity(BLOCK + BLOCK / 8));
        }
        let block = self.blocks.len() - 1;
        let bytes = std::mem::take(&mut self.blocks[block]);
        let start = bytes.len();
        let bytes = postcard::to_extend(record, bytes)?;
        self.spans
            .push((place(block), place(start), place(bytes.len())));
        self.blocks[block] = bytes;
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    fn reorder(&mut self, order: &[u32]) {
        self.spans = order.iter().map(|&i| self.spans[i as usize]).collect();
    }

    fn iter(&self) -> impl Iterator<Item = &[u8]> {
        self.spans.iter().map(|&(block, start, end)| {
            self.blocks[block as usize]
                .get(start as usize..end as usize)
                .unwrap_or_default()
        })
    }

    /// The records as a JSON array, each decoded as a `T` and written as its `view`
    /// only when the array gets to it.
    pub fn json<'a, T: DeserializeOwned + 'a, V: Serialize + 'a>(
        &'a self,
        view: impl Fn(T) -> V + 'a,
    ) -> impl Serialize + 'a {
        RecordsJson {
            records: self,
            view,
            shown: std::marker::PhantomData,
        }
    }
}

struct RecordsJson<'a, T, F> {
    records: &'a Records,
    view: F,
    shown: std::marker::PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned, V: Serialize, F: Fn(T) -> V> Serialize for RecordsJson<'_, T, F> {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        let mut seq = serializer.serialize_seq(Some(self.records.len()))?;
        for bytes in self.records.iter() {
            let record: T = postcard::from_bytes(bytes).map_err(S::Error::custom)?;
            seq.serialize_element(&(self.view)(record))?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, serde::Deserialize)]
    struct Record {
        id: String,
        tags: Vec<String>,
        nested: Vec<Vec<u8>>,
        note: Option<String>,
    }

    #[test]
    fn records_come_out_in_key_order_as_the_whole_array() {
        let records: Vec<(u8, Record)> = (0..5000)
            .map(|i| {
                let record = Record {
                    id: format!("r{i}\u{202e}"),
                    tags: (0..i % 3).map(|t| format!("t{t}\n")).collect(),
                    nested: vec![vec![1; i % 4]],
                    note: (i % 2 == 0).then(|| "x".repeat(i % 1400)),
                };
                ((i * 7 % 5) as u8, record)
            })
            .collect();
        let mut sorted = Sorted::default();
        for (k, r) in &records {
            assert!(sorted.push_record((*k, r.id.clone()), r).is_ok());
        }
        let finished = sorted.finish();
        assert!(finished.records.blocks.len() > 1);
        let mut want: Vec<&(u8, Record)> = records.iter().collect();
        want.sort_by(|a, b| (a.0, &a.1.id).cmp(&(b.0, &b.1.id)));
        let want: Vec<&Record> = want.into_iter().map(|(_, r)| r).collect();
        let got = super::super::json(&finished.records.json(|r: Record| r));
        assert_eq!(got.ok(), super::super::json(&want).ok());
    }

    #[test]
    fn rows_come_out_in_key_order_equal_keys_as_pushed() {
        let mut sorted = Sorted::default();
        for (k, cell) in [(2, "c"), (1, "a"), (2, "d"), (1, "b")] {
            sorted.push(k, [cell, "-"]);
        }
        let Finished { rows, order, .. } = sorted.finish();
        let cells: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().collect()).collect();
        assert_eq!(
            cells,
            [["a", "-"], ["b", "-"], ["c", "-"], ["d", "-"]].map(|r| r.to_vec())
        );
        assert_eq!(order, [1, 3, 0, 2]);
    }
}
