//! JSONL and CSV corpora: one document per record. A broken record is a
//! warning naming its line and is skipped; the others are read.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::collections::hash_map::{DefaultHasher, Entry};
use std::hash::{Hash, Hasher};
use std::io::Read;
use std::ops::Range;

use compact_str::CompactString;
use rustc_hash::FxHashMap;

use super::dates::{document_date, is_iso_day};
use super::{Document, Fields, FileDocs, STDIN_NAME};
use crate::output::thousands;

/// A record's fields in the order read (of two fields with the same name,
/// the later wins): name, value as text, and whether the value was a string
/// (a JSON number, boolean, array or object is kept as its JSON text, null
/// as nothing). Names are borrowed from the JSON line or the CSV header
/// where they can be: most are only compared, never kept. So are the
/// values (but a JSON string with escapes): an id, a date, a title or a
/// source is copied once, into the document, where it takes no
/// allocation of its own when it is short (at most 24 bytes).
type Record<'a> = Vec<(Cow<'a, str>, Cow<'a, str>, bool)>;

/// The bytes of the text each document was read from. The readers push
/// their documents straight onto [`FileDocs::docs`], where they stay, and
/// return these beside them: passed on through lists of their own, the
/// documents (176 bytes each) were copied twice more, and `memmove` took
/// 5.1% of a run over Xinwen Lianbo, against 3.5% now.
pub(super) type Spans = Vec<Range<usize>>;

/// What a file's records showed so far: the line of the first record with
/// each id (by a 64-bit hash of it), to report a record whose id field
/// repeats an earlier one's, and whether a misnamed field was said. The
/// two documents would share one label in `--by doc` rows and in the `doc`
/// column of `kwic` and `scan`, and a count could not be traced back to
/// one of them. The hash is SipHash, a fingerprint that two ids do not
/// share by chance; the map of those hashes hashes them again with a
/// multiply (`FxHashMap`). It holds the first [`IDS_KEPT`] ids of a file:
/// later ones are checked against those, and not kept.
#[derive(Debug, Default)]
pub(super) struct FileRecords {
    lines: FxHashMap<u64, usize>,
    /// Whether the numbers of `lines` are of records of a JSON array
    /// (`FILE#N`), not of lines.
    records: bool,
    /// Whether an id was not kept, which a warning said.
    full: bool,
    /// Whether a field named as one of [`Fields`] is but for case or
    /// spaces was said.
    misnamed: bool,
}

/// Ids of a file kept to check later ones against: as many as a map of
/// 2^20 slots holds (17 MB). Kept without a bound, 3,000,000 short records
/// in one file took 155 MB with `count`, 52 MB without an id field.
pub(super) const IDS_KEPT: usize = 900_000;

impl FileRecords {
    /// Whether `id` was given to an earlier record of the file, which is
    /// then said.
    fn repeated(
        &mut self,
        name: &str,
        place: Place,
        id: &str,
        out: &mut FileDocs,
    ) -> bool {
        let mut hasher = DefaultHasher::new();
        id.hash(&mut hasher);
        let len = self.lines.len();
        self.records = matches!(place, Place::Record(_));
        match self.lines.entry(hasher.finish()) {
            Entry::Vacant(first) if len < IDS_KEPT => {
                first.insert(place.number());
                false
            }
            Entry::Vacant(_) => {
                if !std::mem::replace(&mut self.full, true) {
                    out.warn(
                        place.at(name),
                        format!(
                            "ids from this record on are checked against the \
                             file's first {} only, so that memory does not \
                             grow with the file; split it to check them all",
                            thousands(IDS_KEPT as u64)
                        ),
                        false,
                    );
                }
                false
            }
            Entry::Occupied(first) => {
                out.warn(
                    format!(
                        "{} (id {id:?}, as {})",
                        place.at(name),
                        place.with_number(*first.get()).earlier()
                    ),
                    "id given to an earlier record too: both are read, and \
                     the later one is named by its place (FILE#N), as a \
                     record without an id is"
                        .into(),
                    false,
                );
                true
            }
        }
    }

    /// The ids kept, by place, to find those that other files' records
    /// were given too ([`super::IdRegister`]).
    pub(super) fn into_ids(self) -> super::FileIds {
        let mut ids: Vec<(u64, u32)> = (self.lines.into_iter())
            .map(|(hash, n)| (hash, n.try_into().unwrap_or(u32::MAX)))
            .collect();
        ids.sort_unstable_by_key(|&(_, n)| n);
        super::FileIds { ids, records: self.records }
    }

    /// Says, once a file, that `key` is named as one of `fields` is but
    /// for case or spaces around it (`Date`, ` date `): fields are matched
    /// exactly, and that field would be read as other metadata, its
    /// documents undated (or untitled, ...) without a word.
    fn misnamed(
        &mut self,
        name: &str,
        place: Place,
        key: &str,
        fields: &Fields,
        out: &mut FileDocs,
    ) {
        if self.misnamed {
            return;
        }
        let Some(option) = fields.named_like(key) else { return };
        self.misnamed = true;
        let value = crate::output::shell_word(key);
        out.warn(
            place.at(name),
            format!(
                "field {key:?} is not read as the {option}: field names are \
                 matched exactly; --{option}-field {value} reads it"
            ),
            false,
        );
    }
}

/// Where a record is in its file: the line of a JSONL or CSV record, or
/// the position (from 1) of a record of a JSON array, which may hold all
/// its records on one line.
#[derive(Debug, Clone, Copy)]
pub(super) enum Place {
    Line(usize),
    Record(usize),
}

impl Place {
    fn number(self) -> usize {
        match self {
            Place::Line(n) | Place::Record(n) => n,
        }
    }

    fn with_number(self, n: usize) -> Place {
        match self {
            Place::Line(_) => Place::Line(n),
            Place::Record(_) => Place::Record(n),
        }
    }

    /// A warning's location: `FILE:LINE`, or `FILE#N` as the N-th
    /// record's default id is.
    pub(super) fn at(self, name: &str) -> String {
        match self {
            Place::Line(n) => format!("{name}:{n}"),
            Place::Record(n) => format!("{name}#{n}"),
        }
    }

    /// Where an earlier record was, for a warning about a later one.
    pub(super) fn earlier(self) -> String {
        match self {
            Place::Line(n) => format!("on line {n}"),
            Place::Record(n) => format!("record {n}"),
        }
    }
}

