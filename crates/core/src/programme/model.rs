//! A programme's *model*: what another city needs to start the same
//! programme from files alone — the spend rules and LM3 assumptions, the
//! column mappings its anchors' files needed, the talent settings, the
//! indicators and targets, the catalogues it records against, the shape of
//! its area of benefit (deciles, distance from a site) and its disclosure
//! threshold, with the professions it relies on listed.
//!
//! A model never holds personal data and never holds the first city's
//! geography: no names of people, no postcodes, no area or authority codes,
//! no coordinates, no money the first city paid. Each part is kept as the
//! form a person types (`SpendSettingsInput`, `TalentSettingsInput`,
//! `TargetInput`, …), so a model is read back through the same checks a
//! person meets, each bad field named under its part (`spend/site_radius_km`,
//! `targets/researchers_paid_value`: JSON pointers into the file).

use serde::{Deserialize, Serialize};

use crate::anchors::anchor::AnchorKind;
use crate::anchors::dates::DateOrder;
use crate::anchors::measures::SupplierKind;
use crate::anchors::settings::{SpendSettings, SpendSettingsInput};
use crate::anchors::spend_file::ColumnMapping;
use crate::disclosure::{DisclosureSettings, DisclosureSettingsInput};
use crate::i18n::Message;
use crate::place::input::{RadiusInput, SelectionInput};
use crate::place::selection::AreaSelection;
use crate::programme::indicators::{Indicator, Target};
use crate::programme::report::ReportTexts;
use crate::programme::targets::{TargetInput, TargetsInput};
use crate::programme::{PartnerKind, ProgrammeLocale, ProgrammeLocaleInput};
use crate::talent::casework::{Barrier, Support, WorkOutcome};
use crate::talent::settings::{TalentSettings, TalentSettingsInput};
use crate::validation::{Errors, FieldError, Invalid};

/// What the first line of every model says it is.
pub const FORMAT: &str = "useit-programme-model";
/// The model format this build writes and reads.
pub const VERSION: u32 = 1;

/// The spend rules and LM3 assumptions, as typed. The city region (codes)
/// and the wages paid (the first city's money) are left out.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct SpendModel {
    /// One influenceable-spend rule per entry, e.g. `expense_type contains pension`.
    pub rules: Vec<String>,
    /// The distance from an anchor's site counted as near it.
    pub site_radius_km: String,
    pub supplier_respend_low: String,
    pub supplier_respend_high: String,
    pub staff_respend_low: String,
    pub staff_respend_high: String,
}

/// The columns one kind of anchor's files needed, as `field=Header` pairs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct MappingModel {
    /// `nhs_trust`, `local_authority`, `university`, …
    pub anchor_kind: String,
    /// e.g. `supplier=Supplier Name`.
    pub columns: Vec<String>,
    /// `day_first` or `month_first`; blank when the files never showed it.
    pub date_order: String,
}

/// The catalogues a programme records against, by their short names.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Taxonomies {
    pub partner_kinds: Vec<String>,
    pub anchor_kinds: Vec<String>,
    pub supplier_kinds: Vec<String>,
    pub barriers: Vec<String>,
    pub support: Vec<String>,
    pub work_outcomes: Vec<String>,
    pub enterprise_services: Vec<String>,
}

impl Taxonomies {
    /// Every catalogue as this build knows it.
    pub fn current() -> Taxonomies {
        fn slugs<T>(all: &[T], slug: impl Fn(&T) -> &'static str) -> Vec<String> {
            all.iter().map(|v| slug(v).to_string()).collect()
        }
        Taxonomies {
            partner_kinds: slugs(&PartnerKind::ALL, |k| k.slug()),
            anchor_kinds: slugs(&AnchorKind::ALL, |k| k.slug()),
            supplier_kinds: slugs(&SupplierKind::ALL, |k| k.slug()),
            barriers: slugs(Barrier::ALL, |k| k.slug()),
            support: slugs(Support::ALL, |k| k.slug()),
            work_outcomes: slugs(WorkOutcome::ALL, |k| k.slug()),
            enterprise_services: crate::enterprise::services::taxonomy()
                .services
                .iter()
                .map(|s| s.code.clone())
                .collect(),
        }
    }

