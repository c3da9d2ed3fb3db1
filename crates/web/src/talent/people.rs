//! The people list (filters, sort, page, the CSV that imports back) and the
//! form that adds or changes a person.

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::talent::caseworkers::caseworkers;
use useit_app::talent::people::{
    create_person, editable_person, people, people_file, update_person,
};
use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::i18n::{t, tf};
use useit_core::listing::{Page, PageRequest};
use useit_core::programme::saved_filter::SavedList;
use useit_core::talent::bulk::{BulkAction, BulkPeopleInput};
use useit_core::talent::casework::{
    FunnelStage, LawfulBasis, PersonInput, RightToWork, WorkOutcome,
};
use useit_core::talent::person::{PeopleParams, Person};
use uuid::Uuid;

use super::view::{base, choices, profession_choices, profession_name, stage_label};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::saved_filters::SavedFilters;
use crate::http::views::{
    Choice, FormErrors, Layout, ListLinks, Pager, csv_download, render, render_status,
};
use crate::i18n::filters;
use crate::state::AppState;

pub struct PersonLine {
    pub id: Uuid,
    pub name: String,
    pub profession: String,
    pub stage: String,
    pub work: String,
    pub caseworker: String,
    pub consent_withdrawn: bool,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "talent/people.html")]
struct PeoplePage {
    layout: Layout,
    base: String,
    people: Page<PersonLine>,
    links: ListLinks,
    pager: Pager,
    csv_href: String,
    q: String,
    profession: String,
    stage: String,
    work: String,
    caseworker: String,
    professions: Vec<Choice>,
    stages: Vec<Choice>,
    works: Vec<Choice>,
    caseworkers: Vec<Choice>,
    can_edit: bool,
    /// The list's query, kept by the bulk form.
    back: String,
    errors: FormErrors,
    bulk_actions: Vec<Choice>,
    bulk_action: String,
    ticked: Vec<String>,
    saved: SavedFilters,
    /// "The people counted in “On a pathway”, …": the indicator the list
    /// is filtered to (from the home page's figure), or empty.
    counted: String,
    /// The same list without that filter.
    uncounted_href: String,
}

impl PeoplePage {
    fn is_ticked(&self, id: &Uuid) -> bool {
        let id = id.to_string();
        self.ticked.iter().any(|t| t.trim() == id)
    }
}

fn person_line(p: &Person) -> PersonLine {
    PersonLine {
        id: p.id,
        name: p.draft.full_name.clone(),
        profession: profession_name(&p.draft.profession),
        stage: stage_label(p.stage),
        work: t(&p.work.label_key()).to_string(),
        caseworker: p.caseworker_name.clone().unwrap_or_default(),
        consent_withdrawn: p.consent_withdrawn_on.is_some(),
        updated: useit_core::clock::display_date(p.updated_at.date()),
    }
}

/// The caseworkers as choices (managers only: a caseworker sees their own).
pub(super) async fn caseworker_choices(
    app: &AppState,
    ctx: &Ctx,
    first: &str,
) -> Result<Vec<Choice>, AppError> {
    let mut cw = vec![Choice::new("", t(first))];
    cw.extend(
        caseworkers(app.store.as_ref(), &ctx.caller()?)
            .await?
            .into_iter()
            .map(|c| Choice::new(c.id.to_string(), c.name)),
    );
    Ok(cw)
}

pub async fn people_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<PeopleParams>,
) -> Result<Response, PageError> {
    let bulk = BulkPeopleInput::default();
    Ok(list_view(&app, &ctx, p, FormErrors::default(), &bulk).await?)
}

/// The list's query string, for the bulk form to come back to.
pub(super) fn list_query(p: &PeopleParams) -> String {
    let number = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    crate::http::forms::query(&[
        ("q", &p.q),
        ("profession", &p.profession),
        ("stage", &p.stage),
        ("work", &p.work),
        ("caseworker", &p.caseworker),
        ("counted", &p.counted),
        ("from", &p.from),
        ("to", &p.to),
        ("sort", &p.sort),
        ("dir", &p.dir),
        ("page", &number(p.page)),
        ("per_page", &number(p.per_page)),
    ])
}

