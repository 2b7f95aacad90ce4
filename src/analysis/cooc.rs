//! Co-occurrence: which formulations occur in the same unit (document,
//! paragraph, sentence or window, see [`Unit`]), and how strongly they are
//! associated, from the 2×2 table of units of each pair.
//!
//! Only confirmed matches count, and a term is one term whatever the
//! language or form of its matches: it is in a unit or not, and it never
//! pairs with itself. Per unit, the terms found are a short sorted vector
//! and the pairs come from it, so the cost grows with the matches, never
//! with the square of the lexicon.
//!
//! # Measures
//!
//! With `N` units, `n_a` units holding term a, `n_b` holding b and `n_ab`
//! holding both (`1 ≤ n_ab` for every pair listed):
//!
//! - `pmi = log2(n_ab·N / (n_a·n_b))`: 0 when the pair meets as often as
//!   chance would have it, positive when more often;
//! - `npmi = pmi / −log2(n_ab/N)`, in [−1, 1]; 1 by convention when
//!   `n_ab = N` (both terms in every unit, where the formula is 0/0);
//! - `dice = 2·n_ab / (n_a + n_b)` and `jaccard = n_ab / (n_a + n_b − n_ab)`,
//!   in (0, 1];
//! - `llr`: Dunning's G² = 2·Σ O·ln(O/E) over the four cells of the 2×2
//!   table (a present or not × b present or not), with 0·ln 0 = 0. It is
//!   ≥ 0 and measures the evidence of association in either direction:
//!   `pmi < 0` says the pair meets less often than chance.
//!
//! Every measure is defined for every pair listed: no cell is empty.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::str::FromStr;

use super::kwic::show_breaks;
use super::scan::LineCounter;
use super::units::{self, Unit};
use super::{Aggregate, DocSize, GroupKey, Grouping};
use crate::corpus::Document;
use crate::lexicon::{Lexicon, TermId};
use crate::matcher::{Hit, Status};
use crate::segment;
use crate::table::{Cell, Table, float, int, text};

/// Decimals of the measures in output.
const DIGITS: i32 = 4;

/// A column that pairs can be sorted or weighted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Measure {
    /// Units holding both terms.
    #[default]
    NAb,
    /// Pointwise mutual information.
    Pmi,
    /// Normalized pointwise mutual information.
    Npmi,
    /// Dice coefficient.
    Dice,
    /// Jaccard index.
    Jaccard,
    /// Dunning's log-likelihood ratio G².
    Llr,
}

impl Measure {
    /// Every measure, in the order of the table's columns.
    const ALL: [Measure; 6] = [
        Measure::NAb,
        Measure::Pmi,
        Measure::Npmi,
        Measure::Dice,
        Measure::Jaccard,
        Measure::Llr,
    ];

    /// The measure's column name, as `--sort` and `--weight` take it.
    pub fn name(self) -> &'static str {
        match self {
            Measure::NAb => "n_ab",
            Measure::Pmi => "pmi",
            Measure::Npmi => "npmi",
            Measure::Dice => "dice",
            Measure::Jaccard => "jaccard",
            Measure::Llr => "llr",
        }
    }
}

impl FromStr for Measure {
    type Err = String;

    fn from_str(s: &str) -> Result<Measure, String> {
        Measure::ALL.into_iter().find(|m| m.name() == s).ok_or_else(|| {
            format!(
                "unknown measure {s:?} (n_ab, pmi, npmi, dice, jaccard, llr)"
            )
        })
    }
}

/// Options of a co-occurrence count.
#[derive(Debug, Clone)]
pub struct CoocOptions {
    /// What a unit is.
    pub unit: Unit,
    /// How documents are grouped; each group has its own units.
    pub grouping: Grouping,
    /// List pairs found together in at least this many units (0 acts as
    /// 1: a pair is never listed from nothing).
    pub min: u64,
    /// List only pairs with one of these terms (`None`: every pair).
    pub terms: Option<Vec<TermId>>,
    /// Order of the pairs: this measure descending, then the term ids.
    pub sort: Measure,
    /// Keep each unit holding two terms or more, for [`Cooc::sites`].
    pub sites: bool,
}

