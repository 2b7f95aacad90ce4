//! tifa's one integration test binary. Where tests belong:
//!
//! * `util`: a temporary folder and a runner for the real `tifa` binary.
//! * `matcher`: table-driven trap cases replayed over padded variants and
//!   forced normalization, and a property test against a naive
//!   leftmost-longest reference.
//! * `cli_count`: `tifa count` end to end, with insta snapshots of each
//!   format in `snapshots/`.
//! * `cli_corpus`: formats, metadata, encodings and dates of inputs.
//! * `cli_lexicon`: `tifa lexicon check` and broken lexicons (exit 2,
//!   file:line on stderr, never a panic).

mod util;

mod cli_corpus;
mod cli_count;
mod cli_lexicon;
mod matcher;
