//! Interruption: on SIGINT, SIGTERM or SIGHUP, the temporary files and
//! folders the run has not yet renamed into place are removed (see
//! `tifa::output::temporaries`), and the process then ends by the same
//! signal, as it would have without a handler: the shell sees 128 plus
//! the signal (130 for Ctrl-C), and a shell loop running tifa stops on
//! Ctrl-C, which it would not for a plain `exit(130)`.

/// Starts a thread that waits for the signals. A signal ignored when tifa
/// starts stays ignored: `nohup` ignores SIGHUP, and a shell ignores
/// SIGINT for a job it starts in the background.
///
/// SIGXFSZ, sent when a write passes the file size limit (`ulimit -f`), is
/// ignored: the write then fails (EFBIG) and the run ends as on any other
/// failed write, with one line, the previous file kept and no temporary
/// file left. By default the signal killed tifa without a word.
#[cfg(unix)]
pub fn install() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    // SAFETY: setting a signal's action to SIG_IGN runs no code of ours.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
    let wanted: Vec<i32> = [SIGINT, SIGTERM, SIGHUP]
        .into_iter()
        .filter(|&s| !ignored(s))
        .collect();
    let Ok(mut signals) = signal_hook::iterator::Signals::new(wanted) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            // Held until the end: nothing is renamed into place any more.
            let _held = tifa::output::temporaries::remove_all();
            let _ = signal_hook::low_level::emulate_default_handler(signal);
            std::process::exit(128 + signal);
        }
    });
}

#[cfg(not(unix))]
pub fn install() {}

/// Whether `signal` is ignored (SIG_IGN) in this process.
#[cfg(unix)]
fn ignored(signal: i32) -> bool {
    // SAFETY: with a null new action, sigaction only reads the current
    // one into `old`, which is zeroed memory of the right type.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        libc::sigaction(signal, std::ptr::null(), &mut old) == 0
            && old.sa_sigaction == libc::SIG_IGN
    }
}
