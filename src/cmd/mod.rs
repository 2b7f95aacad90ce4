//! Glue between the command line and the library: one file per command,
//! plus the helpers they share (loading the lexicon, reading inputs,
//! writing the result, reporting what was read).

mod audit;
mod compare;
mod cooc;
mod corpus;
mod count;
mod diff;
mod discover;
mod kwic;
mod lexicon;
mod nesting;
mod renderings;
mod report;
mod scan;
mod trend;

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::cli::{Cli, Command, GlobalArgs, InputArgs, LexiconCommand};
use tifa::Matcher;
use tifa::analysis::{Aggregate, Grouping, MISSING, TermNames};
use tifa::corpus::{
    Fields, InputFiles, Metadata, ReadAs, ReadOptions, STDIN_NAME, Warning,
    canonical_target, expand_inputs, read_by_folder, read_extensions,
    written_inside,
};
use tifa::lexicon::TermId;
use tifa::output::{
    CsvOptions, Format, RowWriter, SpreadsheetLimits, is_stream, quantity,
    shell_word, spreadsheet_limits, thousands, write_atomic, write_table,
};
use tifa::pipeline::{
    self, Rerun, RunOptions, SAME_WARNINGS_KEPT, Summary, message_kind,
};
use tifa::table::{Cell, Table};
use tifa::{Lexicon, lexicon as lex};

/// Runs a command; the exit code on success (2 when some inputs failed).
pub fn run(mut cli: Cli) -> Result<u8> {
    // `-o -` is stdout, as an input `-` is stdin (not a file named `-`).
    if cli.global.output.as_deref() == Some(Path::new("-")) {
        cli.global.output = None;
    }
    check_inputs(&cli)?;
    let written = cli.command.written(&cli.global).map(Path::to_path_buf);
    if let Some(input) = cli.command.input_mut() {
        input.written = written;
    }
    match &cli.command {
        Command::Count(args) => count::run(&cli.global, args),
        Command::Corpus(args) => corpus::run(&cli.global, args),
        Command::Lexicon(cmd) => lexicon::run(&cli.global, cmd),
        Command::Scan(args) => scan::run(&cli.global, args),
        Command::Kwic(args) => kwic::run(&cli.global, args),
        Command::Nesting(args) => nesting::run(&cli.global, args),
        Command::Audit(args) => audit::run(&cli.global, args),
        Command::Cooc(args) => cooc::run(&cli.global, args),
        Command::Trend(args) => trend::run(&cli.global, args),
        Command::Compare(args) => compare::run(&cli.global, args),
        Command::Diff(args) => diff::run(&cli.global, args),
        Command::Discover(args) => discover::run(&cli.global, args),
        Command::Renderings(args) => renderings::run(&cli.global, args),
        Command::Report(args) => report::run(&cli.global, args),
    }
}

/// The lexicon of `--lexicon`, or the built-in one. Its warnings are shown
/// unless `--quiet`: what they say was ignored would otherwise vanish.
fn load_lexicon(global: &GlobalArgs) -> Result<Lexicon> {
    if global.lexicon.is_empty() {
        return Ok(lex::load_default()?);
    }
    let (lexicon, warnings) = lex::load_path(&global.lexicon)?;
    if !global.quiet {
        for w in warnings {
            eprintln!("tifa: {w}");
        }
    }
    Ok(lexicon)
}

/// The lexicon for a command that reads `input`: with `--t2s`, its
/// Chinese strings converted as the text is (see [`Lexicon::simplified`]).
fn load_lexicon_for(
    global: &GlobalArgs,
    input: &InputArgs,
) -> Result<Lexicon> {
    let lexicon = load_lexicon(global)?;
    if !input.t2s {
        return Ok(lexicon);
    }
    let (lexicon, notes) = lexicon.simplified();
    if !global.quiet {
        for note in notes {
            eprintln!("tifa: warning: {note}");
        }
    }
    Ok(lexicon)
}

