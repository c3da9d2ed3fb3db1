//! The asset map (issue 19 item 5): what a community already has to build
//! on. Micro assets — community groups, spaces, services, small businesses
//! and skills held in aggregate (a count of people with a skill, never
//! their names) — and macro assets — anchor sites and estate, the new
//! hospital, housing developments. An asset belongs to a community or to
//! the whole programme, sits at a postcode (its small area and decile come
//! from the place context) or a point, may name an organisation of the
//! programme's register (the one record enterprises and spend use) and, for
//! a space an anchor unlocked, the anchor's interaction that unlocked it.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::choice;
use crate::anchors::interactions::InteractionKind;
use crate::csv_import::{Column, Problem, Report};
use crate::i18n::Message;
use crate::place::postcode::Postcode;
use crate::validation::{Errors, Invalid};

choice!(
    /// What an asset is. Groups, spaces, services, businesses and skills
    /// are micro assets; anchor sites, estate and developments macro ones.
    AssetKind, "community.asset_kind", [
        Group = "group",
        Space = "space",
        Service = "service",
        Business = "business",
        Skill = "skill",
        AnchorSite = "anchor_site",
        Estate = "estate",
        Development = "development",
    ]
);

choice!(
    /// The two layers of the map: what residents hold and run, and what the
    /// anchors and developers own.
    AssetLayer, "community.asset_layer", [
        Micro = "micro",
        Macro = "macro",
    ]
);

impl AssetKind {
    pub fn layer(self) -> AssetLayer {
        match self {
            AssetKind::Group
            | AssetKind::Space
            | AssetKind::Service
            | AssetKind::Business
            | AssetKind::Skill => AssetLayer::Micro,
            AssetKind::AnchorSite | AssetKind::Estate | AssetKind::Development => AssetLayer::Macro,
        }
    }

    /// Spaces and macro assets are somewhere: they need a postcode or a
    /// point.
    pub fn needs_place(self) -> bool {
        self == AssetKind::Space || self.layer() == AssetLayer::Macro
    }
}

/// An asset as typed on the form, sent to the API or read from a CSV row.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AssetInput {
    /// group, space, service, business, skill (micro); anchor_site,
    /// estate, development (macro).
    pub kind: String,
    pub name: String,
    pub description: String,
    /// The community's id; blank for an asset of the whole programme.
    pub community: String,
    /// Where it is (`B36 9EJ`); its small area and decile follow.
    pub postcode: String,
    /// Or a point, in decimal degrees (WGS84), both or neither.
    pub lat: String,
    pub lon: String,
    /// An organisation of the programme's register, by id (blank: none).
    pub organisation: String,
    /// Who can use it and how, in plain words.
    pub who_can_use: String,
    /// Services only: how to reach it, who it is for and when it runs.
    pub contact_email: String,
    pub contact_phone: String,
    /// Services only: its web page (`https://…`).
    pub url: String,
    pub eligibility: String,
    pub schedule: String,
    /// Skills only: how many people hold it (a count, never names).
    pub people: String,
    /// Spaces only: the anchor's interaction (kind community use, say)
    /// that unlocked it, by id.
    pub interaction: String,
    /// Since when it has been there (`2024-05-01` or `01/05/2024`).
    pub started_on: String,
    /// When it closed or ended, if it has.
    pub ended_on: String,
}

/// An asset checked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AssetDraft {
    pub kind: AssetKind,
    pub name: String,
    pub description: String,
    pub community: Option<Uuid>,
    /// As printed: `B36 9EJ`.
    pub postcode: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub organisation: Option<Uuid>,
    pub who_can_use: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub url: String,
    pub eligibility: String,
    pub schedule: String,
    pub people: Option<u32>,
    pub interaction: Option<Uuid>,
    #[serde(with = "crate::iso_date::option")]
    pub started_on: Option<Date>,
    #[serde(with = "crate::iso_date::option")]
    pub ended_on: Option<Date>,
}

/// The most people a skill may be counted for.
pub const MAX_PEOPLE: u32 = 1_000_000;

