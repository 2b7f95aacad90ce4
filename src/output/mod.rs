//! Writing tables: CSV (spreadsheet-safe), JSON, JSON Lines, Markdown and
//! an aligned table for terminals; and writing files atomically. Writers
//! compute nothing: they render a [`Table`] as it is.

mod csv;
mod file;
mod json;
mod jsonl;
mod markdown;
pub mod report;
pub mod svg;
pub mod temporaries;
mod terminal;

use std::io::Write;
use std::str::FromStr;

pub use csv::{
    SpreadsheetLimits, neutralize, spreadsheet_limits, unneutralize,
};
pub use file::{Staged, is_stream, stage, write_atomic};
pub use svg::{
    ChartLine, Heatmap, LineChart, write_heatmap, write_line_chart,
};

use crate::table::{Cell, Table};

/// `s` holding only characters that XML 1.0 allows, for the SVG charts
/// and the report's HTML page: a control character other than tab, line
/// feed and carriage return (U+000B is Excel's and Word's line break in
/// a cell) becomes a space, and the noncharacters U+FFFE and U+FFFF
/// become U+FFFD. A single such character makes a whole SVG unreadable
/// (browsers show an error instead of the chart), so the writers pass
/// everything they write through this, whatever the lexicon checked.
pub fn xml_chars(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        matches!(c, '\0'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}')
            || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    };
    if !s.contains(bad) {
        return std::borrow::Cow::Borrowed(s);
    }
    s.chars()
        .map(|c| match c {
            '\u{FFFE}' | '\u{FFFF}' => '\u{FFFD}',
            c if bad(c) => ' ',
            c => c,
        })
        .collect()
}

/// A count in prose: digits grouped by thousands, and the noun in the
/// plural unless the count is 1 ("1 document", "10,294 documents").
/// Tables keep plain numbers, for spreadsheets.
pub fn quantity(n: u64, singular: &str, plural: &str) -> String {
    let noun = if n == 1 { singular } else { plural };
    format!("{} {noun}", thousands(n))
}

/// `word` as a shell reads it back, for a command a message gives: in
/// single quotes unless it is made of characters no shell treats
/// specially.
pub fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || b"_-./:,+=@%".contains(&b)
                || b >= 0x80
        });
    match plain {
        true => word.to_string(),
        false => format!("'{}'", word.replace('\'', r"'\''")),
    }
}

/// `n` with a comma between thousands: 15,694.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// RFC 4180 CSV, LF line ends.
    Csv,
    /// A JSON array of row objects.
    Json,
    /// JSON Lines: one row object per line.
    Jsonl,
    /// A GitHub-flavoured Markdown table.
    Markdown,
    /// Columns aligned for a terminal (wide characters count double).
    Table,
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Format, String> {
        match s {
            "csv" => Ok(Format::Csv),
            "json" => Ok(Format::Json),
            "jsonl" => Ok(Format::Jsonl),
            "md" | "markdown" => Ok(Format::Markdown),
            "table" => Ok(Format::Table),
            _ => Err(format!(
                "unknown format {s:?} (csv, json, jsonl, md, table)"
            )),
        }
    }
}

/// How CSV is made safe for spreadsheets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvOptions {
    /// Start with a UTF-8 byte-order mark, so that Excel reads UTF-8.
    pub bom: bool,
    /// Leave text cells that a spreadsheet would run as formulas unescaped.
    pub raw: bool,
}

/// Writes a table in a format.
///
/// Test hook: with the environment variable `TIFA_FAIL_AFTER_ROWS=N`, the
/// write fails after N rows (for tests that a failed write leaves no
/// partial output). Nothing else reads it.
pub fn write_table(
    table: &Table,
    format: Format,
    csv: CsvOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut rows = RowWriter::new(table, format, csv, out);
    for row in &table.rows {
        rows.push(row)?;
    }
    rows.finish()
}

/// Rows written one at a time under the columns of a head table (its own
/// rows are left out), as [`write_table`] writes a table of them all,
/// byte for byte: a listing written as it is made, and the rows known only
/// at its end (a total), is never held whole. CSV, JSON and JSON Lines go
/// out row by row; Markdown and the terminal table are laid out from every
/// row (column widths, number alignment) and hold them until
/// [`RowWriter::finish`]. Nothing is written before the first row, or
/// `finish`: a run that fails before either writes nothing.
pub struct RowWriter<'a> {
    head: &'a Table,
    format: Format,
    csv: CsvOptions,
    /// Where the rows go, until the first row (or `finish`) starts the
    /// sink, which writes the head (a header, an opening bracket).
    out: Option<&'a mut dyn Write>,
    sink: Option<Box<dyn Sink + 'a>>,
    /// Rows written.
    rows: usize,
    /// The test hook of [`write_table`]: the rows written before failing.
    fail_after: Option<usize>,
}

