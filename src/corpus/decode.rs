//! Bytes to text. UTF-8 with or without a byte-order mark; UTF-16 by its
//! byte-order mark. Invalid sequences become U+FFFD and are counted, never
//! a crash. A file with NUL bytes and no UTF-16 byte-order mark is binary.

/// Decoded text and what decoding had to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without byte-order mark.
    pub text: String,
    /// The encoding used, by its WHATWG name.
    pub encoding: &'static str,
    /// Invalid sequences replaced by U+FFFD.
    pub replacements: usize,
}

/// Decodes a file's bytes; `None` for a binary file.
pub fn decode(bytes: &[u8]) -> Option<Decoded> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return Some(decode_with(enc, &bytes[bom..]));
    }
    if memchr::memchr(0, bytes).is_some() {
        return None;
    }
    Some(decode_with(encoding_rs::UTF_8, bytes))
}

/// Decodes with a known encoding (no byte-order mark expected).
pub fn decode_with(enc: &'static encoding_rs::Encoding, bytes: &[u8]) -> Decoded {
    if enc == encoding_rs::UTF_8
        && let Ok(text) = std::str::from_utf8(bytes)
    {
        return Decoded { text: text.to_string(), encoding: "UTF-8", replacements: 0 };
    }
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    let replacements = if had_errors {
        // Count replacement characters the input did not already contain.
        let before = count_replacement_chars(bytes, enc);
        text.matches('\u{FFFD}').count().saturating_sub(before)
    } else {
        0
    };
    Decoded { text: text.into_owned(), encoding: enc.name(), replacements }
}

/// U+FFFD characters that are really in the input (as valid sequences).
fn count_replacement_chars(bytes: &[u8], enc: &'static encoding_rs::Encoding) -> usize {
    if enc == encoding_rs::UTF_8 {
        memchr::memmem::find_iter(bytes, "\u{FFFD}".as_bytes()).count()
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boms_and_invalid_bytes() {
        let plain = decode("两重".as_bytes()).unwrap();
        assert_eq!((plain.text.as_str(), plain.replacements), ("两重", 0));
        let bom = decode(b"\xEF\xBB\xBF\xE4\xB8\xA4").unwrap();
        assert_eq!(bom.text, "两");
        let le = decode(b"\xFF\xFE\x24\x4E").unwrap();
        assert_eq!(le.text, "两");
        let be = decode(b"\xFE\xFF\x4E\x24").unwrap();
        assert_eq!(be.text, "两");
        let bad = decode(b"a\xFFb\xE4\xB8").unwrap();
        assert_eq!((bad.text.as_str(), bad.replacements), ("a\u{FFFD}b\u{FFFD}", 2));
        let real = decode(b"\xEF\xBF\xBD\xFF").unwrap();
        assert_eq!(real.replacements, 1);
        assert!(decode(b"ab\0cd").is_none());
    }
}
