//! The two pictures of the interactions page, drawn on the server (no
//! script): each anchor's count in force at each month's end as lines (the
//! "0 → 30"), and who works with whom as a network. Both are laid out from
//! the data alone, in name order, so the same data always draws the same
//! picture; colours and line styles are classes in app.css (the CSP
//! forbids inline styles), and each page puts the same numbers in a table.

use std::fmt::Write;

use time::Date;
use useit_core::anchors::interactions::{AnchorSeries, Link};

use crate::http::charts::esc;

/// How many line styles app.css has (`app-chart__line--0` …).
pub const STYLES: usize = 4;

/// "Mar 2025".
pub fn month_label(d: Date) -> String {
    const NAMES: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!("{} {}", NAMES[d.month() as usize - 1], d.year())
}

/// The smallest of 5, 10, 20, 25, 50, 100… at or above `n`: the top of
/// the y axis.
fn axis_top(n: u64) -> u64 {
    let mut step = 5;
    loop {
        for m in [1, 2, 5] {
            if step * m >= n {
                return step * m;
            }
        }
        step *= 10;
    }
}

/// Each anchor's count at each month's end, one line per anchor.
pub fn count_chart(
    id: &str,
    title: &str,
    description: &str,
    months: &[Date],
    series: &[AnchorSeries],
) -> String {
    let (w, h) = (640.0, 260.0);
    let (left, right, top, bottom) = (44.0, 40.0, 16.0, 40.0);
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let max = series
        .iter()
        .flat_map(|s| s.counts.iter().copied())
        .max()
        .unwrap_or(0);
    let ymax = axis_top(max.max(1)) as f64;
    let n = months.len();
    let x = |i: usize| {
        if n <= 1 {
            left
        } else {
            left + plot_w * i as f64 / (n - 1) as f64
        }
    };
    let y = |v: u64| top + plot_h - plot_h * v as f64 / ymax;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="app-chart" id="{id}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="{id}-title {id}-desc" focusable="false"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        esc(title),
        esc(description)
    );
    for tick in [0.0, ymax / 2.0, ymax] {
        let ty = y(tick as u64);
        let _ = write!(
            s,
            r#"<line class="app-chart__grid" x1="{left}" y1="{ty:.1}" x2="{:.1}" y2="{ty:.1}"></line><text class="app-chart__label" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            left + plot_w,
            left - 6.0,
            ty + 5.0,
            tick as u64
        );
    }
    let _ = write!(
        s,
        r#"<line class="app-chart__axis" x1="{left}" y1="{:.1}" x2="{:.1}" y2="{:.1}"></line>"#,
        top + plot_h,
        left + plot_w,
        top + plot_h
    );
    // At most seven month labels (the table has every month).
    let every = n.div_ceil(7).max(1);
    for (i, m) in months.iter().enumerate().filter(|(i, _)| i % every == 0) {
        let _ = write!(
            s,
            r#"<text class="app-chart__label" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            x(i),
            top + plot_h + 20.0,
            month_label(*m)
        );
    }
    for (k, a) in series.iter().enumerate() {
        let points: Vec<String> = a
            .counts
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
            .collect();
        let last = a.counts.last().copied().unwrap_or(0);
        let lx = x(a.counts.len().saturating_sub(1));
        let _ = write!(
            s,
            r#"<g class="app-chart__series"><title>{}: {last}</title><polyline class="app-chart__line app-chart__line--{}" points="{}"></polyline><text class="app-chart__value" x="{:.1}" y="{:.1}">{last}</text></g>"#,
            esc(&a.anchor_name),
            k % STYLES,
            points.join(" "),
            lx + 6.0,
            y(last) + 5.0
        );
    }
    s.push_str("</svg>");
    s
}

/// Shortens a name for the picture (the table beside it has it whole).
fn short(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        name.to_string()
    } else {
        let mut s: String = name.chars().take(max - 1).collect();
        s.push('…');
        s
    }
}

