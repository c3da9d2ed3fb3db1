//! One enterprise: its profile, support log and income by year; the
//! profile form; recording support and a year's income.

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::enterprise::profiles::{EnterpriseDetail, enterprise, save_profile};
use useit_app::enterprise::records::{add_support, save_income};
use useit_core::anchors::registers::LegalForm;
use useit_core::auth::Capability;
use useit_core::clock::display_date;
use useit_core::enterprise::income::IncomeInput;
use useit_core::enterprise::profile::ProfileInput;
use useit_core::enterprise::support::{PlanStage, SupportInput, SupportKind, hours_text};
use useit_core::i18n::{t, tf};
use useit_core::money::format_pence;
use uuid::Uuid;

use super::view::{base, legal_form_name, services_text, share_text};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{Choice, FormErrors, Layout, render, render_status};
use crate::i18n::filters;
use crate::state::AppState;

pub struct Fact {
    pub label: String,
    pub value: String,
}

pub struct SupportLine {
    pub day: String,
    pub kind: String,
    pub hours: String,
    pub outcome: String,
    pub stage: String,
    pub adviser: String,
}

pub struct IncomeLine {
    pub year: String,
    /// Grants, donations, trading, contracts, total: or "not known".
    pub amounts: Vec<String>,
    pub earned: String,
}

#[derive(Template)]
#[template(path = "enterprise/detail.html")]
struct DetailPage {
    layout: Layout,
    base: String,
    here: String,
    facts: Vec<Fact>,
    milestones: Vec<Fact>,
    grant_sources: Vec<super::grants::GrantLine>,
    support: Vec<SupportLine>,
    income: Vec<IncomeLine>,
    income_svg: String,
    can_edit: bool,
    errors: FormErrors,
    support_form: SupportInput,
    income_form: IncomeInput,
    kinds: Vec<Choice>,
    stages: Vec<Choice>,
}

fn money_or_unknown(p: Option<i64>) -> String {
    p.map(format_pence)
        .unwrap_or_else(|| t("enterprise.not_known").to_string())
}

fn facts(d: &EnterpriseDetail) -> Vec<Fact> {
    let e = &d.enterprise;
    let p = e.profile.clone().unwrap_or_default();
    let fact = |k: &str, v: String| Fact {
        label: t(k).to_string(),
        value: v,
    };
    let yes_no = |b: bool| t(if b { "enterprise.yes" } else { "enterprise.no" }).to_string();
    let place = match &d.place {
        Some(r) => match (&r.area_name, r.decile) {
            (Some(a), Some(dec)) => tf(
                "enterprise.detail.place",
                &[("area", a), ("decile", &dec.to_string())],
            ),
            _ => t("enterprise.not_known").to_string(),
        },
        None => t("enterprise.not_known").to_string(),
    };
    vec![
        fact("enterprise.col.org_id", e.org_id.clone()),
        fact("enterprise.col.legal_form", legal_form_name(e)),
        fact(
            "enterprise.detail.postcode",
            e.postcode
                .as_deref()
                .map(useit_core::words::postcode)
                .unwrap_or_default(),
        ),
        fact("enterprise.detail.place_label", place),
        fact(
            "enterprise.profile.social_purpose",
            yes_no(p.social_purpose),
        ),
        fact(
            "enterprise.profile.reinvests_profits",
            yes_no(p.reinvests_profits),
        ),
        fact(
            "enterprise.profile.mission_ownership",
            yes_no(p.mission_ownership),
        ),
        fact("enterprise.col.services", services_text(&p.services)),
        fact(
            "enterprise.profile.accreditations",
            p.accreditations
                .iter()
                .map(|a| match a.expires_on {
                    Some(d) => tf(
                        "enterprise.detail.until",
                        &[("name", &a.kind.name()), ("date", &display_date(d))],
                    ),
                    None => a.kind.name(),
                })
                .collect::<Vec<_>>()
                .join("; "),
        ),
        fact("enterprise.col.turnover", money_or_unknown(p.turnover)),
        fact(
            "enterprise.profile.staff",
            p.staff
                .map(|s| s.to_string())
                .unwrap_or_else(|| t("enterprise.not_known").to_string()),
        ),
        fact(
            "enterprise.profile.largest_contract",
            money_or_unknown(p.largest_contract),
        ),
        fact(
            "enterprise.profile.public_liability",
            money_or_unknown(p.insurance.public_liability),
        ),
        fact(
            "enterprise.profile.employers_liability",
            money_or_unknown(p.insurance.employers_liability),
        ),
        fact(
            "enterprise.profile.professional_indemnity",
            money_or_unknown(p.insurance.professional_indemnity),
        ),
        fact("enterprise.profile.areas", p.areas.join(", ")),
    ]
}

fn choices<T: Copy>(
    all: &[T],
    slug: fn(T) -> &'static str,
    key: fn(T) -> &'static str,
) -> Vec<Choice> {
    all.iter()
        .map(|k| Choice::new(slug(*k), t(key(*k))))
        .collect()
}

