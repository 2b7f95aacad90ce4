//! JSON Lines: one compact JSON object per row, keys in column order, for
//! tools that read a stream (`jq`, pandas `lines=True`) and for outputs too
//! long to parse as one array. Never a byte-order mark.

use std::io::Write;

use super::{JsonRow, Sink};
use crate::table::Cell;

/// Rows written one at a time (see [`RowWriter`](super::RowWriter)).
pub(super) struct Rows<'a> {
    pub(super) columns: &'a [String],
    pub(super) out: &'a mut dyn Write,
}

impl Sink for Rows<'_> {
    fn row(&mut self, cells: &[Cell]) -> std::io::Result<()> {
        let row = JsonRow { columns: self.columns, cells };
        serde_json::to_writer(&mut *self.out, &row)?;
        self.out.write_all(b"\n")
    }

    fn end(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::output::{CsvOptions, Format, write_table};
    use crate::table::{Table, int, text};

    #[test]
    fn one_object_per_line() {
        let mut t = Table::new(["term", "n"]);
        t.push(vec![text("两重\n"), int(2)]);
        t.push(vec![text("ai-plus"), int(0)]);
        let mut out = Vec::new();
        let csv = CsvOptions { bom: false, raw: false };
        write_table(&t, Format::Jsonl, csv, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"term\":\"两重\\n\",\"n\":2}\n{\"term\":\"ai-plus\",\"n\":0}\n"
        );
    }
}
