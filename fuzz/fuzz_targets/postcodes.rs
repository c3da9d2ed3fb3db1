//! Postcodes as people type them: whatever parses prints and re-parses to
//! itself, its parts make it up, and every refusal has words.

#![no_main]

use libfuzzer_sys::fuzz_target;
use useit_core::place::postcode::Postcode;

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    match Postcode::parse(raw) {
        Ok(pc) => {
            let shown = pc.to_string();
            assert_eq!(Postcode::parse(&shown).as_ref(), Ok(&pc), "{raw:?}");
            assert_eq!(Postcode::parse(pc.compact()).as_ref(), Ok(&pc), "{raw:?}");
            assert_eq!(Postcode::parse(&shown.to_lowercase()).as_ref(), Ok(&pc));
            assert_eq!(format!("{}{}", pc.outward(), pc.inward()), pc.compact());
            assert!(pc.compact().starts_with(pc.area()));
            assert!((5..=7).contains(&pc.compact().len()));
            assert_eq!(pc.inward().len(), 3);
        }
        Err(e) => {
            assert!(!e.message().key.is_empty());
            assert!(!e.to_string().is_empty());
        }
    }
});
