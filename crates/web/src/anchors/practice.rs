//! The practice changes log (issue 17.5): what each anchor changed and
//! when, and the interaction or talent barrier that prompted it; and the
//! anchor's own page, where the log sits beside the figures it moved (its
//! spend, its interactions over time).

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use useit_app::anchors::anchor::{anchors, overview};
use useit_app::anchors::interactions::{
    add_practice_change, interaction_figures, interactions, practice_changes,
};
use useit_core::anchors::coverage;
use useit_core::anchors::interactions::InteractionQuery;
use useit_core::anchors::measures::Geography;
use useit_core::anchors::practice::{PracticeChange, PracticeInput, PracticeKind};
use useit_core::auth::Capability;
use useit_core::clock::iso_date;
use useit_core::i18n::{format_count, t, tf};
use useit_core::money::format_pence;
use useit_core::talent::casework::Barrier;

use super::interaction_svg::{count_chart, month_label};
use super::view::{anchor_choices, base, judged_share};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::forms::{DateParts, query};
use crate::http::views::{Choice, FormErrors, Layout, render, render_status};
use crate::i18n::filters;
use crate::state::AppState;

/// A practice change as a row of the log.
pub struct ChangeRow {
    pub changed_on: String,
    pub anchor: String,
    pub anchor_href: String,
    pub kind: String,
    pub summary: String,
    /// What prompted it, in words: an interaction's organisation, a barrier.
    pub prompted_by: String,
}

fn change_row(base: &str, c: &PracticeChange) -> ChangeRow {
    let mut prompted = Vec::new();
    if let Some(o) = &c.interaction_organisation {
        prompted.push(tf(
            "anchors.practice.prompted_by_interaction",
            &[("organisation", o)],
        ));
    }
    if let Some(b) = c.barrier {
        prompted.push(tf(
            "anchors.practice.prompted_by_barrier",
            &[("barrier", t(&b.label_key()))],
        ));
    }
    ChangeRow {
        changed_on: iso_date(c.changed_on),
        anchor: c.anchor_name.clone(),
        anchor_href: format!("{base}/{}", c.anchor),
        kind: t(c.kind.label_key()).to_string(),
        summary: c.summary.clone(),
        prompted_by: prompted.join("; "),
    }
}

#[derive(Template)]
#[template(path = "anchors/practice.html")]
struct LogPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    rows: Vec<ChangeRow>,
    anchor: String,
    anchors: Vec<Choice>,
    filter_anchors: Vec<Choice>,
    kinds: Vec<Choice>,
    interactions: Vec<Choice>,
    barriers: Vec<Choice>,
    form: PracticeInput,
    changed_on: DateParts,
    can_manage: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LogQuery {
    anchor: String,
}

async fn log_view(
    app: &AppState,
    ctx: &Ctx,
    anchor: &str,
    form: PracticeInput,
    changed_on: DateParts,
    errors: FormErrors,
) -> Result<LogPage, AppError> {
    let caller = ctx.caller()?;
    let base = base(ctx)?;
    let which = Some(anchor).filter(|a| !a.is_empty());
    let rows = practice_changes(app.store.as_ref(), &caller, which)
        .await?
        .iter()
        .map(|c| change_row(&base, c))
        .collect();
    let list = anchors(app.store.as_ref(), &caller).await?;
    let can_manage = ctx.can(Capability::ManageInteractions);
    let mut interaction_choices = vec![Choice::new("", t("anchors.practice.no_interaction"))];
    let mut barriers = vec![Choice::new("", t("anchors.practice.no_barrier"))];
    if can_manage {
        let all = interactions(
            app.store.as_ref(),
            &caller,
            &InteractionQuery {
                anchor: which.map(String::from),
                sort: Some("organisation".into()),
                ..Default::default()
            },
        )
        .await?;
        interaction_choices.extend(all.iter().map(|i| {
            Choice::new(
                i.id.to_string(),
                format!(
                    "{} – {} – {} ({})",
                    i.anchor_name,
                    i.organisation_name,
                    t(i.kind.label_key()),
                    useit_core::clock::display_date(i.started_on)
                ),
            )
        }));
        barriers.extend(
            Barrier::ALL
                .iter()
                .map(|b| Choice::new(b.slug(), t(&b.label_key()))),
        );
    }
    let mut kinds = vec![Choice::new("", t("anchors.practice.choose_kind"))];
    kinds.extend(
        PracticeKind::ALL
            .iter()
            .map(|k| Choice::new(k.slug(), t(k.label_key()))),
    );
    let layout = Layout::new(app, ctx, t("anchors.practice.title"), "interactions")
        .await?
        .with_errors(&errors);
    Ok(LogPage {
        layout,
        errors,
        rows,
        anchor: anchor.to_string(),
        anchors: anchor_choices(&list, "anchors.spend.import.choose_anchor"),
        filter_anchors: anchor_choices(&list, "anchors.interactions.any_anchor"),
        kinds,
        interactions: interaction_choices,
        barriers,
        form,
        changed_on,
        can_manage,
        base,
    })
}

