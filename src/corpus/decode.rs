//! Bytes to text: the input policy.
//!
//! 1. A byte-order mark decides (UTF-8, UTF-16LE, UTF-16BE) and is removed;
//!    it overrides `--encoding`.
//! 2. `--encoding LABEL` (a WHATWG label: `gbk`, `gb18030`, `big5`, ...),
//!    unless the file is valid UTF-8 and broken in that encoding: then it
//!    is UTF-8, with a warning.
//! 3. Otherwise a NUL byte makes the input binary, to be skipped, when it
//!    is in the first line, or the start reads as UTF-16 or UTF-32 without
//!    a byte-order mark. A NUL later on is judged by the reader, which
//!    knows the format: it skips a whole text, or the one record holding
//!    it (see [`Plan::nul_seen`]).
//! 4. Strict UTF-8; mostly valid UTF-8 (at most one broken sequence per 4
//!    valid non-ASCII characters: legacy CJK encodings make about one
//!    broken sequence per character, and valid UTF-8 ones by chance only)
//!    stays UTF-8 with replacements; otherwise detection with chardetng.
//!    GBK is decoded as GB18030, its superset.
//!
//! The decision is taken on the first block of a file (at least 64 KiB);
//! the rest is decoded as a stream.
//!
//! Invalid sequences become U+FFFD and are counted, never a crash.

use encoding_rs::Encoding;

/// Decoded text and what decoding had to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without byte-order mark.
    pub text: String,
    /// The encoding used, by its WHATWG name.
    pub encoding: &'static str,
    /// Invalid sequences replaced by U+FFFD.
    pub replacements: usize,
    /// The encoding was guessed, with low confidence.
    pub uncertain: bool,
}

/// Bytes of a file given to the detector.
const DETECTION_SAMPLE: usize = 1 << 18;

/// Below this many non-ASCII bytes a detected encoding is flagged uncertain.
const MIN_DETECTION_BYTES: usize = 24;

/// Decodes a file's bytes; `None` for a binary file. Valid UTF-8 without
/// a byte-order mark, the common case, becomes the text as it is, not
/// validated again into a copy (a People's Daily `metadata.csv` of
/// 2.8 MB is read before any article).
pub fn decode(
    bytes: Vec<u8>,
    forced: Option<&'static Encoding>,
) -> Option<Decoded> {
    let plan = sniff(&bytes, false, forced)?;
    let utf8 = plan.encoding == encoding_rs::UTF_8 && plan.bom == 0;
    if utf8 && plan.set_aside.is_none() && plan.valid_utf8 == bytes.len() {
        // SAFETY: `sniff` found all of `bytes` valid UTF-8.
        let text = unsafe { String::from_utf8_unchecked(bytes) };
        return Some(Decoded {
            text,
            encoding: plan.encoding.name(),
            replacements: 0,
            uncertain: plan.uncertain,
        });
    }
    Some(decode_planned(&bytes, plan).0)
}

/// [`decode`], with where each replacement character is in the text (in
/// bytes): to name the line of an invalid sequence.
pub(crate) fn decode_with_positions(
    bytes: &[u8],
    forced: Option<&'static Encoding>,
) -> Option<(Decoded, Vec<u64>)> {
    let plan = sniff(bytes, false, forced)?;
    Some(decode_planned(bytes, plan))
}

/// Decodes `bytes` as `plan`, which [`sniff`] made of all of them, says.
fn decode_planned(bytes: &[u8], plan: Plan) -> (Decoded, Vec<u64>) {
    let mut decoder = StreamDecoder::new(plan.encoding);
    let mut text = String::with_capacity(bytes.len());
    decoder.decode(&bytes[plan.bom..], true, &mut text);
    let decoded = Decoded {
        text,
        encoding: plan.encoding.name(),
        replacements: decoder.replacements,
        uncertain: plan.uncertain,
    };
    (decoded, decoder.positions)
}

