//! The strand's results page: the funnel against the programme's targets,
//! the barrier report and the savings against agency staff.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use useit_app::talent::results::results;
use useit_core::auth::Capability;
use useit_core::disclosure::{Cell, notes};
use useit_core::i18n::{t, tf};
use useit_core::money::format_pence;
use useit_core::talent::settings::bp_pct;

use super::view::base;
use crate::http::charts::{Bar, Row, bar_chart};
use crate::http::ctx::Ctx;
use crate::http::error::PageError;
use crate::http::views::{Layout, render};
use crate::i18n::filters;
use crate::state::AppState;

/// A stage's share of its target, where the stage's count is shown and a
/// target is set.
fn pct(part: &Cell, whole: Option<u64>) -> String {
    match (part.value(), whole) {
        (Some(part), Some(w)) if w > 0 => {
            match useit_core::figures::whole_percent(part as i64, w as i64) {
                Some(p) => format!("{p}{}", useit_core::figures::percent_sign()),
                None => String::new(),
            }
        }
        _ => String::new(),
    }
}

/// A bar for a published count: a hidden count draws no bar and says why.
fn bar(label: String, c: &Cell) -> Bar {
    Bar {
        label,
        value: c.value().unwrap_or(0) as f64,
        display: c.text(),
    }
}

/// A target as the funnel shows it: blank when none is set.
fn target_text(t: Option<u64>) -> String {
    t.map(useit_core::i18n::format_count).unwrap_or_default()
}

pub struct FunnelRow {
    pub label: String,
    pub count: String,
    pub target: String,
    pub of_target: String,
    pub href: String,
}

pub struct BarrierRow {
    pub label: String,
    pub rule: String,
    pub people: String,
    pub open: String,
    pub resolved: String,
    pub median_days: String,
    pub longest_open: String,
}

pub struct SavingRow {
    pub band: String,
    pub posts: String,
    pub basic: String,
    pub pay_year: String,
    pub per_year_low: String,
    pub per_year_central: String,
    pub to_date_low: String,
    pub to_date_central: String,
}

#[derive(Template)]
#[template(path = "talent/results.html")]
struct ResultsPage {
    layout: Layout,
    base: String,
    funnel: Vec<FunnelRow>,
    funnel_chart: String,
    funnel_rows: Vec<Row>,
    /// Nobody recorded yet: the step that makes the funnel known, and where.
    nobody: Option<(String, String)>,
    barriers: Vec<BarrierRow>,
    barrier_chart: String,
    barrier_rows: Vec<Row>,
    savings: Vec<SavingRow>,
    savings_total_low: String,
    savings_total_central: String,
    savings_to_date_low: String,
    savings_to_date_central: String,
    savings_chart: String,
    savings_rows: Vec<Row>,
    not_costed: Option<u64>,
    not_costed_text: String,
    savings_lead: String,
    exact: bool,
    exact_label: Option<String>,
    threshold_text: String,
    can_threshold: bool,
    programme_base: String,
    notes: Vec<String>,
    can_people: bool,
    can_match: bool,
    can_vacancies: bool,
    can_settings: bool,
}

