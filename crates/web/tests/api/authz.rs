//! The authorisation matrix: every route in the route table, called by every
//! role (and by nobody, and by a deployment administrator who is not a
//! member), against the expectations written by hand in `authz.txt`. A route
//! added to the table without a line there fails this test.

use std::collections::{BTreeMap, BTreeSet};

use reqwest::Method;
use useit_core::auth::Role;
use useit_web::routes::{RouteInfo, describe};

use crate::both;
use crate::helpers::*;

/// Who a line of `authz.txt` lets in.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Who {
    Anyone,
    SignedIn,
    Admin,
    Roles(BTreeSet<Role>),
}

fn expectations() -> BTreeMap<(String, String), Who> {
    let text = include_str!("authz.txt");
    let mut out = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.split_whitespace();
        let (Some(method), Some(path)) = (parts.next(), parts.next()) else {
            panic!("authz.txt line {}: expected METHOD PATH WHO", n + 1);
        };
        let rest: Vec<&str> = parts.collect();
        let who = match rest.as_slice() {
            ["anyone"] => Who::Anyone,
            ["signed-in"] => Who::SignedIn,
            ["admin"] => Who::Admin,
            ["members"] => Who::Roles(Role::ALL.into_iter().collect()),
            roles => Who::Roles(
                roles
                    .iter()
                    .map(|r| {
                        r.parse()
                            .unwrap_or_else(|e| panic!("authz.txt line {}: {e}", n + 1))
                    })
                    .collect(),
            ),
        };
        assert!(
            out.insert((method.to_string(), path.to_string()), who)
                .is_none(),
            "authz.txt line {}: listed twice",
            n + 1
        );
    }
    out
}

#[test]
fn every_route_has_an_expectation_and_every_expectation_a_route() {
    let exp = expectations();
    let table: BTreeSet<(String, String)> = describe()
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    let missing: Vec<_> = table.iter().filter(|k| !exp.contains_key(*k)).collect();
    let stale: Vec<_> = exp.keys().filter(|k| !table.contains(*k)).collect();
    assert!(
        missing.is_empty(),
        "routes without a line in authz.txt: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "lines in authz.txt for routes that do not exist: {stale:?}"
    );
}

/// Fills a route's path parameters with real ids from programme `alpha`,
/// or (for `{user_id}` and `{token_id}`) ids of things the caller cannot
/// have, so that an allowed call changes nothing that matters.
fn concrete(path: &str, fx: &Fixture) -> String {
    path.replace("{programme}", "alpha")
        .replace("{partner_id}", &fx.a_partner.to_string())
        .replace("{user_id}", &fx.bystander.to_string())
        .replace("{token_id}", &fx.b_token.to_string())
        .replace("{*file}", "app.css")
        .replace("{area_code}", "E01010063")
        .replace("{postcode}", "B662QT")
        .replace("{anchor}", "trust")
        .replace("{supplier}", "acme")
        .replace("{slug}", "alpha")
        .replace("{job}", "0193a0b0-0000-7000-8000-000000000000")
        .replace("{person_id}", &fx.a_person.to_string())
        .replace("{placement_id}", "0193a0b0-0000-7000-8000-000000000001")
        .replace("{organisation_id}", "0193a0b0-0000-7000-8000-000000000002")
        .replace("{lot_id}", "0193a0b0-0000-7000-8000-000000000003")
        .replace("{researcher_id}", "0193a0b0-0000-7000-8000-000000000002")
        .replace("{project_id}", "0193a0b0-0000-7000-8000-000000000003")
        .replace("{finding_id}", "0193a0b0-0000-7000-8000-00000000000a")
        .replace("{entry_id}", "0193a0b0-0000-7000-8000-000000000004")
        .replace("{assignment_id}", "0193a0b0-0000-7000-8000-00000000000b")
        .replace("{workshop_id}", "0193a0b0-0000-7000-8000-000000000005")
        .replace("{link_id}", "0193a0b0-0000-7000-8000-000000000006")
        .replace("{action_id}", "0193a0b0-0000-7000-8000-000000000007")
        .replace("{community_id}", "0193a0b0-0000-7000-8000-000000000009")
        .replace("{asset_id}", "0193a0b0-0000-7000-8000-00000000000a")
        .replace("{guest_token}", "useit_guest_unknown")
        .replace("{invitation_secret}", "useit_invite_unknown")
        .replace("{invitation_id}", "0193a0b0-0000-7000-8000-000000000009")
        .replace("{file}", "0193a0b0-0000-7000-8000-000000000005")
        .replace("{interaction_id}", "0193a0b0-0000-7000-8000-000000000008")
        .replace("{topic}", "place")
        .replace("{story_id}", "0193a0b0-0000-7000-8000-000000000008")
        .replace("{filter_id}", "0193a0b0-0000-7000-8000-000000000009")
}

