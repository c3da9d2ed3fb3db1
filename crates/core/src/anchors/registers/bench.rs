//! Measuring the Companies House reader on a national-sized file: a
//! synthetic "Basic Company Data" file in the published layout (55 columns,
//! every field quoted, the header's leading spaces, names with quotes and
//! commas, prefixed numbers, the categories in their national shares), and
//! the read timed through [`read_register`].
//!
//! `useit bench registers` writes the file to a temporary directory with
//! [`write_companies_house`], then times [`bench_rows`] on it; the example
//! `registers_bench` does the same from the command line.

use std::io::{self, Read, Write};
use std::time::Instant;

use super::{ReadSummary, RegisterFilter, RegisterFormat, read_register};
use crate::csv_import::Report;

/// The published header line, leading spaces and all.
pub const HEADER: &str = "CompanyName, CompanyNumber,RegAddress.CareOf,RegAddress.POBox,RegAddress.AddressLine1, RegAddress.AddressLine2,RegAddress.PostTown,RegAddress.County,RegAddress.Country,RegAddress.PostCode,CompanyCategory,CompanyStatus,CountryOfOrigin,DissolutionDate,IncorporationDate,Accounts.AccountRefDay,Accounts.AccountRefMonth,Accounts.NextDueDate,Accounts.LastMadeUpDate,Accounts.AccountCategory,Returns.NextDueDate,Returns.LastMadeUpDate,Mortgages.NumMortCharges,Mortgages.NumMortOutstanding,Mortgages.NumMortPartSatisfied,Mortgages.NumMortSatisfied,SICCode.SicText_1,SICCode.SicText_2,SICCode.SicText_3,SICCode.SicText_4,LimitedPartnerships.NumGenPartners,LimitedPartnerships.NumLimPartners,URI,PreviousName_1.CONDATE, PreviousName_1.CompanyName, PreviousName_2.CONDATE, PreviousName_2.CompanyName,PreviousName_3.CONDATE, PreviousName_3.CompanyName,PreviousName_4.CONDATE, PreviousName_4.CompanyName,PreviousName_5.CONDATE, PreviousName_5.CompanyName,PreviousName_6.CONDATE, PreviousName_6.CompanyName,PreviousName_7.CONDATE, PreviousName_7.CompanyName,PreviousName_8.CONDATE, PreviousName_8.CompanyName,PreviousName_9.CONDATE, PreviousName_9.CompanyName,PreviousName_10.CONDATE, PreviousName_10.CompanyName,ConfStmtNextDueDate, ConfStmtLastMadeUpDate";

/// A small, fast, repeatable generator (xorshift64*): the same seed gives
/// the same file on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len() as u64) as usize]
    }
}

const WORDS: &[&str] = &[
    "ACORN",
    "BRIDGE",
    "CASTLE",
    "DIGITAL",
    "EAGLE",
    "FORGE",
    "GREEN",
    "HARBOUR",
    "IRON",
    "JUBILEE",
    "KESTREL",
    "LANTERN",
    "MERIDIAN",
    "NORTHERN",
    "OAK",
    "PHOENIX",
    "QUAY",
    "RIVERSIDE",
    "SUMMIT",
    "TUDOR",
    "UNITY",
    "VALLEY",
    "WILLOW",
    "YORK",
    "ZENITH",
    "MIDLAND",
    "BLACK COUNTRY",
    "HEALTH",
    "CARE",
    "BUILD",
    "LOGISTICS",
    "CONSULTING",
    "PROPERTY",
    "SERVICES",
    "TRADING",
    "HOLDINGS",
];

const AREAS: &[&str] = &[
    "B", "WS", "WV", "DY", "CV", "LE", "NG", "M", "L", "LS", "S", "BS", "E", "N", "SE", "SW", "W",
    "EC", "NW", "G", "EH", "CF", "BT", "AB", "OX", "CB", "RG", "GU", "TN", "ME", "BN", "PO", "SO",
    "BH", "EX", "PL", "TR", "SK", "WA", "CH", "ST", "TF", "SY", "HR", "WR", "GL", "SN", "BA", "NE",
    "SR", "DH", "TS", "HU", "YO", "DN", "LN", "PE", "NR", "IP", "CO", "CM", "SS", "RM", "IG", "EN",
];

const TOWNS: &[&str] = &[
    "BIRMINGHAM",
    "WALSALL",
    "WOLVERHAMPTON",
    "DUDLEY",
    "COVENTRY",
    "LONDON",
    "MANCHESTER",
    "LEEDS",
    "SHEFFIELD",
    "BRISTOL",
    "GLASGOW",
    "EDINBURGH",
    "CARDIFF",
    "BELFAST",
    "NOTTINGHAM",
];

const STREETS: &[&str] = &[
    "HIGH STREET",
    "STATION ROAD",
    "CHURCH LANE",
    "MILL ROAD",
    "PARK AVENUE",
    "QUEEN STREET",
];