/// A chart label short enough for the label column (the table beside the
/// chart has the whole text).
fn short(s: &str) -> String {
    const MAX: usize = 28;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let cut: String = s.chars().take(MAX - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

pub async fn results_page(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let base = base(&ctx)?;
    let r = results(app.store.as_ref(), &ctx.caller()?).await?;
    let f = &r.funnel;
    let people = format!("{base}/people");
    let can_people = ctx.can(Capability::ViewPeople);
    let link = |q: &str| {
        if can_people {
            format!("{people}{q}")
        } else {
            String::new()
        }
    };
    let s = &r.settings;
    let funnel = vec![
        FunnelRow {
            label: t("talent.funnel.engaged").into(),
            count: f.engaged.text(),
            target: target_text(r.target_engaged),
            of_target: pct(&f.engaged, r.target_engaged),
            href: link(""),
        },
        FunnelRow {
            label: t("talent.funnel.on_pathway").into(),
            count: f.on_pathway.text(),
            target: String::new(),
            of_target: String::new(),
            href: link("?stage=on_pathway"),
        },
        FunnelRow {
            label: t("talent.funnel.registered").into(),
            count: f.registered.text(),
            target: String::new(),
            of_target: String::new(),
            href: link("?stage=registered"),
        },
        FunnelRow {
            label: t("talent.funnel.into_work").into(),
            count: f.into_work.text(),
            target: target_text(r.target_into_work),
            of_target: pct(&f.into_work, r.target_into_work),
            href: String::new(),
        },
        FunnelRow {
            label: t("talent.funnel.into_nhs").into(),
            count: f.into_nhs.text(),
            target: String::new(),
            of_target: String::new(),
            href: link("?work=nhs"),
        },
        FunnelRow {
            label: t("talent.funnel.into_care").into(),
            count: f.into_care.text(),
            target: String::new(),
            of_target: String::new(),
            href: link("?work=care_sector"),
        },
        FunnelRow {
            label: t("talent.funnel.into_other").into(),
            count: f.into_other.text(),
            target: String::new(),
            of_target: String::new(),
            href: link("?work=other"),
        },
    ];
    // Nobody recorded yet: the funnel is not known (as the home page says),
    // not a row of zeros against the targets.
    let nobody = f.engaged.value() == Some(0);
    let funnel: Vec<FunnelRow> = if nobody {
        funnel
            .into_iter()
            .map(|r| FunnelRow {
                count: t("anchors.coverage.not_known").into(),
                of_target: String::new(),
                ..r
            })
            .collect()
    } else {
        funnel
    };
    let bars: Vec<Bar> = if nobody {
        Vec::new()
    } else {
        funnel
            .iter()
            .zip(f.all_cells())
            .map(|(row, c)| bar(row.label.clone(), c))
            .collect()
    };
    let funnel_rows = crate::http::charts::rows(&bars);
    let funnel_chart = bar_chart(
        "funnel",
        t("talent.funnel.title"),
        t("talent.funnel.desc"),
        &bars,
    );
    let text = |n: Option<i64>| n.map(|d| d.to_string()).unwrap_or_default();
    let barriers: Vec<BarrierRow> = r
        .barriers
        .lines
        .iter()
        .map(|b| BarrierRow {
            label: t(&b.line.barrier.label_key()).into(),
            rule: b.line.rule.clone().unwrap_or_default(),
            people: b.people.text(),
            open: text(b.line.open.map(|n| n as i64)),
            resolved: text(b.line.resolved.map(|n| n as i64)),
            median_days: text(b.line.median_days),
            longest_open: text(b.line.longest_open_days),
        })
        .collect();
    let bbars: Vec<Bar> = barriers
        .iter()
        .zip(&r.barriers.lines)
        .take(10)
        .map(|(b, p)| {
            bar(
                short(if b.rule.is_empty() { &b.label } else { &b.rule }),
                &p.people,
            )
        })
        .collect();
    let barrier_rows = barriers
        .iter()
        .take(10)
        .map(|b| Row {
            label: if b.rule.is_empty() {
                b.label.clone()
            } else {
                b.rule.clone()
            },
            value: b.people.clone(),
        })
        .collect();
    let barrier_chart = bar_chart(
        "barriers",
        t("talent.barriers.title"),
        t("talent.barriers.desc"),
        &bbars,
    );
    let savings = r
        .savings
        .bands
        .iter()
        .map(|b| SavingRow {
            band: b.band.clone(),
            posts: b.posts.text(),
            basic: format_pence(b.basic.0),
            pay_year: b.pay_year.clone(),
            per_year_low: b.per_year_conservative.text(),
            per_year_central: b.per_year_central.text(),
            to_date_low: b.to_date_conservative.text(),
            to_date_central: b.to_date_central.text(),
        })
        .collect();
    let sbars: Vec<Bar> = r
        .savings
        .bands
        .iter()
        .map(|b| Bar {
            label: tf("talent.band", &[("band", &b.band)]),
            value: b.per_year_central.value().map_or(0, |m| m.0) as f64,
            display: b.per_year_central.text(),
        })
        .collect();
    let mut counts: Vec<&Cell> = f.all_cells().to_vec();
    counts.extend(r.barriers.lines.iter().map(|b| &b.people));
    counts.push(&r.barriers.people_with_any);
    counts.extend(r.savings.bands.iter().map(|b| &b.posts));
    counts.push(&r.savings.posts);
    counts.push(&r.savings.posts_not_costed);
    let sv = &r.savings;
    let savings_rows = crate::http::charts::rows(&sbars);
    let savings_chart = bar_chart(
        "savings",
        t("talent.savings.chart"),
        t("talent.savings.chart_desc"),
        &sbars,
    );
    let layout = Layout::new(&app, &ctx, t("talent.title"), "talent").await?;
    Ok(render(&ResultsPage {
        savings_chart,
        savings_rows,
        layout,
        funnel,
        funnel_chart,
        funnel_rows,
        nobody: nobody.then(|| {
            (
                t("indicators.step.talent_people").to_string(),
                if ctx.can(Capability::EditPeople) {
                    format!("{base}/people/new")
                } else {
                    String::new()
                },
            )
        }),
        barriers,
        barrier_chart,
        barrier_rows,
        savings,
        savings_total_low: sv.per_year_conservative.text(),
        savings_total_central: sv.per_year_central.text(),
        savings_to_date_low: sv.to_date_conservative.text(),
        savings_to_date_central: sv.to_date_central.text(),
        not_costed: sv.posts_not_costed.value(),
        not_costed_text: sv.posts_not_costed.text(),
        exact: r.viewer.exact(),
        threshold_text: tf(
            "talent.results.threshold",
            &[("k", &r.viewer.k().to_string())],
        ),
        can_threshold: ctx.can(Capability::ManageDisclosure),
        programme_base: format!("/p/{}", ctx.programme()?.slug),
        exact_label: r.viewer.label().map(|m| m.text()),
        notes: notes(counts).iter().map(|m| m.text()).collect(),
        savings_lead: tf(
            "talent.savings.lead",
            &[
                ("on_cost", &bp_pct(s.savings.on_cost_bp)),
                ("cap", &bp_pct(s.savings.cap_premium_bp)),
                ("observed", &bp_pct(s.savings.observed_premium_bp)),
            ],
        ),
        can_people,
        can_match: ctx.can(Capability::EditPeople),
        can_vacancies: ctx.can(Capability::ManageVacancies),
        can_settings: ctx.can(Capability::ManageTalentSettings),
        base,
    })?)
}
