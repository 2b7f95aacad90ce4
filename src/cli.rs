//! The command line: clap definitions only, no I/O.

use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};

use tifa::Status;
use tifa::analysis::{Grouping, KwicSort, Measure, Unit};
use tifa::analysis::{Period, TrendValue};
use tifa::corpus::InputFormat;
use tifa::output::Format;

/// Measure Chinese policy formulations (提法) in Chinese and English text.
///
/// Every count traces back to a lexicon entry and a position in a text.
/// The default lexicon is built in; `--lexicon` replaces it.
#[derive(Debug, Parser)]
#[command(name = "tifa", version, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options of every command.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Output and run")]
pub struct GlobalArgs {
    /// Lexicon file or folder of .toml files (repeatable); replaces the
    /// built-in lexicon, which `builtin` names (--lexicon builtin
    /// --lexicon mine.toml adds to it).
    #[arg(long, global = true, value_name = "PATH")]
    pub lexicon: Vec<PathBuf>,
    /// Output format [default: from the -o file name (.json, .jsonl, .md),
    /// else table on a terminal, csv otherwise].
    #[arg(long, global = true, value_name = "csv|json|jsonl|md|table")]
    pub format: Option<Format>,
    /// Write the result to FILE (atomically: all or nothing; `-` is
    /// stdout); a workbook name (.xlsx, .xls, .ods, .numbers) is refused:
    /// write .csv.
    #[arg(short, long, global = true, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Worker threads (0: one per core); at most 256.
    #[arg(
        short = 'j',
        long = "threads",
        global = true,
        default_value_t = 0,
        value_name = "N",
        value_parser = threads
    )]
    pub threads: usize,
    /// No warnings and no summary on stderr (inputs that could not be read
    /// are still reported)
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Start CSV on stdout with a byte-order mark (files get one by default).
    #[arg(long, global = true, conflicts_with = "no_bom")]
    pub bom: bool,
    /// No byte-order mark in CSV files.
    #[arg(long, global = true)]
    pub no_bom: bool,
    /// Do not prefix CSV cells that a spreadsheet would run as formulas.
    #[arg(long, global = true)]
    pub raw: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Count each formulation: hits, documents and rates per group.
    ///
    /// Columns: [group,] term, label_zh, label_en, category, hits, hits_zh,
    /// hits_en, unconfirmed, docs, rate_zh (per 10,000 Han characters),
    /// rate_en (per 10,000 English words). Memory grows with the number of
    /// groups, not with the corpus.
    Count(CountArgs),
    /// Describe what was read: documents, bytes, Han characters, English
    /// words, dates, invalid sequences replaced and skipped inputs, per
    /// group.
    Corpus(CorpusArgs),
    /// Every match, for audit: confirmed, unconfirmed and excluded.
    ///
    /// Columns: doc, date, term, lang, form, match, start, end (byte
    /// offsets into the decoded document), line (1-based, of the start),
    /// status. Rows by document in corpus order, then offset, written as
    /// the documents are matched: memory does not grow with the rows.
    Scan(ScanArgs),
    /// Concordance: each match of TERMS in its context.
    ///
    /// Columns: doc, date, term, left, match, right, start (byte offset),
    /// and with --sample an empty `correct` column to fill in for `tifa
    /// audit`. Line breaks in context show as ⏎; the match is the exact
    /// quote (⏎ only in a table or Markdown). Only confirmed matches
    /// unless --status says otherwise.
    Kwic(KwicArgs),
    /// Occurrences of a term inside a longer form of another term.
    ///
    /// Columns: term, inside_term, n: how often a form of `term` sits
    /// inside a match of `inside_term` (新质生产力 inside 因地制宜发展新质生产力),
    /// where only `inside_term` is counted: of overlapping matches, the
    /// one that starts first wins, and of those the longest. Sorted by n,
    /// descending. Searches each document twice, so it takes about twice
    /// as long as count.
    Nesting(NestingArgs),
    /// Precision per term from a hand-checked `kwic --sample` sheet.
    ///
    /// Columns: term, checked, correct, precision, ci_low, ci_high (Wilson
    /// 95% interval). The `correct` cells hold y/n/yes/no/1/0 (or 是/否,
    /// 对/错, ✓/✗), or nothing for a row not checked.
    Audit(AuditArgs),
    /// Which formulations occur together, and how strongly.
    ///
    /// Columns: [group,] term_a, term_b, n_ab (units holding both), n_a,
    /// n_b (units holding each), n_units (every unit of the group), pmi,
    /// npmi, dice, jaccard, llr (Dunning's G²). Only confirmed matches; a
    /// term's Chinese and English matches are one term. Memory grows with
    /// the pairs found, not with the corpus.
    Cooc(CoocArgs),
    /// How each formulation is rendered: every form found, with its dates.
    ///
    /// Columns: [group,] term, form, lang, official (yes/no for English
    /// forms as the lexicon marks them; empty for Chinese forms), hits,
    /// first_date, last_date. Confirmed matches only. Sorted by term, then
    /// group, then hits (descending), then form. With --gaps: doc, date,
    /// paragraph, line, term, present, missing, excerpt.
    Renderings(RenderingsArgs),
    /// Validate, list or inspect a lexicon.
    #[command(subcommand)]
    Lexicon(LexiconCommand),
    /// Time series: hits, documents and rates of each term per period.
    ///
    /// Columns: period, term, hits, docs, rate_zh, rate_en [, doc_share],
    /// for every period from the first to the last dated document, zeros
    /// included. Undated documents, and documents dated more coarsely than
    /// the period (a `2024` under --period month), are left out and counted
    /// on stderr. Memory grows with periods × terms.
    Trend(TrendArgs),
    /// Keyness: which terms are more frequent in B than in A.
    ///
    /// Inputs: exactly two, A then B (files or folders); or, with
    /// --split-date, the inputs of one corpus.
    ///
    /// Columns: term, hits_a, hits_b, rate_a, rate_b (hits per 10,000
    /// tokens: Han characters plus English words), log_ratio (log2 of
    /// rate_b / rate_a, 0.5 for a zero count), llr (G²), p (chi-square, 1
    /// df), direction (new, gone, rising, falling; stable when p ≥ 0.05).
    /// Sorted by llr, descending.
    Compare(CompareArgs),
    /// Changes between two saved `count` results (CSV, JSON or JSON
    /// Lines).
    ///
    /// Columns: [group,] term, old, new, change, rel_change (percent of
    /// old), status (new, gone, up, down, same; added, removed). Rows are
    /// matched on group and term. A term a result does not list has 0
    /// hits there, unless the result is of `count --all` (known by a row
    /// without any match), which lists every term it counted: then its
    /// cells are empty and the status is added (not counted in OLD: a
    /// term added to the lexicon since) or removed (not counted in NEW),
    /// while a term listed with 0 hits is new or gone. Exit 1 with
    /// --fail-on when a change passes it.
    Diff(DiffArgs),
    /// Candidate formulations that the lexicon does not cover yet.
    ///
    /// Columns: candidate, lang, kind (quoted, numbered, ngram), hits,
    /// docs, first_seen, score, example. Three kinds: phrases in quotation
    /// marks, numbered formulas (两个确立, 四个全面, 三农) and frequent
    /// n-grams of 3-8 Han characters on jieba word boundaries. With a
    /// reference (--reference-before DATE or --reference INPUT), score is
    /// the signed G² keyness against it; otherwise the hit count. n-grams
    /// read the target twice and segment it with jieba (~10 MB/s per core),
    /// with a fixed 48 MB sketch; --kind quoted,numbered skips both.
    Discover(DiscoverArgs),
    /// A report folder: index.md, counts.csv, trend.csv, cooc.csv,
    /// summary.json and SVG charts, from one pass over the inputs.
    ///
    /// Written all or nothing: into a temporary folder beside DIR, renamed
    /// onto DIR at the end (an existing DIR is replaced only then). Same
    /// input, same bytes, unless --stamp. Co-occurrence is counted by
    /// paragraph. Memory grows with periods × terms and with the pairs.
    Report(ReportArgs),
}

