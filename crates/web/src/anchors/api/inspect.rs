//! What a spend file would import as, through the API: the same inspection
//! the import page shows when it is not sure of a file's columns, so a
//! client can check a file (and try a mapping) before importing it.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use serde::{Deserialize, Serialize};
use useit_app::anchors::import::inspect_spend_file;
use useit_core::anchors::spend_file::ColumnMapping;
use useit_core::validation::FieldError;
use utoipa::{IntoParams, ToSchema};

use crate::http::ctx::Ctx;
use crate::http::error::{ApiError, AppError, ProblemLine, problem_lines};
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
pub struct InspectQuery {
    /// The file's name, for the problems it names.
    pub file_name: Option<String>,
    /// A mapping to try instead of the anchor's saved one: `field=Header`
    /// lines (fields: paid_on, supplier, amount, expense_type,
    /// expense_area, reference, supplier_id).
    pub mapping: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ColumnJson {
    /// 1-based position.
    pub number: usize,
    pub header: String,
    /// The field it is read as (paid_on, supplier, amount…), if any.
    pub field: Option<String>,
    /// Why, in words.
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct RowJson {
    pub line: u64,
    pub cells: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct LineJson {
    pub line: u64,
    pub paid_on: String,
    pub supplier: String,
    pub amount_pence: i64,
}

#[derive(Serialize, ToSchema)]
pub struct InspectionJson {
    pub file: String,
    /// How the bytes were decoded.
    pub encoding: String,
    /// Every required column came from a saved mapping or a usual header,
    /// or its header and values left no doubt. When false, check `columns`
    /// and import with a mapping (saved on the anchor).
    pub certain: bool,
    /// The required fields the reader is not sure of.
    pub unsure: Vec<String>,
    /// The anchor's saved mapping names headers this file does not have,
    /// so the columns were read from the file's own headers and values
    /// (and `certain` is false): saving `mapping` replaces the old one.
    pub mapping_set_aside: bool,
    pub columns: Vec<ColumnJson>,
    /// The columns chosen as `field=Header` lines, ready to save as the
    /// anchor's mapping.
    pub mapping: Vec<String>,
    /// day_first or month_first.
    pub date_order: String,
    pub header_line: u64,
    pub first_rows: Vec<RowJson>,
    pub first_lines: Vec<LineJson>,
    pub lines: u64,
    pub total_pence: i64,
    pub first_paid_on: Option<String>,
    pub last_paid_on: Option<String>,
    pub problems: Vec<ProblemLine>,
}

/// Reads a spend file (CSV or workbook body) as the anchor's next import
/// would, without writing anything: the columns chosen and why, the date
/// order, the first rows and lines, the lines and their total, the problems.
#[utoipa::path(post, path = "/api/v1/programmes/{programme}/anchors/{anchor}/spend-files/inspect", tag = "spend",
    params(("programme" = String, Path, description = "Programme short name"), ("anchor" = String, Path, description = "Anchor short name"), InspectQuery),
    request_body(content = crate::http::text::CsvFile, content_type = "text/csv"),
    responses((status = 200, body = InspectionJson), (status = 422, body = crate::http::error::Problem)))]
pub async fn inspect(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(path): Path<(String, String)>,
    Query(q): Query<InspectQuery>,
    body: Bytes,
) -> Result<Json<InspectionJson>, ApiError> {
    let mapping = match q
        .mapping
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
    {
        None => None,
        Some(m) => {
            let pairs: Vec<String> = m.lines().map(str::to_string).collect();
            Some(ColumnMapping::parse(&pairs).map_err(|message| {
                AppError::Invalid(vec![FieldError {
                    field: "mapping".into(),
                    message,
                }])
            })?)
        }
    };
    let name = q.file_name.unwrap_or_else(|| "upload.csv".into());
    let (i, encoding) = inspect_spend_file(
        app.store.as_ref(),
        &ctx.caller()?,
        &path.1,
        &name,
        &body,
        mapping.as_ref(),
    )
    .await?;
    Ok(Json(InspectionJson {
        file: name,
        encoding: encoding.to_string(),
        certain: i.guess.certain,
        mapping_set_aside: i.guess.mapping_set_aside,
        unsure: i
            .guess
            .unsure
            .iter()
            .map(|f| f.slug().to_string())
            .collect(),
        columns: i
            .guess
            .columns
            .iter()
            .map(|c| ColumnJson {
                number: c.number,
                header: c.header.clone(),
                field: c.field.map(|f| f.slug().to_string()),
                reason: c.reason().text(),
            })
            .collect(),
        mapping: i.guess.mapping.pairs(),
        date_order: match i.date_order.order {
            useit_core::anchors::dates::DateOrder::DayFirst => "day_first",
            useit_core::anchors::dates::DateOrder::MonthFirst => "month_first",
        }
        .to_string(),
        header_line: i.header_line,
        first_rows: i
            .first_rows
            .iter()
            .map(|(line, cells)| RowJson {
                line: *line,
                cells: cells.clone(),
            })
            .collect(),
        first_lines: i
            .first_lines
            .iter()
            .map(|l| LineJson {
                line: l.line,
                paid_on: l.paid_on.to_string(),
                supplier: l.supplier.clone(),
                amount_pence: l.amount,
            })
            .collect(),
        lines: i.lines,
        total_pence: i.total,
        first_paid_on: i.first_paid_on.map(|d| d.to_string()),
        last_paid_on: i.last_paid_on.map(|d| d.to_string()),
        problems: problem_lines(&i.report),
    }))
}
