//! Diagnostics and the lint rules of `tifa lexicon check`: problems that do
//! not stop a lexicon from loading but that a curator should look at.
//!
//! Warnings (`--strict` fails on them): a form inside another term's longer
//! form that the longer term does not list in `nests`, or inside another
//! term's exclusion; a `nests` entry with no such nesting; an exclusion
//! holding none of its term's forms; English forms that cannot be matched
//! on word boundaries (no letter or digit, a leading or trailing `-` or
//! `'`, typographic quotes, Han characters) and Chinese forms without a
//! Han character (matched with no word boundary); a form with `×` whose
//! spelling with `x` the term does not match; a term with no English.
//! Notes never fail: a form with `+` that can be written in too many mixes
//! of full-width and ASCII characters for the automaton to hold each (its
//! full-width spellings still match: documents holding one are converted
//! to ASCII before matching).

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

use super::load::{
    FORM_FIELDS, Positions, in_reading_order, parse_with_positions, usable,
};
use super::{FormKind, Lang, Lexicon, Source, TermId};
use crate::engine::Engine;
use crate::matcher::has_width_twins;
use crate::normalize::{fold_form, is_han, is_word_char};
use crate::t2s::to_simplified;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The lexicon cannot be used.
    Error,
    /// The lexicon works, but probably not as intended.
    Warning,
    /// Information only; never fails a check.
    Note,
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

    /// A note at `file:line`.
    pub fn note(file: &str, line: usize, message: &str) -> Diagnostic {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::error(file, line, message)
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        if self.line > 0 {
            write!(f, "{}:{}: {level}: {}", self.file, self.line, self.message)
        } else {
            write!(f, "{}: {level}: {}", self.file, self.message)
        }
    }
}

/// Parses `sources` and lints the lexicon, every diagnostic positioned at
/// the line of the term or string concerned. A lexicon with errors is
/// linted too (the terms as read), so that one run shows every problem.
/// Diagnostics come in file order (as given), then line, severity and
/// message, so that the output reads top to bottom.
pub fn check_sources(
    sources: &[Source],
) -> (Option<Lexicon>, Vec<Diagnostic>) {
    let (lexicon, mut diags, positions) = parse_with_positions(sources);
    diags.extend(lint_at(&lexicon, &Place::Known(&positions)));
    in_reading_order(sources, &mut diags);
    usable(lexicon, diags)
}

/// Warnings and notes about a loaded lexicon. `origin` names it in the
/// diagnostics, which have no line (see [`check_sources`] for lines).
pub fn lint(lexicon: &Lexicon, origin: &str) -> Vec<Diagnostic> {
    lint_at(lexicon, &Place::Unknown(origin))
}

/// Where diagnostics point.
enum Place<'a> {
    Known(&'a Positions),
    Unknown(&'a str),
}

/// What a diagnostic is about.
enum At<'a> {
    Term(TermId),
    String(TermId, &'a str),
    Nests(TermId),
}

impl Place<'_> {
    fn locate(&self, at: At) -> (String, usize) {
        let found = match (self, &at) {
            (Place::Unknown(origin), _) => return (origin.to_string(), 0),
            (Place::Known(p), At::Term(t)) => p.term(*t),
            (Place::Known(p), At::String(t, s)) => p.string(*t, s),
            (Place::Known(p), At::Nests(t)) => p.nests(*t),
        };
        found.map_or((String::new(), 0), |(f, l)| (f.to_string(), l))
    }

    /// Whether one of `fields` was left out of term `id` for a value of
    /// the wrong type (see [`Positions::lacks`]).
    fn lacks(&self, t: TermId, fields: &[&str]) -> bool {
        match self {
            Place::Known(p) => p.lacks(t, fields),
            Place::Unknown(_) => false,
        }
    }
}

/// A string of the lexicon, folded as the matcher sees it.
struct Folded<'a> {
    term: usize,
    text: &'a str,
    folded: String,
    lang: Lang,
    kind: FormKind,
}

