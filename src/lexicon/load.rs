//! Reading lexicon TOML into [`Lexicon`], with every problem reported as a
//! positioned [`Diagnostic`] rather than the first one only.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::{DeserializeOwned, IgnoredAny};
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::{Context, Diagnostic, Lexicon, Severity, Term, TermId};
use crate::error::Error;
use crate::normalize::{fold_form, is_invisible};

/// One lexicon file: its display name and its text.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path as shown in diagnostics.
    pub name: String,
    /// TOML text (a leading byte-order mark is ignored).
    pub text: String,
}

include!(concat!(env!("OUT_DIR"), "/default_lexicon.rs"));

/// The `.toml` files in `folder` and its subfolders, by path, as corpus
/// folders are read: hidden files and folders (`.draft.toml`, the
/// `._economy.toml` a Mac leaves on a shared drive) are not lexicon files.
fn toml_files_in(folder: &Path) -> Result<Vec<PathBuf>, Error> {
    let hidden = |e: &walkdir::DirEntry| {
        e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.')
    };
    let mut found = Vec::new();
    let walk = walkdir::WalkDir::new(folder).sort_by_file_name();
    for entry in walk.into_iter().filter_entry(|e| !hidden(e)) {
        let entry = entry.map_err(|e| {
            let at = e.path().unwrap_or(folder).to_path_buf();
            Error::io(&at, e.into())
        })?;
        let toml = entry
            .path()
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("toml"));
        if toml && !entry.file_type().is_dir() {
            found.push(entry.into_path());
        }
    }
    Ok(found)
}

/// The files of the lexicon embedded in the binary (`lexicons/*.toml`),
/// named `builtin:economy.toml`, after the `BUILTIN` that names them
/// among `--lexicon` paths: beside an on-disk `lexicons/` (the
/// repository's own, or a copy to edit), a message must say which of
/// the two it is about.
pub fn default_sources() -> Vec<Source> {
    DEFAULT_LEXICON
        .iter()
        .map(|(name, text)| Source {
            name: format!("{BUILTIN}:{name}"),
            text: text.to_string(),
        })
        .collect()
}

/// The lexicon embedded in the binary.
pub fn load_default() -> Result<Lexicon, Error> {
    into_result(parse_sources(&default_sources()))
}

/// Loads a `.toml` file, or every `.toml` file in a folder (sorted), with
/// the warnings found while reading it (a form repeated within a term, a
/// second `[lexicon]` table: both ignored), for the caller to show.
pub fn load_path(
    paths: &[impl AsRef<Path>],
) -> Result<(Lexicon, Vec<Diagnostic>), Error> {
    let sources = read_sources(paths)?;
    let (lexicon, mut diags) = parse_sources(&sources);
    in_reading_order(&sources, &mut diags);
    let warnings = diags
        .iter()
        .filter(|d| d.severity != Severity::Error)
        .cloned()
        .collect();
    Ok((into_result((lexicon, diags))?, warnings))
}

/// Sorts diagnostics by file (in the order of `sources`), then line,
/// severity and message: top to bottom, as `lexicon check` and a run
/// with `--lexicon` both print them.
pub(super) fn in_reading_order(sources: &[Source], diags: &mut [Diagnostic]) {
    let rank = |name: &str| sources.iter().position(|s| s.name == name);
    diags.sort_by(|a, b| {
        (rank(&a.file), a.line, a.severity, &a.message).cmp(&(
            rank(&b.file),
            b.line,
            b.severity,
            &b.message,
        ))
    });
}

/// The name that stands for the built-in lexicon among `--lexicon` paths,
/// so that a lexicon of one's own can be added to it (`--lexicon builtin
/// --lexicon mine.toml`); `./builtin` is a file of that name.
pub const BUILTIN: &str = "builtin";

/// Reads lexicon files: `BUILTIN`, each file given, and the `.toml` files (any case)
/// of each folder given and its subfolders, hidden ones left out, in name
/// order; a file reached twice is read once.
/// Invalid UTF-8 is an error naming the line, for every file that has it.
/// A `.csv` file (any case) is refused with the command that imports it:
/// read as TOML, a sheet only gives a puzzling error on its first line.
pub fn read_sources(paths: &[impl AsRef<Path>]) -> Result<Vec<Source>, Error> {
    let mut files = Vec::new();
    let mut builtin = false;
    for path in paths {
        let path = path.as_ref();
        if path == Path::new(BUILTIN) {
            builtin = true;
            continue;
        }
        if !path.is_dir()
            && path.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv"))
        {
            let name = path.display().to_string();
            let arg = if name.contains(char::is_whitespace) {
                format!("\"{name}\"")
            } else {
                name.clone()
            };
            return Err(Error::Usage(format!(
                "{name} is a CSV sheet: turn it into TOML with \
                 `tifa lexicon import {arg} -o lexicon.toml`"
            )));
        }
        if path.is_dir() {
            let found = toml_files_in(path)?;
            if found.is_empty() {
                return Err(Error::Usage(format!(
                    "{}: no .toml files in this folder",
                    path.display()
                )));
            }
            files.extend(found);
        } else {
            files.push(path.to_path_buf());
        }
    }
    let mut seen = HashSet::new();
    files.retain(|p| {
        seen.insert(p.canonicalize().unwrap_or_else(|_| p.clone()))
    });
    let mut sources = if builtin { default_sources() } else { Vec::new() };
    let mut not_utf8 = Vec::new();
    for p in &files {
        let bytes = std::fs::read(p).map_err(|e| Error::io(p, e))?;
        let name = p.display().to_string();
        match String::from_utf8(bytes) {
            Ok(text) => sources.push(Source { name, text }),
            Err(e) => {
                let line = line_of(e.as_bytes(), e.utf8_error().valid_up_to());
                not_utf8.push(Diagnostic::error(
                    &name,
                    line,
                    "invalid UTF-8 (save the lexicon as UTF-8)",
                ));
            }
        }
    }
    if not_utf8.is_empty() {
        Ok(sources)
    } else {
        Err(Error::Lexicon(not_utf8))
    }
}

