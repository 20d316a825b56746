//! Reports and records to text, tables, JSON and CSV (and, in the modules below, the
//! agenda, iCalendar, man pages and diffs). All user text passes through [`sanitize`] on
//! its way to a terminal or a spreadsheet, and [`markup`] on its way into Markdown, Slack
//! or HTML.

pub mod agenda;
pub mod chart;
pub mod diff;
pub mod ics;
pub mod man;
pub mod markup;
pub mod progress;
pub mod report;
pub mod sanitize;
pub mod sorted;
pub mod spark;

pub use markup::{markdown_cell, markdown_text};
pub use sorted::Sorted;

use std::io::Write;

use comfy_table::{Attribute, Cell, ContentArrangement, LineStyle, Table, TableStyle};
use serde::Serialize;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::context::Ctx;
use crate::error::{Error, Result};

/// Rows of cells under headers: one shape for both the table and the CSV of a listing.
#[derive(Debug, Default)]
pub struct Listing {
    /// Table headers (shown upper-case) and CSV headers (as given, the JSON field names).
    pub headers: Vec<&'static str>,
    pub rows: Rows,
    /// Columns a narrow terminal may drop, least important first (indexes into `headers`).
    pub droppable: Vec<usize>,
    /// The one column that may wrap when dropping is not enough (free text, like a company).
    pub wrap: Option<usize>,
}

/// The cells of a listing, row after row, in a few large buffers. A listing of 300,000
/// leads as separate strings would be two million allocations; here it is a few dozen
/// blocks and offsets, and growing it never copies what is already there.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Rows {
    blocks: Vec<String>,
    /// Where each cell ends in its row's block.
    ends: Vec<u32>,
    /// Per row: its block, where its text starts there, and its first cell in `ends`.
    rows: Vec<(u32, u32, u32)>,
}

/// A block is left for a new one once it holds this much.
const BLOCK: usize = 1 << 20;

impl Rows {
    pub fn push<S: AsRef<str>>(&mut self, row: impl IntoIterator<Item = S>) {
        if self.blocks.last().is_none_or(|b| b.len() >= BLOCK) {
            self.blocks.push(String::with_capacity(BLOCK + BLOCK / 8));
        }
        let block = self.blocks.len() - 1;
        let text = &mut self.blocks[block];
        self.rows.push((
            u32::try_from(block).unwrap_or(u32::MAX),
            u32::try_from(text.len()).unwrap_or(u32::MAX),
            u32::try_from(self.ends.len()).unwrap_or(u32::MAX),
        ));
        for cell in row {
            text.push_str(cell.as_ref());
            self.ends
                .push(u32::try_from(text.len()).unwrap_or(u32::MAX));
        }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = Row<'_>> {
        (0..self.rows.len()).map(|i| {
            let (block, start, first) = self.rows[i];
            let last = self
                .rows
                .get(i + 1)
                .map_or(self.ends.len(), |r| r.2 as usize);
            Row {
                text: &self.blocks[block as usize],
                start: start as usize,
                ends: &self.ends[first as usize..last],
            }
        })
    }

    /// The rows in `order` (each an index of a row as pushed, each once): only the cells'
    /// ends are copied, never their text.
    pub fn reorder(&mut self, order: &[u32]) {
        let mut ends = Vec::with_capacity(self.ends.len());
        let mut rows = Vec::with_capacity(order.len());
        for &i in order {
            let i = i as usize;
            let (block, start, first) = self.rows[i];
            let last = self
                .rows
                .get(i + 1)
                .map_or(self.ends.len(), |r| r.2 as usize);
            rows.push((block, start, u32::try_from(ends.len()).unwrap_or(u32::MAX)));
            ends.extend_from_slice(&self.ends[first as usize..last]);
        }
        (self.ends, self.rows) = (ends, rows);
    }

    /// The same rows without the columns in `drop`.
    pub fn without_columns(&self, drop: &[usize]) -> Rows {
        let mut kept = Rows::default();
        for row in self.iter() {
            kept.push(
                row.iter()
                    .enumerate()
                    .filter(|(c, _)| !drop.contains(c))
                    .map(|(_, cell)| cell),
            );
        }
        kept
    }
}

impl<S: AsRef<str>> FromIterator<Vec<S>> for Rows {
    fn from_iter<I: IntoIterator<Item = Vec<S>>>(iter: I) -> Self {
        let mut rows = Rows::default();
        for row in iter {
            rows.push(row);
        }
        rows
    }
}

