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
    w.write_record(&table.columns).map_err(io_error)?;
    for row in &table.rows {
        let record = row.iter().map(|cell| match cell {
            Cell::String(s) if !opts.raw => neutralize(s),
            other => plain(other),
        });
        w.write_record(record).map_err(io_error)?;
    }
    w.flush()
}

/// The I/O error inside a `csv` error, with its kind (a closed pipe must
/// stay `BrokenPipe` to end quietly).
fn io_error(e: ::csv::Error) -> std::io::Error {
    match e.into_kind() {
        ::csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
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

    proptest! {
        /// Every cell is read back as it was written.
        #[test]
        fn unneutralize_inverts_neutralize(s in "['=+\\-@\t0-9a-z.]{0,6}") {
            let written = neutralize(&s);
            prop_assert_eq!(unneutralize(&written), s.as_str());
        }
    }
}
