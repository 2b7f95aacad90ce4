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
    /// Indices of the columns declared to hold numbers (see
    /// [`Table::numbers`]).
    numbers: Vec<usize>,
    /// The column names as given to [`Table::new`], before repeats got
    /// their suffix.
    given: Vec<String>,
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
        let given: Vec<String> = columns.into_iter().map(Into::into).collect();
        for name in given.iter().cloned() {
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
        Table { columns: names, rows: Vec::new(), numbers: Vec::new(), given }
    }

    /// Declares the columns named `names` (as given to [`Table::new`]; of
    /// a name given twice, the last, since a group column named as one of
    /// the result's comes first: `--by hits` keeps `hits` for the group
    /// and the count becomes `hits_2`) to hold numbers. Writers align a number column as numbers from what
    /// it is, not from the cells it happens to hold: a rate column whose
    /// every cell is empty (no English words in any group) is still
    /// aligned right in Markdown and on a terminal. Columns not declared
    /// are numbers when every cell that is not empty is one.
    pub fn numbers<'a>(
        mut self,
        names: impl IntoIterator<Item = &'a str>,
    ) -> Table {
        for name in names {
            let col = self.given.iter().rposition(|c| c == name);
            debug_assert!(col.is_some(), "no column {name:?}");
            self.number_at(col);
        }
        self
    }

    /// Declares the columns at `cols` to hold numbers (see
    /// [`Table::numbers`]): the term columns of a wide table, whose names
    /// are term ids.
    pub fn number_at(&mut self, cols: impl IntoIterator<Item = usize>) {
        for col in cols {
            if col < self.columns.len() && !self.numbers.contains(&col) {
                self.numbers.push(col);
            }
        }
    }

    /// Whether column `col` holds numbers: declared so, or every cell that
    /// is not empty is a number, and one at least is (a column left empty,
    /// the dates of undated documents, is text).
    pub fn is_number(&self, col: usize) -> bool {
        self.numbers.contains(&col)
            || (self
                .rows
                .iter()
                .all(|r| matches!(r[col], Cell::Number(_) | Cell::Null))
                && self.rows.iter().any(|r| matches!(r[col], Cell::Number(_))))
    }

    /// The same columns (and declared number columns), without rows.
    pub fn without_rows(&self) -> Table {
        Table {
            columns: self.columns.clone(),
            rows: Vec::new(),
            numbers: self.numbers.clone(),
            given: self.given.clone(),
        }
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

/// A cell of several strings (a term's forms): an array in JSON and JSON
/// Lines, which a reader need not split; the other formats show it as
/// [`join`] writes it.
pub fn list<S: Into<String>>(items: impl IntoIterator<Item = S>) -> Cell {
    Cell::Array(items.into_iter().map(|s| Cell::String(s.into())).collect())
}

/// Strings joined by `|`, each with `\` and `|` escaped: a [`list`] cell
/// as text, and a list in the lexicon sheet (whose import splits it).
pub fn join<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> String {
    let escaped: Vec<String> = items
        .into_iter()
        .map(|s| s.as_ref().replace('\\', "\\\\").replace('|', "\\|"))
        .collect();
    escaped.join("|")
}

/// A count cell.
pub fn int(n: u64) -> Cell {
    Cell::from(n)
}

/// `x` rounded to `digits` decimals, as [`float`] shows it. `+ 0.0` makes
/// a `-0` (a small negative value rounded) 0: a sign on nothing reads as
/// a direction.
pub fn round(x: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (x * scale).round() / scale + 0.0
}

/// A measure rounded to `digits` decimals; `None` (undefined, e.g. a rate
/// over zero characters) is an empty cell.
pub fn float(x: Option<f64>, digits: i32) -> Cell {
    match x {
        Some(x) if x.is_finite() => Cell::from(round(x, digits)),
        _ => Cell::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_round_and_lose_the_sign_of_zero() {
        assert_eq!(float(Some(-0.000014), 4), Cell::from(0.0));
        let zero = float(Some(-0.000014), 4).as_f64().unwrap();
        assert!(zero.is_sign_positive());
        assert_eq!(float(Some(-0.000014), 4).to_string(), "0.0");
        assert_eq!(float(Some(-0.00006), 4), Cell::from(-0.0001));
        assert_eq!(float(Some(f64::NAN), 4), Cell::Null);
    }

    /// `--by category` beside the lexicon's `category`; a term id named
    /// as a column, and as its first free suffix.
    #[test]
    fn repeated_column_names_are_made_unique() {
        let t = Table::new(["category", "term", "category", "hits"]);
        assert_eq!(t.columns, ["category", "term", "category_2", "hits"]);
        let t = Table::new(["period", "period_2", "period", "period"]);
        assert_eq!(t.columns, ["period", "period_2", "period_3", "period_4"]);
    }

    /// A declared number column is one with no cells or only empty ones;
    /// an undeclared one only when it holds a number.
    #[test]
    fn number_columns_are_declared_or_seen() {
        let mut t = Table::new(["date", "hits", "rate"]).numbers(["rate"]);
        t.push(vec![Cell::Null, int(3), Cell::Null]);
        assert!(!t.is_number(0));
        assert!(t.is_number(1));
        assert!(t.is_number(2));
        let empty = Table::new(["a", "b"]).numbers(["b"]);
        assert!(!empty.is_number(0) && empty.is_number(1));
        // A group column named as a number column stays text.
        let mut by = Table::new(["rate", "term", "rate"]).numbers(["rate"]);
        by.push(vec![text("x"), text("t"), Cell::Null]);
        assert_eq!(by.columns, ["rate", "term", "rate_2"]);
        assert!(!by.is_number(0) && by.is_number(2));
    }
}
