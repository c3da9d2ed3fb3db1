//! The spend downloads, served alike by the pages and the API.

use axum::response::Response;
use useit_app::anchors::ledger::lines;
use useit_app::anchors::suppliers::suppliers;
use useit_core::anchors::filter::LineFilter;
use useit_core::anchors::resolution::SupplierQuery;
use useit_core::csv_import::write_table;
use useit_core::i18n::t;
use useit_core::money::plain_pence;

use crate::http::ctx::Ctx;
use crate::http::error::AppError;
use crate::http::views::csv_download;
use crate::state::AppState;

/// The columns of the lines download: the spend importer reads it back.
const LINE_COLUMNS: [&str; 16] = [
    "Anchor",
    "Date Paid",
    "Supplier Name",
    "Amount",
    "Expense Type",
    "Expense Area",
    "Transaction Reference",
    "supplier_kind",
    "supplier_postcode",
    "supplier_area",
    "supplier_decile",
    "in_area_of_benefit",
    "influenceable",
    "excluded_by",
    "source_file",
    "source_line",
];

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.into()
}

/// The lines a filter selects, as CSV ([`write_table`] makes every field
/// formula-safe).
pub async fn lines_csv(app: &AppState, ctx: &Ctx, p: &LineFilter) -> Result<Response, AppError> {
    let (ledger, predicate) = lines(app.store.as_ref(), &ctx.caller()?, &app.ledgers, p).await?;
    let body = write_table(
        &LINE_COLUMNS,
        ledger
            .lines(&predicate, p.q.as_deref())
            .into_iter()
            .map(|i| {
                let v = ledger.view(i);
                vec![
                    v.anchor,
                    v.paid_on,
                    v.supplier,
                    plain_pence(v.amount_pence),
                    v.expense_type,
                    v.expense_area,
                    v.reference,
                    v.supplier_kind,
                    v.supplier_postcode.unwrap_or_default(),
                    v.supplier_area.unwrap_or_default(),
                    v.supplier_decile.map(|d| d.to_string()).unwrap_or_default(),
                    match v.in_area_of_benefit {
                        Some(b) => yes_no(b),
                        None => t("anchors.coverage.not_known").to_string(),
                    },
                    yes_no(v.influenceable),
                    v.excluded_by.unwrap_or_default(),
                    v.file,
                    v.line.to_string(),
                ]
            }),
    );
    csv_download(ctx, "spend-lines", body)
}

/// The columns of the suppliers download.
const SUPPLIER_COLUMNS: [&str; 10] = [
    "supplier_key",
    "supplier",
    "company_number",
    "status",
    "org_id",
    "organisation",
    "score",
    "reason",
    "lines",
    "total",
];

/// The suppliers the filters select as CSV, with who each is in the
/// register: for checking the review offline. Decisions are made on the
/// supplier's page (or through the API), where the candidates and their
/// reasons are shown, so this file does not import back.
pub async fn suppliers_csv(
    app: &AppState,
    ctx: &Ctx,
    p: &SupplierQuery,
) -> Result<Response, AppError> {
    let rows = suppliers(app.store.as_ref(), &ctx.caller()?, p).await?;
    let body = write_table(
        &SUPPLIER_COLUMNS,
        rows.iter().map(|s| {
            vec![
                s.key.clone(),
                s.name.clone(),
                s.company_number.clone().unwrap_or_default(),
                s.status.slug().to_string(),
                s.organisation
                    .as_ref()
                    .map(|o| o.org_id.clone())
                    .unwrap_or_default(),
                s.organisation
                    .as_ref()
                    .map(|o| o.name.clone())
                    .unwrap_or_default(),
                s.score.map(|n| n.to_string()).unwrap_or_default(),
                s.reason
                    .as_deref()
                    .map(|k| t(k).to_string())
                    .unwrap_or_default(),
                s.lines.to_string(),
                plain_pence(s.total),
            ]
        }),
    );
    csv_download(ctx, "suppliers", body)
}
