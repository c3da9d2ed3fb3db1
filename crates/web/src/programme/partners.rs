//! Partner pages: the list (filter, sort, search, page, CSV), a partner,
//! adding and changing one, importing a CSV, finding and merging duplicates.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use useit_core::auth::Capability;
use useit_core::csv_import::{Report, decode};
use useit_core::i18n::{Message, t, tf};
use useit_core::listing::{Page, PageRequest, SortDir};
use useit_core::programme::partner_csv;
use useit_core::programme::{
    ContactInput, DuplicatePair, Partner, PartnerContact, PartnerDraft, PartnerInput, PartnerKind,
    PartnerQuery, PartnerSort, PartnerStatus, find_duplicates,
};
use useit_core::{PartnerId, clock};
use useit_store::programme::ImportOutcome;

use crate::http::ctx::{Access, Ctx};
use crate::http::error::{AppError, PageError};
use crate::http::forms::{DateParts, Upload};
use crate::http::route::{Route, page};
use crate::http::views::{Choice, FormErrors, Layout, ListLinks, Pager, render, render_status};
use crate::i18n::filters;
use crate::state::AppState;

pub fn routes() -> Vec<Route> {
    use Capability::*;
    let view = Access::Programme(ViewPartners);
    let edit = Access::Programme(EditPartners);
    vec![
        page(Method::GET, "/p/{programme}/partners", view, list),
        page(Method::GET, "/p/{programme}/partners.csv", view, export),
        page(Method::GET, "/p/{programme}/partners/new", edit, new_form),
        page(Method::POST, "/p/{programme}/partners", edit, create),
        page(
            Method::GET,
            "/p/{programme}/partners/import",
            edit,
            import_form,
        ),
        page(Method::POST, "/p/{programme}/partners/import", edit, import),
        page(
            Method::GET,
            "/p/{programme}/partners/duplicates",
            edit,
            duplicates,
        ),
        page(
            Method::GET,
            "/p/{programme}/partners/{partner_id}",
            view,
            show,
        ),
        page(
            Method::GET,
            "/p/{programme}/partners/{partner_id}/edit",
            edit,
            edit_form,
        ),
        page(
            Method::POST,
            "/p/{programme}/partners/{partner_id}",
            edit,
            update,
        ),
        page(
            Method::GET,
            "/p/{programme}/partners/{partner_id}/merge",
            edit,
            merge_form,
        ),
        page(
            Method::POST,
            "/p/{programme}/partners/{partner_id}/merge",
            edit,
            merge,
        ),
    ]
}

/// The list's query string: filters, search, sort and page.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListParams {
    pub q: Option<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub sort: Option<String>,
    pub dir: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
    /// On CSV exports: include contact people (needs the capability).
    pub contacts: Option<String>,
}

impl ListParams {
    pub fn query(&self) -> PartnerQuery {
        PartnerQuery {
            q: self.q.clone().filter(|s| !s.trim().is_empty()),
            kind: self.kind.as_deref().and_then(|k| k.parse().ok()),
            status: PartnerStatus::parse(self.status.as_deref()),
            sort: PartnerSort::parse(self.sort.as_deref()),
            dir: SortDir::parse(self.dir.as_deref()),
        }
    }

    pub fn page(&self) -> PageRequest {
        PageRequest::new(self.page, self.per_page)
    }
}

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

fn status_choices() -> Vec<Choice> {
    vec![
        Choice::new("all", t("partners.status.all")),
        Choice::new("current", t("partners.status.current")),
        Choice::new("former", t("partners.status.former")),
    ]
}

fn base(ctx: &Ctx) -> Result<String, AppError> {
    Ok(format!("/p/{}/partners", ctx.programme()?.slug))
}

#[derive(Template)]
#[template(path = "programme/partners.html")]
struct ListPage {
    layout: Layout,
    base: String,
    partners: Page<Partner>,
    pager: Pager,
    links: ListLinks,
    q: String,
    kind: String,
    status: String,
    kinds: Vec<Choice>,
    statuses: Vec<Choice>,
    can_edit: bool,
    can_contacts: bool,
    csv_href: String,
}

