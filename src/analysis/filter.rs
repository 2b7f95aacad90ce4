//! Which matches a listing keeps: by status and by term, as `scan` and
//! `kwic` select them, and the lookup of the terms a user names.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::error::Error;
use crate::lexicon::{FormKind, Lexicon, TermId};
use crate::matcher::{Hit, Status};
use crate::normalize::fold_form;

/// A selection of matches by status and term.
#[derive(Debug, Clone)]
pub struct MatchFilter {
    statuses: [bool; 3],
    /// Indexed by term id; `None` keeps every term.
    terms: Option<Vec<bool>>,
}

impl MatchFilter {
    /// Keeps matches with one of `statuses` (every status when empty) of
    /// one of `terms` (every term when `None`).
    pub fn new(statuses: &[Status], terms: Option<&[TermId]>) -> MatchFilter {
        let mut keep = [statuses.is_empty(); 3];
        for &s in statuses {
            keep[s as usize] = true;
        }
        let terms = terms.map(|ids| {
            let mut v = vec![false; ids.iter().max().map_or(0, |&m| m + 1)];
            for &t in ids {
                v[t] = true;
            }
            v
        });
        MatchFilter { statuses: keep, terms }
    }

    /// The statuses kept, in [`Status`] order.
    pub fn statuses(&self) -> Vec<Status> {
        Status::ALL
            .into_iter()
            .filter(|&s| self.statuses[s as usize])
            .collect()
    }

    /// Whether `hit` is selected.
    pub fn keeps(&self, hit: &Hit) -> bool {
        self.statuses[hit.status as usize]
            && self
                .terms
                .as_ref()
                .is_none_or(|t| t.get(hit.term) == Some(&true))
    }
}

/// Whether `c` separates the names of a term list: the comma, and the
/// full-width comma ， and enumeration comma 、 that a Chinese keyboard
/// types in its place.
fn is_separator(c: char) -> bool {
    matches!(c, ',' | '，' | '、')
}

/// The key under which a typed name is looked up: folded as the matcher
/// folds forms ([`fold_form`]: full-width letters, digits and signs as
/// ASCII, white space runs as one space, ASCII case ignored), with every
/// [separator](is_separator) as `,`, so that 共商，共建，共享 names the
/// form 共商、共建、共享.
fn name_key(name: &str) -> String {
    fold_form(name).replace('、', ",")
}

/// What a name is of a term; the lower wins when a name is several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum NameKind {
    Id,
    Form,
    Label,
}

/// The names a user may give a term on the command line (`kwic TERMS`,
/// `trend --terms`, `scan --term`, `cooc --term`): its id, any of its
/// forms and expansions, and its `label_en` and `label_zh` as `count`
/// prints them, each looked up folded (see `name_key`). An id wins
/// over a form, a form over a label; a name that is, at its best, the
/// name of two terms (a label they share) is ambiguous.
#[derive(Debug, Clone)]
pub struct TermNames<'a> {
    lexicon: &'a Lexicon,
    /// Name key -> the terms it names, with how.
    by_key: HashMap<String, Vec<(NameKind, TermId)>>,
}

