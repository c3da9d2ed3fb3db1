//! An enterprise's milestones, computed and never typed: its first trading
//! income (the first year its recorded income has any trading), its first
//! public contract (the first payment to it in any public body's spend
//! lines) and its first anchor contract (the first payment to it from any
//! of the programme's anchors). Payments are the spend lines whose supplier
//! was resolved to the organisation (matched or accepted); credits and
//! refunds (amounts of zero or less) are not contracts.

use serde::Serialize;
use time::Date;
use uuid::Uuid;

use super::income::IncomeYear;
use crate::anchors::anchor::AnchorKind;
use crate::money::Pence;

/// One spend line paid to the organisation, with whose it was.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PaidLine {
    pub anchor: Uuid,
    pub anchor_name: String,
    pub anchor_kind: AnchorKind,
    #[serde(with = "crate::iso_date")]
    pub paid_on: Date,
    pub amount: Pence,
    pub file_name: String,
    pub line_no: i64,
}

impl AnchorKind {
    /// A public body: an NHS trust, a council or a university (housing
    /// associations and others are not).
    pub fn is_public(self) -> bool {
        matches!(
            self,
            AnchorKind::NhsTrust | AnchorKind::Council | AnchorKind::University
        )
    }
}

/// The milestones; None where not reached (or nothing recorded shows it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Milestones {
    /// The financial year (by the year it starts in) of the first trading
    /// income recorded.
    pub first_trading_year: Option<i32>,
    pub first_public_contract: Option<PaidLine>,
    pub first_anchor_contract: Option<PaidLine>,
}

fn first<'a>(lines: impl Iterator<Item = &'a PaidLine>) -> Option<PaidLine> {
    lines
        .filter(|l| l.amount > 0)
        .min_by(|a, b| {
            (a.paid_on, &a.file_name, a.line_no).cmp(&(b.paid_on, &b.file_name, b.line_no))
        })
        .cloned()
}

/// Computes the milestones from the income years recorded and the spend
/// lines paid to the organisation (every anchor's lines are the programme's
/// anchors').
pub fn milestones(income: &[IncomeYear], lines: &[PaidLine]) -> Milestones {
    Milestones {
        first_trading_year: income
            .iter()
            .filter(|y| y.trading > 0)
            .map(|y| y.year)
            .min(),
        first_public_contract: first(lines.iter().filter(|l| l.anchor_kind.is_public())),
        first_anchor_contract: first(lines.iter()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn line(anchor: u128, kind: AnchorKind, paid_on: Date, amount: Pence) -> PaidLine {
        PaidLine {
            anchor: Uuid::from_u128(anchor),
            anchor_name: format!("anchor {anchor}"),
            anchor_kind: kind,
            paid_on,
            amount,
            file_name: "f.csv".into(),
            line_no: 1,
        }
    }

    #[test]
    fn the_first_anchor_contract_is_the_first_paid_line_from_any_anchor() {
        let lines = [
            line(1, AnchorKind::Council, date!(2024 - 06 - 01), 5_000),
            line(
                2,
                AnchorKind::HousingAssociation,
                date!(2024 - 02 - 01),
                900,
            ),
            // A refund before either is not a contract.
            line(1, AnchorKind::Council, date!(2023 - 12 - 01), -900),
        ];
        let m = milestones(&[], &lines);
        assert_eq!(
            m.first_anchor_contract.map(|l| (l.anchor, l.paid_on)),
            Some((Uuid::from_u128(2), date!(2024 - 02 - 01)))
        );
        // The housing association is no public body.
        assert_eq!(
            m.first_public_contract.map(|l| l.paid_on),
            Some(date!(2024 - 06 - 01))
        );
        assert_eq!(m.first_trading_year, None);
        let none = milestones(&[], &lines[2..]);
        assert_eq!(none.first_anchor_contract, None);
    }

    #[test]
    fn the_first_trading_year_is_the_first_with_any_trading() {
        let y = |year, trading| IncomeYear {
            year,
            grants: 100,
            donations: 0,
            trading,
            contracts: 0,
        };
        let m = milestones(&[y(2025, 10), y(2023, 0), y(2024, 1)], &[]);
        assert_eq!(m.first_trading_year, Some(2024));
    }
}
