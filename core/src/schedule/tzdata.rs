//! The IANA time zones Batch Lab knows, in a compact table of our own (`tzdata.bin`).
//!
//! A zone is only ever asked one question here: its offset from UTC at an instant (plus its
//! name). chrono-tz answers it too, but ships every zone as 24-byte transition records, about
//! 860 KB of the wasm (150 KB gzip); the same offsets, delta-encoded, take 159 KB (23 KB gzip).
//! `core/tests/tzdata.rs` writes the table from chrono-tz (now a dev-dependency only), checks that
//! it is up to date, and checks that every zone's offset here equals chrono-tz's at every
//! transition and at many instants in between, so behaviour is exactly chrono-tz's:
//! - all of chrono-tz's history is kept (its first transitions are in the 1840s);
//! - before a zone's first transition its first offset (local mean time, usually) applies;
//! - after its last transition (chrono-tz lists them to the end of 2099) the last offset stays,
//!   so a DST zone stays on standard time from 2100 on.
//!
//! Table layout (integers are LEB128 varints; "signed" ones zigzag-encoded first):
//! - magic `BLTZ`, format version (one byte, 1), the tzdata release as a length-prefixed string;
//! - the names: a count, then per name (sorted bytewise; `UTC` is built in and not listed) a
//!   length byte, the name's bytes and the number of its zone;
//! - the zones (a link and its target share one): a count, then per zone the distinct offsets it
//!   uses (a count and signed seconds east of UTC; the first is in force before any transition)
//!   and its transitions (a count, then per transition the time since the previous one — since
//!   `TABLE_EPOCH` for the first — and the index of the offset it switches to). A time step is
//!   stored as `minutes << 1` when it is a whole number of minutes (nearly all are), else as
//!   `seconds << 1 | 1`.

use std::fmt;
use std::sync::OnceLock;

/// The table `core/tests/tzdata.rs` generates from chrono-tz.
static TABLE: &[u8] = include_bytes!("tzdata.bin");
/// The format version this decoder reads.
const FORMAT_VERSION: u8 = 1;
/// Transition times are stored relative to this instant (1800-01-01T00:00:00Z), before any
/// transition in tzdata, so every step is positive.
pub const TABLE_EPOCH: i64 = -5_364_662_400;
/// `Zone::name_index` of the built-in UTC.
const UTC_INDEX: u16 = u16::MAX;

/// An IANA time zone, by name: `US/Eastern` and `America/New_York` are different zones with the
/// same offsets, as in chrono-tz and Go.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Zone {
    /// Position in the table's sorted name list, or `UTC_INDEX`.
    name_index: u16,
}

impl Zone {
    /// `UTC`, always offset zero.
    pub const UTC: Zone = Zone {
        name_index: UTC_INDEX,
    };

    /// The zone with exactly this IANA name (case-sensitive, links included), if the table has it.
    pub fn named(name: &str) -> Option<Zone> {
        if name == "UTC" {
            return Some(Zone::UTC);
        }
        let names = &table().names;
        let index = names.binary_search_by(|entry| entry.0.cmp(name)).ok()?;
        Some(Zone {
            name_index: u16::try_from(index).ok()?,
        })
    }

    /// Its IANA name, as it was asked for.
    pub fn name(self) -> &'static str {
        if self == Zone::UTC {
            return "UTC";
        }
        table()
            .names
            .get(usize::from(self.name_index))
            .map_or("UTC", |entry| entry.0)
    }

    /// Its offset from UTC (seconds east) in force at the instant `unix` (seconds).
    pub fn offset_at(self, unix: i64) -> i32 {
        if self == Zone::UTC {
            return 0;
        }
        let table = table();
        let Some(&(_, zone)) = table.names.get(usize::from(self.name_index)) else {
            return 0;
        };
        table
            .zones
            .get(usize::from(zone))
            .map_or(0, |rules| rules.decoded().offset_at(unix))
    }
}

impl fmt::Debug for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The table's index, built on first use: names point at zones, zones at their bytes.
struct Table {
    /// Sorted by name, with the number of the zone each name uses.
    names: Vec<(&'static str, u16)>,
    zones: Vec<ZoneRules>,
}

/// One zone's bytes in `TABLE`, decoded the first time the zone is used.
struct ZoneRules {
    start: usize,
    decoded: OnceLock<Offsets>,
}

/// A zone's offsets over time.
struct Offsets {
    /// In force before the first transition.
    initial: i32,
    /// (instant, offset from then on), in time order.
    transitions: Box<[(i64, i32)]>,
}

impl Offsets {
    fn offset_at(&self, unix: i64) -> i32 {
        // The transition instant itself already has the new offset.
        let passed = self.transitions.partition_point(|&(at, _)| at <= unix);
        match passed.checked_sub(1) {
            Some(last) => self.transitions[last].1,
            None => self.initial,
        }
    }
}

impl ZoneRules {
    fn decoded(&self) -> &Offsets {
        self.decoded.get_or_init(|| {
            let mut reader = Reader {
                bytes: TABLE,
                at: self.start,
            };
            // The table is checked by core/tests/tzdata.rs; a damaged one reads as UTC.
            read_offsets(&mut reader).unwrap_or(Offsets {
                initial: 0,
                transitions: Box::new([]),
            })
        })
    }
}

fn table() -> &'static Table {
    static INDEX: OnceLock<Table> = OnceLock::new();
    INDEX.get_or_init(|| {
        read_index(&mut Reader {
            bytes: TABLE,
            at: 0,
        })
        .unwrap_or(Table {
            names: Vec::new(),
            zones: Vec::new(),
        })
    })
}

