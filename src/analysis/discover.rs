//! `discover`: candidate formulations that the lexicon does not cover yet,
//! found without a language model.
//!
//! # Kinds of candidates
//!
//! * **quoted**: a phrase in quotation marks. Chinese: “…”, 「…」 or ‘…’
//!   holding 2-12 characters, at least one of them Han, and no white space
//!   or sentence punctuation (，。、；：！？ …). English: "…", “…” or ‘…’
//!   holding 1-6 words of letters, digits, `-`, `'`, `+` and `&` (a final
//!   `,` or `.` inside the marks is dropped; ASCII `'` is not a quote mark,
//!   being an apostrophe too). Quotes do not span lines.
//! * **numbered**: a numeral 一二两三四五六七八九十 that starts a jieba word,
//!   an optional 个, 大 or 项, and a body of 1-4 Han characters ending on
//!   the first word boundary, extended over a following word that starts
//!   with a numeral (两新一重, 一带一路, 两学一做). Left out: a body whose
//!   first non-numeral character is a date, ordinal or measure unit (三个月,
//!   十四届, 神舟十八号; `DATE_UNITS`) or a counting unit (两国, 五枚, 三人;
//!   `COUNT_UNITS`) unless the body holds another numeral after it (一国两制,
//!   五位一体); ordinary counted nouns (两个方面, `JUNK_BODY`); a body ending
//!   in a function word (三个不); bodies of numerals only except the
//!   five-year plans 十X五; formulas of 一 without a second numeral (一些,
//!   一体化; 一带一路 stays); and numerals inside a word jieba tags as a place
//!   or time (四川, 三峡, 五年).
//! * **ngram**: 3-8 Han characters inside one run of Han text (never across
//!   punctuation), starting and ending on jieba word boundaries, made of
//!   two words or more (or one word jieba's dictionary lacks), not starting
//!   or ending with a function word (的, 和, 在, 称 …) or a time word (今天),
//!   nor starting with the unit after a number (5日上午, 二十届). n-grams are counted in
//!   two passes over the target: a count-min sketch of fixed size
//!   ([`Sketch`], 48 MB) first, then exact counts only for those the
//!   sketch puts at `min_hits` or more ([`NgramFilter`]; standard input,
//!   read once, has every n-gram counted exactly). Memory grows
//!   with those, a little over 100 bytes each (313,000 in 36 MB of
//!   Xinwen Lianbo): each keeps the place of its first occurrence, and
//!   the examples of the rows written are read again from the files
//!   ([`Examples`]; from stdin, read once, they are kept as found). An
//!   n-gram that is also a quoted or numbered candidate is
//!   listed under that kind only, and one that almost always occurs
//!   inside a longer n-gram (80% of its hits) gives way to it.
//!
//! A candidate is left out when it contains a form, expansion or exclusion
//! of the lexicon (so it equals or extends what is already measured), and
//! an occurrence is not counted when it overlaps a lexicon match (发展新质
//! in 发展新质生产力). A candidate contained in a form still counts where it
//! stands alone: 两新 is news even when 两新一重 is in the lexicon.
//!
//! # Scores
//!
//! Without a reference, the score is the number of hits. With one, it is
//! the log-likelihood G² of the candidate's hits in the target against the
//! reference, as `tifa compare` computes it, over the Han characters
//! (Chinese) or English words (English) of each, negative when the
//! candidate is rarer in the target. A phrase
//! absent from the reference scores highest for its frequency. Rows are
//! sorted by score, descending, then candidate.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::kwic::context;
use super::{Aggregate, DocSize, keyness};
use crate::corpus::{Document, date_range, in_range};
use crate::hash::{FNV_OFFSET, SPLITMIX64_GAMMA, fnv1a, splitmix64_mix};
use crate::lexicon::{Lang, lang_of};
use crate::matcher::{Hit, Matcher, Scratch};
use crate::normalize::{fold_width, is_han};
use crate::segment::{self, Word};
use crate::table::{Cell, Table, float, int, text};

/// Characters of context on each side of the example.
const EXAMPLE_WIDTH: usize = 20;

/// Share of a shorter n-gram's hits inside one longer n-gram above which
/// only the longer one is listed.
const INSIDE_SHARE: f64 = 0.8;

/// What found a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CandidateKind {
    /// A phrase in quotation marks.
    Quoted,
    /// A numbered formula: 两个确立, 四个全面, 三农.
    Numbered,
    /// A frequent n-gram of Han characters.
    Ngram,
}

impl CandidateKind {
    /// Every kind, in output order.
    pub const ALL: [CandidateKind; 3] =
        [CandidateKind::Quoted, CandidateKind::Numbered, CandidateKind::Ngram];

    /// The name used in output.
    pub fn name(self) -> &'static str {
        match self {
            CandidateKind::Quoted => "quoted",
            CandidateKind::Numbered => "numbered",
            CandidateKind::Ngram => "ngram",
        }
    }
}

impl FromStr for CandidateKind {
    type Err = String;

    fn from_str(s: &str) -> Result<CandidateKind, String> {
        CandidateKind::ALL.into_iter().find(|k| k.name() == s).ok_or_else(
            || format!("unknown kind {s:?} (quoted, numbered, ngram)"),
        )
    }
}

