//! JSONL and CSV corpora: one document per record. A broken record is a
//! warning naming its line and is skipped; the others are read.

use std::collections::BTreeMap;
use std::io::Read;
use std::ops::Range;

use super::{Document, Fields, FileDocs, parse_date};

/// A record's fields, as text.
type Record = BTreeMap<String, String>;

/// A document and the bytes of the text it was read from.
pub(super) type Spanned = (Range<usize>, Document);

/// One JSON object per line; blank lines are ignored.
/// `first_line` is the file line number of the first line of `text`.
pub(super) fn jsonl(
    name: &str,
    text: &str,
    first_line: usize,
    fields: &Fields,
    out: &mut FileDocs,
) -> Vec<Spanned> {
    let mut docs = Vec::new();
    let mut at = 0;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let span = at..at + raw.len();
        at += raw.len();
        let line = raw
            .strip_suffix('\n')
            .map_or(raw, |l| l.strip_suffix('\r').unwrap_or(l));
        let line_no = first_line + i;
        if line.trim().is_empty() {
            continue;
        }
        let record: Record =
            match serde_json::from_str::<serde_json::Value>(line) {
                Ok(serde_json::Value::Object(map)) => map
                    .into_iter()
                    .map(|(k, v)| {
                        let v = match v {
                            serde_json::Value::String(s) => s,
                            serde_json::Value::Null => String::new(),
                            other => other.to_string(),
                        };
                        (k, v)
                    })
                    .collect(),
                Ok(_) => {
                    out.warn(
                        format!("{name}:{line_no}"),
                        "not a JSON object; record skipped".into(),
                        true,
                    );
                    continue;
                }
                Err(e) => {
                    out.warn(
                        format!("{name}:{line_no}"),
                        format!("invalid JSON ({e}); record skipped"),
                        true,
                    );
                    continue;
                }
            };
        if let Some(doc) = to_document(name, line_no, record, fields, out) {
            docs.push((span, doc));
        }
    }
    docs
}

/// CSV records with a header row; rows of the wrong length are skipped.
/// `text` holds whole records from file line `first_line`; `header` is
/// read from the first piece of a file and kept for the next ones.
pub(super) fn csv(
    name: &str,
    text: &str,
    first_line: usize,
    header: &mut Option<Vec<String>>,
    fields: &Fields,
    out: &mut FileDocs,
) -> Vec<Spanned> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(header.is_none())
        // Lengths are checked against the header below: a piece of a file
        // does not start with it.
        .flexible(true)
        // A blank line first: the `csv` crate drops a U+FEFF that starts
        // its input, and a piece may start with a record that does (the
        // file's own byte-order mark is gone already). Positions below are
        // one byte and one line further on.
        .from_reader(b"\n".chain(text.as_bytes()));
    // The `csv` crate puts a record after blank lines on the first blank
    // line: count lines up to the record's first byte instead. Each row's
    // start is kept: a document's text runs to the next row.
    let bytes = text.as_bytes();
    let (mut seen, mut line) = (0, first_line);
    let mut starts = Vec::new();
    let mut at = |byte: u64| {
        let mut start = (byte as usize).clamp(seen, bytes.len());
        while bytes.get(start).is_some_and(|&b| b == b'\r' || b == b'\n') {
            start += 1;
        }
        line += memchr::memchr_iter(b'\n', &bytes[seen..start]).count();
        seen = start;
        (line, start)
    };
    if header.is_none() {
        match reader.headers() {
            Ok(h) => {
                *header = Some(
                    h.iter()
                        .map(|h| h.trim_start_matches('\u{feff}').to_string())
                        .collect(),
                )
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
    let mut docs = Vec::new();
    for row in reader.records() {
        match row {
            Ok(row) => {
                let (line_no, start) = at(row
                    .position()
                    .map_or(0, |p| p.byte())
                    .saturating_sub(1));
                starts.push(start);
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
                    .cloned()
                    .zip(row.iter().map(str::to_string))
                    .collect();
                if let Some(doc) =
                    to_document(name, line_no, record, fields, out)
                {
                    docs.push((starts.len() - 1, doc));
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
    docs.into_iter()
        .map(|(row, doc)| {
            let end = starts.get(row + 1).copied().unwrap_or(text.len());
            (starts[row]..end, doc)
        })
        .collect()
}

/// A message on one line: line breaks (from a quoted field or a parser)
/// become spaces.
fn one_line(s: &str) -> String {
    s.split(['\r', '\n'])
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn to_document(
    name: &str,
    line_no: usize,
    mut record: Record,
    fields: &Fields,
    out: &mut FileDocs,
) -> Option<Document> {
    let Some(text) = record.remove(&fields.text) else {
        out.warn(
            format!("{name}:{line_no}"),
            format!("no field {:?}; record skipped", fields.text),
            true,
        );
        return None;
    };
    let id = record
        .remove(&fields.id)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("{name}#{line_no}"));
    let date = match record.remove(&fields.date) {
        Some(d) if !d.trim().is_empty() => {
            let parsed = parse_date(&d);
            if parsed.is_none() {
                out.warn(
                    format!("{name}:{line_no}"),
                    format!(
                        "field {:?}: {d:?} is not a date; kept undated",
                        fields.date
                    ),
                    false,
                );
            }
            parsed
        }
        _ => None,
    };
    Some(Document {
        id,
        date,
        title: record.remove(&fields.title).unwrap_or_default(),
        source: record.remove(&fields.source).unwrap_or_default(),
        meta: record,
        text,
        ..Document::default()
    })
}
