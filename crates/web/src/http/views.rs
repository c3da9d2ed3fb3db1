//! What every page shares: the layout (header, programme, navigation),
//! form errors, pagination and sortable columns.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use useit_core::auth::Capability;
use useit_core::i18n::{Language, Message, t, tf};
use useit_core::listing::{Page, SortDir};
use useit_core::money::Currency;
use useit_core::validation::FieldError;

use crate::http::ctx::Ctx;
use crate::http::error::AppError;
use crate::i18n::filters;
use crate::state::AppState;

/// A link in the service navigation.
#[derive(Clone, Debug)]
pub struct NavItem {
    pub label: String,
    pub href: String,
    pub current: bool,
}

/// The frame around every page.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    pub title: String,
    pub user_name: Option<String>,
    pub is_admin: bool,
    /// (slug, name) of the programme being looked at.
    pub programme: Option<(String, String)>,
    pub programme_count: usize,
    pub nav: Vec<NavItem>,
    pub csrf: String,
    pub flash: Option<String>,
    pub has_errors: bool,
    /// The help page for this page's module, linked at the top of the page.
    pub help: Option<String>,
}

/// A section of the service navigation: the modules of a programme, in the
/// order people use them. A module appears only if the role may open it.
struct Module {
    key: &'static str,
    label: &'static str,
    path: &'static str,
    needs: Capability,
}

/// Where a module's pages start, after `/p/{programme}`.
pub fn module_path(key: &str) -> Option<&'static str> {
    MODULES.iter().find(|m| m.key == key).map(|m| m.path)
}

/// What a role needs to open a module's pages.
pub fn module_needs(key: &str) -> Option<Capability> {
    MODULES.iter().find(|m| m.key == key).map(|m| m.needs)
}

/// The keys of the programme's modules, as their pages give the layout.
#[cfg(test)]
pub fn module_keys() -> impl Iterator<Item = &'static str> {
    MODULES.iter().map(|m| m.key)
}

const MODULES: &[Module] = &[
    Module {
        key: "home",
        label: "nav.home",
        path: "",
        needs: Capability::ViewProgramme,
    },
    Module {
        key: "partners",
        label: "nav.partners",
        path: "/partners",
        needs: Capability::ViewPartners,
    },
    Module {
        key: "place",
        label: "nav.place",
        path: "/place",
        needs: Capability::ViewPlace,
    },
    Module {
        key: "anchors",
        label: "nav.anchors",
        path: "/anchors",
        needs: Capability::ViewSpend,
    },
    Module {
        key: "interactions",
        label: "nav.interactions",
        path: "/anchors/interactions",
        needs: Capability::ViewSpend,
    },
    Module {
        key: "talent",
        label: "nav.talent",
        path: "/talent",
        needs: Capability::ViewTalentResults,
    },
    Module {
        key: "research",
        label: "nav.research",
        path: "/research",
        needs: Capability::ViewResearch,
    },
    Module {
        key: "members",
        label: "nav.members",
        path: "/members",
        needs: Capability::ViewMembers,
    },
    Module {
        key: "audit",
        label: "nav.audit",
        path: "/audit",
        needs: Capability::ViewAudit,
    },
    Module {
        key: "enterprise",
        label: "nav.enterprise",
        path: "/enterprise",
        needs: Capability::ViewEnterprises,
    },
    Module {
        key: "workshops",
        label: "nav.workshops",
        path: "/workshops",
        needs: Capability::ViewWorkshops,
    },
    Module {
        key: "communities",
        label: "nav.communities",
        path: "/communities",
        needs: Capability::ViewCommunities,
    },
];

const ADMIN_MODULES: &[(&str, &str, &str)] = &[
    ("admin", "nav.admin.programmes", "/admin"),
    ("admin-users", "nav.admin.users", "/admin/users"),
    ("admin-audit", "nav.admin.audit", "/admin/audit"),
];

