//! `tifa report`: one pass over the inputs into a folder an analyst can
//! read, send and cite: index.md (and index.html), the CSVs, summary.json
//! and the charts. Glue only: the aggregate is in `analysis`, the folder
//! and its formats in `output::report`.

use anyhow::Result;
use serde_json::json;

use super::trend::{CHART_TERMS, chart};
use super::{Inputs, finish, load_lexicon_for};
use crate::cli::{GlobalArgs, ReportArgs};
use chrono::NaiveDate;
use tifa::analysis::trend::Period;
use tifa::analysis::{REPORT_UNIT, ReportAggregate};
use tifa::corpus::date_range;
use tifa::lexicon::{Lang, TermId};
use tifa::output::report::{
    Block, REPORT_FILES, csv, fnv1a64, foreign_entries, html, markdown,
    write_folder,
};
use tifa::output::{
    CsvOptions, Heatmap, quantity, thousands, write_heatmap, write_line_chart,
};
use tifa::table::{Cell, Table};
use tifa::{Lexicon, lexicon as lex};

/// Terms in the heatmap at most: beyond, its cells are too small to read.
const HEATMAP_TERMS: usize = 15;

pub fn run(global: &GlobalArgs, args: &ReportArgs) -> Result<u8> {
    if global.output.is_some() || global.format.is_some() {
        anyhow::bail!(
            "report writes a folder of every format (--out DIR); -o and --format are for the other commands"
        );
    }
    check_out_folder(&args.out)?;
    let expanding = Inputs::expand(&args.input, global);
    let lexicon = load_lexicon_for(global, &args.input)?;
    let sources = if global.lexicon.is_empty() {
        lex::default_sources()
    } else {
        lex::read_sources(&global.lexicon)?
    };
    let texts: Vec<&[u8]> =
        sources.iter().map(|s| s.text.as_bytes()).collect();
    let hash = fnv1a64(&texts);
    let (matcher, mut inputs) = expanding.with_matcher(&lexicon);
    let (period, n) = (args.period, lexicon.terms.len());
    let (agg, summary) = inputs.run(
        Some(&matcher),
        || ReportAggregate::new(period, n),
        global,
    )?;

    let counts = agg.counts.table(&lexicon);
    let top: Vec<TermId> = top_terms(&lexicon, &counts, args.top);
    let trend_terms = agg.trend.found_terms();
    let trend_table = agg.trend.table(&lexicon, &trend_terms, false);
    let cooc_table = agg.cooc.table(&lexicon);
    let corpus = agg.corpus.table(&summary);
    let fact = |col: &str| cell(&corpus, 0, col);
    let stamp = args.stamp.then(utc_now);
    // One line: a line break would end the heading and start Markdown.
    let title = args.title.as_deref().unwrap_or("tifa report");
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");

    let mut trend_svg = Vec::new();
    // The most frequent terms of the series: a term found only in
    // undated documents would be a line at zero that trend.csv lacks.
    let lines: Vec<TermId> = (top.iter().copied())
        .filter(|t| trend_terms.contains(t))
        .take(CHART_TERMS)
        .collect();
    write_line_chart(&chart(&agg.trend, &lexicon, &lines), &mut trend_svg)?;
    let heat_terms: Vec<TermId> =
        top.iter().copied().take(HEATMAP_TERMS).collect();
    let mut cooc_svg = Vec::new();
    write_heatmap(&heatmap(&agg, &lexicon, &heat_terms), &mut cooc_svg)?;

    // index.md
    let mut b = vec![Block::Title(title.clone())];
    if let Some(t) = &stamp {
        b.push(Block::Para(format!("Generated {t}")));
    }
    b.push(Block::Heading(2, "What was read".into()));
    let dates = match (fact("first_date"), fact("last_date")) {
        (f, _) if f.is_empty() => "no dated documents".to_string(),
        (f, l) => format!("dated {f} to {l}"),
    };
    let number = |col: &str| fact(col).parse::<u64>().unwrap_or(0);
    let (since, until) = (&args.input.since, &args.input.until);
    let range = match (since, until) {
        (None, None) => String::new(),
        _ => format!(
            " (kept by{}{}: {} dated outside the range and {} undated left out)",
            since.as_ref().map_or(String::new(), |d| format!(" --since {d}")),
            until.as_ref().map_or(String::new(), |d| format!(" --until {d}")),
            thousands(summary.filtered - summary.filtered_undated),
            thousands(summary.filtered_undated),
        ),
    };
    let mut read = vec![
        format!(
            "{}, {dates}{range}",
            quantity(number("documents"), "document", "documents")
        ),
        format!(
            "{}, {}",
            quantity(number("han_chars"), "Han character", "Han characters"),
            quantity(number("en_words"), "English word", "English words")
        ),
        format!(
            "{} skipped (unreadable or too large)",
            quantity(number("skipped"), "input", "inputs")
        ),
        format!(
            "left out of the trend by {}: {} without a date, {} dated \
             more coarsely than a {}",
            period.name(),
            quantity(agg.trend.undated, "document", "documents"),
            quantity(agg.trend.coarse, "document", "documents"),
            period.name()
        ),
        format!(
            "lexicon `{}` version `{}`, {}, FNV-1a 64 of its TOML sources \
             `{hash}`",
            lexicon.name,
            if lexicon.version.is_empty() { "-" } else { &lexicon.version },
            quantity(lexicon.terms.len() as u64, "term", "terms")
        ),
    ];
    // What changes the counts of the same inputs, said so that a reader
    // reruns the report as it was made.
    if args.input.t2s {
        read.push("traditional characters read as simplified (--t2s)".into());
    }
    if args.input.dedup {
        read.push(format!(
            "documents dropped as copies of earlier ones (--dedup): {}",
            thousands(summary.duplicates)
        ));
    }
    b.push(Block::List(read));
    b.push(Block::Heading(2, "Top terms".into()));
    if top.is_empty() {
        b.push(Block::Para("No term of the lexicon was found.".into()));
    } else {
        b.push(Block::Table(select(
            &counts,
            &[
                "term",
                "label_zh",
                "label_en",
                "hits",
                "hits_zh",
                "hits_en",
                "unconfirmed",
                "docs",
                "rate_zh",
                "rate_en",
            ],
            args.top,
        )));
        b.push(Block::Para("Every term found is in `counts.csv`.".into()));
    }
    b.push(Block::Heading(2, format!("Over time, by {}", period.name())));
    // No period, no chart: an empty one would still be titled by a rate.
    let dated = !agg.trend.periods().is_empty();
    if dated {
        b.push(Block::Chart(
            "trend.svg".into(),
            "Rates of the top terms per period".into(),
            trend_svg,
        ));
    } else {
        b.push(Block::Para(format!(
            "No trend chart: no document is dated by {} or more finely. \
             Dates come from a `metadata.csv` beside the files, from file \
             names, from the `{}` field of records (`--date-field`), or \
             from the `--split` line of an article.",
            period.name(),
            args.input.date_field
        )));
    }
    b.push(Block::Para(format!(
        "Hits and rates of every term found, per {}, are in `trend.csv`.",
        period.name()
    )));
    b.push(Block::Heading(2, "Rising and falling".into()));
    b.extend(change_blocks(&agg, &lexicon, args.top, &fact("last_date")));
    b.push(Block::Heading(2, "Together".into()));
    b.push(Block::Chart(
        "cooc.svg".into(),
        "NPMI between the top terms".into(),
        cooc_svg,
    ));
    b.push(Block::Para(format!(
        "Each cell is the NPMI of two terms over {REPORT_UNIT}s: 1 when they \
         always occur together, 0 at chance, below 0 when together less \
         often than chance. Grey cells are pairs that never share a \
         {REPORT_UNIT} (NPMI −1; they are not in `cooc.csv`); the hatched \
         diagonal is each term against itself. Every pair found together \
         is in `cooc.csv`."
    )));
    b.push(Block::Heading(2, "Method".into()));
    b.push(Block::List(method(&agg)));

    let opts = CsvOptions { bom: !global.no_bom, raw: global.raw };
    let mut files = vec![
        ("index.md".to_string(), markdown(&b)),
        ("counts.csv".to_string(), csv(&counts, opts)),
        ("trend.csv".to_string(), csv(&trend_table, opts)),
        ("cooc.csv".to_string(), csv(&cooc_table, opts)),
    ];
    let top_json: Vec<serde_json::Value> = top
        .iter()
        .map(|&t| {
            let term = &lexicon.terms[t];
            json!({
                "term": term.id,
                "label_zh": term.label_zh,
                "label_en": term.label_en,
                "hits": count_hits(&agg, t),
            })
        })
        .collect();
    let mut summary_json = json!({
        "title": title,
        "documents": corpus_value(&corpus, "documents"),
        "first_date": corpus_value(&corpus, "first_date"),
        "last_date": corpus_value(&corpus, "last_date"),
        "bytes": corpus_value(&corpus, "bytes"),
        "han_chars": corpus_value(&corpus, "han_chars"),
        "en_words": corpus_value(&corpus, "en_words"),
        "skipped": corpus_value(&corpus, "skipped"),
        "period": period.name(),
        "cooc_unit": REPORT_UNIT.to_string(),
        "lexicon": {
            "name": lexicon.name,
            "version": lexicon.version,
            "terms": lexicon.terms.len(),
            "fnv1a64": hash,
        },
        "top_terms": top_json,
    });
    if since.is_some() || until.is_some() {
        summary_json["date_range"] = json!({
            "since": since,
            "until": until,
            "left_out_dated": summary.filtered - summary.filtered_undated,
            "left_out_undated": summary.filtered_undated,
        });
    }
    if args.input.t2s {
        summary_json["t2s"] = json!(true);
    }
    if args.input.dedup {
        summary_json["dedup"] = json!({ "dropped": summary.duplicates });
    }
    if let Some(t) = &stamp {
        summary_json["generated"] = json!(t);
    }
    let mut json_bytes = serde_json::to_vec_pretty(&summary_json)?;
    json_bytes.push(b'\n');
    files.push(("summary.json".to_string(), json_bytes));
    if dated {
        files.push(("trend.svg".to_string(), b_chart(&b, "trend.svg")));
    }
    files.push(("cooc.svg".to_string(), b_chart(&b, "cooc.svg")));
    if args.html {
        files.push(("index.html".to_string(), html(&title, &b)));
    }
    debug_assert!(
        files.iter().all(|(n, _)| REPORT_FILES.contains(&n.as_str()))
    );
    write_folder(&args.out, &files)?;
    Ok(finish(&summary, global))
}