async fn list(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<ListParams>,
) -> Result<Response, PageError> {
    let pid = ctx.programme_id()?;
    let query = p.query();
    let today = clock::today();
    let partners = app
        .store
        .list_partners(pid, &query, today, p.page())
        .await?;
    let base = base(&ctx)?;
    let q = query.q.clone().unwrap_or_default();
    let kind = query.kind.map(|k| k.slug().to_string()).unwrap_or_default();
    let status = query.status.slug().to_string();
    let links = ListLinks {
        path: base.clone(),
        params: vec![
            ("q".into(), q.clone()),
            ("kind".into(), kind.clone()),
            (
                "status".into(),
                if status == "all" {
                    String::new()
                } else {
                    status.clone()
                },
            ),
        ],
        sort: query.sort.slug().into(),
        dir: query.dir,
    };
    let pager = Pager::new(&partners, &links);
    let layout = Layout::new(&app, &ctx, t("partners.title"), "partners").await?;
    Ok(render(&ListPage {
        layout,
        csv_href: links.csv_href(&format!("{base}.csv")),
        base,
        pager,
        links,
        partners,
        q,
        kind,
        status,
        kinds: kind_choices(true),
        statuses: status_choices(),
        can_edit: ctx.can(Capability::EditPartners),
        can_contacts: ctx.can(Capability::ViewPartnerContacts),
    })?)
}

/// The list as CSV, in the format the import takes back. Contact columns
/// only when asked for and allowed; that export is audited.
pub async fn export_csv(app: &AppState, ctx: &Ctx, p: &ListParams) -> Result<Response, AppError> {
    let pid = ctx.programme_id()?;
    let with_contacts = p
        .contacts
        .as_deref()
        .is_some_and(|v| v == "yes" || v == "true" || v == "1");
    if with_contacts && !ctx.can(Capability::ViewPartnerContacts) {
        return Err(AppError::Forbidden);
    }
    let rows = app
        .store
        .export_partners(pid, &p.query(), clock::today(), with_contacts, &ctx.actor())
        .await?;
    let body = partner_csv::export(&rows, with_contacts);
    crate::http::views::csv_download(ctx, "partners", body)
}

async fn export(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(p): Query<ListParams>,
) -> Result<Response, PageError> {
    Ok(export_csv(&app, &ctx, &p).await?)
}

/// The partner form as posted.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
struct PartnerForm {
    name: String,
    kind: String,
    org_id: String,
    website: String,
    postcode: String,
    description: String,
    joined_on_day: String,
    joined_on_month: String,
    joined_on_year: String,
    left_on_day: String,
    left_on_month: String,
    left_on_year: String,
    contact_name: String,
    contact_email: String,
    contact_phone: String,
}

impl PartnerForm {
    fn joined(&self) -> DateParts {
        DateParts {
            day: self.joined_on_day.clone(),
            month: self.joined_on_month.clone(),
            year: self.joined_on_year.clone(),
        }
    }

    fn left(&self) -> DateParts {
        DateParts {
            day: self.left_on_day.clone(),
            month: self.left_on_month.clone(),
            year: self.left_on_year.clone(),
        }
    }

    fn input(&self) -> PartnerInput {
        PartnerInput {
            name: self.name.clone(),
            kind: self.kind.clone(),
            org_id: self.org_id.clone(),
            website: self.website.clone(),
            postcode: self.postcode.clone(),
            description: self.description.clone(),
            joined_on: self.joined().iso(),
            left_on: self.left().iso(),
        }
    }

    fn contact(&self) -> ContactInput {
        ContactInput {
            contact_name: self.contact_name.clone(),
            contact_email: self.contact_email.clone(),
            contact_phone: self.contact_phone.clone(),
        }
    }

    fn from_partner(p: &PartnerDraft, c: &PartnerContact) -> Self {
        let j = DateParts::from_date(Some(p.joined_on));
        let l = DateParts::from_date(p.left_on);
        PartnerForm {
            name: p.name.clone(),
            kind: p.kind.slug().into(),
            org_id: p.org_id.clone().unwrap_or_default(),
            website: p.website.clone().unwrap_or_default(),
            postcode: p.postcode.clone().unwrap_or_default(),
            description: p.description.clone(),
            joined_on_day: j.day,
            joined_on_month: j.month,
            joined_on_year: j.year,
            left_on_day: l.day,
            left_on_month: l.month,
            left_on_year: l.year,
            contact_name: c.name.clone().unwrap_or_default(),
            contact_email: c.email.clone().unwrap_or_default(),
            contact_phone: c.phone.clone().unwrap_or_default(),
        }
    }

