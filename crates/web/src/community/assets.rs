//! The asset map's pages: the list (filter by community, kind and layer,
//! search, sort, page, CSV that imports back), the map (the area of
//! benefit's decile map with the assets as markers, layers chosen by
//! checkboxes in a plain GET form, and the same assets as a list beside
//! it), the import, and the services as Open Referral (HSDS) JSON.

use askama::Template;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use useit_app::community::assets::{
    AssetView, assets, assets_file, hsds_services, hsds_zip, import_assets, selected,
};
use useit_app::community::communities;
use useit_app::programme::CsvUpload;
use useit_core::auth::Capability;
use useit_core::community::asset::{AssetFilter, AssetKind, AssetLayer, AssetQuery, CSV_COLUMNS};
use useit_core::csv_import::Report;
use useit_core::i18n::{Message, format_count, t, tf, tn};
use useit_core::listing::{PageRequest, SortDir};

use super::view::{base, hsds_zip_download};
use crate::http::ctx::Ctx;
use crate::http::error::{AppError, PageError};
use crate::http::forms::Upload;
use crate::http::map::{MapDot, area_of_benefit_map, decile_label};
use crate::http::views::{
    Choice, FormErrors, Layout, ListLinks, Pager, csv_download, render, render_status,
};
use crate::i18n::filters;
use crate::state::AppState;

pub fn assets_base(ctx: &Ctx) -> Result<String, AppError> {
    Ok(format!("{}/assets", base(ctx)?))
}

/// The marker class of a kind on the map and in its legend.
pub fn marker(kind: AssetKind) -> &'static str {
    match kind {
        AssetKind::Group => "app-map__dot--asset-group",
        AssetKind::Space => "app-map__dot--asset-space",
        AssetKind::Service => "app-map__dot--asset-service",
        AssetKind::Business => "app-map__dot--asset-business",
        AssetKind::Skill => "app-map__dot--asset-skill",
        AssetKind::AnchorSite => "app-map__dot--asset-anchor_site",
        AssetKind::Estate => "app-map__dot--asset-estate",
        AssetKind::Development => "app-map__dot--asset-development",
    }
}

/// One asset as a line of the list or of the map's list.
pub struct AssetLine {
    pub href: String,
    pub name: String,
    pub kind: String,
    pub layer: String,
    pub community: String,
    pub place: String,
    pub people: String,
    pub marker: &'static str,
}

pub fn place_text(v: &AssetView) -> String {
    let d = &v.asset.draft;
    match &v.place {
        None => t("community.asset.no_place").to_string(),
        Some(p) => match (&p.area_name, &p.area_code) {
            (Some(n), _) | (None, Some(n)) => match &d.postcode {
                Some(pc) => tf(
                    "community.asset.place_line",
                    &[
                        ("postcode", pc),
                        ("area", n),
                        ("decile", &decile_label(p.decile)),
                    ],
                ),
                None => tf(
                    "community.asset.place_point_line",
                    &[("area", n), ("decile", &decile_label(p.decile))],
                ),
            },
            _ => match &d.postcode {
                Some(pc) => tf("community.asset.place_unplaced", &[("postcode", pc)]),
                None => t("community.asset.place_point").to_string(),
            },
        },
    }
}

pub fn line(base: &str, v: &AssetView) -> AssetLine {
    let d = &v.asset.draft;
    AssetLine {
        href: format!("{base}/{}", v.asset.id),
        name: d.name.clone(),
        kind: t(&d.kind.label_key()).to_string(),
        layer: t(&d.kind.layer().label_key()).to_string(),
        community: v
            .asset
            .community_name
            .clone()
            .unwrap_or_else(|| t("community.asset.programme_wide").to_string()),
        place: place_text(v),
        people: v.people_text.clone().unwrap_or_default(),
        marker: marker(d.kind),
    }
}

fn kind_choices(blank: &str) -> Vec<Choice> {
    let mut v = vec![Choice::new("", t(blank))];
    v.extend(
        AssetKind::ALL
            .iter()
            .map(|k| Choice::new(k.slug(), t(&k.label_key()))),
    );
    v
}

async fn community_choices(app: &AppState, ctx: &Ctx) -> Result<Vec<Choice>, AppError> {
    let mut v = vec![
        Choice::new("", t("community.asset.filter.any_community")),
        Choice::new("programme", t("community.asset.programme_wide")),
    ];
    for c in communities(app.store.as_ref(), &ctx.caller()?).await? {
        v.push(Choice::new(c.id.to_string(), c.name));
    }
    Ok(v)
}

