//! `tifa diff`: the changes between two saved `count` results, so that a
//! team can keep its counts under version control and fail a CI run on a
//! change nobody expected.
//!
//! A saved result is CSV, JSON (an array of row objects) or JSON Lines, as
//! `count --format` writes them, told apart by their first byte (`[`, `{`,
//! else CSV). A CSV is read as a spreadsheet may have left it: a
//! byte-order mark, and the `'` that protects a text cell from formula
//! evaluation, are ignored. A result of `count --by X` has the group in its
//! first column; rows are matched on (group, term), and a term missing from
//! one side counts as zero hits there, unless that side lists every term
//! of its lexicon (`count --all`): the term was not counted there at all.

use std::collections::{BTreeMap, BTreeSet};

use crate::corpus::{RecordLines, UNCLOSED_QUOTE, json_error, unclosed_quote};
use crate::error::Error;
use crate::output::{plain, unneutralize};
use crate::table::{Cell, Table, float, int, text};

/// The hits of a saved `count` result, by (group, term).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CountSheet {
    /// The name of the group column (`year`, `doc` ...), if grouped.
    pub group: Option<String>,
    /// Hits by (group, term); the group is empty when ungrouped.
    pub hits: BTreeMap<(String, String), u64>,
    /// Whether it lists every term of its lexicon, as `count --all` does:
    /// it has a row without hits, unconfirmed or nested matches, which
    /// `count` leaves out otherwise. A term it does not list was not
    /// counted.
    pub lists_all: bool,
}

