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
mod ids;
mod records;
mod stream;
mod walk;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Read;

use compact_str::CompactString;
use serde::de::IgnoredAny;

pub use dates::{agree, date_before, date_range, in_range, parse_date};
pub(crate) use decode::decode_with_positions;
pub use decode::{Decoded, decode, encoding_for_label};
pub use ids::{FileIds, IdRegister};
pub use records::RecordLines;
pub(crate) use records::json_error;
pub use stream::{UNCLOSED_QUOTE, sniff_delimiter, unclosed_quote};
pub use walk::{
    InputFile, InputFiles, Metadata, MetadataRow, ReadAs, STDIN_NAME,
    canonical_target, date_from_name, expand_inputs, read_by_folder,
    read_extensions, written_inside,
};

use crate::error::Error;
use stream::{Binary, CsvScan, CsvState, Cutter, Opened, Step, TextReader};

/// Default of `--max-doc-bytes`: larger documents are skipped.
pub const DEFAULT_MAX_DOC_BYTES: usize = 64 << 20;

/// One article. Its id, date, title and source are `CompactString`s,
/// which hold up to 24 bytes in place: a record's short fields take no
/// allocation of their own (four of the eight a JSONL record took, 4% of
/// the instructions of a run over Xinwen Lianbo).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// Its identifier: the file path as reached, `FILE#N` for the N-th
    /// article of a split file, or the record's id field.
    pub id: CompactString,
    /// Position in the corpus: (input file, document within the file).
    pub rank: (u32, u32),
    /// ISO date (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`), when known.
    pub date: Option<CompactString>,
    /// Title, when known.
    pub title: CompactString,
    /// Source (newspaper, channel), when known.
    pub source: CompactString,
    /// Every other field of its record (JSONL, CSV).
    pub meta: BTreeMap<String, String>,
    /// Of a text file, its row of its folder's `metadata.csv`, whose other
    /// columns are read from there ([`Document::field`]): copied into
    /// `meta`, they took 149,000 of the 389,000 allocations of `count`
    /// over a People's Daily folder of 10,294 files.
    pub row: Option<MetadataRow>,
    /// The decoded text.
    pub text: String,
    /// Invalid byte sequences replaced by U+FFFD while decoding (and lone
    /// surrogate escapes of a JSON record read as U+FFFD), in what
    /// the document was read from: its file, JSONL line, CSV record or
    /// `--split` article (those of a skipped record belong to no document).
    pub replacements: usize,
}

impl Document {
    /// A field other than the id, date, title and source: of its record,
    /// or of its row of `metadata.csv`.
    pub fn field(&self, name: &str) -> Option<&str> {
        match &self.row {
            Some(row) => row.other(name),
            None => self.meta.get(name).map(String::as_str),
        }
    }
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

impl Warning {
    /// The file a warning is about, from its location: `FILE`,
    /// `FILE:LINE`, `FILE#N` (the N-th record of a JSON array) or either
    /// with ` (id ID…)`.
    pub fn file(&self) -> &str {
        let location = &self.location;
        let location =
            location.split_once(" (id ").map_or(&**location, |l| l.0);
        match location.rsplit_once([':', '#']) {
            Some((file, n)) if n.starts_with(|c: char| c.is_ascii_digit()) => {
                file
            }
            _ => location,
        }
    }
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // One line, whatever the file's name holds.
        let one_line = crate::error::one_line;
        write!(f, "{}: {}", one_line(&self.location), one_line(&self.message))
    }
}

/// How input files are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// By extension: `.jsonl`/`.ndjson` JSON lines, `.csv` CSV, `.json` a
    /// JSON array, else text.
    #[default]
    Auto,
    /// One document per file (or per `--split` article).
    Text,
    /// One JSON object per line.
    Jsonl,
    /// One document per row, with a header row.
    Csv,
    /// A JSON array of objects, one document each (the file is read
    /// whole, within `--max-doc-bytes`).
    Json,
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

impl Fields {
    /// Which field (`date`, `text`, ...) `key` is named as but for case
    /// and spaces around it, when it is not one of them.
    fn named_like(&self, key: &str) -> Option<&'static str> {
        // Asked of every other field of every record: the length first.
        let trimmed = match key.starts_with(' ') || key.ends_with(' ') {
            true => key.trim(),
            false => key,
        };
        [
            (&self.text, "text"),
            (&self.id, "id"),
            (&self.date, "date"),
            (&self.title, "title"),
            (&self.source, "source"),
        ]
        .into_iter()
        .find(|(field, _)| {
            field.len() == trimmed.len()
                && field.as_str() != key
                && field.eq_ignore_ascii_case(trimmed)
        })
        .map(|(_, option)| option)
    }
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
    /// `--t2s`: traditional characters are converted, and text in them
    /// needs no hint.
    pub t2s: bool,
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
            t2s: false,
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
    /// Of those, the undated ones: no date is in a range.
    pub filtered_undated: u64,
    /// Problems, each with whether something was skipped.
    pub warnings: Vec<Warning>,
    /// With a file's last batch, the ids of its records.
    pub ids: Option<FileIds>,
}

impl FileDocs {
    fn warn(&mut self, location: String, message: String, skipped: bool) {
        self.warnings.push(Warning { location, message, skipped });
    }
}

/// Files are read and decoded in blocks of about this many bytes, and
/// JSONL, CSV and `--split` files are cut at record boundaries, so that
/// memory does not grow with the size of a file. Each file being read
/// holds a block of bytes, its text and its documents, and a worker that
/// waits for others may start another file: 8 MiB blocks took 152 MB over
/// 24 large JSONL files with two threads, 2 MiB 76 MB. Smaller blocks are
/// faster too, as long as a block, its text and its documents stay in a
/// core's cache (512 KiB of L2 here) while they pass from the kernel's copy
/// to decoding, parsing and matching: `count -j1` over six copies of the
/// Xinwen Lianbo JSONL, median of nine alternating runs, took 1.08 s with
/// 1 MiB, 0.99 s with 256 KiB, 1.02 s with 128 KiB, 0.98 s with 64 KiB.
/// The last three are within this machine's noise of each other; 128 KiB
/// is the one between.
pub const BLOCK_BYTES: usize = 128 << 10;

impl FileDocs {
    fn absorb(&mut self, batch: FileDocs) {
        self.docs.extend(batch.docs);
        self.filtered += batch.filtered;
        self.filtered_undated += batch.filtered_undated;
        self.warnings.extend(batch.warnings);
    }
}

/// Reads one input file into its documents, all at once.
pub fn read_file(
    input: &InputFile,
    opts: &ReadOptions,
    meta: &Metadata,
) -> Result<FileDocs, Error> {
    let mut all = FileDocs::default();
    read_batches(input, opts, meta, &mut |batch| all.absorb(batch))?;
    Ok(all)
}

