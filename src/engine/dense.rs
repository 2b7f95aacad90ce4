//! The Aho-Corasick DFA of a lexicon as one table of our own, one row of
//! 256 next states per state, so that a step of the walk is a shift and a
//! load: the crate's own DFA step also looks up the byte's class and checks
//! the index, three of the ten instructions a byte took.
//!
//! The table is built here, by the textbook construction, rather than
//! copied from the crate's DFA: building that DFA and copying it took
//! 0.06 s over the built-in lexicon, the largest fixed cost of a run,
//! where this takes a few milliseconds. The crate's overlapping search is
//! the judge in the tests.

use super::{Occurrence, Walk};

/// A state: the index of its row, so that the next state of `s` on byte
/// `b` is `trans[s * 256 + b]`. Two bytes, not four: the rows the walk
/// visits take half the cache (a quarter fewer misses of the first-level
/// cache over Xinwen Lianbo), for a shift a step.
pub type State = u16;

/// A DFA as one flat table of next states.
#[derive(Debug, Clone)]
pub struct DenseDfa {
    /// Row `s` holds the next states of `s`. Every entry is a row
    /// (asserted at build), so `s * 256 + b` is in bounds.
    trans: Box<[State]>,
    /// States below this one may report matches: their rows come first.
    first_plain: State,
    /// The start state.
    root: State,
    /// What each match state reports: `(pattern, length)`, indexed through
    /// `match_ranges` by row.
    matches: Vec<(usize, usize)>,
    match_ranges: Vec<(u32, u32)>,
    max_pattern_len: usize,
}

impl DenseDfa {
    /// The DFA of the unanchored search for every occurrence of every
    /// pattern, ASCII letters in either case (the crate's
    /// `MatchKind::Standard` with `ascii_case_insensitive`); `None` when a
    /// pattern is empty, or past `max_rows` states.
    pub fn new(patterns: &[String], max_rows: usize) -> Option<DenseDfa> {
        if patterns.iter().any(String::is_empty) {
            return None;
        }
        // Each row's number must fit a state.
        let max_rows = max_rows.min(usize::from(State::MAX) + 1);
        let trie = Trie::new(patterns, max_rows)?;
        let (order, fail) = trie.failure_states();
        // A state reports its own patterns and its failure state's.
        let mut reports = vec![false; trie.len()];
        for &s in &order {
            reports[s] = !trie.ends[s].is_empty() || reports[fail[s]];
        }
        // Rows that report first, so that the walk's one test a byte is a
        // comparison; each set in breadth-first order.
        let mut row = vec![0 as State; trie.len()];
        let by_row: Vec<usize> = (order.iter().filter(|&&s| reports[s]))
            .chain(order.iter().filter(|&&s| !reports[s]))
            .copied()
            .collect();
        for (r, &s) in by_row.iter().enumerate() {
            row[s] = r as State;
        }
        let first_plain = reports.iter().filter(|&&r| r).count();
        // A byte without an edge leads where it leads from the failure
        // state, whose row is done: it is nearer the start. From the start
        // state, back to it. Every other row is written whole from its
        // failure state's, so the table starts zeroed (pages the copies
        // fill, not a pass over 7 MB first).
        let mut trans = vec![0 as State; trie.len() * 256];
        let root = row_at(row[ROOT]);
        trans[root..root + 256].fill(row[ROOT]);
        for &s in &order {
            let at = row_at(row[s]);
            if s != ROOT {
                let from = row_at(row[fail[s]]);
                trans.copy_within(from..from + 256, at);
            }
            for (b, child) in trie.edges(s) {
                trans[at + usize::from(b)] = row[child];
            }
        }
        // What makes the unchecked step in `next` sound: every entry is
        // zero or a row number, and rows number the states. (Checked on
        // the 14,000 row numbers rather than the 3.6 million entries of the
        // built-in lexicon's table: that pass was 15 million instructions
        // of every run, and 400 million, half of a run, in a debug build.)
        assert!(row.iter().all(|&r| usize::from(r) < trie.len()));
        let (mut matches, mut match_ranges) = (Vec::new(), Vec::new());
        for &s in &by_row[..first_plain] {
            let from = matches.len() as u32;
            let mut t = s;
            while t != ROOT {
                matches.extend(
                    trie.ends[t].iter().map(|&p| (p, patterns[p].len())),
                );
                t = fail[t];
            }
            match_ranges.push((from, matches.len() as u32));
        }
        Some(DenseDfa {
            trans: trans.into_boxed_slice(),
            first_plain: first_plain as State,
            root: row[ROOT],
            matches,
            match_ranges,
            max_pattern_len: patterns
                .iter()
                .map(String::len)
                .max()
                .unwrap_or(0),
        })
    }

    /// Heap memory, in bytes.
    pub fn memory_usage(&self) -> usize {
        size_of_val(&*self.trans)
            + size_of_val(&*self.matches)
            + size_of_val(&*self.match_ranges)
    }
}

