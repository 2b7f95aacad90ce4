//! Line charts as SVG, drawn with the `svg` crate: one line per series over
//! a row of labelled periods, y ticks, and a legend. The writer computes no
//! statistics: it lays out the values it is given. The bytes depend only on
//! the chart (attributes are written sorted, numbers with fixed decimals),
//! so the same data gives the same file.
//!
//! Text is set in a CJK-capable font stack so that Chinese labels render
//! wherever one of the usual CJK fonts is installed.

use std::io::Write;

use ::svg::Document;
use ::svg::Node;
use ::svg::node::Text as TextNode;
use ::svg::node::element::{
    Circle, Element, Group, Line, Path, Rectangle, Title,
};
use unicode_width::UnicodeWidthChar;

use super::xml_chars;

/// Fonts tried in order: Noto/Source Han (Linux), PingFang (macOS),
/// YaHei (Windows).
pub const FONT_FAMILY: &str = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif";

/// Line colours (Tableau 10), reused in order past ten series, each round
/// with its own dash pattern ([`dash`]).
const PALETTE: [&str; 10] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
    "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
];

/// Length of a legend swatch, unless a dash pattern is longer.
const SWATCH: f64 = 24.0;

/// The `stroke-dasharray` of series `s`: solid for the first round of
/// colours, then a dash followed by one more dot per round (dashed,
/// dash-dot, dash-dot-dot ...), so that no two series share both colour
/// and pattern however many there are; a colour alone repeats after ten.
fn dash(s: usize) -> Option<String> {
    let round = s / PALETTE.len();
    (round > 0).then(|| format!("8 3{}", " 2 3".repeat(round - 1)))
}

/// The length of one repeat of a dash pattern, in pixels.
fn dash_len(pattern: &str) -> f64 {
    pattern.split(' ').filter_map(|x| x.parse::<f64>().ok()).sum()
}

const LEFT: f64 = 72.0;
const TOP: f64 = 56.0;
const PLOT_W: f64 = 640.0;
const PLOT_H: f64 = 340.0;
const FONT: f64 = 12.0;
/// Markers on every point up to this many periods; beyond, only on points
/// without a neighbour (which a line cannot show).
const MARKERS_UP_TO: usize = 80;

/// A line chart over periods.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineChart {
    /// The title above the plot.
    pub title: String,
    /// The meaning of the y axis.
    pub y_label: String,
    /// One label per period, in order.
    pub x_labels: Vec<String>,
    /// Per period, its count from a fixed origin: a label is drawn where
    /// the ordinal is a multiple of the step, so labels fall on round
    /// periods (January, years ending in 0 ...).
    pub x_ordinals: Vec<i64>,
    /// Candidate steps between drawn labels, smallest first; the first
    /// that fits the width is used.
    pub label_steps: Vec<usize>,
    /// The series.
    pub lines: Vec<ChartLine>,
}

/// One series.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChartLine {
    /// Its name in the legend.
    pub label: String,
    /// One value per period; `None` leaves a gap.
    pub values: Vec<Option<f64>>,
}

/// Writes `chart` as a standalone SVG file.
pub fn write_line_chart(
    chart: &LineChart,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    out.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")?;
    out.write_all(xml_chars(&render(chart).to_string()).as_bytes())?;
    out.write_all(b"\n")
}

/// A coordinate with one decimal, the same on every platform.
fn n(x: f64) -> String {
    let s = format!("{x:.1}");
    if s == "-0.0" { "0.0".into() } else { s }
}

/// The width of `s` in a sans font: wide (CJK) characters one em, others
/// about 0.55 em.
fn text_width(s: &str, size: f64) -> f64 {
    s.chars()
        .map(|c| if c.width().unwrap_or(1) > 1 { 1.0 } else { 0.55 })
        .sum::<f64>()
        * size
}

/// Ticks of the y axis: a 1-2-2.5-5 step giving four to six intervals, the
/// top tick at or above `max`, and the decimals the step needs.
fn y_ticks(max: f64) -> (f64, f64, usize) {
    let max = if max > 0.0 && max.is_finite() { max } else { 1.0 };
    let raw = max / 6.0;
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let nice = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .find(|&s| norm <= s + 1e-9)
        .unwrap_or(10.0);
    let step = nice * mag;
    let top = (max / step - 1e-9).ceil().max(1.0) * step;
    let mut decimals = (-step.log10().floor()).max(0.0) as usize;
    if nice == 2.5 {
        decimals += 1;
    }
    (step, top, decimals)
}

