//! Consortia actually formed: the list with members, lead, lot, bids and,
//! after a win, the money the lot's anchor has paid them since (computed
//! from the spend lines); a form to record one formed, and one per
//! consortium to record a bid's outcome.

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::enterprise::formed::{ConsortiumView, add_bid, consortia, save_consortium};
use useit_app::enterprise::lots::lots;
use useit_app::enterprise::profiles::directory;
use useit_core::auth::Capability;
use useit_core::clock::display_date;
use useit_core::enterprise::formed::{BidInput, BidOutcome, ConsortiumInput};
use useit_core::enterprise::profile::EnterpriseQuery;
use useit_core::i18n::{Message, format_count, t};
use useit_core::money::format_pence;
use uuid::Uuid;

use super::view::base;
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{Choice, FormErrors, Layout, render_status};
use crate::i18n::filters;
use crate::state::AppState;

pub struct BidLine {
    pub on: String,
    pub outcome: String,
    pub note: String,
}

/// A consortium's bid form, with what was sent and its errors when it
/// came back.
#[derive(Default)]
pub struct BidForm {
    pub open: bool,
    pub on: String,
    pub outcome: String,
    pub note: String,
    pub on_error: Option<String>,
    pub outcome_error: Option<String>,
    pub note_error: Option<String>,
}

pub struct ConsortiumLine {
    pub form: BidForm,
    pub id: String,
    pub name: String,
    pub members: Vec<(String, String, bool)>,
    pub lot: Option<(String, String)>,
    pub formed_on: String,
    pub bids: Vec<BidLine>,
    /// After a win: the money since, in words ("not known" when the lot's
    /// anchor is not known).
    pub won: Option<String>,
}

#[derive(Template)]
#[template(path = "enterprise/consortia.html")]
struct ConsortiaPage {
    layout: Layout,
    base: String,
    lines: Vec<ConsortiumLine>,
    can_edit: bool,
    errors: FormErrors,
    form: ConsortiumInput,
    enterprises: Vec<(String, String, bool)>,
    leads: Vec<Choice>,
    lots: Vec<Choice>,
    outcomes: Vec<Choice>,
}

fn line(base: &str, v: &ConsortiumView) -> ConsortiumLine {
    let c = &v.consortium;
    ConsortiumLine {
        form: BidForm::default(),
        id: c.id.to_string(),
        name: c.draft.name.clone(),
        members: c
            .draft
            .members
            .iter()
            .zip(&v.member_names)
            .map(|(id, n)| {
                (
                    n.clone(),
                    format!("{base}/enterprises/{id}"),
                    *id == c.draft.lead,
                )
            })
            .collect(),
        lot: v
            .lot
            .as_ref()
            .map(|l| (l.draft.title.clone(), format!("{base}/lots/{}", l.id))),
        formed_on: display_date(c.draft.formed_on),
        bids: c
            .bids
            .iter()
            .map(|b| BidLine {
                on: display_date(b.on),
                outcome: t(b.outcome.label_key()).to_string(),
                note: b.note.clone(),
            })
            .collect(),
        won: v.won_on.map(|day| match (&v.won_spend, &v.anchor) {
            (Some(w), Some((_, anchor))) => Message::new("enterprise.consortia.won_spend")
                .arg("amount", format_pence(w.amount))
                .arg("count", format_count(w.lines))
                .arg("anchor", anchor)
                .arg("date", display_date(day))
                .text(),
            _ => Message::new("enterprise.consortia.won_not_known")
                .arg("date", display_date(day))
                .text(),
        }),
    }
}

