//! Renderings: how each formulation is written, form by form (Chinese
//! forms, English renderings, expansions), with counts and dates, and
//! whether the lexicon marks an English rendering official; and the gaps
//! of bilingual passages, where a formulation present in one language has
//! no rendering in the other (see [`bilingual`]).
//!
//! Only confirmed matches count, under the lexicon's form (the match may
//! differ in case or width). The lexicon marks official English renderings
//! only (`official`); a Chinese form is the source text, not a rendering,
//! and some Chinese forms are media contractions (房住不炒), so Chinese rows
//! leave `official` empty rather than claim it.

use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::sync::Arc;

use super::bilingual;
use super::kwic::show_breaks;
use super::scan::LineCounter;
use super::{Aggregate, DocSize, GroupKey, Grouping};
use crate::corpus::Document;
use crate::lexicon::{FormKind, Lang, Lexicon, TermId};
use crate::matcher::{FormId, Hit, Matcher, Status};
use crate::table::{Cell, Table, int, text};

/// Characters of text shown around a gap.
pub const EXCERPT_CHARS: usize = 40;

/// Of which at most this many before the match.
pub const EXCERPT_BEFORE: usize = 10;

/// Counts of one form in one group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormCount {
    /// Confirmed matches.
    pub hits: u64,
    /// Earliest date of a document holding one (dated documents only).
    pub first_date: Option<String>,
    /// Latest such date.
    pub last_date: Option<String>,
}

impl FormCount {
    fn add(&mut self, hits: u64, first: Option<&str>, last: Option<&str>) {
        self.hits += hits;
        if let Some(d) = first
            && self.first_date.as_deref().is_none_or(|f| d < f)
        {
            self.first_date = Some(d.to_string());
        }
        if let Some(d) = last
            && self.last_date.as_deref().is_none_or(|l| d > l)
        {
            self.last_date = Some(d.to_string());
        }
    }
}

/// The renderings aggregate.
#[derive(Debug, Clone)]
pub struct Renderings {
    grouping: Grouping,
    /// Counts per group and form.
    pub groups: BTreeMap<GroupKey, BTreeMap<FormId, FormCount>>,
    forms: Vec<FormId>,
}

impl Renderings {
    /// An empty aggregate, one group per `grouping` key.
    pub fn new(grouping: Grouping) -> Renderings {
        Renderings { grouping, groups: BTreeMap::new(), forms: Vec::new() }
    }

    /// `[group,] term,form,lang,official,hits,first_date,last_date`, by
    /// term, then group, then hits (descending), then form.
    pub fn table(&self, lexicon: &Lexicon, matcher: &Matcher) -> Table {
        let group_col = self.grouping.column();
        let mut columns = Vec::new();
        if !group_col.is_empty() {
            columns.push(group_col);
        }
        columns.extend([
            "term",
            "form",
            "lang",
            "official",
            "hits",
            "first_date",
            "last_date",
        ]);
        let forms = matcher.forms();
        let mut rows: Vec<(TermId, &GroupKey, &FormCount, FormId)> = self
            .groups
            .iter()
            .flat_map(|(key, g)| {
                g.iter().map(move |(&f, c)| (forms[f].term, key, c, f))
            })
            .collect();
        rows.sort_by(|a, b| {
            (a.0, a.1, Reverse(a.2.hits), &forms[a.3].text, a.3).cmp(&(
                b.0,
                b.1,
                Reverse(b.2.hits),
                &forms[b.3].text,
                b.3,
            ))
        });
        let date = |d: &Option<String>| d.as_deref().map_or(Cell::Null, text);
        let mut table = Table::new(columns).numbers(["hits"]);
        for (term, key, count, f) in rows {
            let form = &forms[f];
            let term = &lexicon.terms[term];
            let official = match form.lang {
                Lang::Zh => Cell::Null,
                Lang::En if term.is_official(&form.text) => text("yes"),
                Lang::En => text("no"),
            };
            let mut row = Vec::with_capacity(8);
            if !group_col.is_empty() {
                row.push(text(key.label.clone()));
            }
            row.extend([
                text(term.id.clone()),
                text(form.text.clone()),
                text(form.lang.code()),
                official,
                int(count.hits),
                date(&count.first_date),
                date(&count.last_date),
            ]);
            table.push(row);
        }
        table
    }
}

impl Aggregate for Renderings {
    fn add(&mut self, doc: &Document, _size: &DocSize, hits: &[Hit]) {
        self.forms.clear();
        self.forms.extend(
            hits.iter()
                .filter(|h| h.status == Status::Confirmed)
                .map(|h| h.form),
        );
        if self.forms.is_empty() {
            return;
        }
        self.forms.sort_unstable();
        let group = self.groups.entry(self.grouping.key(doc)).or_default();
        let date = doc.date.as_deref();
        for run in self.forms.chunk_by(|a, b| a == b) {
            group.entry(run[0]).or_default().add(run.len() as u64, date, date);
        }
    }

    fn merge(&mut self, other: Renderings) {
        for (key, g) in other.groups {
            let mine = self.groups.entry(key).or_default();
            for (form, c) in g {
                mine.entry(form).or_default().add(
                    c.hits,
                    c.first_date.as_deref(),
                    c.last_date.as_deref(),
                );
            }
        }
    }
}

/// One gap, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GapRow {
    /// The term.
    pub term: TermId,
    /// The language it is present in.
    pub present: Lang,
    /// 1-based number of the paragraph holding its first match there.
    pub paragraph: usize,
    /// 1-based line of that match.
    pub line: usize,
    /// Text around that match, within its paragraph.
    pub excerpt: String,
}