/// Where documents come from and how they are read.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Reading the inputs")]
pub struct InputArgs {
    /// Files, folders (recursive; .txt, .md, .jsonl, .ndjson, .csv), - for
    /// stdin, or a .json array of records named as a file.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// How files are read: auto (by extension; stdin as JSONL when it
    /// starts with `{` and at least half the lines of its first block are
    /// JSON objects), text, jsonl, csv or json (an array of objects).
    #[arg(long, value_name = "FORMAT", default_value = "auto", value_parser = parse_input_format)]
    pub input_format: InputFormat,
    /// JSONL/CSV field holding the identifier.
    #[arg(long, value_name = "NAME", default_value = "id")]
    pub id_field: String,
    /// JSONL/CSV field holding the date.
    #[arg(long, value_name = "NAME", default_value = "date")]
    pub date_field: String,
    /// JSONL/CSV field holding the title.
    #[arg(long, value_name = "NAME", default_value = "title")]
    pub title_field: String,
    /// JSONL/CSV field holding the source.
    #[arg(long, value_name = "NAME", default_value = "source")]
    pub source_field: String,
    /// JSONL/CSV field holding the text.
    #[arg(long, value_name = "NAME", default_value = "text")]
    pub text_field: String,
    /// Encoding of inputs without a byte-order mark (a WHATWG label such as
    /// gb18030, gbk, big5, utf-16le; auto: UTF-8, else detected)
    /// [default: auto].
    #[arg(short = 'E', long, value_name = "LABEL", value_parser = parse_encoding)]
    pub encoding: Option<Encoding>,
    /// Split text files into articles at lines matching REGEX; article N
    /// gets the id FILE#N, the matching line as its title, and a date in
    /// that line (2024-03-05, 20240305, 2024年3月5日 ...) as its date, else
    /// the file's.
    #[arg(long, value_name = "REGEX")]
    pub split: Option<regex::Regex>,
    /// Only documents dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD,
    /// or any form a record's date takes). Undated documents are left
    /// out, and counted apart in the summary.
    #[arg(long, value_name = "DATE", value_parser = parse_iso_date)]
    pub since: Option<String>,
    /// Only documents dated on or before DATE. A document dated by month
    /// or year is kept only when all of it is in the range.
    #[arg(long, value_name = "DATE", value_parser = parse_iso_date)]
    pub until: Option<String>,
    /// Convert traditional characters to simplified before matching.
    #[arg(long)]
    pub t2s: bool,
    /// Drop documents whose text repeats an earlier document's, ignoring
    /// differences in white space and line breaks and full-width versus
    /// ASCII letters, digits and signs (the first copy is kept; the run's
    /// first five copies dropped are named with the one kept, and the
    /// others counted).
    #[arg(long)]
    pub dedup: bool,
    /// Skip documents larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = tifa::corpus::DEFAULT_MAX_DOC_BYTES)]
    pub max_doc_bytes: usize,
    /// What the run writes (`-o FILE`, `report --out DIR`), set after
    /// parsing: left out of the folders walked.
    #[arg(skip)]
    pub written: Option<PathBuf>,
}

