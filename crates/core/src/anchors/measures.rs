//! Where an anchor's money lands: local share by geography, share to
//! suppliers in the most deprived deciles, influenceable spend, VCSE share,
//! top suppliers, trends, leakage and LM3 — over a ledger of lines, so every
//! figure is a sum of lines a person can list (see [`LinePredicate`]).
//!
//! A supplier can have two places (registered office and a trading or
//! branch address). Where they disagree a share is a [`Band`]: the low end
//! counts a line as local only when every known place is local, the high end
//! when any is (CLES's "based or branched" basis is the high end).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::money::Pence;

/// What kind of organisation a supplier is, for the VCSE share, the
/// influenceable rules and the leakage report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupplierKind {
    PublicBody,
    LargeCompany,
    Sme,
    Vcse,
    SocialEnterprise,
    Unknown,
}

impl SupplierKind {
    pub const ALL: [SupplierKind; 6] = [
        SupplierKind::PublicBody,
        SupplierKind::LargeCompany,
        SupplierKind::Sme,
        SupplierKind::Vcse,
        SupplierKind::SocialEnterprise,
        SupplierKind::Unknown,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            SupplierKind::PublicBody => "public_body",
            SupplierKind::LargeCompany => "large_company",
            SupplierKind::Sme => "sme",
            SupplierKind::Vcse => "vcse",
            SupplierKind::SocialEnterprise => "social_enterprise",
            SupplierKind::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<SupplierKind> {
        Self::ALL.into_iter().find(|k| k.slug() == s.trim())
    }

    /// Charities, voluntary and community groups, CICs and social enterprises.
    pub fn is_social_economy(self) -> bool {
        matches!(self, SupplierKind::Vcse | SupplierKind::SocialEnterprise)
    }
}

/// The geographies "local" is measured against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Geography {
    AreaOfBenefit,
    LocalAuthority,
    CityRegion,
    NearSite,
}

impl Geography {
    pub const ALL: [Geography; 4] = [
        Geography::AreaOfBenefit,
        Geography::LocalAuthority,
        Geography::CityRegion,
        Geography::NearSite,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Geography::AreaOfBenefit => "area_of_benefit",
            Geography::LocalAuthority => "local_authority",
            Geography::CityRegion => "city_region",
            Geography::NearSite => "near_site",
        }
    }

    pub fn parse(s: &str) -> Option<Geography> {
        Self::ALL.into_iter().find(|g| g.slug() == s)
    }
}

/// One place a supplier is at, already placed in each geography.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SupplierPlace {
    pub postcode: String,
    /// Where the postcode is, when the loaded postcodes know it.
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub area_code: Option<String>,
    pub decile: Option<u8>,
    pub area_of_benefit: bool,
    pub local_authority: bool,
    pub city_region: bool,
    pub near_site: bool,
    /// The geographies this place could be tested against at all: its
    /// postcode is in the loaded postcodes and the programme has the
    /// geography set up. A place not judged is "not known", not "not local".
    pub judged: Judged,
}

/// Which geographies a place could be judged in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Judged {
    pub area_of_benefit: bool,
    pub local_authority: bool,
    pub city_region: bool,
    pub near_site: bool,
}

impl Judged {
    /// Judged everywhere (a place the tests and the benchmarks make up).
    pub const ALL: Judged = Judged {
        area_of_benefit: true,
        local_authority: true,
        city_region: true,
        near_site: true,
    };

    pub fn get(self, g: Geography) -> bool {
        match g {
            Geography::AreaOfBenefit => self.area_of_benefit,
            Geography::LocalAuthority => self.local_authority,
            Geography::CityRegion => self.city_region,
            Geography::NearSite => self.near_site,
        }
    }
}

impl SupplierPlace {
    pub fn is_in(&self, g: Geography) -> bool {
        match g {
            Geography::AreaOfBenefit => self.area_of_benefit,
            Geography::LocalAuthority => self.local_authority,
            Geography::CityRegion => self.city_region,
            Geography::NearSite => self.near_site,
        }
    }
}

/// A supplier as the measures see it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Supplier {
    pub key: String,
    pub name: String,
    pub kind: SupplierKind,
    pub registered: Option<SupplierPlace>,
    pub trading: Option<SupplierPlace>,
    /// The register's organisation it was matched to: two spellings of one
    /// firm are one supplier in the top suppliers.
    pub organisation: Option<MatchedOrganisation>,
}

/// An organisation of the register a supplier was matched to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MatchedOrganisation {
    pub id: uuid::Uuid,
    pub name: String,
}

impl Supplier {
    fn places(&self) -> impl Iterator<Item = &SupplierPlace> {
        self.registered.iter().chain(self.trading.iter())
    }

    /// (low, high): local by every known place, local by any.
    pub fn local(&self, g: Geography) -> (bool, bool) {
        self.test(|p| p.is_in(g))
    }

    /// (low, high): in deciles 1..=`k` by every known place, by any.
    pub fn deprived(&self, k: u8) -> (bool, bool) {
        self.test(|p| p.decile.is_some_and(|d| d <= k))
    }

    /// Whether any of the supplier's places could be judged in `g`.
    pub fn judged(&self, g: Geography) -> bool {
        self.places().any(|p| p.judged.get(g))
    }

    /// Whether any of the supplier's places has a known decile.
    pub fn decile_known(&self) -> bool {
        self.places().any(|p| p.decile.is_some())
    }

    fn test(&self, f: impl Fn(&SupplierPlace) -> bool) -> (bool, bool) {
        let mut any = false;
        let mut all = true;
        let mut known = false;
        for p in self.places() {
            known = true;
            let v = f(p);
            any |= v;
            all &= v;
        }
        (known && all, any)
    }
}

/// One payment, with its supplier by index into the supplier list. The
/// anchor and category are shared text: a ledger has millions of lines but
/// few of either.
#[derive(Clone, Debug, PartialEq)]
pub struct LedgerLine {
    pub id: i64,
    pub anchor: Arc<str>,
    pub paid_on: Date,
    pub amount: Pence,
    pub expense_type: Arc<str>,
    pub supplier: usize,
}

/// Hands out one shared copy of each distinct text.
#[derive(Default)]
pub struct Interner(HashMap<String, Arc<str>>);

impl Interner {
    pub fn get(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.0.get(s) {
            return a.clone();
        }
        let a: Arc<str> = Arc::from(s);
        self.0.insert(s.to_string(), a.clone());
        a
    }
}