impl<'a> TermNames<'a> {
    /// The names of every term of `lexicon`.
    pub fn new(lexicon: &'a Lexicon) -> TermNames<'a> {
        let mut by_key: HashMap<String, Vec<(NameKind, TermId)>> =
            HashMap::new();
        for (t, term) in lexicon.terms.iter().enumerate() {
            let forms = term
                .patterns()
                .filter(|&(_, _, kind)| kind != FormKind::Exclusion)
                .map(|(f, _, _)| (NameKind::Form, f));
            let names = [(NameKind::Id, term.id.as_str())]
                .into_iter()
                .chain(forms)
                .chain([
                    (NameKind::Label, term.label_en.as_str()),
                    (NameKind::Label, term.label_zh.as_str()),
                ]);
            for (kind, name) in names {
                let key = name_key(name);
                if key.is_empty() {
                    continue;
                }
                let entry = by_key.entry(key).or_default();
                if !entry.contains(&(kind, t)) {
                    entry.push((kind, t));
                }
            }
        }
        TermNames { lexicon, by_key }
    }

    /// Whether `name` names some term.
    fn knows(&self, name: &str) -> bool {
        self.named(name).is_some()
    }

    /// What `name` names, by its key, else by its key in simplified
    /// characters, so that 兩重 names 两重 (a reader of Hong Kong text types
    /// what it reads). Converted only when the name as typed names
    /// nothing: converting every form and label of the lexicon (and
    /// loading the conversion's tables) took 4.9 of the 57.9 million
    /// instructions of `kwic two-heavy` over one line.
    fn named(&self, name: &str) -> Option<&Vec<(NameKind, TermId)>> {
        let key = name_key(name);
        self.by_key.get(&key).or_else(|| {
            match crate::t2s::to_simplified(&key) {
                Cow::Owned(simplified) => self.by_key.get(&simplified),
                Cow::Borrowed(_) => None,
            }
        })
    }

    /// Splits a list of term names (`两重,ai-plus`, `两新，两重`,
    /// `两新、两重`) at its separators (`is_separator`), keeping whole the
    /// names that hold a separator themselves ("one country, two
    /// systems", 共商、共建、共享): at each name, the longest such name
    /// that runs to a separator or the end is taken first, else the text
    /// up to the next separator. Names are trimmed, and empty ones
    /// dropped.
    pub fn split<'l>(&self, list: &'l str) -> Vec<&'l str> {
        let mut names = Vec::new();
        let mut rest = list.trim_start();
        while !rest.is_empty() {
            let ends: Vec<usize> = rest
                .char_indices()
                .filter(|&(_, c)| is_separator(c))
                .map(|(i, _)| i)
                .chain([rest.len()])
                .collect();
            // The longest name holding a separator, else the first piece.
            let end = ends
                .iter()
                .rev()
                .copied()
                .find(|&e| {
                    let name = &rest[..e];
                    name.contains(is_separator) && self.knows(name)
                })
                .unwrap_or(ends[0]);
            let name = rest[..end].trim();
            if !name.is_empty() {
                names.push(name);
            }
            let after = &rest[end..];
            let mut chars = after.chars();
            if chars.next().is_some_and(is_separator) {
                rest = chars.as_str().trim_start();
            } else {
                rest = after.trim_start();
            }
        }
        names
    }

    /// The term `name` names (see [`TermNames`]). An unknown name, and
    /// one that names two terms alike, are usage errors that quote it.
    pub fn resolve(&self, name: &str) -> Result<TermId, Error> {
        let name = name.trim();
        let found = self.named(name);
        let best = found.and_then(|f| f.iter().map(|&(k, _)| k).min());
        let Some((found, best)) = found.zip(best) else {
            return Err(Error::Usage(format!(
                "unknown term {name:?}: not an id, form or label in lexicon \
                 {:?} (see `tifa lexicon list`)",
                self.lexicon.name
            )));
        };
        let terms: Vec<TermId> = found
            .iter()
            .filter(|&&(k, _)| k == best)
            .map(|&(_, t)| t)
            .collect();
        if let [t] = terms[..] {
            return Ok(t);
        }
        let list: Vec<String> = terms
            .iter()
            .map(|&t| format!("{:?}", self.lexicon.terms[t].id))
            .collect();
        let what = match best {
            NameKind::Label => "a label",
            _ => "a form",
        };
        Err(Error::Usage(format!(
            "ambiguous term {name:?}: {what} of terms {}; name one by its id",
            list.join(" and ")
        )))
    }

    /// The terms named by `lists` (each split as by
    /// [`split`](TermNames::split)), without repeats, in the order given;
    /// an unknown or ambiguous name is an error (see
    /// [`resolve`](TermNames::resolve)).
    pub fn parse<S: AsRef<str>>(
        &self,
        lists: &[S],
    ) -> Result<Vec<TermId>, Error> {
        let mut ids = Vec::new();
        for list in lists {
            for name in self.split(list.as_ref()) {
                let id = self.resolve(name)?;
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        Ok(ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lang;

    fn hit(term: TermId, status: Status) -> Hit {
        Hit { term, form: 0, lang: Lang::Zh, start: 0, end: 1, status }
    }

    /// Forms holding a comma stay whole beside other names, the longest
    /// first (the Oxford comma spelling); other names split at commas.
    #[test]
    fn split_keeps_forms_with_commas_whole() {
        let lexicon = crate::lexicon::load_default().unwrap();
        let names = TermNames::new(&lexicon);
        let split = |s| names.split(s);
        assert_eq!(
            split("amity, sincerity, mutual benefit and inclusiveness,两新"),
            ["amity, sincerity, mutual benefit and inclusiveness", "两新"]
        );
        assert_eq!(
            split(
                "两重 , Amity, sincerity, mutual benefit, and inclusiveness"
            ),
            ["两重", "Amity, sincerity, mutual benefit, and inclusiveness"]
        );
        assert_eq!(
            split("one country, two systems"),
            ["one country, two systems"]
        );
        // Not a whole form here: split as usual, and "amity" is unknown.
        assert_eq!(split("amity, two new,,"), ["amity", "two new"]);
        assert_eq!(split(" , "), Vec::<&str>::new());
    }

    /// A Chinese keyboard's commas separate as `,` does, and names that
    /// hold them stay whole, whichever comma the user typed.
    #[test]
    fn split_at_full_width_and_enumeration_commas() {
        let lexicon = crate::lexicon::load_default().unwrap();
        let names = TermNames::new(&lexicon);
        let split = |s| names.split(s);
        assert_eq!(split("两新，两重"), ["两新", "两重"]);
        assert_eq!(split("两新、 两重 ,AI+"), ["两新", "两重", "AI+"]);
        assert_eq!(
            split("共商、共建、共享，两新"),
            ["共商、共建、共享", "两新"]
        );
        assert_eq!(split("共商，共建，共享"), ["共商，共建，共享"]);
        assert_eq!(split("、，,"), Vec::<&str>::new());
    }

    /// Names fold as the matcher folds forms, and labels name their term.
    #[test]
    fn resolves_folded_forms_and_labels() {
        let lexicon = crate::lexicon::load_default().unwrap();
        let names = TermNames::new(&lexicon);
        let id = |name: &str| {
            names.resolve(name).map(|t| lexicon.terms[t].id.as_str())
        };
        for (name, term) in [
            ("人工智能＋", "ai-plus"),
            ("ＡＩ＋", "ai-plus"),
            ("ai+", "ai-plus"),
            ("TWO-HEAVY", "two-heavy"),
            ("two major", "two-heavy"),
            ("Two  Major", "two-heavy"),
            ("property project whitelist", "property-whitelist"),
            ("两重", "two-heavy"),
            ("兩重", "two-heavy"),
            ("新質生產力", "new-quality-productive-forces"),
            ("共商，共建，共享", "consultation-contribution-shared-benefits"),
            (
                "Extensive consultation， joint contribution, shared benefits",
                "consultation-contribution-shared-benefits",
            ),
        ] {
            assert_eq!(id(name).ok(), Some(term), "{name}");
        }
        let unknown = id("三重").unwrap_err().to_string();
        assert!(unknown.starts_with("unknown term \"三重\""), "{unknown}");
        // An exclusion names nothing: 两重性 is not two-heavy.
        assert!(id("两重性").is_err());
    }

    /// A label two terms share is an error naming both; an id or a form
    /// beats a label.
    #[test]
    fn a_shared_label_is_ambiguous() {
        let toml = r#"
[[term]]
id = "a"
label_en = "the plan"
label_zh = "规划"
zh = ["甲规划"]
category = "x"

[[term]]
id = "b"
label_en = "The Plan"
zh = ["乙规划", "规划"]
category = "x"
"#;
        let source = crate::lexicon::Source {
            name: "t.toml".into(),
            text: toml.into(),
        };
        let lexicon =
            crate::lexicon::parse_sources(&[source]).0.expect("valid");
        let names = TermNames::new(&lexicon);
        let err = names.resolve("the plan").unwrap_err().to_string();
        assert_eq!(
            err,
            "ambiguous term \"the plan\": a label of terms \"a\" and \"b\"; \
             name one by its id"
        );
        // 规划 is a's label but b's form: the form wins.
        assert_eq!(names.resolve("规划").unwrap(), 1);
        assert_eq!(names.parse(&["a，b", "B"]).unwrap(), [0, 1]);
    }

    #[test]
    fn keeps_by_status_and_term() {
        let all = MatchFilter::new(&[], None);
        assert!(all.keeps(&hit(7, Status::Excluded)));
        let f = MatchFilter::new(&[Status::Unconfirmed], Some(&[2]));
        assert!(f.keeps(&hit(2, Status::Unconfirmed)));
        assert!(!f.keeps(&hit(2, Status::Confirmed)));
        assert!(!f.keeps(&hit(3, Status::Unconfirmed)));
    }
}
