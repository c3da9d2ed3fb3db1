//! The anchors context on the web: where each anchor's money lands (the
//! dashboard), the lines behind every figure, importing spend files, the
//! supplier review queue, anchors and the programme's spend settings; and
//! the same through the JSON API (`api`). One module per resource; what
//! pages and API share is in `useit_app`, `csv` and `view`.

pub mod anchor;
pub mod api;
pub mod columns;
pub mod csv;
pub mod dashboard;
pub mod files;
pub mod import;
pub mod interaction_figures;
pub mod interaction_form;
pub mod interaction_svg;
pub mod interactions;
pub mod lines;
pub mod list;
pub mod practice;
pub mod registers;
pub mod settings;
pub mod suppliers;
pub mod view;
pub mod workforce;
pub mod workforce_csv;

use axum::http::Method;
use useit_core::auth::Capability;

use crate::http::route::{Access, Route, page};

pub fn routes() -> Vec<Route> {
    let view = Access::Programme(Capability::ViewSpend);
    let manage = Access::Programme(Capability::ManageSpend);
    let mut r = vec![
        page(
            Method::GET,
            "/p/{programme}/anchors",
            view,
            list::anchors_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/anchors/spend",
            view,
            dashboard::dashboard_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/anchors/spend/lines",
            view,
            lines::lines_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/anchors/spend/lines.csv",
            view,
            lines::lines_csv,
        ),
        page(
            Method::GET,
            "/p/{programme}/anchors/suppliers",
            view,
            suppliers::suppliers_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/anchors/suppliers",
            manage,
            suppliers::decide_many_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/anchors/suppliers.csv",
            view,
            suppliers::suppliers_csv,
        ),
        page(
            Method::GET,
            "/p/{programme}/anchors/suppliers/{supplier}",
            view,
            suppliers::supplier_page,
        ),
        page(
            Method::POST,
            "/p/{programme}/anchors/suppliers/{supplier}",
            manage,
            suppliers::decide_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/anchors/import",
            manage,
            import::import_form,
        ),
        page(
            Method::POST,
            "/p/{programme}/anchors/import",
            manage,
            import::import,
        ),
        page(
            Method::POST,
            "/p/{programme}/anchors/import/columns",
            manage,
            columns::confirm,
        ),
        page(
            Method::GET,
            "/p/{programme}/anchors/import/{job}",
            manage,
            import::import_job,
        ),
        page(
            Method::GET,
            "/p/{programme}/anchors/files",
            view,
            files::files_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/anchors/files/{file}/undo",
            manage,
            files::undo_confirm,
        ),
        page(
            Method::POST,
            "/p/{programme}/anchors/files/{file}/undo",
            manage,
            files::undo,
        ),
        page(
            Method::GET,
            "/p/{programme}/anchors/new",
            manage,
            anchor::anchor_new,
        ),
        page(
            Method::GET,
            "/p/{programme}/anchors/{anchor}/edit",
            manage,
            anchor::anchor_edit,
        ),
        page(
            Method::POST,
            "/p/{programme}/anchors",
            manage,
            anchor::anchor_save,
        ),
        page(
            Method::GET,
            "/p/{programme}/anchors/settings",
            manage,
            settings::settings_form,
        ),
        page(
            Method::POST,
            "/p/{programme}/anchors/settings",
            manage,
            settings::settings_save,
        ),
        page(
            Method::GET,
            "/p/{programme}/anchors/workforce",
            view,
            workforce::workforce_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/anchors/workforce.csv",
            view,
            workforce::workforce_csv_page,
        ),
        page(
            Method::GET,
            "/p/{programme}/anchors/workforce/import",
            manage,
            workforce::import_form,
        ),
        page(
            Method::POST,
            "/p/{programme}/anchors/workforce/import",
            manage,
            workforce::import,
        ),
    ];
    // A register file is streamed to a temporary file, so its route takes
    // more than the default upload limit (the national files are gigabytes).
    let mut upload = page(
        Method::POST,
        "/p/{programme}/anchors/registers",
        manage,
        registers::registers_upload,
    );
    upload.handler = upload.handler.layer(axum::extract::DefaultBodyLimit::max(
        registers::REGISTER_MAX_BYTES,
    ));
    r.extend([
        page(
            Method::GET,
            "/p/{programme}/anchors/registers",
            manage,
            registers::registers_form,
        ),
        upload,
        page(
            Method::GET,
            "/p/{programme}/anchors/registers/{job}",
            manage,
            registers::register_job,
        ),
    ]);
    r.extend(api::routes());
    r.extend(interactions::routes());
    r.extend(api::interactions::routes());
    r
}
