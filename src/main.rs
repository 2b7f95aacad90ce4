//! The `tifa` binary: parse the command line, run the command, map the
//! outcome to an exit code. No logic lives here.

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cmd::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            if err.chain().any(is_broken_pipe) {
                return ExitCode::SUCCESS;
            }
            // Each line prefixed: a lexicon's errors are one per line.
            for line in message(&err).lines() {
                eprintln!("tifa: {line}");
            }
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &(dyn std::error::Error + 'static)) -> bool {
    if let Some(io) = e.downcast_ref::<std::io::Error>() {
        return io.kind() == std::io::ErrorKind::BrokenPipe;
    }
    e.downcast_ref::<tifa::Error>().is_some_and(tifa::Error::is_broken_pipe)
}

/// The error and its causes, each once: a library error that quotes its
/// cause (`out.csv: No space left on device`) is not followed by it again.
fn message(err: &anyhow::Error) -> String {
    let mut msg = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if !msg.ends_with(&text) {
            if !msg.is_empty() {
                msg.push_str(": ");
            }
            msg.push_str(&text);
        }
    }
    msg
}
