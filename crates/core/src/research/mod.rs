//! Research and community: paid community researchers, the Social Lab, the
//! asset map and Community Economic Development plans (issue 19).

pub mod assignment;
pub mod finding;
pub mod income;
pub mod pay;
pub mod project;
pub mod questionnaire;
pub mod researcher;
pub mod respend;
pub mod social_lab;
pub mod submissions;
pub mod work;
pub mod xlsform;

use pay::{PayFrom, PayRule, PayRuleInput, Scheme};

use crate::i18n::Message;
use crate::validation::Errors;

/// A required text field with the research catalogue's own message (the
/// strand names each field in its own words).
pub(crate) fn required(e: &mut Errors, field: &str, value: &str, max: usize, key: &str) -> String {
    if value.trim().is_empty() {
        e.add(field, Message::new(key));
        String::new()
    } else {
        e.required(field, value, max)
    }
}

/// The pay rule a programme has until its coordinator chooses one: the UK
/// rate, paid from the day it is announced (the most generous reading of
/// the Living Wage commitment, so nobody is underpaid while it is unset).
pub const DEFAULT_PAY_RULE: PayRule = PayRule {
    scheme: Scheme::Uk,
    pay_from: PayFrom::Announcement,
};

/// A pay rule as the settings form and the store write it.
pub fn rule_input(rule: PayRule) -> PayRuleInput {
    let (pay_from, from_day) = match rule.pay_from {
        PayFrom::Announcement => ("announcement", String::new()),
        PayFrom::FoundationDeadline => ("foundation_deadline", String::new()),
        PayFrom::DayOfYear { month, day } => {
            ("day_of_year", format!("{day:02}/{:02}", month as u8))
        }
    };
    PayRuleInput {
        scheme: rule.scheme.slug().into(),
        pay_from: pay_from.into(),
        from_day,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Month;

    #[test]
    fn a_rule_reads_back_as_written() {
        for rule in [
            DEFAULT_PAY_RULE,
            PayRule {
                scheme: Scheme::London,
                pay_from: PayFrom::DayOfYear {
                    month: Month::April,
                    day: 1,
                },
            },
        ] {
            assert_eq!(rule_input(rule).validate().unwrap(), rule);
        }
    }
}
