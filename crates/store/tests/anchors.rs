//! Spend stories on SQLite and PostgreSQL: a real published file imports
//! to its publisher's total, once; an overlapping file adds only its new
//! lines; a bad line stops the whole file (or is skipped on request); a
//! supplier decision made once applies to the next import; and the
//! measures over the stored ledger equal the hand-computed ones.

use std::io::Read;
use std::sync::Arc;

use useit_core::ProgrammeId;
use useit_core::anchors::measures::{Geography, SupplierKind, measure};
use useit_core::anchors::spend_file::ColumnMapping;
use useit_core::audit::Actor;
use useit_core::programme::NewProgramme;
use useit_store::Store;
use useit_store::anchors::*;
use useit_testkit::story;

fn actor() -> Actor {
    Actor::system("test")
}

fn real(path: &str) -> Vec<u8> {
    let p = format!(
        "{}/../../data/test/spend/{path}.gz",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&p).unwrap_or_else(|e| panic!("{p}: {e}")))
        .read_to_end(&mut out)
        .unwrap();
    out
}

async fn setup(store: &Arc<dyn Store>) -> (ProgrammeId, Anchor) {
    let p = store
        .create_programme(
            &NewProgramme {
                slug: "spend".into(),
                name: "Spend".into(),
                description: String::new(),
            },
            None,
            &actor(),
        )
        .await
        .unwrap();
    let anchor = store
        .save_anchor(
            p.id,
            &AnchorInput {
                slug: "trust".into(),
                name: "The Trust".into(),
                kind: AnchorKind::NhsTrust,
                official_code: Some("R1K".into()),
                local_authority_code: Some("E08000025".into()),
                column_mapping: ColumnMapping::default(),
                sites: vec![Site {
                    name: "Main".into(),
                    postcode: "B18 7QH".into(),
                }],
            },
            &actor(),
        )
        .await
        .unwrap();
    (p.id, anchor)
}

async fn import(
    store: &Arc<dyn Store>,
    p: ProgrammeId,
    anchor: &Anchor,
    name: &str,
    bytes: &[u8],
    skip: bool,
) -> SpendImportResult {
    import_spend_file(
        store.as_ref(),
        p,
        anchor,
        name,
        bytes,
        &SpendImportOptions {
            skip_bad_lines: skip,
            undated_lines_on: None,
        },
        &|_| {},
        &actor(),
    )
    .await
    .unwrap()
}

fn imported(r: SpendImportResult) -> ImportOutcome {
    match r {
        SpendImportResult::Imported(o, _) => o,
        SpendImportResult::Rejected(report) => panic!("rejected: {report}"),
    }
}

async fn ledger_total(store: &Arc<dyn Store>, p: ProgrammeId) -> (usize, i64) {
    let l = store.ledger(p, None).await.unwrap();
    (l.len(), l.iter().map(|r| r.amount).sum())
}

story!(
    real_file_once_and_overlaps_once,
    |store: Arc<dyn Store>| async move {
        let (p, anchor) = setup(&store).await;
        let bytes = real("nhs_trusts_2020-21/LNWU/LNWU 12 - March.csv");
        let o = imported(import(&store, p, &anchor, "LNWU 12 - March.csv", &bytes, false).await);
        assert_eq!(
            (o.lines_read, o.lines_new, o.total_new),
            (355, 355, 6_446_376_582)
        );
        assert_eq!(ledger_total(&store, p).await, (355, 6_446_376_582));
        // The same file again changes nothing.
        let again =
            imported(import(&store, p, &anchor, "LNWU 12 - March.csv", &bytes, false).await);
        assert!(again.already_imported);
        assert_eq!(ledger_total(&store, p).await, (355, 6_446_376_582));
        assert_eq!(store.spend_files(p).await.unwrap().len(), 1);
        // A re-published file with the first 100 lines and one new line adds only the new one.
        let text = String::from_utf8(bytes.clone()).unwrap();
        let mut overlap: Vec<&str> = text.split("\r\n").take(101).collect();
        overlap.push("Department of Health,London North West Healthcare NHS Trust,31/03/2021,Reserves,Training Costs,\"Ladywood \"\"Kitchen\"\", CIC\",999,1,\"30,000.00\"");
        let o = imported(
            import(
                &store,
                p,
                &anchor,
                "LNWU March revised.csv",
                overlap.join("\r\n").as_bytes(),
                false,
            )
            .await,
        );
        assert_eq!(
            (o.lines_read, o.lines_new, o.total_new),
            (101, 1, 3_000_000)
        );
        assert_eq!(
            ledger_total(&store, p).await,
            (356, 6_446_376_582 + 3_000_000)
        );
    }
);