fn into_result(
    (lexicon, diags): (Option<Lexicon>, Vec<Diagnostic>),
) -> Result<Lexicon, Error> {
    match lexicon {
        Some(lex) => Ok(lex),
        None => Err(Error::Lexicon(
            diags
                .into_iter()
                .filter(|d| d.severity == Severity::Error)
                .collect(),
        )),
    }
}

/// The top level of a file once [`read_file`] has taken out `[lexicon]`
/// and the `[[term]]` list: read only for serde's errors (an unknown key,
/// a `term` that is not a list).
#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a lexicon: an optional [lexicon] table and [[term]] tables"
)]
struct RawFile {
    #[serde(rename = "lexicon")]
    _lexicon: Option<IgnoredAny>,
    #[serde(rename = "term")]
    _term: Option<Vec<IgnoredAny>>,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a [lexicon] table with name, version and description"
)]
struct RawHeader {
    name: Option<Spanned<String>>,
    version: Option<Spanned<String>>,
    description: Option<Spanned<String>>,
}

type Forms = Vec<Spanned<String>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a [[term]] table")]
struct RawTerm {
    id: Spanned<String>,
    label_zh: Option<Spanned<String>>,
    label_en: Option<Spanned<String>>,
    #[serde(default)]
    zh: Forms,
    #[serde(default)]
    en: Forms,
    #[serde(default)]
    zh_expansions: Forms,
    #[serde(default)]
    en_expansions: Forms,
    #[serde(default)]
    official: Forms,
    category: Spanned<String>,
    first_official_use: Option<Spanned<String>>,
    #[serde(default)]
    exclude: Forms,
    context: Option<Spanned<RawContext>>,
    #[serde(default)]
    whole_word: bool,
    #[serde(default)]
    nests: Forms,
    note: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a table like { near = [\"...\"], window = 30 }"
)]
struct RawContext {
    near: Vec<String>,
    #[serde(default = "default_window")]
    window: usize,
}

const HEADER_FIELDS: &[&str] = &["name", "version", "description"];
const TERM_FIELDS: &[&str] = &[
    "id",
    "label_zh",
    "label_en",
    "zh",
    "en",
    "zh_expansions",
    "en_expansions",
    "official",
    "category",
    "first_official_use",
    "exclude",
    "context",
    "whole_word",
    "nests",
    "note",
];

/// The fields of a term that hold forms to match.
pub(crate) const FORM_FIELDS: &[&str] =
    &["zh", "en", "zh_expansions", "en_expansions"];

/// A file read table by table: each `[[term]]` on its own, so that a
/// table serde refuses hides neither the other tables nor the rest of
/// its own, and `lexicon check` shows every problem in one run.
struct ReadFile {
    lexicon: Option<Spanned<RawHeader>>,
    /// Each term read, with the fields left out of it (see [`read_table`]).
    terms: Vec<(Spanned<RawTerm>, Vec<String>)>,
    /// Errors: byte offset and message.
    errors: Vec<(usize, String)>,
}

fn read_file(text: &str) -> ReadFile {
    let mut read =
        ReadFile { lexicon: None, terms: Vec::new(), errors: Vec::new() };
    let root = match DeTable::parse(text) {
        Ok(root) => root,
        Err(e) => {
            read.errors
                .push((e.span().map_or(0, |s| s.start), message(&e, None)));
            return read;
        }
    };
    let span = root.span();
    let mut root = root.into_inner();
    if let Some(header) = root.remove("lexicon") {
        let known = Some(("[lexicon]", HEADER_FIELDS));
        read.lexicon = read_table(header, known, &mut read.errors).0;
    }
    // Any other shape of `term` is left to serde's error below.
    if root.get("term").is_some_and(|t| t.get_ref().is_array())
        && let Some(terms) = root.remove("term")
        && let DeValue::Array(terms) = terms.into_inner()
    {
        for term in terms {
            let known = Some(("[[term]]", TERM_FIELDS));
            let (term, dropped) = read_table(term, known, &mut read.errors);
            read.terms.extend(term.map(|t| (t, dropped)));
        }
    }
    // What is left: unknown top-level keys, a `term` that is not a list.
    let rest = Spanned::new(span, DeValue::Table(root));
    read_table::<RawFile>(rest, None, &mut read.errors);
    // Serde sees keys in name order, not line order.
    read.errors.sort();
    read
}

/// Deserialises one table, pushing its errors (byte offset, message) to
/// `errors`; the table with the fields left out of it. `known` names the
/// table and its fields: each other key is reported with its line (serde
/// stops at the first, and a curator back from a spreadsheet can have
/// misspelt several columns) and left out. A field whose value serde
/// refuses is reported and left out too, and the table read again, so
/// that each of its errors is shown and its other fields can be checked.
/// `None` when the table is no table or a required field is missing.
fn read_table<T: DeserializeOwned>(
    value: Spanned<DeValue<'_>>,
    known: Option<(&str, &[&str])>,
    errors: &mut Vec<(usize, String)>,
) -> (Option<Spanned<T>>, Vec<String>) {
    let span = value.span();
    let mut value = value.into_inner();
    let mut dropped = Vec::new();
    if let (DeValue::Table(table), Some((name, fields))) = (&mut value, known)
    {
        let unknown: Vec<(usize, String)> = table
            .keys()
            .filter(|k| !fields.contains(&k.get_ref().as_ref()))
            .map(|k| (k.span().start, k.get_ref().to_string()))
            .collect();
        for (at, key) in unknown {
            errors.push((
                at,
                format!(
                    "unknown field `{key}` in {name}, expected one of {}",
                    fields.join(", ")
                ),
            ));
            table.remove(key.as_str());
            dropped.push(key);
        }
    }
    loop {
        let whole = Spanned::new(span.clone(), value.clone());
        let e = match Spanned::<T>::deserialize(ValueDeserializer::from(whole))
        {
            Ok(read) => return (Some(read), dropped),
            Err(e) => e,
        };
        // Missing because it was left out: its error is shown already.
        if dropped
            .iter()
            .any(|f| e.message() == format!("missing field `{f}`"))
        {
            return (None, dropped);
        }
        let at = e.span().unwrap_or(span.clone());
        let DeValue::Table(table) = &mut value else {
            errors.push((at.start, message(&e, None)));
            return (None, dropped);
        };
        // The field whose key or value holds the error, if one does.
        let holds = |k: &Spanned<_>, v: &Spanned<DeValue>| {
            k.span().start <= at.start && at.end <= v.span().end
        };
        let found = table.iter().find(|(k, v)| holds(k, v));
        let culprit = found.map(|(k, _)| k.get_ref().to_string());
        // And the key inside it (`context.window`), to name in the message.
        let inner = found.and_then(|(_, v)| match v.get_ref() {
            DeValue::Table(t) => t.iter().find(|(k, v)| holds(k, v)),
            _ => None,
        });
        let field = match (&culprit, inner) {
            (Some(c), Some((k, _))) => Some(format!("{c}.{}", k.get_ref())),
            (c, _) => c.clone(),
        };
        errors.push((at.start, message(&e, field.as_deref())));
        let Some(culprit) = culprit else {
            return (None, dropped);
        };
        table.remove(culprit.as_str());
        dropped.push(culprit);
    }
}

/// A TOML or serde error's message, on one line, naming the `field` it is
/// in when known, in words rather than serde's types. A TOML date where a
/// string belongs (`first_official_use = 2024-03-05`, unquoted) reaches
/// serde as a map: the message says what to write.
fn message(e: &toml::de::Error, field: Option<&str>) -> String {
    let m = e.message().trim().replace('\n', " ");
    if m == "invalid type: map, expected a string" {
        return "a TOML date or table where a string belongs: write a date \
                in quotes (first_official_use = \"2024-03-05\")"
            .into();
    }
    let mut m = m
        .replace("expected a sequence", "expected a list in brackets, [\"…\"]")
        .replace("expected usize", "expected a whole number")
        .replace("expected a boolean", "expected true or false");
    // An unknown, missing or repeated field is named by the message.
    if let Some(field) = field.filter(|_| m.starts_with("invalid")) {
        m = format!("{field}: {m}");
    }
    m
}

fn default_window() -> usize {
    40
}

/// Where a form was written, for "same form twice" diagnostics.
struct Seen {
    term: String,
    /// "form", "expansion" or "exclusion".
    what: String,
    file: usize,
    line: usize,
}

/// A term's id, its file, and its `nests` ids with their lines.
type NestsAt = (String, usize, Vec<(String, usize)>);

/// Where each term and each of its strings was written, so that the lint
/// rules, which see only the loaded [`Lexicon`], can point at lines. By
/// the term's index in the lexicon, not its id: two terms given the same
/// id are each found at their own lines.
#[derive(Debug, Default)]
pub(crate) struct Positions {
    terms: Vec<TermAt>,
}

#[derive(Debug, Default)]
struct TermAt {
    file: String,
    line: usize,
    nests_line: usize,
    /// Each form, expansion, exclusion and official string: its line.
    strings: HashMap<String, usize>,
    /// Fields left out for a value of the wrong type or an unknown name.
    dropped: Vec<String>,
}

impl Positions {
    /// Whether one of `fields` was left out of a term for a value of the
    /// wrong type: a rule that reasons from what the term lacks would
    /// then report a problem that is not there.
    pub(crate) fn lacks(&self, t: TermId, fields: &[&str]) -> bool {
        self.terms
            .get(t)
            .is_some_and(|t| t.dropped.iter().any(|d| fields.contains(&&**d)))
    }