async fn page(
    app: &AppState,
    ctx: &Ctx,
    errors: FormErrors,
    errors_for: String,
    form: ConsortiumInput,
    bid: BidInput,
) -> Result<ConsortiaPage, AppError> {
    let caller = ctx.caller()?;
    let base = base(ctx)?;
    let all = consortia(app.store.as_ref(), &caller, &app.ledgers).await?;
    let can_edit = ctx.can(Capability::EditEnterprises);
    let (mut enterprises, mut leads, mut lot_choices) = (Vec::new(), Vec::new(), Vec::new());
    if can_edit {
        let chosen: Vec<&str> = form.members.split(',').map(str::trim).collect();
        for r in directory(app.store.as_ref(), &caller, &EnterpriseQuery::default()).await? {
            let e = r.enterprise;
            if e.profile.is_none() {
                continue;
            }
            let id = e.id.to_string();
            enterprises.push((id.clone(), e.name.clone(), chosen.contains(&id.as_str())));
            leads.push(Choice {
                value: id,
                label: e.name,
            });
        }
        lot_choices.push(Choice {
            value: String::new(),
            label: t("enterprise.consortia.no_lot").to_string(),
        });
        for l in lots(app.store.as_ref(), &caller).await? {
            lot_choices.push(Choice {
                value: l.id.to_string(),
                label: format!("{} ({})", l.draft.title, l.draft.buyer),
            });
        }
    }
    Ok(ConsortiaPage {
        layout: Layout::new(app, ctx, t("enterprise.consortia.title"), "enterprise")
            .await?
            .with_errors(&errors),
        lines: all
            .iter()
            .map(|v| {
                let mut l = line(&base, v);
                l.form = if l.id == errors_for {
                    BidForm {
                        open: true,
                        on: bid.on.clone(),
                        outcome: bid.outcome.clone(),
                        note: bid.note.clone(),
                        on_error: errors.get("on").map(str::to_string),
                        outcome_error: errors.get("outcome").map(str::to_string),
                        note_error: errors.get("note").map(str::to_string),
                    }
                } else {
                    BidForm {
                        on: useit_core::clock::iso_date(useit_core::clock::today()),
                        ..BidForm::default()
                    }
                };
                l
            })
            .collect(),
        can_edit,
        errors,
        form,
        enterprises,
        leads,
        lots: lot_choices,
        outcomes: BidOutcome::ALL
            .into_iter()
            .map(|o| Choice {
                value: o.slug().to_string(),
                label: t(o.label_key()).to_string(),
            })
            .collect(),
        base,
    })
}

pub async fn consortia_page(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let p = page(
        &app,
        &ctx,
        FormErrors::default(),
        String::new(),
        ConsortiumInput {
            formed_on: useit_core::clock::iso_date(useit_core::clock::today()),
            ..Default::default()
        },
        BidInput::default(),
    )
    .await?;
    Ok(render_status(StatusCode::OK, &p)?)
}

/// The form's fields, the ticked members gathered into one list.
fn consortium_input(pairs: &[(String, String)]) -> ConsortiumInput {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    ConsortiumInput {
        name: get("name"),
        lead: get("lead"),
        members: pairs
            .iter()
            .filter(|(n, _)| n == "members")
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        lot: get("lot"),
        formed_on: get("formed_on"),
    }
}

pub async fn consortium_save(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = consortium_input(&pairs);
    match save_consortium(app.store.as_ref(), &ctx.caller()?, None, &f).await {
        Ok(c) => {
            ctx.flash(
                Message::new("enterprise.consortia.saved")
                    .arg("name", &c.draft.name)
                    .text(),
            )
            .await;
            Ok(Redirect::to(&format!("{}/consortia#c-{}", base(&ctx)?, c.id)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            let p = page(&app, &ctx, errors, "new".into(), f, BidInput::default()).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p)?)
        }
    }
}

pub async fn bid_save(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(f): Form<BidInput>,
) -> Result<Response, PageError> {
    match add_bid(app.store.as_ref(), &ctx.caller()?, id, &f).await {
        Ok(_) => {
            ctx.flash(t("enterprise.consortia.bid_saved").to_string())
                .await;
            Ok(Redirect::to(&format!("{}/consortia#c-{id}", base(&ctx)?)).into_response())
        }
        Err(e) => {
            let errors =
                FormErrors::from_error(e.into(), &[])?.anchored(|field| format!("{field}-{id}"));
            let p = page(
                &app,
                &ctx,
                errors,
                id.to_string(),
                ConsortiumInput::default(),
                f,
            )
            .await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p)?)
        }
    }
}