pub async fn log_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<LogQuery>,
) -> Result<Response, PageError> {
    let form = PracticeInput {
        anchor: q.anchor.clone(),
        ..Default::default()
    };
    let page = log_view(
        &app,
        &ctx,
        &q.anchor,
        form,
        DateParts::default(),
        FormErrors::default(),
    )
    .await?;
    Ok(render(&page)?)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PracticeForm {
    anchor: String,
    changed_on_day: String,
    changed_on_month: String,
    changed_on_year: String,
    kind: String,
    summary: String,
    interaction: String,
    barrier: String,
}

pub async fn add(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<PracticeForm>,
) -> Result<Response, PageError> {
    let date = DateParts {
        day: f.changed_on_day,
        month: f.changed_on_month,
        year: f.changed_on_year,
    };
    let input = PracticeInput {
        anchor: f.anchor,
        changed_on: date.iso(),
        kind: f.kind,
        summary: f.summary,
        interaction: f.interaction,
        barrier: f.barrier,
    };
    match add_practice_change(app.store.as_ref(), &ctx.caller()?, &input).await {
        Ok(_) => {
            ctx.flash(t("anchors.practice.saved")).await;
            let to = format!(
                "{}/practice{}",
                base(&ctx)?,
                query(&[("anchor", &input.anchor)])
            );
            Ok(Redirect::to(&to).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &["changed_on"])?;
            let anchor = input.anchor.clone();
            let page = log_view(&app, &ctx, &anchor, input, date, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
    }
}

#[derive(Template)]
#[template(path = "anchors/anchor.html")]
struct AnchorPage {
    layout: Layout,
    base: String,
    kind: String,
    official_code: String,
    sites: String,
    influenceable: String,
    local: String,
    in_force: String,
    count_svg: String,
    months: Vec<(String, u64)>,
    rows: Vec<ChangeRow>,
    spend_href: String,
    interactions_href: String,
    practice_href: String,
    can_manage: bool,
}

/// The anchor's own page: who it is, its figures and the practice changes
/// beside them.
pub async fn anchor_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, slug)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let caller = ctx.caller()?;
    let base = base(&ctx)?;
    let summary = overview(app.store.as_ref(), &caller, &app.ledgers)
        .await?
        .into_iter()
        .find(|s| s.anchor.slug == slug)
        .ok_or(AppError::NotFound)?;
    let a = &summary.anchor;
    let f = interaction_figures(app.store.as_ref(), &caller).await?;
    let series: Vec<_> = f.series.into_iter().filter(|s| s.anchor == slug).collect();
    let count_svg = count_chart(
        "anchor-interactions",
        t("anchors.interactions.chart.title"),
        &tf(
            "anchors.interactions.chart.desc",
            &[
                ("anchors", "1"),
                (
                    "now",
                    &format_count(series.iter().filter_map(|s| s.counts.last()).sum()),
                ),
            ],
        ),
        &f.months,
        &series,
    );
    let months = series
        .first()
        .map(|s| {
            f.months
                .iter()
                .zip(&s.counts)
                .map(|(m, c)| (month_label(*m), *c))
                .collect()
        })
        .unwrap_or_default();
    let in_force = series
        .first()
        .and_then(|s| s.counts.last().copied())
        .unwrap_or(0);
    let changes = practice_changes(app.store.as_ref(), &caller, Some(&slug))
        .await?
        .iter()
        .map(|c| change_row(&base, c))
        .collect();
    let layout = Layout::new(&app, &ctx, a.name.clone(), "anchors").await?;
    let page = AnchorPage {
        layout,
        kind: t(&format!("anchors.anchor.kind.{}", a.kind.slug())).to_string(),
        official_code: a.official_code.clone().unwrap_or_default(),
        sites: a
            .sites
            .iter()
            .map(|s| format!("{} ({})", s.name, s.postcode))
            .collect::<Vec<_>>()
            .join("; "),
        influenceable: format_pence(summary.measures.influenceable),
        local: judged_share(&coverage::local(
            &summary.measures,
            &summary.setup,
            Geography::AreaOfBenefit,
        )),
        in_force: format_count(in_force),
        count_svg,
        months,
        rows: changes,
        spend_href: format!("{base}/spend{}", query(&[("anchor", &slug)])),
        interactions_href: format!("{base}/interactions{}", query(&[("anchor", &slug)])),
        practice_href: format!("{base}/practice{}", query(&[("anchor", &slug)])),
        can_manage: ctx.can(Capability::ManageInteractions),
        base,
    };
    Ok(render(&page)?)
}
