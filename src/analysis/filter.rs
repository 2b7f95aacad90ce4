//! Which matches a listing keeps: by status and by term, as `scan` and
//! `kwic` select them, and the lookup of the terms a user names.

use crate::error::Error;
use crate::lexicon::{FormKind, Lexicon, TermId};
use crate::matcher::{Hit, Status};

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

/// Splits a comma-separated list of term names (`两重,ai-plus`), keeping
/// whole the ids and forms that hold a comma themselves ("one country,
/// two systems"): at each name, the longest such form that runs to a
/// comma or the end is taken first (ASCII case ignored, as
/// [`Lexicon::resolve`] does), else the text up to the next comma. Names
/// are trimmed, and empty ones dropped.
pub fn split_terms<'a>(lexicon: &Lexicon, list: &'a str) -> Vec<&'a str> {
    let mut with_comma: Vec<&str> = lexicon
        .terms
        .iter()
        .flat_map(|t| {
            std::iter::once(t.id.as_str()).chain(
                t.patterns()
                    .filter(|&(_, _, kind)| kind != FormKind::Exclusion)
                    .map(|(f, _, _)| f),
            )
        })
        .filter(|f| f.contains(','))
        .collect();
    with_comma.sort_by_key(|f| std::cmp::Reverse(f.len()));
    let mut names = Vec::new();
    let mut rest = list.trim_start();
    while !rest.is_empty() {
        let ends_name = |n: usize| {
            let after = rest[n..].trim_start();
            after.is_empty() || after.starts_with(',')
        };
        let whole = with_comma.iter().find(|f| {
            rest.get(..f.len()).is_some_and(|h| h.eq_ignore_ascii_case(f))
                && ends_name(f.len())
        });
        let end = whole
            .map(|f| f.len())
            .or_else(|| rest.find(','))
            .unwrap_or(rest.len());
        let name = rest[..end].trim();
        if !name.is_empty() {
            names.push(name);
        }
        let after = rest[end..].trim_start();
        rest = after.strip_prefix(',').unwrap_or(after).trim_start();
    }
    names
}

/// The terms named by `names` (ids or any form, see [`Lexicon::resolve`]),
/// without repeats, in the order given. An unknown name is a usage error
/// that names it.
pub fn resolve_terms<S: AsRef<str>>(
    lexicon: &Lexicon,
    names: &[S],
) -> Result<Vec<TermId>, Error> {
    let mut ids = Vec::new();
    for name in names {
        let name = name.as_ref().trim();
        let id = lexicon.resolve(name).ok_or_else(|| {
            Error::Usage(format!(
                "unknown term {name:?}: neither an id nor a form in lexicon \
                 {:?} (see `tifa lexicon list`)",
                lexicon.name
            ))
        })?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
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
        let split = |s| split_terms(&lexicon, s);
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