/// The inputs of a command, expanded, with how to read them.
struct Inputs {
    files: InputFiles,
    metadata: Metadata,
    options: RunOptions,
    /// Problems found while expanding (unreadable paths).
    summary: Summary,
    /// The inputs as given.
    given: Vec<String>,
    /// What the run writes (`-o FILE`, `report --out DIR`).
    written: Option<PathBuf>,
}

impl Inputs {
    fn new(input: &InputArgs, global: &GlobalArgs) -> Inputs {
        let fields = Fields {
            id: input.id_field.clone(),
            date: input.date_field.clone(),
            title: input.title_field.clone(),
            source: input.source_field.clone(),
            text: input.text_field.clone(),
        };
        // On the run's threads: folders' tables are checked in parallel.
        let (files, metadata, warnings) =
            pipeline::on_threads(global.threads, || {
                expand_inputs(&input.inputs, input.written.as_deref(), &fields)
            });
        let summary = Summary {
            skipped: warnings.iter().filter(|w| w.skipped).count() as u64,
            warnings,
            ..Summary::default()
        };
        let read = ReadOptions {
            format: input.input_format,
            fields,
            encoding: input.encoding.and_then(|e| e.0),
            split: input.split.clone(),
            since: input.since.clone(),
            until: input.until.clone(),
            max_doc_bytes: input.max_doc_bytes,
            t2s: input.t2s,
            ..ReadOptions::default()
        };
        let options = RunOptions {
            read,
            threads: global.threads,
            t2s: input.t2s,
            dedup: input.dedup,
            // A dumb terminal cannot redraw a line: each redraw of the
            // bar would stack up on a line of its own.
            progress: !global.quiet && !dumb_terminal(),
            rerun: Rerun {
                lexicon: (global.lexicon.iter())
                    .map(|p| {
                        format!(
                            " --lexicon {}",
                            shell_word(&p.to_string_lossy())
                        )
                    })
                    .collect(),
                inputs: (input.inputs.iter())
                    .map(|i| format!(" {}", shell_word(i)))
                    .collect(),
            },
        };
        let (given, written) = (input.inputs.clone(), input.written.clone());
        Inputs { files, metadata, options, summary, given, written }
    }

    /// Starts expanding the inputs on another thread, so that a large
    /// lexicon loads meanwhile: 10,000 terms take about 80 ms to load, a
    /// folder of 60,000 files with metadata about 120 ms to expand, and
    /// no document is read before both are done.
    fn expand(input: &InputArgs, global: &GlobalArgs) -> Expanding {
        let (input, global) = (input.clone(), global.clone());
        Expanding(std::thread::spawn(move || Inputs::new(&input, &global)))
    }

    /// Runs the inputs through the matcher (if any) into aggregates made by
    /// `make`; the summary includes the problems found while expanding
    /// (see [`Inputs::checked`]).
    fn run<A: Aggregate, F: Fn() -> A + Sync>(
        &mut self,
        matcher: Option<&Matcher>,
        make: F,
        global: &GlobalArgs,
    ) -> Result<(A, Summary)> {
        self.refuse_dedup_of_a_stream()?;
        let (aggregate, run) = pipeline::run(
            &self.files,
            &self.metadata,
            matcher,
            &self.options,
            make,
        );
        Ok((aggregate, self.checked(run, global)?))
    }

