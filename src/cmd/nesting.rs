//! `tifa nesting`: which terms sit inside longer forms of other terms.

use anyhow::Result;

use super::{Inputs, emit, finish, load_lexicon_for};
use crate::cli::{GlobalArgs, NestingArgs};
use tifa::analysis::{NestingPairs, WithNested};

pub fn run(global: &GlobalArgs, args: &NestingArgs) -> Result<u8> {
    let expanding = Inputs::expand(&args.input, global);
    let lexicon = load_lexicon_for(global, &args.input)?;
    let (matcher, mut inputs) = expanding.with_matcher(&lexicon);
    let t2s = args.input.t2s;
    let (nesting, summary) = inputs.run(
        Some(&matcher),
        || WithNested::new(NestingPairs::default(), &matcher, t2s),
        global,
    )?;
    emit(&nesting.inner.table(&lexicon), global)?;
    Ok(finish(&summary, global))
}
