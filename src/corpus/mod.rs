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
    /// JSONL is read in blocks of about this many bytes.
    pub block_bytes: usize,
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
            block_bytes: BLOCK_BYTES,
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

/// JSONL files are read in blocks of about this many bytes, cut at line
/// ends, so that memory does not grow with the size of a file.
pub const BLOCK_BYTES: usize = 8 << 20;

/// Reads one input file into its documents, all at once.
pub fn read_file(
    input: &InputFile,
    opts: &ReadOptions,
    meta: &Metadata,
) -> Result<FileDocs, Error> {
    let mut all = FileDocs::default();
    read_batches(input, opts, meta, &mut |batch| {
        all.docs.extend(batch.docs);
        all.filtered += batch.filtered;
        all.warnings.extend(batch.warnings);
    })?;
    Ok(all)
}

/// Reads one input file and hands its documents to `sink` in batches, in
/// file order. JSONL in UTF-8 or GB18030 is streamed in blocks of about
/// `block_bytes`; other files are one batch. Document ranks and record
/// line numbers run on across batches.
pub fn read_batches(
    input: &InputFile,
    opts: &ReadOptions,
    meta: &Metadata,
    sink: &mut dyn FnMut(FileDocs),
) -> Result<(), Error> {
    let name = input.display.as_str();
    let format = resolve_format(input, opts.format);
    let mut reader: Box<dyn Read> = match &input.path {
        None => Box::new(std::io::stdin().lock()),
        Some(path) => Box::new(
            std::fs::File::open(path).map_err(|e| Error::io(path, e))?,
        ),
    };
    let streamed = format == InputFormat::Jsonl;
    let block = match &input.path {
        // One read into a buffer sized from the file's length.
        Some(path) if !streamed => {
            std::fs::read(path).map_err(|e| Error::io(path, e))?
        }
        _ => {
            let mut block = Vec::new();
            let limit =
                if streamed { opts.block_bytes as u64 } else { u64::MAX };
            (&mut reader)
                .take(limit)
                .read_to_end(&mut block)
                .map_err(|e| Error::io(name, e))?;
            block
        }
    };
    let mut block = block;
    let mut out = FileDocs::default();
    // A streamed block may end inside a character: judge the encoding on
    // whole lines.
    let sample = match memchr::memrchr(b'\n', &block) {
        Some(i) if streamed => &block[..=i],
        _ => &block[..],
    };
    let Some(decoded) = decode(sample, opts.encoding) else {
        let hint = if looks_like_utf16(&block) {
            " (UTF-16 without a byte-order mark? try --encoding utf-16le)"
        } else {
            ""
        };
        out.warn(
            name.into(),
            format!("binary file (NUL bytes){hint}; skipped"),
            true,
        );
        sink(out);
        return Ok(());
    };
    if decoded.uncertain {
        out.warn(
            name.into(),
            format!(
                "encoding guessed as {} with low confidence; use --encoding to be sure",
                decoded.encoding
            ),
            false,
        );
    }
    let stream_enc = encoding_rs::Encoding::for_label(
        decoded.encoding.as_bytes(),
    )
    .filter(|e| *e == encoding_rs::UTF_8 || *e == encoding_rs::GB18030);
    if !streamed || stream_enc.is_none() {
        // Whole file: read the rest of a stream, decode again as one.
        let decoded = if streamed {
            reader.read_to_end(&mut block).map_err(|e| Error::io(name, e))?;
            decode(&block, opts.encoding)
        } else {
            Some(decoded)
        };
        let decoded = decoded.unwrap_or_else(|| Decoded {
            text: String::new(),
            encoding: "binary",
            replacements: 0,
            uncertain: false,
        });
        report_replacements(name, &decoded, &mut out);
        let replacements = decoded.replacements;
        let docs = match format {
            InputFormat::Jsonl => {
                records::jsonl(name, &decoded.text, 1, &opts.fields, &mut out)
            }
            InputFormat::Csv => {
                records::csv(name, &decoded.text, &opts.fields, &mut out)
            }
            _ => text_documents(input, decoded.text, opts, meta),
        };
        keep(docs, input, 0, replacements, opts, &mut out);
        sink(out);
        return Ok(());
    }
    // Streamed JSONL: the encoding of the first block holds for the file; a
    // block ends at its last line end and the rest starts the next one.
    let enc = stream_enc.unwrap_or(encoding_rs::UTF_8);
    let bom = encoding_rs::Encoding::for_bom(&block).map_or(0, |(_, n)| n);
    let mut carry: Vec<u8> = block.split_off(bom);
    let (mut line, mut index) = (1, 0);
    loop {
        let mut more = Vec::new();
        (&mut reader)
            .take(opts.block_bytes as u64)
            .read_to_end(&mut more)
            .map_err(|e| Error::io(name, e))?;
        let last = more.is_empty();
        carry.extend_from_slice(&more);
        let cut = if last {
            carry.len()
        } else {
            match memchr::memrchr(b'\n', &carry) {
                Some(i) => i + 1,
                None => continue,
            }
        };
        let rest = carry.split_off(cut);
        let piece = decode(&carry, Some(enc))
            .unwrap_or_else(|| unreachable!("forced encodings always decode"));
        let lines = memchr::memchr_iter(b'\n', &carry).count();
        let docs =
            records::jsonl(name, &piece.text, line, &opts.fields, &mut out);
        report_replacements(name, &piece, &mut out);
        let n = docs.len() as u32;
        keep(docs, input, index, piece.replacements, opts, &mut out);
        sink(std::mem::take(&mut out));
        line += lines;
        index += n;
        carry = rest;
        if last {
            return Ok(());
        }
    }
}

