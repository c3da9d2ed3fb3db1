//! The directory of social enterprises: search, filter by service, order,
//! download as CSV (open data, with org-ids), add one no register knows.

use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::enterprise::directory_csv::directory_file;
use useit_app::enterprise::profiles::{DirectoryRow, add_enterprise, directory};
use useit_app::enterprise::records::sustainability;
use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::enterprise::income::YearCount;
use useit_core::enterprise::profile::{EnterpriseQuery, NewEnterpriseInput};
use useit_core::enterprise::services::taxonomy;
use useit_core::i18n::{format_count, t, tn};
use useit_core::listing::{Page, PageRequest, SortDir};
use useit_core::money::format_pence;
use useit_core::programme::indicators::Indicator;
use useit_core::programme::saved_filter::SavedList;

use super::view::{base, legal_form_name, services_text, share_text};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::forms::query;
use crate::http::saved_filters::SavedFilters;
use crate::http::views::{
    Choice, FormErrors, Layout, ListLinks, Pager, csv_download, render_status,
};
use crate::i18n::filters;
use crate::state::AppState;

pub struct Line {
    pub name: String,
    pub href: String,
    pub org_id: String,
    pub legal_form: String,
    pub services: String,
    pub turnover: String,
    pub supported: bool,
    pub earned: String,
}

pub struct TrendLine {
    pub year: String,
    pub mostly_earned: String,
    pub mostly_given: String,
    pub not_known: String,
}

#[derive(Template)]
#[template(path = "enterprise/directory.html")]
struct DirectoryPage {
    layout: Layout,
    base: String,
    lines: Vec<Line>,
    count: String,
    /// What the page says when nothing matches (enterprises, or organisations).
    none: String,
    pager: Pager,
    params: EnterpriseQuery,
    services: Vec<Choice>,
    sorts: Vec<Choice>,
    csv_href: String,
    /// What a home page figure counts, when the list is filtered to it.
    counted: String,
    trend: Vec<TrendLine>,
    trend_svg: String,
    can_edit: bool,
    errors: FormErrors,
    form: NewEnterpriseInput,
    saved: SavedFilters,
}

fn line(base: &str, r: &DirectoryRow) -> Line {
    let e = &r.enterprise;
    Line {
        name: e.name.clone(),
        href: format!("{base}/enterprises/{}", e.id),
        org_id: e.org_id.clone(),
        legal_form: legal_form_name(e),
        services: e
            .profile
            .as_ref()
            .map(|p| services_text(&p.services))
            .unwrap_or_default(),
        turnover: e
            .profile
            .as_ref()
            .and_then(|p| p.turnover)
            .map(format_pence)
            .unwrap_or_else(|| t("enterprise.not_known").to_string()),
        supported: r.supported,
        earned: share_text(r.earned_share_bp),
    }
}

fn trend_line(y: &YearCount) -> TrendLine {
    TrendLine {
        year: format!("{}–{:02}", y.year, (y.year + 1) % 100),
        mostly_earned: format_count(u64::from(y.mostly_earned)),
        mostly_given: format_count(u64::from(y.mostly_given)),
        not_known: format_count(u64::from(y.not_known)),
    }
}

/// Which page of the directory a link asks for (the filters are
/// [`EnterpriseQuery`]); anything but a number is the first.
#[derive(Debug, Default, serde::Deserialize)]
pub struct PageNumber {
    #[serde(default)]
    page: String,
}

impl PageNumber {
    fn number(&self) -> u32 {
        self.page.trim().parse::<u32>().unwrap_or(1).max(1)
    }
}

