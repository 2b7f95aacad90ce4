//! Grouping documents for `--by`: by document, by calendar period of their
//! date, or by a metadata field.

use std::cmp::Ordering;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

use crate::corpus::Document;

/// The label of documents that lack what a grouping needs.
pub const MISSING: &str = "(none)";

/// How documents are grouped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grouping {
    /// One group for the whole corpus.
    All,
    /// One group per document, in corpus order.
    Doc,
    /// Decade, `1950s` (the years 1950 to 1959).
    Decade,
    /// Calendar year, `2024`.
    Year,
    /// Calendar quarter, `2024-Q1`.
    Quarter,
    /// Calendar month, `2024-03`.
    Month,
    /// ISO week, `2024-W09`.
    Week,
    /// Day, `2024-03-05`.
    Day,
    /// The `source` field.
    Source,
    /// Any other metadata field.
    Field(String),
}

impl FromStr for Grouping {
    type Err = String;

    fn from_str(s: &str) -> Result<Grouping, String> {
        Ok(match s {
            "" => return Err("--by needs a value".into()),
            "all" => Grouping::All,
            "doc" => Grouping::Doc,
            "decade" => Grouping::Decade,
            "year" => Grouping::Year,
            "quarter" => Grouping::Quarter,
            "month" => Grouping::Month,
            "week" => Grouping::Week,
            "day" => Grouping::Day,
            "source" => Grouping::Source,
            field => Grouping::Field(field.to_string()),
        })
    }
}

/// A group: its label, and a rank that orders documents by corpus order
/// (zero for every other grouping, which sort by label).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GroupKey {
    /// Corpus position, for `--by doc`.
    pub rank: (u32, u32),
    /// The label shown in the first column.
    pub label: String,
}

/// Groups sort by rank, then by `label_order`.
impl Ord for GroupKey {
    fn cmp(&self, other: &GroupKey) -> Ordering {
        self.rank
            .cmp(&other.rank)
            .then_with(|| label_order(&self.label, &other.label))
    }
}

impl PartialOrd for GroupKey {
    fn partial_cmp(&self, other: &GroupKey) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Grouping {
    /// The name of the group column.
    pub fn column(&self) -> &str {
        match self {
            Grouping::All => "",
            Grouping::Doc => "doc",
            Grouping::Decade => "decade",
            Grouping::Year => "year",
            Grouping::Quarter => "quarter",
            Grouping::Month => "month",
            Grouping::Week => "week",
            Grouping::Day => "day",
            Grouping::Source => "source",
            Grouping::Field(f) => f,
        }
    }

    /// The group of a document.
    pub fn key(&self, doc: &Document) -> GroupKey {
        let label = match self {
            Grouping::All => String::new(),
            Grouping::Doc => {
                return GroupKey { rank: doc.rank, label: doc.id.to_string() };
            }
            Grouping::Source => non_empty(&doc.source),
            Grouping::Field(f) => match f.as_str() {
                "title" => non_empty(&doc.title),
                "date" => doc.date.as_deref().unwrap_or(MISSING).to_string(),
                "id" => doc.id.to_string(),
                _ => doc.field(f).map_or(MISSING.into(), non_empty),
            },
            period => match doc.date.as_deref() {
                None => MISSING.into(),
                Some(d) => period_label(period, d).unwrap_or_else(|| {
                    // Dated more coarsely than the period: a group of its
                    // own, next to its periods, apart from the undated.
                    let only = if d.len() == 4 { "year" } else { "month" };
                    format!("{d} ({only} only)")
                }),
            },
        };
        GroupKey { rank: (0, 0), label }
    }
}

/// The order of group labels. Labels that are integers (`--by page`)
/// sort by value, so that page 2 comes before page 10, and before every
/// other label; other labels, [`MISSING`] among them, sort byte by byte.
/// Integers of equal value written differently (`01`, `1`) are told apart
/// by their bytes, so that the order is total and the same on every run.
pub fn label_order(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    if let (Some(a), Some(b)) = (week_order(a), week_order(b)) {
        return a.cmp(&b);
    }
    let key = |l: &str| match l.parse::<i128>() {
        Ok(n) => (false, n),
        Err(_) => (true, 0),
    };
    key(a).cmp(&key(b)).then_with(|| a.cmp(b))
}

/// Where a label of `--by week` sorts: an ISO week (`2024-W22`) by its
/// Monday, and a group dated more coarsely (`2024-06 (month only)`) by its
/// first day, before the weeks that start in it. As text, every month of
/// a year sorted before its first week (`2024-1…` before `2024-W…`).
fn week_order(label: &str) -> Option<(NaiveDate, u8, &str)> {
    if let Some((year, week)) = label.split_once("-W") {
        let (year, week) = (year.parse().ok()?, week.parse().ok()?);
        let monday =
            NaiveDate::from_isoywd_opt(year, week, chrono::Weekday::Mon)?;
        return Some((monday, 1, label));
    }
    let date = label
        .strip_suffix(" (month only)")
        .map(|month| format!("{month}-01"))
        .or_else(|| {
            label.strip_suffix(" (year only)").map(|y| format!("{y}-01-01"))
        })?;
    let first = NaiveDate::parse_from_str(&date, "%Y-%m-%d").ok()?;
    Some((first, 0, label))
}

fn non_empty(s: &str) -> String {
    if s.is_empty() { MISSING.into() } else { s.to_string() }
}

/// The calendar period of an ISO date for a date grouping. Partial dates
/// (`2024`, `2024-03`) belong to the periods they determine and to no
/// finer one.
pub fn period_label(grouping: &Grouping, date: &str) -> Option<String> {
    let year = date.get(..4)?;
    let month = date.get(5..7);
    let day = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok();
    match grouping {
        // `1950s`, so that a decade is not read as its first year.
        Grouping::Decade => Some(format!("{}0s", year.get(..3)?)),
        Grouping::Year => Some(year.to_string()),
        Grouping::Quarter => {
            let m: u32 = month?.parse().ok()?;
            Some(format!("{year}-Q{}", (m - 1) / 3 + 1))
        }
        Grouping::Month => Some(format!("{year}-{}", month?)),
        Grouping::Week => {
            let w = day?.iso_week();
            Some(format!("{:04}-W{:02}", w.year(), w.week()))
        }
        Grouping::Day => day.map(|d| d.format("%Y-%m-%d").to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods() {
        let p = |g: Grouping, d: &str| period_label(&g, d);
        assert_eq!(
            p(Grouping::Quarter, "2024-03-05").as_deref(),
            Some("2024-Q1")
        );
        assert_eq!(
            p(Grouping::Quarter, "2024-10").as_deref(),
            Some("2024-Q4")
        );
        assert_eq!(
            p(Grouping::Week, "2024-12-30").as_deref(),
            Some("2025-W01")
        );
        assert_eq!(p(Grouping::Month, "2024").as_deref(), None);
        assert_eq!(p(Grouping::Day, "2024-03").as_deref(), None);
        assert_eq!(p(Grouping::Year, "2024-03").as_deref(), Some("2024"));
        assert_eq!(p(Grouping::Decade, "1959").as_deref(), Some("1950s"));
        assert_eq!(
            p(Grouping::Decade, "1960-01-01").as_deref(),
            Some("1960s")
        );
        assert_eq!(p(Grouping::Decade, "2000-03").as_deref(), Some("2000s"));
    }
}
