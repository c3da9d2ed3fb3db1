//! The enterprise directory page, a page at a time: 25 enterprises a page,
//! the count of them all in the caption, GOV.UK pagination whose links
//! keep the search and the order, and a page number past the end showing
//! the last page.

use reqwest::{Method, StatusCode};
use serde_json::json;
use useit_core::auth::Role;

use crate::both;
use crate::helpers::*;

both!(the_directory_is_paged, async |app: &TestApp| {
    let mut api = app.client();
    api.bearer = Some(app.token(&email(Role::EnterpriseAdviser), "alpha").await);
    for n in 1..=30 {
        let res = api
            .json(
                Method::POST,
                "/api/v1/programmes/alpha/enterprise/enterprises",
                Some(json!({"name": format!("Zz Paging {n:02} CIC"), "postcode": "B66 2QT"})),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
    }
    let mut c = app.signed_in(&email(Role::EnterpriseAdviser)).await;
    let (status, first) = c.get_text("/p/alpha/enterprise").await;
    assert_eq!(status, StatusCode::OK);
    assert!(first.contains("Showing 1 to 25 of "), "{first}");
    assert!(!first.contains("Zz Paging 30 CIC"));
    assert!(first.contains("rel=\"next\""));
    // Searching keeps to the matches; the next page's link keeps the search.
    let (_, found) = c.get_text("/p/alpha/enterprise?q=zz+paging").await;
    assert!(found.contains("Showing 1 to 25 of 30"), "{found}");
    assert!(
        found.contains("q=zz%20paging") || found.contains("q=zz+paging"),
        "{found}"
    );
    let (status, second) = c.get_text("/p/alpha/enterprise?q=zz+paging&page=2").await;
    assert_eq!(status, StatusCode::OK);
    assert!(second.contains("Showing 26 to 30 of 30"), "{second}");
    assert!(second.contains("Zz Paging 30 CIC"));
    assert!(!second.contains("Zz Paging 01 CIC"));
    assert!(second.contains("rel=\"prev\""));
    // Past the end: the last page; not a number: the first.
    let (_, past) = c.get_text("/p/alpha/enterprise?q=zz+paging&page=99").await;
    assert!(past.contains("Zz Paging 30 CIC"));
    let (status, odd) = c.get_text("/p/alpha/enterprise?q=zz+paging&page=two").await;
    assert_eq!(status, StatusCode::OK);
    assert!(odd.contains("Zz Paging 01 CIC"));
});
