//! Dates of documents, normalised to ISO text: `YYYY-MM-DD`, or `YYYY-MM` /
//! `YYYY` when that is all that is known. Validated with chrono, so that a
//! 30 February is never a date.

use chrono::NaiveDate;

/// The years a document may be dated in, by its file name, a `--split`
/// line, six digits `YYYYMM`, its record or its metadata. A historian's
/// archive starts in the Qing; a four-digit number before 1800 is more
/// likely an article's number than its year, and a date such as
/// `9999-12-31` or `0001-01-01` a placeholder for none, which would
/// stretch a trend over millions of empty days.
pub const DATE_YEARS: std::ops::RangeInclusive<u32> = 1800..=2100;

/// Normalises a date written in metadata: `2024-03-05`, `2024/3/5`,
/// `2024.03.05`, `20240305`, `2024年3月5日`, `2024-03`, `199801` (see
/// `compact_month`), `2024`, and timestamps: a day, then `T` or a space
/// and a time of day (`2024-03-05T08:00:00+08:00`, `2024/3/5 8:00`). What
/// follows a date is a time or nothing: `2024-03 05` is not March 2024.
pub fn parse_date(s: &str) -> Option<String> {
    let s = s.trim();
    let (s, time) = match s.split_once(['T', ' ']) {
        Some((day, time)) => (day, Some(time)),
        None => (s, None),
    };
    if time.is_some_and(|t| !is_time_of_day(t)) {
        return None;
    }
    let date = parse_day_or_coarser(s)?;
    // A time of day belongs to a day.
    (time.is_none() || date.len() == 10).then_some(date)
}

/// [`parse_date`] without the time.
fn parse_day_or_coarser(s: &str) -> Option<String> {
    if is_iso_day(s) {
        return Some(s.to_string());
    }
    let s = s.replace(['年', '月'], "-").replace('日', "");
    let s = s.trim_end_matches('-');
    if s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()) {
        return compact_month(s);
    }
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return full(
            s[..4].parse().ok()?,
            s[4..6].parse().ok()?,
            s[6..].parse().ok()?,
        );
    }
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    let num = |p: &str| {
        (!p.is_empty()
            && p.len() <= 4
            && p.bytes().all(|b| b.is_ascii_digit()))
        .then(|| p.parse::<u32>().ok())
        .flatten()
    };
    match parts.as_slice() {
        [y] if y.len() == 4 => num(y)
            .filter(|y| (1000..=2999).contains(y))
            .map(|y| format!("{y:04}")),
        [y, m] if y.len() == 4 => {
            let (y, m) = (num(y)?, num(m)?);
            (1..=12).contains(&m).then(|| format!("{y:04}-{m:02}"))
        }
        [y, m, d] if y.len() == 4 => full(num(y)? as i32, num(m)?, num(d)?),
        _ => None,
    }
}