/// What `discover` looks for and lists.
#[derive(Debug, Clone)]
pub struct DiscoverOptions {
    /// The kinds looked for (all when empty).
    pub kinds: Vec<CandidateKind>,
    /// Fewest hits in the target.
    pub min_hits: u64,
    /// Fewest target documents.
    pub min_docs: u64,
    /// At most this many rows (0: all).
    pub limit: usize,
    /// Whether there is a reference, so that scores are keyness.
    pub keyness: bool,
    /// Keep each candidate's example as text while counting: an input
    /// read once (stdin) cannot be read again for the examples of the
    /// rows written ([`Examples`]). Over files, only places are kept.
    pub keep_examples: bool,
    /// `--t2s`: candidates are found in the text converted to simplified
    /// characters, as matching sees it, and shown as the original wrote
    /// them (the conversion keeps every offset).
    pub t2s: bool,
}

impl DiscoverOptions {
    /// Whether `kind` is looked for.
    pub fn wants(&self, kind: CandidateKind) -> bool {
        self.kinds.is_empty() || self.kinds.contains(&kind)
    }
}

/// Whether a document is in the target or the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Where candidates are looked for.
    Target,
    /// What they are compared with.
    Reference,
}

/// Which documents are the target and which the reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Roles {
    /// Every document has this role (target and reference read apart).
    All(Role),
    /// By date: the reference is dated before `before`, the target within
    /// `since..until` (from `before` on when `since` is absent). Undated
    /// documents are in neither.
    ByDate {
        /// First day of the target.
        since: Option<String>,
        /// Last day of the target.
        until: Option<String>,
        /// The reference ends the day before.
        before: String,
    },
}

impl Roles {
    /// The role of a document, if it has one.
    pub fn of(&self, doc: &Document) -> Option<Role> {
        match self {
            Roles::All(role) => Some(*role),
            Roles::ByDate { since, until, before } => {
                let date = doc.date.as_deref()?;
                if date_range(date).1 < date_range(before).0 {
                    return Some(Role::Reference);
                }
                let since = since.as_deref().unwrap_or(before);
                in_range(date, Some(since), until.as_deref())
                    .then_some(Role::Target)
            }
        }
    }
}

/// A count-min sketch of n-gram counts: fixed memory, counts never
/// underestimated. Shared by the workers of a run (atomic counters), so
/// that its memory does not grow with the number of threads; sums do not
/// depend on the order of adds.
#[derive(Debug)]
pub struct Sketch {
    cells: Box<[AtomicU32]>,
}

/// Rows of the sketch, each [`SKETCH_WIDTH`] counters.
const SKETCH_ROWS: usize = 3;
const SKETCH_WIDTH: usize = 1 << 22;

impl Sketch {
    /// An empty sketch (48 MB).
    pub fn new() -> Sketch {
        Sketch {
            cells: (0..SKETCH_ROWS * SKETCH_WIDTH)
                .map(|_| AtomicU32::new(0))
                .collect(),
        }
    }

    fn slots(key: &str) -> [usize; SKETCH_ROWS] {
        let h = hash(key);
        let (a, b) = (h as usize, (h >> 32) as usize | 1);
        std::array::from_fn(|row| {
            row * SKETCH_WIDTH
                + (a.wrapping_add(row.wrapping_mul(b)) & (SKETCH_WIDTH - 1))
        })
    }

    fn add(&self, key: &str) {
        for slot in Sketch::slots(key) {
            self.cells[slot].fetch_add(1, Ordering::Relaxed);
        }
    }

    /// At least the number of times `key` was added.
    pub fn estimate(&self, key: &str) -> u64 {
        Sketch::slots(key)
            .into_iter()
            .map(|slot| u64::from(self.cells[slot].load(Ordering::Relaxed)))
            .min()
            .unwrap_or(0)
    }

    /// The keys added at least `min` times (and a few others), as one bit
    /// per counter: 1.5 MB that stay in cache, where the sketch does not.
    pub fn at_least(&self, min: u64) -> NgramFilter {
        let mut bits = vec![0u64; self.cells.len().div_ceil(64)];
        for (i, cell) in self.cells.iter().enumerate() {
            if u64::from(cell.load(Ordering::Relaxed)) >= min {
                bits[i / 64] |= 1 << (i % 64);
            }
        }
        NgramFilter { bits }
    }
}

/// The n-grams a [`Sketch`] counted often enough to be counted exactly.
#[derive(Debug, Clone)]
pub struct NgramFilter {
    bits: Vec<u64>,
}

impl NgramFilter {
    /// The filter that passes every n-gram: standard input, read once,
    /// cannot fill a sketch first, so each of its n-grams is counted
    /// exactly (memory grows with them).
    pub fn everything() -> NgramFilter {
        NgramFilter { bits: vec![u64::MAX; (SKETCH_ROWS * SKETCH_WIDTH) / 64] }
    }

    /// Whether `key` may have been counted often enough (never false for
    /// one that was).
    pub fn passes(&self, key: &str) -> bool {
        Sketch::slots(key)
            .into_iter()
            .all(|i| self.bits[i / 64] & (1 << (i % 64)) != 0)
    }
}

impl Default for Sketch {
    fn default() -> Sketch {
        Sketch::new()
    }
}

