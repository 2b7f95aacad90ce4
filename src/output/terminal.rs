//! An aligned table for people at a terminal: columns padded by display
//! width (Chinese characters take two cells), numbers right-aligned.
//! ANSI styles (see [`highlight`](super::highlight)) take no cells.

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
                .map(|r| width(&r[i]))
                .chain([width(&table.columns[i])])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let numeric: Vec<bool> =
        (0..table.columns.len()).map(|i| is_numeric(table, i)).collect();
    let render = |row: &[String]| {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            let pad = " ".repeat(widths[i] - width(cell));
            if i > 0 {
                line.push_str("  ");
            }
            if numeric[i] {
                line.push_str(&pad);
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&pad);
            }
        }
        // Empty cells at the end (a rate over no English words) leave
        // no spaces behind.
        line.truncate(line.trim_end_matches(' ').len());
        line.push('\n');
        line
    };
    out.write_all(render(&table.columns).as_bytes())?;
    for row in &cells {
        out.write_all(render(row).as_bytes())?;
    }
    Ok(())
}

/// Display width, not counting ANSI SGR sequences (`ESC [ ... m`).
fn width(s: &str) -> usize {
    if !s.contains('\x1b') {
        return s.width();
    }
    let mut n = 0;
    let mut rest = s;
    while let Some(at) = rest.find('\x1b') {
        n += rest[..at].width();
        rest = &rest[at..];
        let end = rest.find('m').map_or(rest.len(), |m| m + 1);
        rest = &rest[end..];
    }
    n + rest.width()
}

#[cfg(test)]
mod tests {
    #[test]
    fn styles_take_no_cells() {
        assert_eq!(super::width("两\x1b[1m重\x1b[0m x"), 6);
    }
}
