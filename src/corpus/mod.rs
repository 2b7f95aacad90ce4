//! Reading corpora: walking inputs, decoding bytes and turning files into
//! [`Document`]s with their metadata. It knows nothing about lexicons.
//!
//! Inputs are expanded into a sorted list of [`InputFile`]s first, so that
//! the order of documents, and of every output, never depends on the order
//! in which the file system or the thread pool returns them.

mod decode;
mod walk;

use std::collections::BTreeMap;
use std::io::Read;

pub use decode::{Decoded, decode};
pub use walk::{InputFile, expand_inputs};

use crate::error::Error;

/// One article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// Where it came from: the file path as given, `-` for stdin.
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
    /// Invalid byte sequences replaced by U+FFFD while decoding.
    pub replacements: usize,
}

/// A problem with one input that did not stop the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// `file` or `file:line`.
    pub location: String,
    /// What happened.
    pub message: String,
    /// Whether the input (or part of it) was not read at all.
    pub skipped: bool,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Reads one input file into its documents. Problems that spoil only part
/// of the file are pushed to `warnings`.
pub fn read_file(
    input: &InputFile,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Document>, Error> {
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
    let id = input.display.clone();
    let Some(decoded) = decode(&bytes) else {
        warnings.push(Warning {
            location: id,
            message: "binary file (NUL bytes and no UTF-16 byte-order mark); \
                      skipped"
                .into(),
            skipped: true,
        });
        return Ok(Vec::new());
    };
    if decoded.replacements > 0 {
        warnings.push(Warning {
            location: id.clone(),
            message: format!(
                "{} invalid byte sequence(s) in {} replaced by U+FFFD",
                decoded.replacements, decoded.encoding
            ),
            skipped: false,
        });
    }
    Ok(vec![Document {
        id,
        rank: (input.rank, 0),
        date: walk::date_from_name(&input.display),
        text: decoded.text,
        replacements: decoded.replacements,
        ..Document::default()
    }])
}
