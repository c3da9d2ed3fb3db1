//! The registers read from real files: the three Companies House samples in
//! `data/test/registers` (the published CSV, a pandas re-save, an Excel
//! tab-separated copy with bare quotes), the Charity Commission extract
//! layout, and the drkane lookups. Expected figures were counted separately
//! with Python's csv module (see `data/test/registers/SOURCE.md`).

use std::collections::HashMap;
use std::io::Read;

use time::macros::date;

use super::*;
use crate::anchors::supplier::name_key;
use crate::csv_import::Severity;

fn sample(path: &str) -> Vec<u8> {
    let full = format!(
        "{}/../../data/test/registers/{path}",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"));
    if path.ends_with(".gz") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut out)
            .unwrap();
        out
    } else {
        bytes
    }
}

fn read_all(
    format: RegisterFormat,
    bytes: &[u8],
    filter: &RegisterFilter,
) -> (Vec<RegisterRecord>, ReadSummary, Report) {
    let mut report = Report::new("sample");
    let mut out = Vec::new();
    let summary = read_register(format, bytes, filter, &mut report, |r| out.push(r));
    assert!(summary.balances(), "{summary:?}");
    assert_eq!(summary.records, out.len() as u64);
    (out, summary, report)
}

fn count_by<K: std::hash::Hash + Eq>(
    records: &[RegisterRecord],
    key: impl Fn(&RegisterRecord) -> K,
) -> HashMap<K, usize> {
    let mut m = HashMap::new();
    for r in records {
        *m.entry(key(r)).or_insert(0) += 1;
    }
    m
}

fn lines_in(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|b| **b == b'\n').count() as u64
}

#[test]
fn the_published_csv_reads_every_row() {
    let bytes = sample("companies_house/mrbrianevans_basic-sample.csv");
    assert_eq!(
        RegisterFormat::detect(&bytes),
        Some(RegisterFormat::CompaniesHouse)
    );
    let (records, summary, report) = read_all(
        RegisterFormat::CompaniesHouse,
        &bytes,
        &RegisterFilter::everything(),
    );
    assert_eq!(report.problems, vec![], "{report}");
    assert_eq!((summary.lines, summary.rows, summary.records), (32, 31, 31));
    assert_eq!(summary.bytes, bytes.len() as u64);
    let first = &records[0];
    assert_eq!(
        first,
        &RegisterRecord {
            org_id: "GB-COH-12778855".into(),
            name: "! LIMITED".into(),
            legal_form: LegalForm::PrivateLimited,
            kind: SupplierKind::Sme,
            company_number: Some("12778855".into()),
            charity_number: None,
            postcode: Some("S35 2PH".into()),
            town: Some("SHEFFIELD".into()),
            sic: vec![SicCode {
                code: "78300".into(),
                text: "Human resources provision and management of human resources functions"
                    .into()
            }],
            status: RegisterStatus::Active,
            status_text: "Active".into(),
            registered_on: Some(date!(2020 - 07 - 29)),
            ended_on: None,
            source: RegisterSource::CompaniesHouse,
            line: 2,
        }
    );
    let by_number: HashMap<&str, &RegisterRecord> = records
        .iter()
        .map(|r| (r.company_number.as_deref().unwrap(), r))
        .collect();
    // Doubled quotes are one quote; a CIO is VCSE with no address.
    let cio = by_number["CE000952"];
    assert_eq!(cio.name, "\"20-20 VOICE\" CANCER");
    assert_eq!(
        (cio.legal_form, cio.kind, cio.postcode.as_deref()),
        (LegalForm::Cio, SupplierKind::Vcse, None)
    );
    assert_eq!(
        by_number["11303802"].name,
        "\"1ST RATE\" PSYCHOLOGY SERVICES LTD"
    );
    // An overseas company's branch: kind not known; its foreign address
    // without a postcode gives no warning.
    let fc = by_number["FC027187"];
    assert_eq!(
        (fc.legal_form, fc.kind, fc.postcode.as_deref()),
        (LegalForm::Other, SupplierKind::Unknown, None)
    );
    assert_eq!(by_number["FC031362"].postcode.as_deref(), Some("GY1 1EW"));
    // SIC codes: up to four; "None Supplied" is none.
    assert_eq!(records.iter().map(|r| r.sic.len()).sum::<usize>(), 34);
    assert_eq!(
        records
            .iter()
            .filter(|r| r.company_number.as_ref().unwrap().starts_with("SC"))
            .count(),
        3
    );
}