/// The documents of `bytes`, read as a file named `name` (whose extension
/// decides the format under [`InputFormat::Auto`]), with every problem as a
/// warning: the entry point for fuzzing, and for callers that hold bytes.
pub fn documents_from_bytes(
    name: &str,
    bytes: &[u8],
    opts: &ReadOptions,
) -> FileDocs {
    let input = InputFile::stream(name);
    let mut all = FileDocs::default();
    let mut reader = bytes;
    let read = read_stream(
        &input,
        &mut reader,
        Some(bytes.len() as u64),
        opts,
        &Metadata::default(),
        &mut |batch| all.absorb(batch),
    );
    if let Err(e) = read {
        // Reading from memory does not fail; say so if it ever does.
        all.warn(name.to_string(), e.to_string(), true);
    }
    all
}

/// Reads one input file and hands its documents to `sink` in batches, in
/// file order. Text is decoded block by block (about `block_bytes`);
/// JSONL, CSV and `--split` files are cut at record boundaries into
/// batches, a plain text file is one document. Document ranks and record
/// line numbers run on across batches. A record or document over
/// `max_doc_bytes` is skipped with a warning without being held whole.
pub fn read_batches(
    input: &InputFile,
    opts: &ReadOptions,
    meta: &Metadata,
    sink: &mut dyn FnMut(FileDocs),
) -> Result<(), Error> {
    let mut file;
    let mut stdin;
    let mut size = None;
    let reader: &mut dyn Read = match input.path() {
        None => {
            stdin = std::io::stdin().lock();
            &mut stdin
        }
        Some(path) => {
            file =
                std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
            size = file.metadata().ok().map(|m| m.len());
            &mut file
        }
    };
    read_stream(input, reader, size, opts, meta, sink)
}

/// Reads `reader` as the file `input`; `size`, when known, sizes the
/// buffers once (no growing copies for a whole file).
fn read_stream(
    input: &InputFile,
    reader: &mut dyn Read,
    size: Option<u64>,
    opts: &ReadOptions,
    meta: &Metadata,
    sink: &mut dyn FnMut(FileDocs),
) -> Result<(), Error> {
    let name = &*input.display;
    let io = |e| Error::io(name, e);
    let mut out = FileDocs::default();
    let opened =
        TextReader::open(reader, opts.encoding, opts.block_bytes, size)
            .map_err(io)?;
    let mut src = match opened {
        Opened::Text(src) => src,
        Opened::Binary(kind) => {
            let format = format_of(&input.display, opts.format);
            out.warn(name.into(), binary_message(kind, format), true);
            sink(out);
            return Ok(());
        }
    };
    let mut format = format_of(&input.display, opts.format);
    if input.sniffed() && opts.format == InputFormat::Auto {
        // Judged on the text, not its bytes: UTF-16 JSON Lines too.
        let first = src.first_text(usize::MAX);
        let first = first.as_bytes();
        let starts_with_object = first.trim_ascii_start().starts_with(b"{");
        // A web page pasted with its JSON-LD first starts with an object
        // too, and JSON Lines may start with a broken record: JSON Lines
        // when it starts with an object and most lines of the first block
        // are objects. Records after a first line of something else are
        // said, not guessed.
        let (objects, lines) = match starts_with_object
            || memchr::memmem::find(first, b"\n{").is_some()
        {
            true => json_object_lines(first),
            false => (0, 0),
        };
        if starts_with_object && objects * 2 >= lines {
            format = InputFormat::Jsonl;
        } else if objects > 0 {
            out.warn(
                name.into(),
                format!(
                    "read as text: {objects} of its first {lines} lines are JSON objects; --input-format jsonl reads it as JSON Lines"
                ),
                false,
            );
        }
    }
    let mut cutter = match (format, &opts.split) {
        (InputFormat::Jsonl, _) => Cutter::Lines,
        // Its separator is sniffed on its first line, below.
        (InputFormat::Csv, _) => Cutter::Csv(CsvScan::new(b',')),
        // Read whole, within --max-doc-bytes: an array is not cut.
        (InputFormat::Json, _) => Cutter::Whole,
        (_, Some(regex)) => Cutter::Split {
            regex: regex.clone(),
            line_start: 0,
            partial: false,
        },
        _ => Cutter::Whole,
    };
    // A NUL byte past the first line of the first block: a text read
    // whole is binary, as with a NUL anywhere else in it; records skip the
    // one holding it, wherever it is (see `Plan::nul_seen`).
    if !matches!(cutter, Cutter::Whole) {
        src.nul_is_text();
    } else if src.nul_seen {
        out.warn(name.into(), binary_message(Binary::Data, format), true);
        sink(out);
        return Ok(());
    }
    if src.uncertain {
        out.warn(
            name.into(),
            format!(
                "encoding guessed as {} with low confidence; use --encoding to be sure",
                src.encoding
            ),
            false,
        );
    }
    if let Some(forced) = src.set_aside {
        let why = if forced.starts_with("UTF-16") {
            "without the NUL bytes of UTF-16 text".to_string()
        } else {
            format!("and not valid {forced}")
        };
        out.warn(
            name.into(),
            format!("read as UTF-8, not {forced} as --encoding asks: it is valid UTF-8 {why}"),
            false,
        );
    }
    if let Some(order) = src.other_byte_order {
        out.warn(
            name.into(),
            format!("read as {} as --encoding asks, but the text reads as {order}: try --encoding {order}", src.encoding),
            false,
        );
    }
    if src.empty {
        out.warn(name.into(), "empty file".into(), false);
    }
    first_block_hints(name, &src.first_text(HINT_BYTES), opts, &mut out);
    if looks_tagged(src.first_bytes()) {
        out.warn(
            name.into(),
            "looks word-segmented and tagged (中国/ns  特色/n): a form that spans two words will not match; remove the tags and the spaces between words first".into(),
            false,
        );
    }
    let mut file = FileProgress {
        input,
        format,
        opts,
        base: base_document(input, meta, &opts.fields, &mut out),
        line: 1,
        index: 0,
        article: 1,
        header: None,
        delimiter: b',',
        seen: records::FileRecords::default(),
        offset: 0,
        cut: false,
    };
    let cap = opts.max_doc_bytes;
    let mut text = String::new();
    if let (Cutter::Whole, Some(size)) = (&cutter, size) {
        // The text of a UTF-8 file is as long as the file.
        text.reserve(size.min(cap as u64).saturating_add(1) as usize);
    }
    let mut scanned = 0;
    // The first line of a record over the cap, dropped while its end is
    // looked for.
    let mut skipping: Option<usize> = None;
    let mut sniffed = format != InputFormat::Csv;
    // Nothing but white space read so far (a byte-order mark at most).
    let mut blank = true;
    loop {
        let step = src.next(&mut text).map_err(io)?;
        blank = blank && text.trim().is_empty();
        if step == Step::Binary {
            // Only a text read whole reads NUL as binary (records skip the
            // one holding it): nothing of it was taken yet.
            out.warn(name.into(), binary_message(Binary::Data, format), true);
            break;
        }
        let last = step == Step::Last;
        if !sniffed {
            // Commas, or semicolons or tabs, as the header line shows, as
            // for metadata.csv and a lexicon sheet: nothing is cut before
            // that line is whole.
            let line = memchr::memchr(b'\n', text.as_bytes()).is_some();
            if !(line || last || text.len() > cap) {
                continue;
            }
            file.delimiter = sniff_delimiter(text.as_bytes());
            cutter = Cutter::Csv(CsvScan::new(file.delimiter));
            sniffed = true;
        }
        let cuts = cutter.scan(&text, scanned);
        scanned = text.len();
        let mut cut = cuts.last;
        if let Some(line) = skipping {
            let Some(end) = cuts.first else {
                if last {
                    file.oversized(line, &cutter, true, &mut out);
                    break;
                }
                let n = cutter.droppable(&text, cap);
                file.drop_front(&mut text, n, &mut cutter);
                scanned -= n;
                continue;
            };
            file.oversized(line, &cutter, false, &mut out);
            file.drop_front(&mut text, end, &mut cutter);
            scanned -= end;
            skipping = None;
            cut = cut.filter(|&c| c > end).map(|c| c - end);
        }
        if last {
            if blank && !src.empty {
                out.warn(name.into(), "only white space".into(), false);
            }
            // The line the file ends on, if it ends inside a character.
            let cut_short = src.cut_short().then(|| {
                format!("{name}:{}", file.line + file.lines_in(&text))
            });
            let warned = out.warnings.len();
            let replaced = src.replaced_from(file.offset);
            file.finish(
                std::mem::take(&mut text),
                &cutter,
                replaced,
                &mut out,
            );
            if let Some(at) = cut_short {
                cut_short_warning(at, warned, &mut out);
            }
            if matches!(cutter, Cutter::Split { .. })
                && file.article == 1
                && !blank
            {
                out.warn(
                    name.into(),
                    "no line matches --split: read as one article (#0)".into(),
                    false,
                );
            }
            break;
        }
        if let Some(cut) = cut.filter(|&c| c > 0) {
            let replaced = src.replaced_from(file.offset);
            file.piece(&text[..cut], replaced, &mut out);
            file.drop_front(&mut text, cut, &mut cutter);
            scanned -= cut;
            sink(std::mem::take(&mut out));
        }
        if text.len() > cap {
            if matches!(cutter, Cutter::Whole) {
                out.warn(
                    name.into(),
                    format!(
                        "document over --max-doc-bytes (more than {cap} bytes); skipped"
                    ),
                    true,
                );
                break;
            }
            // One record, larger than the cap: drop it as it is read.
            let start = match &cutter {
                Cutter::Csv(scan) => scan.record_start,
                _ => 0,
            };
            skipping = Some(file.line + file.lines_in(&text[..start]));
            if let Cutter::Split { regex, .. } = &cutter
                && regex.is_match(text.lines().next().unwrap_or(""))
            {
                file.article += 1;
            }
            let n = cutter.droppable(&text, cap);
            file.drop_front(&mut text, n, &mut cutter);
            scanned -= n;
        }
    }
    // A character cut short has a warning of its own.
    let replaced = src.replacements() - usize::from(src.cut_short());
    if replaced > 0 {
        out.warn(
            name.into(),
            format!(
                "{} for {} replaced by U+FFFD{}",
                crate::output::quantity(
                    replaced as u64,
                    "invalid byte sequence",
                    "invalid byte sequences"
                ),
                src.encoding,
                // UTF-8 was decided on the first block, which may have been
                // all ASCII.
                if src.encoding == "UTF-8" && opts.encoding.is_none() {
                    "; another encoding? name it with --encoding (gb18030, big5 ...)"
                } else {
                    ""
                }
            ),
            false,
        );
    }
    out.ids = Some(file.seen.into_ids());
    sink(out);
    Ok(())
}

