//! Research findings as records (issue 19 item 3): the programme's theme
//! list and each project's own themes (offered first to its findings), the
//! neighbourhoods a finding may concern (the programme's communities and
//! the wards of its area of benefit on offer; any loaded ward known), each
//! project's findings (theme, summary, anonymised quotes,
//! neighbourhoods, the questions they draw on), the list with its filters
//! and CSV (export and an all-or-nothing import that round-trips it), and
//! the themes view across projects: findings and respondents per theme per
//! neighbourhood, respondents suppressed below the programme's k for roles
//! without personal-data rights.

use std::collections::{BTreeMap, HashMap};

use uuid::Uuid;

use useit_core::auth::Capability;
use useit_core::csv_import::{Column, Problem, Report, Table, decode, restore_field, write_table};
use useit_core::disclosure::Cell;
use useit_core::i18n::Message;
use useit_core::place::areas::NamedAreaCount;
use useit_core::research::finding::{
    CSV_HEADER, Finding, FindingFilter, FindingInput, Known, Neighbourhood, NeighbourhoodKind,
    list_of_cell, offered_themes, parse_themes, quotes_cell, quotes_of_cell, themes_by_area,
    wards_of_areas,
};
use useit_core::research::project::Project;
use useit_store::research::findings::{FindingWrite, FindingsWritten};

use crate::{Caller, Error, Imported, Result, Store};

/// The programme's themes, in order.
pub async fn themes(store: &dyn Store, caller: &Caller) -> Result<Vec<String>> {
    caller.require(Capability::ViewResearch)?;
    Ok(store.research_themes(caller.programme).await?)
}

/// Replaces the theme list (one a line); findings keep their themes.
pub async fn save_themes(store: &dyn Store, caller: &Caller, text: &str) -> Result<Vec<String>> {
    caller.require(Capability::ManageResearch)?;
    let themes = parse_themes(text)?;
    store
        .save_research_themes(caller.programme, &themes, &caller.actor)
        .await?;
    Ok(themes)
}

/// A project's themes: its own, the programme's, and what its findings are
/// offered (its own first, then the programme's it does not hold).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectThemes {
    pub own: Vec<String>,
    pub programme: Vec<String>,
    pub offered: Vec<String>,
}

/// A project's themes (of a project of the caller's programme).
pub async fn project_themes(
    store: &dyn Store,
    caller: &Caller,
    project: Uuid,
) -> Result<ProjectThemes> {
    caller.require(Capability::ViewResearch)?;
    store
        .project(caller.programme, project)
        .await?
        .ok_or(Error::NotFound)?;
    let own = store
        .research_project_themes(caller.programme)
        .await?
        .remove(&project)
        .unwrap_or_default();
    let programme = store.research_themes(caller.programme).await?;
    Ok(ProjectThemes {
        offered: offered_themes(&own, &programme),
        own,
        programme,
    })
}

/// Replaces a project's own themes (one a line; the programme's list's
/// rules); its findings keep their themes. The same list again changes
/// nothing.
pub async fn save_project_themes(
    store: &dyn Store,
    caller: &Caller,
    project: Uuid,
    text: &str,
) -> Result<ProjectThemes> {
    caller.require(Capability::ManageResearch)?;
    let themes = parse_themes(text)?;
    store
        .save_research_project_themes(caller.programme, project, &themes, &caller.actor)
        .await?;
    project_themes(store, caller, project).await
}

/// What the finding form's neighbourhood picker draws on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NeighbourhoodOffer {
    /// On offer: the programme's communities, then the wards of its area
    /// of benefit in force (every loaded ward when it has none), by name.
    pub offered: Vec<Neighbourhood>,
    /// Every neighbourhood a finding may name: the communities and every
    /// loaded ward.
    pub known: Vec<Neighbourhood>,
}

