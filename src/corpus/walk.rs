//! Expanding command-line inputs into a sorted list of files.

use std::cell::Cell;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::dates::{DATE_YEARS, compact_month};
use super::records::RecordLines;
use super::{Fields, Warning};

/// File extensions read from folders.
const TEXT_EXTENSIONS: &[&str] = &["txt", "md", "jsonl", "ndjson", "csv"];

/// The metadata file of a folder of text files: never a document.
pub const METADATA_FILE: &str = "metadata.csv";

/// How documents read from stdin are named, in messages and in the `doc`
/// column, as ripgrep names them: a bare `-` would reach a spreadsheet as
/// `'-`, since the CSV writer guards cells that begin with `-`.
pub const STDIN_NAME: &str = "<stdin>";

/// `metadata.csv` rows by folder, keyed by file name and by file stem.
///
/// Every `metadata.csv` is read while the inputs are expanded, so that its
/// problems are reported there; the tables of the first few folders are
/// kept from that reading, and of the others only that they are usable.
/// A folder's rows are read again when its files are, unless kept, and
/// only the tables of the last few folders stay in memory, within
/// a budget of bytes: a newspaper's folder has a row per article, and a
/// corpus of a hundred folders kept them all for the whole run.
#[derive(Debug)]
pub struct Metadata {
    /// The columns read by name.
    columns: KnownColumns,
    /// Folders with a usable `metadata.csv`, as the walk wrote their path
    /// (a `Path` would be hashed component by component, once for every
    /// file of a corpus).
    folders: FxHashSet<OsString>,
    /// The tables read last, the most recent at the end.
    recent: Mutex<Vec<(OsString, Loaded)>>,
    /// Bytes of tables kept beyond [`tables_kept`] of them.
    budget: usize,
}

impl Default for Metadata {
    /// The metadata of record fields of their default names.
    fn default() -> Metadata {
        Metadata::new(&Fields::default())
    }
}

/// The columns of a `metadata.csv` that tifa reads by name: `id` and
/// `file`, which name the file, `year`, and the date, title and source
/// named as the record fields are (`--date-field` ...).
///
/// A spreadsheet's user writes them `Date` or `ID`, or with a space
/// after them: they are found whatever their ASCII case and the spaces
/// around them, unlike the fields of JSONL and CSV records, which come
/// from programs and are matched exactly (a corpus CSV whose text column
/// is not found is skipped with a message naming its columns, never read
/// undated without a word as a folder was).
#[derive(Debug, Clone)]
struct KnownColumns {
    date: String,
    title: String,
    source: String,
}

impl KnownColumns {
    fn names(&self) -> [&str; 6] {
        ["id", "file", "year", &self.date, &self.title, &self.source]
    }

    /// The columns of a header as they are used: one of the known names,
    /// whatever its case and spaces, as that name; others as written
    /// (`--by FIELD` names them). Two columns that come to the same known
    /// name are an error naming both.
    fn fold(
        &self,
        headers: &csv::StringRecord,
    ) -> Result<Vec<String>, String> {
        let mut columns: Vec<String> = Vec::with_capacity(headers.len());
        for (i, header) in headers.iter().enumerate() {
            let trimmed = header.trim();
            let Some(known) = self
                .names()
                .into_iter()
                .find(|k| k.eq_ignore_ascii_case(trimmed))
            else {
                columns.push(header.to_string());
                continue;
            };
            if let Some(j) = columns.iter().position(|c| c == known) {
                return Err(format!(
                    "columns {} ({:?}) and {} ({:?}) both name the column `{known}`: rename one",
                    j + 1,
                    &headers[j],
                    i + 1,
                    header
                ));
            }
            columns.push(known.to_string());
        }
        Ok(columns)
    }
}

/// A folder's table, or why it can no longer be read.
type Loaded = Result<Arc<Table>, Warning>;

/// A text file's row of its folder's `metadata.csv`: a handle on the
/// table, so that its documents carry the row without copying it.
#[derive(Clone)]
pub struct MetadataRow {
    table: Arc<Table>,
    row: u32,
}

impl MetadataRow {
    /// The (column, value) pairs of the row.
    pub fn fields(&self) -> impl Iterator<Item = (&str, &str)> {
        let columns = self.table.columns.iter().map(String::as_str);
        columns.zip(self.table.row(self.row))
    }

    /// The row's columns other than the file's name, id, date, title and
    /// source (`year` among them), as (column, value) pairs.
    pub fn others(&self) -> impl Iterator<Item = (&str, &str)> {
        self.fields()
            .zip(&self.table.others)
            .filter_map(|(field, &other)| other.then_some(field))
    }

    /// The value of one of [`others`](Self::others); of two columns of
    /// that name, the later's.
    pub fn other(&self, column: &str) -> Option<&str> {
        self.others().filter(|&(c, _)| c == column).last().map(|(_, v)| v)
    }

    /// Where the row is, for messages: `FOLDER/metadata.csv:LINE`.
    pub fn location(&self) -> String {
        let line = self.table.lines[self.row as usize];
        format!("{}:{line}", self.table.path.display())
    }
}

/// Rows are told apart by their values.
impl PartialEq for MetadataRow {
    fn eq(&self, other: &MetadataRow) -> bool {
        self.fields().eq(other.fields())
    }
}

/// The row, not its whole table.
impl std::fmt::Debug for MetadataRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.fields()).finish()
    }
}

/// The rows of one `metadata.csv`, held compactly: all values live in one
/// string.
#[derive(Debug, Default)]
struct Table {
    /// The `metadata.csv` read.
    path: PathBuf,
    columns: Vec<String>,
    /// Whether each column is one of a row's [`others`](MetadataRow::others).
    others: Vec<bool>,
    values: String,
    /// Where each value ends in `values`, row after row.
    ends: Vec<u32>,
    /// The line of each row.
    lines: Vec<u32>,
    /// The `file` and `id` values, as (value index, row), sorted by value;
    /// of equal values, only the last row's (a map of boxed strings took
    /// ten times the memory).
    keys: Vec<(u32, u32)>,
    /// Of a table checked: each row's `file` and `id` values, with
    /// the row's line.
    names: Vec<(Box<str>, u64)>,
}

thread_local! {
    /// Where the last key this thread looked for was (see
    /// [`Table::position`]).
    static LAST_POSITION: Cell<usize> = const { Cell::new(0) };
}

impl Table {
    /// The bytes it takes, about.
    fn bytes(&self) -> usize {
        self.values.capacity()
            + 4 * (self.ends.capacity() + self.lines.capacity())
            + 8 * self.keys.capacity()
    }

    /// The `i`-th value, counted row after row.
    fn value(&self, i: usize) -> &str {
        let start = i.checked_sub(1).map_or(0, |p| self.ends[p] as usize);
        &self.values[start..self.ends[i] as usize]
    }

    /// The row whose `file` or `id` value is `key`.
    fn find(&self, key: &str) -> Option<u32> {
        let i = self
            .keys
            .binary_search_by(|&(v, _)| self.value(v as usize).cmp(key))
            .ok()?;
        Some(self.keys[i].1)
    }

    /// The row named `name`, else the row named its `stem` (the name
    /// without its extension), in one search as a rule: the stem, a
    /// prefix of the name, sorts just before it unless other values lie
    /// between them.
    fn find_name_or_stem(&self, name: &str, stem: &str) -> Option<u32> {
        let key = |i: usize| self.value(self.keys[i].0 as usize);
        let at = self.position(name);
        if at < self.keys.len() && key(at) == name {
            return Some(self.keys[at].1);
        }
        match at.checked_sub(1) {
            Some(before) if key(before) == stem => Some(self.keys[before].1),
            _ => self.find(stem),
        }
    }

    /// Where `name` is, or would be, among the keys (the first key not
    /// below it), looked for first just after where this thread found the
    /// last one: a folder's files are read in the order of their names,
    /// so the next file is most often named by the next key, or the one
    /// after (a file's `id`, then its `file`). A binary search over 10,000
    /// keys, with a cache miss at most of its steps, was 3% of a run over
    /// a People's Daily folder. A guess is taken only when the keys on
    /// both sides of it prove it right, so a wrong one (from another
    /// table, or another thread's files) costs a few comparisons more.
    fn position(&self, name: &str) -> usize {
        let below = |&(v, _): &(u32, u32)| self.value(v as usize) < name;
        let keys = &self.keys;
        let proven = |&at: &usize| {
            at <= keys.len()
                && below(&keys[at - 1])
                && keys.get(at).is_none_or(|k| !below(k))
        };
        let last = LAST_POSITION.get();
        let at = (last + 1..=last + 2)
            .find(proven)
            .unwrap_or_else(|| keys.partition_point(below));
        LAST_POSITION.set(at);
        at
    }

    /// The values of a row, in the order of `columns`.
    fn row(&self, row: u32) -> impl Iterator<Item = &str> {
        let n = self.columns.len();
        let first = row as usize * n;
        (first..first + n).map(|i| self.value(i))
    }
}

impl Metadata {
    /// No folder's metadata yet; its columns named as `fields` are.
    pub fn new(fields: &Fields) -> Metadata {
        Metadata {
            columns: KnownColumns {
                date: fields.date.clone(),
                title: fields.title.clone(),
                source: fields.source.clone(),
            },
            folders: FxHashSet::default(),
            recent: Mutex::default(),
            budget: TABLE_BUDGET,
        }
    }

    /// A text file's row, if its folder has a `metadata.csv` naming it
    /// (column `id` for the stem, or `file` for the name). The error, with
    /// the `metadata.csv` it is about, when that file can no longer be
    /// read.
    pub fn lookup(&self, path: &Path) -> Result<Option<MetadataRow>, Warning> {
        let Some(dir) = path.parent() else { return Ok(None) };
        if !self.folders.contains(dir.as_os_str()) {
            return Ok(None);
        }
        let (Some(name), Some(stem)) = (
            path.file_name().and_then(OsStr::to_str),
            path.file_stem().and_then(OsStr::to_str),
        ) else {
            return Ok(None);
        };
        let table = self.table(dir)?;
        let row = table.find_name_or_stem(name, stem);
        Ok(row.map(|row| MetadataRow { table, row }))
    }

    /// The table of `dir`, read again unless it is one of the last few
    /// read. A thread keeps the table it uses; as many are kept here as
    /// there are threads, and one more, so that workers going through
    /// their folders in turn read each table about once, and more within
    /// the budget. A table that can no longer be read is kept as its
    /// error, so that each file of its folder does not read it again.
    fn table(&self, dir: &Path) -> Result<Arc<Table>, Warning> {
        let key = dir.as_os_str();
        let lock =
            || self.recent.lock().unwrap_or_else(PoisonError::into_inner);
        {
            let mut recent = lock();
            if let Some(i) = recent.iter().position(|(k, _)| k == key) {
                let entry = recent.remove(i);
                let table = entry.1.clone();
                recent.push(entry);
                return table;
            }
        }
        // Its rows' problems were reported when it was checked.
        let table =
            read_metadata(dir, Purpose::Use, &self.columns, &mut Vec::new())
                .map(Arc::new);
        let mut recent = lock();
        recent.push((key.to_owned(), table.clone()));
        // The tables read longest ago go first.
        while recent.len() > tables_kept() && kept_bytes(&recent) > self.budget
        {
            drop(recent.remove(0));
        }
        table
    }

