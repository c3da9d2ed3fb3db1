//! Placing the ledger's suppliers for the measures: each supplier's
//! registered and trading postcodes resolved to a small area and tested
//! against the area of benefit, the anchors' local authorities, the city
//! region and the radius around the anchors' sites; and the ledger's rows
//! turned into the compact lines the measures sum.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use super::anchor::Anchor;
use super::ledger::LedgerRow;
use super::measures::{Interner, Judged, LedgerLine, Supplier, SupplierKind, SupplierPlace};
use super::resolution::SupplierFacts;
use super::settings::SpendSettings;
use super::supplier::kind_from_name;
use crate::place::geometry::{Shape, haversine_km};
use crate::place::lookup::AreaInfo;
use crate::place::postcode::Postcode;
use crate::place::{Location, PostcodeRecord};

/// The geography suppliers are placed in.
pub struct Geography<'a> {
    /// The small-area scheme of the programme's look-ups.
    pub scheme: &'a str,
    /// The areas of the area of benefit in force (none saved: nothing is in it).
    pub area_of_benefit: Option<&'a BTreeSet<String>>,
    /// Every area of the scheme with its decile and local authority.
    pub areas: &'a HashMap<String, AreaInfo>,
    /// The postcodes of suppliers and sites, by compact form.
    pub postcodes: &'a HashMap<String, PostcodeRecord>,
    /// The scheme's area boundaries, for places known by coordinates
    /// only (read only when some supplier is: none in the UK).
    pub shapes: &'a [(String, Shape)],
}

/// `B1 1AA` → `B11AA`, the key postcodes are looked up by.
pub fn compact(postcode: &str) -> Option<String> {
    Postcode::parse(postcode)
        .ok()
        .map(|p| p.compact().to_string())
}

/// Every postcode the placing needs: the suppliers' and the sites'.
pub fn wanted_postcodes(facts: &[SupplierFacts], anchors: &[Anchor]) -> Vec<String> {
    let mut wanted: BTreeSet<String> = BTreeSet::new();
    for f in facts {
        wanted.extend(f.postcode.as_deref().and_then(compact));
        wanted.extend(f.trading_postcode.as_deref().and_then(compact));
    }
    for a in anchors {
        wanted.extend(a.sites.iter().filter_map(|s| compact(&s.postcode)));
    }
    wanted.into_iter().collect()
}

/// What a programme has set up that suppliers are placed against: a
/// geography missing here cannot be judged for any supplier, so its figure
/// is "not known" and the step that fixes it is to set it up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PlacingSetup {
    /// An area of benefit is saved.
    pub area_of_benefit: bool,
    /// At least one anchor names its local authority.
    pub local_authority: bool,
    /// The spend settings list the city region's local authorities.
    pub city_region: bool,
    /// At least one anchor site's postcode is known.
    pub sites: bool,
    /// The loaded areas carry deprivation deciles.
    pub deciles: bool,
}

/// Places postcodes for the anchors in scope.
pub struct Placer<'a> {
    geo: &'a Geography<'a>,
    sites: Vec<(f64, f64)>,
    local_authorities: BTreeSet<&'a str>,
    city_region: &'a [String],
    radius_km: f64,
    setup: PlacingSetup,
}

impl<'a> Placer<'a> {
    pub fn new(geo: &'a Geography<'a>, anchors: &'a [Anchor], settings: &'a SpendSettings) -> Self {
        let sites: Vec<(f64, f64)> = anchors
            .iter()
            .flat_map(|a| a.sites.iter())
            .filter_map(|s| compact(&s.postcode).and_then(|c| geo.postcodes.get(&c)))
            .filter_map(|r| Some((r.lat?, r.lon?)))
            .collect();
        let local_authorities: BTreeSet<&str> = anchors
            .iter()
            .filter_map(|a| a.local_authority_code.as_deref())
            .collect();
        let setup = PlacingSetup {
            area_of_benefit: geo.area_of_benefit.is_some(),
            local_authority: !local_authorities.is_empty(),
            city_region: !settings.city_region.is_empty(),
            sites: !sites.is_empty(),
            deciles: geo.areas.values().any(|a| a.decile.is_some()),
        };
        Placer {
            geo,
            sites,
            local_authorities,
            city_region: &settings.city_region,
            radius_km: settings.site_radius_m as f64 / 1000.0,
            setup,
        }
    }

    /// What the programme has set up for suppliers to be placed against.
    pub fn setup(&self) -> PlacingSetup {
        self.setup
    }

