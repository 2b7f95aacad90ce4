//! Reading corpora: walking inputs, decoding bytes, and turning files into
//! [`Document`]s with their metadata and dates. It knows nothing about
//! lexicons or matching.
//!
//! Inputs are expanded into a sorted list of [`InputFile`]s first, so that
//! the order of documents, and of every output, never depends on the order
//! in which the file system or the thread pool returns them. Each document
//! carries its `rank` (input file, position in the file) for that order.

mod dates;
mod decode;
mod records;
mod walk;

use std::collections::BTreeMap;
use std::io::Read;

pub use dates::{date_range, in_range, parse_date};
pub use decode::{Decoded, decode, encoding_for_label};
pub use walk::{InputFile, Metadata, date_from_name, expand_inputs};

use crate::error::Error;

/// Default of `--max-doc-bytes`: larger documents are skipped.
pub const DEFAULT_MAX_DOC_BYTES: usize = 64 << 20;

/// One article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// Its identifier: the file path as reached, `FILE#N` for the N-th
    /// article of a split file, or the record's id field.
    pub id: String,
    /// Position in the corpus: (input file, document within the file).
    pub rank: (u32, u32),
    /// ISO date (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`), when known.
    pub date: Option<String>,
    /// Title, when known.
    pub title: String,
    /// Source (newspaper, channel), when known.
    pub source: String,
    /// Every other metadata field.
    pub meta: BTreeMap<String, String>,
    /// The decoded text.
    pub text: String,
    /// Invalid byte sequences replaced by U+FFFD while decoding (counted on
    /// the first document of a file).
    pub replacements: usize,
}

/// A problem with one input that did not stop the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// `file` or `file:line`.
    pub location: String,
    /// What happened.
    pub message: String,
    /// Whether a document, record or file was left out because of it.
    pub skipped: bool,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// How input files are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// By extension: `.jsonl`/`.ndjson` JSON lines, `.csv` CSV, else text.
    #[default]
    Auto,
    /// One document per file (or per `--split` article).
    Text,
    /// One JSON object per line.
    Jsonl,
    /// One document per row, with a header row.
    Csv,
}

/// Names of the fields of JSONL and CSV records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields {
    /// Identifier field (default `id`).
    pub id: String,
    /// Date field (default `date`).
    pub date: String,
    /// Title field (default `title`).
    pub title: String,
    /// Source field (default `source`).
    pub source: String,
    /// Text field (default `text`).
    pub text: String,
}

impl Default for Fields {
    fn default() -> Fields {
        Fields {
            id: "id".into(),
            date: "date".into(),
            title: "title".into(),
            source: "source".into(),
            text: "text".into(),
        }
    }
}

/// Everything that decides how inputs become documents.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Text, JSONL, CSV or by extension.
    pub format: InputFormat,
    /// Record field names.
    pub fields: Fields,
    /// `--encoding`: used unless a byte-order mark says otherwise.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// `--split`: text files split into articles at matching lines.
    pub split: Option<regex::Regex>,
    /// Keep documents dated on or after this ISO date.
    pub since: Option<String>,
    /// Keep documents dated on or before this ISO date.
    pub until: Option<String>,
    /// Documents larger than this are skipped with a warning.
    pub max_doc_bytes: usize,
}

impl Default for ReadOptions {
    fn default() -> ReadOptions {
        ReadOptions {
            format: InputFormat::Auto,
            fields: Fields::default(),
            encoding: None,
            split: None,
            since: None,
            until: None,
            max_doc_bytes: DEFAULT_MAX_DOC_BYTES,
        }
    }
}

/// The documents of one file, and what was left out of it.
#[derive(Debug, Default)]
pub struct FileDocs {
    /// Documents kept, in file order.
    pub docs: Vec<Document>,
    /// Documents left out by `--since`/`--until` (undated ones included).
    pub filtered: u64,
    /// Problems, each with whether something was skipped.
    pub warnings: Vec<Warning>,
}

impl FileDocs {
    fn warn(&mut self, location: String, message: String, skipped: bool) {
        self.warnings.push(Warning { location, message, skipped });
    }
}

