//! Frequency: hits per term, per group, with the rates that make groups of
//! different sizes comparable.

use std::collections::BTreeMap;

use super::{Aggregate, DocSize, GroupKey, Grouping, NestedAggregate};
use crate::corpus::Document;
use crate::lexicon::{Lang, Lexicon, TermId};
use crate::matcher::{Hit, Nested, Status};
use crate::table::{Table, float, int, text};

/// Options of a frequency count.
#[derive(Debug, Clone)]
pub struct CountOptions {
    /// How documents are grouped.
    pub grouping: Grouping,
    /// List every term, also those never matched.
    pub all_terms: bool,
    /// Add the `nested` and `total` columns (fed by
    /// [`WithNested`](super::WithNested)).
    pub nesting: bool,
    /// List only these terms (`None`: every term); their counts are those
    /// of the whole lexicon's run.
    pub terms: Option<Vec<TermId>>,
}

/// Counts of one term in one group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TermCount {
    /// Confirmed matches of Chinese forms.
    pub hits_zh: u64,
    /// Confirmed matches of English forms.
    pub hits_en: u64,
    /// Matches that failed the term's context rule.
    pub unconfirmed: u64,
    /// Matches of the term's exclusions.
    pub excluded: u64,
    /// Documents with at least one confirmed match.
    pub docs: u64,
    /// Occurrences inside a match of another term's longer form (counted
    /// only when nesting is asked for).
    pub nested: u64,
    /// Concept mentions: `max(zh, en)` per block of paragraphs (counted
    /// only when asked for, see [`Counts::with_mentions`]).
    pub mentions: u64,
}

impl TermCount {
    /// Confirmed matches in both languages.
    pub fn hits(&self) -> u64 {
        self.hits_zh + self.hits_en
    }

    fn add(&mut self, o: &TermCount) {
        self.hits_zh += o.hits_zh;
        self.hits_en += o.hits_en;
        self.unconfirmed += o.unconfirmed;
        self.excluded += o.excluded;
        self.docs += o.docs;
        self.nested += o.nested;
        self.mentions += o.mentions;
    }
}

/// Totals of one group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupCounts {
    /// Documents in the group.
    pub docs: u64,
    /// Summed sizes of its documents.
    pub size: DocSize,
    /// Counts per term, indexed by term id.
    pub terms: Vec<TermCount>,
}

/// The frequency aggregate.
#[derive(Debug, Clone)]
pub struct Counts {
    options: CountOptions,
    term_count: usize,
    /// Groups in output order.
    pub groups: BTreeMap<GroupKey, GroupCounts>,
    doc_terms: Vec<usize>,
    mentions: bool,
}

impl Counts {
    /// An empty aggregate for a lexicon of `term_count` terms.
    pub fn new(options: CountOptions, term_count: usize) -> Counts {
        Counts {
            options,
            term_count,
            groups: BTreeMap::new(),
            doc_terms: Vec::new(),
            mentions: false,
        }
    }

    /// Also counts concept mentions (see
    /// [`bilingual`](super::bilingual)), shown as `mentions` after
    /// `hits_en`; splits into paragraphs only the documents that hold a
    /// term in both languages.
    pub fn with_mentions(mut self) -> Counts {
        self.mentions = true;
        self
    }