#[test]
fn the_pandas_copy_reads_every_row_with_its_categories_and_numbers() {
    let bytes = sample("companies_house/simisolaoluuk_companies_sample.csv.gz");
    let (records, summary, report) = read_all(
        RegisterFormat::CompaniesHouse,
        &bytes,
        &RegisterFilter::everything(),
    );
    assert_eq!(report.error_count(), 0, "{report}");
    assert_eq!(
        (summary.rows, summary.records, summary.lines),
        (7000, 7000, lines_in(&bytes))
    );
    // Postcodes: 6,865 read; 120 blank; 5 unreadable ones at UK addresses
    // are warned about (the other 10 are foreign addresses).
    assert_eq!(
        records.iter().filter(|r| r.postcode.is_some()).count(),
        6865
    );
    assert_eq!(report.warning_count(), 5, "{report}");
    assert!(report.warnings().all(|w| {
        w.message.key == "anchors.register.postcode_bad"
            && w.column
                .as_ref()
                .is_some_and(|c| c.number == 10 && c.name == "RegAddress.PostCode")
    }));
    // Tidied: upper case, one space.
    assert!(
        records
            .iter()
            .flat_map(|r| &r.postcode)
            .all(|p| Postcode::parse(p).unwrap().to_string() == *p)
    );
    let forms = count_by(&records, |r| r.legal_form);
    assert_eq!(forms[&LegalForm::PrivateLimited], 5753);
    assert_eq!(forms[&LegalForm::Guarantee], 968 + 13);
    assert_eq!(forms[&LegalForm::CommunityInterestCompany], 47);
    assert_eq!(forms[&LegalForm::Cio], 28 + 2);
    assert_eq!(forms[&LegalForm::PublicLimited], 26);
    assert_eq!(forms[&LegalForm::RegisteredSociety], 5);
    assert_eq!(forms[&LegalForm::OverseasEntity], 47);
    assert_eq!(forms[&LegalForm::OldPublic], 5);
    assert_eq!(forms[&LegalForm::RoyalCharter], 4);
    assert_eq!(forms[&LegalForm::Other], 31);
    let kinds = count_by(&records, |r| r.kind);
    assert_eq!(kinds[&SupplierKind::SocialEnterprise], 47 + 5);
    assert_eq!(kinds[&SupplierKind::Vcse], 30);
    assert_eq!(kinds[&SupplierKind::LargeCompany], 26);
    assert_eq!(kinds[&SupplierKind::Sme], 5373);
    let statuses = count_by(&records, |r| r.status);
    assert_eq!(statuses[&RegisterStatus::Active], 6039);
    assert_eq!(statuses[&RegisterStatus::ProposalToStrikeOff], 383);
    assert_eq!(
        statuses[&RegisterStatus::Insolvency],
        553 + 16 + 6 + 1 + 1 + 1
    );
    assert!(
        records
            .iter()
            .all(|r| r.status.is_live() && r.registered_on.is_some())
    );
    // Every number is eight characters, prefixes kept.
    assert!(
        records
            .iter()
            .all(|r| r.company_number.as_ref().unwrap().len() == 8)
    );
    let prefixes = count_by(&records, |r| {
        r.company_number.as_ref().unwrap()[..2].to_string()
    });
    for (p, n) in [
        ("SC", 164),
        ("NI", 56),
        ("OE", 47),
        ("OC", 33),
        ("FC", 31),
        ("CE", 28),
        ("LP", 16),
        ("IP", 4),
        ("RS", 1),
        ("SO", 1),
    ] {
        assert_eq!(prefixes[p], n, "{p}");
    }
    assert!(
        records
            .iter()
            .all(|r| r.org_id == format!("GB-COH-{}", r.company_number.as_ref().unwrap()))
    );
}

