//! Time series for `tifa trend`: hits, documents and rates of each term per
//! calendar period, with every period between the first and the last dated
//! document present (zeros included), so that a chart never skips time;
//! and per term a summary of its life: when it appears, peaks and fades.
//!
//! Dates: an undated document is left out, and so is one whose date is
//! coarser than the period (a document dated `2024` has no month); both
//! are counted for the note on stderr. Periods are decades (`1950s`, the
//! years 1950 to 1959, as historians name them), calendar years,
//! calendar quarters, months, ISO weeks (`2025-W01` starts on Monday 30
//! December 2024) and days.

use std::str::FromStr;

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

use super::keyness::significant;
use super::series::{mann_kendall, ols_slope};
use super::{
    Aggregate, CountOptions, Counts, DocSize, GroupCounts, GroupKey, Grouping,
    period_label, rate,
};
use crate::corpus::Document;
use crate::lexicon::{Lang, Lexicon, TermId};
use crate::matcher::Hit;
use crate::table::{Cell, Table, float, int, text};

/// A calendar period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// Decade, `1950s`: the years 1950 to 1959.
    Decade,
    /// Calendar year, `2024`.
    Year,
    /// Calendar quarter, `2024-Q1`.
    Quarter,
    /// Month, `2024-03`.
    Month,
    /// ISO week, `2024-W09`.
    Week,
    /// Day, `2024-03-05`.
    Day,
}

impl FromStr for Period {
    type Err = String;

    fn from_str(s: &str) -> Result<Period, String> {
        match s {
            "decade" => Ok(Period::Decade),
            "year" => Ok(Period::Year),
            "quarter" => Ok(Period::Quarter),
            "month" => Ok(Period::Month),
            "week" => Ok(Period::Week),
            "day" => Ok(Period::Day),
            _ => Err(format!(
                "unknown period {s:?} (decade, year, quarter, month, week, day)"
            )),
        }
    }
}

impl Period {
    /// The grouping that labels documents by this period.
    pub fn grouping(self) -> Grouping {
        match self {
            Period::Decade => Grouping::Decade,
            Period::Year => Grouping::Year,
            Period::Quarter => Grouping::Quarter,
            Period::Month => Grouping::Month,
            Period::Week => Grouping::Week,
            Period::Day => Grouping::Day,
        }
    }

