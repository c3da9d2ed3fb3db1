//! Help pages, one per module (issue 15 item 8): what each figure means,
//! how it is worked out and from what, and how to get data in. Every word
//! is in the catalogue (`help.<topic>.*`); each page of a module links to
//! its help from the top of the page (`Layout::help`).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::Method;
use axum::response::Response;
use useit_core::auth::Capability;
use useit_core::i18n::t;

use crate::http::ctx::{Access, Ctx};
use crate::http::error::{AppError, PageError};
use crate::http::route::{Route, page};
use crate::http::views::{Layout, render};
use crate::i18n::filters;
use crate::state::AppState;

/// The modules with a help page, by the key their pages give the layout.
pub const TOPICS: &[&str] = &[
    "home",
    "partners",
    "place",
    "anchors",
    "interactions",
    "talent",
    "enterprise",
    "research",
    "workshops",
    "communities",
    "members",
    "audit",
];

/// The deployment's own pages (programmes, accounts, the deployment's
/// audit log) have one help topic, for the administrators who use them.
pub const ADMIN_TOPIC: &str = "admin";

/// Where the administrators' help topic is read.
pub const ADMIN_HREF: &str = "/admin/help";

/// The sections of every help page, in order.
const SECTIONS: &[&str] = &["figures", "method", "data"];

pub fn routes() -> Vec<Route> {
    let members = Access::Programme(Capability::ViewProgramme);
    vec![
        page(Method::GET, "/p/{programme}/help", members, index),
        page(Method::GET, "/p/{programme}/help/{topic}", members, topic),
        page(Method::GET, ADMIN_HREF, Access::Admin, admin_topic),
    ]
}

/// The help page's address for a module's pages, if it has one.
pub fn href(programme: &str, module: &str) -> Option<String> {
    TOPICS
        .contains(&module)
        .then(|| format!("/p/{programme}/help/{module}"))
}

struct Section {
    heading: String,
    text: Vec<String>,
}

#[derive(Template)]
#[template(path = "help/topic.html")]
struct TopicPage {
    layout: Layout,
    base: String,
    lead: String,
    sections: Vec<Section>,
    /// The pages the topic explains, where the reader may open them (the
    /// members' and audit pages are not every role's).
    back: Option<String>,
}

#[derive(Template)]
#[template(path = "help/index.html")]
struct IndexPage {
    layout: Layout,
    topics: Vec<(String, String, String)>,
}

/// A catalogue text as paragraphs: ` ¶ ` separates them.
fn paragraphs(key: &str) -> Vec<String> {
    t(key).split(" ¶ ").map(str::to_string).collect()
}

async fn index(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let slug = ctx.programme()?.slug.clone();
    let layout = Layout::new(&app, &ctx, t("help.title"), "help").await?;
    let mut topics: Vec<(String, String, String)> = TOPICS
        .iter()
        .map(|k| {
            (
                format!("/p/{slug}/help/{k}"),
                t(&format!("help.{k}.title")).to_string(),
                t(&format!("help.{k}.lead")).to_string(),
            )
        })
        .collect();
    // The deployment's pages are the administrators' alone, so is their help.
    if ctx.is_admin() {
        topics.push((
            ADMIN_HREF.to_string(),
            t("help.admin.title").to_string(),
            t("help.admin.lead").to_string(),
        ));
    }
    Ok(render(&IndexPage { layout, topics })?)
}

fn sections(topic: &str) -> Vec<Section> {
    SECTIONS
        .iter()
        .map(|s| Section {
            heading: t(&format!("help.section.{s}")).to_string(),
            text: paragraphs(&format!("help.{topic}.{s}")),
        })
        .collect()
}

/// The administrators' help: what the deployment's pages show and do.
async fn admin_topic(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let layout = Layout::new(&app, &ctx, t("help.admin.title"), "admin").await?;
    Ok(render(&TopicPage {
        layout,
        // Outside a programme there is no index of its topics to go back to.
        base: String::new(),
        lead: t("help.admin.lead").to_string(),
        sections: sections(ADMIN_TOPIC),
        back: Some("/admin".into()),
    })?)
}

async fn topic(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, topic)): Path<(String, String)>,
) -> Result<Response, PageError> {
    if !TOPICS.contains(&topic.as_str()) {
        return Err(AppError::NotFound.into());
    }
    let slug = ctx.programme()?.slug.clone();
    let layout = Layout::new(&app, &ctx, t(&format!("help.{topic}.title")), "help").await?;
    let back = crate::http::views::module_needs(&topic)
        .filter(|needs| ctx.can(*needs))
        .map(|_| {
            format!(
                "/p/{slug}{}",
                crate::http::views::module_path(&topic).unwrap_or("")
            )
        });
    Ok(render(&TopicPage {
        layout,
        base: format!("/p/{slug}/help"),
        lead: t(&format!("help.{topic}.lead")).to_string(),
        sections: sections(&topic),
        back,
    })?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::views::{module_keys, module_path};

    /// Every module's pages link to a help page (the layout finds it by
    /// the module's key), and every help page leads back to its module.
    #[test]
    fn every_module_has_a_help_page() {
        for key in module_keys() {
            assert!(TOPICS.contains(&key), "the {key} pages have no help topic");
            if TOPICS.contains(&key) {
                assert_eq!(href("alpha", key), Some(format!("/p/alpha/help/{key}")));
            }
        }
        for topic in TOPICS {
            assert!(module_path(topic).is_some(), "{topic} is not a module");
        }
        for topic in TOPICS.iter().chain(&[ADMIN_TOPIC]) {
            for s in SECTIONS.iter().chain(&["title", "lead"]) {
                let key = format!("help.{topic}.{s}");
                assert!(useit_core::i18n::has(&key), "{key}");
            }
        }
    }
}
