//! Spend files as a new programme meets them (issue 15): a file that is not
//! a spend file is said in one sentence on the page and in the API, and
//! nothing is recorded; figures no supplier could be judged for are "not
//! known", never 0; several files go up at once, each with its report; the
//! files list pages; and an import is undone through the page and the API.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use useit_core::auth::Role;

use crate::both;
use crate::helpers::*;

async fn post_csv(app: &TestApp, token: &str, path: &str, body: &[u8]) -> (StatusCode, Value) {
    let res = reqwest::Client::new()
        .post(format!("{}{path}", app.base))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(body.to_vec())
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn files_total(c: &mut Client) -> u64 {
    let res = c
        .get("/api/v1/programmes/alpha/anchors/spend/files?per_page=1")
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let v: Value = res.json().await.unwrap();
    assert!(v["items"].as_array().unwrap().len() <= 1);
    v["total"].as_u64().unwrap()
}

async fn put_anchor(c: &mut Client, slug: &str) {
    let res = c
        .json(
            Method::PUT,
            &format!("/api/v1/programmes/alpha/anchors/{slug}"),
            Some(json!({"name": format!("Anchor {slug}"), "kind": "council", "sites": []})),
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
}

const PDF: &[u8] = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj << /Type /Catalog >> endobj\n";

/// A zip archive (a text file in it) with a workbook's first bytes.
const ZIP: &[u8] = b"\x50\x4b\x03\x04\x14\x00\x00\x00\x00\x00\x00\x00\x81\x58\xa0\x81\x3c\xea\x13\x00\x00\x00\x13\x00\x00\x00\x09\x00\x00\x00\x6e\x6f\x74\x65\x73\x2e\x74\x78\x74\x70\x61\x79\x6d\x65\x6e\x74\x73\x20\x66\x6f\x72\x20\x41\x70\x72\x69\x6c\x0a\x50\x4b\x01\x02\x14\x03\x14\x00\x00\x00\x00\x00\x00\x00\x81\x58\xa0\x81\x3c\xea\x13\x00\x00\x00\x13\x00\x00\x00\x09\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x01\x00\x00\x00\x00\x6e\x6f\x74\x65\x73\x2e\x74\x78\x74\x50\x4b\x05\x06\x00\x00\x00\x00\x01\x00\x01\x00\x37\x00\x00\x00\x3a\x00\x00\x00\x00\x00";

/// One long line of text that is no table (issue 15: it was quoted back
/// with advice to save a column mapping).
fn junk() -> Vec<u8> {
    "lorem ipsum dolor sit amet ".repeat(80).into_bytes()
}

fn noise() -> Vec<u8> {
    (0..2_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect()
}

both!(
    files_that_are_not_spend_files_are_said_in_one_sentence,
    async |app: &TestApp| {
        let token = app.token(&email(Role::AnchorAnalyst), "alpha").await;
        let mut c = app.client();
        c.bearer = Some(token.clone());
        put_anchor(&mut c, "badfiles").await;
        let before = files_total(&mut c).await;
        let (noise, junk) = (noise(), junk());
        let cases: [(&str, &[u8], &str); 6] = [
            ("empty.csv", b"", "The file is empty"),
            (
                "header.csv",
                b"Date,Supplier,Amount\r\n",
                "only a header row",
            ),
            ("scan.pdf", PDF, "The file is a PDF document"),
            ("noise.bin", &noise, "The file is not text"),
            // A zip renamed .xlsx: no library's "Cannot detect file format".
            ("renamed.xlsx", ZIP, "The file is a ZIP archive"),
            ("junk.csv", &junk, "The file is text but not a table"),
        ];
        for (name, bytes, says) in cases {
            let (status, problem) = post_csv(
                app,
                &token,
                &format!("/api/v1/programmes/alpha/anchors/badfiles/spend-files?file_name={name}"),
                bytes,
            )
            .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
            let detail = problem["detail"].as_str().unwrap_or_default();
            assert!(detail.contains(says), "{name}: {problem}");
            assert!(
                detail.contains("CSV file"),
                "{name}: says what was expected: {detail}"
            );
            assert!(!detail.contains("column mapping"), "{name}: {detail}");
            assert!(!detail.contains("Cannot detect"), "{name}: {detail}");
            assert!(!detail.contains("lorem ipsum"), "{name}: {detail}");
            // The garbage is never echoed back.
            assert!(problem.to_string().len() < 2_000, "{name}: {problem}");
        }
        assert_eq!(files_total(&mut c).await, before, "nothing is recorded");

        // The same sentences on the page.
        let mut page = app.signed_in(&email(Role::AnchorAnalyst)).await;
        for (name, bytes, says) in cases {
            let res = page
                .post_upload(
                    "/p/alpha/anchors/import",
                    name,
                    bytes.to_vec(),
                    &[("anchor", "badfiles")],
                )
                .await;
            let status = res.status();
            let html = res.text().await.unwrap();
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{name}: {}",
                &html[html.find("<main").unwrap_or(0)..]
            );
            assert!(html.contains(says), "{name}: {html}");
            assert!(
                !html.contains("Select a CSV file"),
                "{name}: a file was sent"
            );
            // No "Line 0" for a problem of the whole file.
            assert!(
                !html.contains("govuk-table__cell--numeric\">0</td>"),
                "{name}: {html}"
            );
        }
        assert_eq!(files_total(&mut c).await, before, "nothing is recorded");
        // No file chosen at all is still that.
        let res = page
            .post_upload(
                "/p/alpha/anchors/import",
                "",
                Vec::new(),
                &[("anchor", "badfiles")],
            )
            .await;
        assert!(res.text().await.unwrap().contains("Select a CSV file"));
    }
);

both!(
    an_import_is_undone_and_unplaced_figures_are_not_known,
    async |app: &TestApp| {
        let token = app.token(&email(Role::AnchorAnalyst), "alpha").await;
        let mut c = app.client();
        c.bearer = Some(token.clone());
        put_anchor(&mut c, "undo").await;
        let before = files_total(&mut c).await;

        // Two months at once through the page, each with its report.
        let mut page = app.signed_in(&email(Role::AnchorAnalyst)).await;
        let april: &[u8] = b"Date,Supplier,Amount\n02/04/2020,Nowhere Trading Ltd,100.00\n";
        let may: &[u8] = b"Date,Supplier,Amount\n02/05/2020,Nowhere Trading Ltd,7.00\n";
        let res = page
            .post_uploads(
                "/p/alpha/anchors/import",
                &[("april.csv", april), ("may.csv", may), ("scan.pdf", PDF)],
                &[("anchor", "undo")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains("april.csv: 1 line read, 1 new"), "{html}");
        assert!(html.contains("may.csv: 1 line read, 1 new"), "{html}");
        assert!(
            html.contains("scan.pdf: The file is a PDF document"),
            "{html}"
        );
        assert_eq!(files_total(&mut c).await, before + 2);

        // Its supplier has no address: local shares are not known, not 0%.
        let m: Value = c
            .get("/api/v1/programmes/alpha/anchors/spend/measures?anchor=undo")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(m["total_pence"], 10_700);
        for g in [
            "area_of_benefit",
            "local_authority",
            "city_region",
            "near_site",
        ] {
            let f = &m["local"][g];
            assert_eq!(f["known"], false, "{g}: {f}");
            assert!(
                f["low_share_bp"].is_null() && f["share"].is_null(),
                "{g}: {f}"
            );
            assert!(
                f["gap"].is_string() && f["gap_message"].is_string(),
                "{g}: {f}"
            );
        }
        assert_eq!(m["local"]["near_site"]["gap"], "sites");
        assert_eq!(m["deciles_1_2"]["known"], false);
        assert_eq!(m["lm3"]["known"], false);
        assert!(m["lm3"]["low_hundredths"].is_null());
        // No workforce file and no typed wage bill: the wage round is not
        // known, never 0, and says so (issue 17 item 3).
        assert_eq!(m["lm3"]["wages"]["source"], "not_known");
        assert!(m["lm3"]["wages"]["all_pence"].is_null());
        let (_, html) = page.get_text("/p/alpha/anchors/spend?anchor=undo").await;
        assert!(html.contains("not known"), "{html}");
        assert!(html.contains("wages: not known"), "{html}");
        assert!(
            html.contains("Suppliers placed: 0.0% of influenceable spend"),
            "{}",
            &html[html.find("<main").unwrap_or(0)..]
        );
        // Four geographies, deciles 1–2, the social economy (no supplier's
        // kind is known) and LM3: none reads 0.
        assert_eq!(
            html.matches("<strong>not known</strong>").count(),
            7,
            "{html}"
        );
        assert!(
            html.contains("Say what kind of organisation each supplier is"),
            "{html}"
        );

        // The files list pages, and a file is found on it.
        let list: Value = c
            .get("/api/v1/programmes/alpha/anchors/spend/files?per_page=1&page=2")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            (list["page"].as_u64(), list["per_page"].as_u64()),
            (Some(2), Some(1))
        );
        assert_eq!(list["items"][0]["file_name"], "april.csv");
        let april_id = list["items"][0]["id"].as_str().unwrap().to_string();
        let path = format!("/api/v1/programmes/alpha/anchors/spend/files/{april_id}");

        // Nobody else undoes it: a reader is refused, another programme does not see it.
        let mut funder = app.client();
        funder.bearer = Some(app.token(&email(Role::FunderViewer), "alpha").await);
        assert!(
            !funder
                .json(Method::DELETE, &path, None)
                .await
                .status()
                .is_success()
        );
        let other = path.replace("/alpha/", "/beta/");
        assert_eq!(
            c.json(Method::DELETE, &other, None).await.status(),
            StatusCode::NOT_FOUND
        );

        // Undone through the API: its lines go from the measures.
        let res = c.json(Method::DELETE, &path, None).await;
        assert_eq!(res.status(), StatusCode::OK);
        let undone: Value = res.json().await.unwrap();
        assert_eq!(undone["file_name"], "april.csv");
        let m: Value = c
            .get("/api/v1/programmes/alpha/anchors/spend/measures?anchor=undo")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(m["total_pence"], 700);
        assert_eq!(
            c.json(Method::DELETE, &path, None).await.status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(files_total(&mut c).await, before + 1);

        // Undone through the pages: the list, the confirmation, the button.
        let (status, html) = page.get_text("/p/alpha/anchors/files").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains("may.csv") && html.contains("Undo import"),
            "{html}"
        );
        let list: Value = c
            .get("/api/v1/programmes/alpha/anchors/spend/files?per_page=1")
            .await
            .json()
            .await
            .unwrap();
        let may_id = list["items"][0]["id"].as_str().unwrap().to_string();
        let undo = format!("/p/alpha/anchors/files/{may_id}/undo");
        let (status, html) = page.get_text(&undo).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Undo the import of may.csv"), "{html}");
        let res = page.post_form(&undo, &[]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert!(location(&res).starts_with("/p/alpha/anchors/files?undone=may.csv"));
        let (_, html) = page.get_text(&location(&res)).await;
        assert!(html.contains("The import of may.csv was undone"), "{html}");
        assert_eq!(files_total(&mut c).await, before);
    }
);
