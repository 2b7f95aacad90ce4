//! `tifa cooc`: which formulations occur together, and how strongly.

use anyhow::Result;

use super::{
    Inputs, check_by_field, emit, finish, load_lexicon_for, named_terms,
};
use crate::cli::{CoocArgs, GlobalArgs};
use tifa::analysis::{Cooc, CoocOptions, Grouping};
use tifa::output::quantity;

pub fn run(global: &GlobalArgs, args: &CoocArgs) -> Result<u8> {
    let expanding = Inputs::expand(&args.input, global);
    let lexicon = load_lexicon_for(global, &args.input)?;
    let terms = if args.term.is_empty() {
        None
    } else {
        Some(named_terms(
            &lexicon,
            &args.term,
            "tifa cooc --term TERM INPUT...",
        )?)
    };
    let options = CoocOptions {
        unit: args.unit,
        grouping: args.by.clone().unwrap_or(Grouping::All),
        min: args.min,
        terms,
        sort: args.sort,
        sites: args.sites,
    };
    let (matcher, inputs) = expanding.with_matcher(&lexicon);
    let n = lexicon.terms.len();
    let (cooc, mut summary) = inputs.run(
        Some(&matcher),
        || Cooc::new(options.clone(), n),
        global,
    )?;
    let table = if args.sites {
        cooc.sites(&lexicon)
    } else if args.matrix {
        cooc.matrix(&lexicon)
    } else if args.edges {
        let (edges, left_out) = cooc.edges(&lexicon, args.weight);
        if left_out > 0 && !global.quiet {
            eprintln!(
                "tifa: warning: cooc --edges: left out {} with {} ≤ 0 (together no more \
                 often than chance): edge weights must be positive",
                quantity(left_out, "pair", "pairs"),
                args.weight.name()
            );
        }
        edges
    } else {
        cooc.table(&lexicon)
    };
    check_by_field(args.by.as_ref(), &table, &mut summary);
    emit(&table, global)?;
    Ok(finish(&summary, global))
}