/// Refuses an `--out` that is not a folder, or that holds anything a
/// report does not write: the folder is replaced as a whole, and a typo
/// must not delete a thesis folder or a corpus.
fn check_out_folder(out: &std::path::Path) -> Result<()> {
    if !out.exists() {
        return Ok(());
    }
    let shown = out.display();
    if !out.is_dir() {
        anyhow::bail!("--out {shown}: exists and is not a folder");
    }
    if std::env::current_dir()
        .and_then(|cwd| Ok(cwd.starts_with(out.canonicalize()?)))
        .unwrap_or(false)
    {
        anyhow::bail!(
            "--out {shown} is the working folder or holds it; give a folder of its own"
        );
    }
    let mut foreign =
        foreign_entries(out).map_err(|e| tifa::Error::io(out, e))?;
    if !foreign.is_empty() {
        let n = foreign.len();
        foreign.truncate(3);
        anyhow::bail!(
            "--out {shown} holds {} a report does not write ({}{}); the folder is replaced as a whole, so give a new folder or a previous report",
            quantity(n as u64, "file", "files"),
            foreign.join(", "),
            if n > 3 { ", …" } else { "" }
        );
    }
    Ok(())
}

/// Confirmed hits of a term over the whole corpus.
fn count_hits(agg: &ReportAggregate, t: TermId) -> u64 {
    agg.counts.groups.values().map(|g| g.term(t).hits()).sum()
}

