use std::fmt;

use serde::Serialize;

use super::Role;
use Role::*;

/// Something a route or a batch job needs the caller to be allowed to do.
/// Each route in the web crate declares exactly one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Capability {
    /// The programme home page and aggregate counts.
    ViewProgramme,
    /// The list and details of partner organisations (no contact people).
    ViewPartners,
    /// Add, change, import and merge partners.
    EditPartners,
    /// Names, e-mails and phone numbers of partners' contact people.
    ViewPartnerContacts,
    /// Who is in the programme and their roles (names and e-mails).
    ViewMembers,
    /// Add people to the programme, change and remove their roles.
    ManageMembers,
    /// The audit log of the programme: its administrators' and, so they can
    /// answer for their own programme's records, its managers' (issue 15).
    ViewAudit,
    /// The geography: the area of benefit, its map, areas and postcode look-ups.
    ViewPlace,
    /// Change the programme's area of benefit.
    EditAreaOfBenefit,
    /// Anchors' spend: the measures, the lines behind them, suppliers.
    ViewSpend,
    /// Import spend files, decide suppliers, change anchors and spend settings.
    ManageSpend,
    /// The skills strand's results: funnel, barrier report, savings (no names).
    ViewTalentResults,
    /// People on the pathway (personal data): a caseworker sees their own caseload.
    ViewPeople,
    /// Add and change people and their records, match and place them.
    EditPeople,
    /// Everyone's caseload, not only one's own.
    ViewAllCaseloads,
    /// Erase a person's personal data.
    ErasePeople,
    /// Add and import vacancies.
    ManageVacancies,
    /// The skills strand's targets and the savings inputs.
    ManageTalentSettings,
    /// Social enterprises: the directory, profiles, support, income, the
    /// anchors' lots and who can bid for them (no personal data).
    ViewEnterprises,
    /// Add enterprises and change their profiles; record support and income.
    EditEnterprises,
    /// Enter and import the anchors' tender lots.
    ManageOpportunities,
    /// The research strand: projects, findings and its figures (no names).
    ViewResearch,
    /// Community researchers' records (personal data), projects, approving
    /// hours, payment runs and the pay rule: the research coordinator.
    ManageResearch,
    /// Enter one's own research hours and see one's own record and
    /// timesheets (a coordinator sees everyone's).
    RecordResearchTime,
    /// Co-learning workshops: their case study, harvest, synthesis, printable
    /// summary and the lineage of replications (no personal data).
    ViewWorkshops,
    /// Plan workshops, open and revoke guest links, group the notes, list
    /// actions and record the lineage.
    OrganiseWorkshops,
    /// Set the programme's targets and their periods (the indicators
    /// themselves are computed, never typed in).
    ManageTargets,
    /// Set the programme's disclosure threshold: counts of people below it
    /// are hidden from roles without personal-data rights.
    ManageDisclosure,
    /// Record which organisations each anchor works with, and the practice
    /// changes those interactions prompted.
    ManageInteractions,
    /// Download the programme's model for another city to start from: its
    /// rules, settings, targets and shapes, never personal data.
    ExportModel,
    /// The programme's stories with who each is about and the consent it
    /// stands on (personal data: reading them is audited).
    ViewStories,
    /// Add and change stories, record consent and withdraw it, and write
    /// the report's own texts.
    ManageStories,
    /// Communities and their CED plans, with each plan's progress (no
    /// personal data: who the members are is `ManageCommunities`).
    ViewCommunities,
    /// Edit the CED plan of a community one is a member of (its actions
    /// too); the app narrows it to the caller's own communities unless they
    /// may manage communities.
    EditCommunityPlans,
    /// Add and change communities and their areas, see and change who their
    /// members are (personal data), and edit every community's plan.
    ManageCommunities,
}

const EVERYONE: &[Role] = &Role::ALL;

