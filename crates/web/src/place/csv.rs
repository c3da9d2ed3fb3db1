//! The areas list as CSV, served by the page and the API alike; its `code`
//! column is what an area of benefit's list of areas takes.

use axum::response::Response;
use useit_app::place::areas::areas;
use useit_core::listing::PageRequest;
use useit_core::place::areas::AreaListQuery;

use crate::http::ctx::Ctx;
use crate::http::error::AppError;
use crate::state::AppState;

pub async fn areas_csv(app: &AppState, ctx: &Ctx, p: &AreaListQuery) -> Result<Response, AppError> {
    let list = areas(app.store.as_ref(), &ctx.caller()?, p, PageRequest::all()).await?;
    let has_aob = list.area_of_benefit.is_some();
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "code",
        "name",
        "local_authority_code",
        "local_authority_name",
        "ward_code",
        "ward_name",
        "rank",
        "decile",
        "population",
        "in_area_of_benefit",
    ]);
    for r in &list.areas.items {
        let a = &r.area;
        let _ = w.write_record([
            a.code.clone(),
            a.name.clone(),
            a.local_authority_code.clone().unwrap_or_default(),
            a.local_authority_name.clone().unwrap_or_default(),
            a.ward_code.clone().unwrap_or_default(),
            a.ward_name.clone().unwrap_or_default(),
            r.rank.map(|x| x.to_string()).unwrap_or_default(),
            r.decile.map(|x| x.to_string()).unwrap_or_default(),
            a.population.map(|x| x.to_string()).unwrap_or_default(),
            if has_aob {
                (if list.in_area_of_benefit.contains(&a.code) {
                    "yes"
                } else {
                    "no"
                })
                .into()
            } else {
                String::new()
            },
        ]);
    }
    crate::http::views::csv_download(
        ctx,
        "areas",
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default(),
    )
}
