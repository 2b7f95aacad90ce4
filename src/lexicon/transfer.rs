//! The lexicon in other shapes, for curators and other tools: a CSV sheet
//! with one row per term (and back to TOML), a quanteda YAML dictionary,
//! and a plain list of forms.
//!
//! # The sheet
//!
//! Columns follow the TOML schema ([`SHEET_COLUMNS`]). A field that holds
//! several strings is one cell with the strings joined by `|`; a `|` or a
//! `\` inside a string is written `\|` or `\\`. The context rule is two
//! cells, `context_near` (joined by `|`) and `context_window` (left empty,
//! the loader's default window, as in TOML); `whole_word`
//! is `true` or empty. Labels are written as the loader fills them in, and
//! [`import_csv`] leaves them out of the TOML where they equal that default,
//! so TOML → CSV → TOML → CSV gives the same terms and the same sheet. The
//! `[lexicon]` table (name, version, description) is not a term and is not
//! in the sheet: [`ImportOptions`] gives it back.
//!
//! Text cells that a spreadsheet would run as a formula are written with a
//! leading `'` (see `output`); the import removes it again.

use std::collections::HashMap;
use std::fmt::Write as _;

use encoding_rs::Encoding;

use super::load::{is_partial_date, line_of};
use super::{Diagnostic, Lexicon, Severity, Source, check_sources};
use crate::corpus::{
    Decoded, RecordLines, UNCLOSED_QUOTE, decode_with_positions,
    sniff_delimiter, unclosed_quote,
};
use crate::error::Error;
use crate::output::{quantity, unneutralize};
use crate::table::{Cell, Table, int, join, text};

/// The columns of the sheet, in order. `id` and `category` are required on
/// import; the others may be left out.
pub const SHEET_COLUMNS: [&str; 16] = [
    "id",
    "label_zh",
    "label_en",
    "category",
    "zh",
    "en",
    "zh_expansions",
    "en_expansions",
    "official",
    "first_official_use",
    "exclude",
    "context_near",
    "context_window",
    "whole_word",
    "nests",
    "note",
];

/// Columns holding several strings joined by `|`.
const LISTS: [&str; 8] = [
    "zh",
    "en",
    "zh_expansions",
    "en_expansions",
    "official",
    "exclude",
    "context_near",
    "nests",
];

/// One row per term, in id order.
pub fn to_sheet(lexicon: &Lexicon) -> Table {
    let mut table = Table::new(SHEET_COLUMNS).numbers(["context_window"]);
    for t in &lexicon.terms {
        let ctx = t.context.as_ref();
        table.push(vec![
            text(t.id.clone()),
            text(t.label_zh.clone()),
            text(t.label_en.clone()),
            text(t.category.clone()),
            text(join(&t.zh)),
            text(join(&t.en)),
            text(join(&t.zh_expansions)),
            text(join(&t.en_expansions)),
            text(join(&t.official)),
            text(t.first_official_use.clone().unwrap_or_default()),
            text(join(&t.exclude)),
            text(ctx.map(|c| join(&c.near)).unwrap_or_default()),
            ctx.map_or(Cell::Null, |c| int(c.window as u64)),
            text(if t.whole_word { "true" } else { "" }),
            text(join(&t.nests)),
            text(t.note.clone()),
        ]);
    }
    table
}

/// Splits a cell at unescaped `|`, trims each string and drops empty ones.
fn split(cell: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = cell.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e @ ('\\' | '|')) => cur.push(e),
                _ => {
                    return Err(
                        "a backslash must be written \\\\ (and a bar inside \
                         a string \\|)"
                            .into(),
                    );
                }
            },
            '|' => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    Ok(out
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect())
}

/// The forms and expansions of every term, one per line, in id order: for
/// `grep -F -f`, a segmenter's user dictionary or a quick read.
pub fn to_txt(lexicon: &Lexicon) -> String {
    let mut out = String::new();
    for t in &lexicon.terms {
        for form in t.zh.iter().chain(&t.en) {
            out.push_str(form);
            out.push('\n');
        }
        for form in t.zh_expansions.iter().chain(&t.en_expansions) {
            out.push_str(form);
            out.push('\n');
        }
    }
    out
}