impl CountSheet {
    /// Reads a CSV, JSON or JSON Lines result of `tifa count` (`name` is
    /// used in errors, which give its line). An empty `.jsonl` file is a
    /// result without rows, as `count --format jsonl` writes when nothing
    /// is found; any other empty file is an error: `count` writes a CSV
    /// header and a JSON `[]` whatever it finds, and an empty file is what
    /// a failed `tifa count > old.csv` leaves, which would make every term
    /// new.
    pub fn read(bytes: &[u8], name: &str) -> Result<CountSheet, Error> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let at = |line: usize, message: String| Error::Input {
            location: format!("{name}:{line}"),
            message,
        };
        match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
            None if name.to_ascii_lowercase().ends_with(".jsonl") => {
                Ok(CountSheet::default())
            }
            None => Err(at(
                1,
                "empty: not a `tifa count` result, which has a header line \
                 in CSV and `[]` in JSON (only JSON Lines, `.jsonl`, may be \
                 empty)"
                    .into(),
            )),
            Some(b'[' | b'{') => {
                let text = std::str::from_utf8(bytes).map_err(|e| {
                    let line = RecordLines::new(bytes, 1).at(e.valid_up_to());
                    at(line.0, "not UTF-8".into())
                })?;
                CountSheet::read_json(text, &at)
            }
            Some(_) => CountSheet::read_csv(bytes, &at),
        }
    }

    fn read_csv(
        bytes: &[u8],
        at: &impl Fn(usize, String) -> Error,
    ) -> Result<CountSheet, Error> {
        if let Some((_, line)) = unclosed_quote(bytes, b',') {
            return Err(at(line, UNCLOSED_QUOTE.into()));
        }
        let mut lines = RecordLines::new(bytes, 1);
        let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
        let headers = reader
            .headers()
            .map_err(|e| at(1, csv_message(&e)))?
            .iter()
            .map(|h| unneutralize(h.trim()).to_string())
            .collect::<Vec<_>>();
        let column = |want: &str| headers.iter().position(|h| h == want);
        let (Some(_), Some(_)) = (column("term"), column("hits")) else {
            return Err(at(
                1,
                "not a `tifa count` result: it needs `term` and `hits` \
                 columns"
                    .into(),
            ));
        };
        let group = group_column(&headers);
        let mut sheet = CountSheet { group, ..CountSheet::default() };
        let grouped = sheet.group.is_some();
        let mut record = csv::StringRecord::new();
        loop {
            let byte = reader.position().byte() as usize;
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let byte =
                        e.position().map_or(byte, |p| p.byte() as usize);
                    return Err(at(lines.at(byte).0, csv_message(&e)));
                }
            }
            let byte = record.position().map_or(byte, |p| p.byte() as usize);
            let line = lines.at(byte).0;
            sheet
                .add(|c| {
                    let at = column(c)?;
                    let cell = record.get(at).unwrap_or("");
                    // A group is kept whole (a document id may end in a
                    // space); a count, or a term id, may have gained spaces
                    // by hand.
                    let cell = match grouped && at == 0 {
                        true => cell,
                        false => cell.trim(),
                    };
                    Some(unneutralize(cell).to_string())
                })
                .map_err(|m| at(line, m))?;
        }
        Ok(sheet)
    }

    /// A JSON array of row objects, or JSON Lines of them; the group
    /// column is the first key of the first row, unless it is `term`.
    fn read_json(
        text: &str,
        at: &impl Fn(usize, String) -> Error,
    ) -> Result<CountSheet, Error> {
        use serde_json::{Map, error::Category, value::RawValue};
        // Each row with its line.
        let mut rows: Vec<(usize, &str)> = Vec::new();
        if text.trim_start().starts_with('[') {
            let array: Vec<&RawValue> =
                serde_json::from_str(text).map_err(|e| {
                    let line = text.lines().nth(e.line().saturating_sub(1));
                    let message = json_error(&e, line.unwrap_or(""));
                    at(e.line(), format!("invalid JSON: {message}"))
                })?;
            let mut lines = RecordLines::new(text.as_bytes(), 1);
            for raw in array {
                let start =
                    raw.get().as_ptr() as usize - text.as_ptr() as usize;
                rows.push((lines.at(start).0, raw.get()));
            }
        } else {
            let lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
            rows.extend(lines.filter(|(_, l)| !l.trim().is_empty()));
        }
        let mut sheet = CountSheet::default();
        for (i, &(line, json)) in rows.iter().enumerate() {
            let row: Map<String, Cell> =
                serde_json::from_str(json).map_err(|e| {
                    let message = match e.classify() {
                        Category::Data => "not a JSON object".into(),
                        _ => format!("invalid JSON: {}", json_error(&e, json)),
                    };
                    at(line, message)
                })?;
            if i == 0 {
                let keys: Vec<String> = row.keys().cloned().collect();
                sheet.group = group_column(&keys);
            }
            sheet.add(|c| row.get(c).map(plain)).map_err(|m| at(line, m))?;
        }
        Ok(sheet)
    }

    /// The terms it counted, when it lists every one.
    fn counted(&self) -> Option<BTreeSet<&str>> {
        let terms = self.hits.keys().map(|k| k.1.as_str());
        self.lists_all.then(|| terms.collect())
    }

    /// Adds a row whose cells `cell` gives by column name; an error is
    /// what is wrong with it. A column of `count`'s own named as the group
    /// is `NAME_2` (see [`group_column`]).
    fn add(
        &mut self,
        cell: impl Fn(&str) -> Option<String>,
    ) -> Result<(), String> {
        // Borrowed apart from what the row adds to.
        let CountSheet { group, hits: sheet, lists_all } = self;
        let group = group.as_deref();
        let field = cell;
        let cell = |c: &str| match group == Some(c) {
            true => field(&format!("{c}_2")),
            false => field(c),
        };
        let need = |c: &str| cell(c).ok_or_else(|| format!("no `{c}` field"));
        let term = need("term")?;
        if term.is_empty() {
            return Err("empty term".into());
        }
        let raw = need("hits")?;
        let hits: u64 = raw
            .parse()
            .map_err(|_| format!("hits = {raw:?} is not a count"))?;
        let label = match group {
            Some(g) => field(g).ok_or_else(|| format!("no `{g}` field"))?,
            None => String::new(),
        };
        // Without --all, `count` lists a term only for some match.
        let zero = |c: &str| cell(c).is_none_or(|v| v == "0");
        *lists_all |= hits == 0
            && cell("unconfirmed").is_some()
            && zero("unconfirmed")
            && zero("nested");
        let key = (label, term);
        if sheet.insert(key.clone(), hits).is_some() {
            let what = if key.0.is_empty() {
                format!("term {:?}", key.1)
            } else {
                format!("term {:?} in group {:?}", key.1, key.0)
            };
            // `count --by doc` over files that number their records alike.
            let hint = match group {
                Some("doc") => " (two documents of one id, from two files?)",
                _ => "",
            };
            return Err(format!("{what} appears twice{hint}"));
        }
        Ok(())
    }
}

