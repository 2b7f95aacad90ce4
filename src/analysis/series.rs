//! Statistics of a time series for `trend --summary`: the least-squares
//! slope and the Mann–Kendall trend test. Both take the points that have
//! a value (a period without documents has no rate), each with its index
//! in the full sequence of periods, so a gap in the data is not mistaken
//! for a step in time.

use super::keyness::erfc;

/// The ordinary least-squares slope of `y` over `x`; `None` with fewer
/// than two distinct `x`.
pub fn ols_slope(points: &[(f64, f64)]) -> Option<f64> {
    let n = points.len() as f64;
    if points.len() < 2 {
        return None;
    }
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}

/// The Mann–Kendall test of a monotonic trend.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MannKendall {
    /// S: the number of increasing pairs less the number of decreasing
    /// ones.
    pub s: i64,
    /// Kendall's tau as most Mann–Kendall implementations report it:
    /// S / (n(n-1)/2), ties not corrected (tau-a).
    pub tau: f64,
    /// The two-sided p value: normal approximation of S with the variance
    /// corrected for ties and a continuity correction of 1.
    pub p: f64,
}

/// The Mann–Kendall test of `values` in time order; `None` for fewer than
/// two values.
///
/// Var(S) = [n(n-1)(2n+5) - Σ t(t-1)(2t+5)] / 18 over the groups of `t`
/// tied values; Z = (S - 1)/√Var for S > 0, (S + 1)/√Var for S < 0, 0 for
/// S = 0; p = erfc(|Z|/√2). Values are compared exactly: rates of equal
/// counts over equal sizes tie.
pub fn mann_kendall(values: &[f64]) -> Option<MannKendall> {
    let n = values.len();
    if n < 2 {
        return None;
    }
    let mut s: i64 = 0;
    for (i, a) in values.iter().enumerate() {
        for b in &values[i + 1..] {
            s += match b.partial_cmp(a) {
                Some(std::cmp::Ordering::Greater) => 1,
                Some(std::cmp::Ordering::Less) => -1,
                _ => 0,
            };
        }
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mut ties = 0.0;
    let mut i = 0;
    while i < n {
        let j =
            i + sorted[i..].iter().take_while(|&&v| v == sorted[i]).count();
        let t = (j - i) as f64;
        ties += t * (t - 1.0) * (2.0 * t + 5.0);
        i = j;
    }
    let nf = n as f64;
    let var = (nf * (nf - 1.0) * (2.0 * nf + 5.0) - ties) / 18.0;
    let z = match s {
        0 => 0.0,
        _ if var <= 0.0 => 0.0,
        s if s > 0 => (s - 1) as f64 / var.sqrt(),
        s => (s + 1) as f64 / var.sqrt(),
    };
    Some(MannKendall {
        s,
        tau: s as f64 / (nf * (nf - 1.0) / 2.0),
        p: erfc(z.abs() / std::f64::consts::SQRT_2).min(1.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn slope_by_hand() {
        // x = 0, 1, 2, 4 (period 3 has no documents), y = 1, 3, 2, 6:
        // mean x = 7/4, mean y = 3; Sxx = 3.0625 + 0.5625 + 0.0625 +
        // 5.0625 = 8.75; Sxy = (-1.75)(-2) + (-0.75)(0) + (0.25)(-1) +
        // (2.25)(3) = 3.5 - 0.25 + 6.75 = 10; slope = 10 / 8.75 = 8/7.
        let pts = [(0.0, 1.0), (1.0, 3.0), (2.0, 2.0), (4.0, 6.0)];
        assert!(close(ols_slope(&pts).unwrap(), 8.0 / 7.0, 1e-12));
        assert_eq!(ols_slope(&[(0.0, 1.0)]), None);
        assert_eq!(ols_slope(&[(1.0, 1.0), (1.0, 2.0)]), None);
    }

    #[test]
    fn mann_kendall_increasing() {
        // 1, 2, 3, 4, 5: all 10 pairs increase, S = 10, tau = 10/10 = 1;
        // Var = 5·4·15/18 = 16.6667, Z = (10 - 1)/4.08248 = 2.20454,
        // p = erfc(2.20454/√2) = 0.027486.
        let mk = mann_kendall(&[1.0, 2.0, 3.0, 4.0, 5.0]).unwrap();
        assert_eq!(mk.s, 10);
        assert!(close(mk.tau, 1.0, 1e-12));
        assert!(close(mk.p, 0.027486, 1e-6), "{}", mk.p);
    }

    #[test]
    fn mann_kendall_with_ties() {
        // 1, 1, 2, 3: the pair (1, 1) ties, the 5 others increase: S = 5,
        // tau = 5/6. One group of t = 2 ties: Σ = 2·1·9 = 18, Var = (4·3·13
        // - 18)/18 = 138/18 = 7.6667; Z = 4/2.76887 = 1.44463,
        // p = 0.148562.
        let mk = mann_kendall(&[1.0, 1.0, 2.0, 3.0]).unwrap();
        assert_eq!(mk.s, 5);
        assert!(close(mk.tau, 5.0 / 6.0, 1e-12));
        assert!(close(mk.p, 0.148562, 1e-6), "{}", mk.p);
    }

    #[test]
    fn mann_kendall_decreasing_and_flat() {
        // 3, 1, 2, 0: pairs (3,1) -, (3,2) -, (3,0) -, (1,2) +, (1,0) -,
        // (2,0) -: S = -4, tau = -4/6; Var = 4·3·13/18 = 8.6667,
        // Z = (-4 + 1)/2.94392 = -1.01905, p = 0.308180.
        let mk = mann_kendall(&[3.0, 1.0, 2.0, 0.0]).unwrap();
        assert_eq!(mk.s, -4);
        assert!(close(mk.tau, -2.0 / 3.0, 1e-12));
        assert!(close(mk.p, 0.308180, 1e-6), "{}", mk.p);
        // All tied: S = 0, Var = 0, p = 1.
        let flat = mann_kendall(&[0.0, 0.0, 0.0]).unwrap();
        assert_eq!((flat.s, flat.tau, flat.p), (0, 0.0, 1.0));
        assert_eq!(mann_kendall(&[1.0]), None);
    }
}
