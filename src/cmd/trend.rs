//! `tifa trend`: each term per calendar period, as a long or wide table,
//! a summary per term, and a line chart.

use anyhow::Result;

use super::{Inputs, chosen_terms, emit, finish, load_lexicon_for};
use crate::cli::{GlobalArgs, TrendArgs};
use tifa::Lexicon;
use tifa::analysis::Trend;
use tifa::lexicon::{Lang, TermId};
use tifa::output::{
    ChartLine, LineChart, Staged, quantity, stage, write_line_chart,
};

/// Lines drawn when no --terms are given: more are unreadable.
pub(super) const CHART_TERMS: usize = 8;

pub fn run(global: &GlobalArgs, args: &TrendArgs) -> Result<u8> {
    let expanding = Inputs::expand(&args.input, global);
    let lexicon = load_lexicon_for(global, &args.input)?;
    let chosen = chosen_terms(
        &lexicon,
        &args.terms,
        "tifa trend --terms TERMS INPUT...",
    )?;
    let (matcher, mut inputs) = expanding.with_matcher(&lexicon);
    let (period, n) = (args.period, lexicon.terms.len());
    let (trend, summary) =
        inputs.run(Some(&matcher), || Trend::new(period, n), global)?;
    let terms = chosen.clone().unwrap_or_else(|| trend.found_terms());
    let table = if args.summary {
        trend.summary(&lexicon, &terms)
    } else if args.wide {
        trend.wide(&lexicon, &terms, args.value.unwrap_or_default())
    } else {
        trend.table(&lexicon, &terms, args.per_doc)
    };
    // The chart is staged first and put in place after the table is
    // written: a failure of either leaves neither.
    let dated = !trend.periods().is_empty();
    let svg = match &args.svg {
        // Lines over no period are an empty frame with a misleading axis.
        Some(path) if !dated => {
            if !global.quiet {
                eprintln!(
                    "tifa: warning: trend --svg: no document is dated by {} \
                     or more finely: no chart written ({} left as it was)",
                    period.name(),
                    path.display()
                );
            }
            None
        }
        Some(path) => {
            let lines = match chosen {
                Some(terms) => terms,
                None => most_hits(&trend, &terms),
            };
            let chart = chart(&trend, &lexicon, &lines);
            Some(stage(path, |w| write_line_chart(&chart, w))?)
        }
        None => None,
    };
    emit(&table, global)?;
    svg.map(Staged::persist).transpose()?;
    let rateless = trend.periods_without_rate();
    if !global.quiet && args.summary && rateless > 0 {
        let (unit, what) = match trend.rate_lang() {
            Lang::Zh => ("rate_zh", "Han characters"),
            Lang::En => ("rate_en", "English words"),
        };
        eprintln!(
            "tifa: trend: left out of slope and mk: {} with documents but \
             no {what} (no {unit})",
            quantity(rateless as u64, "period", "periods")
        );
    }
    if !global.quiet && trend.undated + trend.coarse > 0 {
        let why = match dated {
            true => String::new(),
            false => format!(
                "; dates come from metadata.csv, file names, the {:?} field \
                 of records (--date-field) or --split lines",
                args.input.date_field
            ),
        };
        eprintln!(
            "tifa: trend: left out {} without a date and {} dated more \
             coarsely than a {}{why}",
            quantity(trend.undated, "document", "documents"),
            quantity(trend.coarse, "document", "documents"),
            period.name()
        );
    }
    Ok(finish(&summary, global))
}

/// The terms with most hits, most first (ties by id).
fn most_hits(trend: &Trend, terms: &[TermId]) -> Vec<TermId> {
    let mut by_hits: Vec<(u64, TermId)> =
        terms.iter().map(|&t| (trend.hits(t), t)).collect();
    by_hits.sort_by_key(|&(h, t)| (std::cmp::Reverse(h), t));
    by_hits.into_iter().take(CHART_TERMS).map(|(_, t)| t).collect()
}

pub(super) fn chart(
    trend: &Trend,
    lexicon: &Lexicon,
    terms: &[TermId],
) -> LineChart {
    let period = trend.period();
    let periods = trend.periods();
    let (zh, en) = match trend.rate_lang() {
        Lang::Zh => ("每万字", "per 10,000 Han characters"),
        Lang::En => ("每万词", "per 10,000 English words"),
    };
    LineChart {
        title: format!(
            "提法频率 Formulations by {}: hits {en}",
            period.name()
        ),
        y_label: format!("{zh} {en}"),
        x_ordinals: periods.iter().map(|p| period.ordinal(p)).collect(),
        x_labels: periods,
        label_steps: period.label_steps().to_vec(),
        lines: terms
            .iter()
            .map(|&t| {
                let term = &lexicon.terms[t];
                let label = format!("{} {}", term.label_zh, term.label_en);
                ChartLine {
                    label: label.trim().to_string(),
                    values: trend.rates(t),
                }
            })
            .collect(),
    }
}