/// The association measures of a pair (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Association {
    /// Pointwise mutual information, in bits.
    pub pmi: f64,
    /// PMI normalized to [−1, 1].
    pub npmi: f64,
    /// Dice coefficient.
    pub dice: f64,
    /// Jaccard index.
    pub jaccard: f64,
    /// Dunning's G².
    pub llr: f64,
}

impl Association {
    /// The measures of a pair found together in `n_ab` of `n` units, its
    /// terms in `n_a` and `n_b`.
    ///
    /// # Panics
    ///
    /// When the counts cannot come from one corpus: `n_ab` must be at
    /// least 1 and at most `n_a` and `n_b`, and `n_a + n_b − n_ab` at most
    /// `n`.
    pub fn new(n_ab: u64, n_a: u64, n_b: u64, n: u64) -> Association {
        assert!(
            n_ab >= 1 && n_ab <= n_a.min(n_b) && n_a + n_b - n_ab <= n,
            "inconsistent counts n_ab={n_ab} n_a={n_a} n_b={n_b} N={n}"
        );
        // Exact integer products, one rounding: pmi is exactly 0 at
        // independence.
        let ratio = (u128::from(n_ab) * u128::from(n)) as f64
            / (u128::from(n_a) * u128::from(n_b)) as f64;
        let pmi = ratio.log2();
        let npmi = if n_ab == n {
            1.0
        } else {
            pmi / -(n_ab as f64 / n as f64).log2()
        };
        Association {
            pmi,
            npmi,
            dice: 2.0 * n_ab as f64 / (n_a + n_b) as f64,
            jaccard: n_ab as f64 / (n_a + n_b - n_ab) as f64,
            llr: g_squared([
                [n_ab, n_a - n_ab],
                [n_b - n_ab, n + n_ab - n_a - n_b],
            ]),
        }
    }
}

/// Dunning's G² = 2·Σ O·ln(O/E) of a 2×2 table of counts, the expected
/// counts from its margins, with 0·ln 0 = 0. Zero for an empty table.
pub fn g_squared(observed: [[u64; 2]; 2]) -> f64 {
    let rows =
        [observed[0][0] + observed[0][1], observed[1][0] + observed[1][1]];
    let cols =
        [observed[0][0] + observed[1][0], observed[0][1] + observed[1][1]];
    let n = (rows[0] + rows[1]) as f64;
    let mut sum = 0.0;
    for (i, row) in observed.iter().enumerate() {
        for (j, &o) in row.iter().enumerate() {
            if o > 0 {
                let expected = rows[i] as f64 * cols[j] as f64 / n;
                sum += o as f64 * (o as f64 / expected).ln();
            }
        }
    }
    // Rounding can leave a hair below zero at independence.
    (2.0 * sum).max(0.0)
}

/// One listed pair.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair {
    /// The term whose id sorts first.
    pub a: TermId,
    /// The other term.
    pub b: TermId,
    /// Units holding both.
    pub n_ab: u64,
    /// Units holding a.
    pub n_a: u64,
    /// Units holding b.
    pub n_b: u64,
    /// Units of the group.
    pub n_units: u64,
    /// Its measures.
    pub association: Association,
}

impl Pair {
    /// The value of `measure`.
    pub fn value(&self, measure: Measure) -> f64 {
        let s = &self.association;
        match measure {
            Measure::NAb => self.n_ab as f64,
            Measure::Pmi => s.pmi,
            Measure::Npmi => s.npmi,
            Measure::Dice => s.dice,
            Measure::Jaccard => s.jaccard,
            Measure::Llr => s.llr,
        }
    }
}

/// The units of one group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupCooc {
    /// Units, with or without matches.
    pub units: u64,
    /// Units holding each term, indexed by term id.
    pub term_units: Vec<u64>,
    /// Units holding both terms of a pair (smaller id first).
    pub pairs: HashMap<(u32, u32), u64>,
}

