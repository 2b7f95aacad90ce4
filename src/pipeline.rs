//! The flow from inputs to aggregates: read and decode each file, match
//! each document, fold the matches into an [`Aggregate`]. Files, and the
//! records of large files, are spread over a thread pool; each worker folds
//! into its own aggregate and the partial aggregates merge, so the result
//! does not depend on the thread count or on scheduling.
//!
//! [`stream`] hands out the aggregate of each batch of documents instead,
//! in corpus order, as soon as the batches before it are done, so that a
//! command listing rows (`scan`, `kwic`, `count --by doc`, `cooc --sites`,
//! `corpus --by doc`) writes them as it goes and holds only the batches
//! that finished ahead of an earlier one.

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::io::IsTerminal;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::analysis::{Aggregate, DocSize};
use crate::corpus::{
    self, Document, IdRegister, InputFile, InputFiles, Metadata, ReadOptions,
    Warning,
};
use crate::lexicon::TermId;
use crate::matcher::{Hit, Matcher, Scratch, Status};
use crate::normalize;

/// How a run reads and matches its inputs.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// How files become documents.
    pub read: ReadOptions,
    /// Worker threads (0: one per core).
    pub threads: usize,
    /// Convert traditional characters to simplified before matching.
    pub t2s: bool,
    /// Drop documents whose normalized text equals an earlier one's.
    pub dedup: bool,
    /// Show a progress bar on stderr (when it is a terminal).
    pub progress: bool,
    /// This run's lexicon options and inputs as a command line writes them
    /// (`--lexicon mine.toml`, `corpus/`), so that a warning can give a
    /// command to run as it stands.
    pub rerun: Rerun,
}

/// See [`RunOptions::rerun`]: each empty or starting with a space.
#[derive(Debug, Clone, Default)]
pub struct Rerun {
    /// `--lexicon PATH` for each lexicon given.
    pub lexicon: String,
    /// The inputs.
    pub inputs: String,
}

/// What was read, for the summary line and for `tifa corpus`.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Documents matched.
    pub documents: u64,
    /// Bytes of decoded text.
    pub bytes: u64,
    /// Invalid byte sequences replaced while decoding.
    pub replacements: u64,
    /// Files, records or documents that could not be read or were too big.
    pub skipped: u64,
    /// Documents left out by `--since`/`--until`.
    pub filtered: u64,
    /// Of those, the undated ones.
    pub filtered_undated: u64,
    /// Documents dropped by `--dedup`.
    pub duplicates: u64,
    /// Problems, in corpus order: those of one file with one message
    /// at most [`SAME_WARNINGS_KEPT`] times.
    pub warnings: Vec<Warning>,
    /// Problems left out of `warnings`: how many more times each file
    /// and message came.
    pub repeated: Vec<Repeated>,
    /// Confirmed hits in documents dated before their term's first
    /// official use, by term: an earlier sense, or an earlier use than
    /// the lexicon knows; the run ends with a warning of them.
    pub early: BTreeMap<TermId, u64>,
    /// Wall-clock time of the run.
    pub elapsed: Duration,
}

impl Summary {
    /// Adds what a run read to what was found before it (e.g. inputs that
    /// could not be expanded); the run's time is kept.
    pub fn merge_run(&mut self, run: Summary) {
        let mut warnings = std::mem::take(&mut self.warnings);
        let elapsed = run.elapsed;
        self.merge(run);
        warnings.append(&mut self.warnings);
        self.warnings = warnings;
        self.elapsed = elapsed;
    }

    fn merge(&mut self, o: Summary) {
        self.documents += o.documents;
        self.bytes += o.bytes;
        self.replacements += o.replacements;
        self.skipped += o.skipped;
        self.filtered += o.filtered;
        self.filtered_undated += o.filtered_undated;
        self.duplicates += o.duplicates;
        self.warnings.extend(o.warnings);
        self.repeated.extend(o.repeated);
        for (term, n) in o.early {
            *self.early.entry(term).or_default() += n;
        }
    }

    /// Throughput over the decoded text, in MB/s.
    pub fn megabytes_per_second(&self) -> f64 {
        self.bytes as f64 / 1e6 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Warnings of one file with the same message are kept this many times,
/// and the rest only counted: a warning for every record (a JSONL file
/// without its text field, or every id repeated) is shown a few times and
/// then as a count, and kept, a million of them took 228 MB. Messages that
/// differ only in the values they quote count as one (see
/// [`message_kind`]): 3,000 records dated `03/05/2024` and so on are one
/// problem, not 2,500 lines of warnings.
pub const SAME_WARNINGS_KEPT: usize = 5;

/// A file's warnings of one kind, beyond those kept.
#[derive(Debug, Clone)]
pub struct Repeated {
    /// The file, as in [`Warning::file`].
    pub file: String,
    /// What happened: the message, or its kind ([`message_kind`]) when
    /// the messages differed.
    pub message: String,
    /// Whether something was left out because of it.
    pub skipped: bool,
    /// How many more times the warning came than it was kept.
    pub more: u64,
}

/// A message with the values it quotes (`"03/05/2024"`, but not the name
/// after `field`) and the numbers it gives (`line 1 column 5`) written
/// `…`: what warnings of one kind have in common.
pub fn message_kind(message: &str) -> Cow<'_, str> {
    if !message.contains(|c: char| c == '"' || c.is_ascii_digit()) {
        return Cow::Borrowed(message);
    }
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(c) = rest.chars().next() {
        let before = out.chars().next_back();
        if c == '"' {
            // A value as `{:?}` writes it: to the next quote that is not
            // escaped.
            let mut escaped = false;
            let end = rest[1..].char_indices().find(|&(_, c)| {
                let close = c == '"' && !escaped;
                escaped = c == '\\' && !escaped;
                close
            });
            if let Some((i, _)) = end {
                match out.ends_with("field ") {
                    true => out.push_str(&rest[..i + 2]),
                    false => out.push_str("\"…\""),
                }
                rest = &rest[i + 2..];
                continue;
            }
        }
        let number = rest.bytes().take_while(u8::is_ascii_digit).count();
        let after = rest[number..].chars().next();
        let apart_before = before.is_none_or(|b| matches!(b, ' ' | '(' | ':'));
        let apart_after =
            after.is_none_or(|a| matches!(a, ' ' | ')' | ',' | ';' | ':'));
        if number > 0 && apart_before && apart_after {
            out.push('…');
            rest = &rest[number..];
            continue;
        }
        let n = number.max(c.len_utf8());
        out.push_str(&rest[..n]);
        rest = &rest[n..];
    }
    Cow::Owned(out)
}

/// How many warnings of each file and kind came, the first message of
/// each, and whether another differed from it.
#[derive(Debug)]
struct Seen {
    n: u64,
    first: String,
    varied: bool,
}

impl Seen {
    /// The message a count of them is shown with.
    fn message(&self) -> String {
        match self.varied {
            true => message_kind(&self.first).into_owned(),
            false => self.first.clone(),
        }
    }
}

/// [`Seen`] by file, kind and whether something was skipped (the key of
/// [`tally_key`]).
type Tally = FxHashMap<String, Seen>;

/// A warning's file, kind of message and whether it skipped something,
/// in one string: a key of [`Tally`], written into `key`.
fn tally_key<'k>(warning: &Warning, key: &'k mut String) -> &'k str {
    key.clear();
    key.push_str(warning.file());
    key.push('\0');
    key.push_str(&message_kind(&warning.message));
    key.push(if warning.skipped { '1' } else { '0' });
    key
}