/// A rule that takes payments out of influenceable spend: money the anchor
/// cannot redirect to local suppliers (tax, pensions, other public bodies,
/// national frameworks).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InfluenceRule {
    pub on: RuleOn,
    /// Lower-case text the field contains (or the kind's slug).
    pub contains: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleOn {
    SupplierKind,
    Supplier,
    ExpenseType,
}

impl RuleOn {
    pub fn slug(self) -> &'static str {
        match self {
            RuleOn::SupplierKind => "supplier_kind",
            RuleOn::Supplier => "supplier",
            RuleOn::ExpenseType => "expense_type",
        }
    }
}

impl InfluenceRule {
    /// `expense_type contains pension`, the form people edit.
    pub fn parse(line: &str) -> Option<InfluenceRule> {
        let mut words = line.trim().splitn(3, ' ');
        let on = match words.next()? {
            "supplier_kind" => RuleOn::SupplierKind,
            "supplier" => RuleOn::Supplier,
            "expense_type" => RuleOn::ExpenseType,
            _ => return None,
        };
        let verb = words.next()?;
        let text = words.next()?.trim().to_lowercase();
        match (on, verb) {
            (RuleOn::SupplierKind, "is") if SupplierKind::parse(&text).is_some() => {}
            (RuleOn::Supplier | RuleOn::ExpenseType, "contains") if !text.is_empty() => {}
            _ => return None,
        }
        Some(InfluenceRule { on, contains: text })
    }

    pub fn describe(&self) -> String {
        let verb = if self.on == RuleOn::SupplierKind {
            "is"
        } else {
            "contains"
        };
        format!("{} {verb} {}", self.on.slug(), self.contains)
    }

    /// The rule in words, from the catalogue's words for its field, its
    /// test and (for a kind) the kind: "Supplier kind is public body",
    /// "Expense type contains ‘salar’".
    pub fn in_words(&self) -> String {
        use crate::i18n::{t, tf};
        let value = match self.on {
            RuleOn::SupplierKind => SupplierKind::parse(&self.contains)
                .map(|k| {
                    crate::words::mid_sentence(t(&format!("anchors.supplier.kind.{}", k.slug())))
                })
                .unwrap_or_else(|| self.contains.clone()),
            _ => format!("‘{}’", self.contains),
        };
        let test = if self.on == RuleOn::SupplierKind {
            "anchors.rule.is"
        } else {
            "anchors.rule.contains"
        };
        tf(
            "anchors.rule.words",
            &[
                ("field", t(&format!("anchors.rule.on.{}", self.on.slug()))),
                ("test", t(test)),
                ("value", &value),
            ],
        )
    }

    fn excludes(&self, line: &LedgerLine, supplier: &Supplier) -> bool {
        self.excludes_supplier(supplier) || self.excludes_category(&line.expense_type)
    }

    fn excludes_supplier(&self, supplier: &Supplier) -> bool {
        match self.on {
            RuleOn::SupplierKind => supplier.kind.slug() == self.contains,
            RuleOn::Supplier => supplier.name.to_lowercase().contains(&self.contains),
            RuleOn::ExpenseType => false,
        }
    }

    fn excludes_category(&self, expense_type: &str) -> bool {
        self.on == RuleOn::ExpenseType && expense_type.to_lowercase().contains(&self.contains)
    }
}

/// The default exclusions, after the Transparency Code's own (salaries, tax,
/// NI, pensions, financing) and Sandwell's influenceable-spend work for NHS
/// trusts (other public bodies, NHS Supply Chain, drugs bought nationally).
/// Shown and editable per programme.
pub fn default_rules() -> Vec<InfluenceRule> {
    [
        "supplier_kind is public_body",
        "supplier contains hmrc",
        "supplier contains hm revenue",
        "supplier contains nhs pension",
        "supplier contains nhs supply chain",
        "supplier contains nhs business services",
        "expense_type contains pension",
        "expense_type contains tax",
        "expense_type contains national insurance",
        "expense_type contains salar",
        "expense_type contains payroll",
        "expense_type contains net pay",
        "expense_type contains depreciation",
        "expense_type contains drug",
    ]
    .iter()
    .filter_map(|r| InfluenceRule::parse(r))
    .collect()
}

/// The first rule that excludes a line, if any.
pub fn excluded_by<'r>(
    rules: &'r [InfluenceRule],
    line: &LedgerLine,
    supplier: &Supplier,
) -> Option<&'r InfluenceRule> {
    rules.iter().find(|r| r.excludes(line, supplier))
}

/// An amount that is known only within bounds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Band {
    pub low: Pence,
    pub high: Pence,
}

impl Band {
    fn merge(&mut self, other: Band) {
        self.low += other.low;
        self.high += other.high;
    }

    fn add(&mut self, (low, high): (bool, bool), amount: Pence) {
        if low {
            self.low += amount;
        }
        if high {
            self.high += amount;
        }
    }

    /// Shares of `of` in basis points (1/100 of a per cent), rounded.
    pub fn share_bp(&self, of: Pence) -> (i64, i64) {
        (share_bp(self.low, of), share_bp(self.high, of))
    }
}

/// `part / whole` in basis points, rounded half up; 0 when `whole` is 0.
pub fn share_bp(part: Pence, whole: Pence) -> i64 {
    if whole == 0 {
        return 0;
    }
    let (mut p, mut w) = (part as i128 * 10_000, whole as i128);
    if w < 0 {
        (p, w) = (-p, -w);
    }
    (2 * p + w).div_euclid(2 * w) as i64
}

/// Which lines a figure is the sum of. The drill-down lists exactly these.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinePredicate {
    pub anchor: Option<String>,
    #[serde(with = "crate::iso_date::option")]
    pub from: Option<Date>,
    #[serde(with = "crate::iso_date::option")]
    pub to: Option<Date>,
    pub influenceable: Option<bool>,
    /// Local in this geography; `local_high` picks the band's high end.
    pub local: Option<(Geography, bool)>,
    pub local_high: bool,
    pub deprived: Option<u8>,
    pub social_economy: Option<bool>,
    pub supplier: Option<String>,
    pub expense_type: Option<String>,
    pub month: Option<String>,
}

impl LinePredicate {
    pub fn matches(&self, line: &LedgerLine, supplier: &Supplier, rules: &[InfluenceRule]) -> bool {
        let pick = |(low, high): (bool, bool)| if self.local_high { high } else { low };
        self.anchor.as_ref().is_none_or(|a| **a == *line.anchor)
            && self.from.is_none_or(|d| line.paid_on >= d)
            && self.to.is_none_or(|d| line.paid_on <= d)
            && self
                .influenceable
                .is_none_or(|i| excluded_by(rules, line, supplier).is_none() == i)
            && self
                .local
                .is_none_or(|(g, want)| pick(supplier.local(g)) == want)
            && self.deprived.is_none_or(|k| pick(supplier.deprived(k)))
            && self
                .social_economy
                .is_none_or(|s| supplier.kind.is_social_economy() == s)
            && self.supplier.as_ref().is_none_or(|k| *k == supplier.key)
            && self
                .expense_type
                .as_ref()
                .is_none_or(|e| **e == *line.expense_type)
            && self
                .month
                .as_ref()
                .is_none_or(|m| *m == month_of(line.paid_on))
    }
}