fn lint_at(lexicon: &Lexicon, place: &Place) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut push = |at: At, severity: Severity, msg: String| {
        let (file, line) = place.locate(at);
        out.push(Diagnostic { severity, file, line, message: msg });
    };
    let all: Vec<Folded> = lexicon
        .terms
        .iter()
        .enumerate()
        .flat_map(|(t, term)| {
            term.patterns().map(move |(text, lang, kind)| Folded {
                term: t,
                text,
                folded: fold_form(text),
                lang,
                kind,
            })
        })
        .collect();
    // A term's strings are consecutive in `all`.
    let mut ranges = vec![0..0; lexicon.terms.len()];
    for (i, f) in all.iter().enumerate() {
        let r = &mut ranges[f.term];
        if r.start == r.end {
            r.start = i;
        }
        r.end = i + 1;
    }
    let by_term = |t: usize| all[ranges[t].clone()].iter();
    let holders = holders(&all);
    for (t, term) in lexicon.terms.iter().enumerate() {
        let id = term.id.as_str();
        // Rules that reason from what a term lacks stay quiet about a
        // field left out for its type: its error is shown already.
        let lacks_forms = place.lacks(t, FORM_FIELDS);
        if term.en.is_empty()
            && term.en_expansions.is_empty()
            && !place.lacks(t, &["en", "en_expansions"])
        {
            push(
                At::Term(t),
                Severity::Warning,
                format!("term {id:?} has no English rendering"),
            );
        }
        for fi in ranges[t].clone() {
            let f = &all[fi];
            let here = At::String(t, f.text);
            let form = f.text;
            if f.kind == FormKind::Exclusion {
                let holds_form = by_term(t).any(|g| {
                    g.kind != FormKind::Exclusion
                        && occurs_in(&g.folded, g.lang, &f.folded)
                });
                if !holds_form && !lacks_forms {
                    push(
                        here,
                        Severity::Warning,
                        format!(
                            "term {id:?}: exclusion {form:?} contains none of its \
                             forms, so it only hides other terms"
                        ),
                    );
                }
                continue;
            }
            for problem in shape_problems(f) {
                push(
                    At::String(t, f.text),
                    Severity::Warning,
                    format!("term {id:?}: {problem}"),
                );
            }
            if f.folded.contains('×') {
                let twin = f.folded.replace('×', "x");
                let counted = by_term(t).any(|g| {
                    g.kind != FormKind::Exclusion
                        && occurs_in(&g.folded, g.lang, &twin)
                });
                if !counted && !lacks_forms {
                    push(
                        At::String(t, f.text),
                        Severity::Warning,
                        format!(
                            "term {id:?}: {form:?} has the sign ×, and the term has \
                             no form that matches it written with x ({twin:?})"
                        ),
                    );
                }
            }
            let near = term.context.as_ref().map_or(&[][..], |c| &c.near[..]);
            if f.kind == FormKind::Form
                && let Some(word) = near.iter().find(|w| {
                    let w = fold_form(w);
                    occurs_in(&w, super::lang_of(&w), &f.folded)
                })
            {
                push(
                    At::String(t, f.text),
                    Severity::Warning,
                    format!(
                        "term {id:?}: near word {word:?} lies inside {form:?}, \
                         so a match's own text never confirms it: only an \
                         occurrence outside the match does (another \
                         {form:?} nearby)"
                    ),
                );
            }
            if f.kind == FormKind::Form
                && let Some(word) = near.iter().find(|w| {
                    let lang = super::lang_of(&f.folded);
                    occurs_in(&f.folded, lang, &fold_form(w))
                })
            {
                push(
                    At::String(t, f.text),
                    Severity::Warning,
                    format!(
                        "term {id:?}: near word {word:?} holds {form:?}, so \
                         the match's own {word:?} never confirms it (a near \
                         word is looked for beside the match): only another \
                         {word:?} nearby does"
                    ),
                );
            }
            if !lacks_forms
                && let Some(problem) = traditional(lexicon, &all, f)
            {
                push(
                    At::String(t, f.text),
                    Severity::Warning,
                    format!("term {id:?}: {problem}"),
                );
            }
            if f.folded.contains('+') && !has_width_twins(&f.folded) {
                push(
                    At::String(t, f.text),
                    Severity::Note,
                    format!(
                        "term {id:?}: {form:?} can be written in too many mixes of \
                         full-width and ASCII characters to search for each: a \
                         document that writes any of it full-width (＋ for +) is \
                         converted to ASCII before matching (same counts, slower)"
                    ),
                );
            }
            for g in holders[fi].iter().map(|&g| &all[g]) {
                let other = &lexicon.terms[g.term];
                // A term given twice (an error already) is not another
                // term: its copies would hold each other's forms.
                if other.id == id || g.folded.len() <= f.folded.len() {
                    continue;
                }
                let longer = g.text;
                // `nests` acknowledges a form inside an exclusion too: the
                // exclusion wins there, as a longer form would.
                if other.nests.iter().any(|n| n == id)
                    || place.lacks(g.term, &["nests"])
                {
                    continue;
                }
                if g.kind == FormKind::Exclusion {
                    push(
                        At::String(t, f.text),
                        Severity::Warning,
                        format!(
                            "term {id:?}: {form:?} is inside exclusion {longer:?} \
                             of term {:?}, so it is never counted there; if that \
                             is meant, add {id:?} to the nests of {:?}",
                            other.id, other.id
                        ),
                    );
                } else {
                    push(
                        At::String(t, f.text),
                        Severity::Warning,
                        format!(
                            "term {id:?}: {form:?} is inside {longer:?} of term \
                             {:?}, which wins there; if that is meant, add {id:?} \
                             to the nests of {:?}",
                            other.id, other.id
                        ),
                    );
                }
            }
        }
        for nested in &term.nests {
            let Some(n) = lexicon.find(nested) else { continue };
            let holds = by_term(t).any(|outer| {
                outer.kind != FormKind::Exclusion
                    && by_term(n).any(|inner| {
                        inner.kind != FormKind::Exclusion
                            && inner.folded.len() < outer.folded.len()
                            && occurs_in(
                                &inner.folded,
                                inner.lang,
                                &outer.folded,
                            )
                    })
            });
            if !holds && !lacks_forms && !place.lacks(n, FORM_FIELDS) {
                push(
                    At::Nests(t),
                    Severity::Warning,
                    format!(
                        "term {id:?} nests {nested:?}, but none of its forms \
                         contains a form of {nested:?}"
                    ),
                );
            }
        }
    }
    out
}