/// Counts `message` once more under `key` in `tally`: how many times its
/// kind came now.
fn count(tally: &mut Tally, key: &str, message: &str) -> u64 {
    match tally.get_mut(key) {
        Some(seen) => {
            seen.n += 1;
            seen.varied |= seen.first != message;
            seen.n
        }
        None => {
            let first = message.to_string();
            tally.insert(key.to_string(), Seen { n: 1, first, varied: false });
            1
        }
    }
}

/// The warnings of a worker's inputs: the first [`SAME_WARNINGS_KEPT`] of
/// each file and kind of message, with the rank of their input, and how
/// many times each came. A worker reads its inputs in corpus order, so
/// the first of the whole run are among the workers' first.
#[derive(Debug, Default)]
struct Notes {
    kept: Vec<(u32, Warning)>,
    tally: Tally,
    /// A buffer for [`tally_key`].
    key: String,
}

impl Notes {
    /// Keeps `warning` of the input of `rank` if its file and kind of
    /// message have not come [`SAME_WARNINGS_KEPT`] times yet, and counts
    /// it.
    fn note(&mut self, rank: u32, warning: Warning) {
        let key = tally_key(&warning, &mut self.key);
        if count(&mut self.tally, key, &warning.message)
            <= SAME_WARNINGS_KEPT as u64
        {
            self.kept.push((rank, warning));
        }
    }

    fn merge(&mut self, other: Notes) {
        self.kept.extend(other.kept);
        for (key, seen) in other.tally {
            match self.tally.get_mut(&key) {
                Some(mine) => {
                    mine.n += seen.n;
                    mine.varied |= seen.varied || seen.first != mine.first;
                }
                None => {
                    self.tally.insert(key, seen);
                }
            }
        }
    }

    /// The warnings of the run in corpus order, each file and kind of
    /// message at most [`SAME_WARNINGS_KEPT`] times, and how many more
    /// times the others came, in the order of their last one kept.
    fn finish(mut self) -> (Vec<Warning>, Vec<Repeated>) {
        self.kept.sort_by_key(|k| k.0);
        let mut kept = Tally::default();
        let mut repeated = Vec::new();
        let warnings = self
            .kept
            .into_iter()
            .map(|(_, warning)| warning)
            .filter(|warning| {
                let key = tally_key(warning, &mut self.key);
                let n = count(&mut kept, key, &warning.message);
                let all = &self.tally[key];
                if n == SAME_WARNINGS_KEPT as u64 && all.n > n {
                    repeated.push(Repeated {
                        file: warning.file().to_string(),
                        message: all.message(),
                        skipped: warning.skipped,
                        more: all.n - n,
                    });
                }
                n <= SAME_WARNINGS_KEPT as u64
            })
            .collect();
        (warnings, repeated)
    }
}

/// Per-worker state.
struct Worker<A> {
    aggregate: A,
    scratch: Scratch,
    hits: Vec<Hit>,
    summary: Summary,
    notes: Notes,
    /// The first documents of the run (by rank) that `--dedup` dropped,
    /// [`SAME_WARNINGS_KEPT`] at most, each with its warning: capped by
    /// run, not by file, since over a folder of articles each copy is a
    /// file of its own.
    dropped: Vec<((u32, u32), Warning)>,
}

impl<A: Aggregate> Worker<A> {
    fn merge(mut self, b: Worker<A>) -> Worker<A> {
        self.aggregate.merge(b.aggregate);
        self.summary.merge(b.summary);
        self.notes.merge(b.notes);
        for (rank, warning) in b.dropped {
            self.drop_copy(rank, || warning);
        }
        self
    }
}

impl<A> Worker<A> {
    /// Keeps the warning of a document `--dedup` dropped if it is among
    /// the run's first [`SAME_WARNINGS_KEPT`] such documents so far (made
    /// only then).
    fn drop_copy(
        &mut self,
        rank: (u32, u32),
        warning: impl FnOnce() -> Warning,
    ) {
        let at = self.dropped.partition_point(|d| d.0 < rank);
        if at < SAME_WARNINGS_KEPT {
            self.dropped.insert(at, (rank, warning()));
            self.dropped.truncate(SAME_WARNINGS_KEPT);
        }
    }

    /// Counts `warning`, of the input of `rank`, and keeps it as
    /// [`Notes::note`] does.
    fn note(&mut self, rank: u32, warning: Warning) {
        self.summary.skipped += u64::from(warning.skipped);
        self.notes.note(rank, warning);
    }
}

/// The first document (by rank) of each normalized text, for `--dedup`,
/// with how a warning names it ([`document_name`]).
type Firsts = HashMap<u128, ((u32, u32), Box<str>)>;

