//! Organisations entered twice, on SQLite and PostgreSQL: the likely pair
//! is listed; merging moves the supplier names resolved to the other (its
//! spend lines take the kept one's kind), support, income years (the kept
//! one's year wins), consortium lead and membership, and fills blank
//! profile and register fields; the spend totals are unchanged in sum; one
//! audit entry names both; asked again it answers "already merged"; a pair
//! said not to be duplicates is no longer proposed.

use std::sync::Arc;

use useit_app::anchors::ledger::{Ledgers, measures};
use useit_app::enterprise::formed::save_consortium;
use useit_app::enterprise::merge::{
    duplicates, duplicates_page, merge, merges, not_duplicate, organisation_named, pair,
};
use useit_app::enterprise::profiles::{add_enterprise, save_profile};
use useit_app::enterprise::records::{add_support, save_income};
use useit_app::{Caller, Error, Store};
use useit_core::anchors::filter::LineFilter;
use useit_core::anchors::measures::SupplierKind;
use useit_core::anchors::register::{OrganisationDetails, OrganisationInput};
use useit_core::audit::{Actor, AuditAction, AuditFilter};
use useit_core::enterprise::duplicates::{DuplicateReason, Merged};
use useit_core::enterprise::formed::ConsortiumInput;
use useit_core::enterprise::income::IncomeInput;
use useit_core::enterprise::profile::{NewEnterpriseInput, ProfileInput};
use useit_core::enterprise::support::SupportInput;
use useit_core::listing::PageRequest;
use useit_core::programme::NewProgramme;
use useit_testkit::story;
use uuid::Uuid;

async fn setup(store: &Arc<dyn Store>) -> Caller {
    let p = store
        .create_programme(
            &NewProgramme {
                slug: "se".into(),
                name: "Social enterprise".into(),
                description: String::new(),
            },
            None,
            &Actor::system("test"),
        )
        .await
        .unwrap();
    Caller::system(p.id, "test")
}

fn support(on: &str) -> SupportInput {
    SupportInput {
        given_on: on.into(),
        kind: "bid_writing".into(),
        hours: "2".into(),
        outcome: "Bid drafted".into(),
        plan_stage: "drafting".into(),
    }
}

fn income(year: &str, trading: &str) -> IncomeInput {
    IncomeInput {
        year: year.into(),
        trading: trading.into(),
        ..Default::default()
    }
}

async fn supplier_key(store: &dyn Store, c: &Caller, name: &str) -> String {
    store
        .suppliers(c.programme, None)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("supplier {name}"))
        .key
}

async fn merge_log(store: &dyn Store, c: &Caller) -> Vec<String> {
    store
        .audit_list(
            &AuditFilter {
                programme_id: Some(c.programme),
                subject_type: Some("organisation".into()),
                action: Some(AuditAction::Merge),
                ..Default::default()
            },
            PageRequest {
                page: 1,
                per_page: 100,
            },
        )
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|e| e.summary)
        .collect()
}

