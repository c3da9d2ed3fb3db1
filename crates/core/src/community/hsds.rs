//! The asset map's services as Open Referral (Human Services Data
//! Specification 3, as Open Referral UK uses it): one CSV per table of the
//! tabular package (`organization.csv`, `service.csv`, `location.csv`,
//! `address.csv`, `service_at_location.csv`, `phone.csv`, `schedule.csv`),
//! or HSDS `service` objects with their organization, phones, schedules and
//! service-at-location (location and address) nested. Only assets of kind
//! service are exported; ids are the assets' and organisations' own, and
//! the ids of rows we make up (a location, a phone) are derived from the
//! asset's, so the same assets export the same file.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use time::Date;
use uuid::Uuid;

use super::asset::{Asset, AssetKind, AssetPlace};

/// An HSDS object as JSON.
pub type Json = Value;

/// A service with where it is.
pub struct ServiceAt<'a> {
    pub asset: &'a Asset,
    pub place: Option<&'a AssetPlace>,
}

/// HSDS's service status on `day`: ended → defunct, not begun → inactive.
pub fn status(a: &Asset, day: Date) -> &'static str {
    match (a.draft.started_on, a.draft.ended_on) {
        (_, Some(x)) if x < day => "defunct",
        (Some(s), _) if s > day => "inactive",
        _ => "active",
    }
}

/// A stable id for a row made up from an asset (its location, phone …).
pub fn derived_id(asset: Uuid, table: &str) -> Uuid {
    let mut h = Sha256::new();
    h.update(table.as_bytes());
    h.update(asset.as_bytes());
    let d = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    uuid::Builder::from_custom_bytes(b).into_uuid()
}

fn has_location(s: &ServiceAt<'_>) -> bool {
    s.asset.draft.postcode.is_some() || s.place.is_some_and(|p| p.lat.is_some())
}

fn number(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.6}")).unwrap_or_default()
}

