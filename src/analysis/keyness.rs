//! Keyness for `tifa compare`: how much more (or less) often each term
//! occurs in corpus B than in corpus A, and whether the difference is more
//! than chance, with Dunning's log-likelihood G² and its chi-square p.
//!
//! Both sides are measured in tokens: a token is a Han character or an
//! English word, so that a bilingual corpus has one denominator. A term's
//! rate is its hits (Chinese and English) per 10,000 tokens of the side.

use std::cmp::Ordering;

use super::{
    Aggregate, CountOptions, Counts, DocSize, GroupCounts, Grouping, rate,
};
use crate::corpus::{Document, date_range};
use crate::lexicon::Lexicon;
use crate::matcher::Hit;
use crate::table::{Cell, Table, float, int, text};

/// p below which a difference is called a change, not `stable`.
pub const ALPHA: f64 = 0.05;

/// The complementary error function, by the Chebyshev fit of Numerical
/// Recipes (`erfcc`): fractional error below 1.2e-7 everywhere, which is
/// plenty for p values, and no dependency for one function.
pub fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87
                                    + t * (-0.822_152_23
                                        + t * 0.170_872_77))))))));
    let ans = t * poly.exp();
    if x >= 0.0 { ans } else { 2.0 - ans }
}

/// P(X ≥ x) for X chi-square with one degree of freedom: X is the square
/// of a standard normal, so the tail is erfc(√(x/2)).
pub fn chi2_sf_1df(x: f64) -> f64 {
    if x <= 0.0 { 1.0 } else { erfc((x / 2.0).sqrt()).min(1.0) }
}

/// Dunning's G² of the 2×2 table (hits, other tokens) × (A, B):
/// 2 Σ O ln(O/E) over the four cells, E from the margins, 0 ln 0 = 0.
/// Zero when a side or the whole table is empty.
pub fn g2(hits_a: u64, tokens_a: u64, hits_b: u64, tokens_b: u64) -> f64 {
    let (ha, hb) = (hits_a.min(tokens_a), hits_b.min(tokens_b));
    let (ta, tb) = (tokens_a as f64, tokens_b as f64);
    let n = ta + tb;
    let hits = (ha + hb) as f64;
    if ta == 0.0 || tb == 0.0 || hits == 0.0 || hits == n {
        return 0.0;
    }
    let cells = [
        (ha as f64, ta, hits),
        ((tokens_a - ha) as f64, ta, n - hits),
        (hb as f64, tb, hits),
        ((tokens_b - hb) as f64, tb, n - hits),
    ];
    let sum: f64 = cells
        .iter()
        .filter(|c| c.0 > 0.0)
        .map(|&(o, row, col)| o * (o / (row * col / n)).ln())
        .sum();
    (2.0 * sum).max(0.0)
}

/// log2 of B's rate over A's, with 0.5 in place of a zero count so that a
/// term new in B (or gone from it) still gets a finite ratio; `None` when
/// a side has no tokens.
pub fn log_ratio(
    hits_a: u64,
    tokens_a: u64,
    hits_b: u64,
    tokens_b: u64,
) -> Option<f64> {
    if tokens_a == 0 || tokens_b == 0 {
        return None;
    }
    let nonzero = |h: u64| if h == 0 { 0.5 } else { h as f64 };
    let ra = nonzero(hits_a) / tokens_a as f64;
    let rb = nonzero(hits_b) / tokens_b as f64;
    Some((rb / ra).log2())
}

/// Han characters plus English words.
pub fn tokens(size: &DocSize) -> u64 {
    size.han_chars + size.en_words
}

/// A number rounded to `digits` significant digits, for p values, which
/// can be far below any fixed number of decimals.
pub fn significant(x: Option<f64>, digits: usize) -> Cell {
    match x {
        Some(x) if x.is_finite() => {
            let s = format!("{:.*e}", digits.saturating_sub(1), x);
            Cell::from(s.parse::<f64>().unwrap_or(x))
        }
        _ => Cell::Null,
    }
}

/// The keyness table of B against A:
/// `term,hits_a,hits_b,rate_a,rate_b,log_ratio,llr,p,direction`, one row
/// per term found on either side, by llr (descending), then term id.
///
/// `direction` is `stable` when p ≥ 0.05; otherwise `new` (no hit in A),
/// `gone` (no hit in B), `rising` or `falling`.
pub fn compare_table(lexicon: &Lexicon, a: &Counts, b: &Counts) -> Table {
    let empty = GroupCounts::default();
    let a = a.groups.values().next().unwrap_or(&empty);
    let b = b.groups.values().next().unwrap_or(&empty);
    let (ta, tb) = (tokens(&a.size), tokens(&b.size));
    let hits = |g: &GroupCounts, t: usize| g.term(t).hits();
    struct Row {
        term: usize,
        ha: u64,
        hb: u64,
        llr: f64,
    }
    let mut rows: Vec<Row> = (0..lexicon.terms.len())
        .map(|t| {
            let (ha, hb) = (hits(a, t), hits(b, t));
            Row { term: t, ha, hb, llr: g2(ha, ta, hb, tb) }
        })
        .filter(|r| r.ha + r.hb > 0)
        .collect();
    rows.sort_by(|x, y| {
        y.llr
            .partial_cmp(&x.llr)
            .unwrap_or(Ordering::Equal)
            .then(x.term.cmp(&y.term))
    });
    let mut table = Table::new([
        "term",
        "hits_a",
        "hits_b",
        "rate_a",
        "rate_b",
        "log_ratio",
        "llr",
        "p",
        "direction",
    ])
    .numbers([
        "hits_a",
        "hits_b",
        "rate_a",
        "rate_b",
        "log_ratio",
        "llr",
        "p",
    ]);
    for r in rows {
        let p = chi2_sf_1df(r.llr);
        let ratio = log_ratio(r.ha, ta, r.hb, tb);
        let direction = if p >= ALPHA {
            "stable"
        } else if r.ha == 0 {
            "new"
        } else if r.hb == 0 {
            "gone"
        } else if ratio.unwrap_or(0.0) > 0.0 {
            "rising"
        } else {
            "falling"
        };
        table.push(vec![
            text(lexicon.terms[r.term].id.clone()),
            int(r.ha),
            int(r.hb),
            float(rate(r.ha, ta), 4),
            float(rate(r.hb, tb), 4),
            float(ratio, 4),
            float(Some(r.llr), 4),
            significant(Some(p), 6),
            text(direction),
        ]);
    }
    table
}