/// A quanteda dictionary in YAML: category → term id → the term's forms
/// and expansions (Chinese, then English). Exclusions and context rules
/// have no quanteda equivalent and are left out. Every key and value is a
/// quoted literal string (a bare key `on`, `yes`, `null` or `0x1f` is a
/// boolean, null or number to a YAML 1.1 reader, R's and PyYAML); quanteda reads `*` and `?` as wildcards unless told
/// `valuetype = "fixed"`, and tifa forms are never patterns.
pub fn to_quanteda_yaml(lexicon: &Lexicon) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# tifa lexicon {:?} {}: category -> term id -> forms.",
        lexicon.name, lexicon.version
    );
    out.push_str(
        "# Literal strings: in R, quanteda::dictionary(file = \"this.yml\"), \
         then tokens_lookup(..., valuetype = \"fixed\").\n",
    );
    let mut categories: Vec<&str> =
        lexicon.terms.iter().map(|t| t.category.as_str()).collect();
    categories.sort_unstable();
    categories.dedup();
    for category in categories {
        let _ = writeln!(out, "{}:", quoted(category));
        for t in lexicon.terms.iter().filter(|t| t.category == category) {
            let _ = writeln!(out, "  {}:", quoted(&t.id));
            let forms =
                t.zh.iter()
                    .chain(&t.zh_expansions)
                    .chain(&t.en)
                    .chain(&t.en_expansions);
            for form in forms {
                let _ = writeln!(out, "    - {}", quoted(form));
            }
        }
    }
    out
}

/// The `[lexicon]` table of an imported sheet.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// `name` (default: the sheet's file stem).
    pub name: Option<String>,
    /// `version`, left out when `None`.
    pub version: Option<String>,
    /// `description`, left out when `None`.
    pub description: Option<String>,
}

/// A sheet turned into lexicon TOML.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The TOML text, one `[[term]]` per row, in row order.
    pub toml: String,
    /// Warnings of `lexicon check` on it, positioned in the sheet.
    pub warnings: Vec<Diagnostic>,
}