    /// Validates the partner and, when the editor may see contacts, the contact.
    fn validate(
        &self,
        with_contact: bool,
    ) -> Result<(PartnerDraft, Option<PartnerContact>), FormErrors> {
        let d = self.input().validate();
        let c = if with_contact {
            Some(self.contact().validate())
        } else {
            None
        };
        let mut errs = Vec::new();
        if let Err(e) = &d {
            errs.extend(e.0.clone());
        }
        if let Some(Err(e)) = &c {
            errs.extend(e.0.clone());
        }
        if errs.is_empty() {
            Ok((d.expect("checked"), c.map(|c| c.expect("checked"))))
        } else {
            Err(FormErrors::from_fields(&errs, &["joined_on", "left_on"]))
        }
    }
}

#[derive(Template)]
#[template(path = "programme/partner_form.html")]
struct FormPage {
    layout: Layout,
    errors: FormErrors,
    form: PartnerForm,
    joined: DateParts,
    left: DateParts,
    kinds: Vec<Choice>,
    action: String,
    cancel: String,
    heading: String,
    with_contact: bool,
}

async fn form_page(
    app: &AppState,
    ctx: &Ctx,
    form: PartnerForm,
    errors: FormErrors,
    editing: Option<PartnerId>,
) -> Result<FormPage, AppError> {
    let base = base(ctx)?;
    let (heading, action, cancel) = match editing {
        Some(id) => (
            t("partner.edit.title").to_string(),
            format!("{base}/{id}"),
            format!("{base}/{id}"),
        ),
        None => (
            t("partner.new.title").to_string(),
            base.clone(),
            base.clone(),
        ),
    };
    let layout = Layout::new(app, ctx, heading.clone(), "partners")
        .await?
        .with_errors(&errors);
    Ok(FormPage {
        layout,
        errors,
        joined: form.joined(),
        left: form.left(),
        form,
        kinds: {
            let mut k = vec![Choice::new("", t("partner.kind.choose"))];
            k.extend(kind_choices(false));
            k
        },
        action,
        cancel,
        heading,
        with_contact: ctx.can(Capability::ViewPartnerContacts),
    })
}

async fn new_form(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let page = form_page(
        &app,
        &ctx,
        PartnerForm::default(),
        FormErrors::default(),
        None,
    )
    .await?;
    Ok(render(&page)?)
}

async fn create(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<PartnerForm>,
) -> Result<Response, PageError> {
    let with_contact = ctx.can(Capability::ViewPartnerContacts);
    let errors = match f.validate(with_contact) {
        Ok((draft, contact)) => {
            match app
                .store
                .create_partner(
                    ctx.programme_id()?,
                    &draft,
                    &contact.unwrap_or_default(),
                    &ctx.actor(),
                )
                .await
            {
                Ok(p) => {
                    ctx.flash(tf("partner.created", &[("name", &p.name)])).await;
                    return Ok(Redirect::to(&format!("{}/{}", base(&ctx)?, p.id)).into_response());
                }
                Err(e) => FormErrors::from_error(e.into(), &[])?,
            }
        }
        Err(errors) => errors,
    };
    let page = form_page(&app, &ctx, f, errors, None).await?;
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
}

async fn load(app: &AppState, ctx: &Ctx, id: &str) -> Result<Result<Partner, Response>, AppError> {
    let pid = ctx.programme_id()?;
    let id: PartnerId = id.parse().map_err(|_| AppError::NotFound)?;
    match app.store.partner(pid, id).await? {
        Some(p) => Ok(Ok(p)),
        None => match app.store.partner_merged_into(pid, id).await? {
            // A merged-away partner's page sends people to the one that stands.
            Some(to) => Ok(Err(
                Redirect::permanent(&format!("{}/{to}", base(ctx)?)).into_response()
            )),
            None => Err(AppError::NotFound),
        },
    }
}

#[derive(Template)]
#[template(path = "programme/partner.html")]
struct ShowPage {
    layout: Layout,
    base: String,
    partner: Partner,
    contact: Option<PartnerContact>,
    can_edit: bool,
    current: bool,
}

async fn show(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let partner = match load(&app, &ctx, &id).await? {
        Ok(p) => p,
        Err(redirect) => return Ok(redirect),
    };
    let contact = if ctx.can(Capability::ViewPartnerContacts) {
        Some(
            app.store
                .partner_contact(partner.programme_id, partner.id, &ctx.actor())
                .await?,
        )
    } else {
        None
    };
    let layout = Layout::new(&app, &ctx, partner.name.clone(), "partners").await?;
    Ok(render(&ShowPage {
        layout,
        base: base(&ctx)?,
        current: partner.is_current_on(clock::today()),
        partner,
        contact,
        can_edit: ctx.can(Capability::EditPartners),
    })?)
}