/// Consecutive runs of `inputs` handed out together: files read as one
/// document, up to `len` of them (at least one), and any other file (of
/// records, split into articles, or stdin: large as a rule) alone.
fn runs(
    inputs: &InputFiles,
    read: &ReadOptions,
    len: usize,
) -> Vec<Range<usize>> {
    let mut runs: Vec<Range<usize>> = Vec::new();
    // Whether the current run takes files read as one document.
    let mut open = false;
    for i in 0..inputs.len() {
        let one = inputs.is_one_document(i, read);
        match runs.last_mut() {
            Some(run) if open && one && run.len() < len => run.end = i + 1,
            _ => runs.push(i..i + 1),
        }
        open = one;
    }
    runs
}

/// Runs `inputs` through `matcher` (none: documents without matches, for
/// describing a corpus) into aggregates made by `make`.
pub fn run<A, F>(
    inputs: &InputFiles,
    meta: &Metadata,
    matcher: Option<&Matcher>,
    opts: &RunOptions,
    make: F,
) -> (A, Summary)
where
    A: Aggregate,
    F: Fn() -> A + Sync,
{
    run_with(inputs, meta, matcher, opts, &make, None)
}

/// Runs `inputs` as [`run`] does, and gives `consume` the aggregate of
/// each batch of documents (made by `make`, holding that batch alone), in
/// corpus order, while later batches are matched; those that wait for
/// their turn are bounded by weight (see `Tap::wait_turn`). When
/// `consume` returns `Ok`, the batches it left are matched all the same
/// (the summary counts every document); on `Err`, the run stops early (a
/// closed pipe, a full disk: nothing more can be written).
pub fn stream<A, F, T>(
    inputs: &InputFiles,
    meta: &Metadata,
    matcher: Option<&Matcher>,
    opts: &RunOptions,
    make: F,
    consume: impl FnOnce(&mut dyn Iterator<Item = A>) -> std::io::Result<T>,
) -> (Summary, std::io::Result<T>)
where
    A: Aggregate,
    F: Fn() -> A + Sync,
{
    // Bounded, so that a slow reader of the output holds the workers back
    // rather than a queue of rows growing; the consumer is no thread of
    // the pool and always drains it, so a worker waiting here never holds
    // up the batch the consumer waits for.
    let (tx, rx) = mpsc::sync_channel(STREAM_QUEUE);
    let stop = AtomicBool::new(false);
    let turn = Turn::default();
    let make = &make;
    std::thread::scope(|scope| {
        let producer = scope.spawn(|| {
            let tap = Tap { tx, stop: &stop, turn: &turn };
            run_with(inputs, meta, matcher, opts, make, Some(&tap)).1
        });
        let mut batches =
            InOrder { rx, reorder: Reorder::default(), turn: &turn };
        let consumed = consume(&mut batches);
        if consumed.is_ok() {
            batches.by_ref().for_each(drop);
        } else {
            stop.store(true, Ordering::Relaxed);
        }
        // Dropped before the join: a worker blocked on a full queue then
        // fails to send and stops.
        drop(batches);
        let summary = producer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (summary, consumed)
    })
}

/// Batches queued between the workers and the consumer of [`stream`].
const STREAM_QUEUE: usize = 64;

/// The [`weight`] of the parts that may wait for their turn before a
/// reader ahead of the consumer is held back (see [`Tap::wait_turn`]).
const STREAM_AHEAD: usize = 4 << 20;

/// What a batch's part weighs while it waits in [`stream`]: its text, and
/// a kilobyte per document for what its aggregate holds of it, whatever
/// its length (a group of counts, the rows of its matches); what the
/// aggregate says it holds beyond that ([`Aggregate::weight`]) is added.
fn weight(docs: &[Document]) -> usize {
    docs.iter().map(|d| d.text.len() + 1024).sum()
}

/// Where the consumer of [`stream`] stands, for the readers ahead of it.
#[derive(Debug, Default)]
struct Turn {
    /// The input whose parts the consumer waits for.
    file: AtomicU32,
    /// The [`weight`] of the parts sent and not yet received.
    queued: AtomicUsize,
    /// The [`weight`] of the parts received and waiting for their turn.
    held: AtomicUsize,
    /// Readers held back.
    waiting: AtomicUsize,
}

/// Where a batch stands in the corpus: the `index`-th part (from 0) of
/// input `file`, `last` on the final part of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Part {
    file: u32,
    index: u32,
    last: bool,
}

/// Items released in corpus order: every input sends its parts 0, 1, 2...
/// in any order and interleaved with other inputs', its last one flagged,
/// and an item comes out once all those before it have. Inputs are
/// numbered from 0 without gaps (see [`InputFile::rank`]).
#[derive(Debug)]
struct Reorder<T> {
    next: (u32, u32),
    waiting: BTreeMap<(u32, u32), (T, bool)>,
}

impl<T> Default for Reorder<T> {
    fn default() -> Reorder<T> {
        Reorder { next: (0, 0), waiting: BTreeMap::new() }
    }
}

impl<T> Reorder<T> {
    fn push(&mut self, part: Part, item: T) {
        self.waiting.insert((part.file, part.index), (item, part.last));
    }

    /// The next item in order, when it has come.
    fn pop(&mut self) -> Option<T> {
        let (item, last) = self.waiting.remove(&self.next)?;
        let (file, index) = self.next;
        self.next = if last { (file + 1, 0) } else { (file, index + 1) };
        Some(item)
    }
}

/// The consumer's side of [`stream`]: batches in corpus order.
struct InOrder<'a, A> {
    rx: mpsc::Receiver<(Part, usize, A)>,
    /// Parts with their [`weight`].
    reorder: Reorder<(A, usize)>,
    turn: &'a Turn,
}