/// Says that a file ends inside a character, at `at` (`FILE:LINE`): its
/// last line was cut short, as when a file is read while it is written.
/// When that line's record was skipped (a warning of the file's last
/// piece, from `out.warnings[from..]`), its warning says so instead of
/// how it fails to parse: one line for one problem. Otherwise the record
/// was read, the partial character as U+FFFD, and counted among the
/// replacements.
fn cut_short_warning(at: String, from: usize, out: &mut FileDocs) {
    const CUT: &str = "the file ends inside a character: its last line is \
                       cut short (still being written?)";
    let last = &mut out.warnings[from..];
    match last.iter_mut().find(|w| w.skipped && w.location == at) {
        Some(w) => w.message = format!("{CUT}; record skipped"),
        None => out.warn(at, format!("{CUT}; read as U+FFFD"), false),
    }
}

/// Whether a file's first bytes look like a segmented, part-of-speech
/// tagged corpus (the People's Daily 1998 corpus: `中国/ns  特色/n`), where
/// 中国特色 is never written whole: at least [`TAGS_SEEN`] places where a
/// non-ASCII character (Han, in UTF-8 or GBK) is followed by `/`, one to
/// four ASCII letters and white space.
fn looks_tagged(bytes: &[u8]) -> bool {
    let tag_at = |slash: usize| {
        let letters = bytes[slash + 1..]
            .iter()
            .take(5)
            .take_while(|b| b.is_ascii_alphabetic())
            .count();
        slash > 0
            && bytes[slash - 1] >= 0x80
            && (1..=4).contains(&letters)
            && bytes
                .get(slash + 1 + letters)
                .is_none_or(|b| b.is_ascii_whitespace())
    };
    memchr::memchr_iter(b'/', bytes)
        .filter(|&i| tag_at(i))
        .nth(TAGS_SEEN - 1)
        .is_some()
}

/// Tags in a file's first block that make it a tagged corpus.
const TAGS_SEEN: usize = 20;

/// Warnings about what the start of a file (its first [`HINT_BYTES`],
/// decoded) looks like: HTML, whose tags and entities count as English
/// words, and traditional characters without `--t2s`, which no simplified
/// form matches. Only the start is looked at, as for [`looks_tagged`]: a
/// file is usually all of a kind. `text` is from the first read of the
/// file, whatever the block size, so that the verdict is too.
fn first_block_hints(
    name: &str,
    text: &str,
    opts: &ReadOptions,
    out: &mut FileDocs,
) {
    if looks_like_html(text) {
        out.warn(
            name.into(),
            "looks like HTML (<p>, &nbsp; ...): tags and entities are counted as English words (lowering rate_en) and can break English forms (white&shy;list); strip them first".into(),
            false,
        );
    }
    if !opts.t2s {
        let (changed, han) = crate::t2s::traditional_share(text);
        if changed >= TRADITIONAL_SEEN && changed * 100 >= han * 15 {
            out.warn(
                name.into(),
                format!(
                    "looks like traditional Chinese ({changed} of its first {han} Han characters have a simplified form): the lexicon's simplified forms will not match it; add --t2s"
                ),
                false,
            );
        }
    }
}

