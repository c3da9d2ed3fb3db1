use std::sync::Arc;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use tokio::sync::oneshot;
use useit_core::audit::Actor;
use useit_core::auth::{NewApiToken, NewUser, Role, token};
use useit_core::place::selection::AreaSelection;
use useit_core::programme::{NewProgramme, PartnerContact, PartnerInput};
use useit_core::{ApiTokenId, PartnerId, ProgrammeId, UserId};
use useit_store::Store;
use useit_testkit::TestDb;

pub const PASSWORD: &str = "a long test password";
/// The note on beta's area of benefit, which alpha must never see.
pub const BETA_AOB_NOTE: &str = "Beta board decision 7 July";
/// A supplier only beta's spend has.
pub const B_SUPPLIER: &str = "Beta Secret Supplier";
/// Its key, as routes name it.
pub const B_SUPPLIER_KEY: &str = "beta%20secret%20supplier";
/// A person on beta's talent pathway.
pub const B_PERSON: &str = "Beta Secret Person";

/// Runs a story on both databases: `sqlite` always, `postgres` when a server is given.
#[macro_export]
macro_rules! both {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::helpers::TestApp::spawn(
                    $crate::helpers::Db::Sqlite,
                    Default::default(),
                )
                .await;
                ($body)(&app).await;
                app.finish().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(app) = $crate::helpers::TestApp::spawn_pg(Default::default()).await else {
                    return;
                };
                ($body)(&app).await;
                app.finish().await;
            }
        }
    };
}

pub enum Db {
    Sqlite,
}

/// Ids and names of what the fixture put in the database.
pub struct Fixture {
    pub a: ProgrammeId,
    pub b: ProgrammeId,
    pub a_partner: PartnerId,
    pub b_partner: PartnerId,
    /// A user with no programme at all.
    pub bystander: UserId,
    pub b_admin: UserId,
    pub b_token: ApiTokenId,
    /// A person on alpha's pathway (no caseworker) and one on beta's.
    pub a_person: uuid::Uuid,
    pub b_person: uuid::Uuid,
    /// Beta's person put forward for beta's vacancy.
    pub b_placement: uuid::Uuid,
    /// Beta's social enterprise (with a profile) and tender lot.
    pub b_enterprise: uuid::Uuid,
    pub b_lot: uuid::Uuid,
    /// Beta's consortium formed (its enterprise and a second one), with a bid.
    pub b_consortium: uuid::Uuid,
    /// Beta's interaction with an organisation of its register.
    pub b_interaction: uuid::Uuid,
}

/// The organisation beta's trust works with, which no alpha route may show.
pub const B_ORGANISATION: &str = "Beta Secret Organisation";

/// The name of beta's consortium, which no alpha route may show.
pub const B_CONSORTIUM: &str = "Beta Secret Consortium";

/// The name of beta's social enterprise, which no alpha route may show.
pub const B_ENTERPRISE: &str = "Beta Secret Enterprise CIC";

pub struct TestApp {
    pub base: String,
    pub db: TestDb,
    pub store: Arc<dyn Store>,
    pub fx: Fixture,
    shutdown: Option<oneshot::Sender<()>>,
    server: tokio::task::JoinHandle<()>,
}

/// The e-mail of the fixture user with `role` in programme `alpha`.
pub fn email(role: Role) -> String {
    format!("{}@alpha.test", role.slug())
}

pub const ADMIN_EMAIL: &str = "root@deployment.test";
pub const B_ADMIN_EMAIL: &str = "boss@beta.test";
pub const B_PARTNER_NAME: &str = "Beta Secret Organisation";
pub const B_CONTACT_EMAIL: &str = "bea.secret@beta.example";

impl TestApp {
    pub async fn spawn(_: Db, config: useit_web::Config) -> TestApp {
        let db = TestDb::sqlite().await;
        Self::start(db, config).await
    }

    pub async fn spawn_pg(config: useit_web::Config) -> Option<TestApp> {
        let db = TestDb::postgres().await?;
        Some(Self::start(db, config).await)
    }