    /// Checks the `metadata.csv` of each of `dirs` that has one, the
    /// folders in parallel, and notes each folder whose table can be
    /// used. The first tables, as many as [`Metadata::table`] still has
    /// room for by their count or its budget (as far as the sizes of their
    /// files tell), are kept for the folders' files: read once, not again when
    /// they are (a folder of 10,000 articles read its table twice, 12% of
    /// a run's instructions), and the rows used are the rows checked.
    /// Warnings come folder after folder, in the order of `dirs`.
    /// `listed` has, for each of `dirs` the walk listed, all its entries;
    /// the others are listed here.
    fn check_folders(
        &mut self,
        dirs: &[&Path],
        listed: &[Option<Vec<&str>>],
        warnings: &mut Vec<Warning>,
    ) {
        // The folders with a `metadata.csv`, and its size.
        let (dirs, sizes): (Vec<Listing>, Vec<usize>) = dirs
            .iter()
            .enumerate()
            .filter_map(|(i, &d)| {
                let meta = std::fs::metadata(d.join(METADATA_FILE)).ok()?;
                let entries = listed.get(i).and_then(Option::as_deref);
                meta.is_file().then_some(((d, entries), meta.len() as usize))
            })
            .unzip();
        let recent = self.recent.get_mut().unwrap_or_else(|e| e.into_inner());
        let room = tables_kept().saturating_sub(recent.len());
        let mut bytes = kept_bytes(recent);
        // Whether each table may be kept, as far as the size of its file
        // tells: only those are read with their values.
        let keep: Vec<bool> = sizes
            .iter()
            .enumerate()
            .map(|(i, &size)| {
                let fits = bytes.saturating_add(size) <= self.budget;
                if fits {
                    bytes += size;
                }
                i < room || fits
            })
            .collect();
        let columns = &self.columns;
        let checked: Vec<_> = dirs
            .par_iter()
            .zip(&keep)
            .map(|(&(dir, entries), &keep)| {
                let purpose =
                    if keep { Purpose::CheckAndUse } else { Purpose::Check };
                let mut found = Vec::new();
                let table = read_metadata(dir, purpose, columns, &mut found)
                    .map(|mut table| {
                        let names = std::mem::take(&mut table.names);
                        check_names(dir, &names, entries, &mut found);
                        table
                    });
                (table, found)
            })
            .collect();
        let mut bytes = kept_bytes(recent);
        for (i, ((dir, _), (table, found))) in
            dirs.iter().zip(checked).enumerate()
        {
            warnings.extend(found);
            match table {
                Ok(table) => {
                    let key = dir.as_os_str().to_owned();
                    self.folders.insert(key.clone());
                    let fits = bytes + table.bytes() <= self.budget;
                    if keep[i] && (i < room || fits) {
                        bytes += table.bytes();
                        recent.push((key, Ok(Arc::new(table))));
                    }
                }
                Err(warning) => warnings.push(warning),
            }
        }
    }
}

/// A folder, and the names of all its entries when the walk has them.
type Listing<'a> = (&'a Path, Option<&'a [&'a str]>);

/// How many folders' tables [`Metadata`] keeps at least: one per thread,
/// and one more.
fn tables_kept() -> usize {
    rayon::current_num_threads() + 1
}

/// Bytes of tables [`Metadata`] keeps beyond [`tables_kept`] of them, so
/// that a corpus of a few folders reads each table once (a table takes
/// a little more than its file). With the count alone, `count -j1` over
/// four People's Daily folders read two of their tables twice: 4,959
/// million instructions, against 4,787 million within this budget, for
/// 12 MB more memory at the peak.
const TABLE_BUDGET: usize = 24 << 20;

/// The bytes the tables of `recent` take.
fn kept_bytes(recent: &[(OsString, Loaded)]) -> usize {
    recent.iter().map(|(_, t)| t.as_ref().map_or(0, |t| t.bytes())).sum()
}

/// Reports the rows of the `metadata.csv` of `dir` that name no file of
/// the folder (a typo, or the file is gone: its document would go undated
/// without a word) and the rows that [`Metadata::lookup`] never returns,
/// because a later row, or a row naming the file rather than its stem,
/// names the same file. Each kind in one line, at its first row, with how
/// many rows share the problem.
fn check_names(
    dir: &Path,
    names: &[(Box<str>, u64)],
    entries: Option<&[&str]>,
    warnings: &mut Vec<Warning>,
) {
    let (read, listed): (Vec<String>, Vec<&str>);
    let entries = match entries {
        Some(entries) => entries,
        None => {
            read = folder_entries(dir);
            listed = read.iter().map(String::as_str).collect();
            &listed
        }
    };
    // The lines of the rows naming each value, in order.
    let mut rows_naming: FxHashMap<&str, Vec<u64>> = FxHashMap::default();
    for (name, line) in names {
        rows_naming.entry(name).or_default().push(*line);
    }
    let lines =
        |value: &str| rows_naming.get(value).map_or(&[][..], Vec::as_slice);
    let last_line = names.iter().map(|&(_, line)| line).max().unwrap_or(0);
    let slots = last_line as usize + 1;
    let (mut named, mut used) = (vec![false; slots], vec![false; slots]);
    // Each row that names a file but is not its row: the file and the
    // file's row (of the files it names, the least, whatever the order
    // the folder lists them in).
    let mut unused: FxHashMap<u64, (&str, u64)> = FxHashMap::default();
    for &name in entries {
        // As `Metadata::lookup` takes it.
        let stem = Path::new(name).file_stem().and_then(OsStr::to_str);
        let stem = stem.unwrap_or(name);
        let (by_name, by_stem) = (lines(name), lines(stem));
        let Some(&row) = by_name.last().or(by_stem.last()) else { continue };
        used[row as usize] = true;
        for &line in by_name.iter().chain(by_stem) {
            named[line as usize] = true;
            if line != row {
                let slot = unused.entry(line).or_insert((name, row));
                if name < slot.0 {
                    *slot = (name, row);
                }
            }
        }
    }
    let mut unnamed: Vec<(u64, String)> = names
        .iter()
        .filter(|(_, line)| !named[*line as usize])
        .map(|(name, line)| {
            (*line, format!("`{name}` is no file of this folder"))
        })
        .collect();
    unnamed.dedup_by_key(|(line, _)| *line);
    let mut unused: Vec<(u64, String)> = unused
        .into_iter()
        .filter(|&(line, _)| !used[line as usize])
        .map(|(line, (file, row))| {
            (line, format!("not used: the row of `{file}` is line {row}"))
        })
        .collect();
    unused.sort_unstable();
    let path = dir.join(METADATA_FILE);
    for rows in [unnamed, unused] {
        let Some((line, message)) = rows.first() else { continue };
        let more = match rows.len() - 1 {
            0 => String::new(),
            1 => "; so does 1 other row".to_string(),
            n => format!("; so do {n} other rows"),
        };
        warnings.push(Warning {
            location: format!("{}:{line}", path.display()),
            message: format!("{message}{more}"),
            skipped: false,
        });
    }
}

/// The names in a folder the walk did not list (one holding files named
/// as inputs).
fn folder_entries(dir: &Path) -> Vec<String> {
    let entries = std::fs::read_dir(dir).into_iter().flatten().flatten();
    entries.map(|e| e.file_name().to_string_lossy().into_owned()).collect()
}

/// What a `metadata.csv` is read for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    /// The names of its files, for [`check_names`]; no value is stored
    /// and no index sorted (half the time of reading it, for a check made
    /// while the inputs are expanded).
    Check,
    /// Its rows, for the lookups of its files.
    Use,
    /// Both.
    CheckAndUse,
}

/// Reads the `metadata.csv` of `dir`. The problems of single rows go to
/// `warnings`.
fn read_metadata(
    dir: &Path,
    purpose: Purpose,
    known: &KnownColumns,
    warnings: &mut Vec<Warning>,
) -> Result<Table, Warning> {
    let path = dir.join(METADATA_FILE);
    let mut rows = Vec::new();
    // Unusable, it leaves its folder undated and untitled: an input
    // skipped, shown under `--quiet` and in the exit code.
    let table =
        read_table(&path, purpose, known, &mut rows).map_err(|e| Warning {
            location: path.display().to_string(),
            message: format!("{e}; metadata not used"),
            skipped: true,
        });
    warnings.extend(rows.into_iter().map(|(line, message)| Warning {
        location: format!("{}:{line}", path.display()),
        message,
        skipped: false,
    }));
    table
}

/// Reads a table for `purpose`: whatever it is, the same errors. A row of
/// the wrong length is left out, and it and a date or year that is none
/// go to `rows` as (line, problem).
fn read_table(
    path: &Path,
    purpose: Purpose,
    known: &KnownColumns,
    rows: &mut Vec<(u64, String)>,
) -> Result<Table, String> {
    let mut table = Table { path: path.to_path_buf(), ..Table::default() };
    let raw = std::fs::read(path).map_err(|e| e.to_string())?;
    // Decoded as any input is: a spreadsheet on Chinese Windows saves CSV
    // in GBK.
    let decoded = super::decode::decode(raw, None)
        .ok_or("binary file (NUL bytes): save it as CSV")?;
    let mut bytes = decoded.text.as_bytes();
    // Separated by commas, or by semicolons or tabs as Excel saves CSV
    // where the comma is the decimal sign.
    let delimiter = super::sniff_delimiter(bytes);
    // The rows before a quote never closed are used.
    let unclosed =
        super::unclosed_quote(bytes, delimiter).map(|(record, line)| {
            bytes = &bytes[..record];
            line as u64
        });
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(bytes);
    let headers = reader.headers().map_err(|e| e.to_string())?.clone();
    table.columns = known.fold(&headers)?;
    let named = ["id", "file", &known.date, &known.title, &known.source];
    table.others =
        table.columns.iter().map(|c| !named.contains(&c.as_str())).collect();
    let column = |name: &str| table.columns.iter().position(|c| c == name);
    let (date, year) = (column(&known.date), column("year"));
    let keys: Vec<usize> =
        ["file", "id"].into_iter().filter_map(column).collect();
    if keys.is_empty() {
        return Err("no column `id` or `file`".into());
    }
    let keep = purpose != Purpose::Check;
    let check = purpose != Purpose::Use;
    let too_big = || "over 4 GB of values".to_string();
    // The values take about the file's size: reserved at once, not
    // doubled up to twice that.
    if keep {
        table.values.reserve_exact(bytes.len());
    }
    let mut index = Vec::new();
    let (mut values, mut value_bytes) = (0usize, 0usize);
    // One record, read into again and again: no allocation per row. Read
    // as bytes and its text checked as UTF-8 at once with simdutf8 (csv's
    // own check, field by field with the standard library's, took a sixth
    // of the time of reading a People's Daily table). The table's text is
    // valid UTF-8, and so is a field of it without its quotes; taking that
    // on trust, without the check, gained nothing measurable.
    let mut record = csv::ByteRecord::new();
    let mut lines = RecordLines::new(bytes, 1);
    let mut row = 0usize;
    while reader.read_byte_record(&mut record).map_err(|e| e.to_string())? {
        let text = simdutf8::basic::from_utf8(record.as_slice())
            .map_err(|_| "a row not valid UTF-8".to_string())?;
        let field = |i: usize| record.range(i).and_then(|r| text.get(r));
        let mut line = || {
            let byte = record.position().map_or(0, |p| p.byte() as usize);
            lines.at(byte).0 as u64
        };
        if record.len() != headers.len() {
            rows.push((
                line(),
                format!(
                    "{} fields where the header has {}; row not used",
                    record.len(),
                    headers.len()
                ),
            ));
            continue;
        }
        if let Some(d) = date.and_then(field)
            && !d.trim().is_empty()
            && let Err(why) = super::dates::document_date(d)
        {
            rows.push((line(), format!("date {d:?} {why}; not used")));
        }
        if let Some(y) = year.and_then(field)
            && !y.trim().is_empty()
            && let Err(why) = super::dates::parse_year(y)
        {
            rows.push((line(), format!("year {y:?} {why}; not used")));
        }
        let this = u32::try_from(row).map_err(|_| too_big())?;
        row += 1;
        let first = u32::try_from(values).map_err(|_| too_big())?;
        values += record.len();
        value_bytes += text.len();
        u32::try_from(value_bytes).map_err(|_| too_big())?;
        if check {
            for &k in &keys {
                if let Some(v) = field(k).filter(|v| !v.is_empty()) {
                    table.names.push((v.into(), line()));
                }
            }
        }
        if !keep {
            continue;
        }
        for i in 0..record.len() {
            table.values.push_str(field(i).unwrap_or_default());
            table.ends.push(table.values.len() as u32);
        }
        // Fewer lines than bytes: the values' bound holds them.
        table.lines.push(line() as u32);
        for &k in &keys {
            if field(k).is_some_and(|v| !v.is_empty()) {
                index.push((first + k as u32, this));
            }
        }
    }
    if let Some(line) = unclosed {
        let message = format!(
            "{}; the rows from here on not used",
            super::UNCLOSED_QUOTE
        );
        rows.push((line, message));
    }
    // Equal values next to each other, the last row's first, which alone
    // is kept.
    index.sort_unstable_by(|a, b| {
        let value = |i: u32| table.value(i as usize);
        value(a.0).cmp(value(b.0)).then(b.1.cmp(&a.1))
    });
    index.dedup_by(|later, kept| {
        table.value(later.0 as usize) == table.value(kept.0 as usize)
    });
    index.shrink_to_fit();
    table.keys = index;
    table.ends.shrink_to_fit();
    table.lines.shrink_to_fit();
    Ok(table)
}