/// Bytes at the start of a file that [`first_block_hints`] looks at:
/// about 2,700 Han characters in UTF-8, and a web page's head.
const HINT_BYTES: usize = 16 << 10;

/// Han characters with a simplified form, at least 15% of those looked at,
/// that make a text traditional (simplified text has a few: 乾隆, 著名 in
/// some tables).
const TRADITIONAL_SEEN: usize = 10;

/// Tags and entities in a text's start that make it HTML.
const HTML_SEEN: usize = 5;

/// Whether the start of a text holds at least
/// [`HTML_SEEN`] HTML tags (`<p>`, `</div>`, `<a href=...>`, `<br/>`,
/// `<!--`) or entities (`&nbsp;`, `&ldquo;`, `&#8220;`).
fn looks_like_html(text: &str) -> bool {
    const TAGS: &[&str] = &[
        "a",
        "article",
        "b",
        "blockquote",
        "body",
        "br",
        "center",
        "code",
        "div",
        "em",
        "figcaption",
        "figure",
        "font",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "header",
        "hr",
        "html",
        "i",
        "iframe",
        "img",
        "li",
        "link",
        "meta",
        "nav",
        "ol",
        "p",
        "pre",
        "script",
        "section",
        "small",
        "span",
        "strong",
        "style",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "title",
        "tr",
        "u",
        "ul",
    ];
    let b = text.as_bytes();
    let is_tag = |i: usize| {
        let rest = &b[i + 1..];
        if rest.starts_with(b"!--") || rest.starts_with(b"!DOCTYPE") {
            return true;
        }
        let rest = rest.strip_prefix(b"/").unwrap_or(rest);
        let n = rest.iter().take_while(|c| c.is_ascii_alphanumeric()).count();
        let name = &rest[..n];
        TAGS.iter().any(|t| t.as_bytes().eq_ignore_ascii_case(name))
            && rest.get(n).is_some_and(|&c| {
                c == b'>' || c == b'/' || c.is_ascii_whitespace()
            })
    };
    let is_entity = |i: usize| {
        let rest = &b[i + 1..];
        let (body, ok): (&[u8], fn(&u8) -> bool) = match rest {
            [b'#', b'x' | b'X', tail @ ..] => (tail, u8::is_ascii_hexdigit),
            [b'#', tail @ ..] => (tail, u8::is_ascii_digit),
            _ => (rest, u8::is_ascii_alphabetic),
        };
        let n = body.iter().take(9).take_while(|c| ok(c)).count();
        // `&#1;` is an entity, `&a;` hardly.
        let least = if rest.first() == Some(&b'#') { 1 } else { 2 };
        (least..=8).contains(&n) && body.get(n) == Some(&b';')
    };
    memchr::memchr2_iter(b'<', b'&', b)
        .filter(|&i| if b[i] == b'<' { is_tag(i) } else { is_entity(i) })
        .nth(HTML_SEEN - 1)
        .is_some()
}

/// Of the lines of `bytes` (a stream's first block) that are not blank,
/// how many are JSON objects, and how many there are; a last line without
/// its end, cut by the block, is left out unless it is the only one, and
/// then an object if it is the start of one (a record longer than the
/// block).
fn json_object_lines(bytes: &[u8]) -> (usize, usize) {
    let mut lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    if lines.len() > 1 {
        // The part after the last line end: empty, or cut.
        lines.pop();
    }
    let lines = lines.into_iter().map(<[u8]>::trim_ascii);
    let (mut objects, mut all) = (0, 0);
    for line in lines.filter(|l| !l.is_empty()) {
        all += 1;
        let object = match serde_json::from_slice::<IgnoredAny>(line) {
            Ok(_) => true,
            Err(e) => e.is_eof(),
        };
        objects += usize::from(line.starts_with(b"{") && object);
    }
    (objects, all)
}

/// Why a file with NUL bytes is skipped, and how to read it if it is text.
/// In JSONL and CSV, a NUL byte is more likely a broken record than binary
/// data: read as UTF-8, only that record is skipped.
fn binary_message(kind: Binary, format: InputFormat) -> String {
    if kind == Binary::Utf32 {
        return "UTF-32, which tifa does not read; skipped: convert it to UTF-8 (iconv -f UTF-32 -t UTF-8)".into();
    }
    let hint = if let Binary::Utf16(label) = kind {
        format!(" (UTF-16 without a byte-order mark? try --encoding {label})")
    } else if matches!(
        format,
        InputFormat::Jsonl | InputFormat::Csv | InputFormat::Json
    ) {
        " (a record with a NUL byte? --encoding utf-8 reads the file and skips only such records)".into()
    } else {
        String::new()
    };
    format!("binary file (NUL bytes){hint}; skipped")
}

/// Line feeds: the line ends of JSON Lines and of text files.
fn count_lines(text: &str) -> usize {
    memchr::memchr_iter(b'\n', text.as_bytes()).count()
}

/// Where the reading of one file stands.
struct FileProgress<'a> {
    input: &'a InputFile,
    format: InputFormat,
    opts: &'a ReadOptions,
    /// A text file's metadata, for each of its documents.
    base: Document,
    /// Line number of the start of the text held.
    line: usize,
    /// Documents numbered so far.
    index: u32,
    /// Number of the next `--split` article.
    article: u32,
    /// The CSV header, once read.
    header: Option<Vec<String>>,
    /// The CSV field separator.
    delimiter: u8,
    /// What the records showed so far (ids, a misnamed field).
    seen: records::FileRecords,
    /// Offset of the start of the text held in all the text decoded.
    offset: u64,
    /// Whether text was cut off the front already.
    cut: bool,
}