    fn lists(&self) -> [(&'static str, &Vec<String>); 7] {
        [
            ("partner_kinds", &self.partner_kinds),
            ("anchor_kinds", &self.anchor_kinds),
            ("supplier_kinds", &self.supplier_kinds),
            ("barriers", &self.barriers),
            ("support", &self.support),
            ("work_outcomes", &self.work_outcomes),
            ("enterprise_services", &self.enterprise_services),
        ]
    }
}

/// The area of benefit by its shape, never by its codes: which deciles it
/// keeps, how far from a site it reaches, and which kinds of choice it was
/// made of (so the next city knows to choose its own authorities or wards).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct AreaShape {
    /// 1 = most deprived; empty keeps every decile.
    pub deciles: Vec<u8>,
    /// The distances from a site, in kilometres.
    pub radius_km: Vec<f64>,
    pub by_local_authority: bool,
    pub by_ward: bool,
    pub by_list: bool,
}

impl AreaShape {
    pub fn of(s: &AreaSelection) -> AreaShape {
        AreaShape {
            deciles: s.deciles.clone(),
            radius_km: s.radii.iter().map(|r| r.km).collect(),
            by_local_authority: !s.local_authorities.is_empty(),
            by_ward: !s.wards.is_empty(),
            by_list: !s.areas.is_empty(),
        }
    }

    /// The shape laid on a new city's geography: its own index, its own
    /// authorities (wards and lists do not travel: the new city chooses
    /// them on its own map), each site at the model's first distance.
    pub fn on(&self, geography: &Geography) -> SelectionInput {
        let km = self.radius_km.first().copied();
        SelectionInput {
            index: geography.index.trim().to_string(),
            local_authorities: geography.local_authorities.clone(),
            radii: match km {
                Some(km) => geography
                    .sites
                    .iter()
                    .map(|s| RadiusInput {
                        km: km.to_string(),
                        ..s.clone()
                    })
                    .collect(),
                None => Vec::new(),
            },
            deciles: self.deciles.clone(),
            note: geography.note.clone(),
            ..Default::default()
        }
    }
}

/// The new city's own geography, to lay the model's area shape on.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Geography {
    /// The deprivation index loaded for the new city, e.g. `simd2020`.
    /// Blank: the programme starts without an area of benefit.
    pub index: String,
    /// The new city's local authority codes, e.g. `S12000049`.
    pub local_authorities: Vec<String>,
    /// Its sites, by postcode or position (their distance is the model's).
    pub sites: Vec<RadiusInput>,
    /// Why, kept with the first version of the area of benefit.
    pub note: String,
}

impl Geography {
    pub fn is_given(&self) -> bool {
        !self.index.trim().is_empty()
    }
}

/// A programme's model, as written to and read from a file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ProgrammeModel {
    /// Always `useit-programme-model`.
    pub format: String,
    pub version: u32,
    /// The programme's name it was exported from.
    pub modelled_on: String,
    /// The day it was exported (YYYY-MM-DD).
    pub exported_on: String,
    /// The currency its money is shown in (`GBP`, `EUR`); blank in a model
    /// written before it was carried, read as `GBP`.
    pub currency: String,
    /// The language of its pages (`en`, `fr`); blank read as `en`.
    pub language: String,
    pub spend: SpendModel,
    pub column_mappings: Vec<MappingModel>,
    pub talent: TalentSettingsInput,
    pub disclosure: DisclosureSettingsInput,
    /// Every indicator the programme is measured by.
    pub indicators: Vec<String>,
    pub targets: Vec<TargetInput>,
    pub taxonomies: Taxonomies,
    pub area_of_benefit: AreaShape,
    /// The professions its people's pathways follow, by code.
    pub professions: Vec<String>,
    /// The funder report's texts as the first city wrote them for
    /// publication (its challenge, its solution, what worked and what did
    /// not): the next city reads them beside its own report's form, as a
    /// template; they are never copied into its report.
    pub report: ReportTexts,
}

