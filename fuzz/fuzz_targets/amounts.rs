//! Amounts as published: whatever `parse_pence` reads, both ways of
//! writing it back read again to the same pence.

#![no_main]

use libfuzzer_sys::fuzz_target;
use useit_core::money::{format_pence, parse_pence, plain_pence};

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    match parse_pence(raw) {
        Ok(p) => {
            assert_eq!(parse_pence(&plain_pence(p)).ok(), Some(p), "{raw:?}");
            assert_eq!(parse_pence(&format_pence(p)).ok(), Some(p), "{raw:?}");
            // The same amount as a credit, in brackets, reads as its negative.
            let credit = format!("({})", plain_pence(p.abs()));
            assert_eq!(parse_pence(&credit).ok(), Some(-p.abs()), "{raw:?}");
        }
        Err(m) => assert!(!m.key.is_empty()),
    }
    // Any pence a file can hold (15 digits of pounds) writes and reads back.
    if data.len() >= 8 {
        let p = i64::from_le_bytes(data[..8].try_into().unwrap()) % 100_000_000_000_000_000;
        assert_eq!(parse_pence(&plain_pence(p)).ok(), Some(p));
        assert_eq!(parse_pence(&format_pence(p)).ok(), Some(p));
    }
});