/// FNV-1a then a splitmix64 finalizer: fixed, so that sketches agree
/// between runs.
fn hash(s: &str) -> u64 {
    splitmix64_mix(
        fnv1a(FNV_OFFSET, s.as_bytes()).wrapping_add(SPLITMIX64_GAMMA),
    )
}

/// The first pass of n-gram discovery: fills a [`Sketch`] with the
/// n-grams of the target documents.
#[derive(Debug)]
pub struct SketchFill<'a> {
    sketch: &'a Sketch,
    roles: &'a Roles,
    t2s: bool,
    words: Vec<Word>,
}

impl<'a> SketchFill<'a> {
    /// Adds the n-grams of the target documents of `roles` to `sketch`
    /// (of their text converted to simplified characters with `t2s`).
    pub fn new(
        sketch: &'a Sketch,
        roles: &'a Roles,
        t2s: bool,
    ) -> SketchFill<'a> {
        SketchFill { sketch, roles, t2s, words: Vec::new() }
    }
}

impl Aggregate for SketchFill<'_> {
    fn add(&mut self, doc: &Document, _size: &DocSize, _hits: &[Hit]) {
        if self.roles.of(doc) != Some(Role::Target) {
            return;
        }
        let text = as_matched(&doc.text, self.t2s);
        for (start, end) in han_runs(&text) {
            let run = &text[start..end];
            if run.len() < 3 * 3 {
                continue;
            }
            segment::words(run, &mut self.words);
            let digit = after_digit(&text, start);
            ngrams(run, &self.words, digit, |s, e| {
                self.sketch.add(&run[s..e])
            });
        }
    }

    fn merge(&mut self, _other: Self) {}
}

/// Counts of one candidate.
#[derive(Debug, Clone)]
struct Entry {
    hits: u64,
    docs: u64,
    ref_hits: u64,
    /// Earliest date, in the target or the reference, packed (see
    /// [`pack_date`]).
    first_seen: u32,
    /// The first target occurrence, in corpus order.
    first: Place,
    /// The example at `first`, when kept as text
    /// ([`DiscoverOptions::keep_examples`]).
    example: Option<Box<Example>>,
}

impl Entry {
    fn new() -> Entry {
        Entry {
            hits: 0,
            docs: 0,
            ref_hits: 0,
            first_seen: u32::MAX,
            first: Place::NOWHERE,
            example: None,
        }
    }
}

/// Where an occurrence is: its document's rank and its byte range, in
/// corpus order. Candidates keep this rather than their example's text,
/// which only the rows written need: 300,000 n-grams of one Xinwen Lianbo
/// copy held 46 MB of examples.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Place {
    rank: (u32, u32),
    start: usize,
    end: usize,
}

impl Place {
    /// After every occurrence: not found in the target (yet).
    const NOWHERE: Place = Place {
        rank: (u32::MAX, u32::MAX),
        start: usize::MAX,
        end: usize::MAX,
    };
}

/// How a candidate shows in the table: as first written, and in context.
#[derive(Debug, Clone)]
struct Example {
    display: Box<str>,
    context: Box<str>,
}

impl Example {
    /// The example of the `kind` candidate `key` at `place` in `text`,
    /// unless it is not there (a file changed between two reads); with
    /// `t2s`, the key is of the text converted to simplified characters.
    fn at(
        kind: CandidateKind,
        key: &str,
        text: &str,
        place: Place,
        t2s: bool,
    ) -> Option<Example> {
        let found = text.get(place.start..place.end)?;
        let seen = as_matched(found, t2s);
        let display = match kind {
            CandidateKind::Quoted => {
                (quoted_key(&seen)?.0 == key).then_some(())?;
                quoted_key(found)?.1
            }
            _ => (seen == key).then(|| found.to_string())?,
        };
        let (left, m, right) =
            context(text, place.start, place.end, EXAMPLE_WIDTH);
        Some(Example {
            display: display.into(),
            context: format!("{left}{m}{right}").into(),
        })
    }
}

/// An occurrence in one document, before counting.
#[derive(Debug, Clone)]
struct Local {
    count: u64,
    start: usize,
    end: usize,
}

/// The counts of every candidate, shared by the workers of a run and by
/// the runs over the target and the reference, rather than kept by each
/// worker and merged: each worker met most of the frequent n-grams, so
/// that two held nearly twice the candidates of one. In shards behind
/// locks, so that workers seldom wait for each other.
#[derive(Debug)]
pub struct Candidates {
    shards: Box<[Mutex<Shard>]>,
}

/// One map per kind, by key (folded; English in lower case).
type Shard = [HashMap<Box<str>, Entry>; 3];

const SHARDS: usize = 64;

impl Candidates {
    /// No candidate counted yet.
    pub fn new() -> Candidates {
        Candidates { shards: (0..SHARDS).map(|_| Mutex::default()).collect() }
    }

    fn shard_of(key: &str) -> usize {
        hash(key) as usize % SHARDS
    }