/// How a stream of bytes is decoded, decided on its first block.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Plan {
    /// The encoding.
    pub encoding: &'static Encoding,
    /// Length of the byte-order mark to skip.
    pub bom: usize,
    /// The encoding was guessed, with low confidence.
    pub uncertain: bool,
    /// Neither a byte-order mark nor `--encoding` decided: a NUL byte
    /// makes the input binary (a reader of records sets this aside).
    pub nul_is_binary: bool,
    /// The sample holds a NUL byte past its first line: binary for a text
    /// read whole; in records, the record holding it is skipped.
    pub nul_seen: bool,
    /// `--encoding` named this encoding, but the start of the stream is
    /// valid UTF-8 and broken in it, so it is read as UTF-8 (a folder of
    /// GBK files often holds a few in UTF-8).
    pub set_aside: Option<&'static Encoding>,
    /// `--encoding` named a UTF-16 whose byte order the text does not
    /// read in, and this one it does: the file is read as asked, with a
    /// warning (read the other way, UTF-16 decodes to Han characters
    /// unrelated to the text, and nothing matches).
    pub other_byte_order: Option<&'static str>,
    /// How many bytes at the start of the sample were found valid UTF-8
    /// while sniffing (none after a byte-order mark): a small file is all
    /// of its sample, and need not be validated again.
    pub valid_utf8: usize,
}

/// Decides how to decode a stream from its first bytes (`more`: bytes
/// follow); `None` for binary data.
pub(crate) fn sniff(
    sample: &[u8],
    more: bool,
    forced: Option<&'static Encoding>,
) -> Option<Plan> {
    // UTF-32's mark starts as UTF-16LE's does (`FF FE`): not text tifa
    // can decode. (Without it, its NUL bytes make it binary below.)
    if super::stream::starts_with_utf32_bom(sample) {
        return None;
    }
    if let Some((enc, bom)) = Encoding::for_bom(sample) {
        return Some(Plan {
            encoding: enc,
            bom,
            uncertain: false,
            nul_is_binary: false,
            nul_seen: false,
            set_aside: None,
            other_byte_order: None,
            valid_utf8: 0,
        });
    }
    // Judged on whole lines when the block is cut.
    let whole = match memchr::memrchr(b'\n', sample) {
        Some(i) if more => &sample[..=i],
        _ => sample,
    };
    let (utf8, valid_utf8) = match simdutf8::compat::from_utf8(sample) {
        Ok(_) => (true, sample.len()),
        // Only the last character is cut off: by the end of the block,
        // or by the end of a file after UTF-8 text (a file read while
        // written, whose cut is reported; not a legacy encoding).
        Err(e) => (
            e.error_len().is_none()
                && (more || !sample[..e.valid_up_to()].is_ascii()),
            e.valid_up_to(),
        ),
    };
    let plan = |encoding, bom, nul_is_binary| Plan {
        encoding,
        bom,
        uncertain: false,
        nul_is_binary,
        nul_seen: false,
        set_aside: None,
        other_byte_order: None,
        valid_utf8,
    };
    if let Some(enc) = forced {
        let broken = || {
            enc.decode_without_bom_handling_and_without_replacement(whole)
                .is_none()
        };
        // UTF-16 text has NUL bytes (those of its line breaks, of ASCII)
        // and never fails to decode: valid UTF-8 without any, ASCII
        // included, is UTF-8.
        let utf16 =
            enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE;
        let text = utf8 && !whole.contains(&0) && (utf16 || !whole.is_ascii());
        if enc != encoding_rs::UTF_8 && text && (utf16 || broken()) {
            return Some(Plan {
                set_aside: Some(enc),
                ..plan(encoding_rs::UTF_8, 0, false)
            });
        }
        let order = utf16.then(|| super::stream::utf16_without_bom(whole));
        let other_byte_order =
            order.flatten().filter(|&o| o != enc.name().to_ascii_lowercase());
        return Some(Plan { other_byte_order, ..plan(enc, 0, false) });
    }
    // Binary at once: a NUL in the first line (a header, a first record or
    // the magic number of a binary format), or UTF-16 or UTF-32 text
    // without its mark. Past that, a stray NUL in text.
    let nul_seen = match memchr::memchr(0, sample) {
        None => false,
        Some(nul) => {
            let first_line =
                memchr::memchr(b'\n', sample).unwrap_or(usize::MAX);
            if nul < first_line
                || super::stream::looks_like_utf32(sample)
                || super::stream::utf16_without_bom(sample).is_some()
            {
                return None;
            }
            true
        }
    };
    if utf8 {
        return Some(Plan { nul_seen, ..plan(encoding_rs::UTF_8, 0, true) });
    }
    // Mostly valid UTF-8 with a few broken sequences is damaged UTF-8, not
    // a legacy encoding.
    let mut utf8 = StreamDecoder::new(encoding_rs::UTF_8);
    let mut text = String::new();
    utf8.decode(whole, true, &mut text);
    let valid_multibyte =
        text.chars().filter(|&c| !c.is_ascii() && c != '\u{FFFD}').count();
    if valid_multibyte > 0 && utf8.replacements * 4 <= valid_multibyte {
        return Some(Plan { nul_seen, ..plan(encoding_rs::UTF_8, 0, true) });
    }
    let mut detector =
        chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    // The start of a file tells the encoding; feeding all of a large file
    // costs seconds.
    // Never told that the input ends: a file cut in the middle of its last
    // character (a truncated download) must not rule its encoding out.
    detector.feed(&sample[..sample.len().min(DETECTION_SAMPLE)], false);
    let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
    let enc =
        if guess == encoding_rs::GBK { encoding_rs::GB18030 } else { guess };
    Some(Plan {
        encoding: enc,
        bom: 0,
        // chardetng is weak on a handful of characters (its README: under
        // about six hanzi); say so rather than guess silently.
        uncertain: sample.iter().filter(|b| !b.is_ascii()).count()
            < MIN_DETECTION_BYTES,
        nul_is_binary: true,
        nul_seen,
        set_aside: None,
        other_byte_order: None,
        valid_utf8,
    })
}

