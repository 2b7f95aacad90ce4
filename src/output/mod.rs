//! Writing tables: CSV (spreadsheet-safe), JSON, Markdown and an aligned
//! table for terminals; and writing files atomically. Writers compute
//! nothing: they render a [`Table`] as it is.

mod csv;
mod file;
mod json;
mod markdown;
mod terminal;

use std::io::Write;
use std::str::FromStr;

pub use file::write_atomic;

use crate::table::Table;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// RFC 4180 CSV, LF line ends.
    Csv,
    /// A JSON array of row objects.
    Json,
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
            "md" | "markdown" => Ok(Format::Markdown),
            "table" => Ok(Format::Table),
            _ => Err(format!("unknown format {s:?} (csv, json, md, table)")),
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
pub fn write_table(
    table: &Table,
    format: Format,
    csv: CsvOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Csv => csv::write(table, csv, out),
        Format::Json => json::write(table, out),
        Format::Markdown => markdown::write(table, out),
        Format::Table => terminal::write(table, out),
    }
}

/// A cell as plain text: strings as they are, numbers in their shortest
/// exact form, null as empty.
fn plain(cell: &crate::table::Cell) -> String {
    match cell {
        crate::table::Cell::String(s) => s.clone(),
        crate::table::Cell::Null => String::new(),
        other => other.to_string(),
    }
}