/// Categories in roughly their shares of the national file (per 1,000).
const CATEGORIES: &[(u64, &str, &str)] = &[
    (850, "Private Limited Company", ""),
    (
        100,
        "PRI/LTD BY GUAR/NSC (Private, limited by guarantee, no share capital)",
        "",
    ),
    (10, "Community Interest Company", ""),
    (8, "Limited Liability Partnership", "OC"),
    (7, "Charitable Incorporated Organisation", "CE"),
    (6, "Overseas Entity", "OE"),
    (5, "Other company type", "FC"),
    (5, "Limited Partnership", "LP"),
    (4, "Public Limited Company", ""),
    (3, "Registered Society", "IP"),
    (
        2,
        "PRI/LBG/NSC (Private, Limited by guarantee, no share capital, use of 'Limited' exemption)",
        "",
    ),
];

const STATUSES: &[(u64, &str)] = &[
    (860, "Active"),
    (70, "Liquidation"),
    (60, "Active - Proposal to Strike off"),
    (8, "In Administration"),
    (2, "Voluntary Arrangement"),
];

const ACCOUNTS: &[&str] = &[
    "MICRO ENTITY",
    "DORMANT",
    "NO ACCOUNTS FILED",
    "TOTAL EXEMPTION FULL",
    "FULL",
    "SMALL",
    "UNAUDITED ABRIDGED",
    "AUDIT EXEMPTION SUBSIDIARY",
    "GROUP",
    "MEDIUM",
];

const SICS: &[&str] = &[
    "99999 - Dormant Company",
    "98000 - Residents property management",
    "68209 - Other letting and operating of own or leased real estate",
    "70229 - Management consultancy activities other than financial management",
    "62020 - Information technology consultancy activities",
    "86210 - General medical practice activities",
    "88990 - Other social work activities without accommodation n.e.c.",
    "41100 - Development of building projects",
    "47910 - Retail sale via mail order houses or via Internet",
    "56101 - Licensed restaurants",
    "None Supplied",
];

fn weighted<'a, T>(rng: &mut Rng, table: &'a [(u64, T)]) -> &'a T {
    let total: u64 = table.iter().map(|(w, _)| w).sum();
    let mut r = rng.below(total);
    for (w, v) in table {
        if r < *w {
            return v;
        }
        r -= w;
    }
    &table[table.len() - 1].1
}

fn date(rng: &mut Rng, from_year: u64, years: u64) -> String {
    format!(
        "{:02}/{:02}/{}",
        1 + rng.below(28),
        1 + rng.below(12),
        from_year + rng.below(years)
    )
}

