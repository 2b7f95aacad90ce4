//! Markdown tables, with Markdown's special characters escaped and line
//! breaks flattened so that a cell never breaks the table or turns into
//! formatting.

use std::io::Write;

use super::plain;
use crate::table::Table;

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

/// A cell as GitHub-flavoured Markdown shows it literally: a backslash
/// before every character that could start formatting, HTML, a link, an
/// entity, math or a cell boundary (a kwic context quoting `<b>`, `*`,
/// `_` or a backtick is text, not markup), and line breaks flattened. An
/// underscore between two letters or digits is left alone, since GFM never
/// reads it as emphasis, so that column names such as `rate_zh` stay
/// readable in the raw file.
pub(super) fn escape(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let word = |i: Option<usize>| {
        i.and_then(|i| chars.get(i)).is_some_and(|c| c.is_alphanumeric())
    };
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\r' | '\n' => out.push(' '),
            '_' if word(i.checked_sub(1)) && word(Some(i + 1)) => out.push(c),
            '\\' | '|' | '*' | '_' | '`' | '<' | '>' | '[' | ']' | '&'
            | '~' | '$' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Whether a column is aligned as numbers (see [`Table::is_number`]).
pub(super) fn is_numeric(table: &Table, col: usize) -> bool {
    table.is_number(col)
}
