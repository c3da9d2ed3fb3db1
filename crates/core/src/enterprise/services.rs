//! The services social enterprises offer, in the users' words, each tied to
//! the CPV codes anchors publish their tenders under. One list for every
//! programme: a lot imported with only a CPV code finds its services here,
//! and a profile's services are chosen from it, so the two always speak the
//! same words.

use super::offer::{Service, Taxonomy};

/// (code, catalogue key of its name, CPV codes).
const SERVICES: &[(&str, &str, &[&str])] = &[
    ("cleaning", "enterprise.service.cleaning", &["90910000"]),
    (
        "catering",
        "enterprise.service.catering",
        &["55300000", "55500000"],
    ),
    (
        "grounds",
        "enterprise.service.grounds",
        &["77310000", "77300000"],
    ),
    ("laundry", "enterprise.service.laundry", &["98310000"]),
    ("security", "enterprise.service.security", &["79710000"]),
    ("printing", "enterprise.service.printing", &["79800000"]),
    (
        "furniture",
        "enterprise.service.furniture",
        &["39100000", "50850000"],
    ),
    (
        "it_recycling",
        "enterprise.service.it_recycling",
        &["90500000", "50300000"],
    ),
    (
        "transport",
        "enterprise.service.transport",
        &["60100000", "60130000"],
    ),
    (
        "building_maintenance",
        "enterprise.service.building_maintenance",
        &["50700000", "45450000"],
    ),
    (
        "home_care",
        "enterprise.service.home_care",
        &["85310000", "85312000"],
    ),
    (
        "community_health",
        "enterprise.service.community_health",
        &["85320000", "85140000"],
    ),
    (
        "training",
        "enterprise.service.training",
        &["80500000", "80530000"],
    ),
    (
        "employment_support",
        "enterprise.service.employment_support",
        &["79600000", "85312320"],
    ),
    ("events", "enterprise.service.events", &["79950000"]),
    (
        "translation",
        "enterprise.service.translation",
        &["79530000", "79540000"],
    ),
];

/// The taxonomy, its names in the catalogue's words.
pub fn taxonomy() -> Taxonomy {
    Taxonomy {
        services: SERVICES
            .iter()
            .map(|(code, key, cpv)| Service {
                code: (*code).to_string(),
                name: crate::i18n::t(key).to_string(),
                cpv: cpv.iter().map(|c| (*c).to_string()).collect(),
            })
            .collect(),
    }
}

/// Is this a service code of the taxonomy.
pub fn known(code: &str) -> bool {
    SERVICES.iter().any(|(c, _, _)| *c == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_service_is_named_and_found_by_its_cpv_codes() {
        let tx = taxonomy();
        for s in &tx.services {
            assert!(!s.name.starts_with("enterprise."), "{} has no name", s.code);
            for c in &s.cpv {
                assert!(
                    tx.for_cpv(c).iter().any(|f| f.code == s.code),
                    "{c} does not find {}",
                    s.code
                );
            }
        }
        assert_eq!(tx.for_cpv("90911200-8")[0].code, "cleaning");
        assert!(known("catering") && !known("rockets"));
    }
}
