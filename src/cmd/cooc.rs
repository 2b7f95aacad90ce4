//! `tifa cooc`: which formulations occur together, and how strongly.

use anyhow::Result;

use super::{
    Inputs, check_by_field, chosen_terms, emit, finish, load_lexicon_for,
};
use crate::cli::{CoocArgs, GlobalArgs};
use tifa::analysis::{Cooc, CoocOptions, Grouping};
use tifa::lexicon::Lexicon;
use tifa::matcher::Matcher;
use tifa::output::quantity;

pub fn run(global: &GlobalArgs, args: &CoocArgs) -> Result<u8> {
    let expanding = Inputs::expand(&args.input, global);
    let lexicon = load_lexicon_for(global, &args.input)?;
    let terms =
        chosen_terms(&lexicon, &args.term, "tifa cooc --term TERM INPUT...")?;
    let options = CoocOptions {
        unit: args.unit,
        grouping: args.by.clone().unwrap_or(Grouping::All),
        min: args.min,
        terms,
        sort: args.sort,
        sites: args.sites,
    };
    let (matcher, mut inputs) = expanding.with_matcher(&lexicon);
    let n = lexicon.terms.len();
    // Sites from files are written in a second pass, batch by batch (see
    // below); from a stream, read once, they are kept in the first.
    let keep_sites = args.sites && inputs.stream_given().is_some();
    let (cooc, mut summary) = inputs.run(
        Some(&matcher),
        || Cooc::new(CoocOptions { sites: keep_sites, ..options.clone() }, n),
        global,
    )?;
    if args.sites && !keep_sites {
        check_by_field(args.by.as_ref(), &cooc.table(&lexicon), &mut summary);
        stream_sites(global, &lexicon, &matcher, inputs, &cooc)?;
        return Ok(finish(&summary, global));
    }
    let table = if args.sites {
        cooc.sites(&lexicon, &cooc)
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

/// Writes the sites of the pairs that `totals`, the first pass, lists, as
/// a second pass over the inputs finds them: batch by batch, in corpus
/// order, so that memory does not grow with the sites (over 218 MB of
/// news, 312,510 rows took 627 MB when they were all kept). The second
/// pass's warnings are the first's, already in its summary.
fn stream_sites(
    global: &GlobalArgs,
    lexicon: &Lexicon,
    matcher: &Matcher,
    inputs: Inputs,
    totals: &Cooc,
) -> Result<()> {
    let options = CoocOptions { sites: true, ..totals.options().clone() };
    let n = lexicon.terms.len();
    let make = || Cooc::new(options.clone(), n);
    let head = make().sites(lexicon, totals);
    inputs.stream(
        Some(matcher),
        make,
        &head,
        |batch| batch.sites(lexicon, totals).rows,
        |_| Vec::new(),
        global,
    )?;
    Ok(())
}
