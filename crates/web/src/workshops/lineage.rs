//! The lineage of replications: a list, a small tree drawn on the server
//! (SVG with a title and description) and the same as a table.

use std::fmt::Write;

use askama::Template;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use useit_app::workshops::lineage::{add_replication, replications};
use useit_core::auth::Capability;
use useit_core::i18n::{t, tf};
use useit_core::workshops::lineage::{Replication, ReplicationInput, layout};

use super::view::base;
use crate::http::charts::esc;
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::views::{Choice, FormErrors, Layout, render_status};
use crate::i18n::filters;
use crate::state::AppState;

pub struct LineageLine {
    pub name: String,
    pub city: String,
    pub modelled_on: String,
    pub started: String,
    pub note: String,
}

fn label(r: &Replication) -> String {
    match r.draft.started {
        Some(y) => format!("{} – {} ({y})", r.draft.name, r.draft.city),
        None => format!("{} – {}", r.draft.name, r.draft.city),
    }
}

/// The tree as SVG: each programme one row, indented below the one it
/// was modelled on, joined by an elbow line.
pub fn tree_svg(all: &[Replication]) -> String {
    let placed = layout(all);
    let (indent, row_h, top) = (28.0, 34.0, 22.0);
    let depth = placed.iter().map(|p| p.depth).max().unwrap_or(0) as f64;
    let width = 40.0 + depth * indent + 420.0;
    let height = top + placed.len() as f64 * row_h;
    let title = t("workshops.lineage.tree_title");
    let desc = tf(
        "workshops.lineage.tree_desc",
        &[("count", &placed.len().to_string())],
    );
    let mut s = format!(
        "<svg class=\"app-chart app-tree\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"tree-title tree-desc\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"tree-title\">{}</title><desc id=\"tree-desc\">{}</desc>",
        esc(title),
        esc(&desc)
    );
    let x = |d: usize| 14.0 + d as f64 * indent;
    let y = |r: usize| top + r as f64 * row_h - 6.0;
    for p in &placed {
        if let Some(pr) = p.parent_row {
            let _ = write!(
                s,
                "<path class=\"app-tree__line\" d=\"M{} {} V{} H{}\"/>",
                x(p.depth - 1),
                y(pr) + 6.0,
                y(p.row),
                x(p.depth) - 6.0
            );
        }
    }
    for p in &placed {
        let Some(r) = all.iter().find(|r| r.id == p.id) else {
            continue;
        };
        let _ = write!(
            s,
            "<circle class=\"app-tree__node\" cx=\"{}\" cy=\"{}\" r=\"6\"/><text class=\"app-chart__label\" x=\"{}\" y=\"{}\">{}</text>",
            x(p.depth),
            y(p.row),
            x(p.depth) + 12.0,
            y(p.row) + 5.0,
            esc(&label(r))
        );
    }
    s.push_str("</svg>");
    s
}

#[derive(Template)]
#[template(path = "workshops/lineage.html")]
struct LineagePage {
    layout: Layout,
    base: String,
    svg: String,
    lines: Vec<LineageLine>,
    organise: bool,
    errors: FormErrors,
    form: ReplicationInput,
    parents: Vec<Choice>,
}

async fn lineage_view(
    app: &AppState,
    ctx: &Ctx,
    form: ReplicationInput,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let all = replications(app.store.as_ref(), &ctx.caller()?).await?;
    let name_of = |id| {
        all.iter()
            .find(|r| Some(r.id) == id)
            .map(|r| r.draft.name.clone())
            .unwrap_or_else(|| t("workshops.lineage.original").into())
    };
    // The table follows the tree's order, so both read the same way.
    let lines = layout(&all)
        .iter()
        .filter_map(|p| all.iter().find(|r| r.id == p.id))
        .map(|r| LineageLine {
            name: r.draft.name.clone(),
            city: r.draft.city.clone(),
            modelled_on: name_of(r.draft.modelled_on),
            started: r
                .draft
                .started
                .map(|y| y.to_string())
                .unwrap_or_else(|| t("workshops.lineage.not_known").into()),
            note: r.draft.note.clone(),
        })
        .collect();
    let mut parents = vec![Choice::new("", t("workshops.lineage.original"))];
    parents.extend(all.iter().map(|r| Choice::new(r.id.to_string(), label(r))));
    render_status(
        errors.status(),
        &LineagePage {
            layout: Layout::new(app, ctx, t("workshops.lineage.title"), "workshops")
                .await?
                .with_errors(&errors),
            base: base(ctx)?,
            svg: if all.is_empty() {
                String::new()
            } else {
                tree_svg(&all)
            },
            lines,
            organise: ctx.can(Capability::OrganiseWorkshops),
            errors,
            form,
            parents,
        },
    )
}

pub async fn lineage_page(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    Ok(lineage_view(
        &app,
        &ctx,
        ReplicationInput::default(),
        FormErrors::default(),
    )
    .await?)
}

pub async fn lineage_add(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<ReplicationInput>,
) -> Result<Response, PageError> {
    match add_replication(app.store.as_ref(), &ctx.caller()?, &f).await {
        Ok(r) => {
            ctx.flash(tf("workshops.lineage.added", &[("name", &r.draft.name)]))
                .await;
            Ok(Redirect::to(&format!("{}/lineage", base(&ctx)?)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_error(e.into(), &[])?;
            Ok(lineage_view(&app, &ctx, f, errors).await?)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use useit_core::workshops::lineage::ReplicationDraft;
    use uuid::Uuid;

    fn r(name: &str, parent: Option<Uuid>) -> Replication {
        Replication {
            id: Uuid::now_v7(),
            draft: ReplicationDraft {
                name: name.into(),
                city: "City <&>".into(),
                modelled_on: parent,
                started: None,
                note: String::new(),
            },
            created_at: useit_core::clock::now(),
        }
    }

    #[test]
    fn the_tree_names_every_programme_and_joins_each_to_its_original() {
        let root = r("USE-IT!", None);
        let all = vec![
            r("HOP", Some(root.id)),
            root.clone(),
            r("East Birmingham", Some(root.id)),
        ];
        let svg = tree_svg(&all);
        assert_eq!(svg.matches("<circle").count(), 3);
        assert_eq!(svg.matches("app-tree__line").count(), 2);
        assert!(svg.contains("City &lt;&amp;&gt;"));
        assert!(svg.find("USE-IT!").unwrap() < svg.find("HOP").unwrap());
    }
}