    /// Its name, as `--period` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Period::Decade => "decade",
            Period::Year => "year",
            Period::Quarter => "quarter",
            Period::Month => "month",
            Period::Week => "week",
            Period::Day => "day",
        }
    }

    /// The label of the period holding `day`.
    pub fn label(self, day: NaiveDate) -> String {
        let iso = day.format("%Y-%m-%d").to_string();
        period_label(&self.grouping(), &iso).unwrap_or(iso)
    }

    /// The first day of the period labelled `label`.
    pub fn start(self, label: &str) -> Option<NaiveDate> {
        let year: i32 = label.get(..4)?.parse().ok()?;
        let rest = label.get(5..).unwrap_or("");
        match self {
            // Only the label of a decade: `1950s`, not `1953s`.
            Period::Decade if label.get(3..) == Some("0s") => {
                NaiveDate::from_ymd_opt(year, 1, 1)
            }
            Period::Decade => None,
            Period::Year => NaiveDate::from_ymd_opt(year, 1, 1),
            Period::Quarter => {
                let q: u32 = rest.strip_prefix('Q')?.parse().ok()?;
                NaiveDate::from_ymd_opt(year, q.checked_sub(1)? * 3 + 1, 1)
            }
            Period::Month => {
                NaiveDate::from_ymd_opt(year, rest.parse().ok()?, 1)
            }
            Period::Week => {
                let w: u32 = rest.strip_prefix('W')?.parse().ok()?;
                NaiveDate::from_isoywd_opt(year, w, Weekday::Mon)
            }
            Period::Day => NaiveDate::parse_from_str(label, "%Y-%m-%d").ok(),
        }
    }

    /// The first day of the period after the one starting on `start`.
    fn next(self, start: NaiveDate) -> Option<NaiveDate> {
        match self {
            Period::Decade => start.checked_add_months(Months::new(120)),
            Period::Year => start.checked_add_months(Months::new(12)),
            Period::Quarter => start.checked_add_months(Months::new(3)),
            Period::Month => start.checked_add_months(Months::new(1)),
            Period::Week => start.checked_add_days(Days::new(7)),
            Period::Day => start.checked_add_days(Days::new(1)),
        }
    }

    /// Every period from `first` to `last`, both included, in order.
    pub fn range(self, first: &str, last: &str) -> Vec<String> {
        let (Some(mut day), Some(end)) = (self.start(first), self.start(last))
        else {
            return Vec::new();
        };
        let mut labels = Vec::new();
        while day <= end {
            labels.push(self.label(day));
            match self.next(day) {
                Some(next) => day = next,
                None => break,
            }
        }
        labels
    }

    /// A count of periods since a fixed origin, so that a chart can label
    /// round periods: decades by their number (`195` for the 1950s),
    /// years by their number, quarters and months since
    /// year 0, weeks and days since 1 January 1 (a Monday).
    pub fn ordinal(self, label: &str) -> i64 {
        let Some(start) = self.start(label) else { return 0 };
        let (y, m) = (i64::from(start.year()), i64::from(start.month0()));
        let days = i64::from(start.num_days_from_ce()) - 1;
        match self {
            Period::Decade => y.div_euclid(10),
            Period::Year => y,
            Period::Quarter => y * 4 + m / 3,
            Period::Month => y * 12 + m,
            Period::Week => days.div_euclid(7),
            Period::Day => days,
        }
    }

    /// Steps between labelled periods on a chart axis, smallest first,
    /// that land on round periods.
    pub fn label_steps(self) -> &'static [usize] {
        match self {
            Period::Decade => &[1, 2, 5, 10],
            Period::Year => &[1, 2, 5, 10, 20, 50, 100],
            Period::Quarter => &[1, 2, 4, 8, 20, 40, 100],
            Period::Month => &[1, 2, 3, 6, 12, 24, 60, 120, 240],
            Period::Week => &[1, 2, 4, 13, 26, 52, 104, 260, 520],
            Period::Day => &[1, 2, 7, 14, 28, 91, 182, 364, 728, 1820],
        }
    }
}

/// What the cells of a wide table hold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TrendValue {
    /// Confirmed hits.
    #[default]
    Hits,
    /// Chinese hits per 10,000 Han characters.
    RateZh,
    /// English hits per 10,000 English words.
    RateEn,
    /// Share of the period's documents that mention the term.
    DocShare,
}

impl FromStr for TrendValue {
    type Err = String;

    fn from_str(s: &str) -> Result<TrendValue, String> {
        match s {
            "hits" => Ok(TrendValue::Hits),
            "rate_zh" => Ok(TrendValue::RateZh),
            "rate_en" => Ok(TrendValue::RateEn),
            "doc_share" => Ok(TrendValue::DocShare),
            _ => Err(format!(
                "unknown value {s:?} (hits, rate_zh, rate_en, doc_share)"
            )),
        }
    }
}

/// The trend aggregate: counts per period of the dated documents.
#[derive(Debug, Clone)]
pub struct Trend {
    period: Period,
    counts: Counts,
    term_count: usize,
    /// Documents left out for want of a date.
    pub undated: u64,
    /// Documents left out because their date is coarser than the period.
    pub coarse: u64,
}

impl Trend {
    /// An empty trend by `period` for a lexicon of `term_count` terms.
    pub fn new(period: Period, term_count: usize) -> Trend {
        let options = CountOptions {
            grouping: period.grouping(),
            all_terms: false,
            nesting: false,
            terms: None,
        };
        Trend {
            period,
            counts: Counts::new(options, term_count),
            term_count,
            undated: 0,
            coarse: 0,
        }
    }

