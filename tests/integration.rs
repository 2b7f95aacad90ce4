//! tifa's one integration test binary. Where tests belong:
//!
//! * `util`: a temporary folder and a runner for the real `tifa` binary.
//! * `matcher`: table-driven trap cases replayed over padded variants and
//!   forced normalization, a property test against a naive
//!   leftmost-longest reference, and nesting cases.
//! * `cli_count`: `tifa count` end to end, with insta snapshots of each
//!   format in `snapshots/`, and `--terms` against a count of every term.
//! * `cli_corpus`: formats, metadata, encodings and dates of inputs.
//! * `cli_lexicon`: `tifa lexicon check` and broken lexicons (exit 2,
//!   file:line on stderr, never a panic), each warning rule, `stats`, the
//!   lossless CSV round trips of `export` and `import`, also through the
//!   encodings, separators and dates of a sheet Excel saves again, and
//!   import errors in the sheet's lines and columns.
//! * `cli_scan`: `tifa scan` in each format, offsets and lines, and the
//!   invariant that its rows add up to `count`.
//! * `cli_kwic`: `tifa kwic` context, ⏎ for line breaks, `--sort`,
//!   `--limit`, and reproducible `--sample`s.
//! * `cli_audit`: `tifa audit` on a filled sheet (`fixtures/audit`), the
//!   round trip from `kwic --sample`, and bad cells (exit 2, file:line).
//! * `cli_cooc`: `tifa cooc` measures against hand computations, each
//!   unit (sentences with U.S. and No. 1, CRLF paragraphs, windows), the
//!   invariants against `count` and between table and matrix, snapshots.
//! * `cli_nesting`: `tifa nesting` and `count --nesting`, which must agree.
//! * `cli_trend`: `tifa trend`: zero-filled periods, ISO weeks, dates too
//!   coarse for the period, `--wide`, `--summary`, and a well-formed SVG.
//! * `cli_compare`: `tifa compare` of two corpora and `--split-date`.
//! * `cli_diff`: `tifa diff` of saved counts (CSV, JSON, JSON Lines),
//!   grouped ones, terms not counted (`added`, `removed`) told from zero
//!   hits, `--fail-on` exit codes (0/1) and bad files (2, file:line).
//! * `cli_discover`: `tifa discover` on `fixtures/discover` (2023 reference,
//!   2024 target): keyness, both ways of giving a reference, covered
//!   candidates left out, thread-independent output.
//! * `cli_bilingual`: `count --concepts` against a hand count on
//!   `fixtures/bilingual` (English-first, same-paragraph and Chinese-first
//!   layouts), mentions = hits on monolingual text, and snapshots of
//!   `renderings`, `renderings --by year` and `renderings --gaps`.
//! * `cli_report`: `tifa report`: snapshots of index.md, the CSVs and
//!   summary.json, well-formed SVG, the same bytes across runs and `-j`,
//!   and a failure half way leaving no folder and an old one untouched.
//! * `bad_input`: the bad-input matrix (broken encodings, binary, empty,
//!   huge, unreadable and looping inputs, broken records and lexicons):
//!   exit code, one line naming the file, the other inputs unaffected.
//! * `output_safety`: spreadsheet-safe CSV (formulas, BOM, quoting
//!   round trip, byte-exact dialects), atomic `-o`, write errors, a
//!   closed pipe.
//! * `default_lexicon`: the built-in lexicon on a press-style fixture
//!   (`fixtures/default-lexicon`): regressions for the lexicon audit's fixes.
//! * `determinism`: the same bytes across threads, input order, TZ,
//!   locale and working folder.
//! * `limits`: `--max-doc-bytes` and a lexicon of 100,000 terms.
//! * `fuzz_checks`, `fuzz_regressions`: what the fuzz targets in `fuzz/`
//!   check, and the replay of every input they found.

mod util;

mod bad_input;
mod cli_audit;
mod cli_bilingual;
mod cli_compare;
mod cli_cooc;
mod cli_corpus;
mod cli_count;
mod cli_diff;
mod cli_discover;
mod cli_kwic;
mod cli_lexicon;
mod cli_nesting;
mod cli_report;
mod cli_scan;
mod cli_trend;
mod default_lexicon;
mod determinism;
mod fuzz_checks;
mod fuzz_regressions;
mod limits;
mod matcher;
mod output_safety;