/// Every neighbourhood a finding may name: the programme's communities (by
/// id) and the wards of every loaded deprivation index's geography, each
/// code once, the communities first.
async fn known_neighbourhoods(store: &dyn Store, caller: &Caller) -> Result<Vec<Neighbourhood>> {
    let mut out: Vec<Neighbourhood> = store
        .communities(caller.programme)
        .await?
        .into_iter()
        .map(|c| Neighbourhood {
            code: c.id.to_string(),
            name: c.name,
            kind: NeighbourhoodKind::Community,
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out.extend(
        neighbourhoods(store)
            .await?
            .into_iter()
            .map(|w| Neighbourhood {
                code: w.code,
                name: w.name,
                kind: NeighbourhoodKind::Ward,
            }),
    );
    Ok(out)
}

/// The neighbourhoods the finding form offers and those it knows.
pub async fn neighbourhood_offer(store: &dyn Store, caller: &Caller) -> Result<NeighbourhoodOffer> {
    caller.require(Capability::ViewResearch)?;
    let known = known_neighbourhoods(store, caller).await?;
    let mut offered: Vec<Neighbourhood> = known
        .iter()
        .filter(|n| n.kind == NeighbourhoodKind::Community)
        .cloned()
        .collect();
    let wards = match store.area_of_benefit(caller.programme, None).await? {
        Some(aob) => {
            let codes = store
                .area_of_benefit_codes(caller.programme, aob.id)
                .await?;
            let facts = store.area_facts(&aob.selection.scheme, None).await?;
            let names = store.wards(&aob.selection.scheme).await?;
            wards_of_areas(&codes, &facts, &names)
        }
        None => Vec::new(),
    };
    if wards.is_empty() {
        offered.extend(
            known
                .iter()
                .filter(|n| n.kind == NeighbourhoodKind::Ward)
                .cloned(),
        );
    } else {
        offered.extend(wards);
    }
    Ok(NeighbourhoodOffer { offered, known })
}

/// The wards of every geography the loaded deprivation indices use, with
/// names, each code once.
pub async fn neighbourhoods(store: &dyn Store) -> Result<Vec<NamedAreaCount>> {
    let mut schemes: Vec<String> = store
        .indices()
        .await?
        .into_iter()
        .map(|i| i.scheme)
        .collect();
    schemes.sort();
    schemes.dedup();
    let mut wards: Vec<NamedAreaCount> = Vec::new();
    for scheme in schemes {
        for w in store.wards(&scheme).await? {
            if !wards.iter().any(|x| x.code == w.code) {
                wards.push(w);
            }
        }
    }
    wards.sort_by(|a, b| a.name.cmp(&b.name).then(a.code.cmp(&b.code)));
    Ok(wards)
}

/// A finding with what the pages show beside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingView {
    pub finding: Finding,
    pub project_title: String,
    /// Its neighbourhoods' names (a code no longer loaded stays a code).
    pub area_names: Vec<String>,
}

/// The findings the filter selects, with what filtering offers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingList {
    pub items: Vec<FindingView>,
    /// Every finding of the programme, before filtering.
    pub total: u64,
    pub themes: Vec<String>,
    pub projects: Vec<(Uuid, String)>,
    /// The neighbourhoods findings concern (code, name), by name.
    pub areas: Vec<(String, String)>,
}

fn names(known: &[Neighbourhood]) -> HashMap<&str, &str> {
    known
        .iter()
        .map(|w| (w.code.as_str(), w.name.as_str()))
        .collect()
}

fn view(f: Finding, titles: &HashMap<Uuid, String>, n: &HashMap<&str, &str>) -> FindingView {
    FindingView {
        project_title: titles.get(&f.project).cloned().unwrap_or_default(),
        area_names: f
            .draft
            .areas
            .iter()
            .map(|c| {
                n.get(c.as_str())
                    .map(|s| s.to_string())
                    .unwrap_or(c.clone())
            })
            .collect(),
        finding: f,
    }
}

/// The programme's findings the filter selects.
pub async fn findings(
    store: &dyn Store,
    caller: &Caller,
    filter: &FindingFilter,
) -> Result<FindingList> {
    caller.require(Capability::ViewResearch)?;
    let all = store.research_findings(caller.programme).await?;
    let projects = store.projects(caller.programme).await?;
    let titles: HashMap<Uuid, String> = projects
        .iter()
        .map(|p| (p.id, p.draft.title.clone()))
        .collect();
    let wards = known_neighbourhoods(store, caller).await?;
    let n = names(&wards);
    let mut areas: BTreeMap<String, String> = BTreeMap::new();
    for f in &all {
        for c in &f.draft.areas {
            areas
                .entry(
                    n.get(c.as_str())
                        .map(|s| s.to_string())
                        .unwrap_or(c.clone()),
                )
                .or_insert(c.clone());
        }
    }
    let total = all.len() as u64;
    // The programme's themes, then those of a project's own list its
    // findings take.
    let mut themes = store.research_themes(caller.programme).await?;
    for f in &all {
        if !f.draft.theme.is_empty() && !themes.contains(&f.draft.theme) {
            themes.push(f.draft.theme.clone());
        }
    }
    let items = all
        .into_iter()
        .filter(|f| filter.matches(f))
        .map(|f| view(f, &titles, &n))
        .collect();
    Ok(FindingList {
        items,
        total,
        themes,
        projects: projects
            .into_iter()
            .map(|p| (p.id, p.draft.title))
            .collect(),
        areas: areas.into_iter().map(|(name, code)| (code, name)).collect(),
    })
}

