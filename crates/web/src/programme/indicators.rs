//! The programme's indicators as the home page shows them: each figure in
//! words (a count, "fewer than 5", a range, "not known" with the step that
//! fixes it), the page that lists what it counts, its target and a trend
//! chart with the same numbers as a table; and the "get started" steps,
//! each linking to where it is done when this role can do it there.

use useit_app::programme::indicators::Indicators;
use useit_core::figures::percent_bp;
use useit_core::i18n::{t, tf};
use useit_core::programme::indicators::{Figure, Published, Step, TrendPoint, target_text};

use super::view::{figure_text, indicator_href, published_coverage_text, step_href};

use crate::http::charts::{Bar, Row, column_chart};
use crate::http::ctx::Ctx;

/// One indicator, ready for the page.
pub struct IndicatorView {
    pub slug: &'static str,
    pub label: String,
    pub definition: String,
    pub strand: String,
    /// The figure in words.
    pub value: String,
    pub known: bool,
    /// The page listing what it counts, where this role may open it.
    pub href: String,
    pub coverage: String,
    /// Each anchor's own count ("By anchor: The Trust 30, The Council 4").
    pub by_anchor: String,
    pub target: String,
    pub of_target: String,
    /// The step that would let it be judged, and where it is done.
    pub fix: Option<StepView>,
    pub chart_title: String,
    pub chart: String,
    pub rows: Vec<Row>,
}

/// A step to take, linked when this role can take it.
pub struct StepView {
    pub label: String,
    pub href: String,
}

pub fn step_view(ctx: &Ctx, slug: &str, step: Step) -> StepView {
    StepView {
        label: t(&step.label_key()).to_string(),
        href: if ctx.can(step.capability()) {
            step_href(slug, step)
        } else {
            String::new()
        },
    }
}

fn bar(p: &TrendPoint) -> Bar {
    let value = match &p.figure {
        Figure::Count { value } => value.value().unwrap_or(0) as f64,
        Figure::Share { low_bp, .. } => *low_bp as f64 / 100.0,
        _ => 0.0,
    };
    Bar {
        label: p.year.to_string(),
        value,
        display: figure_text(&p.figure),
    }
}

pub fn view(ctx: &Ctx, slug: &str, p: &Published) -> IndicatorView {
    let i = p.indicator;
    let label = t(&i.label_key()).to_string();
    let bars: Vec<Bar> = p.trend.iter().map(bar).collect();
    let chart_title = if p.cumulative {
        tf("home.trend.cumulative", &[("indicator", &label)])
    } else {
        tf("home.trend.by_year", &[("indicator", &label)])
    };
    let chart = if bars.is_empty() {
        String::new()
    } else {
        column_chart(
            &format!("trend-{}", i.slug()),
            &chart_title,
            t(&i.definition_key()),
            &bars,
        )
    };
    IndicatorView {
        slug: i.slug(),
        definition: t(&i.definition_key()).to_string(),
        strand: t(&i.strand().label_key()).to_string(),
        value: figure_text(&p.figure),
        known: !matches!(p.figure, Figure::NotKnown { .. }),
        href: indicator_href(
            slug,
            i,
            p.target.map(|t| t.period).unwrap_or_default(),
            |c| ctx.can(c),
        ),
        coverage: published_coverage_text(p),
        by_anchor: by_anchor_text(p),
        target: p.target.as_ref().map(target_text).unwrap_or_default(),
        of_target: p
            .of_target_bp
            .map(|bp| tf("home.of_target", &[("share", &percent_bp(bp))]))
            .unwrap_or_default(),
        fix: match p.figure {
            Figure::NotKnown { fix } => Some(step_view(ctx, slug, fix)),
            _ => None,
        },
        chart_title,
        chart,
        rows: crate::http::charts::rows(&bars),
        label,
    }
}

/// The indicators and the steps, for the home page.
pub struct HomeIndicators {
    pub get_started: Vec<StepView>,
    pub figures: Vec<IndicatorView>,
    pub any_known: bool,
    /// "Exact figures, including counts under 5: personal data" where it applies.
    pub exact_note: String,
    pub suppressed_note: String,
}

pub fn home(ctx: &Ctx, slug: &str, ind: &Indicators) -> HomeIndicators {
    let k = ind.k.to_string();
    // One sentence per role, true of every count of people on the page: a
    // caseworker sees residents exactly but researchers suppressed.
    let exact_note = match (ind.exact_talent, ind.exact_research) {
        (true, true) => tf("home.exact_note", &[("k", &k)]),
        (true, false) => tf("home.exact_note_talent", &[("k", &k)]),
        (false, true) => tf("home.exact_note_research", &[("k", &k)]),
        (false, false) => String::new(),
    };
    HomeIndicators {
        get_started: ind
            .get_started
            .iter()
            .map(|s| step_view(ctx, slug, *s))
            .collect(),
        figures: ind.figures.iter().map(|p| view(ctx, slug, p)).collect(),
        any_known: ind.any_known(),
        suppressed_note: if ind.exact_talent || ind.exact_research {
            String::new()
        } else {
            tf("home.suppressed_note", &[("k", &k)])
        },
        exact_note,
    }
}

/// Each anchor's own count, in words, or nothing.
pub fn by_anchor_text(p: &Published) -> String {
    if p.by_anchor.is_empty() {
        return String::new();
    }
    let list: Vec<String> = p
        .by_anchor
        .iter()
        .map(|a| format!("{} {}", a.anchor, useit_core::i18n::format_count(a.count)))
        .collect();
    tf("wages.by_anchor", &[("list", &list.join(", "))])
}
