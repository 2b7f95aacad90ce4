//! CSV that opens cleanly in spreadsheets: UTF-8 (with a byte-order mark
//! when asked), RFC 4180 quoting, LF line ends, and text cells that a
//! spreadsheet would run as a formula prefixed with `'`. Number cells are
//! never touched.

use std::io::Write;

use super::{CsvOptions, Sink, plain, quantity};
use crate::table::{Cell, Table};

/// Records written one at a time (see [`RowWriter`](super::RowWriter)).
pub(super) struct Rows<'a> {
    opts: CsvOptions,
    w: ::csv::Writer<&'a mut dyn Write>,
}

impl<'a> Rows<'a> {
    /// Writes the byte-order mark (when asked) and the header.
    pub(super) fn start(
        columns: &'a [String],
        opts: CsvOptions,
        out: &'a mut dyn Write,
    ) -> std::io::Result<Rows<'a>> {
        if opts.bom {
            out.write_all(b"\xEF\xBB\xBF")?;
        }
        let mut w = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::Any(b'\n'))
            .from_writer(out);
        w.write_record(columns).map_err(io_error)?;
        Ok(Rows { opts, w })
    }
}

impl Sink for Rows<'_> {
    fn row(&mut self, cells: &[Cell]) -> std::io::Result<()> {
        let record = cells.iter().map(|cell| match cell {
            Cell::String(_) | Cell::Array(_) if !self.opts.raw => {
                neutralize(&plain(cell))
            }
            other => plain(other),
        });
        self.w.write_record(record).map_err(io_error)
    }

    fn end(&mut self) -> std::io::Result<()> {
        self.w.flush()
    }
}

