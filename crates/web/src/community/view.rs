//! What the community pages share: the context's address, how a plan's
//! status, its progress and an action read, and the area part of the
//! community form (the area-of-benefit selection, without sites).

use useit_app::community::AreaChoices;
use useit_core::clock;
use useit_core::community::plan::{Action, ActionStatus, PlanStatus};
use useit_core::community::record::{Community, CommunityInput};
use useit_core::i18n::{format_count, t, tf};
use useit_core::place::input::SelectionInput;
use useit_core::place::selection::AreaOfBenefit;

use crate::http::ctx::Ctx;
use crate::http::error::AppError;
use crate::http::views::Choice;

/// The services' Open Referral (HSDS) tables as a zip download, named for
/// the programme and the day.
pub fn hsds_zip_download(ctx: &Ctx, body: Vec<u8>) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    let name = format!(
        "open-referral-{}-{}.zip",
        ctx.programme()?.slug,
        clock::iso_date(clock::today())
    );
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/zip".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response())
}

pub fn base(ctx: &Ctx) -> Result<String, AppError> {
    Ok(format!("/p/{}/communities", ctx.programme()?.slug))
}

/// "Adopted on 14 March 2026", "In delivery since its adoption on …",
/// "Drafting" or "No plan yet".
pub fn plan_status_text(status: Option<PlanStatus>, adopted_on: Option<time::Date>) -> String {
    let day = adopted_on.map(clock::display_date).unwrap_or_default();
    match status {
        None => t("community.plan_none").into(),
        Some(PlanStatus::Drafting) => t("community.plan_status.drafting").into(),
        Some(PlanStatus::Adopted) => tf("community.plan_adopted_on", &[("day", &day)]),
        Some(PlanStatus::InDelivery) => tf("community.plan_in_delivery_since", &[("day", &day)]),
    }
}

/// How big an area version is, in words: "12 small areas (version 2)".
pub fn area_text(a: Option<&AreaOfBenefit>) -> String {
    match a {
        None => t("community.area_none").into(),
        Some(a) => tf(
            &format!(
                "{}.{}",
                "community.area_size",
                useit_core::i18n::plural_form(a.area_count as u64)
            ),
            &[
                ("count", &format_count(a.area_count as u64)),
                ("version", &a.version.to_string()),
            ],
        ),
    }
}

/// A community in the list.
pub struct CommunityLine {
    pub href: String,
    pub name: String,
    pub status: String,
    pub progress: String,
    pub area: String,
}

pub fn community_line(base: &str, c: &Community) -> CommunityLine {
    CommunityLine {
        href: format!("{base}/{}", c.id),
        name: c.name.clone(),
        status: plan_status_text(c.plan_status, c.adopted_on),
        progress: c.progress.text(),
        area: area_text(c.area.as_ref()),
    }
}

/// An action as the pages show it.
pub struct ActionLine {
    pub href: String,
    pub title: String,
    pub owner: String,
    pub partner: String,
    pub due: String,
    pub status: String,
    pub status_class: &'static str,
    pub enterprises: String,
    /// The assets it builds on, by name (blank: none linked).
    pub assets: String,
}

