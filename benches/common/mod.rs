//! What the benches share.

use tifa::Lexicon;
use tifa::lexicon::FormKind;
use tifa::normalize;

/// The forms, expansions and exclusions of `lexicon`, folded as the
/// matcher folds them: its automaton's patterns, but for the full-width
/// twins of English forms and the normalization sentinels.
pub fn folded_patterns(lexicon: &Lexicon) -> Vec<String> {
    lexicon
        .terms
        .iter()
        .flat_map(|t| {
            t.patterns()
                .map(|(f, _, _): (&str, _, FormKind)| normalize::fold_form(f))
        })
        .collect()
}
