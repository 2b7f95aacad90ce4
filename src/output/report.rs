//! A report folder: `index.md` (and `index.html`) built from blocks, the
//! CSVs, `summary.json` and the SVG charts, written all or nothing. The
//! writer computes nothing: the caller hands it tables and charts.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{CsvOptions, Format, temporaries, write_table};
use crate::error::Error;
use crate::hash::{self, fnv1a};
use crate::table::Table;

/// A piece of the index page, rendered alike as Markdown and HTML.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// The page's title, the user's text: shown as it is written, never
    /// read as markup.
    Title(String),
    /// A heading of level 1 to 3.
    Heading(u8, String),
    /// A paragraph; `code` in backticks.
    Para(String),
    /// A bulleted list; `code` in backticks.
    List(Vec<String>),
    /// A table.
    Table(Table),
    /// A chart: its file name in the folder, alt text and SVG bytes
    /// (linked from Markdown, inlined in HTML).
    Chart(String, String, Vec<u8>),
}

/// The index page as Markdown.
pub fn markdown(blocks: &[Block]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        match block {
            Block::Title(s) => {
                out.extend(
                    format!("# {}\n", super::markdown::escape(s)).as_bytes(),
                );
            }
            Block::Heading(level, s) => {
                let hashes = "#".repeat(usize::from(*level));
                out.extend(format!("{hashes} {s}\n").as_bytes());
            }
            Block::Para(s) => out.extend(format!("{s}\n").as_bytes()),
            Block::List(items) => {
                for item in items {
                    out.extend(format!("- {item}\n").as_bytes());
                }
            }
            Block::Table(t) => {
                let csv = CsvOptions { bom: false, raw: true };
                write_table(t, Format::Markdown, csv, &mut out)
                    .expect("writing to memory");
            }
            Block::Chart(name, alt, _) => {
                out.extend(format!("![{alt}]({name})\n").as_bytes());
            }
        }
    }
    out
}

/// The index page as one self-contained HTML file: charts inline, no
/// external resources, readable offline.
pub fn html(title: &str, blocks: &[Block]) -> Vec<u8> {
    let mut s = String::new();
    s.push_str("<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n");
    s.push_str(&format!("<title>{}</title>\n", escape(title)));
    s.push_str(concat!(
        "<style>\n",
        "body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"PingFang SC\",\"Microsoft YaHei\",sans-serif;",
        "max-width:62rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.5}\n",
        "table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}\n",
        "th,td{border:1px solid #ccc;padding:.25rem .5rem}\n",
        "th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}\n",
        "code{background:#f3f3f3;padding:0 .2rem}\n",
        "figure{margin:1rem 0;overflow-x:auto}svg{max-width:100%;height:auto}\n",
        "</style>\n</head>\n<body>\n",
    ));
    for block in blocks {
        match block {
            Block::Title(t) => {
                s.push_str(&format!("<h1>{}</h1>\n", escape(t)))
            }
            Block::Heading(level, t) => {
                s.push_str(&format!("<h{level}>{}</h{level}>\n", inline(t)))
            }
            Block::Para(t) => s.push_str(&format!("<p>{}</p>\n", inline(t))),
            Block::List(items) => {
                s.push_str("<ul>\n");
                for item in items {
                    s.push_str(&format!("<li>{}</li>\n", inline(item)));
                }
                s.push_str("</ul>\n");
            }
            Block::Table(t) => s.push_str(&html_table(t)),
            Block::Chart(_, alt, svg) => {
                let svg = String::from_utf8_lossy(svg);
                // The XML declaration is not allowed inside HTML.
                let svg = svg
                    .strip_prefix(
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
                    )
                    .unwrap_or(&svg);
                s.push_str(&format!(
                    "<figure role=\"img\" aria-label=\"{}\">\n{}</figure>\n",
                    escape(alt),
                    svg
                ));
            }
        }
    }
    s.push_str("</body>\n</html>\n");
    // A control character would make the page's inline SVG (and the page
    // as XHTML) invalid: browsers then show no chart.
    super::xml_chars(&s).into_owned().into_bytes()
}

