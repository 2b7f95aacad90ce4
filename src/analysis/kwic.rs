//! `kwic`: concordance lines (keyword in context) for chosen terms, and
//! reproducible random samples of them for precision audits.
//!
//! Context is cut at character boundaries of the original text, `width`
//! characters on each side, a line break (`\r\n`, `\n` or `\r`) counting as
//! one character and shown as `⏎`, so that each line stays one row. The
//! match itself is the exact quote, as `scan`'s `match` is: its offset
//! and length point into the text, and a ⏎ written in the text stays
//! apart from a line break.
//! Lines are kept per document, as in `scan`, so that their order does
//! not depend on the thread count. In corpus order (see
//! [`KwicOptions::in_corpus_order`]) they are aggregated and written a
//! batch of documents at a time, as `scan`'s rows are; sorted by context
//! or sampled, every line is kept until the end.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::str::FromStr;

use super::filter::MatchFilter;
use super::{Aggregate, DocSize};
use crate::corpus::Document;
use crate::hash::{FNV_OFFSET, SPLITMIX64_GAMMA, fnv1a, splitmix64_mix};
use crate::lexicon::{Lexicon, TermId};
use crate::matcher::{Hit, Status};
use crate::normalize;
use crate::table::{Cell, Table, int, text};

/// How a line break is shown in context.
pub const LINE_BREAK: char = '⏎';

/// Order of concordance lines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum KwicSort {
    /// Corpus order, then offset.
    #[default]
    Position,
    /// By the left context read from the match outwards (right to left).
    Left,
    /// By the right context.
    Right,
}

impl FromStr for KwicSort {
    type Err = String;

    fn from_str(s: &str) -> Result<KwicSort, String> {
        match s {
            "position" | "doc" => Ok(KwicSort::Position),
            "left" => Ok(KwicSort::Left),
            "right" => Ok(KwicSort::Right),
            _ => Err(format!("unknown sort {s:?} (left, right, position)")),
        }
    }
}

/// A random sample of `n` lines per term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    /// Lines per term (all of them when a term has fewer).
    pub n: usize,
    /// The seed: the same seed, corpus and lexicon give the same sample.
    pub seed: u64,
}

/// How lines are chosen and shown.
#[derive(Debug, Clone, Default)]
pub struct KwicOptions {
    /// Characters of context on each side.
    pub width: usize,
    /// Order of the lines.
    pub sort: KwicSort,
    /// At most this many lines, after sampling and sorting.
    pub limit: Option<usize>,
    /// Sample per term; adds an empty `correct` column to fill in.
    pub sample: Option<Sample>,
}

impl KwicOptions {
    /// Whether the lines come in corpus order, so that they can be written
    /// as documents complete: neither sorted by context nor sampled (a
    /// sample draws from every line of a term). A limit takes the first.
    pub fn in_corpus_order(&self) -> bool {
        self.sort == KwicSort::Position && self.sample.is_none()
    }
}

/// One concordance line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KwicLine {
    /// The term.
    pub term: TermId,
    /// The match's status.
    pub status: Status,
    /// Byte offset of the match in the document's text.
    pub start: usize,
    /// Context before the match.
    pub left: String,
    /// The match, exactly as in the original text (line breaks too).
    pub matched: String,
    /// Context after the match.
    pub right: String,
}

/// The lines of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocLines {
    /// The document id.
    pub id: String,
    /// Its date, when known.
    pub date: Option<String>,
    /// Its lines, by start.
    pub lines: Vec<KwicLine>,
}

/// The concordance aggregate.
#[derive(Debug, Clone)]
pub struct Kwic {
    filter: MatchFilter,
    options: KwicOptions,
    /// Documents with at least one line, by [`Document::rank`].
    pub docs: BTreeMap<(u32, u32), DocLines>,
    /// Bytes of the lines' text: with a wide context, many times that of
    /// their documents.
    held: usize,
}

/// A line with the document it belongs to.
type Entry<'a> = (&'a (u32, u32), &'a DocLines, &'a KwicLine);

impl Kwic {
    /// An empty concordance of the matches `filter` selects.
    pub fn new(filter: MatchFilter, options: KwicOptions) -> Kwic {
        Kwic { filter, options, docs: BTreeMap::new(), held: 0 }
    }

