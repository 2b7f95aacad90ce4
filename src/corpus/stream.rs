//! A file as a stream of decoded text, cut into pieces at record
//! boundaries, so that memory stays bounded whatever the size of a file:
//! [`TextReader`] reads and decodes block by block; a [`Cutter`] finds
//! where the text read so far may be cut (after a JSONL line, after a CSV
//! record, before a `--split` line).

use std::borrow::Cow;
use std::io::Read;

use super::decode::{StreamDecoder, sniff};

/// The first read of a stream, on which its encoding is decided, is at
/// least this long.
pub(super) const SNIFF_BYTES: usize = 64 << 10;

/// What [`TextReader::open`] found at the start of a stream.
pub(super) enum Opened<'r> {
    /// Text, to be read with the reader.
    Text(TextReader<'r>),
    /// Binary data: NUL bytes, and no byte-order mark or `--encoding`;
    /// or UTF-32, which encoding_rs does not decode.
    Binary(Binary),
}

/// What binary data looks like, for the hint of its warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Binary {
    /// Nothing tifa can say more about.
    Data,
    /// UTF-16 without a byte-order mark: its encoding label,
    /// `utf-16le` or `utf-16be` (see [`utf16_without_bom`]).
    Utf16(&'static str),
    /// UTF-32, with its byte-order mark or two NUL bytes in every four.
    Utf32,
}

/// Reads and decodes a stream block by block.
pub(super) struct TextReader<'r> {
    reader: &'r mut dyn Read,
    block: usize,
    /// Bytes read and not decoded yet.
    raw: Vec<u8>,
    /// How many bytes at the start of `raw` are UTF-8 text found valid
    /// while sniffing, and passed on without a second check.
    valid: usize,
    decoder: StreamDecoder,
    nul_is_binary: bool,
    /// The first block holds a NUL byte past its first line (see
    /// [`Plan::nul_seen`]).
    ///
    /// [`Plan::nul_seen`]: super::decode::Plan::nul_seen
    pub nul_seen: bool,
    /// A NUL byte was read where it makes the input binary: the bytes
    /// before it are decoded, then [`Step::Binary`] is returned.
    nul_read: bool,
    eof: bool,
    /// The encoding, by its WHATWG name.
    pub encoding: &'static str,
    /// The encoding was guessed with low confidence.
    pub uncertain: bool,
    /// The `--encoding` set aside for UTF-8 (see [`Plan`]).
    ///
    /// [`Plan`]: super::decode::Plan
    pub set_aside: Option<&'static str>,
    /// The byte order of UTF-16 that the text reads in, when `--encoding`
    /// names the other (see [`Plan`]).
    ///
    /// [`Plan`]: super::decode::Plan
    pub other_byte_order: Option<&'static str>,
    /// The stream holds no byte at all.
    pub empty: bool,
}

/// What [`TextReader::next`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    /// Text was appended; more may follow.
    More,
    /// The last text was appended.
    Last,
    /// A NUL byte in a later block of a text read whole: binary data.
    Binary,
}

