//! Server-rendered SVG maps: small areas coloured by deprivation decile.
//! Colours come from classes in app.css (the CSP forbids inline styles);
//! each area has a title (seen on hover) and, when it links somewhere, a
//! label read out on focus. Pages put a skip link before a map and a table
//! of the same areas after it.

use std::borrow::Cow;
use std::fmt::Write;

use useit_core::place::geometry::{BBox, Projection, Shape, parse_geometry_text};
use useit_core::place::selection::Radius;

use useit_app::place::Profile;
use useit_app::place::map::MapShape;
use useit_core::i18n::{format_count, t, tf};

use crate::http::charts::esc;
use crate::http::ctx::Ctx;
use crate::http::error::AppError;
use crate::state::AppState;

/// How an area is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// In the set being shown: coloured by decile, linked.
    Member,
    /// Around it, for orientation: grey, not linked.
    Context,
    /// The one the page is about: coloured and outlined.
    Highlight,
}

/// One area to draw. The shape is borrowed where it is kept (the area of
/// benefit's map is drawn on every dashboard request: copying each area's
/// geometry was a fifth of the page's time).
pub struct MapArea<'s> {
    pub code: String,
    pub name: String,
    pub shape: Cow<'s, Shape>,
    pub decile: Option<u8>,
    pub href: Option<String>,
    pub role: Role,
}

impl MapArea<'static> {
    /// Reads the stored GeoJSON geometry; an unreadable one is left off the map.
    pub fn from_geojson(
        code: &str,
        name: &str,
        geometry: &str,
        decile: Option<u8>,
        href: Option<String>,
        role: Role,
    ) -> Option<MapArea<'static>> {
        let shape = parse_geometry_text(geometry).ok()?;
        Some(MapArea {
            code: code.into(),
            name: name.into(),
            shape: Cow::Owned(shape),
            decile,
            href,
            role,
        })
    }
}

fn decile_class(d: Option<u8>) -> String {
    match d {
        Some(d) if (1..=10).contains(&d) => format!("app-decile-{d}"),
        _ => "app-decile-none".into(),
    }
}

/// A point on a map (a supplier, say), linked and titled.
pub struct MapDot {
    pub lat: f64,
    pub lon: f64,
    pub label: String,
    pub href: String,
    /// `app-map__dot--…`: what kind of point it is.
    pub class: &'static str,
}

