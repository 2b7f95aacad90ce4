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
    write_rows(table, &table.rows, format, csv, out)
}

/// Writes `rows` under the columns of `head` (its own rows are left out)
/// as [`write_table`] writes a table of them, byte for byte. CSV, JSON and
/// JSON Lines are written row by row as `rows` yields them, so that a long
/// listing is never held whole; Markdown and the terminal table are laid
/// out from every row (column widths, number alignment) and collect them
/// first.
pub fn write_rows<R: AsRef<[Cell]>>(
    head: &Table,
    rows: impl IntoIterator<Item = R>,
    format: Format,
    csv: CsvOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let fail_after = std::env::var(FAIL_AFTER_ROWS)
        .ok()
        .and_then(|n| n.trim().parse::<usize>().ok());
    let rows = rows.into_iter().take(fail_after.unwrap_or(usize::MAX));
    let columns = &head.columns;
    match format {
        Format::Csv => csv::write(columns, rows, csv, out)?,
        Format::Json => json::write(columns, rows, out)?,
        Format::Jsonl => jsonl::write(columns, rows, out)?,
        Format::Markdown | Format::Table => {
            let mut table = head.without_rows();
            table.rows.extend(rows.map(|r| r.as_ref().to_vec()));
            if format == Format::Markdown {
                markdown::write(&table, out)?
            } else {
                terminal::write(&table, out)?
            }
        }
    }
    match fail_after {
        Some(n) => Err(std::io::Error::other(format!(
            "write failed after {n} rows ({FAIL_AFTER_ROWS} test hook)"
        ))),
        None => Ok(()),
    }
}

/// The test hook of [`write_rows`].
const FAIL_AFTER_ROWS: &str = "TIFA_FAIL_AFTER_ROWS";

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