/// The group column of a result with these columns: the first, unless it
/// is `term` (an ungrouped result). `count --by FIELD` names a column of
/// its own that FIELD takes `FIELD_2` (`--by term`: `term,term_2,...`),
/// so a first column `term` beside `term_2` is a group too.
fn group_column(columns: &[String]) -> Option<String> {
    let first = columns.first()?;
    let renamed = format!("{first}_2");
    (first != "term" || columns.contains(&renamed)).then(|| first.clone())
}

/// A csv error without the position that `at` already gives.
fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("{len} fields where the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "not UTF-8".into(),
        _ => e.to_string(),
    }
}

/// How a term's hits changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// No hits before, some now.
    New,
    /// Hits before, none now.
    Gone,
    /// More hits.
    Up,
    /// Fewer hits.
    Down,
    /// As many hits.
    Same,
    /// Not counted before: the old result, of `count --all`, does not
    /// list the term (a term added to the lexicon since).
    Added,
    /// Not counted now: the new result, of `count --all`, does not list
    /// the term (a term removed from the lexicon).
    Removed,
}

impl Change {
    fn of(old: Option<u64>, new: Option<u64>) -> Change {
        let (Some(old), Some(new)) = (old, new) else {
            return if old.is_none() {
                Change::Added
            } else {
                Change::Removed
            };
        };
        match (old, new) {
            _ if old == new => Change::Same,
            (0, _) => Change::New,
            (_, 0) => Change::Gone,
            _ if new > old => Change::Up,
            _ => Change::Down,
        }
    }

    /// Its name in the `status` column.
    pub fn name(self) -> &'static str {
        match self {
            Change::New => "new",
            Change::Gone => "gone",
            Change::Up => "up",
            Change::Down => "down",
            Change::Same => "same",
            Change::Added => "added",
            Change::Removed => "removed",
        }
    }
}

/// One row of a diff.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffRow {
    /// The group (empty when ungrouped).
    pub group: String,
    /// The term id.
    pub term: String,
    /// Hits in the old result; `None` when it did not count the term.
    pub old: Option<u64>,
    /// Hits in the new result; `None` when it did not count the term.
    pub new: Option<u64>,
    /// The change.
    pub status: Change,
}

impl DiffRow {
    /// New hits less old ones; `None` unless both results counted the
    /// term.
    pub fn change(&self) -> Option<i64> {
        Some(self.new? as i64 - self.old? as i64)
    }

    /// The change in percent of the old hits; `None` when there were none.
    pub fn rel_change(&self) -> Option<f64> {
        let old = self.old.filter(|&o| o > 0)?;
        Some(self.change()? as f64 * 100.0 / old as f64)
    }

    /// Whether the row fails `--fail-on percent`: the term appeared,
    /// disappeared (from the hits or from the terms counted), or changed
    /// by more than `percent`.
    pub fn exceeds(&self, percent: f64) -> bool {
        !matches!(self.status, Change::Up | Change::Down | Change::Same)
            || self.rel_change().is_some_and(|r| r.abs() > percent)
    }
}

/// The changes from one saved result to another.
#[derive(Debug, Clone, PartialEq)]
pub struct Diff {
    /// The group column, when both results are grouped.
    pub group: Option<String>,
    /// Every (group, term) of either result, sorted by group then term.
    pub rows: Vec<DiffRow>,
}