/// Decodes a stream block by block: a character cut by the end of a block
/// is completed by the next one, and every invalid sequence becomes one
/// U+FFFD and is counted (the WHATWG rule, as `encoding_rs` and
/// `String::from_utf8_lossy` apply it).
pub(crate) struct StreamDecoder {
    /// `None` for UTF-8, decoded with the standard library (fast in every
    /// build profile).
    decoder: Option<encoding_rs::Decoder>,
    /// Invalid sequences replaced so far.
    pub replacements: usize,
    /// Where each replacement character was put, in bytes of all the text
    /// decoded so far (the caller may forget the oldest).
    pub positions: Vec<u64>,
    /// Bytes of text decoded so far.
    written: u64,
    /// Whether the input ended inside a character (a file cut short, as
    /// while it is written): its last replacement stands for that.
    pub cut_short: bool,
}

impl StreamDecoder {
    /// A decoder for `enc`; the byte-order mark must already be skipped.
    pub fn new(enc: &'static Encoding) -> StreamDecoder {
        let decoder = (enc != encoding_rs::UTF_8)
            .then(|| enc.new_decoder_without_bom_handling());
        StreamDecoder {
            decoder,
            replacements: 0,
            positions: Vec::new(),
            written: 0,
            cut_short: false,
        }
    }

    /// The stream is UTF-8: its text is its bytes, once they are valid.
    pub fn is_utf8(&self) -> bool {
        self.decoder.is_none()
    }

    /// Counts `n` bytes of valid UTF-8 that the caller put onto the text
    /// itself, as [`decode`](Self::decode) would have copied them.
    pub fn passed(&mut self, n: usize) {
        self.written += n as u64;
    }

    /// Decodes `bytes` onto `out`, all of them when `last`; otherwise an
    /// incomplete character at the end may be left. Returns the number of
    /// bytes consumed: the caller keeps the rest for the next call.
    pub fn decode(
        &mut self,
        bytes: &[u8],
        last: bool,
        out: &mut String,
    ) -> usize {
        let start = out.len();
        let mut at = Vec::new();
        let used = self.decode_at(bytes, last, out, &mut at);
        let base = self.written;
        self.positions.extend(at.iter().map(|&i| base + (i - start) as u64));
        self.replacements += at.len();
        self.written += (out.len() - start) as u64;
        used
    }

    /// Decodes, noting where in `out` each replacement character goes.
    fn decode_at(
        &mut self,
        bytes: &[u8],
        last: bool,
        out: &mut String,
        at: &mut Vec<usize>,
    ) -> usize {
        let Some(decoder) = &mut self.decoder else {
            let (used, cut_short) = decode_utf8(bytes, last, out, at);
            self.cut_short |= cut_short;
            return used;
        };
        // The end told apart: what is malformed only once the decoder
        // knows that no byte follows is a character cut short.
        decode_with(decoder, bytes, false, out, at);
        if last {
            let before = at.len();
            decode_with(decoder, &[], true, out, at);
            self.cut_short |= at.len() > before;
        }
        bytes.len()
    }
}