pub fn action_line(base: &str, community: uuid::Uuid, a: &Action) -> ActionLine {
    ActionLine {
        href: format!("{base}/{community}/actions/{}", a.id),
        title: a.draft.title.clone(),
        assets: String::new(),
        owner: a.draft.owner.clone(),
        partner: a
            .partner
            .as_ref()
            .map(|p| p.name.clone())
            .unwrap_or_else(|| t("community.none_named").into()),
        due: a
            .draft
            .due_on
            .map(clock::display_date)
            .unwrap_or_else(|| t("community.no_due_date").into()),
        status: t(&a.draft.status.label_key()).into(),
        status_class: match a.draft.status {
            ActionStatus::NotStarted => "govuk-tag--grey",
            ActionStatus::InProgress => "govuk-tag--blue",
            ActionStatus::Done => "govuk-tag--green",
            ActionStatus::Dropped => "govuk-tag--red",
        },
        enterprises: if a.enterprises.is_empty() {
            t("community.none_named").into()
        } else {
            a.enterprises
                .iter()
                .map(|e| e.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        },
    }
}

pub fn plan_statuses() -> Vec<Choice> {
    PlanStatus::ALL
        .iter()
        .map(|s| Choice::new(s.slug(), t(&s.label_key())))
        .collect()
}

pub fn action_statuses() -> Vec<Choice> {
    ActionStatus::ALL
        .iter()
        .map(|s| Choice::new(s.slug(), t(&s.label_key())))
        .collect()
}

/// Splits pasted codes on commas, semicolons and whitespace.
fn codes_in(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .map(|s| s.trim_matches('"').to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The community form as posted: its own fields, then the area's
/// (`index`, repeated `wards` and `deciles`, pasted `areas`, `note`).
pub fn community_input(pairs: &[(String, String)]) -> CommunityInput {
    let one = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let all = |k: &str| {
        pairs
            .iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .collect::<Vec<_>>()
    };
    CommunityInput {
        name: one("name"),
        description: one("description"),
        area: SelectionInput {
            index: one("index"),
            wards: all("wards"),
            areas: codes_in(&one("areas")),
            deciles: all("deciles")
                .iter()
                .filter_map(|d| d.parse().ok())
                .collect(),
            note: one("note"),
            ..Default::default()
        },
    }
}

/// The form filled in from a community as stored (its area in force).
pub fn input_of(c: &Community) -> CommunityInput {
    let mut input = CommunityInput {
        name: c.name.clone(),
        description: c.description.clone(),
        ..Default::default()
    };
    if let Some(a) = &c.area {
        let s = &a.selection;
        input.area = SelectionInput {
            index: s.index.clone(),
            local_authorities: s.local_authorities.clone(),
            wards: s.wards.clone(),
            areas: s.areas.clone(),
            deciles: s.deciles.clone(),
            exclude: s.exclude.clone(),
            ..Default::default()
        };
    }
    input
}

/// A checkbox in a group.
pub struct CheckItem {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// The wards of one local authority.
pub struct WardGroup {
    pub name: String,
    pub open: bool,
    pub wards: Vec<CheckItem>,
}

/// The area part of the form, ready for the template.
#[derive(Default)]
pub struct AreaFields {
    pub indices: Vec<Choice>,
    pub index: String,
    pub ward_groups: Vec<WardGroup>,
    pub deciles: Vec<CheckItem>,
    pub areas: String,
    pub note: String,
}

pub fn area_fields(choices: &AreaChoices, input: &SelectionInput) -> AreaFields {
    let ward_groups = choices
        .local_authorities
        .iter()
        .map(|l| {
            let wards: Vec<CheckItem> = choices
                .wards
                .iter()
                .filter(|w| w.parent_code.as_deref() == Some(&l.code))
                .map(|w| CheckItem {
                    value: w.code.clone(),
                    label: w.name.clone(),
                    checked: input.wards.contains(&w.code),
                })
                .collect();
            WardGroup {
                open: wards.iter().any(|w| w.checked),
                name: l.name.clone(),
                wards,
            }
        })
        .filter(|g| !g.wards.is_empty())
        .collect();
    AreaFields {
        indices: choices
            .indices
            .iter()
            .map(|i| Choice::new(i.code.clone(), i.name.clone()))
            .collect(),
        index: if input.index.is_empty() {
            choices.index.clone()
        } else {
            input.index.clone()
        },
        ward_groups,
        deciles: (1..=10u8)
            .map(|d| CheckItem {
                value: d.to_string(),
                label: tf("community.decile", &[("decile", &d.to_string())]),
                checked: input.deciles.contains(&d),
            })
            .collect(),
        areas: input.areas.join("\n"),
        note: input.note.clone(),
    }
}

/// Where an area error shows on the form: `area/wards` beside the wards.
pub fn area_field(field: &str) -> String {
    match field.strip_prefix("area/") {
        Some("local_authorities") => "wards".into(),
        Some(f) => f.split('/').next().unwrap_or(f).to_string(),
        None => field.to_string(),
    }
}

/// The form's errors, each beside its control (an area's under the area's
/// names, without the `area/` prefix the API uses).
pub fn form_errors(e: useit_app::Error) -> Result<crate::http::views::FormErrors, AppError> {
    use crate::http::views::FormErrors;
    match e {
        useit_app::Error::Invalid(errs) => {
            let errs: Vec<useit_core::validation::FieldError> = errs
                .into_iter()
                .map(|f| useit_core::validation::FieldError {
                    field: area_field(&f.field),
                    message: f.message,
                })
                .collect();
            Ok(FormErrors::from_fields(&errs, &[]))
        }
        other => FormErrors::from_error(other.into(), &[]),
    }
}
