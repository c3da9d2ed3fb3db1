//! Organisations entered twice on the register (a supplier's organisation
//! and a directory enterprise as well as two enterprises): the pairs that
//! are likely one organisation (the same company number, the same charity
//! number, the same org-id written two ways, or names that normalise the
//! same as supplier resolution reads them, `anchors::supplier::name_key`), which of the two to keep, and
//! the profile the kept one has after a merge.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::profile::{Enterprise, LOCAL_ID_PREFIX, Profile};
use crate::anchors::supplier::name_key;

/// Why two organisations may be one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DuplicateReason {
    /// The same Companies House number (from the register or the org-id).
    CompanyNumber,
    /// The same Charity Commission number.
    CharityNumber,
    /// The same org-id once case, spaces and leading zeros are set aside.
    Identifier,
    /// Names that normalise the same ("The Smith & Sons Ltd." and
    /// "SMITH AND SONS LIMITED").
    Name,
}

impl DuplicateReason {
    pub fn slug(self) -> &'static str {
        match self {
            DuplicateReason::CompanyNumber => "company_number",
            DuplicateReason::CharityNumber => "charity_number",
            DuplicateReason::Identifier => "identifier",
            DuplicateReason::Name => "name",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            DuplicateReason::CompanyNumber => "enterprise.duplicates.reason.company_number",
            DuplicateReason::CharityNumber => "enterprise.duplicates.reason.charity_number",
            DuplicateReason::Identifier => "enterprise.duplicates.reason.identifier",
            DuplicateReason::Name => "enterprise.duplicates.reason.name",
        }
    }
}

/// Two organisations that may be one: the one suggested to keep first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DuplicatePair {
    pub keep: Uuid,
    pub other: Uuid,
    /// Every reason that holds, the strongest first.
    pub reasons: Vec<DuplicateReason>,
}

/// A pair as stored when someone says "not a duplicate": the smaller id
/// first, so the pair reads the same either way round.
pub fn pair_key(a: Uuid, b: Uuid) -> (Uuid, Uuid) {
    if a <= b { (a, b) } else { (b, a) }
}

/// An official number reduced to what identifies it: upper case, letters
/// and digits only, leading zeros dropped ("01234567" and "1234567" meet).
fn number_key(s: &str) -> Option<String> {
    let k: String = s
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let k = k.trim_start_matches('0').to_string();
    (!k.is_empty()).then_some(k)
}

/// The keys an organisation can meet another by.
fn keys(e: &Enterprise) -> Vec<(DuplicateReason, String)> {
    let mut out = Vec::new();
    let org = e.org_id.trim().to_ascii_uppercase();
    let company = e
        .company_number
        .as_deref()
        .or_else(|| org.strip_prefix("GB-COH-"));
    if let Some(k) = company.and_then(number_key) {
        out.push((DuplicateReason::CompanyNumber, k));
    }
    let charity = e
        .charity_number
        .as_deref()
        .or_else(|| org.strip_prefix("GB-CHC-"));
    if let Some(k) = charity.and_then(number_key) {
        out.push((DuplicateReason::CharityNumber, k));
    }
    if !org.starts_with(LOCAL_ID_PREFIX)
        && let Some((scheme, number)) = org.rsplit_once('-')
        && let Some(n) = number_key(number)
    {
        let scheme: String = scheme.chars().filter(|c| !c.is_whitespace()).collect();
        out.push((DuplicateReason::Identifier, format!("{scheme}-{n}")));
    }
    let name = name_key(&e.name);
    if !name.is_empty() {
        out.push((DuplicateReason::Name, name));
    }
    out
}

/// Which of two to keep: the one with an official identifier, then the one
/// with a profile, then the one with more that the register says; the
/// first by name (then id) when nothing tells them apart.
fn keep_first<'a>(a: &'a Enterprise, b: &'a Enterprise) -> (&'a Enterprise, &'a Enterprise) {
    let weight = |e: &Enterprise| {
        (
            !e.org_id.starts_with(LOCAL_ID_PREFIX),
            e.profile.is_some(),
            [
                e.company_number.is_some(),
                e.charity_number.is_some(),
                e.postcode.is_some(),
                e.register_legal_form.is_some(),
            ]
            .iter()
            .filter(|x| **x)
            .count(),
        )
    };
    let (wa, wb) = (weight(a), weight(b));
    if wa > wb || (wa == wb && (a.name.as_str(), a.id) <= (b.name.as_str(), b.id)) {
        (a, b)
    } else {
        (b, a)
    }
}

