//! The workforce figures as a CSV download, the same for the page and the
//! API: one row per published figure, the number (empty when hidden) and a
//! note column saying why, so a spreadsheet never reads a hidden figure as 0.

use useit_app::anchors::workforce::WorkforceView;
use useit_core::csv_import::write_table;
use useit_core::disclosure::{Cell, Figure, Money, csv_note_column};
use useit_core::i18n::t;

fn push<V: Figure>(out: &mut Vec<String>, c: &Cell<V>) {
    out.push(c.csv_value());
    out.push(c.csv_note());
}

/// anchor, year, measure, group, where, people (+ note), pay (+ note).
pub fn workforce_csv(v: &WorkforceView) -> String {
    let people = t("anchors.workforce.csv.people").to_string();
    let pay = t("anchors.workforce.csv.pay").to_string();
    let people_note = csv_note_column(&people);
    let pay_note = csv_note_column(&pay);
    let columns = [
        "anchor",
        "year",
        "measure",
        "group",
        "where",
        people.as_str(),
        people_note.as_str(),
        pay.as_str(),
        pay_note.as_str(),
    ];
    let sides = ["inside", "outside", "all"];
    let mut rows = Vec::new();
    for y in &v.years {
        let mut row =
            |measure: &str, group: &str, side: &str, c: &Cell, m: Option<&Cell<Money>>| {
                let mut r = vec![
                    y.anchor_slug.clone(),
                    y.year.label(),
                    measure.to_string(),
                    group.to_string(),
                    side.to_string(),
                ];
                push(&mut r, c);
                match m {
                    Some(m) => push(&mut r, m),
                    None => r.extend([String::new(), String::new()]),
                }
                rows.push(r);
            };
        let p = &y.published;
        let splits = [
            (
                "area_of_benefit",
                &p.area_of_benefit,
                v.area_of_benefit_known,
            ),
            (
                "local_authority",
                &p.local_authority,
                y.local_authority_known,
            ),
            ("deciles_1_2", &p.deciles_1_2, v.deciles_known),
        ];
        for (name, s, known) in splits {
            if !known {
                continue;
            }
            let people: Vec<&Cell> = s.people.all_cells().collect();
            let pay: Vec<&Cell<Money>> = s.pay.all_cells().collect();
            for (i, side) in sides.iter().enumerate() {
                row(name, "", side, people[i], Some(pay[i]));
            }
        }
        // Starters the file did not state are left out, as unknown splits are.
        if let Some(s) = p.starters.as_ref().filter(|_| v.area_of_benefit_known) {
            let starters: Vec<&Cell> = s.all_cells().collect();
            for (i, side) in sides.iter().enumerate() {
                row("starters", "", side, starters[i], None);
            }
        }
        row("home_not_known", "", "all", &p.home_unknown, None);
        for (name, table) in [("band", &p.by_band), ("staff_group", &p.by_staff_group)] {
            if !v.area_of_benefit_known {
                break;
            }
            for (i, label) in table.rows.iter().enumerate() {
                for (j, side) in sides.iter().take(2).enumerate() {
                    row(
                        name,
                        label,
                        side,
                        &table.people.cells[i][j],
                        Some(&table.pay.cells[i][j]),
                    );
                }
                row(
                    name,
                    label,
                    "all",
                    &table.people.row_totals[i],
                    Some(&table.pay.row_totals[i]),
                );
                let others = [
                    (
                        "local_authority",
                        &table.local_authority,
                        y.local_authority_known,
                    ),
                    ("deciles_1_2", &table.deciles_1_2, v.deciles_known),
                ];
                for (geo, o, known) in others {
                    if !known {
                        continue;
                    }
                    for (j, side) in sides.iter().take(2).enumerate() {
                        row(
                            &format!("{name}_{geo}"),
                            label,
                            side,
                            &o.people.cells[i][j],
                            Some(&o.pay.cells[i][j]),
                        );
                    }
                }
            }
        }
    }
    write_table(&columns, rows)
}