impl Diff {
    /// Compares two results; they must be grouped alike, unless one has
    /// no rows (an empty JSON Lines file has no column names).
    pub fn new(old: &CountSheet, new: &CountSheet) -> Result<Diff, Error> {
        let rowless = old.hits.is_empty() || new.hits.is_empty();
        if old.group != new.group && !rowless {
            let describe = |g: &Option<String>| match g {
                Some(g) => format!("grouped by {g}"),
                None => "not grouped".to_string(),
            };
            return Err(Error::Usage(format!(
                "the old result is {} but the new one is {}: compare \
                 results of the same `count --by`",
                describe(&old.group),
                describe(&new.group)
            )));
        }
        let mut keys: Vec<&(String, String)> =
            old.hits.keys().chain(new.hits.keys()).collect();
        // Groups in the order `count --by` writes them.
        keys.sort_by(|a, b| {
            super::group::label_order(&a.0, &b.0).then_with(|| a.1.cmp(&b.1))
        });
        keys.dedup();
        let (old_terms, new_terms) = (old.counted(), new.counted());
        // No row is zero hits, unless the side lists every term counted.
        let hits = |s: &CountSheet,
                    counted: &Option<BTreeSet<&str>>,
                    key: &(String, String)| {
            let listed = |c: &BTreeSet<&str>| c.contains(key.1.as_str());
            match s.hits.get(key) {
                Some(&h) => Some(h),
                None => counted.as_ref().is_none_or(listed).then_some(0),
            }
        };
        let rows = keys
            .into_iter()
            .map(|key| {
                let o = hits(old, &old_terms, key);
                let n = hits(new, &new_terms, key);
                DiffRow {
                    group: key.0.clone(),
                    term: key.1.clone(),
                    old: o,
                    new: n,
                    status: Change::of(o, n),
                }
            })
            .collect();
        let group = if old.hits.is_empty() { &new.group } else { &old.group };
        Ok(Diff { group: group.clone(), rows })
    }