/// Indices of the periods whose label is drawn.
fn labelled(chart: &LineChart, band: f64) -> Vec<usize> {
    let count = chart.x_labels.len();
    let widest =
        chart.x_labels.iter().map(|l| text_width(l, FONT)).fold(0.0, f64::max);
    let fits = ((PLOT_W / (widest + 12.0)).floor() as usize).max(1);
    if count <= fits && band >= widest + 4.0 {
        return (0..count).collect();
    }
    let ordinal =
        |i: usize| chart.x_ordinals.get(i).copied().unwrap_or(i as i64);
    for &step in &chart.label_steps {
        let chosen: Vec<usize> = (0..count)
            .filter(|&i| ordinal(i).rem_euclid(step as i64) == 0)
            .collect();
        if chosen.len() <= fits && !chosen.is_empty() && step > 1 {
            return chosen;
        }
    }
    let step = count.div_ceil(fits);
    (0..count).step_by(step.max(1)).collect()
}

/// A chart's document: its size, a white background, and its title, in
/// bold from `title_x` (also its `<title>`, which screen readers and
/// browsers' tabs show).
fn canvas(width: f64, height: f64, title: &str, title_x: f64) -> Document {
    Document::new()
        .set("width", n(width))
        .set("height", n(height))
        .set("viewBox", format!("0 0 {} {}", n(width), n(height)))
        .set("font-family", FONT_FAMILY)
        .add(Title::new(title))
        .add(
            Rectangle::new()
                .set("width", "100%")
                .set("height", "100%")
                .set("fill", "#ffffff"),
        )
        .add(text_el(
            title,
            (title_x, 28.0),
            16.0,
            "start",
            &[("font-weight", "bold".into())],
        ))
}

/// A `<text>` element. Built as a plain element because the crate's `Text`
/// wraps its content in line breaks, which end up in the text nodes.
fn text_el(
    s: &str,
    (x, y): (f64, f64),
    size: f64,
    anchor: &str,
    extra: &[(&str, String)],
) -> Element {
    let mut e = Element::new("text");
    e.assign("x", n(x));
    e.assign("y", n(y));
    e.assign("font-size", n(size));
    e.assign("text-anchor", anchor);
    for (name, value) in extra {
        e.assign(*name, value.as_str());
    }
    e.append(TextNode::new(s));
    e
}

