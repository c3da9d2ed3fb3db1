//! What the programme's pages and API share: where the pages live, ids
//! read from a path, and the CSV downloads (the page and the API serve the
//! same file).

use axum::response::Response;
use useit_app::programme::member_csv::export_members;
use useit_app::programme::partner_csv::export_partners;
use useit_core::auth::{MemberListQuery, Role};
use useit_core::i18n::t;
use useit_core::programme::{PartnerKind, PartnerListQuery};
use useit_core::{PartnerId, UserId};

use useit_core::auth::Capability;
use useit_core::programme::indicators::{Indicator, Period, Step};
pub use useit_core::programme::indicators::{figure_text, published_coverage_text};
use useit_core::talent::person::Counted;

use crate::http::ctx::Ctx;
use crate::http::error::AppError;
use crate::http::views::{Choice, csv_download};
use crate::state::AppState;

/// Where the partner pages live.
pub fn partners_base(ctx: &Ctx) -> Result<String, AppError> {
    Ok(format!("/p/{}/partners", ctx.programme()?.slug))
}

/// Where the member pages live.
pub fn members_base(ctx: &Ctx) -> Result<String, AppError> {
    Ok(format!("/p/{}/members", ctx.programme()?.slug))
}

/// A partner's id from a path: anything else is a page that does not exist.
pub fn partner_id(s: &str) -> Result<PartnerId, AppError> {
    s.parse().map_err(|_| AppError::NotFound)
}

/// A member's user id from a path.
pub fn user_id(s: &str) -> Result<UserId, AppError> {
    s.parse().map_err(|_| AppError::NotFound)
}

/// The partner list as CSV, in the format the import takes back. Contact
/// columns only when asked for and allowed; that export is audited.
pub async fn partners_csv(
    app: &AppState,
    ctx: &Ctx,
    q: &PartnerListQuery,
) -> Result<Response, AppError> {
    let csv = export_partners(
        app.store.as_ref(),
        &ctx.caller()?,
        &q.query(),
        q.with_contacts(),
    )
    .await?;
    csv_download(ctx, "partners", csv.text)
}

/// The members as CSV (audited as an export of personal data).
pub async fn members_csv(
    app: &AppState,
    ctx: &Ctx,
    q: &MemberListQuery,
) -> Result<Response, AppError> {
    let text = export_members(app.store.as_ref(), &ctx.caller()?, &q.query()).await?;
    csv_download(ctx, "members", text)
}

/// The partner kinds as choices of a select, after "any kind" for a filter.
pub fn kind_choices(with_any: bool) -> Vec<Choice> {
    let mut v = Vec::new();
    if with_any {
        v.push(Choice::new("", t("partners.filter.any_kind")));
    }
    v.extend(
        PartnerKind::ALL
            .iter()
            .map(|k| Choice::new(k.slug(), t(&k.label_key()))),
    );
    v
}

/// The roles as choices of a select, after "choose a role" for a new member.
pub fn role_choices(with_blank: bool) -> Vec<Choice> {
    let mut v = Vec::new();
    if with_blank {
        v.push(Choice::new("", t("members.role.choose")));
    }
    v.extend(
        Role::ALL
            .iter()
            .map(|r| Choice::new(r.slug(), t(&r.label_key()))),
    );
    v
}

/// Where a step is done.
pub fn step_href(slug: &str, step: Step) -> String {
    let p = format!("/p/{slug}");
    match step {
        Step::AreaOfBenefit => format!("{p}/place/area-of-benefit/edit"),
        Step::Anchors => format!("{p}/anchors/new"),
        Step::SpendFiles | Step::SpendInPeriod => format!("{p}/anchors/import"),
        Step::SupplierRegister => format!("{p}/anchors/suppliers"),
        Step::AnchorLocalAuthority => format!("{p}/anchors"),
        Step::Workforce => format!("{p}/anchors/workforce/import"),
        Step::Targets => format!("{p}/targets"),
        Step::TalentPeople => format!("{p}/talent/people/new"),
        Step::Researchers => format!("{p}/research/researchers"),
        Step::EnterpriseSupport | Step::EnterpriseIncome | Step::SupportHours => {
            format!("{p}/enterprise")
        }
        Step::Interactions => format!("{p}/anchors/interactions/new"),
        Step::ResearchPay => format!("{p}/research/time"),
        Step::Communities => format!("{p}/communities"),
    }
}