    /// The period of this trend.
    pub fn period(&self) -> Period {
        self.period
    }

    /// Every period from the first to the last dated document, in order.
    pub fn periods(&self) -> Vec<String> {
        let mut keys = self.counts.groups.keys();
        match (keys.next(), self.counts.groups.keys().next_back()) {
            (Some(first), Some(last)) => {
                self.period.range(&first.label, &last.label)
            }
            _ => Vec::new(),
        }
    }

    /// The counts of one period, by its label (none when it has no
    /// documents).
    pub fn period_counts(&self, label: &str) -> Option<&GroupCounts> {
        self.group(label)
    }

    fn group(&self, label: &str) -> Option<&GroupCounts> {
        let key = GroupKey { rank: (0, 0), label: label.to_string() };
        self.counts.groups.get(&key)
    }

    /// The language whose rate stands for a term in the summary and the
    /// chart: Chinese when the dated documents hold any Han character,
    /// else English.
    pub fn rate_lang(&self) -> Lang {
        let han: u64 =
            self.counts.groups.values().map(|g| g.size.han_chars).sum();
        if han > 0 { Lang::Zh } else { Lang::En }
    }

    /// Periods with documents but no text in [`Trend::rate_lang`] (no
    /// Han characters, or no English words): they have no rate, so the
    /// summary's slope and Mann–Kendall test leave them out.
    pub fn periods_without_rate(&self) -> usize {
        let lang = self.rate_lang();
        let size = |g: &GroupCounts| match lang {
            Lang::Zh => g.size.han_chars,
            Lang::En => g.size.en_words,
        };
        self.counts
            .groups
            .values()
            .filter(|g| g.docs > 0 && size(g) == 0)
            .count()
    }

    /// Terms with at least one confirmed hit, by id.
    pub fn found_terms(&self) -> Vec<TermId> {
        (0..self.term_count)
            .filter(|&t| {
                self.counts.groups.values().any(|g| g.term(t).hits() > 0)
            })
            .collect()
    }

    /// Confirmed hits of `term` over every period.
    pub fn hits(&self, term: TermId) -> u64 {
        self.counts.groups.values().map(|g| g.term(term).hits()).sum()
    }

    /// The rate of `term` in each of [`Trend::periods`], in the language
    /// of [`Trend::rate_lang`]; `None` where a period has no Han
    /// characters (or English words).
    pub fn rates(&self, term: TermId) -> Vec<Option<f64>> {
        let lang = self.rate_lang();
        self.periods()
            .iter()
            .map(|p| self.group(p).and_then(|g| lang_rate(g, term, lang)))
            .collect()
    }

    /// `period,term,hits,docs,rate_zh,rate_en` (and `doc_share` with
    /// `per_doc`): for every period, one row per term of `terms`, in that
    /// order. Rates and shares are empty in a period without documents.
    pub fn table(
        &self,
        lexicon: &Lexicon,
        terms: &[TermId],
        per_doc: bool,
    ) -> Table {
        let mut columns =
            vec!["period", "term", "hits", "docs", "rate_zh", "rate_en"];
        if per_doc {
            columns.push("doc_share");
        }
        let numbers = columns[2..].to_vec();
        let mut table = Table::new(columns).numbers(numbers);
        let empty = GroupCounts::default();
        for period in self.periods() {
            let g = self.group(&period).unwrap_or(&empty);
            for &t in terms {
                let c = g.term(t);
                let mut row = vec![
                    text(period.clone()),
                    text(lexicon.terms[t].id.clone()),
                    int(c.hits()),
                    int(c.docs),
                    float(rate(c.hits_zh, g.size.han_chars), 4),
                    float(rate(c.hits_en, g.size.en_words), 4),
                ];
                if per_doc {
                    row.push(float(doc_share(g, t), 4));
                }
                table.push(row);
            }
        }
        table
    }

