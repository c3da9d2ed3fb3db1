//! One finding on the web (issue 19 item 3): its page with its form and the
//! new-finding form of a project. The theme is chosen from the project's
//! own themes (offered first) and the programme's; the neighbourhoods from
//! a picker of checkboxes that works without JavaScript: the programme's
//! communities and the wards of its area of benefit, by name, those ticked
//! always shown, the rest narrowed by a GET search box when the list is
//! long (`?q=`).

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::research::findings::{
    FindingView, finding, neighbourhood_offer, project_questions, project_themes, save_finding,
};
use useit_app::research::projects::project;
use useit_core::auth::Capability;
use useit_core::i18n::{t, tf, tn};
use useit_core::research::finding::{
    AgeBand, FindingInput, NeighbourhoodKind, PICKER_LIMIT, PICKER_SEARCH_FROM, QuoteInput, picker,
};
use uuid::Uuid;

use super::findings::{Card, card, theme_text};
use super::view::base;
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{Choice, FormErrors, Layout, render_status};
use crate::i18n::filters;
use crate::state::AppState;

/// Quote slots the form offers beyond those a finding has.
const BLANK_QUOTES: usize = 2;

/// One quote slot of the form.
pub struct QuoteSlot {
    pub n: usize,
    pub text: String,
    pub role: String,
    pub age_band: String,
}

/// One neighbourhood of the picker.
pub struct Hood {
    pub n: usize,
    pub code: String,
    pub name: String,
    /// "Community" or "Ward".
    pub kind: String,
    pub ticked: bool,
}

#[derive(Template)]
#[template(path = "research/finding.html")]
struct FindingPage {
    layout: Layout,
    back: String,
    back_text: String,
    action: String,
    /// The finding as it stands (`None` for a new one).
    card: Option<Card>,
    manage: bool,
    errors: FormErrors,
    /// The project's own themes, then the programme's it does not hold.
    own_themes: Vec<String>,
    programme_themes: Vec<String>,
    /// The finding's theme when neither list holds it any more.
    theme_kept: Option<String>,
    theme: String,
    summary: String,
    respondents: String,
    hoods: Vec<Hood>,
    /// Whether the list is long enough for a search box.
    search: bool,
    q: String,
    /// Where the search goes (this page).
    search_action: String,
    /// "12 more not shown: search by name", or blank.
    hidden: String,
    /// The project's questions (path, label, ticked).
    questions: Vec<(String, String, bool)>,
    quotes: Vec<QuoteSlot>,
    ages: Vec<Choice>,
    no_themes: bool,
    themes_href: String,
}

/// The form's fields as the page posts them: repeated `areas` and
/// `questions`, and `quote_text_N`, `quote_role_N`, `quote_age_N` per slot.
fn input_of(fields: &[(String, String)]) -> FindingInput {
    let get = |k: &str| {
        fields
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let all = |k: &str| {
        fields
            .iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .collect::<Vec<_>>()
    };
    let mut quotes = Vec::new();
    for n in 1..=useit_core::research::finding::MAX_QUOTES + BLANK_QUOTES {
        let text = get(&format!("quote_text_{n}"));
        let role = get(&format!("quote_role_{n}"));
        let age_band = get(&format!("quote_age_{n}"));
        if !fields.iter().any(|(k, _)| k == &format!("quote_text_{n}")) {
            break;
        }
        quotes.push(QuoteInput {
            text,
            role,
            age_band,
        });
    }
    FindingInput {
        theme: get("theme"),
        summary: get("summary"),
        quotes,
        areas: all("areas"),
        questions: all("questions"),
        respondents: get("respondents"),
    }
}

/// The page's search: `?q=` narrows the neighbourhoods on offer.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PickerQuery {
    pub q: String,
}

