//! `tifa count`: frequency of each formulation, optionally per group.

use anyhow::Result;

use super::{emit, expand, finish, load_lexicon};
use crate::cli::{CountArgs, GlobalArgs};
use tifa::Matcher;
use tifa::analysis::{CountOptions, Counts, Grouping};
use tifa::pipeline;

pub fn run(global: &GlobalArgs, args: &CountArgs) -> Result<u8> {
    let lexicon = load_lexicon(global)?;
    let matcher = Matcher::new(&lexicon);
    let (files, mut summary) = expand(&args.input);
    let options = CountOptions {
        grouping: args.by.clone().unwrap_or(Grouping::All),
        all_terms: args.all,
    };
    let terms = lexicon.terms.len();
    let (counts, run) =
        pipeline::run(&files, &matcher, global.threads, || Counts::new(options.clone(), terms));
    summary.merge_run(run);
    emit(&counts.table(&lexicon), global)?;
    Ok(finish(&summary, global))
}
