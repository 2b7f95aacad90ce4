//! `tifa scan`: every match with its status, the rows behind the counts.

use anyhow::Result;

use super::{Inputs, chosen_terms, finish, load_lexicon_for};
use crate::cli::{GlobalArgs, ScanArgs, statuses};
use tifa::analysis::{MatchFilter, Scan};

pub fn run(global: &GlobalArgs, args: &ScanArgs) -> Result<u8> {
    let expanding = Inputs::expand(&args.input, global);
    let lexicon = load_lexicon_for(global, &args.input)?;
    let terms =
        chosen_terms(&lexicon, &args.term, "tifa scan --term TERM INPUT...")?;
    let filter = MatchFilter::new(&statuses(&args.status), terms.as_deref());
    let (matcher, inputs) = expanding.with_matcher(&lexicon);
    let head = Scan::new(filter.clone()).table(&lexicon, &matcher);
    let summary = inputs.stream(
        Some(&matcher),
        || Scan::new(filter.clone()),
        &head,
        |scan| scan.table(&lexicon, &matcher).rows,
        |_| Vec::new(),
        global,
    )?;
    Ok(finish(&summary, global))
}