impl Command {
    /// The file or folder a command writes, if it names one: `report
    /// --out DIR`, else `-o FILE`.
    pub fn written<'a>(&'a self, global: &'a GlobalArgs) -> Option<&'a Path> {
        match self {
            Command::Report(args) => Some(args.out.as_path()),
            _ => global.output.as_deref(),
        }
    }

    /// The inputs of a command that reads a corpus, to change.
    pub fn input_mut(&mut self) -> Option<&mut InputArgs> {
        match self {
            Command::Count(a) => Some(&mut a.input),
            Command::Corpus(a) => Some(&mut a.input),
            Command::Scan(a) => Some(&mut a.input),
            Command::Kwic(a) => Some(&mut a.input),
            Command::Nesting(a) => Some(&mut a.input),
            Command::Cooc(a) => Some(&mut a.input),
            Command::Renderings(a) => Some(&mut a.input),
            Command::Trend(a) => Some(&mut a.input),
            Command::Compare(a) => Some(&mut a.input),
            Command::Discover(a) => Some(&mut a.input),
            Command::Report(a) => Some(&mut a.input),
            Command::Lexicon(_) | Command::Audit(_) | Command::Diff(_) => None,
        }
    }

    /// Every file or folder of text the command reads: its inputs, and
    /// `discover`'s `--reference` inputs.
    pub fn corpus_paths(&self) -> Vec<String> {
        let mut paths =
            self.input().map_or(Vec::new(), |input| input.inputs.clone());
        if let Command::Discover(args) = self {
            paths.extend(args.reference.iter().cloned());
        }
        paths
    }

