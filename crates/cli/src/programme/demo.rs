//! The demo's programmes, accounts and partnership.
//!
//! The anchor, councils, universities and social enterprise support body are
//! the USE-IT! partners the case study names (public bodies, no personal
//! data); the community organisations and every person are generated.

use std::sync::Arc;

use indicatif::ProgressBar;
use useit_app::auth::Operator;
use useit_app::auth::users::create_user;
use useit_app::programme::indicators::save_targets;
use useit_app::programme::members::add_member;
use useit_app::programme::partners::create_partner;
use useit_app::programme::programmes::create_programme;
use useit_app::{Caller, Store};
use useit_core::auth::{MemberInput, Role, UserInput};
use useit_core::programme::targets::{TargetInput, TargetsInput};
use useit_core::programme::{ContactInput, PartnerContact, PartnerInput, ProgrammeInput};

use crate::auth::app_error;
use crate::demo::{PASSWORD, PROGRAMME, Seeded, USERS};

pub const STEPS: u64 = 4;

struct DemoPartner {
    name: &'static str,
    kind: &'static str,
    org_id: &'static str,
    website: &'static str,
    postcode: &'static str,
    description: &'static str,
    joined: &'static str,
    left: &'static str,
}

const PARTNERS: &[DemoPartner] = &[
    DemoPartner {
        name: "Sandwell and West Birmingham Hospitals NHS Trust",
        kind: "anchor_institution",
        org_id: "GB-NHS-RXK",
        website: "https://www.swbh.nhs.uk",
        postcode: "B66 2QT",
        description: "The anchor institution: its new Midland Metropolitan University Hospital in Smethwick, its spending, its vacancies and its partnerships with local organisations.",
        joined: "2016-11-01",
        left: "",
    },
    DemoPartner {
        name: "Birmingham City Council",
        kind: "local_authority",
        org_id: "GB-LAE-BIR",
        website: "https://www.birmingham.gov.uk",
        postcode: "B1 1BB",
        description: "Lead partner: runs the programme and reports to the funder.",
        joined: "2016-11-01",
        left: "",
    },
    DemoPartner {
        name: "Sandwell Metropolitan Borough Council",
        kind: "local_authority",
        org_id: "GB-LAE-SAW",
        website: "https://www.sandwell.gov.uk",
        postcode: "B69 3DE",
        description: "Second local authority of the area of benefit.",
        joined: "2016-11-01",
        left: "",
    },
    DemoPartner {
        name: "University of Birmingham",
        kind: "university",
        org_id: "",
        website: "https://www.birmingham.ac.uk",
        postcode: "B15 2TT",
        description: "Evaluation and research methods; trains community researchers.",
        joined: "2016-11-01",
        left: "",
    },
    DemoPartner {
        name: "Birmingham City University",
        kind: "university",
        org_id: "",
        website: "https://www.bcu.ac.uk",
        postcode: "B4 7XG",
        description: "Community research and accreditation.",
        joined: "2016-11-01",
        left: "",
    },
    DemoPartner {
        name: "Initiative for Social Entrepreneurs",
        kind: "social_enterprise",
        org_id: "",
        website: "",
        postcode: "",
        description: "Supports social enterprises to trade, form consortia and bid for contracts.",
        joined: "2016-11-01",
        left: "",
    },
    DemoPartner {
        name: "KPMG",
        kind: "private_sector",
        org_id: "",
        website: "https://kpmg.com/uk",
        postcode: "",
        description: "Co-wrote the bid; advised on the business case.",
        joined: "2016-11-01",
        left: "2018-10-31",
    },
    DemoPartner {
        name: "Smethwick Community Kitchen CIC",
        kind: "social_enterprise",
        org_id: "",
        website: "",
        postcode: "B66 3AP",
        description: "Cooks for community events; bidding for hospital catering lots.",
        joined: "2017-05-15",
        left: "",
    },
    DemoPartner {
        name: "Smethwick Community Kitchen",
        kind: "vcse",
        org_id: "",
        website: "",
        postcode: "B66 3AP",
        description: "Entered twice by mistake: a duplicate to merge.",
        joined: "2018-01-10",
        left: "",
    },
    DemoPartner {
        name: "Ladywood Health Champions",
        kind: "vcse",
        org_id: "",
        website: "",
        postcode: "B16 8SN",
        description: "Residents who promote health services in Ladywood.",
        joined: "2017-03-01",
        left: "",
    },
    DemoPartner {
        name: "Soho Road Women's Network",
        kind: "vcse",
        org_id: "",
        website: "",
        postcode: "B21 9ST",
        description: "Peer support and English conversation groups.",
        joined: "2017-09-01",
        left: "",
    },
    DemoPartner {
        name: "Winson Green Youth Forum",
        kind: "vcse",
        org_id: "",
        website: "",
        postcode: "B18 4HA",
        description: "Young people's voice in the community plans.",
        joined: "2018-02-01",
        left: "2019-01-31",
    },
    DemoPartner {
        name: "Cape Hill Repair Café",
        kind: "social_enterprise",
        org_id: "",
        website: "",
        postcode: "B66 4SJ",
        description: "Repairs and reuse; trains volunteers into paid work.",
        joined: "2018-04-01",
        left: "",
    },
    DemoPartner {
        name: "Rotton Park Growers Co-operative",
        kind: "social_enterprise",
        org_id: "",
        website: "",
        postcode: "B16 0AE",
        description: "Food growing on under-used land; supplies local cafés.",
        joined: "2018-06-01",
        left: "",
    },
    DemoPartner {
        name: "Summerfield Tenants' Association",
        kind: "vcse",
        org_id: "",
        website: "",
        postcode: "B18 7PA",
        description: "Tenants' voice; hosts community research sessions.",
        joined: "2018-09-01",
        left: "",
    },
    DemoPartner {
        name: "Black Country Refugee Doctors Network",
        kind: "vcse",
        org_id: "",
        website: "",
        postcode: "B70 8DJ",
        description: "Peer support for overseas-qualified doctors preparing for PLAB.",
        joined: "2017-01-16",
        left: "",
    },
    DemoPartner {
        name: "Heart of England Community Foundation",
        kind: "funder",
        org_id: "",
        website: "",
        postcode: "",
        description: "Small grants to community groups in the area.",
        joined: "2017-10-01",
        left: "",
    },
];