/// Writes `rows` synthetic companies in the published layout and returns
/// the bytes written. About 500 bytes a row, as the real file (5 million
/// rows ≈ 2.5 GB).
pub fn write_companies_house(rows: u64, seed: u64, out: impl Write) -> io::Result<u64> {
    let mut out = io::BufWriter::with_capacity(1 << 20, out);
    let mut rng = Rng(seed | 1);
    let mut written = 0u64;
    let mut row = String::with_capacity(1024);
    writeln!(out, "{HEADER}")?;
    written += HEADER.len() as u64 + 1;
    let push = |row: &mut String, v: &str| {
        if !row.is_empty() {
            row.push(',');
        }
        row.push('"');
        if v.contains('"') {
            row.push_str(&v.replace('"', "\"\""));
        } else {
            row.push_str(v);
        }
        row.push('"');
    };
    for i in 0..rows {
        row.clear();
        let category: &(u64, &str, &str) = {
            let total: u64 = CATEGORIES.iter().map(|c| c.0).sum();
            let mut r = rng.below(total);
            let mut chosen = &CATEGORIES[0];
            for c in CATEGORIES {
                if r < c.0 {
                    chosen = c;
                    break;
                }
                r -= c.0;
            }
            chosen
        };
        let (_, cat, prefix) = *category;
        let mut name = String::new();
        for k in 0..1 + rng.below(3) {
            if k > 0 {
                name.push(' ');
            }
            name.push_str(rng.pick(WORDS));
        }
        // The quirks of real names: quotes, commas, a bang.
        match rng.below(100) {
            0 => name = format!("\"{name}\" {}", rng.pick(WORDS)),
            1 => name = format!("{name}, {}", rng.pick(WORDS)),
            2 => name.insert(0, '!'),
            _ => {}
        }
        name.push_str(match cat {
            "Community Interest Company" => " CIC",
            "Public Limited Company" => " PLC",
            "Limited Liability Partnership" => " LLP",
            "Limited Partnership" => " LP",
            "Charitable Incorporated Organisation" => " TRUST",
            _ => [" LIMITED", " LTD"][rng.below(2) as usize],
        });
        let number = match prefix {
            "" if rng.below(100) < 8 => format!("SC{:06}", i % 1_000_000),
            "" => format!("{:08}", i),
            "IP" => format!("IP{:05}R", i % 100_000),
            p => format!("{p}{:06}", i % 1_000_000),
        };
        let postcode = if rng.below(100) < 4 {
            String::new()
        } else {
            format!(
                "{}{} {}{}{}",
                rng.pick(AREAS),
                1 + rng.below(29),
                rng.below(10),
                rng.pick(&[
                    "A", "B", "D", "E", "F", "G", "H", "J", "L", "N", "P", "Q", "R", "S", "T", "U",
                    "W", "X", "Y", "Z"
                ]),
                rng.pick(&[
                    "A", "B", "D", "E", "F", "G", "H", "J", "L", "N", "P", "Q", "R", "S", "T", "U",
                    "W", "X", "Y", "Z"
                ]),
            )
        };
        let status = *weighted(&mut rng, STATUSES);
        let town = rng.pick(TOWNS);
        let street = format!("{} {}", 1 + rng.below(300), rng.pick(STREETS));
        let line2 = if rng.below(2) == 0 { "UNIT 4" } else { "" };
        let incorporated = date(&mut rng, 1960, 65);
        let sic_count = 1 + rng.below(4) * rng.below(2);
        let mut sics = [""; 4];
        for s in sics.iter_mut().take(sic_count as usize) {
            *s = rng.pick(SICS);
        }
        let previous = rng.below(10) == 0;
        let previous_name = if previous {
            format!("{} LTD", rng.pick(WORDS))
        } else {
            String::new()
        };
        let previous_date = if previous {
            date(&mut rng, 2000, 25)
        } else {
            String::new()
        };
        let fields: [&str; 55] = [
            &name,
            &number,
            "",
            "",
            &street,
            line2,
            town,
            "",
            rng.pick(&["ENGLAND", "UNITED KINGDOM", "", "WALES", "SCOTLAND"]),
            &postcode,
            cat,
            status,
            "United Kingdom",
            "",
            &incorporated,
            &(1 + rng.below(28)).to_string(),
            &(1 + rng.below(12)).to_string(),
            &date(&mut rng, 2025, 2),
            &date(&mut rng, 2023, 2),
            rng.pick(ACCOUNTS),
            &date(&mut rng, 2016, 2),
            "",
            "0",
            "0",
            "0",
            "0",
            sics[0],
            sics[1],
            sics[2],
            sics[3],
            "0",
            "0",
            &format!("http://business.data.gov.uk/id/company/{number}"),
            &previous_date,
            &previous_name,
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            &date(&mut rng, 2025, 2),
            &date(&mut rng, 2024, 2),
        ];
        for f in fields {
            push(&mut row, f);
        }
        row.push('\n');
        out.write_all(row.as_bytes())?;
        written += row.len() as u64;
    }
    out.flush()?;
    Ok(written)
}

/// One timed read.
#[derive(Clone, Debug, PartialEq)]
pub struct BenchResult {
    pub summary: ReadSummary,
    pub seconds: f64,
    /// Records with a postcode, to show the records were really built.
    pub with_postcode: u64,
}

impl BenchResult {
    pub fn rows_per_second(&self) -> f64 {
        self.summary.rows as f64 / self.seconds.max(1e-9)
    }

    pub fn megabytes_per_second(&self) -> f64 {
        self.summary.bytes as f64 / 1e6 / self.seconds.max(1e-9)
    }
}

/// Streams a Companies House file through [`read_register`] with `filter`
/// and times it; the report says whether it read cleanly.
pub fn bench_rows(reader: impl Read, filter: &RegisterFilter) -> (BenchResult, Report) {
    let mut report = Report::new("companies-house");
    let mut with_postcode = 0u64;
    let start = Instant::now();
    let summary = read_register(
        RegisterFormat::CompaniesHouse,
        reader,
        filter,
        &mut report,
        |r| with_postcode += r.postcode.is_some() as u64,
    );
    let seconds = start.elapsed().as_secs_f64();
    (
        BenchResult {
            summary,
            seconds,
            with_postcode,
        },
        report,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_synthetic_file_reads_back_whole_and_clean() {
        let mut file = Vec::new();
        let bytes = write_companies_house(2_000, 7, &mut file).unwrap();
        assert_eq!(bytes, file.len() as u64);
        let (result, report) = bench_rows(&file[..], &RegisterFilter::everything());
        assert_eq!(report.problems, vec![], "{report}");
        let s = &result.summary;
        assert_eq!((s.rows, s.records, s.lines), (2_000, 2_000, 2_001));
        assert!(s.balances());
        // About 4% have no postcode; every other one reads.
        assert!(
            (1_850..2_000).contains(&result.with_postcode),
            "{}",
            result.with_postcode
        );
        let per_row = bytes / 2_000;
        assert!((380..650).contains(&per_row), "{per_row} bytes a row");
    }

    #[test]
    fn the_same_seed_gives_the_same_file() {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        write_companies_house(50, 3, &mut a).unwrap();
        write_companies_house(50, 3, &mut b).unwrap();
        assert_eq!(a, b);
    }
}
