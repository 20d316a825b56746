//! Reports and records to text, tables, JSON and CSV. All user text passes through
//! [`sanitize`] on its way to a terminal or a spreadsheet.

pub mod sanitize;

use std::io::Write;

use comfy_table::{Attribute, Cell, ContentArrangement, LineStyle, Table, TableStyle};
use serde::Serialize;

use crate::context::Ctx;
use crate::error::{Error, Result};

/// Rows of cells under headers: one shape for both the table and the CSV of a listing.
#[derive(Debug, Default)]
pub struct Listing {
    /// Table headers (shown upper-case) and CSV headers (as given, the JSON field names).
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
    /// Columns a narrow terminal may drop, least important first (indexes into `headers`).
    pub droppable: Vec<usize>,
}

impl Listing {
    /// Drops the least important columns until the table fits `width` (the first column,
    /// the id, always stays and never wraps).
    fn fit(&self, width: usize) -> (Vec<usize>, usize) {
        let natural: Vec<usize> = (0..self.headers.len())
            .map(|c| {
                let cells = self
                    .rows
                    .iter()
                    .map(|r| r.get(c).map_or(0, |v| v.chars().count()));
                cells.chain([self.headers[c].len()]).max().unwrap_or(0)
            })
            .collect();
        let mut shown: Vec<usize> = (0..self.headers.len()).collect();
        // Each column needs its padding and at least a readable slice of its content.
        let need = |shown: &[usize]| {
            shown
                .iter()
                .map(|&c| natural[c].min(if c == 0 { usize::MAX } else { 10 }) + 2)
                .sum::<usize>()
        };
        for &c in &self.droppable {
            if need(&shown) <= width {
                break;
            }
            shown.retain(|&s| s != c);
        }
        (shown, natural[0])
    }
}

/// Columns separated by space, a rule under the header: easy to read, easy to grep.
const UTF8_STYLE: TableStyle =
    TableStyle::new().header_separator(LineStyle::none().fill('─').junction(' '));
const ASCII_STYLE: TableStyle =
    TableStyle::new().header_separator(LineStyle::none().fill('-').junction(' '));

/// A table that fits the terminal width, with plain ASCII rules when not on a terminal.
pub fn table(ctx: &Ctx, listing: &Listing) -> String {
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
    match ctx.width {
        Some(w) => {
            t.set_content_arrangement(ContentArrangement::Dynamic);
            t.set_width(w);
        }
        None => {
            t.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    let (shown, id_width) = listing.fit(ctx.width.map_or(usize::MAX, usize::from));
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
                .map(|&c| Cell::new(sanitize::cell(row.get(c).map_or("", String::as_str)))),
        );
    }
    if let Some(first) = t.column_mut(0) {
        first.set_constraint(comfy_table::ColumnConstraint::Absolute(
            comfy_table::Width::Fixed(u16::try_from(id_width + 2).unwrap_or(u16::MAX)),
        ));
    }
    for column in t.column_iter_mut() {
        column.set_padding((0, 2));
    }
    let mut out: String = t.lines().map(|l| l.trim_end().to_string() + "\n").collect();
    if listing.rows.is_empty() {
        out.clear();
    }
    out
}

/// RFC 4180 CSV with formula-looking cells made inert.
pub fn csv(listing: &Listing) -> Result<String> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let fail = |e: csv::Error| Error::user(format!("cannot write CSV: {e}"));
    w.write_record(&listing.headers).map_err(fail)?;
    for row in &listing.rows {
        w.write_record(row.iter().map(|c| sanitize::csv_cell(c)))
            .map_err(fail)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Error::user(format!("cannot write CSV: {e}")))?;
    Ok(String::from_utf8(bytes).unwrap_or_default())
}

/// Pretty JSON with a trailing newline.
pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    let mut s = serde_json::to_string_pretty(value)
        .map_err(|e| Error::user(format!("cannot write JSON: {e}")))?;
    s.push('\n');
    Ok(s)
}

/// Writes to stdout; a closed pipe (`growth lead list | head`) ends quietly.
pub fn emit(out: &mut dyn Write, text: &str) -> Result<()> {
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
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
