//! The command line: clap definitions only, no I/O.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use tifa::analysis::Grouping;
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
    #[arg(short = 'j', long = "threads", global = true, default_value_t = 0, value_name = "N")]
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
    /// Validate, list or inspect a lexicon.
    #[command(subcommand)]
    Lexicon(LexiconCommand),
}

/// Where documents come from.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files, folders (recursive; .txt and .md) or - for stdin.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<String>,
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
