//! `tifa count`: frequency of each formulation, optionally per group.

use std::collections::HashSet;

use anyhow::Result;

use super::{
    Inputs, check_by_field, chosen_terms, emit, finish, load_lexicon_for,
    quantity,
};
use crate::cli::{CountArgs, GlobalArgs};
use tifa::analysis::{Aggregate, CountOptions, Counts, Grouping, WithNested};
use tifa::corpus::Warning;
use tifa::hash::{FNV_OFFSET, fnv1a};
use tifa::lexicon::Lexicon;
use tifa::matcher::Matcher;
use tifa::pipeline::Summary;

pub fn run(global: &GlobalArgs, args: &CountArgs) -> Result<u8> {
    let expanding = Inputs::expand(&args.input, global);
    let lexicon = load_lexicon_for(global, &args.input)?;
    let terms = chosen_terms(
        &lexicon,
        &args.terms,
        "tifa count --terms TERMS INPUT...",
    )?;
    let (matcher, mut inputs) = expanding.with_matcher(&lexicon);
    let options = CountOptions {
        grouping: args.by.clone().unwrap_or(Grouping::All),
        all_terms: args.all,
        nesting: args.nesting,
        terms,
    };
    let terms = lexicon.terms.len();
    let new = || {
        let counts = Counts::new(options.clone(), terms);
        if args.concepts { counts.with_mentions() } else { counts }
    };
    let by_doc = matches!(options.grouping, Grouping::Doc);
    let (counts, mut summary) = if args.nesting {
        let t2s = args.input.t2s;
        let with = || WithNested::new(new(), &matcher, t2s);
        if by_doc {
            let summary = stream_by_doc(
                inputs,
                &matcher,
                with,
                |w| &w.inner,
                &lexicon,
                global,
            )?;
            return Ok(finish(&summary, global));
        }
        let (with, summary) = inputs.run(Some(&matcher), with, global)?;
        (with.inner, summary)
    } else {
        if by_doc {
            let summary =
                stream_by_doc(inputs, &matcher, new, |c| c, &lexicon, global)?;
            return Ok(finish(&summary, global));
        }
        inputs.run(Some(&matcher), new, global)?
    };
    let table = counts.table(&lexicon);
    check_by_field(args.by.as_ref(), &table, &mut summary);
    emit(&table, global)?;
    Ok(finish(&summary, global))
}

/// `--by doc`: the rows are written as the documents are counted, batch by
/// batch, in corpus order. Each document is a group of its own, and such
/// groups sort by corpus position, so the bytes are those of the whole
/// table; but no table of every document's counts is held (1 GB over the
/// 127,000 documents of six Xinwen Lianbo copies, when each took 7 KB).
/// `counts` finds the counts in the aggregate `make` makes.
fn stream_by_doc<A: Aggregate>(
    inputs: Inputs,
    matcher: &Matcher,
    make: impl Fn() -> A + Sync,
    counts: impl Fn(&A) -> &Counts + Sync,
    lexicon: &Lexicon,
    global: &GlobalArgs,
) -> Result<Summary> {
    // With --all, a table of no group lists every term once, unnamed: the
    // head is its columns alone.
    let head = counts(&make()).table(lexicon).without_rows();
    // The labels of the documents with rows, to find one given twice: as
    // 64-bit hashes, about 16 bytes a document in the set whatever the
    // label's length; the first LABELS_KEPT of them, so that memory does
    // not grow with the corpus (28 bytes a document: 137 MB over 4 million
    // records), and later ones checked against those.
    let mut labels: HashSet<u64> = HashSet::new();
    let (mut repeated, mut first, mut unkept) = (0u64, None, false);
    let mut summary = inputs.stream(
        Some(matcher),
        make,
        &head,
        |batch| {
            let batch = counts(&batch);
            for key in batch.groups.keys() {
                let hash = fnv1a(FNV_OFFSET, key.label.as_bytes());
                let new = if labels.len() < LABELS_KEPT {
                    labels.insert(hash)
                } else {
                    unkept = true;
                    !labels.contains(&hash)
                };
                if !new {
                    repeated += 1;
                    first.get_or_insert_with(|| key.label.clone());
                }
            }
            if batch.groups.is_empty() {
                return Vec::new();
            }
            batch.table(lexicon).rows
        },
        |_| Vec::new(),
        global,
    )?;
    // A file names each of its records apart (`FILE#N`), but ids repeat
    // across files: daily files number their records from 1.
    if let Some(label) = first {
        summary.warnings.push(Warning {
            location: "--by doc".into(),
            message: format!(
                "{} labelled as another document of another file (the first: {label:?}): their rows cannot be told apart, and `tifa diff` refuses them; --id-field can name a field unique across files",
                quantity(repeated, "document is", "documents are")
            ),
            skipped: false,
        });
    }
    if unkept {
        summary.warnings.push(Warning {
            location: "--by doc".into(),
            message: format!(
                "labels after the first {LABELS_KEPT} documents with rows were checked against those only, so that memory does not grow with the corpus"
            ),
            skipped: false,
        });
    }
    Ok(summary)
}

/// How many labels of documents `count --by doc` keeps, to find repeated
/// ones: as the ids of a file, about 17 MB.
const LABELS_KEPT: usize = 900_000;