fn resolve_format(input: &InputFile, format: InputFormat) -> InputFormat {
    if format != InputFormat::Auto {
        return format;
    }
    let ext = input
        .path
        .as_ref()
        .and_then(|p| p.extension())
        .and_then(|x| x.to_str());
    match ext {
        Some(x)
            if x.eq_ignore_ascii_case("jsonl")
                || x.eq_ignore_ascii_case("ndjson") =>
        {
            InputFormat::Jsonl
        }
        Some(x) if x.eq_ignore_ascii_case("csv") => InputFormat::Csv,
        _ => InputFormat::Text,
    }
}

fn report_replacements(name: &str, decoded: &Decoded, out: &mut FileDocs) {
    if decoded.replacements > 0 {
        out.warn(
            name.into(),
            format!(
                "{} invalid byte sequence(s) for {} replaced by U+FFFD",
                decoded.replacements, decoded.encoding
            ),
            false,
        );
    }
}

/// Numbers documents from `first_index`, then keeps those within the size
/// limit and the date range.
fn keep(
    mut docs: Vec<Document>,
    input: &InputFile,
    first_index: u32,
    replacements: usize,
    opts: &ReadOptions,
    out: &mut FileDocs,
) {
    if let Some(first) = docs.first_mut() {
        first.replacements = replacements;
    }
    for (i, doc) in docs.iter_mut().enumerate() {
        doc.rank = (input.rank, first_index + i as u32);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Streaming in tiny blocks gives the same documents, ranks and line
    /// numbers as reading the file at once.
    #[test]
    fn jsonl_blocks_are_seamless() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("n.jsonl");
        let mut text = String::from("\u{feff}");
        for i in 0..40 {
            if i == 17 {
                text.push_str("{broken\n");
            }
            text.push_str(&format!(
                "{{\"id\":\"d{i}\",\"text\":\"两重{i}\"}}\n"
            ));
        }
        std::fs::write(&path, &text).unwrap();
        let input =
            InputFile { path: Some(path), display: "n.jsonl".into(), rank: 3 };
        let whole = ReadOptions {
            block_bytes: usize::MAX >> 1,
            ..ReadOptions::default()
        };
        let tiny = ReadOptions { block_bytes: 7, ..ReadOptions::default() };
        let meta = Metadata::default();
        let a = read_file(&input, &whole, &meta).unwrap();
        let mut batches = 0;
        let mut b = FileDocs::default();
        read_batches(&input, &tiny, &meta, &mut |batch| {
            batches += 1;
            b.docs.extend(batch.docs);
            b.warnings.extend(batch.warnings);
        })
        .unwrap();
        assert!(batches > 10, "{batches} batches");
        assert_eq!(a.docs.len(), 40);
        assert_eq!(a.docs, b.docs);
        assert_eq!(a.warnings, b.warnings);
        assert_eq!(a.warnings[0].location, "n.jsonl:18");
        assert_eq!(b.docs[39].rank, (3, 39));
    }
}