impl Layout {
    /// The page's language (`lang` on `<html>`): the programme's, English
    /// outside a programme.
    pub fn lang(&self) -> &'static str {
        useit_core::i18n::language().code()
    }

    /// The same layout with the help page of `topic` linked (for a page
    /// that belongs to no module of its own, such as the roles page).
    pub fn help_topic(mut self, topic: &str) -> Self {
        if let Some((slug, _)) = &self.programme {
            self.help = crate::help::href(slug, topic);
        }
        self
    }

    /// The layout for `ctx`, with `current` (a module key) highlighted.
    pub async fn new(
        app: &AppState,
        ctx: &Ctx,
        title: impl Into<String>,
        current: &str,
    ) -> Result<Layout, AppError> {
        let mut l = Layout {
            title: title.into(),
            csrf: ctx.csrf.clone(),
            ..Default::default()
        };
        if let Some(u) = &ctx.user {
            l.user_name = Some(u.display_name.clone());
            l.is_admin = ctx.is_admin();
            // Kept with the signed-in session while its account's
            // memberships stand (they move its counter).
            l.programme_count = match ctx.kept.as_ref().and_then(|k| k.memberships()) {
                Some(n) => n,
                None => {
                    let n =
                        useit_app::auth::account::memberships(app.store.as_ref(), &ctx.operator()?)
                            .await?
                            .len();
                    if let Some(k) = &ctx.kept {
                        k.keep_memberships(n);
                    }
                    n
                }
            };
        }
        if let (Some(p), Some(role)) = (&ctx.programme, ctx.role) {
            l.programme = Some((p.slug.clone(), p.name.clone()));
            l.help = crate::help::href(&p.slug, current);
            l.nav = MODULES
                .iter()
                .filter(|m| role.can(m.needs))
                .map(|m| NavItem {
                    label: t(m.label).to_string(),
                    href: format!("/p/{}{}", p.slug, m.path),
                    current: m.key == current,
                })
                .collect();
        } else if current.starts_with("admin") && l.is_admin {
            l.help = Some(crate::help::ADMIN_HREF.to_string());
            l.nav = ADMIN_MODULES
                .iter()
                .map(|(key, label, href)| NavItem {
                    label: t(label).to_string(),
                    href: href.to_string(),
                    current: *key == current,
                })
                .collect();
        }
        // Taken out only when there is one: removing marks the session
        // changed, and a changed session is written back, so an
        // unconditional remove wrote every page view to the database.
        if let Some(s) = &ctx.session
            && let Ok(Some(flash)) = s.get::<String>(crate::session::FLASH).await
        {
            let _ = s.remove::<String>(crate::session::FLASH).await;
            l.flash = Some(flash);
        }
        Ok(l)
    }

    /// The short name of the programme being looked at ("" outside one).
    pub fn slug(&self) -> &str {
        self.programme.as_ref().map(|p| p.0.as_str()).unwrap_or("")
    }

    pub fn with_errors(mut self, errors: &FormErrors) -> Self {
        self.has_errors = !errors.is_empty();
        self
    }
}

/// One error on a form: the field, where the summary link jumps to, the text.
#[derive(Clone, Debug)]
pub struct FormError {
    pub field: String,
    pub anchor: String,
    pub text: String,
}

/// The errors of a submitted form, for the error summary and the fields.
#[derive(Clone, Debug, Default)]
pub struct FormErrors {
    pub items: Vec<FormError>,
}

impl FormErrors {
    /// `date_fields` are GOV.UK date inputs, whose summary link goes to the day box.
    pub fn from_fields(errs: &[FieldError], date_fields: &[&str]) -> Self {
        FormErrors {
            items: errs
                .iter()
                .map(|e| FormError {
                    field: e.field.clone(),
                    anchor: if date_fields.contains(&e.field.as_str()) {
                        format!("{}_day", e.field)
                    } else {
                        e.field.clone()
                    },
                    text: e.message.text(),
                })
                .collect(),
        }
    }

    /// The errors a form can show for a failed action: invalid fields and
    /// taken values. Anything else is not the form's business and is returned.
    pub fn from_error(e: AppError, date_fields: &[&str]) -> Result<Self, AppError> {
        match e {
            AppError::Invalid(errs) | AppError::Unknown(errs) => {
                Ok(Self::from_fields(&errs, date_fields))
            }
            AppError::Conflict { field, message } => Ok(Self::one(&field, message)),
            other => Err(other),
        }
    }

    /// The same errors with their summary links leading to `control(field)`:
    /// for a page with a form a row, whose controls carry the row's id.
    pub fn anchored(mut self, control: impl Fn(&str) -> String) -> Self {
        for e in &mut self.items {
            e.anchor = control(&e.field);
        }
        self
    }

    pub fn one(field: &str, message: Message) -> Self {
        FormErrors {
            items: vec![FormError {
                field: field.into(),
                anchor: field.into(),
                text: message.text(),
            }],
        }
    }

    pub fn push(&mut self, field: &str, message: Message) {
        self.items.push(FormError {
            field: field.into(),
            anchor: field.into(),
            text: message.text(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The status a page with these errors answers with: 422 if any.
    pub fn status(&self) -> StatusCode {
        if self.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        }
    }

    /// The first error of a field, if any.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.items
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.text.as_str())
    }
}

/// Links for a list page that keep its filters: sort columns and pages.
#[derive(Clone, Debug)]
pub struct ListLinks {
    pub path: String,
    /// The filters in force (not page, sort or dir).
    pub params: Vec<(String, String)>,
    pub sort: String,
    pub dir: SortDir,
}

impl ListLinks {
    fn href(&self, extra: &[(&str, &str)]) -> String {
        let mut pairs: Vec<(&str, &str)> = self
            .params
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        pairs.extend_from_slice(extra);
        format!("{}{}", self.path, crate::http::forms::query(&pairs))
    }

    /// The link a column heading points at: sort by it, or flip the direction.
    pub fn sort_href(&self, column: &str) -> String {
        let dir = if self.sort == column {
            self.dir.flip()
        } else {
            SortDir::Asc
        };
        self.href(&[("sort", column), ("dir", dir.as_str())])
    }