impl<A> Iterator for InOrder<'_, A> {
    type Item = A;

    fn next(&mut self) -> Option<A> {
        loop {
            if let Some((item, weight)) = self.reorder.pop() {
                let turn = self.turn;
                turn.file.store(self.reorder.next.0, Ordering::Release);
                turn.held.fetch_sub(weight, Ordering::AcqRel);
                return Some(item);
            }
            match self.rx.recv() {
                Ok((part, weight, item)) => {
                    self.reorder.push(part, (item, weight));
                    self.turn.queued.fetch_sub(weight, Ordering::AcqRel);
                    self.turn.held.fetch_add(weight, Ordering::AcqRel);
                    #[cfg(test)]
                    tests::note_held(self.turn.held.load(Ordering::Acquire));
                }
                // Every worker is done: whatever waits was stopped early.
                Err(_) => {
                    let first = self.reorder.waiting.pop_first();
                    return first.map(|(_, v)| v.0.0);
                }
            }
        }
    }
}

/// The workers' side of [`stream`].
struct Tap<'a, A> {
    tx: mpsc::SyncSender<(Part, usize, A)>,
    /// Set when the consumer stopped: the rest of the run is skipped.
    stop: &'a AtomicBool,
    turn: &'a Turn,
}

impl<A> Tap<'_, A> {
    /// Sends `aggregate` as `part` of its file, of that [`weight`]. The
    /// queue takes [`STREAM_QUEUE`] parts, and no more once they weigh
    /// [`STREAM_AHEAD`]: a part of short records holds about 1,300 of them
    /// (a `scan` row or more each).
    fn send(&self, part: Part, weight: usize, aggregate: A) {
        let queued = &self.turn.queued;
        while queued.load(Ordering::Acquire) >= STREAM_AHEAD
            && !self.stop.load(Ordering::Relaxed)
        {
            std::thread::sleep(Duration::from_micros(50));
        }
        queued.fetch_add(weight, Ordering::AcqRel);
        if self.tx.send((part, weight, aggregate)).is_err() {
            self.stop.store(true, Ordering::Relaxed);
        }
    }

    fn stopped(tap: Option<&Self>) -> bool {
        tap.is_some_and(|t| t.stop.load(Ordering::Relaxed))
    }

    /// Holds back the reader of input `file` while it is ahead of the
    /// consumer and parts of [`STREAM_AHEAD`] wait for their turn;
    /// meanwhile the thread matches the batches others hand to the
    /// pool. Without this, every batch of a file read alongside an earlier
    /// one waited for it: over ten JSONL files of 300,000 short records,
    /// `count --by doc -j2` took 1.1 GB (now 81 MB), `-j4` 2.4 GB.
    fn wait_turn(&self, file: u32) {
        let turn = self.turn;
        let ahead = || {
            file > turn.file.load(Ordering::Acquire)
                && turn.held.load(Ordering::Acquire) >= STREAM_AHEAD
                && !self.stop.load(Ordering::Relaxed)
        };
        if !ahead() {
            return;
        }
        turn.waiting.fetch_add(1, Ordering::AcqRel);
        while ahead() {
            if rayon::yield_now() != Some(rayon::Yield::Executed) {
                std::thread::sleep(Duration::from_micros(50));
            }
        }
        turn.waiting.fetch_sub(1, Ordering::AcqRel);
    }

    /// Whether a reader is held back, and the batches of the others should
    /// go to the pool for it to match.
    fn held_back(tap: Option<&Self>) -> bool {
        tap.is_some_and(|t| t.turn.waiting.load(Ordering::Acquire) > 0)
    }
}

