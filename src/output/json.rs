//! JSON: an array of objects, keys in column order, values typed (numbers
//! stay numbers, undefined rates are null). Never a byte-order mark.

use std::io::Write;

use serde::Serializer;

use super::JsonRow;
use crate::table::Cell;

/// Writes the array as `serde_json::to_writer_pretty` writes a `Vec` of
/// row objects, one element at a time.
pub(super) fn write<R: AsRef<[Cell]>>(
    columns: &[String],
    rows: impl Iterator<Item = R>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut json = serde_json::Serializer::pretty(&mut *out);
    json.collect_seq(rows.map(|cells| JsonRow { columns, cells }))?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use crate::table::{Cell, Table, int, text};

    /// Rows from an iterator of unknown length (a stream) are the bytes
    /// of the array of row maps, for none, one and several rows.
    #[test]
    fn streamed_rows_are_the_array_of_maps() {
        let mut t = Table::new(["doc", "match", "start"]);
        t.push(vec![text("a\"\n"), text("两重"), int(0)]);
        t.push(vec![text("b"), Cell::Null, int(12)]);
        t.push(vec![text("c"), text("AI+"), int(7)]);
        for n in 0..=t.rows.len() {
            let maps: Vec<serde_json::Map<String, Cell>> = t.rows[..n]
                .iter()
                .map(|r| t.columns.iter().cloned().zip(r.clone()).collect())
                .collect();
            let mut want = serde_json::to_vec_pretty(&maps).unwrap();
            want.push(b'\n');
            let mut got = Vec::new();
            let unknown_length = t.rows[..n].iter().filter(|_| true);
            super::write(&t.columns, unknown_length, &mut got).unwrap();
            assert_eq!(
                String::from_utf8(got).unwrap(),
                String::from_utf8(want).unwrap()
            );
        }
    }
}
