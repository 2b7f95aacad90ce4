//! `tifa audit`: precision per term from a hand-checked sample sheet.

use anyhow::Result;

use super::emit;
use crate::cli::{AuditArgs, GlobalArgs};
use tifa::analysis::Audit;

pub fn run(global: &GlobalArgs, args: &AuditArgs) -> Result<u8> {
    let bytes = std::fs::read(&args.sheet)
        .map_err(|e| tifa::Error::io(&args.sheet, e))?;
    let audit = Audit::read(&bytes, &args.sheet.display().to_string())?;
    emit(&audit.table(), global)?;
    Ok(0)
}