story!(merging_organisations_entered_twice, |store: Arc<
    dyn Store,
>| async move {
    let c = setup(&store).await;
    let s = store.as_ref();
    let trust = useit_app::anchors::anchor::save_anchor(
        s,
        &c,
        &useit_core::anchors::anchor::AnchorInput {
            slug: "trust".into(),
            name: "Sandwell and West Birmingham NHS Trust".into(),
            kind: "nhs_trust".into(),
            official_code: "RXK".into(),
            local_authority_code: String::new(),
            sites: String::new(),
            column_mapping: String::new(),
        },
    )
    .await
    .unwrap();
    // Kept: added by an adviser (a local identifier), a social enterprise.
    let keep = add_enterprise(
        s,
        &c,
        &NewEnterpriseInput {
            name: "Cape Hill Cleaning CIC".into(),
            postcode: "B66 2QT".into(),
        },
    )
    .await
    .unwrap();
    save_profile(
        s,
        &c,
        keep.id,
        &ProfileInput {
            legal_form: "cic".into(),
            social_purpose: "yes".into(),
            reinvests_profits: "yes".into(),
            mission_ownership: "yes".into(),
            services: "cleaning".into(),
            turnover: "£500,000".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    // The other: the same company from Companies House, an SME by kind,
    // with a profile that knows its staff and areas.
    useit_app::anchors::register::load_organisations(
        s,
        &c,
        &[OrganisationInput {
            org_id: "GB-COH-09999999".into(),
            name: "CAPE HILL CLEANING LIMITED".into(),
            kind: SupplierKind::Sme,
            company_number: Some("09999999".into()),
            postcode: Some("B66 2QT".into()),
            trading_postcode: None,
            source: "companies house".into(),
            details: OrganisationDetails {
                register_status: Some("active".into()),
                ..Default::default()
            },
            location: None,
        }],
    )
    .await
    .unwrap();
    let other = organisation_named(s, &c, "gb-coh-09999999").await.unwrap();
    save_profile(
        s,
        &c,
        other,
        &ProfileInput {
            services: "laundry".into(),
            staff: "12".into(),
            areas: "Rowley Regis Hospital".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let soho = add_enterprise(
        s,
        &c,
        &NewEnterpriseInput {
            name: "Soho Road Kitchen CIC".into(),
            postcode: "B21 9NH".into(),
        },
    )
    .await
    .unwrap();
    let soho2 = add_enterprise(
        s,
        &c,
        &NewEnterpriseInput {
            name: "The Soho Road Kitchen".into(),
            postcode: "B21 9NP".into(),
        },
    )
    .await
    .unwrap();

    // The spend: names resolved to each of the pair.
    let file = "Date,Supplier,Amount,Expense Type\n\
                01/07/2024,Cape Hill Cleaning CIC,1000.00,Cleaning\n\
                15/08/2024,CHC Services Ltd,2000.00,Cleaning\n\
                16/08/2024,CHC Services Ltd,250.50,Cleaning\n\
                20/09/2024,Soho Road Kitchen CIC,500.00,Catering\n\
                21/09/2024,Big Facilities Plc,4000.00,Security\n";
    useit_app::anchors::import_spend_file(
        s,
        &c,
        useit_app::anchors::SpendUpload {
            anchor: &trust.slug,
            file_name: "trust.csv",
            bytes: file.as_bytes(),
            options: Default::default(),
        },
        &|_| {},
    )
    .await
    .unwrap();
    for (name, org) in [
        ("Cape Hill Cleaning CIC", keep.id),
        ("CHC Services Ltd", other),
        ("Soho Road Kitchen CIC", soho.id),
    ] {
        let key = supplier_key(s, &c, name).await;
        useit_app::anchors::suppliers::decide(s, &c, &key, Some(org))
            .await
            .unwrap();
    }
    // Records on both.
    add_support(s, &c, keep.id, &support("2024-05-01"))
        .await
        .unwrap();
    add_support(s, &c, other, &support("2024-06-01"))
        .await
        .unwrap();
    add_support(s, &c, other, &support("2024-07-01"))
        .await
        .unwrap();
    save_income(s, &c, keep.id, &income("2023", "100000"))
        .await
        .unwrap();
    save_income(s, &c, other, &income("2023", "999"))
        .await
        .unwrap();
    save_income(s, &c, other, &income("2022", "80000"))
        .await
        .unwrap();
    let formed = save_consortium(
        s,
        &c,
        None,
        &ConsortiumInput {
            name: "Cape Hill and Soho Road".into(),
            lead: other.to_string(),
            members: soho.id.to_string(),
            lot: String::new(),
            formed_on: "2024-05-20".into(),
        },
    )
    .await
    .unwrap();

    // The likely pairs: the same name, and the Soho Road pair.
    let pairs = duplicates(s, &c).await.unwrap();
    let ids: Vec<_> = pairs
        .iter()
        .map(|p| {
            let mut v = [p.keep.id, p.other.id];
            v.sort();
            v
        })
        .collect();
    let mut cape = [keep.id, other];
    cape.sort();
    let mut kitchens = [soho.id, soho2.id];
    kitchens.sort();
    assert!(ids.contains(&cape), "{pairs:?}");
    assert!(ids.contains(&kitchens), "{pairs:?}");
    let cape_pair = pairs
        .iter()
        .find(|p| p.keep.id == other || p.other.id == other)
        .unwrap();
    assert_eq!(cape_pair.reasons, vec![DuplicateReason::Name]);
    // The one with an official identifier is suggested to keep.
    assert_eq!(cape_pair.keep.id, other);
    let side = pair(s, &c, keep.id, other).await.unwrap();
    assert_eq!(side.reasons, vec![DuplicateReason::Name]);

    // Before: the spend by supplier, in sum, and the social economy's.
    let ledgers = Ledgers::new(0);
    let before = measures(s, &c, &ledgers, &LineFilter::default())
        .await
        .unwrap();
    let sum = |m: &useit_app::anchors::ledger::SpendMeasures| -> i64 {
        m.measures.top_suppliers.iter().map(|t| t.total).sum()
    };
    let chc = supplier_key(s, &c, "CHC Services Ltd").await;
    let kind_of = |m: &useit_app::anchors::ledger::SpendMeasures| {
        m.ledger
            .suppliers
            .iter()
            .find(|x| x.key == chc)
            .map(|x| x.kind)
    };
    assert_eq!(kind_of(&before), Some(SupplierKind::Sme));
    assert_eq!(before.measures.total, 775_050);
    assert_eq!(sum(&before), before.measures.total);

    // A funder cannot merge.
    let funder = Caller::member(
        c.programme,
        useit_core::UserId(Uuid::now_v7()),
        useit_core::auth::Role::FunderViewer,
        Actor::system("funder"),
    );
    assert!(matches!(
        merge(s, &funder, keep.id, other).await,
        Err(Error::Refused)
    ));

    // The person keeps the social enterprise.
    let done = merge(s, &c, keep.id, other).await.unwrap();
    let Merged::Merged { counts } = done else {
        panic!("{done:?}")
    };
    assert_eq!(counts.suppliers, 1, "{counts:?}");
    assert_eq!(counts.support, 2);
    assert_eq!(counts.income_years, 1);
    assert_eq!(counts.consortia_led, 1);
    assert_eq!(counts.memberships, 1);
    assert!(counts.profile);
    // The other's 2023 (the kept one records its own), and its place
    // among the candidates for "Cape Hill Cleaning CIC" (both were).
    assert_eq!(counts.dropped, 2);

    // Everything moved: the other is gone, the kept one has it all.
    assert!(s.enterprise(c.programme, other).await.unwrap().is_none());
    let kept = s.enterprise(c.programme, keep.id).await.unwrap().unwrap();
    assert_eq!(kept.kind, SupplierKind::SocialEnterprise);
    assert_eq!(kept.company_number.as_deref(), Some("09999999"));
    let profile = kept.profile.unwrap();
    assert_eq!(profile.services, vec!["cleaning".to_string()]);
    assert_eq!(profile.staff, Some(12));
    assert_eq!(profile.areas, vec!["Rowley Regis Hospital".to_string()]);
    assert_eq!(profile.turnover, Some(50_000_000));
    assert_eq!(
        s.support(c.programme, Some(keep.id)).await.unwrap().len(),
        3
    );
    let years: Vec<_> = s
        .income(c.programme, Some(keep.id))
        .await
        .unwrap()
        .into_iter()
        .map(|(_, y)| (y.year, y.trading))
        .collect();
    assert!(years.contains(&(2023, 10_000_000)), "{years:?}");
    assert!(years.contains(&(2022, 8_000_000)), "{years:?}");
    assert_eq!(years.len(), 2);
    let consortium = s
        .consortia(c.programme)
        .await
        .unwrap()
        .into_iter()
        .find(|x| x.id == formed.id)
        .unwrap();
    assert_eq!(consortium.draft.lead, keep.id);
    let mut members = consortium.draft.members.clone();
    members.sort();
    let mut want = vec![keep.id, soho.id];
    want.sort();
    assert_eq!(members, want);
    let resolved = s.supplier(c.programme, &chc).await.unwrap().unwrap();
    assert_eq!(resolved.organisation.map(|o| o.id), Some(keep.id));

    // The spend follows: the same total and the same sum by supplier; the
    // moved lines take the kept one's kind.
    let after = measures(s, &c, &ledgers, &LineFilter::default())
        .await
        .unwrap();
    assert_eq!(after.measures.total, before.measures.total);
    assert_eq!(after.measures.lines, before.measures.lines);
    assert_eq!(sum(&after), sum(&before));
    assert_eq!(kind_of(&after), Some(SupplierKind::SocialEnterprise));
    assert!(after.measures.social_economy > before.measures.social_economy);

    // One audit entry naming both.
    let log = merge_log(s, &c).await;
    assert_eq!(log.len(), 1, "{log:?}");
    assert!(
        log[0].contains("CAPE HILL CLEANING LIMITED") && log[0].contains("Cape Hill Cleaning CIC")
    );
    assert!(log[0].contains("GB-COH-09999999"));

    // Asked again (by id or by the org-id it had): already merged, nothing done.
    let again = merge(s, &c, keep.id, other).await.unwrap();
    assert!(matches!(&again, Merged::AlreadyMerged { record } if record.kept_id == keep.id));
    let by_org = organisation_named(s, &c, "GB-COH-09999999").await.unwrap();
    assert_eq!(by_org, other);
    assert!(matches!(
        merge(s, &c, keep.id, by_org).await.unwrap(),
        Merged::AlreadyMerged { .. }
    ));
    assert_eq!(merge_log(s, &c).await.len(), 1);
    // Into another organisation: refused, naming the field.
    assert!(matches!(
        merge(s, &c, soho.id, other).await,
        Err(Error::Conflict { .. })
    ));
    assert!(matches!(
        merge(s, &c, keep.id, keep.id).await,
        Err(Error::Conflict { .. })
    ));
    assert!(matches!(
        merge(s, &c, keep.id, Uuid::now_v7()).await,
        Err(Error::NotFound)
    ));
    let done = merges(s, &c).await.unwrap();
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].merged_org_id, "GB-COH-09999999");

    // "Not a duplicate": the Soho Road pair is no longer proposed.
    assert!(not_duplicate(s, &c, soho2.id, soho.id).await.unwrap());
    assert!(!not_duplicate(s, &c, soho.id, soho2.id).await.unwrap());
    let left = duplicates(s, &c).await.unwrap();
    assert!(left.is_empty(), "{left:?}");
});

story!(
    the_directory_file_adds_organisations_the_register_lacks,
    |store: Arc<dyn Store>| async move {
        use useit_app::enterprise::directory_csv::import_directory;
        use useit_core::enterprise::profile::LOCAL_ID_PREFIX;
        let c = setup(&store).await;
        let s = store.as_ref();
        let held = add_enterprise(
            s,
            &c,
            &NewEnterpriseInput {
                name: "Rood End Bakery CIC".into(),
                postcode: "B68 8AA".into(),
            },
        )
        .await
        .unwrap();
        let file = "org_id,name,postcode,social_purpose,reinvests_profits,mission_ownership,services,staff\n\
                ,The Rood End Bakery,B68 8AA,yes,yes,yes,catering,6\n\
                ,Lyng Laundry,B70 7AA,yes,yes,yes,laundry,2\n\
                GB-CHC-1190000,Tipton Tools Trust,,no,no,no,,\n";
        // A bad row anywhere: nothing is added.
        let bad = format!("{file},Broken Row,B70 7AA,,,,,lots\n");
        let before = s.enterprises(c.programme).await.unwrap().len();
        assert!(matches!(
            import_directory(s, &c, "bad.csv", bad.as_bytes()).await,
            Err(Error::Rejected(_))
        ));
        assert_eq!(s.enterprises(c.programme).await.unwrap().len(), before);

        let i = import_directory(s, &c, "new.csv", file.as_bytes())
            .await
            .unwrap();
        assert_eq!(
            (i.outcome.created, i.outcome.changed, i.outcome.unchanged),
            (2, 1, 0)
        );
        let warned: Vec<u64> = i.report.warnings().map(|p| p.line).collect();
        assert_eq!(warned, [3, 4], "{:?}", i.report);
        let all = s.enterprises(c.programme).await.unwrap();
        let laundry = all.iter().find(|e| e.name == "Lyng Laundry").unwrap();
        assert!(laundry.org_id.starts_with(LOCAL_ID_PREFIX));
        assert_eq!(laundry.postcode.as_deref(), Some("B70 7AA"));
        assert_eq!(laundry.kind, SupplierKind::SocialEnterprise);
        assert_eq!(laundry.profile.as_ref().unwrap().staff, Some(2));
        let tools = all.iter().find(|e| e.org_id == "GB-CHC-1190000").unwrap();
        assert_eq!(tools.name, "Tipton Tools Trust");
        // The held bakery was matched by name and postcode, not added again.
        let bakery = s.enterprise(c.programme, held.id).await.unwrap().unwrap();
        assert_eq!(bakery.profile.unwrap().staff, Some(6));
        assert_eq!(all.len(), before + 2);
        // Audited: one entry per organisation added.
        let added = s
            .audit_list(
                &AuditFilter {
                    programme_id: Some(c.programme),
                    subject_type: Some("organisation".into()),
                    action: Some(AuditAction::Create),
                    ..Default::default()
                },
                PageRequest {
                    page: 1,
                    per_page: 100,
                },
            )
            .await
            .unwrap();
        assert_eq!(added.total, 2);

        // The same file again adds nothing and changes nothing.
        let again = import_directory(s, &c, "new.csv", file.as_bytes())
            .await
            .unwrap();
        assert_eq!(
            (
                again.outcome.created,
                again.outcome.changed,
                again.outcome.unchanged
            ),
            (0, 0, 3)
        );
        assert_eq!(again.report.warnings().count(), 0, "{:?}", again.report);
        assert_eq!(s.enterprises(c.programme).await.unwrap().len(), before + 2);
    }
);

/// A register entry as the spend register makes it.
fn registered(org_id: &str, name: &str, kind: SupplierKind, postcode: &str) -> OrganisationInput {
    let company = org_id.strip_prefix("GB-COH-").map(str::to_string);
    let charity = org_id.strip_prefix("GB-CHC-").map(str::to_string);
    OrganisationInput {
        org_id: org_id.into(),
        name: name.into(),
        kind,
        company_number: company,
        postcode: Some(postcode.into()),
        trading_postcode: None,
        source: "companies house".into(),
        details: OrganisationDetails {
            charity_number: charity,
            ..Default::default()
        },
        location: None,
    }
}

fn pair_of(
    pairs: &[useit_app::enterprise::merge::Duplicate],
    a: Uuid,
    b: Uuid,
) -> Option<(Uuid, Vec<DuplicateReason>)> {
    pairs
        .iter()
        .find(|p| (p.keep.id == a && p.other.id == b) || (p.keep.id == b && p.other.id == a))
        .map(|p| (p.keep.id, p.reasons.clone()))
}

story!(
    recognising_a_supplier_as_a_social_enterprise_moves_the_measures,
    |store: Arc<dyn Store>| async move {
        let c = setup(&store).await;
        let s = store.as_ref();
        let trust = useit_app::anchors::anchor::save_anchor(
            s,
            &c,
            &useit_core::anchors::anchor::AnchorInput {
                slug: "trust".into(),
                name: "Sandwell and West Birmingham NHS Trust".into(),
                kind: "nhs_trust".into(),
                official_code: "RXK".into(),
                local_authority_code: String::new(),
                sites: String::new(),
                column_mapping: String::new(),
            },
        )
        .await
        .unwrap();
        useit_app::anchors::register::load_organisations(
            s,
            &c,
            &[registered(
                "GB-COH-08888888",
                "SOHO ROAD KITCHENS LIMITED",
                SupplierKind::Sme,
                "B21 9NH",
            )],
        )
        .await
        .unwrap();
        let kitchens = organisation_named(s, &c, "GB-COH-08888888").await.unwrap();
        let file = "Date,Supplier,Amount,Expense Type\n\
                01/07/2024,Soho Road Kitchens Ltd,1500.00,Catering\n\
                02/07/2024,Big Facilities PLC,500.00,Cleaning\n";
        useit_app::anchors::import_spend_file(
            s,
            &c,
            useit_app::anchors::SpendUpload {
                anchor: &trust.slug,
                file_name: "trust.csv",
                bytes: file.as_bytes(),
                options: Default::default(),
            },
            &|_| {},
        )
        .await
        .unwrap();
        let key = supplier_key(s, &c, "Soho Road Kitchens Ltd").await;
        useit_app::anchors::suppliers::decide(s, &c, &key, Some(kitchens))
            .await
            .unwrap();
        // The ledger kept between requests, as the server keeps it.
        let ledgers = Ledgers::new(4);
        let before = measures(s, &c, &ledgers, &LineFilter::default())
            .await
            .unwrap();

        // A profile meeting the three criteria recognises it: its kind
        // changes, the spend measures follow at once, the log says so.
        let saved = save_profile(
            s,
            &c,
            kitchens,
            &ProfileInput {
                social_purpose: "yes".into(),
                reinvests_profits: "yes".into(),
                mission_ownership: "yes".into(),
                services: "catering".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(saved.kind, SupplierKind::SocialEnterprise);
        let after = measures(s, &c, &ledgers, &LineFilter::default())
            .await
            .unwrap();
        assert_eq!(after.measures.total, before.measures.total);
        assert_eq!(
            after.measures.social_economy - before.measures.social_economy,
            150_000,
            "its £1,500 now counts as spend with social enterprises"
        );
        let said: Vec<String> = s
            .audit_list(
                &AuditFilter {
                    programme_id: Some(c.programme),
                    subject_type: Some("enterprise_profile".into()),
                    subject_id: Some(kitchens.to_string()),
                    ..Default::default()
                },
                PageRequest {
                    page: 1,
                    per_page: 10,
                },
            )
            .await
            .unwrap()
            .items
            .into_iter()
            .map(|e| e.summary)
            .collect();
        assert!(
            said.iter()
                .any(|x| x.contains("recognised as a social enterprise")),
            "{said:?}"
        );
    }
);

fn ids_of(
    pairs: &[useit_app::enterprise::merge::Duplicate],
) -> Vec<(Uuid, Uuid, Vec<DuplicateReason>)> {
    pairs
        .iter()
        .map(|p| (p.keep.id, p.other.id, p.reasons.clone()))
        .collect()
}

story!(the_pairs_are_kept_per_revision_and_paged, |store: Arc<
    dyn Store,
>| async move {
    let c = setup(&store).await;
    let s = store.as_ref();
    let add = |name: &'static str| {
        let store = store.clone();
        let c = c.clone();
        async move {
            add_enterprise(
                store.as_ref(),
                &c,
                &NewEnterpriseInput {
                    name: name.into(),
                    // Two of one name at one postcode are one: a twin
                    // is entered elsewhere.
                    postcode: if ["Ltd", "CIC", "Limited"].iter().any(|x| name.ends_with(x)) {
                        "B21 9NH".into()
                    } else {
                        "B66 2QT".into()
                    },
                },
            )
            .await
            .unwrap()
            .id
        }
    };
    let able = add("Able Works").await;
    let able_ltd = add("Able Works Ltd").await;
    for name in [
        "Bold Kitchen",
        "The Bold Kitchen CIC",
        "Cape Hill Cycles",
        "Cape Hill Cycles Limited",
    ] {
        add(name).await;
    }
    add("Elsewhere").await;
    let kept = Ledgers::new(4);
    let page = |n: u32| PageRequest::new(Some(n), Some(2));
    let first = duplicates_page(s, &c, &kept, page(1)).await.unwrap();
    let second = duplicates_page(s, &c, &kept, page(2)).await.unwrap();
    assert_eq!(
        (first.total, first.items.len(), second.items.len()),
        (3, 2, 1)
    );
    // The pages, one after the other, are the whole list.
    let mut paged = first.items.clone();
    paged.extend(second.items.clone());
    let whole = duplicates(s, &c).await.unwrap();
    assert_eq!(ids_of(&paged), ids_of(&whole));
    // Asked again with nothing changed: the same, from what was kept.
    assert_eq!(
        ids_of(&duplicates_page(s, &c, &kept, page(1)).await.unwrap().items),
        ids_of(&first.items)
    );

    // A new organisation moves the revision: its pair is listed at once.
    let dale = add("Dale Repairs").await;
    let dale_cic = add("Dale Repairs CIC").await;
    let all = duplicates_page(s, &c, &kept, PageRequest::new(Some(1), Some(10)))
        .await
        .unwrap();
    assert_eq!(all.total, 4);
    assert!(pair_of(&all.items, dale, dale_cic).is_some());
    // With nothing to tell them apart the first by name is kept; a
    // profile saved for the other moves the revision and the choice.
    assert_eq!(pair_of(&all.items, able, able_ltd).unwrap().0, able);
    save_profile(
        s,
        &c,
        able_ltd,
        &ProfileInput {
            social_purpose: "yes".into(),
            staff: "4".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let all = duplicates_page(s, &c, &kept, PageRequest::new(Some(1), Some(10)))
        .await
        .unwrap();
    assert_eq!(pair_of(&all.items, able, able_ltd).unwrap().0, able_ltd);
    // Said not to be duplicates: gone from the next page asked for,
    // though nothing the pairs are worked out from moved.
    assert!(not_duplicate(s, &c, dale_cic, dale).await.unwrap());
    let all = duplicates_page(s, &c, &kept, PageRequest::new(Some(1), Some(10)))
        .await
        .unwrap();
    assert_eq!(all.total, 3);
    assert!(pair_of(&all.items, dale, dale_cic).is_none());
    assert_eq!(
        ids_of(&all.items),
        ids_of(&duplicates(s, &c).await.unwrap())
    );
    // A page past the end (its last pair dismissed, say) shows the last.
    let past = duplicates_page(s, &c, &kept, page(9)).await.unwrap();
    assert_eq!((past.page, past.items.len(), past.total), (2, 1, 3));
});

async fn resolved_to(store: &dyn Store, c: &Caller, name: &str) -> Option<Uuid> {
    let key = supplier_key(store, c, name).await;
    store
        .supplier(c.programme, &key)
        .await
        .unwrap()
        .unwrap()
        .organisation
        .map(|o| o.id)
}

story!(
    duplicates_across_the_register_and_loads_after_a_merge,
    |store: Arc<dyn Store>| async move {
        use useit_app::anchors::register::{RegisterOptions, RegisterUpload, load_register};
        use useit_app::enterprise::directory_csv::import_directory;
        use useit_core::anchors::register::RegisterFormat;
        let c = setup(&store).await;
        let s = store.as_ref();
        let trust = useit_app::anchors::anchor::save_anchor(
            s,
            &c,
            &useit_core::anchors::anchor::AnchorInput {
                slug: "trust".into(),
                name: "Sandwell and West Birmingham NHS Trust".into(),
                kind: "nhs_trust".into(),
                official_code: "RXK".into(),
                local_authority_code: String::new(),
                sites: String::new(),
                column_mapping: String::new(),
            },
        )
        .await
        .unwrap();
        // The spend register: organisations the suppliers resolve to, none of
        // them in the enterprise directory.
        useit_app::anchors::register::load_organisations(
            s,
            &c,
            &[
                registered(
                    "GB-COH-01234567",
                    "ACME CARE LIMITED",
                    SupplierKind::Sme,
                    "B66 1AA",
                ),
                registered(
                    "GB-CHC-1100001",
                    "FRIENDS OF DUDLEY ROAD",
                    SupplierKind::Vcse,
                    "B18 7QH",
                ),
                registered(
                    "GB-COH-07777777",
                    "WEST SMETHWICK FOODS LIMITED",
                    SupplierKind::Sme,
                    "B66 2AA",
                ),
                registered(
                    "GB-COH-05555555",
                    "BIG FACILITIES PLC",
                    SupplierKind::LargeCompany,
                    "B1 1AA",
                ),
            ],
        )
        .await
        .unwrap();
        let acme = organisation_named(s, &c, "GB-COH-01234567").await.unwrap();
        let friends = organisation_named(s, &c, "GB-CHC-1100001").await.unwrap();
        let foods = organisation_named(s, &c, "GB-COH-07777777").await.unwrap();
        let big = organisation_named(s, &c, "GB-COH-05555555").await.unwrap();
        assert!(s.enterprises(c.programme).await.unwrap().is_empty());
        let file = "Date,Supplier,Amount,Expense Type\n\
                01/07/2024,Acme Care Ltd,1000.00,Care\n\
                02/07/2024,West Smethwick Foods Ltd,300.00,Catering\n\
                03/07/2024,Acme Home Care Ltd,200.00,Care\n";
        useit_app::anchors::import_spend_file(
            s,
            &c,
            useit_app::anchors::SpendUpload {
                anchor: &trust.slug,
                file_name: "trust.csv",
                bytes: file.as_bytes(),
                options: Default::default(),
            },
            &|_| {},
        )
        .await
        .unwrap();
        for (name, org) in [("Acme Care Ltd", acme), ("West Smethwick Foods Ltd", foods)] {
            let key = supplier_key(s, &c, name).await;
            useit_app::anchors::suppliers::decide(s, &c, &key, Some(org))
                .await
                .unwrap();
        }
        assert_eq!(resolved_to(s, &c, "Acme Home Care Ltd").await, None);

        // The directory: the same company with its number written without
        // the leading zero, the same charity likewise, and the foods company
        // added by an adviser under a local identifier.
        let directory = "org_id,name,postcode,social_purpose,reinvests_profits,mission_ownership,staff\n\
                     GB-COH-1234567,Acme Home Support CIC,B66 3ZZ,yes,yes,yes,20\n\
                     GB-CHC-01100001,Dudley Road Friends,B18 7ZZ,yes,yes,yes,3\n";
        import_directory(s, &c, "directory.csv", directory.as_bytes())
            .await
            .unwrap();
        let home = organisation_named(s, &c, "GB-COH-1234567").await.unwrap();
        let road = organisation_named(s, &c, "GB-CHC-01100001").await.unwrap();
        let kitchen = add_enterprise(
            s,
            &c,
            &NewEnterpriseInput {
                name: "West Smethwick Foods CIC".into(),
                postcode: "B66 2QT".into(),
            },
        )
        .await
        .unwrap();
        save_profile(
            s,
            &c,
            kitchen.id,
            &ProfileInput {
                legal_form: "cic".into(),
                social_purpose: "yes".into(),
                reinvests_profits: "yes".into(),
                mission_ownership: "yes".into(),
                staff: "7".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();

        // Each register organisation is offered beside its directory twin.
        let pairs = duplicates(s, &c).await.unwrap();
        let (_, why) = pair_of(&pairs, acme, home).expect("the company pair");
        assert_eq!(
            why,
            vec![DuplicateReason::CompanyNumber, DuplicateReason::Identifier]
        );
        let (_, why) = pair_of(&pairs, friends, road).expect("the charity pair");
        assert_eq!(
            why,
            vec![DuplicateReason::CharityNumber, DuplicateReason::Identifier]
        );
        let (keep, why) = pair_of(&pairs, foods, kitchen.id).expect("the name pair");
        assert_eq!(why, vec![DuplicateReason::Name]);
        // The official identifier is suggested to keep over the local one.
        assert_eq!(keep, foods);
        assert!(
            pairs.iter().all(|p| p.keep.id != big && p.other.id != big),
            "{pairs:?}"
        );
        assert_eq!(pairs.len(), 3, "{pairs:?}");

        // Merged as suggested: the supplier's organisation takes the
        // directory's profile and its recognition as a social enterprise.
        assert!(matches!(
            merge(s, &c, foods, kitchen.id).await.unwrap(),
            Merged::Merged { .. }
        ));
        let kept = s.enterprise(c.programme, foods).await.unwrap().unwrap();
        assert_eq!(kept.kind, SupplierKind::SocialEnterprise);
        assert_eq!(kept.profile.as_ref().and_then(|p| p.staff), Some(7));
        assert_eq!(kept.org_id, "GB-COH-07777777");
        assert_eq!(
            resolved_to(s, &c, "West Smethwick Foods Ltd").await,
            Some(foods)
        );
        // The other way round: the directory's enterprise kept, the supplier's
        // organisation merged into it (its spend and company number follow).
        assert!(matches!(
            merge(s, &c, home, acme).await.unwrap(),
            Merged::Merged { counts } if counts.suppliers == 1
        ));
        assert_eq!(resolved_to(s, &c, "Acme Care Ltd").await, Some(home));
        let kept = s.enterprise(c.programme, home).await.unwrap().unwrap();
        assert_eq!(kept.company_number.as_deref(), Some("01234567"));
        assert!(s.enterprise(c.programme, acme).await.unwrap().is_none());
        let pairs = duplicates(s, &c).await.unwrap();
        assert_eq!(pairs.len(), 1, "{pairs:?}");

        // The register loaded again: the merged-away org-ids update the ones
        // kept and nothing comes back; the kept ones stay social enterprises;
        // a supplier waiting for a match finds the kept one by its new name.
        let held = s.organisation_ids(c.programme).await.unwrap().len();
        let again = "org_id,name,kind,company_number,postcode,trading_postcode\n\
                 GB-COH-01234567,ACME HOME CARE LIMITED,sme,01234567,B66 1AB,\n\
                 GB-COH-07777777,WEST SMETHWICK FOODS LIMITED,sme,07777777,B66 2AA,\n\
                 GB-CHC-1100001,FRIENDS OF DUDLEY ROAD,vcse,,B18 7QH,\n";
        let loaded = load_register(
            s,
            &c,
            RegisterUpload {
                format: RegisterFormat::Useit,
                file_name: "again.csv".into(),
                source: Box::new(std::io::Cursor::new(again.as_bytes().to_vec())),
                options: RegisterOptions::default(),
            },
            Arc::new(|_| {}),
        )
        .await
        .unwrap();
        assert_eq!(loaded.outcome.new, 0, "{:?}", loaded.outcome);
        assert_eq!(s.organisation_ids(c.programme).await.unwrap().len(), held);
        let kept = s.enterprise(c.programme, home).await.unwrap().unwrap();
        assert_eq!(kept.name, "ACME HOME CARE LIMITED");
        assert_eq!(kept.org_id, "GB-COH-1234567");
        assert_eq!(kept.postcode.as_deref(), Some("B66 1AB"));
        assert_eq!(kept.kind, SupplierKind::SocialEnterprise);
        assert!(s.enterprise(c.programme, acme).await.unwrap().is_none());
        assert_eq!(
            s.enterprise(c.programme, foods)
                .await
                .unwrap()
                .unwrap()
                .kind,
            SupplierKind::SocialEnterprise
        );
        assert_eq!(resolved_to(s, &c, "Acme Home Care Ltd").await, Some(home));
        // The same through the demo's path (entries already read), and a
        // directory file naming the merged-away org-id changes the kept one.
        useit_app::anchors::register::load_organisations(
            s,
            &c,
            &[registered(
                "GB-COH-01234567",
                "ACME HOME CARE LIMITED",
                SupplierKind::Sme,
                "B66 1AB",
            )],
        )
        .await
        .unwrap();
        let directory =
            "org_id,name,postcode,staff\nGB-COH-01234567,ACME HOME CARE LIMITED,B66 1AB,25\n";
        let i = import_directory(s, &c, "again.csv", directory.as_bytes())
            .await
            .unwrap();
        assert_eq!(i.outcome.created, 0, "{:?}", i.report);
        assert_eq!(s.organisation_ids(c.programme).await.unwrap().len(), held);
        let kept = s.enterprise(c.programme, home).await.unwrap().unwrap();
        assert_eq!(kept.profile.and_then(|p| p.staff), Some(25));
    }
);

/// The merge's list of columns pointing at organisations, against the
/// foreign keys each database's own catalogue holds: a new table with a
/// foreign key into `organisations` fails here until the merge deals
/// with it (`useit_store::enterprise::merge::REFERENCES`).
async fn merge_covers_every_foreign_key(db: &useit_testkit::TestDb) {
    use useit_store::enterprise::merge::REFERENCES;
    let schema = db.references_to("organisations").await;
    assert!(
        schema.len() >= 15,
        "the catalogue read too few foreign keys: {schema:?}"
    );
    let listed: Vec<(String, String)> = REFERENCES
        .iter()
        .map(|r| (r.table.to_string(), r.column.to_string()))
        .collect();
    let missing: Vec<_> = schema.iter().filter(|r| !listed.contains(r)).collect();
    assert!(
        missing.is_empty(),
        "columns referencing organisations that merge_organisations does not deal with: {missing:?}"
    );
    let stale: Vec<_> = listed.iter().filter(|r| !schema.contains(r)).collect();
    assert!(stale.is_empty(), "listed but not in the schema: {stale:?}");
}

mod the_merge_covers_every_foreign_key {
    use super::*;

    #[tokio::test]
    async fn sqlite() {
        let db = useit_testkit::TestDb::sqlite().await;
        merge_covers_every_foreign_key(&db).await;
        db.finish().await;
    }

    #[tokio::test]
    async fn postgres() {
        let Some(db) = useit_testkit::TestDb::postgres().await else {
            return;
        };
        merge_covers_every_foreign_key(&db).await;
        db.finish().await;
    }
}