    /// The inputs of a command that reads a corpus.
    pub fn input(&self) -> Option<&InputArgs> {
        match self {
            Command::Count(a) => Some(&a.input),
            Command::Corpus(a) => Some(&a.input),
            Command::Scan(a) => Some(&a.input),
            Command::Kwic(a) => Some(&a.input),
            Command::Nesting(a) => Some(&a.input),
            Command::Cooc(a) => Some(&a.input),
            Command::Renderings(a) => Some(&a.input),
            Command::Trend(a) => Some(&a.input),
            Command::Compare(a) => Some(&a.input),
            Command::Discover(a) => Some(&a.input),
            Command::Report(a) => Some(&a.input),
            Command::Lexicon(_) | Command::Audit(_) | Command::Diff(_) => None,
        }
    }
}

fn parse_input_format(s: &str) -> Result<InputFormat, String> {
    match s {
        "auto" => Ok(InputFormat::Auto),
        "text" | "txt" => Ok(InputFormat::Text),
        "jsonl" | "ndjson" => Ok(InputFormat::Jsonl),
        "csv" => Ok(InputFormat::Csv),
        "json" => Ok(InputFormat::Json),
        _ => Err("expected auto, text, jsonl, csv or json".into()),
    }
}

/// `--encoding`: a label, or `auto` (none: UTF-8, else detected).
#[derive(Debug, Clone, Copy)]
pub struct Encoding(pub Option<&'static encoding_rs::Encoding>);

fn parse_encoding(s: &str) -> Result<Encoding, String> {
    if s.eq_ignore_ascii_case("auto") {
        return Ok(Encoding(None));
    }
    tifa::corpus::encoding_for_label(s).map(|e| Encoding(Some(e)))
}

/// `--svg FILE`: a name with another extension (`chart.png`) would hold
/// SVG under a name that promises something else.
fn parse_svg_path(s: &str) -> Result<PathBuf, String> {
    if s == "-" {
        // It must not become a file named `-` either.
        return Err("stdout holds the table: name a file for the chart (./- for one named -)".into());
    }
    if s.is_empty() {
        return Err("name a file for the chart".into());
    }
    // Checked here, not when the chart is put in place, after the table.
    if s.ends_with(std::path::is_separator) {
        return Err(format!(
            "{s} names a folder: name the chart's file ({s}trend.svg)"
        ));
    }
    let path = PathBuf::from(s);
    match path.extension().and_then(|e| e.to_str()) {
        Some(ext) if !ext.eq_ignore_ascii_case("svg") => Err(format!(
            "the chart is SVG: name it .svg, not .{ext} (convert it with rsvg-convert or a browser)"
        )),
        _ => Ok(path),
    }
}

/// `report --out DIR`: `-` is stdout for `-o`, and a report is a folder
/// of files, which stdout cannot hold; it must not become a folder named
/// `-` either.
fn parse_report_dir(s: &str) -> Result<PathBuf, String> {
    if s == "-" {
        return Err("a report is a folder, not stdout: name a folder (./- for one named -)".into());
    }
    if s.is_empty() {
        return Err("name a folder for the report".into());
    }
    Ok(PathBuf::from(s))
}

fn parse_iso_date(s: &str) -> Result<String, String> {
    tifa::corpus::parse_date(s).ok_or_else(|| {
        format!("{s:?} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    })
}

#[derive(Debug, Args)]
pub struct CountArgs {
    /// Group rows: doc, decade, year, quarter, month, week, day, source or
    /// a metadata field.
    #[arg(long, value_name = "GROUPING")]
    pub by: Option<Grouping>,
    /// List every term of the lexicon, also those not found.
    #[arg(long)]
    pub all: bool,
    /// Only these terms: ids, forms or labels, separated by , ， or 、 or
    /// repeated, as kwic's TERMS (with --all, each of them, found or
    /// not); their numbers are those of a count of every term.
    #[arg(long, value_name = "TERMS")]
    pub terms: Vec<String>,
    /// Add `nested` (occurrences inside a longer form of another term,
    /// context rules not checked) and `total` (hits + nested). Searches
    /// each document twice, so the count takes about twice as long.
    #[arg(long)]
    pub nesting: bool,
    /// Add `mentions` after hits_en: a formulation and its translation
    /// count once. In each paragraph a term counts max(zh, en) of its
    /// confirmed matches, and a paragraph paired with its translation (an
    /// English paragraph and the Chinese one next to it, in either order)
    /// counts the larger of the two. Equals hits where each paragraph uses
    /// one language's forms of a term; less where a paragraph uses both
    /// (人工智能+ … AI+).
    #[arg(long)]
    pub concepts: bool,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Keep only matches with this status: confirmed, unconfirmed,
    /// excluded or all (repeatable or comma-separated) [default: all].
    #[arg(long, value_delimiter = ',', value_name = "STATUS")]
    pub status: Vec<StatusArg>,
    /// Keep only this term: an id, a form or a label (repeatable, or a
    /// list as kwic's TERMS).
    #[arg(long, value_name = "TERM")]
    pub term: Vec<String>,
    #[command(flatten)]
    pub input: InputArgs,
}

/// A `--status` value: one status, or `all`, the word the help's
/// `[default: all]` promises, for every status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusArg {
    /// Every status.
    All,
    /// One status.
    One(Status),
}

impl std::str::FromStr for StatusArg {
    type Err = String;

    fn from_str(s: &str) -> Result<StatusArg, String> {
        match s {
            "all" => Ok(StatusArg::All),
            s => s.parse().map(StatusArg::One).map_err(|_| {
                format!(
                    "unknown status {s:?} (confirmed, unconfirmed, \
                     excluded, all)"
                )
            }),
        }
    }
}

/// The statuses a `--status` list names, each once, in the order given;
/// every status when it holds `all`, none when it is empty.
pub fn statuses(args: &[StatusArg]) -> Vec<Status> {
    let mut out: Vec<Status> = Vec::new();
    for arg in args {
        let named = match *arg {
            StatusArg::All => Status::ALL.to_vec(),
            StatusArg::One(s) => vec![s],
        };
        for s in named {
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out
}

#[derive(Debug, Args)]
pub struct KwicArgs {
    /// Terms: ids, forms or labels, separated by , ， or 、 (两重,ai-plus;
    /// 两新，两重); full-width forms and case are folded as in matching
    /// (人工智能＋ is 人工智能+). A name holding a comma ("one country, two
    /// systems") is one term.
    #[arg(value_name = "TERMS")]
    pub terms: String,
    /// Characters of context on each side (at most 32767, the most a
    /// spreadsheet cell holds).
    #[arg(
        long,
        default_value_t = 20,
        value_name = "N",
        value_parser = clap::value_parser!(u16).range(0..=32767)
    )]
    pub width: u16,
    /// Sort by the text before the match, compared from the character
    /// next to the match backwards (lines with the same preceding word
    /// come together), by the text after it, or by position: document,
    /// then offset [default: position].
    #[arg(long, value_name = "left|right|position")]
    pub sort: Option<KwicSort>,
    /// At most N lines, after --sample and --sort (0: all).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// A random sample of N lines per term, for `tifa audit`; adds an
    /// empty `correct` column.
    #[arg(long, value_name = "N")]
    pub sample: Option<usize>,
    /// Seed of --sample: the same seed and input give the same sample.
    #[arg(long, default_value_t = 0, value_name = "S", requires = "sample")]
    pub seed: u64,
    /// Keep matches with this status: confirmed, unconfirmed, excluded or
    /// all (repeatable or comma-separated) [default: confirmed].
    #[arg(long, value_delimiter = ',', value_name = "STATUS")]
    pub status: Vec<StatusArg>,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Args)]
pub struct NestingArgs {
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// A sheet written by `tifa kwic --sample N -o SHEET.csv`, filled in.
    #[arg(value_name = "SHEET.csv")]
    pub sheet: PathBuf,
}

#[derive(Debug, Args)]
pub struct CoocArgs {
    /// What counts as together: doc, paragraph (a line), sentence, or
    /// window:N (matches starting at most N characters apart; one unit per
    /// match).
    #[arg(long, default_value = "doc", value_name = "UNIT")]
    pub unit: Unit,
    /// List pairs found together in at least N units.
    #[arg(long, default_value_t = 1, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub min: u64,
    /// List only pairs with this term: an id, a form or a label
    /// (repeatable, or a list as kwic's TERMS).
    #[arg(long, value_name = "TERM")]
    pub term: Vec<String>,
    /// Count per group: doc, decade, year, quarter, month, week, day,
    /// source or a metadata field; each group has its own units.
    #[arg(long, value_name = "GROUPING")]
    pub by: Option<Grouping>,
    /// Sort pairs by n_ab, pmi, npmi, dice, jaccard or llr, descending,
    /// then by term ids.
    #[arg(
        long,
        default_value = "n_ab",
        value_name = "MEASURE",
        conflicts_with = "matrix"
    )]
    pub sort: Measure,
    /// A Gephi edge list: Source, Target, Weight.
    #[arg(long, conflicts_with = "matrix")]
    pub edges: bool,
    /// The edge weight: n_ab, pmi, npmi, dice, jaccard or llr. Weights
    /// must be positive (Gephi, force-directed layouts): pairs with a
    /// weight of 0 or less (pmi and npmi below chance) are left out, and
    /// stderr says how many.
    #[arg(
        long,
        default_value = "n_ab",
        value_name = "MEASURE",
        requires = "edges"
    )]
    pub weight: Measure,
    /// A square terms × terms table of n_ab (n_a on the diagonal), for
    /// spreadsheets.
    #[arg(long)]
    pub matrix: bool,
    /// The units behind each pair's n_ab, for audit: one row per unit and
    /// pair listed (same --min, --term and --by), with its document, byte
    /// offsets, line and text, in corpus order. Files are read twice (the
    /// pairs, then their sites), so that memory does not grow with them.
    #[arg(long, conflicts_with_all = ["matrix", "edges", "sort"])]
    pub sites: bool,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Args)]