impl GroupCooc {
    fn new(term_count: usize) -> GroupCooc {
        GroupCooc {
            units: 0,
            term_units: vec![0; term_count],
            pairs: HashMap::new(),
        }
    }

    /// Adds one unit holding `terms` (sorted, without repeats).
    fn add_unit(&mut self, terms: &[u32]) {
        self.units += 1;
        for (i, &a) in terms.iter().enumerate() {
            self.term_units[a as usize] += 1;
            for &b in &terms[i + 1..] {
                *self.pairs.entry((a, b)).or_insert(0) += 1;
            }
        }
    }

    fn merge(&mut self, other: GroupCooc) {
        self.units += other.units;
        for (a, b) in self.term_units.iter_mut().zip(&other.term_units) {
            *a += b;
        }
        for (key, n) in other.pairs {
            *self.pairs.entry(key).or_insert(0) += n;
        }
    }
}

/// A unit holding two terms or more: where the `n_ab` of its pairs come
/// from.
#[derive(Debug, Clone)]
struct Site {
    group: GroupKey,
    rank: (u32, u32),
    doc: String,
    date: Option<String>,
    /// Byte offsets of the unit in the document's text.
    span: Range<usize>,
    line: usize,
    /// The unit's text, line breaks shown as ⏎, cut at [`SITE_CHARS`].
    excerpt: String,
    /// Its terms, sorted, without repeats.
    terms: Vec<u32>,
}

/// Characters of a unit's text shown by [`Cooc::sites`]; a longer unit
/// (a whole document) is cut, with `…`, and its offsets still say all.
const SITE_CHARS: usize = 300;

/// The co-occurrence aggregate.
#[derive(Debug, Clone)]
pub struct Cooc {
    options: CoocOptions,
    term_count: usize,
    /// Groups in output order.
    pub groups: BTreeMap<GroupKey, GroupCooc>,
    /// With `sites`: every unit holding two terms or more.
    sites: Vec<Site>,
    /// Confirmed matches of the document: (start, term).
    found: Vec<(usize, u32)>,
    /// Terms of the current unit.
    unit_terms: Vec<u32>,
    /// Character offsets of the starts in `found` (windows only).
    chars: Vec<usize>,
}

impl Cooc {
    /// An empty aggregate for a lexicon of `term_count` terms.
    pub fn new(options: CoocOptions, term_count: usize) -> Cooc {
        Cooc {
            options,
            term_count,
            groups: BTreeMap::new(),
            sites: Vec::new(),
            found: Vec::new(),
            unit_terms: Vec::new(),
            chars: Vec::new(),
        }
    }

    /// The options it was made with.
    pub fn options(&self) -> &CoocOptions {
        &self.options
    }

    /// The listed pairs of each group, in output order: by the sort
    /// measure descending (as rounded in output), then by term ids.
    pub fn pairs(&self) -> Vec<(&GroupKey, Vec<Pair>)> {
        self.groups.iter().map(|(key, g)| (key, self.listed(g))).collect()
    }

    /// The pairs of group `g` that pass `min` and `terms`, sorted.
    fn listed(&self, g: &GroupCooc) -> Vec<Pair> {
        let focus = self.options.terms.as_deref();
        let wanted = |a: usize, b: usize| {
            focus.is_none_or(|f| f.contains(&a) || f.contains(&b))
        };
        let mut pairs: Vec<Pair> = g
            .pairs
            .iter()
            .map(|(&(a, b), &n_ab)| (a as usize, b as usize, n_ab))
            .filter(|&(a, b, n_ab)| n_ab >= self.options.min && wanted(a, b))
            .map(|(a, b, n_ab)| {
                let (n_a, n_b, n) =
                    (g.term_units[a], g.term_units[b], g.units);
                let association = Association::new(n_ab, n_a, n_b, n);
                Pair { a, b, n_ab, n_a, n_b, n_units: n, association }
            })
            .collect();
        let key = |p: &Pair| rounded(p.value(self.options.sort));
        pairs.sort_by(|x, y| {
            key(y).total_cmp(&key(x)).then((x.a, x.b).cmp(&(y.a, y.b)))
        });
        pairs
    }