/// The first `n` terms of the count table with at least one hit.
fn top_terms(lexicon: &Lexicon, counts: &Table, n: usize) -> Vec<TermId> {
    let term = col(counts, "term");
    let hits = col(counts, "hits");
    counts
        .rows
        .iter()
        .filter(|r| r[hits].as_u64().unwrap_or(0) > 0)
        .filter_map(|r| r[term].as_str())
        .filter_map(|id| lexicon.terms.iter().position(|t| t.id == id))
        .take(n)
        .collect()
}

fn col(table: &Table, name: &str) -> usize {
    table.columns.iter().position(|c| c == name).expect("known column")
}

/// The first `limit` rows of `table` with only `columns`.
fn select(table: &Table, columns: &[&str], limit: usize) -> Table {
    let idx: Vec<usize> = columns.iter().map(|c| col(table, c)).collect();
    let mut out = Table::new(columns.iter().copied());
    out.number_at((0..idx.len()).filter(|&j| table.is_number(idx[j])));
    for row in table.rows.iter().take(limit) {
        out.push(idx.iter().map(|&i| row[i].clone()).collect());
    }
    out
}

/// A cell of `table` as text (empty when absent).
fn cell(table: &Table, row: usize, column: &str) -> String {
    match table.rows.get(row).map(|r| &r[col(table, column)]) {
        Some(Cell::String(s)) => s.clone(),
        Some(Cell::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// A cell of the one-row corpus table, null when empty.
fn corpus_value(table: &Table, column: &str) -> serde_json::Value {
    match table.rows.first().map(|r| &r[col(table, column)]) {
        Some(Cell::String(s)) if s.is_empty() => Cell::Null,
        Some(v) => v.clone(),
        None => Cell::Null,
    }
}

/// The current UTC time, to the second, ISO 8601.
fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

/// The SVG bytes of the chart block named `name`.
fn b_chart(blocks: &[Block], name: &str) -> Vec<u8> {
    blocks
        .iter()
        .find_map(|b| match b {
            Block::Chart(n, _, svg) if n == name => Some(svg.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

/// NPMI between `terms`, from the report's co-occurrence.
fn heatmap(
    agg: &ReportAggregate,
    lexicon: &Lexicon,
    terms: &[TermId],
) -> Heatmap {
    let mut values = vec![vec![None; terms.len()]; terms.len()];
    let at = |t: TermId| terms.iter().position(|&x| x == t);
    for (_, pairs) in agg.cooc.pairs() {
        for p in pairs {
            if let (Some(i), Some(j)) = (at(p.a), at(p.b)) {
                values[i][j] = Some(p.association.npmi);
                values[j][i] = Some(p.association.npmi);
            }
        }
    }
    Heatmap {
        title: "共现 Co-occurrence of the top terms (NPMI)".into(),
        caption: format!(
            "Per {REPORT_UNIT}: 1 always together, 0 at chance, below 0 \
             rarer; grey: never in the same {REPORT_UNIT}; hatched: the term \
             itself"
        ),
        labels: terms
            .iter()
            .map(|&t| {
                let term = &lexicon.terms[t];
                format!("{} {}", term.label_zh, term.id).trim().to_string()
            })
            .collect(),
        values,
    }
}

/// Terms rising and falling in the last period against the one before.
fn change_blocks(
    agg: &ReportAggregate,
    lexicon: &Lexicon,
    n: usize,
    last_date: &str,
) -> Vec<Block> {
    let Some((before, last, table)) = agg.last_change(lexicon) else {
        return vec![Block::Para(
            "Fewer than two periods with dated documents: no earlier \
             period to compare the last one with."
                .into(),
        )];
    };
    // Name the periods passed over, so that "against" is not read as
    // "against the period before".
    let periods = agg.trend.periods();
    let at = |p: &str| periods.iter().position(|x| x == p).unwrap_or(0);
    let (first_empty, last_empty) = (at(&before) + 1, at(&last));
    let period = agg.trend.period();
    let unit = period.name();
    let passed = match last_empty.saturating_sub(first_empty) {
        0 => String::new(),
        1 => format!(
            ", the last earlier {unit} with documents ({} has none)",
            periods[first_empty]
        ),
        k => format!(
            ", the last earlier {unit} with documents ({} to {}, {k} \
             {unit}s, have none)",
            periods[first_empty],
            periods[last_empty - 1]
        ),
    };
    let partial = match partial_period(period, &last, last_date) {
        Some(true) => format!(
            " (incomplete: its last document is dated {last_date}; rates \
             compare, counts do not)"
        ),
        Some(false) => String::new(),
        None => " (perhaps incomplete)".to_string(),
    };
    let mut blocks = vec![Block::Para(format!(
        "{last}{partial} against {before}{passed}: Dunning's G² (`llr`) of \
         each term's hits against the other tokens (Han characters plus \
         English words) of each period, `p` its chi-square tail; \
         `log_ratio` is log2 of the rate ratio. Only terms with p < 0.05 are \
         listed, strongest first; `new` means no hit in {before}, `gone` no \
         hit in {last}, not a first or last use. `tifa compare` gives the \
         full table."
    ))];
    let dir = col(&table, "direction");
    for (name, wanted) in
        [("Rising", ["rising", "new"]), ("Falling", ["falling", "gone"])]
    {
        let mut rows = table.clone();
        rows.rows
            .retain(|r| r[dir].as_str().is_some_and(|d| wanted.contains(&d)));
        blocks.push(Block::Heading(3, name.into()));
        if rows.rows.is_empty() {
            blocks.push(Block::Para("None.".into()));
            continue;
        }
        let mut t = select(
            &rows,
            &[
                "term",
                "hits_a",
                "hits_b",
                "log_ratio",
                "llr",
                "p",
                "direction",
            ],
            n,
        );
        t.columns[1] = format!("hits {before}");
        t.columns[2] = format!("hits {last}");
        blocks.push(Block::Table(t));
    }
    blocks
}

/// Whether the corpus ends before the end of period `last`, the period of
/// its last date (which may be partial, `1981-06`): `None` when that date
/// is not wholly within `last`.
fn partial_period(
    period: Period,
    last: &str,
    last_date: &str,
) -> Option<bool> {
    let (first, end) = date_range(last_date);
    let day = |iso: &str| NaiveDate::parse_from_str(iso, "%Y-%m-%d").ok();
    let (first, end) = (day(&first)?, day(&end)?);
    if period.label(first) != last || period.label(end) != last {
        return None;
    }
    Some(end.succ_opt().is_some_and(|next| period.label(next) == last))
}

/// What a number in the report means, and how to check it.
fn method(agg: &ReportAggregate) -> Vec<String> {
    let chart = match agg.trend.rate_lang() {
        _ if agg.trend.periods().is_empty() => {
            "There is no trend chart: no document is dated finely enough."
        }
        Lang::Zh => "The trend chart draws `rate_zh`.",
        Lang::En => {
            "The trend chart draws `rate_en` (the dated documents hold no Han characters)."
        }
    };
    vec![
        "A hit is a confirmed match of one of a term's forms (Chinese \
         forms as substrings, English ones case-insensitively on word \
         boundaries, full-width and half-width alike). Overlapping matches \
         are resolved leftmost-longest, so a longer formulation counts for \
         its own term and not also for the shorter one inside it."
            .into(),
        "A match inside one of the term's exclusions is not counted; a \
         match that fails the term's context rule (no confirming word \
         near it) is counted as `unconfirmed`, apart from the hits."
            .into(),
        "`rate_zh` is Chinese hits per 10,000 Han characters; `rate_en` \
         English hits per 10,000 English words, of the corpus or the \
         period."
            .to_string(),
        chart.to_string(),
        format!(
            "Co-occurrence is counted per {REPORT_UNIT} (a line with text): \
             `n_ab` {REPORT_UNIT}s hold both terms, `n_units` is every \
             {REPORT_UNIT} of the corpus."
        ),
        "Audit any number with `tifa scan` (every match with its byte \
         offsets and status) and `tifa kwic TERM` (each match in context), \
         run with the same lexicon and inputs."
            .into(),
    ]
}
