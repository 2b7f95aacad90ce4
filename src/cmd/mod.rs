//! Glue between the command line and the library: one file per command,
//! plus the helpers they share (loading the lexicon, reading inputs,
//! writing the result, reporting what was read).

mod count;
mod lexicon;

use std::io::{IsTerminal, Write};

use anyhow::Result;

use crate::cli::{Cli, Command, GlobalArgs, InputArgs};
use tifa::corpus::{InputFile, expand_inputs};
use tifa::output::{CsvOptions, Format, write_atomic, write_table};
use tifa::pipeline::Summary;
use tifa::table::Table;
use tifa::{Lexicon, lexicon as lex};

/// Runs a command; the exit code on success (2 when some inputs failed).
pub fn run(cli: Cli) -> Result<u8> {
    match &cli.command {
        Command::Count(args) => count::run(&cli.global, args),
        Command::Lexicon(cmd) => lexicon::run(&cli.global, cmd),
    }
}

/// The lexicon of `--lexicon`, or the built-in one.
fn load_lexicon(global: &GlobalArgs) -> Result<Lexicon> {
    Ok(if global.lexicon.is_empty() {
        lex::load_default()?
    } else {
        lex::load_path(&global.lexicon)?
    })
}

/// Expands the inputs; unreadable paths become warnings in `summary`.
fn expand(input: &InputArgs) -> (Vec<InputFile>, Summary) {
    let (files, warnings) = expand_inputs(&input.inputs);
    let summary = Summary {
        skipped: warnings.iter().filter(|w| w.skipped).count() as u64,
        warnings,
        ..Summary::default()
    };
    (files, summary)
}

/// Writes a table to `-o FILE` (atomically) or stdout.
fn emit(table: &Table, global: &GlobalArgs) -> Result<()> {
    let to_file = global.output.is_some();
    let format = global.format.unwrap_or(if !to_file && std::io::stdout().is_terminal() {
        Format::Table
    } else {
        Format::Csv
    });
    let csv = CsvOptions { bom: if to_file { !global.no_bom } else { global.bom }, raw: global.raw };
    match &global.output {
        Some(path) => write_atomic(path, |w| write_table(table, format, csv, w))?,
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            write_table(table, format, csv, &mut out)
                .and_then(|()| out.flush())
                .map_err(|e| tifa::Error::io("<stdout>", e))?;
        }
    }
    Ok(())
}

/// Prints warnings and the summary line to stderr; the exit code: 2 when
/// some input could not be read, 0 otherwise.
fn finish(summary: &Summary, global: &GlobalArgs) -> u8 {
    if !global.quiet {
        for w in &summary.warnings {
            eprintln!("tifa: {w}");
        }
        eprintln!(
            "tifa: {} documents, {:.1} MB in {:.2} s ({:.0} MB/s); {} skipped; {} bytes replaced",
            summary.documents,
            summary.bytes as f64 / 1e6,
            summary.elapsed.as_secs_f64(),
            summary.megabytes_per_second(),
            summary.skipped,
            summary.replacements,
        );
    }
    if summary.skipped > 0 { 2 } else { 0 }
}