    async fn start(db: TestDb, config: useit_web::Config) -> TestApp {
        let store = db.store.clone();
        let fx = seed(&*store).await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = oneshot::channel::<()>();
        let s = store.clone();
        let server = tokio::spawn(async move {
            useit_web::serve(listener, s, config, async {
                let _ = rx.await;
            })
            .await
            .unwrap();
        });
        TestApp {
            base,
            db,
            store,
            fx,
            shutdown: Some(tx),
            server,
        }
    }

    pub async fn finish(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.server).await;
        self.db.finish().await;
    }

    pub fn client(&self) -> Client {
        Client::new(&self.base)
    }

    /// A client signed in as `email`.
    pub async fn signed_in(&self, email: &str) -> Client {
        let mut c = self.client();
        let res = c.sign_in(email, PASSWORD).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "sign in as {email}");
        c
    }

    /// A bearer token for `email`'s role in programme `slug`.
    pub async fn token(&self, email: &str, slug: &str) -> String {
        let user = self
            .store
            .credentials_by_email(email)
            .await
            .unwrap()
            .unwrap()
            .user;
        let p = self.store.programme_by_slug(slug).await.unwrap().unwrap();
        let role = self.store.role_in(user.id, p.id).await.unwrap().unwrap();
        let issued = token::issue();
        self.store
            .create_token(
                &NewApiToken {
                    programme_id: p.id,
                    user_id: user.id,
                    role,
                    name: "test".into(),
                    token_hash: issued.hash,
                    hint: issued.hint,
                    expires_at: None,
                },
                &Actor::system("test"),
            )
            .await
            .unwrap();
        issued.secret
    }
}

async fn user(
    store: &dyn Store,
    email: &str,
    admin: bool,
    m: Option<(ProgrammeId, Role)>,
) -> UserId {
    let new = NewUser {
        email: email.into(),
        display_name: format!("Person {email}"),
        password_hash: HASH.clone(),
        is_admin: admin,
    };
    store
        .create_user(&new, m, &Actor::system("test"))
        .await
        .unwrap()
        .id
}

static HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| useit_core::auth::password::hash(PASSWORD));

