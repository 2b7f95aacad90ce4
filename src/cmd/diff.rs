//! `tifa diff`: changes between two saved `count` results, with an exit
//! code for CI.

use std::path::Path;

use anyhow::Result;

use super::emit;
use crate::cli::{DiffArgs, GlobalArgs};
use tifa::analysis::{CountSheet, Diff};
use tifa::output::quantity;

pub fn run(global: &GlobalArgs, args: &DiffArgs) -> Result<u8> {
    if !global.lexicon.is_empty() {
        return Err(tifa::Error::Usage(
            "diff reads no lexicon: it compares two saved results, each \
             counted with its own; leave out --lexicon"
                .into(),
        )
        .into());
    }
    let old = read(&args.old)?;
    let new = read(&args.new)?;
    let diff = Diff::new(&old, &new)?;
    emit(&diff.table(), global)?;
    let Some(percent) = args.fail_on else { return Ok(0) };
    let past = diff.rows.iter().filter(|r| r.exceeds(percent)).count();
    if past == 0 {
        return Ok(0);
    }
    if !global.quiet {
        eprintln!(
            "tifa: diff: {} appeared, disappeared or changed by more than \
             {percent}%",
            quantity(past as u64, "term", "terms")
        );
    }
    Ok(1)
}

fn read(path: &Path) -> Result<CountSheet> {
    let bytes = std::fs::read(path).map_err(|e| tifa::Error::io(path, e))?;
    Ok(CountSheet::read(&bytes, &path.display().to_string())?)
}
