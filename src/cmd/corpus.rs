//! `tifa corpus`: what was read, so that users can check what went in
//! before they trust what comes out.

use anyhow::Result;

use super::{Inputs, check_by_field, emit, finish};
use crate::cli::{CorpusArgs, GlobalArgs};
use tifa::analysis::{CorpusStats, Grouping};

pub fn run(global: &GlobalArgs, args: &CorpusArgs) -> Result<u8> {
    let mut inputs = Inputs::new(&args.input, global);
    let grouping = args.by.clone().unwrap_or(Grouping::All);
    let (stats, mut summary) =
        inputs.run(None, || CorpusStats::new(grouping.clone()), global)?;
    let table = stats.table(&summary);
    check_by_field(args.by.as_ref(), &table, &mut summary);
    emit(&table, global)?;
    Ok(finish(&summary, global))
}