/// [`run`], and with a tap, [`stream`]: the worker's aggregate goes to the
/// tap after each batch of an input, and after its last.
fn run_with<A, F>(
    inputs: &InputFiles,
    meta: &Metadata,
    matcher: Option<&Matcher>,
    opts: &RunOptions,
    make: &F,
    tap: Option<&Tap<A>>,
) -> (A, Summary)
where
    A: Aggregate,
    F: Fn() -> A + Sync,
{
    let start = Instant::now();
    let progress = progress_bar(inputs, opts.progress);
    let new_worker = || Worker {
        aggregate: make(),
        scratch: Scratch::default(),
        hits: Vec::new(),
        summary: Summary::default(),
        notes: Notes::default(),
        dropped: Vec::new(),
    };
    let ids = Mutex::new(IdRegister::default());
    let work = || {
        let firsts = opts.dedup.then(|| first_copies(inputs, meta, opts));
        // A loop over a batch's documents, not a fold: a fold moved the
        // worker (330 bytes for `count`) in and out of each call.
        let process_all =
            |w: &mut Worker<A>, docs: &[Document], input: &InputFile| {
                for doc in docs {
                    if !Tap::stopped(tap) {
                        let firsts = firsts.as_ref().map(|f| (f, input));
                        process(w, matcher, opts, firsts, doc);
                    }
                }
            };
        // Files are handed out in small runs, so that a thread never waits
        // while files remain, and each run is folded into one worker (a
        // worker per file cost a fresh aggregate, and a merge, for every
        // one of 60,000 small files). The batches of a file are spread
        // over the pool only when there are too few files to keep it busy:
        // nested spreading lets a waiting thread start yet another file,
        // and the files in flight, each with a block of text, add up. Too
        // few means under two files a thread, or none left to hand out and
        // a thread idle, which then helps with the files still being read
        // (two threads, a JSONL file of 440 MB and then three of 36 MB:
        // 1.62 s with the large one read alone, 1.09 s spread; four of
        // 36 MB and then one of 220 MB: 1.14 s, 0.74 s). The thread
        // reading a file then hands each batch to the pool and reads on
        // (reading a batch, then matching it with every thread, left the
        // others idle while it read: two threads were no faster than one
        // over a single large file).
        let threads = rayon::current_num_threads();
        let runs = runs(inputs, &opts.read, inputs.len() / (64 * threads));
        let few = inputs.len() < 2 * threads;
        // All runs begun and fewer in progress than threads: one is idle.
        let (runs_begun, runs_done) =
            (AtomicUsize::new(0), AtomicUsize::new(0));
        let spread = || {
            let begun = runs_begun.load(Ordering::Relaxed);
            threads > 1
                && (few
                    || begun == runs.len()
                        && begun - runs_done.load(Ordering::Relaxed) < threads
                    || Tap::held_back(tap))
        };
        let read_one = |w: Worker<A>, input: &InputFile| {
            if Tap::stopped(tap) {
                return w;
            }
            let mut slot = Some(w);
            let mut part = 0;
            let matched = Mutex::new(None);
            let waiting = AtomicUsize::new(0);
            // Batches matched, dropped by this thread, which allocated
            // them: glibc frees memory of another thread's arena under
            // that arena's lock, and consolidates it. Dropped by the thread
            // that matched them, two threads over one JSONL file of six
            // Xinwen Lianbo copies took 0.50 s (one thread 0.71 s); this
            // way, 0.42 s (medians of 21 alternating runs).
            let done = Mutex::new(Vec::new());
            let (matched_ref, waiting_ref, done_ref) =
                (&matched, &waiting, &done);
            let batch_part =
                |index| Part { file: input.rank, index, last: false };
            // First in, first out: a thread that waits for room, or for its
            // turn, matches the oldest batch, the one the consumer of a
            // stream waits for, not the newest.
            let read = rayon::scope_fifo(|scope| {
                corpus::read_batches(input, &opts.read, meta, &mut |batch| {
                    if let Some(tap) = tap {
                        tap.wait_turn(input.rank);
                    }
                    let mut w = slot.take().expect("worker present");
                    let docs = take_notes(&mut w, batch, input, &ids);
                    let index = part;
                    part += 1;
                    if docs.len() > 1 && spread() {
                        // Freed outside the lock.
                        let matched_before =
                            std::mem::take(&mut *lock(done_ref));
                        drop(matched_before);
                        make_room(waiting_ref, 2 * threads);
                        waiting_ref.fetch_add(1, Ordering::AcqRel);
                        scope.spawn_fifo(move |_| {
                            let mut t = new_worker();
                            process_all(&mut t, &docs, input);
                            let index = batch_part(index);
                            hand_over(tap, &mut t, index, &docs, make);
                            let mut matched = lock(matched_ref);
                            *matched = Some(match matched.take() {
                                Some(m) => Worker::merge(m, t),
                                None => t,
                            });
                            drop(matched);
                            lock(done_ref).push(docs);
                            waiting_ref.fetch_sub(1, Ordering::AcqRel);
                        });
                    } else {
                        process_all(&mut w, &docs, input);
                        hand_over(tap, &mut w, batch_part(index), &docs, make);
                    }
                    slot = Some(w);
                })
            });
            let mut w = slot.expect("worker present");
            if let Some(m) =
                matched.into_inner().unwrap_or_else(PoisonError::into_inner)
            {
                w = w.merge(m);
            }
            let last = Part { file: input.rank, index: part, last: true };
            hand_over(tap, &mut w, last, &[], make);
            if let Err(e) = read {
                w.note(
                    input.rank,
                    Warning {
                        location: input.display.to_string(),
                        message: error_message(&e),
                        skipped: true,
                    },
                );
            }
            if let (Some(bar), Some(path)) = (&progress, input.path()) {
                bar.inc(std::fs::metadata(path).map_or(0, |m| m.len()));
            }
            w
        };
        // Handed out in corpus order (rayon would split the list in
        // halves, and a second thread start half-way through it), so that
        // the batches a stream waits for are the ones in progress. Each
        // thread of the pool takes the next run until none is left: a
        // thread held back by a stream (see [`Tap::wait_turn`]) then only
        // finds batches to match in the pool, never another run, which it
        // would read whole above the one it waits in.
        let next_run = AtomicUsize::new(0);
        rayon::broadcast(|_| {
            let mut w = new_worker();
            loop {
                let i = next_run.fetch_add(1, Ordering::Relaxed);
                let Some(run) = runs.get(i) else { break };
                runs_begun.fetch_add(1, Ordering::Relaxed);
                for input in run.clone() {
                    w = read_one(w, &inputs.get(input));
                }
                runs_done.fetch_add(1, Ordering::Relaxed);
            }
            w
        })
        .into_iter()
        .reduce(Worker::merge)
    };
    let result = on_threads(opts.threads, work);
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let mut w = result.unwrap_or_else(new_worker);
    (w.summary.warnings, w.summary.repeated) = w.notes.finish();
    let more = w.summary.duplicates.saturating_sub(w.dropped.len() as u64);
    (w.summary.warnings).extend(w.dropped.into_iter().map(|d| d.1));
    if more > 0 {
        w.summary.warnings.push(Warning {
            location: "--dedup".into(),
            message: format!(
                "{} dropped as copies too; `tifa corpus --by doc` with and without --dedup lists them all",
                crate::output::quantity(more, "more document", "more documents")
            ),
            skipped: false,
        });
    }
    let ids = ids.into_inner().unwrap_or_else(PoisonError::into_inner);
    let display = |rank: u32| inputs.get(rank as usize).display.into_string();
    (w.summary.warnings).extend(ids.warnings(display, SAME_WARNINGS_KEPT));
    if let Some(warning) = matcher
        .and_then(|m| early_hits_warning(m, &w.summary.early, &opts.rerun))
    {
        w.summary.warnings.push(warning);
    }
    w.summary.elapsed = start.elapsed();
    (w.aggregate, w.summary)
}

/// Says which terms have hits dated before their first official use
/// (`ai-plus`: 人工智能+ in 2019 course names, before the 2024 policy):
/// the most first, three at most, and how to list them.
fn early_hits_warning(
    matcher: &Matcher,
    early: &BTreeMap<TermId, u64>,
    rerun: &Rerun,
) -> Option<Warning> {
    let mut terms: Vec<(u64, TermId)> =
        early.iter().map(|(&t, &n)| (n, t)).collect();
    terms.sort_by_key(|&(n, t)| (std::cmp::Reverse(n), t));
    let named: Vec<String> = (terms.iter().take(3))
        .filter_map(|&(n, t)| {
            let (id, first) = matcher.first_use(t)?;
            Some(format!("{id} {n} (before {first})"))
        })
        .collect();
    let (&(_, top), more) = (terms.first()?, terms.len().saturating_sub(3));
    let (id, first) = matcher.first_use(top)?;
    let more = match more {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    Some(Warning {
        location: "first_official_use".into(),
        message: format!(
            "hits dated before their term's first official use: {}{more}; an earlier sense, or an earlier use than the lexicon knows: `tifa{} scan --term {id} --status confirmed --until {}{}` lists them",
            named.join(", "),
            rerun.lexicon,
            crate::corpus::date_before(first),
            rerun.inputs,
        ),
        skipped: false,
    })
}

/// Runs `work` in a pool of `threads` threads, the run's `-j` (on this
/// thread if no pool can be built).
pub fn on_threads<R: Send>(
    threads: usize,
    work: impl FnOnce() -> R + Send,
) -> R {
    match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    }
}