    /// `[group,] term_a,term_b,n_ab,n_a,n_b,n_units,pmi,npmi,dice,jaccard,llr`.
    pub fn table(&self, lexicon: &Lexicon) -> Table {
        let mut table = Table::new(self.columns(&[
            "term_a", "term_b", "n_ab", "n_a", "n_b", "n_units", "pmi",
            "npmi", "dice", "jaccard", "llr",
        ]))
        .numbers([
            "n_ab", "n_a", "n_b", "n_units", "pmi", "npmi", "dice", "jaccard",
            "llr",
        ]);
        for (key, pairs) in self.pairs() {
            for p in pairs {
                let s = &p.association;
                let mut row = self.group_cell(key);
                row.extend([
                    text(lexicon.terms[p.a].id.clone()),
                    text(lexicon.terms[p.b].id.clone()),
                    int(p.n_ab),
                    int(p.n_a),
                    int(p.n_b),
                    int(p.n_units),
                    measure(s.pmi),
                    measure(s.npmi),
                    measure(s.dice),
                    measure(s.jaccard),
                    measure(s.llr),
                ]);
                table.push(row);
            }
        }
        table
    }

    /// The units behind each listed pair's `n_ab`, for audit:
    /// `[group,] term_a,term_b,doc,date,start,end,line,text`, one row per
    /// unit and pair, in corpus order. The pairs are those that `totals`
    /// lists (same `--min` and `--term`): this aggregate's own, or, when
    /// the sites are written batch by batch in a second pass, the first
    /// pass's. `start`/`end` are byte offsets of the unit in the
    /// document's text, as `scan`'s, and `line` that of its start.
    pub fn sites(&self, lexicon: &Lexicon, totals: &Cooc) -> Table {
        let mut table = Table::new(self.columns(&[
            "term_a", "term_b", "doc", "date", "start", "end", "line", "text",
        ]))
        .numbers(["start", "end", "line"]);
        let focus = totals.options.terms.as_deref();
        let listed = |group: &GroupKey, a: usize, b: usize| {
            let pairs = totals.groups.get(group).map(|g| &g.pairs);
            pairs
                .and_then(|p| p.get(&(a as u32, b as u32)))
                .is_some_and(|&n_ab| n_ab >= totals.options.min)
                && focus.is_none_or(|f| f.contains(&a) || f.contains(&b))
        };
        let mut sites: Vec<&Site> = self.sites.iter().collect();
        sites.sort_by_key(|s| (s.rank, s.span.start));
        for site in sites {
            for (i, &a) in site.terms.iter().enumerate() {
                for &b in &site.terms[i + 1..] {
                    let (a, b) = (a as usize, b as usize);
                    if !listed(&site.group, a, b) {
                        continue;
                    }
                    let mut row = self.group_cell(&site.group);
                    row.extend([
                        text(lexicon.terms[a].id.clone()),
                        text(lexicon.terms[b].id.clone()),
                        text(site.doc.clone()),
                        site.date.clone().map_or(Cell::Null, text),
                        int(site.span.start as u64),
                        int(site.span.end as u64),
                        int(site.line as u64),
                        text(site.excerpt.clone()),
                    ]);
                    table.push(row);
                }
            }
        }
        table
    }

