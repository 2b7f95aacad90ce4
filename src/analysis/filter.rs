//! Which matches a listing keeps: by status and by term, as `scan` and
//! `kwic` select them, and the lookup of the terms a user names.

use crate::error::Error;
use crate::lexicon::{Lexicon, TermId};
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
        [Status::Confirmed, Status::Unconfirmed, Status::Excluded]
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