    /// The result table: per group, one row per term found (or every term
    /// with `all_terms`) among `terms`, by hits, then unconfirmed,
    /// descending, then id.
    pub fn table(&self, lexicon: &Lexicon) -> Table {
        let group_col = self.options.grouping.column();
        let mut columns: Vec<&str> = Vec::new();
        if !group_col.is_empty() {
            columns.push(group_col);
        }
        columns.extend([
            "term",
            "label_zh",
            "label_en",
            "category",
            "hits",
            "hits_zh",
            "hits_en",
            "unconfirmed",
        ]);
        if self.mentions {
            // Right after hits_en, before unconfirmed.
            columns.insert(columns.len() - 1, "mentions");
        }
        if self.options.nesting {
            columns.extend(["nested", "total"]);
        }
        columns.extend(["docs", "rate_zh", "rate_en"]);
        let numbers: Vec<&str> = columns[columns.len() - 3..]
            .iter()
            .chain(&["hits", "hits_zh", "hits_en", "unconfirmed"])
            .chain(self.mentions.then_some(&"mentions"))
            .chain(if self.options.nesting {
                &["nested", "total"][..]
            } else {
                &[]
            })
            .copied()
            .collect();
        let mut table = Table::new(columns).numbers(numbers);
        let empty = GroupCounts {
            terms: vec![TermCount::default(); self.term_count],
            ..GroupCounts::default()
        };
        let mut groups: Vec<(&GroupKey, &GroupCounts)> =
            self.groups.iter().collect();
        if groups.is_empty() && self.options.all_terms {
            groups.push((&EMPTY_KEY, &empty));
        }
        let mut listed = vec![self.options.terms.is_none(); self.term_count];
        for &t in self.options.terms.iter().flatten() {
            listed[t] = true;
        }
        for (key, group) in groups {
            let mut ids: Vec<usize> = (0..self.term_count)
                .filter(|&t| listed[t])
                .filter(|&t| {
                    let c = &group.terms[t];
                    self.options.all_terms
                        || c.hits() + c.unconfirmed + c.nested > 0
                })
                .collect();
            ids.sort_by_key(|&t| {
                let c = &group.terms[t];
                (std::cmp::Reverse((c.hits(), c.unconfirmed)), t)
            });
            for t in ids {
                let c = &group.terms[t];
                let term = &lexicon.terms[t];
                let mut row = Vec::with_capacity(14);
                if !group_col.is_empty() {
                    row.push(text(key.label.clone()));
                }
                row.extend([
                    text(term.id.clone()),
                    text(term.label_zh.clone()),
                    text(term.label_en.clone()),
                    text(term.category.clone()),
                    int(c.hits()),
                    int(c.hits_zh),
                    int(c.hits_en),
                    int(c.unconfirmed),
                ]);
                if self.mentions {
                    row.insert(row.len() - 1, int(c.mentions));
                }
                if self.options.nesting {
                    row.extend([int(c.nested), int(c.hits() + c.nested)]);
                }
                row.extend([
                    int(c.docs),
                    float(rate(c.hits_zh, group.size.han_chars), 4),
                    float(rate(c.hits_en, group.size.en_words), 4),
                ]);
                table.push(row);
            }
        }
        table
    }
}

static EMPTY_KEY: GroupKey = GroupKey { rank: (0, 0), label: String::new() };

/// Occurrences per 10,000 units; undefined over zero units.
pub fn rate(hits: u64, units: u64) -> Option<f64> {
    (units > 0).then(|| hits as f64 * 10_000.0 / units as f64)
}

impl NestedAggregate for Counts {
    fn add_nested(&mut self, doc: &Document, nested: &[Nested]) {
        if nested.is_empty() {
            return;
        }
        let key = self.options.grouping.key(doc);
        // `add` has created the group.
        if let Some(group) = self.groups.get_mut(&key) {
            for n in nested {
                group.terms[n.term].nested += 1;
            }
        }
    }
}

impl Aggregate for Counts {
    fn add(&mut self, doc: &Document, size: &DocSize, hits: &[Hit]) {
        let key = self.options.grouping.key(doc);
        let n = self.term_count;
        let group = self.groups.entry(key).or_insert_with(|| GroupCounts {
            terms: vec![TermCount::default(); n],
            ..GroupCounts::default()
        });
        group.docs += 1;
        group.size.bytes += size.bytes;
        group.size.han_chars += size.han_chars;
        group.size.en_words += size.en_words;
        self.doc_terms.clear();
        for hit in hits {
            let c = &mut group.terms[hit.term];
            match (hit.status, super::text_lang(&doc.text, hit)) {
                (Status::Confirmed, Lang::Zh) => c.hits_zh += 1,
                (Status::Confirmed, Lang::En) => c.hits_en += 1,
                (Status::Unconfirmed, _) => c.unconfirmed += 1,
                (Status::Excluded, _) => c.excluded += 1,
            }
            if hit.status == Status::Confirmed {
                self.doc_terms.push(hit.term);
            }
        }
        self.doc_terms.sort_unstable();
        self.doc_terms.dedup();
        for &t in &self.doc_terms {
            group.terms[t].docs += 1;
        }
        if self.mentions {
            for (t, n) in super::bilingual::mentions(&doc.text, hits) {
                group.terms[t].mentions += n;
            }
        }
    }

    fn merge(&mut self, other: Counts) {
        for (key, g) in other.groups {
            match self.groups.get_mut(&key) {
                None => {
                    self.groups.insert(key, g);
                }
                Some(mine) => {
                    mine.docs += g.docs;
                    mine.size.bytes += g.size.bytes;
                    mine.size.han_chars += g.size.han_chars;
                    mine.size.en_words += g.size.en_words;
                    for (a, b) in mine.terms.iter_mut().zip(&g.terms) {
                        a.add(b);
                    }
                }
            }
        }
    }
}