    /// Runs the inputs as [`Inputs::run`] does, and writes the rows that
    /// `rows` makes of each batch of documents (aggregated by one made by
    /// `make`) under the columns of `head`, to `-o FILE` or stdout, as the
    /// batches complete, in corpus order: memory does not grow with the
    /// rows. Then come the rows that `tail` makes of the run's summary
    /// (a row of the inputs skipped). The bytes are those of a table of
    /// every row (see [`RowWriter`]). Nothing is written before the first
    /// row: a run that reads no document is an error that writes nothing,
    /// on stdout too. A later input that cannot be read is a warning (exit
    /// 2), as in [`Inputs::run`]; `-o FILE` is replaced only at the end.
    fn stream<A: Aggregate, F: Fn() -> A + Sync>(
        mut self,
        matcher: Option<&Matcher>,
        make: F,
        head: &Table,
        mut rows: impl FnMut(A) -> Vec<Vec<Cell>>,
        tail: impl FnOnce(&Summary) -> Vec<Vec<Cell>>,
        global: &GlobalArgs,
    ) -> Result<Summary> {
        self.refuse_dedup_of_a_stream()?;
        let format = output_format(global);
        let csv = csv_options(global);
        let mut limits = SpreadsheetLimits::default();
        // The outcome of the checks after the run, kept apart from the
        // write's errors: a failed check is no write error.
        let mut checked = None;
        let fill = |out: &mut dyn std::io::Write| {
            let mut writer = RowWriter::new(head, format, csv, out);
            let mut write = |row: Vec<Cell>| {
                limits.add(&row);
                writer.push(&row)
            };
            let (run, wrote) = pipeline::stream(
                &self.files,
                &self.metadata,
                matcher,
                &self.options,
                make,
                |batches| batches.flat_map(&mut rows).try_for_each(&mut write),
            );
            wrote?;
            let Ok(summary) = checked.insert(self.checked(run, global)) else {
                return Err(std::io::Error::other("nothing written"));
            };
            tail(summary).into_iter().try_for_each(write)?;
            writer.finish()
        };
        let written = write_out(global, fill);
        let summary = match checked {
            Some(Err(e)) => return Err(e),
            summary => summary,
        };
        written?;
        warn_of_spreadsheet_limits(format, limits.warnings(), global);
        summary.expect("the run is checked before the write ends")
    }

    /// `--dedup` reads every input twice (the first copy of each text
    /// must not depend on scheduling); a stream can be read once, and its
    /// second pass found nothing. Only an argument can be one: a folder's
    /// walk reads regular files alone.
    fn refuse_dedup_of_a_stream(&self) -> Result<()> {
        if self.options.dedup
            && let Some(name) = self.stream_given()
        {
            return Err(tifa::Error::Usage(format!(
                "{name}: --dedup reads its inputs twice, and a stream can be \
                 read once: save it to a file first"
            ))
            .into());
        }
        Ok(())
    }

    /// The first input given that is a stream (stdin, a pipe), which can
    /// be read only once: its name.
    fn stream_given(&self) -> Option<&str> {
        let stream = self.given.iter().find(|g| {
            *g == "-"
                || std::fs::metadata(g)
                    .is_ok_and(|m| !m.is_file() && !m.is_dir())
        })?;
        Some(if stream == "-" { STDIN_NAME } else { stream })
    }

    /// The summary of a run, with the problems found while expanding.
    /// When inputs failed and no document was read, the problems are
    /// printed and the run is an error: an empty result would replace the
    /// previous `-o FILE` or report because of a mistyped path.
    fn checked(
        &mut self,
        run: Summary,
        global: &GlobalArgs,
    ) -> Result<Summary> {
        self.summary.merge_run(run);
        let left = match &self.written {
            // Said of a file there is.
            Some(path) if path.exists() => {
                format!(" ({} left as it was)", path.display())
            }
            _ => String::new(),
        };
        if self.summary.documents == 0 && self.summary.skipped > 0 {
            print_warnings(&self.summary, global);
            anyhow::bail!("no input could be read; nothing written{left}");
        }
        if self.files.is_empty() {
            // Folders empty, or of other files only: an empty result
            // would read as "no term found".
            print_warnings(&self.summary, global);
            anyhow::bail!(
                "{}: no file to read (folders are read for {} files; - reads stdin); nothing written{left}",
                self.given.join(", "),
                read_extensions()
            );
        }
        Ok(std::mem::take(&mut self.summary))
    }
}

/// Whether the terminal says it cannot show styles or move the cursor
/// (TERM=dumb: Emacs' shell, some CI logs): the escape codes of kwic's
/// bold and of the progress bar would show as text there.
fn dumb_terminal() -> bool {
    std::env::var_os("TERM").is_some_and(|t| t == "dumb")
}

