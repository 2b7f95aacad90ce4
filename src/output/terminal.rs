//! An aligned table for people at a terminal: columns padded by display
//! width (Chinese characters take two cells), numbers right-aligned.

use std::io::Write;

use unicode_width::UnicodeWidthStr;

use super::markdown::is_numeric;
use super::plain;
use crate::table::Table;

pub(super) fn write(
    table: &Table,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let cells: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| plain(c).replace(['\r', '\n', '\t'], " "))
                .collect()
        })
        .collect();
    let widths: Vec<usize> = (0..table.columns.len())
        .map(|i| {
            cells
                .iter()
                .map(|r| r[i].width())
                .chain([table.columns[i].width()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let numeric: Vec<bool> =
        (0..table.columns.len()).map(|i| is_numeric(table, i)).collect();
    let render = |row: &[String]| {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            let pad = " ".repeat(widths[i] - cell.width());
            if i > 0 {
                line.push_str("  ");
            }
            if numeric[i] {
                line.push_str(&pad);
                line.push_str(cell);
            } else {
                line.push_str(cell);
                if i + 1 < row.len() {
                    line.push_str(&pad);
                }
            }
        }
        line.push('\n');
        line
    };
    out.write_all(render(&table.columns).as_bytes())?;
    for row in &cells {
        out.write_all(render(row).as_bytes())?;
    }
    Ok(())
}
