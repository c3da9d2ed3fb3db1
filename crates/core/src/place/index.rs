//! An in-memory postcode index for bulk look-ups (millions a second).
//!
//! A UK postcode is at most seven symbols from `0-9A-Z`, so it packs into
//! 42 bits (six per symbol, left-aligned, zero for "no symbol"). Each slot of
//! the open-addressing table is one `u64`: the key in the high 42 bits and
//! the entry's number in the low 22 (up to 4,194,303 postcodes; the UK has
//! about 2.7 million). A look-up is one cache line, and [`PostcodeIndex::lookup_many`]
//! prefetches a block of slots before probing them, so the memory waits
//! overlap.

const KEY_BITS: u32 = 42;
const VALUE_BITS: u32 = 64 - KEY_BITS;
const VALUE_MASK: u64 = (1 << VALUE_BITS) - 1;
/// The most postcodes an index can hold.
pub const CAPACITY: usize = VALUE_MASK as usize;

/// Packs a postcode as typed (any case, any spacing) into its key, or `None`
/// if it cannot be a postcode (a character outside `0-9A-Za-z`, more than
/// seven symbols, fewer than five).
#[inline]
pub fn key(raw: &str) -> Option<u64> {
    key_bytes(raw.as_bytes())
}

/// Each byte's six-bit symbol value; `SKIP` for spacing, `BAD` for anything
/// that cannot be in a postcode. A table, not a match: one load per byte.
const SKIP: u8 = 64;
const BAD: u8 = 65;
const SYMBOLS: [u8; 256] = {
    let mut t = [BAD; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8 + 1;
        i += 1;
    }
    let mut i = 0;
    while i < 26 {
        t[b'A' as usize + i] = i as u8 + 11;
        t[b'a' as usize + i] = i as u8 + 11;
        i += 1;
    }
    t[b' ' as usize] = SKIP;
    t[b'\t' as usize] = SKIP;
    t
};

#[inline]
pub fn key_bytes(raw: &[u8]) -> Option<u64> {
    let mut k: u64 = 0;
    let mut n = 0u32;
    for &b in raw {
        let v = SYMBOLS[b as usize];
        if v == SKIP {
            continue;
        }
        if v == BAD || n == 7 {
            return None;
        }
        k = (k << 6) | v as u64;
        n += 1;
    }
    if n < 5 {
        return None;
    }
    Some(k << (6 * (7 - n)))
}

/// The postcode a key stands for, in compact form (`B187QH`).
pub fn unkey(mut k: u64) -> String {
    let mut s = Vec::with_capacity(7);
    for _ in 0..7 {
        let v = ((k >> 36) & 63) as u8;
        k <<= 6;
        match v {
            0 => {}
            1..=10 => s.push(b'0' + v - 1),
            _ => s.push(b'A' + v - 11),
        }
    }
    String::from_utf8(s).expect("ascii")
}

#[inline]
fn hash(k: u64, shift: u32) -> usize {
    (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift) as usize
}

/// What the index knows about one postcode.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Entry {
    /// Into [`PostcodeIndex::areas`]; `u32::MAX` when the postcode has no small area.
    pub area: u32,
    pub lat: f32,
    pub lon: f32,
    pub live: bool,
}

/// Postcode → entry, built once, read by many.
pub struct PostcodeIndex {
    slots: Vec<u64>,
    shift: u32,
    pub entries: Vec<Entry>,
    /// Small-area codes the entries point at.
    pub areas: Vec<String>,
}