/// Why a Chinese form in traditional characters may not count as meant:
/// corpora are mostly simplified, and `--t2s` converts the text and the
/// lexicon alike, so the form matches only when its term also has the
/// simplified spelling, or counts for another term that has it.
fn traditional(
    lexicon: &Lexicon,
    all: &[Folded],
    f: &Folded,
) -> Option<String> {
    let simplified = to_simplified(&f.folded);
    if f.lang != Lang::Zh || simplified == f.folded.as_str() {
        return None;
    }
    let form = f.text;
    match all.iter().find(|g| g.folded == simplified) {
        Some(g) if g.term == f.term => None,
        Some(g) => Some(format!(
            "{form:?} is {simplified:?} in simplified characters, a form of \
             term {:?}, which counts it under --t2s",
            lexicon.terms[g.term].id
        )),
        None => Some(format!(
            "{form:?} is in traditional characters: it matches only \
             traditional text, unless --t2s converts both; list \
             {simplified:?} too"
        )),
    }
}

/// Why a form's spelling keeps it from matching as meant, if it does.
fn shape_problems(f: &Folded) -> Vec<String> {
    let form = f.text;
    let mut out = Vec::new();
    match f.lang {
        Lang::Zh => {
            if !form.chars().any(is_han) {
                out.push(format!(
                    "Chinese form {form:?} has no Chinese character, so it is \
                     matched inside words (list it under en for word \
                     boundaries)"
                ));
            }
        }
        Lang::En => {
            if !form.chars().any(is_word_char) {
                out.push(format!(
                    "English form {form:?} has no letter or digit to anchor \
                     word boundaries"
                ));
            }
            for (end, c) in [
                ("starts", f.folded.chars().next()),
                ("ends", f.folded.chars().next_back()),
            ] {
                if let Some(c @ ('-' | '\'')) = c {
                    out.push(format!(
                        "English form {form:?} {end} with {c:?}: the word \
                         boundary is not checked there, so it also matches \
                         inside longer words"
                    ));
                }
            }
            if form.contains(['\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}'])
            {
                out.push(format!(
                    "English form {form:?} has a typographic quote mark: \
                     write ASCII ' and \", which match typographic ones in \
                     a text (lexicons/README.md)"
                ));
            }
            if form.chars().any(is_han) {
                out.push(format!(
                    "English form {form:?} holds Chinese characters, which \
                     have no word boundaries (list it under zh)"
                ));
            }
        }
    }
    out
}

