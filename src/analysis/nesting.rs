//! Nesting: how often a term's form sits inside the winning match of a
//! longer form of another term (新质生产力 inside 因地制宜发展新质生产力), so
//! that analysts see what leftmost-longest absorbed.
//!
//! The pipeline hands aggregates the winning matches only; [`WithNested`]
//! matches each document again with [`Matcher::find_with_nested`] to get
//! the absorbed ones, which doubles the matching time of the commands
//! that ask for nesting.

use std::collections::BTreeMap;

use super::{Aggregate, DocSize};
use crate::corpus::Document;
use crate::lexicon::{Lexicon, TermId};
use crate::matcher::{Hit, Matcher, Nested, Scratch};
use crate::table::{Table, int, text};

/// An aggregate that also counts nested occurrences.
pub trait NestedAggregate: Aggregate {
    /// Adds the nested occurrences of one document, after
    /// [`Aggregate::add`] has seen its matches.
    fn add_nested(&mut self, doc: &Document, nested: &[Nested]);
}

/// Feeds an aggregate the nested occurrences of each document besides its
/// matches.
#[derive(Debug)]
pub struct WithNested<'m, A> {
    /// The aggregate fed.
    pub inner: A,
    matcher: &'m Matcher,
    t2s: bool,
    scratch: Scratch,
    hits: Vec<Hit>,
    nested: Vec<Nested>,
}

impl<'m, A: NestedAggregate> WithNested<'m, A> {
    /// Wraps `inner`; `matcher` and `t2s` must be those the pipeline runs
    /// with (see [`RunOptions`](crate::pipeline::RunOptions)).
    pub fn new(
        inner: A,
        matcher: &'m Matcher,
        t2s: bool,
    ) -> WithNested<'m, A> {
        WithNested {
            inner,
            matcher,
            t2s,
            scratch: Scratch::default(),
            hits: Vec::new(),
            nested: Vec::new(),
        }
    }
}

impl<A: NestedAggregate> Aggregate for WithNested<'_, A> {
    fn add(&mut self, doc: &Document, size: &DocSize, hits: &[Hit]) {
        self.inner.add(doc, size, hits);
        self.hits.clear();
        self.nested.clear();
        // As the pipeline matches: `--t2s` keeps every offset.
        let text = if self.t2s {
            crate::t2s::to_simplified(&doc.text)
        } else {
            doc.text.as_str().into()
        };
        self.matcher.find_with_nested(
            &text,
            &mut self.scratch,
            &mut self.hits,
            &mut self.nested,
        );
        self.inner.add_nested(doc, &self.nested);
    }

    fn merge(&mut self, other: Self) {
        self.inner.merge(other.inner);
    }
}

/// Nested occurrences per (term, term it sits inside).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NestingPairs {
    /// Occurrences of the first term inside matches of the second.
    pub pairs: BTreeMap<(TermId, TermId), u64>,
}

impl NestingPairs {
    /// `term,inside_term,n`, by n descending, then term and inside_term.
    pub fn table(&self, lexicon: &Lexicon) -> Table {
        let mut pairs: Vec<(&(TermId, TermId), &u64)> =
            self.pairs.iter().collect();
        // Term ids sort like their names (the lexicon is sorted by id).
        pairs.sort_by_key(|&(&key, &n)| (std::cmp::Reverse(n), key));
        let mut table =
            Table::new(["term", "inside_term", "n"]).numbers(["n"]);
        for (&(term, inside), &n) in pairs {
            table.push(vec![
                text(lexicon.terms[term].id.clone()),
                text(lexicon.terms[inside].id.clone()),
                int(n),
            ]);
        }
        table
    }
}

impl Aggregate for NestingPairs {
    fn add(&mut self, _doc: &Document, _size: &DocSize, _hits: &[Hit]) {}

    fn merge(&mut self, other: NestingPairs) {
        for (key, n) in other.pairs {
            *self.pairs.entry(key).or_insert(0) += n;
        }
    }
}

impl NestedAggregate for NestingPairs {
    fn add_nested(&mut self, _doc: &Document, nested: &[Nested]) {
        for n in nested {
            *self.pairs.entry((n.term, n.inside_term)).or_insert(0) += 1;
        }
    }
}