impl FileProgress<'_> {
    fn name(&self) -> &str {
        &self.input.display
    }

    /// The lines `text` ends, as this file's format ends them.
    fn lines_in(&self, text: &str) -> usize {
        match self.format {
            InputFormat::Csv => records::line_ends(text.as_bytes()),
            _ => count_lines(text),
        }
    }

    /// Drops `text[..n]`, counting its lines.
    fn drop_front(
        &mut self,
        text: &mut String,
        n: usize,
        cutter: &mut Cutter,
    ) {
        self.line += self.lines_in(&text[..n]);
        self.offset += n as u64;
        text.drain(..n);
        cutter.shift(n);
        self.cut = true;
    }

    /// Reads the documents of whole records.
    /// `replaced`: where replacement characters are, in all the text
    /// decoded, from the start of this piece on.
    fn piece(&mut self, text: &str, replaced: &[u64], out: &mut FileDocs) {
        self.piece_of(Cow::Borrowed(text), replaced, out)
    }

    /// [`piece`](Self::piece), moving the text of a whole file into its
    /// document rather than copying it.
    fn piece_of(
        &mut self,
        mut text: Cow<'_, str>,
        replaced: &[u64],
        out: &mut FileDocs,
    ) {
        let name = &*self.input.display;
        let fields = &self.opts.fields;
        let first = out.docs.len();
        let spans = match self.format {
            InputFormat::Jsonl => records::jsonl(
                name,
                &text,
                self.line,
                fields,
                &mut self.seen,
                out,
            ),
            InputFormat::Csv => records::csv(
                name,
                &text,
                self.line,
                (&mut self.header, self.delimiter),
                fields,
                &mut self.seen,
                out,
            ),
            InputFormat::Json => {
                records::json_array(name, &text, fields, &mut self.seen, out)
            }
            _ => match &self.opts.split {
                Some(split) => split_articles(
                    &self.base,
                    &text,
                    split,
                    &mut self.article,
                    self.line,
                    out,
                ),
                // A whole file is read in one piece: its base is used once,
                // and its text taken (only records are looked at below).
                None => {
                    let span = 0..text.len();
                    out.docs.push(Document {
                        text: std::mem::take(&mut text).into_owned(),
                        ..std::mem::take(&mut self.base)
                    });
                    vec![span]
                }
            },
        };
        // Each document counts the replacements in its own text (and its
        // record's other fields): whatever the blocks, the same count. A
        // record may have some already: lone surrogate escapes.
        let within = |at: u64| replaced.partition_point(|&p| p < at);
        for (doc, span) in out.docs[first..].iter_mut().zip(&spans) {
            let start = self.offset + span.start as u64;
            let end = self.offset + span.end as u64;
            doc.replacements += within(end) - within(start);
        }
        // A record too big to keep is named by its line.
        let records = matches!(
            self.format,
            InputFormat::Jsonl | InputFormat::Csv | InputFormat::Json
        );
        let line = |i: usize| {
            records.then(|| self.line + self.lines_in(&text[..spans[i].start]))
        };
        keep(out, first, self.input, self.index, self.opts, line);
        self.index += spans.len() as u32;
    }

    /// The end of the file: the last records, and a CSV quote never
    /// closed.
    fn finish(
        &mut self,
        text: String,
        cutter: &Cutter,
        replaced: &[u64],
        out: &mut FileDocs,
    ) {
        match cutter {
            Cutter::Csv(scan) if scan.state == CsvState::Quoted => {
                let line =
                    self.line + self.lines_in(&text[..scan.quote_start]);
                self.piece(&text[..scan.record_start], replaced, out);
                out.warn(
                    format!("{}:{line}", self.name()),
                    format!("{UNCLOSED_QUOTE}; the rest of the file skipped"),
                    true,
                );
            }
            _ => self.piece_of(Cow::Owned(text), replaced, out),
        }
    }

    /// A record over `--max-doc-bytes`, starting at `line`, skipped.
    fn oversized(
        &self,
        line: usize,
        cutter: &Cutter,
        at_end: bool,
        out: &mut FileDocs,
    ) {
        let cap = self.opts.max_doc_bytes;
        let what = match cutter {
            Cutter::Lines => "line",
            Cutter::Csv(_) => "record",
            _ => "article",
        };
        let mut message = format!(
            "{what} over --max-doc-bytes (more than {cap} bytes); skipped"
        );
        if at_end
            && let Cutter::Csv(scan) = cutter
            && scan.state == CsvState::Quoted
        {
            message = format!(
                "quoted field never closed: the record runs to the end of the file, over --max-doc-bytes ({cap} bytes); skipped"
            );
        }
        out.warn(format!("{}:{line}", self.name()), message, true);
    }
}

/// Whether `input` is read as one document: a text file not split into
/// articles. Such files are usually small, and worth handing out together.
fn is_one_document(input: &InputFile, opts: &ReadOptions) -> bool {
    !input.sniffed() && file_is_one_document(&input.display, opts)
}

/// [`is_one_document`] for a file (not stdin or a pipe) of this path or
/// name.
fn file_is_one_document(path: &str, opts: &ReadOptions) -> bool {
    opts.split.is_none() && format_of(path, opts.format) == InputFormat::Text
}

/// The format of a file of this path or name, read as `format` says.
fn format_of(path: &str, format: InputFormat) -> InputFormat {
    if format != InputFormat::Auto {
        return format;
    }
    let ext = std::path::Path::new(path).extension().and_then(|x| x.to_str());
    match ext {
        Some(x)
            if x.eq_ignore_ascii_case("jsonl")
                || x.eq_ignore_ascii_case("ndjson") =>
        {
            InputFormat::Jsonl
        }
        Some(x) if x.eq_ignore_ascii_case("csv") => InputFormat::Csv,
        Some(x) if x.eq_ignore_ascii_case("json") => InputFormat::Json,
        _ => InputFormat::Text,
    }
}