async fn seed(store: &dyn Store) -> Fixture {
    let actor = Actor::system("test");
    let a = store
        .create_programme(
            &NewProgramme::validate("alpha", "Alpha", "").unwrap(),
            None,
            &actor,
        )
        .await
        .unwrap()
        .id;
    let b = store
        .create_programme(
            &NewProgramme::validate("beta", "Beta", "").unwrap(),
            None,
            &actor,
        )
        .await
        .unwrap()
        .id;
    for role in Role::ALL {
        user(store, &email(role), false, Some((a, role))).await;
    }
    user(store, ADMIN_EMAIL, true, None).await;
    let bystander = user(store, "bystander@nowhere.test", false, None).await;
    let b_admin = user(store, B_ADMIN_EMAIL, false, Some((b, Role::Administrator))).await;
    let partner = |name: &str| {
        PartnerInput {
            name: name.into(),
            kind: "vcse".into(),
            joined_on: "2017-01-01".into(),
            ..Default::default()
        }
        .validate()
        .unwrap()
    };
    let a_partner = store
        .create_partner(
            a,
            &partner("Alpha Community Hub"),
            &PartnerContact {
                name: Some("Ali Alpha".into()),
                email: Some("ali@alpha.example".into()),
                phone: None,
            },
            &actor,
        )
        .await
        .unwrap()
        .id;
    let b_partner = store
        .create_partner(
            b,
            &partner(B_PARTNER_NAME),
            &PartnerContact {
                name: Some("Bea Secret".into()),
                email: Some(B_CONTACT_EMAIL.into()),
                phone: None,
            },
            &actor,
        )
        .await
        .unwrap()
        .id;
    for load in useit_testkit::place::sample() {
        store.load_reference(load, &|_| {}, &actor).await.unwrap();
    }
    let beta_area = AreaSelection {
        scheme: "lsoa11".into(),
        index: "imd2019".into(),
        wards: vec![useit_testkit::place::WARDS[1].into()],
        ..Default::default()
    };
    let facts = store.area_facts("lsoa11", Some("imd2019")).await.unwrap();
    store
        .save_area_of_benefit(
            b,
            &beta_area,
            &beta_area.resolve(&facts).codes,
            BETA_AOB_NOTE,
            &actor,
        )
        .await
        .unwrap();
    let beta = useit_app::Caller::system(b, "test");
    let b_anchor = useit_app::anchors::anchor::save_anchor(
        store,
        &beta,
        &useit_core::anchors::anchor::AnchorInput {
            slug: "trust".into(),
            name: "Beta Trust".into(),
            kind: "nhs_trust".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let beta_spend = format!("Date,Supplier,Amount\n01/04/2024,{B_SUPPLIER} Ltd,99999.99\n");
    useit_app::anchors::import_spend_file(
        store,
        &beta,
        useit_app::anchors::SpendUpload {
            anchor: &b_anchor.slug,
            file_name: "beta.csv",
            bytes: beta_spend.as_bytes(),
            options: Default::default(),
        },
        &|_| {},
    )
    .await
    .expect("the beta programme's spend file imports");
    let talent_person = |name: &str| useit_core::talent::casework::PersonDraft {
        full_name: name.into(),
        email: Some("secret.person@example.org".into()),
        profession: "nurse".into(),
        qualification_country: "Syria".into(),
        right_to_work: Some(useit_core::talent::casework::RightToWork::Yes),
        lawful_basis: Some(useit_core::talent::casework::LawfulBasis::Consent),
        consent_given_on: Some(time::macros::date!(2026 - 01 - 01)),
        ..Default::default()
    };
    use useit_core::talent::person::{Caseload, HomePlace};
    let talent_change = |name: &str| useit_store::talent::PersonChange {
        draft: talent_person(name),
        caseworker: None,
        home: HomePlace::default(),
    };
    let a_person = store
        .create_person(a, &talent_change("Alpha Person"), &actor)
        .await
        .unwrap()
        .id;
    let b_person = store
        .create_person(b, &talent_change(B_PERSON), &actor)
        .await
        .unwrap()
        .id;
    let b_vacancy = store
        .save_vacancy(
            b,
            &useit_core::talent::vacancy::VacancyInput {
                reference: "BETA-1".into(),
                anchor_slug: None,
                title: "Beta healthcare assistant".into(),
                role: "healthcare_assistant".into(),
                band: "3".into(),
                site_postcode: None,
                posts: 1,
                opens_on: time::macros::date!(2026 - 01 - 01),
                closes_on: None,
                requirements: String::new(),
            },
            &actor,
        )
        .await
        .unwrap();
    let b_placement = store
        .confirm_placement(
            b,
            Caseload::All,
            &useit_store::talent::Proposal {
                person: b_person,
                vacancy: b_vacancy.id,
                score: 50,
                reasons: "[]".into(),
            },
            &actor,
        )
        .await
        .unwrap()
        .id;
    let issued = token::issue();
    let b_token = store
        .create_token(
            &NewApiToken {
                programme_id: b,
                user_id: b_admin,
                role: Role::Administrator,
                name: "b".into(),
                token_hash: issued.hash,
                hint: issued.hint,
                expires_at: None,
            },
            &actor,
        )
        .await
        .unwrap()
        .id;
    let b_enterprise = useit_app::enterprise::profiles::add_enterprise(
        store,
        &beta,
        &useit_core::enterprise::profile::NewEnterpriseInput {
            name: B_ENTERPRISE.into(),
            postcode: String::new(),
        },
    )
    .await
    .unwrap()
    .id;
    useit_app::enterprise::profiles::save_profile(
        store,
        &beta,
        b_enterprise,
        &useit_core::enterprise::profile::ProfileInput {
            services: "cleaning".into(),
            turnover: "100000".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let b_lot = useit_app::enterprise::lots::save_lot(
        store,
        &beta,
        &useit_core::enterprise::lot::LotInput {
            reference: "BETA-LOT-1".into(),
            buyer: "Beta Trust".into(),
            title: "Beta secret lot".into(),
            services: "cleaning".into(),
            value: "1000".into(),
            deadline: "01/01/2099".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .id;
    let b_second = useit_app::enterprise::profiles::add_enterprise(
        store,
        &beta,
        &useit_core::enterprise::profile::NewEnterpriseInput {
            name: "Beta Second Enterprise CIC".into(),
            postcode: String::new(),
        },
    )
    .await
    .unwrap()
    .id;
    let b_consortium = useit_app::enterprise::formed::save_consortium(
        store,
        &beta,
        None,
        &useit_core::enterprise::formed::ConsortiumInput {
            name: B_CONSORTIUM.into(),
            lead: b_enterprise.to_string(),
            members: b_second.to_string(),
            lot: b_lot.to_string(),
            formed_on: "2020-01-01".into(),
        },
    )
    .await
    .unwrap()
    .id;
    useit_app::enterprise::formed::add_bid(
        store,
        &beta,
        b_consortium,
        &useit_core::enterprise::formed::BidInput {
            on: "2020-02-01".into(),
            outcome: "submitted".into(),
            note: String::new(),
        },
    )
    .await
    .unwrap();
    let b_interaction = beta_interaction(store, &beta).await;
    Fixture {
        b_consortium,
        b_interaction,
        a,
        b,
        a_partner,
        b_partner,
        bystander,
        b_admin,
        b_token,
        a_person,
        b_person,
        b_placement,
        b_enterprise,
        b_lot,
    }
}

/// Beta's register organisation, its trust's interaction with it and the
/// practice change it prompted.
async fn beta_interaction(store: &dyn Store, beta: &useit_app::Caller) -> uuid::Uuid {
    use useit_app::anchors::interactions::{add_interaction, add_practice_change, interactions};
    use useit_core::anchors::interactions::{InteractionInput, InteractionQuery};
    useit_app::anchors::register::load_organisations(
        store,
        beta,
        &[useit_core::anchors::register::OrganisationInput {
            org_id: "GB-CHC-9999001".into(),
            name: B_ORGANISATION.into(),
            kind: useit_core::anchors::measures::SupplierKind::Vcse,
            company_number: None,
            postcode: Some("B66 2QT".into()),
            trading_postcode: None,
            source: "test".into(),
            details: Default::default(),
            location: None,
        }],
    )
    .await
    .unwrap();
    add_interaction(
        store,
        beta,
        &InteractionInput {
            anchor: "trust".into(),
            organisation: "GB-CHC-9999001".into(),
            kind: "referral".into(),
            started_on: "2025-01-01".into(),
            ended_on: String::new(),
            evidence: "Beta referral log".into(),
        },
    )
    .await
    .unwrap();
    let id = interactions(store, beta, &InteractionQuery::default())
        .await
        .unwrap()[0]
        .id;
    add_practice_change(
        store,
        beta,
        &useit_core::anchors::practice::PracticeInput {
            anchor: "trust".into(),
            changed_on: "2025-02-01".into(),
            kind: "space_opened".into(),
            summary: "Beta secret practice change".into(),
            interaction: id.to_string(),
            barrier: String::new(),
        },
    )
    .await
    .unwrap();
    id
}

/// A browser-like client: keeps the session cookie, sends the Origin a
/// browser would, and puts the CSRF token in forms.
pub struct Client {
    http: reqwest::Client,
    pub base: String,
    pub cookie: Option<String>,
    pub csrf: String,
    pub bearer: Option<String>,
    /// An `X-Forwarded-For` to send, as a reverse proxy would.
    pub forwarded_for: Option<String>,
}

impl Client {
    pub fn new(base: &str) -> Client {
        Client {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: base.to_string(),
            cookie: None,
            csrf: String::new(),
            bearer: None,
            forwarded_for: None,
        }
    }

    fn headers(&self, unsafe_method: bool) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Some(c) = &self.cookie {
            h.insert("cookie", HeaderValue::from_str(c).unwrap());
        }
        if let Some(t) = &self.bearer {
            h.insert(
                "authorization",
                HeaderValue::from_str(&format!("Bearer {t}")).unwrap(),
            );
        }
        if unsafe_method {
            h.insert("origin", HeaderValue::from_str(&self.base).unwrap());
        }
        if let Some(f) = &self.forwarded_for {
            h.insert("x-forwarded-for", HeaderValue::from_str(f).unwrap());
        }
        h
    }

    fn keep_cookie(&mut self, res: &reqwest::Response) {
        for v in res.headers().get_all("set-cookie") {
            let v = v.to_str().unwrap();
            if let Some(pair) = v.split(';').next()
                && pair.starts_with("useit_session=")
            {
                self.cookie = if pair == "useit_session=" {
                    None
                } else {
                    Some(pair.to_string())
                };
            }
        }
    }

    pub async fn get(&mut self, path: &str) -> reqwest::Response {
        let res = self
            .http
            .get(format!("{}{path}", self.base))
            .headers(self.headers(false))
            .send()
            .await
            .unwrap();
        self.keep_cookie(&res);
        res
    }

    pub async fn get_text(&mut self, path: &str) -> (StatusCode, String) {
        let res = self.get(path).await;
        (res.status(), res.text().await.unwrap())
    }

    /// Posts a form with the session's CSRF token.
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        let csrf = self.csrf.clone();
        all.push(("_csrf", &csrf));
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .headers(self.headers(true))
            .form(&all)
            .send()
            .await
            .unwrap();
        self.keep_cookie(&res);
        res
    }

    /// Posts a file as a browser's upload form would.
    pub async fn post_upload(
        &mut self,
        path: &str,
        file_name: &str,
        bytes: Vec<u8>,
        extra: &[(&str, &str)],
    ) -> reqwest::Response {
        let boundary = "useitboundary7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        let mut field = |name: &str, value: &str| {
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
        };
        field("_csrf", &self.csrf.clone());
        for (k, v) in extra {
            field(k, v);
        }
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(&bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .headers(self.headers(true))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .await
            .unwrap();
        self.keep_cookie(&res);
        res
    }

    /// Posts several files in one field, as a browser's
    /// `<input type=file multiple>` sends them.
    pub async fn post_uploads(
        &mut self,
        path: &str,
        files: &[(&str, &[u8])],
        extra: &[(&str, &str)],
    ) -> reqwest::Response {
        let boundary = "useitboundary7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        let mut field = |name: &str, value: &str| {
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
        };
        field("_csrf", &self.csrf.clone());
        for (k, v) in extra {
            field(k, v);
        }
        for (name, bytes) in files {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .headers(self.headers(true))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .await
            .unwrap();
        self.keep_cookie(&res);
        res
    }

    /// Sends JSON the way an API client with this client's credentials would.
    /// Makes alpha a French programme counting in euros, as the deployment's
    /// administrator does through the locale API (the caller must be one).
    pub async fn speak_french_in_alpha(&mut self) {
        let res = self
            .json(
                reqwest::Method::PUT,
                "/api/v1/admin/programmes/alpha/locale",
                Some(serde_json::json!({ "currency": "EUR", "language": "fr" })),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
    }

    pub async fn json(
        &mut self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> reqwest::Response {
        let unsafe_method = method != reqwest::Method::GET;
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .headers(self.headers(unsafe_method));
        if self.bearer.is_none() && unsafe_method {
            req = req.header("x-csrf-token", self.csrf.clone());
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        self.keep_cookie(&res);
        res
    }

    pub async fn sign_in(&mut self, email: &str, password: &str) -> reqwest::Response {
        let res = self
            .http
            .post(format!("{}/sign-in", self.base))
            .headers(self.headers(true))
            .form(&[("email", email), ("password", password)])
            .send()
            .await
            .unwrap();
        self.keep_cookie(&res);
        if res.status() == StatusCode::SEE_OTHER {
            let (_, html) = self.get_text("/account").await;
            self.csrf = csrf_in(&html).expect("a CSRF token on the account page");
        }
        res
    }
}

/// The CSRF token in a page's forms.
pub fn csrf_in(html: &str) -> Option<String> {
    let i = html.find("name=\"_csrf\" value=\"")? + "name=\"_csrf\" value=\"".len();
    Some(html[i..].split('"').next()?.to_string())
}

pub fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}