    /// Where a postcode lies; a postcode not in the data is kept, unplaced.
    pub fn place(&self, postcode: Option<&str>) -> Option<SupplierPlace> {
        let raw = postcode?;
        let p = SupplierPlace {
            postcode: raw.to_string(),
            ..Default::default()
        };
        let Some(rec) = compact(raw).and_then(|c| self.geo.postcodes.get(&c)) else {
            return Some(p);
        };
        let area = rec
            .areas
            .iter()
            .find(|(s, _)| s == self.geo.scheme)
            .map(|(_, c)| c.clone());
        Some(self.judge(
            p,
            rec.lat.zip(rec.lon),
            area,
            rec.local_authority_code.clone(),
        ))
    }

    /// Where a point lies: its small area is the boundary that contains it
    /// (the first, should boundaries overlap); a point outside every loaded
    /// boundary has no area, so its area-based figures are "not known".
    pub fn place_point(&self, at: Location) -> SupplierPlace {
        let area = self
            .geo
            .shapes
            .iter()
            .find(|(_, s)| s.contains(at.lon, at.lat))
            .map(|(c, _)| c.clone());
        self.judge(SupplierPlace::default(), Some((at.lat, at.lon)), area, None)
    }

    fn judge(
        &self,
        mut p: SupplierPlace,
        at: Option<(f64, f64)>,
        area: Option<String>,
        local_authority: Option<String>,
    ) -> SupplierPlace {
        p.lat = at.map(|a| a.0);
        p.lon = at.map(|a| a.1);
        p.area_code = area;
        let info = p.area_code.as_ref().and_then(|c| self.geo.areas.get(c));
        p.decile = info.and_then(|i| i.decile);
        p.area_of_benefit = match (&p.area_code, self.geo.area_of_benefit) {
            (Some(c), Some(aob)) => aob.contains(c),
            _ => false,
        };
        let la = local_authority.or_else(|| info.and_then(|i| i.local_authority_code.clone()));
        p.local_authority = la
            .as_deref()
            .is_some_and(|l| self.local_authorities.contains(l));
        p.city_region = la
            .as_deref()
            .is_some_and(|l| self.city_region.iter().any(|c| c == l));
        p.near_site = match at {
            Some((lat, lon)) => self
                .sites
                .iter()
                .any(|(slat, slon)| haversine_km(lat, lon, *slat, *slon) <= self.radius_km),
            None => false,
        };
        let setup = self.setup;
        p.judged = Judged {
            area_of_benefit: setup.area_of_benefit && p.area_code.is_some(),
            local_authority: setup.local_authority && la.is_some(),
            city_region: setup.city_region && la.is_some(),
            near_site: setup.sites && at.is_some(),
        };
        p
    }
}

/// The ledger's rows as the measures' lines, with every supplier placed.
pub fn placed_ledger(
    rows: &[LedgerRow],
    facts: &[SupplierFacts],
    placer: &Placer<'_>,
) -> (Vec<LedgerLine>, Vec<Supplier>) {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut suppliers: Vec<Supplier> = Vec::with_capacity(facts.len());
    for f in facts {
        index.insert(f.key.clone(), suppliers.len());
        suppliers.push(Supplier {
            key: f.key.clone(),
            name: f.name.clone(),
            kind: f
                .kind
                .or_else(|| kind_from_name(&f.name))
                .unwrap_or(SupplierKind::Unknown),
            registered: placer
                .place(f.postcode.as_deref())
                .or_else(|| f.location.map(|at| placer.place_point(at))),
            trading: placer.place(f.trading_postcode.as_deref()),
            organisation: f.organisation.clone(),
        });
    }
    let mut lines = Vec::with_capacity(rows.len());
    let mut texts = Interner::default();
    for r in rows {
        let supplier = match index.get(&r.supplier_key) {
            Some(i) => *i,
            None => {
                // A line whose supplier row is missing cannot happen through
                // the import; keep it countable rather than drop money.
                index.insert(r.supplier_key.clone(), suppliers.len());
                suppliers.push(Supplier {
                    key: r.supplier_key.clone(),
                    name: r.supplier_name.clone(),
                    kind: SupplierKind::Unknown,
                    registered: None,
                    trading: None,
                    organisation: None,
                });
                suppliers.len() - 1
            }
        };
        lines.push(LedgerLine {
            id: r.id,
            anchor: texts.get(&r.anchor_slug),
            paid_on: r.paid_on,
            amount: r.amount,
            expense_type: texts.get(&r.expense_type),
            supplier,
        });
    }
    (lines, suppliers)
}