/// The people list with `errors` from a refused bulk change (its ticks and
/// action kept), or none.
pub(super) async fn list_view(
    app: &AppState,
    ctx: &Ctx,
    p: PeopleParams,
    errors: FormErrors,
    bulk: &BulkPeopleInput,
) -> Result<Response, AppError> {
    let base = base(ctx)?;
    let query = p.query();
    let found = people(
        app.store.as_ref(),
        &ctx.caller()?,
        &query,
        PageRequest::new(p.page, p.per_page),
    )
    .await?;
    let people = found.map(|x| person_line(&x));
    let links = ListLinks {
        path: format!("{base}/people"),
        params: vec![
            ("q".into(), p.q.clone()),
            ("profession".into(), p.profession.clone()),
            ("stage".into(), p.stage.clone()),
            ("work".into(), p.work.clone()),
            ("caseworker".into(), p.caseworker.clone()),
            ("counted".into(), p.counted.clone()),
            ("from".into(), p.from.clone()),
            ("to".into(), p.to.clone()),
        ],
        sort: query.sort.slug().into(),
        dir: query.dir,
    };
    let pager = Pager::new(&people, &links);
    let caseworkers = if ctx.can(Capability::ViewAllCaseloads) {
        caseworker_choices(app, ctx, "talent.people.any_caseworker").await?
    } else {
        vec![Choice::new("", t("talent.people.any_caseworker"))]
    };
    let layout = Layout::new(app, ctx, t("talent.people.title"), "talent")
        .await?
        .with_errors(&errors);
    let every = ctx.can(Capability::ViewAllCaseloads);
    let bulk_actions = BulkAction::ALL
        .into_iter()
        .filter(|a| every || !a.needs_every_caseload())
        .map(|a| Choice::new(a.slug(), t(a.label_key())))
        .collect();
    let status = errors.status();
    let counted = counted_text(&query);
    let uncounted_href = format!(
        "{base}/people{}",
        list_query(&PeopleParams {
            counted: String::new(),
            from: String::new(),
            to: String::new(),
            page: None,
            ..p.clone()
        })
    );
    render_status(
        status,
        &PeoplePage {
            counted,
            uncounted_href,
            layout,
            back: list_query(&p),
            errors,
            bulk_actions,
            bulk_action: bulk.action.clone(),
            ticked: bulk.people.clone(),
            saved: SavedFilters::load(app, ctx, SavedList::People).await?,
            csv_href: links.csv_href(&format!("{base}/people.csv")),
            pager,
            links,
            people,
            q: p.q,
            profession: p.profession,
            stage: p.stage,
            work: p.work,
            caseworker: p.caseworker,
            professions: profession_choices("talent.people.any_profession"),
            stages: choices(
                &FunnelStage::ALL,
                |s| (s.slug().into(), format!("talent.stage.{}", s.slug())),
                Some("talent.people.any_stage"),
            ),
            works: choices(
                WorkOutcome::ALL,
                |w| (w.slug().into(), w.label_key()),
                Some("talent.people.any_work"),
            ),
            caseworkers,
            can_edit: ctx.can(Capability::EditPeople),
            base,
        },
    )
}

/// What the list is filtered to when it shows an indicator's people:
/// "Only the people counted in “On a pathway” from 1 April 2025 to 31 March
/// 2026 (erased records included, as the figure counts them)".
fn counted_text(q: &useit_core::talent::person::PeopleQuery) -> String {
    let Some(c) = q.counted else {
        return String::new();
    };
    let indicator = t(&c.label_key()).to_string();
    let day = |d: Option<time::Date>| d.map(clock::display_date);
    match (day(q.from), day(q.to)) {
        (None, None) => tf("talent.people.counted", &[("indicator", &indicator)]),
        (from, to) => tf(
            "talent.people.counted_between",
            &[
                ("indicator", &indicator),
                (
                    "from",
                    &from.unwrap_or_else(|| t("talent.people.counted_start").into()),
                ),
                (
                    "to",
                    &to.unwrap_or_else(|| t("talent.people.counted_today").into()),
                ),
            ],
        ),
    }
}

