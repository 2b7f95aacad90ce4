//! CSV that opens cleanly in spreadsheets: UTF-8 (with a byte-order mark
//! when asked), RFC 4180 quoting, LF line ends, and text cells that a
//! spreadsheet would run as a formula prefixed with `'`. Number cells are
//! never touched.

use std::io::Write;

use super::{CsvOptions, plain};
use crate::table::{Cell, Table};

pub(super) fn write(
    table: &Table,
    opts: CsvOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    if opts.bom {
        out.write_all(b"\xEF\xBB\xBF")?;
    }
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(out);
    w.write_record(&table.columns)?;
    for row in &table.rows {
        let record = row.iter().map(|cell| match cell {
            Cell::String(s) if !opts.raw => neutralize(s),
            other => plain(other),
        });
        w.write_record(record)?;
    }
    w.flush()
}

/// Prefixes a text that a spreadsheet would read as a formula with `'`.
pub fn neutralize(s: &str) -> String {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r', '\n', '\0']);
    if risky && s.parse::<f64>().is_err() {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::neutralize;

    #[test]
    fn formulas_are_neutralized() {
        let cases = [
            ("=1+1", "'=1+1"),
            ("+AI", "'+AI"),
            ("-AI", "'-AI"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("+", "'+"),
            ("AI+", "AI+"),
            ("人工智能+", "人工智能+"),
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("-5", "-5"),
            ("two heavy", "two heavy"),
        ];
        for (input, want) in cases {
            assert_eq!(neutralize(input), want, "{input:?}");
        }
    }
}
