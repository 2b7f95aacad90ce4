//! Writing the result to standard output, so that a stdout that cannot
//! take it is an error (exit 2, one line) rather than a silent success.
//!
//! Rust's runtime hides two such cases. A stdout closed by the shell
//! (`tifa count corpus/ >&-`) is reopened on `/dev/null` before `main`
//! runs, so every write succeeds; and a write to a stdout that cannot be
//! written (`1</dev/null`) fails with EBADF, which `std::io::stdout()`
//! reports as success. The first is seen by a check that runs before the
//! runtime reopens it (see [`CLOSED_AT_START`]); the second by writing to
//! descriptor 1 as a file. A closed pipe (EPIPE) stays what it was: the
//! caller ends quietly.

use std::io::{BufWriter, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// The name errors give standard output.
const NAME: &str = "<stdout>";

/// Whether descriptor 1 was closed when the process started.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Records whether descriptor 1 is open. Called by the dynamic loader with
/// the other initialisers of `.init_array`, before Rust's runtime, which
/// would put `/dev/null` in its place.
#[cfg(target_os = "linux")]
extern "C" fn check_stdout_open() {
    // SAFETY: F_GETFD only reads the descriptor's flags; on a descriptor
    // that is not open it fails with EBADF and changes nothing.
    let closed = unsafe { libc::fcntl(libc::STDOUT_FILENO, libc::F_GETFD) }
        == -1
        && std::io::Error::last_os_error().raw_os_error() == Some(libc::EBADF);
    STDOUT_CLOSED.store(closed, Ordering::Relaxed);
}

/// Runs [`check_stdout_open`] before `main` (and before Rust's runtime
/// reopens closed standard descriptors).
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static CLOSED_AT_START: extern "C" fn() = check_stdout_open;

/// Writes `fill` to standard output, buffered and flushed. Every error,
/// a stdout that was closed or cannot be written included, names
/// `<stdout>`; a closed pipe is an error of kind `BrokenPipe`.
pub fn write(
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), tifa::Error> {
    let err = |e| tifa::Error::io(NAME, e);
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return Err(err(std::io::Error::other("closed; nothing written")));
    }
    #[cfg(unix)]
    let fd = descriptor_1();
    #[cfg(unix)]
    let raw: &std::fs::File = &fd;
    #[cfg(not(unix))]
    let raw = std::io::stdout();
    let mut out = BufWriter::new(raw);
    fill(&mut out).and_then(|()| out.flush()).map_err(err)
}

/// Descriptor 1 as a file that is never closed: unlike
/// `std::io::stdout()`, it reports EBADF.
#[cfg(unix)]
fn descriptor_1() -> std::mem::ManuallyDrop<std::fs::File> {
    use std::os::fd::FromRawFd;
    // SAFETY: descriptor 1 is open (Rust's runtime opens it if it was
    // not), and ManuallyDrop keeps the File from closing it.
    std::mem::ManuallyDrop::new(unsafe { std::fs::File::from_raw_fd(1) })
}