/// Reads a file of `size` bytes (its size when opened, under `first`) into
/// `raw`, and on up to `first` bytes if it has grown since. A read that
/// comes short of the buffer, `size + 1` bytes, with `size` bytes read is
/// the end of a file: the read after it that `read_to_end` makes to see
/// the end was a fifth of the system calls of a folder of small files.
fn read_small(
    reader: &mut dyn Read,
    raw: &mut Vec<u8>,
    size: usize,
    first: usize,
) -> std::io::Result<usize> {
    raw.resize(size + 1, 0);
    let mut n = 0;
    while n < raw.len() {
        match reader.read(&mut raw[n..]) {
            Ok(0) => break,
            Ok(got) => {
                n += got;
                if n == size {
                    break;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    raw.truncate(n);
    if n > size {
        let more = (first - n) as u64;
        n += reader.take(more).read_to_end(raw)?;
    }
    Ok(n)
}

impl<'r> TextReader<'r> {
    /// Reads the first block (at least [`SNIFF_BYTES`]) and decides how
    /// to decode the stream; `size`, when known, sizes the buffer once.
    pub fn open(
        reader: &'r mut dyn Read,
        forced: Option<&'static encoding_rs::Encoding>,
        block: usize,
        size: Option<u64>,
    ) -> std::io::Result<Opened<'r>> {
        let block = block.max(1);
        let first = block.max(SNIFF_BYTES);
        let mut raw = Vec::new();
        let n = match size.filter(|&n| n < first as u64) {
            Some(size) => read_small(reader, &mut raw, size as usize, first)?,
            None => {
                raw.reserve_exact(size.map_or(0, |_| first));
                reader.take(first as u64).read_to_end(&mut raw)?
            }
        };
        let eof = n < first;
        let Some(plan) = sniff(&raw, !eof, forced) else {
            let kind = if looks_like_utf32(&raw) {
                Binary::Utf32
            } else if let Some(label) = utf16_without_bom(&raw) {
                Binary::Utf16(label)
            } else {
                Binary::Data
            };
            return Ok(Opened::Binary(kind));
        };
        raw.drain(..plan.bom);
        Ok(Opened::Text(TextReader {
            reader,
            block,
            empty: n == 0,
            raw,
            valid: if plan.encoding == encoding_rs::UTF_8 {
                plan.valid_utf8
            } else {
                0
            },
            decoder: StreamDecoder::new(plan.encoding),
            nul_is_binary: plan.nul_is_binary,
            nul_seen: plan.nul_seen,
            nul_read: false,
            eof,
            encoding: plan.encoding.name(),
            uncertain: plan.uncertain,
            set_aside: plan.set_aside.map(|e| e.name()),
            other_byte_order: plan.other_byte_order,
        }))
    }

    /// Reads NUL bytes as text, for a reader of records that skips the
    /// record holding one.
    pub fn nul_is_text(&mut self) {
        self.nul_is_binary = false;
    }

    /// The bytes read and not decoded yet: after [`open`](Self::open),
    /// the start of the stream.
    pub fn first_bytes(&self) -> &[u8] {
        &self.raw
    }

    /// The text of the first `max` bytes of the stream (after
    /// [`open`](Self::open)), a character cut by that end left out:
    /// borrowed when they were found valid UTF-8 while sniffing.
    pub fn first_text(&self, max: usize) -> Cow<'_, str> {
        let n = self.raw.len().min(max);
        if n <= self.valid {
            let valid = self.valid_text();
            return Cow::Borrowed(&valid[..valid.floor_char_boundary(n)]);
        }
        let encoding =
            encoding_rs::Encoding::for_label(self.encoding.as_bytes())
                .unwrap_or(encoding_rs::UTF_8);
        encoding.decode_without_bom_handling(&self.raw[..n]).0
    }

    /// Invalid byte sequences replaced so far.
    pub fn replacements(&self) -> usize {
        self.decoder.replacements
    }

    /// Whether the stream ended inside a character: its last replacement
    /// stands for a last line cut short (see [`StreamDecoder`]).
    pub fn cut_short(&self) -> bool {
        self.decoder.cut_short
    }

    /// Where the replacement characters are, in bytes of the whole text
    /// decoded (from `offset` on: older ones are forgotten).
    pub fn replaced_from(&mut self, offset: u64) -> &[u64] {
        let positions = &mut self.decoder.positions;
        let old = positions.partition_point(|&p| p < offset);
        positions.drain(..old);
        positions
    }

    /// Decodes the next block (about `block` bytes) onto `out`.
    pub fn next(&mut self, out: &mut String) -> std::io::Result<Step> {
        if self.valid > 0 {
            return Ok(self.pass_valid(out));
        }
        // Left over: at most a character cut by the end of the last block.
        let spent = self.raw.len() < 4;
        if self.nul_read && spent {
            return Ok(Step::Binary);
        }
        if self.decoder.is_utf8() && !self.eof && !self.nul_read && spent {
            return self.read_utf8(out);
        }
        if !self.eof && !self.nul_read && self.raw.len() < self.block {
            let kept = self.raw.len();
            let n = (&mut *self.reader)
                .take(self.block as u64)
                .read_to_end(&mut self.raw)?;
            self.eof = n < self.block;
            if let Some(nul) = self.first_nul(&self.raw[kept..]) {
                self.raw.truncate(kept + nul);
                self.nul_read = true;
            }
        }
        // At least one whole character per call (UTF-8 has up to 4 bytes).
        let n = self.raw.len().min(self.block.max(4));
        let last = self.eof && !self.nul_read && n == self.raw.len();
        let used = self.decoder.decode(&self.raw[..n], last, out);
        self.raw.drain(..used);
        Ok(if last { Step::Last } else { Step::More })
    }

    /// [`next`](Self::next) for UTF-8: reads the block straight onto
    /// `out` and validates it there, instead of copying it from a buffer
    /// (a copy of the whole corpus, 3% of a JSONL run's instructions).
    /// What is not valid, a character cut by the end of the block or an
    /// invalid sequence, goes back to the buffer for [`StreamDecoder`].
    fn read_utf8(&mut self, out: &mut String) -> std::io::Result<Step> {
        // SAFETY: every byte appended to `out` below is either validated
        // as UTF-8 or cut off again before this returns.
        let text = unsafe { out.as_mut_vec() };
        let start = text.len();
        text.append(&mut self.raw);
        let read =
            (&mut *self.reader).take(self.block as u64).read_to_end(text);
        let n = match read {
            Ok(n) => n,
            Err(e) => {
                text.truncate(start);
                return Err(e);
            }
        };
        self.eof = n < self.block;
        if let Some(nul) = self.first_nul(&text[text.len() - n..]) {
            text.truncate(text.len() - n + nul);
            self.nul_read = true;
        }
        let new = &text[start..];
        let valid = match simdutf8::compat::from_utf8(new) {
            Ok(_) => new.len(),
            Err(e) => e.valid_up_to(),
        };
        self.raw.extend_from_slice(&text[start + valid..]);
        text.truncate(start + valid);
        self.decoder.passed(valid);
        Ok(if self.eof && !self.nul_read && self.raw.is_empty() {
            Step::Last
        } else {
            Step::More
        })
    }

    /// [`next`](Self::next) for the bytes found valid while sniffing
    /// (validating them again cost 2% of a run over a folder of small
    /// files): passed on as they are, a block at most.
    fn pass_valid(&mut self, out: &mut String) -> Step {
        let valid = self.valid_text();
        let n = valid.floor_char_boundary(valid.len().min(self.block.max(4)));
        out.push_str(&valid[..n]);
        self.raw.drain(..n);
        self.valid -= n;
        self.decoder.passed(n);
        // No NUL was read: sniffing found none, or NUL is text.
        if self.eof && self.raw.is_empty() { Step::Last } else { Step::More }
    }

    /// The bytes at the start of `raw` that sniffing found valid UTF-8.
    fn valid_text(&self) -> &str {
        // SAFETY: `valid` counts bytes that simdutf8 validated, from the
        // start of `raw`; they only leave it from its start (`drain`), and
        // `valid` shrinks with them.
        unsafe { std::str::from_utf8_unchecked(&self.raw[..self.valid]) }
    }

    /// Where the first NUL byte of `bytes` is, if NUL makes the input
    /// binary.
    fn first_nul(&self, bytes: &[u8]) -> Option<usize> {
        memchr::memchr(0, bytes).filter(|_| self.nul_is_binary)
    }
}

/// UTF-32's byte-order mark, little- or big-endian.
pub(super) fn starts_with_utf32_bom(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\xFF\xFE\0\0") || bytes.starts_with(b"\0\0\xFE\xFF")
}

/// UTF-32: its byte-order mark (`FF FE 00 00`, `00 00 FE FF`), or nine
/// characters in ten with their two high bytes NUL and a low byte not, as
/// text of the BMP is (UTF-16 has at most one NUL in two bytes, and a file
/// of NUL bytes is no text).
pub(super) fn looks_like_utf32(bytes: &[u8]) -> bool {
    if starts_with_utf32_bom(bytes) {
        return true;
    }
    let sample = &bytes[..bytes.len().min(4096)];
    let units = sample.len() / 4;
    // Little-endian: bytes 2 and 3 of each unit are the high ones.
    let chars = |high: usize, low: usize| {
        (sample.chunks_exact(4))
            .filter(|u| u[high] | u[high + 1] == 0 && u[low] | u[low + 1] != 0)
            .count()
    };
    units >= 2
        && (chars(2, 0) * 10 >= units * 9 || chars(0, 2) * 10 >= units * 9)
}

/// The UTF-16 that `bytes` look like without a byte-order mark, as an
/// encoding label: the byte order in which nine code units in ten at
/// least are plausible text (ASCII, CJK, their punctuation and full-width
/// forms), the more so of the two. Judged on the units, not on where the
/// NULs fall: common Han characters have a NUL byte too (一 is U+4E00),
/// on the side opposite ASCII's, and Chinese text has few ASCII
/// characters.
pub(super) fn utf16_without_bom(bytes: &[u8]) -> Option<&'static str> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    let plausible = |unit: fn([u8; 2]) -> u16| {
        let units = sample.chunks_exact(2).map(|p| unit([p[0], p[1]]));
        units
            .filter(|&u| {
                matches!(u, 0x09 | 0x0A | 0x0D | 0x20..=0x7E | 0xA0..=0xFF
                    | 0x2000..=0x206F | 0x3000..=0x303F | 0x4E00..=0x9FFF
                    | 0xFF00..=0xFFEF)
            })
            .count()
    };
    let (le, be) =
        (plausible(u16::from_le_bytes), plausible(u16::from_be_bytes));
    let (label, best) = match le >= be {
        true => ("utf-16le", le),
        false => ("utf-16be", be),
    };
    (best > 0 && best * 20 >= sample.len() * 9).then_some(label)
}