impl PostcodeIndex {
    /// An index for `entries`, keyed by `keys` (same order). Later duplicates
    /// replace earlier ones.
    pub fn build(keys: &[u64], entries: Vec<Entry>, areas: Vec<String>) -> PostcodeIndex {
        assert_eq!(keys.len(), entries.len());
        assert!(entries.len() <= CAPACITY, "more than {CAPACITY} postcodes");
        let size = (entries.len().max(8) * 2).next_power_of_two();
        let shift = 64 - size.trailing_zeros();
        let mut slots = vec![0u64; size];
        let mask = size - 1;
        for (i, &k) in keys.iter().enumerate() {
            let mut h = hash(k, shift);
            loop {
                let s = slots[h];
                if s == 0 || s >> VALUE_BITS == k {
                    slots[h] = (k << VALUE_BITS) | i as u64;
                    break;
                }
                h = (h + 1) & mask;
            }
        }
        PostcodeIndex {
            slots,
            shift,
            entries,
            areas,
        }
    }

    /// An index of the postcodes the database holds for one scheme; points
    /// whose postcode is not a postcode are left out.
    pub fn from_points(points: &[super::PostcodePoint]) -> PostcodeIndex {
        let mut keys = Vec::with_capacity(points.len());
        let mut entries = Vec::with_capacity(points.len());
        let mut areas: Vec<String> = Vec::new();
        let mut area_ids = std::collections::HashMap::new();
        for p in points {
            let Some(k) = key(&p.postcode) else { continue };
            let area = match &p.area {
                Some(a) => *area_ids.entry(a.clone()).or_insert_with(|| {
                    areas.push(a.clone());
                    (areas.len() - 1) as u32
                }),
                None => u32::MAX,
            };
            keys.push(k);
            entries.push(Entry {
                area,
                lat: p.lat.unwrap_or(f64::NAN) as f32,
                lon: p.lon.unwrap_or(f64::NAN) as f32,
                live: p.live,
            });
        }
        PostcodeIndex::build(&keys, entries, areas)
    }

