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
#[derive(Debug, Clone, Default)]
pub struct GroupCounts {
    /// Documents in the group.
    pub docs: u64,
    /// Summed sizes of its documents.
    pub size: DocSize,
    /// Counts per term.
    terms: Terms,
}

/// A group's counts per term: a short list while it holds few terms, as a
/// document does, then a slot for every term of the lexicon. A slot per
/// term from the start cost `count --by doc` 6 KB a document with the
/// built-in lexicon (110 terms), to be zeroed, and then read through for
/// its rows.
#[derive(Debug, Clone)]
enum Terms {
    Few(Vec<(TermId, TermCount)>),
    All(Vec<TermCount>),
}

impl Default for Terms {
    fn default() -> Terms {
        Terms::Few(Vec::new())
    }
}

/// Terms a group lists before it takes a slot for each.
const FEW_TERMS: usize = 16;

static NO_COUNT: TermCount = TermCount {
    hits_zh: 0,
    hits_en: 0,
    unconfirmed: 0,
    excluded: 0,
    docs: 0,
    nested: 0,
    mentions: 0,
};

impl GroupCounts {
    /// The counts of term `t` (zero when it was never matched).
    pub fn term(&self, t: TermId) -> &TermCount {
        match &self.terms {
            Terms::Few(few) => {
                few.iter().find(|(id, _)| *id == t).map_or(&NO_COUNT, |c| &c.1)
            }
            Terms::All(all) => all.get(t).unwrap_or(&NO_COUNT),
        }
    }

    /// The counts of term `t`, of a lexicon of `term_count` terms, to add
    /// to.
    fn term_mut(&mut self, t: TermId, term_count: usize) -> &mut TermCount {
        if let Terms::Few(few) = &self.terms
            && few.len() == FEW_TERMS
            && !few.iter().any(|(id, _)| *id == t)
        {
            let mut all = vec![TermCount::default(); term_count];
            for &(id, c) in few {
                all[id] = c;
            }
            self.terms = Terms::All(all);
        }
        match &mut self.terms {
            Terms::Few(few) => {
                let i = match few.iter().position(|(id, _)| *id == t) {
                    Some(i) => i,
                    None => {
                        few.push((t, TermCount::default()));
                        few.len() - 1
                    }
                };
                &mut few[i].1
            }
            Terms::All(all) => &mut all[t],
        }
    }

    /// The terms with counts, in no particular order (others may have
    /// counts of zero). One of the two lists is empty; chained, they need
    /// no boxed iterator, which cost an allocation per document with
    /// `--by doc`.
    fn counted(&self) -> impl Iterator<Item = (TermId, &TermCount)> {
        let (few, all): (&[(TermId, TermCount)], &[TermCount]) =
            match &self.terms {
                Terms::Few(few) => (few, &[]),
                Terms::All(all) => (&[], all),
            };
        few.iter().map(|(t, c)| (*t, c)).chain(all.iter().enumerate())
    }

    /// Adds `other`'s documents, sizes and counts.
    fn add(&mut self, other: &GroupCounts, term_count: usize) {
        self.docs += other.docs;
        self.size += &other.size;
        for (t, c) in other.counted() {
            self.term_mut(t, term_count).add(c);
        }
    }
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
        let empty = GroupCounts::default();
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
            let mut ids: Vec<usize> = if self.options.all_terms {
                (0..self.term_count).filter(|&t| listed[t]).collect()
            } else {
                group
                    .counted()
                    .filter(|&(t, c)| {
                        listed[t] && c.hits() + c.unconfirmed + c.nested > 0
                    })
                    .map(|(t, _)| t)
                    .collect()
            };
            ids.sort_by_key(|&t| {
                let c = group.term(t);
                (std::cmp::Reverse((c.hits(), c.unconfirmed)), t)
            });
            for t in ids {
                let c = group.term(t);
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
                group.term_mut(n.term, self.term_count).nested += 1;
            }
        }
    }
}

impl Aggregate for Counts {
    fn add(&mut self, doc: &Document, size: &DocSize, hits: &[Hit]) {
        let key = self.options.grouping.key(doc);
        let n = self.term_count;
        let group = self.groups.entry(key).or_default();
        group.docs += 1;
        group.size += size;
        self.doc_terms.clear();
        for hit in hits {
            let c = group.term_mut(hit.term, n);
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
            group.term_mut(t, n).docs += 1;
        }
        if self.mentions {
            for (t, m) in super::bilingual::mentions(&doc.text, hits) {
                group.term_mut(t, n).mentions += m;
            }
        }
    }