/// A map of `areas`, framed on the members and highlights, with `radii`
/// drawn as circles. `decile_label` words the decile for titles.
pub fn choropleth(
    id: &str,
    title: &str,
    description: &str,
    areas: &[MapArea<'_>],
    radii: &[Radius],
    width: f64,
    decile_label: &dyn Fn(Option<u8>) -> String,
) -> String {
    choropleth_with_dots(
        id,
        title,
        description,
        areas,
        radii,
        &[],
        width,
        decile_label,
    )
}

/// [`choropleth`] with points drawn over the areas; points outside the
/// frame are left off (the page's table lists them all).
#[allow(clippy::too_many_arguments)]
pub fn choropleth_with_dots(
    id: &str,
    title: &str,
    description: &str,
    areas: &[MapArea<'_>],
    radii: &[Radius],
    dots: &[MapDot],
    width: f64,
    decile_label: &dyn Fn(Option<u8>) -> String,
) -> String {
    let focus: Option<BBox> = areas
        .iter()
        .filter(|a| a.role != Role::Context)
        .filter_map(|a| a.shape.bbox())
        .reduce(BBox::union);
    let Some(mut bbox) = focus.or_else(|| {
        areas
            .iter()
            .filter_map(|a| a.shape.bbox())
            .reduce(BBox::union)
    }) else {
        return String::new();
    };
    for r in radii {
        let dlat = r.km / 111.19;
        let dlon = dlat / r.lat.to_radians().cos().max(0.1);
        bbox = bbox.union(BBox {
            min_x: r.lon - dlon,
            min_y: r.lat - dlat,
            max_x: r.lon + dlon,
            max_y: r.lat + dlat,
        });
    }
    let proj = Projection::fit(bbox, width, 12.0);
    let overlaps = |b: &BBox| {
        b.max_x >= bbox.min_x
            && b.min_x <= bbox.max_x
            && b.max_y >= bbox.min_y
            && b.min_y <= bbox.max_y
    };
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="app-map" id="{id}" viewBox="0 0 {w:.0} {h:.0}" width="{w:.0}" height="{h:.0}" role="group" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc><rect class="app-map__sea" x="0" y="0" width="{w:.0}" height="{h:.0}"></rect>"#,
        esc(title),
        esc(description),
        w = proj.width,
        h = proj.height
    );
    // Context first, so members draw on top; highlights last.
    for pass in [Role::Context, Role::Member, Role::Highlight] {
        for a in areas.iter().filter(|a| a.role == pass) {
            let Some(b) = a.shape.bbox() else { continue };
            if !overlaps(&b) {
                continue;
            }
            let d = proj.path(&a.shape);
            if d.is_empty() {
                continue;
            }
            let label = format!("{} ({}), {}", a.name, a.code, decile_label(a.decile));
            let class = match a.role {
                Role::Context => "app-map__area app-map__area--context".to_string(),
                Role::Member => format!("app-map__area {}", decile_class(a.decile)),
                Role::Highlight => format!(
                    "app-map__area app-map__area--highlight {}",
                    decile_class(a.decile)
                ),
            };
            match (&a.href, a.role) {
                (Some(href), Role::Member | Role::Highlight) => {
                    let _ = write!(
                        s,
                        r#"<a class="app-map__link" href="{}" aria-label="{}"><path class="{class}" d="{d}"><title>{}</title></path></a>"#,
                        esc(href),
                        esc(&label),
                        esc(&label)
                    );
                }
                _ => {
                    let _ = write!(
                        s,
                        r#"<path class="{class}" d="{d}"><title>{}</title></path>"#,
                        esc(&label)
                    );
                }
            }
        }
    }
    for r in radii {
        let (cx, cy) = proj.project(r.lon, r.lat);
        let rad = proj.km_to_px(r.km);
        let _ = write!(
            s,
            r#"<circle class="app-map__radius" cx="{cx:.1}" cy="{cy:.1}" r="{rad:.1}"></circle><circle class="app-map__site" cx="{cx:.1}" cy="{cy:.1}" r="5"><title>{}</title></circle><text class="app-map__site-label" x="{:.1}" y="{:.1}">{}</text>"#,
            esc(&format!("{} ({} km)", r.label, r.km)),
            cx + 8.0,
            cy - 8.0,
            esc(&r.label)
        );
    }
    for d in dots {
        if d.lon < bbox.min_x || d.lon > bbox.max_x || d.lat < bbox.min_y || d.lat > bbox.max_y {
            continue;
        }
        let (cx, cy) = proj.project(d.lon, d.lat);
        let _ = write!(
            s,
            r#"<a class="app-map__link" href="{}" aria-label="{}"><circle class="app-map__dot {}" cx="{cx:.1}" cy="{cy:.1}" r="6"><title>{}</title></circle></a>"#,
            esc(&d.href),
            esc(&d.label),
            d.class,
            esc(&d.label)
        );
    }
    s.push_str("</svg>");
    s
}

/// "Decile 1 (most deprived 10%)", "Decile 10 (least deprived 10%)", "No decile".
pub fn decile_label(d: Option<u8>) -> String {
    match d {
        Some(1) => t("place.decile_1").to_string(),
        Some(10) => t("place.decile_10").to_string(),
        Some(d) => tf("place.decile_n", &[("n", &d.to_string())]),
        None => t("place.decile_none").to_string(),
    }
}

/// One area on a map, for the table that says what the map shows.
pub struct MapRow {
    pub code: String,
    pub name: String,
    pub decile: String,
    pub href: String,
}

/// Renders the map of an area of benefit, with the rest of its districts for
/// context, and the rows of the table alternative (the members).
pub async fn aob_map(
    app: &AppState,
    ctx: &Ctx,
    p: &Profile,
) -> Result<(String, Vec<MapRow>), AppError> {
    let sel = &p.aob.selection;
    let boundaries = useit_app::place::areas::boundaries(
        app.store.as_ref(),
        &ctx.caller()?,
        &sel.scheme,
        Some(&sel.index),
        &[],
    )
    .await?;
    let shapes = useit_app::place::map::map_shapes(p, &boundaries);
    render_aob_map(ctx, p, &shapes, &[], "aob-map", None)
}

/// The area of benefit in force, with points (suppliers) over it; `None`
/// when the programme has not chosen one yet. Its shapes are kept while
/// the area of benefit and the geography stand.
pub async fn area_of_benefit_map(
    app: &AppState,
    ctx: &Ctx,
    dots: &[MapDot],
    id: &str,
    title: Option<String>,
) -> Result<Option<(String, Vec<MapRow>)>, AppError> {
    let Some(m) =
        useit_app::place::map::current_aob_map(app.store.as_ref(), &ctx.caller()?, &app.ledgers)
            .await?
    else {
        return Ok(None);
    };
    Ok(Some(render_aob_map(
        ctx, &m.profile, &m.shapes, dots, id, title,
    )?))
}

fn render_aob_map(
    ctx: &Ctx,
    p: &Profile,
    shapes: &[MapShape],
    dots: &[MapDot],
    id: &str,
    title: Option<String>,
) -> Result<(String, Vec<MapRow>), AppError> {
    let base = format!("/p/{}/place", ctx.programme()?.slug);
    let areas: Vec<MapArea> = shapes
        .iter()
        .map(|s| MapArea {
            code: s.code.clone(),
            name: s.name.clone(),
            shape: Cow::Borrowed(&s.shape),
            decile: s.decile,
            href: Some(format!("{base}/areas/{}", s.code)),
            role: if s.member {
                Role::Member
            } else {
                Role::Context
            },
        })
        .collect();
    let rows = areas
        .iter()
        .filter(|a| a.role == Role::Member)
        .map(|a| MapRow {
            code: a.code.clone(),
            name: a.name.clone(),
            decile: decile_label(a.decile),
            href: a.href.clone().unwrap_or_default(),
        })
        .collect();
    let svg = choropleth_with_dots(
        id,
        &title.unwrap_or_else(|| {
            tf(
                "place.map.title",
                &[("version", &p.aob.version.to_string())],
            )
        }),
        &tf(
            "place.map.desc",
            &[("count", &format_count(p.codes.len() as u64))],
        ),
        &areas,
        &p.aob.selection.radii,
        dots,
        900.0,
        &decile_label,
    );
    Ok((svg, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(code: &str, x: f64, d: Option<u8>, role: Role) -> MapArea<'static> {
        let g = format!(
            r#"{{"type":"Polygon","coordinates":[[[{x},52.0],[{},52.0],[{},52.01],[{x},52.01],[{x},52.0]]]}}"#,
            x + 0.01,
            x + 0.01
        );
        MapArea::from_geojson(
            code,
            &format!("Area {code}"),
            &g,
            d,
            Some(format!("/a/{code}")),
            role,
        )
        .unwrap()
    }

    #[test]
    fn areas_are_coloured_titled_and_linked() {
        let svg = choropleth(
            "m",
            "Map",
            "Areas by decile",
            &[
                square("A", -1.9, Some(1), Role::Member),
                square("B", -1.89, Some(10), Role::Member),
                square("C", -1.88, None, Role::Context),
            ],
            &[],
            400.0,
            &|d| {
                d.map(|d| format!("decile {d}"))
                    .unwrap_or_else(|| "no decile".into())
            },
        );
        assert!(svg.contains(r#"class="app-map__area app-decile-1""#));
        assert!(svg.contains(r#"class="app-map__area app-decile-10""#));
        assert!(svg.contains(r#"aria-label="Area A (A), decile 1""#));
        assert!(svg.contains("app-map__area--context"));
        assert!(
            !svg.contains("href=\"/a/C\""),
            "context areas are not links"
        );
        assert!(!svg.contains("style="));
    }

    #[test]
    fn dots_inside_the_frame_are_drawn_and_linked() {
        let dot = |lon: f64, label: &str| MapDot {
            lat: 52.005,
            lon,
            label: label.into(),
            href: format!("/s/{label}"),
            class: "app-map__dot--social",
        };
        let svg = choropleth_with_dots(
            "m",
            "Map",
            "Suppliers",
            &[square("A", -1.9, Some(1), Role::Member)],
            &[],
            &[dot(-1.895, "inside"), dot(-1.5, "outside")],
            400.0,
            &|_| String::new(),
        );
        assert!(svg.contains(r#"href="/s/inside" aria-label="inside""#));
        assert!(svg.contains("app-map__dot app-map__dot--social"));
        assert!(
            !svg.contains("outside"),
            "a point beyond the frame is left off"
        );
    }
}