pub struct RenderingsArgs {
    /// Group rows: doc, decade, year, quarter, month, week, day, source or
    /// a metadata field; --by year shows renderings drift.
    #[arg(long, value_name = "GROUPING", conflicts_with = "gaps")]
    pub by: Option<Grouping>,
    /// List, in bilingual paragraphs and English-Chinese paragraph pairs,
    /// the terms found in one language and not at all in the other, with
    /// the paragraph, its line and an excerpt of the side where found.
    #[arg(long)]
    pub gaps: bool,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Args)]
pub struct CorpusArgs {
    /// Group rows: doc, decade, year, quarter, month, week, day, source or
    /// a metadata field.
    #[arg(long, value_name = "GROUPING")]
    pub by: Option<Grouping>,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Subcommand)]
pub enum LexiconCommand {
    /// Check a lexicon: one line per problem, with file and line; exit 2
    /// on errors.
    ///
    /// Prints to stdout: --format and -o are for list and stats.
    Check(CheckArgs),
    /// One row per term: id, labels, category and forms.
    List,
    /// Per category: terms, forms and expansions per language,
    /// exclusions, context rules and whole_word terms; then a total row.
    Stats,
    /// Write the lexicon as a CSV sheet (one row per term, lists joined by
    /// |), a quanteda YAML dictionary, or a list of forms.
    ///
    /// --to chooses the format, not --format (which is for list and
    /// stats).
    Export(ExportArgs),
    /// Turn a CSV sheet (as exported) into lexicon TOML.
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// csv (a sheet to edit and import), quanteda-yaml (category → term
    /// → forms) or txt (one form or expansion per line).
    #[arg(long, value_name = "FORMAT", default_value = "csv", value_parser = ["csv", "quanteda-yaml", "txt"])]
    pub to: String,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The sheet's format (only csv).
    #[arg(long, value_name = "FORMAT", default_value = "csv", value_parser = ["csv"])]
    pub from: String,
    /// The sheet, as `tifa lexicon export --to csv` writes it, or as a
    /// spreadsheet saves it again: CSV (UTF-8 or GBK; commas or
    /// semicolons) or Unicode text.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// `[lexicon] name` of the TOML [default: the file stem].
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// `[lexicon] version` of the TOML.
    #[arg(long, value_name = "VERSION")]
    pub lexicon_version: Option<String>,
    /// `[lexicon] description` of the TOML.
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
}