    /// One row per period, one column per term of `terms` (by id), holding
    /// `value`.
    pub fn wide(
        &self,
        lexicon: &Lexicon,
        terms: &[TermId],
        value: TrendValue,
    ) -> Table {
        let mut columns = vec!["period".to_string()];
        columns.extend(terms.iter().map(|&t| lexicon.terms[t].id.clone()));
        let mut table = Table::new(columns);
        table.number_at(1..=terms.len());
        for period in self.periods() {
            let g = self.group(&period);
            let mut row = vec![text(period.clone())];
            for &t in terms {
                row.push(match (value, g) {
                    (TrendValue::Hits, g) => {
                        int(g.map_or(0, |g| g.term(t).hits()))
                    }
                    (_, None) => Cell::Null,
                    (TrendValue::RateZh, Some(g)) => {
                        float(rate(g.term(t).hits_zh, g.size.han_chars), 4)
                    }
                    (TrendValue::RateEn, Some(g)) => {
                        float(rate(g.term(t).hits_en, g.size.en_words), 4)
                    }
                    (TrendValue::DocShare, Some(g)) => {
                        float(doc_share(g, t), 4)
                    }
                });
            }
            table.push(row);
        }
        table
    }

    /// Per term of `terms`: `term,first_seen,last_seen,peak_period,
    /// periods_present,longest_gap,slope,mk_tau,mk_p`.
    ///
    /// - `first_seen`, `last_seen`: the first and last period with a hit;
    ///   `periods_present`: how many periods have one.
    /// - `peak_period`: the period of the highest rate (of equal rates,
    ///   the one with the most hits, then the earliest); rates are those of
    ///   [`Trend::rate_lang`].
    /// - `longest_gap`: the most consecutive periods without a hit between
    ///   `first_seen` and `last_seen` (periods without documents count).
    /// - `slope`: least squares of the rate over the period index (rate
    ///   per period); `mk_tau`, `mk_p`: the Mann–Kendall test of the rates.
    ///   Both use every period that has a rate, from the first period of
    ///   the corpus to the last, so that a term that is new has a rising
    ///   trend.
    pub fn summary(&self, lexicon: &Lexicon, terms: &[TermId]) -> Table {
        let mut table = Table::new([
            "term",
            "first_seen",
            "last_seen",
            "peak_period",
            "periods_present",
            "longest_gap",
            "slope",
            "mk_tau",
            "mk_p",
        ])
        .numbers([
            "periods_present",
            "longest_gap",
            "slope",
            "mk_tau",
            "mk_p",
        ]);
        let periods = self.periods();
        for &t in terms {
            let hits: Vec<u64> = periods
                .iter()
                .map(|p| self.group(p).map_or(0, |g| g.term(t).hits()))
                .collect();
            let rates = self.rates(t);
            let present: Vec<usize> =
                (0..periods.len()).filter(|&i| hits[i] > 0).collect();
            let label = |i: Option<&usize>| {
                i.map_or(Cell::Null, |&i| text(periods[i].clone()))
            };
            let longest_gap = present
                .windows(2)
                .map(|w| (w[1] - w[0] - 1) as u64)
                .max()
                .unwrap_or(0);
            // The highest rate, then the most hits; the earliest on ties.
            let peak = present.iter().copied().max_by(|&a, &b| {
                let key = |i: usize| (rates[i].unwrap_or(-1.0), hits[i]);
                let (ka, kb) = (key(a), key(b));
                ka.0.total_cmp(&kb.0).then(ka.1.cmp(&kb.1)).then(b.cmp(&a))
            });
            let points: Vec<(f64, f64)> = rates
                .iter()
                .enumerate()
                .filter_map(|(i, r)| r.map(|r| (i as f64, r)))
                .collect();
            let values: Vec<f64> = points.iter().map(|p| p.1).collect();
            let mk = mann_kendall(&values);
            table.push(vec![
                text(lexicon.terms[t].id.clone()),
                label(present.first()),
                label(present.last()),
                label(peak.as_ref()),
                int(present.len() as u64),
                int(longest_gap),
                significant(ols_slope(&points), 6),
                float(mk.map(|m| m.tau), 4),
                significant(mk.map(|m| m.p), 6),
            ]);
        }
        table
    }
}

