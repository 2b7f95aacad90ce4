//! Atomic file output: write to a temporary file in the target's folder,
//! flush and sync it, then rename it over the target. A failure leaves the
//! previous file untouched and no temporary file behind.
//!
//! A target that exists and is not a regular file (`/dev/null`,
//! `/dev/full`, `/dev/stdout`, a FIFO, a terminal) is written in place:
//! renaming over it would replace the device with a file. Such a target
//! is a stream, as stdout is, and gets what stdout gets (no byte-order
//! mark unless asked: see [`is_stream`]). A symbolic link is followed, so
//! that the file it points to is replaced, not the link.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
#[cfg(target_os = "linux")]
use std::os::fd::{BorrowedFd, RawFd};
use std::path::{Path, PathBuf};

use super::temporaries::{self, Live};
use crate::error::Error;

/// Writes `path` atomically with `fill`. A new file gets 0666 less the
/// umask (0644 under the usual 022); a replaced file keeps its mode.
pub fn write_atomic(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    stage(path, fill)?.persist()
}

/// A file written in full beside its target, put in place by
/// [`Staged::persist`]; dropped, it is deleted. A command that writes two
/// files stages the second before writing the first, so that a failure
/// leaves neither.
pub struct Staged {
    /// None when the target is no regular file (a pipe, a device): it was
    /// written directly. Declared before `live`, so that a dropped file
    /// is deleted before it leaves the list of temporaries.
    tmp: Option<tempfile::NamedTempFile>,
    live: Option<Live>,
    target: PathBuf,
    path: PathBuf,
}

impl Staged {
    /// Puts the file in place.
    pub fn persist(self) -> Result<(), Error> {
        let (Some(tmp), Some(live)) = (self.tmp, self.live) else {
            return Ok(());
        };
        temporaries::test_pause();
        // Renamed under the lock of the list of temporaries, and taken off
        // it only once renamed: an interruption removes the temporary
        // file before, or leaves the result after, never the target. A
        // failed rename deletes the file (dropping the error's file)
        // before `live` is dropped.
        let mut registry = temporaries::lock();
        match tmp.persist(&self.target) {
            Ok(_) => {
                live.placed(&mut registry);
                Ok(())
            }
            Err(e) => {
                drop(e.file);
                drop(registry);
                drop(live);
                Err(Error::io(&self.path, e.error))
            }
        }
    }
}

/// Writes `fill` to a temporary file beside `path` (see [`Staged`]).
pub fn stage(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<Staged, Error> {
    let err = |e| Error::io(path, e);
    let target = resolve_links(path);
    let existing = std::fs::metadata(&target).ok();
    if let Some(meta) = &existing {
        if meta.is_dir() {
            return Err(err(std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                "is a folder",
            )));
        }
        let descriptor = open_descriptor(path);
        if !meta.is_file() || descriptor.is_some() {
            let file = match descriptor {
                Some(fd) => fd.try_clone_to_owned().map(File::from),
                None => OpenOptions::new().write(true).open(&target),
            };
            let mut w = BufWriter::new(file.map_err(err)?);
            fill(&mut w).map_err(err)?;
            w.flush().map_err(err)?;
            return Ok(Staged {
                tmp: None,
                live: None,
                target,
                path: path.into(),
            });
        }
    }
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".tifa-").suffix(".tmp");
    // Created 0666 and the kernel applies the umask, as for any new file
    // (tempfile's default is 0600).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    // Created and listed under one lock, so that an interruption cannot
    // fall between the two; `live` is declared first, so that on an error
    // below the file is deleted before it leaves the list.
    let (live, tmp);
    {
        let mut registry = temporaries::lock();
        tmp =
            builder.tempfile_in(dir).map_err(|e| err(without_temp_path(e)))?;
        live = registry.add(tmp.path());
    }
    // Errors name the target, not the temporary file, which the writes
    // of `NamedTempFile` add (`ulimit -f`: "File too large at path ...").
    let err = |e| err(without_temp_path(e));
    if let Some(meta) = &existing {
        // A file replaced keeps its mode exactly.
        tmp.as_file().set_permissions(meta.permissions()).map_err(err)?;
    }
    let mut w = BufWriter::new(tmp);
    fill(&mut w).map_err(err)?;
    // Dropping the temporary file on any error below deletes it.
    let tmp = w.into_inner().map_err(|e| err(e.into_error()))?;
    tmp.as_file().sync_all().map_err(err)?;
    Ok(Staged { tmp: Some(tmp), live: Some(live), target, path: path.into() })
}

/// Whether `path` names a stream rather than a file: an existing target
/// that is neither a regular file nor a folder (a device, a FIFO, a
/// terminal; `/dev/stdout` whatever it leads to). It is written in place,
/// and a reader of it is a program, as for stdout: CSV written there gets
/// no byte-order mark unless `--bom` asks.
pub fn is_stream(path: &Path) -> bool {
    open_descriptor(path).is_some()
        || std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// The open file descriptor of this process that `path` names
/// (`/dev/stdout`, `/dev/fd/3`, `/proc/self/fd/1`, or a link to one). It
/// may lead to a regular file, as `>> log.csv` makes stdout; that file is
/// the shell's to keep, so the result is written through the descriptor,
/// at its offset and in its append mode, as to stdout, and never renamed
/// over. Linux only: elsewhere these names are devices, written in place
/// as such.
#[cfg(target_os = "linux")]
fn open_descriptor(path: &Path) -> Option<BorrowedFd<'static>> {
    let own = format!("/proc/{}/fd/", std::process::id());
    let number = |p: &Path| -> Option<RawFd> {
        let text = p.to_str()?;
        match text {
            "/dev/stdin" => return Some(0),
            "/dev/stdout" => return Some(1),
            "/dev/stderr" => return Some(2),
            _ => {}
        }
        ["/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/", &own]
            .iter()
            .find_map(|dir| text.strip_prefix(dir))?
            .parse()
            .ok()
    };
    let mut p = path.to_path_buf();
    // As many links as the kernel follows.
    for _ in 0..40 {
        if let Some(fd) = number(&p) {
            let open =
                std::fs::symlink_metadata(format!("/proc/self/fd/{fd}"))
                    .is_ok();
            // SAFETY: the descriptor is open (its entry is there), and
            // tifa closes no descriptor it did not open.
            return open.then(|| unsafe { BorrowedFd::borrow_raw(fd) });
        }
        let next = std::fs::read_link(&p).ok()?;
        p = p.parent().map_or_else(|| next.clone(), |dir| dir.join(&next));
    }
    None
}

#[cfg(not(target_os = "linux"))]
fn open_descriptor(_: &Path) -> Option<std::os::fd::BorrowedFd<'static>> {
    None
}

/// The error of creating a temporary file without the temporary name
/// `tempfile` adds ("at path .../.tifa-XXXX.tmp"): the user named the
/// target, and the error names it.
fn without_temp_path(e: std::io::Error) -> std::io::Error {
    let message = e.to_string();
    match message.rfind(" at path \"") {
        Some(i) => std::io::Error::new(e.kind(), &message[..i]),
        None => e,
    }
}

/// The file a chain of symbolic links ends at (the path itself when it is
/// no link, or when the chain is broken: the link is then replaced).
fn resolve_links(path: &Path) -> PathBuf {
    let is_link = std::fs::symlink_metadata(path)
        .is_ok_and(|m| m.file_type().is_symlink());
    if is_link && let Ok(real) = std::fs::canonicalize(path) {
        return real;
    }
    path.to_path_buf()
}
