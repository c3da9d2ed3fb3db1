//! Programmes, partners and members through the JSON API: the same actions
//! as the pages, with problem JSON for bad input. Each resource's handlers
//! sit in their own module; what they share with the pages is in
//! `useit_app` and `super::view`.

pub mod disclosure;
pub mod duplicates;
pub mod indicators;
pub mod invitations;
pub mod members;
pub mod model;
pub mod partner_csv;
pub mod partners;
pub mod programmes;
pub mod report;
pub mod saved_filters;
pub mod stories;

use axum::http::Method;
use serde::Deserialize;
use useit_app::programme::CsvUpload;
use useit_core::auth::Capability;
use utoipa::{IntoParams, OpenApi};

use crate::http::ctx::Access;
use crate::http::route::{Route, api};

pub fn routes() -> Vec<Route> {
    use Capability::*;
    let p = |c| Access::Programme(c);
    vec![
        api(
            Method::GET,
            "/api/v1/programmes",
            Access::SignedIn,
            programmes::my_programmes,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}",
            p(ViewProgramme),
            programmes::programme,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/roles",
            p(ViewProgramme),
            programmes::roles,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/filters",
            p(ViewProgramme),
            saved_filters::list_filters,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/filters",
            p(ViewProgramme),
            saved_filters::create_filter,
        ),
        api(
            Method::DELETE,
            "/api/v1/programmes/{programme}/filters/{filter_id}",
            p(ViewProgramme),
            saved_filters::remove_filter,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/partners",
            p(ViewPartners),
            partners::list_partners,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/partners",
            p(EditPartners),
            partners::create_partner,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/partners.csv",
            p(ViewPartners),
            partner_csv::export_partners,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/partners/import",
            p(EditPartners),
            partner_csv::import_partners,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/partners/duplicates",
            p(EditPartners),
            duplicates::duplicates,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/partners/{partner_id}",
            p(ViewPartners),
            partners::get_partner,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/partners/{partner_id}",
            p(EditPartners),
            partners::update_partner,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/partners/{partner_id}/contact",
            p(ViewPartnerContacts),
            partners::get_contact,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/partners/{partner_id}/contact",
            p(EditPartners),
            partners::put_contact,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/partners/{partner_id}/merge",
            p(EditPartners),
            duplicates::merge_partner,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/members",
            p(ViewMembers),
            members::list_members,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/invitations",
            p(ManageMembers),
            invitations::create_invitation,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/invitations",
            p(ManageMembers),
            invitations::list_invitations,
        ),
        api(
            Method::DELETE,
            "/api/v1/programmes/{programme}/invitations/{invitation_id}",
            p(ManageMembers),
            invitations::withdraw_invitation,
        ),
        api(
            Method::POST,
            "/api/v1/invitations/{invitation_secret}/account",
            Access::Public,
            invitations::create_invited_account,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/members.csv",
            p(ViewMembers),
            members::export_members,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/members/import",
            p(ManageMembers),
            members::import_members,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/members/{user_id}",
            p(ManageMembers),
            members::set_member_role,
        ),
        api(
            Method::DELETE,
            "/api/v1/programmes/{programme}/members/{user_id}",
            p(ManageMembers),
            members::remove_member,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/indicators",
            p(ViewProgramme),
            indicators::get_indicators,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/targets",
            p(ViewProgramme),
            indicators::get_targets,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/targets",
            p(ManageTargets),
            indicators::put_targets,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/disclosure",
            p(ViewProgramme),
            disclosure::get_disclosure,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/disclosure",
            p(ManageDisclosure),
            disclosure::put_disclosure,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/model",
            p(ExportModel),
            model::get_model,
        ),
        api(
            Method::POST,
            "/api/v1/admin/programmes/from-model",
            Access::Admin,
            model::post_from_model,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/stories",
            p(ViewStories),
            stories::list_stories,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/stories",
            p(ManageStories),
            stories::create_story,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/stories.csv",
            p(ViewStories),
            stories::export_stories,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/stories/import",
            p(ManageStories),
            stories::import,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/stories/{story_id}",
            p(ViewStories),
            stories::get_story,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/stories/{story_id}",
            p(ManageStories),
            stories::update_story,
        ),
        api(
            Method::POST,
            "/api/v1/programmes/{programme}/stories/{story_id}/withdraw",
            p(ManageStories),
            stories::withdraw_story,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/report",
            p(ViewProgramme),
            report::get_report,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/report.pdf",
            p(ViewProgramme),
            report::get_report_pdf,
        ),
        api(
            Method::GET,
            "/api/v1/programmes/{programme}/report/texts",
            p(ViewProgramme),
            report::get_texts,
        ),
        api(
            Method::PUT,
            "/api/v1/programmes/{programme}/report/texts",
            p(ManageStories),
            report::put_texts,
        ),
    ]
}

/// How a CSV import through the API is asked for.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Check the file and report what would change, writing nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// The file's name, for the report.
    pub file_name: Option<String>,
}

impl ImportQuery {
    /// The file's name for the report (`upload.csv` when none is given).
    fn file_name(&self) -> String {
        self.file_name
            .clone()
            .unwrap_or_else(|| "upload.csv".into())
    }

    /// The request's body as the file to import, named `name`.
    fn upload<'a>(&self, name: &'a str, body: &'a [u8]) -> CsvUpload<'a> {
        CsvUpload {
            file_name: name,
            bytes: body,
            dry_run: self.dry_run,
        }
    }
}

/// The context's paths in the OpenAPI document.
#[derive(OpenApi)]
#[openapi(paths(
    programmes::my_programmes,
    programmes::programme,
    programmes::roles,
    saved_filters::list_filters,
    saved_filters::create_filter,
    saved_filters::remove_filter,
    partners::list_partners,
    partners::create_partner,
    partner_csv::export_partners,
    partner_csv::import_partners,
    duplicates::duplicates,
    partners::get_partner,
    partners::update_partner,
    partners::get_contact,
    partners::put_contact,
    duplicates::merge_partner,
    members::list_members,
    invitations::create_invitation,
    invitations::list_invitations,
    invitations::withdraw_invitation,
    invitations::create_invited_account,
    members::export_members,
    members::import_members,
    members::set_member_role,
    members::remove_member,
    indicators::get_indicators,
    indicators::get_targets,
    indicators::put_targets,
    disclosure::get_disclosure,
    disclosure::put_disclosure,
    model::get_model,
    model::post_from_model,
    stories::list_stories,
    stories::create_story,
    stories::export_stories,
    stories::import,
    stories::get_story,
    stories::update_story,
    stories::withdraw_story,
    report::get_report,
    report::get_report_pdf,
    report::get_texts,
    report::put_texts,
))]
pub struct Doc;