#[derive(Template)]
#[template(path = "community/assets.html")]
struct ListPage {
    layout: Layout,
    base: String,
    lines: Vec<AssetLine>,
    total: u64,
    pager: Pager,
    links: ListLinks,
    q: String,
    community: String,
    kind: String,
    layer: String,
    dir: String,
    communities: Vec<Choice>,
    kinds: Vec<Choice>,
    layers: Vec<Choice>,
    can_add: bool,
    can_manage: bool,
    csv_href: String,
    hsds_href: String,
    hsds_zip_href: String,
}

pub async fn list_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<AssetQuery>,
) -> Result<Response, PageError> {
    let caller = ctx.caller()?;
    let found = assets(
        app.store.as_ref(),
        &caller,
        &q,
        PageRequest::new(q.page, None),
    )
    .await?;
    let base = assets_base(&ctx)?;
    let text = |o: &Option<String>| o.clone().unwrap_or_default();
    let links = ListLinks {
        path: base.clone(),
        params: vec![
            ("q".into(), text(&q.q)),
            ("community".into(), text(&q.community)),
            ("kind".into(), text(&q.kind)),
            ("layer".into(), text(&q.layer)),
        ],
        sort: q.sort.clone().unwrap_or_else(|| "name".into()),
        dir: SortDir::parse(q.dir.as_deref()),
    };
    let pager = Pager::new(&found, &links);
    let mut layers = vec![Choice::new("", t("community.asset.filter.any_layer"))];
    layers.extend(
        AssetLayer::ALL
            .iter()
            .map(|l| Choice::new(l.slug(), t(&l.label_key()))),
    );
    Ok(render(&ListPage {
        layout: Layout::new(&app, &ctx, t("community.asset.title"), "communities").await?,
        csv_href: links.csv_href(&format!("{base}.csv")),
        hsds_href: links.csv_href(&format!("{base}/hsds.json")),
        hsds_zip_href: links.csv_href(&format!("{base}/hsds.zip")),
        lines: found.items.iter().map(|v| line(&base, v)).collect(),
        total: found.total,
        pager,
        q: text(&q.q),
        community: text(&q.community),
        kind: text(&q.kind),
        layer: text(&q.layer),
        dir: text(&q.dir),
        communities: community_choices(&app, &ctx).await?,
        kinds: kind_choices("community.asset.filter.any_kind"),
        layers,
        can_add: ctx.can(Capability::EditCommunityPlans),
        can_manage: ctx.can(Capability::ManageCommunities),
        links,
        base,
    })?)
}

pub async fn export(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<AssetQuery>,
) -> Result<Response, PageError> {
    let body = assets_file(app.store.as_ref(), &ctx.caller()?, &q).await?;
    Ok(csv_download(&ctx, "assets", body)?)
}

/// The services as HSDS 3 `service` objects (organization, phones,
/// schedules and service_at_locations nested).
pub async fn hsds_json(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<AssetQuery>,
) -> Result<Response, PageError> {
    let v = hsds_services(app.store.as_ref(), &ctx.caller()?, &q).await?;
    Ok(Json(v).into_response())
}

/// The services as the HSDS tables (the console's seven CSV files) in one
/// zip file.
pub async fn hsds_zip_file(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<AssetQuery>,
) -> Result<Response, PageError> {
    let body = hsds_zip(app.store.as_ref(), &ctx.caller()?, &q).await?;
    Ok(hsds_zip_download(&ctx, body)?)
}

/// A layer's checkbox on the map's form.
struct LayerBox {
    value: &'static str,
    label: String,
    class: &'static str,
    checked: bool,
    count: String,
}

#[derive(Template)]
#[template(path = "community/asset_map.html")]
struct MapPage {
    layout: Layout,
    base: String,
    map: Option<String>,
    micro: Vec<LayerBox>,
    macro_: Vec<LayerBox>,
    communities: Vec<Choice>,
    community: String,
    lines: Vec<AssetLine>,
    unmapped: u64,
}

