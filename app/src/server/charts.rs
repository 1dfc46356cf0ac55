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

/// Charts are drawn for a phone: this many user units wide, shown about as wide on a 360 px
/// screen, so the 13-unit text stays ≥ 12 px there (and larger on a desktop).
pub const WIDTH: u32 = 340;
/// Characters of chart text that fit on one line across the chart.
const LINE_CHARS: usize = 44;

fn open(width: u32, height: u32, title: &str, desc: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"t d\" font-family=\"system-ui, sans-serif\" font-size=\"13\">\
         <title id=\"t\">{}</title><desc id=\"d\">{}</desc><rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>",
        esc(title),
        esc(desc)
    )
}

/// Axis steps a reader can follow: 1, 2 or 5 times a power of ten, at most five steps up to a
/// top of at least `max`. Returns (step, top).
pub fn nice_ticks(max: f64) -> (f64, f64) {
    let max = if max > 0.0 { max } else { 1.0 };
    let raw = max / 5.0;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power)
        .max(1.0);
    (step, (max / step).ceil() * step)
}

/// `text` in lines of at most `width` characters, broken between words; at most `lines` lines,
/// the last cut with an ellipsis when the text is longer.
pub fn wrap(text: &str, width: usize, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let len = current.chars().count() + usize::from(!current.is_empty()) + word.chars().count();
        if !current.is_empty() && len > width {
            out.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        out.push(current);
    }
    if out.len() > lines {
        out.truncate(lines);
        let last = out.last_mut().expect("at least one line");
        let keep: String = last.chars().take(width.saturating_sub(1)).collect();
        *last = format!("{}…", keep.trim_end());
    }
    out.into_iter()
        .map(|l| {
            if l.chars().count() > width {
                format!("{}…", l.chars().take(width - 1).collect::<String>())
            } else {
                l
            }
        })
        .collect()
}

