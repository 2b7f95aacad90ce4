//! The command line: clap definitions only, no I/O.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use tifa::analysis::Grouping;
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
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Lexicon file or folder of .toml files (repeatable); replaces the
    /// built-in lexicon.
    #[arg(long, global = true, value_name = "PATH")]
    pub lexicon: Vec<PathBuf>,
    /// Output format [default: table on a terminal, csv otherwise].
    #[arg(long, global = true, value_name = "csv|json|md|table")]
    pub format: Option<Format>,
    /// Write the result to FILE (atomically: all or nothing).
    #[arg(short, long, global = true, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Worker threads (0: one per core).
    #[arg(
        short = 'j',
        long = "threads",
        global = true,
        default_value_t = 0,
        value_name = "N"
    )]
    pub threads: usize,
    /// No warnings and no summary on stderr.
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
    /// words, dates, replaced bytes and skipped inputs, per group.
    Corpus(CorpusArgs),
    /// Validate, list or inspect a lexicon.
    #[command(subcommand)]
    Lexicon(LexiconCommand),
}

/// Where documents come from and how they are read.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files, folders (recursive; .txt, .md, .jsonl, .csv) or - for stdin.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// How files are read: auto (by extension), text, jsonl or csv.
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
    /// gb18030, gbk, big5, utf-16le) [default: UTF-8, else detected].
    #[arg(short = 'E', long, value_name = "LABEL", value_parser = parse_encoding)]
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Split text files into articles at lines matching REGEX; article N
    /// gets the id FILE#N and the matching line as its title.
    #[arg(long, value_name = "REGEX")]
    pub split: Option<regex::Regex>,
    /// Only documents dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_iso_date)]
    pub since: Option<String>,
    /// Only documents dated on or before DATE.
    #[arg(long, value_name = "DATE", value_parser = parse_iso_date)]
    pub until: Option<String>,
    /// Convert traditional characters to simplified before matching.
    #[arg(long)]
    pub t2s: bool,
    /// Drop documents whose normalized text equals an earlier document's.
    #[arg(long)]
    pub dedup: bool,
    /// Skip documents larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = tifa::corpus::DEFAULT_MAX_DOC_BYTES)]
    pub max_doc_bytes: usize,
}

fn parse_input_format(s: &str) -> Result<InputFormat, String> {
    match s {
        "auto" => Ok(InputFormat::Auto),
        "text" | "txt" => Ok(InputFormat::Text),
        "jsonl" | "ndjson" => Ok(InputFormat::Jsonl),
        "csv" => Ok(InputFormat::Csv),
        _ => Err("expected auto, text, jsonl or csv".into()),
    }
}

fn parse_encoding(s: &str) -> Result<&'static encoding_rs::Encoding, String> {
    tifa::corpus::encoding_for_label(s)
}

fn parse_iso_date(s: &str) -> Result<String, String> {
    tifa::corpus::parse_date(s).ok_or_else(|| {
        format!("{s:?} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    })
}

#[derive(Debug, Args)]
pub struct CountArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Group rows: doc, year, quarter, month, week, day, source or a
    /// metadata field.
    #[arg(long, value_name = "GROUPING")]
    pub by: Option<Grouping>,
    /// List every term of the lexicon, also those not found.
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct CorpusArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Group rows: doc, year, quarter, month, week, day, source or a
    /// metadata field.
    #[arg(long, value_name = "GROUPING")]
    pub by: Option<Grouping>,
}

#[derive(Debug, Subcommand)]
pub enum LexiconCommand {
    /// Check a lexicon: one line per problem, with file and line; exit 2
    /// on errors.
    Check(CheckArgs),
    /// One row per term: id, labels, category and forms.
    List,
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

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_valid() {
        super::Cli::command().debug_assert();
    }
}