/// The I/O error inside a `csv` error, with its kind (a closed pipe must
/// stay `BrokenPipe` to end quietly).
fn io_error(e: ::csv::Error) -> std::io::Error {
    match e.into_kind() {
        ::csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

/// What a spreadsheet would cut from `table`, as warnings (see
/// [`SpreadsheetLimits`]).
pub fn spreadsheet_limits(table: &Table) -> Vec<String> {
    let mut limits = SpreadsheetLimits::default();
    table.rows.iter().for_each(|row| limits.add(row));
    limits.warnings()
}

/// What a spreadsheet would cut from rows seen one at a time: Excel shows
/// at most 1,048,576 rows, holds at most 32,767 characters in a cell
/// (UTF-16 code units: a character past the BMP, 𠀀, is two) and shows at
/// most 253 line breaks in one (Microsoft, "Excel specifications and
/// limits"). The CSV itself keeps everything.
#[derive(Debug, Clone, Default)]
pub struct SpreadsheetLimits {
    rows: u64,
    long: u64,
    broken: u64,
}

impl SpreadsheetLimits {
    const ROWS: u64 = 1_048_576;
    const CELL_CHARS: usize = 32_767;
    const CELL_LINE_FEEDS: usize = 253;

    /// Counts one row.
    pub fn add(&mut self, row: &[Cell]) {
        self.rows += 1;
        for cell in row {
            if let Cell::String(s) = cell {
                self.long += u64::from(
                    // No more UTF-16 units than UTF-8 bytes.
                    s.len() > Self::CELL_CHARS
                        && s.encode_utf16().count() > Self::CELL_CHARS,
                );
                self.broken += u64::from(
                    memchr::memchr_iter(b'\n', s.as_bytes()).count()
                        > Self::CELL_LINE_FEEDS,
                );
            }
        }
    }

    /// The warnings for the rows counted.
    pub fn warnings(&self) -> Vec<String> {
        let (rows, cell_chars, cell_line_feeds) =
            (Self::ROWS, Self::CELL_CHARS, Self::CELL_LINE_FEEDS);
        let mut warnings = Vec::new();
        if self.rows >= rows {
            warnings.push(format!(
                "{} and a header: a spreadsheet shows the first {rows} lines \
                 (filter with --since/--until or --by, or use --format jsonl)",
                quantity(self.rows, "row", "rows")
            ));
        }
        if self.long > 0 {
            warnings.push(format!(
                "{} over {cell_chars} characters: a spreadsheet cuts them \
                 (the CSV holds them whole)",
                quantity(self.long, "cell", "cells")
            ));
        }
        if self.broken > 0 {
            warnings.push(format!(
                "{} with over {cell_line_feeds} line breaks: a spreadsheet \
                 shows only the first lines (the CSV holds them whole)",
                quantity(self.broken, "cell", "cells")
            ));
        }
        warnings
    }
}

/// First characters that make a spreadsheet read a cell as a formula
/// (OWASP's list, and NUL).
const FORMULA_STARTS: [char; 8] = ['=', '+', '-', '@', '\t', '\r', '\n', '\0'];

/// Prefixes with `'` a text cell that a spreadsheet would read as a
/// formula: one starting with `=`, `+`, `-`, `@`, tab, CR, LF or NUL,
/// unless it is a plain number such as `-5` or `+1.5e3` (`-inf` and
/// `-NaN` are not). A cell that already looks guarded (`'=x`) is prefixed
/// too, so that [`unneutralize`] gives back every cell as it was.
pub fn neutralize(s: &str) -> String {
    let risky = s.starts_with(FORMULA_STARTS) && !is_plain_number(s);
    if risky || looks_guarded(s) { format!("'{s}") } else { s.to_string() }
}

/// A cell read back without the `'` that [`neutralize`] put before it.
pub fn unneutralize(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if looks_guarded(cell) => rest,
        _ => cell,
    }
}

/// `'` (one or more), then a formula's first character.
fn looks_guarded(s: &str) -> bool {
    s.starts_with('\'')
        && s.trim_start_matches('\'').starts_with(FORMULA_STARTS)
}

/// A decimal number: sign, digits, an optional fraction and exponent.
fn is_plain_number(s: &str) -> bool {
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let int = digits(s);
    let mut rest = &s[int..];
    let mut frac = 0;
    if let Some(r) = rest.strip_prefix('.') {
        frac = digits(r);
        rest = &r[frac..];
    }
    if int + frac == 0 {
        return false;
    }
    if let Some(r) = rest.strip_prefix(['e', 'E']) {
        let r = r.strip_prefix(['+', '-']).unwrap_or(r);
        let exp = digits(r);
        return exp > 0 && exp == r.len();
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::{neutralize, unneutralize};
    use proptest::prelude::*;

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
            ("+1.5e3", "+1.5e3"),
            ("-.5", "-.5"),
            ("-inf", "'-inf"),
            ("-NaN", "'-NaN"),
            ("-5e", "'-5e"),
            ("-", "'-"),
            ("\0=1", "'\0=1"),
            ("\n=1", "'\n=1"),
            ("=两重", "'=两重"),
            ("＝1+1", "＝1+1"),
            ("two heavy", "two heavy"),
            ("'=1", "''=1"),
            ("'-5", "''-5"),
            ("'two", "'two"),
        ];
        for (input, want) in cases {
            assert_eq!(neutralize(input), want, "{input:?}");
        }
    }

    #[test]
    fn cells_a_spreadsheet_would_cut_are_counted() {
        use crate::table::{Table, int, text};
        let mut table = Table::new(["doc", "left", "n"]);
        table.push(vec![text("a"), text("两".repeat(32_767)), int(1)]);
        table.push(vec![text("b"), text("两".repeat(32_768)), int(2)]);
        table.push(vec![text("c"), text("x\n".repeat(254)), int(3)]);
        table.push(vec![text("d"), text("x\n".repeat(253)), int(4)]);
        // 20,000 characters past the BMP: 40,000 UTF-16 units, as Excel
        // counts.
        table.push(vec![text("e"), text("𠀀".repeat(20_000)), int(5)]);
        assert_eq!(
            super::spreadsheet_limits(&table),
            [
                "2 cells over 32767 characters: a spreadsheet cuts them (the CSV holds them whole)",
                "1 cell with over 253 line breaks: a spreadsheet shows only the first lines (the CSV holds them whole)",
            ]
        );
    }

    proptest! {
        /// Every cell is read back as it was written.
        #[test]
        fn unneutralize_inverts_neutralize(s in "['=+\\-@\t0-9a-z.]{0,6}") {
            let written = neutralize(&s);
            prop_assert_eq!(unneutralize(&written), s.as_str());
        }
    }
}