/// Decodes all of `bytes` with an `encoding_rs` decoder, which keeps an
/// incomplete character at the end for the next call unless `last`.
fn decode_with(
    decoder: &mut encoding_rs::Decoder,
    bytes: &[u8],
    last: bool,
    out: &mut String,
    at: &mut Vec<usize>,
) {
    let mut rest = bytes;
    loop {
        if let Some(need) =
            decoder.max_utf8_buffer_length_without_replacement(rest.len())
        {
            out.reserve(need);
        }
        let (result, read) =
            decoder.decode_to_string_without_replacement(rest, out, last);
        rest = &rest[read..];
        match result {
            encoding_rs::DecoderResult::InputEmpty => return,
            encoding_rs::DecoderResult::OutputFull => {
                out.reserve(rest.len().max(16) * 3);
            }
            encoding_rs::DecoderResult::Malformed(..) => {
                at.push(out.len());
                out.push('\u{FFFD}');
            }
        }
    }
}

/// Decodes UTF-8 as [`StreamDecoder::decode`] does; also whether the
/// input ended inside a character (only when `last`).
fn decode_utf8(
    bytes: &[u8],
    last: bool,
    out: &mut String,
    at: &mut Vec<usize>,
) -> (usize, bool) {
    let mut rest = bytes;
    loop {
        // simdutf8 validates 5–10× faster than the standard library on
        // Chinese text, where the standard library's ASCII fast path
        // never applies; it reports errors the same way.
        match simdutf8::compat::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                return (bytes.len(), false);
            }
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                // SAFETY: the validator has just found these bytes valid.
                // Validating them again cost 1% of a JSONL run: every
                // block but the last ends in a character cut in two.
                out.push_str(unsafe { std::str::from_utf8_unchecked(valid) });
                match e.error_len() {
                    Some(n) => {
                        at.push(out.len());
                        out.push('\u{FFFD}');
                        rest = &after[n..];
                    }
                    None if last => {
                        at.push(out.len());
                        out.push('\u{FFFD}');
                        return (bytes.len(), true);
                    }
                    None => return (bytes.len() - after.len(), false),
                }
            }
        }
    }
}