/// Every likely pair among `all`, leaving out those someone said are not
/// duplicates (`not_duplicates` holds [`pair_key`]s): the strongest reason
/// first, then by the name of the one to keep.
pub fn find_duplicates(
    all: &[Enterprise],
    not_duplicates: &HashSet<(Uuid, Uuid)>,
) -> Vec<DuplicatePair> {
    let mut groups: BTreeMap<(DuplicateReason, String), Vec<usize>> = BTreeMap::new();
    for (i, e) in all.iter().enumerate() {
        for k in keys(e) {
            groups.entry(k).or_default().push(i);
        }
    }
    let mut pairs: BTreeMap<(usize, usize), BTreeSet<DuplicateReason>> = BTreeMap::new();
    for ((reason, _), members) in &groups {
        for (n, &i) in members.iter().enumerate() {
            for &j in &members[n + 1..] {
                if all[i].id != all[j].id {
                    pairs
                        .entry((i.min(j), i.max(j)))
                        .or_default()
                        .insert(*reason);
                }
            }
        }
    }
    let mut out: Vec<(DuplicatePair, String)> = pairs
        .into_iter()
        .filter(|((i, j), _)| !not_duplicates.contains(&pair_key(all[*i].id, all[*j].id)))
        .map(|((i, j), reasons)| {
            let (keep, other) = keep_first(&all[i], &all[j]);
            (
                DuplicatePair {
                    keep: keep.id,
                    other: other.id,
                    reasons: reasons.into_iter().collect(),
                },
                keep.name.to_lowercase(),
            )
        })
        .collect();
    out.sort_by(|(a, an), (b, bn)| {
        (a.reasons[0], an, a.keep, a.other).cmp(&(b.reasons[0], bn, b.keep, b.other))
    });
    out.into_iter().map(|(p, _)| p).collect()
}

/// The kept organisation's profile after a merge: its own fields, with
/// each blank (no value, an empty list) filled from the other's. The
/// criteria are the kept one's answers, not blanks; with no profile of its
/// own it takes the other's whole.
pub fn merge_profiles(keep: Option<&Profile>, other: Option<&Profile>) -> Option<Profile> {
    let (k, o) = match (keep, other) {
        (None, None) => return None,
        (Some(k), None) => return Some(k.clone()),
        (None, Some(o)) => return Some(o.clone()),
        (Some(k), Some(o)) => (k, o),
    };
    let list = |a: &Vec<String>, b: &Vec<String>| if a.is_empty() { b.clone() } else { a.clone() };
    let mut m = k.clone();
    m.legal_form = k.legal_form.clone().or_else(|| o.legal_form.clone());
    m.services = list(&k.services, &o.services);
    m.areas = list(&k.areas, &o.areas);
    if m.accreditations.is_empty() {
        m.accreditations = o.accreditations.clone();
    }
    m.insurance.public_liability = k
        .insurance
        .public_liability
        .or(o.insurance.public_liability);
    m.insurance.employers_liability = k
        .insurance
        .employers_liability
        .or(o.insurance.employers_liability);
    m.insurance.professional_indemnity = k
        .insurance
        .professional_indemnity
        .or(o.insurance.professional_indemnity);
    m.turnover = k.turnover.or(o.turnover);
    m.staff = k.staff.or(o.staff);
    m.largest_contract = k.largest_contract.or(o.largest_contract);
    Some(m)
}

/// What moved from the merged organisation to the kept one. Rows the kept
/// one already had an equal of (a candidate for the same supplier name,
/// an income year it records itself, the same interaction, a membership
/// of the same consortium or action) are counted in `dropped`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MergeCounts {
    /// Supplier names resolved to it (their spend lines follow).
    pub suppliers: u64,
    pub supplier_candidates: u64,
    pub support: u64,
    pub income_years: u64,
    pub grants: u64,
    pub interactions: u64,
    pub stories: u64,
    pub plan_actions: u64,
    pub consortia_led: u64,
    pub memberships: u64,
    pub social_lab: u64,
    /// Community assets it offers or runs.
    pub assets: u64,
    /// Whether its profile filled blanks of the kept one's (or became it).
    pub profile: bool,
    pub dropped: u64,
}

impl MergeCounts {
    /// Everything moved beyond supplier names, support, income and grants
    /// (interactions, stories, plan links, consortia, the Social Lab,
    /// community assets): the "other links" a person is told about.
    pub fn other_links(&self) -> u64 {
        self.interactions
            + self.stories
            + self.plan_actions
            + self.consortia_led
            + self.memberships
            + self.social_lab
            + self.assets
    }
}

/// A merge done.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MergeRecord {
    pub merged_id: Uuid,
    pub merged_org_id: String,
    pub merged_name: String,
    /// The organisation it is part of now (a later merge of the kept one
    /// carries this along).
    pub kept_id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub merged_at: OffsetDateTime,
    pub merged_by: String,
}

