//! The search loop: every occurrence of every pattern (overlapping), as
//! (pattern, start, end).
//!
//! The DFA walk is latency-bound: each byte's next state waits for the
//! previous one, so one stream of text leaves most of a core idle. A
//! document is therefore cut into up to [`LANES`] equal stretches walked in
//! lock-step: four independent dependency chains per loop. A lane walks a
//! few bytes past its cut to finish what started before it (see
//! `walk_lanes`). The DFA is a table of our own ([`DenseDfa`]), built from
//! the lexicon's trie, whose step is one load.
//!
//! A DFA's table grows with the lexicon (7 MB for the built-in one, 22 MB
//! for 10,000 Chinese terms), and once the states a text visits no longer
//! fit the caches, every byte waits on memory. Large lexicons therefore
//! use a [`Sieve`]: a hash of the next few bytes at each position, tested
//! against a bit set, passes the few places where a pattern may start, and
//! only those are looked up. Over Xinwen Lianbo (engine alone, one core):
//! 1,000 Chinese phrases, DFA 1,081 MB/s, sieve 703; 3,000 phrases, 295
//! against 606; 10,000 phrases, the contiguous NFA that was used before
//! 79, the sieve 430; 10,000 combinations of common characters, 670–710.

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::nfa::contiguous::NFA;
use aho_corasick::{Anchored, MatchKind, PatternID};

mod dense;
mod sieve;
pub use dense::DenseDfa;
pub use sieve::Sieve;

/// Stretches of a document the DFA walks together.
pub const LANES: usize = 4;

/// Documents shorter than this many bytes per lane are walked as one
/// stretch.
const MIN_LANE_BYTES: usize = 32;

/// Above this many patterns the sieve is used: the DFA was faster over
/// 1,000 Chinese phrases (a 7 MB table), the sieve twice as fast over
/// 3,000 (24 MB). The matcher's spellings of a form count here, though
/// they add few states: the built-in lexicon's 110 terms make 2,362
/// patterns, with the 36 spellings of each form quoted twice (“ ” 「 」 ＂
/// and `"` on each side), in a table of 9.2 MB; walked by the sieve
/// instead, `count -j1` over six copies of Xinwen Lianbo took 0.86 s
/// rather than 0.59.
const DFA_PATTERN_LIMIT: usize = 2_500;

/// Above this many states a DFA's walk misses the caches too often; the
/// sieve is used instead. Our table ([`DenseDfa`]) has 256 entries a state,
/// however few distinct bytes the lexicon has. (32 MB of our table when a
/// state took 4 bytes, as the limits were tuned; 16 MB at 2 bytes.)
const DFA_STATE_LIMIT: usize = 1 << 15;

/// A built automaton, walked in lanes.
#[derive(Debug, Clone)]
pub enum Engine {
    /// A DFA: one table lookup per byte.
    Dfa(Box<DenseDfa>),
    /// A contiguous NFA, for the short patterns of a sieve when they are
    /// too many for a DFA.
    Nfa(Box<NFA>),
    /// A sieve, for large lexicons.
    Sieve(Box<Sieve>),
}

/// One occurrence of a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Occurrence {
    /// Start offset in the haystack.
    pub start: usize,
    /// End offset (exclusive).
    pub end: usize,
    /// The pattern.
    pub pattern: usize,
}

impl Engine {
    /// Builds an overlapping (`MatchKind::Standard`), ASCII
    /// case-insensitive automaton; `None` when a pattern is empty.
    pub fn new(patterns: &[String]) -> Option<Engine> {
        Engine::dfa(patterns).or_else(|| Sieve::build(patterns))
    }

    /// Builds a DFA, or the contiguous NFA when the DFA would be too large.
    fn automaton(patterns: &[String]) -> Option<Engine> {
        Engine::dfa(patterns).or_else(|| Engine::nfa(patterns))
    }

    /// Builds a DFA unless it would be too large.
    fn dfa(patterns: &[String]) -> Option<Engine> {
        if patterns.len() > DFA_PATTERN_LIMIT {
            return None;
        }
        let dense = DenseDfa::new(patterns, DFA_STATE_LIMIT)?;
        Some(Engine::Dfa(Box::new(dense)))
    }

