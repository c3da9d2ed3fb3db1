//! Confirming a file's columns: when the reader is not sure which column is
//! the amount, the date or the supplier, the import page shows the file's
//! first rows with the columns it proposes; the person confirms or changes
//! them, the choice is saved as the anchor's column mapping (so its next
//! files read the same way) and the file they uploaded is imported.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use std::collections::HashMap;
use useit_app::anchors::anchor::{anchor as anchor_named, save_column_mapping};
use useit_app::anchors::import::inspect_spend_file;
use useit_core::anchors::anchor::Anchor;
use useit_core::anchors::spend_file::{ColumnMapping, Inspection, SpendField};
use useit_core::i18n::{Message, t, tf};
use uuid::Uuid;

use super::import::{Sent, run_import};
use super::view::base;
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{Choice, FormErrors, Layout, render_status};
use crate::i18n::filters;
use crate::state::AppState;

/// The fields a file can give, with the column proposed for each.
pub struct FieldChoice {
    pub name: String,
    pub label: String,
    pub selected: String,
}

#[derive(Template)]
#[template(path = "anchors/import_columns.html")]
pub struct ColumnsPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    lead: String,
    held: String,
    header: Vec<String>,
    /// Under each header: the field it was read as, or why not.
    read_as: Vec<String>,
    rows: Vec<(u64, Vec<String>)>,
    fields: Vec<FieldChoice>,
    columns: Vec<Choice>,
}

/// The form field naming the column of `field`.
fn form_name(field: SpendField) -> String {
    format!("column_{}", field.slug())
}

pub async fn page(
    app: &AppState,
    ctx: &Ctx,
    anchor: &Anchor,
    held: Uuid,
    file_name: &str,
    i: &Inspection,
    errors: FormErrors,
) -> Result<ColumnsPage, AppError> {
    let layout = Layout::new(app, ctx, t("anchors.spend.columns.title"), "anchors")
        .await?
        .with_errors(&errors);
    let mut columns = vec![Choice::new("", t("anchors.spend.columns.none"))];
    columns.extend(
        i.header
            .iter()
            .filter(|h| !h.trim().is_empty())
            .map(|h| Choice::new(h.as_str(), h.as_str())),
    );
    let chosen: HashMap<SpendField, &str> = i
        .guess
        .columns
        .iter()
        .filter_map(|c| Some((c.field?, c.header.as_str())))
        .collect();
    let fields = SpendField::ALL
        .into_iter()
        .map(|f| FieldChoice {
            name: form_name(f),
            label: f.words().to_string(),
            selected: chosen.get(&f).map(|h| h.to_string()).unwrap_or_default(),
        })
        .collect();
    let read_as = i
        .guess
        .columns
        .iter()
        .map(|c| match c.field {
            Some(f) => f.words().to_string(),
            None => c.reason().text(),
        })
        .collect();
    Ok(ColumnsPage {
        layout,
        base: base(ctx)?,
        errors,
        lead: tf(
            if i.guess.mapping_set_aside {
                "anchors.spend.columns.lead_set_aside"
            } else {
                "anchors.spend.columns.lead"
            },
            &[("file", file_name), ("anchor", &anchor.name)],
        ),
        held: held.to_string(),
        header: i.header.clone(),
        read_as,
        rows: i.first_rows.clone(),
        fields,
        columns,
    })
}

/// The confirmed columns: `held` names the waiting upload, `column_<field>`
/// the header chosen for each field (blank: not in this file).
#[derive(Deserialize)]
pub struct Confirmed {
    held: String,
    #[serde(flatten)]
    columns: HashMap<String, String>,
}

pub async fn confirm(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(form): Form<Confirmed>,
) -> Result<Response, PageError> {
    let caller = ctx.caller()?;
    let held = Uuid::parse_str(&form.held)
        .ok()
        .and_then(|id| app.imports.take(caller.programme, id));
    let Some(upload) = held else {
        // A restart (or a second press) forgot the file: choose it again.
        let mut errors = FormErrors::default();
        errors.push("file", Message::new("anchors.spend.columns.expired"));
        return Ok(super::import::form_with(&app, &ctx, errors).await?);
    };
    let pairs: Vec<String> = SpendField::ALL
        .into_iter()
        .filter_map(|f| {
            let h = form.columns.get(&form_name(f))?.trim();
            (!h.is_empty()).then(|| format!("{}={h}", f.slug()))
        })
        .collect();
    let mapping = ColumnMapping::parse(&pairs).map_err(AppError::BadRequest)?;
    let mut errors = FormErrors::default();
    for f in [SpendField::PaidOn, SpendField::Supplier, SpendField::Amount] {
        if !mapping.0.iter().any(|(g, _)| *g == f) {
            errors.push(
                &form_name(f),
                Message::new("anchors.spend.columns.required").arg("field", f.words()),
            );
        }
    }
    let anchor = anchor_named(app.store.as_ref(), &caller, &upload.anchor).await?;
    if !errors.is_empty() {
        // Show the file again with the columns as they were chosen.
        let (inspection, _) = inspect_spend_file(
            app.store.as_ref(),
            &caller,
            &upload.anchor,
            &upload.file_name,
            &upload.bytes,
            Some(&mapping),
        )
        .await?;
        let file_name = upload.file_name.clone();
        let id = app.imports.hold(upload);
        let mut page = page(&app, &ctx, &anchor, id, &file_name, &inspection, errors).await?;
        for f in page.fields.iter_mut() {
            f.selected = form.columns.get(&f.name).cloned().unwrap_or_default();
        }
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?);
    }
    save_column_mapping(app.store.as_ref(), &caller, &anchor.slug, &mapping).await?;
    let sent = Sent {
        anchor: anchor.slug.clone(),
        skip_bad_lines: upload.options.skip_bad_lines,
        undated: upload
            .options
            .undated_lines_on
            .map(|d| d.to_string())
            .unwrap_or_default(),
    };
    Ok(run_import(&app, &ctx, upload, &anchor.name, sent).await?)
}