/// The map: `layer` repeated (one per kind shown; none ticked shows every
/// kind) and `community`, read from a plain GET form.
pub async fn map_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let caller = ctx.caller()?;
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let ticked: Vec<AssetKind> = pairs
        .iter()
        .filter(|(n, _)| n == "layer")
        .filter_map(|(_, v)| AssetKind::parse(v))
        .collect();
    let query = AssetQuery {
        community: get("community"),
        ..Default::default()
    };
    let mut filter: AssetFilter = query.validate().map_err(useit_app::Error::from)?;
    let placeable: Vec<AssetKind> = AssetKind::ALL
        .iter()
        .copied()
        .filter(|k| *k != AssetKind::Skill)
        .collect();
    let all = selected(app.store.as_ref(), &caller, &filter).await?;
    filter.kinds = if ticked.is_empty() {
        placeable.clone()
    } else {
        ticked.clone()
    };
    let shown: Vec<&AssetView> = all
        .iter()
        .filter(|v| filter.kinds.contains(&v.asset.draft.kind))
        .collect();
    let base = assets_base(&ctx)?;
    let dots: Vec<MapDot> = shown
        .iter()
        .filter_map(|v| {
            let p = v.place.as_ref()?;
            Some(MapDot {
                lat: p.lat?,
                lon: p.lon?,
                label: format!(
                    "{}: {} ({})",
                    t(&v.asset.draft.kind.label_key()),
                    v.asset.draft.name,
                    place_text(v)
                ),
                href: format!("{base}/{}", v.asset.id),
                class: marker(v.asset.draft.kind),
            })
        })
        .collect();
    let unmapped = (shown.len() - dots.len()) as u64;
    let map = area_of_benefit_map(
        &app,
        &ctx,
        &dots,
        "asset-map",
        Some(t("community.asset.map.title").to_string()),
    )
    .await?
    .map(|m| m.0);
    let boxes = |layer: AssetLayer| -> Vec<LayerBox> {
        placeable
            .iter()
            .filter(|k| k.layer() == layer)
            .map(|k| LayerBox {
                value: k.slug(),
                label: t(&k.label_key()).to_string(),
                class: marker(*k),
                checked: ticked.is_empty() || ticked.contains(k),
                count: tn(
                    "community.asset.map.count",
                    all.iter().filter(|v| v.asset.draft.kind == *k).count() as u64,
                ),
            })
            .collect()
    };
    Ok(render(&MapPage {
        layout: Layout::new(&app, &ctx, t("community.asset.map.heading"), "communities").await?,
        micro: boxes(AssetLayer::Micro),
        macro_: boxes(AssetLayer::Macro),
        communities: community_choices(&app, &ctx).await?,
        community: get("community").unwrap_or_default(),
        lines: shown.iter().map(|v| line(&base, v)).collect(),
        unmapped,
        map,
        base,
    })?)
}

#[derive(Template)]
#[template(path = "community/asset_import.html")]
struct ImportPage {
    layout: Layout,
    base: String,
    errors: FormErrors,
    report: Option<Report>,
    state: &'static str,
    summary: String,
    dry_run: bool,
    columns: &'static [&'static str],
}

async fn import_view(
    app: &AppState,
    ctx: &Ctx,
    errors: FormErrors,
    report: Option<Report>,
    ended: (&'static str, String),
    dry_run: bool,
) -> Result<ImportPage, AppError> {
    Ok(ImportPage {
        layout: Layout::new(app, ctx, t("community.asset.import.title"), "communities")
            .await?
            .with_errors(&errors),
        base: assets_base(ctx)?,
        errors,
        report,
        state: ended.0,
        summary: ended.1,
        dry_run,
        columns: &CSV_COLUMNS,
    })
}

pub async fn import_form(State(app): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let page = import_view(
        &app,
        &ctx,
        FormErrors::default(),
        None,
        ("", String::new()),
        false,
    )
    .await?;
    Ok(render(&page)?)
}

pub async fn import(
    State(app): State<AppState>,
    ctx: Ctx,
    up: Upload,
) -> Result<Response, PageError> {
    let dry_run = up.field("dry_run").is_some();
    if up.file_name.is_empty() || up.bytes.is_empty() {
        let errors = FormErrors::one("file", Message::new("upload.choose_file"));
        let page = import_view(&app, &ctx, errors, None, ("", String::new()), dry_run).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?);
    }
    let upload = CsvUpload {
        file_name: &up.file_name,
        bytes: &up.bytes,
        dry_run,
    };
    match import_assets(app.store.as_ref(), &ctx.caller()?, upload).await {
        Ok(i) => {
            let o = i.outcome;
            let summary = tf(
                if dry_run {
                    "import.would"
                } else {
                    "import.counts"
                },
                &[
                    ("created", &format_count(o.added)),
                    ("updated", &format_count(o.changed)),
                    ("unchanged", &format_count(o.unchanged)),
                ],
            );
            let state = if dry_run { "dry_run" } else { "applied" };
            let report = (!i.report.problems.is_empty()).then_some(i.report);
            let page = import_view(
                &app,
                &ctx,
                FormErrors::default(),
                report,
                (state, summary),
                dry_run,
            )
            .await?;
            Ok(render(&page)?)
        }
        Err(useit_app::Error::Rejected(report)) => {
            let errors = FormErrors::one(
                "file",
                Message::new("upload.has_errors").arg("count", report.errors().count()),
            );
            let page = import_view(
                &app,
                &ctx,
                errors,
                Some(report),
                ("rejected", String::new()),
                dry_run,
            )
            .await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}