    /// Builds the contiguous NFA whatever the size of the lexicon.
    pub fn nfa(patterns: &[String]) -> Option<Engine> {
        NFA::builder()
            .match_kind(MatchKind::Standard)
            .prefilter(false)
            .ascii_case_insensitive(true)
            .build(patterns)
            .ok()
            .map(|nfa| Engine::Nfa(Box::new(nfa)))
    }

    /// Heap memory of the automaton, in bytes.
    pub fn memory_usage(&self) -> usize {
        match self {
            Engine::Dfa(dfa) => dfa.memory_usage(),
            Engine::Nfa(nfa) => nfa.memory_usage(),
            Engine::Sieve(sieve) => sieve.memory_usage(),
        }
    }

    /// Appends every occurrence in `hay` to `out`, in no particular order.
    pub fn occurrences(&self, hay: &[u8], out: &mut Vec<Occurrence>) {
        match self {
            Engine::Dfa(dfa) => walk_lanes::<_, LANES>(dfa.as_ref(), hay, out),
            Engine::Nfa(nfa) => walk_lanes::<_, 1>(nfa.as_ref(), hay, out),
            Engine::Sieve(sieve) => sieve.occurrences(hay, out),
        }
    }
}

/// Cuts `hay` into up to `N` equal stretches and walks them in lock-step.
/// Each lane starts in the root state at its cut, so it sees exactly the
/// occurrences that start at or after the cut; it answers for those that
/// start before the next cut, and so walks on past that cut until none of
/// them can still be under way: until it is back in the root state, or as
/// far as the longest pattern reaches.
fn walk_lanes<A: Walk, const N: usize>(
    aut: &A,
    hay: &[u8],
    out: &mut Vec<Occurrence>,
) {
    let root = aut.root();
    let lanes = if hay.len() >= N * MIN_LANE_BYTES { N } else { 1 };
    let cut = |l: usize| hay.len() * l.min(lanes) / lanes;
    let mut at: [usize; N] = std::array::from_fn(cut);
    let ends: [usize; N] = std::array::from_fn(|l| cut(l + 1));
    let mut sid = [root; N];
    if lanes == N {
        let common = (0..N).map(|l| ends[l] - at[l]).min().unwrap_or(0);
        // Slices of one length, indexed by one counter: no bounds check
        // and no position per lane to keep in a register.
        let streams: [&[u8]; N] =
            std::array::from_fn(|l| &hay[at[l]..][..common]);
        for i in 0..common {
            for (lane, stream) in streams.iter().enumerate() {
                let s = aut.next(sid[lane], stream[i]);
                sid[lane] = s;
                if aut.is_special(s) {
                    aut.push_matches(s, at[lane] + i + 1, usize::MAX, out);
                }
            }
        }
        for a in &mut at {
            *a += common;
        }
    }
    let reach = aut.max_pattern_len().saturating_sub(1);
    for lane in 0..lanes {
        let (mut s, mut k) = (sid[lane], at[lane]);
        while k < ends[lane] {
            s = aut.next(s, hay[k]);
            k += 1;
            if aut.is_special(s) {
                aut.push_matches(s, k, usize::MAX, out);
            }
        }
        let stop = (k + reach).min(hay.len());
        while k < stop && s != root {
            s = aut.next(s, hay[k]);
            k += 1;
            if aut.is_special(s) {
                aut.push_matches(s, k, ends[lane], out);
            }
        }
    }
}

/// What a lane walk needs of an automaton: our DFA's table, or the
/// crate's NFA through its `Automaton` trait.
trait Walk {
    type State: Copy + Eq;
    /// The unanchored start state.
    fn root(&self) -> Self::State;
    /// The state after `s` on byte `b`.
    fn next(&self, s: Self::State, b: u8) -> Self::State;
    /// Whether `s` may report matches: the walk's one test per byte.
    fn is_special(&self, s: Self::State) -> bool;
    /// The longest pattern's length in bytes.
    fn max_pattern_len(&self) -> usize;
    /// Appends the patterns that match state `s` reports at `end` and that
    /// start before `before`.
    fn push_matches(
        &self,
        s: Self::State,
        end: usize,
        before: usize,
        out: &mut Vec<Occurrence>,
    );
}