/// The gaps of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocGaps {
    /// The document id.
    pub id: String,
    /// Its date, when known.
    pub date: Option<String>,
    /// Its gaps, by paragraph, then offset, then term.
    pub rows: Vec<GapRow>,
}

/// The gaps aggregate: rows by document, in corpus order.
#[derive(Debug, Clone)]
pub struct Gaps {
    /// Documents with at least one gap, by [`Document::rank`].
    pub docs: BTreeMap<(u32, u32), DocGaps>,
    /// The forms and expansions of each term and language, lower case, to
    /// find one inside another term's match.
    forms: Arc<BTreeMap<(TermId, Lang), Vec<String>>>,
}

impl Gaps {
    /// An empty aggregate, for the forms of `matcher`.
    pub fn new(matcher: &Matcher) -> Gaps {
        let mut forms: BTreeMap<(TermId, Lang), Vec<String>> = BTreeMap::new();
        for f in matcher.forms() {
            if f.kind != FormKind::Exclusion {
                forms
                    .entry((f.term, f.lang))
                    .or_default()
                    .push(f.text.to_lowercase());
            }
        }
        Gaps { docs: BTreeMap::new(), forms: Arc::new(forms) }
    }

    /// An empty aggregate sharing this one's forms.
    pub fn empty(&self) -> Gaps {
        Gaps { docs: BTreeMap::new(), forms: Arc::clone(&self.forms) }
    }

    /// `doc,date,paragraph,line,term,present,missing,excerpt`, in corpus
    /// order, then paragraph.
    pub fn table(&self, lexicon: &Lexicon) -> Table {
        let mut table = Table::new([
            "doc",
            "date",
            "paragraph",
            "line",
            "term",
            "present",
            "missing",
            "excerpt",
        ])
        .numbers(["paragraph", "line"]);
        for doc in self.docs.values() {
            let date = doc.date.as_deref().map_or(Cell::Null, text);
            for r in &doc.rows {
                let missing =
                    if r.present == Lang::Zh { Lang::En } else { Lang::Zh };
                table.push(vec![
                    text(doc.id.clone()),
                    date.clone(),
                    int(r.paragraph as u64),
                    int(r.line as u64),
                    text(lexicon.terms[r.term].id.clone()),
                    text(r.present.code()),
                    text(missing.code()),
                    text(r.excerpt.clone()),
                ]);
            }
        }
        table
    }
}

impl Aggregate for Gaps {
    fn add(&mut self, doc: &Document, _size: &DocSize, hits: &[Hit]) {
        let holds = |term: TermId, lang: Lang, matched: &str| {
            let matched = matched.to_lowercase();
            self.forms.get(&(term, lang)).is_some_and(|f| {
                f.iter().any(|f| matched.contains(f.as_str()))
            })
        };
        let gaps = bilingual::gaps(&doc.text, hits, &holds);
        if gaps.is_empty() {
            return;
        }
        let mut lines = LineCounter::new(&doc.text);
        let rows = gaps
            .into_iter()
            .map(|g| GapRow {
                term: g.term,
                present: g.present,
                paragraph: g.paragraph + 1,
                line: lines.line_at(g.start),
                excerpt: excerpt(&doc.text, g.paragraph_span, g.start),
            })
            .collect();
        let (id, date) =
            (doc.id.to_string(), doc.date.as_deref().map(String::from));
        self.docs.insert(doc.rank, DocGaps { id, date, rows });
    }

    fn merge(&mut self, other: Gaps) {
        self.docs.extend(other.docs);
    }
}

/// [`EXCERPT_CHARS`] characters of the paragraph `para` around byte
/// `start`: from [`EXCERPT_BEFORE`] characters before it, moved left when
/// the paragraph ends first; `…` where the paragraph is cut, line breaks
/// as ⏎.
pub fn excerpt(
    text: &str,
    para: std::ops::Range<usize>,
    start: usize,
) -> String {
    let p = &text[para.clone()];
    let chars: Vec<char> = p.chars().collect();
    let at = p[..start - para.start].chars().count();
    let to =
        (at.saturating_sub(EXCERPT_BEFORE) + EXCERPT_CHARS).min(chars.len());
    let from = to.saturating_sub(EXCERPT_CHARS);
    let mut s = String::new();
    if from > 0 {
        s.push('…');
    }
    s.extend(&chars[from..to]);
    if to < chars.len() {
        s.push('…');
    }
    show_breaks(&s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_cut_around_the_match() {
        let p = "一二三四五六七八九十".repeat(6);
        let at = p.char_indices().nth(20).unwrap().0;
        let e = excerpt(&p, 0..p.len(), at);
        assert_eq!(e.chars().count(), EXCERPT_CHARS + 2);
        assert!(e.starts_with("…一二三四五六七八九十一"), "{e}");
        // Near the end: the window moves left.
        let at = p.char_indices().nth(58).unwrap().0;
        let e = excerpt(&p, 0..p.len(), at);
        assert!(e.starts_with('…') && e.ends_with('十'), "{e}");
        // A short paragraph is shown whole.
        assert_eq!(excerpt("x 两重 y", 2..10, 2), "两重 y");
    }

    #[test]
    fn dates_widen() {
        let mut c = FormCount::default();
        c.add(1, Some("2024-03-05"), Some("2024-03-05"));
        c.add(2, None, None);
        c.add(1, Some("2023"), Some("2025-01-02"));
        assert_eq!(c.hits, 4);
        assert_eq!(c.first_date.as_deref(), Some("2023"));
        assert_eq!(c.last_date.as_deref(), Some("2025-01-02"));
    }
}
