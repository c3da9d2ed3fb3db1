//! UK postcodes: normalising what people type and saying exactly what is
//! wrong when it is not a postcode. Likely typos (a letter O where the inward
//! code needs a zero) are reported, never silently corrected.

use std::fmt;

use crate::i18n::Message;

/// A well-formed UK postcode, e.g. `B18 7QH`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Postcode {
    /// Upper case, no spaces: `B187QH`.
    compact: String,
}

impl Postcode {
    /// Outward code, e.g. `B18`.
    pub fn outward(&self) -> &str {
        &self.compact[..self.compact.len() - 3]
    }

    /// Inward code, e.g. `7QH`.
    pub fn inward(&self) -> &str {
        &self.compact[self.compact.len() - 3..]
    }

    /// Postcode area, the leading letters: `B`, `WS`.
    pub fn area(&self) -> &str {
        let n = self.compact.find(|c: char| c.is_ascii_digit()).unwrap_or(0);
        &self.compact[..n]
    }

    /// Upper case without spaces, the form used as a lookup key.
    pub fn compact(&self) -> &str {
        &self.compact
    }

    /// Parses and validates. Case and spacing are forgiven; anything else is
    /// reported.
    pub fn parse(input: &str) -> Result<Postcode, PostcodeError> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(|c| c.to_uppercase())
            .collect();
        if compact.is_empty() {
            return Err(PostcodeError::Empty);
        }
        if let Some(c) = compact.chars().find(|c| !c.is_ascii_alphanumeric()) {
            return Err(PostcodeError::BadCharacter(c));
        }
        if compact.len() < 5 {
            return Err(PostcodeError::TooShort);
        }
        if compact.len() > 7 {
            return Err(PostcodeError::TooLong);
        }
        if compact == "GIR0AA" {
            return Ok(Postcode { compact });
        }
        let (outward, inward) = compact.split_at(compact.len() - 3);
        let inward: Vec<char> = inward.chars().collect();
        // Inward code: digit, letter, letter (letters exclude C I K M O V).
        if inward[0] == 'O' {
            return Err(PostcodeError::LetterOForZero);
        }
        if !inward[0].is_ascii_digit() {
            return Err(PostcodeError::InwardFormat);
        }
        for (i, c) in inward[1..].iter().enumerate() {
            if *c == '0' {
                return Err(PostcodeError::ZeroForLetterO { position: i + 2 });
            }
            if !c.is_ascii_uppercase() || "CIKMOV".contains(*c) {
                return Err(PostcodeError::InwardFormat);
            }
        }
        if !valid_outward(outward) {
            return Err(PostcodeError::OutwardFormat);
        }
        Ok(Postcode { compact })
    }
}

/// Outward code patterns: A9, A99, AA9, AA99, A9A, AA9A.
fn valid_outward(o: &str) -> bool {
    let c: Vec<char> = o.chars().collect();
    let a = |i: usize| c.get(i).is_some_and(|x| x.is_ascii_uppercase());
    let d = |i: usize| c.get(i).is_some_and(|x| x.is_ascii_digit());
    let first_ok = c.first().is_some_and(|x| !"QVX".contains(*x));
    first_ok
        && match c.len() {
            2 => a(0) && d(1),
            3 => (a(0) && d(1) && d(2)) || (a(0) && a(1) && d(2)) || (a(0) && d(1) && a(2)),
            4 => (a(0) && a(1) && d(2) && d(3)) || (a(0) && a(1) && d(2) && a(3)),
            _ => false,
        }
}

impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.outward(), self.inward())
    }
}

/// Why a text is not a postcode.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PostcodeError {
    #[error("no postcode given")]
    Empty,
    #[error("'{0}' cannot appear in a postcode")]
    BadCharacter(char),
    #[error("too short to be a postcode")]
    TooShort,
    #[error("too long to be a postcode")]
    TooLong,
    #[error("the inward code starts with the letter O where a zero is expected")]
    LetterOForZero,
    #[error("the inward code has a zero in position {position} where a letter is expected")]
    ZeroForLetterO { position: usize },
    #[error("the last three characters must be a number then two letters")]
    InwardFormat,
    #[error("the first part is not a UK postcode district")]
    OutwardFormat,
}

impl PostcodeError {
    pub fn message(&self) -> Message {
        match self {
            PostcodeError::Empty => Message::new("postcode.empty"),
            PostcodeError::BadCharacter(c) => Message::new("postcode.bad_character").arg("char", c),
            PostcodeError::TooShort => Message::new("postcode.too_short"),
            PostcodeError::TooLong => Message::new("postcode.too_long"),
            PostcodeError::LetterOForZero => Message::new("postcode.letter_o_for_zero"),
            PostcodeError::ZeroForLetterO { position } => {
                Message::new("postcode.zero_for_letter_o").arg("position", position)
            }
            PostcodeError::InwardFormat => Message::new("postcode.inward_format"),
            PostcodeError::OutwardFormat => Message::new("postcode.outward_format"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_and_spaces() {
        let p = Postcode::parse(" b18  7qh ").unwrap();
        assert_eq!(p.to_string(), "B18 7QH");
        assert_eq!(p.outward(), "B18");
        assert_eq!(p.inward(), "7QH");
        assert_eq!(p.area(), "B");
        assert_eq!(Postcode::parse("WS11AA").unwrap().to_string(), "WS1 1AA");
        assert_eq!(Postcode::parse("EC1A 1BB").unwrap().to_string(), "EC1A 1BB");
        assert_eq!(Postcode::parse("W1A 0AX").unwrap().to_string(), "W1A 0AX");
    }

    #[test]
    fn reports_typos_without_guessing() {
        assert_eq!(
            Postcode::parse("B18 OQH"),
            Err(PostcodeError::LetterOForZero)
        );
        assert_eq!(
            Postcode::parse("B66 20T"),
            Err(PostcodeError::ZeroForLetterO { position: 2 })
        );
        assert_eq!(Postcode::parse(""), Err(PostcodeError::Empty));
        assert_eq!(Postcode::parse("B1"), Err(PostcodeError::TooShort));
        assert_eq!(
            Postcode::parse("B18-7QH"),
            Err(PostcodeError::BadCharacter('-'))
        );
        assert_eq!(
            Postcode::parse("123 4AB"),
            Err(PostcodeError::OutwardFormat)
        );
        assert_eq!(Postcode::parse("B18 7QC"), Err(PostcodeError::InwardFormat));
    }
}
