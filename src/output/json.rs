//! JSON: an array of objects, keys in column order, values typed (numbers
//! stay numbers, undefined rates are null). Never a byte-order mark.

use std::io::Write;

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter, Serializer};

use super::{JsonRow, Sink};
use crate::table::Cell;

/// The array as `serde_json::to_writer_pretty` writes a `Vec` of row
/// objects, one element at a time (see [`RowWriter`](super::RowWriter)):
/// serde_json's own formatter writes the brackets and commas, and each row
/// with a copy of it, one level in.
pub(super) struct Rows<'a> {
    columns: &'a [String],
    out: &'a mut dyn Write,
    pretty: PrettyFormatter<'static>,
    /// Whether no row is written yet.
    first: bool,
}

impl<'a> Rows<'a> {
    /// Writes the opening bracket.
    pub(super) fn start(
        columns: &'a [String],
        mut out: &'a mut dyn Write,
    ) -> std::io::Result<Rows<'a>> {
        let mut pretty = PrettyFormatter::new();
        pretty.begin_array(&mut out)?;
        Ok(Rows { columns, out, pretty, first: true })
    }
}

impl Sink for Rows<'_> {
    fn row(&mut self, cells: &[Cell]) -> std::io::Result<()> {
        self.pretty.begin_array_value(&mut self.out, self.first)?;
        self.first = false;
        let row = JsonRow { columns: self.columns, cells };
        let pretty = self.pretty.clone();
        row.serialize(&mut Serializer::with_formatter(
            &mut *self.out,
            pretty,
        ))?;
        self.pretty.end_array_value(&mut self.out)
    }

    fn end(&mut self) -> std::io::Result<()> {
        self.pretty.end_array(&mut self.out)?;
        self.out.write_all(b"\n")
    }
}

#[cfg(test)]
mod tests {
    use crate::output::{CsvOptions, Format, RowWriter};
    use crate::table::{Cell, Table, int, list, text};

    /// Rows written one at a time are the bytes of the array of row maps,
    /// for none, one and several rows, lists included.
    #[test]
    fn streamed_rows_are_the_array_of_maps() {
        let mut t = Table::new(["doc", "match", "start"]);
        t.push(vec![text("a\"\n"), text("两重"), int(0)]);
        t.push(vec![text("b"), Cell::Null, int(12)]);
        t.push(vec![text("c"), list(["AI+", "两新"]), int(7)]);
        for n in 0..=t.rows.len() {
            let maps: Vec<serde_json::Map<String, Cell>> = t.rows[..n]
                .iter()
                .map(|r| t.columns.iter().cloned().zip(r.clone()).collect())
                .collect();
            let mut want = serde_json::to_vec_pretty(&maps).unwrap();
            want.push(b'\n');
            let mut got = Vec::new();
            let csv = CsvOptions { bom: false, raw: false };
            let mut rows = RowWriter::new(&t, Format::Json, csv, &mut got);
            for row in &t.rows[..n] {
                rows.push(row).unwrap();
            }
            rows.finish().unwrap();
            assert_eq!(
                String::from_utf8(got).unwrap(),
                String::from_utf8(want).unwrap()
            );
        }
    }
}