/// Where the text of a file may be cut: pieces between cuts are read
/// independently. Positions are byte offsets into the text held (which
/// always starts at a boundary); [`Cutter::shift`] moves them when text is
/// dropped from the front.
pub(super) enum Cutter {
    /// Never: one document per file.
    Whole,
    /// After each line end (JSONL).
    Lines,
    /// At the start of a CSV record after the header.
    Csv(CsvScan),
    /// Before each line that matches `--split`.
    Split {
        /// The `--split` pattern.
        regex: regex::Regex,
        /// Start of the line not yet complete.
        line_start: usize,
        /// The start of that line was dropped.
        partial: bool,
    },
}

/// The first and the last boundary found by one scan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Cuts {
    pub first: Option<usize>,
    pub last: Option<usize>,
}

impl Cuts {
    fn add(&mut self, at: usize) {
        self.first.get_or_insert(at);
        self.last = Some(at);
    }
}

impl Cutter {
    /// Scans `text[from..]` (the text appended since the last scan) for
    /// boundaries. A `--split` line at the very start is reported too: the
    /// end of a record being skipped, or nothing to cut otherwise.
    pub fn scan(&mut self, text: &str, from: usize) -> Cuts {
        let mut cuts = Cuts::default();
        match self {
            Cutter::Whole => {}
            Cutter::Lines => {
                let new = &text.as_bytes()[from..];
                if let Some(i) = memchr::memchr(b'\n', new) {
                    cuts.add(from + i + 1);
                    let j = memchr::memrchr(b'\n', new).unwrap_or(i);
                    cuts.add(from + j + 1);
                }
            }
            Cutter::Csv(scan) => scan.scan(text.as_bytes(), from, &mut cuts),
            Cutter::Split { regex, line_start, partial } => {
                let bytes = text.as_bytes();
                for i in memchr::memchr_iter(b'\n', &bytes[from..]) {
                    let end = from + i;
                    let line = text[*line_start..end].trim_end_matches('\r');
                    if !*partial && regex.is_match(line) {
                        cuts.add(*line_start);
                    }
                    *partial = false;
                    *line_start = end + 1;
                }
            }
        }
        cuts
    }

