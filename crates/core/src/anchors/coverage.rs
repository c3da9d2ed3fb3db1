//! How much of the money a local or deciles figure could judge, and what
//! would let it judge more. A new programme's suppliers have no addresses
//! yet: its local shares are not 0%, they are not known, and the page, the
//! API, the CLI and the downloads say so (issue 15.1).

use serde::Serialize;

use super::measures::{Band, Geography, Measures};
use super::placing::PlacingSetup;
use crate::figures::percent;
use crate::money::Pence;

/// Why a figure could judge none (or only part) of the money: each is one
/// step a person can take.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Gap {
    /// There is no spend in scope to judge.
    NoSpend,
    /// No area of benefit is saved.
    AreaOfBenefit,
    /// No anchor names its local authority.
    LocalAuthority,
    /// The spend settings name no city region.
    CityRegion,
    /// No anchor site has a postcode the loaded postcodes know.
    Sites,
    /// The loaded areas carry no deprivation deciles.
    Deciles,
    /// Suppliers have no address the loaded postcodes know: match them to
    /// the organisation register, or give their postcodes.
    SupplierAddresses,
}

impl Gap {
    pub fn slug(self) -> &'static str {
        match self {
            Gap::NoSpend => "no_spend",
            Gap::AreaOfBenefit => "area_of_benefit",
            Gap::LocalAuthority => "local_authority",
            Gap::CityRegion => "city_region",
            Gap::Sites => "sites",
            Gap::Deciles => "deciles",
            Gap::SupplierAddresses => "supplier_addresses",
        }
    }

    /// The catalogue key of the sentence saying what to do.
    pub fn message_key(self) -> &'static str {
        match self {
            Gap::NoSpend => "anchors.coverage.gap.no_spend",
            Gap::AreaOfBenefit => "anchors.coverage.gap.area_of_benefit",
            Gap::LocalAuthority => "anchors.coverage.gap.local_authority",
            Gap::CityRegion => "anchors.coverage.gap.city_region",
            Gap::Sites => "anchors.coverage.gap.sites",
            Gap::Deciles => "anchors.coverage.gap.deciles",
            Gap::SupplierAddresses => "anchors.coverage.gap.supplier_addresses",
        }
    }
}

/// A share of `of` (a band, when suppliers' places disagree), with the part
/// of `of` whose suppliers could be judged at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Judged {
    pub band: Band,
    pub of: Pence,
    pub judged: Pence,
    /// What keeps the figure from judging all of the money, if anything.
    pub gap: Option<Gap>,
}

impl Judged {
    /// A share is known when some money could be judged.
    pub fn known(&self) -> bool {
        self.of != 0 && self.judged != 0
    }

    /// `8.2%` or `8.2–38.8%`, by the one rounding rule; `None` when not known.
    pub fn share(&self) -> Option<String> {
        if !self.known() {
            return None;
        }
        let lo = percent(self.band.low, self.of)?;
        let hi = percent(self.band.high, self.of)?;
        Some(if lo == hi {
            lo
        } else {
            format!("{}–{hi}", lo.trim_end_matches('%'))
        })
    }

    /// How much of the money could be judged: `12.0%`; `None` when there is
    /// no money.
    pub fn coverage(&self) -> Option<String> {
        percent(self.judged, self.of)
    }

    /// Basis points of the money judged (for the API), `None` with no money.
    pub fn coverage_bp(&self) -> Option<i64> {
        (self.of != 0).then(|| super::measures::share_bp(self.judged, self.of))
    }
}

/// Why a geography could not judge everything.
fn gap(setup: &PlacingSetup, g: Geography, of: Pence, judged: Pence) -> Option<Gap> {
    if of == 0 {
        return Some(Gap::NoSpend);
    }
    let missing = match g {
        Geography::AreaOfBenefit => !setup.area_of_benefit,
        Geography::LocalAuthority => !setup.local_authority,
        Geography::CityRegion => !setup.city_region,
        Geography::NearSite => !setup.sites,
    };
    if missing {
        return Some(match g {
            Geography::AreaOfBenefit => Gap::AreaOfBenefit,
            Geography::LocalAuthority => Gap::LocalAuthority,
            Geography::CityRegion => Gap::CityRegion,
            Geography::NearSite => Gap::Sites,
        });
    }
    (judged != of).then_some(Gap::SupplierAddresses)
}