/// Whether `id` is `FILE#N` for another place N of this file: the name of
/// the record there if it has no id, which is then said. (Two documents
/// of one file with one label are two rows of `--by doc` that `diff`
/// cannot tell apart.)
fn names_another_place(
    name: &str,
    place: Place,
    id: &str,
    out: &mut FileDocs,
) -> bool {
    let n = id.strip_prefix(name).and_then(|n| n.strip_prefix('#'));
    let Some(n) = n.and_then(|n| n.parse::<usize>().ok()) else {
        return false;
    };
    if n == place.number() {
        return false;
    }
    out.warn(
        place.at(name),
        format!(
            "id {id:?} is the name of the record {} when it has no id: this \
             one is named by its own place, {}",
            place.with_number(n).earlier(),
            default_id(name, place)
        ),
        false,
    );
    true
}

/// The name of a record without an id: `FILE#N`, N its line (or its
/// position in a JSON array).
fn default_id(name: &str, place: Place) -> String {
    format!("{name}#{}", place.number())
}

/// A JSON array of objects, one record each, as scrapers write them: the
/// same fields as JSONL, each record named by its position (`FILE#N`).
/// The whole file is in `text` (bounded by `--max-doc-bytes`); the records
/// are parsed one by one from slices of it. Anything but an array is
/// skipped with how to convert it; after invalid JSON, the records before
/// are kept and the rest of the file skipped.
pub(super) fn json_array(
    name: &str,
    text: &str,
    fields: &Fields,
    seen: &mut FileRecords,
    out: &mut FileDocs,
) -> Spans {
    let body = text.trim_start_matches(|c: char| c.is_whitespace());
    if body.is_empty() {
        return Vec::new(); // Reported as an empty file.
    }
    if !body.starts_with('[') {
        let what = if body.starts_with('{') {
            "a JSON object"
        } else {
            "not a JSON array"
        };
        // `o.json` becomes `o.jsonl`; a name that is no `.json` (read with
        // --input-format json, or standard input) is not built on.
        let (from, to) = match name.strip_suffix(".json") {
            Some(stem) => (format!(" {name}"), format!("{stem}.jsonl")),
            None if name == STDIN_NAME => {
                (String::new(), "records.jsonl".into())
            }
            None => (format!(" {name}"), "records.jsonl".into()),
        };
        out.warn(
            name.to_string(),
            format!(
                "{what}, not an array of records; skipped: convert it to JSON Lines, one record a line (jq -c '.[]'{from} > {to}, with the path to the records in place of .[])"
            ),
            true,
        );
        return Vec::new();
    }
    let mut raws: Vec<&serde_json::value::RawValue> = Vec::new();
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = serde::de::DeserializeSeed::deserialize(
        raw_array::Elements(&mut raws),
        &mut de,
    )
    .and_then(|()| de.end());
    let mut spans = Vec::with_capacity(raws.len());
    for (i, raw) in raws.iter().enumerate() {
        let place = Place::Record(i + 1);
        let json = raw.get();
        let start = json.as_ptr() as usize - text.as_ptr() as usize;
        let (mut patched, mut replaced) = (String::new(), 0);
        let at = || place.at(name);
        let parsed = parse_record(json, &mut patched, &mut replaced, &at, out);
        let record: Record = match parsed {
            Ok(json::Line::Object(record)) => record,
            _ => {
                out.warn(
                    place.at(name),
                    "not a JSON object; record skipped".into(),
                    true,
                );
                continue;
            }
        };
        if to_document(name, place, record, fields, seen, out) {
            spans.push(start..start + json.len());
            out.docs.last_mut().expect("pushed").replacements = replaced;
        }
    }
    if let Err(e) = parsed {
        let line = text.lines().nth(e.line().saturating_sub(1)).unwrap_or("");
        let kept = match raws.len() {
            0 => String::new(),
            n => format!(
                " after {}",
                crate::output::quantity(n as u64, "record", "records")
            ),
        };
        out.warn(
            format!("{name}:{}", e.line()),
            format!(
                "invalid JSON{kept}: {}; the rest of the file skipped",
                json_error(&e, line)
            ),
            true,
        );
    }
    spans
}

/// Parses a record, with a lone surrogate escape (`\ud83d`, half of an
/// emoji cut off by a scraper) read as U+FFFD and a warning at `at`, as an
/// invalid byte is: not a reason to lose the article, and counted among
/// the record's replacements, `*replaced`. serde_json refuses the line;
/// `patched` holds it rewritten, for the record to borrow from.
fn parse_record<'a>(
    json: &'a str,
    patched: &'a mut String,
    replaced: &mut usize,
    at: &dyn Fn() -> String,
    out: &mut FileDocs,
) -> serde_json::Result<json::Line<'a>> {
    *replaced = 0;
    let parsed = json::parse(json);
    let Some((fixed, n)) = parsed
        .is_err()
        .then(|| json::lone_surrogates_replaced(json))
        .flatten()
    else {
        return parsed;
    };
    *patched = fixed;
    let reparsed = json::parse(patched);
    if reparsed.is_err() {
        return parsed;
    }
    *replaced = n;
    let escapes = crate::output::quantity(
        n as u64,
        "lone surrogate escape",
        "lone surrogate escapes",
    );
    out.warn(
        at(),
        format!("{escapes} (\\uD800 to \\uDFFF without its other half) read as U+FFFD"),
        false,
    );
    reparsed
}

/// Reading the elements of a JSON array as slices of the text.
mod raw_array {
    use std::fmt;

    use serde::de::{self, DeserializeSeed, SeqAccess, Visitor};
    use serde_json::value::RawValue;

    /// Appends each element of an array to the vector, so that those
    /// before an error are kept.
    pub struct Elements<'v, 'de>(pub &'v mut Vec<&'de RawValue>);

    impl<'de> DeserializeSeed<'de> for Elements<'_, 'de> {
        type Value = ();

        fn deserialize<D: de::Deserializer<'de>>(
            self,
            d: D,
        ) -> Result<(), D::Error> {
            d.deserialize_seq(self)
        }
    }

    impl<'de> Visitor<'de> for Elements<'_, 'de> {
        type Value = ();

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an array of records")
        }

        fn visit_seq<A: SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<(), A::Error> {
            while let Some(raw) = seq.next_element::<&'de RawValue>()? {
                self.0.push(raw);
            }
            Ok(())
        }
    }
}

