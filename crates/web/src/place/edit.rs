//! The area-of-benefit editor: choosing by district, ward, distance from a
//! site, a pasted list and decile; previewing what that comes to; saving
//! it as a new version.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::place::area_of_benefit::{
    area_of_benefit, editor, preview_area_of_benefit, save_area_of_benefit,
};
use useit_core::i18n::{format_count, t, tf};
use useit_core::place::input::{RadiusInput, SelectionInput};
use useit_core::place::selection::{AreaOfBenefit, Resolution};
use useit_core::validation::FieldError;

use super::view::{base, percent};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::map::decile_label;
use crate::http::views::{Choice, FormError, FormErrors, Layout, render_status};
use crate::i18n::filters;
use crate::state::AppState;

/// Site rows the editor shows.
const RADIUS_ROWS: usize = 3;

/// Up to this many wards are all listed; beyond it (national data: 8,372
/// wards, a 2.85 MB page) only the wards of the local authority chosen in
/// the ward filter, and those already ticked, are sent (issue 15 item 7).
const WARDS_ALL_SHOWN: usize = 400;

/// The editor's form, as posted: repeated checkboxes and numbered radius rows.
#[derive(Clone, Debug, Default)]
pub struct EditForm {
    pub input: SelectionInput,
    pub radius_rows: Vec<(String, String)>,
    pub action: String,
    /// The ward filter: the local authority whose wards to list, and words
    /// in a ward's name.
    pub ward_la: String,
    pub ward_q: String,
}