    /// `[group,]term,old,new,change,rel_change,status`; `rel_change` is in
    /// percent of `old`, empty when `old` is zero; a side that did not
    /// count the term has empty cells.
    pub fn table(&self) -> Table {
        let mut columns = Vec::new();
        if let Some(g) = &self.group {
            columns.push(g.as_str());
        }
        columns.extend([
            "term",
            "old",
            "new",
            "change",
            "rel_change",
            "status",
        ]);
        let mut table = Table::new(columns).numbers([
            "old",
            "new",
            "change",
            "rel_change",
        ]);
        for r in &self.rows {
            let mut row = Vec::with_capacity(7);
            if self.group.is_some() {
                row.push(text(r.group.clone()));
            }
            row.extend([
                text(r.term.clone()),
                r.old.map_or(Cell::Null, int),
                r.new.map_or(Cell::Null, int),
                r.change().map_or(Cell::Null, Cell::from),
                float(r.rel_change(), 2),
                text(r.status.name()),
            ]);
            table.push(row);
        }
        table
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(s: &str) -> CountSheet {
        CountSheet::read(s.as_bytes(), "x.csv").unwrap()
    }

    #[test]
    fn reads_plain_and_grouped_results() {
        let plain =
            sheet("\u{FEFF}term,hits,docs\nai-plus,3,1\ntwo-new,0,0\n");
        assert_eq!(plain.group, None);
        assert_eq!(plain.hits[&("".into(), "ai-plus".into())], 3);
        let grouped = sheet("year,term,hits\n2024,ai-plus,1\n'-x,two-new,2\n");
        assert_eq!(grouped.group.as_deref(), Some("year"));
        assert_eq!(grouped.hits[&("-x".into(), "two-new".into())], 2);
    }

    /// `count --by term` (a metadata field for a congress's term) writes
    /// `term,term_2`, and `--by hits` writes `hits,...,hits_2`: the group is
    /// the first column, and `NAME_2` plays `NAME`. (The group was read as
    /// the term, an error, or as the hits, silently.)
    #[test]
    fn groups_named_as_count_columns() {
        for text in [
            "term,term_2,hits\n14th,two-new,1\n13th,two-new,2\n",
            r#"[{"term":"14th","term_2":"two-new","hits":1},{"term":"13th","term_2":"two-new","hits":2}]"#,
        ] {
            let by_term = sheet(text);
            assert_eq!(by_term.group.as_deref(), Some("term"));
            assert_eq!(by_term.hits[&("13th".into(), "two-new".into())], 2);
        }
        let by_hits = sheet("hits,term,hits_2\n7,two-new,1\n");
        assert_eq!(by_hits.group.as_deref(), Some("hits"));
        assert_eq!(by_hits.hits[&("7".into(), "two-new".into())], 1);
    }

    /// A group is read back whole: a document id may start or end with
    /// white space, which JSON keeps and CSV must too.
    #[test]
    fn groups_keep_their_white_space() {
        let csv = sheet(
            "doc,term,hits\n\"Xinhua \",a,1\nXinhua,a,2\n\"x\t\", b ,3\n",
        );
        assert_eq!(csv.hits[&("Xinhua ".into(), "a".into())], 1);
        assert_eq!(csv.hits[&("Xinhua".into(), "a".into())], 2);
        // The term, a lexicon id, is trimmed.
        assert_eq!(csv.hits[&("x\t".into(), "b".into())], 3);
    }

    #[test]
    fn statuses_and_thresholds() {
        let old = sheet("term,hits\na,10\nb,4\nc,5\nd,2\n");
        let new = sheet("term,hits\na,12\nb,4\nd,1\ne,1\n");
        let diff = Diff::new(&old, &new).unwrap();
        let got: Vec<(&str, &str, Option<f64>)> = diff
            .rows
            .iter()
            .map(|r| (r.term.as_str(), r.status.name(), r.rel_change()))
            .collect();
        assert_eq!(
            got,
            [
                ("a", "up", Some(20.0)),
                ("b", "same", Some(0.0)),
                ("c", "gone", Some(-100.0)),
                ("d", "down", Some(-50.0)),
                ("e", "new", None),
            ]
        );
        let past = |p: f64| diff.rows.iter().filter(|r| r.exceeds(p)).count();
        assert_eq!(past(50.0), 2); // c, e
        assert_eq!(past(20.0), 3); // c, d, e: a's 20% is not more than 20
        assert_eq!(past(19.9), 4);
    }

    #[test]
    fn errors_name_the_line() {
        let e =
            CountSheet::read(b"term,hits\na,1\nb,x\n", "o.csv").unwrap_err();
        assert_eq!(e.to_string(), "o.csv:3: hits = \"x\" is not a count");
        let e =
            CountSheet::read(b"term,hits\na,1\na,2\n", "o.csv").unwrap_err();
        assert_eq!(e.to_string(), "o.csv:3: term \"a\" appears twice");
        let e = CountSheet::read(b"doc,n\na,1\n", "o.csv").unwrap_err();
        assert!(e.to_string().starts_with("o.csv:1: not a `tifa count`"));
        let e = CountSheet::read(b"term,hits\na,1,9\n", "o.csv").unwrap_err();
        assert!(e.to_string().starts_with("o.csv:2: 3 fields"), "{e}");
    }

    /// The JSON and JSON Lines that `count --format` writes read as its
    /// CSV does: the group is the first key, numbers are counts, `'` is
    /// kept (JSON cells are not protected).
    #[test]
    fn reads_json_and_json_lines() {
        let csv = sheet("year,term,hits,rate_zh\n2024,a,1,0.5\n2025,b,0,\n");
        let json = sheet(
            "[\n  {\"year\": \"2024\", \"term\": \"a\", \"hits\": 1, \
             \"rate_zh\": 0.5},\n  {\"year\": \"2025\", \"term\": \"b\", \
             \"hits\": 0, \"rate_zh\": null}\n]\n",
        );
        let jsonl = sheet(
            "{\"year\":\"2024\",\"term\":\"a\",\"hits\":1}\n\n\
             {\"year\":\"2025\",\"term\":\"b\",\"hits\":0}\n",
        );
        assert_eq!(json, csv);
        assert_eq!(jsonl, csv);
        let quoted = sheet("[{\"term\":\"'=a\",\"hits\":2}]");
        assert_eq!(quoted.group, None);
        assert_eq!(quoted.hits[&("".into(), "'=a".into())], 2);
        assert_eq!(sheet("[]"), CountSheet::default());
        let empty = CountSheet::read(b"\xEF\xBB\xBF\n", "x.JSONL").unwrap();
        assert_eq!(empty, CountSheet::default());
        assert!(CountSheet::read(b"\xEF\xBB\xBF\n", "x.csv").is_err());
    }

    #[test]
    fn json_errors_name_the_line() {
        let err = |s: &str| {
            CountSheet::read(s.as_bytes(), "o.json").unwrap_err().to_string()
        };
        assert_eq!(
            err(
                "[\n{\"term\":\"a\",\"hits\":1},\n{\"term\":\"b\",\"hits\":\"x\"}\n]"
            ),
            "o.json:3: hits = \"x\" is not a count"
        );
        assert_eq!(
            err(
                "[\n{\"term\":\"a\",\"hits\":1},\n{\"term\":\"b\",\"hits\":2\n"
            ),
            "o.json:4: invalid JSON: EOF while parsing an object at line 4 \
             column 0"
        );
        assert_eq!(
            err("{\"term\":\"a\",\"hits\":1}\n{\"term\":\"b\"}\n"),
            "o.json:2: no `hits` field"
        );
        assert_eq!(
            err("{\"term\":\"a\",\"hits\":1}\n[1]\n"),
            "o.json:2: not a JSON object"
        );
        assert_eq!(
            err("{\"term\":\"a\",\"hits\":1}\n{\"term\":\"b\",\"hits\":2,}\n"),
            "o.json:2: invalid JSON: trailing comma at column 22"
        );
        assert_eq!(
            err(
                "{\"year\":\"1\",\"term\":\"a\",\"hits\":1}\n{\"term\":\"a\",\"hits\":1}"
            ),
            "o.json:2: no `year` field"
        );
        let e = CountSheet::read(b"[{\"term\":\"a\xff\"}]", "o.json");
        assert_eq!(e.unwrap_err().to_string(), "o.json:1: not UTF-8");
    }

    /// A result of `count --all` lists every term counted: a term it
    /// lacks was not counted (`added`, `removed`), while one listed with
    /// 0 hits was (`new`, `gone`). Without --all, a term it lacks has no
    /// hits.
    #[test]
    fn terms_not_counted_are_told_from_zero_hits() {
        let all = "term,hits,unconfirmed\na,0,0\nb,3,0\nc,0,0\n";
        let later = "term,hits,unconfirmed\na,2,0\nb,0,0\nd,0,0\ne,1,0\n";
        assert!(sheet(all).lists_all);
        // Unconfirmed matches, or no such column (a trend): no --all.
        assert!(!sheet("term,hits,unconfirmed\na,0,1\n").lists_all);
        assert!(!sheet("period,term,hits\n2024,a,0\n").lists_all);
        assert!(!sheet("term,hits,unconfirmed,nested\na,0,0,1\n").lists_all);
        let diff = Diff::new(&sheet(all), &sheet(later)).unwrap();
        let got: Vec<(&str, Option<u64>, Option<u64>, &str)> = diff
            .rows
            .iter()
            .map(|r| (r.term.as_str(), r.old, r.new, r.status.name()))
            .collect();
        assert_eq!(
            got,
            [
                ("a", Some(0), Some(2), "new"),
                ("b", Some(3), Some(0), "gone"),
                ("c", Some(0), None, "removed"),
                ("d", None, Some(0), "added"),
                ("e", None, Some(1), "added"),
            ]
        );
        assert!(diff.rows.iter().all(|r| r.exceeds(1000.0)));
        let csv = |t: &Table| crate::table::join(t.rows[3].iter().map(plain));
        assert_eq!(csv(&diff.table()), "d||0|||added");
        // Without --all on the old side, d and e had no hits there.
        let some = sheet("term,hits,unconfirmed\nb,3,0\n");
        let diff = Diff::new(&some, &sheet(later)).unwrap();
        let status: Vec<&str> =
            diff.rows.iter().map(|r| r.status.name()).collect();
        assert_eq!(status, ["new", "gone", "same", "new"]);
    }

    #[test]
    fn grouping_must_agree() {
        let old = sheet("term,hits\na,1\n");
        let new = sheet("year,term,hits\n2024,a,1\n");
        assert!(Diff::new(&old, &new).is_err());
        // A result without rows (empty JSON Lines) has no grouping.
        let diff = Diff::new(&CountSheet::default(), &new).unwrap();
        assert_eq!(diff.group.as_deref(), Some("year"));
    }
}