/// What a programme holds that its model is made from.
#[derive(Clone, Debug)]
pub struct ModelSource {
    pub name: String,
    pub exported_on: time::Date,
    pub locale: ProgrammeLocale,
    pub spend: SpendSettings,
    /// Each anchor's kind, mapping and date order.
    pub anchors: Vec<(AnchorKind, ColumnMapping, Option<DateOrder>)>,
    pub talent: TalentSettings,
    pub disclosure: DisclosureSettings,
    pub targets: Vec<Target>,
    pub area_of_benefit: Option<AreaSelection>,
    pub professions: Vec<String>,
    pub report: ReportTexts,
}

/// A model read and checked: what a new programme starts with.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedModel {
    pub modelled_on: String,
    /// The currency and language the new programme starts with.
    pub locale: ProgrammeLocale,
    pub spend: SpendSettings,
    pub mappings: Vec<(AnchorKind, ColumnMapping, Option<DateOrder>)>,
    pub talent: TalentSettings,
    pub disclosure: DisclosureSettings,
    pub targets: Vec<Target>,
    pub area_of_benefit: AreaShape,
    pub professions: Vec<String>,
}

impl ProgrammeModel {
    /// The model of a programme: only its rules, settings and shapes.
    pub fn of(src: &ModelSource) -> ProgrammeModel {
        let typed = SpendSettingsInput::of(&src.spend);
        let mut mappings: Vec<MappingModel> = Vec::new();
        for (kind, mapping, order) in &src.anchors {
            if mapping.0.is_empty() {
                continue;
            }
            let m = MappingModel {
                anchor_kind: kind.slug().into(),
                columns: mapping
                    .0
                    .iter()
                    .map(|(f, h)| format!("{}={h}", f.slug()))
                    .collect(),
                date_order: order.map(|o| o.slug().to_string()).unwrap_or_default(),
            };
            if !mappings.contains(&m) {
                mappings.push(m);
            }
        }
        ProgrammeModel {
            format: FORMAT.into(),
            version: VERSION,
            modelled_on: src.name.clone(),
            exported_on: crate::clock::iso_date(src.exported_on),
            currency: src.locale.currency.code().into(),
            language: src.locale.language.code().into(),
            spend: SpendModel {
                rules: src.spend.rules.iter().map(|r| r.describe()).collect(),
                site_radius_km: typed.site_radius_km,
                supplier_respend_low: typed.supplier_respend_low,
                supplier_respend_high: typed.supplier_respend_high,
                staff_respend_low: typed.staff_respend_low,
                staff_respend_high: typed.staff_respend_high,
            },
            column_mappings: mappings,
            talent: TalentSettingsInput::of(&src.talent),
            disclosure: DisclosureSettingsInput {
                k: src.disclosure.k().to_string(),
            },
            indicators: Indicator::ALL.iter().map(|i| i.slug().into()).collect(),
            targets: src.targets.iter().map(TargetInput::of).collect(),
            taxonomies: Taxonomies::current(),
            area_of_benefit: src
                .area_of_benefit
                .as_ref()
                .map(AreaShape::of)
                .unwrap_or_default(),
            professions: src.professions.clone(),
            report: src.report.clone(),
        }
    }

    /// The columns the first city's files of this kind of anchor needed,
    /// for a new anchor of the same kind that names none of its own.
    pub fn mapping_for(&self, kind: AnchorKind) -> Option<ColumnMapping> {
        self.column_mappings
            .iter()
            .find(|m| m.anchor_kind == kind.slug())
            .and_then(|m| ColumnMapping::parse(&m.columns).ok())
            .filter(|m| !m.0.is_empty())
    }

    /// The model as a file, pretty-printed so a person can read and edit it.
    pub fn to_file(&self) -> String {
        serde_json::to_string_pretty(self).expect("a model serialises") + "\n"
    }