    /// The result table: `doc,date,term,left,match,right,start`, plus an
    /// empty `correct` column for a sample; sampled, sorted and limited.
    /// When the filter keeps more than one status, a `status` column
    /// follows `term`: a sample of confirmed and unconfirmed matches mixes
    /// two populations, and `tifa audit` scores each apart.
    pub fn table(&self, lexicon: &Lexicon) -> Table {
        let by_status = self.filter.statuses().len() > 1;
        let mut entries: Vec<Entry> = self
            .docs
            .iter()
            .flat_map(|(rank, d)| d.lines.iter().map(move |l| (rank, d, l)))
            .collect();
        if let Some(sample) = self.options.sample {
            entries = sample_per_term(entries, sample, lexicon);
        }
        let position = |a: &Entry, b: &Entry| {
            (a.0, a.2.start, a.2.term).cmp(&(b.0, b.2.start, b.2.term))
        };
        match self.options.sort {
            KwicSort::Position => entries.sort_by(position),
            KwicSort::Left => sort_by_key_then(&mut entries, position, |e| {
                e.2.left.chars().rev().collect::<String>().to_lowercase()
            }),
            KwicSort::Right => sort_by_key_then(&mut entries, position, |e| {
                e.2.right.to_lowercase()
            }),
        }
        if let Some(limit) = self.options.limit {
            entries.truncate(limit);
        }
        let mut columns = vec!["doc", "date", "term"];
        if by_status {
            columns.push("status");
        }
        columns.extend(["left", "match", "right", "start"]);
        if self.options.sample.is_some() {
            columns.push("correct");
        }
        let mut table = Table::new(columns).numbers(["start"]);
        for (_, doc, line) in entries {
            let mut row = vec![
                text(doc.id.clone()),
                doc.date.as_deref().map_or(Cell::Null, text),
                text(lexicon.terms[line.term].id.clone()),
            ];
            if by_status {
                row.push(text(line.status.name()));
            }
            row.extend([
                text(line.left.clone()),
                text(line.matched.clone()),
                text(line.right.clone()),
                int(line.start as u64),
            ]);
            if self.options.sample.is_some() {
                row.push(text(""));
            }
            table.push(row);
        }
        table
    }
}

/// Sorts by a key computed once per entry, ties broken by `then`.
fn sort_by_key_then<'a>(
    entries: &mut Vec<Entry<'a>>,
    then: impl Fn(&Entry, &Entry) -> Ordering,
    key: impl Fn(&Entry) -> String,
) {
    let mut keyed: Vec<(String, Entry<'a>)> =
        entries.drain(..).map(|e| (key(&e), e)).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| then(&a.1, &b.1)));
    entries.extend(keyed.into_iter().map(|(_, e)| e));
}

/// `sample.n` entries of each term and status, drawn without replacement
/// from their entries in corpus order, so that the draw depends only on
/// the seed, the term id and the matches, not on threads or other terms.
/// Each status is drawn apart, as a sample of that status alone would be:
/// precision is estimated per term and status, and each needs its own n
/// (pooled, the rarer status would get a handful of lines).
fn sample_per_term<'a>(
    entries: Vec<Entry<'a>>,
    sample: Sample,
    lexicon: &Lexicon,
) -> Vec<Entry<'a>> {
    let mut by_term: BTreeMap<(TermId, Status), Vec<Entry<'a>>> =
        BTreeMap::new();
    for e in entries {
        by_term.entry((e.2.term, e.2.status)).or_default().push(e);
    }
    let mut out = Vec::new();
    for ((term, _), list) in by_term {
        let mut rng = SplitMix64::new(
            sample.seed ^ fnv1a(FNV_OFFSET, lexicon.terms[term].id.as_bytes()),
        );
        let mut picked = choose(list.len(), sample.n, &mut rng);
        picked.sort_unstable();
        out.extend(picked.into_iter().map(|i| list[i]));
    }
    out
}

/// `k` distinct indices below `n` (all of them when `k >= n`), by a
/// partial Fisher-Yates shuffle.
fn choose(n: usize, k: usize, rng: &mut SplitMix64) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..n).collect();
    let k = k.min(n);
    for i in 0..k {
        let j = i + rng.below((n - i) as u64) as usize;
        idx.swap(i, j);
    }
    idx.truncate(k);
    idx
}

/// splitmix64 (Steele, Lea, Flood 2014): tiny, fast and fully specified,
/// so that a sample can be redrawn from its seed by any implementation.
#[derive(Debug, Clone)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(SPLITMIX64_GAMMA);
        splitmix64_mix(self.0)
    }

    /// A number below `n` (> 0), by multiply-shift (Lemire): the bias is
    /// below n / 2^64, far under what an audit sample can see.
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }
}

impl Aggregate for Kwic {
    fn add(&mut self, doc: &Document, _size: &DocSize, hits: &[Hit]) {
        let width = self.options.width;
        let lines: Vec<KwicLine> = hits
            .iter()
            .filter(|h| self.filter.keeps(h))
            .map(|h| {
                let (left, _, right) =
                    context(&doc.text, h.start, h.end, width);
                KwicLine {
                    term: h.term,
                    status: h.status,
                    start: h.start,
                    left,
                    // The quote as written: a match across a line break
                    // is shown with ⏎ only where rows must stay lines
                    // (`tifa kwic` on a terminal and in Markdown).
                    matched: doc.text[h.start..h.end].to_string(),
                    right,
                }
            })
            .collect();
        if !lines.is_empty() {
            self.held += lines
                .iter()
                .map(|l| l.left.len() + l.matched.len() + l.right.len())
                .sum::<usize>();
            let id = doc.id.to_string();
            let date = doc.date.as_deref().map(String::from);
            self.docs.insert(doc.rank, DocLines { id, date, lines });
        }
    }