    fn merge(&mut self, other: Counts) {
        for (key, g) in other.groups {
            match self.groups.get_mut(&key) {
                None => {
                    self.groups.insert(key, g);
                }
                Some(mine) => mine.add(&g, self.term_count),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Documents of hits (term, status), each dated in one of a few
    /// months: from none to more terms than a group lists before it takes
    /// a slot for each.
    fn documents() -> impl Strategy<Value = Vec<(u8, Vec<(usize, u8)>)>> {
        let hit = (0..40usize, 0..3u8);
        prop::collection::vec(
            (0..3u8, prop::collection::vec(hit, 0..30)),
            0..12,
        )
    }

    /// The counts of `docs`, the first of which is the `first`-th of the
    /// corpus.
    fn counts(
        docs: &[(u8, Vec<(usize, u8)>)],
        first: usize,
        grouping: &Grouping,
    ) -> Counts {
        let options = CountOptions {
            grouping: grouping.clone(),
            all_terms: false,
            nesting: false,
            terms: None,
        };
        let mut counts = Counts::new(options, 40);
        for (rank, (month, hits)) in docs.iter().enumerate() {
            let rank = first + rank;
            let doc = Document {
                id: format!("d{rank}").into(),
                rank: (0, rank as u32),
                date: Some(format!("2025-0{}-01", month + 1).into()),
                ..Document::default()
            };
            let hits: Vec<Hit> = hits
                .iter()
                .map(|&(term, status)| Hit {
                    term,
                    form: 0,
                    lang: Lang::Zh,
                    start: 0,
                    end: 0,
                    status: [
                        Status::Confirmed,
                        Status::Unconfirmed,
                        Status::Excluded,
                    ][status as usize],
                })
                .collect();
            counts.add(&doc, &DocSize::default(), &hits);
        }
        counts
    }

    proptest! {
        /// Every group's counts, kept as a short list or a slot per term,
        /// are those of a naive count of its hits, whole or merged from
        /// any two halves of the documents.
        #[test]
        fn group_counts_are_those_of_a_naive_count(
            docs in documents(),
            cut in 0..12usize,
        ) {
            for grouping in [Grouping::All, Grouping::Month, Grouping::Doc] {
                let whole = counts(&docs, 0, &grouping);
                let cut = cut.min(docs.len());
                let mut merged = counts(&docs[..cut], 0, &grouping);
                merged.merge(counts(&docs[cut..], cut, &grouping));
                for got in [&whole, &merged] {
                    let mut want: BTreeMap<(String, usize), [u64; 4]> =
                        BTreeMap::new();
                    for (rank, (month, hits)) in docs.iter().enumerate() {
                        let key = match grouping {
                            Grouping::All => String::new(),
                            Grouping::Month => format!("2025-0{}", month + 1),
                            _ => format!("d{rank}"),
                        };
                        let mut seen = Vec::new();
                        for &(term, status) in hits {
                            let w = want.entry((key.clone(), term)).or_default();
                            w[status as usize] += 1;
                            if status == 0 && !seen.contains(&term) {
                                seen.push(term);
                                w[3] += 1;
                            }
                        }
                    }
                    for (key, group) in &got.groups {
                        for t in 0..40 {
                            let c = group.term(t);
                            let w = want
                                .get(&(key.label.clone(), t))
                                .copied()
                                .unwrap_or_default();
                            prop_assert_eq!(
                                [c.hits_zh, c.unconfirmed, c.excluded, c.docs],
                                w,
                                "{:?} {} term {}", grouping, key.label, t
                            );
                        }
                    }
                    let groups: Vec<&str> =
                        got.groups.keys().map(|k| k.label.as_str()).collect();
                    let mut want_groups: Vec<&str> =
                        want.keys().map(|(k, _)| k.as_str()).collect();
                    want_groups.dedup();
                    // Groups without hits exist too: those with hits are
                    // among them.
                    for g in want_groups {
                        prop_assert!(groups.contains(&g), "{}", g);
                    }
                }
            }
        }
    }
}
