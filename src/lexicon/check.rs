//! Diagnostics and the lint rules of `tifa lexicon check`: problems that do
//! not stop a lexicon from loading but that a curator should look at.

use std::fmt;

use super::{FormKind, Lang, Lexicon};
use crate::normalize::{fold_form, is_word_char};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The lexicon cannot be used.
    Error,
    /// The lexicon works, but probably not as intended.
    Warning,
}

/// One problem, positioned in a lexicon file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, as named when it was loaded.
    pub file: String,
    /// 1-based line, 0 when the problem is not tied to a line.
    pub line: usize,
    /// What is wrong, in one line.
    pub message: String,
}

impl Diagnostic {
    /// An error at `file:line`.
    pub fn error(file: &str, line: usize, message: &str) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_string(),
            line,
            message: message.to_string(),
        }
    }

    /// A warning at `file:line`.
    pub fn warning(file: &str, line: usize, message: &str) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, line, message)
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if self.line > 0 {
            write!(f, "{}:{}: {level}: {}", self.file, self.line, self.message)
        } else {
            write!(f, "{}: {level}: {}", self.file, self.message)
        }
    }
}

/// Warnings about a loaded lexicon. `origin` names it in the diagnostics.
pub fn lint(lexicon: &Lexicon, origin: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut warn =
        |msg: String| out.push(Diagnostic::warning(origin, 0, &msg));
    let all: Vec<(usize, String, FormKind)> = lexicon
        .terms
        .iter()
        .enumerate()
        .flat_map(|(t, term)| {
            term.patterns().map(move |(f, _, kind)| (t, fold_form(f), kind))
        })
        .collect();
    for (t, term) in lexicon.terms.iter().enumerate() {
        let id = &term.id;
        if term.en.is_empty() && term.en_expansions.is_empty() {
            warn(format!("term {id:?} has no English rendering"));
        }
        for (form, lang, kind) in term.patterns() {
            let folded = fold_form(form);
            if kind == FormKind::Exclusion {
                let holds_form = term.patterns().any(|(f, _, k)| {
                    k != FormKind::Exclusion && folded.contains(&fold_form(f))
                });
                if !holds_form {
                    warn(format!(
                        "term {id:?}: exclusion {form:?} contains none of its forms, so it \
                         only hides other terms"
                    ));
                }
                continue;
            }
            if lang == Lang::En && !form.chars().any(is_word_char) {
                warn(format!(
                    "term {id:?}: English form {form:?} has no letter or digit to anchor \
                     word boundaries"
                ));
            }
            for (other, longer, other_kind) in &all {
                if *other != t
                    && longer.len() > folded.len()
                    && longer.contains(&folded)
                {
                    let what = match other_kind {
                        FormKind::Exclusion => "exclusion",
                        _ => "form",
                    };
                    warn(format!(
                        "term {id:?}: {form:?} is inside {what} {longer:?} of term {:?}; \
                         the longer match wins there",
                        lexicon.terms[*other].id
                    ));
                }
            }
        }
    }
    out
}
