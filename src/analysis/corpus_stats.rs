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

fn merge_dates(t: &mut Totals, first: Option<&str>, last: Option<&str>) {
    if let Some(f) = first
        && t.first_date.as_deref().is_none_or(|d| f < d)
    {
        t.first_date = Some(f.to_string());
    }
    if let Some(l) = last
        && t.last_date.as_deref().is_none_or(|d| l > d)
    {
        t.last_date = Some(l.to_string());
    }
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