/// Anchors on the left, organisations on the right (both in name order),
/// a line for each pair working together, thicker for more kinds of work.
/// `kinds` words a link's kinds for its title.
pub fn network(
    id: &str,
    title: &str,
    description: &str,
    links: &[Link],
    kinds: &dyn Fn(&Link) -> String,
) -> String {
    let mut anchors: Vec<(&str, &str)> = links
        .iter()
        .map(|l| (l.anchor_name.as_str(), l.anchor.as_str()))
        .collect();
    anchors.sort_by_key(|(name, id)| (name.to_lowercase(), *id));
    anchors.dedup();
    let mut orgs: Vec<(&str, &str)> = links
        .iter()
        .map(|l| (l.organisation_name.as_str(), l.organisation.as_str()))
        .collect();
    orgs.sort_by_key(|(name, id)| (name.to_lowercase(), *id));
    orgs.dedup();
    let row = 26.0;
    let w = 760.0;
    let h = (orgs.len().max(anchors.len()) as f64 * row).max(row) + 20.0;
    let (ax, ox) = (250.0, 430.0);
    let org_y = |i: usize| 10.0 + row * (i as f64 + 0.5);
    // Anchors spread over the height, so their lines fan out evenly.
    let anchor_y = |i: usize| 10.0 + (h - 20.0) * (i as f64 + 0.5) / anchors.len().max(1) as f64;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="app-chart app-network" id="{id}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="{id}-title {id}-desc" focusable="false"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        esc(title),
        esc(description)
    );
    for l in links {
        let a = anchors
            .iter()
            .position(|x| x.1 == l.anchor && x.0 == l.anchor_name)
            .unwrap_or(0);
        let o = orgs
            .iter()
            .position(|x| x.1 == l.organisation && x.0 == l.organisation_name)
            .unwrap_or(0);
        let weight = l.kinds.len().clamp(1, 3);
        let _ = write!(
            s,
            r#"<line class="app-network__link app-network__link--{weight}" x1="{ax}" y1="{:.1}" x2="{ox}" y2="{:.1}"><title>{} – {}: {}</title></line>"#,
            anchor_y(a),
            org_y(o),
            esc(&l.anchor_name),
            esc(&l.organisation_name),
            esc(&kinds(l))
        );
    }
    for (i, (name, _)) in anchors.iter().enumerate() {
        let y = anchor_y(i);
        let _ = write!(
            s,
            r#"<g class="app-network__anchor"><circle class="app-network__node app-network__node--anchor" cx="{ax}" cy="{y:.1}" r="9"><title>{}</title></circle><text class="app-chart__label" x="{:.1}" y="{:.1}" text-anchor="end">{}</text></g>"#,
            esc(name),
            ax - 14.0,
            y + 5.0,
            esc(&short(name, 30))
        );
    }
    for (i, (name, _)) in orgs.iter().enumerate() {
        let y = org_y(i);
        let _ = write!(
            s,
            r#"<g class="app-network__organisation"><circle class="app-network__node" cx="{ox}" cy="{y:.1}" r="6"><title>{}</title></circle><text class="app-chart__label" x="{:.1}" y="{:.1}">{}</text></g>"#,
            esc(name),
            ox + 12.0,
            y + 5.0,
            esc(&short(name, 38))
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;
    use useit_core::anchors::interactions::InteractionKind;

    fn link(a: &str, o: &str, kinds: Vec<InteractionKind>) -> Link {
        Link {
            anchor: a.to_lowercase(),
            anchor_name: a.into(),
            organisation: format!("GB-{o}"),
            organisation_name: o.into(),
            kinds,
        }
    }

    #[test]
    fn the_network_is_the_same_picture_for_the_same_links() {
        use InteractionKind::*;
        let links = vec![
            link("Trust", "Zeta & Co", vec![Referral, Supply]),
            link("Council", "Alpha", vec![Research]),
            link("Trust", "Alpha", vec![Volunteering]),
        ];
        let mut reversed = links.clone();
        reversed.reverse();
        let words = |l: &Link| format!("{} kinds", l.kinds.len());
        let one = network("n", "T", "D", &links, &words);
        let two = network("n", "T", "D", &reversed, &words);
        assert_eq!(one.matches("<line").count(), two.matches("<line").count());
        assert_eq!(one.matches("<line").count(), 3, "a line per pair");
        assert_eq!(one.matches("app-network__node--anchor").count(), 2);
        assert!(one.contains("Zeta &amp; Co") && one.contains("app-network__link--2"));
        assert!(!one.contains("style="));
        // organisations in name order: Alpha above Zeta
        let alpha = one.find(">Alpha<").unwrap();
        let zeta = one.find(">Zeta &amp; Co<").unwrap();
        assert!(alpha < zeta);
    }

    #[test]
    fn the_count_chart_has_a_line_per_anchor_ending_at_its_last_count() {
        let months = [
            date!(2024 - 12 - 31),
            date!(2025 - 01 - 31),
            date!(2025 - 02 - 28),
        ];
        let series = [
            AnchorSeries {
                anchor: "trust".into(),
                anchor_name: "Trust".into(),
                counts: vec![0, 3, 7],
            },
            AnchorSeries {
                anchor: "council".into(),
                anchor_name: "Council".into(),
                counts: vec![0, 1, 1],
            },
        ];
        let svg = count_chart("c", "T", "D", &months, &series);
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert!(svg.contains("<title>Trust: 7</title>"));
        assert!(svg.contains(">Dec 2024<") && svg.contains(">Feb 2025<"));
        assert_eq!(axis_top(7), 10);
        assert_eq!(axis_top(30), 50);
        assert_eq!(axis_top(0), 5);
        assert!(!svg.contains("style="));
    }
}