/// The tables, each as (file name, CSV text), in the package's order.
pub fn tables(services: &[ServiceAt<'_>], day: Date) -> Vec<(&'static str, String)> {
    let services: Vec<&ServiceAt<'_>> = services
        .iter()
        .filter(|s| s.asset.draft.kind == AssetKind::Service)
        .collect();
    let mut organisations = std::collections::BTreeMap::new();
    for s in &services {
        if let Some(o) = &s.asset.organisation {
            organisations.insert(o.id, o);
        }
    }
    let write = |header: &[&str], rows: Vec<Vec<String>>| {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(header).expect("in memory");
        for r in rows {
            w.write_record(r).expect("in memory");
        }
        String::from_utf8(w.into_inner().expect("in memory")).expect("utf-8")
    };
    let organization = write(
        &["id", "name", "description", "email", "website", "uri"],
        organisations
            .values()
            .map(|o| {
                vec![
                    o.id.to_string(),
                    o.name.clone(),
                    o.name.clone(),
                    String::new(),
                    String::new(),
                    String::new(),
                ]
            })
            .collect(),
    );
    let service = write(
        &[
            "id",
            "organization_id",
            "name",
            "description",
            "url",
            "email",
            "status",
            "eligibility_description",
            "last_modified",
        ],
        services
            .iter()
            .map(|s| {
                let a = s.asset;
                vec![
                    a.id.to_string(),
                    a.organisation
                        .as_ref()
                        .map(|o| o.id.to_string())
                        .unwrap_or_default(),
                    a.draft.name.clone(),
                    a.draft.description.clone(),
                    a.draft.url.clone(),
                    a.draft.contact_email.clone(),
                    status(a, day).into(),
                    a.draft.eligibility.clone(),
                    a.updated_at
                        .format(&time::format_description::well_known::Rfc3339)
                        .unwrap_or_default(),
                ]
            })
            .collect(),
    );
    let placed: Vec<&&ServiceAt<'_>> = services.iter().filter(|s| has_location(s)).collect();
    let location = write(
        &[
            "id",
            "location_type",
            "organization_id",
            "name",
            "description",
            "latitude",
            "longitude",
        ],
        placed
            .iter()
            .map(|s| {
                let a = s.asset;
                vec![
                    derived_id(a.id, "location").to_string(),
                    "physical".into(),
                    a.organisation
                        .as_ref()
                        .map(|o| o.id.to_string())
                        .unwrap_or_default(),
                    a.draft.name.clone(),
                    a.draft.who_can_use.clone(),
                    number(s.place.and_then(|p| p.lat)),
                    number(s.place.and_then(|p| p.lon)),
                ]
            })
            .collect(),
    );
    let address = write(
        &[
            "id",
            "location_id",
            "address_1",
            "city",
            "state_province",
            "postal_code",
            "country",
            "address_type",
        ],
        placed
            .iter()
            .filter_map(|s| {
                let a = s.asset;
                let postcode = a.draft.postcode.clone()?;
                Some(vec![
                    derived_id(a.id, "address").to_string(),
                    derived_id(a.id, "location").to_string(),
                    a.draft.name.clone(),
                    s.place
                        .and_then(|p| p.local_authority_name.clone())
                        .unwrap_or_default(),
                    String::new(),
                    postcode,
                    "GB".into(),
                    "physical".into(),
                ])
            })
            .collect(),
    );
    let service_at_location = write(
        &["id", "service_id", "location_id"],
        placed
            .iter()
            .map(|s| {
                vec![
                    derived_id(s.asset.id, "service_at_location").to_string(),
                    s.asset.id.to_string(),
                    derived_id(s.asset.id, "location").to_string(),
                ]
            })
            .collect(),
    );
    let phone = write(
        &["id", "service_id", "number"],
        services
            .iter()
            .filter(|s| !s.asset.draft.contact_phone.is_empty())
            .map(|s| {
                vec![
                    derived_id(s.asset.id, "phone").to_string(),
                    s.asset.id.to_string(),
                    s.asset.draft.contact_phone.clone(),
                ]
            })
            .collect(),
    );
    let schedule = write(
        &["id", "service_id", "description"],
        services
            .iter()
            .filter(|s| !s.asset.draft.schedule.is_empty())
            .map(|s| {
                vec![
                    derived_id(s.asset.id, "schedule").to_string(),
                    s.asset.id.to_string(),
                    s.asset.draft.schedule.clone(),
                ]
            })
            .collect(),
    );
    vec![
        ("organization.csv", organization),
        ("service.csv", service),
        ("location.csv", location),
        ("address.csv", address),
        ("service_at_location.csv", service_at_location),
        ("phone.csv", phone),
        ("schedule.csv", schedule),
    ]
}

/// HSDS `service` objects, each with what it nests.
pub fn services_json(services: &[ServiceAt<'_>], day: Date) -> Vec<Value> {
    services
        .iter()
        .filter(|s| s.asset.draft.kind == AssetKind::Service)
        .map(|s| {
            let a = s.asset;
            let d = &a.draft;
            let organization = a.organisation.as_ref().map(|o| {
                json!({
                    "id": o.id,
                    "name": o.name,
                    "description": o.name,
                    "organization_identifiers": [{
                        "id": derived_id(o.id, "organization_identifier"),
                        "organization_id": o.id,
                        "identifier": o.org_id,
                        "identifier_type": "org-id.guide",
                    }],
                })
            });
            let location = has_location(s).then(|| {
                let addresses: Vec<Value> = d
                    .postcode
                    .iter()
                    .map(|pc| {
                        json!({
                            "id": derived_id(a.id, "address"),
                            "location_id": derived_id(a.id, "location"),
                            "address_1": d.name,
                            "city": s.place.and_then(|p| p.local_authority_name.clone()).unwrap_or_default(),
                            "state_province": "",
                            "postal_code": pc,
                            "country": "GB",
                            "address_type": "physical",
                        })
                    })
                    .collect();
                json!({
                    "id": derived_id(a.id, "service_at_location"),
                    "service_id": a.id,
                    "location_id": derived_id(a.id, "location"),
                    "location": {
                        "id": derived_id(a.id, "location"),
                        "location_type": "physical",
                        "name": d.name,
                        "description": d.who_can_use,
                        "latitude": s.place.and_then(|p| p.lat),
                        "longitude": s.place.and_then(|p| p.lon),
                        "addresses": addresses,
                    }
                })
            });
            let phones: Vec<Value> = (!d.contact_phone.is_empty())
                .then(|| json!({"id": derived_id(a.id, "phone"), "service_id": a.id, "number": d.contact_phone}))
                .into_iter()
                .collect();
            let schedules: Vec<Value> = (!d.schedule.is_empty())
                .then(|| json!({"id": derived_id(a.id, "schedule"), "service_id": a.id, "description": d.schedule}))
                .into_iter()
                .collect();
            json!({
                "id": a.id,
                "organization_id": a.organisation.as_ref().map(|o| o.id),
                "name": d.name,
                "description": d.description,
                "url": d.url,
                "email": d.contact_email,
                "status": status(a, day),
                "eligibility_description": d.eligibility,
                "last_modified": a.updated_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
                "organization": organization,
                "phones": phones,
                "schedules": schedules,
                "service_at_locations": location.into_iter().collect::<Vec<_>>(),
            })
        })
        .collect()
}

/// The tables as one zip file, each table a file at its root in the
/// package's order, deflated. Entries carry no clock time (the zip's
/// 1980-01-01 default), so the same tables make the same bytes.
pub fn zip_tables(tables: &[(&str, String)]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o644);
    for (name, text) in tables {
        w.start_file(*name, opts).expect("a zip in memory");
        w.write_all(text.as_bytes()).expect("a zip in memory");
    }
    w.finish().expect("a zip in memory").into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::community::asset::{AssetInput, OrganisationRef};
    use time::OffsetDateTime;
    use time::macros::date;

    fn asset(kind: &str, ended_on: &str) -> Asset {
        let mut input = AssetInput {
            kind: kind.into(),
            name: "Advice drop-in".into(),
            postcode: "B34 7AP".into(),
            ended_on: ended_on.into(),
            ..Default::default()
        };
        if kind == "service" {
            input.contact_phone = "0121 000 0000".into();
            input.schedule = "Tuesdays".into();
            input.eligibility = "Residents".into();
        }
        Asset {
            id: Uuid::now_v7(),
            draft: input.validate().unwrap(),
            community_name: None,
            organisation: Some(OrganisationRef {
                id: Uuid::now_v7(),
                org_id: "GB-CHC-1".into(),
                name: "Advice Ltd".into(),
            }),
            interaction: None,
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn services_only_in_hsds_tables_with_stable_ids() {
        let s = asset("service", "");
        let closed = asset("service", "2020-01-01");
        let group = asset("group", "");
        let place = AssetPlace {
            lat: Some(52.5),
            lon: Some(-1.78),
            local_authority_name: Some("Birmingham".into()),
            ..Default::default()
        };
        let list = [
            ServiceAt {
                asset: &s,
                place: Some(&place),
            },
            ServiceAt {
                asset: &closed,
                place: None,
            },
            ServiceAt {
                asset: &group,
                place: None,
            },
        ];
        let day = date!(2026 - 12 - 07);
        let t = tables(&list, day);
        let names: Vec<_> = t.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names[..5],
            [
                "organization.csv",
                "service.csv",
                "location.csv",
                "address.csv",
                "service_at_location.csv"
            ]
        );
        let service = &t[1].1;
        assert_eq!(service.lines().count(), 3, "two services, not the group");
        assert!(service.starts_with(
            "id,organization_id,name,description,url,email,status,eligibility_description"
        ));
        assert!(service.contains(",defunct,"));
        assert!(service.contains(",active,Residents,"));
        assert!(t[2].1.contains("52.500000,-1.780000"));
        assert!(t[3].1.contains("B34 7AP,GB,physical"));
        assert_eq!(t[4].1.lines().count(), 3);
        assert_eq!(
            tables(&list, day),
            t,
            "the same assets export the same files"
        );

        let j = services_json(&list, day);
        assert_eq!(j.len(), 2);
        assert_eq!(j[0]["organization"]["name"], "Advice Ltd");
        assert_eq!(
            j[0]["service_at_locations"][0]["location"]["addresses"][0]["postal_code"],
            "B34 7AP"
        );
        assert_eq!(j[0]["phones"][0]["number"], "0121 000 0000");
        assert_eq!(j[0]["schedules"][0]["description"], "Tuesdays");
        assert_eq!(j[1]["status"], "defunct");
    }

    #[test]
    fn the_tables_zip_holds_each_table_and_is_the_same_twice() {
        use std::io::Read;
        let s = asset("service", "");
        let list = [ServiceAt {
            asset: &s,
            place: None,
        }];
        let t = tables(&list, date!(2026 - 12 - 07));
        let bytes = zip_tables(&t);
        assert_eq!(zip_tables(&t), bytes, "no clock time in the file");
        let mut a = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(a.len(), t.len());
        for (i, (name, text)) in t.iter().enumerate() {
            let mut f = a.by_index(i).unwrap();
            assert_eq!(f.name().unwrap(), *name);
            let mut back = String::new();
            f.read_to_string(&mut back).unwrap();
            assert_eq!(&back, text);
        }
    }
}