/// The terms that `lists` name (ids, forms or labels, separated by `,`,
/// `，` or `、`; see [`TermNames`]), each once, in the order given. An
/// unknown name that is an existing path gets a hint that the terms come
/// before the inputs, as `usage` shows (`tifa kwic a1.txt 两新` swapped
/// them). Lists that name nothing (`--term ''`, `kwic ,`) are an error:
/// every match would be left out.
fn named_terms(
    lexicon: &Lexicon,
    lists: &[String],
    usage: &str,
) -> Result<Vec<TermId>> {
    let names = TermNames::new(lexicon);
    let terms = names.parse(lists).map_err(|e| {
        // The name the error is about: the first that names no term.
        let path = lists
            .iter()
            .flat_map(|l| names.split(l))
            .find(|&n| names.resolve(n).is_err())
            .filter(|&n| Path::new(n).exists());
        match path {
            Some(p) => anyhow::anyhow!(
                "{e}; {p:?} is a {}: the terms come before the inputs ({usage})",
                if Path::new(p).is_dir() { "folder" } else { "file" }
            ),
            None => e.into(),
        }
    })?;
    if terms.is_empty() {
        return Err(tifa::Error::Usage(format!(
            "no term named in {lists:?} ({usage})"
        ))
        .into());
    }
    Ok(terms)
}

/// [`named_terms`] of an option that may be left out (`--term`,
/// `--terms`): `None`, every term, when it is.
fn chosen_terms(
    lexicon: &Lexicon,
    lists: &[String],
    usage: &str,
) -> Result<Option<Vec<TermId>>> {
    if lists.is_empty() {
        return Ok(None);
    }
    named_terms(lexicon, lists, usage).map(Some)
}

/// Inputs being expanded (see [`Inputs::expand`]).
struct Expanding(std::thread::JoinHandle<Inputs>);

impl Expanding {
    /// The expanded inputs, and `lexicon`'s matcher, built while the
    /// expansion goes on.
    fn with_matcher(self, lexicon: &Lexicon) -> (Matcher, Inputs) {
        let matcher = Matcher::new(lexicon);
        let inputs = self
            .0
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (matcher, inputs)
    }
}

/// The format a table is written in: `--format`, else the one `-o
/// FILE`'s name asks for, else a table on a terminal and CSV otherwise.
fn output_format(global: &GlobalArgs) -> Format {
    global
        .format
        .or_else(|| global.output.as_deref().and_then(format_of))
        .unwrap_or(
            if global.output.is_none() && std::io::stdout().is_terminal() {
                Format::Table
            } else {
                Format::Csv
            },
        )
}

/// How CSV is written: with a byte-order mark in a file (unless
/// `--no-bom`), without on stdout or a stream named by `-o` (a device, a
/// FIFO: `-o /dev/stdout`), unless `--bom`.
fn csv_options(global: &GlobalArgs) -> CsvOptions {
    let to_file = global.output.as_deref().is_some_and(|p| !is_stream(p));
    CsvOptions {
        bom: if to_file { !global.no_bom } else { global.bom },
        raw: global.raw,
    }
}

/// Writes a table to `-o FILE` (atomically) or stdout.
fn emit(table: &Table, global: &GlobalArgs) -> Result<()> {
    let format = output_format(global);
    let csv = csv_options(global);
    warn_of_spreadsheet_limits(format, spreadsheet_limits(table), global);
    write_out(global, |w| write_table(table, format, csv, w))
}

/// Writes what `fill` writes to `-o FILE` (whole or not at all) or to
/// stdout.
fn write_out(
    global: &GlobalArgs,
    fill: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<()> {
    match &global.output {
        Some(path) => write_atomic(path, fill)?,
        None => crate::stdout::write(fill)?,
    }
    Ok(())
}

/// Says what a spreadsheet would cut from CSV output (see
/// [`SpreadsheetLimits`]), unless `--quiet`.
fn warn_of_spreadsheet_limits(
    format: Format,
    warnings: Vec<String>,
    global: &GlobalArgs,
) {
    if format == Format::Csv && !global.quiet {
        for warning in warnings {
            eprintln!("tifa: warning: {warning}");
        }
    }
}

/// The format a file name asks for without `--format`: `.json`,
/// `.jsonl` (or `.ndjson`), `.md`; CSV for anything else.
fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "json" => Some(Format::Json),
        "jsonl" | "ndjson" => Some(Format::Jsonl),
        "md" | "markdown" => Some(Format::Markdown),
        _ => None,
    }
}