fn id_field(e: &mut Errors, field: &str, raw: &str, unknown: &str) -> Option<Uuid> {
    match raw.trim() {
        "" => None,
        v => match Uuid::parse_str(v) {
            Ok(id) => Some(id),
            Err(_) => {
                e.add(field, Message::new(unknown.to_string()));
                None
            }
        },
    }
}

fn degrees(e: &mut Errors, field: &str, raw: &str, limit: f64) -> Option<f64> {
    match raw.trim() {
        "" => None,
        v => match v.parse::<f64>() {
            Ok(x) if x.is_finite() && x.abs() <= limit => Some(x),
            _ => {
                e.add(
                    field,
                    Message::new("community.asset.degrees_bad").arg("value", v),
                );
                None
            }
        },
    }
}

impl AssetInput {
    pub fn validate(&self) -> Result<AssetDraft, Invalid> {
        let mut e = Errors::new();
        let kind = match self.kind.trim() {
            "" => {
                e.add("kind", Message::new("community.asset.kind_required"));
                None
            }
            k => {
                let p = AssetKind::parse(k);
                if p.is_none() {
                    e.add("kind", Message::new("validation.choose").arg("value", k));
                }
                p
            }
        };
        let name = if self.name.trim().is_empty() {
            e.add("name", Message::new("community.asset.name_required"));
            String::new()
        } else {
            e.required("name", &self.name, 200)
        };
        let description = e
            .optional("description", &self.description, 4_000)
            .unwrap_or_default();
        let community = id_field(
            &mut e,
            "community",
            &self.community,
            "community.asset.community_unknown",
        );
        let postcode = match self.postcode.trim() {
            "" => None,
            raw => match Postcode::parse(raw) {
                Ok(p) => Some(p.to_string()),
                Err(err) => {
                    e.add("postcode", err.message());
                    None
                }
            },
        };
        let lat = degrees(&mut e, "lat", &self.lat, 90.0);
        let lon = degrees(&mut e, "lon", &self.lon, 180.0);
        let half = |s: &str| !s.trim().is_empty();
        if half(&self.lat) != half(&self.lon) {
            let missing = if half(&self.lat) { "lon" } else { "lat" };
            e.add(missing, Message::new("community.asset.point_half"));
        }
        let placed = half(&self.postcode) || half(&self.lat) || half(&self.lon);
        match kind {
            Some(AssetKind::Skill) if placed => {
                e.add("postcode", Message::new("community.asset.skill_no_place"));
            }
            Some(k) if k.needs_place() && !placed => {
                e.add("postcode", Message::new("community.asset.place_required"));
            }
            _ => {}
        }
        let organisation = id_field(
            &mut e,
            "organisation",
            &self.organisation,
            "community.organisation_unknown",
        );
        let who_can_use = e
            .optional("who_can_use", &self.who_can_use, 1_000)
            .unwrap_or_default();
        let service = kind == Some(AssetKind::Service);
        let service_text = |e: &mut Errors, field: &str, value: &str, max: usize| {
            if !service && kind.is_some() && !value.trim().is_empty() {
                e.add(field, Message::new("community.asset.service_only"));
            }
            e.optional(field, value, max).unwrap_or_default()
        };
        let contact_email = service_text(&mut e, "contact_email", &self.contact_email, 200);
        if service && !contact_email.is_empty() {
            e.optional_email("contact_email", &contact_email);
        }
        let contact_phone = service_text(&mut e, "contact_phone", &self.contact_phone, 40);
        let url = service_text(&mut e, "url", &self.url, 500);
        if service
            && !url.is_empty()
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            e.add("url", Message::new("community.asset.url_bad"));
        }
        let eligibility = service_text(&mut e, "eligibility", &self.eligibility, 2_000);
        let schedule = service_text(&mut e, "schedule", &self.schedule, 500);
        let people = match (kind, self.people.trim()) {
            (Some(AssetKind::Skill), "") => {
                e.add("people", Message::new("community.asset.people_required"));
                None
            }
            (Some(AssetKind::Skill), raw) => match raw.replace([',', ' '], "").parse::<u32>() {
                Ok(n) if n <= MAX_PEOPLE => Some(n),
                _ => {
                    e.add(
                        "people",
                        Message::new("community.asset.people_bad")
                            .arg("value", raw)
                            .arg("max", MAX_PEOPLE),
                    );
                    None
                }
            },
            (Some(_), raw) if !raw.is_empty() => {
                e.add("people", Message::new("community.asset.people_skill_only"));
                None
            }
            _ => None,
        };
        let interaction = id_field(
            &mut e,
            "interaction",
            &self.interaction,
            "community.asset.interaction_unknown",
        );
        if interaction.is_some() && kind.is_some_and(|k| k != AssetKind::Space) {
            e.add(
                "interaction",
                Message::new("community.asset.interaction_space_only"),
            );
        }
        let started_on = e.optional_date("started_on", &self.started_on);
        let ended_on = e.optional_date("ended_on", &self.ended_on);
        if let (Some(s), Some(x)) = (started_on, ended_on)
            && x < s
        {
            e.add("ended_on", Message::new("community.asset.ended_before"));
        }
        e.finish(|| AssetDraft {
            kind: kind.unwrap_or(AssetKind::Group),
            name,
            description,
            community,
            postcode,
            lat,
            lon,
            organisation,
            who_can_use,
            contact_email,
            contact_phone,
            url,
            eligibility,
            schedule,
            people,
            interaction,
            started_on,
            ended_on,
        })
    }
}

