//! The anchors' lots: the list (CSV download that imports back), a lot
//! entered by form or a file of lots uploaded, and one lot's answer: who
//! can bid alone, why the others cannot, and the best consortia.

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::Imported;
use useit_app::enterprise::consortium::{LotAnswer, consortium};
use useit_app::enterprise::lots::{OcdsImported, import_lots, import_ocds, lots, save_lot};
use useit_core::auth::Capability;
use useit_core::clock::display_date;
use useit_core::csv_import::Report;
use useit_core::enterprise::consortium::LEAD_RULE;
use useit_core::enterprise::lot::{self, Lot, LotInput};
use useit_core::enterprise::services::taxonomy;
use useit_core::i18n::{Message, format_count, t, tf};
use useit_core::money::format_pence;
use uuid::Uuid;

use super::view::{base, services_text};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::forms::Upload;
use crate::http::views::{FormErrors, Layout, csv_download, render, render_status};
use crate::i18n::filters;
use crate::state::AppState;

pub struct LotLine {
    pub href: String,
    pub reference: String,
    pub title: String,
    pub buyer: String,
    pub services: String,
    pub value: String,
    pub deadline: String,
}

fn lot_line(base: &str, l: &Lot) -> LotLine {
    let r = &l.draft.requirements;
    LotLine {
        href: format!("{base}/lots/{}", l.id),
        reference: l.draft.reference.clone(),
        title: l.draft.title.clone(),
        buyer: l.draft.buyer.clone(),
        services: services_text(&r.services),
        value: format_pence(r.value),
        deadline: display_date(r.deadline),
    }
}

#[derive(Template)]
#[template(path = "enterprise/lots.html")]
struct LotsPage {
    layout: Layout,
    base: String,
    lines: Vec<LotLine>,
    can_manage: bool,
    columns: String,
    errors: FormErrors,
    report: Option<Report>,
    state: &'static str,
    summary: String,
}

async fn lots_view(
    app: &AppState,
    ctx: &Ctx,
    errors: FormErrors,
    report: Option<Report>,
    summary: Option<String>,
) -> Result<LotsPage, AppError> {
    let base = base(ctx)?;
    let all = lots(app.store.as_ref(), &ctx.caller()?).await?;
    let rejected = report.as_ref().is_some_and(|r| r.has_errors());
    Ok(LotsPage {
        layout: Layout::new(app, ctx, t("enterprise.lots.title"), "enterprise")
            .await?
            .with_errors(&errors),
        lines: all.iter().map(|l| lot_line(&base, l)).collect(),
        can_manage: ctx.can(Capability::ManageOpportunities),
        columns: lot::COLUMNS.join(", "),
        errors,
        report,
        state: match (&summary, rejected) {
            (_, true) => "rejected",
            (Some(_), false) => "applied",
            (None, false) => "",
        },
        summary: summary.unwrap_or_default(),
        base,
    })
}

pub async fn lots_page(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    Ok(render(
        &lots_view(&app, &ctx, FormErrors::default(), None, None).await?,
    )?)
}

pub async fn lots_csv(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let all = lots(app.store.as_ref(), &ctx.caller()?).await?;
    Ok(csv_download(&ctx, "lots", lot::export(&all))?)
}

