//! Expanding command-line inputs into a sorted list of files.

use std::path::{Path, PathBuf};

use super::Warning;

/// File extensions read from folders.
const TEXT_EXTENSIONS: &[&str] = &["txt", "md"];

/// One input file, or stdin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// `None` for stdin.
    pub path: Option<PathBuf>,
    /// The name shown in output: the path as reached from the command line.
    pub display: String,
    /// Position in the sorted list of inputs.
    pub rank: u32,
}

/// Expands files, folders (recursively, sorted by path, hidden entries left
/// out) and `-` into input files. Paths that cannot be read become warnings.
pub fn expand_inputs(inputs: &[String]) -> (Vec<InputFile>, Vec<Warning>) {
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    for input in inputs {
        if input == "-" {
            files.push((None, "-".to_string()));
            continue;
        }
        let path = Path::new(input);
        match std::fs::metadata(path) {
            Err(e) => warnings.push(Warning {
                location: input.clone(),
                message: e.to_string(),
                skipped: true,
            }),
            Ok(meta) if meta.is_dir() => walk_dir(path, &mut files, &mut warnings),
            Ok(_) => files.push((Some(path.to_path_buf()), input.clone())),
        }
    }
    let files = files
        .into_iter()
        .enumerate()
        .map(|(rank, (path, display))| InputFile { path, display, rank: rank as u32 })
        .collect();
    (files, warnings)
}

fn walk_dir(
    root: &Path,
    files: &mut Vec<(Option<PathBuf>, String)>,
    warnings: &mut Vec<Warning>,
) {
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for entry in walker {
        match entry {
            Err(e) => warnings.push(Warning {
                location: e
                    .path()
                    .map_or_else(|| root.display().to_string(), |p| p.display().to_string()),
                message: walk_error_message(&e),
                skipped: true,
            }),
            Ok(e) if e.file_type().is_file() && has_text_extension(e.path()) => {
                files.push((Some(e.path().to_path_buf()), e.path().display().to_string()));
            }
            Ok(_) => {}
        }
    }
}

fn walk_error_message(e: &walkdir::Error) -> String {
    if let Some(ancestor) = e.loop_ancestor() {
        return format!("symbolic link loop back to {}; skipped", ancestor.display());
    }
    match e.io_error() {
        Some(io) => format!("{io}; skipped"),
        None => format!("{e}; skipped"),
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|s| s.starts_with('.'))
}

fn has_text_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|x| x.to_str())
        .is_some_and(|x| TEXT_EXTENSIONS.iter().any(|t| x.eq_ignore_ascii_case(t)))
}

/// A date in a file name: `2024-03-05`, `20240305`, `2024-03` or `2024`,
/// as ISO text. The first plausible one in the file's name wins.
pub fn date_from_name(display: &str) -> Option<String> {
    let name = Path::new(display).file_name()?.to_str()?;
    let bytes = name.as_bytes();
    let digits_at = |i: usize, n: usize| {
        i + n <= bytes.len() && bytes[i..i + n].iter().all(u8::is_ascii_digit)
    };
    let num = |i: usize, n: usize| name[i..i + n].parse::<u32>().ok();
    let mut i = 0;
    while i < bytes.len() {
        // Only at the start of a run of digits.
        if !digits_at(i, 4) || (i > 0 && bytes[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let year = num(i, 4)?;
        let run = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        let valid_year = (1900..=2100).contains(&year);
        if run == 8 {
            let (m, d) = (num(i + 4, 2)?, num(i + 6, 2)?);
            if valid_year && is_valid_day(year, m, d) {
                return Some(format!("{year:04}-{m:02}-{d:02}"));
            }
        } else if run == 4 && valid_year {
            let dash = |j: usize| bytes.get(j) == Some(&b'-');
            if dash(i + 4) && digits_at(i + 5, 2) {
                let m = num(i + 5, 2)?;
                if (1..=12).contains(&m) {
                    if dash(i + 7) && digits_at(i + 8, 2) {
                        let d = num(i + 8, 2)?;
                        if is_valid_day(year, m, d) {
                            return Some(format!("{year:04}-{m:02}-{d:02}"));
                        }
                    }
                    return Some(format!("{year:04}-{m:02}"));
                }
            }
            return Some(format!("{year:04}"));
        }
        i += run;
    }
    None
}

fn is_valid_day(year: u32, month: u32, day: u32) -> bool {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    (1..=12).contains(&month) && day >= 1 && day <= days[month as usize - 1]
}

#[cfg(test)]
mod tests {
    use super::date_from_name;

    #[test]
    fn dates_in_names() {
        let cases = [
            ("a/2024-03-05-x.txt", Some("2024-03-05")),
            ("20240305.txt", Some("2024-03-05")),
            ("2024-03.txt", Some("2024-03")),
            ("gov/2024.txt", Some("2024")),
            ("1921-01a.txt", Some("1921-01")),
            ("2024-13-01.txt", Some("2024")),
            ("report-12345.txt", None),
            ("no-date.txt", None),
        ];
        for (name, want) in cases {
            assert_eq!(date_from_name(name).as_deref(), want, "{name}");
        }
    }
}
