//! Supply-chain gaps: per anchor, the categories where its influenceable
//! money leaves the area and no local enterprise (a profile in the register,
//! placed in the area of benefit) offers the service. The complement of the
//! spend context's leakage list, which names categories where local
//! suppliers exist. A category is tied to a service of the taxonomy by a
//! CPV code in its name, else by the words of the service in it
//! ([`service_for_category`]); a category neither ties is "not known",
//! shown with its money rather than dropped.

use serde::Serialize;
use uuid::Uuid;

use super::offer::{EnterpriseOffer, Taxonomy};
use crate::money::Pence;

/// Words that tie an expense category to a service: (service code, words
/// any of which in the category's name, lower-cased, ties it). The first
/// service whose word appears wins, so the more specific come first.
const WORDS: &[(&str, &[&str])] = &[
    (
        "grounds",
        &["grounds", "landscap", "gardening", "horticultur"],
    ),
    ("laundry", &["laundry", "linen"]),
    (
        "cleaning",
        &["cleaning", "cleaners", "cleansing", "janitor"],
    ),
    (
        "catering",
        &["catering", "meals", "food", "provisions", "kitchen"],
    ),
    ("security", &["security", "guarding"]),
    ("printing", &["printing", "print "]),
    ("furniture", &["furniture"]),
    (
        "it_recycling",
        &[
            "it recycling",
            "it equipment disposal",
            "computer recycling",
        ],
    ),
    (
        "transport",
        &[
            "patient transport",
            "passenger transport",
            "community transport",
            "taxi",
            "minibus",
        ],
    ),
    (
        "building_maintenance",
        &[
            "building works",
            "building maintenance",
            "building repairs",
            "repairs and maintenance",
        ],
    ),
    (
        "home_care",
        &["domiciliary", "home care", "homecare", "care at home"],
    ),
    (
        "community_health",
        &[
            "wellbeing",
            "well-being",
            "health promotion",
            "community health",
        ],
    ),
    (
        "employment_support",
        &["employment support", "employability"],
    ),
    ("training", &["training", "learning and development"]),
    ("events", &["events", "conference"]),
    (
        "translation",
        &["translation", "interpreting", "interpreters"],
    ),
];

/// The service an expense category buys: a CPV code in its name first (some
/// publishers put it there), else the words of [`WORDS`]. None: not known.
pub fn service_for_category(category: &str, tx: &Taxonomy) -> Option<String> {
    for word in category.split(|c: char| !c.is_ascii_digit() && c != '-') {
        let digits = word.split('-').next().unwrap_or("");
        if digits.len() == 8
            && let Some(s) = tx.for_cpv(digits).first()
        {
            return Some(s.code.clone());
        }
    }
    let lower = format!("{} ", category.to_lowercase());
    WORDS
        .iter()
        .find(|(code, words)| tx.get(code).is_some() && words.iter().any(|w| lower.contains(w)))
        .map(|(code, _)| (*code).to_string())
}

/// One category of an anchor's spend, as the measures give it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategorySpend {
    pub category: String,
    pub influenceable: Pence,
    /// Influenceable money to suppliers local by no known place (which
    /// includes the money whose supplier could not be placed).
    pub leaving: Pence,
    /// Influenceable money whose supplier could be placed in the area of
    /// benefit or out of it.
    pub judged: Pence,
}

impl CategorySpend {
    /// Money whose supplier could not be placed: where it goes is not known.
    pub fn not_placed(&self) -> Pence {
        (self.influenceable - self.judged).max(0)
    }

    /// Money known to leave: to suppliers placed, and placed outside.
    pub fn known_leaving(&self) -> Pence {
        (self.leaving - self.not_placed()).max(0)
    }
}

/// A category whose money leaves, with what the register says about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GapRow {
    pub category: String,
    pub leaving: Pence,
    /// The service it buys; None: not known.
    pub service: Option<String>,
    /// Local enterprises offering that service (empty for a gap).
    pub local_enterprises: Vec<Uuid>,
}

/// An anchor's categories where money leaves, sorted by money.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Gaps {
    /// The service is known and no local enterprise offers it.
    pub gaps: Vec<GapRow>,
    /// The service is known and local enterprises offer it: the
    /// enterprise side of the leakage list.
    pub covered: Vec<GapRow>,
    /// The category cannot be tied to a service.
    pub not_known: Vec<GapRow>,
    /// Money known to leave (its supplier placed outside the area).
    pub leaving: Pence,
    pub gap_money: Pence,
    pub not_known_money: Pence,
    /// Influenceable money whose supplier could not be placed: whether it
    /// leaves is not known, so it is in no row.
    pub not_placed: Pence,
}

