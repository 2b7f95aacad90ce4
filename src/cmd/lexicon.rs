//! `tifa lexicon check|list`: validate a lexicon and show what it holds.

use anyhow::Result;

use super::{emit, load_lexicon};
use crate::cli::{CheckArgs, GlobalArgs, LexiconCommand};
use tifa::lexicon::{self, Severity, Source};
use tifa::table::{Table, text};

pub fn run(global: &GlobalArgs, cmd: &LexiconCommand) -> Result<u8> {
    match cmd {
        LexiconCommand::Check(args) => check(global, args),
        LexiconCommand::List => {
            let lexicon = load_lexicon(global)?;
            let mut table = Table::new([
                "id", "label_zh", "label_en", "category", "zh", "en",
            ]);
            for t in &lexicon.terms {
                let zh: Vec<&str> =
                    t.zh.iter()
                        .chain(&t.zh_expansions)
                        .map(String::as_str)
                        .collect();
                let en: Vec<&str> =
                    t.en.iter()
                        .chain(&t.en_expansions)
                        .map(String::as_str)
                        .collect();
                table.push(vec![
                    text(t.id.clone()),
                    text(t.label_zh.clone()),
                    text(t.label_en.clone()),
                    text(t.category.clone()),
                    text(zh.join("|")),
                    text(en.join("|")),
                ]);
            }
            emit(&table, global)?;
            Ok(0)
        }
    }
}

/// Prints every problem, one per line, and a summary; exit 2 on errors (or
/// on warnings with `--strict`).
fn check(global: &GlobalArgs, args: &CheckArgs) -> Result<u8> {
    let paths =
        if args.paths.is_empty() { &global.lexicon } else { &args.paths };
    let sources: Vec<Source> = if paths.is_empty() {
        lexicon::default_sources()
    } else {
        match lexicon::read_sources(paths) {
            Ok(s) => s,
            Err(tifa::Error::Lexicon(diags)) => {
                for d in &diags {
                    println!("{d}");
                }
                return Ok(2);
            }
            Err(e) => return Err(e.into()),
        }
    };
    let (lex, mut diags) = lexicon::parse_sources(&sources);
    if let Some(lex) = &lex {
        let origin = sources.first().map_or("lexicon", |s| s.name.as_str());
        diags.extend(lexicon::lint(lex, origin));
    }
    for d in &diags {
        println!("{d}");
    }
    let errors =
        diags.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = diags.len() - errors;
    if !global.quiet {
        match &lex {
            Some(l) => eprintln!(
                "tifa: lexicon {:?} {}: {} terms, {errors} errors, {warnings} warnings",
                l.name,
                l.version,
                l.terms.len()
            ),
            None => eprintln!("tifa: {errors} errors, {warnings} warnings"),
        }
    }
    Ok(if errors > 0 || (args.strict && warnings > 0) { 2 } else { 0 })
}
