//! The `tifa` binary: parse the command line, run the command, map the
//! outcome to an exit code. No logic lives here.

mod allocator;
mod cli;
mod cmd;
mod signals;
mod stdout;

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;

fn main() -> ExitCode {
    allocator::tune();
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
    signals::install();
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
    for line in rendered.lines().map(str::trim) {
        if !line.is_empty()
            && !line.starts_with("Usage: ")
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
    let command = command_path(std::env::args().skip(1));
    let missing_input =
        message.contains("not provided") && message.contains("<INPUT>");
    // `tifa kwic corpus/`: the folder was taken for the terms.
    let terms_path = (missing_input && command == "tifa kwic")
        .then(|| terms_given_as_path(std::env::args().skip(1)))
        .flatten();
    let hint = match terms_path {
        Some((p, kind)) => format!(
            "; {p:?} is a {kind}: the terms come before the inputs \
             (tifa kwic TERMS INPUT...)"
        ),
        // Text piped in is read only when `-` names it.
        None if missing_input => {
            format!("; to read stdin, give - (... | {command} -)")
        }
        None => String::new(),
    };
    format!("{message}{hint}; see {command} --help")
}

/// The first argument of the command that names a file or folder, with
/// which of the two it is.
fn terms_given_as_path(
    args: impl IntoIterator<Item = String>,
) -> Option<(String, &'static str)> {
    command_and_positionals(args).1.into_iter().find_map(|a| {
        let meta = std::fs::metadata(&a).ok()?;
        Some((a, if meta.is_dir() { "folder" } else { "file" }))
    })
}

/// The subcommands the arguments name, from `tifa` down (`tifa lexicon
/// import`): each argument that names a subcommand of the current command
/// descends, and the value of an option that takes one is passed over (in
/// `--lexicon count`, `count` is a path). Clap's usage line cannot be
/// used: it can hold options (`tifa --lexicon <PATH> count`).
fn command_path(args: impl IntoIterator<Item = String>) -> String {
    command_and_positionals(args).0
}

/// [`command_path`], and the arguments after it that are neither options
/// nor their values.
fn command_and_positionals(
    args: impl IntoIterator<Item = String>,
) -> (String, Vec<String>) {
    let mut cli = <cli::Cli as clap::CommandFactory>::command();
    // Copies the global options into every subcommand.
    cli.build();
    let mut path = String::from("tifa");
    let mut positionals = Vec::new();
    let mut current = &cli;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "--" {
            positionals.extend(args);
            break;
        }
        if let Some(sub) = current.find_subcommand(&arg) {
            path.push(' ');
            path.push_str(sub.get_name());
            current = sub;
            positionals.clear();
        } else if needs_next_as_value(current, &arg) {
            args.next();
        } else if !arg.starts_with('-') || arg == "-" {
            positionals.push(arg);
        }
    }
    (path, positionals)
}

/// Whether `arg` is an option of `cmd` whose value is the next argument
/// (`--lexicon PATH`, `-o FILE`, `-qo FILE`; not `--lexicon=PATH`, `-j4`).
fn needs_next_as_value(cmd: &clap::Command, arg: &str) -> bool {
    let takes_value = |a: &clap::Arg| a.get_action().takes_values();
    if let Some(long) = arg.strip_prefix("--") {
        return !long.contains('=')
            && cmd.get_arguments().any(|a| {
                a.get_long_and_visible_aliases()
                    .is_some_and(|names| names.contains(&long))
                    && takes_value(a)
            });
    }
    let Some(shorts) = arg.strip_prefix('-') else { return false };
    for (i, c) in shorts.char_indices() {
        let Some(a) = cmd.get_arguments().find(|a| a.get_short() == Some(c))
        else {
            return false;
        };
        if takes_value(a) {
            // The rest of the cluster is the value, if there is a rest.
            return i + c.len_utf8() == shorts.len();
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::command_path;

    fn path(args: &[&str]) -> String {
        command_path(args.iter().map(|a| a.to_string()))
    }

    #[test]
    fn command_paths_skip_options_and_their_values() {
        assert_eq!(path(&["--lexicon", "x", "--t2s", "count"]), "tifa count");
        assert_eq!(
            path(&["lexicon", "import", "--encoding", "x"]),
            "tifa lexicon import"
        );
        assert_eq!(path(&["--lexicon", "count", "trend"]), "tifa trend");
        assert_eq!(path(&["-qo", "count", "kwic"]), "tifa kwic");
        assert_eq!(path(&["-ocount", "kwic"]), "tifa kwic");
        assert_eq!(path(&["--lexicon=count", "lexicon"]), "tifa lexicon");
        assert_eq!(path(&["--bogus"]), "tifa");
        assert_eq!(path(&["count", "--", "lexicon"]), "tifa count");
    }
}