    /// Reads a model file: JSON as `to_file` writes it. A file that is not one
    /// is refused naming where it went wrong.
    pub fn parse(bytes: &[u8]) -> Result<ProgrammeModel, Invalid> {
        serde_json::from_slice::<ProgrammeModel>(bytes).map_err(|e| {
            Invalid::one(
                "file",
                Message::new("programme.model.unreadable")
                    .arg("line", e.line())
                    .arg("column", e.column())
                    .arg("reason", e.to_string()),
            )
        })
    }

    /// Checks every part through the rules a person meets, naming each bad
    /// field under its part; `professions` are the codes this deployment
    /// knows.
    pub fn validate(&self, professions: &[String]) -> Result<CheckedModel, Invalid> {
        let mut e = Errors::new();
        if self.format != FORMAT {
            e.add("format", Message::new("programme.model.format"));
        }
        if self.version != VERSION {
            e.add(
                "version",
                Message::new("programme.model.version").arg("version", VERSION),
            );
        }
        let modelled_on = e.optional("modelled_on", &self.modelled_on, 120);
        let or = |s: &str, default: &str| {
            if s.trim().is_empty() {
                default.to_string()
            } else {
                s.to_string()
            }
        };
        let locale = ProgrammeLocaleInput {
            currency: or(&self.currency, "GBP"),
            language: or(&self.language, "en"),
        }
        .validate();
        let locale = take(&mut e, "", locale).unwrap_or_default();
        let spend = SpendSettingsInput {
            rules: self.spend.rules.join("\n"),
            city_region: String::new(),
            site_radius_km: self.spend.site_radius_km.clone(),
            supplier_respend_low: self.spend.supplier_respend_low.clone(),
            supplier_respend_high: self.spend.supplier_respend_high.clone(),
            staff_respend_low: self.spend.staff_respend_low.clone(),
            staff_respend_high: self.spend.staff_respend_high.clone(),
            local_wages: String::new(),
            all_wages: String::new(),
        }
        .validate();
        let spend = take(&mut e, "spend", spend);
        let mut mappings = Vec::new();
        for (i, m) in self.column_mappings.iter().enumerate() {
            let at = |f: &str| format!("column_mappings/{i}/{f}");
            let kind = AnchorKind::parse(m.anchor_kind.trim());
            if kind.is_none() {
                e.add(
                    &at("anchor_kind"),
                    Message::new("programme.model.unknown").arg("value", m.anchor_kind.trim()),
                );
            }
            let mapping = ColumnMapping::parse(&m.columns);
            if let Err(msg) = &mapping {
                e.add(&at("columns"), msg.clone());
            }
            let order = match m.date_order.trim() {
                "" => Some(None),
                "day_first" => Some(Some(DateOrder::DayFirst)),
                "month_first" => Some(Some(DateOrder::MonthFirst)),
                other => {
                    e.add(
                        &at("date_order"),
                        Message::new("programme.model.unknown").arg("value", other),
                    );
                    None
                }
            };
            if let (Some(k), Ok(map), Some(o)) = (kind, mapping, order) {
                mappings.push((k, map, o));
            }
        }
        let talent = take(&mut e, "talent", self.talent.validate());
        let disclosure = take(&mut e, "disclosure", self.disclosure.validate());
        for (i, slug) in self.indicators.iter().enumerate() {
            if Indicator::parse(slug.trim()).is_none() {
                e.add(
                    &format!("indicators/{i}"),
                    Message::new("programme.model.unknown").arg("value", slug.trim()),
                );
            }
        }
        let targets = TargetsInput {
            targets: self.targets.clone(),
        }
        .validate();
        let targets = take(&mut e, "targets", targets);
        let known = Taxonomies::current();
        for ((name, theirs), (_, ours)) in self.taxonomies.lists().iter().zip(known.lists()) {
            for (i, v) in theirs.iter().enumerate() {
                if !ours.contains(v) {
                    e.add(
                        &format!("taxonomies/{name}/{i}"),
                        Message::new("programme.model.unknown").arg("value", v),
                    );
                }
            }
        }
        let shape = &self.area_of_benefit;
        for (i, d) in shape.deciles.iter().enumerate() {
            if !(1..=10).contains(d) {
                e.add(
                    &format!("area_of_benefit/deciles/{i}"),
                    Message::new("programme.model.decile"),
                );
            }
        }
        for (i, km) in shape.radius_km.iter().enumerate() {
            if !(km.is_finite() && *km > 0.0 && *km <= crate::place::selection::MAX_RADIUS_KM) {
                e.add(
                    &format!("area_of_benefit/radius_km/{i}"),
                    Message::new("programme.model.radius"),
                );
            }
        }
        for (i, p) in self.professions.iter().enumerate() {
            if !professions.contains(p) {
                e.add(
                    &format!("professions/{i}"),
                    Message::new("programme.model.unknown_profession").arg("code", p),
                );
            }
        }
        take(&mut e, "report", self.report.validate());
        let spend = spend.unwrap_or_default();
        let talent = talent.unwrap_or_default();
        let disclosure = disclosure.unwrap_or_default();
        let targets = targets.unwrap_or_default();
        e.finish(|| CheckedModel {
            modelled_on: modelled_on.unwrap_or_default(),
            locale,
            spend,
            mappings,
            talent,
            disclosure,
            targets,
            area_of_benefit: shape.clone(),
            professions: self.professions.clone(),
        })
    }
}