/// With a tap, sends the worker's aggregate of `docs` as `part`, and
/// starts it anew.
fn hand_over<A: Aggregate, F: Fn() -> A>(
    tap: Option<&Tap<A>>,
    w: &mut Worker<A>,
    part: Part,
    docs: &[Document],
    make: &F,
) {
    if let Some(tap) = tap {
        let aggregate = std::mem::replace(&mut w.aggregate, make());
        tap.send(part, weight(docs) + aggregate.weight(), aggregate);
    }
}

/// Takes a batch's warnings and its count of documents left out into the
/// worker reading the file, in file order, and gives back its documents.
fn take_notes<A>(
    w: &mut Worker<A>,
    batch: corpus::FileDocs,
    input: &InputFile,
    ids: &Mutex<IdRegister>,
) -> Vec<Document> {
    if let Some(file) = batch.ids {
        lock(ids).add(input.rank, file);
    }
    w.summary.filtered += batch.filtered;
    w.summary.filtered_undated += batch.filtered_undated;
    for warning in batch.warnings {
        w.note(input.rank, warning);
    }
    batch.docs
}

/// Waits until fewer than `most` batches of a file wait to be matched,
/// matching them meanwhile: the thread reading a file runs at most that
/// far ahead of the pool, so that memory stays bounded.
fn make_room(waiting: &AtomicUsize, most: usize) {
    while waiting.load(Ordering::Acquire) >= most {
        if rayon::yield_now() != Some(rayon::Yield::Executed) {
            std::thread::yield_now();
        }
    }
}

/// A lock that a panicking worker left poisoned is taken all the same:
/// the panic is what the run reports.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn process<A: Aggregate>(
    w: &mut Worker<A>,
    matcher: Option<&Matcher>,
    opts: &RunOptions,
    firsts: Option<(&Firsts, &InputFile)>,
    doc: &Document,
) {
    if let Some((firsts, input)) = firsts
        && let Some((rank, first)) = firsts.get(&text_key(&doc.text, opts))
        && *rank != doc.rank
    {
        w.summary.duplicates += 1;
        w.drop_copy(doc.rank, || Warning {
            location: document_name(doc, input).into(),
            message: format!("dropped by --dedup: the same text as {first:?}"),
            skipped: false,
        });
        return;
    }
    w.hits.clear();
    if let Some(matcher) = matcher {
        let text = if opts.t2s {
            crate::t2s::to_simplified(&doc.text)
        } else {
            doc.text.as_str().into()
        };
        matcher.find(&text, &mut w.scratch, &mut w.hits);
        if let Some(date) = &doc.date {
            let early = (w.hits.iter())
                .filter(|h| h.status == Status::Confirmed)
                .filter(|h| matcher.before_first_use(h.term, date));
            for hit in early {
                *w.summary.early.entry(hit.term).or_default() += 1;
            }
        }
    }
    let size = DocSize::measure(&doc.text);
    w.summary.documents += 1;
    w.summary.bytes += size.bytes;
    w.summary.replacements += doc.replacements as u64;
    w.aggregate.add(doc, &size, &w.hits);
}

/// A first pass for `--dedup`: the rank of the first document of each
/// distinct normalized text, so that which copy is kept does not depend on
/// scheduling.
fn first_copies(
    inputs: &InputFiles,
    meta: &Metadata,
    opts: &RunOptions,
) -> Firsts {
    (0..inputs.len())
        .into_par_iter()
        .flat_map_iter(|i| {
            let input = inputs.get(i);
            // Only the keys are kept, batch by batch; read errors are
            // reported by the second pass.
            let mut keys = Vec::new();
            let _ = corpus::read_batches(&input, &opts.read, meta, &mut |b| {
                keys.extend(b.docs.iter().map(|d| {
                    let name = document_name(d, &input).into();
                    (text_key(&d.text, opts), (d.rank, name))
                }))
            });
            keys
        })
        .fold(Firsts::new, |mut m, (k, first)| {
            keep_first(&mut m, k, first);
            m
        })
        .reduce(Firsts::new, |mut a, b| {
            for (k, first) in b {
                keep_first(&mut a, k, first);
            }
            a
        })
}

/// Keeps `first` as the first copy of the text of `key` unless an
/// earlier document (by rank) has it.
fn keep_first(firsts: &mut Firsts, key: u128, first: ((u32, u32), Box<str>)) {
    match firsts.entry(key) {
        Entry::Occupied(mut kept) if first.0 < kept.get().0 => {
            kept.insert(first);
        }
        Entry::Occupied(_) => {}
        Entry::Vacant(slot) => {
            slot.insert(first);
        }
    }
}

/// How a warning names a document of `input`: by its label when that is
/// its place (a text file's path, `FILE#N`), else by its file and id.
fn document_name<'d>(doc: &'d Document, input: &InputFile) -> Cow<'d, str> {
    let file: &str = &input.display;
    match doc.id.strip_prefix(file) {
        Some(rest) if rest.is_empty() || rest.starts_with('#') => {
            Cow::Borrowed(&doc.id)
        }
        _ => Cow::Owned(format!("{file} (id {:?})", doc.id.as_str())),
    }
}

