//! Precision audits: reading back a `kwic --sample` sheet that a person
//! filled in, and estimating per term the share of its matches that are
//! correct, with a Wilson score interval (which, unlike the normal
//! approximation, stays inside [0, 1] and behaves at 0/n and n/n: audit
//! samples are small).

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use crate::corpus::{
    RecordLines, UNCLOSED_QUOTE, sniff_delimiter, unclosed_quote,
};
use crate::error::Error;
use crate::lexicon::transfer::decode_sheet;
use crate::matcher::Status;
use crate::table::{Table, float, int, text};

/// z for a two-sided 95% interval.
pub const Z95: f64 = 1.959964;

/// Judgements per term, and per status when the sheet has one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Audit {
    /// Whether the sheet has a `status` column (`kwic --sample` from more
    /// than one status): precision is then per term and status, since the
    /// precision of `hits` is that of the confirmed matches alone.
    pub by_status: bool,
    /// Per term id and status (`None` without a status column): (rows
    /// checked, rows correct). Unchecked (blank) rows count in neither.
    pub terms: BTreeMap<(String, Option<Status>), (u64, u64)>,
    /// What a reader of the result should know: the sheet's encoding was
    /// a guess, or a row was pasted twice (counted once).
    pub warnings: Vec<String>,
}

impl Audit {
    /// Reads a sheet: CSV (comma, or semicolon or tab as some spreadsheets
    /// save it) with `term` and `correct` columns, and optionally `status`
    /// (confirmed, unconfirmed or excluded); `correct` holds y, n,
    /// yes, no, 1 or 0 (any case), 是/否 and the like, or nothing for an
    /// unchecked row. It is decoded as `lexicon import` decodes a sheet
    /// (UTF-8, UTF-16 with its mark, or the GB18030 of Excel's "CSV" on
    /// Chinese Windows, whose 是 and 否 were read as blank cells), and a
    /// spreadsheet's `'` text prefix is ignored. A row with the `doc`,
    /// `start` and `term` of an earlier one (pasted twice) counts once,
    /// with a warning. `name` is used in errors.
    pub fn read(bytes: &[u8], name: &str) -> Result<Audit, Error> {
        let (text, guessed) = decode_sheet(name, bytes)?;
        let mut warnings: Vec<String> =
            guessed.iter().map(ToString::to_string).collect();
        let bytes = text.as_bytes();
        let delimiter = sniff_delimiter(bytes);
        let at = |line: usize, message: String| Error::Input {
            location: format!("{name}:{line}"),
            message,
        };
        if let Some((_, line)) = unclosed_quote(bytes, delimiter) {
            return Err(at(line, UNCLOSED_QUOTE.into()));
        }
        let mut lines = RecordLines::new(bytes, 1);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .from_reader(bytes);
        let headers =
            reader.headers().map_err(|e| at(1, e.to_string()))?.clone();
        let column = |want: &str| headers.iter().position(|h| cell(h) == want);
        let (Some(term_col), Some(correct_col)) =
            (column("term"), column("correct"))
        else {
            return Err(at(
                1,
                "a sheet needs `term` and `correct` columns (write one with \
                 `tifa kwic --sample N -o sheet.csv`)"
                    .into(),
            ));
        };
        let status_col = column("status");
        let (doc_col, start_col) = (column("doc"), column("start"));
        let mut audit =
            Audit { by_status: status_col.is_some(), ..Audit::default() };
        // The line of each (doc, start, term) seen, to find a row pasted
        // twice.
        let mut rows: BTreeMap<(String, String, String), usize> =
            BTreeMap::new();
        let mut record = csv::StringRecord::new();
        loop {
            let byte = reader.position().byte() as usize;
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => return Err(at(lines.at(byte).0, e.to_string())),
            }
            let byte = record.position().map_or(byte, |p| p.byte() as usize);
            let line = lines.at(byte).0;
            let get = |i: usize| cell(record.get(i).unwrap_or_default());
            if record.len() <= term_col.max(correct_col)
                && record.iter().any(|c| !cell(c).is_empty())
            {
                // A row cut short (by hand, or by a cell's line break that
                // lost its quotes) would count as unchecked in silence.
                let without_term = record.len() <= term_col;
                warnings.push(format!(
                    "{name}:{line}: {} where the header has {}: {}",
                    crate::output::quantity(
                        record.len() as u64,
                        "cell",
                        "cells"
                    ),
                    headers.len(),
                    if without_term {
                        "without its term, the row is not counted"
                    } else {
                        "without its `correct` cell, the row is unchecked"
                    },
                ));
                if without_term {
                    continue;
                }
            }
            let term = get(term_col);
            let raw = get(correct_col);
            let judgement = judgement(&raw).ok_or_else(|| {
                at(
                    line,
                    format!(
                        "correct = {raw:?}: expected y, n, yes, no, 1, 0, \
                         是, 否, 对, 错, ✓, ✗ or an empty cell"
                    ),
                )
            })?;
            if term.is_empty() {
                if judgement.is_none() {
                    continue; // a blank line in the sheet
                }
                return Err(at(line, "a judged row without a term".into()));
            }
            let status = match status_col {
                None => None,
                Some(i) => {
                    let raw = get(i);
                    let status = raw.parse::<Status>().map_err(|_| {
                        at(
                            line,
                            format!(
                                "status = {raw:?}: expected confirmed, \
                                 unconfirmed or excluded"
                            ),
                        )
                    })?;
                    Some(status)
                }
            };
            if let (Some(d), Some(s)) = (doc_col, start_col) {
                match rows.entry((get(d), get(s), term.clone())) {
                    Entry::Occupied(first) => {
                        warnings.push(format!(
                            "{name}:{line}: the same match as line {} (doc, \
                             start and term); counted once",
                            first.get()
                        ));
                        continue;
                    }
                    Entry::Vacant(slot) => {
                        slot.insert(line);
                    }
                }
            }
            let entry = audit.terms.entry((term, status)).or_insert((0, 0));
            if let Some(correct) = judgement {
                entry.0 += 1;
                entry.1 += u64::from(correct);
            }
        }
        audit.warnings = warnings;
        Ok(audit)
    }

    /// `term,checked,correct,precision,ci_low,ci_high`, by term id (with
    /// `status` after `term` when the sheet has one, by term then status);
    /// the last three are empty for a row with nothing checked.
    pub fn table(&self) -> Table {
        let mut columns = vec!["term"];
        if self.by_status {
            columns.push("status");
        }
        columns.extend([
            "checked",
            "correct",
            "precision",
            "ci_low",
            "ci_high",
        ]);
        let mut table = Table::new(columns).numbers([
            "checked",
            "correct",
            "precision",
            "ci_low",
            "ci_high",
        ]);
        for ((term, status), &(checked, correct)) in &self.terms {
            let ci = wilson(correct, checked, Z95);
            let mut row = vec![text(term.clone())];
            if let Some(status) = status {
                row.push(text(status.name()));
            }
            row.extend([
                int(checked),
                int(correct),
                float(
                    (checked > 0).then(|| correct as f64 / checked as f64),
                    4,
                ),
                float(ci.map(|c| c.0), 4),
                float(ci.map(|c| c.1), 4),
            ]);
            table.push(row);
        }
        table
    }
}

