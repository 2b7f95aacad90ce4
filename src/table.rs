//! A table of results: named columns and rows of JSON-like cells. Analyses
//! build tables; the `output` writers turn them into CSV, JSON, Markdown or
//! an aligned table without knowing what they hold.

pub use serde_json::Value as Cell;

/// Rows under named columns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Column names, in output order.
    pub columns: Vec<String>,
    /// Rows, each as long as `columns`.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// An empty table with these columns. A name that repeats an earlier
    /// one gets the first free suffix `_2`, `_3`..., so that headers and
    /// JSON keys are distinct: `--by category` puts a group column
    /// `category` before the lexicon's, which becomes `category_2`, and a
    /// term id may be named as a column of a wide table.
    pub fn new<S: Into<String>>(
        columns: impl IntoIterator<Item = S>,
    ) -> Table {
        // A set beside the list: a wide table has a column per term, and
        // a lexicon may hold 10,000 terms.
        let mut taken = std::collections::HashSet::new();
        let mut names: Vec<String> = Vec::new();
        for name in columns.into_iter().map(Into::into) {
            let unique = if taken.contains(&name) {
                (2..)
                    .map(|i| format!("{name}_{i}"))
                    .find(|n| !taken.contains(n))
                    .unwrap_or_default()
            } else {
                name
            };
            taken.insert(unique.clone());
            names.push(unique);
        }
        Table { columns: names, rows: Vec::new() }
    }

    /// Appends a row; it must have one cell per column.
    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows.push(row);
    }
}

/// A text cell.
pub fn text(s: impl Into<String>) -> Cell {
    Cell::String(s.into())
}

/// A count cell.
pub fn int(n: u64) -> Cell {
    Cell::from(n)
}

/// A measure rounded to `digits` decimals; `None` (undefined, e.g. a rate
/// over zero characters) is an empty cell.
pub fn float(x: Option<f64>, digits: i32) -> Cell {
    match x {
        Some(x) if x.is_finite() => {
            let scale = 10f64.powi(digits);
            Cell::from((x * scale).round() / scale)
        }
        _ => Cell::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `--by category` beside the lexicon's `category`; a term id named
    /// as a column, and as its first free suffix.
    #[test]
    fn repeated_column_names_are_made_unique() {
        let t = Table::new(["category", "term", "category", "hits"]);
        assert_eq!(t.columns, ["category", "term", "category_2", "hits"]);
        let t = Table::new(["period", "period_2", "period", "period"]);
        assert_eq!(t.columns, ["period", "period_2", "period_3", "period_4"]);
    }
}
