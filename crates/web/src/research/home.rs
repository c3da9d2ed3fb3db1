//! The strand's home: its figures (small counts suppressed for roles
//! without personal-data rights), the projects and a form to add one; one
//! project's page with its findings and, for the coordinator, its form.

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::research::findings::{project_themes, save_project_themes};
use useit_app::research::projects::{project, projects, save_project};
use useit_app::research::researchers::my_record;
use useit_app::research::social_lab::project_income;
use useit_app::research::summary::{Summary, summary};
use useit_core::auth::Capability;
use useit_core::clock::display_date;
use useit_core::i18n::{t, tf, tn};
use useit_core::money::format_pence;
use useit_core::research::assignment::AssignmentInput;
use useit_core::research::project::{Project, ProjectInput};
use useit_core::research::social_lab::IncomeInput;
use uuid::Uuid;

use super::view::{base, commissioners, hours, statuses};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{Choice, FormErrors, Layout, render_status};
use crate::i18n::filters;
use crate::state::AppState;

pub struct ProjectLine {
    pub href: String,
    pub title: String,
    pub commissioner: String,
    pub status: String,
    pub budget: String,
    pub hours: String,
}

fn line(base: &str, p: &Project) -> ProjectLine {
    let d = &p.draft;
    let kind = t(&d.commissioner_kind.label_key()).to_string();
    ProjectLine {
        href: format!("{base}/projects/{}", p.id),
        title: d.title.clone(),
        commissioner: if d.commissioner.is_empty() {
            kind
        } else {
            format!("{} ({kind})", d.commissioner)
        },
        status: t(&d.status.label_key()).into(),
        budget: d
            .budget
            .map(format_pence)
            .unwrap_or_else(|| t("research.not_agreed").into()),
        hours: hours(p.approved_minutes),
    }
}

pub struct Figure {
    pub label: String,
    pub value: String,
}

fn figures(s: &Summary) -> Vec<Figure> {
    let f = |k: &str, v: String| Figure {
        label: t(k).into(),
        value: v,
    };
    let mut v = vec![
        f("research.fig.researchers", s.researchers.text()),
        f("research.fig.accredited", s.accredited.text()),
        f(
            "research.fig.deciles_1_2",
            tf(
                "research.fig.of_known",
                &[
                    ("n", &s.deciles_1_2.text()),
                    ("known", &s.decile_known.text()),
                ],
            ),
        ),
    ];
    for (c, n) in &s.by_channel {
        v.push(Figure {
            label: tf("research.fig.channel", &[("channel", t(&c.label_key()))]),
            value: n.text(),
        });
    }
    v.push(f("research.fig.hours", hours(s.approved_minutes)));
    v.push(f(
        "research.fig.paid",
        s.approved_pence
            .map(format_pence)
            .unwrap_or_else(|| t("research.fig.pay_not_known").into()),
    ));
    v
}

#[derive(Template)]
#[template(path = "research/home.html")]
struct HomePage {
    layout: Layout,
    base: String,
    figures: Vec<Figure>,
    projects: Vec<ProjectLine>,
    manage: bool,
    record: bool,
    /// A researcher's own page (their record, projects and income).
    own_href: Option<String>,
    errors: FormErrors,
    form: ProjectInput,
    commissioners: Vec<Choice>,
    statuses: Vec<Choice>,
}

async fn home_view(
    app: &AppState,
    ctx: &Ctx,
    form: ProjectInput,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let caller = ctx.caller()?;
    let base = base(ctx)?;
    let s = summary(app.store.as_ref(), &caller).await?;
    // A researcher's way to their own record (a coordinator has the list).
    let own_href =
        if ctx.can(Capability::RecordResearchTime) && !ctx.can(Capability::ManageResearch) {
            my_record(app.store.as_ref(), &caller)
                .await?
                .map(|r| format!("{base}/researchers/{}", r.id))
        } else {
            None
        };
    let projects = projects(app.store.as_ref(), &caller)
        .await?
        .iter()
        .map(|p| line(&base, p))
        .collect();
    render_status(
        errors.status(),
        &HomePage {
            layout: Layout::new(app, ctx, t("research.title"), "research")
                .await?
                .with_errors(&errors),
            base,
            figures: figures(&s),
            projects,
            manage: ctx.can(Capability::ManageResearch),
            record: ctx.can(Capability::RecordResearchTime),
            own_href,
            errors,
            form,
            commissioners: commissioners(),
            statuses: statuses(),
        },
    )
}

pub async fn home_page(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    Ok(home_view(&app, &ctx, ProjectInput::default(), FormErrors::default()).await?)
}

