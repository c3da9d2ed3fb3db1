//! Issue 16 item 11: the server keeps a signed-in session, its account and
//! its roles in memory while the account's access counters stand. Every
//! change to them shows on the very next request, whether this server made
//! it or another process did (here: the store written directly, as a CLI
//! command or a second server would, so this server is told nothing).

use reqwest::StatusCode;
use useit_core::audit::Actor;
use useit_core::auth::Role;

use crate::both;
use crate::helpers::*;

/// A page only managers (and administrators) may open.
const MANAGERS_ONLY: &str = "/p/alpha/partners/new";

async fn warm(c: &mut Client) {
    for _ in 0..3 {
        assert_eq!(c.get("/p/alpha").await.status(), StatusCode::OK);
        assert_eq!(c.get(MANAGERS_ONLY).await.status(), StatusCode::OK);
    }
}

fn signed_out(res: &reqwest::Response) -> bool {
    res.status() == StatusCode::SEE_OTHER && location(res).starts_with("/sign-in")
}

both!(
    access_changes_show_on_the_very_next_request,
    async |app: &TestApp| {
        let who = email(Role::ProgrammeManager);
        let me = app
            .store
            .credentials_by_email(&who)
            .await
            .unwrap()
            .unwrap()
            .user;
        let actor = Actor::system("test");
        let mut c = app.signed_in(&who).await;
        warm(&mut c).await;

        // A role change, and back.
        app.store
            .set_role(app.fx.a, me.id, Role::FunderViewer, &actor)
            .await
            .unwrap();
        assert_eq!(c.get(MANAGERS_ONLY).await.status(), StatusCode::FORBIDDEN);
        assert_eq!(c.get("/p/alpha").await.status(), StatusCode::OK);
        app.store
            .set_role(app.fx.a, me.id, Role::ProgrammeManager, &actor)
            .await
            .unwrap();
        assert_eq!(c.get(MANAGERS_ONLY).await.status(), StatusCode::OK);

        // Removed from the programme: it is as missing as one that does not
        // exist; added again, it is back.
        warm(&mut c).await;
        app.store
            .remove_member(app.fx.a, me.id, &actor)
            .await
            .unwrap();
        assert_eq!(c.get("/p/alpha").await.status(), StatusCode::NOT_FOUND);
        app.store
            .set_role(app.fx.a, me.id, Role::ProgrammeManager, &actor)
            .await
            .unwrap();
        assert_eq!(c.get("/p/alpha").await.status(), StatusCode::OK);

        // The programme renamed: its new name on the next page.
        warm(&mut c).await;
        let p = app.store.programme(app.fx.a).await.unwrap().unwrap();
        app.store
            .update_programme(p.id, "Alpha Renamed Overnight", &p.description, &actor)
            .await
            .unwrap();
        let (status, html) = c.get_text("/p/alpha").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Alpha Renamed Overnight"));

        // Another session's password change ends this one.
        warm(&mut c).await;
        app.store
            .set_password(
                me.id,
                &useit_core::auth::password::hash(PASSWORD),
                None,
                &actor,
            )
            .await
            .unwrap();
        assert!(signed_out(&c.get("/p/alpha").await), "a password change");

        // Disabled: signed out at once, and kept out.
        let mut c = app.signed_in(&who).await;
        warm(&mut c).await;
        let kept_cookie = c.cookie.clone();
        app.store.set_disabled(me.id, true, &actor).await.unwrap();
        assert!(signed_out(&c.get("/p/alpha").await), "a disable");
        c.cookie = kept_cookie;
        assert!(signed_out(&c.get(MANAGERS_ONLY).await), "the old cookie");
        app.store.set_disabled(me.id, false, &actor).await.unwrap();

        // Signed out here: the old cookie opens nothing.
        let mut c = app.signed_in(&who).await;
        warm(&mut c).await;
        let kept_cookie = c.cookie.clone();
        let res = c.post_form("/sign-out", &[]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        c.cookie = kept_cookie;
        assert!(signed_out(&c.get("/p/alpha").await), "a sign-out");

        // Signed out elsewhere (every session of the account ended by
        // another process): the same.
        let mut c = app.signed_in(&who).await;
        warm(&mut c).await;
        app.store.sessions_end_for_user(me.id, None).await.unwrap();
        assert!(signed_out(&c.get("/p/alpha").await), "sessions ended");
    }
);
