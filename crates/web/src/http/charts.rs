//! Server-rendered SVG charts. Each chart has a title and a description for
//! screen readers, uses classes (not inline styles, which the CSP forbids)
//! for colour, and sits beside a table with the same numbers.

use std::fmt::Write;

/// Escapes text for SVG/HTML content and attributes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One bar: its label, its value and how the value reads.
#[derive(Clone, Debug)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub display: String,
}

/// One row of a chart's table alternative.
pub struct Row {
    pub label: String,
    pub value: String,
}

/// The same numbers as the bars, as rows for the table beside the chart.
pub fn rows(bars: &[Bar]) -> Vec<Row> {
    bars.iter()
        .map(|b| Row {
            label: b.label.clone(),
            value: b.display.clone(),
        })
        .collect()
}

/// A horizontal bar chart: labels on the left, values at the bar ends.
pub fn bar_chart(id: &str, title: &str, description: &str, bars: &[Bar]) -> String {
    let label_w = 230.0;
    // Room at the bar ends for the longest value (bold, about 9 px a character).
    let value_w = bars
        .iter()
        .map(|b| b.display.chars().count())
        .max()
        .unwrap_or(0) as f64
        * 9.0
        + 6.0;
    let chart_w = (640.0 - label_w - value_w).min(330.0);
    // Long labels (a barrier's full name) wrap onto up to three lines of
    // about 30 characters instead of running off the left edge.
    let lines: Vec<Vec<String>> = bars.iter().map(|b| wrap(&b.label, 30, 3)).collect();
    let line_h = 16.0;
    let rows: Vec<f64> = lines
        .iter()
        .map(|l| (l.len() as f64 * line_h + 14.0).max(30.0))
        .collect();
    let height = rows.iter().sum::<f64>().max(30.0) + 10.0;
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="app-chart" id="{id}" viewBox="0 0 640 {height}" width="640" height="{height}" role="img" aria-labelledby="{id}-title {id}-desc" focusable="false"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        esc(title),
        esc(description)
    );
    let mut y = 5.0;
    for ((b, label), row_h) in bars.iter().zip(&lines).zip(&rows) {
        let w = if max > 0.0 {
            (b.value / max) * chart_w
        } else {
            0.0
        };
        let mid = y + row_h / 2.0;
        let first = mid + 5.0 - (label.len() as f64 - 1.0) * line_h / 2.0;
        let mut text = String::new();
        for (k, part) in label.iter().enumerate() {
            let _ = write!(
                text,
                r#"<tspan x="{}" y="{:.1}">{}</tspan>"#,
                label_w - 8.0,
                first + k as f64 * line_h,
                esc(part)
            );
        }
        let _ = write!(
            s,
            r#"<g class="app-chart__row"><text class="app-chart__label" text-anchor="end">{text}</text><rect class="app-chart__bar" x="{label_w}" y="{:.1}" width="{w:.1}" height="22"></rect><text class="app-chart__value" x="{:.1}" y="{:.1}">{}</text></g>"#,
            mid - 11.0,
            label_w + w + 6.0,
            mid + 5.0,
            esc(&b.display)
        );
        y += row_h;
    }
    s.push_str("</svg>");
    s
}

/// Words in lines of at most `width` characters, at most `max` lines (the
/// last ends with "…" if words are left over); a word longer than a line is
/// kept whole.
fn wrap(text: &str, width: usize, max: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match out.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => out.push(word.to_string()),
        }
    }
    if out.len() > max {
        out.truncate(max);
        if let Some(last) = out.last_mut() {
            last.push('…');
        }
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

/// A column chart for a series over time (years, months).
pub fn column_chart(id: &str, title: &str, description: &str, bars: &[Bar]) -> String {
    let height = 220.0;
    let top = 20.0;
    let base = 180.0;
    let n = bars.len().max(1) as f64;
    let slot = (600.0 / n).min(80.0);
    let col_w = slot * 0.7;
    let width = 40.0 + slot * n;
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="app-chart" id="{id}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-labelledby="{id}-title {id}-desc" focusable="false"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc><line class="app-chart__axis" x1="20" y1="{base}" x2="{}" y2="{base}"></line>"#,
        esc(title),
        esc(description),
        width - 10.0
    );
    for (i, b) in bars.iter().enumerate() {
        let x = 20.0 + i as f64 * slot + (slot - col_w) / 2.0;
        let h = if max > 0.0 {
            (b.value / max) * (base - top)
        } else {
            0.0
        };
        let _ = write!(
            s,
            r#"<g class="app-chart__row"><rect class="app-chart__bar" x="{x:.1}" y="{:.1}" width="{col_w:.1}" height="{h:.1}"></rect><text class="app-chart__value" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text><text class="app-chart__label" x="{:.1}" y="{}" text-anchor="middle">{}</text></g>"#,
            base - h,
            x + col_w / 2.0,
            base - h - 5.0,
            esc(&b.display),
            x + col_w / 2.0,
            base + 18.0,
            esc(&b.label)
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_labels_wrap_instead_of_being_cut_off() {
        assert_eq!(
            wrap("No clinical attachment or UK experience", 30, 3),
            vec!["No clinical attachment or UK", "experience"]
        );
        assert_eq!(wrap("Short", 30, 3), vec!["Short"]);
        let svg = bar_chart(
            "b",
            "t",
            "d",
            &[Bar {
                label: "Occupational health (for example immunisation records)".into(),
                value: 3.0,
                display: "3".into(),
            }],
        );
        assert_eq!(svg.matches("<tspan").count(), 2, "{svg}");
        assert!(svg.contains("immunisation records)</tspan>"), "{svg}");
    }

    #[test]
    fn bars_scale_to_the_largest_and_escape_labels() {
        let svg = bar_chart(
            "c",
            "T",
            "D",
            &[
                Bar {
                    label: "A & B".into(),
                    value: 10.0,
                    display: "10".into(),
                },
                Bar {
                    label: "C".into(),
                    value: 5.0,
                    display: "5".into(),
                },
            ],
        );
        assert!(svg.contains("A &amp; B"));
        assert!(svg.contains(r#"width="330.0""#));
        assert!(svg.contains(r#"width="165.0""#));
        assert!(svg.contains(r#"role="img""#));
        assert!(!svg.contains("style="), "no inline styles under the CSP");
    }
}