fn render(chart: &LineChart) -> Document {
    let count = chart.x_labels.len();
    let band = PLOT_W / count.max(1) as f64;
    let x_at = |i: usize| LEFT + (i as f64 + 0.5) * band;
    let max = chart
        .lines
        .iter()
        .flat_map(|l| l.values.iter().flatten())
        .copied()
        .fold(0.0, f64::max);
    let (step, top, decimals) = y_ticks(max);
    let y_at = |v: f64| TOP + PLOT_H - v / top * PLOT_H;

    let legend_x = LEFT + PLOT_W + 28.0;
    // The swatch shows at least one whole repeat of every dash pattern.
    let swatch = (0..chart.lines.len())
        .filter_map(dash)
        .map(|d| dash_len(&d))
        .fold(SWATCH, f64::max);
    let legend_w = chart
        .lines
        .iter()
        .map(|l| text_width(&l.label, FONT))
        .fold(0.0, f64::max)
        + swatch
        + 16.0;
    let width = (legend_x + legend_w + 16.0).ceil();
    let legend_h = 22.0 * chart.lines.len() as f64;
    let height = (TOP + PLOT_H + 44.0).max(TOP + legend_h + 16.0).ceil();

    let mut doc = canvas(width, height, &chart.title, LEFT);

    // Grid and y ticks.
    let mut grid =
        Group::new().set("stroke", "#e0e0e0").set("stroke-width", "1");
    let mut y_labels = Group::new().set("fill", "#333333");
    let ticks = (top / step).round() as usize;
    for k in 0..=ticks {
        let v = step * k as f64;
        let y = y_at(v);
        grid = grid.add(
            Line::new()
                .set("x1", n(LEFT))
                .set("x2", n(LEFT + PLOT_W))
                .set("y1", n(y))
                .set("y2", n(y)),
        );
        y_labels = y_labels.add(text_el(
            &format!("{v:.decimals$}"),
            (LEFT - 8.0, y + 4.0),
            FONT,
            "end",
            &[],
        ));
    }
    let mid = TOP + PLOT_H / 2.0;
    let y_title = text_el(
        &chart.y_label,
        (18.0, mid),
        FONT,
        "middle",
        &[
            ("transform", format!("rotate(-90 18 {})", n(mid))),
            ("fill", "#333333".into()),
        ],
    );

    // X axis, ticks and labels.
    let bottom = TOP + PLOT_H;
    let mut axis =
        Group::new().set("stroke", "#333333").set("stroke-width", "1");
    axis = axis
        .add(
            Line::new()
                .set("x1", n(LEFT))
                .set("x2", n(LEFT + PLOT_W))
                .set("y1", n(bottom))
                .set("y2", n(bottom)),
        )
        .add(
            Line::new()
                .set("x1", n(LEFT))
                .set("x2", n(LEFT))
                .set("y1", n(TOP))
                .set("y2", n(bottom)),
        );
    let mut x_labels = Group::new().set("fill", "#333333");
    for i in labelled(chart, band) {
        let x = x_at(i);
        axis = axis.add(
            Line::new()
                .set("x1", n(x))
                .set("x2", n(x))
                .set("y1", n(bottom))
                .set("y2", n(bottom + 5.0)),
        );
        x_labels = x_labels.add(text_el(
            &chart.x_labels[i],
            (x, bottom + 20.0),
            FONT,
            "middle",
            &[],
        ));
    }

    doc = doc.add(grid).add(axis).add(y_labels).add(y_title).add(x_labels);

    // Series and legend.
    let mut legend = Group::new();
    for (s, line) in chart.lines.iter().enumerate() {
        let color = PALETTE[s % PALETTE.len()];
        let mut series = Group::new().set("class", "series");
        let mut d = String::new();
        let mut markers = Group::new().set("fill", color);
        for (i, v) in line.values.iter().enumerate().take(count) {
            let Some(v) = v else { continue };
            let after_gap = i == 0 || line.values[i - 1].is_none();
            let before_gap =
                line.values.get(i + 1).is_none_or(|next| next.is_none());
            let (x, y) = (n(x_at(i)), n(y_at(*v)));
            d.push_str(&format!(
                "{}{x} {y}",
                if after_gap { "M" } else { " L" }
            ));
            if count <= MARKERS_UP_TO || (after_gap && before_gap) {
                markers = markers.add(
                    Circle::new().set("cx", x).set("cy", y).set("r", "2.5"),
                );
            }
        }
        let dashes = dash(s);
        if !d.is_empty() {
            let mut path = Path::new()
                .set("d", d)
                .set("fill", "none")
                .set("stroke", color)
                .set("stroke-width", "2")
                .set("stroke-linejoin", "round");
            if let Some(dashes) = &dashes {
                path = path.set("stroke-dasharray", dashes.as_str());
            }
            series = series.add(path);
        }
        doc = doc.add(series.add(markers));
        let y = TOP + 8.0 + 22.0 * s as f64;
        let mut key = Line::new()
            .set("x1", n(legend_x))
            .set("x2", n(legend_x + swatch))
            .set("y1", n(y))
            .set("y2", n(y))
            .set("stroke", color)
            .set("stroke-width", "3");
        if let Some(dashes) = dashes {
            key = key.set("stroke-dasharray", dashes);
        }
        legend = legend.add(key).add(text_el(
            &line.label,
            (legend_x + swatch + 8.0, y + 4.0),
            FONT,
            "start",
            &[("fill", "#222222".into())],
        ));
    }
    doc.add(legend)
}

/// A square heatmap of a measure in [−1, 1] between labelled items (NPMI
/// between terms): blue below 0, white at 0, red above; grey where a pair
/// has no value, and the diagonal hatched, so that an item against itself
/// is never read as a pair that has none.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Heatmap {
    /// The title above the grid.
    pub title: String,
    /// A line under the title saying what a cell holds.
    pub caption: String,
    /// One label per row and column.
    pub labels: Vec<String>,
    /// `values[i][j]`, symmetric; `None` is drawn grey (a pair never
    /// seen together). The diagonal is hatched whatever it holds.
    pub values: Vec<Vec<Option<f64>>>,
}

const CELL: f64 = 44.0;

/// The id of the diagonal's hatching: one heatmap per page (the report's
/// index.html inlines it beside the line chart, which has no ids).
const HATCH_ID: &str = "tifa-heatmap-diagonal";

/// Writes `map` as a standalone SVG file.
pub fn write_heatmap(
    map: &Heatmap,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    out.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")?;
    out.write_all(xml_chars(&render_heatmap(map).to_string()).as_bytes())?;
    out.write_all(b"\n")
}