fn text_of(x: Option<f64>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

fn id_text(x: Option<Uuid>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

impl AssetDraft {
    pub fn to_input(&self) -> AssetInput {
        AssetInput {
            kind: self.kind.slug().into(),
            name: self.name.clone(),
            description: self.description.clone(),
            community: id_text(self.community),
            postcode: self.postcode.clone().unwrap_or_default(),
            lat: text_of(self.lat),
            lon: text_of(self.lon),
            organisation: id_text(self.organisation),
            who_can_use: self.who_can_use.clone(),
            contact_email: self.contact_email.clone(),
            contact_phone: self.contact_phone.clone(),
            url: self.url.clone(),
            eligibility: self.eligibility.clone(),
            schedule: self.schedule.clone(),
            people: self.people.map(|n| n.to_string()).unwrap_or_default(),
            interaction: id_text(self.interaction),
            started_on: self
                .started_on
                .map(crate::clock::iso_date)
                .unwrap_or_default(),
            ended_on: self
                .ended_on
                .map(crate::clock::iso_date)
                .unwrap_or_default(),
        }
    }

    /// In use on `day`: begun (or no start known) and not ended before it.
    pub fn open_on(&self, day: Date) -> bool {
        self.started_on.is_none_or(|s| s <= day) && self.ended_on.is_none_or(|x| x >= day)
    }
}

/// The organisation of the register an asset names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OrganisationRef {
    pub id: Uuid,
    /// The register's identifier (`GB-CHC-1234567`).
    pub org_id: String,
    pub name: String,
}

/// The anchor's interaction that unlocked a space.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InteractionRef {
    pub id: Uuid,
    pub anchor_name: String,
    pub organisation_name: String,
    pub kind: InteractionKind,
    #[serde(with = "crate::iso_date")]
    pub started_on: Date,
    #[serde(with = "crate::iso_date::option")]
    pub ended_on: Option<Date>,
}

/// An asset as kept, with the names a reader needs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Asset {
    pub id: Uuid,
    pub draft: AssetDraft,
    pub community_name: Option<String>,
    pub organisation: Option<OrganisationRef>,
    pub interaction: Option<InteractionRef>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// Where an asset is, as the place context answers its postcode (or its
/// point alone, whose small area is then not known).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AssetPlace {
    pub area_code: Option<String>,
    pub area_name: Option<String>,
    pub local_authority_name: Option<String>,
    pub decile: Option<u8>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