/// Splits pasted codes on commas, semicolons and whitespace.
fn codes_in(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .map(|s| s.trim_matches('"').to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

impl EditForm {
    fn parse(body: &str) -> EditForm {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(body).unwrap_or_default();
        let all = |k: &str| {
            pairs
                .iter()
                .filter(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .collect::<Vec<_>>()
        };
        let one = |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let radius_rows: Vec<(String, String)> = (0..RADIUS_ROWS)
            .map(|i| {
                (
                    one(&format!("radius_postcode_{i}")),
                    one(&format!("radius_km_{i}")),
                )
            })
            .collect();
        EditForm {
            input: SelectionInput {
                index: one("index"),
                local_authorities: all("local_authorities"),
                wards: all("wards"),
                radii: radius_rows
                    .iter()
                    .map(|(p, k)| RadiusInput {
                        postcode: p.clone(),
                        km: k.clone(),
                        ..Default::default()
                    })
                    .collect(),
                areas: codes_in(&one("areas")),
                deciles: all("deciles")
                    .iter()
                    .filter_map(|d| d.parse().ok())
                    .collect(),
                exclude: codes_in(&one("exclude")),
                note: one("note"),
            },
            radius_rows,
            action: one("action"),
            ward_la: one("ward_la"),
            ward_q: one("ward_q"),
        }
    }

    fn from_aob(aob: &AreaOfBenefit) -> EditForm {
        let s = &aob.selection;
        let mut radius_rows: Vec<(String, String)> = s
            .radii
            .iter()
            .map(|r| (r.label.clone(), format!("{}", r.km)))
            .collect();
        radius_rows.resize(RADIUS_ROWS, (String::new(), String::new()));
        EditForm {
            input: SelectionInput {
                index: s.index.clone(),
                local_authorities: s.local_authorities.clone(),
                wards: s.wards.clone(),
                radii: Vec::new(),
                areas: s.areas.clone(),
                deciles: s.deciles.clone(),
                exclude: s.exclude.clone(),
                note: String::new(),
            },
            radius_rows,
            action: String::new(),
            ward_la: String::new(),
            ward_q: String::new(),
        }
    }
}

/// A checkbox in a group.
pub struct CheckItem {
    pub value: String,
    pub label: String,
    pub hint: String,
    pub checked: bool,
}

/// The wards of one district, for a group of checkboxes.
pub struct WardGroup {
    pub name: String,
    pub open: bool,
    pub wards: Vec<CheckItem>,
}

#[derive(Template)]
#[template(path = "place/edit.html")]
struct EditPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    indices: Vec<Choice>,
    index: String,
    las: Vec<CheckItem>,
    ward_groups: Vec<WardGroup>,
    /// The ward filter's choices and values, and what it left out.
    ward_las: Vec<Choice>,
    ward_la: String,
    ward_q: String,
    wards_hidden: String,
    radius_rows: Vec<(String, String)>,
    deciles: Vec<CheckItem>,
    areas: String,
    exclude: String,
    note: String,
    preview: Option<PreviewView>,
}

struct PreviewView {
    areas: String,
    population: String,
    share_1_2: String,
    r: Resolution,
}

async fn edit_form_page(
    app: &AppState,
    ctx: &Ctx,
    form: EditForm,
    errors: FormErrors,
    preview: Option<PreviewView>,
) -> Result<Response, AppError> {
    let ed = editor(app.store.as_ref(), &ctx.caller()?, &form.input.index).await?;
    let checked = |list: &Vec<String>, v: &str| list.iter().any(|x| x == v);
    let las = ed
        .local_authorities
        .iter()
        .map(|l| CheckItem {
            value: l.code.clone(),
            label: l.name.clone(),
            hint: tf("place.n_areas", &[("count", &format_count(l.areas as u64))]),
            checked: checked(&form.input.local_authorities, &l.code),
        })
        .collect();
    let many = ed.wards.len() > WARDS_ALL_SHOWN;
    let words: Vec<String> = form
        .ward_q
        .split_whitespace()
        .map(|w| w.to_lowercase())
        .collect();
    let mut shown = 0usize;
    let ward_groups: Vec<WardGroup> = ed
        .local_authorities
        .iter()
        .map(|l| {
            let chosen =
                form.ward_la == l.code || (form.ward_la.is_empty() && (!many || !words.is_empty()));
            let wards: Vec<CheckItem> = ed
                .wards
                .iter()
                .filter(|w| w.parent_code.as_deref() == Some(&l.code))
                .map(|w| CheckItem {
                    value: w.code.clone(),
                    label: w.name.clone(),
                    hint: String::new(),
                    checked: checked(&form.input.wards, &w.code),
                })
                .filter(|w| {
                    let name = w.label.to_lowercase();
                    w.checked || (chosen && words.iter().all(|q| name.contains(q.as_str())))
                })
                .collect();
            WardGroup {
                open: wards.iter().any(|w| w.checked)
                    || !form.ward_la.is_empty()
                    || !words.is_empty(),
                name: l.name.clone(),
                wards,
            }
        })
        .filter(|g| !g.wards.is_empty())
        .inspect(|g| shown += g.wards.len())
        .collect();
    let wards_hidden = if shown < ed.wards.len() {
        tf(
            "place.edit.wards_filtered",
            &[
                ("shown", &format_count(shown as u64)),
                ("count", &format_count(ed.wards.len() as u64)),
            ],
        )
    } else {
        String::new()
    };
    let mut ward_las = vec![Choice::new("", t("place.edit.wards_any_la"))];
    ward_las.extend(
        ed.local_authorities
            .iter()
            .filter(|l| {
                ed.wards
                    .iter()
                    .any(|w| w.parent_code.as_deref() == Some(&l.code))
            })
            .map(|l| Choice::new(l.code.clone(), l.name.clone())),
    );
    let deciles = (1..=10u8)
        .map(|d| CheckItem {
            value: d.to_string(),
            label: decile_label(Some(d)),
            hint: String::new(),
            checked: form.input.deciles.contains(&d),
        })
        .collect();
    let layout = Layout::new(app, ctx, t("place.edit.title"), "place")
        .await?
        .with_errors(&errors);
    render_status(
        errors.status(),
        &EditPage {
            layout,
            base: base(ctx)?,
            errors,
            indices: ed
                .indices
                .iter()
                .map(|i| Choice::new(i.code.clone(), i.name.clone()))
                .collect(),
            index: ed.index,
            las,
            ward_groups,
            ward_las,
            ward_la: form.ward_la,
            ward_q: form.ward_q,
            wards_hidden,
            radius_rows: form.radius_rows,
            deciles,
            areas: form.input.areas.join("\n"),
            exclude: form.input.exclude.join("\n"),
            note: form.input.note,
            preview,
        },
    )
}

/// `?ward_la=E08000028&ward_q=soho`: the editor opened with its ward
/// filter set, as a link or a bookmark.
#[derive(serde::Deserialize, Default)]
pub struct WardFilter {
    pub ward_la: Option<String>,
    pub ward_q: Option<String>,
}

pub async fn edit_page(
    State(app): State<AppState>,
    ctx: Ctx,
    axum::extract::Query(q): axum::extract::Query<WardFilter>,
) -> Result<Response, PageError> {
    let mut form = match area_of_benefit(app.store.as_ref(), &ctx.caller()?, None).await? {
        Some(aob) => EditForm::from_aob(&aob),
        None => EditForm {
            radius_rows: vec![(String::new(), String::new()); RADIUS_ROWS],
            ..Default::default()
        },
    };
    form.ward_la = q.ward_la.unwrap_or_default();
    form.ward_q = q.ward_q.unwrap_or_default();
    Ok(edit_form_page(&app, &ctx, form, FormErrors::default(), None).await?)
}

/// Where a selection error is shown on the form: a site's postcode and
/// distance are numbered controls.
fn form_errors(errs: &[FieldError]) -> FormErrors {
    let mut out = FormErrors::default();
    for e in errs {
        let parts: Vec<&str> = e.field.split('/').collect();
        let field = match parts.as_slice() {
            ["radii", i, "postcode"] => format!("radius_postcode_{i}"),
            ["radii", i, "km"] => format!("radius_km_{i}"),
            _ => e.field.clone(),
        };
        out.items.push(FormError {
            anchor: field.clone(),
            field,
            text: e.message.text(),
        });
    }
    out
}

pub async fn save(
    State(app): State<AppState>,
    ctx: Ctx,
    body: String,
) -> Result<Response, PageError> {
    let form = EditForm::parse(&body);
    let caller = ctx.caller()?;
    let store = app.store.as_ref();
    if form.action == "wards" {
        return Ok(edit_form_page(&app, &ctx, form, FormErrors::default(), None).await?);
    }
    if form.action == "preview" {
        return Ok(
            match preview_area_of_benefit(store, &caller, &form.input).await {
                Ok(p) => {
                    let view = PreviewView {
                        areas: format_count(p.profile.total_areas),
                        population: format_count(p.profile.total_population.max(0) as u64),
                        share_1_2: percent(p.profile.population_share_up_to(2), 1.0),
                        r: p.resolution,
                    };
                    edit_form_page(&app, &ctx, form, FormErrors::default(), Some(view)).await?
                }
                Err(useit_app::Error::Invalid(errs)) => {
                    edit_form_page(&app, &ctx, form, form_errors(&errs), None).await?
                }
                Err(e) => return Err(AppError::from(e).into()),
            },
        );
    }
    match save_area_of_benefit(store, &caller, &form.input).await {
        Ok(saved) => {
            ctx.flash(tf(
                "place.saved",
                &[
                    ("version", &saved.aob.version.to_string()),
                    ("count", &format_count(saved.aob.area_count as u64)),
                ],
            ))
            .await;
            Ok(Redirect::to(&base(&ctx)?).into_response())
        }
        Err(useit_app::Error::Invalid(errs)) => {
            Ok(edit_form_page(&app, &ctx, form, form_errors(&errs), None).await?)
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}
