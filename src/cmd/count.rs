//! `tifa count`: frequency of each formulation, optionally per group.

use anyhow::Result;

use super::{
    Inputs, check_by_field, emit, finish, load_lexicon_for, named_terms,
};
use crate::cli::{CountArgs, GlobalArgs};
use tifa::analysis::{CountOptions, Counts, Grouping, WithNested};

pub fn run(global: &GlobalArgs, args: &CountArgs) -> Result<u8> {
    let expanding = Inputs::expand(&args.input, global);
    let lexicon = load_lexicon_for(global, &args.input)?;
    let terms = if args.terms.is_empty() {
        None
    } else {
        Some(named_terms(
            &lexicon,
            &args.terms,
            "tifa count --terms TERMS INPUT...",
        )?)
    };
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
    let (counts, mut summary) = if args.nesting {
        let t2s = args.input.t2s;
        let (with, summary) = inputs.run(
            Some(&matcher),
            || WithNested::new(new(), &matcher, t2s),
            global,
        )?;
        (with.inner, summary)
    } else {
        inputs.run(Some(&matcher), new, global)?
    };
    let table = counts.table(&lexicon);
    check_by_field(args.by.as_ref(), &table, &mut summary);
    emit(&table, global)?;
    Ok(finish(&summary, global))
}