/// A cell trimmed, without a leading `'`.
fn cell(s: &str) -> String {
    let s = s.trim();
    s.strip_prefix('\'').unwrap_or(s).trim().to_string()
}

/// `Some(Some(correct))` for a judgement, `Some(None)` for a blank cell,
/// `None` for anything else.
fn judgement(s: &str) -> Option<Option<bool>> {
    // And what a coder on a Chinese keyboard types: 是/否, 对/错, ✓/✗.
    match s.to_ascii_lowercase().as_str() {
        "" => Some(None),
        "y" | "yes" | "1" | "是" | "对" | "✓" | "✔" => Some(Some(true)),
        "n" | "no" | "0" | "否" | "错" | "✗" | "✘" => Some(Some(false)),
        _ => None,
    }
}

/// The Wilson score interval for `k` successes in `n` trials; `None` for
/// `n = 0`.
pub fn wilson(k: u64, n: u64, z: f64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let center = (p + z2 / (2.0 * n)) / denom;
    let half = z / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At 0/n and n/n the bound is exactly 0 or 1; rounding would miss it.
    let lo = if k == 0.0 { 0.0 } else { (center - half).max(0.0) };
    let hi = if k == n { 1.0 } else { (center + half).min(1.0) };
    Some((lo, hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_known_values() {
        // 8 of 10, z² = 3.84146: denominator 1 + 0.384146 = 1.384146,
        // centre (0.8 + 0.192073) / 1.384146 = 0.716740, half-width
        // 1.959964 / 1.384146 * sqrt(0.016 + 0.00960366) = 0.226578:
        // 0.4902 to 0.9433.
        let (lo, hi) = wilson(8, 10, Z95).unwrap();
        assert!((lo - 0.4902).abs() < 5e-5 && (hi - 0.9433).abs() < 5e-5);
        let (lo, hi) = wilson(0, 5, Z95).unwrap();
        assert_eq!(lo, 0.0);
        assert!((hi - 0.4345).abs() < 5e-5);
        let (lo, hi) = wilson(5, 5, Z95).unwrap();
        assert!((lo - 0.5655).abs() < 5e-5 && hi == 1.0);
        assert_eq!(wilson(0, 0, Z95), None);
    }

    #[test]
    fn reads_judgements() {
        let sheet = "\u{FEFF}doc,term,correct\n\
                     a,two-heavy,Y\n\
                     b,'two-heavy,no\n\
                     c,two-heavy,\n\
                     d,ai-plus,'1\n";
        let a = Audit::read(sheet.as_bytes(), "s.csv").unwrap();
        let key = |t: &str| (t.to_string(), None);
        assert_eq!(a.terms[&key("two-heavy")], (2, 1));
        assert_eq!(a.terms[&key("ai-plus")], (1, 1));
        assert!(!a.by_status);
        // As a coder on a Chinese keyboard answers.
        let sheet =
            "doc,term,correct\na,x,是\nb,x,否\nc,x,对\nd,x,错\ne,x,✓\nf,x,✗\n";
        let a = Audit::read(sheet.as_bytes(), "s.csv").unwrap();
        assert_eq!(a.terms[&key("x")], (6, 3));
    }

    #[test]
    fn semicolons_and_legacy_bytes() {
        let mut sheet = b"term;left;correct\ntwo-heavy;".to_vec();
        sheet.extend([0xC1, 0xBD, 0xD6, 0xD8]); // 两重 in GB18030
        sheet.extend(b";y\n");
        let a = Audit::read(&sheet, "s.csv").unwrap();
        assert_eq!(a.terms[&("two-heavy".to_string(), None)], (1, 1));
    }

    /// A row cut short is said, not read as unchecked in silence; a
    /// blank line is nothing.
    #[test]
    fn short_rows_are_said() {
        let sheet = "doc,start,term,correct\nd,0,x,y\nd,5,x\nd,9\n\n,,,\n";
        let audit = Audit::read(sheet.as_bytes(), "s.csv").unwrap();
        assert_eq!(audit.terms[&("x".to_string(), None)], (1, 1));
        assert_eq!(
            audit.warnings,
            [
                "s.csv:3: 3 cells where the header has 4: without its \
                 `correct` cell, the row is unchecked",
                "s.csv:4: 2 cells where the header has 4: without its term, \
                 the row is not counted",
            ]
        );
    }

    #[test]
    fn bad_cell_names_the_line() {
        let sheet = "term,correct\nx,y\nx,maybe\n";
        let e = Audit::read(sheet.as_bytes(), "s.csv").unwrap_err();
        assert!(
            e.to_string().starts_with("s.csv:3: correct = \"maybe\""),
            "{e}"
        );
    }
}
