//! The demo's research findings (issue 19 item 3): the programme's theme
//! list and a handful of findings on the demo's projects, across the three
//! communities' wards (Soho and Victoria, Ladywood, Lozells), with
//! anonymised quotes and the re-spend survey's questions they draw on; and
//! the re-spend survey's results taken as LM3's re-spend inputs. All
//! through the same use cases as the pages.

use useit_app::research::findings::{save_finding, save_project_themes, save_themes};
use useit_app::research::respend::use_respend;
use useit_app::{Caller, Store};
use useit_core::research::finding::{FindingInput, QuoteInput};
use uuid::Uuid;

/// The wards of the demo's three communities.
const SOHO: &str = "E05001278";
const LADYWOOD: &str = "E05011151";
const LOZELLS: &str = "E05011153";

const THEMES: &str =
    "Food and shops\nGetting around\nSafety\nWork and jobs\nCaring\nCommunity spaces";

/// The themes the young carers' own project proposed.
const CARERS_THEMES: &str = "A break from caring\nCaring and school";

fn quote(text: &str, role: &str, age: &str) -> QuoteInput {
    QuoteInput {
        text: text.into(),
        role: role.into(),
        age_band: age.into(),
    }
}

fn finding(
    theme: &str,
    summary: &str,
    areas: &[&str],
    questions: &[&str],
    respondents: &str,
    quotes: Vec<QuoteInput>,
) -> FindingInput {
    FindingInput {
        theme: theme.into(),
        summary: summary.into(),
        quotes,
        areas: areas.iter().map(|a| a.to_string()).collect(),
        questions: questions.iter().map(|q| q.to_string()).collect(),
        respondents: respondents.into(),
    }
}

/// `projects`: the demo's projects in order (re-spend survey, getting to
/// work, young carers, community spaces).
pub async fn build(s: &dyn Store, caller: &Caller, projects: &[Uuid]) -> anyhow::Result<()> {
    save_themes(s, caller, THEMES).await?;
    let [respend, work, carers, spaces] = projects else {
        anyhow::bail!("the demo's research projects are not the four expected");
    };
    // The young carers' own project proposes themes of its own.
    save_project_themes(s, caller, *carers, CARERS_THEMES).await?;
    let findings: Vec<(Uuid, FindingInput)> = vec![
        (
            *respend,
            finding(
                "Food and shops",
                "Staff who live near the hospital do most of their weekly shop locally; those who commute in spend little beyond lunch.",
                &[SOHO],
                &["spend/where", "spend/share_local"],
                "74",
                vec![
                    quote(
                        "There's nowhere to sit down and eat near the site, so I bring it from home.",
                        "ward clerk",
                        "35_44",
                    ),
                    quote(
                        "I get everything on Cape Hill on the way home.",
                        "healthcare assistant",
                        "25_34",
                    ),
                ],
            ),
        ),
        (
            *respend,
            finding(
                "Safety",
                "Night-shift staff avoid walking to the shops after dark and take taxis or drive instead.",
                &[SOHO],
                &["barriers"],
                "23",
                vec![quote(
                    "I'd walk to the high street if the route was lit.",
                    "night-shift nurse",
                    "45_54",
                )],
            ),
        ),
        (
            *respend,
            finding(
                "Food and shops",
                "Few suppliers' staff spend near the hospital: opening hours end before their shifts do.",
                &[],
                &["barriers", "spend/weekly_local"],
                "3",
                vec![quote(
                    "By the time I finish everything's shut.",
                    "delivery driver",
                    "",
                )],
            ),
        ),
        (
            *work,
            finding(
                "Work and jobs",
                "Residents see hospital jobs as needing qualifications they lack; few know of the entry-level routes.",
                &[SOHO, LADYWOOD],
                &[],
                "31",
                vec![
                    quote(
                        "I thought you had to be a nurse to work there.",
                        "parent",
                        "25_34",
                    ),
                    quote(
                        "Nobody told us the porters' jobs were open to anyone.",
                        "job seeker",
                        "18_24",
                    ),
                ],
            ),
        ),
        (
            *work,
            finding(
                "Getting around",
                "Two buses from Ladywood make early shifts hard to reach without a car.",
                &[LADYWOOD],
                &[],
                "12",
                vec![quote(
                    "The first bus gets in after the shift starts.",
                    "cleaner",
                    "55_64",
                )],
            ),
        ),
        (
            *carers,
            finding(
                "Caring",
                "Young carers rarely know of the support on offer; school is where most would look for it.",
                &[LADYWOOD],
                &[],
                "4",
                vec![quote(
                    "I didn't know I counted as a carer.",
                    "young carer",
                    "under_18",
                )],
            ),
        ),
        (
            *carers,
            finding(
                "A break from caring",
                "Young carers want an evening a week off caring; the youth club closing took the one they had.",
                &[LADYWOOD],
                &[],
                "4",
                vec![],
            ),
        ),
        (
            *spaces,
            finding(
                "Community spaces",
                "Faith halls around Lozells Road are the only rooms groups can afford, and they are booked most evenings.",
                &[LOZELLS],
                &[],
                "17",
                vec![quote(
                    "We share one hall between five groups.",
                    "group organiser",
                    "65_plus",
                )],
            ),
        ),
        (
            *spaces,
            finding(
                "Community spaces",
                "Groups in Soho and Victoria would use rooms at the new hospital if they were offered at low cost.",
                &[SOHO, LOZELLS],
                &[],
                "",
                vec![],
            ),
        ),
    ];
    for (project, input) in findings {
        save_finding(s, caller, project, None, &input).await?;
    }
    // The re-spend survey's results as LM3's re-spend inputs.
    use_respend(s, caller, *respend).await?;
    Ok(())
}