/// Reads a sheet (see the module docs) named `name` and writes it as
/// lexicon TOML. The result is checked like any lexicon; every problem is
/// reported at the sheet's line and column, and any error fails the import.
///
/// The bytes are decoded as corpus files are (a byte-order mark, UTF-8, or
/// a detected encoding such as the GB18030 of Excel's "CSV" on Chinese
/// Windows); bytes invalid in that encoding are an error, never replaced.
/// The separator is a comma, a semicolon or a tab, as the header line
/// shows.
pub fn import_csv(
    name: &str,
    data: &[u8],
    opts: &ImportOptions,
) -> Result<Imported, Error> {
    let at = |line: u64, col: &str, msg: String| {
        let line = line as usize;
        if col.is_empty() {
            Diagnostic::error(name, line, &msg)
        } else {
            Diagnostic::error(name, line, &format!("column {col}: {msg}"))
        }
    };
    let fail = |d: Diagnostic| Error::Lexicon(vec![d]);
    let (text, mut warnings) = decode_sheet(name, data)?;
    let data = text.as_bytes();
    let delimiter = sniff_delimiter(data);
    if let Some((_, line)) = unclosed_quote(data, delimiter) {
        return Err(fail(at(line as u64, "", UNCLOSED_QUOTE.into())));
    }
    // Lines as an editor shows them (the reader's own count is one short
    // for a record after CRLF).
    let mut lines = RecordLines::new(data, 1);
    let mut line_at = |p: Option<&csv::Position>| {
        lines.at(p.map_or(0, |p| p.byte() as usize)).0 as u64
    };
    // Flexible: a row of another length gets a message of ours, naming
    // the columns, where the reader's would number lines and fields its
    // own way. Reading text from memory, it has no other error to give.
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(data);
    let unreadable = "the row cannot be read as CSV";
    let headers = reader
        .headers()
        .map_err(|e| fail(at(line_at(e.position()), "", unreadable.into())))?
        .clone();
    // Per column of the sheet, the schema's column; `None` under an empty
    // header (a spreadsheet pads a sheet to the range it has used), whose
    // cells must be empty.
    let mut columns: Vec<Option<&'static str>> = Vec::new();
    for h in &headers {
        let h = h.trim();
        if h.is_empty() {
            columns.push(None);
            continue;
        }
        let Some(&col) = SHEET_COLUMNS.iter().find(|c| **c == h) else {
            let separator = [';', '\t', ',']
                .into_iter()
                .find(|&c| h.contains(c))
                .map(|c| {
                    format!(
                        "; the header holds {c:?}: save the sheet with commas"
                    )
                })
                .unwrap_or_default();
            return Err(fail(at(
                1,
                h,
                format!(
                    "unknown column (expected {}){separator}",
                    SHEET_COLUMNS.join(", ")
                ),
            )));
        };
        if columns.contains(&Some(col)) {
            return Err(fail(at(1, h, "column given twice".into())));
        }
        columns.push(Some(col));
    }
    for required in ["id", "category"] {
        if !columns.contains(&Some(required)) {
            return Err(fail(at(1, required, "missing column".into())));
        }
    }
    // A row reaches the last named column at least; the empty cells of
    // unnamed columns after it may be left out.
    let needed =
        columns.iter().rposition(Option::is_some).map_or(0, |i| i + 1);
    // A column by its name, or its number when it has none.
    let label = |i: usize| {
        columns[i].map_or_else(|| (i + 1).to_string(), str::to_string)
    };

    let mut toml = String::new();
    // TOML line (1-based) -> (sheet line, column), to position the check.
    let mut origin: HashMap<usize, (u64, &str)> = HashMap::new();
    let mut line_no = 1;
    let mut emit =
        |toml: &mut String, line: String, from: (u64, &'static str)| {
            toml.push_str(&line);
            toml.push('\n');
            origin.insert(line_no, from);
            line_no += 1;
        };
    let stem = std::path::Path::new(name)
        .file_stem()
        .map_or("lexicon".into(), |s| s.to_string_lossy().into_owned());
    emit(&mut toml, "[lexicon]".into(), (1, ""));
    let lex_name = opts.name.clone().unwrap_or(stem);
    emit(&mut toml, format!("name = {}", quoted(&lex_name)), (1, ""));
    if let Some(v) = &opts.version {
        emit(&mut toml, format!("version = {}", quoted(v)), (1, ""));
    }
    if let Some(d) = &opts.description {
        emit(&mut toml, format!("description = {}", quoted(d)), (1, ""));
    }

    let mut errors = Vec::new();
    let mut unnamed_said: Vec<usize> = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(at(line_at(e.position()), "", unreadable.into()));
                continue;
            }
        };
        let line = line_at(record.position());
        if record.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        if record.len() < needed {
            let missing: Vec<&str> =
                columns[record.len()..].iter().flatten().copied().collect();
            errors.push(at(
                line,
                "",
                format!(
                    "the row has {} cells and the header {} columns: no \
                     cell under {}",
                    record.len(),
                    columns.len(),
                    missing.join(", ")
                ),
            ));
            continue;
        }
        // Empty cells right of the header are padding too.
        if record.iter().skip(columns.len()).any(|v| !v.trim().is_empty()) {
            let extra = record.len() - columns.len();
            errors.push(at(
                line,
                "",
                format!(
                    "the row has {} cells and the header {} columns: {} \
                     right of column {}",
                    record.len(),
                    columns.len(),
                    quantity(extra as u64, "cell", "cells"),
                    label(columns.len() - 1),
                ),
            ));
            continue;
        }
        let mut cells: HashMap<&'static str, String> = HashMap::new();
        for (i, value) in record.iter().enumerate().take(columns.len()) {
            match columns[i] {
                Some(col) => {
                    cells.insert(col, unneutralize(value).to_string());
                }
                None if value.trim().is_empty() => {}
                None => {
                    // Said once per column, at its first cell.
                    if !unnamed_said.contains(&i) {
                        unnamed_said.push(i);
                        errors.push(at(
                            line,
                            "",
                            format!(
                                "column {} has no name, yet this row has a \
                                 cell in it: name the column or clear it",
                                i + 1
                            ),
                        ));
                    }
                }
            }
        }
        if cells.values().all(|v| v.trim().is_empty()) {
            continue;
        }
        let get = |col: &str| cells.get(col).map_or("", |v| v.as_str());
        let mut lists: HashMap<&str, Vec<String>> = HashMap::new();
        for col in LISTS {
            match split(get(col)) {
                Ok(items) => {
                    lists.insert(col, items);
                }
                Err(msg) => errors.push(at(line, col, msg)),
            }
        }
        let list = |col: &str| lists.get(col).cloned().unwrap_or_default();
        let window = get("context_window").trim();
        let window: Option<usize> = if window.is_empty() {
            None
        } else {
            match window.parse::<usize>() {
                Ok(w) => Some(w),
                Err(_) => {
                    errors.push(at(
                        line,
                        "context_window",
                        format!("{window:?} is not a number of characters"),
                    ));
                    None
                }
            }
        };
        let whole_word = match get("whole_word").trim().to_lowercase().as_str()
        {
            "" | "false" | "no" | "0" => false,
            "true" | "yes" | "1" => true,
            other => {
                errors.push(at(
                    line,
                    "whole_word",
                    format!("{other:?} is not true or false"),
                ));
                false
            }
        };
        let near = list("context_near");
        if near.is_empty() && window.is_some() {
            errors.push(at(
                line,
                "context_near",
                "a context_window needs context_near, the words that \
                 confirm a match"
                    .into(),
            ));
        }

        emit(&mut toml, String::new(), (line, "id"));
        emit(&mut toml, "[[term]]".into(), (line, "id"));
        let id = get("id").trim();
        emit(&mut toml, format!("id = {}", quoted(id)), (line, "id"));
        let zh = list("zh");
        let en = list("en");
        let zh_exp = list("zh_expansions");
        let en_exp = list("en_expansions");
        let official = list("official");
        // Labels only where they differ from what the loader fills in.
        let default_zh = zh.first().or(zh_exp.first()).cloned();
        let default_en =
            official.first().or(en.first()).or(en_exp.first()).cloned();
        for (col, default) in
            [("label_zh", default_zh), ("label_en", default_en)]
        {
            let label = get(col);
            if !label.is_empty() && Some(label) != default.as_deref() {
                emit(
                    &mut toml,
                    format!("{col} = {}", quoted(label)),
                    (line, col),
                );
            }
        }
        for (col, items) in [
            ("zh", &zh),
            ("en", &en),
            ("zh_expansions", &zh_exp),
            ("en_expansions", &en_exp),
            ("official", &official),
        ] {
            if !items.is_empty() {
                emit(
                    &mut toml,
                    format!("{col} = {}", toml_list(items)),
                    (line, col),
                );
            }
        }
        emit(
            &mut toml,
            format!("category = {}", quoted(get("category").trim())),
            (line, "category"),
        );
        let date = get("first_official_use").trim();
        if !date.is_empty() {
            // A date not read here is left for the check to refuse.
            let iso = sheet_date(date).unwrap_or_else(|| date.to_string());
            if iso.len() == 10 && iso.ends_with("-01") && iso != date {
                warnings.push(Diagnostic::warning(
                    name,
                    line as usize,
                    &format!(
                        "column first_official_use: {date:?} read as {iso}, \
                         though it may have been {} before a spreadsheet \
                         made it a day: format the column as Text before \
                         editing",
                        &iso[..7]
                    ),
                ));
            }
            emit(
                &mut toml,
                format!("first_official_use = {}", quoted(&iso)),
                (line, "first_official_use"),
            );
        }
        let exclude = list("exclude");
        if !exclude.is_empty() {
            emit(
                &mut toml,
                format!("exclude = {}", toml_list(&exclude)),
                (line, "exclude"),
            );
        }
        if !near.is_empty() {
            // An empty window is left to the loader's default, as in TOML.
            let window =
                window.map_or(String::new(), |w| format!(", window = {w}"));
            emit(
                &mut toml,
                format!("context = {{ near = {}{window} }}", toml_list(&near)),
                (line, "context_near"),
            );
        }
        if whole_word {
            emit(&mut toml, "whole_word = true".into(), (line, "whole_word"));
        }
        let nests = list("nests");
        if !nests.is_empty() {
            emit(
                &mut toml,
                format!("nests = {}", toml_list(&nests)),
                (line, "nests"),
            );
        }
        let note = get("note").trim();
        if !note.is_empty() {
            emit(
                &mut toml,
                format!("note = {}", quoted(note)),
                (line, "note"),
            );
        }
    }
    if !errors.is_empty() {
        return Err(Error::Lexicon(errors));
    }

    let source = Source { name: name.to_string(), text: toml.clone() };
    let (_, diags) = check_sources(&[source]);
    for d in diags {
        let (line, col) = origin.get(&d.line).copied().unwrap_or((0, ""));
        let mut message = sheet_places(&d.message, name, &origin);
        if col == "first_official_use" && d.severity == Severity::Error {
            message.push_str(&format!("; {REFORMATTED}"));
        }
        let d = Diagnostic {
            line: line as usize,
            message: if col.is_empty() {
                message
            } else {
                format!("column {col}: {message}")
            },
            ..d
        };
        match d.severity {
            Severity::Error => errors.push(d),
            _ => warnings.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Lexicon(errors));
    }
    // The sheet's own warnings and the check's, in line order.
    warnings.sort_by_key(|d| d.line);
    Ok(Imported { toml, warnings })
}