    fn lock(shard: &Mutex<Shard>) -> MutexGuard<'_, Shard> {
        shard.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Default for Candidates {
    fn default() -> Candidates {
        Candidates::new()
    }
}

/// The second pass: exact counts of every candidate in the target and the
/// reference.
#[derive(Debug)]
pub struct Discover<'a> {
    options: DiscoverOptions,
    roles: Roles,
    /// n-grams are counted only with a filter from a first pass.
    ngrams: Option<&'a NgramFilter>,
    candidates: &'a Candidates,
    target: DocSize,
    reference: DocSize,
    target_docs: u64,
    reference_docs: u64,
    words: Vec<Word>,
}

impl<'a> Discover<'a> {
    /// An empty discovery over documents with `roles`. n-grams are looked
    /// for only with the filter of a first pass over the same target
    /// ([`Sketch::at_least`] `min_hits`). Candidates are counted into
    /// `candidates`.
    pub fn new(
        options: DiscoverOptions,
        roles: Roles,
        ngrams: Option<&'a NgramFilter>,
        candidates: &'a Candidates,
    ) -> Discover<'a> {
        let ngrams = ngrams.filter(|_| options.wants(CandidateKind::Ngram));
        Discover {
            options,
            roles,
            ngrams,
            candidates,
            target: DocSize::default(),
            reference: DocSize::default(),
            target_docs: 0,
            reference_docs: 0,
            words: Vec::new(),
        }
    }

    /// Documents read as (target, reference).
    pub fn documents(&self) -> (u64, u64) {
        (self.target_docs, self.reference_docs)
    }

    /// The candidates found in `doc`, by kind and key.
    fn occurrences<'t>(
        &mut self,
        text: &'t str,
        hits: &[Hit],
    ) -> HashMap<(CandidateKind, Cow<'t, str>), Local> {
        let mut local: HashMap<(CandidateKind, Cow<'t, str>), Local> =
            HashMap::new();
        let mut note = |kind, key: Cow<'t, str>, start, end| {
            if overlaps_hit(hits, start, end) {
                return;
            }
            local
                .entry((kind, key))
                .and_modify(|l| l.count += 1)
                .or_insert(Local { count: 1, start, end });
        };
        if self.options.wants(CandidateKind::Quoted) {
            quoted(text, |start, end| {
                if let Some((key, _)) = quoted_key(&text[start..end]) {
                    note(CandidateKind::Quoted, key, start, end);
                }
            });
        }
        let numbered = self.options.wants(CandidateKind::Numbered);
        if !numbered && self.ngrams.is_none() {
            return local;
        }
        for (run_start, run_end) in han_runs(text) {
            let run = &text[run_start..run_end];
            if run.len() < 2 * 3 {
                continue;
            }
            segment::words(run, &mut self.words);
            if numbered {
                numbered_formulas(run, &self.words, |s, e| {
                    let key = Cow::Borrowed(&run[s..e]);
                    let (s, e) = (run_start + s, run_start + e);
                    note(CandidateKind::Numbered, key, s, e);
                });
            }
            if let Some(filter) = self.ngrams {
                let digit = after_digit(text, run_start);
                ngrams(run, &self.words, digit, |s, e| {
                    let gram = &run[s..e];
                    if filter.passes(gram) {
                        let (s, e) = (run_start + s, run_start + e);
                        note(CandidateKind::Ngram, gram.into(), s, e);
                    }
                });
            }
        }
        local
    }

    /// The rows of the table (see the module docs): covered candidates
    /// left out, thresholds applied, sorted and limited.
    pub fn choose(&self, matcher: &Matcher) -> Chosen {
        let opts = &self.options;
        let shards: Vec<_> =
            self.candidates.shards.iter().map(Candidates::lock).collect();
        let entry = |kind: CandidateKind, key: &str| {
            &shards[Candidates::shard_of(key)][kind as usize][key]
        };
        let mut scratch = Scratch::default();
        let mut found = Vec::new();
        let mut covered = |key: &str| {
            found.clear();
            matcher.find(key, &mut scratch, &mut found);
            !found.is_empty()
        };
        let mut kept: [HashSet<&str>; 3] = Default::default();
        for kind in CandidateKind::ALL {
            for (key, e) in shards.iter().flat_map(|s| &s[kind as usize]) {
                if e.hits >= opts.min_hits
                    && e.docs >= opts.min_docs
                    && opts.wants(kind)
                    && !covered(key)
                {
                    kept[kind as usize].insert(key);
                }
            }
        }
        let ngram = |key| entry(CandidateKind::Ngram, key);
        let mut dropped: HashSet<&str> = HashSet::new();
        for &key in &kept[CandidateKind::Ngram as usize] {
            if kept[0].contains(key) || kept[1].contains(key) {
                dropped.insert(key);
                continue;
            }
            let long = ngram(key).hits as f64;
            for (s, e) in inner_spans(key) {
                let inner = &key[s..e];
                if let Some(k) = kept[CandidateKind::Ngram as usize].get(inner)
                    && long >= INSIDE_SHARE * ngram(inner).hits as f64
                {
                    dropped.insert(k);
                }
            }
        }
        let mut rows: Vec<(f64, &str, CandidateKind, &Entry)> = Vec::new();
        for kind in CandidateKind::ALL {
            for &key in &kept[kind as usize] {
                if kind == CandidateKind::Ngram && dropped.contains(key) {
                    continue;
                }
                let e = entry(kind, key);
                let score = if opts.keyness {
                    let (target, reference) = match lang_of(key) {
                        Lang::Zh => {
                            (self.target.han_chars, self.reference.han_chars)
                        }
                        Lang::En => {
                            (self.target.en_words, self.reference.en_words)
                        }
                    };
                    // A side without text of the candidate's language (a
                    // Chinese-only reference) is measured in all its text,
                    // Han characters and English words, both sides alike:
                    // against no words at all, G² is 0 for every English
                    // phrase, new as it may be.
                    let (target, reference) = if target == 0 || reference == 0
                    {
                        let all = |s: &DocSize| s.han_chars + s.en_words;
                        (all(&self.target), all(&self.reference))
                    } else {
                        (target, reference)
                    };
                    signed_g2(e.hits, e.ref_hits, target, reference)
                } else {
                    e.hits as f64
                };
                rows.push((score, key, kind, e));
            }
        }
        rows.sort_by(|a, b| {
            b.0.total_cmp(&a.0).then_with(|| (a.1, a.2).cmp(&(b.1, b.2)))
        });
        if opts.limit > 0 {
            rows.truncate(opts.limit);
        }
        let rows = (rows.into_iter())
            .map(|(score, key, kind, e)| (score, key.into(), kind, e.clone()))
            .collect();
        Chosen { rows, keyness: opts.keyness }
    }
}