fn html_table(t: &Table) -> String {
    let numeric: Vec<bool> = (0..t.columns.len())
        .map(|i| super::markdown::is_numeric(t, i))
        .collect();
    let mut s = String::from("<table>\n<thead><tr>");
    for c in &t.columns {
        s.push_str(&format!("<th>{}</th>", escape(c)));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for row in &t.rows {
        s.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let class = if numeric[i] { " class=\"n\"" } else { "" };
            s.push_str(&format!(
                "<td{class}>{}</td>",
                escape(&super::plain(cell))
            ));
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table>\n");
    s
}

/// Escaped text with `code` spans.
fn inline(t: &str) -> String {
    t.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{}</code>", escape(part))
            } else {
                escape(part)
            }
        })
        .collect()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A table as CSV for a file (with a byte-order mark and formula-safe,
/// unless `--no-bom` or `--raw` say otherwise).
pub fn csv(t: &Table, opts: CsvOptions) -> Vec<u8> {
    let mut out = Vec::new();
    write_table(t, Format::Csv, opts, &mut out).expect("writing to memory");
    out
}

/// A 64-bit FNV-1a hash, as 16 hex digits: stable across platforms and
/// releases (unlike std's hasher), enough to tell two lexicons apart.
pub fn fnv1a64(parts: &[&[u8]]) -> String {
    // A 0xff after each part (a byte UTF-8 never holds), so that
    // ["ab", "c"] and ["a", "bc"] differ.
    let h = parts
        .iter()
        .fold(hash::FNV_OFFSET, |h, part| fnv1a(fnv1a(h, part), &[0xff]));
    format!("{h:016x}")
}

/// The files a report folder may hold: what `tifa report` writes.
pub const REPORT_FILES: &[&str] = &[
    "index.md",
    "index.html",
    "counts.csv",
    "trend.csv",
    "cooc.csv",
    "summary.json",
    "trend.svg",
    "cooc.svg",
];

/// The entries of the folder `dir` that no report writes, sorted by
/// name: `report --out` replaces only a folder with none, and the walk of
/// a corpus leaves out a report (see [`is_report`]).
pub fn foreign_entries(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut foreign = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if !REPORT_FILES.contains(&name.as_str()) {
            foreign.push(name);
        }
    }
    foreign.sort();
    Ok(foreign)
}

/// Whether the folder `dir` is a report tifa wrote: it holds the
/// `index.md` and `summary.json` that every report has, and nothing that
/// a report does not write. A folder of articles holding an `index.md`
/// alone (a static site's page) is none. One look for `summary.json`
/// settles most folders, so that a walk can ask this of each folder.
pub fn is_report(dir: &Path) -> bool {
    dir.join("summary.json").is_file()
        && dir.join("index.md").is_file()
        && foreign_entries(dir).is_ok_and(|f| f.is_empty())
}

/// Environment variable for tests: fail after writing this many files, to
/// check that a failed report leaves nothing behind.
pub const FAIL_AFTER_ENV: &str = "TIFA_TEST_REPORT_FAIL_AFTER";