/// The permission table: which roles hold each capability.
///
/// This is the single source of truth; the roles page renders it and the
/// authorisation-matrix test checks every route against its own copy.
pub const GRANTS: &[(Capability, &[Role])] = &[
    (Capability::ViewProgramme, EVERYONE),
    (Capability::ViewPartners, EVERYONE),
    (Capability::EditPartners, &[Administrator, ProgrammeManager]),
    (
        Capability::ViewPartnerContacts,
        &[Administrator, ProgrammeManager, EnterpriseAdviser],
    ),
    (Capability::ViewMembers, &[Administrator, ProgrammeManager]),
    (Capability::ManageMembers, &[Administrator]),
    (Capability::ViewAudit, &[Administrator, ProgrammeManager]),
    (Capability::ViewPlace, EVERYONE),
    (
        Capability::EditAreaOfBenefit,
        &[Administrator, ProgrammeManager],
    ),
    (Capability::ViewSpend, EVERYONE),
    (
        Capability::ManageSpend,
        &[Administrator, ProgrammeManager, AnchorAnalyst],
    ),
    (Capability::ViewTalentResults, EVERYONE),
    (
        Capability::ViewPeople,
        &[Administrator, ProgrammeManager, EmploymentCaseworker],
    ),
    (
        Capability::EditPeople,
        &[Administrator, ProgrammeManager, EmploymentCaseworker],
    ),
    (
        Capability::ViewAllCaseloads,
        &[Administrator, ProgrammeManager],
    ),
    (Capability::ErasePeople, &[Administrator, ProgrammeManager]),
    (
        Capability::ManageVacancies,
        &[Administrator, ProgrammeManager, EmploymentCaseworker],
    ),
    (
        Capability::ManageTalentSettings,
        &[Administrator, ProgrammeManager],
    ),
    (Capability::ViewEnterprises, EVERYONE),
    (
        Capability::EditEnterprises,
        &[Administrator, ProgrammeManager, EnterpriseAdviser],
    ),
    (
        Capability::ManageOpportunities,
        &[
            Administrator,
            ProgrammeManager,
            EnterpriseAdviser,
            AnchorAnalyst,
        ],
    ),
    (Capability::ViewResearch, EVERYONE),
    (
        Capability::ManageResearch,
        &[Administrator, ProgrammeManager, ResearchCoordinator],
    ),
    (
        Capability::RecordResearchTime,
        &[
            Administrator,
            ProgrammeManager,
            ResearchCoordinator,
            CommunityResearcher,
        ],
    ),
    (Capability::ViewWorkshops, EVERYONE),
    (
        Capability::OrganiseWorkshops,
        &[Administrator, ProgrammeManager, ResearchCoordinator],
    ),
    (
        Capability::ManageTargets,
        &[Administrator, ProgrammeManager],
    ),
    (
        Capability::ManageDisclosure,
        &[Administrator, ProgrammeManager],
    ),
    (
        Capability::ManageInteractions,
        &[Administrator, ProgrammeManager, AnchorAnalyst],
    ),
    (Capability::ExportModel, &[Administrator, ProgrammeManager]),
    (
        Capability::ViewStories,
        &[
            Administrator,
            ProgrammeManager,
            EmploymentCaseworker,
            EnterpriseAdviser,
            ResearchCoordinator,
        ],
    ),
    (
        Capability::ManageStories,
        &[Administrator, ProgrammeManager],
    ),
    (Capability::ViewCommunities, EVERYONE),
    (
        Capability::EditCommunityPlans,
        &[
            Administrator,
            ProgrammeManager,
            AnchorAnalyst,
            EmploymentCaseworker,
            EnterpriseAdviser,
            ResearchCoordinator,
            CommunityResearcher,
            CommunityMember,
        ],
    ),
    (
        Capability::ManageCommunities,
        &[Administrator, ProgrammeManager],
    ),
];