impl<'a> IntoIterator for &'a Rows {
    type Item = Row<'a>;
    type IntoIter = Box<dyn Iterator<Item = Row<'a>> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

/// One row of [`Rows`].
#[derive(Debug, Clone)]
pub struct Row<'a> {
    text: &'a str,
    start: usize,
    ends: &'a [u32],
}

impl<'a> Row<'a> {
    pub fn get(&self, column: usize) -> Option<&'a str> {
        let end = *self.ends.get(column)? as usize;
        let start = match column {
            0 => self.start,
            c => self.ends[c - 1] as usize,
        };
        self.text.get(start..end)
    }

    pub fn iter(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        let row = self.clone();
        (0..self.ends.len()).filter_map(move |c| row.get(c))
    }
}

/// Longer cells are cut with an ellipsis in tables (CSV and JSON keep everything).
const MAX_CELL: usize = 48;

/// Columns of ids (and setting keys), by header: what people copy into the next command,
/// so never cut short and never wrapped, however narrow the terminal.
const ID_HEADERS: [&str; 5] = ["id", "lead", "goal", "handoff", "key"];

/// A cell as shown in a table: one line, escaped, at most `MAX_CELL` columns wide unless
/// `whole` (an id). Borrowed when it needs no change, as almost every cell does.
fn table_cell(text: &str, whole: bool) -> std::borrow::Cow<'_, str> {
    let fits = |t: &str| whole || t.len() <= MAX_CELL || t.width() <= MAX_CELL;
    if fits(text) && !text.chars().any(sanitize::is_unsafe) {
        return std::borrow::Cow::Borrowed(text);
    }
    let clean = sanitize::cell(text);
    if fits(&clean) {
        return std::borrow::Cow::Owned(clean);
    }
    let mut cut = String::new();
    let mut width = 0;
    for c in clean.chars() {
        width += c.width().unwrap_or(0);
        if width > MAX_CELL - 1 {
            break;
        }
        cut.push(c);
    }
    cut.push('…');
    std::borrow::Cow::Owned(cut)
}

impl Listing {
    /// Whether column `c` holds ids (never cut, never wrapped).
    fn is_id(&self, c: usize) -> bool {
        self.headers.get(c).is_some_and(|h| ID_HEADERS.contains(h))
    }

    /// The width of each column as shown, and whether every character of every cell and
    /// header takes exactly one column (then the fast layout can pad by counting them).
    fn measure(&self) -> (Vec<usize>, bool) {
        // Headers are measured in columns too: `→MQL` is 4 wide, 6 bytes.
        let mut natural: Vec<usize> = self.headers.iter().map(|h| h.width()).collect();
        let mut narrow = self.headers.iter().all(|h| h.is_ascii());
        let ids: Vec<bool> = (0..self.headers.len()).map(|c| self.is_id(c)).collect();
        for row in &self.rows {
            for (c, text) in row.iter().enumerate() {
                let cell = table_cell(text, ids.get(c).copied().unwrap_or(false));
                let len = if cell.is_ascii() {
                    cell.len()
                } else {
                    narrow &= cell.chars().all(|ch| ch.width() == Some(1))
                        && cell.width() == cell.chars().count();
                    // Emoji and East Asian characters take two columns. comfy-table pads
                    // by the string's width, which for some pairs (the Arabic lam-alef) is
                    // less than its characters': the larger of the two fits either way.
                    cell.width().max(cell.chars().count())
                };
                if let Some(n) = natural.get_mut(c) {
                    *n = (*n).max(len);
                }
            }
        }
        (natural, narrow)
    }

    /// The columns to show: the least important are dropped until the rest fit `width`,
    /// the free-text column counted at what it may wrap to (a wrapped note beats a dropped
    /// due date).
    fn fit(&self, natural: &[usize], width: usize) -> Vec<usize> {
        let mut squeezed = natural.to_vec();
        if let Some(n) = self.wrap.and_then(|c| squeezed.get_mut(c)) {
            *n = (*n).min(WRAP_MIN);
        }
        let mut shown: Vec<usize> = (0..self.headers.len()).collect();
        for &c in &self.droppable {
            if span(&shown, &squeezed) <= width {
                break;
            }
            shown.retain(|&s| s != c);
        }
        shown
    }
}

/// The narrowest a wrapping free-text column is made before other columns are dropped.
const WRAP_MIN: usize = 24;

