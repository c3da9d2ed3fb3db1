//! The research strand on the web: the strand's figures and projects,
//! community researchers (personal data: the coordinator's, and each
//! researcher's own record), timesheets, approval, payment runs and the pay
//! rule; and the same through the JSON API (`api`).

pub mod api;
pub mod assignments;
pub mod finding_delete;
pub mod finding_form;
pub mod findings;
pub mod home;
pub mod income;
pub mod researchers;
pub mod respend;
pub mod social_lab;
pub mod survey;
pub mod time;
pub mod view;

use axum::http::Method;
use useit_core::auth::Capability;

use crate::http::route::{Access, Route, page};

/// Who may use the research routes.
pub struct Levels {
    pub view: Access,
    pub manage: Access,
    pub record: Access,
}

pub fn levels() -> Levels {
    Levels {
        view: Access::Programme(Capability::ViewResearch),
        manage: Access::Programme(Capability::ManageResearch),
        record: Access::Programme(Capability::RecordResearchTime),
    }
}

pub fn routes() -> Vec<Route> {
    let Levels {
        view,
        manage,
        record,
    } = levels();
    let mut r = vec![
        page(
            Method::GET,
            "/p/{programme}/research",
            view,
            home::home_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/research/projects",
            manage,
            home::project_create,
        ),
        page(
            Method::GET,
            "/p/{programme}/research/projects/{project_id}",
            view,
            home::project_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/research/projects/{project_id}",
            manage,
            home::project_update,
        ),
        page(
            Method::GET,
            "/p/{programme}/research/researchers",
            manage,
            researchers::researchers_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/research/researchers.csv",
            manage,
            researchers::researchers_csv,
        ),
        page(
            Method::POST,
            "/p/{programme}/research/researchers",
            manage,
            researchers::researcher_create,
        ),
        page(
            Method::GET,
            "/p/{programme}/research/researchers/{researcher_id}",
            record,
            researchers::researcher_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/research/researchers/{researcher_id}",
            manage,
            researchers::researcher_update,
        ),
        page(
            Method::POST,
            "/p/{programme}/research/researchers/{researcher_id}/erase",
            manage,
            researchers::researcher_erase,
        ),
        page(
            Method::GET,
            "/p/{programme}/research/researchers/{researcher_id}/export.json",
            record,
            researchers::researcher_export,
        ),
        page(
            Method::GET,
            "/p/{programme}/research/time",
            record,
            time::time_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/research/time",
            record,
            time::time_submit,
        ),
        page(
            Method::POST,
            "/p/{programme}/research/time/{entry_id}",
            manage,
            time::time_decide,
        ),
        page(
            Method::GET,
            "/p/{programme}/research/pay-run.csv",
            manage,
            time::pay_run_csv,
        ),
        page(
            Method::POST,
            "/p/{programme}/research/settings",
            manage,
            time::settings_save,
        ),
        page(
            Method::GET,
            "/p/{programme}/research/projects/{project_id}/questionnaire",
            view,
            survey::questionnaire_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/research/projects/{project_id}/questionnaire/questions",
            manage,
            survey::question_add,
        ),
        page(
            Method::POST,
            "/p/{programme}/research/projects/{project_id}/questionnaire/xlsform",
            manage,
            survey::xlsform_upload,
        ),
        page(
            Method::POST,
            "/p/{programme}/research/projects/{project_id}/questionnaire/responses",
            manage,
            survey::responses_upload,
        ),
        page(
            Method::GET,
            "/p/{programme}/research/projects/{project_id}/questionnaire/respond",
            record,
            survey::respond_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/research/projects/{project_id}/questionnaire/respond",
            record,
            survey::respond_submit,
        ),
        page(
            Method::POST,
            "/p/{programme}/research/projects/{project_id}/themes",
            manage,
            home::project_themes_save,
        ),
        page(
            Method::POST,
            "/p/{programme}/research/projects/{project_id}/income",
            manage,
            social_lab::income_add,
        ),
        // Findings as records, and the themes view (issue 19 item 3).
        page(
            Method::GET,
            "/p/{programme}/research/findings",
            view,
            findings::findings_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/research/findings.csv",
            view,
            findings::findings_csv_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/research/findings/import",
            manage,
            findings::findings_import,
        ),
        page(
            Method::GET,
            "/p/{programme}/research/findings/{finding_id}",
            view,
            finding_form::finding_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/research/findings/{finding_id}",
            manage,
            finding_form::finding_update,
        ),
        page(
            Method::GET,
            "/p/{programme}/research/findings/{finding_id}/delete",
            manage,
            finding_delete::delete_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/research/findings/{finding_id}/delete",
            manage,
            finding_delete::delete,
        ),
        page(
            Method::GET,
            "/p/{programme}/research/projects/{project_id}/findings",
            manage,
            finding_form::new_finding_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/research/projects/{project_id}/findings",
            manage,
            finding_form::finding_create,
        ),
        page(
            Method::GET,
            "/p/{programme}/research/themes",
            view,
            findings::themes_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/research/themes",
            manage,
            findings::themes_save,
        ),
        // A re-spend survey's results as LM3's inputs: the spend
        // manager's (the app also asks to see research).
        page(
            Method::GET,
            "/p/{programme}/research/projects/{project_id}/respend",
            Access::Programme(Capability::ManageSpend),
            respend::respend_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/research/projects/{project_id}/respend",
            Access::Programme(Capability::ManageSpend),
            respend::respend_use,
        ),
        // Researchers assigned to projects, and their income (issue 19).
        page(
            Method::POST,
            "/p/{programme}/research/projects/{project_id}/assignments",
            manage,
            assignments::assign_submit,
        ),
        page(
            Method::GET,
            "/p/{programme}/research/assignments/{assignment_id}/end",
            manage,
            assignments::end_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/research/assignments/{assignment_id}/end",
            manage,
            assignments::end_submit,
        ),
        page(
            Method::GET,
            "/p/{programme}/research/income",
            view,
            income::income_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/research/social-lab",
            view,
            social_lab::social_lab_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/research/social-lab",
            manage,
            social_lab::social_lab_save,
        ),
    ];
    r.extend(api::routes());
    r
}