async fn view(
    app: &AppState,
    ctx: &Ctx,
    params: EnterpriseQuery,
    page: u32,
    form: NewEnterpriseInput,
    errors: FormErrors,
) -> Result<DirectoryPage, AppError> {
    let base = base(ctx)?;
    let caller = ctx.caller()?;
    let rows = directory(app.store.as_ref(), &caller, &params).await?;
    let total = rows.len() as u64;
    let per_page = PageRequest::DEFAULT_PER_PAGE;
    let last_page = total.div_ceil(u64::from(per_page)).max(1) as u32;
    let shown = Page::of(
        rows,
        PageRequest {
            page: page.min(last_page),
            per_page,
        },
    );
    let links = ListLinks {
        path: base.clone(),
        params: vec![
            ("q".to_string(), params.q.clone()),
            ("service".to_string(), params.service.clone()),
            ("counted".to_string(), params.counted.clone()),
            ("from".to_string(), params.from.clone()),
            ("to".to_string(), params.to.clone()),
        ],
        sort: params.sort.clone(),
        dir: SortDir::Asc,
    };
    let last = clock::today().year() - 1;
    let trend = sustainability(app.store.as_ref(), &caller, last - 2, last).await?;
    let mut services = vec![Choice::new("", t("enterprise.directory.any_service"))];
    services.extend(
        taxonomy()
            .services
            .into_iter()
            .map(|s| Choice::new(s.code, s.name)),
    );
    // The organisations a home page figure counts are not all
    // enterprises: said as organisations.
    let counted = params.counted();
    let organisations = matches!(
        counted.map(|c| c.indicator),
        Some(Indicator::OrganisationsWorkedWith | Indicator::LocalPartners)
    );
    Ok(DirectoryPage {
        layout: Layout::new(app, ctx, t("enterprise.directory.title"), "enterprise")
            .await?
            .with_errors(&errors),
        count: if organisations {
            tn("enterprise.directory.count_organisations", total)
        } else {
            tn("enterprise.directory.count", total)
        },
        none: t(if organisations {
            "enterprise.directory.none_organisations"
        } else {
            "enterprise.directory.none"
        })
        .into(),
        lines: shown.items.iter().map(|r| line(&base, r)).collect(),
        pager: Pager::new(&shown, &links),
        csv_href: format!(
            "{base}/enterprises.csv{}",
            query(&[
                ("q", &params.q),
                ("service", &params.service),
                ("sort", &params.sort),
                ("counted", &params.counted),
                ("from", &params.from),
                ("to", &params.to),
            ])
        ),
        services,
        counted: counted.map(|c| c.note()).unwrap_or_default(),
        sorts: vec![
            Choice::new("name", t("enterprise.directory.sort.name")),
            Choice::new("turnover", t("enterprise.directory.sort.turnover")),
        ],
        trend: trend.iter().map(trend_line).collect(),
        trend_svg: super::charts::programme_chart(&trend),
        can_edit: ctx.can(Capability::EditEnterprises),
        saved: SavedFilters::load(app, ctx, SavedList::Enterprises).await?,
        params,
        base,
        errors,
        form,
    })
}

pub async fn directory_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(params): Query<EnterpriseQuery>,
    Query(number): Query<PageNumber>,
) -> Result<Response, PageError> {
    let page = view(
        &app,
        &ctx,
        params,
        number.number(),
        NewEnterpriseInput::default(),
        FormErrors::default(),
    )
    .await?;
    Ok(render_status(StatusCode::OK, &page)?)
}

/// The directory as CSV: every profile field with the org-id (open data);
/// the file imports back on the import page.
pub async fn directory_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(params): Query<EnterpriseQuery>,
) -> Result<Response, PageError> {
    let body = directory_file(app.store.as_ref(), &ctx.caller()?, &params).await?;
    Ok(csv_download(&ctx, "enterprises", body)?)
}

/// Adds an enterprise no register knows, then opens its profile form.
pub async fn add_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(form): Form<NewEnterpriseInput>,
) -> Result<Response, PageError> {
    match add_enterprise(app.store.as_ref(), &ctx.caller()?, &form).await {
        Ok(e) => Ok(
            Redirect::to(&format!("{}/enterprises/{}/profile", base(&ctx)?, e.id)).into_response(),
        ),
        Err(err) => {
            let errors = FormErrors::from_error(err.into(), &[])?;
            let page = view(&app, &ctx, EnterpriseQuery::default(), 1, form, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
    }
}
