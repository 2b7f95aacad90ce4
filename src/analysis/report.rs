//! The aggregate behind `tifa report`: one pass over the corpus feeds the
//! corpus description, the counts, the trend and the co-occurrence at once,
//! so a report never reads its inputs twice.

use super::{
    Aggregate, CoocOptions, CorpusStats, CountOptions, Counts, DocSize,
    Grouping, Measure, Period, Trend, Unit,
};
use super::{Cooc, compare_table};
use crate::corpus::Document;
use crate::lexicon::Lexicon;
use crate::matcher::Hit;
use crate::table::Table;

/// The unit of the report's co-occurrence: a paragraph relates terms more
/// tightly than a whole document, and survives the missing sentence
/// punctuation of headlines and lists better than sentences do.
pub const REPORT_UNIT: Unit = Unit::Paragraph;

/// Every aggregate a report needs, fed by one pass.
#[derive(Debug, Clone)]
pub struct ReportAggregate {
    /// What was read.
    pub corpus: CorpusStats,
    /// Hits per term over the whole corpus.
    pub counts: Counts,
    /// Hits per term per period.
    pub trend: Trend,
    /// Pairs of terms in the same paragraph.
    pub cooc: Cooc,
}

impl ReportAggregate {
    /// An empty report aggregate by `period` for `term_count` terms.
    pub fn new(period: Period, term_count: usize) -> ReportAggregate {
        let counts = CountOptions {
            grouping: Grouping::All,
            all_terms: false,
            nesting: false,
            terms: None,
        };
        let cooc = CoocOptions {
            unit: REPORT_UNIT,
            grouping: Grouping::All,
            min: 1,
            terms: None,
            sort: Measure::NAb,
            sites: false,
        };
        ReportAggregate {
            corpus: CorpusStats::new(Grouping::All),
            counts: Counts::new(counts, term_count),
            trend: Trend::new(period, term_count),
            cooc: Cooc::new(cooc, term_count),
        }
    }

    /// The keyness table of the last period against the last earlier
    /// period that has documents ([`compare_table`] columns), with those
    /// two periods' labels; `None` when fewer than two periods have
    /// documents. Periods between them without documents are passed over:
    /// an empty period has no tokens to compare with, and both lists of
    /// the report would say "None" whatever the corpus holds.
    pub fn last_change(
        &self,
        lexicon: &Lexicon,
    ) -> Option<(String, String, Table)> {
        let has_docs = |p: &&String| {
            self.trend.period_counts(p).is_some_and(|g| g.docs > 0)
        };
        let periods = self.trend.periods();
        let mut with_docs = periods.iter().rev().filter(has_docs);
        let (last, before) = (with_docs.next()?, with_docs.next()?);
        let side = |label: &str| {
            let mut c = Counts::new(
                CountOptions {
                    grouping: Grouping::All,
                    all_terms: false,
                    nesting: false,
                    terms: None,
                },
                lexicon.terms.len(),
            );
            if let Some(g) = self.trend.period_counts(label) {
                c.groups.insert(
                    super::GroupKey { rank: (0, 0), label: String::new() },
                    g.clone(),
                );
            }
            c
        };
        let table = compare_table(lexicon, &side(before), &side(last));
        Some((before.clone(), last.clone(), table))
    }
}

impl Aggregate for ReportAggregate {
    fn add(&mut self, doc: &Document, size: &DocSize, hits: &[Hit]) {
        self.corpus.add(doc, size, hits);
        self.counts.add(doc, size, hits);
        self.trend.add(doc, size, hits);
        self.cooc.add(doc, size, hits);
    }

    fn merge(&mut self, other: ReportAggregate) {
        self.corpus.merge(other.corpus);
        self.counts.merge(other.counts);
        self.trend.merge(other.trend);
        self.cooc.merge(other.cooc);
    }
}