#[test]
fn the_filter_keeps_a_region_or_the_suppliers_names() {
    let bytes = sample("companies_house/simisolaoluuk_companies_sample.csv.gz");
    let mut filter = RegisterFilter::everything();
    filter.postcode_areas = ["B", "WS", "WV", "DY"].map(String::from).into();
    let (records, summary, _) = read_all(RegisterFormat::CompaniesHouse, &bytes, &filter);
    assert_eq!((summary.records, summary.filtered_out), (259, 7000 - 259));
    assert!(records.iter().all(|r| {
        let area = Postcode::parse(r.postcode.as_ref().unwrap())
            .unwrap()
            .area()
            .to_string();
        ["B", "WS", "WV", "DY"].contains(&area.as_str())
    }));
    // A supplier's name as a ledger spells it finds the company too.
    filter
        .name_keys
        .insert(name_key("\"1st Rate\" Psychology Services Limited"));
    let (records, summary, _) = read_all(RegisterFormat::CompaniesHouse, &bytes, &filter);
    assert_eq!(summary.records, 260);
    assert!(records.iter().any(|r| r.org_id == "GB-COH-11303802"));
    // Live only: the free product has no dissolved companies, so all stay.
    filter.live_only = true;
    assert_eq!(
        read_all(RegisterFormat::CompaniesHouse, &bytes, &filter)
            .1
            .records,
        260
    );
}

#[test]
fn the_tab_separated_copy_with_bare_quotes_reads_every_row() {
    let bytes = sample("companies_house/kamranafridi_companies_sample.csv.gz");
    assert_eq!(
        RegisterFormat::detect(&bytes),
        Some(RegisterFormat::CompaniesHouse)
    );
    let (records, summary, report) = read_all(
        RegisterFormat::CompaniesHouse,
        &bytes,
        &RegisterFilter::everything(),
    );
    // 20,000 lines, no header: 20,000 rows in, 20,000 records out. Python's
    // csv reader, honouring quotes, makes 19,996 of them.
    assert_eq!(lines_in(&bytes), 20_000);
    assert_eq!(
        (
            summary.lines,
            summary.rows,
            summary.records,
            summary.refused
        ),
        (20_000, 20_000, 20_000, 0)
    );
    assert_eq!(report.error_count(), 0, "{report}");
    assert!(
        report
            .warnings()
            .all(|w| w.message.key == "anchors.register.postcode_bad"),
        "{report}"
    );
    assert_eq!(report.warning_count(), 10);
    let by_number: HashMap<&str, &RegisterRecord> = records
        .iter()
        .map(|r| (r.company_number.as_deref().unwrap(), r))
        .collect();
    // Quotes in names are kept as written, commas too.
    assert_eq!(by_number["05318740"].name, "\"B\" COOL LIMITED");
    assert_eq!(by_number["CE033707"].name, "\"B\"");
    let society = by_number["IP10067R"];
    assert_eq!(
        society.name,
        "\"ARTHUR BALFOUR\",CONSERVATIVE WORKING MEN'S CLUB LIMITED"
    );
    assert_eq!(
        (society.legal_form, society.kind),
        (LegalForm::RegisteredSociety, SupplierKind::SocialEnterprise)
    );
    assert_eq!(by_number["13310195"].postcode.as_deref(), Some("B24 9NB"));
    assert_eq!(records.last().unwrap().line, 20_000);
    let forms = count_by(&records, |r| r.legal_form);
    assert_eq!(forms[&LegalForm::PrivateLimited], 16_059);
    assert_eq!(forms[&LegalForm::CommunityInterestCompany], 74);
    assert_eq!(forms[&LegalForm::Cio], 45);
    assert_eq!(
        records.iter().filter(|r| r.postcode.is_some()).count(),
        19_770
    );
    // No accounts column: private companies count as small or medium.
    assert_eq!(
        count_by(&records, |r| r.kind)[&SupplierKind::Sme],
        16_059 + 90 + 57 + 22
    );
    // No SIC or date columns in this copy.
    assert!(
        records
            .iter()
            .all(|r| r.sic.is_empty() && r.registered_on.is_none())
    );
    // The same companies read the same from the published quoting.
    let csv = sample("companies_house/simisolaoluuk_companies_sample.csv.gz");
    let (quoted, _, _) = read_all(
        RegisterFormat::CompaniesHouse,
        &csv,
        &RegisterFilter::everything(),
    );
    for n in ["11303802", "13310195", "CE012989", "IP10067R", "05914136"] {
        let q = quoted
            .iter()
            .find(|r| r.company_number.as_deref() == Some(n))
            .unwrap();
        assert_eq!(q.name, by_number[n].name, "{n}");
    }
}