async fn finding_view(
    app: &AppState,
    ctx: &Ctx,
    project_id: Uuid,
    existing: Option<&FindingView>,
    input: FindingInput,
    q: &str,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let caller = ctx.caller()?;
    let s = app.store.as_ref();
    let p = project(s, &caller, project_id).await?;
    let base = base(ctx)?;
    let themes = project_themes(s, &caller, project_id).await?;
    let programme_themes: Vec<String> = themes.offered[themes.own.len()..].to_vec();
    let theme_kept = Some(input.theme.trim().to_string())
        .filter(|x| !x.is_empty() && !themes.offered.iter().any(|o| o.eq_ignore_ascii_case(x)));
    let offer = neighbourhood_offer(s, &caller).await?;
    let pick = picker(&offer.offered, &offer.known, &input.areas, q, PICKER_LIMIT);
    let hoods = pick
        .items
        .into_iter()
        .enumerate()
        .map(|(i, (n, ticked))| Hood {
            n: i + 1,
            kind: t(match n.kind {
                NeighbourhoodKind::Community => "research.finding.hood.community",
                NeighbourhoodKind::Ward => "research.finding.hood.ward",
            })
            .to_string(),
            code: n.code,
            name: n.name,
            ticked,
        })
        .collect();
    let questions = project_questions(s, &caller, project_id)
        .await?
        .into_iter()
        .map(|(path, label)| {
            let ticked = input.questions.contains(&path);
            (path, label, ticked)
        })
        .collect();
    let mut quotes: Vec<QuoteSlot> = input
        .quotes
        .iter()
        .enumerate()
        .map(|(i, q)| QuoteSlot {
            n: i + 1,
            text: q.text.clone(),
            role: q.role.clone(),
            age_band: q.age_band.clone(),
        })
        .collect();
    for _ in 0..BLANK_QUOTES {
        quotes.push(QuoteSlot {
            n: quotes.len() + 1,
            text: String::new(),
            role: String::new(),
            age_band: String::new(),
        });
    }
    let mut ages = vec![Choice::new("", t("research.finding.age.not_given"))];
    ages.extend(
        AgeBand::ALL
            .iter()
            .map(|a| Choice::new(a.slug(), t(&a.label_key()))),
    );
    let title = match existing {
        Some(v) => tf(
            "research.finding.title",
            &[("theme", &theme_text(&v.finding.draft.theme))],
        ),
        None => t("research.finding.new").to_string(),
    };
    let action = match existing {
        Some(v) => format!("{base}/findings/{}", v.finding.id),
        None => format!("{base}/projects/{project_id}/findings"),
    };
    render_status(
        errors.status(),
        &FindingPage {
            layout: Layout::new(app, ctx, title, "research")
                .await?
                .with_errors(&errors),
            back: format!("{base}/projects/{project_id}"),
            back_text: p.draft.title.clone(),
            search_action: action.clone(),
            action,
            // Its own page: no link to itself.
            card: existing.map(|v| Card {
                href: String::new(),
                ..card(&base, v)
            }),
            manage: ctx.can(Capability::ManageResearch),
            errors,
            no_themes: themes.offered.is_empty(),
            themes_href: format!("{base}/themes"),
            own_themes: themes.own,
            programme_themes,
            theme_kept,
            theme: input.theme.clone(),
            summary: input.summary.clone(),
            respondents: input.respondents.clone(),
            hoods,
            search: pick.offered >= PICKER_SEARCH_FROM || !q.trim().is_empty(),
            q: q.trim().to_string(),
            hidden: if pick.hidden == 0 {
                String::new()
            } else {
                tn("research.finding.hood.hidden", pick.hidden as u64)
            },
            questions,
            quotes,
            ages,
        },
    )
}

pub async fn new_finding_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, project_id)): Path<(String, Uuid)>,
    Query(pq): Query<PickerQuery>,
) -> Result<Response, PageError> {
    Ok(finding_view(
        &app,
        &ctx,
        project_id,
        None,
        FindingInput::default(),
        &pq.q,
        FormErrors::default(),
    )
    .await?)
}

pub async fn finding_create(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, project_id)): Path<(String, Uuid)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let input = input_of(&fields);
    match save_finding(app.store.as_ref(), &ctx.caller()?, project_id, None, &input).await {
        Ok(f) => {
            ctx.flash(t("research.finding.saved")).await;
            Ok(Redirect::to(&format!("{}/findings/{}", base(&ctx)?, f.id)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(finding_view(&app, &ctx, project_id, None, input, "", errors).await?)
        }
    }
}

pub async fn finding_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Query(pq): Query<PickerQuery>,
) -> Result<Response, PageError> {
    let v = finding(app.store.as_ref(), &ctx.caller()?, id).await?;
    let input = v.finding.draft.to_input();
    Ok(finding_view(
        &app,
        &ctx,
        v.finding.project,
        Some(&v),
        input,
        &pq.q,
        FormErrors::default(),
    )
    .await?)
}

pub async fn finding_update(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let caller = ctx.caller()?;
    let v = finding(app.store.as_ref(), &caller, id).await?;
    let input = input_of(&fields);
    match save_finding(
        app.store.as_ref(),
        &caller,
        v.finding.project,
        Some(id),
        &input,
    )
    .await
    {
        Ok(_) => {
            ctx.flash(t("research.finding.saved")).await;
            Ok(Redirect::to(&format!("{}/findings/{id}", base(&ctx)?)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(finding_view(&app, &ctx, v.finding.project, Some(&v), input, "", errors).await?)
        }
    }
}