fn lang_rate(g: &GroupCounts, t: TermId, lang: Lang) -> Option<f64> {
    match lang {
        Lang::Zh => rate(g.term(t).hits_zh, g.size.han_chars),
        Lang::En => rate(g.term(t).hits_en, g.size.en_words),
    }
}

fn doc_share(g: &GroupCounts, t: TermId) -> Option<f64> {
    (g.docs > 0).then(|| g.term(t).docs as f64 / g.docs as f64)
}

impl Aggregate for Trend {
    fn add(&mut self, doc: &Document, size: &DocSize, hits: &[Hit]) {
        match doc.date.as_deref() {
            None => self.undated += 1,
            Some(d) if period_label(&self.period.grouping(), d).is_none() => {
                self.coarse += 1
            }
            Some(_) => self.counts.add(doc, size, hits),
        }
    }

    fn merge(&mut self, other: Trend) {
        self.counts.merge(other.counts);
        self.undated += other.undated;
        self.coarse += other.coarse;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_fill_every_period() {
        assert_eq!(
            Period::Year.range("2020", "2023"),
            ["2020", "2021", "2022", "2023"]
        );
        assert_eq!(
            Period::Quarter.range("2023-Q3", "2024-Q2"),
            ["2023-Q3", "2023-Q4", "2024-Q1", "2024-Q2"]
        );
        assert_eq!(
            Period::Month.range("2024-11", "2025-02"),
            ["2024-11", "2024-12", "2025-01", "2025-02"]
        );
        // 2020 has 53 ISO weeks; 2025-W01 starts on 2024-12-30.
        assert_eq!(
            Period::Week.range("2020-W52", "2021-W02"),
            ["2020-W52", "2020-W53", "2021-W01", "2021-W02"]
        );
        assert_eq!(
            Period::Week.range("2024-W52", "2025-W01"),
            ["2024-W52", "2025-W01"]
        );
        assert_eq!(
            Period::Day.range("2024-02-28", "2024-03-01"),
            ["2024-02-28", "2024-02-29", "2024-03-01"]
        );
        assert_eq!(Period::Month.range("2024-03", "2024-03"), ["2024-03"]);
        assert!(Period::Year.range("bad", "2024").is_empty());
        assert_eq!(
            Period::Decade.range("1890s", "1910s"),
            ["1890s", "1900s", "1910s"]
        );
        assert_eq!(
            Period::Decade
                .label(NaiveDate::from_ymd_opt(1999, 12, 31).unwrap()),
            "1990s"
        );
        assert!(Period::Decade.start("1953s").is_none());
    }

    #[test]
    fn ordinals_mark_round_periods() {
        assert_eq!(Period::Year.ordinal("2020") % 10, 0);
        assert_eq!(Period::Decade.ordinal("1950s"), 195);
        assert_eq!(Period::Month.ordinal("2024-01") % 12, 0);
        assert_eq!(Period::Month.ordinal("2024-07") % 6, 0);
        assert_eq!(Period::Quarter.ordinal("2024-Q1") % 4, 0);
        assert_eq!(
            Period::Week.ordinal("2024-W02")
                - Period::Week.ordinal("2024-W01"),
            1
        );
        assert_eq!(
            Period::Day.ordinal("2024-03-01")
                - Period::Day.ordinal("2024-02-28"),
            2
        );
    }
}