/// Received per month (bars) and, of those, followed up within 5 working days (darker bars).
pub fn trend(p: &StatsPage, lang: Lang) -> String {
    let t = lang.texts();
    let (w, h, left, bottom, top) = (WIDTH, 250u32, 36.0, 40.0, 48.0);
    let title = t.tr("Laporan diterima per bulan", "Reports received per month");
    let desc = p
        .trend
        .iter()
        .map(|m| format!("{}: {}", t.month(&m.month), m.counts.received))
        .collect::<Vec<_>>()
        .join("; ");
    let mut s = open(w, h, title, &desc);
    let most = p.trend.iter().map(|m| m.counts.received).max().unwrap_or(0) as f64;
    let (step, max) = nice_ticks(most);
    let plot_h = h as f64 - bottom - top;
    let n = p.trend.len().max(1) as f64;
    let slot = (w as f64 - left - 4.0) / n;
    let mut v = 0.0;
    while v <= max + step / 2.0 {
        let y = top + plot_h - plot_h * v / max;
        s.push_str(&format!(
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"{GRID}\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{INK}\">{}</text>",
            w - 4,
            left - 4.0,
            y + 4.0,
            v
        ));
        v += step;
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
    // The legend, one entry per line (each fits across the chart).
    for (i, (shade, label)) in [
        (SHADES[1], t.tr("Diterima", "Received")),
        (
            SHADES[4],
            t.tr(
                "Tindak lanjut ≤5 hari kerja",
                "Followed up within 5 working days",
            ),
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let y = 4.0 + i as f64 * 18.0;
        s.push_str(&format!(
            "<rect x=\"4\" y=\"{y}\" width=\"13\" height=\"13\" fill=\"{shade}\" stroke=\"{INK}\" stroke-width=\"0.5\"/><text x=\"22\" y=\"{:.1}\" fill=\"{INK}\">{}</text>",
            y + 11.0,
            esc(label)
        ));
    }
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

/// Horizontal bars: one per (label, value, value text), in the order given. The label stands
/// above its bar across the whole width (at most two lines), so long agency names are never cut
/// at the edge.
fn bars(title: &str, rows: &[(String, f64, String)], max: f64) -> String {
    let w = WIDTH;
    let (line_h, bar_h, gap) = (16.0, 16.0, 10.0);
    let labels: Vec<Vec<String>> = rows
        .iter()
        .map(|(l, _, _)| wrap(l, LINE_CHARS, 2))
        .collect();
    let h = labels
        .iter()
        .map(|l| l.len() as f64 * line_h + bar_h + gap + 4.0)
        .sum::<f64>()
        .max(24.0) as u32
        + 4;
    let desc = rows
        .iter()
        .map(|(l, _, v)| format!("{l}: {v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let mut s = open(w, h, title, &desc);
    let max = if max > 0.0 { max } else { 1.0 };
    // Room on the right for the value text.
    let bar_w = w as f64 - 4.0 - 48.0;
    let mut y = 4.0;
    for ((_, value, text), lines) in rows.iter().zip(&labels) {
        for line in lines {
            y += line_h;
            s.push_str(&format!(
                "<text x=\"4\" y=\"{:.1}\" fill=\"{INK}\">{}</text>",
                y - 4.0,
                esc(line)
            ));
        }
        let len = (bar_w * value / max).max(0.0);
        s.push_str(&format!(
            "<rect x=\"4\" y=\"{y:.1}\" width=\"{len:.1}\" height=\"{bar_h}\" fill=\"{}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" fill=\"{INK}\" font-weight=\"bold\">{}</text>",
            SHADES[3],
            4.0 + len + 4.0,
            y + 12.5,
            esc(text)
        ));
        y += bar_h + gap + 4.0;
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

/// Where each regency of West Sulawesi sits on the schematic map (code, name, column, row):
/// north to south along the coast, Mamasa inland. Not boundaries: positions only. The names are
/// here so a regency without reports is named too.
const TILES: [(&str, &str, u32, u32); 6] = [
    ("76.05", "Pasangkayu", 1, 0),
    ("76.06", "Mamuju Tengah", 1, 1),
    ("76.04", "Mamuju", 0, 2),
    ("76.01", "Majene", 0, 3),
    ("76.03", "Mamasa", 2, 3),
    ("76.02", "Polewali Mandar", 1, 4),
];

/// The regencies of West Sulawesi as tiles shaded by the number of reports (five classes up to
/// the largest count).
pub fn map(p: &StatsPage, lang: Lang) -> String {
    let t = lang.texts();
    let (w, h) = (WIDTH, 340u32);
    let (tile_w, tile_h) = (108.0, 62.0);
    let count = |code: &str| {
        p.regions
            .iter()
            .find(|r| r.key == code)
            .map(|r| r.count)
            .unwrap_or(0)
    };
    let max = TILES.iter().map(|(c, _, _, _)| count(c)).max().unwrap_or(0);
    let desc = TILES
        .iter()
        .map(|(c, name, _, _)| format!("Kabupaten {name}: {}", count(c)))
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
    for (code, name, col, row) in TILES {
        let n = count(code);
        let class = if max == 0 || n == 0 {
            0
        } else {
            ((n as f64 / max as f64) * 4.0).ceil().clamp(1.0, 4.0) as usize
        };
        let (x, y) = (
            4.0 + col as f64 * (tile_w + 2.0),
            4.0 + row as f64 * (tile_h + 4.0),
        );
        let text = if class >= 3 { "#ffffff" } else { INK };
        let cx = x + tile_w / 2.0;
        // A long name takes two lines (13 units a character is too wide for one).
        let lines = wrap(name, 12, 2);
        let mut label = String::new();
        for (i, line) in lines.iter().enumerate() {
            label.push_str(&format!(
                "<text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{text}\">{}</text>",
                y + 17.0 + i as f64 * 15.0,
                esc(line)
            ));
        }
        s.push_str(&format!(
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{tile_w:.1}\" height=\"{tile_h:.1}\" rx=\"6\" fill=\"{}\" stroke=\"{INK}\"/>{label}\
             <text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{text}\" font-size=\"16\" font-weight=\"bold\">{n}</text>",
            SHADES[class],
            y + tile_h - 8.0,
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

    #[test]
    fn ticks_are_even_round_steps() {
        // The axis read 0, 1, 3, 4, 5 for a largest count of 5.
        assert_eq!(nice_ticks(5.0), (1.0, 5.0));
        assert_eq!(nice_ticks(7.0), (2.0, 8.0));
        assert_eq!(nice_ticks(23.0), (5.0, 25.0));
        assert_eq!(nice_ticks(130.0), (50.0, 150.0));
        assert_eq!(nice_ticks(0.0), (1.0, 1.0));
    }

    #[test]
    fn long_names_wrap_between_words_and_never_run_off() {
        let name = "Dinas Pekerjaan Umum dan Penataan Ruang Provinsi Sulawesi Barat";
        let lines = wrap(name, 44, 2);
        assert_eq!(
            lines,
            vec![
                "Dinas Pekerjaan Umum dan Penataan Ruang".to_string(),
                "Provinsi Sulawesi Barat".to_string()
            ]
        );
        assert!(wrap(&name.repeat(3), 44, 2)
            .iter()
            .all(|l| l.chars().count() <= 44));
        assert!(wrap(&name.repeat(3), 44, 2)[1].ends_with('…'));
        assert_eq!(wrap("Polewali Mandar", 12, 2), vec!["Polewali", "Mandar"]);
        assert_eq!(wrap("Majene", 12, 2), vec!["Majene"]);
    }
}