async fn edit_form(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let partner = match load(&app, &ctx, &id).await? {
        Ok(p) => p,
        Err(redirect) => return Ok(redirect),
    };
    let contact = if ctx.can(Capability::ViewPartnerContacts) {
        app.store
            .partner_contact(partner.programme_id, partner.id, &ctx.actor())
            .await?
    } else {
        PartnerContact::default()
    };
    let form = PartnerForm::from_partner(&partner.draft(), &contact);
    let page = form_page(&app, &ctx, form, FormErrors::default(), Some(partner.id)).await?;
    Ok(render(&page)?)
}

async fn update(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
    Form(f): Form<PartnerForm>,
) -> Result<Response, PageError> {
    let id: PartnerId = id.parse().map_err(|_| AppError::NotFound)?;
    let with_contact = ctx.can(Capability::ViewPartnerContacts);
    let errors = match f.validate(with_contact) {
        Ok((draft, contact)) => match app
            .store
            .update_partner(
                ctx.programme_id()?,
                id,
                &draft,
                contact.as_ref(),
                &ctx.actor(),
            )
            .await
        {
            Ok(p) => {
                ctx.flash(tf("partner.updated", &[("name", &p.name)])).await;
                return Ok(Redirect::to(&format!("{}/{}", base(&ctx)?, p.id)).into_response());
            }
            Err(e) => FormErrors::from_error(e.into(), &[])?,
        },
        Err(errors) => errors,
    };
    let page = form_page(&app, &ctx, f, errors, Some(id)).await?;
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
}

#[derive(Template)]
#[template(path = "programme/partner_import.html")]
struct ImportPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    report: Option<Report>,
    /// "", "applied", "dry_run" or "rejected".
    state: &'static str,
    summary: String,
    dry_run: bool,
    columns: &'static [&'static str],
}

/// "3 added, 2 changed, 10 unchanged", or what a dry run would do.
pub fn outcome_summary(o: &ImportOutcome) -> String {
    let key = if o.applied {
        "import.counts"
    } else {
        "import.would"
    };
    tf(
        key,
        &[
            ("created", &o.created.to_string()),
            ("updated", &o.updated.to_string()),
            ("unchanged", &o.unchanged.to_string()),
        ],
    )
}

async fn import_page(
    app: &AppState,
    ctx: &Ctx,
    errors: FormErrors,
    report: Option<Report>,
    outcome: Option<ImportOutcome>,
    dry_run: bool,
) -> Result<ImportPage, AppError> {
    let layout = Layout::new(app, ctx, t("partners.import.title"), "partners")
        .await?
        .with_errors(&errors);
    let has_errors = report.as_ref().is_some_and(|r| r.has_errors());
    let (state, summary) = match &outcome {
        None => ("", String::new()),
        Some(o) if o.applied => ("applied", outcome_summary(o)),
        Some(o) if dry_run && !has_errors => ("dry_run", outcome_summary(o)),
        Some(_) => ("rejected", String::new()),
    };
    Ok(ImportPage {
        layout,
        base: base(ctx)?,
        errors,
        report,
        state,
        summary,
        dry_run,
        columns: partner_csv::COLUMNS,
    })
}

async fn import_form(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    Ok(render(
        &import_page(&app, &ctx, FormErrors::default(), None, None, false).await?,
    )?)
}

/// Parses and imports a partners CSV: the same steps for the page, the API
/// and the CLI. Returns the report (errors and warnings) and the outcome.
pub async fn import_csv(
    app: &AppState,
    ctx: &Ctx,
    file_name: &str,
    bytes: &[u8],
    dry_run: bool,
) -> Result<(Report, ImportOutcome), AppError> {
    let (text, _) = decode(bytes);
    let mut report = Report::new(file_name);
    let rows = partner_csv::parse(&text, &mut report);
    let outcome = app
        .store
        .import_partners(
            ctx.programme_id()?,
            rows,
            &mut report,
            dry_run,
            &ctx.actor(),
        )
        .await?;
    Ok((report, outcome))
}

