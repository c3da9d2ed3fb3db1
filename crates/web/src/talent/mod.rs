//! The skills strand's pages: results (funnel, barriers, savings), people
//! and their pathway records (personal data, a caseworker's own caseload),
//! vacancies, matching and placements, the professions' pathways and the
//! strand's settings.

pub mod api;
pub mod service;

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::Date;
use useit_app::place::home_place;
use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::csv_import::{Report, decode};
use useit_core::i18n::{Message, t, tf, tn};
use useit_core::listing::{Page, PageRequest, SortDir};
use useit_core::money::format_pence;
use useit_core::talent::casework::{
    Barrier, FunnelStage, LawfulBasis, PersonInput, PlacementStatus, RightToWork, Support,
    WorkOutcome,
};
use useit_core::talent::pathway::{EnglishTest, Progress, StepState};
use useit_core::talent::person::{
    ImportCounts, PeopleQuery, PeopleSort, Person, PersonRecords, Placement,
};
use useit_core::talent::person_csv::{self, PersonOut};
use useit_core::talent::profession::Profession;
use useit_core::talent::settings::TalentSettings;
use useit_core::talent::vacancy::Vacancy;
use useit_core::talent::vacancy::{self, VacancyFields};
use useit_core::validation::Invalid;
use useit_store::talent::PersonImportRow;
use uuid::Uuid;

use crate::http::charts::{Bar, bar_chart};
use crate::http::ctx::{Access, Ctx};
use crate::http::error::{AppError, PageError};
use crate::http::forms::Upload;
use crate::http::route::{Route, page};
use crate::http::views::{
    Choice, FormErrors, Layout, ListLinks, Pager, csv_download, render, render_status,
};
use crate::i18n::filters;
use crate::programme::Row;
use crate::state::AppState;
use service::{
    Fit, ProposalView, RecordForm, caseload, caseworkers, gate_text, part_text, professions,
};

/// Who may use the talent routes, by what the route shows or changes.
pub struct Levels {
    pub results: Access,
    pub view: Access,
    pub edit: Access,
    pub erase: Access,
    pub vacancies: Access,
    pub settings: Access,
}

pub fn levels() -> Levels {
    Levels {
        results: Access::Programme(Capability::ViewTalentResults),
        view: Access::Programme(Capability::ViewPeople),
        edit: Access::Programme(Capability::EditPeople),
        erase: Access::Programme(Capability::ErasePeople),
        vacancies: Access::Programme(Capability::ManageVacancies),
        settings: Access::Programme(Capability::ManageTalentSettings),
    }
}

pub fn routes() -> Vec<Route> {
    let Levels {
        results,
        view,
        edit,
        erase,
        vacancies,
        settings,
    } = levels();
    let mut r = vec![
        page(Method::GET, "/p/{programme}/talent", results, results_page),
        page(
            Method::GET,
            "/p/{programme}/talent/pathways",
            results,
            pathways_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/talent/people",
            view,
            people_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/talent/people.csv",
            view,
            people_csv,
        ),
        page(
            Method::GET,
            "/p/{programme}/talent/people/import",
            edit,
            people_import_form,
        ),
        page(
            Method::POST,
            "/p/{programme}/talent/people/import",
            edit,
            people_import,
        ),
        page(
            Method::GET,
            "/p/{programme}/talent/people/new",
            edit,
            person_new,
        ),
        page(
            Method::GET,
            "/p/{programme}/talent/people/duplicates",
            edit,
            duplicates_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/talent/people/merge",
            edit,
            merge,
        ),
        page(
            Method::POST,
            "/p/{programme}/talent/people",
            edit,
            person_create,
        ),
        page(
            Method::GET,
            "/p/{programme}/talent/people/{person_id}",
            view,
            person_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/talent/people/{person_id}/edit",
            edit,
            person_edit,
        ),
        page(
            Method::POST,
            "/p/{programme}/talent/people/{person_id}",
            edit,
            person_update,
        ),
        page(
            Method::POST,
            "/p/{programme}/talent/people/{person_id}/records",
            edit,
            person_records,
        ),
        page(
            Method::POST,
            "/p/{programme}/talent/people/{person_id}/erase",
            erase,
            person_erase,
        ),
        page(
            Method::GET,
            "/p/{programme}/talent/people/{person_id}/export.json",
            view,
            person_export,
        ),
        page(
            Method::GET,
            "/p/{programme}/talent/vacancies",
            vacancies,
            vacancies_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/talent/vacancies.csv",
            vacancies,
            vacancies_csv,
        ),
        page(
            Method::POST,
            "/p/{programme}/talent/vacancies",
            vacancies,
            vacancy_save,
        ),
        page(
            Method::POST,
            "/p/{programme}/talent/vacancies/import",
            vacancies,
            vacancies_import,
        ),
        page(
            Method::GET,
            "/p/{programme}/talent/matching",
            edit,
            matching_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/talent/matching",
            edit,
            matching_confirm,
        ),
        page(
            Method::GET,
            "/p/{programme}/talent/placements.csv",
            edit,
            placements_csv_download,
        ),
        page(
            Method::POST,
            "/p/{programme}/talent/placements/{placement_id}",
            edit,
            placement_move,
        ),
        page(
            Method::GET,
            "/p/{programme}/talent/settings",
            settings,
            settings_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/talent/settings",
            settings,
            settings_save,
        ),
    ];
    r.extend(api::routes());
    r
}

fn base(ctx: &Ctx) -> Result<String, AppError> {
    Ok(format!("/p/{}/talent", ctx.programme()?.slug))
}

fn choices<T: Copy>(
    all: &[T],
    key: impl Fn(&T) -> (String, String),
    first: Option<&str>,
) -> Vec<Choice> {
    let mut v: Vec<Choice> = first
        .map(|f| vec![Choice::new("", t(f))])
        .unwrap_or_default();
    v.extend(all.iter().map(|x| {
        let (value, label_key) = key(x);
        Choice::new(value, t(&label_key))
    }));
    v
}

fn profession_choices(first: &str) -> Vec<Choice> {
    let mut v = vec![Choice::new("", t(first))];
    v.extend(
        professions()
            .all()
            .map(|p| Choice::new(p.code.clone(), p.name.clone())),
    );
    v
}