/// The width of a table of columns `shown`: each its widest cell and 2 of padding, and a
/// space between columns.
fn span(shown: &[usize], natural: &[usize]) -> usize {
    shown.iter().map(|&c| natural[c] + 2).sum::<usize>() + shown.len().saturating_sub(1)
}

/// Columns separated by space, a rule under the header: easy to read, easy to grep.
const UTF8_STYLE: TableStyle =
    TableStyle::new().header_separator(LineStyle::none().fill('─').junction(' '));
const ASCII_STYLE: TableStyle =
    TableStyle::new().header_separator(LineStyle::none().fill('-').junction(' '));

/// A table that fits the terminal width: low-priority columns are dropped first, then the
/// free-text column wraps; ids, stages, dates and amounts never wrap.
pub fn table(ctx: &Ctx, listing: &Listing) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = write_table(ctx, listing, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`table`], written straight to `out`: a listing of every lead in a big workspace need
/// not exist twice in memory.
pub fn write_table(ctx: &Ctx, listing: &Listing, out: &mut dyn Write) -> std::io::Result<()> {
    write_fitted(ctx, listing, out).map(|_| ())
}

/// [`write_table`], answering the columns it left out to fit the width.
fn write_fitted(ctx: &Ctx, listing: &Listing, out: &mut dyn Write) -> std::io::Result<Vec<usize>> {
    if listing.rows.is_empty() {
        return Ok(Vec::new());
    }
    let width = ctx.width.map_or(usize::MAX, usize::from);
    let (natural, narrow) = listing.measure();
    let shown = listing.fit(&natural, width);
    let hidden = (0..listing.headers.len())
        .filter(|c| !shown.contains(c))
        .collect();
    if !ctx.color && span(&shown, &natural) <= width && narrow {
        plain_table(listing, &shown, &natural, out)?;
    } else {
        out.write_all(styled_table(ctx, listing, &shown, &natural, width).as_bytes())?;
    }
    Ok(hidden)
}

/// [`table`], and [`note_hidden`] for the columns it left out: a report's tables, which
/// go into a longer text rather than straight to stdout.
pub fn table_noting_hidden(ctx: &Ctx, listing: &Listing) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let hidden = write_fitted(ctx, listing, &mut out).unwrap_or_default();
    note_hidden(ctx, listing, &hidden);
    String::from_utf8(out).unwrap_or_default()
}

/// Says on stderr which columns a table left out to fit `width`, so nobody reads a
/// narrow table as the whole story; stdout stays the table alone.
fn note_hidden(ctx: &Ctx, listing: &Listing, hidden: &[usize]) {
    if hidden.is_empty() || ctx.quiet {
        return;
    }
    let names: Vec<String> = hidden
        .iter()
        .filter_map(|&c| listing.headers.get(c))
        .map(|h| h.to_lowercase())
        .collect();
    let width = ctx.width.map_or(0, usize::from);
    let _ = std::io::stderr().write_all(
        format!(
            "note: {} hidden to fit {width} columns: {}; widen the terminal, or --format json shows every field\n",
            if names.len() == 1 { "1 column".to_string() } else { format!("{} columns", names.len()) },
            names.join(", ")
        )
        .as_bytes(),
    );
}

/// The layout `styled_table` gives text of one-column characters that needs no wrapping,
/// written directly: at 100k rows comfy-table's general layout was most of `lead list`'s
/// time, and at a million entries it held every cell several times over.
fn plain_table(
    listing: &Listing,
    shown: &[usize],
    natural: &[usize],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    let mut line = String::new();
    let mut write_line = |texts: &mut dyn Iterator<Item = (usize, &str)>| {
        line.clear();
        for (i, (c, text)) in texts.enumerate() {
            if i > 0 {
                line.push(' ');
            }
            line.push_str(text);
            let shown = if text.is_ascii() {
                text.len()
            } else {
                text.chars().count()
            };
            let pad = (natural[c] + 2).saturating_sub(shown);
            line.extend(std::iter::repeat_n(' ', pad));
        }
        line.truncate(line.trim_end().len());
        line.push('\n');
        out.write_all(line.as_bytes())
    };
    let upper: Vec<String> = listing.headers.iter().map(|h| h.to_uppercase()).collect();
    write_line(&mut shown.iter().map(|&c| (c, upper[c].as_str())))?;
    let rules: Vec<String> = natural.iter().map(|n| "-".repeat(n + 2)).collect();
    write_line(&mut shown.iter().map(|&c| (c, rules[c].as_str())))?;
    let ids: Vec<bool> = shown.iter().map(|&c| listing.is_id(c)).collect();
    for row in &listing.rows {
        let cells: Vec<std::borrow::Cow<'_, str>> = shown
            .iter()
            .zip(&ids)
            .map(|(&c, &id)| table_cell(row.get(c).unwrap_or(""), id))
            .collect();
        write_line(
            &mut shown
                .iter()
                .zip(&cells)
                .map(|(&c, text)| (c, text.as_ref())),
        )?;
    }
    out.flush()
}

