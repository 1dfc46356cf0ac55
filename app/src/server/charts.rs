//! Charts drawn on the server as SVG (they show without JavaScript and weigh little), and the CSV
//! exports of the statistics tables. Both are made from a `StatsPage`, the same data the page
//! shows, so a chart or a file can hold nothing the page would not.

use crate::domain::views::StatsPage;
use crate::i18n::Lang;

use super::notify::escape as esc;

/// Five shades, light to dark (emerald), for counts and bars.
const SHADES: [&str; 5] = ["#ecfdf5", "#a7f3d0", "#34d399", "#059669", "#065f46"];
const INK: &str = "#1c1917";
const GRID: &str = "#d6d3d1";

fn open(width: u32, height: u32, title: &str, desc: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"t d\" font-family=\"system-ui, sans-serif\" font-size=\"12\">\
         <title id=\"t\">{}</title><desc id=\"d\">{}</desc><rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>",
        esc(title),
        esc(desc)
    )
}

/// Received per month (bars) and, of those, followed up within 5 working days (darker bars).
pub fn trend(p: &StatsPage, lang: Lang) -> String {
    let t = lang.texts();
    let (w, h, left, bottom, top) = (640u32, 280u32, 48.0, 40.0, 28.0);
    let title = t.tr("Laporan diterima per bulan", "Reports received per month");
    let desc = p
        .trend
        .iter()
        .map(|m| format!("{}: {}", t.month(&m.month), m.counts.received))
        .collect::<Vec<_>>()
        .join("; ");
    let mut s = open(w, h, title, &desc);
    let max = p
        .trend
        .iter()
        .map(|m| m.counts.received)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let plot_h = h as f64 - bottom - top;
    let n = p.trend.len().max(1) as f64;
    let slot = (w as f64 - left - 8.0) / n;
    for i in 0..=4 {
        let v = max * i as f64 / 4.0;
        let y = top + plot_h - plot_h * i as f64 / 4.0;
        s.push_str(&format!(
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"{GRID}\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{INK}\">{}</text>",
            w - 8,
            left - 4.0,
            y + 4.0,
            v.round()
        ));
    }
    for (i, m) in p.trend.iter().enumerate() {
        let x = left + slot * i as f64 + slot * 0.15;
        let bw = slot * 0.7;
        let hr = plot_h * m.counts.received as f64 / max;
        let hf = plot_h * m.counts.first_follow_up_in_time as f64 / max;
        s.push_str(&format!(
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bw:.1}\" height=\"{hr:.1}\" fill=\"{}\"/>",
            top + plot_h - hr,
            SHADES[1]
        ));
        s.push_str(&format!(
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bw:.1}\" height=\"{hf:.1}\" fill=\"{}\"/>",
            top + plot_h - hf,
            SHADES[4]
        ));
        let label = m.month.get(5..7).unwrap_or("");
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{INK}\">{}</text>",
            x + bw / 2.0,
            h as f64 - bottom + 16.0,
            esc(label)
        ));
    }
    let legend_y = 16.0;
    s.push_str(&format!(
        "<rect x=\"{left}\" y=\"6\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"{legend_y}\" fill=\"{INK}\">{}</text>\
         <rect x=\"{}\" y=\"6\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"{legend_y}\" fill=\"{INK}\">{}</text>",
        SHADES[1],
        left + 16.0,
        esc(t.tr("Diterima", "Received")),
        left + 140.0,
        SHADES[4],
        left + 156.0,
        esc(t.tr("Tindak lanjut ≤5 hari kerja", "Followed up within 5 working days")),
    ));
    if let (Some(a), Some(b)) = (p.trend.first(), p.trend.last()) {
        s.push_str(&format!(
            "<text x=\"{left}\" y=\"{}\" fill=\"{INK}\">{} – {}</text>",
            h - 6,
            esc(&t.month(&a.month)),
            esc(&t.month(&b.month))
        ));
    }
    s.push_str("</svg>");
    s
}