/// The walk holds a state as a machine word, though the table stores two
/// bytes: held as a `u16`, each step copied and widened it again, one more
/// instruction on the chain from one load to the next, which sets the
/// walk's speed.
impl Walk for DenseDfa {
    type State = usize;

    fn root(&self) -> usize {
        usize::from(self.root)
    }

    #[inline(always)]
    fn next(&self, s: usize, b: u8) -> usize {
        // SAFETY: `s` is a row (every entry is, and so is the root), and a
        // row has 256 entries.
        usize::from(unsafe {
            *self.trans.get_unchecked(s << 8 | usize::from(b))
        })
    }

    #[inline(always)]
    fn is_special(&self, s: usize) -> bool {
        s < usize::from(self.first_plain)
    }

    fn max_pattern_len(&self) -> usize {
        self.max_pattern_len
    }

    #[cold]
    fn push_matches(
        &self,
        s: usize,
        end: usize,
        before: usize,
        out: &mut Vec<Occurrence>,
    ) {
        let (from, to) = self.match_ranges[s];
        for &(pattern, len) in &self.matches[from as usize..to as usize] {
            let start = end - len;
            if start < before {
                out.push(Occurrence { start, end, pattern });
            }
        }
    }
}

/// The index of row `s`'s first entry.
fn row_at(s: State) -> usize {
    usize::from(s) * 256
}

/// The start state of a [`Trie`].
const ROOT: usize = 0;

/// The patterns' trie: a state per distinct prefix (letters in either
/// case), its edges, and the patterns that end there. A state's edges are
/// a chain through one list, in the order they were added: a list per
/// state took 14,000 allocations for the built-in lexicon, and a third of
/// the instructions that build its DFA.
struct Trie {
    /// (byte, child, next edge of the same state); an ASCII letter's edge
    /// is there in both cases.
    edges: Vec<(u8, u32, u32)>,
    /// Each state's first and last edge.
    chains: Vec<(u32, u32)>,
    ends: Vec<Vec<usize>>,
}

/// The end of a chain of edges.
const NO_EDGE: u32 = u32::MAX;

impl Trie {
    /// `None` past `max_states`.
    fn new(patterns: &[String], max_states: usize) -> Option<Trie> {
        let mut trie = Trie {
            edges: Vec::new(),
            chains: vec![(NO_EDGE, NO_EDGE)],
            ends: vec![Vec::new()],
        };
        for (p, pattern) in patterns.iter().enumerate() {
            let mut s = ROOT;
            for b in pattern.bytes() {
                s = match trie.child(s, b) {
                    Some(child) => child,
                    None => {
                        let child = trie.len();
                        if child == max_states {
                            return None;
                        }
                        trie.chains.push((NO_EDGE, NO_EDGE));
                        trie.ends.push(Vec::new());
                        let (lower, upper) =
                            (b.to_ascii_lowercase(), b.to_ascii_uppercase());
                        trie.add_edge(s, lower, child);
                        if upper != lower {
                            trie.add_edge(s, upper, child);
                        }
                        child
                    }
                };
            }
            trie.ends[s].push(p);
        }
        Some(trie)
    }

    fn len(&self) -> usize {
        self.chains.len()
    }

    /// Appends an edge to the chain of state `s`.
    fn add_edge(&mut self, s: usize, b: u8, child: usize) {
        let e = self.edges.len() as u32;
        self.edges.push((b, child as u32, NO_EDGE));
        let (first, last) = &mut self.chains[s];
        match *last {
            NO_EDGE => *first = e,
            last => self.edges[last as usize].2 = e,
        }
        *last = e;
    }

    /// The (byte, child) edges of state `s`, in the order they were added.
    fn edges(&self, s: usize) -> impl Iterator<Item = (u8, usize)> + '_ {
        let mut e = self.chains[s].0;
        std::iter::from_fn(move || {
            let &(b, child, next) = self.edges.get(e as usize)?;
            e = next;
            Some((b, child as usize))
        })
    }

    fn child(&self, s: usize, b: u8) -> Option<usize> {
        self.edges(s).find(|e| e.0 == b).map(|e| e.1)
    }

    /// The states in breadth-first order, and each state's failure state:
    /// the longest proper suffix of its prefix that is a state (the start
    /// state for the start state).
    fn failure_states(&self) -> (Vec<usize>, Vec<usize>) {
        let mut order = vec![ROOT];
        let mut fail = vec![ROOT; self.len()];
        let mut seen = vec![false; self.len()];
        seen[ROOT] = true;
        let mut k = 0;
        while k < order.len() {
            let s = order[k];
            for (b, child) in self.edges(s) {
                // A letter's child has an edge for each case: once is
                // enough.
                if std::mem::replace(&mut seen[child], true) {
                    continue;
                }
                order.push(child);
                if s != ROOT {
                    let mut f = fail[s];
                    fail[child] = loop {
                        match self.child(f, b) {
                            Some(next) => break next,
                            None if f == ROOT => break ROOT,
                            None => f = fail[f],
                        }
                    };
                }
            }
            k += 1;
        }
        (order, fail)
    }
}
