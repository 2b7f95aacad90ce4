//! JSON Lines: one compact JSON object per row, keys in column order, for
//! tools that read a stream (`jq`, pandas `lines=True`) and for outputs too
//! long to parse as one array. Never a byte-order mark.

use std::io::Write;

use super::JsonRow;
use crate::table::Cell;

pub(super) fn write<R: AsRef<[Cell]>>(
    columns: &[String],
    rows: impl Iterator<Item = R>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    for cells in rows {
        serde_json::to_writer(&mut *out, &JsonRow { columns, cells })?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::table::{Table, int, text};

    #[test]
    fn one_object_per_line() {
        let mut t = Table::new(["term", "n"]);
        t.push(vec![text("两重\n"), int(2)]);
        t.push(vec![text("ai-plus"), int(0)]);
        let mut out = Vec::new();
        super::write(&t.columns, t.rows.iter(), &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"term\":\"两重\\n\",\"n\":2}\n{\"term\":\"ai-plus\",\"n\":0}\n"
        );
    }
}