    /// `(file, line)` of a term's `[[term]]` header.
    pub(crate) fn term(&self, t: TermId) -> Option<(&str, usize)> {
        self.terms.get(t).map(|t| (t.file.as_str(), t.line))
    }

    /// `(file, line)` of one of a term's strings, else of the term.
    pub(crate) fn string(&self, t: TermId, s: &str) -> Option<(&str, usize)> {
        let t = self.terms.get(t)?;
        Some((t.file.as_str(), t.strings.get(s).copied().unwrap_or(t.line)))
    }

    /// `(file, line)` of a term's `nests` list, else of the term.
    pub(crate) fn nests(&self, t: TermId) -> Option<(&str, usize)> {
        let t = self.terms.get(t)?;
        let line = if t.nests_line > 0 { t.nests_line } else { t.line };
        Some((t.file.as_str(), line))
    }
}

/// Parses and validates lexicon sources. Returns the lexicon when there is
/// no error, and every diagnostic found (errors and warnings) either way.
pub fn parse_sources(
    sources: &[Source],
) -> (Option<Lexicon>, Vec<Diagnostic>) {
    let (lexicon, diags, _) = parse_with_positions(sources);
    usable(lexicon, diags)
}

/// The lexicon, unless a diagnostic is an error; the diagnostics either way.
pub(crate) fn usable(
    lexicon: Lexicon,
    diags: Vec<Diagnostic>,
) -> (Option<Lexicon>, Vec<Diagnostic>) {
    let failed = diags.iter().any(|d| d.severity == Severity::Error);
    (if failed { None } else { Some(lexicon) }, diags)
}

/// [`parse_sources`], and where each term and string was written. The
/// lexicon is returned even with errors, holding the terms as read, so
/// that `lexicon check` can lint it and show every problem in one run: a
/// term with a field of the wrong type is held without that field (see
/// [`Positions::lacks`]), one without an `id` or `category` is left out.
pub(crate) fn parse_with_positions(
    sources: &[Source],
) -> (Lexicon, Vec<Diagnostic>, Positions) {
    let mut positions = Positions::default();
    // Each term's `nests` ids with their lines, checked once all ids are known.
    let mut nests_at: Vec<NestsAt> = Vec::new();
    let mut diags = Vec::new();
    // The first `[lexicon]` table, and its file.
    let mut header: Option<(String, RawHeader)> = None;
    let mut terms: Vec<Term> = Vec::new();
    let mut ids: HashMap<String, (usize, usize)> = HashMap::new();
    let mut forms: HashMap<String, Seen> = HashMap::new();

    for (file, source) in sources.iter().enumerate() {
        let text =
            source.text.strip_prefix('\u{feff}').unwrap_or(&source.text);
        let lines = LineIndex::new(text.as_bytes());
        let at = |offset: usize| lines.line(offset);
        let raw = read_file(text);
        for (offset, msg) in &raw.errors {
            diags.push(Diagnostic::error(&source.name, at(*offset), msg));
        }
        if let Some(h) = &raw.lexicon {
            let h = h.get_ref();
            for (field, value) in [
                ("name", &h.name),
                ("version", &h.version),
                ("description", &h.description),
            ] {
                let Some(value) = value else { continue };
                let problem =
                    text_problem(value.get_ref(), field == "description");
                if let Some(problem) = problem {
                    diags.push(Diagnostic::error(
                        &source.name,
                        at(value.span().start),
                        &format!("[lexicon] {field} {problem}"),
                    ));
                }
            }
        }
        match (&header, raw.lexicon) {
            (None, Some(h)) => {
                header = Some((source.name.clone(), h.into_inner()))
            }
            (Some((first, _)), Some(h)) => diags.push(Diagnostic::warning(
                &source.name,
                at(h.span().start),
                &format!("[lexicon] given again: the one in {first} is used"),
            )),
            (_, None) => {}
        }
        for (spanned, dropped) in raw.terms {
            let term_line = at(spanned.span().start);
            let raw = spanned.into_inner();
            let mut err = |line: usize, msg: String| {
                diags.push(Diagnostic::error(&source.name, line, &msg))
            };
            let id = raw.id.get_ref().clone();
            let id_line = at(raw.id.span().start);
            if !is_slug(&id) {
                err(
                    id_line,
                    format!(
                        "term id {id:?} must be a slug of a-z, 0-9 and '-'"
                    ),
                );
            }
            // The first definition stays the one named: a third is a
            // duplicate of the first too.
            if let Some(&(f, l)) = ids.get(&id) {
                err(
                    id_line,
                    format!(
                        "duplicate term id {id:?} (first defined at {}:{l})",
                        sources[f].name
                    ),
                );
            } else {
                ids.insert(id.clone(), (file, id_line));
            }
            // Shown in tables, charts and reports: a control character
            // (U+000B is Excel's and Word's line break in a cell) would
            // make an SVG chart or an HTML page invalid.
            let texts = [
                ("label_zh", raw.label_zh.as_ref()),
                ("label_en", raw.label_en.as_ref()),
                ("category", Some(&raw.category)),
                ("note", raw.note.as_ref()),
            ];
            for (field, value) in texts {
                let Some(value) = value else { continue };
                if let Some(problem) =
                    text_problem(value.get_ref(), field == "note")
                {
                    err(
                        at(value.span().start),
                        format!("term {id:?}: {field} {problem}"),
                    );
                }
            }
            let category = raw.category.get_ref().trim().to_string();
            if category.is_empty() {
                err(
                    at(raw.category.span().start),
                    format!("term {id:?}: empty category"),
                );
            }
            if let Some(date) = &raw.first_official_use
                && !is_partial_date(date.get_ref())
            {
                err(
                    at(date.span().start),
                    format!(
                        "term {id:?}: first_official_use {:?} is not YYYY, \
                     YYYY-MM or YYYY-MM-DD",
                        date.get_ref()
                    ),
                );
            }

            // Each form of the term as folded: where, and as written.
            let mut own: HashMap<String, (usize, String)> = HashMap::new();
            let mut strings: HashMap<String, usize> = HashMap::new();
            let mut clean = |list: Forms, what: &str| -> Vec<String> {
                let mut out = Vec::new();
                for form in list {
                    let line = at(form.span().start);
                    let value = form.into_inner();
                    strings.entry(value.clone()).or_insert(line);
                    if let Some(problem) = form_problem(&value) {
                        diags.push(Diagnostic::error(
                            &source.name,
                            line,
                            &format!(
                                "term {id:?}: {what} {value:?} {problem}"
                            ),
                        ));
                        continue;
                    }
                    if what == "official" {
                        out.push(value);
                        continue;
                    }
                    let key = fold_form(&value);
                    if let Some((first, written)) = own.get(&key) {
                        let how = match *written == value {
                            true => format!("is listed twice (line {first})"),
                            false => format!(
                                "matches as {written:?} does (line {first}): \
                                 case, full-width forms and the kind of quote \
                                 marks do not matter"
                            ),
                        };
                        diags.push(Diagnostic::warning(
                            &source.name,
                            line,
                            &format!(
                                "term {id:?}: {what} {value:?} {how}; ignored"
                            ),
                        ));
                        continue;
                    }
                    own.insert(key.clone(), (line, value.clone()));
                    match forms.get(&key) {
                        Some(seen) if seen.term != id => {
                            let article =
                                if seen.what == "form" { "a" } else { "an" };
                            let hint = if what == "exclusion"
                                && seen.what == "exclusion"
                            {
                                "; an exclusion hides the forms inside it \
                                 whatever their term: list it once"
                            } else {
                                ""
                            };
                            diags.push(Diagnostic::error(
                                &source.name,
                                line,
                                &format!(
                                    "term {id:?}: {what} {value:?} is already \
                                     {article} {} of term {:?} ({}:{}){hint}",
                                    seen.what,
                                    seen.term,
                                    sources[seen.file].name,
                                    seen.line
                                ),
                            ));
                        }
                        _ => {
                            forms.insert(
                                key,
                                Seen {
                                    term: id.clone(),
                                    what: what.to_string(),
                                    file,
                                    line,
                                },
                            );
                        }
                    }
                    out.push(value);
                }
                out
            };
            let zh = clean(raw.zh, "form");
            let en = clean(raw.en, "form");
            let zh_expansions = clean(raw.zh_expansions, "expansion");
            let en_expansions = clean(raw.en_expansions, "expansion");
            let exclude = clean(raw.exclude, "exclusion");
            let official_at: HashMap<String, usize> = raw
                .official
                .iter()
                .map(|o| (o.get_ref().clone(), at(o.span().start)))
                .collect();
            let official = clean(raw.official, "official");
            let nests_line =
                raw.nests.first().map_or(0, |n| at(n.span().start));
            let nests: Vec<(String, usize)> = raw
                .nests
                .into_iter()
                .map(|n| (at(n.span().start), n.into_inner()))
                .map(|(line, n)| (n.trim().to_string(), line))
                .collect();
            // Pushed beside the term, which follows below: the two lists
            // stay parallel, and are sorted together.
            positions.terms.push(TermAt {
                file: source.name.clone(),
                line: term_line,
                nests_line,
                strings,
                dropped: dropped.clone(),
            });
            nests_at.push((id.clone(), file, nests.clone()));

            let lacks = |fields: &[&str]| {
                dropped.iter().any(|d| fields.contains(&&**d))
            };
            if zh.is_empty()
                && en.is_empty()
                && zh_expansions.is_empty()
                && en_expansions.is_empty()
                && !lacks(FORM_FIELDS)
            {
                diags.push(Diagnostic::error(
                    &source.name,
                    term_line,
                    &format!("term {id:?} has no form to match"),
                ));
            }
            for o in &official {
                let listed = en
                    .iter()
                    .chain(&en_expansions)
                    .any(|f| f.eq_ignore_ascii_case(o));
                if !listed && !lacks(&["en", "en_expansions"]) {
                    diags.push(Diagnostic::error(
                        &source.name,
                        official_at.get(o).copied().unwrap_or(term_line),
                        &format!(
                            "term {id:?}: official rendering {o:?} is not one \
                             of its English forms or expansions"
                        ),
                    ));
                }
            }
            let context = raw.context.and_then(|c| {
                let line = at(c.span().start);
                let c = c.into_inner();
                let near = c.near;
                let mut problems: Vec<String> = (near.iter())
                    .filter_map(|word| {
                        let problem = form_problem(word)?;
                        Some(format!("near word {word:?} {problem}"))
                    })
                    .collect();
                if near.is_empty() {
                    problems
                        .push("context needs at least one `near` word".into());
                }
                if c.window == 0 {
                    problems.push(
                        "context window is 0: it counts characters on each \
                         side of a match, 1 or more"
                            .into(),
                    );
                }
                for problem in &problems {
                    diags.push(Diagnostic::error(
                        &source.name,
                        line,
                        &format!("term {id:?}: {problem}"),
                    ));
                }
                problems
                    .is_empty()
                    .then_some(Context { near, window: c.window })
            });
            let label_zh = raw
                .label_zh
                .map(Spanned::into_inner)
                .or_else(|| zh.first().or(zh_expansions.first()).cloned())
                .unwrap_or_default();
            let label_en = raw
                .label_en
                .map(Spanned::into_inner)
                .or_else(|| {
                    official
                        .first()
                        .or(en.first())
                        .or(en_expansions.first())
                        .cloned()
                })
                .unwrap_or_default();
            terms.push(Term {
                id,
                label_zh,
                label_en,
                zh,
                en,
                zh_expansions,
                en_expansions,
                official,
                category,
                first_official_use: raw
                    .first_official_use
                    .map(|d| d.into_inner()),
                exclude,
                context,
                whole_word: raw.whole_word,
                nests: nests.into_iter().map(|(n, _)| n).collect(),
                note: raw
                    .note
                    .map_or(String::new(), |n| n.get_ref().trim().to_string()),
            });
        }
    }
    if terms.is_empty() && !diags.iter().any(|d| d.severity == Severity::Error)
    {
        let name = sources.first().map_or("lexicon", |s| s.name.as_str());
        diags.push(Diagnostic::error(name, 1, "the lexicon has no [[term]]"));
    }
    for (id, file, nests) in &nests_at {
        let mut seen = Vec::new();
        for (n, line) in nests {
            let problem = if n == id {
                "nests itself"
            } else if !ids.contains_key(n) {
                "nests an unknown term id"
            } else if seen.contains(&n) {
                "lists a nested term twice"
            } else {
                seen.push(n);
                continue;
            };
            diags.push(Diagnostic::error(
                &sources[*file].name,
                *line,
                &format!("term {id:?} {problem}: {n:?}"),
            ));
        }
    }
    debug_assert_eq!(terms.len(), positions.terms.len());
    // Stable: terms of the same id stay in the order written.
    let mut placed: Vec<(Term, TermAt)> =
        terms.into_iter().zip(positions.terms).collect();
    placed.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    let (terms, at): (Vec<Term>, Vec<TermAt>) = placed.into_iter().unzip();
    positions.terms = at;
    let header = header.map_or(
        RawHeader { name: None, version: None, description: None },
        |(_, h)| h,
    );
    let default_name = sources
        .first()
        .and_then(|s| Path::new(&s.name).file_stem())
        .map_or("lexicon".to_string(), |s| s.to_string_lossy().into_owned());
    let lexicon = Lexicon {
        name: header.name.map_or(default_name, Spanned::into_inner),
        version: header.version.map(Spanned::into_inner).unwrap_or_default(),
        description: header
            .description
            .map(Spanned::into_inner)
            .unwrap_or_default(),
        terms,
    };
    (lexicon, diags, positions)
}

/// Why a form cannot be matched, if it cannot.
fn form_problem(form: &str) -> Option<&'static str> {
    if form.trim().is_empty() {
        Some("is empty")
    } else if form.trim() != form {
        Some("starts or ends with white space")
    } else if form.starts_with('\u{feff}') {
        Some("starts with a byte-order mark")
    } else if form.chars().any(|c| c.is_control()) {
        Some("contains a control character or line break")
    } else if form.chars().count() > MAX_FORM_CHARS {
        Some(
            "is over 1,000 characters long: no formulation is, and a long \
             repetitive string makes the automaton slow to build",
        )
    } else if form.chars().any(is_invisible) {
        Some(
            "contains an invisible character (zero-width, soft hyphen or \
             direction mark, as pasted from the web): it would match only \
             text that holds the same one",
        )
    } else {
        None
    }
}