/// A 128-bit key of a document's normalized text without its white
/// space: two copies of an article differ in how they break lines and
/// paragraphs (a line break with a paragraph's indent is kept as one).
/// With `--t2s`, of the text converted to simplified characters, as
/// matching sees it: a dispatch and its traditional copy are one text.
fn text_key(text: &str, opts: &RunOptions) -> u128 {
    let text =
        if opts.t2s { crate::t2s::to_simplified(text) } else { text.into() };
    let norm = normalize::normalize(&text).text;
    let bare = norm.replace(char::is_whitespace, "");
    let half = |salt: u64| {
        let mut h = std::hash::DefaultHasher::new();
        salt.hash(&mut h);
        bare.hash(&mut h);
        h.finish()
    };
    (u128::from(half(1)) << 64) | u128::from(half(2))
}

fn progress_bar(
    inputs: &InputFiles,
    wanted: bool,
) -> Option<indicatif::ProgressBar> {
    if !wanted || !std::io::stderr().is_terminal() {
        return None;
    }
    let total: u64 = inputs
        .iter()
        .filter_map(|input| std::fs::metadata(input.path()?).ok())
        .map(|m| m.len())
        .sum();
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    // Only shown when the job takes more than a moment.
    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr_with_hz(4));
    Some(bar)
}

