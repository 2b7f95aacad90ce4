//! The `tifa` binary: parse the command line, run the command, map the
//! outcome to an exit code. No logic lives here.

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e)
            if !e.use_stderr()
                || e.kind()
                    == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand =>
        {
            e.exit()
        }
        Err(e) => {
            eprintln!("tifa: {}", usage_error(&e.render().to_string()));
            return ExitCode::from(2);
        }
    };
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

/// A usage error on one line, as every other error: clap's message and
/// tips without its usage block, and where to read more (`unexpected
/// argument '--bogus' found; see tifa count --help`).
fn usage_error(rendered: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    // Without a usage block (a bad value), the subcommand named on the
    // command line.
    let cli = <cli::Cli as clap::CommandFactory>::command();
    let named =
        std::env::args().skip(1).find(|a| cli.find_subcommand(a).is_some());
    let fallback = named.map(|s| format!("tifa {s}"));
    let mut command = fallback.as_deref().unwrap_or("tifa");
    for line in rendered.lines().map(str::trim) {
        if let Some(usage) = line.strip_prefix("Usage: ") {
            command = usage.split(" [").next().unwrap_or(command);
            command = command.split(" <").next().unwrap_or(command);
        } else if !line.is_empty()
            && !line.starts_with("For more information")
            && !line.contains("as a value, use")
        {
            parts.push(line.strip_prefix("error: ").unwrap_or(line));
        }
    }
    let mut message = String::new();
    for part in parts {
        if !message.is_empty() {
            message.push_str(if message.ends_with(':') { " " } else { "; " });
        }
        message.push_str(part);
    }
    format!("{message}; see {command} --help")
}