const FIRST: &[&str] = &[
    "Aisha", "Ben", "Chloe", "Darnell", "Eilidh", "Farhan", "Grace", "Hassan", "Imogen", "Jamal",
    "Kiran", "Lucy", "Marek", "Nadia", "Olu", "Parveen", "Rhys", "Sana", "Tariq", "Zofia",
];
const LAST: &[&str] = &[
    "Ahmed", "Bailey", "Campbell", "Dhillon", "Evans", "Francis", "Gill", "Hussain", "Iqbal",
    "Johnson", "Kaur", "Lewis", "Mahmood", "Nowicki", "Okoro", "Patel", "Reid", "Singh", "Thomas",
    "Walker",
];

/// A generated contact person: a made-up name, an example.org address and a
/// number in Ofcom's range reserved for drama (0121 496 0xxx).
fn contact(rng: &mut Seeded, org: &str) -> PartnerContact {
    let first = rng.pick(FIRST);
    let last = rng.pick(LAST);
    let domain: String = useit_core::names::normalise(org)
        .split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join("-");
    PartnerContact {
        name: Some(format!("{first} {last}")),
        email: Some(format!(
            "{}.{}@{domain}.example.org",
            first.to_lowercase(),
            last.to_lowercase()
        )),
        phone: Some(format!("0121 496 0{:03}", rng.below(1000))),
    }
}