/// Checks made before anything is read: a date range that keeps nothing
/// is an error, and so is output that would replace an input; output
/// written inside a folder that is read is a warning (the walk leaves it
/// out, see [`expand_inputs`]).
fn check_inputs(cli: &Cli) -> Result<()> {
    check_output_name(cli)?;
    check_output_is_no_input(cli)?;
    check_chart_is_no_table(cli)?;
    let Some(input) = cli.command.input() else { return Ok(()) };
    if let (Some(since), Some(until)) = (&input.since, &input.until)
        && tifa::corpus::date_range(since).0
            > tifa::corpus::date_range(until).1
    {
        anyhow::bail!(
            "--since {since} is after --until {until}: no document could be kept"
        );
    }
    let folder = matches!(cli.command, Command::Report(_));
    if let Some(out) = cli.command.written(&cli.global)
        && let Some(warning) =
            written_inside(out, folder, &cli.command.corpus_paths())
        && !cli.global.quiet
    {
        eprintln!("tifa: warning: {warning}");
    }
    Ok(())
}

/// Extensions of spreadsheet workbooks (Excel, LibreOffice, Numbers,
/// WPS), which tifa cannot write.
const WORKBOOKS: &[&str] =
    &["xlsx", "xlsm", "xlsb", "xls", "xltx", "ods", "numbers", "et"];

/// Refuses `-o FILE` named as a spreadsheet workbook (`quotes.xlsx`):
/// tifa writes text (CSV, JSON, Markdown, TOML), and Excel refuses a
/// text file under a workbook's name ("file format or extension is not
/// valid"), which a reader finds out only when opening it. The name to
/// use instead is suggested; Excel opens the CSV, Chinese included.
fn check_output_name(cli: &Cli) -> Result<()> {
    let Some(path) = &cli.global.output else { return Ok(()) };
    let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
        return Ok(());
    };
    if !WORKBOOKS.contains(&ext.to_ascii_lowercase().as_str()) {
        return Ok(());
    }
    let (instead, why) = match &cli.command {
        Command::Lexicon(LexiconCommand::Import(_)) => ("toml", ""),
        _ => ("csv", " (Excel opens CSV, Chinese included)"),
    };
    Err(tifa::Error::Usage(format!(
        "{}: tifa writes no .{ext} workbook; name it {}{why}; nothing written",
        path.display(),
        path.with_extension(instead).display()
    ))
    .into())
}

/// Refuses `trend --svg FILE -o FILE`: the chart would replace the table.
fn check_chart_is_no_table(cli: &Cli) -> Result<()> {
    let (Command::Trend(args), Some(out)) = (&cli.command, &cli.global.output)
    else {
        return Ok(());
    };
    let Some(svg) = &args.svg else { return Ok(()) };
    if canonical_target(svg)
        .is_some_and(|svg| Some(svg) == canonical_target(out))
    {
        anyhow::bail!(
            "{}: named by both --svg and -o; the chart would replace the table: name them apart",
            svg.display()
        );
    }
    Ok(())
}