    /// What the index knows of a postcode as typed, for a look-up answer.
    pub fn facts(&self, raw: &str) -> Option<super::lookup::PostcodeFacts> {
        let e = self.get(raw)?;
        Some(super::lookup::PostcodeFacts {
            display: raw.to_string(),
            area_code: self.area_of(e).map(String::from),
            lat: Some(e.lat as f64).filter(|x| x.is_finite()),
            lon: Some(e.lon as f64).filter(|x| x.is_finite()),
            live: e.live,
            terminated: None,
        })
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Every key in the index, in slot order.
    pub fn keys(&self) -> impl Iterator<Item = u64> + '_ {
        self.slots
            .iter()
            .filter(|&&s| s != 0)
            .map(|s| s >> VALUE_BITS)
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry number for a key.
    #[inline]
    pub fn find(&self, k: u64) -> Option<u32> {
        let mask = self.slots.len() - 1;
        let mut h = hash(k, self.shift);
        loop {
            let s = unsafe { *self.slots.get_unchecked(h) };
            if s == 0 {
                return None;
            }
            if s >> VALUE_BITS == k {
                return Some((s & VALUE_MASK) as u32);
            }
            h = (h + 1) & mask;
        }
    }

    pub fn get(&self, raw: &str) -> Option<&Entry> {
        self.find(key(raw)?).map(|i| &self.entries[i as usize])
    }

    pub fn area_of(&self, e: &Entry) -> Option<&str> {
        (e.area != u32::MAX).then(|| self.areas[e.area as usize].as_str())
    }

    /// Looks up many keys, writing each entry number (or `u32::MAX`) to
    /// `out`. Slots are prefetched a block at a time.
    pub fn lookup_many(&self, keys: &[u64], out: &mut [u32]) {
        assert_eq!(keys.len(), out.len());
        const BLOCK: usize = 16;
        let mut hs = [0usize; BLOCK];
        for (kc, oc) in keys.chunks(BLOCK).zip(out.chunks_mut(BLOCK)) {
            for (i, &k) in kc.iter().enumerate() {
                hs[i] = hash(k, self.shift);
                prefetch(self.slots.as_ptr().wrapping_add(hs[i]));
            }
            let mask = self.slots.len() - 1;
            for (i, &k) in kc.iter().enumerate() {
                let mut h = hs[i];
                oc[i] = loop {
                    let s = unsafe { *self.slots.get_unchecked(h) };
                    if s == 0 {
                        break u32::MAX;
                    }
                    if s >> VALUE_BITS == k {
                        break (s & VALUE_MASK) as u32;
                    }
                    h = (h + 1) & mask;
                };
            }
        }
    }

    /// [`Self::lookup_many`] on several threads.
    pub fn lookup_many_parallel(&self, keys: &[u64], out: &mut [u32], threads: usize) {
        let threads = threads.max(1);
        let chunk = keys.len().div_ceil(threads).max(1);
        std::thread::scope(|s| {
            for (kc, oc) in keys.chunks(chunk).zip(out.chunks_mut(chunk)) {
                s.spawn(move || self.lookup_many(kc, oc));
            }
        });
    }
}

#[inline(always)]
fn prefetch(p: *const u64) {
    #[cfg(target_arch = "x86_64")]
    unsafe {
        std::arch::x86_64::_mm_prefetch(p as *const i8, std::arch::x86_64::_MM_HINT_T0);
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// Builds an index straight from a postcode CSV: the `postcode`, `lat`,
/// `lon`, `area` and `live`/`terminated` columns named. For the bulk and
/// benchmark paths, where a national file must load in seconds; rows that
/// are not postcodes are skipped and counted.
pub fn from_csv(
    text: &[u8],
    postcode: &str,
    area: &str,
    lat: &str,
    lon: &str,
    live: Option<&str>,
    terminated: Option<&str>,
) -> Result<(PostcodeIndex, u64), String> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text);
    let headers = rdr.byte_headers().map_err(|e| e.to_string())?.clone();
    let col = |name: &str| -> Result<usize, String> {
        headers
            .iter()
            .position(|h| h == name.as_bytes())
            .ok_or_else(|| format!("no column '{name}'"))
    };
    let (pc, ar, la, lo) = (col(postcode)?, col(area)?, col(lat)?, col(lon)?);
    let lv = live.map(col).transpose()?;
    let te = terminated.map(col).transpose()?;
    let mut keys = Vec::new();
    let mut entries = Vec::new();
    let mut areas: Vec<String> = Vec::new();
    let mut area_ids: std::collections::HashMap<Vec<u8>, u32> = std::collections::HashMap::new();
    let mut skipped = 0u64;
    let mut rec = csv::ByteRecord::new();
    let num = |b: &[u8]| -> f32 {
        std::str::from_utf8(b)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(f32::NAN)
    };
    while rdr.read_byte_record(&mut rec).map_err(|e| e.to_string())? {
        let Some(k) = key_bytes(&rec[pc]) else {
            skipped += 1;
            continue;
        };
        let a = &rec[ar];
        let area = if a.is_empty() {
            u32::MAX
        } else {
            match area_ids.get(a) {
                Some(id) => *id,
                None => {
                    let id = areas.len() as u32;
                    areas.push(String::from_utf8_lossy(a).into_owned());
                    area_ids.insert(a.to_vec(), id);
                    id
                }
            }
        };
        let live = match (lv, te) {
            (Some(i), _) if &rec[i] == b"1" => true,
            (_, Some(i)) => rec[i].is_empty(),
            _ => true,
        };
        keys.push(k);
        entries.push(Entry {
            area,
            lat: num(&rec[la]),
            lon: num(&rec[lo]),
            live,
        });
    }
    Ok((PostcodeIndex::build(&keys, entries, areas), skipped))
}

#[cfg(test)]
mod tests {
    use super::super::PostcodePoint;
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keys_ignore_case_and_spacing_only() {
        assert_eq!(key("B18 7QH"), key("b187qh"));
        assert_eq!(key(" B18  7QH "), key("B187QH"));
        assert_ne!(key("B18 7QH"), key("B1 87QH").filter(|_| false));
        assert_eq!(
            key("B1 87Q"),
            key("B18 7Q"),
            "the same symbols in the same order are the same postcode"
        );
        assert_eq!(key("B-18"), None);
        assert_eq!(key("B1"), None);
        assert_eq!(key("EC1A 1BBX"), None);
        assert_eq!(unkey(key("ec1a 1bb").unwrap()), "EC1A1BB");
        assert_eq!(unkey(key("B1 1AA").unwrap()), "B11AA");
    }