/// Builds the demo's accounts, its two programmes and their partners
/// through the same use cases (and so the same rules) as people meet.
pub async fn build(store: &Arc<dyn Store>, bar: &ProgressBar) -> anyhow::Result<()> {
    let store = store.as_ref();
    let demo = Operator::system("demo");
    let mut rng = Seeded::new(2016);
    for u in USERS {
        let input = UserInput {
            email: u.email.to_string(),
            display_name: u.name.to_string(),
            password: PASSWORD.to_string(),
            is_admin: u.role == Role::Administrator,
        };
        create_user(store, &demo, &input, None)
            .await
            .map_err(app_error)?;
    }
    bar.inc(1);
    let administrator = USERS[0].email.to_string();
    let wbs = create_programme(
        store,
        &demo,
        &ProgrammeInput {
            slug: PROGRAMME.into(),
            name: "West Birmingham & Smethwick".into(),
            description: "USE-IT! (Unlocking Social and Economic Innovation Together) joins the new Midland Metropolitan \
                 University Hospital and its anchor institutions with the skills, enterprises and community groups \
                 of the neighbourhoods around it."
                .into(),
            administrator_email: administrator.clone(),
        },
    )
    .await
    .map_err(app_error)?;
    let wbs = Caller::system(wbs.id, "demo");
    for u in &USERS[1..] {
        add_member(store, &wbs, &member(u.email, u.role))
            .await
            .map_err(app_error)?;
    }
    let east = create_programme(
        store,
        &demo,
        &ProgrammeInput {
            slug: "east-birmingham".into(),
            name: "East Birmingham".into(),
            description:
                "A second programme copying the USE-IT! model with its own partners and geography."
                    .into(),
            administrator_email: administrator,
        },
    )
    .await
    .map_err(app_error)?;
    let east = Caller::system(east.id, "demo");
    add_member(
        store,
        &east,
        &member(USERS[1].email, Role::ProgrammeManager),
    )
    .await
    .map_err(app_error)?;
    save_targets(store, &wbs, &demo_targets())
        .await
        .map_err(app_error)?;
    bar.inc(1);
    for d in PARTNERS {
        let input = PartnerInput {
            name: d.name.into(),
            kind: d.kind.into(),
            org_id: d.org_id.into(),
            website: d.website.into(),
            postcode: d.postcode.into(),
            description: d.description.into(),
            joined_on: d.joined.into(),
            left_on: d.left.into(),
        };
        let contact = (d.kind == "vcse" || d.kind == "social_enterprise")
            .then(|| ContactInput::from_contact(&contact(&mut rng, d.name)));
        create_partner(store, &wbs, &input, contact.as_ref())
            .await
            .map_err(app_error)?;
    }
    bar.inc(1);
    for (name, kind, joined) in [
        ("Birmingham City Council", "local_authority", "2019-04-01"),
        (
            "University Hospitals Birmingham NHS Foundation Trust",
            "anchor_institution",
            "2019-06-01",
        ),
        ("Washwood Heath Community Hub", "vcse", "2019-09-01"),
    ] {
        let input = PartnerInput {
            name: name.into(),
            kind: kind.into(),
            joined_on: joined.into(),
            ..Default::default()
        };
        create_partner(store, &east, &input, None)
            .await
            .map_err(app_error)?;
    }
    bar.inc(1);
    Ok(())
}

/// A demo account's membership, as a person would add it.
fn member(email: &str, role: Role) -> MemberInput {
    MemberInput {
        email: email.into(),
        role: role.slug().into(),
        ..Default::default()
    }
}

/// USE-IT!'s targets as the case study gives them, for the indicators the
/// data can judge: 60 community researchers, 60 professionals engaged, 120
/// enterprises supported and 3 community economic development plans
/// (counted when a community adopts its plan). East Birmingham starts with
/// none.
fn demo_targets() -> TargetsInput {
    let target = |indicator: &str, value: &str| TargetInput {
        indicator: indicator.into(),
        value: value.into(),
        ..Default::default()
    };
    TargetsInput {
        targets: vec![
            target("researchers_accredited", "60"),
            target("talent_engaged", "60"),
            target("enterprises_supported", "120"),
            target("communities_with_adopted_plan", "3"),
        ],
    }
}