/// `2020-04`.
pub fn month_of(d: Date) -> String {
    format!("{:04}-{:02}", d.year(), d.month() as u8)
}

/// A supplier's share of the money.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SupplierTotal {
    /// The supplier (of those matched to one organisation, the one paid
    /// most) that names the row.
    pub supplier: usize,
    pub total: Pence,
    pub lines: u64,
    /// How many of the ledger's suppliers the row adds up: more than one
    /// when spellings were matched to one organisation.
    pub spellings: u64,
}

impl SupplierTotal {
    /// The row's name: the organisation's when the supplier was matched to
    /// one, else the name on the spend lines.
    pub fn name<'a>(&self, suppliers: &'a [Supplier]) -> &'a str {
        let s = &suppliers[self.supplier];
        s.organisation.as_ref().map_or(&s.name, |o| &o.name)
    }
}

/// The top `top` suppliers by money paid, from each supplier's (total,
/// lines): suppliers matched to one organisation add up to one row, named
/// by the organisation; ties go by name.
pub fn top_suppliers(
    by_supplier: impl Iterator<Item = (usize, Pence, u64)>,
    suppliers: &[Supplier],
    top: usize,
) -> Vec<SupplierTotal> {
    let mut rows: Vec<SupplierTotal> = Vec::new();
    // Each row's naming supplier's own total, to keep the one paid most.
    let mut lead: Vec<Pence> = Vec::new();
    let mut row_of: HashMap<uuid::Uuid, usize> = HashMap::new();
    for (supplier, total, lines) in by_supplier.filter(|(_, _, n)| *n > 0) {
        let org = suppliers[supplier].organisation.as_ref().map(|o| o.id);
        match org.and_then(|id| row_of.get(&id).copied()) {
            Some(i) => {
                let r = &mut rows[i];
                if total > lead[i] {
                    r.supplier = supplier;
                    lead[i] = total;
                }
                r.total += total;
                r.lines += lines;
                r.spellings += 1;
            }
            None => {
                if let Some(id) = org {
                    row_of.insert(id, rows.len());
                }
                rows.push(SupplierTotal {
                    supplier,
                    total,
                    lines,
                    spellings: 1,
                });
                lead.push(total);
            }
        }
    }
    rows.sort_by(|a, b| {
        b.total
            .cmp(&a.total)
            .then(a.name(suppliers).cmp(b.name(suppliers)))
            .then(a.supplier.cmp(&b.supplier))
    });
    rows.truncate(top);
    rows
}

/// One expense category.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CategoryTotal {
    pub expense_type: String,
    pub influenceable: Pence,
    pub local: Band,
    /// Influenceable spend whose supplier could be judged (leakage geography).
    pub judged: Pence,
    /// Influenceable spend with suppliers local by no known place (leakage
    /// geography): the money that leaves.
    pub leaving: Pence,
}

/// One month.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MonthTotal {
    pub month: String,
    pub total: Pence,
    pub influenceable: Pence,
    pub local: Band,
    /// Influenceable spend whose supplier could be judged in the area of benefit.
    pub judged: Pence,
}

impl MonthTotal {
    fn empty(month: String) -> Self {
        MonthTotal {
            month,
            total: 0,
            influenceable: 0,
            local: Band::default(),
            judged: 0,
        }
    }
}

/// A category where money leaves although local suppliers of it exist.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Leak {
    pub expense_type: String,
    /// Influenceable spend in the category with suppliers local by no known place.
    pub leaving: Pence,
    /// Suppliers local by every known place that the programme's anchors
    /// have paid for this category.
    pub local_suppliers: Vec<usize>,
}

/// The measures over a set of lines.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Measures {
    pub lines: u64,
    pub total: Pence,
    pub influenceable: Pence,
    /// Local influenceable spend by geography.
    pub local: BTreeMap<Geography, Band>,
    /// Local spend by geography on all spend, the Transparency Code basis.
    pub local_all: BTreeMap<Geography, Band>,
    /// Influenceable spend with suppliers in deciles 1–2.
    pub deprived_1_2: Band,
    /// Influenceable spend whose supplier could be judged in each geography
    /// (a postcode the loaded data knows, the geography set up): how much
    /// of the money each local share speaks for.
    pub judged: BTreeMap<Geography, Pence>,
    /// The same on all spend.
    pub judged_all: BTreeMap<Geography, Pence>,
    /// Influenceable spend whose supplier has a known decile.
    pub deciles_judged: Pence,
    pub social_economy: Pence,
    /// Influenceable spend whose supplier's kind is known (not "unknown"):
    /// the social-economy share speaks for this much of the money, and is
    /// not known, rather than 0%, when it is none.
    pub kind_known: Pence,
    pub top_suppliers: Vec<SupplierTotal>,
    pub categories: Vec<CategoryTotal>,
    pub months: Vec<MonthTotal>,
    pub leakage: Vec<Leak>,
}

/// Computes the measures over `lines` (already narrowed to an anchor and
/// period). `programme_lines` are every anchor's lines, which say which
/// local suppliers exist for each category; `leak_geography` is the
/// "local" the leakage report uses.
pub fn measure(
    lines: &[LedgerLine],
    programme_lines: &[LedgerLine],
    suppliers: &[Supplier],
    rules: &[InfluenceRule],
    leak_geography: Geography,
    top: usize,
) -> Measures {
    measure_in_parts(
        lines,
        programme_lines,
        suppliers,
        rules,
        leak_geography,
        top,
        None,
    )
}

