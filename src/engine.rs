//! The search loop: every occurrence of every pattern (overlapping), as
//! (pattern, start, end).
//!
//! The DFA walk is latency-bound: each byte's next state waits for the
//! previous one, so one stream of text leaves most of a core idle. A
//! document is therefore cut into up to [`LANES`] stretches at line breaks
//! (no pattern holds a line break, so no occurrence crosses a cut, and the
//! automaton is back in its start state after one), and the stretches are
//! walked in lock-step: four independent dependency chains per loop. The
//! crate's own DFA is used through its public `Automaton` trait.
//!
//! A DFA's table grows with the lexicon (11 MB for the built-in one, 44 MB
//! for 10,000 Chinese terms); once it is far larger than the caches, the
//! crate's contiguous NFA, a few MB, is faster, so large lexicons are
//! walked in lanes over that instead.

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::nfa::contiguous::NFA;
use aho_corasick::{Anchored, MatchKind, PatternID};

/// Stretches of a document walked together.
pub const LANES: usize = 4;

/// Documents shorter than this are walked as one stretch.
const MIN_LANE_BYTES: usize = 256;

/// Above this many patterns a DFA is not even tried: its table would be
/// far above [`DFA_MEMORY_LIMIT`].
const DFA_PATTERN_LIMIT: usize = 5_000;

/// Above this size a DFA's table misses the caches so often that the
/// contiguous NFA is faster (measured on 3,000 and 10,000 Chinese terms:
/// 15 MB, DFA faster; 43 MB, NFA as fast or faster).
const DFA_MEMORY_LIMIT: usize = 32 << 20;

/// A built automaton, walked in lanes.
#[derive(Debug, Clone)]
pub enum Engine {
    /// A DFA: one table lookup per byte.
    Dfa(Box<DFA>),
    /// A contiguous NFA, for lexicons whose DFA would be too large.
    Nfa(Box<NFA>),
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
        if patterns.len() <= DFA_PATTERN_LIMIT {
            let dfa = DFA::builder()
                .match_kind(MatchKind::Standard)
                .ascii_case_insensitive(true)
                .build(patterns)
                .ok()?;
            if dfa.memory_usage() <= DFA_MEMORY_LIMIT {
                return Some(Engine::Dfa(Box::new(dfa)));
            }
        }
        Engine::nfa(patterns)
    }

    /// Builds the contiguous NFA whatever the size of the lexicon.
    pub fn nfa(patterns: &[String]) -> Option<Engine> {
        NFA::builder()
            .match_kind(MatchKind::Standard)
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
        }
    }

    /// Appends every occurrence in `hay` to `out`, in no particular order.
    pub fn occurrences(&self, hay: &[u8], out: &mut Vec<Occurrence>) {
        match self {
            Engine::Dfa(dfa) => walk_lanes(dfa.as_ref(), hay, out),
            Engine::Nfa(nfa) => walk_lanes(nfa.as_ref(), hay, out),
        }
    }
}

/// Cuts `hay` into up to [`LANES`] stretches that start after a line
/// break (or at 0) and walks them in lock-step.
fn walk_lanes<A: Automaton>(aut: &A, hay: &[u8], out: &mut Vec<Occurrence>) {
    let mut cuts = [hay.len(); LANES + 1];
    cuts[0] = 0;
    if hay.len() >= MIN_LANE_BYTES * LANES {
        for (lane, cut) in cuts.iter_mut().enumerate().take(LANES).skip(1) {
            let aim = hay.len() * lane / LANES;
            *cut = memchr::memchr(b'\n', &hay[aim..])
                .map_or(hay.len(), |i| aim + i + 1);
        }
        // Cuts must not go backwards when lines are long.
        for lane in 1..=LANES {
            cuts[lane] = cuts[lane].max(cuts[lane - 1]);
        }
    }
    let start =
        aut.start_state(Anchored::No).expect("an unanchored automaton");
    let mut sid = [start; LANES];
    let mut at: [usize; LANES] = std::array::from_fn(|l| cuts[l]);
    let ends: [usize; LANES] = std::array::from_fn(|l| cuts[l + 1]);
    let common = (0..LANES).map(|l| ends[l] - at[l]).min().unwrap_or(0);
    for _ in 0..common {
        for lane in 0..LANES {
            let s = aut.next_state(Anchored::No, sid[lane], hay[at[lane]]);
            at[lane] += 1;
            sid[lane] = s;
            if aut.is_special(s) {
                push_matches(aut, s, at[lane], out);
            }
        }
    }
    for lane in 0..LANES {
        let mut s = sid[lane];
        for (k, &byte) in hay[at[lane]..ends[lane]].iter().enumerate() {
            s = aut.next_state(Anchored::No, s, byte);
            if aut.is_special(s) {
                push_matches(aut, s, at[lane] + k + 1, out);
            }
        }
    }
}

#[cold]
fn push_matches<A: Automaton>(
    aut: &A,
    sid: StateID,
    end: usize,
    out: &mut Vec<Occurrence>,
) {
    if !aut.is_match(sid) {
        return;
    }
    for i in 0..aut.match_len(sid) {
        let pid: PatternID = aut.match_pattern(sid, i);
        out.push(Occurrence {
            start: end - aut.pattern_len(pid),
            end,
            pattern: pid.as_usize(),
        });
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
        let engines =
            [Engine::new(&patterns).unwrap(), Engine::nfa(&patterns).unwrap()];
        assert!(matches!(engines[0], Engine::Dfa(_)));
        for engine in engines {
            assert_eq!(lane_occurrences(&engine, &hay), want);
        }
    }

    proptest! {
        /// Both automata, in lanes, find what the crate's overlapping
        /// iterator finds, on texts long enough to be cut into lanes.
        #[test]
        fn lanes_agree_on_any_text(
            patterns in prop::collection::vec("[两新重aB+\n]{1,4}", 1..12),
            lines in prop::collection::vec("[两新重aAbB+ \n]{0,300}", 1..12),
        ) {
            let patterns: Vec<String> =
                patterns.into_iter().filter(|p| !p.contains('\n')).collect();
            prop_assume!(!patterns.is_empty());
            let hay = lines.join("\n");
            let want = crate_occurrences(&patterns, &hay);
            for engine in [Engine::new(&patterns), Engine::nfa(&patterns)] {
                let got = lane_occurrences(&engine.unwrap(), &hay);
                prop_assert_eq!(&got, &want);
            }
        }
    }
}
