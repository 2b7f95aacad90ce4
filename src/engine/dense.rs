//! The crate's DFA copied into a table of our own, one row of 256 next
//! states per state, so that a step of the walk is a shift and a load: the
//! crate's own step also looks up the byte's class and checks the index,
//! three of the ten instructions a byte took.

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, PatternID};

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
    /// Copies the states of `dfa`; `None` past `max_rows` states (a DFA
    /// over few distinct bytes has rows far shorter than 256).
    pub fn new(dfa: &DFA, max_rows: usize) -> Option<DenseDfa> {
        let start = dfa.start_state(Anchored::No).expect("unanchored");
        // Each row's number must fit a state.
        let max_rows = max_rows.min(usize::from(State::MAX) + 1);
        let (trans, shift) = copy_rows(dfa, start, max_rows)?;
        // What makes the unchecked step in `next` sound.
        let last = trans.iter().max().map_or(0, |&s| s as usize);
        assert!((last + 1) * 256 <= trans.len());
        let row_of = |sid: StateID| sid.as_usize() >> shift;
        // Only the rows the walk reaches are asked for their matches: the
        // crate's fail state, which a DFA never reaches, claims to be a
        // match state and has no matches to give.
        let reached = reached_rows(&trans, row_of(start));
        let (mut matches, mut match_ranges) = (Vec::new(), Vec::new());
        for r in (0..reached.len()).filter(|&r| reached[r]) {
            let sid = StateID::must(r << shift);
            if dfa.is_match(sid) {
                let from = matches.len() as u32;
                for i in 0..dfa.match_len(sid) {
                    let pid: PatternID = dfa.match_pattern(sid, i);
                    matches.push((pid.as_usize(), dfa.pattern_len(pid)));
                }
                match_ranges.resize(r, (from, from));
                match_ranges.push((from, matches.len() as u32));
            }
        }
        Some(DenseDfa {
            trans: trans.into_boxed_slice(),
            // The crate's match states come first, so few rows that are
            // not (its dead and fail states) are taken for special.
            first_plain: match_ranges.len() as State,
            root: row_of(start) as State,
            matches,
            match_ranges,
            max_pattern_len: dfa.max_pattern_len(),
        })
    }

    /// Heap memory, in bytes.
    pub fn memory_usage(&self) -> usize {
        size_of_val(&*self.trans)
            + size_of_val(&*self.matches)
            + size_of_val(&*self.match_ranges)
    }
}

impl Walk for DenseDfa {
    type State = State;

    fn root(&self) -> State {
        self.root
    }

    #[inline(always)]
    fn next(&self, s: State, b: u8) -> State {
        // SAFETY: `s` is a row (every entry is, and so is the root), and a
        // row has 256 entries.
        unsafe {
            *self.trans.get_unchecked(usize::from(s) << 8 | usize::from(b))
        }
    }

    #[inline(always)]
    fn is_special(&self, s: State) -> bool {
        s < self.first_plain
    }

    fn max_pattern_len(&self) -> usize {
        self.max_pattern_len
    }

    #[cold]
    fn push_matches(
        &self,
        s: State,
        end: usize,
        before: usize,
        out: &mut Vec<Occurrence>,
    ) {
        let (from, to) = self.match_ranges[s as usize];
        for &(pattern, len) in &self.matches[from as usize..to as usize] {
            let start = end - len;
            if start < before {
                out.push(Occurrence { start, end, pattern });
            }
        }
    }
}

/// The crate's rows as ours, in its order, up to the last one an id
/// points to, and the shift that turns its ids into row numbers; `None`
/// past `max_rows`.
fn copy_rows(
    dfa: &DFA,
    start: StateID,
    max_rows: usize,
) -> Option<(Vec<State>, u32)> {
    // The crate's ids are its state indexes times a power of two, its
    // stride. The stride is guessed from the start state and its next
    // states: the trailing zeros of all their ids or-ed together. A larger
    // guess still names states (every other one, or every fourth), and the
    // copy begins again with a smaller guess as soon as an id has fewer
    // trailing zeros.
    //
    // Ids are read as u32 (the crate's own width), so that the folds over
    // a row below are vectorized.
    let mut ids = [0u32; 256];
    let mut read_row = |sid: StateID| {
        for (id, next) in ids.iter_mut().zip(next_states(dfa, sid)) {
            *id = next.as_u32();
        }
        ids
    };
    let common = |ids: &[u32; 256]| ids.iter().fold(0, |a, &id| a | id);
    let mut shift =
        (common(&read_row(start)) | start.as_u32()).trailing_zeros();
    'copy: loop {
        // No more rows than the crate has, in an allocation whose pages
        // are only touched as rows are copied.
        let crate_rows = (dfa.memory_usage() / size_of::<StateID>()) >> shift;
        let mut trans = Vec::with_capacity(crate_rows.min(max_rows) * 256);
        let mut rows = (start.as_usize() >> shift) + 1;
        let mut r = 0;
        while r < rows {
            if r >= max_rows {
                return None;
            }
            let ids = read_row(StateID::must(r << shift));
            let zeros = common(&ids).trailing_zeros();
            if zeros < shift {
                shift = zeros;
                continue 'copy;
            }
            let last = ids.iter().fold(0, |m, &id| m.max(id)) >> shift;
            rows = rows.max(last as usize + 1);
            trans.extend(ids.iter().map(|&id| (id >> shift) as State));
            r += 1;
        }
        return Some((trans, shift));
    }
}

/// Which rows of `trans` can be reached from row `root`.
fn reached_rows(trans: &[State], root: usize) -> Vec<bool> {
    let mut reached = vec![false; trans.len() / 256];
    reached[root] = true;
    let mut todo = vec![root];
    while let Some(r) = todo.pop() {
        for &next in &trans[r * 256..][..256] {
            let n = next as usize;
            if !reached[n] {
                reached[n] = true;
                todo.push(n);
            }
        }
    }
    reached
}

/// The next states of `sid`, by byte.
fn next_states(dfa: &DFA, sid: StateID) -> impl Iterator<Item = StateID> {
    // Not `0..=255u8`: an inclusive range's end test costs more than the
    // step itself.
    (0..256).map(move |b| dfa.next_state(Anchored::No, sid, b as u8))
}