/// Why a label, category, note or `[lexicon]` field cannot be shown as
/// written, if it cannot: a control character, which no CSV reader
/// needs, an XML file (the SVG charts, `index.html`) cannot hold, and a
/// terminal may obey. Text that may run over lines (a note, the
/// description) keeps tabs and line breaks.
fn text_problem(text: &str, lines: bool) -> Option<String> {
    let c = text.chars().find(|&c| {
        c.is_control() && !(lines && matches!(c, '\t' | '\n' | '\r'))
    })?;
    let hint = match c {
        '\u{0B}' => " (a line break in an Excel or Word cell)",
        '\n' | '\r' => " (a line break)",
        _ => "",
    };
    Some(format!(
        "{text:?} contains the control character U+{:04X}{hint}: write a \
         space or nothing",
        c as u32
    ))
}

/// The longest form accepted. The longest in the built-in lexicon has
/// 114 characters; a form of 10,000 characters repeating `两新` took the
/// automaton's builder a minute.
const MAX_FORM_CHARS: usize = 1_000;

fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` with a valid month and day.
pub(crate) fn is_partial_date(s: &str) -> bool {
    let shape_ok = s.bytes().enumerate().all(|(i, b)| {
        if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() }
    });
    let full = match s.len() {
        4 => format!("{s}-01-01"),
        7 => format!("{s}-01"),
        10 => s.to_string(),
        _ => return false,
    };
    shape_ok && chrono::NaiveDate::parse_from_str(&full, "%Y-%m-%d").is_ok()
}

/// 1-based line of a byte offset.
pub(crate) fn line_of(text: &[u8], offset: usize) -> usize {
    1 + memchr::memchr_iter(b'\n', &text[..offset.min(text.len())]).count()
}

/// 1-based lines of byte offsets by binary search over the line ends:
/// counting from the start for every string made a lexicon of 100,000
/// terms take minutes.
struct LineIndex(Vec<usize>);

impl LineIndex {
    fn new(text: &[u8]) -> LineIndex {
        LineIndex(memchr::memchr_iter(b'\n', text).collect())
    }

    fn line(&self, offset: usize) -> usize {
        1 + self.0.partition_point(|&end| end < offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Option<Lexicon>, Vec<Diagnostic>) {
        parse_sources(&[Source { name: "t.toml".into(), text: text.into() }])
    }

    fn errors(text: &str) -> Vec<String> {
        parse(text)
            .1
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.to_string())
            .collect()
    }

    #[test]
    fn every_unknown_field_is_reported_with_its_line() {
        let text = "[lexicon]\nnam = \"x\"\n\n[[term]]\nid = \"a\"\n\
                    zh = [\"新质生产力\"]\ncategory = \"economy\"\n\
                    first_used = \"2023\"\nnotes = \"x\"\n";
        let errors = errors(text);
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(
            errors[0].starts_with(
                "t.toml:2: error: unknown field `nam` in [lexicon]"
            )
        );
        assert!(errors[1].starts_with(
            "t.toml:8: error: unknown field `first_used` in [[term]]"
        ));
        assert!(errors[2].starts_with(
            "t.toml:9: error: unknown field `notes` in [[term]]"
        ));
    }

    /// The field lists of the unknown-field errors are serde's: every
    /// name serde lists as expected, and no other.
    #[test]
    fn field_lists_match_the_raw_tables() {
        fn expected<T: DeserializeOwned>(text: &str) -> Vec<String> {
            let e = toml::from_str::<T>(text).err().unwrap();
            let list = e.message().split("expected one of ").nth(1).unwrap();
            list.split(", ")
                .map(|f| f.trim().trim_matches('`').to_string())
                .collect()
        }
        let header = expected::<RawHeader>("x = 1\n");
        assert_eq!(header, HEADER_FIELDS);
        let term = expected::<RawTerm>("x = 1\n");
        assert_eq!(term, TERM_FIELDS);
    }

    /// A near word is checked as a form is: one with a control character
    /// could never be found.
    #[test]
    fn near_words_are_checked_as_forms() {
        let text = "[[term]]\nid = \"a\"\nzh = [\"白名单\"]\ncategory = \"x\"\n\
                    context = { near = [\"房地\\u000B产\", \"项目\"] }\n";
        let errors = errors(text);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("t.toml:5: error: term \"a\": near word \"房地\\u{b}产\" contains a control character"),
            "{errors:?}"
        );
    }

    /// A table serde refuses hides nothing: each of its fields of the
    /// wrong type is named on its line, its other fields are checked, and
    /// so are the other tables. A rule that reasons from a missing form
    /// stays quiet while `zh` is of the wrong type.
    #[test]
    fn every_type_error_is_shown_beside_the_other_problems() {
        let text = "[[term]]\nid = \"B\"\nzh = \"两重\"\ncategory = \"x\"\n\
                    whole_word = \"yes\"\nfirst_official_use = \"May\"\n\
                    [[term]]\nid = \"c\"\nzh = [\" \"]\ncategory = \"x\"\n";
        let errors = errors(text);
        let want = [
            "t.toml:3: error: zh: invalid type: string \"两重\", expected a list in brackets, [\"…\"]",
            "t.toml:5: error: whole_word: invalid type: string \"yes\", expected true or false",
            "t.toml:2: error: term id \"B\" must be a slug",
            "t.toml:6: error: term \"B\": first_official_use \"May\"",
            "t.toml:9: error: term \"c\": form \" \" is empty",
            "t.toml:7: error: term \"c\" has no form to match",
        ];
        assert_eq!(errors.len(), want.len(), "{errors:#?}");
        for (got, want) in errors.iter().zip(want) {
            assert!(got.starts_with(want), "{got:?} is not {want:?}");
        }
    }

    /// A date written as a TOML date, unquoted, is told how to be written.
    #[test]
    fn an_unquoted_date_is_told_to_be_quoted() {
        let e = errors(
            "[[term]]\nid = \"a\"\nzh = [\"两重\"]\ncategory = \"x\"\n\
             first_official_use = 2024-03-05\n",
        );
        assert_eq!(
            e,
            [
                "t.toml:5: error: a TOML date or table where a string belongs: write a date in quotes (first_official_use = \"2024-03-05\")"
            ]
        );
    }

    /// A required field of the wrong type is named once, not again as
    /// missing; a field really missing is named as missing.
    #[test]
    fn a_required_field_of_the_wrong_type_is_not_also_missing() {
        let e =
            errors("[[term]]\nid = \"a\"\nzh = [\"两重\"]\ncategory = 3\n");
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].starts_with("t.toml:4: error: category: invalid type"),
            "{e:?}"
        );
        let e = errors("[[term]]\nid = \"a\"\nzh = [\"两重\"]\n");
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].contains("missing field `category`"), "{e:?}");
    }

    /// Keys outside `[lexicon]` and `[[term]]` are serde's to name, and
    /// the terms are still read.
    #[test]
    fn an_unknown_top_level_key_hides_no_term() {
        let e = errors(
            "terms = 1\n[[term]]\nid = \"A\"\nzh = [\"两重\"]\ncategory = \"x\"\n",
        );
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(
            e[0].starts_with("t.toml:1: error: unknown field `terms`, expected `lexicon` or `term`"),
            "{e:?}"
        );
        assert!(e[1].starts_with("t.toml:3: error: term id \"A\""), "{e:?}");
        let e = errors("term = 3\n");
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].starts_with("t.toml:1: error: term: invalid type"),
            "{e:?}"
        );
    }

    /// A misspelt key of `context` is not among the tables read loosely:
    /// serde's error stands.
    #[test]
    fn an_unknown_context_key_keeps_serdes_error() {
        let text = "[[term]]\nid = \"a\"\nzh = [\"白名单\"]\n\
                    category = \"x\"\ncontext = { near = [\"房地产\"], windw = 3 }\n";
        let errors = errors(text);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("unknown field `windw`"), "{errors:?}");
    }

    #[test]
    fn dates() {
        for ok in ["2024", "2024-03", "2024-02-29", "2000-02-29"] {
            assert!(is_partial_date(ok), "{ok}");
        }
        for bad in
            ["24", "2024-13", "2023-02-29", "1900-02-29", "2024/03", "March"]
        {
            assert!(!is_partial_date(bad), "{bad}");
        }
    }

    #[test]
    fn minimal_term() {
        let (lex, diags) = parse(
            "[[term]]\nid = \"a\"\nzh = [\"两重\"]\ncategory = \"economy\"\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        let lex = lex.unwrap();
        assert_eq!(lex.name, "t");
        assert_eq!(lex.terms[0].label_zh, "两重");
    }

    #[test]
    fn positioned_errors() {
        let e = errors(
            "[[term]]\nid = \"a\"\nzh = [\"两重\", \" \"]\ncategory = \"x\"\n\
             [[term]]\nid = \"b\"\ncategory = \"x\"\nzh = [\n  \"两重\",\n]\n",
        );
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e[0].starts_with("t.toml:3: error:"), "{}", e[0]);
        assert!(e[1].starts_with("t.toml:9: error:"), "{}", e[1]);
        assert!(e[1].contains("already a form of term \"a\" (t.toml:3)"));
    }

    /// A string given twice is named as what it was first.
    #[test]
    fn the_same_exclusion_in_two_terms_is_named_an_exclusion() {
        let e = errors(
            "[[term]]\nid = \"a\"\nzh = [\"白名单\"]\nexclude = [\"黑白名单\"]\ncategory = \"c\"\n\
             [[term]]\nid = \"b\"\nzh = [\"黑名单\"]\nexclude = [\"黑白名单\"]\ncategory = \"c\"\n",
        );
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].contains("exclusion \"黑白名单\" is already an exclusion of term \"a\" (t.toml:4); an exclusion hides"),
            "{e:?}"
        );
    }

    #[test]
    fn unknown_field_and_bad_toml() {
        let e = errors(
            "[[term]]\nid = \"a\"\nzh = [\"x\"]\ncategory = \"c\"\nsynonyms = []\n",
        );
        assert!(
            e[0].starts_with("t.toml:5: error:") && e[0].contains("synonyms"),
            "{e:?}"
        );
        let e = errors("[[term]]\nid = \"a\nzh = []\n");
        assert!(e[0].starts_with("t.toml:2: error:"), "{e:?}");
    }

    #[test]
    fn english_duplicates_ignore_case_and_width() {
        let e = errors(
            "[[term]]\nid = \"a\"\nen = [\"AI+\"]\ncategory = \"c\"\n\
             [[term]]\nid = \"b\"\nen = [\"ai＋\"]\ncategory = \"c\"\n",
        );
        assert_eq!(e.len(), 1, "{e:?}");
    }

    #[test]
    fn empty_lexicon_is_an_error() {
        assert_eq!(errors("[lexicon]\nname = \"x\"\n").len(), 1);
    }
}