    fn merge(&mut self, other: Kwic) {
        self.docs.extend(other.docs);
        self.held += other.held;
    }

    fn weight(&self) -> usize {
        self.held
    }
}

/// Left context, match and right context of `text[start..end]`, `width`
/// characters on each side, line breaks shown as [`LINE_BREAK`].
pub fn context(
    text: &str,
    start: usize,
    end: usize,
    width: usize,
) -> (String, String, String) {
    let before = &text[..start];
    let mut from = start;
    let mut chars = before.char_indices().rev().peekable();
    for _ in 0..width {
        let Some((i, c)) = chars.next() else { break };
        from = i;
        if c == '\n' && chars.peek().is_some_and(|&(_, p)| p == '\r') {
            from = chars.next().map_or(i, |(j, _)| j);
        }
    }
    let after = &text[end..];
    let mut to = end;
    let mut chars = after.char_indices().peekable();
    for _ in 0..width {
        let Some((i, c)) = chars.next() else { break };
        to = end + i + c.len_utf8();
        if c == '\r' && chars.peek().is_some_and(|&(_, n)| n == '\n') {
            chars.next();
            to += 1;
        }
    }
    (
        show_breaks(&text[from..start]),
        show_breaks(&text[start..end]),
        show_breaks(&text[end..to]),
    )
}

/// Each line break (`\r\n`, `\n`, `\r`) as one [`LINE_BREAK`].
pub fn show_breaks(s: &str) -> String {
    if !s.contains(normalize::is_line_break) {
        return s.to_string();
    }
    s.replace("\r\n", "\n").replace(normalize::is_line_break, "⏎")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(text: &str, m: &str, width: usize) -> (String, String, String) {
        let start = text.find(m).unwrap();
        context(text, start, start + m.len(), width)
    }

    #[test]
    fn cuts_at_characters() {
        let c = ctx("一二三四五两重六七八九十", "两重", 3);
        assert_eq!(c, ("三四五".into(), "两重".into(), "六七八".into()));
        let c = ctx("两重", "两重", 3);
        assert_eq!(c, ("".into(), "两重".into(), "".into()));
    }

    #[test]
    fn line_breaks_are_one_character_each() {
        let c = ctx("a\r\n\r\nb两重c\rd\ne\r\nf", "两重", 3);
        assert_eq!(c, ("⏎⏎b".into(), "两重".into(), "c⏎d".into()));
        let c = ctx("x\r\n两重\r\ny", "两重", 1);
        assert_eq!(c, ("⏎".into(), "两重".into(), "⏎".into()));
        assert_eq!(show_breaks("新质生\n产力"), "新质生⏎产力");
        assert_eq!(show_breaks("a\u{2028}b\u{2029}c\u{85}d"), "a⏎b⏎c⏎d");
    }

    /// What a concordance holds grows with its width, and its weight
    /// (what a streamed batch waiting for its turn counts) says so.
    #[test]
    fn weight_is_the_lines_text() {
        use crate::lexicon::Lang;
        let text = "甲".repeat(100) + "两重" + &"乙".repeat(100);
        let doc = Document { text: text.clone(), ..Document::default() };
        let hit = Hit {
            term: 0,
            form: 0,
            lang: Lang::Zh,
            start: 300,
            end: 306,
            status: Status::Confirmed,
        };
        let weight = |width: usize| {
            let options = KwicOptions { width, ..KwicOptions::default() };
            let mut k =
                Kwic::new(MatchFilter::new(&[], None), options.clone());
            k.add(&doc, &DocSize::default(), &[hit]);
            let mut other = Kwic::new(MatchFilter::new(&[], None), options);
            let next = Document { rank: (0, 1), ..doc.clone() };
            other.add(&next, &DocSize::default(), &[hit]);
            k.merge(other);
            k.weight()
        };
        assert_eq!(weight(10), 2 * (30 + 6 + 30));
        assert_eq!(weight(80), 2 * (240 + 6 + 240));
    }

    #[test]
    fn splitmix_reference_values() {
        // First outputs for seed 0, as published with the algorithm.
        let mut r = SplitMix64::new(0);
        assert_eq!(r.next(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn choose_is_a_subset_without_repeats() {
        let mut r = SplitMix64::new(7);
        let mut c = choose(10, 4, &mut r);
        c.sort_unstable();
        c.dedup();
        assert_eq!(c.len(), 4);
        assert!(c.iter().all(|&i| i < 10));
        assert_eq!(choose(3, 5, &mut r).len(), 3);
    }
}