/// One corpus split at a date: documents dated before it on side A, from
/// it on side B. Undated documents, and documents whose partial date
/// covers days on both sides (`2024` split at `2024-03-01`), are left out
/// and counted.
#[derive(Debug, Clone)]
pub struct DateSplit {
    /// The first day of side B (ISO).
    from: String,
    /// Documents dated before the split.
    pub before: Counts,
    /// Documents dated on or after the split.
    pub after: Counts,
    /// Documents without a date.
    pub undated: u64,
    /// Documents whose partial date straddles the split.
    pub straddling: u64,
}

impl DateSplit {
    /// An empty split at `date` (an ISO date, full or partial: a partial
    /// date splits at its first day) for a lexicon of `term_count` terms.
    pub fn new(date: &str, term_count: usize) -> DateSplit {
        let whole = CountOptions {
            grouping: Grouping::All,
            all_terms: false,
            nesting: false,
            terms: None,
        };
        let counts = || Counts::new(whole.clone(), term_count);
        DateSplit {
            from: date_range(date).0,
            before: counts(),
            after: counts(),
            undated: 0,
            straddling: 0,
        }
    }
}

impl Aggregate for DateSplit {
    fn add(&mut self, doc: &Document, size: &DocSize, hits: &[Hit]) {
        let Some(date) = doc.date.as_deref() else {
            self.undated += 1;
            return;
        };
        let (first, last) = date_range(date);
        if last < self.from {
            self.before.add(doc, size, hits);
        } else if first >= self.from {
            self.after.add(doc, size, hits);
        } else {
            self.straddling += 1;
        }
    }

    fn merge(&mut self, other: DateSplit) {
        self.before.merge(other.before);
        self.after.merge(other.after);
        self.undated += other.undated;
        self.straddling += other.straddling;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erfc_against_known_values() {
        // Reference values to 10 digits (erfc of 0, 0.5, 1, 2, 3, -1).
        let cases = [
            (0.0, 1.0),
            (0.5, 0.479_500_122_2),
            (1.0, 0.157_299_207_1),
            (2.0, 0.004_677_734_981),
            (3.0, 2.209_049_700e-5),
            (-1.0, 1.842_700_793),
        ];
        for (x, want) in cases {
            let got = erfc(x);
            assert!(((got - want) / want).abs() < 1.2e-7, "erfc({x}) = {got}");
        }
    }

    #[test]
    fn chi_square_critical_values() {
        // 3.841459 and 6.634897 are the 5% and 1% points of chi-square(1).
        assert!((chi2_sf_1df(3.841_459) - 0.05).abs() < 1e-6);
        assert!((chi2_sf_1df(6.634_897) - 0.01).abs() < 1e-7);
        assert_eq!(chi2_sf_1df(0.0), 1.0);
    }

    #[test]
    fn g2_by_hand() {
        // A: 10 hits in 1,000 tokens, B: 30 in 1,000. Margins 40 and 1,960
        // over N = 2,000, so E = 20 and 980 on each side:
        // G² = 2 (10 ln(10/20) + 990 ln(990/980) + 30 ln(30/20)
        //        + 970 ln(970/980))
        //    = 2 (-6.931472 + 10.050848 + 12.163953 - 9.948805)
        //    = 10.669048; p = 0.001089.
        let g = g2(10, 1000, 30, 1000);
        assert!((g - 10.669_048).abs() < 1e-5, "{g}");
        assert!((chi2_sf_1df(g) - 0.001_089_43).abs() < 1e-7);
        // Nothing in A, 5 in B: E = 2.5 and 997.5 on each side;
        // G² = 2 (1000 ln(1000/997.5) + 5 ln(5/2.5) + 995 ln(995/997.5))
        //    = 2 (2.503130 + 3.465736 - 2.496865) = 6.944003.
        assert!((g2(0, 1000, 5, 1000) - 6.944_003).abs() < 1e-5);
        assert_eq!(g2(0, 0, 5, 1000), 0.0);
    }

    #[test]
    fn log_ratio_adds_half_to_zero_counts() {
        // 30/1000 over 10/1000: log2 3 = 1.584963.
        let r = log_ratio(10, 1000, 30, 1000).unwrap();
        assert!((r - 3f64.log2()).abs() < 1e-12);
        // 5 against 0.5: log2 10.
        let r = log_ratio(0, 1000, 5, 1000).unwrap();
        assert!((r - 10f64.log2()).abs() < 1e-12);
        assert_eq!(log_ratio(1, 0, 1, 10), None);
    }

    #[test]
    fn significant_digits() {
        assert_eq!(
            significant(Some(0.001_089_431_7), 6),
            Cell::from(0.00108943)
        );
        assert_eq!(
            significant(Some(1.234_567_89e-12), 3),
            Cell::from(1.23e-12)
        );
        assert_eq!(significant(None, 3), Cell::Null);
    }
}