/// One input file, or stdin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// The name shown in output: the path as reached from the command line.
    pub display: Box<str>,
    /// Where the bytes come from.
    origin: Origin,
    /// Position in the sorted list of inputs.
    pub rank: u32,
}

/// Where an input's bytes come from. A corpus can have a million files,
/// so a path that is valid UTF-8 is held once, as the display name.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Origin {
    /// Stdin, or bytes the caller holds.
    Stream,
    /// The file whose path is the display name.
    Displayed,
    /// A file whose path is not valid UTF-8, or not the name shown.
    Path(Box<Path>),
    /// A FIFO or device named as an input (the `/dev/fd/63` of a shell's
    /// `<(zcat x.jsonl.gz)`), or any file named under `/dev`
    /// (`/dev/stdin`), its name giving no format: read as stdin is, its
    /// format sniffed (see [`InputFile::sniffed`]).
    Pipe(Box<Path>),
}

impl InputFile {
    /// A file, shown by its path.
    pub fn file(path: PathBuf) -> InputFile {
        match path.into_os_string().into_string() {
            Ok(display) => InputFile {
                display: display.into_boxed_str(),
                origin: Origin::Displayed,
                rank: 0,
            },
            Err(path) => InputFile::named_file(PathBuf::from(path), None),
        }
    }

    /// A file shown under another name (by default its path, with the
    /// bytes that are not UTF-8 written `\xNN`: two names in a legacy
    /// encoding stay two names, and say what they are).
    pub fn named_file(path: PathBuf, display: Option<String>) -> InputFile {
        let display = display.unwrap_or_else(|| escaped(&path));
        InputFile {
            display: display.into_boxed_str(),
            origin: Origin::Path(path.into_boxed_path()),
            rank: 0,
        }
    }

    /// A FIFO or device at `path`, read as stdin is (see `Origin::Pipe`).
    pub fn pipe(path: PathBuf) -> InputFile {
        InputFile {
            display: escaped(&path).into_boxed_str(),
            origin: Origin::Pipe(path.into_boxed_path()),
            rank: 0,
        }
    }

    /// Whether the format of the input is sniffed from its first bytes
    /// (JSON Lines or text) rather than read from its name: stdin, bytes
    /// in memory, and a FIFO or device whose name gives no format.
    pub fn sniffed(&self) -> bool {
        matches!(self.origin, Origin::Stream | Origin::Pipe(_))
    }

    /// Stdin ([`STDIN_NAME`]) or bytes in memory, shown as `name`.
    pub fn stream(name: &str) -> InputFile {
        InputFile { display: name.into(), origin: Origin::Stream, rank: 0 }
    }

    /// The file's path; `None` for a stream.
    pub fn path(&self) -> Option<&Path> {
        match &self.origin {
            Origin::Stream => None,
            Origin::Displayed => Some(Path::new(&*self.display)),
            Origin::Path(path) | Origin::Pipe(path) => Some(path),
        }
    }

    /// Its bytes for sorting: the path's, or the name's for a stream.
    fn sort_key(&self) -> &[u8] {
        match self.path() {
            Some(path) => path.as_os_str().as_encoded_bytes(),
            None => self.display.as_bytes(),
        }
    }
}

/// The input files of a run, sorted by path, held compactly: a corpus can
/// have a million files. A file found in a folder costs its name and 12
/// bytes, its folder's path being held once; [`InputFiles::get`] makes
/// its [`InputFile`] when it is read.
#[derive(Debug, Default)]
pub struct InputFiles {
    /// Folder paths, each with its trailing separator, each once.
    folders: Vec<Box<str>>,
    /// File names, one after the other.
    names: String,
    entries: Vec<Entry>,
    /// Inputs held whole: stdin, and paths that are not UTF-8.
    whole: Vec<InputFile>,
    /// While the inputs are expanded: each entry's inode, 0 when unknown
    /// (stdin), to find a file reached twice (see
    /// [`InputFiles::drop_repeats`]).
    inodes: Vec<u64>,
}

/// One input: its folder and the range of its name in `names`, or
/// [`WHOLE`] and its index in `whole` as `start`.
#[derive(Debug, Clone, Copy)]
struct Entry {
    folder: u32,
    start: u32,
    end: u32,
}

/// The folder of an input held whole.
const WHOLE: u32 = u32::MAX;

impl InputFiles {
    /// How many inputs there are.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The `i`-th input, with its rank.
    pub fn get(&self, i: usize) -> InputFile {
        let e = self.entries[i];
        let mut file = if e.folder == WHOLE {
            self.whole[e.start as usize].clone()
        } else {
            InputFile {
                display: self.path(e).into_boxed_str(),
                origin: Origin::Displayed,
                rank: 0,
            }
        };
        file.rank = i as u32;
        file
    }

    /// Whether the `i`-th input is read as one document, known without
    /// making its [`InputFile`] (a path for each of 250,000 files, to hand
    /// them out in runs).
    pub fn is_one_document(
        &self,
        i: usize,
        opts: &super::ReadOptions,
    ) -> bool {
        let e = self.entries[i];
        if e.folder == WHOLE {
            super::is_one_document(&self.whole[e.start as usize], opts)
        } else {
            super::file_is_one_document(self.name(e), opts)
        }
    }

    /// The inputs in order.
    pub fn iter(&self) -> impl Iterator<Item = InputFile> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    fn folder(&self, e: Entry) -> &str {
        &self.folders[e.folder as usize]
    }

    fn name(&self, e: Entry) -> &str {
        &self.names[e.start as usize..e.end as usize]
    }

    /// The path of an entry held by folder.
    fn path(&self, e: Entry) -> String {
        [self.folder(e), self.name(e)].concat()
    }

    /// Appends `file`, of inode `inode` (0 when unknown); `folder_ids`
    /// finds the folders already held.
    fn push(
        &mut self,
        file: InputFile,
        inode: u64,
        folder_ids: &mut FxHashMap<Box<str>, u32>,
    ) {
        self.inodes.push(inode);
        let (folder, name) = split_folder(&file.display);
        let end = self.names.len() + name.len();
        let fits =
            u32::try_from(end).is_ok() && self.folders.len() < WHOLE as usize;
        if file.origin != Origin::Displayed || !fits {
            let start = self.whole.len() as u32;
            self.entries.push(Entry { folder: WHOLE, start, end: 0 });
            self.whole.push(file);
            return;
        }
        let folder = match folder_ids.get(folder) {
            Some(&id) => id,
            None => {
                let id = self.folders.len() as u32;
                self.folders.push(folder.into());
                folder_ids.insert(folder.into(), id);
                id
            }
        };
        let start = self.names.len() as u32;
        self.names.push_str(name);
        self.entries.push(Entry { folder, start, end: end as u32 });
    }

    /// Sorts the inputs by path, byte by byte (a stream by its name), on
    /// the run's threads: no document is read before it is done.
    fn sort(&mut self) {
        let mut entries = std::mem::take(&mut self.entries);
        entries.par_sort_by(|&a, &b| self.compare(a, b));
        self.entries = entries;
    }

    /// Drops each file reached again by another path (two links to one
    /// file, a hard link, a file given and reached through a linked
    /// folder): a file is read once, under the least of its paths in the
    /// order of [`InputFiles::sort`], so that which one does not depend
    /// on the order of the command line. Each path dropped is a warning
    /// naming the one kept.
    ///
    /// Only the inode, which the walk has without asking the file system
    /// again, is compared first; the few files that share one are looked
    /// up for their device too, since two file systems can number files
    /// alike.
    fn drop_repeats(&mut self, warnings: &mut Vec<Warning>) {
        let inodes = std::mem::take(&mut self.inodes);
        let mut sorted = inodes.clone();
        sorted.sort_unstable();
        let shared: HashSet<u64> = sorted
            .windows(2)
            .filter(|w| w[0] == w[1] && w[0] != 0)
            .map(|w| w[0])
            .collect();
        drop(sorted);
        if shared.is_empty() {
            return;
        }
        let mut same: HashMap<(u64, u64), Vec<u32>> = HashMap::new();
        for (i, _) in
            inodes.iter().enumerate().filter(|(_, n)| shared.contains(n))
        {
            let i = i as u32;
            let file = self.get(i as usize);
            let meta = match file.path() {
                Some(p) => std::fs::metadata(p).ok(),
                None => stdin_file(),
            };
            if let Some(id) = meta.as_ref().and_then(identity) {
                same.entry(id).or_default().push(i);
            }
        }
        let entry = |i: u32| self.entries[i as usize];
        // (dropped, kept)
        let mut dropped: Vec<(u32, u32)> = Vec::new();
        for paths in same.values().filter(|p| p.len() > 1) {
            // Standard input gives way to the file's name.
            let stream = |i: u32| self.get(i as usize).path().is_none();
            let kept = paths
                .iter()
                .copied()
                .min_by(|&a, &b| {
                    let order = self.compare(entry(a), entry(b));
                    stream(a).cmp(&stream(b)).then(order)
                })
                .expect("two paths or more");
            dropped.extend(
                paths.iter().filter(|&&i| i != kept).map(|&i| (i, kept)),
            );
        }
        if dropped.is_empty() {
            return;
        }
        dropped.sort_by(|a, b| self.compare(entry(a.0), entry(b.0)));
        for &(i, kept) in &dropped {
            warnings.push(Warning {
                location: self.get(i as usize).display.into_string(),
                message: format!(
                    "the same file as {}; read once",
                    self.get(kept as usize).display
                ),
                skipped: false,
            });
        }
        let mut gone: Vec<u32> = dropped.into_iter().map(|d| d.0).collect();
        gone.sort_unstable();
        let mut i = 0u32;
        self.entries.retain(|_| {
            i += 1;
            gone.binary_search(&(i - 1)).is_err()
        });
    }