/// The general case, through comfy-table: colour, wide characters, a wrapping column.
fn styled_table(
    ctx: &Ctx,
    listing: &Listing,
    shown: &[usize],
    natural: &[usize],
    width: usize,
) -> String {
    let mut t = Table::new();
    t.load_style(if ctx.stdout_is_terminal && ctx.color {
        UTF8_STYLE
    } else {
        ASCII_STYLE
    });
    if ctx.color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    let header: Vec<Cell> = shown
        .iter()
        .map(|&c| {
            let cell = Cell::new(listing.headers[c].to_uppercase());
            if ctx.color {
                cell.add_attribute(Attribute::Bold)
            } else {
                cell
            }
        })
        .collect();
    t.set_header(header);
    for row in &listing.rows {
        t.add_row(
            shown
                .iter()
                .map(|&c| Cell::new(table_cell(row.get(c).unwrap_or(""), listing.is_id(c)))),
        );
    }
    let total = span(shown, natural);
    let wrap_at = shown.iter().position(|&c| Some(c) == listing.wrap);
    for (i, column) in t.column_iter_mut().enumerate() {
        column.set_padding((0, 2));
        let fixed = natural[shown[i]] + 2;
        let width = match (Some(i) == wrap_at, total > width) {
            // The wrapping column gets what the others leave, at least 12 columns.
            (true, true) => (fixed + width).saturating_sub(total).max(12),
            _ => fixed,
        };
        column.set_constraint(if listing.is_id(shown[i]) {
            // As wide as the longest id: an id never wraps, whatever the terminal.
            comfy_table::ColumnConstraint::ContentWidth
        } else {
            comfy_table::ColumnConstraint::Absolute(comfy_table::Width::Fixed(
                u16::try_from(width).unwrap_or(u16::MAX),
            ))
        });
    }
    t.set_content_arrangement(ContentArrangement::Disabled);
    t.lines().map(|l| l.trim_end().to_string() + "\n").collect()
}

/// RFC 4180 CSV with formula-looking cells made inert; on a terminal, control characters
/// are shown escaped too (piped to a file or program, the data stays exact).
pub fn csv(ctx: &Ctx, listing: &Listing) -> Result<String> {
    let mut out = Vec::new();
    write_csv(ctx, listing, &mut out).map_err(|e| Error::user(format!("cannot write CSV: {e}")))?;
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// [`csv`], written to stdout row by row, like [`emit`].
pub fn emit_csv(ctx: &Ctx, out: &mut dyn Write, listing: &Listing) -> Result<()> {
    written(write_csv(ctx, listing, out).and_then(|()| out.flush()))
}

fn write_csv(ctx: &Ctx, listing: &Listing, out: &mut dyn Write) -> std::io::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(std::io::BufWriter::with_capacity(1 << 16, out));
    // Keep the kind of an I/O error (a closed pipe ends quietly).
    let io = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    };
    w.write_record(&listing.headers).map_err(io)?;
    for row in &listing.rows {
        let cells = row.iter().map(|c| {
            let inert = sanitize::csv_cell(c);
            if ctx.stdout_is_terminal {
                sanitize::cell(&inert)
            } else {
                inert
            }
        });
        w.write_record(cells).map_err(io)?;
    }
    w.flush()
}

/// Pretty JSON with a trailing newline. Control characters, C1 controls and bidi
/// overrides are `\u` escapes (serde_json leaves the last two raw): the same data, but
/// nothing that can steer a terminal.
pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    let mut out = Vec::new();
    write_json(&mut out, value).map_err(|e| Error::user(format!("cannot write JSON: {e}")))?;
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// [`json`], written to stdout as it is made, like [`emit`]: a listing of every lead in a
/// big workspace need not exist in memory as a string first.
pub fn emit_json<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> Result<()> {
    written(write_json(out, value).and_then(|()| out.flush()))
}

/// The items of `iter` as a JSON array, each made only when it is written.
pub fn json_seq<T: Serialize, I: Iterator<Item = T>>(iter: I) -> impl Serialize {
    JsonSeq(std::cell::RefCell::new(Some(iter)))
}

