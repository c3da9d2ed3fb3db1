//! On an enterprise's page: its milestones, computed from the income
//! recorded and the spend lines resolved to it (never typed), and where
//! each imported grant in its income came from.

use useit_app::enterprise::grants::grants_held;
use useit_app::enterprise::milestones::milestones;
use useit_core::clock::display_date;
use useit_core::enterprise::milestones::PaidLine;
use useit_core::i18n::{format_count, t, tf};
use useit_core::money::format_pence;
use uuid::Uuid;

use super::grants::{GrantLine, year_text};
use super::profile::Fact;
use super::view::base;
use crate::http::ctx::Ctx;
use crate::http::error::AppError;
use crate::state::AppState;

fn paid(l: Option<&PaidLine>) -> String {
    match l {
        Some(l) => tf(
            "enterprise.milestones.paid",
            &[
                ("date", &display_date(l.paid_on)),
                ("anchor", &l.anchor_name),
                ("amount", &format_pence(l.amount)),
                ("file", &l.file_name),
                ("line", &format_count(u64::try_from(l.line_no).unwrap_or(0))),
            ],
        ),
        None => t("enterprise.milestones.not_yet").to_string(),
    }
}

pub async fn facts(app: &AppState, ctx: &Ctx, id: Uuid) -> Result<Vec<Fact>, AppError> {
    let m = milestones(app.store.as_ref(), &ctx.caller()?, id).await?;
    let fact = |k: &str, value: String| Fact {
        label: t(k).to_string(),
        value,
    };
    Ok(vec![
        fact(
            "enterprise.milestones.first_trading",
            m.first_trading_year
                .map(year_text)
                .unwrap_or_else(|| t("enterprise.milestones.no_trading").to_string()),
        ),
        fact(
            "enterprise.milestones.first_public",
            paid(m.first_public_contract.as_ref()),
        ),
        fact(
            "enterprise.milestones.first_anchor",
            paid(m.first_anchor_contract.as_ref()),
        ),
    ])
}

pub async fn grant_sources(
    app: &AppState,
    ctx: &Ctx,
    id: Uuid,
) -> Result<Vec<GrantLine>, AppError> {
    let base = base(ctx)?;
    Ok(grants_held(app.store.as_ref(), &ctx.caller()?, Some(id))
        .await?
        .into_iter()
        .map(|r| GrantLine {
            year: year_text(r.grant.year()),
            href: format!("{base}/enterprises/{id}"),
            recipient: r.grant.recipient_name.clone(),
            funder: r.grant.funder.clone(),
            title: r.grant.title.clone(),
            awarded: display_date(r.grant.awarded_on),
            amount: format_pence(r.grant.amount),
            source: tf(
                "enterprise.grants.source",
                &[
                    ("file", &r.source),
                    ("line", &format_count(r.grant.line)),
                    ("id", &r.grant.identifier),
                ],
            ),
        })
        .collect())
}