/// Three stories as the seed's case study tells its results, each about a
/// demo row and told with consent: a resident into an NHS job, an
/// accredited community researcher and a social enterprise. Built through
/// the use cases, after the strands' demos have made their rows.
pub async fn stories(store: &Arc<dyn Store>, bar: &ProgressBar) -> anyhow::Result<()> {
    use useit_app::enterprise::profiles::directory;
    use useit_app::programme::report::save_report_texts;
    use useit_app::programme::stories::save_story;
    use useit_app::research::researchers::researchers;
    use useit_app::talent::people::people;
    use useit_core::clock;
    use useit_core::enterprise::profile::EnterpriseQuery;
    use useit_core::listing::PageRequest;
    use useit_core::programme::report::ReportTexts;
    use useit_core::programme::stories::StoryInput;
    use useit_core::research::researcher::ResearcherParams;
    use useit_core::talent::casework::WorkOutcome;
    use useit_core::talent::person::PeopleQuery;

    let p = crate::demo::programme(store, PROGRAMME).await?;
    let caller = Caller::system(p.id, "demo");
    let s = store.as_ref();
    let today = clock::today();
    let day = |days_ago: i64| clock::iso_date(today - time::Duration::days(days_ago));
    let first = |name: &str| name.split_whitespace().next().unwrap_or("").to_string();
    let mut told = Vec::new();

    let into_nhs = PeopleQuery {
        work: Some(WorkOutcome::Nhs),
        ..PeopleQuery::default()
    };
    if let Some(person) = people(s, &caller, &into_nhs, PageRequest::new(Some(1), Some(1)))
        .await?
        .items
        .into_iter()
        .next()
    {
        let d = &person.draft;
        told.push(StoryInput {
            title: "Unblocking the way back to the wards".into(),
            shown_as: format!(
                "{}, trained as a {} in {}",
                first(&d.full_name),
                d.profession.replace('_', " "),
                d.qualification_country
            ),
            // Told by first name, with no pronoun the records do not hold.
            body: format!(
                "Qualified abroad and working nights in a warehouse, {name} met the programme at a community event. The caseworker paid for {name}'s English test and found a clinical attachment for the months of preparing for the registration exams, and the trust changed the rule that asked for UK experience before an interview. {name} now works on a ward of the new hospital.",
                name = first(&d.full_name)
            ),
            told_on: day(60),
            subject_kind: "person".into(),
            subject_id: person.id.to_string(),
            consent_given_on: day(75),
            consent_method: "signed_form".into(),
            consent_note: "First name, profession and country only; no photograph. Form kept in the case file.".into(),
        });
    }
    let accredited = ResearcherParams {
        accredited: Some("yes".into()),
        per_page: Some(1),
        ..ResearcherParams::default()
    };
    if let Some(r) = researchers(s, &caller, &accredited)
        .await?
        .items
        .into_iter()
        .next()
    {
        let name = first(&r.draft.full_name);
        told.push(StoryInput {
            title: "Paid to research the street where they live".into(),
            shown_as: format!("{name}, community researcher"),
            body: format!(
                "Recruited through a leaflet at the food bank, {name} trained and was accredited as a community researcher, and was paid for every hour of fieldwork. {name}'s interviews about where hospital staff spend their money shaped the anchor's plan to open its spaces to local groups."
            ),
            told_on: day(45),
            subject_kind: "researcher".into(),
            subject_id: r.id.to_string(),
            consent_given_on: day(50),
            consent_method: "in_writing".into(),
            consent_note: "First name and role; agreed by e-mail.".into(),
        });
    }
    if let Some(e) = directory(s, &caller, &EnterpriseQuery::default())
        .await?
        .into_iter()
        .next()
    {
        told.push(StoryInput {
            title: "Breaking from funding dependency".into(),
            shown_as: e.enterprise.name.clone(),
            body: "With help on its business plan and a consortium with two other local enterprises, it bid for and won a contract with the hospital trust, and now earns more from trading than from grants.".into(),
            told_on: day(30),
            subject_kind: "organisation".into(),
            subject_id: e.enterprise.id.to_string(),
            consent_given_on: day(35),
            consent_method: "online_form".into(),
            consent_note: "The organisation's name may be used.".into(),
        });
    }
    for input in &told {
        save_story(s, &caller, None, input)
            .await
            .map_err(app_error)?;
    }
    save_report_texts(
        s,
        &caller,
        &ReportTexts {
            challenge: "Poverty is deepest a mile from the new hospital: rising use of food banks, in-work poverty, and residents with medical qualifications from abroad who cannot reach the jobs they are trained for. Matching people with jobs seems impossible until they believe they stand a chance; rebuilding trust in the communities comes first.".into(),
            solution: "Bridges between the anchor institutions' large assets (their spending, hiring and spaces) and the community's small ones (skills, groups, social enterprises), with every bridge measured from the data so the system changes and leaves fewer people behind.".into(),
            what_worked: "Co-designed bid: every partner wrote its own part\nPaying community researchers for their time\nWorking on the employer's rules, not only on the people".into(),
            what_did_not: "A partnership this large is hard to manage\nSpace for social enterprises in supply chains came late".into(),
        },
    )
    .await
    .map_err(app_error)?;
    bar.inc(1);
    Ok(())
}