#[test]
fn a_broken_row_is_named_by_line_and_column_and_the_rest_still_read() {
    // A published row, every field quoted, with some fields changed.
    let row = |n: &str, changes: &[(usize, &str)]| {
        let mut f = vec![String::new(); 55];
        f[0] = format!("COMPANY {n} LIMITED");
        f[1] = n.to_string();
        f[9] = "B18 7QH".into();
        f[10] = "Private Limited Company".into();
        f[11] = "Active".into();
        for (i, v) in changes {
            f[*i] = v.to_string();
        }
        f.iter()
            .map(|v| format!("\"{v}\""))
            .collect::<Vec<_>>()
            .join(",")
    };
    let text = [
        bench::HEADER.to_string(),
        row("00000001", &[]),
        // Line 3: one field too many.
        format!("{},\"extra\"", row("00000002", &[])),
        // Line 4: an unbalanced quote in the name, not doubled: it pairs
        // with the next quote, and the row does not fit.
        row("00000003", &[]).replacen("\"COMPANY 00000003 LIMITED\"", "\"LUXURA HOMES LTD", 1),
        // Line 5: no company number.
        row("00000004", &[(1, "")]),
        // Line 6: a number that is not one.
        row("00000005", &[(1, "12-345")]),
        // Line 7: a bad postcode and a bad date: read, warned.
        row("00000006", &[(9, "B18 7Q"), (14, "31/02/2020")]),
        row("00000007", &[]),
    ]
    .join("\n");
    let (records, summary, mut report) = read_all(
        RegisterFormat::CompaniesHouse,
        text.as_bytes(),
        &RegisterFilter::everything(),
    );
    report.sort();
    let found: Vec<(Severity, u64, Option<usize>, &str)> = report
        .problems
        .iter()
        .map(|p| {
            (
                p.severity,
                p.line,
                p.column.as_ref().map(|c| c.number),
                p.message.key.as_str(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            (Severity::Error, 3, Some(56), "anchors.register.field_count"),
            (Severity::Error, 4, Some(1), "anchors.register.quote_stray"),
            (
                Severity::Error,
                5,
                Some(2),
                "anchors.register.value_missing"
            ),
            (
                Severity::Error,
                6,
                Some(2),
                "anchors.register.company_number_bad"
            ),
            (
                Severity::Warning,
                7,
                Some(10),
                "anchors.register.postcode_bad"
            ),
            (Severity::Warning, 7, Some(15), "anchors.register.date_bad"),
        ]
    );
    assert_eq!(report.problems[0].column.as_ref().unwrap().name, "");
    assert_eq!(
        report.problems[2].column.as_ref().unwrap().name,
        "CompanyNumber"
    );
    assert_eq!((summary.rows, summary.records, summary.refused), (7, 3, 4));
    let names: Vec<&str> = records.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "COMPANY 00000001 LIMITED",
            "COMPANY 00000006 LIMITED",
            "COMPANY 00000007 LIMITED"
        ]
    );
    assert_eq!(
        (records[1].postcode.as_ref(), records[1].registered_on),
        (None, None)
    );
}

