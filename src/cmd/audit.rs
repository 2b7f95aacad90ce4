//! `tifa audit`: precision per term (and status, when the sheet has one)
//! from a hand-checked sample sheet.

use std::collections::BTreeSet;

use anyhow::Result;

use super::{emit, load_lexicon};
use crate::cli::{AuditArgs, GlobalArgs};
use tifa::analysis::Audit;

pub fn run(global: &GlobalArgs, args: &AuditArgs) -> Result<u8> {
    let bytes = std::fs::read(&args.sheet)
        .map_err(|e| tifa::Error::io(&args.sheet, e))?;
    let audit = Audit::read(&bytes, &args.sheet.display().to_string())?;
    if !global.quiet {
        for warning in &audit.warnings {
            eprintln!("tifa: warning: {warning}");
        }
    }
    // A term the lexicon does not have is scored, and said: a typo, or a
    // sheet drawn with another lexicon.
    let lexicon = load_lexicon(global)?;
    let unknown: BTreeSet<&str> = audit
        .terms
        .keys()
        .map(|(id, _)| id.as_str())
        .filter(|id| lexicon.find(id).is_none())
        .collect();
    if !global.quiet && !unknown.is_empty() {
        eprintln!(
            "tifa: warning: {}: not terms of lexicon {:?}: {} (give the \
             lexicon the sample was drawn with: --lexicon PATH)",
            args.sheet.display(),
            lexicon.name,
            unknown.into_iter().collect::<Vec<_>>().join(", ")
        );
    }
    emit(&audit.table(), global)?;
    Ok(0)
}
