//! `tifa kwic`: concordance lines of chosen terms, and samples of them for
//! precision audits.

use std::collections::BTreeMap;
use std::io::IsTerminal;

use anyhow::Result;

use super::{
    Inputs, emit, finish, load_lexicon_for, named_terms, output_format,
};
use crate::cli::{GlobalArgs, KwicArgs, statuses};
use tifa::analysis::kwic::show_breaks;
use tifa::analysis::{Kwic, KwicOptions, MatchFilter, Sample};
use tifa::output::{Format, highlight};
use tifa::table::Table;
use tifa::{Lexicon, Status};

pub fn run(global: &GlobalArgs, args: &KwicArgs) -> Result<u8> {
    let expanding = Inputs::expand(&args.input, global);
    let lexicon = load_lexicon_for(global, &args.input)?;
    let terms = named_terms(
        &lexicon,
        std::slice::from_ref(&args.terms),
        "tifa kwic TERMS INPUT...",
    )?;
    let mut statuses = statuses(&args.status);
    if statuses.is_empty() {
        statuses.push(Status::Confirmed);
    }
    let filter = MatchFilter::new(&statuses, Some(&terms));
    let options = KwicOptions {
        width: usize::from(args.width),
        sort: args.sort.unwrap_or_default(),
        limit: args.limit.filter(|&n| n > 0),
        sample: args.sample.map(|n| Sample { n, seed: args.seed }),
    };
    let (matcher, mut inputs) = expanding.with_matcher(&lexicon);
    let make = || Kwic::new(filter.clone(), options.clone());
    let breaks =
        matches!(output_format(global), Format::Table | Format::Markdown);
    let bold = on_terminal(global);
    if options.in_corpus_order() {
        // Written as documents complete; --limit cuts the stream, and the
        // rest is read all the same (the summary and exit code count it).
        let mut left = options.limit.unwrap_or(usize::MAX);
        let mut found = 0;
        let head = make().table(&lexicon);
        let summary = inputs.stream(
            Some(&matcher),
            make,
            &head,
            |kwic| {
                let mut table = kwic.table(&lexicon);
                found += table.rows.len();
                table.rows.truncate(left);
                left -= table.rows.len();
                present(&mut table, breaks, bold);
                table.rows
            },
            |_| Vec::new(),
            global,
        )?;
        if !global.quiet {
            say_limit(options.limit, found);
        }
        return Ok(finish(&summary, global));
    }
    let (kwic, summary) = inputs.run(Some(&matcher), make, global)?;
    let mut table = kwic.table(&lexicon);
    if !global.quiet {
        say_what_was_left_out(&kwic, &table, &lexicon, &options);
    }
    present(&mut table, breaks, bold);
    emit(&table, global)?;
    Ok(finish(&summary, global))
}

/// Says how many lines `--sample` and `--limit` kept of how many: per
/// term for a sample (its population, to weigh a precision by), in all
/// for a limit. Lines cut without a word read as all there are.
fn say_what_was_left_out(
    kwic: &Kwic,
    table: &Table,
    lexicon: &Lexicon,
    options: &KwicOptions,
) {
    let lines = kwic.docs.values().flat_map(|d| &d.lines);
    if let Some(sample) = options.sample {
        let mut found: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for line in lines {
            found.entry(&lexicon.terms[line.term].id).or_default().0 += 1;
        }
        let term = table.columns.iter().position(|c| c == "term");
        for row in &table.rows {
            if let Some(id) = term.and_then(|t| row[t].as_str()) {
                found.entry(id).or_default().1 += 1;
            }
        }
        let each: Vec<String> = (found.iter())
            .map(|(id, (all, kept))| format!("{id} {kept} of {all}"))
            .collect();
        eprintln!("tifa: kwic --sample {}: {}", sample.n, each.join(", "));
    } else {
        say_limit(options.limit, lines.count());
    }
}

/// Says what `--limit` kept of the `found` lines, when it cut any.
fn say_limit(limit: Option<usize>, found: usize) {
    if let Some(limit) = limit.filter(|&n| n < found) {
        eprintln!("tifa: kwic: {limit} of {found} lines (--limit {limit})");
    }
}

/// Rows as the output shows them: with `breaks` (a table or Markdown,
/// whose rows read as lines), a match across a line break shows it as ⏎,
/// as the contexts do (the data formats keep the exact quote); with
/// `bold` (see [`on_terminal`]), the match is in bold.
fn present(table: &mut Table, breaks: bool, bold: bool) {
    if breaks && let Some(c) = table.columns.iter().position(|c| c == "match")
    {
        for row in &mut table.rows {
            if let Some(s) = row[c].as_str()
                && s.contains(['\r', '\n'])
            {
                row[c] = show_breaks(s).into();
            }
        }
    }
    if bold {
        highlight(table, "match");
    }
}

/// Whether the table goes to a person at a terminal, who gets the match in
/// bold: not when NO_COLOR is set, nor on a terminal that says it cannot
/// show styles (TERM=dumb: Emacs' shell, some CI logs), where the escape
/// codes would show as text.
fn on_terminal(global: &GlobalArgs) -> bool {
    global.output.is_none()
        && global.format.is_none_or(|f| f == Format::Table)
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && !super::dumb_terminal()
}