/// Whether `t` is a time of day as timestamps write it after their day:
/// `H:MM`, `HH:MM:SS` with a fraction of a second or not, then nothing,
/// `Z`, or an offset (`+08:00`, `-0500`, `+08`), with a space before it
/// or not; or `UTC`/`GMT` after a space.
fn is_time_of_day(t: &str) -> bool {
    let b = t.as_bytes();
    let digits = |from: usize| {
        b[from.min(b.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let number = |from: usize, n: usize| -> u32 {
        t[from..from + n].parse().unwrap_or(u32::MAX)
    };
    // Hours and minutes.
    let h = digits(0);
    if !(1..=2).contains(&h) || number(0, h) > 23 || b.get(h) != Some(&b':') {
        return false;
    }
    if digits(h + 1) != 2 || number(h + 1, 2) > 59 {
        return false;
    }
    let mut i = h + 3;
    // Seconds (60 for a leap second), then a fraction.
    if b.get(i) == Some(&b':') {
        if digits(i + 1) != 2 || number(i + 1, 2) > 60 {
            return false;
        }
        i += 3;
        if b.get(i) == Some(&b'.') {
            let n = digits(i + 1);
            if n == 0 {
                return false;
            }
            i += 1 + n;
        }
    }
    let zone = t[i..].strip_prefix(' ').unwrap_or(&t[i..]);
    is_zone(zone) || matches!(&t[i..], " UTC" | " GMT")
}

/// Nothing, `Z`, or an offset from UTC: `+08:00`, `+0800`, `+08`, `-05:00`.
fn is_zone(z: &str) -> bool {
    let b = z.as_bytes();
    let two = |i: usize| {
        b.get(i..i + 2).is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    match b {
        [] | [b'Z'] => true,
        [b'+' | b'-', ..] => {
            two(1)
                && match &b[3..] {
                    [] => true,
                    [b':', ..] => b.len() == 6 && two(4),
                    _ => b.len() == 5 && two(3),
                }
        }
        _ => false,
    }
}

/// A document's date written in its record or metadata, normalised as
/// [`parse_date`] does; or why it is none, to follow the value in a
/// warning (`is not a date`, `is in the year 9999, not in 1800..=2100`).
pub fn document_date(s: &str) -> Result<String, String> {
    let date = parse_date(s).ok_or_else(|| match year_last(s) {
        true => "is not a date: the year comes first (2024-03-05); \
                 month/day/year and day.month.year are ambiguous"
            .to_string(),
        false => "is not a date".to_string(),
    })?;
    match year_outside(&date) {
        Some(year) => {
            Err(format!("is in the year {year}, not in {}", years()))
        }
        None => Ok(date),
    }
}

/// Whether `s` is a day written with its year last (`03/05/2024`,
/// `5.3.2024`): American and European orders, which cannot be told apart.
fn year_last(s: &str) -> bool {
    let day = s.trim().split([' ', 'T']).next().unwrap_or_default();
    let parts: Vec<&str> = day.split(['/', '.', '-']).collect();
    let digits = |p: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    matches!(parts.as_slice(), [a, b, y]
        if digits(a, 1..=2) && digits(b, 1..=2) && digits(y, 4..=4))
}

/// The year that starts an ISO date, when it is not one of [`DATE_YEARS`].
fn year_outside(date: &str) -> Option<&str> {
    let year = date.get(..4)?;
    (!year.parse().is_ok_and(|y| DATE_YEARS.contains(&y))).then_some(year)
}

/// [`DATE_YEARS`] as a warning says it.
pub(super) fn years() -> String {
    format!("{}..={}", DATE_YEARS.start(), DATE_YEARS.end())
}

/// Six digits `YYYYMM` as a month (`199801` is `1998-01`), as the People's
/// Daily archive names its files; in a file name and in metadata alike.
/// Six digits that are no month of a year in [`DATE_YEARS`] (`123456`,
/// `199813`) are no date.
pub fn compact_month(digits: &str) -> Option<String> {
    let all = digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit());
    let (y, m): (u32, u32) =
        (digits.get(..4)?.parse().ok()?, digits.get(4..)?.parse().ok()?);
    (all && DATE_YEARS.contains(&y) && (1..=12).contains(&m))
        .then(|| format!("{y:04}-{m:02}"))
}

/// Normalises a metadata `year`: four digits, with spaces around them or
/// `年` after them (`1949年`), a year as [`document_date`] takes one; or
/// why it is none, as there.
pub fn parse_year(s: &str) -> Result<String, String> {
    let s = s.trim();
    let s = s.strip_suffix('年').unwrap_or(s).trim_end();
    let four_digits = s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit());
    if !four_digits {
        return Err("is not a year".to_string());
    }
    match year_outside(s) {
        Some(_) => Err(format!("is not in {}", years())),
        None => Ok(s.to_string()),
    }
}

/// Whether `s` is exactly `YYYY-MM-DD`, a day of the calendar in
/// [`DATE_YEARS`]: the usual
/// date field, which [`parse_date`] keeps as it is, and which a record
/// keeps without calling it (trimming, splitting and copying took most of
/// the 640 instructions that each Xinwen Lianbo record's date cost).
pub fn is_iso_day(s: &str) -> bool {
    let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = *s.as_bytes() else {
        return false;
    };
    if ![y1, y2, y3, y4, m1, m2, d1, d2].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let n = |digits: &[u8]| {
        digits.iter().fold(0, |n, &d| n * 10 + u32::from(d - b'0'))
    };
    let (y, m, d) = (n(&[y1, y2, y3, y4]), n(&[m1, m2]), n(&[d1, d2]));
    DATE_YEARS.contains(&y)
        && NaiveDate::from_ymd_opt(y as i32, m, d).is_some()
}

fn full(y: i32, m: u32, d: u32) -> Option<String> {
    NaiveDate::from_ymd_opt(y, m, d).map(|_| format!("{y:04}-{m:02}-{d:02}"))
}

/// Whether two ISO dates, either partial, may be the same: equal as far
/// as the coarser goes (`1969` and `1969-09` agree, `1985` and
/// `1990-05-01` do not, nor do `1990-05` and `1990-06-01`).
pub fn agree(a: &str, b: &str) -> bool {
    let n = a.len().min(b.len());
    a.get(..n) == b.get(..n)
}

/// The first and last day a partial ISO date covers, as ISO text.
pub fn date_range(date: &str) -> (String, String) {
    match date.len() {
        4 => (format!("{date}-01-01"), format!("{date}-12-31")),
        7 => (format!("{date}-01"), format!("{date}-{:02}", last_day(date))),
        _ => (date.to_string(), date.to_string()),
    }
}

/// The day before the first day a partial ISO date covers (`2024-02-29`
/// for `2024-03`): `--until` it keeps what is wholly before that date.
pub fn date_before(date: &str) -> String {
    let first = date_range(date).0;
    NaiveDate::parse_from_str(&first, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.pred_opt())
        .map_or(first, |d| d.format("%Y-%m-%d").to_string())
}

/// The last day of the month of `YYYY-MM`: a month ends on its 28th to
/// 31st, and `--until 2023-06-30` takes in all of `2023-06`.
fn last_day(month: &str) -> u32 {
    let year = month.get(..4).and_then(|y| y.parse().ok());
    let number = month.get(5..7).and_then(|m| m.parse().ok());
    let (Some(y), Some(m)) = (year, number) else { return 31 };
    (28..31)
        .rev()
        .find(|&d| NaiveDate::from_ymd_opt(y, m, d + 1).is_some())
        .map_or(28, |d| d + 1)
}

/// Whether a document's date falls in `[since, until]` (either may be
/// open). A partial date is in when every day it covers is, so that a
/// corpus cut in two at a date has no document on both sides (`2013` is
/// neither up to 2013-05-31 nor from 2013-06-01 on), as `compare
/// --split-date` cuts it.
pub fn in_range(date: &str, since: Option<&str>, until: Option<&str>) -> bool {
    let (lo, hi) = date_range(date);
    since.is_none_or(|s| lo.as_str() >= date_range(s).0.as_str())
        && until.is_none_or(|u| hi.as_str() <= date_range(u).1.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_before_a_partial_date() {
        assert_eq!(date_before("2024-03"), "2024-02-29");
        assert_eq!(date_before("2018"), "2017-12-31");
        assert_eq!(date_before("2024-01-01"), "2023-12-31");
    }

    /// Every month ends on its own last day: `--until` the 30th of June
    /// keeps a document dated `2023-06` (it used to need the 31st, which
    /// is no date).
    #[test]
    fn months_end_on_their_last_day() {
        let ends = [
            ("2023-01", "2023-01-31"),
            ("2023-02", "2023-02-28"),
            ("2024-02", "2024-02-29"),
            ("1900-02", "1900-02-28"),
            ("2000-02", "2000-02-29"),
            ("2023-04", "2023-04-30"),
            ("2023-06", "2023-06-30"),
            ("2023-12", "2023-12-31"),
        ];
        for (month, end) in ends {
            assert_eq!(date_range(month).1, end, "{month}");
            assert!(in_range(month, None, Some(end)), "{month} up to {end}");
            assert!(in_range(month, Some(&date_range(month).0), None));
        }
        assert!(!in_range("2023-06", None, Some("2023-06-29")));
        assert!(in_range("2024-02", Some("2024-02"), Some("2024-02-29")));
    }

    #[test]
    fn parses() {
        let cases = [
            ("2024-03-05", Some("2024-03-05")),
            ("2024/3/5", Some("2024-03-05")),
            ("2024.03.05", Some("2024-03-05")),
            ("20240305", Some("2024-03-05")),
            ("2024年3月5日", Some("2024-03-05")),
            ("2024年3月", Some("2024-03")),
            ("2024-03-05T08:00:00+08:00", Some("2024-03-05")),
            ("2024-03-05 08:00", Some("2024-03-05")),
            ("2024-03-05T23:30:00Z", Some("2024-03-05")),
            ("2024-03-05T08:00:00.123-0500", Some("2024-03-05")),
            ("2024/3/5 8:00", Some("2024-03-05")),
            ("2024-03-05 08:00:00 +08", Some("2024-03-05")),
            ("2024-03-05 08:00 UTC", Some("2024-03-05")),
            ("2024年3月5日 10:30", Some("2024-03-05")),
            ("2024-03-05T25:00:00", None),
            ("2024-03-05T08:61", None),
            ("2024-03-05Tgarbage", None),
            ("2024-03-05 anything at all", None),
            ("2024-03 anything", None),
            ("2024-03 05", None),
            ("2024-03T10:00", None),
            ("2024-03-05T08:00+8", None),
            ("199801", Some("1998-01")),
            (" 202412 ", Some("2024-12")),
            ("199813", None),
            ("123456", None),
            ("1998011", None),
            ("2024", Some("2024")),
            ("2023-02-29", None),
            ("2024-13", None),
            ("March 2024", None),
            ("", None),
        ];
        for (input, want) in cases {
            assert_eq!(parse_date(input).as_deref(), want, "{input:?}");
        }
    }

    #[test]
    fn agreeing_dates() {
        assert!(agree("1969", "1969-09"));
        assert!(agree("1990-05-01", "1990-05"));
        assert!(agree("1990-05-01", "1990-05-01"));
        assert!(!agree("1985", "1990-05-01"));
        assert!(!agree("1990-06-01", "1990-05"));
        assert!(!agree("1990-05-02", "1990-05-01"));
    }

    /// A metadata year may have spaces around it or `年` after it; what
    /// is not four digits is no year.
    #[test]
    fn years() {
        let cases = [
            ("1949", Some("1949")),
            (" 1980 ", Some("1980")),
            ("1949年", Some("1949")),
            (" 1949 年 ", Some("1949")),
            ("1895", Some("1895")),
            ("1800", Some("1800")),
            ("1799", None),
            ("0500", None),
            ("9999", None),
            ("19xx", None),
            ("1949-10", None),
            ("1969.0", None),
            ("49", None),
            ("年", None),
            ("", None),
        ];
        for (input, want) in cases {
            assert_eq!(parse_year(input).ok().as_deref(), want, "{input:?}");
        }
    }

    /// A date of a record or metadata is one of a year in `DATE_YEARS`:
    /// `9999-12-31` and `0001-01-01` stand for no date, and a trend over
    /// the years between would have millions of empty days.
    #[test]
    fn document_dates_are_in_date_years() {
        for (input, want) in [
            ("1800-01-01", Ok("1800-01-01")),
            ("2100/12/31", Ok("2100-12-31")),
            ("1949", Ok("1949")),
            ("9999-12-31", Err("is in the year 9999, not in 1800..=2100")),
            ("0001-01-01", Err("is in the year 0001, not in 1800..=2100")),
            ("1799-12", Err("is in the year 1799, not in 1800..=2100")),
            ("2101", Err("is in the year 2101, not in 1800..=2100")),
            ("soon", Err("is not a date")),
            (
                "03/05/2024",
                Err("is not a date: the year comes first (2024-03-05); \
                     month/day/year and day.month.year are ambiguous"),
            ),
        ] {
            let got = document_date(input);
            assert_eq!(
                got.as_deref().map_err(String::as_str),
                want,
                "{input:?}"
            );
        }
        assert_eq!(parse_year("0500").unwrap_err(), "is not in 1800..=2100");
        assert!(!is_iso_day("9999-12-31"));
    }

    /// Only a real day written exactly `YYYY-MM-DD` is kept as it is.
    #[test]
    fn iso_days() {
        assert!(is_iso_day("2024-02-29"));
        for s in [
            "2023-02-29",
            " 2024-03-05",
            "2024-3-05",
            "2024-03-05T08",
            "2024/03/05",
            "二〇二四-03-05",
        ] {
            assert!(!is_iso_day(s), "{s:?}");
        }
    }

    #[test]
    fn ranges() {
        assert!(!in_range("2024", Some("2024-06"), None));
        assert!(in_range("2024", Some("2024"), Some("2024-12-31")));
        assert!(in_range("2024-06", Some("2024-06-01"), None));
        assert!(!in_range("2023-12-31", Some("2024"), None));
        assert!(!in_range("2024-03", None, Some("2024-03-01")));
        assert!(in_range("2024-03-01", None, Some("2024-03-01")));
        assert!(!in_range("2024-03-02", None, Some("2024-03-01")));
        // A cut in two leaves a partial date across it on neither side.
        assert!(!in_range("2013", None, Some("2013-05-31")));
        assert!(!in_range("2013", Some("2013-06-01"), None));
    }
}