async fn detail_view(
    app: &AppState,
    ctx: &Ctx,
    id: Uuid,
    support_form: SupportInput,
    income_form: IncomeInput,
    errors: FormErrors,
) -> Result<DetailPage, AppError> {
    let d = enterprise(app.store.as_ref(), &ctx.caller()?, id).await?;
    let base = base(ctx)?;
    let not_known = t("enterprise.not_known").to_string();
    Ok(DetailPage {
        layout: Layout::new(app, ctx, d.enterprise.name.clone(), "enterprise")
            .await?
            .with_errors(&errors),
        here: format!("{base}/enterprises/{id}"),
        facts: facts(&d),
        income_svg: super::charts::enterprise_chart(&d.income),
        milestones: super::milestones::facts(app, ctx, id).await?,
        grant_sources: super::milestones::grant_sources(app, ctx, id).await?,
        support: d
            .support
            .iter()
            .map(|s| SupportLine {
                day: display_date(s.draft.given_on),
                kind: t(s.draft.kind.label_key()).to_string(),
                hours: hours_text(s.draft.tenths_of_hours),
                outcome: s.draft.outcome.clone(),
                stage: t(s.draft.plan_stage.label_key()).to_string(),
                adviser: s.adviser.clone(),
            })
            .collect(),
        income: d
            .income
            .iter()
            .map(|h| IncomeLine {
                year: format!("{}–{:02}", h.year, (h.year + 1) % 100),
                amounts: match h.income {
                    Some(i) => [i.grants, i.donations, i.trading, i.contracts, i.total()]
                        .map(format_pence)
                        .to_vec(),
                    None => vec![not_known.clone(); 5],
                },
                earned: share_text(h.income.and_then(|i| i.earned_share_bp())),
            })
            .collect(),
        can_edit: ctx.can(Capability::EditEnterprises),
        base,
        errors,
        support_form,
        income_form,
        kinds: choices(&SupportKind::ALL, SupportKind::slug, SupportKind::label_key),
        stages: choices(&PlanStage::ALL, PlanStage::slug, PlanStage::label_key),
    })
}

pub async fn detail_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<Response, PageError> {
    let page = detail_view(
        &app,
        &ctx,
        id,
        SupportInput::default(),
        IncomeInput::default(),
        FormErrors::default(),
    )
    .await?;
    Ok(render(&page)?)
}

pub async fn support_save(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(f): Form<SupportInput>,
) -> Result<Response, PageError> {
    match add_support(app.store.as_ref(), &ctx.caller()?, id, &f).await {
        Ok(_) => {
            ctx.flash(t("enterprise.support.saved")).await;
            Ok(Redirect::to(&format!("{}/enterprises/{id}", base(&ctx)?)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            let page = detail_view(&app, &ctx, id, f, IncomeInput::default(), errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
    }
}

pub async fn income_save(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(f): Form<IncomeInput>,
) -> Result<Response, PageError> {
    match save_income(app.store.as_ref(), &ctx.caller()?, id, &f).await {
        Ok(_) => {
            ctx.flash(t("enterprise.income.saved")).await;
            Ok(Redirect::to(&format!("{}/enterprises/{id}", base(&ctx)?)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            let page = detail_view(&app, &ctx, id, SupportInput::default(), f, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
    }
}

#[derive(Template)]
#[template(path = "enterprise/profile_form.html")]
struct ProfilePage {
    layout: Layout,
    here: String,
    errors: FormErrors,
    form: ProfileInput,
    legal_forms: Vec<Choice>,
    services_hint: String,
}

async fn profile_view(
    app: &AppState,
    ctx: &Ctx,
    id: Uuid,
    form: Option<ProfileInput>,
    errors: FormErrors,
) -> Result<ProfilePage, AppError> {
    let d = enterprise(app.store.as_ref(), &ctx.caller()?, id).await?;
    let form = form.unwrap_or_else(|| {
        let mut f = d
            .enterprise
            .profile
            .as_ref()
            .map(ProfileInput::of)
            .unwrap_or_default();
        if f.legal_form.is_empty() {
            f.legal_form = d.enterprise.legal_form().unwrap_or_default().to_string();
        }
        f
    });
    let mut legal_forms = vec![Choice::new("", t("enterprise.not_known"))];
    legal_forms.extend(
        LegalForm::ALL
            .iter()
            .map(|l| Choice::new(l.slug(), t(l.label_key()))),
    );
    Ok(ProfilePage {
        layout: Layout::new(
            app,
            ctx,
            tf("enterprise.profile.title", &[("name", &d.enterprise.name)]),
            "enterprise",
        )
        .await?
        .with_errors(&errors),
        here: format!("{}/enterprises/{id}", base(ctx)?),
        errors,
        form,
        legal_forms,
        services_hint: tf(
            "enterprise.profile.services_hint",
            &[(
                "services",
                &useit_core::enterprise::services::taxonomy()
                    .services
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            )],
        ),
    })
}

pub async fn profile_form(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<Response, PageError> {
    Ok(render(
        &profile_view(&app, &ctx, id, None, FormErrors::default()).await?,
    )?)
}

pub async fn profile_save(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(f): Form<ProfileInput>,
) -> Result<Response, PageError> {
    match save_profile(app.store.as_ref(), &ctx.caller()?, id, &f).await {
        Ok(e) => {
            ctx.flash(tf("enterprise.profile.saved", &[("name", &e.name)]))
                .await;
            Ok(Redirect::to(&format!("{}/enterprises/{id}", base(&ctx)?)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            let page = profile_view(&app, &ctx, id, Some(f), errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
    }
}