/// The encoding for a `--encoding` label; replacement and unknown labels
/// are refused.
pub fn encoding_for_label(label: &str) -> Result<&'static Encoding, String> {
    match Encoding::for_label_no_replacement(label.trim().as_bytes()) {
        Some(enc) if enc == encoding_rs::GBK => Ok(encoding_rs::GB18030),
        Some(enc) => Ok(enc),
        None => Err(format!(
            "unknown or unsupported encoding {label:?} (try utf-8, gb18030, gbk, big5, utf-16le)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// UTF-8 decoded in blocks of any size, characters cut at their
        /// ends or not, gives the text and the replacements of one pass.
        #[test]
        fn utf8_blocks_decode_as_one(
            bytes in prop::collection::vec(prop::sample::select(vec![
                b'a', 0x80, 0x98, 0x9F, 0xA4, 0xB8, 0xC3, 0xE0, 0xE4, 0xED,
                0xF0, 0xF4, 0xFF,
            ]), 0..40),
            block in 1usize..9,
        ) {
            let mut one = StreamDecoder::new(encoding_rs::UTF_8);
            let mut want = String::new();
            one.decode(&bytes, true, &mut want);
            let mut parts = StreamDecoder::new(encoding_rs::UTF_8);
            let (mut got, mut pending) = (String::new(), Vec::new());
            for chunk in bytes.chunks(block) {
                pending.extend_from_slice(chunk);
                let used = parts.decode(&pending, false, &mut got);
                pending.drain(..used);
            }
            parts.decode(&pending, true, &mut got);
            prop_assert_eq!(&got, &want);
            prop_assert_eq!(&parts.positions, &one.positions);
        }
    }

    /// Only a character that the end of the input cuts short is told
    /// apart, in UTF-8 and through `encoding_rs`: not a byte that is
    /// invalid wherever it stands, nor a character that the end of a
    /// block cuts.
    #[test]
    fn characters_cut_short_by_the_end() {
        let cases: [(&'static Encoding, &[u8], bool); 8] = [
            (encoding_rs::UTF_8, "两重".as_bytes(), false),
            (encoding_rs::UTF_8, b"\xE4\xB8\xA4\xE9\x87", true),
            (encoding_rs::UTF_8, b"\xE4\xB8\xA4\xFF", false),
            (encoding_rs::UTF_8, b"\xE9\x87a", false),
            (encoding_rs::GB18030, b"\xC1\xBD\xD6", true),
            (encoding_rs::GB18030, b"\xC1\xBD\xFF", false),
            (encoding_rs::UTF_16LE, b"\x24\x4E\x24", true),
            (encoding_rs::UTF_16LE, b"\x24\x4E", false),
        ];
        for (enc, bytes, cut_short) in cases {
            let mut d = StreamDecoder::new(enc);
            let mut text = String::new();
            let used = d.decode(&bytes[..bytes.len() - 1], false, &mut text);
            assert!(!d.cut_short, "{} {bytes:?}: a block's end", enc.name());
            let rest =
                [&bytes[used..bytes.len() - 1], &bytes[bytes.len() - 1..]];
            d.decode(&rest.concat(), true, &mut text);
            assert_eq!(d.cut_short, cut_short, "{} {bytes:?}", enc.name());
            assert!(!cut_short || text.ends_with('\u{FFFD}'));
        }
    }

    /// A UTF-8 file cut inside its last character is UTF-8, with no
    /// guess flagged: the cut is reported as such.
    #[test]
    fn utf8_cut_short_at_the_end_is_utf8() {
        let cut = auto(&"高质量发展".as_bytes()[..14]).unwrap();
        assert_eq!((cut.encoding, cut.uncertain), ("UTF-8", false));
        assert_eq!(
            (cut.text.as_str(), cut.replacements),
            ("高质量发\u{FFFD}", 1)
        );
    }

    fn auto(bytes: &[u8]) -> Option<Decoded> {
        let decoded = decode(bytes.to_vec(), None);
        // Valid UTF-8 taken as it is decodes as the decoder would.
        let decoder = decode_with_positions(bytes, None).map(|d| d.0);
        assert_eq!(
            decoded.as_ref().map(|d| (&d.text, d.encoding, d.replacements)),
            decoder.as_ref().map(|d| (&d.text, d.encoding, d.replacements))
        );
        decoded
    }

    #[test]
    fn boms_and_invalid_bytes() {
        let plain = auto("两重".as_bytes()).unwrap();
        assert_eq!(auto(b"").unwrap().text, "");
        assert_eq!((plain.text.as_str(), plain.replacements), ("两重", 0));
        assert_eq!(auto(b"\xEF\xBB\xBF\xE4\xB8\xA4").unwrap().text, "两");
        assert_eq!(auto(b"\xFF\xFE\x24\x4E").unwrap().text, "两");
        assert_eq!(auto(b"\xFE\xFF\x4E\x24").unwrap().text, "两");
        let bad = decode(b"a\xFFb\xE4\xB8".to_vec(), Some(encoding_rs::UTF_8))
            .unwrap();
        assert_eq!(
            (bad.text.as_str(), bad.replacements),
            ("a\u{FFFD}b\u{FFFD}", 2)
        );
        let real =
            decode(b"\xEF\xBF\xBD\xFF".to_vec(), Some(encoding_rs::UTF_8))
                .unwrap();
        assert_eq!(real.replacements, 1);
        assert!(auto(b"ab\0cd").is_none());
        // A UTF-16 BOM wins over the NUL bytes of UTF-16 text.
        assert_eq!(auto(b"\xFF\xFEa\0b\0").unwrap().text, "ab");
    }

    #[test]
    fn gbk_is_detected_and_decoded_as_gb18030() {
        let (gbk, _, _) = encoding_rs::GBK
            .encode("推进“两重”建设和“两新”工作，加快发展新质生产力。");
        let d = auto(&gbk).unwrap();
        assert_eq!(d.encoding, "gb18030");
        assert_eq!(d.text, "推进“两重”建设和“两新”工作，加快发展新质生产力。");
        // A GB18030 four-byte character.
        let d =
            decode(b"\x95\x32\x82\x36".to_vec(), Some(encoding_rs::GB18030))
                .unwrap();
        assert_eq!(d.text, "\u{20000}");
    }

    #[test]
    fn labels() {
        assert_eq!(encoding_for_label("GBK").unwrap().name(), "gb18030");
        assert!(encoding_for_label("nosuch").is_err());
        assert!(encoding_for_label("csiso2022kr").is_err());
    }
}