/// The rows `discover` writes, before their examples are read again.
#[derive(Debug)]
pub struct Chosen {
    rows: Vec<(f64, Box<str>, CandidateKind, Entry)>,
    keyness: bool,
}

impl Chosen {
    /// The places of the examples that the rows do not hold as text, for
    /// [`Examples`] to read again (empty when nothing needs reading).
    pub fn wanted(&self) -> Wanted<'_> {
        let mut places: Vec<_> = (self.rows.iter())
            .filter(|r| r.3.example.is_none() && r.3.first != Place::NOWHERE)
            .map(|(_, key, kind, e)| (e.first, *kind, &**key))
            .collect();
        places.sort_unstable();
        Wanted(places)
    }

    /// The table, with the examples held or `fetched`.
    pub fn table(&self, fetched: &Examples) -> Table {
        let mut table = Table::new([
            "candidate",
            "lang",
            "kind",
            "hits",
            "docs",
            "first_seen",
            "score",
            "example",
        ])
        .numbers(["hits", "docs", "score"]);
        for (score, key, kind, e) in &self.rows {
            let (key, kind) = (key.as_ref(), *kind);
            let example = (e.example.as_deref())
                .or_else(|| fetched.found.get(&(e.first, kind)));
            table.push(vec![
                text(example.map_or(key, |x| &x.display).to_string()),
                text(lang_of(key).code()),
                text(kind.name()),
                int(e.hits),
                int(e.docs),
                unpack_date(e.first_seen).map_or(Cell::Null, text),
                if self.keyness {
                    float(Some(*score), 2)
                } else {
                    int(e.hits)
                },
                text(example.map_or("", |x| &x.context).to_string()),
            ]);
        }
        table
    }
}

/// Places of examples to read again, in corpus order, with each
/// candidate's kind and key.
#[derive(Debug, Default)]
pub struct Wanted<'a>(Vec<(Place, CandidateKind, &'a str)>);

impl Wanted<'_> {
    /// Whether no example is wanted.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The examples of [`Wanted`] places, from a second read of the target
/// (the same inputs, read the same way, so that the ranks agree).
#[derive(Debug)]
pub struct Examples<'a> {
    wanted: &'a Wanted<'a>,
    t2s: bool,
    found: HashMap<(Place, CandidateKind), Example>,
}

impl<'a> Examples<'a> {
    /// None found yet; `t2s` as the candidates were found.
    pub fn new(wanted: &'a Wanted<'a>, t2s: bool) -> Examples<'a> {
        Examples { wanted, t2s, found: HashMap::new() }
    }
}

impl Aggregate for Examples<'_> {
    fn add(&mut self, doc: &Document, _size: &DocSize, _hits: &[Hit]) {
        let wanted = &self.wanted.0;
        let from = wanted.partition_point(|w| w.0.rank < doc.rank);
        for &(place, kind, key) in &wanted[from..] {
            if place.rank != doc.rank {
                break;
            }
            let example = Example::at(kind, key, &doc.text, place, self.t2s);
            if let Some(example) = example {
                self.found.insert((place, kind), example);
            }
        }
    }

    fn merge(&mut self, other: Self) {
        self.found.extend(other.found);
    }
}