// discover words --since and --until its own way: they choose the target
// period, while --reference-before still reads the earlier documents.
#[derive(Debug, Args)]
#[command(
    mut_arg("since", |a| a.help(
        "Target: documents dated on or after DATE (YYYY, YYYY-MM or \
         YYYY-MM-DD). With --reference-before, the documents before that \
         date are still read, as the reference; --reference inputs are \
         read whole."
    )),
    mut_arg("until", |a| a.help(
        "Target: documents dated on or before DATE (a month or year only \
         when all of it is in the range). With --reference-before, the \
         reference is still every document dated before that date; \
         --reference inputs are read whole."
    )),
)]
pub struct DiscoverArgs {
    /// Reference: documents of the same inputs dated before DATE (the
    /// target is then --since..--until, or from DATE on).
    #[arg(long, value_name = "DATE", value_parser = parse_iso_date, conflicts_with = "reference")]
    pub reference_before: Option<String>,
    /// Reference corpus: files or folders (repeatable), read like INPUT.
    #[arg(long, value_name = "INPUT")]
    pub reference: Vec<String>,
    /// Kinds of candidates, comma-separated [default: all].
    #[arg(long, value_delimiter = ',', value_name = "quoted|numbered|ngram")]
    pub kind: Vec<tifa::analysis::CandidateKind>,
    /// Leave out candidates with fewer hits in the target.
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub min_hits: u64,
    /// Leave out candidates found in fewer target documents.
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub min_docs: u64,
    /// At most N rows (0: all).
    #[arg(long, default_value_t = 200, value_name = "N")]
    pub limit: usize,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Lexicon files or folders [default: the active lexicon].
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct TrendArgs {
    /// Calendar period: decade (1950s), year, quarter, month, week (ISO) or
    /// day.
    #[arg(long, default_value = "year", value_name = "PERIOD")]
    pub period: Period,
    /// Terms: ids, forms or labels, separated by , ， or 、 or repeated,
    /// as kwic's TERMS [default: every term found].
    #[arg(long, value_name = "TERMS")]
    pub terms: Vec<String>,
    /// Add doc_share: the share of the period's documents that mention
    /// the term (with --wide: --value doc_share).
    #[arg(long, conflicts_with_all = ["wide", "summary"])]
    pub per_doc: bool,
    /// One row per period and one column per term.
    #[arg(long, conflicts_with = "summary")]
    pub wide: bool,
    /// What --wide cells hold: hits, rate_zh, rate_en or doc_share
    /// [default: hits].
    #[arg(long, requires = "wide", value_name = "VALUE")]
    pub value: Option<TrendValue>,
    /// One row per term: first_seen, last_seen, peak_period,
    /// periods_present, longest_gap, slope (least squares of the rate per
    /// period), mk_tau and mk_p (Mann–Kendall), over the periods that
    /// have a rate. The rate is rate_zh when the dated documents hold Han
    /// characters, else rate_en.
    #[arg(long)]
    pub summary: bool,
    /// Also draw the rates as a line chart in FILE (SVG); without --terms,
    /// the 8 terms with most hits.
    #[arg(long, value_name = "FILE", value_parser = parse_svg_path)]
    pub svg: Option<PathBuf>,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Split one corpus: A is the documents dated before DATE, B those
    /// dated from DATE on (undated ones are left out).
    #[arg(long, value_name = "DATE", value_parser = parse_iso_date)]
    pub split_date: Option<String>,
    /// Two inputs A and B (files or folders), or with --split-date the
    /// inputs of one corpus.
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The report folder: new, empty or a previous report (replaced as a
    /// whole).
    #[arg(long, value_name = "DIR", value_parser = parse_report_dir)]
    pub out: PathBuf,
    /// The title of index.md [default: tifa report].
    #[arg(long, value_name = "TITLE")]
    pub title: Option<String>,
    /// Calendar period of the trend: decade, year, quarter, month, week or
    /// day.
    #[arg(long, default_value = "year", value_name = "PERIOD")]
    pub period: Period,
    /// Terms in the tables and charts (the trend chart draws at most 8,
    /// the heatmap at most 15).
    #[arg(
        long,
        default_value_t = 10,
        value_name = "N",
        value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=100_000)
    )]
    pub top: usize,
    /// Also write index.html: one self-contained page, charts inline.
    #[arg(long)]
    pub html: bool,
    /// Add a "Generated" line with the UTC time (the output then differs
    /// from run to run).
    #[arg(long)]
    pub stamp: bool,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier result of `tifa count`: CSV, JSON or JSON Lines, as
    /// --format writes them, told apart by their first character
    /// (`--by` results too).
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The later result.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// Exit 1 when a term appears, disappears, is added or removed, or
    /// changes by more than PERCENT of its old hits.
    #[arg(long, value_name = "PERCENT", value_parser = parse_percent)]
    pub fail_on: Option<f64>,
}