/// Refuses `-o FILE` that is one of the command's inputs, or a file that
/// the walk of an input folder reads (`tifa count corp -o
/// corp/news.jsonl`, or its `corp/metadata.csv`), and a report's `--out DIR` that is or holds an
/// input: the result would replace what it was made from. An `-o FILE`
/// that does not exist yet is left out of the walk instead (see
/// [`expand_inputs`]).
fn check_output_is_no_input(cli: &Cli) -> Result<()> {
    let (out, folder) = match &cli.command {
        Command::Report(args) => (args.out.as_path(), true),
        _ => match &cli.global.output {
            Some(path) => (path.as_path(), false),
            None => return Ok(()),
        },
    };
    let Ok(out_path) = std::fs::canonicalize(out) else { return Ok(()) };
    let corpus_paths = cli.command.corpus_paths();
    let inputs: Vec<&Path> = match &cli.command {
        Command::Audit(args) => vec![args.sheet.as_path()],
        Command::Diff(args) => vec![args.old.as_path(), args.new.as_path()],
        Command::Lexicon(LexiconCommand::Import(args)) => {
            vec![args.file.as_path()]
        }
        _ => corpus_paths.iter().map(Path::new).collect(),
    };
    let lexicons = cli.global.lexicon.iter().map(PathBuf::as_path);
    for input in inputs.into_iter().chain(lexicons.clone()) {
        let Ok(input_path) = std::fs::canonicalize(input) else { continue };
        if input_path == out_path {
            anyhow::bail!(
                "{}: is an input of this run; write the result elsewhere",
                out.display()
            );
        }
        if folder && input_path.starts_with(&out_path) {
            anyhow::bail!(
                "{}: holds {}, an input of this run, and would be replaced as a whole; write the report elsewhere",
                out.display(),
                input.display()
            );
        }
    }
    // A lexicon folder reads the .toml files directly in it.
    if let Some(dir) = lexicons.filter(|l| l.is_dir()).find(|dir| {
        out_path.extension().is_some_and(|x| x.eq_ignore_ascii_case("toml"))
            && std::fs::canonicalize(dir).ok().as_deref() == out_path.parent()
    }) {
        anyhow::bail!(
            "{}: is a lexicon file of this run, read from {}; write the result elsewhere",
            out.display(),
            dir.display()
        );
    }
    if !folder
        && let Some((input, read_as)) = read_by_folder(out, &corpus_paths)
    {
        let out = out.display();
        match read_as {
            ReadAs::Document => anyhow::bail!(
                "{out}: -o names a file the run reads from {input} (an article, or an earlier output kept there); write elsewhere, or remove it first"
            ),
            ReadAs::Metadata => anyhow::bail!(
                "{out}: -o names the metadata the run reads for {input}; write elsewhere"
            ),
        }
    }
    Ok(())
}

/// A warning for `--by FIELD` when no document has the field (a typo, or
/// a column named otherwise): every row of `table` is then in `(none)`,
/// which would read as a result.
fn check_by_field(
    by: Option<&Grouping>,
    table: &Table,
    summary: &mut Summary,
) {
    let Some(Grouping::Field(field)) = by else { return };
    let Some(column) = table.columns.iter().position(|c| c == field) else {
        return;
    };
    let none = Cell::from(MISSING);
    if !table.rows.is_empty() && table.rows.iter().all(|r| r[column] == none) {
        // A misspelt grouping (`yaer`) is a field no document has.
        let known = [
            "all", "doc", "decade", "year", "quarter", "month", "week", "day",
            "source",
        ];
        let guess = known
            .iter()
            .map(|k| (typos(field, k), k))
            .filter(|&(d, k)| d <= 2 && d * 2 < k.len())
            .min()
            .map_or(String::new(), |(_, k)| {
                format!("; did you mean --by {k}?")
            });
        summary.warnings.push(Warning {
            location: format!("--by {field}"),
            message: format!(
                "no document has a field {field:?}; all of them are in {MISSING}{guess}"
            ),
            skipped: false,
        });
    }
}

/// How many typing slips turn `a` into `b`: characters left out, added,
/// replaced or swapped with the next (the optimal string alignment
/// distance).
fn typos(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) =
        (a.chars().collect(), b.chars().collect());
    // d[i][j]: slips between a[..i] and b[..j].
    let mut d = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    d[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let replace = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + replace);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// Prints warnings and the summary line to stderr; the exit code: 2 when