impl Aggregate for Discover<'_> {
    fn add(&mut self, doc: &Document, size: &DocSize, hits: &[Hit]) {
        let Some(role) = self.roles.of(doc) else { return };
        let (sizes, docs) = match role {
            Role::Target => (&mut self.target, &mut self.target_docs),
            Role::Reference => (&mut self.reference, &mut self.reference_docs),
        };
        *sizes += size;
        *docs += 1;
        let text = as_matched(&doc.text, self.options.t2s);
        let local = self.occurrences(&text, hits);
        let date = pack_date(doc.date.as_deref());
        for ((kind, key), l) in local {
            let mut shard = Candidates::lock(
                &self.candidates.shards[Candidates::shard_of(&key)],
            );
            let map = &mut shard[kind as usize];
            let e = match map.get_mut(key.as_ref()) {
                Some(e) => e,
                None => map.entry(key.as_ref().into()).or_insert(Entry::new()),
            };
            // The first date of any document read, target or reference:
            // a phrase of the target that the reference already held was
            // not first seen in the target.
            e.first_seen = e.first_seen.min(date);
            if role == Role::Reference {
                e.ref_hits += l.count;
                continue;
            }
            e.hits += l.count;
            e.docs += 1;
            let at = Place { rank: doc.rank, start: l.start, end: l.end };
            if at < e.first {
                e.first = at;
                if self.options.keep_examples {
                    let t2s = self.options.t2s;
                    let example = Example::at(kind, &key, &doc.text, at, t2s);
                    e.example = example.map(Box::new);
                }
            }
        }
    }

    fn merge(&mut self, other: Self) {
        self.target += &other.target;
        self.reference += &other.reference;
        self.target_docs += other.target_docs;
        self.reference_docs += other.reference_docs;
    }
}

/// `text` as matching sees it: converted to simplified characters with
/// `t2s`, every offset kept.
fn as_matched(text: &str, t2s: bool) -> Cow<'_, str> {
    if t2s { crate::t2s::to_simplified(text) } else { Cow::Borrowed(text) }
}

/// G² of `a` hits in `c` units against `b` hits in `d` units, as `tifa
/// compare` computes it ([`keyness::g2`]), negative when the candidate is
/// relatively rarer in the target.
fn signed_g2(a: u64, b: u64, c: u64, d: u64) -> f64 {
    let g = keyness::g2(a, c, b, d);
    if c > 0 && d > 0 && (a as f64 / c as f64) < (b as f64 / d as f64) {
        -g
    } else {
        g
    }
}

/// Whether a lexicon match overlaps `start..end` (matches are sorted and
/// do not overlap each other, so their ends are sorted too).
fn overlaps_hit(hits: &[Hit], start: usize, end: usize) -> bool {
    let first = hits.partition_point(|h| h.end <= start);
    hits.get(first).is_some_and(|h| h.start < end)
}

/// Dates as `YYYYMMDD` numbers (`00` for an unknown month or day), so that
/// the earliest is a `min`; undated is `u32::MAX`.
fn pack_date(date: Option<&str>) -> u32 {
    let Some(d) = date else { return u32::MAX };
    let num = |r: std::ops::Range<usize>| {
        d.get(r).and_then(|s| s.parse::<u32>().ok()).unwrap_or(0)
    };
    num(0..4) * 10_000 + num(5..7) * 100 + num(8..10)
}

fn unpack_date(v: u32) -> Option<String> {
    if v == u32::MAX {
        return None;
    }
    let (y, m, d) = (v / 10_000, v / 100 % 100, v % 100);
    Some(match (m, d) {
        (0, _) => format!("{y:04}"),
        (_, 0) => format!("{y:04}-{m:02}"),
        _ => format!("{y:04}-{m:02}-{d:02}"),
    })
}

/// Byte ranges of the maximal runs of Han characters.
fn han_runs(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = chars.find(|&(_, c)| is_han(c))?;
        let mut end = text.len();
        while let Some(&(i, c)) = chars.peek() {
            if !is_han(c) {
                end = i;
                break;
            }
            chars.next();
        }
        Some((start, end))
    })
}

/// Quote marks: (opening, closing). `"` closes itself.
const QUOTES: [(char, char); 4] =
    [('“', '”'), ('「', '」'), ('‘', '’'), ('"', '"')];

/// Calls `found(start, end)` with the byte range inside each pair of quote
/// marks on one line. An opening mark before the close restarts the quote.
fn quoted(text: &str, mut found: impl FnMut(usize, usize)) {
    let mut open: Option<(char, usize)> = None;
    for (i, c) in text.char_indices() {
        if c == '\n' || c == '\r' {
            open = None;
            continue;
        }
        if let Some((close, from)) = open
            && c == close
        {
            found(from, i);
            open = None;
            continue;
        }
        if let Some(&(_, close)) = QUOTES.iter().find(|q| q.0 == c) {
            open = Some((close, i + c.len_utf8()));
        }
    }
}

/// Characters that end a quoted Chinese candidate: it is a sentence, not a
/// formulation.
const ZH_PUNCT: &str = "，。、；：！？,.;:!?…—（）()《》〈〉【】“”‘’「」\"";

/// The key and display form of a quoted phrase, if it is a candidate.
fn quoted_key(content: &str) -> Option<(Cow<'_, str>, String)> {
    if content.chars().any(is_han) {
        let n = content.chars().count();
        let ok = (2..=12).contains(&n)
            && !content
                .chars()
                .any(|c| c.is_whitespace() || ZH_PUNCT.contains(c));
        if !ok {
            return None;
        }
        let folded: String = content.chars().map(fold_width).collect();
        let key = if folded == content {
            Cow::Borrowed(content)
        } else {
            Cow::Owned(folded.clone())
        };
        return Some((key, folded));
    }
    let trimmed =
        content.trim().trim_end_matches([',', '.', ';', ':', '!', '?']);
    let words: Vec<&str> = trimmed.split_whitespace().collect();
    let word_ok = |w: &&str| {
        w.chars().any(|c| c.is_ascii_alphanumeric())
            && w.chars().all(|c| {
                c.is_ascii_alphanumeric()
                    || matches!(c, '-' | '\'' | '+' | '&')
            })
    };
    let ok = (1..=6).contains(&words.len())
        && words.iter().all(word_ok)
        && trimmed.chars().any(|c| c.is_ascii_alphabetic())
        && trimmed.len() >= 2;
    if !ok {
        return None;
    }
    let display = words.join(" ");
    Some((Cow::Owned(display.to_ascii_lowercase()), display))
}