struct JsonSeq<I>(std::cell::RefCell<Option<I>>);

impl<T: Serialize, I: Iterator<Item = T>> Serialize for JsonSeq<I> {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        match self.0.borrow_mut().take() {
            Some(iter) => serializer.collect_seq(iter),
            None => serializer.collect_seq(std::iter::empty::<T>()),
        }
    }
}

fn write_json<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> std::io::Result<()> {
    let mut w = JsonSanitizer {
        out: std::io::BufWriter::with_capacity(1 << 16, out),
        pending: Vec::new(),
    };
    // Keep the kind of an I/O error (a closed pipe ends quietly).
    serde_json::to_writer_pretty(&mut w, value).map_err(|e| match e.io_error_kind() {
        Some(kind) => std::io::Error::from(kind),
        None => std::io::Error::other(e),
    })?;
    w.write_all(b"\n")?;
    w.flush()
}

/// Passes JSON through, writing the characters serde_json leaves raw but a terminal would
/// obey (C1 controls, bidi overrides) as `\u` escapes.
struct JsonSanitizer<W: Write> {
    out: W,
    /// The start of a character split across writes.
    pending: Vec<u8>,
}

impl<W: Write> Write for JsonSanitizer<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // Printable ASCII and line ends pass as they are (DEL, 0x7f, is a control).
        if self.pending.is_empty() && buf.iter().all(|&b| b < 0x7f) {
            self.out.write_all(buf)?;
            return Ok(buf.len());
        }
        self.pending.extend_from_slice(buf);
        let text = match std::str::from_utf8(&self.pending) {
            Ok(t) => t,
            Err(e) => std::str::from_utf8(&self.pending[..e.valid_up_to()]).unwrap_or_default(),
        };
        let done = text.len();
        let mut units = [0u16; 2];
        let mut start = 0;
        for (i, c) in text.char_indices() {
            if sanitize::is_unsafe(c) && c != '\n' {
                self.out.write_all(&text.as_bytes()[start..i])?;
                for unit in c.encode_utf16(&mut units) {
                    write!(self.out, "\\u{unit:04x}")?;
                }
                start = i + c.len_utf8();
            }
        }
        self.out.write_all(&text.as_bytes()[start..])?;
        self.pending.drain(..done);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.write_all(&self.pending)?;
        self.pending.clear();
        self.out.flush()
    }
}

