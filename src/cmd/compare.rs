//! `tifa compare`: keyness of each term between two corpora, or between
//! the two halves of one corpus split at a date.

use anyhow::Result;

use super::{Inputs, emit, finish, load_lexicon};
use crate::cli::{CompareArgs, GlobalArgs};
use tifa::analysis::{
    CountOptions, Counts, DateSplit, Grouping, compare_table,
};
use tifa::{Error, Matcher};

pub fn run(global: &GlobalArgs, args: &CompareArgs) -> Result<u8> {
    let inputs = &args.input.inputs;
    if args.split_date.is_none() && inputs.len() != 2 {
        return Err(Error::Usage(format!(
            "compare needs two inputs A and B, or --split-date DATE (got {} \
             input(s))",
            inputs.len()
        ))
        .into());
    }
    let lexicon = load_lexicon(global)?;
    let matcher = Matcher::new(&lexicon);
    let n = lexicon.terms.len();
    let (a, b, summary, note) = match &args.split_date {
        Some(date) => {
            let (split, summary) = Inputs::new(&args.input, global)
                .run(Some(&matcher), || DateSplit::new(date, n));
            let note = format!(
                "A = {} document(s) dated before {date}, B = {} from {date} \
                 on; left out {} undated and {} whose date spans {date}",
                docs(&split.before),
                docs(&split.after),
                split.undated,
                split.straddling
            );
            (split.before, split.after, summary, note)
        }
        None => {
            let whole = CountOptions {
                grouping: Grouping::All,
                all_terms: false,
                nesting: false,
            };
            let side = |path: &String| {
                let mut input = args.input.clone();
                input.inputs = vec![path.clone()];
                Inputs::new(&input, global)
                    .run(Some(&matcher), || Counts::new(whole.clone(), n))
            };
            let (a, mut summary) = side(&inputs[0]);
            let (b, summary_b) = side(&inputs[1]);
            let elapsed = summary.elapsed + summary_b.elapsed;
            summary.merge_run(summary_b);
            summary.elapsed = elapsed;
            let note = format!(
                "A = {} ({} document(s)), B = {} ({} document(s))",
                inputs[0],
                docs(&a),
                inputs[1],
                docs(&b)
            );
            (a, b, summary, note)
        }
    };
    emit(&compare_table(&lexicon, &a, &b), global)?;
    if !global.quiet {
        eprintln!("tifa: compare: {note}");
    }
    Ok(finish(&summary, global))
}

fn docs(counts: &Counts) -> u64 {
    counts.groups.values().map(|g| g.docs).sum()
}