async fn import(State(app): State<AppState>, ctx: Ctx, up: Upload) -> Result<Response, PageError> {
    let dry_run = up.field("dry_run").is_some();
    if up.file_name.is_empty() || up.bytes.is_empty() {
        let errors = FormErrors::one("file", Message::new("upload.choose_file"));
        let page = import_page(&app, &ctx, errors, None, None, dry_run).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?);
    }
    let (report, outcome) = import_csv(&app, &ctx, &up.file_name, &up.bytes, dry_run).await?;
    let mut errors = FormErrors::default();
    if report.has_errors() {
        errors.push(
            "file",
            Message::new("upload.has_errors").arg("count", report.errors().count()),
        );
    }
    let status = if report.has_errors() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = import_page(&app, &ctx, errors, Some(report), Some(outcome), dry_run).await?;
    Ok(render_status(status, &page)?)
}

/// A possible duplicate pair, with both partners.
pub struct PairView {
    pub a: Partner,
    pub b: Partner,
    pub pair: DuplicatePair,
    pub score: String,
}

#[derive(Template)]
#[template(path = "programme/partner_duplicates.html")]
struct DuplicatesPage {
    layout: Layout,
    base: String,
    pairs: Vec<PairView>,
}

/// Every partner that stands, for duplicate finding.
pub async fn duplicate_pairs(app: &AppState, ctx: &Ctx) -> Result<Vec<PairView>, AppError> {
    let pid = ctx.programme_id()?;
    let all = app
        .store
        .list_partners(
            pid,
            &PartnerQuery::default(),
            clock::today(),
            PageRequest::all(),
        )
        .await?
        .items;
    let pairs = find_duplicates(&all);
    let find = |id: PartnerId| all.iter().find(|p| p.id == id).cloned();
    Ok(pairs
        .into_iter()
        .filter_map(|pair| {
            Some(PairView {
                a: find(pair.a)?,
                b: find(pair.b)?,
                score: format!("{:.0}%", pair.score * 100.0),
                pair,
            })
        })
        .collect())
}

async fn duplicates(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let pairs = duplicate_pairs(&app, &ctx).await?;
    let layout = Layout::new(&app, &ctx, t("partners.duplicates.title"), "partners").await?;
    Ok(render(&DuplicatesPage {
        layout,
        base: base(&ctx)?,
        pairs,
    })?)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MergeParams {
    other: String,
    keep: String,
}

#[derive(Template)]
#[template(path = "programme/partner_merge.html")]
struct MergePage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    a: Partner,
    b: Partner,
}

async fn merge_page(
    app: &AppState,
    ctx: &Ctx,
    id: &str,
    other: &str,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let pid = ctx.programme_id()?;
    let (Ok(a), Ok(b)) = (id.parse::<PartnerId>(), other.parse::<PartnerId>()) else {
        return Err(AppError::NotFound);
    };
    let (Some(a), Some(b)) = (
        app.store.partner(pid, a).await?,
        app.store.partner(pid, b).await?,
    ) else {
        return Err(AppError::NotFound);
    };
    if a.id == b.id {
        return Err(AppError::NotFound);
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let layout = Layout::new(app, ctx, t("partners.merge.title"), "partners")
        .await?
        .with_errors(&errors);
    render_status(
        status,
        &MergePage {
            layout,
            base: base(ctx)?,
            errors,
            a,
            b,
        },
    )
}

async fn merge_form(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
    Query(p): Query<MergeParams>,
) -> Result<Response, PageError> {
    Ok(merge_page(&app, &ctx, &id, &p.other, FormErrors::default()).await?)
}

async fn merge(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
    Form(p): Form<MergeParams>,
) -> Result<Response, PageError> {
    let pid = ctx.programme_id()?;
    let (Ok(a), Ok(b)) = (id.parse::<PartnerId>(), p.other.parse::<PartnerId>()) else {
        return Err(AppError::NotFound.into());
    };
    let (keep, other) = if p.keep == a.to_string() {
        (a, b)
    } else if p.keep == b.to_string() {
        (b, a)
    } else {
        let errors = FormErrors::one("keep", Message::new("validation.required.keep"));
        return Ok(merge_page(&app, &ctx, &id, &p.other, errors).await?);
    };
    let kept = app
        .store
        .merge_partners(pid, keep, other, &ctx.actor())
        .await?;
    ctx.flash(tf("partners.merge.done", &[("name", &kept.name)]))
        .await;
    Ok(Redirect::to(&format!("{}/{}", base(&ctx)?, kept.id)).into_response())
}
