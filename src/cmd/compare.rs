//! `tifa compare`: keyness of each term between two corpora, or between
//! the two halves of one corpus split at a date.

use anyhow::Result;

use super::{Inputs, emit, finish, load_lexicon_for};
use crate::cli::{CompareArgs, GlobalArgs};
use tifa::analysis::{
    CountOptions, Counts, DateSplit, Grouping, compare_table,
};
use tifa::output::quantity;
use tifa::{Error, Matcher};

pub fn run(global: &GlobalArgs, args: &CompareArgs) -> Result<u8> {
    let inputs = &args.input.inputs;
    if args.split_date.is_none() && inputs.len() != 2 {
        return Err(Error::Usage(format!(
            "compare needs two inputs A and B, or --split-date DATE (got {})",
            quantity(inputs.len() as u64, "input", "inputs")
        ))
        .into());
    }
    let lexicon = load_lexicon_for(global, &args.input)?;
    let matcher = Matcher::new(&lexicon);
    let n = lexicon.terms.len();
    let (a, b, summary, note) = match &args.split_date {
        Some(date) => {
            let (split, summary) = Inputs::new(&args.input, global).run(
                Some(&matcher),
                || DateSplit::new(date, n),
                global,
            )?;
            let note = format!(
                "A = {} dated before {date}, B = {} from {date} on; left \
                 out {} without a date and {} whose date spans {date}",
                quantity(docs(&split.before), "document", "documents"),
                quantity(docs(&split.after), "document", "documents"),
                quantity(split.undated, "document", "documents"),
                quantity(split.straddling, "document", "documents")
            );
            check_sides(
                &split.before,
                &split.after,
                &format!("dated before {date}"),
                &format!("dated from {date} on"),
            )?;
            (split.before, split.after, summary, note)
        }
        None => {
            let whole = CountOptions {
                grouping: Grouping::All,
                all_terms: false,
                nesting: false,
                terms: None,
            };
            let side = |path: &String| {
                let mut input = args.input.clone();
                input.inputs = vec![path.clone()];
                Inputs::new(&input, global).run(
                    Some(&matcher),
                    || Counts::new(whole.clone(), n),
                    global,
                )
            };
            let (a, mut summary) = side(&inputs[0])?;
            let (b, summary_b) = side(&inputs[1])?;
            check_sides(
                &a,
                &b,
                &format!("in {}", inputs[0]),
                &format!("in {}", inputs[1]),
            )?;
            let elapsed = summary.elapsed + summary_b.elapsed;
            summary.merge_run(summary_b);
            summary.elapsed = elapsed;
            let note = format!(
                "A = {} ({}), B = {} ({})",
                inputs[0],
                quantity(docs(&a), "document", "documents"),
                inputs[1],
                quantity(docs(&b), "document", "documents")
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

/// Refuses a side without documents, or whose documents hold no Han
/// character and no English word: against an empty side every term would
/// be "stable" (or "new"), a table that says nothing and looks like an
/// answer. Nothing is written; the error names the empty side.
fn check_sides(
    a: &Counts,
    b: &Counts,
    what_a: &str,
    what_b: &str,
) -> Result<()> {
    match (docs(a), docs(b)) {
        (0, 0) => anyhow::bail!(
            "compare: A and B are empty: no document {what_a}, none \
             {what_b}; nothing to compare"
        ),
        (0, n) => anyhow::bail!(
            "compare: A is empty: no document {what_a} (B has {}); nothing \
             to compare",
            quantity(n, "document", "documents")
        ),
        (n, 0) => anyhow::bail!(
            "compare: B is empty: no document {what_b} (A has {}); nothing \
             to compare",
            quantity(n, "document", "documents")
        ),
        _ => {}
    }
    for (side, counts, what) in [("A", a, what_a), ("B", b, what_b)] {
        let size =
            counts.groups.values().map(|g| g.size.han_chars + g.size.en_words);
        if size.sum::<u64>() == 0 {
            anyhow::bail!(
                "compare: {side} has no text to weigh: {} {what}, with no \
                 Han character and no English word; nothing to compare",
                quantity(docs(counts), "document", "documents")
            );
        }
    }
    Ok(())
}

fn docs(counts: &Counts) -> u64 {
    counts.groups.values().map(|g| g.docs).sum()
}