/// Horizontal bars: one per (label, value, value text), longest first as given.
fn bars(title: &str, rows: &[(String, f64, String)], max: f64) -> String {
    let row_h = 26.0;
    let (w, label_w) = (640u32, 300.0);
    let h = (rows.len().max(1) as f64 * row_h + 16.0) as u32;
    let desc = rows
        .iter()
        .map(|(l, _, v)| format!("{l}: {v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let mut s = open(w, h, title, &desc);
    let max = if max > 0.0 { max } else { 1.0 };
    let bar_w = w as f64 - label_w - 60.0;
    for (i, (label, value, text)) in rows.iter().enumerate() {
        let y = 8.0 + i as f64 * row_h;
        let short: String = if label.chars().count() > 44 {
            format!("{}…", label.chars().take(43).collect::<String>())
        } else {
            label.clone()
        };
        let len = (bar_w * value / max).max(0.0);
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{INK}\">{}</text>\
             <rect x=\"{label_w}\" y=\"{:.1}\" width=\"{len:.1}\" height=\"18\" fill=\"{}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" fill=\"{INK}\">{}</text>",
            label_w - 6.0,
            y + 13.0,
            esc(&short),
            y,
            SHADES[3],
            label_w + len + 4.0,
            y + 13.0,
            esc(text)
        ));
    }
    s.push_str("</svg>");
    s
}

/// The ranking as bars of the index.
pub fn ranking(p: &StatsPage, lang: Lang) -> String {
    let t = lang.texts();
    let rows: Vec<(String, f64, String)> = p
        .ranking
        .iter()
        .map(|r| {
            (
                r.agency.name.clone(),
                r.index.unwrap_or(0.0),
                t.decimal(r.index),
            )
        })
        .collect();
    bars(
        t.tr("Indeks kinerja per instansi", "Performance index by agency"),
        &rows,
        100.0,
    )
}

/// Reports by category.
pub fn categories(p: &StatsPage, lang: Lang) -> String {
    let t = lang.texts();
    let rows: Vec<(String, f64, String)> = p
        .categories
        .iter()
        .map(|c| {
            let label = if lang == Lang::En {
                &c.label_en
            } else {
                &c.label_id
            };
            (label.clone(), c.count as f64, c.count.to_string())
        })
        .collect();
    let max = rows.iter().map(|r| r.1).fold(0.0, f64::max);
    bars(
        t.tr("Laporan menurut kategori", "Reports by category"),
        &rows,
        max,
    )
}

/// Where each regency of West Sulawesi sits on the schematic map (column, row): north to
/// south along the coast, Mamasa inland. Not boundaries: positions only.
const TILES: [(&str, u32, u32); 6] = [
    ("76.05", 1, 0),
    ("76.06", 1, 1),
    ("76.04", 0, 2),
    ("76.01", 0, 3),
    ("76.03", 2, 3),
    ("76.02", 1, 4),
];

/// The regencies of West Sulawesi as tiles shaded by the number of reports (five classes up to
/// the largest count).
pub fn map(p: &StatsPage, lang: Lang) -> String {
    let t = lang.texts();
    let (w, h, size) = (480u32, 420u32, 140.0);
    let count = |code: &str| {
        p.regions
            .iter()
            .find(|r| r.key == code)
            .map(|r| r.count)
            .unwrap_or(0)
    };
    let name = |code: &str| {
        p.regions
            .iter()
            .find(|r| r.key == code)
            .map(|r| r.label_id.clone())
            .unwrap_or_else(|| code.to_string())
    };
    let max = TILES.iter().map(|(c, _, _)| count(c)).max().unwrap_or(0);
    let desc = TILES
        .iter()
        .map(|(c, _, _)| format!("{}: {}", name(c), count(c)))
        .collect::<Vec<_>>()
        .join("; ");
    let mut s = open(
        w,
        h,
        t.tr(
            "Laporan menurut kabupaten, Sulawesi Barat (peta skematis)",
            "Reports by regency, West Sulawesi (schematic map)",
        ),
        &desc,
    );
    for (code, col, row) in TILES {
        let n = count(code);
        let class = if max == 0 || n == 0 {
            0
        } else {
            ((n as f64 / max as f64) * 4.0).ceil().clamp(1.0, 4.0) as usize
        };
        let (x, y) = (20.0 + col as f64 * size, 10.0 + row as f64 * 80.0);
        let text = if class >= 3 { "#ffffff" } else { INK };
        let label = p
            .regions
            .iter()
            .find(|r| r.key == code)
            .map(|r| r.label_id.trim_start_matches("Kabupaten ").to_string())
            .unwrap_or_else(|| code.to_string());
        s.push_str(&format!(
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"74\" rx=\"6\" fill=\"{}\" stroke=\"{INK}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{text}\">{}</text>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{text}\" font-size=\"16\" font-weight=\"bold\">{n}</text>",
            size - 6.0,
            SHADES[class],
            x + (size - 6.0) / 2.0,
            y + 30.0,
            esc(&label),
            x + (size - 6.0) / 2.0,
            y + 54.0,
        ));
    }
    s.push_str("</svg>");
    s
}