const NUMERALS: &str = "一二两三四五六七八九十";

/// Characters before a numeral that make it part of a larger number or an
/// ordinal.
const NUMBER_PARTS: &str = "一二两三四五六七八九十百千万亿零〇第几";

/// Heads of a body (its first character that is not a numeral) that make
/// the numeral a date, an ordinal or a measure (三个月, 十四届, 神舟十八号,
/// 十多个, 二季度).
const DATE_UNITS: &str = "年月日号届次时分秒点岁季周天多余几万亿千百";

/// Heads of a body that make the numeral a count (两国, 三人, 五枚, 两岸),
/// unless the body holds another numeral after it (一国两制, 五位一体).
const COUNT_UNITS: &str = "项倍成元角人位名期批轮条只件家所座台辆架艘层步遍趟场份类种米里吨斤亩户套顿股篇部本张句段些枚级省市县区列线国地方者岸";

/// Bodies that are ordinary counted nouns, not formulas.
const JUNK_BODY: [&str; 12] = [
    "方面", "小时", "部分", "阶段", "星期", "季度", "世纪", "国家", "城市",
    "地区", "领域", "环节",
];

/// Calls `found(start, end)` for each numbered formula in a Han run
/// segmented into `words` (see the module docs for the rules).
fn numbered_formulas(
    run: &str,
    words: &[Word],
    mut found: impl FnMut(usize, usize),
) {
    for (k, w) in words.iter().enumerate() {
        let Some(numeral) = run[w.start..].chars().next() else { continue };
        if !NUMERALS.contains(numeral) || w.place || w.time {
            continue;
        }
        let before = run[..w.start].chars().next_back();
        if before.is_some_and(|c| NUMBER_PARTS.contains(c)) {
            continue;
        }
        let mut body = w.start + numeral.len_utf8();
        if run[body..].starts_with(['个', '大', '项']) {
            body += '个'.len_utf8();
        }
        // The first word boundary after the body's first character.
        let Some(mut j) = words[k..].iter().position(|x| x.end > body) else {
            continue;
        };
        j += k;
        let mut end = words[j].end;
        if let Some(next) = words.get(j + 1)
            && run[next.start..].starts_with(|c| NUMERALS.contains(c))
            && run[body..next.end].chars().count() <= 4
        {
            end = next.end;
        }
        let body_text = &run[body..end];
        if !(1..=4).contains(&body_text.chars().count())
            || JUNK_BODY.contains(&body_text)
        {
            continue;
        }
        let candidate = &run[w.start..end];
        let head =
            body_text.char_indices().find(|&(_, c)| !NUMERALS.contains(c));
        match head {
            None if !is_plan(candidate) => continue,
            Some((_, c)) if DATE_UNITS.contains(c) => continue,
            Some((i, c)) if COUNT_UNITS.contains(c) => {
                let compound = i == 0
                    && body_text[c.len_utf8()..]
                        .contains(|d| NUMERALS.contains(d));
                if !compound {
                    continue;
                }
            }
            _ => {}
        }
        // 三个不, 四是: the body ends in a function word.
        let last = &run[words[j].start.max(body)..end];
        if last.chars().count() == 1 && FUNCTION_WORDS.contains(last) {
            continue;
        }
        if numeral == '一'
            && !candidate.chars().skip(1).any(|c| NUMERALS.contains(c))
        {
            continue;
        }
        found(w.start, end);
    }
}

/// A five-year plan: 十三五, 十四五, 十五五.
fn is_plan(s: &str) -> bool {
    let c: Vec<char> = s.chars().collect();
    c.len() == 3 && c[0] == '十' && c[2] == '五' && NUMERALS.contains(c[1])
}

/// One-character words that make a poor edge of an n-gram.
const FUNCTION_WORDS: &str = "的了和与及在是对把被为从向也都就并而又将以于等之其或但要让使给到着过这那还更很不没所由即该各每此称说";

/// Whether the text before `at` ends with a digit: a run of Han text
/// after one starts with a unit (5日上午, 3.9万个).
fn after_digit(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_some_and(|c| fold_width(c).is_ascii_digit())
}

