//! The anchors' vacancies: the list (filters, sort, page, CSV), one
//! entered by hand.

use askama::Template;
use axum::extract::{Form, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::talent::vacancies::{save_vacancy, vacancies};
use useit_core::clock;
use useit_core::i18n::{t, tf};
use useit_core::listing::{Page, PageRequest};
use useit_core::talent::vacancy::{self, Vacancy, VacancyFields, VacancyParams};

use super::view::{base, professions};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{
    Choice, FormErrors, Layout, ListLinks, Pager, csv_download, render_status,
};
use crate::i18n::filters;
use crate::state::AppState;

pub struct VacancyLine {
    pub reference: String,
    pub title: String,
    pub role: String,
    pub band: String,
    pub site: String,
    pub posts: u32,
    pub held: u32,
    pub started: u32,
    pub opens_on: String,
    pub closes_on: String,
    pub anchor: String,
}

#[derive(Template)]
#[template(path = "talent/vacancies.html")]
struct VacanciesPage {
    layout: Layout,
    base: String,
    vacancies: Page<VacancyLine>,
    links: ListLinks,
    pager: Pager,
    csv_href: String,
    params: VacancyParams,
    role_filter: Vec<Choice>,
    states: Vec<Choice>,
    errors: FormErrors,
    form: VacancyFields,
    roles: Vec<Choice>,
}

fn vacancy_line(v: &Vacancy) -> VacancyLine {
    let i = &v.input;
    VacancyLine {
        reference: i.reference.clone(),
        title: i.title.clone(),
        role: professions()
            .role_name(&i.role)
            .unwrap_or_else(|| i.role.clone()),
        band: i.band.clone(),
        site: i
            .site_postcode
            .as_deref()
            .map(useit_core::words::postcode)
            .unwrap_or_default(),
        posts: i.posts,
        held: v.posts_held,
        started: v.posts_started,
        opens_on: i.opens_on.to_string(),
        closes_on: i.closes_on.map(|d| d.to_string()).unwrap_or_default(),
        anchor: i.anchor_slug.clone().unwrap_or_default(),
    }
}

async fn vacancies_view(
    app: &AppState,
    ctx: &Ctx,
    params: VacancyParams,
    form: VacancyFields,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let base = base(ctx)?;
    let selected = vacancies(app.store.as_ref(), &ctx.caller()?, &params).await?;
    let vacancies = Page::of(selected, PageRequest::new(params.page, params.per_page))
        .map(|v| vacancy_line(&v));
    let links = ListLinks {
        path: format!("{base}/vacancies"),
        params: vec![
            ("q".into(), params.q.clone()),
            ("role".into(), params.role.clone()),
            ("state".into(), params.state.clone()),
        ],
        sort: params.sort().into(),
        dir: params.dir(),
    };
    let pager = Pager::new(&vacancies, &links);
    let mut roles = vec![Choice::new("", t("talent.vacancy.choose_role"))];
    roles.extend(
        professions().roles().into_iter().map(|(c, n, b)| {
            Choice::new(c, format!("{n} ({})", tf("talent.band", &[("band", &b)])))
        }),
    );
    let mut role_filter = vec![Choice::new("", t("talent.vacancies.any_role"))];
    role_filter.extend(
        professions()
            .roles()
            .into_iter()
            .map(|(c, n, _)| Choice::new(c, n)),
    );
    let states = vec![
        Choice::new("", t("talent.vacancies.any_state")),
        Choice::new("open", t("talent.vacancies.open")),
        Choice::new("closed", t("talent.vacancies.closed")),
    ];
    let status = errors.status();
    render_status(
        status,
        &VacanciesPage {
            layout: Layout::new(app, ctx, t("talent.vacancies.title"), "talent")
                .await?
                .with_errors(&errors),
            csv_href: links.csv_href(&format!("{base}/vacancies.csv")),
            base,
            vacancies,
            pager,
            links,
            params,
            role_filter,
            states,
            errors,
            form,
            roles,
        },
    )
}

pub async fn vacancies_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(params): Query<VacancyParams>,
) -> Result<Response, PageError> {
    let form = VacancyFields {
        posts: "1".into(),
        opens_on: clock::today().to_string(),
        ..Default::default()
    };
    Ok(vacancies_view(&app, &ctx, params, form, FormErrors::default()).await?)
}

pub async fn vacancies_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(params): Query<VacancyParams>,
) -> Result<Response, PageError> {
    let rows: Vec<_> = vacancies(app.store.as_ref(), &ctx.caller()?, &params)
        .await?
        .into_iter()
        .map(|v| v.input)
        .collect();
    Ok(csv_download(&ctx, "vacancies", vacancy::write_csv(&rows))?)
}

pub async fn vacancy_save(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<VacancyFields>,
) -> Result<Response, PageError> {
    match save_vacancy(app.store.as_ref(), &ctx.caller()?, &f)
        .await
        .map_err(AppError::from)
    {
        Ok(v) => {
            ctx.flash(tf("talent.vacancy.saved", &[("title", &v.input.title)]))
                .await;
            Ok(Redirect::to(&format!("{}/vacancies", base(&ctx)?)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e, &[])?;
            Ok(vacancies_view(&app, &ctx, VacancyParams::default(), f, errors).await?)
        }
    }
}
