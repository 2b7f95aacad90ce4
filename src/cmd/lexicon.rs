//! `tifa lexicon check|list|stats|export|import`: validate a lexicon, show
//! what it holds, and move it to and from spreadsheets and quanteda.

use anyhow::Result;

use super::{csv_options, emit, load_lexicon, write_out};
use crate::cli::{
    CheckArgs, ExportArgs, GlobalArgs, ImportArgs, LexiconCommand,
};
use tifa::lexicon::{self, Severity, Source, transfer};
use tifa::output::{Format, quantity, write_table};
use tifa::table::{self, Table, text};

pub fn run(global: &GlobalArgs, cmd: &LexiconCommand) -> Result<u8> {
    let writes = match cmd {
        LexiconCommand::Check(_) => Some("check prints one line per problem"),
        LexiconCommand::Export(_) => Some("export writes the format of --to"),
        LexiconCommand::Import(_) => Some("import writes TOML"),
        LexiconCommand::List | LexiconCommand::Stats => None,
    };
    if let (Some(writes), Some(_)) = (writes, global.format) {
        anyhow::bail!("lexicon {writes}; --format is for list and stats");
    }
    if let (LexiconCommand::Check(_), Some(_)) = (cmd, &global.output) {
        anyhow::bail!(
            "lexicon check prints one line per problem on stdout; -o is for list, stats, export and import"
        );
    }
    match cmd {
        LexiconCommand::Check(args) => check(global, args),
        LexiconCommand::List => {
            emit(&list(&load_lexicon(global)?), global)?;
            Ok(0)
        }
        LexiconCommand::Stats => {
            emit(&lexicon::stats(&load_lexicon(global)?), global)?;
            Ok(0)
        }
        LexiconCommand::Export(args) => export(global, args),
        LexiconCommand::Import(args) => import(global, args),
    }
}

fn list(lexicon: &tifa::Lexicon) -> Table {
    let mut table =
        Table::new(["id", "label_zh", "label_en", "category", "zh", "en"]);
    for t in &lexicon.terms {
        table.push(vec![
            text(t.id.clone()),
            text(t.label_zh.clone()),
            text(t.label_en.clone()),
            text(t.category.clone()),
            table::list(t.zh.iter().chain(&t.zh_expansions)),
            table::list(t.en.iter().chain(&t.en_expansions)),
        ]);
    }
    table
}

/// Prints every problem, one per line, and a summary; exit 2 on errors (or
/// on warnings with `--strict`). Notes never fail.
fn check(global: &GlobalArgs, args: &CheckArgs) -> Result<u8> {
    let paths =
        if args.paths.is_empty() { &global.lexicon } else { &args.paths };
    let sources: Vec<Source> = if paths.is_empty() {
        lexicon::default_sources()
    } else {
        match lexicon::read_sources(paths) {
            Ok(s) => s,
            Err(tifa::Error::Lexicon(diags)) => {
                print_lines(&diags)?;
                return Ok(2);
            }
            Err(e) => return Err(e.into()),
        }
    };
    let (lex, diags) = lexicon::check_sources(&sources);
    print_lines(&diags)?;
    let count = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
    let (errors, warnings) =
        (count(Severity::Error), count(Severity::Warning));
    let notes = count(Severity::Note);
    if !global.quiet {
        let what = format!(
            "{}, {}, {}{}",
            quantity(errors as u64, "error", "errors"),
            quantity(warnings as u64, "warning", "warnings"),
            quantity(notes as u64, "note", "notes"),
            if args.strict { " (strict)" } else { "" }
        );
        match &lex {
            Some(l) => {
                // `lexicon "w": 1 term`, with no gap where no version is set.
                let version = if l.version.is_empty() {
                    String::new()
                } else {
                    format!(" {}", l.version)
                };
                let terms = quantity(l.terms.len() as u64, "term", "terms");
                eprintln!(
                    "tifa: lexicon {:?}{version}: {terms}, {what}",
                    l.name
                )
            }
            None => eprintln!("tifa: {what}"),
        }
    }
    Ok(if errors > 0 || (args.strict && warnings > 0) { 2 } else { 0 })
}

/// Prints `lines` on stdout, one each; nothing (not even a check that
/// stdout is open) when there are none.
fn print_lines(lines: &[impl std::fmt::Display]) -> Result<()> {
    if !lines.is_empty() {
        crate::stdout::write(|w| {
            lines.iter().try_for_each(|line| writeln!(w, "{line}"))
        })?;
    }
    Ok(())
}

fn export(global: &GlobalArgs, args: &ExportArgs) -> Result<u8> {
    let lexicon = load_lexicon(global)?;
    match args.to.as_str() {
        "csv" => {
            let csv = csv_options(global);
            let sheet = transfer::to_sheet(&lexicon);
            write_out(global, |w| write_table(&sheet, Format::Csv, csv, w))?;
        }
        "quanteda-yaml" => {
            let yaml = transfer::to_quanteda_yaml(&lexicon);
            write_out(global, |w| w.write_all(yaml.as_bytes()))?;
        }
        _ => {
            let txt = transfer::to_txt(&lexicon);
            write_out(global, |w| w.write_all(txt.as_bytes()))?;
        }
    }
    Ok(0)
}

/// Writes the TOML, or nothing when the sheet has an error; warnings go to
/// stderr with their sheet line and column.
fn import(global: &GlobalArgs, args: &ImportArgs) -> Result<u8> {
    let data = std::fs::read(&args.file)
        .map_err(|e| tifa::Error::io(&args.file, e))?;
    let opts = transfer::ImportOptions {
        name: args.name.clone(),
        version: args.lexicon_version.clone(),
        description: args.description.clone(),
    };
    let name = args.file.display().to_string();
    let imported = transfer::import_csv(&name, &data, &opts)?;
    if !global.quiet {
        for w in &imported.warnings {
            eprintln!("{w}");
        }
    }
    write_out(global, |w| w.write_all(imported.toml.as_bytes()))?;
    Ok(0)
}