fn csv_line(fields: &[String]) -> String {
    let cells: Vec<String> = fields
        .iter()
        .map(|f| {
            // A leading =, +, - or @ would be a formula in a spreadsheet.
            let f = if f.starts_with(['=', '+', '-', '@']) {
                format!("'{f}")
            } else {
                f.clone()
            };
            if f.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f
            }
        })
        .collect();
    format!("{}\r\n", cells.join(","))
}

fn num(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.3}")).unwrap_or_default()
}

fn count_columns() -> Vec<String> {
    [
        "received",
        "delegated",
        "bounced",
        "first_follow_up_within_5_days",
        "first_follow_up_share",
        "median_days_to_first_follow_up",
        "completed_on_time",
        "completed_on_time_share",
        "confirmed",
        "closed_unconfirmed",
        "confirmed_share",
        "average_rating",
        "open_now",
        "overdue_now",
        "index",
    ]
    .into_iter()
    .map(str::to_string)
    .collect()
}

fn count_values(c: &crate::domain::stats::Counts) -> Vec<String> {
    vec![
        c.received.to_string(),
        c.delegated.to_string(),
        c.bounced.to_string(),
        c.first_follow_up_in_time.to_string(),
        num(c.first_follow_up_share()),
        num(c.median_follow_up_days()),
        c.completed_on_time.to_string(),
        num(c.on_time_share()),
        c.confirmed.to_string(),
        c.closed_unconfirmed.to_string(),
        num(c.confirmed_share()),
        num(c.average_rating()),
        c.open_now.to_string(),
        c.overdue_now.to_string(),
        num(c.index()),
    ]
}

/// A statistics table as CSV (UTF-8, comma, CRLF, header first): `ringkasan`, `peringkat`,
/// `tren`, `kategori`, `wilayah`, and for the oversight dashboard `terlambat`.
pub fn csv(p: &StatsPage, table: &str) -> Option<String> {
    let mut out = String::new();
    match table {
        "ringkasan" => {
            let mut head = vec!["agency".to_string(), "from".into(), "to".into()];
            head.extend(count_columns());
            out.push_str(&csv_line(&head));
            let mut row = vec![
                p.selected
                    .as_ref()
                    .map(|a| a.code.clone())
                    .unwrap_or_default(),
                p.filter.from.clone(),
                p.filter.to.clone(),
            ];
            row.extend(count_values(&p.counts));
            out.push_str(&csv_line(&row));
        }
        "peringkat" => {
            let mut head = vec!["rank".to_string(), "agency_code".into(), "agency".into()];
            head.extend(count_columns());
            out.push_str(&csv_line(&head));
            for r in &p.ranking {
                let mut row = vec![
                    r.rank.map(|n| n.to_string()).unwrap_or_default(),
                    r.agency.code.clone(),
                    r.agency.name.clone(),
                ];
                row.extend(count_values(&r.counts));
                out.push_str(&csv_line(&row));
            }
        }
        "tren" => {
            let mut head = vec!["month".to_string()];
            head.extend(count_columns());
            out.push_str(&csv_line(&head));
            for m in &p.trend {
                let mut row = vec![m.month.clone()];
                row.extend(count_values(&m.counts));
                out.push_str(&csv_line(&row));
            }
        }
        "kategori" | "wilayah" => {
            out.push_str(&csv_line(&["key".into(), "name".into(), "received".into()]));
            let rows = if table == "kategori" {
                &p.categories
            } else {
                &p.regions
            };
            for r in rows {
                out.push_str(&csv_line(&[
                    r.key.clone(),
                    r.label_id.clone(),
                    r.count.to_string(),
                ]));
            }
        }
        "terlambat" if p.oversight => {
            out.push_str(&csv_line(
                &[
                    "reference",
                    "title",
                    "status",
                    "agency",
                    "head",
                    "due_at",
                    "working_days_late",
                    "confidential",
                ]
                .map(str::to_string),
            ));
            for r in &p.overdue {
                out.push_str(&csv_line(&[
                    r.reference.clone(),
                    r.title.clone(),
                    r.status.as_str().to_string(),
                    r.agency.clone(),
                    r.head.clone().unwrap_or_default(),
                    r.due_at.to_rfc3339(),
                    r.days_late.to_string(),
                    r.confidential.to_string(),
                ]));
            }
        }
        _ => return None,
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(
            csv_line(&["a,b".into(), "=SUM(A1)".into(), "say \"hi\"".into()]),
            "\"a,b\",'=SUM(A1),\"say \"\"hi\"\"\"\r\n"
        );
    }
}