/// The people list filtered to exactly the rows a talent indicator counts
/// over `period` (the figure's: its target's on the home page).
fn counted_people_href(p: &str, c: Counted, period: Period) -> String {
    let day = |d: Option<time::Date>| d.map(useit_core::clock::iso_date).unwrap_or_default();
    format!(
        "{p}/talent/people{}",
        crate::http::forms::query(&[
            ("counted", c.slug()),
            ("from", &day(period.from)),
            ("to", &day(period.to)),
        ])
    )
}

/// A list page filtered to exactly what indicator `i` counts over `period`.
fn counted_href(list: &str, i: Indicator, period: Period) -> String {
    let q = useit_core::programme::indicators::CountedFilter {
        indicator: i,
        period,
    }
    .query();
    format!("{list}{q}")
}

/// The page that lists what an indicator counts over `period`, and the
/// capability it needs. A talent count links to the people list filtered
/// to exactly its rows only for a role that sees every caseload (a
/// caseworker's list holds their own caseload, not the programme's count).
pub fn indicator_href(
    slug: &str,
    i: Indicator,
    period: Period,
    can: impl Fn(Capability) -> bool,
) -> String {
    let p = format!("/p/{slug}");
    let counted = match i {
        Indicator::TalentEngaged => Some(Counted::Engaged),
        Indicator::TalentOnPathway => Some(Counted::OnPathway),
        Indicator::TalentIntoNhs => Some(Counted::IntoNhs),
        Indicator::TalentIntoCare => Some(Counted::IntoCare),
        Indicator::TalentIntoWork => Some(Counted::IntoWork),
        _ => None,
    };
    let (href, cap) = match i {
        _ if counted.is_some() && can(Capability::ViewAllCaseloads) => (
            counted_people_href(&p, counted.expect("a talent count"), period),
            Capability::ViewAllCaseloads,
        ),
        Indicator::TalentEngaged
        | Indicator::TalentOnPathway
        | Indicator::TalentIntoNhs
        | Indicator::TalentIntoCare
        | Indicator::TalentIntoWork
        | Indicator::AgencySavings => (format!("{p}/talent"), Capability::ViewTalentResults),
        // The researchers each count counts, erased records included.
        Indicator::ResearchersAccredited | Indicator::ResearchersPaid
            if can(Capability::ManageResearch) =>
        {
            (
                counted_href(&format!("{p}/research/researchers"), i, period),
                Capability::ManageResearch,
            )
        }
        Indicator::ResearchersAccredited | Indicator::ResearchersPaid => {
            (format!("{p}/research"), Capability::ViewResearch)
        }
        // The organisations each count counts, listed in the directory
        // (an anchor's partner need not be a social enterprise).
        Indicator::EnterprisesSupported | Indicator::EnterprisesTradingLed => (
            counted_href(&format!("{p}/enterprise"), i, period),
            Capability::ViewEnterprises,
        ),
        Indicator::OrganisationsWorkedWith | Indicator::LocalPartners
            if can(Capability::ViewSpend) =>
        {
            (
                counted_href(&format!("{p}/enterprise"), i, period),
                Capability::ViewEnterprises,
            )
        }
        Indicator::LocalSpendShare => (
            format!("{p}/anchors/spend/lines?influenceable=yes&local=area_of_benefit"),
            Capability::ViewSpend,
        ),
        Indicator::Lm3 => (format!("{p}/anchors/spend"), Capability::ViewSpend),
        Indicator::LocalStaffShare | Indicator::LocalStarterShare => {
            (format!("{p}/anchors/workforce"), Capability::ViewSpend)
        }
        Indicator::PayPerResearcher if can(Capability::ManageResearch) => (
            format!("{p}/research/time?status=approved"),
            Capability::ManageResearch,
        ),
        Indicator::PayPerResearcher => (format!("{p}/research"), Capability::ViewResearch),
        // The hours are shared over the enterprises supported: those.
        Indicator::SupportPerEnterprise => (
            counted_href(
                &format!("{p}/enterprise"),
                Indicator::EnterprisesSupported,
                period,
            ),
            Capability::ViewEnterprises,
        ),
        Indicator::OrganisationsWorkedWith | Indicator::LocalPartners => (
            format!("{p}/anchors/interactions/figures"),
            Capability::ViewSpend,
        ),
        Indicator::CommunitiesWithAdoptedPlan => (
            counted_href(&format!("{p}/communities"), i, period),
            Capability::ViewCommunities,
        ),
    };
    if can(cap) { href } else { String::new() }
}

/// A model file named `model-{programme}-{date}.json`, for the page and the API.
pub fn model_download(slug: &str, body: String) -> Response {
    use axum::response::IntoResponse;
    let today = useit_core::clock::iso_date(useit_core::clock::today());
    let name = format!("model-{slug}-{today}.json");
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/json".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}