/// How the asset list may be narrowed and ordered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct AssetQuery {
    /// Words in the name, description, who can use it or the organisation.
    pub q: Option<String>,
    /// A community's id, or `programme` for the assets of the whole
    /// programme (blank: every community the caller may see).
    pub community: Option<String>,
    /// One kind (`space`, `anchor_site`, …).
    pub kind: Option<String>,
    /// `micro` or `macro`.
    pub layer: Option<String>,
    /// `name` (default), `kind`, `community` or `updated`.
    pub sort: Option<String>,
    /// `asc` (default) or `desc`.
    pub dir: Option<String>,
    pub page: Option<u32>,
}

/// Which community's assets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CommunityScope {
    #[default]
    Any,
    /// The assets of no one community.
    Programme,
    One(Uuid),
}

/// A checked asset query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssetFilter {
    pub search: Option<String>,
    pub community: CommunityScope,
    /// Empty: every kind.
    pub kinds: Vec<AssetKind>,
    pub layer: Option<AssetLayer>,
    pub sort: &'static str,
    pub ascending: bool,
}

impl Default for AssetFilter {
    fn default() -> Self {
        AssetFilter {
            search: None,
            community: CommunityScope::Any,
            kinds: Vec::new(),
            layer: None,
            sort: "name",
            ascending: true,
        }
    }
}

impl AssetQuery {
    pub fn validate(&self) -> Result<AssetFilter, Invalid> {
        let mut e = Errors::new();
        let text = |o: &Option<String>| o.as_deref().map(str::trim).unwrap_or("").to_string();
        let community = match text(&self.community).as_str() {
            "" => CommunityScope::Any,
            "programme" => CommunityScope::Programme,
            v => match Uuid::parse_str(v) {
                Ok(id) => CommunityScope::One(id),
                Err(_) => {
                    e.add(
                        "community",
                        Message::new("validation.choose").arg("value", v),
                    );
                    CommunityScope::Any
                }
            },
        };
        let mut kinds = Vec::new();
        match text(&self.kind).as_str() {
            "" => {}
            v => match AssetKind::parse(v) {
                Some(k) => kinds.push(k),
                None => e.add("kind", Message::new("validation.choose").arg("value", v)),
            },
        }
        let layer = match text(&self.layer).as_str() {
            "" => None,
            v => {
                let l = AssetLayer::parse(v);
                if l.is_none() {
                    e.add("layer", Message::new("validation.choose").arg("value", v));
                }
                l
            }
        };
        let sort = match text(&self.sort).as_str() {
            "" | "name" => "name",
            "kind" => "kind",
            "community" => "community",
            "updated" => "updated",
            v => {
                e.add("sort", Message::new("validation.choose").arg("value", v));
                "name"
            }
        };
        let ascending = match text(&self.dir).as_str() {
            "" | "asc" => true,
            "desc" => false,
            v => {
                e.add("dir", Message::new("validation.choose").arg("value", v));
                true
            }
        };
        e.finish(|| AssetFilter {
            search: Some(text(&self.q)).filter(|s| !s.is_empty()),
            community,
            kinds,
            layer,
            sort,
            ascending,
        })
    }
}

impl AssetFilter {
    pub fn matches(&self, a: &Asset) -> bool {
        let d = &a.draft;
        let community = match self.community {
            CommunityScope::Any => true,
            CommunityScope::Programme => d.community.is_none(),
            CommunityScope::One(c) => d.community == Some(c),
        };
        if !community
            || (!self.kinds.is_empty() && !self.kinds.contains(&d.kind))
            || self.layer.is_some_and(|l| d.kind.layer() != l)
        {
            return false;
        }
        match &self.search {
            None => true,
            Some(q) => {
                let q = q.to_lowercase();
                let org = a.organisation.as_ref().map(|o| o.name.as_str());
                [
                    Some(d.name.as_str()),
                    Some(d.description.as_str()),
                    Some(d.who_can_use.as_str()),
                    org,
                ]
                .into_iter()
                .flatten()
                .any(|f| f.to_lowercase().contains(&q))
            }
        }
    }