    /// A Gephi edge list, `[group,] Source,Target,Weight`, the weight
    /// being `weight`; the rows of [`table`](Cooc::table), in its order,
    /// and how many pairs were left out. Pairs whose weight, as written,
    /// is 0 or less (PMI and NPMI below chance) are left out: Gephi and
    /// force-directed layouts need positive weights, and a network of
    /// association is read from the pairs that attract, as with positive
    /// PMI.
    pub fn edges(&self, lexicon: &Lexicon, weight: Measure) -> (Table, u64) {
        let mut table =
            Table::new(self.columns(&["Source", "Target", "Weight"]))
                .numbers(["Weight"]);
        let mut left_out = 0;
        for (key, pairs) in self.pairs() {
            for p in pairs {
                let w = match weight {
                    Measure::NAb => int(p.n_ab),
                    m if rounded(p.value(m)) <= 0.0 => {
                        left_out += 1;
                        continue;
                    }
                    m => measure(p.value(m)),
                };
                let mut row = self.group_cell(key);
                row.extend([
                    text(lexicon.terms[p.a].id.clone()),
                    text(lexicon.terms[p.b].id.clone()),
                    w,
                ]);
                table.push(row);
            }
        }
        (table, left_out)
    }

    /// A square matrix of `n_ab`: `[group,] term` then one column per term
    /// found anywhere, sorted by id; per group, one row per column, so
    /// that each group's rows reshape into a square. The diagonal holds
    /// `n_a`; a pair not listed (below `min`, or outside `terms`), and a
    /// term the group lacks, show 0.
    pub fn matrix(&self, lexicon: &Lexicon) -> Table {
        let found: BTreeSet<TermId> = self
            .groups
            .values()
            .flat_map(|g| {
                (0..self.term_count).filter(|&t| g.term_units[t] > 0)
            })
            .collect();
        let found: Vec<TermId> = found.into_iter().collect();
        let mut columns = vec!["term"];
        columns.extend(found.iter().map(|&t| lexicon.terms[t].id.as_str()));
        let mut table = Table::new(self.columns(&columns));
        let first = table.columns.len() - found.len();
        table.number_at(first..table.columns.len());
        for (key, pairs) in self.pairs() {
            let g = &self.groups[key];
            let n_ab: HashMap<(TermId, TermId), u64> =
                pairs.iter().map(|p| ((p.a, p.b), p.n_ab)).collect();
            for &a in &found {
                let mut row = self.group_cell(key);
                row.push(text(lexicon.terms[a].id.clone()));
                row.extend(found.iter().map(|&b| {
                    int(match a.cmp(&b) {
                        Ordering::Equal => g.term_units[a],
                        Ordering::Less => {
                            n_ab.get(&(a, b)).copied().unwrap_or(0)
                        }
                        Ordering::Greater => {
                            n_ab.get(&(b, a)).copied().unwrap_or(0)
                        }
                    })
                }));
                table.push(row);
            }
        }
        table
    }