/// Any band in `g` over `of`, with the money judged.
pub fn judged_in(
    setup: &PlacingSetup,
    g: Geography,
    band: Band,
    of: Pence,
    judged: Pence,
) -> Judged {
    Judged {
        band,
        of,
        judged,
        gap: gap(setup, g, of, judged),
    }
}

/// Local influenceable spend in `g`.
pub fn local(m: &Measures, setup: &PlacingSetup, g: Geography) -> Judged {
    judged_in(
        setup,
        g,
        m.local.get(&g).copied().unwrap_or_default(),
        m.influenceable,
        m.judged.get(&g).copied().unwrap_or_default(),
    )
}

/// Local spend in `g` on all spend (the Transparency Code basis).
pub fn local_all(m: &Measures, setup: &PlacingSetup, g: Geography) -> Judged {
    judged_in(
        setup,
        g,
        m.local_all.get(&g).copied().unwrap_or_default(),
        m.total,
        m.judged_all.get(&g).copied().unwrap_or_default(),
    )
}

/// Influenceable spend with suppliers in deciles 1–2.
pub fn deciles(m: &Measures, setup: &PlacingSetup) -> Judged {
    let (of, judged) = (m.influenceable, m.deciles_judged);
    let gap = if of == 0 {
        Some(Gap::NoSpend)
    } else if !setup.deciles {
        Some(Gap::Deciles)
    } else {
        (judged != of).then_some(Gap::SupplierAddresses)
    };
    Judged {
        band: m.deprived_1_2,
        of,
        judged,
        gap,
    }
}

/// LM3 rests on local spend by local authority: when that is not known,
/// neither is LM3 (a multiplier of 1.00 would read as "nothing re-spent").
pub fn lm3_known(m: &Measures, setup: &PlacingSetup) -> bool {
    local(m, setup, Geography::LocalAuthority).known()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> PlacingSetup {
        PlacingSetup {
            area_of_benefit: true,
            local_authority: true,
            city_region: true,
            sites: true,
            deciles: true,
        }
    }

    fn measures(judged: Pence) -> Measures {
        let mut m = Measures {
            lines: 3,
            total: 100_000,
            influenceable: 100_000,
            deciles_judged: judged,
            ..Default::default()
        };
        for g in Geography::ALL {
            m.local.insert(
                g,
                Band {
                    low: judged / 2,
                    high: judged / 2,
                },
            );
            m.judged.insert(g, judged);
        }
        m
    }

    #[test]
    fn nothing_placed_is_not_known_and_says_why() {
        let m = measures(0);
        let j = local(&m, &setup(), Geography::AreaOfBenefit);
        assert!(!j.known());
        assert_eq!(j.share(), None);
        assert_eq!(j.coverage().as_deref(), Some("0.0%"));
        assert_eq!(j.gap, Some(Gap::SupplierAddresses));
        assert!(!lm3_known(&m, &setup()));
        let no_aob = PlacingSetup {
            area_of_benefit: false,
            ..setup()
        };
        assert_eq!(
            local(&m, &no_aob, Geography::AreaOfBenefit).gap,
            Some(Gap::AreaOfBenefit)
        );
        let no_deciles = PlacingSetup {
            deciles: false,
            ..setup()
        };
        assert_eq!(deciles(&m, &no_deciles).gap, Some(Gap::Deciles));
    }

    #[test]
    fn part_placed_gives_the_share_and_its_coverage() {
        let m = measures(12_000);
        let j = local(&m, &setup(), Geography::LocalAuthority);
        assert!(j.known());
        assert_eq!(j.share().as_deref(), Some("6.0%"));
        assert_eq!(j.coverage().as_deref(), Some("12.0%"));
        assert_eq!(j.coverage_bp(), Some(1_200));
        assert_eq!(j.gap, Some(Gap::SupplierAddresses));
        let all = local(&measures(100_000), &setup(), Geography::NearSite);
        assert_eq!(all.gap, None);
        assert!(lm3_known(&m, &setup()));
    }

    #[test]
    fn no_spend_is_not_known() {
        let j = local(&Measures::default(), &setup(), Geography::CityRegion);
        assert!(!j.known());
        assert_eq!(j.coverage(), None);
        assert_eq!(j.gap, Some(Gap::NoSpend));
    }
}