/// One finding (of a project of the caller's programme).
pub async fn finding(store: &dyn Store, caller: &Caller, id: Uuid) -> Result<FindingView> {
    caller.require(Capability::ViewResearch)?;
    let f = store
        .research_finding(caller.programme, id)
        .await?
        .ok_or(Error::NotFound)?;
    let titles: HashMap<Uuid, String> = store
        .project(caller.programme, f.project)
        .await?
        .map(|p| (p.id, p.draft.title))
        .into_iter()
        .collect();
    let wards = known_neighbourhoods(store, caller).await?;
    Ok(view(f, &titles, &names(&wards)))
}

/// What a project's findings are checked against.
struct Checks {
    themes: Vec<String>,
    project_themes: BTreeMap<Uuid, Vec<String>>,
    wards: Vec<(String, String)>,
    questions: HashMap<Uuid, Vec<String>>,
}

impl Checks {
    async fn load(store: &dyn Store, caller: &Caller) -> Result<Checks> {
        Ok(Checks {
            themes: store.research_themes(caller.programme).await?,
            project_themes: store.research_project_themes(caller.programme).await?,
            wards: known_neighbourhoods(store, caller)
                .await?
                .into_iter()
                .map(|w| (w.code, w.name))
                .collect(),
            questions: HashMap::new(),
        })
    }

    async fn questions(&mut self, store: &dyn Store, caller: &Caller, project: Uuid) -> Result<()> {
        if let std::collections::hash_map::Entry::Vacant(e) = self.questions.entry(project) {
            let q = store
                .questionnaire(caller.programme, project)
                .await?
                .map(|q| q.questions.iter().map(|x| x.path()).collect())
                .unwrap_or_default();
            e.insert(q);
        }
        Ok(())
    }

    fn known(&self, project: Uuid) -> Known<'_> {
        Known {
            themes: &self.themes,
            project_themes: self
                .project_themes
                .get(&project)
                .map(Vec::as_slice)
                .unwrap_or(&[]),
            wards: &self.wards,
            questions: self
                .questions
                .get(&project)
                .map(Vec::as_slice)
                .unwrap_or(&[]),
        }
    }
}

/// The questions of the project's questionnaire a finding may cite (path
/// and label).
pub async fn project_questions(
    store: &dyn Store,
    caller: &Caller,
    project: Uuid,
) -> Result<Vec<(String, String)>> {
    caller.require(Capability::ViewResearch)?;
    Ok(store
        .questionnaire(caller.programme, project)
        .await?
        .map(|q| {
            q.questions
                .iter()
                .map(|x| (x.path(), x.label.clone()))
                .collect()
        })
        .unwrap_or_default())
}

/// Adds a finding to a project (`id` none) or changes one of its findings.
pub async fn save_finding(
    store: &dyn Store,
    caller: &Caller,
    project: Uuid,
    id: Option<Uuid>,
    input: &FindingInput,
) -> Result<Finding> {
    caller.require(Capability::ManageResearch)?;
    store
        .project(caller.programme, project)
        .await?
        .ok_or(Error::NotFound)?;
    if let Some(id) = id {
        match store.research_finding(caller.programme, id).await? {
            Some(f) if f.project == project => {}
            _ => return Err(Error::NotFound),
        }
    }
    let mut checks = Checks::load(store, caller).await?;
    checks.questions(store, caller, project).await?;
    let draft = input.validate(&checks.known(project))?;
    let (_, ids) = store
        .write_findings(
            caller.programme,
            &[FindingWrite {
                id: Some(id.unwrap_or_else(Uuid::now_v7)),
                project,
                draft,
            }],
            &caller.actor,
        )
        .await?;
    store
        .research_finding(caller.programme, ids[0])
        .await?
        .ok_or(Error::NotFound)
}

