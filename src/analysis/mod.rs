//! Analyses over matches: pure folds from (document, hits) to aggregates,
//! and from aggregates to [`Table`](crate::table::Table)s in a fixed order.
//! No I/O and no choice of format here.

pub mod audit;
mod corpus_stats;
mod count;
mod filter;
mod group;
pub mod kwic;
mod nesting;
pub mod scan;

pub use audit::Audit;
pub use corpus_stats::CorpusStats;
pub use count::{CountOptions, Counts, TermCount, rate};
pub use filter::{MatchFilter, resolve_terms};
pub use group::{GroupKey, Grouping};
pub use kwic::{Kwic, KwicOptions, KwicSort, Sample};
pub use nesting::{NestedAggregate, NestingPairs, WithNested};
pub use scan::Scan;

use crate::corpus::Document;
use crate::matcher::Hit;

/// The size of a document, the denominators of rates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DocSize {
    /// Bytes of the decoded text (UTF-8).
    pub bytes: u64,
    /// Han characters.
    pub han_chars: u64,
    /// English words: maximal runs of ASCII letters, digits, and `'` or `-`
    /// between them, holding at least one letter.
    pub en_words: u64,
}

impl DocSize {
    /// Measures a text.
    pub fn measure(text: &str) -> DocSize {
        DocSize {
            bytes: text.len() as u64,
            han_chars: count_han(text.as_bytes()),
            en_words: count_en_words(text),
        }
    }
}

/// Han characters (see [`crate::normalize::is_han`]) counted from UTF-8 lead bytes and the
/// byte after them, without decoding: this runs over every document.
fn count_han(bytes: &[u8]) -> u64 {
    let mut n = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b < 0xE3 {
            continue;
        }
        let next = bytes.get(i + 1).copied().unwrap_or(0);
        let han = match b {
            // U+3400..U+3FFF
            0xE3 => next >= 0x90,
            // U+4000..U+4DBF, not the hexagrams U+4DC0..U+4DFF
            0xE4 => next != 0xB7,
            0xE5..=0xE9 => true,
            // U+F900..U+FAFF
            0xEF => (0xA4..=0xAB).contains(&next),
            // U+20000..U+3FFFF (planes 2 and 3)
            0xF0 => next >= 0xA0,
            _ => false,
        };
        n += u64::from(han);
    }
    n
}

fn count_en_words(text: &str) -> u64 {
    let bytes = text.as_bytes();
    let mut words = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let mut letter = false;
        while i < bytes.len() {
            let b = bytes[i];
            let joiner = (b == b'\'' || b == b'-')
                && bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric);
            if b.is_ascii_alphabetic() {
                letter = true;
            } else if !b.is_ascii_digit() && !joiner {
                break;
            }
            i += 1;
        }
        if letter {
            words += 1;
        }
    }
    words
}

/// A fold over the documents of a corpus. Partial aggregates computed on
/// separate threads (or machines) merge into the same result.
pub trait Aggregate: Send {
    /// Adds one document and its matches.
    fn add(&mut self, doc: &Document, size: &DocSize, hits: &[Hit]);
    /// Adds another partial aggregate.
    fn merge(&mut self, other: Self);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_count_agrees_with_is_han() {
        use crate::normalize::is_han;
        let samples = [
            "两重\u{3400}\u{4DBF}\u{4DC0}\u{4DFF}\u{9FFF}\u{F900}\u{FAFF}\u{FB00}",
            "\u{20000}\u{2FA1F}\u{30000}\u{3134F}\u{31350}\u{1F600}。，“”ab",
        ];
        for s in samples {
            let want = s.chars().filter(|&c| is_han(c)).count() as u64;
            assert_eq!(count_han(s.as_bytes()), want, "{s}");
        }
    }

    #[test]
    fn sizes() {
        let s = DocSize::measure("两重 and “two-heavy” people's 2024 AI+ 𠀀");
        assert_eq!((s.han_chars, s.en_words), (3, 4));
    }
}
