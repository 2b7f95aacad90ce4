//! `scan`: every match site with its status (confirmed, unconfirmed,
//! excluded), the rows behind every count, for audit.
//!
//! Rows are kept per document, by rank, so that their order (corpus
//! order, then offset) does not depend on the thread count. `tifa scan`
//! aggregates one batch of documents at a time and writes its rows as
//! the batches complete ([`crate::pipeline::stream`]): memory grows with
//! the rows of a batch, not with those of the corpus.

use std::collections::BTreeMap;

use super::filter::MatchFilter;
use super::{Aggregate, DocSize};
use crate::corpus::Document;
use crate::lexicon::{Lang, Lexicon, TermId};
use crate::matcher::{FormId, Hit, Matcher, Status};
use crate::table::{Cell, Table, int, text};

/// The columns of `tifa scan`.
pub const COLUMNS: [&str; 10] = [
    "doc", "date", "term", "lang", "form", "match", "start", "end", "line",
    "status",
];

/// One match site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanRow {
    /// The term.
    pub term: TermId,
    /// The form, expansion or exclusion that matched.
    pub form: FormId,
    /// The language it counts in (`hits_zh` or `hits_en`): an English
    /// form inside Chinese prose counts as Chinese.
    pub lang: Lang,
    /// The original text of the match.
    pub matched: String,
    /// Byte offset of the start in the document's text.
    pub start: usize,
    /// Byte offset of the end (exclusive).
    pub end: usize,
    /// 1-based line of the start (`\n`, `\r\n` and `\r` end lines).
    pub line: usize,
    /// Confirmed, unconfirmed or excluded.
    pub status: Status,
}

/// The rows of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocRows {
    /// The document id.
    pub id: String,
    /// Its date, when known.
    pub date: Option<String>,
    /// Its rows, by start.
    pub rows: Vec<ScanRow>,
}

/// The scan aggregate: selected rows by document, in corpus order.
#[derive(Debug, Clone)]
pub struct Scan {
    filter: MatchFilter,
    /// Documents with at least one row, by [`Document::rank`].
    pub docs: BTreeMap<(u32, u32), DocRows>,
}

impl Scan {
    /// An empty scan keeping the matches `filter` selects.
    pub fn new(filter: MatchFilter) -> Scan {
        Scan { filter, docs: BTreeMap::new() }
    }

    /// Rows per term and status, for checks against `count`.
    pub fn tally(&self) -> BTreeMap<(TermId, Status), u64> {
        let mut out = BTreeMap::new();
        for row in self.docs.values().flat_map(|d| &d.rows) {
            *out.entry((row.term, row.status)).or_insert(0) += 1;
        }
        out
    }

    /// The result table, one row per match, in corpus order then offset.
    pub fn table(&self, lexicon: &Lexicon, matcher: &Matcher) -> Table {
        let mut table = Table::new(COLUMNS).numbers(["start", "end", "line"]);
        for doc in self.docs.values() {
            let date = doc.date.as_deref().map_or(Cell::Null, text);
            for r in &doc.rows {
                table.push(vec![
                    text(doc.id.clone()),
                    date.clone(),
                    text(lexicon.terms[r.term].id.clone()),
                    text(r.lang.code()),
                    text(matcher.forms()[r.form].text.clone()),
                    text(r.matched.clone()),
                    int(r.start as u64),
                    int(r.end as u64),
                    int(r.line as u64),
                    text(r.status.name()),
                ]);
            }
        }
        table
    }
}

impl Aggregate for Scan {
    fn add(&mut self, doc: &Document, _size: &DocSize, hits: &[Hit]) {
        let mut lines = LineCounter::new(&doc.text);
        let rows: Vec<ScanRow> = hits
            .iter()
            .filter(|h| self.filter.keeps(h))
            .map(|h| ScanRow {
                term: h.term,
                form: h.form,
                lang: super::text_lang(&doc.text, h),
                matched: doc.text[h.start..h.end].to_string(),
                start: h.start,
                end: h.end,
                line: lines.line_at(h.start),
                status: h.status,
            })
            .collect();
        if !rows.is_empty() {
            let id = doc.id.to_string();
            self.docs.insert(
                doc.rank,
                DocRows {
                    id,
                    date: doc.date.as_deref().map(String::from),
                    rows,
                },
            );
        }
    }

    fn merge(&mut self, other: Scan) {
        self.docs.extend(other.docs);
    }
}

/// Line numbers of increasing offsets in one pass over the text.
#[derive(Debug)]
pub struct LineCounter<'t> {
    text: &'t [u8],
    at: usize,
    line: usize,
}

impl<'t> LineCounter<'t> {
    /// Starts at line 1, offset 0.
    pub fn new(text: &'t str) -> LineCounter<'t> {
        LineCounter { text: text.as_bytes(), at: 0, line: 1 }
    }

    /// The 1-based line holding byte `pos`; `\r\n` is one line break, and
    /// so are a lone `\n` and a lone `\r`. Offsets that go back restart
    /// the count.
    pub fn line_at(&mut self, pos: usize) -> usize {
        if pos < self.at {
            (self.at, self.line) = (0, 1);
        }
        let t = self.text;
        for i in self.at..pos.min(t.len()) {
            let ends_line = t[i] == b'\n'
                || (t[i] == b'\r' && t.get(i + 1) != Some(&b'\n'));
            self.line += usize::from(ends_line);
        }
        self.at = pos;
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        let t = "a\nb\r\nc\rd\n\ne";
        let mut l = LineCounter::new(t);
        let at = |c: char| t.find(c).unwrap();
        assert_eq!(l.line_at(at('a')), 1);
        assert_eq!(l.line_at(at('b')), 2);
        assert_eq!(l.line_at(at('c')), 3);
        assert_eq!(l.line_at(at('d')), 4);
        assert_eq!(l.line_at(at('e')), 6);
        assert_eq!(l.line_at(at('b')), 2);
    }
}