    fn compare(&self, a: Entry, b: Entry) -> Ordering {
        if a.folder == WHOLE || b.folder == WHOLE {
            return self.key(a).cmp(&self.key(b));
        }
        let (na, nb) = (self.name(a).as_bytes(), self.name(b).as_bytes());
        if a.folder == b.folder {
            return na.cmp(nb);
        }
        let (fa, fb) = (self.folder(a).as_bytes(), self.folder(b).as_bytes());
        // The folders' common length first; then, when one folder holds
        // the other, what follows in each path.
        let n = fa.len().min(fb.len());
        fa[..n].cmp(&fb[..n]).then_with(|| {
            fa[n..].iter().chain(na).cmp(fb[n..].iter().chain(nb))
        })
    }

    /// The bytes an entry sorts by.
    fn key(&self, e: Entry) -> Vec<u8> {
        if e.folder == WHOLE {
            self.whole[e.start as usize].sort_key().to_vec()
        } else {
            self.path(e).into_bytes()
        }
    }
}

impl FromIterator<InputFile> for InputFiles {
    /// The inputs in the order given.
    fn from_iter<I: IntoIterator<Item = InputFile>>(files: I) -> InputFiles {
        let mut all = InputFiles::default();
        let mut folder_ids = FxHashMap::default();
        for file in files {
            all.push(file, 0, &mut folder_ids);
        }
        all.inodes = Vec::new();
        all
    }
}

/// Expands files, folders (recursively, hidden entries and `metadata.csv`
/// left out) and `-` into input files, and checks the `metadata.csv` beside
/// them (its date, title and source columns named as `fields` are). Paths that cannot be read become warnings, and so do files left
/// out of a folder for their extension (counted per folder given).
///
/// `written`, the file or folder the run writes (`-o FILE`, `report --out
/// DIR`), is left out of the folders walked: a previous result is no
/// article (see [`written_inside`] for the warning that says so).
///
/// The files are sorted by path, byte by byte (`-`, stdin, as that
/// string), whatever the order of the command line: so the order of
/// documents, and every output, depends only on the set of inputs.
pub fn expand_inputs(
    inputs: &[String],
    written: Option<&Path>,
    fields: &Fields,
) -> (InputFiles, Metadata, Vec<Warning>) {
    let mut files = InputFiles::default();
    let mut folder_ids = FxHashMap::default();
    let mut listed = Listed::default();
    let mut warnings = Vec::new();
    let repeated = repeated_arguments(inputs);
    for (input, repeated) in inputs.iter().zip(repeated) {
        if let Some(message) = repeated {
            let location = input.clone();
            warnings.push(Warning { location, message, skipped: false });
            continue;
        }
        if input == "-" {
            let inode = stdin_file().as_ref().map_or(0, inode);
            files.push(InputFile::stream(STDIN_NAME), inode, &mut folder_ids);
            continue;
        }
        let path = Path::new(input);
        match std::fs::metadata(path) {
            Err(e) => warnings.push(Warning {
                location: input.clone(),
                message: unreadable(path, &e),
                skipped: true,
            }),
            Ok(meta) if meta.is_dir() => {
                let skip = written.and_then(|w| written_below(path, w));
                let walk = Walk {
                    files: &mut files,
                    folder_ids: &mut folder_ids,
                    listed: &mut listed,
                };
                walk.dir(path, skip.as_deref(), &mut warnings)
            }
            Ok(meta) => {
                // A FIFO or device, or a file named as one (`/dev/stdin <
                // news.jsonl` is a regular file), is read as stdin is,
                // unless its name says what it holds.
                let device = !meta.is_file() || path.starts_with("/dev");
                let file = if device && !names_a_format(path) {
                    InputFile::pipe(path.to_path_buf())
                } else {
                    InputFile::file(path.to_path_buf())
                };
                files.push(file, inode(&meta), &mut folder_ids)
            }
        }
    }
    drop(folder_ids);
    files.drop_repeats(&mut warnings);
    files.sort();
    let mut metadata = Metadata::new(fields);
    // A folder's files share one `metadata.csv`: the folders in the order
    // of their first files.
    let mut folder_seen = vec![false; files.folders.len()];
    let mut checked = HashSet::new();
    let mut dirs = Vec::new();
    let mut entries = listed.entries(&files);
    let mut listings = Vec::new();
    for i in 0..files.len() {
        let folder = files.entries[i].folder as usize;
        if let Some(seen) = folder_seen.get_mut(folder) {
            if *seen {
                continue;
            }
            *seen = true;
        }
        if let Some(dir) = files.get(i).path().and_then(Path::parent)
            && checked.insert(dir.as_os_str().to_owned())
        {
            dirs.push(dir.to_path_buf());
            listings.push(entries.get_mut(folder).and_then(Option::take));
        }
    }
    let dirs: Vec<&Path> = dirs.iter().map(PathBuf::as_path).collect();
    metadata.check_folders(&dirs, &listings, &mut warnings);
    (files, metadata, warnings)
}

/// For each argument, why it is not read, if another one reads what it
/// names: the same file or folder given again (stdin twice, `a.txt
/// ./a.txt`), or a folder whose walk reaches the file (`corpus
/// corpus/a.txt`). Canonical paths are compared; only folders are
/// looked into, so that a shell glob of 10,000 files costs a hash each.
/// Of arguments naming the same thing, the one kept is the least in
/// byte order (the first given, among equal ones), and the folder that
/// reads a file is the outermost given: which one does not depend on the
/// order of the command line, and neither do the names of the documents.
fn repeated_arguments(inputs: &[String]) -> Vec<Option<String>> {
    let roots: Vec<Option<PathBuf>> = inputs
        .iter()
        .map(|i| (i != "-").then(|| std::fs::canonicalize(i).ok()).flatten())
        .collect();
    let readable = |i: usize| roots[i].is_some() || inputs[i] == "-";
    // The argument kept for each path (`None` for stdin).
    let mut kept: HashMap<Option<&Path>, usize> = HashMap::new();
    for i in (0..inputs.len()).filter(|&i| readable(i)) {
        let k = kept.entry(roots[i].as_deref()).or_insert(i);
        if inputs[i] < inputs[*k] {
            *k = i;
        }
    }
    let is_kept = |i: usize| kept.get(&roots[i].as_deref()) == Some(&i);
    let folders: Vec<usize> = (0..inputs.len())
        .filter(|&j| is_kept(j))
        .filter(|&j| roots[j].as_deref().is_some_and(Path::is_dir))
        .collect();
    // The folder given whose walk reads argument `i`, the outermost: the
    // one no other folder given reaches.
    let reached_by = |i: usize, path: &Path| {
        folders
            .iter()
            .copied()
            .filter(|&j| j != i)
            .filter(|&j| {
                roots[j].as_deref().is_some_and(|r| walk_reaches(r, path))
            })
            .min_by_key(|&j| roots[j].as_ref().map(|r| r.as_os_str().len()))
    };
    (0..inputs.len())
        .map(|i| {
            if !readable(i) {
                return None; // Unreadable: reported when expanded.
            }
            let k = kept[&roots[i].as_deref()];
            if k != i {
                return Some(if inputs[k] == inputs[i] {
                    "given more than once; read once".into()
                } else {
                    let dir = roots[i].as_deref().is_some_and(Path::is_dir);
                    let what = if dir { "folder" } else { "file" };
                    format!("the same {what} as {}; read once", inputs[k])
                });
            }
            let folder = reached_by(i, roots[i].as_deref()?)?;
            Some(format!("read once, as part of {}", inputs[folder]))
        })
        .collect()
}

/// How a run reads a file of its input folders (see [`read_by_folder`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadAs {
    /// As a document: an article, or an earlier output kept there.
    Document,
    /// As the `metadata.csv` of the files beside it.
    Metadata,
}

/// The input among `inputs` that makes the run read the existing file
/// `file`, and how: as a document when a folder's walk reads it (an
/// extension read, not hidden, not `metadata.csv`), as metadata when it
/// is the `metadata.csv` of a folder walked or of a file given. `-o`
/// naming it would replace one of the run's inputs: an article, an
/// earlier output kept in the corpus, or the user's metadata.
pub fn read_by_folder<'a>(
    file: &Path,
    inputs: &'a [String],
) -> Option<(&'a str, ReadAs)> {
    let path = std::fs::canonicalize(file).ok().filter(|p| p.is_file())?;
    let read_as = if path.file_name() == Some(OsStr::new(METADATA_FILE)) {
        ReadAs::Metadata
    } else {
        ReadAs::Document
    };
    let input = inputs.iter().filter(|i| *i != "-").find(|i| {
        let Ok(root) = std::fs::canonicalize(i) else { return false };
        match read_as {
            ReadAs::Document => root.is_dir() && walk_reaches(&root, &path),
            ReadAs::Metadata if root.is_dir() => {
                path.parent().is_some_and(|dir| walk_reaches(&root, dir))
            }
            // A file given alone reads the metadata of its folder too.
            ReadAs::Metadata => {
                std::fs::canonicalize(parent(Path::new(i))).ok().as_deref()
                    == path.parent()
            }
        }
    })?;
    Some((input, read_as))
}

/// Whether the walk of the folder `root` reads all that `path` names: a
/// folder or a text file below it, under no hidden folder and not hidden
/// itself.
fn walk_reaches(root: &Path, path: &Path) -> bool {
    let Ok(below) = path.strip_prefix(root) else { return false };
    !below.iter().any(is_hidden)
        && (path.is_dir()
            || has_text_extension(path)
                && path.file_name() != Some(OsStr::new(METADATA_FILE))
                && path.is_file())
}

/// A path as text, each byte that is not part of UTF-8 written `\xNN`.
fn escaped(path: &Path) -> String {
    let mut out = String::new();
    for chunk in path.as_os_str().as_encoded_bytes().utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02X}");
        }
    }
    out
}

/// Where `written` (a file or folder the run writes, which may not exist
/// yet) lies inside the folder `root`, as a path that the walk of `root`
/// reaches it by (`root` joined with the rest); `None` when it is not
/// inside `root`.
fn written_below(root: &Path, written: &Path) -> Option<PathBuf> {
    let written = canonical_target(written)?;
    let below =
        written.strip_prefix(std::fs::canonicalize(root).ok()?).ok()?;
    (!below.as_os_str().is_empty()).then(|| root.join(below))
}

/// The canonical path of a file or folder that may not exist yet (its
/// parent does).
pub fn canonical_target(path: &Path) -> Option<PathBuf> {
    if let Ok(path) = std::fs::canonicalize(path) {
        return Some(path);
    }
    let parent = parent(path);
    Some(std::fs::canonicalize(parent).ok()?.join(path.file_name()?))
}

/// The folder that holds `path`: `.` for a bare name.
fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// When an input folder's walk would read what the run writes to
/// `written` (a `folder` such as a report's, or a file with an extension
/// read), the warning to show: the walk leaves it out (see
/// [`expand_inputs`]), but a later run over that folder that writes
/// elsewhere will read it.
pub fn written_inside(
    written: &Path,
    folder: bool,
    inputs: &[String],
) -> Option<String> {
    if !folder && !has_text_extension(written) {
        return None;
    }
    let folder = inputs.iter().find(|i| {
        *i != "-"
            && Path::new(i).is_dir()
            && written_below(Path::new(i), written).is_some_and(|below| {
                let rest = below.strip_prefix(i).unwrap_or(&below);
                !rest.iter().any(is_hidden)
            })
    })?;
    Some(format!(
        "{} is inside the input {folder}: left out of this run, but a later run over {folder} that writes elsewhere will read it",
        written.display()
    ))
}