pub async fn project_create(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<ProjectInput>,
) -> Result<Response, PageError> {
    match save_project(app.store.as_ref(), &ctx.caller()?, None, &f).await {
        Ok(p) => {
            ctx.flash(tf("research.project.saved", &[("title", &p.draft.title)]))
                .await;
            Ok(Redirect::to(&format!("{}/projects/{}", base(&ctx)?, p.id)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(home_view(&app, &ctx, f, errors).await?)
        }
    }
}

/// What the project page's smaller forms hold when one is shown again
/// with its errors.
#[derive(Default)]
pub struct ProjectForms {
    pub income: IncomeInput,
    pub assign: AssignmentInput,
}

#[derive(Template)]
#[template(path = "research/project.html")]
struct ProjectPage {
    layout: Layout,
    base: String,
    project: ProjectLine,
    question: String,
    method: String,
    /// The old free-text findings, shown as the project's summary.
    findings: String,
    /// The project's findings as records.
    cards: Vec<super::findings::Card>,
    project_id: Uuid,
    action: String,
    manage: bool,
    errors: FormErrors,
    form: ProjectInput,
    commissioners: Vec<Choice>,
    statuses: Vec<Choice>,
    income: Vec<(String, String, String)>,
    income_total: String,
    income_form: IncomeInput,
    /// The researchers assigned (the coordinator's: names), the assign
    /// form and the researchers it offers.
    assignments: Vec<super::assignments::AssignmentLine>,
    assign_form: AssignmentInput,
    researcher_choices: Vec<Choice>,
    /// The project's own themes, and the programme's its findings may take
    /// too.
    own_themes: Vec<String>,
    programme_themes: Vec<String>,
    /// The project's themes form: one a line.
    themes_text: String,
}

pub(super) async fn project_view(
    app: &AppState,
    ctx: &Ctx,
    id: Uuid,
    form: Option<ProjectInput>,
    errors: FormErrors,
    forms: ProjectForms,
    themes_text: Option<String>,
) -> Result<Response, AppError> {
    let caller = ctx.caller()?;
    let p = project(app.store.as_ref(), &caller, id).await?;
    let manage = ctx.can(Capability::ManageResearch);
    let (assignments, researcher_choices) = if manage {
        super::assignments::project_lines(app, &caller, &base(ctx)?, id).await?
    } else {
        (Vec::new(), Vec::new())
    };
    let themes = project_themes(app.store.as_ref(), &caller, id).await?;
    let paid = project_income(app.store.as_ref(), &caller, id).await?;
    let base = base(ctx)?;
    let records = useit_app::research::findings::findings(
        app.store.as_ref(),
        &caller,
        &useit_core::research::finding::FindingFilter {
            project: Some(id.to_string()),
            ..Default::default()
        },
    )
    .await?;
    let cards = records
        .items
        .iter()
        .map(|v| super::findings::card(&base, v))
        .collect();
    render_status(
        errors.status(),
        &ProjectPage {
            layout: Layout::new(app, ctx, p.draft.title.clone(), "research")
                .await?
                .with_errors(&errors),
            project: line(&base, &p),
            action: format!("{base}/projects/{id}"),
            base,
            question: p.draft.question.clone(),
            method: p.draft.method.clone(),
            findings: p.draft.findings.clone(),
            cards,
            project_id: id,
            manage: ctx.can(Capability::ManageResearch),
            errors,
            form: form.unwrap_or_else(|| p.draft.to_input()),
            commissioners: commissioners(),
            statuses: statuses(),
            income_total: format_pence(paid.iter().map(|i| i.amount).sum()),
            income: paid
                .iter()
                .map(|i| {
                    (
                        display_date(i.received_on),
                        format_pence(i.amount),
                        i.note.clone(),
                    )
                })
                .collect(),
            income_form: forms.income,
            assignments,
            assign_form: forms.assign,
            researcher_choices,
            themes_text: themes_text.unwrap_or_else(|| themes.own.join("\n")),
            own_themes: themes.own,
            programme_themes: themes.programme,
        },
    )
}

pub async fn project_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<Response, PageError> {
    Ok(project_view(
        &app,
        &ctx,
        id,
        None,
        FormErrors::default(),
        ProjectForms::default(),
        None,
    )
    .await?)
}

pub async fn project_update(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(f): Form<ProjectInput>,
) -> Result<Response, PageError> {
    match save_project(app.store.as_ref(), &ctx.caller()?, Some(id), &f).await {
        Ok(p) => {
            ctx.flash(tf("research.project.saved", &[("title", &p.draft.title)]))
                .await;
            Ok(Redirect::to(&format!("{}/projects/{id}", base(&ctx)?)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(project_view(
                &app,
                &ctx,
                id,
                Some(f),
                errors,
                ProjectForms::default(),
                None,
            )
            .await?)
        }
    }
}

#[derive(serde::Deserialize)]
pub struct ProjectThemesForm {
    #[serde(default)]
    pub themes: String,
}

/// Replaces the project's own themes (one a line).
pub async fn project_themes_save(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(f): Form<ProjectThemesForm>,
) -> Result<Response, PageError> {
    match save_project_themes(app.store.as_ref(), &ctx.caller()?, id, &f.themes).await {
        Ok(saved) => {
            ctx.flash(tn("research.project_themes.saved", saved.own.len() as u64))
                .await;
            Ok(
                Redirect::to(&format!("{}/projects/{id}#project-themes", base(&ctx)?))
                    .into_response(),
            )
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(project_view(
                &app,
                &ctx,
                id,
                None,
                errors,
                ProjectForms::default(),
                Some(f.themes),
            )
            .await?)
        }
    }
}