/// [`measure`], its lines tallied in `runs` at once (by default one a
/// core for large ledgers).
fn measure_in_parts(
    lines: &[LedgerLine],
    programme_lines: &[LedgerLine],
    suppliers: &[Supplier],
    rules: &[InfluenceRule],
    leak_geography: Geography,
    top: usize,
    runs: Option<usize>,
) -> Measures {
    // What the places and rules say of each supplier, worked out once: a
    // ledger has millions of lines but thousands of suppliers.
    let facts: Vec<SupplierFacts> = suppliers
        .iter()
        .map(|s| SupplierFacts {
            local: Geography::ALL.map(|g| s.local(g)),
            deprived_1_2: s.deprived(2),
            judged: Geography::ALL.map(|g| s.judged(g)),
            decile_known: s.decile_known(),
            social_economy: s.kind.is_social_economy(),
            kind_known: s.kind != SupplierKind::Unknown,
            excluded: rules.iter().any(|r| r.excludes_supplier(s)),
        })
        .collect();
    let leak = Geography::ALL
        .iter()
        .position(|g| *g == leak_geography)
        .unwrap_or(0);
    let (facts, n) = (&facts, suppliers.len());
    let mut parts = in_parts(
        lines,
        runs.unwrap_or_else(|| parts_for(lines.len())),
        |part| {
            let mut t = Tally::new(rules, n);
            for line in part {
                t.add(line, &facts[line.supplier], leak);
            }
            t
        },
    )
    .into_iter();
    let mut t = parts.next().unwrap_or_else(|| Tally::new(rules, n));
    for other in parts {
        t.merge(other);
    }
    let Tally {
        mut m,
        local_all,
        local,
        judged_all,
        judged,
        influenceable_lines,
        by_supplier,
        months,
        mut categories,
    } = t;
    for (i, g) in Geography::ALL.into_iter().enumerate() {
        if m.lines > 0 {
            m.local_all.insert(g, local_all[i]);
            m.judged_all.insert(g, judged_all[i]);
        }
        if influenceable_lines > 0 {
            m.local.insert(g, local[i]);
            m.judged.insert(g, judged[i]);
        }
    }
    m.top_suppliers = top_suppliers(
        by_supplier
            .into_iter()
            .enumerate()
            .map(|(supplier, (total, lines))| (supplier, total, lines)),
        suppliers,
        top,
    );

    // Local suppliers (by every known place) each category has, programme-wide:
    // each part finds its own, by its own category numbers, renumbered here.
    let mut local_for: rustc_hash::FxHashSet<(usize, usize)> = Default::default();
    let programme_parts = runs.unwrap_or_else(|| parts_for(programme_lines.len()));
    for (seen, found) in in_parts(programme_lines, programme_parts, |part| {
        let mut seen = Categories::new(rules);
        let mut found: rustc_hash::FxHashSet<(usize, usize)> = Default::default();
        for line in part {
            let f = &facts[line.supplier];
            if f.local[leak].0 && !f.excluded {
                let c = seen.slot(&line.expense_type);
                if !seen.excluded[c] {
                    found.insert((c, line.supplier));
                }
            }
        }
        (seen, found)
    }) {
        let renumber: Vec<usize> = seen.names.iter().map(|n| categories.slot(n)).collect();
        local_for.extend(found.into_iter().map(|(c, s)| (renumber[c], s)));
    }
    // The same text may sit in several slots (separately shared copies).
    type CategorySums = ((Pence, Band, Pence, Pence), BTreeSet<usize>);
    let mut by_name: BTreeMap<&str, CategorySums> = BTreeMap::new();
    for (c, name) in categories.names.iter().enumerate() {
        if !categories.counted[c] {
            continue;
        }
        let t = categories.totals[c];
        let e = by_name.entry(&**name).or_default();
        e.0.0 += t.0;
        e.0.1.low += t.1.low;
        e.0.1.high += t.1.high;
        e.0.2 += t.2;
        e.0.3 += categories.judged[c];
    }
    for (c, supplier) in &local_for {
        if let Some(e) = by_name.get_mut(&*categories.names[*c]) {
            e.1.insert(*supplier);
        }
    }
    for (cat, ((infl, local, leaving, judged), locals)) in &by_name {
        m.categories.push(CategoryTotal {
            expense_type: cat.to_string(),
            influenceable: *infl,
            local: *local,
            judged: *judged,
            leaving: *leaving,
        });
        if *leaving > 0 && !locals.is_empty() {
            let mut local_suppliers: Vec<usize> = locals.iter().copied().collect();
            local_suppliers.sort_by(|a, b| suppliers[*a].name.cmp(&suppliers[*b].name));
            m.leakage.push(Leak {
                expense_type: cat.to_string(),
                leaving: *leaving,
                local_suppliers,
            });
        }
    }
    m.categories
        .sort_by_key(|c| std::cmp::Reverse(c.influenceable));
    m.leakage.sort_by_key(|l| std::cmp::Reverse(l.leaving));
    let mut months: Vec<(i32, MonthTotal)> = months.into_iter().collect();
    months.sort_by_key(|(k, _)| *k);
    m.months = months.into_iter().map(|(_, t)| t).collect();
    m
}

/// One run of lines per core when there are enough lines to be worth it.
fn parts_for(lines: usize) -> usize {
    const AT_LEAST: usize = 250_000;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores.min(lines / AT_LEAST).max(1)
}

/// Splits `lines` into `parts` runs and applies `f` to each run in its own
/// thread, in order.
fn in_parts<T: Send>(
    lines: &[LedgerLine],
    parts: usize,
    f: impl Fn(&[LedgerLine]) -> T + Sync,
) -> Vec<T> {
    if parts <= 1 || lines.is_empty() {
        return vec![f(lines)];
    }
    crate::parallel::on_threads(lines.chunks(lines.len().div_ceil(parts)), f)
}

/// The sums over a run of lines; runs are tallied apart and merged.
struct Tally<'a> {
    /// Lines, total, influenceable, deprived, social economy.
    m: Measures,
    local_all: [Band; 4],
    local: [Band; 4],
    judged_all: [Pence; 4],
    judged: [Pence; 4],
    influenceable_lines: u64,
    by_supplier: Vec<(Pence, u64)>,
    /// By year × 12 + month.
    months: rustc_hash::FxHashMap<i32, MonthTotal>,
    categories: Categories<'a>,
}

impl<'a> Tally<'a> {
    fn new(rules: &'a [InfluenceRule], suppliers: usize) -> Self {
        Tally {
            m: Measures::default(),
            local_all: [Band::default(); 4],
            local: [Band::default(); 4],
            judged_all: [0; 4],
            judged: [0; 4],
            influenceable_lines: 0,
            by_supplier: vec![(0, 0); suppliers],
            months: Default::default(),
            categories: Categories::new(rules),
        }
    }

