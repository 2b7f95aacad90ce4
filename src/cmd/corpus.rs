//! `tifa corpus`: what was read, so that users can check what went in
//! before they trust what comes out.

use anyhow::Result;

use super::{Inputs, emit, finish};
use crate::cli::{CorpusArgs, GlobalArgs};
use tifa::analysis::{CorpusStats, Grouping};

pub fn run(global: &GlobalArgs, args: &CorpusArgs) -> Result<u8> {
    let inputs = Inputs::new(&args.input, global);
    let grouping = args.by.clone().unwrap_or(Grouping::All);
    let (stats, summary) =
        inputs.run(None, || CorpusStats::new(grouping.clone()));
    emit(&stats.table(&summary), global)?;
    Ok(finish(&summary, global))
}