impl Capability {
    pub const ALL: [Capability; 35] = [
        Capability::ViewProgramme,
        Capability::ViewPartners,
        Capability::EditPartners,
        Capability::ViewPartnerContacts,
        Capability::ViewMembers,
        Capability::ManageMembers,
        Capability::ViewAudit,
        Capability::ViewPlace,
        Capability::EditAreaOfBenefit,
        Capability::ViewSpend,
        Capability::ManageSpend,
        Capability::ViewTalentResults,
        Capability::ViewPeople,
        Capability::EditPeople,
        Capability::ViewAllCaseloads,
        Capability::ErasePeople,
        Capability::ManageVacancies,
        Capability::ManageTalentSettings,
        Capability::ViewEnterprises,
        Capability::EditEnterprises,
        Capability::ManageOpportunities,
        Capability::ViewResearch,
        Capability::ManageResearch,
        Capability::RecordResearchTime,
        Capability::ViewWorkshops,
        Capability::OrganiseWorkshops,
        Capability::ManageTargets,
        Capability::ManageDisclosure,
        Capability::ManageInteractions,
        Capability::ExportModel,
        Capability::ViewStories,
        Capability::ManageStories,
        Capability::ViewCommunities,
        Capability::EditCommunityPlans,
        Capability::ManageCommunities,
    ];

    pub fn slug(&self) -> &'static str {
        match self {
            Capability::ViewProgramme => "view_programme",
            Capability::ViewPartners => "view_partners",
            Capability::EditPartners => "edit_partners",
            Capability::ViewPartnerContacts => "view_partner_contacts",
            Capability::ViewMembers => "view_members",
            Capability::ManageMembers => "manage_members",
            Capability::ViewAudit => "view_audit",
            Capability::ViewPlace => "view_place",
            Capability::EditAreaOfBenefit => "edit_area_of_benefit",
            Capability::ViewSpend => "view_spend",
            Capability::ManageSpend => "manage_spend",
            Capability::ViewTalentResults => "view_talent_results",
            Capability::ViewPeople => "view_people",
            Capability::EditPeople => "edit_people",
            Capability::ViewAllCaseloads => "view_all_caseloads",
            Capability::ErasePeople => "erase_people",
            Capability::ManageVacancies => "manage_vacancies",
            Capability::ManageTalentSettings => "manage_talent_settings",
            Capability::ViewEnterprises => "view_enterprises",
            Capability::EditEnterprises => "edit_enterprises",
            Capability::ManageOpportunities => "manage_opportunities",
            Capability::ViewResearch => "view_research",
            Capability::ManageResearch => "manage_research",
            Capability::RecordResearchTime => "record_research_time",
            Capability::ViewWorkshops => "view_workshops",
            Capability::OrganiseWorkshops => "organise_workshops",
            Capability::ManageTargets => "manage_targets",
            Capability::ManageDisclosure => "manage_disclosure",
            Capability::ManageInteractions => "manage_interactions",
            Capability::ExportModel => "export_model",
            Capability::ViewStories => "view_stories",
            Capability::ManageStories => "manage_stories",
            Capability::ViewCommunities => "view_communities",
            Capability::EditCommunityPlans => "edit_community_plans",
            Capability::ManageCommunities => "manage_communities",
        }
    }

    /// Catalogue key of the capability's description.
    pub fn label_key(&self) -> String {
        format!("capability.{}", self.slug())
    }

    /// The roles that hold this capability.
    pub fn roles(&self) -> &'static [Role] {
        GRANTS
            .iter()
            .find(|(c, _)| c == self)
            .map(|(_, r)| *r)
            .unwrap_or(&[])
    }
}

impl fmt::Display for Capability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_capability_has_exactly_one_grant_row() {
        for cap in Capability::ALL {
            let rows = GRANTS.iter().filter(|(c, _)| *c == cap).count();
            assert_eq!(rows, 1, "{cap} must appear once in GRANTS");
        }
        assert_eq!(GRANTS.len(), Capability::ALL.len());
    }

    #[test]
    fn funders_see_aggregates_but_no_personal_data() {
        assert!(FunderViewer.can(Capability::ViewProgramme));
        assert!(!FunderViewer.can(Capability::ViewPartnerContacts));
        assert!(!FunderViewer.can(Capability::ViewMembers));
        assert!(!FunderViewer.can(Capability::ViewAudit));
    }

    #[test]
    fn administrators_can_do_everything() {
        for cap in Capability::ALL {
            assert!(Administrator.can(cap), "administrator lacks {cap}");
        }
    }
}
