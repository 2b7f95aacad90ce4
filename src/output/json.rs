//! JSON: an array of objects, keys in column order, values typed (numbers
//! stay numbers, undefined rates are null). Never a byte-order mark.

use std::io::Write;

use crate::table::Table;

pub(super) fn write(
    table: &Table,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let rows: Vec<serde_json::Map<String, serde_json::Value>> = table
        .rows
        .iter()
        .map(|row| {
            table.columns.iter().cloned().zip(row.iter().cloned()).collect()
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &rows)?;
    out.write_all(b"\n")
}
