//! The saved filters beside a list (issue 15): the caller's own and those
//! shared with the programme, each a link that applies it, and a form that
//! saves the list's query as it stands. Any list page shows it by loading
//! [`SavedFilters`] and calling the `saved_filters::panel` macro.

use useit_app::programme::saved_filters::saved_filters;
use useit_core::programme::saved_filter::{SavedList, normalise_query};

use crate::http::ctx::Ctx;
use crate::http::error::AppError;
use crate::state::AppState;

pub struct SavedFilterLink {
    pub id: String,
    pub name: String,
    pub href: String,
    pub shared: bool,
    pub mine: bool,
    pub owner: String,
    /// The list shows this filter now.
    pub current: bool,
}

pub struct SavedFilters {
    /// The list's slug, sent back with a filter to save.
    pub list: &'static str,
    pub items: Vec<SavedFilterLink>,
    /// The list's query as it stands (nothing to save when empty).
    pub query: String,
    /// Where the save and remove forms post: `/p/{programme}/filters`.
    pub action: String,
    /// The list as it stands, to come back to after removing one.
    pub back: String,
    pub csrf: String,
}

impl SavedFilters {
    /// The panel for `list` as the caller sees it, with the query of the
    /// page being shown.
    pub async fn load(app: &AppState, ctx: &Ctx, list: SavedList) -> Result<Self, AppError> {
        let slug = &ctx.programme()?.slug;
        let base = format!("/p/{slug}");
        let query = normalise_query(ctx.uri.split_once('?').map(|(_, q)| q).unwrap_or(""));
        let me = ctx.user.as_ref().map(|u| u.id);
        let items = saved_filters(app.store.as_ref(), &ctx.caller()?, list)
            .await?
            .into_iter()
            .map(|f| SavedFilterLink {
                id: f.id.to_string(),
                href: f.href(&base),
                current: f.query == query,
                mine: Some(f.owner_id) == me,
                shared: f.shared,
                owner: f.owner_name,
                name: f.name,
            })
            .collect();
        let back = if query.is_empty() {
            format!("{base}{}", list.path())
        } else {
            format!("{base}{}?{query}", list.path())
        };
        Ok(SavedFilters {
            list: list.slug(),
            items,
            query,
            action: format!("{base}/filters"),
            back,
            csrf: ctx.csrf.clone(),
        })
    }
}
