//! The organisations an anchor can be, by name: a person adding an anchor
//! looks for "Sandwell" and picks the NHS trust or the council, and the form
//! is filled with its official code, kind and address, instead of looking
//! ODS and GSS codes up elsewhere (issue 15 item 2).
//!
//! NHS trusts come from the ODS "etr" extract shipped in `data/anchors/`
//! (open trusts only); universities and other degree-awarding providers from
//! DfE's list with their UKPRN (`data/anchors/he_providers_ukprn.csv`, open
//! ones only); councils from the local authorities of the loaded geography,
//! which the app passes in.

use std::sync::LazyLock;

use crate::anchors::anchor::AnchorKind;
use crate::csv_import::Records;

const ETR: &str = include_str!("../../../../data/anchors/nhs_trusts_etr.csv");
const HE: &str = include_str!("../../../../data/anchors/he_providers_ukprn.csv");

/// One organisation a person can pick as an anchor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub kind: AnchorKind,
    /// The ODS code of a trust, the GSS code of a council, the UKPRN of a
    /// university.
    pub code: String,
    pub name: String,
    /// The headquarters' postcode, when the list gives one.
    pub postcode: Option<String>,
    /// The council's own code, so the anchor's local authority is known.
    pub local_authority_code: Option<String>,
}

static TRUSTS: LazyLock<Vec<Candidate>> = LazyLock::new(|| {
    let mut out = Vec::new();
    let mut records = Records::new(ETR);
    let mut fields = Vec::new();
    while records.next_into(&mut fields).is_some() {
        let f = |i: usize| fields.get(i).map(|s| s.trim()).unwrap_or("");
        if f(0).is_empty() || !f(11).is_empty() {
            continue;
        }
        out.push(Candidate {
            kind: AnchorKind::NhsTrust,
            code: f(0).to_string(),
            name: title_case(f(1)),
            postcode: Some(f(9))
                .filter(|p| !p.is_empty())
                .map(crate::words::postcode),
            local_authority_code: None,
        });
    }
    out
});

static UNIVERSITIES: LazyLock<Vec<Candidate>> = LazyLock::new(|| {
    let mut out = Vec::new();
    let mut records = Records::new(HE);
    let mut fields = Vec::new();
    let mut header = true;
    while records.next_into(&mut fields).is_some() {
        let f = |i: usize| fields.get(i).map(|s| s.trim()).unwrap_or("");
        if std::mem::take(&mut header) || f(0).is_empty() || !f(3).is_empty() {
            continue;
        }
        out.push(Candidate {
            kind: AnchorKind::University,
            code: f(0).to_string(),
            name: f(1).to_string(),
            postcode: Some(f(2))
                .filter(|p| !p.is_empty())
                .map(crate::words::postcode),
            local_authority_code: None,
        });
    }
    out
});

/// The open NHS trusts, by name.
pub fn nhs_trusts() -> &'static [Candidate] {
    &TRUSTS
}

/// The universities and other higher-education providers still awarding
/// degrees, by name, with their UKPRN.
pub fn universities() -> &'static [Candidate] {
    &UNIVERSITIES
}

/// "Sandwell and West Birmingham Hospitals NHS Trust" from the register's
/// capitals.
pub fn title_case(s: &str) -> String {
    const KEEP: &[&str] = &["NHS", "UK", "ICB", "CIC"];
    const SMALL: &[&str] = &["AND", "OF", "THE", "FOR", "IN", "ON"];
    s.split_whitespace()
        .enumerate()
        .map(|(i, w)| {
            if KEEP.contains(&w) {
                w.to_string()
            } else if i > 0 && SMALL.contains(&w) {
                w.to_lowercase()
            } else {
                let lower = w.to_lowercase();
                let mut c = lower.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The candidates whose name holds every word of `text` (any case), NHS
/// trusts first, then universities, then councils, at most `limit`.
pub fn find<'a>(text: &str, councils: &'a [Candidate], limit: usize) -> Vec<&'a Candidate> {
    let words: Vec<String> = text.split_whitespace().map(|w| w.to_lowercase()).collect();
    if words.is_empty() {
        return Vec::new();
    }
    nhs_trusts()
        .iter()
        .chain(universities())
        .chain(councils.iter())
        .filter(|c| {
            let name = c.name.to_lowercase();
            words
                .iter()
                .all(|w| name.contains(w.as_str()) || c.code.eq_ignore_ascii_case(w))
        })
        .take(limit)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trusts_are_found_by_name_with_their_code_and_postcode() {
        assert!(nhs_trusts().len() > 150, "{}", nhs_trusts().len());
        let council = Candidate {
            kind: AnchorKind::Council,
            code: "E08000028".into(),
            name: "Sandwell".into(),
            postcode: None,
            local_authority_code: Some("E08000028".into()),
        };
        let councils = [council];
        let found = find("sandwell", &councils, 10);
        let trust = found.iter().find(|c| c.code == "RXK").expect("the trust");
        assert_eq!(
            trust.name,
            "Sandwell and West Birmingham Hospitals NHS Trust"
        );
        assert!(trust.postcode.as_deref().is_some_and(|p| p.contains(' ')));
        assert!(found.iter().any(|c| c.kind == AnchorKind::Council));
        assert!(find("", &councils, 10).is_empty());
        assert_eq!(find("rxk", &councils, 10).len(), 1, "by its code too");
        assert!(
            nhs_trusts()
                .iter()
                .all(|c| c.code != "5QA" || !c.name.is_empty()),
            "closed trusts are left out"
        );
    }

    #[test]
    fn universities_are_found_by_name_with_their_ukprn() {
        assert!(universities().len() > 150, "{}", universities().len());
        let found = find("birmingham university", &[], 20);
        let uob = found
            .iter()
            .find(|c| c.code == "10006840")
            .expect("the University of Birmingham");
        assert_eq!(uob.kind, AnchorKind::University);
        assert_eq!(uob.name, "University of Birmingham");
        assert_eq!(uob.postcode.as_deref(), Some("B15 2TT"));
        assert!(found.iter().any(|c| c.name == "Birmingham City University"));
        assert_eq!(find("10007759", &[], 20)[0].name, "Aston University");
        assert!(
            universities().iter().all(|c| c.code != "10003574"),
            "closed providers (Kent Institute of Art and Design) are left out"
        );
        assert!(
            universities()
                .iter()
                .all(|c| c.code.len() == 8 && c.code.bytes().all(|b| b.is_ascii_digit())),
            "every UKPRN is eight digits"
        );
    }
}
