//! The strand's results page: the funnel against the programme's targets,
//! the barrier report and the savings against agency staff.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use useit_app::talent::results::results;
use useit_core::auth::Capability;
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

fn pct(part: u64, whole: Option<u64>) -> String {
    match whole {
        Some(w) if w > 0 => format!("{}%", (part * 100 + w / 2) / w),
        _ => String::new(),
    }
}

/// A target as the funnel shows it: blank when none is set.
fn target_text(t: Option<u64>) -> String {
    t.map(useit_core::i18n::format_count).unwrap_or_default()
}

pub struct FunnelRow {
    pub label: String,
    pub count: u64,
    pub target: String,
    pub of_target: String,
    pub href: String,
}

pub struct BarrierRow {
    pub label: String,
    pub rule: String,
    pub people: u64,
    pub open: u64,
    pub resolved: u64,
    pub median_days: i64,
    pub longest_open: String,
}

pub struct SavingRow {
    pub band: String,
    pub posts: u64,
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
    not_costed: u64,
    savings_lead: String,
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
            count: f.engaged,
            target: target_text(r.target_engaged),
            of_target: pct(f.engaged, r.target_engaged),
            href: link(""),
        },
        FunnelRow {
            label: t("talent.funnel.on_pathway").into(),
            count: f.on_pathway,
            target: String::new(),
            of_target: String::new(),
            href: link("?stage=on_pathway"),
        },
        FunnelRow {
            label: t("talent.funnel.registered").into(),
            count: f.registered,
            target: String::new(),
            of_target: String::new(),
            href: link("?stage=registered"),
        },
        FunnelRow {
            label: t("talent.funnel.into_work").into(),
            count: f.into_work(),
            target: target_text(r.target_into_work),
            of_target: pct(f.into_work(), r.target_into_work),
            href: String::new(),
        },
        FunnelRow {
            label: t("talent.funnel.into_nhs").into(),
            count: f.into_nhs,
            target: String::new(),
            of_target: String::new(),
            href: link("?work=nhs"),
        },
        FunnelRow {
            label: t("talent.funnel.into_care").into(),
            count: f.into_care,
            target: String::new(),
            of_target: String::new(),
            href: link("?work=care_sector"),
        },
        FunnelRow {
            label: t("talent.funnel.into_other").into(),
            count: f.into_other,
            target: String::new(),
            of_target: String::new(),
            href: link("?work=other"),
        },
    ];
    let bars: Vec<Bar> = funnel
        .iter()
        .map(|row| Bar {
            label: row.label.clone(),
            value: row.count as f64,
            display: row.count.to_string(),
        })
        .collect();
    let funnel_rows = crate::http::charts::rows(&bars);
    let funnel_chart = bar_chart(
        "funnel",
        t("talent.funnel.title"),
        t("talent.funnel.desc"),
        &bars,
    );
    let barriers: Vec<BarrierRow> = r
        .barriers
        .iter()
        .map(|b| BarrierRow {
            label: t(&b.barrier.label_key()).into(),
            rule: b.rule.clone().unwrap_or_default(),
            people: b.people,
            open: b.open,
            resolved: b.resolved,
            median_days: b.median_days,
            longest_open: b
                .longest_open_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
        })
        .collect();
    let bbars: Vec<Bar> = barriers
        .iter()
        .take(10)
        .map(|b| Bar {
            label: short(if b.rule.is_empty() { &b.label } else { &b.rule }),
            value: b.people as f64,
            display: b.people.to_string(),
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
            value: b.people.to_string(),
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
            posts: b.posts,
            basic: format_pence(b.basic_pence),
            pay_year: b.pay_year.clone(),
            per_year_low: format_pence(b.per_year_conservative_pence),
            per_year_central: format_pence(b.per_year_central_pence),
            to_date_low: format_pence(b.to_date_conservative_pence),
            to_date_central: format_pence(b.to_date_central_pence),
        })
        .collect();
    let sbars: Vec<Bar> = r
        .savings
        .bands
        .iter()
        .map(|b| Bar {
            label: tf("talent.band", &[("band", &b.band)]),
            value: b.per_year_central_pence as f64,
            display: format_pence(b.per_year_central_pence),
        })
        .collect();
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
        barriers,
        barrier_chart,
        barrier_rows,
        savings,
        savings_total_low: format_pence(r.savings.per_year_conservative_pence),
        savings_total_central: format_pence(r.savings.per_year_central_pence),
        savings_to_date_low: format_pence(r.savings.to_date_conservative_pence),
        savings_to_date_central: format_pence(r.savings.to_date_central_pence),
        not_costed: r.savings.posts_not_costed,
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
