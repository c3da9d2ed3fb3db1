//! Community researchers: the coordinator's list (filters, page, CSV) with
//! a form to add one; one researcher's page (the coordinator, or the
//! researcher themself) with the form to change them, erasure and the
//! subject access export. Every read is audited by the app.

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use useit_app::programme::stories::researcher_export as export_with_stories;
use useit_app::research::researchers::{
    create_researcher, erase_researcher, researcher, researchers, researchers_file,
    update_researcher,
};
use useit_core::auth::Capability;
use useit_core::i18n::{Message, t, tf};
use useit_core::listing::{Page, SortDir};
use useit_core::research::researcher::{Researcher, ResearcherInput, ResearcherParams};
use uuid::Uuid;

use super::view::{base, bases, channels, completion, payer_cell};
use useit_app::research::assignments::researcher_assignments;
use useit_app::research::income::researcher_income;
use useit_core::clock::display_date;
use useit_core::research::income::Payer;

/// A project the researcher is assigned to, as their page lists it.
pub struct AssignedLine {
    pub href: String,
    pub title: String,
    pub from: String,
    pub to: String,
}
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{
    Choice, FormErrors, Layout, ListLinks, Pager, csv_download, render_status,
};
use crate::i18n::filters;
use crate::state::AppState;

pub struct ResearcherLine {
    pub href: String,
    pub name: String,
    pub channel: String,
    pub recruited_on: String,
    pub decile: String,
    pub accredited: String,
    pub languages: String,
}

fn line(base: &str, r: &Researcher) -> ResearcherLine {
    let d = &r.draft;
    ResearcherLine {
        // An erased record (listed only under a home page figure) keeps no
        // name and has no page to open.
        href: if r.erased_at.is_some() {
            String::new()
        } else {
            format!("{base}/researchers/{}", r.id)
        },
        name: if r.erased_at.is_some() {
            t("research.researcher.erased_row").into()
        } else {
            d.full_name.clone()
        },
        channel: t(&d.channel.label_key()).into(),
        recruited_on: useit_core::clock::display_date(d.recruited_on),
        decile: r
            .decile
            .map(|d| d.to_string())
            .unwrap_or_else(|| t("research.not_known").into()),
        accredited: r
            .accredited_on()
            .map(useit_core::clock::display_date)
            .unwrap_or_else(|| t("research.researcher.not_yet").into()),
        languages: d.languages.join(", "),
    }
}

#[derive(Template)]
#[template(path = "research/researchers.html")]
struct ResearchersPage {
    layout: Layout,
    base: String,
    researchers: Page<ResearcherLine>,
    pager: Pager,
    csv_href: String,
    /// What a home page figure counts, when the list is filtered to it.
    counted: String,
    params: ResearcherParams,
    channel_filter: Vec<Choice>,
    accredited_filter: Vec<Choice>,
    errors: FormErrors,
    form: ResearcherInput,
    channels: Vec<Choice>,
    bases: Vec<Choice>,
}

async fn list_view(
    app: &AppState,
    ctx: &Ctx,
    params: ResearcherParams,
    form: ResearcherInput,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let base = base(ctx)?;
    let page = researchers(app.store.as_ref(), &ctx.caller()?, &params).await?;
    let researchers = page.map(|r| line(&base, &r));
    let links = ListLinks {
        path: format!("{base}/researchers"),
        params: vec![
            ("q".into(), params.q.clone().unwrap_or_default()),
            ("channel".into(), params.channel.clone().unwrap_or_default()),
            (
                "accredited".into(),
                params.accredited.clone().unwrap_or_default(),
            ),
            ("counted".into(), params.counted.clone().unwrap_or_default()),
            ("from".into(), params.from.clone().unwrap_or_default()),
            ("to".into(), params.to.clone().unwrap_or_default()),
        ],
        sort: "name".into(),
        dir: SortDir::Asc,
    };
    let pager = Pager::new(&researchers, &links);
    render_status(
        errors.status(),
        &ResearchersPage {
            layout: Layout::new(app, ctx, t("research.researchers.title"), "research")
                .await?
                .with_errors(&errors),
            csv_href: links.csv_href(&format!("{base}/researchers.csv")),
            base,
            researchers,
            pager,
            counted: params.counted().map(|c| c.note()).unwrap_or_default(),
            params,
            channel_filter: channels("research.any_channel"),
            accredited_filter: vec![
                Choice::new("", t("research.any")),
                Choice::new("yes", t("research.researcher.accredited")),
                Choice::new("no", t("research.researcher.not_yet")),
            ],
            errors,
            form,
            channels: channels("research.choose"),
            bases: bases(),
        },
    )
}

pub async fn researchers_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(params): Query<ResearcherParams>,
) -> Result<Response, PageError> {
    Ok(list_view(
        &app,
        &ctx,
        params,
        ResearcherInput::default(),
        FormErrors::default(),
    )
    .await?)
}

pub async fn researchers_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(params): Query<ResearcherParams>,
) -> Result<Response, PageError> {
    let body = researchers_file(app.store.as_ref(), &ctx.caller()?, &params).await?;
    Ok(csv_download(&ctx, "researchers", body)?)
}