/// What asking for a merge did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Merged {
    Merged {
        counts: MergeCounts,
    },
    /// The other had been merged into the kept one before: nothing done.
    AlreadyMerged {
        record: MergeRecord,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::anchors::measures::SupplierKind;

    fn org(n: u128, org_id: &str, name: &str) -> Enterprise {
        Enterprise {
            id: Uuid::from_u128(n),
            org_id: org_id.into(),
            name: name.into(),
            kind: SupplierKind::SocialEnterprise,
            company_number: None,
            charity_number: None,
            postcode: None,
            register_legal_form: None,
            profile: None,
        }
    }

    #[test]
    fn pairs_by_number_identifier_and_name() {
        let mut a = org(1, "GB-COH-01234567", "Green Routes CIC");
        a.company_number = Some("01234567".into());
        let b = org(2, "GB-USEIT-7", "GR Transport");
        let mut b2 = b.clone();
        b2.company_number = Some("1234567".into());
        let c = org(3, "GB-USEIT-8", "The Green Routes Ltd.");
        let d = org(4, "GB-CHC-1100001", "Kitchen Table");
        let mut e = org(5, "GB-USEIT-9", "Table Kitchen Trust");
        e.charity_number = Some("1100001".into());
        let f = org(6, "GB-USEIT-10", "Elsewhere");
        let all = vec![a.clone(), b2, c, d, e, f];
        let pairs = find_duplicates(&all, &HashSet::new());
        let got: Vec<_> = pairs
            .iter()
            .map(|p| (p.keep.as_u128(), p.other.as_u128(), p.reasons.clone()))
            .collect();
        assert!(got.contains(&(1, 2, vec![DuplicateReason::CompanyNumber])));
        assert!(got.contains(&(4, 5, vec![DuplicateReason::CharityNumber])));
        // "Green Routes CIC" and "The Green Routes Ltd." normalise the same.
        assert!(got.contains(&(1, 3, vec![DuplicateReason::Name])));
        assert_eq!(got.len(), 3, "{got:?}");
        // The strongest reason first.
        assert_eq!(got[0].2, vec![DuplicateReason::CompanyNumber]);
        // Said not to be duplicates: no longer proposed, either way round.
        let said: HashSet<_> = [pair_key(Uuid::from_u128(3), Uuid::from_u128(1))].into();
        let pairs = find_duplicates(&all, &said);
        assert_eq!(pairs.len(), 2);
        assert!(!pairs.iter().any(|p| p.other.as_u128() == 3));
    }

    #[test]
    fn identifiers_written_two_ways_meet() {
        let a = org(1, "GB-NHS-0RXK", "Sandwell Trust");
        let b = org(2, "gb-nhs-RXK", "Sandwell and West Birmingham");
        let pairs = find_duplicates(&[a, b], &HashSet::new());
        assert_eq!(pairs.len(), 1);
        assert_eq!(pairs[0].reasons, vec![DuplicateReason::Identifier]);
    }

    #[test]
    fn keeps_the_official_identifier_then_the_profile() {
        let a = org(1, "GB-USEIT-1", "Alpha Works");
        let b = org(2, "GB-COH-99", "Alpha Works Ltd");
        let p = find_duplicates(&[a.clone(), b], &HashSet::new());
        assert_eq!((p[0].keep.as_u128(), p[0].other.as_u128()), (2, 1));
        let mut c = org(3, "GB-USEIT-3", "Alpha Works");
        c.profile = Some(Profile::default());
        let p = find_duplicates(&[a, c], &HashSet::new());
        assert_eq!((p[0].keep.as_u128(), p[0].other.as_u128()), (3, 1));
    }

    #[test]
    fn merged_profile_keeps_its_own_and_fills_blanks() {
        let keep = Profile {
            social_purpose: true,
            services: vec!["catering".into()],
            turnover: Some(100),
            ..Profile::default()
        };
        let other = Profile {
            legal_form: Some("community_interest_company".into()),
            services: vec!["cleaning".into()],
            turnover: Some(999),
            staff: Some(4),
            areas: vec!["Smethwick".into()],
            reinvests_profits: true,
            ..Profile::default()
        };
        let m = merge_profiles(Some(&keep), Some(&other)).unwrap();
        assert_eq!(m.services, vec!["catering".to_string()]);
        assert_eq!(m.turnover, Some(100));
        assert_eq!(m.staff, Some(4));
        assert_eq!(m.areas, vec!["Smethwick".to_string()]);
        assert_eq!(m.legal_form.as_deref(), Some("community_interest_company"));
        assert!(m.social_purpose && !m.reinvests_profits);
        assert_eq!(merge_profiles(None, Some(&other)), Some(other.clone()));
        assert_eq!(merge_profiles(Some(&keep), None), Some(keep));
        assert_eq!(merge_profiles(None, None), None);
    }
}