/// some input could not be read, 0 otherwise.
fn finish(summary: &Summary, global: &GlobalArgs) -> u8 {
    print_warnings(summary, global);
    if !global.quiet {
        eprintln!(
            "tifa: {}, {:.1} MB in {:.2} s ({:.0} MB/s); {} skipped; {} out of date range{}; {}; {} replaced",
            quantity(summary.documents, "document", "documents"),
            summary.bytes as f64 / 1e6,
            summary.elapsed.as_secs_f64(),
            summary.megabytes_per_second(),
            thousands(summary.skipped),
            thousands(summary.filtered - summary.filtered_undated),
            match summary.filtered_undated {
                0 => String::new(),
                n => format!(" and {} undated", thousands(n)),
            },
            quantity(summary.duplicates, "duplicate", "duplicates"),
            quantity(
                summary.replacements,
                "invalid sequence",
                "invalid sequences"
            ),
        );
    }
    if summary.skipped > 0 { 2 } else { 0 }
}

/// Warnings by file and kind of message ([`message_kind`]): how many, and
/// the message to count them with (their kind, once two differ).
type Kinds<'a> = HashMap<(&'a str, Cow<'a, str>), (u64, Cow<'a, str>)>;

/// Prints the summary's problems to stderr, those of one file with one
/// message up to [`SAME_WARNINGS_KEPT`] times and the rest as a count (a
/// JSONL file without its text field would otherwise print a line per
/// record); under `--quiet`, only the inputs skipped, which are errors and
/// change the exit code. A kind of problem that left nothing out is shown
/// for [`SAME_WARNINGS_KEPT`] files, and the other files counted: a folder
/// of 300 files in traditional characters is not 300 lines of advice.
fn print_warnings<'a>(summary: &'a Summary, global: &GlobalArgs) {
    let shown = |skipped: bool| skipped || !global.quiet;
    let mut files = FilesOfKind::new();
    let mut shown_for_file = |file: &'a str, message: &'a str, skipped| {
        if skipped {
            return true;
        }
        let (named, more) = files.entry(message_kind(message)).or_default();
        if named.contains(&file) {
            return true;
        }
        if named.len() < SAME_WARNINGS_KEPT {
            named.push(file);
            return true;
        }
        more.insert(file);
        false
    };
    let warnings = (summary.warnings.iter())
        .filter(|w| shown(w.skipped))
        .filter(|w| shown_for_file(w.file(), &w.message, w.skipped))
        .collect::<Vec<_>>();
    let repeated = (summary.repeated.iter())
        .filter(|r| shown(r.skipped))
        .filter(|r| shown_for_file(&r.file, &r.message, r.skipped))
        .collect::<Vec<_>>();
    let mut seen = Kinds::new();
    let mut more = Vec::new();
    let mut add = |file, message: &'a str, n: u64| {
        let key = (file, message_kind(message));
        let (seen, shown) = seen
            .entry(key.clone())
            .or_insert_with(|| (0, Cow::Borrowed(message)));
        if shown != message {
            *shown = key.1.clone();
        }
        let kept = SAME_WARNINGS_KEPT as u64;
        if *seen <= kept && *seen + n > kept {
            more.push(key);
        }
        *seen += n;
        *seen <= kept
    };
    for w in warnings {
        if add(w.file(), &w.message, 1) {
            eprintln!("tifa: {w}");
        }
    }
    for r in repeated {
        add(&r.file, &r.message, r.more);
    }
    for key in more {
        let (n, message) = &seen[&key];
        let n = n - SAME_WARNINGS_KEPT as u64;
        eprintln!("tifa: {}: {n} more times: {message}", key.0);
    }
    let mut kinds: Vec<_> =
        files.into_iter().filter(|(_, (_, more))| !more.is_empty()).collect();
    kinds.sort();
    for (kind, (_, more)) in kinds {
        let files = quantity(more.len() as u64, "more file", "more files");
        eprintln!("tifa: {files}: {kind}");
    }
}

/// For each kind of message ([`message_kind`]) of the problems that left
/// nothing out, the files it is shown for, and the other files it came in.
type FilesOfKind<'a> =
    HashMap<Cow<'a, str>, (Vec<&'a str>, std::collections::BTreeSet<&'a str>)>;
