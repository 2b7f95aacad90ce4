//! Atomic file output: write to a temporary file in the target's folder,
//! flush and sync it, then rename it over the target. A failure leaves the
//! previous file untouched and no temporary file behind.

use std::io::{BufWriter, Write};
use std::path::Path;

use crate::error::Error;

/// Writes `path` atomically with `fill`. The new file gets the mode of the
/// file it replaces, or 0666 less the umask.
pub fn write_atomic(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".tifa-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map_or(0o666, |m| m.permissions().mode() & 0o7777);
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    let tmp = builder.tempfile_in(dir).map_err(|e| Error::io(path, e))?;
    let mut w = BufWriter::new(tmp);
    fill(&mut w).map_err(|e| Error::io(path, e))?;
    let tmp = w.into_inner().map_err(|e| Error::io(path, e.into_error()))?;
    tmp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}