fn profession_name(code: &str) -> String {
    professions()
        .get(code)
        .map(|p| p.name.clone())
        .unwrap_or_else(|| code.to_string())
}

pub fn stage_label(s: impl std::borrow::Borrow<FunnelStage>) -> String {
    t(&format!("talent.stage.{}", s.borrow().slug())).to_string()
}

fn pct(part: u64, whole: i64) -> String {
    if whole <= 0 {
        String::new()
    } else {
        format!("{}%", (part as i64 * 100 + whole / 2) / whole)
    }
}

// ---------------------------------------------------------------- results

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

fn bp_pct(bp: i64) -> String {
    let whole = bp / 100;
    let frac = (bp % 100).abs();
    if frac == 0 {
        format!("{whole}")
    } else {
        format!("{whole}.{frac:02}")
    }
}

async fn results_page(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let base = base(&ctx)?;
    let r = service::results(&app, &ctx).await?;
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
            target: s.target_engaged.to_string(),
            of_target: pct(f.engaged, s.target_engaged),
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
            target: s.target_into_work.to_string(),
            of_target: pct(f.into_work(), s.target_into_work),
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

// ---------------------------------------------------------------- pathways

#[derive(Template)]
#[template(path = "talent/pathways.html")]
struct PathwaysPage {
    layout: Layout,
    base: String,
    today: Date,
    professions: Vec<&'static Profession>,
}

async fn pathways_page(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let layout = Layout::new(&app, &ctx, t("talent.pathways.title"), "talent").await?;
    Ok(render(&PathwaysPage {
        layout,
        base: base(&ctx)?,
        today: clock::today(),
        professions: professions().all().collect(),
    })?)
}

pub fn money(p: &Option<i64>) -> String {
    p.map(format_pence).unwrap_or_default()
}

// ---------------------------------------------------------------- people

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct PeopleParams {
    pub q: String,
    pub profession: String,
    pub stage: String,
    pub work: String,
    pub caseworker: String,
    pub sort: String,
    pub dir: String,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl PeopleParams {
    pub fn query(&self) -> PeopleQuery {
        PeopleQuery {
            search: Some(self.q.clone()).filter(|q| !q.trim().is_empty()),
            profession: Some(self.profession.clone()).filter(|p| !p.is_empty()),
            stage: FunnelStage::parse(&self.stage),
            work: WorkOutcome::parse(&self.work),
            caseworker: self.caseworker.parse::<Uuid>().ok().map(useit_core::UserId),
            include_erased: false,
            sort: PeopleSort::parse(&self.sort).unwrap_or_default(),
            dir: SortDir::parse(Some(self.dir.as_str())),
        }
    }
}

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
        updated: p.updated_at.date().to_string(),
    }
}

async fn people_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<PeopleParams>,
) -> Result<Response, PageError> {
    let base = base(&ctx)?;
    let query = p.query();
    let people = app
        .store
        .list_people(
            ctx.programme_id()?,
            caseload(&ctx)?,
            &query,
            PageRequest::new(p.page, p.per_page),
            &ctx.actor(),
        )
        .await?;
    let people = Page {
        items: people.items.iter().map(person_line).collect(),
        total: people.total,
        page: people.page,
        per_page: people.per_page,
    };
    let links = ListLinks {
        path: format!("{base}/people"),
        params: vec![
            ("q".into(), p.q.clone()),
            ("profession".into(), p.profession.clone()),
            ("stage".into(), p.stage.clone()),
            ("work".into(), p.work.clone()),
            ("caseworker".into(), p.caseworker.clone()),
        ],
        sort: query.sort.slug().into(),
        dir: query.dir,
    };
    let pager = Pager::new(&people, &links);
    let mut cw = vec![Choice::new("", t("talent.people.any_caseworker"))];
    if ctx.can(Capability::ViewAllCaseloads) {
        cw.extend(
            caseworkers(&app, &ctx)
                .await?
                .into_iter()
                .map(|(id, name, _)| Choice::new(id.to_string(), name)),
        );
    }
    let layout = Layout::new(&app, &ctx, t("talent.people.title"), "talent").await?;
    Ok(render(&PeoplePage {
        layout,
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
        caseworkers: cw,
        can_edit: ctx.can(Capability::EditPeople),
        base,
    })?)
}

/// The people the query selects, as CSV that imports back.
pub async fn people_csv_text(
    app: &AppState,
    ctx: &Ctx,
    query: &PeopleQuery,
) -> Result<String, AppError> {
    let rows = app
        .store
        .people_with_records(
            ctx.programme_id()?,
            caseload(ctx)?,
            query,
            false,
            &ctx.actor(),
            "CSV download",
        )
        .await?;
    let emails: std::collections::HashMap<useit_core::UserId, String> = caseworkers(app, ctx)
        .await?
        .into_iter()
        .map(|(id, _, e)| (id, e))
        .collect();
    let out: Vec<PersonOut> = rows
        .iter()
        .map(|(p, _)| PersonOut {
            id: p.id,
            draft: &p.draft,
            caseworker_email: p
                .caseworker_id
                .and_then(|c| emails.get(&c))
                .map(|s| s.as_str()),
            stage: p.stage,
            work: p.work,
        })
        .collect();
    Ok(person_csv::write_csv(&out))
}

async fn people_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<PeopleParams>,
) -> Result<Response, PageError> {
    let body = people_csv_text(&app, &ctx, &p.query()).await?;
    Ok(csv_download(&ctx, "people", body)?)
}

#[derive(Template)]
#[template(path = "talent/import.html")]
struct ImportPage {
    layout: Layout,
    base: String,
    action: String,
    heading: String,
    lead: String,
    columns: Vec<&'static str>,
    errors: FormErrors,
    report: Option<Report>,
    state: &'static str,
    summary: String,
}

fn import_summary(o: &ImportCounts) -> String {
    tf(
        "talent.import.summary",
        &[
            ("created", &o.created.to_string()),
            ("updated", &o.updated.to_string()),
            ("unchanged", &o.unchanged.to_string()),
        ],
    )
}