/// Deletes a finding: those who may edit findings (`ManageResearch`); the
/// store writes the audit entry in the same transaction. Another
/// programme's finding, or one already deleted, is not found.
pub async fn delete_finding(store: &dyn Store, caller: &Caller, id: Uuid) -> Result<()> {
    caller.require(Capability::ManageResearch)?;
    Ok(store
        .delete_research_finding(caller.programme, id, &caller.actor)
        .await?)
}

/// The findings the filter selects as CSV (`CSV_HEADER`): neighbourhoods by
/// name, quotes one a line as `role | age band | text`. The import reads
/// the same file back.
pub async fn findings_csv(
    store: &dyn Store,
    caller: &Caller,
    filter: &FindingFilter,
) -> Result<String> {
    let list = findings(store, caller, filter).await?;
    // A name two neighbourhoods share (a community named as a ward) is
    // written as its code, so the import reads back the same one.
    let known = known_neighbourhoods(store, caller).await?;
    let shared = |name: &str| {
        known
            .iter()
            .filter(|n| n.name.eq_ignore_ascii_case(name))
            .count()
            > 1
    };
    Ok(write_table(
        CSV_HEADER,
        list.items.into_iter().map(|v| {
            let d = &v.finding.draft;
            let areas: Vec<&str> = d
                .areas
                .iter()
                .zip(&v.area_names)
                .map(|(code, name)| if shared(name) { code } else { name })
                .map(String::as_str)
                .collect();
            vec![
                v.finding.id.to_string(),
                v.project_title.clone(),
                d.theme.clone(),
                d.summary.clone(),
                areas.join("; "),
                d.questions.join("; "),
                d.respondents.map(|n| n.to_string()).unwrap_or_default(),
                quotes_cell(&d.quotes),
            ]
        }),
    ))
}

/// The CSV column a form field's problem belongs to.
fn column_of(field: &str) -> &'static str {
    match field.split('/').next().unwrap_or("") {
        "theme" => "theme",
        "summary" => "summary",
        "quotes" => "quotes",
        "areas" => "neighbourhoods",
        "questions" => "questions",
        "respondents" => "respondents",
        _ => "id",
    }
}

fn project_of<'a>(projects: &'a [Project], raw: &str) -> Option<&'a Project> {
    let raw = raw.trim();
    projects.iter().find(|p| {
        Uuid::parse_str(raw).is_ok_and(|id| id == p.id) || p.draft.title.eq_ignore_ascii_case(raw)
    })
}