/// A path cut after its last separator: its folder as [`InputFiles`] and
/// [`Listed`] hold it (with the separator; empty for a bare name), and its
/// name.
fn split_folder(path: &str) -> (&str, &str) {
    path.split_at(path.rfind(std::path::is_separator).map_or(0, |i| i + 1))
}

/// A walk of folders adding files to the inputs.
struct Walk<'a> {
    files: &'a mut InputFiles,
    folder_ids: &'a mut FxHashMap<Box<str>, u32>,
    listed: &'a mut Listed,
}

/// What a walk saw of each folder it listed, besides the input files that
/// [`InputFiles`] holds: the names of its other entries (folders, hidden
/// files, files of other extensions, its `metadata.csv`). A folder's
/// table is checked against these ([`check_names`]) without listing the
/// folder again, which took as long as reading the table.
#[derive(Debug, Default)]
struct Listed {
    /// By folder, its path with a trailing separator as [`InputFiles`]
    /// holds it.
    others: FxHashMap<Box<str>, Vec<Box<str>>>,
}

impl Listed {
    /// A folder listed, with no other entry yet.
    fn folder(&mut self, path: &Path) {
        let Some(path) = path.to_str() else { return };
        let mut folder = path.to_string();
        if !path.ends_with(std::path::is_separator) {
            folder.push(std::path::MAIN_SEPARATOR);
        }
        self.others.entry(folder.into()).or_default();
    }

    /// For each folder of `files` that the walk listed and that has a
    /// `metadata.csv`, the names of all its entries.
    fn entries<'a>(
        &'a self,
        files: &'a InputFiles,
    ) -> Vec<Option<Vec<&'a str>>> {
        let mut entries: Vec<Option<Vec<&str>>> = files
            .folders
            .iter()
            .map(|folder| {
                let others = self.others.get(folder)?;
                let table = others.iter().any(|n| **n == *METADATA_FILE);
                table.then(|| others.iter().map(|n| &**n).collect())
            })
            .collect();
        for &e in files.entries.iter().filter(|e| e.folder != WHOLE) {
            if let Some(names) = &mut entries[e.folder as usize] {
                names.push(files.name(e));
            }
        }
        entries
    }

    /// An entry of a folder listed that is not an input file.
    fn other(&mut self, path: &Path) {
        let path = path.to_string_lossy();
        let (folder, name) = split_folder(&path);
        if let Some(names) = self.others.get_mut(folder) {
            names.push(name.into());
        }
    }
}

impl Walk<'_> {
    /// Adds the text files of `root` (recursively), but not `skip` (the
    /// run's output, file or folder) nor a report that `tifa report`
    /// wrote below `root` (its `index.md` and CSVs are no articles, and
    /// would be read by every run over a corpus that keeps its report);
    /// warns about the entries left out. A FIFO, socket or device found
    /// is not read (a FIFO would wait for a writer) and is named in a
    /// warning: given as an input, it is read.
    fn dir(
        self,
        root: &Path,
        skip: Option<&Path>,
        warnings: &mut Vec<Warning>,
    ) {
        // Not sorted by walkdir, whose comparisons parse both paths each
        // time (a third of the time of expanding a folder of 10,000
        // files): the files are sorted once they are all found, and the
        // walk's warnings here.
        let first_warning = warnings.len();
        let mut hidden = 0u64;
        // Files left out for their extension, by extension (lower case;
        // empty for none).
        let mut other: BTreeMap<String, u64> = BTreeMap::new();
        let skip_depth = skip.map_or(0, |s| {
            s.strip_prefix(root).map_or(0, |rest| rest.iter().count())
        });
        let mut reports = Vec::new();
        // Entries not walked, each a name its folder lists.
        let mut left_out = Vec::new();
        let walker = walkdir::WalkDir::new(root)
            .follow_links(true)
            .into_iter()
            .filter_entry(|e| {
                let hide = e.depth() > 0 && is_hidden(e.file_name());
                hidden += u64::from(hide);
                let written = skip
                    .is_some_and(|s| e.depth() == skip_depth && e.path() == s);
                // One look for a `summary.json` per folder.
                let report = !hide
                    && !written
                    && e.depth() > 0
                    && e.file_type().is_dir()
                    && crate::output::report::is_report(e.path());
                if report {
                    reports.push(e.path().display().to_string());
                }
                let read = !hide && !written && !report;
                if !read {
                    left_out.push(e.path().to_path_buf());
                }
                read
            });
        let listed = self.listed;
        for entry in walker {
            match entry {
                Err(e) => {
                    if let Some(path) = e.path().filter(|_| e.depth() > 0) {
                        listed.other(path);
                    }
                    warnings.push(Warning {
                        location: e.path().map_or_else(
                            || root.display().to_string(),
                            |p| p.display().to_string(),
                        ),
                        message: walk_error_message(root, &e),
                        skipped: true,
                    })
                }
                Ok(e) if e.file_type().is_dir() => {
                    listed.folder(e.path());
                    if e.depth() > 0 {
                        listed.other(e.path());
                    }
                }
                Ok(e) if !e.file_type().is_file() => {
                    listed.other(e.path());
                    warnings.push(Warning {
                        location: e.path().display().to_string(),
                        message: format!(
                            "{}, not a regular file; not read (named as an input, it is)",
                            special_kind(&e.file_type())
                        ),
                        skipped: false,
                    })
                }
                Ok(e) if has_text_extension(e.path()) => {
                    if e.file_name() == METADATA_FILE {
                        listed.other(e.path());
                    } else {
                        let inode = entry_inode(&e);
                        let file = InputFile::file(e.into_path());
                        self.files.push(file, inode, self.folder_ids);
                    }
                }
                Ok(e) => {
                    listed.other(e.path());
                    let ext =
                        e.path().extension().map_or(String::new(), |x| {
                            x.to_string_lossy().to_lowercase()
                        });
                    *other.entry(ext).or_default() += 1;
                }
            }
        }
        for path in left_out {
            listed.other(&path);
        }
        warnings.extend(reports.into_iter().map(|location| Warning {
            location,
            message: "a report written by tifa report; not read (its index.md and CSVs are no articles)".into(),
            skipped: false,
        }));
        warnings[first_warning..].sort_by(|a, b| a.location.cmp(&b.location));
        let location = root.display().to_string();
        if hidden > 0 {
            warnings.push(Warning {
                location: location.clone(),
                message: format!(
                    "{} not read (names starting with .)",
                    crate::output::quantity(
                        hidden,
                        "hidden file or folder",
                        "hidden files or folders"
                    )
                ),
                skipped: false,
            });
        }
        if !other.is_empty() {
            warnings.push(Warning {
                location,
                message: other_extensions_message(&other),
                skipped: false,
            });
        }
    }
}

/// How many files of a folder were left out for their extension, and
/// which extensions (the commonest first, at most [`EXTENSIONS_NAMED`]).
fn other_extensions_message(other: &BTreeMap<String, u64>) -> String {
    let n = other.values().sum();
    let mut by_count: Vec<(&String, &u64)> = other.iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let mut named: Vec<String> = by_count
        .iter()
        .take(EXTENSIONS_NAMED)
        .map(|(ext, _)| match ext.as_str() {
            "" => "no extension".to_string(),
            ext => format!(".{ext}"),
        })
        .collect();
    if by_count.len() > EXTENSIONS_NAMED {
        named.push("…".into());
    }
    let json = if other.contains_key("json") {
        "; a .json array of records is read when named as an input"
    } else {
        ""
    };
    format!(
        "{} not read ({}): folders are read for {}{json}",
        crate::output::quantity(
            n,
            "file with another extension",
            "files with other extensions"
        ),
        named.join(", "),
        read_extensions(),
    )
}

/// Extensions named in the warning about files left out.
const EXTENSIONS_NAMED: usize = 6;

/// What folders are read for, in words (`.txt, .md, … and .csv`), from
/// the list the walk itself uses.
pub fn read_extensions() -> String {
    let dotted: Vec<String> =
        TEXT_EXTENSIONS.iter().map(|x| format!(".{x}")).collect();
    let (last, rest) = dotted.split_last().expect("extensions listed");
    format!("{} and {last}", rest.join(", "))
}

/// Why a path given or found cannot be read, on one line.
fn unreadable(path: &Path, e: &std::io::Error) -> String {
    let dangling = e.kind() == std::io::ErrorKind::NotFound
        && std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink());
    if dangling {
        "broken symbolic link (its target does not exist); skipped".into()
    } else {
        format!("{e}; skipped")
    }
}

fn walk_error_message(root: &Path, e: &walkdir::Error) -> String {
    if let Some(ancestor) = e.loop_ancestor() {
        // Shown from the folder given, not as an absolute path.
        let shown = std::fs::canonicalize(root)
            .ok()
            .and_then(|r| ancestor.strip_prefix(r).ok().map(|p| root.join(p)))
            .unwrap_or_else(|| ancestor.to_path_buf());
        return format!(
            "symbolic link loop back to {}; skipped",
            shown.display()
        );
    }
    match (e.io_error(), e.path()) {
        (Some(io), Some(path)) => unreadable(path, io),
        (Some(io), None) => format!("{io}; skipped"),
        _ => format!("{e}; skipped"),
    }
}

/// What a file that is neither a regular file nor a folder is, in words.
fn special_kind(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
    }
    let _ = kind;
    "a special file"
}

/// The inode of a file found by the walk, as the walk read it from its
/// folder (of the file linked to, for a link followed); 0 where the
/// platform has none.
fn entry_inode(entry: &walkdir::DirEntry) -> u64 {
    #[cfg(unix)]
    {
        walkdir::DirEntryExt::ino(entry)
    }
    #[cfg(not(unix))]
    {
        let _ = entry;
        0
    }
}

