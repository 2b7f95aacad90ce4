//! `tifa lexicon stats`: what a lexicon holds, per category.

use std::collections::BTreeMap;

use super::Lexicon;
use crate::table::{Table, int, text};

/// Columns of [`stats`].
const COLUMNS: [&str; 9] = [
    "category",
    "terms",
    "zh_forms",
    "en_forms",
    "zh_expansions",
    "en_expansions",
    "exclusions",
    "context_rules",
    "whole_word",
];

/// One row per category (sorted), then a `total` row: terms, forms and
/// expansions per language, exclusions, and terms with a context rule or
/// `whole_word`.
pub fn stats(lexicon: &Lexicon) -> Table {
    let mut by_cat: BTreeMap<&str, [u64; 8]> = BTreeMap::new();
    let mut total = [0u64; 8];
    for t in &lexicon.terms {
        let row = [
            1,
            t.zh.len() as u64,
            t.en.len() as u64,
            t.zh_expansions.len() as u64,
            t.en_expansions.len() as u64,
            t.exclude.len() as u64,
            u64::from(t.context.is_some()),
            u64::from(t.whole_word),
        ];
        let cat = by_cat.entry(t.category.as_str()).or_default();
        for i in 0..row.len() {
            cat[i] += row[i];
            total[i] += row[i];
        }
    }
    let mut table = Table::new(COLUMNS).numbers(COLUMNS[1..].iter().copied());
    for (name, n) in by_cat.into_iter().chain([("total", total)]) {
        let mut row = vec![text(name)];
        row.extend(n.iter().map(|&v| int(v)));
        table.push(row);
    }
    table
}