impl<'a> RowWriter<'a> {
    /// A writer of rows under `head`'s columns to `out`.
    pub fn new(
        head: &'a Table,
        format: Format,
        csv: CsvOptions,
        out: &'a mut dyn Write,
    ) -> RowWriter<'a> {
        let fail_after = std::env::var(FAIL_AFTER_ROWS)
            .ok()
            .and_then(|n| n.trim().parse::<usize>().ok());
        RowWriter {
            head,
            format,
            csv,
            out: Some(out),
            sink: None,
            rows: 0,
            fail_after,
        }
    }

    /// Writes a row (Markdown and the terminal table keep it until
    /// [`RowWriter::finish`]).
    pub fn push(&mut self, row: &[Cell]) -> std::io::Result<()> {
        if self.fail_after.is_some_and(|n| self.rows >= n) {
            return Ok(());
        }
        self.rows += 1;
        self.sink()?.row(row)
    }

    /// Writes what comes after the last row (the head too, when there was
    /// no row).
    pub fn finish(mut self) -> std::io::Result<()> {
        self.sink()?.end()?;
        match self.fail_after {
            Some(n) => Err(std::io::Error::other(format!(
                "write failed after {n} rows ({FAIL_AFTER_ROWS} test hook)"
            ))),
            None => Ok(()),
        }
    }

    /// The sink, started on first use.
    fn sink(&mut self) -> std::io::Result<&mut (dyn Sink + 'a)> {
        if let Some(out) = self.out.take() {
            let columns = &self.head.columns;
            self.sink = Some(match self.format {
                Format::Csv => {
                    Box::new(csv::Rows::start(columns, self.csv, out)?)
                }
                Format::Json => Box::new(json::Rows::start(columns, out)?),
                Format::Jsonl => Box::new(jsonl::Rows { columns, out }),
                Format::Markdown | Format::Table => Box::new(Laid {
                    table: self.head.without_rows(),
                    markdown: self.format == Format::Markdown,
                    out,
                }),
            });
        }
        let failed = || std::io::Error::other("the head was not written");
        self.sink.as_deref_mut().ok_or_else(failed)
    }
}

/// The test hook of [`write_table`].
const FAIL_AFTER_ROWS: &str = "TIFA_FAIL_AFTER_ROWS";

/// A format's side of [`RowWriter`], made by writing what comes before
/// the first row.
trait Sink {
    /// Writes a row.
    fn row(&mut self, cells: &[Cell]) -> std::io::Result<()>;
    /// Writes what comes after the last row.
    fn end(&mut self) -> std::io::Result<()>;
}

/// Markdown or the terminal table: every row is held, for the layout.
struct Laid<'a> {
    table: Table,
    markdown: bool,
    out: &'a mut dyn Write,
}

impl Sink for Laid<'_> {
    fn row(&mut self, cells: &[Cell]) -> std::io::Result<()> {
        self.table.rows.push(cells.to_vec());
        Ok(())
    }

    fn end(&mut self) -> std::io::Result<()> {
        if self.markdown {
            markdown::write(&self.table, self.out)
        } else {
            terminal::write(&self.table, self.out)
        }
    }
}

/// One row as a JSON object, keys in column order, as a map of the row
/// would be serialized (without building one per row).
struct JsonRow<'a, R> {
    columns: &'a [String],
    cells: R,
}

impl<R: AsRef<[Cell]>> serde::Serialize for JsonRow<'_, R> {
    fn serialize<S: serde::Serializer>(
        &self,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.columns.len()))?;
        for (key, cell) in self.columns.iter().zip(self.cells.as_ref()) {
            map.serialize_entry(key, cell)?;
        }
        map.end()
    }
}

/// A cell as plain text: strings as they are, numbers in their shortest
/// exact form, null as empty, a [`list`](crate::table::list) joined by
/// `|`.
pub(crate) fn plain(cell: &Cell) -> String {
    match cell {
        Cell::String(s) => s.clone(),
        Cell::Null => String::new(),
        Cell::Array(items) => crate::table::join(items.iter().map(plain)),
        other => other.to_string(),
    }
}

/// Shows the cells of `column` in bold on a terminal (ANSI SGR), as
/// concordancers highlight the keyword. Only for [`Format::Table`] on a
/// terminal: the other formats must stay plain.
pub fn highlight(table: &mut Table, column: &str) {
    let Some(i) = table.columns.iter().position(|c| c == column) else {
        return;
    };
    for row in &mut table.rows {
        if let Cell::String(s) = &mut row[i] {
            *s = format!("\x1b[1m{s}\x1b[0m");
        }
    }
}

#[cfg(test)]
mod xml_tests {
    use super::xml_chars;

    #[test]
    fn only_characters_xml_allows() {
        assert_eq!(xml_chars("R&D\u{B}spending"), "R&D spending");
        assert_eq!(
            xml_chars("a\u{0}b\u{1F}c\u{FFFE}\u{FFFF}"),
            "a b c\u{FFFD}\u{FFFD}"
        );
        // Tab and line breaks are XML; so are C1 controls and the rest.
        let kept = "a\tb\nc\rd\u{85}e\u{7F}两重\u{10FFFF}";
        assert!(
            matches!(xml_chars(kept), std::borrow::Cow::Borrowed(k) if k == kept)
        );
    }
}

#[cfg(test)]
mod quantity_tests {
    use super::quantity;

    #[test]
    fn grouped_and_plural() {
        assert_eq!(quantity(0, "document", "documents"), "0 documents");
        assert_eq!(quantity(1, "document", "documents"), "1 document");
        assert_eq!(quantity(999, "term", "terms"), "999 terms");
        assert_eq!(quantity(1000, "term", "terms"), "1,000 terms");
        assert_eq!(
            quantity(1_606_385, "character", "characters"),
            "1,606,385 characters"
        );
    }
}