/// Writes `files` (name, bytes) as the folder `dir`, all or nothing: into a
/// temporary folder beside `dir`, then renamed onto it. An existing `dir`
/// is replaced only once the new folder is complete (renamed away, the new
/// one renamed in, the old one removed); on failure the temporary folder
/// is removed and `dir` is left as it was.
pub fn write_folder(
    dir: &Path,
    files: &[(String, Vec<u8>)],
) -> Result<(), Error> {
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let fail_after: Option<usize> =
        std::env::var(FAIL_AFTER_ENV).ok().and_then(|v| v.parse().ok());
    let tmp = TempFolder::new(&parent, ".tifa-report-", dir)?;
    for (i, (name, bytes)) in files.iter().enumerate() {
        if fail_after == Some(i) {
            return Err(Error::io(
                dir,
                std::io::Error::other(
                    "test failure (TIFA_TEST_REPORT_FAIL_AFTER)",
                ),
            ));
        }
        let path = tmp.dir.path().join(name);
        // Errors name the file as it will be, not its temporary folder.
        let err = |e| Error::io(dir.join(name), e);
        // Created under the list's lock, so that an interruption removing
        // the folder never meets a file appearing in it; writing into a
        // file already removed is harmless.
        let created = {
            let _registry = temporaries::lock();
            std::fs::File::create(&path)
        };
        let mut f = created.map_err(err)?;
        f.write_all(bytes).and_then(|()| f.sync_all()).map_err(err)?;
    }
    temporaries::test_pause();
    // The previous folder is moved into `old`, a listed temporary: an
    // interruption may remove it there, but only once the new folder is
    // at `dir`, since every rename below happens under the list's lock.
    let old = match dir.exists() {
        true => Some(TempFolder::new(&parent, ".tifa-report-old-", dir)?),
        false => None,
    };
    let mut registry = temporaries::lock();
    if let Some(old) = &old {
        // Rename the old folder onto the (empty) placeholder.
        std::fs::rename(dir, old.dir.path()).map_err(|e| Error::io(dir, e))?;
    }
    if let Err(e) = std::fs::rename(tmp.dir.path(), dir) {
        // Put the old folder back; if that fails too, keep it where it
        // is rather than delete it. Either way it is no temporary now
        // (and leaves the list here: dropping its guard would wait for
        // the lock held).
        if let Some(old) = old {
            let back = std::fs::rename(old.dir.path(), dir);
            old.live.placed(&mut registry);
            if back.is_err() {
                let _ = old.dir.keep();
            }
        }
        return Err(Error::io(dir, e));
    }
    // The temporary folder is now `dir`: do not remove it.
    tmp.live.placed(&mut registry);
    let _ = tmp.dir.keep();
    drop(registry);
    // `old` removes the previous folder when dropped.
    drop(old);
    Ok(())
}

/// A temporary folder beside the report, on the list of temporaries from
/// its creation. Its fields drop in order: the folder is removed, then it
/// leaves the list.
struct TempFolder {
    dir: tempfile::TempDir,
    live: temporaries::Live,
}

impl TempFolder {
    /// Creates and lists the folder under one lock, so that an
    /// interruption cannot fall between the two. Errors name `target`.
    fn new(
        parent: &Path,
        prefix: &str,
        target: &Path,
    ) -> Result<TempFolder, Error> {
        let mut registry = temporaries::lock();
        let dir = tempfile::Builder::new()
            .prefix(prefix)
            .tempdir_in(parent)
            .map_err(|e| Error::io(target, e))?;
        let live = registry.add(dir.path());
        Ok(TempFolder { dir, live })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_is_stable() {
        // The FNV-1a test vector for "a" is af63dc4c8601ec8c; ours adds a
        // separator after each part.
        assert_ne!(fnv1a64(&[b"ab", b"c"]), fnv1a64(&[b"a", b"bc"]));
        assert_eq!(fnv1a64(&[b"a"]), fnv1a64(&[b"a"]));
        assert_eq!(fnv1a64(&[b"a"]).len(), 16);
    }

    #[test]
    fn html_escapes_and_inlines() {
        let blocks = [
            Block::Para("a `<b>` & c".into()),
            Block::Chart(
                "x.svg".into(),
                "alt".into(),
                b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg/>\n"
                    .to_vec(),
            ),
        ];
        let s = String::from_utf8(html("t", &blocks)).unwrap();
        assert!(s.contains("<p>a <code>&lt;b&gt;</code> &amp; c</p>"));
        assert!(s.contains("<svg/>") && !s.contains("<?xml"));
    }
}