    pub fn sort(&self, v: &mut [Asset]) {
        v.sort_by(|a, b| {
            let name = |x: &Asset| x.draft.name.to_lowercase();
            let o = match self.sort {
                "kind" => a.draft.kind.cmp(&b.draft.kind),
                "community" => a
                    .community_name
                    .as_deref()
                    .map(str::to_lowercase)
                    .cmp(&b.community_name.as_deref().map(str::to_lowercase)),
                "updated" => a.updated_at.cmp(&b.updated_at),
                _ => std::cmp::Ordering::Equal,
            }
            .then_with(|| name(a).cmp(&name(b)))
            .then(a.id.cmp(&b.id));
            if self.ascending { o } else { o.reverse() }
        });
    }
}

/// The columns of the asset CSV, in the order the download writes them
/// (the import reads them in any order).
pub const CSV_COLUMNS: [&str; 19] = [
    "id",
    "kind",
    "name",
    "description",
    "community_id",
    "postcode",
    "lat",
    "lon",
    "organisation_id",
    "who_can_use",
    "contact_email",
    "contact_phone",
    "url",
    "eligibility",
    "schedule",
    "people",
    "interaction_id",
    "started_on",
    "ended_on",
];

/// The CSV column a form field is read from.
pub fn csv_column(field: &str) -> &str {
    match field {
        "community" => "community_id",
        "organisation" => "organisation_id",
        "interaction" => "interaction_id",
        f => f,
    }
}

/// The assets as CSV, one a row; the import reads the same file back (a
/// row with an id changes that asset, one without adds it).
pub fn write_csv(assets: &[Asset]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_COLUMNS).expect("in memory");
    for a in assets {
        let i = a.draft.to_input();
        w.write_record([
            a.id.to_string(),
            i.kind,
            i.name,
            i.description,
            i.community,
            i.postcode,
            i.lat,
            i.lon,
            i.organisation,
            i.who_can_use,
            i.contact_email,
            i.contact_phone,
            i.url,
            i.eligibility,
            i.schedule,
            i.people,
            i.interaction,
            i.started_on,
            i.ended_on,
        ])
        .expect("in memory");
    }
    String::from_utf8(w.into_inner().expect("in memory")).expect("utf-8")
}

/// One row of an asset file, checked as the form checks it.
#[derive(Clone, Debug, PartialEq)]
pub struct AssetRow {
    /// Its line in the file.
    pub line: u64,
    pub id: Option<Uuid>,
    pub draft: AssetDraft,
}

impl AssetRow {
    /// The column of a field, for a problem the app finds later (an
    /// unknown community, a postcode not in the geography).
    pub fn column(header: &[String], field: &str) -> Option<Column> {
        let name = csv_column(field);
        header.iter().position(|h| h == name).map(|i| Column {
            number: i + 1,
            name: name.to_string(),
        })
    }
}