/// What standard input reads, when it is a regular file (`< news.txt`):
/// that file may be named too, and is then read once, as a file named
/// twice is.
fn stdin_file() -> Option<std::fs::Metadata> {
    #[cfg(unix)]
    {
        std::fs::metadata("/dev/stdin").ok().filter(std::fs::Metadata::is_file)
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// The inode of a file; 0 where the platform has none.
fn inode(meta: &std::fs::Metadata) -> u64 {
    identity(meta).map_or(0, |(_, inode)| inode)
}

/// A file's identity: its device and inode.
fn identity(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// Whether a file's name says how to read it: an extension folders are
/// read for, or `.json`.
fn names_a_format(path: &Path) -> bool {
    has_text_extension(path)
        || path.extension().is_some_and(|x| x.eq_ignore_ascii_case("json"))
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|s| s.starts_with('.'))
}

fn has_text_extension(path: &Path) -> bool {
    path.extension().and_then(|x| x.to_str()).is_some_and(|x| {
        TEXT_EXTENSIONS.iter().any(|t| x.eq_ignore_ascii_case(t))
    })
}

/// A date in a file name: `2024-03-05`, `20240305`, `2024-03`, `199801`
/// or `2024` (`_` or `.` may stand for `-`, and a month or day may have
/// one digit: `2024-3-5`), or `2024年3月5日` and `2024年3月`, as
/// ISO text, in a year of `DATE_YEARS`; the first plausible one in the
/// file's name wins. With it, a warning when the name holds a month or
/// day that the calendar lacks (`2024-02-30`, `1999-13-01`): the file is
/// then dated by what is valid, more coarsely, and the user should know
/// why it is missing from a monthly or daily trend; or, when the name has
/// no date, one that has the shape of a date in a year out of that range
/// (`1776-07-04`; a bare `1776` is taken for a number, without a word).
pub fn date_from_name(display: &str) -> (Option<String>, Option<String>) {
    let Some(name) = Path::new(display).file_name().and_then(|n| n.to_str())
    else {
        return (None, None);
    };
    date_in(name, "the file name's")
}

/// The first date in `text` by the rules of [`date_from_name`]; `whose`
/// starts the warning (`the file name's`).
pub fn date_in(text: &str, whose: &str) -> (Option<String>, Option<String>) {
    let bytes = text.as_bytes();
    let digits_at = |i: usize, n: usize| {
        i + n <= bytes.len() && bytes[i..i + n].iter().all(u8::is_ascii_digit)
    };
    let num = |i: usize, n: usize| text[i..i + n].parse::<u32>().unwrap_or(0);
    // How many digits there are from `i` on.
    let run_at = |i: usize| {
        bytes[i.min(bytes.len())..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    // The run of one or two digits at `i`, then `unit`: (value, end).
    let chinese = |i: usize, unit: &str| {
        let n = run_at(i);
        ((1..=2).contains(&n) && text[i + n..].starts_with(unit))
            .then(|| (num(i, n), i + n + unit.len()))
    };
    let coarser = |what: &str, date: String| {
        let warning =
            format!("{whose} {what} is not in the calendar; dated {date}");
        (Some(date), Some(warning))
    };
    // A date-shaped year out of range, said only if no date follows.
    let mut out_of_range = None;
    let mut i = 0;
    while i < bytes.len() {
        // Only at the start of a run of digits.
        if !digits_at(i, 4) || (i > 0 && bytes[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let year = num(i, 4);
        let run = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        let valid_year = DATE_YEARS.contains(&year);
        if run == 4 && !valid_year && out_of_range.is_none() {
            let m_len = run_at(i + 5);
            let month_follows = text[i + 4..].starts_with('年')
                || matches!(bytes.get(i + 4), Some(b'-' | b'_' | b'.'))
                    && (1..=2).contains(&m_len)
                    && (1..=12).contains(&num(i + 5, m_len));
            if month_follows {
                out_of_range = Some(format!(
                    "{whose} year {year} is not in {}; not taken as a date",
                    super::dates::years()
                ));
            }
        }
        if run == 8 {
            let (m, d) = (num(i + 4, 2), num(i + 6, 2));
            if valid_year && is_valid_day(year, m, d) {
                return (Some(iso(year, &[m, d])), None);
            }
            // A day the month lacks (`20240230`) is a date mistyped, as
            // `2024-02-30` is; other eight digits are a number.
            if valid_year && (1..=12).contains(&m) && (1..=31).contains(&d) {
                let month = iso(year, &[m]);
                return coarser(&format!("day {month}-{d:02}"), month);
            }
        } else if run == 4 && valid_year && text[i + 4..].starts_with('年') {
            let Some((m, end)) = chinese(i + 4 + '年'.len_utf8(), "月")
            else {
                return (Some(iso(year, &[])), None);
            };
            if !(1..=12).contains(&m) {
                return coarser(&format!("month {m:02}"), iso(year, &[]));
            }
            let month = iso(year, &[m]);
            let Some((d, _)) = chinese(end, "日") else {
                return (Some(month), None);
            };
            if !is_valid_day(year, m, d) {
                return coarser(&format!("day {month}-{d:02}"), month);
            }
            return (Some(iso(year, &[m, d])), None);
        } else if run == 4 && valid_year {
            let sep = bytes.get(i + 4).copied();
            let sep_at =
                |j: usize| sep.is_some() && bytes.get(j).copied() == sep;
            // A month of one or two digits (`2024-3`, `2024-03`); else a
            // year alone, or a range of years (`2019-2020`).
            let m_len = run_at(i + 5);
            if !matches!(sep, Some(b'-' | b'_' | b'.'))
                || !(1..=2).contains(&m_len)
            {
                return (Some(iso(year, &[])), None);
            }
            let m = num(i + 5, m_len);
            if !(1..=12).contains(&m) {
                let what = format!("month {m:02}");
                return coarser(&what, iso(year, &[]));
            }
            let month = iso(year, &[m]);
            // A day of one digit alone (`2024-3-5`), or the first two of
            // a run (`2024-03-051200`, a time after it).
            let day_at = i + 5 + m_len + 1;
            let d_len = run_at(day_at).min(2);
            if !(sep_at(day_at - 1) && d_len > 0) {
                return (Some(month), None);
            }
            let d = num(day_at, d_len);
            if !is_valid_day(year, m, d) {
                return coarser(&format!("day {month}-{d:02}"), month);
            }
            return (Some(iso(year, &[m, d])), None);
        } else if run == 6
            && let Some(month) = compact_month(&text[i..i + 6])
        {
            return (Some(month), None);
        }
        i += run;
    }
    (None, out_of_range)
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, from a year of four digits and the
/// month and day that follow, written digit by digit: every file of a
/// folder is dated by its name, and `format!` took most of that time.
fn iso(year: u32, rest: &[u32]) -> String {
    let mut s = String::with_capacity(10);
    let two = |n: u32, s: &mut String| {
        s.push(char::from(b'0' + (n / 10 % 10) as u8));
        s.push(char::from(b'0' + (n % 10) as u8));
    };
    two(year / 100, &mut s);
    two(year % 100, &mut s);
    for &n in rest {
        s.push('-');
        two(n, &mut s);
    }
    s
}

fn is_valid_day(year: u32, month: u32, day: u32) -> bool {
    chrono::NaiveDate::from_ymd_opt(year as i32, month, day).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A folder with this `metadata.csv`, checked.
    fn folder_with(table: &str) -> (tempfile::TempDir, Metadata) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(METADATA_FILE), table).unwrap();
        let mut meta = Metadata::default();
        meta.check_folders(&[dir.path()], &[], &mut Vec::new());
        (dir, meta)
    }

    #[test]
    fn metadata_rows_found_by_file_or_stem_the_last_row_winning() {
        let (dir, meta) = folder_with(
            "file,id,title\nb.txt,x,first b\n,a,the a\nb.txt,,second b\nc.md,b,c\n",
        );
        let title = |name: &str| {
            let row = meta.lookup(&dir.path().join(name)).unwrap()?;
            row.fields()
                .find(|(column, _)| *column == "title")
                .map(|(_, v)| v.to_string())
        };
        assert_eq!(title("a.txt").as_deref(), Some("the a"));
        assert_eq!(title("b.txt").as_deref(), Some("second b"));
        assert_eq!(title("c.md").as_deref(), Some("c"));
        assert_eq!(title("x.md").as_deref(), Some("first b"));
        assert_eq!(title("d.txt"), None);
    }

    /// Only the tables of the last few folders are kept, and one read
    /// again is the same.
    #[test]
    fn metadata_tables_are_read_again_when_dropped() {
        let root = tempfile::tempdir().unwrap();
        let folders = rayon::current_num_threads() + 3;
        let mut meta = Metadata { budget: 0, ..Metadata::default() };
        for i in 0..folders {
            let dir = root.path().join(format!("f{i}"));
            std::fs::create_dir(&dir).unwrap();
            let csv = format!("file,title\na.txt,title {i}\n");
            std::fs::write(dir.join(METADATA_FILE), csv).unwrap();
            meta.check_folders(&[dir.as_path()], &[], &mut Vec::new());
        }
        let title = |i: usize| {
            let path = root.path().join(format!("f{i}")).join("a.txt");
            let row = meta.lookup(&path).unwrap().unwrap();
            row.fields().nth(1).unwrap().1.to_string()
        };
        for round in 0..2 {
            for i in 0..folders {
                assert_eq!(title(i), format!("title {i}"), "round {round}");
            }
        }
        let kept = meta.recent.lock().unwrap().len();
        assert_eq!(kept, rayon::current_num_threads() + 1);
    }

    /// Folders checked together, in parallel, warn as folders checked one
    /// at a time do, folder after folder; the first tables are kept.
    #[test]
    fn folders_checked_in_parallel_warn_in_folder_order() {
        let root = tempfile::tempdir().unwrap();
        let dirs: Vec<PathBuf> = (0..6)
            .map(|i| {
                let dir = root.path().join(format!("f{i}"));
                std::fs::create_dir(&dir).unwrap();
                std::fs::write(dir.join("x.txt"), "两新").unwrap();
                let csv =
                    format!("id,date\nx,2020-01-0{}\ny,day {i}\n", i + 1);
                std::fs::write(dir.join(METADATA_FILE), csv).unwrap();
                dir
            })
            .collect();
        let dirs: Vec<&Path> = dirs.iter().map(PathBuf::as_path).collect();
        let pool = rayon::ThreadPoolBuilder::new().num_threads(3).build();
        let (together, kept) = pool.unwrap().install(|| {
            let (mut meta, mut warnings) =
                (Metadata { budget: 0, ..Metadata::default() }, Vec::new());
            meta.check_folders(&dirs, &[], &mut warnings);
            (warnings, meta.recent.lock().unwrap().len())
        });
        let (mut meta, mut one_by_one) = (Metadata::default(), Vec::new());
        for dir in &dirs {
            meta.check_folders(&[dir], &[], &mut one_by_one);
        }
        assert_eq!(together, one_by_one);
        let messages: Vec<&str> =
            together.iter().map(|w| w.message.as_str()).collect();
        assert_eq!(messages.len(), 12);
        assert_eq!(messages[10], "date \"day 5\" is not a date; not used");
        assert!(messages[11].contains("`y` is no file"), "{}", messages[11]);
        assert_eq!(kept, 4);
    }

    /// What `-o` may not name: an article that a folder's walk reads, or
    /// the `metadata.csv` of a folder walked or of a file given; not a
    /// hidden one, nor one beside no input.
    #[test]
    fn files_read_by_the_run_are_found_with_how() {
        let dir = tempfile::tempdir().unwrap();
        let p = |rel: &str| dir.path().join(rel);
        for f in ["corp/a.txt", "corp/metadata.csv", "corp/sub/metadata.csv"] {
            std::fs::create_dir_all(p(f).parent().unwrap()).unwrap();
            std::fs::write(p(f), "").unwrap();
        }
        for f in [".h/metadata.csv", "corp/.h/metadata.csv", "b/metadata.csv"]
        {
            std::fs::create_dir_all(p(f).parent().unwrap()).unwrap();
            std::fs::write(p(f), "").unwrap();
        }
        let corp = p("corp").display().to_string();
        let a = p("corp/a.txt").display().to_string();
        let folder = [corp.clone()];
        let single = ["-".to_string(), a.clone()];
        for (file, inputs, want) in [
            ("corp/a.txt", &folder[..], Some((&corp, ReadAs::Document))),
            ("corp/metadata.csv", &folder, Some((&corp, ReadAs::Metadata))),
            (
                "corp/sub/metadata.csv",
                &folder,
                Some((&corp, ReadAs::Metadata)),
            ),
            ("corp/.h/metadata.csv", &folder, None),
            ("b/metadata.csv", &folder, None),
            ("corp/metadata.csv", &single, Some((&a, ReadAs::Metadata))),
            ("corp/sub/metadata.csv", &single, None),
            ("corp/a.txt", &single, None),
        ] {
            let got = read_by_folder(&p(file), inputs);
            let want = want.map(|(i, r)| (i.as_str(), r));
            assert_eq!(got, want, "{file} {inputs:?}");
        }
    }

    /// `n` folders in `root`, each with a `metadata.csv` titling `a.txt` A.
    fn titled_folders(root: &Path, n: usize) -> Vec<PathBuf> {
        (0..n)
            .map(|i| {
                let dir = root.join(format!("f{i}"));
                std::fs::create_dir(&dir).unwrap();
                std::fs::write(
                    dir.join(METADATA_FILE),
                    "file,title\na.txt,A\n",
                )
                .unwrap();
                dir
            })
            .collect()
    }

    /// Within the budget, the tables of more folders than the count are
    /// kept from the check: each `metadata.csv` is read once.
    #[test]
    fn tables_within_the_budget_are_read_once() {
        let root = tempfile::tempdir().unwrap();
        let folders = tables_kept() + 2;
        let dirs = titled_folders(root.path(), folders);
        let mut meta = Metadata::default();
        let paths: Vec<&Path> = dirs.iter().map(PathBuf::as_path).collect();
        meta.check_folders(&paths, &[], &mut Vec::new());
        for dir in &dirs {
            std::fs::write(dir.join(METADATA_FILE), "file,title\na.txt,B\n")
                .unwrap();
        }
        for dir in &dirs {
            let row = meta.lookup(&dir.join("a.txt")).unwrap().unwrap();
            assert_eq!(row.fields().nth(1), Some(("title", "A")), "{dir:?}");
        }
        assert_eq!(meta.recent.lock().unwrap().len(), folders);
    }

    /// The tables of the first folders checked are kept from the check:
    /// changed afterwards, they are not read again. A later folder's table,
    /// read again with its files, that turned bad after the inputs were
    /// expanded is reported, by name, and read only once.
    #[test]
    fn metadata_gone_bad_is_a_warning() {
        let root = tempfile::tempdir().unwrap();
        let kept = tables_kept();
        let mut meta = Metadata { budget: 0, ..Metadata::default() };
        let dirs = titled_folders(root.path(), kept + 1);
        for dir in &dirs {
            meta.check_folders(&[dir.as_path()], &[], &mut Vec::new());
            std::fs::write(dir.join(METADATA_FILE), "title\nA\n").unwrap();
        }
        for dir in &dirs[..kept] {
            let row = meta.lookup(&dir.join("a.txt")).unwrap().unwrap();
            assert_eq!(row.fields().nth(1), Some(("title", "A")));
        }
        let (dir, csv) = (&dirs[kept], dirs[kept].join(METADATA_FILE));
        let err = meta.lookup(&dir.join("a.txt")).unwrap_err();
        assert_eq!(err.location, csv.display().to_string());
        assert_eq!(err.message, "no column `id` or `file`; metadata not used");
        // Kept as such: the folder's other files do not read it again.
        std::fs::write(&csv, "file,title\nb.txt,B\n").unwrap();
        assert_eq!(meta.lookup(&dir.join("b.txt")).unwrap_err(), err);
    }

    /// A folder holding `files` and a `metadata.csv` of `csv`, checked: the
    /// folder, its metadata and the warnings, as (location, message).
    fn checked(
        files: &[&str],
        csv: &str,
    ) -> (tempfile::TempDir, Metadata, Vec<(String, String)>) {
        let dir = tempfile::tempdir().unwrap();
        for name in files {
            std::fs::write(dir.path().join(name), "两新").unwrap();
        }
        std::fs::write(dir.path().join(METADATA_FILE), csv).unwrap();
        let mut meta = Metadata::default();
        let mut warnings = Vec::new();
        meta.check_folders(&[dir.path()], &[], &mut warnings);
        let got = warnings.into_iter().map(|w| (w.location, w.message));
        (dir, meta, got.collect())
    }

    /// A row of the wrong length is left out and a bad date reported, by
    /// line (CRLF, as Excel writes, counted as one line end); the other
    /// rows are used.
    #[test]
    fn bad_rows_are_reported_and_the_others_used() {
        let (dir, meta, got) = checked(
            &["one.txt", "two.txt", "three.txt"],
            "id,date,title\r\none,2024-01-02,One\r\ntwo,2024-01-03\r\nthree,someday,Three\r\n",
        );
        let csv = dir.path().join(METADATA_FILE).display().to_string();
        assert_eq!(
            got,
            [
                (
                    format!("{csv}:3"),
                    "2 fields where the header has 3; row not used".into()
                ),
                (
                    format!("{csv}:4"),
                    "date \"someday\" is not a date; not used".into()
                ),
            ]
        );
        let title = |name: &str| {
            let row = meta.lookup(&dir.path().join(name)).unwrap();
            row.map(|r| r.fields().nth(2).unwrap().1.to_string())
        };
        assert_eq!(title("one.txt").as_deref(), Some("One"));
        assert_eq!(title("two.txt"), None);
        assert_eq!(title("three.txt").as_deref(), Some("Three"));
    }

    /// Quoted values, with the separator, doubled quotes and line breaks
    /// inside, are read whole, beside Chinese ones.
    #[test]
    fn quoted_values_are_read_whole() {
        let (dir, meta, got) = checked(
            &["a.txt", "b.txt"],
            "id,title,source\na,\"两新, “以旧换新”\",人民日报\nb,\"He said \"\"two new\"\"\nagain\",新华社\n",
        );
        assert!(got.is_empty(), "{got:?}");
        let fields = |name: &str| {
            let row = meta.lookup(&dir.path().join(name)).unwrap().unwrap();
            row.fields().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>()
        };
        assert_eq!(
            fields("a.txt"),
            ["id=a", "title=两新, “以旧换新”", "source=人民日报"]
        );
        assert_eq!(
            fields("b.txt"),
            ["id=b", "title=He said \"two new\"\nagain", "source=新华社"]
        );
    }

    /// A row never used that names two files is reported with the least
    /// of them, whatever the order the folder lists them in.
    #[test]
    fn a_row_never_used_is_reported_with_the_least_file_it_names() {
        let (dir, _, got) = checked(
            &["x.txt", "x.md", "y.txt"],
            "file,id\n,x\nx.txt,\nx.md,\ny.txt,\n",
        );
        let csv = dir.path().join(METADATA_FILE).display().to_string();
        assert_eq!(
            got,
            [(
                format!("{csv}:2"),
                "not used: the row of `x.md` is line 4".to_string()
            )]
        );
    }

    /// Rows that name no file of the folder, and rows that lookups never
    /// return (a later row, or a row naming the file rather than its
    /// stem, wins), are reported: each kind once, at its first row.
    #[test]
    fn rows_naming_no_file_or_never_used_are_reported() {
        let (dir, meta, got) = checked(
            &["a.txt", "b.txt", "c.md"],
            "file,id,date\na.txt,,2024-01-01\nmissing.txt,,\nb.txt,b,\n,a,\n,gone,\nb.txt,,\nc.md,c,\n",
        );
        let csv = dir.path().join(METADATA_FILE).display().to_string();
        assert_eq!(
            got,
            [
                (
                    format!("{csv}:3"),
                    "`missing.txt` is no file of this folder; so does 1 other row"
                        .to_string()
                ),
                (
                    format!("{csv}:4"),
                    "not used: the row of `b.txt` is line 7; so does 1 other row"
                        .to_string()
                ),
            ]
        );
        // The rows reported as not used are indeed not the files' rows.
        let date = |name: &str| {
            let row = meta.lookup(&dir.path().join(name)).unwrap().unwrap();
            row.fields().nth(2).unwrap().1.to_string()
        };
        assert_eq!(date("a.txt"), "2024-01-01");
    }

    /// The rows before a quote never closed are used, and the quote is
    /// reported by its line.
    #[test]
    fn rows_after_a_quote_never_closed_are_reported() {
        let (dir, meta, got) = checked(
            &["a.txt", "b.txt"],
            "file,title\na.txt,A\nb.txt,\"B\nc.txt,C\n",
        );
        let csv = dir.path().join(METADATA_FILE);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, format!("{}:3", csv.display()));
        assert!(got[0].1.starts_with("quoted field never closed"));
        let found = |name: &str| {
            meta.lookup(&dir.path().join(name)).unwrap().is_some()
        };
        assert!(found("a.txt") && !found("b.txt"));
    }

    /// A table separated by semicolons or tabs, as European Excel saves
    /// one, is read as one separated by commas is.
    #[test]
    fn metadata_separated_by_semicolons_or_tabs() {
        for sep in [";", "\t"] {
            let csv = "id,date,title\na,2024-03-05,\"A, 1\"\nb,2024-13,B\n"
                .replace(',', sep)
                .replace("A; 1", "A, 1")
                .replace("A\t 1", "A, 1");
            let (dir, meta, got) = checked(&["a.txt", "b.txt"], &csv);
            let path = dir.path().join(METADATA_FILE);
            assert_eq!(
                got,
                [(
                    format!("{}:3", path.display()),
                    "date \"2024-13\" is not a date; not used".to_string()
                )],
                "{sep:?}"
            );
            let row = meta.lookup(&dir.path().join("a.txt")).unwrap().unwrap();
            let fields: Vec<_> = row.fields().collect();
            assert_eq!(
                fields,
                [("id", "a"), ("date", "2024-03-05"), ("title", "A, 1")]
            );
        }
    }

    /// Known columns are found whatever their ASCII case and spaces; the
    /// others keep their names as written; two that come to one name are
    /// an error naming both.
    #[test]
    fn known_columns_fold_to_their_names() {
        let fields = Fields { date: "Held".into(), ..Fields::default() };
        let known = Metadata::new(&fields).columns;
        let header = |names: &[&str]| {
            known.fold(&csv::StringRecord::from(names.to_vec()))
        };
        assert_eq!(
            header(&[
                " ID", "FILE ", "Year", "held", "TITLE", "sOurce", "Page ",
                "标题"
            ])
            .unwrap(),
            ["id", "file", "year", "Held", "title", "source", "Page ", "标题"]
        );
        assert_eq!(header(&["date"]).unwrap(), ["date"]);
        assert_eq!(
            header(&["id", "Year", "x", "year"]).unwrap_err(),
            "columns 2 (\"Year\") and 4 (\"year\") both name the column `year`: rename one"
        );
        assert!(header(&["id", "id"]).is_err());
        assert_eq!(header(&["page", "page"]).unwrap(), ["page", "page"]);
    }

    /// A row's other columns, which `--by FIELD` reads: not those that
    /// name, date, title or source its file; `year` among them; of two
    /// columns of one name, the later.
    #[test]
    fn a_rows_other_columns() {
        let (dir, meta) = folder_with(
            "file,id,date,title,source,page,year,page\na.txt,a,2024-01-02,T,S,1,2024,2\n",
        );
        let row = meta.lookup(&dir.path().join("a.txt")).unwrap().unwrap();
        assert_eq!(
            row.others().collect::<Vec<_>>(),
            [("page", "1"), ("year", "2024"), ("page", "2")]
        );
        assert_eq!(row.other("page"), Some("2"));
        assert_eq!(row.other("year"), Some("2024"));
        for named in ["file", "id", "date", "title", "source", "text"] {
            assert_eq!(row.other(named), None, "{named}");
        }
    }

    /// Checking a table finds what reading it finds.
    /// One search for a file's name or stem finds what two searches do,
    /// with values sorting between a stem and its name (`a-1` between `a`
    /// and `a.txt`), names without an extension, and ids with one.
    #[test]
    fn name_or_stem_in_one_search() {
        let known = Metadata::default().columns;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(METADATA_FILE);
        let table = "file,id\n,a\n,a-1\na.txt,\n,b\n,b-1\n,b 2\nc.md,c\n,d.txt\n,e\n,ea\nf,\n";
        std::fs::write(&path, table).unwrap();
        let table =
            read_table(&path, Purpose::Use, &known, &mut Vec::new()).unwrap();
        let names = [
            "a.txt",
            "a-1.txt",
            "b.txt",
            "b-1.txt",
            "b 2.txt",
            "c.md",
            "c.txt",
            "d.txt",
            "d.txt.txt",
            "e.txt",
            "ea.txt",
            "e",
            "f",
            "f.txt",
            "g.txt",
            "",
            ".txt",
        ];
        for name in names {
            let stem = Path::new(name)
                .file_stem()
                .map_or("", |s| s.to_str().unwrap());
            let two = table.find(name).or_else(|| table.find(stem));
            assert_eq!(table.find_name_or_stem(name, stem), two, "{name}");
        }
        assert!(table.find_name_or_stem("b.txt", "b").is_some());
        assert!(table.find_name_or_stem("g.txt", "g").is_none());
    }

    #[test]
    fn checking_a_table_finds_what_reading_it_finds() {
        let known = Metadata::default().columns;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(METADATA_FILE);
        let cases: [&[u8]; 6] = [
            b"file,title\na.txt,A\nb.txt,B\n",
            b"title\nA\n",
            b"file,title\na.txt,A\nb.txt\n",
            b"file,title\na.txt,\"A\n",
            b"file,title\na.txt,\xFF\n",
            b"",
        ];
        for bytes in cases {
            std::fs::write(&path, bytes).unwrap();
            let read = |purpose| {
                let mut rows = Vec::new();
                let table = read_table(&path, purpose, &known, &mut rows);
                let table = table.map(|t| (t.columns, t.values, t.names));
                (table, rows)
            };
            let (kept, kept_rows) = read(Purpose::Use);
            let (checked, checked_rows) = read(Purpose::Check);
            let (both, both_rows) = read(Purpose::CheckAndUse);
            let columns = |t: &Result<(Vec<String>, _, _), _>| {
                t.as_ref().map(|t| t.0.clone()).map_err(Clone::clone)
            };
            let text = String::from_utf8_lossy(bytes);
            assert_eq!(columns(&checked), columns(&kept), "{text}");
            assert_eq!(checked_rows, kept_rows);
            // Read for both, the values read to use it and the names read
            // to check it.
            assert_eq!(both_rows, kept_rows);
            if let (Ok(both), Ok(kept), Ok(checked)) = (both, kept, checked) {
                assert_eq!(both.1, kept.1, "{text}");
                assert_eq!(both.2, checked.2, "{text}");
            }
        }
        let checked =
            read_table(&path, Purpose::Check, &known, &mut Vec::new());
        assert!(checked.is_err_and(|e| e.contains("no column")));
    }

    /// A table of one column whose values are `keys` (sorted, distinct).
    fn table_of(keys: &[String]) -> Table {
        let mut table =
            Table { columns: vec!["id".into()], ..Table::default() };
        for (i, key) in keys.iter().enumerate() {
            table.values.push_str(key);
            table.ends.push(table.values.len() as u32);
            table.keys.push((i as u32, i as u32));
        }
        table
    }

    proptest! {
        /// Wherever the last search of a thread left its guess (in this
        /// table or another), the position found is the binary search's:
        /// over names in order, as a folder's files are read, and then in
        /// any order.
        #[test]
        fn positions_guessed_are_the_searched_ones(
            keys in proptest::collection::btree_set("[a-c]{0,3}", 0..40),
            others in proptest::collection::btree_set("[a-c]{1,2}", 1..6),
            mut names in proptest::collection::vec("[a-c]{0,3}(\\.txt)?", 0..40),
        ) {
            let keys: Vec<String> = keys.into_iter().collect();
            let others: Vec<String> = others.into_iter().collect();
            let (table, other) = (table_of(&keys), table_of(&others));
            let searched = |name: &str| keys.partition_point(|k| k.as_str() < name);
            let mut sorted = names.clone();
            sorted.sort();
            names.splice(0..0, sorted);
            for (i, name) in names.iter().enumerate() {
                if i % 7 == 6 {
                    other.position(name);
                }
                prop_assert_eq!(table.position(name), searched(name), "{}", name);
            }
        }

        /// Files held by folder sort as their whole paths do, byte by
        /// byte, also when one folder holds another, and come back as
        /// they went in.
        #[test]
        fn input_files_sort_as_their_paths(
            paths in proptest::collection::vec("[ab./-]{0,3}/?[ab./]{1,3}", 0..24)
        ) {
            let mut files: InputFiles = paths
                .iter()
                .map(|p| InputFile::file(PathBuf::from(p)))
                .chain([InputFile::stream(STDIN_NAME)])
                .collect();
            files.sort();
            let got: Vec<String> =
                files.iter().map(|f| f.display.into_string()).collect();
            let mut want = paths.clone();
            want.push(STDIN_NAME.into());
            want.sort();
            prop_assert_eq!(got, want);
            prop_assert!(files.iter().enumerate().all(|(i, f)| f.rank == i as u32));
        }
    }

    /// Names in a legacy encoding (GBK 高质量 and 新质量) stay distinct and
    /// show their bytes.
    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_are_escaped() {
        use std::os::unix::ffi::OsStrExt;
        let name = |b: &[u8]| {
            let path = Path::new(OsStr::from_bytes(b)).to_path_buf();
            InputFile::file(path).display.into_string()
        };
        assert_eq!(
            name(b"nm/\xB8\xDF\xD6\xCA.txt"),
            r"nm/\xB8\xDF\xD6\xCA.txt"
        );
        assert_eq!(
            name(b"nm/\xD0\xC2\xD6\xCA.txt"),
            r"nm/\xD0\xC2\xD6\xCA.txt"
        );
        assert_eq!(name("新/a\u{FFFD}.txt".as_bytes()), "新/a\u{FFFD}.txt");
    }

    #[test]
    fn dates_in_names() {
        let cases = [
            ("a/2024-03-05-x.txt", Some("2024-03-05")),
            ("20240305.txt", Some("2024-03-05")),
            ("2024-03.txt", Some("2024-03")),
            ("gov/2024.txt", Some("2024")),
            ("1921-01a.txt", Some("1921-01")),
            ("2024-13-01.txt", Some("2024")),
            ("2024-02-30.txt", Some("2024-02")),
            ("2024_05_01.txt", Some("2024-05-01")),
            ("2024.05.02.txt", Some("2024-05-02")),
            ("2024-05_01.txt", Some("2024-05")),
            ("2019-2020.txt", Some("2019")),
            ("2024年3月5日讲话.txt", Some("2024-03-05")),
            ("2024年11月.txt", Some("2024-11")),
            ("2024年度.txt", Some("2024")),
            ("2024年2月30日.txt", Some("2024-02")),
            ("report-12345.txt", None),
            ("no-date.txt", None),
        ];
        for (name, want) in cases {
            assert_eq!(date_from_name(name).0.as_deref(), want, "{name}");
        }
        let warning = |name: &str| date_from_name(name).1;
        assert_eq!(
            warning("2024-02-30.txt").as_deref(),
            Some(
                "the file name's day 2024-02-30 is not in the calendar; dated 2024-02"
            )
        );
        assert_eq!(
            warning("1999-13-01.txt").as_deref(),
            Some(
                "the file name's month 13 is not in the calendar; dated 1999"
            )
        );
        assert_eq!(warning("2024_05_01.txt"), None);
        assert_eq!(warning("2024.txt"), None);
        assert_eq!(warning("2019-2020.txt"), None);
    }

    /// Months and days of one digit, when separated, and `YYYYMM` (the
    /// People's Daily archive's months) are dates; other runs of digits,
    /// ids, are not misread as dates.
    #[test]
    fn short_months_and_days_and_yyyymm_in_names() {
        let cases = [
            ("2024-3-5.txt", Some("2024-03-05")),
            ("2024.3.5.txt", Some("2024-03-05")),
            ("2024_3_5.txt", Some("2024-03-05")),
            ("2024-03-5.txt", Some("2024-03-05")),
            ("2024-3-15.txt", Some("2024-03-15")),
            ("2024-3.txt", Some("2024-03")),
            ("2024-3_5.txt", Some("2024-03")),
            ("2024-03-051200.txt", Some("2024-03-05")),
            ("2024-2-30.txt", Some("2024-02")),
            ("2024-0-5.txt", Some("2024")),
            ("199801.txt", Some("1998-01")),
            ("pd-202412.txt", Some("2024-12")),
            ("20240305.txt", Some("2024-03-05")),
            ("19980101-01.txt", Some("1998-01-01")),
            // Runs of digits that are no date.
            ("123456.txt", None),
            ("202413.txt", None),
            ("202400.txt", None),
            ("20241399.txt", None),
            ("2024031.txt", None),
            ("1234567890.txt", None),
            ("id-99999.txt", None),
        ];
        for (name, want) in cases {
            assert_eq!(date_from_name(name).0.as_deref(), want, "{name}");
        }
        assert_eq!(
            date_from_name("2024-2-30.txt").1.as_deref(),
            Some(
                "the file name's day 2024-02-30 is not in the calendar; dated 2024-02"
            )
        );
        // Eight digits with a day the month lacks, as with separators.
        assert_eq!(
            date_from_name("20240230.txt"),
            date_from_name("2024-02-30.txt")
        );
    }

    /// Names are dated from 1800 to 2100: a Qing archive's `1840.txt` is
    /// dated, `1799.txt` is a number. A name shaped as a date in a year out
    /// of range is said; a bare number is not, nor one a date follows.
    #[test]
    fn years_in_names_from_1800_to_2100() {
        let cases = [
            ("1840.txt", Some("1840")),
            ("1898-06-11.txt", Some("1898-06-11")),
            ("1899.txt", Some("1899")),
            ("1800-01.txt", Some("1800-01")),
            ("18980611.txt", Some("1898-06-11")),
            ("1898年6月11日.txt", Some("1898-06-11")),
            ("2100-12-31.txt", Some("2100-12-31")),
            ("1799.txt", None),
            ("2101.txt", None),
            ("1776-07-04.txt", None),
            ("0042-1840.txt", Some("1840")),
        ];
        for (name, want) in cases {
            assert_eq!(date_from_name(name).0.as_deref(), want, "{name}");
        }
        let warning = |name: &str| date_from_name(name).1;
        assert_eq!(
            warning("1776-07-04.txt").as_deref(),
            Some(
                "the file name's year 1776 is not in 1800..=2100; not taken as a date"
            )
        );
        assert!(warning("2101年.txt").is_some());
        for name in
            ["1799.txt", "2101.txt", "1776-07-04_1840.txt", "1234-56.txt"]
        {
            assert_eq!(warning(name), None, "{name}");
        }
        // A `--split` line is dated by the same rules.
        let line = date_in("=== 1898-6-11 百日维新", "the --split line's");
        assert_eq!(line.0.as_deref(), Some("1898-06-11"));
        let line = date_in("=== 1840年6月 鸦片战争", "the --split line's");
        assert_eq!(line, (Some("1840-06".into()), None));
    }
}
