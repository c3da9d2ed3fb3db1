//! A project's questionnaire on the web: its questions and results (free
//! text and personal questions for the coordinator only; small counts
//! suppressed for other roles), the coordinator's forms (add a question,
//! upload an XLSForm, import a KoboToolbox / ODK submissions export with
//! its problems by line and column) and the phone form researchers answer
//! on, which works without JavaScript.

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::research::projects::project;
use useit_app::research::survey::{
    QuestionLine, Results, add_question, import_responses, import_xlsform, questionnaire, respond,
    results,
};
use useit_core::auth::Capability;
use useit_core::clock::display_date;
use useit_core::csv_import::Report;
use useit_core::i18n::{Message, format_count, t, tf};
use useit_core::research::questionnaire::{Question, QuestionInput, QuestionKind};
use uuid::Uuid;

use super::view::base;
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::forms::Upload;
use crate::http::views::{Choice, FormErrors, Layout, render_status};
use crate::i18n::filters;
use crate::state::AppState;

/// One question as the results table shows it.
pub struct QuestionView {
    pub path: String,
    pub label: String,
    pub kind: String,
    pub required: bool,
    pub personal: bool,
    pub answered: String,
    pub choices: Vec<(String, String)>,
    pub summary: String,
    /// The answers, for the coordinator: free text and personal questions.
    pub texts: Option<Vec<String>>,
    /// Shown to roles that may not read these answers.
    pub withheld: bool,
}

fn number(x: f64) -> String {
    let r = (x * 100.0).round() / 100.0;
    let sign = if r < 0.0 { "-" } else { "" };
    if r.fract() == 0.0 {
        format!("{sign}{}", format_count(r.abs() as u64))
    } else {
        format!("{r:.2}")
    }
}

fn view_of(line: QuestionLine) -> QuestionView {
    let q = &line.question;
    let summary = match (line.numbers, line.dates) {
        (Some((min, mean, max)), _) => tf(
            "research.results.numbers",
            &[
                ("min", &number(min)),
                ("mean", &number(mean)),
                ("max", &number(max)),
            ],
        ),
        (_, Some((first, last))) => tf(
            "research.results.dates",
            &[
                ("first", &display_date(first)),
                ("last", &display_date(last)),
            ],
        ),
        _ => String::new(),
    };
    QuestionView {
        path: q.path(),
        label: q.label.clone(),
        kind: t(&q.kind.label_key()).into(),
        required: q.required,
        personal: q.personal,
        answered: line.answered.text(),
        choices: line
            .choices
            .iter()
            .map(|(c, n)| (c.label.clone(), n.text()))
            .collect(),
        summary,
        withheld: q.restricted() && line.texts.is_none(),
        texts: line.texts,
    }
}

#[derive(Template)]
#[template(path = "research/questionnaire.html")]
struct QuestionnairePage {
    layout: Layout,
    /// The project's page.
    back: String,
    action: String,
    project_title: String,
    title: String,
    has_questionnaire: bool,
    responses: String,
    exact: bool,
    questions: Vec<QuestionView>,
    manage: bool,
    record: bool,
    /// Whether the caller may use the results as LM3's re-spend inputs.
    respend: bool,
    errors: FormErrors,
    form: QuestionInput,
    kinds: Vec<Choice>,
    /// The last upload's problems and what it did (`state`: applied or rejected).
    report: Option<Report>,
    state: &'static str,
    summary: String,
}

struct Outcome {
    report: Option<Report>,
    state: &'static str,
    summary: String,
}

impl Outcome {
    fn none() -> Self {
        Outcome {
            report: None,
            state: "",
            summary: String::new(),
        }
    }
}