    fn add(&mut self, line: &LedgerLine, f: &SupplierFacts, leak: usize) {
        let m = &mut self.m;
        let c = self.categories.slot(&line.expense_type);
        m.lines += 1;
        m.total += line.amount;
        for (band, place) in self.local_all.iter_mut().zip(f.local) {
            band.add(place, line.amount);
        }
        for (sum, judged) in self.judged_all.iter_mut().zip(f.judged) {
            if judged {
                *sum += line.amount;
            }
        }
        let (year, month, _) = line.paid_on.to_calendar_date();
        let month = self
            .months
            .entry(year * 12 + month as i32)
            .or_insert_with(|| MonthTotal::empty(month_of(line.paid_on)));
        month.total += line.amount;
        if f.excluded || self.categories.excluded[c] {
            return;
        }
        self.influenceable_lines += 1;
        m.influenceable += line.amount;
        month.influenceable += line.amount;
        month.local.add(f.local[0], line.amount);
        if f.judged[0] {
            month.judged += line.amount;
        }
        for (band, place) in self.local.iter_mut().zip(f.local) {
            band.add(place, line.amount);
        }
        for (sum, judged) in self.judged.iter_mut().zip(f.judged) {
            if judged {
                *sum += line.amount;
            }
        }
        m.deprived_1_2.add(f.deprived_1_2, line.amount);
        if f.decile_known {
            m.deciles_judged += line.amount;
        }
        if f.social_economy {
            m.social_economy += line.amount;
        }
        if f.kind_known {
            m.kind_known += line.amount;
        }
        let e = &mut self.by_supplier[line.supplier];
        e.0 += line.amount;
        e.1 += 1;
        self.categories.counted[c] = true;
        let t = &mut self.categories.totals[c];
        t.0 += line.amount;
        t.1.add(f.local[leak], line.amount);
        if !f.local[leak].1 {
            t.2 += line.amount;
        }
        if f.judged[leak] {
            self.categories.judged[c] += line.amount;
        }
    }

    fn merge(&mut self, other: Tally<'a>) {
        let (m, o) = (&mut self.m, &other.m);
        m.lines += o.lines;
        m.total += o.total;
        m.influenceable += o.influenceable;
        m.deprived_1_2.merge(o.deprived_1_2);
        m.deciles_judged += o.deciles_judged;
        m.social_economy += o.social_economy;
        m.kind_known += o.kind_known;
        for (a, b) in self.local_all.iter_mut().zip(other.local_all) {
            a.merge(b);
        }
        for (a, b) in self.local.iter_mut().zip(other.local) {
            a.merge(b);
        }
        for (a, b) in self.judged_all.iter_mut().zip(other.judged_all) {
            *a += b;
        }
        for (a, b) in self.judged.iter_mut().zip(other.judged) {
            *a += b;
        }
        self.influenceable_lines += other.influenceable_lines;
        for (a, b) in self.by_supplier.iter_mut().zip(other.by_supplier) {
            a.0 += b.0;
            a.1 += b.1;
        }
        for (k, b) in other.months {
            let a = self
                .months
                .entry(k)
                .or_insert_with(|| MonthTotal::empty(b.month.clone()));
            a.total += b.total;
            a.influenceable += b.influenceable;
            a.local.merge(b.local);
            a.judged += b.judged;
        }
        let theirs = other.categories;
        for (c, name) in theirs.names.iter().enumerate() {
            let d = self.categories.slot(name);
            let (a, b) = (&mut self.categories.totals[d], theirs.totals[c]);
            a.0 += b.0;
            a.1.merge(b.1);
            a.2 += b.2;
            self.categories.judged[d] += theirs.judged[c];
            self.categories.counted[d] |= theirs.counted[c];
        }
    }
}

/// One supplier's standing in the measures.
struct SupplierFacts {
    /// (low, high) per [`Geography::ALL`].
    local: [(bool, bool); 4],
    deprived_1_2: (bool, bool),
    /// Could be judged, per [`Geography::ALL`].
    judged: [bool; 4],
    decile_known: bool,
    social_economy: bool,
    kind_known: bool,
    /// A rule on the supplier takes its payments out of influenceable spend.
    excluded: bool,
}

/// Categories numbered as first met, by the address of their shared text
/// (lines share one copy per category, so this is a pointer lookup, not a
/// string comparison), with what the rules say of each and its totals.
struct Categories<'a> {
    rules: &'a [InfluenceRule],
    /// By the address of the text (as a number: the tally crosses threads).
    slots: rustc_hash::FxHashMap<usize, usize>,
    names: Vec<Arc<str>>,
    excluded: Vec<bool>,
    /// Influenceable spend, local (leakage geography), not local by any place.
    totals: Vec<(Pence, Band, Pence)>,
    /// An influenceable line of the category was seen (its totals may be 0).
    counted: Vec<bool>,
    /// Influenceable spend whose supplier could be judged (leakage geography).
    judged: Vec<Pence>,
}

impl<'a> Categories<'a> {
    fn new(rules: &'a [InfluenceRule]) -> Self {
        Categories {
            rules,
            slots: Default::default(),
            names: Vec::new(),
            excluded: Vec::new(),
            totals: Vec::new(),
            counted: Vec::new(),
            judged: Vec::new(),
        }
    }

    fn slot(&mut self, name: &Arc<str>) -> usize {
        let key = name.as_ptr() as usize;
        if let Some(c) = self.slots.get(&key) {
            return *c;
        }
        let c = self.names.len();
        self.slots.insert(key, c);
        self.names.push(name.clone());
        self.excluded
            .push(self.rules.iter().any(|r| r.excludes_category(name)));
        self.totals.push((0, Band::default(), 0));
        self.counted.push(false);
        self.judged.push(0);
        c
    }
}

/// Survey inputs for LM3, each a low–high range in basis points, and the
/// wage bill paid to staff who live locally (from payroll, optional).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lm3Inputs {
    /// Share of what local suppliers receive that they re-spend locally.
    pub supplier_respend_bp: (i64, i64),
    /// Share of local staff's pay they re-spend locally.
    pub staff_respend_bp: (i64, i64),
    /// Pay to staff living in the area over the period, in pence.
    pub local_wages: Pence,
    /// All pay over the period (part of R1 when given).
    pub all_wages: Pence,
    /// The re-spend survey the two shares came from (`None`: typed, or the
    /// assumptions below).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<super::settings::RespendSource>,
}

impl Default for Lm3Inputs {
    /// Assumptions until a survey replaces them: staff re-spend 40–45% locally
    /// (NEF's averaging-surveys example: 40% stated, five staff averaged
    /// 45.4%); suppliers 25–40%. Shown as assumptions on every LM3 figure.
    fn default() -> Self {
        Lm3Inputs {
            supplier_respend_bp: (2_500, 4_000),
            staff_respend_bp: (4_000, 4_540),
            local_wages: 0,
            all_wages: 0,
            source: None,
        }
    }
}