pub async fn people_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<PeopleParams>,
) -> Result<Response, PageError> {
    let body = people_file(app.store.as_ref(), &ctx.caller()?, &p.query()).await?;
    Ok(csv_download(&ctx, "people", body)?)
}

#[derive(Template)]
#[template(path = "talent/person_form.html")]
struct PersonFormPage {
    layout: Layout,
    base: String,
    action: String,
    editing: bool,
    errors: FormErrors,
    form: PersonInput,
    professions: Vec<Choice>,
    rtw: Vec<Choice>,
    bases: Vec<Choice>,
    caseworkers: Vec<Choice>,
}

async fn person_form_page(
    app: &AppState,
    ctx: &Ctx,
    id: Option<Uuid>,
    form: PersonInput,
    errors: FormErrors,
) -> Result<PersonFormPage, AppError> {
    let base = base(ctx)?;
    let title = if id.is_some() {
        "talent.person.edit"
    } else {
        "talent.person.new"
    };
    let caseworkers = if ctx.can(Capability::ViewAllCaseloads) {
        caseworker_choices(app, ctx, "talent.person.no_caseworker").await?
    } else {
        Vec::new()
    };
    Ok(PersonFormPage {
        layout: Layout::new(app, ctx, t(title), "talent")
            .await?
            .with_errors(&errors),
        action: match id {
            Some(id) => format!("{base}/people/{id}"),
            None => format!("{base}/people"),
        },
        base,
        editing: id.is_some(),
        errors,
        form,
        professions: profession_choices("talent.person.choose_profession"),
        rtw: choices(
            RightToWork::ALL,
            |r| (r.slug().into(), r.label_key()),
            Some("talent.person.rtw_not_known"),
        ),
        bases: choices(
            LawfulBasis::ALL,
            |b| (b.slug().into(), b.label_key()),
            Some("talent.person.choose_basis"),
        ),
        caseworkers,
    })
}

/// After a person form: to their page, or the form again with its errors.
async fn form_outcome(
    app: &AppState,
    ctx: &Ctx,
    id: Option<Uuid>,
    form: PersonInput,
    result: useit_app::Result<Person>,
    message: &str,
) -> Result<Response, PageError> {
    match result.map_err(AppError::from) {
        Ok(p) => {
            ctx.flash(tf(message, &[("name", &p.draft.full_name)]))
                .await;
            Ok(Redirect::to(&format!("{}/people/{}", base(ctx)?, p.id)).into_response())
        }
        Err(e @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
            let errors = FormErrors::from_error(e, &[])?;
            let page = person_form_page(app, ctx, id, form, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn person_new(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let form = PersonInput {
        lawful_basis: "consent".into(),
        consent_given_on: clock::today().to_string(),
        caseworker: ctx
            .user
            .as_ref()
            .map(|u| u.id.to_string())
            .unwrap_or_default(),
        ..Default::default()
    };
    Ok(render(
        &person_form_page(&app, &ctx, None, form, FormErrors::default()).await?,
    )?)
}

pub async fn person_create(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<PersonInput>,
) -> Result<Response, PageError> {
    let result = create_person(app.store.as_ref(), &ctx.caller()?, &f).await;
    form_outcome(&app, &ctx, None, f, result, "talent.person.added").await
}

pub async fn person_edit(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<Response, PageError> {
    let p = editable_person(app.store.as_ref(), &ctx.caller()?, id).await?;
    let form = PersonInput::of(&p.draft, p.caseworker_id);
    Ok(render(
        &person_form_page(&app, &ctx, Some(id), form, FormErrors::default()).await?,
    )?)
}

pub async fn person_update(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(f): Form<PersonInput>,
) -> Result<Response, PageError> {
    let result = update_person(app.store.as_ref(), &ctx.caller()?, id, &f).await;
    form_outcome(&app, &ctx, Some(id), f, result, "talent.person.saved").await
}