/// Persona: who is asking.
#[derive(Clone, Copy, Debug)]
enum Persona {
    Anonymous,
    Role(Role),
    /// A deployment administrator who is not a member of `alpha`.
    DeploymentAdmin,
}

fn expected(who: &Who, route: &RouteInfo, p: Persona) -> &'static str {
    let page = route.surface == useit_web::routes::Surface::Page;
    let unauth = if page { "redirect to sign in" } else { "401" };
    match (who, p) {
        (Who::Anyone, _) => "allowed",
        (_, Persona::Anonymous) => unauth,
        (Who::SignedIn, _) => "allowed",
        (Who::Admin, Persona::DeploymentAdmin) => "allowed",
        (Who::Admin, _) => "403",
        (Who::Roles(_), Persona::DeploymentAdmin) => "404",
        (Who::Roles(rs), Persona::Role(r)) => {
            if rs.contains(&r) {
                "allowed"
            } else {
                "403"
            }
        }
    }
}

/// What happened: a refusal by the access guard (marked with its header),
/// a server error, or the handler's own answer (which may be a 404 for a
/// record that does not exist, or a 422 for an empty form: access was given).
fn outcome(res: &reqwest::Response) -> &'static str {
    let denied = res
        .headers()
        .get(useit_web::routes::DENIED_HEADER)
        .is_some();
    match (denied, res.status().as_u16()) {
        (true, 401) => "401",
        (true, 403) => "403",
        (true, 404) => "404",
        (true, 303) if location(res).starts_with("/sign-in") => "redirect to sign in",
        (true, s) => panic!("the guard refused with an unexpected status {s}"),
        (false, s) if s >= 500 => "server error",
        (false, _) => "allowed",
    }
}

both!(every_route_by_every_role, async |app: &TestApp| {
    let exp = expectations();
    let mut personas = vec![Persona::Anonymous, Persona::DeploymentAdmin];
    personas.extend(Role::ALL.into_iter().map(Persona::Role));
    // Routes that end the session go last for each persona.
    let mut routes = describe();
    routes.sort_by_key(|r| r.path == "/sign-out");
    let mut failures = Vec::new();
    let mut checked = 0;
    for p in personas {
        let mut c = match p {
            Persona::Anonymous => app.client(),
            Persona::DeploymentAdmin => app.signed_in(ADMIN_EMAIL).await,
            Persona::Role(r) => app.signed_in(&email(r)).await,
        };
        for r in &routes {
            let who = &exp[&(r.method.to_string(), r.path.to_string())];
            let want = expected(who, r, p);
            let path = concrete(r.path, &app.fx);
            let res = if r.method == Method::GET {
                c.get(&path).await
            } else if r.surface == useit_web::routes::Surface::Page {
                c.post_form(&path, &[]).await
            } else {
                c.json(r.method.clone(), &path, Some(serde_json::json!({})))
                    .await
            };
            let got = outcome(&res);
            checked += 1;
            if got != want {
                failures.push(format!(
                    "{:?} {} {}: expected {want}, got {got} ({})",
                    p,
                    r.method,
                    r.path,
                    res.status()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} calls differ from authz.txt:\n{}",
        failures.len(),
        failures.join("\n")
    );
});

/// An anchor's own page is `/p/{programme}/anchors/{anchor}`: every fixed
/// name beside it in the route table must be refused as an anchor's short
/// name, or that anchor could never reach its page.
#[test]
fn anchor_short_names_cannot_shadow_the_anchors_pages() {
    let prefix = "/p/{programme}/anchors/";
    let taken: std::collections::BTreeSet<&str> = describe()
        .iter()
        .filter_map(|r| r.path.strip_prefix(prefix))
        .map(|rest| rest.split(['/', '.']).next().unwrap_or(rest))
        .filter(|seg| !seg.starts_with('{') && !seg.is_empty())
        .collect();
    assert!(
        taken.contains("interactions"),
        "the table was read: {taken:?}"
    );
    for seg in taken {
        assert!(
            useit_core::anchors::anchor::RESERVED_SLUGS.contains(&seg),
            "`{seg}` is a page under /anchors/ but an anchor may take it as its short name"
        );
    }
}