/// LM3 as a range: each end in hundredths (150 = 1.50).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Lm3 {
    pub r1: Pence,
    pub r2: Band,
    pub r3: Band,
    pub low_hundredths: i64,
    pub high_hundredths: i64,
    /// The wages it stood on and where they came from (a workforce file,
    /// the typed figure, or not known), said beside every LM3 shown.
    pub wages: super::wages::Wages,
}

impl Lm3 {
    /// `1.26–1.38`, or one figure when both ends agree.
    pub fn text(&self) -> String {
        use crate::figures::hundredths;
        if self.low_hundredths == self.high_hundredths {
            hundredths(self.low_hundredths)
        } else {
            format!(
                "{}–{}",
                hundredths(self.low_hundredths),
                hundredths(self.high_hundredths)
            )
        }
    }
}

/// LM3 = (R1 + R2 + R3) / R1 (NEF, *The Money Trail*, 2002). R1 is the
/// influenceable spend plus the wage bill; R2 what of it reaches local
/// suppliers and local staff; R3 what they re-spend locally. The wages are
/// chosen by [`super::wages::wages`] (computed, typed or not known); the
/// re-spend shares come from `inputs`.
pub fn lm3(
    influenceable: Pence,
    local: Band,
    inputs: &Lm3Inputs,
    wages: super::wages::Wages,
) -> Lm3 {
    let r1 = influenceable + wages.all;
    let r2 = Band {
        low: local.low + wages.local,
        high: local.high + wages.local,
    };
    let part =
        |p: Pence, bp: i64| -> Pence { ((p as i128 * bp as i128 + 5_000) / 10_000) as Pence };
    let r3 = Band {
        low: part(local.low, inputs.supplier_respend_bp.0)
            + part(wages.local, inputs.staff_respend_bp.0),
        high: part(local.high, inputs.supplier_respend_bp.1)
            + part(wages.local, inputs.staff_respend_bp.1),
    };
    let score = |r2: Pence, r3: Pence| -> i64 {
        if r1 <= 0 {
            100
        } else {
            (((r1 + r2 + r3) as i128 * 100 + r1 as i128 / 2) / r1 as i128) as i64
        }
    };
    Lm3 {
        r1,
        r2,
        r3,
        low_hundredths: score(r2.low, r3.low),
        high_hundredths: score(r2.high, r3.high),
        wages,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn place(aob: bool, la: bool, decile: u8) -> SupplierPlace {
        SupplierPlace {
            postcode: String::new(),
            lat: None,
            lon: None,
            area_code: Some("E01".into()),
            decile: Some(decile),
            area_of_benefit: aob,
            local_authority: la,
            city_region: la,
            near_site: aob,
            judged: Judged::ALL,
        }
    }

    fn supplier(
        key: &str,
        kind: SupplierKind,
        reg: Option<SupplierPlace>,
        trading: Option<SupplierPlace>,
    ) -> Supplier {
        Supplier {
            key: key.into(),
            name: key.into(),
            kind,
            registered: reg,
            trading,
            organisation: None,
        }
    }

    /// A ledger small enough to add up by hand.
    fn ledger() -> (Vec<Supplier>, Vec<LedgerLine>) {
        let suppliers = vec![
            // 0: local café in decile 1, a social enterprise.
            supplier(
                "cafe",
                SupplierKind::SocialEnterprise,
                Some(place(true, true, 1)),
                None,
            ),
            // 1: national firm registered in London, branch in the area (decile 2).
            supplier(
                "national",
                SupplierKind::LargeCompany,
                Some(place(false, false, 7)),
                Some(place(true, true, 2)),
            ),
            // 2: HMRC: a public body, excluded from influenceable.
            supplier(
                "hmrc",
                SupplierKind::PublicBody,
                Some(place(false, false, 5)),
                None,
            ),
            // 3: a supplier nobody has placed.
            supplier("unknown", SupplierKind::Unknown, None, None),
            // 4: a local builder, same LA but outside the area of benefit, decile 3.
            supplier(
                "builder",
                SupplierKind::Sme,
                Some(place(false, true, 3)),
                None,
            ),
        ];
        let l = |id, supplier, amount, e: &str, d| LedgerLine {
            id,
            anchor: "trust".into(),
            paid_on: d,
            amount,
            expense_type: e.into(),
            supplier,
        };
        let lines = vec![
            l(1, 0, 100_000, "Catering", date!(2020 - 04 - 01)),
            l(2, 1, 300_000, "Catering", date!(2020 - 04 - 15)),
            l(3, 2, 500_000, "Tax", date!(2020 - 04 - 30)),
            l(4, 3, 200_000, "Building", date!(2020 - 05 - 01)),
            l(5, 4, 400_000, "Building", date!(2020 - 05 - 02)),
            l(6, 0, -20_000, "Catering", date!(2020 - 05 - 03)),
        ];
        (suppliers, lines)
    }

    #[test]
    fn spellings_matched_to_one_organisation_are_one_top_supplier() {
        let org = MatchedOrganisation {
            id: uuid::Uuid::from_u128(7),
            name: "ACME CATERING LIMITED".into(),
        };
        let mut a = supplier("ACME CATERING LTD", SupplierKind::Sme, None, None);
        let mut b = supplier("ACME CATERING", SupplierKind::Sme, None, None);
        a.organisation = Some(org.clone());
        b.organisation = Some(org);
        let c = supplier("BEE LTD", SupplierKind::Sme, None, None);
        let suppliers = vec![a, b, c];
        // ACME twice (£100 + £300, 3 lines) outranks BEE's £350.
        let top = top_suppliers(
            [(0, 10_000, 1), (1, 30_000, 2), (2, 35_000, 4)].into_iter(),
            &suppliers,
            10,
        );
        assert_eq!(top.len(), 2);
        assert_eq!(
            (
                top[0].total,
                top[0].lines,
                top[0].spellings,
                top[0].supplier
            ),
            (40_000, 3, 2, 1),
            "named by the spelling paid most"
        );
        assert_eq!(top[0].name(&suppliers), "ACME CATERING LIMITED");
        assert_eq!((top[1].name(&suppliers), top[1].spellings), ("BEE LTD", 1));
    }

    #[test]
    fn hand_computed_ledger() {
        let (suppliers, lines) = ledger();
        let rules = default_rules();
        let m = measure(
            &lines,
            &lines,
            &suppliers,
            &rules,
            Geography::AreaOfBenefit,
            10,
        );
        assert_eq!(m.total, 1_480_000);
        // HMRC is a public body: 1,480,000 − 500,000.
        assert_eq!(m.influenceable, 980_000);
        // Area of benefit: café 80,000 for sure; the national firm's branch only at the high end.
        assert_eq!(
            m.local[&Geography::AreaOfBenefit],
            Band {
                low: 80_000,
                high: 380_000
            }
        );
        assert_eq!(
            m.local[&Geography::AreaOfBenefit].share_bp(m.influenceable),
            (816, 3878)
        );
        // Local authority adds the builder.
        assert_eq!(
            m.local[&Geography::LocalAuthority],
            Band {
                low: 480_000,
                high: 780_000
            }
        );
        // Deciles 1–2: café for sure, the branch at the high end; the builder is decile 3.
        assert_eq!(
            m.deprived_1_2,
            Band {
                low: 80_000,
                high: 380_000
            }
        );
        assert_eq!(m.social_economy, 80_000);
        // The supplier nobody has placed (200,000) is not judged anywhere.
        assert_eq!(m.judged[&Geography::AreaOfBenefit], 780_000);
        assert_eq!(m.deciles_judged, 780_000);
        assert_eq!(m.judged_all[&Geography::LocalAuthority], 1_280_000);
        assert_eq!(m.top_suppliers[0].supplier, 4);
        assert_eq!(m.months.len(), 2);
        assert_eq!(m.months[0].total, 900_000);
        assert_eq!(m.months[0].influenceable, 400_000);
        // Building money leaves the area of benefit (both suppliers outside it)
        // but no local builder is known in it: no leak reported. Catering's
        // national firm is outside by its registered office but local by its
        // branch, so nothing certainly leaves.
        assert!(m.leakage.is_empty(), "{:?}", m.leakage);
        // Leakage against the local authority: the unknown supplier's 200,000
        // of building leaves while the builder is local.
        let la = measure(
            &lines,
            &lines,
            &suppliers,
            &rules,
            Geography::LocalAuthority,
            10,
        );
        assert_eq!(la.leakage.len(), 1);
        assert_eq!(la.leakage[0].expense_type, "Building");
        assert_eq!(la.leakage[0].leaving, 200_000);
        assert_eq!(la.leakage[0].local_suppliers, vec![4]);
    }

    #[test]
    fn every_figure_is_the_sum_of_its_drill_down() {
        let (suppliers, lines) = ledger();
        let rules = default_rules();
        let m = measure(
            &lines,
            &lines,
            &suppliers,
            &rules,
            Geography::AreaOfBenefit,
            10,
        );
        let sum = |p: &LinePredicate| -> Pence {
            lines
                .iter()
                .filter(|l| p.matches(l, &suppliers[l.supplier], &rules))
                .map(|l| l.amount)
                .sum()
        };
        let infl = LinePredicate {
            influenceable: Some(true),
            ..Default::default()
        };
        assert_eq!(sum(&infl), m.influenceable);
        for g in Geography::ALL {
            let low = LinePredicate {
                local: Some((g, true)),
                ..infl.clone()
            };
            let high = LinePredicate {
                local_high: true,
                ..low.clone()
            };
            assert_eq!(
                (sum(&low), sum(&high)),
                (m.local[&g].low, m.local[&g].high),
                "{g:?}"
            );
        }
        let dep = LinePredicate {
            deprived: Some(2),
            ..infl.clone()
        };
        assert_eq!(sum(&dep), m.deprived_1_2.low);
        let april = LinePredicate {
            month: Some("2020-04".into()),
            ..Default::default()
        };
        assert_eq!(sum(&april), m.months[0].total);
    }

    #[test]
    fn lm3_by_hand() {
        // R1 = 1,000,000 + wages 500,000; R2 = local 200,000..300,000 + local wages 100,000.
        let inputs = Lm3Inputs {
            supplier_respend_bp: (2_500, 4_000),
            staff_respend_bp: (4_000, 5_000),
            local_wages: 100_000,
            all_wages: 500_000,
            source: None,
        };
        let typed = crate::anchors::wages::Wages {
            source: crate::anchors::wages::WageSource::Typed,
            all: inputs.all_wages,
            local: inputs.local_wages,
        };
        let r = lm3(
            1_000_000,
            Band {
                low: 200_000,
                high: 300_000,
            },
            &inputs,
            typed,
        );
        assert_eq!(r.r1, 1_500_000);
        assert_eq!(
            r.r2,
            Band {
                low: 300_000,
                high: 400_000
            }
        );
        // R3 low = 200,000·25% + 100,000·40% = 90,000; high = 300,000·40% + 100,000·50% = 170,000.
        assert_eq!(
            r.r3,
            Band {
                low: 90_000,
                high: 170_000
            }
        );
        // (1,500,000 + 300,000 + 90,000) / 1,500,000 = 1.26; (… + 400,000 + 170,000) = 1.38.
        assert_eq!((r.low_hundredths, r.high_hundredths), (126, 138));
        assert_eq!(
            lm3(
                0,
                Band::default(),
                &Lm3Inputs::default(),
                crate::anchors::wages::Wages {
                    source: crate::anchors::wages::WageSource::NotKnown,
                    all: 0,
                    local: 0,
                }
            )
            .low_hundredths,
            100
        );
    }

    #[test]
    fn rules_read_and_describe() {
        for r in default_rules() {
            assert_eq!(InfluenceRule::parse(&r.describe()), Some(r));
        }
        assert!(InfluenceRule::parse("supplier_kind is dragon").is_none());
        let words: Vec<String> = default_rules().iter().map(|r| r.in_words()).collect();
        assert_eq!(words[0], "Supplier kind is public body");
        assert!(words.contains(&"Expense type contains ‘salar’".to_string()));
        assert!(words.iter().all(|w| !w.contains('_')), "{words:?}");
        assert!(InfluenceRule::parse("colour contains red").is_none());
        assert_eq!(share_bp(1, 3), 3333);
        assert_eq!(share_bp(2, 3), 6667);
        assert_eq!(share_bp(-1, 3), -3333);
    }

    /// The measures as their definitions read, line by line with ordered
    /// maps and the rules asked every time: what [`measure`]'s per-supplier
    /// and per-category shortcuts must agree with.
    fn measure_by_definition(
        lines: &[LedgerLine],
        suppliers: &[Supplier],
        rules: &[InfluenceRule],
        leak: Geography,
        top: usize,
    ) -> Measures {
        let mut m = Measures::default();
        let mut by_supplier: BTreeMap<usize, (Pence, u64)> = BTreeMap::new();
        let mut by_category: BTreeMap<String, (Pence, Band, Pence, Pence)> = BTreeMap::new();
        let mut by_month: BTreeMap<String, MonthTotal> = BTreeMap::new();
        let mut local_for: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
        for line in lines {
            let s = &suppliers[line.supplier];
            let excluded = excluded_by(rules, line, s).is_some();
            m.lines += 1;
            m.total += line.amount;
            for g in Geography::ALL {
                m.local_all
                    .entry(g)
                    .or_default()
                    .add(s.local(g), line.amount);
                *m.judged_all.entry(g).or_default() += if s.judged(g) { line.amount } else { 0 };
            }
            let month = by_month
                .entry(month_of(line.paid_on))
                .or_insert_with(|| MonthTotal::empty(month_of(line.paid_on)));
            month.total += line.amount;
            if s.local(leak).0 && !excluded {
                local_for
                    .entry(line.expense_type.to_string())
                    .or_default()
                    .insert(line.supplier);
            }
            if excluded {
                continue;
            }
            m.influenceable += line.amount;
            month.influenceable += line.amount;
            month
                .local
                .add(s.local(Geography::AreaOfBenefit), line.amount);
            if s.judged(Geography::AreaOfBenefit) {
                month.judged += line.amount;
            }
            for g in Geography::ALL {
                m.local.entry(g).or_default().add(s.local(g), line.amount);
                *m.judged.entry(g).or_default() += if s.judged(g) { line.amount } else { 0 };
            }
            m.deprived_1_2.add(s.deprived(2), line.amount);
            if s.decile_known() {
                m.deciles_judged += line.amount;
            }
            if s.kind.is_social_economy() {
                m.social_economy += line.amount;
            }
            if s.kind != SupplierKind::Unknown {
                m.kind_known += line.amount;
            }
            let e = by_supplier.entry(line.supplier).or_default();
            e.0 += line.amount;
            e.1 += 1;
            let c = by_category
                .entry(line.expense_type.to_string())
                .or_default();
            c.0 += line.amount;
            c.1.add(s.local(leak), line.amount);
            if !s.local(leak).1 {
                c.2 += line.amount;
            }
            if s.judged(leak) {
                c.3 += line.amount;
            }
        }
        m.top_suppliers = top_suppliers(
            by_supplier
                .into_iter()
                .map(|(supplier, (total, lines))| (supplier, total, lines)),
            suppliers,
            top,
        );
        for (cat, (infl, local, leaving, judged)) in by_category {
            if let Some(locals) = local_for.get(&cat).filter(|_| leaving > 0) {
                let mut local_suppliers: Vec<usize> = locals.iter().copied().collect();
                local_suppliers.sort_by(|a, b| suppliers[*a].name.cmp(&suppliers[*b].name));
                m.leakage.push(Leak {
                    expense_type: cat.clone(),
                    leaving,
                    local_suppliers,
                });
            }
            m.categories.push(CategoryTotal {
                expense_type: cat,
                influenceable: infl,
                local,
                judged,
                leaving,
            });
        }
        m.categories
            .sort_by_key(|c| std::cmp::Reverse(c.influenceable));
        m.leakage.sort_by_key(|l| std::cmp::Reverse(l.leaving));
        m.months = by_month.into_values().collect();
        m
    }

    proptest::proptest! {
        /// Random ledgers: suppliers placed anywhere (or nowhere), of every
        /// kind, categories shared or separately copied, amounts of both signs.
        #[test]
        fn measures_agree_with_their_definition(
            places in proptest::collection::vec(
                (0u8..6, proptest::option::of((0u8..16, 1u8..11)), proptest::option::of((0u8..16, 1u8..11))),
                1..12,
            ),
            rows in proptest::collection::vec(
                (0usize..12, -50_000i64..500_000, 0usize..6, 0u32..400, proptest::bool::ANY),
                0..120,
            ),
            leak in 0usize..4,
        ) {
            let kinds = SupplierKind::ALL;
            let place = |(bits, decile): (u8, u8)| SupplierPlace {
                decile: (decile < 10).then_some(decile),
                judged: Judged {
                    area_of_benefit: bits & 1 != 0 || decile % 2 == 0,
                    local_authority: bits & 2 != 0 || decile % 3 == 0,
                    city_region: bits & 4 != 0,
                    near_site: bits & 8 != 0 || decile == 1,
                },
                area_of_benefit: bits & 1 != 0,
                local_authority: bits & 2 != 0,
                city_region: bits & 4 != 0,
                near_site: bits & 8 != 0,
                ..Default::default()
            };
            // Names repeat so that ties in the top suppliers sort by name.
            let suppliers: Vec<Supplier> = places
                .iter()
                .enumerate()
                .map(|(i, (kind, reg, trading))| Supplier {
                    key: format!("s{i}"),
                    name: ["Acme", "HMRC", "Bee Ltd", "Acme"][i % 4].to_string(),
                    kind: kinds[*kind as usize],
                    registered: reg.map(place),
                    trading: trading.map(place),
                    organisation: None,
                })
                .collect();
            let names = ["Catering", "Tax", "Building", "Drugs", "Cleaning", "Pension costs"];
            let shared: Vec<Arc<str>> = names.iter().map(|n| Arc::from(*n)).collect();
            let lines: Vec<LedgerLine> = rows
                .iter()
                .enumerate()
                .map(|(i, (s, amount, cat, day, copy))| LedgerLine {
                    id: i as i64,
                    anchor: "trust".into(),
                    paid_on: date!(2024 - 01 - 01) + time::Duration::days(*day as i64),
                    amount: *amount,
                    expense_type: if *copy { Arc::from(names[*cat]) } else { shared[*cat].clone() },
                    supplier: s % suppliers.len(),
                })
                .collect();
            let leak = Geography::ALL[leak];
            let rules = default_rules();
            let fast = measure(&lines, &lines, &suppliers, &rules, leak, 3);
            // Tallied in runs at once and merged, as large ledgers are.
            let merged = measure_in_parts(&lines, &lines, &suppliers, &rules, leak, 3, Some(3));
            proptest::prop_assert_eq!(&merged, &fast);
            let slow = measure_by_definition(&lines, &suppliers, &rules, leak, 3);
            // Equal totals with equal names may come in either order.
            let key = |t: &SupplierTotal| (t.total, suppliers[t.supplier].name.clone(), t.lines);
            proptest::prop_assert_eq!(
                fast.top_suppliers.iter().map(key).collect::<Vec<_>>(),
                slow.top_suppliers.iter().map(key).collect::<Vec<_>>()
            );
            proptest::prop_assert_eq!(
                Measures { top_suppliers: vec![], ..fast },
                Measures { top_suppliers: vec![], ..slow }
            );
        }
    }
}