/// The text of a sheet, decoded as corpus files are, and a warning when
/// its encoding was guessed from few characters. A NUL byte (a file that
/// is not text, or UTF-16 without its byte-order mark) and bytes invalid
/// in the encoding are errors at their line: a lexicon is never read
/// with replacement characters.
///
/// A sheet is Chinese: when detection settles on a single-byte encoding
/// (windows-1252 reads any bytes), its bytes are not valid in the CJK
/// encodings, as happens to a GBK sheet with one damaged character. It
/// is read as GB18030, Excel's "CSV" on Chinese Windows, to name the line
/// of the bad bytes rather than import mojibake.
pub fn decode_sheet(
    name: &str,
    data: &[u8],
) -> Result<(String, Vec<Diagnostic>), Error> {
    let save_as = "save the sheet as \"CSV UTF-8\" or \"Unicode text\"";
    let single_byte = |d: &Decoded| {
        Encoding::for_label(d.encoding.as_bytes())
            .is_some_and(Encoding::is_single_byte)
    };
    let decoded = decode_with_positions(data, None).map(|d| {
        if single_byte(&d.0) {
            decode_with_positions(data, Some(encoding_rs::GB18030))
                .expect("a forced encoding decodes")
        } else {
            d
        }
    });
    let Some((decoded, replaced)) = decoded else {
        let nul = memchr::memchr(0, data).unwrap_or(0);
        return Err(Error::Lexicon(vec![Diagnostic::error(
            name,
            line_of(data, nul),
            &format!(
                "a NUL byte: not a text sheet, or UTF-16 without a byte-order mark ({save_as})"
            ),
        )]));
    };
    if let Some(&first) = replaced.first() {
        let line = line_of(decoded.text.as_bytes(), first as usize);
        return Err(Error::Lexicon(vec![Diagnostic::error(
            name,
            line,
            &format!(
                "bytes that are not valid {} ({save_as})",
                decoded.encoding
            ),
        )]));
    }
    let mut warnings = Vec::new();
    if decoded.uncertain {
        warnings.push(Diagnostic::warning(
            name,
            1,
            &format!(
                "read as {}, a guess from few characters: check the \
                 result, or {save_as}",
                decoded.encoding
            ),
        ));
    }
    Ok((decoded.text, warnings))
}

