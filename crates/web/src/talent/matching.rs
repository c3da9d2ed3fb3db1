//! The matching page: the optimal proposals over the caller's caseload (each
//! confirmed with one click) above the placements list.

use askama::Template;
use axum::extract::{Form, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::talent::matching::{confirm, placements, proposals};
use useit_core::clock;
use useit_core::i18n::{t, tf};
use useit_core::listing::{Page, PageRequest};
use useit_core::talent::casework::PlacementStatus;
use useit_core::talent::person::Placement;
use useit_core::talent::placement::{ConfirmInput, PlacementParams};
use uuid::Uuid;

use super::view::{ProposalView, base};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{Choice, FormErrors, Layout, ListLinks, Pager, render_status};
use crate::i18n::filters;
use crate::state::AppState;

pub struct PlacementLine {
    pub id: Uuid,
    pub person_id: Uuid,
    pub person: String,
    pub vacancy: String,
    pub status: String,
    pub score: i64,
    pub moves: Vec<Choice>,
    pub since: String,
}

#[derive(Template)]
#[template(path = "talent/matching.html")]
struct MatchingPage {
    layout: Layout,
    base: String,
    proposals: Vec<ProposalView>,
    placements: Page<PlacementLine>,
    links: ListLinks,
    pager: Pager,
    csv_href: String,
    params: PlacementParams,
    statuses: Vec<Choice>,
    errors: FormErrors,
    today: String,
    move_choices: Vec<Choice>,
}

fn placement_line(p: &Placement) -> PlacementLine {
    PlacementLine {
        id: p.id,
        person_id: p.person_id,
        person: p
            .person_name
            .clone()
            .unwrap_or_else(|| t("talent.person.erased_title").to_string()),
        vacancy: p.vacancy_title.clone(),
        status: t(&p.status.label_key()).to_string(),
        score: p.score,
        moves: p
            .status
            .next()
            .iter()
            .map(|s| Choice::new(s.slug(), t(&s.label_key())))
            .collect(),
        since: p
            .left_on
            .or(p.started_on)
            .unwrap_or(p.updated_at.date())
            .to_string(),
    }
}

pub(super) async fn matching_view(
    app: &AppState,
    ctx: &Ctx,
    params: PlacementParams,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let base = base(ctx)?;
    let caller = ctx.caller()?;
    let proposals = proposals(app.store.as_ref(), &caller)
        .await?
        .iter()
        .map(ProposalView::of)
        .collect();
    let selected = placements(app.store.as_ref(), &caller, &params, "matching page").await?;
    let placements = Page::of(selected, PageRequest::new(params.page, params.per_page))
        .map(|p| placement_line(&p));
    let links = ListLinks {
        path: format!("{base}/matching"),
        params: vec![
            ("q".into(), params.q.clone()),
            ("status".into(), params.status.clone()),
        ],
        sort: params.sort().into(),
        dir: params.dir(),
    };
    let pager = Pager::new(&placements, &links);
    let mut statuses = vec![
        Choice::new("", t("talent.placements.any_status")),
        Choice::new("current", t("talent.placements.current")),
    ];
    statuses.extend(
        PlacementStatus::ALL
            .iter()
            .map(|s| Choice::new(s.slug(), t(&s.label_key()))),
    );
    let status = errors.status();
    render_status(
        status,
        &MatchingPage {
            layout: Layout::new(app, ctx, t("talent.matching.title"), "talent")
                .await?
                .with_errors(&errors),
            csv_href: links.csv_href(&format!("{base}/placements.csv")),
            base,
            proposals,
            placements,
            pager,
            links,
            params,
            statuses,
            errors,
            today: clock::today().to_string(),
            move_choices: super::bulk::move_choices(),
        },
    )
}

pub async fn matching_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(params): Query<PlacementParams>,
) -> Result<Response, PageError> {
    Ok(matching_view(&app, &ctx, params, FormErrors::default()).await?)
}

/// After an action on the matching page: back to it with a message, or the
/// page again with the form's errors, each leading to `control(field)`.
pub(super) async fn matching_outcome(
    app: &AppState,
    ctx: &Ctx,
    result: useit_app::Result<Placement>,
    message: impl FnOnce(&Placement) -> String,
    anchor: &str,
    control: impl Fn(&str) -> String,
) -> Result<Response, PageError> {
    match result.map_err(AppError::from) {
        Ok(pl) => {
            ctx.flash(message(&pl)).await;
            Ok(Redirect::to(&format!("{}/matching{anchor}", base(ctx)?)).into_response())
        }
        Err(e @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
            let errors = FormErrors::from_error(e, &[])?.anchored(control);
            Ok(matching_view(app, ctx, PlacementParams::default(), errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn matching_confirm(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<ConfirmInput>,
) -> Result<Response, PageError> {
    let result = confirm(app.store.as_ref(), &ctx.caller()?, &f).await;
    let message = |pl: &Placement| {
        tf(
            "talent.placement.confirmed",
            &[
                ("name", pl.person_name.as_deref().unwrap_or("")),
                ("vacancy", &pl.vacancy_title),
            ],
        )
    };
    matching_outcome(&app, &ctx, result, message, "", str::to_string).await
}