fn parse_percent(s: &str) -> Result<f64, String> {
    let p: f64 = s
        .trim_end_matches('%')
        .parse()
        .map_err(|_| format!("{s:?} is not a percentage"))?;
    if p.is_finite() && p >= 0.0 {
        Ok(p)
    } else {
        Err(format!("{s:?} is not a percentage (0 or more)"))
    }
}

/// Threads `-j` allows at most. Past the cores, a thread only costs: on
/// 2 cores, `count -j 256` over 100 MB took 3 times as long as `-j 2`
/// with 15 times the memory (1 GB, a block of text per thread), and
/// starting the pool alone took 6 s at `-j 1024` and over a minute at
/// `-j 4096`. 256 leaves room for the largest machines; `-j 0` uses
/// every core however many.
const MAX_THREADS: usize = 256;

/// Parses `-j N`, refusing more than [`MAX_THREADS`].
fn threads(s: &str) -> Result<usize, String> {
    use std::num::IntErrorKind;
    match s.parse::<usize>() {
        Ok(n) if n <= MAX_THREADS => Ok(n),
        Err(e) if *e.kind() != IntErrorKind::PosOverflow => {
            Err(format!("{s:?} is not a number of threads"))
        }
        _ => Err(format!("at most {MAX_THREADS} threads (0: one per core)")),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_valid() {
        super::Cli::command().debug_assert();
    }

    /// The long help of each command, for a reader who is no engineer.
    fn helps() -> Vec<(String, String)> {
        let mut cli = super::Cli::command();
        cli.build();
        let mut out = Vec::new();
        let mut stack = vec![(String::new(), cli)];
        while let Some((name, mut cmd)) = stack.pop() {
            out.push((name.clone(), cmd.render_long_help().to_string()));
            for sub in cmd.get_subcommands() {
                stack
                    .push((format!("{name} {}", sub.get_name()), sub.clone()));
            }
        }
        out
    }

    /// Help texts say what happens in plain words, not in the matcher's.
    #[test]
    fn help_has_no_jargon() {
        for (name, help) in helps() {
            for jargon in [
                "leftmost-longest",
                "matches every document twice",
                "read right to left",
                "normalized text",
                "automaton",
            ] {
                assert!(!help.contains(jargon), "tifa{name}: {jargon}");
            }
        }
    }

    /// discover's --since and --until choose the target, while
    /// --reference-before still reads the earlier documents; other
    /// commands keep the plain date filter.
    #[test]
    fn discover_explains_its_date_range() {
        let helps = helps();
        let help = |want: &str| {
            helps.iter().find(|(n, _)| n == want).map(|(_, h)| h.clone())
        };
        let discover = help(" discover").unwrap();
        assert!(
            discover.contains("Target: documents dated on or after DATE")
                && discover.contains("still read, as the reference"),
            "{discover}"
        );
        let count = help(" count").unwrap();
        assert!(count.contains("Only documents dated on or after DATE"));
        assert!(count.contains("in either order"), "{count}");
    }
}