pub async fn lots_import(
    State(app): State<AppState>,
    ctx: Ctx,
    up: Upload,
) -> Result<Response, PageError> {
    if up.file_name.is_empty() || up.bytes.is_empty() {
        let errors = FormErrors::one("file", Message::new("upload.choose_file"));
        let page = lots_view(&app, &ctx, errors, None, None).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?);
    }
    match import_lots(app.store.as_ref(), &ctx.caller()?, &up.file_name, &up.bytes).await {
        Ok(Imported { outcome, report }) => {
            let summary = tf(
                "enterprise.lots.imported",
                &[
                    ("new", &outcome.new.to_string()),
                    ("changed", &outcome.changed.to_string()),
                    ("unchanged", &outcome.unchanged.to_string()),
                ],
            );
            let page = lots_view(
                &app,
                &ctx,
                FormErrors::default(),
                Some(report),
                Some(summary),
            )
            .await?;
            Ok(render(&page)?)
        }
        Err(useit_app::Error::Rejected(report)) => {
            let errors = FormErrors::one(
                "file",
                Message::new("upload.has_errors").arg("count", report.errors().count()),
            );
            let page = lots_view(&app, &ctx, errors, Some(report), None).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

/// What an OCDS import did, in words.
pub fn ocds_summary(file: &str, o: &OcdsImported) -> String {
    Message::new("enterprise.ocds.imported")
        .arg("file", file)
        .arg("count", o.releases)
        .arg("new", format_count(o.saved.new))
        .arg("changed", format_count(o.saved.changed))
        .arg("unchanged", format_count(o.saved.unchanged))
        .text()
}

/// Imports an OCDS release package from the upload form on the lots page;
/// errors name the release and the JSON path, and nothing is written.
pub async fn lots_ocds(
    State(app): State<AppState>,
    ctx: Ctx,
    up: Upload,
) -> Result<Response, PageError> {
    if up.file_name.is_empty() || up.bytes.is_empty() {
        let errors = FormErrors::one("package", Message::new("upload.choose_file"));
        let page = lots_view(&app, &ctx, errors, None, None).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?);
    }
    match import_ocds(app.store.as_ref(), &ctx.caller()?, &up.file_name, &up.bytes).await {
        Ok(Imported { outcome, report }) => {
            let summary = ocds_summary(&up.file_name, &outcome);
            let page = lots_view(
                &app,
                &ctx,
                FormErrors::default(),
                Some(report),
                Some(summary),
            )
            .await?;
            Ok(render(&page)?)
        }
        Err(useit_app::Error::Rejected(report)) => {
            let errors = FormErrors::one(
                "package",
                Message::new("upload.has_errors").arg("count", report.errors().count()),
            );
            let page = lots_view(&app, &ctx, errors, Some(report), None).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

#[derive(Template)]
#[template(path = "enterprise/lot_form.html")]
struct LotFormPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    form: LotInput,
    services_hint: String,
}

async fn lot_form(
    app: &AppState,
    ctx: &Ctx,
    form: LotInput,
    errors: FormErrors,
) -> Result<LotFormPage, AppError> {
    Ok(LotFormPage {
        layout: Layout::new(app, ctx, t("enterprise.lot.new"), "enterprise")
            .await?
            .with_errors(&errors),
        base: base(ctx)?,
        errors,
        form,
        services_hint: tf(
            "enterprise.profile.services_hint",
            &[(
                "services",
                &taxonomy()
                    .services
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            )],
        ),
    })
}

pub async fn lot_new(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    Ok(render(
        &lot_form(&app, &ctx, LotInput::default(), FormErrors::default()).await?,
    )?)
}

pub async fn lot_save(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<LotInput>,
) -> Result<Response, PageError> {
    match save_lot(app.store.as_ref(), &ctx.caller()?, &f).await {
        Ok(l) => {
            ctx.flash(tf("enterprise.lot.saved", &[("title", &l.draft.title)]))
                .await;
            Ok(Redirect::to(&format!("{}/lots/{}", base(&ctx)?, l.id)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            let page = lot_form(&app, &ctx, f, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
    }
}

pub struct Why {
    pub name: String,
    pub href: String,
    pub reasons: Vec<String>,
}

pub struct ProposalView {
    pub members: Vec<(String, String)>,
    pub lead: String,
    pub explanation: Vec<String>,
}

#[derive(Template)]
#[template(path = "enterprise/lot.html")]
struct LotPage {
    layout: Layout,
    base: String,
    line: LotLine,
    requirements: Vec<String>,
    alone: Vec<(String, String)>,
    not_alone: Vec<Why>,
    proposals: Vec<ProposalView>,
    blockers: Vec<String>,
    lead_rule: String,
    summary: String,
}

fn lot_view(base: &str, a: &LotAnswer) -> (Vec<(String, String)>, Vec<Why>, Vec<ProposalView>) {
    let tx = taxonomy();
    let href = |id: Uuid| format!("{base}/enterprises/{id}");
    let alone = a
        .eligibility
        .qualify
        .iter()
        .map(|id| (a.name(*id).to_string(), href(*id)))
        .collect();
    let not_alone = a
        .eligibility
        .not_alone
        .iter()
        .map(|n| Why {
            name: a.name(n.id).to_string(),
            href: href(n.id),
            reasons: n.unmet.iter().map(|u| u.message(&tx).text()).collect(),
        })
        .collect();
    let proposals = a
        .consortia
        .proposals
        .iter()
        .map(|p| ProposalView {
            members: p
                .members
                .iter()
                .map(|m| (m.name.clone(), href(m.id)))
                .collect(),
            lead: p.members[p.lead].name.clone(),
            explanation: p
                .explanation
                .iter()
                .map(|e| e.message(p, &tx).text())
                .collect(),
        })
        .collect();
    (alone, not_alone, proposals)
}

pub async fn lot_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<Response, PageError> {
    let a = consortium(app.store.as_ref(), &ctx.caller()?, id, 5).await?;
    let base = base(&ctx)?;
    let tx = taxonomy();
    let (alone, not_alone, proposals) = lot_view(&base, &a);
    let model = useit_core::enterprise::consortium::Model::new(&a.lot.draft.requirements, &[]);
    let mut requirements: Vec<String> = model
        .rows
        .iter()
        .map(|r| r.requirement.message(&tx).text())
        .collect();
    requirements.extend(model.per_member.iter().map(|r| r.message(&tx).text()));
    requirements.extend(model.turnover_rule.iter().map(|r| r.message(&tx).text()));
    if model.value > 0 {
        requirements.push(
            useit_core::enterprise::consortium::Requirement::Capacity { value: model.value }
                .message(&tx)
                .text(),
        );
    }
    let page = LotPage {
        layout: Layout::new(&app, &ctx, a.lot.draft.title.clone(), "enterprise").await?,
        line: lot_line(&base, &a.lot),
        requirements,
        alone,
        not_alone,
        proposals,
        blockers: a
            .consortia
            .blockers
            .iter()
            .map(|b| b.message(&tx).text())
            .collect(),
        lead_rule: t(LEAD_RULE).to_string(),
        summary: tf(
            "enterprise.lot.summary",
            &[
                ("value", &format_pence(a.lot.draft.requirements.value)),
                ("deadline", &display_date(a.lot.draft.requirements.deadline)),
            ],
        ),
        base,
    };
    Ok(render(&page)?)
}