    /// The group column, when there is one, then `rest`.
    fn columns<'a>(&'a self, rest: &[&'a str]) -> Vec<&'a str> {
        let group = self.options.grouping.column();
        let mut columns = Vec::with_capacity(rest.len() + 1);
        if !group.is_empty() {
            columns.push(group);
        }
        columns.extend_from_slice(rest);
        columns
    }

    /// The first cells of a row of group `key`.
    fn group_cell(&self, key: &GroupKey) -> Vec<Cell> {
        if self.options.grouping.column().is_empty() {
            Vec::new()
        } else {
            vec![text(key.label.clone())]
        }
    }

    /// Calls `each` with the span and the terms (sorted, without repeats)
    /// of every unit of one document.
    fn units_of(
        unit: Unit,
        text: &str,
        found: &[(usize, u32)],
        unit_terms: &mut Vec<u32>,
        chars: &mut Vec<usize>,
        each: impl FnMut(Range<usize>, &[u32]),
    ) {
        match unit {
            Unit::Doc => {
                let mut each = each;
                unit_terms.clear();
                unit_terms.extend(found.iter().map(|&(_, t)| t));
                sort_dedup(unit_terms);
                each(0..text.len(), unit_terms);
            }
            Unit::Paragraph => {
                spans(units::paragraphs(text), found, unit_terms, each)
            }
            Unit::Sentence => {
                spans(units::sentences(text), found, unit_terms, each)
            }
            Unit::Window(width) => {
                windows(text, found, width, unit_terms, chars, each)
            }
        }
    }
}

/// One unit per span; each match belongs to the span where it starts
/// (matches never start in the white space between spans).
fn spans(
    spans: impl Iterator<Item = Range<usize>>,
    found: &[(usize, u32)],
    unit_terms: &mut Vec<u32>,
    mut each: impl FnMut(Range<usize>, &[u32]),
) {
    let mut next = 0;
    for span in spans {
        unit_terms.clear();
        while next < found.len() && found[next].0 < span.end {
            if found[next].0 >= span.start {
                unit_terms.push(found[next].1);
            }
            next += 1;
        }
        sort_dedup(unit_terms);
        each(span, unit_terms);
    }
}

/// One unit per confirmed match, holding the terms of the matches that
/// start at most `width` characters after its start (itself included);
/// its span runs from that start over `width` more characters. Both ends
/// only move forward, so a document is walked once, whatever the width:
/// walked again from each match, a wide window over one long document
/// took time in its matches times the width (`window:100000000` over 8 MB
/// and 18,000 matches, two minutes).
fn windows(
    text: &str,
    found: &[(usize, u32)],
    width: usize,
    unit_terms: &mut Vec<u32>,
    chars: &mut Vec<usize>,
    mut each: impl FnMut(Range<usize>, &[u32]),
) {
    chars.clear();
    let (mut at, mut count) = (0, 0);
    for &(start, _) in found {
        count += char_count(&text.as_bytes()[at..start]);
        at = start;
        chars.push(count);
    }
    // The terms of the matches from the current one to `next`, the first
    // too far from it, with how many of each.
    let mut inside: BTreeMap<u32, usize> = BTreeMap::new();
    let mut next = 0;
    // The end of the last span, and its character's index.
    let (mut end, mut end_char) = (0, 0);
    for (i, &(start, term)) in found.iter().enumerate() {
        while next < found.len() && chars[next] - chars[i] <= width {
            *inside.entry(found[next].1).or_default() += 1;
            next += 1;
        }
        unit_terms.clear();
        unit_terms.extend(inside.keys());
        let target = chars[i].saturating_add(width).saturating_add(1);
        if end_char < target {
            end = segment::forward_chars(text, end, target - end_char);
            end_char = target;
        }
        each(start..end, unit_terms);
        if let Some(n) = inside.get_mut(&term) {
            *n -= 1;
            if *n == 0 {
                inside.remove(&term);
            }
        }
    }
}

/// `text` cut at [`SITE_CHARS`] characters (with `…`), line breaks shown
/// as in `kwic`.
fn excerpt(text: &str) -> String {
    match segment::forward_chars(text, 0, SITE_CHARS) {
        cut if cut < text.len() => format!("{}…", show_breaks(&text[..cut])),
        _ => show_breaks(text),
    }
}

/// Characters in valid UTF-8: the bytes that are not continuation bytes,
/// a CR LF counted as one, as context windows count them, so that a
/// corpus saved with Windows line ends has the same windows.
fn char_count(bytes: &[u8]) -> usize {
    let chars = bytes.iter().filter(|&&b| (b as i8) >= -0x40).count();
    chars - memchr::memmem::find_iter(bytes, b"\r\n").count()
}

fn sort_dedup(v: &mut Vec<u32>) {
    v.sort_unstable();
    v.dedup();
}

/// A measure as shown: 4 decimals.
fn measure(x: f64) -> Cell {
    float(Some(x), DIGITS)
}

/// `x` rounded as in output (`-0` made 0), so that the order agrees with
/// what a reader sees.
fn rounded(x: f64) -> f64 {
    crate::table::round(x, DIGITS)
}

impl Aggregate for Cooc {
    fn add(&mut self, doc: &Document, _size: &DocSize, hits: &[Hit]) {
        let key = self.options.grouping.key(doc);
        let keep = self.options.sites.then(|| key.clone());
        let n = self.term_count;
        let group =
            self.groups.entry(key).or_insert_with(|| GroupCooc::new(n));
        self.found.clear();
        self.found.extend(
            hits.iter()
                .filter(|h| h.status == Status::Confirmed)
                .map(|h| (h.start, h.term as u32)),
        );
        let sites = &mut self.sites;
        let mut lines = LineCounter::new(&doc.text);
        Cooc::units_of(
            self.options.unit,
            &doc.text,
            &self.found,
            &mut self.unit_terms,
            &mut self.chars,
            |span, terms| {
                group.add_unit(terms);
                if let Some(key) = keep.as_ref().filter(|_| terms.len() > 1) {
                    sites.push(Site {
                        group: key.clone(),
                        rank: doc.rank,
                        doc: doc.id.to_string(),
                        date: doc.date.as_deref().map(String::from),
                        line: lines.line_at(span.start),
                        excerpt: excerpt(&doc.text[span.clone()]),
                        span,
                        terms: terms.to_vec(),
                    });
                }
            },
        );
    }