pub async fn researcher_create(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<ResearcherInput>,
) -> Result<Response, PageError> {
    match create_researcher(app.store.as_ref(), &ctx.caller()?, &f).await {
        Ok(r) => {
            ctx.flash(tf(
                "research.researcher.saved",
                &[("name", &r.draft.full_name)],
            ))
            .await;
            Ok(Redirect::to(&format!("{}/researchers/{}", base(&ctx)?, r.id)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(list_view(&app, &ctx, ResearcherParams::default(), f, errors).await?)
        }
    }
}

#[derive(Template)]
#[template(path = "research/researcher.html")]
struct ResearcherPage {
    layout: Layout,
    base: String,
    action: String,
    id: Uuid,
    r: ResearcherLine,
    erased: bool,
    training: Vec<String>,
    accreditation: String,
    /// The projects the researcher is assigned to: title, link, from, to.
    assignments: Vec<AssignedLine>,
    /// Income by year: the year, from the programme, from the Social Lab.
    income: Vec<(i32, String, String)>,
    manage: bool,
    errors: FormErrors,
    form: ResearcherInput,
    channels: Vec<Choice>,
    bases: Vec<Choice>,
}

async fn researcher_view(
    app: &AppState,
    ctx: &Ctx,
    id: Uuid,
    form: Option<ResearcherInput>,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let caller = ctx.caller()?;
    let r = researcher(app.store.as_ref(), &caller, id).await?;
    let assigned = researcher_assignments(app.store.as_ref(), &caller, id).await?;
    let earned = researcher_income(app.store.as_ref(), &caller, id).await?;
    let base = base(ctx)?;
    let base_for_lines = base.clone();
    let title = if r.erased_at.is_some() {
        t("research.researcher.erased_title").to_string()
    } else {
        r.draft.full_name.clone()
    };
    let accreditation = match &r.draft.accreditation {
        Some(a) => tf(
            "research.researcher.accreditation_text",
            &[
                ("qualification", &a.qualification),
                ("level", &a.level),
                ("body", &a.awarding_body),
                ("date", &useit_core::clock::display_date(a.accredited_on)),
            ],
        ),
        None => t("research.researcher.not_yet").into(),
    };
    render_status(
        errors.status(),
        &ResearcherPage {
            layout: Layout::new(app, ctx, title, "research")
                .await?
                .with_errors(&errors),
            action: format!("{base}/researchers/{id}"),
            id,
            r: line(&base, &r),
            base,
            erased: r.erased_at.is_some(),
            training: r.draft.training.iter().map(completion).collect(),
            assignments: assigned
                .iter()
                .map(|a| AssignedLine {
                    href: format!("{base_for_lines}/projects/{}", a.project_id),
                    title: a.project_title.clone(),
                    from: display_date(a.starts_on),
                    to: a
                        .ends_on
                        .map(display_date)
                        .unwrap_or_else(|| t("research.assignment.open").into()),
                })
                .collect(),
            income: earned
                .years
                .iter()
                .map(|y| {
                    (
                        y.year,
                        payer_cell(y.payer(Payer::Programme)),
                        payer_cell(y.payer(Payer::SocialLab)),
                    )
                })
                .collect(),
            accreditation,
            manage: ctx.can(Capability::ManageResearch),
            errors,
            form: form.unwrap_or_else(|| r.draft.to_input()),
            channels: channels("research.choose"),
            bases: bases(),
        },
    )
}

pub async fn researcher_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<Response, PageError> {
    Ok(researcher_view(&app, &ctx, id, None, FormErrors::default()).await?)
}

pub async fn researcher_update(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(f): Form<ResearcherInput>,
) -> Result<Response, PageError> {
    match update_researcher(app.store.as_ref(), &ctx.caller()?, id, &f).await {
        Ok(r) => {
            ctx.flash(tf(
                "research.researcher.saved",
                &[("name", &r.draft.full_name)],
            ))
            .await;
            Ok(Redirect::to(&format!("{}/researchers/{id}", base(&ctx)?)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(researcher_view(&app, &ctx, id, Some(f), errors).await?)
        }
    }
}

#[derive(Deserialize)]
pub struct EraseForm {
    #[serde(default)]
    confirm: String,
}

pub async fn researcher_erase(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(f): Form<EraseForm>,
) -> Result<Response, PageError> {
    if f.confirm != "yes" {
        let errors = FormErrors::one("confirm", Message::new("research.erase.confirm_needed"));
        return Ok(researcher_view(&app, &ctx, id, None, errors).await?);
    }
    erase_researcher(app.store.as_ref(), &ctx.caller()?, id).await?;
    ctx.flash(t("research.erase.done").to_string()).await;
    Ok(Redirect::to(&format!("{}/researchers", base(&ctx)?)).into_response())
}

pub async fn researcher_export(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<Response, PageError> {
    let (r, stories) = export_with_stories(app.store.as_ref(), &ctx.caller()?, id).await?;
    let mut v = serde_json::to_value(&r).map_err(AppError::internal)?;
    v["stories"] = serde_json::to_value(&stories).map_err(AppError::internal)?;
    Ok(axum::Json(v).into_response())
}