impl Walk for NFA {
    type State = StateID;
    fn root(&self) -> StateID {
        self.start_state(Anchored::No).expect("an unanchored automaton")
    }
    #[inline(always)]
    fn next(&self, s: StateID, b: u8) -> StateID {
        self.next_state(Anchored::No, s, b)
    }
    #[inline(always)]
    fn is_special(&self, s: StateID) -> bool {
        Automaton::is_special(self, s)
    }
    fn max_pattern_len(&self) -> usize {
        Automaton::max_pattern_len(self)
    }
    #[cold]
    fn push_matches(
        &self,
        sid: StateID,
        end: usize,
        before: usize,
        out: &mut Vec<Occurrence>,
    ) {
        if !self.is_match(sid) {
            return;
        }
        for i in 0..self.match_len(sid) {
            let pid: PatternID = self.match_pattern(sid, i);
            let start = end - self.pattern_len(pid);
            if start < before {
                out.push(Occurrence { start, end, pattern: pid.as_usize() });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What the crate's own overlapping search finds, sorted.
    fn crate_occurrences(patterns: &[String], hay: &str) -> Vec<Occurrence> {
        let ac = aho_corasick::AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .build(patterns)
            .unwrap();
        let mut found: Vec<Occurrence> = ac
            .find_overlapping_iter(hay)
            .map(|m| Occurrence {
                start: m.start(),
                end: m.end(),
                pattern: m.pattern().as_usize(),
            })
            .collect();
        found.sort();
        found
    }

    /// The default engine for `patterns`, the NFA and the sieve.
    fn all_engines(patterns: &[String]) -> Vec<Engine> {
        [Engine::new(patterns), Engine::nfa(patterns), Sieve::build(patterns)]
            .into_iter()
            .map(Option::unwrap)
            .collect()
    }

    /// What `engine` finds, walked in lanes, sorted.
    fn lane_occurrences(engine: &Engine, hay: &str) -> Vec<Occurrence> {
        let mut found = Vec::new();
        engine.occurrences(hay.as_bytes(), &mut found);
        found.sort();
        found
    }

    /// Lanes find exactly what the crate's own overlapping search finds,
    /// over either automaton.
    #[test]
    fn lanes_agree_with_the_crate() {
        let patterns: Vec<String> =
            ["两重", "两新", "AI+", "新质生产力", "生产力", "a"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        let line = "推进“两重”“两新”，AI+ 新质生产力 a\n";
        let hay = format!("{}{}", line.repeat(200), "末尾两新无换行");
        let want = crate_occurrences(&patterns, &hay);
        assert_eq!(want.len(), 200 * 7 + 1);
        let engines = [
            Engine::new(&patterns).unwrap(),
            Engine::nfa(&patterns).unwrap(),
            Sieve::build(&patterns).unwrap(),
        ];
        assert!(matches!(engines[0], Engine::Dfa(_)));
        assert!(matches!(engines[2], Engine::Sieve(_)));
        for engine in engines {
            assert_eq!(lane_occurrences(&engine, &hay), want);
        }
    }

    /// An occurrence longer than a lane, over several cuts, and texts that
    /// never let a lane back to the root state.
    #[test]
    fn lanes_finish_what_crosses_their_cuts() {
        let patterns = ["a".repeat(300), "aa".to_string(), "ab".to_string()];
        for hay in ["a".repeat(1_000), "ab".repeat(400), "a".repeat(127)] {
            let want = crate_occurrences(&patterns, &hay);
            for engine in all_engines(&patterns) {
                assert_eq!(lane_occurrences(&engine, &hay), want);
            }
        }
    }

    /// The sieve finds patterns of every key width, and with rests longer
    /// than a word, at the very start and the very end of a text, and in
    /// texts no longer than a pattern.
    #[test]
    fn sieve_finds_patterns_at_either_end() {
        let patterns: Vec<String> =
            ["两新", "两新A", "两新重a", "两新重a两", "两新重a两新b", "a"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        assert!(matches!(Sieve::build(&patterns), Some(Engine::Sieve(_))));
        for hay in [
            "两新",
            "两新a",
            "两新重A",
            "两新重a两",
            "重两新",
            "重两新A",
            "x两新重A",
            "两新重a两新B",
            "x两新重A两新b",
            "两新重a两新",
        ] {
            let want = crate_occurrences(&patterns, hay);
            assert!(want.iter().any(|o| o.end == hay.len()), "{hay}");
            let got = lane_occurrences(&Sieve::build(&patterns).unwrap(), hay);
            assert_eq!(got, want, "{hay}");
        }
        // Near misses, in the first eight bytes of a rest and past them.
        for hay in
            ["两新重b两新b", "两新重a两新c", "两新重a两重b", "两新重a两新"]
        {
            let want = crate_occurrences(&patterns, hay);
            assert!(!want.iter().any(|o| o.pattern == 4), "{hay}");
            let got = lane_occurrences(&Sieve::build(&patterns).unwrap(), hay);
            assert_eq!(got, want, "{hay}");
        }
    }

    /// Patterns shorter than a key, of one to five bytes, are found in
    /// either case, next to the punctuation that shares their first bytes
    /// (the ideographic space starts like 。 and 、).
    #[test]
    fn sieve_finds_short_patterns() {
        let patterns: Vec<String> =
            ["两新两新", "\u{3000}", "ai+", "\t", "  ", "m，", "q"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        assert!(matches!(Sieve::build(&patterns), Some(Engine::Sieve(_))));
        let hay = "。、\u{3000}AI+、Ai+\t改革，M，两新两新  Q。q";
        let want = crate_occurrences(&patterns, hay);
        let found: Vec<usize> = want.iter().map(|o| o.pattern).collect();
        assert_eq!(found, [1, 2, 2, 3, 5, 0, 4, 6, 6]);
        let got = lane_occurrences(&Sieve::build(&patterns).unwrap(), hay);
        assert_eq!(got, want);
    }

    /// A byte the trie has no edge for leads where it leads from the
    /// failure state, three levels down (`abc`, `bc`, `c`, then `cy`), in
    /// either letter case, and from the start state to itself.
    #[test]
    fn dense_table_follows_failure_states() {
        let patterns: Vec<String> = ["abcd", "bcx", "cy", "zz"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let engine = Engine::new(&patterns).unwrap();
        assert!(matches!(engine, Engine::Dfa(_)));
        let hay = "abcy ABCX abcd aBcY zzz ".repeat(40);
        let want = crate_occurrences(&patterns, &hay);
        assert_eq!(want.len(), 6 * 40);
        assert_eq!(lane_occurrences(&engine, &hay), want);
    }

    /// A lexicon of many states over few distinct bytes: our table, 256
    /// entries a state, would pass the limit (the crate's, an entry a byte
    /// class, would not), and the sieve takes it.
    #[test]
    fn many_states_over_few_bytes_go_to_the_sieve() {
        let mut seed = 7u32;
        let mut letter = || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            if seed >> 31 == 0 { 'a' } else { 'b' }
        };
        let patterns: Vec<String> =
            (0..1_500).map(|_| (0..40).map(|_| letter()).collect()).collect();
        let engine = Engine::new(&patterns).unwrap();
        assert!(matches!(engine, Engine::Sieve(_)));
        let hay = format!("{}{}", patterns[7], patterns[1_499]).repeat(3);
        let want = crate_occurrences(&patterns, &hay);
        assert!(want.len() >= 6);
        assert_eq!(lane_occurrences(&engine, &hay), want);
    }

    proptest! {
        /// Both automata, in lanes, find what the crate's overlapping
        /// iterator finds, on texts long enough to be cut into lanes.
        #[test]
        fn lanes_agree_on_any_text(
            patterns in prop::collection::vec("[两新重aB+\n ]{1,6}", 1..12),
            lines in prop::collection::vec("[两新重aAbB+ \n]{0,300}", 1..12),
        ) {
            let hay = lines.join("\n");
            let want = crate_occurrences(&patterns, &hay);
            for engine in all_engines(&patterns) {
                let got = lane_occurrences(&engine, &hay);
                prop_assert_eq!(&got, &want);
            }
        }
    }
}