/// Numbers the documents `out.docs[first..]` from `first_index`, then
/// keeps those within the size limit and the date range, in place (a
/// document moves only when one before it was left out). `line(i)` is the
/// line of the `i`-th one's record, when it is one; it is asked only of a
/// record over the size limit.
fn keep(
    out: &mut FileDocs,
    first: usize,
    input: &InputFile,
    first_index: u32,
    opts: &ReadOptions,
    line: impl Fn(usize) -> Option<usize>,
) {
    let mut kept = first;
    for at in first..out.docs.len() {
        let i = at - first;
        let doc = &mut out.docs[at];
        doc.rank = (input.rank, first_index + i as u32);
        let size = doc.text.len();
        if size > opts.max_doc_bytes {
            let location = match line(i) {
                Some(line) => {
                    format!("{}:{line} (id {:?})", input.display, doc.id)
                }
                None => doc.id.to_string(),
            };
            out.warn(
                location,
                format!(
                    "document over --max-doc-bytes ({size} > {} bytes); skipped",
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
                out.filtered_undated += u64::from(doc.date.is_none());
                continue;
            }
        }
        if kept != at {
            out.docs.swap(kept, at);
        }
        kept += 1;
    }
    out.docs.truncate(kept);
}

/// The document of a text file, without its text: id, and the metadata of
/// a `metadata.csv` beside it (its date, title and source in the columns
/// the record fields are named after, or the date in a column `year`),
/// else a date from its name. A metadata date that contradicts the
/// name's, or a `date` that contradicts the row's `year`, is a warning
/// naming the row.
fn base_document(
    input: &InputFile,
    meta: &Metadata,
    fields: &Fields,
    out: &mut FileDocs,
) -> Document {
    let mut base =
        Document { id: (*input.display).into(), ..Document::default() };
    let row = match input.path().map(|p| meta.lookup(p)) {
        Some(Ok(row)) => row,
        Some(Err(warning)) => {
            // The file was read when the inputs were expanded, and has
            // changed since.
            out.warn(warning.location, warning.message, false);
            None
        }
        None => None,
    };
    if let Some(row) = row {
        let mut year = None;
        for (k, v) in row.fields() {
            if k == fields.date {
                base.date =
                    dates::document_date(v).ok().map(CompactString::from);
            } else if k == fields.title {
                base.title = v.into();
            } else if k == fields.source {
                base.source = v.into();
            } else if k == "year" {
                year = Some(v);
            }
        }
        // A `year` dates the file when no date does (the numbers after the
        // year in 1969-09.txt may be no month: the 9th Congress).
        let year = year.and_then(|y| dates::parse_year(y).ok());
        let column = if let Some(date) = &base.date {
            // The date wins, but not without a word.
            if let Some(year) = year.filter(|y| !dates::agree(date, y)) {
                out.warn(
                    row.location(),
                    format!(
                        "date {date} differs from year {year}; dated {date}"
                    ),
                    false,
                );
            }
            "date"
        } else {
            base.date = year.map(CompactString::from);
            "year"
        };
        // Metadata wins over the name, but not without a word when they
        // disagree. A coarser date that agrees (`1969` for `1969-09.txt`)
        // is no conflict, and dates the file.
        if let Some(date) = &base.date
            && let (Some(named), _) = date_from_name(&input.display)
            && !dates::agree(date, &named)
        {
            out.warn(
                row.location(),
                format!(
                    "{column} {date} differs from the file name's date {named}; dated {date}"
                ),
                false,
            );
        }
        base.row = Some(row);
    }
    if base.date.is_none() {
        let (date, warning) = date_from_name(&input.display);
        base.date = date.map(CompactString::from);
        if let Some(warning) = warning {
            out.warn(input.display.to_string(), warning, false);
        }
    }
    base
}

/// A piece of a text file split into articles at `--split` lines: the
/// piece starts at the file's start or at such a line, on line
/// `first_line` of the file. Text before the first one is article 0 when
/// it holds something; the others are numbered from `next`. An article is
/// dated by a date in its `--split` line, as a file is by its name, else
/// has the file's date.
fn split_articles(
    base: &Document,
    text: &str,
    split: &regex::Regex,
    next: &mut u32,
    first_line: usize,
    out: &mut FileDocs,
) -> records::Spans {
    let mut starts: Vec<(usize, usize, &str, Option<CompactString>)> =
        Vec::new();
    let mut at = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let bare = line.trim_end_matches(['\n', '\r']);
        if split.is_match(bare) {
            let (date, warning) = walk::date_in(bare, "the --split line's");
            if let Some(warning) = warning {
                out.warn(
                    format!("{}:{}", base.id, first_line + i),
                    warning,
                    false,
                );
            }
            starts.push((
                at,
                first_line + i,
                bare.trim(),
                date.map(CompactString::from),
            ));
        }
        at += line.len();
    }
    let mut spans = Vec::new();
    // An article holding a NUL byte is skipped, as a file would be; the
    // articles after it are read.
    let nul = memchr::memchr(0, text.as_bytes()).is_some();
    let binary = |article: &str, line: usize, out: &mut FileDocs| {
        let found = nul && article.contains('\0');
        if found {
            out.warn(
                format!("{}:{line}", base.id),
                "NUL byte (binary data) in this article; article skipped"
                    .into(),
                true,
            );
        }
        found
    };
    let first = starts.first().map_or(text.len(), |s| s.0);
    if !text[..first].trim().is_empty()
        && !binary(&text[..first], first_line, out)
    {
        out.docs.push(Document {
            id: compact_str::format_compact!("{}#0", base.id),
            text: text[..first].to_string(),
            ..base.clone()
        });
        spans.push(0..first);
    }
    for (i, (start, line, title, date)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(text.len(), |s| s.0);
        if binary(&text[*start..end], *line, out) {
            *next += 1;
            continue;
        }
        out.docs.push(Document {
            id: compact_str::format_compact!("{}#{}", base.id, *next),
            title: (*title).into(),
            date: date.clone().or_else(|| base.date.clone()),
            text: text[*start..end].to_string(),
            ..base.clone()
        });
        spans.push(*start..end);
        *next += 1;
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tagged_corpora_are_recognised() {
        let tagged = "加快/v  发展/v  新/a  质/n  生产力/n  。/w  ".repeat(4);
        assert!(looks_tagged(tagged.as_bytes()));
        let gbk = encoding_rs::GBK.encode(&tagged).0;
        assert!(looks_tagged(&gbk));
        // Slashes in ordinary text: dates, alternatives, web addresses.
        let plain =
            "他/她在2024/03/05说，见 https://x.cn/news/a 和/或 AI/ML。\n"
                .repeat(10);
        assert!(!looks_tagged(plain.as_bytes()));
        // Too few to tell.
        assert!(!looks_tagged("中国/ns  特色/n ".repeat(9).as_bytes()));
    }

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
        let mut input = InputFile::named_file(path, Some("n.jsonl".into()));
        input.rank = 3;
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

    fn read(name: &str, bytes: &[u8], block: usize, cap: usize) -> FileDocs {
        let opts = ReadOptions {
            block_bytes: block,
            max_doc_bytes: cap,
            split: name
                .contains("split")
                .then(|| regex::Regex::new("^=== ").unwrap()),
            ..ReadOptions::default()
        };
        documents_from_bytes(name, bytes, &opts)
    }

    fn utf16le(text: &str) -> Vec<u8> {
        let mut v = vec![0xFF, 0xFE];
        v.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        v
    }

    /// Every format and encoding, read in blocks of 1, 2, 3, 7 ... bytes,
    /// gives the documents and warnings of reading the file at once: a
    /// character, a line or a quoted field cut by a block is read whole.
    #[test]
    fn blocks_are_seamless_in_every_format_and_encoding() {
        let jsonl = "{\"id\":\"a\",\"text\":\"两重\\n建设\"}\r\n\n{broken\n\
                     {\"id\":\"b\",\"text\":\"“两新”\"}\n{\"id\":\"c\"}\n\
                     {\"text\":\"no newline at the end\"}";
        let csv = "id,text\r\na,\"两重, \"\"quoted\"\"\n建设\"\r\n\
                   b,“两新”\nragged\nc,\"\"\n\nd,5\" screen\n";
        let split = "preface 两重\n=== one\n两重\n两新\n=== two\r\n\
                     text\n=== three";
        let text = "两重建设\n和“两新”工作\n";
        let semicolons = csv.replace(',', ";");
        let tabs = csv.replace(',', "\t");
        for (name, body) in [
            ("a.jsonl", jsonl),
            ("a.csv", csv),
            ("semicolons.csv", &semicolons),
            ("tabs.csv", &tabs),
            ("split.txt", split),
            ("a.txt", text),
        ] {
            let (gbk, _, _) = encoding_rs::GB18030.encode(body);
            let mut bad = body.as_bytes().to_vec();
            let at = body.find('两').unwrap();
            bad.splice(at..at, *b"\xFF\xE4\xB8");
            for bytes in
                [body.as_bytes().to_vec(), gbk.to_vec(), utf16le(body), bad]
            {
                let whole = read(name, &bytes, usize::MAX >> 1, usize::MAX);
                assert!(!whole.docs.is_empty(), "{name}");
                for block in [1, 2, 3, 7, 64, 8192] {
                    let parts = read(name, &bytes, block, usize::MAX);
                    assert_eq!(parts.docs, whole.docs, "{name} {block}");
                    assert_eq!(
                        parts.warnings, whole.warnings,
                        "{name} {block}"
                    );
                }
            }
        }
    }

    /// Past the first block, where UTF-8 is read in place, and in the
    /// first, passed on as sniffing found it valid: characters cut by
    /// blocks, invalid sequences, a character cut by the end of the file
    /// and a NUL byte give what reading the file at once gives.
    #[test]
    fn utf8_past_the_first_block_is_seamless() {
        let (mut jsonl, mut clean) = (Vec::new(), Vec::new());
        for i in 0..6000 {
            let line = format!("{{\"text\":\"两重建设{i}\"}}\n");
            jsonl.extend(line.as_bytes());
            clean.extend(line.as_bytes());
            if i % 1400 == 1399 {
                jsonl.extend(b"{\"text\":\"\xFF\xE4\xB8b\"}\n");
            }
        }
        let first = stream::SNIFF_BYTES;
        assert!(jsonl.len() > 2 * first);
        let cut_at_end = [&jsonl[..], "{\"text\":\"两".as_bytes()].concat();
        let cut_char = &cut_at_end[..cut_at_end.len() - 1];
        for (name, bytes) in [
            ("a.jsonl", &jsonl[..]),
            ("a.txt", &jsonl),
            ("cut.jsonl", cut_char),
            ("clean.jsonl", &clean),
            ("clean.txt", &clean),
        ] {
            let whole = read(name, bytes, usize::MAX >> 1, usize::MAX);
            for block in [1, 2, 3, 7, 4096, first + 1] {
                let parts = read(name, bytes, block, usize::MAX);
                // Not assert_eq: thousands of documents.
                assert!(parts.docs == whole.docs, "{name} {block}");
                assert_eq!(parts.warnings, whole.warnings, "{name} {block}");
            }
        }
        // A NUL byte in a record, in the first block or a later one: that
        // record is skipped, and the records after it are read.
        let mut nul = jsonl.clone();
        nul.extend(b"{\"text\":\"\0\"}\n{\"text\":\"after\"}\n");
        for block in [1, 7, 4096, usize::MAX >> 1] {
            let docs = read("nul.jsonl", &nul, block, usize::MAX);
            assert_eq!(docs.docs.len(), 6005, "{block}");
            assert_eq!(
                messages(&docs)[0],
                "nul.jsonl:6005: NUL byte (binary data) in this record; record skipped"
            );
        }
        let replaced = |bytes: &[u8]| {
            let docs = read("r.jsonl", bytes, 7, usize::MAX);
            docs.docs.iter().map(|d| d.replacements).sum::<usize>()
        };
        assert_eq!(replaced(&jsonl), 2 * 4);
    }

    fn messages(docs: &FileDocs) -> Vec<String> {
        docs.warnings.iter().map(|w| w.to_string()).collect()
    }

    /// Each document counts the replacements in its own record; those of
    /// a skipped record belong to none. The same in any block size.
    #[test]
    fn replacements_belong_to_their_record() {
        // Enough Chinese for the file to be judged damaged UTF-8.
        let mut jsonl = "{\"text\":\"两重建设两新工作两重建设两新工作\"}\n"
            .as_bytes()
            .to_vec();
        jsonl.extend(b"{\"text\":\"\xFFb\xFF\"}\n{broken \xFF\n");
        jsonl.extend(b"{\"text\":\"c\",\"x\":\"\xFF\"}\n");
        for block in [1, 5, usize::MAX >> 1] {
            let docs = read("r.jsonl", &jsonl, block, usize::MAX);
            let counts: Vec<usize> =
                docs.docs.iter().map(|d| d.replacements).collect();
            assert_eq!(counts, [0, 2, 1], "{block}");
            assert!(messages(&docs).last().unwrap().contains(": 4 invalid"));
        }
    }

    /// A record CSV separated by semicolons or tabs is read as one
    /// separated by commas, the separator found on its header line; a
    /// comma inside a field is then text.
    #[test]
    fn csv_separators_are_sniffed() {
        for sep in [";", "\t"] {
            let csv =
                format!("id{sep}text\na{sep}两重, 两新\nb{sep}\"x{sep}y\"\n");
            let bytes = [csv.as_bytes().to_vec(), utf16le(&csv)];
            for (bytes, block) in bytes.iter().flat_map(|b| {
                [1, 3, usize::MAX >> 1].into_iter().map(move |n| (b, n))
            }) {
                let docs = read("s.csv", bytes, block, usize::MAX);
                let got: Vec<(&str, &str)> = docs
                    .docs
                    .iter()
                    .map(|d| (d.id.as_str(), d.text.as_str()))
                    .collect();
                let want = [("a", "两重, 两新"), ("b", &*format!("x{sep}y"))];
                assert_eq!(got, want, "{sep:?} {block}");
                assert!(docs.warnings.is_empty(), "{sep:?} {block}");
            }
        }
    }

    /// A record after blank lines is reported at its own line (the `csv`
    /// crate puts it on the first blank line), whatever the block size.
    #[test]
    fn csv_lines_after_blank_lines() {
        let csv = "id,text\n\n\r\nragged\na,两重\n";
        for block in [1, usize::MAX >> 1] {
            let docs = read("b.csv", csv.as_bytes(), block, usize::MAX);
            assert_eq!(
                messages(&docs),
                ["b.csv:4: 1 fields where the header has 2; record skipped"]
            );
        }
    }

    /// An unclosed quote is reported at its line, whatever the block size,
    /// and the records before it are read.
    #[test]
    fn csv_quote_never_closed() {
        let mut csv = String::from("id,text\na,两重\nb,\"open\n");
        for i in 0..100 {
            csv.push_str(&format!("c{i},两新\n"));
        }
        for block in [5, 64, usize::MAX >> 1] {
            let docs = read("q.csv", csv.as_bytes(), block, usize::MAX);
            assert_eq!(docs.docs.len(), 1, "{block}");
            assert_eq!(
                messages(&docs),
                [
                    "q.csv:3: quoted field never closed (no closing \" before the end of the file); the rest of the file skipped"
                ],
                "{block}"
            );
        }
        // Over the cap, the field is dropped as it is read.
        let docs = read("q.csv", csv.as_bytes(), 16, 100);
        assert_eq!(docs.docs.len(), 1);
        assert_eq!(
            messages(&docs),
            [
                "q.csv:3: quoted field never closed: the record runs to the end of the file, over --max-doc-bytes (100 bytes); skipped"
            ]
        );
    }

    /// Records and articles over the cap are skipped and reported at their
    /// line; the others are read, with their own line numbers.
    #[test]
    fn oversized_records_are_skipped_while_read() {
        let long = "长".repeat(100);
        let jsonl = format!(
            "{{\"text\":\"两重\"}}\n{{\"text\":\"{long}\"}}\n{{\"text\":\"两新\"}}\n"
        );
        let docs = read("x.jsonl", jsonl.as_bytes(), 8, 100);
        assert_eq!(docs.docs.len(), 2);
        assert_eq!(docs.docs[1].id, "x.jsonl#3");
        assert_eq!(
            messages(&docs),
            [
                "x.jsonl:2: line over --max-doc-bytes (more than 100 bytes); skipped"
            ]
        );
        let csv = format!("id,text\na,两重\nb,\"{long}\n{long}\"\nc,两新\n");
        let docs = read("x.csv", csv.as_bytes(), 8, 100);
        assert_eq!(docs.docs.len(), 2);
        assert_eq!(docs.docs[1].id, "c");
        assert_eq!(
            messages(&docs),
            [
                "x.csv:3: record over --max-doc-bytes (more than 100 bytes); skipped"
            ]
        );
        let split =
            format!("=== 1\n两重\n=== 2\n{long}\n{long}\n=== 3\n两新\n");
        let docs = read("split.txt", split.as_bytes(), 8, 100);
        let ids: Vec<&str> = docs.docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["split.txt#1", "split.txt#3"]);
        assert_eq!(
            messages(&docs),
            [
                "split.txt:3: article over --max-doc-bytes (more than 100 bytes); skipped"
            ]
        );
        let docs = read("a.txt", long.as_bytes(), 8, 100);
        assert!(docs.docs.is_empty());
        assert_eq!(
            messages(&docs),
            [
                "a.txt: document over --max-doc-bytes (more than 100 bytes); skipped"
            ]
        );
    }

    /// A reader that yields `n` bytes of a quoted CSV field without holding
    /// them.
    struct Endless {
        head: &'static [u8],
        left: usize,
    }

    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if !self.head.is_empty() {
                let n = self.head.len().min(buf.len());
                buf[..n].copy_from_slice(&self.head[..n]);
                self.head = &self.head[n..];
                return Ok(n);
            }
            let n = self.left.min(buf.len());
            buf[..n].fill(b'x');
            self.left -= n;
            Ok(n)
        }
    }

    /// A quoted field of 64 MiB hits the cap; memory holds about the cap
    /// and one block, never the field.
    #[test]
    fn a_huge_quoted_field_hits_the_cap() {
        let input = InputFile::stream("h.csv");
        let opts = ReadOptions {
            block_bytes: 1 << 20,
            max_doc_bytes: 1 << 20,
            ..ReadOptions::default()
        };
        let mut reader = Endless { head: b"id,text\na,\"", left: 64 << 20 };
        let mut all = FileDocs::default();
        read_stream(
            &input,
            &mut reader,
            None,
            &opts,
            &Metadata::default(),
            &mut |b| all.absorb(b),
        )
        .unwrap();
        assert!(all.docs.is_empty());
        assert_eq!(
            messages(&all),
            [
                "h.csv:2: quoted field never closed: the record runs to the end of the file, over --max-doc-bytes (1048576 bytes); skipped"
            ]
        );
    }

    #[test]
    fn nul_after_the_first_block_is_the_same_verdict() {
        let mut late = "两重\n".repeat(30_000).into_bytes();
        late.push(0);
        for bytes in [b"\0two heavy \xE4\xB8\xA4".to_vec(), late] {
            let docs = read("n.txt", &bytes, 64 << 10, usize::MAX);
            assert!(docs.docs.is_empty());
            assert_eq!(
                messages(&docs),
                ["n.txt: binary file (NUL bytes); skipped"]
            );
        }
    }

    /// Documents left out by the size limit or the date range, wherever
    /// the blocks cut the file, leave the others in order, each with its
    /// own rank and replacement count, and the warning names the record
    /// left out. (A record whose line is over the limit before it is whole
    /// is dropped by the reader and takes no rank; ranks only order.)
    #[test]
    fn documents_left_out_leave_the_others_in_place() {
        let mut bytes = Vec::new();
        for (id, date, text) in [
            ("a", "2024-02-01", &b"\xff\xfe\xff"[..]),
            (
                "b",
                "2024-01-06",
                "一篇很长的文章，远远超过了上限的长度。".as_bytes(),
            ),
            ("c", "2024-01-05", "两重".as_bytes()),
            ("d", "2023-12-31", "两新".as_bytes()),
            ("e", "2024-03-01", "新质".as_bytes()),
        ] {
            let head = format!(r#"{{"id":"{id}","date":"{date}","text":""#);
            bytes.extend_from_slice(head.as_bytes());
            bytes.extend_from_slice(text);
            bytes.extend_from_slice(b"\"}\n");
        }
        for block in [1, 2, 3, 7, 50, 1 << 20] {
            let opts = ReadOptions {
                block_bytes: block,
                max_doc_bytes: 50,
                since: Some("2024".into()),
                ..ReadOptions::default()
            };
            let out = documents_from_bytes("n.jsonl", &bytes, &opts);
            let kept: Vec<_> = out
                .docs
                .iter()
                .map(|d| (d.id.as_str(), d.replacements))
                .collect();
            assert_eq!(kept, [("a", 3), ("c", 0), ("e", 0)], "block {block}");
            let ranks: Vec<_> = out.docs.iter().map(|d| d.rank.1).collect();
            assert!(ranks.is_sorted_by(|a, b| a < b), "{ranks:?}");
            assert_eq!(out.filtered, 1, "block {block}");
            let skipped = &out.warnings[0];
            assert!(skipped.skipped, "{skipped:?}");
            assert!(skipped.location.starts_with("n.jsonl:2"), "{skipped:?}");
        }
        // Read whole, the record over the limit is left out after it was
        // read, and named by its id too.
        let whole = ReadOptions {
            max_doc_bytes: 50,
            since: Some("2024".into()),
            ..ReadOptions::default()
        };
        let out = documents_from_bytes("n.jsonl", &bytes, &whole);
        assert_eq!(out.warnings[0].location, r#"n.jsonl:2 (id "b")"#);
        let ranks: Vec<_> = out.docs.iter().map(|d| d.rank.1).collect();
        assert_eq!(ranks, [0, 2, 4]);
    }
}
