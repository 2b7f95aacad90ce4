//! `tifa count`: frequency of each formulation, optionally per group.

use anyhow::Result;

use super::{
    Inputs, check_by_field, chosen_terms, emit, finish, load_lexicon_for,
};
use crate::cli::{CountArgs, GlobalArgs};
use tifa::analysis::{Aggregate, CountOptions, Counts, Grouping, WithNested};
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
    inputs.stream(
        Some(matcher),
        make,
        &head,
        |batch| {
            let batch = counts(&batch);
            if batch.groups.is_empty() {
                return Vec::new();
            }
            batch.table(lexicon).rows
        },
        |_| Vec::new(),
        global,
    )
}