#[test]
fn a_stray_quote_refuses_one_row_not_the_file() {
    // A tab-separated copy saved *with* quoting: a quoted name holding a tab
    // cannot be split on tabs. The row is refused by line and column, and
    // the rows after it are read.
    let row = |name: &str, n: &str| {
        format!(
            "{name}\t{n}\t\t\t1 HIGH ST\t\tBIRMINGHAM\t\tENGLAND\tB1 1AA\tPrivate Limited Company\tActive\tUnited Kingdom"
        )
    };
    let text = [
        row("A LIMITED", "00000001"),
        row("\"TAB\tINSIDE LIMITED\"", "00000002"),
        row("C LIMITED", "00000003"),
    ]
    .join("\r\n");
    let (records, summary, report) = read_all(
        RegisterFormat::CompaniesHouse,
        text.as_bytes(),
        &RegisterFilter::everything(),
    );
    assert_eq!((summary.rows, summary.records, summary.refused), (3, 2, 1));
    let p = &report.problems[0];
    assert_eq!(
        (p.severity, p.line, p.message.key.as_str()),
        (Severity::Error, 2, "anchors.register.field_count")
    );
    assert_eq!(
        p.column.as_ref().map(|c| (c.number, c.name.as_str())),
        Some((14, "DissolutionDate"))
    );
    assert_eq!(records[1].org_id, "GB-COH-00000003");
    // A pandas-style copy quotes only where it must. An unbalanced quote
    // there runs on: read as text when the row then fits (a warning), or
    // the row refused alone when it does not; the lines it ran over are
    // read as rows of their own.
    let text = "CompanyName, CompanyNumber,RegAddress.PostCode\n\
                A LTD,00000001,B1 1AA\n\
                \"LUXURA HOMES LTD,00000002,B1 1AA\n\
                \"X LTD,00000003\n\
                C LTD,00000004,\"B1 1AA\"\n\
                D LTD,00000005,B1 1AA\n";
    let (records, summary, mut report) = read_all(
        RegisterFormat::CompaniesHouse,
        text.as_bytes(),
        &RegisterFilter::everything(),
    );
    report.sort();
    let found: Vec<(Severity, u64, Option<usize>, &str)> = report
        .problems
        .iter()
        .map(|p| {
            (
                p.severity,
                p.line,
                p.column.as_ref().map(|c| c.number),
                p.message.key.as_str(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                Severity::Warning,
                3,
                Some(1),
                "anchors.register.quote_as_text"
            ),
            (
                Severity::Error,
                4,
                Some(1),
                "anchors.register.quote_not_closed"
            ),
        ]
    );
    assert_eq!((summary.rows, summary.records, summary.refused), (5, 4, 1));
    let names: Vec<&str> = records.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["A LTD", "\"LUXURA HOMES LTD", "C LTD", "D LTD"]);
    assert_eq!(records[2].postcode.as_deref(), Some("B1 1AA"));
}

#[test]
fn categories_give_legal_forms_and_kinds() {
    use companies_house::{kind_of, legal_form_of};
    let table = [
        (
            "Private Limited Company",
            "MICRO ENTITY",
            LegalForm::PrivateLimited,
            SupplierKind::Sme,
        ),
        (
            "Private Limited Company",
            "",
            LegalForm::PrivateLimited,
            SupplierKind::Sme,
        ),
        (
            "Private Limited Company",
            "FULL",
            LegalForm::PrivateLimited,
            SupplierKind::Unknown,
        ),
        (
            "Private Limited Company",
            "GROUP",
            LegalForm::PrivateLimited,
            SupplierKind::Unknown,
        ),
        (
            "Private Limited Company",
            "AUDIT EXEMPTION SUBSIDIARY",
            LegalForm::PrivateLimited,
            SupplierKind::Unknown,
        ),
        (
            "Public Limited Company",
            "SMALL",
            LegalForm::PublicLimited,
            SupplierKind::LargeCompany,
        ),
        (
            "PRI/LTD BY GUAR/NSC (Private, limited by guarantee, no share capital)",
            "SMALL",
            LegalForm::Guarantee,
            SupplierKind::Unknown,
        ),
        (
            "PRI/LBG/NSC (Private, Limited by guarantee, no share capital, use of 'Limited' exemption)",
            "",
            LegalForm::Guarantee,
            SupplierKind::Unknown,
        ),
        (
            "Community Interest Company",
            "MICRO ENTITY",
            LegalForm::CommunityInterestCompany,
            SupplierKind::SocialEnterprise,
        ),
        (
            "Charitable Incorporated Organisation",
            "",
            LegalForm::Cio,
            SupplierKind::Vcse,
        ),
        (
            "Scottish Charitable Incorporated Organisation",
            "",
            LegalForm::Cio,
            SupplierKind::Vcse,
        ),
        (
            "Registered Society",
            "",
            LegalForm::RegisteredSociety,
            SupplierKind::SocialEnterprise,
        ),
        (
            "Industrial and Provident Society",
            "",
            LegalForm::RegisteredSociety,
            SupplierKind::SocialEnterprise,
        ),
        (
            "Limited Liability Partnership",
            "SMALL",
            LegalForm::LimitedLiabilityPartnership,
            SupplierKind::Sme,
        ),
        (
            "Limited Partnership",
            "",
            LegalForm::LimitedPartnership,
            SupplierKind::Sme,
        ),
        (
            "Private Unlimited Company",
            "DORMANT",
            LegalForm::PrivateUnlimited,
            SupplierKind::Sme,
        ),
        (
            "Old Public Company",
            "",
            LegalForm::OldPublic,
            SupplierKind::Unknown,
        ),
        (
            "Overseas Entity",
            "",
            LegalForm::OverseasEntity,
            SupplierKind::Unknown,
        ),
        (
            "Other company type",
            "FULL",
            LegalForm::Other,
            SupplierKind::Unknown,
        ),
        (
            "Royal Charter Company",
            "",
            LegalForm::RoyalCharter,
            SupplierKind::Unknown,
        ),
        (
            "Investment Company with Variable Capital(Umbrella)",
            "",
            LegalForm::InvestmentCompany,
            SupplierKind::Unknown,
        ),
        (
            "Further Education and Sixth Form College Corps",
            "",
            LegalForm::FurtherEducation,
            SupplierKind::PublicBody,
        ),
        (
            "European Public Limited-Liability Company (SE)",
            "",
            LegalForm::PublicLimited,
            SupplierKind::LargeCompany,
        ),
    ];
    for (category, accounts, form, kind) in table {
        assert_eq!(legal_form_of(category), Some(form), "{category}");
        assert_eq!(kind_of(form, accounts), kind, "{category} / {accounts}");
    }
    assert_eq!(legal_form_of("Something New"), None);
    for (text, status) in [
        ("Active", RegisterStatus::Active),
        (
            "Active - Proposal to Strike off",
            RegisterStatus::ProposalToStrikeOff,
        ),
        ("Liquidation", RegisterStatus::Insolvency),
        (
            "In Administration/Administrative Receiver",
            RegisterStatus::Insolvency,
        ),
        ("ADMINISTRATION ORDER", RegisterStatus::Insolvency),
        (
            "Live but Receiver Manager on at least one charge",
            RegisterStatus::Insolvency,
        ),
        ("Voluntary Arrangement", RegisterStatus::Insolvency),
        ("Dissolved", RegisterStatus::Dissolved),
        ("Converted/Closed", RegisterStatus::Dissolved),
        ("", RegisterStatus::Other),
    ] {
        assert_eq!(companies_house::status_of(text), status, "{text}");
    }
}