    /// How much of `text` may be dropped while a record over `cap` is
    /// skipped: a `--split` line is kept to be judged whole, unless it is
    /// itself over the cap (it is then no article start).
    pub fn droppable(&mut self, text: &str, cap: usize) -> usize {
        match self {
            Cutter::Split { line_start, partial, .. } => {
                if text.len() - *line_start > cap {
                    *partial = true;
                    text.len()
                } else {
                    *line_start
                }
            }
            _ => text.len(),
        }
    }

    /// The text before `n` was dropped.
    pub fn shift(&mut self, n: usize) {
        match self {
            Cutter::Whole | Cutter::Lines => {}
            Cutter::Csv(scan) => {
                scan.record_start = scan.record_start.saturating_sub(n);
                scan.quote_start = scan.quote_start.saturating_sub(n);
            }
            Cutter::Split { line_start, .. } => {
                *line_start = line_start.saturating_sub(n)
            }
        }
    }
}

/// What a quoted field never closed is called in messages.
pub const UNCLOSED_QUOTE: &str =
    "quoted field never closed (no closing \" before the end of the file)";

/// The field separator of a CSV text, from its first record (the header):
/// of commas, semicolons (CSV as spreadsheets save it where the comma is
/// the decimal sign) and tabs (Excel's "Unicode text"), the one found most
/// often outside quotes, a comma before a semicolon before a tab when as
/// often, and a comma when none is. A comma in a column name (`id;text;"note,
/// remark"`, `id;text;note (a,b)`) does not make a semicolon-separated
/// header comma-separated. Works on the bytes of any encoding that keeps
/// ASCII as is (UTF-8, GB18030, Big5).
pub fn sniff_delimiter(bytes: &[u8]) -> u8 {
    const SEPARATORS: [u8; 3] = [b',', b';', b'\t'];
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in bytes {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                if let Some(i) = SEPARATORS.iter().position(|&d| d == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    // The last of the largest counts, over the separators in reverse.
    let most = (0..3).rev().max_by_key(|&i| counts[i]).unwrap_or(0);
    SEPARATORS[most]
}

/// Where a whole CSV text holds a quoted field that is never closed: the
/// start of its record, and the line of the quote. The `csv` crate reads
/// such a field to the end of the file, the rows after it included,
/// without a word.
pub fn unclosed_quote(bytes: &[u8], delimiter: u8) -> Option<(usize, usize)> {
    // Before the first quote every line break ends a record: the scan
    // starts at the line of that quote (most tables have few quotes, and
    // a scan stopping at every field took 8% of reading one).
    let quote = memchr::memchr(b'"', bytes)?;
    let line =
        memchr::memrchr2(b'\n', b'\r', &bytes[..quote]).map_or(0, |i| i + 1);
    let mut scan = CsvScan::new(delimiter);
    scan.scan(bytes, line, &mut Cuts::default());
    (scan.state == CsvState::Quoted).then(|| {
        let line = super::RecordLines::new(bytes, 1).at(scan.quote_start).0;
        (scan.record_start, line)
    })
}

/// States of an RFC 4180 reader, as `csv-core` reads by default (`"`
/// quotes, doubled inside quotes; CR, LF or CRLF end a record; a quote
/// inside an unquoted field is a plain character).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum CsvState {
    /// Between records (blank lines are skipped).
    #[default]
    RecordStart,
    /// At the start of a field.
    FieldStart,
    /// In an unquoted field.
    Unquoted,
    /// In a quoted field.
    Quoted,
    /// After a quote in a quoted field: the end of it, or the first of two.
    QuoteInQuoted,
}

/// Finds the ends of CSV records, and where an unclosed quote started.
#[derive(Debug, Clone)]
pub(super) struct CsvScan {
    /// The field separator.
    delimiter: u8,
    /// The state after the text scanned so far.
    pub state: CsvState,
    /// Start of the current record.
    pub record_start: usize,
    /// Start of the last quoted field.
    pub quote_start: usize,
    /// Whether a record (the header) has ended.
    ended: bool,
}

impl CsvScan {
    pub fn new(delimiter: u8) -> CsvScan {
        CsvScan {
            delimiter,
            state: CsvState::default(),
            record_start: 0,
            quote_start: 0,
            ended: false,
        }
    }

    fn scan(&mut self, bytes: &[u8], from: usize, cuts: &mut Cuts) {
        use CsvState::*;
        let mut i = from;
        while i < bytes.len() {
            // Jump over the plain bytes of a field.
            let skip = match self.state {
                Quoted => memchr::memchr(b'"', &bytes[i..]),
                Unquoted => {
                    memchr::memchr3(self.delimiter, b'\n', b'\r', &bytes[i..])
                }
                _ => Some(0),
            };
            let Some(skip) = skip else { break };
            i += skip;
            let b = bytes[i];
            if self.state == RecordStart && b != b'\r' && b != b'\n' {
                // Pieces start where a record does (never before the
                // header), so that blank lines never lead a piece: the
                // `csv` crate would count them into the record's line.
                if self.ended {
                    cuts.add(i);
                }
                self.state = FieldStart;
                self.record_start = i;
            }
            let before = self.state;
            self.state = match (self.state, b) {
                (RecordStart, _) => RecordStart,
                (FieldStart, b'"') => {
                    self.quote_start = i;
                    Quoted
                }
                (Quoted, b'"') => QuoteInQuoted,
                (Quoted, _) => Quoted,
                (QuoteInQuoted, b'"') => Quoted,
                (_, b) if b == self.delimiter => FieldStart,
                (_, b'\r' | b'\n') => RecordStart,
                _ => Unquoted,
            };
            if before != RecordStart && self.state == RecordStart {
                self.ended = true;
            }
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The separator found most often outside quotes on the header line.
    #[test]
    fn separators_of_header_lines() {
        for (header, want) in [
            ("id,date,text\n1;2;3", b','),
            ("id;date;text", b';'),
            ("id\tdate\ttext", b'\t'),
            ("id;text;\"note, remark\"", b';'),
            ("id;text;note (a,b)", b';'),
            ("id\ttext\t\"a, b; c\"", b'\t'),
            ("\"a;b\",c", b','),
            ("id,title;subtitle,text", b','),
            ("a,b;c", b','),
            ("text", b','),
            ("", b','),
        ] {
            assert_eq!(sniff_delimiter(header.as_bytes()), want, "{header:?}");
        }
    }

    /// Bytes handed out `piece` at a time, an interruption first; counts
    /// the reads.
    struct Pieces {
        bytes: Vec<u8>,
        at: usize,
        piece: usize,
        reads: usize,
    }

    impl Read for Pieces {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.reads += 1;
            if self.reads == 1 {
                return Err(std::io::ErrorKind::Interrupted.into());
            }
            let n = buf.len().min(self.piece).min(self.bytes.len() - self.at);
            buf[..n].copy_from_slice(&self.bytes[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    proptest::proptest! {
        /// The scan from the line of the first quote finds what a scan
        /// of the whole text finds.
        #[test]
        fn unclosed_quotes_found_from_the_first_quote(
            text in "[a,\"\r\n]{0,40}",
        ) {
            let bytes = text.as_bytes();
            let mut whole = CsvScan::new(b',');
            whole.scan(bytes, 0, &mut Cuts::default());
            let want = (whole.state == CsvState::Quoted).then(|| {
                let line = super::super::RecordLines::new(bytes, 1)
                    .at(whole.quote_start)
                    .0;
                (whole.record_start, line)
            });
            proptest::prop_assert_eq!(unclosed_quote(bytes, b','), want);
        }
    }

    /// A small file is read whole without a read to see its end, and one
    /// that grew or shrank since its size was taken is read to its end.
    #[test]
    fn small_files_read_whole() {
        let read = |len: usize, size: usize, piece: usize| {
            let bytes: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let mut r =
                Pieces { bytes: bytes.clone(), at: 0, piece, reads: 0 };
            let mut raw = Vec::new();
            let n = read_small(&mut r, &mut raw, size, 100).unwrap();
            assert_eq!(n, raw.len());
            assert_eq!(raw, bytes[..len.min(100)], "{len} {size} {piece}");
            r.reads - 1
        };
        // The size as stated: no read after the last byte.
        assert_eq!(read(10, 10, 64), 1);
        assert_eq!(read(10, 10, 3), 4);
        assert_eq!(read(0, 0, 3), 1);
        // Grown since (read up to the first block), or shrunk: read until
        // a read finds the end.
        read(30, 10, 64);
        read(300, 10, 7);
        assert_eq!(read(5, 10, 64), 2);
    }

    fn csv_cuts(text: &str) -> (Vec<usize>, CsvState) {
        let mut scan = CsvScan::new(b',');
        let mut all = Vec::new();
        // Byte by byte: the state carries over between scans.
        for i in 0..text.len() {
            let mut cuts = Cuts::default();
            scan.scan(&text.as_bytes()[..i + 1], i, &mut cuts);
            all.extend(cuts.first);
        }
        (all, scan.state)
    }

    #[test]
    fn csv_record_ends() {
        let (cuts, state) =
            csv_cuts("a,b\n\"x\ny\",\"q\"\"\n\"\r\n5\" tv,z\n");
        assert_eq!(cuts, [4, 18]);
        assert_eq!(state, CsvState::RecordStart);
        let (cuts, state) = csv_cuts("a\n\"open,\nrest\n");
        assert_eq!(cuts, [2]);
        assert_eq!(state, CsvState::Quoted);
        // Blank lines before the header end no record: no cut before it.
        let (cuts, _) = csv_cuts("\n\r\nid\n\na\n");
        assert_eq!(cuts, [7]);
    }

    #[test]
    fn split_cuts_before_matching_lines() {
        let mut cutter = Cutter::Split {
            regex: regex::Regex::new("^===").unwrap(),
            line_start: 0,
            partial: false,
        };
        let text = "=== a\nx\n=== b\ny\n===";
        let cuts = cutter.scan(text, 0);
        assert_eq!(cuts, Cuts { first: Some(0), last: Some(8) });
    }
}
