//! How enterprises and lots read on a page and in a CSV.

use useit_core::anchors::registers::LegalForm;
use useit_core::enterprise::profile::Enterprise;
use useit_core::enterprise::services::taxonomy;
use useit_core::figures::percent_bp;
use useit_core::i18n::t;

use crate::http::ctx::Ctx;
use crate::http::error::AppError;

/// Where the context's pages live.
pub fn base(ctx: &Ctx) -> Result<String, AppError> {
    Ok(format!("/p/{}/enterprise", ctx.programme()?.slug))
}

pub fn legal_form_name(e: &Enterprise) -> String {
    e.legal_form()
        .and_then(LegalForm::parse)
        .map(|l| t(l.label_key()).to_string())
        .unwrap_or_else(|| t("enterprise.not_known").to_string())
}

pub fn services_text(codes: &[String]) -> String {
    let tx = taxonomy();
    codes
        .iter()
        .map(|c| tx.name(c).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// An earned share, or "not known" (no income recorded).
pub fn share_text(bp: Option<u32>) -> String {
    match bp {
        Some(bp) => percent_bp(i64::from(bp)),
        None => t("enterprise.not_known").to_string(),
    }
}