    fn merge(&mut self, other: Cooc) {
        self.sites.extend(other.sites);
        for (key, g) in other.groups {
            match self.groups.get_mut(&key) {
                None => {
                    self.groups.insert(key, g);
                }
                Some(mine) => mine.merge(g),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(x: f64, want: f64) -> bool {
        (x - want).abs() < 1e-9
    }

    /// N=4, n_a=2, n_b=2, n_ab=1: exactly what chance predicts. pmi =
    /// log2(1·4/(2·2)) = 0, npmi = 0/2 = 0, dice = 2/4, jaccard = 1/3;
    /// every cell of the 2×2 table is 1 and so is every expected count,
    /// so G² = 0.
    #[test]
    fn independence() {
        let s = Association::new(1, 2, 2, 4);
        assert_eq!((s.pmi, s.npmi, s.llr), (0.0, 0.0, 0.0));
        assert!(close(s.dice, 0.5) && close(s.jaccard, 1.0 / 3.0));
    }

    /// N=5, n_a=n_b=n_ab=2: table [[2,0],[0,3]], expected [[0.8,1.2],
    /// [1.2,1.8]]. G² = 2(2·ln(2/0.8) + 3·ln(3/1.8)) = 2(1.8325815 +
    /// 1.5324769) = 6.7301167; pmi = log2(2.5) = 1.3219281 = −log2(2/5),
    /// so npmi = 1.
    #[test]
    fn perfect_association() {
        let s = Association::new(2, 2, 2, 5);
        assert!(close(s.pmi, 2.5f64.log2()));
        assert!(close(s.npmi, 1.0));
        assert!((s.llr - 6.7301167).abs() < 1e-6);
        assert_eq!((s.dice, s.jaccard), (1.0, 1.0));
    }

    /// N=4, n_a=1, n_b=2, n_ab=1: table [[1,0],[1,2]], expected
    /// [[0.5,0.5],[1.5,1.5]]. G² = 2(ln 2 + ln(2/3) + 2·ln(4/3)) =
    /// 2(0.6931472 − 0.4054651 + 0.5753641) = 1.7260924; pmi = log2(2) =
    /// 1, npmi = 1/log2(4) = 0.5, dice = 2/3, jaccard = 1/2.
    #[test]
    fn asymmetric_pair() {
        let s = Association::new(1, 1, 2, 4);
        assert!(close(s.pmi, 1.0) && close(s.npmi, 0.5));
        assert!((s.llr - 1.7260924).abs() < 1e-6);
        assert!(close(s.dice, 2.0 / 3.0) && close(s.jaccard, 0.5));
    }

    /// Both terms in every unit: npmi is 0/0 and taken as 1; pmi and G²
    /// are 0 (nothing distinguishes the units).
    #[test]
    fn pair_in_every_unit() {
        let s = Association::new(3, 3, 3, 3);
        assert_eq!((s.pmi, s.npmi, s.llr, s.dice), (0.0, 1.0, 0.0, 1.0));
    }

    /// Less often together than chance: N=10, n_a=n_b=6, n_ab=2 (chance
    /// 3.6): pmi = log2(20/36) < 0, and G² > 0 all the same.
    #[test]
    fn negative_association() {
        let s = Association::new(2, 6, 6, 10);
        assert!(s.pmi < 0.0 && s.npmi < 0.0 && s.llr > 0.0);
    }

    #[test]
    #[should_panic(expected = "inconsistent counts")]
    fn inconsistent_counts_panic() {
        Association::new(3, 2, 5, 10);
    }

    #[test]
    fn negative_zero_is_zero() {
        assert_eq!(measure(-1e-12).to_string(), "0.0");
        assert_eq!(measure(1.23456).to_string(), "1.2346");
    }

    fn group_of(unit: Unit, text: &str, found: &[(usize, u32)]) -> GroupCooc {
        let mut g = GroupCooc::new(3);
        Cooc::units_of(
            unit,
            text,
            found,
            &mut Vec::new(),
            &mut Vec::new(),
            |_, terms| g.add_unit(terms),
        );
        g
    }

    #[test]
    fn matches_belong_to_the_unit_where_they_start() {
        // Sentences "甲乙甲。" (bytes 0..12) and "丙 甲。" (12..22): term 0
        // at 0, 6 and 16, term 1 at 3, term 2 at 12.
        let text = "甲乙甲。丙 甲。";
        let found = [(0, 0), (3, 1), (6, 0), (12, 2), (16, 0)];
        let g = group_of(Unit::Sentence, text, &found);
        assert_eq!(g.units, 2);
        assert_eq!(g.term_units, [2, 1, 1]);
        let pairs: BTreeMap<_, _> = g.pairs.into_iter().collect();
        assert_eq!(pairs, BTreeMap::from([((0, 1), 1), ((0, 2), 1)]));
        let g = group_of(Unit::Doc, text, &found);
        assert_eq!((g.units, g.term_units.clone()), (1, vec![1, 1, 1]));
        assert_eq!(g.pairs.len(), 3);
    }

    #[test]
    fn windows_count_characters_between_starts() {
        // 0 at char 0, 1 at char 2, 2 at char 5 (bytes 0, 6, 15).
        let text = "甲乙丙丁戊己";
        let found = [(0, 0), (6, 1), (15, 2)];
        let g = group_of(Unit::Window(2), text, &found);
        // Windows: {0,1}, {1}, {2}.
        assert_eq!((g.units, g.term_units.clone()), (3, vec![1, 2, 1]));
        assert_eq!(g.pairs, HashMap::from([((0, 1), 1)]));
        let g = group_of(Unit::Window(5), text, &found);
        // Windows: {0,1,2}, {1,2}, {2}.
        assert_eq!(g.term_units, [1, 2, 3]);
        assert_eq!(g.pairs[&(1, 2)], 2);
        assert_eq!(g.pairs[&(0, 2)], 1);
    }

    /// A CR LF is one character, as in context windows: Windows line ends
    /// give the windows of Unix ones. (It counted two, and `甲⏎乙` needed
    /// a window one wider.)
    #[test]
    fn windows_count_a_cr_lf_as_one_character() {
        for (text, second) in
            [("甲甲的\n的乙乙", 13), ("甲甲的\r\n的乙乙", 14)]
        {
            let found = [(0, 0), (second, 1)];
            let g = group_of(Unit::Window(4), text, &found);
            assert_eq!(g.pairs.len(), 0, "{text:?}");
            let g = group_of(Unit::Window(5), text, &found);
            assert_eq!(g.pairs, HashMap::from([((0, 1), 1)]), "{text:?}");
        }
        let crlf = format!("{}\r\n", "字".repeat(SITE_CHARS));
        let lf = crlf.replace('\r', "");
        assert_eq!(excerpt(&crlf), excerpt(&lf));
        let long = "一\r\n".repeat(SITE_CHARS);
        assert_eq!(excerpt(&long).chars().count(), SITE_CHARS + 1);
    }
}