/// A part's own check, its fields named under the part.
fn take<T>(e: &mut Errors, part: &str, r: Result<T, Invalid>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(Invalid(errs)) => {
            for FieldError { field, message } in errs {
                let at = if part.is_empty() {
                    field
                } else {
                    format!("{part}/{field}")
                };
                e.add(&at, message);
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::anchors::spend_file::SpendField;
    use crate::place::selection::Radius;
    use time::macros::date;

    fn source() -> ModelSource {
        ModelSource {
            name: "West Birmingham".into(),
            exported_on: date!(2026 - 12 - 07),
            locale: ProgrammeLocale {
                currency: crate::money::Currency::Eur,
                language: crate::i18n::Language::Fr,
            },
            spend: SpendSettings {
                city_region: vec!["E08000025".into()],
                lm3: crate::anchors::measures::Lm3Inputs {
                    local_wages: 12_345_600,
                    all_wages: 99_999_900,
                    ..Default::default()
                },
                ..Default::default()
            },
            anchors: vec![(
                AnchorKind::NhsTrust,
                ColumnMapping(vec![(SpendField::Supplier, "Vendor".into())]),
                Some(DateOrder::DayFirst),
            )],
            talent: TalentSettings::default(),
            disclosure: DisclosureSettings::default(),
            targets: Vec::new(),
            area_of_benefit: Some(AreaSelection {
                scheme: "lsoa11".into(),
                index: "imd2019".into(),
                wards: vec!["E05011168".into()],
                radii: vec![Radius {
                    label: "B66 2QT".into(),
                    lat: 52.5,
                    lon: -1.9,
                    km: 2.0,
                }],
                areas: vec!["E01009000".into()],
                deciles: vec![1, 2],
                exclude: vec!["E01009001".into()],
                ..Default::default()
            }),
            professions: vec!["nurse".into()],
            report: ReportTexts {
                challenge: "Money left the neighbourhoods.".into(),
                ..Default::default()
            },
        }
    }

    #[test]
    fn a_model_keeps_shapes_and_rules_but_no_codes_places_or_money() {
        let m = ProgrammeModel::of(&source());
        let text = serde_json::to_string(&m).unwrap();
        for gone in [
            "E08000025",
            "E05011168",
            "E01009000",
            "E01009001",
            "B66 2QT",
            "52.5",
            "imd2019",
            "lsoa11",
            "12345600",
            "123456",
        ] {
            assert!(!text.contains(gone), "{gone} is in the model: {text}");
        }
        assert_eq!(m.area_of_benefit.deciles, vec![1, 2]);
        assert_eq!(m.area_of_benefit.radius_km, vec![2.0]);
        assert!(m.area_of_benefit.by_ward && m.area_of_benefit.by_list);
        assert_eq!(m.column_mappings[0].columns, vec!["supplier=Vendor"]);
        assert_eq!(
            m.mapping_for(AnchorKind::NhsTrust),
            Some(ColumnMapping(vec![(SpendField::Supplier, "Vendor".into())]))
        );
        assert_eq!(m.mapping_for(AnchorKind::University), None);
    }

    #[test]
    fn a_model_reads_back_to_what_it_was_made_from() {
        let src = source();
        let m = ProgrammeModel::of(&src);
        let bytes = serde_json::to_vec(&m).unwrap();
        let back = ProgrammeModel::parse(&bytes).unwrap();
        let checked = back.validate(&["nurse".into()]).unwrap();
        assert_eq!(checked.spend.rules, src.spend.rules);
        assert_eq!(
            checked.spend.lm3.supplier_respend_bp,
            src.spend.lm3.supplier_respend_bp
        );
        assert!(checked.spend.city_region.is_empty());
        assert_eq!(checked.spend.lm3.local_wages, 0);
        assert_eq!(checked.mappings, src.anchors);
        assert_eq!(checked.disclosure, src.disclosure);
        assert_eq!(checked.locale, src.locale);
        assert_eq!((m.currency.as_str(), m.language.as_str()), ("EUR", "fr"));
    }

    #[test]
    fn a_model_without_a_locale_starts_in_pounds_and_english_and_a_bad_one_is_named() {
        let mut m = ProgrammeModel::of(&source());
        m.currency = String::new();
        m.language = String::new();
        let checked = m.validate(&["nurse".into()]).unwrap();
        assert_eq!(checked.locale, ProgrammeLocale::default());
        m.currency = "USD".into();
        m.language = "de".into();
        let Err(Invalid(errs)) = m.validate(&["nurse".into()]) else {
            panic!("accepted")
        };
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["currency", "language"]);
    }

    #[test]
    fn every_bad_field_is_named_under_its_part() {
        let mut m = ProgrammeModel::of(&source());
        m.format = "something".into();
        m.spend.site_radius_km = "far".into();
        m.talent.on_cost_pct = "lots".into();
        m.disclosure.k = "1".into();
        m.column_mappings[0].anchor_kind = "castle".into();
        m.area_of_benefit.deciles = vec![11];
        m.area_of_benefit.radius_km = vec![-1.0];
        m.taxonomies.barriers.push("dragons".into());
        m.professions.push("wizard".into());
        let Err(Invalid(errs)) = m.validate(&["nurse".into()]) else {
            panic!("accepted")
        };
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        for f in [
            "format",
            "spend/site_radius_km",
            "talent/on_cost_pct",
            "disclosure/k",
            "column_mappings/0/anchor_kind",
            "area_of_benefit/deciles/0",
            "area_of_benefit/radius_km/0",
            "professions/1",
        ] {
            assert!(fields.contains(&f), "{f} not named in {fields:?}");
        }
        assert!(fields.iter().any(|f| f.starts_with("taxonomies/barriers/")));
    }

    #[test]
    fn a_field_no_model_has_is_refused_where_it_stands() {
        let err = ProgrammeModel::parse(br#"{"format": "useit-programme-model", "people": []}"#)
            .unwrap_err();
        assert_eq!(err.0[0].field, "file");
    }

    #[test]
    fn the_shape_is_laid_on_the_new_city_with_its_own_sites() {
        let shape = AreaShape::of(source().area_of_benefit.as_ref().unwrap());
        let sel = shape.on(&Geography {
            index: "simd2020".into(),
            local_authorities: vec!["S12000049".into()],
            sites: vec![RadiusInput {
                postcode: "G4 0SF".into(),
                ..Default::default()
            }],
            note: "start".into(),
        });
        assert_eq!(sel.index, "simd2020");
        assert_eq!(sel.deciles, vec![1, 2]);
        assert_eq!(sel.radii[0].km, "2");
        assert!(sel.wards.is_empty() && sel.areas.is_empty());
    }
}