story!(
    a_bad_line_stops_the_file,
    |store: Arc<dyn Store>| async move {
        let (p, anchor) = setup(&store).await;
        let file = "Date,Supplier,Amount\n02/04/2020,Acme Ltd,100.00\n03/04/2020,Bywest Ltd,12.34.00\n04/04/2020,Cerner Ltd,5.00\n";
        match import(&store, p, &anchor, "bad.csv", file.as_bytes(), false).await {
            SpendImportResult::Rejected(report) => {
                let text = report.to_string();
                assert!(text.contains("bad.csv:3:3: error:"), "{text}");
                assert_eq!(report.error_count(), 1);
            }
            SpendImportResult::Imported(..) => panic!("a bad line must stop the import"),
        }
        assert_eq!(ledger_total(&store, p).await, (0, 0));
        assert!(store.spend_files(p).await.unwrap().is_empty());
        assert!(store.suppliers(p, None).await.unwrap().is_empty());
        // Asked to, the good lines go in and the bad one is listed.
        match import(&store, p, &anchor, "bad.csv", file.as_bytes(), true).await {
            SpendImportResult::Imported(o, report) => {
                assert_eq!((o.lines_new, o.total_new), (2, 10_500));
                assert!(report.to_string().contains("bad.csv:3:3"));
            }
            SpendImportResult::Rejected(r) => panic!("{r}"),
        }
    }
);

story!(
    a_supplier_decision_applies_to_the_next_import,
    |store: Arc<dyn Store>| async move {
        let (p, anchor) = setup(&store).await;
        let other = store
            .save_anchor(
                p,
                &AnchorInput {
                    slug: "council".into(),
                    name: "The Council".into(),
                    kind: AnchorKind::Council,
                    official_code: None,
                    local_authority_code: Some("E08000028".into()),
                    column_mapping: ColumnMapping::parse(&[
                        "paid_on=When".into(),
                        "supplier=Who".into(),
                        "amount=How much".into(),
                    ])
                    .unwrap(),
                    sites: vec![],
                },
                &actor(),
            )
            .await
            .unwrap();
        let org = |id: &str, name: &str, kind, pc: &str| OrganisationInput {
            org_id: id.into(),
            name: name.into(),
            kind,
            company_number: None,
            postcode: Some(pc.into()),
            trading_postcode: None,
            source: "test".into(),
        };
        let register = vec![
            org(
                "GB-COH-00000001",
                "LADYWOOD COMMUNITY KITCHEN CIC",
                SupplierKind::SocialEnterprise,
                "B16 8SN",
            ),
            org(
                "GB-COH-00000002",
                "BYWEST LIMITED",
                SupplierKind::Sme,
                "B70 8DJ",
            ),
        ];
        assert_eq!(
            store
                .load_organisations(p, &register, &actor())
                .await
                .unwrap(),
            2
        );
        assert_eq!(
            store
                .load_organisations(p, &register, &actor())
                .await
                .unwrap(),
            0
        );
        let file = "Date,Supplier,Amount,Expense Type\n02/04/2020,Bywest Ltd,100.00,Building\n03/04/2020,Ladywood Comm. Kitchen,50.00,Catering\n";
        let o = imported(import(&store, p, &anchor, "april.csv", file.as_bytes(), false).await);
        assert_eq!((o.new_suppliers, o.matched, o.to_review), (2, 1, 1));
        let queue = store
            .suppliers(p, Some(SupplierStatus::Review))
            .await
            .unwrap();
        assert_eq!(queue.len(), 1);
        let key = queue[0].key.clone();
        let cands = store.supplier_candidates(p, &key).await.unwrap();
        assert_eq!(cands[0].organisation.org_id, "GB-COH-00000001");
        assert_eq!(cands[0].reason, "supplier.reason.similar_name");
        let decided = store
            .decide_supplier(p, &key, Some(cands[0].organisation.id), &actor())
            .await
            .unwrap();
        assert_eq!(decided.status, SupplierStatus::Accepted);
        // Next month, through the other anchor's saved mapping: the decision holds.
        let may = "When,Who,How much\n02/05/2020,LADYWOOD COMM KITCHEN,25.00\n";
        let o = imported(import(&store, p, &other, "may.csv", may.as_bytes(), false).await);
        assert_eq!((o.new_suppliers, o.to_review), (0, 0));
        let s = store.supplier(p, &key).await.unwrap().unwrap();
        assert_eq!(
            (s.status, s.lines, s.total),
            (SupplierStatus::Accepted, 2, 7_500)
        );
        assert_eq!(s.organisation.unwrap().kind, SupplierKind::SocialEnterprise);

        // The measures over what is stored: both suppliers resolve to real
        // postcodes; the kitchen (B16 8SN, Ladywood, Birmingham) is a social enterprise.
        let anchors = store.list_anchors(p).await.unwrap();
        let inputs = measure_inputs(store.as_ref(), p, &anchors).await.unwrap();
        let m = measure(
            &inputs.lines,
            &inputs.lines,
            &inputs.suppliers,
            &inputs.settings.rules,
            Geography::LocalAuthority,
            10,
        );
        assert_eq!(
            (m.total, m.influenceable, m.social_economy),
            (17_500, 17_500, 7_500)
        );
        // Decision on another programme's supplier: not found.
        let other_p = store
            .create_programme(
                &NewProgramme {
                    slug: "other".into(),
                    name: "Other".into(),
                    description: String::new(),
                },
                None,
                &actor(),
            )
            .await
            .unwrap();
        assert!(
            store
                .decide_supplier(other_p.id, &key, None, &actor())
                .await
                .is_err()
        );
        assert!(store.ledger(other_p.id, None).await.unwrap().is_empty());
    }
);