/// For each string of `all`, the strings that hold it (see
/// [`occurs_in`]), in order: one automaton of all the strings, run over
/// each, in place of comparing every pair (a lexicon of 10,000 terms took
/// seconds, and 100,000 would have taken minutes). The strings are folded
/// to lower case, so the automaton's ASCII case folding changes nothing.
fn holders(all: &[Folded]) -> Vec<Vec<usize>> {
    let mut distinct: Vec<String> = Vec::new();
    let mut ids: HashMap<&str, usize> = HashMap::new();
    // The strings of `all` spelled as each distinct one.
    let mut spelled: Vec<Vec<usize>> = Vec::new();
    for (i, f) in all.iter().enumerate().filter(|(_, f)| !f.folded.is_empty())
    {
        let d = *ids.entry(&f.folded).or_insert_with(|| {
            distinct.push(f.folded.clone());
            spelled.push(Vec::new());
            distinct.len() - 1
        });
        spelled[d].push(i);
    }
    let mut holders = vec![Vec::new(); all.len()];
    let Some(engine) = Engine::new(&distinct) else { return holders };
    let mut found = Vec::new();
    for (g, outer) in all.iter().enumerate() {
        found.clear();
        engine.occurrences(outer.folded.as_bytes(), &mut found);
        for o in &found {
            for &f in &spelled[o.pattern] {
                let inner = &all[f];
                if holders[f].last() != Some(&g)
                    && on_boundaries(inner.lang, &outer.folded, o.start..o.end)
                {
                    holders[f].push(g);
                }
            }
        }
    }
    holders
}

/// Whether folded `inner` can match inside folded `outer`: as a substring,
/// on word boundaries where an English form needs them (as the matcher
/// checks them), so that `trade-in` is not inside `trade-ins`.
fn occurs_in(inner: &str, lang: Lang, outer: &str) -> bool {
    if inner.is_empty() {
        return false;
    }
    let mut from = 0;
    while let Some(i) = outer[from..].find(inner) {
        let s = from + i;
        if on_boundaries(lang, outer, s..s + inner.len()) {
            return true;
        }
        from = s + outer[s..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// Whether a form of `lang` found at `span` of `outer` is on the word
/// boundaries it needs there: an English form's letters and digits at its
/// ends must not run on into those of `outer`.
fn on_boundaries(lang: Lang, outer: &str, span: Range<usize>) -> bool {
    if lang != Lang::En {
        return true;
    }
    let inner = &outer[span.clone()];
    let run_on = |a: Option<char>, b: Option<char>| {
        a.is_some_and(is_word_char) && b.is_some_and(is_word_char)
    };
    !run_on(outer[..span.start].chars().next_back(), inner.chars().next())
        && !run_on(inner.chars().next_back(), outer[span.end..].chars().next())
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The automaton finds, for each string, the strings that hold it
        /// exactly as comparing every pair does, duplicates and English
        /// word boundaries included.
        #[test]
        fn holders_are_the_pairs_that_hold(
            strings in proptest::collection::vec(
                ("[ab两新 -]{1,5}", proptest::bool::ANY),
                0..30,
            )
        ) {
            let all: Vec<Folded> = strings
                .iter()
                .enumerate()
                .map(|(term, (text, english))| Folded {
                    term,
                    text,
                    folded: text.clone(),
                    lang: if *english { Lang::En } else { Lang::Zh },
                    kind: FormKind::Form,
                })
                .collect();
            let naive: Vec<Vec<usize>> = all
                .iter()
                .map(|f| {
                    (0..all.len())
                        .filter(|&g| occurs_in(&f.folded, f.lang, &all[g].folded))
                        .collect()
                })
                .collect();
            proptest::prop_assert_eq!(holders(&all), naive);
        }
    }

    #[test]
    fn occurrences_respect_english_boundaries() {
        assert!(occurs_in("两新", Lang::Zh, "两新一重"));
        assert!(!occurs_in("trade-in", Lang::En, "consumer goods trade-ins"));
        assert!(occurs_in("trade-in", Lang::En, "trade-in of consumer goods"));
        assert!(occurs_in("ai+", Lang::En, "+ai+"));
        assert!(!occurs_in("new era", Lang::En, "renew era"));
        assert!(occurs_in("数据要素", Lang::Zh, "数据要素x"));
    }

    /// A field of the wrong type is not read as an absent one: `en` given
    /// as a string is named as such, not as a term without English, and
    /// `zh` as a string not as an exclusion holding none of the forms.
    #[test]
    fn a_field_of_the_wrong_type_is_not_linted_as_absent() {
        let text = "[[term]]\nid = \"a\"\nzh = \"两新\"\nen = \"two new\"\n\
                    exclude = [\"两新组织\"]\ncategory = \"c\"\n";
        let source = Source { name: "t.toml".into(), text: text.into() };
        let (lexicon, diags) = check_sources(&[source]);
        assert!(lexicon.is_none());
        let got: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            got,
            [
                "t.toml:3: error: zh: invalid type: string \"两新\", expected a list in brackets, [\"…\"]",
                "t.toml:4: error: en: invalid type: string \"two new\", expected a list in brackets, [\"…\"]",
            ]
        );
    }
}
