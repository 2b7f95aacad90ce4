//! JSONL and CSV corpora: one document per record. A broken record is a
//! warning naming its line and is skipped; the others are read.

use std::collections::BTreeMap;

use super::{Document, Fields, FileDocs, parse_date};

/// A record's fields, as text.
type Record = BTreeMap<String, String>;

/// One JSON object per line; blank lines are ignored.
/// `first_line` is the file line number of the first line of `text`.
pub(super) fn jsonl(
    name: &str,
    text: &str,
    first_line: usize,
    fields: &Fields,
    out: &mut FileDocs,
) -> Vec<Document> {
    let mut docs = Vec::new();
    for (i, line) in text.lines().enumerate() {
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
            docs.push(doc);
        }
    }
    docs
}

/// CSV with a header row; rows of the wrong length are skipped.
pub(super) fn csv(
    name: &str,
    text: &str,
    fields: &Fields,
    out: &mut FileDocs,
) -> Vec<Document> {
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').to_string())
            .collect::<Vec<_>>(),
        Err(e) => {
            out.warn(
                name.to_string(),
                format!("unreadable CSV header ({e}); file skipped"),
                true,
            );
            return Vec::new();
        }
    };
    let mut docs = Vec::new();
    for row in reader.records() {
        match row {
            Ok(row) => {
                let line_no = row.position().map_or(0, |p| p.line() as usize);
                let record: Record = headers
                    .iter()
                    .cloned()
                    .zip(row.iter().map(str::to_string))
                    .collect();
                if let Some(doc) =
                    to_document(name, line_no, record, fields, out)
                {
                    docs.push(doc);
                }
            }
            Err(e) => {
                let line = e
                    .position()
                    .map_or(String::new(), |p| format!(":{}", p.line()));
                let what = match e.kind() {
                    ::csv::ErrorKind::UnequalLengths {
                        expected_len,
                        len,
                        ..
                    } => {
                        format!(
                            "{len} fields where the header has {expected_len}; record skipped"
                        )
                    }
                    _ => format!("{e}; record skipped"),
                };
                out.warn(format!("{name}{line}"), what, true);
            }
        }
    }
    docs
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