/// The remedy for a date a spreadsheet has changed.
const REFORMATTED: &str =
    "spreadsheets reformat dates: format the column as Text before editing";

/// `first_official_use` from a sheet: as the schema writes it, or
/// YYYY/M/D and YYYY/M (a date as Excel set to Chinese shows it) turned
/// into YYYY-MM-DD and YYYY-MM; `None` for anything else, or no such day.
/// Forms such as 12/28/2017 and Mar-24 are refused: other locales read
/// them as other dates.
fn sheet_date(cell: &str) -> Option<String> {
    if is_partial_date(cell) {
        return Some(cell.to_string());
    }
    let parts: Vec<&str> = cell.split('/').collect();
    let digits = |p: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    let shaped = matches!(parts.len(), 2 | 3)
        && digits(parts[0], 4..=4)
        && parts[1..].iter().all(|p| digits(p, 1..=2));
    if !shaped {
        return None;
    }
    let mut iso = parts[0].to_string();
    for p in &parts[1..] {
        let _ = write!(iso, "-{p:0>2}");
    }
    is_partial_date(&iso).then_some(iso)
}

/// A TOML basic string, which is also a YAML double-quoted scalar: the
/// two formats share these escapes.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML array of strings on one line.
fn toml_list(items: &[String]) -> String {
    let parts: Vec<String> = items.iter().map(|s| quoted(s)).collect();
    format!("[{}]", parts.join(", "))
}