/// Reads one input file into its documents.
pub fn read_file(
    input: &InputFile,
    opts: &ReadOptions,
    meta: &Metadata,
) -> Result<FileDocs, Error> {
    let bytes = match &input.path {
        None => {
            let mut buf = Vec::new();
            std::io::stdin()
                .lock()
                .read_to_end(&mut buf)
                .map_err(|e| Error::io("-", e))?;
            buf
        }
        Some(path) => std::fs::read(path).map_err(|e| Error::io(path, e))?,
    };
    let name = input.display.clone();
    let mut out = FileDocs::default();
    let Some(decoded) = decode(&bytes, opts.encoding) else {
        let hint = if looks_like_utf16(&bytes) {
            " (UTF-16 without a byte-order mark? try --encoding utf-16le)"
        } else {
            ""
        };
        out.warn(
            name,
            format!("binary file (NUL bytes){hint}; skipped"),
            true,
        );
        return Ok(out);
    };
    if decoded.replacements > 0 {
        out.warn(
            name.clone(),
            format!(
                "{} invalid byte sequence(s) for {} replaced by U+FFFD",
                decoded.replacements, decoded.encoding
            ),
            false,
        );
    }
    if decoded.uncertain {
        out.warn(name.clone(), format!("encoding guessed as {} with low confidence; use --encoding to be sure", decoded.encoding), false);
    }
    let format = match opts.format {
        InputFormat::Auto => match input
            .path
            .as_ref()
            .and_then(|p| p.extension())
            .and_then(|x| x.to_str())
        {
            Some(x)
                if x.eq_ignore_ascii_case("jsonl")
                    || x.eq_ignore_ascii_case("ndjson") =>
            {
                InputFormat::Jsonl
            }
            Some(x) if x.eq_ignore_ascii_case("csv") => InputFormat::Csv,
            _ => InputFormat::Text,
        },
        f => f,
    };
    let mut docs = match format {
        InputFormat::Jsonl => {
            records::jsonl(&name, &decoded.text, &opts.fields, &mut out)
        }
        InputFormat::Csv => {
            records::csv(&name, &decoded.text, &opts.fields, &mut out)
        }
        _ => text_documents(input, decoded.text, opts, meta),
    };
    if let Some(first) = docs.first_mut() {
        first.replacements = decoded.replacements;
    }
    for (i, doc) in docs.iter_mut().enumerate() {
        doc.rank = (input.rank, i as u32);
    }
    for doc in docs {
        if doc.text.len() > opts.max_doc_bytes {
            out.warn(
                doc.id.clone(),
                format!(
                    "document of {} bytes is over --max-doc-bytes {}; skipped",
                    doc.text.len(),
                    opts.max_doc_bytes
                ),
                true,
            );
            continue;
        }
        if opts.since.is_some() || opts.until.is_some() {
            let keep = doc.date.as_deref().is_some_and(|d| {
                in_range(d, opts.since.as_deref(), opts.until.as_deref())
            });
            if !keep {
                out.filtered += 1;
                continue;
            }
        }
        out.docs.push(doc);
    }
    Ok(out)
}

/// Even or odd bytes mostly NUL: UTF-16 text without its byte-order mark.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(4096)];
    let zeros = |parity: usize| {
        sample.iter().skip(parity).step_by(2).filter(|&&b| b == 0).count()
    };
    let half = sample.len() / 2;
    half > 0 && (zeros(0) * 3 > half || zeros(1) * 3 > half)
}

/// A text file as one document, or as articles split at `--split` lines,
/// with the metadata of a `metadata.csv` beside it.
fn text_documents(
    input: &InputFile,
    text: String,
    opts: &ReadOptions,
    meta: &Metadata,
) -> Vec<Document> {
    let mut base =
        Document { id: input.display.clone(), ..Document::default() };
    if let Some(fields) = input.path.as_deref().and_then(|p| meta.lookup(p)) {
        for (k, v) in fields {
            match k.as_str() {
                "date" => base.date = parse_date(v),
                "title" => base.title = v.clone(),
                "source" => base.source = v.clone(),
                "id" | "file" => {}
                _ => {
                    base.meta.insert(k.clone(), v.clone());
                }
            }
        }
    }
    if base.date.is_none() {
        base.date = date_from_name(&input.display);
    }
    let Some(split) = &opts.split else {
        return vec![Document { text, ..base }];
    };
    // Articles start at matching lines; text before the first is kept as
    // article 0 only when it holds something.
    let mut starts: Vec<(usize, String)> = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        if split.is_match(bare) {
            starts.push((at, bare.trim().to_string()));
        }
        at += line.len();
    }
    let mut docs = Vec::new();
    let first = starts.first().map_or(text.len(), |s| s.0);
    if !text[..first].trim().is_empty() {
        docs.push(Document {
            id: format!("{}#0", input.display),
            text: text[..first].to_string(),
            ..base.clone()
        });
    }
    for (i, (start, title)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(text.len(), |s| s.0);
        docs.push(Document {
            id: format!("{}#{}", input.display, i + 1),
            title: title.clone(),
            text: text[*start..end].to_string(),
            ..base.clone()
        });
    }
    docs
}