async fn import_page(
    app: &AppState,
    ctx: &Ctx,
    people: bool,
    errors: FormErrors,
    report: Option<Report>,
    outcome: Option<&ImportCounts>,
) -> Result<ImportPage, AppError> {
    let (title, lead, action, columns): (&str, &str, &str, Vec<&'static str>) = if people {
        (
            "talent.people.import.title",
            "talent.people.import.lead",
            "/people/import",
            person_csv::COLUMNS.to_vec(),
        )
    } else {
        (
            "talent.vacancies.import.title",
            "talent.vacancies.import.lead",
            "/vacancies/import",
            vacancy::COLUMNS.to_vec(),
        )
    };
    let rejected = report.as_ref().is_some_and(|r| r.has_errors());
    Ok(ImportPage {
        layout: Layout::new(app, ctx, t(title), "talent")
            .await?
            .with_errors(&errors),
        action: format!("{}{action}", base(ctx)?),
        base: base(ctx)?,
        heading: t(title).into(),
        lead: t(lead).into(),
        columns,
        errors,
        report,
        state: match (outcome, rejected) {
            (_, true) => "rejected",
            (Some(_), false) => "applied",
            (None, false) => "",
        },
        summary: outcome.map(import_summary).unwrap_or_default(),
    })
}

async fn people_import_form(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    Ok(render(
        &import_page(&app, &ctx, true, FormErrors::default(), None, None).await?,
    )?)
}

/// Reads a people CSV and imports it all or nothing (page, API and CLI).
pub async fn import_people_csv(
    app: &AppState,
    ctx: &Ctx,
    file_name: &str,
    bytes: &[u8],
) -> Result<(Report, Option<ImportCounts>), AppError> {
    let (text, _) = decode(bytes);
    let mut report = Report::new(file_name);
    let rows = person_csv::parse_csv(&text, professions(), clock::today(), &mut report);
    if report.has_errors() {
        return Ok((report, None));
    }
    let programme = ctx.programme_id()?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let cw = match &r.caseworker_email {
            Some(email) => match service::chosen_caseworker(app, ctx, email, None).await {
                Ok(c) => c,
                Err(_) => {
                    report.push(useit_core::csv_import::Problem::error(
                        r.line,
                        None,
                        Message::new("talent.person.unknown_caseworker_email").arg("email", email),
                    ));
                    continue;
                }
            },
            // A blank caseworker on an exported row means none (so the file
            // round-trips); a new row goes to whoever imports it.
            None if r.id.is_some() => service::chosen_caseworker(app, ctx, "", None).await?,
            None => {
                service::chosen_caseworker(app, ctx, "", ctx.user.as_ref().map(|u| u.id)).await?
            }
        };
        let home = home_place(app.store.as_ref(), programme, r.draft.postcode.as_deref()).await?;
        out.push(PersonImportRow {
            id: r.id,
            draft: r.draft,
            caseworker: cw,
            home,
        });
    }
    if report.has_errors() {
        return Ok((report, None));
    }
    let o = app
        .store
        .import_people(programme, caseload(ctx)?, &out, &ctx.actor())
        .await?;
    Ok((report, Some(o)))
}

async fn people_import(
    State(app): State<AppState>,
    ctx: Ctx,
    up: Upload,
) -> Result<Response, PageError> {
    upload_result(&app, &ctx, true, up).await
}

async fn upload_result(
    app: &AppState,
    ctx: &Ctx,
    people: bool,
    up: Upload,
) -> Result<Response, PageError> {
    if up.file_name.is_empty() || up.bytes.is_empty() {
        let errors = FormErrors::one("file", Message::new("upload.choose_file"));
        let page = import_page(app, ctx, people, errors, None, None).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?);
    }
    let (report, outcome) = if people {
        import_people_csv(app, ctx, &up.file_name, &up.bytes).await?
    } else {
        import_vacancies_csv(app, ctx, &up.file_name, &up.bytes).await?
    };
    let mut errors = FormErrors::default();
    if report.has_errors() {
        errors.push(
            "file",
            Message::new("upload.has_errors").arg("count", report.errors().count()),
        );
    }
    let status = if report.has_errors() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = import_page(app, ctx, people, errors, Some(report), outcome.as_ref()).await?;
    Ok(render_status(status, &page)?)
}

// ---------------------------------------------------------------- duplicates

/// Two records that may be one person, and why.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct DuplicateView {
    pub a_id: Uuid,
    pub a_name: String,
    pub a_detail: String,
    pub b_id: Uuid,
    pub b_name: String,
    pub b_detail: String,
    /// same_email, same_phone or same_name.
    pub reason: String,
    pub reason_text: String,
}

/// Possible duplicates in the caller's caseload.
pub async fn duplicates(app: &AppState, ctx: &Ctx) -> Result<Vec<DuplicateView>, AppError> {
    let people = app
        .store
        .people_with_records(
            ctx.programme_id()?,
            caseload(ctx)?,
            &PeopleQuery::default(),
            true,
            &ctx.actor(),
            "duplicate check",
        )
        .await?;
    let drafts: Vec<_> = people.iter().map(|(p, _)| &p.draft).collect();
    let detail = |p: &Person, recs: &PersonRecords| {
        let mut bits = vec![profession_name(&p.draft.profession)];
        bits.extend(p.draft.email.clone());
        bits.extend(p.draft.phone.clone());
        bits.push(tn(
            "talent.duplicates.records",
            (recs.steps.len() + recs.notes.len() + recs.barriers.len()) as u64,
        ));
        bits.join(", ")
    };
    Ok(useit_core::talent::casework::find_duplicates(&drafts)
        .into_iter()
        .map(|(a, b, reason)| {
            let ((pa, ra), (pb, rb)) = (&people[a], &people[b]);
            DuplicateView {
                a_id: pa.id,
                a_name: pa.draft.full_name.clone(),
                a_detail: detail(pa, ra),
                b_id: pb.id,
                b_name: pb.draft.full_name.clone(),
                b_detail: detail(pb, rb),
                reason: reason.slug().to_string(),
                reason_text: t(&reason.label_key()).to_string(),
            }
        })
        .collect())
}

#[derive(Template)]
#[template(path = "talent/duplicates.html")]
struct DuplicatesPage {
    layout: Layout,
    base: String,
    pairs: Vec<DuplicateView>,
    errors: FormErrors,
}

async fn duplicates_view(
    app: &AppState,
    ctx: &Ctx,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let status = errors.status();
    render_status(
        status,
        &DuplicatesPage {
            layout: Layout::new(app, ctx, t("talent.duplicates.title"), "talent")
                .await?
                .with_errors(&errors),
            base: base(ctx)?,
            pairs: duplicates(app, ctx).await?,
            errors,
        },
    )
}