    #[test]
    fn an_index_from_the_database_points_answers_as_the_database_would() {
        let point = |pc: &str, area: Option<&str>, lat: Option<f64>, live: bool| PostcodePoint {
            postcode: pc.into(),
            area: area.map(String::from),
            lat,
            lon: lat.map(|_| -1.95),
            live,
        };
        let index = PostcodeIndex::from_points(&[
            point("B662QT", Some("E01010063"), Some(52.49), true),
            point("B184AA", Some("E01009345"), None, false),
            point("B11ZZ", None, Some(52.48), true),
            point("NOT A POSTCODE", Some("E01010063"), None, true),
        ]);
        assert_eq!(index.len(), 3, "a row that is not a postcode is left out");
        let f = index.facts("b66 2qt").unwrap();
        assert_eq!(
            (f.display.as_str(), f.area_code.as_deref(), f.live),
            ("b66 2qt", Some("E01010063"), true)
        );
        assert!((f.lat.unwrap() - 52.49).abs() < 1e-4);
        let gone = index.facts("B18 4AA").unwrap();
        assert_eq!((gone.live, gone.lat, gone.lon), (false, None, None));
        assert_eq!(index.facts("B1 1ZZ").unwrap().area_code, None);
        assert!(index.facts("ZZ9 9ZZ").is_none());
    }

    proptest! {
        #[test]
        fn keys_round_trip(s in "[A-Z][A-Z0-9]{4,6}") {
            prop_assert_eq!(unkey(key(&s).unwrap()), s);
        }

        #[test]
        fn every_key_built_is_found_and_others_are_not(codes in proptest::collection::hash_set("[A-Z]{1,2}[0-9]{1,2}[0-9][A-Z]{2}", 1..300), probe in "[A-Z]{2}[0-9]{2}[0-9][A-Z]{2}") {
            let codes: Vec<String> = codes.into_iter().collect();
            let keys: Vec<u64> = codes.iter().map(|c| key(c).unwrap()).collect();
            let entries = (0..codes.len()).map(|i| Entry { area: i as u32, lat: 0.0, lon: 0.0, live: true }).collect();
            let idx = PostcodeIndex::build(&keys, entries, (0..codes.len()).map(|i| i.to_string()).collect());
            for (i, c) in codes.iter().enumerate() {
                prop_assert_eq!(idx.get(c).map(|e| e.area), Some(i as u32));
            }
            let mut out = vec![0; keys.len()];
            idx.lookup_many(&keys, &mut out);
            prop_assert_eq!(out, (0..keys.len() as u32).collect::<Vec<_>>());
            if !codes.contains(&probe) {
                prop_assert!(idx.get(&probe).is_none());
            }
        }
    }

    #[test]
    fn builds_from_a_postcode_file() {
        let csv = b"pcds,lat,long,lsoa11cd,doterm,in_codepoint_2025\nB18 7QH,52.488627,-1.932507,E01009345,,1\nB66 2QT,52.491243,-1.949852,E01010063,202103,1\nB1 1AA,,,E01033625,201008,0\nnot a postcode,,,,,\n";
        let (idx, skipped) = from_csv(
            csv,
            "pcds",
            "lsoa11cd",
            "lat",
            "long",
            Some("in_codepoint_2025"),
            Some("doterm"),
        )
        .unwrap();
        assert_eq!((idx.len(), skipped), (3, 1));
        let e = idx.get("b66 2qt").unwrap();
        assert_eq!((idx.area_of(e), e.live), (Some("E01010063"), true));
        assert!(!idx.get("B1 1AA").unwrap().live);
        assert!(idx.get("B1 1AB").is_none());
    }
}