/// Calls `found(start, end)` for each n-gram of 3-8 Han characters of a
/// run segmented into `words` that starts and ends on word boundaries (see
/// the module docs for the rules). `after_digit`: the run follows a digit,
/// so its first word is a unit when it is one character long.
fn ngrams(
    run: &str,
    words: &[Word],
    after_digit: bool,
    mut found: impl FnMut(usize, usize),
) {
    let edge_ok = |w: &Word| {
        let s = &run[w.start..w.end];
        let function_word =
            s.chars().count() == 1 && FUNCTION_WORDS.contains(s);
        !w.time && !function_word
    };
    for (i, first) in words.iter().enumerate() {
        // A one-character word after a number is its unit (5日上午, 二十届).
        let after_number = if i == 0 {
            after_digit
        } else {
            run[..first.start]
                .chars()
                .next_back()
                .is_some_and(|c| NUMBER_PARTS.contains(c))
        };
        if !edge_ok(first) || (after_number && first.end - first.start <= 4) {
            continue;
        }
        let mut chars = 0;
        for (j, last) in words[i..].iter().enumerate() {
            chars += run[last.start..last.end].chars().count();
            if chars > 8 {
                break;
            }
            if chars < 3 || !edge_ok(last) {
                continue;
            }
            let gram = &run[first.start..last.end];
            if j == 0 && (first.place || segment::is_dictionary_word(gram)) {
                continue;
            }
            found(first.start, last.end);
        }
    }
}

/// Byte ranges of the substrings of `s` of 3 characters or more, shorter
/// than `s`.
fn inner_spans(s: &str) -> Vec<(usize, usize)> {
    let bounds: Vec<usize> =
        s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
    let n = bounds.len() - 1;
    let mut out = Vec::new();
    for a in 0..n {
        for b in a + 3..=n {
            if b - a < n {
                out.push((bounds[a], bounds[b]));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (s, e) in han_runs(text) {
            let run = &text[s..e];
            let mut words = Vec::new();
            segment::words(run, &mut words);
            numbered_formulas(run, &words, |a, b| out.push(run[a..b].into()));
        }
        out
    }

    #[test]
    fn numbered_formulas_and_junk() {
        let got = numbered(
            "深刻领悟两个确立的决定性意义，协调推进四个全面战略布局，\
             做好三农工作，统筹五位一体，共建一带一路，实施十四五规划。",
        );
        assert_eq!(
            got,
            ["两个确立", "四个全面", "三农", "五位一体", "一带一路", "十四五"]
        );
        let junk = numbered(
            "三个月以来，两年之内，第三个项目，一些地方，两个方面，四川省，\
             五年计划，统一大市场，二十四小时",
        );
        assert!(junk.is_empty(), "{junk:?}");
    }

    #[test]
    fn quotes() {
        let text = "推进“两重”建设和“两新”工作。他说：“我们要坚定信心，\
                    迎难而上。”The \"two heavy\" plan, ‘AI Plus,’ \"x\"";
        let mut got = Vec::new();
        quoted(text, |s, e| {
            if let Some((key, _)) = quoted_key(&text[s..e]) {
                got.push(key.into_owned());
            }
        });
        assert_eq!(got, ["两重", "两新", "two heavy", "ai plus"]);
    }

    #[test]
    fn keyness_is_signed() {
        assert_eq!(signed_g2(0, 0, 100, 100), 0.0);
        assert!(signed_g2(10, 0, 1000, 1000) > signed_g2(10, 5, 1000, 1000));
        assert!(signed_g2(1, 10, 1000, 1000) < 0.0);
        let g = signed_g2(10, 5, 1000, 2000);
        assert_eq!(g, keyness::g2(10, 1000, 5, 2000));
    }

    #[test]
    fn dates_pack_and_unpack() {
        for d in ["2024-03-05", "2024-03", "2024"] {
            assert_eq!(unpack_date(pack_date(Some(d))).as_deref(), Some(d));
        }
        assert!(pack_date(Some("2023-12-31")) < pack_date(Some("2024")));
        assert_eq!(unpack_date(pack_date(None)), None);
    }

    #[test]
    fn runs_split_at_non_han() {
        let t = "两重，新质生产力abc三农";
        let runs: Vec<&str> = han_runs(t).map(|(s, e)| &t[s..e]).collect();
        assert_eq!(runs, ["两重", "新质生产力", "三农"]);
    }

    /// A file may change between the count and the read for examples.
    /// With `--t2s`, the key is simplified and the example the original.
    #[test]
    fn an_example_is_taken_only_where_its_candidate_is() {
        let text = "推进“两重”建设";
        let start = text.find('两').unwrap();
        let place = Place { rank: (0, 0), start, end: start + 6 };
        let quoted = |key, text, t2s| {
            Example::at(CandidateKind::Quoted, key, text, place, t2s)
        };
        let example = quoted("两重", text, false);
        assert_eq!(example.unwrap().context.as_ref(), text);
        assert!(quoted("两新", text, false).is_none());
        let traditional = "推進“兩重”建設";
        assert!(quoted("两重", traditional, false).is_none());
        let example = quoted("两重", traditional, true).unwrap();
        assert_eq!(example.display.as_ref(), "兩重");
        assert_eq!(example.context.as_ref(), traditional);
        let inside = Place { start: start + 1, ..place };
        let ngram =
            Example::at(CandidateKind::Ngram, "两重", text, inside, false);
        assert!(ngram.is_none());
    }

    #[test]
    fn sketch_never_underestimates() {
        let s = Sketch::new();
        for _ in 0..3 {
            s.add("新质生产力");
        }
        s.add("两重");
        assert!(s.estimate("新质生产力") >= 3);
        assert!(s.estimate("两重") >= 1);
    }
}