/// An error without the path (the warning names the file already).
fn error_message(e: &crate::Error) -> String {
    match e {
        crate::Error::Io { source, .. } => format!("{source}; skipped"),
        other => format!("{other}; skipped"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        /// The most weight that waited in a [`stream`] consumed on this
        /// thread.
        static MOST_HELD: std::cell::Cell<usize> =
            const { std::cell::Cell::new(0) };
    }

    /// Values quoted and numbers standing alone differ between warnings
    /// of one kind; a field's name, numbers inside words and ranges do
    /// not.
    #[test]
    fn kinds_of_messages() {
        for (message, kind) in [
            (
                r#"field "date": "03/05/2024" is not a date; kept undated"#,
                r#"field "date": "…" is not a date; kept undated"#,
            ),
            (
                "invalid JSON: expected value at line 1 column 5; record skipped",
                "invalid JSON: expected value at line … column …; record skipped",
            ),
            (
                r#"id "a\"b" given twice (line 3)"#,
                r#"id "…" given twice (line …)"#,
            ),
            (
                "is in the year 9999, not in 1800..=2100",
                "is in the year …, not in 1800..=2100",
            ),
            ("read as UTF-16LE", "read as UTF-16LE"),
            ("empty file", "empty file"),
        ] {
            assert_eq!(message_kind(message), kind);
        }
    }

    pub fn note_held(held: usize) {
        MOST_HELD.with(|m| m.set(m.get().max(held)));
    }

    /// The ids of the documents added, in order.
    #[derive(Default)]
    struct Ids(Vec<String>);

    impl Aggregate for Ids {
        fn add(&mut self, doc: &Document, _: &DocSize, _: &[Hit]) {
            self.0.push(doc.id.to_string());
        }
        fn merge(&mut self, other: Ids) {
            self.0.extend(other.0);
        }
    }

    /// With two threads, a large file of short records and seven smaller
    /// ones, and a consumer slower than the workers, the batches of the
    /// files read while the first is wait within a bound, not whole files
    /// of them (31 MB by [`weight`]), and every document comes out in
    /// corpus order.
    #[test]
    fn streams_hold_back_readers_ahead_of_the_consumer() {
        let dir = tempfile::tempdir().unwrap();
        let mut want = Vec::new();
        for f in 0..8 {
            let mut jsonl = String::new();
            for r in 0..if f == 0 { 20_000 } else { 4_000 } {
                let id = format!("f{f}r{r:04}");
                jsonl.push_str(&format!(
                    "{{\"id\":\"{id}\",\"text\":\"第{r}条：两新。\"}}\n"
                ));
                want.push(id);
            }
            std::fs::write(dir.path().join(format!("{f}.jsonl")), jsonl)
                .unwrap();
        }
        let given = [dir.path().to_string_lossy().into_owned()];
        let fields = corpus::Fields::default();
        let (inputs, meta, warnings) =
            corpus::expand_inputs(&given, None, &fields);
        assert!(warnings.is_empty(), "{warnings:?}");
        let mut opts = RunOptions { threads: 2, ..RunOptions::default() };
        // About 100 records a batch.
        opts.read.block_bytes = 4 << 10;
        MOST_HELD.with(|m| m.set(0));
        let (summary, got) =
            stream(&inputs, &meta, None, &opts, Ids::default, |batches| {
                let mut got = Vec::new();
                for ids in batches {
                    std::thread::sleep(Duration::from_micros(200));
                    got.extend(ids.0);
                }
                Ok(got)
            });
        assert_eq!(summary.documents, want.len() as u64);
        assert!(got.unwrap() == want, "out of corpus order");
        let most = MOST_HELD.with(|m| m.get());
        // What waits when the readers are held back, what the queue holds
        // meanwhile, and a few parts in flight; unbounded, 20 to 28 MB.
        assert!(most < 3 * STREAM_AHEAD, "{most} bytes held");
    }

    /// Copies of an article that differ only in white space, line breaks
    /// and paragraph indents are one text for `--dedup`; a word is not;
    /// with `--t2s`, nor is the script.
    #[test]
    fn dedup_keys_ignore_white_space() {
        let plain = RunOptions::default();
        let key = |text| text_key(text, &plain);
        let a = "推进“两重”建设。\r\n\u{3000}\u{3000}实施“两新”政策。";
        for b in [
            "推进“两重”建设。实施“两新”政策。",
            "推进“两重”\n建设。\n\n实施 “两新”政策。\n",
        ] {
            assert_eq!(key(a), key(b), "{b}");
        }
        assert_ne!(key(a), key("推进“两重”建设。实施“两新”政策"));
        let traditional = "推進“兩重”建設。實施“兩新”政策。";
        assert_ne!(key(a), key(traditional));
        let t2s = RunOptions { t2s: true, ..RunOptions::default() };
        assert_eq!(text_key(a, &t2s), text_key(traditional, &t2s));
    }

    fn part(file: u32, index: u32, last: bool) -> Part {
        Part { file, index, last }
    }

    /// Parts come out in corpus order whatever the order they came in:
    /// each once all before it have, across the end of an input.
    #[test]
    fn reorder_releases_in_corpus_order() {
        let mut r = Reorder::default();
        r.push(part(1, 0, true), "b0");
        r.push(part(0, 1, false), "a1");
        assert_eq!(r.pop(), None, "input 0 part 0 missing");
        r.push(part(0, 0, false), "a0");
        assert_eq!(r.pop(), Some("a0"));
        assert_eq!(r.pop(), Some("a1"));
        assert_eq!(r.pop(), None, "input 0 not finished");
        r.push(part(2, 0, true), "c0");
        r.push(part(0, 2, true), "a2");
        assert_eq!(r.pop(), Some("a2"));
        assert_eq!(r.pop(), Some("b0"));
        assert_eq!(r.pop(), Some("c0"));
        assert_eq!(r.pop(), None);
        assert!(r.waiting.is_empty());
    }

    /// Every order of `0..n`.
    fn permutations(n: usize) -> Vec<Vec<usize>> {
        if n == 0 {
            return vec![Vec::new()];
        }
        let shorter = permutations(n - 1);
        shorter
            .into_iter()
            .flat_map(|p| {
                (0..n).map(move |at| {
                    let mut q = p.clone();
                    q.insert(at, n - 1);
                    q
                })
            })
            .collect()
    }

    /// Whatever order the parts of three inputs come in, they come out in
    /// corpus order, each as soon as every part before it has come.
    #[test]
    fn reorder_any_arrival_order() {
        let parts = [
            part(0, 0, true),
            part(1, 0, false),
            part(1, 1, true),
            part(2, 0, true),
        ];
        for order in permutations(parts.len()) {
            let mut r = Reorder::default();
            let mut out = Vec::new();
            for (k, &i) in order.iter().enumerate() {
                r.push(parts[i], i);
                while let Some(x) = r.pop() {
                    out.push(x);
                }
                let came = &order[..=k];
                let ready =
                    (0..parts.len()).take_while(|j| came.contains(j)).count();
                assert_eq!(out.len(), ready, "{order:?}");
            }
            assert_eq!(out, [0, 1, 2, 3], "{order:?}");
        }
    }

    /// Files read as one document go out in runs; files of records, split
    /// files and stdin alone.
    #[test]
    fn runs_group_single_documents_only() {
        let names = ["a.txt", "b.md", "c.jsonl", "d.txt", "e.txt", "f.txt"];
        let files = names.iter().map(|n| InputFile::file(n.into()));
        let inputs: InputFiles = files
            .chain([InputFile::stream("-"), InputFile::file("g.txt".into())])
            .collect();
        let read = ReadOptions::default();
        assert_eq!(
            runs(&inputs, &read, 2),
            [0..2, 2..3, 3..5, 5..6, 6..7, 7..8]
        );
        assert_eq!(
            runs(&inputs, &read, 0),
            (0..8).map(|i| i..i + 1).collect::<Vec<_>>()
        );
        let split = ReadOptions {
            split: Some(regex::Regex::new("^#").unwrap()),
            ..ReadOptions::default()
        };
        let two: InputFiles = inputs.iter().take(2).collect();
        assert_eq!(runs(&two, &split, 10), [0..1, 1..2]);
    }

    /// Warnings as [`Notes::finish`] should give them: all of them in
    /// corpus order, each file and message kept [`SAME_WARNINGS_KEPT`]
    /// times, and how many more times it came after its last one kept.
    fn kept_naively(all: &[(u32, Warning)]) -> (Vec<Warning>, Vec<Repeated>) {
        let key =
            |w: &Warning| (w.file().to_string(), w.message.clone(), w.skipped);
        let mut seen: HashMap<_, usize> = HashMap::new();
        let mut kept = Vec::new();
        let mut repeated = Vec::new();
        for (_, w) in all {
            let n = seen.entry(key(w)).or_default();
            *n += 1;
            if *n <= SAME_WARNINGS_KEPT {
                kept.push(w.clone());
            }
            if *n == SAME_WARNINGS_KEPT {
                let total =
                    all.iter().filter(|(_, o)| key(o) == key(w)).count();
                if total > SAME_WARNINGS_KEPT {
                    repeated
                        .push((key(w), (total - SAME_WARNINGS_KEPT) as u64));
                }
            }
        }
        let repeated = repeated
            .into_iter()
            .map(|((file, message, skipped), more)| Repeated {
                file,
                message,
                skipped,
                more,
            })
            .collect();
        (kept, repeated)
    }

    proptest::proptest! {
        /// However the inputs are shared out among workers (each reading
        /// its own in corpus order) and their notes merged, the warnings
        /// kept and counted are those of one pass over the whole run.
        #[test]
        fn notes_keep_the_first_warnings_of_the_run(
            warnings in proptest::collection::vec(
                (0u32..6, 0usize..3, 0usize..2, proptest::bool::ANY),
                0..60,
            ),
            workers in proptest::collection::vec(0usize..3, 6),
        ) {
            let files = ["a.jsonl", "b.csv", "c.json"];
            let mut all: Vec<(u32, Warning)> = warnings
                .iter()
                .enumerate()
                .map(|(line, &(rank, file, message, skipped))| {
                    let location = match line % 3 {
                        0 => files[file].to_string(),
                        1 => format!("{}:{line}", files[file]),
                        _ => format!("{}#{line} (id \"x\", as record 1)", files[file]),
                    };
                    let message = ["no field \"text\"", "empty file"][message].into();
                    (rank, Warning { location, message, skipped })
                })
                .collect();
            all.sort_by_key(|w| w.0);
            let mut notes: Vec<Notes> = (0..3).map(|_| Notes::default()).collect();
            for (rank, w) in &all {
                notes[workers[*rank as usize]].note(*rank, w.clone());
            }
            let mut merged = Notes::default();
            for n in notes.into_iter().rev() {
                merged.merge(n);
            }
            let (kept, repeated) = merged.finish();
            let (want_kept, want_repeated) = kept_naively(&all);
            proptest::prop_assert_eq!(kept, want_kept);
            proptest::prop_assert_eq!(
                format!("{repeated:?}"),
                format!("{want_repeated:?}")
            );
        }
    }
}