/// Sorts an anchor's leaving money into gaps, covered and not known.
/// `offers` are the programme's enterprises; only those placed in the area
/// of benefit count as local.
pub fn gaps(categories: &[CategorySpend], offers: &[EnterpriseOffer], tx: &Taxonomy) -> Gaps {
    let mut g = Gaps::default();
    for c in categories {
        g.not_placed += c.not_placed();
        let leaving = c.known_leaving();
        if leaving <= 0 {
            continue;
        }
        g.leaving += leaving;
        let service = service_for_category(&c.category, tx);
        let local_enterprises: Vec<Uuid> = match &service {
            Some(s) => offers
                .iter()
                .filter(|o| o.in_area_of_benefit && o.offers(s))
                .map(|o| o.id)
                .collect(),
            None => Vec::new(),
        };
        let row = GapRow {
            category: c.category.clone(),
            leaving,
            service: service.clone(),
            local_enterprises,
        };
        match (&service, row.local_enterprises.is_empty()) {
            (None, _) => {
                g.not_known_money += leaving;
                g.not_known.push(row);
            }
            (Some(_), true) => {
                g.gap_money += leaving;
                g.gaps.push(row);
            }
            (Some(_), false) => g.covered.push(row),
        }
    }
    for list in [&mut g.gaps, &mut g.covered, &mut g.not_known] {
        list.sort_by(|a, b| b.leaving.cmp(&a.leaving).then(a.category.cmp(&b.category)));
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enterprise::offer::InsuranceCover;
    use crate::enterprise::services::taxonomy;

    fn offer(n: u128, services: &[&str], local: bool) -> EnterpriseOffer {
        EnterpriseOffer {
            id: Uuid::from_u128(n),
            name: format!("E{n}"),
            services: services.iter().map(|s| s.to_string()).collect(),
            accreditations: vec![],
            insurance: InsuranceCover::default(),
            turnover: None,
            staff: None,
            largest_contract: None,
            areas: vec![],
            decile: None,
            in_area_of_benefit: local,
        }
    }

    #[test]
    fn categories_tie_to_services_by_cpv_then_words() {
        let tx = taxonomy();
        let s = |c: &str| service_for_category(c, &tx);
        assert_eq!(s("Cleaning").as_deref(), Some("cleaning"));
        assert_eq!(s("Grounds maintenance").as_deref(), Some("grounds"));
        assert_eq!(s("Patient Transport").as_deref(), Some("transport"));
        assert_eq!(s("Printing and Stationery").as_deref(), Some("printing"));
        assert_eq!(s("Building Works").as_deref(), Some("building_maintenance"));
        assert_eq!(
            s("90911200-8 Building-cleaning").as_deref(),
            Some("cleaning")
        );
        assert_eq!(s("Services 79710000").as_deref(), Some("security"));
        for unknown in ["Agency Nursing", "Computer Software", "Waste Disposal", ""] {
            assert_eq!(s(unknown), None, "{unknown}");
        }
    }

    #[test]
    fn gaps_are_the_complement_of_local_supply_and_not_known_keeps_its_money() {
        let tx = taxonomy();
        let c = |category: &str, influenceable, leaving, judged| CategorySpend {
            category: category.into(),
            influenceable,
            leaving,
            judged,
        };
        let cats = vec![
            c("Cleaning", 500, 300, 500),
            c("Security", 900, 900, 900),
            // 10 of the 50 could not be placed: 40 leaves, 10 not known.
            c("Laundry", 50, 50, 40),
            c("Agency Nursing", 700, 650, 700),
            c("Catering", 100, 0, 100),
            // Nothing placed: nothing known to leave.
            c("Grounds", 80, 80, 0),
        ];
        let offers = vec![
            offer(1, &["cleaning"], true),
            // Offers security but is not local: still a gap.
            offer(2, &["security"], false),
        ];
        let g = gaps(&cats, &offers, &tx);
        assert_eq!(
            g.gaps
                .iter()
                .map(|r| (r.category.as_str(), r.leaving))
                .collect::<Vec<_>>(),
            [("Security", 900), ("Laundry", 40)]
        );
        assert_eq!(g.covered.len(), 1);
        assert_eq!(g.covered[0].local_enterprises, [Uuid::from_u128(1)]);
        assert_eq!(g.not_known[0].category, "Agency Nursing");
        assert_eq!(
            (g.leaving, g.gap_money, g.not_known_money, g.not_placed),
            (1_890, 940, 650, 90)
        );
    }
}
