//! `tifa renderings`: each form of each formulation found, with its dates;
//! `--gaps`: formulations that a bilingual passage has in one language only.

use anyhow::Result;

use super::{Inputs, check_by_field, emit, finish, load_lexicon_for};
use crate::cli::{GlobalArgs, RenderingsArgs};
use tifa::analysis::{Gaps, Grouping, Renderings};

pub fn run(global: &GlobalArgs, args: &RenderingsArgs) -> Result<u8> {
    let expanding = Inputs::expand(&args.input, global);
    let lexicon = load_lexicon_for(global, &args.input)?;
    let (matcher, mut inputs) = expanding.with_matcher(&lexicon);
    let (table, mut summary) = if args.gaps {
        let empty = Gaps::new(&matcher);
        let (gaps, summary) =
            inputs.run(Some(&matcher), || empty.empty(), global)?;
        (gaps.table(&lexicon), summary)
    } else {
        let grouping = args.by.clone().unwrap_or(Grouping::All);
        let (renderings, summary) = inputs.run(
            Some(&matcher),
            || Renderings::new(grouping.clone()),
            global,
        )?;
        (renderings.table(&lexicon, &matcher), summary)
    };
    check_by_field(args.by.as_ref(), &table, &mut summary);
    emit(&table, global)?;
    Ok(finish(&summary, global))
}
