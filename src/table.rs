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
    /// An empty table with these columns.
    pub fn new<S: Into<String>>(
        columns: impl IntoIterator<Item = S>,
    ) -> Table {
        Table {
            columns: columns.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
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