/// Writes to stdout; a closed pipe (`growth lead list | head`) ends quietly.
pub fn emit(out: &mut dyn Write, text: &str) -> Result<()> {
    written(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
}

/// Writes `listing` as a table to stdout, row by row, like [`emit`].
pub fn emit_table(ctx: &Ctx, out: &mut dyn Write, listing: &Listing) -> Result<()> {
    let hidden = written(write_fitted(ctx, listing, out).and_then(|h| out.flush().map(|()| h)))?;
    note_hidden(ctx, listing, &hidden);
    Ok(())
}

fn written<T>(result: std::io::Result<T>) -> Result<T> {
    match result {
        Ok(v) => Ok(v),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(Error {
            kind: crate::error::ErrorKind::BrokenPipe,
            ..Error::user("")
        }),
        Err(e) => Err(Error::io("cannot write output", e)),
    }
}

/// Bold when colour is on.
pub fn bold(ctx: &Ctx, text: &str) -> String {
    if ctx.color {
        format!("\u{1b}[1m{text}\u{1b}[0m")
    } else {
        text.to_string()
    }
}

/// Dim when colour is on.
pub fn dim(ctx: &Ctx, text: &str) -> String {
    if ctx.color {
        format!("\u{1b}[2m{text}\u{1b}[0m")
    } else {
        text.to_string()
    }
}

/// A money amount with thousands separators: `12,500` or `1,234.50`.
pub fn money(value: f64, currency: &str) -> String {
    let cents = (value * 100.0).round() as i64;
    let whole = cents / 100;
    let frac = cents % 100;
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if frac != 0 {
        grouped.push_str(&format!(".{frac:02}"));
    }
    format!("{grouped} {currency}")
}

/// A warning on stderr: something worked, but not quite as asked.
pub fn warn(text: &str) {
    let _ = std::io::stderr().write_all(format!("warning: {}\n", sanitize::cell(text)).as_bytes());
}

/// A count or measure: whole numbers without decimals, others with up to two.
pub fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        return money(value, "").trim_end().to_string();
    }
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Streamed JSON escapes what a terminal would obey exactly as the whole-string
        /// pass did, even when serde_json's writes split a character.
        #[test]
        fn streamed_json_escapes_like_the_whole_string(
            texts in prop::collection::vec("[a-z\u{7f}\u{85}\u{202e}\u{2066}é🙂\\\"\n\t]{0,12}", 0..6),
            step in 1usize..5,
        ) {
            let raw = serde_json::to_string_pretty(&texts).unwrap_or_default();
            let mut want = String::new();
            for c in raw.chars() {
                if sanitize::is_unsafe(c) && c != '\n' {
                    let mut units = [0u16; 2];
                    for unit in c.encode_utf16(&mut units) {
                        want.push_str(&format!("\\u{unit:04x}"));
                    }
                } else {
                    want.push(c);
                }
            }
            want.push('\n');
            prop_assert_eq!(json(&texts).unwrap_or_default(), want.clone());
            // The same bytes fed a few at a time.
            let mut out = Vec::new();
            let mut w = JsonSanitizer { out: &mut out, pending: Vec::new() };
            for piece in raw.as_bytes().chunks(step) {
                prop_assert!(w.write_all(piece).is_ok());
            }
            prop_assert!(w.write_all(b"\n").is_ok() && w.flush().is_ok());
            prop_assert_eq!(String::from_utf8(out).unwrap_or_default(), want);
            // A lazily made sequence serializes like the vector.
            prop_assert_eq!(json(&json_seq(texts.iter())).unwrap_or_default(), json(&texts).unwrap_or_default());
        }
    }

    #[test]
    fn rows_read_back_what_was_pushed_across_blocks() {
        // Rows of 0 to 3 cells, some empty, enough of them to fill several blocks.
        let pushed: Vec<Vec<String>> = (0..60_000)
            .map(|i| (0..i % 4).map(|c| "é".repeat((i + c) % 30)).collect())
            .collect();
        let rows: Rows = pushed.iter().cloned().collect();
        assert!(rows.blocks.len() > 1);
        assert_eq!(rows.len(), pushed.len());
        for (row, want) in rows.iter().zip(&pushed) {
            assert_eq!(row.iter().collect::<Vec<_>>(), *want);
            assert_eq!(row.get(want.len()), None);
        }
        // Reordered (here reversed), every row keeps its cells, whichever block holds them.
        let mut reversed = rows.clone();
        let order: Vec<u32> = (0..pushed.len() as u32).rev().collect();
        reversed.reorder(&order);
        for (row, want) in reversed.iter().zip(pushed.iter().rev()) {
            assert_eq!(row.iter().collect::<Vec<_>>(), *want);
        }
        let narrow = rows.without_columns(&[0]);
        for (row, want) in narrow.iter().zip(&pushed) {
            assert_eq!(
                row.iter().collect::<Vec<_>>(),
                want.iter().skip(1).collect::<Vec<_>>()
            );
        }
    }

    fn plain_ctx(width: Option<u16>) -> Ctx {
        Ctx {
            workspace_flag: None,
            env_workspace: None,
            env_user: None,
            as_member: None,
            today: None,
            at: None,
            cwd: PathBuf::new(),
            can_prompt: false,
            color: false,
            width,
            stdout_is_terminal: false,
            quiet: false,
            format: None,
            dirs: None,
        }
    }

    proptest! {
        /// The fast path must print exactly what comfy-table prints, or snapshots and
        /// scripts that cut columns would see two layouts. (Arabic lam-alef is one column
        /// for two characters; it must take the general path.)
        #[test]
        fn the_plain_table_is_byte_identical_to_comfy_table(
            rows in prop::collection::vec(
                prop::collection::vec("[ a-zA-Z0-9,.:éü✓€لا-]{0,12}", 0..=4),
                1..8,
            ),
            width in prop::option::of(20u16..120),
        ) {
            let listing = Listing {
                headers: vec!["id", "company", "stage", "tags"],
                rows: rows.into_iter().collect(),
                droppable: vec![3, 2],
                wrap: Some(1),
            };
            let ctx = plain_ctx(width);
            let width = ctx.width.map_or(usize::MAX, usize::from);
            let (natural, _) = listing.measure();
            let shown = listing.fit(&natural, width);
            // Whichever layout `table` picks, it prints what comfy-table prints.
            prop_assert_eq!(
                table(&ctx, &listing),
                styled_table(&ctx, &listing, &shown, &natural, width)
            );
        }
    }
}