fn charity_expectations(records: &[RegisterRecord]) {
    let numbers: Vec<&str> = records
        .iter()
        .map(|r| r.charity_number.as_deref().unwrap())
        .collect();
    assert_eq!(
        numbers,
        [
            "1099001", "1170002", "512003", "1120004", "1130005", "250006"
        ]
    );
    let main = &records[0];
    assert_eq!(main.org_id, "GB-CHC-1099001");
    assert_eq!(main.name, "ASTON EXAMPLE COMMUNITY ACTION");
    assert_eq!(
        (main.legal_form, main.kind),
        (LegalForm::CharitableCompany, SupplierKind::Vcse)
    );
    assert_eq!(main.company_number.as_deref(), Some("03811958"));
    assert_eq!(main.company_org_id().as_deref(), Some("GB-COH-03811958"));
    assert_eq!(
        (main.postcode.as_deref(), main.town.as_deref()),
        (Some("B6 5RQ"), Some("BIRMINGHAM"))
    );
    assert_eq!(
        (main.status, main.registered_on),
        (RegisterStatus::Active, Some(date!(2003 - 07 - 14)))
    );
    assert_eq!(records[1].legal_form, LegalForm::Cio);
    assert_eq!(records[1].company_org_id(), None);
    let removed = &records[2];
    assert_eq!(
        (removed.legal_form, removed.status, removed.ended_on),
        (
            LegalForm::CharitableTrust,
            RegisterStatus::Removed,
            Some(date!(2019 - 03 - 31))
        )
    );
    assert!(!removed.status.is_live());
    assert_eq!(records[3].legal_form, LegalForm::OtherCharity);
    assert_eq!(
        (
            records[4].postcode.as_deref(),
            records[4].company_number.as_deref()
        ),
        (None, None)
    );
    assert_eq!(records[5].legal_form, LegalForm::OtherCharity);
    assert!(
        records
            .iter()
            .all(|r| r.kind == SupplierKind::Vcse && r.source == RegisterSource::CharityCommission)
    );
}