/// The fill of a value in [−1, 1]: white at 0, #e15759 at 1, #4e79a7 at −1.
fn diverging(v: f64) -> String {
    let v = v.clamp(-1.0, 1.0);
    let (r, g, b) =
        if v >= 0.0 { (225.0, 87.0, 89.0) } else { (78.0, 121.0, 167.0) };
    let t = v.abs();
    let mix = |c: f64| (255.0 + (c - 255.0) * t).round() as u8;
    format!("#{:02x}{:02x}{:02x}", mix(r), mix(g), mix(b))
}

fn render_heatmap(map: &Heatmap) -> Document {
    let count = map.labels.len();
    let label_w =
        map.labels.iter().map(|l| text_width(l, FONT)).fold(0.0, f64::max);
    let left = 16.0 + label_w + 8.0;
    // Column labels are rotated 45°: their height is about their width.
    let top = 64.0 + label_w * 0.75 + 8.0;
    let grid = CELL * count as f64;
    let title_w =
        text_width(&map.title, 16.0).max(text_width(&map.caption, FONT));
    // The last column label runs up and right past the grid.
    let width = (left + grid + label_w * 0.72 + 24.0)
        .max(16.0 + title_w + 16.0)
        .ceil();
    let height = (top + grid + 24.0).ceil();
    let doc = canvas(width, height, &map.title, 16.0).add(text_el(
        &map.caption,
        (16.0, 48.0),
        FONT,
        "start",
        &[("fill", "#333333".into())],
    ));
    let mut labels = Group::new().set("fill", "#222222");
    for (i, label) in map.labels.iter().enumerate() {
        let y = top + (i as f64 + 0.5) * CELL + 4.0;
        labels = labels.add(text_el(label, (left - 8.0, y), FONT, "end", &[]));
        let x = left + (i as f64 + 0.5) * CELL;
        let y = top - 8.0;
        labels = labels.add(text_el(
            label,
            (x, y),
            FONT,
            "start",
            &[("transform", format!("rotate(-45 {} {})", n(x), n(y)))],
        ));
    }
    // Thin grey stripes on white: neither a colour of the scale nor the
    // flat grey of a pair never seen together.
    let mut hatch = Element::new("pattern");
    hatch.assign("id", HATCH_ID);
    hatch.assign("width", "6");
    hatch.assign("height", "6");
    hatch.assign("patternUnits", "userSpaceOnUse");
    hatch.assign("patternTransform", "rotate(45)");
    hatch.append(
        Rectangle::new()
            .set("width", "6")
            .set("height", "6")
            .set("fill", "#ffffff"),
    );
    hatch.append(
        Line::new()
            .set("x1", "0")
            .set("y1", "0")
            .set("x2", "0")
            .set("y2", "6")
            .set("stroke", "#999999")
            .set("stroke-width", "2"),
    );
    let mut defs = Element::new("defs");
    defs.append(hatch);
    let doc = doc.add(defs);
    let mut cells =
        Group::new().set("stroke", "#ffffff").set("stroke-width", "1");
    let mut values = Group::new();
    for i in 0..count {
        for j in 0..count {
            let v = (i != j)
                .then(|| map.values.get(i).and_then(|r| r.get(j)).copied())
                .flatten()
                .flatten();
            let (x, y) = (left + j as f64 * CELL, top + i as f64 * CELL);
            let fill = match v {
                _ if i == j => format!("url(#{HATCH_ID})"),
                None => "#eeeeee".to_string(),
                Some(v) => diverging(v),
            };
            cells = cells.add(
                Rectangle::new()
                    .set("x", n(x))
                    .set("y", n(y))
                    .set("width", n(CELL))
                    .set("height", n(CELL))
                    .set("fill", fill),
            );
            if let Some(v) = v {
                let ink = if v.abs() > 0.6 { "#ffffff" } else { "#222222" };
                values = values.add(text_el(
                    &format!("{v:.2}"),
                    (x + CELL / 2.0, y + CELL / 2.0 + 4.0),
                    11.0,
                    "middle",
                    &[("fill", ink.into())],
                ));
            }
        }
    }
    doc.add(cells).add(values).add(labels)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round() {
        let cases = [
            (4.3, (1.0, 5.0, 0)),
            (0.37, (0.1, 0.4, 1)),
            (11.0, (2.0, 12.0, 0)),
            (14.0, (2.5, 15.0, 1)),
            (0.0, (0.2, 1.0, 1)),
        ];
        for (max, (step, top, decimals)) in cases {
            let got = y_ticks(max);
            assert!(
                (got.0 - step).abs() < 1e-12
                    && (got.1 - top).abs() < 1e-12
                    && got.2 == decimals,
                "{max}: {got:?}"
            );
        }
    }

    #[test]
    fn long_axes_label_round_periods() {
        let labels: Vec<String> = (0..48)
            .map(|m| {
                format!("{}-{:02}", 2022 + (m + 8) / 12, (m + 8) % 12 + 1)
            })
            .collect();
        let chart = LineChart {
            x_ordinals: (0..48).map(|m| 2022 * 12 + 8 + m).collect(),
            x_labels: labels,
            label_steps: vec![1, 2, 3, 6, 12],
            ..LineChart::default()
        };
        let drawn: Vec<&str> = labelled(&chart, PLOT_W / 48.0)
            .into_iter()
            .map(|i| chart.x_labels[i].as_str())
            .collect();
        // 48 labels of ~50 px do not fit in 640 px; every 6th does, on
        // January and July.
        assert_eq!(drawn.first(), Some(&"2023-01"));
        assert_eq!(drawn.len(), 8);
        assert!(
            drawn.iter().all(|l| l.ends_with("-01") || l.ends_with("-07"))
        );
    }

    #[test]
    fn heatmap_colours_and_bytes() {
        assert_eq!(diverging(0.0), "#ffffff");
        assert_eq!(diverging(1.0), "#e15759");
        assert_eq!(diverging(-1.0), "#4e79a7");
        let map = Heatmap {
            title: "共现 <NPMI>".into(),
            caption: "c".into(),
            labels: vec!["两重 two-heavy".into(), "两新 two-new".into()],
            values: vec![vec![None, Some(0.5)], vec![Some(0.5), None]],
        };
        let (mut a, mut b) = (Vec::new(), Vec::new());
        write_heatmap(&map, &mut a).unwrap();
        write_heatmap(&map, &mut b).unwrap();
        assert_eq!(a, b);
        let s = String::from_utf8(a).unwrap();
        assert!(s.contains("共现 &lt;NPMI&gt;") && s.contains(">0.50<"));
    }

    #[test]
    fn same_chart_same_bytes() {
        let chart = LineChart {
            title: "t & <x>".into(),
            y_label: "每万字".into(),
            x_labels: vec!["2024".into(), "2025".into()],
            x_ordinals: vec![2024, 2025],
            label_steps: vec![1],
            lines: vec![ChartLine {
                label: "两重 two heavy".into(),
                values: vec![Some(1.0), None],
            }],
        };
        let mut a = Vec::new();
        let mut b = Vec::new();
        write_line_chart(&chart, &mut a).unwrap();
        write_line_chart(&chart, &mut b).unwrap();
        assert_eq!(a, b);
        let s = String::from_utf8(a).unwrap();
        assert!(s.contains("t &amp; &lt;x&gt;"));
        assert!(s.contains("两重 two heavy"));
    }

    /// Control characters and noncharacters in any label (a lexicon
    /// label with Excel's U+000B, a title) never reach the file: it
    /// parses as XML, with the text as it can be shown.
    #[test]
    fn charts_are_xml_whatever_their_labels() {
        let bad = "R&D\u{B}spending\u{1}\u{FFFF}";
        let chart = LineChart {
            title: bad.into(),
            y_label: bad.into(),
            x_labels: vec![bad.into(), "2025".into()],
            x_ordinals: vec![2024, 2025],
            label_steps: vec![1],
            lines: vec![ChartLine {
                label: bad.into(),
                values: vec![Some(1.0), Some(2.0)],
            }],
        };
        let mut line = Vec::new();
        write_line_chart(&chart, &mut line).unwrap();
        let map = Heatmap {
            title: bad.into(),
            labels: vec![bad.into(), "两新 two new".into()],
            values: vec![vec![None, Some(0.5)], vec![Some(0.5), None]],
            ..Heatmap::default()
        };
        let mut heat = Vec::new();
        write_heatmap(&map, &mut heat).unwrap();
        for svg in [line, heat] {
            let svg = String::from_utf8(svg).unwrap();
            let doc = roxmltree::Document::parse(&svg).expect("valid XML");
            let texts: String = doc
                .descendants()
                .filter_map(|n| n.text())
                .collect::<Vec<_>>()
                .join("|");
            assert!(texts.contains("R&D spending \u{FFFD}"), "{texts}");
        }
    }
}
