//! Bytes to text: the input policy.
//!
//! 1. A byte-order mark decides (UTF-8, UTF-16LE, UTF-16BE) and is removed;
//!    it overrides `--encoding`.
//! 2. `--encoding LABEL` (a WHATWG label: `gbk`, `gb18030`, `big5`, ...).
//! 3. Otherwise a file with a NUL byte is binary and skipped.
//! 4. Strict UTF-8; mostly valid UTF-8 (at most one broken sequence per 20
//!    valid non-ASCII characters) stays UTF-8 with replacements; otherwise
//!    detection with chardetng. GBK is decoded as GB18030, its superset.
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

/// Decodes a file's bytes; `None` for a binary file.
pub fn decode(
    bytes: &[u8],
    forced: Option<&'static Encoding>,
) -> Option<Decoded> {
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        return Some(decode_with(enc, &bytes[bom..]));
    }
    if let Some(enc) = forced {
        return Some(decode_with(enc, bytes));
    }
    if memchr::memchr(0, bytes).is_some() {
        return None;
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Some(Decoded {
            text: text.to_string(),
            encoding: "UTF-8",
            replacements: 0,
            uncertain: false,
        });
    }
    // Mostly valid UTF-8 with a few broken sequences is damaged UTF-8, not
    // a legacy encoding.
    let utf8 = decode_with(encoding_rs::UTF_8, bytes);
    let valid_multibyte = utf8
        .text
        .chars()
        .filter(|&c| !c.is_ascii() && c != '\u{FFFD}')
        .count();
    if valid_multibyte > 0 && utf8.replacements * 20 <= valid_multibyte {
        return Some(utf8);
    }
    let mut detector =
        chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    // The start of a file tells the encoding; feeding all of a large file
    // costs seconds.
    detector.feed(&bytes[..bytes.len().min(DETECTION_SAMPLE)], true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
    let enc =
        if guess == encoding_rs::GBK { encoding_rs::GB18030 } else { guess };
    let mut decoded = decode_with(enc, bytes);
    // chardetng is weak on a handful of characters (its README: under
    // about six hanzi); say so rather than guess silently.
    decoded.uncertain =
        bytes.iter().filter(|b| !b.is_ascii()).count() < MIN_DETECTION_BYTES;
    Some(decoded)
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

fn decode_with(enc: &'static Encoding, bytes: &[u8]) -> Decoded {
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    let replacements = if had_errors {
        // Only the replacement characters the input did not already hold.
        let genuine = if enc == encoding_rs::UTF_8 {
            memchr::memmem::find_iter(bytes, "\u{FFFD}".as_bytes()).count()
        } else {
            0
        };
        text.matches('\u{FFFD}').count().saturating_sub(genuine)
    } else {
        0
    };
    Decoded {
        text: text.into_owned(),
        encoding: enc.name(),
        replacements,
        uncertain: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auto(bytes: &[u8]) -> Option<Decoded> {
        decode(bytes, None)
    }

    #[test]
    fn boms_and_invalid_bytes() {
        let plain = auto("两重".as_bytes()).unwrap();
        assert_eq!((plain.text.as_str(), plain.replacements), ("两重", 0));
        assert_eq!(auto(b"\xEF\xBB\xBF\xE4\xB8\xA4").unwrap().text, "两");
        assert_eq!(auto(b"\xFF\xFE\x24\x4E").unwrap().text, "两");
        assert_eq!(auto(b"\xFE\xFF\x4E\x24").unwrap().text, "两");
        let bad = decode(b"a\xFFb\xE4\xB8", Some(encoding_rs::UTF_8)).unwrap();
        assert_eq!(
            (bad.text.as_str(), bad.replacements),
            ("a\u{FFFD}b\u{FFFD}", 2)
        );
        let real =
            decode(b"\xEF\xBF\xBD\xFF", Some(encoding_rs::UTF_8)).unwrap();
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
            decode(b"\x95\x32\x82\x36", Some(encoding_rs::GB18030)).unwrap();
        assert_eq!(d.text, "\u{20000}");
    }

    #[test]
    fn labels() {
        assert_eq!(encoding_for_label("GBK").unwrap().name(), "gb18030");
        assert!(encoding_for_label("nosuch").is_err());
        assert!(encoding_for_label("csiso2022kr").is_err());
    }
}