#[test]
fn the_charity_extract_reads_main_charities_with_company_numbers() {
    let bytes = sample("charity_commission/publicextract.charity.sample.txt");
    assert_eq!(
        RegisterFormat::detect(&bytes),
        Some(RegisterFormat::CharityCommission)
    );
    let (records, summary, mut report) = read_all(
        RegisterFormat::CharityCommission,
        &bytes,
        &RegisterFilter::everything(),
    );
    // Seven rows on nine lines (one has a line break in its activities);
    // the linked charity is counted, not loaded.
    assert_eq!(
        (
            summary.lines,
            summary.rows,
            summary.records,
            summary.linked_charities
        ),
        (9, 7, 6, 1)
    );
    charity_expectations(&records);
    assert_eq!(records[3].line, 6);
    assert_eq!(records[4].line, 8);
    report.sort();
    let found: Vec<(u64, usize, &str)> = report
        .problems
        .iter()
        .map(|p| {
            (
                p.line,
                p.column.as_ref().unwrap().number,
                p.message.key.as_str(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (8, 20, "anchors.register.postcode_bad"),
            (8, 24, "anchors.register.company_number_dropped")
        ]
    );
    assert_eq!(report.error_count(), 0);
    let mut live = RegisterFilter::everything();
    live.live_only = true;
    let (records, summary, _) = read_all(RegisterFormat::CharityCommission, &bytes, &live);
    assert_eq!((summary.records, summary.filtered_out), (5, 1));
    assert!(records.iter().all(|r| r.org_id != "GB-CHC-512003"));
}

#[test]
fn the_charity_extract_reads_the_same_from_json() {
    let bytes = sample("charity_commission/publicextract.charity.sample.json");
    assert_eq!(
        RegisterFormat::detect(&bytes),
        Some(RegisterFormat::CharityCommissionJson)
    );
    let (records, summary, report) = read_all(
        RegisterFormat::CharityCommissionJson,
        &bytes,
        &RegisterFilter::everything(),
    );
    assert_eq!(
        (summary.rows, summary.records, summary.linked_charities),
        (7, 6, 1)
    );
    assert_eq!(summary.bytes, bytes.len() as u64);
    charity_expectations(&records);
    let text = sample("charity_commission/publicextract.charity.sample.txt");
    let (from_text, _, _) = read_all(
        RegisterFormat::CharityCommission,
        &text,
        &RegisterFilter::everything(),
    );
    let without_line = |r: &RegisterRecord| RegisterRecord {
        line: 0,
        ..r.clone()
    };
    assert_eq!(
        records.iter().map(without_line).collect::<Vec<_>>(),
        from_text.iter().map(without_line).collect::<Vec<_>>()
    );
    assert_eq!(report.warning_count(), 2, "{report}");
    // The object starts on its own line of the file.
    assert_eq!(records[0].line, 2);
    // A broken object is refused alone, named by its line.
    let broken = b"[{\"registered_charity_number\": 1, \"charity_name\": \"A\"},\n{\"registered_charity_number\": 2, \"charity_name\": },\n{\"registered_charity_number\": 3, \"charity_name\": \"C\"}]";
    let (records, summary, report) = read_all(
        RegisterFormat::CharityCommissionJson,
        broken,
        &RegisterFilter::everything(),
    );
    assert_eq!((summary.rows, summary.records, summary.refused), (3, 2, 1));
    assert_eq!(
        (
            report.problems[0].line,
            report.problems[0].message.key.as_str()
        ),
        (2, "anchors.register.json_bad")
    );
    assert_eq!(records[1].org_id, "GB-CHC-3");
}

#[test]
fn lookups_give_links_and_the_kinds_of_mutual_societies() {
    let mut report = Report::new("links");
    let mut links = Vec::new();
    for path in [
        "lookups/charity-company-numbers.head.csv",
        "lookups/cio-company-numbers.head.csv",
        "lookups/mutual-companies.head.csv",
    ] {
        let bytes = sample(path);
        assert_eq!(RegisterFormat::detect(&bytes), Some(RegisterFormat::Links));
        let summary = read_links(&bytes[..], &mut report, |l| links.push(l));
        assert_eq!(
            (summary.rows, summary.records, summary.refused),
            (40, 40, 0),
            "{path}"
        );
    }
    assert_eq!(report.problems, vec![], "{report}");
    assert!(links.iter().all(|l| l.relation == LinkRelation::SameAs));
    let charity = &links[0];
    assert_eq!(
        (
            charity.a.as_str(),
            charity.b.as_str(),
            charity.name.as_deref()
        ),
        (
            "GB-CHC-1000611",
            "GB-COH-08591698",
            Some("DENTON BURN COMMUNITY ASSOCIATION")
        )
    );
    assert_eq!(
        (charity.legal_form, charity.kind),
        (Some(LegalForm::CharitableCompany), Some(SupplierKind::Vcse))
    );
    let cio = &links[40];
    assert_eq!(
        (cio.a.as_str(), cio.b.as_str(), cio.name.as_deref()),
        ("GB-COH-CE008706", "GB-CHC-1169028", None)
    );
    assert_eq!(
        (cio.legal_form, cio.kind),
        (Some(LegalForm::Cio), Some(SupplierKind::Vcse))
    );
    let mutual = &links[80];
    assert_eq!(
        (mutual.a.as_str(), mutual.b.as_str()),
        ("GB-MPR-10002R", "GB-COH-IP10002R")
    );
    assert_eq!(
        (mutual.legal_form, mutual.kind),
        (
            Some(LegalForm::RegisteredSociety),
            Some(SupplierKind::SocialEnterprise)
        )
    );
    assert!(
        links[80..]
            .iter()
            .all(|l| l.kind == Some(SupplierKind::SocialEnterprise) && l.name.is_some())
    );
    // A link file is not a register.
    let mut report = Report::new("links");
    let s = read_register(
        RegisterFormat::Links,
        &sample("lookups/mutual-companies.head.csv")[..],
        &RegisterFilter::everything(),
        &mut report,
        |_| {},
    );
    assert_eq!(
        (s.records, report.problems[0].message.key.as_str()),
        (0, "anchors.register.links_not_register")
    );
}

#[test]
fn link_identifiers_are_tidied_and_bad_ones_named() {
    assert_eq!(
        links::tidy_org_id(" gb-coh-8591698 ").as_deref(),
        Some("GB-COH-08591698")
    );
    assert_eq!(
        links::tidy_org_id("GB-CHC-1000611").as_deref(),
        Some("GB-CHC-1000611")
    );
    assert_eq!(links::tidy_org_id("GB-COH-12-34"), None);
    assert_eq!(links::tidy_org_id("1000611"), None);
    let text = "org_id_a,org_id_b,org_name,relationship,source\nGB-CHC-1,GB-COH-1234,A,sameas,x\nGB-CHC-2,,B,sameas,x\nGB-CHC-3,not an id,C,parent,x\nGB-CHC-4,GB-CHC-5,D,parent,x\n";
    let mut report = Report::new("links");
    let mut links = Vec::new();
    let s = read_links(text.as_bytes(), &mut report, |l| links.push(l));
    assert!(s.balances());
    assert_eq!((s.rows, s.records, s.refused), (4, 2, 2));
    assert_eq!(links[0].b, "GB-COH-00001234");
    assert_eq!(
        (links[1].relation, links[1].kind),
        (LinkRelation::Parent, None)
    );
    let found: Vec<(u64, usize, &str)> = report
        .problems
        .iter()
        .map(|p| {
            (
                p.line,
                p.column.as_ref().unwrap().number,
                p.message.key.as_str(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (3, 2, "anchors.register.value_missing"),
            (4, 2, "anchors.register.org_id_bad")
        ]
    );
}

#[test]
fn any_register_is_recognised_and_read() {
    for (path, format, records) in [
        (
            "companies_house/mrbrianevans_basic-sample.csv",
            RegisterFormat::CompaniesHouse,
            31,
        ),
        (
            "companies_house/kamranafridi_companies_sample.csv.gz",
            RegisterFormat::CompaniesHouse,
            20_000,
        ),
        (
            "charity_commission/publicextract.charity.sample.txt",
            RegisterFormat::CharityCommission,
            6,
        ),
        (
            "charity_commission/publicextract.charity.sample.json",
            RegisterFormat::CharityCommissionJson,
            6,
        ),
    ] {
        let mut report = Report::new(path);
        let (f, s) = read_any_register(
            &sample(path)[..],
            &RegisterFilter::everything(),
            &mut report,
            |_| {},
        )
        .unwrap();
        assert_eq!((f, s.records), (format, records), "{path}");
    }
    let mut report = Report::new("x");
    assert!(
        read_any_register(
            &b"org_id,name,kind\n"[..],
            &RegisterFilter::everything(),
            &mut report,
            |_| {}
        )
        .is_none()
    );
    assert_eq!(
        report.problems[0].message.key,
        "anchors.register.format_unknown"
    );
}