/// `message` with the places it names in the TOML made from a sheet
/// (`NAME:LINE`, as in "first defined at NAME:LINE") turned into the
/// sheet's lines.
fn sheet_places(
    message: &str,
    name: &str,
    origin: &HashMap<usize, (u64, &str)>,
) -> String {
    let tag = format!("{name}:");
    let mut out = String::new();
    let mut rest = message;
    while let Some(i) = rest.find(&tag) {
        let after = &rest[i + tag.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        out.push_str(&rest[..i + tag.len()]);
        match after[..digits].parse().ok().and_then(|l| origin.get(&l)) {
            Some((line, _)) => write!(out, "{line}").unwrap(),
            None => out.push_str(&after[..digits]),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_escape_bars_and_backslashes() {
        let items = vec!["a|b".to_string(), "c\\d".into(), "e".into()];
        let cell = join(&items);
        assert_eq!(cell, "a\\|b|c\\\\d|e");
        assert_eq!(split(&cell).unwrap(), items);
        assert_eq!(split(" 两重 | 两新 ||").unwrap(), ["两重", "两新"]);
        assert!(split("a\\b").is_err());
    }

    #[test]
    fn sheet_dates() {
        for (cell, iso) in [
            ("2024", "2024"),
            ("2024-03", "2024-03"),
            ("2024-03-05", "2024-03-05"),
            ("2024/3/1", "2024-03-01"),
            ("2024/03/01", "2024-03-01"),
            ("2024/3", "2024-03"),
            ("2017/12/28", "2017-12-28"),
        ] {
            assert_eq!(sheet_date(cell).as_deref(), Some(iso), "{cell}");
        }
        for bad in [
            "Mar-24",
            "12/28/2017",
            "1/3/2024",
            "2024/13",
            "2024/2/30",
            "2024/3/",
            "24/3/1",
            "2024/003/1",
            "2024/3/1/1",
            "2024-3-1",
        ] {
            assert_eq!(sheet_date(bad), None, "{bad}");
        }
    }

    /// A rule without its window takes the TOML default; a window
    /// without near words is an error at its line.
    #[test]
    fn context_window_defaults_as_in_toml() {
        let sheet = "id,category,zh,context_near,context_window\n\
                     a,economy,两重,建设|项目,\n\
                     b,economy,两新,建设,25\n";
        let imported =
            import_csv("s.csv", sheet.as_bytes(), &ImportOptions::default())
                .unwrap();
        assert!(
            imported
                .toml
                .contains("context = { near = [\"建设\", \"项目\"] }\n"),
            "{}",
            imported.toml
        );
        assert!(
            imported
                .toml
                .contains("context = { near = [\"建设\"], window = 25 }\n"),
            "{}",
            imported.toml
        );
        let sheet = "id,category,zh,context_near,context_window\n\
                     a,economy,两重,,30\n";
        let Err(Error::Lexicon(errors)) =
            import_csv("s.csv", sheet.as_bytes(), &ImportOptions::default())
        else {
            panic!("a window without near words was imported");
        };
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 2);
        assert!(errors[0].message.starts_with("column context_near:"));
    }

    #[test]
    fn strings_escape() {
        assert_eq!(quoted("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
        // Escapes both TOML and YAML read: \r, and \u for the other
        // control characters (U+000B, Excel's line break in a cell).
        assert_eq!(quoted("x\r\u{B}y"), "\"x\\r\\u000By\"");
    }
}
