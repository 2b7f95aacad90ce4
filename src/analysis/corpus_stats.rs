//! What a corpus holds, per group: the denominators behind every rate.

use std::collections::BTreeMap;

use super::{Aggregate, DocSize, GroupKey, Grouping};
use crate::corpus::Document;
use crate::matcher::Hit;
use crate::pipeline::Summary;
use crate::table::{Cell, Table, int, text};

/// Totals of one group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Totals {
    documents: u64,
    size: DocSize,
    first_date: Option<String>,
    last_date: Option<String>,
    replacements: u64,
}

/// The corpus description aggregate.
#[derive(Debug, Clone)]
pub struct CorpusStats {
    grouping: Grouping,
    groups: BTreeMap<GroupKey, Totals>,
}

/// The group of the inputs skipped, in a grouped description.
pub const SKIPPED: &str = "(skipped)";

impl CorpusStats {
    /// An empty description.
    pub fn new(grouping: Grouping) -> CorpusStats {
        CorpusStats { grouping, groups: BTreeMap::new() }
    }

    /// `[group,]documents,bytes,han_chars,en_words,first_date,last_date,
    /// replacements,skipped`. Skipped inputs belong to no group: grouped,
    /// they are counted in a last row of their own, `SKIPPED`, so that
    /// the column still adds up to the total (and they are reported on
    /// stderr).
    pub fn table(&self, summary: &Summary) -> Table {
        let group_col = self.grouping.column();
        let mut cols: Vec<&str> = Vec::new();
        if !group_col.is_empty() {
            cols.push(group_col);
        }
        cols.extend([
            "documents",
            "bytes",
            "han_chars",
            "en_words",
            "first_date",
            "last_date",
            "replacements",
            "skipped",
        ]);
        let mut table = Table::new(cols).numbers([
            "documents",
            "bytes",
            "han_chars",
            "en_words",
            "replacements",
            "skipped",
        ]);
        let mut groups: Vec<(&GroupKey, &Totals)> =
            self.groups.iter().collect();
        let empty = (
            GroupKey { rank: (0, 0), label: String::new() },
            Totals::default(),
        );
        if groups.is_empty() && group_col.is_empty() {
            groups.push((&empty.0, &empty.1));
        }
        let date = |d: &Option<String>| d.clone().map_or(Cell::Null, text);
        let skipped_row =
            (!group_col.is_empty() && summary.skipped > 0).then(|| {
                (SKIPPED.to_string(), Totals::default(), summary.skipped)
            });
        let skipped = if group_col.is_empty() { summary.skipped } else { 0 };
        let rows = groups
            .into_iter()
            .map(|(key, t)| (key.label.clone(), t.clone(), skipped))
            .chain(skipped_row);
        for (label, t, skipped) in rows {
            let mut row = Vec::new();
            if !group_col.is_empty() {
                row.push(text(label));
            }
            row.extend([
                int(t.documents),
                int(t.size.bytes),
                int(t.size.han_chars),
                int(t.size.en_words),
                date(&t.first_date),
                date(&t.last_date),
                int(t.replacements),
                int(skipped),
            ]);
            table.push(row);
        }
        table
    }
}

/// Keeps the earliest first date and the latest last date. ISO dates
/// sort as text by where they start (`2024` before `2024-02-29`); a date
/// by month or year ends after every day in it (`2021-12` after
/// `2021-12-03`: a report asks whether the corpus reaches the end of its
/// last period).
fn merge_dates(t: &mut Totals, first: Option<&str>, last: Option<&str>) {
    if let Some(f) = first
        && t.first_date.as_deref().is_none_or(|d| f < d)
    {
        t.first_date = Some(f.to_string());
    }
    if let Some(l) = last
        && t.last_date.as_deref().is_none_or(|d| end(l) > end(d))
    {
        t.last_date = Some(l.to_string());
    }
}

/// Where an ISO date ends, as a key that sorts: month and day `99` when
/// the date lacks them.
fn end(date: &str) -> (&str, &str, &str) {
    let part = |r: std::ops::Range<usize>| date.get(r).unwrap_or("99");
    (part(0..4), part(5..7), part(8..10))
}

impl Aggregate for CorpusStats {
    fn add(&mut self, doc: &Document, size: &DocSize, _hits: &[Hit]) {
        let t = self.groups.entry(self.grouping.key(doc)).or_default();
        t.documents += 1;
        t.size += size;
        t.replacements += doc.replacements as u64;
        merge_dates(t, doc.date.as_deref(), doc.date.as_deref());
    }

    fn merge(&mut self, other: CorpusStats) {
        for (key, o) in other.groups {
            let t = self.groups.entry(key).or_default();
            t.documents += o.documents;
            t.size += &o.size;
            t.replacements += o.replacements;
            merge_dates(t, o.first_date.as_deref(), o.last_date.as_deref());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first date is where the earliest document may start, the last
    /// where the latest may end: a month-only `2021-12` ends after
    /// `2021-12-31`, a year-only `2021` after it, and a day of 2022 after
    /// that.
    #[test]
    fn first_and_last_dates_of_partial_dates() {
        let mut t = Totals::default();
        for (date, first, last) in [
            ("2021-06-10", "2021-06-10", "2021-06-10"),
            ("2021-12-31", "2021-06-10", "2021-12-31"),
            ("2021-12", "2021-06-10", "2021-12"),
            ("2021-12-03", "2021-06-10", "2021-12"),
            ("2021", "2021", "2021"),
            ("2022-01-01", "2021", "2022-01-01"),
        ] {
            merge_dates(&mut t, Some(date), Some(date));
            assert_eq!(t.first_date.as_deref(), Some(first), "{date}");
            assert_eq!(t.last_date.as_deref(), Some(last), "{date}");
        }
    }
}