async fn duplicates_page(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    Ok(duplicates_view(&app, &ctx, FormErrors::default()).await?)
}

#[derive(Clone, Debug, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MergeForm {
    /// The record that stays.
    pub keep: String,
    /// The record merged into it and removed.
    pub other: String,
}

pub async fn merge_people(app: &AppState, ctx: &Ctx, f: &MergeForm) -> Result<Person, AppError> {
    let id = |field: &str, raw: &str| {
        Uuid::parse_str(raw.trim()).map_err(|_| {
            AppError::Invalid(Invalid::one(field, Message::new("talent.merge.choose")).0)
        })
    };
    let (keep, other) = (id("keep", &f.keep)?, id("other", &f.other)?);
    Ok(app
        .store
        .merge_people(
            ctx.programme_id()?,
            caseload(ctx)?,
            keep,
            other,
            &ctx.actor(),
        )
        .await?)
}

async fn merge(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<MergeForm>,
) -> Result<Response, PageError> {
    match merge_people(&app, &ctx, &f).await {
        Ok(p) => {
            ctx.flash(tf("talent.merge.done", &[("name", &p.draft.full_name)]))
                .await;
            Ok(Redirect::to(&format!("{}/people/{}", base(&ctx)?, p.id)).into_response())
        }
        Err(e @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
            let errors = FormErrors::from_error(e, &[])?;
            Ok(duplicates_view(&app, &ctx, errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------- a person

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
    let mut cw = vec![];
    if ctx.can(Capability::ViewAllCaseloads) {
        cw.push(Choice::new("", t("talent.person.no_caseworker")));
        cw.extend(
            caseworkers(app, ctx)
                .await?
                .into_iter()
                .map(|(id, name, _)| Choice::new(id.to_string(), name)),
        );
    }
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
        caseworkers: cw,
    })
}

async fn person_new(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
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

async fn person_create(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<PersonInput>,
) -> Result<Response, PageError> {
    let me = ctx.user.as_ref().map(|u| u.id);
    let (draft, cw, home) = match service::person_input(&app, &ctx, &f, me).await {
        Ok(x) => x,
        Err(e) => {
            let errors = FormErrors::from_error(e, &[])?;
            let page = person_form_page(&app, &ctx, None, f, errors).await?;
            return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?);
        }
    };
    let p = app
        .store
        .create_person(ctx.programme_id()?, &draft, cw, &home, &ctx.actor())
        .await?;
    ctx.flash(tf("talent.person.added", &[("name", &p.draft.full_name)]))
        .await;
    Ok(Redirect::to(&format!("{}/people/{}", base(&ctx)?, p.id)).into_response())
}

fn input_of(p: &Person) -> PersonInput {
    let d = &p.draft;
    PersonInput {
        full_name: d.full_name.clone(),
        email: d.email.clone().unwrap_or_default(),
        phone: d.phone.clone().unwrap_or_default(),
        postcode: d.postcode.clone().unwrap_or_default(),
        profession: d.profession.clone(),
        qualification_country: d.qualification_country.clone(),
        qualification_year: d
            .qualification_year
            .map(|y| y.to_string())
            .unwrap_or_default(),
        qualifications: d.qualifications.clone(),
        experience_years: d.experience_years.to_string(),
        right_to_work: d
            .right_to_work
            .map(|r| r.slug().to_string())
            .unwrap_or_default(),
        available_from: d.available_from.map(|x| x.to_string()).unwrap_or_default(),
        lawful_basis: d
            .lawful_basis
            .map(|b| b.slug().to_string())
            .unwrap_or_default(),
        consent_given_on: d
            .consent_given_on
            .map(|x| x.to_string())
            .unwrap_or_default(),
        caseworker: p.caseworker_id.map(|c| c.to_string()).unwrap_or_default(),
    }
}

async fn person_edit(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<Response, PageError> {
    let (p, _) = app
        .store
        .person(ctx.programme_id()?, caseload(&ctx)?, id, &ctx.actor())
        .await?;
    if p.erased_at.is_some() {
        return Err(AppError::NotFound.into());
    }
    Ok(render(
        &person_form_page(&app, &ctx, Some(id), input_of(&p), FormErrors::default()).await?,
    )?)
}

async fn person_update(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(f): Form<PersonInput>,
) -> Result<Response, PageError> {
    let programme = ctx.programme_id()?;
    let load = caseload(&ctx)?;
    let (before, _) = app.store.person(programme, load, id, &ctx.actor()).await?;
    let result = match service::person_input(&app, &ctx, &f, before.caseworker_id).await {
        Ok((draft, cw, home)) => app
            .store
            .update_person(programme, load, id, &draft, cw, &home, &ctx.actor())
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(p) => {
            ctx.flash(tf("talent.person.saved", &[("name", &p.draft.full_name)]))
                .await;
            Ok(Redirect::to(&format!("{}/people/{id}", base(&ctx)?)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e, &[])?;
            let page = person_form_page(&app, &ctx, Some(id), f, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
    }
}

pub struct StepLine {
    pub name: String,
    pub state: String,
    pub tag: &'static str,
    pub detail: String,
    pub cost: String,
    pub weeks: String,
}

pub struct FitLine {
    pub title: String,
    pub reference: String,
    pub score: String,
    pub why: Vec<String>,
    pub eligible: bool,
}

#[derive(Template)]
#[template(path = "talent/person.html")]
struct PersonPage {
    layout: Layout,
    base: String,
    person: Person,
    recs: PersonRecords,
    profession: String,
    rules_from: String,
    steps: Vec<StepLine>,
    next: Vec<String>,
    warnings: Vec<String>,
    remaining_cost: String,
    remaining_weeks: u32,
    registered: bool,
    fits: Vec<FitLine>,
    errors: FormErrors,
    form: RecordForm,
    step_choices: Vec<Choice>,
    tests: Vec<Choice>,
    barrier_choices: Vec<Choice>,
    support_choices: Vec<Choice>,
    work_choices: Vec<Choice>,
    can_edit: bool,
    can_erase: bool,
    today: String,
}

fn step_line(s: &useit_core::talent::pathway::StepProgress) -> StepLine {
    let (state, tag, detail) = match &s.state {
        StepState::Passed {
            passed_on,
            expires_on,
        } => (
            "talent.step.passed",
            "govuk-tag--green",
            match expires_on {
                Some(e) => tf(
                    "talent.step.passed_until",
                    &[("on", &passed_on.to_string()), ("until", &e.to_string())],
                ),
                None => tf("talent.step.passed_on", &[("on", &passed_on.to_string())]),
            },
        ),
        StepState::Expired {
            passed_on,
            expired_on,
        } => (
            "talent.step.expired",
            "govuk-tag--red",
            tf(
                "talent.step.expired_on",
                &[
                    ("on", &passed_on.to_string()),
                    ("expired", &expired_on.to_string()),
                ],
            ),
        ),
        StepState::Next => ("talent.step.next", "govuk-tag--blue", String::new()),
        StepState::Waiting { missing } => (
            "talent.step.waiting",
            "govuk-tag--grey",
            tf("talent.step.waiting_for", &[("steps", &missing.join(", "))]),
        ),
    };
    StepLine {
        name: s.name.clone(),
        state: t(state).into(),
        tag,
        detail,
        cost: money(&s.cost_pence),
        weeks: s.typical_weeks.map(|w| w.to_string()).unwrap_or_default(),
    }
}

fn fit_line(f: &Fit) -> FitLine {
    let v = &f.vacancy.input;
    match &f.result {
        Ok(s) => FitLine {
            title: v.title.clone(),
            reference: v.reference.clone(),
            score: s.total.to_string(),
            why: s.parts.iter().map(part_text).collect(),
            eligible: true,
        },
        Err(gates) => FitLine {
            title: v.title.clone(),
            reference: v.reference.clone(),
            score: String::new(),
            why: gates.iter().map(gate_text).collect(),
            eligible: false,
        },
    }
}

async fn render_person(
    app: &AppState,
    ctx: &Ctx,
    id: Uuid,
    form: RecordForm,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let (person, recs) = app
        .store
        .person(ctx.programme_id()?, caseload(ctx)?, id, &ctx.actor())
        .await?;
    let today = clock::today();
    let progress: Option<Progress> = service::progress_of(&person, &recs, today);
    let prof = professions().get(&person.draft.profession);
    let fits = match (&progress, person.matchable()) {
        (Some(pr), true) => service::fits(app, ctx, &person, pr)
            .await?
            .iter()
            .map(fit_line)
            .collect(),
        _ => Vec::new(),
    };
    let mut step_choices = vec![Choice::new("", t("talent.record.choose_step"))];
    if let Some(p) = prof {
        step_choices.extend(
            p.rules_at(today)
                .steps
                .iter()
                .map(|s| Choice::new(s.code.clone(), s.name.clone())),
        );
    }
    let status = errors.status();
    let name = person.draft.full_name.clone();
    let title = if person.erased_at.is_some() {
        t("talent.person.erased_title").to_string()
    } else {
        name
    };
    let page = PersonPage {
        layout: Layout::new(app, ctx, title, "talent")
            .await?
            .with_errors(&errors),
        base: base(ctx)?,
        profession: prof
            .map(|p| p.name.clone())
            .unwrap_or_else(|| person.draft.profession.clone()),
        rules_from: progress
            .as_ref()
            .map(|p| p.rules_from.to_string())
            .unwrap_or_default(),
        steps: progress
            .as_ref()
            .map(|p| p.steps.iter().map(step_line).collect())
            .unwrap_or_default(),
        next: progress
            .as_ref()
            .map(|p| {
                p.next
                    .iter()
                    .map(|c| {
                        p.steps
                            .iter()
                            .find(|s| &s.code == c)
                            .map(|s| s.name.clone())
                            .unwrap_or_else(|| c.clone())
                    })
                    .collect()
            })
            .unwrap_or_default(),
        warnings: progress
            .as_ref()
            .map(|p| {
                p.warnings
                    .iter()
                    .map(|w| {
                        tf(
                            "talent.warning.expires",
                            &[
                                ("step", &w.step),
                                ("on", &w.expires_on.to_string()),
                                ("days", &w.days_left.to_string()),
                            ],
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
        remaining_cost: progress
            .as_ref()
            .map(|p| format_pence(p.remaining_cost_pence))
            .unwrap_or_default(),
        remaining_weeks: progress.as_ref().map(|p| p.remaining_weeks).unwrap_or(0),
        registered: progress.as_ref().is_some_and(|p| p.registered),
        fits,
        errors,
        form,
        step_choices,
        tests: choices(
            &EnglishTest::ALL,
            |x| (x.slug().into(), format!("talent.language.{}", x.slug())),
            Some("talent.language.choose_test"),
        ),
        barrier_choices: choices(
            Barrier::ALL,
            |b| (b.slug().into(), b.label_key()),
            Some("talent.barrier.choose"),
        ),
        support_choices: choices(
            Support::ALL,
            |s| (s.slug().into(), s.label_key()),
            Some("talent.support.choose"),
        ),
        work_choices: choices(WorkOutcome::ALL, |w| (w.slug().into(), w.label_key()), None),
        can_edit: ctx.can(Capability::EditPeople) && person.erased_at.is_none(),
        can_erase: ctx.can(Capability::ErasePeople) && person.erased_at.is_none(),
        today: today.to_string(),
        person,
        recs,
    };
    render_status(status, &page)
}

async fn person_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<Response, PageError> {
    Ok(render_person(&app, &ctx, id, RecordForm::default(), FormErrors::default()).await?)
}

/// Applies a record form: the same steps for the page and the API.
pub async fn apply_record(
    app: &AppState,
    ctx: &Ctx,
    id: Uuid,
    f: &RecordForm,
) -> Result<(), AppError> {
    let programme = ctx.programme_id()?;
    let load = caseload(ctx)?;
    let (person, _) = app.store.person(programme, load, id, &ctx.actor()).await?;
    let change = f
        .validate(&person.draft.profession, clock::today())
        .map_err(|Invalid(e)| AppError::Invalid(e))?;
    app.store
        .change_records(programme, load, id, &change, &ctx.actor())
        .await?;
    Ok(())
}

async fn person_records(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(f): Form<RecordForm>,
) -> Result<Response, PageError> {
    match apply_record(&app, &ctx, id, &f).await {
        Ok(()) => {
            ctx.flash(t(&format!("talent.record.saved.{}", f.action)).to_string())
                .await;
            let section = match f.action.as_str() {
                "step" => "pathway",
                "language" => "language",
                "barrier" | "resolve_barrier" => "barriers",
                "support" => "support",
                "note" => "notes",
                _ => "main-content",
            };
            Ok(Redirect::to(&format!("{}/people/{id}#{section}", base(&ctx)?)).into_response())
        }
        Err(e @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
            let errors = FormErrors::from_error(e, &[])?;
            Ok(render_person(&app, &ctx, id, f, errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct EraseForm {
    #[serde(default)]
    confirm: String,
}

async fn person_erase(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(f): Form<EraseForm>,
) -> Result<Response, PageError> {
    if f.confirm != "yes" {
        let errors = FormErrors::one("confirm", Message::new("talent.erase.confirm_needed"));
        return Ok(render_person(&app, &ctx, id, RecordForm::default(), errors).await?);
    }
    app.store
        .erase_person(ctx.programme_id()?, caseload(&ctx)?, id, &ctx.actor())
        .await?;
    ctx.flash(t("talent.erase.done").to_string()).await;
    Ok(Redirect::to(&format!("{}/people", base(&ctx)?)).into_response())
}

/// Everything held about a person, for a subject access request: the read
/// is audited as an export.
pub async fn subject_access(
    app: &AppState,
    ctx: &Ctx,
    id: Uuid,
) -> Result<serde_json::Value, AppError> {
    let programme = ctx.programme_id()?;
    let (p, recs) = app
        .store
        .person(programme, caseload(ctx)?, id, &ctx.actor())
        .await?;
    app.store
        .audit_append(&useit_core::audit::AuditEntry::new(
            &ctx.actor(),
            Some(programme),
            useit_core::audit::AuditAction::Export,
            "talent_person",
            Some(id.to_string()),
            "subject access export",
        ))
        .await?;
    Ok(serde_json::json!({
        "exported_at": clock::now().to_string(),
        "programme": ctx.programme()?.name,
        "person": p,
        "records": recs,
    }))
}

async fn person_export(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<Response, PageError> {
    let body = subject_access(&app, &ctx, id).await?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/json".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"person-{id}.json\""),
            ),
        ],
        serde_json::to_string_pretty(&body).map_err(AppError::internal)?,
    )
        .into_response())
}

// ---------------------------------------------------------------- vacancies

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
        site: i.site_postcode.clone().unwrap_or_default(),
        posts: i.posts,
        held: v.posts_held,
        started: v.posts_started,
        opens_on: i.opens_on.to_string(),
        closes_on: i.closes_on.map(|d| d.to_string()).unwrap_or_default(),
        anchor: i.anchor_slug.clone().unwrap_or_default(),
    }
}

/// The vacancies list's filters, sort and page.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct VacancyParams {
    pub q: String,
    pub role: String,
    /// `open`, `closed` or blank for all.
    pub state: String,
    /// reference, title, opens_on or posts.
    pub sort: String,
    pub dir: String,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl VacancyParams {
    fn sort(&self) -> &str {
        match self.sort.as_str() {
            s @ ("reference" | "title" | "posts" | "opens_on") => s,
            _ => "opens_on",
        }
    }
    fn dir(&self) -> SortDir {
        SortDir::asked(&self.sort, &self.dir)
    }
}

/// The vacancies the filters select, in the order asked for.
pub fn select_vacancies(all: Vec<Vacancy>, p: &VacancyParams, today: Date) -> Vec<Vacancy> {
    let q = p.q.trim().to_lowercase();
    let mut v: Vec<Vacancy> = all
        .into_iter()
        .filter(|v| {
            let i = &v.input;
            (q.is_empty()
                || i.reference.to_lowercase().contains(&q)
                || i.title.to_lowercase().contains(&q)
                || i.anchor_slug.as_deref().is_some_and(|a| a.contains(&q)))
                && (p.role.is_empty() || i.role == p.role)
                && match p.state.as_str() {
                    "open" => i.closes_on.is_none_or(|c| c >= today),
                    "closed" => i.closes_on.is_some_and(|c| c < today),
                    _ => true,
                }
        })
        .collect();
    v.sort_by(|a, b| {
        let (a, b) = (&a.input, &b.input);
        let o = match p.sort() {
            "reference" => a.reference.cmp(&b.reference),
            "title" => a.title.cmp(&b.title),
            "posts" => a.posts.cmp(&b.posts),
            _ => a.opens_on.cmp(&b.opens_on),
        }
        .then(a.reference.cmp(&b.reference));
        p.dir().order(o)
    });
    v
}

async fn vacancies_view(
    app: &AppState,
    ctx: &Ctx,
    params: VacancyParams,
    form: VacancyFields,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let base = base(ctx)?;
    let selected = select_vacancies(
        app.store.vacancies(ctx.programme_id()?).await?,
        &params,
        clock::today(),
    );
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

async fn vacancies_page(
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

async fn vacancies_csv(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(params): Query<VacancyParams>,
) -> Result<Response, PageError> {
    let all = app.store.vacancies(ctx.programme_id()?).await?;
    let rows: Vec<_> = select_vacancies(all, &params, clock::today())
        .into_iter()
        .map(|v| v.input)
        .collect();
    Ok(csv_download(&ctx, "vacancies", vacancy::write_csv(&rows))?)
}

async fn vacancy_save(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<VacancyFields>,
) -> Result<Response, PageError> {
    let result = match f.validate(professions()) {
        Ok(v) => app
            .store
            .save_vacancy(ctx.programme_id()?, &v, &ctx.actor())
            .await
            .map_err(AppError::from),
        Err(Invalid(e)) => Err(AppError::Invalid(e)),
    };
    match result {
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

/// Reads a vacancies CSV and imports it all or nothing.
pub async fn import_vacancies_csv(
    app: &AppState,
    ctx: &Ctx,
    file_name: &str,
    bytes: &[u8],
) -> Result<(Report, Option<ImportCounts>), AppError> {
    let (text, _) = decode(bytes);
    let mut report = Report::new(file_name);
    let rows = vacancy::parse_csv(&text, professions(), &mut report);
    if report.has_errors() {
        return Ok((report, None));
    }
    let o = app
        .store
        .import_vacancies(ctx.programme_id()?, &rows, &ctx.actor())
        .await?;
    Ok((report, Some(o)))
}

async fn vacancies_import(
    State(app): State<AppState>,
    ctx: Ctx,
    up: Upload,
) -> Result<Response, PageError> {
    upload_result(&app, &ctx, false, up).await
}

// ---------------------------------------------------------------- matching

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
}

/// The placements list's filters, sort and page.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct PlacementParams {
    /// Part of the person's name or the vacancy's title.
    pub q: String,
    /// A placement status (proposed, applied, interviewed, offered, started,
    /// left, withdrawn), `current` for those holding a post, or blank for all.
    pub status: String,
    /// updated (the default, newest first), person, vacancy, status or score.
    pub sort: String,
    pub dir: String,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl PlacementParams {
    fn sort(&self) -> &str {
        match self.sort.as_str() {
            s @ ("person" | "vacancy" | "status" | "score") => s,
            _ => "updated",
        }
    }
    fn dir(&self) -> SortDir {
        SortDir::asked(&self.sort, &self.dir)
    }
}

/// The placements the filters select, in the order asked for.
pub fn select_placements(all: Vec<Placement>, p: &PlacementParams) -> Vec<Placement> {
    let q = p.q.trim().to_lowercase();
    let mut v: Vec<Placement> = all
        .into_iter()
        .filter(|pl| {
            (q.is_empty()
                || pl
                    .person_name
                    .as_deref()
                    .is_some_and(|n| n.to_lowercase().contains(&q))
                || pl.vacancy_title.to_lowercase().contains(&q))
                && match p.status.as_str() {
                    "" => true,
                    "current" => pl.status.holds_post(),
                    s => Some(pl.status) == PlacementStatus::parse(s),
                }
        })
        .collect();
    v.sort_by(|a, b| {
        let o = match p.sort() {
            "person" => a.person_name.cmp(&b.person_name),
            "vacancy" => a.vacancy_title.cmp(&b.vacancy_title),
            // In the order a placement moves through.
            "status" => a.status.cmp(&b.status),
            "score" => a.score.cmp(&b.score),
            _ => a.updated_at.cmp(&b.updated_at),
        }
        .then(a.id.cmp(&b.id));
        p.dir().order(o)
    });
    v
}

/// The columns of the placements download.
const PLACEMENT_COLUMNS: [&str; 10] = [
    "placement_id",
    "person_id",
    "person",
    "vacancy_id",
    "vacancy",
    "status",
    "score",
    "started_on",
    "left_on",
    "updated_on",
];

/// The placements the filters select as CSV: a record of outcomes for
/// reporting, its read audited. It does not import back: a placement is
/// made only by confirming a pair the matcher proposes, and moved on only
/// forward, one step at a time.
pub async fn placements_csv_response(
    app: &AppState,
    ctx: &Ctx,
    params: &PlacementParams,
) -> Result<Response, AppError> {
    let rows = placements_selected(app, ctx, params, "CSV download").await?;
    let day = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    let body = useit_core::csv_import::write_table(
        &PLACEMENT_COLUMNS,
        rows.iter().map(|p| {
            vec![
                p.id.to_string(),
                p.person_id.to_string(),
                p.person_name.clone().unwrap_or_default(),
                p.vacancy_id.to_string(),
                p.vacancy_title.clone(),
                p.status.slug().to_string(),
                p.score.to_string(),
                day(p.started_on),
                day(p.left_on),
                p.updated_at.date().to_string(),
            ]
        }),
    );
    csv_download(ctx, "placements", body)
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

/// The caseload's placements as the filters select them.
pub async fn placements_selected(
    app: &AppState,
    ctx: &Ctx,
    params: &PlacementParams,
    purpose: &str,
) -> Result<Vec<Placement>, AppError> {
    let all = app
        .store
        .placements(ctx.programme_id()?, caseload(ctx)?, &ctx.actor(), purpose)
        .await?;
    Ok(select_placements(all, params))
}

async fn matching_view(
    app: &AppState,
    ctx: &Ctx,
    params: PlacementParams,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let base = base(ctx)?;
    let proposals = service::proposals(app, ctx).await?;
    let selected = placements_selected(app, ctx, &params, "matching page").await?;
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
        },
    )
}

async fn matching_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(params): Query<PlacementParams>,
) -> Result<Response, PageError> {
    Ok(matching_view(&app, &ctx, params, FormErrors::default()).await?)
}

async fn placements_csv_download(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(params): Query<PlacementParams>,
) -> Result<Response, PageError> {
    Ok(placements_csv_response(&app, &ctx, &params).await?)
}

#[derive(Clone, Debug, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ConfirmForm {
    pub person: String,
    pub vacancy: String,
}

/// Confirms a proposal: only a pair the matcher proposes now can be confirmed,
/// with its score and reasons.
pub async fn confirm(app: &AppState, ctx: &Ctx, f: &ConfirmForm) -> Result<Placement, AppError> {
    let person = Uuid::parse_str(f.person.trim()).map_err(|_| {
        AppError::Invalid(Invalid::one("person", Message::new("talent.placement.choose")).0)
    })?;
    let vacancy = Uuid::parse_str(f.vacancy.trim()).map_err(|_| {
        AppError::Invalid(Invalid::one("vacancy", Message::new("talent.placement.choose")).0)
    })?;
    let proposals = service::proposals(app, ctx).await?;
    let Some(p) = proposals
        .iter()
        .find(|p| p.person_id == person && p.vacancy_id == vacancy)
    else {
        return Err(AppError::Conflict {
            field: "vacancy".into(),
            message: Message::new("talent.placement.not_proposed"),
        });
    };
    Ok(app
        .store
        .confirm_placement(
            ctx.programme_id()?,
            caseload(ctx)?,
            person,
            vacancy,
            p.score,
            &p.reasons_json,
            &ctx.actor(),
        )
        .await?)
}

/// After an action on the matching page: back to it with a message, or the
/// page again with the form's errors, each leading to `control(field)`.
async fn matching_outcome(
    app: &AppState,
    ctx: &Ctx,
    result: Result<Placement, AppError>,
    message: impl FnOnce(&Placement) -> String,
    anchor: &str,
    control: impl Fn(&str) -> String,
) -> Result<Response, PageError> {
    match result {
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

async fn matching_confirm(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<ConfirmForm>,
) -> Result<Response, PageError> {
    let result = confirm(&app, &ctx, &f).await;
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

#[derive(Clone, Debug, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MoveForm {
    /// applied, interviewed, offered, started, left or withdrawn.
    pub status: String,
    /// The day it happened (today when blank).
    pub on: String,
}

pub async fn move_placement(
    app: &AppState,
    ctx: &Ctx,
    id: Uuid,
    f: &MoveForm,
) -> Result<Placement, AppError> {
    let status = PlacementStatus::parse(&f.status).ok_or_else(|| {
        AppError::Invalid(Invalid::one("status", Message::new("talent.placement.choose_status")).0)
    })?;
    let on = match f.on.trim() {
        "" => clock::today(),
        raw => useit_core::validation::parse_date(raw).ok_or_else(|| {
            AppError::Invalid(
                Invalid::one("on", Message::new("validation.date").arg("value", raw)).0,
            )
        })?,
    };
    Ok(app
        .store
        .set_placement_status(
            ctx.programme_id()?,
            caseload(ctx)?,
            id,
            status,
            on,
            &ctx.actor(),
        )
        .await?)
}

async fn placement_move(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(f): Form<MoveForm>,
) -> Result<Response, PageError> {
    let result = move_placement(&app, &ctx, id, &f).await;
    let message = |pl: &Placement| {
        tf(
            "talent.placement.moved",
            &[("status", t(&pl.status.label_key()))],
        )
    };
    // Each placement has its own status and date controls (`status-{id}`,
    // `on-{id}`); a bare `status` is the list's filter.
    let control = |field: &str| format!("{field}-{id}");
    matching_outcome(&app, &ctx, result, message, "#placements", control).await
}

// ---------------------------------------------------------------- settings

#[derive(Clone, Debug, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SettingsForm {
    pub target_engaged: String,
    pub target_into_work: String,
    /// Percentages, e.g. 25 or 27.5.
    pub on_cost_pct: String,
    pub cap_premium_pct: String,
    pub observed_premium_pct: String,
}

fn parse_bp(e: &mut useit_core::validation::Errors, field: &str, raw: &str) -> i64 {
    match raw.trim().trim_end_matches('%').parse::<f64>() {
        Ok(v) if (0.0..=500.0).contains(&v) => (v * 100.0).round() as i64,
        _ => {
            e.add(field, Message::new("talent.settings.bad_pct"));
            0
        }
    }
}

impl SettingsForm {
    pub fn of(s: &TalentSettings) -> SettingsForm {
        SettingsForm {
            target_engaged: s.target_engaged.to_string(),
            target_into_work: s.target_into_work.to_string(),
            on_cost_pct: bp_pct(s.savings.on_cost_bp),
            cap_premium_pct: bp_pct(s.savings.cap_premium_bp),
            observed_premium_pct: bp_pct(s.savings.observed_premium_bp),
        }
    }

    pub fn validate(&self) -> Result<TalentSettings, Invalid> {
        let mut e = useit_core::validation::Errors::new();
        let count = |e: &mut useit_core::validation::Errors, field: &str, raw: &str| match raw
            .trim()
            .parse::<i64>()
        {
            Ok(n) if (0..=100_000).contains(&n) => n,
            _ => {
                e.add(field, Message::new("talent.settings.bad_count"));
                0
            }
        };
        let target_engaged = count(&mut e, "target_engaged", &self.target_engaged);
        let target_into_work = count(&mut e, "target_into_work", &self.target_into_work);
        let on_cost_bp = parse_bp(&mut e, "on_cost_pct", &self.on_cost_pct);
        let cap_premium_bp = parse_bp(&mut e, "cap_premium_pct", &self.cap_premium_pct);
        let observed_premium_bp =
            parse_bp(&mut e, "observed_premium_pct", &self.observed_premium_pct);
        e.finish(|| TalentSettings {
            target_engaged,
            target_into_work,
            savings: useit_core::talent::results::SavingsSettings {
                on_cost_bp,
                cap_premium_bp,
                observed_premium_bp,
            },
        })
    }
}

#[derive(Template)]
#[template(path = "talent/settings.html")]
struct SettingsPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    form: SettingsForm,
}

async fn settings_page(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let s = app.store.talent_settings(ctx.programme_id()?).await?;
    Ok(render(&SettingsPage {
        layout: Layout::new(&app, &ctx, t("talent.settings.title"), "talent").await?,
        base: base(&ctx)?,
        errors: FormErrors::default(),
        form: SettingsForm::of(&s),
    })?)
}

async fn settings_save(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<SettingsForm>,
) -> Result<Response, PageError> {
    match f.validate() {
        Ok(s) => {
            app.store
                .save_talent_settings(ctx.programme_id()?, &s, &ctx.actor())
                .await?;
            ctx.flash(t("talent.settings.saved").to_string()).await;
            Ok(Redirect::to(&base(&ctx)?).into_response())
        }
        Err(Invalid(errs)) => {
            let errors = FormErrors::from_fields(&errs, &[]);
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &SettingsPage {
                    layout: Layout::new(&app, &ctx, t("talent.settings.title"), "talent")
                        .await?
                        .with_errors(&errors),
                    base: base(&ctx)?,
                    errors,
                    form: f,
                },
            )?)
        }
    }
}

/// A language result's scores as people read them: IELTS bands, OET scores.
pub fn scores(r: &useit_core::talent::pathway::LanguageResult) -> String {
    let f = |v: u16| match r.test {
        EnglishTest::Ielts => format!("{}.{}", v / 10, v % 10),
        EnglishTest::Oet => v.to_string(),
    };
    let mut parts = Vec::new();
    if let Some(o) = r.overall {
        parts.push(tf("talent.language.overall_is", &[("score", &f(o))]));
    }
    for (k, v) in [
        ("talent.field.listening", r.listening),
        ("talent.field.reading", r.reading),
        ("talent.field.writing", r.writing),
        ("talent.field.speaking", r.speaking),
    ] {
        parts.push(format!("{} {}", t(k), f(v)));
    }
    parts.join(", ")
}
