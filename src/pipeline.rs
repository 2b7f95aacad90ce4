//! The flow from inputs to aggregates: read and decode each file, match
//! each document, fold the matches into an [`Aggregate`]. Files are spread
//! over a thread pool; each worker folds into its own aggregate and the
//! partial aggregates merge, so the result does not depend on the thread
//! count or on scheduling.

use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::analysis::{Aggregate, DocSize};
use crate::corpus::{self, Document, InputFile, Warning};
use crate::matcher::{Hit, Matcher, Scratch};

/// What was read, for the summary line and for `tifa corpus`.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Documents matched.
    pub documents: u64,
    /// Bytes of decoded text.
    pub bytes: u64,
    /// Invalid byte sequences replaced while decoding.
    pub replacements: u64,
    /// Inputs (files or records) that could not be read.
    pub skipped: u64,
    /// Problems, in corpus order.
    pub warnings: Vec<Warning>,
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
        self.warnings.extend(o.warnings);
    }

    /// Throughput over the decoded text, in MB/s.
    pub fn megabytes_per_second(&self) -> f64 {
        self.bytes as f64 / 1e6 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Per-worker state.
struct Worker<A> {
    aggregate: A,
    scratch: Scratch,
    hits: Vec<Hit>,
    summary: Summary,
    /// Warnings with the rank of their input, sorted at the end.
    warnings: Vec<((u32, u32), Warning)>,
}

/// Runs `inputs` through `matcher` into aggregates made by `make`, on
/// `threads` threads (0: one per core).
pub fn run<A, F>(
    inputs: &[InputFile],
    matcher: &Matcher,
    threads: usize,
    make: F,
) -> (A, Summary)
where
    A: Aggregate,
    F: Fn() -> A + Sync,
{
    let start = Instant::now();
    let new_worker = || Worker {
        aggregate: make(),
        scratch: Scratch::default(),
        hits: Vec::new(),
        summary: Summary::default(),
        warnings: Vec::new(),
    };
    let work = || {
        inputs
            .par_iter()
            .fold(new_worker, |mut w, input| {
                let mut warnings = Vec::new();
                match corpus::read_file(input, &mut warnings) {
                    Ok(docs) => {
                        for doc in &docs {
                            process(&mut w, matcher, doc);
                        }
                    }
                    Err(e) => {
                        w.summary.skipped += 1;
                        warnings.push(Warning {
                            location: input.display.clone(),
                            message: error_message(&e),
                            skipped: true,
                        });
                    }
                }
                for warning in warnings {
                    w.summary.skipped += u64::from(warning.skipped);
                    w.warnings.push(((input.rank, 0), warning));
                }
                w
            })
            .reduce_with(|mut a, b| {
                a.aggregate.merge(b.aggregate);
                a.summary.merge(b.summary);
                a.warnings.extend(b.warnings);
                a
            })
    };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build();
    let result = match pool {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    };
    let mut w = result.unwrap_or_else(new_worker);
    w.warnings.sort_by(|a, b| a.0.cmp(&b.0));
    w.summary.warnings = w.warnings.into_iter().map(|(_, warning)| warning).collect();
    w.summary.elapsed = start.elapsed();
    (w.aggregate, w.summary)
}

fn process<A: Aggregate>(w: &mut Worker<A>, matcher: &Matcher, doc: &Document) {
    w.hits.clear();
    matcher.find(&doc.text, &mut w.scratch, &mut w.hits);
    let size = DocSize::measure(&doc.text);
    w.summary.documents += 1;
    w.summary.bytes += size.bytes;
    w.summary.replacements += doc.replacements as u64;
    w.aggregate.add(doc, &size, &w.hits);
}

/// An I/O error without the path (the warning names the file already).
fn error_message(e: &crate::Error) -> String {
    match e {
        crate::Error::Io { source, .. } => format!("{source}; skipped"),
        other => format!("{other}; skipped"),
    }
}
