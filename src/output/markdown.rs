//! Markdown tables, with `|` escaped and line breaks flattened so that a
//! cell never breaks the table.

use std::io::Write;

use super::plain;
use crate::table::{Cell, Table};

pub(super) fn write(
    table: &Table,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let numeric: Vec<bool> =
        (0..table.columns.len()).map(|i| is_numeric(table, i)).collect();
    let line = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
    out.write_all(
        line(table.columns.iter().map(|c| escape(c)).collect()).as_bytes(),
    )?;
    let rule = numeric
        .iter()
        .map(|&n| if n { "---:" } else { "---" }.to_string())
        .collect();
    out.write_all(line(rule).as_bytes())?;
    for row in &table.rows {
        out.write_all(
            line(row.iter().map(|c| escape(&plain(c))).collect()).as_bytes(),
        )?;
    }
    Ok(())
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('|', "\\|").replace(['\r', '\n'], " ")
}

/// A column is numeric when every non-empty cell is a number.
pub(super) fn is_numeric(table: &Table, col: usize) -> bool {
    table.rows.iter().all(|r| matches!(r[col], Cell::Number(_) | Cell::Null))
        && !table.rows.is_empty()
}
