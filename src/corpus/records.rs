//! JSONL and CSV corpora: one document per record. A broken record is a
//! warning naming its line and is skipped; the others are read.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Read;
use std::ops::Range;

use super::{Document, Fields, FileDocs, parse_date};

/// A record's fields, as text, in the order read (of two fields with the
/// same name, the later wins). Names are borrowed from the JSON line or the
/// CSV header where they can be: most are only compared, never kept.
type Record<'a> = Vec<(Cow<'a, str>, String)>;

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
        let record: Record = match serde_json::from_str::<json::Line>(line) {
            Ok(json::Line::Object(record)) => record,
            Ok(json::Line::Other) => {
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
                    .map(|h| Cow::Borrowed(h.as_str()))
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
    record: Record<'_>,
    fields: &Fields,
    out: &mut FileDocs,
) -> Option<Document> {
    let (mut text, mut id, mut date, mut title, mut source) =
        (None, None, None, None, None);
    let mut meta = BTreeMap::new();
    for (key, value) in record {
        let slot = if key == fields.text.as_str() {
            &mut text
        } else if key == fields.id.as_str() {
            &mut id
        } else if key == fields.date.as_str() {
            &mut date
        } else if key == fields.title.as_str() {
            &mut title
        } else if key == fields.source.as_str() {
            &mut source
        } else {
            meta.insert(key.into_owned(), value);
            continue;
        };
        *slot = Some(value);
    }
    let Some(text) = text else {
        out.warn(
            format!("{name}:{line_no}"),
            format!("no field {:?}; record skipped", fields.text),
            true,
        );
        return None;
    };
    let id = id
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("{name}#{line_no}"));
    let date = match date {
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
        title: title.unwrap_or_default(),
        source: source.unwrap_or_default(),
        meta,
        text,
        ..Document::default()
    })
}

/// A JSONL line read straight into a [`Record`], without building a
/// `serde_json::Value` first (a fifth of the time of reading JSONL went
/// into building and converting it).
mod json {
    use std::borrow::Cow;
    use std::fmt;

    use serde::de::{self, Deserializer, IgnoredAny, Visitor};

    use super::Record;

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
                record.push((key, value.0));
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
    struct FieldText(String);

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
            Ok(FieldText(v.to_owned()))
        }

        fn visit_string<E>(self, v: String) -> Result<FieldText, E> {
            Ok(FieldText(v))
        }

        fn visit_unit<E>(self) -> Result<FieldText, E> {
            Ok(FieldText(String::new()))
        }

        fn visit_bool<E>(self, v: bool) -> Result<FieldText, E> {
            Ok(FieldText(v.to_string()))
        }

        fn visit_i64<E>(self, v: i64) -> Result<FieldText, E> {
            Ok(FieldText(v.to_string()))
        }

        fn visit_u64<E>(self, v: u64) -> Result<FieldText, E> {
            Ok(FieldText(v.to_string()))
        }

        fn visit_f64<E>(self, v: f64) -> Result<FieldText, E> {
            // As serde_json prints numbers (1.0, not 1).
            let n = serde_json::Number::from_f64(v);
            Ok(FieldText(n.map(|n| n.to_string()).unwrap_or_default()))
        }

        fn visit_seq<A: de::SeqAccess<'de>>(
            self,
            seq: A,
        ) -> Result<FieldText, A::Error> {
            let d = de::value::SeqAccessDeserializer::new(seq);
            let v: serde_json::Value = de::Deserialize::deserialize(d)?;
            Ok(FieldText(v.to_string()))
        }

        fn visit_map<A: de::MapAccess<'de>>(
            self,
            map: A,
        ) -> Result<FieldText, A::Error> {
            let d = de::value::MapAccessDeserializer::new(map);
            let v: serde_json::Value = de::Deserialize::deserialize(d)?;
            Ok(FieldText(v.to_string()))
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

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
            let r: std::collections::BTreeMap<_, _> = r.into_iter().collect();
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            for (k, v) in value.as_object().unwrap() {
                let want = match v {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Null => String::new(),
                    other => other.to_string(),
                };
                assert_eq!(r[k.as_str()], want, "{k}");
            }
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
    }
}
