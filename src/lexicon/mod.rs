//! The bilingual lexicon: terms, their forms in Chinese and English, and
//! the rules that keep ambiguous strings from being counted blindly.
//!
//! A lexicon is loaded from TOML (`load`), validated with positioned
//! diagnostics (`check`), and knows nothing about corpora or matching.
//! The default lexicon (`lexicons/*.toml`) is embedded in the binary.

mod check;
mod load;
mod stats;
pub mod transfer;

pub use check::{Diagnostic, Severity, check_sources, lint};
pub use load::{
    Source, default_sources, load_default, load_path, parse_sources,
    read_sources,
};
pub use stats::stats;

/// Index of a term in [`Lexicon::terms`] (terms are sorted by id).
pub type TermId = usize;

/// A loaded, validated lexicon.
#[derive(Debug, Clone)]
pub struct Lexicon {
    /// `[lexicon] name`, or the file stem when absent.
    pub name: String,
    /// `[lexicon] version`, empty when absent.
    pub version: String,
    /// `[lexicon] description`, empty when absent.
    pub description: String,
    /// Terms sorted by id, so that ids and [`TermId`]s agree in order.
    pub terms: Vec<Term>,
}

/// Which language a form is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lang {
    /// Chinese: matched as a substring.
    Zh,
    /// English: matched case-insensitively on word boundaries.
    En,
}

impl Lang {
    /// The code used in output columns (`zh`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}

/// What a matched string means for its term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FormKind {
    /// A short form (`zh`, `en`).
    Form,
    /// A full form (`zh_expansions`, `en_expansions`).
    Expansion,
    /// A longer string that contains a form but is not the term.
    Exclusion,
}

/// One formulation.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// Unique slug, e.g. `two-heavy`.
    pub id: String,
    /// Chinese label for tables.
    pub label_zh: String,
    /// English label for tables.
    pub label_en: String,
    /// Chinese short forms.
    pub zh: Vec<String>,
    /// English renderings.
    pub en: Vec<String>,
    /// Chinese full forms, counted for the term.
    pub zh_expansions: Vec<String>,
    /// English full forms, counted for the term.
    pub en_expansions: Vec<String>,
    /// English renderings used by official sources.
    pub official: Vec<String>,
    /// Category, e.g. `economy`.
    pub category: String,
    /// First official use, `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub first_official_use: Option<String>,
    /// Strings that contain a form but are not the term.
    pub exclude: Vec<String>,
    /// Words that must be near a match for it to be confirmed.
    pub context: Option<Context>,
    /// Chinese matches must be whole words when segmented by jieba.
    pub whole_word: bool,
    /// Ids of terms whose forms sit inside this term's longer forms on
    /// purpose (新质生产力 inside 因地制宜发展新质生产力): the curator has seen
    /// the nesting, so `lexicon check` does not warn about it.
    pub nests: Vec<String>,
    /// Curator's note.
    pub note: String,
}

/// A context rule: a match is confirmed only when one of `near` occurs
/// within `window` characters before or after it.
#[derive(Debug, Clone, PartialEq)]
pub struct Context {
    /// Words or phrases that confirm the term (ASCII case ignored).
    pub near: Vec<String>,
    /// Distance in characters on each side of the match.
    pub window: usize,
}

impl Term {
    /// Every matchable string of this term with its language and kind,
    /// in a fixed order: forms, expansions, exclusions.
    pub fn patterns(&self) -> impl Iterator<Item = (&str, Lang, FormKind)> {
        fn list(
            forms: &[String],
            lang: Lang,
            kind: FormKind,
        ) -> impl Iterator<Item = (&str, Lang, FormKind)> {
            forms.iter().map(move |f| (f.as_str(), lang, kind))
        }
        list(&self.zh, Lang::Zh, FormKind::Form)
            .chain(list(&self.en, Lang::En, FormKind::Form))
            .chain(list(&self.zh_expansions, Lang::Zh, FormKind::Expansion))
            .chain(list(&self.en_expansions, Lang::En, FormKind::Expansion))
            .chain(
                self.exclude
                    .iter()
                    .map(|f| (f.as_str(), lang_of(f), FormKind::Exclusion)),
            )
    }

    /// Whether `form` is listed as an official rendering.
    pub fn is_official(&self, form: &str) -> bool {
        self.official.iter().any(|o| o.eq_ignore_ascii_case(form))
    }
}

/// The language of a free string: Chinese when it holds a Han character.
pub fn lang_of(s: &str) -> Lang {
    if s.chars().any(crate::normalize::is_han) { Lang::Zh } else { Lang::En }
}

impl Lexicon {
    /// The term with this id.
    pub fn find(&self, id: &str) -> Option<TermId> {
        self.terms.binary_search_by(|t| t.id.as_str().cmp(id)).ok()
    }

    /// The lexicon as `--t2s` needs it: its Chinese forms, expansions,
    /// exclusions and near words converted to simplified characters as the
    /// text is, so that a form written in traditional characters matches
    /// the converted text. A converted string that a term already holds
    /// unconverted, or that an earlier term's converted string became, is
    /// dropped; when that string belongs to another term, the drop is
    /// reported (the hits go to that term).
    pub fn simplified(mut self) -> (Lexicon, Vec<String>) {
        use crate::normalize::fold_form;
        use crate::t2s::to_simplified;
        use std::collections::HashMap;
        // Which term holds each string: first those conversion leaves
        // alone, then the converted ones in order.
        let mut owner: HashMap<String, usize> = HashMap::new();
        for (t, term) in self.terms.iter().enumerate() {
            for (text, _, _) in term.patterns() {
                if to_simplified(text) == text {
                    owner.entry(fold_form(text)).or_insert(t);
                }
            }
        }
        let mut notes = Vec::new();
        let ids: Vec<String> =
            self.terms.iter().map(|t| t.id.clone()).collect();
        for (t, term) in self.terms.iter_mut().enumerate() {
            let lists =
                [&mut term.zh, &mut term.zh_expansions, &mut term.exclude];
            for list in lists {
                list.retain_mut(|text| {
                    let converted = to_simplified(text);
                    if converted == text.as_str() {
                        return true;
                    }
                    let converted = converted.into_owned();
                    let key = fold_form(&converted);
                    match owner.get(&key) {
                        None => {
                            owner.insert(key, t);
                            *text = converted;
                            true
                        }
                        Some(&o) if o == t => false,
                        Some(&o) => {
                            notes.push(format!(
                                "--t2s: {text:?} of term {:?} is {converted:?}, \
                                 a form of term {:?}, which counts it",
                                ids[t], ids[o]
                            ));
                            false
                        }
                    }
                });
            }
            if let Some(context) = &mut term.context {
                for word in &mut context.near {
                    *word = to_simplified(word).into_owned();
                }
            }
        }
        (self, notes)
    }
}
