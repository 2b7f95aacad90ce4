//! The library's error type. Every variant names what the user must fix:
//! the file, and the line or field where there is one. It never prints or
//! exits; the binary does.

use std::fmt;
use std::path::Path;

use crate::lexicon::Diagnostic;

/// What can go wrong in tifa's library.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The lexicon has errors (each positioned).
    #[error("{}", Lines(.0))]
    Lexicon(Vec<Diagnostic>),
    /// An input document or record is malformed.
    #[error("{location}: {message}")]
    Input {
        /// `file`, `file:line` or `file:line: field x`.
        location: String,
        /// What is wrong.
        message: String,
    },
    /// The command line asks for something impossible.
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Error {
        let path = one_line(&path.as_ref().display().to_string()).into_owned();
        Error::Io { path, source }
    }

    /// Whether this is a write to a closed pipe, which ends quietly.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { source, .. }
            if source.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

/// `s` with its line breaks and other control characters escaped (`\n`,
/// `\u{7}`), so that a message naming a file called `a\nb.txt` is still
/// one line on stderr.
pub fn one_line(s: &str) -> std::borrow::Cow<'_, str> {
    let control =
        |c: char| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}');
    if !s.contains(control) {
        return s.into();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if control(c) => out.push_str(&c.escape_unicode().to_string()),
            c => out.push(c),
        }
    }
    out.into()
}

struct Lines<'a>(&'a [Diagnostic]);

impl fmt::Display for Lines<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}