/// Imports findings from CSV (the export's shape), all or nothing: a row
/// with an `id` the programme has changes that finding, one without adds a
/// finding; every problem is named by line and column. The same file twice
/// changes nothing.
pub async fn import_findings(
    store: &dyn Store,
    caller: &Caller,
    file_name: &str,
    bytes: &[u8],
) -> Result<Imported<FindingsWritten>> {
    caller.require(Capability::ManageResearch)?;
    let (text, _) = decode(bytes);
    let mut report = Report::new(file_name);
    let Some(table) = Table::parse(
        &text,
        CSV_HEADER,
        &["project", "theme", "summary"],
        &mut report,
    ) else {
        return Err(Error::Rejected(report));
    };
    if report.has_errors() {
        return Err(Error::Rejected(report));
    }
    let projects = store.projects(caller.programme).await?;
    let mut checks = Checks::load(store, caller).await?;
    let mut writes = Vec::new();
    let mut seen: HashMap<Uuid, u64> = HashMap::new();
    for row in &table.rows {
        let get = |c: &str| restore_field(table.get(row, c)).to_string();
        let Some(project) = project_of(&projects, &get("project")) else {
            report.push(Problem::error(
                row.line,
                table.column("project"),
                Message::new("research.finding.import.no_project").arg("project", get("project")),
            ));
            continue;
        };
        let id = match get("id").trim() {
            "" => None,
            raw => match Uuid::parse_str(raw) {
                Ok(id) => {
                    if let Some(first) = seen.insert(id, row.line) {
                        report.push(Problem::error(
                            row.line,
                            table.column("id"),
                            Message::new("research.finding.import.id_twice").arg("line", first),
                        ));
                    }
                    match store.research_finding(caller.programme, id).await? {
                        Some(f) if f.project != project.id => {
                            report.push(Problem::error(
                                row.line,
                                table.column("project"),
                                Message::new("research.finding.import.other_project"),
                            ));
                        }
                        Some(_) => {}
                        None => report.push(Problem::error(
                            row.line,
                            table.column("id"),
                            Message::new("research.finding.import.unknown_id").arg("id", raw),
                        )),
                    }
                    Some(id)
                }
                Err(_) => {
                    report.push(Problem::error(
                        row.line,
                        table.column("id"),
                        Message::new("research.finding.import.bad_id").arg("id", raw),
                    ));
                    None
                }
            },
        };
        checks.questions(store, caller, project.id).await?;
        let input = FindingInput {
            theme: get("theme"),
            summary: get("summary"),
            quotes: quotes_of_cell(&get("quotes")),
            areas: list_of_cell(&get("neighbourhoods")),
            questions: list_of_cell(&get("questions")),
            respondents: get("respondents"),
        };
        match input.validate(&checks.known(project.id)) {
            Ok(draft) => writes.push(FindingWrite {
                id: Some(id.unwrap_or_else(Uuid::now_v7)),
                project: project.id,
                draft,
            }),
            Err(e) => {
                for f in e.0 {
                    let column: Option<Column> = table.column(column_of(&f.field));
                    report.push(Problem::error(row.line, column, f.message));
                }
            }
        }
    }
    report.sort();
    if report.has_errors() {
        return Err(Error::Rejected(report));
    }
    let (outcome, _) = store
        .write_findings(caller.programme, &writes, &caller.actor)
        .await?;
    Ok(Imported { outcome, report })
}

/// One row of the themes view: a theme, and per neighbourhood its findings
/// and respondents.
#[derive(Clone, Debug, PartialEq)]
pub struct ThemeRow {
    pub theme: String,
    pub findings: u64,
    /// Per neighbourhood (the view's `areas` order): findings, respondents
    /// (suppressed below k for roles without personal-data rights) and
    /// findings that do not say how many respondents.
    pub cells: Vec<(u64, Cell, u64)>,
}

/// The themes view across projects.
#[derive(Clone, Debug, PartialEq)]
pub struct ThemesView {
    /// The neighbourhoods as columns (code, name); `""` for findings that
    /// name none.
    pub areas: Vec<(String, String)>,
    pub rows: Vec<ThemeRow>,
    pub exact: bool,
    pub k: u32,
}

/// How many findings per theme per neighbourhood, across projects.
pub async fn themes_view(store: &dyn Store, caller: &Caller) -> Result<ThemesView> {
    caller.require(Capability::ViewResearch)?;
    let v = crate::programme::disclosure::viewer(store, caller, Capability::ManageResearch).await?;
    let all = store.research_findings(caller.programme).await?;
    let wards = known_neighbourhoods(store, caller).await?;
    let n = names(&wards);
    let cells = themes_by_area(&all);
    let mut areas: Vec<(String, String)> = cells
        .keys()
        .map(|(_, a)| a.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|c| {
            let name = n
                .get(c.as_str())
                .map(|s| s.to_string())
                .unwrap_or(c.clone());
            (c, name)
        })
        .collect();
    // By name; findings with no neighbourhood last.
    areas.sort_by(|a, b| (a.0.is_empty(), &a.1).cmp(&(b.0.is_empty(), &b.1)));
    let mut themes = store.research_themes(caller.programme).await?;
    for f in &all {
        if !themes.contains(&f.draft.theme) {
            themes.push(f.draft.theme.clone());
        }
    }
    let rows = themes
        .into_iter()
        .map(|theme| {
            let findings = all.iter().filter(|f| f.draft.theme == theme).count() as u64;
            let cells = areas
                .iter()
                .map(|(code, _)| {
                    let c = cells
                        .get(&(theme.clone(), code.clone()))
                        .cloned()
                        .unwrap_or_default();
                    (c.findings, v.count(c.respondents), c.respondents_unknown)
                })
                .collect();
            ThemeRow {
                theme,
                findings,
                cells,
            }
        })
        .collect();
    Ok(ThemesView {
        areas,
        rows,
        exact: v.exact(),
        k: v.k(),
    })
}
