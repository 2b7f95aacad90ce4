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
use crate::normalize::is_han;

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
        let mut han_chars = 0;
        for c in text.chars() {
            if is_han(c) {
                han_chars += 1;
            }
        }
        DocSize {
            bytes: text.len() as u64,
            han_chars,
            en_words: count_en_words(text),
        }
    }
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
    fn sizes() {
        let s = DocSize::measure("两重 and “two-heavy” people's 2024 AI+ 𠀀");
        assert_eq!((s.han_chars, s.en_words), (3, 4));
    }
}