    /// `ascending`, `descending` or `none`, for the heading's `aria-sort`.
    pub fn aria_sort(&self, column: &str) -> &'static str {
        match (self.sort == column, self.dir) {
            (false, _) => "none",
            (true, SortDir::Asc) => "ascending",
            (true, SortDir::Desc) => "descending",
        }
    }

    fn page_href(&self, n: u32) -> String {
        let p = n.to_string();
        if self.sort.is_empty() {
            // A list in one order only: no sort in its links.
            return self.href(&[("page", &p)]);
        }
        self.href(&[
            ("sort", &self.sort),
            ("dir", self.dir.as_str()),
            ("page", &p),
        ])
    }

    /// The same list as CSV, at `csv_path`.
    pub fn csv_href(&self, csv_path: &str) -> String {
        let pairs: Vec<(&str, &str)> = self
            .params
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .chain([("sort", self.sort.as_str()), ("dir", self.dir.as_str())])
            .collect();
        format!("{}{}", csv_path, crate::http::forms::query(&pairs))
    }
}

/// One numbered link in the pagination.
#[derive(Clone, Debug)]
pub struct PagerItem {
    /// `None` for an ellipsis.
    pub number: Option<u32>,
    pub href: String,
    pub current: bool,
}

/// GOV.UK pagination for a list.
#[derive(Clone, Debug)]
pub struct Pager {
    pub prev: Option<String>,
    pub next: Option<String>,
    pub items: Vec<PagerItem>,
    /// "Showing 26 to 50 of 112".
    pub summary: String,
}

impl Pager {
    pub fn new<T>(page: &Page<T>, links: &ListLinks) -> Pager {
        let total_pages = page.total_pages();
        let current = page.page.min(total_pages.max(1));
        let mut items = Vec::new();
        let mut last_shown = 0;
        for n in 1..=total_pages {
            let near = n == 1 || n == total_pages || n.abs_diff(current) <= 1;
            if near {
                if n > last_shown + 1 {
                    items.push(PagerItem {
                        number: None,
                        href: String::new(),
                        current: false,
                    });
                }
                items.push(PagerItem {
                    number: Some(n),
                    href: links.page_href(n),
                    current: n == current,
                });
                last_shown = n;
            }
        }
        let (first, last) = page.range();
        Pager {
            prev: (current > 1).then(|| links.page_href(current - 1)),
            next: (current < total_pages).then(|| links.page_href(current + 1)),
            items: if total_pages > 1 { items } else { Vec::new() },
            summary: tf(
                "list.showing",
                &[
                    ("first", &useit_core::i18n::format_count(first)),
                    ("last", &useit_core::i18n::format_count(last)),
                    ("total", &useit_core::i18n::format_count(page.total)),
                ],
            ),
        }
    }
}

/// A value and its label, for selects and radios.
#[derive(Clone, Debug)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Self {
        Choice {
            value: value.into(),
            label: label.into(),
        }
    }
}

fn currency_label(c: Currency) -> &'static str {
    match c {
        Currency::Gbp => t("admin.locale.currency.gbp"),
        Currency::Eur => t("admin.locale.currency.eur"),
    }
}

fn language_label(l: Language) -> &'static str {
    match l {
        Language::En => t("admin.locale.language.en"),
        Language::Fr => t("admin.locale.language.fr"),
    }
}

/// Every currency useit can show money in, by name.
pub fn currency_choices() -> Vec<Choice> {
    Currency::ALL
        .iter()
        .map(|c| Choice::new(c.code(), currency_label(*c)))
        .collect()
}

/// Every language useit has pages in, by name.
pub fn language_choices() -> Vec<Choice> {
    Language::ALL
        .iter()
        .map(|l| Choice::new(l.code(), language_label(*l)))
        .collect()
}

#[derive(Template)]
#[template(path = "errors/status.html")]
struct ErrorPage<'a> {
    layout: Layout,
    heading: &'a str,
    detail: &'a str,
}

/// A page for an error status, with no personal context (the request may
/// not have got as far as knowing who is asking).
pub fn error_page(status: StatusCode, title_key: &str, detail: &str) -> Response {
    let heading = t(title_key);
    let page = ErrorPage {
        layout: Layout {
            title: heading.to_string(),
            ..Default::default()
        },
        heading,
        detail,
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, heading.to_string()).into_response(),
    }
}

/// Renders a template as a 200 page.
/// A CSV download named `{what}-{programme}-{date}.csv`.
pub fn csv_download(ctx: &Ctx, what: &str, body: String) -> Result<Response, AppError> {
    let name = format!(
        "{what}-{}-{}.csv",
        ctx.programme()?.slug,
        useit_core::clock::iso_date(useit_core::clock::today())
    );
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/csv; charset=utf-8".to_string(),
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

pub fn render(t: &impl Template) -> Result<Response, AppError> {
    render_status(StatusCode::OK, t)
}

/// Renders a template with a status (422 for a form with errors).
pub fn render_status(status: StatusCode, t: &impl Template) -> Result<Response, AppError> {
    let html = t.render().map_err(AppError::internal)?;
    Ok((status, Html(html)).into_response())
}