/// One JSON object per line; blank lines are ignored.
/// `first_line` is the file line number of the first line of `text`.
pub(super) fn jsonl(
    name: &str,
    text: &str,
    first_line: usize,
    fields: &Fields,
    seen: &mut FileRecords,
    out: &mut FileDocs,
) -> Spans {
    let mut spans = Vec::new();
    let mut at = 0;
    // Line ends, and the end of a last line without one.
    let last = !text.is_empty() && !text.ends_with('\n');
    let lines = memchr::memchr_iter(b'\n', text.as_bytes())
        .map(|i| i + 1)
        .chain(last.then_some(text.len()));
    for (i, end) in lines.enumerate() {
        let raw = &text[at..end];
        let span = at..end;
        at = end;
        let line = raw
            .strip_suffix('\n')
            .map_or(raw, |l| l.strip_suffix('\r').unwrap_or(l));
        let line_no = first_line + i;
        if line.trim().is_empty() {
            continue;
        }
        let (mut patched, mut replaced) = (String::new(), 0);
        let at = || format!("{name}:{line_no}");
        let parsed = parse_record(line, &mut patched, &mut replaced, &at, out);
        let record: Record = match parsed {
            Ok(json::Line::Object(record)) => record,
            Ok(json::Line::Other) => {
                out.warn(
                    format!("{name}:{line_no}"),
                    "not a JSON object; record skipped".into(),
                    true,
                );
                continue;
            }
            // JSON never holds a raw NUL: binary data in the record.
            Err(_) if line.contains('\0') => {
                out.warn(format!("{name}:{line_no}"), NUL_RECORD.into(), true);
                continue;
            }
            Err(e) => {
                // Records one after another on a line that a lone CR ends
                // (a classic Mac file): the first is followed by the rest.
                let cr = if line.contains('\r') {
                    " (records separated by CR alone? tr '\\r' '\\n' makes them lines)"
                } else {
                    ""
                };
                out.warn(
                    format!("{name}:{line_no}"),
                    format!(
                        "invalid JSON: {}; record skipped{cr}",
                        json_error(&e, line)
                    ),
                    true,
                );
                continue;
            }
        };
        if to_document(name, Place::Line(line_no), record, fields, seen, out) {
            spans.push(span);
            out.docs.last_mut().expect("pushed").replacements = replaced;
        }
    }
    spans
}

/// The warning for a record holding a NUL byte, which is skipped: the
/// rest of its file is read (binary data, if that is what follows, fails
/// record by record).
pub(super) const NUL_RECORD: &str =
    "NUL byte (binary data) in this record; record skipped";

/// serde_json's message with the column in the record's line only: its
/// own "at line 1 column 2" counts lines inside the record, which is
/// always one line, and read beside the file's line it misleads. The
/// column counts characters, as editors do, not serde_json's bytes.
pub(crate) fn json_error(e: &serde_json::Error, line: &str) -> String {
    let full = e.to_string();
    let at = format!(" at line {} column {}", e.line(), e.column());
    match full.strip_suffix(&at) {
        Some(message) if e.column() > 0 => {
            let column = line
                .char_indices()
                .take_while(|&(b, _)| b < e.column())
                .count();
            format!("{message} at column {column}")
        }
        _ => full,
    }
}

/// CSV records with a header row; rows of the wrong length are skipped.
/// `text` holds whole records from file line `first_line`; `header` is
/// read from the first piece of a file and kept for the next ones, and
/// `delimiter` separates the fields of every piece.
pub(super) fn csv(
    name: &str,
    text: &str,
    first_line: usize,
    (header, delimiter): (&mut Option<Vec<String>>, u8),
    fields: &Fields,
    seen: &mut FileRecords,
    out: &mut FileDocs,
) -> Spans {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(header.is_none())
        .delimiter(delimiter)
        // Lengths are checked against the header below: a piece of a file
        // does not start with it.
        .flexible(true)
        // A blank line first: the `csv` crate drops a U+FEFF that starts
        // its input, and a piece may start with a record that does (the
        // file's own byte-order mark is gone already). Positions below are
        // one byte and one line further on.
        .from_reader(b"\n".chain(text.as_bytes()));
    // Each row's start is kept: a document's text runs to the next row.
    let mut lines = RecordLines::new(text.as_bytes(), first_line);
    let mut starts = Vec::new();
    let mut at = |byte: u64| lines.at(byte as usize);
    if header.is_none() {
        match reader.headers() {
            Ok(h) => {
                let names: Vec<String> = h
                    .iter()
                    .map(|h| h.trim_start_matches('\u{feff}').to_string())
                    .collect();
                *header = Some(check_header(name, names, fields, out));
            }
            Err(e) => {
                out.warn(
                    name.to_string(),
                    format!(
                        "unreadable CSV header ({}); file skipped",
                        one_line(&e.to_string())
                    ),
                    true,
                );
                *header = Some(Vec::new());
                return Vec::new();
            }
        }
    }
    let headers = header.as_deref().unwrap_or_default();
    if headers.is_empty() {
        // No header (empty file, or an unreadable header reported before).
        return Vec::new();
    }
    let mut rows = Vec::new();
    // The `csv` crate reads NUL as data: rows are looked at for one only
    // when the piece holds one.
    let nul = memchr::memchr(0, text.as_bytes()).is_some();
    for row in reader.records() {
        match row {
            Ok(row) => {
                let (line_no, start) = at(row
                    .position()
                    .map_or(0, |p| p.byte())
                    .saturating_sub(1));
                starts.push(start);
                if nul && row.as_slice().contains('\0') {
                    out.warn(
                        format!("{name}:{line_no}"),
                        NUL_RECORD.into(),
                        true,
                    );
                    continue;
                }
                if row.len() != headers.len() {
                    out.warn(
                        format!("{name}:{line_no}"),
                        format!(
                            "{} fields where the header has {}; record skipped",
                            row.len(),
                            headers.len()
                        ),
                        true,
                    );
                    continue;
                }
                let record: Record = headers
                    .iter()
                    .zip(row.iter())
                    .map(|(h, v)| {
                        (Cow::Borrowed(h.as_str()), Cow::Borrowed(v), true)
                    })
                    .collect();
                if to_document(
                    name,
                    Place::Line(line_no),
                    record,
                    fields,
                    seen,
                    out,
                ) {
                    rows.push(starts.len() - 1);
                }
            }
            Err(e) => {
                let line = match e.position() {
                    Some(p) => {
                        let (line, start) = at(p.byte().saturating_sub(1));
                        starts.push(start);
                        format!(":{line}")
                    }
                    None => String::new(),
                };
                out.warn(
                    format!("{name}{line}"),
                    format!("{}; record skipped", one_line(&e.to_string())),
                    true,
                );
            }
        }
    }
    rows.into_iter()
        .map(|row| {
            let end = starts.get(row + 1).copied().unwrap_or(text.len());
            starts[row]..end
        })
        .collect()
}