/// Reads an asset CSV (the download's columns, in any order): every bad
/// cell is an error at its line and column. Returns the rows, the header
/// (to place later problems) and the report.
pub fn parse_csv(file: &str, bytes: &[u8]) -> (Vec<AssetRow>, Vec<String>, Report) {
    let mut report = Report::new(file);
    let text = String::from_utf8_lossy(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(|c| c.trim().to_string()).collect())
        .unwrap_or_default();
    let col = |name: &str| header.iter().position(|h| h == name);
    for name in CSV_COLUMNS {
        if col(name).is_none() {
            report.push(Problem::error(
                1,
                None,
                Message::new("community.asset.csv.missing_column").arg("column", name),
            ));
        }
    }
    let mut rows = Vec::new();
    if report.has_errors() {
        return (rows, header, report);
    }
    let mut seen = std::collections::BTreeMap::new();
    for (n, record) in reader.records().enumerate() {
        let line = n as u64 + 2;
        let Ok(r) = record else {
            report.push(Problem::error(
                line,
                None,
                Message::new("community.asset.csv.bad_line"),
            ));
            continue;
        };
        let cell = |name: &str| col(name).and_then(|i| r.get(i)).unwrap_or("").to_string();
        let id = match cell("id").trim() {
            "" => None,
            raw => match Uuid::parse_str(raw) {
                Ok(u) => {
                    if let Some(first) = seen.insert(u, line) {
                        report.push(Problem::error(
                            line,
                            AssetRow::column(&header, "id"),
                            Message::new("community.asset.csv.repeated_id").arg("line", first),
                        ));
                        continue;
                    }
                    Some(u)
                }
                Err(_) => {
                    report.push(Problem::error(
                        line,
                        AssetRow::column(&header, "id"),
                        Message::new("community.asset.csv.bad_id").arg("value", raw),
                    ));
                    continue;
                }
            },
        };
        let input = AssetInput {
            kind: cell("kind"),
            name: cell("name"),
            description: cell("description"),
            community: cell("community_id"),
            postcode: cell("postcode"),
            lat: cell("lat"),
            lon: cell("lon"),
            organisation: cell("organisation_id"),
            who_can_use: cell("who_can_use"),
            contact_email: cell("contact_email"),
            contact_phone: cell("contact_phone"),
            url: cell("url"),
            eligibility: cell("eligibility"),
            schedule: cell("schedule"),
            people: cell("people"),
            interaction: cell("interaction_id"),
            started_on: cell("started_on"),
            ended_on: cell("ended_on"),
        };
        match input.validate() {
            Ok(draft) => rows.push(AssetRow { line, id, draft }),
            Err(invalid) => {
                for f in invalid.0 {
                    report.push(Problem::error(
                        line,
                        AssetRow::column(&header, &f.field),
                        f.message,
                    ));
                }
            }
        }
    }
    (rows, header, report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service() -> AssetInput {
        AssetInput {
            kind: "service".into(),
            name: "Shard End advice drop-in".into(),
            description: "Benefits and debt advice".into(),
            postcode: "b34 7ap".into(),
            contact_email: "advice@example.org".into(),
            contact_phone: "0121 000 0000".into(),
            url: "https://example.org/advice".into(),
            eligibility: "Anyone living in Shard End".into(),
            schedule: "Tuesdays 10am to 1pm".into(),
            started_on: "01/04/2024".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_service_keeps_its_hsds_fields_and_its_postcode_printed() {
        let d = service().validate().unwrap();
        assert_eq!(d.kind, AssetKind::Service);
        assert_eq!(d.kind.layer(), AssetLayer::Micro);
        assert_eq!(d.postcode.as_deref(), Some("B34 7AP"));
        assert_eq!(d.schedule, "Tuesdays 10am to 1pm");
        assert_eq!(d.to_input().validate().unwrap(), d);
    }

    #[test]
    fn every_bad_field_is_named() {
        let err = AssetInput {
            kind: "spaceship".into(),
            community: "hodge hill".into(),
            postcode: "B3".into(),
            lat: "95".into(),
            organisation: "acme".into(),
            started_on: "2026-02-30".into(),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "kind",
                "name",
                "community",
                "postcode",
                "lat",
                "lon",
                "organisation",
                "started_on"
            ]
        );
    }

    #[test]
    fn each_kind_keeps_to_its_own_fields() {
        // A group with a service's contact, a skill's count and a space's
        // interaction: each named.
        let err = AssetInput {
            kind: "group".into(),
            name: "Residents' group".into(),
            contact_email: "a@example.org".into(),
            people: "12".into(),
            interaction: Uuid::now_v7().to_string(),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["contact_email", "people", "interaction"]);

        // A skill is a count without a place; a space and a macro asset
        // need a place.
        let skill = AssetInput {
            kind: "skill".into(),
            name: "Bookkeeping".into(),
            postcode: "B34 7AP".into(),
            ..Default::default()
        };
        let fields: Vec<_> = skill
            .validate()
            .unwrap_err()
            .0
            .into_iter()
            .map(|f| f.field)
            .collect();
        assert_eq!(fields, ["postcode", "people"]);
        let ok = AssetInput {
            postcode: String::new(),
            people: "1,204".into(),
            ..skill
        }
        .validate()
        .unwrap();
        assert_eq!(ok.people, Some(1204));
        for kind in ["space", "anchor_site", "estate", "development"] {
            let e = AssetInput {
                kind: kind.into(),
                name: "Somewhere".into(),
                ..Default::default()
            }
            .validate()
            .unwrap_err();
            assert_eq!(e.0[0].field, "postcode", "{kind}");
        }
        let point = AssetInput {
            kind: "development".into(),
            name: "Homes on the old depot".into(),
            lat: "52.49".into(),
            lon: "-1.80".into(),
            ended_on: "2020-01-01".into(),
            started_on: "2021-01-01".into(),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(point.0.len(), 1);
        assert_eq!(point.0[0].field, "ended_on");
    }

    #[test]
    fn the_download_reads_back_and_bad_cells_are_placed() {
        let d = service().validate().unwrap();
        let a = Asset {
            id: Uuid::now_v7(),
            draft: d.clone(),
            community_name: None,
            organisation: None,
            interaction: None,
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: OffsetDateTime::UNIX_EPOCH,
        };
        let file = write_csv(std::slice::from_ref(&a));
        let (rows, _, report) = parse_csv("assets.csv", file.as_bytes());
        assert!(!report.has_errors(), "{report:?}");
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (rows[0].id, &rows[0].draft, rows[0].line),
            (Some(a.id), &d, 2)
        );

        let bad = format!(
            "{}\n,skill,Welding,,,,,,,,,,,,,lots,,,\n{},group,,,,,,,,,,,,,,,,,\n",
            CSV_COLUMNS.join(","),
            a.id
        );
        let (rows, _, report) = parse_csv("assets.csv", bad.as_bytes());
        assert!(rows.is_empty());
        let got: Vec<_> = report
            .errors()
            .map(|p| (p.line, p.column.as_ref().map(|c| c.number)))
            .collect();
        assert_eq!(got, [(2, Some(16)), (3, Some(3))]);

        let (_, _, report) = parse_csv("assets.csv", b"id,name\n");
        assert!(report.has_errors());
    }

    #[test]
    fn the_filter_narrows_by_community_kind_layer_and_words() {
        let c = Uuid::now_v7();
        let mk = |name: &str, kind: AssetKind, community: Option<Uuid>| Asset {
            id: Uuid::now_v7(),
            draft: AssetDraft {
                kind,
                community,
                name: name.into(),
                ..service().validate().unwrap()
            },
            community_name: community.map(|_| "Shard End".into()),
            organisation: None,
            interaction: None,
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: OffsetDateTime::UNIX_EPOCH,
        };
        let all = [
            mk("Hub", AssetKind::Space, Some(c)),
            mk("Hospital", AssetKind::AnchorSite, None),
            mk("Advice", AssetKind::Service, Some(c)),
        ];
        let names = |q: AssetQuery| {
            let f = q.validate().unwrap();
            let mut v: Vec<Asset> = all.iter().filter(|a| f.matches(a)).cloned().collect();
            f.sort(&mut v);
            v.into_iter().map(|a| a.draft.name).collect::<Vec<_>>()
        };
        assert_eq!(names(AssetQuery::default()), ["Advice", "Hospital", "Hub"]);
        assert_eq!(
            names(AssetQuery {
                layer: Some("macro".into()),
                ..Default::default()
            }),
            ["Hospital"]
        );
        assert_eq!(
            names(AssetQuery {
                community: Some(c.to_string()),
                dir: Some("desc".into()),
                ..Default::default()
            }),
            ["Hub", "Advice"]
        );
        assert_eq!(
            names(AssetQuery {
                community: Some("programme".into()),
                ..Default::default()
            }),
            ["Hospital"]
        );
        assert_eq!(
            names(AssetQuery {
                q: Some("HUB".into()),
                ..Default::default()
            }),
            ["Hub"]
        );
        let e = AssetQuery {
            kind: Some("castle".into()),
            sort: Some("size".into()),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["kind", "sort"]);
    }
}