/// The name list and where each zone starts (zones themselves are skipped, not decoded).
fn read_index(reader: &mut Reader) -> Option<Table> {
    if reader.take(4)? != b"BLTZ" || reader.byte()? != FORMAT_VERSION {
        return None;
    }
    let release_length = usize::from(reader.byte()?);
    reader.take(release_length)?;
    let name_count = reader.count()?;
    let mut names = Vec::with_capacity(name_count);
    for _ in 0..name_count {
        let length = usize::from(reader.byte()?);
        let name = std::str::from_utf8(reader.take(length)?).ok()?;
        let zone = u16::try_from(reader.varint()?).ok()?;
        names.push((name, zone));
    }
    let zone_count = reader.count()?;
    let mut zones = Vec::with_capacity(zone_count);
    for _ in 0..zone_count {
        zones.push(ZoneRules {
            start: reader.at,
            decoded: OnceLock::new(),
        });
        read_offsets(reader)?;
    }
    Some(Table { names, zones })
}

fn read_offsets(reader: &mut Reader) -> Option<Offsets> {
    let offset_count = reader.count()?;
    let mut offsets = Vec::with_capacity(offset_count);
    for _ in 0..offset_count {
        offsets.push(i32::try_from(reader.signed()?).ok()?);
    }
    let transition_count = reader.count()?;
    let mut transitions = Vec::with_capacity(transition_count);
    let mut at = TABLE_EPOCH;
    for _ in 0..transition_count {
        let step = reader.varint()?;
        let seconds = if step & 1 == 0 {
            (step >> 1).checked_mul(60)?
        } else {
            step >> 1
        };
        at = at.checked_add(i64::try_from(seconds).ok()?)?;
        let offset = *offsets.get(usize::from(reader.byte()?))?;
        transitions.push((at, offset));
    }
    Some(Offsets {
        initial: *offsets.first()?,
        transitions: transitions.into_boxed_slice(),
    })
}

/// A cursor over the table's bytes; every read is `None` past the end.
struct Reader {
    bytes: &'static [u8],
    at: usize,
}

impl Reader {
    fn take(&mut self, length: usize) -> Option<&'static [u8]> {
        let bytes = self.bytes.get(self.at..self.at.checked_add(length)?)?;
        self.at += length;
        Some(bytes)
    }

    fn byte(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn varint(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    fn signed(&mut self) -> Option<i64> {
        let zigzag = self.varint()?;
        Some((zigzag >> 1) as i64 ^ -((zigzag & 1) as i64))
    }

    /// A count of following items, bounded by the bytes left (each takes at least one).
    fn count(&mut self) -> Option<usize> {
        let count = usize::try_from(self.varint()?).ok()?;
        (count <= self.bytes.len() - self.at).then_some(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for name in [
            "UTC",
            "America/New_York",
            "US/Eastern",
            "Etc/GMT+5",
            "Asia/Kathmandu",
        ] {
            assert_eq!(Zone::named(name).map(Zone::name), Some(name));
        }
        assert_ne!(Zone::named("US/Eastern"), Zone::named("America/New_York"));
        for unknown in [
            "",
            "Local",
            "europe/berlin",
            "Mars/Olympus",
            "UTC ",
            "America",
        ] {
            assert_eq!(Zone::named(unknown), None, "{unknown:?}");
        }
    }

    #[test]
    fn offsets_follow_dst() {
        let ny = Zone::named("America/New_York").unwrap();
        // 2024-03-10T07:00:00Z: 02:00 EST becomes 03:00 EDT.
        assert_eq!(ny.offset_at(1_710_054_000 - 1), -5 * 3600);
        assert_eq!(ny.offset_at(1_710_054_000), -4 * 3600);
        let kathmandu = Zone::named("Asia/Kathmandu").unwrap();
        assert_eq!(kathmandu.offset_at(1_700_000_000), 5 * 3600 + 45 * 60);
        assert_eq!(Zone::UTC.offset_at(1_700_000_000), 0);
    }
}