/// The lines on which the records of a CSV text start, for records met in
/// order. The `csv` crate's own line number is that of the end of the
/// record before, and puts a record after blank lines on the first blank
/// line: lines are counted up to the record's first byte instead, from
/// where the last count stopped.
pub struct RecordLines<'a> {
    bytes: &'a [u8],
    seen: usize,
    line: usize,
}

impl<'a> RecordLines<'a> {
    /// Lines of `bytes`, the first numbered `first_line`.
    pub fn new(bytes: &'a [u8], first_line: usize) -> RecordLines<'a> {
        RecordLines { bytes, seen: 0, line: first_line }
    }

    /// The line and first byte of the record the reader places at `byte`
    /// (at or after the last one asked for).
    pub fn at(&mut self, byte: usize) -> (usize, usize) {
        let bytes = self.bytes;
        let mut start = byte.clamp(self.seen, bytes.len());
        while bytes.get(start).is_some_and(|&b| b == b'\r' || b == b'\n') {
            start += 1;
        }
        self.line += line_ends(&bytes[self.seen..start]);
        self.seen = start;
        (self.line, start)
    }
}

/// The line ends of CSV text, as the `csv` crate reads them: LF, CR LF and
/// CR alone (a file saved by Excel for Mac as "CSV (Macintosh)"), so that
/// each record of such a file has a line, and an id, of its own.
pub(super) fn line_ends(bytes: &[u8]) -> usize {
    let lone_cr = memchr::memchr_iter(b'\r', bytes)
        .filter(|&i| bytes.get(i + 1) != Some(&b'\n'))
        .count();
    memchr::memchr_iter(b'\n', bytes).count() + lone_cr
}

/// A CSV header as it is used: empty, so that the file is skipped, when
/// no column holds the text (said once, with the columns there are, rather
/// than once per row); a column named twice is said too (the last one's
/// values are used).
fn check_header(
    name: &str,
    names: Vec<String>,
    fields: &Fields,
    out: &mut FileDocs,
) -> Vec<String> {
    for (i, h) in names.iter().enumerate() {
        if names[..i].contains(h) && !names[i + 1..].contains(h) {
            out.warn(
                format!("{name}:1"),
                format!(
                    "column {h:?} appears more than once; the last one is used"
                ),
                false,
            );
        }
    }
    if !names.is_empty() && !names.contains(&fields.text) {
        out.warn(
            format!("{name}:1"),
            format!(
                "no column {:?} for the text (columns: {}); file skipped",
                fields.text,
                names.join(", ")
            ),
            true,
        );
        return Vec::new();
    }
    names
}

/// A message on one line: line breaks (from a quoted field or a parser)
/// become spaces.
fn one_line(s: &str) -> String {
    s.split(['\r', '\n'])
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Pushes the document of a record onto `out.docs`; false, said in a
/// warning, when the record makes none.
fn to_document(
    name: &str,
    place: Place,
    record: Record<'_>,
    fields: &Fields,
    seen: &mut FileRecords,
    out: &mut FileDocs,
) -> bool {
    let (mut text, mut id, mut date, mut title, mut source) =
        (None, None, None, None, None);
    let mut meta = BTreeMap::new();
    for (key, value, string) in record {
        let slot = if key == fields.text.as_str() {
            if !string {
                let what = match value.as_bytes().first() {
                    None => "null",
                    Some(b'{') => "an object",
                    Some(b'[') => "an array",
                    Some(b't' | b'f') => "a boolean",
                    Some(_) => "a number",
                };
                out.warn(
                    place.at(name),
                    format!(
                        "field {:?} is {what}, not a string; record skipped",
                        fields.text
                    ),
                    true,
                );
                return false;
            }
            &mut text
        } else if key == fields.id.as_str() {
            &mut id
        } else if key == fields.date.as_str() {
            // A JSON number with a fraction is no date: `2024.10` (October,
            // as a spreadsheet stores year and month) arrives as 2024.1.
            if !string && value.contains(['.', 'e', 'E']) {
                out.warn(
                    place.at(name),
                    format!(
                        "field {:?} is the number {value}, not a date: write \
                         dates as strings (\"2024-10\"); kept undated",
                        fields.date
                    ),
                    false,
                );
                continue;
            }
            &mut date
        } else if key == fields.title.as_str() {
            &mut title
        } else if key == fields.source.as_str() {
            &mut source
        } else {
            seen.misnamed(name, place, &key, fields, out);
            meta.insert(key.into_owned(), value.into_owned());
            continue;
        };
        *slot = Some(value);
    }
    let Some(text) = text else {
        out.warn(
            place.at(name),
            format!("no field {:?}; record skipped", fields.text),
            true,
        );
        return false;
    };
    // A repeated id would give two documents one label: two rows of
    // `--by doc` that `diff` cannot tell apart.
    let id = match id.filter(|s| !s.is_empty()) {
        Some(id)
            if !names_another_place(name, place, &id, out)
                && !seen.repeated(name, place, &id, out) =>
        {
            id.into()
        }
        _ => default_id(name, place).into(),
    };
    let date = match date {
        Some(d) if is_iso_day(&d) => Some(d.into()),
        Some(d) if !d.trim().is_empty() => match document_date(&d) {
            Ok(date) => Some(date.into()),
            Err(why) => {
                out.warn(
                    place.at(name),
                    format!(
                        "field {:?}: {d:?} {why}; kept undated",
                        fields.date
                    ),
                    false,
                );
                None
            }
        },
        _ => None,
    };
    // Every field named: `..Document::default()` built a default map of
    // metadata only to drop it, 2% of a run over Xinwen Lianbo.
    out.docs.push(Document {
        id,
        rank: (0, 0),
        date,
        title: title.map(CompactString::from).unwrap_or_default(),
        source: source.map(CompactString::from).unwrap_or_default(),
        meta,
        row: None,
        text: text.into_owned(),
        replacements: 0,
    });
    true
}

/// A JSONL line read straight into a [`Record`], without building a
/// `serde_json::Value` first (a fifth of the time of reading JSONL went
/// into building and converting it).
mod json {
    use std::borrow::Cow;
    use std::fmt;

    use serde::de::{self, Deserializer, IgnoredAny, Visitor};

    use super::Record;

    /// Reads a JSONL line. The usual line, an object of strings, integers,
    /// booleans and nulls, is read by [`flat_object`], which copies each
    /// string once into a `String` of its size; serde_json unescapes into a
    /// scratch buffer grown per line and then copies again, which took a
    /// fifth of the time of a JSONL run. Anything else, and every error, is
    /// left to serde_json, which also words the message.
    pub fn parse(line: &str) -> serde_json::Result<Line<'_>> {
        match flat_object(line) {
            Some(record) => Ok(Line::Object(record)),
            None => serde_json::from_str(line),
        }
    }

    /// An object whose values are all strings, integers of up to 18
    /// digits, booleans or nulls, read as serde_json would read it; `None`
    /// for anything else, valid or not.
    fn flat_object(line: &str) -> Option<Record<'_>> {
        let b = line.as_bytes();
        // JSON strings must escape control characters. A line without any
        // (tabs between tokens too) needs no check in each string. The
        // smallest byte, not `any`, so that the compiler vectorizes it.
        if b.iter().fold(u8::MAX, |m, &c| m.min(c)) < 0x20 {
            return None;
        }
        let mut i = skip_space(b, 0);
        if b.get(i) != Some(&b'{') {
            return None;
        }
        i = skip_space(b, i + 1);
        // Room for the usual fields (text, id, date, title, source and a
        // few more) without growing: growing took 1.4% of a JSONL run.
        let mut record = Record::with_capacity(8);
        if b.get(i) == Some(&b'}') {
            i += 1;
        } else {
            loop {
                let (key, end) = string(line, i)?;
                i = skip_space(b, end);
                if b.get(i) != Some(&b':') {
                    return None;
                }
                let at = skip_space(b, i + 1);
                let (value, end) = scalar(line, at)?;
                record.push((key, value, b[at] == b'"'));
                i = skip_space(b, end);
                match b.get(i) {
                    Some(b',') => i = skip_space(b, i + 1),
                    Some(b'}') => {
                        i += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        (skip_space(b, i) == b.len()).then_some(record)
    }

    /// Past the spaces at `i`: the only whitespace a line without
    /// control characters can hold.
    fn skip_space(b: &[u8], mut i: usize) -> usize {
        while b.get(i) == Some(&b' ') {
            i += 1;
        }
        i
    }

    /// A value at `i` as field text, and where it ends.
    fn scalar(line: &str, i: usize) -> Option<(Cow<'_, str>, usize)> {
        let rest = &line.as_bytes()[i.min(line.len())..];
        let word = |w: &str, text: &'static str| {
            rest.starts_with(w.as_bytes())
                .then_some((Cow::Borrowed(text), i + w.len()))
        };
        match rest.first()? {
            b'"' => string(line, i),
            b'n' => word("null", ""),
            b't' => word("true", "true"),
            b'f' => word("false", "false"),
            b'-' | b'0'..=b'9' => {
                // Printed as serde_json prints the number it parses: the
                // same digits, for integers without a leading zero (and
                // not -0, which it reads as a float).
                let sign = usize::from(rest[0] == b'-');
                let digits = rest[sign..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count();
                let plain = (1..=18).contains(&digits)
                    && (rest[sign] != b'0' || (digits == 1 && sign == 0));
                let end = i + sign + digits;
                plain.then(|| (Cow::Borrowed(&line[i..end]), end))
            }
            _ => None,
        }
    }

    /// The string whose opening quote is at `i`, unescaped (borrowed when
    /// it holds no escape), and the position after its closing quote.
    fn string(line: &str, i: usize) -> Option<(Cow<'_, str>, usize)> {
        let b = line.as_bytes();
        if b.get(i) != Some(&b'"') {
            return None;
        }
        let start = i + 1;
        let mut at = special(b, start)?;
        if b[at] == b'"' {
            return Some((Cow::Borrowed(&line[start..at]), at + 1));
        }
        // Unescaped text is never longer than the rest of the line; what
        // follows it is usually short (the text is the last field).
        let mut out = Vec::with_capacity(b.len() - start);
        out.extend_from_slice(&b[start..at]);
        loop {
            if b[at] == b'"' {
                if out.capacity() > 2 * out.len() + 64 {
                    out.shrink_to_fit();
                }
                // SAFETY: `out` holds whole stretches of `line` that start
                // and end next to an ASCII quote or escape, so on
                // character boundaries, and whole characters from
                // `escape`: it is UTF-8.
                let text = unsafe { String::from_utf8_unchecked(out) };
                return Some((Cow::Owned(text), at + 1));
            }
            let (c, next) = escape(b, at + 1)?;
            out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
            at = copy_plain(b, next, &mut out)?;
        }
    }

    /// Appends `b[i..]` up to the first quote or backslash to `out`, and
    /// returns where that is. It searches and copies 32 bytes at a time, in
    /// one pass: Xinwen Lianbo's transcripts escape a line break every 200
    /// bytes or so, and a search (`memchr2`) and then a copy for each took
    /// two calls, and 7.6% of a run.
    fn copy_plain(b: &[u8], mut i: usize, out: &mut Vec<u8>) -> Option<usize> {
        const CHUNK: usize = 32;
        while let Some(chunk) = b.get(i..i + CHUNK) {
            let found = specials(chunk.try_into().expect("32 bytes"));
            if found != 0 {
                let n = found.trailing_zeros() as usize;
                out.extend_from_slice(&chunk[..n]);
                return Some(i + n);
            }
            out.extend_from_slice(chunk);
            i += CHUNK;
        }
        let n = special(b, i)? - i;
        out.extend_from_slice(&b[i..i + n]);
        Some(i + n)
    }

    /// Where the quotes and backslashes of `chunk` are, one bit a byte.
    #[cfg(target_arch = "x86_64")]
    fn specials(chunk: &[u8; 32]) -> u32 {
        use std::arch::x86_64::{
            __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8,
            _mm_or_si128, _mm_set1_epi8,
        };
        let half = |v: __m128i| {
            // SAFETY: every x86-64 CPU has SSE2.
            unsafe {
                let quote = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
                let slash = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
                _mm_movemask_epi8(_mm_or_si128(quote, slash)) as u32
            }
        };
        // SAFETY: the loads read bytes 0..16 and 16..32 of `chunk`,
        // unaligned as they allow.
        let [low, high] = unsafe {
            [0, 16].map(|h| _mm_loadu_si128(chunk[h..].as_ptr().cast()))
        };
        half(low) | half(high) << 16
    }

    /// Where the quotes and backslashes of `chunk` are, one bit a byte.
    #[cfg(not(target_arch = "x86_64"))]
    fn specials(chunk: &[u8; 32]) -> u32 {
        chunk
            .iter()
            .enumerate()
            .fold(0, |m, (k, &c)| m | u32::from(c == b'"' || c == b'\\') << k)
    }

    /// The first quote or backslash from `i` on.
    fn special(b: &[u8], i: usize) -> Option<usize> {
        memchr::memchr2(b'"', b'\\', b.get(i..)?).map(|n| i + n)
    }

    /// The character of the escape whose letter is at `i`, and where the
    /// escape ends. A lone surrogate is left to serde_json.
    fn escape(b: &[u8], i: usize) -> Option<(char, usize)> {
        let c = match *b.get(i)? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let high = hex4(b, i + 1)?;
                if !(0xD800..0xE000).contains(&high) {
                    return Some((char::from_u32(high)?, i + 5));
                }
                if high >= 0xDC00 || b.get(i + 5..i + 7)? != b"\\u" {
                    return None;
                }
                let low = hex4(b, i + 7)?;
                if !(0xDC00..0xE000).contains(&low) {
                    return None;
                }
                let c = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                return Some((char::from_u32(c)?, i + 11));
            }
            _ => return None,
        };
        Some((c, i + 1))
    }

    /// `line` with each lone surrogate escape (a high one not followed by
    /// a low one, or a low one alone) written `\uFFFD`, and how many there
    /// were; `None` when there is none.
    pub fn lone_surrogates_replaced(line: &str) -> Option<(String, usize)> {
        let b = line.as_bytes();
        let mut out = String::with_capacity(line.len());
        let (mut n, mut copied, mut i) = (0, 0, 0);
        while let Some(k) = memchr::memchr(b'\\', &b[i..]) {
            let at = i + k;
            if b.get(at + 1) != Some(&b'u') {
                i = at + 2; // Any other escape, `\\` among them.
                continue;
            }
            let unit = hex4(b, at + 2)?;
            let low_after = || {
                b.get(at + 6..at + 8) == Some(b"\\u")
                    && hex4(b, at + 8)
                        .is_some_and(|l| (0xDC00..0xE000).contains(&l))
            };
            let lone = match unit {
                0xD800..0xDC00 if low_after() => {
                    i = at + 12;
                    continue;
                }
                0xD800..0xE000 => true,
                _ => false,
            };
            if lone {
                out.push_str(&line[copied..at]);
                out.push_str("\\uFFFD");
                copied = at + 6;
                n += 1;
            }
            i = at + 6;
        }
        out.push_str(&line[copied..]);
        (n > 0).then_some((out, n))
    }

    fn hex4(b: &[u8], i: usize) -> Option<u32> {
        b.get(i..i + 4)?
            .iter()
            .try_fold(0, |n, &c| Some(n * 16 + char::from(c).to_digit(16)?))
    }

    /// A line: an object, or any other JSON value.
    pub enum Line<'de> {
        Object(Record<'de>),
        Other,
    }

    impl<'de> de::Deserialize<'de> for Line<'de> {
        fn deserialize<D: Deserializer<'de>>(
            d: D,
        ) -> Result<Line<'de>, D::Error> {
            d.deserialize_any(LineVisitor)
        }
    }

    struct LineVisitor;

    impl<'de> Visitor<'de> for LineVisitor {
        type Value = Line<'de>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a JSON value")
        }

        fn visit_map<A: de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Line<'de>, A::Error> {
            let mut record = Record::new();
            while let Some((Name(key), value)) =
                map.next_entry::<Name, FieldText>()?
            {
                record.push((key, Cow::Owned(value.0), value.1));
            }
            Ok(Line::Object(record))
        }

        fn visit_seq<A: de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Line<'de>, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(Line::Other)
        }

        fn visit_bool<E>(self, _: bool) -> Result<Line<'de>, E> {
            Ok(Line::Other)
        }

        fn visit_i64<E>(self, _: i64) -> Result<Line<'de>, E> {
            Ok(Line::Other)
        }

        fn visit_u64<E>(self, _: u64) -> Result<Line<'de>, E> {
            Ok(Line::Other)
        }

        fn visit_f64<E>(self, _: f64) -> Result<Line<'de>, E> {
            Ok(Line::Other)
        }

        fn visit_str<E>(self, _: &str) -> Result<Line<'de>, E> {
            Ok(Line::Other)
        }

        fn visit_unit<E>(self) -> Result<Line<'de>, E> {
            Ok(Line::Other)
        }
    }

    /// A field name, borrowed from the line unless it holds escapes.
    struct Name<'de>(Cow<'de, str>);

    impl<'de> de::Deserialize<'de> for Name<'de> {
        fn deserialize<D: Deserializer<'de>>(
            d: D,
        ) -> Result<Name<'de>, D::Error> {
            d.deserialize_str(NameVisitor)
        }
    }

    struct NameVisitor;

    impl<'de> Visitor<'de> for NameVisitor {
        type Value = Name<'de>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a field name")
        }

        fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Name<'de>, E> {
            Ok(Name(Cow::Borrowed(v)))
        }

        fn visit_str<E>(self, v: &str) -> Result<Name<'de>, E> {
            Ok(Name(Cow::Owned(v.to_owned())))
        }
    }

    /// A field as text: a string as it is, null as empty, anything else
    /// as its JSON text.
    struct FieldText(String, bool);

    impl<'de> de::Deserialize<'de> for FieldText {
        fn deserialize<D: Deserializer<'de>>(
            d: D,
        ) -> Result<FieldText, D::Error> {
            d.deserialize_any(FieldVisitor)
        }
    }

    struct FieldVisitor;

    impl<'de> Visitor<'de> for FieldVisitor {
        type Value = FieldText;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a JSON value")
        }

        fn visit_str<E>(self, v: &str) -> Result<FieldText, E> {
            Ok(FieldText(v.to_owned(), true))
        }

        fn visit_string<E>(self, v: String) -> Result<FieldText, E> {
            Ok(FieldText(v, true))
        }

        fn visit_unit<E>(self) -> Result<FieldText, E> {
            Ok(FieldText(String::new(), false))
        }

        fn visit_bool<E>(self, v: bool) -> Result<FieldText, E> {
            Ok(FieldText(v.to_string(), false))
        }

        fn visit_i64<E>(self, v: i64) -> Result<FieldText, E> {
            Ok(FieldText(v.to_string(), false))
        }

        fn visit_u64<E>(self, v: u64) -> Result<FieldText, E> {
            Ok(FieldText(v.to_string(), false))
        }

        fn visit_f64<E>(self, v: f64) -> Result<FieldText, E> {
            // As serde_json prints numbers (1.0, not 1).
            let n = serde_json::Number::from_f64(v);
            Ok(FieldText(n.map(|n| n.to_string()).unwrap_or_default(), false))
        }

        fn visit_seq<A: de::SeqAccess<'de>>(
            self,
            seq: A,
        ) -> Result<FieldText, A::Error> {
            let d = de::value::SeqAccessDeserializer::new(seq);
            let v: serde_json::Value = de::Deserialize::deserialize(d)?;
            Ok(FieldText(v.to_string(), false))
        }

        fn visit_map<A: de::MapAccess<'de>>(
            self,
            map: A,
        ) -> Result<FieldText, A::Error> {
            let d = de::value::MapAccessDeserializer::new(map);
            let v: serde_json::Value = de::Deserialize::deserialize(d)?;
            Ok(FieldText(v.to_string(), false))
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        /// A surrogate escape without its other half becomes `\uFFFD`; a
        /// pair, an escaped backslash before `u`, and other escapes stay.
        #[test]
        fn lone_surrogates_are_replaced() {
            let fixed = |s: &str| lone_surrogates_replaced(s);
            assert_eq!(
                fixed(r#"{"t":"a \ud83d"}"#),
                Some((r#"{"t":"a \uFFFD"}"#.to_string(), 1))
            );
            assert_eq!(
                fixed(r#"{"t":"\ud83d\ude00 \\ud83d \n \udc00x \uD83Dy"}"#),
                Some((
                    r#"{"t":"\ud83d\ude00 \\ud83d \n \uFFFDx \uFFFDy"}"#
                        .to_string(),
                    2
                ))
            );
            assert_eq!(fixed(r#"{"t":"\ud83d\ude00 \u4e2d"}"#), None);
            assert_eq!(fixed(r#"{"t":"\u12"}"#), None);
        }

        /// Fields read as `serde_json::Value` and printed as before.
        #[test]
        fn fields_as_text() {
            let line = r#"{"text":"a\nb","n":1,"f":1.0,"g":2.5e3,"neg":-3,
                "null":null,"t":true,"arr":[1,{"b":2,"a":null}],
                "obj":{"z":1,"a":[]},"text":"dup"}"#;
            let Ok(Line::Object(r)) = serde_json::from_str::<Line>(line)
            else {
                panic!("not an object");
            };
            let r: std::collections::BTreeMap<_, _> = r
                .into_iter()
                .map(|(k, v, s)| (k, (v.into_owned(), s)))
                .collect();
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            for (k, v) in value.as_object().unwrap() {
                let want = match v {
                    serde_json::Value::String(s) => (s.clone(), true),
                    serde_json::Value::Null => (String::new(), false),
                    other => (other.to_string(), false),
                };
                assert_eq!(r[k.as_str()], want, "{k}");
            }
            let r: std::collections::BTreeMap<_, _> =
                r.into_iter().map(|(k, (v, _))| (k, v)).collect();
            assert_eq!(r["text"], "dup");
            assert_eq!(r["f"], "1.0");
            assert_eq!(r.len(), 9);
            for other in ["[1,2]", "3", "\"s\"", "null", "true", "-1.5"] {
                assert!(matches!(
                    serde_json::from_str::<Line>(other),
                    Ok(Line::Other)
                ));
            }
            assert!(serde_json::from_str::<Line>("{\"a\":}").is_err());
        }

        use proptest::prelude::*;

        fn owned(r: Record) -> Vec<(String, String, bool)> {
            r.into_iter()
                .map(|(k, v, s)| (k.into_owned(), v.into_owned(), s))
                .collect()
        }

        fn by_serde(line: &str) -> Option<Vec<(String, String, bool)>> {
            match serde_json::from_str::<Line>(line) {
                Ok(Line::Object(r)) => Some(owned(r)),
                _ => None,
            }
        }

        /// Every character outside ASCII as `\uXXXX`, as Python's
        /// `json.dumps` writes by default (astral ones as two escapes).
        fn ascii_escaped(json: &str) -> String {
            let mut out = String::new();
            for c in json.chars() {
                if c.is_ascii() {
                    out.push(c);
                } else {
                    for unit in c.encode_utf16(&mut [0; 2]) {
                        out += &format!("\\u{unit:04x}");
                    }
                }
            }
            out
        }

        fn text() -> impl Strategy<Value = String> {
            "[a-z\"\\\\/\u{0}-\u{1f} 两新质生产力\u{20000}\u{1F600}]{0,12}"
        }

        fn flat_value() -> impl Strategy<Value = serde_json::Value> {
            use serde_json::Value;
            prop_oneof![
                text().prop_map(Value::String),
                (-999_999_999_999_999_999i64..=999_999_999_999_999_999)
                    .prop_map(Value::from),
                any::<bool>().prop_map(Value::Bool),
                Just(Value::Null),
            ]
        }

        /// A flat object as serde_json writes it, with or without spaces,
        /// or as Python writes it (characters outside ASCII escaped).
        fn flat_line() -> impl Strategy<Value = String> {
            let fields = prop::collection::vec((text(), flat_value()), 0..5);
            (fields, any::<bool>(), any::<bool>()).prop_map(
                |(fields, ascii, spaced)| {
                    let mut line = String::from("{");
                    for (i, (k, v)) in fields.iter().enumerate() {
                        if i > 0 {
                            line += if spaced { ", " } else { "," };
                        }
                        line += &serde_json::to_string(k).unwrap();
                        line += if spaced { " : " } else { ":" };
                        line += &v.to_string();
                    }
                    line += "}";
                    if ascii { ascii_escaped(&line) } else { line }
                },
            )
        }

        proptest! {
            /// Flat objects, as serde_json or Python write them, with or
            /// without spaces: read here, and read as serde_json reads them.
            #[test]
            fn flat_objects_read_as_serde_json_reads_them(
                line in flat_line(),
            ) {
                let fast = flat_object(&line).map(owned);
                prop_assert!(fast.is_some(), "not read here: {line}");
                prop_assert_eq!(fast, by_serde(&line));
            }

            /// Flat objects with a few characters changed: whatever is
            /// read here is what serde_json reads, never an object it
            /// rejects, nor different fields.
            #[test]
            fn never_reads_what_serde_json_would_not(
                line in flat_line(),
                edits in prop::collection::vec(
                    (any::<prop::sample::Index>(), 0..3u8, prop::sample::select(
                        "{}[]\":, \t\\/ubnrtfx0123456789.eE+-D8a两\u{1}"
                            .chars()
                            .collect::<Vec<_>>(),
                    )),
                    1..4,
                ),
            ) {
                let mut chars: Vec<char> = line.chars().collect();
                for (at, op, c) in edits {
                    let i = at.index(chars.len() + 1);
                    match op {
                        0 => chars.insert(i, c),
                        _ if i == chars.len() => {}
                        1 => chars[i] = c,
                        _ => {
                            chars.remove(i);
                        }
                    }
                }
                let line: String = chars.into_iter().collect();
                if let Some(fast) = flat_object(&line) {
                    prop_assert_eq!(Some(owned(fast)), by_serde(&line));
                }
            }
        }

        /// Escapes before, across and after each of the 32-byte chunks
        /// `copy_plain` reads, among characters of every UTF-8 length.
        #[test]
        fn escapes_read_wherever_they_fall_in_a_chunk() {
            let plain = "两a新é质😀生产力abcdefghijklmnopqrstuvwxyz两新";
            for before in 0..plain.chars().count() {
                for escape in
                    [r"\n", r"\\", r#"\""#, r"\u4e24", r"\ud83d\ude00"]
                {
                    let head: String = plain.chars().take(before).collect();
                    let text = format!("{head}{escape}{plain}{escape}{head}");
                    let line = format!(r#"{{"id":"{head}","text":"{text}"}}"#);
                    let fast = flat_object(&line).map(owned);
                    assert!(fast.is_some(), "not read here: {line}");
                    assert_eq!(fast, by_serde(&line), "{line}");
                }
            }
        }

        #[test]
        fn what_is_left_to_serde_json() {
            for line in [
                r#"{"a":1.5}"#,
                r#"{"a":-0}"#,
                r#"{"a":01}"#,
                r#"{"a":1234567890123456789}"#,
                r#"{"a":[1]}"#,
                r#"{"a":{"b":1}}"#,
                r#"{"a":"\ud800"}"#,
                r#"{"a":"\udc00\ud800"}"#,
                r#"{"a":"\udc00\udc00"}"#,
                r#"{"a":"\x"}"#,
                "{\"a\":\t1}",
                "{\"a\":\"\u{1}\"}",
                r#"{"a":1,}"#,
                r#"{"a":1} x"#,
                r#"{"a" 1}"#,
                r#"["a"]"#,
            ] {
                assert!(flat_object(line).is_none(), "{line}");
            }
            let line =
                r#"{"a\"b":"\ud83d\ude00\n","c":-12,"d":null,"a\"b":true}"#;
            assert_eq!(
                flat_object(line).map(owned),
                Some(vec![
                    ("a\"b".into(), "😀\n".into(), true),
                    ("c".into(), "-12".into(), false),
                    ("d".into(), "".into(), false),
                    ("a\"b".into(), "true".into(), false),
                ])
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file's first [`IDS_KEPT`] ids are kept; later ones are checked
    /// against them and not kept, which one warning says.
    #[test]
    fn ids_past_the_ones_kept_are_checked_against_them() {
        let mut ids = FileRecords::default();
        let mut out = FileDocs::default();
        for n in 1..=IDS_KEPT {
            assert!(!ids.repeated(
                "f",
                Place::Line(n),
                &n.to_string(),
                &mut out
            ));
        }
        assert!(out.warnings.is_empty());
        let next = IDS_KEPT + 1;
        for n in next..next + 3 {
            assert!(!ids.repeated(
                "f",
                Place::Line(n),
                &n.to_string(),
                &mut out
            ));
        }
        assert_eq!(ids.lines.len(), IDS_KEPT);
        assert!(ids.repeated("f", Place::Line(next + 3), "7", &mut out));
        assert!(!ids.repeated(
            "f",
            Place::Line(next + 4),
            &next.to_string(),
            &mut out
        ));
        let said: Vec<String> =
            out.warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(
            said,
            [
                format!(
                    "f:{next}: ids from this record on are checked against the file's first 900,000 only, so that memory does not grow with the file; split it to check them all"
                ),
                format!(
                    "f:{} (id \"7\", as on line 7): id given to an earlier record too: both are read, and the later one is named by its place (FILE#N), as a record without an id is",
                    next + 3
                ),
            ]
        );
    }

    fn message(line: &str) -> String {
        let e = json::parse(line).err().expect("invalid JSON");
        json_error(&e, line)
    }

    /// The column is the record line's, in characters; serde_json's
    /// "line 1" inside the record is gone.
    #[test]
    fn json_errors_name_the_column_in_characters() {
        assert_eq!(message("{x"), "key must be a string at column 2");
        assert_eq!(
            message(r#"{"text":"两新"#),
            "EOF while parsing a string at column 11"
        );
        assert_eq!(message("{\"a\":1,}"), "trailing comma at column 8");
    }
}