async fn questionnaire_view(
    app: &AppState,
    ctx: &Ctx,
    id: Uuid,
    form: QuestionInput,
    errors: FormErrors,
    outcome: Outcome,
) -> Result<Response, AppError> {
    let caller = ctx.caller()?;
    let s = app.store.as_ref();
    let p = project(s, &caller, id).await?;
    let r: Option<Results> = results(s, &caller, id).await?;
    let base = base(ctx)?;
    let (title, responses, exact, questions) = match r {
        Some(r) => (
            r.questionnaire.title.clone(),
            tf(
                "research.results.responses",
                &[
                    ("count", &r.responses.text()),
                    ("imported", &r.imported.text()),
                ],
            ),
            r.exact,
            r.lines.into_iter().map(view_of).collect(),
        ),
        None => (String::new(), String::new(), true, Vec::new()),
    };
    let status = if errors.is_empty() && outcome.state != "rejected" {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render_status(
        status,
        &QuestionnairePage {
            layout: Layout::new(
                app,
                ctx,
                tf(
                    "research.questionnaire.title",
                    &[("project", &p.draft.title)],
                ),
                "research",
            )
            .await?
            .with_errors(&errors),
            action: format!("{base}/projects/{id}/questionnaire"),
            back: format!("{base}/projects/{id}"),
            project_title: p.draft.title.clone(),
            has_questionnaire: !title.is_empty() || !questions.is_empty(),
            title,
            responses,
            exact,
            questions,
            manage: ctx.can(Capability::ManageResearch),
            record: ctx.can(Capability::RecordResearchTime),
            respend: ctx.can(Capability::ManageSpend),
            errors,
            form,
            kinds: QuestionKind::ALL
                .iter()
                .map(|k| Choice::new(k.slug(), t(&k.label_key())))
                .collect(),
            report: outcome.report,
            state: outcome.state,
            summary: outcome.summary,
        },
    )
}

pub async fn questionnaire_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<Response, PageError> {
    Ok(questionnaire_view(
        &app,
        &ctx,
        id,
        QuestionInput {
            kind: "select_one".into(),
            ..Default::default()
        },
        FormErrors::default(),
        Outcome::none(),
    )
    .await?)
}

pub async fn question_add(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(f): Form<QuestionInput>,
) -> Result<Response, PageError> {
    match add_question(app.store.as_ref(), &ctx.caller()?, id, &f).await {
        Ok(_) => {
            ctx.flash(tf("research.question.added", &[("label", &f.label)]))
                .await;
            Ok(
                Redirect::to(&format!("{}/projects/{id}/questionnaire", base(&ctx)?))
                    .into_response(),
            )
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(questionnaire_view(&app, &ctx, id, f, errors, Outcome::none()).await?)
        }
    }
}

fn no_file() -> FormErrors {
    FormErrors::one("file", Message::new("upload.choose_file"))
}

fn rejected(report: Report, field: &str) -> (FormErrors, Outcome) {
    let errors = FormErrors::one(
        field,
        Message::new("upload.has_errors").arg("count", report.error_count()),
    );
    (
        errors,
        Outcome {
            report: Some(report),
            state: "rejected",
            summary: String::new(),
        },
    )
}

/// Sets the questionnaire from an uploaded XLSForm.
pub async fn xlsform_upload(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    up: Upload,
) -> Result<Response, PageError> {
    let blank = QuestionInput::default();
    if up.file_name.is_empty() || up.bytes.is_empty() {
        return Ok(questionnaire_view(
            &app,
            &ctx,
            id,
            blank,
            FormErrors::one("form_file", Message::new("research.xlsform.choose")),
            Outcome::none(),
        )
        .await?);
    }
    match import_xlsform(
        app.store.as_ref(),
        &ctx.caller()?,
        id,
        &up.file_name,
        &up.bytes,
    )
    .await
    {
        Ok(done) => {
            let summary = if done.outcome.changed {
                tf(
                    "research.xlsform.done",
                    &[(
                        "count",
                        &format_count(done.outcome.questionnaire.questions.len() as u64),
                    )],
                )
            } else {
                t("research.xlsform.unchanged").into()
            };
            let outcome = Outcome {
                report: Some(done.report),
                state: "applied",
                summary,
            };
            Ok(questionnaire_view(&app, &ctx, id, blank, FormErrors::default(), outcome).await?)
        }
        Err(useit_app::Error::Rejected(report)) => {
            let (errors, outcome) = rejected(report, "form_file");
            Ok(questionnaire_view(&app, &ctx, id, blank, errors, outcome).await?)
        }
        Err(e) => match FormErrors::from_error(e.into(), &[]) {
            Ok(errors) => {
                Ok(questionnaire_view(&app, &ctx, id, blank, errors, Outcome::none()).await?)
            }
            Err(e) => Err(e.into()),
        },
    }
}

/// Imports a submissions export (CSV) into the project's responses.
pub async fn responses_upload(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    up: Upload,
) -> Result<Response, PageError> {
    let blank = QuestionInput::default();
    if up.file_name.is_empty() || up.bytes.is_empty() {
        return Ok(questionnaire_view(&app, &ctx, id, blank, no_file(), Outcome::none()).await?);
    }
    match import_responses(
        app.store.as_ref(),
        &ctx.caller()?,
        id,
        &up.file_name,
        &up.bytes,
    )
    .await
    {
        Ok(done) => {
            let summary = tf(
                "research.import.done",
                &[
                    ("added", &format_count(done.outcome.added)),
                    ("unchanged", &format_count(done.outcome.unchanged)),
                ],
            );
            let outcome = Outcome {
                report: Some(done.report),
                state: "applied",
                summary,
            };
            Ok(questionnaire_view(&app, &ctx, id, blank, FormErrors::default(), outcome).await?)
        }
        Err(useit_app::Error::Rejected(report)) => {
            let (errors, outcome) = rejected(report, "file");
            Ok(questionnaire_view(&app, &ctx, id, blank, errors, outcome).await?)
        }
        Err(e) => match FormErrors::from_error(e.into(), &[]) {
            Ok(errors) => {
                Ok(questionnaire_view(&app, &ctx, id, blank, errors, Outcome::none()).await?)
            }
            Err(e) => Err(e.into()),
        },
    }
}

/// One question of the phone form.
pub struct Field {
    pub path: String,
    pub label: String,
    pub kind: &'static str,
    pub required: bool,
    pub value: String,
    pub choices: Vec<(Choice, bool)>,
    pub error: Option<String>,
    pub hint: String,
}

#[derive(Template)]
#[template(path = "research/respond.html")]
struct RespondPage {
    layout: Layout,
    action: String,
    back: String,
    title: String,
    fields: Vec<Field>,
    errors: FormErrors,
}

fn fields(questions: &[Question], given: &[(String, String)], errors: &FormErrors) -> Vec<Field> {
    questions
        .iter()
        .map(|q| {
            let path = q.path();
            let values: Vec<&str> = given
                .iter()
                .filter(|(k, _)| *k == path)
                .map(|(_, v)| v.as_str())
                .collect();
            let hint = match q.kind {
                QuestionKind::Date => t("research.respond.date_hint").into(),
                QuestionKind::SelectMultiple => t("research.respond.several_hint").into(),
                _ => String::new(),
            };
            Field {
                value: values.first().copied().unwrap_or("").to_string(),
                choices: q
                    .choices
                    .iter()
                    .map(|c| {
                        (
                            Choice::new(&c.name, &c.label),
                            values.contains(&c.name.as_str()),
                        )
                    })
                    .collect(),
                error: errors.get(&path).map(String::from),
                label: q.label.clone(),
                kind: q.kind.slug(),
                required: q.required,
                hint,
                path,
            }
        })
        .collect()
}

async fn respond_view(
    app: &AppState,
    ctx: &Ctx,
    id: Uuid,
    given: &[(String, String)],
    errors: FormErrors,
) -> Result<Response, AppError> {
    let caller = ctx.caller()?;
    let q = questionnaire(app.store.as_ref(), &caller, id)
        .await?
        .filter(|q| !q.questions.is_empty())
        .ok_or(AppError::NotFound)?;
    let base = base(ctx)?;
    render_status(
        errors.status(),
        &RespondPage {
            layout: Layout::new(app, ctx, q.title.clone(), "research")
                .await?
                .with_errors(&errors),
            action: format!("{base}/projects/{id}/questionnaire/respond"),
            back: format!("{base}/projects/{id}/questionnaire"),
            title: q.title.clone(),
            fields: fields(&q.questions, given, &errors),
            errors,
        },
    )
}

pub async fn respond_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<Response, PageError> {
    Ok(respond_view(&app, &ctx, id, &[], FormErrors::default()).await?)
}

pub async fn respond_submit(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let given: Vec<(String, String)> = pairs.into_iter().filter(|(k, _)| k != "_csrf").collect();
    match respond(app.store.as_ref(), &ctx.caller()?, id, &given).await {
        Ok(()) => {
            ctx.flash(t("research.respond.saved")).await;
            Ok(Redirect::to(&format!(
                "{}/projects/{id}/questionnaire/respond",
                base(&ctx)?
            ))
            .into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(respond_view(&app, &ctx, id, &given, errors).await?)
        }
    }
}
