//! tifa (提法, "formulation") measures the fixed formulas of official Chinese
//! discourse — 两重, 两新, 人工智能+, 新质生产力 — in Chinese and English
//! text, without any language model: every number traces back to a lexicon
//! entry and a position in a text.
//!
//! The flow is `corpus` (files to [`corpus::Document`]s) → [`matcher`] (one
//! Aho-Corasick automaton over normalized text) → [`analysis`] (pure folds
//! into aggregates and tables) → [`output`] (CSV, JSON, Markdown, table).
//! [`pipeline::run`] wires them over a thread pool.
//!
//! ```
//! use tifa::{Matcher, lexicon};
//!
//! let lexicon = lexicon::load_default().unwrap();
//! let matcher = Matcher::new(&lexicon);
//! let mut hits = Vec::new();
//! matcher.find("加快发展新质生产力。", &mut Default::default(), &mut hits);
//! let term = &lexicon.terms[hits[0].term];
//! assert_eq!(term.id, "new-quality-productive-forces");
//! ```
#![deny(missing_docs)]

pub mod analysis;
pub mod corpus;
pub mod engine;
mod error;
pub mod hash;
pub mod lexicon;
pub mod matcher;
pub mod normalize;
pub mod output;
pub mod pipeline;
pub mod segment;
pub mod t2s;
pub mod table;

pub use error::Error;
pub use lexicon::Lexicon;
pub use matcher::{Hit, Matcher, Status};
