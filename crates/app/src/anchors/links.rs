//! Links between one organisation's records in two registers, read from
//! the lookups drkane/charity-lookups publishes: a charity that is also a
//! company (`GB-CHC-…` ↔ `GB-COH-…`), a CIO's Companies House number, a
//! society on the FCA Mutuals Public Register and its Companies House
//! number (`GB-MPR-…` ↔ `GB-COH-IP…`).
//!
//! A link whose two sides the programme holds joins them into one
//! organisation: the Companies House record is kept (it has the registered
//! office), the other's fields fill its blanks and everything that pointed
//! at the other (suppliers, their candidates, decisions) moves to it, with
//! the organisation merge's own audit entry. The organisation a link
//! reaches takes the legal form and kind the link shows (a charitable
//! company or a CIO: VCSE; a co-operative or community benefit society:
//! social enterprise). Every join and mark of a file is one transaction
//! (`RegisterStore::load_links`): a failure part-way leaves nothing joined. Loading the
//! same file again changes nothing, and a later register load neither
//! brings the joined record back nor undoes the form a link gave.

use std::collections::HashMap;
use std::sync::Arc;

use useit_core::anchors::register::{OrganisationDetails, OrganisationInput};
use useit_core::anchors::registers::{LinkRelation, OrgLink, read_links};
use useit_core::csv_import::Report;
use useit_store::anchors::RegisterLoad;
use uuid::Uuid;

use super::register::{Counting, RegisterLoaded, RegisterUpload};
use crate::{Caller, Error, Imported, Result, Store};

/// The side a join keeps: the Companies House record where one side is one.
fn kept_side(link: &OrgLink) -> (&str, &str) {
    if link.b.starts_with("GB-COH-") && !link.a.starts_with("GB-COH-") {
        (&link.b, &link.a)
    } else {
        (&link.a, &link.b)
    }
}

/// Reads a links file (streamed) and joins or marks the organisations it
/// links; rows with a bad identifier refuse the file unless bad rows are
/// to be skipped. `entries` counts the links read, `joined` the pairs made
/// one, `marked` the organisations given a legal form and kind.
pub(super) async fn load_links(
    store: &dyn Store,
    caller: &Caller,
    upload: RegisterUpload,
    progress: Arc<dyn Fn(u64) + Send + Sync>,
) -> Result<Imported<RegisterLoaded>> {
    let RegisterUpload {
        file_name,
        source,
        options,
        ..
    } = upload;
    let name = file_name.clone();
    let task = tokio::task::spawn_blocking(move || {
        let mut report = Report::new(&name);
        let mut links = Vec::new();
        let reader = Counting {
            inner: source,
            read: 0,
            progress,
        };
        read_links(reader, &mut report, |l| links.push(l));
        (links, report)
    });
    let (links, mut report) = task
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
    report.sort();
    if report.has_errors() && (!options.skip_bad_lines || links.is_empty()) {
        return Err(Error::Rejected(report));
    }
    let p = caller.programme;
    let mut held: HashMap<String, Uuid> = store.organisation_ids(p).await?.into_iter().collect();
    // The pairs to join, in the file's order: a pair met again, or joined
    // through an earlier pair of the file, is not joined twice.
    let mut joins: Vec<(Uuid, Uuid)> = Vec::new();
    let mut marks: HashMap<Uuid, (&'static str, _)> = HashMap::new();
    let mut reached = 0;
    for link in links.iter().filter(|l| l.relation == LinkRelation::SameAs) {
        let (keep_id, other_id) = kept_side(link);
        let target = match (held.get(keep_id).copied(), held.get(other_id).copied()) {
            (Some(keep), Some(other)) if keep != other => {
                joins.push((keep, other));
                held.insert(other_id.to_string(), keep);
                Some(keep)
            }
            (Some(id), _) | (None, Some(id)) => Some(id),
            (None, None) => None,
        };
        reached += target.is_some() as u64;
        if let (Some(t), Some(form), Some(kind)) = (target, link.legal_form, link.kind) {
            marks.insert(t, (form.slug(), kind));
        }
    }
    // An organisation marked and later joined into another: the mark goes
    // to the one it joined.
    let mut kept_of: HashMap<Uuid, Uuid> = HashMap::new();
    for (keep, other) in &joins {
        kept_of.insert(*other, *keep);
    }
    let resolve = |mut id: Uuid| {
        while let Some(k) = kept_of.get(&id) {
            id = *k;
        }
        id
    };
    let marks: HashMap<Uuid, (&'static str, _)> =
        marks.into_iter().map(|(id, m)| (resolve(id), m)).collect();
    let mut orgs = Vec::new();
    for (id, (form, kind)) in marks {
        let Some(o) = store.organisation(p, id).await? else {
            continue;
        };
        if o.kind == kind && o.details.legal_form.as_deref() == Some(form) {
            continue;
        }
        orgs.push((
            id,
            OrganisationInput {
                org_id: o.org_id,
                name: o.name,
                kind,
                company_number: o.company_number,
                postcode: o.postcode,
                trading_postcode: o.trading_postcode,
                source: o.source,
                details: OrganisationDetails {
                    legal_form: Some(form.to_string()),
                    ..o.details
                },
                location: None,
            },
        ));
    }
    let marked = orgs.len() as u64;
    // Every join and every mark in one transaction: all of the file or
    // none of it.
    let joined = if joins.is_empty() && orgs.is_empty() {
        0
    } else {
        store
            .load_links(
                p,
                &joins,
                &RegisterLoad {
                    source: &file_name,
                    orgs: &orgs,
                    rechecked: &[],
                },
                &caller.actor,
            )
            .await?
    };
    Ok(Imported {
        outcome: RegisterLoaded {
            entries: links.len() as u64,
            new: 0,
            left_out: links.len() as u64 - reached,
            rechecked: 0,
            joined,
            marked,
        },
        report,
    })
}
